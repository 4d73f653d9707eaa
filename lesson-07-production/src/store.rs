//! Where lesson 07 keeps its sessions: lesson 06's map in this process's memory (the default), or
//! Redis, shared by every server that names it.

use chrono::{DateTime, TimeDelta, Utc};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, Pipeline, RedisError};
use rocket::http::Status;
use rocket::tokio::sync::Mutex;
use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::time::Duration;

use crate::SessionData;

// ANCHOR: trait
/// The store `open_store` chose at launch: each method says what either store does. It answers
/// `Ok` once all of its work is done, or `Err(503)` when the store cannot do it now.
pub(crate) enum Store {
    Memory(Mutex<Sessions>),
    Redis(RedisStore),
}

type Answer<T = ()> = Result<T, Status>;

impl Store {
    pub(crate) async fn get(&self, id: &str) -> Answer<Option<SessionData>> {
        match self {
            Store::Memory(memory) => Ok(memory.lock().await.by_id.get(id).cloned()),
            Store::Redis(redis) => {
                let (json,): (Option<String>,) = redis.run(redis::pipe().get(key(id))).await?;
                Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
            }
        }
    }

    /// A login's new session.
    pub(crate) async fn insert(&self, id: &str, data: &SessionData) -> Answer {
        match self {
            Store::Memory(memory) => memory.lock().await.insert(id, data),
            Store::Redis(redis) => return redis.set(id, data, None).await,
        }
        Ok(())
    }

    /// The session with its new expiry, only if still held: a late refresh cannot bring back a
    /// session that a logout deleted meanwhile.
    pub(crate) async fn refresh(&self, id: &str, data: &SessionData) -> Answer {
        match self {
            Store::Memory(memory) => memory.lock().await.refresh(id, data),
            Store::Redis(redis) => return redis.set(id, data, Some("XX")).await,
        }
        Ok(())
    }

    pub(crate) async fn delete(&self, id: &str) -> Answer {
        match self {
            Store::Memory(memory) => memory.lock().await.remove(id),
            Store::Redis(redis) => return redis.run(redis::pipe().del(key(id))).await,
        }
        Ok(())
    }

    /// "Log out everywhere". In memory it looks at every session, as lesson 06 does: it takes a
    /// session of the user, not a login. In Redis it deletes the ids it read from the user's set.
    pub(crate) async fn delete_all_of(&self, user: &str) -> Answer {
        match self {
            Store::Memory(memory) => memory.lock().await.delete_all_of(user),
            Store::Redis(redis) => return redis.delete_all_of(user).await,
        }
        Ok(())
    }
}
// ANCHOR_END: trait

// ANCHOR: memory
/// Lesson 06's map, lost on restart and seen by no other process, with the sessions also in the
/// order they end: a login drops the ended ones from the front, each once, instead of looking at
/// every session, and when `capacity` are held the one nearest its end (as cachelib's
/// `SimpleCache` does past its `threshold`).
pub(crate) struct Sessions {
    capacity: usize,
    by_id: HashMap<String, SessionData>,
    by_end: BTreeSet<(DateTime<Utc>, String)>,
}

impl Store {
    pub(crate) fn memory(capacity: NonZeroUsize) -> Store {
        Store::Memory(Mutex::new(Sessions {
            capacity: capacity.get(),
            by_id: HashMap::new(),
            by_end: BTreeSet::new(),
        }))
    }
}

impl Sessions {
    fn insert(&mut self, id: &str, data: &SessionData) {
        let now = Utc::now();
        while let Some((end, first)) = self.by_end.first().cloned() {
            if end > now && self.by_id.len() < self.capacity {
                break;
            }
            self.remove(&first);
        }
        self.put(id, data);
    }

    fn refresh(&mut self, id: &str, data: &SessionData) {
        if self.by_id.contains_key(id) {
            self.put(id, data);
        }
    }

    fn put(&mut self, id: &str, data: &SessionData) {
        self.remove(id);
        self.by_end.insert((data.expires, id.to_owned()));
        self.by_id.insert(id.to_owned(), data.clone());
    }

    fn remove(&mut self, id: &str) {
        if let Some(data) = self.by_id.remove(id) {
            self.by_end.remove(&(data.expires, id.to_owned()));
        }
    }

    fn delete_all_of(&mut self, user: &str) {
        let theirs = self.by_id.iter().filter(|(_, data)| data.user == user);
        for id in theirs.map(|(id, _)| id.clone()).collect::<Vec<_>>() {
            self.remove(&id);
        }
    }
}
// ANCHOR_END: memory

// ANCHOR: redis
/// Sessions in Redis: `lesson-07:session:<id>` (JSON, its TTL what is left of the session) and
/// `lesson-07:user:<name>` (the set of that user's ids, for "log out everywhere"), kept for
/// `lifetime` after each write: no session outlives that. Every command is in Redis 6.0.
pub(crate) struct RedisStore {
    manager: ConnectionManager,
    lifetime: TimeDelta,
}

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(1));

impl Store {
    /// Connects; an error here refuses the launch, naming host and port only (never a password).
    pub(crate) async fn redis(url: &str, lifetime: TimeDelta) -> Result<Store, String> {
        let client = redis::Client::open(url)
            .map_err(|e| format!("`session_store` is not a Redis URL (redis://host:port): {e}"))?;
        let address = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new().set_number_of_retries(0);
        let config = config.set_connection_timeout(TIMEOUT);
        let config = config.set_response_timeout(TIMEOUT);
        match client.get_connection_manager_with_config(config).await {
            Ok(manager) => Ok(Store::Redis(RedisStore { manager, lifetime })),
            Err(e) => Err(format!("cannot reach Redis at {address}: {e}")),
        }
    }
}

impl RedisStore {
    /// SET with a TTL (`XX`: only if the key exists), SADD to the user's set and PEXPIRE it for
    /// the whole lifetime, at least as long as any session of the user: one MULTI … EXEC.
    async fn set(&self, id: &str, data: &SessionData, condition: Option<&str>) -> Answer {
        let json = serde_json::to_string(data).expect("strings, a bool and dates serialise");
        let millis = (data.expires - Utc::now()).num_milliseconds().max(1);
        let (mut pipe, user) = (redis::pipe(), user_key(&data.user));
        let set = pipe.atomic().cmd("SET").arg(key(id)).arg(json);
        set.arg("PX").arg(millis).arg(condition);
        pipe.sadd(&user, id);
        pipe.pexpire(&user, self.lifetime.num_milliseconds());
        self.run(&pipe).await
    }

    async fn delete_all_of(&self, user: &str) -> Answer {
        let (ids,): (Vec<String>,) = self.run(redis::pipe().smembers(user_key(user))).await?;
        if ids.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = ids.iter().map(|id| key(id)).collect();
        self.run(redis::pipe().atomic().del(keys).srem(user_key(user), ids))
            .await
    }

    // ANCHOR: retry
    /// Runs `pipe`, and once more if the connection failed: the manager answers the first call
    /// after an outage with the old error while it reconnects. Every pipe here is idempotent.
    async fn run<T: FromRedisValue>(&self, pipe: &Pipeline) -> Answer<T> {
        let mut connection = self.manager.clone();
        match pipe.query_async(&mut connection).await {
            Err(e) if e.is_io_error() || e.is_unrecoverable_error() => {
                pipe.query_async(&mut connection).await.map_err(unavailable)
            }
            result => result.map_err(unavailable),
        }
    }
    // ANCHOR_END: retry
}

fn key(id: &str) -> String {
    format!("lesson-07:session:{id}")
}

fn user_key(user: &str) -> String {
    format!("lesson-07:user:{user}")
}

/// Either way this server cannot keep or read a session now: 503, and the log says which it was.
fn unavailable(error: RedisError) -> Status {
    rocket::error!("the session store {}: {error}", what_happened(&error));
    Status::ServiceUnavailable
}

/// An outage (no connection, no answer in time), or an answer that is an error (a command this
/// Redis does not know, a key of the wrong type, a full memory): the second is no outage.
pub(crate) fn what_happened(error: &RedisError) -> &'static str {
    match error.is_io_error() {
        true => "did not answer",
        false => "refused the command",
    }
}
// ANCHOR_END: redis
