//! A unified diff (`diff -u`), so `solution` needs no `diff` program.

/// The lines of `old` and `new` as `diff -u` shows them, three lines of context; empty when equal.
pub fn unified(old_name: &str, new_name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edits(&a, &b);
    if ops.iter().all(|op| matches!(op, Op::Same(..))) {
        return String::new();
    }
    const CONTEXT: usize = 3;
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Same(..)))
        .collect();
    let mut i = 0;
    while i < changed.len() {
        let first = changed[i].saturating_sub(CONTEXT);
        let mut last = changed[i];
        while i + 1 < changed.len() && changed[i + 1] <= last + 2 * CONTEXT + 1 {
            i += 1;
            last = changed[i];
        }
        let end = (last + CONTEXT + 1).min(ops.len());
        let hunk = &ops[first..end];
        let (a_start, b_start) = position(&ops[..first]);
        let a_len = hunk.iter().filter(|op| !matches!(op, Op::Added(_))).count();
        let b_len = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Removed(_)))
            .count();
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a_start, a_len),
            range(b_start, b_len)
        ));
        for op in hunk {
            match op {
                Op::Same(line) => out.push_str(&format!(" {line}\n")),
                Op::Removed(line) => out.push_str(&format!("-{line}\n")),
                Op::Added(line) => out.push_str(&format!("+{line}\n")),
            }
        }
        i += 1;
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Op<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// How many lines of each side come before these operations.
fn position(ops: &[Op<'_>]) -> (usize, usize) {
    let a = ops.iter().filter(|op| !matches!(op, Op::Added(_))).count();
    let b = ops
        .iter()
        .filter(|op| !matches!(op, Op::Removed(_)))
        .count();
    (a, b)
}

/// `diff -u`'s `start,length`, 1-based; an empty side is `start-before,0`.
fn range(before: usize, len: usize) -> String {
    match len {
        0 => format!("{before},0"),
        1 => format!("{}", before + 1),
        _ => format!("{},{len}", before + 1),
    }
}

/// A shortest edit from `a` to `b`, by the longest common subsequence (lessons are a few hundred
/// lines, so the table stays small).
fn edits<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ops.push(Op::Removed(a[i]));
            i += 1;
        } else {
            ops.push(Op::Added(b[j]));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a", "b", "x\ny\n", "x\ny\n"), "");
    }

    #[test]
    fn a_changed_line_has_context_and_hunk_ranges_as_diff_u() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified("old", "new", old, new),
            "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn a_new_file_is_all_added() {
        assert_eq!(
            unified("/dev/null", "b", "", "x\ny\n"),
            "--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"
        );
    }

    #[test]
    fn distant_changes_are_separate_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=20)
            .map(|i| match i {
                2 => "two\n".to_owned(),
                19 => "nineteen\n".to_owned(),
                _ => format!("{i}\n"),
            })
            .collect();
        let diff = unified("a", "b", &old, &new);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        assert!(diff.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n"), "{diff}");
        assert!(
            diff.contains("@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+nineteen\n 20\n"),
            "{diff}"
        );
    }
}
