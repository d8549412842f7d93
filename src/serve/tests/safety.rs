//! The guards: token, Host, Origin, paths out of the folder (asked for or named in the data),
//! the framework's own refusals and a panic, each a page in Chinese.

use super::*;

#[test]
fn a_missing_or_wrong_token_is_refused() {
    let (_tmp, _, app) = served();
    let req = Request::get("/")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let r = run(&app, req);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("终端"), "{}", r.text());
    let req = Request::get("/?token=ffff")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
    // Only the stylesheet and the script are served without it (the refusal page uses them).
    let req = Request::get("/assets/app.css")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::OK);
    let req = Request::get("/figures?p=minzhengju%2F%E6%8A%A5%E5%91%8A.yaml")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
    let req = Request::get("/")
        .header(header::HOST, HOST)
        .header(
            header::COOKIE,
            format!("zongjie_{PORT}=00000000000000000000000000000000"),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
}

#[test]
fn the_token_in_the_address_becomes_a_strict_http_only_cookie() {
    let (_tmp, _, app) = served();
    let req = Request::get(format!("/report?p=x&token={TOKEN}"))
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    let r = run(&app, req);
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/report?p=x");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains(TOKEN) && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
}

#[test]
fn another_host_name_is_refused() {
    let (_tmp, _, app) = served();
    for host in ["evil.example:4321", "127.0.0.1:80", "localhost"] {
        let req = Request::get("/")
            .header(header::HOST, host)
            .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN, "{host}");
    }
    let req = Request::get("/")
        .header(header::HOST, "localhost:4321")
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::OK);
}

#[test]
fn a_post_from_another_site_is_refused() {
    let (_tmp, root, app) = served();
    let req = Request::post("/new")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=x"))
        .unwrap();
    assert_eq!(run(&app, req).status, StatusCode::FORBIDDEN);
    let req = Request::post("/new")
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .body(Body::from("name=x"))
        .unwrap();
    assert_eq!(
        run(&app, req).status,
        StatusCode::FORBIDDEN,
        "no Origin, no Sec-Fetch-Site"
    );
    assert!(!root.join("x").exists());
}

#[test]
fn paths_outside_the_folder_are_refused() {
    let (tmp, root, app) = served();
    for p in [
        "../etc/passwd",
        "minzhengju/../../x",
        "/etc/passwd",
        "C:/Windows",
        "a\\..\\b",
    ] {
        let r = get(&app, &format!("/report?p={}", p.replace('/', "%2F")));
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{p}: {}", r.text());
        assert!(r.text().contains("工作文件夹"), "{}", r.text());
    }
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("报告.yaml"), "单位: 甲\n年度: 2024\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
        let r = get(&app, "/report?p=link%2F报告.yaml");
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        assert!(r.text().contains("链接"), "{}", r.text());
    }
    drop(tmp);
}

#[test]
fn the_frameworks_own_refusals_are_pages_in_chinese() {
    let (_tmp, root, app) = served();
    let big = "x".repeat(2 << 20);
    let r = post_form(&app, "/report/save?p=minzhengju%2F报告.yaml", &[("导语", &big)]);
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("提交的内容太大"), "{}", r.text());
    assert!(!std::fs::read_to_string(root.join("minzhengju/报告.yaml"))
        .unwrap()
        .contains("xxx"));
    let r = get(&app, "/no-such-page");
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("没有这个页面"));
    let r = get(&app, "/report/save?p=x");
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.text().contains("不支持这种请求"));
}

#[test]
fn a_panic_in_a_handler_is_a_page_and_the_server_goes_on() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let resp = rt.block_on(crate::serve::blocking(|| panic!("a bug in the pipeline")));
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = rt
        .block_on(axum::body::to_bytes(resp.into_body(), usize::MAX))
        .unwrap();
    assert!(String::from_utf8_lossy(&body).contains("服务仍在运行"));
    let (_tmp, _, app) = served();
    assert_eq!(get(&app, "/").status, StatusCode::OK);
}

#[test]
fn a_file_the_data_names_outside_the_folder_is_not_read() {
    let (_tmp, root, app) = served();
    // A case file beside the served folder, not in it, with a line that must not be shown.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("案件.yaml");
    std::fs::write(&secret, "- 编号: 不应显示的内容\n  标题: 机密\n").unwrap();
    let by_dots = pathdiff(&secret, &root.join("minzhengju"));
    for named in [by_dots.as_str(), secret.to_str().unwrap()] {
        let r = post_form(&app, "/preview?p=minzhengju%2F报告.yaml", &[("案件", named)]);
        let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(facts["ok"], false, "{named}: {facts}");
        let message = facts["message"].as_str().unwrap();
        assert!(message.contains("不在所打开的文件夹中"), "{named}: {message}");
        assert!(!message.contains("不应显示"), "{named}: {message}");
    }
    // A link inside the folder that leads out is the same.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, root.join("minzhengju/链接.yaml")).unwrap();
        let r = post_form(
            &app,
            "/preview?p=minzhengju%2F报告.yaml",
            &[("案件", "链接.yaml")],
        );
        let facts: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert!(
            facts["message"]
                .as_str()
                .unwrap()
                .contains("不在所打开的文件夹中"),
            "{facts}"
        );
    }
}

/// `to` written relative to the folder `from` (`../../…/to`).
fn pathdiff(to: &Path, from: &Path) -> String {
    let ups = from.components().count();
    let mut s = "../".repeat(ups);
    s.push_str(to.strip_prefix("/").unwrap().to_str().unwrap());
    s
}
