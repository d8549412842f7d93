//! The report screen: every field of 报告.yaml (SPEC §2.1) with what it means and an example,
//! list and table editors (the page's script) for the items of 基本情况/主要做法/存在问题/
//! 下一步打算 and the maps (统计, 核对, 字体, 历年 …), the problems of `check` beside it, and the
//! build and preview panel. Saving is [`super::report_save`].

use super::page::{frame, link, respond, Oops};
use super::security::{relative, resolve};
use super::yaml_edit::{self, to_json};
use super::{param, work, State};
use axum::extract::Query;
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a field is edited.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Widget {
    Line,
    Long,
    Bool,
    Template,
    Scheme,
    /// A path, or (上年) a map of last year's totals.
    PathOrMap,
    Map,
    Items,
}

pub(super) struct FieldSpec {
    pub key: &'static str,
    pub widget: Widget,
    meaning: &'static str,
    example: &'static str,
}

const fn f(key: &'static str, widget: Widget, meaning: &'static str, example: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        widget,
        meaning,
        example,
    }
}

/// SPEC §2.1, in its order.
pub(super) const FIELDS: &[FieldSpec] = &[
    f("单位", Widget::Line, "写总结的单位，用于标题和落款（必填）", "江城市民政局"),
    f("年度", Widget::Line, "总结的年度（必填）", "2024"),
    f("标题", Widget::Line, "总结的完整标题；不填时按模板自动生成。标题过长时程序自动分行；要指定在哪里分行，在那里写 \\n（反斜杠加字母 n）", "江城市民政局2024年建议提案办理工作总结"),
    f("成文日期", Widget::Line, "落款中的日期", "2024年12月20日"),
    f("截止日期", Widget::Line, "数字统计到哪一天，决定哪些未答复的件已超期；不填时取成文日期，再不填取年底", "2024年12月20日"),
    f("模板", Widget::Template, "用哪个模板写正文：建议提案办理（承办单位）、代表建议督办（人大常委会）、人大工作；也可写自己模板所在的文件夹", "建议提案办理"),
    f("分类方案", Widget::Scheme, "办理结果的分类：四类（A 已解决或基本解决、B 正在解决或列入规划、C 待以后解决、D 留作参考），三类（A 解决采纳、B 计划解决、C 留作参考），或自定义各字母的含义", "四类"),
    f("办理时限", Widget::Line, "从交办日期起多久内答复算按期办结", "3个月（或 90天）"),
    f("案件", Widget::PathOrMap, "案件记录所在的文件，相对于本报告所在的文件夹", "案件.yaml"),
    f("统计", Widget::Map, "不是案件记录的数字，正文和常用语可以引用，如党组会议、调研、面商会的次数", "调研 = 6"),
    f("核对", Widget::Map, "交办通知等处给出的数字，与案件记录逐项核对，不符时报错。名称可写：总数、建议、议案、提案、主办、协办、建议.主办、提案.协办", "总数 = 34"),
    f("上年", Widget::PathOrMap, "上一年度的报告文件（用于同比），或上年的件数：总数、类别、级别", "../2023/报告.yaml"),
    f("历年", Widget::Map, "更早各年的件数，用于多年对比的句子：每年一项，其中写总数、类别或级别的件数", "2022 → 总数 250、建议 120"),
    f("导语", Widget::Long, "“一、”之前的开头一段；不填时用模板的开头", "2024年，我局共承办……现将有关情况总结如下："),
    f("基本情况", Widget::Items, "加在程序算出的基本情况里的文字；“自动”一项表示程序算出的数字句子放在哪里（默认在最前）", "市九届人大四次会议闭幕后……"),
    f("主要做法", Widget::Items, "“二、主要做法”的各项：一段文字、带小标题的一项，或模板的常用语", "压实办理责任：交办会后……"),
    f("存在问题", Widget::Items, "“三、存在问题”的各项；“自动”一项由程序按数字列出超期、不满意等问题（只写事实）", "自动"),
    f("下一步打算", Widget::Items, "“四、下一步打算”的各项", "健全办理工作机制：……"),
    f("结束语", Widget::Long, "正文最后的结束段；不填时用模板的结束语，写“无”则不要结束语", "无"),
    f("点名单位", Widget::Bool, "程序自动列出的问题中是否可以点出承办单位的名称", "否"),
    f("承办单位称谓", Widget::Line, "正文中怎样称呼承办单位；不填时为“承办单位”（各单位都是科室时为“承办科室”）", "承办科室"),
    f("章节", Widget::Items, "用于人大工作总结等文种：自定的各个部分，代替固定的四部分；每部分选“带小标题、内容再分几项”，小标题即这一部分的标题", "代表工作：……"),
    f("列出案件", Widget::Bool, "在基本情况中按类别列出主办、协办件的标题", "是"),
    f("附表", Widget::Bool, "在正文后附上统计表（附件）", "是"),
    f("字体", Widget::Map, "各字体角色改用的字体：角色为 小标宋、仿宋、黑体、楷体、宋体，值为本机字体名或字体文件；写“内置”只用内置字体", "仿宋 = 仿宋_GB2312"),
];

/// The field names in order, for placing a new field.
pub(super) fn order() -> Vec<&'static str> {
    FIELDS.iter().map(|f| f.key).collect()
}

/// A yes/no field's value as the form shows it: 是 or 否 where the pipeline reads it so
/// (`load::values::boolean`, the one rule), else the text as written, so that a value the
/// pipeline refuses stays visible instead of passing for one it accepts.
pub(super) fn yes_no(v: &Json) -> Json {
    let word = match v {
        Json::Bool(b) => Some(*b),
        Json::String(s) => crate::load::values::boolean(s).ok(),
        _ => None,
    };
    match word {
        Some(true) => Json::String("是".into()),
        Some(false) => Json::String("否".into()),
        None => v.clone(),
    }
}

/// A yes/no field's choice: empty (the pipeline's default, named in `empty`), 是, 否, and the
/// value as written when it is neither (kept on saving unless changed; its problem says why).
pub(super) fn yes_no_select(key: &str, value: Option<&Json>, empty: &str) -> Markup {
    let shown = value.map(yes_no);
    let v = match &shown {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let id = format!("field-{key}");
    html! {
        select name=(key) id=(id) data-testid=(id) {
            option value="" selected[v.is_empty()] { (empty) }
            option value="是" selected[v == "是"] { "是" }
            option value="否" selected[v == "否"] { "否" }
            @if !v.is_empty() && v != "是" && v != "否" {
                option value=(v) selected { (v) "（无效，请改为“是”或“否”）" }
            }
        }
    }
}

/// A 报告 or 汇编 opened for editing: its text, and a version (a hash of its bytes) that a
/// save must name, so that a file changed on disk meanwhile is not overwritten.
pub(super) struct Loaded {
    pub file: PathBuf,
    pub rel: String,
    pub text: String,
    pub version: String,
    /// The file's encoding as read: a save writes UTF-8, and says so when it was not.
    pub encoding: crate::source::Encoding,
}

impl Loaded {
    /// Reads `file`, a `what` (报告, 汇编), for editing.
    pub(super) fn read(state: &State, file: PathBuf, what: &str) -> Result<Loaded, Oops> {
        let bytes = crate::fsutil::read_input(&file, crate::fsutil::MAX_TEXT_FILE)
            .map_err(|e| Oops::bad(format!("无法读取{what}：{}。请从文件夹页面重新打开", e.message())))?;
        let (text, encoding) = crate::source::decode(&bytes).map_err(|_| {
            Oops::bad(format!(
                "{what}文件的编码无法识别。请用记事本“另存为”UTF-8 编码后再打开。"
            ))
        })?;
        Ok(Loaded {
            rel: relative(&state.root, &file),
            version: format!("{:016x}", crate::fnv::hash(bytes.iter().copied())),
            file,
            text,
            encoding,
        })
    }
}

pub(super) fn load(state: &State, rel: &str) -> Result<Loaded, Oops> {
    let path = resolve(&state.root, rel)?;
    Loaded::read(state, crate::load::report_path(&path), "报告")
}

pub async fn show(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let l = load(&state, param(&q, "p")?)?;
        Ok(respond(screen(&state, &l, None)))
    })
    .await
}

/// The form, the problems and the side panel.
pub(super) fn screen(state: &State, l: &Loaded, notice: Option<Markup>) -> Markup {
    let fields = yaml_edit::top_level(&l.text);
    let (values, lines): (HashMap<String, Json>, Vec<(String, u32)>) = match &fields {
        Ok(fs) => (
            fs.iter().map(|(k, _, v)| (k.clone(), to_json(v))).collect(),
            fs.iter().map(|(k, n, _)| (k.clone(), n.line)).collect(),
        ),
        Err(_) => (HashMap::new(), Vec::new()),
    };
    let problems = super::problems::check(&state.root, &l.file, &lines);
    let phrases = phrases(&state.root, &l.file);
    let dir = l
        .file
        .parent()
        .map_or_else(String::new, |d| relative(&state.root, d));
    let title = values
        .get("单位")
        .and_then(Json::as_str)
        .map_or_else(|| "报告".to_owned(), |u| format!("{u}的报告"));
    let body = html! {
        @if let Some(n) = notice { (n) }
        @if let Err(why) = &fields {
            p.notice.bad data-testid="unreadable" { "这份报告文件无法在表单中编辑：" (why) "。请先按下面的检查结果改正文件。" }
        }
        div.columns {
            form.report method="post" action=(link("/report/save", &[("p", &l.rel)])) data-testid="report-form" {
                input type="hidden" name="version" value=(l.version);
                @for spec in FIELDS {
                    (field(spec, values.get(spec.key)))
                }
                div.actions {
                    button type="submit" data-testid="save" { "保存" }
                    span.muted { "只改动修改过的项，其余内容和注释原样保留。" }
                }
            }
            aside.side {
                (super::problems::list(&problems, &l.rel))
                (super::output::panel(&l.rel))
                section.card {
                    h2 { "更多" }
                    p { a href=(link("/figures", &[("p", &l.rel)])) data-testid="figures-link" { "查看各项数字和图表" } }
                    p { a href=(link("/import", &[("dir", &dir)])) data-testid="import-link" { "导入台账到本报告的文件夹" } }
                }
            }
        }
        script type="application/json" id="phrases" { (PreEscaped(json_for_script(&phrases))) }
    };
    frame(
        &title,
        &[(l.rel.clone(), link("/report", &[("p", &l.rel)]))],
        &body,
    )
}

/// JSON inside a `<script>` element: `<` escaped so that no text can close the element.
fn json_for_script(v: &Json) -> String {
    v.to_string().replace('<', "\\u003c")
}

/// The phrase library of the report's template: name → the phrase's text (its title first),
/// with the figures it names filled in where the report's figures can be computed.
fn phrases(root: &Path, file: &Path) -> Json {
    let mut ctx = crate::load::Ctx::confined_to(root);
    let (template, named) = match crate::pipeline::check(&mut ctx, file) {
        Ok(Some(c)) => {
            let named: HashMap<String, String> = crate::figures::names::named(&c.figures, &c.report.scheme)
                .into_iter()
                .map(|(name, value, _)| (name, value.to_string()))
                .collect();
            (c.report.template, named)
        }
        _ => (crate::model::TemplateRef::Builtin(0), HashMap::new()),
    };
    let Some(t) = crate::compose::template::load(&mut ctx, &template, crate::diag::Loc::default()) else {
        return Json::Object(Default::default());
    };
    Json::Object(
        t.phrases
            .iter()
            .map(|(name, p)| {
                let text = match &p.title {
                    Some(title) => format!("{}。{}", title.text, p.text.text),
                    None => p.text.text.clone(),
                };
                (name.clone(), Json::String(fill(&text, &named)))
            })
            .collect(),
    )
}

/// `{{ 名称 }}` replaced by the figure's value where it is known (else left as written).
fn fill(text: &str, named: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim();
        out.push_str(&rest[..start]);
        match named.get(name) {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// One field of the form: label, meaning, example, and its editor.
fn field(spec: &FieldSpec, value: Option<&Json>) -> Markup {
    let key = spec.key;
    let id = format!("field-{key}");
    let text = value.and_then(Json::as_str).unwrap_or("");
    let editor = match spec.widget {
        Widget::Line => html! { input type="text" name=(key) id=(id) value=(text) data-testid=(id); },
        Widget::Long => html! { textarea name=(key) id=(id) rows="4" data-testid=(id) { (text) } },
        Widget::Bool => yes_no_select(key, value, "不填（否）"),
        Widget::Template => html! {
            input type="text" name=(key) id=(id) value=(text) list="templates" data-testid=(id);
            datalist id="templates" {
                @for t in crate::model::BUILTIN_TEMPLATES { option value=(t) {} }
            }
        },
        Widget::Scheme if value.is_none_or(Json::is_string) => html! {
            select name=(key) id=(id) data-testid=(id) {
                option value="" selected[text.is_empty()] { "不填（四类）" }
                option value="四类" selected[text == "四类"] { "四类" }
                option value="三类" selected[text == "三类"] { "三类" }
                @if !text.is_empty() && text != "四类" && text != "三类" { option value=(text) selected { (text) } }
            }
            button.small type="button" data-action="custom-scheme" data-key=(key) { "改为自定义分类" }
        },
        Widget::PathOrMap if value.is_none_or(Json::is_string) => html! {
            input type="text" name=(key) id=(id) value=(text) data-testid=(id);
            @if key == "上年" {
                button.small type="button" data-action="to-map" data-key=(key) data-start=r#"{"总数":""}"# { "改为直接填写上年件数" }
            }
        },
        Widget::Map if value.is_some_and(Json::is_string) => {
            html! { input type="text" name=(key) id=(id) value=(text) data-testid=(id); }
        }
        Widget::Scheme | Widget::PathOrMap | Widget::Map if value.is_none_or(Json::is_object) => {
            structured(key, "map", value)
        }
        Widget::Items if value.is_none_or(Json::is_array) => structured(key, "items", value),
        _ => html! {
            div.fileonly id=(id) data-testid=(id) {
                @match value {
                    None => span.muted { "（未填写）此项较复杂，请用记事本在报告文件中填写。" },
                    Some(v) => span.muted { "已在报告文件中填写（" (describe(v)) "）。此项较复杂，请用记事本在报告文件中修改。" },
                }
            }
        },
    };
    html! {
        div.field id=(format!("wrap-{key}")) {
            label for=(id) { (key) }
            (editor)
            div.help { (spec.meaning) "。例：" (spec.example) }
        }
    }
}

/// A list or map edited by the page's script; the value travels as JSON in a hidden field.
fn structured(key: &str, kind: &str, value: Option<&Json>) -> Markup {
    let empty = if kind == "map" {
        Json::Object(Default::default())
    } else {
        Json::Array(vec![])
    };
    let v = value.cloned().unwrap_or(empty);
    let id = format!("field-{key}");
    html! {
        div.editor id=(id) data-editor=(kind) data-key=(key) data-testid=(id) data-auto[key == "存在问题"] data-nested[key == "历年"] {
            input type="hidden" name=(format!("json:{key}")) value=(v.to_string());
        }
    }
}

/// A value in a few words: how many items or entries it has.
fn describe(v: &Json) -> String {
    match v {
        Json::Array(a) => format!("{} 项", a.len()),
        Json::Object(m) => m.keys().cloned().collect::<Vec<_>>().join("、"),
        Json::String(s) => s.clone(),
        _ => String::new(),
    }
}
