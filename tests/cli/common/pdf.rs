//! Reading a PDF the way a reader sees it, for the tests: every glyph's text (through the
//! font's ToUnicode map), position and size, grouped into lines by baseline.
#![allow(dead_code)]

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Glyph {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub y: f64,
    pub size: f64,
    pub text: String,
    pub x0: f64,
}

/// A font's text and width for each code.
type FontMaps = (HashMap<u16, String>, HashMap<u16, f64>);

fn to_unicode(doc: &Document, font: &lopdf::Dictionary) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    let Ok(Object::Reference(id)) = font.get(b"ToUnicode") else {
        return map;
    };
    let Ok(stream) = doc.get_object(*id).and_then(Object::as_stream) else {
        return map;
    };
    let data = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&data);
    let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).ok();
    let utf16 = |s: &str| {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        let units: Vec<u16> = (0..s.len() / 4)
            .filter_map(|i| u16::from_str_radix(&s[i * 4..i * 4 + 4], 16).ok())
            .collect();
        String::from_utf16_lossy(&units)
    };
    let mut mode = "";
    for line in text.lines() {
        let l = line.trim();
        if l.ends_with("beginbfchar") {
            mode = "char";
        } else if l.ends_with("beginbfrange") {
            mode = "range";
        } else if l.starts_with("end") {
            mode = "";
        } else if mode == "char" {
            let parts: Vec<&str> = l.split_whitespace().collect();
            if let [code, dst] = parts[..] {
                if let Some(c) = hex(code) {
                    map.insert(c as u16, utf16(dst));
                }
            }
        } else if mode == "range" {
            let parts: Vec<&str> = l.split_whitespace().collect();
            if let [lo, hi, dst] = parts[..] {
                if let (Some(lo), Some(hi)) = (hex(lo), hex(hi)) {
                    let start = utf16(dst).chars().next().map_or(0, |c| c as u32);
                    for (n, code) in (lo..=hi).enumerate() {
                        if let Some(c) = char::from_u32(start + n as u32) {
                            map.insert(code as u16, c.to_string());
                        }
                    }
                }
            }
        }
    }
    map
}

/// Glyph widths by code (thousandths of an em) from the descendant font's /W array.
fn widths(doc: &Document, font: &lopdf::Dictionary) -> HashMap<u16, f64> {
    let mut map = HashMap::new();
    let resolve = |o: &Object| match o {
        Object::Reference(id) => doc.get_object(*id).ok().cloned(),
        other => Some(other.clone()),
    };
    let Some(Object::Array(descendants)) = font.get(b"DescendantFonts").ok().and_then(resolve) else {
        return map;
    };
    let Some(Object::Dictionary(cid)) = descendants.first().and_then(resolve) else {
        return map;
    };
    let Some(Object::Array(w)) = cid.get(b"W").ok().and_then(resolve) else {
        return map;
    };
    let mut i = 0;
    while i + 1 < w.len() {
        let first = num(&w[i]) as u16;
        match &w[i + 1] {
            Object::Array(ws) => {
                for (n, x) in ws.iter().enumerate() {
                    map.insert(first + n as u16, num(x));
                }
                i += 2;
            }
            _ => {
                let last = num(&w[i + 1]) as u16;
                let x = w.get(i + 2).map_or(0.0, num);
                for c in first..=last {
                    map.insert(c, x);
                }
                i += 3;
            }
        }
    }
    map
}

fn num(o: &Object) -> f64 {
    match o {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => 0.0,
    }
}

/// Every glyph of every page, in content order.
pub fn glyphs(pdf: &[u8]) -> Vec<Vec<Glyph>> {
    let doc = Document::load_mem(pdf).expect("a PDF lopdf can read");
    let mut pages = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let fonts: HashMap<Vec<u8>, FontMaps> = doc
            .get_page_fonts(page_id)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, font)| (name, (to_unicode(&doc, font), widths(&doc, font))))
            .collect();
        let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
        let (mut font, mut size, mut x, mut y) = (Vec::new(), 0.0, 0.0, 0.0);
        let mut out = Vec::new();
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    font = op.operands[0].as_name().map(<[u8]>::to_vec).unwrap_or_default();
                    size = num(&op.operands[1]);
                }
                "Tm" => {
                    x = num(&op.operands[4]);
                    y = num(&op.operands[5]);
                }
                "TJ" | "Tj" => {
                    let items = match &op.operands[0] {
                        Object::Array(a) => a.clone(),
                        other => vec![other.clone()],
                    };
                    let map = fonts.get(&font).map(|f| &f.0);
                    let advance = fonts.get(&font).map(|f| &f.1);
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                for pair in bytes.chunks(2) {
                                    let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                                    let text = map
                                        .and_then(|m| m.get(&code))
                                        .cloned()
                                        .unwrap_or_else(|| "\u{FFFD}".into());
                                    out.push(Glyph { text, x, y, size });
                                    let w = advance.and_then(|a| a.get(&code)).copied().unwrap_or(1000.0);
                                    x += w / 1000.0 * size;
                                }
                            }
                            other => x -= num(&other) / 1000.0 * size,
                        }
                    }
                }
                _ => {}
            }
        }
        pages.push(out);
    }
    pages
}

/// The lines of each page, top to bottom, each glyph's text joined.
pub fn lines(pdf: &[u8]) -> Vec<Vec<Line>> {
    glyphs(pdf)
        .into_iter()
        .map(|gs| {
            let mut by_y: Vec<(f64, Vec<Glyph>)> = Vec::new();
            for g in gs {
                match by_y.iter_mut().find(|(y, _)| (y - g.y).abs() < 1.0) {
                    Some((_, v)) => v.push(g),
                    None => by_y.push((g.y, vec![g])),
                }
            }
            by_y.sort_by(|a, b| b.0.total_cmp(&a.0));
            by_y.into_iter()
                .map(|(y, gs)| Line {
                    y,
                    size: gs.iter().map(|g| g.size).fold(0.0, f64::max),
                    x0: gs.first().map_or(0.0, |g| g.x),
                    text: gs.iter().map(|g| g.text.as_str()).collect(),
                })
                .collect()
        })
        .collect()
}

/// An outline entry: its title and the entries beneath it.
#[derive(Debug, Clone)]
pub struct Outline {
    pub title: String,
    pub children: Vec<Outline>,
}

/// The document outline (bookmarks), top level first.
pub fn outline(pdf: &[u8]) -> Vec<Outline> {
    let doc = Document::load_mem(pdf).expect("a PDF lopdf can read");
    fn kids(doc: &Document, id: ObjectId) -> Vec<Outline> {
        let reference =
            |d: &lopdf::Dictionary, key: &[u8]| d.get(key).ok().and_then(|o| o.as_reference().ok());
        let mut out = Vec::new();
        let mut next = reference(doc.get_dictionary(id).unwrap(), b"First");
        while let Some(k) = next {
            let d = doc.get_dictionary(k).unwrap();
            let Ok(Object::String(b, _)) = d.get(b"Title") else {
                panic!("an outline entry without a title")
            };
            let units: Vec<u16> = b[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            out.push(Outline {
                title: String::from_utf16(&units).unwrap(),
                children: kids(doc, k),
            });
            next = reference(d, b"Next");
        }
        out
    }
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    kids(&doc, root)
}
