//! What only the inside shows: what the cookie holds and what the store keeps. Everything a
//! browser sees is checked by `specs::spec(6)`.

use super::{rocket, Store, SESSION_COOKIE};
use rocket::http::ContentType;
use rocket::local::blocking::Client;

fn log_in(client: &Client, name: &str) -> String {
    let response = client
        .post("/login")
        .header(ContentType::Form)
        .body(format!("nm={name}&remember=on"))
        .dispatch();
    let cookie = response.cookies().get_private(SESSION_COOKIE);
    cookie.expect("a session cookie").value().to_owned()
}

fn held(client: &Client) -> usize {
    client.rocket().state::<Store>().unwrap().sessions().len()
}

#[test]
fn the_cookie_holds_only_a_random_128_bit_id() {
    let client = Client::untracked(rocket()).unwrap();
    let (first, second) = (log_in(&client, "Tim"), log_in(&client, "Tim"));
    for id in [&first, &second] {
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    }
    assert_ne!(first, second, "every login issues a new id");
    assert_eq!(held(&client), 2);
}

#[test]
fn login_deletes_the_session_the_browser_came_with() {
    let client = Client::tracked(rocket()).unwrap();
    log_in(&client, "Tim");
    log_in(&client, "Tom");
    assert_eq!(held(&client), 1, "the old record is gone");
}

#[test]
fn logout_deletes_the_record() {
    let client = Client::tracked(rocket()).unwrap();
    log_in(&client, "Tim");
    client.get("/logout").dispatch();
    assert_eq!(held(&client), 0);
}

#[test]
fn expired_records_are_swept_at_the_next_login() {
    let client = Client::untracked(rocket()).unwrap();
    let id = log_in(&client, "Tim");
    let store = client.rocket().state::<Store>().unwrap();
    store.sessions().get_mut(&id).unwrap().expires = super::now();
    log_in(&client, "Tom");
    assert!(!store.sessions().contains_key(&id));
    assert_eq!(held(&client), 1);
}
