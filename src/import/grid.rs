//! A ledger read cell by cell, whatever it was saved as. What a file is, is told by its
//! content, never by its name: a ZIP package is read as .xlsx, an OLE compound file as
//! .xls/.et (both through calamine), anything else that is text as CSV (the csv crate); a
//! web page, a Word document or a PDF saved with a spreadsheet's name is named for what it
//! is. Rows are handed over one at a time and only the cells present are read: a sheet that
//! declares a huge dimension, or holds one cell at XFD1048576, costs no more memory than
//! its content, and a cell with data beyond [`MAX_COLUMNS`] is an error, not an allocation.

use calamine::Reader as _;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use super::{column_letter, MAX_COLUMNS};

/// One cell's value as imported.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Empty,
    Text(Cow<'a, str>),
    /// A number (Excel stores dates typed as numbers as serial days).
    Number(f64),
    /// A date the spreadsheet stored as a date.
    Date(NaiveDate),
    /// An Excel error value as Excel shows it (`#DIV/0!`, `#N/A`): a formula that failed.
    Error(Cow<'a, str>),
}

/// The error values Excel shows; a cell (or a CSV field exported from one) holding one of
/// them is a failed formula, never data.
const ERROR_VALUES: [&str; 12] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
    "#DATA!",
    "#SPILL!",
    "#CALC!",
    "#BLOCKED!",
];

impl<'a> Value<'a> {
    /// A cell's text: an Excel error value written as text is still an error.
    pub fn text(s: Cow<'a, str>) -> Value<'a> {
        let t = s.trim();
        if t.is_empty() {
            Value::Empty
        } else if ERROR_VALUES.contains(&t) {
            Value::Error(s)
        } else {
            Value::Text(s)
        }
    }

    /// The cell as text, as the user sees it.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Value::Empty => Cow::Borrowed(""),
            Value::Text(s) | Value::Error(s) => Cow::Borrowed(s.trim()),
            Value::Number(f) => Cow::Owned(number_text(*f)),
            Value::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Empty => Value::Empty,
            Value::Text(s) => Value::Text(Cow::Owned(s.into_owned())),
            Value::Error(s) => Value::Error(Cow::Owned(s.into_owned())),
            Value::Number(f) => Value::Number(f),
            Value::Date(d) => Value::Date(d),
        }
    }
}

/// The cells of one row that hold something: (0-based column, value).
pub type Row<'a> = [(usize, Value<'a>)];

/// Where rows go as they are read.
pub trait RowSink {
    /// The sheet chosen (None for a text file), before its rows.
    fn sheet(&mut self, name: Option<&str>);
    /// A row that holds something: its 0-based sheet row and its cells. An `Err` (a message
    /// in Chinese) stops the reading.
    fn row(&mut self, r: usize, cells: &Row<'_>) -> Result<(), String>;
}

/// What a ledger file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xls,
    Text,
}

impl Kind {
    /// The kind's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => "Excel 工作簿（.xlsx）",
            Kind::Xls => "Excel 97-2003 或 WPS 表格（.xls/.et）",
            Kind::Text => "文本文件（CSV）",
        }
    }

    /// The kind a file's extension promises, if it promises one.
    fn of_extension(ext: &str) -> Option<Kind> {
        match ext {
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            "xls" | "et" => Some(Kind::Xls),
            "csv" | "txt" | "tsv" => Some(Kind::Text),
            _ => None,
        }
    }
}

/// A ledger read: where its rows came from.
#[derive(Debug)]
pub struct Opened {
    /// The encoding of a text file that was not UTF-8.
    pub encoding: Option<&'static str>,
    /// Hidden sheets passed over when choosing the sheet.
    pub hidden: Vec<String>,
    /// The file's name promised another kind of file: what it is, in words.
    pub misnamed: Option<String>,
}

/// Why a ledger could not be read, in Chinese.
#[derive(Debug)]
pub enum ReadError {
    /// The file cannot be read at all (missing, a folder, no permission, a read error).
    Io(String),
    /// The content is wrong (not a spreadsheet, damaged, no such sheet, a cell far right…).
    Data(String),
}

/// An I/O error in words, for every kind a user can meet.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在".into(),
        K::PermissionDenied => "没有权限（请检查文件的权限，或文件是否被其他程序锁定）".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::NotADirectory => "路径中有一段不是文件夹".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::StorageFull => "磁盘已满".into(),
        K::QuotaExceeded => "超出了磁盘配额".into(),
        K::ReadOnlyFilesystem => "磁盘或文件夹是只读的".into(),
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被其他程序占用，请关闭后重试".into(),
        K::FileTooLarge => "文件太大".into(),
        K::InvalidFilename => "文件名不合法（太长或含有不允许的字符）".into(),
        K::UnexpectedEof => "文件在读到一半时就结束了（可能没有复制或下载完整）".into(),
        K::InvalidData => "文件内容无法解读".into(),
        K::Interrupted | K::TimedOut | K::WouldBlock => "读写被中断，请重试".into(),
        K::OutOfMemory => "内存不足".into(),
        K::NetworkDown
        | K::NetworkUnreachable
        | K::HostUnreachable
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::StaleNetworkFileHandle => "网络位置无法访问（文件在网络共享上？）".into(),
        K::CrossesDevices => "不能跨磁盘移动文件".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("系统报告读写错误（错误码 {code}）"),
            None => "系统报告读写错误".into(),
        },
    }
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

fn date_time_iso(s: &str) -> Option<NaiveDate> {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn from_data_ref<'a>(d: &calamine::DataRef<'a>) -> Value<'a> {
    use calamine::DataRef as D;
    match d {
        D::SharedString(s) => Value::text(Cow::Borrowed(*s)),
        D::String(s) => Value::text(Cow::Owned(s.clone())),
        D::Int(i) => Value::Number(*i as f64),
        D::Float(f) => Value::Number(*f),
        D::Bool(b) => Value::Text(Cow::Borrowed(if *b { "是" } else { "否" })),
        D::DateTime(dt) => excel_date(dt.as_f64()).map_or(Value::Empty, Value::Date),
        D::DateTimeIso(s) => date_time_iso(s).map_or_else(|| Value::text(Cow::Owned(s.clone())), Value::Date),
        D::DurationIso(s) => Value::text(Cow::Owned(s.clone())),
        D::Error(e) => Value::Error(Cow::Owned(e.to_string())),
        D::Empty => Value::Empty,
    }
}

fn from_data(d: &calamine::Data) -> Value<'_> {
    use calamine::Data as D;
    match d {
        D::String(s) => Value::text(Cow::Borrowed(s)),
        D::Int(i) => Value::Number(*i as f64),
        D::Float(f) => Value::Number(*f),
        D::Bool(b) => Value::Text(Cow::Borrowed(if *b { "是" } else { "否" })),
        D::DateTime(dt) => excel_date(dt.as_f64()).map_or(Value::Empty, Value::Date),
        D::DateTimeIso(s) => date_time_iso(s).map_or_else(|| Value::text(Cow::Borrowed(s)), Value::Date),
        D::DurationIso(s) => Value::text(Cow::Borrowed(s)),
        D::Error(e) => Value::Error(Cow::Owned(e.to_string())),
        D::Empty => Value::Empty,
    }
}

/// Groups cells, which come row by row, into rows for `sink`; refuses a cell with data
/// beyond [`MAX_COLUMNS`].
struct Rows<'k, 'a> {
    sink: &'k mut dyn RowSink,
    sheet: Option<&'k str>,
    row: Option<usize>,
    cells: Vec<(usize, Value<'a>)>,
}

impl<'k, 'a> Rows<'k, 'a> {
    fn new(sink: &'k mut dyn RowSink, sheet: Option<&'k str>) -> Self {
        sink.sheet(sheet);
        Rows {
            sink,
            sheet,
            row: None,
            cells: Vec::new(),
        }
    }

    fn push(&mut self, row: usize, col: usize, value: Value<'a>) -> Result<(), ReadError> {
        if value.is_empty() {
            return Ok(());
        }
        if col >= MAX_COLUMNS {
            return Err(ReadError::Data(too_far_right(self.sheet, row, col, &value)));
        }
        if self.row != Some(row) {
            self.flush()?;
            self.row = Some(row);
        }
        self.cells.push((col, value));
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ReadError> {
        if let Some(r) = self.row.take() {
            self.sink.row(r, &self.cells).map_err(ReadError::Data)?;
        }
        self.cells.clear();
        Ok(())
    }
}

fn too_far_right(sheet: Option<&str>, row: usize, col: usize, value: &Value) -> String {
    let text = value.as_text();
    let shown: String = text.chars().take(20).collect();
    let more = if text.chars().count() > 20 { "…" } else { "" };
    let place = match sheet {
        Some(s) => format!("工作表“{s}”第 {} 行 {} 列", row + 1, column_letter(col)),
        None => format!("第 {} 行第 {} 列", row + 1, col + 1),
    };
    format!(
        "{place}有内容“{shown}{more}”，超出了第 {MAX_COLUMNS} 列（{} 列）。台账不会有这么多列：这可能是误输入，也可能是损坏或伪造的文件。请删除这个单元格（或把台账复制到一个新工作簿）后重新导入",
        column_letter(MAX_COLUMNS - 1)
    )
}

/// Reads a ledger and hands its rows to `sink`: the sheet `sheet` (a name, or a 1-based
/// number among the visible sheets), else the first visible sheet with content.
pub fn read(path: &Path, sheet: Option<&str>, sink: &mut dyn RowSink) -> Result<Opened, ReadError> {
    let io = |e: &std::io::Error| ReadError::Io(io_message(e));
    let meta = std::fs::metadata(path).map_err(|e| io(&e))?;
    if meta.is_dir() {
        return Err(ReadError::Io("这是一个文件夹，不是文件".into()));
    }
    // A device (/dev/zero) or a FIFO would be read for ever, or block for ever.
    if !meta.is_file() {
        return Err(ReadError::Io(
            crate::fsutil::InputError::NotAFile(crate::fsutil::describe(&meta.file_type())).message(),
        ));
    }
    let mut file = File::open(path).map_err(|e| io(&e))?;
    let mut head = Vec::with_capacity(4096);
    (&mut file)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| io(&e))?;
    file.rewind().map_err(|e| io(&e))?;
    if head.is_empty() {
        return Err(ReadError::Data("文件是空的（0 字节），没有台账".into()));
    }
    let sniffed = sniff(&head);
    let kind = match &sniffed {
        Sniffed::Zip => Kind::Xlsx,
        Sniffed::Ole => Kind::Xls,
        Sniffed::Text => Kind::Text,
        Sniffed::Refused(why) => return Err(ReadError::Data(why.clone())),
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let misnamed =
        (Kind::of_extension(&ext) != Some(kind) && !(ext.is_empty() && kind == Kind::Text)).then(|| {
            let named = if ext.is_empty() {
                "没有扩展名".to_owned()
            } else {
                format!("扩展名是 .{ext}")
            };
            format!(
                "这个文件{named}，内容却是{}{}，是按内容读取的",
                space_before(kind.name()),
                kind.name()
            )
        });
    let read = match sniffed {
        Sniffed::Zip => guarded(|| xlsx(&mut file, sheet, sink)),
        Sniffed::Ole => guarded(|| xls(&mut file, sheet, sink)),
        _ => text(file, sink),
    };
    match read {
        Ok(mut opened) => {
            opened.misnamed = misnamed;
            Ok(opened)
        }
        Err(ReadError::Data(why)) => Err(ReadError::Data(match misnamed {
            Some(note) => format!("{why}（{note}）"),
            None => why,
        })),
        Err(e) => Err(e),
    }
}

/// Runs a spreadsheet reader. calamine indexes into what a file says about itself, and a
/// damaged file can make it panic: that is a damaged file, not a crash.
fn guarded(read: impl FnOnce() -> Result<Opened, ReadError>) -> Result<Opened, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(ReadError::Data(
            "文件已损坏，其中的数据自相矛盾，无法读取。请用 Excel 或 WPS 打开它，另存为新的 .xlsx 后再导入"
                .into(),
        ))
    })
}

enum Sniffed {
    Zip,
    Ole,
    Text,
    /// Not a ledger: why, and how to make one of it.
    Refused(String),
}

const SAVE_AS_XLSX: &str = "请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再导入";

/// What the first bytes of a file say it is.
fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::Ole;
    }
    let binary = |what: &str| {
        Sniffed::Refused(format!(
            "这是{what}，不是表格。请导入 Excel 表格（.xlsx、.xls、.et）或 CSV 文件"
        ))
    };
    for (magic, what) in [
        (&b"%PDF"[..], "一个 PDF 文件"),
        (b"\x89PNG", "一张 PNG 图片"),
        (b"\xFF\xD8\xFF", "一张 JPEG 图片"),
        (b"GIF8", "一张 GIF 图片"),
        (b"Rar!", "一个 RAR 压缩包（请先解压）"),
        (b"7z\xBC\xAF\x27\x1C", "一个 7z 压缩包（请先解压）"),
        (b"\x1F\x8B", "一个 gzip 压缩文件（请先解压）"),
        (b"{\\rtf", "一个 RTF 文档"),
    ] {
        if head.starts_with(magic) {
            return binary(what);
        }
    }
    // Markup, after a BOM and white space: a web page or an Excel 2003 XML table, which
    // many systems export under an .xls name.
    let start = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let lower: String = String::from_utf8_lossy(&head[start..])
        .trim_start()
        .to_ascii_lowercase();
    if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Sniffed::Refused(format!(
            "这是 Excel 2003 XML 表格（“XML 电子表格”），不是 .xlsx 或 .xls 工作簿。{SAVE_AS_XLSX}"
        ));
    }
    let html = [
        "<!doctype html",
        "<html",
        "<table",
        "<head",
        "<meta",
        "<body",
        "<style",
    ]
    .iter()
    .any(|t| lower.starts_with(t))
        || (lower.starts_with("<?xml") && lower.contains("<html"))
        || (lower.starts_with("mime-version:") && lower.contains("text/html"));
    if html {
        return Sniffed::Refused(format!(
            "这是一个网页（HTML）文件，只是用了表格的文件名（许多系统“导出 Excel”时这样保存）。{SAVE_AS_XLSX}"
        ));
    }
    let text_bom = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || head.starts_with(&[0, 0, 0xFE, 0xFF]);
    if !text_bom && head.contains(&0) {
        return binary("二进制数据（既不是 Excel 表格，也不是文本）");
    }
    Sniffed::Text
}

/// Chooses the sheet: `wanted` by name (hidden ones too) or by its number among the visible
/// sheets; else the first visible worksheet for which `has_content` holds.
fn choose(
    sheets: &[calamine::Sheet],
    wanted: Option<&str>,
    mut has_content: impl FnMut(&str) -> Result<bool, ReadError>,
) -> Result<(String, Vec<String>), ReadError> {
    use calamine::{SheetType, SheetVisible};
    let visible: Vec<&calamine::Sheet> = sheets
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .collect();
    if let Some(w) = wanted {
        if let Some(s) = sheets.iter().find(|s| s.name == w) {
            return Ok((s.name.clone(), Vec::new()));
        }
        if let Some(s) = w
            .parse::<usize>()
            .ok()
            .and_then(|n| visible.get(n.checked_sub(1)?))
        {
            return Ok((s.name.clone(), Vec::new()));
        }
        let names: Vec<String> = sheets
            .iter()
            .map(|s| {
                if s.visible == SheetVisible::Visible {
                    s.name.clone()
                } else {
                    format!("{}（隐藏）", s.name)
                }
            })
            .collect();
        return Err(ReadError::Data(format!(
            "表格中没有工作表“{w}”；有：{}",
            names.join("、")
        )));
    }
    let hidden: Vec<String> = sheets
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    for s in visible.iter().filter(|s| s.typ == SheetType::WorkSheet) {
        if has_content(&s.name)? {
            return Ok((s.name.clone(), hidden));
        }
    }
    let more = if hidden.is_empty() {
        String::new()
    } else {
        format!(
            "（隐藏的工作表“{}”没有读取；要导入它，请指定它的名称：浏览器中填在“改读另一个工作表”，命令行中加 --sheet）",
            hidden.join("”“")
        )
    };
    Err(ReadError::Data(format!("表格中可见的工作表都是空的{more}")))
}

const DAMAGED_ZIP: &str = "文件以 Excel 工作簿（.xlsx）的格式开头，但已损坏或不完整（常见原因：没有下载或复制完整）。请重新获取文件，或用 Excel 打开修复后另存为 .xlsx";
const DAMAGED_XML: &str =
    "工作簿的内容已损坏，无法读取（其中的 XML 有误）。请用 Excel 或 WPS 打开它，另存为新的 .xlsx 后再导入";

fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    use calamine::XlsxError as E;
    ReadError::Data(match e {
        E::Io(e) => return ReadError::Io(io_message(&e)),
        E::Password => PASSWORD.into(),
        E::Zip(_) | E::FileNotFound(_) | E::RelationshipNotFound => DAMAGED_ZIP.into(),
        E::NotAWorksheet(_) => "这个工作表是图表或对话框，不是表格".into(),
        _ => DAMAGED_XML.into(),
    })
}

const PASSWORD: &str = "工作簿设有打开密码，无法读取。请在 Excel 中打开，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存后再导入";

/// The most text a workbook's shared strings may unpack to (a million-row ledger with a
/// different title in every row has about 100 MB).
const MAX_SHARED_STRINGS: u64 = 1 << 30;

/// A ZIP package: an .xlsx if it holds a workbook, else named for what it holds.
fn xlsx(file: &mut File, wanted: Option<&str>, sink: &mut dyn RowSink) -> Result<Opened, ReadError> {
    what_zip_holds(file)?;
    file.rewind().map_err(|e| ReadError::Io(io_message(&e)))?;
    let mut book = calamine::Xlsx::new(BufReader::new(file)).map_err(xlsx_error)?;
    let sheets = book.sheets_metadata().to_vec();
    let (name, hidden) = choose(&sheets, wanted, |name| {
        let mut cells = book.worksheet_cells_reader(name).map_err(xlsx_error)?;
        while let Some(cell) = cells.next_cell().map_err(xlsx_error)? {
            if !from_data_ref(cell.get_value()).is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    })?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(xlsx_error)?;
    let mut rows = Rows::new(sink, Some(&name));
    while let Some(cell) = cells.next_cell().map_err(xlsx_error)? {
        let (r, c) = cell.get_position();
        rows.push(r as usize, c as usize, from_data_ref(cell.get_value()))?;
    }
    rows.flush()?;
    Ok(Opened {
        encoding: None,
        hidden,
        misnamed: None,
    })
}

/// Refuses a ZIP package that is not an Excel workbook, saying what it is.
fn what_zip_holds(file: &mut File) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| match e {
        zip::result::ZipError::Io(e) if e.kind() != std::io::ErrorKind::UnexpectedEof && e.kind() != std::io::ErrorKind::InvalidData => {
            ReadError::Io(io_message(&e))
        }
        _ => ReadError::Data(
            "文件以 ZIP 压缩包（.xlsx 就是一种 ZIP 包）的格式开头，但已损坏或不完整（常见原因：没有下载或复制完整）。请重新获取文件，或用 Excel 打开修复后另存为 .xlsx".into(),
        ),
    })?;
    let names: Vec<String> = zip
        .file_names_raw()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        // calamine holds the shared strings in memory: a package that claims more than any
        // ledger holds is refused before it is unpacked.
        let declared = zip.by_name("xl/sharedStrings.xml").map_or(0, |f| f.size());
        if declared > MAX_SHARED_STRINGS {
            return Err(ReadError::Data(format!(
                "工作簿中的文字表（sharedStrings.xml）解压后有 {} MB，远超任何台账：文件可能已损坏或是伪造的。请用 Excel 或 WPS 打开它，把台账复制到新的工作簿后再导入",
                declared >> 20
            )));
        }
        return Ok(());
    }
    let what = if has("xl/workbook.bin") {
        "Excel 二进制工作簿（.xlsb）".to_owned()
    } else if has("word/document.xml") {
        "Word 文档（.docx）".to_owned()
    } else if has("ppt/presentation.xml") {
        "PowerPoint 演示文稿（.pptx）".to_owned()
    } else if has("mimetype") {
        let mut kind = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(100).read_to_string(&mut kind);
        }
        match kind.trim() {
            "application/vnd.oasis.opendocument.spreadsheet" => "OpenDocument 表格（.ods）".into(),
            "application/vnd.oasis.opendocument.text" => "OpenDocument 文档（.odt）".into(),
            _ => "OpenDocument 文件".into(),
        }
    } else {
        "一个 ZIP 压缩包".to_owned()
    };
    let fix = if what.contains("表格") || what.contains("工作簿") {
        SAVE_AS_XLSX.to_owned()
    } else if what.contains("压缩包") {
        "请解压后导入其中的台账".to_owned()
    } else {
        "请导入 Excel 表格（.xlsx、.xls、.et）或 CSV 文件".to_owned()
    };
    Err(ReadError::Data(format!(
        "这是{}{what}，不是可以导入的台账。{fix}",
        space_before(&what)
    )))
}

fn xls_error(e: calamine::XlsError, file: &mut File) -> ReadError {
    use calamine::XlsError as E;
    match e {
        E::Io(e) => ReadError::Io(io_message(&e)),
        E::Password => ReadError::Data(PASSWORD.into()),
        _ => ReadError::Data(ole_content(file).unwrap_or_else(|| {
            "文件是 Excel 97-2003 或 WPS 表格（.xls/.et）的格式，但已损坏，或其中没有工作簿。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入".into()
        })),
    }
}

/// A space between a Chinese word and a Latin one that follows it.
fn space_before(word: &str) -> &'static str {
    if word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        " "
    } else {
        ""
    }
}

/// What an OLE compound file that holds no workbook holds, by the names of its streams
/// (stored in UTF-16LE in its directory), as a message.
fn ole_content(file: &mut File) -> Option<String> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let not_a_table = |what: &str| {
        format!(
            "这是{}{what}，不是表格。请导入 Excel 表格（.xlsx、.xls、.et）或 CSV 文件",
            space_before(what)
        )
    };
    let kinds = [
        // An .xlsx with a password to open is an encrypted package in an OLE file.
        (utf16("EncryptedPackage"), PASSWORD.to_owned()),
        (utf16("WordDocument"), not_a_table("Word 97-2003 文档（.doc）")),
        (
            utf16("PowerPoint Document"),
            not_a_table("PowerPoint 97-2003 演示文稿（.ppt）"),
        ),
    ];
    file.rewind().ok()?;
    let mut reader = BufReader::new(file);
    let mut window: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        // Keep the tail of the last chunk: a name may straddle two chunks.
        let keep = window.len().saturating_sub(64);
        window.drain(..keep);
        window.extend_from_slice(&chunk[..n]);
        for (needle, message) in &kinds {
            if window.windows(needle.len()).any(|w| w == needle.as_slice()) {
                return Some(message.clone());
            }
        }
    }
}

/// An OLE compound file: .xls, or .et from WPS (the same format).
fn xls(file: &mut File, wanted: Option<&str>, sink: &mut dyn RowSink) -> Result<Opened, ReadError> {
    super::biff::check(file)
        .map_err(|e| ReadError::Io(io_message(&e)))?
        .map_err(ReadError::Data)?;
    let opened = calamine::Xls::new(BufReader::new(&mut *file));
    let mut book = match opened {
        Ok(b) => b,
        Err(e) => return Err(xls_error(e, file)),
    };
    let sheets = book.sheets_metadata().to_vec();
    let (name, hidden) = choose(&sheets, wanted, |name| {
        Ok(book
            .worksheet_range(name)
            .is_ok_and(|r| r.used_cells().next().is_some()))
    })?;
    let range = book
        .worksheet_range(&name)
        .map_err(|_| ReadError::Data(format!("无法读取工作表“{name}”：工作表已损坏")))?;
    // Cells keep their sheet positions: the range may start below row 1 or right of A.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = Rows::new(sink, Some(&name));
    for (r, c, v) in range.used_cells() {
        rows.push(r + top as usize, c + left as usize, from_data(v))?;
    }
    rows.flush()?;
    Ok(Opened {
        encoding: None,
        hidden,
        misnamed: None,
    })
}

/// A text file read as CSV: comma-separated, or tab-separated when its first lines have
/// more tabs than commas (what many systems export under an .xls name).
fn text(mut file: File, sink: &mut dyn RowSink) -> Result<Opened, ReadError> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(io_message(&e)))?;
    drop(file);
    let (text, encoding) = decode(bytes)?;
    let head: String = text.lines().take(30).collect();
    let delimiter = if head.matches('\t').count() > head.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    sink.sheet(None);
    let mut r = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(r + 1, |p| p.line() as usize);
                return Err(ReadError::Data(format!(
                    "第 {line} 行无法按 CSV 读取。请用 Excel 或 WPS 打开，另存为 CSV 或 .xlsx 后再导入"
                )));
            }
        }
        let cells: Vec<(usize, Value)> = record
            .iter()
            .map(|field| Value::text(Cow::Borrowed(field.trim())))
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if let Some((c, v)) = cells.iter().find(|(c, _)| *c >= MAX_COLUMNS) {
            return Err(ReadError::Data(too_far_right(None, r, *c, v)));
        }
        if !cells.is_empty() {
            sink.row(r, &cells).map_err(ReadError::Data)?;
        }
        r += 1;
    }
    Ok(Opened {
        encoding,
        hidden: Vec::new(),
        misnamed: None,
    })
}

/// A text file's bytes as text, with the name of its encoding when it is not UTF-8. Plain
/// UTF-8 is taken without a copy.
fn decode(bytes: Vec<u8>) -> Result<(String, Option<&'static str>), ReadError> {
    use crate::source::Encoding;
    let bytes = match String::from_utf8(bytes) {
        Ok(s) if !s.starts_with('\u{FEFF}') => return Ok((s, None)),
        Ok(s) => s.into_bytes(),
        Err(e) => e.into_bytes(),
    };
    let refuse = |line: usize| {
        ReadError::Data(format!(
            "文件不是表格，作为文本也读不出来：它既不是 UTF-8，也不是 GBK/GB18030、UTF-16 或 UTF-32 编码（第 {line} 行起无法解读）。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入"
        ))
    };
    if let Some(utf32) = crate::source::decode_utf32(&bytes) {
        return utf32.map(|s| (s, Some("UTF-32"))).map_err(|e| refuse(e.line));
    }
    let (text, encoding) = crate::source::decode(&bytes).map_err(|e| refuse(e.line))?;
    let name = match encoding {
        Encoding::Utf8 => None,
        Encoding::Gb18030 => Some("GBK/GB18030"),
        Encoding::Utf16 => Some("UTF-16"),
    };
    Ok((text, name))
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
        assert_eq!(column_letter(16383), "XFD");
        // 45366 is 2024-03-15 in Excel's 1900 date system.
        assert_eq!(excel_date(45366.0), NaiveDate::from_ymd_opt(2024, 3, 15));
        assert_eq!(excel_date(-1.0), None);
    }

    #[test]
    fn files_are_told_by_content() {
        assert!(matches!(sniff(b"PK\x03\x04rest"), Sniffed::Zip));
        assert!(matches!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Sniffed::Ole
        ));
        assert!(matches!(sniff("编号,标题\n".as_bytes()), Sniffed::Text));
        assert!(matches!(sniff(b"\xFF\xFEa\x00"), Sniffed::Text));
        let refused = |b: &[u8]| match sniff(b) {
            Sniffed::Refused(why) => why,
            _ => String::new(),
        };
        assert!(refused(b"\xEF\xBB\xBF  <html><table>").contains("网页"));
        assert!(refused(
            b"<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"
        )
        .contains("Excel 2003 XML"));
        assert!(refused(b"%PDF-1.7").contains("PDF"));
        assert!(refused(b"ab\x00\x01cd").contains("二进制"));
    }

    #[test]
    fn excel_errors_typed_as_text_are_errors() {
        assert!(matches!(Value::text(Cow::Borrowed(" #N/A ")), Value::Error(_)));
        assert!(matches!(Value::text(Cow::Borrowed("#建议")), Value::Text(_)));
        assert!(Value::text(Cow::Borrowed("  ")).is_empty());
    }
}
