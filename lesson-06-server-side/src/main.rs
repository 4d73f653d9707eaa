//! Lesson 06: server-side sessions. The cookie holds only a random id; the session lives on the
//! server, in memory by default or in Redis.
//!
//! Flask step: none of the seeds takes it, but they point at it when they say sessions are "stored
//! on the server in a temporary directory". Flask's own session is not: it lives whole in the
//! cookie. Server-side storage is what the Flask-Session extension adds, and this lesson does the
//! same: the browser keeps an id, the server keeps the name.
//!
//! Two things a cookie-only session cannot do become possible: logging out really ends the session
//! (a copy of the cookie made before is refused afterwards), and "Log out everywhere" ends every
//! session of a user, on every server that shares the store.
//!
//! Run:  `cargo run -p lesson-06`, then open <http://127.0.0.1:8006>. With a Redis server:
//! `ROCKET_SESSION_STORE=redis://127.0.0.1:6379 cargo run -p lesson-06`.
//!
//! Try:
//! - Log in as Tim and read the panel: the cookie decrypts to an id, nothing more.
//! - Copy the cookie (`curl -b 'session=<value>' http://127.0.0.1:8006/user`), log out in the
//!   browser, and replay the copy: sent to `/login`. In lessons 03 and 04 the copy still works.
//! - Log in from two browsers, click "Log out everywhere" in one, reload the other.

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Redirect, Responder};
use rocket::{
    async_trait, catch, catchers, get, launch, post, routes, uri, Build, Config, Rocket, State,
};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};

mod store;

use store::{MemoryStore, RedisStore, SessionId, SessionStore, StoreError};

#[cfg(test)]
mod tests;

/// The private cookie that holds the session id. Flask and Flask-Session call theirs `session` too.
const SESSION_COOKIE: &str = "session";

/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 50;

// ANCHOR: session
/// What the store keeps under a session id. The browser never sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Session {
    user: String,
}
// ANCHOR_END: session

/// This lesson's settings, read from Rocket's configuration like `port`: `Rocket.toml` or
/// `ROCKET_SESSION_LIFETIME` / `ROCKET_SESSION_STORE`.
#[derive(Deserialize)]
struct Settings {
    /// Seconds a session lives after the last request that used it.
    session_lifetime: u64,
    /// Where sessions are kept: absent for this process's memory, or a `redis://` URL.
    session_store: Option<String>,
}

/// The store chosen at launch and the lifetime it gives each session, shared by every request.
struct Sessions {
    store: Box<dyn SessionStore>,
    lifetime: Duration,
}

// ANCHOR: current
/// The session this request belongs to: the id its cookie carried, and what the store holds
/// under that id.
struct CurrentSession {
    /// The id, if the cookie decrypted with this server's key to an id of the right form.
    id: Option<SessionId>,
    /// What the store holds under `id`: `None` if nothing (never logged in, logged out, expired,
    /// ended everywhere).
    session: Option<Session>,
}

impl CurrentSession {
    fn user(&self) -> Option<&str> {
        self.session.as_ref().map(|session| session.user.as_str())
    }
}

#[async_trait]
impl<'r> FromRequest<'r> for CurrentSession {
    type Error = StoreError;

    /// Loads the session, and gives it a fresh lifetime in the store (sliding expiry). A store
    /// that does not answer fails the request with 503 before any route runs.
    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, StoreError> {
        let id = request
            .cookies()
            .get_private(SESSION_COOKIE)
            .and_then(|cookie| SessionId::parse(cookie.value()));
        let Some(id) = id else {
            return Outcome::Success(CurrentSession {
                id: None,
                session: None,
            });
        };
        let sessions = request
            .rocket()
            .state::<Sessions>()
            .expect("the fairing `open_session_store` manages `Sessions`");
        let loaded = match sessions.store.get(&id).await {
            Ok(Some(session)) => sessions
                .store
                .refresh(&id, &session, sessions.lifetime)
                .await
                .map(|()| Some(session)),
            other => other,
        };
        match loaded {
            Ok(session) => Outcome::Success(CurrentSession {
                id: Some(id),
                session,
            }),
            Err(error) => Outcome::Error((Status::ServiceUnavailable, error)),
        }
    }
}
// ANCHOR_END: current

/// A store that did not answer ends the request with the 503 page (the catcher below). Rocket
/// drops every cookie change of a request that a catcher answers, so nothing is half-written.
impl<'r> Responder<'r, 'static> for StoreError {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        rocket::error!("{self}");
        Err(Status::ServiceUnavailable)
    }
}

#[get("/")]
fn home(jar: &CookieJar<'_>, current: CurrentSession) -> Template {
    Template::render(
        "index",
        context! { sent: what_the_browser_sent(jar, Some(&current)) },
    )
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(jar: &CookieJar<'_>, current: CurrentSession) -> Result<Template, Redirect> {
    if current.user().is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(Template::render(
        "login",
        context! { sent: what_the_browser_sent(jar, Some(&current)) },
    ))
}
// ANCHOR_END: login_form

/// The login form. `nm` is optional here so that a form without it gets a message, not an error page.
#[derive(FromForm)]
struct Login {
    nm: Option<String>,
}

/// Why `/login` logged nobody in.
// One value per request, moved once: boxing the page would only make the lesson harder to read
// (the root Cargo.toml allows `result_large_err` for the same reason).
#[allow(clippy::large_enum_variant)]
#[derive(rocket::Responder)]
enum LoginRefused {
    /// Bad input: the form again, with a message.
    #[response(status = 422)]
    Form(Template),
    /// The store did not answer: the 503 page.
    Unavailable(StoreError),
}

impl From<StoreError> for LoginRefused {
    fn from(error: StoreError) -> LoginRefused {
        LoginRefused::Unavailable(error)
    }
}

// ANCHOR: login
#[post("/login", data = "<form>")]
async fn login(
    form: Form<Login>,
    jar: &CookieJar<'_>,
    current: CurrentSession,
    sessions: &State<Sessions>,
) -> Result<Redirect, LoginRefused> {
    let name = match check_name(form.nm.as_deref()) {
        Ok(name) => name,
        Err(message) => {
            let page = context! {
                error: message,
                typed: form.nm.as_deref(),
                sent: what_the_browser_sent(jar, Some(&current)),
            };
            return Err(LoginRefused::Form(Template::render("login", page)));
        }
    };
    // Always a new id, never the one the browser came with: an attacker who planted a known id
    // in the victim's browser (session fixation) must not find it logged in afterwards.
    let id = SessionId::new();
    let session = Session { user: name };
    sessions.store.put(&id, &session, sessions.lifetime).await?;
    if let Some(old) = &current.id {
        sessions.store.delete(old).await?;
    }
    // Only now, with the store done, does the cookie change.
    jar.add_private(Cookie::build((SESSION_COOKIE, id.as_str().to_owned())).expires(None));
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

/// The name as typed, trimmed, or the message the form shows instead.
fn check_name(typed: Option<&str>) -> Result<String, String> {
    let Some(typed) = typed else {
        return Err("The form sent no name (the field `nm` was missing).".to_owned());
    };
    let name = typed.trim();
    if name.is_empty() {
        return Err("Please type a name.".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "A name can have at most {MAX_NAME_CHARS} characters."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(
            "A name cannot contain control characters such as tabs or line breaks.".to_owned(),
        );
    }
    Ok(name.to_owned())
}

// ANCHOR: user
#[get("/user")]
fn show_user(jar: &CookieJar<'_>, current: CurrentSession) -> Result<Template, Redirect> {
    match (&current.id, current.user()) {
        (Some(id), Some(name)) => Ok(Template::render(
            "user",
            context! { name, id: id.as_str(), sent: what_the_browser_sent(jar, Some(&current)) },
        )),
        _ => Err(Redirect::to(uri!(login_form))),
    }
}
// ANCHOR_END: user

// ANCHOR: logout
#[get("/logout")]
async fn logout(
    jar: &CookieJar<'_>,
    current: CurrentSession,
    sessions: &State<Sessions>,
) -> Result<Redirect, StoreError> {
    // Deleting the record is what logs out: the id is worthless from now on, in this browser and
    // in any copy of the cookie. Removing the cookie only tidies up the browser.
    if let Some(id) = &current.id {
        sessions.store.delete(id).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
#[post("/logout/everywhere")]
async fn logout_everywhere(
    jar: &CookieJar<'_>,
    current: CurrentSession,
    sessions: &State<Sessions>,
) -> Result<Redirect, StoreError> {
    if let Some(user) = current.user() {
        sessions.store.delete_all_of(user).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: unavailable
/// The page for a request the store could not answer: Redis stopped, or the network to it cut.
#[catch(503)]
fn store_unavailable(request: &Request<'_>) -> Template {
    Template::render(
        "unavailable",
        context! { sent: what_the_browser_sent(request.cookies(), None) },
    )
}
// ANCHOR_END: unavailable

/// One line of the "what your browser sent" panel.
#[derive(Serialize)]
struct SentCookie {
    name: String,
    value: String,
    meaning: String,
}

/// Every cookie this request carried, and what the server made of it. `current` is `None` when
/// the store did not answer, so the server cannot tell what the id stands for.
fn what_the_browser_sent(jar: &CookieJar<'_>, current: Option<&CurrentSession>) -> Vec<SentCookie> {
    let id = jar
        .get_private(SESSION_COOKIE)
        .and_then(|cookie| SessionId::parse(cookie.value()));
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: if cookie.name() == SESSION_COOKIE {
                session_cookie_meaning(id.as_ref(), current)
            } else {
                "Not used by this lesson.".to_owned()
            },
        })
        .collect();
    sent.sort_by(|a, b| a.name.cmp(&b.name));
    sent
}

fn session_cookie_meaning(id: Option<&SessionId>, current: Option<&CurrentSession>) -> String {
    let Some(id) = id else {
        return "Could not be decrypted with this server's key (forged, changed, cut short or \
            made with another key): ignored, you are not logged in."
            .to_owned();
    };
    let id = id.as_str();
    match current.map(CurrentSession::user) {
        Some(Some(user)) => format!(
            "Decrypted to the session id {id}, and nothing else. The store holds the rest: \
             you are logged in as “{user}”."
        ),
        Some(None) => format!(
            "Decrypted to the session id {id}, which the store does not hold (logged out, \
             expired or ended everywhere): you are not logged in."
        ),
        None => format!(
            "Decrypted to the session id {id}. The store did not answer, so this server cannot \
             tell whose it is."
        ),
    }
}

/// A long value cut to its first 40 characters, so the panel stays readable.
fn shorten(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

// ANCHOR: choose_store
/// Reads the settings and opens the session store at launch. With `session_store` set, Redis must
/// answer now, or the launch is refused: better no server than one that loses every login.
fn open_session_store() -> AdHoc {
    AdHoc::try_on_ignite("Session store", |rocket| async {
        let settings: Settings = match rocket.figment().extract() {
            Ok(settings) => settings,
            Err(error) => {
                rocket::error!("Session settings: {error}");
                return Err(rocket);
            }
        };
        let store: Box<dyn SessionStore> = match &settings.session_store {
            None => Box::new(MemoryStore::default()),
            Some(url) => match RedisStore::connect(url).await {
                Ok(store) => Box::new(store),
                Err(error) => {
                    rocket::error!(
                        "Session store: {error}. Point `session_store` (ROCKET_SESSION_STORE) at \
                         a Redis that answers, or unset it to keep sessions in this process's \
                         memory."
                    );
                    return Err(rocket);
                }
            },
        };
        let lifetime = Duration::from_secs(settings.session_lifetime);
        Ok(rocket.manage(Sessions { store, lifetime }))
    })
}
// ANCHOR_END: choose_store

#[launch]
fn rocket() -> Rocket<Build> {
    // `Serialized::default` only fills gaps: ROCKET_PORT, ROCKET_SESSION_LIFETIME,
    // ROCKET_SESSION_STORE and Rocket.toml still win.
    let figment = Config::figment()
        .merge(Serialized::default("port", 8006))
        .merge(Serialized::default("template_dir", relative!("templates")))
        .merge(Serialized::default("session_lifetime", 300));
    rocket::custom(figment)
        .attach(Template::fairing())
        .attach(open_session_store())
        .mount(
            "/",
            routes![
                home,
                login_form,
                login,
                show_user,
                logout,
                logout_everywhere
            ],
        )
        .register("/", catchers![store_unavailable])
}
