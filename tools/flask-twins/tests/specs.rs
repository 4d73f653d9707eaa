//! The lessons' specs (package `specs`) run against the Flask twins: every check of the lesson,
//! and every earlier check it keeps, passes on the twin too, except those in [`NOT_SHARED`], each
//! with the reason. A difference on purpose is asserted on both sides in `tests/differences.rs`;
//! where only a check's literal `Set-Cookie` line or page text is Rocket's, `tests/same.rs` sends
//! the same requests to both.
//!
//! They need python3-venv and PyPI: `cargo test -p flask-twins -- --ignored` (see README).

use flask_twins::FlaskTwin;
use specs::lesson_07::NEEDS_REDIS;
use specs::{assert_passes, kept, spec, Check};

const PANEL: &str = "the “what your browser sent” panel is the course's, not Flask's: only the \
                     lesson-02 twin has one (tools/bench/run times it), in Flask's words";
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

/// Every check of lessons 01 to 08 that the twins do not pass, and why.
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
        "Flask's delete_cookie (lesson 01) and `session.clear()` (lesson 05 on) send the deletion \
         every time: differences.rs (in lessons 02 to 04 `session.pop` of a missing key sends nothing)",
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
        "after logging out, the login page says goodbye to Tim once, and deletes `_flash`",
        FLASH,
    ),
    (
        "the goodbye travels in a plain cookie anyone can read: `_flash=…Tim…; SameSite=Strict; Path=/; Max-Age=300`",
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
        "it expects a removal at logout, where Flask's `pop` re-sends `session` holding the \
         goodbye (lesson 03) or `_permanent` (lesson 04); that the copy still logs in is in same.rs",
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
        "with session_lifetime = 3, the panel says the session's time is up once it is",
        PANEL,
    ),
    (
        "the panel shows what `session` decrypts to (JSON) and for how many seconds it is accepted",
        PANEL,
    ),
    ("the panel says when the cookie `session` could not be read", PANEL),
    (
        "logging out deletes `session` (one removal, no goodbye), and /user sends you to /login",
        "Flask's `session.pop(\"user\")` keeps `_permanent`, so the cookie is re-sent holding it, \
         not deleted: differences.rs",
    ),
    // Lesson 05.
    (
        "logging out forgets everything (Flask's `session.clear()`): one removal of `session`",
        DELETION,
    ),
    (
        "the panel shows the session's JSON with only the values that are set (no null)",
        PANEL,
    ),
    (
        "HTML in a name is escaped in the navigation, the greeting and the profile",
        ESCAPES,
    ),
    // Lesson 06.
    (
        "the cookie `session` holds only an id: the panel shows the id and what the store holds under it",
        PANEL,
    ),
    (
        "session ids cannot be guessed: 128 bits or more, different at every login and after a restart, no counting and no clock",
        "it decrypts the cookie with Rocket's private-cookie scheme to read the id; Flask-Session's \
         cookie is the id itself, signed by itsdangerous, not a Rocket private cookie",
    ),
    ("the panel says when the store does not hold the session the cookie names", PANEL),
    (
        "with session_lifetime = 3, the panel says the session is over once its time is up: its time is up, or the store does not hold it",
        PANEL,
    ),
    (
        "“Log out everywhere” ends every session of Tim, in every browser, and no one else's",
        "its removal is Rocket's, where Flask-Session sends Werkzeug's without HttpOnly \
         (`session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`): differences.rs; \
         the sessions it ends are in same.rs",
    ),
    (
        "with session_lifetime = 3 the store forgets a session once its time is up: a copy of the cookie is sent to /login",
        "Flask-Session writes the session back to its store at the end of every request, with a \
         fresh timeout (flask_session/base.py, `save_session` calls `_upsert_session` before it \
         asks `should_set_cookie`), so a session that is polled every few milliseconds never \
         reaches its end there; the lesson refreshes only a kept-signed-in session",
    ),
    // Lesson 07.
    (
        "on one Redis: a cookie made under the old key is accepted and re-issued with the old key in secret_key_fallbacks, and refused by the new key alone",
        "Flask-Session's cookie is the bare id, neither signed nor encrypted: no key reads it, so \
         nothing is re-issued and the new key alone accepts it too (differences.rs)",
    ),
    (
        "a secret_key_fallbacks entry that is not a key stops the launch, and the entry is not printed",
        "Flask takes any string as a key: the twin starts with it (differences.rs)",
    ),
    (
        "session_store_capacity = 2 holds two sessions: a third login is held and one of the first two is dropped",
        "cachelib's SimpleCache prunes only once it holds more than `threshold`, so it holds \
         threshold + 1 (cachelib 0.17 simple.py `_over_threshold`, `set`): all three here",
    ),
    (
        "session_absolute_lifetime = 2 ends a session that is used all the time",
        "Flask has no absolute lifetime (chapter 07): a busy session slides on (differences.rs)",
    ),
    // Lesson 08.
    (
        "the session holds the username and nothing of the password: the panel shows {\"user\":\"Tim\",…} without it",
        PANEL,
    ),
    (
        "GET /login gives a pre-session `session=<encrypted>; HttpOnly; SameSite=Strict; Path=/` and a form with its `csrf_token`",
        "Flask-Session's pre-session cookie is `session=<43 characters>; HttpOnly; Path=/; \
         SameSite=Strict` (its id, not ciphertext, attributes in another order), and Flask-WTF \
         signs its token with a timestamp, so the field's value changes from page to page while \
         the token in the session stays",
    ),
    (
        "logging in issues a new session id: the pre-session's cookie is not logged in afterwards (session fixation)",
        "Flask-Session's kept cookie is `session=<id>; Expires=<date>; HttpOnly; Path=/; \
         SameSite=Strict`, without Max-Age; the twin regenerates the id and drops the token at \
         login all the same (`start_session`)",
    ),
    (
        "POST /logout with the token: 303 to /login, the cookie removed, and a copy of it sent to /login",
        DELETION,
    ),
    (
        "changing the password ends Tim's other sessions, keeps this one under a new id, and only the new password logs in",
        "Flask-Session's browser-session cookie is `session=<id>; HttpOnly; Path=/; SameSite=Strict`, \
         in another order than Rocket's",
    ),
];

/// Checks in [`NOT_SHARED`] that one lesson's twin passes all the same, for the reason given.
const SHARED_BY_ONE_TWIN: &[(u8, &str, &str)] = &[
    (
        4,
        "logging out with no cookie sends no Set-Cookie at all",
        "`session.pop` of a missing key sends nothing",
    ),
    (
        5,
        "a copy of the cookie taken before logging out still works afterwards (logout cannot revoke it)",
        "`session.clear()` sends the deletion, and the signed copy is still good",
    ),
    (
        6,
        "after session_lifetime is shortened, sessions issued before obey it at once",
        "the restart it takes empties the memory store",
    ),
];

/// The checks of lesson `lesson` (its own and those it keeps from earlier lessons) that hold for
/// its twin as well: all but those in [`NOT_SHARED`], unless [`SHARED_BY_ONE_TWIN`] has them.
fn shared(lesson: u8) -> Vec<Check> {
    let mut checks = kept(lesson);
    checks.extend_from_slice(spec(lesson).expect("the lesson has a spec"));
    flask_shares(lesson, checks)
}

fn flask_shares(lesson: u8, mut checks: Vec<Check>) -> Vec<Check> {
    let not_shared = |name: &str| NOT_SHARED.iter().any(|(n, _)| *n == name);
    let shared_here = |name: &str| {
        SHARED_BY_ONE_TWIN
            .iter()
            .any(|(l, n, _)| (*l, *n) == (lesson, name))
    };
    checks.retain(|check| !not_shared(check.name) || shared_here(check.name));
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
    for (lesson, name, why) in SHARED_BY_ONE_TWIN {
        assert!(
            NOT_SHARED.iter().any(|(n, _)| n == name),
            "{name:?} (lesson {lesson}: {why}) is shared by every twin: take it out"
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

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_06_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(6), &FlaskTwin::new("lesson_06.py"));
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_08_twin_passes_the_checks_flask_shares() {
    assert_passes(&shared(8), &FlaskTwin::new("lesson_08.py"));
}

/// Lesson 07's own checks that Flask shares, as lesson-07's tests run them (not the earlier
/// lessons' it keeps): those that start a `redis-server`, or the others.
fn lesson_07_checks(with_redis: bool) -> Vec<Check> {
    let all = spec(7).expect("lesson 07 has a spec").iter();
    let wanted = all.filter(|check| check.name.contains(NEEDS_REDIS) == with_redis);
    flask_shares(7, wanted.copied().collect())
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn the_lesson_07_twin_passes_the_checks_flask_shares_without_redis() {
    assert_passes(&lesson_07_checks(false), &FlaskTwin::new("lesson_07.py"));
}

#[test]
#[ignore = "needs python3-venv and redis-server: see README"]
fn the_lesson_07_twin_passes_the_checks_flask_shares_on_redis() {
    assert_passes(&lesson_07_checks(true), &FlaskTwin::new("lesson_07.py"));
}
