//! Test-only helpers shared by the lessons. Not teaching material: a lesson's own tests say what
//! they check; this crate only starts a lesson's binary as a real process and speaks plain HTTP/1.0
//! to it over 127.0.0.1, with no dependencies, so that every lesson can prove it serves from the
//! workspace root the way `cargo run -p lesson-0N` starts it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a lesson may take to start listening before the test gives up.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The workspace root: the parent of the lesson's package directory (`CARGO_MANIFEST_DIR`).
pub fn workspace_root(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir)
        .parent()
        .expect("a lesson's package directory has a parent")
        .to_path_buf()
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("bind an ephemeral port on 127.0.0.1")
        .port()
}

/// A lesson's binary running as a child process. Dropping it kills the process, also when the
/// test that started it fails.
pub struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    /// Starts `binary` in `current_dir` on 127.0.0.1:`port`, with Rocket's log turned off and the
    /// extra environment `env`, and waits until the port accepts connections.
    pub fn start(binary: &str, current_dir: &Path, port: u16, env: &[(&str, &str)]) -> Server {
        let child = Command::new(binary)
            .current_dir(current_dir)
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_LOG_LEVEL", "off")
            .env("ROCKET_CLI_COLORS", "false")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {binary}: {e}"));
        let mut server = Server {
            child,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        };
        server.wait_until_listening();
        server
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Some(status) = self.child.try_wait().expect("poll the server process") {
                let mut stderr = String::new();
                if let Some(mut pipe) = self.child.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                panic!(
                    "the server exited with {status} before listening on {}:\n{stderr}",
                    self.addr
                );
            }
            assert!(
                Instant::now() < deadline,
                "the server did not listen on {} within {START_TIMEOUT:?}",
                self.addr
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `GET path` with the extra header lines `headers` (such as `"Cookie: user=admin"`)
    /// exactly as written, and returns the whole response.
    pub fn get(&self, path: &str, headers: &[&str]) -> Response {
        let mut stream = TcpStream::connect(self.addr).expect("connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("set a read timeout");
        // HTTP/1.0: the server answers with a Content-Length and closes, so reading to the end
        // is the whole response (no chunked encoding to undo).
        let mut request = format!("GET {path} HTTP/1.0\r\nHost: {}\r\n", self.addr);
        for header in headers {
            request.push_str(header);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        stream
            .write_all(request.as_bytes())
            .expect("send the request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        Response::parse(&String::from_utf8_lossy(&raw))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response as it came over the wire.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header lines in order, names as sent.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    fn parse(raw: &str) -> Response {
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no end of headers in the response: {raw:?}"));
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_owned(),
        }
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
