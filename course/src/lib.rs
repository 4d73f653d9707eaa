//! The exercise runner behind `cargo course …`: starts an exercise from the previous
//! lesson's code, builds it against the workspace's already compiled dependencies, and holds it to
//! the lesson's black-box spec (package `specs`).

pub mod challenge;
pub mod diff;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use toml_edit::{DocumentMut, Item, Table, Value};

/// Exercise numbers the course knows of; those without a spec or a task are "not yet available".
pub const EXERCISES: std::ops::RangeInclusive<u8> = 1..=8;

/// The lesson whose code exercise `n` (2 or more) starts from: the one before, except for 08,
/// which is built on lesson 06's memory store rather than lesson 07's production store.
pub fn built_on(n: u8) -> u8 {
    match n {
        8 => 6,
        _ => n - 1,
    }
}

/// The lesson whose code `solution n` (2 or more) shows the diff from: the starting code's,
/// except for 04. Lesson 04 drops lesson 03's colour, "Forget me" and goodbye on purpose, and
/// lesson 02 is lesson 03 without them, so the diff from lesson 02 shows only lesson 04's point.
pub fn solution_from(n: u8) -> u8 {
    match n {
        4 => 2,
        _ => built_on(n),
    }
}

/// The task of exercise `n`, as its README and its lesson chapter show it.
pub fn task(n: u8) -> Option<&'static str> {
    match n {
        1 => Some(include_str!("../tasks/01.md")),
        2 => Some(include_str!("../tasks/02.md")),
        3 => Some(include_str!("../tasks/03.md")),
        4 => Some(include_str!("../tasks/04.md")),
        5 => Some(include_str!("../tasks/05.md")),
        6 => Some(include_str!("../tasks/06.md")),
        7 => Some(include_str!("../tasks/07.md")),
        8 => Some(include_str!("../tasks/08.md")),
        _ => None,
    }
}

/// Every check exercise `n` is held to: lesson `n`'s own, then those of earlier lessons it keeps.
pub fn checks(n: u8) -> Option<Vec<specs::Check>> {
    let own = specs::spec(n)?;
    task(n)?;
    let mut all = own.to_vec();
    all.extend(specs::kept(n));
    Some(all)
}

/// A program that some checks start besides the one checked, and the Debian package it comes in.
#[derive(Debug, PartialEq, Eq)]
pub struct Needed {
    /// The checks whose names contain this start it.
    pub marker: &'static str,
    pub program: &'static str,
    pub package: &'static str,
}

/// Every such program: lesson 07's checks on Redis each start a `redis-server` of their own.
pub const NEEDED: &[Needed] = &[Needed {
    marker: specs::lesson_07::NEEDS_REDIS,
    program: "redis-server",
    package: "redis-server",
}];

/// For each of `checks`, the program it starts that `installed` says is missing (such a check
/// would fail against any program, so it is not run).
pub fn missing(
    checks: &[specs::Check],
    installed: impl Fn(&str) -> bool,
) -> Vec<Option<&'static Needed>> {
    checks
        .iter()
        .map(|check| {
            NEEDED
                .iter()
                .find(|needed| check.name.contains(needed.marker) && !installed(needed.program))
        })
        .collect()
}

/// What to tell the student about the checks [`missing`] found: one line per program, with how
/// to install it.
pub fn not_run_notes(missing: &[Option<&'static Needed>]) -> Vec<String> {
    NEEDED
        .iter()
        .filter_map(|needed| {
            let count = missing.iter().filter(|m| **m == Some(needed)).count();
            (count > 0).then(|| {
                format!(
                    "{count} checks were not run: they start a `{}`, which is not installed. Install \
                     the Debian package `{}` (`sudo apt-get install {}`), then check again.",
                    needed.program, needed.package, needed.package
                )
            })
        })
        .collect()
}

/// [`specs::run`], with panics kept quiet while it runs: a check that panics is reported as a failed
/// check with its message, so the default hook's lines (and a backtrace, with `RUST_BACKTRACE` set)
/// would only bury the report.
pub fn run_checks<'c>(
    checks: &'c [specs::Check],
    program: &dyn specs::Program,
) -> Vec<specs::Outcome<'c>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcomes = specs::run(checks, program);
    std::panic::set_hook(hook);
    outcomes
}

/// Every check of `all` on `program`, in order, except those that start a program [`missing`]
/// found missing (such a check would fail against any code): they say what they need.
pub fn run_installed<'c>(
    all: &'c [specs::Check],
    missing: &[Option<&'static Needed>],
    program: &dyn specs::Program,
) -> Vec<specs::Outcome<'c>> {
    let runnable: Vec<specs::Check> = all
        .iter()
        .zip(missing)
        .filter(|(_, needed)| needed.is_none())
        .map(|(check, _)| *check)
        .collect();
    let mut ran = run_checks(&runnable, program).into_iter();
    all.iter()
        .zip(missing)
        .map(|(check, needed)| specs::Outcome {
            check,
            result: match needed {
                Some(needed) => specs::Verdict::NotRun(format!("needs {}", needed.program)),
                None => ran.next().map_or_else(
                    || specs::Verdict::NotRun("the check did not finish".to_owned()),
                    |outcome| outcome.result,
                ),
            },
        })
        .collect()
}

/// Whether `program` can be started from `PATH` (as `program --version`).
pub fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// The hints of exercise `n` (`course/hints/NN.md`), which only `hint NN` shows.
pub fn hint_file(n: u8) -> Option<&'static str> {
    match n {
        1 => Some(include_str!("../hints/01.md")),
        2 => Some(include_str!("../hints/02.md")),
        3 => Some(include_str!("../hints/03.md")),
        4 => Some(include_str!("../hints/04.md")),
        5 => Some(include_str!("../hints/05.md")),
        6 => Some(include_str!("../hints/06.md")),
        7 => Some(include_str!("../hints/07.md")),
        8 => Some(include_str!("../hints/08.md")),
        _ => None,
    }
}

/// The hints of a hints file, in order: each a section that starts with a line `## Hint K`, up to
/// the next such line; what comes before the first is the file's own heading.
pub fn hints(file: &str) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in file.lines() {
        if line.starts_with("## Hint ") {
            hints.extend(current.take());
            current = Some(String::new());
        } else if let Some(text) = &mut current {
            text.push_str(line);
            text.push('\n');
        }
    }
    hints.extend(current);
    hints.iter().map(|hint| hint.trim().to_owned()).collect()
}

/// The package name of a started exercise.
pub fn package(n: u8) -> String {
    format!("exercise-{n:02}")
}

/// The port a started exercise listens on by default: 8100 + n, beside every lesson's 800N.
pub fn port(n: u8) -> u16 {
    8100 + u16::from(n)
}

/// Where the course lives: the workspace root, the students' `exercises/`, the target directory.
#[derive(Clone, Debug)]
pub struct Course {
    pub root: PathBuf,
    pub exercises: PathBuf,
    pub target_dir: PathBuf,
    /// More environment for `cargo build` (the tests use it to keep their builds small).
    pub build_env: Vec<(String, String)>,
}

impl Course {
    /// The workspace around the current directory (the one holding `course/`), or else the one
    /// this binary was built in.
    pub fn locate() -> Course {
        let here = std::env::current_dir().ok();
        let found = here.as_deref().and_then(|dir| {
            dir.ancestors()
                .find(|d| d.join("Cargo.toml").is_file() && d.join("course/Cargo.toml").is_file())
                .map(Path::to_path_buf)
        });
        let built_in = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("course/ sits in the workspace root")
            .to_path_buf();
        Course::at(found.unwrap_or(built_in))
    }

    /// The course at `root`: exercises in `root/exercises`, target in `$CARGO_TARGET_DIR` or
    /// `root/target`.
    pub fn at(root: PathBuf) -> Course {
        let target_dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|dir| {
                if dir.is_absolute() {
                    dir
                } else {
                    root.join(dir)
                }
            })
            .unwrap_or_else(|| root.join("target"));
        Course {
            exercises: root.join("exercises"),
            root,
            target_dir,
            build_env: Vec::new(),
        }
    }

    /// Exercise `n`'s title: its lesson chapter's (`# Lesson 01 · Plain cookies`), else "Lesson 0N".
    pub fn title(&self, n: u8) -> String {
        let chapter = self.root.join(format!("docs/src/lesson-{n:02}.md"));
        fs::read_to_string(chapter)
            .ok()
            .and_then(|text| {
                let first = text.lines().next()?.to_owned();
                Some(first.split_once('·')?.1.trim().to_owned())
            })
            .unwrap_or_else(|| format!("Lesson {n:02}"))
    }

    /// The directory of lesson `n`'s package (`lesson-0N-topic/`).
    pub fn lesson_dir(&self, n: u8) -> Result<PathBuf, String> {
        let prefix = format!("lesson-{n:02}-");
        let entries =
            fs::read_dir(&self.root).map_err(|e| format!("read {}: {e}", self.root.display()))?;
        entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| {
                path.join("Cargo.toml").is_file()
                    && path
                        .file_name()
                        .and_then(|name| name.to_str())
                        .is_some_and(|name| name.starts_with(&prefix))
            })
            .ok_or_else(|| format!("no lesson-{n:02}-* package in {}", self.root.display()))
    }

    /// Where exercise `n`'s starting code comes from: lesson [`built_on`]`(n)`, or for 01 the
    /// skeleton.
    pub fn starting_code(&self, n: u8) -> Result<PathBuf, String> {
        if n == 1 {
            Ok(self.root.join("course/skeletons/lesson-01"))
        } else {
            self.lesson_dir(built_on(n))
        }
    }

    /// `exercises/lesson-0N/`.
    pub fn exercise_dir(&self, n: u8) -> PathBuf {
        self.exercises.join(format!("lesson-{n:02}"))
    }

    /// Creates `exercises/lesson-0N/` from the starting code, with the dependencies of both the
    /// starting code and lesson N (chrono from 04 on): a package `package` of its own workspace,
    /// with the course's lock file and target directory. Refuses to overwrite a started
    /// exercise unless `overwrite`.
    pub fn start(&self, n: u8, package: &str, overwrite: bool) -> Result<PathBuf, String> {
        let task = task(n).ok_or_else(|| format!("exercise {n:02} is not yet available"))?;
        let dir = self.exercise_dir(n);
        if dir.exists() {
            if !overwrite {
                return Err(format!(
                    "exercise {n:02} is already started in {}; `start {n:02} --overwrite` replaces it \
                     (your changes are lost)",
                    dir.strip_prefix(&self.root).unwrap_or(&dir).display()
                ));
            }
            fs::remove_dir_all(&dir).map_err(|e| format!("remove {}: {e}", dir.display()))?;
        }
        let from = self.starting_code(n)?;
        let from_port = if n == 1 {
            8001
        } else {
            8000 + u16::from(built_on(n))
        };
        copy_code(&from, &dir, from_port, port(n))?;
        if n > 1 {
            // The lesson's own doc comment stays; the first line says what this copy is for.
            let main_rs = dir.join("src/main.rs");
            let code = read(&main_rs)?.replace(
                &format!("cargo run -p lesson-{:02}", built_on(n)),
                "cargo run",
            );
            let header = format!(
                "//! Exercise {n:02}: lesson {:02}'s code, to change into lesson {n:02}. The task: README.md.\n//!\n",
                built_on(n)
            );
            write(&main_rs, &(header + &code))?;
        }
        let root_toml = read(&self.root.join("Cargo.toml"))?;
        let lesson_toml = read(&self.lesson_dir(n)?.join("Cargo.toml"))?;
        let starting_toml = read(&from.join("Cargo.toml"))?;
        let origin = from
            .strip_prefix(&self.root)
            .unwrap_or(&from)
            .display()
            .to_string();
        // The workspace's path dependencies, seen from the exercise: `../..` in `exercises/`.
        let root_path = match dir.strip_prefix(&self.root) {
            Ok(inside) => vec![".."; inside.components().count()].join("/"),
            Err(_) => self.root.display().to_string(),
        };
        let manifests = [lesson_toml.as_str(), starting_toml.as_str()];
        let manifest = exercise_manifest(&root_toml, &manifests, package, n, &origin, &root_path)?;
        write(&dir.join("Cargo.toml"), &manifest)?;
        let lock = self.root.join("Cargo.lock");
        if lock.is_file() {
            fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("copy Cargo.lock: {e}"))?;
        }
        write(
            &dir.join(".cargo/config.toml"),
            &exercise_config(&self.root),
        )?;
        let readme = format!(
            "# Exercise {n:02} · {}\n\nStarted from `{origin}`; it serves on \
             <http://127.0.0.1:{}> (`cargo run` here).\n\n{task}",
            self.title(n),
            port(n)
        );
        write(&dir.join("README.md"), &readme)?;
        Ok(dir)
    }

    /// `cargo build` in `dir`; the binary's path, or what the compiler said.
    pub fn build(&self, dir: &Path, package: &str, color: bool) -> Result<PathBuf, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(&cargo)
            .args([
                "build",
                "--quiet",
                "--color",
                if color { "always" } else { "never" },
            ])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .envs(self.build_env.iter().map(|(k, v)| (k, v)))
            .output()
            .map_err(|e| format!("run {cargo:?} build: {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        let binary = self
            .target_dir
            .join("debug")
            .join(format!("{package}{}", std::env::consts::EXE_SUFFIX));
        if binary.is_file() {
            Ok(binary)
        } else {
            Err(format!("cargo build left no {}", binary.display()))
        }
    }

    fn state_file(&self) -> PathBuf {
        self.exercises.join(".course-state")
    }

    /// What `list`, `hint` and `solution` remember between runs.
    pub fn state(&self) -> State {
        State::parse(&fs::read_to_string(self.state_file()).unwrap_or_default())
    }

    pub fn save_state(&self, state: &State) -> Result<(), String> {
        write(&self.state_file(), &state.to_text())
    }
}

/// Per exercise: the last check's result (passed, of total) and how many hints were shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    entries: BTreeMap<u8, Entry>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub last_check: Option<(usize, usize)>,
    pub hints_shown: usize,
}

impl Entry {
    pub fn passed(&self) -> bool {
        matches!(self.last_check, Some((k, n)) if k == n && n > 0)
    }
}

impl State {
    fn parse(text: &str) -> State {
        let mut state = State::default();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let number = |i: usize| words.get(i).and_then(|w| w.parse::<usize>().ok());
            let Some(n) = words.first().and_then(|w| w.parse::<u8>().ok()) else {
                continue;
            };
            let entry = state.entry(n);
            match (words.get(1).copied(), number(2), number(3)) {
                (Some("checked"), Some(k), Some(total)) => entry.last_check = Some((k, total)),
                (Some("hints"), Some(k), _) => entry.hints_shown = k,
                _ => {}
            }
        }
        state
    }

    fn to_text(&self) -> String {
        let mut text =
            String::from("# Written by `cargo course`: progress through the exercises.\n");
        for (n, entry) in &self.entries {
            if let Some((k, total)) = entry.last_check {
                let _ = writeln!(text, "{n:02} checked {k} {total}");
            }
            if entry.hints_shown > 0 {
                let _ = writeln!(text, "{n:02} hints {}", entry.hints_shown);
            }
        }
        text
    }

    pub fn get(&self, n: u8) -> Entry {
        self.entries.get(&n).copied().unwrap_or_default()
    }

    pub fn entry(&mut self, n: u8) -> &mut Entry {
        self.entries.entry(n).or_default()
    }
}

/// The files a lesson's reader edits: `src/**.rs` without the tests, and `templates/**`. Paths
/// relative to `dir`, sorted.
pub fn code_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fn walk(base: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries = fs::read_dir(dir).map_err(|e| format!("read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "tests" || name == "tests.rs" {
                continue;
            }
            if path.is_dir() {
                walk(base, &path, files)?;
            } else {
                files.push(path.strip_prefix(base).expect("under base").to_path_buf());
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for sub in ["src", "templates"] {
        if dir.join(sub).is_dir() {
            walk(dir, &dir.join(sub), &mut files)?;
        }
    }
    files.sort();
    Ok(files)
}

/// Copies a lesson's code (see [`code_files`]) into `to`, without its `mod tests;`, with its
/// default port `from_port` turned into `to_port`.
pub fn copy_code(from: &Path, to: &Path, from_port: u16, to_port: u16) -> Result<(), String> {
    let files = code_files(from)?;
    if !files.iter().any(|f| f == Path::new("src/main.rs")) {
        return Err(format!("{} has no src/main.rs", from.display()));
    }
    for file in files {
        let mut text = read(&from.join(&file))?;
        if file == Path::new("src/main.rs") {
            text = text.replace("#[cfg(test)]\nmod tests;\n\n", "");
            text = text.replace("#[cfg(test)]\nmod tests;\n", "");
            let port = from_port.to_string();
            if !text.contains(&port) {
                return Err(format!(
                    "{} does not mention its port {port}: the course runner must learn how it is set",
                    from.join(&file).display()
                ));
            }
            text = text.replace(&port, &to_port.to_string());
        }
        write(&to.join(&file), &text)?;
    }
    Ok(())
}

/// The Cargo.toml of a started exercise: lesson N's (`manifests[0]`), with the dependencies of the
/// others (the starting code's) added, what it inherits from the workspace written out (a path
/// dependency made relative to the exercise through `root_path`), its tests' dependencies left
/// out, and a `[workspace]` of its own.
pub fn exercise_manifest(
    root_toml: &str,
    manifests: &[&str],
    package: &str,
    n: u8,
    origin: &str,
    root_path: &str,
) -> Result<String, String> {
    let root = parse(root_toml)?;
    let from_workspace = |section: &str, key: &str| -> Result<Item, String> {
        let missing =
            || format!("the workspace's Cargo.toml has no {key} in [workspace.{section}]");
        let mut value = root["workspace"][section][key]
            .as_value()
            .cloned()
            .ok_or_else(missing)?;
        if let Some(table) = value.as_inline_table_mut() {
            if let Some(path) = table.get("path").and_then(Value::as_str) {
                let path = format!("{root_path}/{path}");
                table.insert("path", path.into());
            }
        }
        Ok(Item::Value(value))
    };
    // The lesson's `section`, every `key.workspace = true` in it replaced by the workspace's value.
    let written_out = |section: &str, entries: &[(String, Item)]| -> Result<Table, String> {
        let mut table = Table::new();
        for (key, item) in entries {
            let only_workspace = item.as_table_like().is_some_and(|table| table.len() == 1);
            let item = match (
                item.get("workspace").and_then(Item::as_bool),
                item.as_value(),
            ) {
                (Some(true), _) if only_workspace => from_workspace(section, key)?,
                // A path of the lesson's own would point elsewhere from the exercise.
                (None, Some(value)) if item.get("path").is_none() => Item::Value(value.clone()),
                _ => return Err(format!("cannot write out `{key}` for an exercise")),
            };
            table.insert(key, item);
        }
        Ok(table)
    };
    let (lesson, others) = manifests
        .split_first()
        .ok_or("exercise_manifest needs lesson N's manifest")?;
    let lesson = parse(lesson)?;
    let others = others
        .iter()
        .map(|m| parse(m))
        .collect::<Result<Vec<_>, _>>()?;
    let entries = |manifest: &DocumentMut, section: &str| -> Vec<(String, Item)> {
        let table = manifest.get(section).and_then(Item::as_table_like);
        let entries = table.into_iter().flat_map(|table| table.iter());
        entries
            .map(|(key, item)| (key.to_owned(), item.clone()))
            .collect()
    };

    let mut out = DocumentMut::new();
    let mut package_entries = entries(&lesson, "package");
    package_entries.retain(|(key, _)| key != "description");
    let mut package_table = written_out("package", &package_entries)?;
    package_table.insert("name", toml_edit::value(package));
    let header =
        format!("# Exercise {n:02}, started from {origin} by `cargo course start {n:02}`.\n\n");
    package_table.decor_mut().set_prefix(header);
    out.insert("package", Item::Table(package_table));

    // The lesson's dependencies, then those only the starting code has; no dev-dependencies.
    let mut dependencies = entries(&lesson, "dependencies");
    for (key, item) in others
        .iter()
        .flat_map(|other| entries(other, "dependencies"))
    {
        if dependencies.iter().all(|(known, _)| *known != key) {
            dependencies.push((key, item));
        }
    }
    let dependencies = written_out("dependencies", &dependencies)?;
    out.insert("dependencies", Item::Table(dependencies));

    // `[lints] workspace = true` and the workspace's profiles, as the exercise's own tables.
    if lesson.get("lints").is_some() {
        out.insert("lints", root["workspace"]["lints"].clone());
    }
    let mut workspace = Table::new();
    workspace.decor_mut().set_prefix(
        "\n# A workspace of its own, so the course's `cargo test --workspace` never builds it; its\n\
         # Cargo.lock is the course's and .cargo/config.toml shares the course's target directory.\n",
    );
    out.insert("workspace", Item::Table(workspace));
    if let Some(profile) = root.get("profile") {
        out.insert("profile", profile.clone());
    }
    in_order(out.as_table_mut(), &mut 0);
    Ok(out.to_string())
}

fn parse(toml: &str) -> Result<DocumentMut, String> {
    toml.parse()
        .map_err(|e| format!("a Cargo.toml of the course does not parse: {e}"))
}

/// Numbers `table` and the tables under it in the order they were inserted, so that the file lists
/// them in that order, and drops the comments they had in the workspace's Cargo.toml.
fn in_order(table: &mut Table, next: &mut usize) {
    table.set_position(*next);
    *next += 1;
    for (mut key, item) in table.iter_mut() {
        key.leaf_decor_mut().clear();
        if let Some(table) = item.as_table_mut() {
            if table.position().is_some() {
                table.decor_mut().clear();
            }
            in_order(table, next);
        }
    }
}

/// The `.cargo/config.toml` of a started exercise: the course's target directory, so the
/// dependencies it compiled are reused, and the alias `cargo course …`, which from inside the
/// exercise (its own workspace, where cargo knows no package `course`) runs the course of the
/// workspace at `root` through that workspace's manifest.
pub fn exercise_config(root: &Path) -> String {
    let manifest = root.join("Cargo.toml").display().to_string();
    // Cargo splits a string alias at whitespace, and the root's alias is a string (see the root's
    // .cargo/config.toml), so a path with a space in it is given relative to the exercise, which
    // works from the exercise's directory but not from its subfolders.
    let (manifest, note) = if manifest.contains(char::is_whitespace) {
        (
            "../../Cargo.toml".to_owned(),
            "# The workspace's path has a space, which an alias cannot hold: run it from this folder.\n",
        )
    } else {
        (manifest, "")
    };
    format!(
        "# Share the course's target directory, so the dependencies it compiled are reused.\n\
         [build]\ntarget-dir = \"../../target\"\n\n\
         # `cargo course check NN` from here: the course's runner, from the course's workspace.\n\
         {note}[alias]\ncourse = \"run --quiet --manifest-path {} -p course --\"\n",
        manifest.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("create {}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solution_04_starts_from_lesson_02_and_every_other_from_its_starting_code() {
        assert_eq!(solution_from(4), 2);
        for n in [2, 3, 5, 6, 7, 8] {
            assert_eq!(solution_from(n), built_on(n));
        }
    }

    #[test]
    fn hints_are_the_sections_in_order() {
        let file =
            "# Hints for exercise 09\n\nRun `hint 09`.\n\n## Hint 1\n\nFirst,\nin two lines.\n\n\
                    ## Hint 2\nSecond.\n";
        assert_eq!(hints(file), ["First,\nin two lines.", "Second."]);
        assert!(hints("# No hints\n").is_empty());
    }

    #[test]
    fn every_available_task_points_at_its_hints_and_holds_none() {
        for n in EXERCISES {
            let Some(task) = task(n) else { continue };
            let file = hint_file(n).unwrap_or_else(|| panic!("exercise {n:02} has no hints file"));
            assert!(hints(file).len() >= 2, "exercise {n:02}");
            let headings: Vec<&str> = file.lines().filter(|l| l.starts_with("## ")).collect();
            let numbered: Vec<String> = (1..=headings.len())
                .map(|k| format!("## Hint {k}"))
                .collect();
            assert_eq!(headings, numbered, "course/hints/{n:02}.md");
            assert!(
                task.contains(&format!("cargo course hint {n:02}")),
                "{n:02}"
            );
            assert!(
                task.contains(&format!("cargo course check {n:02}")),
                "{n:02}"
            );
            assert!(
                !task.contains("<details>"),
                "course/tasks/{n:02}.md holds a hint in clear"
            );
        }
    }

    #[test]
    fn every_lesson_chapter_with_a_task_shows_it_as_its_exercise() {
        for n in EXERCISES {
            if task(n).is_none() {
                continue;
            }
            let chapter =
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../docs/src/lesson-{n:02}.md"));
            let text = fs::read_to_string(&chapter).expect("the lesson's chapter");
            let include = format!("{{{{#include ../../course/tasks/{n:02}.md}}}}");
            assert!(
                text.contains(&format!("\n## Exercise\n\n{include}\n\n## ")),
                "{} has no section \"## Exercise\" holding only {include}",
                chapter.display()
            );
        }
    }

    #[test]
    fn a_check_that_starts_a_missing_program_is_marked_and_no_other() {
        let all = checks(7).expect("exercise 07");
        let on_redis = |check: &specs::Check| check.name.contains(specs::lesson_07::NEEDS_REDIS);
        assert!(all.iter().any(on_redis) && !all.iter().all(on_redis));
        let redis = &NEEDED[0];
        let without = missing(&all, |program| program != "redis-server");
        for (check, needed) in all.iter().zip(&without) {
            assert_eq!(*needed, on_redis(check).then_some(redis), "{}", check.name);
        }
        let count = all.iter().filter(|check| on_redis(check)).count();
        assert_eq!(
            not_run_notes(&without),
            [format!(
                "{count} checks were not run: they start a `redis-server`, which is not installed. \
                 Install the Debian package `redis-server` (`sudo apt-get install redis-server`), \
                 then check again."
            )]
        );
        assert!(missing(&all, |_| true).iter().all(Option::is_none));
        assert!(not_run_notes(&missing(&all, |_| true)).is_empty());
        assert!(missing(&checks(6).expect("exercise 06"), |_| false)
            .iter()
            .all(Option::is_none));
    }

    #[test]
    fn installed_tells_a_program_on_path_from_one_that_is_not() {
        assert!(installed(env!("CARGO")));
        assert!(!installed("no-such-program-of-the-course"));
    }

    #[test]
    fn state_round_trips() {
        let mut state = State::default();
        state.entry(3).last_check = Some((4, 7));
        state.entry(1).hints_shown = 2;
        state.entry(1).last_check = Some((5, 5));
        let again = State::parse(&state.to_text());
        assert_eq!(again, state);
        assert!(again.get(1).passed());
        assert!(!again.get(3).passed());
        assert_eq!(again.get(2), Entry::default());
    }

    #[test]
    fn an_exercise_runs_the_course_of_its_workspace_through_its_manifest() {
        let config = exercise_config(Path::new("/home/ann/course"));
        assert!(
            config.contains(
                "[alias]\ncourse = \"run --quiet --manifest-path /home/ann/course/Cargo.toml -p course --\"\n"
            ),
            "{config}"
        );
        assert!(
            config.contains("[build]\ntarget-dir = \"../../target\"\n"),
            "{config}"
        );
        let spaced = exercise_config(Path::new("/home/ann/my course"));
        assert!(
            spaced
                .contains("course = \"run --quiet --manifest-path ../../Cargo.toml -p course --\""),
            "{spaced}"
        );
    }

    #[test]
    fn the_manifest_inherits_nothing_and_is_its_own_workspace() {
        let root =
            "[workspace]\nmembers = [\n  \"a\",\n]\n\n[workspace.package]\nedition = \"2021\"\n\n\
                    [workspace.dependencies]\n# a comment\nrocket = { version = \"0.5.2\" }\n\
                    chrono = \"0.4\"\nhelp = { path = \"lesson-support\" }\n\
                    test-support = { path = \"test-support\" }\n\n[workspace.lints.rust]\n\
                    unsafe_code = \"forbid\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n";
        let lesson = "[package]\nname = \"lesson-02\"\ndescription = \"x\"\nedition.workspace = true\n\n\
                      [dependencies]\nrocket.workspace = true\nhelp.workspace = true\n\n\
                      [dev-dependencies]\ntest-support.workspace = true\n\n[lints]\nworkspace = true\n";
        let before = "[package]\nname = \"lesson-01\"\n\n[dependencies]\nrocket.workspace = true\n\
                      chrono.workspace = true\n";
        let manifest = exercise_manifest(
            root,
            &[lesson, before],
            "exercise-03",
            3,
            "lesson-02-x",
            "../..",
        )
        .unwrap();
        assert_eq!(
            manifest,
            "# Exercise 03, started from lesson-02-x by `cargo course start 03`.\n\
             \n[package]\nname = \"exercise-03\"\nedition = \"2021\"\n\
             \n[dependencies]\nrocket = { version = \"0.5.2\" }\n\
             help = { path = \"../../lesson-support\" }\nchrono = \"0.4\"\n\
             \n[lints.rust]\nunsafe_code = \"forbid\"\n\
             \n# A workspace of its own, so the course's `cargo test --workspace` never builds it; its\n\
             # Cargo.lock is the course's and .cargo/config.toml shares the course's target directory.\n\
             [workspace]\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
        );
        let own_path = "[dependencies]\nmine = { path = \"x\" }\n";
        assert!(exercise_manifest(root, &[own_path], "e", 3, "x", "..").is_err());
    }
}
