//! Helpers shared by the controller's HTTP tests: a controller over a known
//! state file, requests sent with `oneshot`, and answers read as JSON.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the helpers"
)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use st_controller::store::Store;
use st_controller::{app, load, AppState, Options};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

pub const API: &str = "/api/cmc.sectransport/2.0";

/// A fixed range of the fixture, far from now: datapoints every 300 s from
/// `T0 + 300` to `T0 + 1200`, rekeys of group 1 at `T0 + 300` and `T0 + 1000`.
pub const T0: i64 = 1_700_000_000;

/// The fixture: four appliances (`EC-S-D` in no group), group 1 with A and B,
/// group 2 with B and C. Datapoints are one row per (group, peer, time);
/// B's traffic in group 1 is ten times A's, so sums are easy to check.
/// Besides the fixed range, each peer of group 1 has one datapoint a minute
/// ago and one 25 hours ago, to check the default 24-hour range.
pub fn fixture(now: i64) -> Value {
    let points = |scale: i64| {
        (1..=4)
            .map(|i| {
                json!({"timestamp": T0 + 300 * i, "data": {
                    "bytes_in": 100 * i * scale, "bytes_out": 200 * i * scale,
                    "packets_in": i * scale, "packets_out": 2 * i * scale}})
            })
            .chain([
                json!({"timestamp": now - 60, "data": {"bytes_in": 7 * scale}}),
                json!({"timestamp": now - 25 * 3600, "data": {"bytes_in": 9 * scale}}),
            ])
            .collect::<Vec<_>>()
    };
    json!({
        "appliances": [
            {"id": 1, "serial": "EC-S-A", "name": "alpha"},
            {"id": 2, "serial": "EC-S-B", "name": "bravo"},
            {"id": 3, "serial": "EC-S-C"},
            {"id": 4, "serial": "EC-S-D", "name": "delta"}
        ],
        "groups": [
            {"id": 1, "name": "one", "key_auto_expiry": 3600, "data_rekey_volume": 0,
             "rekey_pktprcnt": 50.5, "rekey_pktcnt": 1000, "headless_timeout": 600,
             "keepalive_interval": 30, "colour": "teal",
             "members": [{"serial": "EC-S-A"}, {"serial": "EC-S-B"}]},
            {"id": 2, "name": "two", "members": [{"serial": "EC-S-B"}, {"serial": "EC-S-C"}]}
        ],
        "peer_stats": [
            {"group_id": 1, "serial": "EC-S-A", "stats": points(1),
             "rekey_times": [T0 + 300, T0 + 1000, now - 120]},
            {"group_id": 1, "serial": "EC-S-B", "stats": points(10)},
            {"group_id": 2, "serial": "EC-S-B", "stats": points(1000), "rekey_times": [T0 + 600]}
        ]
    })
}

/// A controller over an in-memory database loaded with `state`.
pub fn controller_with(state: &Value, options: Options) -> (Router, AppState) {
    let store = Store::memory().expect("an in-memory database");
    load::load_text(&store, &state.to_string()).expect("the fixture loads");
    let state = AppState::new(store, options);
    (app(state.clone()), state)
}

/// A controller over [`fixture`], without sign-in.
pub fn controller() -> Router {
    controller_with(&fixture(st_controller::now()), test_options()).0
}

/// Options for tests: no console, no sign-in.
pub fn test_options() -> Options {
    Options::default()
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `error_id` of a JSON error body, checking it has both fields.
    pub fn error_id(&self) -> String {
        let v = self.json();
        assert!(v["error_text"].is_string(), "no error_text: {v}");
        v["error_id"].as_str().expect("an error_id").to_string()
    }
}

/// Sends a request through the router.
pub async fn send(app: &Router, req: Request<Body>) -> Answer {
    let response = app.clone().oneshot(req).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// `GET path`.
pub async fn get(app: &Router, path: &str) -> Answer {
    send(app, request(Method::GET, path, None)).await
}

/// A request with an optional JSON body.
pub fn request(method: Method, path: &str, body: Option<&Value>) -> Request<Body> {
    let builder = Request::builder().method(method).uri(path);
    match body {
        Some(v) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => builder.body(Body::empty()),
    }
    .expect("a valid request")
}

/// A fresh empty directory under the system's temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "st-controller-test-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}
