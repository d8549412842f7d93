//! The command line's grammar: every command and option, with Chinese help, parsed into typed
//! values once (formats, column maps), and clap's errors said in Chinese.

use super::term::tell;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;
use zongjie::{ColumnMap, Format};

/// Every command in one line each, for a wrong command line.
const COMMANDS: &str = "命令一览：
  zongjie init <目录>                       生成示例报告
  zongjie check <报告或目录>…               检查数据
  zongjie stats <报告> [--json]             显示各项数字
  zongjie build <报告> [-f 格式] [-o 目录]  生成总结（加 --watch 边改边生成）
  zongjie diff <报告>                       比较现在的数据与上次生成时的数字和文字
  zongjie diff <旧> <新>                    比较两个版本的数字和文字
  zongjie import <台账> [-o 案件.yaml]      把 Excel 或 CSV 台账转换为案件记录
  zongjie fonts [报告]                      查看字体
  zongjie serve [目录] [--port 端口]        在浏览器中填写、预览和生成（推荐）
";

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
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// 显示内置字体和所用第三方软件的许可证
    #[arg(long)]
    licenses: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 显示许可证（zongjie --licenses）
    #[command(hide = true)]
    Licenses,
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
    Build(BuildArgs),
    /// 比较报告现在的数据与上次生成时（一个参数），或两个版本的报告（或汇编）：哪些数字、哪些句子变了
    Diff {
        /// 报告文件或目录：只写这一个时，与上次 zongjie build 生成时比较；写两个时，这是原来的版本
        #[arg(value_name = "报告或旧版")]
        old: PathBuf,
        /// 修改后的版本（省略时与上次生成时比较）
        #[arg(value_name = "新版")]
        new: Option<PathBuf>,
        /// 上次生成时用 -o 指定的输出目录（只比较一个报告时用；默认为报告所在的目录）
        #[arg(short = 'o', long = "output", value_name = "目录")]
        output: Option<PathBuf>,
    },
    /// 把 Excel 或 CSV 台账转换为案件记录（案件.yaml）
    Import(ImportArgs),
    /// 显示各字体角色用哪个字体，以及报告中哪些字没有字体能显示
    Fonts {
        /// 报告文件或目录（可省略：只显示内置字体）
        #[arg(value_name = "报告")]
        path: Option<PathBuf>,
    },
    /// 在浏览器中打开：导入台账、填写报告、查看数字、预览和生成（只在本机访问）
    Serve(ServeArgs),
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

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// 报告文件（报告.yaml）、汇编文件（汇编.yaml），或其所在的目录
    #[arg(value_name = "报告")]
    pub path: PathBuf,
    /// 输出格式，逗号分隔：docx、pdf、txt、md（默认 docx,pdf）
    #[arg(
        short = 'f',
        long = "format",
        value_name = "格式",
        value_delimiter = ',',
        default_value = "docx,pdf",
        value_parser = parse_format
    )]
    pub formats: Vec<Format>,
    /// 输出目录（默认为报告所在的目录）
    #[arg(short = 'o', long = "output", value_name = "目录")]
    pub output: Option<PathBuf>,
    /// 生成后继续监视输入文件，一有改动就重新生成
    #[arg(long)]
    pub watch: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_user(s).ok_or_else(|| format!("不认识的输出格式“{s}”，可用：docx、pdf、txt、md"))
}

/// A port, in ASCII or full-width digits (as a Chinese input method types them: ８０８０).
fn parse_port(s: &str) -> Result<u16, String> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect();
    ascii.parse().map_err(|_| {
        format!("端口应为 0 到 65535 之间的整数（0 或不写由程序自选），如 --port 8080；“{s}”不是")
    })
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// 要打开的文件夹：其中（或其子文件夹中）的报告和汇编都会列出（默认当前文件夹）
    #[arg(value_name = "目录", default_value = ".")]
    pub dir: PathBuf,
    /// 端口（默认由程序自选一个空闲端口）
    #[arg(long, value_name = "端口", default_value_t = 0, value_parser = parse_port)]
    pub port: u16,
    /// 不自动打开浏览器，只显示地址
    #[arg(long)]
    pub no_open: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 台账文件：.xlsx、.xls、.et（WPS 表格）或 .csv
    #[arg(value_name = "台账")]
    pub input: PathBuf,
    /// 写入的案件文件（默认 案件.yaml）
    #[arg(
        short = 'o',
        long = "output",
        value_name = "案件.yaml",
        default_value = "案件.yaml"
    )]
    pub output: PathBuf,
    /// 工作表的名称或序号（默认第一个有内容、未隐藏的工作表）
    #[arg(long, value_name = "工作表")]
    pub sheet: Option<String>,
    /// 指定列对应的字段，如 --map 建议摘要=标题；不要导入的列写 --map 备注=不导入；可以写多个
    #[arg(long = "map", value_name = "列名=字段")]
    pub maps: Vec<ColumnMap>,
    /// 本单位的名称：台账没有“承办方式”列、只有“主办单位”“协办单位”列时，据此看出哪些案件是本单位协办的（默认取输出文件旁 报告.yaml 中的“单位”）
    #[arg(long = "单位", value_name = "名称")]
    pub unit: Option<String>,
    /// 有无法识别的单元格时，仍写入没有问题的行；也允许覆盖不是导入写出、或导入后改动过的文件
    #[arg(long)]
    pub force: bool,
}

fn command() -> clap::Command {
    use clap::{Arg, ArgAction};
    // Every word of the help in Chinese: clap's `[OPTIONS]`, `Arguments:`, `Options:` and
    // `[default: …]` replaced (defaults are said in each option's own help).
    let localise = |c: clap::Command| {
        let positionals: Vec<String> = c
            .get_positionals()
            .filter(|a| !a.is_hide_set())
            .map(|a| {
                let name = a
                    .get_value_names()
                    .and_then(|n| n.first())
                    .map_or("", |n| n.as_str());
                let many = if matches!(a.get_num_args(), Some(r) if r.max_values() > 1) {
                    "…"
                } else {
                    ""
                };
                if a.is_required_set() {
                    format!("<{name}>{many}")
                } else {
                    format!("[{name}]{many}")
                }
            })
            .collect();
        let usage = format!("zongjie {} [选项] {}", c.get_name(), positionals.join(" "));
        c.help_template("{about}\n\n用法：{usage}\n\n{all-args}")
            .override_usage(usage.trim_end().to_owned())
            .args_override_self(true)
            .mut_args(|a| {
                let heading = if a.is_positional() { "参数" } else { "选项" };
                let takes_value = a.get_action().takes_values();
                a.help_heading(heading).hide_default_value(takes_value)
            })
            .disable_help_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("显示帮助")
                    .help_heading("选项"),
            )
    };
    localise(Cli::command())
        .override_usage("zongjie <命令> [选项]\n       zongjie --licenses")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        )
        .mut_subcommands(localise)
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
    if let Some(reason) = std::error::Error::source(e) {
        msg.push_str(&format!("：{reason}"));
    }
    if let Some(s) =
        context(e, ContextKind::SuggestedSubcommand).or_else(|| context(e, ContextKind::SuggestedArg))
    {
        msg.push_str(&format!("，是否应为“{s}”？"));
    }
    format!("错误: {msg}\n\n{COMMANDS}\n运行“zongjie --help”或“zongjie <命令> --help”查看详细用法。")
}

/// The command the arguments name, or the exit code when they only ask for help or are wrong
/// (the help, or what is wrong, has been printed).
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Command, i32> {
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    Err(0)
                }
                _ => {
                    tell!("{}", usage_error(&e));
                    Err(2)
                }
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            tell!("{}", usage_error(&e));
            return Err(2);
        }
    };
    match (cli.command, cli.licenses) {
        (Some(c), _) => Ok(c),
        (None, true) => Ok(Command::Licenses),
        (None, false) => {
            tell!("错误: 缺少命令\n\n{COMMANDS}\n运行“zongjie --help”查看详细用法。");
            Err(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_port;

    #[test]
    fn a_port_in_full_width_digits_is_a_port() {
        assert_eq!(parse_port("８０８０"), Ok(8080));
        assert_eq!(parse_port(" 8080 "), Ok(8080));
        assert!(parse_port("８０８０８").unwrap_err().contains("0 到 65535"));
    }
}
