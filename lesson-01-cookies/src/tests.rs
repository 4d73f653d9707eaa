//! In-process tests, with Rocket's local client. What a user can see from outside (status,
//! `Location`, the literal `Set-Cookie` lines, the pages, bad input) is lesson 01's spec in the
//! `specs` package, run against the real binary by `tests/spec.rs`. This one stays as the book's
//! example of a test that sends exactly the cookie it chose (docs/src/testing.md).

use super::rocket;
use rocket::http::{Cookie, Status};
use rocket::local::blocking::Client;

// ANCHOR: a_hand_made_cookie_is_believed
#[test]
fn a_hand_made_cookie_is_believed() {
    // The weakness lesson 02 fixes: nobody logged in, yet the server greets "admin".
    let client = Client::untracked(rocket()).unwrap();
    let response = client
        .get("/user")
        .cookie(Cookie::new("user", "admin"))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert!(response.into_string().unwrap().contains("Hello, admin"));
}
// ANCHOR_END: a_hand_made_cookie_is_believed
