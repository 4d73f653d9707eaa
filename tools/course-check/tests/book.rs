//! The book is whole: a chapter for every lesson, every include resolves, Rust is only included,
//! and so is any Python block of more than three lines (from the Flask twins in `tools/flask-twins/`).
//! mdBook itself only logs a missing include file and silently shows nothing for a missing anchor
//! (its build still succeeds), so these checks are what catch them.

use course_check::book::{
    has_anchor, heading_ids, included_lines, includes, links, order_problems, pasted_code, resolve,
    summary_chapters,
};
use course_check::{assert_none, files_under, lessons, read, relative, workspace_root};
use std::path::PathBuf;

fn docs_src() -> PathBuf {
    workspace_root().join("docs").join("src")
}

fn chapters() -> Vec<PathBuf> {
    files_under(&docs_src(), ".md")
}

#[test]
fn the_course_has_lessons() {
    // Guards the other checks against passing because they found nothing to check.
    let found = lessons(&workspace_root());
    assert!(found.len() >= 2, "{found:?}");
    assert!(!chapters().is_empty());
}

#[test]
fn every_lesson_has_a_chapter_listed_in_the_summary() {
    let summary = summary_chapters(&read(&docs_src().join("SUMMARY.md")));
    let mut problems = Vec::new();
    for lesson in lessons(&workspace_root()) {
        let chapter = lesson.chapter();
        if !docs_src().join(&chapter).is_file() {
            problems.push(format!("{} has no chapter docs/src/{chapter}", lesson.dir));
        }
        if !summary.contains(&chapter) {
            problems.push(format!("docs/src/SUMMARY.md does not list {chapter}"));
        }
    }
    assert_none(
        problems,
        "lessons without a chapter",
        "docs/CONTRIBUTING.md",
    );
}

#[test]
fn every_lesson_chapter_puts_its_task_before_the_folded_reference_code() {
    let mut problems = Vec::new();
    for lesson in lessons(&workspace_root()) {
        let chapter = docs_src().join(lesson.chapter());
        let Ok(markdown) = std::fs::read_to_string(&chapter) else {
            continue; // every_lesson_has_a_chapter_listed_in_the_summary says so
        };
        for problem in order_problems(&markdown, &lesson.dir, lesson.number) {
            problems.push(format!("{}: {problem}", relative(&chapter)));
        }
    }
    assert_none(
        problems,
        "lesson chapters that show the answer before the task",
        "docs/CONTRIBUTING.md",
    );
}

#[test]
fn every_chapter_in_the_summary_exists() {
    let problems = summary_chapters(&read(&docs_src().join("SUMMARY.md")))
        .into_iter()
        .filter(|chapter| !docs_src().join(chapter).is_file())
        .map(|chapter| format!("SUMMARY.md lists {chapter}, which does not exist"))
        .collect();
    assert_none(problems, "missing chapters", "docs/CONTRIBUTING.md");
}

#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let mut problems = Vec::new();
    for chapter in chapters() {
        for include in includes(&read(&chapter)) {
            let target = resolve(&chapter, &include.path);
            let place = format!("{}:{}", relative(&chapter), include.line);
            let Ok(source) = std::fs::read_to_string(&target) else {
                problems.push(format!("{place}: no file {}", include.path));
                continue;
            };
            if let Some(anchor) = &include.anchor {
                if !has_anchor(&source, anchor) {
                    problems.push(format!(
                        "{place}: {} has no `ANCHOR: {anchor}` … `ANCHOR_END: {anchor}`",
                        include.path
                    ));
                }
            }
        }
    }
    assert_none(problems, "broken includes", "docs/CONTRIBUTING.md");
}

/// How many characters of code a line of the book's code column shows: `docs/code-width.css`
/// widens mdBook's column (750 px, about 84 characters of its 14 px monospace) to show this many.
const CODE_WIDTH: usize = 100;

#[test]
fn every_included_line_of_code_fits_the_books_code_column() {
    let book = read(&workspace_root().join("docs/book.toml"));
    let css = read(&workspace_root().join("docs/code-width.css"));
    assert!(
        book.contains("additional-css = [\"code-width.css\"]")
            && css.contains("--content-max-width: 880px"),
        "docs/book.toml must add docs/code-width.css, which widens the column to {CODE_WIDTH} \
         characters of code"
    );
    let code = [".rs", ".py", ".tera", ".html", ".sh"];
    let mut problems = Vec::new();
    for chapter in chapters() {
        for include in includes(&read(&chapter)) {
            if !code.iter().any(|suffix| include.path.ends_with(suffix)) {
                continue;
            }
            let target = resolve(&chapter, &include.path);
            let Ok(source) = std::fs::read_to_string(&target) else {
                continue; // every_include_names_an_existing_file_and_anchor says so
            };
            for (number, line) in included_lines(&source, include.anchor.as_deref()) {
                let width = line.chars().count();
                if width > CODE_WIDTH {
                    problems.push(format!(
                        "{}:{number}: {width} characters, shown by {}:{}",
                        relative(&target.canonicalize().unwrap_or(target.clone())),
                        relative(&chapter),
                        include.line
                    ));
                }
            }
        }
    }
    problems.sort();
    problems.dedup_by(|a, b| a.split(", shown").next() == b.split(", shown").next());
    assert_none(
        problems,
        &format!("included lines wider than the book's {CODE_WIDTH}-character code column"),
        "docs/CONTRIBUTING.md",
    );
}

#[test]
fn rust_and_flask_code_in_the_book_is_only_included() {
    let problems = chapters()
        .into_iter()
        .flat_map(|chapter| {
            pasted_code(&read(&chapter))
                .into_iter()
                .map(move |problem| format!("{}: {problem}", relative(&chapter)))
        })
        .collect();
    assert_none(
        problems,
        "Rust or Python typed into the book",
        "docs/CONTRIBUTING.md",
    );
}

#[test]
fn every_transcript_is_shown_by_a_chapter() {
    let included: Vec<PathBuf> = chapters()
        .iter()
        .flat_map(|chapter| {
            includes(&read(chapter))
                .into_iter()
                .filter_map(|include| resolve(chapter, &include.path).canonicalize().ok())
        })
        .collect();
    let problems = files_under(&docs_src().join("transcripts"), ".txt")
        .into_iter()
        .filter(|transcript| {
            let canonical = transcript.canonicalize().expect("a listed file exists");
            !included.contains(&canonical)
        })
        .map(|transcript| format!("{} is not included by any chapter", relative(&transcript)))
        .collect();
    assert_none(problems, "transcripts nobody reads", "docs/CONTRIBUTING.md");
}

#[test]
fn every_link_between_chapters_and_to_a_heading_resolves() {
    let mut problems = Vec::new();
    for chapter in chapters() {
        let markdown = read(&chapter);
        for link in links(&markdown) {
            let target = link.target.as_str();
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let place = format!("{}:{}", relative(&chapter), link.line);
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let file = if path.is_empty() {
                chapter.clone()
            } else {
                resolve(&chapter, path)
            };
            if !file.is_file() {
                problems.push(format!("{place}: {target} points at no file"));
                continue;
            }
            let inside_book = file
                .canonicalize()
                .is_ok_and(|file| file.starts_with(docs_src().canonicalize().unwrap()));
            if !inside_book {
                problems.push(format!(
                    "{place}: {target} is outside docs/src, so the built book cannot serve it"
                ));
            }
            if !fragment.is_empty() && !heading_ids(&read(&file)).iter().any(|id| id == fragment) {
                problems.push(format!(
                    "{place}: {target}: no heading with the id {fragment:?}"
                ));
            }
        }
    }
    assert_none(problems, "broken links", "docs/CONTRIBUTING.md");
}
