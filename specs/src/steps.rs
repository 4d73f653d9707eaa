//! The steps checks are made of, named after what a user does or sees. Each returns the
//! [`Failure`] that explains what was expected and what came back, for `?`.

use std::time::{Duration, Instant};

use crate::{App, Failure, Program, Response, Settings};

/// Starts the program with its default settings.
pub(crate) fn start(program: &dyn Program) -> Result<App, Failure> {
    start_with(program, &Settings::default())
}

/// Starts the program with `settings`.
pub(crate) fn start_with(program: &dyn Program, settings: &Settings) -> Result<App, Failure> {
    program.start(settings).map_err(|printed| Failure {
        expected: format!("{} to start with {settings:?}", program.describe()),
        got: printed,
    })
}

/// The form body `nm=<name>` as a browser encodes it.
pub(crate) fn name_field(name: &str) -> String {
    format!("nm={}", form_encode(name))
}

/// `application/x-www-form-urlencoded`, as a browser sends a typed value.
pub(crate) fn form_encode(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                encoded.push(char::from(byte));
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// Types `name` into the login form and sends it: expects the redirect to `/user`, and returns
/// the response (with its `Set-Cookie` lines).
pub(crate) fn log_in(app: &App, name: &str) -> Result<Response, Failure> {
    submit_login(app, &name_field(name), &[])
}

/// Sends the login form `body` with the extra headers `headers`: expects the redirect to `/user`.
pub(crate) fn submit_login(app: &App, body: &str, headers: &[&str]) -> Result<Response, Failure> {
    let response = app.post_form("/login", body, headers);
    assert_redirect(&response, "/user")?;
    Ok(response)
}

/// Logs in as `name` and returns the `Cookie:` header a browser sends back afterwards.
pub(crate) fn logged_in(app: &App, name: &str) -> Result<String, Failure> {
    let response = log_in(app, name)?;
    cookie_header(&[], &response)
}

/// The `Cookie:` header a browser that sent `sent` (header lines such as `Cookie: a=b`) sends
/// after it stored what `response` set: new values replace old ones, removals remove.
pub(crate) fn cookie_header(sent: &[&str], response: &Response) -> Result<String, Failure> {
    let mut jar: Vec<(String, String)> = sent
        .iter()
        .filter_map(|line| line.strip_prefix("Cookie: "))
        .flat_map(|pairs| pairs.split("; "))
        .filter_map(|pair| pair.split_once('='))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    for line in response.header_values("Set-Cookie") {
        let pair = line.split(';').next().unwrap_or_default();
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Failure {
                expected: "Set-Cookie lines that start with name=value".to_owned(),
                got: describe(response),
            });
        };
        jar.retain(|(n, _)| n != name);
        let removal = line.contains("Max-Age=0");
        if !removal {
            jar.push((name.to_owned(), value.to_owned()));
        }
    }
    let pairs: Vec<String> = jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
    Ok(format!("Cookie: {}", pairs.join("; ")))
}

/// Expects a `303 See Other` to `location`.
pub(crate) fn assert_redirect(response: &Response, location: &str) -> Result<(), Failure> {
    if response.status == 303 && response.header_values("Location") == [location] {
        Ok(())
    } else {
        Err(Failure {
            expected: format!("303 See Other to {location}"),
            got: describe(response),
        })
    }
}

/// Expects the status `status`.
pub(crate) fn assert_status(response: &Response, status: u16) -> Result<(), Failure> {
    if response.status == status {
        Ok(())
    } else {
        Err(Failure {
            expected: format!("status {status}"),
            got: describe(response),
        })
    }
}

/// Expects a `200 OK` page whose HTML contains every one of `texts`.
pub(crate) fn assert_page(response: &Response, texts: &[&str]) -> Result<(), Failure> {
    assert_status(response, 200)?;
    assert_page_says(response, texts)
}

/// Expects the page's HTML to contain every one of `texts` (as written in the HTML, escapes
/// included; runs of white space count as one space, and none is needed next to a tag).
pub(crate) fn assert_page_says(response: &Response, texts: &[&str]) -> Result<(), Failure> {
    let page = squeeze(&response.body);
    match texts.iter().find(|text| !page.contains(&squeeze(text))) {
        None => Ok(()),
        Some(missing) => Err(Failure {
            expected: format!("a page with {missing:?}"),
            got: describe_around(response, missing),
        }),
    }
}

/// Expects the page's HTML to contain none of `texts` (compared as [`assert_page_says`] does).
pub(crate) fn assert_page_lacks(response: &Response, texts: &[&str]) -> Result<(), Failure> {
    let page = squeeze(&response.body);
    match texts.iter().find(|text| page.contains(&squeeze(text))) {
        None => Ok(()),
        Some(present) => Err(Failure {
            expected: format!("a page without {present:?}"),
            got: describe_around(response, present),
        }),
    }
}

/// `html` with each run of white space made one space, and the spaces next to `<` and `>`
/// dropped, so that a template's line breaks and indentation do not matter.
fn squeeze(html: &str) -> String {
    let spaced = html.split_whitespace().collect::<Vec<_>>().join(" ");
    spaced.replace("> ", ">").replace(" <", "<")
}

/// Expects exactly the `Set-Cookie` lines `expected`, in any order (the header lines of one
/// response come in no fixed order). In an expected line `<encrypted>` stands for a value only the
/// server can read and `<date>` for an HTTP date.
pub(crate) fn assert_set_cookies(response: &Response, expected: &[&str]) -> Result<(), Failure> {
    let mut unmatched = response.header_values("Set-Cookie");
    let same = unmatched.len() == expected.len()
        && expected.iter().all(|pattern| {
            match unmatched
                .iter()
                .position(|line| matches_pattern(pattern, line))
            {
                Some(found) => {
                    unmatched.remove(found);
                    true
                }
                None => false,
            }
        });
    if same {
        Ok(())
    } else if expected.is_empty() {
        Err(Failure {
            expected: "no Set-Cookie".to_owned(),
            got: describe(response),
        })
    } else {
        Err(Failure {
            expected: expected
                .iter()
                .map(|line| format!("Set-Cookie: {line}"))
                .collect::<Vec<_>>()
                .join("\n"),
            got: describe(response),
        })
    }
}

/// Expects no `Set-Cookie` at all.
pub(crate) fn assert_no_set_cookie(response: &Response) -> Result<(), Failure> {
    assert_set_cookies(response, &[])
}

/// The `Set-Cookie` line for the cookie `name`, if the response has one.
pub(crate) fn set_cookie_line<'r>(response: &'r Response, name: &str) -> Option<&'r str> {
    response
        .header_values("Set-Cookie")
        .into_iter()
        .find(|line| line.split_once('=').is_some_and(|(n, _)| n == name))
}

/// The value the response sets for the cookie `name`.
pub(crate) fn cookie_value(response: &Response, name: &str) -> Result<String, Failure> {
    set_cookie_line(response, name)
        .and_then(|line| line.split(';').next())
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| Failure {
            expected: format!("a Set-Cookie line for `{name}`"),
            got: describe(response),
        })
}

/// A cookie value as the server reads it: `%XX` escapes decoded (as Rocket's cookie jar does).
pub(crate) fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Runs `attempt` until it passes or `within` has passed (then its last failure is the failure),
/// for what takes time to become true, such as a session running out.
pub(crate) fn poll(
    within: Duration,
    mut attempt: impl FnMut() -> Result<(), Failure>,
) -> Result<(), Failure> {
    let deadline = Instant::now() + within;
    loop {
        match attempt() {
            Ok(()) => return Ok(()),
            Err(failure) if Instant::now() > deadline => {
                return Err(Failure {
                    expected: format!("within {within:?}: {}", failure.expected),
                    got: failure.got,
                })
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Whether `line` is `pattern` with its placeholders filled in: `<encrypted>` by at least 16
/// characters of base64 (or URL-safe base64), `<date>` by an HTTP date such as
/// `Mon, 01 Dec 2025 19:43:52 GMT`, `<any>` by anything.
pub(crate) fn matches_pattern(pattern: &str, line: &str) -> bool {
    let Some(start) = pattern.find('<') else {
        return pattern == line;
    };
    let Some(len) = pattern[start..].find('>') else {
        return pattern == line;
    };
    let (literal, placeholder, rest) = (
        &pattern[..start],
        &pattern[start..=start + len],
        &pattern[start + len + 1..],
    );
    let Some(after_literal) = line.strip_prefix(literal) else {
        return false;
    };
    // The placeholder ends where the rest's literal text starts; try every place it does.
    let next_literal = &rest[..rest.find('<').unwrap_or(rest.len())];
    (0..=after_literal.len())
        .filter(|&end| after_literal.is_char_boundary(end))
        .filter(|&end| after_literal[end..].starts_with(next_literal))
        .any(|end| {
            fills(placeholder, &after_literal[..end])
                && matches_pattern(rest, &after_literal[end..])
        })
}

fn fills(placeholder: &str, text: &str) -> bool {
    match placeholder {
        "<encrypted>" => {
            text.len() >= 16
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=-_%".contains(&b))
        }
        "<date>" => is_http_date(text),
        "<any>" => true,
        _ => false,
    }
}

/// `Mon, 01 Dec 2025 19:43:52 GMT`.
fn is_http_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 6
        && parts[0].len() == 4
        && parts[0].ends_with(',')
        && digits(parts[1], 2)
        && parts[2].len() == 3
        && digits(parts[3], 4)
        && parts[4].len() == 8
        && parts[5] == "GMT"
}

/// Seconds since 1970 of an HTTP date such as `Mon, 01 Dec 2025 19:43:52 GMT`.
pub(crate) fn http_date_seconds(text: &str) -> Option<i64> {
    if !is_http_date(text) {
        return None;
    }
    let parts: Vec<&str> = text.split(' ').collect();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let day: i64 = parts[1].parse().ok()?;
    let month = i64::try_from(MONTHS.iter().position(|m| *m == parts[2])?).ok()? + 1;
    let year: i64 = parts[3].parse().ok()?;
    let time: Vec<i64> = parts[4]
        .split(':')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [hours, minutes, seconds] = time[..] else {
        return None;
    };
    // Days from 1970-01-01 to the date (Howard Hinnant's `days_from_civil`).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hours * 3600 + minutes * 60 + seconds)
}

/// Seconds since 1970, now.
pub(crate) fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// What came back, for a failure: status, `Location`, every `Set-Cookie` line, the page's text.
pub(crate) fn describe(response: &Response) -> String {
    describe_text(response, &page_text(&response.body, None))
}

/// Like [`describe`], with the page's text around the first words of `wanted` if it has them.
fn describe_around(response: &Response, wanted: &str) -> String {
    describe_text(response, &page_text(&response.body, Some(wanted)))
}

fn describe_text(response: &Response, text: &str) -> String {
    let mut lines = vec![format!("status {}", response.status)];
    for location in response.header_values("Location") {
        lines.push(format!("Location: {location}"));
    }
    for cookie in response.header_values("Set-Cookie") {
        lines.push(format!("Set-Cookie: {cookie}"));
    }
    if !text.is_empty() {
        lines.push(format!("page: {text}"));
    }
    lines.join("\n")
}

/// The text a reader sees in `<body>`, tags dropped and spaces collapsed, cut to about 300
/// characters (from a little before `wanted`'s text when the page has it).
fn page_text(html: &str, wanted: Option<&str>) -> String {
    const SHOWN: usize = 300;
    let body = html.find("<body").map_or(html, |start| &html[start..]);
    let text = strip_tags(body);
    let wanted = strip_tags(wanted.unwrap_or(""));
    let start = match wanted.split_whitespace().next() {
        Some(first_word) => text.find(first_word).unwrap_or(0),
        None => 0,
    };
    let begin = text[..start]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    let shown: String = text[begin..].chars().take(SHOWN).collect();
    let mut out = String::new();
    if begin > 0 {
        out.push('…');
    }
    out.push_str(&shown);
    if text[begin..].chars().count() > SHOWN {
        out.push('…');
    }
    out
}

/// `html` with its tags dropped and its spaces collapsed.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_dates_and_ciphertext_only_where_they_stand() {
        let removal =
            "user=; SameSite=Lax; Path=/; Max-Age=0; Expires=Mon, 01 Dec 2025 19:43:52 GMT";
        assert!(matches_pattern(
            "user=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>",
            removal
        ));
        assert!(!matches_pattern(
            "user=; SameSite=Strict; Path=/; Max-Age=0; Expires=<date>",
            removal
        ));
        assert!(!matches_pattern(
            "user=; Path=/; Max-Age=0; Expires=<date>",
            "user=; Path=/; Max-Age=0; Expires=tomorrow"
        ));
        let private =
            "user=q2K1Zk3V9bXJ0m1Qb2pD7w4k+Z/lV5aA6T3nYg==; HttpOnly; SameSite=Strict; Path=/";
        assert!(matches_pattern(
            "user=<encrypted>; HttpOnly; SameSite=Strict; Path=/",
            private
        ));
        assert!(!matches_pattern(
            "user=<encrypted>; HttpOnly; SameSite=Strict; Path=/",
            "user=Tim; HttpOnly; SameSite=Strict; Path=/"
        ));
        assert!(matches_pattern("a=<any>", "a=1; b"));
    }

    #[test]
    fn http_dates_are_read_as_seconds_since_1970() {
        assert_eq!(http_date_seconds("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date_seconds("Mon, 01 Dec 2025 19:43:52 GMT"),
            Some(1_764_618_232)
        );
        assert_eq!(
            http_date_seconds("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
        assert_eq!(http_date_seconds("tomorrow"), None);
    }

    #[test]
    fn form_values_are_encoded_as_a_browser_does() {
        assert_eq!(name_field("Tim; a=b"), "nm=Tim%3B+a%3Db");
        assert_eq!(form_encode("Zoë<"), "Zo%C3%AB%3C");
    }

    #[test]
    fn a_browser_keeps_what_was_set_and_forgets_what_was_removed() {
        let response = Response {
            status: 303,
            headers: vec![
                ("Set-Cookie".to_owned(), "a=1; Path=/".to_owned()),
                (
                    "set-cookie".to_owned(),
                    "b=; Path=/; Max-Age=0; Expires=Mon, 01 Dec 2025 19:43:52 GMT".to_owned(),
                ),
            ],
            body: String::new(),
        };
        let header = cookie_header(&["Cookie: b=2; c=3"], &response).expect("a header");
        assert_eq!(header, "Cookie: c=3; a=1");
    }
}
