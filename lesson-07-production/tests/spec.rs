//! Lesson 07's spec (package `specs`), and the checks of earlier lessons it keeps, run against this
//! lesson's real binary started from the workspace root. The checks that start a `redis-server`
//! are `#[ignore]`d with it, and so are the checks that wait out a lifetime. The fourth test
//! shows that the spec tells this lesson from lesson 06.

use specs::lesson_07::NEEDS_REDIS;
use specs::{assert_passes, assert_points_fail, assert_waiting, kept, quick, spec, Binary, Check};
use test_support::workspace_root;

fn this_lesson() -> Binary {
    let root = workspace_root(env!("CARGO_MANIFEST_DIR"));
    Binary::new(env!("CARGO_BIN_EXE_lesson-07"), root)
}

fn checks(with_redis: bool) -> Vec<Check> {
    let all = spec(7).expect("lesson 07 has a spec");
    let wanted = |check: &&Check| check.name.contains(NEEDS_REDIS) == with_redis;
    all.iter().filter(wanted).copied().collect()
}

#[test]
fn passes_the_lesson_07_checks_that_need_no_redis() {
    assert_passes(&quick(&checks(false)), &this_lesson());
}

#[test]
fn keeps_what_earlier_lessons_promised() {
    assert_passes(&quick(&kept(7)), &this_lesson());
}

#[test]
#[ignore = "needs redis-server: see README"]
fn passes_the_lesson_07_checks_on_redis() {
    assert_passes(&checks(true), &this_lesson());
}

#[test]
#[ignore = "needs redis-server: see README"]
fn lesson_06_fails_the_point_checks_of_lesson_07() {
    let report = assert_points_fail(
        spec(7).expect("lesson 07 has a spec"),
        &Binary::built("lesson-06"),
    );
    println!("{report}");
}

#[test]
#[ignore = "waits out session lifetimes, seconds each: cargo test -- --ignored"]
fn passes_the_checks_that_wait() {
    assert_waiting(7, &this_lesson(), Some(&Binary::built("lesson-06")));
}
