//! Tests against a real Redis: each starts its own `redis-server` (Debian package `redis-server`)
//! on a free port in a temporary directory, and stops it when it ends. They are `#[ignore]`d so
//! that `cargo test` needs nothing but Rust; run them with
//! `cargo test -p lesson-06 -- --ignored` (CI does, through `.ci/run`).

use super::{app_with_key, log_in, session_cookie, with_setting, TEST_KEY};
use rocket::http::Status;
use rocket::local::blocking::Client;
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long `redis-server` may take to answer PING, and the app to recover once it does.
const DEADLINE: Duration = Duration::from_secs(20);

/// A `redis-server` process of this test's own. Dropping it stops the process and removes its
/// directory, also when the test fails.
struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts `redis-server` on a free port and waits until it answers PING.
    fn start() -> RedisServer {
        let port = test_support::free_port();
        let dir =
            std::env::temp_dir().join(format!("lesson-06-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the temporary directory for redis-server");
        let mut server = RedisServer {
            child: None,
            port,
            dir,
        };
        server.restart();
        server
    }

    /// The URL for `session_store`.
    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the process (again, on the same port) and waits until it answers PING. Nothing is
    /// saved to disk, so a restarted server starts empty.
    fn restart(&mut self) {
        let spawned = Command::new("redis-server")
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
                 package `redis-server` (`sudo apt-get install redis-server`), see \
                 lesson-06-server-side/README.md."
            ),
            Err(e) => panic!("start redis-server: {e}"),
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
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends one command in Redis's inline form and returns the first line of the reply, or
    /// `None` if nothing answers.
    fn command(&self, command: &str) -> Option<String> {
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

/// An app instance whose sessions live in `redis`. Two of them are two servers sharing one store.
fn app_on(redis: &RedisServer, lifetime: u64) -> Client {
    let app = with_setting(app_with_key(TEST_KEY), "session_store", redis.url());
    let app = with_setting(app, "session_lifetime", lifetime);
    Client::untracked(app).expect("the app launches with Redis running")
}

/// GET `path` on `app` with the session cookie `value`: the status, the `Location`, and the
/// number of `Set-Cookie` headers.
fn visit(app: &Client, path: &str, value: &str) -> (Status, Option<String>, usize) {
    let response = app.get(path).cookie(session_cookie(value)).dispatch();
    let location = response.headers().get_one("Location").map(str::to_owned);
    let set_cookies = response.headers().get("Set-Cookie").count();
    (response.status(), location, set_cookies)
}

fn logged_in(app: &Client, value: &str) -> bool {
    match visit(app, "/user", value) {
        (Status::Ok, None, _) => true,
        (Status::SeeOther, Some(to), _) if to == "/login" => false,
        other => panic!("/user answered {other:?}"),
    }
}

// ANCHOR: test_two_servers
#[test]
#[ignore = "needs redis-server: see README"]
fn two_app_instances_sharing_redis_share_sessions_and_log_out_everywhere() {
    let redis = RedisServer::start();
    let one = app_on(&redis, 300);
    let two = app_on(&redis, 300);

    // Logged in on server one, known to server two.
    let laptop = log_in(&one, "Tim");
    assert!(logged_in(&two, &laptop));
    let page = two
        .get("/user")
        .cookie(session_cookie(&laptop))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("Hello, Tim"), "{page}");

    // A second session on server two; "log out everywhere" on server one ends both.
    let phone = log_in(&two, "Tim");
    let anns = log_in(&two, "Ann");
    let response = one
        .post("/logout/everywhere")
        .cookie(session_cookie(&laptop))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    for app in [&one, &two] {
        assert!(!logged_in(app, &laptop));
        assert!(!logged_in(app, &phone));
        assert!(logged_in(app, &anns));
    }
}
// ANCHOR_END: test_two_servers

#[test]
#[ignore = "needs redis-server: see README"]
fn logout_on_one_instance_refuses_a_copy_on_the_other() {
    let redis = RedisServer::start();
    let one = app_on(&redis, 300);
    let two = app_on(&redis, 300);
    let value = log_in(&one, "Tim");
    assert!(logged_in(&two, &value));
    two.get("/logout").cookie(session_cookie(&value)).dispatch();
    assert!(!logged_in(&one, &value));
}

#[test]
#[ignore = "needs redis-server: see README"]
fn redis_expires_the_session_by_its_own_ttl() {
    let redis = RedisServer::start();
    let app = app_on(&redis, 2);
    let value = log_in(&app, "Tim");
    let id = super::session_id(&app, &value);
    let ttl: i64 = redis
        .command(&format!("PTTL lesson-06:session:{id}"))
        .and_then(|reply| reply.strip_prefix(':').and_then(|ms| ms.parse().ok()))
        .expect("PTTL answers with a number");
    assert!(0 < ttl && ttl <= 2000, "the key's TTL is {ttl} ms");
    // The point of this test is time passing: the lifetime (2 s) and a margin.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        redis
            .command(&format!("EXISTS lesson-06:session:{id}"))
            .as_deref(),
        Some(":0")
    );
    assert!(!logged_in(&app, &value));
}

// ANCHOR: test_redis_lost
#[test]
#[ignore = "needs redis-server: see README"]
fn losing_redis_gives_503_pages_and_the_app_recovers_when_it_returns() {
    let mut redis = RedisServer::start();
    let app = app_on(&redis, 300);
    let value = log_in(&app, "Tim");
    assert!(logged_in(&app, &value));

    redis.stop();
    // Every page that needs the store says so with a 503, and changes no cookie.
    for path in ["/", "/login", "/user", "/logout"] {
        let (status, _, set_cookies) = visit(&app, path, &value);
        assert_eq!(status, Status::ServiceUnavailable, "{path}");
        assert_eq!(set_cookies, 0, "{path}");
    }
    let response = app
        .post("/login")
        .header(rocket::http::ContentType::Form)
        .body("nm=Ann")
        .cookie(session_cookie(&value))
        .dispatch();
    assert_eq!(response.status(), Status::ServiceUnavailable);
    assert_eq!(response.headers().get("Set-Cookie").count(), 0);
    let page = response.into_string().unwrap();
    assert!(
        page.contains("The session store is not answering"),
        "{page}"
    );

    // Redis comes back (empty: this one keeps nothing on disk). The app reconnects by itself.
    redis.restart();
    let deadline = Instant::now() + DEADLINE;
    while visit(&app, "/user", &value).0 == Status::ServiceUnavailable {
        assert!(
            Instant::now() < deadline,
            "still 503 {DEADLINE:?} after Redis returned"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        !logged_in(&app, &value),
        "the restarted Redis holds no sessions"
    );
    let again = log_in(&app, "Tim");
    assert!(logged_in(&app, &again));
}
// ANCHOR_END: test_redis_lost
