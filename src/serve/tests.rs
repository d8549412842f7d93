//! The server driven in-process (tower's `oneshot`): the guards, the paths, and each screen
//! on copies of the examples in data/.

use super::{router, State};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const PORT: u16 = 4321;
const HOST: &str = "127.0.0.1:4321";

/// A copy of data/ in a temporary folder, and the router serving it.
fn served() -> (tempfile::TempDir, PathBuf, Router) {
    let tmp = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    copy_dir(&data, tmp.path());
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let app = router(Arc::new(State::new(root.clone(), TOKEN.into(), PORT)));
    (tmp, root, app)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn run(app: &Router, req: Request<Body>) -> Reply {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        Reply {
            status,
            headers,
            body: body.to_vec(),
        }
    })
}

fn get(app: &Router, uri: &str) -> Reply {
    let req = Request::get(encode(uri))
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    run(app, req)
}

fn post(app: &Router, uri: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let req = Request::post(encode(uri))
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    run(app, req)
}

fn post_form(app: &Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    post(app, uri, "application/x-www-form-urlencoded", body.into_bytes())
}

/// A URI with its non-ASCII characters percent-encoded, as a browser sends it.
fn encode(uri: &str) -> String {
    uri.bytes()
        .map(|b| {
            if b.is_ascii() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The form's version token on a report page.
fn version(page: &str) -> String {
    let at = page.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    page[at..at + 16].to_owned()
}

#[test]
fn a_missing_or_wrong_token_is_refused() {
    let (_tmp, _, app) = served();
    let req = Request::get("/")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let r = run(&app, req);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("终端"), "{}", r.text());
    let req = Request::get("/?token=ffff")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
    // Only the stylesheet and the script are served without it (the refusal page uses them).
    let req = Request::get("/assets/app.css")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::OK);
    let req = Request::get("/figures?p=minzhengju%2F%E6%8A%A5%E5%91%8A.yaml")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
    let req = Request::get("/")
        .header(header::HOST, HOST)
        .header(
            header::COOKIE,
            format!("zongjie_{PORT}=00000000000000000000000000000000"),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
}

#[test]
fn the_token_in_the_address_becomes_a_strict_http_only_cookie() {
    let (_tmp, _, app) = served();
    let req = Request::get(format!("/report?p=x&token={TOKEN}"))
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let r = run(&app, req);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/report?p=x");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains(TOKEN) && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
}

#[test]
fn another_host_name_is_refused() {
    let (_tmp, _, app) = served();
    for host in ["evil.example:4321", "127.0.0.1:80", "localhost"] {
        let req = Request::get("/")
            .header(header::HOST, host)
            .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN, "{host}");
    }
    let req = Request::get("/")
        .header(header::HOST, "localhost:4321")
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::OK);
}

#[test]
fn a_post_from_another_site_is_refused() {
    let (_tmp, root, app) = served();
    let req = Request::post("/new")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=x"))
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
    let req = Request::post("/new")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .body(Body::from("name=x"))
        .unwrap();
    assert_eq!(
        run(&app, req).status,
        StatusCode::FORBIDDEN,
        "no Origin, no Sec-Fetch-Site"
    );
    assert!(!root.join("x").exists());
}

#[test]
fn paths_outside_the_folder_are_refused() {
    let (tmp, root, app) = served();
    for p in [
        "../etc/passwd",
        "minzhengju/../../x",
        "/etc/passwd",
        "C:/Windows",
        "a\\..\\b",
    ] {
        let r = get(&app, &format!("/report?p={}", p.replace('/', "%2F")));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{p}: {}", r.text());
        assert!(r.text().contains("工作文件夹"), "{}", r.text());
    }
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("报告.yaml"), "单位: 甲\n年度: 2024\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
        let r = get(&app, "/report?p=link%2F报告.yaml");
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        assert!(r.text().contains("链接"), "{}", r.text());
    }
    drop(tmp);
}

#[test]
fn the_folder_lists_the_reports_and_the_compilation() {
    let (_tmp, _, app) = served();
    let r = get(&app, "/");
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    for (path, unit) in [
        ("minzhengju/报告.yaml", "江城市民政局"),
        ("qingshanqu/报告.yaml", ""),
        ("huibian/汇编.yaml", "江城市人民政府办公室"),
    ] {
        assert!(page.contains(&format!("data-path=\"{path}\"")), "{path}");
        assert!(page.contains(unit));
    }
    assert!(
        page.contains("<td>江城市民政局2024年建议提案办理工作总结</td>"),
        "a report without 标题 is listed with the title its template gives"
    );
}

#[test]
fn a_new_report_is_the_example_and_never_replaces_a_folder() {
    let (_tmp, root, app) = served();
    let r = post_form(&app, "/new", &[("name", "新报告")]);
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let written = std::fs::read_to_string(root.join("新报告/报告.yaml")).unwrap();
    assert_eq!(written, crate::init::EXAMPLE_FILES[0].1);
    let r = post_form(&app, "/new", &[("name", "新报告")]);
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = post_form(&app, "/new", &[("name", "../外面")]);
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[test]
fn saving_a_field_changes_that_value_only_and_keeps_the_comments() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml");
    assert_eq!(page.status, StatusCode::OK);
    let v = version(&page.text());
    let r = post_form(
        &app,
        "/report/save?p=minzhengju%2F报告.yaml",
        &[
            ("version", &v),
            ("单位", "江城市民政局办公室"),
            ("年度", "2024"),
            (
                "json:统计",
                r#"{"党组会议":"2","调研":"6","督办检查":"3","面商会":"4"}"#,
            ),
        ],
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("已保存：单位"), "{}", r.text());
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        before.replace("单位: 江城市民政局\n", "单位: 江城市民政局办公室\n")
    );
    assert!(after.contains("# 与市政府办公室交办通知核对"));
    assert!(!root.join("minzhengju/报告.yaml.bak").exists());
}

#[test]
fn an_item_list_is_saved_and_the_problems_are_shown_after() {
    let (_tmp, root, app) = served();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    let items = r#"["自动", {"标题": "新问题", "内容": "引用{{ 不存在的数 }}。"}]"#;
    let r = post_form(
        &app,
        "/report/save?p=minzhengju%2F报告.yaml",
        &[("version", &version(&page)), ("json:存在问题", items)],
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = std::fs::read_to_string(root.join("minzhengju/报告.yaml")).unwrap();
    assert!(
        text.contains("存在问题:\n  - 自动\n  - 标题: 新问题\n    内容: 引用{{ 不存在的数 }}。\n"),
        "{text}"
    );
    let html = r.text();
    assert!(
        html.contains("data-field=\"存在问题\""),
        "the unknown name is tied to its field: {html}"
    );
    assert!(html.contains("#field-存在问题"));
}

#[test]
fn a_file_changed_on_disk_since_the_form_was_loaded_is_not_overwritten() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("年度: 2024", "年度: 2025");
    std::fs::write(&file, &edited).unwrap();
    let r = post_form(
        &app,
        "/report/save?p=minzhengju%2F报告.yaml",
        &[("version", &version(&page)), ("单位", "别的单位")],
    );
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("被改动过"), "{}", r.text());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
}

#[test]
fn build_writes_the_outputs_and_download_gives_the_same_pdf_and_docx() {
    let (_tmp, root, app) = served();
    let r = post_form(&app, "/build?p=minzhengju%2F报告.yaml", &[]);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let dir = root.join("minzhengju");
    let title = "江城市民政局2024年建议提案办理工作总结";
    assert!(dir.join(format!("{title}.docx")).is_file());
    assert!(dir.join(format!("{title}.pdf")).is_file());
    let r = get(&app, "/download?p=minzhengju%2F报告.yaml&f=pdf");
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"%PDF"));
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"));
    assert!(
        disposition.contains("filename*=UTF-8''%E6%B1%9F%E5%9F%8E"),
        "{disposition}"
    );
    // The same bytes as the files built into the folder: one pipeline, deterministic.
    assert_eq!(r.body, std::fs::read(dir.join(format!("{title}.pdf"))).unwrap());
    let r = get(&app, "/download?p=minzhengju%2F报告.yaml&f=docx");
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains(".docx"));
    assert_eq!(r.body, std::fs::read(dir.join(format!("{title}.docx"))).unwrap());
    let r = get(&app, "/preview?p=minzhengju%2F报告.yaml");
    let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(facts["ok"], true);
    assert!(facts["pages"].as_u64().unwrap() >= 2);
}

#[test]
fn a_report_with_errors_is_not_built_and_says_why() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("总数: 34", "总数: 35");
    std::fs::write(&file, text).unwrap();
    let r = post_form(&app, "/build?p=minzhengju%2F报告.yaml", &[]);
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("检查结果"));
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    assert!(page.contains("核对不符"), "{page}");
    assert!(page.contains("data-field=\"核对\""));
}

#[test]
fn the_figures_screen_draws_its_charts_and_the_checks() {
    let (_tmp, _, app) = served();
    let r = get(&app, "/figures?p=minzhengju%2F报告.yaml");
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    for id in [
        "chart-results",
        "chart-units",
        "chart-topics",
        "checks",
        "figure-table",
    ] {
        assert!(page.contains(&format!("data-testid=\"{id}\"")), "{id}");
    }
    assert!(page.contains("<svg"));
    assert_eq!(page.matches("相符").count(), 5, "the five 核对 entries match");
}

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
fn the_compilation_keeps_its_order_as_saved() {
    let (_tmp, root, app) = served();
    let page = get(&app, "/compilation?p=huibian%2F汇编.yaml").text();
    // Each 篇 checked, its report named from the served folder, not the server's own place.
    assert!(
        page.contains("篇一（minzhengju/报告.yaml）：共 34 件案件"),
        "{page}"
    );
    assert!(
        !page.contains(root.to_str().unwrap()),
        "no absolute path on the page"
    );
    let r = post_form(
        &app,
        "/compilation/save?p=huibian%2F汇编.yaml",
        &[
            ("version", &version(&page)),
            ("标题", "江城市2024年建议提案办理工作总结汇编"),
            ("编者", "江城市人民政府办公室"),
            ("日期", "2025年1月10日"),
            ("篇目", "../renda"),
            ("篇目", "../minzhengju"),
            ("篇目", "../qingshanqu"),
            ("目录", "否"),
        ],
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = std::fs::read_to_string(root.join("huibian/汇编.yaml")).unwrap();
    assert!(text.starts_with("# 示例"), "the comment stays: {text}");
    assert!(
        text.ends_with("篇目:\n  - ../renda\n  - ../minzhengju\n  - ../qingshanqu\n目录: 否\n"),
        "{text}"
    );
}

#[test]
fn the_preview_shows_unsaved_values_and_leaves_the_file_alone() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let r = post_form(&app, "/preview?p=minzhengju%2F报告.yaml", &[("附表", "是")]);
    let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(facts["ok"], true, "{facts}");
    let with_tables = facts["pages"].as_u64().unwrap();
    // The pages of the unsaved version, drawn from its kept layout; none past the last.
    let page = |n: u64| get(&app, &format!("{}&n={n}", facts["page"].as_str().unwrap()));
    let last = page(with_tables - 1);
    assert_eq!(last.status, StatusCode::OK);
    assert_eq!(last.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(
        String::from_utf8_lossy(&last.body).contains("<svg"),
        "an SVG page"
    );
    assert_eq!(page(with_tables).status, StatusCode::NOT_FOUND);
    // The saved version's preview takes its place.
    let saved: serde_json::Value =
        serde_json::from_slice(&get(&app, "/preview?p=minzhengju%2F报告.yaml").body).unwrap();
    let saved_pages = saved["pages"].as_u64().unwrap();
    assert!(with_tables > saved_pages, "the appendix adds pages");
    assert_eq!(page(saved_pages - 1).status, StatusCode::OK);
    assert_eq!(page(saved_pages).status, StatusCode::NOT_FOUND);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    let left: Vec<_> = std::fs::read_dir(root.join("minzhengju"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "the temporary file is gone");
    let r = post_form(&app, "/preview?p=minzhengju%2F报告.yaml", &[("年度", "")]);
    let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(facts["ok"], false);
    assert!(facts["message"].as_str().unwrap().contains("年度"), "{facts}");
}

#[test]
fn the_phrase_library_is_offered_with_the_figures_filled_in() {
    let (_tmp, _, app) = served();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    let at = page.find("id=\"phrases\">").unwrap();
    let script = &page[at..];
    let json = &script[script.find('>').unwrap() + 1..script.find("</script>").unwrap()];
    let phrases: serde_json::Value = serde_json::from_str(json).unwrap();
    let text = phrases["压实办理责任"].as_str().unwrap();
    assert!(
        text.starts_with("压实办理责任。交办任务下达后，先后召开2次党组会议"),
        "{text}"
    );
}

#[test]
fn the_frameworks_own_refusals_are_pages_in_chinese() {
    let (_tmp, root, app) = served();
    let big = "x".repeat(2 << 20);
    let r = post_form(&app, "/report/save?p=minzhengju%2F报告.yaml", &[("导语", &big)]);
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("提交的内容太大"), "{}", r.text());
    assert!(!std::fs::read_to_string(root.join("minzhengju/报告.yaml"))
        .unwrap()
        .contains("xxx"));
    let r = get(&app, "/no-such-page");
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("没有这个页面"));
    let r = get(&app, "/report/save?p=x");
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.text().contains("不支持这种请求"));
}

#[test]
fn the_whole_form_sent_back_unchanged_writes_nothing() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let text =
        std::fs::read_to_string(&file).unwrap() + "导语: |\n  2024年，我局认真办理建议提案。\n附表: true\n";
    std::fs::write(&file, &text).unwrap();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    // As the page's script sends it: every field, texts trimmed, yes/no as 是/否.
    let mut fields = vec![("version".to_owned(), version(&page))];
    for (key, _, node) in super::yaml_edit::top_level(&text).unwrap() {
        let v = super::yaml_edit::to_json(&node);
        match v {
            serde_json::Value::String(s) if key == "附表" => {
                fields.push((key, if s == "true" { "是".into() } else { s }));
            }
            serde_json::Value::String(s) => fields.push((key, s.trim().to_owned())),
            other => fields.push((format!("json:{key}"), other.to_string())),
        }
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post_form(&app, "/report/save?p=minzhengju%2F报告.yaml", &fields);
    assert!(r.text().contains("没有改动，无需保存"), "{}", r.text());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_panic_in_a_handler_is_a_page_and_the_server_goes_on() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let resp = rt.block_on(super::blocking(|| panic!("a bug in the pipeline")));
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = rt
        .block_on(axum::body::to_bytes(resp.into_body(), usize::MAX))
        .unwrap();
    assert!(String::from_utf8_lossy(&body).contains("服务仍在运行"));
    let (_tmp, _, app) = served();
    assert_eq!(get(&app, "/").status, StatusCode::OK);
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
fn a_problem_in_a_case_names_the_case() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/案件.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let first = text.find("满意度: 满意\n").expect("a 满意度 to spoil");
    let spoiled = format!(
        "{}满意度: 很满意\n{}",
        &text[..first],
        &text[first + "满意度: 满意\n".len()..]
    );
    std::fs::write(&file, spoiled).unwrap();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    let at = page.find("很满意").expect("the problem is shown");
    let start = page[..at].rfind("<li").unwrap();
    let around = &page[start..start + page[start..].find("</li>").unwrap()];
    assert!(
        around.contains("（案件.yaml 第") && around.contains("案件 建议"),
        "{around}"
    );
    assert!(
        !around.contains("满意度: 很满意"),
        "no line of the file: {around}"
    );
}

#[test]
fn the_year_chart_shows_the_earlier_years_last_year_and_this_one() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let text = std::fs::read_to_string(&file).unwrap() + "上年: {总数: 30}\n历年:\n  2022: {总数: 25}\n";
    std::fs::write(&file, text).unwrap();
    let page = get(&app, "/figures?p=minzhengju%2F报告.yaml").text();
    let chart = &page[page.find("data-testid=\"chart-yoy\"").expect("the year chart")..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    let (a, b, c) = (
        chart.find("2022年").unwrap(),
        chart.find("2023年").unwrap(),
        chart.find("2024年").unwrap(),
    );
    assert!(a < b && b < c, "{chart}");
}

#[test]
fn the_preview_says_what_changed_since_the_last_build() {
    let (_tmp, root, app) = served();
    let facts = |r: Reply| -> serde_json::Value { serde_json::from_slice(&r.body).unwrap() };
    let before = facts(get(&app, "/preview?p=minzhengju%2F报告.yaml"));
    assert_eq!(before["changes"]["built"], false, "{before}");
    assert_eq!(
        post_form(&app, "/build?p=minzhengju%2F报告.yaml", &[]).status,
        StatusCode::OK
    );
    let same = facts(get(&app, "/preview?p=minzhengju%2F报告.yaml"));
    assert_eq!(same["changes"]["built"], true, "{same}");
    assert!(
        same["changes"]["figures"].as_array().unwrap().is_empty(),
        "{same}"
    );
    // The one 基本满意 turned 满意 since: a figure and the sentences that give it change.
    let cases = root.join("minzhengju/案件.yaml");
    let text = std::fs::read_to_string(&cases).unwrap();
    let changed = text.replacen("  满意度: 基本满意", "  满意度: 满意", 1);
    assert_ne!(changed, text, "the example has a case 基本满意");
    std::fs::write(&cases, changed).unwrap();
    let after = facts(get(&app, "/preview?p=minzhengju%2F报告.yaml"));
    let figures = after["changes"]["figures"].as_array().unwrap();
    assert!(
        figures
            .iter()
            .any(|f| f["name"].as_str().unwrap().contains("满意")),
        "{after}"
    );
}

#[test]
fn a_file_the_data_names_outside_the_folder_is_not_read() {
    let (_tmp, root, app) = served();
    // A case file beside the served folder, not in it, with a line that must not be shown.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("案件.yaml");
    std::fs::write(&secret, "- 编号: 不应显示的内容\n  标题: 机密\n").unwrap();
    let by_dots = pathdiff(&secret, &root.join("minzhengju"));
    for named in [by_dots.as_str(), secret.to_str().unwrap()] {
        let r = post_form(&app, "/preview?p=minzhengju%2F报告.yaml", &[("案件", named)]);
        let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(facts["ok"], false, "{named}: {facts}");
        let message = facts["message"].as_str().unwrap();
        assert!(message.contains("不在所打开的文件夹中"), "{named}: {message}");
        assert!(!message.contains("不应显示"), "{named}: {message}");
    }
    // A link inside the folder that leads out is the same.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, root.join("minzhengju/链接.yaml")).unwrap();
        let r = post_form(
            &app,
            "/preview?p=minzhengju%2F报告.yaml",
            &[("案件", "链接.yaml")],
        );
        let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert!(
            facts["message"]
                .as_str()
                .unwrap()
                .contains("不在所打开的文件夹中"),
            "{facts}"
        );
    }
}

/// `to` written relative to the folder `from` (`../../…/to`).
fn pathdiff(to: &Path, from: &Path) -> String {
    let ups = from.components().count();
    let mut s = "../".repeat(ups);
    s.push_str(to.strip_prefix("/").unwrap().to_str().unwrap());
    s
}

#[test]
fn a_report_saved_in_gbk_is_written_as_utf8_and_the_page_says_so() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&before);
    std::fs::write(&file, &gbk).unwrap();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    let r = post_form(
        &app,
        "/report/save?p=minzhengju%2F报告.yaml",
        &[("version", &version(&page)), ("单位", "江城市民政局办公室")],
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("原文件是 GBK 编码，已改存为 UTF-8 编码"),
        "{}",
        r.text()
    );
    let after = std::fs::read_to_string(&file).expect("UTF-8 now");
    assert_eq!(
        after,
        before.replace("单位: 江城市民政局\n", "单位: 江城市民政局办公室\n")
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

#[test]
fn a_yes_no_value_the_pipeline_refuses_is_shown_as_written_not_as_yes() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let text = std::fs::read_to_string(&file).unwrap() + "附表: 对\n";
    std::fs::write(&file, &text).unwrap();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    assert!(
        page.contains("<option value=\"对\" selected>对（无效，请改为“是”或“否”）</option>"),
        "{page}"
    );
    assert!(
        !page.contains("<option value=\"是\" selected>"),
        "not shown as 是"
    );
    // Sent back as shown, it is not changed behind the user's back.
    let r = post_form(
        &app,
        "/report/save?p=minzhengju%2F报告.yaml",
        &[("version", &version(&page)), ("附表", "对")],
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}
