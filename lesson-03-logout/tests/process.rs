//! The real binary, started the way `cargo run -p lesson-03` starts it: from the workspace root.

use test_support::{free_port, workspace_root, Server};

const BINARY: &str = env!("CARGO_BIN_EXE_lesson-03");

fn start() -> Server {
    Server::start(
        BINARY,
        &workspace_root(env!("CARGO_MANIFEST_DIR")),
        free_port(),
        &[],
    )
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
    let page = start().get("/logout", &[]);
    assert_eq!(page.status, 303);
    assert_eq!(page.header_values("Location"), ["/login"]);
    assert!(page.header_values("Set-Cookie").is_empty(), "{page:?}");
}

#[test]
fn a_literal_goodbye_cookie_is_shown_once_and_deleted() {
    let page = start().get(
        "/login",
        &["Cookie: _flash=7%3AsuccessYou%20have%20been%20logged%20out%2C%20Tim."],
    );
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("You have been logged out, Tim."),
        "{}",
        page.body
    );
    let removal = page.header_values("Set-Cookie");
    assert_eq!(removal.len(), 1, "{removal:?}");
    assert!(removal[0].starts_with("_flash=; "), "{removal:?}");
    assert!(removal[0].contains("Max-Age=0"), "{removal:?}");
}
