//! An Excel or CSV ledger turned into case records (`zongjie import`). The header row is
//! found by its content; every cell that cannot be understood is reported with sheet, row
//! and column letter.

mod fields;
mod grid;

use crate::diag::Diag;
use grid::{column_letter, Cell, Grid};
use indexmap::IndexMap;
use std::path::Path;

/// `--map 列名=字段`: a column of the ledger taken as a field of the case records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// The column's header, normalised as headers are compared.
    pub column: String,
    pub field: &'static str,
}

impl std::str::FromStr for ColumnMap {
    type Err = String;

    fn from_str(s: &str) -> Result<ColumnMap, String> {
        let wrong = || format!("应写作“列名=字段”，字段为：{}", crate::load::CASE_KEYS.join("、"));
        let (column, field) = s.split_once('=').ok_or_else(wrong)?;
        let field = crate::load::CASE_KEYS
            .iter()
            .copied()
            .find(|k| *k == field.trim())
            .ok_or_else(wrong)?;
        Ok(ColumnMap {
            column: fields::normalise(column),
            field,
        })
    }
}

/// Why a ledger could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read (missing, no permission).
    #[error("无法读取“{}”：{}", crate::source::display_path(.0), .1)]
    Io(std::path::PathBuf, String),
    /// The file is read but is not a ledger we understand (no such sheet, no header row…).
    #[error("{}：{}", crate::source::display_path(.0), .1)]
    Data(std::path::PathBuf, String),
}

/// A ledger read and converted.
pub struct Ledger {
    pub imported: Imported,
    /// The file was a CSV in GBK/GB18030, read as such.
    pub gbk: bool,
}

/// Reads the ledger at `path` (the named or first sheet) and converts its rows.
pub fn read_ledger(path: &Path, sheet: Option<&str>, maps: &[ColumnMap]) -> Result<Ledger, ImportError> {
    let (grid, encoding) = grid::read(path, sheet).map_err(|e| match e {
        grid::ReadError::Io(msg) => ImportError::Io(path.to_path_buf(), msg),
        grid::ReadError::Data(msg) => ImportError::Data(path.to_path_buf(), msg),
    })?;
    let maps: IndexMap<String, String> = maps
        .iter()
        .map(|m| (m.column.clone(), m.field.to_owned()))
        .collect();
    let imported = convert(&grid, &maps).map_err(|msg| ImportError::Data(path.to_path_buf(), msg))?;
    Ok(Ledger {
        imported,
        gbk: encoding.is_some(),
    })
}

impl CellError {
    /// The problem as a diagnostic at its sheet, row and column of `file`.
    pub fn to_diag(&self, file: &Path, sheet: &str) -> Diag {
        let place = match self.col {
            Some(c) => format!(
                "工作表“{sheet}”第 {} 行 {} 列（{}）",
                self.row,
                column_letter(c),
                self.header
            ),
            None => format!("工作表“{sheet}”第 {} 行", self.row),
        };
        let value = if self.value.is_empty() {
            String::new()
        } else {
            // A control character is shown by its code: printed as it is, it is invisible,
            // or rings the terminal's bell.
            let shown: String = self
                .value
                .chars()
                .map(|c| {
                    if crate::document::is_forbidden_char(c) {
                        format!("〈U+{:04X}〉", c as u32)
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            format!("，单元格内容“{shown}”")
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
    pub row: usize,
    pub col: Option<usize>,
    /// The field the cell was read for.
    pub field: &'static str,
    pub header: String,
    pub value: String,
    pub what: String,
    pub help: String,
}

/// The outcome of reading a ledger.
pub struct Imported {
    pub sheet: String,
    /// Records in the ledger's order, keys in the order of SPEC §2.2.
    pub records: Vec<(usize, IndexMap<String, String>)>,
    pub errors: Vec<CellError>,
    /// Columns no field was found for.
    pub ignored: Vec<String>,
    pub header_row: usize,
}

/// Finds the header row in the first 30 rows: the one naming the most fields. A header split
/// over two rows (a merged group above its sub-headers) takes names from the row above or
/// below for the columns it leaves unnamed.
fn header(grid: &Grid, maps: &IndexMap<String, String>) -> Option<(usize, Vec<Option<&'static str>>, usize)> {
    let field = |c: &Cell| -> Option<&'static str> {
        let h = fields::normalise(&c.text);
        if let Some(target) = maps.get(&h).or_else(|| maps.get(c.text.trim())) {
            return crate::load::CASE_KEYS.iter().copied().find(|k| k == target);
        }
        fields::field_of(&c.text)
    };
    let scores: Vec<usize> = grid
        .rows
        .iter()
        .take(30)
        .map(|r| {
            let mut f: Vec<&str> = r.iter().filter_map(field).collect();
            f.sort();
            f.dedup();
            f.len()
        })
        .collect();
    let (best, &score) = scores
        .iter()
        .enumerate()
        .max_by_key(|&(i, s)| (*s, std::cmp::Reverse(i)))?;
    if score < 2 {
        return None;
    }
    let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    let at = |r: usize, c: usize| grid.rows.get(r).and_then(|row| row.get(c)).and_then(field);
    let mut cols: Vec<Option<&'static str>> = (0..width).map(|c| at(best, c)).collect();
    let mut data_start = best + 1;
    for c in 0..width {
        if cols[c].is_none() {
            if let Some(f) = at(best + 1, c).filter(|f| !cols.contains(&Some(f))) {
                cols[c] = Some(f);
                data_start = best + 2;
            } else if let Some(f) = best
                .checked_sub(1)
                .and_then(|r| at(r, c))
                .filter(|f| !cols.contains(&Some(f)))
            {
                cols[c] = Some(f);
            }
        }
    }
    Some((best, cols, data_start))
}

/// Reads and checks every row of `grid`.
fn convert(grid: &Grid, maps: &IndexMap<String, String>) -> Result<Imported, String> {
    let Some((header_row, cols, data_start)) = header(grid, maps) else {
        return Err(
            "找不到表头：前 30 行中没有一行含两个以上可识别的列名（如“编号”“标题”“承办方式”）。可用 --map 列名=字段 指定"
                .into(),
        );
    };
    for required in ["编号", "标题", "承办方式"] {
        if !cols.contains(&Some(required)) {
            return Err(format!(
                "台账中找不到“{required}”列。若它叫别的名字，请用 --map 列名={required} 指定"
            ));
        }
    }
    let ignored: Vec<String> = grid.rows[header_row]
        .iter()
        .enumerate()
        .filter(|(c, cell)| cols.get(*c).is_some_and(Option::is_none) && !cell.text.is_empty())
        .map(|(_, cell)| cell.text.clone())
        .collect();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (r, row) in grid.rows.iter().enumerate().skip(data_start) {
        if row.iter().all(|c| c.text.is_empty() && c.date.is_none()) {
            continue;
        }
        // A total line under the table.
        if row.iter().any(|c| {
            ["合计", "总计", "小计", "共计"]
                .iter()
                .any(|t| c.text.starts_with(t))
        }) {
            continue;
        }
        let mut record: IndexMap<String, String> = IndexMap::new();
        let mut row_errors = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let Some(Some(field)) = cols.get(c) else { continue };
            match fields::value(field, &cell.text, cell.date, cell.number) {
                Ok(Some(v)) => {
                    record.insert((*field).to_owned(), v);
                }
                Ok(None) => {}
                Err(b) => row_errors.push(CellError {
                    row: r + 1,
                    col: Some(c),
                    field,
                    header: grid.rows[header_row]
                        .get(c)
                        .map_or_else(String::new, |h| h.text.clone()),
                    value: cell.text.clone(),
                    what: b.what,
                    help: b.help.into(),
                }),
            }
        }
        // A summary line (合计) or a note under the table: no 编号 and no 标题.
        if !record.contains_key("编号") && !record.contains_key("标题") && row_errors.is_empty() {
            continue;
        }
        if !record.contains_key("类别") {
            // 编号 like 建议第12号 says the kind.
            let kind = record
                .get("编号")
                .and_then(|id| ["议案", "提案", "建议"].into_iter().find(|k| id.contains(k)));
            match kind {
                Some(k) => {
                    record.insert("类别".into(), k.into());
                }
                None => row_errors.push(CellError {
                    row: r + 1,
                    col: None,
                    field: "类别",
                    header: "类别".into(),
                    value: String::new(),
                    what: "没有类别，编号中也看不出是建议、议案还是提案".into(),
                    help: "在台账中加“类别”列，或在编号中写明“建议”“提案”".into(),
                }),
            }
        }
        for required in ["编号", "标题", "承办方式"] {
            if !record.contains_key(required) && !row_errors.iter().any(|e| e.field == required) {
                let c = cols.iter().position(|f| *f == Some(required));
                row_errors.push(CellError {
                    row: r + 1,
                    col: c,
                    field: required,
                    header: c
                        .and_then(|c| grid.rows[header_row].get(c))
                        .map_or_else(|| required.into(), |h| h.text.clone()),
                    value: String::new(),
                    what: format!("缺少{required}"),
                    help: "每一行都要有编号、标题和承办方式".into(),
                });
            }
        }
        if row_errors.is_empty() {
            let ordered: IndexMap<String, String> = crate::load::CASE_KEYS
                .iter()
                .filter_map(|k| record.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                .collect();
            records.push((r + 1, ordered));
        }
        errors.extend(row_errors);
    }
    Ok(Imported {
        sheet: grid.sheet.clone(),
        records,
        errors,
        ignored,
        header_row: header_row + 1,
    })
}

impl Imported {
    /// The YAML of the records, with a header naming the ledger `source` (no date:
    /// re-importing the same ledger gives the same file).
    pub fn to_yaml(&self, source: &str) -> Result<String, serde_yaml::Error> {
        let list: Vec<&IndexMap<String, String>> = self.records.iter().map(|(_, r)| r).collect();
        let body = serde_yaml::to_string(&list)?;
        Ok(format!(
            "# 案件记录：由 zongjie import 从“{source}”（工作表“{}”）导入，共 {} 件。\n{body}",
            self.sheet,
            list.len()
        ))
    }

    /// The ledger rows that had problems, in order, once each.
    pub fn bad_rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.errors.iter().map(|e| e.row).collect();
        rows.dedup();
        rows
    }
}
