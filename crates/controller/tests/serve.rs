//! The console's files, and the program itself on a real socket.

mod common;

use axum::http::{header, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use st_controller::Options;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const INDEX: &str = "<!doctype html><title>console</title>\
    <script type=\"module\">import init from '/st-console-0123456789abcdef.js';init();</script>\
    <h1>console</h1>";

fn console_dir() -> std::path::PathBuf {
    let dir = temp_dir("ui");
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    let script = "export default function init() { console.log('the console starts'); }\n";
    std::fs::write(
        dir.join("st-console-0123456789abcdef.js"),
        script.repeat(20),
    )
    .unwrap();
    std::fs::write(dir.join("robots.txt"), "User-agent: *").unwrap();
    dir
}

/// Each row: a path, the status, and whether the body is `index.html`.
#[tokio::test]
async fn deep_links_get_the_console_and_missing_files_get_404() {
    let options = Options {
        ui_dir: Some(console_dir()),
        ..test_options()
    };
    let (app, _) = controller_with(&fixture(0), options);
    let rows = [
        ("/", 200, true),
        ("/groups", 200, true),
        ("/groups/3", 200, true),
        ("/appliances/EC-S-A", 200, true),
        ("/missing.js", 404, false),
        ("/groups/missing.wasm", 404, false),
        ("/st-console-0123456789abcdef.js", 200, false),
        ("/robots.txt", 200, false),
    ];
    for (path, status, index) in rows {
        let a = get(&app, path).await;
        assert_eq!(a.status.as_u16(), status, "{path}");
        assert_eq!(a.text() == INDEX, index, "{path}: {}", a.text());
    }
    let a = get(&app, "/groups/3").await;
    assert_eq!(a.header(header::CACHE_CONTROL), Some("no-cache"));
    assert!(a
        .header(header::CONTENT_TYPE)
        .unwrap()
        .starts_with("text/html"));
    let a = get(&app, "/st-console-0123456789abcdef.js").await;
    assert_eq!(
        a.header(header::CACHE_CONTROL),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let options = Options {
        ui_dir: Some(console_dir()),
        ..test_options()
    };
    let (app, _) = controller_with(&fixture(0), options);
    let inline = "import init from '/st-console-0123456789abcdef.js';init();";
    let hash = {
        use base64::engine::general_purpose::STANDARD;
        use sha2::Digest;
        STANDARD.encode(sha2::Sha256::digest(inline.as_bytes()))
    };
    for path in [
        "/groups/3".to_string(),
        "/st-console-0123456789abcdef.js".to_string(),
        "/missing.js".to_string(),
        format!("{API}/groups"),
        format!("{API}/nothing"),
    ] {
        let a = get(&app, &path).await;
        let csp = a
            .header(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_default();
        for part in [
            "default-src 'self'",
            &format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"),
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {part} missing from {csp}");
        }
        assert_eq!(
            a.header(header::X_CONTENT_TYPE_OPTIONS),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            a.header(header::REFERRER_POLICY),
            Some("no-referrer"),
            "{path}"
        );
    }
}

/// Each row: a path, the encodings accepted, the encoding expected.
#[tokio::test]
async fn assets_and_json_are_compressed_when_accepted() {
    let options = Options {
        ui_dir: Some(console_dir()),
        ..test_options()
    };
    let (app, _) = controller_with(&fixture(0), options);
    let js = "/st-console-0123456789abcdef.js".to_string();
    let groups = format!("{API}/groups");
    let rows = [
        (&js, "gzip", Some("gzip")),
        (&js, "br, gzip", Some("br")),
        (&groups, "gzip", Some("gzip")),
        (&js, "identity", None),
    ];
    for (path, accept, want) in rows {
        let req = axum::http::Request::builder()
            .uri(path.as_str())
            .header(header::ACCEPT_ENCODING, accept)
            .body(axum::body::Body::empty())
            .unwrap();
        let a = send(&app, req).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.header(header::CONTENT_ENCODING), want, "{path} {accept}");
    }
}

#[tokio::test]
async fn without_a_console_the_api_still_answers() {
    let app = controller();
    assert_eq!(get(&app, "/groups").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &format!("{API}/groups")).await.status,
        StatusCode::OK
    );
}

/// The program, started on a free port; ended when dropped.
struct Running {
    child: Child,
    addr: String,
    /// The access code it printed, if sign-in is on.
    code: Option<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_st-controller"))
            .args(["--listen", "127.0.0.1:0", "--db", ":memory:"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the controller starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let code = match line.trim().strip_prefix("access code: ") {
            Some(code) => {
                let code = code.to_string();
                line.clear();
                stdout.read_line(&mut line).unwrap();
                Some(code)
            }
            None => None,
        };
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected line: {line:?}"))
            .to_string();
        Running { child, addr, code }
    }

    /// A plain HTTP/1.1 GET; the status line and the body.
    fn get(&self, path: &str) -> (String, String) {
        self.request(&format!("GET {path} HTTP/1.1\r\n"), "")
    }

    /// Sends a request (its first line and extra headers) and reads the
    /// answer: the status line and the body.
    fn request(&self, head: &str, rest: &str) -> (String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{head}Host: {}\r\nConnection: close\r\n{rest}",
            self.addr
        )
        .unwrap();
        if rest.is_empty() {
            write!(s, "\r\n").unwrap();
        }
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        (head.lines().next().unwrap().to_string(), body.to_string())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_program_serves_demo_data_on_a_real_socket() {
    let c = Running::start(&["--demo", "--no-auth"]);
    assert!(
        !c.addr.ends_with(":0"),
        "the real port is printed: {}",
        c.addr
    );
    let (status, body) = c.get(&format!("{API}/groups"));
    assert_eq!(status, "HTTP/1.1 200 OK");
    let groups: serde_json::Value = serde_json::from_str(body.trim()).unwrap_or_else(|e| {
        panic!("{e}: {body}");
    });
    assert_eq!(groups["items"].as_array().unwrap().len(), 3);
    let (status, _) = c.get(&format!("{API}/nothing"));
    assert_eq!(status, "HTTP/1.1 404 Not Found");
}

/// Each row: a method, a path, a JSON body (or none), and the status line
/// expected. Run in order on one controller over real sockets: every
/// resource and method of the API, the writes moving the revision on.
#[test]
fn every_resource_and_method_answers_on_a_real_socket() {
    let c = Running::start(&["--demo", "--no-auth"]);
    let (_, body) = c.get(&format!("{API}/configuration"));
    let rev = serde_json::from_str::<serde_json::Value>(body.trim()).unwrap()["revision"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, body) = c.get(&format!("{API}/appliances"));
    let serial = serde_json::from_str::<serde_json::Value>(body.trim()).unwrap()["items"][0]
        ["serial"]
        .as_str()
        .unwrap()
        .to_string();

    let config = format!(
        r#"{{"revision": "{rev}", "groups": {{"items": [{{"id": 1}}, {{"id": 2}}, {{"id": 3}}]}}}}"#
    );
    let callback = format!(
        r#"{{"poll_req_id": 999999, "serial": "{serial}", "poll_time": 1, "resp_data": "[]"}}"#
    );
    let rows: Vec<(&str, String, Option<String>, &str)> = vec![
        ("GET", "/appliances".into(), None, "200 OK"),
        ("GET", format!("/appliances/items/{serial}"), None, "200 OK"),
        (
            "GET",
            format!("/appliances/items/{serial}/group_stats"),
            None,
            "200 OK",
        ),
        (
            "GET",
            "/appliances/items/EC-NONE".into(),
            None,
            "404 Not Found",
        ),
        ("GET", "/groups".into(), None, "200 OK"),
        ("GET", "/groups/items/1".into(), None, "200 OK"),
        ("GET", "/groups/items/1/group_stats".into(), None, "200 OK"),
        (
            "GET",
            "/groups/items/1/all_peer_group_stats".into(),
            None,
            "200 OK",
        ),
        ("GET", "/groups/items/99".into(), None, "404 Not Found"),
        ("GET", "/configuration".into(), None, "200 OK"),
        (
            "PUT",
            "/configuration".into(),
            Some(config.clone()),
            "200 OK",
        ),
        // The same body again: its revision is now stale.
        (
            "PUT",
            "/configuration".into(),
            Some(config),
            "412 Precondition Failed",
        ),
        (
            "POST",
            "/groups".into(),
            Some(r#"{"name": "sock", "x": [1]}"#.into()),
            "201 Created",
        ),
        (
            "POST",
            "/groups".into(),
            Some(r#"{"name": "bad", "keepalive_interval": 9}"#.into()),
            "400 Bad Request",
        ),
        (
            "PUT",
            "/groups/items/1".into(),
            Some(r#"{"keepalive_interval": 60}"#.into()),
            "200 OK",
        ),
        (
            "PUT",
            "/groups/items/1".into(),
            Some(format!(
                r#"{{"members": [{{"serial": "{serial}"}}, {{"serial": "EC-NONE"}}]}}"#
            )),
            "409 Conflict",
        ),
        ("DELETE", "/groups/items/3".into(), None, "204 No Content"),
        ("DELETE", "/groups/items/3".into(), None, "404 Not Found"),
        (
            "POST",
            "/poller_callback".into(),
            Some(callback),
            "404 Not Found",
        ),
        (
            "POST",
            "/poller_callback".into(),
            Some("{\"serial\": ".into()),
            "400 Bad Request",
        ),
        (
            "PATCH",
            "/groups/items/1".into(),
            Some("{}".into()),
            "405 Method Not Allowed",
        ),
        ("GET", "/openapi.json".into(), None, "200 OK"),
    ];
    for (method, path, body, expected) in rows {
        let head = format!("{method} {API}{path} HTTP/1.1\r\n");
        let rest = match &body {
            Some(b) => format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}",
                b.len()
            ),
            None => String::new(),
        };
        let (status, answer) = c.request(&head, &rest);
        assert_eq!(
            status,
            format!("HTTP/1.1 {expected}"),
            "{method} {path}: {answer}"
        );
        if !expected.starts_with('2') {
            let v: serde_json::Value = serde_json::from_str(answer.trim())
                .unwrap_or_else(|e| panic!("{method} {path}: {e}: {answer}"));
            assert!(
                v["error_id"].is_string() && v["error_text"].is_string(),
                "{answer}"
            );
        }
    }
    let (_, body) = c.get(&format!("{API}/groups/items/1"));
    assert!(body.contains("\"keepalive_interval\":60"), "{body}");
}

#[test]
fn a_bad_state_file_stops_the_program_with_its_place() {
    let dir = temp_dir("load");
    let file = dir.join("state.json");
    std::fs::write(
        &file,
        r#"{"groups": [{"name": "a"}, {"name": "b", "keepalive_interval": 5}]}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_st-controller"))
        .args(["--listen", "127.0.0.1:0", "--db", ":memory:", "--load"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("groups[1].keepalive_interval: "), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_good_state_file_is_served() {
    let dir = temp_dir("load");
    let file = dir.join("state.json");
    std::fs::write(&file, fixture(0).to_string()).unwrap();
    let c = Running::start(&["--load", file.to_str().unwrap(), "--demo", "--no-auth"]);
    let (_, body) = c.get(&format!("{API}/appliances/items/EC-S-D"));
    assert!(body.contains("\"delta\""), "{body}");
    let (_, body) = c.get(&format!("{API}/groups"));
    assert!(
        !body.contains("core-mesh"),
        "--demo left a loaded database alone: {body}"
    );
}

#[test]
fn the_demo_simulator_keeps_delivering_datapoints() {
    let c = Running::start(&["--demo", "--sim-interval", "1", "--no-auth"]);
    let last = || {
        let (_, body) = c.get(&format!("{API}/groups/items/1/group_stats"));
        let v: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
        let stats = v["stats"].as_array().unwrap().clone();
        stats.last().unwrap()["timestamp"].as_i64().unwrap()
    };
    let before = last();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let after = last();
    assert!(after > before, "no new datapoint: {before} then {after}");
}

#[test]
fn the_printed_access_code_signs_in() {
    let c = Running::start(&[]);
    let code = c
        .code
        .clone()
        .expect("an access code line before the listening line");
    let (status, _) = c.get(&format!("{API}/groups"));
    assert_eq!(status, "HTTP/1.1 401 Unauthorized");

    let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
    let form = format!("grant_type=access_code&assertion={head}.{code}.&state=s1");
    let rest = format!(
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let (status, body) = c.request("POST /api/common/1.0/oauth/token HTTP/1.1\r\n", &rest);
    assert_eq!(status, "HTTP/1.1 200 OK", "{body}");
    let v: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(v["state"], "s1");
    let token = v["access_token"].as_str().unwrap();

    let (status, _) = c.request(
        &format!("GET {API}/groups HTTP/1.1\r\n"),
        &format!("Authorization: Bearer {token}\r\n\r\n"),
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
}
