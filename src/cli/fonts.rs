//! `zongjie fonts [报告]`: the faces serving each role, and the characters of a report (or
//! 汇编) that no font has.

use super::term::{say, show, tell};
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::{display_path, Ctx, Role};

/// What each role is used for, in the list.
fn usage(role: Role) -> &'static str {
    match role {
        Role::Title => "标题",
        Role::Body => "正文",
        Role::BodyBold => "三级标题，加粗",
        Role::Heading => "一级标题、表头",
        Role::Kai => "二级标题",
        Role::Song => "页码",
    }
}

pub fn execute(path: Option<&Path>) -> Outcome {
    let mut ctx = Ctx::default();
    let prepared = match path {
        Some(p) => match zongjie::prepare(&mut ctx, p)? {
            Some(prepared) => Some(prepared),
            None => {
                show(&mut ctx);
                tell!(
                    "{}：{}。请先改正以上错误。",
                    display_path(p),
                    zongjie::summary(&ctx.diags)
                );
                return Err(Failure::Data);
            }
        },
        None => None,
    };
    let none = zongjie::FontOverrides::default();
    let (choice, dir) = prepared
        .as_ref()
        .map_or((&none, Path::new("")), |p| (&p.fonts, p.dir.as_path()));
    say!("字体角色（PDF 按顺序查找，前一个字体没有的字由后一个补上）：");
    // With a report, its fonts' problems are told once, by laying it out below.
    let mut told_below = Ctx::default();
    let roles_ctx = if prepared.is_some() {
        &mut told_below
    } else {
        &mut ctx
    };
    for r in zongjie::role_faces(roles_ctx, choice, dir) {
        say!(
            "  {}（{}）  DOCX：{}  PDF：{}",
            r.role.name(),
            usage(r.role),
            r.docx,
            r.pdf.join(" → ")
        );
    }
    if let (Some(p), Some(path)) = (&prepared, path) {
        let missing = zongjie::missing_characters(&mut ctx, p);
        show(&mut ctx);
        let shown = if zongjie::is_compilation(path) {
            display_path(path)
        } else {
            display_path(&zongjie::report_path(path))
        };
        match missing {
            0 => say!("\n{shown}：所有字都有字体能显示。"),
            n => say!("\n{shown}：有 {n} 个字没有字体能显示（见上）。"),
        }
    } else {
        show(&mut ctx);
    }
    Ok(())
}
