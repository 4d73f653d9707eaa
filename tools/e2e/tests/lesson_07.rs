//! Lesson 07 in a real browser, with two servers sharing one Redis (Debian packages `chromium`,
//! `chromium-driver` and `redis-server`): what a user sees of a shared store and of a key rotation.

use e2e::{assert_shows, Browser, Lesson, Profile, TEST_ONLY_SECRET_KEYS};
use test_support::redis::RedisServer;

const README: &str = "lesson-07-production/README.md";

#[test]
#[ignore = "needs Chromium, chromedriver and redis-server: see README"]
fn log_out_everywhere_on_one_server_ends_the_session_on_the_other() {
    let redis = RedisServer::start(README);
    let url = redis.url();
    let env = [
        ("ROCKET_SECRET_KEY", TEST_ONLY_SECRET_KEYS[0]),
        ("ROCKET_SESSION_STORE", &url),
    ];
    let (one, two) = (
        Lesson::start("lesson-07", &env),
        Lesson::start("lesson-07", &env),
    );
    let (home_profile, work_profile) = (Profile::new(), Profile::new());
    let (at_home, at_work) = (Browser::start(&home_profile), Browser::start(&work_profile));
    one.log_in(&at_home, "Tim");
    at_home.wait_for_path("/user");
    two.log_in(&at_work, "Tim");
    at_work.wait_for_path("/user");

    at_work
        .find(r#"form[action="/logout/everywhere"] button"#)
        .click();
    at_work.wait_for_path("/login");
    at_home.goto(&one.url("/user"));
    at_home.wait_for_path("/login");
    let panel = at_home.find("#sent").text();
    assert_shows(&panel, "which the store does not hold");
}

#[test]
#[ignore = "needs Chromium, chromedriver and redis-server: see README"]
fn a_key_rotation_the_user_does_not_notice() {
    let redis = RedisServer::start(README);
    let url = redis.url();
    let [old_key, new_key] = TEST_ONLY_SECRET_KEYS;
    let old = [
        ("ROCKET_SECRET_KEY", old_key),
        ("ROCKET_SESSION_STORE", &url),
    ];
    let (one, two) = (
        Lesson::start("lesson-07", &old),
        Lesson::start("lesson-07", &old),
    );
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    one.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let before = browser.cookie("session").expect("logged in").value;

    // Both servers restarted on the new key, the old one as a fallback.
    let fallbacks = format!("[\"{old_key}\"]");
    let new = [
        ("ROCKET_SECRET_KEY", new_key),
        ("ROCKET_SECRET_KEY_FALLBACKS", fallbacks.as_str()),
        ("ROCKET_SESSION_STORE", &url),
    ];
    let (one, two) = (one.restart(&new), two.restart(&new));
    browser.goto(&two.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    let after = browser.cookie("session").expect("still logged in").value;
    assert_ne!(after, before, "the cookie was re-issued under the new key");
    browser.goto(&one.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "Decrypted with this server's key");
}
