//! A browser's cookie jar, as little as the checks and the twins' tests need: what `Set-Cookie`
//! lines set (read by the `cookie` crate), and the `Cookie:` header it sends back.

use crate::{App, Response};
use cookie::Cookie;

/// The cookies a browser holds, in the order they were set.
#[derive(Clone, Debug, Default)]
pub struct Jar {
    cookies: Vec<(String, String)>,
}

impl Jar {
    /// The jar of a browser that sent the header lines `sent` (such as `Cookie: a=1; b=2`).
    pub fn sent(sent: &[&str]) -> Jar {
        let pairs = sent
            .iter()
            .filter_map(|line| line.strip_prefix("Cookie: "))
            .flat_map(|pairs| pairs.split("; "))
            .filter_map(|pair| pair.split_once('='));
        let cookies = pairs.map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
        Jar { cookies }
    }

    /// Stores what `response` set: a new value replaces the old one, `Max-Age=0` removes it. A
    /// `Set-Cookie` line the `cookie` crate cannot read is the error.
    pub fn store(&mut self, response: &Response) -> Result<(), String> {
        for line in response.header_values("Set-Cookie") {
            let cookie = Cookie::parse(line).map_err(|e| format!("Set-Cookie: {line}: {e}"))?;
            self.cookies.retain(|(name, _)| name != cookie.name());
            if !cookie.max_age().is_some_and(|age| age.is_zero()) {
                let (name, value) = cookie.name_value();
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        Ok(())
    }

    /// The value of the cookie `name`, if the jar has it.
    pub fn value(&self, name: &str) -> Option<&str> {
        let mut cookies = self.cookies.iter();
        cookies.find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The jar with the cookie `name` set to `value`.
    pub fn with(&self, name: &str, value: &str) -> Jar {
        let mut jar = self.clone();
        jar.cookies.retain(|(n, _)| n != name);
        jar.cookies.push((name.to_owned(), value.to_owned()));
        jar
    }

    /// The `Cookie:` header line (`Cookie: a=1; b=2`), `Cookie: ` when the jar is empty.
    pub fn header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        format!("Cookie: {}", pairs.join("; "))
    }

    /// `GET path` with this jar's cookies; stores what the answer sets, or panics.
    pub fn get(&mut self, app: &App, path: &str) -> Response {
        let response = app.get(path, &[&self.header()]);
        self.store(&response)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        response
    }

    /// `POST path` of the form `body` with this jar's cookies; stores what the answer sets, or
    /// panics.
    pub fn post(&mut self, app: &App, path: &str, body: &str) -> Response {
        let response = app.post_form(path, body, &[&self.header()]);
        self.store(&response)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        response
    }
}
