//! What only the inside shows: the user table, the store, and the one lookup a request makes.
//! Everything a browser sees is checked by `specs::spec(8)`.

use super::accounts::{lock, Accounts};
use super::{look_up, rocket, Carried, Store};
use chrono::TimeDelta;
use rocket::http::ContentType;
use rocket::local::blocking::Client;

const PASSWORD: &str = "a long enough password";

/// Signs `name` up with [`PASSWORD`] through the forms, as a browser does.
fn sign_up(client: &Client, name: &str) {
    let page = client.get("/signup").dispatch().into_string().unwrap();
    let token = page.split("name=\"csrf_token\" value=\"").nth(1).unwrap();
    let token = &token[..32];
    let body = format!(
        "csrf_token={token}&username={name}&password={}",
        PASSWORD.replace(' ', "+")
    );
    let response = client
        .post("/signup")
        .header(ContentType::Form)
        .body(body)
        .dispatch();
    assert_eq!(response.status().code, 303);
}

#[test]
fn the_user_table_holds_an_argon2id_phc_string_with_the_crate_defaults() {
    let client = Client::tracked(rocket()).unwrap();
    sign_up(&client, "Tim");
    let accounts = client.rocket().state::<Accounts>().unwrap();
    let phc = lock(&accounts.0).get("Tim").cloned().unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert!(!phc.contains(PASSWORD));
}

#[test]
fn the_session_record_holds_the_username_and_nothing_of_the_password() {
    let client = Client::tracked(rocket()).unwrap();
    sign_up(&client, "Tim");
    let store = client.rocket().state::<Store>().unwrap();
    let sessions = store.sessions();
    assert_eq!(sessions.len(), 1, "the pre-session was replaced at signup");
    let record = serde_json::to_string(sessions.values().next().unwrap()).unwrap();
    assert!(record.contains("\"user\":\"Tim\""), "{record}");
    assert!(
        !record.contains("password") && !record.contains("argon2"),
        "{record}"
    );
}

#[test]
fn a_request_looks_its_session_up_once_for_every_guard_and_the_panel() {
    let client = Client::tracked(rocket()).unwrap();
    sign_up(&client, "Tim");
    let request = client.get("/user");
    // The lookup the `Session` guard makes, made first here (with the lesson's five minutes).
    let store: &Store = client.rocket().state().unwrap();
    let lookup = || look_up(request.inner().cookies(), store, TimeDelta::seconds(300));
    let cached = request.inner().local_cache(lookup);
    assert!(matches!(cached, Carried::Current(_)));
    // Were it looked up again, the `User` guard and the panel would find the session gone.
    store.sessions().clear();
    let page = request.dispatch().into_string().unwrap();
    assert!(page.contains("Hello, Tim"), "{page}");
    assert!(page.contains("Under that id the store holds"), "{page}");
}
