//! Lesson 01: remembering who logged in with a plain cookie, as Flask's
//! `response.set_cookie("user", name)` does ("Sessions vs Cookies", seed 001).
//!
//! Run: `cargo run -p lesson-01`, then open <http://127.0.0.1:8001>.
//! Chapter: docs/src/lesson-01.md.

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

/// Flask's `request.cookies["user"]`.
const USER_COOKIE: &str = "user";

#[get("/")]
fn home() -> Page {
    Page::render("index", context! {})
}

#[get("/login")]
fn login_form() -> Page {
    Page::render("login", context! {})
}

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
    // `add` sets `Path=/` and `SameSite=Strict`, not `HttpOnly`: we ask for it, as Flask does.
    jar.add(Cookie::build((USER_COOKIE, login.nm.trim().to_owned())).http_only(true));
    Ok(Redirect::to(uri!(show_user)))
}
// ANCHOR_END: login

// ANCHOR: user
#[get("/user")]
fn show_user(jar: &CookieJar<'_>) -> Result<Page, Redirect> {
    // The server takes the cookie's word for it: whoever sends `user=admin` is admin.
    let user = jar.get(USER_COOKIE).ok_or(Redirect::to(uri!(login_form)))?;
    Ok(Page::render("user", context! { name: user.value() }))
}
// ANCHOR_END: user

// ANCHOR: logout
#[get("/logout")]
fn logout(jar: &CookieJar<'_>) -> Redirect {
    // Sends a removal (`Max-Age=0`) only if the request carried the cookie.
    jar.remove(USER_COOKIE);
    Redirect::to(uri!(login_form))
}
// ANCHOR_END: logout

// ANCHOR: panel
fn explain(_: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    (cookie.name() == USER_COOKIE).then(|| {
        format!(
            "Read as plain text: you are logged in as “{}”.",
            cookie.value()
        )
    })
}
// ANCHOR_END: panel

// ANCHOR: rocket
#[launch]
fn rocket() -> Rocket<Build> {
    rocket::custom(lesson_support::figment(8001, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .mount("/", routes![home, login_form, login, show_user, logout])
}
// ANCHOR_END: rocket
