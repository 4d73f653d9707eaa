use super::rocket;
use lesson_support::MAX_NAME_CHARS;
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

fn assert_logged_out(value: &str, what: &str) {
    assert_eq!(
        user_page_with(value, TEST_KEY),
        (Status::SeeOther, Some("/login".to_owned())),
        "{what}: {value:?}"
    );
}

#[test]
fn home_links_to_the_login_page() {
    let client = client();
    let response = client.get("/").dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert!(response
        .into_string()
        .unwrap()
        .contains(r#"<a href="/login">"#));
}

#[test]
fn login_page_is_a_form_with_field_nm() {
    let client = client();
    let response = client.get("/login").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let page = response.into_string().unwrap();
    assert!(page.contains(r#"<form action="/login" method="post">"#));
    assert!(page.contains(r#"name="nm""#));
}

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

#[test]
fn user_page_shows_the_name_from_the_session() {
    let client = client();
    log_in(&client, "nm=Tim");
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert!(response.into_string().unwrap().contains("Hello, Tim"));
}

#[test]
fn login_page_redirects_to_user_when_logged_in() {
    let client = client();
    log_in(&client, "nm=Tim");
    let response = client.get("/login").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
}

#[test]
fn user_page_without_a_session_redirects_to_login() {
    let client = client();
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

#[test]
fn a_forged_plain_cookie_is_not_logged_in() {
    // Lesson 01 let this in as admin.
    assert_logged_out("admin", "plain value");
}

#[test]
fn a_value_with_one_character_changed_is_not_logged_in() {
    let value = session_value(&client(), "Tim");
    let mut changed: Vec<char> = value.chars().collect();
    let middle = changed.len() / 2;
    changed[middle] = if changed[middle] == 'A' { 'B' } else { 'A' };
    let changed: String = changed.into_iter().collect();
    assert_ne!(changed, value);
    assert_logged_out(&changed, "one character changed");
}

#[test]
fn a_truncated_value_is_not_logged_in() {
    let value = session_value(&client(), "Tim");
    assert_logged_out(&value[..value.len() - 4], "last four characters cut");
    assert_logged_out(&value[..8], "first eight characters only");
    assert_logged_out("", "empty");
}

#[test]
fn garbage_is_not_logged_in() {
    for garbage in ["%%%%", "!!not base64!!", "AAAA", "\u{1F36A}\u{1F36A}"] {
        assert_logged_out(garbage, "garbage");
    }
}

#[test]
fn a_value_encrypted_under_another_key_is_not_logged_in() {
    let foreign = session_value(&client_with_key(OTHER_TEST_KEY), "Tim");
    assert_logged_out(&foreign, "encrypted with another key");
}

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

#[test]
fn a_non_ascii_name_round_trips() {
    let client = client();
    log_in(&client, "nm=Zo%C3%AB");
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(page.contains("Hello, Zoë"), "{page}");
}

#[test]
fn logout_deletes_the_cookie_and_redirects_to_login() {
    let client = client();
    log_in(&client, "nm=Tim");
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    let removal = set_cookie_headers(&response);
    assert_eq!(removal.len(), 1, "{removal:?}");
    assert!(removal[0].starts_with("user=; "), "{removal:?}");
    assert!(removal[0].contains("Max-Age=0"), "{removal:?}");
    assert!(removal[0].contains("Path=/"), "{removal:?}");
    assert_eq!(client.get("/user").dispatch().status(), Status::SeeOther);
}

#[test]
fn logout_without_a_session_sends_no_set_cookie() {
    let client = client();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

/// Posts a bad form and checks the answer: the form again with `message`, a 422, no cookie.
fn assert_refused(form_body: &str, message: &str) {
    let client = client();
    let response = log_in(&client, form_body);
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
    let client = client();
    let response = log_in(&client, &format!("nm={longest}"));
    assert_eq!(response.status(), Status::SeeOther);
    // The longest name, at two bytes a character, still makes a small cookie.
    let header = set_cookie_headers(&response).remove(0);
    assert!(header.len() < 300, "{} bytes: {header}", header.len());
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
fn html_in_the_name_is_escaped_on_the_page_and_in_the_panel() {
    let client = client();
    log_in(&client, "nm=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("Hello, &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    // Greeting, title, sentence and the panel's meaning column; the value column is ciphertext.
    assert_eq!(page.matches("&lt;script&gt;").count(), 4, "{page}");
}

#[test]
fn refused_html_is_escaped_in_the_form_too() {
    let client = client();
    let long_html = format!("\"><script>{}", "x".repeat(MAX_NAME_CHARS));
    let response = client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "nm={}",
            long_html
                .replace('"', "%22")
                .replace('<', "%3C")
                .replace('>', "%3E")
        ))
        .dispatch();
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = response.into_string().unwrap();
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains(r#"value="&quot;&gt;&lt;script&gt;"#),
        "{page}"
    );
}

#[test]
fn the_panel_shows_ciphertext_and_what_it_decrypts_to() {
    let client = client();
    let value = session_value(&client, "Timothy");
    let page = client.get("/").dispatch().into_string().unwrap();
    assert!(page.contains("<code>user</code>"), "{page}");
    let shown: String = value.chars().take(40).collect();
    let shown = shown.replace('/', "&#x2F;");
    assert!(page.contains(&format!("<code>{shown}…</code>")), "{page}");
    assert!(
        page.contains("Decrypted with this server&#x27;s key: you are logged in as “Timothy”."),
        "{page}"
    );
}

#[test]
fn the_panel_says_when_a_cookie_could_not_be_decrypted() {
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let page = client
        .get("/")
        .cookie(Cookie::new("user", "admin"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("<code>admin</code>"), "{page}");
    assert!(page.contains("Could not be decrypted"), "{page}");
}
