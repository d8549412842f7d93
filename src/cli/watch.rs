//! `zongjie build --watch`: builds, then rebuilds whenever an input file changes, saying what
//! changed in the figures (the first time, since the build whose snapshot is beside the
//! outputs). A failed rebuild shows its errors and leaves the outputs as they were. Polling
//! every 200 ms: a dozen lines, no platform quirks, no extra dependency.

use super::args::BuildArgs;
use super::term::say;
use super::{diff, Failure, Outcome};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use zongjie::{display_path, Ctx, Snapshot};

/// A file's modification time and size, or None when it is not there (deleted, renamed).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(p: &PathBuf) -> Stamp {
    std::fs::metadata(p)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .and_then(|m| Some((m.modified().ok()?, m.len())))
}

/// The files a run read, to notice a change (a file that disappears is a change too).
fn files_read(ctx: &Ctx) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = ctx
        .sources
        .iter()
        .map(|(_, f)| f.path.clone())
        // Built-in templates are read from the binary, not from disk.
        .filter(|p| p.is_file() || !p.starts_with("templates"))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

pub fn execute(args: &BuildArgs) -> Outcome {
    let mut previous: Option<Snapshot> = None;
    let mut watched: Vec<PathBuf> = Vec::new();
    loop {
        let mut ctx = Ctx::default();
        match super::build::once(args, &mut ctx) {
            Ok((prepared, last_build)) => {
                let now = Snapshot::of(&prepared);
                // The first build compares with the snapshot an earlier build left (the data
                // may have changed since); later ones with the build before.
                if previous.is_none() && last_build.is_some() {
                    say!("与上次生成时相比：");
                }
                if let Some(before) = last_build.as_ref().or(previous.as_ref()) {
                    let changes = diff::figure_lines(before, &now);
                    if changes.is_empty() {
                        say!("数字没有变化。");
                    }
                    for line in changes {
                        say!("{line}");
                    }
                }
                previous = Some(now);
            }
            // Nothing was ever read: the path itself is wrong, and there is nothing to watch.
            Err(f @ Failure::Usage(_)) if watched.is_empty() && ctx.sources.iter().next().is_none() => {
                return Err(f);
            }
            Err(Failure::Usage(m)) => {
                super::term::tell!("错误: {m}");
                say!("本次没有生成文件，原有的输出保持不变；改好后会自动重新生成。");
            }
            Err(_) => say!("本次没有生成文件，原有的输出保持不变；改好后会自动重新生成。"),
        }
        // Watch what this run read, and keep watching what earlier runs read: a file that
        // could not be read this time (deleted, renamed) is noticed when it is back.
        for p in files_read(&ctx) {
            if !watched.contains(&p) {
                watched.push(p);
            }
        }
        let stamps: Vec<Stamp> = watched.iter().map(stamp).collect();
        say!("正在监视 {} 个文件的改动（按 Ctrl+C 结束）……", watched.len());
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let changed = watched.iter().zip(&stamps).find(|(p, s)| stamp(p) != **s);
            if let Some((path, before)) = changed {
                let p = display_path(path);
                match (before, stamp(path)) {
                    (Some(_), None) => say!("\n检测到 {p} 不见了（被删除或改名），重新生成……"),
                    (None, Some(_)) => say!("\n检测到 {p} 又出现了，重新生成……"),
                    _ => say!("\n检测到改动：{p}，重新生成……"),
                }
                break;
            }
        }
    }
}
