//! Exercise 01: remember who logged in, in a plain cookie.
//!
//! The pages and the login form are here; nothing remembers the name yet. Make `POST /login` keep
//! the name in a cookie called `user`, `/user` greet whoever that cookie names, and `/logout`
//! delete it. The task, the hints and the checks: README.md beside this directory's Cargo.toml.
//!
//! Run: `cargo run` in this directory, then open <http://127.0.0.1:8001>.

use lesson_support::Page;
use rocket::form::{Contextual, Form, FromForm};
use rocket::fs::relative;
use rocket::http::{Cookie, CookieJar, Status};
use rocket::request::Request;
use rocket::response::Redirect;
use rocket::{get, launch, post, routes, uri, Build, Rocket};
use rocket_dyn_templates::{context, Template};

/// The cookie that will hold the name, like Flask's `request.cookies["user"]`.
const USER_COOKIE: &str = "user";

#[get("/")]
fn home() -> Page {
    Page::render("index", context! {})
}

#[get("/login")]
fn login_form() -> Page {
    Page::render("login", context! {})
}

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
    // TODO: keep `login.nm.trim()` in a cookie called `user`, one a page script cannot read.
    let _ = (login, jar);
    Ok(Redirect::to(uri!(show_user)))
}

#[get("/user")]
fn show_user(jar: &CookieJar<'_>) -> Result<Page, Redirect> {
    // TODO: when the request carries the cookie `user`, show the page "user" with `name` set to
    // its value; without it, send the browser to the login form.
    let _ = jar;
    Err(Redirect::to(uri!(login_form)))
}

#[get("/logout")]
fn logout() -> Redirect {
    // TODO: delete the cookie `user`.
    Redirect::to(uri!(login_form))
}

/// What the "what your browser sent" panel says of the cookie `user`.
fn explain(_: &Request<'_>, cookie: &Cookie<'static>) -> Option<String> {
    (cookie.name() == USER_COOKIE).then(|| {
        format!(
            "Read as plain text: you are logged in as “{}”.",
            cookie.value()
        )
    })
}

#[launch]
fn rocket() -> Rocket<Build> {
    rocket::custom(lesson_support::figment(8001, relative!("templates")))
        .attach(Template::fairing())
        .attach(lesson_support::explain(explain))
        .mount("/", routes![home, login_form, login, show_user, logout])
}
