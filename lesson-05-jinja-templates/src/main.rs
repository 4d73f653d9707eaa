//! Lesson 05: the session in every template, as Flask's Jinja2 has it, so that the templates
//! decide what to show with `{% if 'firstName' in session %}` (seed 003). The session is lesson
//! 04's.
//!
//! Run: `cargo run -p lesson-05`, then open <http://127.0.0.1:8005>.
//! Chapter: docs/src/lesson-05.md.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lesson_support::Page;
use rocket::fairing::AdHoc;
use rocket::form::{self, Contextual, Form, FromForm};
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
/// Flask's session dict, typed. It travels as JSON in one private cookie, which the browser can
/// neither read nor change. Templates see it as `session`, with the seed's names; a value not
/// set is left out, not null, so that `"firstName" in session` is false for it, in Tera as in
/// Jinja2.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionData {
    user: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
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

// ANCHOR: render
/// Every page goes through here, so every template can read `session`, as Flask's Jinja2
/// globals can; `{}` when there is none, as Flask's empty session is an empty dict.
fn render(user: Option<&User>, name: &'static str, values: impl Serialize) -> Page {
    let page = Page::render(name, values);
    match user {
        Some(User(session)) => page.with("session", session),
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
    /// Seed 003's `request.form["firstName"]`, optional like the last name.
    #[field(name = "firstName", validate = optional_name())]
    first_name: Option<&'r str>,
    #[field(name = "lastName", validate = optional_name())]
    last_name: Option<&'r str>,
    /// A ticked checkbox sends `remember=on` and an unticked one nothing, which reads as `false`.
    remember: bool,
}

/// A first or last name is optional; when typed, it follows the rules for a name.
fn optional_name<'v>(typed: &Option<&str>) -> form::Result<'v, ()> {
    match typed.map(str::trim) {
        None | Some("") => Ok(()),
        Some(typed) => lesson_support::name(typed),
    }
}

/// What was typed, trimmed, or `None` when nothing was.
fn set(typed: Option<&str>) -> Option<String> {
    Some(typed?.trim())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

#[post("/login", data = "<form>")]
fn login<'r>(
    form: Form<Contextual<'r, Login<'r>>>,
    jar: &CookieJar<'_>,
    config: &State<SessionConfig>,
) -> Result<Redirect, (Status, Page)> {
    let Some(login) = &form.value else {
        let remember = form.context.field_value("remember").is_some();
        let page = render(None, "login", context! { form: &form.context, remember });
        return Err((form.context.status(), page));
    };
    // Flask: `session.clear()`, then `session["user"] = name` and the names, if typed.
    let mut data = SessionData {
        user: login.nm.trim().to_owned(),
        first_name: set(login.first_name),
        last_name: set(login.last_name),
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
    // Only the expiry is put in words here; the template takes everything else from `session`.
    let expires = user.0.expires;
    let values = context! {
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
fn logout(jar: &CookieJar<'_>) -> Redirect {
    // Flask: `session.clear()`. The cookie is deleted, names and all.
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
    rocket::custom(lesson_support::figment(8005, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .attach(AdHoc::config::<SessionConfig>())
        .mount(
            "/",
            routes![home, login_form, login, show_user, not_logged_in, logout],
        )
}
// ANCHOR_END: rocket
