//! `{{ 名称 }}` in the YAML's own text: figures named in Chinese (see `zongjie stats`).
//! Tera identifiers are ASCII only, so zongjie resolves these names itself.

use crate::diag::{Diag, Diags};
use crate::figures::names::FigureValue;
use crate::load::fields::nearest;
use crate::model::Text;
use indexmap::IndexMap;

/// The named figures of a report, looked up by name.
pub type Names = IndexMap<String, FigureValue>;

/// The names nearest to `name`, for a suggestion.
fn suggestions(name: &str, names: &Names) -> Vec<String> {
    if let Some(s) = nearest(name, names.keys().map(String::as_str)) {
        return vec![s.to_owned()];
    }
    // A partial match (“调研” for “统计.调研”) is the likely slip when the distance is large.
    names
        .keys()
        .filter(|k| k.contains(name) || name.contains(k.as_str()))
        .take(3)
        .cloned()
        .collect()
}

/// `text` with every `{{ 名称 }}` replaced by its figure. Problems go to `diags` at the text's
/// place; the returned text then keeps the unresolved expression. `resolved` hears every name
/// that was replaced by its figure.
pub fn expand(
    text: &Text,
    names: &Names,
    diags: &mut Diags,
    context: &str,
    mut resolved: impl FnMut(&str),
) -> String {
    let src = &text.text;
    if src.contains("{%") {
        diags.push(
            Diag::error(text.at, format!("{context}中不能使用“{{% … %}}”"))
                .help("报告中的文字只能用 {{ 名称 }} 引用数字；需要条件或循环时，请修改模板"),
        );
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = src.as_str();
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            diags.push(
                Diag::error(text.at, format!("{context}中的“{{{{”没有对应的“}}}}”"))
                    .help("引用数字写作 {{ 名称 }}，两边的花括号要成对"),
            );
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        rest = &after[end + 2..];
        match names.get(name) {
            Some(FigureValue::Percent(None)) => {
                diags.push(
                    Diag::error(text.at, format!("{context}引用的“{name}”没有数值"))
                        .label(format!("“{name}”的分母为零"))
                        .help("这个比率无从计算（例如没有主办件就没有面商率），请删去这处引用"),
                );
                out.push_str(&format!("{{{{ {name} }}}}"));
            }
            Some(v) => {
                resolved(name);
                if *v == FigureValue::Cases(0) {
                    diags.push(
                        Diag::warning(text.at, format!("{context}引用的“{name}”为0，文中会出现“0件”"))
                            .help("总结中一般不写为零的项：删去这一句，或改写这处文字"),
                    );
                }
                let shown = v.to_string();
                // `{{ 办复率 }}%` would print the sign twice.
                if matches!(v, FigureValue::Percent(_)) && (rest.starts_with('%') || rest.starts_with('％'))
                {
                    out.push_str(shown.trim_end_matches('%'));
                } else {
                    out.push_str(&shown);
                }
            }
            None => {
                let mut d = Diag::error(text.at, format!("{context}引用了未知的名称“{name}”"));
                let near = suggestions(name, names);
                d = match near.as_slice() {
                    [] => d.help("可以引用的名称见“各项数字”页面，或“zongjie stats 报告”列出的“主要数字”"),
                    _ => d.label(format!("是否应为“{}”？", near.join("”或“"))).help(
                        "可以引用的名称见“各项数字”页面，或“zongjie stats 报告”列出的“主要数字”；统计中的数字写作 {{ 统计.名称 }}",
                    ),
                };
                diags.push(d);
                out.push_str(&format!("{{{{ {name} }}}}"));
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::figures::round::Percent;

    fn names() -> Names {
        let mut n = Names::new();
        n.insert("办复率".into(), FigureValue::Percent(Some(Percent(1000))));
        n.insert("面商率".into(), FigureValue::Percent(None));
        n.insert("建议件数".into(), FigureValue::Cases(15));
        n.insert("议案件数".into(), FigureValue::Cases(0));
        n.insert("统计.调研".into(), FigureValue::Number(6));
        n
    }

    fn run(s: &str) -> (String, Vec<String>) {
        let mut d = Diags::default();
        let t = Text {
            text: s.into(),
            at: Loc::default(),
        };
        let out = expand(&t, &names(), &mut d, "主要做法", |_| {});
        (
            out,
            d.list
                .into_iter()
                .map(|d| format!("{} {:?}", d.title, d.label))
                .collect(),
        )
    }

    #[test]
    fn resolves_names_and_percent_signs() {
        assert_eq!(run("先后{{ 统计.调研 }}次调研").0, "先后6次调研");
        assert_eq!(
            run("办复率{{办复率}}，共{{ 建议件数 }}件").0,
            "办复率100%，共15件"
        );
        assert_eq!(run("办复率达{{ 办复率 }}%").0, "办复率达100%");
    }

    #[test]
    fn zero_counts_warn() {
        let mut d = Diags::default();
        let t = Text {
            text: "议案{{ 议案件数 }}件".into(),
            at: Loc::default(),
        };
        assert_eq!(expand(&t, &names(), &mut d, "主要做法", |_| {}), "议案0件");
        assert_eq!(d.warning_count(), 1);
        assert!(d.list[0].title.contains("为0"));
    }

    #[test]
    fn unknown_and_absent_names_are_errors() {
        let (_, errs) = run("先后{{ 调研 }}次");
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].contains("未知的名称“调研”") && errs[0].contains("统计.调研"),
            "{errs:?}"
        );
        let (_, errs) = run("{{ 办付率 }}");
        assert!(errs[0].contains("是否应为“办复率”？"), "{errs:?}");
        let (_, errs) = run("{{ 面商率 }}");
        assert!(errs[0].contains("没有数值"), "{errs:?}");
        let (_, errs) = run("{{ 办复率");
        assert!(errs[0].contains("没有对应"), "{errs:?}");
    }
}
