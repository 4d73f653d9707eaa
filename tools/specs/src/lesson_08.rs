//! Lesson 08, a real login on lesson 06: accounts with Argon2id hashes (`POST /signup`, `POST
//! /login` with `username` and `password`), one answer for every failed login, a CSRF token tied
//! to a pre-session on every POST form, a new session id at login, a POST logout, a throttle per
//! username, a password change that ends the other sessions, and no page kept in a cache.

use std::time::{Duration, Instant};

use crate::html::Html;
use crate::lesson_02::{foreign_sessions_leave_logged_out, FOREIGN_SESSION};
use crate::lesson_04::{BROWSER_SESSION, KEPT, REMOVAL_SESSION};
use crate::lesson_06::{id_in, ids_cannot_be_guessed, not_sessions_of_06, UNGUESSABLE};
use crate::steps::{
    assert_greets, assert_has, assert_no_set_cookie, assert_redirect, assert_set_cookies,
    assert_shows, assert_status, cookie_header, describe, form_encode, poll, start, start_with,
};
use crate::{App, Check, Failure, Program, Response, Settings};

const ACCOUNTS: &str =
    "Chapter 8, “Accounts and hashes” (docs/src/lesson-08.md#accounts-and-hashes)";
const ONE_ANSWER: &str =
    "Chapter 8, “One answer for every failed login” (docs/src/lesson-08.md#one-answer-for-every-failed-login)";
const CSRF: &str =
    "Chapter 8, “Login CSRF and the token” (docs/src/lesson-08.md#login-csrf-and-the-token)";
const FIXATION: &str =
    "Chapter 8, “A new id at login, a POST to log out” (docs/src/lesson-08.md#a-new-id-at-login-a-post-to-log-out)";
const THROTTLE: &str = "Chapter 8, “Brute force” (docs/src/lesson-08.md#brute-force)";
const PASSWORD: &str =
    "Chapter 8, “A password change ends the other sessions” (docs/src/lesson-08.md#a-password-change-ends-the-other-sessions)";
const CACHE: &str = "Chapter 8, “Pitfalls” (docs/src/lesson-08.md#pitfalls)";

/// The demo account the lesson's README names: its hash is in the lesson, this password is not.
pub const DEMO_USER: &str = "demo";
pub const DEMO_PASSWORD: &str = "correct horse battery staple";
/// The one message for an unknown username and a wrong password alike (seed 002's words).
pub const INVALID: &str = "Invalid username or password.";
/// A password that follows the lesson's rules (15 characters or more, nothing else asked).
pub(crate) const TIMS_PASSWORD: &str = "tims first password";
pub(crate) const TIMS_NEW_PASSWORD: &str = "tims second password";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "signing up as Tim with a 15-character password of lowercase letters only logs him in: 303 to /user, “Hello, Tim”",
        ACCOUNTS,
        signing_up_logs_in,
    )
    .the_point(),
    Check::new(
        "a password of 14 characters gets the signup form again with 422, no cookie, and no account",
        ACCOUNTS,
        a_short_password_is_refused,
    )
    .the_point(),
    Check::new(
        "a password of 64 characters is accepted",
        ACCOUNTS,
        a_64_character_password_is_accepted,
    ),
    Check::new(
        "a taken username gets the signup form again with 422, and its password is unchanged",
        ACCOUNTS,
        a_taken_username_is_refused,
    ),
    Check::new(
        "the demo account logs in with the password the README gives, as fields `username` and `password`",
        ACCOUNTS,
        the_demo_account_logs_in,
    )
    .the_point(),
    Check::new(
        "the session holds the username and nothing of the password: the panel shows {\"user\":\"Tim\",…} without it",
        ACCOUNTS,
        the_session_holds_no_password,
    )
    .the_point(),
    Check::new(
        "a wrong password costs a slow hash: its 422 takes 10× as long as GET /login at least (a password kept as text, or a fast hash, does not)",
        ACCOUNTS,
        a_wrong_password_costs_a_slow_hash,
    )
    .the_point()
    .restarting(),
    Check::new(
        "an unknown username and a wrong password get the same status (422), the same page and “Invalid username or password.”",
        ONE_ANSWER,
        every_failed_login_gets_one_answer,
    )
    .the_point(),
    Check::new(
        "an unknown username takes about as long as a wrong password (medians of 20 each within 0.7–1.4×)",
        ONE_ANSWER,
        an_unknown_username_takes_as_long_as_a_wrong_password,
    )
    .restarting(),
    Check::new(
        "GET /login gives a pre-session `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/` and a form with its `csrf_token`",
        CSRF,
        the_login_form_carries_a_token,
    )
    .the_point(),
    Check::new(
        "a login without the token answers 403, sets no cookie, and logs no one in",
        CSRF,
        a_login_without_the_token_is_refused,
    )
    .the_point(),
    Check::new(
        "a login with another browser's token answers 403, sets no cookie, and logs no one in",
        CSRF,
        a_login_with_another_browsers_token_is_refused,
    )
    .the_point(),
    Check::new(
        "signup, logout, log out everywhere and the password change without the token answer 403 and change nothing",
        CSRF,
        every_post_form_needs_the_token,
    )
    .the_point(),
    Check::new(
        "logging in issues a new session id: the pre-session's cookie is not logged in afterwards (session fixation)",
        FIXATION,
        a_login_issues_a_new_id,
    )
    .the_point(),
    Check::new(
        "GET /logout does not log out: /user still says “Hello, demo” afterwards",
        FIXATION,
        a_get_does_not_log_out,
    )
    .the_point(),
    Check::new(
        "POST /logout with the token: 303 to /login, the cookie removed, and a copy of it sent to /login",
        FIXATION,
        a_post_with_the_token_logs_out,
    )
    .the_point(),
    Check::new(
        "after 5 failed logins for demo, the right password answers 429 with Retry-After (at most 900 s)",
        THROTTLE,
        five_failures_close_the_door,
    )
    .the_point(),
    Check::new(
        "the throttle is per username: after 5 failures for demo, Tim still logs in",
        THROTTLE,
        the_throttle_is_per_username,
    ),
    Check::new(
        "with login_window = 10, the right password logs in again once the window has passed",
        THROTTLE,
        the_door_opens_when_the_window_passes,
    )
    .restarting()
    .waiting(),
    Check::new(
        "changing the password ends Tim's other sessions, keeps this one under a new id, and only the new password logs in",
        PASSWORD,
        a_password_change_ends_the_other_sessions,
    )
    .the_point(),
    Check::new(
        "a password change with a wrong current password answers 422 and changes nothing",
        PASSWORD,
        a_password_change_needs_the_current_password,
    )
    .the_point(),
    Check::new(
        "wrong current passwords count as failed logins: after 5 at /password, the right one answers 429 with Retry-After there and at /login",
        PASSWORD,
        a_password_change_is_throttled_too,
    ),
    // Lessons 02 and 06's checks of the same names, with lesson 08's login form and accounts.
    Check::new(FOREIGN_SESSION, FIXATION, foreign_sessions_are_not_let_in_08).restarting(),
    Check::new(UNGUESSABLE, FIXATION, session_ids_cannot_be_guessed_08).restarting(),
    Check::new(
        "the home page, the login form and /user answer Cache-Control: no-store",
        CACHE,
        pages_are_not_cached,
    )
    .the_point(),
];

/// Earlier checks lesson 08 no longer meets. Each logs in with lessons 01–06's form (the field
/// `nm`, no password, no token), which lesson 08 answers with 403; the point of each that lesson
/// 08 keeps is checked again here with a real account and the token.
pub(crate) const DROPS: &[&str] = &[
    // Lesson 01 and 02's login: the field `nm`, and a GET /logout.
    "the login page is a form that posts the field `nm` to /login",
    "after logging in as Tim, /user says “Hello, Tim”",
    "logging out with no cookie sends no Set-Cookie at all",
    "a form without the field `nm` gets a message and status 422",
    "/login while logged in redirects to /user",
    // Lesson 04's cookies, after a login with `nm`.
    "ticking “Keep me signed in” sets one cookie `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires=<in 300 s>`",
    "without the box the cookie is `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/` (gone when the browser closes)",
    // Lesson 06's points, after a login with `nm` or a logout by GET: checked again in this spec
    // (a new id at login, logout revokes, the password change as "log out everywhere"'s trigger).
    "the cookie `session` holds only an id: the panel shows the id and what the store holds under it",
    "logging out revokes a copy of the cookie taken before: the copy is sent to /login",
    "logging in again issues a new id: the cookie from before stops working",
    "“Log out everywhere” ends every session of Tim, in every browser, and no one else's",
    "“Log out everywhere” without a login is a plain redirect to /login, no Set-Cookie",
    "with session_lifetime = 3 the store forgets a session once its time is up: a copy of the cookie is sent to /login",
    "restarted, a memory store has forgotten every session, even with the same secret key",
    // The login form's own rules for the field `nm`: the username's rules are the signup's now.
    "an empty or blank name is refused: status 422, the form again with a message, no cookie",
    "a name of 51 characters is refused with a message and status 422; 50 are accepted",
    "a name with a line break is refused with a message and status 422",
    // The panel's words for an ended session: the same code as lesson 06's, reached by a login
    // with `nm` in those checks.
    "with session_lifetime = 3, the panel says the session is over once its time is up: its time is up, or the store does not hold it",
    "the panel says when the store does not hold the session the cookie names",
    "a name with HTML in it is shown escaped on /user, never as markup",
    "a refused name with HTML in it is escaped in the form shown again",
    "a name with `;`, `=` or `ë` is greeted as typed",
    "a refused login form keeps the box as it was sent",
    // The navigation's "Log out" is a POST form with the token now, and logging out is a POST.
    "logged out, the navigation of every page says “Log in”",
    "logged in as Tim, the navigation of every page says “Logged in as Tim · Log out”",
    "after logging out, the navigation says “Log in” again",
    "logging out forgets everything (Flask's `session.clear()`): one removal of `session`",
    // Lessons 02 and 04's cookie and lifetime checks log in with `nm` first.
    "a cookie made by a server with another secret key is sent to /login",
    "started without a secret key, a restart logs you out (the debug key differs at every launch)",
    "the user page says when the session expires: in 300 seconds",
    "every page moves a kept-signed-in session forward: a fresh `Max-Age=300` cookie",
    "loading pages does not refresh a browser-session cookie (no Set-Cookie)",
    "with session_lifetime = 3, a kept-signed-in session that is used keeps going past 3 seconds",
    "session_lifetime = 30 gives the cookie `Max-Age=30`",
    "after session_lifetime is shortened, sessions issued before obey it at once",
    "a cookie `session` with one character changed is sent to /login",
    "a cookie `session` cut short, or empty, is sent to /login",
];

/// A browser's first visit to a form page `path`: the `Cookie:` header it sends afterwards (its
/// pre-session) and the form's token.
pub(crate) fn visit(app: &App, path: &str, sent: &[&str]) -> Result<(String, String), Failure> {
    let response = app.get(path, sent);
    assert_status(&response, 200)?;
    let token = token_in(&response)?;
    Ok((cookie_header(sent, &response)?, token))
}

/// The value of the page's first hidden `csrf_token` field.
fn token_in(response: &Response) -> Result<String, Failure> {
    let field = "name=\"csrf_token\" value=\"";
    let after = response.body.split(field).nth(1);
    let token = after.and_then(|rest| rest.split('"').next());
    match token {
        Some(token) if !token.is_empty() => Ok(token.to_owned()),
        _ => Err(Failure {
            request: String::new(),
            expected: "a form with a hidden field `csrf_token` and a value".to_owned(),
            got: describe(response),
        }),
    }
}

fn login_body(token: &str, username: &str, password: &str) -> String {
    format!(
        "csrf_token={token}&username={}&password={}",
        form_encode(username),
        form_encode(password)
    )
}

/// Opens `path` (/login or /signup), sends its form as `username` with `password`, and returns
/// the answer and the `Cookie:` header the browser sends afterwards.
fn send_account_form(
    app: &App,
    path: &str,
    username: &str,
    password: &str,
) -> Result<(Response, String), Failure> {
    let (cookie, token) = visit(app, path, &[])?;
    let body = login_body(&token, username, password);
    let response = app.post_form(path, &body, &[&cookie]);
    let after = cookie_header(&[&cookie], &response)?;
    Ok((response, after))
}

/// Logs in through the form at /login; returns the answer and the `Cookie:` header afterwards.
pub(crate) fn try_login(
    app: &App,
    username: &str,
    password: &str,
) -> Result<(Response, String), Failure> {
    send_account_form(app, "/login", username, password)
}

/// Logs in through the form; expects the redirect to /user and returns the `Cookie:` header.
pub(crate) fn logged_in(app: &App, username: &str, password: &str) -> Result<String, Failure> {
    let (response, cookie) = try_login(app, username, password)?;
    assert_redirect(&response, "/user")?;
    Ok(cookie)
}

/// Signs up through the form at /signup; returns the answer and the `Cookie:` header afterwards.
pub(crate) fn try_signup(
    app: &App,
    username: &str,
    password: &str,
) -> Result<(Response, String), Failure> {
    send_account_form(app, "/signup", username, password)
}

pub(crate) fn signed_up(app: &App, username: &str, password: &str) -> Result<String, Failure> {
    let (response, cookie) = try_signup(app, username, password)?;
    assert_redirect(&response, "/user")?;
    Ok(cookie)
}

/// The token of the forms on /user for the logged-in `cookie`.
fn user_token(app: &App, cookie: &str) -> Result<String, Failure> {
    let page = app.get("/user", &[cookie]);
    assert_status(&page, 200)?;
    token_in(&page)
}

pub(crate) fn assert_logged_in_as(app: &App, cookie: &str, name: &str) -> Result<(), Failure> {
    assert_greets(&app.get("/user", &[cookie]), name)
}

pub(crate) fn assert_not_logged_in(app: &App, cookie: &str) -> Result<(), Failure> {
    assert_redirect(&app.get("/user", &[cookie]), "/login")
}

/// Lesson 06's foreign cookies, each answered as a visitor who is not logged in: a redirect from
/// `/user`, and the login form with its token.
fn foreign_sessions_are_not_let_in_08(program: &dyn Program) -> Result<(), Failure> {
    foreign_sessions_leave_logged_out(program, &not_sessions_of_06(), |app, cookie| {
        assert_not_logged_in(app, cookie)?;
        token_in(&app.get("/login", &[cookie])).map(drop)
    })
}

/// Signs up as `name` and returns the id the cookie `session` holds (under test-only key 0), with
/// the `Cookie:` header.
fn sign_up_for_id(app: &App, name: &str) -> Result<(String, String), Failure> {
    let (response, cookie) = try_signup(app, name, TIMS_PASSWORD)?;
    assert_redirect(&response, "/user")?;
    Ok((id_in(&response)?, cookie))
}

fn session_ids_cannot_be_guessed_08(program: &dyn Program) -> Result<(), Failure> {
    ids_cannot_be_guessed(program, sign_up_for_id)
}

fn signing_up_logs_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = signed_up(&app, "Tim", "tims first pass")?;
    assert_logged_in_as(&app, &cookie, "Tim")?;
    let again = logged_in(&app, "Tim", "tims first pass")?;
    assert_logged_in_as(&app, &again, "Tim")
}

fn a_short_password_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let (response, _) = try_signup(&app, "Tim", "fourteen chars")?;
    assert_status(&response, 422)?;
    assert_has(
        &response,
        ("form", &[("action", Some("/signup"))]),
        "the signup form",
    )?;
    assert_no_set_cookie(&response)?;
    let (response, _) = try_login(&app, "Tim", "fourteen chars")?;
    assert_status(&response, 422)?;
    assert_shows(&response, INVALID, &[])
}

fn a_64_character_password_is_accepted(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let long = "sixty-four characters ".repeat(3)[..64].to_owned();
    signed_up(&app, "Tim", &long)?;
    logged_in(&app, "Tim", &long).map(drop)
}

fn a_taken_username_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let (response, _) = try_signup(&app, DEMO_USER, TIMS_PASSWORD)?;
    assert_status(&response, 422)?;
    assert_has(
        &response,
        ("form", &[("action", Some("/signup"))]),
        "the signup form",
    )?;
    let (response, _) = try_login(&app, DEMO_USER, TIMS_PASSWORD)?;
    assert_status(&response, 422)?;
    logged_in(&app, DEMO_USER, DEMO_PASSWORD).map(drop)
}

fn the_demo_account_logs_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, DEMO_USER, DEMO_PASSWORD)?;
    assert_logged_in_as(&app, &cookie, DEMO_USER)
}

fn the_session_holds_no_password(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let page = app.get("/user", &[&cookie]);
    let all_text = Html::parse(&page.body).text(None, &[]);
    if !all_text.contains(r#"{"user":"Tim""#) {
        return Err(Failure::of(
            "the panel showing the session {\"user\":\"Tim\", …}",
            &page,
        ));
    }
    if page.body.contains(TIMS_PASSWORD) || page.body.contains("argon2") {
        return Err(Failure::of(
            "a page with nothing of the password (neither it nor its hash)",
            &page,
        ));
    }
    Ok(())
}

/// The page's `<main>`, with `typed` (the username, shown again in the form) and the form's
/// token made neutral, so that two answers can be compared.
pub(crate) fn main_part(response: &Response, typed: &str) -> Result<String, Failure> {
    let token = token_in(response)?;
    let start = response.body.find("<main>");
    let end = response.body.find("</main>");
    match (start, end) {
        (Some(start), Some(end)) => Ok(response.body[start..end]
            .replace(typed, "…")
            .replace(&token, "…")),
        _ => Err(Failure {
            request: String::new(),
            expected: "a page with <main>".to_owned(),
            got: describe(response),
        }),
    }
}

fn every_failed_login_gets_one_answer(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let (unknown, _) = try_login(&app, "nobody-here", DEMO_PASSWORD)?;
    let (wrong, _) = try_login(&app, DEMO_USER, "not the demo password")?;
    for response in [&unknown, &wrong] {
        assert_status(response, 422)?;
        assert_shows(response, INVALID, &[])?;
    }
    if main_part(&unknown, "nobody-here")? == main_part(&wrong, DEMO_USER)? {
        Ok(())
    } else {
        Err(Failure {
            request: String::new(),
            expected: "the same page for an unknown username and a wrong password".to_owned(),
            got: format!("{}\n---\n{}", describe(&unknown), describe(&wrong)),
        })
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The hash itself is out of sight, but not its cost: Argon2id (or Werkzeug's scrypt) takes tens
/// of milliseconds, a comparison of plain text or a SHA-256 microseconds, about what a page of
/// the same server takes to render.
fn a_wrong_password_costs_a_slow_hash(program: &dyn Program) -> Result<(), Failure> {
    let settings = Settings {
        extra_env: vec![("ROCKET_LOGIN_ATTEMPTS".to_owned(), "1000".to_owned())],
        ..Settings::default()
    };
    let app = start_with(program, &settings)?;
    let (cookie, token) = visit(&app, "/login", &[])?;
    let body = login_body(&token, DEMO_USER, "not the demo password");
    let mut rounds = Vec::new();
    // Up to three rounds, as for the unknown username: a busy moment can slow either side.
    for _ in 0..3 {
        let (mut page, mut login) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            let began = Instant::now();
            assert_status(&app.get("/login", &[&cookie]), 200)?;
            page.push(began.elapsed());
            let began = Instant::now();
            let response = app.post_form("/login", &body, &[&cookie]);
            login.push(began.elapsed());
            assert_status(&response, 422)?;
        }
        let (page, login) = (median(page), median(login));
        let ratio = login.as_secs_f64() / page.as_secs_f64();
        if ratio >= 10.0 {
            return Ok(());
        }
        rounds.push(format!("{login:?} / {page:?} = {ratio:.1}"));
    }
    Err(Failure {
        request: String::new(),
        expected: "median(wrong password) / median(GET /login) of 10 or more".to_owned(),
        got: rounds.join("; "),
    })
}

fn an_unknown_username_takes_as_long_as_a_wrong_password(
    program: &dyn Program,
) -> Result<(), Failure> {
    let settings = Settings {
        extra_env: vec![("ROCKET_LOGIN_ATTEMPTS".to_owned(), "1000".to_owned())],
        ..Settings::default()
    };
    let app = start_with(program, &settings)?;
    let (cookie, token) = visit(&app, "/login", &[])?;
    let timed = |username: &str| -> Result<Duration, Failure> {
        let body = login_body(&token, username, "not the password");
        let began = Instant::now();
        let response = app.post_form("/login", &body, &[&cookie]);
        let took = began.elapsed();
        assert_status(&response, 422)?;
        Ok(took)
    };
    // Up to three rounds: a round on a machine busy with other work can be off, a dummy hash that
    // is missing is off in every round (an unknown username then takes microseconds).
    let mut rounds = Vec::new();
    for _ in 0..3 {
        let (mut unknown, mut wrong) = (Vec::new(), Vec::new());
        // Taken in turns, each first half of the time, so that a busy moment weighs on both.
        for turn in 0..20 {
            if turn % 2 == 0 {
                unknown.push(timed("nobody-here")?);
                wrong.push(timed(DEMO_USER)?);
            } else {
                wrong.push(timed(DEMO_USER)?);
                unknown.push(timed("nobody-here")?);
            }
        }
        let (unknown, wrong) = (median(unknown), median(wrong));
        let ratio = unknown.as_secs_f64() / wrong.as_secs_f64();
        if (0.7..=1.4).contains(&ratio) {
            return Ok(());
        }
        rounds.push(format!("{unknown:?} / {wrong:?} = {ratio:.2}"));
    }
    Err(Failure {
        request: String::new(),
        expected: "median(unknown username) / median(wrong password) within 0.7–1.4".to_owned(),
        got: rounds.join("; "),
    })
}

fn the_login_form_carries_a_token(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.get("/login", &[]);
    for (field, what) in [
        (&[("name", Some("username"))][..], "a field `username`"),
        (&[("name", Some("password"))][..], "a field `password`"),
        (
            &[("type", Some("hidden")), ("name", Some("csrf_token"))][..],
            "a hidden field `csrf_token`",
        ),
    ] {
        assert_has(&response, ("input", field), what)?;
    }
    assert_set_cookies(&response, &[BROWSER_SESSION])?;
    let (cookie, token) = visit(&app, "/login", &[])?;
    // The same browser sees the same token until it logs in.
    let again = app.get("/login", &[&cookie]);
    assert_no_set_cookie(&again)?;
    if token_in(&again)? == token {
        Ok(())
    } else {
        Err(Failure {
            request: String::new(),
            expected: "the same token for the same pre-session".to_owned(),
            got: describe(&again),
        })
    }
}

fn a_login_without_the_token_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let body = format!(
        "username={DEMO_USER}&password={}",
        form_encode(DEMO_PASSWORD)
    );
    // A form from another site: no cookie (SameSite=Strict keeps it home) and no token.
    let response = app.post_form("/login", &body, &[]);
    assert_status(&response, 403)?;
    assert_shows(&response, "CSRF token", &[])?;
    assert_no_set_cookie(&response)?;
    // The same browser's own pre-session cookie, but no token.
    let (cookie, _) = visit(&app, "/login", &[])?;
    let response = app.post_form("/login", &body, &[&cookie]);
    assert_status(&response, 403)?;
    assert_no_set_cookie(&response)?;
    assert_not_logged_in(&app, &cookie)
}

fn a_login_with_another_browsers_token_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let (_attacker, attackers_token) = visit(&app, "/login", &[])?;
    let (victim, _) = visit(&app, "/login", &[])?;
    let body = login_body(&attackers_token, DEMO_USER, DEMO_PASSWORD);
    let response = app.post_form("/login", &body, &[&victim]);
    assert_status(&response, 403)?;
    assert_no_set_cookie(&response)?;
    assert_not_logged_in(&app, &victim)?;
    // Without any cookie, as a cross-site form arrives.
    let response = app.post_form("/login", &body, &[]);
    assert_status(&response, 403)?;
    assert_no_set_cookie(&response)
}

fn every_post_form_needs_the_token(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let posts = [
        ("/logout", String::new()),
        ("/logout/everywhere", String::new()),
        (
            "/password",
            format!(
                "current={}&new=a+completely+new+one",
                form_encode(TIMS_PASSWORD)
            ),
        ),
        (
            "/signup",
            format!("username=Ann&password={}", form_encode(TIMS_PASSWORD)),
        ),
    ];
    for (path, body) in &posts {
        let response = app.post_form(path, body, &[&cookie]);
        assert_status(&response, 403)?;
        assert_logged_in_as(&app, &cookie, "Tim")?;
    }
    // Nothing changed: the password is the old one, and Ann has no account.
    logged_in(&app, "Tim", TIMS_PASSWORD)?;
    let (response, _) = try_login(&app, "Ann", TIMS_PASSWORD)?;
    assert_status(&response, 422)
}

fn a_login_issues_a_new_id(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let (before, token) = visit(&app, "/login", &[])?;
    let body = format!(
        "{}&remember=on",
        login_body(&token, DEMO_USER, DEMO_PASSWORD)
    );
    let response = app.post_form("/login", &body, &[&before]);
    assert_redirect(&response, "/user")?;
    assert_set_cookies(&response, &[KEPT])?;
    let after = cookie_header(&[&before], &response)?;
    assert_logged_in_as(&app, &after, DEMO_USER)?;
    assert_not_logged_in(&app, &before)?;
    // The token changes with the id: the pre-session's no longer works.
    let response = app.post_form("/logout", &format!("csrf_token={token}"), &[&after]);
    assert_status(&response, 403)
}

fn a_get_does_not_log_out(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, DEMO_USER, DEMO_PASSWORD)?;
    let response = app.get("/logout", &[&cookie]);
    if response.header_values("Set-Cookie").is_empty() && response.status != 303 {
        assert_logged_in_as(&app, &cookie, DEMO_USER)
    } else {
        Err(Failure {
            request: String::new(),
            expected: "GET /logout neither redirects nor sets a cookie".to_owned(),
            got: describe(&response),
        })
    }
}

fn a_post_with_the_token_logs_out(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let copy = logged_in(&app, DEMO_USER, DEMO_PASSWORD)?;
    let token = user_token(&app, &copy)?;
    let response = app.post_form("/logout", &format!("csrf_token={token}"), &[&copy]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_SESSION])?;
    assert_not_logged_in(&app, &copy)
}

/// Five wrong passwords for `username`, each answered 422.
fn fail_five_times(app: &App, username: &str) -> Result<(), Failure> {
    for attempt in 0..5 {
        let (response, _) = try_login(app, username, &format!("wrong password {attempt}"))?;
        assert_status(&response, 422)?;
    }
    Ok(())
}

fn five_failures_close_the_door(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    fail_five_times(&app, DEMO_USER)?;
    let (response, cookie) = try_login(&app, DEMO_USER, DEMO_PASSWORD)?;
    assert_retry_after(&response)?;
    assert_no_set_cookie(&response)?;
    assert_not_logged_in(&app, &cookie)
}

/// Expects a 429 with one `Retry-After` of 1 to 900 seconds.
pub(crate) fn assert_retry_after(response: &Response) -> Result<(), Failure> {
    assert_status(response, 429)?;
    let retry_after = response.header_values("Retry-After");
    match retry_after[..] {
        [seconds] if seconds.parse::<u32>().is_ok_and(|s| (1..=900).contains(&s)) => Ok(()),
        _ => Err(Failure {
            request: String::new(),
            expected: "one Retry-After: <seconds, 1 to 900>".to_owned(),
            got: format!("Retry-After: {retry_after:?}\n{}", describe(response)),
        }),
    }
}

fn the_throttle_is_per_username(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    signed_up(&app, "Tim", TIMS_PASSWORD)?;
    fail_five_times(&app, DEMO_USER)?;
    logged_in(&app, "Tim", TIMS_PASSWORD).map(drop)
}

fn the_door_opens_when_the_window_passes(program: &dyn Program) -> Result<(), Failure> {
    let settings = Settings {
        // Long enough for five failed logins (and their hashing) on a loaded machine.
        extra_env: vec![("ROCKET_LOGIN_WINDOW".to_owned(), "10".to_owned())],
        ..Settings::default()
    };
    let app = start_with(program, &settings)?;
    fail_five_times(&app, DEMO_USER)?;
    let (response, _) = try_login(&app, DEMO_USER, DEMO_PASSWORD)?;
    assert_status(&response, 429)?;
    poll(Duration::from_secs(15), || {
        logged_in(&app, DEMO_USER, DEMO_PASSWORD).map(drop)
    })
}

/// Posts the user page's password form from the browser with `cookie`, with its token, the
/// current password `current` and Tim's new one.
fn change_password(app: &App, cookie: &str, current: &str) -> Result<Response, Failure> {
    let token = user_token(app, cookie)?;
    let body = format!(
        "csrf_token={token}&current={}&new={}",
        form_encode(current),
        form_encode(TIMS_NEW_PASSWORD)
    );
    Ok(app.post_form("/password", &body, &[cookie]))
}

fn a_password_change_ends_the_other_sessions(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let elsewhere = logged_in(&app, "Tim", TIMS_PASSWORD)?;
    let someone_else = logged_in(&app, DEMO_USER, DEMO_PASSWORD)?;
    let response = change_password(&app, &here, TIMS_PASSWORD)?;
    assert_redirect(&response, "/user")?;
    assert_set_cookies(&response, &[BROWSER_SESSION])?;
    let after = cookie_header(&[&here], &response)?;
    assert_logged_in_as(&app, &after, "Tim")?;
    assert_not_logged_in(&app, &here)?;
    assert_not_logged_in(&app, &elsewhere)?;
    assert_logged_in_as(&app, &someone_else, DEMO_USER)?;
    logged_in(&app, "Tim", TIMS_NEW_PASSWORD)?;
    let (response, _) = try_login(&app, "Tim", TIMS_PASSWORD)?;
    assert_status(&response, 422)
}

fn a_password_change_needs_the_current_password(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let elsewhere = logged_in(&app, "Tim", TIMS_PASSWORD)?;
    let response = change_password(&app, &here, "not my password")?;
    assert_status(&response, 422)?;
    assert_no_set_cookie(&response)?;
    assert_logged_in_as(&app, &here, "Tim")?;
    assert_logged_in_as(&app, &elsewhere, "Tim")?;
    logged_in(&app, "Tim", TIMS_PASSWORD).map(drop)
}

fn a_password_change_is_throttled_too(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    for attempt in 0..5 {
        let response = change_password(&app, &here, &format!("wrong password {attempt}"))?;
        assert_status(&response, 422)?;
    }
    assert_retry_after(&change_password(&app, &here, TIMS_PASSWORD)?)?;
    let (response, _) = try_login(&app, "Tim", TIMS_PASSWORD)?;
    assert_retry_after(&response)?;
    assert_logged_in_as(&app, &here, "Tim")
}

fn pages_are_not_cached(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, DEMO_USER, DEMO_PASSWORD)?;
    for path in ["/", "/login", "/user"] {
        let response = app.get(path, &[&cookie]);
        if response.header_values("Cache-Control") != ["no-store"] {
            return Err(Failure {
                request: String::new(),
                expected: format!("GET {path}: Cache-Control: no-store"),
                got: format!(
                    "Cache-Control: {:?}\n{}",
                    response.header_values("Cache-Control"),
                    describe(&response)
                ),
            });
        }
    }
    Ok(())
}
