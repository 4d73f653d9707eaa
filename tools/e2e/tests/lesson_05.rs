//! Lesson 05 in a real browser: the templates decide from the session what every page shows.

use e2e::{assert_shows, log_in_by_the_link, Browser, Lesson, Profile};

/// Opens the login form, types the name and the optional first and last names, and presses the
/// button, as a user does.
fn log_in_with_names(browser: &Browser<'_>, lesson: &Lesson, name: &str, first: &str, last: &str) {
    browser.goto(&lesson.url("/login"));
    for (field, typed) in [("#nm", name), ("#firstName", first), ("#lastName", last)] {
        browser.find(field).type_text(typed);
    }
    browser.find(r#"form[action="/login"] button"#).click();
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn the_navigation_follows_the_session_on_every_page() {
    let lesson = Lesson::start("lesson-05", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    assert_eq!(browser.find("nav").text(), "Home · Log in");
    log_in_by_the_link(&browser, "Tim");
    assert_eq!(
        browser.find("nav").text(),
        "Home · Logged in as Tim · Log out"
    );

    browser.find(r#"nav a[href="/"]"#).click();
    browser.wait_for_path("/");
    assert_eq!(
        browser.find("nav").text(),
        "Home · Logged in as Tim · Log out"
    );

    browser.find(r#"nav a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    assert_eq!(browser.find("nav").text(), "Home · Log in");
    assert_eq!(browser.cookie("session"), None, "logout deletes the cookie");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn optional_names_show_only_when_they_are_set() {
    let lesson = Lesson::start("lesson-05", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let page = browser.text();
    assert!(
        !page.contains("First name:") && !page.contains("Last name:"),
        "{page}"
    );

    // Logging in again with a first name only: it shows, and the last name's label does not.
    browser.find(r#"nav a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    log_in_with_names(&browser, &lesson, "Tim", "Timothy", "");
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Timothy");
    let page = browser.text();
    assert_shows(&page, "First name: Timothy");
    assert!(!page.contains("Last name:"), "{page}");
    browser.goto(&lesson.url("/"));
    assert!(
        browser.text().contains("Welcome back, Timothy."),
        "{}",
        browser.text()
    );

    // Logging out forgets the names with the rest; the next login has only a last name.
    browser.find(r#"nav a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    log_in_with_names(&browser, &lesson, "Tim", "", "Smith");
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    let page = browser.text();
    assert_shows(&page, "Last name: Smith");
    assert!(!page.contains("First name:"), "{page}");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn markup_in_a_name_is_shown_as_text() {
    let lesson = Lesson::start("lesson-05", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "<b>Tim</b>");
    browser.wait_for_path("/user");
    // Tera escapes it: the browser shows the characters and makes no bold element of them.
    assert_eq!(browser.find("h1").text(), "Hello, <b>Tim</b>");
    assert!(browser.try_find("h1 b").is_none());
    assert!(browser.try_find("nav b").is_none());
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn bad_input_shows_the_message_and_keeps_what_was_typed() {
    let lesson = Lesson::start("lesson-05", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "   ");
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert_eq!(browser.find("nav").text(), "Home · Log in");
    assert_eq!(browser.cookie("session"), None);

    let long = "x".repeat(51);
    log_in_with_names(&browser, &lesson, "Tim", "Timothy", &long);
    assert_eq!(
        browser.find(".error").text(),
        "Last name: A name can have at most 50 characters."
    );
    // The form keeps what was typed, and nobody is logged in.
    assert_eq!(browser.find("#nm").value(), "Tim");
    assert_eq!(browser.find("#firstName").value(), "Timothy");
    assert_eq!(browser.find("#lastName").value(), long);
    assert_eq!(browser.find("nav").text(), "Home · Log in");
    assert_eq!(browser.cookie("session"), None);
}
