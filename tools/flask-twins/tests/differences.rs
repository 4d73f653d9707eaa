//! Where Flask and Rocket differ on purpose, each side asserted: the Flask twin against the Rocket
//! lesson of the same step, with the same requests.
//!
//! They need python3-venv and PyPI (and redis-server for lesson 07's key):
//! `cargo test -p flask-twins -- --ignored` (see README).

use flask_twins::{assert_page, assert_redirect, read_session, start, FlaskTwin};
use specs::{App, Binary, Jar, Program, Settings};
use std::time::{Duration, Instant};
use test_support::redis::RedisServer;

fn flask(file: &'static str) -> App {
    start(&FlaskTwin::new(file), &Settings::default())
}

fn rocket(package: &str) -> App {
    start(&Binary::built(package), &Settings::default())
}

/// Logs in as Tim with `form` (`nm=Tim` and more): expects the redirect to /user, returns the jar.
fn log_in(app: &App, form: &str, side: &str) -> (Jar, specs::Response) {
    let mut jar = Jar::default();
    let response = jar.post(app, "/login", form);
    assert_redirect(&response, "/user", side);
    (jar, response)
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flasks_session_cookie_is_readable_rockets_is_not() {
    let (jar, _) = log_in(&flask("lesson_02.py"), "nm=Tim", "Flask");
    let value = jar
        .value("session")
        .expect("Flask's cookie is named session");
    assert_eq!(
        read_session(value).as_deref(),
        Some(r#"{"user":"Tim"}"#),
        "{value}"
    );

    let (jar, _) = log_in(&rocket("lesson-02"), "nm=Tim", "Rocket");
    let value = jar.value("user").expect("lesson 02's cookie is named user");
    assert!(!value.contains("Tim"), "{value}");
    let read = read_session(value).unwrap_or_default();
    assert!(!read.contains("Tim"), "decoded the Flask way: {read:?}");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flask_sets_no_same_site_rocket_sets_strict() {
    let (_, response) = log_in(&flask("lesson_01.py"), "nm=Tim", "Flask");
    assert_eq!(
        response.header_values("Set-Cookie"),
        ["user=Tim; HttpOnly; Path=/"]
    );
    let (_, response) = log_in(&flask("lesson_02.py"), "nm=Tim", "Flask");
    let [line] = response.header_values("Set-Cookie")[..] else {
        panic!("one Set-Cookie: {response:?}")
    };
    assert!(
        line.starts_with("session=") && line.ends_with("; HttpOnly; Path=/"),
        "{line}"
    );

    let (_, response) = log_in(&rocket("lesson-01"), "nm=Tim", "Rocket");
    assert_eq!(
        response.header_values("Set-Cookie"),
        ["user=Tim; HttpOnly; SameSite=Strict; Path=/"]
    );
    let (_, response) = log_in(&rocket("lesson-02"), "nm=Tim", "Rocket");
    let [line] = response.header_values("Set-Cookie")[..] else {
        panic!("one Set-Cookie: {response:?}")
    };
    assert!(
        line.ends_with("; HttpOnly; SameSite=Strict; Path=/"),
        "{line}"
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_permanent_session_flask_sends_expires_without_max_age_rocket_both() {
    let settings = Settings {
        session_lifetime: Some(300),
        ..Settings::default()
    };
    let twin = start(&FlaskTwin::new("lesson_04.py"), &settings);
    let (_, response) = log_in(&twin, "nm=Tim&remember=on", "Flask");
    let [line] = response.header_values("Set-Cookie")[..] else {
        panic!("one Set-Cookie: {response:?}")
    };
    assert!(
        line.contains("; Expires=") && !line.contains("Max-Age"),
        "{line}"
    );
    let value = line
        .split(';')
        .next()
        .and_then(|pair| pair.strip_prefix("session="));
    let inside = read_session(value.expect("the cookie session")).expect("readable");
    assert!(inside.contains(r#""_permanent":true"#), "{inside}");

    let lesson = start(&Binary::built("lesson-04"), &settings);
    let (_, response) = log_in(&lesson, "nm=Tim&remember=on", "Rocket");
    let [line] = response.header_values("Set-Cookie")[..] else {
        panic!("one Set-Cookie: {response:?}")
    };
    assert!(line.contains("; Max-Age=300; Expires="), "{line}");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flasks_flash_lives_in_the_session_rockets_is_a_cookie_of_its_own() {
    let goodbye = "You have been logged out, Tim.";

    let twin = flask("lesson_03.py");
    let (mut jar, _) = log_in(&twin, "nm=Tim", "Flask");
    let response = jar.get(&twin, "/logout");
    assert_redirect(&response, "/login", "Flask");
    let [line] = response.header_values("Set-Cookie")[..] else {
        panic!("Flask: one Set-Cookie, the session: {response:?}")
    };
    assert!(line.starts_with("session="), "{line}");
    let inside = read_session(jar.value("session").expect("a session")).expect("readable");
    assert!(
        inside.contains(r#""_flashes""#) && inside.contains(goodbye),
        "{inside}"
    );
    assert_page(&jar.get(&twin, "/login"), &[goodbye], "Flask");

    let lesson = rocket("lesson-03");
    let (mut jar, _) = log_in(&lesson, "nm=Tim", "Rocket");
    let response = jar.get(&lesson, "/logout");
    assert_redirect(&response, "/login", "Rocket");
    let flash = jar
        .value("_flash")
        .expect("Rocket's flash is the cookie _flash");
    assert!(
        flash.contains("logged%20out") || flash.contains("logged out"),
        "{flash}"
    );
    assert!(jar.value("session").is_none());
    assert_page(&jar.get(&lesson, "/login"), &[goodbye], "Rocket");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flask_deletes_a_cookie_even_when_none_was_sent_rocket_only_when_one_was() {
    let deletion = "user=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/";
    let twin = flask("lesson_01.py");
    let (mut jar, _) = log_in(&twin, "nm=Tim", "Flask");
    assert_eq!(
        jar.get(&twin, "/logout").header_values("Set-Cookie"),
        [deletion]
    );
    assert_eq!(
        twin.get("/logout", &[]).header_values("Set-Cookie"),
        [deletion]
    );

    let lesson = rocket("lesson-01");
    let (mut jar, _) = log_in(&lesson, "nm=Tim", "Rocket");
    let response = jar.get(&lesson, "/logout");
    let [line] = response.header_values("Set-Cookie")[..] else {
        panic!("Rocket: one Set-Cookie: {response:?}")
    };
    assert!(
        line.starts_with("user=; SameSite=Lax; Path=/; Max-Age=0; Expires="),
        "{line}"
    );
    assert!(lesson
        .get("/logout", &[])
        .header_values("Set-Cookie")
        .is_empty());
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn cookie_syntax_in_a_name_is_quoted_by_flask_percent_encoded_by_rocket() {
    let form = "nm=Tim%3B+admin%3Dtrue";
    let twin = flask("lesson_01.py");
    let (mut jar, response) = log_in(&twin, form, "Flask");
    assert_eq!(
        response.header_values("Set-Cookie"),
        [r#"user="Tim\073 admin=true"; HttpOnly; Path=/"#]
    );
    assert_page(
        &jar.get(&twin, "/user"),
        &["Hello, Tim; admin=true"],
        "Flask",
    );

    let lesson = rocket("lesson-01");
    let (mut jar, response) = log_in(&lesson, form, "Rocket");
    assert_eq!(
        response.header_values("Set-Cookie"),
        ["user=Tim%3B%20admin%3Dtrue; HttpOnly; SameSite=Strict; Path=/"]
    );
    assert_page(
        &jar.get(&lesson, "/user"),
        &["Hello, Tim; admin=true"],
        "Rocket",
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn both_escape_html_in_a_name_spelled_differently() {
    let form = "nm=%3Cscript%3Ealert%281%29%3C%2Fscript%3E";
    for (app, escaped, side) in [
        (
            flask("lesson_01.py"),
            "Hello, &lt;script&gt;alert(1)&lt;/script&gt;",
            "Flask",
        ),
        (
            rocket("lesson-01"),
            "Hello, &lt;script&gt;alert(1)&lt;&#x2F;script&gt;",
            "Rocket",
        ),
    ] {
        let (mut jar, _) = log_in(&app, form, side);
        let page = jar.get(&app, "/user");
        assert_page(&page, &[escaped], side);
        assert!(!page.body.contains("<script>"), "{side}: {}", page.body);
    }
    let too_long = format!("nm=%22%3E%3Cscript%3E{}", "x".repeat(50));
    for (app, escaped, side) in [
        (
            flask("lesson_01.py"),
            r#"value="&#34;&gt;&lt;script&gt;"#,
            "Flask",
        ),
        (
            rocket("lesson-01"),
            r#"value="&quot;&gt;&lt;script&gt;"#,
            "Rocket",
        ),
    ] {
        let page = app.post_form("/login", &too_long, &[]);
        assert_eq!(page.status, 422, "{side}");
        assert!(
            page.body.contains(escaped) && !page.body.contains("<script>"),
            "{side}: {}",
            page.body
        );
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn clear_is_one_deletion_in_flask_sent_every_time_one_per_cookie_in_rocket() {
    let twin = flask("lesson_03.py");
    let (mut jar, _) = log_in(&twin, "nm=Tim", "Flask");
    jar.post(&twin, "/colour", "colour=blue");
    let forget = jar.post(&twin, "/forget", "");
    assert_redirect(&forget, "/login", "Flask");
    assert_eq!(
        forget.header_values("Set-Cookie"),
        ["session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"]
    );

    // With nothing to forget, Flask deletes the cookie all the same; another cookie is left alone.
    let nothing = twin.post_form("/forget", "", &["Cookie: theme=dark"]);
    assert_eq!(
        nothing.header_values("Set-Cookie"),
        ["session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"]
    );

    let lesson = rocket("lesson-03");
    let nothing = lesson.post_form("/forget", "", &["Cookie: theme=dark"]);
    assert_redirect(&nothing, "/login", "Rocket");
    assert!(
        nothing.header_values("Set-Cookie").is_empty(),
        "{nothing:?}"
    );
    let (mut jar, _) = log_in(&lesson, "nm=Tim", "Rocket");
    jar.post(&lesson, "/colour", "colour=blue");
    let forget = jar.post(&lesson, "/forget", "");
    assert_redirect(&forget, "/login", "Rocket");
    let mut removed: Vec<&str> = forget
        .header_values("Set-Cookie")
        .into_iter()
        .filter(|line| line.contains("Max-Age=0"))
        .filter_map(|line| line.split('=').next())
        .collect();
    removed.sort_unstable();
    assert_eq!(removed, ["colour", "user"], "{forget:?}");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn flask_signs_the_same_session_alike_within_a_second_rocket_never_encrypts_it_alike() {
    let twin = flask("lesson_02.py");
    let values: Vec<String> = (0..2)
        .map(|_| {
            let (jar, _) = log_in(&twin, "nm=Tim", "Flask");
            jar.value("session").expect("a session").to_owned()
        })
        .collect();
    // payload.timestamp.signature: the same payload and second give the same signature.
    let second = |value: &str| value.split('.').nth(1).map(str::to_owned);
    assert!(
        values[0] == values[1] || second(&values[0]) != second(&values[1]),
        "{values:?}"
    );

    let lesson = rocket("lesson-02");
    let values: Vec<String> = (0..2)
        .map(|_| {
            let (jar, _) = log_in(&lesson, "nm=Tim", "Rocket");
            jar.value("user").expect("a user cookie").to_owned()
        })
        .collect();
    assert_ne!(values[0], values[1]);
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn both_escape_html_in_the_goodbye_spelled_differently() {
    for (app, escaped, side) in [
        (
            flask("lesson_03.py"),
            "You have been logged out, &lt;b&gt;Tim&lt;/b&gt;.",
            "Flask",
        ),
        (
            rocket("lesson-03"),
            "You have been logged out, &lt;b&gt;Tim&lt;&#x2F;b&gt;.",
            "Rocket",
        ),
    ] {
        let (mut jar, _) = log_in(&app, "nm=%3Cb%3ETim%3C%2Fb%3E", side);
        assert_redirect(&jar.get(&app, "/logout"), "/login", side);
        let page = jar.get(&app, "/login");
        assert_page(&page, &[escaped], side);
        assert!(!page.body.contains("<b>"), "{side}: {}", page.body);
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn at_logout_flask_re_sends_the_session_holding_permanent_rocket_deletes_it() {
    // `session.pop("user")` leaves `session.permanent`'s key, so the session is not empty.
    let twin = flask("lesson_04.py");
    for (form, left) in [
        ("nm=Tim&remember=on", r#"{"_permanent":true}"#),
        ("nm=Tim", r#"{"_permanent":false}"#),
    ] {
        let (mut jar, _) = log_in(&twin, form, "Flask");
        let response = jar.get(&twin, "/logout");
        assert_redirect(&response, "/login", "Flask");
        let [line] = response.header_values("Set-Cookie")[..] else {
            panic!("Flask: one Set-Cookie: {response:?}")
        };
        assert!(!line.contains("Max-Age=0"), "{line}");
        let value = jar.value("session").expect("the session, re-sent");
        assert_eq!(read_session(value).as_deref(), Some(left), "{line}");
    }

    let lesson = rocket("lesson-04");
    for form in ["nm=Tim&remember=on", "nm=Tim"] {
        let (mut jar, _) = log_in(&lesson, form, "Rocket");
        let response = jar.get(&lesson, "/logout");
        assert_redirect(&response, "/login", "Rocket");
        let [line] = response.header_values("Set-Cookie")[..] else {
            panic!("Rocket: one Set-Cookie: {response:?}")
        };
        assert!(
            line.starts_with("session=; SameSite=Lax; Path=/; Max-Age=0; Expires="),
            "{line}"
        );
        assert!(jar.value("session").is_none());
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_clearing_logout_flask_deletes_every_time_flask_session_without_http_only_rocket_once() {
    let flask_deletion =
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/";
    let flask_session_deletion =
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/";
    for (file, logout, deletion) in [
        ("lesson_05.py", "/logout", flask_deletion),
        ("lesson_06.py", "/logout", flask_session_deletion),
        ("lesson_06.py", "/logout/everywhere", flask_session_deletion),
    ] {
        let twin = flask(file);
        let (mut jar, _) = log_in(&twin, "nm=Tim", "Flask");
        let with_session = if logout == "/logout" {
            jar.get(&twin, logout)
        } else {
            jar.post(&twin, logout, "")
        };
        assert_eq!(
            with_session.header_values("Set-Cookie"),
            [deletion],
            "{file} {logout}"
        );
        // `/logout` with no session: `session.clear()` sends the deletion all the same.
        let none = twin.get("/logout", &[]);
        assert_eq!(none.header_values("Set-Cookie"), [deletion], "{file}");
    }

    for package in ["lesson-05", "lesson-06"] {
        let lesson = rocket(package);
        let (mut jar, _) = log_in(&lesson, "nm=Tim", "Rocket");
        let response = jar.get(&lesson, "/logout");
        let [line] = response.header_values("Set-Cookie")[..] else {
            panic!("{package}: one Set-Cookie: {response:?}")
        };
        assert!(
            line.starts_with("session=; SameSite=Lax; Path=/; Max-Age=0; Expires="),
            "{package}: {line}"
        );
        let none = lesson.get("/logout", &[]);
        assert!(
            none.header_values("Set-Cookie").is_empty(),
            "{package}: {none:?}"
        );
    }
}

/// Loads /user with `jar` every 300 ms for `busy` (not storing what it sets): how long it took to be
/// sent to /login, or `None` if it never was. Panics on a page that sets a cookie.
fn refused_while_busy(app: &App, jar: &Jar, busy: Duration, side: &str) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < busy {
        let page = app.get("/user", &[&jar.header()]);
        if page.status == 303 {
            assert_redirect(&page, "/login", side);
            return Some(started.elapsed());
        }
        assert_page(&page, &["Hello, Tim"], side);
        assert!(
            page.header_values("Set-Cookie").is_empty(),
            "{side}: {page:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    None
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn an_unticked_session_slides_in_flask_sessions_store_and_ends_at_the_lifetime_in_rockets() {
    // Flask-Session writes the store on every request (SESSION_REFRESH_EACH_REQUEST), even for a
    // session whose cookie it does not re-send: busy, it never ends. The lesson's does, at 3 s.
    let settings = Settings {
        session_lifetime: Some(3),
        ..Settings::default()
    };
    let busy = Duration::from_secs(6);
    let twin = start(&FlaskTwin::new("lesson_06.py"), &settings);
    let (jar, _) = log_in(&twin, "nm=Tim", "Flask");
    assert_eq!(refused_while_busy(&twin, &jar, busy, "Flask"), None);

    let lesson = start(&Binary::built("lesson-06"), &settings);
    let (jar, _) = log_in(&lesson, "nm=Tim", "Rocket");
    let refused = refused_while_busy(&lesson, &jar, busy, "Rocket");
    assert!(
        refused.is_some_and(|after| after >= Duration::from_secs(2)),
        "Rocket: refused after {refused:?}"
    );
}

fn on_redis(redis: &RedisServer, key: &str) -> Settings {
    Settings {
        secret_key: Some(key.to_owned()),
        extra_env: vec![("ROCKET_SESSION_STORE".to_owned(), redis.url())],
        ..Settings::default()
    }
}

#[test]
#[ignore = "needs python3-venv and redis-server: see README"]
fn flask_sessions_bare_id_works_under_any_key_rockets_is_refused_under_another() {
    let redis = RedisServer::start("README.md");
    let [old, new] = specs::TEST_ONLY_SECRET_KEYS;
    for (program, side, after_rotation) in [
        (
            &FlaskTwin::new("lesson_07.py") as &dyn Program,
            "Flask",
            200,
        ),
        (&Binary::built("lesson-07"), "Rocket", 303),
    ] {
        let (jar, _) = log_in(&start(program, &on_redis(&redis, old)), "nm=Tim", side);
        let rotated = start(program, &on_redis(&redis, new));
        let page = rotated.get("/user", &[&jar.header()]);
        assert_eq!(page.status, after_rotation, "{side}: {page:?}");
    }
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn with_redis_down_flask_starts_and_answers_503_rocket_refuses_to_launch() {
    // Nothing listens on this port: Redis is down from the start.
    let down = format!("redis://127.0.0.1:{}", test_support::free_port());
    let settings = Settings {
        extra_env: vec![("ROCKET_SESSION_STORE".to_owned(), down)],
        ..Settings::default()
    };
    let twin = start(&FlaskTwin::new("lesson_07.py"), &settings);
    assert_page(&twin.get("/", &[]), &["Log in"], "Flask");
    let login = twin.post_form("/login", "nm=Tim", &[]);
    assert_eq!(login.status, 503, "{login:?}");
    assert!(login.header_values("Set-Cookie").is_empty(), "{login:?}");

    let launch = Binary::built("lesson-07").start(&settings);
    assert!(launch.is_err(), "Rocket: lesson-07 started with Redis down");
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn a_fallback_that_is_no_key_flask_takes_rocket_refuses_to_launch() {
    let fallbacks = r#"["c2VjcmV0LWJ1dC10b28tc2hvcnQtdG8tYmUta2V5"]"#;
    let settings = Settings {
        extra_env: vec![(
            "ROCKET_SECRET_KEY_FALLBACKS".to_owned(),
            fallbacks.to_owned(),
        )],
        ..Settings::default()
    };
    let twin = start(&FlaskTwin::new("lesson_07.py"), &settings);
    log_in(&twin, "nm=Tim", "Flask");
    let launch = Binary::built("lesson-07").start(&settings);
    assert!(
        launch.is_err(),
        "Rocket: lesson-07 started with that fallback"
    );
}

#[test]
#[ignore = "needs python3-venv: see README"]
fn an_absolute_lifetime_flask_has_none_rocket_ends_a_busy_session() {
    let settings = Settings {
        extra_env: vec![(
            "ROCKET_SESSION_ABSOLUTE_LIFETIME".to_owned(),
            "2".to_owned(),
        )],
        ..Settings::default()
    };
    for (program, side, ended) in [
        (
            &FlaskTwin::new("lesson_07.py") as &dyn Program,
            "Flask",
            false,
        ),
        (&Binary::built("lesson-07"), "Rocket", true),
    ] {
        let app = start(program, &settings);
        let (mut jar, _) = log_in(&app, "nm=Tim&remember=on", side);
        // Busy every 200 ms for 4 s: a sliding lifetime of 300 s alone would never end it.
        let busy = Instant::now();
        let mut page = jar.get(&app, "/user");
        while page.status == 200 && busy.elapsed() < Duration::from_secs(4) {
            std::thread::sleep(Duration::from_millis(200));
            page = jar.get(&app, "/user");
        }
        if ended {
            assert_redirect(&page, "/login", side);
        } else {
            assert_page(&page, &["Hello, Tim"], side);
        }
    }
}
