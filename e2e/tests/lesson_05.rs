//! Lesson 05 in a real browser: the templates decide from the session what every page shows.

use e2e::{Browser, Lesson, Profile};

/// On the user page: replaces what the names form holds with `first` and `last`, and saves.
fn save_names(browser: &Browser<'_>, first: &str, last: &str) {
    for (field, typed) in [("#firstName", first), ("#lastName", last)] {
        let field = browser.find(field);
        field.clear();
        field.type_text(typed);
    }
    browser.find(r#"form[action="/names"] button"#).click();
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn the_navigation_follows_the_session_on_every_page() {
    let lesson = Lesson::start("lesson-05", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    assert_eq!(browser.find("nav").text(), "Home · Log in");
    browser.find(r#"nav a[href="/login"]"#).click();
    browser.wait_for_path("/login");
    browser.find("#nm").type_text("Tim");
    browser.find(r#"form[action="/login"] button"#).click();
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
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
    assert_eq!(
        browser.find(".message").text(),
        "You have been logged out, Tim."
    );
    assert_eq!(browser.find("nav").text(), "Home · Log in");
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

    save_names(&browser, "Timothy", "");
    browser.wait_for_text("First name: Timothy");
    assert_eq!(browser.find("h1").text(), "Hello, Timothy");
    assert!(!browser.text().contains("Last name:"), "{}", browser.text());
    browser.goto(&lesson.url("/"));
    assert!(
        browser.text().contains("Welcome back, Timothy."),
        "{}",
        browser.text()
    );

    // Emptied, the first name leaves the session, and the pages stop showing it.
    browser.goto(&lesson.url("/user"));
    save_names(&browser, "", "Smith");
    browser.wait_for_text("Last name: Smith");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    assert!(
        !browser.text().contains("First name:"),
        "{}",
        browser.text()
    );
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
fn bad_input_shows_the_message_and_changes_nothing() {
    let lesson = Lesson::start("lesson-05", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "   ");
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert_eq!(browser.find("nav").text(), "Home · Log in");
    assert_eq!(browser.cookie("session"), None);

    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let long = "x".repeat(51);
    save_names(&browser, "Timothy", &long);
    assert_eq!(
        browser.find(".error").text(),
        "A last name can have at most 50 characters."
    );
    // The form keeps what was typed; the session keeps what it had.
    assert_eq!(browser.find("#lastName").value(), long);
    assert_eq!(browser.find("#firstName").value(), "Timothy");
    let page = browser.text();
    assert!(!page.contains("First name:"), "{page}");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
}
