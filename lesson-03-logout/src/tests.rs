use super::{rocket, USER_COOKIE};
use lesson_support::MAX_NAME_CHARS;
use rocket::http::{ContentType, Cookie, CookieJar, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::response::Redirect;
use rocket::{get, routes, Build, Rocket};

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";
const OTHER_TEST_KEY: &str = "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=";

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

fn choose_colour<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/colour")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
}

/// Logs in as Tim and picks the colour blue: a session with both values.
fn logged_in_with_a_colour() -> Client {
    let client = client();
    log_in(&client, "nm=Tim");
    let chosen = choose_colour(&client, "colour=blue").status();
    assert_eq!(chosen, Status::SeeOther);
    client
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

#[test]
fn instances_sharing_a_key_accept_each_others_sessions() {
    let value = session_value(&client_with_key(TEST_KEY), "Tim");
    assert_eq!(user_page_with(&value, TEST_KEY), (Status::Ok, None));
    assert_eq!(
        user_page_with(&value, OTHER_TEST_KEY),
        (Status::SeeOther, Some("/login".to_owned()))
    );
}

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
    assert_is_removal(set_cookie_for(&response, "user"), "user");
    drop(response);
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

// --- Lesson 03: log out, forget me, the one-time message --------------------------------------

#[test]
fn choosing_a_colour_stores_it_in_a_second_private_cookie() {
    let client = client();
    log_in(&client, "nm=Tim");
    let response = choose_colour(&client, "colour=blue");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
    assert!(!pair.contains("blue"), "{pair}");
    assert_eq!(
        response.cookies().get_private("colour").unwrap().value(),
        "blue"
    );
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(
        page.contains("Your favourite colour: <strong>blue</strong>"),
        "{page}"
    );
}

#[test]
fn logout_removes_only_the_user_and_the_colour_survives() {
    let client = logged_in_with_a_colour();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "user"), "user");
    assert_eq!(set_cookie_for(&response, "colour"), None);
    // The one other header is the goodbye message.
    assert_eq!(set_cookie_headers(&response).len(), 2);
    drop(response);
    assert_eq!(
        client.cookies().get_private("colour").unwrap().value(),
        "blue"
    );
    let page = client.get("/login").dispatch().into_string().unwrap();
    assert!(
        page.contains("still remembers your favourite colour: <strong>blue</strong>"),
        "{page}"
    );
}

#[test]
fn user_page_after_logout_redirects_to_login() {
    let client = logged_in_with_a_colour();
    client.get("/logout").dispatch();
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

#[test]
fn forget_me_removes_every_session_cookie() {
    let client = logged_in_with_a_colour();
    let response = client.post("/forget").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "user"), "user");
    assert_is_removal(set_cookie_for(&response, "colour"), "colour");
    assert_eq!(
        set_cookie_headers(&response).len(),
        3,
        "two removals, one message"
    );
    drop(response);
    assert!(client.cookies().get("user").is_none());
    assert!(client.cookies().get("colour").is_none());
    let response = client.get("/user").dispatch();
    assert_eq!(location(&response), Some("/login"));
    let page = client.get("/login").dispatch().into_string().unwrap();
    assert!(
        page.contains("Your name and colour are forgotten."),
        "{page}"
    );
    assert!(!page.contains("remembers your favourite colour"), "{page}");
}

#[test]
fn forget_me_leaves_other_lessons_cookies_alone() {
    // Cookies ignore the port: lesson 01 on 127.0.0.1:8001 sets `theme` for 127.0.0.1 too.
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let response = client
        .post("/forget")
        .private_cookie(Cookie::new("colour", "green"))
        .cookie(Cookie::new("theme", "dark"))
        .dispatch();
    assert_is_removal(set_cookie_for(&response, "colour"), "colour");
    assert_eq!(set_cookie_for(&response, "theme"), None);
    assert_eq!(set_cookie_for(&response, "user"), None, "it was not sent");
}

#[test]
fn forget_me_with_nothing_kept_just_redirects() {
    let client = client();
    let response = client.post("/forget").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

#[test]
fn the_goodbye_message_appears_once() {
    let client = logged_in_with_a_colour();
    client.get("/logout").dispatch();
    let response = client.get("/login").dispatch();
    assert_eq!(response.status(), Status::Ok);
    // Reading the message deletes its cookie.
    assert_is_removal(set_cookie_for(&response, "_flash"), "_flash");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(r#"<p class="message" role="status">You have been logged out, Tim.</p>"#),
        "{page}"
    );
    let again = client.get("/login").dispatch().into_string().unwrap();
    assert!(!again.contains("You have been logged out"), "{again}");
    assert!(again.contains("remembers your favourite colour"), "{again}");
}

#[test]
fn the_goodbye_message_travels_in_a_plain_cookie() {
    let client = logged_in_with_a_colour();
    let response = client.get("/logout").dispatch();
    // Not encrypted and not HttpOnly: the name is readable in the browser for up to five minutes.
    assert_eq!(
        set_cookie_for(&response, "_flash").unwrap(),
        "_flash=7%3AsuccessYou%20have%20been%20logged%20out%2C%20Tim.; SameSite=Strict; Path=/; \
         Max-Age=300"
    );
}

#[test]
fn the_panel_shows_the_message_in_plain_text() {
    let client = logged_in_with_a_colour();
    client.get("/logout").dispatch();
    let page = client.get("/login").dispatch().into_string().unwrap();
    assert!(page.contains("<code>_flash</code>"), "{page}");
    assert!(
        page.contains("<code>7:successYou have been logged out, Tim.</code>"),
        "{page}"
    );
    assert!(page.contains("in plain text (not encrypted)"), "{page}");
}

#[test]
fn html_in_the_name_is_escaped_in_the_goodbye_message() {
    let client = client();
    log_in(&client, "nm=%3Cb%3ETim%3C%2Fb%3E");
    client.get("/logout").dispatch();
    let page = client.get("/login").dispatch().into_string().unwrap();
    assert!(!page.contains("<b>"), "{page}");
    assert!(
        page.contains("You have been logged out, &lt;b&gt;Tim&lt;&#x2F;b&gt;."),
        "{page}"
    );
}

#[test]
fn logging_out_twice_is_fine() {
    let client = logged_in_with_a_colour();
    client.get("/logout").dispatch();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

#[test]
fn logout_with_a_forged_cookie_deletes_it_without_a_message() {
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let response = client
        .get("/logout")
        .cookie(Cookie::new("user", "admin"))
        .dispatch();
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "user"), "user");
    assert_eq!(set_cookie_for(&response, "_flash"), None);
}

#[test]
fn a_forged_colour_is_ignored() {
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let page = client
        .get("/login")
        .cookie(Cookie::new("colour", "blue"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(!page.contains("remembers your favourite colour"), "{page}");
    assert!(page.contains("Could not be decrypted"), "{page}");
}

#[test]
fn the_panel_shows_the_decrypted_colour() {
    let client = logged_in_with_a_colour();
    let page = client.get("/").dispatch().into_string().unwrap();
    assert!(page.contains("<code>colour</code>"), "{page}");
    assert!(
        page.contains("Decrypted with this server&#x27;s key: your favourite colour is blue."),
        "{page}"
    );
}

#[test]
fn choosing_a_colour_needs_a_login() {
    let client = client();
    let response = choose_colour(&client, "colour=blue");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

/// Posts a bad colour as Tim and checks the answer: the user page again with `message`, a 422,
/// no cookie, and the colour chosen before still in place.
fn assert_colour_refused(form_body: &str, message: &str) {
    let client = logged_in_with_a_colour();
    let response = choose_colour(&client, form_body);
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
    assert!(page.contains("Hello, Tim"), "the user page is shown again");
    assert!(page.contains(r#"<select id="colour" name="colour">"#));
    assert_eq!(
        client.cookies().get_private("colour").unwrap().value(),
        "blue"
    );
}

#[test]
fn an_empty_colour_is_refused() {
    assert_colour_refused("colour=", "Please choose a colour.");
}

#[test]
fn an_unknown_colour_is_refused() {
    assert_colour_refused(
        "colour=%3Cb%3Emagenta",
        "Please choose one of the colours on offer.",
    );
    assert_colour_refused("colour=Blue", "Please choose one of the colours on offer.");
}

#[test]
fn an_over_long_colour_is_refused() {
    assert_colour_refused(
        &format!("colour={}", "blue".repeat(1000)),
        "Please choose one of the colours on offer.",
    );
}

#[test]
fn a_colour_form_without_the_field_is_refused() {
    assert_colour_refused("color=blue", "the field `colour` was missing");
}

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
