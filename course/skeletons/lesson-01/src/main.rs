//! Exercise 01: remember who logged in, in a plain cookie.
//!
//! The pages and the login form are here; nothing remembers the name yet. Make `POST /login` keep
//! the name in a cookie called `user`, `/user` greet whoever that cookie names, and `/logout`
//! delete it. The task, the hints and the checks: README.md beside this directory's Cargo.toml.
//!
//! Run:  `cargo run` in this directory, then open <http://127.0.0.1:8001>.

use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::{get, launch, post, routes, uri, Build, Config, Rocket};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

/// The cookie that holds the user's name, like Flask's `request.cookies["user"]`.
const USER_COOKIE: &str = "user";

/// Longest name accepted, in characters. Even at four bytes a character the cookie stays far
/// below the 4096 bytes browsers keep per cookie.
const MAX_NAME_CHARS: usize = 50;

#[get("/")]
fn home(jar: &CookieJar<'_>) -> Template {
    Template::render("index", context! { sent: what_the_browser_sent(jar) })
}

#[get("/login")]
fn login_form(jar: &CookieJar<'_>) -> Template {
    Template::render("login", context! { sent: what_the_browser_sent(jar) })
}

/// The login form. `nm` is optional here so that a form without it gets a message, not an error page.
#[derive(FromForm)]
struct Login {
    nm: Option<String>,
}

#[post("/login", data = "<form>")]
fn login(form: Form<Login>, jar: &CookieJar<'_>) -> Result<Redirect, (Status, Template)> {
    let name = match check_name(form.nm.as_deref()) {
        Ok(name) => name,
        Err(message) => {
            let page = context! {
                error: message,
                typed: form.nm.as_deref(),
                sent: what_the_browser_sent(jar),
            };
            return Err((Status::UnprocessableEntity, Template::render("login", page)));
        }
    };
    // TODO: keep `name` in a cookie called `user`, one a page script cannot read.
    let _ = name;
    Ok(Redirect::to(uri!(show_user)))
}

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

#[get("/user")]
fn show_user(jar: &CookieJar<'_>) -> Result<Template, Redirect> {
    // TODO: when the request carries the cookie `user`, show the page "user" with `name` set to
    // its value (and `sent` as below); without it, send the browser to the login form.
    let _ = jar;
    Err(Redirect::to(uri!(login_form)))
}

#[get("/logout")]
fn logout() -> Redirect {
    // TODO: delete the cookie `user`.
    Redirect::to(uri!(login_form))
}

/// One line of the "what your browser sent" panel.
#[derive(Serialize)]
struct SentCookie {
    name: String,
    value: String,
    meaning: String,
}

/// Every cookie this request carried, and what the server made of it.
fn what_the_browser_sent(jar: &CookieJar<'_>) -> Vec<SentCookie> {
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: if cookie.name() == USER_COOKIE {
                format!(
                    "Read as plain text: you are logged in as “{}”.",
                    cookie.value()
                )
            } else {
                "Not used by this lesson.".to_owned()
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

#[launch]
fn rocket() -> Rocket<Build> {
    // `Serialized::default` only fills gaps: ROCKET_PORT, ROCKET_ADDRESS and Rocket.toml still win.
    // The template directory is made absolute because `cargo run -p lesson-01` keeps the shell's
    // current directory, and Rocket would otherwise look for `templates/` there.
    let figment = Config::figment()
        .merge(Serialized::default("port", 8001))
        .merge(Serialized::default("template_dir", relative!("templates")));
    rocket::custom(figment)
        .attach(Template::fairing())
        .mount("/", routes![home, login_form, login, show_user, logout])
}
