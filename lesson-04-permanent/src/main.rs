//! Lesson 04: a permanent session with a lifetime the server enforces, as Flask's
//! `session.permanent = True` and `permanent_session_lifetime` (seeds 000 to 002).
//!
//! Run: `cargo run -p lesson-04` (sessions of 30 s: `ROCKET_SESSION_LIFETIME=30 cargo run -p
//! lesson-04`), then open <http://127.0.0.1:8004>. Chapter: docs/src/lesson-04.md.

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
use std::num::NonZeroU32;

#[cfg(test)]
mod tests;

/// One private cookie holds the whole session, as Flask's cookie `session` does.
const SESSION_COOKIE: &str = "session";

// ANCHOR: config
/// `session_lifetime`, in seconds, from Rocket.toml or `ROCKET_SESSION_LIFETIME`. Zero, a
/// negative number or text stops the launch with Rocket's message, naming where it came from.
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
/// Flask's session dict, typed. It travels as JSON in one private cookie, which the browser can
/// neither read nor change.
#[derive(Clone, Serialize, Deserialize)]
struct SessionData {
    user: String,
    /// Flask's `session.permanent`, which the "Keep me signed in" box sets.
    permanent: bool,
    /// The server refuses the session from then on, as the encrypted value has no time of its own.
    expires: DateTime<Utc>,
}
// ANCHOR_END: session_data

// ANCHOR: read
/// What the request's cookie `session` carried.
enum Carried {
    Nothing,
    /// A value that does not decrypt with this server's key, or not to this lesson's session.
    Unreadable,
    Session(SessionData),
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
    let Some(cookie) = jar.get_private(SESSION_COOKIE) else {
        return Carried::Unreadable;
    };
    match serde_json::from_str(cookie.value()) {
        Ok(data) => Carried::Session(data),
        Err(_) => Carried::Unreadable,
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
/// Writes the session with a fresh expiry. A permanent cookie gets both `Max-Age` and `Expires`,
/// since with `Max-Age` alone Rocket adds a one-week `Expires`; any other is a browser-session one.
fn write(jar: &CookieJar<'_>, data: &mut SessionData, lifetime: TimeDelta) {
    data.expires = now() + lifetime;
    let json = serde_json::to_string(data).expect("strings, a bool and a date serialise");
    let cookie = Cookie::build((SESSION_COOKIE, json));
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
/// A logged-in user, whose session cookie decrypts and whose time is not up.
struct User(SessionData);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let lifetime = try_outcome!(request.guard::<&State<SessionConfig>>().await).lifetime();
        match carried(request) {
            Carried::Session(data) if data.is_current(now(), lifetime) => {
                let mut data = data.clone();
                // Flask's `SESSION_REFRESH_EACH_REQUEST`: a permanent session slides forward.
                if data.permanent {
                    write(request.cookies(), &mut data, lifetime);
                }
                Outcome::Success(User(data))
            }
            // Without a cookie, or with one unreadable or expired, the visitor is not logged in.
            _ => Outcome::Forward(Status::Unauthorized),
        }
    }
}
// ANCHOR_END: guard

#[get("/")]
fn home(_user: Option<User>) -> Page {
    // The guard moves a kept-signed-in session forward here too, as Flask does on every request.
    Page::render("index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(user: Option<User>) -> Result<Page, Redirect> {
    if user.is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(Page::render("login", context! { remember: true }))
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
) -> Result<Redirect, (Status, Page)> {
    let Some(login) = &form.value else {
        let remember = form.context.field_value("remember").is_some();
        let page = Page::render("login", context! { form: &form.context, remember });
        return Err((form.context.status(), page));
    };
    // Flask: `session.permanent = remember` and `session["user"] = name`.
    let mut data = SessionData {
        user: login.nm.trim().to_owned(),
        permanent: login.remember,
        expires: now(),
    };
    write(jar, &mut data, config.lifetime());
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: user
#[get("/user")]
fn show_user(user: User) -> Page {
    let User(session) = user;
    Page::render(
        "user",
        context! {
            name: &session.user,
            permanent: session.permanent,
            expires_at: session.expires.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            seconds_left: (session.expires - now()).num_seconds(),
        },
    )
}

#[get("/user", rank = 2)]
fn not_logged_in() -> Redirect {
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: user

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Redirect {
    // Flask: `session.pop("user", None)`. Nothing else is in this session, so its cookie goes.
    jar.remove_private(SESSION_COOKIE);
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: logout

// ANCHOR: panel
const UNREADABLE: &str = "Could not be read with this server's key (forged, changed, cut short, \
    made with another key, or not this lesson's session): ignored, you are not logged in.";

fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    if cookie.name() != SESSION_COOKIE {
        return None;
    }
    let lifetime = request.rocket().state::<SessionConfig>()?.lifetime();
    let now = now();
    let json = |data: &SessionData| serde_json::to_string(data).unwrap_or_default();
    Some(match carried(request) {
        Carried::Nothing => return None,
        Carried::Session(data) if data.is_current(now, lifetime) => format!(
            "Decrypted with this server's key: {}. Accepted for {} more seconds.",
            json(data),
            (data.expires - now).num_seconds()
        ),
        Carried::Session(data) => format!(
            "Decrypted with this server's key: {}. Its time is up (or it claims more than the \
             lifetime of {} seconds), so the server refuses it: you are not logged in.",
            json(data),
            lifetime.num_seconds()
        ),
        Carried::Unreadable => UNREADABLE.to_owned(),
    })
}
// ANCHOR_END: panel

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    rocket::custom(lesson_support::figment(8004, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .attach(AdHoc::config::<SessionConfig>())
        .mount(
            "/",
            routes![home, login_form, login, show_user, not_logged_in, logout],
        )
}
// ANCHOR_END: rocket
