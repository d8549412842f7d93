//! Writing outputs so that a failed or interrupted run never damages what was there:
//! a temporary file in the same folder, renamed over the target only when complete.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".zongjie-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("报告.txt");
        write_atomic(&p, "旧".as_bytes()).unwrap();
        write_atomic(&p, "新内容".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "新内容");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_leaves_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("x.txt");
        assert!(write_atomic(&p, b"x").is_err());
    }
}
