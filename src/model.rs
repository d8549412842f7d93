//! The report as the rest of the program sees it: validated, typed, with the place in the
//! source of everything a later message may need to point at.

use crate::diag::Loc;
use crate::gbt9704::Role;
use crate::named::named_enum;
use chrono::NaiveDate;
use indexmap::IndexMap;
use std::path::PathBuf;

named_enum! {
    /// 类别: what kind of case.
    pub enum Kind {
        建议,
        议案,
        提案,
    }
}

named_enum! {
    /// 承办方式. 会办 counts as 协办; 分办 and 独办 count as 主办.
    pub enum Handling {
        主办,
        协办,
        会办,
        分办,
        独办,
    }
}

impl Handling {
    /// Whether the case is a "lead" case: its unit answers the proposer itself.
    pub fn is_lead(self) -> bool {
        matches!(self, Handling::主办 | Handling::分办 | Handling::独办)
    }
}

named_enum! {
    /// 满意度: the proposer's feedback.
    pub enum Satisfaction {
        满意,
        基本满意,
        不满意,
        未反馈,
    }
}

/// 分类方案: the answer classes, letter and wording, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// `四类`, `三类`, or `自定义`.
    pub name: String,
    pub classes: Vec<(String, String)>,
}

impl Scheme {
    pub fn four() -> Scheme {
        Scheme {
            name: "四类".into(),
            classes: vec![
                ("A".into(), "所提问题已经解决或基本解决".into()),
                ("B".into(), "正在解决或列入规划逐步解决".into()),
                ("C".into(), "因目前条件限制或其他原因需待以后解决".into()),
                ("D".into(), "留作参考".into()),
            ],
        }
    }

    pub fn three() -> Scheme {
        Scheme {
            name: "三类".into(),
            classes: vec![
                ("A".into(), "解决采纳".into()),
                ("B".into(), "计划解决".into()),
                ("C".into(), "留作参考".into()),
            ],
        }
    }

    pub fn letters(&self) -> impl Iterator<Item = &str> {
        self.classes.iter().map(|(l, _)| l.as_str())
    }

    pub fn index_of(&self, letter: &str) -> Option<usize> {
        self.classes.iter().position(|(l, _)| l == letter)
    }
}

/// 办理时限: how long after 交办日期 an answer counts as on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Months(u32),
    Days(u32),
}

impl Deadline {
    /// The last day an answer counts as on time. None when the date would overflow.
    pub fn due(self, assigned: NaiveDate) -> Option<NaiveDate> {
        match self {
            Deadline::Months(m) => assigned.checked_add_months(chrono::Months::new(m)),
            Deadline::Days(d) => assigned.checked_add_days(chrono::Days::new(d.into())),
        }
    }
}

/// A second answer after 不满意 or a B-class follow-up. Where it gives 办理结果 or 满意度,
/// they replace the first answer's in the figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondReply {
    pub answered: Option<NaiveDate>,
    pub result: Option<usize>,
    pub satisfaction: Option<Satisfaction>,
}

/// One 案件.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub proposer: Option<String>,
    pub handling: Handling,
    /// 承办单位: one, or several for a case handled jointly (each counts it in its row).
    pub units: Vec<String>,
    /// 承办系统: 政府, 法院, 检察院 … (a 人大常委会 groups units by system).
    pub system: Option<String>,
    pub level: Option<String>,
    pub source: Option<String>,
    pub topic: Option<String>,
    pub assigned: Option<NaiveDate>,
    pub answered: Option<NaiveDate>,
    /// Index into the scheme's classes.
    pub result: Option<usize>,
    pub met: bool,
    pub satisfaction: Satisfaction,
    pub key_supervised: bool,
    pub leader: Option<String>,
    pub carried_over: bool,
    pub second: Option<SecondReply>,
    pub note: Option<String>,
    /// Where the record starts, and where its 编号 stands.
    pub at: Loc,
    pub id_at: Loc,
}

impl Case {
    /// The answer class after a second answer, if any.
    pub fn final_result(&self) -> Option<usize> {
        self.second.as_ref().and_then(|s| s.result).or(self.result)
    }

    pub fn final_satisfaction(&self) -> Satisfaction {
        self.second
            .as_ref()
            .and_then(|s| s.satisfaction)
            .unwrap_or(self.satisfaction)
    }
}

/// The built-in templates by name: the folders of templates/, compiled into the binary.
pub const BUILTIN_TEMPLATES: [&str; 3] = ["建议提案办理", "代表建议督办", "人大工作"];

/// 模板: a built-in template, or the folder of a user's own, resolved once at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateRef {
    /// An index into [`BUILTIN_TEMPLATES`].
    Builtin(usize),
    /// A user's template folder, and the name the report gave it.
    Folder { dir: PathBuf, name: String },
}

impl TemplateRef {
    pub fn name(&self) -> &str {
        match self {
            TemplateRef::Builtin(i) => BUILTIN_TEMPLATES[*i],
            TemplateRef::Folder { name, .. } => name,
        }
    }

    /// The genre, by the template's name: a user's copy keeps the built-in's name in its own,
    /// else it is read as a 承办单位's report.
    pub fn genre(&self) -> Genre {
        match self.name() {
            n if n.contains("督办") => Genre::Supervision,
            n if n.contains("人大工作") => Genre::NpcWork,
            _ => Genre::Handling,
        }
    }
}

/// The genres of the built-in templates: who writes the 总结 and from where it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// 建议提案办理: a unit that handled cases.
    Handling,
    /// 代表建议督办: a 人大常委会 that handed cases over and supervised them.
    Supervision,
    /// 人大工作: a 乡镇/县 人大's annual work.
    NpcWork,
}

/// A 字体 entry of 报告.yaml or 汇编.yaml: which role, and the face it names, parsed once.
#[derive(Debug, Clone, PartialEq)]
pub struct FontOverride {
    pub role: Role,
    pub source: FontSource,
    /// Where the value stands, for messages about it.
    pub at: Loc,
}

/// What a 字体 entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontSource {
    /// An installed family: the DOCX names it, the PDF looks it up on this machine.
    Family(String),
    /// A font file, as written (relative to the report's folder): only the PDF can use it.
    File(String),
}

/// The endings that make a 字体 value a font file rather than a family name.
pub const FONT_FILE_EXTENSIONS: [&str; 4] = [".ttf", ".otf", ".ttc", ".otc"];

impl FontSource {
    pub fn parse(value: &str) -> FontSource {
        let lower = value.to_ascii_lowercase();
        if FONT_FILE_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
            FontSource::File(value.to_owned())
        } else {
            FontSource::Family(value.to_owned())
        }
    }

    /// The text as the user wrote it.
    pub fn as_written(&self) -> &str {
        match self {
            FontSource::Family(s) | FontSource::File(s) => s,
        }
    }
}

/// 字体 of 报告.yaml or 汇编.yaml: the roles pointed at other faces, in the order written, and
/// whether installed 公文 fonts may serve the other roles (`字体: 内置` says no: the built-in
/// faces only, the same PDF on every machine).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FontOverrides {
    pub overrides: Vec<FontOverride>,
    pub builtin_only: bool,
}

/// The value of `字体` that asks for the built-in faces only.
pub const BUILTIN_FONTS: &str = "内置";

/// Text from the YAML with its place, for messages about template expressions in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub at: Loc,
}

/// An item of 基本情况, 主要做法, 存在问题, 下一步打算 or a 章节.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A plain paragraph.
    Paragraph(Text),
    /// A heading (level 2 at the top, 3 and 4 when nested) followed by its content:
    /// paragraphs, run in after the heading, and nested items.
    Heading { title: Text, content: Vec<Item> },
    /// A phrase from the template's phrase library.
    Phrase(Text),
    /// 自动: the computed figures (基本情况) or the problems they show (存在问题).
    Auto(Loc),
}

/// A 章节: a section of its own, replacing the four fixed parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: Text,
    pub items: Vec<Item>,
}

/// 结束语: the template's closing paragraph, the report's own, or none (`结束语: 无`).
#[derive(Debug, Clone, PartialEq)]
pub enum Closing {
    Default,
    Own(Text),
    Omitted,
}

/// A figure declared elsewhere (核对) to cross-check against the records.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    pub key: String,
    pub value: u64,
    pub at: Loc,
}

/// Last year's totals, from a map or computed from last year's report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Previous {
    pub total: Option<u64>,
    pub by_kind: IndexMap<Kind, u64>,
    pub by_level: IndexMap<String, u64>,
}

/// Earlier years' totals, oldest first.
pub type History = Vec<(i32, Previous)>;

/// A number from 统计: a whole number of at least zero.
pub type Count = u64;

/// One report (one 篇).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub path: PathBuf,
    pub unit: String,
    pub year: i32,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// 截止日期: the date the figures describe (default 成文日期, else 年度-12-31).
    pub as_of: NaiveDate,
    pub template: TemplateRef,
    pub scheme: Scheme,
    pub deadline: Deadline,
    pub cases: Vec<Case>,
    /// A case file could not be read or parsed (reported): counts over `cases` are partial.
    pub cases_unreadable: bool,
    pub counts: IndexMap<String, Count>,
    /// Where each 统计 entry's name stands (the entries of `counts`).
    pub counts_at: IndexMap<String, Loc>,
    pub declared: Vec<Declared>,
    pub previous: Option<Previous>,
    /// 历年: earlier years' totals for a series, oldest first (last year's from 上年 included).
    pub history: History,
    /// 导语: the opening paragraph, replacing the template's.
    pub opening: Option<Text>,
    pub closing: Closing,
    /// 点名单位: 自动 problems may name a 承办单位.
    pub name_units: bool,
    /// 承办单位称谓: how the text calls the units (None: decided from their names).
    pub unit_term: Option<String>,
    /// 章节: sections replacing the four fixed parts (empty: the four parts).
    pub sections: Vec<Section>,
    pub basic: Vec<Item>,
    pub practices: Vec<Item>,
    pub problems: Vec<Item>,
    pub plans: Vec<Item>,
    pub appendix_tables: bool,
    /// 列出案件: list the titles of 主办/协办 cases by kind in 基本情况.
    pub list_cases: bool,
    pub fonts: FontOverrides,
    /// Where the report's own file starts.
    pub at: Loc,
}

impl Report {
    /// The last day an answer to `c` is on time: 交办日期 + 办理时限. None without 交办日期 (or
    /// past the calendar's end).
    pub fn deadline_of(&self, c: &Case) -> Option<NaiveDate> {
        c.assigned.and_then(|a| self.deadline.due(a))
    }

    /// Answered within its deadline (an answered case without 交办日期 counts as on time).
    pub fn on_time(&self, c: &Case) -> bool {
        c.answered
            .is_some_and(|r| self.deadline_of(c).is_none_or(|due| r <= due))
    }

    /// Unanswered and still within its deadline as of 截止日期: not yet due, not late.
    pub fn pending(&self, c: &Case) -> bool {
        c.answered.is_none() && self.deadline_of(c).is_some_and(|due| due > self.as_of)
    }

    /// Unanswered and due as of 截止日期 (the deadline passed, or no 交办日期).
    pub fn overdue(&self, c: &Case) -> bool {
        c.answered.is_none() && !self.pending(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_deadline_clamps_to_month_end() {
        let d = NaiveDate::from_ymd_opt(2024, 11, 30).unwrap();
        assert_eq!(Deadline::Months(3).due(d), NaiveDate::from_ymd_opt(2025, 2, 28));
        let d = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        assert_eq!(Deadline::Days(90).due(d), NaiveDate::from_ymd_opt(2024, 6, 13));
    }

    #[test]
    fn lead_roles() {
        let lead: Vec<_> = Handling::ALL
            .iter()
            .filter(|h| h.is_lead())
            .map(|h| h.name())
            .collect();
        assert_eq!(lead, ["主办", "分办", "独办"]);
    }
}
