//! Where lesson 07 keeps its sessions: a small trait, lesson 06's map in this process's memory
//! (the default), and Redis (shared by every server that names it).

use chrono::{DateTime, Utc};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, Pipeline, RedisError};
use rocket::tokio::sync::Mutex;
use rocket::{async_trait, http::Status};
use std::collections::HashMap;
use std::time::Duration;

use crate::SessionData;

fn unavailable(error: RedisError) -> Status {
    rocket::error!("the session store did not answer: {error}");
    Status::ServiceUnavailable
}

// ANCHOR: trait
/// What the app asks of a store: `Ok`, all of it done; `Err(503)`, the store did not answer.
#[async_trait]
pub(crate) trait SessionStore: Send + Sync {
    async fn get(&self, id: &str) -> Result<Option<SessionData>, Status>;
    /// Stores `data` until `data.expires`; `if_held`: only if still held, so a deleted one stays so.
    async fn write(&self, id: &str, data: &SessionData, if_held: bool) -> Result<(), Status>;
    async fn delete(&self, id: &str) -> Result<(), Status>;
    async fn delete_all_of(&self, user: &str) -> Result<(), Status>;
    /// Ends the sessions of `user` but the `count` newest (by `logged_in`).
    async fn keep_newest(&self, user: &str, count: usize) -> Result<(), Status>;
}
// ANCHOR_END: trait

// ANCHOR: memory
/// Lesson 06's store: a map in this process's memory, lost on restart and seen by no other process.
pub(crate) type MemoryStore = Mutex<HashMap<String, SessionData>>;

#[async_trait]
impl SessionStore for MemoryStore {
    async fn get(&self, id: &str) -> Result<Option<SessionData>, Status> {
        Ok(self.lock().await.get(id).cloned())
    }

    async fn write(&self, id: &str, data: &SessionData, if_held: bool) -> Result<(), Status> {
        let mut sessions = self.lock().await;
        if !if_held {
            // A login: expired sessions are swept out, as lesson 06 does.
            sessions.retain(|_, session| session.expires > Utc::now());
        }
        if !if_held || sessions.contains_key(id) {
            sessions.insert(id.to_owned(), data.clone());
        }
        Ok(())
    }

    async fn delete(&self, id: &str) -> Result<(), Status> {
        self.lock().await.remove(id);
        Ok(())
    }

    async fn delete_all_of(&self, user: &str) -> Result<(), Status> {
        let mut sessions = self.lock().await;
        sessions.retain(|_, session| session.user != user);
        Ok(())
    }

    async fn keep_newest(&self, user: &str, count: usize) -> Result<(), Status> {
        let mut sessions = self.lock().await;
        let mut mine: Vec<(DateTime<Utc>, String)> = sessions
            .iter()
            .filter(|(_, session)| session.user == user && session.expires > Utc::now())
            .map(|(id, session)| (session.logged_in, id.clone()))
            .collect();
        // Newest first: what is left after the first `count` ends.
        mine.sort_unstable_by(|a, b| b.cmp(a));
        for (_, id) in mine.into_iter().skip(count) {
            sessions.remove(&id);
        }
        Ok(())
    }
}
// ANCHOR_END: memory

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(1));

// ANCHOR: redis
/// Sessions in Redis: `lesson-07:session:<id>` (JSON, its TTL what is left of the session) and
/// `lesson-07:user:<name>` (the set of that user's ids, for "log out everywhere").
pub(crate) struct RedisStore(ConnectionManager);

impl RedisStore {
    /// Connects; an error here refuses the launch, naming host and port only (never a password).
    pub(crate) async fn connect(url: &str) -> Result<RedisStore, String> {
        let client = redis::Client::open(url)
            .map_err(|e| format!("`session_store` is not a Redis URL (redis://host:port): {e}"))?;
        let address = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new().set_number_of_retries(0);
        let config = config.set_connection_timeout(TIMEOUT);
        let config = config.set_response_timeout(TIMEOUT);
        match client.get_connection_manager_with_config(config).await {
            Ok(connection) => Ok(RedisStore(connection)),
            Err(e) => Err(format!("cannot reach Redis at {address}: {e}")),
        }
    }

    // ANCHOR: retry
    /// Runs `pipe`, and once more if the connection failed: the manager answers the first call
    /// after an outage with the old error while it reconnects. Every pipe here is idempotent.
    async fn run<T: FromRedisValue>(&self, pipe: &Pipeline) -> Result<T, Status> {
        let mut connection = self.0.clone();
        match pipe.query_async(&mut connection).await {
            Err(e) if e.is_io_error() || e.is_unrecoverable_error() => {
                pipe.query_async(&mut connection).await.map_err(unavailable)
            }
            result => result.map_err(unavailable),
        }
    }
    // ANCHOR_END: retry
}

fn key(kind: &str, name: &str) -> String {
    format!("lesson-07:{kind}:{name}")
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn get(&self, id: &str) -> Result<Option<SessionData>, Status> {
        let (json,): (Option<String>,) = self.run(redis::pipe().get(key("session", id))).await?;
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// SET with a TTL (`XX`: only if still held), SADD to the user's set: one MULTI … EXEC.
    async fn write(&self, id: &str, data: &SessionData, if_held: bool) -> Result<(), Status> {
        let json = serde_json::to_string(data).expect("strings, a bool and dates serialise");
        let millis = (data.expires - Utc::now()).num_milliseconds().max(1);
        let (mut pipe, user) = (redis::pipe(), key("user", &data.user));
        let set = pipe.atomic().cmd("SET").arg(key("session", id)).arg(json);
        set.arg("PX").arg(millis).arg(if_held.then_some("XX"));
        pipe.sadd(&user, id);
        for when in ["NX", "GT"] {
            pipe.cmd("PEXPIRE").arg(&user).arg(millis).arg(when);
        }
        self.run(&pipe).await
    }

    async fn delete(&self, id: &str) -> Result<(), Status> {
        self.run(redis::pipe().del(key("session", id))).await
    }

    async fn delete_all_of(&self, user: &str) -> Result<(), Status> {
        let (ids,): (Vec<String>,) = self.run(redis::pipe().smembers(key("user", user))).await?;
        if ids.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = ids.iter().map(|id| key("session", id)).collect();
        let mut pipe = redis::pipe();
        pipe.atomic().del(keys).srem(key("user", user), ids);
        self.run(&pipe).await
    }

    /// The user's set names every id since its sessions began; those Redis has forgotten
    /// (expired, logged out) are dropped from it, and of the others the oldest end.
    async fn keep_newest(&self, user: &str, count: usize) -> Result<(), Status> {
        let (ids,): (Vec<String>,) = self.run(redis::pipe().smembers(key("user", user))).await?;
        if ids.len() <= count {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.get(key("session", id));
        }
        let held: Vec<Option<String>> = self.run(&pipe).await?;
        let mut mine: Vec<(DateTime<Utc>, &String)> = Vec::new();
        let mut gone: Vec<&String> = Vec::new();
        for (id, json) in ids.iter().zip(held) {
            match json.and_then(|json| serde_json::from_str::<SessionData>(&json).ok()) {
                Some(session) => mine.push((session.logged_in, id)),
                None => gone.push(id),
            }
        }
        mine.sort_unstable_by(|a, b| b.cmp(a));
        gone.extend(mine.into_iter().skip(count).map(|(_, id)| id));
        if gone.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = gone.iter().map(|id| key("session", id)).collect();
        let mut pipe = redis::pipe();
        pipe.atomic().del(keys).srem(key("user", user), gone);
        self.run(&pipe).await
    }
}
// ANCHOR_END: redis
