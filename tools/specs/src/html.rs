//! A page read as a browser reads it: tags with their attributes (in any order, values unescaped,
//! `checked` in any spelling) and the text between them (entities decoded), from html5gum's
//! tokenizer. The checks ask what the page shows, never how the template spells it.

use std::collections::BTreeMap;
use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// One element: its tag name, its attributes, and where it stands in the source.
#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) name: String,
    attributes: BTreeMap<String, String>,
    /// From the `<` of its start tag to the `>` of its end tag (of the start tag alone when it has
    /// none, such as `<input>`).
    pub(crate) span: Range<usize>,
}

impl Element {
    /// The value of the attribute `name`, unescaped (`Some("")` for a bare `checked`).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    fn contains(&self, other: &Element) -> bool {
        self.span.start <= other.span.start && other.span.end <= self.span.end
    }
}

/// What `find` looks for: a tag name, and attributes with the values given (`None`: present,
/// with any value).
pub(crate) type Wanted<'w> = (&'w str, &'w [(&'w str, Option<&'w str>)]);

/// A parsed page.
pub(crate) struct Html<'s> {
    source: &'s str,
    elements: Vec<Element>,
    /// Every run of text, unescaped, with the place it starts in the source.
    texts: Vec<(usize, String)>,
}

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

impl<'s> Html<'s> {
    pub(crate) fn parse(source: &'s str) -> Html<'s> {
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        // `<style>` and `<script>` hold raw text, not tags.
        emitter.naively_switch_states(true);
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut texts = Vec::new();
        for token in Tokenizer::new_with_emitter(source, emitter).flatten() {
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).into_owned();
                    let attributes = tag
                        .attributes
                        .iter()
                        .map(|(name, value)| {
                            (
                                String::from_utf8_lossy(name).into_owned(),
                                String::from_utf8_lossy(&value.value).into_owned(),
                            )
                        })
                        .collect();
                    let void = tag.self_closing || VOID.contains(&name.as_str());
                    if !void {
                        open.push(elements.len());
                    }
                    elements.push(Element {
                        name,
                        attributes,
                        span: tag.span.start..tag.span.end,
                    });
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name);
                    // Closes the nearest open element of that name, and any left open inside it.
                    if let Some(depth) = open.iter().rposition(|&i| elements[i].name == name) {
                        for i in open.drain(depth..) {
                            elements[i].span.end = tag.span.end;
                        }
                    }
                }
                Token::String(text) => {
                    texts.push((
                        text.span.start,
                        String::from_utf8_lossy(&text.value).into_owned(),
                    ));
                }
                _ => {}
            }
        }
        // What is never closed runs to the end of the page.
        for i in open {
            elements[i].span.end = source.len();
        }
        Html {
            source,
            elements,
            texts,
        }
    }

    /// Every element that is `wanted`, inside `within` (the whole page for `None`), in order.
    pub(crate) fn find_all(&self, wanted: Wanted<'_>, within: Option<&Element>) -> Vec<&Element> {
        let (tag, attributes) = wanted;
        self.elements
            .iter()
            .filter(|e| e.name == tag)
            .filter(|e| {
                attributes.iter().all(|(name, value)| match value {
                    None => e.attr(name).is_some(),
                    Some(value) => e.attr(name) == Some(*value),
                })
            })
            .filter(|e| within.is_none_or(|outer| outer.contains(e)))
            .collect()
    }

    /// The first element that is `wanted`, inside `within`.
    pub(crate) fn find(&self, wanted: Wanted<'_>, within: Option<&Element>) -> Option<&Element> {
        self.find_all(wanted, within).into_iter().next()
    }

    /// The text a reader sees inside `within` (the whole page for `None`), leaving out what is
    /// inside any of `leaving_out`: unescaped, each run of white space one space.
    pub(crate) fn text(&self, within: Option<&Element>, leaving_out: &[&Element]) -> String {
        let all = 0..self.source.len();
        let range = within.map_or(all, |e| e.span.clone());
        let runs: Vec<&str> = self
            .texts
            .iter()
            .filter(|(at, _)| range.contains(at))
            .filter(|(at, _)| !leaving_out.iter().any(|e| e.span.contains(at)))
            .map(|(_, text)| text.as_str())
            .collect();
        squeeze(&runs.concat())
    }

    /// The runs of text inside `within`, each squeezed, without the empty ones: what a message
    /// on the page is made of.
    pub(crate) fn text_runs(&self, within: Option<&Element>) -> Vec<String> {
        let all = 0..self.source.len();
        let range = within.map_or(all, |e| e.span.clone());
        self.texts
            .iter()
            .filter(|(at, _)| range.contains(at))
            .map(|(_, text)| squeeze(text))
            .filter(|text| !text.is_empty())
            .collect()
    }

    /// The source of `element`, as the server sent it.
    pub(crate) fn source_of(&self, element: &Element) -> &'s str {
        &self.source[element.span.clone()]
    }

    /// The page's `<body>` (the whole page when it has none).
    pub(crate) fn body(&self) -> Option<&Element> {
        self.find(("body", &[]), None)
    }

    /// The panel “What your browser sent” (`<section id="sent">`), if the page has it.
    pub(crate) fn panel(&self) -> Option<&Element> {
        self.find(("section", &[("id", Some("sent"))]), None)
    }
}

/// `text` with each run of white space made one space, and none at the ends.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_in_any_order_and_any_spelling() {
        for input in [
            r#"<input id="remember" type="checkbox" name="remember" checked>"#,
            r#"<input type="checkbox" checked="" name="remember" id="remember">"#,
            r#"<INPUT name=remember checked="checked" type='checkbox'/>"#,
        ] {
            let html = Html::parse(input);
            let found = html.find(
                ("input", &[("name", Some("remember")), ("checked", None)]),
                None,
            );
            assert!(found.is_some(), "{input}");
        }
        let unticked = Html::parse(r#"<input type="checkbox" name="remember">"#);
        assert!(unticked
            .find(("input", &[("checked", None)]), None)
            .is_none());
    }

    #[test]
    fn text_is_unescaped_and_the_panel_can_be_left_out() {
        let html = Html::parse(
            "<body><main><h1>Hello, &lt;b&gt;Tim&lt;&#x2F;b&gt;</h1>\n  <p>Zo&euml; &amp; Ann</p>\
             </main><section id=\"sent\"><code>Tim</code></section></body>",
        );
        let panel = html.panel().expect("the panel");
        assert_eq!(
            html.text(html.body(), &[panel]),
            "Hello, <b>Tim</b> Zoë & Ann"
        );
        assert!(html.find(("b", &[]), None).is_none());
        assert_eq!(html.text(Some(panel), &[]), "Tim");
        assert_eq!(
            html.source_of(panel),
            "<section id=\"sent\"><code>Tim</code></section>"
        );
    }

    #[test]
    fn elements_left_open_are_closed_by_their_parent() {
        let html = Html::parse("<ul><li>one<li>two</ul><p>after");
        let list = html.find(("ul", &[]), None).expect("the list");
        assert_eq!(html.find_all(("li", &[]), Some(list)).len(), 2);
        assert_eq!(html.text(Some(list), &[]), "onetwo");
        let after = html.find(("p", &[]), None).expect("the paragraph");
        assert_eq!(html.text(Some(after), &[]), "after");
    }
}
