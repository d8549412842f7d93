//! Issue 17's acceptance in a real browser: `zongjie serve` driven through chromedriver and
//! headless Chromium as an office clerk uses it — the folder, a new report, an Excel ledger
//! imported with its unknown column mapped and its bad row skipped, an item edited and saved,
//! the preview's page count and the figures following the data, the PDF downloaded and read
//! back, and the refusals for a wrong token and a `..` path. Each screen is photographed into
//! `target/screenshots/` for people to look at.
//!
//! It needs Debian's `chromium` and `chromium-driver`, so plain `cargo test` skips it;
//! `.ci/run` installs them and runs `cargo test --test browser -- --ignored`.

mod driver;
#[path = "../cli/common/files.rs"]
mod files;
#[path = "../cli/common/pdf.rs"]
mod pdf;

use driver::*;
use files::copy_dir;

use fantoccini::{Client, Locator};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The scenarios in the first browser, start to close (a passing run takes about ten seconds).
const ALL: Duration = Duration::from_secs(90);

/// The ledger's header, on its second row.
#[rustfmt::skip]
const HEADER: [&str; 10] = [
    "序号", "建议编号", "案由", "领衔代表", "主办/协办", "承办科室", "交办时间", "答复时间", "答复类别", "群众评价",
];

/// The ledger's cases, from column B: 编号, 案由, 领衔代表, 主办/协办, 承办科室, 交办时间,
/// 答复时间, 答复类别, 群众评价. The third has a 交办时间 no calendar has.
#[rustfmt::skip]
const ROWS: [[&str; 9]; 5] = [
    ["建议第101号", "关于增设社区老年食堂的建议", "王某某", "主办", "养老服务科", "2024/3/8", "2024/5/10", "A", "满意"],
    ["提案第202号", "关于加强困难群众临时救助的提案", "李某某", "主办", "社会救助科", "2024/3/8", "2024/6/3", "B", "基本满意"],
    ["建议第103号", "关于规范殡葬服务收费的建议", "赵某某", "主办", "社会事务科", "2024-02-30", "2024/5/20", "A", "满意"],
    ["提案第204号", "关于支持社会组织参与基层治理的提案", "陈某某", "协办", "基层政权科", "2024/3/8", "2024/4/20", "", ""],
    ["建议第105号", "关于完善儿童福利机构设施的建议", "周某某", "主办", "儿童福利科", "2024/3/8", "2024/5/30", "A", "满意"],
];

/// The ledger an office would bring: a title row, the header on row 2, a satisfaction column
/// under a header no list knows (群众评价, J), and an impossible date in row 5 (G).
fn ledger(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("办理台账").unwrap();
    ws.merge_range(0, 0, 0, 9, "江城市民政局2024年建议提案办理台账", &Format::new())
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, r) in ROWS.iter().enumerate() {
        let row = i as u32 + 2;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        for (c, v) in r.iter().enumerate() {
            ws.write_string(row, c as u16 + 1, *v).unwrap();
        }
    }
    // One 交办时间 as a real Excel date, as most ledgers have them.
    ws.write_datetime_with_format(2, 6, ExcelDateTime::from_ymd(2024, 3, 8).unwrap(), &date)
        .unwrap();
    wb.save(path).unwrap();
}

/// From the figures screen back to the report, by its link.
async fn back_to_report(c: &Client) {
    let back = c
        .find(Locator::LinkText("返回报告"))
        .await
        .expect("a link back to the report");
    click_to_next_page(c, &back).await;
    find(c, "[data-testid=report-form]").await;
}

/// The value of a named figure on the figures screen.
async fn figure(c: &Client, name: &str) -> String {
    let xpath = format!("//section[@data-testid='figure-table']//tr[td[1]='{name}']/td[2]");
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no figure {name}: {e}"))
        .text()
        .await
        .expect("text")
}

/// The preview's page count once it shows one that `ok` accepts, and its text.
async fn page_count(c: &Client, what: &str, ok: impl Fn(u32, &str) -> bool) -> (u32, String) {
    let start = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css("#preview [data-testid=page-count]")).await {
            let pages = e
                .attr("data-pages")
                .await
                .ok()
                .flatten()
                .and_then(|p| p.parse().ok());
            let text = e.text().await.unwrap_or_default();
            if let Some(n) = pages.filter(|n| ok(*n, &text)) {
                return (n, text);
            }
        }
        if start.elapsed() > WAIT {
            let shown = match c.find(Locator::Css("#preview")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(e) => e.to_string(),
            };
            panic!("waited {WAIT:?} for {what}; the preview shows: {shown}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it"]
fn an_office_year_end_in_the_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temp dir");
    let dir = work.path().join("总结");
    copy_dir(&root.join("data/minzhengju"), &dir.join("minzhengju"));
    copy_dir(&root.join("data/qingshanqu"), &dir.join("qingshanqu"));
    std::fs::create_dir_all(dir.join("汇编")).unwrap();
    std::fs::write(
        dir.join("汇编/汇编.yaml"),
        "标题: 江城市2024年建议提案办理工作总结汇编\n编者: 江城市人民政府办公室\n日期: 2025年1月10日\n篇目:\n  - ../minzhengju\n  - ../qingshanqu\n",
    )
    .unwrap();
    let xlsx = work.path().join("办理台账.xlsx");
    ledger(&xlsx);

    let server = serve(&dir);
    let (_driver, driver_port) = chromedriver();
    let profiles = work.path().join("chromium");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = browser(driver_port, &profiles.join("user")).await;
        // The scenarios run as a task of their own: when one fails, the session is still
        // closed (Chromium ends with it) before the failure is reported.
        let run = tokio::spawn(office(
            client.clone(),
            server.base.clone(),
            server.token.clone(),
            dir.clone(),
            xlsx,
        ));
        let outcome = tokio::time::timeout(ALL, run).await;
        let _ = client.close().await;
        match outcome {
            Err(_) => panic!("the browser test took longer than {ALL:?}"),
            Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Ok(r) => r.expect("the scenarios"),
        }
        // e. A fresh browser, without the cookie, with a wrong token: refused.
        let stranger = browser(driver_port, &profiles.join("stranger")).await;
        let refused = tokio::spawn(wrong_token(
            stranger.clone(),
            server.base.clone(),
            server.token.clone(),
        ));
        let outcome = tokio::time::timeout(WAIT, refused).await;
        let _ = stranger.close().await;
        match outcome {
            Err(_) => panic!("the refusal took longer than {WAIT:?}"),
            Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Ok(r) => r.expect("the refusal"),
        }
    });
}

/// Scenarios a to e (the `..` path) in one session, as one clerk's afternoon.
async fn office(c: Client, base: String, token: String, dir: PathBuf, xlsx: PathBuf) {
    // a. The folder: the examples are listed; a new report from the built-in example.
    c.goto(&format!("{base}/?token={token}"))
        .await
        .expect("open the address");
    find(&c, "[data-testid=entries]").await;
    assert!(
        !url(&c).await.contains("token"),
        "the token leaves the address bar: {}",
        url(&c).await
    );
    let mut listed = Vec::new();
    for row in c.find_all(Locator::Css("[data-testid=entry]")).await.unwrap() {
        listed.push((
            row.attr("data-path").await.unwrap().unwrap_or_default(),
            row.text().await.unwrap(),
        ));
    }
    let row = |path: &str| {
        listed
            .iter()
            .find(|(p, _)| p == path)
            .map_or_else(|| panic!("{path} is not listed: {listed:?}"), |(_, t)| t.clone())
    };
    assert!(row("minzhengju/报告.yaml").contains("江城市民政局"), "{listed:?}");
    assert!(
        row("qingshanqu/报告.yaml").contains("青山区人民政府"),
        "{listed:?}"
    );
    assert!(row("汇编/汇编.yaml").contains("汇编"), "{listed:?}");
    shot_page(&c, "1-folder").await;

    find(&c, "[data-testid=new-name]")
        .await
        .send_keys("2025年总结")
        .await
        .unwrap();
    let create = find(&c, "[data-testid=new-submit]").await;
    click_to_next_page(&c, &create).await;
    find(&c, "[data-testid=report-form]").await;
    let report_dir = dir.join("2025年总结");
    let report_file = report_dir.join("报告.yaml");
    let cases_file = report_dir.join("案件.yaml");
    let example = std::fs::read_to_string(&report_file).expect("the new report is on disk");
    let example_cases = std::fs::read(&cases_file).expect("and its cases");
    assert!(example.contains("单位: 江城市民政局"));
    assert_eq!(
        find(&c, "[data-testid=field-单位]")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("江城市民政局")
    );

    // c. The preview's page count, then an item of 主要做法 edited and 附表 switched on:
    // the preview follows the unsaved form, and saving changes the file and nothing else.
    let (pages, said) = page_count(&c, "the preview's page count", |n, _| n > 0).await;
    assert_eq!(said, format!("共 {pages} 页"));
    drawn(&c).await;
    // The page from its top, the side column scrolled within itself to the preview.
    c.execute(
        "window.scrollTo(0, 0); const side = document.querySelector('aside.side');
         side.scrollTop = document.querySelector('#changes').offsetTop - side.offsetTop - 40;",
        vec![],
    )
    .await
    .expect("scroll");
    shot(&c, "3-report").await;
    let marker = "（浏览器中补写的一句话。）";
    let first_item = find(&c, "#field-主要做法 [data-testid=item] [data-testid=item-text]").await;
    first_item.send_keys(marker).await.unwrap();
    find(&c, "[data-testid=field-附表]")
        .await
        .select_by_value("是")
        .await
        .unwrap();
    let (more, said) = page_count(&c, "more pages with 附表", |n, t| {
        n > pages && t.contains("未保存")
    })
    .await;
    assert_eq!(said, format!("共 {more} 页（含未保存的修改）"));
    drawn(&c).await;
    scroll_to(&c, "[data-testid=output]").await;
    shot(&c, "6-preview").await;
    scroll_to(&c, "#wrap-主要做法").await;
    shot(&c, "3b-report-items").await;
    let save = find(&c, "[data-testid=save]").await;
    click_to_next_page(&c, &save).await;
    assert_eq!(text(&c, "[data-testid=notice]").await, "已保存：主要做法、附表。");
    // Only the two edits: the item's text in its line, 附表 added at the end (its place in
    // SPEC order); every other line, comments included, as it was.
    let saved = std::fs::read_to_string(&report_file).unwrap();
    let expected = example.replacen("工作格局。", &format!("工作格局。{marker}"), 1) + "附表: 是\n";
    assert_eq!(saved, expected);
    assert!(
        example.contains("# 与市政府办公室交办通知核对"),
        "the example has comments to keep"
    );
    assert!(!report_dir.join("报告.yaml.bak").exists(), "no backup was needed");

    // Figures before the import.
    let figures_link = find(&c, "[data-testid=figures-link]").await;
    click_to_next_page(&c, &figures_link).await;
    assert_eq!(figure(&c, "总件数").await, "34");
    find(&c, "[data-testid=chart-results] svg").await;
    shot_page(&c, "5-figures").await;
    back_to_report(&c).await;

    // b. Import: the ledger uploaded, read, its unknown column mapped, its bad row skipped,
    // and the example's 案件.yaml replaced only after the second confirmation.
    let import_link = find(&c, "[data-testid=import-link]").await;
    click_to_next_page(&c, &import_link).await;
    let file_input = find(&c, "[data-testid=upload-file]").await;
    file_input.send_keys(&xlsx.display().to_string()).await.unwrap();
    let read = find(&c, "[data-testid=upload-submit]").await;
    click_to_next_page(&c, &read).await;
    find(&c, "[data-testid=mapping-form]").await;
    assert_eq!(text(&c, "[data-testid=sheet]").await, "办理台账");
    assert_eq!(text(&c, "[data-testid=header-row]").await, "第 2 行");
    let unknown = find(&c, "select[data-testid=map-群众评价]").await;
    assert_eq!(
        unknown.prop("value").await.unwrap().as_deref(),
        Some(""),
        "群众评价 is not recognised"
    );
    // ... and its row says so, the only one marked.
    let marked = c
        .find_all(Locator::Css("tr.unmapped"))
        .await
        .expect("marked rows");
    assert_eq!(marked.len(), 1);
    assert!(marked[0].text().await.unwrap().contains("群众评价 未认出"));
    assert_eq!(
        find(&c, "select[data-testid=map-案由]")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("标题")
    );
    let cells = c
        .find_all(Locator::Css("[data-testid=cell-error]"))
        .await
        .unwrap();
    assert_eq!(cells.len(), 1, "one bad cell");
    let cell: Vec<String> = {
        let mut v = Vec::new();
        for td in cells[0].find_all(Locator::Css("td")).await.unwrap() {
            v.push(td.text().await.unwrap());
        }
        v
    };
    assert_eq!(cell[0], "办理台账", "{cell:?}");
    assert_eq!(cell[1], "5", "{cell:?}");
    assert_eq!(cell[2], "G 交办时间", "{cell:?}");
    assert_eq!(cell[4], "2024-02-30", "{cell:?}");
    shot_page(&c, "2-import").await;
    unknown.select_by_value("满意度").await.unwrap();
    let reread = find(&c, "[data-testid=reread]").await;
    click_to_next_page(&c, &reread).await;
    assert_eq!(
        find(&c, "select[data-testid=map-群众评价]")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("满意度"),
        "the mapping chosen is kept"
    );
    // Writing while a cell is bad is refused: the row must be fixed or skipped.
    let write = find(&c, "[data-testid=write]").await;
    click_to_next_page(&c, &write).await;
    assert!(text(&c, "[data-testid=notice]").await.contains("没有写入"));
    assert_eq!(std::fs::read(&cases_file).unwrap(), example_cases);
    find(&c, "[data-testid=skip-bad]").await.click().await.unwrap();
    let write = find(&c, "[data-testid=write]").await;
    click_to_next_page(&c, &write).await;
    let question = text(&c, "[data-testid=overwrite-question]").await;
    assert!(question.contains("2025年总结/案件.yaml”已存在"), "{question}");
    assert_eq!(
        std::fs::read(&cases_file).unwrap(),
        example_cases,
        "nothing is replaced before the second confirmation"
    );
    let replace = find(&c, "[data-testid=overwrite-confirm]").await;
    click_to_next_page(&c, &replace).await;
    assert_eq!(
        text(&c, "[data-testid=written]").await,
        "已写入 2025年总结/案件.yaml，共 4 件案件。"
    );
    let cases = std::fs::read_to_string(&cases_file).unwrap();
    assert!(cases.contains("关于增设社区老年食堂的建议"), "{cases}");
    assert!(
        cases.contains("满意度: 基本满意"),
        "the mapped column is imported: {cases}"
    );
    assert!(!cases.contains("殡葬"), "the bad row is skipped: {cases}");

    // The report now disagrees with its 核对 (34 cases declared): the problems say so, each
    // linked to its field; the clerk removes the 核对 lines and saves.
    let open = c
        .find(Locator::LinkText("打开这份报告"))
        .await
        .expect("a link back to the report");
    click_to_next_page(&c, &open).await;
    let problems = find(&c, "[data-testid=problems]").await;
    assert_ne!(problems.attr("data-errors").await.unwrap().as_deref(), Some("0"));
    let about = find(&c, "[data-testid=problem][data-field=核对]")
        .await
        .text()
        .await
        .unwrap();
    assert!(about.contains("错误"), "{about}");
    find(
        &c,
        "[data-testid=problem][data-field=核对] [data-testid=problem-link]",
    )
    .await;
    shot_of(&c, &problems, "4-problems").await;
    while let Ok(delete) = c.find(Locator::Css("#field-核对 table.pairs button")).await {
        click(&c, &delete).await;
    }
    let save = find(&c, "[data-testid=save]").await;
    click_to_next_page(&c, &save).await;
    assert_eq!(text(&c, "[data-testid=notice]").await, "已保存：核对。");
    assert_eq!(
        find(&c, "[data-testid=problems]")
            .await
            .attr("data-errors")
            .await
            .unwrap()
            .as_deref(),
        Some("0"),
        "{}",
        text(&c, "[data-testid=problems]").await
    );
    let (after, _) = page_count(&c, "the preview of the imported cases", |n, _| n > 0).await;

    // The figures follow the imported data.
    let figures_link = find(&c, "[data-testid=figures-link]").await;
    click_to_next_page(&c, &figures_link).await;
    assert_eq!(figure(&c, "总件数").await, "4");
    assert_eq!(figure(&c, "主办件数").await, "3");
    back_to_report(&c).await;

    // d. The PDF as the download link gives it, read back.
    let href = find(&c, "[data-testid=download-pdf]")
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("href");
    let (status, kind, name, bytes) = fetch(&c, &href).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"), "{name}");
    let title = name.strip_suffix(".pdf").expect("a PDF's name");
    assert!(title.contains("江城市民政局"), "{name}");
    let pages = pdf::lines(&bytes);
    assert_eq!(
        pages.len() as u32,
        after,
        "the download has the preview's page count"
    );
    let all: String = pages.iter().flatten().map(|l| l.text.as_str()).collect();
    let all: String = all.split_whitespace().collect();
    assert!(all.contains(title), "the title {title} is in the PDF");
    assert!(
        all.contains("浏览器中补写的一句话"),
        "the edited item is in the PDF"
    );

    // The 汇编 screen.
    let home = find(&c, "[data-testid=home]").await;
    click_to_next_page(&c, &home).await;
    let open = find(&c, "[data-path='汇编/汇编.yaml'] a.button").await;
    click_to_next_page(&c, &open).await;
    assert_eq!(
        c.find_all(Locator::Css("[data-testid=part]"))
            .await
            .unwrap()
            .len(),
        2
    );
    page_count(&c, "the 汇编's preview", |n, _| n > 0).await;
    drawn(&c).await;
    shot(&c, "7-compilation").await;
    // A 篇 taken out and the report made in scenario a put in, on screen; saved, the file
    // names them in the new order (the reports themselves untouched).
    let first = c
        .find_all(Locator::Css("[data-testid=part]"))
        .await
        .unwrap()
        .remove(0);
    assert!(
        first.text().await.unwrap().contains("江城市民政局"),
        "a 篇 shows its title"
    );
    let remove = first
        .find(Locator::Css("button[data-action=remove]"))
        .await
        .unwrap();
    click(&c, &remove).await;
    find(&c, "[data-testid=add-part]")
        .await
        .select_by_value("../2025年总结")
        .await
        .expect("the new report is offered");
    let add = find(&c, "[data-testid=add-part-button]").await;
    click(&c, &add).await;
    let save = find(&c, "[data-testid=save]").await;
    click_to_next_page(&c, &save).await;
    let saved = std::fs::read_to_string(dir.join("汇编/汇编.yaml")).unwrap();
    assert!(
        saved.ends_with("篇目:\n  - ../qingshanqu\n  - ../2025年总结\n"),
        "{saved}"
    );
    assert!(dir.join("minzhengju/报告.yaml").is_file());

    // e. A path out of the folder gets the 400 page.
    let (status, _, _, body) = fetch(&c, "/report?p=..%2F..%2Fetc%2Fpasswd").await;
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    c.goto(&format!("{base}/report?p=..%2F..%2Fetc%2Fpasswd"))
        .await
        .unwrap();
    assert_eq!(text(&c, "[data-testid=page-title]").await, "路径不在工作文件夹内");
    assert!(text(&c, "[data-testid=error]")
        .await
        .contains("含有“..”，指向上级文件夹"));
}

/// e. A wrong token, in a browser that has no cookie, gets the refusal page.
async fn wrong_token(c: Client, base: String, token: String) {
    let wrong: String = token.chars().rev().collect();
    assert_ne!(wrong, token);
    c.goto(&format!("{base}/?token={wrong}")).await.unwrap();
    assert_eq!(
        text(&c, "[data-testid=page-title]").await,
        "需要从终端显示的地址打开"
    );
    assert!(text(&c, "[data-testid=error]")
        .await
        .contains("缺少访问口令，或口令不对"));
    let (status, _, _, _) = fetch(&c, "/").await;
    assert_eq!(status, 403, "no cookie was set by the wrong token");
    shot(&c, "8-refused").await;
}
