//! Lesson 07: lesson 06 made ready for production: a store several servers share (Redis), a 503
//! page while it is down, `secret_key_fallbacks`, `cookie_secure`, `session_absolute_lifetime`.
//! Run: `cargo run -p lesson-07`, then open <http://127.0.0.1:8007>. Chapter: docs/src/lesson-07.md.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use cookie::Key;
use lesson_support::Page;
use rocket::fairing::AdHoc;
use rocket::figment::value::Value;
use rocket::form::{Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::outcome::{try_outcome, IntoOutcome};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::time::{Duration, OffsetDateTime};
use rocket::{catch, catchers, get, launch, post, routes, uri, Build, Rocket, State};
use rocket_dyn_templates::{context, Template};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

mod store;

use store::{MemoryStore, RedisStore, SessionStore};

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
    /// Flask-Session's `SESSION_TYPE = "redis"`: `redis://host:port`; not set, this process's memory.
    session_store: Option<String>,
    /// Flask's `SESSION_COOKIE_SECURE`, for a server behind a TLS-terminating proxy.
    #[serde(default)]
    cookie_secure: bool,
    /// Flask 3.1's `SECRET_KEY_FALLBACKS`: old keys, one or a list, each as `secret_key` takes it.
    #[serde(default, deserialize_with = "fallbacks")]
    secret_key_fallbacks: Vec<Key>,
}

/// The seeds' five minutes (Flask's own default is 31 days).
fn five_minutes() -> NonZeroU32 {
    NonZeroU32::new(300).expect("300 is not zero")
}

impl SessionConfig {
    fn lifetime(&self) -> TimeDelta {
        TimeDelta::seconds(self.session_lifetime.get().into())
    }

    // ANCHOR: expiry
    fn ends(&self, now: DateTime<Utc>, started: DateTime<Utc>) -> DateTime<Utc> {
        let sliding = now + self.lifetime();
        let absolute = self.session_absolute_lifetime.map(|s| s.get().into());
        absolute.map_or(sliding, |s| sliding.min(started + TimeDelta::seconds(s)))
    }
    // ANCHOR_END: expiry
}
// ANCHOR_END: config

// ANCHOR: fallbacks
/// Read from figment's `Value`, so that the message for a bad entry does not quote it.
fn fallbacks<'de, D: Deserializer<'de>>(given: D) -> Result<Vec<Key>, D::Error> {
    let entries = match <Value as Deserialize>::deserialize(given)? {
        Value::Array(_, entries) => entries,
        one => vec![one],
    };
    let keys: Option<_> = entries.iter().map(|e| key_from(e.as_str()?)).collect();
    let bad = "an entry is not a key as `secret_key` takes it (the entry is not shown)";
    keys.ok_or_else(|| D::Error::custom(bad))
}

/// The text turned into a key as Rocket turns `secret_key` (rocket-0.5.2 `config/secret_key.rs`).
fn key_from(text: &str) -> Option<Key> {
    let mut buf = [0u8; 96];
    let bytes = match text.len() {
        44 | 88 => binascii::b64decode(text.as_bytes(), &mut buf).ok()?,
        64 => binascii::hex2bin(text.as_bytes(), &mut buf).ok()?,
        _ => return None,
    };
    match bytes.len() {
        n if n < 32 || bytes.iter().all(|b| *b == 0) => None,
        n if n < 64 => Some(Key::derive_from(bytes)),
        _ => Some(Key::from(bytes)),
    }
}
// ANCHOR_END: fallbacks

// ANCHOR: session_data
/// Flask's session dict, typed, kept in the store under its id; templates see it as `session`.
#[derive(Clone, Serialize, Deserialize)]
struct SessionData {
    user: String,
    /// Flask's `session.permanent`: the "Keep me signed in" box.
    permanent: bool,
    /// The login: where the absolute lifetime counts from.
    started: DateTime<Utc>,
    /// Refused from then on; Redis forgets it then, the memory store at the next login.
    expires: DateTime<Utc>,
}
// ANCHOR_END: session_data

// ANCHOR: store
type Store = Box<dyn SessionStore>;

/// A new session id: 128 random bits from the operating system, in hex.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the operating system's random number generator");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
// ANCHOR_END: store

// ANCHOR: read
/// The session id the request carried, and whether it took one of the old keys to decrypt it.
fn read(jar: &CookieJar<'_>, config: &SessionConfig) -> Option<(String, bool)> {
    if let Some(cookie) = jar.get_private(SESSION_COOKIE) {
        return Some((cookie.value().to_owned(), false));
    }
    let sent = jar.get(SESSION_COOKIE)?;
    let mut keys = config.secret_key_fallbacks.iter();
    let old = keys.find_map(|key| cookie::CookieJar::new().private(key).decrypt(sent.clone()))?;
    Some((old.value().to_owned(), true))
}

impl SessionData {
    /// Not expired, and not claiming more time than the current lifetime (after it was cut).
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
/// Gives the session a fresh expiry and sends its id: permanent with both `Max-Age` and
/// `Expires` (with `Max-Age` alone Rocket adds a one-week `Expires`), else a browser-session cookie.
fn write(jar: &CookieJar<'_>, id: &str, data: &mut SessionData, config: &SessionConfig) {
    let now = now();
    data.expires = config.ends(now, data.started);
    let cookie = Cookie::build((SESSION_COOKIE, id.to_owned()));
    let cookie = match OffsetDateTime::from_unix_timestamp(data.expires.timestamp()) {
        Ok(expires) if data.permanent => cookie
            .max_age(Duration::seconds((data.expires - now).num_seconds()))
            .expires(expires),
        _ => cookie.expires(None),
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

/// What the store answered for the request's id, kept for the panel: `Err`, it did not answer.
struct Held(Result<Option<SessionData>, ()>);

const OUTAGE: (Status, ()) = (Status::ServiceUnavailable, ());

/// Whoever sent the request: `Some(user)` when its cookie names a session the store holds.
/// Rocket's own `Option<User>` would be `None` when the store fails; this fails the request.
struct Visitor(Option<User>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Visitor {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let store = try_outcome!(request.guard::<&State<Store>>().await);
        let config = try_outcome!(request.guard::<&State<SessionConfig>>().await);
        let Some((id, old_key)) = read(request.cookies(), config) else {
            return Outcome::Success(Visitor(None));
        };
        let held = try_outcome!(store.get(&id).await.ok().or_error(OUTAGE));
        let mut held = held.filter(|data| data.is_current(now(), config.lifetime()));
        // Flask's `SESSION_REFRESH_EACH_REQUEST`; a cookie under an old key is re-issued now.
        if let Some(data) = held.as_mut().filter(|data| data.permanent || old_key) {
            write(request.cookies(), &id, data, config);
            try_outcome!(store.write(&id, data, true).await.ok().or_error(OUTAGE));
        }
        let held = request.local_cache(|| Held(Ok(held))).0.clone();
        let user = held.ok().flatten().map(|session| User { id, session });
        Outcome::Success(Visitor(user))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let visitor = try_outcome!(request.guard::<Visitor>().await);
        visitor.0.or_forward(Status::Unauthorized)
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
fn home(user: Visitor) -> Page {
    render(user.0.as_ref(), "index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(user: Visitor) -> Result<Page, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if user.0.is_some() {
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

#[derive(rocket::Responder)]
enum Refused {
    Form((Status, Page)),
    Unavailable(Status),
}

#[post("/login", data = "<form>")]
async fn login<'r>(
    form: Form<Contextual<'r, Login<'r>>>,
    user: Visitor,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
    store: &State<Store>,
) -> Result<Redirect, Refused> {
    let Some(login) = &form.value else {
        let remember = form.context.field_value("remember").is_some();
        let values = context! { form: &form.context, remember };
        let page = render(user.0.as_ref(), "login", values);
        return Err(Refused::Form((form.context.status(), page)));
    };
    // Flask-Session: `regenerate(session)`, then `session["user"] = name`, in a new session.
    let mut data = SessionData {
        user: login.nm.trim().to_owned(),
        permanent: login.remember,
        started: now(),
        expires: now(),
    };
    let id = new_id();
    write(jar, &id, &mut data, config);
    let kept = store.write(&id, &data, false).await;
    kept.map_err(Refused::Unavailable)?;
    // Against session fixation: the id the browser came with is deleted, once the new one is kept.
    if let Some(old) = user.0 {
        store.delete(&old.id).await.map_err(Refused::Unavailable)?;
    }
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
type ToLogin = Result<Redirect, Status>;

#[get("/logout")]
async fn logout(user: Visitor, jar: &CookieJar<'_>, store: &State<Store>) -> ToLogin {
    // Flask-Session: `session.clear()` deletes the record, so a copy of the cookie is worthless.
    if let Some(user) = user.0 {
        store.delete(&user.id).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
#[post("/logout/everywhere")]
async fn logout_everywhere(user: Visitor, jar: &CookieJar<'_>, store: &State<Store>) -> ToLogin {
    // Every session of this user ends, in every browser, on every server sharing the store.
    if let Some(User { session: me, .. }) = user.0 {
        store.delete_all_of(&me.user).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: panel
const UNREADABLE: &str = "Could not be read with this server's key nor any of its fallbacks \
    (forged, changed, cut short or made with another key): ignored, you are not logged in.";

fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    (cookie.name() == SESSION_COOKIE).then_some(())?;
    let config = request.rocket().state::<SessionConfig>()?;
    let Some((id, old_key)) = read(request.cookies(), config) else {
        return Some(UNREADABLE.to_owned());
    };
    let key = match old_key {
        true => "an OLD key (secret_key_fallbacks)",
        false => "this server's key",
    };
    let held = match &request.local_cache(|| Held(Err(()))).0 {
        Ok(Some(data)) => format!(
            ": that is all the cookie holds. Under that id the store holds {} for {} more seconds.{}",
            serde_json::to_string(data).unwrap_or_default(),
            (data.expires - now()).num_seconds(),
            if old_key { " This response re-issues it under the current key." } else { "" }
        ),
        Ok(None) => ", which the store does not hold (logged out, ended everywhere, lost when the \
            server restarted) or whose time is up: you are not logged in."
            .to_owned(),
        Err(()) => ", not looked up: the session store did not answer.".to_owned(),
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
            return Ok(rocket.manage(Box::new(MemoryStore::default()) as Store));
        };
        match RedisStore::connect(&url, config.lifetime()).await {
            Ok(redis) => Ok(rocket.manage(Box::new(redis) as Store)),
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
    // No secret key here: debug builds make a random one per launch, release builds refuse to start.
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
