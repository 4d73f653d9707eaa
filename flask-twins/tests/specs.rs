//! The lessons' specs (package `specs`) run against the Flask twins: every check of the lesson,
//! and every earlier check it keeps, passes on the twin too, except those in [`NOT_SHARED`], each
//! with the reason. A difference on purpose is asserted on both sides in `tests/differences.rs`;
//! where only a check's literal `Set-Cookie` line or page text is Rocket's, `tests/same.rs` sends
//! the same requests to both.
//!
//! They need python3-venv and PyPI: `cargo test -p flask-twins -- --ignored` (see README).

use flask_twins::FlaskTwin;
use specs::{assert_passes, kept, spec, Check};

const PANEL: &str = "the “what your browser sent” panel is the course's, not Flask's: only the \
                     lesson-02 twin has one (bench/run times it), in Flask's words";
const NO_SAME_SITE: &str =
    "its literal Set-Cookie line has `SameSite=Strict`, which Flask does not \
                            send (differences.rs); the behaviour is in same.rs";
const MAX_AGE: &str = "Flask sends `Expires` without `Max-Age`, and no SameSite: differences.rs; \
                       the sliding lifetime is in same.rs";
const NAMES: &str = "it reads Rocket's cookies by name (`user`, `colour`, `_flash`) where Flask \
                     has the one cookie `session`: same.rs does the same to that one";
const FLASH: &str =
    "Flask's flash lives inside the session, not in a `_flash` cookie: differences.rs";
const DELETION: &str = "Werkzeug's deletion is `session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; \
                        Max-Age=0; HttpOnly; Path=/`: differences.rs";
const ESCAPES: &str =
    "escaped too, but MarkupSafe leaves `/` as it is where Tera writes `&#x2F;`, \
                       and writes `\"` as `&#34;`: differences.rs";

/// Every check of lessons 01 to 05 that the twins do not pass, and why.
const NOT_SHARED: &[(&str, &str)] = &[
    // Lesson 01.
    (
        "logging in sets the plain cookie `user=Tim; HttpOnly; SameSite=Strict; Path=/` and redirects to /user",
        NO_SAME_SITE,
    ),
    ("the panel shows the cookie `user` in plain text, as the browser sent it", PANEL),
    ("the panel says “No cookies came with this request.” when none came", PANEL),
    (
        "logging out deletes the cookie (`user=; …; Max-Age=0; Expires=<past>`) and redirects to /login",
        "Werkzeug's deletion is `user=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`: \
         differences.rs",
    ),
    (
        "logging out with no cookie sends no Set-Cookie at all",
        "Flask's delete_cookie sends the deletion every time: differences.rs (from lesson 02 on, \
         the twins pass it: `session.pop` of a missing key sends nothing)",
    ),
    (
        "a name with `;` and `=` is percent-encoded in the cookie and greeted as typed",
        "Werkzeug quotes the value instead (`\"Tim\\073 admin=true\"`): differences.rs",
    ),
    ("a name with HTML in it is shown escaped on /user, never as markup", ESCAPES),
    ("a refused name with HTML in it is escaped in the form shown again", ESCAPES),
    // Lesson 02.
    (
        "logging in sets `user=<encrypted>; HttpOnly; SameSite=Strict; Path=/` (no Expires: gone when the browser closes)",
        "Flask's `session` is signed, not encrypted, and has no SameSite: differences.rs",
    ),
    (
        "two logins as Tim get two different cookie values (a random nonce each time)",
        "Flask signs without a nonce: the same session signed in the same second is the same \
         value (differences.rs)",
    ),
    ("a cookie `user` with one character changed is sent to /login", NAMES),
    ("a cookie `user` cut short, or empty, is sent to /login", NAMES),
    (
        "started without a secret key, a restart logs you out (the debug key differs at every launch)",
        "Flask has no debug key: a twin refuses to start without FLASK_SECRET_KEY (flask_only.rs), \
         so FlaskTwin would only be measuring its own random key",
    ),
    ("the panel shows the ciphertext and what it decrypts to", PANEL),
    ("the panel says when the cookie `user` could not be decrypted", PANEL),
    ("the longest name (50 × `ë`) still makes a cookie line under 300 bytes", NAMES),
    // Lesson 03.
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
        FLASH,
    ),
    (
        "the goodbye travels in a plain cookie: `_flash=7%3AsuccessYou%20have%20been%20logged%20out%2C%20Tim.; SameSite=Strict; Path=/; Max-Age=300`",
        FLASH,
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
        "it expects Rocket's two removals; Flask's `clear()` deletes only `session`: differences.rs",
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
        "it expects a removal at logout, where Flask re-sends `session` holding the goodbye; that \
         the copy still logs in is in same.rs",
    ),
    // Lesson 04.
    (
        "ticking “Keep me signed in” sets one cookie `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/; Max-Age=300; Expires=<in 300 s>`",
        MAX_AGE,
    ),
    (
        "without the box the cookie is `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/` (gone when the browser closes)",
        NO_SAME_SITE,
    ),
    (
        "the user page says when the session expires: in 300 seconds",
        "the lesson's sentences about its own expiry; the twin shows the `Expires` it sends",
    ),
    (
        "every page moves a kept-signed-in session forward: a fresh `Max-Age=300` cookie",
        MAX_AGE,
    ),
    (
        "with session_lifetime = 3, a session is refused once its time is up, though the browser still sends it",
        "it reads the panel's sentence; the refusal itself is in same.rs",
    ),
    (
        "with session_lifetime = 3, a kept-signed-in session that is used keeps going past 3 seconds",
        MAX_AGE,
    ),
    ("session_lifetime = 30 gives the cookie `Max-Age=30`", MAX_AGE),
    (
        "after session_lifetime is shortened, sessions issued before obey it at once",
        "Flask measures a cookie's age from its signature, so one signed a moment ago is still \
         younger than the new lifetime; the lesson keeps the expiry in the cookie and refuses one \
         beyond the new lifetime",
    ),
    (
        "a session_lifetime of 0, -30 or `five` stops the launch with a message naming it",
        "the lesson's configuration messages: the twin's int() refuses `five` with a ValueError \
         and checks no range",
    ),
    (
        "the longest session_lifetime, 400 days (34560000 s), is accepted; one second more is not",
        MAX_AGE,
    ),
    (
        "the panel shows what `session` decrypts to (JSON) and for how many seconds it is accepted",
        PANEL,
    ),
    ("the panel says when the cookie `session` could not be read", PANEL),
    (
        "logging out rewrites `session` without the name: the colour stays, and a goodbye",
        NO_SAME_SITE,
    ),
    (
        "logging out of a session that holds nothing else deletes `session`",
        "Flask's goodbye is inside the session, which is re-sent holding `_flashes` instead of \
         deleted: differences.rs",
    ),
    ("“Forget me” deletes `session` (one removal), and the colour is gone", DELETION),
    ("“Forget me” leaves other cookies (`theme=dark`) alone", DELETION),
    // Lesson 05.
    (
        "a first name alone is saved in `session`, greets you and appears in the profile; no “Last name:” line",
        NO_SAME_SITE,
    ),
    (
        "emptying the first name takes it out of the session: the greeting is back to Tim",
        NO_SAME_SITE,
    ),
    ("both names and the colour appear in the profile once set", NO_SAME_SITE),
    ("logging out keeps the names: the login page still lists them", NO_SAME_SITE),
    (
        "“Forget me” forgets everything: “Everything in your session is forgotten.”",
        "the twin's `clear()` says no goodbye: a flash after it would keep the cookie alive",
    ),
    (
        "the panel shows the session's JSON with only the values that are set (no null)",
        PANEL,
    ),
    (
        "HTML in a name is escaped in the navigation, the greeting and the profile",
        NO_SAME_SITE,
    ),
    (
        "a bad first or last name (51 characters, a line break, a missing field) gets a message and 422, what was typed, and nothing changes",
        NO_SAME_SITE,
    ),
];

/// The checks of lesson `lesson` (its own and those it keeps from earlier lessons) that hold for
/// Flask as well: all but those in [`NOT_SHARED`].
fn shared(lesson: u8) -> Vec<Check> {
    let mut checks = kept(lesson);
    checks.extend_from_slice(spec(lesson).expect("the lesson has a spec"));
    checks.retain(|check| NOT_SHARED.iter().all(|(name, _)| *name != check.name));
    checks
}

#[test]
fn every_check_not_shared_is_a_check_of_a_lesson() {
    let all: Vec<&str> = (1..=9)
        .filter_map(spec)
        .flatten()
        .map(|check| check.name)
        .collect();
    for (name, why) in NOT_SHARED {
        assert!(
            all.contains(name),
            "{name:?} ({why}) is no lesson's check any more: take it out of NOT_SHARED"
        );
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_01_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(1), &FlaskTwin::new("lesson_01.py"));
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_02_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(2), &FlaskTwin::new("lesson_02.py"));
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_03_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(3), &FlaskTwin::new("lesson_03.py"));
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_04_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(4), &FlaskTwin::new("lesson_04.py"));
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_05_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(5), &FlaskTwin::new("lesson_05.py"));
}
