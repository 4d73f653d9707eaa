use super::{
    rocket, PageContext, SessionConfig, SessionData, SessionInTemplates, MAX_LIFETIME_SECONDS,
    MAX_NAME_CHARS,
};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rocket::error::ErrorKind;
use rocket::figment::Figment;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::{Build, Rocket};
use rocket_dyn_templates::{context, Template};

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";
const OTHER_TEST_KEY: &str = "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=";

/// The lesson's app with `secret_key` set, as `ROCKET_SECRET_KEY` would set it.
fn app_with_key(key: &str) -> Rocket<Build> {
    let app = rocket();
    let figment = app.figment().clone().merge(("secret_key", key));
    app.configure(figment)
}

/// The lesson's app with the test key and `session_lifetime` set to `value`, as
/// `ROCKET_SESSION_LIFETIME` would set it.
fn app_with_lifetime<T: serde::Serialize>(value: T) -> Rocket<Build> {
    let app = app_with_key(TEST_KEY);
    let figment = app.figment().clone().merge(("session_lifetime", value));
    app.configure(figment)
}

fn client_with_key(key: &str) -> Client {
    Client::tracked(app_with_key(key)).expect("a valid Rocket instance")
}

fn client() -> Client {
    client_with_key(TEST_KEY)
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
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

/// Logs in as Tim (kept signed in, as the form suggests) and picks the colour blue.
fn logged_in_with_a_colour() -> Client {
    let client = client();
    log_in(&client, "nm=Tim&remember=on");
    let chosen = choose_colour(&client, "colour=blue").status();
    assert_eq!(chosen, Status::SeeOther);
    client
}

/// The session a response set, decrypted and parsed.
fn session_set_by(response: &LocalResponse<'_>) -> SessionData {
    let cookie = response
        .cookies()
        .get_private("session")
        .expect("the response sets the cookie `session`");
    serde_json::from_str(cookie.value()).expect("the cookie holds a session")
}

/// The encrypted value of the session a response set.
fn session_value(response: &LocalResponse<'_>) -> String {
    response
        .cookies()
        .get("session")
        .expect("the response sets the cookie `session`")
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

fn location<'r>(response: &'r LocalResponse<'_>) -> Option<&'r str> {
    response.headers().get_one("Location")
}

/// A session for Tim, as the server would have written it, expiring at `expires`.
fn tims_session(permanent: bool, expires: DateTime<Utc>) -> SessionData {
    SessionData {
        user: Some("Tim".to_owned()),
        colour: None,
        first_name: None,
        last_name: None,
        permanent,
        expires,
    }
}

/// Asks `app` for `path`, sending exactly one cookie: `session`, holding `data` encrypted with the
/// app's key, the way a browser would send back a cookie it kept.
fn visit_with_session(app: Rocket<Build>, path: &str, data: &SessionData) -> Visit {
    let client = Client::untracked(app).unwrap();
    let json = serde_json::to_string(data).unwrap();
    let response = client
        .get(path.to_owned())
        .private_cookie(Cookie::new("session", json))
        .dispatch();
    Visit {
        status: response.status(),
        location: location(&response).map(str::to_owned),
        set_cookie: set_cookie_headers(&response),
        refreshed: response
            .cookies()
            .get_private("session")
            .map(|cookie| serde_json::from_str(cookie.value()).unwrap()),
        page: response.into_string().unwrap_or_default(),
    }
}

/// What a visit with a constructed session brought back.
struct Visit {
    status: Status,
    location: Option<String>,
    set_cookie: Vec<String>,
    refreshed: Option<SessionData>,
    page: String,
}

/// Asks for `/user` with exactly one cookie `session=<value>` and no other state.
fn user_page_with(value: &str, key: &str) -> (Status, Option<String>) {
    let client = Client::untracked(app_with_key(key)).unwrap();
    let response = client
        .get("/user")
        .cookie(Cookie::new("session", value.to_owned()))
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

/// The encrypted session value of a fresh login as `name` on `client`.
fn logged_in_value(client: &Client, name: &str) -> String {
    let response = log_in(client, &format!("nm={name}&remember=on"));
    assert_eq!(response.status(), Status::SeeOther);
    session_value(&response)
}

// --- The pages and the login, as in lessons 02 and 03 ------------------------------------------

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
fn login_page_is_a_form_with_field_nm_and_a_ticked_remember_box() {
    let client = client();
    let response = client.get("/login").dispatch();
    assert_eq!(response.status(), Status::Ok);
    let page = response.into_string().unwrap();
    assert!(page.contains(r#"<form action="/login" method="post">"#));
    assert!(page.contains(r#"name="nm""#));
    assert!(
        page.contains(r#"<input id="remember" type="checkbox" name="remember" checked>"#),
        "{page}"
    );
}

#[test]
fn user_page_shows_the_name_from_the_session() {
    let client = client();
    log_in(&client, "nm=Tim&remember=on");
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert!(response.into_string().unwrap().contains("Hello, Tim"));
}

#[test]
fn login_page_redirects_to_user_when_logged_in() {
    let client = client();
    log_in(&client, "nm=Tim&remember=on");
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
fn a_non_ascii_name_round_trips() {
    let client = client();
    log_in(&client, "nm=Zo%C3%AB&remember=on");
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(page.contains("Hello, Zoë"), "{page}");
}

// --- One cookie, with the expiry inside ----------------------------------------------------------

#[test]
fn the_whole_session_is_one_encrypted_cookie() {
    let client = logged_in_with_a_colour();
    let cookies: Vec<String> = client
        .cookies()
        .iter()
        .map(|cookie| cookie.name().to_owned())
        .collect();
    assert_eq!(cookies, ["session"]);
    let value = client.cookies().get("session").unwrap().value().to_owned();
    assert!(!value.contains("Tim") && !value.contains("blue"), "{value}");
    let data: SessionData =
        serde_json::from_str(client.cookies().get_private("session").unwrap().value()).unwrap();
    assert_eq!(data.user.as_deref(), Some("Tim"));
    assert_eq!(data.colour.as_deref(), Some("blue"));
    assert!(data.permanent);
}

#[test]
fn keep_me_signed_in_sets_max_age_and_expires_for_the_lifetime() {
    let client = client();
    let before = now();
    let response = log_in(&client, "nm=Tim&remember=on");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    let data = session_set_by(&response);
    assert!(data.permanent);
    let lifetime = data.expires - before;
    assert!(
        (TimeDelta::seconds(300)..=TimeDelta::seconds(301)).contains(&lifetime),
        "{lifetime}"
    );
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    assert!(pair.starts_with("session="), "{pair}");
    // Max-Age AND Expires, and the same instant as the expiry inside the value.
    let expires = data.expires.format("%a, %d %b %Y %H:%M:%S GMT");
    assert_eq!(
        attributes,
        format!("HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires={expires}")
    );
}

#[test]
fn without_keep_me_signed_in_the_cookie_is_a_browser_session_cookie() {
    let client = client();
    let before = now();
    let response = log_in(&client, "nm=Tim");
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (_, attributes) = headers[0].split_once("; ").unwrap();
    // No Expires and no Max-Age: the browser drops it when it closes.
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
    // The server still gives it the lifetime.
    let data = session_set_by(&response);
    assert!(!data.permanent);
    assert!(data.expires >= before + TimeDelta::seconds(300));
    assert!(data.expires <= before + TimeDelta::seconds(301));
}

#[test]
fn an_expired_session_is_refused_though_the_browser_sends_it() {
    for permanent in [true, false] {
        let visit = visit_with_session(
            app_with_key(TEST_KEY),
            "/user",
            &tims_session(permanent, now() - TimeDelta::seconds(1)),
        );
        assert_eq!(visit.status, Status::SeeOther, "permanent: {permanent}");
        assert_eq!(visit.location.as_deref(), Some("/login"));
        // Refused, not refreshed.
        assert!(visit.refreshed.is_none());
    }
    let visit = visit_with_session(
        app_with_key(TEST_KEY),
        "/",
        &tims_session(true, now() - TimeDelta::seconds(1)),
    );
    assert!(
        visit
            .page
            .contains("Its time is up, so the server refuses it"),
        "{}",
        visit.page
    );
}

#[test]
fn a_session_within_its_lifetime_is_accepted() {
    let visit = visit_with_session(
        app_with_key(TEST_KEY),
        "/user",
        &tims_session(false, now() + TimeDelta::seconds(2)),
    );
    assert_eq!(visit.status, Status::Ok);
    assert!(visit.page.contains("Hello, Tim"));
}

#[test]
fn a_session_claiming_more_than_the_lifetime_is_refused() {
    // As after the lifetime is shortened: the configured lifetime is 30 seconds, the session was
    // written when it was 300.
    let data = tims_session(false, now() + TimeDelta::seconds(300));
    let visit = visit_with_session(app_with_lifetime(30), "/user", &data);
    assert_eq!(visit.status, Status::SeeOther);
    assert_eq!(visit.location.as_deref(), Some("/login"));
    let accepted = visit_with_session(app_with_lifetime(300), "/user", &data);
    assert_eq!(accepted.status, Status::Ok);
}

#[test]
fn each_request_moves_a_permanent_session_forward() {
    let before = now();
    let visit = visit_with_session(
        app_with_key(TEST_KEY),
        "/user",
        &tims_session(true, before + TimeDelta::seconds(10)),
    );
    assert_eq!(visit.status, Status::Ok);
    let refreshed = visit.refreshed.expect("a permanent session is re-sent");
    assert!(refreshed.expires >= before + TimeDelta::seconds(300));
    assert_eq!(refreshed.user.as_deref(), Some("Tim"));
    assert_eq!(visit.set_cookie.len(), 1, "{:?}", visit.set_cookie);
    assert!(
        visit.set_cookie[0].contains("; Max-Age=300; Expires="),
        "{:?}",
        visit.set_cookie
    );
}

#[test]
fn reading_a_browser_session_does_not_move_it() {
    let visit = visit_with_session(
        app_with_key(TEST_KEY),
        "/user",
        &tims_session(false, now() + TimeDelta::seconds(10)),
    );
    assert_eq!(visit.status, Status::Ok);
    assert!(visit.set_cookie.is_empty(), "{:?}", visit.set_cookie);
}

#[test]
fn changing_a_browser_session_moves_its_expiry() {
    let client = client();
    log_in(&client, "nm=Tim");
    let response = choose_colour(&client, "colour=red");
    let data = session_set_by(&response);
    assert!(!data.permanent);
    assert!(data.expires >= now() + TimeDelta::seconds(299));
    let (_, attributes) = set_cookie_headers(&response)[0]
        .split_once("; ")
        .map(|(pair, attributes)| (pair.to_owned(), attributes.to_owned()))
        .unwrap();
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
}

#[test]
fn the_user_page_says_when_the_session_expires() {
    let expires = now() + TimeDelta::seconds(42);
    let visit = visit_with_session(
        app_with_key(TEST_KEY),
        "/user",
        &tims_session(false, expires),
    );
    let at = expires.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    assert!(
        visit.page.contains(&format!("<strong>{at}</strong>")),
        "{}",
        visit.page
    );
    // 42 seconds, or 41 if the clock ticked over between building the value and the request.
    assert!(
        visit.page.contains("in 42 seconds") || visit.page.contains("in 41 seconds"),
        "{}",
        visit.page
    );
    assert!(visit.page.contains("You did not ask to be kept signed in"));

    let client = client();
    log_in(&client, "nm=Tim&remember=on");
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(page.contains("You asked to be kept signed in"), "{page}");
    // Just refreshed: the whole lifetime ahead.
    assert!(page.contains("in 300 seconds"), "{page}");
}

// --- The lifetime comes from the configuration --------------------------------------------------

#[test]
fn session_lifetime_comes_from_the_configuration() {
    let client = Client::tracked(app_with_lifetime(30)).unwrap();
    let response = log_in(&client, "nm=Tim&remember=on");
    let header = set_cookie_for(&response, "session").unwrap();
    assert!(header.contains("; Max-Age=30; Expires="), "{header}");
    let data = session_set_by(&response);
    assert!(data.expires <= now() + TimeDelta::seconds(30));
}

#[test]
fn the_longest_lifetime_is_accepted() {
    let client = Client::tracked(app_with_lifetime(MAX_LIFETIME_SECONDS)).unwrap();
    let response = log_in(&client, "nm=Tim&remember=on");
    let header = set_cookie_for(&response, "session").unwrap();
    assert!(
        header.contains(&format!("; Max-Age={MAX_LIFETIME_SECONDS}; ")),
        "{header}"
    );
}

/// The message `AdHoc::config` prints when `session_lifetime` is `value`.
fn lifetime_error<T: serde::Serialize>(value: T) -> String {
    Figment::new()
        .merge(("session_lifetime", value))
        .extract::<SessionConfig>()
        .err()
        .expect("the value is refused")
        .to_string()
}

#[test]
fn a_bad_session_lifetime_refuses_to_launch() {
    let bad: [(Rocket<Build>, &str); 6] = [
        (app_with_lifetime(0), "0"),
        (app_with_lifetime(-5), "-5"),
        (app_with_lifetime("abc"), "abc"),
        (app_with_lifetime(""), "empty"),
        (app_with_lifetime(1.5), "1.5"),
        (app_with_lifetime(MAX_LIFETIME_SECONDS + 1), "over 400 days"),
    ];
    for (app, what) in bad {
        let error = Client::tracked(app)
            .err()
            .unwrap_or_else(|| panic!("{what}: launched"));
        match error.kind() {
            rocket::error::ErrorKind::FailedFairings(fairings) => {
                assert_eq!(fairings.len(), 1, "{what}");
                assert!(fairings[0].name.ends_with("SessionConfig"), "{what}");
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn a_bad_session_lifetime_gets_a_clear_message() {
    let range = "session_lifetime must be a whole number of seconds from 1 to 34560000 (400 days)";
    assert!(lifetime_error(0).contains(&format!("{range}, not 0")));
    assert!(lifetime_error(-5).contains(&format!("{range}, not -5")));
    assert!(lifetime_error(34_560_001).contains(&format!("{range}, not 34560001")));
    let text = lifetime_error("abc");
    assert!(
        text.contains(r#"found string "abc", expected i64"#),
        "{text}"
    );
    let fraction = lifetime_error(1.5);
    assert!(
        fraction.contains("found float `1.5`, expected i64"),
        "{fraction}"
    );
}

// --- Restarts and keys ---------------------------------------------------------------------------

#[test]
fn a_restart_with_the_same_key_keeps_the_session() {
    // Two instances, one after the other, like the server before and after a restart.
    let value = logged_in_value(&client_with_key(TEST_KEY), "Tim");
    assert_eq!(user_page_with(&value, TEST_KEY), (Status::Ok, None));
}

#[test]
fn a_restart_with_another_key_logs_out_without_an_error() {
    let value = logged_in_value(&client_with_key(OTHER_TEST_KEY), "Tim");
    assert_logged_out(&value, "encrypted with another key");
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let response = client
        .get("/login")
        .cookie(Cookie::new("session", value))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let page = response.into_string().unwrap();
    assert!(
        page.contains("Could not be read with this server"),
        "{page}"
    );
}

#[test]
fn a_forged_plain_cookie_is_not_logged_in() {
    assert_logged_out(
        r#"{"user":"admin","colour":null,"permanent":true,"expires":"2099-01-01T00:00:00Z"}"#,
        "plain JSON",
    );
}

#[test]
fn a_value_with_one_character_changed_is_not_logged_in() {
    let value = logged_in_value(&client(), "Tim");
    let mut changed: Vec<char> = value.chars().collect();
    let middle = changed.len() / 2;
    changed[middle] = if changed[middle] == 'A' { 'B' } else { 'A' };
    let changed: String = changed.into_iter().collect();
    assert_ne!(changed, value);
    assert_logged_out(&changed, "one character changed");
}

#[test]
fn a_truncated_value_is_not_logged_in() {
    let value = logged_in_value(&client(), "Tim");
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
fn a_decryptable_value_that_is_not_a_session_is_not_logged_in() {
    // Encrypted with this key, but lesson 03's kind of value: just a name.
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let response = client
        .get("/user")
        .private_cookie(Cookie::new("session", "Tim"))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

// --- Log out, forget me, the one-time message (as in lesson 03, inside one cookie) ---------------

#[test]
fn logout_removes_the_user_and_keeps_the_colour() {
    let client = logged_in_with_a_colour();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    // The cookie is rewritten without the user, not deleted: the colour is still in it.
    let data = session_set_by(&response);
    assert_eq!(data.user, None);
    assert_eq!(data.colour.as_deref(), Some("blue"));
    assert!(set_cookie_for(&response, "_flash").is_some());
    drop(response);
    let response = client.get("/user").dispatch();
    assert_eq!(location(&response), Some("/login"));
    let page = client.get("/login").dispatch().into_string().unwrap();
    assert!(page.contains("This site still remembers:"), "{page}");
    assert!(
        page.contains("<li>Favourite colour: <strong>blue</strong></li>"),
        "{page}"
    );
}

#[test]
fn logout_deletes_a_session_left_with_nothing() {
    let client = client();
    log_in(&client, "nm=Tim&remember=on");
    let response = client.get("/logout").dispatch();
    assert_is_removal(set_cookie_for(&response, "session"), "session");
    drop(response);
    assert_eq!(client.get("/user").dispatch().status(), Status::SeeOther);
}

#[test]
fn forget_me_deletes_the_session_cookie() {
    let client = logged_in_with_a_colour();
    let response = client.post("/forget").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "session"), "session");
    assert_eq!(
        set_cookie_headers(&response).len(),
        2,
        "one removal, one message"
    );
    drop(response);
    assert!(client.cookies().get("session").is_none());
    let page = client.get("/login").dispatch().into_string().unwrap();
    assert!(
        page.contains("Everything in your session is forgotten."),
        "{page}"
    );
    assert!(!page.contains("This site still remembers"), "{page}");
}

#[test]
fn forget_me_deletes_an_expired_session_too() {
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let json = serde_json::to_string(&tims_session(true, now() - TimeDelta::seconds(60))).unwrap();
    let response = client
        .post("/forget")
        .private_cookie(Cookie::new("session", json))
        .dispatch();
    assert_is_removal(set_cookie_for(&response, "session"), "session");
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
    assert_is_removal(set_cookie_for(&response, "_flash"), "_flash");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(r#"<p class="message" role="status">You have been logged out, Tim.</p>"#),
        "{page}"
    );
    let again = client.get("/login").dispatch().into_string().unwrap();
    assert!(!again.contains("You have been logged out"), "{again}");
    assert!(again.contains("This site still remembers:"), "{again}");
}

#[test]
fn logout_without_a_session_sends_no_set_cookie() {
    let client = client();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

#[test]
fn logging_out_twice_is_fine() {
    // A browser session holding a colour: the second logout has no user to remove.
    let client = client();
    log_in(&client, "nm=Tim");
    choose_colour(&client, "colour=blue");
    client.get("/logout").dispatch();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
    // A permanent one is re-sent with a fresh expiry, as on every request, and nothing else.
    let client = logged_in_with_a_colour();
    client.get("/logout").dispatch();
    let response = client.get("/logout").dispatch();
    assert_eq!(location(&response), Some("/login"));
    assert_eq!(set_cookie_for(&response, "_flash"), None);
    assert_eq!(session_set_by(&response).colour.as_deref(), Some("blue"));
}

// ANCHOR: logout_cannot_revoke
#[test]
fn logout_cannot_revoke_a_copy_of_the_cookie() {
    // The server keeps nothing it could delete: a copy taken before logout keeps working, though
    // now only until the expiry inside it. Lesson 06 keeps the session on the server, where
    // logout ends it for every copy.
    let client = client();
    let copy = logged_in_value(&client, "Tim");
    let response = client.get("/logout").dispatch();
    assert_is_removal(set_cookie_for(&response, "session"), "session");
    assert_eq!(user_page_with(&copy, TEST_KEY), (Status::Ok, None));
}
// ANCHOR_END: logout_cannot_revoke

// --- Bad input -----------------------------------------------------------------------------------

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
    assert_refused("nm=&remember=on", "Please type a name.");
}

#[test]
fn whitespace_only_name_is_refused() {
    assert_refused("nm=+%20%09+", "Please type a name.");
}

#[test]
fn name_over_the_limit_is_refused() {
    let longest = "ë".repeat(MAX_NAME_CHARS);
    let client = client();
    let response = log_in(&client, &format!("nm={longest}&remember=on"));
    assert_eq!(response.status(), Status::SeeOther);
    // The longest name with a colour, in JSON and encrypted, still makes a small cookie.
    let header = set_cookie_headers(&response).remove(0);
    assert!(header.len() < 600, "{} bytes: {header}", header.len());
    assert_refused(
        &format!("nm={longest}x"),
        "A name can have at most 50 characters.",
    );
}

#[test]
fn form_without_nm_is_refused() {
    assert_refused("name=Tim&remember=on", "the field `nm` was missing");
}

#[test]
fn name_with_a_line_break_is_refused() {
    assert_refused("nm=Tim%0ASet-Cookie", "control characters");
}

#[test]
fn a_refused_form_keeps_the_box_as_it_was_sent() {
    let client = client();
    let unticked = log_in(&client, "nm=").into_string().unwrap();
    assert!(
        unticked.contains(r#"name="remember">"#),
        "unticked stays unticked: {unticked}"
    );
    let ticked = log_in(&client, "nm=&remember=on").into_string().unwrap();
    assert!(ticked.contains(r#"name="remember" checked>"#), "{ticked}");
}

#[test]
fn html_in_the_name_is_escaped_on_the_page_and_in_the_panel() {
    let client = client();
    log_in(
        &client,
        "nm=%3Cscript%3Ealert(1)%3C%2Fscript%3E&remember=on",
    );
    let page = client.get("/user").dispatch().into_string().unwrap();
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("Hello, &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    // Title, navigation, greeting, sentence and the panel's meaning column; the value column is
    // ciphertext.
    assert_eq!(page.matches("&lt;script&gt;").count(), 5, "{page}");
}

#[test]
fn choosing_a_colour_needs_a_login() {
    let client = client();
    let response = choose_colour(&client, "colour=blue");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

/// Posts a bad colour as Tim (in a browser session, so nothing is re-sent on its own) and checks
/// the answer: the user page again with `message`, a 422, no cookie, the colour chosen before kept.
fn assert_colour_refused(form_body: &str, message: &str) {
    let client = client();
    log_in(&client, "nm=Tim");
    choose_colour(&client, "colour=blue");
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
    assert!(page.contains("<li>Favourite colour: <strong>blue</strong></li>"));
}

#[test]
fn an_empty_colour_is_refused() {
    assert_colour_refused("colour=", "Please choose a colour.");
}

#[test]
fn an_unknown_or_over_long_colour_is_refused() {
    let message = "Please choose one of the colours on offer.";
    assert_colour_refused("colour=magenta", message);
    assert_colour_refused("colour=Blue", message);
    assert_colour_refused(&format!("colour={}", "blue".repeat(1000)), message);
}

#[test]
fn a_colour_form_without_the_field_is_refused() {
    assert_colour_refused("color=blue", "the field `colour` was missing");
}

// --- The panel -----------------------------------------------------------------------------------

#[test]
fn the_panel_shows_what_the_session_decrypts_to() {
    let client = logged_in_with_a_colour();
    let page = client.get("/").dispatch().into_string().unwrap();
    assert!(page.contains("<code>session</code>"), "{page}");
    assert!(
        page.contains(
            "Decrypted with this server&#x27;s key: {&quot;user&quot;:&quot;Tim&quot;,\
             &quot;colour&quot;:&quot;blue&quot;,&quot;permanent&quot;:true,"
        ),
        "{page}"
    );
    assert!(page.contains("Accepted for 300 more seconds."), "{page}");
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
}

// --- Lesson 05: the navigation, decided in the template ------------------------------------------

const LOGGED_IN_NAV: &str =
    r#"Logged in as <a href="/user">Tim</a> · <a href="/logout">Log out</a>"#;
const LOGGED_OUT_NAV: &str = r#"<a href="/login">Log in</a>"#;

/// The `<nav>` element of a page.
fn nav(page: &str) -> &str {
    let start = page.find("<nav>").expect("every page has a <nav>");
    let end = start + page[start..].find("</nav>").expect("the <nav> is closed");
    &page[start..end]
}

fn assert_logged_in_nav(page: &str, what: &str) {
    let nav = nav(page);
    assert!(nav.contains(LOGGED_IN_NAV), "{what}: {nav}");
    assert!(!nav.contains(LOGGED_OUT_NAV), "{what}: {nav}");
}

fn assert_logged_out_nav(page: &str, what: &str) {
    let nav = nav(page);
    assert!(nav.contains(LOGGED_OUT_NAV), "{what}: {nav}");
    assert!(!nav.contains("Logged in as"), "{what}: {nav}");
}

/// `GET path`, which must answer 200, and the page.
fn get_page(client: &Client, path: &'static str) -> String {
    let response = client.get(path).dispatch();
    assert_eq!(response.status(), Status::Ok, "{path}");
    response.into_string().unwrap()
}

fn assert_redirect(response: LocalResponse<'_>, to: &str, what: &str) {
    assert_eq!(response.status(), Status::SeeOther, "{what}");
    assert_eq!(location(&response), Some(to), "{what}");
}

fn save_names<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/names")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
}

#[test]
fn every_page_says_log_in_when_logged_out() {
    let client = client();
    for path in ["/", "/login"] {
        assert_logged_out_nav(&get_page(&client, path), path);
    }
    let refused = log_in(&client, "nm=");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_out_nav(&refused.into_string().unwrap(), "refused login");
    // The other pages need a login and send the visitor to the login page instead.
    assert_redirect(client.get("/user").dispatch(), "/login", "/user");
    assert_redirect(
        save_names(&client, "firstName=Tim&lastName="),
        "/login",
        "/names",
    );
    assert_redirect(choose_colour(&client, "colour=blue"), "/login", "/colour");
}

#[test]
fn every_page_says_logged_in_as_when_logged_in() {
    let client = client();
    log_in(&client, "nm=Tim");
    for path in ["/", "/user"] {
        assert_logged_in_nav(&get_page(&client, path), path);
    }
    let refused = choose_colour(&client, "colour=magenta");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_in_nav(&refused.into_string().unwrap(), "refused colour");
    let refused = save_names(&client, "firstName=Tim");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_in_nav(&refused.into_string().unwrap(), "refused names");
    // The login page sends a logged-in visitor to the user page instead.
    assert_redirect(client.get("/login").dispatch(), "/user", "/login");
}

#[test]
fn the_navigation_asks_for_the_user_not_for_any_session() {
    // Logged out with a colour and a first name kept: there is a session, but no "user" in it.
    let client = client();
    log_in(&client, "nm=Tim");
    choose_colour(&client, "colour=blue");
    save_names(&client, "firstName=Timothy&lastName=");
    client.get("/logout").dispatch();
    for path in ["/", "/login"] {
        let page = get_page(&client, path);
        assert_logged_out_nav(&page, path);
        assert!(page.contains("Timothy"), "{path}: {page}");
    }
}

#[test]
fn an_expired_session_shows_log_in() {
    let data = tims_session(true, now() - TimeDelta::seconds(1));
    let visit = visit_with_session(app_with_key(TEST_KEY), "/", &data);
    assert_eq!(visit.status, Status::Ok);
    assert_logged_out_nav(&visit.page, "expired");
}

// --- Lesson 05: first and last names, shown only when set --------------------------------------

/// Logs in as Tim in a browser session: nothing is re-sent unless it changes.
fn logged_in() -> Client {
    let client = client();
    assert_eq!(log_in(&client, "nm=Tim").status(), Status::SeeOther);
    client
}

#[test]
fn a_new_session_shows_none_of_the_optional_values() {
    let client = logged_in();
    let page = get_page(&client, "/user");
    assert!(page.contains("<h1>Hello, Tim</h1>"), "{page}");
    for label in ["First name:", "Last name:", "Favourite colour:"] {
        assert!(!page.contains(label), "{label}: {page}");
    }
    let home = get_page(&client, "/");
    assert!(!home.contains("Welcome back"), "{home}");
    assert!(!home.contains("Your favourite colour"), "{home}");
}

#[test]
fn each_optional_value_appears_only_when_set() {
    let client = logged_in();
    let response = save_names(&client, "firstName=Timothy&lastName=");
    assert_redirect(response, "/user", "names saved");
    let page = get_page(&client, "/user");
    assert!(page.contains("<li>First name: Timothy</li>"), "{page}");
    assert!(!page.contains("Last name:"), "{page}");
    assert!(!page.contains("Favourite colour:"), "{page}");
    assert!(page.contains("<h1>Hello, Timothy</h1>"), "{page}");
    assert!(get_page(&client, "/").contains("<p>Welcome back, Timothy.</p>"));

    save_names(&client, "firstName=&lastName=Berners-Lee");
    choose_colour(&client, "colour=blue");
    let page = get_page(&client, "/user");
    assert!(!page.contains("First name:"), "{page}");
    assert!(page.contains("<li>Last name: Berners-Lee</li>"), "{page}");
    assert!(
        page.contains("<li>Favourite colour: <strong>blue</strong></li>"),
        "{page}"
    );
    assert!(page.contains("<h1>Hello, Tim</h1>"), "{page}");
    assert!(page.contains(r#"<option value="blue" selected>"#), "{page}");
}

#[test]
fn a_value_not_set_is_left_out_of_the_session_not_stored_as_null() {
    let client = logged_in();
    save_names(&client, "firstName=Timothy&lastName=Lee");
    // Only spaces and a tab: blank, so the first name goes.
    let response = save_names(&client, "firstName=+%09+&lastName=Lee");
    let cookie = response.cookies().get_private("session").unwrap();
    let json = cookie.value();
    assert!(
        json.starts_with(r#"{"user":"Tim","lastName":"Lee","permanent":false,"#),
        "{json}"
    );
    assert!(!json.contains("null"), "{json}");
}

#[test]
fn the_names_form_shows_what_the_session_holds() {
    let client = logged_in();
    let page = get_page(&client, "/user");
    assert!(page.contains(r#"name="firstName" value="""#), "{page}");
    save_names(&client, "firstName=Timothy&lastName=");
    let page = get_page(&client, "/user");
    assert!(
        page.contains(r#"name="firstName" value="Timothy""#),
        "{page}"
    );
    assert!(page.contains(r#"name="lastName" value="""#), "{page}");
}

#[test]
fn logout_keeps_the_names_and_forget_me_removes_them() {
    let client = logged_in();
    save_names(&client, "firstName=Timothy&lastName=Lee");
    client.get("/logout").dispatch();
    let page = get_page(&client, "/login");
    assert!(page.contains("This site still remembers:"), "{page}");
    assert!(page.contains("<li>First name: Timothy</li>"), "{page}");
    assert!(page.contains("<li>Last name: Lee</li>"), "{page}");
    assert!(!page.contains("Favourite colour:"), "{page}");
    client.post("/forget").dispatch();
    let page = get_page(&client, "/login");
    assert!(!page.contains("This site still remembers"), "{page}");
    assert!(!page.contains("Timothy"), "{page}");
}

#[test]
fn logging_in_again_keeps_the_names() {
    let client = logged_in();
    save_names(&client, "firstName=Timothy&lastName=");
    client.get("/logout").dispatch();
    log_in(&client, "nm=Tim");
    assert!(get_page(&client, "/user").contains("<h1>Hello, Timothy</h1>"));
}

/// Posts a bad names form as Tim, who has the first name Timothy, and checks the answer: the user
/// page again with `message`, a 422, no cookie, and the session as it was.
fn assert_names_refused(form_body: &str, message: &str) {
    let client = logged_in();
    save_names(&client, "firstName=Timothy&lastName=");
    let response = save_names(&client, form_body);
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "{form_body:?}"
    );
    assert!(set_cookie_headers(&response).is_empty(), "{form_body:?}");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(message),
        "{form_body:?} should show {message:?}: {page}"
    );
    assert!(
        page.contains(r#"name="firstName""#),
        "the form is shown again"
    );
    let page = get_page(&client, "/user");
    assert!(page.contains("<li>First name: Timothy</li>"), "{page}");
    assert!(!page.contains("Last name:"), "{page}");
}

#[test]
fn a_name_over_the_limit_is_refused_and_nothing_is_stored() {
    let longest = "ë".repeat(MAX_NAME_CHARS);
    let client = client();
    log_in(&client, &format!("nm={longest}&remember=on"));
    choose_colour(&client, "colour=purple");
    let response = save_names(&client, &format!("firstName={longest}&lastName={longest}"));
    assert_eq!(response.status(), Status::SeeOther);
    // Three longest names and a colour, in JSON and encrypted, still make a small cookie.
    let header = set_cookie_for(&response, "session").unwrap();
    assert!(header.len() < 1200, "{} bytes: {header}", header.len());
    assert_names_refused(
        &format!("firstName=Tom&lastName={longest}x"),
        "A last name can have at most 50 characters.",
    );
}

#[test]
fn a_name_with_a_control_character_is_refused() {
    assert_names_refused(
        "firstName=Tom%0ATom&lastName=",
        "A first name cannot contain control characters",
    );
}

#[test]
fn a_names_form_without_a_field_is_refused() {
    assert_names_refused(
        "firstName=Tom",
        "The form sent no last name (the field `lastName` was missing).",
    );
    assert_names_refused(
        "lastName=Lee",
        "The form sent no first name (the field `firstName` was missing).",
    );
}

#[test]
fn a_refused_names_form_shows_what_was_typed() {
    let client = logged_in();
    let response = save_names(&client, "firstName=%22%3E%3Cb%3E&lastName=Lee%09Lee");
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = response.into_string().unwrap();
    assert!(
        page.contains(r#"name="firstName" value="&quot;&gt;&lt;b&gt;""#),
        "{page}"
    );
    assert!(!page.contains("<b>"), "{page}");
    // The profile above the form shows the session, which has no names.
    assert!(!page.contains("First name:"), "{page}");
}

#[test]
fn html_in_any_value_is_escaped_on_the_pages_and_in_the_panel() {
    let client = client();
    log_in(&client, "nm=%3Ci%3En%3C%2Fi%3E");
    save_names(
        &client,
        "firstName=%3Ci%3Ef%3C%2Fi%3E&lastName=%3Ci%3El%3C%2Fi%3E",
    );
    let page = get_page(&client, "/user");
    assert!(!page.contains("<i>"), "{page}");
    // Escaped exactly once: `&lt;`, never `&amp;lt;`.
    assert!(!page.contains("&amp;"), "{page}");
    // The name: title, navigation, sentence, panel. The first name: greeting, list, form, panel.
    // The last name: list, form, panel.
    for (letter, times) in [("n", 4), ("f", 4), ("l", 3)] {
        let escaped = format!("&lt;i&gt;{letter}&lt;&#x2F;i&gt;");
        assert_eq!(page.matches(&escaped).count(), times, "{letter}: {page}");
    }
    let home = get_page(&client, "/");
    assert!(
        home.contains("<p>Welcome back, &lt;i&gt;f&lt;&#x2F;i&gt;.</p>"),
        "{home}"
    );
    client.get("/logout").dispatch();
    let login = get_page(&client, "/login");
    assert!(
        login.contains("<li>Last name: &lt;i&gt;l&lt;&#x2F;i&gt;</li>"),
        "{login}"
    );
    assert!(!login.contains("<i>"), "{login}");
}

// --- Lesson 05: Jinja2 spellings in Tera (the README's table) ------------------------------------

/// How a template fares in this lesson's own template setup.
#[derive(Debug, PartialEq)]
enum Rendered {
    /// The text the browser would get.
    Page(String),
    /// Tera parsed the template but could not render it: in a handler, a 500.
    Fails,
    /// Tera could not parse the template: Rocket refuses to launch.
    NoLaunch,
}

fn page_of(text: &str) -> Rendered {
    Rendered::Page(text.to_owned())
}

/// Renders `source` as a template of this lesson's app (`rocket()` with its `Template` fairing,
/// only the template directory changed to one holding this template alone), with the context
/// `Session::render` gives every page when the session is `data`.
fn render(source: &str, data: Option<&SessionData>) -> Rendered {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lesson-05-template-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("snippet.html.tera"), source).unwrap();
    let app = app_with_key(TEST_KEY);
    let figment = app.figment().clone().merge(("template_dir", &dir));
    let rendered = match Client::untracked(app.configure(figment)) {
        Ok(client) => {
            let context = PageContext {
                session: SessionInTemplates { data },
                sent: Vec::new(),
                values: context! {},
            };
            match Template::show(client.rocket(), "snippet", context) {
                Some(text) => Rendered::Page(text),
                None => Rendered::Fails,
            }
        }
        Err(error) => match error.kind() {
            ErrorKind::FailedFairings(failed) if failed[0].name == "Templating" => {
                Rendered::NoLaunch
            }
            other => panic!("the launch failed for another reason: {other:?}"),
        },
    };
    std::fs::remove_dir_all(&dir).unwrap();
    rendered
}

/// Tim's session with the first name `first` and no last name.
fn with_first_name(first: &str) -> SessionData {
    let mut data = tims_session(true, now());
    data.first_name = Some(first.to_owned());
    data
}

#[test]
fn jinja_membership_test_works_unchanged() {
    let tim = with_first_name("Timothy");
    let seed = "{% if 'firstName' in session %}First Name: {{ session['firstName'] }}{% endif %}";
    assert_eq!(render(seed, Some(&tim)), page_of("First Name: Timothy"));
    let last = "{% if 'lastName' in session %}set{% else %}not set{% endif %}";
    assert_eq!(render(last, Some(&tim)), page_of("not set"));
    // No session at all is `{}`, where the test is simply false.
    assert_eq!(render(last, None), page_of("not set"));
    let not_in = "{% if 'user' not in session %}nobody{% endif %}";
    assert_eq!(render(not_in, None), page_of("nobody"));
}

#[test]
fn dot_and_brackets_read_the_same_value() {
    let tim = with_first_name("Timothy");
    let source = r#"{{ session.firstName }} {{ session['firstName'] }} {{ session["firstName"] }}"#;
    assert_eq!(
        render(source, Some(&tim)),
        page_of("Timothy Timothy Timothy")
    );
}

#[test]
fn a_missing_key_fails_the_page_where_jinja_prints_nothing() {
    let tim = with_first_name("Timothy");
    assert_eq!(
        render("{{ session.lastName }}", Some(&tim)),
        Rendered::Fails
    );
    assert_eq!(
        render("{{ session['lastName'] }}", Some(&tim)),
        Rendered::Fails
    );
    assert_eq!(render("{{ session.user }}", None), Rendered::Fails);
    // Safe: test first (a missing key is simply false in an `if`), or give a default.
    let tested = "[{% if session.lastName %}{{ session.lastName }}{% endif %}]";
    assert_eq!(render(tested, Some(&tim)), page_of("[]"));
    let defaulted = r#"[{{ session.lastName | default(value="") }}]"#;
    assert_eq!(render(defaulted, Some(&tim)), page_of("[]"));
}

#[test]
fn default_takes_a_named_argument_and_escapes_its_value_twice() {
    let tim = with_first_name("<b>Tim</b>");
    let named = r#"{{ session.lastName | default(value="friend") }}"#;
    assert_eq!(render(named, Some(&tim)), page_of("friend"));
    // Jinja2's positional `default('friend')` does not parse in Tera, nor does a method call such
    // as `session.get('lastName', 'friend')`: the app does not even start.
    let positional = "{{ session.lastName | default('friend') }}";
    assert_eq!(render(positional, Some(&tim)), Rendered::NoLaunch);
    let method = "{{ session.get('lastName', 'friend') }}";
    assert_eq!(render(method, Some(&tim)), Rendered::NoLaunch);
    // Tera escapes the value `default` falls back to twice (Keats/tera#969): `/` comes out as
    // `&amp;#x2F;`, and a name from the session is mangled the same way.
    let slash = r#"{{ session.lastName | default(value="n/a") }}"#;
    assert_eq!(render(slash, Some(&tim)), page_of("n&amp;#x2F;a"));
    let from_session = "{{ session.lastName | default(value=session.firstName) }}";
    assert_eq!(
        render(from_session, Some(&tim)),
        page_of("&amp;lt;b&amp;gt;Tim&amp;lt;&amp;#x2F;b&amp;gt;")
    );
}

#[test]
fn filters_upper_title_length_keep_their_names() {
    let tim = with_first_name("Timothy");
    let source = "{{ session.firstName | upper }} {{ 'ada lovelace' | title }} \
                  {{ session.firstName | length }}";
    assert_eq!(
        render(source, Some(&tim)),
        page_of("TIMOTHY Ada Lovelace 7")
    );
    // Jinja2 gives 0 for the length of a missing key; Tera fails the page.
    let missing = "{{ session.lastName | length }}";
    assert_eq!(render(missing, Some(&tim)), Rendered::Fails);
}

#[test]
fn raw_shows_template_syntax_as_text() {
    let source = "{% raw %}{% if 'firstName' in session %}{{ session.firstName }}{% endif %}\
                  {% endraw %}";
    assert_eq!(
        render(source, None),
        page_of("{% if 'firstName' in session %}{{ session.firstName }}{% endif %}")
    );
}

#[test]
fn html_templates_are_escaped_unless_marked_safe() {
    let tim = with_first_name(r#"<b>"Tim" & 'Tom'</b>"#);
    assert_eq!(
        render("{{ session.firstName }}", Some(&tim)),
        page_of("&lt;b&gt;&quot;Tim&quot; &amp; &#x27;Tom&#x27;&lt;&#x2F;b&gt;")
    );
    assert_eq!(
        render("{{ session.firstName | safe }}", Some(&tim)),
        page_of(r#"<b>"Tim" & 'Tom'</b>"#)
    );
}
