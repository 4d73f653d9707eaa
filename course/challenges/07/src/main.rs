//! Lesson 07: lesson 06 made ready for production: a store several servers share (Redis), a 503
//! page while it is down, `secret_key_fallbacks`, `cookie_secure`, `session_absolute_lifetime`,
//! and a memory store of bounded size. Run: `cargo run -p lesson-07`, then open
//! <http://127.0.0.1:8007>. Chapter: docs/src/lesson-07.md.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use cookie::Key;
use lesson_support::Page;
use rocket::fairing::AdHoc;
use rocket::form::{Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::outcome::{try_outcome, IntoOutcome};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::time::{Duration, OffsetDateTime};
use rocket::{catch, catchers, get, launch, post, routes, uri, Build, Rocket, State};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};
use std::num::{NonZeroU32, NonZeroUsize};

mod keys;
mod store;

use store::Store;

#[cfg(test)]
mod tests;

/// One private cookie holds the session's id, as Flask-Session's cookie `session` does.
const SESSION_COOKIE: &str = "session";

// ANCHOR: config
/// This lesson's settings, from Rocket.toml or `ROCKET_<NAME>`.
#[derive(Deserialize)]
struct SessionConfig {
    #[serde(default = "five_minutes")]
    session_lifetime: NonZeroU32,
    /// Seconds after login when the session ends, however busy (Flask has no such setting).
    session_absolute_lifetime: Option<NonZeroU32>,
    /// Flask-Session's `SESSION_TYPE = "redis"`: `redis://host:port`; unset, this process's memory.
    session_store: Option<String>,
    /// How many sessions the memory store holds at most (cachelib's `threshold`).
    #[serde(default = "a_small_servers_worth")]
    session_store_capacity: NonZeroUsize,
    /// Flask's `SESSION_COOKIE_SECURE`, for a server behind a TLS-terminating proxy.
    #[serde(default)]
    cookie_secure: bool,
    /// Flask 3.1's `SECRET_KEY_FALLBACKS`: old keys, one or a list, each as `secret_key` takes it.
    #[serde(default, deserialize_with = "keys::fallbacks")]
    secret_key_fallbacks: Vec<Key>,
}

/// The seeds' five minutes (Flask's own default is 31 days).
fn five_minutes() -> NonZeroU32 {
    NonZeroU32::new(300).expect("300 is not zero")
}

/// About 30 MiB of sessions: `tools/bench/run --lesson-07-only` measured 311 to 327 bytes each.
fn a_small_servers_worth() -> NonZeroUsize {
    NonZeroUsize::new(100_000).expect("100 000 is not zero")
}

impl SessionConfig {
    fn lifetime(&self) -> TimeDelta {
        TimeDelta::seconds(self.session_lifetime.get().into())
    }

    /// When a session that started then ends however busy, if this server has such an end.
    fn absolute_end(&self, started: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let seconds = self.session_absolute_lifetime?;
        Some(started + TimeDelta::seconds(seconds.get().into()))
    }

    // ANCHOR: expiry
    fn ends(&self, now: DateTime<Utc>, started: DateTime<Utc>) -> DateTime<Utc> {
        let sliding = now + self.lifetime();
        self.absolute_end(started)
            .map_or(sliding, |end| sliding.min(end))
    }
    // ANCHOR_END: expiry
}
// ANCHOR_END: config

// ANCHOR: session_data
/// Flask's session dict, typed, kept in the store under its id; templates see it as `session`.
#[derive(Clone, Serialize, Deserialize)]
struct SessionData {
    user: String,
    /// Flask's `session.permanent`: the "Keep me signed in" box.
    permanent: bool,
    /// The login: where the absolute lifetime counts from.
    started: DateTime<Utc>,
    /// Refused from then on; Redis forgets it then, the memory store at a later login.
    expires: DateTime<Utc>,
    /// The login, to the nanosecond: which of a user's sessions is the oldest, even of several
    /// made within one second.
    #[serde(default)]
    logged_in: DateTime<Utc>,
}
// ANCHOR_END: session_data

/// How many sessions one user may have; a login beyond that ends the oldest.
const SESSIONS_PER_USER: usize = 3;

// ANCHOR: store
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
    /// A value no key opens: forged, changed, cut short or made with another key.
    Unreadable,
    Id(SentId),
}

/// A session id from the cookie, and whether it took one of the old keys to decrypt it.
struct SentId {
    id: String,
    old_key: bool,
}

/// The request's `Carried`, decrypted once per request (Rocket's request-local cache) for the
/// guard and the panel.
fn carried<'r>(request: &'r Request<'_>) -> &'r Carried {
    let config: &SessionConfig = request.rocket().state().expect("managed by AdHoc::config");
    request.local_cache(|| read(request.cookies(), config))
}

fn read(jar: &CookieJar<'_>, config: &SessionConfig) -> Carried {
    let (opened, old_key) = match (jar.get_private(SESSION_COOKIE), jar.get(SESSION_COOKIE)) {
        (Some(cookie), _) => (cookie, false),
        (None, None) => return Carried::Nothing,
        (None, Some(sent)) => match keys::decrypt(&config.secret_key_fallbacks, sent) {
            Some(cookie) => (cookie, true),
            None => return Carried::Unreadable,
        },
    };
    let id = opened.value().to_owned();
    Carried::Id(SentId { id, old_key })
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
fn issue(jar: &CookieJar<'_>, id: &str, data: &mut SessionData, config: &SessionConfig) {
    let now = now();
    data.expires = config.ends(now, data.started);
    let cookie = Cookie::build((SESSION_COOKIE, id.to_owned()));
    let cookie = if data.permanent {
        let expires = OffsetDateTime::from_unix_timestamp(data.expires.timestamp())
            .expect("now plus at most 136 years is a date the time crate holds");
        cookie
            .max_age(Duration::seconds((data.expires - now).num_seconds()))
            .expires(expires)
    } else {
        cookie.expires(None)
    };
    // Flask's `SESSION_COOKIE_SECURE`; off, unset (not `false`), so Rocket adds it under TLS.
    let mut cookie = cookie.build();
    cookie.set_secure(config.cookie_secure.then_some(true));
    jar.add_private(cookie);
}
// ANCHOR_END: write

// ANCHOR: guard
/// A logged-in user: a session cookie that decrypts to the id of a session the store holds.
struct User {
    id: String,
    session: SessionData,
}

/// Whoever sent the request, looked up in the store once per request (Rocket's request-local
/// cache) for every guard and for the panel.
enum Visitor {
    LoggedIn(User),
    /// No cookie, one no key opens, or an id the store does not hold (or whose time is up).
    Stranger,
    /// The store did not answer, or refused: the request fails with 503.
    StoreDown,
}

impl Visitor {
    fn user(&self) -> Option<&User> {
        match self {
            Visitor::LoggedIn(user) => Some(user),
            _ => None,
        }
    }

    async fn look_up(request: &Request<'_>) -> Visitor {
        let config: &SessionConfig = request.rocket().state().expect("managed by AdHoc::config");
        let store: &Store = request.rocket().state().expect("managed by open_store");
        let Carried::Id(SentId { id, old_key }) = carried(request) else {
            return Visitor::Stranger;
        };
        let jar = request.cookies();
        let id = id.clone();
        let mut session = match store.get(&id).await {
            Ok(Some(session)) if session.is_current(now(), config.lifetime()) => session,
            Ok(_) => return Visitor::Stranger,
            Err(_) => return Visitor::StoreDown,
        };
        // Flask's `SESSION_REFRESH_EACH_REQUEST`; a cookie under an old key is re-issued now.
        if session.permanent || *old_key {
            issue(jar, &id, &mut session, config);
            if store.refresh(&id, &session).await.is_err() {
                return Visitor::StoreDown;
            }
        }
        Visitor::LoggedIn(User { id, session })
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for &'r Visitor {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match request.local_cache_async(Visitor::look_up(request)).await {
            Visitor::StoreDown => Outcome::Error((Status::ServiceUnavailable, ())),
            visitor => Outcome::Success(visitor),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for &'r User {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let visitor = try_outcome!(request.guard::<&Visitor>().await);
        visitor.user().or_forward(Status::Unauthorized)
    }
}
// ANCHOR_END: guard

// ANCHOR: unavailable
/// Answers every `Err(Status::ServiceUnavailable)`; Rocket drops the request's cookie changes.
#[catch(503)]
fn unavailable() -> Page {
    render(None, "unavailable", context! {})
}
// ANCHOR_END: unavailable

// ANCHOR: render
/// Lesson 05's way to give every template `session` (`{}` without one).
fn render(user: Option<&User>, name: &'static str, values: impl Serialize) -> Page {
    let page = Page::render(name, values);
    match user {
        Some(user) => page.with("session", &user.session),
        None => page.with("session", context! {}),
    }
}
// ANCHOR_END: render

#[get("/")]
fn home(visitor: &Visitor) -> Page {
    render(visitor.user(), "index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(visitor: &Visitor) -> Result<Page, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if visitor.user().is_some() {
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
    /// A ticked checkbox sends `remember=on`; an unticked one sends nothing: `false`.
    remember: bool,
}

/// The form again, with what was wrong; or 503, when the store cannot keep the session.
#[derive(rocket::Responder)]
enum Refused {
    Form((Status, Page)),
    StoreDown(Status),
}

#[post("/login", data = "<form>")]
async fn login<'r>(
    form: Form<Contextual<'r, Login<'r>>>,
    visitor: &Visitor,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
    store: &State<Store>,
) -> Result<Redirect, Refused> {
    let Some(login) = &form.value else {
        let remember = form.context.field_value("remember").is_some();
        let values = context! { form: &form.context, remember };
        let page = render(visitor.user(), "login", values);
        return Err(Refused::Form((form.context.status(), page)));
    };
    // Flask-Session: `regenerate(session)`, then `session["user"] = name`, in a new session.
    let mut data = SessionData {
        user: login.nm.trim().to_owned(),
        permanent: login.remember,
        started: now(),
        expires: now(),
        logged_in: Utc::now(),
    };
    let id = new_id();
    issue(jar, &id, &mut data, config);
    store.insert(&id, &data).await.map_err(Refused::StoreDown)?;
    // Against session fixation: the id the browser came with is deleted, once the new one is kept.
    if let Some(old) = visitor.user() {
        store.delete(&old.id).await.map_err(Refused::StoreDown)?;
    }
    // Counted once the old id is gone: logging in again in one browser takes no second place.
    let limited = store.keep_newest(&data.user, SESSIONS_PER_USER).await;
    limited.map_err(Refused::StoreDown)?;
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: user
#[get("/user")]
fn show_user(user: &User, config: &State<SessionConfig>) -> Page {
    let when = |time: DateTime<Utc>| time.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let values = context! {
        id: &user.id,
        expires_at: when(user.session.expires),
        seconds_left: (user.session.expires - now()).num_seconds(),
        absolute_end: config.absolute_end(user.session.started).map(when),
    };
    render(Some(user), "user", values)
}

#[get("/user", rank = 2)]
fn not_logged_in() -> Redirect {
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: user

// ANCHOR: logout
type ToLogin = Result<Redirect, Status>;

#[get("/logout")]
async fn logout(visitor: &Visitor, jar: &CookieJar<'_>, store: &State<Store>) -> ToLogin {
    // Flask-Session: `session.clear()` deletes the record, so a copy of the cookie is worthless.
    if let Some(user) = visitor.user() {
        store.delete(&user.id).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
#[post("/logout/everywhere")]
async fn logout_everywhere(
    visitor: &Visitor,
    jar: &CookieJar<'_>,
    store: &State<Store>,
) -> ToLogin {
    // Every session of this user ends, in every browser, on every server sharing the store.
    if let Some(user) = visitor.user() {
        store.delete_all_of(&user.session.user).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: panel
const UNREADABLE: &str = "Could not be read with this server's key nor any of its fallbacks \
    (forged, changed, cut short or made with another key): ignored, you are not logged in.";

const NOT_HELD: &str = ", which the store does not hold (logged out, ended everywhere, lost when \
    the server restarted, dropped to make room) or whose time is up: you are not logged in.";

/// The panel's line for the cookie `session`: what `read` makes of it, and what the guards found.
fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    if cookie.name() != SESSION_COOKIE {
        return None;
    }
    let Carried::Id(SentId { id, old_key }) = carried(request) else {
        return Some(UNREADABLE.to_owned());
    };
    let (key, reissued) = match old_key {
        true => (
            "an OLD key (secret_key_fallbacks)",
            " This response re-issues it under the current key.",
        ),
        false => ("this server's key", ""),
    };
    let held = match request.local_cache(|| Visitor::StoreDown) {
        Visitor::LoggedIn(User { session, .. }) => format!(
            ": that is all the cookie holds. Under that id the store holds {} for {} more seconds.{reissued}",
            serde_json::to_string(session).unwrap_or_default(),
            (session.expires - now()).num_seconds(),
        ),
        Visitor::Stranger => NOT_HELD.to_owned(),
        Visitor::StoreDown => ", not looked up: the session store did not answer or refused (the \
            server's log says which)."
            .to_owned(),
    };
    Some(format!("Decrypted with {key} to the session id {id}{held}"))
}
// ANCHOR_END: panel

// ANCHOR: open_store
/// Memory, or a Redis that must answer now: better no server than one that cannot keep a login.
fn open_store() -> AdHoc {
    AdHoc::try_on_ignite("Session store", |rocket| async {
        // No settings: their fairing failed, and Rocket refuses the launch after the fairings.
        let Some(config) = rocket.state::<SessionConfig>() else {
            return Ok(rocket);
        };
        let Some(url) = config.session_store.clone() else {
            let memory = Store::memory(config.session_store_capacity);
            return Ok(rocket.manage(memory));
        };
        match Store::redis(&url, config.lifetime()).await {
            Ok(redis) => Ok(rocket.manage(redis)),
            Err(error) => {
                let fix = "Point ROCKET_SESSION_STORE at a Redis that answers, or unset it.";
                rocket::error!("Session store: {error}. {fix}");
                Err(rocket)
            }
        }
    })
}
// ANCHOR_END: open_store

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    // No secret key here: debug builds make one up at each launch, release builds refuse to start.
    rocket::custom(lesson_support::figment(8007, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        // Reads the settings at launch; a bad value stops it, naming where it came from.
        .attach(AdHoc::config::<SessionConfig>())
        .attach(open_store())
        .mount("/", routes![home, login_form, login, show_user])
        .mount("/", routes![not_logged_in, logout, logout_everywhere])
        .register("/", catchers![unavailable])
}
// ANCHOR_END: rocket
