//! An Excel or CSV ledger turned into case records (`zongjie import`). The header row is
//! found by its content; every cell that cannot be understood is reported with sheet, row
//! and column letter, and no wording is guessed at. Rows are converted as they are read, so
//! a ledger of a million rows is held once, as the records it gives. The YAML written says
//! where it came from and carries a checksum of its records, so that a later import can
//! tell its own untouched output from a file someone edited.

mod biff;
mod fields;
mod grid;

use crate::diag::Diag;
use grid::{Row, Value};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Columns beyond this hold no ledger (Excel 97-2003 ends at IV, the 256th).
pub const MAX_COLUMNS: usize = 256;

/// Excel's column letter for a 0-based column index: 0 → A, 26 → AA.
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// `--map 列名=字段`: a column of the ledger taken as a field of the case records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// The column's header, normalised as headers are compared.
    pub column: String,
    pub field: &'static str,
}

/// A column under `header` is not imported and holds nothing a case needs (序号, 备注).
pub(crate) fn holds_no_field(header: &str) -> bool {
    fields::holds_no_field(header)
}

/// What a column mapped to this is: not imported, even under a heading the importer knows.
pub const NOT_IMPORTED: &str = "不导入";

/// The fields a column can be mapped to: the case keys, and the two unit columns.
pub(crate) fn mappable() -> impl Iterator<Item = &'static str> {
    crate::load::CASE_KEYS.iter().copied().chain(fields::UNIT_COLUMNS)
}

impl std::str::FromStr for ColumnMap {
    type Err = String;

    fn from_str(s: &str) -> Result<ColumnMap, String> {
        let wrong = || {
            format!(
                "应写作“列名=字段”，字段为：{}；不要导入的列写“列名={NOT_IMPORTED}”",
                mappable().collect::<Vec<_>>().join("、")
            )
        };
        let (column, field) = s.split_once('=').ok_or_else(wrong)?;
        let field = mappable()
            .chain([NOT_IMPORTED])
            .find(|k| *k == field.trim())
            .ok_or_else(wrong)?;
        Ok(ColumnMap {
            column: fields::normalise(column),
            field,
        })
    }
}

/// Why a ledger could not be read, or its records not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read (missing, a folder, no permission).
    #[error("无法读取“{}”：{}", crate::source::display_path(.0), .1)]
    Io(PathBuf, String),
    /// The file is read but is not a ledger we understand (not a spreadsheet, no such
    /// sheet, no header row…).
    #[error("{}：{}", crate::source::display_path(.0), .1)]
    Data(PathBuf, String),
    /// The ledger is read, but the columns the records need are not all recognised: the
    /// user can say which column is which (each client says how: `--map`, or a form).
    #[error("{}：{}", crate::source::display_path(.0), .1)]
    Columns(PathBuf, String),
    /// The records cannot be written.
    #[error("无法写入“{}”：{}", crate::source::display_path(.0), .1)]
    Write(PathBuf, String),
}

impl ImportError {
    /// A failure to write `path`, in words.
    pub fn write(path: &Path, e: &std::io::Error) -> ImportError {
        let why = match e.kind() {
            // Writing, a missing file is never the problem: its folder is.
            std::io::ErrorKind::NotFound => "它所在的文件夹不存在".into(),
            _ => grid::io_message(e),
        };
        ImportError::Write(path.to_path_buf(), why)
    }
}

/// A ledger read and converted.
pub struct Ledger {
    pub imported: Imported,
    /// The encoding of a text file that was not UTF-8 (`GBK/GB18030`, `UTF-16`, `UTF-32`).
    pub encoding: Option<&'static str>,
    /// Things the user should know: hidden sheets passed over, a name that lied about the
    /// file's kind.
    pub notes: Vec<String>,
}

impl Ledger {
    /// The 单位 of the 报告.yaml in `dir`, if there is one and it names its unit: the unit a
    /// ledger's 协办单位 column is read for when `--单位` is not given.
    pub fn unit_in_report(dir: &Path) -> Option<String> {
        let bytes = crate::fsutil::read_input(&dir.join("报告.yaml"), crate::fsutil::MAX_TEXT_FILE).ok()?;
        let (text, _) = crate::source::decode(&bytes).ok()?;
        let node = crate::yaml::parse(&text).ok()??;
        let crate::yaml::Value::Map(entries) = node.value else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| k.scalar() == Some("单位"))
            .and_then(|(_, v)| v.scalar())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }
}

/// Reads the ledger at `path` (the named or first visible sheet) and converts its rows; see
/// [`Ledger::read`] for a ledger that needs the reporting unit.
pub fn read_ledger(path: &Path, sheet: Option<&str>, maps: &[ColumnMap]) -> Result<Ledger, ImportError> {
    Ledger::read(path, sheet, maps, None)
}

impl Ledger {
    /// Reads the ledger at `path` (the named or first visible sheet) and converts its rows.
    /// `unit` is the reporting unit, needed only for a ledger that says who handled a case
    /// by 主办单位 and 协办单位 columns instead of a 承办方式 column.
    pub fn read(
        path: &Path,
        sheet: Option<&str>,
        maps: &[ColumnMap],
        unit: Option<&str>,
    ) -> Result<Ledger, ImportError> {
        let maps: IndexMap<String, &'static str> = maps.iter().map(|m| (m.column.clone(), m.field)).collect();
        let mut converter = Converter::new(&maps, unit);
        let opened = grid::read(path, sheet, &mut converter).map_err(|e| match e {
            grid::ReadError::Io(msg) => ImportError::Io(path.to_path_buf(), msg),
            grid::ReadError::Data(msg) => ImportError::Data(path.to_path_buf(), msg),
        })?;
        let imported = converter.finish().map_err(|msg| {
            let msg = match &opened.misnamed {
                Some(note) => format!("{msg}（{note}）"),
                None => msg,
            };
            ImportError::Columns(path.to_path_buf(), msg)
        })?;
        let mut notes = Vec::new();
        if let Some(note) = &opened.misnamed {
            notes.push(format!("“{}”：{note}", crate::source::display_path(path)));
        }
        if !opened.hidden.is_empty() {
            notes.push(format!(
                "没有读取隐藏的工作表“{}”；要导入隐藏的工作表，请指定它的名称（浏览器中填在“改读另一个工作表”，命令行中加 --sheet 工作表名称）",
                opened.hidden.join("”“")
            ));
        }
        Ok(Ledger {
            imported,
            encoding: opened.encoding,
            notes,
        })
    }
}

/// Where a cell stands, as messages say it: `工作表“台账”第 5 行 E 列（主办/协办）`.
fn place(sheet: Option<&str>, row: usize, col: Option<usize>, header: &str) -> String {
    let sheet = sheet.map_or_else(String::new, |s| format!("工作表“{s}”"));
    match col {
        Some(c) => format!("{sheet}第 {row} 行 {} 列（{header}）", column_letter(c)),
        None => format!("{sheet}第 {row} 行"),
    }
}

/// A cell's content as a message shows it: a control character by its code, since printed
/// as it is it is invisible, or rings the terminal's bell.
fn shown(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if crate::document::is_forbidden_char(c) {
                format!("〈U+{:04X}〉", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl CellError {
    /// The problem as a diagnostic at its sheet (None for a CSV file), row and column of
    /// `file`.
    pub fn to_diag(&self, file: &Path, sheet: Option<&str>) -> Diag {
        let place = place(sheet, self.row, self.col, &self.header);
        let value = if self.value.is_empty() {
            String::new()
        } else {
            format!("，单元格内容“{}”", shown(&self.value))
        };
        Diag::error_at(
            crate::source::display_path(file),
            format!("{place}{value}：{}", self.what),
        )
        .help(self.help.clone())
    }
}

/// A problem with one cell (or one row, when `col` is None).
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    /// The 1-based ledger row.
    pub row: usize,
    pub col: Option<usize>,
    /// The field the cell was read for.
    pub field: &'static str,
    pub header: String,
    pub value: String,
    pub what: String,
    pub help: String,
}

/// One case as read from a ledger row: its values in the order of SPEC §2.2, kept in one
/// string (a million records are a million allocations, not twenty million).
pub struct Record {
    /// The 1-based ledger row.
    pub row: usize,
    text: Box<str>,
    /// Per value: its key's index in the case keys, and where it ends in `text`.
    ends: Box<[(u8, u32)]>,
}

impl Record {
    /// A record of `values`, which are in no particular order; None when its text would
    /// not fit the index (over 4 GB in one row).
    fn new(row: usize, mut values: Vec<(&'static str, String)>) -> Option<Record> {
        let keys = crate::load::CASE_KEYS;
        let index = |k: &str| keys.iter().position(|x| *x == k).unwrap_or(keys.len());
        values.sort_by_key(|(k, _)| index(k));
        let mut text = String::with_capacity(values.iter().map(|(_, v)| v.len()).sum());
        let mut ends = Vec::with_capacity(values.len());
        for (k, v) in &values {
            text.push_str(v);
            ends.push((u8::try_from(index(k)).ok()?, u32::try_from(text.len()).ok()?));
        }
        Some(Record {
            row,
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        })
    }

    /// The record's fields and values, in the order of SPEC §2.2.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&(k, end)| {
            let value = &self.text[start..end as usize];
            start = end as usize;
            (crate::load::CASE_KEYS[k as usize], value)
        })
    }

    /// The value of `field`, if the record has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields().find(|(k, _)| *k == field).map(|(_, v)| v)
    }
}

impl serde::Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.ends.len()))?;
        for (k, v) in self.fields() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// At most this many problems are kept (and shown); the rest are counted.
const MAX_ERRORS: usize = 1000;

/// The outcome of reading a ledger.
pub struct Imported {
    /// The sheet read; None for a CSV file.
    pub sheet: Option<String>,
    /// Records in the ledger's order.
    pub records: Vec<Record>,
    /// The first problems found ([`Imported::error_count`] counts them all).
    pub errors: Vec<CellError>,
    pub error_count: usize,
    /// The 1-based rows that had problems, in order, once each.
    pub bad_rows: Vec<usize>,
    /// Columns no field was found for.
    pub ignored: Vec<String>,
    /// The 1-based row of the header.
    pub header_row: usize,
    /// Per column of the sheet from A on, up to the last one the header row fills: its
    /// header text and the field it was read as (None: not imported).
    pub columns: Vec<(String, Option<&'static str>)>,
}

/// The header rows are looked for among the first rows of a sheet.
const HEADER_SEARCH: usize = 30;

/// What the header row says about the columns.
struct Layout {
    /// Per 0-based column: the field it holds.
    cols: Vec<Option<&'static str>>,
    /// Per column: the header text that named it (for messages).
    headers: Vec<String>,
    /// 0-based sheet row where the data starts.
    data_start: usize,
    /// No 承办方式 column: 承办方式 and 承办单位 come from 主办单位 and 协办单位.
    from_units: bool,
}

impl Layout {
    fn col_of(&self, field: &str) -> Option<usize> {
        self.cols.iter().position(|f| *f == Some(field))
    }

    fn header_of(&self, col: Option<usize>, field: &str) -> String {
        col.and_then(|c| self.headers.get(c))
            .filter(|h| !h.is_empty())
            .map_or_else(|| field.to_owned(), Clone::clone)
    }
}

/// Turns rows into records as they are read: the first rows are held until the header is
/// found among them, every later row is converted at once.
struct Converter<'m> {
    maps: &'m IndexMap<String, &'static str>,
    unit: Option<&'m str>,
    sheet: Option<String>,
    pending: Vec<(usize, Vec<(usize, Value<'static>)>)>,
    layout: Option<Layout>,
    out: Imported,
}

impl grid::RowSink for Converter<'_> {
    fn sheet(&mut self, name: Option<&str>) {
        self.sheet = name.map(str::to_owned);
    }

    fn row(&mut self, r: usize, cells: &Row<'_>) -> Result<(), String> {
        if self.layout.is_none() {
            if r <= HEADER_SEARCH {
                self.pending.push((
                    r,
                    cells.iter().map(|(c, v)| (*c, v.clone().into_owned())).collect(),
                ));
                return Ok(());
            }
            self.find_header()?;
        }
        self.data_row(r, cells)
    }
}

impl<'m> Converter<'m> {
    fn new(maps: &'m IndexMap<String, &'static str>, unit: Option<&'m str>) -> Self {
        Converter {
            maps,
            unit,
            sheet: None,
            pending: Vec::new(),
            layout: None,
            out: Imported {
                sheet: None,
                records: Vec::new(),
                errors: Vec::new(),
                error_count: 0,
                bad_rows: Vec::new(),
                ignored: Vec::new(),
                header_row: 0,
                columns: Vec::new(),
            },
        }
    }

    fn finish(mut self) -> Result<Imported, String> {
        if self.layout.is_none() {
            self.find_header()?;
        }
        self.out.sheet = self.sheet;
        Ok(self.out)
    }

    /// The field a header cell names.
    fn field(&self, text: &str) -> Option<&'static str> {
        let h = fields::normalise(text);
        if let Some(&target) = self.maps.get(&h).or_else(|| self.maps.get(text.trim())) {
            return (target != NOT_IMPORTED).then_some(target);
        }
        fields::field_of(text)
    }

    /// Finds the header row among the rows held: the one naming the most fields. A header
    /// split over two rows (a merged group above its sub-headers) takes names from the row
    /// above or below for the columns it leaves unnamed. Then converts the rows held.
    fn find_header(&mut self) -> Result<(), String> {
        let pending = std::mem::take(&mut self.pending);
        let by_row: HashMap<usize, &Vec<(usize, Value<'static>)>> =
            pending.iter().map(|(r, cells)| (*r, cells)).collect();
        let text_at = |r: usize, c: usize| -> Option<String> {
            by_row
                .get(&r)?
                .iter()
                .find(|(col, _)| *col == c)
                .map(|(_, v)| v.as_text().trim().to_owned())
        };
        let at = |r: usize, c: usize| text_at(r, c).and_then(|t| self.field(&t));
        let best = pending
            .iter()
            .filter(|(r, _)| *r < HEADER_SEARCH)
            .map(|(r, cells)| {
                let mut f: Vec<&str> = cells
                    .iter()
                    .filter_map(|(_, v)| self.field(&v.as_text()))
                    .collect();
                f.sort_unstable();
                f.dedup();
                (f.len(), std::cmp::Reverse(*r))
            })
            .max();
        let Some((_, std::cmp::Reverse(best))) = best.filter(|(s, _)| *s >= 2) else {
            return Err(format!(
                "找不到表头：前 {HEADER_SEARCH} 行中没有一行含两个以上可识别的列名（如“编号”“标题”“承办方式”）。请指明各列对应的字段"
            ));
        };
        let width = pending
            .iter()
            .flat_map(|(_, cells)| cells.iter().map(|(c, _)| c + 1))
            .max()
            .unwrap_or(0);
        let mut cols: Vec<Option<&'static str>> = (0..width).map(|c| at(best, c)).collect();
        let mut headers: Vec<String> = (0..width).map(|c| text_at(best, c).unwrap_or_default()).collect();
        let mut data_start = best + 1;
        for c in 0..width {
            if cols[c].is_some() {
                continue;
            }
            if let Some(f) = at(best + 1, c).filter(|f| !cols.contains(&Some(f))) {
                cols[c] = Some(f);
                headers[c] = text_at(best + 1, c).unwrap_or_default();
                data_start = best + 2;
            } else if let Some(f) = best
                .checked_sub(1)
                .and_then(|r| at(r, c))
                .filter(|f| !cols.contains(&Some(f)))
            {
                cols[c] = Some(f);
                headers[c] = text_at(best - 1, c).unwrap_or_default();
            }
        }
        let has = |cols: &[Option<&str>], f: &str| cols.contains(&Some(f));
        let from_units = !has(&cols, "承办方式") && has(&cols, "主办单位");
        if !from_units {
            // With a 承办方式 column, the 主办单位 column names the unit, unless another
            // column does; a 协办单位 column says nothing more.
            let main_is_unit = !has(&cols, "承办单位");
            for f in &mut cols {
                match *f {
                    Some("主办单位") if main_is_unit => *f = Some("承办单位"),
                    Some("主办单位" | "协办单位") => *f = None,
                    _ => {}
                }
            }
        }
        for required in ["编号", "标题"] {
            if !has(&cols, required) {
                return Err(format!(
                    "台账中找不到“{required}”列。若它叫别的名字，请指明哪一列是“{required}”"
                ));
            }
        }
        if !from_units && !has(&cols, "承办方式") {
            return Err(
                "台账中找不到“承办方式”列，也没有“主办单位”列。若它叫别的名字，请指明哪一列是“承办方式”（或“主办单位”“协办单位”）"
                    .into(),
            );
        }
        self.out.ignored = (0..width)
            .filter(|c| cols[*c].is_none())
            .filter_map(|c| text_at(best, c))
            .filter(|t| !t.is_empty())
            .collect();
        self.out.header_row = best + 1;
        self.out.columns = (0..width).map(|c| (headers[c].clone(), cols[c])).collect();
        self.layout = Some(Layout {
            cols,
            headers,
            data_start,
            from_units,
        });
        for (r, cells) in &pending {
            self.data_row(*r, cells)?;
        }
        Ok(())
    }

    /// Converts one data row into a record, or into the problems of its cells.
    fn data_row(&mut self, r: usize, cells: &Row<'_>) -> Result<(), String> {
        let Some(layout) = &self.layout else {
            return Ok(());
        };
        if r < layout.data_start || cells.is_empty() {
            return Ok(());
        }
        // A total line under the table.
        let total = cells.iter().any(|(_, v)| {
            matches!(v, Value::Text(t) if ["合计", "总计", "小计", "共计"].iter().any(|p| t.trim().starts_with(p)))
        });
        if total {
            return Ok(());
        }
        let row = r + 1;
        let mut values: Vec<(&'static str, String)> = Vec::new();
        let mut raw: Vec<(&'static str, usize, String)> = Vec::new();
        let mut errors = Vec::new();
        for (c, cell) in cells {
            let Some(Some(field)) = layout.cols.get(*c) else {
                continue;
            };
            match fields::value(field, cell) {
                Ok(Some(v)) => {
                    if matches!(*field, "类别" | "主办单位" | "协办单位") {
                        raw.push((field, *c, cell.as_text().trim().to_owned()));
                    }
                    values.push((field, v));
                }
                Ok(None) => {}
                Err(b) => errors.push(CellError {
                    row,
                    col: Some(*c),
                    field,
                    header: layout.header_of(Some(*c), field),
                    value: cell.as_text().trim().to_owned(),
                    what: b.what,
                    help: b.help.into(),
                }),
            }
        }
        let get =
            |values: &[(&str, String)], f: &str| values.iter().find(|(k, _)| *k == f).map(|(_, v)| v.clone());
        // A note under the table: no 编号 and no 标题.
        if get(&values, "编号").is_none() && get(&values, "标题").is_none() && errors.is_empty() {
            return Ok(());
        }
        let failed = |errors: &[CellError], f: &str| errors.iter().any(|e| e.field == f);
        // 类别, and the kind 编号 names (建议第12号): they must agree.
        let id = get(&values, "编号");
        let id_kind = id.as_deref().map(fields::kind_in_id);
        match (get(&values, "类别"), id_kind) {
            (Some(kind), Some(Ok(Some(named)))) if kind != named => {
                let (col, text) = raw
                    .iter()
                    .find(|(f, _, _)| *f == "类别")
                    .map(|(_, c, t)| (Some(*c), t.clone()))
                    .unwrap_or_default();
                errors.push(CellError {
                    row,
                    col,
                    field: "类别",
                    header: layout.header_of(col, "类别"),
                    value: text,
                    what: format!(
                        "类别是{kind}，编号“{}”却说是{named}",
                        id.as_deref().unwrap_or_default()
                    ),
                    help: "核对这一行，改正类别或编号中的一个".into(),
                });
            }
            (None, Some(Ok(Some(named)))) if !failed(&errors, "类别") => {
                values.push(("类别", named.to_owned()));
            }
            (None, id_kind) if !failed(&errors, "类别") => errors.push(CellError {
                row,
                col: None,
                field: "类别",
                header: "类别".into(),
                value: String::new(),
                what: if matches!(id_kind, Some(Err(()))) {
                    format!(
                        "没有类别，编号“{}”中看不出是建议、议案还是提案",
                        id.as_deref().unwrap_or_default()
                    )
                } else {
                    "没有类别，编号中也看不出是建议、议案还是提案".into()
                },
                help: "在台账中加“类别”列，或在编号中写明“建议”“议案”“提案”".into(),
            }),
            _ => {}
        }
        if layout.from_units && !failed(&errors, "主办单位") && !failed(&errors, "协办单位") {
            self.handling_from_units(row, &mut values, &raw, &mut errors)?;
        }
        let layout = self.layout.as_ref().unwrap_or_else(|| unreachable!());
        let required: &[&str] = if layout.from_units {
            &["编号", "标题"]
        } else {
            &["编号", "标题", "承办方式"]
        };
        for &f in required {
            if get(&values, f).is_none() && !failed(&errors, f) {
                let col = layout.col_of(f);
                errors.push(CellError {
                    row,
                    col,
                    field: f,
                    header: layout.header_of(col, f),
                    value: String::new(),
                    what: format!("缺少{f}"),
                    help: "每一行都要有编号、标题和承办方式".into(),
                });
            }
        }
        if errors.is_empty() {
            match Record::new(row, values) {
                Some(record) => self.out.records.push(record),
                None => errors.push(CellError {
                    row,
                    col: None,
                    field: "标题",
                    header: String::new(),
                    value: String::new(),
                    what: "这一行的文字超过 4 GB".into(),
                    help: "检查这一行：台账的一行不会有这么多文字".into(),
                }),
            }
        }
        if !errors.is_empty() {
            self.out.bad_rows.push(row);
            self.out.error_count += errors.len();
            let room = MAX_ERRORS.saturating_sub(self.out.errors.len());
            self.out.errors.extend(errors.into_iter().take(room));
        }
        Ok(())
    }

    /// 承办方式 and 承办单位 of a ledger with 主办单位 and 协办单位 columns: a case whose
    /// 协办单位 names the reporting unit (and whose 主办单位 does not) is its 协办 case;
    /// every other case is a 主办 case of the unit(s) its 主办单位 names. A case file holds
    /// one 承办单位: other units go into 备注.
    fn handling_from_units(
        &self,
        row: usize,
        values: &mut Vec<(&'static str, String)>,
        raw: &[(&'static str, usize, String)],
        errors: &mut Vec<CellError>,
    ) -> Result<(), String> {
        let Some(layout) = &self.layout else {
            return Ok(());
        };
        let take = |values: &mut Vec<(&'static str, String)>, f: &str| {
            let i = values.iter().position(|(k, _)| *k == f)?;
            Some(values.remove(i).1)
        };
        let main = take(values, "主办单位").unwrap_or_default();
        let co = take(values, "协办单位").unwrap_or_default();
        let main_units = fields::units(&main);
        let co_units = fields::units(&co);
        let ours = |u: &&str| self.unit.is_some_and(|unit| fields::same_unit(u, unit));
        if !co_units.is_empty() && self.unit.is_none() {
            let (col, text) = raw
                .iter()
                .find(|(f, _, _)| *f == "协办单位")
                .map(|(_, c, t)| (Some(*c), t.clone()))
                .unwrap_or_default();
            return Err(format!(
                "{}写有“{}”：台账没有“承办方式”列，要看出哪些案件是本单位协办的，须知道本单位的名称。请加 --单位 本单位名称（如 --单位 江城市民政局），或在输出文件旁的 报告.yaml 中写明“单位:”",
                place(self.sheet.as_deref(), row, col, &layout.header_of(col, "协办单位")),
                shown(&text)
            ));
        }
        let has_unit_column = values.iter().any(|(k, _)| *k == "承办单位");
        let mut notes = Vec::new();
        if co_units.iter().any(ours) && !main_units.iter().any(ours) {
            values.push(("承办方式", "协办".into()));
            if !has_unit_column {
                values.push(("承办单位", self.unit.unwrap_or_default().to_owned()));
            }
            if !main_units.is_empty() {
                notes.push(format!("主办单位：{}", main_units.join("、")));
            }
        } else if main_units.is_empty() {
            let col = layout.col_of("主办单位");
            errors.push(CellError {
                row,
                col,
                field: "主办单位",
                header: layout.header_of(col, "主办单位"),
                value: String::new(),
                what: if co_units.is_empty() {
                    "缺少主办单位：看不出这件案件是谁主办的".into()
                } else {
                    "缺少主办单位，协办单位中也没有本单位".into()
                },
                help: "填写主办单位；本单位协办的案件，在协办单位中写明本单位".into(),
            });
            return Ok(());
        } else {
            values.push(("承办方式", "主办".into()));
            // The reporting unit, by its own name, first when it is one of several.
            let mine = main_units.iter().position(ours);
            let first = mine.unwrap_or(0);
            if !has_unit_column {
                let name = match (mine, self.unit) {
                    (Some(_), Some(unit)) => unit,
                    _ => main_units[first],
                };
                values.push(("承办单位", name.to_owned()));
            }
            let others: Vec<&str> = main_units
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != first || has_unit_column)
                .map(|(_, u)| *u)
                .collect();
            if !others.is_empty() && main_units.len() > 1 {
                notes.push(format!("另有主办单位：{}", others.join("、")));
            } else if has_unit_column {
                notes.push(format!("主办单位：{}", main_units.join("、")));
            }
        }
        if !notes.is_empty() {
            let note = notes.join("；");
            match values.iter_mut().find(|(k, _)| *k == "备注") {
                Some((_, v)) => {
                    v.push('；');
                    v.push_str(&note);
                }
                None => values.push(("备注", note)),
            }
        }
        Ok(())
    }
}

/// The first line of a case file written by import.
const HEADER: &str = "# 案件记录：由 zongjie import 从";
/// The second line: the checksum of the records under it.
const CHECKSUM: &str = "# 导入校验码 ";
const CHECKSUM_TAIL: &str = "：改动本文件后，再次导入不会覆盖它（除非加 --force）。\n";

/// The records' checksum: FNV-1a, enough to tell an edited file from an untouched one, and
/// the same in every version of zongjie.
type Checksum = crate::fnv::Fnv1a;

impl Imported {
    /// The YAML of the records, under two comment lines: where they came from (no date:
    /// re-importing the same ledger gives the same file), and a checksum of the records.
    pub fn to_yaml(&self, source: &str) -> Result<String, serde_yaml::Error> {
        let sheet = self
            .sheet
            .as_ref()
            .map_or_else(String::new, |s| format!("（工作表“{s}”）"));
        let mut out = format!(
            "{HEADER}“{source}”{sheet}导入，共 {} 件。\n{CHECKSUM}",
            self.records.len()
        )
        .into_bytes();
        let at = out.len();
        out.extend_from_slice(format!("{:016x}{CHECKSUM_TAIL}", 0).as_bytes());
        let body = out.len();
        // Written straight after the header: a million records are not copied twice.
        serde_yaml::to_writer(&mut out, &self.records)?;
        let mut sum = Checksum::default();
        sum.write(out[body..].iter().copied());
        let sum = format!("{:016x}", sum.finish());
        out[at..at + 16].copy_from_slice(sum.as_bytes());
        Ok(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Whether `file` is a case file written by import: None if not; Some(true) if
    /// untouched since, Some(false) if edited (its records no longer match its checksum) or
    /// written by an import that recorded none. Read in pieces: a file of a million records
    /// is not held twice.
    pub fn written_by_import(file: impl std::io::Read) -> std::io::Result<Option<bool>> {
        use std::io::{BufRead, Read};
        let mut reader = std::io::BufReader::new(file);
        let mut line = Vec::new();
        (&mut reader).take(4096).read_until(b'\n', &mut line)?;
        if !line.starts_with(HEADER.as_bytes()) || !line.ends_with(b"\n") {
            return Ok(None);
        }
        line.clear();
        (&mut reader).take(4096).read_until(b'\n', &mut line)?;
        let recorded = line
            .strip_prefix(CHECKSUM.as_bytes())
            .filter(|_| line.ends_with(b"\n"))
            .and_then(|l| l.get(..16))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u64::from_str_radix(h, 16).ok());
        let Some(recorded) = recorded else {
            return Ok(Some(false));
        };
        let mut sum = Checksum::default();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            sum.write(buf[..n].iter().copied());
        }
        Ok(Some(sum.finish() == recorded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(row: usize, values: &[(&'static str, &str)]) -> Record {
        Record::new(row, values.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()).unwrap()
    }

    #[test]
    fn records_keep_the_order_of_the_case_keys() {
        let r = record(
            3,
            &[
                ("标题", "关于公交的建议"),
                ("编号", "建议第1号"),
                ("承办方式", "主办"),
            ],
        );
        assert_eq!(
            r.fields().collect::<Vec<_>>(),
            [
                ("编号", "建议第1号"),
                ("标题", "关于公交的建议"),
                ("承办方式", "主办")
            ]
        );
        assert_eq!(r.get("标题"), Some("关于公交的建议"));
        assert_eq!(r.get("备注"), None);
    }

    #[test]
    fn the_checksum_tells_an_edited_file_from_an_untouched_one() {
        let imported = Imported {
            sheet: Some("台账".into()),
            records: vec![record(2, &[("编号", "建议第1号"), ("标题", "关于公交的建议")])],
            errors: Vec::new(),
            error_count: 0,
            bad_rows: Vec::new(),
            ignored: Vec::new(),
            header_row: 1,
            columns: Vec::new(),
        };
        let yaml = imported.to_yaml("台账.xlsx").unwrap();
        assert!(
            yaml.starts_with(
                "# 案件记录：由 zongjie import 从“台账.xlsx”（工作表“台账”）导入，共 1 件。\n# 导入校验码 "
            ),
            "{yaml}"
        );
        assert!(
            yaml.ends_with("- 编号: 建议第1号\n  标题: 关于公交的建议\n"),
            "{yaml}"
        );
        let by_import = |text: &str| Imported::written_by_import(text.as_bytes()).unwrap();
        assert_eq!(by_import(&yaml), Some(true));
        assert_eq!(by_import(&yaml.replace("公交", "地铁")), Some(false));
        assert_eq!(by_import(&format!("{yaml}# 备注\n")), Some(false));
        let first_line = yaml.split_inclusive('\n').next().unwrap();
        assert_eq!(by_import(&format!("{first_line}- 编号: 1\n")), Some(false));
        assert_eq!(by_import("- 编号: 1\n"), None);
        assert_eq!(by_import(""), None);
    }
}
