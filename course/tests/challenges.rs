//! For every challenge: lesson NN's code, where it starts, fails the challenge's point checks; the
//! reference passes the challenge's checks and lesson NN's spec; and each plausible wrong answer
//! in [`WRONG`] fails the check named for its mistake. One build per variant (the starting code is
//! the lesson's own binary), one after the other in one directory per challenge, so that the
//! compiler reuses what did not change.
//!
//! The tests that build exercises take minutes, so they are ignored by a plain `cargo test`:
//! `cargo test -p course -- --ignored` runs them, as `.ci/run` does (see README).

// Shared with tests/exercises.rs, which uses the rest of it.
#[allow(dead_code)]
mod support;

use std::path::Path;

use course::challenge;
use course::Course;
use specs::lesson_07::NEEDS_REDIS;
use specs::{Binary, Check, Verdict};
use support::{build, forget_old_builds, scratch};

/// A plausible wrong answer to challenge `challenge`: its reference with each `(file, from, to)`
/// applied (every occurrence of `from`, of which there must be one at least).
struct Wrong {
    challenge: u8,
    label: &'static str,
    what: &'static str,
    patches: &'static [(&'static str, &'static str, &'static str)],
    /// Words of the name of a check it must fail: the one that catches this mistake.
    fails: &'static str,
}

const WRONG: &[Wrong] = &[
    Wrong {
        challenge: 2,
        label: "plain-count",
        what: "the count in a plain cookie (`add` instead of `add_private`)",
        patches: &[(
            "src/main.rs",
            "jar.add_private((VISITS_COOKIE",
            "jar.add((VISITS_COOKIE",
        )],
        fails: "the count travels in an encrypted cookie",
    },
    Wrong {
        challenge: 2,
        label: "trusts-browser",
        what: "the count read with `get`: whatever number the browser sends is believed",
        patches: &[(
            "src/main.rs",
            ".get_private(VISITS_COOKIE)",
            ".get(VISITS_COOKIE)",
        )],
        fails: "a forged `Cookie: visits=1000` is ignored",
    },
    Wrong {
        challenge: 2,
        label: "server-count",
        what: "one count for the whole server, in a static, not one per browser",
        patches: &[(
            "src/main.rs",
            "    let visits = counted.unwrap_or(0).saturating_add(1);\n",
            "    static ALL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);\n    \
             let _ = counted;\n    \
             let visits = ALL.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;\n",
        )],
        fails: "two browsers count apart",
    },
    Wrong {
        challenge: 3,
        label: "forgets-user",
        what: "“Forget my colour” removes the user as well, as “Forget me” does",
        patches: &[(
            "src/main.rs",
            "    jar.remove_private(COLOUR_COOKIE);\n    Ok(Flash::success(",
            "    jar.remove_private(COLOUR_COOKIE);\n    jar.remove_private(USER_COOKIE);\n    Ok(Flash::success(",
        )],
        fails: "removes `colour` only",
    },
    Wrong {
        challenge: 3,
        label: "flash-unread",
        what: "the message sent as a flash that /user never reads",
        patches: &[(
            "src/main.rs",
            "Ok(user_page(user.value(), jar, None).with(\"message\", message))",
            "let _ = message;\n    Ok(user_page(user.value(), jar, None))",
        )],
        fails: "says “Your colour is forgotten.” once",
    },
    Wrong {
        challenge: 3,
        label: "get-route",
        what: "“Forget my colour” as a GET route: any link or prefetch forgets the colour",
        patches: &[
            ("src/main.rs", "#[post(\"/colour/forget\")]", "#[get(\"/colour/forget\")]"),
            (
                "templates/user.html.tera",
                "<form class=\"inline\" action=\"/colour/forget\" method=\"post\"><button type=\"submit\">Forget my colour</button></form>",
                "<a href=\"/colour/forget\">Forget my colour</a>",
            ),
        ],
        fails: "forgetting takes a POST",
    },
    Wrong {
        challenge: 3,
        label: "no-login-check",
        what: "“Forget my colour” for anyone, logged in or not",
        patches: &[(
            "src/main.rs",
            "    if jar.get_private(USER_COOKIE).is_none() {\n        return Err(Redirect::to(uri!(login_form)));\n    }\n    // Flask: `session.pop(\"colour\"",
            "    // Flask: `session.pop(\"colour\"",
        )],
        fails: "without a login sends you to /login",
    },
    Wrong {
        challenge: 4,
        label: "guard-short-lifetime",
        what: "every session held to `session_lifetime`, whatever was chosen",
        patches: &[(
            "src/main.rs",
            "Carried::Session(data) if data.is_current(now(), config.lifetime(data.lifetime)) => {",
            "Carried::Session(data) if data.is_current(now(), config.lifetime(Lifetime::Short)) => {",
        )],
        fails: "is still let in once a `short` one's time is up",
    },
    Wrong {
        challenge: 4,
        label: "refresh-short",
        what: "the refresh on every page renews a long session by `session_lifetime`",
        patches: &[(
            "src/main.rs",
            "let lifetime = config.lifetime(data.lifetime);\n                    write(",
            "let lifetime = config.lifetime(Lifetime::Short);\n                    write(",
        )],
        fails: "every page moves a kept-signed-in long session forward",
    },
    Wrong {
        challenge: 4,
        label: "option-swallows",
        what: "the lifetime read as `Option<Lifetime>`, which turns a bad value into `None`",
        patches: &[
            (
                "src/main.rs",
                "    #[field(default = Lifetime::Short)]\n    lifetime: Lifetime,",
                "    lifetime: Option<Lifetime>,",
            ),
            (
                "src/main.rs",
                "lifetime: login.lifetime,",
                "lifetime: login.lifetime.unwrap_or_default(),",
            ),
            (
                "src/main.rs",
                "config.lifetime(login.lifetime));",
                "config.lifetime(login.lifetime.unwrap_or_default()));",
            ),
        ],
        fails: "other than `short` or `long` gets 422",
    },
    Wrong {
        challenge: 4,
        label: "no-cap",
        what: "a long session only held to its own expiry, not to the lifetime the config says now",
        patches: &[(
            "src/main.rs",
            "Carried::Session(data) if data.is_current(now(), config.lifetime(data.lifetime)) => {",
            "Carried::Session(data) if now() < data.expires => {",
        )],
        fails: "restarted with a shorter long_session_lifetime",
    },
    Wrong {
        challenge: 4,
        label: "panel-short",
        what: "the panel judges every session by `session_lifetime`, while the guard lets a long one in",
        patches: &[(
            "src/main.rs",
            "Carried::Session(data) if data.is_current(now, config.lifetime(data.lifetime)) => format!(",
            "Carried::Session(data) if data.is_current(now, config.lifetime(Lifetime::Short)) => format!(",
        )],
        fails: "the panel does not say that of a long one",
    },
    Wrong {
        challenge: 4,
        label: "default-an-hour",
        what: "`long_session_lifetime` an hour when not set, where the task says a day",
        patches: &[(
            "src/main.rs",
            "NonZeroU32::new(86_400).expect(\"86400 is not zero\")",
            "NonZeroU32::new(3600).expect(\"3600 is not zero\")",
        )],
        fails: "gets `Max-Age=86400` (a day)",
    },
    Wrong {
        challenge: 4,
        label: "lifetime-required",
        what: "`lifetime` without a default, so a login that does not send it gets 422",
        patches: &[(
            "src/main.rs",
            "    #[field(default = Lifetime::Short)]\n    lifetime: Lifetime,",
            "    lifetime: Lifetime,",
        )],
        fails: "a login without `lifetime` is a short one",
    },
    Wrong {
        challenge: 5,
        label: "expired-as-session",
        what: "the run-out session handed to the templates as `session`, greeted from there",
        patches: &[
            (
                "src/main.rs",
                "    Ok(render(\n        None,\n        \"login\",\n        context! { remember: true, returning },\n    ))",
                "    let _ = returning;\n    let expired = match read(jar) { Carried::Session(data) => Some(User(data)), _ => None };\n    \
                 Ok(render(expired.as_ref(), \"login\", context! { remember: true }))",
            ),
            (
                "templates/login.html.tera",
                "{% if returning %}<p id=\"welcome\" class=\"message\" role=\"status\">Welcome back, {{ returning }}.",
                "{% if \"firstName\" in session %}<p id=\"welcome\" class=\"message\" role=\"status\">Welcome back, {{ session.firstName }}.",
            ),
        ],
        fails: "a session whose time is up logs nobody in",
    },
    Wrong {
        challenge: 5,
        label: "greets-user",
        what: "a run-out session without a first name greeted by its user name",
        patches: &[(
            "src/main.rs",
            "        Carried::Session(expired) => expired.first_name,",
            "        Carried::Session(expired) => expired.first_name.or(Some(expired.user)),",
        )],
        fails: "without a first name, /login greets nobody",
    },
    Wrong {
        challenge: 5,
        label: "safe-filter",
        what: "the first name marked `| safe` in the greeting",
        patches: &[(
            "templates/login.html.tera",
            "Welcome back, {{ returning }}.",
            "Welcome back, {{ returning | safe }}.",
        )],
        fails: "HTML in the first name is escaped",
    },
    Wrong {
        challenge: 6,
        label: "anyones-session",
        what: "any session ended by its id, whoever asks",
        patches: &[(
            "src/main.rs",
            "        .is_some_and(|session| session.user == user.session.user)",
            "        .is_some()",
        )],
        fails: "Ann cannot end Tim's session",
    },
    Wrong {
        challenge: 6,
        label: "lists-everyone",
        what: "every session of the server listed, not only the user's",
        patches: &[(
            "src/main.rs",
            "        .filter(|(_, session)| session.user == user.session.user)\n",
            "",
        )],
        fails: "/sessions has one form per session of yours",
    },
    Wrong {
        challenge: 6,
        label: "ends-this-one",
        what: "“End” ends the session of the browser that asks, not the one chosen",
        patches: &[(
            "src/main.rs",
            "        sessions.remove(form.session);",
            "        sessions.remove(&user.id);",
        )],
        fails: "ending Tim's other session from /sessions logs that browser out",
    },
    Wrong {
        challenge: 7,
        label: "all-users",
        what: "at most three sessions on the whole server, not per user",
        patches: &[(
            "src/store.rs",
            "            .filter(|(_, data)| data.user == user && data.expires > now)",
            "            .filter(|(_, data)| data.expires > now)",
        )],
        fails: "each user counts apart",
    },
    Wrong {
        challenge: 7,
        label: "keeps-oldest",
        what: "the three oldest sessions kept: the new login is the one that ends",
        patches: &[(
            "src/store.rs",
            "        mine.sort_unstable_by(|a, b| b.cmp(a));\n        for (_, id)",
            "        mine.sort_unstable();\n        for (_, id)",
        )],
        fails: "a fourth login as Tim, in a fourth browser, ends his oldest session",
    },
    Wrong {
        challenge: 7,
        label: "counts-before-replacing",
        what: "the sessions counted before the browser's old one is deleted",
        patches: &[
            (
                "src/main.rs",
                "    // Counted once the old id is gone: logging in again in one browser takes no second place.\n    \
                 let limited = store.keep_newest(&data.user, SESSIONS_PER_USER).await;\n    \
                 limited.map_err(Refused::StoreDown)?;\n",
                "",
            ),
            (
                "src/main.rs",
                "    store.insert(&id, &data).await.map_err(Refused::StoreDown)?;\n    // Against session fixation",
                "    store.insert(&id, &data).await.map_err(Refused::StoreDown)?;\n    \
                 let limited = store.keep_newest(&data.user, SESSIONS_PER_USER).await;\n    \
                 limited.map_err(Refused::StoreDown)?;\n    // Against session fixation",
            ),
        ],
        fails: "logging in again in the same browser takes no second place",
    },
    Wrong {
        challenge: 8,
        label: "no-password-check",
        what: "the account deleted whatever password is typed, as long as one is",
        patches: &[(
            "src/main.rs",
            "if accounts.verify(&name, delete.password).await {\n            accounts.remove",
            "if !delete.password.is_empty() {\n            accounts.remove",
        )],
        fails: "a wrong password gets a 4xx page",
    },
    Wrong {
        challenge: 8,
        label: "token-when-present",
        what: "the token checked only when the form sends one",
        patches: &[(
            "src/main.rs",
            "    let visitor = session.check(form.context.field_value(\"csrf_token\"))?;\n    \
             let Some(name) = visitor.session.user.clone() else {\n        \
             return Ok(Redirect::to(uri!(login_form)));\n    };\n    // A password typed here",
            "    let visitor = match (form.context.field_value(\"csrf_token\"), session.carried) {\n        \
             (None, Carried::Current(visitor)) => visitor,\n        \
             (sent, _) => session.check(sent)?,\n    };\n    \
             let Some(name) = visitor.session.user.clone() else {\n        \
             return Ok(Redirect::to(uri!(login_form)));\n    };\n    // A password typed here",
        )],
        fails: "deleting without the token",
    },
    Wrong {
        challenge: 8,
        label: "sessions-stay",
        what: "the account removed and this browser logged out, but the user's other sessions kept",
        patches: &[(
            "src/main.rs",
            "            // The account's sessions end with it, in every browser.\n            \
             session.end(visitor);\n            session.end_everywhere(&name);\n",
            "            session.end(visitor);\n",
        )],
        fails: "ends every session of Tim",
    },
    Wrong {
        challenge: 8,
        label: "account-stays",
        what: "every session of the user ended, but the account kept: the old password logs in",
        patches: &[("src/main.rs", "            accounts.remove(&name);\n", "")],
        fails: "once Tim's account is deleted",
    },
    Wrong {
        challenge: 8,
        label: "named-user",
        what: "the account deleted is the one a hidden field `username` names, not the session's",
        patches: &[
            (
                "src/main.rs",
                "struct DeleteAccount<'r> {\n    password: &'r str,\n}",
                "struct DeleteAccount<'r> {\n    password: &'r str,\n    username: &'r str,\n}",
            ),
            (
                "src/main.rs",
                "            accounts.remove(&name);\n            \
                 // The account's sessions end with it, in every browser.\n            \
                 session.end(visitor);\n            session.end_everywhere(&name);\n",
                "            accounts.remove(delete.username);\n            \
                 session.end(visitor);\n            session.end_everywhere(delete.username);\n",
            ),
            (
                "templates/delete_form.html.tera",
                "  {% include \"token\" %}\n",
                "  {% include \"token\" %}\n  \
                 <input type=\"hidden\" name=\"username\" value=\"{{ session.user }}\">\n",
            ),
        ],
        fails: "Ann deleting her account leaves Tim's",
    },
    Wrong {
        challenge: 8,
        label: "user-page-500",
        what: "a wrong password answered with the user template, which lacks its values: a 500",
        patches: &[(
            "src/main.rs",
            "Err(again(visitor, \"delete\", &form.context))",
            "Err(again(visitor, \"user\", &form.context))",
        )],
        fails: "a wrong password gets a 4xx page",
    },
    Wrong {
        challenge: 8,
        label: "not-counted",
        what: "a wrong password here not counted by the throttle: a stolen session guesses freely",
        patches: &[(
            "src/main.rs",
            "        throttle.failed(&name);\n        let wrong = form::Error::validation(\"That is not your password.\");",
            "        let wrong = form::Error::validation(\"That is not your password.\");",
        )],
        fails: "5 wrong passwords at /account/delete count as failed logins",
    },
    Wrong {
        challenge: 8,
        label: "lets-right-through",
        what: "wrong passwords counted, but the right one accepted while the username waits",
        patches: &[(
            "src/main.rs",
            "    if let Some(retry_after) = throttle.retry_after(&name) {\n        \
             let page = render(Some(visitor), \"delete\", context! { retry_after });\n        \
             return Err(Refusal::throttled(page, retry_after));\n    }\n",
            "",
        )],
        fails: "5 wrong passwords at /account/delete count as failed logins",
    },
];

/// Applies `wrong`'s patches to the challenge in `dir`.
fn apply(wrong: &Wrong, dir: &Path) {
    for (file, from, to) in wrong.patches {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
        assert!(
            text.contains(from),
            "the wrong answer {:?} of challenge {:02} no longer applies: {file} has no {from:?}. \
             Update its patch in course/tests/challenges.rs to the reference.",
            wrong.label,
            wrong.challenge
        );
        std::fs::write(&path, text.replace(from, to)).expect("write the patched file");
    }
}

/// The checks that start a `redis-server` (`on_redis`), or the others: the tests that need one
/// are marked ignored, with the others.
fn runnable(checks: &[Check], on_redis: bool) -> Vec<Check> {
    checks
        .iter()
        .filter(|check| check.name.contains(NEEDS_REDIS) == on_redis)
        .copied()
        .collect()
}

/// Challenge `n` started afresh in `course` (package `package`), changed by `change`, and built.
fn variant(course: &Course, n: u8, package: &str, change: impl FnOnce(&Path)) -> Binary {
    let dir = course
        .start_challenge(n, package, true)
        .unwrap_or_else(|e| panic!("start challenge {n:02}: {e}"));
    change(&dir);
    let started = std::time::Instant::now();
    let binary = build(course, &dir, package);
    println!("challenge {n:02}: built in {:.1?}", started.elapsed());
    Binary::new(binary, &dir)
}

/// The whole proof of challenge `n`: starting code, reference, wrong answers, in that order.
fn challenge_is_proven(n: u8) {
    proven(n, false);
}

/// The proof of challenge `n` with the checks that start a `redis-server` (`on_redis`), or with
/// the others.
fn proven(n: u8, on_redis: bool) {
    // One package and directory for every variant, built with incremental compilation, so that
    // each build after the first recompiles only what its patch changed.
    let label = if on_redis { "-redis" } else { "" };
    let mut course = scratch(&format!("challenge-{n:02}{label}"));
    course
        .build_env
        .retain(|(key, _)| key != "CARGO_INCREMENTAL");
    let package = format!("challenge-{n:02}{label}-proof");
    forget_old_builds(&package);
    let own = runnable(specs::challenge(n).expect("a challenge"), on_redis);

    // Where the challenge starts is lesson NN's own code: its binary, which the workspace builds
    // anyway (`start NN --challenge` changes only the port and drops `mod tests;`).
    let start = Binary::built(&format!("lesson-{n:02}"));
    println!("{}", specs::assert_points_fail(&own, &start));

    let put_reference = |dir: &Path| {
        course
            .put_challenge_reference(n, dir)
            .unwrap_or_else(|e| panic!("copy the reference of challenge {n:02}: {e}"));
    };
    let reference = variant(&course, n, &package, put_reference);
    let all = runnable(
        &challenge::checks(n).expect("the challenge's checks"),
        on_redis,
    );
    let started = std::time::Instant::now();
    specs::assert_passes(&all, &reference);
    println!(
        "challenge {n:02}: the reference passed {} checks in {:.1?}",
        all.len(),
        started.elapsed()
    );

    let wrongs: Vec<&Wrong> = WRONG.iter().filter(|w| w.challenge == n).collect();
    assert!(
        wrongs.len() >= 2,
        "challenge {n:02} has fewer than two wrong answers"
    );
    // Each wrong answer where the check named for it runs.
    let wrongs = wrongs
        .into_iter()
        .filter(|wrong| own.iter().any(|check| check.name.contains(wrong.fails)));
    for wrong in wrongs {
        let program = variant(&course, n, &package, |dir| {
            put_reference(dir);
            apply(wrong, dir);
        });
        let outcomes = specs::run(&own, &program);
        let report = specs::report(&outcomes, &program);
        let caught = outcomes
            .iter()
            .any(|o| matches!(o.result, Verdict::Failed(_)) && o.check.name.contains(wrong.fails));
        assert!(
            caught,
            "challenge {n:02}: the wrong answer \"{}\" does not fail the check \"…{}…\":\n{report}",
            wrong.what, wrong.fails
        );
        println!("{}: {}\n{report}", wrong.label, wrong.what);
    }
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_02_visit_counter_is_proven() {
    challenge_is_proven(2);
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_03_forget_my_colour_is_proven() {
    challenge_is_proven(3);
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_04_two_lifetimes_is_proven() {
    challenge_is_proven(4);
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_05_welcome_back_is_proven() {
    challenge_is_proven(5);
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_06_your_sessions_is_proven() {
    challenge_is_proven(6);
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_07_three_sessions_is_proven() {
    challenge_is_proven(7);
}

#[test]
#[ignore = "slow: builds a challenge and its wrong answers, minutes; `-- --ignored` runs it: see README"]
fn challenge_08_delete_my_account_is_proven() {
    challenge_is_proven(8);
}

#[test]
#[ignore = "needs redis-server: see README"]
fn challenge_07_three_sessions_on_redis_is_proven() {
    assert!(
        course::installed("redis-server"),
        "redis-server is not installed: install the Debian package `redis-server`, see README.md"
    );
    proven(7, true);
}

#[test]
fn every_wrong_answer_names_a_check_of_its_challenge() {
    for wrong in WRONG {
        let own = specs::challenge(wrong.challenge).expect("a challenge");
        assert!(
            own.iter().any(|check| check.name.contains(wrong.fails)),
            "{}: no check of challenge {:02} is named \"…{}…\"",
            wrong.label,
            wrong.challenge,
            wrong.fails
        );
    }
}

#[test]
fn start_refuses_to_overwrite_a_started_challenge_and_changes_the_port() {
    let course = scratch("challenge-start");
    let dir = course
        .start_challenge(4, "challenge-04-start", false)
        .expect("start 04 --challenge");
    assert_eq!(dir, course.challenge_dir(4));
    let main_rs = std::fs::read_to_string(dir.join("src/main.rs")).expect("main.rs");
    assert!(main_rs.contains("8204") && !main_rs.contains("8004"));
    assert!(!main_rs.contains("mod tests;"));
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README.md");
    assert!(readme.contains(challenge::task(4).expect("a task")));
    let refused = course
        .start_challenge(4, "challenge-04-start", false)
        .unwrap_err();
    assert!(refused.contains("already started"), "{refused}");
}
