//! In-process tests, with Rocket's local client, for what the spec cannot see from outside: seed
//! 002's wrong logout, mounted next to the lesson's app only here. The copy-survives-logout test is
//! also in lesson 03's spec; it stays here because the book shows it (docs/src/lesson-03.md).
//! Everything else a user can see is lesson 03's spec in the `specs` package, run by
//! `tests/spec.rs`.

use super::{rocket, USER_COOKIE};
use rocket::http::{ContentType, Cookie, CookieJar, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::response::Redirect;
use rocket::{get, routes, Build, Rocket};

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";

/// The lesson's app with `secret_key` set, as `ROCKET_SECRET_KEY` would set it.
fn app_with_key(key: &str) -> Rocket<Build> {
    let app = rocket();
    let figment = app.figment().clone().merge(("secret_key", key));
    app.configure(figment)
}

fn client_with_key(key: &str) -> Client {
    Client::tracked(app_with_key(key)).expect("a valid Rocket instance")
}

fn client() -> Client {
    client_with_key(TEST_KEY)
}

fn log_in<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/login")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
}

/// The `Set-Cookie` header for the cookie `name`, if the response has one.
fn set_cookie_for(response: &LocalResponse<'_>, name: &str) -> Option<String> {
    set_cookie_headers(response)
        .into_iter()
        .find(|header| header.starts_with(&format!("{name}=")))
}

fn assert_is_removal(header: Option<String>, name: &str) {
    let header = header.unwrap_or_else(|| panic!("no Set-Cookie for {name}"));
    assert!(header.starts_with(&format!("{name}=; ")), "{header}");
    assert!(header.contains("Max-Age=0"), "{header}");
    assert!(header.contains("Path=/"), "{header}");
}

/// Logs in as `name` and returns the encrypted value of the session cookie.
fn session_value(client: &Client, name: &str) -> String {
    let response = log_in(client, &format!("nm={name}"));
    assert_eq!(response.status(), Status::SeeOther);
    response
        .cookies()
        .get("user")
        .expect("login sets the cookie `user`")
        .value()
        .to_owned()
}

fn set_cookie_headers(response: &LocalResponse<'_>) -> Vec<String> {
    response
        .headers()
        .get("Set-Cookie")
        .map(str::to_owned)
        .collect()
}

fn location<'r>(response: &'r LocalResponse<'_>) -> Option<&'r str> {
    response.headers().get_one("Location")
}

/// Asks for `/user` with exactly one cookie `user=<value>` and no other state.
fn user_page_with(value: &str, key: &str) -> (Status, Option<String>) {
    let client = Client::untracked(app_with_key(key)).unwrap();
    let response = client
        .get("/user")
        .cookie(Cookie::new("user", value.to_owned()))
        .dispatch();
    (response.status(), location(&response).map(str::to_owned))
}

// --- Lesson 03: log out, forget me, the one-time message --------------------------------------

// ANCHOR: logout_cannot_revoke
#[test]
fn logout_cannot_revoke_a_copy_of_the_cookie() {
    // Everything the session knows lives in the cookie, so the server has nothing to delete:
    // "log out" only asks the browser to drop its copy. A copy taken earlier (by malware, by a
    // shared computer, by anyone who saw the request) keeps working. Lesson 06 keeps the session on
    // the server, where logout can end it for every copy.
    let client = client();
    let copy = session_value(&client, "Tim");
    let response = client.get("/logout").dispatch();
    assert_is_removal(set_cookie_for(&response, "user"), "user");
    assert_eq!(user_page_with(&copy, TEST_KEY), (Status::Ok, None));
}
// ANCHOR_END: logout_cannot_revoke

// ANCHOR: wrong_logout
/// Seed 002's logout, `session["user"] = None`, ported word for word: the user cookie is
/// overwritten with an empty value instead of being removed. Mounted only by the test below; the
/// lesson's app never serves it.
#[get("/logout-the-wrong-way")]
fn logout_the_wrong_way(jar: &CookieJar<'_>) -> Redirect {
    jar.add_private(Cookie::build((USER_COOKIE, "")).expires(None));
    Redirect::to("/login")
}
// ANCHOR_END: wrong_logout

// ANCHOR: wrong_logout_test
#[test]
fn an_empty_value_is_not_a_logout() {
    let app = app_with_key(TEST_KEY).mount("/", routes![logout_the_wrong_way]);
    let client = Client::tracked(app).unwrap();
    log_in(&client, "nm=Tim");
    let response = client.get("/logout-the-wrong-way").dispatch();
    // A fresh encrypted cookie, not a removal: the browser keeps a `user` cookie.
    let header = set_cookie_for(&response, "user").unwrap();
    assert!(!header.contains("Max-Age=0"), "{header}");
    drop(response);
    // The cookie still decrypts, so to the app "user" is still in the session, as Flask's
    // `"user" in session` stays true for `None`: the login page sends you back to /user, which
    // greets nobody (Flask's page would say "None").
    let response = client.get("/login").dispatch();
    assert_eq!(location(&response), Some("/user"));
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(page.contains("<h1>Hello, </h1>"), "{page}");
}
// ANCHOR_END: wrong_logout_test
