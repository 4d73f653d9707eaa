//! The real binary, started the way `cargo run -p lesson-07` starts it: from the workspace root.

use std::net::{Ipv4Addr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use test_support::redis::RedisServer;
use test_support::{free_port, launch_until_exit, workspace_root, Exit, Server};

const BINARY: &str = env!("CARGO_BIN_EXE_lesson-07");
const README: &str = "lesson-07-production/README.md";

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const OLD_KEY: &str = "facc7kdtyYYln5Sp8ng2aoenI/XftphqT7EjYxsIN6o=";
const NEW_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";

fn start(env: &[(&str, &str)]) -> Server {
    let root = workspace_root(env!("CARGO_MANIFEST_DIR"));
    Server::start(BINARY, &root, free_port(), env)
}

fn launch_with(env: &[(&str, &str)]) -> Exit {
    launch_until_exit(BINARY, &workspace_root(env!("CARGO_MANIFEST_DIR")), env)
}

/// The cookie `session` in the response's `Set-Cookie`, as a browser sends it back.
fn session_cookie(response: &test_support::Response) -> Option<String> {
    let set_cookie = response.header_values("Set-Cookie");
    let pair = set_cookie
        .iter()
        .find(|value| value.starts_with("session="))?;
    Some(format!(
        "Cookie: {}",
        pair.split(';').next().unwrap_or_default()
    ))
}

#[test]
fn serves_its_templates_from_the_workspace_root_on_rocket_port() {
    let home = start(&[]).get("/", &[]);
    assert_eq!(home.status, 200);
    assert!(home.body.contains(r#"<a href="/login">"#), "{}", home.body);
}

// ANCHOR: test_rocket_toml
#[test]
fn rocket_toml_default_table_beats_the_lessons_own_port() {
    let dir = std::env::temp_dir().join(format!("lesson-07-toml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let toml = format!("[default]\nport = {port}\naddress = \"127.0.0.1\"\nlog_level = \"off\"\n");
    std::fs::write(dir.join("Rocket.toml"), toml).unwrap();
    let mut child = Command::new(BINARY)
        .current_dir(workspace_root(env!("CARGO_MANIFEST_DIR")))
        .env("ROCKET_CONFIG", dir.join("Rocket.toml"))
        .env_remove("ROCKET_PORT")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let listening = loop {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            break true;
        }
        if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        listening,
        "the lesson did not listen on Rocket.toml's port {port}"
    );
}
// ANCHOR_END: test_rocket_toml

#[test]
fn a_malformed_fallback_refuses_the_launch_without_printing_the_key() {
    let secret = "c2VjcmV0LWJ1dC10b28tc2hvcnQtdG8tYmUta2V5";
    for fallbacks in [format!("[\"{NEW_KEY}\", \"{secret}\"]"), secret.to_owned()] {
        let env = [("ROCKET_SECRET_KEY_FALLBACKS", fallbacks.as_str())];
        let Exit { failed, printed } = launch_with(&env);
        assert!(failed, "{printed}");
        assert!(
            printed.contains("not a key as `secret_key` takes it"),
            "{printed}"
        );
        assert!(
            printed.contains("for key SECRET_KEY_FALLBACKS"),
            "{printed}"
        );
        assert!(!printed.contains(secret), "the key was printed: {printed}");
    }
}

#[test]
fn launch_is_refused_with_host_and_port_but_never_the_password() {
    let redis_port = free_port();
    let url = format!("redis://:hunter2-secret@127.0.0.1:{redis_port}");
    let Exit { failed, printed } = launch_with(&[("ROCKET_SESSION_STORE", &url)]);
    assert!(failed, "{printed}");
    let message = format!("Session store: cannot reach Redis at 127.0.0.1:{redis_port}");
    assert!(printed.contains(&message), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
}

// ANCHOR: test_rotation
#[test]
#[ignore = "needs redis-server: see README"]
fn rotating_the_key_logs_nobody_out() {
    let redis = RedisServer::start(README);
    let store = ("ROCKET_SESSION_STORE", redis.url());
    let store = (store.0, store.1.as_str());
    // A server on the old key issues a cookie.
    let old = start(&[store, ("ROCKET_SECRET_KEY", OLD_KEY)]);
    let login = old.post_form("/login", "nm=Tim&remember=on", &[]);
    let old_cookie = session_cookie(&login).expect("a session cookie");
    drop(old);
    // A server on the new key, the old one as fallback, accepts it and re-issues it.
    let fallback = format!("[\"{OLD_KEY}\"]");
    let env = [
        store,
        ("ROCKET_SECRET_KEY", NEW_KEY),
        ("ROCKET_SECRET_KEY_FALLBACKS", &fallback),
    ];
    let both = start(&env);
    let page = both.get("/user", &[&old_cookie]);
    assert_eq!(page.status, 200, "{page:?}");
    let new_cookie = session_cookie(&page).expect("re-issued under the new key");
    assert_ne!(new_cookie, old_cookie);
    drop(both);
    // A server on the new key alone accepts the re-issued cookie and refuses the old one.
    let new = start(&[store, ("ROCKET_SECRET_KEY", NEW_KEY)]);
    assert_eq!(new.get("/user", &[&new_cookie]).status, 200);
    let refused = new.get("/user", &[&old_cookie]);
    assert_eq!(refused.status, 303);
    assert_eq!(refused.header_values("Location"), ["/login"]);
}
// ANCHOR_END: test_rotation
