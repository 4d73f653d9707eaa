//! The Flask twins (`tools/flask-twins/lesson_0N.py`) as programs the lessons' specs can start: each in
//! the virtual environment `tools/flask-twins/.venv` made by `tools/flask-twins/venv`, with `flask run`, the
//! command the README gives, on a free port of 127.0.0.1.

use specs::{App, Program, Response, Settings};
use std::fs::File;
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use test_support::{free_port, workspace_root, Server};

/// What to install when the twins cannot run, for the failure messages.
pub const NEEDS: &str =
    "needs python3-venv and PyPI (Debian: apt-get install python3-venv): see README";

/// `tools/flask-twins/.venv`, made (once per test run, from PyPI) or found current by `tools/flask-twins/venv`.
/// Panics with what the script printed, and the package to install, when it cannot be made.
pub fn venv() -> &'static Path {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let made = VENV.get_or_init(|| {
        let script = twins_dir().join("venv");
        let output = Command::new(&script)
            .output()
            .map_err(|e| format!("run {}: {e}", script.display()))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned());
        }
        let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok(PathBuf::from(path))
    });
    match made {
        Ok(path) => path,
        Err(printed) => panic!("tools/flask-twins/venv failed, {NEEDS}\n{printed}"),
    }
}

fn twins_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One twin, such as `lesson_02.py`. [`Settings`] become its environment: `FLASK_SECRET_KEY` (a
/// new random key at every start when none is asked for: Flask has no debug key, and the twins
/// refuse to start without one), `FLASK_SESSION_LIFETIME`, and every `ROCKET_X` of `extra_env` as
/// `FLASK_X` (a list as its items separated by spaces).
pub struct FlaskTwin {
    file: &'static str,
}

impl FlaskTwin {
    pub fn new(file: &'static str) -> FlaskTwin {
        FlaskTwin { file }
    }
}

impl Program for FlaskTwin {
    fn start(&self, settings: &Settings) -> Result<App, String> {
        let flask = venv().join("bin").join("flask");
        let port = free_port();
        let mut command = Command::new(flask);
        command
            .args(["--app", &format!("tools/flask-twins/{}", self.file), "run"])
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .current_dir(workspace_root(env!("CARGO_MANIFEST_DIR")))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env(
                "FLASK_SECRET_KEY",
                settings.secret_key.clone().unwrap_or_else(random_key),
            );
        if let Some(seconds) = settings.session_lifetime {
            command.env("FLASK_SESSION_LIFETIME", seconds.to_string());
        }
        for (name, value) in &settings.extra_env {
            match name.strip_prefix("ROCKET_") {
                Some(setting) => command.env(format!("FLASK_{setting}"), flask_value(value)),
                None => command.env(name, value),
            };
        }
        let server = Server::try_spawn(command, port)?;
        let printed = server.printed();
        Ok(App::new(
            SocketAddr::from(([127, 0, 0, 1], port)),
            Some(Box::new(server)),
        )
        .printing(printed))
    }

    fn describe(&self) -> String {
        format!("the Flask twin tools/flask-twins/{}", self.file)
    }
}

/// A Rocket setting's value as the twins read it: a list (`["a", "b"]`, as Rocket's environment
/// variables write one) becomes its items separated by spaces; anything else is unchanged.
fn flask_value(value: &str) -> String {
    match value
        .trim()
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
    {
        Some(items) => items
            .split(',')
            .map(|item| item.trim().trim_matches('"'))
            .filter(|item| !item.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        None => value.to_owned(),
    }
}

/// 32 random bytes from the operating system, as hex: a key nobody else has.
fn random_key() -> String {
    let mut bytes = [0u8; 32];
    File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .expect("read /dev/urandom");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Runs `code` with the venv's Python (`python -c code args…`) and returns what it printed.
pub fn python(code: &str, args: &[&str]) -> String {
    let output = Command::new(venv().join("bin").join("python"))
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("run the venv's python");
    assert!(
        output.status.success(),
        "python -c {code:?} {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned()
}

/// What anyone holding a Flask session cookie can read in it, decoded as the book says: the part
/// before the first `.` after an optional leading `.`, URL-safe base64 without padding, inflated
/// with zlib when the value starts with `.`. `None` when it does not decode (a Rocket cookie).
pub fn read_session(value: &str) -> Option<String> {
    const DECODE: &str = "
import base64, sys, zlib
value = sys.argv[1]
compressed = value.startswith('.')
payload = value[1:] if compressed else value
payload = payload.split('.')[0]
try:
    data = base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4))
    print((zlib.decompress(data) if compressed else data).decode())
except Exception:
    print('(does not decode)')
";
    let printed = python(DECODE, &[value]);
    (printed != "(does not decode)").then_some(printed)
}

/// Panics unless `response` is a `303 See Other` to `location`; `side` names the program.
pub fn assert_redirect(response: &Response, location: &str, side: &str) {
    assert!(
        response.status == 303 && response.header_values("Location") == [location],
        "{side}: expected 303 to {location}, got {response:?}"
    );
}

/// Panics unless `response` is a 200 page that contains every one of `texts`.
pub fn assert_page(response: &Response, texts: &[&str], side: &str) {
    assert_eq!(response.status, 200, "{side}: {response:?}");
    for text in texts {
        assert!(
            response.body.contains(text),
            "{side}: expected {text:?} in the page:\n{}",
            response.body
        );
    }
}

/// Starts `program` with `settings`, or panics with what it printed.
pub fn start(program: &dyn Program, settings: &Settings) -> App {
    program
        .start(settings)
        .unwrap_or_else(|printed| panic!("{} did not start: {printed}", program.describe()))
}
