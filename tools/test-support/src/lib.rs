//! Test-only helpers shared by the lessons, `specs` and `e2e`. Not teaching material: the specs and
//! a lesson's own tests say what they check; this crate only builds and starts a lesson's binary as
//! a real process and speaks plain HTTP/1.0 to it over 127.0.0.1, with no dependencies, so that a
//! lesson is checked as `cargo run -p lesson-0N` starts it, from the workspace root. Its client,
//! [`try_request`], is the tests' only one: `e2e` speaks HTTP/1.1 to chromedriver with it.

pub mod redis;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long an answer may take: chromedriver's first command starts Chromium, which can take
/// most of a minute on a busy machine with two cores.
const READ_TIMEOUT: Duration = Duration::from_secs(90);

/// How long a lesson may take to start listening before the test gives up.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The workspace root: the nearest directory above a package's (`CARGO_MANIFEST_DIR`) that holds
/// `Cargo.lock`, whether the package is a lesson at the root or a tool under `tools/`.
pub fn workspace_root(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir)
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("every package is inside the workspace, whose root holds Cargo.lock")
        .to_path_buf()
}

/// A port on 127.0.0.1 that was free a moment ago, and never handed out before in this process:
/// until the server it is for binds it, the system could give the same port to another thread.
pub fn free_port() -> u16 {
    static HANDED_OUT: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut handed_out = HANDED_OUT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    loop {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("bind an ephemeral port on 127.0.0.1")
            .port();
        if !handed_out.contains(&port) {
            handed_out.push(port);
            return port;
        }
    }
}

/// A lesson's binary running as a child process. Dropping it kills the process, also when the
/// test that started it fails.
pub struct Server {
    child: Child,
    addr: SocketAddr,
    /// Everything the process printed so far, standard output and standard error as they came.
    printed: Printed,
    /// The threads that read the two pipes (one each, so that a chatty server never blocks on a
    /// full pipe); they end when the process does.
    readers: Vec<JoinHandle<()>>,
}

/// What a running server has printed so far, kept while it runs: a handler's panic message, for
/// instance, to show next to the 500 it caused.
#[derive(Clone, Debug, Default)]
pub struct Printed(Arc<Mutex<String>>);

impl Printed {
    /// The text printed so far.
    pub fn text(&self) -> String {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn push(&self, text: &str) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push_str(text);
    }
}

impl Server {
    /// Starts `binary` in `current_dir` on 127.0.0.1:`port`, with Rocket's log turned off and the
    /// extra environment `env`, and waits until the port accepts connections.
    pub fn start(binary: &str, current_dir: &Path, port: u16, env: &[(&str, &str)]) -> Server {
        Server::try_start(binary, current_dir, port, env).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Like [`Server::start`], but says why the server did not start (with what it printed)
    /// instead of panicking.
    pub fn try_start(
        binary: &str,
        current_dir: &Path,
        port: u16,
        env: &[(&str, &str)],
    ) -> Result<Server, String> {
        let mut command = Command::new(binary);
        command
            .current_dir(current_dir)
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_LOG_LEVEL", "off")
            .env("ROCKET_CLI_COLORS", "false")
            .envs(env.iter().copied());
        Server::try_spawn(command, port)
    }

    /// Starts any HTTP server program: `command` as the caller prepared it (arguments,
    /// environment, directory), with no input and its output collected, and waits until
    /// 127.0.0.1:`port` answers HTTP. For servers that are not a lesson's binary, such as the
    /// Flask twins.
    pub fn try_spawn(mut command: Command, port: u16) -> Result<Server, String> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("start {:?}: {e}", command.get_program()))?;
        let printed = Printed::default();
        let stdout = child.stdout.take().map(|pipe| drain(pipe, printed.clone()));
        let stderr = child.stderr.take().map(|pipe| drain(pipe, printed.clone()));
        let mut server = Server {
            child,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            printed,
            readers: stdout.into_iter().chain(stderr).collect(),
        };
        server.wait_until_listening()?;
        Ok(server)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the server has printed so far, and goes on printing while it runs.
    pub fn printed(&self) -> Printed {
        self.printed.clone()
    }

    /// Waits until the port answers HTTP. A bare connect is not enough: for a moment, another
    /// thread's [`free_port`] may listen on the same port.
    fn wait_until_listening(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if answers_http(self.addr) {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait().expect("poll the server process") {
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
                return Err(format!(
                    "the server exited with {status} before listening on {}:\n{}",
                    self.addr,
                    self.printed.text()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the server did not listen on {} within {START_TIMEOUT:?}",
                    self.addr
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `GET path` to the server: see [`get`].
    pub fn get(&self, path: &str, headers: &[&str]) -> Response {
        get(self.addr, path, headers)
    }

    /// Sends `POST path` with a form to the server: see [`post_form`].
    pub fn post_form(&self, path: &str, body: &str, headers: &[&str]) -> Response {
        post_form(self.addr, path, body, headers)
    }
}

/// Whether `addr` answers `GET /` with the start of an HTTP response.
fn answers_http(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let mut start = [0; 5];
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .is_ok()
        && stream.write_all(b"GET / HTTP/1.0\r\n\r\n").is_ok()
        && stream.read_exact(&mut start).is_ok()
        && &start == b"HTTP/"
}

/// Sends `GET path` to `addr` with the extra header lines `headers` (such as
/// `"Cookie: user=admin"`) exactly as written, and returns the whole response.
pub fn get(addr: SocketAddr, path: &str, headers: &[&str]) -> Response {
    try_get(addr, path, headers).unwrap_or_else(|e| panic!("{e}"))
}

/// Sends `POST path` to `addr` with the url-encoded form `body` (such as `"nm=Tim"`) and the
/// extra header lines `headers`, and returns the whole response.
pub fn post_form(addr: SocketAddr, path: &str, body: &str, headers: &[&str]) -> Response {
    try_post_form(addr, path, body, headers).unwrap_or_else(|e| panic!("{e}"))
}

/// Like [`get`], but says what went wrong (no connection, the connection dropped, no HTTP) instead
/// of panicking.
pub fn try_get(addr: SocketAddr, path: &str, headers: &[&str]) -> Result<Response, String> {
    try_request(addr, Http::OnePointZero, "GET", path, headers, "")
}

/// Like [`post_form`], but says what went wrong instead of panicking.
pub fn try_post_form(
    addr: SocketAddr,
    path: &str,
    body: &str,
    headers: &[&str],
) -> Result<Response, String> {
    let content_type = ["Content-Type: application/x-www-form-urlencoded"];
    let all: Vec<&str> = content_type.iter().chain(headers).copied().collect();
    try_request(addr, Http::OnePointZero, "POST", path, &all, body)
}

/// The request as a reader wants to see it in a failure: the method and path, the header lines
/// a check chose (such as `Cookie:`), and the form it sent.
fn shown_request(method: &str, path: &str, headers: &[&str], body: &str) -> String {
    let mut lines = vec![format!("{method} {path}")];
    lines.extend(
        headers
            .iter()
            .filter(|line| !line.starts_with("Content-Type:"))
            .map(|line| (*line).to_owned()),
    );
    if !body.is_empty() {
        lines.push(format!("(form) {body}"));
    }
    lines.join("\n")
}

/// The HTTP version of a request's first line.
#[derive(Clone, Copy)]
pub enum Http {
    /// What the specs send a lesson: no keep-alive, no chunked answer, the answer ends with the
    /// connection.
    OnePointZero,
    /// What chromedriver needs: it refuses HTTP/1.0 ("Cannot handle request with protocol").
    OnePointOne,
}

/// Sends one request (`Content-Length` added when there is a `body`) and reads its answer: as
/// far as its `Content-Length` says, or else to the end of the connection. The specs speak to the
/// lessons with it, and `e2e` to chromedriver, which keeps a connection open after its answer.
pub fn try_request(
    addr: SocketAddr,
    http: Http,
    method: &str,
    path: &str,
    headers: &[&str],
    body: &str,
) -> Result<Response, String> {
    let shown = shown_request(method, path, headers, body);
    let failed = |what: &str, e: &dyn std::fmt::Display| format!("{shown}\n{what}: {e}");
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| failed("could not connect", &e))?;
    stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .map_err(|e| failed("could not set a read timeout", &e))?;
    let version = match http {
        Http::OnePointZero => "HTTP/1.0",
        Http::OnePointOne => "HTTP/1.1",
    };
    let mut request = format!("{method} {path} {version}\r\nHost: {addr}\r\n");
    for header in headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    if !body.is_empty() || method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .map_err(|e| failed("could not send the request", &e))?;
    let mut raw = Vec::new();
    let mut chunk = [0; 8192];
    let mut expected = None;
    loop {
        if expected.is_none() {
            expected = whole_length(&raw);
        }
        if expected.is_some_and(|length| raw.len() >= length) {
            break;
        }
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(failed("the connection broke while reading the answer", &e)),
        }
    }
    let mut response = Response::parse(&String::from_utf8_lossy(&raw))
        .map_err(|e| failed("no HTTP answer", &e))?;
    response.request = shown;
    Ok(response)
}

/// The length of the whole answer (head and body), once its head is in and says `Content-Length`.
fn whole_length(raw: &[u8]) -> Option<usize> {
    let head_end = raw.windows(4).position(|window| window == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            value.trim().parse::<usize>().ok()
        } else {
            None
        }
    })?;
    Some(head_end + length)
}

/// Reads `pipe` to its end on a thread of its own, adding what comes to `printed` as it comes.
fn drain(mut pipe: impl Read + Send + 'static, printed: Printed) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut chunk = [0; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut chunk) {
            printed.push(&String::from_utf8_lossy(&chunk[..n]));
        }
    })
}

/// How a lesson's binary ended when it was expected not to start.
pub struct Exit {
    /// Whether it exited with a failure status.
    pub failed: bool,
    /// Everything it printed, standard output then standard error.
    pub printed: String,
}

/// Starts `binary` in `current_dir` on a free port with the extra environment `env`, waits (up to
/// a minute) for it to exit, and returns how. For launches that should be refused.
pub fn launch_until_exit(binary: &str, current_dir: &Path, env: &[(&str, &str)]) -> Exit {
    let mut child = Command::new(binary)
        .current_dir(current_dir)
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_PORT", free_port().to_string())
        .env("ROCKET_CLI_COLORS", "false")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {binary}: {e}"));
    let deadline = Instant::now() + START_TIMEOUT;
    while child.try_wait().expect("poll the process").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{binary} with {env:?}: still running after {START_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("collect the output");
    Exit {
        failed: !output.status.success(),
        printed: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response as it came over the wire.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    /// Header lines in order, names as sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The request it answers, as a failure shows it: `GET /user`, the chosen header lines (such
    /// as `Cookie: …`), the form.
    pub request: String,
    /// What the server printed up to this answer, where the caller has it and wants it shown (the
    /// specs fill it in on a 5xx: a handler's panic message); empty otherwise.
    pub printed: String,
}

impl Response {
    fn parse(raw: &str) -> Result<Response, String> {
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .ok_or_else(|| format!("no end of headers in the response: {raw:?}"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("bad status line {status_line:?}"))?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
            .collect();
        Ok(Response {
            status,
            headers,
            body: body.to_owned(),
            ..Response::default()
        })
    }

    /// Every value of the header `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A package's binary (such as `lesson-01`), built with `cargo build` in the same profile and
/// target directory as the running test. A test in another package cannot name a lesson's binary
/// (`CARGO_BIN_EXE_*` exists only inside the lesson's own package), so the binary is built here,
/// once per test run: a no-op when `cargo test --workspace` has built it already, and never a stale
/// binary after a lesson changed.
pub fn built_binary(package: &str) -> PathBuf {
    static BUILT: Mutex<Vec<String>> = Mutex::new(Vec::new());
    // Tests run in `<target>/<profile dir>/deps/`; the binaries land in `<profile dir>`.
    let test_binary = std::env::current_exe().expect("the test's own path");
    let profile_dir = test_binary
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from <target>/<profile>/deps")
        .to_path_buf();
    let mut built = BUILT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !built.iter().any(|name| name == package) {
        let profile = match profile_dir.file_name().and_then(|name| name.to_str()) {
            Some("debug") | None => "dev",
            Some(other) => other,
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(&cargo)
            .args(["build", "--quiet", "--profile", profile, "-p", package])
            .current_dir(workspace_root(env!("CARGO_MANIFEST_DIR")))
            .output()
            .unwrap_or_else(|e| panic!("run {cargo:?} build -p {package}: {e}"));
        assert!(
            output.status.success(),
            "cargo build -p {package} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        built.push(package.to_owned());
    }
    profile_dir.join(format!("{package}{}", std::env::consts::EXE_SUFFIX))
}
