//! `groups`, `group`, `group_stats` and `all_peer_group_stats`.

use super::{group_id, with_etag};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::stats::{self, StatsQuery};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::Json;
use model::{AllPeerGroupStats, GroupStats, Groups};

fn unknown(id: i64) -> ApiError {
    ApiError::not_found(format!("there is no group {id}"))
}

/// `GET /groups`: every group, with the revision as `ETag`.
pub async fn groups_list(State(state): State<AppState>) -> ApiResult<Response> {
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
) -> ApiResult<Response> {
    let id = group_id(&raw)?;
    let (rev, group) = state
        .store
        .read(move |c| Ok((db::revision(c)?, db::group(c, id)?)))
        .await?;
    Ok(with_etag(rev, group.ok_or_else(|| unknown(id))?))
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
pub async fn group_peer_stats_get(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<AllPeerGroupStats>> {
    let id = group_id(&raw)?;
    let range =
        StatsQuery::parse(query.as_deref(), &["start_time", "end_time"])?.range(crate::now())?;
    state
        .store
        .read(move |c| {
            if !db::group_exists(c, id)? {
                return Err(unknown(id));
            }
            Ok(Json(AllPeerGroupStats {
                id: Some(id),
                peer_stats: Some(stats::peer_stats(c, id, range)?),
            }))
        })
        .await
}
