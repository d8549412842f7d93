//! `zongjie build <报告> [-f 格式] [-o 目录]`: the pipeline end to end. Nothing is written
//! when the data or the template has errors, and the outputs are written all or none.

use super::args::BuildArgs;
use super::term::{say, show, tell};
use super::{Failure, Outcome};
use zongjie::{display_path, Ctx, Format, Prepared, Snapshot};

/// Builds once; the prepared document is returned for `--watch` to take its snapshot from,
/// with (under `--watch`) the snapshot of the build before, read before this one replaced it.
pub fn once(args: &BuildArgs, ctx: &mut Ctx) -> Result<(Prepared, Option<Snapshot>), Failure> {
    let mut formats: Vec<Format> = Vec::new();
    for f in &args.formats {
        if !formats.contains(f) {
            formats.push(*f);
        }
    }
    let Some(prepared) = zongjie::prepare(ctx, &args.path)? else {
        show(ctx);
        tell!(
            "{}：{}，没有生成任何文件。请先改正以上错误。",
            display_path(&args.path),
            zongjie::summary(&ctx.diags)
        );
        return Err(Failure::Data);
    };
    // Everything is rendered before anything is written, so a failure leaves no partial set.
    let rendered = zongjie::render(ctx, &prepared, &formats);
    show(ctx);
    let rendered = rendered.map_err(|e| Failure::Usage(e.to_string()))?;
    // An unreadable snapshot only means there is nothing to compare with.
    let last = if args.watch {
        zongjie::last_snapshot(&prepared, args.output.as_deref())
            .ok()
            .flatten()
    } else {
        None
    };
    // The outputs and, beside them, the snapshot `diff 报告` compares with.
    let files = zongjie::write(&prepared, args.output.as_deref(), &rendered)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    for (path, out) in files.iter().zip(&rendered) {
        let pages = out.pages.map_or(String::new(), |n| format!("{n} 页，"));
        say!("{}（{pages}{}）", display_path(path), human_size(out.bytes.len()));
        if !out.faces.is_empty() {
            tell!("  PDF 所用字体：{}", out.faces.join("；"));
        }
    }
    Ok((prepared, last))
}

pub fn execute(args: &BuildArgs) -> Outcome {
    let mut ctx = Ctx::default();
    let built = once(args, &mut ctx);
    // The process ends here: freeing a 100,000-case report's millions of allocations one by
    // one would take longer than some stages took to build them.
    std::mem::forget(ctx);
    built.map(std::mem::forget)
}

fn human_size(n: usize) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}
