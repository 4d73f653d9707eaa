//! The real binary, started the way `cargo run -p lesson-06` starts it: from the workspace root.

use test_support::{free_port, launch_until_exit, workspace_root, Exit, Server};

const BINARY: &str = env!("CARGO_BIN_EXE_lesson-06");

/// A test-only key, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";

fn start(env: &[(&str, &str)]) -> Server {
    Server::start(
        BINARY,
        &workspace_root(env!("CARGO_MANIFEST_DIR")),
        free_port(),
        env,
    )
}

/// Posts the form `body` to `path`, expects a redirect, and returns the values of the response's
/// `Set-Cookie` headers.
fn post_form(server: &Server, path: &str, body: &str) -> Vec<String> {
    let response = server.post_form(path, body, &[]);
    assert_eq!(response.status, 303, "{response:?}");
    response
        .header_values("Set-Cookie")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Logs in as Tim, kept signed in, and returns the cookie as a browser would send it back.
fn log_in(server: &Server) -> String {
    let set_cookie = post_form(server, "/login", "nm=Tim&remember=on");
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    let (pair, _) = set_cookie[0]
        .split_once("; ")
        .expect("a cookie with attributes");
    format!("Cookie: {pair}")
}

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
fn logging_out_while_logged_out_sends_no_set_cookie_on_the_wire() {
    let page = start(&[]).get("/logout", &[]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header_values("Location"), ["/login"]);
    assert!(page.header_values("Set-Cookie").is_empty(), "{page:?}");
}

#[test]
fn rocket_session_lifetime_sets_the_cookies_lifetime() {
    let server = start(&[("ROCKET_SESSION_LIFETIME", "30")]);
    let set_cookie = post_form(&server, "/login", "nm=Tim&remember=on");
    assert!(
        set_cookie[0].contains("; Max-Age=30; Expires="),
        "{set_cookie:?}"
    );
}

// ANCHOR: test_restart
#[test]
fn a_restart_forgets_sessions_kept_in_memory_even_with_the_same_key() {
    let key = [("ROCKET_SECRET_KEY", TEST_KEY)];
    let cookie = log_in(&start(&key));
    // The first server is stopped (dropped) by now; a new process with the same key decrypts the
    // cookie to its id, but the new process's memory holds no session under it.
    let page = start(&key).get("/user", &[&cookie]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header_values("Location"), ["/login"]);
}
// ANCHOR_END: test_restart

/// Starts the binary with the extra environment `env` and waits for it to exit.
fn launch_with(env: &[(&str, &str)]) -> Exit {
    launch_until_exit(BINARY, &workspace_root(env!("CARGO_MANIFEST_DIR")), env)
}

#[test]
fn a_bad_rocket_session_lifetime_stops_the_launch_with_a_message() {
    for (value, message) in [
        (
            "0",
            "must be a whole number of seconds from 1 to 34560000 (400 days), not 0",
        ),
        (
            "-30",
            "must be a whole number of seconds from 1 to 34560000 (400 days), not -30",
        ),
        ("five", r#"found string "five", expected i64"#),
    ] {
        let Exit { failed, printed } = launch_with(&[("ROCKET_SESSION_LIFETIME", value)]);
        assert!(failed, "ROCKET_SESSION_LIFETIME={value}: {printed}");
        assert!(printed.contains(message), "{value}: {printed}");
        // Rocket says where the value came from.
        assert!(
            printed.contains("for key SESSION_LIFETIME\n")
                && printed.contains("in `ROCKET_` environment variable(s)"),
            "{value}: {printed}"
        );
    }
}

// ANCHOR: test_launch_refused
#[test]
fn launch_is_refused_with_a_clear_message_when_redis_is_unreachable() {
    // Nothing listens on a port that was free a moment ago.
    let redis_port = free_port();
    let url = format!("redis://127.0.0.1:{redis_port}");
    let Exit { failed, printed } = launch_with(&[("ROCKET_SESSION_STORE", &url)]);
    assert!(failed, "{printed}");
    let message = format!("Session store: cannot reach Redis at 127.0.0.1:{redis_port}");
    assert!(printed.contains(&message), "{printed}");
    assert!(printed.contains("ROCKET_SESSION_STORE"), "{printed}");
}
// ANCHOR_END: test_launch_refused
