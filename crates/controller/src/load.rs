//! `--load FILE`: importing a state file ([`model::StateFile`]).
//!
//! The whole file is checked before anything is written, and every problem
//! is named by its place in the file (`groups[1].keepalive_interval: ...`).
//! A file that passes replaces everything the database held, in one
//! transaction; a file that fails changes nothing.
//!
//! Ids are kept when given. A group without an id gets the next one after the
//! largest id the file gives, in file order, so `peer_stats` entries can name
//! it. Appliances' `group_membership` is not read: it follows from the
//! groups' `members`.

use crate::db;
use crate::numbers;
use crate::store::Store;
use model::StateFile;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loaded {
    pub appliances: usize,
    pub groups: usize,
    pub datapoints: usize,
    pub rekeys: usize,
}

/// Reads, checks and imports the state file at `path`; the error says what
/// is wrong and where.
pub fn load_file(store: &Store, path: &Path) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    load_text(store, &text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks and imports a state file's text.
pub fn load_text(store: &Store, text: &str) -> Result<Loaded, String> {
    let state = StateFile::parse(text)?;
    let plan = check(&state).map_err(|problems| problems.join("\n"))?;
    store
        .write_blocking(|tx| write(tx, &state, &plan))
        .map_err(|e| format!("the import failed: {}", e.text))
}

/// The ids everything will have.
#[derive(Debug, Default)]
struct Plan {
    appliance_ids: Vec<i64>,
    group_ids: Vec<i64>,
    /// For each group, the appliance id of each member.
    members: Vec<Vec<i64>>,
    /// For each `peer_stats` entry, its group id and appliance id.
    peers: Vec<(i64, i64)>,
}

/// Gives every item an id: its own when given, else the next after the
/// largest given. Reports repeated and non-positive ids.
fn assign_ids(given: &[Option<i64>], what: &str, problems: &mut Vec<String>) -> Vec<i64> {
    let mut seen = HashMap::new();
    for (i, id) in given.iter().enumerate() {
        let Some(id) = *id else { continue };
        if id < 1 {
            problems.push(format!("{what}[{i}].id: must be 1 or more, not {id}"));
        } else if let Some(j) = seen.insert(id, i) {
            problems.push(format!(
                "{what}[{i}].id: {id} is already the id of {what}[{j}]"
            ));
        }
    }
    let mut next = given.iter().flatten().copied().max().unwrap_or(0).max(0);
    given
        .iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                next += 1;
                next
            })
        })
        .collect()
}

fn check(state: &StateFile) -> Result<Plan, Vec<String>> {
    let mut problems = Vec::new();
    let mut plan = Plan::default();

    let ids: Vec<Option<i64>> = state.appliances.iter().map(|a| a.id).collect();
    plan.appliance_ids = assign_ids(&ids, "appliances", &mut problems);
    let mut by_serial: HashMap<&str, (usize, i64)> = HashMap::new();
    for (i, a) in state.appliances.iter().enumerate() {
        if crate::validate::blank(&a.serial) {
            problems.push(format!("appliances[{i}].serial: must not be empty"));
        } else if let Some((j, _)) = by_serial.insert(&a.serial, (i, plan.appliance_ids[i])) {
            problems.push(format!(
                "appliances[{i}].serial: '{}' is already the serial of appliances[{j}]",
                a.serial
            ));
        }
    }

    let ids: Vec<Option<i64>> = state.groups.iter().map(|g| g.id).collect();
    plan.group_ids = assign_ids(&ids, "groups", &mut problems);
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut members_of: HashMap<i64, HashSet<&str>> = HashMap::new();
    for (i, g) in state.groups.iter().enumerate() {
        if crate::validate::blank(&g.name) {
            problems.push(format!("groups[{i}].name: must not be empty"));
        } else if let Some(j) = names.insert(&g.name, i) {
            problems.push(format!(
                "groups[{i}].name: '{}' is already the name of groups[{j}]",
                g.name
            ));
        }
        for e in g.bound_errors() {
            problems.push(format!("groups[{i}].{}: {e}", e.setting().key()));
        }
        let serials = members_of.entry(plan.group_ids[i]).or_default();
        let mut member_ids = Vec::new();
        for (j, m) in g.member_list().iter().enumerate() {
            let place = format!("groups[{i}].members[{j}].serial");
            match by_serial.get(m.serial.as_str()) {
                None => problems.push(format!("{place}: no appliance has serial '{}'", m.serial)),
                Some(_) if !serials.insert(&m.serial) => {
                    problems.push(format!("{place}: '{}' is listed twice", m.serial))
                }
                Some(&(_, id)) => member_ids.push(id),
            }
        }
        plan.members.push(member_ids);
    }

    for (i, p) in state.peer_stats.iter().enumerate() {
        let place = format!("peer_stats[{i}]");
        let Some(serials) = members_of.get(&p.group_id) else {
            problems.push(format!("{place}.group_id: no group has id {}", p.group_id));
            continue;
        };
        let Some(&(_, appliance_id)) = by_serial.get(p.stats.serial.as_str()) else {
            problems.push(format!(
                "{place}.serial: no appliance has serial '{}'",
                p.stats.serial
            ));
            continue;
        };
        if !serials.contains(p.stats.serial.as_str()) {
            problems.push(format!(
                "{place}.serial: '{}' is not a member of group {}",
                p.stats.serial, p.group_id
            ));
        }
        for (j, d) in p.stats.stats.iter().flatten().enumerate() {
            if d.timestamp.is_none() {
                problems.push(format!("{place}.stats[{j}].timestamp: is missing"));
            }
            let data = &d.data;
            for (key, v) in [
                ("bytes_in", &data.bytes_in),
                ("bytes_out", &data.bytes_out),
                ("packets_in", &data.packets_in),
                ("packets_out", &data.packets_out),
            ] {
                if v.as_ref().is_some_and(|n| !numbers::is_count(n)) {
                    problems.push(format!("{place}.stats[{j}].data.{key}: must be 0 or more"));
                }
            }
        }
        plan.peers.push((p.group_id, appliance_id));
    }

    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

fn write(
    conn: &rusqlite::Connection,
    state: &StateFile,
    plan: &Plan,
) -> crate::error::ApiResult<Loaded> {
    db::clear(conn)?;
    let mut done = Loaded::default();
    for (a, id) in state.appliances.iter().zip(&plan.appliance_ids) {
        let mut a = a.clone();
        a.id = Some(*id);
        db::insert_appliance(conn, &a)?;
        done.appliances += 1;
    }
    for ((g, id), members) in state.groups.iter().zip(&plan.group_ids).zip(&plan.members) {
        db::put_group(conn, Some(*id), g, members)?;
        done.groups += 1;
    }
    for (p, (group_id, appliance_id)) in state.peer_stats.iter().zip(&plan.peers) {
        for d in p.stats.stats.iter().flatten() {
            let ts = d.timestamp.unwrap_or_default();
            db::put_datapoint(conn, *group_id, *appliance_id, ts, &d.data)?;
            done.datapoints += 1;
        }
        for &at in p.stats.rekey_times.iter().flatten() {
            db::put_rekey(conn, *group_id, at)?;
            done.rekeys += 1;
        }
    }
    db::bump_revision(conn)?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "appliances": [
            {"serial": "EC-S-1", "name": "one"},
            {"id": 9, "serial": "EC-S-2", "group_membership": [42]}
        ],
        "groups": [
            {"id": 5, "name": "a", "keepalive_interval": 10, "members": [{"serial": "EC-S-1"}]},
            {"name": "b", "key_auto_expiry": 31.5, "colour": "teal",
             "members": [{"serial": "EC-S-1"}, {"serial": "EC-S-2"}]}
        ],
        "peer_stats": [
            {"group_id": 6, "serial": "EC-S-2",
             "stats": [{"timestamp": 300, "data": {"bytes_in": 18446744073709551615}}],
             "rekey_times": [200, 250]}
        ]
    }"#;

    #[test]
    fn a_good_file_is_imported_with_its_ids() {
        let store = Store::memory().unwrap();
        let done = load_text(&store, GOOD).unwrap();
        assert_eq!(
            done,
            Loaded {
                appliances: 2,
                groups: 2,
                datapoints: 1,
                rekeys: 2
            }
        );
        store
            .read_blocking(|c| {
                let a = db::appliance(c, "EC-S-2")?.unwrap();
                assert_eq!((a.id, a.group_membership), (Some(9), Some(vec![6])));
                let b = db::group(c, 6)?.unwrap();
                assert_eq!(b.extra["colour"], "teal");
                assert_eq!(b.member_list().len(), 2);
                let range = db::Range { start: 0, end: 300 };
                let points = db::datapoints(c, 6, 9, range)?;
                assert_eq!(
                    points[0].data.bytes_in.as_ref().unwrap().to_string(),
                    "18446744073709551615"
                );
                Ok(())
            })
            .unwrap();
    }

    /// Each row: a change to the good file, and the place the refusal names.
    #[test]
    fn bad_files_are_refused_naming_the_place_and_change_nothing() {
        let rows = [
            (
                r#""keepalive_interval": 10"#,
                r#""keepalive_interval": 9"#,
                "groups[0].keepalive_interval: ",
            ),
            (
                r#""key_auto_expiry": 31.5"#,
                r#""key_auto_expiry": 30"#,
                "groups[1].key_auto_expiry: ",
            ),
            (
                r#""keepalive_interval": 10"#,
                r#""keepalive_interval": 10.5"#,
                "groups[0].keepalive_interval: ",
            ),
            (
                r#"{"serial": "EC-S-2"}]"#,
                r#"{"serial": "EC-X"}]"#,
                "groups[1].members[1].serial: no appliance",
            ),
            (
                r#""group_id": 6"#,
                r#""group_id": 7"#,
                "peer_stats[0].group_id: no group has id 7",
            ),
            (
                r#""id": 9, "serial": "EC-S-2""#,
                r#""id": 9, "serial": "EC-S-1""#,
                "appliances[1].serial: ",
            ),
            (r#""name": "b""#, r#""name": "a""#, "groups[1].name: "),
            (
                r#""bytes_in": 18446744073709551615"#,
                r#""bytes_in": -1"#,
                "peer_stats[0].stats[0].data.bytes_in",
            ),
            (
                r#""timestamp": 300,"#,
                "",
                "peer_stats[0].stats[0].timestamp: is missing",
            ),
            (r#""name": "one""#, r#""name": 1"#, "invalid type"),
            (
                "\"peer_stats\"",
                "\"peer_stat\"",
                "unknown field `peer_stat`",
            ),
        ];
        for (from, to, want) in rows {
            assert!(GOOD.contains(from), "{from}");
            let store = Store::memory().unwrap();
            load_text(&store, r#"{"appliances": [{"serial": "KEEP"}]}"#).unwrap();
            let err = load_text(&store, &GOOD.replacen(from, to, 1)).unwrap_err();
            assert!(err.contains(want), "{to}: {err}");
            let kept = store.read_blocking(db::appliances).unwrap();
            assert_eq!(kept.len(), 1, "{to}: the database changed");
        }
    }
}
