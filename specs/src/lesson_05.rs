//! Lesson 05, the session in templates: every page gets the session, and the templates decide the
//! navigation ("Logged in as Tim · Log out" or "Log in") and show the optional values (first name,
//! last name, typed at login) only when they are set.

use crate::lesson_04::REMOVAL_SESSION;
use crate::steps::{
    assert_no_set_cookie, assert_page, assert_page_lacks, assert_page_says, assert_redirect,
    assert_set_cookies, assert_status, cookie_header, logged_in, start, submit_login,
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
    Check::new(NAMES_FORM, CHANGED, the_login_form_asks_for_names).the_point(),
    Check::new(EMPTY_PROFILE, CHANGED, an_empty_profile_shows_nothing).the_point(),
    Check::new(FIRST_NAME_ALONE, CHANGED, a_first_name_alone_appears).the_point(),
    Check::new(BLANK_NAME, CHANGED, a_blank_name_is_not_kept),
    Check::new(BOTH_NAMES, CHANGED, both_names_appear).the_point(),
    Check::new(
        "logging out forgets everything (Flask's `session.clear()`): one removal of `session`",
        RECEIVES,
        logging_out_forgets_everything,
    ),
    Check::new(PANEL_NO_NULL, RECEIVES, the_panel_leaves_out_unset_values).the_point(),
    Check::new(NAMES_ESCAPED, PITFALLS, html_in_names_is_escaped).the_point(),
    Check::new(BAD_NAMES, CHANGED, bad_names_are_refused).the_point(),
];

/// Lesson 04's logout check is replaced by one that says what is forgotten.
pub(crate) const DROPS: &[&str] = &[crate::lesson_04::LOGOUT_DELETES];

// The names lesson 06 drops, spelled once.
pub(crate) const NAMES_FORM: &str =
    "the login form asks for a first and a last name, both optional";
pub(crate) const EMPTY_PROFILE: &str =
    "with no names typed, the profile on /user is empty: no “First name:” nor “Last name:”";
pub(crate) const FIRST_NAME_ALONE: &str =
    "a first name alone is kept in `session`, greets you and appears in the profile; no “Last name:” line";
pub(crate) const BLANK_NAME: &str =
    "a first name of only spaces is not kept: the greeting says Tim";
pub(crate) const BOTH_NAMES: &str = "both names appear in the profile";
pub(crate) const PANEL_NO_NULL: &str =
    "the panel shows the session's JSON with only the values that are set (no null)";
pub(crate) const NAMES_ESCAPED: &str =
    "HTML in a name is escaped in the navigation, the greeting and the profile";
pub(crate) const BAD_NAMES: &str =
    "a bad first or last name (51 characters, a line break) gets a message and 422, what was typed, and no cookie";

const NAV_LOGGED_OUT: &str =
    "<nav>\n    <a href=\"/\">Home</a> ·\n    <a href=\"/login\">Log in</a>\n  </nav>";
const NAV_TIM: &str = r#"Logged in as <a href="/user">Tim</a> · <a href="/logout">Log out</a>"#;

/// Logs in with the form `body` (`nm=…&firstName=…&lastName=…`): returns the `Cookie:` header.
fn logged_in_with(app: &App, body: &str) -> Result<String, Failure> {
    let response = submit_login(app, body, &[])?;
    cookie_header(&[], &response)
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
    let cookie = logged_in(&app, "Tim")?;
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

fn the_login_form_asks_for_names(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    assert_page(
        &app.get("/login", &[]),
        &[
            r#"name="firstName" value="""#,
            r#"name="lastName" value="""#,
        ],
    )
}

fn an_empty_profile_shows_nothing(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=&lastName=")?;
    let page = app.get("/user", &[&cookie]);
    assert_page(&page, &["Hello, Tim", "<h2>Your profile</h2>\n<ul>\n</ul>"])?;
    assert_page_lacks(&page, &["First name:", "Last name:"])
}

fn a_first_name_alone_appears(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    let page = app.get("/user", &[&cookie]);
    assert_page(
        &page,
        &[
            "<h1>Hello, Timothy</h1>",
            "<li>First name: Timothy</li>",
            NAV_TIM,
        ],
    )?;
    assert_page_lacks(&page, &["Last name:"])
}

fn a_blank_name_is_not_kept(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=+%20+&lastName=")?;
    let page = app.get("/user", &[&cookie]);
    assert_page(&page, &["<h1>Hello, Tim</h1>"])?;
    assert_page_lacks(&page, &["First name:"])
}

fn both_names_appear(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let body = "nm=Tim&firstName=Timothy&lastName=Berners-Lee";
    let cookie = logged_in_with(&app, body)?;
    assert_page(
        &app.get("/user", &[&cookie]),
        &[
            "<li>First name: Timothy</li>",
            "<li>Last name: Berners-Lee</li>",
        ],
    )
}

fn logging_out_forgets_everything(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_SESSION])?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_page_lacks(&app.get("/login", &[&after]), &["Timothy"])?;
    assert_redirect(&app.get("/user", &[&after]), "/login")
}

fn the_panel_leaves_out_unset_values(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    let page = app.get("/", &[&cookie]);
    assert_page(
        &page,
        &["Decrypted with this server&#x27;s key: {&quot;user&quot;:&quot;Tim&quot;,&quot;firstName&quot;:&quot;Timothy&quot;,&quot;permanent&quot;:false,&quot;expires&quot;:&quot;"],
    )?;
    assert_page_lacks(&page, &["null"])
}

fn html_in_names_is_escaped(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let body =
        "nm=%3Cb%3ETim%3C%2Fb%3E&firstName=%3Ci%3ETimothy%3C%2Fi%3E&lastName=%22%3E%3Cscript%3E";
    let cookie = logged_in_with(&app, body)?;
    let page = app.get("/user", &[&cookie]);
    assert_page(
        &page,
        &[
            r#"Logged in as <a href="/user">&lt;b&gt;Tim&lt;&#x2F;b&gt;</a>"#,
            "<h1>Hello, &lt;i&gt;Timothy&lt;&#x2F;i&gt;</h1>",
            "<li>First name: &lt;i&gt;Timothy&lt;&#x2F;i&gt;</li>",
            "<li>Last name: &quot;&gt;&lt;script&gt;</li>",
        ],
    )?;
    assert_page_lacks(&page, &["<b>Tim", "<i>Timothy", "<script>"])
}

fn bad_names_are_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let long = "x".repeat(51);
    for (body, message, typed) in [
        (
            format!("nm=Tim&firstName={long}&lastName="),
            "First name: A name can have at most 50 characters.",
            format!(r#"name="firstName" value="{long}""#),
        ),
        (
            "nm=Tim&firstName=Tim&lastName=Lee%0ASet-Cookie".to_owned(),
            "Last name: A name cannot contain control characters such as tabs or line breaks.",
            r#"name="firstName" value="Tim""#.to_owned(),
        ),
    ] {
        let response = app.post_form("/login", &body, &[]);
        assert_status(&response, 422)?;
        assert_no_set_cookie(&response)?;
        assert_page_says(&response, &[message, &typed])?;
    }
    Ok(())
}
