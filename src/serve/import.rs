//! The import screen: an Excel or CSV ledger uploaded, read as `zongjie import` reads it, and
//! shown before anything is written: the sheet chosen, the header row found, what each column
//! is read as (a choice the user can change), and every cell that cannot be read, with its
//! sheet, row, column and text. 案件.yaml is written only on confirmation, and a file already
//! there is replaced only after a second, explicit confirmation.

use super::page::{frame, link, respond, Oops};
use super::security::{relative, resolve};
use super::{field, form_fields, param, work, State};
use crate::import::{column_letter, ColumnMap, Imported, Ledger};
use axum::body::Bytes;
use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An uploaded ledger kept (in the system's temporary folder) until it is written or
/// abandoned.
pub struct Upload {
    file: crate::fsutil::ScratchFile,
    /// The name the user's file had.
    name: String,
}

/// Uploads kept at once; the oldest go first.
const MAX_UPLOADS: usize = 8;

pub async fn show(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let rel = param(&q, "dir")?;
        let dir = resolve(&state.root, rel)?;
        let shown = if rel.is_empty() { "工作文件夹".to_owned() } else { format!("“{rel}”") };
        let body = html! {
            p { "把台账（Excel 的 .xlsx、.xls，WPS 的 .et，或 .csv）转换为案件记录，写入" (shown) "中的“案件.yaml”。写入前会先列出读到的内容，确认后才写。" }
            @if dir.join("案件.yaml").exists() {
                p.notice.warn { "这个文件夹中已有“案件.yaml”。导入后写入前会再请您确认是否替换。" }
            }
            form method="post" enctype="multipart/form-data" action=(link("/import/upload", &[("dir", rel)])) data-testid="upload-form" {
                input type="file" name="ledger" accept=".xlsx,.xls,.xlsm,.et,.csv" required data-testid="upload-file";
                " "
                button type="submit" data-testid="upload-submit" { "读取台账" }
            }
        };
        Ok(respond(frame("导入台账", &[], &body)))
    })
    .await
}

pub async fn upload(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
    mut multipart: Multipart,
) -> Response {
    let mut got = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) if f.name() == Some("ledger") => {
                let name = f.file_name().unwrap_or("台账.xlsx").to_owned();
                match f.bytes().await {
                    Ok(b) => got = Some((name, b)),
                    Err(_) => return too_big(),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return too_big(),
        }
    }
    let Some((name, bytes)) = got else {
        return Oops::bad("没有收到台账文件。请选择文件后再点“读取台账”。").into_response();
    };
    work(move || {
        let rel = param(&q, "dir")?;
        resolve(&state.root, rel)?;
        let id = super::security::new_token().map_err(|e| Oops::io(e.to_string()))?;
        let ext = Path::new(&name)
            .extension()
            .map_or_else(|| "xlsx".to_owned(), |e| e.to_string_lossy().into_owned());
        // Kept in the system's temporary folder until confirmed; removed on Ctrl+C too.
        let file = crate::fsutil::scratch_file(&std::env::temp_dir(), &format!(".{ext}"), &bytes)
            .map_err(|e| Oops::io(format!("无法保存上传的台账：{e}")))?;
        let upload = Upload { file, name };
        let page = analysis(&state, rel, &id, &upload, None, &[], None);
        let mut uploads = state
            .uploads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if uploads.len() >= MAX_UPLOADS {
            uploads.clear();
        }
        uploads.insert(id, upload);
        Ok(respond(page))
    })
    .await
}

fn too_big() -> Response {
    Oops::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "文件太大或上传中断",
        "台账文件不能超过 20 MB，上传也不能中断。请检查文件后重新上传。",
    )
    .into_response()
}

/// Reads the ledger with the user's choices.
fn read(dir: &Path, upload: &Upload, sheet: Option<&str>, maps: &[ColumnMap]) -> Result<Ledger, String> {
    // A panic of a spreadsheet reader on a damaged file is turned into a message by the
    // library. The panic hook is left alone (the command line silences it): with several
    // requests at once, swapping it would be a race.
    let unit = Ledger::unit_in_report(dir);
    Ledger::read(upload.file.path(), sheet, maps, unit.as_deref()).map_err(|e| {
        e.to_string()
            .replace(&upload.file.path().display().to_string(), &upload.name)
    })
}

/// The screen that shows what was read, with the mapping to confirm or change.
fn analysis(
    state: &State,
    rel: &str,
    id: &str,
    upload: &Upload,
    sheet: Option<&str>,
    maps: &[ColumnMap],
    notice: Option<Markup>,
) -> Markup {
    let dir = resolve(&state.root, rel).unwrap_or_else(|_| state.root.clone());
    let ledger = read(&dir, upload, sheet, maps);
    let target = dir.join("案件.yaml");
    let body = html! {
        @if let Some(n) = notice { (n) }
        p { "台账文件：" strong { (upload.name) } }
        form method="post" action=(link("/import/confirm", &[("dir", rel)])) data-testid="mapping-form" {
            input type="hidden" name="id" value=(id);
            @match &ledger {
                Err(why) => {
                    p.notice.bad data-testid="import-error" { (why) }
                    p { "若是某一列的表头没有认出，请在下面写出那一列的表头，并选择它对应的字段；也可以指定工作表。" }
                    table data-testid="manual-columns" {
                        thead { tr { th { "表头（照台账中的写）" } th { "对应的字段" } } }
                        tbody {
                            @for j in 0..3 {
                                tr {
                                    td { input type="text" name=(format!("extra_col{j}")) data-testid=(format!("extra-col-{j}")); }
                                    td { (field_select(&format!("extra_field{j}"), &format!("extra-field-{j}"), None)) }
                                }
                            }
                        }
                    }
                    label { "工作表 " input name="sheet" value=(sheet.unwrap_or("")); }
                    " " button type="submit" name="action" value="read" data-testid="reread" { "重新读取" }
                }
                Ok(l) => (summary(l, sheet, &target, &state.root))
            }
        }
    };
    frame("导入台账", &[], &body)
}

fn summary(l: &Ledger, sheet: Option<&str>, target: &Path, root: &Path) -> Markup {
    let imp: &Imported = &l.imported;
    html! {
        dl.facts data-testid="import-facts" {
            dt { "工作表" } dd data-testid="sheet" { (imp.sheet.clone().unwrap_or_else(|| "（CSV 文件，没有工作表）".into())) }
            dt { "表头在" } dd data-testid="header-row" { "第 " (imp.header_row) " 行" }
            dt { "读到的案件" } dd data-testid="record-count" { (imp.records.len()) " 件" }
            @if let Some(enc) = l.encoding { dt { "编码" } dd { (enc) "（已正确读取）" } }
        }
        @for note in &l.notes { p.notice { (note) } }
        @if imp.sheet.is_some() {
            label { "改读另一个工作表（名称或序号，不填为第一个）：" input name="sheet" value=(sheet.unwrap_or("")) data-testid="sheet-input"; }
        }
        h2 { "各列对应的字段" }
        p.muted { "程序按表头认出了各列。认错或没认出的，请在右边选择正确的字段，再点“按所选重新读取”。" }
        table data-testid="columns" {
            thead { tr { th { "列" } th { "表头" } th { "对应的字段" } } }
            tbody {
                @for (i, (header, field)) in imp.columns.iter().enumerate().filter(|(_, (h, f))| !h.is_empty() || f.is_some()) {
                    // A column with a heading the program did not recognise stands out: it may
                    // hold a field under a name of the office's own.
                    @let unmapped = field.is_none() && !header.is_empty() && !crate::import::holds_no_field(header);
                    tr.unmapped[unmapped] data-testid="column" {
                        td { (column_letter(i)) }
                        td {
                            (header) input type="hidden" name=(format!("col{i}")) value=(header);
                            @if unmapped { " " span.tag { "未认出" } }
                        }
                        td {
                            (field_select(&format!("map{i}"), &format!("map-{header}"), *field))
                        }
                    }
                }
            }
        }
        button type="submit" name="action" value="read" data-testid="reread" { "按所选重新读取" }
        @if imp.error_count > 0 {
            h2 { "无法读取的单元格（" (imp.error_count) " 处，" (imp.bad_rows.len()) " 行）" }
            table data-testid="cell-errors" {
                thead { tr { th { "工作表" } th { "行" } th { "列" } th { "字段" } th { "单元格内容" } th { "问题" } } }
                tbody {
                    @for e in &imp.errors {
                        tr data-testid="cell-error" {
                            td { (imp.sheet.clone().unwrap_or_default()) }
                            td { (e.row) }
                            td { (e.col.map(column_letter).unwrap_or_default()) " " (e.header) }
                            td { (e.field) }
                            td { code { (e.value) } }
                            td { (e.what) " " span.muted { (e.help) } }
                        }
                    }
                }
            }
            label { input type="checkbox" name="skip_bad" value="1" data-testid="skip-bad"; " 跳过这些行，只写入没有问题的行" }
        }
        h2 { "写入" }
        p { "将写入 " code { (relative(root, target)) } "。" }
        button type="submit" name="action" value="write" data-testid="write" { "确认写入案件记录" }
    }
}

/// A choice of the fields a column can be read as.
fn field_select(name: &str, testid: &str, chosen: Option<&str>) -> Markup {
    html! {
        select name=(name) data-testid=(testid) {
            option value="" selected[chosen.is_none()] { "（不导入）" }
            @for f in crate::import::mappable() {
                option value=(f) selected[chosen == Some(f)] { (f) }
            }
        }
    }
}

/// The user's choices on the mapping form: sheet and the columns they changed.
fn choices(fields: &[(String, String)], imported: Option<&Imported>) -> Vec<ColumnMap> {
    let mut maps = Vec::new();
    let columns = fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("col")?.parse::<usize>().ok()?, v)));
    for (i, header) in columns {
        let Some(chosen) = field(fields, &format!("map{i}")) else {
            continue;
        };
        let auto = imported
            .and_then(|imp| imp.columns.get(i))
            .and_then(|(_, f)| *f)
            .unwrap_or("");
        // （不导入） for a column the importer recognised: it is to be left out.
        let target = if chosen.is_empty() {
            crate::import::NOT_IMPORTED
        } else {
            chosen
        };
        if chosen != auto && !(chosen.is_empty() && auto.is_empty()) {
            if let Ok(m) = format!("{header}={target}").parse::<ColumnMap>() {
                maps.push(m);
            }
        }
    }
    // Columns named by hand, when the ledger could not be read at all.
    for j in 0..3 {
        let header = field(fields, &format!("extra_col{j}")).map_or("", str::trim);
        let chosen = field(fields, &format!("extra_field{j}")).unwrap_or("");
        if !header.is_empty() && !chosen.is_empty() {
            if let Ok(m) = format!("{header}={chosen}").parse::<ColumnMap>() {
                maps.push(m);
            }
        }
    }
    maps
}

pub async fn confirm(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    work(move || confirm_in(&state, &q, &body)).await
}

fn confirm_in(state: &State, q: &HashMap<String, String>, body: &[u8]) -> Result<Response, Oops> {
    let rel = param(q, "dir")?;
    let dir = resolve(&state.root, rel)?;
    let fields = form_fields(body);
    let id = field(&fields, "id").unwrap_or_default().to_owned();
    let uploads = state
        .uploads
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(upload) = uploads.get(&id) else {
        return Err(Oops::new(
            StatusCode::GONE,
            "上传的台账已不在",
            "服务重新启动过，或上传了太多文件，这份台账已被清除。请重新上传。",
        ));
    };
    let sheet = field(&fields, "sheet").map(str::trim).filter(|s| !s.is_empty());
    // The columns as first read, to tell which choices the user changed.
    let first = read(&dir, upload, sheet, &[]).ok();
    let maps = choices(&fields, first.as_ref().map(|l| &l.imported));
    let action = field(&fields, "action").unwrap_or("read");
    if action != "write" {
        return Ok(respond(analysis(state, rel, &id, upload, sheet, &maps, None)));
    }
    let ledger = read(&dir, upload, sheet, &maps).map_err(Oops::bad)?;
    let imported = &ledger.imported;
    if imported.error_count > 0 && field(&fields, "skip_bad").is_none() {
        let notice = html! { p.notice.bad data-testid="notice" { "台账中有无法读取的单元格，没有写入。请改正台账后重新上传，或勾选“跳过这些行”后再确认。" } };
        return Ok(respond(analysis(
            state,
            rel,
            &id,
            upload,
            sheet,
            &maps,
            Some(notice),
        )));
    }
    let target = dir.join("案件.yaml");
    if target.exists() && field(&fields, "overwrite") != Some("1") {
        return Ok(respond(ask_overwrite(state, rel, &target, &fields)));
    }
    let yaml = imported
        .to_yaml(&upload.name)
        .map_err(|e| Oops::io(format!("无法生成案件记录：{e}")))?;
    crate::fsutil::write_atomic(&target, yaml.as_bytes())
        .map_err(|e| Oops::io(crate::import::ImportError::write(&target, &e).to_string()))?;
    let count = imported.records.len();
    let report: Option<PathBuf> = Some(dir.join("报告.yaml")).filter(|p| p.is_file());
    drop(uploads);
    state
        .uploads
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .remove(&id);
    let body = html! {
        p.notice data-testid="written" { "已写入 " code { (relative(&state.root, &target)) } "，共 " (count) " 件案件。" }
        @if let Some(r) = report {
            p { a.button href=(link("/report", &[("p", &relative(&state.root, &r))])) { "打开这份报告" } }
        }
        p { a href="/" { "返回文件夹" } }
    };
    Ok(respond(frame("导入完成", &[], &body)))
}

/// The second confirmation before an existing 案件.yaml is replaced: the same choices, sent
/// again with `overwrite=1`.
fn ask_overwrite(state: &State, rel: &str, target: &Path, fields: &[(String, String)]) -> Markup {
    let written = std::fs::File::open(target).and_then(Imported::written_by_import);
    let why = match written {
        Ok(Some(true)) => "是以前导入的，导入后没有改动过",
        Ok(Some(false)) => "是以前导入的，但导入后有改动，替换后这些改动会丢失",
        _ => "不是导入写出的，可能是手工填写的，替换后其中的内容会丢失",
    };
    let body = html! {
        p.notice.warn data-testid="overwrite-question" { "“" (relative(&state.root, target)) "”已存在，" (why) "。确定要用这次导入的内容替换它吗？" }
        form method="post" action=(link("/import/confirm", &[("dir", rel)])) {
            @for (k, v) in fields {
                @if k != "overwrite" { input type="hidden" name=(k) value=(v); }
            }
            input type="hidden" name="overwrite" value="1";
            button type="submit" data-testid="overwrite-confirm" { "确定替换" }
            " "
            a href="/" { "不替换，返回" }
        }
    };
    frame("替换已有的案件记录？", &[], &body)
}
