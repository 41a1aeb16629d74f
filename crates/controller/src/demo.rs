//! Demo data: a dozen appliances, three groups with overlapping membership
//! and different settings, one appliance in no group, and seven days of
//! 5-minute datapoints ending now, with the rekeys each group's settings
//! cause.
//!
//! Seeding writes only into an empty database, in one transaction, so a
//! controller restarted on its file keeps what it had.

use crate::db;
use crate::error::ApiResult;
use crate::rekey::{KeyClock, Policy};
use crate::rng::Rng;
use crate::traffic::{Profile, Sample, STEP};
use model::{Appliance, Group};
use rusqlite::Connection;
use serde_json::json;

/// How far back the seeded datapoints reach.
pub const DAYS: i64 = 7;

/// The demo appliances: serial and name. The last one is in no group.
pub const APPLIANCES: [(&str, &str); 12] = [
    ("EC-XL-3A91C4", "ams-core-1"),
    ("EC-XL-5B07D2", "fra-core-1"),
    ("EC-L-0B7D62", "nyc-core-1"),
    ("EC-S-71E3A0", "lon-branch-1"),
    ("EC-S-71E3B8", "lon-branch-2"),
    ("EC-S-8C42F1", "par-branch-1"),
    ("EC-XS-2D6E90", "mad-branch-1"),
    ("EC-XS-44A1B7", "mil-branch-1"),
    ("EC-XS-9F0C35", "waw-branch-1"),
    ("EC-M-6E25A9", "chi-branch-1"),
    ("EC-M-D3F817", "sfo-branch-1"),
    ("EC-XS-E1A004", "lab-spare-1"),
];

/// The demo groups, with their members given as indexes into [`APPLIANCES`].
fn groups() -> Vec<(Group, &'static [usize])> {
    let group = |v: serde_json::Value| -> Group {
        serde_json::from_value(v).expect("the demo groups are valid groups")
    };
    vec![
        (
            // Big links, both rules: a key lives 8 hours or carries 2 TB.
            group(json!({
                "name": "core-mesh",
                "key_auto_expiry": 28_800,
                "data_rekey_volume": 2_000_000_000_000u64,
                "rekey_pktprcnt": 90,
                "rekey_pktcnt": 4_294_967_296u64,
                "headless_timeout": 86_400,
                "keepalive_interval": 30,
            })),
            &[0, 1, 2, 3],
        ),
        (
            // Many small sites: mostly volume-driven rekeys.
            group(json!({
                "name": "emea-branches",
                "key_auto_expiry": 86_400,
                "data_rekey_volume": 1_500_000_000_000u64,
                "rekey_pktprcnt": 80,
                "rekey_pktcnt": 1_000_000_000,
                "headless_timeout": 43_200,
                "keepalive_interval": 60,
            })),
            &[0, 1, 3, 4, 5, 6, 7, 8],
        ),
        (
            // Time-driven only: the volume rule is off (0).
            group(json!({
                "name": "americas",
                "key_auto_expiry": 14_400,
                "data_rekey_volume": 0,
                "rekey_pktprcnt": 75.5,
                "rekey_pktcnt": 0,
                "headless_timeout": 3_600,
                "keepalive_interval": 120,
                "region": "NA",
            })),
            &[2, 9, 10, 0],
        ),
    ]
}

/// One group's traffic: its members' profiles and its key clock. The
/// simulator keeps one per group; seeding runs one over the past.
#[derive(Debug, Clone)]
pub struct GroupTraffic {
    pub group_id: i64,
    policy: Policy,
    clock: KeyClock,
    /// Appliance id, serial and profile of each member.
    members: Vec<(i64, String, Profile)>,
}

impl GroupTraffic {
    /// `members` are appliance ids with serials; `clock` is the state of
    /// the group's current key.
    pub fn new(
        seed: u64,
        group_id: i64,
        group: &Group,
        members: Vec<(i64, String)>,
        clock: KeyClock,
    ) -> GroupTraffic {
        GroupTraffic {
            group_id,
            policy: Policy::of(group),
            clock,
            members: members
                .into_iter()
                .map(|(id, serial)| {
                    let profile = Profile::of(seed, &serial).in_group(seed, &serial, group_id);
                    (id, serial, profile)
                })
                .collect(),
        }
    }

    /// The state of the group's current key.
    pub fn clock(&self) -> KeyClock {
        self.clock
    }

    /// Each member's traffic over `(t0, t1]` (appliance id, serial, sample),
    /// and the rekeys of the group it causes.
    pub fn step(&mut self, t0: i64, t1: i64) -> (Vec<(i64, &str, Sample)>, Vec<i64>) {
        let samples: Vec<(i64, &str, Sample)> = self
            .members
            .iter()
            .map(|(id, serial, p)| (*id, serial.as_str(), p.sample(t0, t1)))
            .collect();
        let sent: f64 = samples.iter().map(|(_, _, s)| s.bytes_out as f64).sum();
        let rekeys = self.clock.advance(self.policy, t0, t1, sent);
        (samples, rekeys)
    }
}

/// What seeding wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seeded {
    pub appliances: usize,
    pub groups: usize,
    pub datapoints: usize,
    pub rekeys: usize,
}

/// Seeds the demo data ending at `now` into an empty database; a database
/// that already holds appliances or groups is left alone (`None`).
pub fn seed_if_empty(conn: &Connection, seed: u64, now: i64) -> ApiResult<Option<Seeded>> {
    if !db::is_empty(conn)? {
        return Ok(None);
    }
    seed_into(conn, seed, now).map(Some)
}

fn seed_into(conn: &Connection, seed: u64, now: i64) -> ApiResult<Seeded> {
    let mut done = Seeded::default();
    let mut ids = Vec::new();
    for (serial, name) in APPLIANCES {
        let a = Appliance {
            serial: serial.into(),
            name: Some(name.into()),
            ..Default::default()
        };
        ids.push(db::insert_appliance(conn, &a)?);
        done.appliances += 1;
    }

    let end = now - now.rem_euclid(STEP);
    let start = end - DAYS * 86_400;
    let mut rng = Rng::new(seed);
    for (group, members) in groups() {
        let member_ids: Vec<i64> = members.iter().map(|&i| ids[i]).collect();
        let group_id = db::put_group(conn, None, &group, &member_ids)?;
        done.groups += 1;

        // The key in use when the data begins was made a while before.
        let lifetime = Policy::of(&group).lifetime.unwrap_or(86_400.0);
        let key_since = start - (rng.unit() * lifetime) as i64;
        let peers = members
            .iter()
            .map(|&i| (ids[i], APPLIANCES[i].0.to_string()))
            .collect();
        let clock = KeyClock::new(key_since);
        let mut traffic = GroupTraffic::new(seed, group_id, &group, peers, clock);
        let mut t = start;
        while t < end {
            let (samples, rekeys) = traffic.step(t, t + STEP);
            for (appliance_id, _, sample) in samples {
                db::put_datapoint(conn, group_id, appliance_id, t + STEP, &sample.stat_block())?;
                done.datapoints += 1;
            }
            for at in rekeys {
                db::put_rekey(conn, group_id, at)?;
                done.rekeys += 1;
            }
            t += STEP;
        }
    }
    db::bump_revision(conn)?;
    Ok(done)
}

/// How many appliances each benchmark group has.
pub const BENCH_GROUP_SIZE: usize = 50;

/// Seeds a large data set for benchmarks into an empty database:
/// `appliances` appliances in groups of [`BENCH_GROUP_SIZE`] (`bench-1`
/// holds the first 50, and so on), every one with `days` days of 5-minute
/// datapoints ending at `now`. `None` when the database already holds data.
/// Everything goes in through the cached statements of the caller's one
/// transaction.
pub fn seed_bench(
    conn: &Connection,
    seed: u64,
    now: i64,
    appliances: usize,
    days: i64,
) -> ApiResult<Option<Seeded>> {
    if !db::is_empty(conn)? {
        return Ok(None);
    }
    let mut done = Seeded::default();
    let mut all = Vec::new();
    for i in 0..appliances {
        let serial = format!("EC-{}-B{i:05X}", ["S", "M", "XS"][i % 3]);
        let a = Appliance {
            serial: serial.clone(),
            name: Some(format!("bench-{:04}", i + 1)),
            ..Default::default()
        };
        all.push((db::insert_appliance(conn, &a)?, serial));
        done.appliances += 1;
    }

    let end = now - now.rem_euclid(STEP);
    let start = end - days * 86_400;
    for (g, peers) in all.chunks(BENCH_GROUP_SIZE).enumerate() {
        let group: Group = serde_json::from_value(json!({
            "name": format!("bench-{}", g + 1), "key_auto_expiry": 14_400,
            "data_rekey_volume": 5_000_000_000_000u64, "rekey_pktprcnt": 90, "rekey_pktcnt": 0,
            "headless_timeout": 86_400, "keepalive_interval": 30,
        }))
        .expect("a bench group is a valid group");
        let member_ids: Vec<i64> = peers.iter().map(|(id, _)| *id).collect();
        let group_id = db::put_group(conn, None, &group, &member_ids)?;
        done.groups += 1;

        let clock = KeyClock::new(start);
        let mut traffic =
            GroupTraffic::new(seed + g as u64, group_id, &group, peers.to_vec(), clock);
        let mut t = start;
        while t < end {
            let (samples, rekeys) = traffic.step(t, t + STEP);
            for (appliance_id, _, sample) in samples {
                db::put_datapoint(conn, group_id, appliance_id, t + STEP, &sample.stat_block())?;
                done.datapoints += 1;
            }
            for at in rekeys {
                db::put_rekey(conn, group_id, at)?;
                done.rekeys += 1;
            }
            t += STEP;
        }
    }
    db::bump_revision(conn)?;
    Ok(Some(done))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const NOW: i64 = 1_736_000_123;

    #[test]
    fn seeding_fills_an_empty_database_once() {
        let store = Store::memory().unwrap();
        let first = store
            .write_blocking(|tx| seed_if_empty(tx, 1, NOW))
            .unwrap()
            .expect("an empty database is seeded");
        assert_eq!((first.appliances, first.groups), (12, 3));
        assert_eq!(first.datapoints, 16 * DAYS as usize * 288);
        let again = store
            .write_blocking(|tx| seed_if_empty(tx, 1, NOW))
            .unwrap();
        assert_eq!(again, None);
    }

    #[test]
    fn the_bench_data_set_puts_every_appliance_in_a_group_of_fifty() {
        let store = Store::memory().unwrap();
        let done = store
            .write_blocking(|tx| seed_bench(tx, 1, NOW, 120, 1))
            .unwrap()
            .unwrap();
        assert_eq!((done.appliances, done.groups), (120, 3));
        assert_eq!(done.datapoints, 120 * 288);
        assert!(done.rekeys >= 3 * 6, "a 4-hour key rekeys 6 times a day");
        let sizes = store
            .read_blocking(|c| {
                let groups = db::groups(c)?;
                Ok(groups
                    .iter()
                    .map(|g| g.member_list().len())
                    .collect::<Vec<_>>())
            })
            .unwrap();
        assert_eq!(sizes, [50, 50, 20]);
    }

    #[test]
    fn demo_groups_overlap_keep_their_bounds_and_leave_one_appliance_out() {
        let gs = groups();
        for (g, _) in &gs {
            assert!(
                g.bound_errors().is_empty(),
                "{}: {:?}",
                g.name,
                g.bound_errors()
            );
            for s in model::Setting::ALL {
                assert!(s.get(g).is_some(), "{} has no {s}", g.name);
            }
        }
        let in_group = |i: usize| gs.iter().filter(|(_, m)| m.contains(&i)).count();
        assert!((0..APPLIANCES.len()).any(|i| in_group(i) > 1));
        assert_eq!(
            (0..APPLIANCES.len()).filter(|&i| in_group(i) == 0).count(),
            1
        );
    }

    #[test]
    fn every_group_rekeys_by_its_rules() {
        let store = Store::memory().unwrap();
        store
            .write_blocking(|tx| seed_if_empty(tx, 1, NOW))
            .unwrap();
        let range = db::Range {
            start: NOW - DAYS * 86_400,
            end: NOW,
        };
        store
            .read_blocking(|c| {
                for id in db::group_ids(c)? {
                    let rekeys = db::rekeys(c, id, range)?;
                    let group = db::group(c, id)?.unwrap();
                    let lifetime = Policy::of(&group).lifetime.unwrap() as i64;
                    assert!(
                        rekeys.len() >= (DAYS * 86_400 / lifetime) as usize,
                        "{}",
                        group.name
                    );
                    // No key outlives its lifetime.
                    for w in rekeys.windows(2) {
                        assert!(w[1] - w[0] <= lifetime, "{}: {w:?}", group.name);
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}
