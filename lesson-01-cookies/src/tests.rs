use super::rocket;
use lesson_support::MAX_NAME_CHARS;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};

fn client() -> Client {
    Client::tracked(rocket()).expect("a valid Rocket instance")
}

fn log_in<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/login")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
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

#[test]
fn login_sets_a_plain_http_only_cookie_and_redirects_to_user() {
    let client = client();
    let response = log_in(&client, "nm=Tim");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    assert_eq!(
        set_cookie_headers(&response),
        ["user=Tim; HttpOnly; SameSite=Strict; Path=/"]
    );
}

#[test]
fn user_page_shows_the_name_from_the_cookie() {
    let client = client();
    log_in(&client, "nm=Tim");
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert!(response.into_string().unwrap().contains("Hello, Tim"));
}

#[test]
fn user_page_without_the_cookie_redirects_to_login() {
    let client = client();
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

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
fn logout_without_a_cookie_sends_no_set_cookie() {
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
    let longest = "x".repeat(MAX_NAME_CHARS);
    let client = client();
    assert_eq!(
        log_in(&client, &format!("nm={longest}")).status(),
        Status::SeeOther
    );
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
    // Once in the greeting, once in the title, once in the sentence, once in the panel's value
    // column and once in its meaning column.
    assert_eq!(page.matches("&lt;script&gt;").count(), 5, "{page}");
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
fn the_panel_shows_the_cookie_in_plain_text() {
    let client = client();
    log_in(&client, "nm=Tim");
    let page = client.get("/").dispatch().into_string().unwrap();
    assert!(page.contains("<code>user</code>"), "{page}");
    assert!(page.contains("<code>Tim</code>"), "{page}");
    assert!(page.contains("you are logged in as “Tim”"), "{page}");
}

#[test]
fn the_panel_says_when_no_cookie_came() {
    let client = client();
    let page = client.get("/").dispatch().into_string().unwrap();
    assert!(
        page.contains("No cookies came with this request."),
        "{page}"
    );
}

#[test]
fn a_name_with_cookie_syntax_round_trips() {
    // `;`, `=` and spaces would break a raw Set-Cookie header; Rocket percent-encodes the value.
    let client = client();
    let response = log_in(&client, "nm=Tim%3B+admin%3Dtrue");
    assert_eq!(
        set_cookie_headers(&response),
        ["user=Tim%3B%20admin%3Dtrue; HttpOnly; SameSite=Strict; Path=/"]
    );
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(page.contains("Hello, Tim; admin=true"), "{page}");
}
