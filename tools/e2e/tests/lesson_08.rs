//! Lesson 08 in a real browser: the forged cross-site login that swaps in the attacker's session
//! on lesson 06 (`csrf.rs`) does nothing here, because the form cannot carry the token of the
//! victim's session; the same form sent from the lesson's own page, with that page's token, logs
//! in. And after logging out, the back button does not show the user's page again.

use std::time::{Duration, Instant};

use e2e::{Browser, Lesson, OtherSite, Profile};
use test_support::get;

const DEMO_PASSWORD: &str = "correct horse battery staple";
const TIMS_PASSWORD: &str = "tims first password";

/// Signs Tim up through the form, as a user does, and returns the session cookie's value.
fn signed_up_as_tim(lesson: &Lesson, browser: &Browser<'_>) -> String {
    browser.goto(&lesson.url("/signup"));
    browser.find("#username").type_text("Tim");
    browser.find("#password").type_text(TIMS_PASSWORD);
    browser.find(r#"form[action="/signup"] button"#).click();
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    browser.cookie("session").expect("logged in").value
}

/// A token the attacker can get: the login form's, as the attacker's own client receives it.
fn attackers_own_token(lesson: &Lesson) -> String {
    let url = lesson.url("/login");
    let address = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .and_then(|host| host.parse().ok())
        .expect("an address");
    let page = get(address, "/login", &[]).body;
    let field = "name=\"csrf_token\" value=\"";
    let token = page
        .split(field)
        .nth(1)
        .and_then(|rest| rest.split('"').next());
    token.expect("the login form has a token").to_owned()
}

/// The attack page of `csrf.rs`: a form that logs in as the attacker and submits itself.
fn forged_login(action: &str, token: &str) -> String {
    format!(
        r#"<!doctype html><title>Win a prize</title>
<form id="attack" method="post" action="{action}">
<input type="hidden" name="csrf_token" value="{token}">
<input type="hidden" name="username" value="demo">
<input type="hidden" name="password" value="{DEMO_PASSWORD}">
<input type="hidden" name="remember" value="on">
</form>
<script>document.getElementById("attack").submit()</script>"#
    )
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_08_a_login_from_another_site_does_nothing() {
    let lesson = Lesson::start("lesson-08", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    let before = signed_up_as_tim(&lesson, &browser);

    let attack = forged_login(&lesson.url("/login"), &attackers_own_token(&lesson));
    let other_site = OtherSite::serve(&attack);
    browser.goto(&other_site.url());
    browser.wait_for_path("/login");
    browser.wait_for_text("Refused: this form was not sent from this site's page in your browser");
    let after = browser
        .cookie("session")
        .expect("Tim's cookie is still there");
    assert_eq!(
        after.value, before,
        "the forged login changed the session cookie"
    );
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // The attacker's token on the lesson's own page, with Tim's cookie: still refused.
    submit_on_the_lessons_own_page(&lesson, &browser, &attack);
    browser.wait_for_text("Refused: this form was not sent from this site's page in your browser");
    assert_eq!(browser.cookie("session").expect("a cookie").value, before);

    // Positive control: the same form with the token of Tim's own page logs in as demo.
    browser.goto(&lesson.url("/user"));
    let own_token = browser.find(r#"input[name="csrf_token"]"#).value();
    submit_on_the_lessons_own_page(&lesson, &browser, &forged_login("/login", &own_token));
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, demo");
}

/// Puts `form_html` into a page of the lesson itself and submits its form `#attack`.
fn submit_on_the_lessons_own_page(lesson: &Lesson, browser: &Browser<'_>, form_html: &str) {
    browser.goto(&lesson.url("/user"));
    let script = format!(
        "document.body.innerHTML = {form_html:?}; document.getElementById('attack').submit();"
    );
    browser.run_script(&script);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_08_after_logging_out_the_back_button_does_not_show_the_users_page() {
    let lesson = Lesson::start("lesson-08", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    signed_up_as_tim(&lesson, &browser);

    browser.find(r#"form[action="/logout"] button"#).click();
    browser.wait_for_path("/login");
    // A mark on the login page's document: gone once the browser shows another document.
    browser.run_script("window.marked = true;");
    browser.run_script("history.back();");
    let deadline = Instant::now() + Duration::from_secs(10);
    while browser.run_script("return window.marked === true;") == true {
        assert!(
            Instant::now() < deadline,
            "the back button did not leave the login page"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // `Cache-Control: no-store`: Chromium asks the server again, which answers with a redirect to
    // the login form, instead of showing the page it had (from its cache or its back/forward
    // cache).
    browser.wait_for_path("/login");
    assert_eq!(browser.find("h1").text(), "Log in");
    let navigation =
        browser.run_script("return performance.getEntriesByType('navigation')[0].type;");
    assert_eq!(
        navigation, "back_forward",
        "the page came from the back button"
    );
}
