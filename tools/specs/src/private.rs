//! The checks' own view of a private cookie: a check that started the program with one of
//! [`TEST_ONLY_SECRET_KEYS`] can read what a cookie holds, or make one, as Rocket does with that key
//! (the `cookie` crate's private jar, the key derived from the base64 secret as rocket-0.5.2's
//! `config/secret_key.rs` does).

use cookie::{Cookie, CookieJar, Key};

use crate::steps::{form_encode, percent_decode};
use crate::TEST_ONLY_SECRET_KEYS;

/// Test-only key number `which`, as Rocket makes it from the text of `secret_key`.
fn key(which: usize) -> Key {
    let mut bytes = [0u8; 64];
    let decoded = binascii::b64decode(TEST_ONLY_SECRET_KEYS[which].as_bytes(), &mut bytes)
        .expect("the test-only keys are base64");
    // 32 bytes, as `openssl rand -base64 32` made them: Rocket derives the key from them.
    Key::derive_from(decoded)
}

/// What the cookie `name` with the value `sent` (as the browser sends it) holds, if it decrypts
/// with test-only key number `which`.
pub(crate) fn decrypt(which: usize, name: &str, sent: &str) -> Option<String> {
    let mut jar = CookieJar::new();
    jar.add_original(Cookie::new(name.to_owned(), percent_decode(sent)));
    let cookie = jar.private(&key(which)).get(name)?;
    Some(cookie.value().to_owned())
}

/// The `Cookie:` header of a private cookie `name` holding `value`, encrypted with test-only key
/// number `which`: what a server started with that key would have set.
pub(crate) fn encrypted_cookie(which: usize, name: &str, value: &str) -> String {
    let mut jar = CookieJar::new();
    jar.private_mut(&key(which))
        .add(Cookie::new(name.to_owned(), value.to_owned()));
    let sealed = jar.get(name).map(Cookie::value).unwrap_or_default();
    format!("Cookie: {name}={}", form_encode(sealed))
}

/// A session id's bytes, however it is spelled: hex, a uuid (hex with dashes), base64 or
/// URL-safe base64 (padded or not). `None` for anything else.
pub(crate) fn id_bytes(id: &str) -> Option<Vec<u8>> {
    let uuid = id.len() == 36 && [8, 13, 18, 23].iter().all(|&i| id.as_bytes()[i] == b'-');
    let hex = if uuid {
        id.replace('-', "")
    } else {
        id.to_owned()
    };
    if hex.len() % 2 == 0 && !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
            .collect();
    }
    from_base64(id.trim_end_matches('='))
}

/// Base64 or URL-safe base64 without its padding.
fn from_base64(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
    }
    (!bytes.is_empty()).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_encrypted_with_a_key_decrypts_with_it_only() {
        let header = encrypted_cookie(0, "session", "4f3c");
        let sent = header.strip_prefix("Cookie: session=").expect("a header");
        assert_eq!(decrypt(0, "session", sent).as_deref(), Some("4f3c"));
        assert_eq!(decrypt(1, "session", sent), None);
        assert_eq!(decrypt(0, "session", "admin"), None);
    }

    #[test]
    fn ids_are_read_in_every_usual_spelling() {
        let sixteen: Vec<u8> = (1..=16).collect();
        for id in [
            "0102030405060708090a0b0c0d0e0f10",
            "01020304-0506-0708-090a-0b0c0d0e0f10",
            "AQIDBAUGBwgJCgsMDQ4PEA==",
            "AQIDBAUGBwgJCgsMDQ4PEA",
        ] {
            assert_eq!(id_bytes(id), Some(sixteen.clone()), "{id}");
        }
        assert_eq!(id_bytes("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(id_bytes("not an id!"), None);
    }
}
