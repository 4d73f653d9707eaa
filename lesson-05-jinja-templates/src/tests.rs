use super::{rocket, Page, Session, MAX_NAME_CHARS};
use rocket::error::ErrorKind;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::{Build, Rocket};
use rocket_dyn_templates::{context, Template};

/// A test-only key, made with `openssl rand -base64 32` for these tests and used nowhere else.
const TEST_KEY: &str = "c2uNp2Q0mV0F0j2bT8Ekq6m3n0R8gq1yUo5hL8yOZ7s=";

/// The lesson's app with `secret_key` set, as `ROCKET_SECRET_KEY` would set it.
fn app() -> Rocket<Build> {
    let app = rocket();
    let figment = app.figment().clone().merge(("secret_key", TEST_KEY));
    app.configure(figment)
}

fn client() -> Client {
    Client::tracked(app()).expect("a valid Rocket instance")
}

fn post_form<'c>(client: &'c Client, path: &'static str, body: &str) -> LocalResponse<'c> {
    client
        .post(path)
        .header(ContentType::Form)
        .body(body)
        .dispatch()
}

fn log_in<'c>(client: &'c Client, form_body: &str) -> LocalResponse<'c> {
    post_form(client, "/login", form_body)
}

/// A client logged in as Tim, with an empty profile.
fn logged_in_client() -> Client {
    let client = client();
    assert_eq!(log_in(&client, "nm=Tim").status(), Status::SeeOther);
    client
}

/// Posts the profile form with all three fields, as the browser sends it.
fn save_profile<'c>(
    client: &'c Client,
    first: &str,
    last: &str,
    colour: &str,
) -> LocalResponse<'c> {
    post_form(
        client,
        "/profile",
        &format!("firstName={first}&lastName={last}&favouriteColour={colour}"),
    )
}

fn set_cookie_headers(response: &LocalResponse<'_>) -> Vec<String> {
    response
        .headers()
        .get("Set-Cookie")
        .map(str::to_owned)
        .collect()
}

fn location<'r>(response: &'r LocalResponse<'_>) -> Option<&'r str> {
    response.headers().get_one("Location")
}

fn get_page(client: &Client, path: &'static str) -> String {
    let response = client.get(path).dispatch();
    assert_eq!(response.status(), Status::Ok, "{path}");
    response.into_string().unwrap()
}

/// The `<nav>` element of a page.
fn nav(page: &str) -> &str {
    let start = page.find("<nav>").expect("every page has a <nav>");
    let end = page[start..].find("</nav>").expect("the <nav> is closed") + start;
    &page[start..end]
}

/// The JSON the session cookie in `response` decrypts to.
fn session_json(response: &LocalResponse<'_>) -> String {
    response
        .cookies()
        .get_private("session")
        .expect("the response sets the session cookie")
        .value()
        .to_owned()
}

const LOGGED_IN_NAV: &str = r#"Logged in as <a href="/user">Tim</a> · <a href="/profile">Profile</a> · <a href="/logout">Log out</a>"#;
const LOGGED_OUT_NAV: &str = r#"<a href="/login">Log in</a>"#;

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

// --- Navigation, decided in the template -----------------------------------------------------

#[test]
fn every_page_shows_log_in_when_logged_out() {
    let client = client();
    for path in ["/", "/login"] {
        assert_logged_out_nav(&get_page(&client, path), path);
    }
    // The pages that need a session send a visitor without one to log in instead.
    for path in ["/user", "/profile"] {
        let response = client.get(path).dispatch();
        assert_eq!(response.status(), Status::SeeOther, "{path}");
        assert_eq!(location(&response), Some("/login"), "{path}");
    }
    let refused = log_in(&client, "nm=");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_out_nav(&refused.into_string().unwrap(), "refused login");
}

#[test]
fn every_page_shows_logged_in_as_when_logged_in() {
    let client = logged_in_client();
    for path in ["/", "/user", "/profile"] {
        assert_logged_in_nav(&get_page(&client, path), path);
    }
    // The login page sends a logged-in visitor to `/user` instead.
    let response = client.get("/login").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    let refused = post_form(&client, "/profile", "firstName=Tim");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert_logged_in_nav(&refused.into_string().unwrap(), "refused profile");
}

#[test]
fn the_navigation_follows_the_session_not_the_handler() {
    let client = logged_in_client();
    assert_logged_in_nav(&get_page(&client, "/"), "after login");
    client.get("/logout").dispatch();
    assert_logged_out_nav(&get_page(&client, "/"), "after logout");
}

// --- Login and the session cookie -----------------------------------------------------------

#[test]
fn login_page_is_a_form_with_field_nm() {
    let page = get_page(&client(), "/login");
    assert!(page.contains(r#"<form action="/login" method="post">"#));
    assert!(page.contains(r#"name="nm""#));
}

#[test]
fn login_stores_only_the_name_in_one_encrypted_browser_session_cookie() {
    let client = client();
    let response = log_in(&client, "nm=Timothy");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    let headers = set_cookie_headers(&response);
    assert_eq!(headers.len(), 1, "{headers:?}");
    let (pair, attributes) = headers[0].split_once("; ").unwrap();
    assert_eq!(attributes, "HttpOnly; SameSite=Strict; Path=/");
    assert!(!pair.contains("Timothy"), "{pair}");
    // No profile fields yet: they are left out, not stored as null.
    assert_eq!(session_json(&response), r#"{"user":"Timothy"}"#);
}

#[test]
fn user_page_without_a_session_redirects_to_login() {
    let client = client();
    let response = client.get("/user").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
}

#[test]
fn a_forged_plain_cookie_is_not_logged_in() {
    let client = Client::untracked(app()).unwrap();
    let response = client
        .get("/")
        .cookie(Cookie::new("session", r#"{"user":"admin"}"#))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let page = response.into_string().unwrap();
    assert_logged_out_nav(&page, "forged cookie");
    assert!(page.contains("Could not be decrypted"), "{page}");
}

#[test]
fn logout_forgets_the_name_and_the_profile() {
    let client = logged_in_client();
    save_profile(&client, "Timothy", "", "");
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    let removal = set_cookie_headers(&response);
    assert_eq!(removal.len(), 1, "{removal:?}");
    assert!(removal[0].starts_with("session=; "), "{removal:?}");
    assert!(removal[0].contains("Max-Age=0"), "{removal:?}");
    let home = get_page(&client, "/");
    assert!(!home.contains("Timothy"), "{home}");
}

#[test]
fn logout_without_a_session_sends_no_set_cookie() {
    let client = client();
    let response = client.get("/logout").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert!(set_cookie_headers(&response).is_empty());
}

// --- The profile: optional fields, shown only when set --------------------------------------

#[test]
fn a_new_session_shows_no_profile_fields() {
    let page = get_page(&logged_in_client(), "/user");
    assert!(page.contains("<h1>Hello, Tim</h1>"), "{page}");
    for label in ["First name:", "Last name:", "Favourite colour:"] {
        assert!(!page.contains(label), "{label} in {page}");
    }
}

#[test]
fn each_profile_field_appears_only_when_set() {
    let client = logged_in_client();
    let response = save_profile(&client, "Timothy", "", "");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/user"));
    assert_eq!(
        session_json(&response),
        r#"{"user":"Tim","firstName":"Timothy"}"#
    );
    let page = get_page(&client, "/user");
    assert!(page.contains("<li>First name: Timothy</li>"), "{page}");
    assert!(!page.contains("Last name:"), "{page}");
    assert!(!page.contains("Favourite colour:"), "{page}");
    // `default(value=session.user)` gives way to the first name once there is one.
    assert!(page.contains("<h1>Hello, Timothy</h1>"), "{page}");

    save_profile(&client, "", "Berners-Lee", "teal");
    let page = get_page(&client, "/user");
    assert!(!page.contains("First name:"), "{page}");
    assert!(page.contains("<li>Last name: Berners-Lee</li>"), "{page}");
    assert!(page.contains("<li>Favourite colour: teal</li>"), "{page}");
    assert!(page.contains("<h1>Hello, Tim</h1>"), "{page}");
}

#[test]
fn the_home_page_greets_by_first_name_only_when_there_is_one() {
    let client = logged_in_client();
    assert!(!get_page(&client, "/").contains("Welcome back"));
    save_profile(&client, "Timothy", "", "");
    assert!(get_page(&client, "/").contains("<p>Welcome back, Timothy.</p>"));
}

#[test]
fn an_emptied_field_is_removed_from_the_session() {
    let client = logged_in_client();
    save_profile(&client, "Timothy", "Lee", "teal");
    let response = save_profile(&client, "+%20+", "Lee", "");
    assert_eq!(
        session_json(&response),
        r#"{"user":"Tim","lastName":"Lee"}"#
    );
}

#[test]
fn the_profile_form_shows_the_stored_values() {
    let client = logged_in_client();
    save_profile(&client, "Timothy", "", "teal");
    let page = get_page(&client, "/profile");
    assert!(
        page.contains(r#"name="firstName" value="Timothy""#),
        "{page}"
    );
    assert!(page.contains(r#"name="lastName" value="""#), "{page}");
    assert!(
        page.contains(r#"name="favouriteColour" value="teal""#),
        "{page}"
    );
}

#[test]
fn saving_a_profile_without_a_session_stores_nothing() {
    let client = client();
    let response = save_profile(&client, "Timothy", "", "");
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), Some("/login"));
    assert!(set_cookie_headers(&response).is_empty());
}

// --- Bad input: a message, a 422, nothing stored --------------------------------------------

/// Posts a bad login form: the form again with `message`, a 422, no cookie.
fn assert_login_refused(form_body: &str, message: &str) {
    let client = client();
    let response = log_in(&client, form_body);
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "{form_body:?}"
    );
    assert!(set_cookie_headers(&response).is_empty(), "{form_body:?}");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(message),
        "{form_body:?} should show {message:?}"
    );
    assert!(page.contains(r#"name="nm""#), "the form is shown again");
}

#[test]
fn bad_names_are_refused() {
    assert_login_refused("nm=", "Please type a name.");
    assert_login_refused("nm=+%20%09+", "Please type a name.");
    assert_login_refused("name=Tim", "the field `nm` was missing");
    assert_login_refused("nm=Tim%0ASet-Cookie", "control characters");
    let longest = "ë".repeat(MAX_NAME_CHARS);
    assert_eq!(
        log_in(&client(), &format!("nm={longest}")).status(),
        Status::SeeOther
    );
    assert_login_refused(
        &format!("nm={longest}x"),
        "A name can have at most 50 characters.",
    );
}

/// Posts a bad profile form for a logged-in Tim who has a first name: the form again with
/// `message`, a 422, no cookie, and the session as it was.
fn assert_profile_refused(form_body: &str, message: &str) {
    let client = logged_in_client();
    save_profile(&client, "Timothy", "", "");
    let response = post_form(&client, "/profile", form_body);
    assert_eq!(
        response.status(),
        Status::UnprocessableEntity,
        "{form_body:?}"
    );
    assert!(set_cookie_headers(&response).is_empty(), "{form_body:?}");
    let page = response.into_string().unwrap();
    assert!(
        page.contains(message),
        "{form_body:?} should show {message:?}: {page}"
    );
    assert!(
        page.contains(r#"name="firstName""#),
        "the form is shown again"
    );
    let user = get_page(&client, "/user");
    assert!(user.contains("<li>First name: Timothy</li>"), "{user}");
    assert!(!user.contains("Last name:"), "{user}");
}

#[test]
fn bad_profile_values_are_refused_and_nothing_is_stored() {
    let longest = "ë".repeat(MAX_NAME_CHARS);
    let client = logged_in_client();
    assert_eq!(
        save_profile(&client, &longest, &longest, &longest).status(),
        Status::SeeOther
    );
    assert_profile_refused(
        &format!("firstName=Tom&lastName={longest}x&favouriteColour="),
        "A last name can have at most 50 characters.",
    );
    assert_profile_refused(
        "firstName=Tom&lastName=Lee&favouriteColour=red%0Ablue",
        "A favourite colour cannot contain control characters",
    );
    assert_profile_refused(
        "lastName=Lee&favouriteColour=",
        "The form sent no field `firstName`.",
    );
}

#[test]
fn a_refused_profile_shows_every_message_and_what_was_typed() {
    let client = logged_in_client();
    let response = post_form(
        &client,
        "/profile",
        "firstName=Tom%09Tom&lastName=Lee&favouriteColour=%22%3E%3Cb%3E",
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = response.into_string().unwrap();
    assert!(
        page.contains("A first name cannot contain control characters"),
        "{page}"
    );
    assert!(page.contains(r#"name="lastName" value="Lee""#), "{page}");
    assert!(
        page.contains(r#"name="favouriteColour" value="&quot;&gt;&lt;b&gt;""#),
        "{page}"
    );
    let response = post_form(&client, "/profile", "favouriteColour=");
    let page = response.into_string().unwrap();
    assert!(page.contains("no field `firstName`"), "{page}");
    assert!(page.contains("no field `lastName`"), "{page}");
}

// --- Escaping -------------------------------------------------------------------------------

#[test]
fn html_in_any_field_is_escaped_on_the_page_and_in_the_panel() {
    let client = client();
    log_in(&client, "nm=%3Cscript%3En%3C%2Fscript%3E");
    save_profile(
        &client,
        "%3Cscript%3Ef%3C%2Fscript%3E",
        "%3Cscript%3El%3C%2Fscript%3E",
        "%3Cscript%3Ec%3C%2Fscript%3E",
    );
    let page = get_page(&client, "/user");
    assert!(!page.contains("<script>"), "{page}");
    for (letter, shown_on_page) in [("n", 4), ("f", 3), ("l", 2), ("c", 2)] {
        let escaped = format!("&lt;script&gt;{letter}&lt;&#x2F;script&gt;");
        // Each count includes the panel, which shows the decrypted JSON.
        assert_eq!(
            page.matches(&escaped).count(),
            shown_on_page,
            "{letter}: {page}"
        );
    }
}

// --- Jinja2 spellings and their Tera equivalents (the README's table) ------------------------

/// How a template source fares in this lesson's own template setup.
#[derive(Debug, PartialEq)]
enum Rendered {
    /// The page, as the browser would get it.
    Page(String),
    /// Tera parsed the template but could not render it: in a handler, a 500.
    Fails,
    /// Tera could not parse the template: Rocket refuses to launch.
    NoLaunch,
}

/// Renders `source` with the lesson's own app (`rocket()` and its `Template` fairing, only the
/// template directory changed to one holding this template alone) and the context `Page` gives
/// every page, for a request carrying `session`.
fn render(source: &str, session: Option<Session>) -> Rendered {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lesson-05-snippet-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("snippet.html.tera"), source).unwrap();
    let app = app();
    let figment = app
        .figment()
        .clone()
        .merge(("template_dir", &dir))
        .merge(("log_level", "off"));
    let rendered = match Client::untracked(app.configure(figment)) {
        Err(error) => match error.kind() {
            ErrorKind::FailedFairings(failed) if failed[0].name == "Templating" => {
                Rendered::NoLaunch
            }
            other => panic!("launch failed for another reason: {other:?}"),
        },
        Ok(client) => {
            let page = Page {
                session,
                sent: Vec::new(),
            };
            match Template::show(client.rocket(), "snippet", page.context(context! {})) {
                Some(html) => Rendered::Page(html),
                None => Rendered::Fails,
            }
        }
    };
    std::fs::remove_dir_all(&dir).unwrap();
    rendered
}

fn page_of(html: &str) -> Rendered {
    Rendered::Page(html.to_owned())
}

fn tim() -> Session {
    Session {
        user: "Tim".to_owned(),
        first_name: Some("Timothy".to_owned()),
        last_name: None,
        favourite_colour: None,
    }
}

#[test]
fn jinja_membership_test_works_unchanged() {
    let source = "{% if 'firstName' in session %}First name: {{ session['firstName'] }}{% endif %}";
    assert_eq!(render(source, Some(tim())), page_of("First name: Timothy"));
    // Unset (`None`) is left out of the map, so `in` is false, as for a key Flask never set.
    let source = "{% if 'lastName' in session %}set{% else %}not set{% endif %}";
    assert_eq!(render(source, Some(tim())), page_of("not set"));
    // No session at all is an empty map, not an error.
    assert_eq!(render(source, None), page_of("not set"));
    assert_eq!(
        render("{% if 'nobody' not in session %}ok{% endif %}", None),
        page_of("ok")
    );
}

#[test]
fn dot_and_bracket_read_the_same_value() {
    let source = "{{ session.firstName }} {{ session['firstName'] }} {{ session[\"firstName\"] }}";
    assert_eq!(
        render(source, Some(tim())),
        page_of("Timothy Timothy Timothy")
    );
}

#[test]
fn a_missing_key_fails_the_page_where_jinja_prints_nothing() {
    assert_eq!(
        render("[{{ session.lastName }}]", Some(tim())),
        Rendered::Fails
    );
    assert_eq!(
        render("[{{ session['lastName'] }}]", Some(tim())),
        Rendered::Fails
    );
    assert_eq!(render("[{{ session.user }}]", None), Rendered::Fails);
    // The safe spellings: test first, or give a default.
    assert_eq!(
        render(
            "[{% if session.lastName %}{{ session.lastName }}{% endif %}]",
            Some(tim())
        ),
        page_of("[]")
    );
    assert_eq!(
        render(
            "[{{ session.lastName | default(value=\"\") }}]",
            Some(tim())
        ),
        page_of("[]")
    );
}

#[test]
fn default_takes_a_named_argument() {
    assert_eq!(
        render(
            "{{ session.lastName | default(value=\"friend\") }}",
            Some(tim())
        ),
        page_of("friend")
    );
    // Jinja2's positional `default('friend')` does not parse in Tera: the app does not start.
    assert_eq!(
        render("{{ session.lastName | default('friend') }}", Some(tim())),
        Rendered::NoLaunch
    );
    // Nor does a method call such as Python's `session.get('lastName', 'friend')`.
    assert_eq!(
        render("{{ session.get('lastName', 'friend') }}", Some(tim())),
        Rendered::NoLaunch
    );
}

#[test]
fn filters_upper_title_length() {
    assert_eq!(
        render(
            "{{ session.firstName | upper }} {{ 'ada lovelace' | title }} {{ session.firstName | length }}",
            Some(tim())
        ),
        page_of("TIMOTHY Ada Lovelace 7")
    );
    // `length` of the whole session counts the keys that are set.
    assert_eq!(render("{{ session | length }}", Some(tim())), page_of("2"));
    assert_eq!(render("{{ session | length }}", None), page_of("0"));
    // Jinja2 gives 0 for a missing key; Tera fails.
    assert_eq!(
        render("{{ session.lastName | length }}", Some(tim())),
        Rendered::Fails
    );
}

#[test]
fn raw_shows_template_syntax_as_text() {
    assert_eq!(
        render(
            "{% raw %}{% if 'firstName' in session %}{{ session.firstName }}{% endif %}{% endraw %}",
            Some(tim())
        ),
        page_of("{% if 'firstName' in session %}{{ session.firstName }}{% endif %}")
    );
}

#[test]
fn html_templates_are_autoescaped_unless_marked_safe() {
    let mut session = tim();
    session.first_name = Some(r#"<b>"Tim" & 'Tom'</b>"#.to_owned());
    assert_eq!(
        render("{{ session.firstName }}", Some(session)),
        page_of("&lt;b&gt;&quot;Tim&quot; &amp; &#x27;Tom&#x27;&lt;&#x2F;b&gt;")
    );
    let mut session = tim();
    session.first_name = Some("<b>Tim</b>".to_owned());
    assert_eq!(
        render("{{ session.firstName | safe }}", Some(session)),
        page_of("<b>Tim</b>")
    );
}
