//! Challenge 02, a visit counter the browser cannot change: /user counts its visits in a second
//! private cookie `visits`, and whatever does not decrypt to a count starts again at 1.

use crate::challenges::number_by_id;
use crate::lesson_02::with_key;
use crate::steps::{
    assert_redirect, cookie_header, cookie_value, describe, logged_in, matches_pattern,
    percent_decode, set_cookie_line, start, start_with,
};
use crate::{App, Check, Failure, Program};

const TASK: &str = "Challenge 02 (course/challenges/02.md)";
const KEYS: &str = "Chapter 2, “Pitfalls” (docs/src/lesson-02.md#pitfalls)";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(COUNTS, TASK, each_visit_counts_one_more).the_point(),
    Check::new(ENCRYPTED, TASK, the_count_travels_encrypted).the_point(),
    Check::new(FORGED, TASK, a_forged_count_is_ignored).the_point(),
    Check::new(TAMPERED, KEYS, a_changed_count_is_ignored).the_point(),
    Check::new(FOREIGN, KEYS, a_count_from_another_key_is_ignored)
        .the_point()
        .restarting(),
    Check::new(APART, TASK, two_browsers_count_apart).the_point(),
    Check::new(LOGGED_OUT, TASK, logged_out_nothing_is_counted),
];

pub(crate) const COUNTS: &str = "each visit to /user counts one more in `#visits`: 1, 2, 3";
pub(crate) const ENCRYPTED: &str =
    "the count travels in an encrypted cookie `visits=<encrypted>; HttpOnly; SameSite=Strict; Path=/…`";
pub(crate) const FORGED: &str = "a forged `Cookie: visits=1000` is ignored: the count starts at 1";
pub(crate) const TAMPERED: &str =
    "a cookie `visits` with one character changed is ignored: the count starts at 1";
pub(crate) const FOREIGN: &str =
    "a cookie `visits` made by a server with another secret key is ignored: the count starts at 1";
pub(crate) const APART: &str = "two browsers count apart: Ann's visits do not raise Tim's count";
pub(crate) const LOGGED_OUT: &str =
    "logged out, /user still sends you to /login and sets no cookie `visits`";

/// Visits /user as the browser with `cookie` (a `Cookie:` line): the count shown, and the
/// browser's `Cookie:` line after it.
fn visit(app: &App, cookie: &str) -> Result<(u64, String), Failure> {
    let response = app.get("/user", &[cookie]);
    let count = number_by_id(&response, "visits")?;
    Ok((count, cookie_header(&[cookie], &response)?))
}

/// Expects the count `expected`.
fn expect_count(count: u64, expected: u64, after: &str) -> Result<(), Failure> {
    if count == expected {
        Ok(())
    } else {
        Err(Failure {
            request: String::new(),
            expected: format!("`#visits` says {expected} {after}"),
            got: format!("`#visits` says {count}"),
        })
    }
}

fn each_visit_counts_one_more(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let mut cookie = logged_in(&app, "Tim")?;
    for expected in 1..=3 {
        let (count, next) = visit(&app, &cookie)?;
        expect_count(count, expected, &format!("on visit {expected}"))?;
        cookie = next;
    }
    Ok(())
}

fn the_count_travels_encrypted(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let first = app.get("/user", &[&cookie]);
    let line = set_cookie_line(&first, "visits").unwrap_or_default();
    if !matches_pattern(
        "visits=<encrypted>; HttpOnly; SameSite=Strict; Path=/<any>",
        line,
    ) {
        return Err(Failure {
            request: String::new(),
            expected: "Set-Cookie: visits=<encrypted>; HttpOnly; SameSite=Strict; Path=/…"
                .to_owned(),
            got: describe(&first),
        });
    }
    let value = percent_decode(&cookie_value(&first, "visits")?);
    if value.trim() == "1" {
        return Err(Failure {
            request: String::new(),
            expected: "a value that does not show the count".to_owned(),
            got: format!("visits={value}"),
        });
    }
    Ok(())
}

fn a_forged_count_is_ignored(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    for forged in ["1000", "-5", "abc", "%F0%9F%8D%AA"] {
        let (count, _) = visit(&app, &format!("{cookie}; visits={forged}"))?;
        expect_count(count, 1, &format!("with `visits={forged}`"))?;
    }
    Ok(())
}

fn a_changed_count_is_ignored(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let cookie = logged_in(&app, "Tim")?;
    let response = app.get("/user", &[&cookie]);
    let value = cookie_value(&response, "visits")?;
    // One letter or digit from the middle, away from any `%XX` escape, replaced by another.
    let bytes = value.as_bytes();
    let middle = (bytes.len() / 2..bytes.len())
        .find(|&i| {
            bytes[i].is_ascii_alphanumeric() && !bytes[i.saturating_sub(2)..i].contains(&b'%')
        })
        .unwrap_or(0);
    let mut changed = value.into_bytes();
    changed[middle] = if changed[middle] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8_lossy(&changed).into_owned();
    let (count, _) = visit(&app, &format!("{cookie}; visits={changed}"))?;
    expect_count(count, 1, "with a changed `visits`")
}

fn a_count_from_another_key_is_ignored(program: &dyn Program) -> Result<(), Failure> {
    let other = start_with(program, &with_key(1))?;
    let mut foreign = logged_in(&other, "Tim")?;
    for _ in 0..3 {
        foreign = visit(&other, &foreign)?.1;
    }
    drop(other);
    let visits = foreign
        .split("; ")
        .find(|pair| pair.starts_with("visits="))
        .unwrap_or("visits=")
        .to_owned();
    let app = start_with(program, &with_key(0))?;
    let cookie = logged_in(&app, "Tim")?;
    let (count, _) = visit(&app, &format!("{cookie}; {visits}"))?;
    expect_count(
        count,
        1,
        "with a `visits` from another key (it said 3 there)",
    )
}

fn two_browsers_count_apart(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let mut tim = logged_in(&app, "Tim")?;
    for _ in 0..2 {
        tim = visit(&app, &tim)?.1;
    }
    let ann = logged_in(&app, "Ann")?;
    let (count, _) = visit(&app, &ann)?;
    expect_count(count, 1, "for Ann's first visit, after Tim's two")?;
    let (count, _) = visit(&app, &tim)?;
    expect_count(count, 3, "for Tim's third visit, after Ann's")
}

fn logged_out_nothing_is_counted(program: &dyn Program) -> Result<(), Failure> {
    let app = start(program)?;
    let response = app.get("/user", &[]);
    assert_redirect(&response, "/login")?;
    match set_cookie_line(&response, "visits") {
        None => Ok(()),
        Some(_) => Err(Failure {
            request: String::new(),
            expected: "no Set-Cookie for `visits`".to_owned(),
            got: describe(&response),
        }),
    }
}
