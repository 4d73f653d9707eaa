//! Lesson 06, server-side sessions (memory store): the cookie `session` holds only a random id,
//! the session lives on the server, so logging out revokes every copy of the cookie, a login
//! issues a new id, "Log out everywhere" ends every session of the user, and a restart of a memory
//! store forgets them all.

use std::time::Duration;

use crate::lesson_02::{
    foreign_sessions_are_not_let_in, with_key, FOREIGN_SESSION, LESSON_04_SESSION, LESSON_06_ID,
    SAME_KEY,
};
use crate::lesson_03::REVOKE;
use crate::lesson_04::{
    log_in_kept, panel_once_the_time_is_up, EXPIRY, PANEL_SESSION, PANEL_TIME_UP, REMOVAL_SESSION,
    SAYS_TIME_UP, SHORT,
};
use crate::lesson_05::{
    BAD_NAMES, BLANK_NAME, BOTH_NAMES, EMPTY_PROFILE, FIRST_NAME_ALONE, NAMES_ESCAPED, NAMES_FORM,
    PANEL_NO_NULL,
};
use crate::private::{decrypt, encrypted_cookie, id_bytes};
use crate::steps::{
    assert_greets, assert_logged_out, assert_no_set_cookie, assert_panel_says, assert_redirect,
    assert_set_cookies, assert_status, cookie_header, cookie_value, in_the_panel, log_in,
    logged_in, panel_row, poll, start, start_with,
};
use crate::{App, Check, Failure, Program, Response, Settings};

const CHANGED: &str =
    "Chapter 6, “What changed since lesson 05” (docs/src/lesson-06.md#what-changed-since-lesson-05)";
const RECEIVES: &str =
    "Chapter 6, “What the browser receives” (docs/src/lesson-06.md#what-the-browser-receives)";
const PITFALLS: &str = "Chapter 6, “Pitfalls” (docs/src/lesson-06.md#pitfalls)";
const RECORDS: &str = "Chapter 6, “When records go” (docs/src/lesson-06.md#when-records-go)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "the cookie `session` holds only an id: the panel shows the id and what the store holds under it",
        RECEIVES,
        the_cookie_holds_only_an_id,
    )
    .the_point()
    .restarting(),
    Check::new(UNGUESSABLE, PITFALLS, session_ids_cannot_be_guessed)
        .the_point()
        .restarting(),
    Check::new(
        "the panel says when the store does not hold the session the cookie names",
        CHANGED,
        the_panel_says_the_store_does_not_hold_it,
    )
    .the_point(),
    Check::new(FOREIGN_SESSION, PITFALLS, foreign_sessions_are_not_let_in_06).restarting(),
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
        RECORDS,
        the_store_forgets_an_expired_session,
    )
    .restarting()
    .waiting(),
    Check::new(PANEL_OVER, RECORDS, the_panel_says_an_expired_session_is_over).restarting()
    .waiting(),
    Check::new(
        "restarted, a memory store has forgotten every session, even with the same secret key",
        PITFALLS,
        a_restart_forgets_every_session,
    )
    .the_point()
    .restarting(),
];

/// Earlier checks that lesson 06 changes on purpose: logout now revokes, a restart of the memory
/// store forgets every session, and the panel describes an id instead of the session itself (of
/// an expired one too: [`PANEL_OVER`]); and lesson 05's first and last names, which lesson 06 does
/// not keep.
pub(crate) const DROPS: &[&str] = &[
    REVOKE,
    SAME_KEY,
    EXPIRY,
    PANEL_SESSION,
    PANEL_TIME_UP,
    NAMES_FORM,
    EMPTY_PROFILE,
    FIRST_NAME_ALONE,
    BLANK_NAME,
    BOTH_NAMES,
    PANEL_NO_NULL,
    NAMES_ESCAPED,
    BAD_NAMES,
];

pub(crate) const UNGUESSABLE: &str =
    "session ids cannot be guessed: 128 bits or more, different at every login and after a restart, no counting and no clock";

/// Lesson 04's panel check, which may now also find that the store has let the record go.
pub(crate) const PANEL_OVER: &str =
    "with session_lifetime = 3, the panel says the session is over once its time is up: its time is up, or the store does not hold it";

/// What the panel may say of an id the store does not hold (listed in course/tasks/06.md).
pub(crate) const SAYS_NOT_HELD: &[&str] = &[
    "does not hold",
    "not in the store",
    "no such session",
    "unknown session",
    "not held",
];

/// Logs in as `name` on `app` (started with test-only key 0) and returns the id its cookie
/// `session` holds, with the `Cookie:` header.
fn log_in_for_id(app: &App, name: &str) -> Result<(String, String), Failure> {
    let response = log_in(app, name)?;
    Ok((id_in(&response)?, cookie_header(&[], &response)?))
}

/// The id that the response's cookie `session` holds, under test-only key 0.
pub(crate) fn id_in(response: &Response) -> Result<String, Failure> {
    let sent = cookie_value(response, "session")?;
    decrypt(0, "session", &sent).ok_or_else(|| {
        Failure::of(
            "a cookie `session` that decrypts with the key the program was started with",
            response,
        )
    })
}

/// Expects `id` to be an id of 128 bits or more, in hex, base64 or a uuid: its bytes.
fn id_of_128_bits(id: &str) -> Result<Vec<u8>, Failure> {
    match id_bytes(id) {
        Some(bytes) if bytes.len() >= 16 => Ok(bytes),
        _ => Err(Failure::new(
            "the cookie `session` holding only an id of 128 bits or more (16 bytes, in hex, \
             base64 or a uuid)",
            format!("it decrypts to {id:?}"),
        )),
    }
}

fn the_cookie_holds_only_an_id(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &with_key(0))?;
    let (id, cookie) = log_in_for_id(&app, "Timothy")?;
    id_of_128_bits(&id)?;
    if id.contains("Timothy") {
        return Err(Failure::new(
            "an id that does not hold the name",
            format!("the cookie `session` decrypts to {id:?}"),
        ));
    }
    let page = app.get("/", &[&cookie]);
    let meaning = panel_row(&page, "session")?.meaning;
    if meaning.contains(&id) && meaning.contains("Timothy") {
        Ok(())
    } else {
        Err(in_the_panel(
            format!(
                "the panel's row for `session` showing the id {id:?} and what the store holds \
                 under it (the name Timothy)"
            ),
            &page,
        ))
    }
}

fn session_ids_cannot_be_guessed(program: &dyn Program) -> Result<(), Failure> {
    ids_cannot_be_guessed(program, log_in_for_id)
}

/// A way to log in a user of a given name: the id the cookie `session` holds, and the `Cookie:`
/// header.
pub(crate) type LogInForId = fn(&App, &str) -> Result<(String, String), Failure>;

/// Logs in 24 users with `log_in_for_id` (which returns the id the cookie `session` holds, and the
/// `Cookie:` header), restarts the program, logs in 4 more, and expects ids of 128 bits or more that
/// share no leading bytes and no byte position, as random ones do.
pub(crate) fn ids_cannot_be_guessed(
    program: &dyn Program,
    log_in_for_id: LogInForId,
) -> Result<(), Failure> {
    const LOGINS: usize = 24;
    let app = start_with(program, &with_key(0))?;
    let mut ids = Vec::new();
    for i in 0..LOGINS {
        let (id, _) = log_in_for_id(&app, &format!("User{i}"))?;
        ids.push((id_of_128_bits(&id)?, id));
    }
    drop(app);
    let again = start_with(program, &with_key(0))?;
    for i in 0..4 {
        let (id, _) = log_in_for_id(&again, &format!("After{i}"))?;
        ids.push((id_of_128_bits(&id)?, id));
    }
    let listed = || {
        ids.iter()
            .map(|(_, id)| id.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (i, (bytes, id)) in ids.iter().enumerate() {
        if let Some((_, same)) = ids[..i].iter().find(|(other, _)| other[..4] == bytes[..4]) {
            return Err(Failure::new(
                format!(
                    "{LOGINS} logins, a restart and 4 more: ids that share nothing, as random ones do"
                ),
                if same == id {
                    format!("the id {id} twice; all:\n{}", listed())
                } else {
                    format!(
                        "{same} and {id} begin with the same 4 bytes (counting, or a clock?); all:\n{}",
                        listed()
                    )
                },
            ));
        }
    }
    if let Some(position) = (0..16).find(|&p| ids.iter().all(|(bytes, _)| bytes[p] == ids[0].0[p]))
    {
        return Err(Failure::new(
            "ids whose every byte varies from login to login",
            format!("byte {position} is the same in every id:\n{}", listed()),
        ));
    }
    Ok(())
}

/// A store may keep an expired record until a login sweeps it (the panel can then say that its
/// time is up) or remove it when it is read (the panel then finds no record): either is right.
fn the_panel_says_an_expired_session_is_over(program: &dyn Program) -> Result<(), Failure> {
    let either = [SAYS_TIME_UP, SAYS_NOT_HELD].concat();
    panel_once_the_time_is_up(program, &either)
}

fn the_panel_says_the_store_does_not_hold_it(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let copy = logged_in(&app, "Tim")?;
    assert_redirect(&app.get("/logout", &[&copy]), "/login")?;
    assert_panel_says(&app.get("/", &[&copy]), "session", SAYS_NOT_HELD)
}

/// Cookies made with the key that are not a session this server issued: lesson 04's JSON, an
/// empty value, an id it never issued, lesson 02's `user`.
pub(crate) fn not_sessions_of_06() -> Vec<String> {
    vec![
        encrypted_cookie(0, "session", LESSON_04_SESSION),
        encrypted_cookie(0, "session", ""),
        encrypted_cookie(0, "session", LESSON_06_ID),
        encrypted_cookie(0, "user", "Tim"),
    ]
}

fn foreign_sessions_are_not_let_in_06(program: &dyn Program) -> Result<(), Failure> {
    foreign_sessions_are_not_let_in(program, &not_sessions_of_06())
}

fn logging_out_revokes_a_copy(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let copy = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&copy]);
    assert_redirect(&response, "/login")?;
    assert_status(&app.get("/", &[&copy]), 200)?;
    assert_logged_out(&app, &copy)
}

fn a_login_issues_a_new_id(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let before = logged_in(&app, "Tim")?;
    let response = app.post_form("/login", "nm=Tim", &[&before]);
    assert_redirect(&response, "/user")?;
    let after = cookie_header(&[&before], &response)?;
    assert_greets(&app.get("/user", &[&after]), "Tim")?;
    assert_redirect(&app.get("/user", &[&before]), "/login")
}

fn log_out_everywhere_ends_every_session_of_the_user(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = logged_in(&app, "Tim")?;
    let elsewhere = cookie_header(&[], &log_in_kept(&app)?)?;
    let someone_else = logged_in(&app, "Ann")?;
    let response = app.post_form("/logout/everywhere", "", &[&here]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_SESSION])?;
    let after = cookie_header(&[&here], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")?;
    assert_redirect(&app.get("/user", &[&elsewhere]), "/login")?;
    assert_greets(&app.get("/user", &[&someone_else]), "Ann")
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
    assert_greets(&app.get("/user", &[&copy]), "Tim")?;
    poll(Duration::from_secs(SHORT + 3), || {
        assert_redirect(&app.get("/user", &[&copy]), "/login")
    })?;
    assert_status(&app.get("/", &[&copy]), 200)?;
    assert_logged_out(&app, &copy)
}

fn a_restart_forgets_every_session(program: &dyn Program) -> Result<(), Failure> {
    let before = start_with(program, &with_key(0))?;
    let cookie = logged_in(&before, "Tim")?;
    drop(before);
    let after = start_with(program, &with_key(0))?;
    assert_status(&after.get("/", &[&cookie]), 200)?;
    assert_logged_out(&after, &cookie)
}
