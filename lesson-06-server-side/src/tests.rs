//! In-process tests, against the default in-memory store. The tests that need a real Redis are in
//! `tests/with_redis.rs` (next to this file), marked `#[ignore]`.
//!
//! A `Client` here is one server with its own store, and a `Browser` is one browser talking to
//! it, keeping its cookies as a browser does. Several browsers on one server, or a copy of one
//! browser's cookie, are what this lesson is about.

use super::store::{MemoryStore, SessionId, SessionStore};
use super::{rocket, SessionData, MAX_LIFETIME_SECONDS, MAX_NAME_CHARS};
use chrono::Utc;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalRequest, LocalResponse};
use rocket::{Build, Rocket};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

mod with_redis;

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";
const OTHER_TEST_KEY: &str = "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=";

/// `app` with the setting `name` set to `value`, as `ROCKET_<NAME>` or Rocket.toml would set it.
fn with_setting<T: serde::Serialize>(app: Rocket<Build>, name: &str, value: T) -> Rocket<Build> {
    let figment = app.figment().clone().merge((name, value));
    app.configure(figment)
}

/// The lesson's app with `secret_key` set, as `ROCKET_SECRET_KEY` would set it.
fn app_with_key(key: &str) -> Rocket<Build> {
    with_setting(rocket(), "secret_key", key)
}

/// One server, with its own memory store.
fn server() -> Client {
    Client::untracked(app_with_key(TEST_KEY)).expect("a valid Rocket instance")
}

fn server_with_lifetime(seconds: i64) -> Client {
    let app = with_setting(app_with_key(TEST_KEY), "session_lifetime", seconds);
    Client::untracked(app).expect("a valid Rocket instance")
}

/// One browser: the cookies it keeps, sent with each of its requests and updated from each
/// response's `Set-Cookie`, as a browser does.
struct Browser<'c> {
    server: &'c Client,
    cookies: RefCell<BTreeMap<String, String>>,
}

impl<'c> Browser<'c> {
    fn new(server: &'c Client) -> Browser<'c> {
        Browser {
            server,
            cookies: RefCell::default(),
        }
    }

    /// A browser that holds only the cookie `session=value`: a copy taken from another browser,
    /// or a value made up by an attacker.
    fn holding(server: &'c Client, value: &str) -> Browser<'c> {
        let browser = Browser::new(server);
        browser
            .cookies
            .borrow_mut()
            .insert("session".to_owned(), value.to_owned());
        browser
    }

    /// The encrypted value of its cookie `session`, as devtools shows it.
    fn session_cookie(&self) -> Option<String> {
        self.cookies.borrow().get("session").cloned()
    }

    fn get(&self, path: &str) -> LocalResponse<'c> {
        self.send(self.server.get(path.to_owned()))
    }

    fn post(&self, path: &str, form_body: &str) -> LocalResponse<'c> {
        let request = self
            .server
            .post(path.to_owned())
            .header(ContentType::Form)
            .body(form_body);
        self.send(request)
    }

    fn send(&self, request: LocalRequest<'c>) -> LocalResponse<'c> {
        let sent: Vec<Cookie<'static>> = self
            .cookies
            .borrow()
            .iter()
            .map(|(name, value)| Cookie::new(name.clone(), value.clone()))
            .collect();
        let response = request.cookies(sent).dispatch();
        let mut kept = self.cookies.borrow_mut();
        for cookie in response.cookies().iter() {
            // A removal comes as an empty value with `Max-Age=0`.
            if cookie.value().is_empty() {
                kept.remove(cookie.name());
            } else {
                kept.insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
        response
    }

    /// Logs in as `name` with the form's `form_rest` (such as `&remember=on`) and returns the
    /// session id the new cookie holds, decrypted as the server does.
    fn log_in_with(&self, name: &str, form_rest: &str) -> String {
        let response = self.post("/login", &format!("nm={name}{form_rest}"));
        assert_eq!(response.status(), Status::SeeOther);
        assert_eq!(location(&response), Some("/user"));
        let id = response
            .cookies()
            .get_private("session")
            .expect("login sets the cookie `session`");
        id.value().to_owned()
    }

    /// Logs in as `name`, kept signed in as the form suggests; returns the session id.
    fn log_in(&self, name: &str) -> String {
        self.log_in_with(name, "&remember=on")
    }

    /// `Some(name)` if `/user` greets this browser by name, `None` if it is sent to log in.
    fn logged_in_as(&self) -> Option<String> {
        let response = self.get("/user");
        match response.status() {
            Status::SeeOther => {
                assert_eq!(location(&response), Some("/login"));
                None
            }
            Status::Ok => {
                let page = response.into_string().unwrap();
                let start = page.find("<h1>Hello, ").expect("a greeting") + "<h1>Hello, ".len();
                let end = start
                    + page[start..]
                        .find("</h1>")
                        .expect("the end of the greeting");
                Some(page[start..end].to_owned())
            }
            other => panic!("/user answered {other}"),
        }
    }

    fn page(&self, path: &str) -> String {
        let response = self.get(path);
        assert_eq!(response.status(), Status::Ok, "{path}");
        response.into_string().unwrap()
    }
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

fn tim() -> Option<String> {
    Some("Tim".to_owned())
}

// --- The pages and the login, as in lessons 02 to 04 --------------------------------------------

#[test]
fn home_links_to_the_login_page() {
    let server = server();
    let page = Browser::new(&server).page("/");
    assert!(page.contains(r#"<a href="/login">"#), "{page}");
}

#[test]
fn login_page_is_a_form_with_field_nm_and_a_ticked_remember_box() {
    let server = server();
    let page = Browser::new(&server).page("/login");
    assert!(page.contains(r#"<form action="/login" method="post">"#));
    assert!(page.contains(r#"name="nm""#));
    assert!(
        page.contains(r#"<input id="remember" type="checkbox" name="remember" checked>"#),
        "{page}"
    );
}

#[test]
fn user_page_shows_the_name_from_the_store() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    assert_eq!(browser.logged_in_as(), tim());
}

#[test]
fn login_page_redirects_to_user_when_logged_in() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let response = browser.get("/login");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
}

#[test]
fn user_page_without_a_session_redirects_to_login() {
    let server = server();
    assert_eq!(Browser::new(&server).logged_in_as(), None);
}

#[test]
fn a_non_ascii_name_round_trips() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Zo%C3%AB");
    assert_eq!(browser.logged_in_as().as_deref(), Some("Zoë"));
}

// --- The cookie holds an id, the store holds the session ----------------------------------------

// ANCHOR: test_only_an_id
#[test]
fn the_cookie_holds_only_a_random_128_bit_id() {
    let server = server();
    let browser = Browser::new(&server);
    let response = browser.post("/login", "nm=Timothy&remember=on");
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    assert!(pair.starts_with("session="), "{pair}");
    assert!(
        attributes.starts_with("HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires="),
        "{attributes}"
    );
    // Decrypted, the value is 32 hex digits, 128 bits, and nothing else.
    let id = response.cookies().get_private("session").unwrap();
    let id = id.value();
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    drop(response);
    // The colour too lives in the store: still one cookie, still only the id.
    browser.post("/colour", "colour=blue");
    assert_eq!(browser.cookies.borrow().len(), 1);
    let page = browser.page("/user");
    assert!(
        page.contains(&format!("session id <code>{id}</code>")),
        "{page}"
    );
    assert!(page.contains("Your favourite colour: <strong>blue</strong>"));
}
// ANCHOR_END: test_only_an_id

#[test]
fn every_login_gets_a_different_id() {
    let server = server();
    let ids: std::collections::HashSet<String> = (0..20)
        .map(|_| Browser::new(&server).log_in("Tim"))
        .collect();
    assert_eq!(ids.len(), 20, "{ids:?}");
}

#[test]
fn without_keep_me_signed_in_the_cookie_is_a_browser_session_cookie() {
    let server = server();
    let browser = Browser::new(&server);
    let response = browser.post("/login", "nm=Tim");
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (_, attributes) = headers[0].split_once("; ").unwrap();
    // No Expires and no Max-Age: the browser drops it when it closes.
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
    drop(response);
    let page = browser.page("/user");
    assert!(
        page.contains("You did not ask to be kept signed in"),
        "{page}"
    );
    // The store still gives it the lifetime.
    assert!(page.contains("in 300 seconds"), "{page}");
}

#[test]
fn a_session_from_another_server_is_unknown_here() {
    // Two servers with the same key but each its own memory store: the cookie decrypts on both,
    // the id means something only on the first. Redis fixes this (tests/with_redis.rs).
    let (one, two) = (server(), server());
    let browser = Browser::new(&one);
    browser.log_in("Tim");
    let value = browser.session_cookie().unwrap();
    assert_eq!(Browser::holding(&one, &value).logged_in_as(), tim());
    assert_eq!(Browser::holding(&two, &value).logged_in_as(), None);
}

// --- Revocation: login, logout, log out everywhere, forget me ------------------------------------

// ANCHOR: test_fixation
#[test]
fn login_issues_a_new_id_and_deletes_the_old_session() {
    let server = server();
    // Mallory logs in, then plants her cookie in Tim's browser, where Tim logs in.
    let mallory = Browser::new(&server);
    let planted_id = mallory.log_in("Mallory");
    let planted = mallory.session_cookie().unwrap();
    let tims = Browser::holding(&server, &planted);
    let tims_id = tims.log_in("Tim");
    assert_ne!(tims_id, planted_id);
    assert_eq!(tims.logged_in_as(), tim());
    // The planted id is worth nothing now: not Tim's session, not even Mallory's.
    assert_eq!(mallory.logged_in_as(), None);
}
// ANCHOR_END: test_fixation

// ANCHOR: test_logout
#[test]
fn after_logout_a_copy_of_the_cookie_is_refused() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let copy = browser.session_cookie().unwrap();
    let response = browser.get("/logout");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "session"), "session");
    drop(response);
    // The browser deleted its cookie; whoever copied it before the logout is refused too.
    // (In lessons 03 and 04 the copy still works: the server has nothing it could delete.)
    assert_eq!(Browser::holding(&server, &copy).logged_in_as(), None);
}
// ANCHOR_END: test_logout

#[test]
fn logout_keeps_the_colour_under_a_new_id() {
    let server = server();
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    browser.post("/colour", "colour=blue");
    let copy = browser.session_cookie().unwrap();
    let response = browser.get("/logout");
    let new_id = response.cookies().get_private("session").unwrap();
    assert_ne!(new_id.value(), id);
    assert!(set_cookie_for(&response, "_flash").is_some());
    drop(response);
    assert_eq!(browser.logged_in_as(), None);
    let page = browser.page("/login");
    assert!(
        page.contains("still remembers your favourite colour: <strong>blue</strong>"),
        "{page}"
    );
    // The copy was logged in; it is not now, and it does not get the colour either.
    let thief = Browser::holding(&server, &copy);
    assert_eq!(thief.logged_in_as(), None);
    assert!(!thief.page("/login").contains("blue"));
}

#[test]
fn logout_ends_only_this_session() {
    let server = server();
    let (laptop, phone) = (Browser::new(&server), Browser::new(&server));
    laptop.log_in("Tim");
    phone.log_in("Tim");
    laptop.get("/logout");
    assert_eq!(laptop.logged_in_as(), None);
    assert_eq!(phone.logged_in_as(), tim());
}

#[test]
fn the_goodbye_message_appears_once() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    browser.get("/logout");
    let response = browser.get("/login");
    assert_eq!(response.status(), Status::Ok);
    assert_is_removal(set_cookie_for(&response, "_flash"), "_flash");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(r#"<p class="message" role="status">You have been logged out, Tim.</p>"#),
        "{page}"
    );
    let again = browser.page("/login");
    assert!(!again.contains("You have been logged out"), "{again}");
}

#[test]
fn logout_without_a_session_sends_no_set_cookie() {
    let server = server();
    let response = Browser::new(&server).get("/logout");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

// ANCHOR: test_everywhere
#[test]
fn log_out_everywhere_ends_every_session_of_the_user_and_no_other() {
    let server = server();
    let (laptop, phone, anns) = (
        Browser::new(&server),
        Browser::new(&server),
        Browser::new(&server),
    );
    laptop.log_in("Tim");
    phone.log_in("Tim");
    anns.log_in("Ann");
    let response = laptop.post("/logout/everywhere", "");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "session"), "session");
    drop(response);
    let page = laptop.page("/login");
    assert!(
        page.contains("Every session of Tim has ended, in every browser."),
        "{page}"
    );
    assert_eq!(laptop.logged_in_as(), None);
    assert_eq!(phone.logged_in_as(), None);
    assert_eq!(anns.logged_in_as().as_deref(), Some("Ann"));
}
// ANCHOR_END: test_everywhere

#[test]
fn log_out_everywhere_is_a_post_and_needs_a_login() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    assert_eq!(browser.get("/logout/everywhere").status(), Status::NotFound);
    assert_eq!(browser.logged_in_as(), tim());
    let response = Browser::new(&server).post("/logout/everywhere", "");
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

#[test]
fn the_user_page_offers_log_out_everywhere() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let page = browser.page("/user");
    assert!(
        page.contains(r#"<form action="/logout/everywhere" method="post">"#),
        "{page}"
    );
}

#[test]
fn forget_me_deletes_the_session_and_a_copy_is_refused() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    browser.post("/colour", "colour=blue");
    let copy = browser.session_cookie().unwrap();
    let response = browser.post("/forget", "");
    assert_eq!(location(&response), Some("/login"));
    assert_is_removal(set_cookie_for(&response, "session"), "session");
    drop(response);
    let page = browser.page("/login");
    assert!(
        page.contains("Your name and colour are forgotten."),
        "{page}"
    );
    assert!(!page.contains("remembers your favourite colour"), "{page}");
    let thief = Browser::holding(&server, &copy);
    assert_eq!(thief.logged_in_as(), None);
    assert!(!thief.page("/").contains("blue"));
}

#[test]
fn forget_me_with_nothing_kept_just_redirects() {
    let server = server();
    let response = Browser::new(&server).post("/forget", "");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

// ANCHOR: test_update_only_if_held
#[rocket::async_test]
async fn a_late_refresh_cannot_bring_a_deleted_session_back() {
    // A request loads the session; meanwhile another one logs out everywhere; then the first one
    // writes its sliding refresh. The session must stay deleted.
    let store = MemoryStore::default();
    let id = SessionId::new();
    let session = SessionData {
        user: tim(),
        colour: None,
        permanent: true,
        expires: Utc::now(),
    };
    let lifetime = Duration::from_secs(300);
    store.put(&id, &session, lifetime).await.unwrap();
    store.delete_all_of("Tim").await.unwrap();
    store.update(&id, &session, lifetime).await.unwrap();
    assert!(store.get(&id).await.unwrap().is_none());
}
// ANCHOR_END: test_update_only_if_held

// --- Forged and foreign cookies -----------------------------------------------------------------

#[test]
fn a_forged_plain_cookie_is_not_logged_in() {
    let server = server();
    let id = Browser::new(&server).log_in("Tim");
    // The real id, sent without the encryption, is refused: only this server's key makes a cookie
    // it accepts. And lesson 04's kind of value, in plain text, means nothing here.
    for forged in [
        id.as_str(),
        r#"{"user":"admin","colour":null,"permanent":true,"expires":"2099-01-01T00:00:00Z"}"#,
    ] {
        assert_eq!(Browser::holding(&server, forged).logged_in_as(), None);
    }
}

#[test]
fn an_id_the_store_does_not_hold_is_not_logged_in() {
    // A well-formed id, encrypted with the right key, that no login ever issued.
    let server = server();
    let response = server
        .get("/user")
        .private_cookie(Cookie::new("session", "0123456789abcdef0123456789abcdef"))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

#[test]
fn a_decryptable_value_that_is_not_an_id_is_not_logged_in() {
    let server = server();
    for value in ["Tim", "0123456789ABCDEF0123456789ABCDEF", "0123"] {
        let response = server
            .get("/user")
            .private_cookie(Cookie::new("session", value))
            .dispatch();
        assert_eq!(location(&response), Some("/login"), "{value}");
    }
}

#[test]
fn tampered_truncated_and_foreign_values_are_not_logged_in() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let value = browser.session_cookie().unwrap();
    let mut changed: Vec<char> = value.chars().collect();
    let middle = changed.len() / 2;
    changed[middle] = if changed[middle] == 'A' { 'B' } else { 'A' };
    let changed: String = changed.into_iter().collect();
    let foreign_server = Client::untracked(app_with_key(OTHER_TEST_KEY)).unwrap();
    let foreign = Browser::new(&foreign_server);
    foreign.log_in("Tim");
    let foreign = foreign.session_cookie().unwrap();
    for bad in [
        changed.as_str(),
        &value[..value.len() - 4],
        &value[..8],
        "",
        "%%%%",
        "!!not base64!!",
        "AAAA",
        "\u{1F36A}",
        &foreign,
    ] {
        assert_eq!(
            Browser::holding(&server, bad).logged_in_as(),
            None,
            "{bad:?}"
        );
    }
}

// --- The lifetime, enforced by the store ---------------------------------------------------------

#[test]
fn the_user_page_says_when_the_session_expires() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let page = browser.page("/user");
    assert!(page.contains("You asked to be kept signed in"), "{page}");
    // Just refreshed: the whole lifetime ahead.
    assert!(page.contains("in 300 seconds"), "{page}");
}

#[test]
fn session_lifetime_comes_from_the_configuration() {
    let server = server_with_lifetime(30);
    let response = Browser::new(&server).post("/login", "nm=Tim&remember=on");
    let header = set_cookie_for(&response, "session").unwrap();
    assert!(header.contains("; Max-Age=30; Expires="), "{header}");
}

#[test]
fn a_bad_session_lifetime_refuses_to_launch() {
    for (value, what) in [
        (0, "0"),
        (-5, "-5"),
        (MAX_LIFETIME_SECONDS + 1, "over 400 days"),
    ] {
        let app = with_setting(app_with_key(TEST_KEY), "session_lifetime", value);
        assert_launch_refused_by(Client::untracked(app), "SessionConfig", what);
    }
}

#[test]
fn a_session_ends_when_its_lifetime_passes_without_a_request() {
    let server = server_with_lifetime(1);
    let (kept, unkept) = (Browser::new(&server), Browser::new(&server));
    kept.log_in("Tim");
    unkept.log_in_with("Tim", "");
    // The point of this test is time passing: the lifetime (1 s) and a margin.
    std::thread::sleep(Duration::from_millis(1500));
    // Both browsers still send their cookies; the store no longer holds either session.
    assert!(kept.session_cookie().is_some() && unkept.session_cookie().is_some());
    assert_eq!(kept.logged_in_as(), None);
    assert_eq!(unkept.logged_in_as(), None);
}

// ANCHOR: test_sliding
#[test]
fn each_request_gives_a_permanent_session_a_fresh_lifetime() {
    let server = server_with_lifetime(3);
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    // Four visits one second apart: 4 s after the login, longer than the 3 s lifetime, yet never
    // 3 s without a visit. Without the refresh the last visits would find the session gone.
    for _ in 0..4 {
        std::thread::sleep(Duration::from_secs(1));
        let response = browser.get("/user");
        assert_eq!(response.status(), Status::Ok);
        let header = set_cookie_for(&response, "session").expect("the cookie is re-sent");
        assert!(header.contains("; Max-Age=3; Expires="), "{header}");
    }
}
// ANCHOR_END: test_sliding

#[test]
fn reading_a_browser_session_does_not_move_it_and_changing_it_does() {
    let server = server_with_lifetime(2);
    let (reader, changer) = (Browser::new(&server), Browser::new(&server));
    reader.log_in_with("Tim", "");
    changer.log_in_with("Ann", "");
    std::thread::sleep(Duration::from_millis(1200));
    let response = reader.get("/user");
    assert_eq!(response.status(), Status::Ok);
    assert!(set_cookie_headers(&response).is_empty());
    drop(response);
    changer.post("/colour", "colour=red");
    // 2.4 s after the logins: past the lifetime of the session only read, not of the one changed
    // 1.2 s ago.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(reader.logged_in_as(), None);
    assert_eq!(changer.logged_in_as().as_deref(), Some("Ann"));
}

// --- Where the store lives -----------------------------------------------------------------------

/// Checks that the launch failed because of the one fairing `fairing`.
fn assert_launch_refused_by(launched: Result<Client, rocket::Error>, fairing: &str, what: &str) {
    let Err(error) = launched else {
        panic!("{what}: launched");
    };
    match error.kind() {
        rocket::error::ErrorKind::FailedFairings(failed) => {
            let names: Vec<&str> = failed.iter().map(|info| info.name).collect();
            assert_eq!(names.len(), 1, "{what}: {names:?}");
            assert!(names[0].ends_with(fairing), "{what}: {names:?}");
        }
        other => panic!("{what}: launch failed for another reason: {other:?}"),
    }
}

#[test]
fn launch_is_refused_when_redis_is_unreachable() {
    // Nothing listens on a port that was free a moment ago.
    let url = format!("redis://127.0.0.1:{}", test_support::free_port());
    let app = with_setting(app_with_key(TEST_KEY), "session_store", url);
    assert_launch_refused_by(Client::untracked(app), "Session store", "no Redis");
}

#[test]
fn launch_is_refused_when_session_store_is_not_a_redis_url() {
    let app = with_setting(
        app_with_key(TEST_KEY),
        "session_store",
        "http://127.0.0.1:6379",
    );
    assert_launch_refused_by(Client::untracked(app), "Session store", "an HTTP URL");
}

// --- Bad input ------------------------------------------------------------------------------------

/// Posts a bad form and checks the answer: the form again with `message`, a 422, no cookie.
fn assert_refused(form_body: &str, message: &str) {
    let server = server();
    let response = Browser::new(&server).post("/login", form_body);
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
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in(&longest);
    assert_eq!(browser.logged_in_as(), Some(longest.clone()));
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
fn a_refused_login_keeps_the_session_it_came_with() {
    let server = server();
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    let response = browser.post("/login", "nm=");
    assert_eq!(response.status(), Status::UnprocessableEntity);
    // A permanent session is refreshed on every request, this one too: the same id, sent again
    // with a fresh expiry, and nothing else.
    assert_eq!(set_cookie_headers(&response).len(), 1);
    let refreshed = response.cookies().get_private("session").unwrap();
    assert_eq!(refreshed.value(), id);
    drop(response);
    assert_eq!(browser.logged_in_as(), tim());
}

#[test]
fn a_colour_not_on_offer_is_refused_and_stores_nothing() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in_with("Tim", "");
    let response = browser.post("/colour", "colour=%3Cscript%3E");
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(set_cookie_headers(&response).is_empty());
    let page = response.into_string().unwrap();
    assert!(
        page.contains("Please choose one of the colours on offer."),
        "{page}"
    );
    assert!(!browser.page("/user").contains("Your favourite colour"));
}

#[test]
fn html_in_the_name_is_escaped_on_the_page_and_in_the_panel() {
    let server = server();
    let browser = Browser::new(&server);
    browser.log_in("%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    let page = browser.page("/user");
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("Hello, &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    // Greeting, title, two sentences and the panel's meaning column (the stored session, as
    // JSON, escaped); the value column is ciphertext.
    assert_eq!(page.matches("&lt;script&gt;").count(), 5, "{page}");
}

// --- The panel -----------------------------------------------------------------------------------

#[test]
fn the_panel_shows_ciphertext_that_decrypts_to_an_id_only() {
    let server = server();
    let browser = Browser::new(&server);
    let id = browser.log_in("Timothy");
    let value = browser.session_cookie().unwrap();
    let page = browser.page("/");
    assert!(page.contains("<code>session</code>"), "{page}");
    let shown: String = value.chars().take(40).collect();
    let shown = shown.replace('/', "&#x2F;");
    assert!(page.contains(&format!("<code>{shown}…</code>")), "{page}");
    assert!(
        page.contains(&format!(
            "Decrypted with this server&#x27;s key to the session id {id}: that is all the \
             cookie holds. Under that id the store holds {{&quot;user&quot;:&quot;Timothy&quot;"
        )),
        "{page}"
    );
}

#[test]
fn the_panel_says_when_the_store_does_not_hold_the_id() {
    let server = server();
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    let copy = browser.session_cookie().unwrap();
    browser.get("/logout");
    let page = Browser::holding(&server, &copy).page("/");
    assert!(
        page.contains(&format!(
            "to the session id {id}, which the store does not hold"
        )),
        "{page}"
    );
}

#[test]
fn the_panel_says_when_a_cookie_could_not_be_read() {
    let server = server();
    let page = Browser::holding(&server, "admin").page("/");
    assert!(page.contains("<code>admin</code>"), "{page}");
    assert!(
        page.contains("Could not be read with this server"),
        "{page}"
    );
}
