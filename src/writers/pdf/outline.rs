//! The document outline (bookmarks): the title of each 篇 with its headings beneath.

use super::Refs;
use crate::typeset::{Layout, PAGE_H};
use pdf_writer::{Finish, Pdf, Ref, TextStr};

/// Writes the outline; its root, if the layout has any heading.
pub fn write(pdf: &mut Pdf, layout: &Layout, pages: &[Ref], refs: &mut Refs) -> Option<Ref> {
    let entries = &layout.outline;
    if entries.is_empty() || pages.is_empty() {
        return None;
    }
    let root = refs.next();
    let ids: Vec<Ref> = entries.iter().map(|_| refs.next()).collect();
    // Each entry's parent: the nearest earlier entry of a lower level, or the root. A stack
    // of open entries finds it in one pass.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while open.last().is_some_and(|&j| entries[j].level >= e.level) {
            open.pop();
        }
        parent.push(open.last().copied());
        open.push(i);
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => top.push(i),
        }
    }
    // Siblings: the previous and next entry with the same parent.
    let mut prev = vec![None; entries.len()];
    let mut next = vec![None; entries.len()];
    for kids in children.iter().chain(std::iter::once(&top)) {
        for pair in kids.windows(2) {
            next[pair[0]] = Some(pair[1]);
            prev[pair[1]] = Some(pair[0]);
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let mut item = pdf.outline_item(ids[i]);
        item.title(TextStr(&e.title))
            .parent(parent[i].map_or(root, |p| ids[p]));
        if let Some(p) = prev[i] {
            item.prev(ids[p]);
        }
        if let Some(n) = next[i] {
            item.next(ids[n]);
        }
        if let (Some(&f), Some(&l)) = (children[i].first(), children[i].last()) {
            // Closed: a negative count of the entries beneath.
            item.first(ids[f]).last(ids[l]).count(-(children[i].len() as i32));
        }
        let page = pages.get(e.page).copied().unwrap_or(pages[0]);
        item.dest().page(page).xyz(0.0, super::pt(PAGE_H - e.y), None);
        item.finish();
    }
    let mut outline = pdf.outline(root);
    if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
        outline.first(ids[f]).last(ids[l]).count(top.len() as i32);
    }
    outline.finish();
    Some(root)
}
