//! What the course's tests share: a scratch place for exercises, builds, and the "plausible wrong
//! solutions" (every patch of a lesson's code that a test applies is in [`WRONG`]).

use std::path::{Path, PathBuf};

use course::Course;

/// The workspace this test was built in.
pub(crate) fn workspace() -> PathBuf {
    test_support::workspace_root(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory this test runs from (`<target>/debug/deps/<test>`), which holds the
/// dependencies the exercises reuse.
pub(crate) fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.ancestors()
        .nth(3)
        .expect("tests run from <target>/<profile>/deps")
        .to_path_buf()
}

/// The tests build many variants of the exercises: without incremental data or debug info and
/// stripped, each takes 19 MB of target/ instead of 83 MB. The dependencies are built with
/// `debug = false` anyway, so they are still reused.
pub(crate) const SMALL_BUILDS: [(&str, &str); 3] = [
    ("CARGO_INCREMENTAL", "0"),
    ("CARGO_PROFILE_DEV_DEBUG", "0"),
    ("CARGO_PROFILE_DEV_STRIP", "true"),
];

/// A fresh directory of the tests' own (never the student's `exercises/`), named after `label`,
/// which each test makes unique.
fn scratch_dir(label: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("course-{label}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove an old scratch directory");
    }
    dir
}

/// The course with its exercises in a fresh directory of their own, named after `label`.
pub(crate) fn scratch(label: &str) -> Course {
    course_in(scratch_dir(label))
}

/// The course with its exercises in `exercises`.
fn course_in(exercises: PathBuf) -> Course {
    Course {
        root: workspace(),
        exercises,
        target_dir: target_dir(),
        build_env: SMALL_BUILDS
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// Exercise `n` started in `course` as package `package` (unique per test, so that parallel tests
/// never share a binary), and built.
pub(crate) fn start_and_build(course: &Course, n: u8, package: &str) -> PathBuf {
    forget_old_builds(package);
    let dir = course
        .start(n, package, false)
        .unwrap_or_else(|e| panic!("start {n:02}: {e}"));
    build(course, &dir, package)
}

/// Makes cargo forget every earlier build of `package` in the tests' target directory. Cargo
/// records a build's sources by their absolute paths, so a same-named package built earlier from
/// another directory that still exists (another scratch directory, another run) would look fresh
/// to it, and its old binary would be checked. The compiled dependencies and the incremental cache
/// stay.
pub(crate) fn forget_old_builds(package: &str) {
    let fingerprints = target_dir().join("debug/.fingerprint");
    let Ok(entries) = std::fs::read_dir(&fingerprints) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let is_its = name
            .to_str()
            .and_then(|name| name.strip_prefix(package)?.strip_prefix('-'))
            .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()));
        if is_its {
            std::fs::remove_dir_all(entry.path()).expect("remove an old build's fingerprint");
        }
    }
}

pub(crate) fn build(course: &Course, dir: &Path, package: &str) -> PathBuf {
    course
        .build(dir, package, false)
        .unwrap_or_else(|compiler| panic!("{package} does not build:\n{compiler}"))
}

/// Lesson `n`'s reference code put into the started exercise, as a student who copies it would.
pub(crate) fn put_reference(course: &Course, n: u8) {
    let lesson = course.lesson_dir(n).expect("the lesson");
    course::copy_code(
        &lesson,
        &course.exercise_dir(n),
        8000 + u16::from(n),
        course::port(n),
    )
    .unwrap_or_else(|e| panic!("copy lesson {n:02}: {e}"));
}

/// A wrong solution built: what it is, its binary, and the directory it runs in.
pub(crate) struct Built<'w> {
    pub(crate) wrong: &'w Wrong,
    pub(crate) binary: PathBuf,
    pub(crate) dir: PathBuf,
}

/// Builds each of `wrongs` (all of exercise `n`, wrong or right): the reference with the patch applied, each a
/// package of its own, all members of one workspace, so that one `cargo build` compiles them side
/// by side instead of one after the other.
pub(crate) fn build_wrong<'w>(n: u8, wrongs: &[&'w Wrong]) -> Vec<Built<'w>> {
    // Named after the first of them: the tests that build wrong (or right) answers of one exercise
    // at the same time start from different ones.
    let first = wrongs.first().map_or("none", |wrong| wrong.label);
    let base = scratch_dir(&format!("wrong-{n:02}-{first}"));
    let mut members = Vec::new();
    let mut profiles = String::new();
    let mut built = Vec::new();
    for &wrong in wrongs {
        let course = course_in(base.join(wrong.label));
        let package = format!("exercise-{n:02}-{}", wrong.label);
        forget_old_builds(&package);
        let dir = course
            .start(n, &package, false)
            .unwrap_or_else(|e| panic!("start {n:02}: {e}"));
        put_reference(&course, n);
        apply(wrong, &dir);
        // A member of the workspace at `base`, which takes over its profile settings.
        let path = dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&path).expect("the exercise's Cargo.toml");
        let (own, workspace) = manifest
            .split_once("\n[workspace]\n")
            .expect("an exercise is a workspace of its own");
        profiles = workspace.to_owned();
        std::fs::write(&path, own).expect("write the member's Cargo.toml");
        members.push(format!("\"{}/lesson-{n:02}\"", wrong.label));
        let binary = course
            .target_dir
            .join("debug")
            .join(format!("{package}{}", std::env::consts::EXE_SUFFIX));
        built.push(Built { wrong, binary, dir });
    }
    let root = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n{profiles}",
        members.join(", ")
    );
    std::fs::write(base.join("Cargo.toml"), root).expect("write the workspace's Cargo.toml");
    std::fs::copy(workspace().join("Cargo.lock"), base.join("Cargo.lock")).expect("Cargo.lock");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["build", "--quiet", "--workspace", "--color", "never"])
        .current_dir(&base)
        .env("CARGO_TARGET_DIR", target_dir())
        .envs(SMALL_BUILDS)
        .output()
        .expect("run cargo build");
    assert!(
        output.status.success(),
        "the wrong solutions of exercise {n:02} do not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    built
}

/// A plausible wrong solution: lesson `exercise`'s reference with `from` replaced by `to` in `file`.
pub(crate) struct Wrong {
    pub(crate) exercise: u8,
    pub(crate) label: &'static str,
    pub(crate) what: &'static str,
    pub(crate) file: &'static str,
    pub(crate) from: &'static str,
    pub(crate) to: &'static str,
    /// Words of the name of a check it must fail: the one that catches this mistake.
    pub(crate) fails: &'static str,
}

/// Every wrong solution the tests hold the checker to: for each exercise, what a student who wants
/// to pass without understanding writes, or one who misses a point of the lesson. Each must fail
/// the check named for its mistake. Each patch must still apply to the lesson's code: when a
/// lesson changes so that `from` is gone, [`apply`] fails the test, naming it here.
pub(crate) const WRONG: &[Wrong] = &[
    // Exercise 01: a plain cookie.
    Wrong {
        exercise: 1,
        label: "no-httponly",
        what: "the cookie `user` without `HttpOnly`, readable by any script on the page",
        file: "src/main.rs",
        from: ".http_only(true)",
        to: "",
        fails: "`user=Tim; HttpOnly;",
    },
    Wrong {
        exercise: 1,
        label: "greets-tim",
        what: "a user page that greets Tim whatever the cookie says: only what the checker sends",
        file: "src/main.rs",
        from: "context! { name: user.value() }",
        to: "context! { name: { let _ = user; \"Tim\" } }",
        fails: "a hand-made `Cookie: user=admin` is let in as admin",
    },
    Wrong {
        exercise: 1,
        label: "no-cookie-no-redirect",
        what: "/user without a cookie shows an empty greeting instead of sending the visitor to log in",
        file: "src/main.rs",
        from: "let user = jar.get(USER_COOKIE).ok_or(Redirect::to(uri!(login_form)))?;",
        to: "let user = jar.get(USER_COOKIE).cloned().unwrap_or_else(|| Cookie::new(USER_COOKIE, \"\"));",
        fails: "/user without a cookie redirects to /login",
    },
    Wrong {
        exercise: 1,
        label: "logout-sets-empty",
        what: "logging out sets `user` to an empty value instead of deleting the cookie",
        file: "src/main.rs",
        from: "jar.remove(USER_COOKIE);",
        to: "jar.add(Cookie::new(USER_COOKIE, \"\"));",
        fails: "logging out deletes the cookie",
    },
    Wrong {
        exercise: 1,
        label: "logout-always-deletes",
        what: "logging out sends a deletion even when no cookie came",
        file: "src/main.rs",
        from: "jar.remove(USER_COOKIE);",
        to: "jar.add(Cookie::build((USER_COOKIE, \"\")).max_age(rocket::time::Duration::ZERO));",
        fails: "logging out with no cookie sends no Set-Cookie at all",
    },
    Wrong {
        exercise: 1,
        label: "name-as-html",
        what: "the name written into the page unescaped (`| safe`)",
        file: "templates/user.html.tera",
        from: "<h1>Hello, {{ name }}</h1>",
        to: "<h1>Hello, {{ name | safe }}</h1>",
        fails: "a name with HTML in it is shown escaped on /user",
    },
    Wrong {
        exercise: 1,
        label: "form-posts-get",
        what: "a login form that sends the name with GET, in the URL",
        file: "templates/login.html.tera",
        from: "method=\"post\"",
        to: "method=\"get\"",
        fails: "the login page is a form that posts the field `nm` to /login",
    },
    // Exercise 02: an encrypted cookie.
    Wrong {
        exercise: 2,
        label: "add",
        what: "the name kept with `add`, in plain text, instead of `add_private`",
        file: "src/main.rs",
        from: "add_private(",
        to: "add(",
        fails: "`user=<encrypted>; HttpOnly;",
    },
    Wrong {
        exercise: 2,
        label: "user-page-reads-plain",
        what: "the user page reads the cookie with `get`, so it believes any value, as lesson 01 did",
        file: "src/main.rs",
        from: "        .get_private(USER_COOKIE)\n        .ok_or(",
        to: "        .get(USER_COOKIE)\n        .ok_or(",
        fails: "a forged `Cookie: user=admin` is sent to /login",
    },
    Wrong {
        exercise: 2,
        label: "login-page-checks-presence",
        what: "the login page sends on anyone who has a cookie `user`, whether it decrypts or not",
        file: "src/main.rs",
        from: "if jar.get_private(USER_COOKIE).is_some() {",
        to: "if jar.get(USER_COOKIE).is_some() {",
        fails: "a cookie made by a server with another secret key is sent to /login",
    },
    Wrong {
        exercise: 2,
        label: "one-week-cookie",
        what: "`expires(None)` forgotten: Rocket's private cookie lasts a week instead of the browser session",
        file: "src/main.rs",
        from: ".expires(None);",
        to: ";",
        fails: "(no Expires: gone when the browser closes)",
    },
    Wrong {
        exercise: 2,
        label: "key-in-source",
        what: "a secret key written into the code, so every launch, and everyone with the code, shares it",
        file: "src/main.rs",
        // The figment, whatever port the exercise serves on.
        from: "relative!(\"templates\")))",
        to: "relative!(\"templates\")).merge((\"secret_key\", \"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\")))",
        fails: "started without a secret key, a restart logs you out",
    },
    // Exercise 03: logging out.
    Wrong {
        exercise: 3,
        label: "logout-clears",
        what: "\"log out\" removes the colour too, as `session.clear()` would",
        file: "src/main.rs",
        from: "    jar.remove_private(USER_COOKIE);\n",
        to: "    jar.remove_private(USER_COOKIE);\n    jar.remove_private(COLOUR_COOKIE);\n",
        fails: "logging out removes `user` only",
    },
    Wrong {
        exercise: 3,
        label: "forget-keeps-colour",
        what: "\"Forget me\" removes only the name",
        file: "src/main.rs",
        from: "const SESSION_COOKIES: [&str; 2] = [USER_COOKIE, COLOUR_COOKIE];",
        to: "const SESSION_COOKIES: [&str; 2] = [USER_COOKIE, USER_COOKIE];",
        fails: "“Forget me” removes `user` and `colour`",
    },
    Wrong {
        exercise: 3,
        label: "goodbye-without-name",
        what: "a goodbye that does not say whom it says goodbye to",
        file: "src/main.rs",
        from: "\"You have been logged out, {}.\", user.value()",
        to: "\"You have been logged out{}.\", { let _ = user; \"\" }",
        fails: "the login page says goodbye to Tim once",
    },
    Wrong {
        exercise: 3,
        label: "colour-without-login",
        what: "a colour stored for a visitor who is not logged in",
        file: "src/main.rs",
        from: "    let Some(user) = jar.get_private(USER_COOKIE) else {\n        return Ok(Redirect::to(uri!(login_form)));\n    };",
        to: "    let user = jar.get_private(USER_COOKIE).unwrap_or_else(|| Cookie::new(USER_COOKIE, \"\"));",
        fails: "choosing a colour without logging in redirects to /login and stores nothing",
    },
    Wrong {
        exercise: 3,
        label: "any-colour",
        what: "any colour accepted, not only those on offer",
        file: "src/main.rs",
        from: "if !COLOURS.contains(&chosen) {",
        to: "if chosen.is_empty() {",
        fails: "a bad colour (empty, unknown, `Blue`",
    },
    Wrong {
        exercise: 3,
        label: "goodbye-as-html",
        what: "the goodbye written into the page unescaped (`| safe`), though it holds the typed name",
        file: "templates/login.html.tera",
        from: "{{ message }}",
        to: "{{ message | safe }}",
        fails: "a name with HTML in it is escaped in the goodbye",
    },
    // Exercise 04: a permanent session.
    Wrong {
        exercise: 4,
        label: "expiry-in-cookie-only",
        what: "the expiry only in the cookie's `Expires`/`Max-Age`: the server takes any session it can decrypt",
        file: "src/main.rs",
        // The expiry test (`now < … expires && …`): made always true.
        from: "now < ",
        to: "true || now < ",
        fails: "a session is refused once its time is up",
    },
    Wrong {
        exercise: 4,
        label: "json-unwrap",
        what: "`serde_json::from_str(cookie.value()).unwrap()`: a 500 for a cookie that decrypts but is not this lesson's JSON",
        file: "src/main.rs",
        from: "    match serde_json::from_str(cookie.value()) {\n        Ok(data) => Carried::Session(data),\n        Err(_) => Carried::Unreadable,\n    }",
        to: "    Carried::Session(serde_json::from_str(cookie.value()).unwrap())",
        fails: "is not this lesson's session is answered as not logged in, never 5xx",
    },
    Wrong {
        exercise: 4,
        label: "no-sliding",
        what: "a kept session never moved forward: it ends 300 seconds after the login, however busy",
        file: "src/main.rs",
        from: "                if data.permanent {\n                    write(request.cookies(), &mut data, lifetime);\n                }\n",
        to: "",
        fails: "every page moves a kept-signed-in session forward",
    },
    Wrong {
        exercise: 4,
        label: "max-age-only",
        what: "`Max-Age` without `Expires`: Rocket adds its own one-week `Expires`",
        file: "src/main.rs",
        from: "            .max_age(Duration::seconds(lifetime.num_seconds()))\n            .expires(expires)\n",
        to: "            .max_age(Duration::seconds({ let _ = expires; lifetime.num_seconds() }))\n",
        fails: "ticking “Keep me signed in” sets one cookie",
    },
    Wrong {
        exercise: 4,
        label: "lifetime-hard-coded",
        what: "300 seconds written into the code instead of read from `session_lifetime`",
        file: "src/main.rs",
        from: "TimeDelta::seconds(self.session_lifetime.get().into())",
        to: "TimeDelta::seconds({ let _ = self.session_lifetime; 300 })",
        fails: "session_lifetime = 30 gives the cookie `Max-Age=30`",
    },
    Wrong {
        exercise: 4,
        label: "no-cap-on-claimed-expiry",
        what: "a session is current until the expiry it claims, even past a lifetime shortened since",
        file: "src/main.rs",
        from: "now < self.expires && self.expires <= now + lifetime",
        to: "now < self.expires && lifetime > TimeDelta::zero()",
        fails: "after session_lifetime is shortened, sessions issued before obey it at once",
    },
    Wrong {
        exercise: 4,
        label: "box-always-ticked",
        what: "a refused form ticks the box again, whatever was sent",
        file: "src/main.rs",
        from: "let remember = form.context.field_value(\"remember\").is_some();",
        to: "let remember = true;",
        fails: "a refused login form keeps the box as it was sent",
    },
    // Exercise 05: the session in templates.
    Wrong {
        exercise: 5,
        label: "nav-in-handler",
        what: "the navigation decided by a value the handlers must pass (`logged_in`), not by the session in the template",
        file: "templates/base.html.tera",
        from: "{% if \"user\" in session %}",
        to: "{% if logged_in %}",
        fails: "the navigation of every page says",
    },
    Wrong {
        exercise: 5,
        label: "profile-without-if",
        what: "the last name shown without asking whether the session has one (Tera fails the page)",
        file: "templates/profile.html.tera",
        from: "{% if \"lastName\" in session %}",
        to: "{% if true %}",
        fails: "a first name alone is kept in `session`",
    },
    Wrong {
        exercise: 5,
        label: "empty-names-kept",
        what: "an empty field kept in the session as an empty name, so the profile shows empty labels",
        file: "src/main.rs",
        from: "    Some(typed?.trim())\n        .filter(|name| !name.is_empty())\n        .map(str::to_owned)",
        to: "    Some(typed?.trim()).map(str::to_owned)",
        fails: "with no names typed, the profile on /user is empty",
    },
    Wrong {
        exercise: 5,
        label: "nulls-in-json",
        what: "names that are not set written into the session's JSON as `null`",
        file: "src/main.rs",
        from: "    #[serde(skip_serializing_if = \"Option::is_none\")]\n",
        to: "",
        fails: "the panel shows the session's JSON with only the values that are set",
    },
    Wrong {
        exercise: 5,
        label: "first-name-as-html",
        what: "the first name written into the profile unescaped (`| safe`)",
        file: "templates/profile.html.tera",
        from: "{{ session.firstName }}",
        to: "{{ session.firstName | safe }}",
        fails: "HTML in a name is escaped in the navigation, the greeting and the profile",
    },
    Wrong {
        exercise: 5,
        label: "names-not-validated",
        what: "first and last names taken as typed: 51 characters or a line break kept",
        file: "src/main.rs",
        from: "Some(typed) => lesson_support::name(typed),",
        to: "Some(_) => Ok(()),",
        fails: "a bad first or last name",
    },
    // Exercise 06: the session on the server.
    Wrong {
        exercise: 6,
        label: "logout-keeps-record",
        what: "log out that deletes the cookie but not the session's record in the store",
        file: "src/main.rs",
        from: "        store.sessions().remove(&id);\n",
        to: "        let _ = (&id, store);\n",
        fails: "logging out revokes a copy of the cookie",
    },
    Wrong {
        exercise: 6,
        label: "counting-ids",
        what: "session ids that count up (`NEXT.fetch_add(1)`): after a restart Ann gets Tim's old id",
        file: "src/main.rs",
        from: "    let mut bytes = [0u8; 16];\n    getrandom::getrandom(&mut bytes).expect(\"the operating system's random number generator\");\n    bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect()",
        to: "    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);\n    format!(\"{:032x}\", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))",
        fails: "session ids cannot be guessed",
    },
    Wrong {
        exercise: 6,
        label: "clock-ids",
        what: "session ids made from the clock (nanoseconds since 1970), which anyone can guess",
        file: "src/main.rs",
        from: "    let mut bytes = [0u8; 16];\n    getrandom::getrandom(&mut bytes).expect(\"the operating system's random number generator\");\n    bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect()",
        to: "    let since = std::time::UNIX_EPOCH.elapsed().unwrap_or_default();\n    format!(\"{:032x}\", since.as_nanos())",
        fails: "session ids cannot be guessed",
    },
    Wrong {
        exercise: 6,
        label: "fixed-id",
        what: "one session id for everyone, written into the code",
        file: "src/main.rs",
        from: "    let mut bytes = [0u8; 16];\n    getrandom::getrandom(&mut bytes).expect(\"the operating system's random number generator\");\n    bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect()",
        to: "    \"5f2b9c0e8a7d4e1f9b3c6a2d8e0f1a4b\".to_owned()",
        fails: "session ids cannot be guessed",
    },
    Wrong {
        exercise: 6,
        label: "panel-indexes-store",
        what: "the panel reads the store with `sessions[&id]`, which panics (a 500) for an id it does not hold",
        file: "src/main.rs",
        from: "Some(match store.sessions().get(id) {",
        to: "Some(match Some(&store.sessions()[id]) {",
        fails: "is not this lesson's session is answered as not logged in, never 5xx",
    },
    Wrong {
        exercise: 6,
        label: "login-keeps-id",
        what: "a login that keeps the id the browser came with (session fixation)",
        file: "src/main.rs",
        from: "let id = new_id();",
        to: "let id = match read(jar) { Carried::Id(old) => old, _ => new_id() };",
        fails: "logging in again issues a new id",
    },
    Wrong {
        exercise: 6,
        label: "everywhere-only-here",
        what: "\"Log out everywhere\" that ends only this browser's session",
        file: "src/main.rs",
        from: "    if let Some(User { session: me, .. }) = user {\n        let mut sessions = store.sessions();\n        sessions.retain(|_, session| session.user != me.user);\n    }",
        to: "    if let Some(User { id, .. }) = user {\n        store.sessions().remove(&id);\n    }",
        fails: "“Log out everywhere” ends every session of Tim",
    },
    Wrong {
        exercise: 4,
        label: "refresh-only-on-user",
        what: "a kept-signed-in session moved forward by the user page only, not the home page",
        file: "src/main.rs",
        from: "fn home(_user: Option<User>) -> Page {",
        to: "fn home() -> Page {",
        fails: "every page moves a kept-signed-in session forward",
    },
    Wrong {
        exercise: 6,
        label: "store-ignores-expiry",
        what: "the store hands out a record whatever its expiry",
        file: "src/main.rs",
        from: "            .filter(|data| data.is_current(now(), lifetime))\n",
        to: "            .filter(|_| lifetime > TimeDelta::zero())\n",
        fails: "the store forgets a session once its time is up",
    },
    // Exercise 07: sessions in production.
    Wrong {
        exercise: 7,
        label: "fallback-not-reissued",
        what: "a cookie under a fallback key accepted, but never re-issued under the current key",
        file: "src/main.rs",
        // `read` no longer says an old key was needed, so the guard does not write the cookie again.
        from: "Some(cookie) => (cookie, true),",
        to: "Some(cookie) => (cookie, false),",
        fails: "a cookie made under the old key is accepted and re-issued",
    },
    Wrong {
        exercise: 7,
        label: "cookie-secure-ignored",
        what: "`cookie_secure` read but never put on the cookie",
        file: "src/main.rs",
        from: "cookie.set_secure(config.cookie_secure.then_some(true));",
        to: "cookie.set_secure({ let _ = config.cookie_secure; None });",
        fails: "cookie_secure = true adds `Secure`",
    },
    Wrong {
        exercise: 7,
        label: "absolute-as-max",
        what: "`max` for `min`: the absolute lifetime lengthens a busy session instead of ending it",
        file: "src/main.rs",
        from: "sliding.min(end)",
        to: "sliding.max(end)",
        fails: "session_absolute_lifetime = 2 ends a session that is used all the time",
    },
    Wrong {
        exercise: 7,
        label: "outage-is-500",
        what: "a Redis outage answered 500 instead of 503",
        file: "src/main.rs",
        from: "Visitor::StoreDown => Outcome::Error((Status::ServiceUnavailable, ())),",
        to: "Visitor::StoreDown => Outcome::Error((Status::InternalServerError, ())),",
        fails: "with Redis stopped a page answers 503",
    },
    Wrong {
        exercise: 7,
        label: "counting-ids",
        what: "session ids that count up, in the production lesson too",
        file: "src/main.rs",
        from: "    let mut bytes = [0u8; 16];\n    getrandom::getrandom(&mut bytes).expect(\"the operating system's random number generator\");\n    bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect()",
        to: "    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);\n    format!(\"{:032x}\", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))",
        fails: "session ids cannot be guessed",
    },
    // Exercise 08: a real login.
    Wrong {
        exercise: 8,
        label: "token-only-when-present",
        what: "the CSRF token checked only when the form sends one",
        file: "src/csrf.rs",
        from: "        if let (Carried::Current(visitor), Some(sent)) = (self.carried, sent) {",
        to: "        if let (Carried::Current(visitor), None) = (self.carried, sent) {\n            return Ok(visitor);\n        }\n        if let (Carried::Current(visitor), Some(sent)) = (self.carried, sent) {",
        fails: "a login without the token answers 403",
    },
    Wrong {
        exercise: 8,
        label: "lockout-lets-the-right-password-through",
        what: "the throttle asked after the password: the right one gets in while it is closed",
        file: "src/main.rs",
        from: "    if let Some(retry_after) = throttle.retry_after(username) {",
        to: "    let right = accounts.verify(username, login.password).await;\n    if let Some(retry_after) = throttle.retry_after(username).filter(|_| !right) {",
        fails: "after 5 failed logins for demo, the right password answers 429",
    },
    Wrong {
        exercise: 8,
        label: "plain-text-passwords",
        what: "passwords kept and compared as they were typed, not as Argon2id hashes",
        file: "src/accounts.rs",
        from: "            let hash = PasswordHash::new(&phc).expect(\"the table holds PHC strings\");\n            Argon2::default()\n                .verify_password(password.as_bytes(), &hash)\n                .is_ok()",
        to: "            phc == password",
        fails: "a wrong password costs a slow hash",
    },
    Wrong {
        exercise: 8,
        label: "no-dummy-hash",
        what: "an unknown username refused at once, without a hash: faster than a wrong password",
        file: "src/accounts.rs",
        from: "        let known = phc.is_some();\n",
        to: "        let known = phc.is_some();\n        if !known {\n            return false;\n        }\n",
        fails: "an unknown username takes about as long as a wrong password",
    },
    Wrong {
        exercise: 8,
        label: "password-change-keeps-other-sessions",
        what: "a password change that leaves the account's other sessions logged in",
        file: "src/main.rs",
        from: "            session.end_everywhere(&name);\n            session.start(Some(name), visitor.session.permanent);",
        to: "            session.start(Some(name), visitor.session.permanent);",
        fails: "changing the password ends Tim's other sessions",
    },
    Wrong {
        exercise: 8,
        label: "password-change-without-the-current-password",
        what: "a password change that asks for the current password but does not check it",
        file: "src/main.rs",
        from: "        if accounts.verify(&name, change.current).await {",
        to: "        if !change.current.is_empty() {",
        fails: "a password change with a wrong current password answers 422",
    },
    Wrong {
        exercise: 8,
        label: "eight-characters",
        what: "the old rule of 8 characters at least, below NIST's 15 for a password alone",
        file: "src/accounts.rs",
        from: "    if length < 15 {",
        to: "    if length < 8 {",
        fails: "a password of 14 characters gets the signup form again",
    },
    Wrong {
        exercise: 8,
        label: "pages-cached",
        what: "`Cache-Control: private` instead of `no-store`: the back button shows the user page",
        file: "src/main.rs",
        from: "response.set_raw_header(\"Cache-Control\", \"no-store\");",
        to: "response.set_raw_header(\"Cache-Control\", \"private\");",
        fails: "answer Cache-Control: no-store",
    },
    Wrong {
        exercise: 8,
        label: "password-change-unthrottled",
        what: "wrong current passwords at /password not counted, so a stolen session guesses freely",
        file: "src/main.rs",
        from: "        throttle.failed(&name);\n        let wrong = form::Error::validation(\"That is not your current password.\");",
        to: "        let wrong = form::Error::validation(\"That is not your current password.\");",
        fails: "wrong current passwords count as failed logins",
    },
];

/// Right answers written otherwise than the reference, as a student who understands may write
/// them: each must pass every check (their `fails` is empty).
pub(crate) const RIGHT: &[Wrong] = &[
    Wrong {
        exercise: 1,
        label: "other-greeting",
        what: "the user greeted in other words",
        file: "templates/user.html.tera",
        from: "<h1>Hello, {{ name }}</h1>",
        to: "<h1>Welcome back, <em>{{ name }}</em>!</h1>",
        fails: "",
    },
    Wrong {
        exercise: 4,
        label: "checkbox-spelled-otherwise",
        what: "the checkbox's attributes in another order, `checked=\"checked\"`",
        file: "templates/login.html.tera",
        from: "<input id=\"remember\" type=\"checkbox\" name=\"remember\"{% if remember %} checked{% endif %}>",
        to: "<input name=\"remember\" type=\"checkbox\"{% if remember %} checked=\"checked\"{% endif %} id=\"remember\">",
        fails: "",
    },
    Wrong {
        exercise: 4,
        label: "panel-in-other-words",
        what: "the panel says the session \"has expired\", a sentence from the task's list",
        file: "src/main.rs",
        from: "Its time is up (or it claims",
        to: "It has expired (or it claims",
        fails: "",
    },
    Wrong {
        exercise: 6,
        label: "uuid-ids",
        what: "session ids spelled as a uuid (128 random bits with dashes)",
        file: "src/main.rs",
        from: "    bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect()",
        to: "    let hex: String = bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect();\n    format!(\"{}-{}-{}-{}-{}\", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])",
        fails: "",
    },
    Wrong {
        exercise: 6,
        label: "base64url-ids",
        what: "session ids of 144 random bits in URL-safe base64",
        file: "src/main.rs",
        from: "    let mut bytes = [0u8; 16];\n    getrandom::getrandom(&mut bytes).expect(\"the operating system's random number generator\");\n    bytes.iter().map(|byte| format!(\"{byte:02x}\")).collect()",
        to: "    const DIGITS: &[u8; 64] = b\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_\";\n    let mut bytes = [0u8; 18];\n    getrandom::getrandom(&mut bytes).expect(\"the operating system's random number generator\");\n    bytes\n        .chunks(3)\n        .flat_map(|c| {\n            let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);\n            [18, 12, 6, 0].map(|shift| char::from(DIGITS[(n >> shift & 63) as usize]))\n        })\n        .collect()",
        fails: "",
    },
    Wrong {
        exercise: 8,
        label: "token-compared-with-eq",
        what: "the CSRF token compared with `==` (the same answers, seen from outside)",
        file: "src/csrf.rs",
        from: "            if bool::from(visitor.session.csrf_token.as_bytes().ct_eq(sent.as_bytes())) {",
        to: "            if visitor.session.csrf_token == sent {",
        fails: "",
    },
];

/// Fails a test whose checks start a `redis-server` when it is not installed, rather than letting
/// those checks fail against every program (a test expecting a failure would pass for nothing).
pub(crate) fn require_redis_server() {
    assert!(
        course::installed("redis-server"),
        "redis-server is not installed. These tests start a real Redis: install the Debian package \
         `redis-server` (`sudo apt-get install redis-server`), see README.md."
    );
}

/// Applies `wrong` to the exercise in `dir`: every occurrence of `from`, of which there must be one
/// at least.
pub(crate) fn apply(wrong: &Wrong, dir: &Path) {
    let path = dir.join(wrong.file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
    assert!(
        text.contains(wrong.from),
        "the wrong solution {:?} of exercise {:02} no longer applies: {} has no {:?}. \
         Update its patch in course/tests/support/mod.rs to the lesson's code.",
        wrong.label,
        wrong.exercise,
        wrong.file,
        wrong.from
    );
    std::fs::write(&path, text.replace(wrong.from, wrong.to)).expect("write the patched file");
}
