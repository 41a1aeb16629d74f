//! Sign-in, and the 401s of requests without a valid token.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use st_controller::Options;
use std::time::Duration;

const CODE: &str = "TEST-CODE-1234";

fn signed_in_controller(ttl: Duration) -> Router {
    let options = Options {
        access_code: Some(CODE.into()),
        token_ttl: ttl,
        ..test_options()
    };
    controller_with(&fixture(0), options).0
}

fn assertion(code: &str) -> String {
    format!("{}.{code}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#))
}

async fn sign_in(app: &Router, form: &str) -> Answer {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/common/1.0/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    send(app, req).await
}

async fn token(app: &Router) -> String {
    let form = format!(
        "grant_type=access_code&assertion={}&state=xyz",
        assertion(CODE)
    );
    let a = sign_in(app, &form).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    a.json()["access_token"].as_str().unwrap().to_string()
}

async fn get_with(app: &Router, path: &str, authorization: Option<&str>) -> Answer {
    let mut builder = Request::builder().uri(format!("{API}{path}"));
    if let Some(value) = authorization {
        builder = builder.header(header::AUTHORIZATION, value);
    }
    send(app, builder.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_access_code_buys_a_bearer_token() {
    let app = signed_in_controller(Duration::from_secs(600));
    let form = format!(
        "grant_type=access_code&assertion={}&state=xyz",
        assertion(CODE)
    );
    let a = sign_in(&app, &form).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::CACHE_CONTROL), Some("no-store"));
    let v = a.json();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 600);
    assert_eq!(v["state"], "xyz");
    let bearer = format!("Bearer {}", v["access_token"].as_str().unwrap());
    for path in [
        "/groups",
        "/appliances",
        "/groups/items/1/group_stats",
        "/configuration",
    ] {
        let a = get_with(&app, path, Some(&bearer)).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
    }
}

/// Each row: the form, the status and `error_id` expected.
#[tokio::test]
async fn bad_sign_ins_are_refused() {
    let app = signed_in_controller(Duration::from_secs(600));
    let good = assertion(CODE);
    let rows = [
        (
            format!("grant_type=access_code&assertion={}", assertion("WRONG")),
            401,
            "AUTH_INVALID_CREDENTIALS",
        ),
        (
            format!("grant_type=access_code&assertion={}", assertion("")),
            401,
            "AUTH_INVALID_CREDENTIALS",
        ),
        (
            format!("grant_type=password&assertion={good}"),
            400,
            "UNSUPPORTED_GRANT_TYPE",
        ),
        ("grant_type=access_code".to_string(), 400, "INVALID_REQUEST"),
        (format!("assertion={good}"), 400, "INVALID_REQUEST"),
        (
            format!("grant_type=access_code&assertion={CODE}"),
            401,
            "AUTH_INVALID_CREDENTIALS",
        ),
        (
            "grant_type=access_code&assertion=e30.TEST-CODE-1234.".to_string(),
            401,
            "AUTH_INVALID_CREDENTIALS",
        ),
    ];
    for (form, status, id) in rows {
        let a = sign_in(&app, &form).await;
        assert_eq!(a.status.as_u16(), status, "{form}: {}", a.text());
        assert_eq!(a.error_id(), id, "{form}");
    }
    let a = send(
        &app,
        request(Method::GET, "/api/common/1.0/oauth/token", None),
    )
    .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// Each row: the Authorization header, and the `error_id` of the 401.
#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let app = signed_in_controller(Duration::from_secs(600));
    let rows = [
        (None, "AUTH_REQUIRED"),
        (Some("Bearer not-a-token"), "AUTH_INVALID_CREDENTIALS"),
        (Some("Basic dXNlcjpwYXNz"), "AUTH_INVALID_CREDENTIALS"),
        (Some("Bearer"), "AUTH_INVALID_CREDENTIALS"),
    ];
    for (authorization, id) in rows {
        for path in ["/groups", "/groups/items/1", "/appliances/items/EC-S-A"] {
            let a = get_with(&app, path, authorization).await;
            assert_eq!(
                a.status,
                StatusCode::UNAUTHORIZED,
                "{path} {authorization:?}"
            );
            assert_eq!(a.error_id(), id, "{path} {authorization:?}");
            assert!(a.header(header::WWW_AUTHENTICATE).is_some());
        }
    }
    let a = send(
        &app,
        request(
            Method::POST,
            &format!("{API}/groups"),
            Some(&serde_json::json!({"name": "x"})),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_token_is_told_apart() {
    let app = signed_in_controller(Duration::ZERO);
    let bearer = format!("Bearer {}", token(&app).await);
    let a = get_with(&app, "/groups", Some(&bearer)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.error_id(), "AUTH_EXPIRED_TOKEN");
}

#[tokio::test]
async fn without_sign_in_any_code_gets_a_token_and_none_is_needed() {
    let app = controller();
    let form = format!("grant_type=access_code&assertion={}", assertion("anything"));
    assert_eq!(sign_in(&app, &form).await.status, StatusCode::OK);
    assert_eq!(get_with(&app, "/groups", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_needs_no_sign_in_and_names_every_route() {
    let app = signed_in_controller(Duration::from_secs(600));
    let a = get_with(&app, "/openapi.json", None).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/appliances", &["get"][..]),
        ("/appliances/items/{serial}", &["get"]),
        ("/appliances/items/{serial}/group_stats", &["get"]),
        ("/groups", &["get", "post"]),
        ("/groups/items/{id}", &["get", "put", "delete"]),
        ("/groups/items/{id}/group_stats", &["get"]),
        ("/groups/items/{id}/all_peer_group_stats", &["get"]),
        ("/configuration", &["get", "put"]),
        ("/poller_callback", &["post"]),
    ] {
        let item = &paths[&format!("{API}{path}")];
        for m in methods {
            assert_eq!(
                item[m]["security"],
                serde_json::json!([{"bearer": []}]),
                "{m} {path}"
            );
        }
    }
    assert!(paths.contains_key("/api/common/1.0/oauth/token"));
}
