//! Checks that the course is whole, run by `cargo test --workspace` (the tests are in `tests/`).
//! Not teaching material and std only.
//!
//! - `tests/instructors.rs`: every lesson's chapter includes its folded notes for instructors, each
//!   with its minutes; every server answer they quote is in the transcript it names; the schedules
//!   of `docs/src/instructors.md` add up and use each lesson's minutes.
//! - `tests/book.rs`: every lesson has a chapter listed in `docs/src/SUMMARY.md`, every
//!   `{{#include …}}` in the book names an existing file and anchor, Rust code in the book is only
//!   included, every transcript is shown by a chapter, and every lesson chapter puts its exercise
//!   before the lesson's code, which it shows folded.
//! - `tests/transcripts.rs` (needs the real `curl`, so `#[ignore]`d): every curl transcript under
//!   `docs/src/transcripts/lesson-0N/` is what the lesson's real binary answers now.
//!   `UPDATE_TRANSCRIPTS=1` rewrites them.
//! - `tests/demos.rs`: every chapter's "Try it" shows its no-browser steps as the script
//!   `docs/src/demos/lesson-0N.sh` and no other commands, and the notes for instructors show none;
//!   the `#[ignore]`d test (needs curl, openssl, redis-server) runs each script and compares its
//!   output with `lesson-0N.out`. `UPDATE_DEMOS=1` rewrites those.
//! - `tests/flask_cookie.rs` (needs `python3`, so `#[ignore]`d): the Flask-cookie decoder shown in
//!   `docs/src/corrections.md` prints what the book says it prints.
//!
//! How to write chapters and transcripts: `docs/CONTRIBUTING.md`.

use std::fs;
use std::path::{Path, PathBuf};

pub mod book;
pub mod built;
pub mod demo;
pub mod diff;
pub mod instructors;
pub mod transcript;

/// A lesson of the course: directory `lesson-0N-topic`, package `lesson-0N`, port `800N`,
/// chapter `docs/src/lesson-0N.md`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lesson {
    /// `lesson-01`: the package, the binary and the chapter's file name.
    pub package: String,
    /// `lesson-01-cookies`, relative to the workspace root.
    pub dir: String,
    pub number: u16,
}

impl Lesson {
    /// The lesson in directory `dir` (`lesson-0N-topic`), or `None` if the name is not a lesson's.
    pub fn from_dir(dir: &str) -> Option<Lesson> {
        let rest = dir.strip_prefix("lesson-")?;
        let (digits, topic) = rest.split_once('-')?;
        if digits.len() != 2 || topic.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Lesson {
            package: format!("lesson-{digits}"),
            dir: dir.to_owned(),
            number: digits.parse().ok()?,
        })
    }

    /// The port the lesson listens on by default.
    pub fn port(&self) -> u16 {
        8000 + self.number
    }

    /// The chapter's path relative to `docs/src/`.
    pub fn chapter(&self) -> String {
        format!("{}.md", self.package)
    }
}

/// The workspace root, two levels above this package's directory (`tools/course-check`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("course-check lives in tools/ inside the workspace")
        .to_path_buf()
}

/// Every lesson, found both as a `lesson-0N-*` directory at the root and as a workspace member
/// in the root `Cargo.toml`, in course order.
pub fn lessons(root: &Path) -> Vec<Lesson> {
    let mut dirs: Vec<String> = fs::read_dir(root)
        .expect("read the workspace root")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    dirs.extend(workspace_members(root));
    let mut lessons: Vec<Lesson> = dirs.iter().filter_map(|d| Lesson::from_dir(d)).collect();
    lessons.sort();
    lessons.dedup();
    lessons
}

/// The `members = [ … ]` entries of the root `Cargo.toml` (one quoted path per line or not).
pub fn workspace_members(root: &Path) -> Vec<String> {
    let manifest = read(&root.join("Cargo.toml"));
    let Some(start) = manifest.find("members") else {
        return Vec::new();
    };
    let list = &manifest[start..];
    let (Some(open), Some(close)) = (list.find('['), list.find(']')) else {
        return Vec::new();
    };
    list[open + 1..close]
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .flat_map(|line| line.split(','))
        .map(|item| item.trim().trim_matches('"').to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Every file under `dir` (recursively) whose name ends with `suffix`, sorted.
pub fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path, suffix));
        } else if path.to_string_lossy().ends_with(suffix) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The whole file as text, or a panic that names it.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `path` relative to the workspace root, for messages.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Panics with every problem at once, so one run shows all that is wrong, and where to read how
/// to mend it (`see`, such as `docs/CONTRIBUTING.md`).
pub fn assert_none(problems: Vec<String>, what: &str, see: &str) {
    assert!(
        problems.is_empty(),
        "{what}:\n  {}\n(see {see})",
        problems.join("\n  ")
    );
}
