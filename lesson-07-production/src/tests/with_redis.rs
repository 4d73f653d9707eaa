//! Tests against a real Redis, each with its own server on a free port, `#[ignore]`d: `cargo test
//! -p lesson-07 -- --ignored` (CI does, through `.ci/run`). Each runs twice: on the machine's Redis
//! (Debian package `redis-server`) and on Redis 6.2 (`tools/test-support/redis-6`), since the lesson
//! promises Redis 6.0 and later.

use super::super::store::Store;
use super::super::SessionData;
use super::{app_with_key, set_cookie_headers, store, tim, with_setting, Browser, TEST_KEY};
use rocket::http::Status;
use rocket::local::blocking::Client;
use test_support::redis::RedisServer;

const README: &str = "lesson-07-production/README.md";

/// The machine's Redis, then a Redis 6.2, each started when the loop reaches it.
fn every_redis() -> impl Iterator<Item = RedisServer> {
    let starts: [fn(&str) -> RedisServer; 2] = [RedisServer::start, RedisServer::start_6];
    starts.into_iter().map(|start| start(README))
}

/// A server whose sessions live in `redis`. Two of them are two servers sharing one store.
fn server_on(redis: &RedisServer) -> Client {
    let app = with_setting(app_with_key(TEST_KEY), "session_store", redis.url());
    Client::untracked(app).expect("the app launches with Redis running")
}

/// The key's time to live in milliseconds, as Redis's PTTL answers (-2: no such key, -1: none).
fn pttl(redis: &RedisServer, key: &str) -> i64 {
    let reply = redis.command(&format!("PTTL {key}"));
    let ms = reply.as_deref().and_then(|reply| reply.strip_prefix(':'));
    ms.and_then(|ms| ms.parse().ok())
        .expect("PTTL answers with a number")
}

// ANCHOR: test_two_servers
#[test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
fn two_servers_sharing_redis_share_sessions_logout_and_log_out_everywhere() {
    for redis in every_redis() {
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
}
// ANCHOR_END: test_two_servers

#[test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
fn redis_keeps_the_session_for_what_is_left_and_the_users_set_longer() {
    for redis in every_redis() {
        let app = with_setting(app_with_key(TEST_KEY), "session_store", redis.url());
        let server = Client::untracked(with_setting(app, "session_absolute_lifetime", 60)).unwrap();
        let browser = Browser::new(&server);
        let id = browser.log_in("Tim");
        let ttl = pttl(&redis, &format!("lesson-07:session:{id}"));
        assert!(0 < ttl && ttl <= 60_000, "the session's TTL is {ttl} ms");
        // The set of Tim's ids lives for the whole sliding lifetime (300 s) after each write,
        // longer than any of his sessions, so that "log out everywhere" finds every one.
        let user_ttl = pttl(&redis, "lesson-07:user:Tim");
        assert!(
            60_000 < user_ttl && user_ttl <= 300_000,
            "the set's TTL is {user_ttl} ms"
        );
        redis.command("PEXPIRE lesson-07:user:Tim 5000");
        browser.page("/user"); // A refresh puts the set's time back to the whole lifetime.
        let user_ttl = pttl(&redis, "lesson-07:user:Tim");
        assert!(
            60_000 < user_ttl,
            "the set's TTL after a refresh is {user_ttl} ms"
        );
    }
}

#[rocket::async_test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
async fn a_late_refresh_cannot_bring_a_deleted_session_back_in_redis() {
    for redis in every_redis() {
        let lifetime = chrono::TimeDelta::seconds(300);
        let store = Store::redis(&redis.url(), lifetime).await.unwrap();
        let id = super::super::new_id();
        let now = chrono::Utc::now();
        let session = SessionData {
            user: "Tim".to_owned(),
            permanent: true,
            started: now,
            expires: now + lifetime,
        };
        store.insert(&id, &session).await.unwrap();
        assert!(store.get(&id).await.unwrap().is_some());
        store.delete_all_of("Tim").await.unwrap();
        store.refresh(&id, &session).await.unwrap();
        assert!(store.get(&id).await.unwrap().is_none());
    }
}

#[test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
fn a_command_redis_refuses_is_not_reported_as_an_outage() {
    let redis = RedisServer::start_6(README);
    let mut connection = redis::Client::open(redis.url()).unwrap();
    // `PEXPIRE … NX` came with Redis 7.0: Redis 6 answers with an error, it does not go away.
    let mut nx = redis::cmd("PEXPIRE");
    nx.arg("a-key").arg(1000).arg("NX");
    let refused = nx.query::<()>(&mut connection).unwrap_err();
    assert_eq!(
        super::super::store::what_happened(&refused),
        "refused the command"
    );
    drop(redis);
    let lost = redis::cmd("PING").query::<()>(&mut connection).unwrap_err();
    assert_eq!(super::super::store::what_happened(&lost), "did not answer");
}

#[test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
fn a_refused_command_answers_503_and_changes_no_cookie() {
    for redis in every_redis() {
        let server = server_on(&redis);
        // Tim's set of ids is a string now: Redis refuses SADD on it (WRONGTYPE).
        redis.command("SET lesson-07:user:Tim not-a-set");
        let response = Browser::new(&server).post("/login", "nm=Tim");
        assert_eq!(response.status(), Status::ServiceUnavailable);
        assert!(set_cookie_headers(&response).is_empty());
    }
}

// ANCHOR: test_redis_lost
#[test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
fn an_outage_changes_nothing_and_the_first_request_after_it_works_on_every_server() {
    for mut redis in every_redis() {
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
                page.contains("The session store cannot be reached or refused the request"),
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
}
// ANCHOR_END: test_redis_lost

#[test]
#[ignore = "needs redis-server and tools/test-support/redis-6: see README"]
fn two_requests_at_once_the_last_write_wins_in_redis_too() {
    for redis in every_redis() {
        let server = server_on(&redis);
        let browser = Browser::new(&server);
        let id = browser.log_in("Tim");
        let store = store(&server);
        let mut read_by_b = rocket::execute(store.get(&id)).unwrap().unwrap();
        read_by_b.expires -= chrono::TimeDelta::seconds(100);
        browser.page("/user"); // A: a page load, which refreshes the session.
        rocket::execute(store.refresh(&id, &read_by_b)).unwrap();
        let held = rocket::execute(store.get(&id)).unwrap().unwrap();
        assert_eq!(held.expires, read_by_b.expires);
    }
}
