//! A spec run against a server that is already running, given by its URL, as the exercise runner
//! does for a student's server: the checks that must start the program themselves are reported as
//! not run, the others pass.

use specs::{run, spec, Binary, Program, Settings, Url, Verdict, NOT_RUN_AGAINST_A_URL};

#[test]
fn against_a_url_the_checks_that_restart_are_not_run_and_the_others_pass() {
    let server = Binary::built("lesson-02")
        .start(&Settings::default())
        .expect("lesson-02 starts");
    let url = Url::parse(&format!("http://127.0.0.1:{}", server.port())).expect("a URL");
    let checks = spec(2).expect("lesson 02 has a spec");
    for outcome in run(checks, &url) {
        match (&outcome.result, outcome.check.restarts) {
            (Verdict::NotRun(why), true) => assert_eq!(why, NOT_RUN_AGAINST_A_URL),
            (Verdict::Passed, false) => {}
            (other, _) => panic!("{}: {other:?}", outcome.check.name),
        }
    }
}
