//! Reading a DOCX back as Word would: its zip entries, its parts parsed as XML, and the text
//! of its paragraphs.

use std::collections::BTreeMap;
use std::io::Read;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub struct Package {
    /// Zip entry names in the order they are stored.
    pub names: Vec<String>,
    pub parts: BTreeMap<String, String>,
}

impl Package {
    pub fn read(bytes: &[u8]) -> Package {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut names = Vec::new();
        let mut parts = BTreeMap::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().expect("a UTF-8 entry name").into_owned();
            let mut s = String::new();
            if !f.is_dir() {
                f.read_to_string(&mut s).expect("UTF-8 part");
            }
            names.push(name.clone());
            parts.insert(name, s);
        }
        Package { names, parts }
    }

    pub fn part(&self, name: &str) -> &str {
        self.parts.get(name).unwrap_or_else(|| panic!("no part {name}"))
    }
}

pub fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).expect("well-formed XML")
}

/// Is `n` the WordprocessingML element `name`?
pub fn is(n: roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

/// The children of `n` that are the element `name`.
pub fn children<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    n.children().filter(move |c| is(*c, name))
}

pub fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &'a str) -> Option<roxmltree::Node<'a, 'i>> {
    children(n, name).next()
}

/// The value of the attribute `w:name` of `n`.
pub fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// The value of `<w:name w:val="…">` under `n`.
pub fn val<'a>(n: roxmltree::Node<'a, '_>, name: &'a str) -> Option<&'a str> {
    child(n, name).and_then(|c| attr(c, "val"))
}

/// The text of a paragraph: its `w:t`, with a line break as `\n` and a tab as `\t`.
pub fn text(p: roxmltree::Node) -> String {
    p.descendants()
        .filter_map(|d| {
            if is(d, "t") {
                d.text().map(str::to_owned)
            } else if is(d, "br") && attr(d, "type").is_none() {
                Some("\n".into())
            } else if is(d, "tab") && d.parent().is_some_and(|p| is(p, "r")) {
                Some("\t".into())
            } else {
                None
            }
        })
        .collect()
}

/// The text of each paragraph of the body, in order, outside tables.
pub fn paragraphs(document_xml: &str) -> Vec<String> {
    let doc = parse(document_xml);
    let body = doc
        .root_element()
        .children()
        .find(|c| is(*c, "body"))
        .expect("a body");
    children(body, "p").map(text).collect()
}

/// The style with id `id` in styles.xml.
pub fn style<'a, 'i>(styles: &'a roxmltree::Document<'i>, id: &str) -> roxmltree::Node<'a, 'i> {
    styles
        .root_element()
        .children()
        .find(|s| is(*s, "style") && attr(*s, "styleId") == Some(id))
        .unwrap_or_else(|| panic!("no style {id}"))
}
