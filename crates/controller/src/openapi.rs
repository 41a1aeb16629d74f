//! `GET /api/cmc.sectransport/2.0/openapi.json`: an OpenAPI 3.1 document of
//! the whole API, generated with utoipa from the model's types.
//!
//! The operations are declared here, one stub per route naming the handler
//! that serves it, so the handlers stay plain axum functions. After utoipa
//! has built the document, [`finish`] writes into it what the derive cannot
//! know: every setting's bound and integer rule from [`model::Setting`] (so
//! a bound is still written once), read-only fields, an error answer on
//! every operation, and the bearer security when sign-in is on.

#![allow(
    dead_code,
    reason = "the stubs exist only to carry the operations' attributes"
)]

use crate::extract::NoQuery;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use model::{
    AllPeerGroupStats, Appliance, Appliances, Configuration, Datapoint, ErrorBody, Group,
    GroupStats, Groups, Member, PeerStats, PollerCallback, Setting, StatBlock, TokenResponse,
};
use serde_json::{json, Map, Value};
use utoipa::{OpenApi, ToSchema};

/// The sign-in form (`application/x-www-form-urlencoded`).
#[derive(ToSchema)]
pub struct TokenRequest {
    /// Always `access_code`.
    grant_type: String,
    /// `base64url({"alg":"none"})` + `.` + the access code + `.`.
    assertion: String,
    /// Any text; echoed in the answer.
    state: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "cmc.sectransport",
        version = "2.0",
        description = "Secure transport: groups of WAN appliances that encrypt traffic among \
            themselves with IPsec, their settings, and the traffic and rekeys of their peers. \
            Timestamps are Unix epoch seconds; a datapoint holds what was transferred in the \
            interval ending at its timestamp; a stats range holds start_time < timestamp <= \
            end_time, by default the last 24 hours."
    ),
    paths(
        appliances_list,
        appliance_get,
        appliance_stats_get,
        groups_list,
        groups_create,
        group_get,
        group_replace,
        group_delete,
        group_stats_get,
        group_peer_stats_get,
        configuration_get,
        configuration_replace,
        poller_callback_post,
        token_create
    ),
    components(schemas(
        Appliance,
        Appliances,
        Member,
        Group,
        Groups,
        Configuration,
        StatBlock,
        Datapoint,
        PeerStats,
        GroupStats,
        AllPeerGroupStats,
        PollerCallback,
        ErrorBody,
        TokenRequest,
        TokenResponse
    ))
)]
struct ApiDoc;

/// `GET /openapi.json`: the document, with security when sign-in is on.
pub async fn openapi_get(State(state): State<AppState>, _: NoQuery) -> Response {
    Json(document(state.options.access_code.is_some())).into_response()
}

/// The whole document.
pub fn document(sign_in: bool) -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
    finish(&mut doc, sign_in);
    doc
}

const I64_MAX: i64 = i64::MAX;
const I64_MIN: i64 = i64::MIN;

/// Writes bounds, read-only fields, errors and security into the document.
fn finish(doc: &mut Value, sign_in: bool) {
    let schemas = &mut doc["components"]["schemas"];

    let group = &mut schemas["Group"];
    for s in Setting::ALL {
        let p = &mut group["properties"][s.key()];
        let kind = if s.integer() { "integer" } else { "number" };
        *p = json!({"type": [kind, "null"], "minimum": s.min(), "description": format!("{} ({}), {}", s.description(), s.kind().unit(), s.range_text())});
        if let Some(max) = s.max() {
            p["maximum"] = json!(max);
        } else if s.integer() {
            // The controller keeps counters as 64-bit unsigned integers.
            p["maximum"] = json!(u64::MAX);
        }
    }
    group["properties"]["id"]["readOnly"] = json!(true);
    group["properties"]["name"]["minLength"] = json!(1);
    group["properties"]["name"]["pattern"] = json!("\\S");
    group["properties"]["members"] = json!({
        "type": ["array", "null"],
        "uniqueItems": true,
        "items": {"$ref": "#/components/schemas/Member"},
    });
    group["additionalProperties"] = json!(true);
    group["description"] = json!("A secure transport group; properties other than those listed are kept and returned unchanged");

    // A replacement cannot change `id` or `name`, so it does not send them.
    let mut replace = group.clone();
    replace["properties"]["name"]["readOnly"] = json!(true);
    replace["required"] = json!([]);
    replace["description"] = json!("A group's new settings, members and other properties");
    schemas["GroupReplacement"] = replace;

    let member = &mut schemas["Member"];
    member["properties"]["name"]["readOnly"] = json!(true);
    member["properties"]["serial"]["minLength"] = json!(1);
    member["properties"]["serial"]["pattern"] = json!("\\S");
    member["additionalProperties"] = json!(false);

    for key in ["poll_req_id", "poll_time"] {
        let p = &mut schemas["PollerCallback"]["properties"][key];
        p["minimum"] = json!(I64_MIN);
        p["maximum"] = json!(I64_MAX);
    }
    schemas["TokenRequest"]["properties"]["grant_type"]["enum"] = json!(["access_code"]);

    if sign_in {
        doc["components"]["securitySchemes"] = json!({
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "A token from POST /api/common/1.0/oauth/token"}
        });
    }
    // A replacement of the configuration must say what the groups become.
    let mut config = doc["components"]["schemas"]["Configuration"].clone();
    config["required"] = json!(["groups"]);
    config["additionalProperties"] = json!(false);
    doc["components"]["schemas"]["ConfigurationReplacement"] = config;

    for (path, method, schema) in [
        ("/groups/items/{id}", "put", "GroupReplacement"),
        ("/configuration", "put", "ConfigurationReplacement"),
    ] {
        let op = &mut doc["paths"][format!("{}{path}", model::API_PREFIX)][method];
        op["requestBody"]["content"]["application/json"]["schema"] =
            json!({"$ref": format!("#/components/schemas/{schema}")});
    }

    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut().filter_map(Value::as_object_mut) {
            finish_operation(operation, sign_in && path.starts_with(model::API_PREFIX));
        }
    }
}

fn finish_operation(operation: &mut Map<String, Value>, secured: bool) {
    let error = json!({
        "description": "An error: error_id says which, error_text says why in words",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    });
    let responses = operation
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("responses are an object");
    for (status, text) in [
        ("400", "The request is malformed or breaks a bound"),
        ("405", "The resource does not take this method"),
    ] {
        let mut e = error.clone();
        e["description"] = json!(text);
        responses.entry(status).or_insert(e);
    }
    if secured {
        let mut e = error.clone();
        e["description"] = json!(
            "Sign-in is needed: AUTH_REQUIRED, AUTH_INVALID_CREDENTIALS or AUTH_EXPIRED_TOKEN"
        );
        responses.insert("401".into(), e);
    }
    responses.insert("default".into(), error);
    if secured {
        operation.insert("security".into(), json!([{"bearer": []}]));
    }
}

const RANGE: &str =
    "start_time < timestamp <= end_time; without start_time, 24 hours before the end";

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/appliances", tag = "appliances",
    description = "Every registered appliance, with the groups it belongs to. Served by `appliances_list`.",
    responses((status = 200, description = "The appliances", body = Appliances)))]
fn appliances_list() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/appliances/items/{serial}", tag = "appliances",
    params(("serial" = String, Path, description = "The appliance's serial")),
    responses((status = 200, description = "The appliance", body = Appliance),
              (status = 404, description = "No appliance has this serial", body = ErrorBody)))]
fn appliance_get() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/appliances/items/{serial}/group_stats", tag = "stats",
    description = "One appliance's datapoints in a group (`group_id`), or summed over all its groups, with those groups' rekeys.",
    params(("serial" = String, Path, description = "The appliance's serial"),
           ("start_time" = Option<i64>, Query, minimum = 0, description = RANGE),
           ("end_time" = Option<i64>, Query, minimum = 0, description = "The end of the range; now when absent"),
           ("group_id" = Option<i64>, Query, description = "Only this group's traffic")),
    responses((status = 200, description = "The appliance's stats", body = PeerStats),
              (status = 404, description = "No such appliance, or it is not in the group", body = ErrorBody)))]
fn appliance_stats_get() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/groups", tag = "groups",
    responses((status = 200, description = "Every group; the ETag is the configuration revision", body = Groups)))]
fn groups_list() {}

#[utoipa::path(post, path = "/api/cmc.sectransport/2.0/groups", tag = "groups",
    description = "Creates a group; the controller assigns its id. Members name registered appliances by serial.",
    params(("If-Match" = Option<String>, Header, description = "The revision the change is based on, quoted")),
    request_body = Group,
    responses((status = 201, description = "The group created", body = Group),
              (status = 409, description = "The name is taken, or a member is not a registered appliance", body = ErrorBody),
              (status = 412, description = "If-Match names a revision that is not current", body = ErrorBody),
              (status = 413, description = "The body is larger than 1 MiB", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody)))]
fn groups_create() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/groups/items/{id}", tag = "groups",
    params(("id" = i64, Path, description = "The group's id")),
    responses((status = 200, description = "The group; the ETag is the configuration revision", body = Group),
              (status = 404, description = "No such group", body = ErrorBody)))]
fn group_get() {}

#[utoipa::path(put, path = "/api/cmc.sectransport/2.0/groups/items/{id}", tag = "groups",
    description = "Replaces the group's settings, members and other properties; id and name cannot change.",
    params(("id" = i64, Path, description = "The group's id"),
           ("If-Match" = Option<String>, Header, description = "The revision the change is based on, quoted")),
    request_body(content = inline(Object), description = "The group's new settings, members and other properties"),
    responses((status = 200, description = "The group as stored", body = Group),
              (status = 404, description = "No such group", body = ErrorBody),
              (status = 409, description = "A member is not a registered appliance", body = ErrorBody),
              (status = 412, description = "If-Match names a revision that is not current", body = ErrorBody),
              (status = 413, description = "The body is larger than 1 MiB", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody)))]
fn group_replace() {}

#[utoipa::path(delete, path = "/api/cmc.sectransport/2.0/groups/items/{id}", tag = "groups",
    description = "Deletes the group with its traffic and rekeys.",
    params(("id" = i64, Path, description = "The group's id"),
           ("If-Match" = Option<String>, Header, description = "The revision the change is based on, quoted")),
    responses((status = 204, description = "Deleted; the ETag is the new revision"),
              (status = 404, description = "No such group", body = ErrorBody),
              (status = 412, description = "If-Match names a revision that is not current", body = ErrorBody)))]
fn group_delete() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/groups/items/{id}/group_stats", tag = "stats",
    description = "The members' datapoints summed per timestamp, and the group's rekeys.",
    params(("id" = i64, Path, description = "The group's id"),
           ("start_time" = Option<i64>, Query, minimum = 0, description = RANGE),
           ("end_time" = Option<i64>, Query, minimum = 0, description = "The end of the range; now when absent")),
    responses((status = 200, description = "The group's stats", body = GroupStats),
              (status = 404, description = "No such group", body = ErrorBody)))]
fn group_stats_get() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/groups/items/{id}/all_peer_group_stats", tag = "stats",
    description = "Each member's datapoints, each with the group's rekeys.",
    params(("id" = i64, Path, description = "The group's id"),
           ("start_time" = Option<i64>, Query, minimum = 0, description = RANGE),
           ("end_time" = Option<i64>, Query, minimum = 0, description = "The end of the range; now when absent")),
    responses((status = 200, description = "Every member's stats", body = AllPeerGroupStats),
              (status = 404, description = "No such group", body = ErrorBody)))]
fn group_peer_stats_get() {}

#[utoipa::path(get, path = "/api/cmc.sectransport/2.0/configuration", tag = "configuration",
    responses((status = 200, description = "Every group, with the revision (also the ETag)", body = Configuration)))]
fn configuration_get() {}

#[utoipa::path(put, path = "/api/cmc.sectransport/2.0/configuration", tag = "configuration",
    description = "Replaces every group at once: listed groups with an id are replaced, listed groups \
        without one are created, groups not listed are deleted. A revision (in the body or If-Match) \
        that is not current is refused.",
    params(("If-Match" = Option<String>, Header, description = "The revision the change is based on, quoted")),
    request_body = Configuration,
    responses((status = 200, description = "The configuration as stored, with its new revision", body = Configuration),
              (status = 409, description = "A name is taken twice, an id or a member is unknown", body = ErrorBody),
              (status = 412, description = "The revision is not current", body = ErrorBody),
              (status = 413, description = "The body is larger than 1 MiB", body = ErrorBody),
              (status = 415, description = "The body is not JSON", body = ErrorBody)))]
fn configuration_replace() {}

#[utoipa::path(post, path = "/api/cmc.sectransport/2.0/poller_callback", tag = "poller",
    description = "An appliance's answer to a stats poll the controller issued. resp_data is the JSON \
        text of a list of peer_stats objects, each with its group_id.",
    request_body = PollerCallback,
    responses((status = 204, description = "Stored"),
              (status = 404, description = "The poll request is unknown, expired, answered or not the appliance's", body = ErrorBody)))]
fn poller_callback_post() {}

#[utoipa::path(post, path = "/api/common/1.0/oauth/token", tag = "sign-in",
    description = "Exchanges the access code for a bearer token.",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "A token", body = TokenResponse),
              (status = 401, description = "The access code or the assertion is not right", body = ErrorBody),
              (status = 415, description = "The body is not a form", body = ErrorBody)))]
fn token_create() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_come_from_the_model() {
        let doc = document(true);
        let g = &doc["components"]["schemas"]["Group"]["properties"];
        assert_eq!(g["keepalive_interval"]["type"], json!(["integer", "null"]));
        assert_eq!(g["keepalive_interval"]["minimum"], json!(10.0));
        assert_eq!(g["keepalive_interval"]["maximum"], json!(3600.0));
        assert_eq!(g["key_auto_expiry"]["type"], json!(["number", "null"]));
        assert_eq!(g["key_auto_expiry"]["maximum"], json!(31_557_600.0));
        assert_eq!(g["data_rekey_volume"]["minimum"], json!(0.0));
        assert!(g["data_rekey_volume"].get("maximum").is_none());
        assert_eq!(g["id"]["readOnly"], true);
    }

    #[test]
    fn security_follows_sign_in() {
        let op = |doc: &Value| doc["paths"]["/api/cmc.sectransport/2.0/groups"]["get"].clone();
        assert_eq!(op(&document(true))["security"], json!([{"bearer": []}]));
        assert!(op(&document(false)).get("security").is_none());
        let token = &document(true)["paths"]["/api/common/1.0/oauth/token"]["post"];
        assert!(token.get("security").is_none());
    }
}
