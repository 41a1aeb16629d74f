//! The read resources of the API, through `app(state).oneshot(request)`.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use serde_json::{json, Value};

fn timestamps(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("a list of datapoints")
        .iter()
        .map(|d| d["timestamp"].as_i64().expect("a timestamp"))
        .collect()
}

fn range(start: i64, end: i64) -> String {
    format!("start_time={start}&end_time={end}")
}

#[tokio::test]
async fn appliances_are_listed_with_their_groups() {
    let app = controller();
    let a = get(&app, &format!("{API}/appliances")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::CONTENT_TYPE), Some("application/json"));
    assert_eq!(
        a.json(),
        json!({"items": [
            {"id": 1, "serial": "EC-S-A", "name": "alpha", "group_membership": [1]},
            {"id": 2, "serial": "EC-S-B", "name": "bravo", "group_membership": [1, 2]},
            {"id": 3, "serial": "EC-S-C", "group_membership": [2]},
            {"id": 4, "serial": "EC-S-D", "name": "delta", "group_membership": []}
        ]})
    );
}

#[tokio::test]
async fn one_appliance_or_404() {
    let app = controller();
    let a = get(&app, &format!("{API}/appliances/items/EC-S-B")).await;
    assert_eq!(
        a.json(),
        json!({"id": 2, "serial": "EC-S-B", "name": "bravo", "group_membership": [1, 2]})
    );
    let a = get(&app, &format!("{API}/appliances/items/EC-NOPE")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error_id(), "RESOURCE_NOT_FOUND");
    assert!(a.json()["error_text"].as_str().unwrap().contains("EC-NOPE"));
}

#[tokio::test]
async fn groups_are_listed_with_members_settings_and_extra_properties() {
    let app = controller();
    let a = get(&app, &format!("{API}/groups")).await;
    assert_eq!(a.status, StatusCode::OK);
    let items = a.json()["items"].clone();
    assert_eq!(
        items[0],
        json!({"id": 1, "name": "one", "key_auto_expiry": 3600, "data_rekey_volume": 0,
               "rekey_pktprcnt": 50.5, "rekey_pktcnt": 1000, "headless_timeout": 600,
               "keepalive_interval": 30, "colour": "teal",
               "members": [{"serial": "EC-S-A", "name": "alpha"},
                           {"serial": "EC-S-B", "name": "bravo"}]})
    );
    assert_eq!(
        items[1],
        json!({"id": 2, "name": "two",
               "members": [{"serial": "EC-S-B", "name": "bravo"}, {"serial": "EC-S-C"}]})
    );
}

#[tokio::test]
async fn one_group_or_404() {
    let app = controller();
    let a = get(&app, &format!("{API}/groups/items/2")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["name"], "two");
    for path in [
        "groups/items/99",
        "groups/items/abc",
        "groups/items/99/group_stats",
    ] {
        let a = get(&app, &format!("{API}/{path}")).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(a.error_id(), "RESOURCE_NOT_FOUND", "{path}");
    }
}

/// The group, groups and configuration answers carry the revision as ETag;
/// the appliances and stats answers, which it does not describe, do not.
#[tokio::test]
async fn revision_answers_carry_it_as_etag() {
    let app = controller();
    let revision = get(&app, &format!("{API}/configuration")).await.json()["revision"]
        .as_str()
        .unwrap()
        .to_string();
    let rows = [
        ("/groups", true),
        ("/groups/items/1", true),
        ("/configuration", true),
        ("/appliances", false),
        ("/groups/items/1/group_stats", false),
    ];
    for (path, tagged) in rows {
        let a = get(&app, &format!("{API}{path}")).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        let want = format!("\"{revision}\"");
        let expected = tagged.then_some(want.as_str());
        assert_eq!(a.header(header::ETAG), expected, "{path}");
    }
}

#[tokio::test]
async fn configuration_holds_every_group_and_a_revision() {
    let app = controller();
    let a = get(&app, &format!("{API}/configuration")).await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    let revision = v["revision"].as_str().expect("the revision is a string");
    assert_eq!(
        a.header(header::ETAG),
        Some(format!("\"{revision}\"").as_str())
    );
    let groups = get(&app, &format!("{API}/groups")).await.json();
    assert_eq!(v["groups"], groups);
}

#[tokio::test]
async fn group_stats_sum_the_peers_per_timestamp() {
    let app = controller();
    let a = get(
        &app,
        &format!("{API}/groups/items/1/group_stats?{}", range(T0, T0 + 1200)),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert_eq!(v["id"], 1);
    let stats = v["stats"].as_array().unwrap();
    assert_eq!(stats.len(), 4);
    for (i, d) in (1..).zip(stats) {
        // A carries i units, B ten times that.
        assert_eq!(
            d,
            &json!({"timestamp": T0 + 300 * i, "data": {
                "bytes_in": 1100 * i, "bytes_out": 2200 * i,
                "packets_in": 11 * i, "packets_out": 22 * i}})
        );
    }
    assert_eq!(v["rekey_times"], json!([T0 + 300, T0 + 1000]));
}

/// Each row: the query, the datapoint timestamps and the rekeys expected of
/// group 1. A range holds `start_time < timestamp <= end_time`.
#[tokio::test]
async fn stats_ranges_hold_what_ends_within_them() {
    let app = controller();
    let rows: [(String, Vec<i64>, Vec<i64>); 6] = [
        (
            range(T0, T0 + 1200),
            vec![T0 + 300, T0 + 600, T0 + 900, T0 + 1200],
            vec![T0 + 300, T0 + 1000],
        ),
        (range(T0 + 300, T0 + 900), vec![T0 + 600, T0 + 900], vec![]),
        (range(T0 + 299, T0 + 300), vec![T0 + 300], vec![T0 + 300]),
        (range(T0 + 900, T0 + 1000), vec![], vec![T0 + 1000]),
        (range(T0 + 5000, T0 + 5000), vec![], vec![]),
        (range(T0 + 1200, T0), vec![], vec![]),
    ];
    for (query, points, rekeys) in rows {
        for path in ["group_stats", "all_peer_group_stats"] {
            let v = get(&app, &format!("{API}/groups/items/1/{path}?{query}"))
                .await
                .json();
            let (stats, rekey_times) = match path {
                "group_stats" => (&v["stats"], &v["rekey_times"]),
                _ => (
                    &v["peer_stats"][0]["stats"],
                    &v["peer_stats"][0]["rekey_times"],
                ),
            };
            assert_eq!(timestamps(stats), points, "{path}?{query}");
            assert_eq!(rekey_times, &json!(rekeys), "{path}?{query}");
        }
        let v = get(
            &app,
            &format!("{API}/appliances/items/EC-S-A/group_stats?{query}"),
        )
        .await
        .json();
        assert_eq!(timestamps(&v["stats"]), points, "appliance ?{query}");
        assert_eq!(v["rekey_times"], json!(rekeys), "appliance ?{query}");
    }
}

#[tokio::test]
async fn without_a_range_stats_cover_the_last_24_hours() {
    let now = st_controller::now();
    let (app, _) = controller_with(&fixture(now), test_options());
    let v = get(&app, &format!("{API}/groups/items/1/group_stats"))
        .await
        .json();
    assert_eq!(timestamps(&v["stats"]), [now - 60]);
    assert_eq!(v["stats"][0]["data"], json!({"bytes_in": 77}));
    assert_eq!(v["rekey_times"], json!([now - 120]));
    let v = get(
        &app,
        &format!(
            "{API}/groups/items/1/group_stats?start_time={}",
            now - 26 * 3600
        ),
    )
    .await
    .json();
    assert_eq!(timestamps(&v["stats"]), [now - 25 * 3600, now - 60]);
}

#[tokio::test]
async fn all_peer_group_stats_list_every_member_with_the_group_rekeys() {
    let app = controller();
    let v = get(
        &app,
        &format!(
            "{API}/groups/items/1/all_peer_group_stats?{}",
            range(T0, T0 + 600)
        ),
    )
    .await
    .json();
    assert_eq!(v["id"], 1);
    let peers = v["peer_stats"].as_array().unwrap();
    let serials: Vec<&str> = peers
        .iter()
        .map(|p| p["serial"].as_str().unwrap())
        .collect();
    assert_eq!(serials, ["EC-S-A", "EC-S-B"]);
    assert_eq!(peers[1]["stats"][1]["data"]["bytes_out"], 4000);
    for p in peers {
        assert_eq!(p["rekey_times"], json!([T0 + 300]));
    }
}

#[tokio::test]
async fn an_appliance_s_stats_are_per_group_or_summed_over_its_groups() {
    let app = controller();
    let base = format!(
        "{API}/appliances/items/EC-S-B/group_stats?{}",
        range(T0, T0 + 300)
    );
    let rows = [
        ("&group_id=1", json!(10 * 100), json!([T0 + 300])),
        ("&group_id=2", json!(1000 * 100), json!([])),
        ("", json!(1010 * 100), json!([T0 + 300])),
    ];
    for (extra, bytes_in, rekeys) in rows {
        let v = get(&app, &format!("{base}{extra}")).await.json();
        assert_eq!(v["serial"], "EC-S-B", "{extra}");
        assert_eq!(v["stats"][0]["data"]["bytes_in"], bytes_in, "{extra}");
        assert_eq!(v["rekey_times"], rekeys, "{extra}");
    }
    let v = get(
        &app,
        &format!(
            "{API}/appliances/items/EC-S-D/group_stats?{}",
            range(T0, T0 + 1200)
        ),
    )
    .await
    .json();
    assert_eq!(
        v,
        json!({"serial": "EC-S-D", "stats": [], "rekey_times": []})
    );
}

/// Each row: a path and query, the status and `error_id` expected.
#[tokio::test]
async fn bad_stats_requests_are_refused_with_a_json_error() {
    let app = controller();
    let rows = [
        (
            "appliances/items/EC-S-A/group_stats?group_id=2",
            404,
            "RESOURCE_NOT_FOUND",
        ),
        (
            "appliances/items/EC-S-A/group_stats?group_id=77",
            404,
            "RESOURCE_NOT_FOUND",
        ),
        (
            "appliances/items/EC-NOPE/group_stats",
            404,
            "RESOURCE_NOT_FOUND",
        ),
        (
            "appliances/items/EC-S-A/group_stats?group_id=x",
            400,
            "INVALID_PARAMETER",
        ),
        (
            "groups/items/1/group_stats?group_id=1",
            400,
            "INVALID_PARAMETER",
        ),
        (
            "groups/items/1/all_peer_group_stats?start=1",
            400,
            "INVALID_PARAMETER",
        ),
        (
            "groups/items/1/group_stats?start_time=1.5",
            400,
            "INVALID_PARAMETER",
        ),
        (
            "groups/items/1/group_stats?end_time=1&end_time=2",
            400,
            "INVALID_PARAMETER",
        ),
    ];
    for (path, status, id) in rows {
        let a = get(&app, &format!("{API}/{path}")).await;
        assert_eq!(a.status.as_u16(), status, "{path}: {}", a.text());
        assert_eq!(a.error_id(), id, "{path}");
    }
}

#[tokio::test]
async fn unknown_api_paths_answer_404_with_a_json_error() {
    let app = controller();
    for path in [
        format!("{API}/nothing"),
        format!("{API}/groups/items/1/nothing"),
        "/api/other/1.0/x".to_string(),
        "/api".to_string(),
    ] {
        let a = get(&app, &path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(a.error_id(), "RESOURCE_NOT_FOUND", "{path}");
    }
}
