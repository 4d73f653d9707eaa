//! Challenge 06, "Your sessions": /sessions lists each session of the logged-in user, each with a
//! form that ends it (`POST /sessions/end`, field `session`); only the user's own sessions are
//! listed, and only they can be ended. Only a server-side session can do this.

use crate::challenges::forms;
use crate::steps::{
    assert_greets, assert_redirect, assert_status, describe, form_encode, logged_in, start,
};
use crate::{App, Check, Failure, Program};

const TASK: &str = "Challenge 06 (course/challenges/06.md)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(LISTS, TASK, the_page_lists_your_sessions).the_point(),
    Check::new(ENDS_ONE, TASK, ending_one_logs_out_that_browser_only).the_point(),
    Check::new(NOT_ANNS, TASK, nobody_ends_a_session_of_someone_else).the_point(),
    Check::new(NEEDS_LOGIN, TASK, the_sessions_need_a_login).the_point(),
];

pub(crate) const LISTS: &str =
    "/sessions has one form per session of yours (POST /sessions/end, field `session`): two logins as Tim, two; Ann's not among them";
pub(crate) const ENDS_ONE: &str =
    "ending Tim's other session from /sessions logs that browser out and sends you back to /sessions; this one stays, and is the one listed";
pub(crate) const NOT_ANNS: &str =
    "Ann cannot end Tim's session, even with the value from his page: he stays logged in, and she gets no 5xx";
pub(crate) const NEEDS_LOGIN: &str =
    "/sessions and POST /sessions/end without a login send you to /login and end nothing";

/// The values of the field `session` of the page's forms that post to /sessions/end, as the
/// browser with `cookie` sees /sessions.
fn listed(app: &App, cookie: &str) -> Result<Vec<String>, Failure> {
    let page = app.get("/sessions", &[cookie]);
    assert_status(&page, 200)?;
    let ends: Vec<String> = forms(&page.body)
        .iter()
        .filter(|form| form.action == "/sessions/end" && form.method == "post")
        .filter_map(|form| form.field("session").map(str::to_owned))
        .collect();
    Ok(ends)
}

/// Expects `count` sessions listed; returns them.
fn expect_listed(app: &App, cookie: &str, count: usize, who: &str) -> Result<Vec<String>, Failure> {
    let ends = listed(app, cookie)?;
    if ends.len() == count {
        Ok(ends)
    } else {
        let page = app.get("/sessions", &[cookie]);
        Err(Failure {
            request: String::new(),
            expected: format!(
                "{count} forms posting `session` to /sessions/end on {who}'s /sessions"
            ),
            got: format!("{} such forms: {ends:?}\n{}", ends.len(), describe(&page)),
        })
    }
}

/// Ends the session `handle` from the browser with `cookie`: the response.
fn end(app: &App, cookie: &str, handle: &str) -> test_support::Response {
    app.post_form(
        "/sessions/end",
        &format!("session={}", form_encode(handle)),
        &[cookie],
    )
}

/// Expects the browser with `cookie` to be logged in as `name`.
fn expect_logged_in(app: &App, cookie: &str, name: &str) -> Result<(), Failure> {
    assert_greets(&app.get("/user", &[cookie]), name)
}

fn the_page_lists_your_sessions(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let tim = logged_in(&app, "Tim")?;
    let _other_tim = logged_in(&app, "Tim")?;
    let ann = logged_in(&app, "Ann")?;
    let tims = expect_listed(&app, &tim, 2, "Tim")?;
    let anns = expect_listed(&app, &ann, 1, "Ann")?;
    if tims.contains(&anns[0]) || tims[0] == tims[1] {
        return Err(Failure {
            request: String::new(),
            expected: "two different sessions for Tim, and Ann's not among them".to_owned(),
            got: format!("Tim's: {tims:?}, Ann's: {anns:?}"),
        });
    }
    Ok(())
}

fn ending_one_logs_out_that_browser_only(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = logged_in(&app, "Tim")?;
    let this_one = expect_listed(&app, &here, 1, "Tim")?;
    let there = logged_in(&app, "Tim")?;
    let both = expect_listed(&app, &here, 2, "Tim")?;
    let other = both
        .iter()
        .find(|handle| !this_one.contains(handle))
        .cloned()
        .unwrap_or_default();
    assert_redirect(&end(&app, &here, &other), "/sessions")?;
    assert_redirect(&app.get("/user", &[&there]), "/login")?;
    expect_logged_in(&app, &here, "Tim")?;
    let left = expect_listed(&app, &here, 1, "Tim")?;
    if left != this_one {
        return Err(Failure {
            request: String::new(),
            expected: format!("this browser's session {this_one:?} listed"),
            got: format!("{left:?}"),
        });
    }
    Ok(())
}

fn nobody_ends_a_session_of_someone_else(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let tim = logged_in(&app, "Tim")?;
    let ann = logged_in(&app, "Ann")?;
    let tims = expect_listed(&app, &tim, 1, "Tim")?;
    let response = end(&app, &ann, &tims[0]);
    if response.status >= 500 {
        return Err(Failure {
            request: String::new(),
            expected: "a redirect or a 4xx".to_owned(),
            got: describe(&response),
        });
    }
    expect_logged_in(&app, &tim, "Tim")?;
    expect_logged_in(&app, &ann, "Ann")?;
    expect_listed(&app, &tim, 1, "Tim").map(|_| ())
}

fn the_sessions_need_a_login(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let tim = logged_in(&app, "Tim")?;
    let tims = expect_listed(&app, &tim, 1, "Tim")?;
    assert_redirect(&app.get("/sessions", &[]), "/login")?;
    let response = app.post_form(
        "/sessions/end",
        &format!("session={}", form_encode(&tims[0])),
        &[],
    );
    assert_redirect(&response, "/login")?;
    expect_logged_in(&app, &tim, "Tim")
}
