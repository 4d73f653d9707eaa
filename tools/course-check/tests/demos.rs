//! Every command a reader is told to run runs as the book shows it. Each chapter's "Try it"
//! (`docs/src/lesson-0N.md`, and the chapters of `CHAPTER_SCRIPTS`) shows its script
//! `docs/src/demos/<chapter>.sh` as a ```` ```sh ```` block holding only
//! `{{#include demos/<chapter>.sh}}`, and no other block of commands; the instructors' notes
//! (`docs/src/instructors/lesson-0N.md`) run that script live and hold none. The ignored test runs
//! every script under `docs/src/demos/` top to bottom with `bash`, the real curl (and redis-server
//! for lesson 07) and the real binaries of the lessons it names, and compares what it prints with
//! `docs/src/demos/<chapter>.out`. `UPDATE_DEMOS=1` rewrites those.
//!
//! The script's `cargo run -p lesson-0N` is answered by a stand-in `cargo` first on its `PATH`,
//! which runs the binary `cargo test` built (checked fresh first): a real `cargo run` would wait
//! for the build lock this test's own `cargo test` holds. Every `${NAME:-8001}` in a script is a
//! port: the test sets `NAME` to a free one, and writes the default back into the output.

use course_check::built::{assert_fresh, binary, binary_dir, ScratchDir};
use course_check::demo::{
    cargo_stand_in, command_blocks, include_line, normalise, port_variables, shows_script, try_it,
};
use course_check::transcript::curl_is_installed;
use course_check::{assert_none, diff, lessons, read, relative, workspace_root};
use std::fs;
use std::net::{Ipv4Addr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use test_support::free_port;

const UPDATE: &str = "UPDATE_DEMOS";

/// How long one script may run: lesson 04's waits for a session to run out.
const DEADLINE: Duration = Duration::from_secs(180);

/// The programs a script may call besides bash, the argument that makes each print its version, and
/// its Debian package.
const PROGRAMS: [(&str, &str, &str); 4] = [
    ("curl", "--version", "curl"),
    ("redis-server", "--version", "redis-server"),
    ("redis-cli", "--version", "redis-tools"),
    ("openssl", "version", "openssl"),
];

/// The chapters other than the lessons' whose "Try it" shows a script of their own,
/// `docs/src/demos/<chapter>.sh`; each script runs the lessons it names.
const CHAPTER_SCRIPTS: [&str; 3] = ["lifetimes", "more-than-one-server", "secret-keys"];

fn docs_src() -> PathBuf {
    workspace_root().join("docs").join("src")
}

fn script(chapter: &str) -> PathBuf {
    docs_src().join(format!("demos/{chapter}.sh"))
}

/// Every script under `docs/src/demos/`, in order of name.
fn scripts() -> Vec<PathBuf> {
    let dir = docs_src().join("demos");
    let mut scripts: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", relative(&dir)))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sh"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn every_chapters_try_it_shows_its_script_and_no_other_commands() {
    let chapters: Vec<String> = lessons(&workspace_root())
        .into_iter()
        .map(|lesson| lesson.package)
        .chain(CHAPTER_SCRIPTS.map(str::to_owned))
        .collect();
    let mut problems = Vec::new();
    for script in scripts() {
        let name = script.file_stem().unwrap_or_default().to_string_lossy();
        if !chapters.iter().any(|chapter| *chapter == name) {
            problems.push(format!(
                "{}: no chapter shows it: add `{name}` to CHAPTER_SCRIPTS and show it in \
                 docs/src/{name}.md",
                relative(&script)
            ));
        }
    }
    let mut shown = 0;
    for chapter in &chapters {
        let file = docs_src().join(format!("{chapter}.md"));
        let place = relative(&file);
        let Ok(markdown) = fs::read_to_string(&file) else {
            problems.push(format!("{place}: missing"));
            continue;
        };
        let script = script(chapter);
        for file in [script.clone(), script.with_extension("out")] {
            if !file.is_file() {
                problems.push(format!("{place}: no {}", relative(&file)));
            }
        }
        let Some(section) = try_it(&markdown) else {
            problems.push(format!("{place}: no \"## Try it\" section"));
            continue;
        };
        if shows_script(section, chapter) {
            shown += 1;
        } else {
            problems.push(format!(
                "{place}: show the script in \"Try it\" as a ```sh block holding only `{}`",
                include_line(chapter)
            ));
        }
        let blocks = command_blocks(section);
        if blocks != 1 {
            problems.push(format!(
                "{place}: \"Try it\" has {blocks} blocks of commands; the steps that need no \
                 browser belong in {}",
                relative(&script)
            ));
        }
        let notes = docs_src().join(format!("instructors/{chapter}.md"));
        if let Ok(notes_markdown) = fs::read_to_string(&notes) {
            let blocks = command_blocks(&notes_markdown);
            if blocks != 0 {
                problems.push(format!(
                    "{}: {blocks} blocks of commands; run the chapter's Try it script instead",
                    relative(&notes)
                ));
            }
        } // tests/instructors.rs says when a lesson's notes are missing
    }
    assert_none(
        problems,
        "commands a reader would type untested",
        "tools/course-check/tests/demos.rs",
    );
    assert!(shown > 0, "no chapter shows its Try it script");
}

/// Stops every process of the script's process group (its servers too), also when the test fails.
struct ProcessGroup(u32);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0)])
            .stderr(Stdio::null())
            .status();
    }
}

/// Runs a Try it script in a fresh directory and returns its output, normalised, or what went
/// wrong: a failure, a timeout, a server it left running.
fn run_demo(script: &Path) -> Result<String, String> {
    let text = read(script);
    let name = script.file_stem().unwrap_or_default().to_string_lossy();
    let scratch = ScratchDir::new(&format!("demo-{name}"));
    let bin = scratch.0.join("bin");
    fs::create_dir_all(&bin).expect("create the stand-in's directory");
    let cargo = bin.join("cargo");
    fs::write(&cargo, cargo_stand_in(&binary_dir())).expect("write the stand-in cargo");
    fs::set_permissions(&cargo, fs::Permissions::from_mode(0o755)).expect("chmod the stand-in");
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");
    let ports: Vec<_> = port_variables(&text)
        .into_iter()
        .map(|variable| (variable, free_port()))
        .collect();
    let stdout = scratch.0.join("stdout");
    let stderr = scratch.0.join("stderr");
    let mut command = Command::new("bash");
    command
        .arg(script)
        .current_dir(&scratch.0)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &scratch.0)
        // The scripts' `mktemp` files go in the scratch directory too, even if a script stops early.
        .env("TMPDIR", &scratch.0)
        .env("LC_ALL", "C")
        .env("ROCKET_LOG_LEVEL", "off")
        .env("ROCKET_CLI_COLORS", "false")
        .envs(ports.iter().map(|(v, port)| (&v.name, port.to_string())))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout).expect("create the output file"))
        .stderr(fs::File::create(&stderr).expect("create the error file"))
        .process_group(0);
    let mut child = command.spawn().map_err(|e| format!("run bash: {e}"))?;
    let _group = ProcessGroup(child.id());
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the script") {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let printed = normalise(&fs::read_to_string(&stdout).unwrap_or_default(), &ports);
    let errors = fs::read_to_string(&stderr).unwrap_or_default();
    let left: Vec<String> = ports
        .iter()
        .filter(|(_, port)| TcpStream::connect((Ipv4Addr::LOCALHOST, *port)).is_ok())
        .map(|(v, _)| format!("{} (default {})", v.name, v.default))
        .collect();
    match status {
        None => Err(format!(
            "did not end within {DEADLINE:?}; it printed:\n{printed}\nand on stderr:\n{errors}"
        )),
        Some(status) if !status.success() => Err(format!(
            "ended with {status}; it printed:\n{printed}\nand on stderr:\n{errors}"
        )),
        Some(_) if !left.is_empty() => Err(format!(
            "ended with a server still listening on {}: stop each one it starts (`kill $pid; \
             wait $pid`)",
            left.join(", ")
        )),
        Some(_) => Ok(printed),
    }
}

#[test]
#[ignore = "needs curl, redis-server and openssl: see README"]
fn every_try_it_script_runs_and_prints_what_its_chapter_shows() {
    if let Err(missing) = curl_is_installed() {
        panic!("{missing}");
    }
    let update = std::env::var_os(UPDATE).is_some();
    let lessons = lessons(&workspace_root());
    let mut problems = Vec::new();
    let mut checked = 0;
    for script in scripts() {
        let shown = relative(&script);
        let text = read(&script);
        for (program, version, package) in PROGRAMS {
            let installed = Command::new(program)
                .arg(version)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            assert!(
                !text.contains(program) || installed,
                "{shown} runs {program}, which is not installed: run `sudo apt-get install \
                 {package}` (see the README)"
            );
        }
        // The lessons the script names are those it runs: their binaries must be fresh.
        for lesson in &lessons {
            if text.contains(&lesson.package) {
                assert_fresh(lesson, &binary(lesson));
            }
        }
        let printed = match run_demo(&script) {
            Ok(printed) => printed,
            Err(problem) => {
                problems.push(format!("{shown} {problem}"));
                continue;
            }
        };
        checked += 1;
        let expected = script.with_extension("out");
        let committed = fs::read_to_string(&expected).unwrap_or_default();
        if update {
            if committed != printed {
                fs::write(&expected, &printed)
                    .unwrap_or_else(|e| panic!("write {}: {e}", relative(&expected)));
                eprintln!("rewrote {}", relative(&expected));
            }
        } else if committed != printed {
            problems.push(format!(
                "{shown} printed something else than {} (- expected, + printed):\n{}",
                relative(&expected),
                diff::lines(&committed, &printed)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nIf the script's new output is right (and the chapter says so), record it with:\n  \
         {UPDATE}=1 cargo test -p course-check --test demos -- --ignored",
        problems.join("\n\n")
    );
    assert!(checked > 0, "no script found under docs/src/demos/");
}
