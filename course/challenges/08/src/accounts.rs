//! The accounts and the throttle, both in this server's memory: a restart forgets them, as it
//! forgets the sessions.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, TimeDelta, Utc};
use rocket::form;
use rocket::tokio::task::spawn_blocking;
use serde::Deserialize;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard, PoisonError};

// ANCHOR: accounts
/// The demo account (README): the hash of its password, never the password itself (a PHC string,
/// cut into its parameters, salt and hash to fit the page).
const DEMO: &str = "demo";
const DEMO_HASH: &str = concat!(
    "$argon2id$v=19$m=19456,t=2,p=1$",
    "q3L9+REes2mXMCuuvn6fPw$",
    "yPa7ooNCXPksjpYZB4eOK+WZCBvDlrs549sUrJjQZ4Y"
);
/// The hash of a random password no one knows, checked for an unknown username so that it takes
/// as long as a wrong password.
const DUMMY: &str = concat!(
    "$argon2id$v=19$m=19456,t=2,p=1$",
    "yeIV7tsnUS2rN+Ksd3P7cQ$",
    "S6fdn+/eVRiX6z0hlrd+PbppPpN5Y+NyfN3QGmprjKo"
);

/// Each username's Argon2id hash, as a PHC string.
pub(crate) struct Accounts(pub(crate) Mutex<HashMap<String, String>>);

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Accounts {
    pub(crate) fn with_demo() -> Accounts {
        let demo = (DEMO.to_owned(), DEMO_HASH.to_owned());
        Accounts(Mutex::new(HashMap::from([demo])))
    }

    /// Adds the account, unless the username is taken (then `false`). The password is hashed
    /// first, so that a taken name takes as long as a free one.
    pub(crate) async fn add(&self, username: &str, password: &str) -> bool {
        let phc = hash(password).await;
        let mut hashes = lock(&self.0);
        if hashes.contains_key(username) {
            return false;
        }
        hashes.insert(username.to_owned(), phc);
        true
    }

    pub(crate) async fn change_password(&self, username: &str, password: &str) {
        let phc = hash(password).await;
        lock(&self.0).insert(username.to_owned(), phc);
    }

    /// Forgets the account: its username is free again, and its password logs no one in.
    pub(crate) fn remove(&self, username: &str) {
        lock(&self.0).remove(username);
    }

    /// Checks `password` against the account's hash, or against `DUMMY` for an unknown username.
    pub(crate) async fn verify(&self, username: &str, password: &str) -> bool {
        let phc = lock(&self.0).get(username).cloned();
        let known = phc.is_some();
        let (phc, password) = (phc.unwrap_or_else(|| DUMMY.to_owned()), password.to_owned());
        // Off Rocket's async workers: a hash takes tens of milliseconds of one core.
        let verified = spawn_blocking(move || {
            let hash = PasswordHash::new(&phc).expect("the table holds PHC strings");
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        });
        verified.await.unwrap_or(false) && known
    }
}

/// Argon2id with the `argon2` crate's defaults (m = 19 MiB, t = 2, p = 1) and a random salt.
async fn hash(password: &str) -> String {
    let (salt, password) = (super::new_id(), password.to_owned());
    let hashed = spawn_blocking(move || {
        let salt = SaltString::from_b64(&salt).expect("hex digits are base64");
        let hash = Argon2::default().hash_password(password.as_bytes(), &salt);
        hash.expect("the defaults hash any password").to_string()
    });
    hashed.await.expect("the hashing thread finished")
}

/// NIST SP 800-63B-4 §3.1.1.2: at least 15 characters for a password that is the only factor, at
/// least 64 allowed, and no other composition rules.
pub(crate) fn password_rules<'v>(typed: &str) -> form::Result<'v, ()> {
    let length = typed.chars().count();
    if length < 15 {
        let message = "A password needs at least 15 characters.";
        Err(form::Error::validation(message))?;
    }
    if length > 128 {
        let message = "A password can have at most 128 characters.";
        Err(form::Error::validation(message))?;
    }
    Ok(())
}
// ANCHOR_END: accounts

// ANCHOR: throttle
/// After `login_attempts` failed logins for one username within `login_window` seconds, that
/// username waits until the oldest of them leaves the window. Read from the configuration like
/// `session_lifetime`.
#[derive(Deserialize)]
pub(crate) struct Throttle {
    #[serde(default = "five")]
    login_attempts: NonZeroU32,
    #[serde(default = "fifteen_minutes")]
    login_window: NonZeroU32,
    /// Each username's recent failed logins.
    #[serde(skip)]
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

fn five() -> NonZeroU32 {
    NonZeroU32::new(5).expect("5 is not zero")
}

fn fifteen_minutes() -> NonZeroU32 {
    NonZeroU32::new(900).expect("900 is not zero")
}

impl Throttle {
    /// The seconds `username` has to wait before its next try, if it has failed too often.
    pub(crate) fn retry_after(&self, username: &str) -> Option<i64> {
        let window = TimeDelta::seconds(self.login_window.get().into());
        let mut failures = lock(&self.failures);
        let recent = failures.get_mut(username)?;
        recent.retain(|&time| time + window > Utc::now());
        if recent.len() < self.login_attempts.get() as usize {
            return None;
        }
        Some((recent[0] + window - Utc::now()).num_seconds() + 1)
    }

    pub(crate) fn failed(&self, username: &str) {
        let mut failures = lock(&self.failures);
        let recent = failures.entry(username.to_owned()).or_default();
        recent.push(Utc::now());
    }

    pub(crate) fn passed(&self, username: &str) {
        lock(&self.failures).remove(username);
    }
}
// ANCHOR_END: throttle
