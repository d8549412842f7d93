//! `zongjie build --watch`: builds, then rebuilds whenever an input file changes, saying what
//! changed in the figures. A failed rebuild shows its errors and leaves the outputs as they
//! were. Polling every 200 ms: a dozen lines, no platform quirks, no extra dependency.

use super::args::BuildArgs;
use super::term::say;
use super::{diff, Failure, Outcome};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use zongjie::{display_path, Ctx, Snapshot};

/// The files a run read, with their modification time and size, to notice a change.
fn stamps(ctx: &Ctx) -> Vec<(PathBuf, Option<(SystemTime, u64)>)> {
    let mut paths: Vec<PathBuf> = ctx
        .sources
        .iter()
        .map(|f| f.path.clone())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .map(|p| {
            let stamp = std::fs::metadata(&p)
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            (p, stamp)
        })
        .collect()
}

pub fn execute(args: &BuildArgs) -> Outcome {
    let mut previous: Option<Snapshot> = None;
    loop {
        let mut ctx = Ctx::default();
        match super::build::once(args, &mut ctx) {
            Ok(prepared) => {
                let now = Snapshot::of(&prepared);
                if let Some(before) = &previous {
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
            // Nothing was read: the path itself is wrong, and watching it would wait forever.
            Err(f @ Failure::Usage(_)) if ctx.sources.iter().next().is_none() => return Err(f),
            Err(Failure::Usage(m)) => {
                super::term::tell!("错误: {m}");
                say!("本次没有生成文件，原有的输出保持不变。");
            }
            Err(_) => say!("本次没有生成文件，原有的输出保持不变。"),
        }
        let watched = stamps(&ctx);
        say!("正在监视 {} 个文件的改动（按 Ctrl+C 结束）……", watched.len());
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let now = stamps(&ctx);
            if let Some((p, _)) = now.iter().zip(&watched).find(|(a, b)| a != b).map(|(a, _)| a) {
                say!("\n检测到改动：{}，重新生成……", display_path(p));
                break;
            }
        }
    }
}
