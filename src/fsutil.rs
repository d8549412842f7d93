//! Writing outputs so that a failed or interrupted run never damages what was there:
//! a temporary file in the same folder, renamed over the target only when complete.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What was being done when an I/O error happened, for its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// An I/O error in Chinese: every kind the standard library names, never the system's
/// English sentence (a user on a Chinese desktop reads this).
pub fn io_message(e: &std::io::Error, access: Access) -> String {
    use std::io::ErrorKind::*;
    let reading = access == Access::Read;
    let text = match e.kind() {
        NotFound => "文件不存在",
        PermissionDenied if reading => "没有读取权限",
        PermissionDenied => "没有写入权限（文件夹或文件是只读的，或被别的程序锁定）",
        AlreadyExists => "同名文件已存在",
        IsADirectory => "这是一个文件夹，不是文件",
        NotADirectory => "路径中有一部分不是文件夹",
        DirectoryNotEmpty => "文件夹不是空的",
        StorageFull => "磁盘空间已满",
        QuotaExceeded => "超出了磁盘配额",
        ReadOnlyFilesystem => "所在的磁盘是只读的",
        TooManyLinks => "链接过多",
        InvalidFilename => "文件名无效或过长",
        FileTooLarge => "文件过大",
        ResourceBusy | ExecutableFileBusy => "文件正被别的程序占用",
        CrossesDevices => "不能跨磁盘移动文件",
        StaleNetworkFileHandle => "网络上的文件已失效，请重新打开所在的文件夹",
        NetworkDown | NetworkUnreachable | HostUnreachable | ConnectionRefused | ConnectionReset
        | ConnectionAborted | NotConnected | BrokenPipe | TimedOut => "网络或设备连接中断",
        Interrupted => "操作被中断",
        UnexpectedEof => "文件不完整（读到中途就结束了）",
        InvalidData => "文件内容无效",
        OutOfMemory => "内存不足",
        Unsupported => "系统不支持这项操作",
        _ => "",
    };
    // ELOOP (Linux 40, macOS 62) has no stable ErrorKind yet.
    let loops = cfg!(target_os = "linux") && e.raw_os_error() == Some(40)
        || cfg!(target_os = "macos") && e.raw_os_error() == Some(62);
    match (text, e.raw_os_error()) {
        ("", _) if loops => "符号链接形成了循环".into(),
        ("", Some(code)) => format!("系统错误（错误代码 {code}）"),
        ("", None) => "未知的系统错误".into(),
        (t, _) => t.into(),
    }
}

/// Why an input file was not read.
#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    /// Not a regular file (a device such as /dev/zero, a FIFO, a socket, a folder): reading
    /// it would never end, or block forever.
    NotAFile(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
}

impl InputError {
    /// The reason in Chinese, for a message that names the file.
    pub fn message(&self) -> String {
        match self {
            InputError::Io(e) => io_message(e, Access::Read),
            InputError::NotAFile(what) => format!("这不是普通文件，而是{what}"),
            InputError::TooLarge { size, limit } => format!(
                "文件有 {} MB，超过了 {} MB 的上限",
                size.div_ceil(1 << 20),
                limit >> 20
            ),
        }
    }

    /// Whether the path itself is wrong (missing, a folder), as opposed to a file that is
    /// there but cannot be read.
    pub fn is_missing(&self) -> bool {
        matches!(self, InputError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Reads an input file of at most `limit` bytes, refusing anything that is not a regular
/// file (following symbolic links).
pub fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(InputError::Io)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(InputError::NotAFile(describe(&kind)));
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > limit {
        // It grew while we read it.
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "管道（FIFO）";
        }
        if kind.is_socket() {
            return "套接字";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "设备文件";
        }
    }
    if kind.is_dir() {
        "文件夹"
    } else {
        "特殊文件"
    }
}

/// Size limits of the inputs: a report, its case files, templates and 汇编 files are text
/// far below these; anything larger is a mistake or an attack, and must not exhaust memory.
pub const MAX_TEXT_FILE: u64 = 256 << 20;
pub const MAX_FONT_FILE: u64 = 64 << 20;

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
