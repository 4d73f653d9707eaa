//! Lesson 03, logging out: two values in the session (`user` and `colour`), so that "log out"
//! (pop one) and "forget me" (clear all) differ visibly, and a one-time goodbye message.

use crate::lesson_01::LOGOUT;
use crate::steps::{
    assert_no_set_cookie, assert_page, assert_page_lacks, assert_page_says, assert_redirect,
    assert_set_cookies, assert_status, cookie_header, cookie_value, logged_in, percent_decode,
    start,
};
use crate::{App, Check, Failure, Program};

const CHANGED: &str =
    "Chapter 3, “What changed since lesson 02” (docs/src/lesson-03.md#what-changed-since-lesson-02)";
const RECEIVES: &str =
    "Chapter 3, “What the browser receives” (docs/src/lesson-03.md#what-the-browser-receives)";
const PITFALLS: &str = "Chapter 3, “Pitfalls” (docs/src/lesson-03.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(COLOUR_COOKIE, RECEIVES, choosing_a_colour_sets_a_second_cookie).the_point(),
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
        "the panel shows `_flash` as sent, in plain text",
        CHANGED,
        the_panel_shows_the_goodbye_in_plain_text,
    )
    .the_point(),
    Check::new(
        PANEL_COLOUR,
        CHANGED,
        the_panel_shows_the_colour,
    )
    .the_point(),
    Check::new(
        "a name with HTML in it is escaped in the goodbye",
        PITFALLS,
        html_is_escaped_in_the_goodbye,
    )
    .the_point(),
    Check::new(
        "“Forget me” with nothing kept is a plain redirect to /login, no Set-Cookie",
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
    Check::new(
        "logging out twice: the second time sends no Set-Cookie",
        PITFALLS,
        logging_out_twice_is_fine,
    ),
    Check::new(
        LOGOUT_FORGED,
        PITFALLS,
        logging_out_with_a_forged_cookie_deletes_it,
    ),
    Check::new(
        FORGED_COLOUR,
        CHANGED,
        a_forged_colour_is_ignored,
    ),
    Check::new(
        "choosing a colour without logging in redirects to /login and stores nothing",
        CHANGED,
        choosing_a_colour_needs_a_login,
    )
    .the_point(),
    Check::new(
        "a bad colour (empty, unknown, `Blue`, 4000 characters, no field) gets a message and 422, and the colour stays",
        CHANGED,
        bad_colours_are_refused,
    )
    .the_point(),
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
    "after logging out, the login page says “You have been logged out, Tim.” once, and deletes `_flash`";
pub(crate) const GOODBYE_PLAIN: &str =
    "the goodbye travels in a plain cookie: `_flash=7%3AsuccessYou%20have%20been%20logged%20out%2C%20Tim.; SameSite=Strict; Path=/; Max-Age=300`";
pub(crate) const PANEL_COLOUR: &str = "the panel shows the colour the cookie `colour` decrypts to";
pub(crate) const FORGET_OTHERS: &str =
    "“Forget me” leaves other lessons' cookies (`theme=dark`) alone";
pub(crate) const LOGOUT_FORGED: &str =
    "logging out with a forged `user=admin` deletes it, without a goodbye";
pub(crate) const FORGED_COLOUR: &str =
    "a forged `colour=blue` is ignored (the panel says it could not be decrypted)";
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
pub(crate) const GOODBYE_TIM: &str =
    "_flash=7%3AsuccessYou%20have%20been%20logged%20out%2C%20Tim.; SameSite=Strict; Path=/; Max-Age=300";
/// What the login page says while the session still holds blue (in words that later lessons,
/// which list more values, keep).
pub(crate) const REMEMBERS_BLUE: [&str; 2] = ["still remembers", SHOWS_BLUE];
/// How a page shows the colour blue.
pub(crate) const SHOWS_BLUE: &str = "colour: <strong>blue</strong>";

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
        return Err(Failure {
            expected: "a value that does not show the colour".to_owned(),
            got: format!("colour={value}"),
        });
    }
    let after = cookie_header(&[&cookie], &response)?;
    assert_page(&app.get("/user", &[&after]), &[SHOWS_BLUE])
}

fn logging_out_removes_only_the_user(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_USER, GOODBYE_TIM])?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")?;
    assert_page(&app.get("/login", &[&after]), &REMEMBERS_BLUE)
}

fn forget_me_removes_both(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.post_form("/forget", "", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(
        &response,
        &[
            REMOVAL_USER,
            REMOVAL_COLOUR,
            "_flash=7%3AsuccessYour%20name%20and%20colour%20are%20forgotten.; SameSite=Strict; Path=/; Max-Age=300",
        ],
    )?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_redirect(&app.get("/user", &[&after]), "/login")?;
    let page = app.get("/login", &[&after]);
    assert_page(&page, &["Your name and colour are forgotten."])?;
    assert_page_lacks(&page, &["still remembers"])
}

fn the_goodbye_appears_once(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let after_logout = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    let first = app.get("/login", &[&after_logout]);
    assert_page(
        &first,
        &[r#"<p class="message" role="status">You have been logged out, Tim.</p>"#],
    )?;
    assert_set_cookies(&first, &[REMOVAL_FLASH])?;
    let after_reading = cookie_header(&[&after_logout], &first)?;
    let again = app.get("/login", &[&after_reading]);
    assert_page(&again, &REMEMBERS_BLUE)?;
    assert_page_lacks(&again, &["You have been logged out"])
}

fn the_goodbye_travels_in_a_plain_cookie(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&cookie]);
    assert_set_cookies(&response, &[REMOVAL_USER, GOODBYE_TIM])
}

fn the_panel_shows_the_goodbye_in_plain_text(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let after = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    assert_page(
        &app.get("/login", &[&after]),
        &[
            "<code>_flash</code>",
            "<code>7:successYou have been logged out, Tim.</code>",
            "in plain text (not encrypted)",
        ],
    )
}

fn the_panel_shows_the_colour(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    assert_page(
        &app.get("/", &[&cookie]),
        &[
            "<code>colour</code>",
            "Decrypted with this server&#x27;s key: your favourite colour is blue.",
        ],
    )
}

fn html_is_escaped_in_the_goodbye(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "<b>Tim</b>")?;
    let after = cookie_header(&[&cookie], &app.get("/logout", &[&cookie]))?;
    let page = app.get("/login", &[&after]);
    assert_page(
        &page,
        &["You have been logged out, &lt;b&gt;Tim&lt;&#x2F;b&gt;."],
    )?;
    assert_page_lacks(&page, &["<b>"])
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
        return Err(Failure {
            expected: "no Set-Cookie for `theme`".to_owned(),
            got: touched.join("\n"),
        });
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
    assert_page(&page, &["Could not be decrypted"])?;
    assert_page_lacks(&page, &["still remembers"])
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
    let on_offer = "Please choose one of the colours on offer.";
    let long = format!("colour={}", "blue".repeat(1000));
    for (body, message) in [
        ("colour=", "Please choose a colour."),
        ("colour=%3Cb%3Emagenta", on_offer),
        ("colour=Blue", on_offer),
        (long.as_str(), on_offer),
        ("color=blue", "the field `colour` was missing"),
    ] {
        let response = app.post_form("/colour", body, &[&cookie]);
        assert_status(&response, 422)?;
        assert_no_set_cookie(&response)?;
        assert_page_says(
            &response,
            &[
                message,
                "Hello, Tim",
                r#"<select id="colour" name="colour">"#,
            ],
        )?;
        assert_page_lacks(&response, &["<b>magenta"])?;
    }
    assert_page(&app.get("/user", &[&cookie]), &[SHOWS_BLUE])
}

fn logout_cannot_revoke_a_copy(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let copy = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&copy]);
    assert_redirect(&response, "/login")?;
    let removal = response.header_values("Set-Cookie");
    if !removal.iter().any(|line| line.contains("; Max-Age=0")) {
        return Err(Failure {
            expected: "a removal of the session's cookie".to_owned(),
            got: removal.join("\n"),
        });
    }
    assert_page(&app.get("/user", &[&copy]), &["Hello, Tim"])
}
