//! Lesson 05, the session in templates: every page gets the session, and the templates decide the
//! navigation ("Logged in as Tim · Log out" or "Log in") and show the optional values (first name,
//! last name, typed at login) only when they are set.

use crate::html::Html;
use crate::lesson_04::shown_json;
use crate::lesson_04::REMOVAL_SESSION;
use crate::steps::{
    assert_does_not_show, assert_field_value, assert_greets, assert_has_a_message,
    assert_no_markup, assert_no_set_cookie, assert_redirect, assert_set_cookies, assert_shows,
    assert_status, cookie_header, failure_in_main, in_the_panel, logged_in, panel_row, start,
    submit_login,
};
use crate::{App, Check, Failure, Program, Response};

const CODE: &str = "Chapter 5, “The Rocket code” (docs/src/lesson-05.md#the-rocket-code)";
const CHANGED: &str =
    "Chapter 5, “What changed since lesson 04” (docs/src/lesson-05.md#what-changed-since-lesson-04)";
const RECEIVES: &str =
    "Chapter 5, “What the browser receives” (docs/src/lesson-05.md#what-the-browser-receives)";
const PITFALLS: &str = "Chapter 5, “Pitfalls” (docs/src/lesson-05.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "logged out, the navigation of every page says “Log in”",
        CODE,
        the_navigation_says_log_in,
    )
    .the_point(),
    Check::new(
        "logged in as Tim, the navigation of every page says “Logged in as Tim · Log out”",
        CODE,
        the_navigation_says_who_is_logged_in,
    )
    .the_point(),
    Check::new(
        "after logging out, the navigation says “Log in” again",
        CODE,
        the_navigation_follows_a_logout,
    )
    .the_point(),
    Check::new(NAMES_FORM, CHANGED, the_login_form_asks_for_names).the_point(),
    Check::new(EMPTY_PROFILE, CHANGED, an_empty_profile_shows_nothing).the_point(),
    Check::new(FIRST_NAME_ALONE, CHANGED, a_first_name_alone_appears).the_point(),
    Check::new(BLANK_NAME, CHANGED, a_blank_name_is_not_kept),
    Check::new(BOTH_NAMES, CHANGED, both_names_appear).the_point(),
    Check::new(
        "logging out forgets everything (Flask's `session.clear()`): one removal of `session`",
        RECEIVES,
        logging_out_forgets_everything,
    ),
    Check::new(PANEL_NO_NULL, RECEIVES, the_panel_leaves_out_unset_values).the_point(),
    Check::new(NAMES_ESCAPED, PITFALLS, html_in_names_is_escaped).the_point(),
    Check::new(BAD_NAMES, CHANGED, bad_names_are_refused).the_point(),
];

/// Lesson 04's logout check is replaced by one that says what is forgotten.
pub(crate) const DROPS: &[&str] = &[crate::lesson_04::LOGOUT_DELETES];

// The names lesson 06 drops, spelled once.
pub(crate) const NAMES_FORM: &str =
    "the login form asks for a first and a last name, both optional";
pub(crate) const EMPTY_PROFILE: &str =
    "with no names typed, the profile on /user is empty: no “First name:” nor “Last name:”";
pub(crate) const FIRST_NAME_ALONE: &str =
    "a first name alone is kept in `session`, greets you and appears in the profile; no “Last name:” line";
pub(crate) const BLANK_NAME: &str =
    "a first name of only spaces is not kept: the greeting says Tim";
pub(crate) const BOTH_NAMES: &str = "both names appear in the profile";
pub(crate) const PANEL_NO_NULL: &str =
    "the panel shows the session's JSON with only the values that are set (no null)";
pub(crate) const NAMES_ESCAPED: &str =
    "HTML in a name is escaped in the navigation, the greeting and the profile";
pub(crate) const BAD_NAMES: &str =
    "a bad first or last name (51 characters, a line break) gets a message and 422, what was typed, and no cookie";

/// The page's `<nav>`: whether it links to `/login` and to `/logout`, and its text.
struct Nav {
    to_login: bool,
    to_logout: bool,
    text: String,
}

fn nav(response: &Response) -> Result<Nav, Failure> {
    assert_status(response, 200)?;
    let html = Html::parse(&response.body);
    let nav = html
        .find(("nav", &[]), None)
        .ok_or_else(|| failure_in_main("a <nav> on the page", response))?;
    let links_to = |href| {
        html.find(("a", &[("href", Some(href))]), Some(nav))
            .is_some()
    };
    Ok(Nav {
        to_login: links_to("/login"),
        to_logout: links_to("/logout"),
        text: html.text(Some(nav), &[]),
    })
}

/// Expects the navigation of a visitor who is not logged in: a link to `/login`, none to
/// `/logout`.
fn assert_nav_logged_out(response: &Response) -> Result<(), Failure> {
    let nav = nav(response)?;
    if nav.to_login && !nav.to_logout {
        Ok(())
    } else {
        Err(failure_in_main(
            "a <nav> with a link to /login (“Log in”) and none to /logout",
            response,
        ))
    }
}

/// Expects the navigation of `name`, logged in: the name, and a link to `/logout`.
fn assert_nav_logged_in(response: &Response, name: &str) -> Result<(), Failure> {
    let nav = nav(response)?;
    if nav.text.contains(name) && nav.to_logout && !nav.to_login {
        Ok(())
    } else {
        Err(failure_in_main(
            format!("a <nav> that shows {name:?} and links to /logout (“Log out”), not to /login"),
            response,
        ))
    }
}

/// The profile's labels, as the task names them.
const LABELS: [&str; 2] = ["First name", "Last name"];

/// Logs in with the form `body` (`nm=…&firstName=…&lastName=…`): returns the `Cookie:` header.
fn logged_in_with(app: &App, body: &str) -> Result<String, Failure> {
    let response = submit_login(app, body, &[])?;
    cookie_header(&[], &response)
}

fn the_navigation_says_log_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    for path in ["/", "/login"] {
        assert_nav_logged_out(&app.get(path, &[]))?;
    }
    Ok(())
}

fn the_navigation_says_who_is_logged_in(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    for path in ["/", "/user"] {
        assert_nav_logged_in(&app.get(path, &[&cookie]), "Tim")?;
    }
    Ok(())
}

fn the_navigation_follows_a_logout(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    let after = cookie_header(&[&cookie], &response)?;
    for path in ["/", "/login"] {
        assert_nav_logged_out(&app.get(path, &[&after]))?;
    }
    Ok(())
}

fn the_login_form_asks_for_names(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let page = app.get("/login", &[]);
    assert_status(&page, 200)?;
    let html = Html::parse(&page.body);
    let form = html.find(("form", &[("action", Some("/login"))]), None);
    for field in ["firstName", "lastName"] {
        let input = html.find(("input", &[("name", Some(field))]), form);
        let optional = input.is_some_and(|input| input.attr("required").is_none());
        if !optional {
            return Err(failure_in_main(
                format!("the login form with an optional field `{field}` (not `required`)"),
                &page,
            ));
        }
    }
    Ok(())
}

fn an_empty_profile_shows_nothing(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    // The profile, where the names go when they are typed.
    let named = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=Lee")?;
    let page = app.get("/user", &[&named]);
    for label in LABELS {
        assert_shows(&page, label, &[])?;
    }
    let cookie = logged_in_with(&app, "nm=Tim&firstName=&lastName=")?;
    let page = app.get("/user", &[&cookie]);
    assert_greets(&page, "Tim")?;
    for label in LABELS {
        assert_does_not_show(&page, label, &[])?;
    }
    Ok(())
}

fn a_first_name_alone_appears(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    let page = app.get("/user", &[&cookie]);
    assert_greets(&page, "Timothy")?;
    assert_shows(&page, "First name", &[])?;
    assert_nav_logged_in(&page, "Tim")?;
    assert_does_not_show(&page, "Last name", &[])
}

fn a_blank_name_is_not_kept(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=+%20+&lastName=")?;
    let page = app.get("/user", &[&cookie]);
    // Outside the navigation, which shows the login name anyway.
    assert_status(&page, 200)?;
    assert_shows(&page, "Tim", &["nav"])?;
    assert_does_not_show(&page, "First name", &[])
}

fn both_names_appear(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let body = "nm=Tim&firstName=Timothy&lastName=Berners-Lee";
    let cookie = logged_in_with(&app, body)?;
    let page = app.get("/user", &[&cookie]);
    assert_greets(&page, "Timothy")?;
    assert_shows(&page, "Berners-Lee", &[])?;
    for label in LABELS {
        assert_shows(&page, label, &[])?;
    }
    Ok(())
}

fn logging_out_forgets_everything(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    let response = app.get("/logout", &[&cookie]);
    assert_redirect(&response, "/login")?;
    assert_set_cookies(&response, &[REMOVAL_SESSION])?;
    let after = cookie_header(&[&cookie], &response)?;
    assert_does_not_show(&app.get("/login", &[&after]), "Timothy", &[])?;
    assert_redirect(&app.get("/user", &[&after]), "/login")
}

fn the_panel_leaves_out_unset_values(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with(&app, "nm=Tim&firstName=Timothy&lastName=")?;
    let page = app.get("/", &[&cookie]);
    let shown = shown_json(&panel_row(&page, "session")?.meaning);
    let only_set = shown.is_some_and(|json| {
        json["user"] == "Tim"
            && json["firstName"] == "Timothy"
            && json.get("lastName").is_none()
            && json
                .as_object()
                .is_some_and(|values| values.values().all(|value| !value.is_null()))
    });
    if only_set {
        Ok(())
    } else {
        Err(in_the_panel(
            "the panel's row for `session` with its JSON: \"user\": \"Tim\", \"firstName\": \
             \"Timothy\", no \"lastName\" and no null",
            &page,
        ))
    }
}

fn html_in_names_is_escaped(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let body =
        "nm=%3Cb%3ETim%3C%2Fb%3E&firstName=%3Ci%3ETimothy%3C%2Fi%3E&lastName=%22%3E%3Cscript%3E";
    let cookie = logged_in_with(&app, body)?;
    let page = app.get("/user", &[&cookie]);
    assert_nav_logged_in(&page, "<b>Tim</b>")?;
    assert_greets(&page, "<i>Timothy</i>")?;
    assert_shows(&page, "\"><script>", &[])?;
    assert_no_markup(&page, &["b", "i", "script"])
}

fn bad_names_are_refused(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let long = "x".repeat(51);
    let plain = app.get("/login", &[]);
    for (body, first_name) in [
        (format!("nm=Tim&firstName={long}&lastName="), long.as_str()),
        (
            "nm=Tim&firstName=Tim&lastName=Lee%0ASet-Cookie".to_owned(),
            "Tim",
        ),
    ] {
        let response = app.post_form("/login", &body, &[]);
        assert_status(&response, 422)?;
        assert_no_set_cookie(&response)?;
        assert_field_value(&response, "firstName", first_name)?;
        assert_has_a_message(&response, &plain)?;
    }
    Ok(())
}
