//! Lesson 01 in a real browser: the name sits in a plain cookie, which the browser keeps, shows
//! and lets its user change.

use e2e::{assert_shows, log_in_by_the_link, Browser, Lesson, Profile};

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn logging_in_and_out_through_the_form() {
    let lesson = Lesson::start("lesson-01", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    let home = browser.text();
    assert_shows(&home, "This lesson remembers your name in a plain cookie.");
    assert_shows(&home, "No cookies came with this request.");

    log_in_by_the_link(&browser, "Tim");
    let panel = browser.find("#sent").text();
    assert_shows(
        &panel,
        "user Tim Read as plain text: you are logged in as “Tim”.",
    );

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
    let lesson = Lesson::start("lesson-01", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "   ");
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert_eq!(browser.path(), "/login");
    assert_eq!(browser.cookie("user"), None);

    let long = "x".repeat(51);
    browser.goto(&lesson.url("/login"));
    browser.find("#nm").type_text(&long);
    browser.find(r#"button[type="submit"]"#).click();
    assert_eq!(
        browser.find(".error").text(),
        "A name can have at most 50 characters."
    );
    // The form comes back with what was typed, ready to be corrected.
    assert_eq!(browser.find("#nm").value(), long);
    assert_eq!(browser.cookie("user"), None);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn the_cookie_holds_the_name_in_plain_text_out_of_page_scripts_reach() {
    let lesson = Lesson::start("lesson-01", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let cookie = browser
        .cookie("user")
        .expect("the browser keeps the cookie `user`");
    assert_eq!(cookie.value, "Tim", "anyone with the browser can read it");
    assert!(cookie.http_only, "{cookie:?}");
    assert_eq!(cookie.same_site, "Strict");
    assert_eq!(cookie.expiry, None, "a browser-session cookie: {cookie:?}");
    // HttpOnly: the page's own scripts (and any injected one) do not see it.
    assert_eq!(browser.run_script("return document.cookie"), "");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn changing_the_cookie_in_the_browser_changes_who_you_are() {
    let lesson = Lesson::start("lesson-01", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // What a user can do in devtools: edit the cookie's value.
    browser.delete_cookie("user");
    browser.add_cookie("user", "admin", None);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, admin");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "you are logged in as “admin”.");
}
