//! Lesson 04, permanent sessions: the whole session in ONE encrypted cookie `session` that carries
//! its own expiry, which the server enforces; "Keep me signed in" chooses `Max-Age` + `Expires`
//! (moved forward on every request) or a browser-session cookie; the lifetime comes from
//! `session_lifetime`.

use std::time::Duration;

use crate::lesson_02::{
    changed_cookie_is_not_let_in, cut_short_cookie_is_not_let_in, foreign_sessions_are_not_let_in,
    garbage_in_the_cookie_is_not_let_in, with_key, CUT_SHORT, ENCRYPTED_COOKIE, FOREIGN_SESSION,
    FORGED, GARBAGE, LESSON_06_ID, NONCE, PANEL_DECRYPTED, PANEL_UNREADABLE, SAYS_UNREADABLE,
    SMALL_COOKIE, TAMPERED,
};
use crate::lesson_03::{
    BAD_COLOURS, CLEAR, COLOUR_COOKIE, COLOUR_NEEDS_LOGIN, FORGED_COLOUR, FORGET_NOTHING,
    FORGET_OTHERS, GOODBYE_ESCAPED, GOODBYE_ONCE, GOODBYE_PLAIN, LOGOUT_FORGED, LOGOUT_TWICE,
    PANEL_COLOUR, PANEL_FLASH, POP,
};
use crate::private::encrypted_cookie;
use crate::steps::{
    assert_checkbox, assert_greets, assert_logged_out, assert_no_set_cookie, assert_panel_says,
    assert_redirect, assert_set_cookies, assert_status, cookie_header, failure_in_main,
    http_date_seconds, in_the_panel, logged_in, now_seconds, panel_row, poll, set_cookie_line,
    start, start_with, submit_login, visible_text,
};
use crate::{App, Check, Failure, Program, Settings};

const RECEIVES: &str =
    "Chapter 4, “What the browser receives” (docs/src/lesson-04.md#what-the-browser-receives)";
const EXPIRED: &str =
    "Chapter 4, “Expired means refused” (docs/src/lesson-04.md#expired-means-refused)";
const CHANGED: &str =
    "Chapter 4, “What changed since lesson 03” (docs/src/lesson-04.md#what-changed-since-lesson-03)";
const PITFALLS: &str = "Chapter 4, “Pitfalls” (docs/src/lesson-04.md#pitfalls)";
const LIFETIMES: &str = "“Lifetimes and expiry” (docs/src/lifetimes.md)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(KEPT_COOKIE, RECEIVES, keep_me_signed_in_sets_max_age_and_expires).the_point(),
    Check::new(
        BROWSER_SESSION_COOKIE,
        RECEIVES,
        without_the_box_the_cookie_is_a_browser_session_cookie,
    )
    .the_point(),
    Check::new(
        "the login form has a “Keep me signed in” box, ticked",
        CHANGED,
        the_login_form_has_a_ticked_box,
    )
    .the_point(),
    Check::new(
        "a refused login form keeps the box as it was sent",
        CHANGED,
        a_refused_form_keeps_the_box,
    )
    .the_point(),
    Check::new(
        "the user page says when the session expires: in 300 seconds",
        CHANGED,
        the_user_page_says_when_the_session_expires,
    )
    .the_point(),
    Check::new(
        "every page moves a kept-signed-in session forward: a fresh `Max-Age=300` cookie",
        LIFETIMES,
        every_page_refreshes_a_kept_session,
    )
    .the_point(),
    Check::new(
        "loading pages does not refresh a browser-session cookie (no Set-Cookie)",
        LIFETIMES,
        pages_do_not_refresh_a_browser_session,
    ),
    Check::new(EXPIRY, EXPIRED, an_expired_session_is_refused)
        .the_point()
        .restarting()
    .waiting(),
    Check::new(PANEL_TIME_UP, EXPIRED, the_panel_says_the_time_is_up)
        .the_point()
        .restarting()
    .waiting(),
    Check::new(
        "with session_lifetime = 3, a kept-signed-in session that is used keeps going past 3 seconds",
        LIFETIMES,
        a_used_session_slides_past_its_lifetime,
    )
    .the_point()
    .restarting()
    .waiting(),
    Check::new(
        "session_lifetime = 30 gives the cookie `Max-Age=30`",
        CHANGED,
        the_lifetime_comes_from_the_configuration,
    )
    .the_point()
    .restarting(),
    Check::new(
        "after session_lifetime is shortened, sessions issued before obey it at once",
        EXPIRED,
        a_shortened_lifetime_applies_at_once,
    )
    .the_point()
    .restarting(),
    Check::new(
        "a session_lifetime of 0, -30 or `five` stops the launch with a message naming it",
        PITFALLS,
        a_bad_lifetime_stops_the_launch,
    )
    .the_point()
    .restarting(),
    Check::new(
        "a forged `Cookie: session=admin` is sent to /login",
        EXPIRED,
        a_forged_session_is_not_let_in,
    ),
    Check::new(
        "a cookie `session` with one character changed is sent to /login",
        EXPIRED,
        a_changed_session_is_not_let_in,
    ),
    Check::new(
        "a cookie `session` cut short, or empty, is sent to /login",
        EXPIRED,
        a_cut_short_session_is_not_let_in,
    ),
    Check::new(
        "garbage in the cookie `session` is sent to /login, never a 500",
        EXPIRED,
        garbage_in_the_session_is_not_let_in,
    ),
    Check::new(
        PANEL_SESSION,
        CHANGED,
        the_panel_shows_the_session,
    )
    .the_point(),
    Check::new(
        "the panel says when the cookie `session` could not be read",
        CHANGED,
        the_panel_says_when_the_session_could_not_be_read,
    )
    .the_point(),
    Check::new(
        LOGOUT_DELETES,
        CHANGED,
        logging_out_deletes_the_session,
    )
    .the_point(),
    Check::new(FOREIGN_SESSION, PITFALLS, foreign_sessions_are_not_let_in_04).restarting(),
];

/// Earlier checks about the cookies `user` and `colour`, which lesson 04 folds into `session`,
/// and lesson 03's colour, "forget me" and goodbye, which lesson 04 does not keep.
pub(crate) const DROPS: &[&str] = &[
    ENCRYPTED_COOKIE,
    NONCE,
    FORGED,
    TAMPERED,
    CUT_SHORT,
    GARBAGE,
    PANEL_DECRYPTED,
    PANEL_UNREADABLE,
    SMALL_COOKIE,
    COLOUR_COOKIE,
    POP,
    CLEAR,
    GOODBYE_PLAIN,
    PANEL_COLOUR,
    FORGET_OTHERS,
    LOGOUT_FORGED,
    FORGED_COLOUR,
    GOODBYE_ONCE,
    PANEL_FLASH,
    GOODBYE_ESCAPED,
    FORGET_NOTHING,
    LOGOUT_TWICE,
    COLOUR_NEEDS_LOGIN,
    BAD_COLOURS,
];

// The names later lessons keep (or replace), spelled once.
pub(crate) const KEPT_COOKIE: &str =
    "ticking “Keep me signed in” sets one cookie `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires=<in 300 s>`";
pub(crate) const BROWSER_SESSION_COOKIE: &str =
    "without the box the cookie is `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/` (gone when the browser closes)";
pub(crate) const LOGOUT_DELETES: &str =
    "logging out deletes `session` (one removal, no goodbye), and /user sends you to /login";
pub(crate) const PANEL_SESSION: &str =
    "the panel shows what `session` decrypts to (JSON) and for how many seconds it is accepted";
pub(crate) const EXPIRY: &str =
    "with session_lifetime = 3, a session is refused once its time is up, though the browser still sends it";
pub(crate) const PANEL_TIME_UP: &str =
    "with session_lifetime = 3, the panel says the session's time is up once it is";

/// What the panel may say of a session whose time is up (listed in the tasks from 04 on).
pub(crate) const SAYS_TIME_UP: &[&str] = &[
    "time is up",
    "has expired",
    "is expired",
    "expired at",
    "too old",
    "out of time",
];

pub(crate) const KEPT: &str =
    "session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires=<date>";
pub(crate) const BROWSER_SESSION: &str = "session=<encrypted>; HttpOnly; SameSite=Strict; Path=/";
pub(crate) const REMOVAL_SESSION: &str =
    "session=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>";

/// The short `session_lifetime`, in seconds, of the checks that wait for it. Not 1 or 2: the
/// server counts in whole seconds, so a session can end up to a second early, and a loaded machine
/// must still get a page in before that.
pub(crate) const SHORT: u64 = 3;

/// Logs in as Tim with "Keep me signed in" ticked; returns the response.
pub(crate) fn log_in_kept(app: &App) -> Result<test_support::Response, Failure> {
    submit_login(app, "nm=Tim&remember=on", &[])
}

/// The settings with the test-only key and a lifetime of `seconds`.
fn lasting(seconds: u64) -> Settings {
    Settings {
        session_lifetime: Some(seconds),
        ..with_key(0)
    }
}

/// The `Expires` of the cookie `name`, in seconds since 1970.
fn expires_of(response: &test_support::Response, name: &str) -> Result<i64, Failure> {
    set_cookie_line(response, name)
        .and_then(|line| line.split("; ").find_map(|a| a.strip_prefix("Expires=")))
        .and_then(http_date_seconds)
        .ok_or_else(|| {
            Failure::new(
                format!("a Set-Cookie line for `{name}` with an Expires date"),
                response.header_values("Set-Cookie").join("\n"),
            )
        })
}

fn keep_me_signed_in_sets_max_age_and_expires(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let before = now_seconds();
    let response = log_in_kept(&app)?;
    let after = now_seconds();
    assert_set_cookies(&response, &[KEPT])?;
    let expires = expires_of(&response, "session")?;
    if !(before + 299..=after + 301).contains(&expires) {
        return Err(Failure::new(
            format!("Expires 300 seconds from now ({})", before + 300),
            format!("Expires {expires}, {} seconds from now", expires - before),
        ));
    }
    Ok(())
}

fn without_the_box_the_cookie_is_a_browser_session_cookie(
    program: &dyn Program,
) -> Result<(), Failure> {
    let app = start(program)?;
    assert_set_cookies(&submit_login(&app, "nm=Tim", &[])?, &[BROWSER_SESSION])
}

fn the_login_form_has_a_ticked_box(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let page = app.get("/login", &[]);
    assert_status(&page, 200)?;
    assert_checkbox(&page, "remember", true)
}

fn a_refused_form_keeps_the_box(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let ticked = app.post_form("/login", "nm=&remember=on", &[]);
    assert_status(&ticked, 422)?;
    assert_checkbox(&ticked, "remember", true)?;
    let unticked = app.post_form("/login", "nm=", &[]);
    assert_status(&unticked, 422)?;
    assert_checkbox(&unticked, "remember", false)
}

/// Whether `text` has one of the whole numbers in `numbers` in it, as a word of its own.
fn has_number(text: &str, numbers: std::ops::RangeInclusive<i64>) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse::<i64>().ok())
        .any(|n| numbers.contains(&n))
}

fn the_user_page_says_when_the_session_expires(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    // The server counts whole seconds: a second may tick between the login and the page.
    let in_300_seconds = |page: &test_support::Response| {
        assert_status(page, 200)?;
        if has_number(&visible_text(page, &[]), 299..=300) {
            Ok(())
        } else {
            Err(failure_in_main(
                "a page that says in how many seconds the session expires: 300 (or 299)",
                page,
            ))
        }
    };
    let cookie = cookie_header(&[], &log_in_kept(&app)?)?;
    in_300_seconds(&app.get("/user", &[&cookie]))?;
    let cookie = cookie_header(&[], &submit_login(&app, "nm=Tim", &[])?)?;
    in_300_seconds(&app.get("/user", &[&cookie]))
}

fn every_page_refreshes_a_kept_session(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = cookie_header(&[], &log_in_kept(&app)?)?;
    let page = app.get("/user", &[&cookie]);
    assert_greets(&page, "Tim")?;
    assert_set_cookies(&page, &[KEPT])?;
    // The home page too: a refresh only where the user page reads the session is not "every page".
    assert_set_cookies(&app.get("/", &[&cookie]), &[KEPT])
}

fn pages_do_not_refresh_a_browser_session(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = cookie_header(&[], &submit_login(&app, "nm=Tim", &[])?)?;
    let page = app.get("/user", &[&cookie]);
    assert_greets(&page, "Tim")?;
    assert_no_set_cookie(&page)
}

fn an_expired_session_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lasting(SHORT))?;
    // Copies of the cookies as they were at login, kept and kept not signed in: the browser (or a
    // thief) keeps sending them.
    let mut copies = Vec::new();
    for login in ["nm=Tim&remember=on", "nm=Tim"] {
        let copy = cookie_header(&[], &submit_login(&app, login, &[])?)?;
        assert_greets(&app.get("/user", &[&copy]), "Tim")?;
        copies.push(copy);
    }
    for copy in &copies {
        poll(Duration::from_secs(SHORT + 3), || {
            assert_redirect(&app.get("/user", &[copy]), "/login")
        })?;
        assert_status(&app.get("/", &[copy]), 200)?;
        assert_logged_out(&app, copy)?;
    }
    Ok(())
}

fn the_panel_says_the_time_is_up(program: &dyn Program) -> Result<(), Failure> {
    panel_once_the_time_is_up(program, SAYS_TIME_UP)
}

/// Logs in unticked with `session_lifetime = 3`, waits until the session is refused, and expects
/// the panel to say one of `accepted` of the cookie the browser still sends.
pub(crate) fn panel_once_the_time_is_up(
    program: &dyn Program,
    accepted: &[&str],
) -> Result<(), Failure> {
    let app = start_with(program, &lasting(SHORT))?;
    let copy = cookie_header(&[], &submit_login(&app, "nm=Tim", &[])?)?;
    poll(Duration::from_secs(SHORT + 3), || {
        assert_redirect(&app.get("/user", &[&copy]), "/login")
    })?;
    assert_panel_says(&app.get("/", &[&copy]), "session", accepted)
}

fn a_used_session_slides_past_its_lifetime(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lasting(SHORT))?;
    let login = log_in_kept(&app)?;
    let mut cookie = cookie_header(&[], &login)?;
    let past_the_lifetime = std::time::Instant::now() + Duration::from_secs(SHORT + 2);
    // Loads a page every 300 ms, as a busy user does, until well past the lifetime.
    while std::time::Instant::now() < past_the_lifetime {
        let page = app.get("/user", &[&cookie]);
        assert_greets(&page, "Tim")?;
        assert_set_cookies(
            &page,
            &["session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age=3; Expires=<date>"],
        )?;
        cookie = cookie_header(&[&cookie], &page)?;
        std::thread::sleep(Duration::from_millis(300));
    }
    Ok(())
}

fn the_lifetime_comes_from_the_configuration(program: &dyn Program) -> Result<(), Failure> {
    let app = start_with(program, &lasting(30))?;
    assert_set_cookies(
        &log_in_kept(&app)?,
        &["session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age=30; Expires=<date>"],
    )
}

fn a_shortened_lifetime_applies_at_once(program: &dyn Program) -> Result<(), Failure> {
    let long = start_with(program, &lasting(300))?;
    let cookie = cookie_header(&[], &log_in_kept(&long)?)?;
    drop(long);
    let short = start_with(program, &lasting(SHORT))?;
    assert_redirect(&short.get("/user", &[&cookie]), "/login")
}

fn a_bad_lifetime_stops_the_launch(program: &dyn Program) -> Result<(), Failure> {
    for value in ["0", "-30", "five"] {
        assert_launch_refused(program, value, "expected a nonzero u32")?;
    }
    Ok(())
}

/// Expects the program not to start with `ROCKET_SESSION_LIFETIME=value`, and to say `message`.
fn assert_launch_refused(program: &dyn Program, value: &str, message: &str) -> Result<(), Failure> {
    let settings = Settings {
        extra_env: vec![("ROCKET_SESSION_LIFETIME".to_owned(), value.to_owned())],
        ..with_key(0)
    };
    match program.start(&settings) {
        Err(printed) if printed.contains(message) && printed.contains("SESSION_LIFETIME") => Ok(()),
        Err(printed) => Err(Failure::new(
            format!("ROCKET_SESSION_LIFETIME={value}: a message with {message:?}"),
            printed,
        )),
        Ok(_) => Err(Failure::new(
            format!("ROCKET_SESSION_LIFETIME={value}: the launch refused"),
            "it started".to_owned(),
        )),
    }
}

fn a_forged_session_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    crate::lesson_02::assert_not_let_in(&start(program)?, "session", "admin")
}

fn a_changed_session_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    changed_cookie_is_not_let_in(program, "session", "nm=Tim&remember=on")
}

fn a_cut_short_session_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    cut_short_cookie_is_not_let_in(program, "session", "nm=Tim&remember=on")
}

fn garbage_in_the_session_is_not_let_in(program: &dyn Program) -> Result<(), Failure> {
    garbage_in_the_cookie_is_not_let_in(program, "session")
}

fn the_panel_shows_the_session(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let page = app.get("/", &[&cookie]);
    let meaning = panel_row(&page, "session")?.meaning;
    let shows_tim = shown_json(&meaning).is_some_and(|json| json["user"] == "Tim");
    if shows_tim && has_number(&meaning, 290..=300) {
        Ok(())
    } else {
        Err(in_the_panel(
            "the panel's row for `session`: the JSON it decrypts to (with \"user\": \"Tim\") and \
             for how many seconds it is accepted (300 or just under)",
            &page,
        ))
    }
}

/// The JSON object a panel's sentence shows (from its first `{` to its last `}`).
pub(crate) fn shown_json(meaning: &str) -> Option<serde_json::Value> {
    let json = &meaning[meaning.find('{')?..=meaning.rfind('}')?];
    serde_json::from_str(json).ok()
}

fn the_panel_says_when_the_session_could_not_be_read(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    assert_panel_says(
        &app.get("/", &["Cookie: session=admin"]),
        "session",
        SAYS_UNREADABLE,
    )
}

/// Cookies made with the key that are not lesson 04's session: lesson 02's `user`, lesson 06's id,
/// JSON of another shape.
fn foreign_sessions_are_not_let_in_04(program: &dyn Program) -> Result<(), Failure> {
    foreign_sessions_are_not_let_in(
        program,
        &[
            encrypted_cookie(0, "user", "Tim"),
            encrypted_cookie(0, "session", LESSON_06_ID),
            encrypted_cookie(
                0,
                "session",
                r#"{"user":5,"permanent":false,"expires":"2099-01-01T00:00:00Z"}"#,
            ),
            encrypted_cookie(0, "session", r#""Tim""#),
            encrypted_cookie(0, "session", "null"),
        ],
    )
}

fn logging_out_deletes_the_session(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = cookie_header(&[], &log_in_kept(&app)?)?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_SESSION])?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")
}
