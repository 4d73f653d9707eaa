//! Challenge 03, "Forget my colour": the other half of lesson 03's logout. `POST /colour/forget`
//! removes the colour only (the user stays logged in) and says so once on /user, as a flash.

use crate::challenges::{tags, text_of, without_id};
use crate::steps::{
    assert_greets, assert_no_set_cookie, assert_redirect, assert_status, cookie_header, describe,
    logged_in, set_cookie_line, start,
};
use crate::{App, Check, Failure, Program, Response};

const TASK: &str = "Challenge 03 (course/challenges/03.md)";
const FLASH: &str =
    "Chapter 3, “What the browser receives” (docs/src/lesson-03.md#what-the-browser-receives)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(ONLY_COLOUR, TASK, forgetting_removes_the_colour_only).the_point(),
    Check::new(ONCE, FLASH, the_page_says_so_once).the_point(),
    Check::new(NEEDS_LOGIN, TASK, forgetting_needs_a_login).the_point(),
    Check::new(NEEDS_POST, TASK, a_link_cannot_forget),
];

pub(crate) const ONLY_COLOUR: &str =
    "“Forget my colour” (POST /colour/forget) removes `colour` only and sends you to /user: still logged in, no colour selected";
pub(crate) const ONCE: &str =
    "after “Forget my colour”, /user says “Your colour is forgotten.” once";
pub(crate) const NEEDS_LOGIN: &str =
    "“Forget my colour” without a login sends you to /login and changes no cookie";
pub(crate) const NEEDS_POST: &str =
    "GET /colour/forget forgets nothing: forgetting takes a POST (a link or a prefetch must not)";

const MESSAGE: &str = "Your colour is forgotten.";

/// Logs in as Tim, chooses blue, and returns the `Cookie:` header a browser sends afterwards.
fn logged_in_with_blue(app: &App) -> Result<String, Failure> {
    let cookie = logged_in(app, "Tim")?;
    let response = app.post_form("/colour", "colour=blue", &[&cookie]);
    assert_redirect(&response, "/user")?;
    cookie_header(&[&cookie], &response)
}

/// The values of the `<option>`s marked `selected` on the page.
fn selected_options(response: &Response) -> Vec<String> {
    tags(&response.body)
        .into_iter()
        .filter(|tag| tag.name == "option" && tag.has("selected"))
        .map(|tag| tag.attribute("value").unwrap_or_default().to_owned())
        .collect()
}

/// Expects /user, as the browser with `cookie`, to greet Tim with `selected` the chosen colours.
fn expect_user_page(app: &App, cookie: &str, selected: &[&str]) -> Result<Response, Failure> {
    let page = app.get("/user", &[cookie]);
    assert_greets(&page, "Tim")?;
    let shown = selected_options(&page);
    if shown != selected {
        return Err(Failure {
            request: String::new(),
            expected: format!("/user with the options {selected:?} selected"),
            got: format!("selected: {shown:?}\n{}", describe(&page)),
        });
    }
    Ok(page)
}

fn forgetting_removes_the_colour_only(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    expect_user_page(&app, &cookie, &["blue"])?;
    let response = app.post_form("/colour/forget", "", &[&cookie]);
    assert_redirect(&response, "/user")?;
    let removes_colour =
        set_cookie_line(&response, "colour").is_some_and(|line| line.contains("Max-Age=0"));
    if !removes_colour || set_cookie_line(&response, "user").is_some() {
        return Err(Failure {
            request: String::new(),
            expected:
                "a removal of `colour` (`colour=; … Max-Age=0 …`), and no Set-Cookie for `user`"
                    .to_owned(),
            got: describe(&response),
        });
    }
    let after = cookie_header(&[&cookie], &response)?;
    expect_user_page(&app, &after, &[])?;
    Ok(())
}

fn the_page_says_so_once(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.post_form("/colour/forget", "", &[&cookie]);
    assert_redirect(&response, "/user")?;
    let after = cookie_header(&[&cookie], &response)?;
    let page = app.get("/user", &[&after]);
    assert_status(&page, 200)?;
    // The panel shows the `_flash` cookie's value, message and all: the page is read without it.
    let shown = |page: &Response| text_of(&without_id(&page.body, "sent"));
    let removes_flash =
        set_cookie_line(&page, "_flash").is_some_and(|line| line.contains("Max-Age=0"));
    if !shown(&page).contains(MESSAGE) || !removes_flash {
        return Err(Failure {
            request: String::new(),
            expected: format!("/user saying {MESSAGE:?} outside the panel, and removing `_flash`"),
            got: describe(&page),
        });
    }
    let again = app.get("/user", &[&cookie_header(&[&after], &page)?]);
    assert_status(&again, 200)?;
    if shown(&again).contains(MESSAGE) {
        return Err(Failure {
            request: String::new(),
            expected: format!("the next /user without {MESSAGE:?}"),
            got: describe(&again),
        });
    }
    Ok(())
}

fn forgetting_needs_a_login(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let logout = app.get("/logout", &[&cookie]);
    assert_redirect(&logout, "/login")?;
    // Only `colour` (and the goodbye) is left in the browser.
    let colour_only = cookie_header(&[&cookie], &logout)?;
    let response = app.post_form("/colour/forget", "", &[&colour_only]);
    assert_redirect(&response, "/login")?;
    assert_no_set_cookie(&response)
}

fn a_link_cannot_forget(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in_with_blue(&app)?;
    let response = app.get("/colour/forget", &[&cookie]);
    if (200..400).contains(&response.status) || set_cookie_line(&response, "colour").is_some() {
        return Err(Failure {
            request: String::new(),
            expected: "a 4xx answer (no GET route) that sets no cookie `colour`".to_owned(),
            got: describe(&response),
        });
    }
    expect_user_page(&app, &cookie, &["blue"])?;
    Ok(())
}
