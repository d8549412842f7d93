//! Importing ledgers: generated .xlsx and .csv files with title rows, two-row headers, GBK,
//! Excel dates and serial numbers, bad cells, --force, --map, --sheet, stable output.

use crate::common::Fixture;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const HEADER: [&str; 9] = [
    "序号",
    "建议编号",
    "案由",
    "领衔代表",
    "主办/协办",
    "承办科室",
    "交办时间",
    "答复时间",
    "答复类别",
];

/// A ledger as offices keep it: a merged title row, then the header, then the cases.
fn ledger(f: &Fixture, name: &str, bad: bool) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("2024年台账").unwrap();
    ws.merge_range(0, 0, 0, 8, "江城市民政局2024年建议提案办理台账", &Format::new())
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let rows: Vec<[&str; 6]> = vec![
        [
            "建议第23号",
            "关于推进社区居家养老服务高质量发展的建议",
            "刘某某",
            "主办",
            "养老服务科",
            "A类",
        ],
        [
            "提案第105号",
            "关于加强养老服务行业发展的提案",
            "张某某",
            "会办",
            "养老服务科",
            "",
        ],
        [
            "建议第31号",
            "关于推动医养结合服务深度融合的建议",
            "马某某",
            if bad { "牵头" } else { "主办" },
            "社会救助科",
            "B",
        ],
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        for (c, v) in [1u16, 2, 3, 4, 5].iter().zip(r.iter()) {
            ws.write_string(row, *c, *v).unwrap();
        }
        ws.write_string(row, 8, r[5]).unwrap();
    }
    // 交办时间: a real Excel date, a date typed as a serial number, and a date as text.
    ws.write_datetime_with_format(2, 6, ExcelDateTime::from_ymd(2024, 3, 8).unwrap(), &date)
        .unwrap();
    ws.write_number(3, 6, 45359.0).unwrap(); // 2024-03-08
    ws.write_string(4, 6, if bad { "2024-02-30" } else { "2024年3月8日" })
        .unwrap();
    ws.write_datetime_with_format(2, 7, ExcelDateTime::from_ymd(2024, 5, 15).unwrap(), &date)
        .unwrap();
    ws.write_string(3, 7, "2024/4/2").unwrap();
    ws.write_string(5, 0, "合计").unwrap();
    ws.write_string(5, 1, "3件").unwrap();
    let other = wb.add_worksheet();
    other.set_name("说明").unwrap();
    other.write_string(0, 0, "本表按交办顺序登记").unwrap();
    wb.save(f.path(name)).unwrap();
}

const EXPECTED: &str = "\
# 案件记录：由 zongjie import 从“台账.xlsx”（工作表“2024年台账”）导入，共 3 件。
- 编号: 建议第23号
  类别: 建议
  标题: 关于推进社区居家养老服务高质量发展的建议
  提出人: 刘某某
  承办方式: 主办
  承办单位: 养老服务科
  交办日期: 2024-03-08
  答复日期: 2024-05-15
  办理结果: A
- 编号: 提案第105号
  类别: 提案
  标题: 关于加强养老服务行业发展的提案
  提出人: 张某某
  承办方式: 会办
  承办单位: 养老服务科
  交办日期: 2024-03-08
  答复日期: 2024-04-02
- 编号: 建议第31号
  类别: 建议
  标题: 关于推动医养结合服务深度融合的建议
  提出人: 马某某
  承办方式: 主办
  承办单位: 社会救助科
  交办日期: 2024-03-08
  办理结果: B
";

#[test]
fn an_xlsx_ledger_becomes_case_records_that_check() {
    let f = Fixture::new();
    ledger(&f, "台账.xlsx", false);
    let out = f.run(&["import", "台账.xlsx", "-o", "案件.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("从第 2 行表头下导入 3 件案件"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("未导入：序号"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(f.path("案件.yaml")).unwrap(), EXPECTED);
    // Re-importing gives the same file.
    assert_eq!(f.run(&["import", "台账.xlsx", "-o", "again.yaml"]).code, 0);
    assert_eq!(
        std::fs::read(f.path("again.yaml")).unwrap(),
        std::fs::read(f.path("案件.yaml")).unwrap()
    );
    f.write("报告.yaml", "单位: 江城市民政局\n年度: 2024\n案件: 案件.yaml\n");
    let check = f.run(&["check", "."]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn bad_cells_are_reported_with_sheet_row_and_column_and_nothing_is_written() {
    let f = Fixture::new();
    ledger(&f, "台账.xlsx", true);
    let out = f.run(&["import", "台账.xlsx", "-o", "案件.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "错误: 工作表“2024年台账”第 5 行 E 列（主办/协办），单元格内容“牵头”：无法识别的承办方式“牵头”"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("错误: 工作表“2024年台账”第 5 行 G 列（交办时间），单元格内容“2024-02-30”：日期“2024-02-30”不存在"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 行有 2 处无法识别，没有写入任何文件"),
        "{}",
        out.stderr
    );
    assert!(!f.path("案件.yaml").exists());
    // --force writes the rows that are fine and names the others.
    let out = f.run(&["import", "台账.xlsx", "-o", "案件.yaml", "--force"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("导入 2 件案件，跳过有问题的 1 行（第 5 行）"),
        "{}",
        out.stdout
    );
    let yaml = std::fs::read_to_string(f.path("案件.yaml")).unwrap();
    assert!(yaml.contains("建议第23号") && !yaml.contains("建议第31号"));
}

#[test]
fn a_gbk_csv_with_a_two_row_header() {
    // 办理情况 is a merged group above 答复日期/办理结果/满意度.
    let csv = "江城市交通运输局建议提案台账,,,,,,\r\n\
               提案号,题目,承办类型,办理情况,,,是否面商\r\n\
               ,,,答复时间,解决程度,反馈意见,\r\n\
               提案第7号,关于完善慢行系统的提案,主办,2024-06-01,A,满意,√\r\n\
               提案第8号,关于增设停车泊位的提案,独办,2024.7.1,C类,基本满意,×\r\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(csv);
    let f = Fixture::new();
    f.write_bytes("台账.csv", &bytes);
    let out = f.run(&["import", "台账.csv", "-o", "案件.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("GBK/GB18030"), "{}", out.stderr);
    let yaml = std::fs::read_to_string(f.path("案件.yaml")).unwrap();
    assert!(
        yaml.contains("- 编号: 提案第8号\n  类别: 提案\n  标题: 关于增设停车泊位的提案\n  承办方式: 独办\n  答复日期: 2024-07-01\n  办理结果: C\n  面商: 否\n  满意度: 基本满意\n"),
        "{yaml}"
    );
}

#[test]
fn a_control_character_in_a_cell_is_a_bad_cell() {
    let csv = "编号,标题,承办方式\r\n建议第1号,关于\u{7}公交的建议,主办\r\n";
    let f = Fixture::new();
    f.write("台账.csv", csv);
    let out = f.run(&["import", "台账.csv", "-o", "案件.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "第 2 行 B 列（标题），单元格内容“关于〈U+0007〉公交的建议”：单元格中有不可见的控制字符 U+0007"
        ),
        "{}",
        out.stderr
    );
    assert!(!f.path("案件.yaml").exists());
}

#[test]
fn map_and_sheet_options() {
    let f = Fixture::new();
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("封面")
        .unwrap()
        .write_string(0, 0, "台账")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("建议").unwrap();
    for (c, h) in ["编号", "建议摘要", "承办方式"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["建议第1号", "关于加快老旧小区改造的建议", "主办"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(f.path("台账.xlsx")).unwrap();
    // Without --map, 建议摘要 is not a known header: no 标题 column.
    let out = f.run(&["import", "台账.xlsx", "--sheet", "建议"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("找不到“标题”列"), "{}", out.stderr);
    let out = f.run(&["import", "台账.xlsx", "--sheet", "2", "--map", "建议摘要=标题"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::read_to_string(f.path("案件.yaml"))
        .unwrap()
        .contains("标题: 关于加快老旧小区改造的建议"));
    let out = f.run(&["import", "台账.xlsx", "--sheet", "没有"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("表格中没有工作表“没有”；有：封面、建议"),
        "{}",
        out.stderr
    );
}

#[test]
fn unreadable_inputs() {
    let f = Fixture::new();
    let out = f.run(&["import", "没有.xlsx"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("无法读取“没有.xlsx”：文件不存在"),
        "{}",
        out.stderr
    );
    f.write("台账.docx", "x");
    let out = f.run(&["import", "台账.docx"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("只能导入"), "{}", out.stderr);
    f.write("坏.xlsx", "这不是表格");
    let out = f.run(&["import", "坏.xlsx"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("无法读取表格"), "{}", out.stderr);
}
