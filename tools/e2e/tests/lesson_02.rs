//! Lesson 02 in a real browser: the name sits in an encrypted, HttpOnly browser-session cookie.

use e2e::{
    assert_shows, log_in_by_the_link, unix_now, Browser, Lesson, OnStartup, OtherSite, Profile,
    TEST_ONLY_SECRET_KEYS,
};

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn logging_in_and_out_through_the_form() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    let home = browser.text();
    assert_shows(
        &home,
        "This lesson remembers your name in an encrypted cookie",
    );
    assert_shows(&home, "No cookies came with this request.");

    log_in_by_the_link(&browser, "Tim");
    let panel = browser.find("#sent").text();
    assert_shows(
        &panel,
        "Decrypted with this server's key: you are logged in as “Tim”.",
    );

    // Logged in, the login form sends you on to your page.
    browser.goto(&lesson.url("/login"));
    browser.wait_for_path("/user");

    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "No cookies came with this request.");
    assert_eq!(browser.cookie("user"), None);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn bad_names_show_the_message_and_set_no_cookie() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "   ");
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert_eq!(browser.path(), "/login");
    assert_eq!(browser.cookie("user"), None);

    let long = "x".repeat(51);
    lesson.log_in(&browser, &long);
    assert_eq!(
        browser.find(".error").text(),
        "A name can have at most 50 characters."
    );
    assert_eq!(browser.find("#nm").value(), long);
    assert_eq!(browser.cookie("user"), None);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn the_cookie_is_ciphertext_out_of_page_scripts_reach_for_this_browser_session() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let cookie = browser
        .cookie("user")
        .expect("the browser keeps the cookie `user`");
    assert!(
        !cookie.value.contains("Tim"),
        "the name is encrypted: {cookie:?}"
    );
    assert!(cookie.http_only, "{cookie:?}");
    assert_eq!(cookie.same_site, "Strict");
    assert_eq!(cookie.expiry, None, "a browser-session cookie: {cookie:?}");
    assert_eq!(browser.run_script("return document.cookie"), "");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn changing_the_cookie_in_the_browser_logs_you_out() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let ciphertext = browser.cookie("user").expect("logged in").value;

    // Lesson 01's trick, a readable name, and one changed character of the real ciphertext.
    let mut tampered = ciphertext.into_bytes();
    tampered[20] = if tampered[20] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("base64 is ASCII");
    for forged in ["admin", tampered.as_str()] {
        browser.delete_cookie("user");
        browser.add_cookie("user", forged, None);
        browser.goto(&lesson.url("/user"));
        browser.wait_for_path("/login");
        let panel = browser.find("#sent").text();
        assert!(
            panel.contains("Could not be decrypted with this server's key"),
            "{forged}: {panel}"
        );
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn closing_the_browser_ends_the_session() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    // A persistent cookie next to the session, to show the restarted browser has the same
    // profile and kept what it was asked to keep.
    browser.add_cookie("kept", "yes", Some(unix_now() + 3600));
    browser.quit();

    let browser = Browser::start(&profile);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("user"), None);
    assert_eq!(
        browser.cookie("kept").map(|c| c.value).as_deref(),
        Some("yes")
    );
}

/// The other half of the truth: "the browser drops it when it closes" holds for Chromium's default
/// startup setting. Set to "Continue where you left off", Chromium keeps browser-session cookies
/// across a restart, and the session with them.
#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_browser_that_continues_where_you_left_off_keeps_the_session() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start_with(&profile, OnStartup::ContinueWhereYouLeftOff);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    browser.quit();

    let browser = Browser::start_with(&profile, OnStartup::ContinueWhereYouLeftOff);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_server_restart_keeps_you_logged_in_only_with_a_configured_key() {
    let key = [("ROCKET_SECRET_KEY", TEST_ONLY_SECRET_KEYS[0])];
    let lesson = Lesson::start("lesson-02", &key);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");

    let lesson = lesson.restart(&key);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // No key: the debug build makes up a new one, and the cookie no longer opens.
    let lesson = lesson.restart(&[]);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "Could not be decrypted with this server's key");
}

/// `SameSite=Strict`: the browser keeps the cookie from requests that another site starts. A
/// visitor who follows a link to the lesson from another site arrives logged out; typing the
/// address (or any link within the lesson) sends the cookie again.
#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_link_from_another_site_arrives_without_the_session() {
    let lesson = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");

    let other_site = OtherSite::serve(&format!(
        r#"<!doctype html><title>Another site</title><a id="to-lesson" href="{}">the lesson</a>"#,
        lesson.url("/user")
    ));
    browser.goto(&other_site.url());
    browser.find("#to-lesson").click();
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "No cookies came with this request.");
    assert!(browser.cookie("user").is_some(), "the browser still has it");

    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
}

/// Cookies belong to a host, not to a port: lesson 01's plain cookie `user` reaches lesson 02 on
/// another port, which cannot decrypt it and so ignores it.
#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_01s_cookie_reaches_lesson_02_and_is_refused() {
    let lesson_01 = Lesson::start("lesson-01", &[]);
    let lesson_02 = Lesson::start("lesson-02", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson_01.log_in(&browser, "admin");
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, admin");

    browser.goto(&lesson_02.url("/user"));
    browser.wait_for_path("/login");
    let panel = browser.find("#sent").text();
    assert_shows(
        &panel,
        "user admin Could not be decrypted with this server's key",
    );
}
