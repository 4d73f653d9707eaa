//! Lesson 08: seed 002's username and password done right, on lesson 06's server-side sessions:
//! Argon2id hashes in a user table, one answer for every failed login, a CSRF token on every POST
//! form (login CSRF), a throttle against guessing, and a password change that ends the other sessions.
//!
//! Run: `cargo run -p lesson-08`, then open <http://127.0.0.1:8008> (account `demo`, see README).
//! Chapter: docs/src/lesson-08.md.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lesson_support::Page;
use rocket::fairing::AdHoc;
use rocket::form::{self, Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Header, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{Redirect, Responder};
use rocket::time::{Duration, OffsetDateTime};
use rocket::tokio::task::spawn_blocking;
use rocket::{get, launch, post, routes, uri, Build, Rocket, State};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};
use std::collections::hash_map::{Entry, HashMap};
use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard, PoisonError};
use subtle::ConstantTimeEq;

#[cfg(test)]
mod tests;

/// One private cookie holds the session's id, as Flask-Session's cookie `session` does.
const SESSION_COOKIE: &str = "session";

// ANCHOR: config
/// Lesson 04's `session_lifetime`, and the throttle: `login_attempts` failures for one username
/// within `login_window` seconds, and that username is refused until the window has passed.
#[derive(Deserialize)]
struct SessionConfig {
    #[serde(default = "five_minutes")]
    session_lifetime: NonZeroU32,
    #[serde(default = "five")]
    login_attempts: NonZeroU32,
    #[serde(default = "fifteen_minutes")]
    login_window: NonZeroU32,
}

/// The seeds' five minutes (Flask's own default is 31 days).
fn five_minutes() -> NonZeroU32 {
    NonZeroU32::new(300).expect("300 is not zero")
}

fn five() -> NonZeroU32 {
    NonZeroU32::new(5).expect("5 is not zero")
}

fn fifteen_minutes() -> NonZeroU32 {
    NonZeroU32::new(900).expect("900 is not zero")
}

impl SessionConfig {
    fn lifetime(&self) -> TimeDelta {
        TimeDelta::seconds(self.session_lifetime.get().into())
    }
}
// ANCHOR_END: config

// ANCHOR: session_data
/// Flask's session dict, typed, kept on the server under its id; templates see it as `session`.
/// A visitor who is not logged in has one too (a pre-session), holding only the CSRF token.
#[derive(Clone, Serialize)]
struct SessionData {
    /// The username, once logged in. Never the password, nor its hash.
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

/// A new session id or CSRF token: 128 random bits from the operating system, in hex.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the operating system's random number generator");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
// ANCHOR_END: store

// ANCHOR: accounts
/// The accounts: each username's Argon2id hash as a PHC string, which names the algorithm, its
/// parameters and the salt (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`); and the times of
/// each username's recent failed logins. A restart forgets both, as it forgets the sessions.
#[derive(Default)]
struct Accounts {
    hashes: Mutex<HashMap<String, String>>,
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The demo account (README): the hash of its password, never the password itself.
const DEMO: (&str, &str) = (
    "demo",
    "$argon2id$v=19$m=19456,t=2,p=1$q3L9+REes2mXMCuuvn6fPw$yPa7ooNCXPksjpYZB4eOK+WZCBvDlrs549sUrJjQZ4Y",
);
/// The hash of a random password no one knows, checked for an unknown username so that it takes
/// as long as a wrong password.
const DUMMY: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$yeIV7tsnUS2rN+Ksd3P7cQ$S6fdn+/eVRiX6z0hlrd+PbppPpN5Y+NyfN3QGmprjKo";

/// Whether one more login for a username may be tried now.
enum Throttle {
    Open,
    /// Too many failures within the window: the seconds until the oldest leaves it.
    Closed {
        retry_after: i64,
    },
}

impl Accounts {
    /// Adds the account, unless the username is taken.
    fn add<'v>(&self, username: &str, phc: String) -> Result<(), form::Error<'v>> {
        match lock(&self.hashes).entry(username.to_owned()) {
            Entry::Vacant(account) => {
                account.insert(phc);
                Ok(())
            }
            Entry::Occupied(_) => Err(form::Error::validation("That username is taken.")),
        }
    }

    /// Checks `password` against the account's hash, or against `DUMMY` for an unknown username.
    async fn verify(&self, username: &str, password: &str) -> bool {
        let phc = lock(&self.hashes).get(username).cloned();
        let known = phc.is_some();
        let (phc, password) = (phc.unwrap_or_else(|| DUMMY.to_owned()), password.to_owned());
        // Off Rocket's async workers: a hash takes tens of milliseconds of one core.
        let verified = spawn_blocking(move || {
            let hash = PasswordHash::new(&phc).expect("the table holds PHC strings");
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        });
        verified.await.unwrap_or(false) && known
    }

    fn throttle(&self, username: &str, config: &SessionConfig) -> Throttle {
        let window = TimeDelta::seconds(config.login_window.get().into());
        let mut failures = lock(&self.failures);
        let recent = failures.entry(username.to_owned()).or_default();
        recent.retain(|&time| time + window > Utc::now());
        match recent.first() {
            Some(&oldest) if recent.len() >= config.login_attempts.get() as usize => {
                let retry_after = (oldest + window - Utc::now()).num_seconds() + 1;
                Throttle::Closed { retry_after }
            }
            _ => Throttle::Open,
        }
    }
}

/// Argon2id with the `argon2` crate's defaults (m = 19 MiB, t = 2, p = 1), salted with 128
/// random bits.
async fn hash(password: &str) -> String {
    let (salt, password) = (new_id(), password.to_owned());
    let hashed = spawn_blocking(move || {
        let salt = SaltString::from_b64(&salt).expect("hex digits are base64");
        let hash = Argon2::default().hash_password(password.as_bytes(), &salt);
        hash.expect("the defaults hash any password").to_string()
    });
    hashed.await.expect("the hashing thread finished")
}
// ANCHOR_END: accounts

// ANCHOR: read
/// The session id the request carried, if it decrypts with this server's key.
fn read(jar: &CookieJar<'_>) -> Option<String> {
    Some(jar.get_private(SESSION_COOKIE)?.value().to_owned())
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
fn write(jar: &CookieJar<'_>, id: &str, data: &mut SessionData, lifetime: TimeDelta) {
    data.expires = now() + lifetime;
    let cookie = Cookie::build((SESSION_COOKIE, id.to_owned()));
    let cookie = match OffsetDateTime::from_unix_timestamp(data.expires.timestamp()) {
        Ok(expires) if data.permanent => cookie
            .max_age(Duration::seconds(lifetime.num_seconds()))
            .expires(expires),
        _ => cookie.expires(None),
    };
    jar.add_private(cookie);
}

/// A new session under a new id, with a new CSRF token, replacing the one the browser came with:
/// against session fixation, no id (or token) from before a login survives it.
fn start_session(
    jar: &CookieJar<'_>,
    sessions: &mut HashMap<String, SessionData>,
    user: Option<String>,
    permanent: bool,
    lifetime: TimeDelta,
) -> Visitor {
    if let Some(old) = read(jar) {
        sessions.remove(&old);
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
    write(jar, &id, &mut session, lifetime);
    sessions.insert(id.clone(), session.clone());
    Visitor { id, session }
}
// ANCHOR_END: write

// ANCHOR: guard
/// Whoever carries a current session of this server: logged in, or a pre-session.
#[derive(Clone)]
struct Visitor {
    id: String,
    session: SessionData,
}

/// Looks the session up once per request; every guard below reads the same answer.
async fn visitor<'r>(request: &'r Request<'_>) -> &'r Option<Visitor> {
    request
        .local_cache_async(async {
            let store = request.rocket().state::<Store>()?;
            let lifetime = request.rocket().state::<SessionConfig>()?.lifetime();
            let id = read(request.cookies())?;
            let mut sessions = store.sessions();
            // Not held (logged out, ended everywhere, from before a restart) or expired: none.
            let data = sessions
                .get_mut(&id)
                .filter(|data| data.is_current(now(), lifetime))?;
            // Flask's `SESSION_REFRESH_EACH_REQUEST`: a permanent session slides forward.
            if data.permanent {
                write(request.cookies(), &id, data, lifetime);
            }
            let session = data.clone();
            Some(Visitor { id, session })
        })
        .await
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Visitor {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match visitor(request).await {
            Some(visitor) => Outcome::Success(visitor.clone()),
            None => Outcome::Forward(Status::Unauthorized),
        }
    }
}

/// The session a page of forms needs to hold their token: a visitor without one gets a
/// pre-session (a browser-session cookie), as with Django and Flask-WTF.
struct FormSession(Visitor);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for FormSession {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        if let Some(visitor) = visitor(request).await {
            return Outcome::Success(FormSession(visitor.clone()));
        }
        let store = try_outcome!(request.guard::<&State<Store>>().await);
        let lifetime = try_outcome!(request.guard::<&State<SessionConfig>>().await).lifetime();
        let visitor = start_session(
            request.cookies(),
            &mut store.sessions(),
            None,
            false,
            lifetime,
        );
        Outcome::Success(FormSession(visitor))
    }
}

/// A logged-in user: a visitor whose session holds a username.
struct User(Visitor);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match visitor(request).await {
            Some(visitor) if visitor.session.user.is_some() => {
                Outcome::Success(User(visitor.clone()))
            }
            _ => Outcome::Forward(Status::Unauthorized),
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: csrf
/// Every answer a POST form can get besides its redirect.
#[derive(Responder)]
enum Refusal {
    /// The form did not send back the CSRF token of this browser's session.
    #[response(status = 403)]
    Forged(Page),
    /// The form again, with why it was refused: a field broke its rules, or a wrong login (422).
    Form((Status, Page)),
    /// Too many failed logins for this username.
    #[response(status = 429)]
    Throttled(Page, Header<'static>),
}

/// The visitor, if the form sent back the token of the session this browser carries (compared
/// in constant time: how long a refusal takes says nothing about how much of a guess was right).
fn check_token<'v>(
    visitor: Option<&'v Visitor>,
    sent: Option<&str>,
) -> Result<&'v Visitor, Refusal> {
    match (visitor, sent) {
        (Some(visitor), Some(sent))
            if bool::from(visitor.session.csrf_token.as_bytes().ct_eq(sent.as_bytes())) =>
        {
            Ok(visitor)
        }
        _ => Err(Refusal::Forged(render(None, "forbidden", context! {}))),
    }
}

/// A form with no field but the token.
#[derive(FromForm)]
struct Token<'r> {
    csrf_token: Option<&'r str>,
}
// ANCHOR_END: csrf

// ANCHOR: render
/// Lesson 05's way to give every template `session` (`{}` without one).
fn render(visitor: Option<&Visitor>, name: &'static str, values: impl Serialize) -> Page {
    let page = Page::render(name, values);
    match visitor {
        Some(visitor) => page.with("session", &visitor.session),
        None => page.with("session", context! {}),
    }
}

/// The form page `name` again, with the reasons in `context` and its status (422 for a rule broken).
fn again(visitor: &Visitor, name: &'static str, context: &form::Context<'_>) -> Refusal {
    let values = context! { form: context, remember: context.field_value("remember").is_some() };
    Refusal::Form((context.status(), render(Some(visitor), name, values)))
}
// ANCHOR_END: render

#[get("/")]
fn home(visitor: Option<Visitor>) -> Page {
    render(visitor.as_ref(), "index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(form_session: FormSession) -> Result<Page, Redirect> {
    let FormSession(visitor) = form_session;
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
    visitor: Option<Visitor>,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
    store: &State<Store>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Refusal> {
    let visitor = check_token(visitor.as_ref(), form.context.field_value("csrf_token"))?;
    let Some(login) = &form.value else {
        return Err(again(visitor, "login", &form.context));
    };
    let username = login.username.trim();
    if let Throttle::Closed { retry_after } = accounts.throttle(username, config) {
        let page = render(
            Some(visitor),
            "login",
            context! { retry_after, remember: true },
        );
        return Err(Refusal::Throttled(
            page,
            Header::new("Retry-After", retry_after.to_string()),
        ));
    }
    if !accounts.verify(username, login.password).await {
        lock(&accounts.failures)
            .entry(username.to_owned())
            .or_default()
            .push(Utc::now());
        // One answer for an unknown username and a wrong password alike.
        form.context
            .push_error(form::Error::validation("Invalid username or password."));
        return Err(again(visitor, "login", &form.context));
    }
    lock(&accounts.failures).remove(username);
    // Flask: `session["user"] = username`, in a new session (against session fixation).
    let user = Some(username.to_owned());
    start_session(
        jar,
        &mut store.sessions(),
        user,
        login.remember,
        config.lifetime(),
    );
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: signup
/// NIST SP 800-63B-4 §3.1.1.2: at least 15 characters for a password that is the only factor, at
/// least 64 allowed, and no other composition rules (no "a digit and a capital").
fn password_length<'v>(typed: &str) -> form::Result<'v, ()> {
    match typed.chars().count() {
        ..15 => Err(form::Error::validation(
            "A password needs at least 15 characters.",
        ))?,
        129.. => Err(form::Error::validation(
            "A password can have at most 128 characters.",
        ))?,
        _ => Ok(()),
    }
}

#[derive(FromForm)]
struct Signup<'r> {
    #[field(validate = lesson_support::name())]
    username: &'r str,
    #[field(validate = password_length())]
    password: &'r str,
}

#[get("/signup")]
fn signup_form(form_session: FormSession) -> Page {
    let FormSession(visitor) = form_session;
    render(Some(&visitor), "signup", context! {})
}

#[post("/signup", data = "<form>")]
async fn signup<'r>(
    mut form: Form<Contextual<'r, Signup<'r>>>,
    visitor: Option<Visitor>,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
    store: &State<Store>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Refusal> {
    let visitor = check_token(visitor.as_ref(), form.context.field_value("csrf_token"))?;
    let Some(signup) = &form.value else {
        return Err(again(visitor, "signup", &form.context));
    };
    let username = signup.username.trim().to_owned();
    // Hashed before the name is looked up, so that a taken name takes as long as a free one.
    let phc = hash(signup.password).await;
    if let Err(taken) = accounts.add(&username, phc) {
        form.context.push_error(taken.with_name("username"));
        return Err(again(visitor, "signup", &form.context));
    }
    start_session(
        jar,
        &mut store.sessions(),
        Some(username),
        false,
        config.lifetime(),
    );
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: signup

// ANCHOR: user
/// The user page: who is logged in, the session's id and its expiry.
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
fn show_user(user: User) -> Page {
    user_page(&user.0, &form::Context::default())
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
    #[field(validate = password_length())]
    new: &'r str,
}

#[post("/password", data = "<form>")]
async fn change_password<'r>(
    mut form: Form<Contextual<'r, PasswordChange<'r>>>,
    visitor: Option<Visitor>,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
    store: &State<Store>,
    accounts: &State<Accounts>,
) -> Result<Redirect, Refusal> {
    let visitor = check_token(visitor.as_ref(), form.context.field_value("csrf_token"))?;
    let Some(name) = visitor.session.user.clone() else {
        return Ok(Redirect::to(uri!(login_form)));
    };
    let Some(change) = &form.value else {
        let page = user_page(visitor, &form.context);
        return Err(Refusal::Form((form.context.status(), page)));
    };
    // Re-authentication: whoever holds the session must also know the password.
    if !accounts.verify(&name, change.current).await {
        let wrong = form::Error::validation("That is not your current password.");
        form.context.push_error(wrong.with_name("current"));
        let page = user_page(visitor, &form.context);
        return Err(Refusal::Form((form.context.status(), page)));
    }
    let phc = hash(change.new).await;
    lock(&accounts.hashes).insert(name.clone(), phc);
    // Lesson 06's "log out everywhere", now with its real trigger; this browser stays logged in.
    let mut sessions = store.sessions();
    sessions.retain(|_, session| session.user.as_ref() != Some(&name));
    let permanent = visitor.session.permanent;
    start_session(jar, &mut sessions, Some(name), permanent, config.lifetime());
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: password

// ANCHOR: logout
#[post("/logout", data = "<form>")]
fn logout(
    form: Form<Token<'_>>,
    visitor: Option<Visitor>,
    jar: &CookieJar<'_>,
    store: &State<Store>,
) -> Result<Redirect, Refusal> {
    let visitor = check_token(visitor.as_ref(), form.csrf_token)?;
    // Flask-Session: `session.clear()` deletes the record, so a copy of the cookie is worthless.
    store.sessions().remove(&visitor.id);
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
#[post("/logout/everywhere", data = "<form>")]
fn logout_everywhere(
    form: Form<Token<'_>>,
    visitor: Option<Visitor>,
    jar: &CookieJar<'_>,
    store: &State<Store>,
) -> Result<Redirect, Refusal> {
    let visitor = check_token(visitor.as_ref(), form.csrf_token)?;
    // Every session of this user ends, in every browser: only a server-side session can do this.
    let mut sessions = store.sessions();
    sessions.remove(&visitor.id);
    if let Some(me) = &visitor.session.user {
        sessions.retain(|_, session| session.user.as_ref() != Some(me));
    }
    jar.remove_private(SESSION_COOKIE);
    Ok(Redirect::to(uri!(login_form)))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: panel
const UNREADABLE: &str = "Could not be read with this server's key (forged, changed, cut short \
    or made with another key): ignored, you are not logged in.";

fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    (cookie.name() == SESSION_COOKIE).then_some(())?;
    let Some(id) = read(request.cookies()) else {
        return Some(UNREADABLE.to_owned());
    };
    let lifetime = request.rocket().state::<SessionConfig>()?.lifetime();
    let store = request.rocket().state::<Store>()?;
    Some(match store.sessions().get(&id) {
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
    let accounts = Accounts::default();
    lock(&accounts.hashes).insert(DEMO.0.to_owned(), DEMO.1.to_owned());
    // No secret key here: debug builds make a random one per launch, release builds refuse to start.
    rocket::custom(lesson_support::figment(8008, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        // Reads `session_lifetime`, `login_attempts` and `login_window` at launch.
        .attach(AdHoc::config::<SessionConfig>())
        // Every page shows the session (the nav, the panel): no cache may keep one.
        .attach(AdHoc::on_response(
            "Cache-Control: no-store",
            |_, response| {
                Box::pin(async move {
                    response.set_raw_header("Cache-Control", "no-store");
                })
            },
        ))
        .manage(Store::default())
        .manage(accounts)
        .mount(
            "/",
            routes![home, login_form, login, signup_form, signup, show_user],
        )
        .mount(
            "/",
            routes![not_logged_in, change_password, logout, logout_everywhere],
        )
}
// ANCHOR_END: rocket
