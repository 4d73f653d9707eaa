//! Lesson 03, logging out: two values in the session (`user` and `colour`), so that "log out"
//! (pop one) and "forget me" (clear all) differ visibly, and a one-time goodbye message.

use crate::lesson_01::LOGOUT;
use crate::lesson_02::SAYS_UNREADABLE;
use crate::steps::{
    assert_does_not_show, assert_greets, assert_has, assert_has_a_message, assert_login_form,
    assert_no_markup, assert_no_set_cookie, assert_panel_says, assert_redirect, assert_set_cookies,
    assert_shows, assert_status, cookie_header, cookie_value, in_the_panel, logged_in, panel_row,
    percent_decode, start,
};
use crate::{App, Check, Failure, Program, Response};

const CHANGED: &str =
    "Chapter 3, “What changed since lesson 02” (docs/src/lesson-03.md#what-changed-since-lesson-02)";
const RECEIVES: &str =
    "Chapter 3, “What the browser receives” (docs/src/lesson-03.md#what-the-browser-receives)";
const PITFALLS: &str = "Chapter 3, “Pitfalls” (docs/src/lesson-03.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        COLOUR_COOKIE,
        RECEIVES,
        choosing_a_colour_sets_a_second_cookie,
    )
    .the_point(),
    Check::new(POP, RECEIVES, logging_out_removes_only_the_user).the_point(),
    Check::new(CLEAR, RECEIVES, forget_me_removes_both).the_point(),
    Check::new(GOODBYE_ONCE, RECEIVES, the_goodbye_appears_once).the_point(),
    Check::new(
        GOODBYE_PLAIN,
        PITFALLS,
        the_goodbye_travels_in_a_plain_cookie,
    )
    .the_point(),
    Check::new(
        PANEL_FLASH,
        CHANGED,
        the_panel_shows_the_goodbye_in_plain_text,
    )
    .the_point(),
    Check::new(PANEL_COLOUR, CHANGED, the_panel_shows_the_colour).the_point(),
    Check::new(GOODBYE_ESCAPED, PITFALLS, html_is_escaped_in_the_goodbye).the_point(),
    Check::new(
        FORGET_NOTHING,
        RECEIVES,
        forget_me_with_nothing_kept_just_redirects,
    )
    .the_point(),
    Check::new(
        FORGET_OTHERS,
        PITFALLS,
        forget_me_leaves_other_cookies_alone,
    )
    .the_point(),
    Check::new(LOGOUT_TWICE, PITFALLS, logging_out_twice_is_fine),
    Check::new(
        LOGOUT_FORGED,
        PITFALLS,
        logging_out_with_a_forged_cookie_deletes_it,
    ),
    Check::new(FORGED_COLOUR, CHANGED, a_forged_colour_is_ignored),
    Check::new(COLOUR_NEEDS_LOGIN, CHANGED, choosing_a_colour_needs_a_login).the_point(),
    Check::new(BAD_COLOURS, CHANGED, bad_colours_are_refused).the_point(),
    Check::new(REVOKE, PITFALLS, logout_cannot_revoke_a_copy),
];

/// Lesson 01's logout check expected one `Set-Cookie`; logout now also sets the goodbye.
pub(crate) const DROPS: &[&str] = &[LOGOUT];

// The names later lessons keep (or replace), spelled once.
pub(crate) const COLOUR_COOKIE: &str =
    "choosing blue sets a second cookie `colour=<encrypted>; HttpOnly; SameSite=Strict; Path=/`, shown on /user";
pub(crate) const POP: &str =
    "logging out removes `user` only: the colour stays and the login page still shows it";
pub(crate) const CLEAR: &str =
    "“Forget me” removes `user` and `colour`, and the login page no longer knows the colour";
pub(crate) const GOODBYE_ONCE: &str =
    "after logging out, the login page says goodbye to Tim once, and deletes `_flash`";
pub(crate) const GOODBYE_PLAIN: &str =
    "the goodbye travels in a plain cookie anyone can read: `_flash=…Tim…; SameSite=Strict; Path=/; Max-Age=300`";
pub(crate) const PANEL_COLOUR: &str = "the panel shows the colour the cookie `colour` decrypts to";
pub(crate) const FORGET_OTHERS: &str =
    "“Forget me” leaves other lessons' cookies (`theme=dark`) alone";
pub(crate) const LOGOUT_FORGED: &str =
    "logging out with a forged `user=admin` deletes it, without a goodbye";
pub(crate) const FORGED_COLOUR: &str =
    "a forged `colour=blue` is ignored (the panel says it could not be decrypted)";
pub(crate) const PANEL_FLASH: &str = "the panel shows `_flash` as sent, in plain text";
pub(crate) const GOODBYE_ESCAPED: &str = "a name with HTML in it is escaped in the goodbye";
pub(crate) const FORGET_NOTHING: &str =
    "“Forget me” with nothing kept is a plain redirect to /login, no Set-Cookie";
pub(crate) const LOGOUT_TWICE: &str = "logging out twice: the second time sends no Set-Cookie";
pub(crate) const COLOUR_NEEDS_LOGIN: &str =
    "choosing a colour without logging in redirects to /login and stores nothing";
pub(crate) const BAD_COLOURS: &str =
    "a bad colour (empty, unknown, `Blue`, 4000 characters, no field) gets a message and 422, and the colour stays";
pub(crate) const REVOKE: &str =
    "a copy of the cookie taken before logging out still works afterwards (logout cannot revoke it)";

/// Logs in as Tim, chooses blue, and returns the `Cookie:` header a browser sends afterwards.
pub(crate) fn logged_in_with_blue(app: &App) -> Result<String, Failure> {
    let cookie = logged_in(app, "Tim")?;
    let response = app.post_form("/colour", "colour=blue", &[&cookie]);
    assert_redirect(&response, "/user")?;
    cookie_header(&[&cookie], &response)
}

pub(crate) const REMOVAL_USER: &str = "user=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>";
pub(crate) const REMOVAL_COLOUR: &str = "colour=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>";
pub(crate) const REMOVAL_FLASH: &str = "_flash=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>";
/// A one-time message in Rocket's plain cookie `_flash`, whatever it says.
pub(crate) const FLASH: &str = "_flash=<any>; SameSite=Strict; Path=/; Max-Age=300";
/// Where a page's own colour choices are: not the colour the page says is chosen.
const CHOICES: &[&str] = &["select"];

/// Expects the page to show the colour blue (outside the choices on offer).
fn assert_shows_blue(response: &Response) -> Result<(), Failure> {
    assert_status(response, 200)?;
    assert_shows(response, "blue", CHOICES)
}

/// Expects the goodbye set in `_flash` to name Tim, in plain text.
fn assert_goodbye_names_tim(response: &Response) -> Result<(), Failure> {
    let goodbye = percent_decode(&cookie_value(response, "_flash")?);
    if goodbye.contains("Tim") {
        Ok(())
    } else {
        Err(Failure::of(
            "a goodbye in `_flash` that names Tim, in plain text",
            response,
        ))
    }
}

/// What the panel may say of `_flash` (listed in course/tasks/03.md).
pub(crate) const SAYS_PLAIN: &[&str] = &["plain text", "not encrypted", "unencrypted"];

fn choosing_a_colour_sets_a_second_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let response = app.post_form("/colour", "colour=blue", &[&cookie]);
    assert_redirect(&response, "/user")?;
    assert_set_cookies(
        &response,
        &["colour=<encrypted>; HttpOnly; SameSite=Strict; Path=/"],
    )?;
    let value = percent_decode(&cookie_value(&response, "colour")?);
    if value.contains("blue") {
        return Err(Failure::new(
            "a value that does not show the colour",
            format!("colour={value}"),
        ));
    }
    let after = cookie_header(&[&cookie], &response)?;
    assert_shows_blue(&app.get("/user", &[&after]))
}

fn logging_out_removes_only_the_user(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_USER, FLASH])?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")?;
    assert_shows_blue(&app.get("/login", &[&after]))
}

fn forget_me_removes_both(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.post_form("/forget", "", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_USER, REMOVAL_COLOUR, FLASH])?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")?;
    let page = app.get("/login", &[&after]);
    assert_login_form(&page)?;
    assert_does_not_show(&page, "blue", CHOICES)
}

fn the_goodbye_appears_once(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let after_logout = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    let first = app.get("/login", &[&after_logout]);
    assert_login_form(&first)?;
    assert_shows(&first, "Tim", &[])?;
    assert_set_cookies(&first, &[REMOVAL_FLASH])?;
    let after_reading = cookie_header(&[&after_logout], &first)?;
    let again = app.get("/login", &[&after_reading]);
    assert_shows_blue(&again)?;
    assert_does_not_show(&again, "Tim", &[])
}

fn the_goodbye_travels_in_a_plain_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&cookie]);
    assert_set_cookies(&response, &[REMOVAL_USER, FLASH])?;
    assert_goodbye_names_tim(&response)
}

fn the_panel_shows_the_goodbye_in_plain_text(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let after = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    let page = app.get("/login", &[&after]);
    let row = panel_row(&page, "_flash")?;
    if !row.value.contains("Tim") {
        return Err(in_the_panel(
            "the panel's row for `_flash` showing the goodbye as sent, with Tim in it",
            &page,
        ));
    }
    assert_panel_says(&page, "_flash", SAYS_PLAIN)
}

fn the_panel_shows_the_colour(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let page = app.get("/", &[&cookie]);
    if panel_row(&page, "colour")?.meaning.contains("blue") {
        Ok(())
    } else {
        Err(in_the_panel(
            "the panel's row for `colour` saying what it decrypts to: blue",
            &page,
        ))
    }
}

fn html_is_escaped_in_the_goodbye(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "<b>Tim</b>")?;
    let after = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    let page = app.get("/login", &[&after]);
    assert_status(&page, 200)?;
    assert_shows(&page, "<b>Tim</b>", &[])?;
    assert_no_markup(&page, &["b"])
}

fn forget_me_with_nothing_kept_just_redirects(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.post_form("/forget", "", &[]);
    assert_redirect(&response, "/login")?;
    assert_no_set_cookie(&response)
}

fn forget_me_leaves_other_cookies_alone(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = format!("{}; theme=dark", logged_in_with_blue(&app)?);
    let response = app.post_form("/forget", "", &[&cookie]);
    assert_redirect(&response, "/login")?;
    let touched: Vec<&str> = response
        .header_values("Set-Cookie")
        .into_iter()
        .filter(|line| line.starts_with("theme="))
        .collect();
    if !touched.is_empty() {
        return Err(Failure::new(
            "no Set-Cookie for `theme`",
            touched.join("\n"),
        ));
    }
    assert_set_cookies(&response, &[REMOVAL_USER, REMOVAL_COLOUR, "_flash=<any>"])
}

fn logging_out_twice_is_fine(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let after = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    let again = app.get("/logout", &[&after]);
    assert_redirect(&again, "/login")?;
    assert_no_set_cookie(&again)
}

fn logging_out_with_a_forged_cookie_deletes_it(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.get("/logout", &["Cookie: user=admin"]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_USER])
}

fn a_forged_colour_is_ignored(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let page = app.get("/login", &["Cookie: colour=blue"]);
    assert_panel_says(&page, "colour", SAYS_UNREADABLE)?;
    assert_does_not_show(&page, "blue", CHOICES)
}

fn choosing_a_colour_needs_a_login(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.post_form("/colour", "colour=blue", &[]);
    assert_redirect(&response, "/login")?;
    assert_no_set_cookie(&response)
}

fn bad_colours_are_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let plain = app.get("/user", &[&cookie]);
    let long = format!("colour={}", "blue".repeat(1000));
    let choices = ("select", &[("name", Some("colour"))][..]);
    for body in [
        "colour=",
        "colour=%3Cb%3Emagenta",
        "colour=Blue",
        long.as_str(),
        "color=blue",
    ] {
        let response = app.post_form("/colour", body, &[&cookie]);
        assert_status(&response, 422)?;
        assert_no_set_cookie(&response)?;
        assert_shows(&response, "Tim", &[])?;
        assert_has(&response, choices, "the colours on offer again")?;
        assert_has_a_message(&response, &plain)?;
        assert_no_markup(&response, &["b"])?;
    }
    assert_shows_blue(&app.get("/user", &[&cookie]))
}

fn logout_cannot_revoke_a_copy(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let copy = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&copy]);
    assert_redirect(&response, "/login")?;
    let removal = response.header_values("Set-Cookie");
    if !removal.iter().any(|line| line.contains("; Max-Age=0")) {
        return Err(Failure::new(
            "a removal of the session's cookie",
            removal.join("\n"),
        ));
    }
    assert_greets(&app.get("/user", &[&copy]), "Tim")
}
