//! In-process tests, with Rocket's local client, for what the spec cannot see from outside: the
//! value inside the encrypted cookie, and two app instances sharing a key. Everything a user can
//! see (status, `Location`, the literal `Set-Cookie` lines, forged, changed and foreign-key
//! cookies, bad input) is lesson 02's spec in the `specs` package, run by `tests/spec.rs`. The
//! helpers here are the book's examples (docs/src/testing.md, docs/src/secret-keys.md).

use super::rocket;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::{Build, Rocket};

// ANCHOR: app_with_key
/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";
const OTHER_TEST_KEY: &str = "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=";

/// The lesson's app with `secret_key` set, as `ROCKET_SECRET_KEY` would set it.
fn app_with_key(key: &str) -> Rocket<Build> {
    let app = rocket();
    let figment = app.figment().clone().merge(("secret_key", key));
    app.configure(figment)
}
// ANCHOR_END: app_with_key

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

// ANCHOR: user_page_with
/// Asks for `/user` with exactly one cookie `user=<value>` and no other state.
fn user_page_with(value: &str, key: &str) -> (Status, Option<String>) {
    let client = Client::untracked(app_with_key(key)).unwrap();
    let response = client
        .get("/user")
        .cookie(Cookie::new("user", value.to_owned()))
        .dispatch();
    (response.status(), location(&response).map(str::to_owned))
}
// ANCHOR_END: user_page_with

// ANCHOR: login_sets_an_encrypted_browser_session_cookie
#[test]
fn login_sets_an_encrypted_browser_session_cookie() {
    let client = client();
    let response = log_in(&client, "nm=Timothy");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    // No Expires and no Max-Age: the browser drops it when it closes.
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
    let value = pair.strip_prefix("user=").unwrap();
    assert!(!value.contains("Timothy"), "{value}");
    // The name is encrypted, not merely encoded as Flask's signed cookie is.
    assert_eq!(
        response.cookies().get_private("user").unwrap().value(),
        "Timothy"
    );
}
// ANCHOR_END: login_sets_an_encrypted_browser_session_cookie

// ANCHOR: instances_sharing_a_key
#[test]
fn instances_sharing_a_key_accept_each_others_sessions() {
    let value = session_value(&client_with_key(TEST_KEY), "Tim");
    assert_eq!(user_page_with(&value, TEST_KEY), (Status::Ok, None));
    assert_eq!(
        user_page_with(&value, OTHER_TEST_KEY),
        (Status::SeeOther, Some("/login".to_owned()))
    );
}
// ANCHOR_END: instances_sharing_a_key
