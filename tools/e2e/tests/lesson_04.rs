//! Lesson 04 in a real browser: "Keep me signed in" decides whether the session outlives the
//! browser; the server ends it when its lifetime has passed, and keeps it across its own restart
//! only with the same secret key.

use e2e::{assert_shows, unix_now, Browser, Lesson, Profile, TEST_ONLY_SECRET_KEYS};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Opens the login form, types `name`, ticks or unticks "Keep me signed in" and presses the
/// button, as a user does.
fn log_in(browser: &Browser<'_>, lesson: &Lesson, name: &str, keep_me_signed_in: bool) {
    browser.goto(&lesson.url("/login"));
    browser.find("#nm").type_text(name);
    let remember = browser.find("#remember");
    if remember.is_selected() != keep_me_signed_in {
        remember.click();
    }
    browser.find(r#"form[action="/login"] button"#).click();
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn logging_in_and_out_through_the_form() {
    let lesson = Lesson::start("lesson-04", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    let home = browser.text();
    assert_shows(
        &home,
        "in one encrypted cookie that also holds its expiry time",
    );
    browser.find(r#"a[href="/login"]"#).click();
    browser.wait_for_path("/login");
    assert!(
        browser.find("#remember").is_selected(),
        "“Keep me signed in” is ticked by default"
    );
    browser.find("#nm").type_text("Tim");
    browser.find(r#"form[action="/login"] button"#).click();
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    let page = browser.text();
    assert_shows(
        &page,
        "You asked to be kept signed in. Your session expires at",
    );
    let panel = browser.find("#sent").text();
    assert!(
        panel.contains(
            r#"Decrypted with this server's key: {"user":"Tim","permanent":true,"expires":"#
        ),
        "{panel}"
    );
    assert_shows(&panel, "Accepted for");

    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("session"), None, "logout deletes the cookie");
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn bad_input_shows_the_message_and_keeps_the_choice() {
    let lesson = Lesson::start("lesson-04", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    log_in(&browser, &lesson, "   ", false);
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert!(
        !browser.find("#remember").is_selected(),
        "the box stays as the user left it"
    );
    assert_eq!(browser.cookie("session"), None);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_kept_session_survives_a_browser_restart() {
    let lesson = Lesson::start("lesson-04", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    log_in(&browser, &lesson, "Tim", true);
    browser.wait_for_path("/user");
    let cookie = browser.cookie("session").expect("logged in");
    let expiry = cookie.expiry.expect("a persistent cookie");
    // The default lifetime, five minutes, give or take the seconds this test has taken.
    assert!(
        (unix_now() + 290..=unix_now() + 301).contains(&expiry),
        "{cookie:?}"
    );
    assert!(cookie.http_only, "{cookie:?}");
    browser.quit();

    let browser = Browser::start(&profile);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn an_unkept_session_ends_with_the_browser() {
    let lesson = Lesson::start("lesson-04", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    log_in(&browser, &lesson, "Tim", false);
    browser.wait_for_path("/user");
    assert!(browser
        .text()
        .contains("You did not ask to be kept signed in."));
    let cookie = browser.cookie("session").expect("logged in");
    assert_eq!(cookie.expiry, None, "a browser-session cookie: {cookie:?}");
    browser.quit();

    let browser = Browser::start(&profile);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("session"), None);
}

/// The one test that must let time pass: the lifetime is the point.
#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn after_the_lifetime_the_page_asks_for_a_login_again() {
    const LIFETIME: Duration = Duration::from_secs(3);
    // Expiry times are whole seconds: a session can end up to one second before or after.
    const WHOLE_SECOND: Duration = Duration::from_secs(1);
    const PAST_IT: Duration = Duration::from_secs(5);
    let lesson = Lesson::start("lesson-04", &[("ROCKET_SESSION_LIFETIME", "3")]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    // Not kept: the browser keeps sending the cookie, and the server refuses it once its time is
    // up, not before (its expiry is in whole seconds, so up to one second early).
    let clicked = Instant::now();
    log_in(&browser, &lesson, "Tim", false);
    browser.wait_for_path("/user");
    let took = until(clicked, PAST_IT, "the server to refuse the session", || {
        browser.goto(&lesson.url("/user"));
        browser.path() == "/login"
    });
    assert!(took >= LIFETIME - WHOLE_SECOND, "refused after {took:?}");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "Its time is up (or it claims more than the lifetime of 3 seconds), so the server refuses it: you are not logged in.");

    // Kept: every page moves the expiry forward, so a visitor who keeps clicking stays in for
    // longer than the lifetime...
    log_in(&browser, &lesson, "Ann", true);
    browser.wait_for_path("/user");
    let mut refreshed = Instant::now();
    for _ in 0..3 {
        sleep(LIFETIME / 2);
        refreshed = Instant::now();
        browser.goto(&lesson.url("/user"));
        assert_eq!(browser.find("h1").text(), "Hello, Ann");
    }
    // ...and one who stops is out once it has passed: the browser drops the cookie by itself.
    let took = until(refreshed, PAST_IT, "the browser to drop the cookie", || {
        browser.cookie("session").is_none()
    });
    assert!(took >= LIFETIME - WHOLE_SECOND, "dropped after {took:?}");
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
}

/// Checks `done` every 200 ms until it holds, and returns the time since `since`: taken before the
/// request that started (or last refreshed) the session, so it is never less than the session's
/// age. Fails once `limit` has passed since `since`.
fn until(since: Instant, limit: Duration, what: &str, mut done: impl FnMut() -> bool) -> Duration {
    while !done() {
        assert!(since.elapsed() < limit, "waited {limit:?} for {what}");
        sleep(Duration::from_millis(200));
    }
    since.elapsed()
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_server_restart_keeps_you_logged_in_only_with_the_same_key() {
    let key = [("ROCKET_SECRET_KEY", TEST_ONLY_SECRET_KEYS[0])];
    let lesson = Lesson::start("lesson-04", &key);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    log_in(&browser, &lesson, "Tim", true);
    browser.wait_for_path("/user");

    let lesson = lesson.restart(&key);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // Another key: the cookie no longer opens. The visitor gets the login form, not an error,
    // and can log in again at once.
    let lesson = lesson.restart(&[("ROCKET_SECRET_KEY", TEST_ONLY_SECRET_KEYS[1])]);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "Could not be read with this server's key");
    log_in(&browser, &lesson, "Tim", true);
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
}
