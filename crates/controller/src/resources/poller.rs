//! `poller`: appliances answer the controller's stats polls here.
//!
//! The controller issues a `poll_req_id` for each poll it sends to an
//! appliance ([`Poller::issue`]); only an issued id, answered by the
//! appliance it was issued to, is accepted, once. `resp_data` is the JSON
//! text of a list of `peer_stats` objects, each with the `group_id` it
//! belongs to. The whole answer is checked before anything is stored, and
//! stored in one transaction. The simulator delivers its traffic through
//! [`accept`], the same path an HTTP callback takes.

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{kind_of, JsonObject, NoQuery};
use crate::numbers;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use model::{PollerCallback, StatePeerStats};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an issued poll waits for its answer.
pub const POLL_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The polls the controller has issued and not yet had answered.
#[derive(Debug)]
pub struct Poller {
    next: AtomicI64,
    issued: Mutex<HashMap<i64, (String, Instant)>>,
}

impl Default for Poller {
    fn default() -> Self {
        Poller {
            next: AtomicI64::new(1),
            issued: Mutex::new(HashMap::new()),
        }
    }
}

impl Poller {
    /// Registers a poll of the appliance with this serial; its answer must
    /// carry the id returned.
    pub fn issue(&self, serial: &str) -> i64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut issued = self.lock();
        issued.retain(|_, (_, at)| at.elapsed() < POLL_LIFETIME);
        issued.insert(id, (serial.to_string(), Instant::now()));
        id
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (String, Instant)>> {
        self.issued.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the poll `id` if it was issued to `serial` and is still open.
    fn take(&self, id: i64, serial: &str) -> ApiResult<Instant> {
        let mut issued = self.lock();
        match issued.get(&id) {
            Some((s, at)) if s == serial && at.elapsed() < POLL_LIFETIME => {
                let at = *at;
                issued.remove(&id);
                Ok(at)
            }
            Some((s, _)) if s != serial => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "UNKNOWN_POLL_REQUEST",
                format!("poll request {id} was not sent to appliance '{serial}'"),
            )),
            _ => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "UNKNOWN_POLL_REQUEST",
                format!("poll request {id} is unknown, expired or already answered"),
            )),
        }
    }

    /// Opens a taken poll again, after its answer was refused.
    fn put_back(&self, id: i64, serial: &str, at: Instant) {
        self.lock().insert(id, (serial.to_string(), at));
    }
}

/// `POST /poller_callback`: an appliance's answer to a poll.
pub async fn poller_callback_post(
    State(state): State<AppState>,
    _: NoQuery,
    JsonObject(body): JsonObject,
) -> ApiResult<StatusCode> {
    let callback = read_callback(&body)?;
    let stored = accept(&state, callback).await?;
    tracing::debug!(stored, "poll answer stored");
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the four required fields and their types.
fn read_callback(body: &Map<String, Value>) -> ApiResult<PollerCallback> {
    // Each field and whether it is a whole number (else a string).
    let fields = [
        ("poll_req_id", true),
        ("serial", false),
        ("poll_time", true),
        ("resp_data", false),
    ];
    for (key, whole) in fields {
        let Some(v) = body.get(key) else {
            return Err(ApiError::bad_body(format!("{key} is required")));
        };
        let ok = if whole {
            v.is_i64() || v.as_f64().and_then(model::lenient::integral).is_some()
        } else {
            v.is_string()
        };
        if !ok {
            let want = if whole { "a whole number" } else { "a string" };
            return Err(ApiError::bad_body(format!(
                "{key} must be {want}, not {}",
                kind_of(v)
            )));
        }
    }
    serde_json::from_value(Value::Object(body.clone()))
        .map_err(|e| ApiError::bad_body(format!("the callback does not read: {e}")))
}

fn invalid(text: String) -> ApiError {
    ApiError::bad_request("INVALID_RESP_DATA", text)
}

/// Checks and stores an answer to an issued poll; returns the datapoints
/// stored. A refused answer stores nothing and leaves the poll open.
pub async fn accept(state: &AppState, callback: PollerCallback) -> ApiResult<usize> {
    let PollerCallback {
        poll_req_id,
        serial,
        resp_data,
        ..
    } = callback;
    let issued_at = state.poller.take(poll_req_id, &serial)?;
    let result = match read_resp_data(&resp_data, &serial) {
        Ok(entries) => {
            let serial = serial.clone();
            state
                .store
                .write(move |tx| store(tx, &serial, &entries))
                .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = &result {
        tracing::warn!(poll_req_id, %serial, error = %e, "poll answer refused");
        state.poller.put_back(poll_req_id, &serial, issued_at);
    }
    result
}

fn read_resp_data(text: &str, serial: &str) -> ApiResult<Vec<StatePeerStats>> {
    let entries: Vec<StatePeerStats> = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "resp_data is not a JSON list of peer_stats with group_id: {e}"
        ))
    })?;
    for (i, entry) in entries.iter().enumerate() {
        if entry.stats.serial != serial {
            return Err(invalid(format!(
                "resp_data[{i}].serial: '{}' is not the appliance that answered ('{serial}')",
                entry.stats.serial
            )));
        }
        for (j, d) in entry.stats.stats.iter().flatten().enumerate() {
            if d.timestamp.is_none() {
                return Err(invalid(format!(
                    "resp_data[{i}].stats[{j}].timestamp is missing"
                )));
            }
            let data = &d.data;
            for (key, v) in [
                ("bytes_in", &data.bytes_in),
                ("bytes_out", &data.bytes_out),
                ("packets_in", &data.packets_in),
                ("packets_out", &data.packets_out),
            ] {
                if v.as_ref().is_some_and(|n| !numbers::is_count(n)) {
                    return Err(invalid(format!(
                        "resp_data[{i}].stats[{j}].data.{key} must be 0 or more"
                    )));
                }
            }
        }
    }
    Ok(entries)
}

fn store(
    conn: &rusqlite::Connection,
    serial: &str,
    entries: &[StatePeerStats],
) -> ApiResult<usize> {
    let appliance = db::appliance(conn, serial)?
        .ok_or_else(|| invalid(format!("there is no appliance with serial '{serial}'")))?;
    let appliance_id = appliance.id.unwrap_or_default();
    let member_of = appliance.group_membership.unwrap_or_default();
    let mut stored = 0;
    for (i, entry) in entries.iter().enumerate() {
        if !member_of.contains(&entry.group_id) {
            return Err(invalid(format!(
                "resp_data[{i}].group_id: '{serial}' is not a member of group {}",
                entry.group_id
            )));
        }
        for d in entry.stats.stats.iter().flatten() {
            let ts = d.timestamp.unwrap_or_default();
            db::put_datapoint(conn, entry.group_id, appliance_id, ts, &d.data)?;
            stored += 1;
        }
        for &at in entry.stats.rekey_times.iter().flatten() {
            db::put_rekey(conn, entry.group_id, at)?;
        }
    }
    Ok(stored)
}
