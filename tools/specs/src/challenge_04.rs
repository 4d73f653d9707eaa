//! Challenge 04, a choice of two lifetimes: the login form offers `lifetime=short`
//! (`session_lifetime`) or `lifetime=long` (`long_session_lifetime`), and the server enforces the
//! one chosen, in the cookie and in the session, on every request after the login too.

use std::time::Duration;

use crate::challenges::tags;
use crate::html::squeeze;
use crate::lesson_02::with_key;
use crate::lesson_04::SAYS_TIME_UP;
use crate::steps::{
    assert_greets, assert_no_set_cookie, assert_redirect, assert_set_cookies, assert_status,
    cookie_header, describe, http_date_seconds, in_the_panel, now_seconds, panel_row, poll,
    set_cookie_line, start, start_with, submit_login,
};
use crate::{App, Check, Failure, Program, Response, Settings};

const TASK: &str = "Challenge 04 (course/challenges/04.md)";
const LIFETIME: &str = "Chapter 4, “Pitfalls” (docs/src/lesson-04.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(FORM, TASK, the_form_offers_two_lifetimes).the_point(),
    Check::new(MAX_AGE, TASK, the_cookie_lasts_the_lifetime_chosen)
        .the_point()
        .restarting(),
    Check::new(OUTLIVES, LIFETIME, a_long_session_outlives_a_short_one)
        .the_point()
        .restarting(),
    Check::new(ENDS, LIFETIME, a_long_session_ends_too).restarting(),
    Check::new(SLIDES, TASK, a_long_session_slides_by_its_own_lifetime)
        .the_point()
        .restarting(),
    Check::new(CUT, LIFETIME, a_cut_long_lifetime_applies_at_once)
        .the_point()
        .restarting(),
    Check::new(BAD, TASK, another_lifetime_is_refused).the_point(),
    Check::new(WITHOUT, TASK, a_login_without_a_lifetime_is_short).restarting(),
    Check::new(A_DAY, TASK, the_long_lifetime_is_a_day_when_not_set).restarting(),
    Check::new(PANEL, TASK, the_panel_holds_a_long_session_to_its_lifetime).restarting(),
];

pub(crate) const FORM: &str =
    "the login form offers `lifetime` as two radio buttons, `short` (checked) and `long`";
pub(crate) const MAX_AGE: &str =
    "kept signed in, `lifetime=long` gives the cookie `Max-Age=<long_session_lifetime>`, `lifetime=short` `Max-Age=<session_lifetime>`";
pub(crate) const OUTLIVES: &str =
    "a session with `lifetime=long` is still let in once a `short` one's time is up";
pub(crate) const ENDS: &str =
    "a session with `lifetime=long` is refused once long_session_lifetime is up";
pub(crate) const SLIDES: &str =
    "every page moves a kept-signed-in long session forward by long_session_lifetime: a fresh `Max-Age=<long>` cookie";
pub(crate) const CUT: &str =
    "restarted with a shorter long_session_lifetime, a long session that claims more time is refused";
pub(crate) const BAD: &str = "a `lifetime` other than `short` or `long` gets 422 and no cookie";
pub(crate) const WITHOUT: &str =
    "a login without `lifetime` is a short one: `Max-Age=<session_lifetime>`";
pub(crate) const A_DAY: &str =
    "without `long_session_lifetime`, a kept-signed-in long session gets `Max-Age=86400` (a day)";
pub(crate) const PANEL: &str =
    "once a short session's time is up, the panel does not say that of a long one that is still let in";

/// The settings with the test-only key 0, these two lifetimes, in seconds.
fn lifetimes(short: u64, long: u64) -> Settings {
    Settings {
        session_lifetime: Some(short),
        extra_env: vec![("ROCKET_LONG_SESSION_LIFETIME".to_owned(), long.to_string())],
        ..with_key(0)
    }
}

/// Logs in as Tim with `lifetime=<lifetime>`, kept signed in or not: the response.
fn log_in_for(app: &App, lifetime: &str, kept: bool) -> Result<Response, Failure> {
    let remember = if kept { "&remember=on" } else { "" };
    submit_login(app, &format!("nm=Tim&lifetime={lifetime}{remember}"), &[])
}

/// Expects the one `Set-Cookie` of a kept-signed-in session with `Max-Age=<seconds>`, and an
/// `Expires` as many seconds from now.
fn expect_kept_for(response: &Response, seconds: u64) -> Result<(), Failure> {
    let pattern = format!(
        "session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age={seconds}; Expires=<date>"
    );
    assert_set_cookies(response, &[&pattern])?;
    let line = set_cookie_line(response, "session").unwrap_or_default();
    let expires = line
        .split("Expires=")
        .nth(1)
        .and_then(http_date_seconds)
        .unwrap_or(0);
    let wanted = now_seconds() + i64::try_from(seconds).unwrap_or(i64::MAX);
    if (expires - wanted).abs() > 5 {
        return Err(Failure {
            request: String::new(),
            expected: format!("Expires in {seconds} s"),
            got: describe(response),
        });
    }
    Ok(())
}

fn the_form_offers_two_lifetimes(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let page = app.get("/login", &[]);
    assert_status(&page, 200)?;
    let all = tags(&page.body);
    let radios: Vec<_> = all
        .iter()
        .filter(|tag| tag.name == "input" && tag.attribute("name") == Some("lifetime"))
        .collect();
    let radio = |value: &str| {
        radios.iter().find(|tag| {
            tag.attribute("value") == Some(value) && tag.attribute("type") == Some("radio")
        })
    };
    match (radio("short"), radio("long")) {
        (Some(short), Some(long)) if short.has("checked") && !long.has("checked") => Ok(()),
        _ => Err(Failure {
            request: String::new(),
            expected: "<input type=\"radio\" name=\"lifetime\" value=\"short\" checked> and \
                       <input type=\"radio\" name=\"lifetime\" value=\"long\"> (attributes in any order)"
                .to_owned(),
            got: format!("the inputs named `lifetime`: {radios:?}\n{}", describe(&page)),
        }),
    }
}

fn the_cookie_lasts_the_lifetime_chosen(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lifetimes(30, 3600))?;
    expect_kept_for(&log_in_for(&app, "long", true)?, 3600)?;
    expect_kept_for(&log_in_for(&app, "short", true)?, 30)
}

/// A short and a long session, logged in together, once the short one is refused: the program
/// and the long one's `Cookie:` header.
fn past_a_short_lifetime(program: &dyn Program) -> Result<(App, String), Failure> {
    let app = start_with(program, &lifetimes(1, 60))?;
    let short = cookie_header(&[], &log_in_for(&app, "short", false)?)?;
    let long = cookie_header(&[], &log_in_for(&app, "long", false)?)?;
    poll(Duration::from_secs(5), || {
        assert_redirect(&app.get("/user", &[&short]), "/login")
    })?;
    Ok((app, long))
}

fn a_long_session_outlives_a_short_one(program: &dyn Program) -> Result<(), Failure> {
    let (app, long) = past_a_short_lifetime(program)?;
    assert_greets(&app.get("/user", &[&long]), "Tim")
}

fn the_panel_holds_a_long_session_to_its_lifetime(program: &dyn Program) -> Result<(), Failure> {
    let (app, long) = past_a_short_lifetime(program)?;
    let page = app.get("/user", &[&long]);
    assert_greets(&page, "Tim")?;
    let meaning = panel_row(&page, "session")?.meaning.to_lowercase();
    match SAYS_TIME_UP
        .iter()
        .find(|said| meaning.contains(&squeeze(said)))
    {
        Some(said) => Err(in_the_panel(
            format!("a panel that does not say “{said}” of a long session the page lets in"),
            &page,
        )),
        None => Ok(()),
    }
}

fn a_long_session_ends_too(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lifetimes(1, 3))?;
    let long = cookie_header(&[], &log_in_for(&app, "long", false)?)?;
    assert_greets(&app.get("/user", &[&long]), "Tim").map_err(|mut failure| {
        failure.expected = format!("before its time is up, {}", failure.expected);
        failure
    })?;
    poll(Duration::from_secs(8), || {
        assert_redirect(&app.get("/user", &[&long]), "/login")
    })
}

fn a_long_session_slides_by_its_own_lifetime(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lifetimes(30, 3600))?;
    let long = cookie_header(&[], &log_in_for(&app, "long", true)?)?;
    let page = app.get("/user", &[&long]);
    assert_greets(&page, "Tim")?;
    expect_kept_for(&page, 3600)
}

fn a_cut_long_lifetime_applies_at_once(program: &dyn Program) -> Result<(), Failure> {
    let before = start_with(program, &lifetimes(30, 3600))?;
    let long = cookie_header(&[], &log_in_for(&before, "long", false)?)?;
    drop(before);
    let after = start_with(program, &lifetimes(30, 60))?;
    assert_redirect(&after.get("/user", &[&long]), "/login")
}

fn another_lifetime_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    for lifetime in ["forever", "", "3600"] {
        let response = app.post_form(
            "/login",
            &format!("nm=Tim&remember=on&lifetime={lifetime}"),
            &[],
        );
        assert_status(&response, 422)?;
        assert_no_set_cookie(&response)?;
    }
    Ok(())
}

fn a_login_without_a_lifetime_is_short(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lifetimes(30, 3600))?;
    expect_kept_for(&submit_login(&app, "nm=Tim&remember=on", &[])?, 30)
}

fn the_long_lifetime_is_a_day_when_not_set(program: &dyn Program) -> Result<(), Failure> {
    let settings = Settings {
        session_lifetime: Some(30),
        ..with_key(0)
    };
    let app = start_with(program, &settings)?;
    expect_kept_for(&log_in_for(&app, "long", true)?, 86_400)
}
