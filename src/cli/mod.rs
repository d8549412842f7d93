//! The `zongjie` command line: a thin client of the library's pipeline. Arguments are parsed
//! into typed values once ([`args`]), output goes through [`term`], each command has a file
//! of its own, and every command ends in an [`Outcome`] that is turned into the exit code
//! here and nowhere else: 0 success (warnings allowed), 1 the data is wrong, 2 the command
//! line is wrong or a file cannot be read or written.

mod args;
mod build;
mod check;
mod diff;
mod fonts;
mod import;
mod init;
mod licenses;
mod serve;
mod stats;
mod term;
mod watch;

use args::Command;
use term::tell;

/// Why a command did not succeed.
pub enum Failure {
    /// The data is wrong; its problems have been shown.
    Data,
    /// The command line is wrong, or a file cannot be read or written: what to tell the user.
    Usage(String),
    /// As `Usage`, already told (a command that goes on after one failure).
    Told,
}

pub type Outcome = Result<(), Failure>;

impl From<zongjie::IoFailure> for Failure {
    fn from(e: zongjie::IoFailure) -> Failure {
        Failure::Usage(format!(
            "{e}\n请核对文件路径；报告可以写文件路径，也可以写报告所在的目录（其中应有“报告.yaml”）。"
        ))
    }
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    zongjie::clean_up_on_signals();
    let command = match args::parse(std::env::args_os()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let outcome = match command {
        Command::Licenses => licenses::execute(),
        Command::Init { dir } => init::execute(&dir),
        Command::Check { paths } => check::execute(&paths),
        Command::Stats { path, json } => stats::execute(&path, json),
        Command::Fonts { path } => fonts::execute(path.as_deref()),
        Command::Diff { old, new, output } => match new {
            Some(new) if output.is_none() => diff::execute(&old, &new),
            Some(_) => Err(Failure::Usage(
                "-o 只用于一个报告与上次生成时的比较（zongjie diff 报告 -o 输出目录）；比较两个版本时请去掉 -o".into(),
            )),
            None => diff::since_last_build(&old, output.as_deref()),
        },
        Command::Import(a) => import::execute(&a),
        Command::Serve(a) => serve::execute(&a),
        Command::Build(a) if a.watch => watch::execute(&a),
        Command::Build(a) => build::execute(&a),
    };
    match outcome {
        Ok(()) => 0,
        Err(Failure::Data) => 1,
        Err(Failure::Usage(message)) => {
            tell!("错误: {message}");
            2
        }
        Err(Failure::Told) => 2,
    }
}
