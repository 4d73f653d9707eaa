//! The lessons' specs (package `specs`) run against the Flask twins: every check of the lesson,
//! and every earlier check it keeps, passes on the twin too, except the few listed here with the
//! reason. A difference on purpose is asserted on both sides in `tests/differences.rs`.
//!
//! They need python3-venv and PyPI: `cargo test -p flask-twins -- --ignored` (see README).

use flask_twins::FlaskTwin;
use specs::{assert_passes, kept, spec, Check};

/// The checks of lesson `lesson` (its own and those it keeps from earlier lessons) that hold for
/// Flask as well, that is all but `not_shared`, whose names must all be checks of the lesson.
fn shared(lesson: u8, not_shared: &[(&str, &str)]) -> Vec<Check> {
    let mut checks = kept(lesson);
    checks.extend_from_slice(spec(lesson).expect("the lesson has a spec"));
    for (name, why) in not_shared {
        assert!(
            checks.iter().any(|check| check.name == *name),
            "{name:?} ({why}) is not a check of lesson {lesson} any more: update this list"
        );
    }
    checks.retain(|check| not_shared.iter().all(|(name, _)| *name != check.name));
    checks
}

const PANEL: &str = "the “what your browser sent” panel is the course's, not Flask's: only the \
                     lesson-02 twin has one (bench/run times it), in Flask's words";
const NO_SAME_SITE: &str = "Flask sets no SameSite: differences.rs";
const NAMES: &str = "it reads Rocket's cookies by name (`user`, `colour`, `_flash`) where Flask \
                     has the one cookie `session`: same.rs does the same to that one";
const DELETION: &str = "Werkzeug's deletion is `session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; \
                        Max-Age=0; HttpOnly; Path=/`: differences.rs";
const ESCAPES: &str =
    "escaped too, but MarkupSafe leaves `/` as it is where Tera writes `&#x2F;`, \
                       and writes `\"` as `&#34;`: differences.rs";

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_01_twin_passes_the_checks_flask_shares() {
    let not_shared = [
        (
            "logging in sets the plain cookie `user=Tim; HttpOnly; SameSite=Strict; Path=/` and redirects to /user",
            NO_SAME_SITE,
        ),
        ("the panel shows the cookie `user` in plain text, as the browser sent it", PANEL),
        ("the panel says “No cookies came with this request.” when none came", PANEL),
        (
            "logging out deletes the cookie (`user=; …; Max-Age=0; Expires=<past>`) and redirects to /login",
            "Werkzeug's deletion is `user=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`: differences.rs",
        ),
        (
            "logging out with no cookie sends no Set-Cookie at all",
            "Flask's delete_cookie sends the deletion every time: differences.rs",
        ),
        (
            "a name with `;` and `=` is percent-encoded in the cookie and greeted as typed",
            "Werkzeug quotes the value instead (`\"Tim\\073 admin=true\"`): differences.rs",
        ),
        (
            "a name with HTML in it is shown escaped on /user, never as markup",
            ESCAPES,
        ),
        (
            "a refused name with HTML in it is escaped in the form shown again",
            ESCAPES,
        ),
    ];
    assert_passes(&shared(1, &not_shared), &FlaskTwin::new("lesson_01.py"));
}

/// Lesson 02's checks (and lesson 01's it keeps) that do not hold for Flask, and why.
const NOT_SHARED_FROM_02: [(&str, &str); 11] = [
    (
        "started without a secret key, a restart logs you out (the debug key differs at every launch)",
        "Flask has no debug key: a twin refuses to start without FLASK_SECRET_KEY (flask_only.rs), \
         so FlaskTwin would only be measuring its own random key",
    ),
    (
        "logging out deletes the cookie (`user=; …; Max-Age=0; Expires=<past>`) and redirects to /login",
        DELETION,
    ),
    (
        "a name with HTML in it is shown escaped on /user, never as markup",
        ESCAPES,
    ),
    (
        "a refused name with HTML in it is escaped in the form shown again",
        ESCAPES,
    ),
    (
        "logging in sets `user=<encrypted>; HttpOnly; SameSite=Strict; Path=/` (no Expires: gone when the browser closes)",
        "Flask's `session` is signed, not encrypted, and has no SameSite: differences.rs",
    ),
    (
        "two logins as Tim get two different cookie values (a random nonce each time)",
        "Flask signs without a nonce: the same session signed in the same second is the same \
         value (differences.rs)",
    ),
    ("a cookie with one character changed is sent to /login", NAMES),
    ("a cookie cut short, or empty, is sent to /login", NAMES),
    ("the panel shows the ciphertext and what it decrypts to", PANEL),
    ("the panel says when the cookie `user` could not be decrypted", PANEL),
    (
        "the longest name (50 × `ë`) still makes a cookie line under 300 bytes",
        NAMES,
    ),
];

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_02_twin_passes_the_checks_flask_shares() {
    assert_passes(
        &shared(2, &NOT_SHARED_FROM_02),
        &FlaskTwin::new("lesson_02.py"),
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_03_twin_passes_the_checks_flask_shares() {
    // Lesson 02's, less those lesson 03 no longer keeps.
    let checks_of_03: Vec<&str> = kept(3)
        .iter()
        .chain(spec(3).expect("lesson 03 has a spec"))
        .map(|check| check.name)
        .collect();
    let mut not_shared: Vec<(&str, &str)> = NOT_SHARED_FROM_02
        .into_iter()
        .filter(|(name, _)| checks_of_03.contains(name))
        .collect();
    not_shared.extend([
        (
            "the panel says “No cookies came with this request.” when none came",
            PANEL,
        ),
        (
            "choosing blue sets a second cookie `colour=<encrypted>; HttpOnly; SameSite=Strict; Path=/`, shown on /user",
            "Flask keeps the colour in the one cookie `session`: same.rs",
        ),
        (
            "logging out removes `user` only: the colour stays and the login page still shows it",
            NAMES,
        ),
        (
            "“Forget me” removes `user` and `colour`, and the login page no longer knows the colour",
            NAMES,
        ),
        (
            "after logging out, the login page says “You have been logged out, Tim.” once, and deletes `_flash`",
            "Flask's flash is inside the session, not a `_flash` cookie: differences.rs",
        ),
        (
            "the goodbye travels in a plain cookie: `_flash=7%3AsuccessYou%20have%20been%20logged%20out%2C%20Tim.; SameSite=Strict; Path=/; Max-Age=300`",
            "Flask's flash is inside the signed session: differences.rs",
        ),
        ("the panel shows `_flash` as sent, in plain text", PANEL),
        ("the panel shows the colour the cookie `colour` decrypts to", PANEL),
        ("a name with HTML in it is escaped in the goodbye", ESCAPES),
        (
            "“Forget me” with nothing kept is a plain redirect to /login, no Set-Cookie",
            "Flask's `session.clear()` sends the deletion every time: differences.rs",
        ),
        (
            "“Forget me” leaves other lessons' cookies (`theme=dark`) alone",
            "it expects Rocket's two removals; Flask's `clear()` deletes only `session`: \
             differences.rs",
        ),
        (
            "logging out with a forged `user=admin` deletes it, without a goodbye",
            "Flask never reads a cookie `user`: a forged one is not its session",
        ),
        (
            "a forged `colour=blue` is ignored (the panel says it could not be decrypted)",
            PANEL,
        ),
        (
            "a copy of the cookie taken before logging out still works afterwards (logout cannot revoke it)",
            NAMES,
        ),
    ]);
    assert_passes(&shared(3, &not_shared), &FlaskTwin::new("lesson_03.py"));
}
