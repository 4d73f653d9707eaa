//! Lesson 06, server-side sessions (memory store): the cookie `session` holds only a random id,
//! the session lives on the server, so logging out revokes every copy of the cookie, a login
//! issues a new id, "Log out everywhere" ends every session of the user, and a restart of a memory
//! store forgets them all.

use std::time::Duration;

use crate::lesson_02::{with_key, SAME_KEY};
use crate::lesson_03::REVOKE;
use crate::lesson_04::{log_in_kept, EXPIRY, PANEL_SESSION, REMOVAL_SESSION, SHORT};
use crate::steps::{
    assert_no_set_cookie, assert_page, assert_redirect, assert_set_cookies, cookie_header,
    logged_in, poll, start, start_with,
};
use crate::{Check, Failure, Program, Settings};

const CHANGED: &str =
    "Chapter 6, “What changed since lesson 04” (docs/src/lesson-06.md#what-changed-since-lesson-04)";
const RECEIVES: &str =
    "Chapter 6, “What the browser receives” (docs/src/lesson-06.md#what-the-browser-receives)";
const PITFALLS: &str = "Chapter 6, “Pitfalls” (docs/src/lesson-06.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "the cookie `session` holds only an id: the panel shows the id and what the store holds under it",
        RECEIVES,
        the_cookie_holds_only_an_id,
    )
    .the_point(),
    Check::new(
        "logging out revokes a copy of the cookie taken before: the copy is sent to /login",
        CHANGED,
        logging_out_revokes_a_copy,
    )
    .the_point(),
    Check::new(
        "logging in again issues a new id: the cookie from before stops working",
        CHANGED,
        a_login_issues_a_new_id,
    )
    .the_point(),
    Check::new(
        "“Log out everywhere” ends every session of Tim, in every browser, and no one else's",
        CHANGED,
        log_out_everywhere_ends_every_session_of_the_user,
    )
    .the_point(),
    Check::new(
        "“Log out everywhere” without a login is a plain redirect to /login, no Set-Cookie",
        CHANGED,
        log_out_everywhere_without_a_login_just_redirects,
    )
    .the_point(),
    Check::new(
        "with session_lifetime = 3 the store forgets a session once its time is up: a copy of the cookie is sent to /login",
        PITFALLS,
        the_store_forgets_an_expired_session,
    )
    .restarting(),
    Check::new(
        "restarted, a memory store has forgotten every session, even with the same secret key",
        PITFALLS,
        a_restart_forgets_every_session,
    )
    .the_point()
    .restarting(),
];

/// Earlier checks that lesson 06 changes on purpose: logout now revokes, a restart of the memory
/// store forgets every session, and the panel describes an id instead of the session itself.
pub(crate) const DROPS: &[&str] = &[REVOKE, SAME_KEY, EXPIRY, PANEL_SESSION];

const NOT_HELD: &str = "which the store does not hold";

fn the_cookie_holds_only_an_id(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    assert_page(
        &app.get("/", &[&cookie]),
        &[
            "<code>session</code>",
            "Decrypted with this server&#x27;s key to the session id ",
            ": that is all the cookie holds. Under that id the store holds {&quot;user&quot;:&quot;Tim&quot;",
        ],
    )
}

fn logging_out_revokes_a_copy(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let copy = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&copy]);
    assert_redirect(&response, "/login")?;
    assert_redirect(&app.get("/user", &[&copy]), "/login")?;
    assert_page(&app.get("/", &[&copy]), &[NOT_HELD])
}

fn a_login_issues_a_new_id(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let before = logged_in(&app, "Tim")?;
    let response = app.post_form("/login", "nm=Tim", &[&before]);
    assert_redirect(&response, "/user")?;
    let after = cookie_header(&[&before], &response)?;
    assert_page(&app.get("/user", &[&after]), &["Hello, Tim"])?;
    assert_redirect(&app.get("/user", &[&before]), "/login")
}

fn log_out_everywhere_ends_every_session_of_the_user(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = logged_in(&app, "Tim")?;
    let elsewhere = cookie_header(&[], &log_in_kept(&app)?)?;
    let someone_else = logged_in(&app, "Ann")?;
    let response = app.post_form("/logout/everywhere", "", &[&here]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(
        &response,
        &[
            REMOVAL_SESSION,
            "_flash=7%3AsuccessEvery%20session%20of%20Tim%20has%20ended%2C%20in%20every%20browser.; SameSite=Strict; Path=/; Max-Age=300",
        ],
    )?;
    let after = cookie_header(&[&here], &response)?;
    assert_page(
        &app.get("/login", &[&after]),
        &["Every session of Tim has ended, in every browser."],
    )?;
    assert_redirect(&app.get("/user", &[&elsewhere]), "/login")?;
    assert_page(&app.get("/user", &[&someone_else]), &["Hello, Ann"])
}

fn log_out_everywhere_without_a_login_just_redirects(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.post_form("/logout/everywhere", "", &[]);
    assert_redirect(&response, "/login")?;
    assert_no_set_cookie(&response)
}

fn the_store_forgets_an_expired_session(program: &dyn Program) -> Result<(), Failure> {
    let settings = Settings {
        session_lifetime: Some(SHORT),
        ..with_key(0)
    };
    let app = start_with(program, &settings)?;
    let copy = logged_in(&app, "Tim")?;
    assert_page(&app.get("/user", &[&copy]), &["Hello, Tim"])?;
    poll(Duration::from_secs(SHORT + 3), || {
        assert_redirect(&app.get("/user", &[&copy]), "/login")
    })?;
    assert_page(&app.get("/", &[&copy]), &[NOT_HELD])
}

fn a_restart_forgets_every_session(program: &dyn Program) -> Result<(), Failure> {
    let before = start_with(program, &with_key(0))?;
    let cookie = logged_in(&before, "Tim")?;
    drop(before);
    let after = start_with(program, &with_key(0))?;
    assert_redirect(&after.get("/user", &[&cookie]), "/login")?;
    assert_page(&after.get("/", &[&cookie]), &[NOT_HELD])
}
