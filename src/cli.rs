//! The command line: argument parsing with Chinese help and messages, and one function per
//! command. Exit codes: 0 success (warnings allowed), 1 the data is wrong, 2 the command line
//! is wrong or a file cannot be read or written.

use crate::load::{Ctx, IoFailure};
use crate::source::display_path;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Prints a line to stdout; a closed pipe (`zongjie stats … | head`) is not an error.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
/// Prints a line to stderr, ignoring a closed stream.
macro_rules! tell {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! tell_raw {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}
pub(crate) use {say, tell, tell_raw};

pub const EXIT_OK: i32 = 0;
pub const EXIT_DATA: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "zongjie",
    version,
    about = "总结：根据建议提案办理台账，生成年度办理工作总结",
    help_template = "{about}\n\n用法：{usage}\n\n{all-args}",
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_subcommand = true,
    next_help_heading = "选项"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 在目录中生成一份完整的示例报告，照着修改即可
    Init {
        /// 要写入示例的目录（不存在时自动创建）
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
    /// 检查报告和案件记录，列出全部问题
    Check {
        /// 报告文件（报告.yaml），或其所在的目录；可以写多个
        #[arg(value_name = "报告或目录", required = true)]
        paths: Vec<PathBuf>,
    },
    /// 生成总结：默认输出 DOCX 和 PDF
    Build {
        /// 报告文件（报告.yaml），或其所在的目录
        #[arg(value_name = "报告")]
        path: PathBuf,
        /// 输出格式，逗号分隔：docx、pdf、txt、md
        #[arg(
            short = 'f',
            long = "format",
            value_name = "格式",
            value_delimiter = ',',
            default_value = "docx,pdf"
        )]
        formats: Vec<String>,
        /// 输出目录（默认为报告所在的目录）
        #[arg(short = 'o', long = "output", value_name = "目录")]
        output: Option<PathBuf>,
        /// 生成后继续监视输入文件，一有改动就重新生成
        #[arg(long)]
        watch: bool,
    },
    /// 比较两个版本的报告（或汇编）：哪些数字、哪些句子变了
    Diff {
        /// 原来的版本：报告文件或目录
        #[arg(value_name = "旧")]
        old: PathBuf,
        /// 修改后的版本
        #[arg(value_name = "新")]
        new: PathBuf,
    },
    /// 把 Excel 或 CSV 台账转换为案件记录（案件.yaml）
    Import {
        /// 台账文件：.xlsx、.xls、.et（WPS 表格）或 .csv
        #[arg(value_name = "台账")]
        input: PathBuf,
        /// 写入的案件文件
        #[arg(
            short = 'o',
            long = "output",
            value_name = "案件.yaml",
            default_value = "案件.yaml"
        )]
        output: PathBuf,
        /// 工作表的名称或序号（默认第一个有内容的工作表）
        #[arg(long, value_name = "工作表")]
        sheet: Option<String>,
        /// 指定列对应的字段，如 --map 建议摘要=标题；可以写多个
        #[arg(long = "map", value_name = "列名=字段")]
        maps: Vec<String>,
        /// 有无法识别的单元格时，仍写入没有问题的行
        #[arg(long)]
        force: bool,
    },
    /// 显示各字体角色用哪个字体，以及报告中哪些字没有字体能显示
    Fonts {
        /// 报告文件或目录（可省略：只显示内置字体）
        #[arg(value_name = "报告")]
        path: Option<PathBuf>,
    },
    /// 计算并显示报告的各项数字
    Stats {
        /// 报告文件（报告.yaml），或其所在的目录
        #[arg(value_name = "报告")]
        path: PathBuf,
        /// 以 JSON 输出（键名见 SPEC §2.4）
        #[arg(long)]
        json: bool,
    },
}

fn command() -> clap::Command {
    use clap::{Arg, ArgAction};
    let localise = |c: clap::Command| {
        c.help_template("{about}\n\n用法：{usage}\n\n{all-args}")
            .next_help_heading("选项")
            .disable_help_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("显示帮助"),
            )
    };
    localise(Cli::command())
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        )
        .mut_subcommands(localise)
}

pub(crate) fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        other => Some(other.to_string()),
    }
}

/// A clap error in Chinese.
fn usage_error(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有“{sub}”这个命令")
        }
        ErrorKind::UnknownArgument => format!("不认识的选项或参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".into()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let v = context(e, ContextKind::InvalidValue).unwrap_or_default();
            format!("参数 {arg} 的值“{v}”无效")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 给的值个数不对")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        _ => "命令行有误".into(),
    };
    if let Some(s) =
        context(e, ContextKind::SuggestedSubcommand).or_else(|| context(e, ContextKind::SuggestedArg))
    {
        msg.push_str(&format!("，是否应为“{s}”？"));
    }
    format!(
        "错误: {msg}\n\n命令一览：\n  zongjie init <目录>            生成示例报告\n  zongjie check <报告或目录>…    检查数据\n  zongjie stats <报告> [--json]  显示各项数字\n  zongjie build <报告> [-f 格式] [-o 目录]  生成总结\n  zongjie fonts [报告]           查看字体\n\n运行“zongjie --help”或“zongjie <命令> --help”查看详细用法。\n"
    )
}

/// Runs the program with `args` (including the program name) and returns the exit code.
pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    EXIT_OK
                }
                _ => {
                    crate::cli::tell_raw!("{}", usage_error(&e));
                    EXIT_USAGE
                }
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            crate::cli::tell_raw!("{}", usage_error(&e));
            return EXIT_USAGE;
        }
    };
    match cli.command {
        Command::Init { dir } => crate::init::run(&dir),
        Command::Check { paths } => check(&paths),
        Command::Stats { path, json } => stats(&path, json),
        Command::Fonts { path } => crate::build::fonts(path.as_deref()),
        Command::Diff { old, new } => crate::diff::run(&old, &new),
        Command::Import {
            input,
            output,
            sheet,
            maps,
            force,
        } => crate::import::run(&input, &output, sheet.as_deref(), &maps, force),
        Command::Build {
            path,
            formats,
            output,
            watch,
        } => crate::build::run(&path, &formats, output.as_deref(), watch),
    }
}

pub(crate) fn io_failure(e: &IoFailure) -> i32 {
    crate::cli::tell!("错误: {e}");
    crate::cli::tell!("请核对文件路径；报告可以写文件路径，也可以写报告所在的目录（其中应有“报告.yaml”）。");
    EXIT_USAGE
}

fn check(paths: &[PathBuf]) -> i32 {
    let mut code = EXIT_OK;
    for path in paths {
        let mut ctx = Ctx::default();
        let (summary, loaded) = if crate::load::compilation::is_compilation(path) {
            match crate::compile::check(&mut ctx, path) {
                Ok(lines) => (lines, true),
                Err(e) => {
                    code = code.max(io_failure(&e));
                    continue;
                }
            }
        } else {
            match crate::check_report(&mut ctx, path) {
                Ok(checked) => {
                    let shown = display_path(&crate::load::resolve_report_path(path));
                    let cases = checked
                        .as_ref()
                        .map_or(String::new(), |c| format!("共 {} 件案件，", c.report.cases.len()));
                    (
                        vec![format!("{shown}：{cases}{}", crate::diag::summary(&ctx.diags))],
                        checked.is_some(),
                    )
                }
                Err(e) => {
                    code = code.max(io_failure(&e));
                    continue;
                }
            }
        };
        ctx.diags.sort();
        tell_raw!("{}", ctx.diags.render(&ctx.sources, color()));
        for line in summary {
            say!("{line}");
        }
        if ctx.diags.has_errors() || !loaded {
            code = code.max(EXIT_DATA);
        }
    }
    code
}

fn stats(path: &std::path::Path, json: bool) -> i32 {
    let mut ctx = Ctx::default();
    let checked = match crate::check_report(&mut ctx, path) {
        Ok(c) => c,
        Err(e) => return io_failure(&e),
    };
    ctx.diags.sort();
    crate::cli::tell_raw!("{}", ctx.diags.render(&ctx.sources, color()));
    let checked = match checked {
        Some(c) if !ctx.diags.has_errors() => c,
        _ => {
            crate::cli::tell!(
                "{}：{}，未计算数字。请先改正以上错误。",
                display_path(path),
                crate::diag::summary(&ctx.diags)
            );
            return EXIT_DATA;
        }
    };
    let text = if json {
        match serde_json::to_string_pretty(&checked.figures) {
            Ok(s) => s + "\n",
            Err(e) => {
                crate::cli::tell!("错误: 无法生成 JSON：{e}");
                return EXIT_USAGE;
            }
        }
    } else {
        crate::stats_table::render(&checked.report, &checked.figures)
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            crate::cli::tell!("错误: 无法输出：{e}");
            EXIT_USAGE
        }
    }
}
