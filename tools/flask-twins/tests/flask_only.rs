//! What only the Flask side shows: the seeds' bugs as their own tiny apps, the evidence the
//! corrections chapter cites, and Flask 3.1's key rotation (`SECRET_KEY_FALLBACKS`).
//!
//! They need python3-venv and PyPI: `cargo test -p flask-twins -- --ignored` (see README).

use flask_twins::{assert_page, assert_redirect, python, read_session, start, venv, FlaskTwin};
use specs::{Jar, Settings};
use std::process::Command;

fn keyed(key: &str, fallbacks: &str) -> Settings {
    Settings {
        secret_key: Some(key.to_owned()),
        extra_env: vec![(
            "FLASK_SECRET_KEY_FALLBACKS".to_owned(),
            fallbacks.to_owned(),
        )],
        ..Settings::default()
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn session_user_set_to_none_is_not_a_logout() {
    let app = start(
        &FlaskTwin::new("lesson_03_none_logout.py"),
        &Settings::default(),
    );
    let mut jar = Jar::default();
    assert_redirect(&jar.post(&app, "/login", "nm=Tim"), "/user", "Flask");
    assert_redirect(&jar.get(&app, "/logout"), "/login", "Flask");
    let inside = read_session(jar.value("session").expect("a session cookie")).expect("readable");
    assert_eq!(inside, r#"{"user":null}"#);
    assert_redirect(&jar.get(&app, "/login"), "/user", "Flask");
    assert_page(&jar.get(&app, "/user"), &["Hello, None"], "Flask");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn session_user_raises_key_error_for_a_new_visitor() {
    let app = start(
        &FlaskTwin::new("lesson_03_keyerror.py"),
        &Settings::default(),
    );
    let first_visit = app.get("/home", &[]);
    assert_eq!(first_visit.status, 500, "{first_visit:?}");
    let mut jar = Jar::default();
    assert_redirect(&jar.post(&app, "/login", "nm=Tim"), "/home", "Flask");
    assert_page(&jar.get(&app, "/home"), &["Hello, Tim"], "Flask");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn whoever_knows_the_key_signs_an_admin_session() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("forge_session.py");
    let output = Command::new(venv().join("bin").join("python"))
        .arg(&script)
        .args(["hello", r#"{"user": "admin"}"#])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run forge_session.py");
    assert!(output.status.success(), "{output:?}");
    let forged = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let app = start(&FlaskTwin::new("lesson_02.py"), &keyed("hello", ""));
    let cookie = format!("Cookie: session={forged}");
    assert_page(&app.get("/user", &[&cookie]), &["Hello, admin"], "Flask");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_permanent_session_lasts_31_days_by_default() {
    let lifetime = python(
        "from flask import Flask; print(Flask(__name__).permanent_session_lifetime)",
        &[],
    );
    assert_eq!(lifetime, "31 days, 0:00:00");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_misspelled_secrete_key_sets_no_key_and_the_first_session_write_is_a_500() {
    let printed = python(
        "
from flask import Flask, session
app = Flask(__name__)
app.secrete_key = 'abc'
@app.get('/')
def home():
    session['user'] = 'Tim'
    return 'ok'
app.logger.disabled = True
print(app.secret_key, app.test_client().get('/').status_code)
",
        &[],
    );
    assert_eq!(printed, "None 500");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_fallback_key_keeps_old_sessions_and_new_cookies_use_the_new_key() {
    let [old, new] = specs::TEST_ONLY_SECRET_KEYS;
    let twin = FlaskTwin::new("lesson_07_key_rotation.py");
    let mut signed_with_old = Jar::default();
    let before = start(&twin, &keyed(old, ""));
    let response = signed_with_old.post(&before, "/login", "nm=Tim&remember=on");
    assert_redirect(&response, "/user", "Flask");

    // Rotated: the old key only as a fallback. The old cookie still logs in, and the answer
    // (a permanent session is re-sent on every request) carries a cookie signed anew.
    let rotated = start(&twin, &keyed(new, old));
    let mut renewed = signed_with_old.clone();
    assert_page(&renewed.get(&rotated, "/user"), &["Hello, Tim"], "Flask");
    assert_ne!(renewed.value("session"), signed_with_old.value("session"));

    // The fallback removed: the old cookie is refused, the renewed one was signed with the new key.
    let only_new = start(&twin, &keyed(new, ""));
    assert_redirect(
        &only_new.get("/user", &[&signed_with_old.header()]),
        "/login",
        "Flask",
    );
    assert_page(
        &only_new.get("/user", &[&renewed.header()]),
        &["Hello, Tim"],
        "Flask",
    );
}

#[test]
#[ignore = "needs python3-venv and redis-server: see README"]
fn flask_session_keeps_the_session_in_redis_under_the_cookies_id_with_the_lifetime_as_ttl() {
    let redis = test_support::redis::RedisServer::start("README.md");
    let settings = Settings {
        session_lifetime: Some(300),
        extra_env: vec![("FLASK_SESSION_STORE".to_owned(), redis.url())],
        ..Settings::default()
    };
    let app = start(&FlaskTwin::new("lesson_07.py"), &settings);
    let mut jar = Jar::default();
    let login = jar.post(&app, "/login", "nm=Tim&remember=on");
    assert_redirect(&login, "/user", "Flask");
    let id = jar.value("session").expect("the session id");
    assert_eq!(id.len(), 43, "token_urlsafe(32): {id}");
    let stored = python(
        "
import msgspec, redis, sys
store = redis.from_url(sys.argv[1])
key = 'session:' + sys.argv[2]
print(store.ttl(key), msgspec.msgpack.decode(store.get(key))['user'])
",
        &[&redis.url(), id],
    );
    let (ttl, user) = stored.split_once(' ').expect("ttl and user");
    let ttl: u32 = ttl.parse().expect("a TTL in seconds");
    assert!((290..=300).contains(&ttl), "{stored}");
    assert_eq!(user, "Tim");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flasks_test_client_logs_in_and_prepares_a_session() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_client_example.py");
    let output = Command::new(venv().join("bin").join("python"))
        .arg(&script)
        .env("FLASK_SECRET_KEY", specs::TEST_ONLY_SECRET_KEYS[0])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run test_client_example.py");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && printed.trim() == "2 passed",
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_twin_without_flask_secret_key_refuses_to_start() {
    let mut child = Command::new(venv().join("bin").join("flask"))
        .args([
            "--app",
            "tools/flask-twins/lesson_02.py",
            "run",
            "--host",
            "127.0.0.1",
        ])
        .args(["--port", &test_support::free_port().to_string()])
        .current_dir(test_support::workspace_root(env!("CARGO_MANIFEST_DIR")))
        .env_remove("FLASK_SECRET_KEY")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start flask run");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().expect("poll flask run").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("flask run was still running without FLASK_SECRET_KEY");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("its output");
    let printed = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{printed}");
    assert!(
        printed.contains("KeyError: 'FLASK_SECRET_KEY'"),
        "{printed}"
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flask_session_sets_secure_when_asked_behind_a_tls_proxy() {
    let settings = Settings {
        extra_env: vec![("ROCKET_COOKIE_SECURE".to_owned(), "true".to_owned())],
        ..Settings::default()
    };
    let app = start(&FlaskTwin::new("lesson_07.py"), &settings);
    let login = app.post_form("/login", "nm=Tim&remember=on", &[]);
    assert_redirect(&login, "/user", "Flask");
    let [line] = login.header_values("Set-Cookie")[..] else {
        panic!("one Set-Cookie: {login:?}")
    };
    assert!(
        line.starts_with("session=") && line.contains("; Secure;"),
        "{line}"
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flask_session_answers_500_when_redis_does_not() {
    // Plain Flask-Session, without the twin's errorhandler: nothing listens on the port.
    let printed = python(
        "
import redis, sys
from flask import Flask, session
from flask_session import Session
app = Flask(__name__)
app.config.update(SESSION_TYPE='redis', SESSION_REDIS=redis.from_url(sys.argv[1]))
Session(app)
@app.post('/login')
def login():
    session['user'] = 'Tim'
    return 'ok'
app.logger.disabled = True
print(app.test_client().post('/login').status_code)
",
        &[&format!("redis://127.0.0.1:{}", test_support::free_port())],
    );
    assert_eq!(printed, "500");
}
