//! Where lesson 07 keeps its sessions: a small trait, this process's memory (the default) and Redis
//! (shared by every server configured with it). Both stores forget a session when its time is up.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::Utc;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{FromRedisValue, Pipeline, RedisError};
use rocket::async_trait;
use rocket::http::Status;

use crate::SessionData;

// ANCHOR: session_id
/// 128 random bits from the operating system, as 32 hex digits: all the cookie holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SessionId(String);

impl SessionId {
    pub(crate) fn new() -> SessionId {
        let mut bits = [0u8; 16];
        getrandom::getrandom(&mut bits).expect("the operating system's random number generator");
        SessionId(format!("{:032x}", u128::from_be_bytes(bits)))
    }

    /// The id in a decrypted cookie value, if it has the form `new` gives it.
    pub(crate) fn parse(value: &str) -> Option<SessionId> {
        let hex = |b: u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
        (value.len() == 32 && value.bytes().all(hex)).then(|| SessionId(value.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}
// ANCHOR_END: session_id

pub(crate) type Done = Result<(), StoreError>;

/// The store did not answer: the request gets the 503 page.
#[derive(Debug)]
pub(crate) struct StoreError(String);

impl StoreError {
    pub(crate) fn log(self) -> Status {
        rocket::error!("the session store did not answer: {}", self.0);
        Status::ServiceUnavailable
    }
}

impl From<RedisError> for StoreError {
    fn from(error: RedisError) -> StoreError {
        StoreError(error.to_string())
    }
}

// ANCHOR: trait
/// What the app asks of a store. A method that returns `Ok` has done all of its work.
#[async_trait]
pub(crate) trait SessionStore: Send + Sync {
    /// The session under `id`, `None` if there is none or its time is up.
    async fn get(&self, id: &SessionId) -> Result<Option<SessionData>, StoreError>;
    /// Stores `data` under `id` until `data.expires`; with `if_held`, only over a session the store
    /// still holds, so that one deleted meanwhile (a logout elsewhere) stays deleted.
    async fn write(&self, id: &SessionId, data: &SessionData, if_held: bool) -> Done;
    async fn delete(&self, id: &SessionId) -> Done;
    /// Deletes every session of `user`: "log out everywhere".
    async fn delete_all_of(&self, user: &str) -> Done;
}
// ANCHOR_END: trait

// ANCHOR: memory
type Sessions = HashMap<SessionId, SessionData>;

/// The default: a map in this process's memory, lost on restart and seen by no other process.
#[derive(Default)]
pub(crate) struct MemoryStore(Mutex<Sessions>);

impl MemoryStore {
    /// The map, every session whose time is up removed first.
    fn live(&self) -> MutexGuard<'_, Sessions> {
        let mut sessions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Utc::now();
        sessions.retain(|_, data| data.expires > now);
        sessions
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn get(&self, id: &SessionId) -> Result<Option<SessionData>, StoreError> {
        Ok(self.live().get(id).cloned())
    }

    async fn write(&self, id: &SessionId, data: &SessionData, if_held: bool) -> Done {
        let mut sessions = self.live();
        if !if_held || sessions.contains_key(id) {
            sessions.insert(id.clone(), data.clone());
        }
        Ok(())
    }

    async fn delete(&self, id: &SessionId) -> Done {
        self.live().remove(id);
        Ok(())
    }

    async fn delete_all_of(&self, user: &str) -> Done {
        self.live()
            .retain(|_, data| data.user.as_deref() != Some(user));
        Ok(())
    }
}
// ANCHOR_END: memory

/// How long Redis may take to connect, or to answer, before the request gets a 503.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

// ANCHOR: redis
/// Sessions in Redis: `lesson-07:session:<id>` (JSON, its TTL what is left of the session) and
/// `lesson-07:user:<name>` (the set of that user's ids, for "log out everywhere").
pub(crate) struct RedisStore {
    connection: ConnectionManager,
    /// Host and port only, for messages: the URL may hold a password.
    address: String,
}

impl RedisStore {
    /// Connects and checks that Redis answers; an error here refuses the launch.
    pub(crate) async fn connect(url: &str) -> Result<RedisStore, String> {
        let client = redis::Client::open(url)
            .map_err(|e| format!("`session_store` is not a Redis URL (redis://host:port): {e}"))?;
        let address = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(0);
        let unreachable = |e: RedisError| format!("cannot reach Redis at {address}: {e}");
        let connection = client
            .get_connection_manager_with_config(config)
            .await
            .map_err(unreachable)?;
        let store = RedisStore {
            connection,
            address,
        };
        match store.run::<()>(redis::pipe().cmd("PING")).await {
            Ok(()) => Ok(store),
            Err(e) => Err(format!("cannot reach Redis at {}: {}", store.address, e.0)),
        }
    }

    pub(crate) fn address(&self) -> &str {
        &self.address
    }

    // ANCHOR: retry
    /// Runs `pipe`, and once more if the connection failed: the manager answers the first call
    /// after an outage with the old error while it reconnects. Every pipe here is idempotent.
    async fn run<T: FromRedisValue>(&self, pipe: &Pipeline) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        match pipe.query_async(&mut connection).await {
            Err(e) if e.is_io_error() || e.is_unrecoverable_error() => {
                Ok(pipe.query_async(&mut connection).await?)
            }
            result => Ok(result?),
        }
    }
    // ANCHOR_END: retry
}

fn session_key(id: &str) -> String {
    format!("lesson-07:session:{id}")
}

fn user_key(user: &str) -> String {
    format!("lesson-07:user:{user}")
}

/// What is left of the session in whole milliseconds for `PX`, at least one.
fn millis(data: &SessionData) -> i64 {
    (data.expires - Utc::now()).num_milliseconds().max(1)
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn get(&self, id: &SessionId) -> Result<Option<SessionData>, StoreError> {
        let get = redis::pipe()
            .cmd("GET")
            .arg(session_key(id.as_str()))
            .clone();
        let (json,): (Option<String>,) = self.run(&get).await?;
        // A value this version cannot read counts as no session.
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// SET with a TTL (`XX`: only if the key exists) and add the id to the user's set, in one
    /// MULTI … EXEC: all of it or none.
    async fn write(&self, id: &SessionId, data: &SessionData, if_held: bool) -> Done {
        let json = serde_json::to_string(data).expect("strings, a bool and dates serialise");
        let mut pipe = redis::pipe();
        let set = pipe.atomic().cmd("SET").arg(session_key(id.as_str()));
        set.arg(json).arg("PX").arg(millis(data));
        if if_held {
            set.arg("XX");
        }
        if let Some(user) = &data.user {
            pipe.cmd("SADD").arg(user_key(user)).arg(id.as_str());
            // The set outlives its longest session: NX sets a new set's TTL, GT lengthens it.
            for when in ["NX", "GT"] {
                pipe.cmd("PEXPIRE")
                    .arg(user_key(user))
                    .arg(millis(data))
                    .arg(when);
            }
        }
        self.run::<()>(&pipe).await
    }

    async fn delete(&self, id: &SessionId) -> Done {
        self.run(redis::pipe().cmd("DEL").arg(session_key(id.as_str())))
            .await
    }

    async fn delete_all_of(&self, user: &str) -> Done {
        let members = redis::pipe().cmd("SMEMBERS").arg(user_key(user)).clone();
        let (ids,): (Vec<String>,) = self.run(&members).await?;
        if ids.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = ids.iter().map(|id| session_key(id)).collect();
        // Exactly these ids: a login on another server at this moment is newer than the click.
        let mut pipe = redis::pipe();
        pipe.atomic()
            .cmd("DEL")
            .arg(&keys)
            .cmd("SREM")
            .arg(user_key(user))
            .arg(&ids);
        self.run::<()>(&pipe).await
    }
}
// ANCHOR_END: redis
