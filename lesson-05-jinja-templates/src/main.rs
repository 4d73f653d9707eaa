//! Lesson 05: the session in the templates.
//!
//! Flask step: seed 003 reads the session inside a Jinja2 template, with
//! `{% if 'firstName' in session %} … {% endif %}` around the value it prints. Flask hands
//! `session` to every template without being asked; Rocket hands a template only what the handler
//! passes it. Here one method, `Session::render`, passes the session to every page, and the
//! templates decide the rest: the navigation says "Logged in as Tim · Log out" or "Log in", and the
//! optional values (first name, last name, favourite colour) appear only when they are set. The
//! session itself is lesson 04's: one encrypted cookie holding its own expiry.
//!
//! Run:  `cargo run -p lesson-05`, then open <http://127.0.0.1:8005>.
//!
//! Try:
//! - Watch the navigation at the top of every page as you log in and out.
//! - On the user page, fill in only a first name: it appears, and the greeting uses it. Empty the
//!   field again to take it out of the session.
//! - Read `templates/user.html.tera` next to the seed's Jinja2: the same `in` test, in Tera.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rocket::fairing::AdHoc;
use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket::response::{Flash, Redirect};
use rocket::time::{Duration, OffsetDateTime};
use rocket::{get, launch, post, routes, uri, Build, Config, Rocket};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// The one private cookie that holds the whole session, as Flask's cookie `session` does.
const SESSION_COOKIE: &str = "session";

/// Longest name accepted, in characters. Even at four bytes a character the cookie stays far
/// below the 4096 bytes browsers keep per cookie.
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
/// This lesson's own setting, read from Rocket's configuration like `port` or `secret_key`:
/// `session_lifetime = 30` in Rocket.toml, or `ROCKET_SESSION_LIFETIME=30` in the environment.
#[derive(Deserialize)]
struct SessionConfig {
    #[serde(default)]
    session_lifetime: Lifetime,
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
}

// ANCHOR: session_data
/// Everything the session holds: Flask's session dict, typed. It travels as JSON inside ONE
/// private cookie, so the browser can neither read nor change any of it, the expiry included.
///
/// The templates receive it as `session`, under the names the seed uses (`firstName`, not
/// `first_name`). A value that is not set is left out of the JSON, not written as `null`: the
/// templates ask `"firstName" in session`, which, in Tera as in Jinja2, is true for a key holding
/// null. Without `skip_serializing_if`, a page would print "First name:" and nothing after it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionData {
    /// Flask's `session["user"]`; `None` once logged out.
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    /// Flask's `session["colour"]`; logging out keeps it (lesson 03).
    #[serde(skip_serializing_if = "Option::is_none")]
    colour: Option<String>,
    /// Seed 003's `session["firstName"]`; logging out keeps it, like the colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    /// `session["lastName"]`, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    /// Flask's `session.permanent`: the "Keep me signed in" box.
    permanent: bool,
    /// From this instant on the server refuses the session. Rocket's encrypted value carries no
    /// time of its own: without this field a copy of the cookie would be valid for as long as the
    /// secret key stays the same.
    expires: DateTime<Utc>,
}
// ANCHOR_END: session_data

/// What became of the cookie `session` that a request carried.
enum Found {
    /// Decrypted, understood, and within its lifetime.
    Valid(SessionData),
    /// Decrypted and understood, but its time is up: refused.
    Expired(SessionData),
    /// Did not decrypt with this server's key (forged, changed, cut short, another key), or
    /// decrypted to something that is not this lesson's session: ignored.
    Unreadable,
}

// ANCHOR: read
/// Reads the cookie `session`, if the request carried one.
fn read_session(jar: &CookieJar<'_>, now: DateTime<Utc>, lifetime: Lifetime) -> Option<Found> {
    jar.get(SESSION_COOKIE)?;
    let Some(cookie) = jar.get_private(SESSION_COOKIE) else {
        return Some(Found::Unreadable);
    };
    let Ok(data) = serde_json::from_str::<SessionData>(cookie.value()) else {
        return Some(Found::Unreadable);
    };
    // Refused once its expiry has passed, whether or not the browser still sends it. Refused too
    // when it expires further ahead than the lifetime allows: after the lifetime is shortened,
    // sessions issued before obey the new one at once, as they do in Flask (which checks the
    // cookie's age against the current setting on every request).
    if now < data.expires && data.expires <= now + lifetime.as_delta() {
        Some(Found::Valid(data))
    } else {
        Some(Found::Expired(data))
    }
}
// ANCHOR_END: read

// ANCHOR: guard
/// The session of the request being handled. A handler asks for it like any request guard
/// (`session: Session<'_>`), reads it with `user()`, changes it with `log_in`, `set_colour`,
/// `set_names`, `log_out` and `clear` (each change writes the cookie), and shows a page with
/// `render`, which hands the session to the template.
struct Session<'r> {
    jar: &'r CookieJar<'r>,
    lifetime: Lifetime,
    /// This request's time, in whole seconds like the cookie's `Expires`.
    now: DateTime<Utc>,
    /// `None`: no session, or one that was refused.
    data: Option<SessionData>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session<'r> {
    type Error = &'static str;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(config) = request.rocket().state::<SessionConfig>() else {
            let missing = "no session_lifetime: attach AdHoc::config::<SessionConfig>()";
            return Outcome::Error((Status::InternalServerError, missing));
        };
        let jar = request.cookies();
        let now = Utc::now().trunc_subsecs(0);
        let data = match read_session(jar, now, config.session_lifetime) {
            Some(Found::Valid(data)) => Some(data),
            // No cookie, an expired one or an unreadable one: no session. The cookie is ignored,
            // not deleted, as Flask ignores an expired session cookie.
            _ => None,
        };
        let mut session = Session {
            jar,
            lifetime: config.session_lifetime,
            now,
            data,
        };
        // Sliding expiry, like Flask's default `SESSION_REFRESH_EACH_REQUEST`: a permanent session
        // goes back to the browser on every request with a fresh expiry, so the lifetime counts
        // from the last request, not from the login. A browser-session one is written only when
        // it changes (and so its expiry moves only then), as in Flask.
        if session.is_permanent() {
            session.save();
        }
        Outcome::Success(session)
    }
}
// ANCHOR_END: guard

// ANCHOR: session_api
impl Session<'_> {
    fn user(&self) -> Option<&str> {
        self.data.as_ref()?.user.as_deref()
    }

    fn is_permanent(&self) -> bool {
        self.data.as_ref().is_some_and(|data| data.permanent)
    }

    /// Flask: `session.permanent = permanent` and `session["user"] = name`. The colour and names
    /// kept from before stay.
    fn log_in(&mut self, name: String, permanent: bool) {
        let (colour, first_name, last_name) = match self.data.take() {
            Some(data) => (data.colour, data.first_name, data.last_name),
            None => (None, None, None),
        };
        self.data = Some(SessionData {
            user: Some(name),
            colour,
            first_name,
            last_name,
            permanent,
            expires: self.now,
        });
        self.save();
    }

    /// Flask: `session["colour"] = colour`, for a logged-in user.
    fn set_colour(&mut self, colour: &str) {
        if let Some(data) = &mut self.data {
            data.colour = Some(colour.to_owned());
            self.save();
        }
    }

    /// Seed 003: `session["firstName"] = request.form["firstName"]`, and the last name with it,
    /// for a logged-in user. `None` takes the value out of the session.
    fn set_names(&mut self, first_name: Option<String>, last_name: Option<String>) {
        if let Some(data) = &mut self.data {
            data.first_name = first_name;
            data.last_name = last_name;
            self.save();
        }
    }

    /// Flask: `session.pop("user", None)`. Returns the name removed; without one, writes nothing.
    fn log_out(&mut self) -> Option<String> {
        let name = self.data.as_mut()?.user.take()?;
        self.save();
        Some(name)
    }

    /// Flask: `session.clear()`. Deletes the cookie, whatever it held (even an expired or
    /// unreadable one). Returns whether the request carried one.
    fn clear(&mut self) -> bool {
        self.data = None;
        let carried = self.jar.get(SESSION_COOKIE).is_some();
        // `remove_private` sends the removal only if the request carried the cookie.
        self.jar.remove_private(SESSION_COOKIE);
        carried
    }

    /// Writes the session into its cookie with a fresh expiry, or deletes the cookie once the
    /// session holds nothing (Flask deletes an emptied session's cookie too).
    fn save(&mut self) {
        let Some(data) = self.data.as_mut().filter(|data| {
            data.user.is_some()
                || data.colour.is_some()
                || data.first_name.is_some()
                || data.last_name.is_some()
        }) else {
            self.data = None;
            self.jar.remove_private(SESSION_COOKIE);
            return;
        };
        data.expires = self.now + self.lifetime.as_delta();
        let json = serde_json::to_string(data).expect("strings, a bool and a date serialise");
        let cookie = Cookie::build((SESSION_COOKIE, json));
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
            // The expiry inside still limits it on the server.
            cookie.expires(None)
        };
        self.jar.add_private(cookie);
    }
}
// ANCHOR_END: session_api

// ANCHOR: render
impl Session<'_> {
    /// Renders the template `name` with the page's own `values` and, next to them, `session`
    /// and `sent` (the "what your browser sent" panel).
    ///
    /// Flask makes `session` a global of its Jinja2 environment, so every template can read it
    /// without the view passing it. Rocket has nothing of the kind: a template sees only the
    /// context its handler builds, and the functions and filters one can add to Tera belong to
    /// the one `Tera` that serves every request, so they cannot hold one visitor's session.
    /// Every handler that shows a page already takes the `Session` guard, so this one method is
    /// where the session goes in, once for all pages; a handler adds only what is particular to
    /// its page.
    fn render(&self, name: &'static str, values: impl Serialize) -> Template {
        Template::render(
            name,
            PageContext {
                session: SessionInTemplates {
                    data: self.data.as_ref(),
                },
                sent: what_the_browser_sent(self),
                values,
            },
        )
    }
}

/// What every template receives.
#[derive(Serialize)]
struct PageContext<'a, T> {
    session: SessionInTemplates<'a>,
    sent: Vec<SentCookie>,
    /// The page's own values, side by side with `session` and `sent` (not nested under a name).
    #[serde(flatten)]
    values: T,
}

/// The session as the templates see it: the values that are set, or `{}` when there is no
/// session, as Flask's empty session is an empty dict. So `"user" in session` is simply false
/// for a visitor without one; were `session` null or missing, Tera would fail the page instead.
#[derive(Serialize)]
struct SessionInTemplates<'a> {
    #[serde(flatten)]
    data: Option<&'a SessionData>,
}
// ANCHOR_END: render

#[get("/")]
fn home(session: Session<'_>) -> Template {
    session.render("index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(session: Session<'_>, flash: Option<FlashMessage<'_>>) -> Result<Template, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if session.user().is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    // A one-time message left by `logout` or `forget`. The guard is an `Option` because a bare
    // `FlashMessage` fails the request with 400 when there is none. Reading the message makes
    // Rocket delete the `_flash` cookie in this response, so a reload no longer shows it.
    let message = flash.map(|flash| flash.message().to_owned());
    Ok(session.render("login", context! { message, remember: true }))
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
#[post("/login", data = "<form>")]
fn login(form: Form<Login>, mut session: Session<'_>) -> Result<Redirect, (Status, Template)> {
    let remember = form.remember.is_some();
    let name = match check_name(form.nm.as_deref()) {
        Ok(name) => name,
        Err(message) => {
            let values = context! { error: message, typed: form.nm.as_deref(), remember };
            return Err((Status::UnprocessableEntity, session.render("login", values)));
        }
    };
    session.log_in(name, remember);
    Ok(Redirect::to(uri!(show_user)))
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
    Ok(user_page(&session, None, None))
}
// ANCHOR_END: user

/// The user page, with a refused form's message and, for the names form, what was typed. The
/// template takes everything else from `session`; the handler adds only the colours on offer and
/// the expiry in words.
fn user_page(session: &Session<'_>, error: Option<&str>, typed: Option<&Names>) -> Template {
    let expires = session.data.as_ref().map(|data| data.expires);
    session.render(
        "user",
        context! {
            error,
            typed,
            colours: COLOURS,
            expires_at: expires.map(|at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
            seconds_left: expires.map(|at| (at - session.now).num_seconds()),
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
fn choose_colour(
    form: Form<ColourChoice>,
    mut session: Session<'_>,
) -> Result<Redirect, (Status, Template)> {
    // Only a logged-in user picks a colour; anyone else is sent to log in, and nothing is stored.
    if session.user().is_none() {
        return Ok(Redirect::to(uri!(login_form)));
    }
    match check_colour(form.colour.as_deref()) {
        Ok(colour) => {
            session.set_colour(colour);
            Ok(Redirect::to(uri!(show_user)))
        }
        Err(message) => Err((
            Status::UnprocessableEntity,
            user_page(&session, Some(message), None),
        )),
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

/// The names form. Both names are optional, but the form always sends both fields (empty when
/// left blank), so a missing one is a broken form and gets a message. The fields keep the seed's
/// names, in the form as in the session.
#[derive(FromForm, Serialize)]
#[serde(rename_all = "camelCase")]
struct Names {
    #[field(name = "firstName")]
    first_name: Option<String>,
    #[field(name = "lastName")]
    last_name: Option<String>,
}

// ANCHOR: names
#[post("/names", data = "<form>")]
fn save_names(form: Form<Names>, mut session: Session<'_>) -> Result<Redirect, (Status, Template)> {
    // Only a logged-in user fills in names; anyone else is sent to log in, and nothing is stored.
    if session.user().is_none() {
        return Ok(Redirect::to(uri!(login_form)));
    }
    // Both names are checked before either is stored, so a refused form changes nothing.
    let checked = check_optional_name("first name", "firstName", form.first_name.as_deref())
        .and_then(|first| {
            check_optional_name("last name", "lastName", form.last_name.as_deref())
                .map(|last| (first, last))
        });
    match checked {
        Ok((first_name, last_name)) => {
            session.set_names(first_name, last_name);
            Ok(Redirect::to(uri!(show_user)))
        }
        Err(message) => Err((
            Status::UnprocessableEntity,
            user_page(&session, Some(&message), Some(&form)),
        )),
    }
}
// ANCHOR_END: names

/// A first or last name as typed: trimmed, `None` when left empty (which takes it out of the
/// session), or the message the form shows instead.
fn check_optional_name(
    what: &str,
    field: &str,
    typed: Option<&str>,
) -> Result<Option<String>, String> {
    let Some(typed) = typed else {
        return Err(format!(
            "The form sent no {what} (the field `{field}` was missing)."
        ));
    };
    let name = typed.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "A {what} can have at most {MAX_NAME_CHARS} characters."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "A {what} cannot contain control characters such as tabs or line breaks."
        ));
    }
    Ok(Some(name.to_owned()))
}

// ANCHOR: logout
#[get("/logout")]
fn logout(mut session: Session<'_>) -> Result<Flash<Redirect>, Redirect> {
    let to_login = Redirect::to(uri!(login_form));
    // Removes the user and keeps the colour and the names, inside the one cookie.
    match session.log_out() {
        // `Flash` stores the message in a cookie `_flash` that is NOT encrypted (and not
        // HttpOnly): for up to five minutes the browser holds "You have been logged out, Tim." in
        // plain text. Put nothing in a flash message that the user may not read.
        Some(name) => Ok(Flash::success(
            to_login,
            format!("You have been logged out, {name}."),
        )),
        // Not logged in: just the redirect, and no message.
        None => Err(to_login),
    }
}
// ANCHOR_END: logout

// ANCHOR: forget
#[post("/forget")]
fn forget(mut session: Session<'_>) -> Result<Flash<Redirect>, Redirect> {
    let to_login = Redirect::to(uri!(login_form));
    // One cookie holds the whole session now, so clearing it is deleting that cookie.
    if session.clear() {
        Ok(Flash::success(
            to_login,
            "Everything in your session is forgotten.",
        ))
    } else {
        Err(to_login)
    }
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
    let jar = session.jar;
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: match cookie.name() {
                SESSION_COOKIE => describe_session(session),
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
    let json = |data: &SessionData| serde_json::to_string(data).unwrap_or_default();
    match read_session(session.jar, session.now, session.lifetime) {
        Some(Found::Valid(data)) => format!(
            "Decrypted with this server's key: {}. Accepted for {} more seconds.",
            json(&data),
            (data.expires - session.now).num_seconds()
        ),
        Some(Found::Expired(data)) if data.expires <= session.now => format!(
            "Decrypted with this server's key: {}. Its time is up, so the server refuses it: \
             you are not logged in.",
            json(&data)
        ),
        Some(Found::Expired(data)) => format!(
            "Decrypted with this server's key: {}. It claims more time than the lifetime of {} \
             seconds allows, so the server refuses it: you are not logged in.",
            json(&data),
            session.lifetime.seconds
        ),
        Some(Found::Unreadable) | None => "Could not be read with this server's key (forged, \
            changed, cut short, made with another key, or not this lesson's session): ignored, \
            you are not logged in."
            .to_owned(),
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

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    // No secret key is set here. The debug profile generates a random one at each launch (and
    // warns), so a restart logs everyone out; any other profile refuses to launch without
    // `ROCKET_SECRET_KEY` or `secret_key` in Rocket.toml.
    //
    // `Serialized::default` only fills gaps: ROCKET_PORT, ROCKET_ADDRESS and Rocket.toml still win.
    // The template directory is made absolute because `cargo run -p lesson-05` keeps the shell's
    // current directory, and Rocket would otherwise look for `templates/` there.
    let figment = Config::figment()
        .merge(Serialized::default("port", 8005))
        .merge(Serialized::default("template_dir", relative!("templates")));
    rocket::custom(figment)
        .attach(Template::fairing())
        // Reads `session_lifetime` when the app launches. A bad value stops the launch with a
        // message naming the setting and where it came from (Rocket.toml or the environment).
        .attach(AdHoc::config::<SessionConfig>())
        .mount(
            "/",
            routes![
                home,
                login_form,
                login,
                show_user,
                choose_colour,
                save_names,
                logout,
                forget
            ],
        )
}
// ANCHOR_END: rocket
