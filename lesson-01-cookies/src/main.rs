//! Lesson 01: remembering who logged in with a plain cookie.
//!
//! Flask step: "Sessions vs Cookies" (seed 001). Before reaching for `session`, the name typed into
//! the login form is kept in an ordinary cookie, the way `response.set_cookie("user", name)` would.
//!
//! Run:  `cargo run -p lesson-01`, then open <http://127.0.0.1:8001>.
//!
//! Try:
//! - Log in as Tim and open the browser's devtools (Application → Cookies): the cookie `user` holds
//!   `Tim` in plain text. Anyone with the browser can read it.
//! - Change it, or send your own: `curl -i http://127.0.0.1:8001/user -H 'Cookie: user=admin'`.
//!   The server believes whatever the cookie says, so you are now "admin". Lesson 02 fixes that.

use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::response::Redirect;
use rocket::{get, launch, post, routes, uri, Build, Config, Rocket};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

#[cfg(test)]
mod tests;

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

// ANCHOR: login
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
    // `add` fills in `Path=/` and `SameSite=Strict` but not `HttpOnly`: without it, any script on
    // the page (an injected one too) could read `document.cookie`. Flask sets HttpOnly on its
    // session cookie; we ask for it here.
    jar.add(Cookie::build((USER_COOKIE, name)).http_only(true));
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
fn show_user(jar: &CookieJar<'_>) -> Result<Template, Redirect> {
    // The server takes the cookie's word for it: whoever sends `user=admin` is admin.
    match jar.get(USER_COOKIE) {
        Some(cookie) => Ok(Template::render(
            "user",
            context! { name: cookie.value(), sent: what_the_browser_sent(jar) },
        )),
        None => Err(Redirect::to(uri!(login_form))),
    }
}
// ANCHOR_END: user

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Redirect {
    // Sends `user=; Max-Age=0; Expires=<in the past>` so the browser deletes it, but only if the
    // request carried the cookie: with nothing to delete, nothing is sent.
    jar.remove(USER_COOKIE);
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

// ANCHOR: panel
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
// ANCHOR_END: rocket
