//! The steps checks are made of, named after what a user does or sees. Each returns the
//! [`Failure`] that explains what was expected and what came back, for `?`.

use std::time::{Duration, Instant};

use crate::html::{squeeze, Element, Html, Wanted};
use crate::{App, Failure, Jar, Program, Response, Settings};

/// Starts the program with its default settings.
pub(crate) fn start(program: &dyn Program) -> Result<App, Failure> {
    start_with(program, &Settings::default())
}

/// Starts the program with `settings`.
pub(crate) fn start_with(program: &dyn Program, settings: &Settings) -> Result<App, Failure> {
    program.start(settings).map_err(|printed| {
        Failure::new(
            format!("{} to start with {settings:?}", program.describe()),
            printed,
        )
    })
}

/// The form body `nm=<name>` as a browser encodes it.
pub(crate) fn name_field(name: &str) -> String {
    format!("nm={}", form_encode(name))
}

/// `application/x-www-form-urlencoded`, as a browser sends a typed value.
pub(crate) fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
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
    let mut jar = Jar::sent(sent);
    jar.store(response)
        .map_err(|_| Failure::of("Set-Cookie lines that start with name=value", response))?;
    Ok(jar.header())
}

/// Expects a `303 See Other` to `location`.
pub(crate) fn assert_redirect(response: &Response, location: &str) -> Result<(), Failure> {
    if response.status == 303 && response.header_values("Location") == [location] {
        Ok(())
    } else {
        Err(Failure::of(
            format!("303 See Other to {location}"),
            response,
        ))
    }
}

/// Expects the status `status`.
pub(crate) fn assert_status(response: &Response, status: u16) -> Result<(), Failure> {
    if response.status == status {
        Ok(())
    } else {
        Err(Failure::of(format!("status {status}"), response))
    }
}

/// Expects a `200 OK` page that shows `name` outside the panel “What your browser sent”: the page
/// of a logged-in user, whatever words greet them.
pub(crate) fn assert_greets(response: &Response, name: &str) -> Result<(), Failure> {
    let wanted = || failure_in_main(format!("a 200 page that shows the name {name:?}"), response);
    assert_status(response, 200).map_err(|_| wanted())?;
    assert_shows(response, name, &[]).map_err(|_| wanted())
}

/// Expects a page whose text, outside the panel and the elements named in `leaving_out` (such
/// as `select`), has `text` in it (unescaped, any white space).
pub(crate) fn assert_shows(
    response: &Response,
    text: &str,
    leaving_out: &[&str],
) -> Result<(), Failure> {
    if visible_text(response, leaving_out).contains(&squeeze(text)) {
        Ok(())
    } else {
        Err(failure_in_main(
            format!("a page that shows {text:?}"),
            response,
        ))
    }
}

/// Expects a page whose text, outside the panel and the elements named in `leaving_out`, does
/// not have `text` in it.
pub(crate) fn assert_does_not_show(
    response: &Response,
    text: &str,
    leaving_out: &[&str],
) -> Result<(), Failure> {
    if visible_text(response, leaving_out).contains(&squeeze(text)) {
        Err(failure_in_main(
            format!("a page that does not show {text:?}"),
            response,
        ))
    } else {
        Ok(())
    }
}

/// The text of the page's body, unescaped, outside the panel and the elements named `leaving_out`.
pub(crate) fn visible_text(response: &Response, leaving_out: &[&str]) -> String {
    let html = Html::parse(&response.body);
    let mut left_out: Vec<&Element> = html.panel().into_iter().collect();
    for tag in leaving_out {
        left_out.extend(html.find_all((tag, &[]), None));
    }
    html.text(html.body(), &left_out)
}

/// Expects the login form: a `200 OK` page with a form that posts to `/login` and has the field
/// `nm` (attributes in any order and case).
pub(crate) fn assert_login_form(response: &Response) -> Result<(), Failure> {
    assert_status(response, 200)?;
    assert_login_form_again(response)
}

/// Expects the login form on the page, whatever its status (such as a refused form's 422).
pub(crate) fn assert_login_form_again(response: &Response) -> Result<(), Failure> {
    let html = Html::parse(&response.body);
    let found = html.find_all(("form", &[("action", Some("/login"))]), None);
    let posts = found.into_iter().find(|form| {
        form.attr("method")
            .is_some_and(|method| method.eq_ignore_ascii_case("post"))
            && html
                .find(("input", &[("name", Some("nm"))]), Some(form))
                .is_some()
    });
    match posts {
        Some(_) => Ok(()),
        None => Err(failure_in_main(
            "the login form: <form action=\"/login\" method=\"post\"> with an <input name=\"nm\">",
            response,
        )),
    }
}

/// Expects what a visitor who is not logged in gets with the `Cookie:` header `cookie`: `/user`
/// sends them to `/login`, and `/login` shows the login form.
pub(crate) fn assert_logged_out(app: &App, cookie: &str) -> Result<(), Failure> {
    assert_redirect(&app.get("/user", &[cookie]), "/login")?;
    assert_login_form(&app.get("/login", &[cookie]))
}

/// Expects the page to have an element that is `wanted` (described as `what`), in its body.
pub(crate) fn assert_has(
    response: &Response,
    wanted: Wanted<'_>,
    what: &str,
) -> Result<(), Failure> {
    let html = Html::parse(&response.body);
    match html.find(wanted, html.body()) {
        Some(_) => Ok(()),
        None => Err(failure_in_main(format!("a page with {what}"), response)),
    }
}

/// Expects no element named any of `tags` in the page's body: text a user typed shown as text,
/// never as markup.
pub(crate) fn assert_no_markup(response: &Response, tags: &[&str]) -> Result<(), Failure> {
    let html = Html::parse(&response.body);
    match tags
        .iter()
        .find(|tag| html.find((tag, &[]), html.body()).is_some())
    {
        None => Ok(()),
        Some(tag) => Err(failure_in_main(
            format!("no <{tag}> element: the typed <{tag}> shown as text (escaped)"),
            response,
        )),
    }
}

/// Expects the form field `name` (an `input`) to hold `value`, as the browser reads it.
pub(crate) fn assert_field_value(
    response: &Response,
    name: &str,
    value: &str,
) -> Result<(), Failure> {
    let html = Html::parse(&response.body);
    let field = html.find(("input", &[("name", Some(name))]), None);
    match field.and_then(|input| input.attr("value")) {
        Some(shown) if shown == value => Ok(()),
        _ => Err(failure_in_main(
            format!("the field `{name}` holding {value:?}"),
            response,
        )),
    }
}

/// Expects the checkbox `name` on the page, ticked (`checked` in any spelling) or not.
pub(crate) fn assert_checkbox(
    response: &Response,
    name: &str,
    ticked: bool,
) -> Result<(), Failure> {
    let html = Html::parse(&response.body);
    let boxes = html.find_all(
        ("input", &[("type", Some("checkbox")), ("name", Some(name))]),
        None,
    );
    match boxes.first() {
        Some(found) if found.attr("checked").is_some() == ticked => Ok(()),
        _ => Err(failure_in_main(
            format!(
                "a checkbox <input type=\"checkbox\" name=\"{name}\">, {}",
                if ticked {
                    "ticked (checked)"
                } else {
                    "not ticked"
                }
            ),
            response,
        )),
    }
}

/// Expects a refused form: the page shows a message that `plain` (the page with the form as it
/// is first shown) does not, outside the panel and the form's fields.
pub(crate) fn assert_has_a_message(refused: &Response, plain: &Response) -> Result<(), Failure> {
    let runs = |response: &Response| {
        let html = Html::parse(&response.body);
        let panel = html.panel();
        let all = html.text_runs(html.body());
        let in_panel = panel.map_or_else(Vec::new, |p| html.text_runs(Some(p)));
        all.into_iter()
            .filter(|run| !in_panel.contains(run))
            .collect::<Vec<_>>()
    };
    let before = runs(plain);
    if runs(refused).iter().any(|run| !before.contains(run)) {
        Ok(())
    } else {
        Err(failure_in_main(
            "a message saying why the form was refused (text the form alone does not have)",
            refused,
        ))
    }
}

/// One row of the panel “What your browser sent”: the value as sent and what the server made of
/// it, as a reader sees them.
pub(crate) struct PanelRow {
    pub(crate) value: String,
    pub(crate) meaning: String,
}

/// The panel's row for the cookie `cookie`: `<tr><td>name</td><td>value</td><td>meaning</td></tr>`.
pub(crate) fn panel_row(response: &Response, cookie: &str) -> Result<PanelRow, Failure> {
    assert_status(response, 200)?;
    let html = Html::parse(&response.body);
    let missing = || {
        failure_with(
            format!("the panel “What your browser sent” with a row for the cookie `{cookie}`"),
            response,
            &html,
            html.panel(),
        )
    };
    let panel = html.panel().ok_or_else(missing)?;
    html.find_all(("tr", &[]), Some(panel))
        .into_iter()
        .find_map(|row| {
            let cells = html.find_all(("td", &[]), Some(row));
            let text = |i: usize| cells.get(i).map(|cell| html.text(Some(cell), &[]));
            (text(0)? == cookie).then(|| PanelRow {
                value: text(1).unwrap_or_default(),
                meaning: text(2).unwrap_or_default(),
            })
        })
        .ok_or_else(missing)
}

/// Expects the panel to say of the cookie `cookie` one of `accepted` (in any case): the sentences
/// the task lists under “What the panel must say”.
pub(crate) fn assert_panel_says(
    response: &Response,
    cookie: &str,
    accepted: &[&str],
) -> Result<(), Failure> {
    let row = panel_row(response, cookie)?;
    let meaning = row.meaning.to_lowercase();
    if accepted
        .iter()
        .any(|sentence| meaning.contains(&squeeze(&sentence.to_lowercase())))
    {
        Ok(())
    } else {
        Err(in_the_panel(
            format!(
                "the panel saying of `{cookie}` one of: {}",
                accepted
                    .iter()
                    .map(|s| format!("“{s}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            response,
        ))
    }
}

/// A failure about the panel: what came back, with the panel's HTML.
pub(crate) fn in_the_panel(expected: impl Into<String>, response: &Response) -> Failure {
    let html = Html::parse(&response.body);
    failure_with(expected, response, &html, html.panel())
}

/// A failure about the page: what came back, with the HTML of its `<main>` (or `<body>`).
pub(crate) fn failure_in_main(expected: impl Into<String>, response: &Response) -> Failure {
    let html = Html::parse(&response.body);
    failure_with(expected, response, &html, main_of(&html))
}

/// A failure about `response`, showing the HTML of `element` (the whole page for `None`).
fn failure_with(
    expected: impl Into<String>,
    response: &Response,
    html: &Html<'_>,
    element: Option<&Element>,
) -> Failure {
    Failure {
        request: response.request.clone(),
        expected: expected.into(),
        got: describe_with(response, html, element),
    }
}

/// The page's `<main>`, or its `<body>`.
fn main_of<'h>(html: &'h Html<'_>) -> Option<&'h Element> {
    html.find(("main", &[]), None).or_else(|| html.body())
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
        Err(Failure::of("no Set-Cookie", response))
    } else {
        let lines: Vec<String> = expected
            .iter()
            .map(|line| format!("Set-Cookie: {line}"))
            .collect();
        Err(Failure::of(lines.join("\n"), response))
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
        .ok_or_else(|| Failure::of(format!("a Set-Cookie line for `{name}`"), response))
}

/// A cookie value as the server reads it: `%XX` escapes decoded (as Rocket's cookie jar does).
pub(crate) fn percent_decode(value: &str) -> String {
    percent_encoding::percent_decode_str(value)
        .decode_utf8_lossy()
        .into_owned()
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
                    ..failure
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
    let since = httpdate::parse_http_date(text).ok()?;
    let seconds = since.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(seconds).ok()
}

/// Seconds since 1970, now.
pub(crate) fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// What came back, for a failure: status, `Location`, every `Set-Cookie` line, what the server
/// printed with a 5xx, and the HTML of the page's `<main>` (or `<body>`) as it was sent.
pub(crate) fn describe(response: &Response) -> String {
    let html = Html::parse(&response.body);
    describe_with(response, &html, main_of(&html))
}

/// Like [`describe`], with the HTML of `element` (the whole page for `None`).
fn describe_with(response: &Response, html: &Html<'_>, element: Option<&Element>) -> String {
    let mut lines = vec![format!("status {}", response.status)];
    for location in response.header_values("Location") {
        lines.push(format!("Location: {location}"));
    }
    for cookie in response.header_values("Set-Cookie") {
        lines.push(format!("Set-Cookie: {cookie}"));
    }
    if !response.printed.is_empty() {
        lines.push(format!(
            "the server printed:\n{}",
            last_lines(&response.printed, 40)
        ));
    }
    if response.status >= 300 && response.status < 400 {
        return lines.join("\n");
    }
    match element {
        Some(element) => lines.push(shown_html(html, element)),
        None if !response.body.trim().is_empty() => {
            lines.push(format!("the page:\n{}", cut(response.body.trim())));
        }
        None => {}
    }
    lines.join("\n")
}

/// `element`'s HTML as the server sent it, its blank lines dropped, cut at a length that still
/// shows a student's own markup.
fn shown_html(html: &Html<'_>, element: &Element) -> String {
    let source: Vec<&str> = html
        .source_of(element)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    format!(
        "the HTML of <{}>:\n{}",
        element.name,
        cut(&source.join("\n"))
    )
}

/// At most about 2,000 characters of `text`, saying how much is left out.
fn cut(text: &str) -> String {
    const SHOWN: usize = 2000;
    match text.char_indices().nth(SHOWN) {
        None => text.to_owned(),
        Some((end, _)) => format!(
            "{}\n… ({} more characters)",
            &text[..end],
            text[end..].chars().count()
        ),
    }
}

/// The last `n` lines of `text`.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
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
            ..Response::default()
        };
        let header = cookie_header(&["Cookie: b=2; c=3"], &response).expect("a header");
        assert_eq!(header, "Cookie: c=3; a=1");
    }
}
