//! `cargo course …` works where a student types it: at the workspace's root, in any folder of it,
//! and inside a started exercise, which is a workspace of its own where `cargo run -p course`
//! finds no package `course` (the exercise's `.cargo/config.toml` gives it the alias).

use std::path::{Path, PathBuf};
use std::process::Command;

use course::Course;

/// `cargo course list` run in `dir`, with the target directory this test was built in (which
/// holds the `course` binary already), and what it printed.
fn cargo_course_list(dir: &Path) -> String {
    let exe = std::env::current_exe().expect("the test's own path");
    let target_dir = exe
        .ancestors()
        .nth(3)
        .expect("tests run from <target>/<profile>/deps");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["course", "list"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "in {}:\n{text}", dir.display());
    text
}

fn assert_lists_every_exercise(dir: &Path) {
    let list = cargo_course_list(dir);
    assert!(
        list.starts_with("Sessions in Rocket: the exercises\n"),
        "in {}:\n{list}",
        dir.display()
    );
    for n in course::EXERCISES {
        assert!(
            list.lines().any(|l| l.starts_with(&format!("  {n:02}  "))),
            "in {}, no line for {n:02}:\n{list}",
            dir.display()
        );
    }
}

#[test]
fn cargo_course_runs_at_the_root_and_in_any_folder_of_the_workspace() {
    let root = test_support::workspace_root(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        root.clone(),
        root.join("docs"),
        root.join("lesson-04-permanent/src"),
    ] {
        assert_lists_every_exercise(&dir);
    }
}

#[test]
fn cargo_course_runs_inside_a_started_exercise_and_its_folders() {
    let root = test_support::workspace_root(env!("CARGO_MANIFEST_DIR"));
    let scratch: PathBuf =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("course-alias-{}", std::process::id()));
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).expect("remove an old scratch directory");
    }
    let course = Course {
        exercises: scratch.clone(),
        ..Course::at(root)
    };
    let dir = course
        .start(4, "exercise-04-alias", false)
        .unwrap_or_else(|e| panic!("start 04: {e}"));
    for dir in [dir.clone(), dir.join("src"), dir.join("templates")] {
        assert_lists_every_exercise(&dir);
    }
    std::fs::remove_dir_all(&scratch).expect("remove the scratch directory");
}
