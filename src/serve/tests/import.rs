//! Importing a ledger: what is shown before anything is written, the mapping, and the
//! confirmations.

use super::*;

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----zongjie-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"ledger\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The hidden id of an upload on the mapping page.
fn upload_id(page: &str) -> String {
    let at = page.find("name=\"id\" value=\"").unwrap() + "name=\"id\" value=\"".len();
    page[at..at + 32].to_owned()
}

#[test]
fn an_imported_csv_is_shown_and_written_only_on_confirmation() {
    let (_tmp, root, app) = served();
    std::fs::create_dir(root.join("新")).unwrap();
    let csv = "编号,类别,题目名,承办方式,承办单位,备忘\n建议第1号,建议,关于公交的建议,主办,本局,甲\n建议第2号,建议,关于路灯的建议,主办,本局,乙\n";
    let (ct, body) = multipart("台账.csv", csv.as_bytes());
    let r = post(&app, "/import/upload?dir=%E6%96%B0", &ct, body);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    // 题目名 is not a header the importer knows: no 标题 column, and the user names it.
    assert!(page.contains("找不到“标题”列"), "{page}");
    assert!(
        !page.contains("--map"),
        "the page has its own way to name a column: {page}"
    );
    assert!(page.contains("data-testid=\"manual-columns\""), "{page}");
    let id = upload_id(&page);
    let r = post_form(
        &app,
        "/import/confirm?dir=%E6%96%B0",
        &[
            ("id", &id),
            ("action", "read"),
            ("extra_col0", "题目名"),
            ("extra_field0", "标题"),
        ],
    );
    let page = r.text();
    assert!(page.contains("第 1 行"), "header row: {page}");
    assert!(
        page.contains("<option value=\"标题\" selected>"),
        "题目名 read as 标题: {page}"
    );
    assert!(page.contains("data-testid=\"map-备忘\""), "{page}");
    assert!(
        !root.join("新/案件.yaml").exists(),
        "nothing written before confirmation"
    );
    // 备忘 was not recognised either: the user maps it to 备注 in the table, and writes.
    let mut fields: Vec<(String, String)> =
        vec![("id".into(), id.clone()), ("action".into(), "write".into())];
    for (i, h) in ["编号", "类别", "题目名", "承办方式", "承办单位", "备忘"]
        .iter()
        .enumerate()
    {
        let f = match *h {
            "题目名" => "标题",
            "备忘" => "备注",
            other => other,
        };
        fields.push((format!("col{i}"), (*h).to_owned()));
        fields.push((format!("map{i}"), f.to_owned()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post_form(&app, "/import/confirm?dir=%E6%96%B0", &fields);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("共 2 件案件"), "{}", r.text());
    let yaml = std::fs::read_to_string(root.join("新/案件.yaml")).unwrap();
    assert!(
        yaml.contains("标题: 关于公交的建议") && yaml.contains("备注: 甲"),
        "{yaml}"
    );
}

#[test]
fn an_import_over_an_existing_file_asks_twice() {
    let (_tmp, root, app) = served();
    let target = root.join("minzhengju/案件.yaml");
    let before = std::fs::read_to_string(&target).unwrap();
    let csv = "编号,类别,标题,承办方式\n建议第1号,建议,关于公交的建议,主办\n";
    let (ct, body) = multipart("台账.csv", csv.as_bytes());
    let page = post(&app, "/import/upload?dir=minzhengju", &ct, body).text();
    let id = upload_id(&page);
    let r = post_form(
        &app,
        "/import/confirm?dir=minzhengju",
        &[("id", &id), ("action", "write")],
    );
    assert!(r.text().contains("overwrite-question"), "{}", r.text());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before);
    let r = post_form(
        &app,
        "/import/confirm?dir=minzhengju",
        &[("id", &id), ("action", "write"), ("overwrite", "1")],
    );
    assert!(r.text().contains("共 1 件案件"), "{}", r.text());
    assert_ne!(std::fs::read_to_string(&target).unwrap(), before);
}

#[test]
fn an_xlsx_ledger_shows_its_sheet_header_row_and_unreadable_cells() {
    let (_tmp, root, app) = served();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("台账").unwrap();
    ws.write(0, 0, "2024年建议提案办理台账").unwrap();
    for (c, h) in ["编号", "类别", "标题", "承办方式"].iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (c, v) in ["建议第1号", "建议", "关于公交的建议", "主办"].iter().enumerate() {
        ws.write(2, c as u16, *v).unwrap();
    }
    for (c, v) in ["建议第2号", "建意", "关于路灯的建议", "主办"].iter().enumerate() {
        ws.write(3, c as u16, *v).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let (ct, body) = multipart("台账.xlsx", &bytes);
    let r = post(&app, "/import/upload?dir=minzhengju", &ct, body);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(page.contains("data-testid=\"sheet\">台账<"), "{page}");
    assert!(page.contains("data-testid=\"header-row\">第 2 行"), "{page}");
    let row = &page[page
        .find("data-testid=\"cell-error\"")
        .expect("the bad cell is listed")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td>4</td>") && row.contains("B") && row.contains("建意"),
        "{row}"
    );
    // Confirming without skipping the bad row writes nothing.
    let id = upload_id(&page);
    let before = std::fs::read_to_string(root.join("minzhengju/案件.yaml")).unwrap();
    let r = post_form(
        &app,
        "/import/confirm?dir=minzhengju",
        &[("id", &id), ("action", "write"), ("overwrite", "1")],
    );
    assert!(r.text().contains("没有写入"), "{}", r.text());
    assert_eq!(
        std::fs::read_to_string(root.join("minzhengju/案件.yaml")).unwrap(),
        before
    );
}

#[test]
fn a_recognised_column_set_to_not_imported_is_left_out() {
    let (_tmp, root, app) = served();
    std::fs::create_dir(root.join("新")).unwrap();
    let csv = "编号,类别,标题,承办方式,满意度\n建议第1号,建议,关于公交的建议,主办,满意\n";
    let (ct, body) = multipart("台账.csv", csv.as_bytes());
    let page = post(&app, "/import/upload?dir=%E6%96%B0", &ct, body).text();
    assert!(
        page.contains("<option value=\"满意度\" selected>"),
        "recognised: {page}"
    );
    let id = upload_id(&page);
    // Every column as it was read, but 满意度 set to （不导入）.
    let mut fields: Vec<(String, String)> = vec![("id".into(), id), ("action".into(), "write".into())];
    for (i, h) in ["编号", "类别", "标题", "承办方式", "满意度"].iter().enumerate() {
        let chosen = if *h == "满意度" { "" } else { h };
        fields.push((format!("col{i}"), (*h).to_owned()));
        fields.push((format!("map{i}"), chosen.to_owned()));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post_form(&app, "/import/confirm?dir=%E6%96%B0", &pairs);
    assert!(r.text().contains("共 1 件案件"), "{}", r.text());
    let written = std::fs::read_to_string(root.join("新/案件.yaml")).unwrap();
    assert!(!written.contains("满意度"), "{written}");
    assert!(written.contains("标题: 关于公交的建议"), "{written}");
}
