//! Challenge 05, "Welcome back": once a session's time is up, the login page greets the visitor
//! by the first name the session still holds, in an element `id="welcome"`, without logging
//! anyone in: the template gets that name, never the expired session as `session`.

use std::time::Duration;

use crate::challenges::{assert_no_id, element_by_id, tags, text_by_id};
use crate::steps::{
    assert_login_form, assert_redirect, assert_status, cookie_header, describe, poll, start,
    start_with, submit_login,
};
use crate::{App, Check, Failure, Program, Response, Settings};

const TASK: &str = "Challenge 05 (course/challenges/05.md)";
const NAV: &str = "Chapter 5, “The Rocket code” (docs/src/lesson-05.md#the-rocket-code)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(GREETS, TASK, an_expired_session_is_greeted_by_first_name)
        .the_point()
        .restarting(),
    Check::new(LOGGED_OUT, NAV, an_expired_session_logs_nobody_in).restarting(),
    Check::new(NO_FIRST_NAME, TASK, without_a_first_name_nobody_is_greeted).restarting(),
    Check::new(
        NOT_AFTER_LOGOUT,
        TASK,
        a_new_or_logged_out_visitor_is_not_greeted,
    ),
    Check::new(ESCAPED, TASK, html_in_the_greeting_is_escaped)
        .the_point()
        .restarting(),
    Check::new(GARBAGE, TASK, garbage_greets_nobody),
];

pub(crate) const GREETS: &str =
    "once Tim's session's time is up, /login shows the login form and greets him by his first name in `#welcome`";
pub(crate) const LOGGED_OUT: &str =
    "a session whose time is up logs nobody in: /user sends to /login, the navigation of / and /login links to /login, not /logout";
pub(crate) const NO_FIRST_NAME: &str =
    "once the time is up of a session without a first name, /login greets nobody: no `#welcome`";
pub(crate) const NOT_AFTER_LOGOUT: &str =
    "a new visitor, and one who logged out, is greeted by nobody: no `#welcome` on /login";
pub(crate) const ESCAPED: &str = "HTML in the first name is escaped in `#welcome`";
pub(crate) const GARBAGE: &str =
    "a forged or garbage cookie `session` greets nobody and is never a 500";

/// Sessions of one second.
fn one_second() -> Settings {
    Settings {
        session_lifetime: Some(1),
        ..Settings::default()
    }
}

/// Logs in with the form `body` and waits until the session's time is up (/user sends to
/// /login): the `Cookie:` header the browser still sends.
fn expired(app: &App, body: &str) -> Result<String, Failure> {
    let cookie = cookie_header(&[], &submit_login(app, body, &[])?)?;
    poll(Duration::from_secs(5), || {
        assert_redirect(&app.get("/user", &[&cookie]), "/login")
    })?;
    Ok(cookie)
}

/// Expects the login form (a field `nm`) on a 200 page.
fn expect_login_form(page: &Response) -> Result<(), Failure> {
    assert_login_form(page)
}

fn an_expired_session_is_greeted_by_first_name(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &one_second())?;
    let cookie = expired(&app, "nm=tim&firstName=Timothy&lastName=Lee")?;
    let page = app.get("/login", &[&cookie]);
    expect_login_form(&page)?;
    let welcome = text_by_id(&page, "welcome")?;
    if !welcome.contains("Timothy") {
        return Err(Failure {
            request: String::new(),
            expected: "`#welcome` with the first name Timothy".to_owned(),
            got: format!("`#welcome` says {welcome:?}"),
        });
    }
    Ok(())
}

/// Expects the page's navigation to offer logging in and not out.
fn expect_logged_out_links(page: &Response) -> Result<(), Failure> {
    let all = tags(&page.body);
    let links_to = |to: &str| {
        all.iter()
            .any(|tag| tag.name == "a" && tag.attribute("href") == Some(to))
    };
    if links_to("/login") && !links_to("/logout") {
        Ok(())
    } else {
        Err(Failure {
            request: String::new(),
            expected: "a page that links to /login and not to /logout".to_owned(),
            got: describe(page),
        })
    }
}

fn an_expired_session_logs_nobody_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &one_second())?;
    let cookie = expired(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    for path in ["/", "/login"] {
        let page = app.get(path, &[&cookie]);
        assert_status(&page, 200)?;
        expect_logged_out_links(&page)?;
    }
    assert_redirect(&app.get("/user", &[&cookie]), "/login")
}

fn without_a_first_name_nobody_is_greeted(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &one_second())?;
    let cookie = expired(&app, "nm=Tim&firstName=&lastName=Lee")?;
    let page = app.get("/login", &[&cookie]);
    expect_login_form(&page)?;
    assert_no_id(&page, "welcome")
}

fn a_new_or_logged_out_visitor_is_not_greeted(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let page = app.get("/login", &[]);
    expect_login_form(&page)?;
    assert_no_id(&page, "welcome")?;
    let cookie = cookie_header(&[], &submit_login(&app, "nm=Tim&firstName=Timothy", &[])?)?;
    let logout = app.get("/logout", &[&cookie]);
    assert_redirect(&logout, "/login")?;
    let after = cookie_header(&[&cookie], &logout)?;
    let page = app.get("/login", &[&after]);
    expect_login_form(&page)?;
    assert_no_id(&page, "welcome")
}

fn html_in_the_greeting_is_escaped(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &one_second())?;
    let cookie = expired(&app, "nm=Tim&firstName=%3Ci%3ETimothy%3C%2Fi%3E")?;
    let page = app.get("/login", &[&cookie]);
    expect_login_form(&page)?;
    let inner = element_by_id(&page.body, "welcome").unwrap_or_default();
    let italic = tags(inner).iter().any(|tag| tag.name == "i");
    if italic || !inner.contains("&lt;i&gt;Timothy") {
        return Err(Failure {
            request: String::new(),
            expected: "`#welcome` with `&lt;i&gt;Timothy&lt;&#x2F;i&gt;`, no <i> element"
                .to_owned(),
            got: format!("`#welcome` holds {inner:?}\n{}", describe(&page)),
        });
    }
    Ok(())
}

fn garbage_greets_nobody(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    for garbage in ["admin", "%7B%22user%22%3A%22Tim%22%7D", "AAAA"] {
        let page = app.get("/login", &[&format!("Cookie: session={garbage}")]);
        expect_login_form(&page)?;
        assert_no_id(&page, "welcome")?;
    }
    Ok(())
}
