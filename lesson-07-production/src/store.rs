//! Where lesson 07 keeps its sessions: a small trait, lesson 06's map in this process's memory
//! (the default), and Redis (shared by every server that names it).

use chrono::{TimeDelta, Utc};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, Pipeline, RedisError};
use rocket::tokio::sync::Mutex;
use rocket::{async_trait, http::Status};
use std::collections::HashMap;
use std::time::Duration;

use crate::SessionData;

/// Either way this server cannot keep or read a session now: 503, and the log says which it was.
fn unavailable(error: RedisError) -> Status {
    rocket::error!("the session store {}: {error}", what_happened(&error));
    Status::ServiceUnavailable
}

/// An outage (no connection, no answer in time), or an answer that is an error (a command this
/// Redis does not know, a full memory, a read-only replica): the second is no outage.
pub(crate) fn what_happened(error: &RedisError) -> &'static str {
    match error.is_io_error() {
        true => "did not answer",
        false => "refused the command",
    }
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
}
// ANCHOR_END: memory

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(1));

// ANCHOR: redis
/// Sessions in Redis: `lesson-07:session:<id>` (JSON, its TTL what is left of the session) and
/// `lesson-07:user:<name>` (the set of that user's ids, for "log out everywhere"), kept for
/// `lifetime` after each write: no session outlives that. Every command is in Redis 6.0.
pub(crate) struct RedisStore {
    connection: ConnectionManager,
    lifetime: TimeDelta,
}

impl RedisStore {
    /// Connects; an error here refuses the launch, naming host and port only (never a password).
    pub(crate) async fn connect(url: &str, lifetime: TimeDelta) -> Result<RedisStore, String> {
        let client = redis::Client::open(url)
            .map_err(|e| format!("`session_store` is not a Redis URL (redis://host:port): {e}"))?;
        let address = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new().set_number_of_retries(0);
        let config = config.set_connection_timeout(TIMEOUT);
        let config = config.set_response_timeout(TIMEOUT);
        match client.get_connection_manager_with_config(config).await {
            Ok(connection) => Ok(RedisStore {
                connection,
                lifetime,
            }),
            Err(e) => Err(format!("cannot reach Redis at {address}: {e}")),
        }
    }

    // ANCHOR: retry
    /// Runs `pipe`, and once more if the connection failed: the manager answers the first call
    /// after an outage with the old error while it reconnects. Every pipe here is idempotent.
    async fn run<T: FromRedisValue>(&self, pipe: &Pipeline) -> Result<T, Status> {
        let mut connection = self.connection.clone();
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

    /// SET with a TTL (`XX`: only if still held), SADD to the user's set and PEXPIRE it for the
    /// whole lifetime (at least as long as any session of the user): one MULTI … EXEC.
    async fn write(&self, id: &str, data: &SessionData, if_held: bool) -> Result<(), Status> {
        let json = serde_json::to_string(data).expect("strings, a bool and dates serialise");
        let millis = (data.expires - Utc::now()).num_milliseconds().max(1);
        let (mut pipe, user) = (redis::pipe(), key("user", &data.user));
        let set = pipe.atomic().cmd("SET").arg(key("session", id)).arg(json);
        set.arg("PX").arg(millis).arg(if_held.then_some("XX"));
        pipe.sadd(&user, id);
        pipe.pexpire(&user, self.lifetime.num_milliseconds());
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
}
// ANCHOR_END: redis
