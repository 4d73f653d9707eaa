//! Lesson 06 in a real browser: the cookie holds only an id and the session lives in the server's
//! memory, so logging out ends the session for every copy of the cookie, "Log out everywhere"
//! ends it in every browser, and a restart forgets every session.

use e2e::{assert_shows, log_in_by_the_link, Browser, Lesson, Profile, TEST_ONLY_SECRET_KEYS};

/// What the panel says of an id that has no record on the server.
const NOT_HELD: &str = "which the store does not hold";

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn logging_in_and_out_through_the_form() {
    let lesson = Lesson::start("lesson-06", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    let home = browser.text();
    assert_shows(
        &home,
        "under a random id that is all its encrypted cookie holds",
    );
    log_in_by_the_link(&browser, "Tim");
    let id = browser.find("main code").text();
    assert!(
        id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "the page shows a 128-bit id in hex: {id}"
    );
    let panel = browser.find("#sent").text();
    assert_shows(
        &panel,
        r#"that is all the cookie holds. Under that id the store holds {"user":"Tim","permanent":true"#,
    );
    let cookie = browser.cookie("session").expect("logged in");
    assert!(cookie.http_only, "{cookie:?}");
    assert!(
        !cookie.value.contains("Tim") && !cookie.value.contains(&id),
        "the cookie holds the id encrypted: {cookie:?}"
    );

    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("session"), None, "logout deletes the cookie");
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn bad_names_show_the_message_and_set_no_cookie() {
    let lesson = Lesson::start("lesson-06", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "   ");
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert_eq!(browser.cookie("session"), None);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_copy_of_the_cookie_taken_before_logout_is_refused_after_it() {
    let lesson = Lesson::start("lesson-06", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let copy = browser.cookie("session").expect("logged in").value;

    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    // Put the copy back, as someone who kept it would: it still decrypts, but the record it
    // names is gone from the server's memory.
    browser.add_cookie("session", &copy, None);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, NOT_HELD);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn log_out_everywhere_ends_the_session_in_the_other_browser() {
    let lesson = Lesson::start("lesson-06", &[]);
    let (home_profile, work_profile) = (Profile::new(), Profile::new());
    let at_home = Browser::start(&home_profile);
    let at_work = Browser::start(&work_profile);
    for browser in [&at_home, &at_work] {
        lesson.log_in(browser, "Tim");
        browser.wait_for_path("/user");
    }

    at_home
        .find(r#"form[action="/logout/everywhere"] button"#)
        .click();
    at_home.wait_for_path("/login");
    assert_eq!(at_home.cookie("session"), None);

    // The other browser still sends its cookie, and the server no longer holds its session.
    at_work.goto(&lesson.url("/user"));
    at_work.wait_for_path("/login");
    let panel = at_work.find("#sent").text();
    assert_shows(&panel, NOT_HELD);
}

/// The memory store lives and dies with the process: unlike lesson 04, the same key does not
/// keep anyone logged in across a restart.
#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_server_restart_forgets_every_session_even_with_the_same_key() {
    let key = [("ROCKET_SECRET_KEY", TEST_ONLY_SECRET_KEYS[0])];
    let lesson = Lesson::start("lesson-06", &key);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");

    let lesson = lesson.restart(&key);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, NOT_HELD);
}
