//! Driving the programs the browser test needs: `zongjie serve` and chromedriver started and
//! killed with the test, the browser session, and what the scenarios do on a page (find,
//! click and wait, fetch with the page's cookie, photograph, wait for the preview).

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value as Json};
use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// How long one thing on a page may take to appear (a preview is rendered in a debug build).
pub const WAIT: Duration = Duration::from_secs(20);
/// The window the screens are photographed in.
pub const WINDOW: (u32, u32) = (1280, 900);

/// A process started here, killed when the test ends, also when it fails.
pub struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `zongjie serve` on a free port; its stdout is kept open (the server prints to it).
pub struct Server {
    pub _process: Killed,
    pub _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub token: String,
}

pub fn serve(dir: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zongjie"))
        .args(["serve"])
        .arg(dir)
        .args(["--port", "0", "--no-open"])
        .env("ZONGJIE_FONT_DIRS", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zongjie serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let process = Killed(child);
    let mut line = String::new();
    stdout.read_line(&mut line).expect("the address line");
    let url = line
        .trim()
        .strip_prefix("在浏览器中打开：")
        .unwrap_or_else(|| panic!("no address printed: {line:?}"));
    let (base, token) = url.split_once("/?token=").expect("a token in the address");
    assert!(base.starts_with("http://127.0.0.1:"), "{url}");
    Server {
        base: base.to_owned(),
        token: token.to_owned(),
        _process: process,
        _stdout: stdout,
    }
}

/// chromedriver on a free port, once it says it is listening.
pub fn chromedriver() -> (Killed, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("chromedriver could not be started ({e}): install Debian's chromium and chromium-driver (.ci/run does)")
        });
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let driver = Killed(child);
    let mut said = String::new();
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).expect("chromedriver's output") == 0 {
            panic!("chromedriver ended before it listened: {said}");
        }
        said.push_str(&line);
        if line.contains("started successfully") {
            break;
        }
    }
    // The rest of its log is read and dropped, so that it never blocks on a full pipe.
    std::thread::spawn(move || {
        let _ = out.read_to_end(&mut Vec::new());
    });
    (driver, port)
}

/// A headless Chromium session, as CI runs it (root, no display).
pub async fn browser(driver_port: u16, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--lang=zh-CN",
                format!("--window-size={},{}", WINDOW.0, WINDOW.1),
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a chromium session through chromedriver");
    viewport(&client, WINDOW.0, WINDOW.1).await;
    client
}

/// Sizes the window so that the page itself (the viewport) is `width` × `height`.
pub async fn viewport(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.expect("window size");
    let frame = c
        .execute("return window.outerHeight - window.innerHeight;", vec![])
        .await
        .expect("the window's frame")
        .as_u64()
        .unwrap_or(0) as u32;
    c.set_window_size(width, height + frame)
        .await
        .expect("window size");
}

/// The element `css` once it is on the page.
pub async fn find(c: &Client, css: &str) -> Element {
    match c.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(e) => e,
        Err(e) => panic!("no {css} on {}: {e}", url(c).await),
    }
}

pub async fn url(c: &Client) -> String {
    c.current_url()
        .await
        .map_or_else(|e| e.to_string(), |u| u.to_string())
}

pub async fn text(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.expect("text")
}

/// Waits until `ready` holds, polling; fails after [`WAIT`] saying what it waited for.
pub async fn until<F, Fut>(what: &str, mut ready: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !ready().await {
        assert!(start.elapsed() < WAIT, "waited {WAIT:?} for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks `e` as a user does: scrolled to the middle of the window first (WebDriver would
/// scroll it only to the bottom edge, under the form's sticky 保存 bar).
pub async fn click(c: &Client, e: &Element) {
    let arg = serde_json::to_value(e).expect("an element as an argument");
    c.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![arg])
        .await
        .expect("scroll");
    e.click().await.expect("click");
}

/// Clicks `e` and waits until the page it leads to has loaded (the old page is marked, and
/// the mark must be gone).
pub async fn click_to_next_page(c: &Client, e: &Element) {
    c.execute("window.zongjieOldPage = true;", vec![])
        .await
        .expect("mark the page");
    click(c, e).await;
    until("the next page", || async move {
        c.execute(
            "return window.zongjieOldPage === undefined && document.readyState === 'complete';",
            vec![],
        )
        .await
        .ok()
            == Some(Json::Bool(true))
    })
    .await;
}

/// The page's own `fetch` of `path` (with its cookie): status, headers that matter, bytes.
pub async fn fetch(c: &Client, path: &str) -> (u64, String, String, Vec<u8>) {
    let got = c
        .execute_async(
            r"const [path, done] = arguments;
              fetch(path).then(async (r) => {
                const disposition = r.headers.get('content-disposition') || '';
                const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
                done({
                  status: r.status,
                  type: r.headers.get('content-type') || '',
                  name: m ? decodeURIComponent(m[1]) : '',
                  bytes: Array.from(new Uint8Array(await r.arrayBuffer())),
                });
              }).catch((e) => done({ status: 0, type: String(e), name: '', bytes: [] }));",
            vec![json!(path)],
        )
        .await
        .expect("fetch in the page");
    let bytes = got["bytes"]
        .as_array()
        .expect("bytes")
        .iter()
        .map(|b| b.as_u64().expect("a byte") as u8)
        .collect();
    (
        got["status"].as_u64().unwrap_or(0),
        got["type"].as_str().unwrap_or_default().to_owned(),
        got["name"].as_str().unwrap_or_default().to_owned(),
        bytes,
    )
}

pub fn screenshots() -> PathBuf {
    // target/debug/zongjie → target/screenshots
    let dir = Path::new(env!("CARGO_BIN_EXE_zongjie"))
        .parent()
        .and_then(Path::parent)
        .expect("the target folder")
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots");
    dir
}

/// The window as it is now.
pub async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write screenshot");
}

/// The whole page, the window made as tall as the page for the moment.
pub async fn shot_page(c: &Client, name: &str) {
    let height = c
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .expect("the page's height")
        .as_u64()
        .unwrap_or(0) as u32;
    viewport(c, WINDOW.0, height.clamp(WINDOW.1, 5000)).await;
    shot(c, name).await;
    viewport(c, WINDOW.0, WINDOW.1).await;
}

/// One element, whole: the window made tall enough for it for the moment.
pub async fn shot_of(c: &Client, e: &Element, name: &str) {
    let (_, _, _, height) = e.rectangle().await.expect("the element's size");
    viewport(c, WINDOW.0, (height as u32 + 100).max(WINDOW.1)).await;
    let png = e.screenshot().await.expect("screenshot of an element");
    std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write screenshot");
    viewport(c, WINDOW.0, WINDOW.1).await;
}

/// Scrolls the element `css` to the top of the window.
pub async fn scroll_to(c: &Client, css: &str) {
    let e = serde_json::to_value(find(c, css).await).expect("an element as an argument");
    c.execute("arguments[0].scrollIntoView({ block: 'start' });", vec![e])
        .await
        .expect("scroll");
}

/// Waits until the browser has drawn the preview: one image a page, as many as the page count
/// says (a short report shows all its pages), the first loaded from the SVG route (the rest
/// load as they are scrolled to).
pub async fn drawn(c: &Client) {
    let start = Instant::now();
    // The side column keeps the preview in view; a narrow window stacks it under the form.
    scroll_to(c, "#preview").await;
    let script = "const pages = [...document.querySelectorAll('#preview img[data-testid=preview-page]')];
        const count = document.querySelector('#preview [data-testid=page-count]');
        return pages.length > 0 && count && pages.length === Number(count.dataset.pages)
            && pages[0].complete && pages[0].naturalWidth > 0 && pages[0].src.includes('/preview/page');";
    loop {
        let done = c.execute(script, vec![]).await.expect("the preview's pages");
        if done == serde_json::Value::Bool(true) {
            return;
        }
        if start.elapsed() > WAIT {
            let state = c
                .execute(
                    "return [...document.querySelectorAll('#preview img')].slice(0, 3)
                        .map(i => [i.src, i.complete, i.naturalWidth].join(' '))
                        .concat([document.querySelector('#preview').innerText.slice(0, 200)]);",
                    vec![],
                )
                .await;
            panic!("the preview's pages were not drawn in {WAIT:?}: {state:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
