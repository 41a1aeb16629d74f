//! `configuration`: every group at once, with the revision it was read at.

use super::with_etag;
use crate::db;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use model::{Configuration, Groups};

/// `GET /configuration`.
pub async fn configuration_get(State(state): State<AppState>) -> ApiResult<Response> {
    let (rev, items) = state
        .store
        .read(|c| Ok((db::revision(c)?, db::groups(c)?)))
        .await?;
    let config = Configuration {
        groups: Groups { items },
        revision: Some(rev.to_string()),
    };
    Ok(with_etag(rev, config))
}
