//! Reading the book's Markdown the way mdBook's `{{#include}}` does.

use std::path::{Path, PathBuf};

/// One `{{#include …}}` (or `{{#rustdoc_include …}}`) found in a chapter.
#[derive(Debug, PartialEq, Eq)]
pub struct Include {
    /// 1-based line in the chapter.
    pub line: usize,
    /// The path as written, relative to the chapter's directory.
    pub path: String,
    /// The anchor name, if the include selects one (`file.rs:login`); line ranges give `None`.
    pub anchor: Option<String>,
}

/// Every include in `markdown`, in order.
pub fn includes(markdown: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for (index, line) in markdown.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let inner = after[..end].trim();
            rest = &after[end + 2..];
            let Some(target) = inner
                .strip_prefix("include ")
                .or_else(|| inner.strip_prefix("rustdoc_include "))
            else {
                continue;
            };
            let mut parts = target.trim().splitn(2, ':');
            let path = parts.next().unwrap_or_default().to_owned();
            let anchor = parts
                .next()
                .filter(|selector| !selector.starts_with(|c: char| c.is_ascii_digit() || c == ':'))
                .map(str::to_owned);
            found.push(Include {
                line: index + 1,
                path,
                anchor,
            });
        }
    }
    found
}

/// Whether `source` has both `ANCHOR: name` and `ANCHOR_END: name`, matched as mdBook matches
/// them: anywhere in a line, the name ending at a character that cannot be part of a name.
pub fn has_anchor(source: &str, name: &str) -> bool {
    marker_present(source, "ANCHOR:", name) && marker_present(source, "ANCHOR_END:", name)
}

/// The lines (1-based number, text) that an include of `source` shows, as mdBook shows them: the
/// whole file or the lines between `ANCHOR: name` and `ANCHOR_END: name`, without any anchor line.
pub fn included_lines<'s>(source: &'s str, anchor: Option<&str>) -> Vec<(usize, &'s str)> {
    let is_marker = |line: &str, marker: &str, name: &str| marker_present(line, marker, name);
    let mut inside = anchor.is_none();
    let mut shown = Vec::new();
    for (index, line) in source.lines().enumerate() {
        if let Some(name) = anchor {
            if is_marker(line, "ANCHOR:", name) {
                inside = true;
                continue;
            }
            if is_marker(line, "ANCHOR_END:", name) {
                inside = false;
                continue;
            }
        }
        if inside && !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            shown.push((index + 1, line));
        }
    }
    shown
}

fn marker_present(source: &str, marker: &str, name: &str) -> bool {
    source.lines().any(|line| {
        line.match_indices(marker).any(|(at, _)| {
            let rest = line[at + marker.len()..].trim_start();
            rest.strip_prefix(name).is_some_and(|tail| {
                !tail.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
            })
        })
    })
}

/// How many lines of Python a chapter may type into one block (a one-line command, a short
/// excerpt); anything longer is a Flask twin's code and is included from `tools/flask-twins/`.
pub const MAX_TYPED_PYTHON_LINES: usize = 3;

/// Problems with the fenced code blocks of a chapter: a ```` ```rust ```` block must hold only
/// `{{#include …}}` lines, so that Rust code is always the lessons' own, and a ```` ```python ````
/// block at most [`MAX_TYPED_PYTHON_LINES`] other lines, so that Flask code is the twins' own.
pub fn pasted_code(markdown: &str) -> Vec<String> {
    let mut problems = Vec::new();
    // (fence marker, language, start line, typed lines)
    let mut fence: Option<(String, String, usize, Vec<usize>)> = None;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut fence {
            None => {
                let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
                if ticks.len() >= 3 {
                    let info = trimmed[ticks.len()..].trim();
                    let language = info.split([',', ' ']).next().unwrap_or_default();
                    fence = Some((ticks, language.to_owned(), index + 1, Vec::new()));
                }
            }
            Some((ticks, language, start, typed)) => {
                if trimmed.starts_with(ticks.as_str()) && trimmed.trim_end() == ticks {
                    if language == "python" && typed.len() > MAX_TYPED_PYTHON_LINES {
                        problems.push(format!(
                            "line {start}: the python block holds {} lines typed into the book \
                             (lines {:?}); include them from a Flask twin in tools/flask-twins/ instead",
                            typed.len(),
                            typed
                        ));
                    }
                    fence = None;
                } else if !(trimmed.is_empty()
                    || trimmed.starts_with("{{#include ")
                    || trimmed.starts_with("{{#rustdoc_include "))
                {
                    if language == "rust" {
                        problems.push(format!(
                            "line {}: the rust block opened on line {start} holds code typed into \
                             the book ({trimmed:?}); include it from the lesson instead",
                            index + 1
                        ));
                    } else {
                        typed.push(index + 1);
                    }
                }
            }
        }
    }
    problems
}

/// One Markdown link or image (`[text](target)`, `![alt](target)`) outside code blocks.
#[derive(Debug, PartialEq, Eq)]
pub struct Link {
    /// 1-based line in the chapter.
    pub line: usize,
    pub target: String,
}

/// Every link and image target in `markdown`, skipping fenced code blocks.
pub fn links(markdown: &str) -> Vec<Link> {
    let mut found = Vec::new();
    for (line, text) in prose_lines(markdown) {
        let mut rest = text;
        while let Some(open) = rest.find("](") {
            let after = &rest[open + 2..];
            let Some(close) = after.find(')') else { break };
            found.push(Link {
                line,
                target: after[..close].trim().to_owned(),
            });
            rest = &after[close + 1..];
        }
    }
    found
}

/// The ids mdBook gives the headings of `markdown`: the heading's text in lower case, each
/// whitespace character turned into `-`, everything but letters, digits, `_` and `-` dropped.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    prose_lines(markdown)
        .into_iter()
        .filter_map(|(_, line)| {
            let text = line.trim_start_matches('#');
            (text.len() < line.len() && text.starts_with(' ')).then_some(text.trim())
        })
        .map(|text| {
            text.chars()
                .filter_map(|c| {
                    if c.is_whitespace() {
                        Some('-')
                    } else if c.is_alphanumeric() || c == '_' || c == '-' {
                        Some(c)
                    } else {
                        None
                    }
                })
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect()
}

/// The lines of `markdown` outside fenced code blocks, with their 1-based numbers.
fn prose_lines(markdown: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<String> = None;
    let mut prose = Vec::new();
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(open) if ticks.len() >= open.len() && trimmed.trim_end() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => prose.push((index + 1, line)),
        }
    }
    prose
}

/// The summary of the fold around the reference code in lesson `number`'s chapter.
pub fn reference_summary(number: u16) -> String {
    format!(
        "<details><summary>The reference code: open once <code>cargo course check {number:02}</code> \
         passes</summary>"
    )
}

/// A `<details>` block of a chapter: a fold of the reference code, or another (the instructors'
/// notes, a long transcript).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fold {
    Reference,
    Other,
}

/// Whether `line` opens a fold of lesson `number`'s reference code: a `<details>` whose summary,
/// on the same line, says to open it once `cargo course check NN` passes ([`reference_summary`],
/// or another name for what it folds, such as "The changes: open once …").
pub fn is_reference_fold(line: &str, number: u16) -> bool {
    let line = line.trim();
    line.starts_with("<details><summary>")
        && line.ends_with(&format!(
            "open once <code>cargo course check {number:02}</code> passes</summary>"
        ))
}

/// Whether an include of `path` shows the code a student writes for lesson `dir`: its `src/`
/// (but not the tests in `src/tests.rs` or `src/tests/`) or its `templates/`.
pub fn is_lesson_code(path: &str, dir: &str) -> bool {
    let Some((_, rest)) = path.split_once(&format!("{dir}/")) else {
        return false;
    };
    match rest.split_once('/') {
        Some(("templates", _)) => true,
        Some(("src", file)) => file != "tests.rs" && !file.starts_with("tests/"),
        _ => false,
    }
}

/// Problems with the order of lesson `number`'s chapter (the lesson's code in directory `dir`):
/// the task before the answer. The sections "The Flask step", "Exercise", "The Rocket code", "What
/// changed since lesson NN-1", "Pitfalls" and "Try it" come in that order (the second of them
/// optional, "The Rocket code" too), the notes for instructors after "Try it"; every include of the
/// lesson's code comes after "Exercise" and sits inside a fold of the reference code
/// ([`is_reference_fold`]), whose Markdown has a blank line before and after it (without them
/// mdBook shows it as text).
pub fn order_problems(markdown: &str, dir: &str, number: u16) -> Vec<String> {
    let mut problems = Vec::new();
    let changed = format!("What changed since lesson {:02}", number.saturating_sub(1));
    let order: [(&str, bool); 6] = [
        ("The Flask step", true),
        ("Exercise", true),
        ("The Rocket code", false),
        (changed.as_str(), false),
        ("Pitfalls", true),
        ("Try it", true),
    ];
    let headings: Vec<(usize, &str)> = prose_lines(markdown)
        .into_iter()
        .filter_map(|(line, text)| Some((line, text.strip_prefix("## ")?.trim())))
        .collect();
    let line_of = |title: &str| {
        headings
            .iter()
            .find(|(_, heading)| *heading == title)
            .map(|(line, _)| *line)
    };
    let mut previous: Option<(&str, usize)> = None;
    for (title, required) in order {
        match (line_of(title), previous) {
            (None, _) if required => problems.push(format!("no section \"## {title}\"")),
            (None, _) => {}
            (Some(line), Some((before, at))) if line < at => problems.push(format!(
                "line {line}: \"## {title}\" comes before \"## {before}\" (line {at})"
            )),
            (Some(line), _) => previous = Some((title, line)),
        }
    }
    let notes = format!("{{{{#include instructors/lesson-{number:02}.md}}}}");
    let notes_line = markdown
        .lines()
        .position(|line| line.trim() == notes)
        .map(|index| index + 1);
    match (notes_line, line_of("Try it")) {
        (Some(notes_at), Some(try_at)) if notes_at < try_at => problems.push(format!(
            "line {notes_at}: the notes for instructors come before \"## Try it\" (line {try_at})"
        )),
        _ => {}
    }
    let exercise = line_of("Exercise");
    let lines: Vec<&str> = markdown.lines().collect();
    let blank = |index: Option<usize>| {
        index
            .and_then(|i| lines.get(i))
            .is_some_and(|l| l.trim().is_empty())
    };
    // The `<details>` blocks open around each line, innermost last.
    let mut open: Vec<Fold> = Vec::new();
    let mut fence: Option<String> = None;
    for (index, line) in lines.iter().enumerate() {
        let line_number = index + 1;
        let trimmed = line.trim();
        let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(marker) if ticks.len() >= marker.len() && trimmed == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None if trimmed.starts_with("<details>") => {
                let fold = if is_reference_fold(trimmed, number) {
                    Fold::Reference
                } else {
                    Fold::Other
                };
                if fold == Fold::Reference && !blank(Some(index + 1)) {
                    problems.push(format!(
                        "line {line_number}: no blank line after the fold's summary, so mdBook \
                         shows the Markdown in it as text"
                    ));
                }
                open.push(fold);
            }
            None if trimmed == "</details>" => {
                let closed = open.pop();
                if closed == Some(Fold::Reference) && !blank(index.checked_sub(1)) {
                    problems.push(format!(
                        "line {line_number}: no blank line before </details>, so mdBook shows the \
                         Markdown before it as text"
                    ));
                }
            }
            None => {}
        }
        for include in includes(line) {
            if !is_lesson_code(&include.path, dir) {
                continue;
            }
            if exercise.is_none_or(|at| line_number < at) {
                problems.push(format!(
                    "line {line_number}: the lesson's code ({}) comes before \"## Exercise\"",
                    include.path
                ));
            }
            if open.last() != Some(&Fold::Reference) {
                problems.push(format!(
                    "line {line_number}: the lesson's code ({}) is not folded in {} … </details>",
                    include.path,
                    reference_summary(number)
                ));
            }
        }
    }
    problems
}

/// The chapter files `SUMMARY.md` links to, relative to `docs/src/`, in order.
pub fn summary_chapters(summary: &str) -> Vec<String> {
    let mut chapters = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(open) = rest.find("](") {
            let after = &rest[open + 2..];
            let Some(close) = after.find(')') else { break };
            let target = after[..close].trim();
            if !target.is_empty() {
                chapters.push(target.to_owned());
            }
            rest = &after[close + 1..];
        }
    }
    chapters
}

/// `path` as written in an include of `chapter`, resolved against the chapter's directory.
pub fn resolve(chapter: &Path, path: &str) -> PathBuf {
    chapter
        .parent()
        .expect("a chapter is inside docs/src")
        .join(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_found_with_their_anchors() {
        let markdown = "text\n```rust\n{{#include ../../a/src/main.rs:login}}\n```\n\
                        {{#include t.txt}} and {{#include b.rs:3:5}} {{#rustdoc_include c.rs:x}}\n";
        assert_eq!(
            includes(markdown),
            [
                Include {
                    line: 3,
                    path: "../../a/src/main.rs".into(),
                    anchor: Some("login".into())
                },
                Include {
                    line: 5,
                    path: "t.txt".into(),
                    anchor: None
                },
                Include {
                    line: 5,
                    path: "b.rs".into(),
                    anchor: None
                },
                Include {
                    line: 5,
                    path: "c.rs".into(),
                    anchor: Some("x".into())
                },
            ]
        );
    }

    #[test]
    fn anchors_need_both_ends_and_the_whole_name() {
        let source = "// ANCHOR: login\nfn f() {}\n// ANCHOR_END: login\n// ANCHOR: login_form\n";
        assert!(has_anchor(source, "login"));
        assert!(!has_anchor(source, "login_form"), "no ANCHOR_END");
        assert!(!has_anchor(source, "log"), "a prefix is not the name");
        assert!(has_anchor(
            "{# ANCHOR: nav #}\n{# ANCHOR_END: nav #}",
            "nav"
        ));
    }

    #[test]
    fn typed_rust_is_found_and_included_rust_is_not() {
        let good = "```rust\n{{#include a.rs:x}}\n```\n```python\nprint(1)\n```\n";
        assert!(pasted_code(good).is_empty());
        let bad = "```rust\nfn main() {}\n```\n";
        assert_eq!(pasted_code(bad).len(), 1);
        let hidden = "````markdown\n```rust\nfn main() {}\n```\n````\n";
        assert!(
            pasted_code(hidden).is_empty(),
            "an example of Markdown is not Rust"
        );
    }

    #[test]
    fn typed_python_of_more_than_three_lines_is_found() {
        let short = "```python\nsession.pop(\"user\", None)\n\nsession.clear()\nflash(m)\n```\n";
        assert!(
            pasted_code(short).is_empty(),
            "three lines, blank ones not counted"
        );
        let included = "```python\n{{#include ../../tools/flask-twins/lesson_02.py:login}}\n```\n";
        assert!(pasted_code(included).is_empty());
        let long = "```python\nimport os\napp = Flask(__name__)\nx = 1\ny = 2\n```\n";
        let problems = pasted_code(long);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("4 lines"), "{problems:?}");
        let html = "```html\n<a>\n<b>\n<c>\n<d>\n```\n";
        assert!(pasted_code(html).is_empty(), "only python is counted");
    }

    #[test]
    fn links_outside_code_are_found() {
        let markdown = "See [a](a.md#x) and ![d](d.svg).\n```text\n[no](code.md)\n```\n[b](#y)\n";
        let targets: Vec<String> = links(markdown).into_iter().map(|l| l.target).collect();
        assert_eq!(targets, ["a.md#x", "d.svg", "#y"]);
    }

    #[test]
    fn heading_ids_follow_mdbook() {
        let markdown =
            "# Lesson 01 · Plain cookies\n## `session[\"user\"] = None` does not log out\n\
                        ```sh\n# a comment\n```\n## Flask's session is signed, not encrypted\n";
        assert_eq!(
            heading_ids(markdown),
            [
                "lesson-01--plain-cookies",
                "sessionuser--none-does-not-log-out",
                "flasks-session-is-signed-not-encrypted"
            ]
        );
    }

    /// A chapter of lesson 09 (code in `lesson-09-x/`) in the order of the book, with `rocket`
    /// as the body of "The Rocket code".
    fn chapter(rocket: &str) -> String {
        format!(
            "# Lesson 09 · X\n\n## The Flask step\n\n## What the browser receives\n\n\
             ```rust\n{{{{#include ../../lesson-09-x/src/tests.rs:t}}}}\n```\n\n\
             ## Exercise\n\n{{{{#include ../../course/tasks/09.md}}}}\n\n\
             ## The Rocket code\n\n{rocket}\n\n## What changed since lesson 08\n\n\
             ## Pitfalls\n\n## Try it\n\n{{{{#include instructors/lesson-09.md}}}}\n"
        )
    }

    fn folded(inside: &str) -> String {
        format!("{}\n\n{inside}\n\n</details>", reference_summary(9))
    }

    const CODE: &str = "```rust\n{{#include ../../lesson-09-x/src/main.rs:login}}\n```";

    #[test]
    fn a_chapter_with_the_task_first_and_the_code_folded_is_in_order() {
        let good = chapter(&folded(&format!("Prose.\n\n{CODE}")));
        assert_eq!(
            order_problems(&good, "lesson-09-x", 9),
            Vec::<String>::new()
        );
        let template = "```html\n{{#include ../../lesson-09-x/templates/base.html.tera:nav}}\n```";
        let good = chapter(&folded(template));
        assert_eq!(
            order_problems(&good, "lesson-09-x", 9),
            Vec::<String>::new()
        );
    }

    #[test]
    fn code_shown_unfolded_or_before_the_exercise_is_found() {
        let unfolded = order_problems(&chapter(CODE), "lesson-09-x", 9);
        assert_eq!(unfolded.len(), 1, "{unfolded:?}");
        assert!(unfolded[0].contains("is not folded"), "{unfolded:?}");

        let early = chapter(&folded("Prose."))
            .replace("## Exercise", &format!("{}\n\n## Exercise", folded(CODE)));
        let problems = order_problems(&early, "lesson-09-x", 9);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("comes before \"## Exercise\""),
            "{problems:?}"
        );

        let named = chapter(&format!(
            "<details><summary>The changes: open once <code>cargo course check 09</code> \
             passes</summary>\n\n{CODE}\n\n</details>"
        ));
        assert_eq!(
            order_problems(&named, "lesson-09-x", 9),
            Vec::<String>::new()
        );
        let other_lesson = chapter(&folded(CODE)).replace("check 09", "check 08");
        let problems = order_problems(&other_lesson, "lesson-09-x", 9);
        assert!(problems[0].contains("is not folded"), "{problems:?}");

        let other_fold = chapter(&format!(
            "<details><summary>Code</summary>\n\n{CODE}\n\n</details>"
        ));
        let problems = order_problems(&other_fold, "lesson-09-x", 9);
        assert!(problems[0].contains("is not folded"), "{problems:?}");
    }

    #[test]
    fn a_fold_without_blank_lines_around_its_markdown_is_found() {
        let tight = chapter(&format!("{}\n{CODE}\n</details>", reference_summary(9)));
        let problems = order_problems(&tight, "lesson-09-x", 9);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("no blank line after"), "{problems:?}");
        assert!(problems[1].contains("no blank line before"), "{problems:?}");
    }

    #[test]
    fn sections_out_of_order_are_found() {
        let good = chapter(&folded(CODE));
        let swapped = good
            .replace("## Pitfalls", "## PLACEHOLDER")
            .replace("## Try it", "## Pitfalls")
            .replace("## PLACEHOLDER", "## Try it");
        let problems = order_problems(&swapped, "lesson-09-x", 9);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("\"## Try it\" comes before \"## Pitfalls\"")),
            "{problems:?}"
        );
        let notes_early = good
            .replace("{{#include instructors/lesson-09.md}}\n", "")
            .replace(
                "## Try it",
                "{{#include instructors/lesson-09.md}}\n\n## Try it",
            );
        let problems = order_problems(&notes_early, "lesson-09-x", 9);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("instructors come before"),
            "{problems:?}"
        );
        let no_exercise = good.replace("## Exercise", "## Task");
        let problems = order_problems(&no_exercise, "lesson-09-x", 9);
        assert!(
            problems.iter().any(|p| p == "no section \"## Exercise\""),
            "{problems:?}"
        );
    }

    #[test]
    fn only_the_code_a_student_writes_is_the_lessons_code() {
        let dir = "lesson-07-production";
        assert!(is_lesson_code(
            "../../lesson-07-production/src/main.rs",
            dir
        ));
        assert!(is_lesson_code(
            "../../lesson-07-production/src/store.rs",
            dir
        ));
        assert!(is_lesson_code(
            "../../lesson-07-production/templates/base.html.tera",
            dir
        ));
        assert!(!is_lesson_code(
            "../../lesson-07-production/src/tests.rs",
            dir
        ));
        assert!(!is_lesson_code(
            "../../lesson-07-production/src/tests/with_redis.rs",
            dir
        ));
        assert!(!is_lesson_code(
            "../../lesson-07-production/tests/process.rs",
            dir
        ));
        assert!(!is_lesson_code(
            "../../lesson-06-server-side/src/main.rs",
            dir
        ));
        assert!(!is_lesson_code("../../lesson-support/src/lib.rs", dir));
    }

    #[test]
    fn summary_links_are_listed() {
        let summary = "# Summary\n\n[Intro](introduction.md)\n\n- [01 · A](lesson-01.md)\n";
        assert_eq!(
            summary_chapters(summary),
            ["introduction.md", "lesson-01.md"]
        );
    }
}
