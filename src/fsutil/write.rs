//! Writing outputs so that a failed or interrupted run never damages what was there and
//! leaves nothing beside it: every file goes to a temporary file in its own folder, the set
//! is swapped in only when all are complete, under a lock on the folder (two builds into one
//! folder take turns), and an interrupted run's temporary files are removed on the signal or,
//! after a crash, by the next run. New files get the mode the umask gives; replaced files keep
//! theirs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Our temporary files: `.zongjie-<pid>-<random>.tmp`; old files moved aside while the new
/// ones are put in place: `.zongjie-old-<pid>-<name>`.
const PREFIX: &str = ".zongjie-";
const ASIDE: &str = ".zongjie-old-";

/// What an interrupted run must undo: temporary files to delete, and files moved aside to
/// put back (aside, original).
#[derive(Default)]
struct Pending {
    temps: Vec<PathBuf>,
    asides: Vec<(PathBuf, PathBuf)>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    temps: Vec::new(),
    asides: Vec::new(),
});

fn pending() -> std::sync::MutexGuard<'static, Pending> {
    // A panic elsewhere while holding the lock leaves the list usable.
    PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Undoes what an interrupted write left: moved-aside files go back, temporary files go.
fn undo(p: &mut Pending) {
    for (aside, original) in p.asides.drain(..).rev() {
        if !original.exists() {
            let _ = std::fs::rename(&aside, &original);
        } else {
            let _ = std::fs::remove_file(&aside);
        }
    }
    for t in p.temps.drain(..) {
        let _ = std::fs::remove_file(t);
    }
}

/// On Ctrl+C, SIGTERM or SIGHUP, undoes any write under way and exits (130). For programs
/// (the command line, a server) to call once at start; a library call never installs it.
pub fn clean_up_on_signals() {
    let _ = ctrlc::set_handler(|| {
        // The list stays locked until the process is gone: a write under way cannot make
        // another temporary file after it was undone.
        let mut p = pending();
        undo(&mut p);
        std::process::exit(130);
    });
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Whether the process that wrote a file of ours has ended (so its files are debris).
fn ended(pid: u32, file: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    // Elsewhere: a file of ours untouched for an hour belongs to no running build.
    std::fs::metadata(file)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|d| d.as_secs() > 3600))
}

/// Removes what interrupted runs of ours left in `dir` (a kill -9 gives no chance to clean
/// up): their temporary files, and files they moved aside, which go back where they were.
fn remove_debris(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if let Some(rest) = name.strip_prefix(ASIDE) {
            let Some((pid, original)) = rest.split_once('-') else {
                continue;
            };
            if pid.parse().is_ok_and(|pid| ended(pid, &path)) {
                let original = dir.join(original);
                if original.exists() {
                    let _ = std::fs::remove_file(&path);
                } else {
                    let _ = std::fs::rename(&path, &original);
                }
            }
        } else if let Some(rest) = name.strip_prefix(PREFIX).and_then(|r| r.strip_suffix(".tmp")) {
            let pid = rest.split('-').next().and_then(|p| p.parse().ok());
            if pid.is_some_and(|pid| ended(pid, &path)) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The permissions a new file gets from the umask (rw for whom the umask allows).
#[cfg(unix)]
fn new_file_mode() -> u32 {
    // The umask can only be read by setting it; Linux shows it in /proc instead.
    let umask = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022);
    0o666 & !umask
}

/// Gives the temporary file for `target` the permissions the finished file must have: the
/// replaced file's, or those of a new file.
fn set_permissions(tmp: &std::fs::File, target: &Path) -> std::io::Result<()> {
    match std::fs::metadata(target) {
        Ok(m) => tmp.set_permissions(m.permissions()),
        #[cfg(unix)]
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            tmp.set_permissions(std::fs::Permissions::from_mode(new_file_mode()))
        }
        #[cfg(not(unix))]
        Err(_) => Ok(()),
    }
}

/// A new, empty file of ours in `dir` (`.zongjie-<pid>-…<suffix>`), listed for removal on a
/// signal. Made and listed under one lock: a signal either comes first (this then waits until
/// the process is gone, and the file is never made) or finds the file listed; one coming
/// between the making and the listing left the file behind.
fn listed(dir: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut p = pending();
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .suffix(suffix)
        .tempfile_in(dir)?;
    p.temps.push(tmp.path().to_path_buf());
    Ok(tmp)
}

/// A complete temporary file beside `target`, registered for removal on a signal.
fn temporary(target: &Path, bytes: &[u8]) -> std::io::Result<tempfile::TempPath> {
    let mut tmp = listed(folder_of(target), ".tmp")?;
    tmp.write_all(bytes)?;
    set_permissions(tmp.as_file(), target)?;
    tmp.as_file().sync_all()?;
    Ok(tmp.into_temp_path())
}

/// A file of ours that something must read under a name of its own while it lives (the web
/// preview of a form's unsaved values, read as a report beside the real one; an uploaded
/// ledger): made and listed as the outputs' temporary files are, so that a signal removes
/// it and, after a crash, the next run does; removed when dropped.
pub struct ScratchFile(tempfile::TempPath);

impl ScratchFile {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        // Removed and unlisted under the lock: a signal finds it either listed or gone.
        let mut p = pending();
        let _ = std::fs::remove_file(&self.0);
        p.temps.retain(|t| t.as_path() != &*self.0);
    }
}

/// A scratch file in `dir` holding `bytes`, its name ending in `suffix` (`.tmp` unless its
/// reader goes by the extension: only `.tmp` files are found as debris after a crash).
pub fn scratch_file(dir: &Path, suffix: &str, bytes: &[u8]) -> std::io::Result<ScratchFile> {
    let mut tmp = listed(dir, suffix)?;
    tmp.write_all(bytes)?;
    Ok(ScratchFile(tmp.into_temp_path()))
}

/// Holds `dir` for this process while files are swapped in. A lock on the folder itself
/// leaves no lock file behind. Where a folder cannot be opened as a file (Windows), builds
/// into one folder are not serialised.
struct FolderLock(#[allow(dead_code)] Option<std::fs::File>);

fn lock(dir: &Path) -> FolderLock {
    let held = std::fs::File::open(dir).ok().filter(|f| f.lock().is_ok());
    FolderLock(held)
}

/// In debug builds, `ZONGJIE_PAUSE_BEFORE_SWAP=<ms>` holds a write with its temporary files
/// complete, so that a test can interrupt it there; release builds have no such hook.
fn pause_for_tests() {
    if cfg!(debug_assertions) {
        if let Some(ms) = std::env::var("ZONGJIE_PAUSE_BEFORE_SWAP")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_all_atomic(&[(path.to_path_buf(), bytes)]).map_err(|(_, e)| e)
}

/// Writes several files so that either all are replaced or none is. Every file goes to a
/// temporary file first; then, under the folder's lock, the existing files are moved aside,
/// the new ones renamed into place, and the old ones deleted. If any step fails, what was
/// moved is moved back and no temporary file is left. Returns the path that failed and why.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<(), (PathBuf, std::io::Error)> {
    for (path, _) in files {
        if path.exists() && !path.is_file() {
            let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "这个位置是一个文件夹，不是文件");
            return Err((path.clone(), e));
        }
    }
    let mut folders: Vec<&Path> = files.iter().map(|(p, _)| folder_of(p)).collect();
    folders.sort();
    folders.dedup();
    folders.iter().for_each(|d| remove_debris(d));
    // This call's own work, kept apart from other writes the process may be doing.
    let mut mine = Pending::default();
    let mut temps = Vec::new();
    // Each temporary file is written and synced on a thread of its own: the syncs, most of a
    // small build's writing, overlap instead of following one another.
    let made: Vec<std::io::Result<tempfile::TempPath>> = std::thread::scope(|s| {
        let others: Vec<_> = files
            .iter()
            .skip(1)
            .map(|(path, bytes)| s.spawn(move || temporary(path, bytes)))
            .collect();
        let first = files.first().map(|(path, bytes)| temporary(path, bytes));
        let others = others.into_iter().map(|t| {
            t.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("写临时文件的线程意外结束")))
        });
        first.into_iter().chain(others).collect()
    });
    let mut failed = None;
    for ((path, _), tmp) in files.iter().zip(made) {
        match tmp {
            Ok(tmp) => {
                mine.temps.push(tmp.to_path_buf());
                temps.push(tmp);
            }
            Err(e) => {
                failed.get_or_insert((path.clone(), e));
            }
        }
    }
    if let Some(failed) = failed {
        drop(temps); // dropping the temporary paths deletes them
        forget(&mine);
        return Err(failed);
    }
    pause_for_tests();
    let _locks: Vec<FolderLock> = folders.iter().map(|d| lock(d)).collect();
    // The swap runs holding the list of pending work, so that a signal handler waits for a
    // consistent state and then undoes it whole.
    let mut all = pending();
    let failed = swap(files, temps, &mut mine, &mut all);
    all.temps.retain(|t| !mine.temps.contains(t));
    // Only one swap runs at a time in a process (it holds the list), so the asides are ours.
    all.asides.clear();
    if failed.is_some() {
        undo(&mut mine);
    }
    drop(all);
    match failed {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Moves the old files aside and renames the new ones into place; on failure, returns why
/// with `mine` holding what to undo (the new files placed so far are removed here).
fn swap(
    files: &[(PathBuf, &[u8])],
    temps: Vec<tempfile::TempPath>,
    mine: &mut Pending,
    all: &mut Pending,
) -> Option<(PathBuf, std::io::Error)> {
    for (path, _) in files {
        let aside = folder_of(path).join(format!(
            "{ASIDE}{}-{}",
            std::process::id(),
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        match std::fs::rename(path, &aside) {
            Ok(()) => {
                mine.asides.push((aside.clone(), path.clone()));
                all.asides.push((aside, path.clone()));
            }
            // Not there (or gone since we looked): nothing to keep.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Some((path.clone(), e)),
        }
    }
    let mut placed: Vec<&PathBuf> = Vec::new();
    for (tmp, (path, _)) in temps.into_iter().zip(files) {
        if let Err(e) = tmp.persist(path) {
            for p in placed {
                let _ = std::fs::remove_file(p);
            }
            return Some((path.clone(), e.error));
        }
        placed.push(path);
    }
    // Done: the temporary files are now the outputs (the caller takes them off the list a
    // signal removes), and the old files can go.
    for (aside, _) in mine.asides.drain(..) {
        let _ = std::fs::remove_file(aside);
    }
    None
}

/// Drops this call's temporary files from the process's list.
fn forget(mine: &Pending) {
    pending().temps.retain(|t| !mine.temps.contains(t));
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
        // The temporary files are the outputs now: a signal must not remove them.
        assert!(!pending().temps.iter().any(|t| t.starts_with(dir.path())));
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
        // The first of three fails: the others' temporary files, made meanwhile on their own
        // threads, are removed and no longer listed for a signal.
        let c = dir.path().join("c.txt");
        let err = write_all_atomic(&[
            (bad.clone(), &b"x"[..]),
            (a.clone(), &b"new"[..]),
            (c.clone(), &b"c"[..]),
        ])
        .unwrap_err();
        assert_eq!(err.0, bad);
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert!(!c.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );
        let listed: Vec<PathBuf> = pending()
            .temps
            .iter()
            .filter(|t| t.starts_with(dir.path()))
            .cloned()
            .collect();
        assert!(listed.is_empty(), "none listed: {listed:?}");
    }

    #[test]
    fn failure_leaves_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("x.txt");
        assert!(write_atomic(&p, b"x").is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn debris_of_ended_runs_is_removed_and_moved_files_restored() {
        let dir = tempfile::tempdir().unwrap();
        // A pid that is no running process: larger than any pid Linux hands out.
        let dead = 4_194_305;
        std::fs::write(dir.path().join(format!("{PREFIX}{dead}-abc.tmp")), b"half").unwrap();
        std::fs::write(dir.path().join(format!("{ASIDE}{dead}-总结.pdf")), b"old pdf").unwrap();
        let mine = dir.path().join(format!("{PREFIX}{}-abc.tmp", std::process::id()));
        std::fs::write(&mine, b"in progress").unwrap();
        write_atomic(&dir.path().join("另一个.txt"), b"x").unwrap();
        assert!(!dir.path().join(format!("{PREFIX}{dead}-abc.tmp")).exists());
        assert_eq!(std::fs::read(dir.path().join("总结.pdf")).unwrap(), b"old pdf");
        assert!(mine.exists(), "a running process's file is left alone");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("新.txt");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, new_file_mode(), "{mode:o}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"y").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_scratch_file_is_listed_for_the_signal_while_it_lives() {
        let dir = tempfile::tempdir().unwrap();
        let f = scratch_file(dir.path(), ".tmp", b"unsaved").unwrap();
        let path = f.path().to_path_buf();
        assert_eq!(std::fs::read(&path).unwrap(), b"unsaved");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!("{PREFIX}{}-", std::process::id())),
            "{name}"
        );
        assert!(pending().temps.contains(&path), "a signal now would remove it");
        drop(f);
        assert!(!path.exists());
        assert!(!pending().temps.contains(&path));
    }
}
