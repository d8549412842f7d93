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

/// The records written, under the two header lines (the second holds a checksum).
const EXPECTED_HEADER: &str =
    "# 案件记录：由 zongjie import 从“台账.xlsx”（工作表“2024年台账”）导入，共 3 件。\n";
const EXPECTED: &str = "\
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
        out.stdout
            .contains("案件.yaml：从“台账.xlsx”工作表“2024年台账”第 2 行表头下导入 3 件案件。"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("未导入：序号"), "{}", out.stderr);
    let yaml = std::fs::read_to_string(f.path("案件.yaml")).unwrap();
    let (header, rest) = yaml.split_at(EXPECTED_HEADER.len());
    assert_eq!(header, EXPECTED_HEADER);
    assert!(rest.starts_with("# 导入校验码 "), "{yaml}");
    assert_eq!(rest.split_once('\n').unwrap().1, EXPECTED);
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
    assert!(out.stderr.contains("用 --map 列名=字段 指明"), "{}", out.stderr);
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
    // A text file under another name is read as text, and the message says what it is.
    f.write("坏.xlsx", "这不是表格");
    let out = f.run(&["import", "坏.xlsx"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("找不到表头"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("这个文件扩展名是 .xlsx，内容却是文本文件（CSV）"),
        "{}",
        out.stderr
    );
}

/// A workbook whose one sheet holds `rows` from A1, every cell as text.
fn simple_book(rows: &[&[&str]]) -> Workbook {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("台账").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb
}

const SMALL: &[&[&str]] = &[
    &["编号", "标题", "承办方式"],
    &["建议第1号", "关于加快老旧小区改造的建议", "主办"],
    &["建议第2号", "关于增设公交线路的建议", "协办"],
];

#[test]
fn import_never_replaces_the_ledger_or_a_file_it_did_not_write() {
    let f = Fixture::new();
    simple_book(SMALL).save(f.path("台账.xlsx")).unwrap();
    let ledger = std::fs::read(f.path("台账.xlsx")).unwrap();
    // The ledger itself, however its path is written, not even with --force.
    std::fs::create_dir(f.path("子目录")).unwrap();
    for output in ["台账.xlsx", "./子目录/../台账.xlsx"] {
        for force in [false, true] {
            let mut args = vec!["import", "台账.xlsx", "-o", output];
            if force {
                args.push("--force");
            }
            let out = f.run(&args);
            assert_eq!(out.code, 2, "{}", out.stderr);
            assert!(out.stderr.contains("就是要导入的台账"), "{}", out.stderr);
            assert_eq!(std::fs::read(f.path("台账.xlsx")).unwrap(), ledger);
        }
    }
    // A hand-written file at the default output path.
    f.write("案件.yaml", "- 编号: 建议第9号  # 手工录入\n");
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("“案件.yaml”已存在，且不是 zongjie import 写出的，为免丢失其中的内容，没有覆盖它。要覆盖，请加 --force"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(f.path("案件.yaml")).unwrap(),
        "- 编号: 建议第9号  # 手工录入\n"
    );
    assert_eq!(f.run(&["import", "台账.xlsx", "--force"]).code, 0);
    // Its own output, untouched, is replaced by a new import.
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Edited after the import: kept.
    let mut edited = std::fs::read_to_string(f.path("案件.yaml")).unwrap();
    edited = edited.replace("协办", "主办");
    f.write("案件.yaml", &edited);
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("是以前导入的，但导入后有改动"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(f.path("案件.yaml")).unwrap(), edited);
    // A folder in the output's place is named as such.
    std::fs::create_dir(f.path("输出")).unwrap();
    let out = f.run(&["import", "台账.xlsx", "-o", "输出"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("无法写入“输出”：这是一个文件夹"),
        "{}",
        out.stderr
    );
    let out = f.run(&["import", "台账.xlsx", "-o", "没有/案件.yaml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("无法写入“没有/案件.yaml”：它所在的文件夹不存在"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_cell_at_the_far_end_of_a_sheet_is_an_error_not_an_allocation() {
    let f = Fixture::new();
    // One cell at XFD1048576 makes the declared sheet 16,384 columns by 1,048,576 rows.
    let mut wb = simple_book(SMALL);
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(f.path("远.xlsx")).unwrap();
    assert!(std::fs::metadata(f.path("远.xlsx")).unwrap().len() < 20_000);
    let out = f.run(&["import", "远.xlsx"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("工作表“台账”第 1048576 行 XFD 列有内容“x”，超出了第 256 列（IV 列）"),
        "{}",
        out.stderr
    );
    // ALL100000: 1,000 columns by 100,000 rows.
    let mut wb = simple_book(SMALL);
    wb.worksheet_from_index(0)
        .unwrap()
        .write_string(99_999, 999, "备注")
        .unwrap();
    wb.save(f.path("宽.xlsx")).unwrap();
    let out = f.run(&["import", "宽.xlsx"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("第 100000 行 ALL 列有内容"), "{}", out.stderr);
    // Far down in a column of the ledger, a row is just a row.
    let mut wb = simple_book(SMALL);
    let ws = wb.worksheet_from_index(0).unwrap();
    for (c, v) in ["建议第3号", "关于末行的建议", "主办"].iter().enumerate() {
        ws.write_string(1_048_575, c as u16, *v).unwrap();
    }
    wb.save(f.path("长.xlsx")).unwrap();
    let out = f.run(&["import", "长.xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("导入 3 件案件"), "{}", out.stdout);
}

#[test]
fn hidden_sheets_are_passed_over_unless_named() {
    let f = Fixture::new();
    let mut wb = Workbook::new();
    let old = wb.add_worksheet();
    old.set_name("旧台账").unwrap();
    for (r, row) in SMALL.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            old.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    old.set_hidden(true);
    let new = wb.add_worksheet();
    new.set_name("2024年").unwrap().set_active(true);
    for (r, row) in SMALL.iter().take(2).enumerate() {
        for (c, v) in row.iter().enumerate() {
            new.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(f.path("台账.xlsx")).unwrap();
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("工作表“2024年”第 1 行表头下导入 1 件案件"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("提示: 没有读取隐藏的工作表“旧台账”；要导入隐藏的工作表，请指定它的名称"),
        "{}",
        out.stderr
    );
    let out = f.run(&["import", "台账.xlsx", "--sheet", "旧台账", "-o", "旧.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("工作表“旧台账”第 1 行表头下导入 2 件案件"),
        "{}",
        out.stdout
    );
    let out = f.run(&["import", "台账.xlsx", "--sheet", "没有"]);
    assert!(
        out.stderr.contains("有：旧台账（隐藏）、2024年"),
        "{}",
        out.stderr
    );
}

#[test]
fn excel_error_values_are_bad_cells() {
    use rust_xlsxwriter::Formula;
    let f = Fixture::new();
    let mut wb = simple_book(SMALL);
    let ws = wb.worksheet_from_index(0).unwrap();
    ws.write_formula(1, 1, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.write_formula(2, 0, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    wb.save(f.path("台账.xlsx")).unwrap();
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "工作表“台账”第 2 行 B 列（标题），单元格内容“#DIV/0!”：单元格是 Excel 的错误值 #DIV/0!，公式没有算出结果"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("第 3 行 A 列（编号），单元格内容“#N/A”：单元格是 Excel 的错误值 #N/A"),
        "{}",
        out.stderr
    );
    assert!(!f.path("案件.yaml").exists());
    // The same values in a CSV exported from Excel.
    f.write("台账.csv", "编号,标题,承办方式\n建议第1号,#VALUE!,主办\n");
    let out = f.run(&["import", "台账.csv"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("错误值 #VALUE!"), "{}", out.stderr);
}

const UNITS: &str = "编号,标题,主办单位,协办单位,备注\n\
    建议第1号,关于发展社区食堂的建议,江城市民政局,市卫健委,\n\
    建议第2号,关于老旧小区加装电梯的建议,市住建局,\"市民政局、市财政局\",\n\
    建议第3号,关于医养结合的建议,\"江城市卫健委\n江城市民政局\",,已面商\n";

#[test]
fn a_ledger_with_host_and_helper_unit_columns() {
    let f = Fixture::new();
    f.write("台账.csv", UNITS);
    // Without the reporting unit, the 协办单位 column cannot be read.
    let out = f.run(&["import", "台账.csv"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("第 2 行 D 列（协办单位）写有“市卫健委”：台账没有“承办方式”列")
            && out.stderr.contains("请加 --单位 本单位名称"),
        "{}",
        out.stderr
    );
    let out = f.run(&["import", "台账.csv", "--单位", "江城市民政局"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let yaml = std::fs::read_to_string(f.path("案件.yaml")).unwrap();
    let body = yaml.splitn(3, '\n').nth(2).unwrap();
    assert_eq!(
        body,
        "\
- 编号: 建议第1号
  类别: 建议
  标题: 关于发展社区食堂的建议
  承办方式: 主办
  承办单位: 江城市民政局
- 编号: 建议第2号
  类别: 建议
  标题: 关于老旧小区加装电梯的建议
  承办方式: 协办
  承办单位: 江城市民政局
  备注: 主办单位：市住建局
- 编号: 建议第3号
  类别: 建议
  标题: 关于医养结合的建议
  承办方式: 主办
  承办单位: 江城市民政局
  备注: 已面商；另有主办单位：江城市卫健委
"
    );
    // The unit named in the 报告.yaml beside the output.
    f.write("报告.yaml", "单位: 江城市民政局\n年度: 2024\n案件: 案件.yaml\n");
    std::fs::remove_file(f.path("案件.yaml")).unwrap();
    let out = f.run(&["import", "台账.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(f.path("案件.yaml")).unwrap(), yaml);
    let check = f.run(&["check", "."]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn wordings_that_could_mean_two_things_are_bad_cells() {
    let f = Fixture::new();
    f.write(
        "台账.csv",
        "编号,类别,标题,承办方式\n\
         建议第21号,建议案,关于加强河道治理的建议,主办\n\
         建议第22号,议案,关于修订条例的建议,主办\n\
         建议第23号,建议,关于增设路灯的建议,非主办\n\
         建议第24号,人大代表建议,关于修缮校舍的建议,主办（牵头）\n",
    );
    let out = f.run(&["import", "台账.csv"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for message in [
        "第 2 行 B 列（类别），单元格内容“建议案”：无法识别的类别“建议案”：看不出是建议、议案还是提案",
        "第 3 行 B 列（类别），单元格内容“议案”：类别是议案，编号“建议第22号”却说是建议",
        "第 4 行 D 列（承办方式），单元格内容“非主办”：无法识别的承办方式“非主办”",
    ] {
        assert!(out.stderr.contains(message), "{message}\n{}", out.stderr);
    }
    assert!(out.stderr.contains("3 行有 3 处无法识别"), "{}", out.stderr);
    // Without a 类别 column, an 编号 that names two kinds says none.
    f.write(
        "台账2.csv",
        "编号,标题,承办方式\n建议案第3号,关于河道的建议,主办\n",
    );
    let out = f.run(&["import", "台账2.csv"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("没有类别，编号“建议案第3号”中看不出是建议、议案还是提案"),
        "{}",
        out.stderr
    );
}

/// A zip archive holding `files`, as bytes.
fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    for (name, text) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}

#[test]
fn files_are_read_by_what_they_are_not_by_their_names() {
    let f = Fixture::new();
    // An .xlsx renamed .et.
    simple_book(SMALL).save(f.path("台账.et")).unwrap();
    let out = f.run(&["import", "台账.et"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("“台账.et”：这个文件扩展名是 .et，内容却是 Excel 工作簿（.xlsx），是按内容读取的"),
        "{}",
        out.stderr
    );
    // Tab-separated text exported under an .xls name.
    f.write(
        "导出.xls",
        "编号\t标题\t承办方式\n建议第1号\t关于公交的建议\t主办\n",
    );
    let out = f.run(&["import", "导出.xls", "-o", "导出.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("内容却是文本文件（CSV）"), "{}", out.stderr);
    assert!(std::fs::read_to_string(f.path("导出.yaml"))
        .unwrap()
        .contains("标题: 关于公交的建议"));
    // Files that are no ledger: each named for what it is, in Chinese.
    let mut truncated = std::fs::read(f.path("台账.et")).unwrap();
    truncated.truncate(1000);
    f.write_bytes("断.xlsx", &truncated);
    f.write(
        "网页.xls",
        "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>编号</td></tr></table></body></html>",
    );
    f.write_bytes("文档.xlsx", &zip_of(&[("word/document.xml", "<w:document/>")]));
    f.write_bytes(
        "表格.xlsx",
        &zip_of(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet")]),
    );
    f.write_bytes("报告.xls", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    f.write_bytes(
        "旧.xls",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    );
    let english = regex::Regex::new("[A-Za-z]{4,}").unwrap();
    for (file, says) in [
        ("断.xlsx", "已损坏或不完整（常见原因：没有下载或复制完整）"),
        ("网页.xls", "这是一个网页（HTML）文件，只是用了表格的文件名"),
        ("网页.xls", "另存为”Excel 工作簿（.xlsx）"),
        ("文档.xlsx", "这是 Word 文档（.docx），不是可以导入的台账"),
        ("表格.xlsx", "这是 OpenDocument 表格（.ods）"),
        ("报告.xls", "这是一个 PDF 文件，不是表格"),
        ("旧.xls", "Excel 97-2003 或 WPS 表格（.xls/.et）的格式，但已损坏"),
    ] {
        let out = f.run(&["import", file]);
        assert_eq!(out.code, 1, "{file}: {}", out.stderr);
        assert!(
            out.stderr.contains(file) && out.stderr.contains(says),
            "{file}: {}",
            out.stderr
        );
        // No English from the libraries below (Could not find EOCD, Invalid OLE signature…).
        let words: Vec<&str> = english
            .find_iter(&out.stderr)
            .map(|m| m.as_str())
            .filter(|w| {
                ![
                    "Excel",
                    "HTML",
                    "Word",
                    "OpenDocument",
                    "force",
                    "sheet",
                    "import",
                    "zongjie",
                    "xlsx",
                    "docx",
                ]
                .contains(w)
            })
            .collect();
        assert!(words.is_empty(), "{file}: {words:?} in {}", out.stderr);
    }
}

#[test]
fn text_ledgers_name_their_encoding() {
    let f = Fixture::new();
    let csv = "编号,标题,承办方式\r\n建议第1号,关于公交的建议,主办\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(csv.encode_utf16().flat_map(u16::to_le_bytes));
    f.write_bytes("utf16.csv", &utf16);
    let out = f.run(&["import", "utf16.csv", "-o", "16.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("警告: “utf16.csv”以 UTF-16 编码保存，已正确读取")
            && !out.stderr.contains("GBK"),
        "{}",
        out.stderr
    );
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    utf32.extend(csv.chars().flat_map(|c| (c as u32).to_le_bytes()));
    f.write_bytes("utf32.csv", &utf32);
    let out = f.run(&["import", "utf32.csv", "-o", "32.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("以 UTF-32 编码保存"), "{}", out.stderr);
    let yaml = std::fs::read_to_string(f.path("32.yaml")).unwrap();
    assert!(yaml.contains("标题: 关于公交的建议"), "{yaml}");
}

#[test]
fn an_unreadable_ledger_is_an_io_error() {
    let f = Fixture::new();
    // A folder in the ledger's place.
    std::fs::create_dir(f.path("台账.xlsx")).unwrap();
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("无法读取“台账.xlsx”：这是一个文件夹，不是文件"),
        "{}",
        out.stderr
    );
    // A file that cannot be read: the tests run as root, whom chmod 000 does not stop, so
    // a file whose reading fails in the kernel stands in (reading /proc/self/mem at offset 0
    // gives EIO).
    #[cfg(target_os = "linux")]
    {
        std::os::unix::fs::symlink("/proc/self/mem", f.path("坏.xlsx")).unwrap();
        let out = f.run(&["import", "坏.xlsx"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("无法读取“坏.xlsx”：系统报告读写错误"),
            "{}",
            out.stderr
        );
    }
    // Where permissions do stop the reader, they give the same exit code.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        simple_book(SMALL).save(f.path("锁.xlsx")).unwrap();
        std::fs::set_permissions(f.path("锁.xlsx"), std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(f.path("锁.xlsx")).is_err() {
            let out = f.run(&["import", "锁.xlsx"]);
            assert_eq!(out.code, 2, "{}", out.stderr);
            assert!(out.stderr.contains("没有权限"), "{}", out.stderr);
        }
    }
}

/// An Excel 97-2003 workbook (BIFF8 in a compound file, as Excel and WPS write .xls and .et)
/// with one sheet holding `cells` as text: (row, column, text).
fn xls(cells: &[(u16, u16, &str)]) -> Vec<u8> {
    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }
    let bof = |kind: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend_from_slice(&kind.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        record(0x0809, &d)
    };
    let mut sheet = bof(0x0010);
    for (row, col, text) in cells {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(&(units.len() as u16).to_le_bytes());
        d.push(1); // UTF-16 characters
        d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        sheet.extend(record(0x0204, &d));
    }
    sheet.extend(record(0x000A, &[]));
    let name = b"Sheet1";
    let globals_len = 20 + (4 + 8 + name.len()) + 4;
    let mut bound = (globals_len as u32).to_le_bytes().to_vec();
    bound.extend_from_slice(&[0, 0, name.len() as u8, 0]);
    bound.extend_from_slice(name);
    let mut stream = bof(0x0005);
    stream.extend(record(0x0085, &bound));
    stream.extend(record(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    stream.extend(sheet);
    // At least 4096 bytes, so that the stream lives in ordinary 512-byte sectors.
    let size = stream.len().max(4096).div_ceil(512) * 512;
    stream.resize(size, 0);
    let sectors = (size / 512) as u32;
    // Header; sector 0 holds the FAT, sector 1 the directory, sectors 2… the stream.
    let mut file = vec![0u8; 512];
    file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put = |f: &mut Vec<u8>, at: usize, v: &[u8]| f[at..at + v.len()].copy_from_slice(v);
    put(&mut file, 0x18, &[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0]);
    put(&mut file, 0x2C, &1u32.to_le_bytes()); // FAT sectors
    put(&mut file, 0x30, &1u32.to_le_bytes()); // first directory sector
    put(&mut file, 0x38, &4096u32.to_le_bytes()); // mini stream cutoff
    put(&mut file, 0x3C, &0xFFFF_FFFEu32.to_le_bytes()); // no mini FAT
    put(&mut file, 0x44, &0xFFFF_FFFEu32.to_le_bytes()); // no DIFAT sectors
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        put(&mut file, 0x4C + 4 * i, &v.to_le_bytes());
    }
    let mut fat = vec![0xFFFF_FFFDu32, 0xFFFF_FFFE];
    fat.extend((0..sectors).map(|i| if i + 1 == sectors { 0xFFFF_FFFE } else { i + 3 }));
    fat.resize(128, 0xFFFF_FFFF);
    file.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        e[..units.len()].copy_from_slice(&units);
        e[0x40..0x42].copy_from_slice(&((units.len() + 2) as u16).to_le_bytes());
        e[0x42] = kind;
        e[0x43] = 1;
        e[0x44..0x48].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[0x48..0x4C].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    file.extend(entry("Root Entry", 5, 1, 0xFFFF_FFFE, 0));
    file.extend(entry("Workbook", 2, 0xFFFF_FFFF, 2, size as u32));
    file.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    file.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    file.extend(stream);
    file
}

#[test]
fn an_xls_ledger_is_read_and_a_crafted_one_refused_before_it_is_opened() {
    let f = Fixture::new();
    let mut cells: Vec<(u16, u16, &str)> = Vec::new();
    for (r, row) in SMALL.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            cells.push((r as u16 + 1, c as u16, v));
        }
    }
    f.write_bytes("台账.xls", &xls(&cells));
    let out = f.run(&["import", "台账.xls"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("工作表“Sheet1”第 2 行表头下导入 2 件案件"),
        "{}",
        out.stdout
    );
    // Read by content under WPS's name too.
    f.write_bytes("台账.et", &xls(&cells));
    let out = f.run(&["import", "台账.et", "-o", "et.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("扩展名"), "{}", out.stderr);
    // One cell at column 60,000 of row 65,536: calamine would set aside 65,536 × 60,001
    // cells (125 GB) when opening the file.
    cells.push((65_535, 60_000, "x"));
    f.write_bytes("远.xls", &xls(&cells));
    let out = f.run(&["import", "远.xls"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("工作簿中第 65536 行 CJSS 列有内容，超出了第 256 列（IV 列）"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_recognised_column_can_be_left_out() {
    let f = Fixture::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["编号", "标题", "承办方式", "满意度"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["建议第1号", "关于加快老旧小区改造的建议", "主办", "满意"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(f.path("台账.xlsx")).unwrap();
    let out = f.run(&["import", "台账.xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::read_to_string(f.path("案件.yaml"))
        .unwrap()
        .contains("满意度: 满意"));
    let out = f.run(&["import", "台账.xlsx", "--map", "满意度=不导入", "--force"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(f.path("案件.yaml")).unwrap();
    assert!(!written.contains("满意度"), "{written}");
    assert!(written.contains("标题: 关于加快老旧小区改造的建议"), "{written}");
}
