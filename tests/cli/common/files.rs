//! Copying an example of data/ for a test to change. One file for every test crate that
//! needs it: the CLI tests (through `common`), the browser test and the server's unit tests
//! include it by path.

use std::path::Path;

/// What a build writes beside a report (the outputs and the snapshot `diff` compares with):
/// the repository keeps none of it (.gitignore), and a copy of an example leaves it behind, so
/// that a test sees the example as the repository holds it even after
/// `zongjie build data/minzhengju` (the README's first command) was run in this checkout.
const BUILT: &[&str] = &[".docx", ".pdf", ".txt", ".md", ".快照.json"];

/// Copies the example folder `from` to `to`, subfolders and all, but for what builds wrote.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make the folder");
    for e in std::fs::read_dir(from).expect("read the folder") {
        let e = e.expect("a folder entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("its type").is_dir() {
            copy_dir(&e.path(), &target);
        } else if !BUILT.iter().any(|b| e.file_name().to_string_lossy().ends_with(b)) {
            std::fs::copy(e.path(), target).expect("copy a file");
        }
    }
}
