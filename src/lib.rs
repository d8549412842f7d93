//! zongjie (总结): turns the case records of 人大代表建议、议案 and 政协委员提案 into the
//! year-end 工作总结, in the 公文 layout of GB/T 9704-2012.
//!
//! The pipeline, one module a stage, data flowing one way:
//! `source`/`yaml` (read) → `load` (fields, checked) → `model` → `validate` (across records)
//! → `figures` → `compose` (sentences, templates) → `document` (the model every writer reads)
//! → `typeset` (pages) → `writers` (txt, md, docx, pdf). `gbt9704` holds the layout rules
//! the typesetter and the DOCX writer share; `pipeline` runs the stages for every client.
//! CONTRIBUTING.md has the module map.
//!
//! The public API is what a client needs to drive the pipeline: the command line, the tests,
//! the benchmarks and the web server (`serve`) all go through it.

mod compose;
mod diag;
mod diff;
mod document;
mod figures;
mod fnv;
mod fonts;
mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
mod gbt9704;
mod import;
mod init;
mod load;
mod model;
mod named;
mod pipeline;
mod serve;
mod source;
mod stats_table;
mod typeset;
mod validate;
mod words;
mod writers;
mod yaml;

/// Problems, rendered as rustc renders errors, in Chinese; `summary` says how many in one line.
pub use diag::{summary, Diag, Diags, Severity};
/// What changed between two snapshots.
pub use diff::{figure_changes, sentence_changes};
/// The figures of SPEC §2.4 and their table for the terminal.
pub use figures::Figures;
/// A path as shown to the user; a file written atomically; cleaning up on Ctrl+C.
pub use fsutil::{clean_up_on_signals, same_file, write_atomic as write_file};
/// The font roles of the 公文.
pub use gbt9704::Role;
/// Importing an Excel or CSV ledger.
pub use import::{read_ledger, CellError, ColumnMap, ImportError, Imported, Ledger};
/// The example a new user starts from.
pub use init::{write_example, InitError, EXAMPLE_FILES};
/// A run: the files read and the problems found, each problem at its file, line and column.
pub use load::{report_path, Ctx, IoFailure};
/// 字体 of a report: overrides by role, or the built-in faces only.
pub use model::FontOverrides;
/// The pipeline: check a report, prepare a report or 汇编, render formats, write them (and
/// the build's snapshot) all or none; the snapshot of the last build, for `diff`; a layout
/// kept for the live preview, its pages drawn as SVG on demand.
pub use pipeline::{
    check, check_parts, compose, is_compilation, last_snapshot, missing_characters, output_files, prepare,
    preview, render, role_faces, snapshot_file, write, Checked, PartCheck, Prepared, Preview, RenderError,
    Rendered, RoleFaces, Snapshot, SnapshotError, WriteError, SNAPSHOT_SUFFIX,
};
/// `zongjie serve`: the pipeline as web pages on this machine.
pub use serve::{ServeError, Server};
pub use source::display_path;
pub use stats_table::render as stats_table;
/// The output formats.
pub use writers::Format;
