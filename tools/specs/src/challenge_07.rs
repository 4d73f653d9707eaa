//! Challenge 07, at most three sessions per user: a login that would give a user a fourth session
//! ends the oldest of the others, in the store (this process's memory, or Redis).

use test_support::redis::RedisServer;

use crate::steps::{
    assert_greets, assert_redirect, cookie_header, logged_in, start, start_with, submit_login,
};
use crate::{App, Check, Failure, Program, Settings};

const TASK: &str = "Challenge 07 (course/challenges/07.md)";
const README: &str = "lesson-07-production/README.md";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(FOURTH, TASK, a_fourth_login_ends_the_oldest).the_point(),
    Check::new(PER_USER, TASK, each_user_counts_apart),
    Check::new(LOGOUT_FREES, TASK, a_logout_frees_a_place),
    Check::new(SAME_BROWSER, TASK, logging_in_again_takes_no_other_place),
    Check::new(ON_REDIS, TASK, a_fourth_login_ends_the_oldest_on_redis)
        .the_point()
        .restarting(),
];

pub(crate) const FOURTH: &str =
    "a fourth login as Tim, in a fourth browser, ends his oldest session; the three newest stay";
pub(crate) const PER_USER: &str =
    "each user counts apart: three logins as Tim and three as Ann all stay";
pub(crate) const LOGOUT_FREES: &str =
    "a session logged out frees its place: after one of three logs out, a new login keeps the other two";
pub(crate) const SAME_BROWSER: &str =
    "logging in again in the same browser takes no second place: browsers A, B, then C twice, and A, B and C stay";
/// Its name holds `lesson_07::NEEDS_REDIS`: the runner does not run it without a `redis-server`.
pub(crate) const ON_REDIS: &str =
    "on Redis, a fourth login as Tim ends his oldest session; the three newest stay";

/// Expects the browser with `cookie` to be logged in as `name` (`true`) or sent to /login.
fn expect(app: &App, cookie: &str, name: &str, in_: bool, which: &str) -> Result<(), Failure> {
    let page = app.get("/user", &[cookie]);
    let result = if in_ {
        assert_greets(&page, name)
    } else {
        assert_redirect(&page, "/login")
    };
    result.map_err(|failure| Failure {
        request: String::new(),
        expected: format!("{which}: {}", failure.expected),
        got: failure.got,
    })
}

/// Logs in as Tim in four browsers, one after the other, and expects the first logged out.
fn fourth_login_ends_the_oldest(app: &App) -> Result<(), Failure> {
    let mut browsers = Vec::new();
    for _ in 0..4 {
        browsers.push(logged_in(app, "Tim")?);
    }
    expect(
        app,
        &browsers[0],
        "Tim",
        false,
        "the first (oldest) of four",
    )?;
    for (i, cookie) in browsers.iter().enumerate().skip(1) {
        expect(
            app,
            cookie,
            "Tim",
            true,
            &format!("login {} of four", i + 1),
        )?;
    }
    Ok(())
}

fn a_fourth_login_ends_the_oldest(program: &dyn Program) -> Result<(), Failure> {
    fourth_login_ends_the_oldest(&start(program)?)
}

fn each_user_counts_apart(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let mut browsers = Vec::new();
    for name in ["Tim", "Ann", "Tim", "Ann", "Tim", "Ann"] {
        browsers.push((name, logged_in(&app, name)?));
    }
    for (i, (name, cookie)) in browsers.iter().enumerate() {
        expect(&app, cookie, name, true, &format!("login {} of six", i + 1))?;
    }
    Ok(())
}

fn a_logout_frees_a_place(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let a = logged_in(&app, "Tim")?;
    let b = logged_in(&app, "Tim")?;
    let c = logged_in(&app, "Tim")?;
    assert_redirect(&app.get("/logout", &[&c]), "/login")?;
    let d = logged_in(&app, "Tim")?;
    expect(
        &app,
        &a,
        "Tim",
        true,
        "the first of three, after the third logged out",
    )?;
    expect(&app, &b, "Tim", true, "the second")?;
    expect(&app, &d, "Tim", true, "the new login")
}

fn logging_in_again_takes_no_other_place(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let a = logged_in(&app, "Tim")?;
    let b = logged_in(&app, "Tim")?;
    let c = logged_in(&app, "Tim")?;
    let again = submit_login(&app, "nm=Tim", &[&c])?;
    let c = cookie_header(&[&c], &again)?;
    expect(&app, &a, "Tim", true, "browser A")?;
    expect(&app, &b, "Tim", true, "browser B")?;
    expect(&app, &c, "Tim", true, "browser C, logged in again")
}

fn a_fourth_login_ends_the_oldest_on_redis(program: &dyn Program) -> Result<(), Failure> {
    let redis = RedisServer::start(README);
    let settings = Settings {
        extra_env: vec![("ROCKET_SESSION_STORE".to_owned(), redis.url())],
        ..Settings::default()
    };
    fourth_login_ends_the_oldest(&start_with(program, &settings)?)
}
