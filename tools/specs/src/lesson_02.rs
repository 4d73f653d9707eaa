//! Lesson 02, a session in an encrypted cookie: the browser keeps `user` but can neither read nor
//! change it; whatever does not decrypt with the server's key is "not logged in".

use crate::lesson_01::{ADMIN_LET_IN, COOKIE_SYNTAX, PANEL_PLAIN, PLAIN_COOKIE};
use crate::private::encrypted_cookie;
use crate::steps::{
    assert_greets, assert_logged_out, assert_panel_says, assert_redirect, assert_set_cookies,
    assert_status, cookie_header, cookie_value, form_encode, in_the_panel, log_in, logged_in,
    panel_row, percent_decode, set_cookie_line, start, start_with, submit_login,
};
use crate::{App, Check, Failure, Program, Settings, TEST_ONLY_SECRET_KEYS};

const RECEIVES: &str =
    "Chapter 2, “What the browser receives” (docs/src/lesson-02.md#what-the-browser-receives)";
const CHANGED: &str =
    "Chapter 2, “What changed since lesson 01” (docs/src/lesson-02.md#what-changed-since-lesson-01)";
const PITFALLS: &str = "Chapter 2, “Pitfalls” (docs/src/lesson-02.md#pitfalls)";
const KEYS: &str = "“Secret keys” (docs/src/secret-keys.md)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        ENCRYPTED_COOKIE,
        RECEIVES,
        logging_in_sets_an_encrypted_cookie,
    )
    .the_point(),
    Check::new(NONCE, RECEIVES, every_login_encrypts_anew).the_point(),
    Check::new(
        LOGGED_IN_LOGIN,
        CHANGED,
        the_login_page_sends_a_logged_in_user_on,
    )
    .the_point(),
    Check::new(FORGED, PITFALLS, a_forged_cookie_is_not_let_in).the_point(),
    Check::new(TAMPERED, PITFALLS, a_changed_cookie_is_not_let_in).the_point(),
    Check::new(CUT_SHORT, PITFALLS, a_cut_short_cookie_is_not_let_in).the_point(),
    Check::new(GARBAGE, PITFALLS, garbage_is_not_let_in).the_point(),
    Check::new(FOREIGN_KEY, KEYS, a_cookie_from_another_key_is_not_let_in)
        .the_point()
        .restarting(),
    Check::new(
        SAME_KEY,
        KEYS,
        the_same_key_keeps_you_logged_in_across_a_restart,
    )
    .restarting(),
    Check::new(DEBUG_KEY, PITFALLS, without_a_key_a_restart_logs_you_out)
        .the_point()
        .restarting(),
    Check::new(
        PANEL_DECRYPTED,
        CHANGED,
        the_panel_shows_ciphertext_and_its_meaning,
    )
    .the_point(),
    Check::new(
        PANEL_UNREADABLE,
        CHANGED,
        the_panel_says_when_a_cookie_did_not_decrypt,
    )
    .the_point(),
    Check::new(
        "a name with `;`, `=` or `ë` is greeted as typed",
        RECEIVES,
        names_round_trip,
    ),
    Check::new(
        SMALL_COOKIE,
        RECEIVES,
        the_longest_name_makes_a_small_cookie,
    ),
    Check::new(FOREIGN_SESSION, KEYS, other_lessons_sessions_are_not_let_in).restarting(),
];

/// Lesson 01's checks that no longer hold: the cookie is ciphertext now.
pub(crate) const DROPS: &[&str] = &[PLAIN_COOKIE, ADMIN_LET_IN, PANEL_PLAIN, COOKIE_SYNTAX];

// The names later lessons keep (or replace), spelled once.
pub(crate) const ENCRYPTED_COOKIE: &str =
    "logging in sets `user=<encrypted>; HttpOnly; SameSite=Strict; Path=/` (no Expires: gone when the browser closes)";
pub(crate) const NONCE: &str =
    "two logins as Tim get two different cookie values (a random nonce each time)";
pub(crate) const CUT_SHORT: &str = "a cookie `user` cut short, or empty, is sent to /login";
pub(crate) const GARBAGE: &str = "garbage in the cookie `user` is sent to /login, never a 500";
pub(crate) const PANEL_DECRYPTED: &str = "the panel shows the ciphertext and what it decrypts to";
pub(crate) const PANEL_UNREADABLE: &str =
    "the panel says when the cookie `user` could not be decrypted";
pub(crate) const SMALL_COOKIE: &str =
    "the longest name (50 × `ë`) still makes a cookie line under 300 bytes";
pub(crate) const LOGGED_IN_LOGIN: &str = "/login while logged in redirects to /user";
pub(crate) const FORGED: &str = "a forged `Cookie: user=admin` is sent to /login";
pub(crate) const TAMPERED: &str = "a cookie `user` with one character changed is sent to /login";
pub(crate) const FOREIGN_KEY: &str =
    "a cookie made by a server with another secret key is sent to /login";
pub(crate) const SAME_KEY: &str = "restarted with the same secret key, the server still knows you";
pub(crate) const DEBUG_KEY: &str =
    "started without a secret key, a restart logs you out (the debug key differs at every launch)";

pub(crate) const FOREIGN_SESSION: &str =
    "a cookie that decrypts under the key but is not this lesson's session is answered as not logged in, never 5xx";

/// Lesson 04's session, as its cookie `session` holds it.
pub(crate) const LESSON_04_SESSION: &str =
    r#"{"user":"Tim","permanent":true,"expires":"2099-01-01T00:00:00Z"}"#;
/// A session id as lesson 06's cookie `session` holds it (one no server issued).
pub(crate) const LESSON_06_ID: &str = "5f2b9c0e8a7d4e1f9b3c6a2d8e0f1a4b";

/// Starts the program with test-only key 0 and expects each `Cookie:` header of `foreign` (private
/// cookies made with that key) to be answered as a visitor who is not logged in: `/` a page,
/// `/user` a redirect to `/login`, `/login` the form. One `ROCKET_SECRET_KEY` for every lesson
/// and cookies that ignore the port make this what a browser sends.
pub(crate) fn foreign_sessions_are_not_let_in(
    program: &dyn Program,
    foreign: &[String],
) -> Result<(), Failure> {
    foreign_sessions_leave_logged_out(program, foreign, assert_logged_out)
}

/// [`foreign_sessions_are_not_let_in`], with the lesson's own test of a logged-out visitor.
pub(crate) fn foreign_sessions_leave_logged_out(
    program: &dyn Program,
    foreign: &[String],
    logged_out: fn(&App, &str) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let app = start_with(program, &with_key(0))?;
    for cookie in foreign {
        assert_status(&app.get("/", &[cookie]), 200)?;
        logged_out(&app, cookie)?;
    }
    Ok(())
}

fn other_lessons_sessions_are_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    foreign_sessions_are_not_let_in(
        program,
        &[
            encrypted_cookie(0, "session", LESSON_04_SESSION),
            encrypted_cookie(0, "session", LESSON_06_ID),
        ],
    )
}

/// Expects `/user` with exactly `Cookie: <cookie>=<value>` to send the visitor to `/login`.
pub(crate) fn assert_not_let_in(app: &App, cookie: &str, value: &str) -> Result<(), Failure> {
    assert_redirect(
        &app.get("/user", &[&format!("Cookie: {cookie}={value}")]),
        "/login",
    )
}

/// The settings with the test-only key number `which`.
pub(crate) fn with_key(which: usize) -> Settings {
    Settings {
        secret_key: Some(TEST_ONLY_SECRET_KEYS[which].to_owned()),
        ..Settings::default()
    }
}

fn logging_in_sets_an_encrypted_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = log_in(&app, "Timothy")?;
    assert_set_cookies(
        &response,
        &["user=<encrypted>; HttpOnly; SameSite=Strict; Path=/"],
    )?;
    let value = percent_decode(&cookie_value(&response, "user")?);
    if value.contains("Timothy") {
        return Err(Failure::new(
            "a value that does not show the name",
            format!("user={value}"),
        ));
    }
    Ok(())
}

fn every_login_encrypts_anew(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let first = cookie_value(&log_in(&app, "Tim")?, "user")?;
    let second = cookie_value(&log_in(&app, "Tim")?, "user")?;
    if first == second {
        return Err(Failure::new(
            "two different values",
            format!("user={first} both times"),
        ));
    }
    Ok(())
}

fn the_login_page_sends_a_logged_in_user_on(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    assert_redirect(&app.get("/login", &[&cookie]), "/user")
}

fn a_forged_cookie_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    assert_not_let_in(&start(program)?, "user", "admin")
}

fn a_changed_cookie_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    changed_cookie_is_not_let_in(program, "user", "nm=Tim")
}

/// Logs in with the form `login`, changes one character of the cookie `cookie`, and expects
/// `/user` to send the changed cookie to `/login`.
pub(crate) fn changed_cookie_is_not_let_in(
    program: &dyn Program,
    cookie: &str,
    login: &str,
) -> Result<(), Failure> {
    let app = start(program)?;
    let value = cookie_value(&submit_login(&app, login, &[])?, cookie)?;
    // One letter or digit from the middle, away from any `%XX` escape, replaced by another.
    let bytes = value.as_bytes();
    let middle = (bytes.len() / 2..bytes.len())
        .find(|&i| {
            bytes[i].is_ascii_alphanumeric() && !bytes[i.saturating_sub(2)..i].contains(&b'%')
        })
        .unwrap_or(0);
    let mut changed = value.clone().into_bytes();
    changed[middle] = if changed[middle] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8_lossy(&changed).into_owned();
    assert_redirect(
        &app.get("/user", &[&format!("Cookie: user={changed}")]),
        "/login",
    )
}

fn a_cut_short_cookie_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    cut_short_cookie_is_not_let_in(program, "user", "nm=Tim")
}

/// Logs in with the form `login`, and expects `/user` to send the cookie `cookie` cut short (or
/// empty) to `/login`.
pub(crate) fn cut_short_cookie_is_not_let_in(
    program: &dyn Program,
    cookie: &str,
    login: &str,
) -> Result<(), Failure> {
    let app = start(program)?;
    let value = percent_decode(&cookie_value(&submit_login(&app, login, &[])?, cookie)?);
    let keep = |n: usize| value.chars().take(n).collect::<String>();
    for cut in [keep(value.len().saturating_sub(4)), keep(8), String::new()] {
        let cut = form_encode(&cut);
        assert_redirect(
            &app.get("/user", &[&format!("Cookie: user={cut}")]),
            "/login",
        )?;
    }
    Ok(())
}

fn garbage_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    garbage_in_the_cookie_is_not_let_in(program, "user")
}

/// Expects `/user` to send garbage in the cookie `cookie` to `/login`.
pub(crate) fn garbage_in_the_cookie_is_not_let_in(
    program: &dyn Program,
    cookie: &str,
) -> Result<(), Failure> {
    let app = start(program)?;
    for garbage in [
        "%25%25%25%25",
        "!!not-base64!!",
        "AAAA",
        "%F0%9F%8D%AA%F0%9F%8D%AA",
    ] {
        assert_not_let_in(&app, cookie, garbage)?;
    }
    Ok(())
}

fn a_cookie_from_another_key_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    let other = start_with(program, &with_key(1))?;
    let cookie = logged_in(&other, "Tim")?;
    drop(other);
    let app = start_with(program, &with_key(0))?;
    // Logged out cleanly: the login form, not an error page.
    assert_logged_out(&app, &cookie)
}

fn the_same_key_keeps_you_logged_in_across_a_restart(program: &dyn Program) -> Result<(), Failure> {
    let before = start_with(program, &with_key(0))?;
    let cookie = logged_in(&before, "Tim")?;
    drop(before);
    let after = start_with(program, &with_key(0))?;
    assert_greets(&after.get("/user", &[&cookie]), "Tim")
}

fn without_a_key_a_restart_logs_you_out(program: &dyn Program) -> Result<(), Failure> {
    let before = start(program)?;
    let cookie = logged_in(&before, "Tim")?;
    assert_greets(&before.get("/user", &[&cookie]), "Tim")?;
    drop(before);
    let after = start(program)?;
    assert_redirect(&after.get("/user", &[&cookie]), "/login")
}

fn the_panel_shows_ciphertext_and_its_meaning(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = log_in(&app, "Timothy")?;
    let value = percent_decode(&cookie_value(&response, "user")?);
    let start: String = value.chars().take(20).collect();
    let cookie = cookie_header(&[], &response)?;
    let page = app.get("/", &[&cookie]);
    let row = panel_row(&page, "user")?;
    let ciphertext = row.value.starts_with(&start) && !row.value.contains("Timothy");
    if ciphertext && row.meaning.contains("Timothy") {
        Ok(())
    } else {
        Err(in_the_panel(
            format!(
                "the panel's row for `user`: the value as sent (starting {start:?}), and what it \
                 decrypts to (the name Timothy)"
            ),
            &page,
        ))
    }
}

/// What the panel may say of a cookie that does not decrypt (listed in the tasks from 02 on).
pub(crate) const SAYS_UNREADABLE: &[&str] = &[
    "could not be decrypted",
    "could not be read",
    "cannot be decrypted",
    "does not decrypt",
    "did not decrypt",
    "not decrypted",
];

fn the_panel_says_when_a_cookie_did_not_decrypt(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    assert_panel_says(
        &app.get("/", &["Cookie: user=admin"]),
        "user",
        SAYS_UNREADABLE,
    )
}

fn names_round_trip(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    for (name, greeting) in [("Tim; admin=true", "Tim; admin=true"), ("Zoë", "Zoë")] {
        let cookie = logged_in(&app, name)?;
        assert_greets(&app.get("/user", &[&cookie]), greeting)?;
    }
    Ok(())
}

fn the_longest_name_makes_a_small_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = log_in(&app, &"ë".repeat(50))?;
    let line = set_cookie_line(&response, "user").unwrap_or_default();
    if line.is_empty() || line.len() >= 300 {
        return Err(Failure::new(
            "a Set-Cookie line for `user` under 300 bytes",
            format!("{} bytes: {line:?}", line.len()),
        ));
    }
    assert_greets(
        &app.get("/user", &[&cookie_header(&[], &response)?]),
        &"ë".repeat(50),
    )
}
