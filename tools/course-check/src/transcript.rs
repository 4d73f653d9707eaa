//! A transcript is a file of `$ curl …` lines and what they printed. [`run`] runs one line with
//! the real `curl` in `bash`, as a student types it, against a lesson on another port; [`normalise`]
//! replaces what changes at every run.

use std::path::Path;
use std::process::Command;

/// What the check replaces in output that changes at every run.
pub const DATE: &str = "<date>";
pub const CIPHERTEXT: &str = "<ciphertext>";

/// The security headers Rocket's Shield adds to every response. It keeps them in a hash map, so
/// their order changes from one process to the next; the check sorts them where they stand.
pub const SHIELD_HEADERS: [&str; 3] = [
    "x-frame-options",
    "x-content-type-options",
    "permissions-policy",
];

/// The command lines of a transcript (those starting with `$ `), without the `$ `.
pub fn commands(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter_map(|line| line.strip_prefix("$ "))
        .collect()
}

/// Refuses a line that is not a curl command talking only to `http://127.0.0.1:<port>`, the
/// lesson's own port, so that a student can paste it while the lesson runs.
pub fn check(line: &str, port: u16) -> Result<(), String> {
    if !line.starts_with("curl ") {
        return Err(format!(
            "a transcript command starts with `curl `: {line:?}"
        ));
    }
    let origin = "http://127.0.0.1:";
    if !line.contains(origin) {
        return Err(format!("no {origin}{port} URL in {line:?}"));
    }
    for (at, _) in line.match_indices(origin) {
        let rest = &line[at + origin.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits != port.to_string() || !rest[digits.len()..].starts_with('/') {
            return Err(format!(
                "write the URL as {origin}{port}/… (the lesson's own port): {line:?}"
            ));
        }
    }
    Ok(())
}

/// Runs `line` (the lesson's port `port` in it) with `bash -c` in `dir`, against the lesson
/// listening on `actual`, and returns its standard output, normalised, with `actual` written back
/// as `port`. Fails when curl (the first command of the line) fails; a `grep` that keeps no line
/// is not a failure. The environment is only `PATH`, `HOME=dir` (no `~/.curlrc`) and `LC_ALL=C`.
pub fn run(line: &str, port: u16, actual: u16, dir: &Path) -> Result<String, String> {
    let script = format!(
        "{}\nexit \"${{PIPESTATUS[0]}}\"",
        line.replace(
            &format!("127.0.0.1:{port}/"),
            &format!("127.0.0.1:{actual}/")
        )
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| format!("run bash: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{line}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let printed = String::from_utf8_lossy(&output.stdout)
        .replace(&format!("127.0.0.1:{actual}"), &format!("127.0.0.1:{port}"));
    Ok(normalise(&printed))
}

/// Whether the real curl can be run; the message names the Debian package when it cannot.
pub fn curl_is_installed() -> Result<(), String> {
    match Command::new("curl").arg("--version").output() {
        Ok(output) if output.status.success() => Ok(()),
        _ => Err(
            "the transcripts are replayed with the real curl, which is not installed: \
             run `sudo apt-get install curl` (see the README)"
                .to_owned(),
        ),
    }
}

/// Replaces what changes at every run: the `date:` header and `Expires=` dates by `<date>`, and
/// cookie values of 24 or more base64 or percent-encoded characters by `<ciphertext>`. Sorts each
/// run of [`SHIELD_HEADERS`] lines and drops the `\r` that ends HTTP header lines.
pub fn normalise(output: &str) -> String {
    let mut lines: Vec<String> = output
        .lines()
        .map(|line| {
            let line = line.trim_end_matches('\r');
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("date:") {
                format!("{}: {DATE}", &line[..4])
            } else if lower.starts_with("set-cookie:") {
                normalise_set_cookie(line)
            } else {
                line.to_owned()
            }
        })
        .collect();
    let mut start = 0;
    while start < lines.len() {
        let end = start + lines[start..].iter().take_while(|l| is_shield(l)).count();
        lines[start..end].sort();
        start = end + 1;
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn is_shield(line: &str) -> bool {
    SHIELD_HEADERS.iter().any(|header| {
        line.len() > header.len()
            && line[..header.len()].eq_ignore_ascii_case(header)
            && line[header.len()..].starts_with(':')
    })
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
    fn only_curl_on_the_lessons_own_port_is_accepted() {
        assert!(check("curl -i -d nm=Tim http://127.0.0.1:8002/login", 8002).is_ok());
        assert!(check("curl -s http://127.0.0.1:8002/ | grep Hello", 8002).is_ok());
        assert!(check("wget http://127.0.0.1:8002/", 8002).is_err());
        assert!(check("curl http://127.0.0.1:8001/", 8002).is_err());
        assert!(check("curl http://127.0.0.1:80020/", 8002).is_err());
        assert!(check("curl https://example.com/", 8002).is_err());
    }

    #[test]
    fn dates_ciphertext_and_shield_order_are_normalised_but_short_values_are_not() {
        let output = "HTTP/1.1 303 See Other\r\n\
            set-cookie: user=BAgzoQk0wK1%2FeNTAHsmwnfJX52WdXLdDga714IpXPA%3D%3D; HttpOnly; Path=/\r\n\
            set-cookie: user=; SameSite=Lax; Path=/; Max-Age=0; Expires=Sat, 22 Nov 2025 05:47:15 GMT\r\n\
            set-cookie: user=Tim; HttpOnly\r\n\
            x-frame-options: SAMEORIGIN\r\n\
            permissions-policy: interest-cohort=()\r\n\
            x-content-type-options: nosniff\r\n\
            date: Sun, 22 Nov 2026 05:47:15 GMT\r\n\
            \r\n\
            <p>body</p>\n";
        assert_eq!(
            normalise(output),
            "HTTP/1.1 303 See Other\n\
            set-cookie: user=<ciphertext>; HttpOnly; Path=/\n\
            set-cookie: user=; SameSite=Lax; Path=/; Max-Age=0; Expires=<date>\n\
            set-cookie: user=Tim; HttpOnly\n\
            permissions-policy: interest-cohort=()\n\
            x-content-type-options: nosniff\n\
            x-frame-options: SAMEORIGIN\n\
            date: <date>\n\
            \n\
            <p>body</p>\n"
        );
    }
}
