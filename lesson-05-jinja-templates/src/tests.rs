//! In-process tests, with Rocket's local client, for what the spec cannot see: the Jinja2
//! spellings of the README's table rendered in Tera through this lesson's own setup, sessions built
//! with the test key (expired, not a session at all), and escaping in every value. The two
//! navigation tests are also in the spec; they stay because the README's table names them.
//! Everything else a user can see is lesson 05's spec in the `specs` package, run by
//! `tests/spec.rs`.

use super::{rocket, PageContext, SessionData, SessionInTemplates};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rocket::error::ErrorKind;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::{Build, Rocket};
use rocket_dyn_templates::{context, Template};

/// Test-only keys, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "Jj3uy7XaHZqzobtnD9A+qfGMeMZLE6t3PCkNEtVZxns=";

/// The lesson's app with `secret_key` set, as `ROCKET_SECRET_KEY` would set it.
fn app_with_key(key: &str) -> Rocket<Build> {
    let app = rocket();
    let figment = app.figment().clone().merge(("secret_key", key));
    app.configure(figment)
}

fn client_with_key(key: &str) -> Client {
    Client::tracked(app_with_key(key)).expect("a valid Rocket instance")
}

fn client() -> Client {
    client_with_key(TEST_KEY)
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

fn log_in<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/login")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
}

fn choose_colour<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/colour")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
}

fn location<'r>(response: &'r LocalResponse<'_>) -> Option<&'r str> {
    response.headers().get_one("Location")
}

/// A session for Tim, as the server would have written it, expiring at `expires`.
fn tims_session(permanent: bool, expires: DateTime<Utc>) -> SessionData {
    SessionData {
        user: Some("Tim".to_owned()),
        colour: None,
        first_name: None,
        last_name: None,
        permanent,
        expires,
    }
}

/// Asks `app` for `path`, sending exactly one cookie: `session`, holding `data` encrypted with the
/// app's key, the way a browser would send back a cookie it kept. Returns the status and the page.
fn visit_with_session(app: Rocket<Build>, path: &str, data: &SessionData) -> (Status, String) {
    let client = Client::untracked(app).unwrap();
    let json = serde_json::to_string(data).unwrap();
    let response = client
        .get(path.to_owned())
        .private_cookie(Cookie::new("session", json))
        .dispatch();
    (
        response.status(),
        response.into_string().unwrap_or_default(),
    )
}

// --- A value only the key can make ---------------------------------------------------------------

#[test]
fn a_decryptable_value_that_is_not_a_session_is_not_logged_in() {
    // Encrypted with this key, but lesson 03's kind of value: just a name.
    let client = Client::untracked(app_with_key(TEST_KEY)).unwrap();
    let response = client
        .get("/user")
        .private_cookie(Cookie::new("session", "Tim"))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

// --- Lesson 05: the navigation, decided in the template ------------------------------------------

const LOGGED_IN_NAV: &str =
    r#"Logged in as <a href="/user">Tim</a> · <a href="/logout">Log out</a>"#;
const LOGGED_OUT_NAV: &str = r#"<a href="/login">Log in</a>"#;

/// The `<nav>` element of a page.
fn nav(page: &str) -> &str {
    let start = page.find("<nav>").expect("every page has a <nav>");
    let end = start + page[start..].find("</nav>").expect("the <nav> is closed");
    &page[start..end]
}

fn assert_logged_in_nav(page: &str, what: &str) {
    let nav = nav(page);
    assert!(nav.contains(LOGGED_IN_NAV), "{what}: {nav}");
    assert!(!nav.contains(LOGGED_OUT_NAV), "{what}: {nav}");
}

fn assert_logged_out_nav(page: &str, what: &str) {
    let nav = nav(page);
    assert!(nav.contains(LOGGED_OUT_NAV), "{what}: {nav}");
    assert!(!nav.contains("Logged in as"), "{what}: {nav}");
}

/// `GET path`, which must answer 200, and the page.
fn get_page(client: &Client, path: &'static str) -> String {
    let response = client.get(path).dispatch();
    assert_eq!(response.status(), Status::Ok, "{path}");
    response.into_string().unwrap()
}

fn assert_redirect(response: LocalResponse<'_>, to: &str, what: &str) {
    assert_eq!(response.status(), Status::SeeOther, "{what}");
    assert_eq!(location(&response), Some(to), "{what}");
}

fn save_names<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    client
        .post("/names")
        .header(ContentType::Form)
        .body(form_body)
        .dispatch()
}

#[test]
fn every_page_says_log_in_when_logged_out() {
    let client = client();
    for path in ["/", "/login"] {
        assert_logged_out_nav(&get_page(&client, path), path);
    }
    let refused = log_in(&client, "nm=");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_out_nav(&refused.into_string().unwrap(), "refused login");
    // The other pages need a login and send the visitor to the login page instead.
    assert_redirect(client.get("/user").dispatch(), "/login", "/user");
    assert_redirect(
        save_names(&client, "firstName=Tim&lastName="),
        "/login",
        "/names",
    );
    assert_redirect(choose_colour(&client, "colour=blue"), "/login", "/colour");
}

#[test]
fn every_page_says_logged_in_as_when_logged_in() {
    let client = client();
    log_in(&client, "nm=Tim");
    for path in ["/", "/user"] {
        assert_logged_in_nav(&get_page(&client, path), path);
    }
    let refused = choose_colour(&client, "colour=magenta");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_in_nav(&refused.into_string().unwrap(), "refused colour");
    let refused = save_names(&client, "firstName=Tim");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_in_nav(&refused.into_string().unwrap(), "refused names");
    // The login page sends a logged-in visitor to the user page instead.
    assert_redirect(client.get("/login").dispatch(), "/user", "/login");
}

#[test]
fn an_expired_session_shows_log_in() {
    let data = tims_session(true, now() - TimeDelta::seconds(1));
    let (status, page) = visit_with_session(app_with_key(TEST_KEY), "/", &data);
    assert_eq!(status, Status::Ok);
    assert_logged_out_nav(&page, "expired");
}

// --- Lesson 05: first and last names, shown only when set --------------------------------------

#[test]
fn html_in_any_value_is_escaped_on_the_pages_and_in_the_panel() {
    let client = client();
    log_in(&client, "nm=%3Ci%3En%3C%2Fi%3E");
    save_names(
        &client,
        "firstName=%3Ci%3Ef%3C%2Fi%3E&lastName=%3Ci%3El%3C%2Fi%3E",
    );
    let page = get_page(&client, "/user");
    assert!(!page.contains("<i>"), "{page}");
    // Escaped exactly once: `&lt;`, never `&amp;lt;`.
    assert!(!page.contains("&amp;"), "{page}");
    // The name: title, navigation, sentence, panel. The first name: greeting, list, form, panel.
    // The last name: list, form, panel.
    for (letter, times) in [("n", 4), ("f", 4), ("l", 3)] {
        let escaped = format!("&lt;i&gt;{letter}&lt;&#x2F;i&gt;");
        assert_eq!(page.matches(&escaped).count(), times, "{letter}: {page}");
    }
    let home = get_page(&client, "/");
    assert!(
        home.contains("<p>Welcome back, &lt;i&gt;f&lt;&#x2F;i&gt;.</p>"),
        "{home}"
    );
    client.get("/logout").dispatch();
    let login = get_page(&client, "/login");
    assert!(
        login.contains("<li>Last name: &lt;i&gt;l&lt;&#x2F;i&gt;</li>"),
        "{login}"
    );
    assert!(!login.contains("<i>"), "{login}");
}

// --- Lesson 05: Jinja2 spellings in Tera (the README's table) ------------------------------------

/// How a template fares in this lesson's own template setup.
#[derive(Debug, PartialEq)]
enum Rendered {
    /// The text the browser would get.
    Page(String),
    /// Tera parsed the template but could not render it: in a handler, a 500.
    Fails,
    /// Tera could not parse the template: Rocket refuses to launch.
    NoLaunch,
}

fn page_of(text: &str) -> Rendered {
    Rendered::Page(text.to_owned())
}

/// Renders `source` as a template of this lesson's app (`rocket()` with its `Template` fairing,
/// only the template directory changed to one holding this template alone), with the context
/// `Session::render` gives every page when the session is `data`.
fn render(source: &str, data: Option<&SessionData>) -> Rendered {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lesson-05-template-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("snippet.html.tera"), source).unwrap();
    let app = app_with_key(TEST_KEY);
    let figment = app.figment().clone().merge(("template_dir", &dir));
    let rendered = match Client::untracked(app.configure(figment)) {
        Ok(client) => {
            let context = PageContext {
                session: SessionInTemplates { data },
                sent: Vec::new(),
                values: context! {},
            };
            match Template::show(client.rocket(), "snippet", context) {
                Some(text) => Rendered::Page(text),
                None => Rendered::Fails,
            }
        }
        Err(error) => match error.kind() {
            ErrorKind::FailedFairings(failed) if failed[0].name == "Templating" => {
                Rendered::NoLaunch
            }
            other => panic!("the launch failed for another reason: {other:?}"),
        },
    };
    std::fs::remove_dir_all(&dir).unwrap();
    rendered
}

/// Tim's session with the first name `first` and no last name.
fn with_first_name(first: &str) -> SessionData {
    let mut data = tims_session(true, now());
    data.first_name = Some(first.to_owned());
    data
}

#[test]
fn jinja_membership_test_works_unchanged() {
    let tim = with_first_name("Timothy");
    let seed = "{% if 'firstName' in session %}First Name: {{ session['firstName'] }}{% endif %}";
    assert_eq!(render(seed, Some(&tim)), page_of("First Name: Timothy"));
    let last = "{% if 'lastName' in session %}set{% else %}not set{% endif %}";
    assert_eq!(render(last, Some(&tim)), page_of("not set"));
    // No session at all is `{}`, where the test is simply false.
    assert_eq!(render(last, None), page_of("not set"));
    let not_in = "{% if 'user' not in session %}nobody{% endif %}";
    assert_eq!(render(not_in, None), page_of("nobody"));
}

#[test]
fn dot_and_brackets_read_the_same_value() {
    let tim = with_first_name("Timothy");
    let source = r#"{{ session.firstName }} {{ session['firstName'] }} {{ session["firstName"] }}"#;
    assert_eq!(
        render(source, Some(&tim)),
        page_of("Timothy Timothy Timothy")
    );
}

#[test]
fn a_missing_key_fails_the_page_where_jinja_prints_nothing() {
    let tim = with_first_name("Timothy");
    assert_eq!(
        render("{{ session.lastName }}", Some(&tim)),
        Rendered::Fails
    );
    assert_eq!(
        render("{{ session['lastName'] }}", Some(&tim)),
        Rendered::Fails
    );
    assert_eq!(render("{{ session.user }}", None), Rendered::Fails);
    // Safe: test first (a missing key is simply false in an `if`), or give a default.
    let tested = "[{% if session.lastName %}{{ session.lastName }}{% endif %}]";
    assert_eq!(render(tested, Some(&tim)), page_of("[]"));
    let defaulted = r#"[{{ session.lastName | default(value="") }}]"#;
    assert_eq!(render(defaulted, Some(&tim)), page_of("[]"));
}

#[test]
fn default_takes_a_named_argument_and_escapes_its_value_twice() {
    let tim = with_first_name("<b>Tim</b>");
    let named = r#"{{ session.lastName | default(value="friend") }}"#;
    assert_eq!(render(named, Some(&tim)), page_of("friend"));
    // Jinja2's positional `default('friend')` does not parse in Tera, nor does a method call such
    // as `session.get('lastName', 'friend')`: the app does not even start.
    let positional = "{{ session.lastName | default('friend') }}";
    assert_eq!(render(positional, Some(&tim)), Rendered::NoLaunch);
    let method = "{{ session.get('lastName', 'friend') }}";
    assert_eq!(render(method, Some(&tim)), Rendered::NoLaunch);
    // Tera escapes the value `default` falls back to twice (Keats/tera#969): `/` comes out as
    // `&amp;#x2F;`, and a name from the session is mangled the same way.
    let slash = r#"{{ session.lastName | default(value="n/a") }}"#;
    assert_eq!(render(slash, Some(&tim)), page_of("n&amp;#x2F;a"));
    let from_session = "{{ session.lastName | default(value=session.firstName) }}";
    assert_eq!(
        render(from_session, Some(&tim)),
        page_of("&amp;lt;b&amp;gt;Tim&amp;lt;&amp;#x2F;b&amp;gt;")
    );
}

#[test]
fn filters_upper_title_length_keep_their_names() {
    let tim = with_first_name("Timothy");
    let source = "{{ session.firstName | upper }} {{ 'ada lovelace' | title }} \
                  {{ session.firstName | length }}";
    assert_eq!(
        render(source, Some(&tim)),
        page_of("TIMOTHY Ada Lovelace 7")
    );
    // Jinja2 gives 0 for the length of a missing key; Tera fails the page.
    let missing = "{{ session.lastName | length }}";
    assert_eq!(render(missing, Some(&tim)), Rendered::Fails);
}

#[test]
fn raw_shows_template_syntax_as_text() {
    let source = "{% raw %}{% if 'firstName' in session %}{{ session.firstName }}{% endif %}\
                  {% endraw %}";
    assert_eq!(
        render(source, None),
        page_of("{% if 'firstName' in session %}{{ session.firstName }}{% endif %}")
    );
}

#[test]
fn html_templates_are_escaped_unless_marked_safe() {
    let tim = with_first_name(r#"<b>"Tim" & 'Tom'</b>"#);
    assert_eq!(
        render("{{ session.firstName }}", Some(&tim)),
        page_of("&lt;b&gt;&quot;Tim&quot; &amp; &#x27;Tom&#x27;&lt;&#x2F;b&gt;")
    );
    assert_eq!(
        render("{{ session.firstName | safe }}", Some(&tim)),
        page_of(r#"<b>"Tim" & 'Tom'</b>"#)
    );
}
