//! Lesson 02: a session in an encrypted cookie.
//!
//! Flask step: `session["user"] = user` (seeds 000 and 001). `/user` reads the name back from the
//! session, and `/login` sends a visitor who is already logged in straight to `/user`.
//!
//! Flask signs its session cookie (anyone can read it, nobody can change it). Rocket's private
//! cookies go further: AES-256-GCM encrypts and authenticates the value, so the browser can neither
//! read nor change it.
//!
//! Run:  `cargo run -p lesson-02`, then open <http://127.0.0.1:8002>.
//!
//! Try:
//! - Log in as Tim and look at the cookie `user` in devtools: ciphertext, not `Tim`.
//! - Forge one: `curl -i http://127.0.0.1:8002/user -H 'Cookie: user=admin'` is sent to `/login`.
//! - Restart the server and reload `/user`: you are logged out. Without a configured key the debug
//!   build makes up a new one at every launch. Set one and restarts keep you logged in:
//!   `ROCKET_SECRET_KEY=$(openssl rand -base64 32) cargo run -p lesson-02` (keep the same value).

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

/// The private cookie that holds the user's name, like Flask's `session["user"]`.
const USER_COOKIE: &str = "user";

/// Longest name accepted, in characters. Even at four bytes a character the cookie stays far
/// below the 4096 bytes browsers keep per cookie.
const MAX_NAME_CHARS: usize = 50;

#[get("/")]
fn home(jar: &CookieJar<'_>) -> Template {
    Template::render("index", context! { sent: what_the_browser_sent(jar) })
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(jar: &CookieJar<'_>) -> Result<Template, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if jar.get_private(USER_COOKIE).is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(Template::render(
        "login",
        context! { sent: what_the_browser_sent(jar) },
    ))
}
// ANCHOR_END: login_form

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
    // `add_private` encrypts the value and fills in `Path=/`, `SameSite=Strict` and `HttpOnly`.
    // Left alone it would also set `Expires` to one week from now; `expires(None)` makes it a
    // browser-session cookie instead, gone when the browser closes, like Flask's default session.
    jar.add_private(Cookie::build((USER_COOKIE, name)).expires(None));
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
    // `get_private` decrypts and checks the value; a forged, changed or foreign cookie is `None`.
    match jar.get_private(USER_COOKIE) {
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
    // Flask: `session.pop("user", None)`. Sends `user=; Max-Age=0; Expires=<in the past>` so the
    // browser deletes it, but only if the request carried the cookie: otherwise nothing is sent.
    jar.remove_private(USER_COOKIE);
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
    let user = jar.get_private(USER_COOKIE);
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: match (cookie.name(), &user) {
                (USER_COOKIE, Some(user)) => format!(
                    "Decrypted with this server's key: you are logged in as “{}”.",
                    user.value()
                ),
                (USER_COOKIE, None) => "Could not be decrypted with this server's key \
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
    // The template directory is made absolute because `cargo run -p lesson-02` keeps the shell's
    // current directory, and Rocket would otherwise look for `templates/` there.
    let figment = Config::figment()
        .merge(Serialized::default("port", 8002))
        .merge(Serialized::default("template_dir", relative!("templates")));
    rocket::custom(figment)
        .attach(Template::fairing())
        .mount("/", routes![home, login_form, login, show_user, logout])
}
// ANCHOR_END: rocket
