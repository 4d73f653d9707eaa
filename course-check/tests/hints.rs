//! Every check of every lesson's spec points the student at a chapter section that exists: the
//! `(docs/src/….md#…)` in its hint names a file of the book and one of its headings. The runner
//! (`cargo course check N`) prints these hints when a check fails.

use course_check::book::heading_ids;
use course_check::{read, workspace_root};

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
