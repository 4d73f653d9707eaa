//! The chapters' Try it scripts: each lesson's `docs/src/demos/lesson-0N.sh` (and a few other
//! chapters' `docs/src/demos/<chapter>.sh`), shown in the "Try it" section of its chapter
//! (`docs/src/<chapter>.md`) by an include inside a ```` ```sh ```` block, and run by
//! `tests/demos.rs` with the real curl (and redis-server) against the lessons' real binaries. The
//! instructors' notes run the same script live and show no copy of it.

use std::path::Path;

/// A port the demo reads from the environment, written `${NAME:-8001}` in the script: the test
/// sets `NAME` to a free port, and writes the default back into the output it compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortVariable {
    pub name: String,
    pub default: u16,
}

/// Every distinct `${NAME:-digits}` in `script`, in order of first use.
pub fn port_variables(script: &str) -> Vec<PortVariable> {
    let mut found: Vec<PortVariable> = Vec::new();
    for (at, _) in script.match_indices("${") {
        let rest = &script[at + 2..];
        let Some((name, rest)) = rest.split_once(":-") else {
            continue;
        };
        let Some((digits, _)) = rest.split_once('}') else {
            continue;
        };
        let is_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        let Ok(default) = digits.parse::<u16>() else {
            continue;
        };
        if is_name && !found.iter().any(|port| port.name == name) {
            found.push(PortVariable {
                name: name.to_owned(),
                default,
            });
        }
    }
    found
}

/// The include that shows chapter `chapter`'s script (`lesson-02`, `more-than-one-server`), as the
/// chapter writes it.
pub fn include_line(chapter: &str) -> String {
    format!("{{{{#include demos/{chapter}.sh}}}}")
}

/// Whether `markdown` shows the script as a ```` ```sh ```` block holding only its include, so that
/// what a reader copies is the tested script.
pub fn shows_script(markdown: &str, chapter: &str) -> bool {
    markdown.contains(&format!("```sh\n{}\n```\n", include_line(chapter)))
}

/// The chapter's "Try it" section: from its heading to the next heading of the same level or the
/// include of the instructors' notes, whichever comes first; `None` if the chapter has none.
pub fn try_it(chapter: &str) -> Option<&str> {
    let start = chapter.find("\n## Try it\n")? + 1;
    let rest = &chapter[start..];
    let after_heading = "## Try it\n".len();
    let end = [
        rest[after_heading..].find("\n## "),
        rest[after_heading..].find("{{#include instructors/"),
    ]
    .into_iter()
    .flatten()
    .min()
    .map_or(rest.len(), |at| after_heading + at);
    Some(&rest[..end])
}

/// How many blocks of commands to type (```` ```sh ````, ```` ```bash ````, ```` ```shell ````)
/// `markdown` holds, indented ones in lists included.
pub fn command_blocks(markdown: &str) -> usize {
    markdown
        .lines()
        .filter(|line| matches!(line.trim(), "```sh" | "```bash" | "```shell"))
        .count()
}

/// A `cargo` for the demos' `PATH`: `cargo run [-q] -p lesson-0N` runs the lesson's binary from
/// `bin_dir`, which the test has checked is fresh, instead of building it under a `cargo test`
/// that holds the build lock. Anything else is refused.
pub fn cargo_stand_in(bin_dir: &Path) -> String {
    format!(
        r#"#!/bin/sh
# The demo test's cargo: `cargo run -p lesson-0N` runs the binary `cargo test` built and checked.
if [ "$1" != run ]; then echo "the demo test runs only \`cargo run -p lesson-0N\`, not: cargo $*" >&2; exit 2; fi
shift
package=
while [ $# -gt 0 ]; do
  case "$1" in
    -q|--quiet) shift ;;
    -p|--package) package=$2; shift 2 ;;
    *) echo "the demo test's cargo run takes -q and -p only, not: $1" >&2; exit 2 ;;
  esac
done
exec '{}'/"$package"
"#,
        bin_dir.display()
    )
}

/// The demo's output with every port the test chose written back as its default, then normalised
/// like a transcript (dates, ciphertexts, the order of Shield's headers), and each run of
/// `Set-Cookie` lines sorted: Rocket's cookie jar keeps its changes in a hash set, so one
/// response's cookies come in an order that changes from one process to the next.
pub fn normalise(output: &str, ports: &[(PortVariable, u16)]) -> String {
    let mut output = output.to_owned();
    for (variable, actual) in ports {
        output = output.replace(&format!(":{actual}"), &format!(":{}", variable.default));
    }
    let mut lines: Vec<String> = crate::transcript::normalise(&output)
        .lines()
        .map(str::to_owned)
        .collect();
    let mut start = 0;
    while start < lines.len() {
        let run = lines[start..]
            .iter()
            .take_while(|line| line.to_ascii_lowercase().starts_with("set-cookie:"))
            .count();
        lines[start..start + run].sort();
        start += run + 1;
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_variables_are_found_once_each_with_their_defaults() {
        let script = "port=${DEMO_PORT:-8007}\nother=${DEMO_PORT_2:-8107}\n\
                      curl http://127.0.0.1:${DEMO_PORT:-8007}/ ${HOME} ${lower:-1} ${X:-y}\n";
        assert_eq!(
            port_variables(script),
            [
                PortVariable {
                    name: "DEMO_PORT".to_owned(),
                    default: 8007
                },
                PortVariable {
                    name: "DEMO_PORT_2".to_owned(),
                    default: 8107
                },
            ]
        );
    }

    #[test]
    fn the_script_is_shown_only_as_its_include_in_a_sh_block() {
        let good = "**Without a browser.**\n\n```sh\n{{#include demos/lesson-01.sh}}\n```\n";
        assert!(shows_script(good, "lesson-01"));
        assert!(!shows_script(good, "lesson-02"));
        let typed = "```sh\ncargo run -p lesson-01\n```\n";
        assert!(!shows_script(typed, "lesson-01"));
    }

    #[test]
    fn try_it_ends_at_the_next_heading_or_the_instructors_notes() {
        let chapter = "# L\n\n## Pitfalls\n\nx\n\n## Try it\n\n1. Step.\n\n\
                       {{#include instructors/lesson-01.md}}\n";
        assert_eq!(try_it(chapter), Some("## Try it\n\n1. Step.\n\n"));
        let headed = "## Try it\n\nsteps\n\n## Next\n";
        assert_eq!(try_it(&format!("\n{headed}")), Some("## Try it\n\nsteps\n"));
        assert_eq!(try_it("# L\n\n## Pitfalls\n"), None);
    }

    #[test]
    fn command_blocks_are_counted_indented_too() {
        let markdown = "```sh\na\n```\n\n1. Run:\n\n   ```bash\n   b\n   ```\n\n```text\nc\n```\n";
        assert_eq!(command_blocks(markdown), 2);
    }

    #[test]
    fn chosen_ports_are_written_back_as_their_defaults() {
        let port = PortVariable {
            name: "DEMO_PORT".to_owned(),
            default: 8001,
        };
        assert_eq!(
            normalise("303 http://127.0.0.1:40123/user\r\n", &[(port, 40123)]),
            "303 http://127.0.0.1:8001/user\n"
        );
    }

    #[test]
    fn the_cookies_of_one_response_are_sorted() {
        let output = "HTTP/1.1 303 See Other\r\nset-cookie: user=; Max-Age=0\r\n\
                      set-cookie: _flash=7%3Asuccess; Path=/\r\nlocation: /login\r\n";
        assert_eq!(
            normalise(output, &[]),
            "HTTP/1.1 303 See Other\nset-cookie: _flash=7%3Asuccess; Path=/\n\
             set-cookie: user=; Max-Age=0\nlocation: /login\n"
        );
    }
}
