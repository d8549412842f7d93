//! `zongjie serve` as a user starts it: the binary on a free port, the address it prints, and
//! plain HTTP requests to it (the screens themselves are tested in-process, src/serve/tests.rs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The server, ended when the test ends (also when it fails).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One request over a fresh connection; the whole reply as text.
fn request(port: u16, head: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "{head}\r\nConnection: close\r\n\r\n").expect("send");
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).expect("read");
    String::from_utf8_lossy(&reply).into_owned()
}

#[test]
fn serve_prints_its_address_and_guards_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = super::common::run_in(dir.path(), &["init", "示例"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let child = Command::new(assert_cmd::cargo::cargo_bin("zongjie"))
        .current_dir(dir.path())
        .env("ZONGJIE_FONT_DIRS", "")
        .args(["serve", ".", "--no-open", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zongjie serve");
    let mut server = Running(child);
    let stdout = server.0.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the address");
    let url = line
        .trim()
        .strip_prefix("在浏览器中打开：")
        .unwrap_or_else(|| panic!("{line}"));
    let rest = url.strip_prefix("http://127.0.0.1:").expect("127.0.0.1 only");
    let (port, token) = rest.split_once("/?token=").expect("a token in the address");
    let port: u16 = port.parse().expect("a port");
    assert_eq!(token.len(), 32);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    let host = format!("Host: 127.0.0.1:{port}");

    let r = request(port, &format!("GET / HTTP/1.1\r\n{host}"));
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    assert!(r.contains("终端"), "{r}");
    let r = request(
        port,
        &format!("GET / HTTP/1.1\r\nHost: attacker.example:{port}\r\nCookie: zongjie_{port}={token}"),
    );
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    let r = request(port, &format!("GET /?token={token} HTTP/1.1\r\n{host}"));
    assert!(r.starts_with("HTTP/1.1 303"), "{r}");
    assert!(
        r.to_lowercase().contains(&format!(
            "set-cookie: zongjie_{port}={token}; httponly; samesite=strict"
        )),
        "{r}"
    );
    let cookie = format!("Cookie: zongjie_{port}={token}");
    let r = request(port, &format!("GET / HTTP/1.1\r\n{host}\r\n{cookie}"));
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    assert!(r.contains("data-path=\"示例/报告.yaml\""), "{r}");
    let r = request(
        port,
        &format!("GET /report?p=..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n{host}\r\n{cookie}"),
    );
    assert!(r.starts_with("HTTP/1.1 400"), "{r}");
    // A failed request leaves the server running.
    let r = request(
        port,
        &format!("GET /assets/app.css HTTP/1.1\r\n{host}\r\n{cookie}"),
    );
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
}

#[test]
fn serve_on_a_missing_folder_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = super::common::run_in(dir.path(), &["serve", "没有这个文件夹", "--no-open"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("找不到文件夹“没有这个文件夹”"),
        "{}",
        out.stderr
    );
}

#[test]
fn serve_on_a_port_in_use_says_so() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a port");
    let port = taken.local_addr().expect("its address").port().to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = super::common::run_in(dir.path(), &["serve", ".", "--no-open", "--port", &port]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("已被别的程序占用"), "{}", out.stderr);
}

#[test]
fn serve_with_a_port_that_is_not_one_says_what_to_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    for port in ["abc", "70000", "８０８０８"] {
        let out = super::common::run_in(dir.path(), &["serve", ".", "--no-open", "--port", port]);
        assert_eq!(out.code, 2, "{port}");
        assert!(
            out.stderr.contains("端口应为 0 到 65535 之间的整数"),
            "{port}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("invalid"), "no English: {}", out.stderr);
    }
}
