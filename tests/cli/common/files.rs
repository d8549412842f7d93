//! Copying a folder of examples (data/) for a test to change. One file for every test crate
//! that needs it: the CLI tests (through `common`), the browser test and the server's unit
//! tests include it by path.

use std::path::Path;

/// Copies the folder `from` to `to`, subfolders and all.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make the folder");
    for e in std::fs::read_dir(from).expect("read the folder") {
        let e = e.expect("a folder entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("its type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy a file");
        }
    }
}
