//! `cargo course <command>`: the exercises of "Sessions in Rocket", checked against the
//! same black-box spec as the lessons.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use course::{checks, hint_file, hints, package, port, task, Course, EXERCISES};
use specs::{Program, Settings, Verdict};

const HELP: &str = "\
Exercises for \"Sessions in Rocket\", checked by what a browser would see.

Usage: cargo course <command> [NN] [options]

Commands:
  list             every exercise, and which pass
  start NN         copy the previous lesson's code (for 08, lesson 06's) into exercises/lesson-NN/
                   with the task in its README; --overwrite replaces an exercise already started
  check NN         build exercises/lesson-NN/, start it, and run lesson NN's checks against it
  hint NN          the next hint (again: the one after)
  solution NN      the reference: the diff from the starting code to lesson NN; shown once
                   `check NN` passed, or with --force
  help             this text

Going further: `start|check|hint|solution NN --challenge` do the same for lesson NN's challenge
(lessons 02 to 08), a task that no chapter solves, in exercises/challenge-NN/ (port 82NN),
checked against the challenge's checks and lesson NN's own.

Work in exercises/lesson-NN/ (`cargo run` there serves it on http://127.0.0.1:81NN).
Colours are used on a terminal unless NO_COLOR is set.
";

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }
    fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let style = Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match run(&args, &style) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{} {message}", style.red("error:"));
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String], style: &Style) -> Result<ExitCode, String> {
    let (flags, words): (Vec<&str>, Vec<&str>) = args
        .iter()
        .map(String::as_str)
        .partition(|a| a.starts_with("--"));
    let course = Course::locate();
    let number = || -> Result<u8, String> {
        let word = words
            .get(1)
            .ok_or_else(|| format!("`{}` needs an exercise number, such as 01", words[0]))?;
        match word.parse::<u8>() {
            Ok(n) if EXERCISES.contains(&n) => Ok(n),
            _ => Err(format!(
                "no exercise {word:?}: the exercises are {:02} to {:02}",
                EXERCISES.start(),
                EXERCISES.end()
            )),
        }
    };
    for flag in &flags {
        let known = match words.first().copied() {
            Some("start" | "check" | "hint" | "solution") if *flag == "--challenge" => true,
            Some("start") => *flag == "--overwrite",
            Some("solution") => *flag == "--force",
            _ => *flag == "--help",
        };
        if !known {
            return Err(format!("unknown option {flag}; see `cargo course help`"));
        }
    }
    if flags.contains(&"--help") {
        print!("{HELP}");
        return Ok(ExitCode::SUCCESS);
    }
    if flags.contains(&"--challenge") {
        return course::challenge::command(&course, words[0], number()?, &flags, style.color);
    }
    match words.first().copied() {
        None | Some("help") => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        Some("list") => list(&course, style),
        Some("start") => start(&course, number()?, flags.contains(&"--overwrite")),
        Some("check") => check(&course, number()?, style),
        Some("hint") => hint(&course, number()?),
        Some("solution") => solution(&course, number()?, flags.contains(&"--force"), style),
        Some(other) => Err(format!(
            "unknown command {other:?}; see `cargo course help`"
        )),
    }
}

fn available(n: u8) -> Result<Vec<specs::Check>, String> {
    checks(n)
        .ok_or_else(|| format!("exercise {n:02} is not yet available: its lesson has no spec, or the course no task for it, yet"))
}

fn list(course: &Course, style: &Style) -> Result<ExitCode, String> {
    let state = course.state();
    let mut passed = 0;
    let mut total = 0;
    println!("{}", style.bold("Sessions in Rocket: the exercises"));
    for n in EXERCISES {
        let status = if checks(n).is_none() {
            style.dim("not yet available")
        } else {
            total += 1;
            let entry = state.get(n);
            match (course.exercise_dir(n).is_dir(), entry.last_check) {
                (false, _) => "not started".to_owned(),
                (true, _) if entry.passed() => {
                    passed += 1;
                    style.green("passed")
                }
                (true, Some((k, all))) => style.red(&format!("started, {k} of {all} checks pass")),
                (true, None) => "started, not checked yet".to_owned(),
            }
        };
        println!("  {n:02}  {:<34} {status}", course.title(n));
    }
    println!("{passed} of {total} passed. Next: `cargo course start NN`, then `check NN`.");
    println!(
        "{}",
        style.bold("Going further: the challenges (no chapter solves them)")
    );
    let state = course.challenge_state();
    for n in course::challenge::CHALLENGES {
        let entry = state.get(n);
        let status = match (course.challenge_dir(n).is_dir(), entry.last_check) {
            (false, _) => "not started".to_owned(),
            (true, _) if entry.passed() => style.green("passed"),
            (true, Some((k, all))) => style.red(&format!("started, {k} of {all} checks pass")),
            (true, None) => "started, not checked yet".to_owned(),
        };
        let name = course::challenge::title(n).unwrap_or_default();
        println!("  {n:02}  {name:<42} {status}");
    }
    println!(
        "Start one with `cargo course start NN --challenge`: it starts from lesson NN's own code."
    );
    Ok(ExitCode::SUCCESS)
}

fn start(course: &Course, n: u8, overwrite: bool) -> Result<ExitCode, String> {
    available(n)?;
    let dir = course.start(n, &package(n), overwrite)?;
    let shown = dir
        .strip_prefix(&course.root)
        .unwrap_or(&dir)
        .display()
        .to_string();
    println!("Exercise {n:02} · {} is in {shown}/", course.title(n));
    println!("The task is in {shown}/README.md:\n");
    println!("{}", task(n).map(first_paragraph).unwrap_or_default());
    println!(
        "\nRun it:    cd {shown} && cargo run     (http://127.0.0.1:{})",
        port(n)
    );
    println!("Check it:  cargo course check {n:02}");
    Ok(ExitCode::SUCCESS)
}

fn first_paragraph(task: &str) -> &str {
    task.trim().split("\n\n").next().unwrap_or("")
}

fn check(course: &Course, n: u8, style: &Style) -> Result<ExitCode, String> {
    let all = available(n)?;
    let dir = course.exercise_dir(n);
    if !dir.is_dir() {
        return Err(format!(
            "exercise {n:02} is not started; `cargo course start {n:02}` starts it"
        ));
    }
    println!("Building {} …", shown(course, &dir));
    let binary = match course.build(&dir, &package(n), style.color) {
        Ok(binary) => binary,
        Err(compiler) => {
            println!(
                "{}\n",
                style.red(&format!("exercise {n:02} does not build:"))
            );
            println!("{}", compiler.trim_end());
            println!("\nFix what the compiler says, then check again.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let program = specs::Binary::new(binary, &dir);
    if let Err(printed) = program.start(&Settings::default()) {
        println!(
            "{}\n",
            style.red(&format!("exercise {n:02} builds but does not start:"))
        );
        println!("{}", printed.trim_end());
        return Ok(ExitCode::FAILURE);
    }
    println!("Running lesson {n:02}'s {} checks …", all.len());
    let missing = course::missing(&all, course::installed);
    let outcomes = course::run_installed(&all, &missing, &program);
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    // `checks` lists lesson n's own checks first, then the earlier lessons' it keeps.
    let own = specs::spec(n).map_or(0, <[_]>::len);
    for (i, outcome) in outcomes.iter().enumerate() {
        let point = if i < own && outcome.check.point {
            style.dim("  (this lesson's point)")
        } else {
            String::new()
        };
        let mark = match &outcome.result {
            Verdict::Passed => style.green("  ✓ passed "),
            Verdict::Failed(_) => style.red("  ✗ FAILED "),
            Verdict::NotRun(_) => "  - not run".to_owned(),
        };
        let why = match &outcome.result {
            Verdict::NotRun(why) => style.dim(&format!("  ({why})")),
            _ => String::new(),
        };
        println!("{mark} {}{point}{why}", outcome.check.name);
    }
    for note in course::not_run_notes(&missing) {
        println!("\n{}", style.red(&note));
    }
    let summary = format!("{passed} of {} checks passed", outcomes.len());
    let failures: Vec<(&specs::Check, &specs::Failure)> = outcomes
        .iter()
        .filter_map(|o| match &o.result {
            Verdict::Failed(failure) => Some((o.check, failure)),
            _ => None,
        })
        .collect();
    let mut state = course.state();
    state.entry(n).last_check = Some((passed, outcomes.len()));
    course.save_state(&state)?;
    if !failures.is_empty() {
        println!("\nWhat the failed checks found:");
        for (check, failure) in &failures {
            print_failure(check, failure, style);
        }
    }
    if passed == outcomes.len() {
        println!("\n{}", style.green(&summary));
        println!("Exercise {n:02} passes. `cargo course solution {n:02}` shows the reference.");
        return Ok(ExitCode::SUCCESS);
    }
    println!("\n{}", style.red(&summary));
    if !failures.is_empty() {
        println!("More help: `cargo course hint {n:02}`.");
    }
    Ok(ExitCode::FAILURE)
}

/// A failed check with everything its failure holds. The pattern names every field of
/// `specs::Failure`, so that a field added there stops this from compiling until it is printed.
fn print_failure(check: &specs::Check, failure: &specs::Failure, style: &Style) {
    let specs::Failure {
        request,
        expected,
        got,
    } = failure;
    println!("\n{} {}", style.red("✗"), style.bold(check.name));
    if !request.is_empty() {
        println!("  request:  {}", indent(request));
    }
    println!("  expected: {}", indent(expected));
    println!("  got:      {}", indent(got));
    println!("  hint:     {}", check.hint);
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n            ")
}

fn shown(course: &Course, path: &Path) -> String {
    path.strip_prefix(&course.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn hint(course: &Course, n: u8) -> Result<ExitCode, String> {
    available(n)?;
    let all = hints(hint_file(n).unwrap_or_default());
    let mut state = course.state();
    let entry = state.entry(n);
    let index = entry.hints_shown.min(all.len().saturating_sub(1));
    let text = all
        .get(index)
        .ok_or_else(|| format!("exercise {n:02} has no hints"))?;
    println!(
        "Hint {} of {} for exercise {n:02}:\n\n{text}",
        index + 1,
        all.len()
    );
    if index + 1 == all.len() {
        println!(
            "\nThat was the last hint. `solution {n:02}` shows the reference once `check {n:02}` passes (or with --force)."
        );
    }
    entry.hints_shown = index + 1;
    course.save_state(&state)?;
    Ok(ExitCode::SUCCESS)
}

fn solution(course: &Course, n: u8, force: bool, style: &Style) -> Result<ExitCode, String> {
    available(n)?;
    if !force && !course.state().get(n).passed() {
        return Err(format!(
            "the solution is shown once `cargo course check {n:02}` passes; \
             `solution {n:02} --force` shows it now"
        ));
    }
    let old_dir = match n {
        1 => course.starting_code(n)?,
        _ => course.lesson_dir(course::solution_from(n))?,
    };
    let new_dir = course.lesson_dir(n)?;
    let mut files = course::code_files(&old_dir)?;
    files.extend(course::code_files(&new_dir)?);
    files.sort();
    files.dedup();
    let mut out = format!(
        "The reference for exercise {n:02}: from {} to {}.\n\n",
        shown(course, &old_dir),
        shown(course, &new_dir)
    );
    if n > 1 && course::solution_from(n) != course::built_on(n) {
        out.push_str(&format!(
            "Exercise {n:02} starts from lesson {:02}'s code, whose colour, \"Forget me\" and goodbye \
             it may drop: lesson {:02} is that code without them.\n\n",
            course::built_on(n),
            course::solution_from(n)
        ));
    }
    for file in files {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(&file)).ok();
        let (old, new) = (read(&old_dir), read(&new_dir));
        let name = |dir: &Path, text: &Option<String>| match text {
            Some(_) => shown(course, &dir.join(&file)),
            None => "/dev/null".to_owned(),
        };
        let diff = course::diff::unified(
            &name(&old_dir, &old),
            &name(&new_dir, &new),
            old.as_deref().unwrap_or(""),
            new.as_deref().unwrap_or(""),
        );
        for line in diff.lines() {
            let painted = match line.chars().next() {
                Some('+') if !line.starts_with("+++") => style.green(line),
                Some('-') if !line.starts_with("---") => style.red(line),
                Some('@') => style.dim(line),
                _ => line.to_owned(),
            };
            out.push_str(&painted);
            out.push('\n');
        }
    }
    // Written at once, and a closed pipe (`| head`) is no error.
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(ExitCode::SUCCESS)
}
