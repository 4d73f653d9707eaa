//! The decoder that `docs/src/corrections.md` shows under "A password in the session" reads the
//! Flask cookies printed next to it, one plain and one compressed, as the book says it does. The
//! cookies were set by Flask 3.1.3 (`app.test_client()`, a test-only key); the check runs each
//! `$ ` line of that section's `console` block with `bash -c` and compares what it prints.

use course_check::{read, workspace_root};
use std::process::Command;

/// The `console` block of the section that starts with `heading`: its `$ ` lines, each with the
/// lines printed after it.
fn commands_in_section(chapter: &str, heading: &str) -> Vec<(String, String)> {
    let section = chapter
        .split_once(heading)
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or_default())
        .unwrap_or_else(|| panic!("no section {heading:?}"));
    let block = section
        .split_once("```console\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .unwrap_or_else(|| panic!("no ```console block under {heading:?}"));
    let mut commands: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        match (line.strip_prefix("$ "), commands.last_mut()) {
            (Some(command), _) => commands.push((command.to_owned(), String::new())),
            (None, Some((_, printed))) => {
                printed.push_str(line);
                printed.push('\n');
            }
            (None, None) => panic!("output before any command: {line:?}"),
        }
    }
    commands
}

#[test]
#[ignore = "needs python3: see README"]
fn the_books_decoder_reads_plain_and_compressed_flask_cookies() {
    let chapter = read(&workspace_root().join("docs/src/corrections.md"));
    let commands = commands_in_section(&chapter, "## A password in the session");
    assert_eq!(commands.len(), 2, "a plain and a compressed cookie");
    assert!(
        commands[1].0.contains("'.eJ"),
        "the second cookie is a compressed one"
    );
    for (command, expected) in commands {
        let output = Command::new("bash")
            .arg("-c")
            .arg(&command)
            .output()
            .unwrap_or_else(|e| panic!("run bash: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("python3: command not found"),
            "the decoder needs python3: run `sudo apt-get install python3` (see the README)"
        );
        assert!(output.status.success(), "`{command}` failed: {stderr}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
    }
}
