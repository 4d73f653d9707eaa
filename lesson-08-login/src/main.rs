//! Lesson 08: seed 002's username and password done right, on lesson 06's server-side sessions:
//! Argon2id hashes, one answer for every failed login, a CSRF token on every POST form (login
//! CSRF), a throttle against guessing, and a password change that ends the other sessions.
//!
//! Run: `cargo run -p lesson-08`, then open <http://127.0.0.1:8008> (account `demo`, see README).
//! Chapter: docs/src/lesson-08.md.

use accounts::{Accounts, Throttle};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use csrf::Token;
use lesson_support::Page;
use rocket::fairing::AdHoc;
use rocket::form::{self, Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Header, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{Redirect, Responder};
use rocket::time::{Duration, OffsetDateTime};
use rocket::{get, launch, post, routes, uri, Build, Rocket, State};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard, PoisonError};

mod accounts;
mod csrf;
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
// ANCHOR_END: config

// ANCHOR: session_data
/// Flask's session dict, typed, kept on the server under its id; templates see it as `session`.
#[derive(Clone, Serialize)]
struct SessionData {
    /// The username once logged in, none in a pre-session. Never the password, nor its hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    /// Flask's `session.permanent`: the "Keep me signed in" box.
    permanent: bool,
    /// The server refuses the session from then on (the record stays until a login sweeps it).
    expires: DateTime<Utc>,
    /// What every POST form of this session must send back (Flask-WTF's `csrf_token`).
    csrf_token: String,
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

/// A new session id, CSRF token or salt: 128 random bits from the operating system, in hex.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the operating system's random number generator");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
// ANCHOR_END: store

// ANCHOR: expiry
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
// ANCHOR_END: expiry

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
/// Whoever carries a current session of this server: logged in, or a pre-session.
#[derive(Clone)]
struct Visitor {
    id: String,
    session: SessionData,
}

/// What the request's cookie `session` led to.
enum Carried {
    /// No cookie, or one this server's key does not open (forged, changed, cut short, another's).
    NoId,
    /// An id the store does not hold, or whose time is up.
    Gone(String),
    Current(Visitor),
}

/// Decrypts the cookie and looks its id up in the store.
fn look_up(jar: &CookieJar<'_>, store: &Store, lifetime: TimeDelta) -> Carried {
    let Some(cookie) = jar.get_private(SESSION_COOKIE) else {
        return Carried::NoId;
    };
    let id = cookie.value().to_owned();
    match store.sessions().get_mut(&id) {
        Some(data) if data.is_current(now(), lifetime) => {
            // Flask's `SESSION_REFRESH_EACH_REQUEST`: a permanent session slides forward.
            if data.permanent {
                write(jar, &id, data, lifetime);
            }
            let session = data.clone();
            Carried::Current(Visitor { id, session })
        }
        _ => Carried::Gone(id),
    }
}

/// This request's session, and a method for each thing a handler does to sessions (zero2prod's
/// `TypedSession`).
struct Session<'r> {
    carried: &'r Carried,
    jar: &'r CookieJar<'r>,
    store: &'r Store,
    lifetime: TimeDelta,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session<'r> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let store = try_outcome!(request.guard::<&State<Store>>().await).inner();
        let config = try_outcome!(request.guard::<&State<SessionConfig>>().await);
        let lifetime = TimeDelta::seconds(config.session_lifetime.get().into());
        Outcome::Success(Session {
            // Looked up once per request: `User` and the panel read it from Rocket's local cache.
            carried: request.local_cache(|| look_up(request.cookies(), store, lifetime)),
            jar: request.cookies(),
            store,
            lifetime,
        })
    }
}

/// A logged-in user: a visitor whose session holds a username.
struct User<'r>(&'r Visitor);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User<'r> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let session = try_outcome!(request.guard::<Session<'r>>().await);
        match session.carried {
            Carried::Current(visitor) if visitor.session.user.is_some() => {
                Outcome::Success(User(visitor))
            }
            _ => Outcome::Forward(Status::Unauthorized),
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: session
impl Session<'_> {
    /// A new session under a new id and with a new token, in place of the one the browser came
    /// with: no id from before a login survives it (session fixation).
    fn start(&self, user: Option<String>, permanent: bool) -> Visitor {
        let mut sessions = self.store.sessions();
        if let Carried::Gone(old) | Carried::Current(Visitor { id: old, .. }) = self.carried {
            sessions.remove(old);
        }
        // Expired sessions are swept out here, so the map holds one lifetime's worth.
        sessions.retain(|_, session| session.expires > now());
        let (id, csrf_token) = (new_id(), new_id());
        let mut session = SessionData {
            user,
            permanent,
            expires: now(),
            csrf_token,
        };
        write(self.jar, &id, &mut session, self.lifetime);
        sessions.insert(id.clone(), session.clone());
        Visitor { id, session }
    }

    /// Flask-Session's `session.clear()` deletes the record, so a copy of the cookie is worthless.
    fn end(&self, visitor: &Visitor) {
        self.store.sessions().remove(&visitor.id);
        self.jar.remove_private(SESSION_COOKIE);
    }

    /// Every session of this user ends, in every browser: only a server-side session can do this.
    fn end_everywhere(&self, user: &str) {
        let mut sessions = self.store.sessions();
        sessions.retain(|_, session| session.user.as_deref() != Some(user));
    }
}
// ANCHOR_END: session

// ANCHOR: refusal
/// Every answer a POST form can get besides its redirect: a 403 for a missing or foreign token,
/// the form again with why it was refused (422), or a 429 for a username with too many failures.
#[derive(Responder)]
enum Refusal {
    #[response(status = 403)]
    Forged(Page),
    Form((Status, Page)),
    #[response(status = 429)]
    Throttled(Page, Header<'static>),
}

impl Refusal {
    /// The 429, its `Retry-After` saying how many seconds to wait.
    fn throttled(page: Page, retry_after: i64) -> Refusal {
        Refusal::Throttled(page, Header::new("Retry-After", retry_after.to_string()))
    }
}
// ANCHOR_END: refusal

// ANCHOR: render
/// Lesson 05's way to give every template `session` (`{}` without one).
fn render(visitor: Option<&Visitor>, name: &'static str, values: impl Serialize) -> Page {
    let page = Page::render(name, values);
    match visitor {
        Some(visitor) => page.with("session", &visitor.session),
        None => page.with("session", context! {}),
    }
}

/// The form page `name` again, with why it was refused.
fn again(visitor: &Visitor, name: &'static str, context: &form::Context<'_>) -> Refusal {
    let values = context! { form: context, remember: context.field_value("remember").is_some() };
    Refusal::Form((context.status(), render(Some(visitor), name, values)))
}
// ANCHOR_END: render

#[get("/")]
fn home(user: Option<User<'_>>) -> Page {
    render(user.map(|user| user.0), "index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(session: Session<'_>) -> Result<Page, Redirect> {
    let visitor = session.or_pre_session();
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if visitor.session.user.is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(render(Some(&visitor), "login", context! { remember: true }))
}
// ANCHOR_END: login_form

// ANCHOR: login
#[derive(FromForm)]
struct Login<'r> {
    #[field(validate = len(1..))]
    username: &'r str,
    #[field(validate = len(1..))]
    password: &'r str,
    /// A ticked checkbox sends `remember=on`; an unticked one sends nothing: `false`.
    remember: bool,
}

#[post("/login", data = "<form>")]
async fn login<'r>(
    mut form: Form<Contextual<'r, Login<'r>>>,
    session: Session<'_>,
    accounts: &State<Accounts>,
    throttle: &State<Throttle>,
) -> Result<Redirect, Refusal> {
    let visitor = session.check(form.context.field_value("csrf_token"))?;
    let Some(login) = &form.value else {
        return Err(again(visitor, "login", &form.context));
    };
    let username = login.username.trim();
    // Refused without a look at the password: the right one too.
    if let Some(retry_after) = throttle.retry_after(username) {
        let values = context! { retry_after, remember: true };
        let page = render(Some(visitor), "login", values);
        return Err(Refusal::throttled(page, retry_after));
    }
    if !accounts.verify(username, login.password).await {
        throttle.failed(username);
        // One answer for an unknown username and a wrong password alike.
        let invalid = form::Error::validation("Invalid username or password.");
        form.context.push_error(invalid);
        return Err(again(visitor, "login", &form.context));
    }
    throttle.passed(username);
    // Flask: `session["user"] = username`, in a new session.
    session.start(Some(username.to_owned()), login.remember);
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: signup
#[derive(FromForm)]
struct Signup<'r> {
    #[field(validate = lesson_support::name())]
    username: &'r str,
    #[field(validate = accounts::password_rules())]
    password: &'r str,
}

#[get("/signup")]
fn signup_form(session: Session<'_>) -> Page {
    render(Some(&session.or_pre_session()), "signup", context! {})
}

#[post("/signup", data = "<form>")]
async fn signup<'r>(
    mut form: Form<Contextual<'r, Signup<'r>>>,
    session: Session<'_>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Refusal> {
    let visitor = session.check(form.context.field_value("csrf_token"))?;
    let Some(signup) = &form.value else {
        return Err(again(visitor, "signup", &form.context));
    };
    let username = signup.username.trim().to_owned();
    if !accounts.add(&username, signup.password).await {
        let taken = form::Error::validation("That username is taken.");
        form.context.push_error(taken.with_name("username"));
        return Err(again(visitor, "signup", &form.context));
    }
    session.start(Some(username), false);
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: signup

// ANCHOR: user
/// The user page, with why a password change was refused if it was.
fn user_page(visitor: &Visitor, form: &form::Context<'_>) -> Page {
    let expires = visitor.session.expires;
    let values = context! {
        id: &visitor.id,
        expires_at: expires.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        seconds_left: (expires - now()).num_seconds(),
        form,
    };
    render(Some(visitor), "user", values)
}

#[get("/user")]
fn show_user(user: User<'_>) -> Page {
    user_page(user.0, &form::Context::default())
}

#[get("/user", rank = 2)]
fn not_logged_in() -> Redirect {
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: user

// ANCHOR: password
#[derive(FromForm)]
struct PasswordChange<'r> {
    current: &'r str,
    #[field(validate = accounts::password_rules())]
    new: &'r str,
}

#[post("/password", data = "<form>")]
async fn change_password<'r>(
    mut form: Form<Contextual<'r, PasswordChange<'r>>>,
    session: Session<'_>,
    accounts: &State<Accounts>,
    throttle: &State<Throttle>,
) -> Result<Redirect, Refusal> {
    let visitor = session.check(form.context.field_value("csrf_token"))?;
    let Some(name) = visitor.session.user.clone() else {
        return Ok(Redirect::to(uri!(login_form)));
    };
    // A password typed here is a guess like a login's, or a stolen session could guess freely.
    if let Some(retry_after) = throttle.retry_after(&name) {
        let wait = format!("Too many wrong passwords. Try again in {retry_after} seconds.");
        form.context.push_error(form::Error::validation(wait));
        let page = user_page(visitor, &form.context);
        return Err(Refusal::throttled(page, retry_after));
    }
    if let Some(change) = &form.value {
        // Re-authentication: whoever holds the session must also know the password.
        if accounts.verify(&name, change.current).await {
            throttle.passed(&name);
            accounts.change_password(&name, change.new).await;
            // Lesson 06's "log out everywhere", now with its real trigger; this browser stays.
            session.end_everywhere(&name);
            session.start(Some(name), visitor.session.permanent);
            return Ok(Redirect::to(uri!(show_user)));
        }
        throttle.failed(&name);
        let wrong = form::Error::validation("That is not your current password.");
        form.context.push_error(wrong.with_name("current"));
    }
    let page = user_page(visitor, &form.context);
    Err(Refusal::Form((form.context.status(), page)))
}
// ANCHOR_END: password

// ANCHOR: logout
#[post("/logout", data = "<form>")]
fn logout(form: Form<Token<'_>>, session: Session<'_>) -> Result<Redirect, Refusal> {
    let visitor = session.check(form.csrf_token)?;
    session.end(visitor);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
#[post("/logout/everywhere", data = "<form>")]
fn logout_everywhere(form: Form<Token<'_>>, session: Session<'_>) -> Result<Redirect, Refusal> {
    let visitor = session.check(form.csrf_token)?;
    session.end(visitor);
    if let Some(me) = &visitor.session.user {
        session.end_everywhere(me);
    }
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: panel
const UNREADABLE: &str = "Could not be read with this server's key (forged, changed, cut short \
    or made with another key): ignored, you are not logged in.";

/// The panel's line for the cookie `session`: what the `Session` guard found, not decrypted again.
fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    if cookie.name() != SESSION_COOKIE {
        return None;
    }
    // Every page's handler takes `Session` (`User` takes it too): the closure never runs.
    match request.local_cache(|| Carried::NoId) {
        Carried::NoId => Some(UNREADABLE.to_owned()),
        Carried::Gone(id) => Some(format!(
            "Decrypted with this server's key to the session id {id}, which the store does not \
             hold (logged out, ended everywhere, lost when the server restarted) or whose time \
             is up: you are not logged in."
        )),
        Carried::Current(Visitor { id, session }) => Some(format!(
            "Decrypted with this server's key to the session id {id}: that is all the cookie \
             holds. Under that id the store holds {} for {} more seconds.",
            serde_json::to_string(session).unwrap_or_default(),
            (session.expires - now()).num_seconds()
        )),
    }
}
// ANCHOR_END: panel

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    // No secret key here: debug builds make one up at each launch, release builds refuse to start.
    rocket::custom(lesson_support::figment(8008, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        // Reads `session_lifetime` at launch; a bad value stops it, naming where it came from.
        .attach(AdHoc::config::<SessionConfig>())
        .attach(AdHoc::config::<Throttle>())
        // Every page shows the session (the nav, the panel): no cache may keep one.
        .attach(AdHoc::on_response("no-store", |_, response| {
            Box::pin(async move {
                response.set_raw_header("Cache-Control", "no-store");
            })
        }))
        .manage(Store::default())
        .manage(Accounts::with_demo())
        .mount("/", routes![home, login_form, login, signup_form, signup])
        .mount("/", routes![show_user, not_logged_in, change_password])
        .mount("/", routes![logout, logout_everywhere])
}
// ANCHOR_END: rocket
