//! Files in and out: inputs read only when they are regular files of a sane size, outputs
//! written so that a failed or interrupted run never damages what was there ([`write`]),
//! and every I/O error said in Chinese.

mod write;

pub use write::{clean_up_on_signals, scratch_file, write_all_atomic, write_atomic, ScratchFile};

use std::io::Read;
use std::path::Path;

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

/// What a file that is not a regular file is, in words.
pub fn describe(kind: &std::fs::FileType) -> &'static str {
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

/// Whether `a` and `b` are one file (the same path however written, or a hard link).
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((FileIdentity::of(a), FileIdentity::of(b)), (Some(x), Some(y)) if x == y)
}

/// What makes a file the one it is, whatever path names it: its device and inode where
/// there are such, its resolved path elsewhere. Taken once a file, so that a list of many
/// files is checked for one named twice without comparing every pair on disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileIdentity(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] std::path::PathBuf);

impl FileIdentity {
    /// None when the file is not there (or cannot be looked at).
    pub fn of(path: &Path) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).ok()?;
            Some(FileIdentity((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            path.canonicalize().ok().map(FileIdentity)
        }
    }
}

/// Size limits of the inputs: a report, its case files, templates and 汇编 files are text
/// far below these; anything larger is a mistake or an attack, and must not exhaust memory.
pub const MAX_TEXT_FILE: u64 = 256 << 20;
pub const MAX_FONT_FILE: u64 = 64 << 20;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn every_error_is_said_in_chinese_and_writing_is_not_reading() {
        let denied = Error::from(ErrorKind::PermissionDenied);
        assert_eq!(io_message(&denied, Access::Read), "没有读取权限");
        assert!(io_message(&denied, Access::Write).starts_with("没有写入权限"));
        for kind in [
            ErrorKind::StorageFull,
            ErrorKind::AlreadyExists,
            ErrorKind::OutOfMemory,
            ErrorKind::ReadOnlyFilesystem,
        ] {
            let m = io_message(&Error::from(kind), Access::Write);
            assert!(!m.is_ascii(), "{kind:?}: {m}");
        }
        // An error the standard library has no kind for is named by its code, never its
        // English sentence.
        let other = Error::from_raw_os_error(40);
        assert!(!io_message(&other, Access::Read).contains("symbolic"));
        assert!(!io_message(&Error::other("English words"), Access::Read).contains("English"));
    }

    #[test]
    fn inputs_are_regular_files_of_a_bounded_size() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("大.yaml");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        assert!(matches!(
            read_input(&big, 1024),
            Err(InputError::TooLarge {
                size: 2048,
                limit: 1024
            })
        ));
        assert!(matches!(
            read_input(dir.path(), 1024),
            Err(InputError::NotAFile("文件夹"))
        ));
        assert_eq!(read_input(&big, 4096).unwrap().len(), 2048);
    }
}
