//! Each lesson's promises, as named black-box checks that talk HTTP to a running program: the
//! lesson's own binary, a student's build of the exercise, or a Flask twin. A check sees only what
//! a browser or curl sees (status, `Location`, the literal `Set-Cookie` lines, the page), so the
//! same spec proves a lesson right, tells it apart from the lesson before, and can mark a student's
//! exercise.
//!
//! ```no_run
//! let program = specs::Binary::built("lesson-02");
//! specs::assert_passes(specs::spec(2).expect("lesson 02 has a spec"), &program);
//! ```

mod challenge_02;
mod challenge_03;
mod challenge_04;
mod challenge_05;
mod challenge_06;
mod challenge_07;
mod challenge_08;
mod challenges;
mod html;
mod jar;
mod lesson_01;
mod lesson_02;
mod lesson_03;
mod lesson_04;
mod lesson_05;
mod lesson_06;
pub mod lesson_07;
pub mod lesson_08;
mod private;
mod steps;

use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use jar::Jar;
use test_support::{built_binary, free_port, workspace_root, Server};
pub use test_support::{Printed, Response};

/// What a check may ask of the program when it starts it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The secret key, base64, as `ROCKET_SECRET_KEY` takes it. `None`: the program's own default
    /// (a debug build of a lesson makes up a new one at every launch).
    pub secret_key: Option<String>,
    /// How long a session lasts, in seconds (lesson 04 on).
    pub session_lifetime: Option<u64>,
    /// Anything else, passed through as environment.
    pub extra_env: Vec<(String, String)>,
}

/// Two secret keys made for these checks only (`openssl rand -base64 32`). Never use a key that is
/// in a repository for anything real.
pub const TEST_ONLY_SECRET_KEYS: [&str; 2] = [
    "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=",
    "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=",
];

/// Something the spec can start (and start again): a lesson binary, a student's build, a Flask twin.
pub trait Program: Sync {
    /// Starts a fresh instance listening on 127.0.0.1 and waits until it accepts connections.
    /// `Err(text)` when it did not start (text = what it printed).
    fn start(&self, settings: &Settings) -> Result<App, String>;
    /// A short human name, such as `lesson-02 (target/debug/lesson-02)`.
    fn describe(&self) -> String;
    /// Whether [`Program::start`] really starts a new instance with the settings asked for. A
    /// server that is already running cannot, so checks with [`Check::restarts`] are not run.
    fn can_restart(&self) -> bool {
        true
    }
}

/// A Rocket lesson binary (or a student's): [`Settings`] become `ROCKET_SECRET_KEY` and
/// `ROCKET_SESSION_LIFETIME`, a free port `ROCKET_PORT`, the log is off; started in `current_dir`.
pub struct Binary {
    path: PathBuf,
    current_dir: PathBuf,
}

impl Binary {
    /// The binary at `path`, started in `current_dir` (for the lessons: the workspace root, as
    /// `cargo run -p lesson-0N` starts them).
    pub fn new(path: impl Into<PathBuf>, current_dir: impl Into<PathBuf>) -> Binary {
        Binary {
            path: path.into(),
            current_dir: current_dir.into(),
        }
    }

    /// The workspace's package `package` (such as `lesson-01`), built with `cargo build` in the
    /// calling test's profile and target directory, started from the workspace root.
    pub fn built(package: &str) -> Binary {
        Binary::new(
            built_binary(package),
            workspace_root(env!("CARGO_MANIFEST_DIR")),
        )
    }
}

impl Program for Binary {
    fn start(&self, settings: &Settings) -> Result<App, String> {
        // What a panic of the program prints is shown after a 5xx: its message, not a backtrace.
        let mut env = vec![("RUST_BACKTRACE".to_owned(), "0".to_owned())];
        if let Some(key) = &settings.secret_key {
            env.push(("ROCKET_SECRET_KEY".to_owned(), key.clone()));
        }
        if let Some(seconds) = settings.session_lifetime {
            env.push(("ROCKET_SESSION_LIFETIME".to_owned(), seconds.to_string()));
        }
        env.extend(settings.extra_env.iter().cloned());
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let path = self
            .path
            .to_str()
            .ok_or_else(|| format!("{} is not UTF-8", self.path.display()))?;
        let server = Server::try_start(path, &self.current_dir, free_port(), &env)?;
        let printed = server.printed();
        Ok(App::new(
            SocketAddr::from(([127, 0, 0, 1], server.port())),
            Some(Box::new(server)),
        )
        .printing(printed))
    }

    fn describe(&self) -> String {
        let name = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        format!("{name} ({})", self.path.display())
    }
}

/// An already-running server at a base URL (`http://127.0.0.1:8002`). Checks that must (re)start
/// the program or choose its settings are reported as not run, never silently skipped.
pub struct Url {
    base: String,
    addr: SocketAddr,
}

impl Url {
    /// The server at `base`, such as `http://127.0.0.1:8002` (plain HTTP, no path).
    pub fn parse(base: &str) -> Result<Url, String> {
        let host_port = base
            .strip_prefix("http://")
            .ok_or_else(|| format!("{base:?}: only http:// addresses can be checked"))?
            .trim_end_matches('/');
        let addr = host_port
            .to_socket_addrs()
            .map_err(|e| format!("{base:?}: {e}"))?
            .next()
            .ok_or_else(|| format!("{base:?}: the host has no address"))?;
        Ok(Url {
            base: base.to_owned(),
            addr,
        })
    }
}

impl Program for Url {
    fn start(&self, settings: &Settings) -> Result<App, String> {
        if *settings != Settings::default() {
            return Err(format!("{NOT_RUN_AGAINST_A_URL}: {settings:?}"));
        }
        Ok(App::new(self.addr, None))
    }

    fn describe(&self) -> String {
        self.base.clone()
    }

    fn can_restart(&self) -> bool {
        false
    }
}

/// Why a check with [`Check::restarts`] is not run against a [`Url`].
pub const NOT_RUN_AGAINST_A_URL: &str = "not run: needs the program, not a URL";

/// A running instance; dropping it stops the process (when this side started it).
pub struct App {
    addr: SocketAddr,
    /// What stops the process when dropped (a [`Server`], or another `Program`'s own handle).
    _running: Option<Box<dyn Send>>,
    /// What the process prints, when this side started it: shown with a 5xx or a dropped
    /// connection.
    printed: Option<Printed>,
}

impl App {
    /// The instance listening on `addr`, kept running by `running` (dropped with the `App`, so it
    /// should stop the process when dropped; `None` for a server this side did not start). For
    /// other implementations of [`Program`], such as a Flask twin's.
    pub fn new(addr: SocketAddr, running: Option<Box<dyn Send>>) -> App {
        App {
            addr,
            _running: running,
            printed: None,
        }
    }

    /// The same instance, whose output `printed` is shown with an answer 5xx or a dropped
    /// connection.
    pub fn printing(mut self, printed: Printed) -> App {
        self.printed = Some(printed);
        self
    }

    /// Sends `GET path` with the extra header lines `headers` (such as `"Cookie: user=admin"`).
    /// Panics (which fails the check) when no HTTP answer comes, with what the server printed.
    pub fn get(&self, path: &str, headers: &[&str]) -> Response {
        let before = self.printed_len();
        self.answer(test_support::try_get(self.addr, path, headers), before)
    }

    /// Sends `POST path` with the url-encoded form `body` and the extra header lines `headers`.
    pub fn post_form(&self, path: &str, body: &str, headers: &[&str]) -> Response {
        let before = self.printed_len();
        self.answer(
            test_support::try_post_form(self.addr, path, body, headers),
            before,
        )
    }

    fn printed_len(&self) -> usize {
        self.printed.as_ref().map_or(0, |p| p.text().len())
    }

    /// The answer, with what the server printed since `before` when it is a 5xx.
    fn answer(&self, sent: Result<Response, String>, before: usize) -> Response {
        match sent {
            Ok(mut response) => {
                if response.status >= 500 {
                    response.printed = self.printed_since(before);
                }
                response
            }
            Err(what) => match self.printed_since(before) {
                printed if printed.is_empty() => panic!("{what}"),
                printed => panic!("{what}\nthe server printed:\n{printed}"),
            },
        }
    }

    /// What the server printed after it had printed `before` bytes, waiting up to a second for
    /// something to come (a panic message reaches the pipe a moment after the answer).
    fn printed_since(&self, before: usize) -> String {
        let Some(printed) = &self.printed else {
            return String::new();
        };
        let deadline = Instant::now() + Duration::from_secs(1);
        loop {
            let text = printed.text();
            if text.len() > before || Instant::now() > deadline {
                return text.get(before..).unwrap_or_default().trim_end().to_owned();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

/// Why a check failed: the request that showed it, what was expected, and what came back
/// (status, `Location`, every `Set-Cookie` line, the HTML where the page differs, what the server
/// printed with a 5xx). [`Failure::details`] is all of it, as [`report`] prints it.
#[derive(Debug, Default)]
pub struct Failure {
    /// The request whose answer was wrong (`GET /user`, its `Cookie:` line, the form); empty when
    /// the failure is not about one answer (such as a launch).
    pub request: String,
    pub expected: String,
    pub got: String,
}

impl Failure {
    /// A failure that is not about one answer.
    pub(crate) fn new(expected: impl Into<String>, got: impl Into<String>) -> Failure {
        Failure {
            request: String::new(),
            expected: expected.into(),
            got: got.into(),
        }
    }

    /// `response` was not what was `expected`: its request, and what came back.
    pub(crate) fn of(expected: impl Into<String>, response: &Response) -> Failure {
        Failure {
            request: response.request.clone(),
            expected: expected.into(),
            got: steps::describe(response),
        }
    }

    /// The request, what was expected and what came back, each labelled, indented for a report.
    pub fn details(&self) -> String {
        let mut text = String::new();
        if !self.request.is_empty() {
            text.push_str(&format!("    request:  {}\n", indent(&self.request)));
        }
        text.push_str(&format!("    expected: {}\n", indent(&self.expected)));
        text.push_str(&format!("    got:      {}\n", indent(&self.got)));
        text
    }
}

/// One promise of a lesson, checked from outside.
#[derive(Clone, Copy)]
pub struct Check {
    /// In a user's words: "a forged cookie `user=admin` is not let in".
    pub name: &'static str,
    /// One line pointing at the chapter section.
    pub hint: &'static str,
    /// True when this check is the lesson's point: the previous lesson's program fails it.
    pub point: bool,
    /// True when the check starts the program more than once or with its own [`Settings`] (a key,
    /// a lifetime): it cannot run against a server that is already running.
    pub restarts: bool,
    /// True when the check waits out a lifetime or a throttle's window (seconds of waiting): a
    /// lesson's `cargo test` leaves it to `cargo test -- --ignored` (see [`assert_waiting`]).
    pub waits: bool,
    pub run: fn(&dyn Program) -> Result<(), Failure>,
}

impl Check {
    /// A check that is not the lesson's point and starts the program once, with its defaults.
    const fn new(
        name: &'static str,
        hint: &'static str,
        run: fn(&dyn Program) -> Result<(), Failure>,
    ) -> Check {
        Check {
            name,
            hint,
            point: false,
            restarts: false,
            waits: false,
            run,
        }
    }

    /// Marks the check as the lesson's point.
    const fn the_point(mut self) -> Check {
        self.point = true;
        self
    }

    /// Marks the check as one that starts the program more than once or with its own settings.
    const fn restarting(mut self) -> Check {
        self.restarts = true;
        self
    }

    /// Marks the check as one that waits out a lifetime or a window.
    const fn waiting(mut self) -> Check {
        self.waits = true;
        self
    }
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("name", &self.name)
            .field("point", &self.point)
            .field("restarts", &self.restarts)
            .field("waits", &self.waits)
            .finish_non_exhaustive()
    }
}

/// Lesson `lesson`'s spec (lessons 01 to 08 have one), `None` for a lesson without one.
pub fn spec(lesson: u8) -> Option<&'static [Check]> {
    match lesson {
        1 => Some(lesson_01::CHECKS),
        2 => Some(lesson_02::CHECKS),
        3 => Some(lesson_03::CHECKS),
        4 => Some(lesson_04::CHECKS),
        5 => Some(lesson_05::CHECKS),
        6 => Some(lesson_06::CHECKS),
        7 => Some(lesson_07::CHECKS),
        8 => Some(lesson_08::CHECKS),
        _ => None,
    }
}

/// The checks of lesson `lesson`'s challenge (lessons 02 to 08 have one), `None` for a lesson
/// without one. A challenge is held to its lesson's spec as well.
pub fn challenge(lesson: u8) -> Option<&'static [Check]> {
    match lesson {
        2 => Some(challenge_02::CHECKS),
        3 => Some(challenge_03::CHECKS),
        4 => Some(challenge_04::CHECKS),
        5 => Some(challenge_05::CHECKS),
        6 => Some(challenge_06::CHECKS),
        7 => Some(challenge_07::CHECKS),
        8 => Some(challenge_08::CHECKS),
        _ => None,
    }
}

/// The names of earlier lessons' checks that lesson `lesson` no longer keeps (its point changes
/// them), without replacing them by a check of the same name.
fn drops(lesson: u8) -> &'static [&'static str] {
    match lesson {
        2 => lesson_02::DROPS,
        3 => lesson_03::DROPS,
        4 => lesson_04::DROPS,
        5 => lesson_05::DROPS,
        6 => lesson_06::DROPS,
        7 => lesson_07::DROPS,
        8 => lesson_08::DROPS,
        _ => &[],
    }
}

/// The lessons `lesson` is built from, in order, itself last: each starts from the one before,
/// except lesson 08, which starts from lesson 06 (not 07).
fn lineage(lesson: u8) -> Vec<u8> {
    match lesson {
        8 => vec![1, 2, 3, 4, 5, 6, 8],
        _ => (1..=lesson).collect(),
    }
}

/// The checks of the lessons `lesson` is built from that still hold for it: every one of their
/// checks, except those a later lesson of the line (up to `lesson`) drops or replaces with a check
/// of the same name.
pub fn kept(lesson: u8) -> Vec<Check> {
    let line = lineage(lesson);
    let dropped_after = |position: usize, name: &str| {
        line[position + 1..].iter().any(|&later| {
            drops(later).contains(&name)
                || spec(later).is_some_and(|checks| checks.iter().any(|c| c.name == name))
        })
    };
    line.iter()
        .enumerate()
        .filter(|&(_, &earlier)| earlier != lesson)
        .filter_map(|(position, &earlier)| spec(earlier).map(|checks| (position, checks)))
        .flat_map(|(position, checks)| {
            checks
                .iter()
                .filter(move |check| !dropped_after(position, check.name))
        })
        .copied()
        .collect()
}

/// How one check went.
#[derive(Debug)]
pub enum Verdict {
    Passed,
    Failed(Failure),
    /// Not run, and why (such as [`NOT_RUN_AGAINST_A_URL`]).
    NotRun(String),
}

/// One check and how it went.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub check: &'a Check,
    pub result: Verdict,
}

impl Outcome<'_> {
    pub fn passed(&self) -> bool {
        matches!(self.result, Verdict::Passed)
    }
}

/// Runs every check (each starts its own instance or instances), four at a time. Never panics on a
/// failing program: a check that panics (the program closed the connection, sent no HTTP) failed.
pub fn run<'a>(checks: &'a [Check], program: &dyn Program) -> Vec<Outcome<'a>> {
    const AT_ONCE: usize = 4;
    let next = AtomicUsize::new(0);
    let verdicts: Mutex<Vec<Option<Verdict>>> = Mutex::new(checks.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE.min(checks.len()) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(check) = checks.get(index) else {
                    break;
                };
                let verdict = run_one(check, program);
                verdicts
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())[index] = Some(verdict);
            });
        }
    });
    let verdicts = verdicts
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    checks
        .iter()
        .zip(verdicts)
        .map(|(check, verdict)| Outcome {
            check,
            result: verdict
                .unwrap_or_else(|| Verdict::NotRun("the check did not finish".to_owned())),
        })
        .collect()
}

fn run_one(check: &Check, program: &dyn Program) -> Verdict {
    if check.restarts && !program.can_restart() {
        return Verdict::NotRun(NOT_RUN_AGAINST_A_URL.to_owned());
    }
    match panic::catch_unwind(AssertUnwindSafe(|| (check.run)(program))) {
        Ok(Ok(())) => Verdict::Passed,
        Ok(Err(failure)) => Verdict::Failed(failure),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Verdict::Failed(Failure::new("an HTTP answer", message))
        }
    }
}

/// The outcomes as a reader wants them: "k of n passed against …", then each check that did not
/// pass with the request it made, what was expected, what came back and where the chapter
/// explains it.
pub fn report(outcomes: &[Outcome<'_>], program: &dyn Program) -> String {
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let mut text = format!(
        "{passed} of {} checks passed against {}\n",
        outcomes.len(),
        program.describe()
    );
    for outcome in outcomes {
        let check = outcome.check;
        match &outcome.result {
            Verdict::Passed => text.push_str(&format!("  ok      {}\n", check.name)),
            Verdict::NotRun(why) => text.push_str(&format!("  not run {}: {why}\n", check.name)),
            Verdict::Failed(failure) => text.push_str(&format!(
                "  FAILED  {}\n{}    see:      {}\n",
                check.name,
                failure.details(),
                check.hint
            )),
        }
    }
    text
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n              ")
}

/// For tests: runs `checks` and panics with the report unless every one passed.
pub fn assert_passes(checks: &[Check], program: &dyn Program) {
    let outcomes = run(checks, program);
    if !outcomes.iter().all(Outcome::passed) {
        panic!("{}", report(&outcomes, program));
    }
}

/// The checks of `checks` that answer at once: a lesson's `cargo test` runs these.
pub fn quick(checks: &[Check]) -> Vec<Check> {
    checks
        .iter()
        .filter(|check| !check.waits)
        .copied()
        .collect()
}

/// For a lesson's `#[ignore]`d test: the checks of lesson `lesson`'s spec and of those it keeps
/// that wait out a lifetime or a window pass against `program`, and those of them that are the
/// lesson's point fail against `previous` (`None` for a lesson without such points).
pub fn assert_waiting(lesson: u8, program: &dyn Program, previous: Option<&dyn Program>) {
    let own: Vec<Check> = spec(lesson)
        .unwrap_or_default()
        .iter()
        .filter(|check| check.waits)
        .copied()
        .collect();
    let mut all = own.clone();
    all.extend(kept(lesson).into_iter().filter(|check| check.waits));
    assert!(
        !all.is_empty(),
        "lesson {lesson:02} has no check that waits"
    );
    assert_passes(&all, program);
    let points: Vec<Check> = own.into_iter().filter(|check| check.point).collect();
    match previous {
        Some(previous) => println!("{}", assert_points_fail(&points, previous)),
        None => assert!(
            points.is_empty(),
            "lesson {lesson:02} has point checks that wait: hold them against the lesson before"
        ),
    }
}

/// For tests: runs `checks` against the previous lesson's `program` and panics unless every
/// `point` check failed there (and its failure names it). Returns the report, for the test's log.
pub fn assert_points_fail(checks: &[Check], program: &dyn Program) -> String {
    let outcomes = run(checks, program);
    let text = report(&outcomes, program);
    let not_failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.check.point && !matches!(o.result, Verdict::Failed(_)))
        .map(|o| o.check.name)
        .collect();
    assert!(
        checks.iter().any(|c| c.point),
        "these checks have no point check"
    );
    assert!(
        not_failed.is_empty(),
        "point checks that did not fail against {}: {not_failed:?}\n{text}",
        program.describe()
    );
    for check in checks.iter().filter(|c| c.point) {
        assert!(
            text.contains(&format!("FAILED  {}\n", check.name)),
            "{text}"
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_names_are_checks_of_earlier_lessons() {
        for lesson in 1..=9 {
            for name in drops(lesson) {
                assert!(
                    (1..lesson).any(|m| spec(m).is_some_and(|s| s.iter().any(|c| c.name == *name))),
                    "lesson {lesson} drops {name:?}, which no earlier lesson checks"
                );
            }
        }
    }

    #[test]
    fn names_are_unique_within_a_spec_and_every_spec_has_a_point() {
        for lesson in 1..=9 {
            let Some(checks) = spec(lesson) else { continue };
            assert!(checks.iter().any(|c| c.point), "lesson {lesson}");
            for (i, check) in checks.iter().enumerate() {
                assert!(
                    checks[..i].iter().all(|c| c.name != check.name),
                    "lesson {lesson}: {:?} twice",
                    check.name
                );
            }
        }
    }

    #[test]
    fn every_sentence_a_panel_check_accepts_is_listed_in_the_task() {
        let lists: [(u8, &[&str]); 8] = [
            (1, lesson_01::SAYS_NO_COOKIE),
            (2, lesson_02::SAYS_UNREADABLE),
            (3, lesson_03::SAYS_PLAIN),
            (3, lesson_02::SAYS_UNREADABLE),
            (4, lesson_04::SAYS_TIME_UP),
            (4, lesson_02::SAYS_UNREADABLE),
            (6, lesson_06::SAYS_NOT_HELD),
            (6, lesson_04::SAYS_TIME_UP),
        ];
        for (lesson, sentences) in lists {
            let path = workspace_root(env!("CARGO_MANIFEST_DIR"))
                .join(format!("course/tasks/{lesson:02}.md"));
            let task = std::fs::read_to_string(&path).expect("the task");
            let task = html::squeeze(&task);
            assert!(task.contains("### What the panel must say"), "{path:?}");
            for sentence in sentences {
                assert!(
                    task.contains(&format!("\"{sentence}\"")),
                    "{path:?} does not list {sentence:?} under “What the panel must say”"
                );
            }
        }
    }

    #[test]
    fn a_url_is_parsed_and_refuses_settings() {
        let url = Url::parse("http://127.0.0.1:8002/").expect("a URL");
        assert_eq!(url.addr, SocketAddr::from(([127, 0, 0, 1], 8002)));
        assert!(!url.can_restart());
        let keyed = Settings {
            secret_key: Some(TEST_ONLY_SECRET_KEYS[0].to_owned()),
            ..Settings::default()
        };
        assert!(url.start(&keyed).is_err());
        assert!(Url::parse("https://example.org").is_err());
    }
}
