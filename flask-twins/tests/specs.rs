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
                     lesson-02 twin has it (bench/run times it)";
const NO_SAME_SITE: &str = "Flask sets no SameSite: differences.rs";

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
            "escaped too, but MarkupSafe leaves `/` as it is where Tera writes `&#x2F;`: differences.rs",
        ),
        (
            "a refused name with HTML in it is escaped in the form shown again",
            "escaped too, but MarkupSafe writes `\"` as `&#34;` where Tera writes `&quot;`: differences.rs",
        ),
    ];
    assert_passes(&shared(1, &not_shared), &FlaskTwin::new("lesson_01.py"));
}
