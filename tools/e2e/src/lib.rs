//! End-to-end tests of the lessons: each lesson's real binary, started as a process on a free port,
//! driven by a real headless Chromium through chromedriver. Only a browser shows what a student
//! sees: which cookies it keeps and sends, which ones a page script can read, and what is left after
//! the browser restarts. The tests are in `tests/`, one file per lesson and `csrf.rs` for forged
//! cross-site requests; this library only starts things and stops them again.
//!
//! Run them with `cargo test -p e2e -- --ignored` after `apt-get install chromium chromium-driver`.

mod browser;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use browser::{Browser, BrowserCookie, Element, OnStartup, Profile};
use test_support::{built_binary, free_port, workspace_root, Server};

/// Fails the test, showing the whole `text`, unless it contains `expected`.
#[track_caller]
pub fn assert_shows(text: &str, expected: &str) {
    assert!(text.contains(expected), "{expected:?} is not in:\n{text}");
}

/// Now, in seconds since 1970, as a cookie's expiry is given.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// Follows the page's "Log in" link and logs in as `name` through the form, as a user does; the
/// user page must then greet them.
pub fn log_in_by_the_link(browser: &Browser<'_>, name: &str) {
    browser.find(r#"a[href="/login"]"#).click();
    browser.wait_for_path("/login");
    browser.find("#nm").type_text(name);
    browser.find(r#"form[action="/login"] button"#).click();
    browser.wait_for_path("/user");
    assert_eq!(browser.find("h1").text(), format!("Hello, {name}"));
}

/// A lesson's binary running on 127.0.0.1. Dropping it stops the process.
pub struct Lesson {
    package: String,
    server: Server,
}

impl Lesson {
    /// Builds the lesson (`package`, such as `lesson-01`) if needed and starts it from the
    /// workspace root, as `cargo run -p lesson-0N` does, on a free port with the extra
    /// environment `env`.
    pub fn start(package: &str, env: &[(&str, &str)]) -> Lesson {
        Lesson::start_on(package, free_port(), env)
    }

    fn start_on(package: &str, port: u16, env: &[(&str, &str)]) -> Lesson {
        let binary = built_binary(package);
        let binary = binary
            .to_str()
            .expect("the target directory's path is UTF-8");
        let server = Server::start(
            binary,
            &workspace_root(env!("CARGO_MANIFEST_DIR")),
            port,
            env,
        );
        Lesson {
            package: package.to_owned(),
            server,
        }
    }

    /// Stops the server and starts it again on the same port with the environment `env`.
    pub fn restart(self, env: &[(&str, &str)]) -> Lesson {
        let Lesson { package, server } = self;
        let port = server.port();
        drop(server);
        Lesson::start_on(&package, port, env)
    }

    /// The address of `path` on this server, such as `http://127.0.0.1:40123/login`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.server.port())
    }

    /// Opens the login form, types `name` and presses the form's button, as a user does.
    pub fn log_in(&self, browser: &Browser<'_>, name: &str) {
        browser.goto(&self.url("/login"));
        browser.find("#nm").type_text(name);
        browser.find(r#"form[action="/login"] button"#).click();
    }
}

/// Two secret keys for `ROCKET_SECRET_KEY`, made for these tests only (`openssl rand -base64 32`).
/// Never use a key that is in a repository for anything real.
pub const TEST_ONLY_SECRET_KEYS: [&str; 2] = [
    "grxsWzd9t7IlfXCFqu+TR0qxWnhn17XLTR2iUZc7XJY=",
    "ES9p3MZH0TZzB/NLPvaaR705a/n/zT4NzS44hZhEE7g=",
];

/// Another site: a page served from `http://localhost:<port>/`. To the browser, `localhost` and
/// `127.0.0.1` (where the lessons run) are different sites, so a link from this page to a lesson
/// is a cross-site navigation, the kind `SameSite` is about. Stops serving when dropped.
pub struct OtherSite {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl OtherSite {
    /// Serves `html` as the answer to every request.
    pub fn serve(html: &str) -> OtherSite {
        let listener =
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a port for the other site");
        let port = listener
            .local_addr()
            .expect("the other site's address")
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{html}",
            html.len()
        );
        let thread = std::thread::spawn({
            let stop = Arc::clone(&stop);
            move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut stream) = stream else { continue };
                    // Read the request's head, then answer; the request itself does not matter.
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut head = Vec::new();
                    let mut byte = [0; 1];
                    while !head.ends_with(b"\r\n\r\n")
                        && stream.read(&mut byte).is_ok_and(|n| n == 1)
                    {
                        head.push(byte[0]);
                    }
                    let _ = stream.write_all(answer.as_bytes());
                }
            }
        });
        OtherSite {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// The page's address, on `localhost`.
    pub fn url(&self) -> String {
        format!("http://localhost:{}/", self.port)
    }
}

impl Drop for OtherSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the thread up from `accept`, so that it sees the flag and ends.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
