//! Cross-site request forgery, tried in a real browser. Lessons 01 to 07 send no CSRF token (lesson
//! 08 does: `lesson_08.rs`): their defence is the session cookie's `SameSite=Strict`. A page on
//! another site (`localhost`, while the lessons run on `127.0.0.1`) submits a form to a lesson's
//! state-changing route as soon as it loads, or offers a link to `/logout`; the browser sends that
//! request without the session cookie, so the session is untouched. The same form submitted from
//! the lesson's own page does change the session: what stops the attack is the site the request
//! comes from, nothing else. A forged login is not stopped (the last tests): the book's "Cross-site
//! request forgery" section.

use e2e::{Browser, Lesson, OtherSite, Profile};

/// A page that POSTs `fields` (`name=value` pairs) to `action` as soon as it loads.
fn auto_submitting_form(action: &str, fields: &[(&str, &str)]) -> String {
    let inputs: String = fields
        .iter()
        .map(|(name, value)| format!(r#"<input type="hidden" name="{name}" value="{value}">"#))
        .collect();
    format!(
        r#"<!doctype html><title>Win a prize</title>
<form id="attack" method="post" action="{action}">{inputs}</form>
<script>document.getElementById("attack").submit()</script>"#
    )
}

/// Logs Tim in and returns the value of the session cookie `cookie` the browser then holds.
fn logged_in_as_tim(lesson: &Lesson, browser: &Browser<'_>, cookie: &str) -> String {
    lesson.log_in(browser, "Tim");
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), "Hello, Tim");
    browser.cookie(cookie).expect("logged in").value
}

/// Opens the other site's page, which sends the browser to `lands_on` (a path of the lesson),
/// and checks that the lesson saw no cookie and the browser's session cookie did not change.
fn assert_cross_site_request_carried_no_session(
    browser: &Browser<'_>,
    lands_on: &str,
    cookie: &str,
    before: &str,
) {
    browser.wait_for_path(lands_on);
    let panel = browser.find("#sent").text();
    assert!(
        panel.contains("No cookies came with this request."),
        "the cross-site request carried a cookie: {panel}"
    );
    let after = browser
        .cookie(cookie)
        .expect("the session cookie is still there");
    assert_eq!(
        after.value, before,
        "the response changed the session cookie"
    );
}

/// Submits `form_html` (the attack page's own form) from a page of the lesson itself.
fn submit_from_the_lessons_own_page(lesson: &Lesson, browser: &Browser<'_>, form_html: &str) {
    browser.goto(&lesson.url("/user"));
    let script = format!(
        "document.body.innerHTML = {form:?}; document.getElementById('attack').submit();",
        form = form_html
    );
    browser.run_script(&script);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_03_forget_from_another_site_leaves_the_session_alone() {
    let lesson = Lesson::start("lesson-03", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    let before = logged_in_as_tim(&lesson, &browser, "user");

    let attack = auto_submitting_form(&lesson.url("/forget"), &[]);
    let other_site = OtherSite::serve(&attack);
    browser.goto(&other_site.url());
    assert_cross_site_request_carried_no_session(&browser, "/login", "user", &before);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // Positive control: the same form, submitted from the lesson's own page, forgets Tim.
    submit_from_the_lessons_own_page(&lesson, &browser, &attack);
    browser.wait_for_text("Your name and colour are forgotten.");
    assert_eq!(browser.cookie("user"), None);
}

/// A link on another site to `/logout` (the tutorials' GET logout): the click carries no
/// session, so nobody is logged out; the lesson's own link does log out.
fn a_logout_link_from_another_site_does_not_log_out(package: &str) {
    let lesson = Lesson::start(package, &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    let before = logged_in_as_tim(&lesson, &browser, "session");

    let other_site = OtherSite::serve(&format!(
        r#"<!doctype html><title>Funny cats</title><a id="go" href="{}">cats</a>"#,
        lesson.url("/logout")
    ));
    browser.goto(&other_site.url());
    browser.find("#go").click();
    assert_cross_site_request_carried_no_session(&browser, "/login", "session", &before);
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // Positive control: the lesson's own "Log out" link logs out.
    browser.find(r#"a[href="/logout"]"#).click();
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("session"), None);
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_05_logout_link_from_another_site_does_not_log_out() {
    a_logout_link_from_another_site_does_not_log_out("lesson-05");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_06_logout_link_from_another_site_does_not_log_out() {
    a_logout_link_from_another_site_does_not_log_out("lesson-06");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_06_logout_everywhere_from_another_site_ends_no_session() {
    let lesson = Lesson::start("lesson-06", &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    let before = logged_in_as_tim(&lesson, &browser, "session");

    let attack = auto_submitting_form(&lesson.url("/logout/everywhere"), &[]);
    let other_site = OtherSite::serve(&attack);
    browser.goto(&other_site.url());
    assert_cross_site_request_carried_no_session(&browser, "/login", "session", &before);
    // The session is alive on the server too, not only in the cookie.
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Tim");

    // Positive control: the same form from the lesson's own page ends the session.
    submit_from_the_lessons_own_page(&lesson, &browser, &attack);
    browser.wait_for_path("/login");
    assert_eq!(browser.cookie("session"), None);
    browser.goto(&lesson.url("/user"));
    browser.wait_for_path("/login");
}

/// What `SameSite` does not stop: a forged *login*. The cross-site POST carries no cookie, but it
/// needs none, and the browser stores the `SameSite=Strict` cookie its answer sets, because the
/// request was a top-level navigation. Tim's browser is now logged in as Mallory, and whatever Tim
/// types next lands in Mallory's account. Only a check the other site cannot pass (a token in the
/// form, or the `Origin` header) stops it.
fn a_login_from_another_site_swaps_in_the_attackers_session(package: &str) {
    let lesson = Lesson::start(package, &[]);
    let profile = Profile::new();
    let browser = Browser::start(&profile);
    let before = logged_in_as_tim(&lesson, &browser, "session");

    let attack = auto_submitting_form(
        &lesson.url("/login"),
        &[("nm", "Mallory"), ("remember", "on")],
    );
    let other_site = OtherSite::serve(&attack);
    browser.goto(&other_site.url());
    // The redirect to /user is still part of the cross-site navigation, so it carries no cookie
    // and lands on the login page; the new cookie is in the jar all the same.
    browser.wait_for_path("/login");
    let after = browser.cookie("session").expect("a session cookie");
    assert_ne!(
        after.value, before,
        "the forged login replaced Tim's cookie"
    );
    assert_eq!(after.same_site, "Strict");
    browser.goto(&lesson.url("/user"));
    assert_eq!(browser.find("h1").text(), "Hello, Mallory");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_05_a_login_from_another_site_swaps_in_the_attackers_session() {
    a_login_from_another_site_swaps_in_the_attackers_session("lesson-05");
}

#[test]
#[ignore = "needs Chromium and chromedriver: see README"]
fn lesson_06_a_login_from_another_site_swaps_in_the_attackers_session() {
    a_login_from_another_site_swaps_in_the_attackers_session("lesson-06");
}
