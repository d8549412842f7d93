//! Templates: a folder with `模板.yaml` (the default title and the phrase library) and
//! `正文.tera` (the body, in Tera, rendering the markup of [`super::markup`]). The built-in
//! ones are compiled into the binary; a user copies one and points `模板:` at the copy.

use crate::diag::{Diag, Loc};
use crate::load::fields::Fields;
use crate::load::Ctx;
use crate::model::{TemplateRef, Text, BUILTIN_TEMPLATES};
use crate::source::{FileId, SourceFile};
use crate::yaml::{Node, Value};
use indexmap::IndexMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The files of the built-in templates, in the order of [`BUILTIN_TEMPLATES`].
const BUILTIN: [(&str, &str); 3] = [
    (
        include_str!("../../templates/建议提案办理/模板.yaml"),
        include_str!("../../templates/建议提案办理/正文.tera"),
    ),
    (
        include_str!("../../templates/代表建议督办/模板.yaml"),
        include_str!("../../templates/代表建议督办/正文.tera"),
    ),
    (
        include_str!("../../templates/人大工作/模板.yaml"),
        include_str!("../../templates/人大工作/正文.tera"),
    ),
];

pub const CONFIG: &str = "模板.yaml";
pub const BODY: &str = "正文.tera";

/// A phrase of the library: a paragraph, or a run-in heading with its text.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub title: Option<Text>,
    pub text: Text,
}

pub struct Template {
    pub name: String,
    /// The default title, a Tera expression over the same context as the body.
    pub title: Option<Text>,
    pub phrases: IndexMap<String, Phrase>,
    pub body_file: FileId,
}

/// The folder of a built-in template or a user's, and its files' texts.
fn sources(ctx: &mut Ctx, template: &TemplateRef, at: Loc) -> Option<(PathBuf, FileId, FileId)> {
    match template {
        TemplateRef::Builtin(i) => {
            let (config, body) = BUILTIN[*i];
            let dir = Path::new("templates").join(BUILTIN_TEMPLATES[*i]);
            let c = ctx
                .sources
                .add(SourceFile::new(dir.join(CONFIG), config.to_owned()));
            let b = ctx.sources.add(SourceFile::new(dir.join(BODY), body.to_owned()));
            Some((dir, c, b))
        }
        TemplateRef::Folder { dir, .. } => {
            let mut read = |name: &str| match ctx.read_source(&dir.join(name), Some(at)) {
                Ok(file) => file,
                Err(e) => {
                    ctx.diags.push(Diag::error(at, e.to_string()));
                    None
                }
            };
            let (config, body) = (read(CONFIG), read(BODY));
            Some((dir.clone(), config?, body?))
        }
    }
}

fn text(f: &Fields, n: &Node) -> Option<Text> {
    n.scalar().map(|s| Text {
        text: s.trim().to_owned(),
        at: f.loc(n),
    })
}

/// Loads template `name` (built-in, or a folder relative to the report's folder).
pub fn load(ctx: &mut Ctx, template: &TemplateRef, at: Loc) -> Option<Template> {
    let (_, config, body_file) = sources(ctx, template, at)?;
    if let TemplateRef::Builtin(i) = template {
        // A built-in configuration is the program's own and has no problems: it is parsed
        // once a process (a 汇编's 篇 mostly share one), then placed in this run's files.
        static PARSED: [OnceLock<Option<Template>>; BUILTIN.len()] =
            [const { OnceLock::new() }; BUILTIN.len()];
        let parsed = PARSED.get(*i)?.get_or_init(|| {
            let mut scratch = Ctx::default();
            let file = scratch
                .sources
                .add(SourceFile::new(PathBuf::new(), BUILTIN[*i].0.to_owned()));
            let parsed = parse_config(&mut scratch, template, file, file);
            parsed.filter(|_| scratch.diags.list.is_empty())
        });
        if let Some(t) = parsed {
            return Some(t.placed_in(config, body_file));
        }
    }
    parse_config(ctx, template, config, body_file)
}

impl Template {
    /// The template as read from configuration file `config`, with its body in `body`.
    fn placed_in(&self, config: FileId, body: FileId) -> Template {
        let place = |t: &Text| Text {
            text: t.text.clone(),
            at: Loc { file: config, ..t.at },
        };
        Template {
            name: self.name.clone(),
            title: self.title.as_ref().map(place),
            phrases: self
                .phrases
                .iter()
                .map(|(k, p)| {
                    let phrase = Phrase {
                        title: p.title.as_ref().map(place),
                        text: place(&p.text),
                    };
                    (k.clone(), phrase)
                })
                .collect(),
            body_file: body,
        }
    }
}

/// Reads a template's configuration file `config`; its body is in `body_file`.
fn parse_config(
    ctx: &mut Ctx,
    template: &TemplateRef,
    config: FileId,
    body_file: FileId,
) -> Option<Template> {
    let doc = ctx.parse_file(config, None)?;
    let f = Fields::new(ctx, config, &doc, "模板配置")?;
    f.check_keys(ctx, &["名称", "说明", "标题", "常用"], "模板配置");
    let title = f.text(ctx, "标题");
    let mut phrases = IndexMap::new();
    if let Some(Node {
        value: Value::Map(entries),
        ..
    }) = f.get("常用")
    {
        for (k, v) in entries {
            let Some(key) = k.scalar().map(str::trim) else {
                continue;
            };
            let phrase = match &v.value {
                Value::Scalar { .. } => text(&f, v).map(|t| Phrase { title: None, text: t }),
                Value::Map(_) => Fields::new(ctx, config, v, "常用语").and_then(|p| {
                    p.check_keys(ctx, &["标题", "内容"], "常用语");
                    let content = p.text(ctx, "内容");
                    if content.is_none() {
                        p.missing(ctx, "内容", &format!("常用语“{key}”"), "写成 {标题: …, 内容: …}");
                    }
                    Some(Phrase {
                        title: p.text(ctx, "标题"),
                        text: content?,
                    })
                }),
                Value::Seq(_) => None,
            };
            match phrase {
                Some(p) => {
                    phrases.insert(key.to_owned(), p);
                }
                None => ctx.diags.push(
                    Diag::error(f.loc(v), format!("常用语“{key}”应为一段文字或 {{标题, 内容}}"))
                        .help("写成“名称: 文字”，或“名称: {标题: …, 内容: …}”"),
                ),
            }
        }
    }
    Some(Template {
        name: template.name().to_owned(),
        title,
        phrases,
        body_file,
    })
}

/// A Tera error as a diagnostic at the template's file and line.
pub fn tera_diag(ctx: &Ctx, e: &tera::Error, file: FileId, line_offset: u32, what: &str) -> Diag {
    let (message, span) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            (r.message().to_owned(), Some(r.span().clone()))
        }
        other => (other.to_string(), None),
    };
    let loc = match span {
        Some(s) => Loc {
            file,
            line: s.start_line as u32 + line_offset,
            col: s.start_col as u32 + 1,
            len: if s.end_line == s.start_line {
                (s.end_col.saturating_sub(s.start_col)).max(1) as u32
            } else {
                1
            },
        },
        None => Loc {
            file,
            line: 1,
            col: 1,
            len: 1,
        },
    };
    let (title, help) = explain(&message);
    let path = crate::source::display_path(&ctx.sources.get(file).path);
    Diag::error(loc, format!("{what}“{path}”有错：{title}"))
        .help(help)
        .help(format!("（Tera 原文：{message}）"))
}

fn explain(message: &str) -> (String, String) {
    let m = message.to_ascii_lowercase();
    let quoted = message.split('`').nth(1).unwrap_or("");
    if m.contains("not defined")
        || (m.contains("not found") && (m.contains("variable") || m.contains("field")))
    {
        // Tera lists what exists: “Available fields: a, b, c”.
        let available = message.split("Available fields:").nth(1).unwrap_or("");
        let near = crate::load::fields::nearest(quoted, available.split(',').map(str::trim));
        let help = match near {
            Some(n) => format!("是否应为“{n}”？模板可用的变量见 templates/README.md"),
            None => {
                "模板可用的变量见 templates/README.md（如 unit、year、f.answer_rate、basic.overview）".into()
            }
        };
        (format!("引用了不存在的变量“{quoted}”"), help)
    } else if m.contains("filter") {
        (
            "过滤器用法有误".into(),
            "可用的过滤器见 Tera 文档和 templates/README.md（如 pct、cn）".into(),
        )
    } else {
        (
            "模板语法错误".into(),
            "检查这一行的 {{ }}、{% %} 是否成对，if/for 是否有对应的 endif/endfor".into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    type Seen = (
        String,
        Option<(String, Loc)>,
        Vec<(String, Option<(String, Loc)>, String, Loc)>,
    );

    fn seen(t: &Template) -> Seen {
        let text = |t: &Text| (t.text.clone(), t.at);
        let phrases = t.phrases.iter().map(|(k, p)| {
            let (body, at) = text(&p.text);
            (k.clone(), p.title.as_ref().map(text), body, at)
        });
        (t.name.clone(), t.title.as_ref().map(text), phrases.collect())
    }

    /// A built-in configuration, parsed once a process, is in each run what parsing it in
    /// that run gives: the same texts at the same places of that run's file.
    #[test]
    fn a_built_in_configuration_parsed_once_is_placed_in_each_run() {
        for i in 0..BUILTIN.len() {
            let t = TemplateRef::Builtin(i);
            for base in [0, 7 << 20, 0] {
                let run = || Ctx {
                    sources: Sources::starting_at(base),
                    ..Ctx::default()
                };
                let mut fresh = run();
                let (_, config, body) = sources(&mut fresh, &t, Loc::default()).unwrap();
                let expected = parse_config(&mut fresh, &t, config, body).unwrap();
                assert!(fresh.diags.list.is_empty(), "built-in template {i} has problems");
                let mut ctx = run();
                let got = load(&mut ctx, &t, Loc::default()).unwrap();
                assert_eq!(seen(&got), seen(&expected), "template {i}, files from {base}");
                assert_eq!(got.body_file, expected.body_file);
                assert!(!got.phrases.is_empty() && ctx.diags.list.is_empty());
            }
        }
    }
}
