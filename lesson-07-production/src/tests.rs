//! In-process tests, on the default memory store. The tests against a real Redis are in
//! `tests/with_redis.rs` (next to this file), marked `#[ignore]`.

use super::{rocket, Store};
use rocket::error::ErrorKind;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalRequest, LocalResponse};
use rocket::{Build, Rocket};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

mod with_redis;

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";
const OLD_TEST_KEY: &str = "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=";
const OTHER_TEST_KEY: &str = "8H7Dq1p5c8lQm7tS5v0bq3Wn2m4xJk9yR6aZs1dCf0E=";

/// `app` with the setting `name` set to `value`, as `ROCKET_<NAME>` or Rocket.toml would set it.
fn with_setting<T: serde::Serialize>(app: Rocket<Build>, name: &str, value: T) -> Rocket<Build> {
    let figment = app.figment().clone().merge((name, value));
    app.configure(figment)
}

fn app_with_key(key: &str) -> Rocket<Build> {
    with_setting(rocket(), "secret_key", key)
}

fn server() -> Client {
    Client::untracked(app_with_key(TEST_KEY)).expect("a valid Rocket instance")
}

fn server_with(name: &str, value: impl serde::Serialize) -> Client {
    Client::untracked(with_setting(app_with_key(TEST_KEY), name, value)).expect("the app launches")
}

/// One browser: the cookies it keeps, sent with each request and updated from each response.
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

    /// A browser that holds only the cookie `session=value`.
    fn holding(server: &'c Client, value: &str) -> Browser<'c> {
        let browser = Browser::new(server);
        browser
            .cookies
            .borrow_mut()
            .insert("session".to_owned(), value.to_owned());
        browser
    }

    fn session_cookie(&self) -> Option<String> {
        self.cookies.borrow().get("session").cloned()
    }

    fn get(&self, path: &str) -> LocalResponse<'c> {
        self.send(self.server.get(path.to_owned()))
    }

    fn post(&self, path: &str, form_body: &str) -> LocalResponse<'c> {
        let request = self.server.post(path.to_owned()).header(ContentType::Form);
        self.send(request.body(form_body))
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
            if cookie.value().is_empty() {
                kept.remove(cookie.name());
            } else {
                kept.insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
        response
    }

    /// Logs in as `name`, kept signed in; returns the session id the new cookie holds.
    fn log_in(&self, name: &str) -> String {
        let response = self.post("/login", &format!("nm={name}&remember=on"));
        assert_eq!(response.status(), Status::SeeOther);
        assert_eq!(response.headers().get_one("Location"), Some("/user"));
        let id = response.cookies().get_private("session").expect("a cookie");
        id.value().to_owned()
    }

    /// `Some(name)` if `/user` greets this browser by name, `None` if it is sent to log in.
    fn logged_in_as(&self) -> Option<String> {
        let response = self.get("/user");
        match response.status() {
            Status::SeeOther => None,
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
    let headers = response.headers().get("Set-Cookie");
    headers.map(str::to_owned).collect()
}

/// Whether the launch of `app` is refused by the session store fairing (its settings).
fn refused(app: Rocket<Build>) -> bool {
    // Reading the error's kind marks it as handled, so that dropping it does not panic.
    Client::untracked(app).is_err_and(|error| matches!(error.kind(), ErrorKind::FailedFairings(_)))
}

fn tim() -> Option<String> {
    Some("Tim".to_owned())
}

/// The app's store: what a second request of the same session would read and write.
fn store(server: &Client) -> &Store {
    server
        .rocket()
        .state::<Store>()
        .expect("the store is managed")
}

/// `id` encrypted into a cookie value under `key`, as Rocket's `add_private` does it.
fn cookie_under(key: &str, id: &str) -> String {
    let key = super::keys::key_from(key).expect("a valid key");
    let mut jar = cookie::CookieJar::new();
    jar.private_mut(&key)
        .add(Cookie::new("session", id.to_owned()));
    jar.get("session").unwrap().value().to_owned()
}

// --- As in lesson 06 ----------------------------------------------------------------------------

#[test]
fn the_cookie_holds_only_a_random_id_with_the_lesson_06_attributes() {
    let server = server();
    let response = Browser::new(&server).post("/login", "nm=Tim&remember=on");
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    assert!(pair.starts_with("session="), "{pair}");
    assert!(
        attributes.starts_with("HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires="),
        "{attributes}"
    );
    let id = response.cookies().get_private("session").unwrap();
    assert_eq!(id.value().len(), 32, "{id}");
    assert!(id.value().chars().all(|c| c.is_ascii_hexdigit()), "{id}");
}

#[test]
fn logging_out_refuses_a_copy_and_everywhere_ends_every_session_of_the_user() {
    let server = server();
    let (laptop, phone, anns) = (
        Browser::new(&server),
        Browser::new(&server),
        Browser::new(&server),
    );
    laptop.log_in("Tim");
    let copy = laptop.session_cookie().unwrap();
    laptop.get("/logout");
    assert_eq!(Browser::holding(&server, &copy).logged_in_as(), None);
    laptop.log_in("Tim");
    phone.log_in("Tim");
    anns.log_in("Ann");
    let response = phone.post("/logout/everywhere", "");
    assert_eq!(response.status(), Status::SeeOther);
    drop(response);
    assert_eq!(laptop.logged_in_as(), None);
    assert_eq!(phone.logged_in_as(), None);
    assert_eq!(anns.logged_in_as().as_deref(), Some("Ann"));
}

#[test]
fn logging_out_deletes_the_cookie_and_the_session() {
    let server = server();
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    let response = browser.get("/logout");
    assert_eq!(response.headers().get_one("Location"), Some("/login"));
    let removal = set_cookie_headers(&response);
    assert_eq!(removal.len(), 1, "{removal:?}");
    assert!(
        removal[0].starts_with("session=; ") && removal[0].contains("Max-Age=0"),
        "{removal:?}"
    );
    assert!(rocket::execute(store(&server).get(&id)).unwrap().is_none());
}

#[test]
fn the_user_page_says_when_the_session_ends() {
    let server = server_with("session_absolute_lifetime", 60);
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let page = browser.page("/user");
    // Whole seconds: one may tick between the login and the page.
    assert!(
        page.contains("in 60 seconds") || page.contains("in 59 seconds"),
        "{page}"
    );
    // The absolute end, once more: the time the sliding one can never pass.
    assert!(page.contains("but never past <strong>20"), "{page}");
    let without = super::tests::server();
    let browser = Browser::new(&without);
    browser.log_in("Tim");
    assert!(!browser.page("/user").contains("never past"));
}

#[test]
fn bad_input_gets_the_form_again_with_422() {
    let server = server();
    let browser = Browser::new(&server);
    let response = browser.post("/login", "nm=%20");
    assert_eq!(response.status(), Status::UnprocessableEntity);
    assert!(response
        .into_string()
        .unwrap()
        .contains("Please type a name."));
}

// --- 3. Rotating the secret key -----------------------------------------------------------------

// ANCHOR: test_fallback
#[test]
fn a_cookie_under_a_fallback_key_is_accepted_and_reissued_under_the_current_key() {
    let server = server_with("secret_key_fallbacks", [OLD_TEST_KEY]);
    let id = Browser::new(&server).log_in("Tim");
    // The same id, as a server still on the old key would have encrypted it.
    let browser = Browser::holding(&server, &cookie_under(OLD_TEST_KEY, &id));
    let response = browser.get("/user");
    assert_eq!(response.status(), Status::Ok);
    let reissued = response
        .cookies()
        .get_private("session")
        .expect("re-issued");
    assert_eq!(
        reissued.value(),
        id,
        "the same session, under the current key"
    );
    assert!(response
        .into_string()
        .unwrap()
        .contains("an OLD key (secret_key_fallbacks)"));
    // Under a key that is neither current nor a fallback: not logged in, and nothing re-issued.
    let stranger = Browser::holding(&server, &cookie_under(OTHER_TEST_KEY, &id));
    let response = stranger.get("/user");
    assert_eq!(response.status(), Status::SeeOther);
    assert!(set_cookie_headers(&response).is_empty());
}
// ANCHOR_END: test_fallback

#[test]
fn a_browser_session_cookie_under_a_fallback_is_reissued_as_a_browser_session_cookie() {
    let server = server_with("secret_key_fallbacks", OLD_TEST_KEY);
    let response = Browser::new(&server).post("/login", "nm=Tim");
    let id = response
        .cookies()
        .get_private("session")
        .unwrap()
        .value()
        .to_owned();
    drop(response);
    let response = Browser::holding(&server, &cookie_under(OLD_TEST_KEY, &id)).get("/user");
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    assert!(
        headers[0].ends_with("; HttpOnly; SameSite=Strict; Path=/"),
        "{headers:?}"
    );
}

#[test]
fn a_malformed_fallback_refuses_the_launch() {
    for bad in [
        serde_json::json!(["too short"]),
        serde_json::json!([TEST_KEY, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]),
        serde_json::json!([42]),
    ] {
        let app = with_setting(app_with_key(TEST_KEY), "secret_key_fallbacks", bad.clone());
        assert!(refused(app), "{bad} was accepted");
    }
}

// --- 4. Two requests at once --------------------------------------------------------------------

// ANCHOR: test_two_at_once
/// Two requests of one session: B reads it, A refreshes it, B writes back what it read.
#[test]
fn two_requests_at_once_the_last_write_wins_the_whole_session() {
    let server = server();
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    let store = store(&server);
    let mut read_by_b = rocket::execute(store.get(&id))
        .unwrap()
        .expect("the session");
    // As if B had read it 100 seconds ago, so that its copy differs from A's.
    read_by_b.expires -= chrono::TimeDelta::seconds(100);
    browser.page("/user"); // A: a page load, which refreshes the session.
    rocket::execute(store.refresh(&id, &read_by_b)).unwrap();
    let held = rocket::execute(store.get(&id)).unwrap().unwrap();
    assert_eq!(held.expires, read_by_b.expires, "B's write replaced A's");
    // A logs out; a late write of B cannot bring the session back (`refresh`, not `insert`).
    drop(browser.get("/logout"));
    rocket::execute(store.refresh(&id, &read_by_b)).unwrap();
    assert!(rocket::execute(store.get(&id)).unwrap().is_none());
}
// ANCHOR_END: test_two_at_once

// --- 5. Behind a TLS proxy ----------------------------------------------------------------------

#[test]
fn cookie_secure_adds_secure_to_the_session_cookie() {
    let server = server_with("cookie_secure", true);
    let response = Browser::new(&server).post("/login", "nm=Tim&remember=on");
    let headers = set_cookie_headers(&response);
    assert!(headers[0].contains("; Secure;"), "{headers:?}");
    let plain = server_with("cookie_secure", false);
    let response = Browser::new(&plain).post("/login", "nm=Tim&remember=on");
    assert!(!set_cookie_headers(&response)[0].contains("Secure"));
}

// --- 6. An absolute lifetime --------------------------------------------------------------------

#[test]
fn the_absolute_lifetime_caps_the_cookie_and_the_store() {
    let server = server_with("session_absolute_lifetime", 60);
    let response = Browser::new(&server).post("/login", "nm=Tim&remember=on");
    let headers = set_cookie_headers(&response);
    assert!(headers[0].contains("; Max-Age=60; "), "{headers:?}");
}

// ANCHOR: test_absolute
#[test]
fn an_active_session_ends_at_the_absolute_lifetime() {
    let app = with_setting(app_with_key(TEST_KEY), "session_absolute_lifetime", 2);
    let server = Client::untracked(app).unwrap();
    let browser = Browser::new(&server);
    let logged_in = Instant::now();
    browser.log_in("Tim");
    // Busy every 100 ms: the sliding lifetime (300 s) never runs out, the absolute one does.
    while browser.logged_in_as().is_some() {
        assert!(
            logged_in.elapsed() < Duration::from_secs(10),
            "still logged in"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        logged_in.elapsed() >= Duration::from_secs(1),
        "{:?}",
        logged_in.elapsed()
    );
}
// ANCHOR_END: test_absolute

#[test]
fn lifetimes_out_of_range_refuse_the_launch() {
    for (name, value) in [
        ("session_lifetime", 0),
        ("session_absolute_lifetime", -5),
        ("session_store_capacity", 0),
    ] {
        let app = with_setting(app_with_key(TEST_KEY), name, value);
        assert!(refused(app), "{name} = {value}");
    }
}

// --- 7. A flood of logins -----------------------------------------------------------------------

/// A session of `user` that ends `seconds` from now (before now, when negative).
fn ending_in(user: &str, seconds: i64) -> super::SessionData {
    let now = chrono::Utc::now();
    super::SessionData {
        user: user.to_owned(),
        permanent: true,
        started: now,
        expires: now + chrono::TimeDelta::seconds(seconds),
    }
}

#[test]
fn a_login_drops_the_ended_sessions_and_when_full_the_one_nearest_its_end() {
    let store = Store::memory(std::num::NonZeroUsize::new(3).unwrap());
    let held = |id: &str| rocket::execute(store.get(id)).unwrap().is_some();
    for (id, seconds) in [("soon", 10), ("late", 100), ("ended", -1)] {
        rocket::execute(store.insert(id, &ending_in("Tim", seconds))).unwrap();
    }
    assert!(held("ended"), "kept until a login");
    // Not full (3 held, one of them ended): the login drops only the ended one.
    rocket::execute(store.insert("new", &ending_in("Ann", 300))).unwrap();
    assert!(!held("ended") && held("soon") && held("late") && held("new"));
    // Full: the login drops the session nearest its end, as cachelib's SimpleCache does.
    rocket::execute(store.insert("newer", &ending_in("Ann", 300))).unwrap();
    assert!(!held("soon") && held("late") && held("new") && held("newer"));
    // A refresh moves a session's end, and the order follows it.
    rocket::execute(store.refresh("late", &ending_in("Tim", 500))).unwrap();
    rocket::execute(store.insert("newest", &ending_in("Ann", 300))).unwrap();
    assert!(held("late") && held("newest"));
    assert!(
        held("new") != held("newer"),
        "one of the two ending at 300 s went"
    );
}

#[test]
fn session_store_capacity_bounds_the_memory_store() {
    let server = server_with("session_store_capacity", 2);
    let browsers = [
        Browser::new(&server),
        Browser::new(&server),
        Browser::new(&server),
    ];
    for (browser, name) in browsers.iter().zip(["Ann", "Bob", "Cid"]) {
        browser.log_in(name);
    }
    assert_eq!(browsers[2].logged_in_as().as_deref(), Some("Cid"));
    let held = browsers
        .iter()
        .filter(|b| b.logged_in_as().is_some())
        .count();
    assert_eq!(held, 2);
}
