//! Reading the instructors' notes: each lesson's minutes (`docs/src/instructors/lesson-0N.md`),
//! the answers quoted from transcripts, and the schedules of `docs/src/instructors.md`.

/// One lesson's timing, from its line `minutes: reading 5, demo 5, exercise 10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes {
    pub reading: u32,
    pub demo: u32,
    pub exercise: u32,
}

impl Minutes {
    pub fn total(&self) -> u32 {
        self.reading + self.demo + self.exercise
    }
}

/// The one `minutes:` line of a lesson's notes.
pub fn minutes(markdown: &str) -> Result<Minutes, String> {
    let lines: Vec<&str> = markdown
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("minutes:"))
        .collect();
    let [line] = lines[..] else {
        return Err(format!(
            "{} lines start with `minutes:`; write exactly one, such as \
             `minutes: reading 5, demo 5, exercise 10`",
            lines.len()
        ));
    };
    let parts: Vec<(&str, &str)> = line["minutes:".len()..]
        .split(',')
        .filter_map(|part| part.trim().split_once(' '))
        .collect();
    let number = |name: &str, value: &str| {
        value
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("{line:?}: {name} is not a whole number of minutes"))
    };
    match parts[..] {
        [("reading", reading), ("demo", demo), ("exercise", exercise)] => Ok(Minutes {
            reading: number("reading", reading)?,
            demo: number("demo", demo)?,
            exercise: number("exercise", exercise)?,
        }),
        _ => Err(format!(
            "{line:?}: write `minutes: reading N, demo N, exercise N`, in that order"
        )),
    }
}

/// What would stop mdBook rendering the folds of `markdown` as folds with Markdown inside: each
/// `<details>`, `<summary>…</summary>` and `</details>` on a line of its own at the left margin
/// (mdBook 0.5 warns about a fold opened inside a list item and closed outside it), blank lines
/// around the Markdown between them, and every fold closed.
pub fn fold_problems(markdown: &str) -> Vec<String> {
    let lines: Vec<&str> = markdown.lines().collect();
    let blank = |index: usize| lines.get(index).is_none_or(|line| line.trim().is_empty());
    let mut problems = Vec::new();
    let mut depth = 0_usize;
    for (index, line) in lines.iter().enumerate() {
        let tag = line.trim();
        let is_fold = tag == "<details>" || tag == "</details>" || tag.starts_with("<summary>");
        if !is_fold {
            if tag.contains("<details") || tag.contains("</details>") || tag.contains("<summary") {
                problems.push(format!(
                    "line {}: put the fold's tag on a line of its own",
                    index + 1
                ));
            }
            continue;
        }
        if *line != tag {
            problems.push(format!(
                "line {}: {tag} must start at the left margin",
                index + 1
            ));
        }
        match tag {
            "<details>" => depth += 1,
            "</details>" if depth == 0 => {
                problems.push(format!("line {}: </details> closes no fold", index + 1));
            }
            "</details>" => depth -= 1,
            _ if !tag.ends_with("</summary>") => {
                problems.push(format!("line {}: end the summary on its line", index + 1));
            }
            _ => {}
        }
        let (needs_blank, at) = match tag {
            "</details>" => (index.checked_sub(1).is_some_and(|i| !blank(i)), index),
            "<details>" => (false, index),
            _ => (!blank(index + 1), index + 2),
        };
        if needs_blank {
            problems.push(format!(
                "line {at}: leave a blank line there, or mdBook shows the Markdown as plain text"
            ));
        }
    }
    if depth != 0 {
        problems.push(format!("{depth} <details> never closed"));
    }
    problems
}

/// A fenced block after a line `Quoted from `transcripts/lesson-0N/name.txt`:`.
#[derive(Debug, PartialEq, Eq)]
pub struct Quote {
    /// 1-based line of the marker.
    pub line: usize,
    /// The transcript, relative to `docs/src/`.
    pub transcript: String,
    /// The block's lines, trimmed.
    pub lines: Vec<String>,
}

/// A fenced code block: its info string, where it starts, and its lines.
struct Block {
    language: String,
    start: usize,
    lines: Vec<String>,
}

/// Every fenced block of `markdown`, indented ones (inside lists or folds) included.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
        match open.take() {
            Some((fence, block)) if trimmed == fence => found.push(block),
            Some((fence, mut block)) => {
                block.lines.push(trimmed.to_owned());
                open = Some((fence, block));
            }
            None if ticks.len() >= 3 => {
                let info = trimmed[ticks.len()..].trim();
                let language = info.split([',', ' ']).next().unwrap_or_default();
                let block = Block {
                    language: language.to_owned(),
                    start: index + 1,
                    lines: Vec::new(),
                };
                open = Some((ticks, block));
            }
            None => {}
        }
    }
    found
}

const MARKER: &str = "Quoted from `";

/// The transcript named by a marker line, if `line` is one.
fn marker(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix(MARKER)?
        .strip_suffix("`:")
        .filter(|path| path.starts_with("transcripts/") && path.ends_with(".txt"))
}

/// Every quote in `markdown`, and a problem for each block or code span that shows a server's
/// answer without saying which transcript it comes from. `sh` blocks are commands to type and
/// may not hold answers; every other block must follow a marker.
pub fn quotes(markdown: &str) -> (Vec<Quote>, Vec<String>) {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for block in blocks(markdown) {
        let before = lines[..block.start - 1]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, line)| !line.trim().is_empty());
        let transcript = before.and_then(|(index, line)| Some((index + 1, marker(line)?)));
        match (block.language.as_str(), transcript) {
            ("sh", None) => {
                if let Some(answer) = block.lines.iter().find(|line| looks_like_an_answer(line)) {
                    problems.push(format!(
                        "line {}: the sh block holds a server's answer ({answer:?}); quote it in \
                         a block after `{MARKER}transcripts/…`:`",
                        block.start
                    ));
                }
            }
            (_, Some((line, transcript))) => found.push(Quote {
                line,
                transcript: transcript.to_owned(),
                lines: block.lines,
            }),
            (language, None) => problems.push(format!(
                "line {}: a ```{language} block without `{MARKER}transcripts/lesson-0N/….txt`:` \
                 on the line before it (only sh blocks of commands need none)",
                block.start
            )),
        }
    }
    for (line, span) in code_spans(markdown) {
        if looks_like_an_answer(span) {
            problems.push(format!(
                "line {line}: `{span}` quotes a server in prose, where nothing checks it; put it \
                 in a block after `{MARKER}transcripts/…`:`"
            ));
        }
    }
    (found, problems)
}

/// A status line or a header line with a value, as curl prints them.
fn looks_like_an_answer(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    lower.starts_with("http/1.")
        || ["set-cookie:", "location:"].iter().any(|name| {
            lower
                .strip_prefix(name)
                .is_some_and(|v| !v.trim().is_empty())
        })
}

/// The inline code spans of the prose, with their 1-based lines.
fn code_spans(markdown: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut in_block = false;
    for (index, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            continue;
        }
        let mut parts = line.split('`');
        parts.next();
        while let (Some(span), Some(_)) = (parts.next(), parts.next()) {
            spans.push((index + 1, span));
        }
    }
    spans
}

/// Whether `lines` appear, in order and next to each other, among the lines of `transcript`
/// (both compared trimmed).
pub fn appears_in(lines: &[String], transcript: &str) -> bool {
    let recorded: Vec<&str> = transcript.lines().map(str::trim).collect();
    !lines.is_empty()
        && recorded
            .windows(lines.len())
            .any(|window| window.iter().zip(lines).all(|(a, b)| *a == b.trim()))
}

/// One row of a schedule table.
#[derive(Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the page.
    pub line: usize,
    /// Minutes from the start, from the `at` column (`1:05` is 65).
    pub at: u32,
    /// The part as written.
    pub part: String,
    /// The lesson the part names (`[03 · Logging out](lesson-03.md)` is 3).
    pub lesson: Option<u16>,
    /// Reading, demo and exercise, when the row gives them.
    pub split: Option<Minutes>,
    pub minutes: u32,
}

/// A table with the columns `at | part | reading | demo | exercise | minutes`, its last row the
/// total, under a heading that ends in `(N minutes)`.
#[derive(Debug, PartialEq, Eq)]
pub struct Schedule {
    /// The `## ` heading it belongs to.
    pub section: String,
    /// The nearest heading above it.
    pub heading: String,
    /// N from the heading's `(N minutes)`.
    pub planned: Option<u32>,
    pub rows: Vec<Row>,
    pub total: Row,
}

const COLUMNS: [&str; 6] = ["at", "part", "reading", "demo", "exercise", "minutes"];

/// Every schedule table of `markdown`, or the problems that stop one being read.
pub fn schedules(markdown: &str) -> Result<Vec<Schedule>, Vec<String>> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut section = String::new();
    let mut heading = String::new();
    let mut table: Option<Vec<(usize, Vec<String>)>> = None;
    let mut finish = |table: Vec<(usize, Vec<String>)>, section: &str, heading: &str| {
        let mut rows = Vec::new();
        for (line, cells) in table {
            match row(line, &cells) {
                Ok(row) => rows.push(row),
                Err(problem) => problems.push(format!("line {line}: {problem}")),
            }
        }
        if let Some(total) = rows.pop() {
            found.push(Schedule {
                section: section.to_owned(),
                heading: heading.to_owned(),
                planned: planned(heading),
                rows,
                total,
            });
        }
    };
    for (index, line) in markdown.lines().chain([""]).enumerate() {
        let trimmed = line.trim();
        if let Some(rows) = table.as_mut() {
            if trimmed.starts_with('|') {
                let cells = cells(trimmed);
                if !cells.iter().all(|c| c.chars().all(|c| "-: ".contains(c))) {
                    rows.push((index + 1, cells));
                }
                continue;
            }
            let rows = table.take().unwrap_or_default();
            finish(rows, &section, &heading);
        }
        if let Some(text) = trimmed.strip_prefix("## ") {
            section = text.trim().to_owned();
        }
        if trimmed.starts_with('#') {
            heading = trimmed.trim_start_matches('#').trim().to_owned();
        } else if trimmed.starts_with('|') && cells(trimmed) == COLUMNS {
            table = Some(Vec::new());
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_owned()).collect()
}

/// N from a heading ending in `(N minutes)`.
fn planned(heading: &str) -> Option<u32> {
    let inside = heading.strip_suffix(" minutes)")?;
    inside[inside.rfind('(')? + 1..].parse().ok()
}

fn row(line: usize, cells: &[String]) -> Result<Row, String> {
    let [at, part, reading, demo, exercise, minutes] = cells else {
        return Err(format!("{} cells, not {}", cells.len(), COLUMNS.len()));
    };
    let number = |cell: &str| -> Result<Option<u32>, String> {
        let bare = cell.trim_matches('*');
        if bare.is_empty() {
            return Ok(None);
        }
        bare.parse()
            .map(Some)
            .map_err(|_| format!("{cell:?} is not a whole number of minutes"))
    };
    let at = at
        .split_once(':')
        .filter(|(_, m)| m.len() == 2)
        .and_then(|(h, m)| Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?))
        .ok_or_else(|| format!("`at` is {at:?}, not h:mm"))?;
    let split = match (number(reading)?, number(demo)?, number(exercise)?) {
        (Some(reading), Some(demo), Some(exercise)) => Some(Minutes {
            reading,
            demo,
            exercise,
        }),
        (None, None, None) => None,
        _ => return Err("give all of reading, demo and exercise, or none".to_owned()),
    };
    Ok(Row {
        line,
        at,
        part: part.clone(),
        lesson: lesson_link(part),
        split,
        minutes: number(minutes)?.ok_or("no minutes")?,
    })
}

/// The lesson a part names by its number: `[01 · Plain cookies](lesson-01.md)` or `07 · …` is 1
/// or 7.
fn lesson_link(cell: &str) -> Option<u16> {
    let (digits, _) = cell.trim_start_matches('[').split_once(" · ")?;
    digits.parse().ok().filter(|_| digits.len() == 2)
}

/// What does not add up in `schedule`: the clock, each lesson's split against its own minutes
/// and `lesson_minutes` (its notes' `minutes:` line), the columns against the total row, and the
/// total against the heading.
pub fn arithmetic(
    schedule: &Schedule,
    lesson_minutes: impl Fn(u16) -> Option<Minutes>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut clock = 0;
    let mut sums = Minutes {
        reading: 0,
        demo: 0,
        exercise: 0,
    };
    for row in &schedule.rows {
        problems.extend(late(row, clock));
        clock = row.at + row.minutes;
        if let Some(split) = row.split {
            sums.reading += split.reading;
            sums.demo += split.demo;
            sums.exercise += split.exercise;
            if split.total() != row.minutes {
                problems.push(format!(
                    "line {}: {}: reading {} + demo {} + exercise {} is {}, not {}",
                    row.line,
                    row.part,
                    split.reading,
                    split.demo,
                    split.exercise,
                    split.total(),
                    row.minutes
                ));
            }
        }
        match (row.lesson, row.split) {
            (Some(lesson), split) => match lesson_minutes(lesson) {
                None => problems.push(format!(
                    "line {}: lesson {lesson:02} has no notes with a `minutes:` line",
                    row.line
                )),
                Some(own) if split != Some(own) => problems.push(format!(
                    "line {}: {} differs from instructors/lesson-{lesson:02}.md, which says \
                     reading {}, demo {}, exercise {}",
                    row.line, row.part, own.reading, own.demo, own.exercise
                )),
                Some(_) => {}
            },
            (None, Some(_)) => problems.push(format!(
                "line {}: {} has a reading/demo/exercise split but links to no lesson",
                row.line, row.part
            )),
            (None, None) => {}
        }
    }
    let total = &schedule.total;
    problems.extend(late(total, clock));
    let sum: u32 = schedule.rows.iter().map(|row| row.minutes).sum();
    if total.minutes != sum {
        problems.push(format!(
            "line {}: the total says {} minutes, the rows add up to {sum}",
            total.line, total.minutes
        ));
    }
    if total.split != Some(sums) {
        problems.push(format!(
            "line {}: the total row's reading, demo and exercise should be {}, {} and {}",
            total.line, sums.reading, sums.demo, sums.exercise
        ));
    }
    if schedule.planned != Some(sum) {
        problems.push(format!(
            "the heading {:?} should end in `({sum} minutes)`, what the rows add up to",
            schedule.heading
        ));
    }
    problems
}

/// A problem if `row` is not at `clock`, where the rows above it end.
fn late(row: &Row, clock: u32) -> Option<String> {
    (row.at != clock).then(|| {
        format!(
            "line {}: {} is at {}, but the rows above end at {}",
            row.line,
            row.part,
            clock_text(row.at),
            clock_text(clock)
        )
    })
}

fn clock_text(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minutes_line_is_read_and_held_to_its_form() {
        let notes = "text\n\nminutes: reading 5, demo 4, exercise 10\n";
        let read = minutes(notes).expect("a good line");
        assert_eq!((read.reading, read.demo, read.exercise), (5, 4, 10));
        assert_eq!(read.total(), 19);
        assert!(minutes("no line").is_err());
        assert!(minutes("minutes: demo 4, reading 5, exercise 10").is_err());
        assert!(minutes("minutes: reading 5, demo four, exercise 10").is_err());
        assert!(minutes(
            "minutes: reading 5, demo 4, exercise 10\nminutes: reading 1, demo 1, exercise 1"
        )
        .is_err());
    }

    #[test]
    fn folds_are_held_to_the_shape_mdbook_renders() {
        let good = "<details>\n<summary>Answer</summary>\n\nText.\n\n</details>\n";
        assert_eq!(fold_problems(good), Vec::<String>::new());
        let in_a_list = "- item\n  <details>\n  <summary>A</summary>\n\n  x\n\n</details>\n";
        assert_eq!(
            fold_problems(in_a_list).len(),
            2,
            "{:?}",
            fold_problems(in_a_list)
        );
        let cramped = "<details>\n<summary>A</summary>\nText.\n</details>\n";
        assert_eq!(
            fold_problems(cramped).len(),
            2,
            "{:?}",
            fold_problems(cramped)
        );
        assert_eq!(
            fold_problems("<details>\n<summary>A</summary>\n\nx\n").len(),
            1
        );
        assert_eq!(fold_problems("x\n\n</details>\n").len(), 1);
        assert_eq!(fold_problems("<details><summary>A</summary>\n").len(), 1);
    }

    #[test]
    fn quotes_are_found_after_their_marker_even_when_indented() {
        let notes = "<details>\n\nQuoted from `transcripts/lesson-01/login.txt`:\n\n  ```text\n  \
                     set-cookie: user=Tim; Path=/\n  ```\n\n```sh\ncurl -i http://x\n```\n";
        let (found, problems) = quotes(notes);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            found,
            [Quote {
                line: 3,
                transcript: "transcripts/lesson-01/login.txt".into(),
                lines: vec!["set-cookie: user=Tim; Path=/".into()],
            }]
        );
    }

    #[test]
    fn answers_without_a_marker_are_problems() {
        let unmarked = "```text\nHTTP/1.1 303 See Other\n```\n";
        assert_eq!(quotes(unmarked).1.len(), 1);
        let in_sh = "```sh\ncurl -i http://x\nlocation: /user\n```\n";
        assert_eq!(quotes(in_sh).1.len(), 1);
        let in_prose = "It sends `Set-Cookie: user=Tim` and `Set-Cookie` headers.\n";
        assert_eq!(
            quotes(in_prose).1.len(),
            1,
            "a header with a value, not a name"
        );
        let far = "Quoted from `transcripts/lesson-01/login.txt`:\n\nwords\n\n```text\nx\n```\n";
        assert_eq!(quotes(far).1.len(), 1, "the marker must be right above");
    }

    #[test]
    fn a_quote_must_appear_whole_and_in_order() {
        let transcript = "$ curl -i …\nHTTP/1.1 303 See Other\nlocation: /user\nserver: Rocket\n";
        let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        assert!(appears_in(
            &lines("HTTP/1.1 303 See Other\nlocation: /user"),
            transcript
        ));
        assert!(
            appears_in(&lines("  location: /user  "), transcript),
            "trimmed"
        );
        assert!(appears_in(&lines("location: /user"), transcript));
        assert!(!appears_in(
            &lines("location: /user\nHTTP/1.1 303 See Other"),
            transcript
        ));
        assert!(!appears_in(&lines("location: /login"), transcript));
        assert!(!appears_in(&[], transcript));
    }

    const PAGE: &str = "# Page\n## A workshop\n### Part one (40 minutes)\n\n\
        | at | part | reading | demo | exercise | minutes |\n|--:|---|--:|--:|--:|--:|\n\
        | 0:00 | Welcome | | | | 10 |\n\
        | 0:10 | [01 · Cookies](lesson-01.md) | 5 | 5 | 10 | 20 |\n\
        | 0:30 | Break | | | | 10 |\n\
        | 0:40 | **Total** | 5 | 5 | 10 | **40** |\n\nAfter.\n";

    fn own(lesson: u16) -> Option<Minutes> {
        (lesson == 1).then_some(Minutes {
            reading: 5,
            demo: 5,
            exercise: 10,
        })
    }

    #[test]
    fn a_schedule_that_adds_up_has_no_problems() {
        let found = schedules(PAGE).expect("a readable table");
        assert_eq!(found.len(), 1);
        let schedule = &found[0];
        assert_eq!(
            (schedule.section.as_str(), schedule.planned),
            ("A workshop", Some(40))
        );
        assert_eq!(schedule.rows.len(), 3);
        assert_eq!(schedule.rows[1].lesson, Some(1));
        assert_eq!(schedule.total.minutes, 40);
        assert_eq!(arithmetic(schedule, own), Vec::<String>::new());
    }

    #[test]
    fn each_way_of_not_adding_up_is_caught() {
        let broken = |from: &str, to: &str| {
            let page = PAGE.replacen(from, to, 1);
            let found = schedules(&page).expect("a readable table");
            arithmetic(&found[0], own)
        };
        // The clock, the total, the split, the lesson's own minutes, the heading.
        assert!(!broken("| 0:30 | Break", "| 0:35 | Break").is_empty());
        assert!(!broken("**40** |", "**45** |").is_empty());
        assert!(!broken("| 5 | 5 | 10 | 20 |", "| 5 | 5 | 10 | 25 |").is_empty());
        assert!(!broken("| 5 | 5 | 10 | 20 |", "| 6 | 4 | 10 | 20 |").is_empty());
        assert!(!broken("(40 minutes)", "(45 minutes)").is_empty());
        assert!(!broken("[01 · Cookies]", "[02 · Cookies]").is_empty());
        assert!(
            !broken("[01 · Cookies]", "[Cookies]").is_empty(),
            "a split needs a lesson"
        );
        assert!(schedules(&PAGE.replacen("| 0:30 |", "| 30 |", 1)).is_err());
    }
}
