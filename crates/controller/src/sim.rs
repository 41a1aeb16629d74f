//! The simulator: while the controller runs with `--demo`, it polls every
//! appliance each `--sim-interval` seconds and delivers the answers through
//! the poller callback path ([`crate::resources::poller::accept`]), so new
//! datapoints and rekeys appear as they would from real appliances.
//!
//! Each tick covers, for each group, the time from the group's latest
//! datapoint up to now: one datapoint per member ending now, with the rekeys
//! the group's settings cause in that time. Key clocks live in memory; after
//! a restart a group's key is taken to have been made at its last rekey.

use crate::db;
use crate::demo::GroupTraffic;
use crate::error::ApiResult;
use crate::rekey::KeyClock;
use crate::resources::poller;
use crate::traffic::STEP;
use crate::AppState;
use model::{Datapoint, PeerStats, PollerCallback, StatePeerStats};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// What the simulator remembers between ticks: each group's key clock.
#[derive(Debug, Default)]
pub struct Simulator {
    clocks: HashMap<i64, KeyClock>,
}

/// What one group needs for a tick, read from storage.
struct GroupState {
    id: i64,
    group: model::Group,
    members: Vec<(i64, String)>,
    last_datapoint: Option<i64>,
    last_rekey: Option<i64>,
}

/// Runs the simulator until the process ends.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut sim = Simulator::default();
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match sim.tick(&state, crate::now()).await {
                Ok(n) => tracing::debug!(datapoints = n, "simulated traffic delivered"),
                Err(e) => tracing::warn!(error = %e, "a simulator tick failed"),
            }
        }
    })
}

impl Simulator {
    /// Polls every member of every group for the traffic up to `now`, and
    /// delivers the answers; returns the datapoints stored.
    pub async fn tick(&mut self, state: &AppState, now: i64) -> ApiResult<usize> {
        let groups = state.store.read(read_groups).await?;
        let seed = state.options.seed;
        let mut answers: BTreeMap<String, Vec<StatePeerStats>> = BTreeMap::new();
        for g in groups {
            let t0 = g.last_datapoint.unwrap_or(now - STEP);
            if now <= t0 || g.members.is_empty() {
                continue;
            }
            let clock = *self
                .clocks
                .entry(g.id)
                .or_insert_with(|| KeyClock::new(g.last_rekey.unwrap_or(t0)));
            let mut traffic = GroupTraffic::new(seed, g.id, &g.group, g.members, clock);
            let (samples, rekeys) = traffic.step(t0, now);
            for (_, serial, sample) in samples {
                answers
                    .entry(serial.to_string())
                    .or_default()
                    .push(StatePeerStats {
                        group_id: g.id,
                        stats: PeerStats {
                            serial: serial.to_string(),
                            stats: Some(vec![Datapoint {
                                timestamp: Some(now),
                                data: sample.stat_block(),
                            }]),
                            rekey_times: Some(rekeys.clone()),
                        },
                    });
            }
            self.clocks.insert(g.id, traffic.clock());
        }

        let mut stored = 0;
        for (serial, entries) in answers {
            let resp_data = serde_json::to_string(&entries).unwrap_or_default();
            let callback = PollerCallback {
                poll_req_id: state.poller.issue(&serial),
                serial,
                poll_time: now,
                resp_data,
            };
            stored += poller::accept(state, callback).await?;
        }
        Ok(stored)
    }
}

fn read_groups(conn: &rusqlite::Connection) -> ApiResult<Vec<GroupState>> {
    let mut out = Vec::new();
    for group in db::groups(conn)? {
        let id = group.id.unwrap_or_default();
        let mut members = Vec::new();
        let mut last_datapoint = None;
        for peer in db::group_members(conn, id)? {
            last_datapoint = last_datapoint.max(db::last_datapoint(conn, id, peer.appliance_id)?);
            members.push((peer.appliance_id, peer.member.serial));
        }
        out.push(GroupState {
            id,
            last_rekey: db::last_rekey(conn, id)?,
            group,
            members,
            last_datapoint,
        });
    }
    Ok(out)
}
