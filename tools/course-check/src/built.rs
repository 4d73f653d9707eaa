//! The lessons' binaries as `cargo test --workspace` (or `cargo build -p lesson-0N`) built them,
//! for the tests that run them as real processes (`tests/transcripts.rs`, `tests/demos.rs`), and
//! a scratch directory for what those runs write.

use crate::Lesson;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The lesson's binary next to this test's own executable (`target/debug/deps/…` → `target/debug`).
pub fn binary(lesson: &Lesson) -> PathBuf {
    binary_dir().join(format!(
        "{}{}",
        lesson.package,
        std::env::consts::EXE_SUFFIX
    ))
}

/// The directory of the lessons' binaries: `target/<profile>`, the parent of the test's `deps/`.
pub fn binary_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

fn modified(path: &Path) -> SystemTime {
    fs::metadata(path)
        .and_then(|meta| meta.modified())
        .unwrap_or_else(|e| panic!("modification time of {}: {e}", path.display()))
}

/// Panics unless the binary exists and is newer than every source file it was built from. Cargo
/// lists those in the dep-info file next to the binary (`target/debug/lesson-0N.d`); `src/tests.rs`
/// is not among them, since the binary does not contain the tests. Nor is `Cargo.toml`: an edit
/// that changes nothing in the binary (a dev-dependency, say) leaves it as it was, and one that
/// does makes `cargo build` relink it.
pub fn assert_fresh(lesson: &Lesson, binary: &Path) {
    let build = format!("cargo build -p {}", lesson.package);
    assert!(
        binary.is_file(),
        "{} does not exist: run `{build}` (`cargo test --workspace` builds it too)",
        binary.display()
    );
    let dep_info = binary.with_extension("d");
    let sources = fs::read_to_string(&dep_info)
        .map(|text| dependencies(&text))
        .unwrap_or_default();
    let built = modified(binary);
    if let Some(newer) = sources.iter().find(|source| modified(source) > built) {
        panic!(
            "{} is newer than {}: run `{build}` first",
            newer.display(),
            binary.display()
        );
    }
}

/// The files after `target:` in a Makefile-style dep-info file (spaces in names escaped as `\ `).
fn dependencies(dep_info: &str) -> Vec<PathBuf> {
    let Some((_, files)) = dep_info
        .lines()
        .next()
        .and_then(|line| line.split_once(": "))
    else {
        return Vec::new();
    };
    files
        .replace("\\ ", "\0")
        .split(' ')
        .filter(|file| !file.is_empty())
        .map(|file| PathBuf::from(file.replace('\0', " ")))
        .collect()
}

/// A fresh empty directory for one run's files (cookie jars, output), removed when dropped.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(name: &str) -> ScratchDir {
        // No `:` in the name, so that a directory inside it can go on a `PATH`.
        let since_epoch = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!(
            "course-check-{}-{name}-{}",
            std::process::id(),
            since_epoch.as_nanos()
        ));
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_lists_the_sources_with_escaped_spaces() {
        let dep_info = "/t/debug/lesson-01: /w/src/main.rs /w/my\\ dir/a.rs\n\n/w/src/main.rs:\n";
        assert_eq!(
            dependencies(dep_info),
            [
                PathBuf::from("/w/src/main.rs"),
                PathBuf::from("/w/my dir/a.rs")
            ]
        );
    }
}
