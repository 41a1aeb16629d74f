//! `appliances`, `appliance` and `peer_group_stats`: the registered
//! appliances and one appliance's traffic.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::NoQuery;
use crate::stats::{self, StatsQuery};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use model::{Appliance, Appliances, PeerGroupStats};

/// `GET /appliances`: every appliance with its group membership.
pub async fn appliances_list(
    State(state): State<AppState>,
    _: NoQuery,
) -> ApiResult<Json<Appliances>> {
    let items = state.store.read(db::appliances).await?;
    Ok(Json(Appliances { items }))
}

fn unknown(serial: &str) -> ApiError {
    ApiError::not_found(format!("there is no appliance with serial '{serial}'"))
}

/// `GET /appliances/items/{serial}`.
pub async fn appliance_get(
    State(state): State<AppState>,
    Path(serial): Path<String>,
    _: NoQuery,
) -> ApiResult<Json<Appliance>> {
    let found = {
        let serial = serial.clone();
        state.store.read(move |c| db::appliance(c, &serial)).await?
    };
    found.map(Json).ok_or_else(|| unknown(&serial))
}

/// `GET /appliances/items/{serial}/group_stats`: the appliance's datapoints
/// in the group `group_id`, or summed over all its groups when none is named,
/// with those groups' rekeys.
pub async fn appliance_stats_get(
    State(state): State<AppState>,
    Path(serial): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<PeerGroupStats>> {
    let query = StatsQuery::parse(raw.as_deref(), &["start_time", "end_time", "group_id"])?;
    let range = query.range(crate::now())?;
    state
        .store
        .read(move |c| {
            let a = db::appliance(c, &serial)?.ok_or_else(|| unknown(&serial))?;
            let member_of = a.group_membership.unwrap_or_default();
            let groups = match query.group_id {
                None => member_of,
                Some(g) if member_of.contains(&g) => vec![g],
                Some(g) if !db::group_exists(c, g)? => {
                    return Err(ApiError::not_found(format!("there is no group {g}")))
                }
                Some(g) => {
                    return Err(ApiError::not_found(format!(
                        "appliance '{serial}' is not a member of group {g}"
                    )))
                }
            };
            let id = a.id.unwrap_or_default();
            let (points, rekeys) = stats::appliance_totals(c, id, &groups, range)?;
            Ok(Json(PeerGroupStats {
                serial,
                stats: Some(points),
                rekey_times: Some(rekeys),
            }))
        })
        .await
}
