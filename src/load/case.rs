//! One 案件 record, field by field (SPEC §2.2).

use super::fields::{list, Fields};
use super::Ctx;
use crate::diag::Diag;
use crate::model::{Case, Handling, Kind, Satisfaction, Scheme, SecondReply};
use crate::source::FileId;
use crate::yaml::Node;

#[rustfmt::skip]
pub const KEYS: &[&str] = &[
    "编号",
    "类别",
    "标题",
    "提出人",
    "承办方式",
    "承办单位",
    "承办系统",
    "级别",
    "来源",
    "领域",
    "交办日期",
    "答复日期",
    "办理结果",
    "面商",
    "满意度",
    "重点督办",
    "领办领导",
    "跨年度",
    "二次答复",
    "备注",
];

const SECOND_KEYS: &[&str] = &["答复日期", "办理结果", "满意度"];

/// The class index of a 办理结果 value: `A`, `A类`, or the class's wording.
fn result(ctx: &mut Ctx, f: &Fields, scheme: &Scheme) -> Option<usize> {
    let t = f.text(ctx, "办理结果")?;
    let v = t.text.trim_end_matches('类').to_ascii_uppercase();
    if let Some(i) = scheme.index_of(&v) {
        return Some(i);
    }
    if let Some(i) = scheme.classes.iter().position(|(_, label)| *label == t.text) {
        return Some(i);
    }
    let allowed: Vec<String> = scheme
        .classes
        .iter()
        .map(|(l, w)| format!("{l}（{w}）"))
        .collect();
    ctx.diags.push(
        Diag::error(
            t.at,
            format!("办理结果“{}”不在分类方案“{}”中", t.text, scheme.name),
        )
        .help(format!("可填：{}", allowed.join("、"))),
    );
    None
}

fn satisfaction(ctx: &mut Ctx, f: &Fields) -> Option<Satisfaction> {
    f.choice(ctx, "满意度", &Satisfaction::ALL, Satisfaction::name)
}

fn second_reply(ctx: &mut Ctx, f: &Fields, scheme: &Scheme) -> Option<SecondReply> {
    let node = f.get("二次答复")?;
    let s = Fields::new(ctx, f.file, node, "二次答复")?;
    s.check_keys(ctx, SECOND_KEYS, "二次答复");
    Some(SecondReply {
        answered: s.date(ctx, "答复日期"),
        result: result(ctx, &s, scheme),
        satisfaction: satisfaction(ctx, &s),
    })
}

/// A character that takes no room on the page: zero-width spaces and joiners, the soft
/// hyphen, a byte-order mark inside text.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// The 编号 of a record as written, whether or not the rest of it is valid.
pub fn raw_id(file: FileId, node: &Node) -> Option<(String, crate::diag::Loc)> {
    let crate::yaml::Value::Map(entries) = &node.value else {
        return None;
    };
    let (_, v) = entries.iter().find(|(k, _)| k.scalar() == Some("编号"))?;
    let id = v.scalar()?.trim();
    (!id.is_empty()).then(|| (id.to_owned(), super::fields::loc(file, v)))
}

/// Reads one case record; None when a required field is missing or unreadable.
pub fn read(ctx: &mut Ctx, file: FileId, node: &Node, scheme: &Scheme, index: usize) -> Option<Case> {
    // The record's name for messages is only formatted when there is one to give.
    let Some(f) = Fields::of_map(file, node) else {
        Fields::new(ctx, file, node, &format!("第{}条案件", index + 1));
        return None;
    };
    f.check_keys(ctx, KEYS, "案件");
    let id_text = f.text(ctx, "编号").filter(|t| !t.text.is_empty());
    if let Some(t) = &id_text {
        if let Some(c) = t.text.chars().find(|&c| is_invisible(c)) {
            ctx.diags.push(
                Diag::error(t.at, format!("编号“{}”中有看不见的字符 U+{:04X}", t.text.replace(is_invisible, ""), c as u32))
                    .help("删去这个字符（多半是从网页或聊天记录复制来的）：看起来相同的两个编号，会被当成不同的案件"),
            );
        }
    }
    f.empty_is_error(ctx, "标题", "填写案件的标题");
    let what = || match &id_text {
        Some(t) => format!("案件“{}”", t.text),
        None => format!("第{}条案件", index + 1),
    };
    if id_text.is_none() {
        f.missing(ctx, "编号", &what(), "每条案件都要有唯一的编号，如“建议第12号”");
    }
    let kind = f.choice(ctx, "类别", &Kind::ALL, Kind::name);
    if kind.is_none() && f.get("类别").is_none() {
        f.missing(
            ctx,
            "类别",
            &what(),
            &format!("类别可填：{}", list(&Kind::ALL.map(Kind::name))),
        );
    }
    let title = f.string(ctx, "标题");
    if title.is_none() && f.get("标题").is_none() {
        f.missing(
            ctx,
            "标题",
            &what(),
            "填写案件标题，如“关于加快老旧小区改造的建议”",
        );
    }
    let handling = f.choice(ctx, "承办方式", &Handling::ALL, Handling::name);
    if handling.is_none() && f.get("承办方式").is_none() {
        f.missing(
            ctx,
            "承办方式",
            &what(),
            &format!("承办方式可填：{}", list(&Handling::ALL.map(Handling::name))),
        );
    }
    let case = Case {
        id: String::new(),
        kind: Kind::建议,
        title: String::new(),
        proposer: f.string(ctx, "提出人"),
        handling: Handling::主办,
        units: f.strings(ctx, "承办单位"),
        system: f.string(ctx, "承办系统"),
        level: f.string(ctx, "级别"),
        source: f.string(ctx, "来源"),
        topic: f.string(ctx, "领域"),
        assigned: f.date(ctx, "交办日期"),
        answered: f.date(ctx, "答复日期"),
        result: result(ctx, &f, scheme),
        met: f.boolean(ctx, "面商"),
        satisfaction: satisfaction(ctx, &f).unwrap_or(Satisfaction::未反馈),
        key_supervised: f.boolean(ctx, "重点督办"),
        leader: f.string(ctx, "领办领导"),
        carried_over: f.boolean(ctx, "跨年度"),
        second: second_reply(ctx, &f, scheme),
        note: f.string(ctx, "备注"),
        at: f.loc(f.entries().first().map_or(node, |(k, _)| k)),
        id_at: id_text.as_ref().map_or(f.loc(node), |t| t.at),
    };
    Some(Case {
        id: id_text?.text,
        kind: kind?,
        title: title?,
        handling: handling?,
        ..case
    })
}
