//! Lesson 07: server-side sessions in production. Lesson 06's app (an id in the cookie, the
//! session on the server), made ready for several servers behind a load balancer and a TLS proxy:
//! - a store shared by the servers (Redis, `session_store`), memory by default (`src/store.rs`);
//! - a Redis outage answers 503 and changes nothing, and the first request after it returns works;
//! - `secret_key_fallbacks`: old keys still read, their cookies re-issued under the current key;
//! - `cookie_secure`: the `Secure` attribute Rocket cannot add behind a TLS-terminating proxy;
//! - `session_absolute_lifetime`: a session ends that long after login, however active.
//!
//! Run:  `cargo run -p lesson-07`, then open <http://127.0.0.1:8007>. Nothing else to install.
//!       `ROCKET_SESSION_STORE=redis://127.0.0.1:6379 cargo run -p lesson-07` shares sessions.
//! Flask step: Flask-Session on Redis, with Flask 3.1's `SECRET_KEY_FALLBACKS` and
//! `SESSION_COOKIE_SECURE`. Why each piece is there: the chapter, `docs/src/lesson-07.md`.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rocket::fairing::AdHoc;
use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket::response::{self, Flash, Redirect, Responder};
use rocket::time::{Duration, OffsetDateTime};
use rocket::{catch, catchers, get, launch, post, routes, uri};
use rocket::{Build, Config, Rocket, State};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod keys;
mod store;

use keys::Fallbacks;
use store::{Done, MemoryStore, RedisStore, SessionId, SessionStore, StoreError};

#[cfg(test)]
mod tests;

/// Flask's session cookie, and Flask-Session's, is called `session` too.
const SESSION_COOKIE: &str = "session";
const MAX_NAME_CHARS: usize = 50;
const COLOURS: [&str; 6] = ["red", "orange", "yellow", "green", "blue", "purple"];
const DEFAULT_LIFETIME_SECONDS: i64 = 300;
/// Browsers cap a cookie's lifetime at 400 days (RFC 6265bis).
const MAX_LIFETIME_SECONDS: i64 = 400 * 24 * 60 * 60;

// ANCHOR: config
/// This lesson's settings, from Rocket.toml or `ROCKET_<NAME>` like `port`.
#[derive(Deserialize)]
struct SessionConfig {
    #[serde(default)]
    session_lifetime: Lifetime,
    /// Flask has no such setting: seconds since login after which the session ends anyway.
    session_absolute_lifetime: Option<Lifetime>,
    /// Not set: this process's memory. Set: the Redis server it names.
    session_store: Option<String>,
    /// Behind a TLS-terminating proxy: Flask's `SESSION_COOKIE_SECURE`.
    #[serde(default)]
    cookie_secure: bool,
    /// Flask 3.1's `SECRET_KEY_FALLBACKS`.
    #[serde(default)]
    secret_key_fallbacks: Fallbacks,
}

/// Whole seconds from 1 to 400 days; anything else refuses the launch.
#[derive(Clone, Copy, Deserialize)]
#[serde(try_from = "i64")]
struct Lifetime(i64);

impl TryFrom<i64> for Lifetime {
    type Error = String;

    fn try_from(seconds: i64) -> Result<Self, Self::Error> {
        match seconds {
            1..=MAX_LIFETIME_SECONDS => Ok(Lifetime(seconds)),
            _ => Err(format!(
                "must be whole seconds from 1 to {MAX_LIFETIME_SECONDS} (400 days), not {seconds}"
            )),
        }
    }
}
// ANCHOR_END: config

impl SessionConfig {
    // ANCHOR: expiry
    /// The sliding end (now + lifetime), cut at `started` + the absolute lifetime.
    fn ends(&self, now: DateTime<Utc>, started: DateTime<Utc>) -> DateTime<Utc> {
        let sliding = now + TimeDelta::seconds(self.session_lifetime.0);
        let absolute = self
            .session_absolute_lifetime
            .map(|Lifetime(s)| started + TimeDelta::seconds(s));
        absolute.map_or(sliding, |absolute| sliding.min(absolute))
    }
    // ANCHOR_END: expiry
}

impl Default for Lifetime {
    fn default() -> Self {
        Lifetime(DEFAULT_LIFETIME_SECONDS)
    }
}

// ANCHOR: session_data
/// Flask's session dict, typed; it lives in the store under the id.
#[derive(Clone, Serialize, Deserialize)]
struct SessionData {
    user: Option<String>,
    colour: Option<String>,
    permanent: bool,
    /// When this id was issued (the login): where the absolute lifetime counts from.
    started: DateTime<Utc>,
    /// When the store forgets the session.
    expires: DateTime<Utc>,
}
// ANCHOR_END: session_data

// ANCHOR: guard
/// What the app keeps for every request: its settings and its store.
struct Sessions {
    config: SessionConfig,
    store: Box<dyn SessionStore>,
}

/// The request's session; every change writes to the store first and to the cookie after.
struct Session<'r> {
    jar: &'r CookieJar<'r>,
    sessions: &'r Sessions,
    now: DateTime<Utc>,
    id: Option<SessionId>,
    data: Option<SessionData>,
    /// The cookie was encrypted under one of `secret_key_fallbacks`.
    old_key: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session<'r> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let sessions = try_outcome!(request.guard::<&State<Sessions>>().await).inner();
        let jar = request.cookies();
        let (id, old_key) = sessions
            .config
            .secret_key_fallbacks
            .read_id(jar, SESSION_COOKIE);
        let data = match &id {
            Some(id) => try_outcome!(or_503(sessions.store.get(id).await)),
            None => None,
        };
        let now = Utc::now().trunc_subsecs(0);
        let mut session = Session {
            jar,
            sessions,
            now,
            id,
            data,
            old_key,
        };
        // Sliding expiry for a permanent session; a cookie under an old key is re-issued now.
        if session.is_permanent() || (old_key && session.data.is_some()) {
            try_outcome!(or_503(session.save().await));
        }
        Outcome::Success(session)
    }
}

/// A store that did not answer fails the request with 503, answered by the catcher `unavailable`.
fn or_503<T>(result: Result<T, StoreError>) -> Outcome<T, ()> {
    result.map_or_else(|e| Outcome::Error((e.log(), ())), Outcome::Success)
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

    /// Flask-Session: `regenerate(session)`, then `session["user"] = name`. Always a new id, never
    /// the one the browser came with (session fixation); the old one is deleted. Cookie last.
    async fn log_in(&mut self, name: String, permanent: bool) -> Done {
        let (user, now, id) = (Some(name), self.now, SessionId::new());
        let expires = self.sessions.config.ends(now, now);
        let data = SessionData {
            user,
            colour: None,
            permanent,
            started: now,
            expires,
        };
        self.sessions.store.write(&id, &data, false).await?;
        if let Some(old) = self.id.replace(id) {
            self.sessions.store.delete(&old).await?;
        }
        self.data = Some(data);
        self.send_cookie();
        Ok(())
    }

    /// Flask: `session["colour"] = colour`.
    async fn set_colour(&mut self, colour: &str) -> Done {
        if let Some(data) = &mut self.data {
            data.colour = Some(colour.to_owned());
        }
        self.save().await
    }

    /// Flask-Session: `session.clear()` deletes this session; `everywhere`, every one of the user.
    async fn log_out(&mut self, everywhere: bool) -> Result<Option<String>, StoreError> {
        let name = self.user().map(str::to_owned);
        match (&name, self.id.take()) {
            (Some(name), _) if everywhere => self.sessions.store.delete_all_of(name).await?,
            (_, Some(id)) => self.sessions.store.delete(&id).await?,
            (_, None) => {}
        }
        self.data = None;
        self.jar.remove_private(SESSION_COOKIE);
        Ok(name)
    }

    /// Writes the session back with a fresh expiry, only over one the store still holds.
    async fn save(&mut self) -> Done {
        let (config, now) = (&self.sessions.config, self.now);
        if let (Some(id), Some(data)) = (&self.id, &mut self.data) {
            data.expires = config.ends(now, data.started);
            self.sessions.store.write(id, data, true).await?;
            self.send_cookie();
        }
        Ok(())
    }

    fn sent(&self) -> impl Serialize + '_ {
        what_the_browser_sent(self.jar, Some(self))
    }

    // ANCHOR: send_cookie
    /// Sends the cookie with the id, encrypted under the current key, or deletes it.
    fn send_cookie(&self) {
        let (Some(id), Some(data)) = (&self.id, &self.data) else {
            return;
        };
        let cookie = Cookie::build((SESSION_COOKIE, id.as_str().to_owned()));
        let cookie = if data.permanent {
            let expires = OffsetDateTime::from_unix_timestamp(data.expires.timestamp());
            let max_age = Duration::seconds((data.expires - self.now).num_seconds());
            cookie
                .max_age(max_age)
                .expires(expires.expect("within 400 days"))
        } else {
            cookie.expires(None)
        };
        let mut cookie = cookie.build();
        // Flask's `SESSION_COOKIE_SECURE`; unset (not `false`) lets Rocket add it under TLS.
        cookie.set_secure(self.sessions.config.cookie_secure.then_some(true));
        self.jar.add_private(cookie);
    }
    // ANCHOR_END: send_cookie
}
// ANCHOR_END: session_api

// ANCHOR: unavailable
/// `?` on a store call: the 503 catcher answers, and Rocket drops the request's cookie changes.
impl<'r> Responder<'r, 'static> for StoreError {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Err(self.log())
    }
}

#[catch(503)]
fn unavailable(request: &Request<'_>) -> Template {
    Template::render(
        "unavailable",
        context! { sent: what_the_browser_sent(request.cookies(), None) },
    )
}
// ANCHOR_END: unavailable

#[get("/")]
fn home(session: Session<'_>) -> Template {
    Template::render(
        "index",
        context! { colour: session.colour(), sent: session.sent() },
    )
}

#[get("/login")]
fn login_form(session: Session<'_>, flash: Option<FlashMessage<'_>>) -> Result<Template, Redirect> {
    if session.user().is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    let message = flash.map(|flash| flash.message().to_owned());
    let page = context! { message, remember: true, sent: session.sent() };
    Ok(Template::render("login", page))
}

#[derive(FromForm)]
struct Login {
    nm: Option<String>,
    remember: Option<String>,
}

/// The store's `Result` around the page's: a redirect, or the form again with a 422.
type Answer = Result<Result<Redirect, (Status, Template)>, StoreError>;

// ANCHOR: login
#[post("/login", data = "<form>")]
async fn login(form: Form<Login>, mut session: Session<'_>) -> Answer {
    let (typed, remember) = (form.nm.as_deref(), form.remember.is_some());
    match check_name(typed) {
        Ok(name) => session.log_in(name, remember).await?,
        Err(error) => {
            let page = context! { error, typed, remember, sent: session.sent() };
            return Ok(Err((
                Status::UnprocessableEntity,
                Template::render("login", page),
            )));
        }
    }
    Ok(Ok(Redirect::to(uri!(show_user))))
}
// ANCHOR_END: login

fn check_name(typed: Option<&str>) -> Result<String, String> {
    let name = typed
        .ok_or("The form sent no name (the field `nm` was missing).")?
        .trim();
    if name.is_empty() {
        Err("Please type a name.".to_owned())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(format!(
            "A name can have at most {MAX_NAME_CHARS} characters."
        ))
    } else if name.chars().any(char::is_control) {
        Err("A name cannot contain control characters such as tabs or line breaks.".to_owned())
    } else {
        Ok(name.to_owned())
    }
}

#[get("/user")]
fn show_user(session: Session<'_>) -> Result<Template, Redirect> {
    match session.user() {
        Some(_) => Ok(user_page(&session, None)),
        None => Err(Redirect::to(uri!(login_form))),
    }
}

fn user_page(session: &Session<'_>, error: Option<&str>) -> Template {
    let (data, id) = (&session.data, session.id.as_ref().map(SessionId::as_str));
    let seconds_left = data
        .as_ref()
        .map(|data| (data.expires - session.now).num_seconds());
    let absolute = session.sessions.config.session_absolute_lifetime;
    let absolute_end = absolute
        .zip(data.as_ref())
        .map(|(Lifetime(s), data)| data.started + TimeDelta::seconds(s));
    let sent = session.sent();
    let page = context! { data, id, error, colours: COLOURS, seconds_left, absolute_end, sent };
    Template::render("user", page)
}

#[derive(FromForm)]
struct ColourChoice {
    colour: Option<String>,
}

#[post("/colour", data = "<form>")]
async fn choose_colour(form: Form<ColourChoice>, mut session: Session<'_>) -> Answer {
    let chosen = COLOURS
        .into_iter()
        .find(|colour| Some(*colour) == form.colour.as_deref());
    match (session.user(), chosen) {
        (None, _) => return Ok(Ok(Redirect::to(uri!(login_form)))),
        (Some(_), Some(colour)) => session.set_colour(colour).await?,
        (Some(_), None) => {
            let page = user_page(&session, Some("Please choose one of the colours on offer."));
            return Ok(Err((Status::UnprocessableEntity, page)));
        }
    }
    Ok(Ok(Redirect::to(uri!(show_user))))
}

/// A redirect to the login form, with a one-time message when there is one (Flask's `flash`).
type ToLogin = Result<Result<Flash<Redirect>, Redirect>, StoreError>;

fn to_login(message: Option<String>) -> Result<Flash<Redirect>, Redirect> {
    match message {
        Some(message) => Ok(Flash::success(Redirect::to(uri!(login_form)), message)),
        None => Err(Redirect::to(uri!(login_form))),
    }
}

// ANCHOR: logout
#[get("/logout")]
async fn logout(mut session: Session<'_>) -> ToLogin {
    let name = session.log_out(false).await?;
    Ok(to_login(
        name.map(|name| format!("You have been logged out, {name}.")),
    ))
}
// ANCHOR_END: logout

// ANCHOR: logout_everywhere
/// A POST: a link or a prefetch must not end anyone's sessions.
#[post("/logout/everywhere")]
async fn logout_everywhere(mut session: Session<'_>) -> ToLogin {
    let name = session.log_out(true).await?;
    Ok(to_login(name.map(|name| {
        format!("Every session of {name} has ended, in every browser.")
    })))
}
// ANCHOR_END: logout_everywhere

// ANCHOR: panel
/// For the panel: every cookie sent, and what the server made of `session` (`None`: not looked up).
fn what_the_browser_sent<'a>(
    jar: &'a CookieJar<'_>,
    session: Option<&'a Session<'_>>,
) -> impl Serialize + 'a {
    let cookies: BTreeMap<&str, &str> = jar
        .iter()
        .map(|cookie| (cookie.name(), cookie.value()))
        .collect();
    let data = session.and_then(|session| session.data.as_ref());
    context! {
        cookies,
        looked_up: session.is_some(),
        id: session.and_then(|session| session.id.as_ref()).map(SessionId::as_str),
        old_key: session.is_some_and(|session| session.old_key),
        held: data.map(|data| serde_json::to_string(data).unwrap_or_default()),
    }
}
// ANCHOR_END: panel

// ANCHOR: open_store
/// Memory, or a Redis that must answer now: better no server than one that cannot keep a login.
fn open_session_store() -> AdHoc {
    AdHoc::try_on_ignite("Session store", |rocket| async {
        let config = match rocket.figment().extract::<SessionConfig>() {
            Ok(config) => config,
            Err(error) => {
                rocket::error!("Session settings: {error}");
                return Err(rocket);
            }
        };
        let store: Box<dyn SessionStore> = match &config.session_store {
            None => Box::new(MemoryStore::default()),
            Some(url) => match RedisStore::connect(url).await {
                Ok(store) => {
                    rocket::info!("Session store: Redis at {}.", store.address());
                    Box::new(store)
                }
                Err(error) => {
                    let fix = "Point ROCKET_SESSION_STORE at a Redis that answers, or unset it.";
                    rocket::error!("Session store: {error}. {fix}");
                    return Err(rocket);
                }
            },
        };
        Ok(rocket.manage(Sessions { config, store }))
    })
}
// ANCHOR_END: open_store

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    // `Config::figment()` with the lesson's defaults beneath Rocket.toml and ROCKET_*.
    let figment = Figment::from(Config::default())
        .merge(Serialized::default("port", 8007))
        .merge(Serialized::default("template_dir", relative!("templates")))
        .merge(Toml::file(Env::var_or("ROCKET_CONFIG", "Rocket.toml")).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .select(Profile::from_env_or(
            "ROCKET_PROFILE",
            Config::DEFAULT_PROFILE,
        ));
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
                choose_colour,
                logout,
                logout_everywhere
            ],
        )
        .register("/", catchers![unavailable])
}
// ANCHOR_END: rocket
