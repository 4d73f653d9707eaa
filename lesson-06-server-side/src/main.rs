//! Lesson 06: the session on the server, as the Flask-Session extension keeps it ("stored on the
//! server", seeds 000 and 001, is false of Flask's own session). The private cookie holds only a
//! random id, the session lives in this server's memory, and logging out ends it for good.
//!
//! Run: `cargo run -p lesson-06`, then open <http://127.0.0.1:8006>.
//! Chapter: docs/src/lesson-06.md.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lesson_support::Page;
use rocket::fairing::AdHoc;
use rocket::form::{Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::time::{Duration, OffsetDateTime};
use rocket::{get, launch, post, routes, uri, Build, Rocket, State};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard, PoisonError};

#[cfg(test)]
mod tests;

/// One private cookie holds the session's id, as Flask-Session's cookie `session` does.
const SESSION_COOKIE: &str = "session";

// ANCHOR: config
/// Lesson 04's `session_lifetime`, in seconds.
#[derive(Deserialize)]
struct SessionConfig {
    #[serde(default = "five_minutes")]
    session_lifetime: NonZeroU32,
}

/// The seeds' five minutes (Flask's own default is 31 days).
fn five_minutes() -> NonZeroU32 {
    NonZeroU32::new(300).expect("300 is not zero")
}

impl SessionConfig {
    fn lifetime(&self) -> TimeDelta {
        TimeDelta::seconds(self.session_lifetime.get().into())
    }
}
// ANCHOR_END: config

// ANCHOR: session_data
/// Flask's session dict, typed, kept on the server under its id. Templates see it as `session`.
#[derive(Clone, Serialize)]
struct SessionData {
    user: String,
    /// Flask's `session.permanent`, which the "Keep me signed in" box sets.
    permanent: bool,
    /// The server refuses the session from then on (the record stays until a login sweeps it).
    expires: DateTime<Utc>,
}
// ANCHOR_END: session_data

// ANCHOR: store
/// Every session this server holds, by id: Flask-Session's store, in memory (lesson 07 shares one
/// between servers). A restart forgets them all.
#[derive(Default)]
struct Store(Mutex<HashMap<String, SessionData>>);

impl Store {
    fn sessions(&self) -> MutexGuard<'_, HashMap<String, SessionData>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A new session id: 128 random bits from the operating system, in hex.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the operating system's random number generator");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
// ANCHOR_END: store

// ANCHOR: read
/// What the request's cookie `session` carried.
enum Carried {
    Nothing,
    /// A value that does not decrypt with this server's key.
    Unreadable,
    Id(String),
}

/// The request's `Carried`, decrypted once per request (Rocket's request-local cache) for the
/// guard and the panel.
fn carried<'r>(request: &'r Request<'_>) -> &'r Carried {
    request.local_cache(|| read(request.cookies()))
}

fn read(jar: &CookieJar<'_>) -> Carried {
    if jar.get(SESSION_COOKIE).is_none() {
        return Carried::Nothing;
    }
    match jar.get_private(SESSION_COOKIE) {
        Some(cookie) => Carried::Id(cookie.value().to_owned()),
        None => Carried::Unreadable,
    }
}

impl SessionData {
    /// Whether the time is not up and the session claims no more than the current lifetime, which
    /// may have been cut since it was written.
    fn is_current(&self, now: DateTime<Utc>, lifetime: TimeDelta) -> bool {
        now < self.expires && self.expires <= now + lifetime
    }
}

/// Now, in whole seconds like a cookie's `Expires`.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}
// ANCHOR_END: read

// ANCHOR: write
/// Gives the session a fresh expiry and sends its id. A permanent cookie gets both `Max-Age` and
/// `Expires`, since with `Max-Age` alone Rocket adds a one-week `Expires`; any other is a
/// browser-session one.
fn write(jar: &CookieJar<'_>, id: &str, data: &mut SessionData, lifetime: TimeDelta) {
    data.expires = now() + lifetime;
    let cookie = Cookie::build((SESSION_COOKIE, id.to_owned()));
    let cookie = if data.permanent {
        let expires = OffsetDateTime::from_unix_timestamp(data.expires.timestamp())
            .expect("now plus at most 136 years is a date the time crate holds");
        cookie
            .max_age(Duration::seconds(lifetime.num_seconds()))
            .expires(expires)
    } else {
        cookie.expires(None)
    };
    jar.add_private(cookie);
}
// ANCHOR_END: write

// ANCHOR: guard
/// A logged-in user, whose session cookie decrypts to the id of a session this server holds.
struct User {
    id: String,
    session: SessionData,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let store = try_outcome!(request.guard::<&State<Store>>().await);
        let lifetime = try_outcome!(request.guard::<&State<SessionConfig>>().await).lifetime();
        let Carried::Id(id) = carried(request) else {
            return Outcome::Forward(Status::Unauthorized);
        };
        let mut sessions = store.sessions();
        // An id not held (logged out, ended everywhere, from before a restart) or expired is no
        // session.
        let Some(data) = sessions
            .get_mut(id)
            .filter(|data| data.is_current(now(), lifetime))
        else {
            return Outcome::Forward(Status::Unauthorized);
        };
        // Flask's `SESSION_REFRESH_EACH_REQUEST`: a permanent session slides forward.
        if data.permanent {
            write(request.cookies(), id, data, lifetime);
        }
        let (id, session) = (id.clone(), data.clone());
        Outcome::Success(User { id, session })
    }
}
// ANCHOR_END: guard

// ANCHOR: render
/// Lesson 05's way to give every template `session`, which is `{}` without one.
fn render(user: Option<&User>, name: &'static str, values: impl Serialize) -> Page {
    let page = Page::render(name, values);
    match user {
        Some(user) => page.with("session", &user.session),
        None => page.with("session", context! {}),
    }
}
// ANCHOR_END: render

#[get("/")]
fn home(user: Option<User>) -> Page {
    render(user.as_ref(), "index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(user: Option<User>) -> Result<Page, Redirect> {
    if user.is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(render(None, "login", context! { remember: true }))
}
// ANCHOR_END: login_form

// ANCHOR: login
#[derive(FromForm)]
struct Login<'r> {
    #[field(validate = lesson_support::name())]
    nm: &'r str,
    /// A ticked checkbox sends `remember=on` and an unticked one nothing, which reads as `false`.
    remember: bool,
}

#[post("/login", data = "<form>")]
fn login<'r>(
    form: Form<Contextual<'r, Login<'r>>>,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
    store: &State<Store>,
) -> Result<Redirect, (Status, Page)> {
    let Some(login) = &form.value else {
        let remember = form.context.field_value("remember").is_some();
        let page = render(None, "login", context! { form: &form.context, remember });
        return Err((form.context.status(), page));
    };
    // Flask: `session["user"] = name`, in a new session.
    let mut data = SessionData {
        user: login.nm.trim().to_owned(),
        permanent: login.remember,
        expires: now(),
    };
    let mut sessions = store.sessions();
    // Against session fixation, the id the browser came with is dropped and a new one issued.
    if let Carried::Id(old) = read(jar) {
        sessions.remove(&old);
    }
    // Expired sessions are swept out at each login, so the map holds one lifetime's worth.
    sessions.retain(|_, session| session.expires > now());
    let id = new_id();
    write(jar, &id, &mut data, config.lifetime());
    sessions.insert(id, data);
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: user
#[get("/user")]
fn show_user(user: User) -> Page {
    let expires = user.session.expires;
    let values = context! {
        id: &user.id,
        expires_at: expires.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        seconds_left: (expires - now()).num_seconds(),
    };
    render(Some(&user), "user", values)
}

#[get("/user", rank = 2)]
fn not_logged_in() -> Redirect {
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: user

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>, store: &State<Store>) -> Redirect {
    // Flask-Session: `session.clear()` deletes the record, so a copy of the cookie is worthless.
    if let Carried::Id(id) = read(jar) {
        store.sessions().remove(&id);
    }
    jar.remove_private(SESSION_COOKIE);
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
#[post("/logout/everywhere")]
fn logout_everywhere(user: Option<User>, jar: &CookieJar<'_>, store: &State<Store>) -> Redirect {
    // Every session of this user ends, in every browser; only a server-side session can do this.
    if let Some(User { session: me, .. }) = user {
        let mut sessions = store.sessions();
        sessions.retain(|_, session| session.user != me.user);
    }
    jar.remove_private(SESSION_COOKIE);
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: panel
const UNREADABLE: &str = "Could not be read with this server's key (forged, changed, cut short \
    or made with another key): ignored, you are not logged in.";

fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    if cookie.name() != SESSION_COOKIE {
        return None;
    }
    let Carried::Id(id) = carried(request) else {
        return Some(UNREADABLE.to_owned());
    };
    let lifetime = request.rocket().state::<SessionConfig>()?.lifetime();
    let store = request.rocket().state::<Store>()?;
    Some(match store.sessions().get(id) {
        Some(data) if data.is_current(now(), lifetime) => format!(
            "Decrypted with this server's key to the session id {id}: that is all the cookie \
             holds. Under that id the store holds {} for {} more seconds.",
            serde_json::to_string(data).unwrap_or_default(),
            (data.expires - now()).num_seconds()
        ),
        _ => format!(
            "Decrypted with this server's key to the session id {id}, which the store does not \
             hold (logged out, ended everywhere, lost when the server restarted) or whose time \
             is up: you are not logged in."
        ),
    })
}
// ANCHOR_END: panel

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    rocket::custom(lesson_support::figment(8006, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .attach(AdHoc::config::<SessionConfig>())
        .manage(Store::default())
        .mount("/", routes![home, login_form, login, show_user])
        .mount("/", routes![not_logged_in, logout, logout_everywhere])
}
// ANCHOR_END: rocket
