//! A thin layer over quick-xml's writer for the XML the writers make (the DOCX package's
//! parts, the SVG page preview). quick-xml escapes text and attribute values; this layer adds
//! what every document needs: the declaration, nesting by closures, and a refusal to write a
//! character XML 1.0 forbids (a document holding one is not well-formed: Word will not open
//! the file, a browser will not show the page).

use crate::document::is_forbidden_char;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// Attributes of an element, written in the order given.
pub type Attrs<'a> = &'a [(&'a str, &'a str)];

pub struct Xml {
    writer: Writer<Vec<u8>>,
    forbidden: Option<char>,
}

impl Xml {
    /// A document: the XML declaration that Office writes.
    pub fn new() -> Xml {
        let mut x = Xml {
            writer: Writer::new(Vec::new()),
            forbidden: None,
        };
        x.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), Some("yes"))));
        x
    }

    fn event(&mut self, e: Event) {
        // Writing into a Vec<u8> cannot fail.
        let _ = self.writer.write_event(e);
    }

    fn start<'a>(&mut self, name: &'a str, attrs: Attrs) -> BytesStart<'a> {
        for (_, v) in attrs {
            self.screen(v);
        }
        BytesStart::new(name).with_attributes(attrs.iter().copied())
    }

    fn screen(&mut self, s: &str) {
        if self.forbidden.is_none() {
            self.forbidden = s.chars().find(|&c| is_forbidden_char(c));
        }
    }

    /// `<name attrs>…</name>`, the content written by `inner`.
    pub fn el(&mut self, name: &str, attrs: Attrs, inner: impl FnOnce(&mut Xml)) {
        let start = self.start(name, attrs);
        self.event(Event::Start(start));
        inner(self);
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &str, attrs: Attrs) {
        let start = self.start(name, attrs);
        self.event(Event::Empty(start));
    }

    /// `<name w:val="value"/>`, the most common shape in WordprocessingML.
    #[allow(clippy::needless_pass_by_value)] // numbers and short strings: taken as written
    pub fn val(&mut self, name: &str, value: impl ToString) {
        self.empty(name, &[("w:val", &value.to_string())]);
    }

    /// `<name attrs>text</name>`, the text escaped.
    pub fn text(&mut self, name: &str, attrs: Attrs, text: &str) {
        self.screen(text);
        self.el(name, attrs, |x| x.event(Event::Text(BytesText::new(text))));
    }

    /// The document's bytes, or the first character XML 1.0 forbids that was given to it.
    pub fn finish(self) -> Result<Vec<u8>, char> {
        match self.forbidden {
            Some(c) => Err(c),
            None => Ok(self.writer.into_inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_nests() {
        let mut x = Xml::new();
        x.el("a", &[("k", "<\"&>")], |x| {
            x.text("t", &[], "1 < 2 & 3");
            x.val("v", 7);
        });
        let s = String::from_utf8(x.finish().unwrap()).unwrap();
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <a k=\"&lt;&quot;&amp;&gt;\"><t>1 &lt; 2 &amp; 3</t><v w:val=\"7\"/></a>"
        );
    }

    #[test]
    fn refuses_characters_xml_forbids() {
        let mut x = Xml::new();
        x.text("t", &[], "铃\u{7}声");
        assert_eq!(x.finish(), Err('\u{7}'));
        let mut x = Xml::new();
        x.empty("e", &[("a", "\u{FFFE}")]);
        assert_eq!(x.finish(), Err('\u{FFFE}'));
    }
}
