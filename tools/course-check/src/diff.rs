//! A line diff for failure messages: `-` for lines only in the committed file, `+` for lines only
//! in what the lesson produces now.

use similar::{ChangeTag, TextDiff};

/// `expected` and `actual` compared line by line (the `similar` crate's diff), every line
/// prefixed with `  `, `- ` or `+ `.
pub fn lines(expected: &str, actual: &str) -> String {
    let mut out = String::new();
    for change in TextDiff::from_lines(expected, actual).iter_all_changes() {
        let sign = match change.tag() {
            ChangeTag::Equal => "  ",
            ChangeTag::Delete => "- ",
            ChangeTag::Insert => "+ ",
        };
        out.push_str(sign);
        out.push_str(change.value().trim_end_matches('\n'));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn changed_lines_are_marked() {
        assert_eq!(
            super::lines("a\nb\nc\n", "a\nB\nc\nd\n"),
            "  a\n- b\n+ B\n  c\n+ d\n"
        );
    }
}
