//! Tests against a real Redis (Debian package `redis-server`), each with its own server on a free
//! port, `#[ignore]`d: `cargo test -p lesson-07 -- --ignored` (CI does, through `.ci/run`).

use super::super::store::{RedisStore, SessionStore};
use super::super::SessionData;
use super::{app_with_key, set_cookie_headers, store, tim, with_setting, Browser, TEST_KEY};
use rocket::http::Status;
use rocket::local::blocking::Client;
use test_support::redis::RedisServer;

const README: &str = "lesson-07-production/README.md";

/// A server whose sessions live in `redis`. Two of them are two servers sharing one store.
fn server_on(redis: &RedisServer) -> Client {
    let app = with_setting(app_with_key(TEST_KEY), "session_store", redis.url());
    Client::untracked(app).expect("the app launches with Redis running")
}

// ANCHOR: test_two_servers
#[test]
#[ignore = "needs redis-server: see README"]
fn two_servers_sharing_redis_share_sessions_logout_and_log_out_everywhere() {
    let redis = RedisServer::start(README);
    let (one, two) = (server_on(&redis), server_on(&redis));
    let laptop = Browser::new(&one);
    laptop.log_in("Tim");
    let cookie = laptop.session_cookie().unwrap();
    assert_eq!(Browser::holding(&two, &cookie).logged_in_as(), tim());
    let phone = Browser::new(&two);
    phone.log_in("Tim");
    let anns = Browser::new(&two);
    anns.log_in("Ann");
    // "Log out everywhere" on server one ends Tim's sessions on both servers, not Ann's.
    let response = laptop.post("/logout/everywhere", "");
    assert_eq!(response.status(), Status::SeeOther);
    drop(response);
    assert_eq!(phone.logged_in_as(), None);
    assert_eq!(Browser::holding(&two, &cookie).logged_in_as(), None);
    assert_eq!(anns.logged_in_as().as_deref(), Some("Ann"));
    // A plain logout on server two refuses the copy on server one.
    anns.log_in("Ann");
    let copy = anns.session_cookie().unwrap();
    anns.get("/logout");
    assert_eq!(Browser::holding(&one, &copy).logged_in_as(), None);
}
// ANCHOR_END: test_two_servers

#[test]
#[ignore = "needs redis-server: see README"]
fn redis_keeps_the_session_for_what_is_left_of_the_absolute_lifetime() {
    let redis = RedisServer::start(README);
    let app = with_setting(app_with_key(TEST_KEY), "session_store", redis.url());
    let server = Client::untracked(with_setting(app, "session_absolute_lifetime", 60)).unwrap();
    let id = Browser::new(&server).log_in("Tim");
    let ttl: i64 = redis
        .command(&format!("PTTL lesson-07:session:{id}"))
        .and_then(|reply| reply.strip_prefix(':').and_then(|ms| ms.parse().ok()))
        .expect("PTTL answers with a number");
    assert!(0 < ttl && ttl <= 60_000, "the key's TTL is {ttl} ms");
    let user_ttl = redis.command("PTTL lesson-07:user:Tim");
    assert!(user_ttl.is_some_and(|reply| reply != ":-1" && reply != ":-2"));
}

#[rocket::async_test]
#[ignore = "needs redis-server: see README"]
async fn a_late_refresh_cannot_bring_a_deleted_session_back_in_redis() {
    let redis = RedisServer::start(README);
    let store = RedisStore::connect(&redis.url()).await.unwrap();
    let id = super::super::new_id();
    let now = chrono::Utc::now();
    let session = SessionData {
        user: "Tim".to_owned(),
        permanent: true,
        started: now,
        expires: now + chrono::TimeDelta::seconds(300),
    };
    store.write(&id, &session, false).await.unwrap();
    assert!(store.get(&id).await.unwrap().is_some());
    store.delete_all_of("Tim").await.unwrap();
    store.write(&id, &session, true).await.unwrap();
    assert!(store.get(&id).await.unwrap().is_none());
}

// ANCHOR: test_redis_lost
#[test]
#[ignore = "needs redis-server: see README"]
fn an_outage_changes_nothing_and_the_first_request_after_it_works_on_every_server() {
    let mut redis = RedisServer::start(README);
    let (one, two) = (server_on(&redis), server_on(&redis));
    let browser = Browser::new(&one);
    browser.log_in("Tim");
    let cookie = browser.session_cookie().unwrap();
    redis.stop();
    for response in [
        browser.get("/"),
        browser.get("/login"),
        browser.get("/user"),
        browser.get("/logout"),
        browser.post("/login", "nm=Ann&remember=on"),
        browser.post("/logout/everywhere", ""),
        Browser::new(&two).post("/login", "nm=Ann"),
    ] {
        assert_eq!(response.status(), Status::ServiceUnavailable);
        assert!(set_cookie_headers(&response).is_empty());
        let page = response.into_string().unwrap();
        assert!(
            page.contains("The session store is not answering"),
            "{page}"
        );
    }
    assert_eq!(browser.session_cookie(), Some(cookie));
    // Back (and empty: it keeps nothing on disk). `restart` returns once Redis answers PING.
    redis.restart(README);
    for server in [&one, &two] {
        let first = Browser::new(server).post("/login", "nm=Tim");
        assert_eq!(
            first.status(),
            Status::SeeOther,
            "the first request after Redis returned"
        );
    }
    assert_eq!(
        browser.logged_in_as(),
        None,
        "the new Redis holds no sessions"
    );
}
// ANCHOR_END: test_redis_lost

#[test]
#[ignore = "needs redis-server: see README"]
fn two_requests_at_once_the_last_write_wins_in_redis_too() {
    let redis = RedisServer::start(README);
    let server = server_on(&redis);
    let browser = Browser::new(&server);
    let id = browser.log_in("Tim");
    let store = store(&server);
    let mut read_by_b = rocket::execute(store.get(&id)).unwrap().unwrap();
    read_by_b.expires -= chrono::TimeDelta::seconds(100);
    browser.page("/user"); // A: a page load, which refreshes the session.
    rocket::execute(store.write(&id, &read_by_b, true)).unwrap();
    let held = rocket::execute(store.get(&id)).unwrap().unwrap();
    assert_eq!(held.expires, read_by_b.expires);
}
