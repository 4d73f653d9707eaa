//! Lesson 06's spec (package `specs`), and the checks of earlier lessons it keeps, run against
//! this lesson's real binary started from the workspace root, the way `cargo run -p lesson-06`
//! starts it. The last test shows that the spec tells this lesson from lesson 04, the lesson it is
//! built from (lesson 05's templates are not in it).

use specs::{assert_passes, assert_points_fail, kept, spec, Binary};
use test_support::workspace_root;

fn this_lesson() -> Binary {
    Binary::new(
        env!("CARGO_BIN_EXE_lesson-06"),
        workspace_root(env!("CARGO_MANIFEST_DIR")),
    )
}

#[test]
fn passes_the_lesson_06_spec() {
    assert_passes(spec(6).expect("lesson 06 has a spec"), &this_lesson());
}

#[test]
fn keeps_what_earlier_lessons_promised() {
    assert_passes(&kept(6), &this_lesson());
}

#[test]
fn lesson_04_fails_the_point_checks_of_lesson_06() {
    let previous = Binary::built("lesson-04");
    let report = assert_points_fail(spec(6).expect("lesson 06 has a spec"), &previous);
    println!("{report}");
}
