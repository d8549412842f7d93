//! Output to the terminal: lines to stdout and stderr (a closed pipe is not an error), colour
//! when stderr is a terminal, and diagnostics rendered the one way they are shown.

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
pub(crate) use {say, tell};

use std::io::{IsTerminal, Write};

/// Colour when a person reads stderr and has not asked for none (NO_COLOR).
pub fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Shows the run's problems on stderr, in file and line order.
pub fn show(ctx: &mut zongjie::Ctx) {
    ctx.diags.sort();
    let _ = write!(std::io::stderr(), "{}", ctx.diags.render(&ctx.sources, color()));
}

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn print(text: &str) -> Result<(), super::Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(super::Failure::Usage(format!("无法输出：{e}")))
        }
        _ => Ok(()),
    }
}
