//! `configuration`: every group at once, with the revision it was read at.

use super::{check_if_match, if_match, member_ids, name_taken, with_etag};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{kind_of, JsonObject, NoQuery};
use crate::validate::{group_input, read_only, GroupInput};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use model::{Configuration, Group, Groups};
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// `GET /configuration`.
pub async fn configuration_get(State(state): State<AppState>, _: NoQuery) -> ApiResult<Response> {
    let (rev, items) = state
        .store
        .read(|c| Ok((db::revision(c)?, db::groups(c)?)))
        .await?;
    Ok(with_etag(rev, configuration(rev, items)))
}

fn configuration(rev: i64, items: Vec<Group>) -> Configuration {
    Configuration {
        groups: Groups { items },
        revision: Some(rev.to_string()),
    }
}

/// `PUT /configuration`: replaces every group at once. Listed groups with an
/// `id` are replaced, listed groups without one are created, and groups not
/// listed are deleted, all in one transaction. A `revision` in the body (or
/// an `If-Match` header) that is not the current one is refused with 412.
pub async fn configuration_replace(
    State(state): State<AppState>,
    _: NoQuery,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> ApiResult<Response> {
    let (revision, inputs) = read_body(&body)?;
    let given = if_match(&headers);
    let (rev, items) = state
        .store
        .write(move |tx| {
            let current = db::revision(tx)?;
            check_if_match(given.as_deref(), current)?;
            if let Some(r) = &revision {
                if *r != current.to_string() {
                    return Err(ApiError::stale(r, current));
                }
            }
            replace_all(tx, inputs)?;
            Ok((db::bump_revision(tx)?, db::groups(tx)?))
        })
        .await?;
    tracing::info!(
        groups = items.len(),
        revision = rev,
        "configuration replaced"
    );
    Ok(with_etag(rev, configuration(rev, items)))
}

/// The body's revision and groups, each group checked on its own.
fn read_body(body: &Map<String, Value>) -> ApiResult<(Option<String>, Vec<GroupInput>)> {
    if let Some(key) = body.keys().find(|k| *k != "groups" && *k != "revision") {
        return Err(ApiError::bad_body(format!(
            "unknown property '{key}'; a configuration has groups and revision"
        )));
    }
    let revision = match body.get("revision") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(ApiError::bad_body(format!(
                "revision must be a string, not {}",
                kind_of(other)
            )))
        }
    };
    let items = match body.get("groups") {
        Some(Value::Object(groups)) => match groups.get("items") {
            None => &Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(ApiError::bad_body(format!(
                    "groups.items must be a list, not {}",
                    kind_of(other)
                )))
            }
        },
        None => return Err(ApiError::bad_body("groups is required")),
        Some(other) => {
            return Err(ApiError::bad_body(format!(
                "groups must be an object, not {}",
                kind_of(other)
            )))
        }
    };
    let mut inputs = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let place = format!("groups.items[{i}].");
        let input = group_input(item, &place)?;
        if input.id.is_none() && input.name.is_none() {
            return Err(ApiError::bad_body(format!("{place}name is required")));
        }
        inputs.push(input);
    }
    Ok((revision, inputs))
}

/// Makes the stored groups exactly `inputs`.
fn replace_all(conn: &Connection, inputs: Vec<GroupInput>) -> ApiResult<()> {
    let existing: HashMap<i64, String> = db::groups(conn)?
        .into_iter()
        .filter_map(|g| Some((g.id?, g.name)))
        .collect();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    let mut writes = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let place = format!("groups.items[{i}].");
        let name = match input.id {
            Some(id) => {
                let Some(current) = existing.get(&id) else {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        "UNKNOWN_GROUP",
                        format!("{place}id: there is no group {id}; a new group has no id"),
                    ));
                };
                if !ids.insert(id) {
                    return Err(ApiError::bad_body(format!(
                        "{place}id: group {id} is listed twice"
                    )));
                }
                if input.name.as_ref().is_some_and(|n| n != current) {
                    let text = format!("group {id} is named '{current}'");
                    return Err(read_only(&place, "name", text));
                }
                current.clone()
            }
            None => input
                .name
                .ok_or_else(|| ApiError::bad_body(format!("{place}name is required")))?,
        };
        if !names.insert(name.clone()) {
            return Err(name_taken(&place, &name));
        }
        let members = member_ids(conn, &input.members, &place)?;
        writes.push((
            input.id,
            Group {
                name,
                ..input.group
            },
            members,
        ));
    }
    for id in existing.keys().filter(|id| !ids.contains(id)) {
        db::delete_group(conn, *id)?;
    }
    for (id, group, members) in writes {
        db::put_group(conn, id, &group, &members)?;
    }
    Ok(())
}
