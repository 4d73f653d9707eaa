//! What Flask and Rocket do the same way, checked with the same requests on the Flask twin and on
//! the Rocket lesson of the step, where the spec's check (package `specs`) also reads something
//! only Rocket's side has (a literal `Set-Cookie` line, the panel's sentence), or there is none.
//! Cookie names differ (`session` in Flask), so the checks go through a browser-like jar.
//!
//! They need python3-venv and PyPI: `cargo test -p flask-twins -- --ignored` (see README).

use flask_twins::{assert_page, assert_redirect, start, FlaskTwin};
use specs::{App, Binary, Jar, Program, Settings};
use std::time::{Duration, Instant};
use test_support::redis::RedisServer;

const KEYS: [&str; 2] = specs::TEST_ONLY_SECRET_KEYS;

/// Runs `check` on the twin `file` and on the lesson `package`.
fn on_both(file: &'static str, package: &str, check: fn(&dyn Program, &str)) {
    check(&FlaskTwin::new(file), "Flask");
    check(&Binary::built(package), "Rocket");
}

fn keyed(key: &str) -> Settings {
    Settings {
        secret_key: Some(key.to_owned()),
        ..Settings::default()
    }
}

/// The first test key, and sessions of `lifetime` seconds.
fn lasting(lifetime: u64) -> Settings {
    Settings {
        session_lifetime: Some(lifetime),
        ..keyed(KEYS[0])
    }
}

fn log_in(app: &App, form: &str, side: &str) -> Jar {
    let mut jar = Jar::default();
    assert_redirect(&jar.post(app, "/login", form), "/user", side);
    jar
}

/// Polls `GET /user` with `jar` (not storing what it sets) until it redirects to /login, within
/// `deadline`; returns how long that took.
fn until_refused(app: &App, jar: &Jar, deadline: Duration, side: &str) -> Duration {
    let started = Instant::now();
    loop {
        let response = app.get("/user", &[&jar.header()]);
        if response.status == 303 {
            assert_redirect(&response, "/login", side);
            return started.elapsed();
        }
        assert_eq!(response.status, 200, "{side}: {response:?}");
        assert!(
            started.elapsed() < deadline,
            "{side}: still logged in after {deadline:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_02_login_greets_redirects_and_logout_ends_it() {
    on_both("lesson_02.py", "lesson-02", |program, side| {
        let app = start(program, &Settings::default());
        let mut jar = log_in(&app, "nm=Tim", side);
        assert_page(&jar.get(&app, "/user"), &["Hello, Tim"], side);
        assert_redirect(&jar.get(&app, "/login"), "/user", side);
        assert_redirect(&jar.get(&app, "/logout"), "/login", side);
        assert_redirect(&jar.get(&app, "/user"), "/login", side);
        assert_page(&jar.get(&app, "/login"), &[r#"name="nm""#], side);
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_02_a_restart_with_the_same_key_keeps_the_session_a_changed_cut_or_other_keys_cookie_does_not(
) {
    on_both("lesson_02.py", "lesson-02", |program, side| {
        let app = start(program, &keyed(KEYS[0]));
        let jar = log_in(&app, "nm=Tim", side);
        let name = if side == "Flask" { "session" } else { "user" };
        let value = jar.value(name).expect("the session cookie");
        // One base64 character in the middle changed: the signature (Flask) or the
        // authentication tag (Rocket) no longer matches.
        let middle = value.len() / 2;
        let changed = if &value[middle..=middle] == "A" {
            "B"
        } else {
            "A"
        };
        let forged = format!("{}{changed}{}", &value[..middle], &value[middle + 1..]);
        // And the same cookie cut in half, or empty.
        for bad in [forged.as_str(), &value[..middle], ""] {
            assert_redirect(
                &app.get("/user", &[&jar.with(name, bad).header()]),
                "/login",
                side,
            );
        }
        drop(app);

        let same_key = start(program, &keyed(KEYS[0]));
        assert_page(
            &same_key.get("/user", &[&jar.header()]),
            &["Hello, Tim"],
            side,
        );
        let other_key = start(program, &keyed(KEYS[1]));
        assert_redirect(&other_key.get("/user", &[&jar.header()]), "/login", side);
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_03_logout_pops_the_name_keeps_the_colour_and_cannot_revoke_a_copy_forget_clears_both() {
    on_both("lesson_03.py", "lesson-03", |program, side| {
        let app = start(program, &Settings::default());
        let nobody = app.get("/logout", &[]);
        assert_redirect(&nobody, "/login", side);
        assert!(
            nobody.header_values("Set-Cookie").is_empty(),
            "{side}: {nobody:?}"
        );
        let mut jar = log_in(&app, "nm=Tim", side);
        assert_redirect(&jar.post(&app, "/colour", "colour=blue"), "/user", side);
        assert_redirect(&jar.get(&app, "/logout"), "/login", side);
        let remembers = "remembers your favourite colour: <strong>blue</strong>";
        let login = jar.get(&app, "/login");
        assert_page(&login, &["You have been logged out, Tim.", remembers], side);
        let again = jar.get(&app, "/login");
        assert_page(&again, &[remembers], side);
        assert!(
            !again.body.contains("logged out"),
            "{side}: a flash is shown once"
        );
        assert_redirect(&jar.get(&app, "/user"), "/login", side);
        assert_redirect(&jar.post(&app, "/forget", ""), "/login", side);
        assert!(
            !jar.get(&app, "/login").body.contains("blue"),
            "{side}: forgotten"
        );

        // Logging out cannot revoke a copy of the cookie taken before: it still logs in.
        let mut jar = log_in(&app, "nm=Tim", side);
        let copy = jar.clone();
        assert_redirect(&jar.get(&app, "/logout"), "/login", side);
        assert_page(&app.get("/user", &[&copy.header()]), &["Hello, Tim"], side);

        let bad = log_in(&app, "nm=Tim", side).post(&app, "/colour", "colour=plaid");
        assert_eq!(bad.status, 422, "{side}");
        assert!(
            bad.body
                .contains("Please choose one of the colours on offer."),
            "{side}"
        );
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_04_an_unticked_session_is_a_browser_session_the_server_ends_at_its_lifetime() {
    on_both("lesson_04.py", "lesson-04", |program, side| {
        let lifetime = 3;
        let settings = lasting(lifetime);
        let app = start(program, &settings);
        // Unticked: no Expires, no Max-Age, not re-sent by a page that changes nothing; a browser
        // would keep sending it until it closes, so the server must refuse it.
        let mut jar = Jar::default();
        let login = jar.post(&app, "/login", "nm=Tim");
        assert_redirect(&login, "/user", side);
        let [line] = login.header_values("Set-Cookie")[..] else {
            panic!("{side}: one Set-Cookie: {login:?}")
        };
        assert!(
            !line.contains("Expires") && !line.contains("Max-Age"),
            "{side}: {line}"
        );
        let page = app.get("/user", &[&jar.header()]);
        assert!(
            page.header_values("Set-Cookie").is_empty(),
            "{side}: {page:?}"
        );
        let took = until_refused(&app, &jar, Duration::from_secs(lifetime + 5), side);
        assert!(
            took >= Duration::from_secs(lifetime - 1),
            "{side}: refused after {took:?}"
        );
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_04_a_permanent_session_slides_with_every_request() {
    on_both("lesson_04.py", "lesson-04", |program, side| {
        let lifetime = 8;
        let settings = lasting(lifetime);
        let app = start(program, &settings);
        let first = log_in(&app, "nm=Tim&remember=on", side);
        // Halfway through the lifetime, a request: its answer re-sends the cookie, renewed.
        std::thread::sleep(Duration::from_secs(lifetime / 2));
        let mut renewed = first.clone();
        let response = renewed.get(&app, "/user");
        assert_page(&response, &["Hello, Tim"], side);
        assert_eq!(
            response.header_values("Set-Cookie").len(),
            1,
            "{side}: {response:?}"
        );
        // The first cookie runs out at its lifetime; the renewed one is still good then.
        until_refused(&app, &first, Duration::from_secs(lifetime + 5), side);
        assert_page(
            &app.get("/user", &[&renewed.header()]),
            &["Hello, Tim"],
            side,
        );
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_04_logout_cannot_revoke_a_copy_of_the_cookie() {
    on_both("lesson_04.py", "lesson-04", |program, side| {
        let app = start(program, &Settings::default());
        for form in ["nm=Tim", "nm=Tim&remember=on"] {
            let mut jar = log_in(&app, form, side);
            let copy = jar.clone();
            assert_redirect(&jar.get(&app, "/logout"), "/login", side);
            assert_redirect(&jar.get(&app, "/user"), "/login", side);
            assert_page(&app.get("/user", &[&copy.header()]), &["Hello, Tim"], side);
        }
    });
}

/// Logs in, keeps a copy of the cookie, logs out: the copy is logged out too.
fn logout_ends_the_session_for_every_copy(app: &App, side: &str) {
    let mut jar = log_in(app, "nm=Tim", side);
    let copy = jar.clone();
    assert_page(&app.get("/user", &[&copy.header()]), &["Hello, Tim"], side);
    assert_redirect(&jar.get(app, "/logout"), "/login", side);
    assert_redirect(&app.get("/user", &[&copy.header()]), "/login", side);
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_06_logout_ends_the_session_for_every_copy_of_the_cookie() {
    on_both("lesson_06.py", "lesson-06", |program, side| {
        logout_ends_the_session_for_every_copy(&start(program, &Settings::default()), side);
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_06_log_out_everywhere_ends_every_session_of_the_user_and_no_one_elses() {
    on_both("lesson_06.py", "lesson-06", |program, side| {
        let app = start(program, &Settings::default());
        let mut here = log_in(&app, "nm=Tim", side);
        let elsewhere = log_in(&app, "nm=Tim&remember=on", side);
        let someone_else = log_in(&app, "nm=Ann", side);
        let copy = here.clone();
        assert_redirect(&here.post(&app, "/logout/everywhere", ""), "/login", side);
        for jar in [&here, &copy, &elsewhere] {
            assert_redirect(&app.get("/user", &[&jar.header()]), "/login", side);
        }
        let ann = app.get("/user", &[&someone_else.header()]);
        assert_page(&ann, &["Hello, Ann"], side);
    });
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn lesson_06_the_store_forgets_a_session_at_its_lifetime_and_everything_at_a_restart() {
    on_both("lesson_06.py", "lesson-06", |program, side| {
        let lifetime = 3;
        let settings = lasting(lifetime);
        let app = start(program, &settings);
        // Kept signed in, its user away for longer than the lifetime (every request would move
        // the end on both): the browser still has the cookie, the store has forgotten it.
        let jar = log_in(&app, "nm=Tim&remember=on", side);
        assert_page(&app.get("/user", &[&jar.header()]), &["Hello, Tim"], side);
        std::thread::sleep(Duration::from_secs(lifetime + 1));
        assert_redirect(&app.get("/user", &[&jar.header()]), "/login", side);
        let jar = log_in(&app, "nm=Tim", side);
        drop(app);
        let restarted = start(program, &settings);
        assert_redirect(&restarted.get("/user", &[&jar.header()]), "/login", side);
    });
}

#[test]
#[ignore = "needs python3-venv and redis-server: see README"]
fn lesson_07_with_redis_logout_ends_every_copy_and_a_restart_keeps_sessions() {
    let redis = RedisServer::start("README.md");
    let settings = Settings {
        secret_key: Some(KEYS[0].to_owned()),
        extra_env: vec![("ROCKET_SESSION_STORE".to_owned(), redis.url())],
        ..Settings::default()
    };
    for (program, side) in [
        (&FlaskTwin::new("lesson_07.py") as &dyn Program, "Flask"),
        (&Binary::built("lesson-07"), "Rocket"),
    ] {
        logout_ends_the_session_for_every_copy(&start(program, &settings), side);
        let jar = log_in(&start(program, &settings), "nm=Tim", side);
        let restarted = start(program, &settings);
        assert_page(
            &restarted.get("/user", &[&jar.header()]),
            &["Hello, Tim"],
            side,
        );
    }
}
