//! Finding an installed font family by name, in the folders where systems keep fonts.

use std::path::{Path, PathBuf};

fn font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
        "C:\\Windows\\Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(local).join("Microsoft\\Windows\\Fonts"));
    }
    dirs
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() && depth < 6 {
            walk(&p, out, depth + 1);
        } else if matches!(
            crate::model::FontSource::parse(&p.to_string_lossy()),
            crate::model::FontSource::File(_)
        ) {
            out.push(p);
        }
    }
}

/// The first installed face whose family name (in any language) is `family`.
pub fn find_family(family: &str) -> Option<(PathBuf, Vec<u8>, u32)> {
    let mut files = Vec::new();
    for d in font_dirs() {
        walk(&d, &mut files, 0);
    }
    for path in files {
        let Ok(bytes) = crate::fsutil::read_input(&path, crate::fsutil::MAX_FONT_FILE) else {
            continue;
        };
        let count = ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
        for index in 0..count {
            let Ok(face) = ttf_parser::Face::parse(&bytes, index) else {
                continue;
            };
            let matches = face.names().into_iter().any(|n| {
                matches!(
                    n.name_id,
                    ttf_parser::name_id::FAMILY
                        | ttf_parser::name_id::TYPOGRAPHIC_FAMILY
                        | ttf_parser::name_id::FULL_NAME
                ) && n.to_string().is_some_and(|s| s == family)
            });
            if matches {
                return Some((path, bytes, index));
            }
        }
    }
    None
}
