//! The schema and every SQL statement of the controller.
//!
//! - `appliances(id, serial, name)`.
//! - `groups(id, name, body)`: `body` is the group's JSON object without
//!   `id`, `name` and `members`, so settings keep their exact JSON numbers and
//!   unknown properties come back unchanged.
//! - `members(group_id, appliance_id, position)`: a group's members in the
//!   order they were given; an appliance's `group_membership` is read from
//!   here, so the two always agree.
//! - `datapoints(group_id, appliance_id, ts, counters...)`, keyed for range
//!   scans of one peer in one group: `(group_id, appliance_id, ts)`.
//! - `rekeys(group_id, ts)`: a rekey is a group event, shared by its peers.
//! - `meta(key, value)`: the configuration revision.
//!
//! A stats range holds the datapoints with `start < timestamp <= end`: the
//! intervals ending within it.

use crate::error::ApiResult;
use crate::numbers;
use model::{Appliance, Datapoint, Group, Member, StatBlock};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::collections::HashMap;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS appliances (
    id INTEGER PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    name TEXT
);
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    appliance_id INTEGER NOT NULL REFERENCES appliances(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (group_id, appliance_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS members_by_appliance ON members(appliance_id, group_id);
-- The counters have no declared type on purpose: no affinity, so an INTEGER,
-- a REAL or the TEXT of an integer beyond i64 is kept exactly as written.
CREATE TABLE IF NOT EXISTS datapoints (
    group_id INTEGER NOT NULL,
    appliance_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    bytes_in,
    bytes_out,
    packets_in,
    packets_out,
    PRIMARY KEY (group_id, appliance_id, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rekeys (
    group_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (group_id, ts)
) WITHOUT ROWID;
";

pub fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)
}

/// The interval of a stats request: `start < timestamp <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub end: i64,
}

/// The configuration revision (0 for a new database).
pub fn revision(conn: &Connection) -> ApiResult<i64> {
    let r = conn
        .query_row("SELECT value FROM meta WHERE key = 'revision'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(r.unwrap_or(0))
}

/// Moves the revision on by one and returns the new one.
pub fn bump_revision(conn: &Connection) -> ApiResult<i64> {
    let next = revision(conn)? + 1;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('revision', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [next],
    )?;
    Ok(next)
}

/// Whether the database holds no appliance and no group.
pub fn is_empty(conn: &Connection) -> ApiResult<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM appliances) + (SELECT count(*) FROM groups)",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

/// Removes every appliance, group, datapoint and rekey.
pub fn clear(conn: &Connection) -> ApiResult<()> {
    conn.execute_batch(
        "DELETE FROM datapoints; DELETE FROM rekeys; DELETE FROM members;
         DELETE FROM groups; DELETE FROM appliances;",
    )?;
    Ok(())
}

// ---- appliances ----

fn memberships(conn: &Connection) -> ApiResult<HashMap<i64, Vec<i64>>> {
    let mut stmt =
        conn.prepare_cached("SELECT appliance_id, group_id FROM members ORDER BY group_id")?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (appliance, group) = row?;
        map.entry(appliance).or_default().push(group);
    }
    Ok(map)
}

/// Every appliance, by id, with the groups it belongs to.
pub fn appliances(conn: &Connection) -> ApiResult<Vec<Appliance>> {
    let mut groups = memberships(conn)?;
    let mut stmt = conn.prepare_cached("SELECT id, serial, name FROM appliances ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, serial, name) = row?;
        out.push(Appliance {
            id: Some(id),
            serial,
            name,
            group_membership: Some(groups.remove(&id).unwrap_or_default()),
        });
    }
    Ok(out)
}

/// One appliance by serial, with its inventory id.
pub fn appliance(conn: &Connection, serial: &str) -> ApiResult<Option<Appliance>> {
    let found = conn
        .prepare_cached("SELECT id, serial, name FROM appliances WHERE serial = ?1")?
        .query_row([serial], |r| {
            Ok(Appliance {
                id: Some(r.get(0)?),
                serial: r.get(1)?,
                name: r.get(2)?,
                group_membership: None,
            })
        })
        .optional()?;
    let Some(mut a) = found else { return Ok(None) };
    let mut stmt = conn
        .prepare_cached("SELECT group_id FROM members WHERE appliance_id = ?1 ORDER BY group_id")?;
    let groups = stmt
        .query_map([a.id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    a.group_membership = Some(groups);
    Ok(Some(a))
}

/// The inventory ids of appliances by serial.
pub fn appliance_ids(conn: &Connection) -> ApiResult<HashMap<String, i64>> {
    let mut stmt = conn.prepare_cached("SELECT serial, id FROM appliances")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds an appliance, keeping `id` when given; returns its id.
pub fn insert_appliance(conn: &Connection, a: &Appliance) -> ApiResult<i64> {
    conn.prepare_cached("INSERT INTO appliances (id, serial, name) VALUES (?1, ?2, ?3)")?
        .execute(params![a.id, a.serial, a.name])?;
    Ok(conn.last_insert_rowid())
}

// ---- groups ----

/// The group's JSON without `id`, `name` and `members`: what `body` holds.
fn group_body(g: &Group) -> ApiResult<String> {
    let mut v = match serde_json::to_value(g) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in ["id", "name", "members"] {
        v.remove(key);
    }
    Ok(Value::Object(v).to_string())
}

fn group_from_row(id: i64, name: String, body: &str, members: Vec<Member>) -> ApiResult<Group> {
    let mut map = match serde_json::from_str(body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    map.insert("id".into(), id.into());
    map.insert("name".into(), name.into());
    let group: Result<Group, _> = serde_json::from_value(Value::Object(map));
    let mut group = group.map_err(|e| {
        tracing::error!(group = id, error = %e, "a stored group does not read back");
        crate::error::ApiError::internal(format!(
            "group {id} is stored in a shape it cannot be read in"
        ))
    })?;
    group.members = Some(members);
    Ok(group)
}

fn members_of_all(conn: &Connection) -> ApiResult<HashMap<i64, Vec<Member>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.group_id, a.serial, a.name FROM members m
         JOIN appliances a ON a.id = m.appliance_id ORDER BY m.group_id, m.position",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Member {
                serial: r.get(1)?,
                name: r.get(2)?,
            },
        ))
    })?;
    let mut map: HashMap<i64, Vec<Member>> = HashMap::new();
    for row in rows {
        let (group, member) = row?;
        map.entry(group).or_default().push(member);
    }
    Ok(map)
}

/// Every group, by id, with members' serials and names.
pub fn groups(conn: &Connection) -> ApiResult<Vec<Group>> {
    let mut members = members_of_all(conn)?;
    let mut stmt = conn.prepare_cached("SELECT id, name, body FROM groups ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, body) = row?;
        let m = members.remove(&id).unwrap_or_default();
        out.push(group_from_row(id, name, &body, m)?);
    }
    Ok(out)
}

/// One group with its members, if it exists.
pub fn group(conn: &Connection, id: i64) -> ApiResult<Option<Group>> {
    let row = conn
        .prepare_cached("SELECT name, body FROM groups WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    let Some((name, body)) = row else {
        return Ok(None);
    };
    let members = group_members(conn, id)?
        .into_iter()
        .map(|m| m.member)
        .collect();
    Ok(Some(group_from_row(id, name, &body, members)?))
}

/// Whether a group with this id exists.
pub fn group_exists(conn: &Connection, id: i64) -> ApiResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM groups WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The id of the group with this name, if there is one.
pub fn group_id_by_name(conn: &Connection, name: &str) -> ApiResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM groups WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// A member with its appliance's inventory id.
#[derive(Debug, Clone)]
pub struct PeerRow {
    pub appliance_id: i64,
    pub member: Member,
}

/// A group's members in order, with their inventory ids.
pub fn group_members(conn: &Connection, group_id: i64) -> ApiResult<Vec<PeerRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.serial, a.name FROM members m JOIN appliances a ON a.id = m.appliance_id
         WHERE m.group_id = ?1 ORDER BY m.position",
    )?;
    let rows = stmt.query_map([group_id], |r| {
        Ok(PeerRow {
            appliance_id: r.get(0)?,
            member: Member {
                serial: r.get(1)?,
                name: r.get(2)?,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes a group and its members: a new one when `id` is absent from the
/// table, a replacement otherwise. `member_ids` are appliance ids in order.
pub fn put_group(
    conn: &Connection,
    id: Option<i64>,
    g: &Group,
    member_ids: &[i64],
) -> ApiResult<i64> {
    let body = group_body(g)?;
    conn.prepare_cached(
        "INSERT INTO groups (id, name, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body",
    )?
    .execute(params![id, g.name, body])?;
    let id = match id {
        Some(id) => id,
        None => conn.last_insert_rowid(),
    };
    conn.prepare_cached("DELETE FROM members WHERE group_id = ?1")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO members (group_id, appliance_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (pos, appliance) in member_ids.iter().enumerate() {
        insert.execute(params![id, appliance, pos as i64])?;
    }
    Ok(id)
}

/// Removes a group with its members, datapoints and rekeys; false if there
/// was no such group.
pub fn delete_group(conn: &Connection, id: i64) -> ApiResult<bool> {
    conn.prepare_cached("DELETE FROM datapoints WHERE group_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM rekeys WHERE group_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM members WHERE group_id = ?1")?
        .execute([id])?;
    let n = conn
        .prepare_cached("DELETE FROM groups WHERE id = ?1")?
        .execute([id])?;
    Ok(n > 0)
}

/// Every group id.
pub fn group_ids(conn: &Connection) -> ApiResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM groups ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- stats ----

/// One peer's datapoints in one group within the range, by time.
pub fn datapoints(
    conn: &Connection,
    group_id: i64,
    appliance_id: i64,
    range: Range,
) -> ApiResult<Vec<Datapoint>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ts, bytes_in, bytes_out, packets_in, packets_out FROM datapoints
         WHERE group_id = ?1 AND appliance_id = ?2 AND ts > ?3 AND ts <= ?4 ORDER BY ts",
    )?;
    let rows = stmt.query_map(
        params![group_id, appliance_id, range.start, range.end],
        |r| {
            Ok(Datapoint {
                timestamp: Some(r.get(0)?),
                data: StatBlock {
                    bytes_in: numbers::from_sql(r.get_ref(1)?),
                    bytes_out: numbers::from_sql(r.get_ref(2)?),
                    packets_in: numbers::from_sql(r.get_ref(3)?),
                    packets_out: numbers::from_sql(r.get_ref(4)?),
                },
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A group's rekeys within the range, by time.
pub fn rekeys(conn: &Connection, group_id: i64, range: Range) -> ApiResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ts FROM rekeys WHERE group_id = ?1 AND ts > ?2 AND ts <= ?3 ORDER BY ts",
    )?;
    let rows = stmt.query_map(params![group_id, range.start, range.end], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores a datapoint, replacing one of the same peer, group and time.
pub fn put_datapoint(
    conn: &Connection,
    group_id: i64,
    appliance_id: i64,
    ts: i64,
    data: &StatBlock,
) -> ApiResult<()> {
    let v = |n: &Option<serde_json::Number>| n.as_ref().map(numbers::to_sql);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO datapoints
         (group_id, appliance_id, ts, bytes_in, bytes_out, packets_in, packets_out)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        group_id,
        appliance_id,
        ts,
        v(&data.bytes_in),
        v(&data.bytes_out),
        v(&data.packets_in),
        v(&data.packets_out)
    ])?;
    Ok(())
}

/// Records a rekey of a group (once, however many peers report it).
pub fn put_rekey(conn: &Connection, group_id: i64, ts: i64) -> ApiResult<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO rekeys (group_id, ts) VALUES (?1, ?2)")?
        .execute(params![group_id, ts])?;
    Ok(())
}

/// The latest rekey of a group, if any.
pub fn last_rekey(conn: &Connection, group_id: i64) -> ApiResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(ts) FROM rekeys WHERE group_id = ?1")?
        .query_row([group_id], |r| r.get(0))?)
}

/// The latest datapoint time of a peer in a group, if any.
pub fn last_datapoint(
    conn: &Connection,
    group_id: i64,
    appliance_id: i64,
) -> ApiResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(ts) FROM datapoints WHERE group_id = ?1 AND appliance_id = ?2")?
        .query_row([group_id, appliance_id], |r| r.get(0))?)
}
