//! The poller callback and the simulator that delivers through it.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};
use st_controller::sim::Simulator;

const T: i64 = T0 + 5000;

fn answer(id: i64, serial: &str, entries: Value) -> Value {
    json!({"poll_req_id": id, "serial": serial, "poll_time": T, "resp_data": entries.to_string()})
}

fn entry(group_id: i64, serial: &str, bytes_in: Value) -> Value {
    json!({"group_id": group_id, "serial": serial,
           "stats": [{"timestamp": T, "data": {"bytes_in": bytes_in, "bytes_out": 5}}],
           "rekey_times": [T - 10]})
}

async fn callback(app: &axum::Router, body: &Value) -> Answer {
    send(
        app,
        request(Method::POST, &format!("{API}/poller_callback"), Some(body)),
    )
    .await
}

async fn group_1_near_t(app: &axum::Router) -> Value {
    let path = format!(
        "{API}/groups/items/1/group_stats?start_time={}&end_time={T}",
        T - 60
    );
    get(app, &path).await.json()
}

#[tokio::test]
async fn an_answer_to_an_issued_poll_is_stored_once() {
    let (app, state) = controller_with(&fixture(0), test_options());
    let id = state.poller.issue("EC-S-B");
    let body = answer(
        id,
        "EC-S-B",
        json!([entry(1, "EC-S-B", json!(40)), entry(2, "EC-S-B", json!(2))]),
    );
    let a = callback(&app, &body).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let v = group_1_near_t(&app).await;
    assert_eq!(
        v["stats"],
        json!([{"timestamp": T, "data": {"bytes_in": 40, "bytes_out": 5}}])
    );
    assert_eq!(v["rekey_times"], json!([T - 10]));

    let again = callback(&app, &body).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.error_id(), "UNKNOWN_POLL_REQUEST");
}

/// Makes a callback body from an issued poll id.
type MakeBody = Box<dyn Fn(i64) -> Value>;

/// Each row: a callback made from an issued id, the status
/// and `error_id`, and words of the text. None of them stores anything.
#[tokio::test]
async fn bad_answers_are_refused_and_store_nothing() {
    let (app, state) = controller_with(&fixture(0), test_options());
    let rows: Vec<(MakeBody, u16, &str, &str)> = vec![
        (
            Box::new(|_| answer(999, "EC-S-A", json!([]))),
            404,
            "UNKNOWN_POLL_REQUEST",
            "999",
        ),
        (
            Box::new(|id| answer(id, "EC-S-B", json!([]))),
            404,
            "UNKNOWN_POLL_REQUEST",
            "not sent",
        ),
        (
            Box::new(|id| json!({"poll_req_id": id, "serial": "EC-S-A", "poll_time": T})),
            400,
            "INVALID_BODY",
            "resp_data is required",
        ),
        (
            Box::new(
                |id| json!({"poll_req_id": id, "serial": "EC-S-A", "poll_time": "now", "resp_data": "[]"}),
            ),
            400,
            "INVALID_BODY",
            "poll_time must be a whole number",
        ),
        (
            Box::new(
                |id| json!({"poll_req_id": id, "serial": "EC-S-A", "poll_time": T, "resp_data": []}),
            ),
            400,
            "INVALID_BODY",
            "resp_data must be a string",
        ),
        (
            Box::new(
                |id| json!({"poll_req_id": id, "serial": "EC-S-A", "poll_time": T, "resp_data": "{oops"}),
            ),
            400,
            "INVALID_RESP_DATA",
            "not a JSON list",
        ),
        (
            Box::new(|id| answer(id, "EC-S-A", json!([entry(1, "EC-S-B", json!(1))]))),
            400,
            "INVALID_RESP_DATA",
            "resp_data[0].serial",
        ),
        (
            Box::new(|id| {
                answer(
                    id,
                    "EC-S-A",
                    json!([entry(1, "EC-S-A", json!(1)), entry(2, "EC-S-A", json!(1))]),
                )
            }),
            400,
            "INVALID_RESP_DATA",
            "resp_data[1].group_id",
        ),
        (
            Box::new(|id| answer(id, "EC-S-A", json!([entry(1, "EC-S-A", json!(-1))]))),
            400,
            "INVALID_RESP_DATA",
            "bytes_in must be 0 or more",
        ),
        (
            Box::new(|id| {
                answer(
                    id,
                    "EC-S-A",
                    json!([{"group_id": 1, "serial": "EC-S-A", "stats": [{"data": {}}]}]),
                )
            }),
            400,
            "INVALID_RESP_DATA",
            "timestamp is missing",
        ),
    ];
    for (make, status, error_id, words) in rows {
        let id = state.poller.issue("EC-S-A");
        let body = make(id);
        let a = callback(&app, &body).await;
        assert_eq!(a.status.as_u16(), status, "{body}: {}", a.text());
        assert_eq!(a.error_id(), error_id, "{body}");
        assert!(a.text().contains(words), "{body}: {}", a.text());
    }
    let v = group_1_near_t(&app).await;
    assert_eq!(v["stats"], json!([]));
    assert_eq!(v["rekey_times"], json!([]));
}

#[tokio::test]
async fn a_refused_answer_leaves_the_poll_open_for_a_corrected_one() {
    let (app, state) = controller_with(&fixture(0), test_options());
    let id = state.poller.issue("EC-S-A");
    let bad = answer(id, "EC-S-A", json!([entry(2, "EC-S-A", json!(1))]));
    assert_eq!(callback(&app, &bad).await.status, StatusCode::BAD_REQUEST);
    let good = answer(id, "EC-S-A", json!([entry(1, "EC-S-A", json!(3))]));
    assert_eq!(callback(&app, &good).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_simulator_delivers_datapoints_and_rekeys_through_the_poller() {
    let (app, state) = controller_with(&fixture(0), test_options());
    let mut sim = Simulator::default();
    // Group 1's last datapoint is at T0 + 1200 and its key lives an hour:
    // a tick four hours later covers the gap with one datapoint per member
    // and rekeys by age.
    let now = T0 + 1200 + 4 * 3600;
    let stored = sim.tick(&state, now).await.unwrap();
    assert_eq!(stored, 4, "one datapoint per member of each group");
    let path = format!(
        "{API}/groups/items/1/all_peer_group_stats?start_time={}&end_time={now}",
        T0 + 1200
    );
    let v = get(&app, &path).await.json();
    for peer in v["peer_stats"].as_array().unwrap() {
        let stats = peer["stats"].as_array().unwrap();
        assert_eq!(stats.len(), 1, "{peer}");
        assert_eq!(stats[0]["timestamp"], now);
        assert!(stats[0]["data"]["bytes_out"].as_u64().unwrap() > 0);
        let rekeys = peer["rekey_times"].as_array().unwrap();
        assert!(rekeys.len() >= 3, "hourly keys over four hours: {rekeys:?}");
    }
    // A second tick at the same time has nothing new to deliver.
    assert_eq!(sim.tick(&state, now).await.unwrap(), 0);
}
