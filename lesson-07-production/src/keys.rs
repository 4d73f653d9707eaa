//! `secret_key_fallbacks`: old keys, read as Rocket reads `secret_key`, and the cookie decrypted
//! with the first of them that opens it.

use cookie::Key;
use rocket::figment::value::Value;
use rocket::http::Cookie;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;

// ANCHOR: fallbacks
/// Read from figment's `Value`, so that the message for a bad entry does not quote it.
pub(crate) fn fallbacks<'de, D: Deserializer<'de>>(given: D) -> Result<Vec<Key>, D::Error> {
    let entries = match <Value as Deserialize>::deserialize(given)? {
        Value::Array(_, entries) => entries,
        one => vec![one],
    };
    let keys: Option<_> = entries.iter().map(|e| key_from(e.as_str()?)).collect();
    let bad = "an entry is not a key as `secret_key` takes it (the entry is not shown)";
    keys.ok_or_else(|| D::Error::custom(bad))
}

/// The text turned into a key as Rocket turns a `secret_key` string (rocket-0.5.2
/// `config/secret_key.rs`; Rocket also takes an array of bytes, this lesson only strings).
pub(crate) fn key_from(text: &str) -> Option<Key> {
    let mut buf = [0u8; 96];
    let bytes = match text.len() {
        44 | 88 => binascii::b64decode(text.as_bytes(), &mut buf).ok()?,
        64 => binascii::hex2bin(text.as_bytes(), &mut buf).ok()?,
        _ => return None,
    };
    match bytes.len() {
        n if n < 32 || bytes.iter().all(|b| *b == 0) => None,
        n if n < 64 => Some(Key::derive_from(bytes)),
        _ => Some(Key::from(bytes)),
    }
}
// ANCHOR_END: fallbacks

/// The cookie decrypted with the first of `keys` that opens it, as `get_private` does with the
/// current key.
pub(crate) fn decrypt(keys: &[Key], sent: &Cookie<'static>) -> Option<Cookie<'static>> {
    let mut keys = keys.iter();
    keys.find_map(|key| cookie::CookieJar::new().private(key).decrypt(sent.clone()))
}
