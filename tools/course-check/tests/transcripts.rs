//! Every curl transcript in the book is what the lesson answers now. Each file under
//! `docs/src/transcripts/lesson-0N/` is replayed with the real `curl` against a fresh process of the
//! lesson's real binary (built by `cargo test --workspace`, or `cargo build -p lesson-0N`), and the
//! output is compared with the file. `UPDATE_TRANSCRIPTS=1` rewrites the files instead.

use course_check::built::{assert_fresh, binary, ScratchDir};
use course_check::transcript::{self, commands};
use course_check::{diff, files_under, lessons, read, workspace_root, Lesson};
use std::fs;
use std::path::Path;
use test_support::{free_port, Server};

const UPDATE: &str = "UPDATE_TRANSCRIPTS";

/// Replays `transcript` with the real curl, in a fresh directory, against a fresh process of the
/// lesson on a free port, and returns the transcript as the lesson answers it now.
fn record(lesson: &Lesson, binary: &Path, transcript: &str) -> Result<String, String> {
    let lines = commands(transcript);
    if lines.is_empty() {
        return Err("no `$ curl …` command lines".to_owned());
    }
    for line in &lines {
        transcript::check(line, lesson.port())?;
    }
    let server = Server::start(
        binary.to_str().expect("a UTF-8 path"),
        &workspace_root(),
        free_port(),
        &[],
    );
    let jars = ScratchDir::new(&lesson.package);
    let mut answers = Vec::new();
    for line in lines {
        let output = transcript::run(line, lesson.port(), server.port(), &jars.0)?;
        // curl ends the headers with a blank line; the one between commands is enough.
        let output = output.trim_end_matches('\n');
        answers.push(if output.is_empty() {
            format!("$ {line}\n")
        } else {
            format!("$ {line}\n{output}\n")
        });
    }
    Ok(answers.join("\n"))
}

#[test]
#[ignore = "needs curl: see README"]
fn transcripts_match_what_the_lessons_answer_now() {
    if let Err(missing) = transcript::curl_is_installed() {
        panic!("{missing}");
    }
    let update = std::env::var_os(UPDATE).is_some();
    let root = workspace_root();
    let transcripts_dir = root.join("docs/src/transcripts");
    let mut problems = Vec::new();
    let mut checked = 0;
    for lesson in lessons(&root) {
        let files = files_under(&transcripts_dir.join(&lesson.package), ".txt");
        if files.is_empty() {
            continue;
        }
        let binary = binary(&lesson);
        assert_fresh(&lesson, &binary);
        for file in files {
            let shown = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .display()
                .to_string();
            let committed = read(&file);
            let now = match record(&lesson, &binary, &committed) {
                Ok(now) => now,
                Err(problem) => {
                    problems.push(format!("{shown}: {problem}"));
                    continue;
                }
            };
            checked += 1;
            if update {
                // Recorded twice, each time from a fresh process: what differs between the runs
                // (a date, a random value) would make the check fail at random.
                let again = record(&lesson, &binary, &committed).expect("it ran once");
                if again != now {
                    problems.push(format!(
                        "{shown} changes from run to run; show less of the output (see \
                         docs/CONTRIBUTING.md):\n{}",
                        diff::lines(&now, &again)
                    ));
                } else if committed != now {
                    fs::write(&file, &now).unwrap_or_else(|e| panic!("write {shown}: {e}"));
                    eprintln!("rewrote {shown}");
                }
            } else if committed != now {
                problems.push(format!(
                    "{shown} differs from what {} answers now (- committed, + now):\n{}",
                    lesson.package,
                    diff::lines(&committed, &now)
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nIf the lesson's new answers are right, record them with:\n  \
         {UPDATE}=1 cargo test -p course-check --test transcripts -- --ignored",
        problems.join("\n\n")
    );
    assert!(
        checked > 0,
        "no transcript found under {}",
        transcripts_dir.display()
    );
}
