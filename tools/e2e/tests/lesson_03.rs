//! Lesson 03 in a real browser: "Log out" removes the name and keeps the colour, "Forget me"
//! removes both, and the goodbye shows once.

use e2e::{assert_shows, log_in_by_the_link, Browser, Lesson, Profile};

/// On the user page: picks `colour` in the list (or the "(choose one)" line for `""`) and saves.
fn choose_colour(browser: &Browser<'_>, colour: &str) {
    browser
        .find(&format!(r#"#colour option[value="{colour}"]"#))
        .click();
    browser.find(r#"form[action="/colour"] button"#).click();
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn logging_out_forgets_the_name_keeps_the_colour_and_says_goodbye_once() {
    let lesson = Lesson::start("lesson-03", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/"));
    let home = browser.text();
    assert_shows(
        &home,
        "Logging out removes the name; “Forget me” removes both.",
    );
    log_in_by_the_link(&browser, "Tim");

    choose_colour(&browser, "blue");
    browser.wait_for_text("Your favourite colour: blue.");
    let panel = browser.find("#sent").text();
    assert_shows(&panel, "your favourite colour is blue.");
    assert_shows(&panel, "you are logged in as “Tim”.");

    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    assert_eq!(
        browser.find(".message").text(),
        "You have been logged out, Tim."
    );
    let page = browser.text();
    assert_shows(
        &page,
        "This site still remembers your favourite colour: blue.",
    );
    // The goodbye came in Rocket's plain-text flash cookie, which this page's response deleted.
    let panel = browser.find("#sent").text();
    assert_shows(
        &panel,
        "_flash 7:successYou have been logged out, Tim. Rocket's one-time message",
    );
    assert_eq!(browser.cookie("_flash"), None);
    assert_eq!(browser.cookie("user"), None);
    assert!(browser.cookie("colour").is_some());

    // Once: a reload shows the colour but no goodbye.
    browser.goto(&lesson.url("/login"));
    browser.wait_for_text("This site still remembers your favourite colour: blue.");
    assert!(browser.try_find(".message").is_none(), "{}", browser.text());
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn forget_me_removes_the_name_and_the_colour() {
    let lesson = Lesson::start("lesson-03", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    choose_colour(&browser, "green");
    browser.wait_for_text("Your favourite colour: green.");

    browser.find(r#"form[action="/forget"] button"#).click();
    browser.wait_for_path("/login");
    assert_eq!(
        browser.find(".message").text(),
        "Your name and colour are forgotten."
    );
    let page = browser.text();
    assert!(!page.contains("green"), "{page}");
    assert_eq!(browser.cookie("user"), None);
    assert_eq!(browser.cookie("colour"), None);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn bad_input_shows_the_message_and_changes_nothing() {
    let lesson = Lesson::start("lesson-03", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    lesson.log_in(&browser, "   ");
    assert_eq!(browser.find(".error").text(), "Please type a name.");
    assert_eq!(browser.cookie("user"), None);

    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    choose_colour(&browser, "red");
    browser.wait_for_text("Your favourite colour: red.");
    let red = browser.cookie("colour").expect("the colour is kept");

    choose_colour(&browser, "");
    assert_eq!(browser.find(".error").text(), "Please choose a colour.");
    assert!(browser.text().contains("Your favourite colour: red."));
    assert_eq!(browser.cookie("colour"), Some(red));
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn logging_out_while_logged_out_is_just_the_login_page() {
    let lesson = Lesson::start("lesson-03", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);

    browser.goto(&lesson.url("/logout"));
    browser.wait_for_path("/login");
    assert!(browser.try_find(".message").is_none(), "{}", browser.text());
    assert!(browser
        .text()
        .contains("No cookies came with this request."));
    assert!(browser.cookies().is_empty(), "{:?}", browser.cookies());
}

/// What logging out cannot do while the whole session lives in the cookie: the server keeps
/// nothing it could delete, so a copy taken before still logs in afterwards.
#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn a_copy_of_the_cookie_taken_before_logout_still_logs_in_after_it() {
    let lesson = Lesson::start("lesson-03", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    lesson.log_in(&browser, "Tim");
    browser.wait_for_path("/user");
    let copy = browser.cookie("user").expect("logged in").value;

    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("user"), None);
    browser.add_cookie("user", &copy, None);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
}
