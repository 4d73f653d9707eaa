//! A headless Chromium driven through chromedriver, over WebDriver's JSON-over-HTTP protocol
//! (W3C WebDriver, <https://www.w3.org/TR/webdriver2/>), with the tests' one HTTP client
//! (`test_support::try_request`) and `serde_json`. Blocking on purpose: a test is a sequence of
//! steps, and a client this small keeps an async runtime, a second HTTP stack and a TLS library
//! (fantoccini and thirtyfour bring hyper and rustls) out of the course's build.

use std::cell::RefCell;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use test_support::{free_port, try_request, Http};

/// How long a page has to show what a test waits for (an element, a URL).
const WAIT: Duration = Duration::from_secs(15);
/// How long chromedriver has to start, and Chromium to start or to close.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);
/// How often a condition is checked again while a test waits for it.
const POLL: Duration = Duration::from_millis(50);

/// The flags every Chromium here runs with: headless, no sandbox (tests run as root in CI), and
/// nothing that reaches the network on its own or makes a first-run page.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
];

/// The name WebDriver gives the element reference in its JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser profile (`--user-data-dir`): a fresh, empty directory, deleted when dropped.
/// Starting two browsers one after the other on the same profile is a browser restart.
pub struct Profile {
    dir: PathBuf,
}

impl Profile {
    pub fn new() -> Profile {
        static CREATED: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "e2e-chromium-profile-{}-{}",
            std::process::id(),
            CREATED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("create the profile directory {}: {e}", dir.display()));
        Profile { dir }
    }

    /// Chromium holds this link while it runs on the profile and removes it when it has closed,
    /// after writing the profile (cookies included) to disk.
    fn in_use(&self) -> bool {
        self.dir.join("SingletonLock").symlink_metadata().is_ok()
    }
}

impl Default for Profile {
    fn default() -> Profile {
        Profile::new()
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What Chromium does with the previous visit when it starts: the setting "On startup" in
/// chrome://settings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OnStartup {
    /// Chromium's default, "Open the New Tab page" (the setting is left alone): browser-session
    /// cookies are gone.
    NewTabPage,
    /// "Continue where you left off": Chromium restores the last visit, browser-session cookies
    /// included.
    ContinueWhereYouLeftOff,
}

/// One Chromium, run by its own chromedriver. Dropping it closes the browser and stops both
/// processes, also when the test that started it fails.
pub struct Browser<'p> {
    driver: Child,
    driver_addr: SocketAddr,
    session: Option<String>,
    profile: &'p Profile,
}

impl<'p> Browser<'p> {
    /// Starts a headless Chromium on `profile` with Chromium's default startup setting.
    pub fn start(profile: &'p Profile) -> Browser<'p> {
        Browser::start_with(profile, OnStartup::NewTabPage)
    }

    /// Starts a headless Chromium on `profile`, told what to do on startup.
    pub fn start_with(profile: &'p Profile, on_startup: OnStartup) -> Browser<'p> {
        let chromium = find_program("chromium");
        let chromedriver = find_program("chromedriver");
        assert!(
            !profile.in_use(),
            "another Chromium still runs on the profile {}",
            profile.dir.display()
        );
        let port = free_port();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Its own process group, so that whatever is left of it and of its Chromium can be
        // stopped together when the browser is dropped.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", chromedriver.display()));
        let mut browser = Browser {
            driver,
            driver_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            session: None,
            profile,
        };
        browser.wait_until_driver_is_ready();

        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|flag| flag.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.dir.display()));
        let mut options = json!({ "binary": chromium, "args": args });
        // chrome://settings "On startup". Left alone, Chromium opens the New Tab page; the value 1
        // is "Continue where you left off", written into the profile before Chromium starts.
        if on_startup == OnStartup::ContinueWhereYouLeftOff {
            options["prefs"] = json!({ "session": { "restore_on_startup": 1 } });
        }
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": options },
            },
        });
        let session = browser
            .request("POST", "/session", Some(&capabilities))
            .unwrap_or_else(|e| {
                panic!(
                    "start Chromium ({}) through chromedriver: {e}",
                    chromium.display()
                )
            });
        let id = session["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in chromedriver's answer: {session}"));
        browser.session = Some(id.to_owned());
        browser
    }

    fn wait_until_driver_is_ready(&mut self) {
        let deadline = Instant::now() + BROWSER_TIMEOUT;
        loop {
            if let Ok(status) = self.request("GET", "/status", None) {
                if status["ready"] == json!(true) {
                    return;
                }
            }
            if let Some(status) = self.driver.try_wait().expect("poll chromedriver") {
                panic!("chromedriver exited with {status} before it was ready");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver was not ready on {} within {BROWSER_TIMEOUT:?}",
                self.driver_addr
            );
            std::thread::sleep(POLL);
        }
    }

    /// Closes the browser the way a user does, and waits until Chromium has written its profile
    /// and let go of it, so that the next browser on the profile sees what this one kept.
    pub fn quit(mut self) {
        let path = self.session_path("");
        self.session = None;
        if let Err(e) = self.request("DELETE", &path, None) {
            panic!("close Chromium: {e}");
        }
        let deadline = Instant::now() + BROWSER_TIMEOUT;
        while self.profile.in_use() {
            assert!(
                Instant::now() < deadline,
                "Chromium did not let go of its profile within {BROWSER_TIMEOUT:?} after closing"
            );
            std::thread::sleep(POLL);
        }
    }

    /// Opens `url` and waits until it has loaded.
    pub fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(&json!({ "url": url })));
    }

    /// The address in the address bar.
    pub fn url(&self) -> String {
        string(self.command("GET", "/url", None))
    }

    /// The path of the address in the address bar, such as `/user`.
    pub fn path(&self) -> String {
        let url = self.url();
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(start) => after_scheme[start..].to_owned(),
            None => "/".to_owned(),
        }
    }

    /// Waits until the address bar shows `path` (after a click, a form post, a redirect).
    pub fn wait_for_path(&self, path: &str) {
        self.wait_until(&format!("the address to become {path}"), || {
            (self.path() == path).then_some(())
        });
    }

    /// The first element matching the CSS `selector`, once the page has one.
    pub fn find(&self, selector: &str) -> Element<'_, 'p> {
        self.wait_until(&format!("an element matching `{selector}`"), || {
            self.try_find(selector)
        })
    }

    /// The first element matching the CSS `selector` on the page as it is now.
    pub fn try_find(&self, selector: &str) -> Option<Element<'_, 'p>> {
        let query = json!({ "using": "css selector", "value": selector });
        match self.request("POST", &self.session_path("/element"), Some(&query)) {
            Ok(found) => Some(Element {
                browser: self,
                selector: selector.to_owned(),
                id: RefCell::new(string(found[ELEMENT_KEY].clone())),
            }),
            Err(WebDriverError { error, .. }) if error == "no such element" => None,
            Err(e) => panic!("find `{selector}`: {e}"),
        }
    }

    /// The text of the page as a reader sees it (the rendered text of `<body>`).
    pub fn text(&self) -> String {
        self.find("body").text()
    }

    /// Waits until the page's text contains `expected`.
    pub fn wait_for_text(&self, expected: &str) {
        self.wait_until(&format!("the page to say {expected:?}"), || {
            self.text().contains(expected).then_some(())
        });
    }

    /// Every cookie the browser would send to the current page, HttpOnly ones included.
    pub fn cookies(&self) -> Vec<BrowserCookie> {
        match self.command("GET", "/cookie", None) {
            Value::Array(cookies) => cookies.iter().map(BrowserCookie::from_json).collect(),
            other => panic!("cookies are not a list: {other}"),
        }
    }

    /// The cookie `name` the browser would send to the current page, if it keeps one.
    pub fn cookie(&self, name: &str) -> Option<BrowserCookie> {
        self.cookies()
            .into_iter()
            .find(|cookie| cookie.name == name)
    }

    /// Stores a cookie for the current page's host with `Path=/`, the way a user's edit in
    /// devtools does. With `expiry` (seconds since 1970) it is a persistent cookie, without it a
    /// browser-session cookie.
    pub fn add_cookie(&self, name: &str, value: &str, expiry: Option<u64>) {
        let mut cookie = json!({ "name": name, "value": value, "path": "/" });
        if let Some(expiry) = expiry {
            cookie["expiry"] = json!(expiry);
        }
        self.command("POST", "/cookie", Some(&json!({ "cookie": cookie })));
    }

    /// Deletes the cookie `name` of the current page.
    pub fn delete_cookie(&self, name: &str) {
        self.command("DELETE", &format!("/cookie/{name}"), None);
    }

    /// Runs `script` in the page (as the page's own scripts run) and returns its result.
    pub fn run_script(&self, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.command("POST", "/execute/sync", Some(&body))
    }

    /// Checks `condition` until it gives a value or `WAIT` has passed.
    fn wait_until<T>(&self, what: &str, mut condition: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(value) = condition() {
                return value;
            }
            if Instant::now() >= deadline {
                let text = self
                    .try_find("body")
                    .map(|body| body.text())
                    .unwrap_or_default();
                panic!(
                    "waited {WAIT:?} for {what}; the browser is at {} showing:\n{text}",
                    self.url()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    fn session_path(&self, path: &str) -> String {
        let id = self.session.as_deref().expect("the browser is running");
        format!("/session/{id}{path}")
    }

    /// A command of the current session; any error fails the test.
    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let full = self.session_path(path);
        self.request(method, &full, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// One WebDriver request: `body` as JSON in, the answer's `value` out.
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, WebDriverError> {
        // A POST without parameters (a click) still sends an empty JSON object.
        let body = match (body, method) {
            (Some(body), _) => body.to_string(),
            (None, "POST") => "{}".to_owned(),
            (None, _) => String::new(),
        };
        let headers = ["Content-Type: application/json; charset=utf-8"];
        let response = try_request(
            self.driver_addr,
            Http::OnePointOne,
            method,
            path,
            &headers,
            &body,
        )
        .map_err(|message| WebDriverError {
            error: "chromedriver unreachable".to_owned(),
            message,
        })?;
        let answer: Value = serde_json::from_str(&response.body).map_err(|e| WebDriverError {
            error: "bad answer".to_owned(),
            message: format!("{e}: {}", response.body),
        })?;
        let value = answer["value"].clone();
        if response.status == 200 {
            Ok(value)
        } else {
            Err(WebDriverError {
                error: value["error"]
                    .as_str()
                    .unwrap_or("unknown error")
                    .to_owned(),
                message: value["message"].as_str().unwrap_or_default().to_owned(),
            })
        }
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        // A test that failed half-way still closes its browser properly first...
        if let Some(id) = self.session.take() {
            let _ = self.request("DELETE", &format!("/session/{id}"), None);
            let deadline = Instant::now() + Duration::from_secs(10);
            while self.profile.in_use() && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
        }
        // ...then stops chromedriver and anything still left in its process group.
        #[cfg(unix)]
        let _ = Command::new("sh")
            .args([
                "-c",
                &format!("kill -KILL -- -{} 2>/dev/null", self.driver.id()),
            ])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// An element of the page, found by [`Browser::find`].
pub struct Element<'b, 'p> {
    browser: &'b Browser<'p>,
    /// How it was found, to find it again.
    selector: String,
    id: RefCell<String>,
}

impl Element<'_, '_> {
    /// Its rendered text.
    pub fn text(&self) -> String {
        string(self.command("GET", "/text", None))
    }

    /// The current value of a form field (what the user sees in the box).
    pub fn value(&self) -> String {
        string(self.command("GET", "/property/value", None))
    }

    /// Whether a checkbox is ticked (or an option chosen).
    pub fn is_selected(&self) -> bool {
        self.command("GET", "/selected", None) == json!(true)
    }

    /// Types `keys` into it, as a user at the keyboard does.
    pub fn type_text(&self, keys: &str) {
        self.command("POST", "/value", Some(&json!({ "text": keys })));
    }

    /// Clicks it with the mouse.
    pub fn click(&self) {
        self.command("POST", "/click", None);
    }

    /// A command on this element. If a page load has replaced the element in the meantime (a
    /// click that submits a form returns before the next page is there), it is found again on
    /// the new page, as a user would look for it again.
    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let full = self
                .browser
                .session_path(&format!("/element/{}{path}", self.id.borrow()));
            match self.browser.request(method, &full, body) {
                Ok(value) => return value,
                Err(e) if e.error == "stale element reference" && Instant::now() < deadline => {
                    let again = self.browser.find(&self.selector);
                    self.id.replace(again.id.into_inner());
                }
                Err(e) => panic!("{method} {path} on `{}`: {e}", self.selector),
            }
        }
    }
}

/// A cookie as the browser keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserCookie {
    pub name: String,
    pub value: String,
    pub http_only: bool,
    /// `Strict`, `Lax` or `None`.
    pub same_site: String,
    /// When it expires, in seconds since 1970; `None` for a browser-session cookie.
    pub expiry: Option<u64>,
}

impl BrowserCookie {
    fn from_json(cookie: &Value) -> BrowserCookie {
        BrowserCookie {
            name: string(cookie["name"].clone()),
            value: string(cookie["value"].clone()),
            http_only: cookie["httpOnly"] == json!(true),
            same_site: cookie["sameSite"].as_str().unwrap_or_default().to_owned(),
            expiry: cookie["expiry"].as_u64(),
        }
    }
}

/// A WebDriver error: its code (such as `no such element`) and message.
#[derive(Debug)]
struct WebDriverError {
    error: String,
    message: String,
}

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

fn string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => panic!("expected a string from chromedriver, got {other}"),
    }
}

/// `name` on the PATH, or a failure that says which Debian packages to install.
fn find_program(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(name))
        .find(|path| is_file(path))
        .unwrap_or_else(|| {
            panic!(
                "`{name}` is not on the PATH. The end-to-end tests drive Debian's Chromium: \
                 install it with `apt-get install chromium chromium-driver` (see the README)"
            )
        })
}

fn is_file(path: &Path) -> bool {
    path.metadata().is_ok_and(|meta| meta.is_file())
}
