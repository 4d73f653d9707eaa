//! Lesson 03: log out, which removes one value (Flask's `session.pop("user", None)`, seeds 000
//! and 001), versus "forget me", which removes them all (`session.clear()`, seed 003); a
//! goodbye shown once, like Flask's `flash()`.
//!
//! Run: `cargo run -p lesson-03`, then open <http://127.0.0.1:8003>.
//! Chapter: docs/src/lesson-03.md.

use lesson_support::Page;
use rocket::form::{self, Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::{FlashMessage, Request};
use rocket::response::{Flash, Redirect};
use rocket::{get, launch, post, routes, uri, Build, Rocket};
use rocket_dyn_templates::{context, Template};

#[cfg(test)]
mod tests;

/// Flask's `session["user"]`, in a private (encrypted) cookie of its own.
const USER_COOKIE: &str = "user";

/// Flask's `session["colour"]`, a second value, so that pop and clear differ.
const COLOUR_COOKIE: &str = "colour";

// ANCHOR: session_cookies
/// Every cookie of this lesson's session, which "forget me" must remove one by one.
const SESSION_COOKIES: [&str; 2] = [USER_COOKIE, COLOUR_COOKIE];
// ANCHOR_END: session_cookies

const COLOURS: [&str; 6] = ["red", "orange", "yellow", "green", "blue", "purple"];

#[get("/")]
fn home(jar: &CookieJar<'_>) -> Page {
    Page::render("index", context! { colour: colour(jar) })
}

/// The favourite colour kept in the session, if any.
fn colour(jar: &CookieJar<'_>) -> Option<String> {
    Some(jar.get_private(COLOUR_COOKIE)?.value().to_owned())
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(jar: &CookieJar<'_>, flash: Option<FlashMessage<'_>>) -> Result<Page, Redirect> {
    if jar.get_private(USER_COOKIE).is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    // Reading the flash makes Rocket delete its cookie in this response, so it shows once.
    let message = flash.map(|flash| flash.message().to_owned());
    Ok(Page::render(
        "login",
        context! { message, colour: colour(jar) },
    ))
}
// ANCHOR_END: login_form

// ANCHOR: login
#[derive(FromForm)]
struct Login<'r> {
    #[field(validate = lesson_support::name())]
    nm: &'r str,
}

#[post("/login", data = "<form>")]
fn login<'r>(
    form: Form<Contextual<'r, Login<'r>>>,
    jar: &CookieJar<'_>,
) -> Result<Redirect, (Status, Page)> {
    let Some(login) = &form.value else {
        return Err((
            form.context.status(),
            Page::render(
                "login",
                context! { form: &form.context, colour: colour(jar) },
            ),
        ));
    };
    // Encrypted and `HttpOnly`; `expires(None)` makes it a browser-session cookie, not one week.
    let cookie = Cookie::build((USER_COOKIE, login.nm.trim().to_owned())).expires(None);
    jar.add_private(cookie);
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: user
#[get("/user")]
fn show_user(jar: &CookieJar<'_>, flash: Option<FlashMessage<'_>>) -> Result<Page, Redirect> {
    // `get_private` decrypts and checks the value; a forged, changed or foreign one is `None`.
    let user = jar
        .get_private(USER_COOKIE)
        .ok_or(Redirect::to(uri!(login_form)))?;
    // As on the login page: reading the flash deletes its cookie, so it shows once.
    let message = flash.map(|flash| flash.message().to_owned());
    Ok(user_page(user.value(), jar, None).with("message", message))
}
// ANCHOR_END: user

fn user_page(name: &str, jar: &CookieJar<'_>, form: Option<&form::Context<'_>>) -> Page {
    let colour = colour(jar);
    Page::render("user", context! { name, colour, colours: COLOURS, form })
}

// ANCHOR: colour
#[derive(FromForm)]
struct ColourChoice<'r> {
    #[field(validate = colour_on_offer())]
    colour: &'r str,
}

fn colour_on_offer<'v>(chosen: &str) -> form::Result<'v, ()> {
    if chosen.is_empty() {
        return Err(form::Error::validation("Please choose a colour.").into());
    }
    if !COLOURS.contains(&chosen) {
        let message = "Please choose one of the colours on offer.";
        return Err(form::Error::validation(message).into());
    }
    Ok(())
}

#[post("/colour", data = "<form>")]
fn choose_colour<'r>(
    form: Form<Contextual<'r, ColourChoice<'r>>>,
    jar: &CookieJar<'_>,
) -> Result<Redirect, (Status, Page)> {
    // Only a logged-in user picks a colour; anyone else is sent to log in.
    let Some(user) = jar.get_private(USER_COOKIE) else {
        return Ok(Redirect::to(uri!(login_form)));
    };
    let Some(choice) = &form.value else {
        let page = user_page(user.value(), jar, Some(&form.context));
        return Err((form.context.status(), page));
    };
    // Flask: `session["colour"] = colour`.
    jar.add_private(Cookie::build((COLOUR_COOKIE, choice.colour.to_owned())).expires(None));
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: colour

// ANCHOR: forget_colour
#[post("/colour/forget")]
fn forget_colour(jar: &CookieJar<'_>) -> Result<Flash<Redirect>, Redirect> {
    // Only a logged-in user forgets a colour; anyone else is sent to log in, with nothing changed.
    if jar.get_private(USER_COOKIE).is_none() {
        return Err(Redirect::to(uri!(login_form)));
    }
    // Flask: `session.pop("colour", None)`: the colour goes, the user stays.
    jar.remove_private(COLOUR_COOKIE);
    Ok(Flash::success(
        Redirect::to(uri!(show_user)),
        "Your colour is forgotten.",
    ))
}
// ANCHOR_END: forget_colour

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Result<Flash<Redirect>, Redirect> {
    let user = jar.get_private(USER_COOKIE);
    // Flask: `session.pop("user", None)`. The user goes, the colour stays.
    jar.remove_private(USER_COOKIE);
    let to_login = Redirect::to(uri!(login_form));
    let Some(user) = user else {
        return Err(to_login);
    };
    // `_flash` is a plain, readable cookie, so it holds nothing the user may not read.
    let goodbye = format!("You have been logged out, {}.", user.value());
    Ok(Flash::success(to_login, goodbye))
}
// ANCHOR_END: logout

// ANCHOR: forget
#[post("/forget")]
fn forget(jar: &CookieJar<'_>) -> Result<Flash<Redirect>, Redirect> {
    // Flask: `session.clear()`. Rocket's jar has none, so each cookie of the session goes.
    let mut forgotten = false;
    for name in SESSION_COOKIES {
        if jar.get(name).is_some() {
            jar.remove_private(name);
            forgotten = true;
        }
    }
    let to_login = Redirect::to(uri!(login_form));
    if !forgotten {
        return Err(to_login);
    }
    Ok(Flash::success(
        to_login,
        "Your name and colour are forgotten.",
    ))
}
// ANCHOR_END: forget

// ANCHOR: panel
fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    let jar = request.cookies();
    let undecryptable = "Could not be decrypted with this server's key (forged, changed, cut \
        short or made with another key): ignored.";
    Some(match cookie.name() {
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
        "_flash" => "Rocket's one-time message, in plain text (not encrypted): deleted by the \
            response of the page that shows it."
            .to_owned(),
        _ => return None,
    })
}
// ANCHOR_END: panel

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    rocket::custom(lesson_support::figment(8003, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .mount(
            "/",
            routes![
                home,
                login_form,
                login,
                show_user,
                choose_colour,
                forget_colour,
                logout,
                forget
            ],
        )
}
// ANCHOR_END: rocket
