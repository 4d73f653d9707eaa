//! In-process tests, with Rocket's local client, for what the spec cannot see or cannot do
//! without waiting: the JSON inside the encrypted cookie, sessions built with the test key (expired
//! one second ago, two seconds left, more than the lifetime, not a session at all), and how the
//! configuration is read. Everything a user can see (the literal `Set-Cookie` lines, expiry with a
//! real clock, restarts with the same or another key, bad input) is lesson 04's spec in the
//! `specs` package, run by `tests/spec.rs`.

use super::{rocket, SessionConfig, SessionData};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lesson_support::MAX_NAME_CHARS;
use rocket::figment::Figment;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::{Build, Rocket};

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";

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
        user: "Tim".to_owned(),
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

/// The encrypted session value of a fresh login as `name` on `client`.
fn logged_in_value(client: &Client, name: &str) -> String {
    let response = log_in(client, &format!("nm={name}&remember=on"));
    assert_eq!(response.status(), Status::SeeOther);
    session_value(&response)
}

// --- One cookie, with the expiry inside ----------------------------------------------------------

#[test]
fn the_whole_session_is_one_encrypted_cookie() {
    let client = client();
    log_in(&client, "nm=Tim&remember=on");
    let cookies: Vec<String> = client
        .cookies()
        .iter()
        .map(|cookie| cookie.name().to_owned())
        .collect();
    assert_eq!(cookies, ["session"]);
    let value = client.cookies().get("session").unwrap().value().to_owned();
    assert!(!value.contains("Tim"), "{value}");
    let data: SessionData =
        serde_json::from_str(client.cookies().get_private("session").unwrap().value()).unwrap();
    assert_eq!(data.user, "Tim");
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
            .contains("Its time is up (or it claims more than the lifetime of 300 seconds)"),
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
    assert_eq!(refreshed.user, "Tim");
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

// --- The lifetime comes from the configuration --------------------------------------------------

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
    let bad: [(Rocket<Build>, &str); 5] = [
        (app_with_lifetime(0), "0"),
        (app_with_lifetime(-5), "-5"),
        (app_with_lifetime("abc"), "abc"),
        (app_with_lifetime(""), "empty"),
        (app_with_lifetime(1.5), "1.5"),
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
    let zero = lifetime_error(0);
    assert!(zero.contains("expected a nonzero u32"), "{zero}");
    let negative = lifetime_error(-5);
    assert!(negative.contains("expected a nonzero u32"), "{negative}");
    let text = lifetime_error("abc");
    assert!(text.contains(r#"found string "abc", expected"#), "{text}");
    for error in [zero, negative, text] {
        assert!(error.contains("session_lifetime"), "{error}");
    }
}

// --- A value only the key can make ---------------------------------------------------------------

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
fn name_over_the_limit_is_refused() {
    let longest = "ë".repeat(MAX_NAME_CHARS);
    let client = client();
    let response = log_in(&client, &format!("nm={longest}&remember=on"));
    assert_eq!(response.status(), Status::SeeOther);
    // The longest name, in JSON and encrypted, still makes a small cookie.
    let header = set_cookie_headers(&response).remove(0);
    assert!(header.len() < 600, "{} bytes: {header}", header.len());
    assert_refused(
        &format!("nm={longest}x"),
        "A name can have at most 50 characters.",
    );
}

/// `write` expects every expiry it can make to be a date a cookie can hold: the longest lifetime
/// `session_lifetime` accepts, `u32::MAX` seconds (136 years), still gets its `Expires`.
#[test]
fn the_longest_lifetime_still_sets_expires() {
    let client = Client::tracked(app_with_lifetime(u32::MAX)).expect("a valid Rocket instance");
    let response = log_in(&client, "nm=Tim&remember=on");
    assert_eq!(response.status(), Status::SeeOther);
    let header = set_cookie_for(&response, "session").expect("a cookie `session`");
    assert!(
        header.contains(&format!("Max-Age={}", u32::MAX)),
        "{header}"
    );
    assert!(header.contains("; Expires="), "{header}");
}
