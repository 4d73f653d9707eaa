//! Challenge 08, "Delete my account": a form on /user (`POST /account/delete`, the CSRF token and
//! the current password in a field `password`) that removes the logged-in user's account and ends
//! every session of theirs; a wrong password is a failed login for the throttle.

use crate::challenges::{forms, Form};
use crate::lesson_08::{
    assert_logged_in_as, assert_not_logged_in, assert_retry_after, logged_in, main_part, signed_up,
    try_login, try_signup, visit, DEMO_PASSWORD, DEMO_USER, INVALID, TIMS_NEW_PASSWORD,
    TIMS_PASSWORD,
};
use crate::steps::{
    assert_has_a_message, assert_redirect, assert_shows, assert_status, cookie_header, describe,
    form_encode, start,
};
use crate::{App, Check, Failure, Program, Response};

const TASK: &str = "Challenge 08 (course/challenges/08.md)";

const ANNS_PASSWORD: &str = "anns very own password";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(ENDS_SESSIONS, TASK, deleting_ends_every_session_of_the_user).the_point(),
    Check::new(REMOVES, TASK, a_deleted_account_is_gone).the_point(),
    Check::new(WRONG_PASSWORD, TASK, a_wrong_password_deletes_nothing).the_point(),
    Check::new(COUNTS, TASK, wrong_passwords_count_as_failed_logins).the_point(),
    Check::new(NEEDS_TOKEN, TASK, deleting_needs_this_browsers_token).the_point(),
    Check::new(NEEDS_LOGIN, TASK, deleting_needs_a_login).the_point(),
    Check::new(OTHERS, TASK, only_your_own_account_is_deleted).the_point(),
];

pub(crate) const ENDS_SESSIONS: &str =
    "deleting Tim's account (his password, the token) answers 303 to /login and ends every session of Tim, this browser's and another's; demo stays logged in";
pub(crate) const REMOVES: &str =
    "once Tim's account is deleted, his old password gets lesson 08's answer for every failed login (422, “Invalid username or password.”, the page an unknown username gets), and a new signup as Tim works";
pub(crate) const WRONG_PASSWORD: &str =
    "a wrong password gets a 4xx page with the delete form again and a message; nothing is deleted, and Tim stays logged in in both browsers";
pub(crate) const COUNTS: &str =
    "5 wrong passwords at /account/delete count as failed logins: the right password then answers 429 with Retry-After, at /login and at /account/delete, and the account stays";
pub(crate) const NEEDS_TOKEN: &str =
    "deleting without the token, or with another browser's, answers 403 and deletes nothing";
pub(crate) const NEEDS_LOGIN: &str =
    "without a login, POST /account/delete sends you to /login (or, without any session, answers 403) and deletes nothing";
pub(crate) const OTHERS: &str =
    "Ann deleting her account leaves Tim's, even when her form says `username=Tim`: he stays logged in and his password still logs in";

/// The form on the browser `cookie`'s /user that posts to /account/delete.
fn delete_form(app: &App, cookie: &str) -> Result<Form, Failure> {
    let page = app.get("/user", &[cookie]);
    assert_status(&page, 200)?;
    let form = forms(&page.body)
        .into_iter()
        .find(|form| form.action == "/account/delete" && form.method == "post");
    form.ok_or_else(|| Failure {
        request: String::new(),
        expected: "on /user, a <form method=\"post\" action=\"/account/delete\">".to_owned(),
        got: describe(&page),
    })
}

/// Posts the browser `cookie`'s delete form as the browser does, its fields as the page gives
/// them (the token among them), with `password` typed in, each of `set` set (or added) and each
/// of `without` left out: the answer.
fn delete(
    app: &App,
    cookie: &str,
    password: &str,
    set: &[(&str, &str)],
    without: &[&str],
) -> Result<Response, Failure> {
    let form = delete_form(app, cookie)?;
    let mut fields: Vec<(String, String)> = form
        .fields
        .into_iter()
        .filter(|(name, _)| name != "password" && !without.contains(&name.as_str()))
        .filter(|(name, _)| !set.iter().any(|(changed, _)| changed == name))
        .collect();
    for (name, value) in set {
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    fields.push(("password".to_owned(), password.to_owned()));
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{}={}", form_encode(name), form_encode(value)))
        .collect();
    Ok(app.post_form("/account/delete", &body.join("&"), &[cookie]))
}

/// `result`, its failure saying which step of the check it was.
fn step<T>(which: &str, result: Result<T, Failure>) -> Result<T, Failure> {
    result.map_err(|failure| Failure {
        expected: format!("{which}: {}", failure.expected),
        ..failure
    })
}

/// Expects a status of 400 to 499.
fn assert_4xx(response: &Response) -> Result<(), Failure> {
    if (400..500).contains(&response.status) {
        Ok(())
    } else {
        Err(Failure::of("a 4xx status", response))
    }
}

/// Lesson 08's 429 with one `Retry-After` of 1 to 900 seconds, the failure saying where.
fn assert_throttled(response: &Response, where_: &str) -> Result<(), Failure> {
    assert_retry_after(response).map_err(|mut failure| {
        failure.expected = format!("{where_}: {}", failure.expected);
        failure
    })
}

/// Expects the account `name` still there: its password logs in.
fn assert_account_stays(app: &App, name: &str, password: &str) -> Result<(), Failure> {
    logged_in(app, name, password).map(drop)
}

fn deleting_ends_every_session_of_the_user(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let elsewhere = logged_in(&app, "Tim", TIMS_PASSWORD)?;
    let demo = logged_in(&app, DEMO_USER, DEMO_PASSWORD)?;
    let response = delete(&app, &here, TIMS_PASSWORD, &[], &[])?;
    step("Tim's right password", assert_redirect(&response, "/login"))?;
    // The cookie as it was sent, and as the browser keeps it afterwards.
    let kept = cookie_header(&[&here], &response)?;
    step(
        "this browser's copy of the cookie",
        assert_not_logged_in(&app, &here),
    )?;
    step(
        "this browser's cookie as kept",
        assert_not_logged_in(&app, &kept),
    )?;
    step(
        "Tim's second browser",
        assert_not_logged_in(&app, &elsewhere),
    )?;
    step("demo", assert_logged_in_as(&app, &demo, DEMO_USER))
}

fn a_deleted_account_is_gone(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let response = delete(&app, &here, TIMS_PASSWORD, &[], &[])?;
    step("Tim's right password", assert_redirect(&response, "/login"))?;
    let (old, _) = try_login(&app, "Tim", TIMS_PASSWORD)?;
    let (unknown, _) = try_login(&app, "nobody-here", TIMS_PASSWORD)?;
    step("the old password at /login", assert_status(&old, 422))?;
    step(
        "the old password at /login",
        assert_shows(&old, INVALID, &[]),
    )?;
    if main_part(&old, "Tim")? != main_part(&unknown, "nobody-here")? {
        return Err(Failure {
            request: String::new(),
            expected: "the same page for a deleted account as for an unknown username".to_owned(),
            got: format!("{}\n---\n{}", describe(&old), describe(&unknown)),
        });
    }
    let again = step(
        "a new signup as Tim",
        signed_up(&app, "Tim", TIMS_NEW_PASSWORD),
    )?;
    assert_logged_in_as(&app, &again, "Tim")?;
    step(
        "the new password",
        assert_account_stays(&app, "Tim", TIMS_NEW_PASSWORD),
    )
}

fn a_wrong_password_deletes_nothing(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let elsewhere = logged_in(&app, "Tim", TIMS_PASSWORD)?;
    let plain = app.get("/user", &[&here]);
    let response = delete(&app, &here, "not my password at all", &[], &[])?;
    step("a wrong password", assert_4xx(&response))?;
    let again = forms(&response.body)
        .iter()
        .any(|form| form.action == "/account/delete" && form.method == "post");
    if !again {
        return Err(Failure::of(
            "the delete form again: a <form method=\"post\" action=\"/account/delete\">",
            &response,
        ));
    }
    assert_has_a_message(&response, &plain)?;
    step("this browser", assert_logged_in_as(&app, &here, "Tim"))?;
    step(
        "Tim's second browser",
        assert_logged_in_as(&app, &elsewhere, "Tim"),
    )?;
    step(
        "Tim's password",
        assert_account_stays(&app, "Tim", TIMS_PASSWORD),
    )
}

fn wrong_passwords_count_as_failed_logins(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    for attempt in 0..5 {
        let response = delete(&app, &here, &format!("wrong password {attempt}"), &[], &[])?;
        step(
            &format!("wrong password {}", attempt + 1),
            assert_4xx(&response),
        )?;
    }
    let (response, _) = try_login(&app, "Tim", TIMS_PASSWORD)?;
    assert_throttled(&response, "the right password at /login")?;
    let response = delete(&app, &here, TIMS_PASSWORD, &[], &[])?;
    assert_throttled(&response, "the right password at /account/delete")?;
    step("this browser", assert_logged_in_as(&app, &here, "Tim"))?;
    // The account stays: its username is still taken.
    let (response, _) = try_signup(&app, "Tim", TIMS_NEW_PASSWORD)?;
    step("a signup as Tim", assert_status(&response, 422))
}

fn deleting_needs_this_browsers_token(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let here = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let (_, strangers) = visit(&app, "/login", &[])?;
    let elsewhere = logged_in(&app, "Tim", TIMS_PASSWORD)?;
    let (_, tims_other) = visit(&app, "/user", &[&elsewhere])?;
    let refused = |which: &str, set: &[(&str, &str)], without: &[&str]| {
        let response = delete(&app, &here, TIMS_PASSWORD, set, without)?;
        step(which, assert_status(&response, 403))?;
        step(which, assert_logged_in_as(&app, &here, "Tim"))
    };
    refused("without `csrf_token`", &[], &["csrf_token"])?;
    refused("a stranger's token", &[("csrf_token", &strangers)], &[])?;
    let second = [("csrf_token", tims_other.as_str())];
    refused("the token of Tim's second browser", &second, &[])?;
    step(
        "Tim's password",
        assert_account_stays(&app, "Tim", TIMS_PASSWORD),
    )
}

fn deleting_needs_a_login(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let tim = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let typed = format!("password={}&username=Tim", form_encode(TIMS_PASSWORD));
    // A browser that is not logged in, with the token of its own pre-session.
    let (visitor, token) = visit(&app, "/login", &[])?;
    let body = format!("csrf_token={token}&{typed}");
    let response = app.post_form("/account/delete", &body, &[&visitor]);
    step("a pre-session", assert_redirect(&response, "/login"))?;
    // Tim's form posted after he logged out, and a browser without any session.
    let form = delete_form(&app, &tim)?;
    let old_token = form.field("csrf_token").unwrap_or_default().to_owned();
    let logout = format!("csrf_token={old_token}");
    assert_redirect(&app.post_form("/logout", &logout, &[&tim]), "/login")?;
    let after_logout = format!("csrf_token={old_token}&{typed}");
    let tims: &[&str] = &[&tim];
    let tries = [
        (
            "Tim's form after he logged out",
            after_logout.as_str(),
            tims,
        ),
        ("no cookie", &typed, &[]),
    ];
    for (which, body, cookie) in tries {
        let response = app.post_form("/account/delete", body, cookie);
        if response.status != 403 {
            step(which, assert_redirect(&response, "/login"))?;
        }
    }
    step(
        "Tim's password",
        assert_account_stays(&app, "Tim", TIMS_PASSWORD),
    )
}

fn only_your_own_account_is_deleted(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let tim = signed_up(&app, "Tim", TIMS_PASSWORD)?;
    let ann = signed_up(&app, "Ann", ANNS_PASSWORD)?;
    let response = delete(&app, &ann, ANNS_PASSWORD, &[("username", "Tim")], &[])?;
    step("Ann's right password", assert_redirect(&response, "/login"))?;
    step("Ann's browser", assert_not_logged_in(&app, &ann))?;
    step("Tim's browser", assert_logged_in_as(&app, &tim, "Tim"))?;
    step(
        "Tim's password",
        assert_account_stays(&app, "Tim", TIMS_PASSWORD),
    )?;
    let (response, _) = try_login(&app, "Ann", ANNS_PASSWORD)?;
    step("Ann's old password", assert_status(&response, 422))
}
