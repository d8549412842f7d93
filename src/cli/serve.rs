//! `zongjie serve [目录] [--port N] [--no-open]`: starts the library's local web server on the
//! folder, prints the address with its token, and opens it in the default browser.

use super::args::ServeArgs;
use super::term::{say, tell};
use super::{Failure, Outcome};
use zongjie::Server;

pub fn execute(args: &ServeArgs) -> Outcome {
    let server = Server::bind(&args.dir, args.port).map_err(|e| Failure::Usage(e.to_string()))?;
    let url = server.url();
    say!("在浏览器中打开：{url}");
    tell!("（只有本机能访问。关闭这个窗口或按 Ctrl+C 即停止服务。）");
    if !args.no_open && open_browser(&url).is_err() {
        tell!("没能自动打开浏览器，请把上面的地址复制到浏览器的地址栏中打开。");
    }
    server.run().map_err(|e| Failure::Usage(e.to_string()))
}

/// Opens `url` with the platform's own opener: the address is the only argument, and it is
/// ours (digits and hex), never user data.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
