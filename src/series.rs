//! What a throughput chart shows, prepared from the API's stats: one line
//! per peer, the rekeys within the range, and the one-line summary.
//!
//! Pure: [`crate::chart`] turns a [`ChartData`] into pixels, and the tests
//! here check the numbers without a browser.

use crate::rates::{self, Rate, Segments};
use crate::units;
use model::{PeerStats, Timestamp};

/// A time range in epoch seconds, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Range {
    /// The `seconds` before `now`.
    pub fn last(seconds: i64, now: Timestamp) -> Range {
        Range {
            start: now - seconds,
            end: now,
        }
    }

    pub fn contains(&self, t: Timestamp) -> bool {
        (self.start..=self.end).contains(&t)
    }
}

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// What the legend calls it (a peer's name).
    pub label: String,
    /// Bits per second, in runs that a line may join.
    pub segments: Segments,
}

/// Everything a throughput chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub range: Range,
    pub series: Vec<Series>,
    /// Rekey times within the range, sorted, without duplicates.
    pub rekeys: Vec<Timestamp>,
}

impl ChartData {
    /// A chart of each peer's throughput; `name` gives the legend's name
    /// for a serial. Every peer's rekey times are merged: a rekey is a group
    /// event, and peers may each report it.
    pub fn from_peers(peers: &[PeerStats], range: Range, name: impl Fn(&str) -> String) -> Self {
        let series = peers
            .iter()
            .map(|p| Series {
                label: name(&p.serial),
                segments: rates::throughput(
                    p.stats.as_deref().unwrap_or_default(),
                    range.start,
                    range.end,
                ),
            })
            .collect();
        let rekeys = rekeys_in(
            peers
                .iter()
                .map(|p| p.rekey_times.as_deref().unwrap_or_default()),
            range,
        );
        ChartData {
            range,
            series,
            rekeys,
        }
    }

    /// The highest rate and whose it is, if there is any rate at all.
    pub fn peak(&self) -> Option<(f64, &str)> {
        let mut best: Option<(f64, &str)> = None;
        for s in &self.series {
            for r in s.segments.iter().flatten() {
                if best.is_none_or(|(b, _)| r.per_sec > b) {
                    best = Some((r.per_sec, &s.label));
                }
            }
        }
        best
    }

    /// The time-weighted average rate of the lines (the average of one
    /// peer's throughput): everything transferred over all the time covered.
    pub fn average(&self) -> Option<f64> {
        let rates = || self.series.iter().flat_map(|s| s.segments.iter().flatten());
        let time: f64 = rates().map(|r| r.interval).sum();
        let amount: f64 = rates().map(|r: &Rate| r.per_sec * r.interval).sum();
        (time > 0.0).then(|| amount / time)
    }

    /// The one-line summary: "Peak 1.2 Gb/s (branch-3), average 420 Mb/s,
    /// 3 rekeys". The count of rekeys is always there, even without data,
    /// and always in the form "N rekeys" so that it reads the same for any N.
    pub fn summary(&self) -> String {
        let rekeys = format!("{} rekeys", self.rekeys.len());
        match (self.peak(), self.average()) {
            (Some((peak, who)), Some(avg)) => format!(
                "Peak {} ({who}), average {}, {rekeys}",
                units::bit_rate(peak),
                units::bit_rate(avg)
            ),
            _ => format!("No throughput data, {rekeys}"),
        }
    }

    /// Whether there is no rate to draw.
    pub fn is_empty(&self) -> bool {
        self.series.iter().all(|s| s.segments.is_empty())
    }
}

/// The times of several rekey lists that fall in `range`, sorted and
/// without duplicates.
pub fn rekeys_in<'a>(lists: impl Iterator<Item = &'a [Timestamp]>, range: Range) -> Vec<Timestamp> {
    let mut all: Vec<Timestamp> = lists
        .flatten()
        .copied()
        .filter(|t| range.contains(*t))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Tick positions for a time axis: at most `max_ticks` ticks on round
/// local times (every 15 min, 30 min, 1, 2, 3, 6 or 12 h, or days), for a
/// clock `offset_min` minutes east of UTC.
pub fn time_ticks(range: Range, offset_min: i32, max_ticks: usize) -> Vec<Timestamp> {
    const STEPS: [i64; 9] = [
        900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 604_800,
    ];
    let span = (range.end - range.start).max(1);
    let max_ticks = max_ticks.max(1) as i64;
    let step = STEPS
        .into_iter()
        .find(|s| span / s < max_ticks)
        .unwrap_or((span + max_ticks - 1) / max_ticks);
    let offset = i64::from(offset_min) * 60;
    let first = (range.start + offset).div_euclid(step) * step - offset;
    (0..)
        .map(|i| first + i * step)
        .skip_while(|t| *t < range.start)
        .take_while(|t| *t <= range.end)
        .collect()
}

/// A round top for an axis that shows `v` with some room above it:
/// 1, 2, 2.5 or 5 times a power of ten. At least 1.
pub fn nice_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let want = v * 1.1;
    let power = 10f64.powi(want.log10().floor() as i32);
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|top| *top >= want)
        .unwrap_or(10.0 * power)
        .max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn peers(v: serde_json::Value) -> Vec<PeerStats> {
        serde_json::from_value(v).unwrap()
    }

    const RANGE: Range = Range {
        start: 1000,
        end: 2000,
    };

    #[test]
    fn summaries() {
        let rows = [
            (json!([]), "No throughput data, 0 rekeys"),
            (json!([{"serial": "A"}]), "No throughput data, 0 rekeys"),
            (
                json!([{"serial": "A", "stats": [], "rekey_times": [1500, 2500]}]),
                "No throughput data, 1 rekeys",
            ),
            (
                // 1 Mb over each 10 s interval: 100 kb/s, then 300 kb/s.
                json!([{"serial": "A", "rekey_times": [1005, 1015, 1005, 999], "stats": [
                    {"timestamp": 1000, "data": {"bytes_in": 125000}},
                    {"timestamp": 1010, "data": {"bytes_in": 125000}},
                    {"timestamp": 1020, "data": {"bytes_in": 375000}}
                ]}]),
                "Peak 300 kb/s (A), average 167 kb/s, 2 rekeys",
            ),
            (
                json!([
                    {"serial": "A", "rekey_times": [1500], "stats": [
                        {"timestamp": 1000, "data": {"bytes_out": 1250}},
                        {"timestamp": 1010, "data": {"bytes_out": 1250}}
                    ]},
                    {"serial": "B", "rekey_times": [1500, 1600], "stats": [
                        {"timestamp": 1000, "data": {"bytes_out": 3750}},
                        {"timestamp": 1010, "data": {"bytes_out": 3750}}
                    ]}
                ]),
                "Peak 3 kb/s (B), average 2 kb/s, 2 rekeys",
            ),
        ];
        for (input, want) in rows {
            let data = ChartData::from_peers(&peers(input.clone()), RANGE, str::to_string);
            assert_eq!(data.summary(), want, "{input}");
        }
    }

    #[test]
    fn the_peak_names_its_peer() {
        let data = ChartData::from_peers(
            &peers(json!([
                {"serial": "A", "stats": [{"timestamp": 1000, "data": {"bytes_in": 1}}, {"timestamp": 1001, "data": {"bytes_in": 1}}]},
                {"serial": "B", "stats": [{"timestamp": 1000, "data": {"bytes_in": 9}}, {"timestamp": 1001, "data": {"bytes_in": 1}}]}
            ])),
            RANGE,
            |s| format!("peer {s}"),
        );
        assert_eq!(data.peak(), Some((72.0, "peer B")));
        assert_eq!(data.series[1].label, "peer B");
    }

    #[test]
    fn ticks_on_round_local_times() {
        let day = Range {
            start: 1_700_000_000,
            end: 1_700_086_400,
        };
        let rows: &[(Range, i32, usize, &[&str])] = &[
            // 24 h in at most 9 ticks: every 3 h, on the hour.
            (
                day,
                0,
                9,
                &[
                    "00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00",
                ],
            ),
            // In UTC+5:30 the ticks fall on round local hours.
            (day, 330, 5, &["06:00", "12:00", "18:00", "00:00"]),
            (
                Range {
                    start: 0,
                    end: 3600,
                },
                0,
                4,
                &["00:00", "00:30", "01:00"],
            ),
        ];
        for (range, offset, max, want) in rows {
            let got: Vec<String> = time_ticks(*range, *offset, *max)
                .into_iter()
                .map(|t| crate::units::clock(t, *offset))
                .collect();
            assert_eq!(got, *want, "{range:?} {offset}");
        }
        let local = |t: i64| crate::units::clock(t, 330);
        assert!(time_ticks(day, 330, 12)
            .iter()
            .all(|t| day.contains(*t) && local(*t).ends_with(":00")));
    }

    #[test]
    fn nice_axis_tops() {
        let rows = [
            (0.0, 1.0),
            (f64::NAN, 1.0),
            (0.5, 1.0),
            (9.0, 10.0),
            (95.0, 200.0),
            (1.2e9, 2e9),
            (2.2e6, 2.5e6),
            (4e3, 5e3),
        ];
        for (v, want) in rows {
            assert_eq!(nice_ceiling(v), want, "{v}");
        }
    }
}
