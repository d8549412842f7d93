//! 报告.yaml, field by field (SPEC §2.1), and the files it refers to.

use super::fields::{list, loc, nearest, Fields};
use super::{case, values, Ctx, IoFailure};
use crate::diag::{Diag, Loc};
use crate::gbt9704::Role;
use crate::model::{
    Case, Closing, Count, Deadline, Declared, FontOverride, FontOverrides, FontSource, Genre, History, Item,
    Kind, Previous, Report, Scheme, Section, TemplateRef, Text, BUILTIN_TEMPLATES,
};
use crate::source::FileId;
use crate::yaml::{Node, Value};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::path::Path;

#[rustfmt::skip]
pub const KEYS: &[&str] = &[
    "单位", "年度", "标题", "成文日期", "截止日期", "模板", "分类方案", "办理时限", "案件", "统计", "核对", "上年",
    "基本情况", "主要做法", "存在问题", "下一步打算", "附表", "列出案件", "字体",
    "导语", "结束语", "点名单位", "承办单位称谓", "章节", "历年",
];

/// The four fixed parts, which 章节 replaces.
const FOUR_PARTS: [&str; 4] = ["基本情况", "主要做法", "存在问题", "下一步打算"];

/// How many reports back a chain of 上年 paths is followed (for the 历年 series); a chain
/// that loops ends here too.
pub const CHAIN: u8 = 5;

/// Loads a report; `chain` is how many earlier reports its 上年 may still bring in (0: none).
pub fn load(ctx: &mut Ctx, path: &Path, chain: u8) -> Result<Option<Report>, IoFailure> {
    let Some(read) = ctx.read_yaml(path, None)? else {
        return Ok(None);
    };
    let Some(doc) = read.doc else { return Ok(None) };
    let file = read.file;
    let Some(f) = Fields::new(ctx, file, &doc, "报告文件") else {
        return Ok(None);
    };
    f.check_keys(ctx, KEYS, "报告");
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();

    let unit = f.string(ctx, "单位");
    f.empty_is_error(ctx, "标题", "写上标题；要用模板的默认标题，就删去这一行");
    if unit.is_none() && f.get("单位").is_none() {
        f.missing(ctx, "单位", "报告", "填写撰写总结的单位，如“单位: 江城市民政局”");
    }
    let year = f.parsed(ctx, "年度", |s| {
        s.trim()
            .trim_end_matches('年')
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=2100).contains(y))
            .ok_or(values::Invalid {
                title: format!("“{s}”不是有效的年度"),
                help: "年度写四位数字，如 2024".into(),
            })
    });
    if year.is_none() && f.get("年度").is_none() {
        f.missing(ctx, "年度", "报告", "填写总结的年度，如“年度: 2024”");
    }
    let scheme = scheme(ctx, &f).unwrap_or_else(Scheme::four);
    let deadline = f
        .parsed(ctx, "办理时限", values::deadline)
        .unwrap_or(Deadline::Months(3));
    let template = template(ctx, &f, &base);
    if let Some(u) = &unit {
        template_fits(ctx, &f, u, &template);
    }
    let (cases, cases_unreadable) = cases(ctx, &f, &base, &scheme)?;

    if f.get("章节").is_some() {
        for key in FOUR_PARTS {
            if let Some(k) = f.key_node(key) {
                ctx.diags.push(
                    Diag::error(f.loc(k), format!("写了“章节”，就不能再写“{key}”"))
                        .help(format!("“章节”代替基本情况、主要做法、存在问题、下一步打算四个部分：把“{key}”的内容移到某一章节的“内容”中")),
                );
            }
        }
    }
    let last_year = match (chain, f.get("上年")) {
        (1.., Some(n)) => previous(ctx, &f, n, path, year, &cases, chain)?,
        _ => LastYear::default(),
    };
    let (previous, earlier) = (last_year.totals, last_year.earlier);
    let (counts, counts_at) = counts(ctx, &f);
    let history = history(
        ctx,
        &f,
        year,
        &cases,
        previous.as_ref().filter(|_| last_year.in_series),
        earlier,
    );
    let date = f.date(ctx, "成文日期");
    let as_of = f
        .date(ctx, "截止日期")
        .or(date)
        .or_else(|| year.and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 12, 31)))
        .unwrap_or_default();
    let report = Report {
        path: path.to_owned(),
        unit: unit.unwrap_or_default(),
        year: year.unwrap_or(0),
        title: f.lines(ctx, "标题").map(|t| t.replace("\\n", "\n")),
        date,
        as_of,
        template,
        scheme,
        deadline,
        cases,
        cases_unreadable,
        counts,
        counts_at,
        declared: declared(ctx, &f),
        history,
        previous,
        opening: f.text(ctx, "导语").filter(|t| !t.text.is_empty()),
        closing: match f.text(ctx, "结束语") {
            None => Closing::Default,
            Some(t) if t.text == "无" => Closing::Omitted,
            Some(t) if t.text.is_empty() => Closing::Default,
            Some(t) => Closing::Own(t),
        },
        name_units: f.boolean(ctx, "点名单位"),
        unit_term: f.string(ctx, "承办单位称谓"),
        sections: sections(ctx, &f),
        basic: items(ctx, &f, "基本情况"),
        practices: items(ctx, &f, "主要做法"),
        problems: items(ctx, &f, "存在问题"),
        plans: items(ctx, &f, "下一步打算"),
        appendix_tables: f.boolean(ctx, "附表"),
        list_cases: f.boolean(ctx, "列出案件"),
        fonts: fonts(ctx, &f),
        at: Loc {
            file,
            line: 1,
            col: 1,
            len: 1,
        },
    };
    once_auto(
        ctx,
        report
            .basic
            .iter()
            .chain(report.sections.iter().flat_map(|s| &s.items)),
        "程序算出的数字",
    );
    once_auto(ctx, report.problems.iter(), "由数字得出的问题");
    Ok(Some(report))
}

/// `自动` places something once: a second one would state the same figures twice.
fn once_auto<'a>(ctx: &mut Ctx, items: impl Iterator<Item = &'a Item>, what: &str) {
    let autos: Vec<Loc> = items
        .filter_map(|i| match i {
            Item::Auto(at) => Some(*at),
            _ => None,
        })
        .collect();
    if let [first, rest @ ..] = autos.as_slice() {
        for at in rest {
            ctx.diags.push(
                Diag::error(*at, "“自动”写了不止一次")
                    .related(*first, "第一个“自动”在这里")
                    .help(format!("{what}只放在一处，同样的数字不说两遍：删去多余的“自动”")),
            );
        }
    }
}

fn scheme(ctx: &mut Ctx, f: &Fields) -> Option<Scheme> {
    let n = f.get("分类方案")?;
    match &n.value {
        Value::Scalar { text, .. } => match text.trim() {
            "四类" => Some(Scheme::four()),
            "三类" => Some(Scheme::three()),
            other => {
                ctx.diags
                    .push(Diag::error(f.loc(n), format!("分类方案“{other}”无效")).help(
                        "可填“四类”或“三类”，或写成字段表自定义，如 {A: 已解决, B: 正在解决, C: 留作参考}",
                    ));
                None
            }
        },
        Value::Map(entries) => {
            report_repeated_keys(ctx, f, entries, "分类方案");
            let mut classes: Vec<(String, String)> = Vec::new();
            for (k, v) in entries {
                let letter = k.scalar().unwrap_or("").trim();
                if letter.len() != 1 || !letter.as_bytes()[0].is_ascii_uppercase() {
                    ctx.diags.push(
                        Diag::error(f.loc(k), format!("分类方案的类别代号“{letter}”无效"))
                            .help("类别代号用一个大写字母，如 A、B、C"),
                    );
                    continue;
                }
                match v.scalar().map(str::trim).filter(|s| !s.is_empty()) {
                    Some(label) if classes.iter().any(|(_, l)| l == label) => ctx.diags.push(
                        Diag::error(f.loc(v), format!("分类方案中“{label}”出现了两次"))
                            .help("每一类的说明要不同，否则两类无法区分，占比也无从说起"),
                    ),
                    Some(_) if classes.iter().any(|(l, _)| l == letter) => {}
                    Some(label) => classes.push((letter.to_owned(), label.to_owned())),
                    None => ctx.diags.push(
                        Diag::error(f.loc(v), format!("分类方案中{letter}类缺少说明文字"))
                            .help("写成“A: 已经解决或基本解决”"),
                    ),
                }
            }
            (!classes.is_empty()).then(|| Scheme {
                name: "自定义".into(),
                classes,
            })
        }
        Value::Seq(_) => {
            ctx.diags.push(
                Diag::error(f.loc(n), "分类方案应为“四类”“三类”或字段表")
                    .help("自定义方案写成 {A: 已解决, B: 正在解决, C: 留作参考}"),
            );
            None
        }
    }
}

fn template(ctx: &mut Ctx, f: &Fields, base: &Path) -> TemplateRef {
    let Some(t) = f.text(ctx, "模板") else {
        return TemplateRef::Builtin(0);
    };
    if let Some(i) = BUILTIN_TEMPLATES.iter().position(|n| *n == t.text) {
        return TemplateRef::Builtin(i);
    }
    let dir = base.join(&t.text);
    if dir.is_dir() {
        return TemplateRef::Folder { dir, name: t.text };
    }
    let mut d = Diag::error(t.at, format!("找不到模板“{}”", t.text)).help(format!(
        "内置模板有：{}；也可以填自己模板文件夹的路径（相对于报告文件）",
        list(&BUILTIN_TEMPLATES)
    ));
    if let Some(s) = nearest(&t.text, BUILTIN_TEMPLATES.iter().copied()) {
        d = d.label(format!("是否应为“{s}”？"));
    }
    ctx.diags.push(d);
    TemplateRef::Builtin(0)
}

/// Warns when a built-in template does not fit the unit (SPEC §2.5): the 人大 genres for a
/// unit that is not a 人大, the 承办单位's genre for a 人大.
fn template_fits(ctx: &mut Ctx, f: &Fields, unit: &str, template: &TemplateRef) {
    let TemplateRef::Builtin(_) = template else { return };
    let name = template.name();
    let npc_unit = unit.contains("人大");
    let npc_template = template.genre() != Genre::Handling;
    if npc_unit == npc_template {
        return;
    }
    let at = f.get("模板").map_or_else(|| f.loc(f.node), |n| f.loc(n));
    let (why, fix) = if npc_unit {
        (
            format!("“{unit}”是人大，模板“{name}”是承办单位总结所办建议提案用的"),
            "人大常委会总结代表建议的交办督办用“代表建议督办”，乡镇、县人大的年度工作总结用“人大工作”",
        )
    } else {
        (
            format!("模板“{name}”是人大用的，“{unit}”不是人大"),
            "承办单位总结所办的建议提案用“建议提案办理”（不写“模板”即是）",
        )
    };
    ctx.diags
        .push(Diag::warning(at, format!("模板与单位不相称：{why}")).help(fix));
}

/// The case records: a path, a list of paths, or records inline (mixed lists allowed).
/// The case records, and whether a case file could not be read or parsed (reported).
fn cases(ctx: &mut Ctx, f: &Fields, base: &Path, scheme: &Scheme) -> Result<(Vec<Case>, bool), IoFailure> {
    if f.get("案件").is_none() {
        if let Some(k) = f.key_node("案件") {
            ctx.diags.push(
                Diag::warning(f.loc(k), "“案件”为空，本报告没有案件记录")
                    .help("填写案件文件的路径，如“案件: 案件.yaml”"),
            );
        }
    }
    let mut out = Vec::new();
    let mut unreadable = false;
    let mut inline_index = 0;
    let mut ids = Ids::default();
    for item in list_or_one(f, "案件") {
        match &item.value {
            Value::Scalar { text, .. } => {
                let path = base.join(text.trim());
                unreadable |= !case_file(ctx, &path, f.loc(item), scheme, &mut ids, &mut out)?;
            }
            Value::Map(_) => {
                ids.record(ctx, f.file, item);
                out.extend(case::read(ctx, f.file, item, scheme, inline_index));
                inline_index += 1;
            }
            Value::Seq(_) => ctx.diags.push(
                Diag::error(f.loc(item), "“案件”中的一项应为文件路径或一条案件")
                    .help("写成“案件: 案件.yaml”，或列出多个文件，或直接列出案件"),
            ),
        }
    }
    Ok((out, unreadable))
}

/// The 编号 seen so far across all case files, to report duplicates, including those of
/// records that are invalid in other ways.
#[derive(Default)]
struct Ids(rustc_hash::FxHashMap<String, Loc>);

impl Ids {
    fn record(&mut self, ctx: &mut Ctx, file: FileId, node: &Node) {
        self.record_raw(ctx, case::raw_id(file, node));
    }

    /// [`Ids::record`] with the record's 编号 already taken out ([`case::raw_id`]).
    fn record_raw(&mut self, ctx: &mut Ctx, raw: Option<(String, Loc)>) {
        let Some((id, at)) = raw else {
            return;
        };
        match self.0.entry(id) {
            std::collections::hash_map::Entry::Occupied(first) => ctx.diags.push(
                Diag::error(at, format!("编号“{}”重复", first.key()))
                    .related(*first.get(), "同一编号第一次出现在这里")
                    .help("每条案件的编号必须唯一：改正编号，或删去重复录入的案件"),
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(at);
            }
        }
    }
}

/// Reads one case file into `out`; false when it could not be read or parsed (reported).
fn case_file(
    ctx: &mut Ctx,
    path: &Path,
    from: Loc,
    scheme: &Scheme,
    ids: &mut Ids,
    out: &mut Vec<Case>,
) -> Result<bool, IoFailure> {
    // A file that is there but cannot be read is an I/O failure (exit 2), not a data error.
    let Some(file) = ctx.read_source(path, Some(from))? else {
        return Ok(false);
    };
    if cases_in_pieces(ctx, file, scheme, ids, out) {
        return Ok(true);
    }
    let mut index = 0;
    let mut take = |ctx: &mut Ctx, item: Node| {
        ids.record(ctx, file, &item);
        out.extend(case::read(ctx, file, &item, scheme, index));
        index += 1;
    };
    let Some(doc) = ctx.parse_file(file, Some(&mut take)) else {
        return Ok(false);
    };
    let list = match &doc.value {
        Value::Seq(_) => true,
        Value::Map(entries) => match entries.iter().find(|(k, _)| k.scalar() == Some("案件")) {
            Some((
                _,
                Node {
                    value: Value::Seq(items),
                    ..
                },
            )) => {
                items.iter().for_each(|item| take(ctx, item.clone()));
                true
            }
            _ => false,
        },
        Value::Scalar { .. } => false,
    };
    if !list {
        ctx.diags.push(not_a_case_list(file, &doc));
        return Ok(false);
    }
    if index == 0 {
        ctx.diags
            .push(Diag::warning(loc(file, &doc), "案件文件中没有案件").help("每条案件以“- 编号: …”开头"));
    }
    Ok(true)
}

/// Where a record read on a core of its own stands among its piece's problems, and its 编号
/// as written: repeated 编号 are found afterwards, in the file's order.
struct Mark {
    diags_before: usize,
    id: Option<(String, Loc)>,
}

#[derive(Default)]
struct PieceOfCases {
    cases: Vec<Case>,
    marks: Vec<Mark>,
}

/// Reads a large flat case file on every core ([`Ctx::parse_pieces`]) into `out`, its
/// problems in the order a reading on one core finds them. false when the file is not read
/// that way (small, or not flat); nothing was read then.
fn cases_in_pieces(ctx: &mut Ctx, file: FileId, scheme: &Scheme, ids: &mut Ids, out: &mut Vec<Case>) -> bool {
    let read = |p: &mut PieceOfCases, ctx: &mut Ctx, item: Node, index: usize| {
        p.marks.push(Mark {
            diags_before: ctx.diags.list.len(),
            id: case::raw_id(file, &item),
        });
        p.cases.extend(case::read(ctx, file, &item, scheme, index));
    };
    let Some((_, pieces)) = ctx.parse_pieces(file, PieceOfCases::default, read) else {
        return false;
    };
    for piece in pieces {
        let (mut state, mut diags) = (piece.state, piece.diags.into_iter());
        let mut taken = 0;
        for mark in state.marks {
            ctx.diags
                .list
                .extend(diags.by_ref().take(mark.diags_before - taken));
            taken = mark.diags_before;
            ids.record_raw(ctx, mark.id);
        }
        ctx.diags.list.extend(diags);
        out.append(&mut state.cases);
    }
    true
}

fn not_a_case_list(file: FileId, doc: &Node) -> Diag {
    Diag::error(loc(file, doc), "案件文件应为案件列表").help(
        "每条案件以“- ”开头，如：\n- 编号: 建议第1号\n  类别: 建议\n  标题: 关于……的建议\n  承办方式: 主办",
    )
}

/// 上年: last year's report (a path) or a map of its totals.
/// What 上年 gives: last year's totals, the years before it from last year's own report, and
/// whether its totals are last year's (a report of another year still gives the growth, with
/// a warning, but no place in a series).
#[derive(Default)]
struct LastYear {
    totals: Option<Previous>,
    earlier: History,
    in_series: bool,
}

fn previous(
    ctx: &mut Ctx,
    f: &Fields,
    n: &Node,
    this: &Path,
    year: Option<i32>,
    cases: &[Case],
    chain: u8,
) -> Result<LastYear, IoFailure> {
    let base = this.parent().unwrap_or(Path::new(""));
    match &n.value {
        Value::Scalar { text, .. } => {
            let path = super::report_path(&base.join(text.trim()));
            if crate::fsutil::same_file(&path, this) {
                ctx.diags.push(
                    Diag::error(f.loc(n), "上年报告指向了本报告自己")
                        .help("填写上一年度那份报告的路径，如“上年: ../2023/报告.yaml”"),
                );
                return Ok(LastYear::default());
            }
            if !path.is_file() {
                ctx.diags.push(
                    Diag::error(f.loc(n), format!("找不到上年报告“{}”", text.trim())).help(
                        "填写上年报告文件（或其所在文件夹）相对于本报告的路径，或写成 {总数: 259, 建议: 120}",
                    ),
                );
                return Ok(LastYear::default());
            }
            // Last year's report brings its own 上年 along, unless the chain comes back to a
            // report it started from (2024 → 2023 → 2024).
            let looped = ctx.chain.iter().any(|p| crate::fsutil::same_file(p, &path));
            ctx.chain.push(this.to_owned());
            let last = load(ctx, &path, if looped { 0 } else { chain - 1 });
            ctx.chain.pop();
            let Some(last) = last? else {
                return Ok(LastYear::default());
            };
            let mismatch = year.is_some_and(|y| last.year != 0 && last.year != y - 1);
            if let Some(year) = year.filter(|_| mismatch) {
                ctx.diags.push(
                    Diag::warning(
                        f.loc(n),
                        format!("上年报告的年度是{}年，不是{}年", last.year, year - 1),
                    )
                    .help("同比按这份报告计算；如果填错了文件，请改为上一年度的报告"),
                );
            }
            // Last year's own 上年 and 历年 continue the series, when it is last year's.
            Ok(LastYear {
                totals: Some(previous_from_cases(&last.cases)),
                earlier: if mismatch { Vec::new() } else { last.history },
                in_series: !mismatch,
            })
        }
        Value::Map(entries) => Ok(LastYear {
            totals: Some(totals(ctx, f, entries, "上年", cases)),
            earlier: Vec::new(),
            in_series: true,
        }),
        Value::Seq(_) => {
            ctx.diags.push(
                Diag::error(f.loc(n), "“上年”应为上年报告的路径，或上年件数的字段表")
                    .help("如“上年: ../2023/报告.yaml”或“上年: {总数: 259, 市级: 52, 区级: 207}”"),
            );
            Ok(LastYear::default())
        }
    }
}

/// A year's totals written as a map: `总数`, a 类别, or a 级别 of this year's cases.
fn totals(ctx: &mut Ctx, f: &Fields, entries: &[(Node, Node)], what: &str, cases: &[Case]) -> Previous {
    report_repeated_keys(ctx, f, entries, what);
    let mut p = Previous::default();
    let levels: Vec<&str> = cases.iter().filter_map(|c| c.level.as_deref()).collect();
    {
        {
            for (k, v) in entries {
                let key = k.scalar().unwrap_or("").trim();
                let value = match v.scalar().map(values::count) {
                    Some(Ok(x)) => x,
                    Some(Err(e)) => {
                        ctx.diags
                            .push(Diag::error(f.loc(v), format!("{what}“{key}”：{}", e.title)).help(e.help));
                        continue;
                    }
                    None => {
                        ctx.diags
                            .push(Diag::error(f.loc(v), format!("{what}“{key}”应为件数")));
                        continue;
                    }
                };
                if key == "总数" {
                    p.total = Some(value);
                } else if let Some(kind) = Kind::parse(key) {
                    p.by_kind.insert(kind, value);
                } else if levels.contains(&key) {
                    p.by_level.insert(key.to_owned(), value);
                } else {
                    let mut known = vec!["总数", "建议", "议案", "提案"];
                    known.extend(levels.iter().copied());
                    known.dedup();
                    let mut d = Diag::error(
                        f.loc(k),
                        format!("{what}的“{key}”既不是总数、类别，也不是本年案件中的级别"),
                    )
                    .help(format!("可用：{}", list(&known)));
                    if let Some(s) = nearest(key, known.iter().copied()) {
                        d = d.label(format!("是否应为“{s}”？"));
                    }
                    ctx.diags.push(d);
                }
            }
        }
    }
    p
}

/// 历年: year → totals, for a series over several years; last year's totals from 上年 join
/// it. Oldest first.
fn history(
    ctx: &mut Ctx,
    f: &Fields,
    year: Option<i32>,
    cases: &[Case],
    previous: Option<&Previous>,
    earlier: History,
) -> History {
    // Years from last year's report first; this report's own 历年 overrides them.
    let mut out: History = earlier;
    for (k, v) in map_entries(ctx, f, "历年", "{2022: {总数: 230}, 2023: {总数: 259}}") {
        let key = k.scalar().unwrap_or("").trim();
        let Some(y) = key
            .trim_end_matches('年')
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=2100).contains(y))
        else {
            ctx.diags.push(
                Diag::error(f.loc(k), format!("历年中的“{key}”不是年份"))
                    .help("每一项写成“年份: {总数: 件数}”，如“2022: {总数: 230, 建议: 120}”"),
            );
            continue;
        };
        if let Some(this) = year.filter(|t| y >= *t) {
            ctx.diags.push(
                Diag::error(f.loc(k), format!("历年中的{y}年不早于本报告的年度{this}年"))
                    .help("历年只写以前各年的数字；本年的数字由案件记录计算"),
            );
            continue;
        }
        let what = format!("历年{y}年");
        match &v.value {
            Value::Map(entries) => {
                let p = totals(ctx, f, entries, &what, cases);
                out.retain(|(py, _)| *py != y);
                out.push((y, p));
            }
            _ => ctx.diags.push(
                Diag::error(f.loc(v), format!("{what}应为件数的字段表"))
                    .help("写成 {总数: 230, 建议: 120, 提案: 110}"),
            ),
        }
    }
    if let (Some(y), Some(p)) = (year, previous) {
        match out.iter_mut().find(|(py, _)| *py == y - 1) {
            // 上年 and 历年 both give last year: 上年 is the one the growth is computed from.
            Some((_, q)) => *q = p.clone(),
            None => out.push((y - 1, p.clone())),
        }
    }
    out.sort_by_key(|(y, _)| *y);
    out
}

/// Last year's totals from its records: the cases new that year, as this year's side of the
/// comparison is (SPEC §2.4 yoy).
pub fn previous_from_cases(cases: &[Case]) -> Previous {
    let new: Vec<&Case> = cases.iter().filter(|c| !c.carried_over).collect();
    let cases = new;
    let mut p = Previous {
        total: Some(cases.len() as u64),
        ..Previous::default()
    };
    for k in Kind::ALL {
        let n = cases.iter().filter(|c| c.kind == k).count() as u64;
        if n > 0 {
            p.by_kind.insert(k, n);
        }
    }
    for c in cases {
        if let Some(l) = &c.level {
            *p.by_level.entry(l.clone()).or_insert(0) += 1;
        }
    }
    p
}

/// Reports a key given twice in a map (the later value would silently win).
fn report_repeated_keys(ctx: &mut Ctx, f: &Fields, entries: &[(Node, Node)], what: &str) {
    let mut seen: HashMap<&str, &Node> = HashMap::new();
    for (k, _) in entries {
        let Some(name) = k.scalar().map(str::trim) else {
            continue;
        };
        if let Some(first) = seen.insert(name, k) {
            ctx.diags.push(
                Diag::error(f.loc(k), format!("{what}中的“{name}”重复出现"))
                    .related(f.loc(first), "第一次出现在这里")
                    .help("删去其中一处，只保留正确的数字"),
            );
        }
    }
}

fn map_entries<'a>(ctx: &mut Ctx, f: &Fields<'a>, key: &str, example: &str) -> &'a [(Node, Node)] {
    match f.get(key) {
        Some(Node {
            value: Value::Map(e), ..
        }) => {
            report_repeated_keys(ctx, f, e, key);
            e
        }
        Some(n) => {
            ctx.diags.push(
                Diag::error(f.loc(n), format!("“{key}”应为字段表，这里是{}", n.kind_name()))
                    .help(format!("写成 {example}")),
            );
            &[]
        }
        None => &[],
    }
}

/// 统计: each name's number, and where the name stands (for the warning on an unused one).
fn counts(ctx: &mut Ctx, f: &Fields) -> (IndexMap<String, Count>, IndexMap<String, Loc>) {
    let mut out = IndexMap::new();
    let mut at = IndexMap::new();
    for (k, v) in map_entries(ctx, f, "统计", "{调研: 3, 面商会: 2}") {
        let key = k.scalar().unwrap_or("").trim().to_owned();
        match v.scalar().map(values::count) {
            Some(Ok(n)) if !key.is_empty() => {
                at.insert(key.clone(), f.loc(k));
                out.insert(key, n);
            }
            _ => ctx.diags.push(
                Diag::error(f.loc(v), format!("统计项“{key}”的值应为不小于0的整数"))
                    .help("统计中每一项写成“名称: 次数”，如“调研: 3”；不写小数、负数"),
            ),
        }
    }
    (out, at)
}

/// 核对 keys: 总数, a 类别, a role (主办/协办), 类别.role, or the same under a 级别 (`区级.建议`).
fn declared(ctx: &mut Ctx, f: &Fields) -> Vec<Declared> {
    let mut out = Vec::new();
    for (k, v) in map_entries(ctx, f, "核对", "{总数: 25, 建议: 18, 建议.主办: 4}") {
        let key = k.scalar().unwrap_or("").trim().to_owned();
        match v.scalar().map(values::count) {
            Some(Ok(value)) => out.push(Declared {
                key,
                value,
                at: f.loc(k),
            }),
            Some(Err(e)) => ctx
                .diags
                .push(Diag::error(f.loc(v), format!("核对“{key}”：{}", e.title)).help(e.help)),
            None => ctx
                .diags
                .push(Diag::error(f.loc(v), format!("核对“{key}”应为件数"))),
        }
    }
    out
}

/// The nodes under `key`: the items of a list, or the one value written without a list.
fn list_or_one<'a>(f: &Fields<'a>, key: &str) -> Vec<&'a Node> {
    match f.get(key) {
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => items.iter().collect(),
        Some(n) => vec![n],
        None => vec![],
    }
}

const ITEM_KEYS: &[&str] = &["标题", "内容", "常用"];
const SECTION_KEYS: &[&str] = &["标题", "内容"];

/// The items of a top-level part (基本情况, 主要做法 …).
fn items(ctx: &mut Ctx, f: &Fields, key: &str) -> Vec<Item> {
    item_list(ctx, f, &list_or_one(f, key), key, 2)
}

/// Where `自动` may stand: 基本情况 (the computed figures), 存在问题 (the problems they show),
/// and a 章节 (the figures).
fn auto_allowed(part: &str) -> bool {
    matches!(part, "基本情况" | "存在问题") || part.starts_with("章节")
}

/// Items whose headings are at `level` (2 `（一）`, 3 `1.`, 4 `（1）`).
fn item_list(ctx: &mut Ctx, f: &Fields, nodes: &[&Node], part: &str, level: u8) -> Vec<Item> {
    let mut out = Vec::new();
    for n in nodes {
        match &n.value {
            Value::Scalar { text, plain } if *plain && text.trim() == "自动" => {
                if level == 2 && auto_allowed(part) {
                    out.push(Item::Auto(f.loc(n)));
                } else {
                    ctx.diags.push(
                        Diag::error(f.loc(n), format!("“自动”不能用在“{part}”的这一层"))
                            .help("“自动”只能作为“基本情况”“存在问题”或某一章节的一项；删去这一项，或改写成一段文字"),
                    );
                }
            }
            Value::Scalar { text, .. } if !text.trim().is_empty() => {
                out.push(Item::Paragraph(Text {
                    text: text.trim().to_owned(),
                    at: f.loc(n),
                }));
            }
            Value::Scalar { .. } => {}
            Value::Map(_) => {
                let Some(m) = Fields::new(ctx, f.file, n, part) else {
                    continue;
                };
                m.check_keys(ctx, ITEM_KEYS, &format!("“{part}”的一项"));
                if let Some(name) = m.text(ctx, "常用") {
                    out.push(Item::Phrase(name));
                    continue;
                }
                let content = match m.get("内容") {
                    Some(c) => content(ctx, &m, c, part, level),
                    None => Vec::new(),
                };
                match m.text(ctx, "标题") {
                    Some(title) if !content.is_empty() => out.push(Item::Heading { title, content }),
                    Some(_) if m.get("内容").is_some() => {}
                    Some(_) => m.missing(
                        ctx,
                        "内容",
                        &format!("“{part}”的一项"),
                        "小标题后面要有内容：写成 {标题: …, 内容: …}",
                    ),
                    None => out.extend(content),
                }
            }
            Value::Seq(_) => ctx.diags.push(
                Diag::error(f.loc(n), format!("“{part}”中的一项不能直接是列表"))
                    .help("每一项写成一段文字、{标题: …, 内容: …} 或 {常用: 名称}；分层的内容写在“内容”下"),
            ),
        }
    }
    out
}

/// 内容 under a heading at `level`: one text, or a list of items one level down.
fn content(ctx: &mut Ctx, m: &Fields, c: &Node, part: &str, level: u8) -> Vec<Item> {
    match &c.value {
        Value::Scalar { text, .. } if text.trim().is_empty() => {
            ctx.diags
                .push(Diag::error(m.loc(c), "“内容”为空").help("写上这一项的内容，或删去这一项"));
            Vec::new()
        }
        Value::Scalar { text, .. } => vec![Item::Paragraph(Text {
            text: text.trim().to_owned(),
            at: m.loc(c),
        })],
        Value::Seq(items) if level >= 4 => {
            let _ = items;
            ctx.diags.push(
                Diag::error(m.loc(c), "层次太深：小标题最多分到“（1）”一级")
                    .help("把这一层的内容写成文字，或把它们提到上一层"),
            );
            Vec::new()
        }
        Value::Seq(items) => {
            let nodes: Vec<&Node> = items.iter().collect();
            item_list(ctx, m, &nodes, part, level + 1)
        }
        Value::Map(_) => {
            ctx.diags.push(
                Diag::error(m.loc(c), "“内容”应为一段文字或一个列表")
                    .help("下一层的各项写成列表：每项以“- ”开头"),
            );
            Vec::new()
        }
    }
}

/// 章节: `{标题, 内容: [items]}` each, numbered 一、二、… in place of the four parts.
fn sections(ctx: &mut Ctx, f: &Fields) -> Vec<Section> {
    let mut out = Vec::new();
    for n in list_or_one(f, "章节") {
        let Some(m) = Fields::new(ctx, f.file, n, "章节") else {
            continue;
        };
        m.check_keys(ctx, SECTION_KEYS, "章节的一项");
        let Some(title) = m.text(ctx, "标题").filter(|t| !t.text.is_empty()) else {
            m.missing(
                ctx,
                "标题",
                "章节的一项",
                "每一章节写成 {标题: 工作计划, 内容: [...]}",
            );
            continue;
        };
        let part = format!("章节“{}”", title.text);
        let items = match m.get("内容") {
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => {
                let nodes: Vec<&Node> = items.iter().collect();
                item_list(ctx, &m, &nodes, &part, 2)
            }
            Some(c) => content(ctx, &m, c, &part, 1),
            None => Vec::new(),
        };
        out.push(Section { title, items });
    }
    out
}

/// 字体: role → family name or font file, roles checked against SPEC §5.
pub(super) fn fonts(ctx: &mut Ctx, f: &Fields) -> FontOverrides {
    let mut out = FontOverrides::default();
    if let Some(n) = f.get("字体") {
        if let Some(value) = n.scalar().map(str::trim) {
            if value == crate::model::BUILTIN_FONTS {
                out.builtin_only = true;
            } else {
                ctx.diags.push(
                    Diag::error(f.loc(n), format!("“字体”应为“{}”或字段表，这里是“{value}”", crate::model::BUILTIN_FONTS))
                        .help("写“字体: 内置”只用内置字体；或写成 {仿宋: 仿宋_GB2312} 为某一角色指定字体；不写则优先用本机安装的公文字体"),
                );
            }
            return out;
        }
    }
    let roles = Role::names();
    for (k, v) in map_entries(ctx, f, "字体", "{仿宋: 仿宋_GB2312}") {
        let name = k.scalar().unwrap_or("").trim();
        let Some(role) = Role::parse(name) else {
            let mut d = Diag::error(f.loc(k), format!("未知的字体角色“{name}”"))
                .help(format!("字体角色有：{}", list(&roles)));
            if let Some(s) = nearest(name, roles.iter().copied()) {
                d = d.label(format!("是否应为“{s}”？"));
            }
            ctx.diags.push(d);
            continue;
        };
        match v.scalar().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => out.overrides.push(FontOverride {
                role,
                source: FontSource::parse(s),
                at: f.loc(v),
            }),
            None => ctx.diags.push(Diag::error(
                f.loc(v),
                format!("字体“{name}”应为字体名称或字体文件路径"),
            )),
        }
    }
    out
}
