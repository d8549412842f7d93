//! Build and download, the figures screen, and the preview (unsaved values, SVG pages, what
//! changed since the last build).

use super::*;

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
