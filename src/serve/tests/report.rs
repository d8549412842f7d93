//! The folder, the report form (saving in place, conflicts, encodings, yes/no), its problems
//! and phrases, and the 汇编's order.

use super::*;

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
fn the_whole_form_sent_back_unchanged_writes_nothing() {
    let (_tmp, root, app) = served();
    let file = root.join("minzhengju/报告.yaml");
    let text =
        std::fs::read_to_string(&file).unwrap() + "导语: |\n  2024年，我局认真办理建议提案。\n附表: true\n";
    std::fs::write(&file, &text).unwrap();
    let page = get(&app, "/report?p=minzhengju%2F报告.yaml").text();
    // As the page's script sends it: every field, texts trimmed, yes/no as 是/否.
    let mut fields = vec![("version".to_owned(), version(&page))];
    for (key, _, node) in crate::serve::yaml_edit::top_level(&text).unwrap() {
        let v = crate::serve::yaml_edit::to_json(&node);
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
