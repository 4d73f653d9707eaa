//! Lesson 01, plain cookies: the name typed into the form is kept in a cookie `user` the browser
//! can read and change, and the server believes whatever it says.

use crate::html::Html;
use crate::steps::{
    assert_field_value, assert_greets, assert_has, assert_has_a_message, assert_login_form,
    assert_login_form_again, assert_no_markup, assert_no_set_cookie, assert_redirect,
    assert_set_cookies, assert_status, cookie_header, in_the_panel, log_in, logged_in, panel_row,
    start,
};
use crate::{App, Check, Failure, Program};

const CODE: &str = "Chapter 1, “The Rocket code” (docs/src/lesson-01.md#the-rocket-code)";
const RECEIVES: &str =
    "Chapter 1, “What the browser receives” (docs/src/lesson-01.md#what-the-browser-receives)";
const ANYONE: &str =
    "Chapter 1, “Anyone can be anyone” (docs/src/lesson-01.md#anyone-can-be-anyone)";
const BAD_INPUT: &str = "Chapter 1, “Bad input” (docs/src/lesson-01.md#bad-input)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(HOME_LINKS, CODE, home_links_to_the_login_form),
    Check::new(LOGIN_FORM, CODE, the_login_page_is_a_form_with_nm),
    Check::new(
        PLAIN_COOKIE,
        RECEIVES,
        logging_in_sets_a_plain_http_only_cookie,
    )
    .the_point(),
    Check::new(GREETS, CODE, the_user_page_greets_the_name_from_the_cookie),
    Check::new(
        NO_COOKIE_TO_LOGIN,
        CODE,
        without_a_cookie_the_user_page_sends_you_to_log_in,
    ),
    Check::new(ADMIN_LET_IN, ANYONE, a_hand_made_cookie_is_believed).the_point(),
    Check::new(
        PANEL_PLAIN,
        ANYONE,
        the_panel_shows_the_cookie_in_plain_text,
    ),
    Check::new(PANEL_EMPTY, RECEIVES, the_panel_says_when_no_cookie_came),
    Check::new(LOGOUT, RECEIVES, logging_out_deletes_the_cookie),
    Check::new(
        LOGOUT_NOTHING,
        RECEIVES,
        logging_out_without_a_cookie_sends_no_set_cookie,
    ),
    Check::new(
        COOKIE_SYNTAX,
        RECEIVES,
        a_name_with_cookie_syntax_round_trips,
    ),
    Check::new(EMPTY_NAME, BAD_INPUT, an_empty_name_is_refused),
    Check::new(LONG_NAME, BAD_INPUT, a_name_over_50_characters_is_refused),
    Check::new(NO_NM, BAD_INPUT, a_form_without_nm_is_refused),
    Check::new(LINE_BREAK, BAD_INPUT, a_name_with_a_line_break_is_refused),
    Check::new(ESCAPED, BAD_INPUT, html_in_the_name_is_escaped),
    Check::new(ESCAPED_FORM, BAD_INPUT, refused_html_is_escaped_in_the_form),
];

// The names later lessons keep (or replace), spelled once.
pub(crate) const PLAIN_COOKIE: &str =
    "logging in sets the plain cookie `user=Tim; HttpOnly; SameSite=Strict; Path=/` and redirects to /user";
pub(crate) const ADMIN_LET_IN: &str = "a hand-made `Cookie: user=admin` is let in as admin";
pub(crate) const PANEL_PLAIN: &str =
    "the panel shows the cookie `user` in plain text, as the browser sent it";
pub(crate) const LOGOUT: &str =
    "logging out deletes the cookie (`user=; …; Max-Age=0; Expires=<past>`) and redirects to /login";
pub(crate) const COOKIE_SYNTAX: &str =
    "a name with `;` and `=` is percent-encoded in the cookie and greeted as typed";
pub(crate) const HOME_LINKS: &str = "the home page links to the login form";
pub(crate) const LOGIN_FORM: &str = "the login page is a form that posts the field `nm` to /login";
pub(crate) const GREETS: &str = "after logging in as Tim, /user says “Hello, Tim”";
pub(crate) const NO_COOKIE_TO_LOGIN: &str = "/user without a cookie redirects to /login";
pub(crate) const PANEL_EMPTY: &str =
    "the panel says “No cookies came with this request.” when none came";
pub(crate) const LOGOUT_NOTHING: &str = "logging out with no cookie sends no Set-Cookie at all";
pub(crate) const EMPTY_NAME: &str =
    "an empty or blank name is refused: status 422, the form again with a message, no cookie";
pub(crate) const LONG_NAME: &str =
    "a name of 51 characters is refused with a message and status 422; 50 are accepted";
pub(crate) const NO_NM: &str = "a form without the field `nm` gets a message and status 422";
pub(crate) const LINE_BREAK: &str =
    "a name with a line break is refused with a message and status 422";
pub(crate) const ESCAPED: &str =
    "a name with HTML in it is shown escaped on /user, never as markup";
pub(crate) const ESCAPED_FORM: &str =
    "a refused name with HTML in it is escaped in the form shown again";

fn home_links_to_the_login_form(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let link = ("a", &[("href", Some("/login"))][..]);
    assert_has(&app.get("/", &[]), link, "a link to /login")
}

fn the_login_page_is_a_form_with_nm(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    assert_login_form(&app.get("/login", &[]))
}

fn logging_in_sets_a_plain_http_only_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = log_in(&app, "Tim")?;
    assert_set_cookies(&response, &["user=Tim; HttpOnly; SameSite=Strict; Path=/"])
}

fn the_user_page_greets_the_name_from_the_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    assert_greets(&app.get("/user", &[&cookie]), "Tim")
}

fn without_a_cookie_the_user_page_sends_you_to_log_in(
    program: &dyn Program,
) -> Result<(), Failure> {
    let app = start(program)?;
    assert_redirect(&app.get("/user", &[]), "/login")
}

fn a_hand_made_cookie_is_believed(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    assert_greets(&app.get("/user", &["Cookie: user=admin"]), "admin")
}

fn the_panel_shows_the_cookie_in_plain_text(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let page = app.get("/", &[&cookie]);
    let row = panel_row(&page, "user")?;
    if row.value == "Tim" {
        Ok(())
    } else {
        Err(in_the_panel(
            "the panel's row for `user` showing the value `Tim`, as sent",
            &page,
        ))
    }
}

/// What the panel may say when no cookie came (listed in course/tasks/01.md).
pub(crate) const SAYS_NO_COOKIE: &[&str] = &[
    "No cookies came with this request",
    "no cookies came",
    "no cookie came",
    "no cookies were sent",
    "sent no cookies",
];

fn the_panel_says_when_no_cookie_came(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let page = app.get("/", &[]);
    assert_status(&page, 200)?;
    let html = Html::parse(&page.body);
    let said = html
        .panel()
        .map(|panel| html.text(Some(panel), &[]).to_lowercase());
    match said {
        Some(said)
            if SAYS_NO_COOKIE
                .iter()
                .any(|s| said.contains(&s.to_lowercase())) =>
        {
            Ok(())
        }
        _ => Err(in_the_panel(
            format!("the panel saying one of: {}", SAYS_NO_COOKIE.join(" / ")),
            &page,
        )),
    }
}

fn logging_out_deletes_the_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(
        &response,
        &["user=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>"],
    )?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")
}

fn logging_out_without_a_cookie_sends_no_set_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.get("/logout", &[]);
    assert_redirect(&response, "/login")?;
    assert_no_set_cookie(&response)
}

fn a_name_with_cookie_syntax_round_trips(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = log_in(&app, "Tim; admin=true")?;
    assert_set_cookies(
        &response,
        &["user=Tim%3B%20admin%3Dtrue; HttpOnly; SameSite=Strict; Path=/"],
    )?;
    let cookie = cookie_header(&[], &response)?;
    assert_greets(&app.get("/user", &[&cookie]), "Tim; admin=true")
}

/// Posts the login form `body`: expects the form again with a message (text the form alone does
/// not have), a 422 and no cookie.
pub(crate) fn assert_refused(app: &App, body: &str) -> Result<(), Failure> {
    let response = app.post_form("/login", body, &[]);
    assert_status(&response, 422)?;
    assert_no_set_cookie(&response)?;
    assert_login_form_again(&response)?;
    assert_has_a_message(&response, &app.get("/login", &[]))
}

fn an_empty_name_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    assert_refused(&app, "nm=")?;
    assert_refused(&app, "nm=+%20%09+")
}

fn a_name_over_50_characters_is_refused(program: &dyn Program) -> Result<(), Failure> {
    let longest = "x".repeat(50);
    let app = start(program)?;
    log_in(&app, &longest)?;
    assert_refused(&app, &format!("nm={longest}x"))
}

fn a_form_without_nm_is_refused(program: &dyn Program) -> Result<(), Failure> {
    assert_refused(&start(program)?, "name=Tim")
}

fn a_name_with_a_line_break_is_refused(program: &dyn Program) -> Result<(), Failure> {
    assert_refused(&start(program)?, "nm=Tim%0ASet-Cookie")
}

fn html_in_the_name_is_escaped(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "<script>alert(1)</script>")?;
    let page = app.get("/user", &[&cookie]);
    assert_greets(&page, "<script>alert(1)</script>")?;
    assert_no_markup(&page, &["script"])
}

fn refused_html_is_escaped_in_the_form(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let typed = format!("\"><script>{}", "x".repeat(50));
    let response = app.post_form("/login", &crate::steps::name_field(&typed), &[]);
    assert_status(&response, 422)?;
    assert_field_value(&response, "nm", &typed)?;
    assert_no_markup(&response, &["script"])
}
