//! Composing: the figures and the report's own text, through a template, into the
//! document model. Problems (unknown names, template errors) are reported, never guessed.

pub mod expand;
pub mod frame;
pub mod markup;
pub mod problems;
pub mod prose;
mod tables;
pub mod template;
mod user_text;
pub mod words;

use crate::diag::Diag;
use crate::document::{Document, Part, Signature};
use crate::figures::names::named;
use crate::figures::Figures;
use crate::gbt9704::chinese_date;
use crate::load::fields::nearest;
use crate::load::Ctx;
use crate::model::{Closing, Item, Report, Text};
use expand::{expand, Names};
use serde::Serialize;
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use template::Template;

/// An item of 基本情况 / 主要做法 / 存在问题 / 下一步打算 / a 章节 as templates see it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ItemText {
    pub title: Option<String>,
    pub text: String,
    /// Nested items (a heading's content after its first paragraph).
    pub items: Vec<ItemText>,
    /// The item and everything nested in it, a markup line each, for templates that print
    /// an item in one loop: `mark` is `## `, `### `, `#### ` or empty for a paragraph.
    pub lines: Vec<Line>,
    /// `自动` in 基本情况 or a 章节: the computed figures stand here.
    pub auto: bool,
    /// The title speaks of handling proposals (代表建议, 议案, 建议办理, 建议督办): where the
    /// 人大工作 template weaves in the figures. Decided here because templates see user
    /// text only as opaque tokens.
    pub about_cases: bool,
}

/// One markup line of an item.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub mark: &'static str,
    pub title: Option<String>,
    pub text: String,
}

impl ItemText {
    fn paragraph(text: String) -> ItemText {
        ItemText {
            text,
            ..ItemText::default()
        }
    }

    /// Fills `lines` from the item at heading `level` and its nested items.
    fn with_lines(mut self, level: u8) -> ItemText {
        fn walk(i: &ItemText, level: u8, out: &mut Vec<Line>) {
            let mark = match (i.title.is_some(), level) {
                (false, _) => "",
                (true, 2) => "## ",
                (true, 3) => "### ",
                (true, _) => "#### ",
            };
            out.push(Line {
                mark,
                title: i.title.clone(),
                text: i.text.clone(),
            });
            for c in &i.items {
                walk(c, level + 1, out);
            }
        }
        let mut lines = Vec::new();
        walk(&self, level, &mut lines);
        self.lines = lines;
        self
    }
}

/// A 章节 as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionText {
    pub title: String,
    pub items: Vec<ItemText>,
}

#[derive(Serialize)]
struct SchemeClass<'a> {
    letter: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct SchemeView<'a> {
    name: &'a str,
    classes: Vec<SchemeClass<'a>>,
}

/// Everything a body template can use; see templates/README.md.
#[derive(Serialize)]
struct View<'a> {
    unit: &'a str,
    year: i32,
    date: Option<String>,
    f: &'a Figures,
    counts: &'a indexmap::IndexMap<String, crate::model::Count>,
    scheme: SchemeView<'a>,
    basic: prose::Basic,
    /// The report's own 基本情况 items; one with `auto` set marks where the figures stand.
    intro: Vec<ItemText>,
    /// Whether the report placed the figures with an item `自动` (else they come first).
    intro_places_figures: bool,
    /// The same for 章节: an item `自动` in one of them.
    sections_place_figures: bool,
    /// 导语, when the report gives one.
    opening: Option<String>,
    /// 结束语 as the report gives it; `closing_default` when the template's stands.
    closing: Option<String>,
    closing_default: bool,
    /// How the text calls the units: 承办单位, 承办科室 …
    unit_term: String,
    sections: Vec<SectionText>,
    practices: Vec<ItemText>,
    problems: Vec<ItemText>,
    plans: Vec<ItemText>,
}

fn strip_stop(s: &str) -> String {
    s.trim().trim_end_matches(['。', '.', '；', ';']).to_owned()
}

struct Composer<'a> {
    report: &'a Report,
    figs: &'a Figures,
    names: Names,
    template: &'a Template,
    /// The 统计 entries some text names, for the warning on those none does.
    used_counts: std::cell::RefCell<std::collections::HashSet<String>>,
}

impl Composer<'_> {
    fn text(&self, ctx: &mut Ctx, t: &Text, what: &str) -> String {
        expand(t, &self.names, &mut ctx.diags, what, |name| {
            if let Some(key) = name.strip_prefix("统计.") {
                self.used_counts.borrow_mut().insert(key.to_owned());
            }
        })
    }

    /// SPEC §2.5: a 统计 entry that no text uses is a warning (a figure gathered and never
    /// reported is usually a slip: a misspelt name or a forgotten sentence).
    fn warn_unused_counts(&self, ctx: &mut Ctx, body: &str) {
        let used = self.used_counts.borrow();
        for (key, at) in &self.report.counts_at {
            let in_body =
                body.contains(&format!("counts[\"{key}\"]")) || body.contains(&format!("统计.{key}"));
            if !used.contains(key) && !in_body {
                ctx.diags.push(
                    Diag::warning(*at, format!("统计中的“{key}”没有在正文中用到")).help(format!(
                        "在文字中写 {{{{ 统计.{key} }}}} 引用它；用不到就删去这一项"
                    )),
                );
            }
        }
    }

    fn items(&self, ctx: &mut Ctx, items: &[Item], section: &str) -> Vec<ItemText> {
        self.items_at(ctx, items, section)
            .into_iter()
            .map(|i| i.with_lines(2))
            .collect()
    }

    /// Items and, nested in them, the items of the levels below.
    fn items_at(&self, ctx: &mut Ctx, items: &[Item], section: &str) -> Vec<ItemText> {
        let mut out = Vec::new();
        for item in items {
            match item {
                Item::Paragraph(t) => out.push(ItemText::paragraph(self.text(ctx, t, section))),
                Item::Heading { title, content } => {
                    // The heading runs into its first paragraph; what follows nests under it.
                    let (text, rest) = match content.split_first() {
                        Some((Item::Paragraph(t), rest)) => (self.text(ctx, t, section), rest),
                        _ => (String::new(), &content[..]),
                    };
                    let title = strip_stop(&self.text(ctx, title, section));
                    out.push(ItemText {
                        about_cases: ["代表建议", "议案", "建议办理", "建议督办"]
                            .iter()
                            .any(|w| title.contains(w)),
                        title: Some(title),
                        text,
                        items: self.items_at(ctx, rest, section),
                        ..ItemText::default()
                    });
                }
                Item::Phrase(name) => match self.template.phrases.get(&name.text) {
                    Some(p) => {
                        // Names in a phrase are resolved for this report: a missing 统计 entry is
                        // the report's to supply, so the message points at the report's line.
                        let what = format!("常用语“{}”", name.text);
                        let at = |t: &Text| Text {
                            text: t.text.clone(),
                            at: name.at,
                        };
                        out.push(ItemText {
                            title: p
                                .title
                                .as_ref()
                                .map(|t| strip_stop(&self.text(ctx, &at(t), &what))),
                            text: self.text(ctx, &at(&p.text), &what),
                            ..ItemText::default()
                        });
                    }
                    None => {
                        let mut d = Diag::error(
                            name.at,
                            format!("模板“{}”中没有常用语“{}”", self.template.name, name.text),
                        );
                        if let Some(s) = nearest(&name.text, self.template.phrases.keys().map(String::as_str))
                        {
                            d = d.label(format!("是否应为“{s}”？"));
                        }
                        let all: Vec<&str> = self.template.phrases.keys().map(String::as_str).collect();
                        ctx.diags
                            .push(d.help(format!("可用的常用语：{}", all.join("、"))));
                    }
                },
                Item::Auto(_) if section == "存在问题" => out.extend(
                    problems::derive(self.report, self.figs)
                        .into_iter()
                        .map(ItemText::paragraph),
                ),
                Item::Auto(_) => out.push(ItemText {
                    auto: true,
                    ..ItemText::default()
                }),
            }
        }
        out
    }
}

fn tera_engine() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::<&str>::new());
    tera.register_filter("pct", |x: f64, _: tera::Kwargs, _: &tera::State| {
        crate::figures::round::Percent((x * 10.0).round() as i64).to_string() + "%"
    });
    tera.register_function("range", bounded_range);
    tera.register_filter("cn", |x: i64, _: tera::Kwargs, _: &tera::State| {
        crate::document::chinese_number(x.max(0) as usize)
    });
    tera
}

/// A template text to render, and where it stands for messages.
#[derive(Clone, Copy)]
struct Source<'a> {
    name: &'a str,
    text: &'a str,
    file: crate::source::FileId,
    /// Lines before the text in its file (a title inside 模板.yaml).
    line_offset: u32,
    what: &'a str,
}

/// How much a template may write, and for how long it may run: a user's own template copy
/// with a runaway loop must end in a message, not in an exhausted machine.
const MAX_OUTPUT: usize = 32 << 20;
const MAX_RENDER_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// A writer that refuses to grow past [`MAX_OUTPUT`].
#[derive(Default)]
struct Bounded {
    out: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + bytes.len() > MAX_OUTPUT {
            self.overflowed = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.out.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

enum Rendered {
    Text(String),
    Failed(tera::Error),
    TooLong,
    TooSlow,
}

/// The engine with template `name` parsed from `text`. Engines are kept by name and text:
/// the 篇 of a 汇编 that use one template (most do) share its parse, and a render's thread
/// shares the engine instead of copying it. A few are kept, so that a server whose user
/// edits a template does not keep every version.
fn engine(name: &str, text: &str) -> Result<Arc<tera::Tera>, tera::Error> {
    type Engines = Vec<(String, String, Arc<tera::Tera>)>;
    static ENGINES: Mutex<Engines> = Mutex::new(Vec::new());
    let engines = || ENGINES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, _, e)) = engines().iter().find(|(n, t, _)| n == name && t == text) {
        return Ok(e.clone());
    }
    let mut tera = tera_engine();
    tera.add_raw_template(name, text)?;
    let tera = Arc::new(tera);
    let mut kept = engines();
    if kept.len() >= 8 {
        kept.remove(0);
    }
    kept.push((name.to_owned(), text.to_owned(), tera.clone()));
    Ok(tera)
}

/// A render for a worker thread, and where its result goes.
struct RenderJob {
    tera: Arc<tera::Tera>,
    name: String,
    context: Arc<tera::Context>,
    reply: mpsc::Sender<Rendered>,
}

/// Worker threads waiting for a render. A thread is made when none waits (the 篇 of a 汇编
/// render side by side), and kept for the next render: a thread a render cost more than
/// many renders. One whose render ran past its time is abandoned and never comes back.
static IDLE_WORKERS: Mutex<Vec<mpsc::Sender<RenderJob>>> = Mutex::new(Vec::new());

fn new_worker() -> mpsc::Sender<RenderJob> {
    let (tx, rx) = mpsc::channel::<RenderJob>();
    std::thread::spawn(move || {
        for job in rx {
            let mut w = Bounded::default();
            let result = job.tera.render_to(&job.name, &job.context, &mut w);
            let _ = job.reply.send(match result {
                Ok(()) => Rendered::Text(String::from_utf8_lossy(&w.out).into_owned()),
                Err(_) if w.overflowed => Rendered::TooLong,
                Err(e) => Rendered::Failed(e),
            });
        }
    });
    tx
}

/// Renders `name` on a worker thread, bounded in output and time. A render past its time
/// is abandoned (its thread ends with the process).
fn bounded_render(tera: Arc<tera::Tera>, name: &str, context: Arc<tera::Context>) -> Rendered {
    bounded_render_within(tera, name, context, MAX_RENDER_TIME)
}

fn bounded_render_within(
    tera: Arc<tera::Tera>,
    name: &str,
    context: Arc<tera::Context>,
    limit: std::time::Duration,
) -> Rendered {
    let idle = || IDLE_WORKERS.lock().unwrap_or_else(PoisonError::into_inner);
    let (reply, result) = mpsc::channel();
    let mut job = RenderJob {
        tera,
        name: name.to_owned(),
        context,
        reply,
    };
    // A waiting worker, or a new one; a worker that has ended gives the job back.
    let mut worker = idle().pop().unwrap_or_else(new_worker);
    while let Err(mpsc::SendError(back)) = worker.send(job) {
        (job, worker) = (back, new_worker());
    }
    match result.recv_timeout(limit) {
        Ok(rendered) => {
            idle().push(worker);
            rendered
        }
        Err(_) => Rendered::TooSlow,
    }
}

fn render(ctx: &mut Ctx, src: Source, context: &Arc<tera::Context>) -> Option<String> {
    let result = match engine(src.name, src.text) {
        Ok(tera) => bounded_render(tera, src.name, context.clone()),
        Err(e) => Rendered::Failed(e),
    };
    let at = crate::diag::Loc {
        file: src.file,
        line: src.line_offset + 1,
        col: 1,
        len: 1,
    };
    let path = crate::source::display_path(&ctx.sources.get(src.file).path);
    let d = match result {
        Rendered::Text(s) => return Some(s),
        Rendered::Failed(e) => template::tera_diag(ctx, &e, src.file, src.line_offset, src.what),
        Rendered::TooLong => Diag::error(
            at,
            format!("{}“{path}”生成的文字超过 {} MB", src.what, MAX_OUTPUT >> 20),
        )
        .help("检查模板中的循环：一份总结只有几千字"),
        Rendered::TooSlow => Diag::error(
            at,
            format!(
                "{}“{path}”运行超过 {} 秒仍未结束",
                src.what,
                MAX_RENDER_TIME.as_secs()
            ),
        )
        .help("检查模板中的循环（如多层嵌套的 range）：一份总结只有几千字"),
    };
    ctx.diags.push(d);
    None
}

/// Tera's `range`, refusing a range longer than any 总结 needs: nested loops over huge
/// ranges would run for hours.
#[allow(clippy::needless_pass_by_value)] // the signature Tera's functions have
fn bounded_range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i64>> {
    const MAX: i64 = 10_000;
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("range 的 step_by 不能为 0"));
    }
    // Items from start towards end, end excluded (as Tera's own range).
    let len = match step {
        s if s > 0 && end > start => (end.saturating_sub(start).saturating_add(s - 1)) / s,
        s if s < 0 && start > end => (start.saturating_sub(end).saturating_sub(s + 1)) / -s,
        _ => 0,
    };
    if len > MAX {
        return Err(tera::Error::message(format!(
            "range 最多 {MAX} 项，这里有 {len} 项"
        )));
    }
    Ok((0..len).map(|i| start + i * step).collect())
}

/// Composes the document of one report. Returns None when composing found errors (in `ctx.diags`).
/// `position` is the 篇's place in its 汇编 (None for a report on its own): it varies the
/// default opening from 篇 to 篇.
pub fn compose(ctx: &mut Ctx, report: &Report, figs: &Figures, position: Option<usize>) -> Option<Document> {
    let template = template::load(ctx, &report.template, report.at)?;
    let names: Names = named(figs, &report.scheme)
        .into_iter()
        .map(|(n, v, _)| (n, v))
        .collect();
    let c = Composer {
        report,
        figs,
        names,
        template: &template,
        used_counts: Default::default(),
    };
    let errors_before = ctx.diags.error_count();
    let view = View {
        unit: &report.unit,
        year: report.year,
        date: report.date.map(chinese_date),
        f: figs,
        counts: &report.counts,
        scheme: SchemeView {
            name: &report.scheme.name,
            classes: report
                .scheme
                .classes
                .iter()
                .map(|(l, w)| SchemeClass { letter: l, label: w })
                .collect(),
        },
        basic: prose::basic(report, figs, position),
        intro: c.items(ctx, &report.basic, "基本情况"),
        intro_places_figures: report.basic.iter().any(|i| matches!(i, Item::Auto(_))),
        sections_place_figures: report
            .sections
            .iter()
            .any(|s| s.items.iter().any(|i| matches!(i, Item::Auto(_)))),
        opening: report.opening.as_ref().map(|t| c.text(ctx, t, "导语")),
        closing: match &report.closing {
            Closing::Own(t) => Some(c.text(ctx, t, "结束语")),
            _ => None,
        },
        closing_default: report.closing == Closing::Default,
        unit_term: prose::unit_term(report),
        sections: report
            .sections
            .iter()
            .map(|s| SectionText {
                title: strip_stop(&c.text(ctx, &s.title, "章节")),
                items: c.items(ctx, &s.items, &format!("章节“{}”", s.title.text)),
            })
            .collect(),
        practices: c.items(ctx, &report.practices, "主要做法"),
        problems: c.items(ctx, &report.problems, "存在问题"),
        plans: c.items(ctx, &report.plans, "下一步打算"),
    };
    let mut user_texts = user_text::UserTexts::default();
    let context = serde_json::to_value(&view)
        .map(|mut v| {
            user_texts.tokenize_view(&mut v);
            v
        })
        .map_err(|e| e.to_string())
        .and_then(|v| tera::Context::from_serialize(&v).map_err(|e| e.to_string()));
    let context = match context {
        Ok(c) => c,
        Err(e) => {
            ctx.diags
                .push(Diag::error(report.at, format!("无法准备模板数据：{e}")));
            return None;
        }
    };
    let context = Arc::new(context);
    let body_file = template.body_file;
    let body_src = ctx.sources.get(body_file).text.clone();
    let body_src = Source {
        name: template::BODY,
        text: &body_src,
        file: body_file,
        line_offset: 0,
        what: "模板",
    };
    let body = render(ctx, body_src, &context);
    c.warn_unused_counts(ctx, body_src.text);
    let title = match &report.title {
        Some(t) => Some(c.text(
            ctx,
            &Text {
                text: t.clone(),
                at: report.at,
            },
            "标题",
        )),
        None => match &template.title {
            Some(t) => {
                let src = Source {
                    name: "标题",
                    text: &t.text,
                    file: t.at.file,
                    line_offset: t.at.line - 1,
                    what: "模板标题",
                };
                render(ctx, src, &context).map(|t| user_texts.restore(&t))
            }
            None => Some(format!(
                "{}{}年{}办理工作总结",
                report.unit,
                report.year,
                prose::collective(figs)
            )),
        },
    };
    if ctx.diags.error_count() > errors_before {
        return None;
    }
    let (body, title) = (body?, title?);
    let mut part = Part {
        label: None,
        title: title
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        blocks: {
            let mut blocks = markup::parse(&body);
            user_texts.restore_blocks(&mut blocks);
            blocks
        },
        signature: (!report.unit.is_empty()).then(|| Signature {
            unit: report.unit.clone(),
            date: report.date.map(chinese_date),
        }),
        attachments: if report.appendix_tables {
            tables::attachments(report, figs)
        } else {
            vec![]
        },
    };
    part.number_headings();
    Some(Document {
        title: part.title.join(""),
        author: report.unit.clone(),
        parts: vec![part],
        cover: None,
        toc: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template edited between two builds (a server's user at work) renders as edited: the
    /// engines are kept by text, not by name alone.
    #[test]
    fn an_edited_template_is_parsed_again() {
        let context = Arc::new(tera::Context::new());
        let text =
            |t: &str| match bounded_render(engine("正文.tera", t).unwrap(), "正文.tera", context.clone())
            {
                Rendered::Text(s) => s,
                _ => panic!("{t} did not render"),
            };
        assert_eq!(text("甲{{ 1 + 1 }}"), "甲2");
        assert_eq!(text("乙{{ 2 + 2 }}"), "乙4");
        // A render past its time is abandoned with its worker; the next gets another.
        let slow = "{% for i in range(end=2000) %}{% for j in range(end=2000) %}{% endfor %}{% endfor %}";
        let limit = std::time::Duration::from_millis(20);
        let abandoned = bounded_render_within(
            engine("正文.tera", slow).unwrap(),
            "正文.tera",
            context.clone(),
            limit,
        );
        assert!(matches!(abandoned, Rendered::TooSlow));
        assert_eq!(text("丙{{ 3 + 3 }}"), "丙6");
        assert!(Arc::ptr_eq(
            &engine("正文.tera", "甲{{ 1 + 1 }}").unwrap(),
            &engine("正文.tera", "甲{{ 1 + 1 }}").unwrap()
        ));
    }
}
