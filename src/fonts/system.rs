//! Installed fonts, found by family name in any language (`仿宋_GB2312` or `FangSong_GB2312`)
//! through fontdb, which reads only the name tables of the system's font files (mapped, not
//! read whole). `ZONGJIE_FONT_DIRS` (folders, separated as in PATH) replaces the system's
//! folders: tests point it at a fixture, or at nothing.

use std::path::PathBuf;
use std::sync::OnceLock;

static DATABASE: OnceLock<fontdb::Database> = OnceLock::new();

fn database() -> &'static fontdb::Database {
    DATABASE.get_or_init(|| {
        let mut db = fontdb::Database::new();
        match std::env::var_os("ZONGJIE_FONT_DIRS") {
            Some(dirs) => {
                for dir in std::env::split_paths(&dirs).filter(|d| !d.as_os_str().is_empty()) {
                    db.load_fonts_dir(dir);
                }
            }
            None => db.load_system_fonts(),
        }
        db
    })
}

/// Reads the installed fonts' names on another thread, so that a build finds them ready.
pub fn warm() {
    if DATABASE.get().is_none() {
        std::thread::spawn(|| {
            database();
        });
    }
}

/// The installed face whose family (or PostScript name) is `family`: its file, the file's
/// bytes and the face's index in it. Of several faces, the upright one nearest to regular
/// weight, then the first by path, so that the choice does not depend on the order the
/// system lists its files in.
pub fn find_family(family: &str) -> Option<(PathBuf, Vec<u8>, u32)> {
    let mut faces: Vec<(&fontdb::FaceInfo, &PathBuf)> = database()
        .faces()
        .filter(|f| f.families.iter().any(|(name, _)| name == family) || f.post_script_name == family)
        .filter_map(|f| match &f.source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some((f, path)),
            fontdb::Source::Binary(_) => None,
        })
        .collect();
    faces.sort_by_key(|(f, path)| {
        (
            f.style != fontdb::Style::Normal,
            f.weight.0.abs_diff(400),
            (*path).clone(),
            f.index,
        )
    });
    faces.into_iter().find_map(|(f, path)| {
        crate::fsutil::read_input(path, crate::fsutil::MAX_FONT_FILE)
            .ok()
            .map(|bytes| (path.clone(), bytes, f.index))
    })
}
