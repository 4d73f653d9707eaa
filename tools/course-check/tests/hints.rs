//! Every hint points the student at a chapter section that exists. A check of a lesson's spec:
//! the `(docs/src/….md#…)` in its hint names a file of the book and one of its headings (the
//! runner, `cargo course check N`, prints these when a check fails). An exercise's hints in
//! `course/hints/NN.md` (which `cargo course hint NN` shows): each `Chapter N, "Heading"` names a
//! heading of `docs/src/lesson-0N.md`.

use course_check::book::heading_ids;
use course_check::{assert_none, files_under, read, relative, workspace_root};

/// The `docs/src/…` path and the `#…` fragment a hint points at, if it points at one.
fn target(hint: &str) -> Option<(&str, Option<&str>)> {
    let start = hint.find("(docs/src/")? + 1;
    let end = start + hint[start..].find(')')?;
    let link = &hint[start..end];
    Some(match link.split_once('#') {
        Some((file, heading)) => (file, Some(heading)),
        None => (link, None),
    })
}

#[test]
fn every_hint_points_at_a_section_that_exists() {
    let root = workspace_root();
    let mut broken = Vec::new();
    let mut checked = 0;
    for lesson in 1..=7 {
        for check in specs::spec(lesson).unwrap_or_default() {
            let Some((file, heading)) = target(check.hint) else {
                broken.push(format!(
                    "lesson {lesson}, {:?}: no (docs/src/…) in {:?}",
                    check.name, check.hint
                ));
                continue;
            };
            let path = root.join(file);
            if !path.is_file() {
                broken.push(format!(
                    "lesson {lesson}, {:?}: {file} does not exist",
                    check.name
                ));
                continue;
            }
            if let Some(heading) = heading {
                if !heading_ids(&read(&path)).iter().any(|id| id == heading) {
                    broken.push(format!(
                        "lesson {lesson}, {:?}: {file} has no heading #{heading}",
                        check.name
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} hints found");
    assert!(
        broken.is_empty(),
        "hints that point at nothing:\n{}",
        broken.join("\n")
    );
}

/// Every `Chapter N, "Heading"` in `text` (lines joined, `\"` read as `"`), as (N, heading).
fn chapter_references(text: &str) -> Vec<(String, String)> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut found = Vec::new();
    let mut rest = joined.as_str();
    while let Some(at) = rest.find("Chapter ") {
        rest = &rest[at + "Chapter ".len()..];
        let Some((number, after)) = rest.split_once(", \"") else {
            continue;
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut heading = String::new();
        let mut chars = after.char_indices();
        let mut end = after.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => heading.extend(chars.next().map(|(_, c)| c)),
                '"' => {
                    end = i + 1;
                    break;
                }
                c => heading.push(c),
            }
        }
        found.push((number.to_owned(), heading));
        rest = &after[end..];
    }
    found
}

#[test]
fn chapter_references_are_read_across_lines_and_escapes() {
    let text = "See Chapter 3, \"`session[\\\"user\\\"] = None` is not\na logout\". And Chapter 4,\n\"Pitfalls\".";
    assert_eq!(
        chapter_references(text),
        [
            (
                "3".to_owned(),
                "`session[\"user\"] = None` is not a logout".to_owned()
            ),
            ("4".to_owned(), "Pitfalls".to_owned())
        ]
    );
}

#[test]
fn every_exercise_hint_names_a_heading_of_its_chapter() {
    let root = workspace_root();
    let files = files_under(&root.join("course/hints"), ".md");
    assert!(files.len() >= 7, "only {} hints files", files.len());
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in files {
        for (number, heading) in chapter_references(&read(&file)) {
            let chapter = root.join(format!("docs/src/lesson-{:0>2}.md", number));
            if !chapter.is_file() {
                problems.push(format!(
                    "{}: no chapter {}",
                    relative(&file),
                    relative(&chapter)
                ));
                continue;
            }
            let id = heading_ids(&format!("## {heading}"));
            if !heading_ids(&read(&chapter)).iter().any(|h| id.contains(h)) {
                problems.push(format!(
                    "{}: {} has no heading \"{heading}\"",
                    relative(&file),
                    relative(&chapter)
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} chapter references found");
    assert_none(problems, "hints that point at nothing", "course/hints/");
}
