//! Lesson 03: log out (remove one value) versus forget me (remove them all).
//!
//! Flask steps: `session.pop("user", None)` (seeds 000 and 001) removes one value from the session;
//! `session.clear()` (seed 003) removes every value. The session here holds two values, the user's
//! name and a favourite colour, each in its own private cookie, so the difference shows: after
//! "Log out" the login page still knows your colour; after "Forget me" it knows nothing. After
//! logging out, the login page says "You have been logged out, Tim." once, like Flask's `flash()`.
//!
//! Seed 002 logs out with `session["user"] = None`, which is a bug: the README shows why, and
//! `src/tests.rs` proves what the same mistake does in Rocket.
//!
//! Run:  `cargo run -p lesson-03`, then open <http://127.0.0.1:8003>.
//!
//! Try:
//! - Log in as Tim, pick a colour, then log out: the login page says goodbye and still shows the
//!   colour. Reload it: the goodbye is gone, the colour is not.
//! - Click "Forget me": both cookies are deleted, and the colour with them.
//! - Log out while logged out: `curl -i http://127.0.0.1:8003/logout` is a plain redirect with no
//!   `Set-Cookie` at all.

use rocket::figment::providers::Serialized;
use rocket::form::{Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{get, launch, post, routes, uri, Build, Config, Rocket};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

#[cfg(test)]
mod tests;

/// The private cookie that holds the user's name, like Flask's `session["user"]`.
const USER_COOKIE: &str = "user";

/// The private cookie that holds the favourite colour, like Flask's `session["colour"]`.
const COLOUR_COOKIE: &str = "colour";

// ANCHOR: session_cookies
/// Every cookie that together makes up this lesson's session. Flask keeps the whole session in one
/// cookie, so `session.clear()` deletes that one; here "clear" must delete each of these.
const SESSION_COOKIES: [&str; 2] = [USER_COOKIE, COLOUR_COOKIE];
// ANCHOR_END: session_cookies

/// Longest name accepted, in characters. Even at four bytes a character the cookie stays far
/// below the 4096 bytes browsers keep per cookie.
const MAX_NAME_CHARS: usize = 50;

/// The colours on offer. Anything else, however long or short, is refused.
const COLOURS: [&str; 6] = ["red", "orange", "yellow", "green", "blue", "purple"];

#[get("/")]
fn home(jar: &CookieJar<'_>) -> Template {
    Template::render(
        "index",
        context! { colour: remembered_colour(jar), sent: what_the_browser_sent(jar) },
    )
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(jar: &CookieJar<'_>, flash: Option<FlashMessage<'_>>) -> Result<Template, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if jar.get_private(USER_COOKIE).is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    // A one-time message left by `logout` or `forget`. The guard is an `Option` because a bare
    // `FlashMessage` fails the request with 400 when there is none. Reading the message makes
    // Rocket delete the `_flash` cookie in this response, so a reload no longer shows it.
    let message = flash.map(|flash| flash.message().to_owned());
    Ok(Template::render(
        "login",
        context! {
            message,
            colour: remembered_colour(jar),
            sent: what_the_browser_sent(jar),
        },
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
                colour: remembered_colour(jar),
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
        Some(cookie) => Ok(user_page(cookie.value(), None, jar)),
        None => Err(Redirect::to(uri!(login_form))),
    }
}
// ANCHOR_END: user

/// The user page, with the colour form and, after a refused choice, its message.
fn user_page(name: &str, error: Option<&str>, jar: &CookieJar<'_>) -> Template {
    Template::render(
        "user",
        context! {
            name,
            error,
            colour: remembered_colour(jar),
            colours: COLOURS,
            sent: what_the_browser_sent(jar),
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
    jar: &CookieJar<'_>,
) -> Result<Redirect, (Status, Template)> {
    // Only a logged-in user picks a colour; anyone else is sent to log in, and nothing is stored.
    let Some(user) = jar.get_private(USER_COOKIE) else {
        return Ok(Redirect::to(uri!(login_form)));
    };
    match check_colour(form.colour.as_deref()) {
        Ok(colour) => {
            // Flask: `session["colour"] = colour`. A second value, in its own private cookie.
            jar.add_private(Cookie::build((COLOUR_COOKIE, colour)).expires(None));
            Ok(Redirect::to(uri!(show_user)))
        }
        Err(message) => Err((
            Status::UnprocessableEntity,
            user_page(user.value(), Some(message), jar),
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

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Result<Flash<Redirect>, Redirect> {
    let name = jar.get_private(USER_COOKIE);
    // Flask: `session.pop("user", None)`. Removes the user and nothing else: the colour stays.
    // Rocket sends `user=; Max-Age=0; Expires=<in the past>` only if the request carried the
    // cookie (a forged one is cleaned up too); with no cookie it sends nothing at all.
    jar.remove_private(USER_COOKIE);
    let to_login = Redirect::to(uri!(login_form));
    match name {
        // `Flash` stores the message in a cookie `_flash` that is NOT encrypted (and not
        // HttpOnly): for up to five minutes the browser holds "You have been logged out, Tim." in
        // plain text. Put nothing in a flash message that the user may not read.
        Some(name) => Ok(Flash::success(
            to_login,
            format!("You have been logged out, {}.", name.value()),
        )),
        // Not logged in: just the redirect, no `Set-Cookie` (and so no message either).
        None => Err(to_login),
    }
}
// ANCHOR_END: logout

// ANCHOR: forget
#[post("/forget")]
fn forget(jar: &CookieJar<'_>) -> Result<Flash<Redirect>, Redirect> {
    // Flask: `session.clear()`. Rocket's `CookieJar` has no `clear()`, so walk the cookies the
    // request carried and remove each one that belongs to this lesson's session. Not every one:
    // cookies ignore the port, so the jar also holds cookies that the other lessons, running on
    // 127.0.0.1 as well, set for themselves.
    let mut forgotten = false;
    for cookie in jar.iter() {
        if SESSION_COOKIES.contains(&cookie.name()) {
            jar.remove_private(cookie.name().to_owned());
            forgotten = true;
        }
    }
    let to_login = Redirect::to(uri!(login_form));
    if forgotten {
        Ok(Flash::success(
            to_login,
            "Your name and colour are forgotten.",
        ))
    } else {
        Err(to_login)
    }
}
// ANCHOR_END: forget

/// The favourite colour kept in the session, if any.
fn remembered_colour(jar: &CookieJar<'_>) -> Option<String> {
    jar.get_private(COLOUR_COOKIE)
        .map(|cookie| cookie.value().to_owned())
}

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
    let undecryptable = "Could not be decrypted with this server's key (forged, changed, cut \
        short or made with another key): ignored.";
    let mut sent: Vec<SentCookie> = jar
        .iter()
        .map(|cookie| SentCookie {
            name: cookie.name().to_owned(),
            value: shorten(cookie.value()),
            meaning: match cookie.name() {
                USER_COOKIE => match jar.get_private(USER_COOKIE) {
                    Some(user) => format!(
                        "Decrypted with this server's key: you are logged in as “{}”.",
                        user.value()
                    ),
                    None => format!("{undecryptable} You are not logged in."),
                },
                COLOUR_COOKIE => match jar.get_private(COLOUR_COOKIE) {
                    Some(colour) => format!(
                        "Decrypted with this server's key: your favourite colour is {}.",
                        colour.value()
                    ),
                    None => undecryptable.to_owned(),
                },
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
    // The template directory is made absolute because `cargo run -p lesson-03` keeps the shell's
    // current directory, and Rocket would otherwise look for `templates/` there.
    let figment = Config::figment()
        .merge(Serialized::default("port", 8003))
        .merge(Serialized::default("template_dir", relative!("templates")));
    rocket::custom(figment).attach(Template::fairing()).mount(
        "/",
        routes![
            home,
            login_form,
            login,
            show_user,
            choose_colour,
            logout,
            forget
        ],
    )
}
// ANCHOR_END: rocket
