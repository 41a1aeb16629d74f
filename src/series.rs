//! What a throughput chart shows, prepared from the API's stats: one line
//! per source (a peer, or the group's total) and direction, the rekeys
//! within the range, the one-line summary, the hover read-out, the table
//! and the CSV export.
//!
//! Pure: [`crate::chart`] turns a [`ChartData`] into pixels, and the tests
//! here check the numbers without a browser.

use crate::clock::Clock;
use crate::rates::{self, Direction, Segments};
use crate::units::{self, Measure};
use model::{Datapoint, GroupStats, PeerStats, Timestamp};
use std::collections::BTreeSet;

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

/// The keys of the sources a person has hidden with the legend.
pub type Hidden = BTreeSet<String>;

/// Where a chart's numbers come from: one peer, or the group's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// What identifies it across reloads (a serial), for hiding and colours.
    pub key: String,
    /// What the legend calls it (a peer's name).
    pub label: String,
    /// Index into the chart's palette: the place of `key` among the chart's
    /// keys in sorted order, so a peer keeps its colour whatever order the
    /// controller lists peers in.
    pub colour: usize,
    /// The raw datapoints within the range, sorted by time (stable, so
    /// repeated reports stay in the order they came), exactly as sent.
    pub points: Vec<Datapoint>,
}

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Index into [`ChartData::sources`].
    pub source: usize,
    pub direction: Direction,
    /// Rates in the chart's measure, in runs that a line may join.
    pub segments: Segments,
}

/// Everything a throughput chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub range: Range,
    pub measure: Measure,
    pub sources: Vec<Source>,
    /// Two per source, in then out.
    pub series: Vec<Series>,
    /// Rekey times within the range, sorted, without duplicates.
    pub rekeys: Vec<Timestamp>,
}

impl ChartData {
    /// A chart of `(key, label, datapoints)` sources with `rekeys` marked.
    pub fn new(
        inputs: Vec<(String, String, &[Datapoint])>,
        rekeys: Vec<Timestamp>,
        range: Range,
        measure: Measure,
    ) -> Self {
        let mut keys: Vec<&str> = inputs.iter().map(|(k, _, _)| k.as_str()).collect();
        keys.sort_unstable();
        let colour = |key: &str| keys.binary_search(&key).unwrap_or(0);

        let mut sources = Vec::with_capacity(inputs.len());
        let mut series = Vec::with_capacity(inputs.len() * 2);
        for (i, (key, label, points)) in inputs.iter().enumerate() {
            for direction in [Direction::In, Direction::Out] {
                series.push(Series {
                    source: i,
                    direction,
                    segments: rates::series(points, measure, direction, range.start, range.end),
                });
            }
            let mut kept: Vec<Datapoint> = points
                .iter()
                .filter(|p| p.timestamp.is_some_and(|t| range.contains(t)))
                .cloned()
                .collect();
            kept.sort_by_key(|p| p.timestamp);
            sources.push(Source {
                key: key.clone(),
                label: label.clone(),
                colour: colour(key),
                points: kept,
            });
        }
        let mut rekeys: Vec<Timestamp> =
            rekeys.into_iter().filter(|t| range.contains(*t)).collect();
        rekeys.sort_unstable();
        rekeys.dedup();
        ChartData {
            range,
            measure,
            sources,
            series,
            rekeys,
        }
    }

    /// Each peer's throughput; `name` gives the legend's name for a serial.
    /// The group's rekeys are marked, and so are any a peer reports itself.
    pub fn from_peers(
        peers: &[PeerStats],
        group_rekeys: &[Timestamp],
        range: Range,
        measure: Measure,
        name: impl Fn(&str) -> String,
    ) -> Self {
        let inputs = peers
            .iter()
            .map(|p| {
                let points = p.stats.as_deref().unwrap_or_default();
                (p.serial.clone(), name(&p.serial), points)
            })
            .collect();
        let rekeys = peers
            .iter()
            .flat_map(|p| p.rekey_times.iter().flatten())
            .chain(group_rekeys)
            .copied()
            .collect();
        ChartData::new(inputs, rekeys, range, measure)
    }

    /// The group's total throughput as one source named `label`.
    pub fn from_group(stats: &GroupStats, label: &str, range: Range, measure: Measure) -> Self {
        let points = stats.stats.as_deref().unwrap_or_default();
        let rekeys = stats.rekey_times.clone().unwrap_or_default();
        ChartData::new(
            vec![("total".into(), label.into(), points)],
            rekeys,
            range,
            measure,
        )
    }

    /// A line's name: "branch-1 in".
    pub fn label(&self, series: &Series) -> String {
        format!(
            "{} {}",
            self.sources[series.source].label,
            series.direction.label()
        )
    }

    /// The lines whose source is not hidden, with their indices.
    pub fn visible<'a>(&'a self, hidden: &'a Hidden) -> impl Iterator<Item = (usize, &'a Series)> {
        self.series
            .iter()
            .enumerate()
            .filter(|(_, s)| !hidden.contains(&self.sources[s.source].key))
    }

    /// The highest visible rate and whose line it is.
    pub fn peak(&self, hidden: &Hidden) -> Option<(f64, String)> {
        let mut best: Option<(f64, &Series)> = None;
        for (_, s) in self.visible(hidden) {
            for r in s.segments.iter().flatten() {
                if best.is_none_or(|(b, _)| r.per_sec > b) {
                    best = Some((r.per_sec, s));
                }
            }
        }
        best.map(|(v, s)| (v, self.label(s)))
    }

    /// The time-weighted average rate of the visible lines (the average of
    /// one line): everything counted over all the time covered.
    pub fn average(&self, hidden: &Hidden) -> Option<f64> {
        let rates = || {
            self.visible(hidden)
                .flat_map(|(_, s)| s.segments.iter().flatten())
        };
        let time: f64 = rates().map(|r| r.interval).sum();
        let amount: f64 = rates().map(|r| r.per_sec * r.interval).sum();
        (time > 0.0).then(|| amount / time)
    }

    /// The one-line summary: "Peak 1.2 Gb/s (branch-3 in), average 420
    /// Mb/s, 3 rekeys". The count of rekeys is always there, even without
    /// data, and always in the form "N rekeys" so that it reads the same for
    /// any N.
    pub fn summary(&self, hidden: &Hidden) -> String {
        let rekeys = format!("{} rekeys", self.rekeys.len());
        match (self.peak(hidden), self.average(hidden)) {
            (Some((peak, who)), Some(avg)) => format!(
                "Peak {} ({who}), average {}, {rekeys}",
                self.measure.rate(peak),
                self.measure.rate(avg)
            ),
            _ if !self.sources.is_empty()
                && self.sources.iter().all(|s| hidden.contains(&s.key)) =>
            {
                format!("Every line is hidden, {rekeys}")
            }
            _ => format!("No throughput data, {rekeys}"),
        }
    }

    /// Why there is no line to draw, in words; `None` when there is one.
    pub fn empty_message(&self, hidden: &Hidden) -> Option<&'static str> {
        if self.visible(hidden).any(|(_, s)| !s.segments.is_empty()) {
            return None;
        }
        let shown = || self.sources.iter().filter(|s| !hidden.contains(&s.key));
        let points: usize = shown().map(|s| s.points.len()).sum();
        Some(if self.sources.is_empty() {
            "Nothing to chart: no peers report in this group"
        } else if shown().next().is_none() {
            "Every line is hidden: pick one in the legend"
        } else if points == 0 {
            "No throughput data in this range"
        } else if shown().all(|s| s.points.len() <= 1) {
            "Only one datapoint in this range: a rate needs two"
        } else {
            "The datapoints in this range carry no counters of this kind"
        })
    }

    /// The visible end of an interval closest to `t`.
    pub fn nearest_time(&self, hidden: &Hidden, t: f64) -> Option<Timestamp> {
        self.visible(hidden)
            .filter_map(|(_, s)| rates::nearest(&s.segments, t))
            .min_by(|a, b| (*a as f64 - t).abs().total_cmp(&(*b as f64 - t).abs()))
    }

    /// Where a key moves the read-out from the interval end `from` (none
    /// yet: the arrows start from the chart's ends), among the visible
    /// lines' interval ends: the next or previous one, one tenth of the
    /// range on (Page Up, Page Down), or the first or last (Home, End).
    pub fn step_time(
        &self,
        hidden: &Hidden,
        from: Option<Timestamp>,
        key: Step,
    ) -> Option<Timestamp> {
        let ends = || {
            self.visible(hidden)
                .flat_map(|(_, s)| s.segments.iter())
                .filter_map(|run| Some((run.first()?.t, run.last()?.t)))
        };
        let first = || ends().map(|(a, _)| a).min();
        let last = || ends().map(|(_, b)| b).max();
        let after = |t: Timestamp| {
            self.visible(hidden)
                .flat_map(|(_, s)| s.segments.iter())
                .filter_map(|run| run.get(run.partition_point(|r| r.t <= t)).map(|r| r.t))
                .min()
        };
        let before = |t: Timestamp| {
            self.visible(hidden)
                .flat_map(|(_, s)| s.segments.iter())
                .filter_map(|run| {
                    let i = run.partition_point(|r| r.t < t);
                    i.checked_sub(1).and_then(|j| run.get(j)).map(|r| r.t)
                })
                .max()
        };
        let page = ((self.range.end - self.range.start) / 10).max(1);
        match (key, from) {
            (Step::First, _) | (Step::Later | Step::PageLater, None) => first(),
            (Step::Last, _) | (Step::Earlier | Step::PageEarlier, None) => last(),
            (Step::Later, Some(t)) => after(t).or(Some(t)),
            (Step::Earlier, Some(t)) => before(t).or(Some(t)),
            (Step::PageLater, Some(t)) => after(t + page - 1).or_else(|| after(t)).or(Some(t)),
            (Step::PageEarlier, Some(t)) => before(t - page + 1).or_else(|| before(t)).or(Some(t)),
        }
    }

    /// A read-out in words, for whoever cannot see it: the time, the rekey
    /// there, and each visible line's rate.
    pub fn reading_text(&self, hover: &Hover, clock: &Clock) -> String {
        let zone = if clock.is_utc() { " UTC" } else { "" };
        let mut parts = vec![clock.time_text(hover.t)];
        if let Some(r) = hover.rekey {
            parts.push(format!(
                "rekey at {}{zone}",
                units::date_time_seconds(r, clock.offset_at(r))
            ));
        }
        for (i, value) in &hover.values {
            let rate = value.map_or_else(|| "no data".to_string(), |v| self.measure.rate(v));
            parts.push(format!("{} {rate}", self.label(&self.series[*i])));
        }
        parts.join("; ")
    }

    /// What the pointer at CSS x `x` reads in `frame`: the nearest
    /// datapoint's time, every visible line's rate then, and the rekey
    /// under the pointer, if one is within [`REKEY_HIT`] pixels.
    pub fn hover(&self, hidden: &Hidden, frame: &Frame, x: f64) -> Option<Hover> {
        if !frame.holds_x(x) {
            return None;
        }
        let rekey = self
            .rekeys
            .iter()
            .map(|t| (*t, (frame.x_of(*t as f64) - x).abs()))
            .filter(|(_, d)| *d <= REKEY_HIT)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t);
        let Some(t) = self.nearest_time(hidden, frame.time_at(x)) else {
            return rekey.map(|r| Hover {
                t: r,
                x: frame.x_of(r as f64),
                values: Vec::new(),
                rekey,
            });
        };
        let values = self
            .visible(hidden)
            .map(|(i, s)| (i, rates::at(&s.segments, t as f64).map(|r| r.per_sec)))
            .collect();
        Some(Hover {
            t,
            x: frame.x_of(t as f64),
            values,
            rekey,
        })
    }

    /// The visible lines as a table: a row per interval end, a column per
    /// line, empty where a line has no datapoint at that time.
    pub fn table(&self, hidden: &Hidden) -> DataTable {
        let shown: Vec<&Series> = self.visible(hidden).map(|(_, s)| s).collect();
        let times: BTreeSet<Timestamp> = shown
            .iter()
            .flat_map(|s| s.segments.iter().flatten().map(|r| r.t))
            .collect();
        let exact = |s: &Series, t: Timestamp| {
            rates::at(&s.segments, t as f64)
                .filter(|r| r.t == t)
                .map(|r| r.per_sec)
        };
        DataTable {
            columns: shown.iter().map(|s| self.label(s)).collect(),
            rows: times
                .into_iter()
                .map(|t| (t, shown.iter().map(|s| exact(s, t)).collect()))
                .collect(),
        }
    }

    /// The CSV of what the chart shows (RFC 4180, so that a spreadsheet or a
    /// script reads it as it is): a header line naming the rates' unit, then
    /// a row per raw datapoint of each visible source within
    /// the range, with its exact counters as the controller sent them and
    /// the rates drawn for it (empty where none is drawn, such as for a
    /// direction the datapoint does not count).
    pub fn csv(&self, hidden: &Hidden) -> String {
        let unit = self.measure.per_sec_name();
        let mut out = format!(
            "source,key,timestamp,time_utc,bytes_in,bytes_out,packets_in,packets_out,\
             interval_s,in_{unit},out_{unit}\n"
        );
        for (i, source) in self.sources.iter().enumerate() {
            if hidden.contains(&source.key) {
                continue;
            }
            let line = |direction: Direction| {
                self.series
                    .iter()
                    .find(|s| s.source == i && s.direction == direction)
            };
            let (into, outof) = (line(Direction::In), line(Direction::Out));
            for p in &source.points {
                let Some(t) = p.timestamp else { continue };
                let exact = |s: Option<&Series>| {
                    s.and_then(|s| rates::at(&s.segments, t as f64))
                        .filter(|r| r.t == t)
                        .copied()
                };
                let (a, b) = (exact(into), exact(outof));
                let number = |n: &Option<serde_json::Number>| {
                    n.as_ref().map(|n| n.to_string()).unwrap_or_default()
                };
                let rate =
                    |r: Option<rates::Rate>| r.map(|r| r.per_sec.to_string()).unwrap_or_default();
                let interval = a.or(b).map(|r| r.interval.to_string()).unwrap_or_default();
                let cells = [
                    csv_field(&source.label),
                    csv_field(&source.key),
                    t.to_string(),
                    units::iso_utc(t),
                    number(&p.data.bytes_in),
                    number(&p.data.bytes_out),
                    number(&p.data.packets_in),
                    number(&p.data.packets_out),
                    interval,
                    rate(a),
                    rate(b),
                ];
                out += &cells.join(",");
                out.push('\n');
            }
        }
        out
    }
}

/// A key that moves a chart's read-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Earlier,
    Later,
    PageEarlier,
    PageLater,
    First,
    Last,
}

impl Step {
    /// The step a key's `KeyboardEvent.key` names, as a slider takes them.
    pub fn from_key(key: &str) -> Option<Step> {
        Some(match key {
            "ArrowLeft" | "ArrowDown" => Step::Earlier,
            "ArrowRight" | "ArrowUp" => Step::Later,
            "PageDown" => Step::PageEarlier,
            "PageUp" => Step::PageLater,
            "Home" => Step::First,
            "End" => Step::Last,
            _ => return None,
        })
    }
}

/// Places items of `widths` left to right in rows no wider than
/// `available`, as words flow in a paragraph: each item's row and its
/// offset from the row's start. An item wider than a row gets a row alone.
pub fn flow(widths: &[f64], available: f64) -> Vec<(usize, f64)> {
    let mut row = 0;
    let mut x = 0.0;
    widths
        .iter()
        .map(|&w| {
            if x > 0.0 && x + w > available {
                row += 1;
                x = 0.0;
            }
            let place = (row, x);
            x += w;
            place
        })
        .collect()
}

/// A CSV field of text from the controller, quoted when it holds a comma, a
/// quote or a line break. Text a spreadsheet would take for a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is led by an
/// apostrophe, so that a name such as `=HYPERLINK(...)` opens as the text it
/// is and runs nothing.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The visible lines as rows of rates.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// A name per line.
    pub columns: Vec<String>,
    /// The end of each interval and each line's rate over it.
    pub rows: Vec<(Timestamp, Vec<Option<f64>>)>,
}

/// How close, in CSS pixels, the pointer must be to a rekey marker to name it.
pub const REKEY_HIT: f64 = 4.0;

/// Where the plot lies on the canvas, in CSS pixels, and what its edges mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// The times at `left` and `right`.
    pub start: f64,
    pub end: f64,
    /// The rate at `top` (zero is at `bottom`).
    pub y_max: f64,
}

impl Frame {
    pub fn x_of(&self, t: f64) -> f64 {
        let share = (t - self.start) / (self.end - self.start).max(1.0);
        self.left + share * (self.right - self.left)
    }

    pub fn time_at(&self, x: f64) -> f64 {
        let share = (x - self.left) / (self.right - self.left).max(1.0);
        self.start + share * (self.end - self.start)
    }

    pub fn y_of(&self, v: f64) -> f64 {
        let share = (v / self.y_max.max(f64::MIN_POSITIVE)).clamp(0.0, 1.0);
        self.bottom - share * (self.bottom - self.top)
    }

    pub fn holds_x(&self, x: f64) -> bool {
        (self.left..=self.right).contains(&x)
    }
}

/// What the pointer reads at one place of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Hover {
    /// The end of the interval read, epoch seconds.
    pub t: Timestamp,
    /// Its CSS x on the canvas.
    pub x: f64,
    /// Each visible line (by index into [`ChartData::series`]) and its rate
    /// over the interval holding `t`, if it has one.
    pub values: Vec<(usize, Option<f64>)>,
    /// The rekey under the pointer.
    pub rekey: Option<Timestamp>,
}

/// Tick positions for a time axis and the step between them: at most
/// `max_ticks` ticks on round times of `clock` (every 1, 5, 10, 15 or 30
/// min, 1, 2, 3, 6 or 12 h, 1 or 2 days, or weeks), each stretch of one
/// offset on its own round times, so that midnight stays midnight on both
/// sides of a daylight-saving change.
pub fn time_ticks(range: Range, clock: &Clock, max_ticks: usize) -> (Vec<Timestamp>, i64) {
    const STEPS: [i64; 15] = [
        60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
        1_209_600, 2_419_200,
    ];
    let span = (range.end - range.start).max(1);
    let max_ticks = max_ticks.max(1) as i64;
    let step = STEPS
        .into_iter()
        .find(|s| span / s < max_ticks)
        .unwrap_or((span + max_ticks - 1) / max_ticks);
    let mut ticks = Vec::new();
    for (from, until, offset_min) in clock.spans(range.start, range.end) {
        let offset = i64::from(offset_min) * 60;
        let first = (from + offset).div_euclid(step) * step - offset;
        ticks.extend(
            (0..)
                .map(|i| first + i * step)
                .skip_while(|t| *t < from)
                .take_while(|t| *t < until),
        );
    }
    (ticks, step)
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

    fn chart(v: serde_json::Value, group_rekeys: &[Timestamp]) -> ChartData {
        ChartData::from_peers(
            &peers(v),
            group_rekeys,
            RANGE,
            Measure::Bits,
            str::to_string,
        )
    }

    const RANGE: Range = Range {
        start: 1000,
        end: 2000,
    };

    fn none() -> Hidden {
        Hidden::new()
    }

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
                "Peak 300 kb/s (A in), average 167 kb/s, 2 rekeys",
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
                "Peak 3 kb/s (B out), average 2 kb/s, 2 rekeys",
            ),
        ];
        for (input, want) in rows {
            assert_eq!(chart(input.clone(), &[]).summary(&none()), want, "{input}");
        }
        let one = chart(json!([{"serial": "A", "rekey_times": [1500]}]), &[]);
        let all: Hidden = ["A".to_string()].into();
        assert_eq!(one.summary(&all), "Every line is hidden, 1 rekeys");
    }

    #[test]
    fn unsorted_and_repeated_datapoints_chart_as_sorted_ones() {
        let sorted = json!([{"serial": "A", "stats": [
            {"timestamp": 1000, "data": {"bytes_in": 10, "bytes_out": 1}},
            {"timestamp": 1010, "data": {"bytes_in": 20, "bytes_out": 2}},
            {"timestamp": 1020, "data": {"bytes_in": 30, "bytes_out": 3}}
        ]}]);
        let shuffled = json!([{"serial": "A", "stats": [
            {"timestamp": 1020, "data": {"bytes_in": 30, "bytes_out": 3}},
            {"timestamp": 1000, "data": {"bytes_in": 10, "bytes_out": 1}},
            {"timestamp": 1010, "data": {"bytes_in": 20, "bytes_out": 2}},
            {"timestamp": 1020, "data": {"bytes_in": 30, "bytes_out": 3}}
        ]}]);
        let (a, b) = (chart(sorted, &[]), chart(shuffled, &[]));
        assert_eq!(a.series, b.series);
        assert_eq!(a.table(&none()), b.table(&none()));
        assert_eq!(a.summary(&none()), b.summary(&none()));
    }

    #[test]
    fn rekeys_merge_the_groups_and_the_peers() {
        let data = chart(
            json!([{"serial": "A", "rekey_times": [1200, 999]}, {"serial": "B", "rekey_times": [1300, 1200]}]),
            &[1500, 1200, 2001],
        );
        assert_eq!(data.rekeys, vec![1200, 1300, 1500]);
    }

    #[test]
    fn the_legend_hides_a_peer_everywhere() {
        let data = ChartData::from_peers(
            &peers(json!([
                {"serial": "B", "stats": [{"timestamp": 1000, "data": {"bytes_in": 9}}, {"timestamp": 1001, "data": {"bytes_in": 1}}]},
                {"serial": "A", "stats": [{"timestamp": 1000, "data": {"bytes_in": 1}}, {"timestamp": 1001, "data": {"bytes_in": 1}}]}
            ])),
            &[],
            RANGE,
            Measure::Bits,
            |s| format!("peer {s}"),
        );
        assert_eq!(data.peak(&none()), Some((72.0, "peer B in".into())));
        // Colours follow the serials' order, not the controller's.
        assert_eq!(
            data.sources.iter().map(|s| s.colour).collect::<Vec<_>>(),
            [1, 0]
        );
        let hidden: Hidden = ["B".to_string()].into();
        assert_eq!(data.peak(&hidden), Some((8.0, "peer A in".into())));
        assert_eq!(data.table(&hidden).columns, ["peer A in", "peer A out"]);
        assert!(!data.csv(&hidden).contains("peer B"));
        let all: Hidden = ["A".to_string(), "B".to_string()].into();
        assert_eq!(
            data.empty_message(&all),
            Some("Every line is hidden: pick one in the legend")
        );
    }

    #[test]
    fn empty_charts_say_why() {
        let rows = [
            (
                json!([]),
                Some("Nothing to chart: no peers report in this group"),
            ),
            (
                json!([{"serial": "A"}]),
                Some("No throughput data in this range"),
            ),
            (
                json!([{"serial": "A", "stats": [{"timestamp": 1500, "data": {"bytes_in": 5}}]}]),
                Some("Only one datapoint in this range: a rate needs two"),
            ),
            (
                json!([{"serial": "A", "stats": [{"timestamp": 1500, "data": {}}, {"timestamp": 1510, "data": {}}]}]),
                Some("The datapoints in this range carry no counters of this kind"),
            ),
            (
                json!([{"serial": "A", "stats": [{"timestamp": 1500, "data": {"bytes_in": 5}}, {"timestamp": 1510, "data": {"bytes_in": 5}}]}]),
                None,
            ),
        ];
        for (input, want) in rows {
            assert_eq!(
                chart(input.clone(), &[]).empty_message(&none()),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn hovering_reads_the_nearest_datapoint_and_names_a_rekey() {
        let data = chart(
            json!([
                {"serial": "A", "stats": [
                    {"timestamp": 1000, "data": {"bytes_in": 100, "bytes_out": 10}},
                    {"timestamp": 1100, "data": {"bytes_in": 200, "bytes_out": 20}},
                    {"timestamp": 1200, "data": {"bytes_in": 300, "bytes_out": 30}}
                ]},
                {"serial": "B", "stats": [
                    {"timestamp": 1100, "data": {"bytes_in": 1000}},
                    {"timestamp": 1200, "data": {"bytes_in": 1000}}
                ]}
            ]),
            &[1150],
        );
        // 1000 s over 1000 px: one second per pixel.
        let frame = Frame {
            left: 0.0,
            right: 1000.0,
            top: 0.0,
            bottom: 100.0,
            start: 1000.0,
            end: 2000.0,
            y_max: 100.0,
        };
        let hover = data.hover(&none(), &frame, 140.0).unwrap();
        assert_eq!(hover.t, 1100);
        assert_eq!(hover.x, 100.0);
        assert_eq!(
            hover.values,
            [(0, Some(16.0)), (1, Some(1.6)), (2, Some(80.0)), (3, None)]
        );
        assert_eq!(hover.rekey, None);
        assert_eq!(
            data.hover(&none(), &frame, 153.0).unwrap().rekey,
            Some(1150)
        );
        assert_eq!(data.hover(&none(), &frame, -1.0), None);
        let hidden: Hidden = ["A".to_string()].into();
        assert_eq!(
            data.hover(&hidden, &frame, 140.0).unwrap().values,
            [(2, Some(80.0)), (3, None)]
        );
        assert_eq!(frame.y_of(50.0), 50.0);
        assert_eq!(frame.y_of(500.0), 0.0);
    }

    #[test]
    fn keys_step_the_read_out_through_the_visible_interval_ends() {
        let every_20s: Vec<_> = (0..=10)
            .map(|k| json!({"timestamp": 1000 + 20 * k, "data": {"bytes_in": 100 * k}}))
            .collect();
        let data = chart(
            json!([
                {"serial": "A", "stats": every_20s},
                {"serial": "B", "stats": [
                    {"timestamp": 1100, "data": {"bytes_in": 1}},
                    {"timestamp": 1140, "data": {"bytes_in": 2}}
                ]}
            ]),
            &[],
        );
        let a_hidden: Hidden = ["A".to_string()].into();
        // Every datapoint ends an interval: A's every 20 s from 1000 to 1200,
        // B's at 1100 and 1140. A page is a tenth of the 1000 s range.
        let rows = [
            (None, Step::Later, none(), Some(1000)),
            (None, Step::PageLater, none(), Some(1000)),
            (None, Step::Earlier, none(), Some(1200)),
            (Some(1020), Step::Later, none(), Some(1040)),
            (Some(1000), Step::Earlier, none(), Some(1000)),
            (Some(1200), Step::Later, none(), Some(1200)),
            (Some(1020), Step::PageLater, none(), Some(1120)),
            (Some(1200), Step::PageEarlier, none(), Some(1100)),
            (Some(1180), Step::PageLater, none(), Some(1200)),
            (Some(1100), Step::First, none(), Some(1000)),
            (Some(1100), Step::Last, none(), Some(1200)),
            (None, Step::Later, a_hidden.clone(), Some(1100)),
            (Some(1100), Step::Later, a_hidden.clone(), Some(1140)),
            (Some(1100), Step::Earlier, a_hidden, Some(1100)),
        ];
        for (from, key, hidden, want) in rows {
            assert_eq!(data.step_time(&hidden, from, key), want, "{from:?} {key:?}");
        }
        let everything: Hidden = ["A".to_string(), "B".to_string()].into();
        assert_eq!(data.step_time(&everything, None, Step::First), None);
        assert_eq!(Step::from_key("PageUp"), Some(Step::PageLater));
        assert_eq!(Step::from_key("Enter"), None);
    }

    #[test]
    fn a_read_out_in_words_names_the_time_the_rekey_and_each_rate() {
        let data = chart(
            json!([{"serial": "edge-1", "stats": [
                {"timestamp": 1000, "data": {"bytes_in": 0}},
                {"timestamp": 1100, "data": {"bytes_in": 12500}}
            ]}]),
            &[1100],
        );
        let hover = Hover {
            t: 1100,
            x: 0.0,
            values: vec![(0, Some(1000.0)), (1, None)],
            rekey: Some(1100),
        };
        assert_eq!(
            data.reading_text(&hover, &Clock::fixed(0)),
            "1970-01-01 00:18 UTC; rekey at 1970-01-01 00:18:20 UTC; edge-1 in 1 kb/s; edge-1 out no data"
        );
    }

    #[test]
    fn the_table_has_a_row_per_interval() {
        let data = chart(
            json!([{"serial": "A", "stats": [
                {"timestamp": 1000, "data": {"bytes_in": 100}},
                {"timestamp": 1100, "data": {"bytes_in": 200, "bytes_out": 50}},
                {"timestamp": 1200, "data": {"bytes_in": 300, "bytes_out": 50}}
            ]}]),
            &[],
        );
        let table = data.table(&none());
        assert_eq!(table.columns, ["A in", "A out"]);
        assert_eq!(
            table.rows,
            [
                (1000, vec![Some(8.0), None]),
                (1100, vec![Some(16.0), Some(4.0)]),
                (1200, vec![Some(24.0), Some(4.0)])
            ]
        );
    }

    #[test]
    fn the_csv_keeps_exact_counters_and_the_drawn_rates() {
        let data = ChartData::from_peers(
            &serde_json::from_str::<Vec<PeerStats>>(
                r#"[{"serial": "SN-1", "stats": [
                    {"timestamp": 1010, "data": {"bytes_in": 18014398509481985, "bytes_out": 8}},
                    {"timestamp": 1000, "data": {"bytes_in": 10, "packets_in": 3}},
                    {"timestamp": 1020, "data": {"bytes_in": 20}},
                    {"timestamp": 3000, "data": {"bytes_in": 10}}
                ]}]"#,
            )
            .unwrap(),
            &[],
            RANGE,
            Measure::Bytes,
            |_| "edge, \"north\"".into(),
        );
        let want = "\
source,key,timestamp,time_utc,bytes_in,bytes_out,packets_in,packets_out,interval_s,in_bytes_per_s,out_bytes_per_s
\"edge, \"\"north\"\"\",SN-1,1000,1970-01-01T00:16:40Z,10,,3,,10,1,
\"edge, \"\"north\"\"\",SN-1,1010,1970-01-01T00:16:50Z,18014398509481985,8,,,10,1801439850948198.5,0.8
\"edge, \"\"north\"\"\",SN-1,1020,1970-01-01T00:17:00Z,20,,,,10,2,
";
        assert_eq!(data.csv(&none()), want);
    }

    #[test]
    fn legend_items_flow_into_rows() {
        type Places = Vec<(usize, f64)>;
        let rows: [(&[f64], f64, Places); 4] = [
            (&[], 100.0, vec![]),
            (
                &[40.0, 40.0, 40.0],
                100.0,
                vec![(0, 0.0), (0, 40.0), (1, 0.0)],
            ),
            (
                &[50.0, 50.0, 10.0],
                100.0,
                vec![(0, 0.0), (0, 50.0), (1, 0.0)],
            ),
            (&[150.0, 20.0], 100.0, vec![(0, 0.0), (1, 0.0)]),
        ];
        for (widths, available, want) in rows {
            assert_eq!(flow(widths, available), want, "{widths:?}");
        }
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        let rows = [
            ("edge-1", "edge-1"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\r=1", "\"'\r=1\""),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (text, want) in rows {
            assert_eq!(csv_field(text), want, "{text:?}");
        }
    }

    #[test]
    fn the_group_total_is_one_source() {
        let stats: GroupStats =
            serde_json::from_value(json!({"id": 3, "rekey_times": [1400], "stats": [
                {"timestamp": 1000, "data": {"packets_in": 10, "packets_out": 20}},
                {"timestamp": 1010, "data": {"packets_in": 30, "packets_out": 40}}
            ]}))
            .unwrap();
        let data = ChartData::from_group(&stats, "All peers", RANGE, Measure::Packets);
        assert_eq!(data.rekeys, [1400]);
        assert_eq!(
            data.summary(&none()),
            "Peak 4 pkt/s (All peers out), average 2.5 pkt/s, 1 rekeys"
        );
    }

    #[test]
    fn ticks_on_round_local_times() {
        let day = Range {
            start: 1_700_000_000,
            end: 1_700_086_400,
        };
        let month = Range {
            start: 1_700_000_000,
            end: 1_700_000_000 + 30 * 86_400,
        };
        let rows: &[(Range, i32, usize, &[&str])] = &[
            // 24 h in at most 9 ticks: every 3 h, on the hour; midnight
            // says which day begins.
            (
                day,
                0,
                9,
                &[
                    "15 Nov", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00",
                ],
            ),
            // In UTC+5:30 the ticks fall on round local hours.
            (day, 330, 5, &["06:00", "12:00", "18:00", "16 Nov"]),
            // An hour: minutes.
            (
                Range {
                    start: 0,
                    end: 3600,
                },
                0,
                8,
                &[
                    "1 Jan", "00:10", "00:20", "00:30", "00:40", "00:50", "01:00",
                ],
            ),
            // A month: days.
            (
                month,
                0,
                6,
                &["16 Nov", "23 Nov", "30 Nov", "7 Dec", "14 Dec"],
            ),
        ];
        for (range, offset, max, want) in rows {
            let (ticks, step) = time_ticks(*range, &Clock::fixed(*offset), *max);
            let got: Vec<String> = ticks
                .into_iter()
                .map(|t| crate::units::tick_label(t, *offset, step))
                .collect();
            assert_eq!(got, *want, "{range:?} {offset}");
        }
        let local = |t: i64| crate::units::clock(t, 330);
        assert!(time_ticks(day, &Clock::fixed(330), 12)
            .0
            .iter()
            .all(|t| day.contains(*t) && local(*t).ends_with(":00")));
    }

    #[test]
    fn ticks_stay_on_round_local_times_across_a_daylight_saving_change() {
        // 2026-10-25 01:00 UTC: central Europe goes from UTC+2 to UTC+1.
        let autumn = 1_792_890_000;
        let clock = Clock::sampled(autumn - 86_400, autumn + 86_400, |t| {
            if t < autumn {
                120
            } else {
                60
            }
        });
        let night = Range {
            start: autumn - 3 * 3600,
            end: autumn + 5 * 3600,
        };
        let (ticks, step) = time_ticks(night, &clock, 4);
        assert_eq!(step, 10_800);
        let labels: Vec<String> = ticks
            .iter()
            .map(|t| crate::units::tick_label(*t, clock.offset_at(*t), step))
            .collect();
        assert_eq!(labels, ["25 Oct", "03:00", "06:00"]);
        assert_eq!(ticks, [autumn - 3 * 3600, autumn + 3600, autumn + 4 * 3600]);
        // A month across it: every tick a local midnight.
        let month = Range {
            start: autumn - 15 * 86_400,
            end: autumn + 15 * 86_400,
        };
        let (ticks, _) = time_ticks(
            month,
            &Clock::sampled(
                month.start,
                month.end,
                |t| {
                    if t < autumn {
                        120
                    } else {
                        60
                    }
                },
            ),
            6,
        );
        assert!(ticks
            .iter()
            .all(|t| crate::units::clock(*t, if *t < autumn { 120 } else { 60 }) == "00:00"));
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
