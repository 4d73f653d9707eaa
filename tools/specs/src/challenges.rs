//! What the challenges' checks share: a page read as HTML, so that a student's markup passes with
//! its attributes in any order, quoted either way, and `checked` or `selected` in any form.

use crate::steps::describe;
use crate::{Failure, Response};

/// One start tag: its name and attributes (names in lower case, values with entities decoded, an
/// attribute without a value as ""), and where its content starts in the page.
#[derive(Debug)]
pub(crate) struct Tag {
    pub(crate) name: String,
    attributes: Vec<(String, String)>,
    /// The byte just after the tag's `>`.
    end: usize,
}

impl Tag {
    /// The attribute `name`'s value ("" for `checked` written alone).
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether the attribute `name` is present, in any form (`checked`, `checked=""`, …).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }
}

/// Every start tag of the page, in order; comments skipped.
pub(crate) fn tags(html: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        if html[start..].starts_with("<!--") {
            at = html[start..]
                .find("-->")
                .map_or(html.len(), |end| start + end + 3);
            continue;
        }
        match read_tag(html, start + 1) {
            Some(tag) => {
                at = tag.end;
                found.push(tag);
            }
            None => at = start + 1,
        }
    }
    found
}

/// The start tag whose name begins at `from` (just after `<`), if it is one.
fn read_tag(html: &str, from: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i == from {
        return None;
    }
    let name = html[from..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => break,
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        while i < bytes.len() && !b" \t\r\n=>/".contains(&bytes[i]) {
            i += 1;
        }
        let attribute = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value_start, value_end) = match bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let close = html[i + 1..].find(char::from(*quote))? + i + 1;
                    let span = (i + 1, close);
                    i = close + 1;
                    span
                }
                _ => {
                    let begin = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    (begin, i)
                }
            };
            value = decode(&html[value_start..value_end]);
        }
        attributes.push((attribute, value));
    }
    Some(Tag {
        name,
        attributes,
        end: i + 1,
    })
}

/// `text` with the entities that templates write decoded.
pub(crate) fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

/// The HTML inside the element `tag` (up to its matching end tag, or the end of the page).
pub(crate) fn inner_html<'h>(html: &'h str, tag: &Tag) -> &'h str {
    let rest = &html[tag.end..];
    let open = format!("<{}", tag.name);
    let close = format!("</{}", tag.name);
    let lower = rest.to_ascii_lowercase();
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let next_open = lower[at..].find(&open).map(|i| i + at);
        let next_close = lower[at..].find(&close).map(|i| i + at);
        match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                at = o + open.len();
            }
            (_, Some(c)) if depth == 0 => return &rest[..c],
            (_, Some(c)) => {
                depth -= 1;
                at = c + close.len();
            }
            (_, None) => return rest,
        }
    }
}

/// What a reader sees of some HTML: tags dropped, entities decoded, runs of white space one space.
pub(crate) fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The element with `id="<id>"`: its inner HTML, if the page has one.
pub(crate) fn element_by_id<'h>(html: &'h str, id: &str) -> Option<&'h str> {
    let all = tags(html);
    let tag = all.iter().find(|tag| tag.attribute("id") == Some(id))?;
    Some(inner_html(html, tag))
}

/// The page without the content of its element `id="<id>"` (such as the panel, `sent`, which
/// shows every cookie's value).
pub(crate) fn without_id(html: &str, id: &str) -> String {
    match element_by_id(html, id) {
        Some(inner) if !inner.is_empty() => {
            let start = inner.as_ptr() as usize - html.as_ptr() as usize;
            format!("{}{}", &html[..start], &html[start + inner.len()..])
        }
        _ => html.to_owned(),
    }
}

/// Expects a 200 page with an element `id="<id>"`; returns what a reader sees in it.
pub(crate) fn text_by_id(response: &Response, id: &str) -> Result<String, Failure> {
    crate::steps::assert_status(response, 200)?;
    element_by_id(&response.body, id)
        .map(text_of)
        .ok_or_else(|| Failure {
            request: String::new(),
            expected: format!("a page with an element id=\"{id}\""),
            got: describe(response),
        })
}

/// Expects the page to have no element `id="<id>"`.
pub(crate) fn assert_no_id(response: &Response, id: &str) -> Result<(), Failure> {
    match element_by_id(&response.body, id) {
        None => Ok(()),
        Some(inner) => Err(Failure {
            request: String::new(),
            expected: format!("a page without an element id=\"{id}\""),
            got: format!("id=\"{id}\" holds {inner:?}\n{}", describe(response)),
        }),
    }
}

/// A form of the page: its `action`, `method` (lower case, "get" when not given) and the `name`
/// and `value` of each `<input>` and `<button>` in it.
#[derive(Debug)]
pub(crate) struct Form {
    pub(crate) action: String,
    pub(crate) method: String,
    pub(crate) fields: Vec<(String, String)>,
}

impl Form {
    /// The value of the field `name`, if the form has one.
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Every form of the page, in order.
pub(crate) fn forms(html: &str) -> Vec<Form> {
    let all = tags(html);
    all.iter()
        .filter(|tag| tag.name == "form")
        .map(|form| {
            let inner = inner_html(html, form);
            let fields = tags(inner)
                .iter()
                .filter(|tag| ["input", "button"].contains(&tag.name.as_str()))
                .filter_map(|tag| {
                    let name = tag.attribute("name")?;
                    Some((
                        name.to_owned(),
                        tag.attribute("value").unwrap_or("").to_owned(),
                    ))
                })
                .collect();
            Form {
                action: form.attribute("action").unwrap_or("").to_owned(),
                method: form
                    .attribute("method")
                    .unwrap_or("get")
                    .to_ascii_lowercase(),
                fields,
            }
        })
        .collect()
}

/// Reads the page's element `id="<id>"` as a whole number.
pub(crate) fn number_by_id(response: &Response, id: &str) -> Result<u64, Failure> {
    let text = text_by_id(response, id)?;
    text.trim().parse().map_err(|_| Failure {
        request: String::new(),
        expected: format!("a whole number in the element id=\"{id}\""),
        got: format!("{text:?}\n{}", describe(response)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_in_any_order_and_any_quoting() {
        let html =
            r#"<p><input name=remember type='checkbox' checked id="r"><INPUT CHECKED="" id=x></p>"#;
        let all = tags(html);
        let inputs: Vec<&Tag> = all.iter().filter(|t| t.name == "input").collect();
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs[0].attribute("type"), Some("checkbox"));
        assert_eq!(inputs[0].attribute("name"), Some("remember"));
        assert!(inputs[0].has("checked") && inputs[1].has("checked"));
        assert_eq!(inputs[1].attribute("id"), Some("x"));
    }

    #[test]
    fn an_element_by_id_is_its_content_up_to_its_own_end_tag() {
        let html = "<div id=\"a\">x <div>y</div> <b>z</b></div><p id=n> 42 </p><!-- <p id=c> -->";
        assert_eq!(element_by_id(html, "a"), Some("x <div>y</div> <b>z</b>"));
        assert_eq!(element_by_id(html, "n").map(text_of).as_deref(), Some("42"));
        assert_eq!(element_by_id(html, "c"), None);
        assert_eq!(text_of("Tim &amp; &lt;b&gt;"), "Tim & <b>");
    }

    #[test]
    fn forms_hold_their_fields() {
        let html = r#"<form method="POST" action="/a"><input type=hidden value="1" name="s"><button>x</button></form>
            <form action='/b'><button name="go" value="y">Go</button></form>"#;
        let all = forms(html);
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].action.as_str(), all[0].method.as_str()),
            ("/a", "post")
        );
        assert_eq!(all[0].field("s"), Some("1"));
        assert_eq!(all[1].method, "get");
        assert_eq!(all[1].field("go"), Some("y"));
    }
}
