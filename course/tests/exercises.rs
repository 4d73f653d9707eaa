//! For every exercise: the checker fails on the starting code (on the lesson's point), fails on
//! each plausible wrong solution in `support::WRONG`, and holds the student to the checks the
//! reference lesson passes in its own `tests/spec.rs`.
//!
//! The tests that build exercises take minutes, so they are ignored by a plain `cargo test`:
//! `cargo test -p course -- --ignored` runs them, as `.ci/run` does (see README).

mod support;

use specs::lesson_07::NEEDS_REDIS;
use specs::{Binary, Check};
use support::{build_wrong, require_redis_server, scratch, start_and_build, Wrong, RIGHT, WRONG};

fn checks(n: u8) -> Vec<specs::Check> {
    course::checks(n).unwrap_or_else(|| panic!("exercise {n:02} has no spec or no task"))
}

/// Exercise 07's checks that start a `redis-server` (`on_redis`), or the others.
fn redis_or_not(all: &[Check], on_redis: bool) -> Vec<Check> {
    let wanted = |check: &&Check| check.name.contains(NEEDS_REDIS) == on_redis;
    all.iter().filter(wanted).copied().collect()
}

/// Starts exercise `n`, builds the starting code, and asserts every point check of lesson `n`
/// fails against it.
fn starting_code_fails_on_the_point(n: u8) {
    starting_code_fails(n, "start", specs::spec(n).expect("a spec"));
}

/// Starts exercise `n` as a package named after `label`, builds the starting code, and asserts
/// every point check among `own` (lesson `n`'s) fails against it.
fn starting_code_fails(n: u8, label: &str, own: &[Check]) {
    let course = scratch(&format!("{label}-{n:02}"));
    let package = format!("exercise-{n:02}-{label}");
    let binary = start_and_build(&course, n, &package);
    let program = Binary::new(binary, course.exercise_dir(n));
    let report = specs::assert_points_fail(own, &program);
    println!("{report}");
}

/// Every wrong solution for exercise `n` (at least five) is built from the reference and fails the
/// check named for its mistake.
fn wrong_solutions_fail(n: u8) {
    let wrongs: Vec<&Wrong> = WRONG.iter().filter(|w| w.exercise == n).collect();
    assert!(
        wrongs.len() >= 5,
        "exercise {n:02} has {} wrong solutions to test, not five",
        wrongs.len()
    );
    wrong_solutions_fail_among(n, &wrongs);
}

/// Exercise 07's wrong solutions caught by a check that starts a `redis-server` (`on_redis`), or
/// the others.
fn wrong_solutions_of_07(on_redis: bool) -> Vec<&'static Wrong> {
    let caught_on_redis = |wrong: &Wrong| {
        checks(7)
            .iter()
            .any(|check| check.name.contains(wrong.fails) && check.name.contains(NEEDS_REDIS))
    };
    WRONG
        .iter()
        .filter(|w| w.exercise == 7 && caught_on_redis(w) == on_redis)
        .collect()
}

/// Builds `wrongs` (of exercise `n`) and runs against each the checks its row names: one of them
/// must fail.
fn wrong_solutions_fail_among(n: u8, wrongs: &[&Wrong]) {
    let all = checks(n);
    let mut missed = Vec::new();
    for built in build_wrong(n, wrongs) {
        let wrong = built.wrong;
        let named: Vec<Check> = all
            .iter()
            .filter(|check| check.name.contains(wrong.fails))
            .copied()
            .collect();
        assert!(
            !named.is_empty(),
            "exercise {n:02}, wrong solution {:?}: no check is named \"…{}…\"",
            wrong.label,
            wrong.fails
        );
        let program = Binary::new(&built.binary, &built.dir);
        let outcomes = specs::run(&named, &program);
        let report = specs::report(&outcomes, &program);
        let caught = outcomes
            .iter()
            .any(|o| matches!(o.result, specs::Verdict::Failed(_)));
        println!("{}: {}\n{report}", wrong.label, wrong.what);
        if !caught {
            missed.push(format!(
                "\"{}\" ({}) does not fail \"…{}…\":\n{report}",
                wrong.label, wrong.what, wrong.fails
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "exercise {n:02}: wrong solutions the checker lets pass:\n{}",
        missed.join("\n")
    );
}

/// Every right answer in `support::RIGHT` written otherwise than the reference passes every check
/// of its exercise (those on Redis aside).
#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn right_answers_written_differently_pass() {
    let mut refused = Vec::new();
    for n in course::EXERCISES {
        let rights: Vec<&Wrong> = RIGHT.iter().filter(|r| r.exercise == n).collect();
        if rights.is_empty() {
            continue;
        }
        let all = redis_or_not(&checks(n), false);
        for built in build_wrong(n, &rights) {
            let program = Binary::new(&built.binary, &built.dir);
            let outcomes = specs::run(&all, &program);
            if !outcomes.iter().all(specs::Outcome::passed) {
                refused.push(format!(
                    "exercise {n:02}, \"{}\" ({}):\n{}",
                    built.wrong.label,
                    built.wrong.what,
                    specs::report(&outcomes, &program)
                ));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "right answers the checker refuses:\n{}",
        refused.join("\n")
    );
}

/// The reference passes: exercise `n` is held to lesson `n`'s spec and the earlier lessons' checks
/// it keeps, which is what `lesson-0N/tests/spec.rs` runs against lesson `n`'s own binary (07's
/// checks on Redis among its ignored tests). Running them here as well would run them twice.
#[test]
fn each_exercise_is_held_to_the_checks_its_lesson_passes() {
    let names = |checks: &[Check]| checks.iter().map(|check| check.name).collect::<Vec<_>>();
    for n in 1..=8 {
        let mut lesson = specs::spec(n).expect("a spec").to_vec();
        lesson.extend(specs::kept(n));
        assert_eq!(names(&checks(n)), names(&lesson), "exercise {n:02}");
    }
}

#[test]
fn start_refuses_to_overwrite_a_started_exercise_unless_asked() {
    let course = scratch("overwrite");
    let dir = course
        .start(2, "exercise-02-overwrite", false)
        .expect("start 02");
    let main_rs = dir.join("src/main.rs");
    let fresh = std::fs::read_to_string(&main_rs).expect("main.rs");
    assert!(
        fresh.contains("8102") && !fresh.contains("8002"),
        "the port is 81NN"
    );
    assert!(
        !fresh.contains("mod tests;"),
        "the lesson's tests are not copied"
    );
    std::fs::write(&main_rs, "// my work\n").expect("write");
    let refused = course.start(2, "exercise-02-overwrite", false).unwrap_err();
    assert!(refused.contains("already started"), "{refused}");
    assert_eq!(
        std::fs::read_to_string(&main_rs).expect("main.rs"),
        "// my work\n"
    );
    course
        .start(2, "exercise-02-overwrite", true)
        .expect("start 02 --overwrite");
    assert_eq!(std::fs::read_to_string(&main_rs).expect("main.rs"), fresh);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_01_skeleton_builds_and_fails_on_the_point() {
    starting_code_fails_on_the_point(1);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_01_wrong_solutions_fail() {
    wrong_solutions_fail(1);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_02_starting_code_fails_on_the_point() {
    starting_code_fails_on_the_point(2);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_02_wrong_solutions_fail() {
    wrong_solutions_fail(2);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_03_starting_code_fails_on_the_point() {
    starting_code_fails_on_the_point(3);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_03_wrong_solutions_fail() {
    wrong_solutions_fail(3);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_04_starting_code_fails_on_the_point() {
    starting_code_fails_on_the_point(4);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_04_wrong_solutions_fail() {
    wrong_solutions_fail(4);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_05_starting_code_fails_on_the_point() {
    starting_code_fails_on_the_point(5);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_05_wrong_solutions_fail() {
    wrong_solutions_fail(5);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_06_starting_code_fails_on_the_point() {
    starting_code_fails_on_the_point(6);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_06_wrong_solutions_fail() {
    wrong_solutions_fail(6);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_07_starting_code_fails_on_the_points_that_need_no_redis() {
    let own = redis_or_not(specs::spec(7).expect("a spec"), false);
    starting_code_fails(7, "start", &own);
}

#[test]
#[ignore = "needs redis-server: see README"]
fn exercise_07_starting_code_fails_on_the_points_on_redis() {
    require_redis_server();
    let own = redis_or_not(specs::spec(7).expect("a spec"), true);
    starting_code_fails(7, "start-redis", &own);
}

#[test]
fn exercise_07_has_five_wrong_solutions() {
    assert!(WRONG.iter().filter(|w| w.exercise == 7).count() >= 5);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_07_wrong_solutions_fail_where_no_redis_is_needed() {
    wrong_solutions_fail_among(7, &wrong_solutions_of_07(false));
}

#[test]
#[ignore = "needs redis-server: see README"]
fn exercise_07_wrong_solutions_fail_on_redis() {
    require_redis_server();
    wrong_solutions_fail_among(7, &wrong_solutions_of_07(true));
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_08_starting_code_fails_on_the_point() {
    starting_code_fails_on_the_point(8);
}

#[test]
#[ignore = "slow: builds an exercise and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn exercise_08_wrong_solutions_fail() {
    wrong_solutions_fail(8);
}
