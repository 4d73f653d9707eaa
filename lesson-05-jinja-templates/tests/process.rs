//! The real binary, started the way `cargo run -p lesson-05` starts it: from the workspace root.

use test_support::{free_port, workspace_root, Server};

const BINARY: &str = env!("CARGO_BIN_EXE_lesson-05");

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
    let page = server.get("/user", &["Cookie: user=admin"]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header_values("Location"), ["/login"]);
}
