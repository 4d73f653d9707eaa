//! `secret_key_fallbacks`: old secret keys that still decrypt the session cookie, so that a new
//! `secret_key` logs nobody out (Flask 3.1's `SECRET_KEY_FALLBACKS`; Rocket 0.5 has one key only).

use cookie::Key;
use rocket::http::CookieJar;
use serde::Deserialize;

use crate::store::SessionId;

// ANCHOR: fallbacks
/// The old keys, each given as `secret_key` is: 44 or 88 base64 characters, or 64 hex digits.
#[derive(Default, Deserialize)]
#[serde(try_from = "OneOrMany")]
pub(crate) struct Fallbacks(Vec<Key>);

/// A list, or one key on its own. Untagged: a bad value's error does not repeat the value.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a list of old keys, each as `secret_key` takes it"
)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl TryFrom<OneOrMany> for Fallbacks {
    type Error = String;

    fn try_from(given: OneOrMany) -> Result<Self, Self::Error> {
        let texts = match given {
            OneOrMany::One(text) => vec![text],
            OneOrMany::Many(texts) => texts,
        };
        let keys = texts.iter().enumerate().map(|(i, text)| {
            let n = i + 1;
            key_from(text).ok_or(format!(
                "entry {n} is not a key as `secret_key` takes it (44 or 88 base64 characters or 64 \
                 hex digits, at least 32 bytes, not all zeros); the entry is not shown"
            ))
        });
        Ok(Fallbacks(keys.collect::<Result<_, _>>()?))
    }
}

/// The text turned into a key as Rocket turns `secret_key` (rocket-0.5.2 `config/secret_key.rs`).
pub(crate) fn key_from(text: &str) -> Option<Key> {
    let mut buf = [0u8; 96];
    let bytes = match text.len() {
        44 | 88 => binascii::b64decode(text.as_bytes(), &mut buf).ok()?,
        64 => binascii::hex2bin(text.as_bytes(), &mut buf).ok()?,
        _ => return None,
    };
    match bytes.len() {
        _ if bytes.iter().all(|b| *b == 0) => None,
        0..32 => None,
        32..64 => Some(Key::derive_from(bytes)),
        _ => Some(Key::from(bytes)),
    }
}
// ANCHOR_END: fallbacks

// ANCHOR: read_id
impl Fallbacks {
    /// The session id in the cookie `name`, and whether it took an old key to decrypt it.
    pub(crate) fn read_id(&self, jar: &CookieJar<'_>, name: &str) -> (Option<SessionId>, bool) {
        if let Some(cookie) = jar.get_private(name) {
            return (SessionId::parse(cookie.value()), false);
        }
        let Some(sent) = jar.get(name) else {
            return (None, false);
        };
        let old = self
            .0
            .iter()
            .find_map(|key| cookie::CookieJar::new().private(key).decrypt(sent.clone()));
        match old.and_then(|cookie| SessionId::parse(cookie.value())) {
            Some(id) => (Some(id), true),
            None => (None, false),
        }
    }
}
// ANCHOR_END: read_id
