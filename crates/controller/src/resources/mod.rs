//! One module per resource of the API, each with its handlers named
//! `<resource>_<verb>`.

pub mod appliances;
pub mod configuration;
pub mod groups;
pub mod poller;

use crate::db;
use crate::error::{ApiError, ApiResult};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::Connection;
use serde::Serialize;

/// A JSON answer carrying the configuration revision as its `ETag`.
pub fn with_etag<T: Serialize>(revision: i64, body: T) -> Response {
    let mut response = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(revision)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// Bytes a stats answer takes per datapoint, about: the timestamp, four
/// counters and their keys.
pub const BYTES_PER_POINT: usize = 128;

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

/// The `If-Match` header of a request, if it has one.
pub fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or("").to_string())
}

/// Refuses a write whose `If-Match` names no current revision. Run inside
/// the write's transaction, so nothing can change between check and write.
pub fn check_if_match(given: Option<&str>, current: i64) -> ApiResult<()> {
    let Some(text) = given else {
        return Ok(());
    };
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

/// The appliance ids of members given by serial; an unknown serial is
/// refused with 409 (the body is well formed, but names an appliance the
/// controller does not have), naming its place, e.g.
/// `groups.items[1].members[2].serial`.
pub fn member_ids(conn: &Connection, serials: &[String], place: &str) -> ApiResult<Vec<i64>> {
    let known = db::appliance_ids(conn)?;
    serials
        .iter()
        .enumerate()
        .map(|(i, serial)| {
            known.get(serial).copied().ok_or_else(|| {
                ApiError::new(
                    StatusCode::CONFLICT,
                    "UNKNOWN_SERIAL",
                    format!("{place}members[{i}].serial: no appliance has serial '{serial}'"),
                )
            })
        })
        .collect()
}

/// 409 for a group name another group already has.
pub fn name_taken(place: &str, name: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "NAME_TAKEN",
        format!("{place}name: another group is already named '{name}'"),
    )
}
