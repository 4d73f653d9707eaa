//! Lesson 05's spec (package `specs`), and the checks of earlier lessons it keeps, run against
//! this lesson's real binary started from the workspace root, the way `cargo run -p lesson-05`
//! starts it. The third test shows that the spec tells this lesson from the one before; the
//! checks that wait out a lifetime (seconds each) run under `cargo test -- --ignored`.

use specs::{assert_passes, assert_points_fail, assert_waiting, kept, quick, spec, Binary};
use test_support::workspace_root;

fn this_lesson() -> Binary {
    Binary::new(
        env!("CARGO_BIN_EXE_lesson-05"),
        workspace_root(env!("CARGO_MANIFEST_DIR")),
    )
}

#[test]
fn passes_the_lesson_05_spec() {
    assert_passes(
        &quick(spec(5).expect("lesson 05 has a spec")),
        &this_lesson(),
    );
}

#[test]
fn keeps_what_earlier_lessons_promised() {
    assert_passes(&quick(&kept(5)), &this_lesson());
}

#[test]
fn lesson_04_fails_the_point_checks_of_lesson_05() {
    let previous = Binary::built("lesson-04");
    let report = assert_points_fail(&quick(spec(5).expect("lesson 05 has a spec")), &previous);
    println!("{report}");
}

#[test]
#[ignore = "waits out session lifetimes or a login window, seconds each: cargo test -- --ignored"]
fn passes_the_checks_that_wait() {
    assert_waiting(5, &this_lesson(), None);
}
