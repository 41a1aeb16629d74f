//! Rates from datapoints.
//!
//! A datapoint holds what was transferred in the interval that ends at its
//! timestamp, so its rate is that amount divided by the time since the
//! previous datapoint. Controllers send datapoints out of order, twice, or
//! with holes, so the samples are sorted, duplicates are merged, and a gap
//! much longer than the usual interval breaks the line instead of being
//! drawn as a slope (or averaged into a fake low rate).

use crate::units::Measure;
use model::{Datapoint, StatBlock, Timestamp};

/// How many usual intervals may pass before two samples are no longer
/// joined by a line.
pub const GAP_FACTOR: f64 = 3.0;

/// The rate over one interval, placed at the interval's end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The end of the interval, epoch seconds.
    pub t: Timestamp,
    /// Amount per second over the interval.
    pub per_sec: f64,
    /// The interval's length in seconds.
    pub interval: f64,
}

/// Runs of rates that may be joined by a line; a new run starts after a gap.
pub type Segments = Vec<Vec<Rate>>;

/// Which way traffic went, as the appliance counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// What a datapoint counts in one direction, in the unit of `measure`
/// (bits for [`Measure::Bits`]); `None` when the datapoint does not say.
pub fn amount(block: &StatBlock, measure: Measure, direction: Direction) -> Option<f64> {
    let field = match (measure, direction) {
        (Measure::Bits | Measure::Bytes, Direction::In) => &block.bytes_in,
        (Measure::Bits | Measure::Bytes, Direction::Out) => &block.bytes_out,
        (Measure::Packets, Direction::In) => &block.packets_in,
        (Measure::Packets, Direction::Out) => &block.packets_out,
    };
    let value = field.as_ref()?.as_f64()?;
    Some(if measure == Measure::Bits {
        value * 8.0
    } else {
        value
    })
}

/// The rates of one direction and measure of a list of datapoints,
/// keeping those whose interval ends within `start..=end`. The rates are
/// worked out on every datapoint first, so the first one in the range
/// still knows when its interval began.
pub fn series(
    points: &[Datapoint],
    measure: Measure,
    direction: Direction,
    start: Timestamp,
    end: Timestamp,
) -> Segments {
    let samples = points
        .iter()
        .filter_map(|p| Some((p.timestamp?, amount(&p.data, measure, direction))))
        .collect();
    rates(samples)
        .into_iter()
        .map(|run| {
            run.into_iter()
                .filter(|r| (start..=end).contains(&r.t))
                .collect::<Vec<_>>()
        })
        .filter(|run| !run.is_empty())
        .collect()
}

/// The rate whose interval holds `t` (after the interval's start, up to
/// and including its end), if a line passes there.
pub fn at(segments: &Segments, t: f64) -> Option<&Rate> {
    segments.iter().find_map(|run| {
        let i = run.partition_point(|r| (r.t as f64) < t);
        run.get(i).filter(|r| r.t as f64 - r.interval < t)
    })
}

/// The end of the interval closest to `t`.
pub fn nearest(segments: &Segments, t: f64) -> Option<Timestamp> {
    let mut best: Option<Timestamp> = None;
    for run in segments {
        let i = run.partition_point(|r| (r.t as f64) < t);
        for r in [i.checked_sub(1).and_then(|j| run.get(j)), run.get(i)]
            .into_iter()
            .flatten()
        {
            if best.is_none_or(|b| (r.t as f64 - t).abs() < (b as f64 - t).abs()) {
                best = Some(r.t);
            }
        }
    }
    best
}

/// Rates from `(timestamp, amount)` samples in any order. A sample without
/// an amount is a hole: it breaks the line. Samples with the same timestamp
/// are taken as repeated reports of the same interval and merged into the
/// largest amount, so a resent datapoint does not double the rate.
pub fn rates(mut samples: Vec<(Timestamp, Option<f64>)>) -> Segments {
    samples.sort_by_key(|s| s.0);
    samples.dedup_by(|later, earlier| {
        if later.0 != earlier.0 {
            return false;
        }
        earlier.1 = match (earlier.1, later.1) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        true
    });

    let Some(usual) = usual_interval(&samples) else {
        return Vec::new();
    };
    let mut segments: Segments = Vec::new();
    let mut current: Vec<Rate> = Vec::new();
    let mut previous: Option<Timestamp> = None;
    for (t, amount) in samples {
        let since = previous.map(|p| (t - p) as f64);
        previous = Some(t);
        let Some(amount) = amount else {
            segments.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            continue;
        };
        // The first sample, or one after a long silence, covers an interval
        // of unknown start: assume the usual length.
        let interval = match since {
            Some(s) if s <= usual * GAP_FACTOR => s,
            _ => {
                segments.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
                usual
            }
        };
        current.push(Rate {
            t,
            per_sec: amount / interval,
            interval,
        });
    }
    segments.extend((!current.is_empty()).then_some(current));
    segments
}

/// The median distance between consecutive timestamps, `None` with fewer
/// than two timestamps.
fn usual_interval(sorted: &[(Timestamp, Option<f64>)]) -> Option<f64> {
    let mut steps: Vec<i64> = sorted.windows(2).map(|w| w[1].0 - w[0].0).collect();
    if steps.is_empty() {
        return None;
    }
    steps.sort_unstable();
    Some(steps[steps.len() / 2] as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders segments as "t:rate" runs separated by " | ".
    fn show(segments: &Segments) -> String {
        let run = |s: &Vec<Rate>| {
            s.iter()
                .map(|r| format!("{}:{}", r.t, r.per_sec))
                .collect::<Vec<_>>()
                .join(" ")
        };
        segments.iter().map(run).collect::<Vec<_>>().join(" | ")
    }

    #[test]
    fn samples_to_rates() {
        type Row<'a> = (&'a str, &'a [(i64, Option<f64>)], &'a str);
        let rows: &[Row] = &[
            ("nothing", &[], ""),
            ("one sample has no interval", &[(100, Some(10.0))], ""),
            (
                "even",
                &[(0, Some(60.0)), (60, Some(120.0)), (120, Some(60.0))],
                "0:1 60:2 120:1",
            ),
            (
                "out of order",
                &[(120, Some(60.0)), (0, Some(60.0)), (60, Some(120.0))],
                "0:1 60:2 120:1",
            ),
            (
                "a duplicate is merged, not added",
                &[
                    (0, Some(60.0)),
                    (60, Some(120.0)),
                    (60, Some(120.0)),
                    (120, Some(60.0)),
                ],
                "0:1 60:2 120:1",
            ),
            (
                "a gap breaks the line",
                &[
                    (0, Some(60.0)),
                    (60, Some(60.0)),
                    (120, Some(60.0)),
                    (600, Some(120.0)),
                    (660, Some(60.0)),
                ],
                "0:1 60:1 120:1 | 600:2 660:1",
            ),
            (
                "a short irregular step is still joined",
                &[
                    (0, Some(60.0)),
                    (60, Some(60.0)),
                    (150, Some(90.0)),
                    (210, Some(60.0)),
                ],
                "0:1 60:1 150:1 210:1",
            ),
            (
                "a hole breaks the line",
                &[
                    (0, Some(60.0)),
                    (60, Some(60.0)),
                    (120, None),
                    (180, Some(120.0)),
                    (240, Some(60.0)),
                ],
                "0:1 60:1 | 180:2 240:1",
            ),
            (
                "zero is a rate",
                &[(0, Some(0.0)), (10, Some(0.0))],
                "0:0 10:0",
            ),
        ];
        for (name, samples, want) in rows {
            assert_eq!(show(&rates(samples.to_vec())), *want, "{name}");
        }
    }

    #[test]
    fn each_direction_and_measure_has_its_own_line() {
        let points: Vec<Datapoint> = serde_json::from_value(serde_json::json!([
            {"timestamp": 1000, "data": {"bytes_in": 100, "bytes_out": 50, "packets_in": 10}},
            {"timestamp": 1010, "data": {"bytes_in": 100, "bytes_out": 50, "packets_in": 20}},
            {"timestamp": 1020, "data": {}},
            {"data": {"bytes_in": 5}},
            {"timestamp": 1030, "data": {"bytes_in": 10, "bytes_out": 10, "packets_in": 30}},
            {"timestamp": 1040, "data": {"bytes_in": 10, "bytes_out": 20, "packets_in": 40}},
            {"timestamp": 5000, "data": {"bytes_in": 10}}
        ]))
        .unwrap();
        type Row = (Measure, Direction, &'static str);
        let rows: [Row; 4] = [
            (
                Measure::Bits,
                Direction::In,
                "1000:80 1010:80 | 1030:8 1040:8",
            ),
            (
                Measure::Bytes,
                Direction::Out,
                "1000:5 1010:5 | 1030:1 1040:2",
            ),
            (
                Measure::Packets,
                Direction::In,
                "1000:1 1010:2 | 1030:3 1040:4",
            ),
            (Measure::Packets, Direction::Out, ""),
        ];
        for (measure, direction, want) in rows {
            let segments = series(&points, measure, direction, 1000, 4000);
            assert_eq!(show(&segments), want, "{measure:?} {direction:?}");
        }
        assert_eq!(
            series(&points, Measure::Bits, Direction::In, 1000, 4000)[0][0].interval,
            10.0
        );
    }

    #[test]
    fn counters_beyond_two_to_the_53_still_give_rates() {
        let points: Vec<Datapoint> = serde_json::from_str(
            r#"[{"timestamp": 0, "data": {"bytes_in": 18014398509481985}},
                {"timestamp": 10, "data": {"bytes_in": 18014398509481985}}]"#,
        )
        .unwrap();
        let segments = series(&points, Measure::Bytes, Direction::In, 0, 10);
        assert_eq!(segments[0][1].per_sec, 18014398509481985.0 / 10.0);
    }

    #[test]
    fn the_rate_at_a_time_is_the_interval_holding_it() {
        let segments = rates(vec![
            (0, Some(60.0)),
            (60, Some(120.0)),
            (120, Some(60.0)),
            (600, Some(60.0)),
            (660, Some(120.0)),
        ]);
        let rows = [
            (-70.0, None),
            (-10.0, Some(0)),
            (0.0, Some(0)),
            (30.0, Some(60)),
            (60.0, Some(60)),
            (61.0, Some(120)),
            (300.0, None),
            (599.0, Some(600)),
            (660.0, Some(660)),
            (661.0, None),
        ];
        for (t, want) in rows {
            assert_eq!(at(&segments, t).map(|r| r.t), want, "at {t}");
        }
        let nearest_rows = [
            (-100.0, Some(0)),
            (29.0, Some(0)),
            (31.0, Some(60)),
            (400.0, Some(600)),
            (1e9, Some(660)),
        ];
        for (t, want) in nearest_rows {
            assert_eq!(nearest(&segments, t), want, "nearest {t}");
        }
        assert_eq!(nearest(&Vec::new(), 5.0), None);
    }

    #[test]
    fn the_first_rate_in_range_knows_its_interval() {
        // Every 60 s but one step of 90 s, which ends just inside the range:
        // its rate spans those 90 s, not an assumed usual 60 s.
        let points: Vec<Datapoint> = [0, 60, 120, 210, 270]
            .into_iter()
            .map(|t| {
                serde_json::from_value(
                    serde_json::json!({"timestamp": t, "data": {"bytes_in": 90}}),
                )
                .unwrap()
            })
            .collect();
        let segments = series(&points, Measure::Bytes, Direction::In, 200, 300);
        assert_eq!(show(&segments), "210:1 270:1.5");
        assert_eq!(segments[0][0].interval, 90.0);
    }
}
