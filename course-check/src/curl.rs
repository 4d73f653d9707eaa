//! The small part of curl that the book's transcripts use, spoken over a plain TCP socket so that a
//! fresh machine needs no curl. A transcript is a file of `$ curl …` lines; [`run`] answers each
//! one the way curl would print it, against a lesson listening on 127.0.0.1.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// What the check replaces in output that changes at every run.
pub const DATE: &str = "<date>";
pub const CIPHERTEXT: &str = "<ciphertext>";

/// One `$ curl …` line, parsed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Command {
    /// The port written in the URL.
    pub port: u16,
    /// Path and query, `/user`.
    pub path: String,
    /// `-i` or `-D -`: print the status line and headers.
    pub show_headers: bool,
    /// `-o /dev/null`: do not print the body.
    pub hide_body: bool,
    /// `-d` / `--data-urlencode` parts, joined with `&`; `Some` makes it a POST.
    pub form: Option<String>,
    /// `-H` headers as written.
    pub headers: Vec<String>,
    /// `-b name=value` cookies as written.
    pub cookies: Vec<String>,
    /// `-b file`: the jar to send from.
    pub read_jar: Option<String>,
    /// `-c file`: the jar to write to.
    pub write_jar: Option<String>,
    /// `| grep [-i] text`: keep only lines containing `text`.
    pub grep: Option<Grep>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Grep {
    pub text: String,
    pub ignore_case: bool,
}

/// The command lines of a transcript (those starting with `$ `), without the `$ `.
pub fn commands(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter_map(|line| line.strip_prefix("$ "))
        .collect()
}

/// Splits a shell line into words, honouring '…' and "…" quoting. A `|` outside quotes is a word
/// of its own.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => word.extend(chars.next()),
                        Some(other) => word.push(other),
                        None => return Err(format!("unclosed {c} in {line:?}")),
                    }
                }
            }
            '|' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                words.push("|".to_owned());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Parses one command line (without the `$ `).
pub fn parse(line: &str) -> Result<Command, String> {
    let words = words(line)?;
    let (curl, grep) = match words.iter().position(|w| w == "|") {
        Some(bar) => (&words[..bar], Some(&words[bar + 1..])),
        None => (&words[..], None),
    };
    let mut args = curl.iter().map(String::as_str);
    if args.next() != Some("curl") {
        return Err(format!("a transcript command starts with `curl`: {line:?}"));
    }
    let mut command = Command::default();
    let mut url = None;
    let mut form_parts: Vec<String> = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .map(str::to_owned)
                .ok_or_else(|| format!("{name} needs a value in {line:?}"))
        };
        match arg {
            "-i" => command.show_headers = true,
            "-s" => {}
            "-si" | "-is" => command.show_headers = true,
            "-D" => match value("-D")?.as_str() {
                "-" => command.show_headers = true,
                other => return Err(format!("-D {other}: only `-D -` is supported")),
            },
            "-o" => match value("-o")?.as_str() {
                "/dev/null" => command.hide_body = true,
                other => return Err(format!("-o {other}: only `-o /dev/null` is supported")),
            },
            "-d" => form_parts.push(value("-d")?),
            "--data-urlencode" => {
                let field = value("--data-urlencode")?;
                let (name, content) = field
                    .split_once('=')
                    .ok_or_else(|| format!("--data-urlencode {field:?}: write name=value"))?;
                form_parts.push(format!("{name}={}", percent_encode(content)));
            }
            "-H" => command.headers.push(value("-H")?),
            "-b" => {
                let jar = value("-b")?;
                if jar.contains('=') {
                    command.cookies.push(jar);
                } else {
                    command.read_jar = Some(jar);
                }
            }
            "-c" => command.write_jar = Some(value("-c")?),
            other if other.starts_with("http://") => url = Some(other.to_owned()),
            other => return Err(format!("unsupported curl argument {other:?} in {line:?}")),
        }
    }
    if !form_parts.is_empty() {
        command.form = Some(form_parts.join("&"));
    }
    let url = url.ok_or_else(|| format!("no http:// URL in {line:?}"))?;
    let rest = url
        .strip_prefix("http://127.0.0.1:")
        .ok_or_else(|| format!("{url}: transcripts talk to http://127.0.0.1:<port>"))?;
    let (port, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    command.port = port
        .parse()
        .map_err(|_| format!("{url}: bad port {port:?}"))?;
    command.path = path.to_owned();
    if let Some(grep) = grep {
        command.grep = Some(parse_grep(grep, line)?);
    }
    Ok(command)
}

fn parse_grep(words: &[String], line: &str) -> Result<Grep, String> {
    let (ignore_case, text) = match words {
        [grep, text] if grep == "grep" => (false, text),
        [grep, flag, text] if grep == "grep" && flag == "-i" => (true, text),
        _ => {
            return Err(format!(
                "after `|` only `grep [-i] 'text'` is supported: {line:?}"
            ))
        }
    };
    if text.contains(['.', '*', '[', ']', '^', '$', '\\']) {
        return Err(format!(
            "grep {text:?}: use plain text, no regular-expression characters"
        ));
    }
    Ok(Grep {
        text: text.clone(),
        ignore_case,
    })
}

/// Percent-encodes everything but unreserved characters, as `curl --data-urlencode` does.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Cookie jars by file name, as `-c` writes them and `-b` reads them.
pub type Jars = BTreeMap<String, BTreeMap<String, String>>;

/// A response as it came over the wire.
#[derive(Debug)]
pub struct Response {
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Runs `command` against 127.0.0.1:`port` and returns what curl would print, normalised.
pub fn run(command: &Command, port: u16, jars: &mut Jars) -> String {
    let mut engine = command
        .read_jar
        .as_ref()
        .and_then(|name| jars.get(name).cloned())
        .unwrap_or_default();
    let mut cookie_pairs: Vec<String> = engine
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    cookie_pairs.extend(command.cookies.iter().cloned());
    let mut headers = command.headers.clone();
    if !cookie_pairs.is_empty() {
        headers.push(format!("Cookie: {}", cookie_pairs.join("; ")));
    }
    let response = send(port, &command.path, command.form.as_deref(), &headers);
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("set-cookie") {
            apply_set_cookie(&mut engine, value);
        }
    }
    if let Some(name) = &command.write_jar {
        jars.insert(name.clone(), engine);
    }
    let mut printed = String::new();
    if command.show_headers {
        printed.push_str(&response.status_line);
        printed.push('\n');
        for (name, value) in &response.headers {
            printed.push_str(&format!("{name}: {value}\n"));
        }
        printed.push('\n');
    }
    if !command.hide_body {
        printed.push_str(&String::from_utf8_lossy(&response.body));
    }
    if let Some(grep) = &command.grep {
        printed = printed
            .lines()
            .filter(|line| {
                if grep.ignore_case {
                    line.to_lowercase().contains(&grep.text.to_lowercase())
                } else {
                    line.contains(&grep.text)
                }
            })
            .map(|line| format!("{line}\n"))
            .collect();
    }
    if !printed.is_empty() && !printed.ends_with('\n') {
        printed.push('\n');
    }
    normalise(&printed)
}

/// Stores a `Set-Cookie` in the jar, or deletes the cookie when it has already expired.
fn apply_set_cookie(jar: &mut BTreeMap<String, String>, header: &str) {
    let mut parts = header.split(';');
    let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else {
        return;
    };
    let expired = parts.any(|attribute| {
        attribute.trim().split_once('=').is_some_and(|(key, age)| {
            key.eq_ignore_ascii_case("max-age") && age.trim().parse::<i64>().unwrap_or(1) <= 0
        })
    });
    if expired {
        jar.remove(name.trim());
    } else {
        jar.insert(name.trim().to_owned(), value.trim().to_owned());
    }
}

/// Sends one HTTP/1.1 request the way curl does and reads exactly one response.
pub fn send(port: u16, path: &str, form: Option<&str>, headers: &[String]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("connect to 127.0.0.1:{port}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("set a read timeout");
    let method = if form.is_some() { "POST" } else { "GET" };
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: curl\r\nAccept: */*\r\n"
    );
    for header in headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    if let Some(body) = form {
        request.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    } else {
        request.push_str("\r\n");
    }
    stream
        .write_all(request.as_bytes())
        .expect("send the request");
    read_response(BufReader::new(stream))
}

fn read_response(mut reader: impl BufRead) -> Response {
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .expect("read the status line");
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read a header line");
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("bad header line {line:?}"));
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.clone())
    };
    let mut body = Vec::new();
    if let Some(length) = header("content-length") {
        let length: usize = length.parse().expect("a numeric Content-Length");
        body.resize(length, 0);
        reader.read_exact(&mut body).expect("read the body");
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("read a chunk size");
            let size = usize::from_str_radix(size.trim(), 16).expect("a hex chunk size");
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).expect("read a chunk");
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        panic!("a response with neither Content-Length nor chunked encoding: {headers:?}");
    }
    Response {
        status_line: status_line.trim_end().to_owned(),
        headers,
        body,
    }
}

/// The security headers Rocket's Shield adds to every response. It keeps them in a hash map, so
/// their order changes from one process to the next; transcripts leave them out.
pub const SHIELD_HEADERS: [&str; 3] = [
    "x-frame-options",
    "x-content-type-options",
    "permissions-policy",
];

/// Replaces what changes at every run: the `date:` header and `Expires=` dates by `<date>`, and
/// cookie values of 24 or more base64 or percent-encoded characters by `<ciphertext>`. Drops the
/// [`SHIELD_HEADERS`].
pub fn normalise(output: &str) -> String {
    output
        .lines()
        .filter(|line| {
            !SHIELD_HEADERS.iter().any(|header| {
                line.len() > header.len()
                    && line[..header.len()].eq_ignore_ascii_case(header)
                    && line[header.len()..].starts_with(':')
            })
        })
        .map(|line| {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("date:") {
                format!("{}: {DATE}", &line[..4])
            } else if lower.starts_with("set-cookie:") {
                normalise_set_cookie(line)
            } else {
                line.to_owned()
            }
        })
        .map(|line| line + "\n")
        .collect()
}

fn normalise_set_cookie(line: &str) -> String {
    let (header, cookie) = line.split_at("set-cookie:".len());
    let mut parts: Vec<String> = cookie.trim().split("; ").map(str::to_owned).collect();
    if let Some((name, value)) = parts[0].split_once('=') {
        if looks_random(value) {
            parts[0] = format!("{name}={CIPHERTEXT}");
        }
    }
    for part in parts.iter_mut().skip(1) {
        if part.to_ascii_lowercase().starts_with("expires=") {
            *part = format!("{}={DATE}", &part[..7]);
        }
    }
    format!("{header} {}", parts.join("; "))
}

fn looks_random(value: &str) -> bool {
    value.len() >= 24
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"%+/=_-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_command_is_parsed() {
        let command =
            parse("curl -i -c cookies.txt -d nm=Tim http://127.0.0.1:8002/login").unwrap();
        assert_eq!(command.port, 8002);
        assert_eq!(command.path, "/login");
        assert!(command.show_headers);
        assert_eq!(command.form.as_deref(), Some("nm=Tim"));
        assert_eq!(command.write_jar.as_deref(), Some("cookies.txt"));
    }

    #[test]
    fn quotes_pipes_and_literal_cookies_are_parsed() {
        let command =
            parse("curl -s http://127.0.0.1:8001/user -H 'Cookie: user=admin' -b \"a=b\" | grep -i 'Hello, '")
                .unwrap();
        assert_eq!(command.headers, ["Cookie: user=admin"]);
        assert_eq!(command.cookies, ["a=b"]);
        assert_eq!(
            command.grep,
            Some(Grep {
                text: "Hello, ".into(),
                ignore_case: true
            })
        );
        assert!(!command.show_headers);
    }

    #[test]
    fn unsupported_commands_are_refused() {
        assert!(parse("wget http://127.0.0.1:8001/").is_err());
        assert!(parse("curl -L http://127.0.0.1:8001/").is_err());
        assert!(parse("curl https://example.com/").is_err());
        assert!(parse("curl http://127.0.0.1:8001/ | grep 'a.*b'").is_err());
        assert!(parse("curl http://127.0.0.1:8001/ | sort").is_err());
    }

    #[test]
    fn data_urlencode_encodes_the_value_only() {
        let command =
            parse("curl --data-urlencode 'nm=<b>Tim & co</b>' http://127.0.0.1:8001/login")
                .unwrap();
        assert_eq!(
            command.form.as_deref(),
            Some("nm=%3Cb%3ETim%20%26%20co%3C%2Fb%3E")
        );
    }

    #[test]
    fn dates_and_ciphertext_are_normalised_but_short_values_are_not() {
        let output = "HTTP/1.1 303 See Other\n\
            set-cookie: user=BAgzoQk0wK1%2FeNTAHsmwnfJX52WdXLdDga714IpXPA%3D%3D; HttpOnly; Path=/\n\
            set-cookie: user=; SameSite=Lax; Path=/; Max-Age=0; Expires=Sat, 22 Nov 2025 05:47:15 GMT\n\
            set-cookie: user=Tim; HttpOnly\n\
            x-frame-options: SAMEORIGIN\n\
            date: Sun, 22 Nov 2026 05:47:15 GMT\n";
        assert_eq!(
            normalise(output),
            "HTTP/1.1 303 See Other\n\
            set-cookie: user=<ciphertext>; HttpOnly; Path=/\n\
            set-cookie: user=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>\n\
            set-cookie: user=Tim; HttpOnly\n\
            date: <date>\n"
        );
    }

    #[test]
    fn the_jar_keeps_cookies_and_forgets_removed_ones() {
        let mut jar = BTreeMap::new();
        apply_set_cookie(&mut jar, "user=abc; HttpOnly; Path=/");
        apply_set_cookie(&mut jar, "colour=red; Max-Age=300");
        assert_eq!(jar.len(), 2);
        apply_set_cookie(
            &mut jar,
            "user=; Path=/; Max-Age=0; Expires=Sat, 22 Nov 2025 05:47:15 GMT",
        );
        assert_eq!(jar.keys().collect::<Vec<_>>(), ["colour"]);
    }

    #[test]
    fn chunked_and_sized_bodies_are_read() {
        let sized = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
        assert_eq!(read_response(sized.as_bytes()).body, b"hello");
        let chunked =
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n";
        let response = read_response(chunked.as_bytes());
        assert_eq!(response.body, b"hello");
        assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    }
}
