//! One module per resource of the API, each with its handlers named
//! `<resource>_<verb>`.

pub mod appliances;
pub mod configuration;
pub mod groups;

use crate::error::{ApiError, ApiResult};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// A JSON answer carrying the configuration revision as its `ETag`.
pub fn with_etag<T: Serialize>(revision: i64, body: T) -> Response {
    let mut response = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(revision)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// The quoted entity tag of a revision.
pub fn etag(revision: i64) -> String {
    format!("\"{revision}\"")
}

/// Reads a group id from the path.
pub fn group_id(raw: &str) -> ApiResult<i64> {
    raw.parse().map_err(|_| {
        ApiError::not_found(format!("there is no group '{raw}': ids are whole numbers"))
    })
}

/// Refuses a write whose `If-Match` names no current revision.
pub fn check_if_match(headers: &HeaderMap, current: i64) -> ApiResult<()> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let text = value.to_str().unwrap_or("");
    let current_tag = etag(current);
    let matches = text
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t == current_tag);
    if matches {
        Ok(())
    } else {
        Err(ApiError::stale(text, current))
    }
}
