//! A ledger as a grid of cells, whatever it was saved as: .xlsx/.xls/.et through calamine,
//! .csv in UTF-8 or GBK through the csv crate.

use chrono::NaiveDate;
use std::path::Path;

/// One cell as imported: its text, and its date when the spreadsheet stored one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub date: Option<NaiveDate>,
    /// A number (Excel stores dates typed as numbers as serial days).
    pub number: Option<f64>,
}

pub struct Grid {
    /// The sheet's name (CSV: the file name).
    pub sheet: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Why a ledger could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(String),
    /// The data is wrong (no such sheet, not a spreadsheet…): a message in Chinese.
    Data(String),
}

/// Excel's serial day number (1900 date system) as a date.
pub fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn cell(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Int(i) => Cell {
            text: i.to_string(),
            number: Some(*i as f64),
            date: None,
        },
        Data::Float(f) => Cell {
            text: number_text(*f),
            number: Some(*f),
            date: None,
        },
        Data::String(s) => Cell {
            text: s.trim().to_owned(),
            ..Cell::default()
        },
        Data::Bool(b) => Cell {
            text: if *b { "是" } else { "否" }.into(),
            ..Cell::default()
        },
        Data::DateTime(dt) => {
            let date = excel_date(dt.as_f64());
            Cell {
                text: date.map(|d| d.to_string()).unwrap_or_default(),
                date,
                number: None,
            }
        }
        Data::DateTimeIso(s) => Cell {
            date: s
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            text: s.clone(),
            number: None,
        },
        Data::DurationIso(s) => Cell {
            text: s.clone(),
            ..Cell::default()
        },
        Data::Error(e) => Cell {
            text: format!("#{e:?}"),
            ..Cell::default()
        },
        Data::Empty => Cell::default(),
    }
}

/// Reads a spreadsheet's sheet (`sheet` by name or 1-based number; else the first with data).
fn spreadsheet(path: &Path, sheet: Option<&str>) -> Result<Grid, ReadError> {
    use calamine::Reader;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let fail = |e: String| {
        ReadError::Data(format!(
            "无法读取表格“{}”：{e}",
            crate::source::display_path(path)
        ))
    };
    let mut book: calamine::Sheets<_> = match ext.as_str() {
        // WPS saves .et in the same compound format as .xls.
        "xls" | "et" => calamine::open_workbook::<calamine::Xls<_>, _>(path)
            .map(calamine::Sheets::Xls)
            .map_err(|e| fail(e.to_string()))?,
        _ => calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
            .map(calamine::Sheets::Xlsx)
            .map_err(|e| fail(e.to_string()))?,
    };
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=names.len()).contains(&n) => names[n - 1].clone(),
            _ if names.iter().any(|n| n == s) => s.to_owned(),
            _ => {
                return Err(ReadError::Data(format!(
                    "表格中没有工作表“{s}”；有：{}",
                    names.join("、")
                )))
            }
        },
        None => {
            let mut chosen = None;
            for n in &names {
                if book.worksheet_range(n).is_ok_and(|r| !r.is_empty()) {
                    chosen = Some(n.clone());
                    break;
                }
            }
            chosen.ok_or_else(|| ReadError::Data("表格中的工作表都是空的".into()))?
        }
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| ReadError::Data(format!("无法读取工作表“{name}”：{e}")))?;
    // Rows keep their sheet row numbers: the range may start below row 1.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); first_row as usize];
    for r in range.rows() {
        let mut row = vec![Cell::default(); first_col as usize];
        row.extend(r.iter().map(cell));
        rows.push(row);
    }
    Ok(Grid { sheet: name, rows })
}

fn csv(path: &Path) -> Result<(Grid, Option<crate::source::Encoding>), ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(crate::load::io_message(&e)))?;
    let (text, encoding) = crate::source::decode(&bytes)
        .map_err(|_| ReadError::Data("文件既不是UTF-8编码，也不是GBK/GB18030编码".into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Data(format!("CSV 格式有误：{e}")))?;
        rows.push(
            record
                .iter()
                .map(|s| Cell {
                    text: s.trim().to_owned(),
                    ..Cell::default()
                })
                .collect(),
        );
    }
    let sheet = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok((
        Grid { sheet, rows },
        Some(encoding).filter(|e| *e != crate::source::Encoding::Utf8),
    ))
}

/// Reads a ledger; the encoding is given when a CSV was not UTF-8.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<(Grid, Option<crate::source::Encoding>), ReadError> {
    if !path.is_file() {
        return Err(ReadError::Io("文件不存在".into()));
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv" | "txt") => csv(path),
        Some("xlsx" | "xlsm" | "xls" | "et") => Ok((spreadsheet(path, sheet)?, None)),
        _ => Err(ReadError::Data(
            "只能导入 .xlsx、.xls、.et（WPS 表格）或 .csv 文件".into(),
        )),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_serials() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        // 45366 is 2024-03-15 in Excel's 1900 date system.
        assert_eq!(excel_date(45366.0), NaiveDate::from_ymd_opt(2024, 3, 15));
        assert_eq!(excel_date(-1.0), None);
    }
}
