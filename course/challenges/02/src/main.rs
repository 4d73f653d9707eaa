//! Lesson 02: the session in an encrypted cookie, as Flask's `session["user"] = user` (seeds 000
//! and 001), except that Flask only signs its cookie and Rocket's private cookie is encrypted.
//!
//! Run: `cargo run -p lesson-02`, then open <http://127.0.0.1:8002>.
//! Chapter: docs/src/lesson-02.md.

use lesson_support::Page;
use rocket::form::{Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::Request;
use rocket::response::Redirect;
use rocket::{get, launch, post, routes, uri, Build, Rocket};
use rocket_dyn_templates::{context, Template};

#[cfg(test)]
mod tests;

/// Flask's `session["user"]`, in a private (encrypted) cookie of its own.
const USER_COOKIE: &str = "user";

/// How often this browser opened /user, in a private cookie: it can neither read nor change it.
const VISITS_COOKIE: &str = "visits";

#[get("/")]
fn home() -> Page {
    Page::render("index", context! {})
}

// ANCHOR: login_form
#[get("/login")]
fn login_form(jar: &CookieJar<'_>) -> Result<Page, Redirect> {
    // Flask: `if "user" in session: return redirect(url_for("user"))`.
    if jar.get_private(USER_COOKIE).is_some() {
        return Err(Redirect::to(uri!(show_user)));
    }
    Ok(Page::render("login", context! {}))
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
            Page::render("login", context! { form: &form.context }),
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
fn show_user(jar: &CookieJar<'_>) -> Result<Page, Redirect> {
    // `get_private` decrypts and checks the value; a forged, changed or foreign one is `None`.
    let user = jar
        .get_private(USER_COOKIE)
        .ok_or(Redirect::to(uri!(login_form)))?;
    // Forged, changed, foreign or not a number: `None`, so the count starts again at 1.
    let counted = jar
        .get_private(VISITS_COOKIE)
        .and_then(|cookie| cookie.value().parse::<u32>().ok());
    let visits = counted.unwrap_or(0).saturating_add(1);
    jar.add_private((VISITS_COOKIE, visits.to_string()));
    Ok(Page::render(
        "user",
        context! { name: user.value(), visits },
    ))
}
// ANCHOR_END: user

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Redirect {
    // Flask: `session.pop("user", None)`. A removal only if the request carried the cookie.
    jar.remove_private(USER_COOKIE);
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: logout

// ANCHOR: panel
fn explain(request: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    if cookie.name() != USER_COOKIE {
        return None;
    }
    Some(match request.cookies().get_private(USER_COOKIE) {
        Some(user) => format!(
            "Decrypted with this server's key: you are logged in as “{}”.",
            user.value()
        ),
        None => "Could not be decrypted with this server's key (forged, changed, cut short or \
            made with another key): ignored, you are not logged in."
            .to_owned(),
    })
}
// ANCHOR_END: panel

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    // No secret key here: debug builds make one up at each launch, release builds refuse to start.
    rocket::custom(lesson_support::figment(8002, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .mount("/", routes![home, login_form, login, show_user, logout])
}
// ANCHOR_END: rocket
