//! `groups`, `group`, `group_stats` and `all_peer_group_stats`.

use super::{check_if_match, etag, group_id, if_match, member_ids, name_taken, with_etag};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonObject, NoQuery};
use crate::stats::{self, StatsQuery};
use crate::validate::{group_input, read_only};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use model::{Group, GroupStats, Groups, API_PREFIX};
use serde_json::Value;

fn unknown(id: i64) -> ApiError {
    ApiError::not_found(format!("there is no group {id}"))
}

/// `GET /groups`: every group, with the revision as `ETag`.
pub async fn groups_list(State(state): State<AppState>, _: NoQuery) -> ApiResult<Response> {
    let (rev, items) = state
        .store
        .read(|c| Ok((db::revision(c)?, db::groups(c)?)))
        .await?;
    Ok(with_etag(rev, Groups { items }))
}

/// `GET /groups/items/{id}`.
pub async fn group_get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    _: NoQuery,
) -> ApiResult<Response> {
    let id = group_id(&raw)?;
    let (rev, group) = state
        .store
        .read(move |c| Ok((db::revision(c)?, db::group(c, id)?)))
        .await?;
    Ok(with_etag(rev, group.ok_or_else(|| unknown(id))?))
}

/// `POST /groups`: creates a group; the controller assigns its `id`.
pub async fn groups_create(
    State(state): State<AppState>,
    _: NoQuery,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    let input = group_input(&Value::Object(body), "")?;
    if input.id.is_some() {
        return Err(read_only("", "id", "the controller assigns it"));
    }
    let Some(name) = input.name else {
        return Err(ApiError::bad_body("name is required"));
    };
    let given = if_match(&headers);
    let (rev, group) = state
        .store
        .write(move |tx| {
            check_if_match(given.as_deref(), db::revision(tx)?)?;
            if db::group_id_by_name(tx, &name)?.is_some() {
                return Err(name_taken("", &name));
            }
            let members = member_ids(tx, &input.members, "")?;
            let group = Group {
                name,
                ..input.group
            };
            let id = db::put_group(tx, None, &group, &members)?;
            Ok((db::bump_revision(tx)?, read_back(tx, id)?))
        })
        .await?;
    tracing::info!(id = group.id, name = %group.name, revision = rev, "group created");
    let location = format!("{API_PREFIX}/groups/items/{}", group.id.unwrap_or_default());
    let mut response = with_etag(rev, group);
    *response.status_mut() = StatusCode::CREATED;
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// `PUT /groups/items/{id}`: replaces the group's settings, members and
/// extra properties; `id` and `name` cannot change.
pub async fn group_replace(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    _: NoQuery,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    let id = group_id(&raw)?;
    let input = group_input(&Value::Object(body), "")?;
    if input.id.is_some_and(|given| given != id) {
        return Err(read_only("", "id", format!("this is group {id}")));
    }
    let given = if_match(&headers);
    let (rev, group) = state
        .store
        .write(move |tx| {
            let current = db::group(tx, id)?.ok_or_else(|| unknown(id))?;
            check_if_match(given.as_deref(), db::revision(tx)?)?;
            if input.name.as_ref().is_some_and(|n| *n != current.name) {
                let text = format!("the group is named '{}'", current.name);
                return Err(read_only("", "name", text));
            }
            let members = member_ids(tx, &input.members, "")?;
            let group = Group {
                name: current.name,
                ..input.group
            };
            db::put_group(tx, Some(id), &group, &members)?;
            Ok((db::bump_revision(tx)?, read_back(tx, id)?))
        })
        .await?;
    tracing::info!(id, revision = rev, "group replaced");
    Ok(with_etag(rev, group))
}

/// `DELETE /groups/items/{id}`: removes the group with its traffic.
pub async fn group_delete(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    _: NoQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = group_id(&raw)?;
    let given = if_match(&headers);
    let rev = state
        .store
        .write(move |tx| {
            if !db::group_exists(tx, id)? {
                return Err(unknown(id));
            }
            check_if_match(given.as_deref(), db::revision(tx)?)?;
            db::delete_group(tx, id)?;
            db::bump_revision(tx)
        })
        .await?;
    tracing::info!(id, revision = rev, "group deleted");
    Ok((StatusCode::NO_CONTENT, [(header::ETAG, etag(rev))]).into_response())
}

/// A group just written, read back as a client will see it.
fn read_back(conn: &rusqlite::Connection, id: i64) -> ApiResult<Group> {
    db::group(conn, id)?.ok_or_else(|| ApiError::internal(format!("group {id} vanished")))
}

/// `GET /groups/items/{id}/group_stats`: the members' datapoints summed per
/// timestamp, and the group's rekeys.
pub async fn group_stats_get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<GroupStats>> {
    let id = group_id(&raw)?;
    let range =
        StatsQuery::parse(query.as_deref(), &["start_time", "end_time"])?.range(crate::now())?;
    state
        .store
        .read(move |c| {
            if !db::group_exists(c, id)? {
                return Err(unknown(id));
            }
            let (points, rekeys) = stats::group_totals(c, id, range)?;
            Ok(Json(GroupStats {
                id: Some(id),
                stats: Some(points),
                rekey_times: Some(rekeys),
            }))
        })
        .await
}

/// `GET /groups/items/{id}/all_peer_group_stats`: each member's datapoints.
///
/// A day of 50 peers is 14,400 points, so the members are read and written
/// in two halves at once, on two reader connections. Each half is one read
/// transaction: a poll answered in between shows in the second half only,
/// and every peer's own series is whole either way.
pub async fn group_peer_stats_get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let id = group_id(&raw)?;
    let range =
        StatsQuery::parse(query.as_deref(), &["start_time", "end_time"])?.range(crate::now())?;
    let (mut first, rekeys) = state
        .store
        .read(move |c| {
            if !db::group_exists(c, id)? {
                return Err(unknown(id));
            }
            Ok((db::group_members(c, id)?, db::rekeys(c, id, range)?))
        })
        .await?;
    let second = first.split_off(first.len().div_ceil(2));
    let half = |peers, rekeys: Vec<i64>| {
        state
            .store
            .read(move |c| stats::peer_stats_items(c, id, peers, &rekeys, range))
    };
    let (a, b) = tokio::try_join!(half(first, rekeys.clone()), half(second, rekeys))?;
    let body = stats::join_peer_stats(id, &[a, b]);
    let kind = HeaderValue::from_static("application/json");
    Ok(([(header::CONTENT_TYPE, kind)], body).into_response())
}
