//! The challenges, one for each of lessons 02 to 08: a task that uses the lesson's idea where no
//! chapter does. `start NN --challenge` copies lesson NN's own code into
//! `exercises/challenge-NN/`; `check NN --challenge` holds it to the challenge's checks
//! (`specs::challenge`) and to lesson NN's spec, so the lesson still works; `solution NN
//! --challenge` shows the diff from lesson NN to the reference (`course/challenges/NN/`, the
//! lesson's files that the challenge changes) once the check passed.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use specs::{Program, Settings};

use crate::{code_files, copy_code, exercise_manifest, read, write, Course, State};

/// The lessons with a challenge.
pub const CHALLENGES: std::ops::RangeInclusive<u8> = 2..=8;

/// Challenge `n`'s name.
pub fn title(n: u8) -> Option<&'static str> {
    match n {
        2 => Some("A visit counter the browser cannot change"),
        3 => Some("Forget my colour"),
        4 => Some("Two lifetimes"),
        5 => Some("Welcome back"),
        6 => Some("Your sessions"),
        7 => Some("Three sessions at most"),
        8 => Some("Delete my account"),
        _ => None,
    }
}

/// Challenge `n`'s task, as its README shows it.
pub fn task(n: u8) -> Option<&'static str> {
    match n {
        2 => Some(include_str!("../challenges/02.md")),
        3 => Some(include_str!("../challenges/03.md")),
        4 => Some(include_str!("../challenges/04.md")),
        5 => Some(include_str!("../challenges/05.md")),
        6 => Some(include_str!("../challenges/06.md")),
        7 => Some(include_str!("../challenges/07.md")),
        8 => Some(include_str!("../challenges/08.md")),
        _ => None,
    }
}

/// Challenge `n`'s hints, each a section of `course/challenges/NN-hints.md` that starts with a
/// line `## Hint K`, in order.
pub fn hints(n: u8) -> Vec<String> {
    let text = match n {
        2 => include_str!("../challenges/02-hints.md"),
        3 => include_str!("../challenges/03-hints.md"),
        4 => include_str!("../challenges/04-hints.md"),
        5 => include_str!("../challenges/05-hints.md"),
        6 => include_str!("../challenges/06-hints.md"),
        7 => include_str!("../challenges/07-hints.md"),
        8 => include_str!("../challenges/08-hints.md"),
        _ => "",
    };
    let mut hints = Vec::new();
    for line in text.lines() {
        if line.starts_with("## Hint ") {
            hints.push(String::new());
        } else if let Some(hint) = hints.last_mut() {
            hint.push_str(line);
            hint.push('\n');
        }
    }
    hints.into_iter().map(|h| h.trim().to_owned()).collect()
}

/// Every check challenge `n` is held to: its own, then lesson `n`'s spec and the earlier lessons'
/// checks the lesson keeps.
pub fn checks(n: u8) -> Option<Vec<specs::Check>> {
    let own = specs::challenge(n)?;
    task(n)?;
    let mut all = own.to_vec();
    all.extend_from_slice(specs::spec(n)?);
    all.extend(specs::kept(n));
    Some(all)
}

/// The package name of a started challenge.
pub fn package(n: u8) -> String {
    format!("challenge-{n:02}")
}

/// The port a started challenge listens on by default: 8200 + n, beside the exercises' 81NN.
pub fn port(n: u8) -> u16 {
    8200 + u16::from(n)
}

/// What the student sees of a check's command: `cargo course <command> NN --challenge`.
fn command_line(command: &str, n: u8) -> String {
    format!("cargo course {command} {n:02} --challenge")
}

/// One file the reference of a challenge changes: its path (as in the lesson), lesson NN's text
/// and the reference's (`None`: the one has no such file).
#[derive(Debug)]
pub struct Change {
    pub file: PathBuf,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Course {
    /// `exercises/challenge-NN/`.
    pub fn challenge_dir(&self, n: u8) -> PathBuf {
        self.exercises.join(format!("challenge-{n:02}"))
    }

    /// `course/challenges/NN/`: the reference's files that differ from lesson `n`'s.
    pub fn challenge_reference_dir(&self, n: u8) -> PathBuf {
        self.root.join(format!("course/challenges/{n:02}"))
    }

    /// Creates `exercises/challenge-NN/` from lesson `n`'s code, as a package `package` of its own
    /// workspace with lesson `n`'s dependencies, the course's lock file and target directory.
    /// Refuses to overwrite a started challenge unless `overwrite`.
    pub fn start_challenge(
        &self,
        n: u8,
        package: &str,
        overwrite: bool,
    ) -> Result<PathBuf, String> {
        let task = task(n).ok_or_else(|| format!("lesson {n:02} has no challenge"))?;
        let dir = self.challenge_dir(n);
        if dir.exists() {
            if !overwrite {
                return Err(format!(
                    "challenge {n:02} is already started in {}; `{} --overwrite` replaces it \
                     (your changes are lost)",
                    self.shown(&dir),
                    command_line("start", n)
                ));
            }
            fs::remove_dir_all(&dir).map_err(|e| format!("remove {}: {e}", dir.display()))?;
        }
        let lesson = self.lesson_dir(n)?;
        copy_code(&lesson, &dir, 8000 + u16::from(n), port(n))?;
        let main_rs = dir.join("src/main.rs");
        let code = read(&main_rs)?.replace(&format!("cargo run -p lesson-{n:02}"), "cargo run");
        let header = format!(
            "//! Challenge {n:02}: lesson {n:02}'s code, to extend as the challenge asks. The task: README.md.\n//!\n"
        );
        write(&main_rs, &(header + &code))?;
        let origin = self.shown(&lesson);
        let root_path = match dir.strip_prefix(&self.root) {
            Ok(inside) => vec![".."; inside.components().count()].join("/"),
            Err(_) => self.root.display().to_string(),
        };
        let lesson_toml = read(&lesson.join("Cargo.toml"))?;
        let root_toml = read(&self.root.join("Cargo.toml"))?;
        let manifest =
            exercise_manifest(&root_toml, &[&lesson_toml], package, n, &origin, &root_path)?;
        let (_, rest) = manifest.split_once('\n').unwrap_or(("", &manifest));
        let first = format!(
            "# Challenge {n:02}, started from {origin} by `{}`.\n",
            command_line("start", n)
        );
        write(&dir.join("Cargo.toml"), &(first + rest))?;
        let lock = self.root.join("Cargo.lock");
        if lock.is_file() {
            fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("copy Cargo.lock: {e}"))?;
        }
        write(
            &dir.join(".cargo/config.toml"),
            &crate::exercise_config(&self.root),
        )?;
        let readme = format!(
            "# Challenge {n:02} · {}\n\nStarted from `{origin}` (lesson {n:02} · {}); it serves \
             on <http://127.0.0.1:{}> (`cargo run` here).\n\n{task}",
            title(n).unwrap_or_default(),
            self.title(n),
            port(n)
        );
        write(&dir.join("README.md"), &readme)?;
        Ok(dir)
    }

    /// The files the reference of challenge `n` changes in lesson `n`'s code.
    pub fn challenge_changes(&self, n: u8) -> Result<Vec<Change>, String> {
        let lesson = self.lesson_dir(n)?;
        let reference = self.challenge_reference_dir(n);
        let mut files = code_files(&lesson)?;
        files.extend(code_files(&reference)?);
        files.sort();
        files.dedup();
        let mut changes = Vec::new();
        for file in files {
            let old = fs::read_to_string(lesson.join(&file)).ok();
            let new = match fs::read_to_string(reference.join(&file)) {
                Ok(text) => Some(text),
                Err(_) => old.clone(),
            };
            if old != new {
                changes.push(Change { file, old, new });
            }
        }
        Ok(changes)
    }

    /// Puts challenge `n`'s reference into the started challenge in `dir`, as a student who
    /// copies it would (port and tests as [`copy_code`] writes them).
    pub fn put_challenge_reference(&self, n: u8, dir: &Path) -> Result<(), String> {
        copy_code(
            &self.challenge_reference_dir(n),
            dir,
            8000 + u16::from(n),
            port(n),
        )
    }

    fn challenge_state_file(&self) -> PathBuf {
        self.exercises.join(".challenge-state")
    }

    /// What `check`, `hint` and `solution` remember of the challenges between runs.
    pub fn challenge_state(&self) -> State {
        State::parse(&fs::read_to_string(self.challenge_state_file()).unwrap_or_default())
    }

    fn save_challenge_state(&self, state: &State) -> Result<(), String> {
        write(&self.challenge_state_file(), &state.to_text())
    }

    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// `cargo course <command> NN --challenge`: `start`, `check`, `hint` or `solution`, with the
/// command line's other flags (`--overwrite`, `--force`); colours when `color`.
pub fn command(
    course: &Course,
    command: &str,
    n: u8,
    flags: &[&str],
    color: bool,
) -> Result<ExitCode, String> {
    if checks(n).is_none() {
        return Err(format!(
            "lesson {n:02} has no challenge: the challenges are {:02} to {:02}",
            CHALLENGES.start(),
            CHALLENGES.end()
        ));
    }
    let paint = |code: &str, text: &str| paint(color, code, text);
    match command {
        "start" => {
            let dir = course.start_challenge(n, &package(n), flags.contains(&"--overwrite"))?;
            let shown = course.shown(&dir);
            let name = title(n).unwrap_or_default();
            println!("Challenge {n:02} · {name} is in {shown}/");
            println!("The task is in {shown}/README.md:\n");
            let task = task(n).unwrap_or_default().trim();
            println!("{}", task.split("\n\n").next().unwrap_or(""));
            println!(
                "\nRun it:    cd {shown} && cargo run     (http://127.0.0.1:{})",
                port(n)
            );
            println!("Check it:  {}", command_line("check", n));
            Ok(ExitCode::SUCCESS)
        }
        "check" => check(course, n, color),
        "hint" => {
            let all = hints(n);
            let mut state = course.challenge_state();
            let entry = state.entry(n);
            let index = entry.hints_shown.min(all.len().saturating_sub(1));
            let text = all
                .get(index)
                .ok_or_else(|| format!("challenge {n:02} has no hints"))?;
            println!(
                "Hint {} of {} for challenge {n:02}:\n\n{text}",
                index + 1,
                all.len()
            );
            if index + 1 == all.len() {
                println!(
                    "\nThat was the last hint. `{}` shows the reference once the check passes.",
                    command_line("solution", n)
                );
            }
            entry.hints_shown = index + 1;
            course.save_challenge_state(&state)?;
            Ok(ExitCode::SUCCESS)
        }
        "solution" => {
            if !flags.contains(&"--force") && !course.challenge_state().get(n).passed() {
                return Err(format!(
                    "the reference is shown once `{}` passes; `{} --force` shows it now",
                    command_line("check", n),
                    command_line("solution", n)
                ));
            }
            let lesson = course.lesson_dir(n)?;
            let reference = course.challenge_reference_dir(n);
            let mut out = format!(
                "The reference for challenge {n:02}: from {} to {}.\n\n",
                course.shown(&lesson),
                course.shown(&reference)
            );
            for Change { file, old, new } in course.challenge_changes(n)? {
                let name = |dir: &Path, text: &Option<String>| match text {
                    Some(_) => course.shown(&dir.join(&file)),
                    None => "/dev/null".to_owned(),
                };
                let diff = crate::diff::unified(
                    &name(&lesson, &old),
                    &name(&reference, &new),
                    old.as_deref().unwrap_or(""),
                    new.as_deref().unwrap_or(""),
                );
                for line in diff.lines() {
                    let painted = match line.chars().next() {
                        Some('+') if !line.starts_with("+++") => paint("32", line),
                        Some('-') if !line.starts_with("---") => paint("31", line),
                        Some('@') => paint("2", line),
                        _ => line.to_owned(),
                    };
                    out.push_str(&painted);
                    out.push('\n');
                }
            }
            // Written at once, and a closed pipe (`| head`) is no error.
            let _ = std::io::stdout().write_all(out.as_bytes());
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!(
            "`{other}` has no --challenge; start, check, hint and solution do"
        )),
    }
}

/// Builds `exercises/challenge-NN/`, starts it, runs its checks and prints each one's result,
/// with what was expected and what came back for each failure.
fn check(course: &Course, n: u8, color: bool) -> Result<ExitCode, String> {
    let paint = |code: &str, text: &str| paint(color, code, text);
    let all = checks(n).unwrap_or_default();
    let dir = course.challenge_dir(n);
    if !dir.is_dir() {
        return Err(format!(
            "challenge {n:02} is not started; `{}` starts it",
            command_line("start", n)
        ));
    }
    println!("Building {} …", course.shown(&dir));
    let binary = match course.build(&dir, &package(n), color) {
        Ok(binary) => binary,
        Err(compiler) => {
            println!(
                "{}\n",
                paint("31", &format!("challenge {n:02} does not build:"))
            );
            println!("{}", compiler.trim_end());
            println!("\nFix what the compiler says, then check again.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let program = specs::Binary::new(binary, &dir);
    if let Err(printed) = program.start(&Settings::default()) {
        let message = format!("challenge {n:02} builds but does not start:");
        println!("{}\n", paint("31", &message));
        println!("{}", printed.trim_end());
        return Ok(ExitCode::FAILURE);
    }
    let own = specs::challenge(n).map_or(0, <[_]>::len);
    println!(
        "Running challenge {n:02}'s {own} checks, and lesson {n:02}'s {} …",
        all.len() - own
    );
    let missing = crate::missing(&all, crate::installed);
    let outcomes = crate::run_installed(&all, &missing, &program);
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let mut report = specs::report(&outcomes, &program);
    report = report.replace("  ok      ", &paint("32", "  ok      "));
    report = report.replace("  FAILED  ", &paint("31", "  FAILED  "));
    println!("{report}");
    for note in crate::not_run_notes(&missing) {
        println!("{}\n", paint("31", &note));
    }
    let mut state = course.challenge_state();
    state.entry(n).last_check = Some((passed, outcomes.len()));
    course.save_challenge_state(&state)?;
    let summary = format!("{passed} of {} checks passed", outcomes.len());
    if passed == outcomes.len() {
        println!("{}", paint("32", &summary));
        println!(
            "Challenge {n:02} passes. `{}` shows the reference.",
            command_line("solution", n)
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{}", paint("31", &summary));
        println!("More help: `{}`.", command_line("hint", n));
        Ok(ExitCode::FAILURE)
    }
}

/// `text` in the terminal colour `code` (`32` green, `31` red, `2` dim) when `color`.
fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_challenge_has_a_task_checks_hints_and_a_reference() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace")
            .to_path_buf();
        let course = Course::at(root);
        for n in CHALLENGES {
            let task = task(n).expect("a task");
            assert!(title(n).is_some(), "{n:02}");
            assert!(task.contains(&command_line("check", n)), "{n:02}");
            assert!(
                !task.contains("## Hint"),
                "{n:02}: hints are in NN-hints.md"
            );
            assert!(hints(n).len() >= 2, "{n:02}");
            assert!(checks(n).is_some_and(|all| all.len() > specs::spec(n).map_or(0, <[_]>::len)));
            let changes = course.challenge_changes(n).expect("the reference");
            assert!(!changes.is_empty(), "{n:02}: the reference changes nothing");
        }
        assert!(task(1).is_none() && checks(9).is_none());
    }
}
