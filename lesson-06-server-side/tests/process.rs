//! The real binary, started the way `cargo run -p lesson-06` starts it: from the workspace root.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use test_support::{free_port, workspace_root, Server};

const BINARY: &str = env!("CARGO_BIN_EXE_lesson-06");

#[test]
fn serves_its_templates_from_the_workspace_root_on_rocket_port() {
    let port = free_port();
    let server = Server::start(
        BINARY,
        &workspace_root(env!("CARGO_MANIFEST_DIR")),
        port,
        &[],
    );
    assert_eq!(server.port(), port);
    let home = server.get("/", &[]);
    assert_eq!(home.status, 200);
    assert!(home.body.contains(r#"<a href="/login">"#), "{}", home.body);
}

#[test]
fn a_literal_forged_cookie_header_is_sent_to_login() {
    let server = Server::start(
        BINARY,
        &workspace_root(env!("CARGO_MANIFEST_DIR")),
        free_port(),
        &[],
    );
    let page = server.get(
        "/user",
        &["Cookie: session=0123456789abcdef0123456789abcdef"],
    );
    assert_eq!(page.status, 303);
    assert_eq!(page.header_values("Location"), ["/login"]);
}

// ANCHOR: test_launch_refused
#[test]
fn launch_is_refused_with_a_clear_message_when_redis_is_unreachable() {
    // Nothing listens on a port that was free a moment ago.
    let redis_port = free_port();
    let mut child = Command::new(BINARY)
        .current_dir(workspace_root(env!("CARGO_MANIFEST_DIR")))
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_PORT", free_port().to_string())
        .env("ROCKET_CLI_COLORS", "false")
        .env(
            "ROCKET_SESSION_STORE",
            format!("redis://127.0.0.1:{redis_port}"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the lesson");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the lesson") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the lesson was still running 30 s after it was started without Redis");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut output = String::new();
    for mut pipe in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        pipe.read_to_string(&mut output).expect("read the output");
    }
    assert!(!status.success(), "{output}");
    let message = format!("Session store: cannot reach Redis at 127.0.0.1:{redis_port}");
    assert!(output.contains(&message), "{output}");
    assert!(output.contains("ROCKET_SESSION_STORE"), "{output}");
}
// ANCHOR_END: test_launch_refused
