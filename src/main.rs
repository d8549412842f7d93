fn main() {
    std::process::exit(zongjie::cli::run(std::env::args_os()));
}
