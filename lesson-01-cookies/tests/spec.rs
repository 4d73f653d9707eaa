//! Lesson 01's spec (package `specs`), run against this lesson's real binary started from the
//! workspace root, the way `cargo run -p lesson-01` starts it.

use specs::{assert_passes, spec, Binary};
use test_support::workspace_root;

fn this_lesson() -> Binary {
    Binary::new(
        env!("CARGO_BIN_EXE_lesson-01"),
        workspace_root(env!("CARGO_MANIFEST_DIR")),
    )
}

#[test]
fn passes_the_lesson_01_spec() {
    assert_passes(spec(1).expect("lesson 01 has a spec"), &this_lesson());
}
