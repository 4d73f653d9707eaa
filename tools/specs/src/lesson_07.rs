//! Lesson 07, sessions in production: several servers share one Redis, an outage changes nothing
//! and the first request after it works, old keys in `secret_key_fallbacks` keep users logged in
//! across a rotation, `cookie_secure` adds `Secure`, `session_absolute_lifetime` ends busy sessions.
//! The checks that need Redis start their own `redis-server` (Debian package `redis-server`).

use std::time::{Duration, Instant};

use test_support::redis::RedisServer;

use crate::steps::{
    assert_greets, assert_no_set_cookie, assert_redirect, assert_status, cookie_header, log_in,
    set_cookie_line, start_with, submit_login,
};
use crate::{Check, Failure, Program, Settings, TEST_ONLY_SECRET_KEYS};

const STORE: &str = "Chapter 7, “1. A store shared by the servers” (docs/src/lesson-07.md#1-a-store-shared-by-the-servers)";
const OUTAGE: &str = "Chapter 7, “2. An outage that loses nothing” (docs/src/lesson-07.md#2-an-outage-that-loses-nothing-a-recovery-that-loses-nothing)";
const ROTATION: &str = "Chapter 7, “3. Rotating the secret key” (docs/src/lesson-07.md#3-rotating-the-secret-key-without-logging-anyone-out)";
const PROXY: &str =
    "Chapter 7, “5. Behind a TLS proxy” (docs/src/lesson-07.md#5-behind-a-tls-proxy)";
const ABSOLUTE: &str =
    "Chapter 7, “6. An absolute lifetime” (docs/src/lesson-07.md#6-an-absolute-lifetime)";
const FLOOD: &str = "Chapter 7, “7. A flood of logins” (docs/src/lesson-07.md#7-a-flood-of-logins)";
const README: &str = "lesson-07-production/README.md";

/// The checks whose names contain this start a `redis-server`.
pub const NEEDS_REDIS: &str = "Redis";

pub(crate) const CHECKS: &[Check] = &[
    Check::new(
        "two servers on one Redis share a session, and “Log out everywhere” on one ends it on the other",
        STORE,
        two_servers_share_a_session,
    )
    .restarting(),
    Check::new(
        "with Redis stopped a page answers 503 and sets no cookie; the first request after Redis returns works",
        OUTAGE,
        an_outage_and_the_first_request_after_it,
    )
    .the_point()
    .restarting(),
    Check::new(
        "on one Redis: a cookie made under the old key is accepted and re-issued with the old key in secret_key_fallbacks, and refused by the new key alone",
        ROTATION,
        a_key_rotation_logs_nobody_out,
    )
    .the_point()
    .restarting(),
    Check::new(
        "a secret_key_fallbacks entry that is not a key stops the launch, and the entry is not printed",
        ROTATION,
        a_bad_fallback_stops_the_launch,
    )
    .the_point()
    .restarting(),
    Check::new(
        "cookie_secure = true adds `Secure` to the session cookie",
        PROXY,
        cookie_secure_adds_secure,
    )
    .the_point()
    .restarting(),
    Check::new(
        "session_absolute_lifetime = 2 ends a session that is used all the time",
        ABSOLUTE,
        the_absolute_lifetime_ends_a_busy_session,
    )
    .the_point()
    .restarting()
    .waiting(),
    Check::new(
        "session_store_capacity = 2 holds two sessions: a third login is held and one of the first two is dropped",
        FLOOD,
        a_full_store_drops_a_session_for_a_login,
    )
    .the_point()
    .restarting(),
];

/// Earlier checks that lesson 07 changes on purpose: none. It keeps every promise of lesson 06
/// (and of the lessons before it that lesson 06 keeps).
pub(crate) const DROPS: &[&str] = &[];

/// Settings with the secret key `key` and the extra environment `env`.
fn settings(key: &str, env: &[(&str, &str)]) -> Settings {
    Settings {
        secret_key: Some(key.to_owned()),
        session_lifetime: None,
        extra_env: env
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
    }
}

fn two_servers_share_a_session(program: &dyn Program) -> Result<(), Failure> {
    let redis = RedisServer::start(README);
    let url = redis.url();
    let on_redis = settings(TEST_ONLY_SECRET_KEYS[0], &[("ROCKET_SESSION_STORE", &url)]);
    let (one, two) = (
        start_with(program, &on_redis)?,
        start_with(program, &on_redis)?,
    );
    let laptop = cookie_header(&[], &log_in(&one, "Tim")?)?;
    assert_greets(&two.get("/user", &[&laptop]), "Tim")?;
    let phone = cookie_header(&[], &log_in(&two, "Tim")?)?;
    assert_redirect(
        &two.post_form("/logout/everywhere", "", &[&phone]),
        "/login",
    )?;
    assert_redirect(&one.get("/user", &[&laptop]), "/login")
}

fn an_outage_and_the_first_request_after_it(program: &dyn Program) -> Result<(), Failure> {
    let mut redis = RedisServer::start(README);
    let url = redis.url();
    let on_redis = settings(TEST_ONLY_SECRET_KEYS[0], &[("ROCKET_SESSION_STORE", &url)]);
    let app = start_with(program, &on_redis)?;
    let cookie = cookie_header(&[], &log_in(&app, "Tim")?)?;
    redis.stop();
    let page = app.get("/user", &[&cookie]);
    assert_status(&page, 503)?;
    assert_no_set_cookie(&page)?;
    // `restart` returns as soon as Redis answers PING: no waiting for the app.
    redis.restart(README);
    submit_login(&app, "nm=Ann", &[]).map(|_| ())
}

fn a_key_rotation_logs_nobody_out(program: &dyn Program) -> Result<(), Failure> {
    let redis = RedisServer::start(README);
    let url = redis.url();
    let [old_key, new_key] = TEST_ONLY_SECRET_KEYS;
    let store = ("ROCKET_SESSION_STORE", url.as_str());
    let old = start_with(program, &settings(old_key, &[store]))?;
    let old_cookie = cookie_header(&[], &log_in(&old, "Tim")?)?;
    drop(old);
    let fallbacks = format!("[\"{old_key}\"]");
    let fallback = ("ROCKET_SECRET_KEY_FALLBACKS", fallbacks.as_str());
    let both = start_with(program, &settings(new_key, &[store, fallback]))?;
    let page = both.get("/user", &[&old_cookie]);
    assert_greets(&page, "Tim")?;
    if set_cookie_line(&page, "session").is_none() {
        return Err(Failure::of(
            "the cookie re-issued under the new key (a Set-Cookie for `session`)",
            &page,
        ));
    }
    let new_cookie = cookie_header(&[&old_cookie], &page)?;
    drop(both);
    let new = start_with(program, &settings(new_key, &[store]))?;
    assert_greets(&new.get("/user", &[&new_cookie]), "Tim")?;
    assert_redirect(&new.get("/user", &[&old_cookie]), "/login")
}

fn a_bad_fallback_stops_the_launch(program: &dyn Program) -> Result<(), Failure> {
    let secret = "c2VjcmV0LWJ1dC10b28tc2hvcnQtdG8tYmUta2V5";
    let fallbacks = format!("[\"{secret}\"]");
    let bad = settings(
        TEST_ONLY_SECRET_KEYS[0],
        &[("ROCKET_SECRET_KEY_FALLBACKS", &fallbacks)],
    );
    match program.start(&bad) {
        Ok(_) => Err(Failure::new(
            "the launch refused",
            "the program started".to_owned(),
        )),
        Err(printed) if printed.contains(secret) => Err(Failure::new(
            "a message that does not print the key",
            printed,
        )),
        Err(_) => Ok(()),
    }
}

fn cookie_secure_adds_secure(program: &dyn Program) -> Result<(), Failure> {
    let secure = settings(
        TEST_ONLY_SECRET_KEYS[0],
        &[("ROCKET_COOKIE_SECURE", "true")],
    );
    let login = log_in(&start_with(program, &secure)?, "Tim")?;
    match set_cookie_line(&login, "session") {
        Some(line) if line.split("; ").any(|attribute| attribute == "Secure") => Ok(()),
        _ => Err(Failure::of("Set-Cookie: session=…; …; Secure; …", &login)),
    }
}

fn the_absolute_lifetime_ends_a_busy_session(program: &dyn Program) -> Result<(), Failure> {
    let two = settings(
        TEST_ONLY_SECRET_KEYS[0],
        &[("ROCKET_SESSION_ABSOLUTE_LIFETIME", "2")],
    );
    let app = start_with(program, &two)?;
    let mut cookie = cookie_header(&[], &submit_login(&app, "nm=Tim&remember=on", &[])?)?;
    let deadline = Instant::now() + Duration::from_secs(6);
    // Busy every 100 ms: a sliding lifetime alone would never end it.
    loop {
        let page = app.get("/user", &[&cookie]);
        if page.status == 303 {
            return assert_redirect(&page, "/login");
        }
        assert_greets(&page, "Tim")?;
        if Instant::now() > deadline {
            return Err(Failure::of(
                "sent to /login within 6 s of logging in",
                &page,
            ));
        }
        cookie = cookie_header(&[&cookie], &page)?;
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn a_full_store_drops_a_session_for_a_login(program: &dyn Program) -> Result<(), Failure> {
    let two = settings(
        TEST_ONLY_SECRET_KEYS[0],
        &[("ROCKET_SESSION_STORE_CAPACITY", "2")],
    );
    let app = start_with(program, &two)?;
    let mut cookies = Vec::new();
    for name in ["Ann", "Bob", "Cid"] {
        cookies.push(cookie_header(&[], &log_in(&app, name)?)?);
    }
    assert_greets(&app.get("/user", &[&cookies[2]]), "Cid")?;
    let held = cookies
        .iter()
        .filter(|cookie| app.get("/user", &[cookie.as_str()]).status == 200)
        .count();
    match held {
        2 => Ok(()),
        _ => Err(Failure {
            request: String::new(),
            expected: "two of the three sessions held (Cid's and one of Ann's and Bob's)"
                .to_owned(),
            got: format!("{held} held"),
        }),
    }
}
