//! The example a new user starts from: a 局's own 建议提案 summary, the same files as
//! data/minzhengju, written into a folder of the user's choosing.

use std::path::{Path, PathBuf};

/// The example's files: name and text.
pub const EXAMPLE_FILES: &[(&str, &str)] = &[
    ("报告.yaml", include_str!("../data/minzhengju/报告.yaml")),
    ("案件.yaml", include_str!("../data/minzhengju/案件.yaml")),
];

/// Why the example could not be written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// Files of the example's names are there already: nothing was written.
    #[error("{} 已存在，为免覆盖，没有写入任何文件", .0.iter().map(|p| crate::source::display_path(p)).collect::<Vec<_>>().join("、"))]
    Taken(Vec<PathBuf>),
    #[error("无法写入“{}”：{}", crate::source::display_path(.0), crate::load::io_message(.1))]
    Io(PathBuf, std::io::Error),
}

/// Writes the example into `dir` (created when missing), never over a file that is there.
/// Returns the files written.
pub fn write_example(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let taken: Vec<PathBuf> = EXAMPLE_FILES
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .collect();
    if !taken.is_empty() {
        return Err(InitError::Taken(taken));
    }
    std::fs::create_dir_all(dir).map_err(|e| InitError::Io(dir.to_path_buf(), e))?;
    let mut written = Vec::new();
    for (name, text) in EXAMPLE_FILES {
        let path = dir.join(name);
        crate::fsutil::write_atomic(&path, text.as_bytes()).map_err(|e| InitError::Io(path.clone(), e))?;
        written.push(path);
    }
    Ok(written)
}
