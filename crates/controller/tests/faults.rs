//! Injected failures: what `--faults` does to API answers, and what it
//! leaves alone.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use st_controller::faults::Faults;
use st_controller::Options;
use std::time::{Duration, Instant};

fn faulty(spec: &str, access_code: Option<&str>) -> Router {
    let options = Options {
        faults: spec.parse::<Faults>().unwrap(),
        access_code: access_code.map(String::from),
        ..test_options()
    };
    controller_with(&fixture(0), options).0
}

async fn sign_in(app: &Router, code: &str) -> Answer {
    let assertion = format!("{}.{code}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#));
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/common/1.0/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "grant_type=access_code&assertion={assertion}"
        )))
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn errors_are_5xx_in_json_or_a_proxy_s_html() {
    for (spec, html) in [("error=1,html=0", false), ("error=1,html=1", true)] {
        let app = faulty(spec, None);
        for _ in 0..6 {
            let a = get(&app, &format!("{API}/groups")).await;
            assert!(
                [500, 502, 503].contains(&a.status.as_u16()),
                "{spec}: {}",
                a.status
            );
            if html {
                assert_eq!(a.header(header::CONTENT_TYPE), Some("text/html"));
                assert!(a.text().contains("<h1>"), "{}", a.text());
            } else {
                assert_eq!(a.error_id(), "INJECTED_FAULT");
            }
        }
    }
}

#[tokio::test]
async fn a_failed_write_changes_nothing() {
    let options = Options {
        faults: "error=1".parse::<Faults>().unwrap(),
        ..test_options()
    };
    let (app, state) = controller_with(&fixture(0), options);
    let body = serde_json::json!({"name": "never"});
    let a = send(
        &app,
        request(Method::POST, &format!("{API}/groups"), Some(&body)),
    )
    .await;
    assert!(a.status.is_server_error());
    let groups = state
        .store
        .read_blocking(st_controller::db::groups)
        .unwrap();
    assert_eq!(groups.len(), 2);
}

#[tokio::test]
async fn truncated_bodies_are_half_of_the_json() {
    let whole = get(&controller(), &format!("{API}/groups")).await.body;
    let app = faulty("truncate=1", None);
    let a = get(&app, &format!("{API}/groups")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, whole[..whole.len() / 2]);
    assert!(serde_json::from_slice::<serde_json::Value>(&a.body).is_err());
}

#[tokio::test]
async fn latency_delays_api_answers_only() {
    let app = faulty("latency=150ms", None);
    let t = Instant::now();
    assert_eq!(
        get(&app, &format!("{API}/appliances")).await.status,
        StatusCode::OK
    );
    assert!(t.elapsed() >= Duration::from_millis(150));
    let t = Instant::now();
    assert_eq!(
        get(&app, &format!("{API}/openapi.json")).await.status,
        StatusCode::OK
    );
    assert!(t.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn sign_in_and_the_document_are_never_failed() {
    let app = faulty("error=1,truncate=1", Some("CODE"));
    for _ in 0..5 {
        let a = sign_in(&app, "CODE").await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.json()["access_token"].is_string());
        let a = get(&app, &format!("{API}/openapi.json")).await;
        assert_eq!(a.status, StatusCode::OK);
        a.json();
    }
}

#[tokio::test]
async fn expire_ends_tokens_early_whatever_expires_in_said() {
    let app = faulty("expire=0s", Some("CODE"));
    let v = sign_in(&app, "CODE").await.json();
    assert_eq!(v["expires_in"], 3600);
    let req = Request::builder()
        .uri(format!("{API}/groups"))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", v["access_token"].as_str().unwrap()),
        )
        .body(Body::empty())
        .unwrap();
    let a = send(&app, req).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.error_id(), "AUTH_EXPIRED_TOKEN");
}
