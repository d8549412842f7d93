//! Writing outputs so that a failed or interrupted run never damages what was there:
//! a temporary file in the same folder, renamed over the target only when complete.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes several files so that either all are replaced or none is. Every file goes to a
/// temporary file first; then the existing files are moved aside, the new ones renamed into
/// place, and the old ones deleted. If any step fails, what was moved is moved back and no
/// temporary file is left. Returns the path that failed and why.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<(), (PathBuf, std::io::Error)> {
    for (path, _) in files {
        if path.exists() && !path.is_file() {
            let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "这个位置是一个文件夹，不是文件");
            return Err((path.clone(), e));
        }
    }
    let mut temps = Vec::new();
    for (path, bytes) in files {
        let written = tempfile::Builder::new()
            .prefix(".zongjie-")
            .suffix(".tmp")
            .tempfile_in(folder_of(path))
            .and_then(|mut tmp| {
                tmp.write_all(bytes)?;
                tmp.as_file().sync_all()?;
                Ok(tmp)
            });
        match written {
            Ok(tmp) => temps.push(tmp.into_temp_path()),
            // Dropping the temporary paths deletes them.
            Err(e) => return Err((path.clone(), e)),
        }
    }
    // Move the existing files aside.
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let restore = |moved: &[(PathBuf, PathBuf)]| {
        for (original, aside) in moved.iter().rev() {
            let _ = std::fs::rename(aside, original);
        }
    };
    for (path, _) in files.iter().filter(|(p, _)| p.exists()) {
        let aside = folder_of(path).join(format!(
            ".zongjie-old-{}-{}",
            std::process::id(),
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        if let Err(e) = std::fs::rename(path, &aside) {
            restore(&moved);
            return Err((path.clone(), e));
        }
        moved.push((path.clone(), aside));
    }
    // Put the new files in place.
    let mut placed: Vec<&PathBuf> = Vec::new();
    for (tmp, (path, _)) in temps.into_iter().zip(files) {
        if let Err(e) = tmp.persist(path) {
            for p in &placed {
                let _ = std::fs::remove_file(p);
            }
            restore(&moved);
            return Err((path.clone(), e.error));
        }
        placed.push(path);
    }
    for (_, aside) in moved {
        let _ = std::fs::remove_file(aside);
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
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
    fn a_set_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        write_atomic(&a, b"old").unwrap();
        let bad = dir.path().join("no-such-folder").join("b.txt");
        let err = write_all_atomic(&[(a.clone(), &b"new"[..]), (bad.clone(), &b"x"[..])]).unwrap_err();
        assert_eq!(err.0, bad);
        assert_eq!(std::fs::read(&a).unwrap(), b"old", "the first file is untouched");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }

    #[test]
    fn failure_leaves_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("x.txt");
        assert!(write_atomic(&p, b"x").is_err());
    }
}
