//! Tests against a real Redis: each starts its own `redis-server` (Debian package `redis-server`)
//! on a free port in a temporary directory, and stops it when it ends. They are `#[ignore]`d so
//! that `cargo test` needs nothing but Rust; run them with
//! `cargo test -p lesson-06 -- --ignored` (CI does, through `.ci/run`).

use super::super::store::{RedisStore, SessionId, SessionStore};
use super::super::SessionData;
use super::{app_with_key, set_cookie_headers, tim, with_setting, Browser, TEST_KEY};
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

/// A server whose sessions live in `redis`. Two of them are two servers sharing one store.
fn server_on(redis: &RedisServer, lifetime: i64) -> Client {
    let app = with_setting(app_with_key(TEST_KEY), "session_store", redis.url());
    let app = with_setting(app, "session_lifetime", lifetime);
    Client::untracked(app).expect("the app launches with Redis running")
}

// ANCHOR: test_two_servers
#[test]
#[ignore = "needs redis-server: see README"]
fn two_servers_sharing_redis_share_sessions_and_log_out_everywhere() {
    let redis = RedisServer::start();
    let (one, two) = (server_on(&redis, 300), server_on(&redis, 300));

    // Logged in on server one; the same cookie is logged in on server two (a load balancer may
    // send the next request to either).
    let laptop = Browser::new(&one);
    laptop.log_in("Tim");
    let cookie = laptop.session_cookie().unwrap();
    assert_eq!(Browser::holding(&two, &cookie).logged_in_as(), tim());

    // A second session of Tim's, and one of Ann's, on server two.
    let phone = Browser::new(&two);
    phone.log_in("Tim");
    let anns = Browser::new(&two);
    anns.log_in("Ann");

    // "Log out everywhere" on server one ends Tim's sessions on both servers, not Ann's.
    let response = laptop.post("/logout/everywhere", "");
    assert_eq!(response.status(), Status::SeeOther);
    drop(response);
    assert_eq!(phone.logged_in_as(), None);
    assert_eq!(Browser::holding(&one, &cookie).logged_in_as(), None);
    assert_eq!(Browser::holding(&two, &cookie).logged_in_as(), None);
    assert_eq!(anns.logged_in_as().as_deref(), Some("Ann"));
}
// ANCHOR_END: test_two_servers

#[test]
#[ignore = "needs redis-server: see README"]
fn logout_on_one_server_refuses_a_copy_on_the_other() {
    let redis = RedisServer::start();
    let (one, two) = (server_on(&redis, 300), server_on(&redis, 300));
    let browser = Browser::new(&one);
    browser.log_in("Tim");
    let copy = browser.session_cookie().unwrap();
    assert_eq!(Browser::holding(&two, &copy).logged_in_as(), tim());
    browser.get("/logout");
    assert_eq!(Browser::holding(&two, &copy).logged_in_as(), None);
}

#[test]
#[ignore = "needs redis-server: see README"]
fn redis_forgets_the_session_by_the_keys_own_ttl() {
    let redis = RedisServer::start();
    let server = server_on(&redis, 2);
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    let key = format!("lesson-06:session:{id}");
    let ttl: i64 = redis
        .command(&format!("PTTL {key}"))
        .and_then(|reply| reply.strip_prefix(':').and_then(|ms| ms.parse().ok()))
        .expect("PTTL answers with a number");
    assert!(0 < ttl && ttl <= 2000, "the key's TTL is {ttl} ms");
    // The point of this test is time passing: the lifetime (2 s) and a margin.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        redis.command(&format!("EXISTS {key}")).as_deref(),
        Some(":0")
    );
    assert_eq!(browser.logged_in_as(), None);
}

#[rocket::async_test]
#[ignore = "needs redis-server: see README"]
async fn a_late_refresh_cannot_bring_a_deleted_session_back_in_redis() {
    let redis = RedisServer::start();
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let id = SessionId::new();
    let session = SessionData {
        user: tim(),
        colour: None,
        permanent: true,
        expires: chrono::Utc::now(),
    };
    let lifetime = Duration::from_secs(300);
    store.put(&id, &session, lifetime).await.unwrap();
    assert!(store.get(&id).await.unwrap().is_some());
    store.delete_all_of("Tim").await.unwrap();
    store.update(&id, &session, lifetime).await.unwrap();
    assert!(store.get(&id).await.unwrap().is_none());
}

// ANCHOR: test_redis_lost
#[test]
#[ignore = "needs redis-server: see README"]
fn losing_redis_gives_503_pages_and_the_server_recovers_when_it_returns() {
    let mut redis = RedisServer::start();
    let server = server_on(&redis, 300);
    let browser = Browser::new(&server);
    browser.log_in("Tim");
    let cookie = browser.session_cookie().unwrap();

    redis.stop();
    // Every request that needs the store gets the 503 page, and no cookie changes.
    for response in [
        browser.get("/"),
        browser.get("/user"),
        browser.get("/logout"),
        browser.post("/colour", "colour=red"),
        browser.post("/login", "nm=Ann&remember=on"),
        browser.post("/logout/everywhere", ""),
        Browser::new(&server).post("/login", "nm=Ann"),
    ] {
        assert_eq!(response.status(), Status::ServiceUnavailable);
        assert!(set_cookie_headers(&response).is_empty());
        let page = response.into_string().unwrap();
        assert!(
            page.contains("The session store is not answering"),
            "{page}"
        );
    }
    assert_eq!(browser.session_cookie(), Some(cookie));

    // Redis comes back (empty: this one keeps nothing on disk), and the server reconnects by
    // itself: no restart.
    redis.restart();
    let deadline = Instant::now() + DEADLINE;
    while browser.get("/").status() == Status::ServiceUnavailable {
        assert!(
            Instant::now() < deadline,
            "still 503 {DEADLINE:?} after Redis returned"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        browser.logged_in_as(),
        None,
        "the new Redis holds no sessions"
    );
    browser.log_in("Tim");
    assert_eq!(browser.logged_in_as(), tim());
}
// ANCHOR_END: test_redis_lost
