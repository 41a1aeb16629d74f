//! The three stats resources: a group's summed traffic, each peer's traffic
//! in a group, and one appliance's traffic.
//!
//! Query parameters are checked strictly: an unknown one, a repeated one or
//! one that is not a whole number of seconds is refused with 400. Without
//! `end_time` the range ends now; without `start_time` it starts 24 hours
//! before its end.

use crate::db::{self, Range};
use crate::error::{ApiError, ApiResult};
use crate::numbers::Sum;
use model::{Datapoint, PeerStats, StatBlock};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// How far back a stats request reaches when it names no start.
pub const DEFAULT_SPAN: i64 = 24 * 60 * 60;

/// The query of a stats request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsQuery {
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    pub group_id: Option<i64>,
}

impl StatsQuery {
    /// Reads a raw query string, allowing only the parameters in `allowed`.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> ApiResult<StatsQuery> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| ApiError::bad_param(format!("the query string does not read: {e}")))?;
        let mut q = StatsQuery::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "start_time" if allowed.contains(&"start_time") => &mut q.start_time,
                "end_time" if allowed.contains(&"end_time") => &mut q.end_time,
                "group_id" if allowed.contains(&"group_id") => &mut q.group_id,
                _ => {
                    return Err(ApiError::bad_param(format!(
                        "unknown query parameter '{key}'; this resource takes {}",
                        allowed.join(", ")
                    )))
                }
            };
            if slot.is_some() {
                return Err(ApiError::bad_param(format!("'{key}' is given twice")));
            }
            let n: i64 = value.trim().parse().map_err(|_| {
                ApiError::bad_param(format!("'{key}' must be a whole number, not '{value}'"))
            })?;
            if n < 0 && key != "group_id" {
                return Err(ApiError::bad_param(format!("'{key}' must be 0 or more")));
            }
            *slot = Some(n);
        }
        Ok(q)
    }

    /// The range asked for, given the time now. A start after the end is an
    /// empty range, not an error: nothing ends within it.
    pub fn range(&self, now: i64) -> ApiResult<Range> {
        let end = self.end_time.unwrap_or(now);
        let start = self
            .start_time
            .unwrap_or(end.saturating_sub(DEFAULT_SPAN).max(0));
        Ok(Range { start, end })
    }
}

/// Adds datapoints into per-time totals.
fn accumulate(totals: &mut BTreeMap<i64, [Sum; 4]>, points: &[Datapoint]) {
    for p in points {
        let Some(ts) = p.timestamp else { continue };
        let t = totals.entry(ts).or_default();
        let d = &p.data;
        for (sum, v) in t
            .iter_mut()
            .zip([&d.bytes_in, &d.bytes_out, &d.packets_in, &d.packets_out])
        {
            if let Some(v) = v {
                sum.add(v);
            }
        }
    }
}

fn totals_to_points(totals: BTreeMap<i64, [Sum; 4]>) -> Vec<Datapoint> {
    totals
        .into_iter()
        .map(|(ts, [bi, bo, pi, po])| Datapoint {
            timestamp: Some(ts),
            data: StatBlock {
                bytes_in: bi.value(),
                bytes_out: bo.value(),
                packets_in: pi.value(),
                packets_out: po.value(),
            },
        })
        .collect()
}

/// Some members' datapoints in a group within the range, each with the
/// group's rekeys, written as the JSON items of a `peer_stats` list (comma
/// separated, without the brackets), so that parts read on different
/// connections can be joined by [`join_peer_stats`].
pub fn peer_stats_items(
    conn: &Connection,
    group_id: i64,
    peers: Vec<db::PeerRow>,
    rekeys: &[i64],
    range: Range,
) -> ApiResult<Vec<u8>> {
    let mut out = Vec::new();
    for (i, peer) in peers.into_iter().enumerate() {
        let stats = db::datapoints(conn, group_id, peer.appliance_id, range)?;
        if i == 0 {
            out.reserve(peers_hint(stats.len()));
        } else {
            out.push(b',');
        }
        let item = PeerStats {
            serial: peer.member.serial,
            stats: Some(stats),
            rekey_times: Some(rekeys.to_vec()),
        };
        serde_json::to_writer(&mut out, &item).map_err(|e| {
            tracing::error!(error = %e, "peer stats did not serialize");
            ApiError::internal("the controller could not write its answer")
        })?;
    }
    Ok(out)
}

/// Room for a part of about 25 peers with as many points as the first.
fn peers_hint(points: usize) -> usize {
    25 * (points * crate::resources::BYTES_PER_POINT + 256)
}

/// The `all_peer_group_stats` answer of group `id` from parts made by
/// [`peer_stats_items`], in order: the same bytes `serde_json` writes for
/// [`model::AllPeerGroupStats`].
pub fn join_peer_stats(id: i64, parts: &[Vec<u8>]) -> Vec<u8> {
    let size = parts.iter().map(Vec::len).sum::<usize>() + parts.len() + 64;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(format!("{{\"id\":{id},\"peer_stats\":[").as_bytes());
    let mut first = true;
    for part in parts.iter().filter(|p| !p.is_empty()) {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(part);
        first = false;
    }
    out.extend_from_slice(b"]}");
    out
}

/// A group's members' datapoints summed per timestamp, and its rekeys.
pub fn group_totals(
    conn: &Connection,
    group_id: i64,
    range: Range,
) -> ApiResult<(Vec<Datapoint>, Vec<i64>)> {
    let mut totals = BTreeMap::new();
    for peer in db::group_members(conn, group_id)? {
        accumulate(
            &mut totals,
            &db::datapoints(conn, group_id, peer.appliance_id, range)?,
        );
    }
    Ok((totals_to_points(totals), db::rekeys(conn, group_id, range)?))
}

/// One appliance's datapoints summed over the given groups, and those groups'
/// rekeys, in range.
pub fn appliance_totals(
    conn: &Connection,
    appliance_id: i64,
    groups: &[i64],
    range: Range,
) -> ApiResult<(Vec<Datapoint>, Vec<i64>)> {
    if let [group] = groups {
        // The common case keeps each stored value exactly as it was written.
        let points = db::datapoints(conn, *group, appliance_id, range)?;
        return Ok((points, db::rekeys(conn, *group, range)?));
    }
    let mut totals = BTreeMap::new();
    let mut rekeys = Vec::new();
    for &group in groups {
        accumulate(
            &mut totals,
            &db::datapoints(conn, group, appliance_id, range)?,
        );
        rekeys.extend(db::rekeys(conn, group, range)?);
    }
    rekeys.sort_unstable();
    rekeys.dedup();
    Ok((totals_to_points(totals), rekeys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_strictly() {
        let all = ["start_time", "end_time", "group_id"];
        let two = ["start_time", "end_time"];
        let rows: [(&str, &[&str], Result<StatsQuery, &str>); 8] = [
            ("", &two, Ok(StatsQuery::default())),
            (
                "start_time=10&end_time=20",
                &two,
                Ok(StatsQuery {
                    start_time: Some(10),
                    end_time: Some(20),
                    group_id: None,
                }),
            ),
            (
                "group_id=3",
                &all,
                Ok(StatsQuery {
                    group_id: Some(3),
                    ..Default::default()
                }),
            ),
            (
                "group_id=3",
                &two,
                Err("unknown query parameter 'group_id'"),
            ),
            ("start=1", &two, Err("unknown query parameter 'start'")),
            ("start_time=abc", &two, Err("must be a whole number")),
            ("start_time=1&start_time=2", &two, Err("given twice")),
            ("end_time=-5", &two, Err("0 or more")),
        ];
        for (raw, allowed, want) in rows {
            let got = StatsQuery::parse(Some(raw), allowed);
            match (got, want) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{raw}"),
                (Err(e), Err(w)) => assert!(e.text.contains(w), "{raw}: {}", e.text),
                (g, w) => panic!("{raw}: got {g:?}, want {w:?}"),
            }
        }
    }

    /// Each row: how many peers, and where they are cut into parts. The
    /// joined parts must be exactly what serde writes for the whole answer.
    #[test]
    fn joined_parts_are_the_whole_answer() {
        use crate::store::Store;
        let store = Store::memory().unwrap();
        let range = Range {
            start: 0,
            end: 10_000,
        };
        let rows: [(usize, &[usize]); 5] =
            [(0, &[0]), (1, &[1]), (1, &[0]), (3, &[2]), (4, &[1, 3])];
        for (n, cuts) in rows {
            let peers: Vec<db::PeerRow> = (0..n)
                .map(|i| db::PeerRow {
                    appliance_id: i as i64,
                    member: model::Member {
                        serial: format!("EC-{i}"),
                        name: None,
                    },
                })
                .collect();
            let rekeys = [300, 600];
            let whole = model::AllPeerGroupStats {
                id: Some(7),
                peer_stats: Some(
                    peers
                        .iter()
                        .map(|p| PeerStats {
                            serial: p.member.serial.clone(),
                            stats: Some(Vec::new()),
                            rekey_times: Some(rekeys.to_vec()),
                        })
                        .collect(),
                ),
            };
            let mut bounds = vec![0];
            bounds.extend_from_slice(cuts);
            bounds.push(n);
            let parts: Vec<Vec<u8>> = bounds
                .windows(2)
                .map(|w| {
                    let part = peers[w[0]..w[1]].to_vec();
                    store
                        .read_blocking(|c| peer_stats_items(c, 7, part, &rekeys, range))
                        .unwrap()
                })
                .collect();
            let joined = String::from_utf8(join_peer_stats(7, &parts)).unwrap();
            assert_eq!(
                joined,
                serde_json::to_string(&whole).unwrap(),
                "{n} peers cut at {cuts:?}"
            );
        }
    }

    #[test]
    fn the_default_range_is_the_last_day() {
        let q = StatsQuery::default();
        assert_eq!(
            q.range(100_000),
            Ok(Range {
                start: 100_000 - DEFAULT_SPAN,
                end: 100_000
            })
        );
        let q = StatsQuery {
            start_time: Some(50),
            end_time: Some(40),
            group_id: None,
        };
        assert_eq!(q.range(100), Ok(Range { start: 50, end: 40 }));
    }
}
