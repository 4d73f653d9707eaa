//! Lesson 06: server-side sessions. The cookie holds only a random id; the session itself lives on
//! the server, in this process's memory by default or in Redis.
//!
//! Flask step: none of the seeds takes it, though they describe it. "Stored on the server in a
//! temporary directory" is not Flask's own session, which lives whole in the cookie; it is what the
//! Flask-Session extension does. This lesson takes lesson 04's app and moves its session (name,
//! colour, "keep me signed in", expiry) into a store on the server, behind a small trait
//! (`src/store.rs`). The private cookie `session` now holds a random 128-bit id and nothing else.
//!
//! What that buys: logging out deletes the session on the server, so a copy of the cookie taken
//! before is refused afterwards (in lessons 03 and 04 the copy keeps working), and "Log out
//! everywhere" ends every session of the user, on every server that shares the store. What it
//! costs: a store lookup on every request, and a store that must be up. If `session_store` names a
//! Redis that does not answer, the launch is refused; if Redis goes away later, pages answer 503
//! until it is back.
//!
//! Lifetime and sliding expiry as in lesson 04 (`session_lifetime`, default 300 seconds), enforced
//! by the store: it forgets a session when its time is up (Redis through the key's TTL).
//!
//! Run:  `cargo run -p lesson-06`, then open <http://127.0.0.1:8006>. Nothing else to install.
//!       `ROCKET_SESSION_STORE=redis://127.0.0.1:6379 cargo run -p lesson-06` keeps sessions in
//!       Redis instead.
//!
//! Try:
//! - Log in and read the panel: the cookie decrypts to an id, nothing more.
//! - Copy the cookie from devtools, log out, and replay the copy:
//!   `curl -i http://127.0.0.1:8006/user -H 'Cookie: session=<the copy>'` is sent to `/login`.
//! - Log in from two browsers, press "Log out everywhere" in one, reload the other.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rocket::fairing::AdHoc;
use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket::response::{self, Flash, Redirect, Responder};
use rocket::time::{Duration, OffsetDateTime};
use rocket::{catch, catchers, get, launch, post, routes, uri, Build, Config, Rocket};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};

mod store;

use store::{MemoryStore, RedisStore, SessionId, SessionStore, StoreError};

#[cfg(test)]
mod tests;

/// The private cookie that holds the session id. Flask's session cookie, and so Flask-Session's,
/// is called `session` too.
const SESSION_COOKIE: &str = "session";

/// Longest name accepted, in characters. The name no longer travels in the cookie; the limit keeps
/// the pages readable and what the store keeps per session small.
const MAX_NAME_CHARS: usize = 50;

/// The colours on offer. Anything else, however long or short, is refused.
const COLOURS: [&str; 6] = ["red", "orange", "yellow", "green", "blue", "purple"];

/// `session_lifetime` when the configuration does not set it: the seeds' five minutes. (Flask's
/// own default for a permanent session is 31 days.)
const DEFAULT_LIFETIME_SECONDS: i64 = 300;

/// The longest `session_lifetime` accepted: 400 days. The draft revision of the cookie standard
/// (RFC 6265bis) has browsers cut a longer cookie lifetime down to at most that, and Chrome and
/// Firefox do: with a longer setting, browser and server would disagree about the expiry.
const MAX_LIFETIME_SECONDS: i64 = 400 * 24 * 60 * 60;

// ANCHOR: config
/// This lesson's own settings, read from Rocket's configuration like `port` or `secret_key`:
/// `session_lifetime = 30` and `session_store = "redis://127.0.0.1:6379"` in Rocket.toml, or
/// `ROCKET_SESSION_LIFETIME=30` and `ROCKET_SESSION_STORE=redis://127.0.0.1:6379`.
#[derive(Deserialize)]
struct SessionConfig {
    #[serde(default)]
    session_lifetime: Lifetime,
    /// Where sessions live: not set, this process's memory; set, the Redis server it names.
    session_store: Option<String>,
}

/// How long a session lasts, in whole seconds: at least 1, at most `MAX_LIFETIME_SECONDS`.
/// Any other value (0, negative, a fraction, text) fails to deserialise, and so stops the launch.
#[derive(Clone, Copy, Deserialize)]
#[serde(try_from = "i64")]
struct Lifetime {
    seconds: i64,
}

impl TryFrom<i64> for Lifetime {
    type Error = String;

    fn try_from(seconds: i64) -> Result<Self, Self::Error> {
        if (1..=MAX_LIFETIME_SECONDS).contains(&seconds) {
            Ok(Lifetime { seconds })
        } else {
            Err(format!(
                "session_lifetime must be a whole number of seconds from 1 to \
                 {MAX_LIFETIME_SECONDS} (400 days), not {seconds}"
            ))
        }
    }
}
// ANCHOR_END: config

impl Default for Lifetime {
    fn default() -> Self {
        Lifetime {
            seconds: DEFAULT_LIFETIME_SECONDS,
        }
    }
}

impl Lifetime {
    fn as_delta(self) -> TimeDelta {
        TimeDelta::seconds(self.seconds)
    }

    /// The lifetime as the store takes it.
    fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.seconds.unsigned_abs())
    }
}

// ANCHOR: session_data
/// Everything the session holds: Flask's session dict, typed. It lives in the store, under the
/// session id; the browser never sees it.
#[derive(Clone, Serialize, Deserialize)]
struct SessionData {
    /// Flask's `session["user"]`; `None` once logged out.
    user: Option<String>,
    /// Flask's `session["colour"]`; logging out keeps it (lesson 03).
    colour: Option<String>,
    /// Flask's `session.permanent`: the "Keep me signed in" box.
    permanent: bool,
    /// When the store forgets the session: it is given the same lifetime at every write. Kept
    /// here to show it on the user page.
    expires: DateTime<Utc>,
}
// ANCHOR_END: session_data

// ANCHOR: read
/// The session id in the cookie `session`: `None` without the cookie, or when it does not decrypt
/// with this server's key (forged, changed, cut short, another key) to an id of the right form.
fn read_id(jar: &CookieJar<'_>) -> Option<SessionId> {
    SessionId::parse(jar.get_private(SESSION_COOKIE)?.value())
}
// ANCHOR_END: read

// ANCHOR: guard
/// The session of the request being handled. A handler asks for it like any request guard
/// (`session: Session<'_>`), reads it with `user()` and `colour()`, and changes it with
/// `log_in`, `set_colour`, `log_out`, `log_out_everywhere` and `clear`; each change writes to the
/// store first and to the cookie after.
struct Session<'r> {
    jar: &'r CookieJar<'r>,
    store: &'r dyn SessionStore,
    lifetime: Lifetime,
    /// This request's time, in whole seconds like the cookie's `Expires`.
    now: DateTime<Utc>,
    /// The id the cookie carried, if it was one.
    id: Option<SessionId>,
    /// What the store holds under `id`. `None`: no id, or nothing under it (never issued, logged
    /// out, expired, ended everywhere).
    data: Option<SessionData>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session<'r> {
    type Error = &'static str;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let rocket = request.rocket();
        let (Some(config), Some(store)) = (
            rocket.state::<SessionConfig>(),
            rocket.state::<Box<dyn SessionStore>>(),
        ) else {
            let missing = "no session store: attach AdHoc::config::<SessionConfig>() and \
                open_session_store()";
            return Outcome::Error((Status::InternalServerError, missing));
        };
        let jar = request.cookies();
        let id = read_id(jar);
        let data = match &id {
            // One lookup in the store for every request that carries an id.
            Some(id) => match store.get(id).await {
                Ok(data) => data,
                Err(error) => return store_unavailable(error),
            },
            None => None,
        };
        let mut session = Session {
            jar,
            store: store.as_ref(),
            lifetime: config.session_lifetime,
            now: Utc::now().trunc_subsecs(0),
            id,
            data,
        };
        // Sliding expiry, as in lesson 04: a permanent session gets a fresh lifetime in the store
        // and in the cookie on every request. A browser-session one only when it changes.
        if session.is_permanent() {
            if let Err(error) = session.save().await {
                return store_unavailable(error);
            }
        }
        Outcome::Success(session)
    }
}

/// Fails the request with 503, answered by the catcher `unavailable` below.
fn store_unavailable<T>(error: StoreError) -> Outcome<T, &'static str> {
    rocket::error!("{error}");
    Outcome::Error((
        Status::ServiceUnavailable,
        "the session store did not answer",
    ))
}
// ANCHOR_END: guard

// ANCHOR: session_api
impl Session<'_> {
    fn user(&self) -> Option<&str> {
        self.data.as_ref()?.user.as_deref()
    }

    fn colour(&self) -> Option<&str> {
        self.data.as_ref()?.colour.as_deref()
    }

    fn is_permanent(&self) -> bool {
        self.data.as_ref().is_some_and(|data| data.permanent)
    }

    /// Flask: `session.permanent = permanent` and `session["user"] = name`. A colour chosen
    /// before is kept.
    async fn log_in(&mut self, name: String, permanent: bool) -> Result<(), StoreError> {
        let colour = self.data.take().and_then(|data| data.colour);
        self.data = Some(SessionData {
            user: Some(name),
            colour,
            permanent,
            expires: self.now,
        });
        // Always a new id, never the one the browser came with: an id planted in the browser
        // before the login (session fixation) must not become a logged-in session.
        self.save_under_a_new_id().await
    }

    /// Flask: `session["colour"] = colour`, for a logged-in user.
    async fn set_colour(&mut self, colour: &str) -> Result<(), StoreError> {
        if let Some(data) = &mut self.data {
            data.colour = Some(colour.to_owned());
            self.save().await?;
        }
        Ok(())
    }

    /// Flask: `session.pop("user", None)`. Returns the name removed; without one, writes nothing.
    /// The logged-in session is deleted from the store, so no copy of its id works any more;
    /// what is left (the colour) goes on under a new id.
    async fn log_out(&mut self) -> Result<Option<String>, StoreError> {
        let Some(name) = self.data.as_mut().and_then(|data| data.user.take()) else {
            return Ok(None);
        };
        self.save_under_a_new_id().await?;
        Ok(Some(name))
    }

    /// Deletes every session of this user from the store, this one included, on every server
    /// that shares the store. Returns the name; without one, changes nothing.
    async fn log_out_everywhere(&mut self) -> Result<Option<String>, StoreError> {
        let Some(name) = self.user().map(str::to_owned) else {
            return Ok(None);
        };
        self.store.delete_all_of(&name).await?;
        self.id = None;
        self.data = None;
        self.jar.remove_private(SESSION_COOKIE);
        Ok(Some(name))
    }

    /// Flask: `session.clear()`. Deletes the session from the store and the cookie, whatever it
    /// held. Returns whether the request carried the cookie.
    async fn clear(&mut self) -> Result<bool, StoreError> {
        if let Some(id) = self.id.take() {
            self.store.delete(&id).await?;
        }
        self.data = None;
        let carried = self.jar.get(SESSION_COOKIE).is_some();
        // `remove_private` sends the removal only if the request carried the cookie.
        self.jar.remove_private(SESSION_COOKIE);
        Ok(carried)
    }

    /// Writes the session back under its id with a fresh expiry, and re-sends the cookie. The
    /// store writes only over a session it still holds, so one deleted meanwhile stays deleted.
    async fn save(&mut self) -> Result<(), StoreError> {
        let (Some(id), Some(data)) = (&self.id, &mut self.data) else {
            return Ok(());
        };
        data.expires = self.now + self.lifetime.as_delta();
        self.store
            .update(id, data, self.lifetime.as_duration())
            .await?;
        self.send_cookie();
        Ok(())
    }

    /// Stores the session under a new id and deletes the old one from the store; a session left
    /// with nothing is only deleted (Flask deletes an emptied session's cookie too). The cookie
    /// changes last: if the store fails first, the request ends in a 503 and the browser keeps
    /// the cookie it had.
    async fn save_under_a_new_id(&mut self) -> Result<(), StoreError> {
        let old = self.id.take();
        let kept = self
            .data
            .as_mut()
            .filter(|data| data.user.is_some() || data.colour.is_some());
        if let Some(data) = kept {
            data.expires = self.now + self.lifetime.as_delta();
            let id = SessionId::new();
            self.store
                .put(&id, data, self.lifetime.as_duration())
                .await?;
            self.id = Some(id);
        } else {
            self.data = None;
        }
        if let Some(old) = old {
            self.store.delete(&old).await?;
        }
        self.send_cookie();
        Ok(())
    }

    /// Sends the cookie with the session's id, or deletes it when there is no session.
    fn send_cookie(&self) {
        let (Some(id), Some(data)) = (&self.id, &self.data) else {
            self.jar.remove_private(SESSION_COOKIE);
            return;
        };
        let cookie = Cookie::build((SESSION_COOKIE, id.as_str().to_owned()));
        let cookie = if data.permanent {
            // Both attributes, the same instant. With `max_age` alone, `add_private` would still
            // add `Expires` one week ahead; browsers obey `Max-Age`, and the few that only know
            // `Expires` would keep the cookie for a week.
            let expires = OffsetDateTime::from_unix_timestamp(data.expires.timestamp())
                .expect("at most 400 days from now");
            cookie
                .max_age(Duration::seconds(self.lifetime.seconds))
                .expires(expires)
        } else {
            // A browser-session cookie, no `Expires` nor `Max-Age`: gone when the browser closes.
            // The store still forgets the session after the lifetime.
            cookie.expires(None)
        };
        self.jar.add_private(cookie);
    }
}
// ANCHOR_END: session_api

// ANCHOR: unavailable
/// A store that did not answer, returned by a handler (`?` on a store call), ends the request with
/// a 503 answered by the catcher below. Rocket drops every cookie change of a request that a
/// catcher answers, so nothing is half-written in the browser either.
impl<'r> Responder<'r, 'static> for StoreError {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        rocket::error!("{self}");
        Err(Status::ServiceUnavailable)
    }
}

/// The page for a request the session store could not answer: Redis stopped, or the network to
/// it cut. It shows what the browser sent, without asking the store what the id stands for.
#[catch(503)]
fn unavailable(request: &Request<'_>) -> Template {
    let meaning = "Not looked up: the session store did not answer, so this server cannot tell \
        whose session this id is.";
    Template::render(
        "unavailable",
        context! { sent: list_cookies(request.cookies(), meaning) },
    )
}
// ANCHOR_END: unavailable

#[get("/")]
fn home(session: Session<'_>) -> Template {
    Template::render(
        "index",
        context! { colour: session.colour(), sent: what_the_browser_sent(&session) },
    )
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(session: Session<'_>, flash: Option<FlashMessage<'_>>) -> Result<Template, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if session.user().is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    // A one-time message left by `logout`, `logout_everywhere` or `forget`. The guard is an
    // `Option` because a bare `FlashMessage` fails the request with 400 when there is none.
    // Reading the message makes Rocket delete the `_flash` cookie in this response, so a reload
    // no longer shows it.
    let message = flash.map(|flash| flash.message().to_owned());
    Ok(Template::render(
        "login",
        context! {
            message,
            remember: true,
            colour: session.colour(),
            sent: what_the_browser_sent(&session),
        },
    ))
}
// ANCHOR_END: login_form

/// The login form. `nm` is optional here so that a form without it gets a message, not an error
/// page. A checkbox is sent (as `remember=on`) only when ticked, so its presence is the answer.
#[derive(FromForm)]
struct Login {
    nm: Option<String>,
    remember: Option<String>,
}

// ANCHOR: login
/// The outer `Result` is the store's: `?` on a store call turns a store that did not answer into
/// the 503 page. The inner one is lesson 04's answer: the redirect, or the form again with a 422.
#[post("/login", data = "<form>")]
async fn login(
    form: Form<Login>,
    mut session: Session<'_>,
) -> Result<Result<Redirect, (Status, Template)>, StoreError> {
    let remember = form.remember.is_some();
    let name = match check_name(form.nm.as_deref()) {
        Ok(name) => name,
        Err(message) => {
            let page = context! {
                error: message,
                typed: form.nm.as_deref(),
                remember,
                colour: session.colour(),
                sent: what_the_browser_sent(&session),
            };
            return Ok(Err((
                Status::UnprocessableEntity,
                Template::render("login", page),
            )));
        }
    };
    session.log_in(name, remember).await?;
    Ok(Ok(Redirect::to(uri!(show_user))))
}
// ANCHOR_END: login

// ANCHOR: check_name
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
// ANCHOR_END: check_name

// ANCHOR: user
#[get("/user")]
fn show_user(session: Session<'_>) -> Result<Template, Redirect> {
    if session.user().is_none() {
        return Err(Redirect::to(uri!(login_form)));
    }
    Ok(user_page(&session, None))
}
// ANCHOR_END: user

/// The user page: the name, the session id, the colour form (with a message after a refused
/// choice), and when the session expires.
fn user_page(session: &Session<'_>, error: Option<&str>) -> Template {
    let expires = session.data.as_ref().map(|data| data.expires);
    Template::render(
        "user",
        context! {
            name: session.user(),
            id: session.id.as_ref().map(SessionId::as_str),
            error,
            colour: session.colour(),
            colours: COLOURS,
            permanent: session.is_permanent(),
            expires_at: expires.map(|at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
            seconds_left: expires.map(|at| (at - session.now).num_seconds()),
            sent: what_the_browser_sent(session),
        },
    )
}

/// The colour form. `colour` is optional so that a form without it gets a message.
#[derive(FromForm)]
struct ColourChoice {
    colour: Option<String>,
}

// ANCHOR: colour
#[post("/colour", data = "<form>")]
async fn choose_colour(
    form: Form<ColourChoice>,
    mut session: Session<'_>,
) -> Result<Result<Redirect, (Status, Template)>, StoreError> {
    // Only a logged-in user picks a colour; anyone else is sent to log in, and nothing is stored.
    if session.user().is_none() {
        return Ok(Ok(Redirect::to(uri!(login_form))));
    }
    match check_colour(form.colour.as_deref()) {
        Ok(colour) => {
            session.set_colour(colour).await?;
            Ok(Ok(Redirect::to(uri!(show_user))))
        }
        Err(message) => Ok(Err((
            Status::UnprocessableEntity,
            user_page(&session, Some(message)),
        ))),
    }
}
// ANCHOR_END: colour

/// The colour as chosen, if it is one of `COLOURS`, or the message the form shows instead.
fn check_colour(chosen: Option<&str>) -> Result<&'static str, &'static str> {
    match chosen {
        None => Err("The form sent no colour (the field `colour` was missing)."),
        Some("") => Err("Please choose a colour."),
        Some(chosen) => COLOURS
            .into_iter()
            .find(|colour| *colour == chosen)
            .ok_or("Please choose one of the colours on offer."),
    }
}

// ANCHOR: logout
#[get("/logout")]
async fn logout(mut session: Session<'_>) -> Result<Result<Flash<Redirect>, Redirect>, StoreError> {
    let to_login = Redirect::to(uri!(login_form));
    // Deletes the logged-in session from the store (every copy of its id is refused from now on)
    // and keeps the colour under a new id.
    let answer = match session.log_out().await? {
        // `Flash` stores the message in a cookie `_flash` that is NOT encrypted (and not
        // HttpOnly): for up to five minutes the browser holds "You have been logged out, Tim." in
        // plain text. Put nothing in a flash message that the user may not read.
        Some(name) => Ok(Flash::success(
            to_login,
            format!("You have been logged out, {name}."),
        )),
        // Not logged in: just the redirect, and no message.
        None => Err(to_login),
    };
    Ok(answer)
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
/// A POST, like "Forget me": a link or a prefetch must not end anyone's sessions.
#[post("/logout/everywhere")]
async fn logout_everywhere(
    mut session: Session<'_>,
) -> Result<Result<Flash<Redirect>, Redirect>, StoreError> {
    let to_login = Redirect::to(uri!(login_form));
    let answer = match session.log_out_everywhere().await? {
        Some(name) => Ok(Flash::success(
            to_login,
            format!("Every session of {name} has ended, in every browser."),
        )),
        None => Err(to_login),
    };
    Ok(answer)
}
// ANCHOR_END: logout_everywhere

// ANCHOR: forget
#[post("/forget")]
async fn forget(mut session: Session<'_>) -> Result<Result<Flash<Redirect>, Redirect>, StoreError> {
    let to_login = Redirect::to(uri!(login_form));
    // Deletes the session from the store, and the cookie that pointed at it.
    let answer = if session.clear().await? {
        Ok(Flash::success(
            to_login,
            "Your name and colour are forgotten.",
        ))
    } else {
        Err(to_login)
    };
    Ok(answer)
}
// ANCHOR_END: forget

/// One line of the "what your browser sent" panel.
#[derive(Serialize)]
struct SentCookie {
    name: String,
    value: String,
    meaning: String,
}

// ANCHOR: panel
/// Every cookie this request carried, and what the server made of it.
fn what_the_browser_sent(session: &Session<'_>) -> Vec<SentCookie> {
    list_cookies(session.jar, &describe_session(session))
}

/// Every cookie in `jar`, the cookie `session` explained by `session_meaning`.
fn list_cookies(jar: &CookieJar<'_>, session_meaning: &str) -> Vec<SentCookie> {
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: match cookie.name() {
                SESSION_COOKIE => session_meaning.to_owned(),
                "_flash" => "Rocket's one-time message, in plain text (not encrypted): \
                    deleted by the response of the page that shows it."
                    .to_owned(),
                _ => "Not used by this lesson.".to_owned(),
            },
        })
        .collect();
    sent.sort_by(|a, b| a.name.cmp(&b.name));
    sent
}

/// What the server made of the cookie `session`, in words.
fn describe_session(session: &Session<'_>) -> String {
    let Some(id) = &session.id else {
        return "Could not be read with this server's key (forged, changed, cut short, made \
            with another key, or not a session id): ignored, you are not logged in."
            .to_owned();
    };
    let id = id.as_str();
    match &session.data {
        Some(data) => format!(
            "Decrypted with this server's key to the session id {id}: that is all the cookie \
             holds. Under that id the store holds {} for {} more seconds.",
            serde_json::to_string(data).unwrap_or_default(),
            (data.expires - session.now).num_seconds()
        ),
        None => format!(
            "Decrypted with this server's key to the session id {id}, which the store does not \
             hold (logged out, expired, ended everywhere, or lost when a memory store \
             restarted): you are not logged in."
        ),
    }
}
// ANCHOR_END: panel

/// A long value cut to its first 40 characters, so the panel stays readable.
fn shorten(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

// ANCHOR: open_store
/// Opens the session store when the app launches: this process's memory when `session_store` is
/// not set, the Redis server it names when it is. That Redis must answer now, or the launch is
/// refused: better no server than one that cannot keep a single login.
fn open_session_store() -> AdHoc {
    AdHoc::try_on_ignite("Session store", |rocket| async {
        // Runs after `AdHoc::config::<SessionConfig>()`. When that failed, the launch stops
        // anyway, with its message.
        let Some(config) = rocket.state::<SessionConfig>() else {
            return Ok(rocket);
        };
        let store: Box<dyn SessionStore> = match config.session_store.clone() {
            None => {
                rocket::info!("Session store: this process's memory.");
                Box::new(MemoryStore::default())
            }
            Some(url) => match RedisStore::connect(&url).await {
                Ok(store) => {
                    rocket::info!("Session store: Redis at {}.", store.address());
                    Box::new(store)
                }
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
        Ok(rocket.manage(store))
    })
}
// ANCHOR_END: open_store

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    // No secret key is set here. The debug profile generates a random one at each launch (and
    // warns), so a restart logs everyone out; any other profile refuses to launch without
    // `ROCKET_SECRET_KEY` or `secret_key` in Rocket.toml.
    //
    // `Serialized::default` only fills gaps: ROCKET_PORT, ROCKET_ADDRESS and Rocket.toml still win.
    // The template directory is made absolute because `cargo run -p lesson-06` keeps the shell's
    // current directory, and Rocket would otherwise look for `templates/` there.
    let figment = Config::figment()
        .merge(Serialized::default("port", 8006))
        .merge(Serialized::default("template_dir", relative!("templates")));
    rocket::custom(figment)
        .attach(Template::fairing())
        // Reads `session_lifetime` and `session_store` when the app launches. A bad value stops
        // the launch with a message naming the setting and where it came from (Rocket.toml or
        // the environment).
        .attach(AdHoc::config::<SessionConfig>())
        .attach(open_session_store())
        .mount(
            "/",
            routes![
                home,
                login_form,
                login,
                show_user,
                choose_colour,
                logout,
                logout_everywhere,
                forget
            ],
        )
        .register("/", catchers![unavailable])
}
// ANCHOR_END: rocket
