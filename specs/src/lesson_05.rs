//! Lesson 05, the session in templates: every page gets the session, and the templates decide the
//! navigation ("Logged in as Tim · Log out" or "Log in") and show the optional values (first name,
//! last name, colour) only when they are set.

use crate::lesson_03::{logged_in_with_blue, GOODBYE_TIM, REMOVAL_FLASH};
use crate::lesson_04::{FORGET_DELETES, REMOVAL_SESSION};
use crate::steps::{
    assert_no_set_cookie, assert_page, assert_page_lacks, assert_page_says, assert_redirect,
    assert_set_cookies, assert_status, cookie_header, logged_in, start,
};
use crate::{App, Check, Failure, Program};

const CODE: &str = "Chapter 5, “The Rocket code” (docs/src/lesson-05.md#the-rocket-code)";
const CHANGED: &str =
    "Chapter 5, “What changed since lesson 04” (docs/src/lesson-05.md#what-changed-since-lesson-04)";
const RECEIVES: &str =
    "Chapter 5, “What the browser receives” (docs/src/lesson-05.md#what-the-browser-receives)";
const PITFALLS: &str = "Chapter 5, “Pitfalls” (docs/src/lesson-05.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "logged out, the navigation of every page says “Log in”",
        CODE,
        the_navigation_says_log_in,
    )
    .the_point(),
    Check::new(
        "logged in as Tim, the navigation of every page says “Logged in as Tim · Log out”",
        CODE,
        the_navigation_says_who_is_logged_in,
    )
    .the_point(),
    Check::new(
        "after logging out, the navigation says “Log in” again",
        CODE,
        the_navigation_follows_a_logout,
    )
    .the_point(),
    Check::new(
        "with nothing filled in, the profile on /user is empty: no “First name:”, “Last name:” nor colour",
        CHANGED,
        an_empty_profile_shows_nothing,
    )
    .the_point(),
    Check::new(
        "a first name alone is saved in `session`, greets you and appears in the profile; no “Last name:” line",
        CHANGED,
        a_first_name_alone_appears,
    )
    .the_point(),
    Check::new(
        "emptying the first name takes it out of the session: the greeting is back to Tim",
        CHANGED,
        emptying_a_name_takes_it_out,
    )
    .the_point(),
    Check::new(
        "both names and the colour appear in the profile once set",
        CHANGED,
        every_value_appears_once_set,
    )
    .the_point(),
    Check::new(
        "logging out keeps the names: the login page still lists them",
        RECEIVES,
        logging_out_keeps_the_names,
    )
    .the_point(),
    Check::new(
        "“Forget me” forgets everything: “Everything in your session is forgotten.”",
        RECEIVES,
        forget_me_forgets_everything,
    )
    .the_point(),
    Check::new(
        "the panel shows the session's JSON with only the values that are set (no null)",
        RECEIVES,
        the_panel_leaves_out_unset_values,
    )
    .the_point(),
    Check::new(
        "HTML in a name is escaped in the navigation, the greeting and the profile",
        PITFALLS,
        html_in_names_is_escaped,
    )
    .the_point(),
    Check::new(
        "a bad first or last name (51 characters, a line break, a missing field) gets a message and 422, what was typed, and nothing changes",
        CHANGED,
        bad_names_are_refused,
    )
    .the_point(),
    Check::new(
        "saving names without logging in redirects to /login and stores nothing",
        CHANGED,
        saving_names_needs_a_login,
    )
    .the_point(),
];

/// Lesson 04's "Forget me" said the name and colour were forgotten; now it is everything.
pub(crate) const DROPS: &[&str] = &[FORGET_DELETES];

const NAV_LOGGED_OUT: &str =
    "<nav>\n    <a href=\"/\">Home</a> ·\n    <a href=\"/login\">Log in</a>\n  </nav>";
const NAV_TIM: &str = r#"Logged in as <a href="/user">Tim</a> · <a href="/logout">Log out</a>"#;
const BROWSER_SESSION: &str = "session=<encrypted>; HttpOnly; SameSite=Strict; Path=/";

/// Sends the names form as Tim, whose browser sends `cookie`: expects the redirect to `/user`, and
/// returns the `Cookie:` header afterwards.
fn save_names(app: &App, cookie: &str, body: &str) -> Result<String, Failure> {
    let response = app.post_form("/names", body, &[cookie]);
    assert_redirect(&response, "/user")?;
    assert_set_cookies(&response, &[BROWSER_SESSION])?;
    cookie_header(&[cookie], &response)
}

fn the_navigation_says_log_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    for path in ["/", "/login"] {
        let page = app.get(path, &[]);
        assert_page(&page, &[NAV_LOGGED_OUT])?;
        assert_page_lacks(&page, &["Logged in as"])?;
    }
    Ok(())
}

fn the_navigation_says_who_is_logged_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    for path in ["/", "/user"] {
        assert_page(&app.get(path, &[&cookie]), &[NAV_TIM])?;
    }
    Ok(())
}

fn the_navigation_follows_a_logout(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    let after = cookie_header(&[&cookie], &response)?;
    for path in ["/", "/login"] {
        let page = app.get(path, &[&after]);
        assert_page(&page, &[NAV_LOGGED_OUT])?;
        assert_page_lacks(&page, &["Logged in as"])?;
    }
    Ok(())
}

fn an_empty_profile_shows_nothing(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let page = app.get("/user", &[&cookie]);
    assert_page(&page, &["Hello, Tim", "<h2>Your profile</h2>\n<ul>\n</ul>"])?;
    assert_page_lacks(&page, &["First name:", "Last name:", "Favourite colour:"])
}

fn a_first_name_alone_appears(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let after = save_names(&app, &cookie, "firstName=Timothy&lastName=")?;
    let page = app.get("/user", &[&after]);
    assert_page(
        &page,
        &[
            "<h1>Hello, Timothy</h1>",
            "<li>First name: Timothy</li>",
            r#"name="firstName" value="Timothy""#,
            NAV_TIM,
        ],
    )?;
    assert_page_lacks(&page, &["Last name:"])
}

fn emptying_a_name_takes_it_out(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let named = save_names(&app, &cookie, "firstName=Timothy&lastName=")?;
    let emptied = save_names(&app, &named, "firstName=+&lastName=")?;
    let page = app.get("/user", &[&emptied]);
    assert_page(&page, &["<h1>Hello, Tim</h1>"])?;
    assert_page_lacks(&page, &["First name:", "Timothy"])
}

fn every_value_appears_once_set(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let after = save_names(&app, &cookie, "firstName=Timothy&lastName=Berners-Lee")?;
    assert_page(
        &app.get("/user", &[&after]),
        &[
            "<li>First name: Timothy</li>",
            "<li>Last name: Berners-Lee</li>",
            "<li>Favourite colour: <strong>blue</strong></li>",
        ],
    )
}

fn logging_out_keeps_the_names(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let named = save_names(&app, &cookie, "firstName=Timothy&lastName=Berners-Lee")?;
    let response = app.get("/logout", &[&named]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[BROWSER_SESSION, GOODBYE_TIM])?;
    let after = cookie_header(&[&named], &response)?;
    assert_page(
        &app.get("/login", &[&after]),
        &[
            "This site still remembers:",
            "<li>First name: Timothy</li>",
            "<li>Last name: Berners-Lee</li>",
            "“Forget me” removes everything.",
        ],
    )
}

fn forget_me_forgets_everything(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let named = save_names(&app, &cookie, "firstName=Timothy&lastName=")?;
    let response = app.post_form("/forget", "", &[&named]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(
        &response,
        &[
            REMOVAL_SESSION,
            "_flash=7%3AsuccessEverything%20in%20your%20session%20is%20forgotten.; SameSite=Strict; Path=/; Max-Age=300",
        ],
    )?;
    let after = cookie_header(&[&named], &response)?;
    let page = app.get("/login", &[&after]);
    assert_page(&page, &["Everything in your session is forgotten."])?;
    assert_page_lacks(&page, &["still remembers", "Timothy"])?;
    assert_set_cookies(&page, &[REMOVAL_FLASH])
}

fn the_panel_leaves_out_unset_values(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let named = save_names(&app, &cookie, "firstName=Timothy&lastName=")?;
    let page = app.get("/", &[&named]);
    assert_page(
        &page,
        &["Decrypted with this server&#x27;s key: {&quot;user&quot;:&quot;Tim&quot;,&quot;firstName&quot;:&quot;Timothy&quot;,&quot;permanent&quot;:false,&quot;expires&quot;:&quot;"],
    )?;
    assert_page_lacks(&page, &["null"])
}

fn html_in_names_is_escaped(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "<b>Tim</b>")?;
    let named = save_names(
        &app,
        &cookie,
        "firstName=%3Ci%3ETimothy%3C%2Fi%3E&lastName=%22%3E%3Cscript%3E",
    )?;
    let page = app.get("/user", &[&named]);
    assert_page(
        &page,
        &[
            r#"Logged in as <a href="/user">&lt;b&gt;Tim&lt;&#x2F;b&gt;</a>"#,
            "<h1>Hello, &lt;i&gt;Timothy&lt;&#x2F;i&gt;</h1>",
            "<li>First name: &lt;i&gt;Timothy&lt;&#x2F;i&gt;</li>",
            "<li>Last name: &quot;&gt;&lt;script&gt;</li>",
            r#"name="lastName" value="&quot;&gt;&lt;script&gt;""#,
        ],
    )?;
    assert_page_lacks(&page, &["<b>Tim", "<i>Timothy", "<script>"])
}

fn bad_names_are_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let named = save_names(&app, &cookie, "firstName=Timothy&lastName=")?;
    let long = "x".repeat(51);
    for (body, message, typed) in [
        (
            format!("firstName={long}&lastName="),
            "A first name can have at most 50 characters.",
            format!(r#"name="firstName" value="{long}""#),
        ),
        (
            "firstName=Tim&lastName=Lee%0ASet-Cookie".to_owned(),
            "A last name cannot contain control characters such as tabs or line breaks.",
            r#"name="firstName" value="Tim""#.to_owned(),
        ),
        (
            "firstName=Tim".to_owned(),
            "The form sent no last name (the field `lastName` was missing).",
            r#"name="firstName" value="Tim""#.to_owned(),
        ),
    ] {
        let response = app.post_form("/names", &body, &[&named]);
        assert_status(&response, 422)?;
        assert_no_set_cookie(&response)?;
        assert_page_says(&response, &[message, &typed])?;
    }
    assert_page(
        &app.get("/user", &[&named]),
        &["<h1>Hello, Timothy</h1>", "<li>First name: Timothy</li>"],
    )
}

fn saving_names_needs_a_login(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.post_form("/names", "firstName=Timothy&lastName=", &[]);
    assert_redirect(&response, "/login")?;
    assert_no_set_cookie(&response)
}
