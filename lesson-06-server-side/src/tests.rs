//! In-process tests, against the default in-memory store. The tests that need a real Redis are in
//! `tests/redis.rs` (this directory), marked `#[ignore]`.

use super::{rocket, MAX_NAME_CHARS};
use rocket::error::ErrorKind;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::{Build, Rocket};
use serde::Serialize;

mod with_redis;

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "ZYr4xXEd7s3SCOo+9XY2jcHvmmcO5kNVI8Nk9ahw6VQ=";
const OTHER_TEST_KEY: &str = "3s4pSFPR+NQnqE1OSj7pjBe2dkXn5z6gXmV1kPpS8ec=";

/// `app` with the setting `name` set to `value`, as `ROCKET_<NAME>` or Rocket.toml would set it.
fn with_setting(app: Rocket<Build>, name: &str, value: impl Serialize) -> Rocket<Build> {
    let figment = app.figment().clone().merge((name, value));
    app.configure(figment)
}

/// The lesson's app with `secret_key` set.
fn app_with_key(key: &str) -> Rocket<Build> {
    with_setting(rocket(), "secret_key", key)
}

/// A fresh app instance with its own memory store. Like a browser that keeps no cookies, the
/// client sends only the cookies a test hands it, so a test can replay a copied cookie.
fn app() -> Client {
    Client::untracked(app_with_key(TEST_KEY)).expect("a valid Rocket instance")
}

fn app_with_lifetime(seconds: u64) -> Client {
    let app = with_setting(app_with_key(TEST_KEY), "session_lifetime", seconds);
    Client::untracked(app).expect("a valid Rocket instance")
}

fn session_cookie(value: &str) -> Cookie<'static> {
    Cookie::new("session", value.to_owned())
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

/// Posts the login form, sending the session cookie `with` if given.
fn post_login<'c>(client: &'c Client, form_body: &str, with: Option<&str>) -> LocalResponse<'c> {
    let request = client
        .post("/login")
        .header(ContentType::Form)
        .body(form_body);
    match with {
        Some(value) => request.cookie(session_cookie(value)).dispatch(),
        None => request.dispatch(),
    }
}

/// Logs in as `name` in a new "browser" and returns its session cookie's (encrypted) value.
fn log_in(client: &Client, name: &str) -> String {
    let response = post_login(client, &format!("nm={name}"), None);
    assert_eq!(response.status(), Status::SeeOther);
    new_session_value(&response)
}

/// The encrypted value of the session cookie this response sets.
fn new_session_value(response: &LocalResponse<'_>) -> String {
    response
        .cookies()
        .get("session")
        .expect("the response sets the cookie `session`")
        .value()
        .to_owned()
}

/// The session id inside the encrypted value, decrypted as the server does.
fn session_id(client: &Client, value: &str) -> String {
    let response = client.get("/").cookie(session_cookie(value)).dispatch();
    let page = response.into_string().unwrap();
    let start = page
        .find("Decrypted to the session id ")
        .expect("the panel shows the id")
        + "Decrypted to the session id ".len();
    page[start..start + 32].to_owned()
}

/// GET `path` with the session cookie `value`: the status and the `Location`.
fn visit(client: &Client, path: &str, value: &str) -> (Status, Option<String>) {
    let response = client.get(path).cookie(session_cookie(value)).dispatch();
    (response.status(), location(&response).map(str::to_owned))
}

/// The `/user` page as the holder of `value` sees it.
fn user_page(client: &Client, value: &str) -> String {
    let response = client.get("/user").cookie(session_cookie(value)).dispatch();
    assert_eq!(response.status(), Status::Ok);
    response.into_string().unwrap()
}

fn assert_logged_in_as(client: &Client, value: &str, name: &str) {
    let page = user_page(client, value);
    assert!(page.contains(&format!("Hello, {name}")), "{page}");
}

fn assert_logged_out(client: &Client, value: &str, what: &str) {
    assert_eq!(
        visit(client, "/user", value),
        (Status::SeeOther, Some("/login".to_owned())),
        "{what}: {value:?}"
    );
}

#[test]
fn home_links_to_the_login_page() {
    let client = app();
    let response = client.get("/").dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert!(response
        .into_string()
        .unwrap()
        .contains(r#"<a href="/login">"#));
}

#[test]
fn login_page_is_a_form_with_field_nm() {
    let client = app();
    let response = client.get("/login").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let page = response.into_string().unwrap();
    assert!(page.contains(r#"<form action="/login" method="post">"#));
    assert!(page.contains(r#"name="nm""#));
}

// ANCHOR: test_only_an_id
#[test]
fn the_cookie_holds_only_a_random_128_bit_id() {
    let client = app();
    let response = post_login(&client, "nm=Timothy", None);
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
    assert!(!pair.contains("Timothy"), "{pair}");
    // Decrypted, the value is 32 hex digits (128 bits) and nothing else: no name.
    let id = response.cookies().get_private("session").unwrap();
    let id = id.value();
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
}
// ANCHOR_END: test_only_an_id

#[test]
fn every_login_gets_a_different_id() {
    let client = app();
    let ids: std::collections::HashSet<String> = (0..20)
        .map(|_| session_id(&client, &log_in(&client, "Tim")))
        .collect();
    assert_eq!(ids.len(), 20, "{ids:?}");
}

#[test]
fn user_page_shows_the_name_from_the_store() {
    let client = app();
    let value = log_in(&client, "Tim");
    assert_logged_in_as(&client, &value, "Tim");
}

#[test]
fn login_page_redirects_to_user_when_logged_in() {
    let client = app();
    let value = log_in(&client, "Tim");
    assert_eq!(
        visit(&client, "/login", &value),
        (Status::SeeOther, Some("/user".to_owned()))
    );
}

#[test]
fn user_page_without_a_session_redirects_to_login() {
    let client = app();
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

#[test]
fn a_forged_plain_cookie_is_not_logged_in() {
    let client = app();
    let value = log_in(&client, "Tim");
    assert_logged_out(&client, "admin", "plain value");
    // Even the real id, sent without the encryption, is refused: only this server's key makes
    // a cookie it accepts.
    let id = session_id(&client, &value);
    assert_logged_out(&client, &id, "the id in plain text");
}

#[test]
fn an_id_the_store_does_not_hold_is_not_logged_in() {
    // A well-formed id, encrypted with the right key, that no login ever issued.
    let client = app();
    let response = client
        .get("/user")
        .private_cookie(session_cookie("0123456789abcdef0123456789abcdef"))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

#[test]
fn tampered_truncated_and_foreign_values_are_not_logged_in() {
    let client = app();
    let value = log_in(&client, "Tim");
    let mut changed: Vec<char> = value.chars().collect();
    let middle = changed.len() / 2;
    changed[middle] = if changed[middle] == 'A' { 'B' } else { 'A' };
    let changed: String = changed.into_iter().collect();
    assert_logged_out(&client, &changed, "one character changed");
    assert_logged_out(&client, &value[..value.len() - 4], "cut short");
    assert_logged_out(&client, "", "empty");
    for garbage in ["%%%%", "!!not base64!!", "AAAA", "\u{1F36A}"] {
        assert_logged_out(&client, garbage, "garbage");
    }
    let foreign = Client::untracked(app_with_key(OTHER_TEST_KEY)).unwrap();
    assert_logged_out(&client, &log_in(&foreign, "Tim"), "another key");
}

// ANCHOR: test_fixation
#[test]
fn login_issues_a_new_id_and_deletes_the_old_session() {
    let client = app();
    // Mallory logs in, then plants her cookie in Tim's browser, where Tim logs in.
    let planted = log_in(&client, "Mallory");
    let response = post_login(&client, "nm=Tim", Some(&planted));
    assert_eq!(response.status(), Status::SeeOther);
    let tims = new_session_value(&response);
    assert_ne!(session_id(&client, &tims), session_id(&client, &planted));
    assert_logged_in_as(&client, &tims, "Tim");
    // The planted id is worth nothing now: not Tim's session, not even Mallory's.
    assert_logged_out(&client, &planted, "the id from before the login");
}
// ANCHOR_END: test_fixation

// ANCHOR: test_logout
#[test]
fn after_logout_a_copy_of_the_cookie_is_refused() {
    let client = app();
    let value = log_in(&client, "Tim");
    let copy = value.clone();
    let response = client
        .get("/logout")
        .cookie(session_cookie(&value))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    let removal = set_cookie_headers(&response);
    assert_eq!(removal.len(), 1, "{removal:?}");
    assert!(removal[0].starts_with("session=; "), "{removal:?}");
    assert!(removal[0].contains("Max-Age=0"), "{removal:?}");
    // The browser deleted its cookie; whoever copied it before the logout is refused too.
    assert_logged_out(&client, &copy, "a copy made before the logout");
}
// ANCHOR_END: test_logout

#[test]
fn logout_without_a_session_sends_no_set_cookie() {
    let client = app();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

#[test]
fn logout_ends_only_this_session() {
    let client = app();
    let laptop = log_in(&client, "Tim");
    let phone = log_in(&client, "Tim");
    client
        .get("/logout")
        .cookie(session_cookie(&laptop))
        .dispatch();
    assert_logged_out(&client, &laptop, "the session that logged out");
    assert_logged_in_as(&client, &phone, "Tim");
}

// ANCHOR: test_everywhere
#[test]
fn log_out_everywhere_ends_every_session_of_the_user_and_no_other() {
    let client = app();
    let laptop = log_in(&client, "Tim");
    let phone = log_in(&client, "Tim");
    let anns = log_in(&client, "Ann");
    let response = client
        .post("/logout/everywhere")
        .cookie(session_cookie(&laptop))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response)[0].starts_with("session=; "));
    assert_logged_out(&client, &laptop, "the session that clicked");
    assert_logged_out(&client, &phone, "Tim's other session");
    assert_logged_in_as(&client, &anns, "Ann");
}
// ANCHOR_END: test_everywhere

#[test]
fn the_user_page_offers_both_ways_to_log_out() {
    let client = app();
    let page = user_page(&client, &log_in(&client, "Tim"));
    assert!(page.contains(r#"<a href="/logout">Log out</a>"#), "{page}");
    assert!(
        page.contains(r#"<form action="/logout/everywhere" method="post">"#),
        "{page}"
    );
}

#[test]
fn a_session_ends_when_its_lifetime_passes_without_a_request() {
    let client = app_with_lifetime(1);
    let value = log_in(&client, "Tim");
    assert_logged_in_as(&client, &value, "Tim");
    // The point of this test is time passing: the lifetime (1 s) and a margin.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_logged_out(
        &client,
        &value,
        "a session idle for longer than its lifetime",
    );
}

#[test]
fn each_request_gives_the_session_a_fresh_lifetime() {
    let client = app_with_lifetime(3);
    let value = log_in(&client, "Tim");
    // Four visits one second apart: 4 s after the login, longer than the 3 s lifetime, yet never
    // 3 s without a visit. Without the refresh the last visit would find the session gone.
    for _ in 0..4 {
        std::thread::sleep(std::time::Duration::from_secs(1));
        assert_logged_in_as(&client, &value, "Tim");
    }
}

#[test]
fn launch_is_refused_when_redis_is_unreachable() {
    // Nothing listens on a port that was free a moment ago.
    let url = format!("redis://127.0.0.1:{}", test_support::free_port());
    let app = with_setting(app_with_key(TEST_KEY), "session_store", url);
    assert_session_store_refused_launch(Client::untracked(app));
}

#[test]
fn launch_is_refused_when_session_store_is_not_a_redis_url() {
    let app = with_setting(
        app_with_key(TEST_KEY),
        "session_store",
        "http://127.0.0.1:6379",
    );
    assert_session_store_refused_launch(Client::untracked(app));
}

fn assert_session_store_refused_launch(launched: Result<Client, rocket::Error>) {
    let Err(error) = launched else {
        panic!("the app launched");
    };
    match error.kind() {
        ErrorKind::FailedFairings(failed) => {
            let names: Vec<&str> = failed.iter().map(|fairing| fairing.name).collect();
            assert_eq!(names, ["Session store"]);
        }
        other => panic!("launch failed for another reason: {other:?}"),
    }
}

/// Posts a bad form and checks the answer: the form again with `message`, a 422, no cookie.
fn assert_refused(form_body: &str, message: &str) {
    let client = app();
    let response = post_login(&client, form_body, None);
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "{form_body:?}"
    );
    assert!(set_cookie_headers(&response).is_empty(), "{form_body:?}");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(message),
        "{form_body:?} should show {message:?}"
    );
    assert!(page.contains(r#"name="nm""#), "the form is shown again");
}

#[test]
fn empty_name_is_refused() {
    assert_refused("nm=", "Please type a name.");
}

#[test]
fn whitespace_only_name_is_refused() {
    assert_refused("nm=+%20%09+", "Please type a name.");
}

#[test]
fn name_over_the_limit_is_refused() {
    let longest = "ë".repeat(MAX_NAME_CHARS);
    let client = app();
    let value = log_in(&client, &longest);
    assert_logged_in_as(&client, &value, &longest);
    assert_refused(
        &format!("nm={longest}x"),
        "A name can have at most 50 characters.",
    );
}

#[test]
fn form_without_nm_is_refused() {
    assert_refused("name=Tim", "the field `nm` was missing");
}

#[test]
fn name_with_a_line_break_is_refused() {
    assert_refused("nm=Tim%0ASet-Cookie", "control characters");
}

#[test]
fn a_refused_login_keeps_the_session_it_came_with() {
    let client = app();
    let value = log_in(&client, "Tim");
    let response = post_login(&client, "nm=", Some(&value));
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(set_cookie_headers(&response).is_empty());
    assert_logged_in_as(&client, &value, "Tim");
}

#[test]
fn html_in_the_name_is_escaped_on_the_page_and_in_the_panel() {
    let client = app();
    let value = log_in(&client, "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    let page = user_page(&client, &value);
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("Hello, &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    // Greeting, title, two sentences and the panel's meaning column; the value column is
    // ciphertext.
    assert_eq!(page.matches("&lt;script&gt;").count(), 5, "{page}");
}

#[test]
fn the_panel_shows_ciphertext_that_decrypts_to_an_id_only() {
    let client = app();
    let value = log_in(&client, "Timothy");
    let id = session_id(&client, &value);
    let page = client
        .get("/")
        .cookie(session_cookie(&value))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("<code>session</code>"), "{page}");
    let shown: String = value.chars().take(40).collect();
    let shown = shown.replace('/', "&#x2F;");
    assert!(page.contains(&format!("<code>{shown}…</code>")), "{page}");
    assert!(
        page.contains(&format!(
            "Decrypted to the session id {id}, and nothing else. The store holds the rest: \
             you are logged in as “Timothy”."
        )),
        "{page}"
    );
}

#[test]
fn the_panel_says_when_the_store_does_not_hold_the_id() {
    let client = app();
    let value = log_in(&client, "Tim");
    client
        .get("/logout")
        .cookie(session_cookie(&value))
        .dispatch();
    let page = client
        .get("/")
        .cookie(session_cookie(&value))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("which the store does not hold"), "{page}");
}

#[test]
fn the_panel_says_when_a_cookie_could_not_be_decrypted() {
    let page = app()
        .get("/")
        .cookie(session_cookie("admin"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("<code>admin</code>"), "{page}");
    assert!(page.contains("Could not be decrypted"), "{page}");
}
