//! The instructors' notes hold: every lesson's chapter includes its notes, each with its minutes;
//! every answer that quotes a server is found in the transcript it names; the schedules of
//! `docs/src/instructors.md` add up, and use each lesson's own minutes.

use course_check::book::{includes, links};
use course_check::instructors::{
    appears_in, arithmetic, fold_problems, minutes, quotes, schedules, Minutes,
};
use course_check::{assert_none, files_under, lessons, read, relative, workspace_root};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn docs_src() -> PathBuf {
    workspace_root().join("docs").join("src")
}

/// The notes `docs/src/instructors/lesson-0N.md`, by lesson number.
fn notes() -> BTreeMap<u16, PathBuf> {
    files_under(&docs_src().join("instructors"), ".md")
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let number = name
                .strip_prefix("lesson-")
                .and_then(|rest| rest.strip_suffix(".md"))
                .filter(|digits| digits.len() == 2)
                .and_then(|digits| digits.parse().ok())
                .unwrap_or_else(|| panic!("{name}: name the notes lesson-0N.md"));
            (number, path)
        })
        .collect()
}

#[test]
fn every_lesson_includes_its_notes_once() {
    let notes = notes();
    let found = lessons(&workspace_root());
    assert!(found.len() >= 2, "{found:?}");
    let mut problems = Vec::new();
    for lesson in found {
        let chapter = docs_src().join(lesson.chapter());
        let wanted = format!("instructors/{}.md", lesson.package);
        if !notes.contains_key(&lesson.number) {
            problems.push(format!("{} has no notes docs/src/{wanted}", lesson.dir));
        }
        let Ok(markdown) = std::fs::read_to_string(&chapter) else {
            continue; // tests/book.rs names the missing chapter
        };
        let count = includes(&markdown)
            .iter()
            .filter(|include| include.path == wanted)
            .count();
        if count != 1 {
            problems.push(format!(
                "{} includes {wanted} {count} times, not once (`{{{{#include {wanted}}}}}`)",
                relative(&chapter)
            ));
        }
    }
    assert_none(
        problems,
        "lessons without their notes",
        "docs/CONTRIBUTING.md, \"Notes for instructors\"",
    );
}

#[test]
fn every_note_is_folded_with_its_minutes_and_no_relative_link() {
    let notes = notes();
    assert!(!notes.is_empty(), "no notes under docs/src/instructors/");
    let mut problems = Vec::new();
    for path in notes.values() {
        let shown = relative(path);
        let markdown = read(path);
        if let Err(problem) = minutes(&markdown) {
            problems.push(format!("{shown}: {problem}"));
        }
        if !markdown.starts_with("## For instructors\n") {
            problems.push(format!(
                "{shown}: start with the heading `## For instructors`"
            ));
        }
        if !markdown.contains("\n<details>\n") {
            problems.push(format!("{shown}: fold the notes in <details> … </details>"));
        }
        problems.extend(
            fold_problems(&markdown)
                .into_iter()
                .map(|p| format!("{shown}: {p}")),
        );
        // The chapter that includes the notes is in docs/src/, so mdBook resolves their links
        // from there, while tests/book.rs resolves them from docs/src/instructors/.
        for link in links(&markdown) {
            if !link.target.contains("://") {
                problems.push(format!(
                    "{shown}:{}: {}: included notes cannot link within the book (name the \
                     chapter in words, or use instructors.md)",
                    link.line, link.target
                ));
            }
        }
    }
    assert_none(
        problems,
        "notes out of shape",
        "docs/CONTRIBUTING.md, \"Notes for instructors\"",
    );
}

#[test]
fn every_quoted_answer_is_in_its_transcript() {
    let mut pages: Vec<PathBuf> = notes().into_values().collect();
    pages.push(docs_src().join("instructors.md"));
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages {
        let shown = relative(&page);
        let (found, unmarked) = quotes(&read(&page));
        problems.extend(unmarked.into_iter().map(|p| format!("{shown}: {p}")));
        for quote in found {
            let transcript = docs_src().join(&quote.transcript);
            let place = format!("{shown}:{}", quote.line);
            let Ok(recorded) = std::fs::read_to_string(&transcript) else {
                problems.push(format!(
                    "{place}: no transcript docs/src/{}",
                    quote.transcript
                ));
                continue;
            };
            checked += 1;
            if !appears_in(&quote.lines, &recorded) {
                problems.push(format!(
                    "{place}: these lines are not in docs/src/{} (any more?); quote what it \
                     records now:\n    {}",
                    quote.transcript,
                    quote.lines.join("\n    ")
                ));
            }
        }
    }
    assert_none(
        problems,
        "quoted answers that the transcripts do not hold",
        "docs/CONTRIBUTING.md, \"Notes for instructors\"",
    );
    assert!(
        checked > 0,
        "no quoted answer found: the check checks nothing"
    );
}

#[test]
fn the_schedules_add_up_and_use_each_lessons_minutes() {
    let own: BTreeMap<u16, Minutes> = notes()
        .into_iter()
        .filter_map(|(number, path)| Some((number, minutes(&read(&path)).ok()?)))
        .collect();
    let page = docs_src().join("instructors.md");
    let found = schedules(&read(&page))
        .unwrap_or_else(|problems| panic!("{}:\n  {}", relative(&page), problems.join("\n  ")));
    let mut problems = Vec::new();
    let mut sections: Vec<(String, Vec<u32>, Vec<u16>)> = Vec::new();
    for schedule in &found {
        problems.extend(
            arithmetic(schedule, |lesson| own.get(&lesson).copied())
                .into_iter()
                .map(|p| format!("{}: {p}", schedule.heading)),
        );
        if sections
            .last()
            .is_none_or(|(name, ..)| *name != schedule.section)
        {
            sections.push((schedule.section.clone(), Vec::new(), Vec::new()));
        }
        let (_, totals, taught) = sections.last_mut().expect("just pushed");
        totals.push(schedule.total.minutes);
        taught.extend(schedule.rows.iter().filter_map(|row| row.lesson));
    }
    let every_lesson: Vec<u16> = own.keys().copied().collect();
    for (section, _, taught) in &sections {
        if *taught != every_lesson {
            problems.push(format!(
                "{section:?} teaches lessons {taught:?}, not each of {every_lesson:?} once in order"
            ));
        }
    }
    assert_none(
        problems,
        "schedules that do not add up",
        "docs/CONTRIBUTING.md, \"Notes for instructors\"",
    );
    let shapes: Vec<&[u32]> = sections.iter().map(|(_, t, _)| t.as_slice()).collect();
    assert_eq!(
        shapes,
        [&[180][..], &[90, 90][..]],
        "a three-hour workshop, then a class of two 90-minute sessions"
    );
}
