//! Lesson 05: the session checked in the templates.
//!
//! Flask step: seed 003 reads the session inside a Jinja2 template,
//! `{% if 'firstName' in session %} First Name: {{ session['firstName'] }} {% endif %}`. Flask
//! hands `session` to every template by itself; Rocket hands a template only what the handler
//! passes it. Here a request guard, `Page`, hands the session to every page, written once. The
//! templates then decide on their own what to show: the navigation says "Logged in as Tim · Log
//! out" or "Log in", and the profile's optional fields (first name, last name, favourite colour)
//! appear only when they are set.
//!
//! Run:  `cargo run -p lesson-05`, then open <http://127.0.0.1:8005>.
//!
//! Try:
//! - Watch the navigation at the top of every page while you log in and out.
//! - Fill in only a first name on the profile page: the user page shows it and nothing else.
//!   Empty a field to remove it from the session.
//! - Read `templates/user.html.tera` next to the seed's Jinja2: the membership test is the same.

use std::convert::Infallible;

use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::{self, FromRequest, Request};
use rocket::response::Redirect;
use rocket::{get, launch, post, routes, uri, Build, Config, Rocket};
use rocket_dyn_templates::{context, Template};
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// The private cookie that holds the whole session, like Flask's one `session` cookie.
const SESSION_COOKIE: &str = "session";

/// Longest name or profile value accepted, in characters. With four values at four bytes a
/// character, the encrypted cookie stays well below the 4096 bytes browsers keep per cookie.
const MAX_NAME_CHARS: usize = 50;

// ANCHOR: session
/// Everything this lesson keeps in its session, stored as JSON in one private cookie.
///
/// The templates see these fields under the names the seed uses (`firstName`, not `first_name`).
/// A field that is not set is left out of the JSON altogether, not written as `null`: Tera's
/// `"firstName" in session`, like Jinja2's, asks whether the key is there, and a key holding
/// null is there. Without `skip_serializing_if`, an empty first name would pass the test and
/// print as nothing.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    user: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    favourite_colour: Option<String>,
}
// ANCHOR_END: session

impl Session {
    /// The session the browser sent, if it decrypts and parses; anything else is no session.
    fn from_cookies(jar: &CookieJar<'_>) -> Option<Session> {
        let cookie = jar.get_private(SESSION_COOKIE)?;
        serde_json::from_str(cookie.value()).ok()
    }

    /// Encrypts the session into the cookie. `expires(None)` makes it a browser-session cookie,
    /// gone when the browser closes, like Flask's default session.
    fn save(&self, jar: &CookieJar<'_>) {
        let json = serde_json::to_string(self).expect("a Session always serializes to JSON");
        jar.add_private(Cookie::build((SESSION_COOKIE, json)).expires(None));
    }
}

// ANCHOR: page
/// The values every page is rendered with, whatever its handler.
///
/// Flask passes `session` (with `request`, `g` and a few more) to every Jinja2 template without
/// being asked: `render_template` merges them into each template's context. Rocket passes a
/// template only the context its handler builds. Rather than repeat `session: ...` in every
/// handler, each page handler takes this request guard and renders through `Page::render`,
/// which adds `session` and `sent` (the "what your browser sent" panel) to the page's own values.
struct Page {
    session: Option<Session>,
    sent: Vec<SentCookie>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Page {
    /// Never fails: without a valid session cookie the page is simply rendered logged out.
    type Error = Infallible;

    async fn from_request(request: &'r Request<'_>) -> request::Outcome<Page, Infallible> {
        let jar = request.cookies();
        request::Outcome::Success(Page {
            session: Session::from_cookies(jar),
            sent: what_the_browser_sent(jar),
        })
    }
}

impl Page {
    /// The template `name`, rendered with `values` plus `session` and `sent`.
    fn render(&self, name: &'static str, values: impl Serialize) -> Template {
        Template::render(name, self.context(values))
    }

    /// What a template receives: its own `values`, and next to them `session` and `sent`.
    fn context<T: Serialize>(&self, values: T) -> PageContext<'_, T> {
        PageContext {
            session: SessionInTemplates {
                values: self.session.as_ref(),
            },
            sent: &self.sent,
            values,
        }
    }
}

#[derive(Serialize)]
struct PageContext<'a, T> {
    session: SessionInTemplates<'a>,
    sent: &'a [SentCookie],
    #[serde(flatten)]
    values: T,
}

/// The session as the templates see it: the fields that are set, or `{}` when there is no
/// session, as Flask's empty session is an empty dict. So `"user" in session` is simply false
/// when nobody is logged in, where a missing or null `session` would make Tera fail the page.
#[derive(Serialize)]
struct SessionInTemplates<'a> {
    #[serde(flatten)]
    values: Option<&'a Session>,
}
// ANCHOR_END: page

#[get("/")]
fn home(page: Page) -> Template {
    page.render("index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(page: Page) -> Result<Template, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if page.session.is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(page.render("login", context! {}))
}
// ANCHOR_END: login_form

/// The login form. `nm` is optional here so that a form without it gets a message, not an error page.
#[derive(FromForm)]
struct Login {
    nm: Option<String>,
}

// ANCHOR: login
#[post("/login", data = "<form>")]
fn login(
    form: Form<Login>,
    page: Page,
    jar: &CookieJar<'_>,
) -> Result<Redirect, (Status, Template)> {
    let name = match check_name(form.nm.as_deref()) {
        Ok(name) => name,
        Err(message) => {
            let values = context! { error: message, typed: form.nm.as_deref() };
            return Err((Status::UnprocessableEntity, page.render("login", values)));
        }
    };
    let session = Session {
        user: name,
        first_name: None,
        last_name: None,
        favourite_colour: None,
    };
    session.save(jar);
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

/// The name as typed, trimmed, or the message the form shows instead.
fn check_name(typed: Option<&str>) -> Result<String, String> {
    let Some(typed) = typed else {
        return Err("The form sent no name (the field `nm` was missing).".to_owned());
    };
    let name = typed.trim();
    if name.is_empty() {
        return Err("Please type a name.".to_owned());
    }
    check_text("A name", name)?;
    Ok(name.to_owned())
}

/// Refuses text over `MAX_NAME_CHARS` characters or with control characters, naming it `what`.
fn check_text(what: &str, text: &str) -> Result<(), String> {
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "{what} can have at most {MAX_NAME_CHARS} characters."
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "{what} cannot contain control characters such as tabs or line breaks."
        ));
    }
    Ok(())
}

// ANCHOR: user
#[get("/user")]
fn show_user(page: Page) -> Result<Template, Redirect> {
    // The handler only decides whether there is a session; what to show from it is up to
    // `user.html.tera`, as in the seed.
    if page.session.is_none() {
        return Err(Redirect::to(uri!(login_form)));
    }
    Ok(page.render("user", context! {}))
}
// ANCHOR_END: user

/// The profile form. Every field is optional in the session, but the form always sends all
/// three (empty when left blank), so a missing one is a broken form and gets a message.
#[derive(FromForm)]
struct Profile {
    #[field(name = "firstName")]
    first_name: Option<String>,
    #[field(name = "lastName")]
    last_name: Option<String>,
    #[field(name = "favouriteColour")]
    favourite_colour: Option<String>,
}

/// The profile form's values, as the form shows them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProfileValues<'a> {
    first_name: &'a str,
    last_name: &'a str,
    favourite_colour: &'a str,
}

// ANCHOR: profile_form
#[get("/profile")]
fn profile_form(page: Page) -> Result<Template, Redirect> {
    let Some(session) = &page.session else {
        return Err(Redirect::to(uri!(login_form)));
    };
    let form = ProfileValues {
        first_name: session.first_name.as_deref().unwrap_or_default(),
        last_name: session.last_name.as_deref().unwrap_or_default(),
        favourite_colour: session.favourite_colour.as_deref().unwrap_or_default(),
    };
    Ok(page.render("profile", context! { form }))
}
// ANCHOR_END: profile_form

// ANCHOR: save_profile
#[post("/profile", data = "<form>")]
fn save_profile(
    form: Form<Profile>,
    page: Page,
    jar: &CookieJar<'_>,
) -> Result<Redirect, (Status, Template)> {
    let Some(mut session) = Session::from_cookies(jar) else {
        return Ok(Redirect::to(uri!(login_form)));
    };
    // Check every field before changing anything, so a refused form stores nothing.
    let checked = (
        check_profile_field("A first name", "firstName", form.first_name.as_deref()),
        check_profile_field("A last name", "lastName", form.last_name.as_deref()),
        check_profile_field(
            "A favourite colour",
            "favouriteColour",
            form.favourite_colour.as_deref(),
        ),
    );
    match checked {
        (Ok(first_name), Ok(last_name), Ok(favourite_colour)) => {
            // Flask: `session["firstName"] = request.form["firstName"]`, and so on.
            session.first_name = first_name;
            session.last_name = last_name;
            session.favourite_colour = favourite_colour;
            session.save(jar);
            Ok(Redirect::to(uri!(show_user)))
        }
        (first, last, colour) => {
            let errors: Vec<String> = [first.err(), last.err(), colour.err()]
                .into_iter()
                .flatten()
                .collect();
            let typed = ProfileValues {
                first_name: form.first_name.as_deref().unwrap_or_default(),
                last_name: form.last_name.as_deref().unwrap_or_default(),
                favourite_colour: form.favourite_colour.as_deref().unwrap_or_default(),
            };
            let values = context! { errors, form: typed };
            Err((Status::UnprocessableEntity, page.render("profile", values)))
        }
    }
}
// ANCHOR_END: save_profile

/// One profile value as typed: trimmed, `None` when left empty (which removes it from the
/// session), or the message the form shows instead.
fn check_profile_field(
    what: &str,
    field: &str,
    typed: Option<&str>,
) -> Result<Option<String>, String> {
    let Some(typed) = typed else {
        return Err(format!("The form sent no field `{field}`."));
    };
    let value = typed.trim();
    if value.is_empty() {
        return Ok(None);
    }
    check_text(what, value)?;
    Ok(Some(value.to_owned()))
}

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Redirect {
    // Flask: `session.clear()`. The whole session is one cookie, so removing it forgets the
    // name and the profile together. Rocket sends the removal only if the request carried it.
    jar.remove_private(SESSION_COOKIE);
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: logout

/// One line of the "what your browser sent" panel.
#[derive(Serialize)]
struct SentCookie {
    name: String,
    value: String,
    meaning: String,
}

/// Every cookie this request carried, and what the server made of it.
fn what_the_browser_sent(jar: &CookieJar<'_>) -> Vec<SentCookie> {
    let decrypted = jar.get_private(SESSION_COOKIE);
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: match (cookie.name(), &decrypted) {
                (SESSION_COOKIE, Some(session)) => {
                    format!("Decrypted with this server's key: {}", session.value())
                }
                (SESSION_COOKIE, None) => "Could not be decrypted with this server's key \
                    (forged, changed, cut short or made with another key): ignored, \
                    you are not logged in."
                    .to_owned(),
                _ => "Not used by this lesson.".to_owned(),
            },
        })
        .collect();
    sent.sort_by(|a, b| a.name.cmp(&b.name));
    sent
}

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
    rocket::custom(figment).attach(Template::fairing()).mount(
        "/",
        routes![
            home,
            login_form,
            login,
            show_user,
            profile_form,
            save_profile,
            logout
        ],
    )
}
// ANCHOR_END: rocket
