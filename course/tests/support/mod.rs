//! What the course's tests share: a scratch place for exercises, builds, and the "plausible wrong
//! solutions" (every patch of a lesson's code that a test applies is in [`WRONG`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use course::Course;

/// The workspace this test was built in.
pub(crate) fn workspace() -> PathBuf {
    test_support::workspace_root(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory this test runs from (`<target>/debug/deps/<test>`), which holds the
/// dependencies the exercises reuse.
pub(crate) fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.ancestors()
        .nth(3)
        .expect("tests run from <target>/<profile>/deps")
        .to_path_buf()
}

/// The tests build many variants of the exercises: without incremental data or debug info and
/// stripped, each takes 19 MB of target/ instead of 83 MB. The dependencies are built with
/// `debug = false` anyway, so they are still reused.
pub(crate) const SMALL_BUILDS: [(&str, &str); 3] = [
    ("CARGO_INCREMENTAL", "0"),
    ("CARGO_PROFILE_DEV_DEBUG", "0"),
    ("CARGO_PROFILE_DEV_STRIP", "true"),
];

/// The course with its exercises in a fresh directory of their own (never the student's
/// `exercises/`), named after `label`.
pub(crate) fn scratch(label: &str) -> Course {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "course-{label}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove an old scratch directory");
    }
    Course {
        root: workspace(),
        exercises: dir,
        target_dir: target_dir(),
        build_env: SMALL_BUILDS
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// Exercise `n` started in `course` as package `package` (unique per test, so that parallel tests
/// never share a binary), and built.
pub(crate) fn start_and_build(course: &Course, n: u8, package: &str) -> PathBuf {
    let dir = course
        .start(n, package, false)
        .unwrap_or_else(|e| panic!("start {n:02}: {e}"));
    build(course, &dir, package)
}

pub(crate) fn build(course: &Course, dir: &Path, package: &str) -> PathBuf {
    course
        .build(dir, package, false)
        .unwrap_or_else(|compiler| panic!("{package} does not build:\n{compiler}"))
}

/// Lesson `n`'s reference code put into the started exercise, as a student who copies it would.
pub(crate) fn put_reference(course: &Course, n: u8) {
    let lesson = course.lesson_dir(n).expect("the lesson");
    course::copy_code(
        &lesson,
        &course.exercise_dir(n),
        8000 + u16::from(n),
        course::port(n),
    )
    .unwrap_or_else(|e| panic!("copy lesson {n:02}: {e}"));
}

/// A plausible wrong solution: lesson `exercise`'s reference with `from` replaced by `to` in `file`.
pub(crate) struct Wrong {
    pub(crate) exercise: u8,
    pub(crate) label: &'static str,
    pub(crate) what: &'static str,
    pub(crate) file: &'static str,
    pub(crate) from: &'static str,
    pub(crate) to: &'static str,
    /// Words of the name of a check it must fail: the one that catches this mistake.
    pub(crate) fails: &'static str,
}

/// Every wrong solution the tests hold the checker to. Each patch must still apply to the lesson's
/// code: when a lesson changes so that `from` is gone, [`apply`] fails the test, naming it here.
pub(crate) const WRONG: &[Wrong] = &[
    Wrong {
        exercise: 1,
        label: "no-httponly",
        what: "the cookie `user` without `HttpOnly`, readable by any script on the page",
        file: "src/main.rs",
        from: ".http_only(true)",
        to: "",
        fails: "`user=Tim; HttpOnly;",
    },
    Wrong {
        exercise: 2,
        label: "add",
        what: "the name kept with `add`, in plain text, instead of `add_private`",
        file: "src/main.rs",
        from: "add_private(",
        to: "add(",
        fails: "`user=<encrypted>; HttpOnly;",
    },
    Wrong {
        exercise: 3,
        label: "logout-clears",
        what: "\"log out\" removes the colour too, as `session.clear()` would",
        file: "src/main.rs",
        from: "    jar.remove_private(USER_COOKIE);\n",
        to: "    jar.remove_private(USER_COOKIE);\n    jar.remove_private(COLOUR_COOKIE);\n",
        fails: "logging out removes `user` only",
    },
    Wrong {
        exercise: 4,
        label: "expiry-in-cookie-only",
        what: "the expiry only in the cookie's `Expires`/`Max-Age`: the server takes any session it can decrypt",
        file: "src/main.rs",
        // The expiry test (`now < … expires && …`): made always true.
        from: "now < ",
        to: "true || now < ",
        fails: "a session is refused once its time is up",
    },
    Wrong {
        exercise: 5,
        label: "nav-in-handler",
        what: "the navigation decided by a value the handlers must pass (`logged_in`), not by the session in the template",
        file: "templates/base.html.tera",
        from: "{% if \"user\" in session %}",
        to: "{% if logged_in %}",
        fails: "the navigation of every page says",
    },
    Wrong {
        exercise: 6,
        label: "logout-keeps-record",
        what: "log out that deletes the cookie but not the session's record in the store",
        file: "src/main.rs",
        from: "        store.sessions().remove(&id);\n",
        to: "        let _ = (&id, store);\n",
        fails: "logging out revokes a copy of the cookie",
    },
    Wrong {
        exercise: 7,
        label: "fallback-not-reissued",
        what: "a cookie under a fallback key accepted, but never re-issued under the current key",
        file: "src/main.rs",
        // `read` no longer says an old key was needed, so the guard does not write the cookie again.
        from: "Some(cookie) => (cookie, true),",
        to: "Some(cookie) => (cookie, false),",
        fails: "a cookie made under the old key is accepted and re-issued",
    },
];

/// Fails a test whose checks start a `redis-server` when it is not installed, rather than letting
/// those checks fail against every program (a test expecting a failure would pass for nothing).
pub(crate) fn require_redis_server() {
    assert!(
        course::installed("redis-server"),
        "redis-server is not installed. These tests start a real Redis: install the Debian package \
         `redis-server` (`sudo apt-get install redis-server`), see README.md."
    );
}

/// Applies `wrong` to the exercise in `dir`: every occurrence of `from`, of which there must be one
/// at least.
pub(crate) fn apply(wrong: &Wrong, dir: &Path) {
    let path = dir.join(wrong.file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
    assert!(
        text.contains(wrong.from),
        "the wrong solution {:?} of exercise {:02} no longer applies: {} has no {:?}. \
         Update its patch in course/tests/support/mod.rs to the lesson's code.",
        wrong.label,
        wrong.exercise,
        wrong.file,
        wrong.from
    );
    std::fs::write(&path, text.replace(wrong.from, wrong.to)).expect("write the patched file");
}
