//! `lesson_support::figment` puts each lesson's defaults under Rocket.toml and `ROCKET_*`, as
//! Rocket's own defaults are. The real binaries of lessons 01 to 06 (07: its tests/process.rs),
//! started in a directory holding a real Rocket.toml, show it: the `[default]` table and a
//! profile's table beat the lesson's port, `ROCKET_PORT` beats Rocket.toml, and lessons 04-06 read
//! `session_lifetime` from `[default]`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use test_support::{built_binary, free_port, launch_until_exit, Response, Server};

const LESSONS: [&str; 6] = [
    "lesson-01",
    "lesson-02",
    "lesson-03",
    "lesson-04",
    "lesson-05",
    "lesson-06",
];

/// A fresh directory holding `Rocket.toml` with `toml`.
fn dir_with(toml: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "rocket-toml-{}-{}",
        std::process::id(),
        free_port()
    ));
    fs::create_dir_all(&dir).expect("a temporary directory");
    fs::write(dir.join("Rocket.toml"), toml).expect("write Rocket.toml");
    dir
}

/// `lesson` started in `dir` with no `ROCKET_PORT` unless `env` has one, expected on `port`.
fn start_in(lesson: &str, dir: &Path, port: u16, env: &[(&str, &str)]) -> Server {
    let mut command = Command::new(built_binary(lesson));
    command
        .current_dir(dir)
        .env_remove("ROCKET_PORT")
        .env("ROCKET_LOG_LEVEL", "off")
        .envs(env.iter().copied());
    Server::try_spawn(command, port)
        .unwrap_or_else(|e| panic!("{lesson} did not listen on {port} with {dir:?}: {e}"))
}

fn assert_serves(server: &Server, lesson: &str) {
    let home = server.get("/", &[]);
    assert_eq!(home.status, 200, "{lesson}: {home:?}");
}

#[test]
fn rocket_toml_default_table_beats_the_lessons_port() {
    for lesson in LESSONS {
        let port = free_port();
        let dir = dir_with(&format!("[default]\nport = {port}\n"));
        assert_serves(&start_in(lesson, &dir, port, &[]), lesson);
    }
}

#[test]
fn rocket_toml_debug_table_beats_the_lessons_port() {
    for lesson in LESSONS {
        let port = free_port();
        let dir = dir_with(&format!("[debug]\nport = {port}\n"));
        assert_serves(&start_in(lesson, &dir, port, &[]), lesson);
    }
}

#[test]
fn rocket_port_beats_rocket_toml() {
    for lesson in LESSONS {
        let (in_toml, in_env) = (free_port(), free_port());
        let dir = dir_with(&format!("[default]\nport = {in_toml}\n"));
        let port = in_env.to_string();
        let server = start_in(lesson, &dir, in_env, &[("ROCKET_PORT", &port)]);
        assert_serves(&server, lesson);
    }
}

fn max_age_after_login(server: &Server) -> String {
    let response: Response = server.post_form("/login", "nm=Tim&remember=on", &[]);
    let cookie = response.header_values("Set-Cookie").join("\n");
    let max_age = cookie.split("; ").find(|part| part.starts_with("Max-Age="));
    max_age
        .unwrap_or_else(|| panic!("no Max-Age in {cookie}"))
        .to_owned()
}

#[test]
fn session_lifetime_under_default_in_rocket_toml_is_read() {
    for lesson in ["lesson-04", "lesson-05", "lesson-06"] {
        let port = free_port();
        let dir = dir_with(&format!(
            "[default]\nport = {port}\nsession_lifetime = 30\n"
        ));
        let server = start_in(lesson, &dir, port, &[]);
        assert_eq!(max_age_after_login(&server), "Max-Age=30", "{lesson}");
    }
}

#[test]
fn a_bare_session_lifetime_line_stops_the_launch() {
    // Rocket reads Rocket.toml `.nested()`: every top-level key names a profile.
    for lesson in ["lesson-04", "lesson-05", "lesson-06"] {
        let dir = dir_with("session_lifetime = 30\n");
        let binary = built_binary(lesson);
        let exit = launch_until_exit(binary.to_str().unwrap(), &dir, &[]);
        assert!(exit.failed, "{lesson}: {}", exit.printed);
        assert!(
            exit.printed.contains("session_lifetime"),
            "{lesson}: {}",
            exit.printed
        );
    }
}
