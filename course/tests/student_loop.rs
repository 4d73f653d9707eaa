//! The whole loop as a student runs it, in a copy of the workspace: `start 01`, `check 01` fails,
//! a build error and a program that does not start are reported as such, the reference code copied
//! in, `check 01` passes, and `list`, `hint` and `solution` follow. And `check 07` on a machine
//! without `redis-server`: its checks on Redis are listed as not run, with how to install it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace copied to a scratch directory named after `label`, without its target/, .git/ or
/// exercises/.
fn copy_of_the_workspace(label: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).expect("create a directory of the copy");
        for entry in fs::read_dir(from).expect("read the workspace") {
            let entry = entry.expect("a directory entry");
            let name = entry.file_name();
            if ["target", ".git", "exercises", "book", ".venv"]
                .contains(&name.to_str().unwrap_or(""))
            {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                copy(&path, &to.join(&name));
            } else {
                fs::copy(&path, to.join(&name)).expect("copy a file");
            }
        }
    }
    let root = test_support::workspace_root(env!("CARGO_MANIFEST_DIR"));
    let copy_root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("course-{label}-{}", std::process::id()));
    if copy_root.exists() {
        fs::remove_dir_all(&copy_root).expect("remove an old copy");
    }
    copy(&root, &copy_root);
    copy_root
}

/// What `cargo course <args>` runs, in `root`: the same binary, with the real target directory so
/// that the exercise builds against the dependencies already compiled there.
fn course(root: &Path, args: &[&str]) -> Output {
    course_with_path(root, args, None)
}

/// [`course`] with `PATH` set to `path` when given.
fn course_with_path(root: &Path, args: &[&str], path: Option<&Path>) -> Output {
    let exe = std::env::current_exe().expect("the test's own path");
    let target_dir = exe
        .ancestors()
        .nth(3)
        .expect("tests run from <target>/<profile>/deps");
    Command::new(env!("CARGO_BIN_EXE_course"))
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        // As the other tests' builds (tests/support): small, and the dependencies still reused.
        .envs([
            ("CARGO_INCREMENTAL", "0"),
            ("CARGO_PROFILE_DEV_DEBUG", "0"),
            ("CARGO_PROFILE_DEV_STRIP", "true"),
        ])
        .env_remove("NO_COLOR")
        .envs(path.map(|path| ("PATH", path)))
        .output()
        .expect("run the course binary")
}

/// A directory of links to every program on `PATH` but `redis-server`, for a `PATH` without it.
fn path_without_redis_server(root: &Path) -> PathBuf {
    let dir = root.join("path-without-redis-server");
    fs::create_dir_all(&dir).expect("create the directory of links");
    let path = std::env::var_os("PATH").expect("a PATH");
    for entry in std::env::split_paths(&path).filter_map(|d| fs::read_dir(d).ok()) {
        for program in entry.filter_map(Result::ok) {
            let (name, link) = (program.file_name(), dir.join(program.file_name()));
            if name != "redis-server" && !link.exists() {
                std::os::unix::fs::symlink(program.path(), link).expect("link a program");
            }
        }
    }
    dir
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn assert_ok(output: &Output) -> String {
    let text = text(output);
    assert!(output.status.success(), "{text}");
    text
}

fn assert_fails(output: &Output) -> String {
    let text = text(output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    text
}

fn patched(path: &Path, from: &str, to: &str) {
    let source = fs::read_to_string(path).expect("read the file to patch");
    assert!(
        source.contains(from),
        "{path:?} no longer contains {from:?}: update this test"
    );
    fs::write(path, source.replace(from, to)).expect("write the patched file");
}

#[test]
#[ignore = "builds an exercise in a copy of the workspace (10 s and more): cargo test -- --ignored"]
fn start_check_fail_copy_the_reference_check_pass() {
    let root = copy_of_the_workspace("loop");
    let total = course::checks(1).expect("exercise 01").len();
    let exercise = root.join("exercises/lesson-01");

    let list = assert_ok(&course(&root, &["list"]));
    for n in course::EXERCISES {
        let line = list
            .lines()
            .find(|l| l.starts_with(&format!("  {n:02}  ")))
            .unwrap_or_else(|| panic!("no line for {n:02}:\n{list}"));
        let status = if course::checks(n).is_some() {
            "not started"
        } else {
            "not yet available"
        };
        assert!(line.ends_with(status), "{line}");
    }
    let (_, challenges) = list
        .split_once("Going further: the challenges")
        .unwrap_or_else(|| panic!("no challenges listed:\n{list}"));
    for n in course::challenge::CHALLENGES {
        let name = course::challenge::title(n).expect("a challenge's title");
        let line = format!("  {n:02}  {name:<42} not started");
        assert!(challenges.contains(&line), "no {line:?}:\n{list}");
    }

    let started = assert_ok(&course(&root, &["start", "01"]));
    assert!(started.contains("exercises/lesson-01/"), "{started}");
    let readme = fs::read_to_string(exercise.join("README.md")).expect("the task's README");
    assert!(readme.contains("cargo course check 01"), "{readme}");
    let again = course(&root, &["start", "01"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("already started"), "{}", text(&again));

    let failed = assert_fails(&course(&root, &["check", "01"]));
    assert!(failed.contains("✗ FAILED"), "{failed}");
    assert!(
        failed.contains(&format!("of {total} checks passed")),
        "{failed}"
    );
    // Every failed check with its details, not only the first.
    let (_, details) = failed
        .split_once("What the failed checks found:\n")
        .unwrap_or_else(|| panic!("no details of the failures:\n{failed}"));
    let failed_checks: Vec<&str> = failed
        .lines()
        .filter_map(|l| l.strip_prefix("  ✗ FAILED  "))
        // The line may end with "  (this lesson's point)".
        .filter_map(|rest| rest.split("  (").next())
        .collect();
    assert!(failed_checks.len() > 1, "{failed}");
    for name in failed_checks {
        // Each failure: the request, what was expected and what came back, before the next one.
        let at = details
            .find(&format!("✗ {name}\n  request:  "))
            .unwrap_or_else(|| panic!("no details for {name:?}:\n{failed}"));
        let block = details[at + "✗".len()..]
            .split("\n✗ ")
            .next()
            .unwrap_or_default();
        assert!(block.contains("\n  expected: "), "{failed}");
        assert!(block.contains("\n  got:      "), "{failed}");
    }
    assert!(details.contains("hint:     Chapter 1"), "{failed}");
    let refused = course(&root, &["solution", "01"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("--force"), "{}", text(&refused));

    let first = assert_ok(&course(&root, &["hint", "01"]));
    assert!(first.contains("Hint 1 of"), "{first}");
    let second = assert_ok(&course(&root, &["hint", "01"]));
    assert!(second.contains("Hint 2 of"), "{second}");

    let main_rs = exercise.join("src/main.rs");
    let lesson = root.join("lesson-01-cookies");
    fs::write(&main_rs, "fn main() { let x: u8 = \"not a number\"; }\n").expect("write");
    let broken = assert_fails(&course(&root, &["check", "01"]));
    assert!(broken.contains("exercise 01 does not build:"), "{broken}");
    assert!(
        broken.contains("error[E0308]: mismatched types"),
        "{broken}"
    );
    assert!(!broken.contains("checks passed"), "{broken}");

    // A student copies the reference in as is: `mod tests;` stays, as `cargo build` skips it.
    fs::copy(lesson.join("src/main.rs"), &main_rs).expect("copy main.rs");
    for template in fs::read_dir(lesson.join("templates")).expect("templates") {
        let template = template.expect("a template").path();
        let name = template.file_name().expect("a name");
        fs::copy(&template, exercise.join("templates").join(name)).expect("copy a template");
    }
    patched(&main_rs, "routes![home,", "routes![home, home,");
    let colliding = assert_fails(&course(&root, &["check", "01"]));
    assert!(
        colliding.contains("exercise 01 builds but does not start:"),
        "{colliding}"
    );
    assert!(!colliding.contains("checks passed"), "{colliding}");

    patched(&main_rs, "routes![home, home,", "routes![home,");
    let passed = assert_ok(&course(&root, &["check", "01"]));
    assert!(
        passed.contains(&format!("{total} of {total} checks passed")),
        "{passed}"
    );
    assert!(!passed.contains("FAILED"), "{passed}");

    let list = assert_ok(&course(&root, &["list"]));
    let first = list.lines().find(|l| l.starts_with("  01  ")).expect("01");
    assert!(first.ends_with("passed"), "{list}");
    let solution = assert_ok(&course(&root, &["solution", "01"]));
    assert!(
        solution.contains("+++ lesson-01-cookies/src/main.rs"),
        "{solution}"
    );
    let added_cookie = |l: &&str| l.starts_with('+') && l.contains("jar.add(");
    assert!(solution.lines().any(|l| added_cookie(&l)), "{solution}");

    fs::remove_dir_all(&root).expect("remove the copy");
}

#[test]
#[ignore = "builds an exercise in a copy of the workspace (10 s and more): cargo test -- --ignored"]
fn check_07_without_redis_server_runs_the_other_checks_and_says_what_to_install() {
    let root = copy_of_the_workspace("no-redis");
    let path = path_without_redis_server(&root);
    assert_ok(&course(&root, &["start", "07"]));
    let checked = assert_fails(&course_with_path(&root, &["check", "07"], Some(&path)));
    let on_redis = |check: &&specs::Check| check.name.contains(specs::lesson_07::NEEDS_REDIS);
    let all = course::checks(7).expect("exercise 07");
    for check in all.iter().filter(on_redis) {
        let line = checked
            .lines()
            .find(|l| l.contains(check.name))
            .unwrap_or_else(|| panic!("no line for {:?}:\n{checked}", check.name));
        assert!(
            line.starts_with("  - not run ") && line.ends_with("(needs redis-server)"),
            "{line}"
        );
    }
    let others = all.iter().filter(|c| !on_redis(c)).count();
    let ran = checked
        .lines()
        .filter(|l| l.starts_with("  ✓ passed ") || l.starts_with("  ✗ FAILED "))
        .count();
    assert_eq!(ran, others, "{checked}");
    assert!(
        checked.contains(&format!(
            "{} checks were not run: they start a `redis-server`, which is not installed. \
             Install the Debian package `redis-server` (`sudo apt-get install redis-server`)",
            all.len() - others
        )),
        "{checked}"
    );
    fs::remove_dir_all(&root).expect("remove the copy");
}
