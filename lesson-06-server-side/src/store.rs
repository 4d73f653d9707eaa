//! Where lesson 06 keeps its sessions: the small trait every store implements, the in-memory store
//! used by default, and the Redis store used when `session_store` names a Redis server.
//!
//! Both stores enforce the lifetime themselves: the memory store treats a session whose time is up
//! as gone, Redis deletes the key when its TTL runs out. No sweeper runs in the app, and the app
//! never sees an expired session.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::RedisError;
use rocket::async_trait;

use crate::SessionData;

// ANCHOR: session_id
/// The only thing the browser keeps: 128 bits from the operating system's cryptographic random
/// number generator, written as 32 hex digits. An id says nothing about its user, and with 2^128
/// possible values, guessing one that is in use is hopeless.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SessionId(String);

impl SessionId {
    /// A new id, read from the operating system's generator (`getrandom(2)` on Linux).
    pub(crate) fn new() -> SessionId {
        let mut bits = [0u8; 16];
        getrandom::getrandom(&mut bits).expect("the operating system's random number generator");
        SessionId(format!("{:032x}", u128::from_be_bytes(bits)))
    }

    /// The id in a cookie's (decrypted) value, if it has the form `new` gives it.
    pub(crate) fn parse(value: &str) -> Option<SessionId> {
        let well_formed = value.len() == 32
            && value
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        well_formed.then(|| SessionId(value.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}
// ANCHOR_END: session_id

/// The store did not answer (Redis stopped, the network cut). The request gets a 503 page.
#[derive(Debug)]
pub(crate) struct StoreError(String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the session store did not answer: {}", self.0)
    }
}

impl From<RedisError> for StoreError {
    fn from(error: RedisError) -> StoreError {
        StoreError(error.to_string())
    }
}

// ANCHOR: trait
/// What the app asks of a session store. Every method may fail with [`StoreError`] when the store
/// cannot be reached; a method that succeeds has done all of its work.
#[async_trait]
pub(crate) trait SessionStore: Send + Sync {
    /// The session stored under `id`, or `None` if there is none or its lifetime is over.
    async fn get(&self, id: &SessionId) -> Result<Option<SessionData>, StoreError>;

    /// Stores `session` under the new `id`, for `lifetime`.
    async fn put(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
    ) -> Result<(), StoreError>;

    /// Replaces the session under `id` with `session`, for a fresh `lifetime` (the sliding
    /// expiry, and every change). Only over a session the store still holds: one that was deleted
    /// meanwhile, by a logout in another tab or on another server, stays deleted.
    async fn update(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
    ) -> Result<(), StoreError>;

    /// Deletes the session under `id`: whoever still holds that id is logged out.
    async fn delete(&self, id: &SessionId) -> Result<(), StoreError>;

    /// Deletes every session of `user`: "log out everywhere".
    async fn delete_all_of(&self, user: &str) -> Result<(), StoreError>;
}
// ANCHOR_END: trait

// ANCHOR: memory
/// The default store: a map in this process's memory. Nothing to install, but it is lost when the
/// process stops, and a second server process has its own map: it cannot see these sessions.
#[derive(Default)]
pub(crate) struct MemoryStore {
    sessions: Mutex<HashMap<SessionId, (SessionData, Instant)>>,
}

impl MemoryStore {
    /// The map, with every session whose lifetime is over already removed. One pass over all
    /// sessions at every call: fine for a lesson, not for a million sessions.
    fn live_sessions(&self) -> MutexGuard<'_, HashMap<SessionId, (SessionData, Instant)>> {
        // A panic elsewhere while holding the lock leaves the map itself intact: keep using it.
        let mut sessions = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        sessions.retain(|_, (_, ends)| *ends > now);
        sessions
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn get(&self, id: &SessionId) -> Result<Option<SessionData>, StoreError> {
        Ok(self
            .live_sessions()
            .get(id)
            .map(|(session, _)| session.clone()))
    }

    async fn put(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let ends = Instant::now() + lifetime;
        self.live_sessions()
            .insert(id.clone(), (session.clone(), ends));
        Ok(())
    }

    async fn update(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        if let Some(held) = self.live_sessions().get_mut(id) {
            *held = (session.clone(), Instant::now() + lifetime);
        }
        Ok(())
    }

    async fn delete(&self, id: &SessionId) -> Result<(), StoreError> {
        self.live_sessions().remove(id);
        Ok(())
    }

    async fn delete_all_of(&self, user: &str) -> Result<(), StoreError> {
        self.live_sessions()
            .retain(|_, (session, _)| session.user.as_deref() != Some(user));
        Ok(())
    }
}
// ANCHOR_END: memory

/// How long the Redis store waits to connect, and for an answer, before the request gets a 503.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

// ANCHOR: redis
/// Sessions in Redis, shared by every server process that is configured with the same Redis.
///
/// Keys: `lesson-06:session:<id>` holds the session as JSON, with a TTL of the session's lifetime,
/// so Redis itself deletes it when the time is up. `lesson-06:user:<name>` is the set of ids
/// `<name>` has logged in with, so that "log out everywhere" can find them all; it lives as long as
/// the newest of them. An id of a session that has ended may stay in the set until the set expires:
/// deleting it again is harmless.
pub(crate) struct RedisStore {
    // Reconnects by itself after Redis comes back. Cloning it is cheap: every clone shares the
    // same connection.
    connection: ConnectionManager,
    /// Host and port, for messages. (The URL may hold a password.)
    address: String,
}

impl RedisStore {
    /// Connects to the Redis server at `url` and checks that it answers. An error here stops the
    /// launch: a server that cannot keep sessions should not start taking logins.
    pub(crate) async fn connect(url: &str) -> Result<RedisStore, String> {
        let client = redis::Client::open(url)
            .map_err(|e| format!("`session_store` is not a Redis URL (redis://host:port): {e}"))?;
        let address = client.get_connection_info().addr().to_string();
        // One try at a time, each with a short timeout: while Redis is away, a request fails fast
        // with a 503 instead of hanging, and the next request tries to reconnect again.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(0);
        let unreachable = |e: RedisError| format!("cannot reach Redis at {address}: {e}");
        let mut connection = client
            .get_connection_manager_with_config(config)
            .await
            .map_err(unreachable)?;
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map_err(unreachable)?;
        Ok(RedisStore {
            connection,
            address,
        })
    }

    pub(crate) fn address(&self) -> &str {
        &self.address
    }

    fn session_key(id: &str) -> String {
        format!("lesson-06:session:{id}")
    }

    fn user_key(user: &str) -> String {
        format!("lesson-06:user:{user}")
    }

    /// `SET` the session with its TTL (`PX`, in milliseconds) and, for a logged-in user, add the
    /// id to the user's set and give the set the same TTL. Every session gets the same lifetime,
    /// so the set lasts as long as the last of its sessions. MULTI … EXEC: Redis applies all of it
    /// or, if the connection drops first, none.
    async fn write(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
        only_if_held: bool,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(session).expect("strings, a bool and a date serialise");
        let mut transaction = redis::pipe();
        transaction
            .atomic()
            .cmd("SET")
            .arg(Self::session_key(id.as_str()))
            .arg(json)
            .arg("PX")
            .arg(millis(lifetime));
        if only_if_held {
            // `XX`: only if the key exists. Redis checks and writes in one step.
            transaction.arg("XX");
        }
        transaction.ignore();
        if let Some(user) = &session.user {
            let user_key = Self::user_key(user);
            transaction
                .cmd("SADD")
                .arg(&user_key)
                .arg(id.as_str())
                .ignore()
                .cmd("PEXPIRE")
                .arg(&user_key)
                .arg(millis(lifetime))
                .ignore();
        }
        transaction.exec_async(&mut self.connection.clone()).await?;
        Ok(())
    }
}

/// A lifetime as Redis's `PX` wants it: whole milliseconds, at least one.
fn millis(lifetime: Duration) -> u64 {
    u64::try_from(lifetime.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn get(&self, id: &SessionId) -> Result<Option<SessionData>, StoreError> {
        let json: Option<String> = redis::cmd("GET")
            .arg(Self::session_key(id.as_str()))
            .query_async(&mut self.connection.clone())
            .await?;
        // A value this version cannot read (written by an older one, say) counts as no session.
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }

    async fn put(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        self.write(id, session, lifetime, false).await
    }

    async fn update(
        &self,
        id: &SessionId,
        session: &SessionData,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        self.write(id, session, lifetime, true).await
    }

    async fn delete(&self, id: &SessionId) -> Result<(), StoreError> {
        redis::cmd("DEL")
            .arg(Self::session_key(id.as_str()))
            .exec_async(&mut self.connection.clone())
            .await?;
        Ok(())
    }

    async fn delete_all_of(&self, user: &str) -> Result<(), StoreError> {
        let user_key = Self::user_key(user);
        let ids: Vec<String> = redis::cmd("SMEMBERS")
            .arg(&user_key)
            .query_async(&mut self.connection.clone())
            .await?;
        if ids.is_empty() {
            return Ok(());
        }
        let session_keys: Vec<String> = ids.iter().map(|id| Self::session_key(id)).collect();
        // Removing exactly these ids from the set (not the whole set) keeps a login that happens
        // on another server at this very moment: it is newer than the click.
        redis::pipe()
            .atomic()
            .cmd("DEL")
            .arg(&session_keys)
            .ignore()
            .cmd("SREM")
            .arg(&user_key)
            .arg(&ids)
            .ignore()
            .exec_async(&mut self.connection.clone())
            .await?;
        Ok(())
    }
}
// ANCHOR_END: redis
