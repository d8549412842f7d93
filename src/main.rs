//! `zongjie`: the command line, a thin client of the library's pipeline (see `cli`).

mod cli;

fn main() {
    std::process::exit(cli::main());
}
