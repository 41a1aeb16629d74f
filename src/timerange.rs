//! What a chart's controls choose, kept in the page's query so that a link
//! shows the same chart: the time range (a preset back from now, or fixed
//! ends), the time zone of the labels, and the measure.
//!
//! `?range=6h`, `?from=1764700000&to=1764786400`, `&tz=utc`,
//! `&unit=bytes`. Missing parameters take their defaults (the last 24
//! hours, local time, bits per second); a parameter that makes no sense is
//! reported in words and replaced by its default, so a mangled link still
//! shows a chart.

use crate::series::Range;
use crate::units::Measure;
use model::Timestamp;

/// A range back from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Hour,
    SixHours,
    Day,
    Week,
    Month,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::Hour,
        Preset::SixHours,
        Preset::Day,
        Preset::Week,
        Preset::Month,
    ];

    /// The name in the query, and on its button: "1h" … "30d".
    pub fn key(self) -> &'static str {
        match self {
            Preset::Hour => "1h",
            Preset::SixHours => "6h",
            Preset::Day => "24h",
            Preset::Week => "7d",
            Preset::Month => "30d",
        }
    }

    /// What a screen reader says for the button.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Hour => "Last hour",
            Preset::SixHours => "Last 6 hours",
            Preset::Day => "Last 24 hours",
            Preset::Week => "Last 7 days",
            Preset::Month => "Last 30 days",
        }
    }

    /// The button's accessible name: its visible text first, so that speech input can name it
    /// by what it shows (WCAG 2.5.3), then the words a screen reader says: "6h, last 6 hours".
    pub fn accessible_name(self) -> String {
        format!("{}, {}", self.key(), self.label().to_lowercase())
    }

    pub fn seconds(self) -> i64 {
        const HOUR: i64 = 3600;
        match self {
            Preset::Hour => HOUR,
            Preset::SixHours => 6 * HOUR,
            Preset::Day => 24 * HOUR,
            Preset::Week => 7 * 24 * HOUR,
            Preset::Month => 30 * 24 * HOUR,
        }
    }
}

/// Which range a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Last(Preset),
    Between(Range),
}

impl Span {
    /// The range this is when the time is `now`.
    pub fn range(self, now: Timestamp) -> Range {
        match self {
            Span::Last(p) => Range::last(p.seconds(), now),
            Span::Between(r) => r,
        }
    }
}

/// The clock the labels are read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Local,
    Utc,
}

/// Everything the chart controls choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartQuery {
    pub span: Span,
    pub zone: Zone,
    pub measure: Measure,
}

impl Default for ChartQuery {
    fn default() -> Self {
        ChartQuery {
            span: Span::Last(Preset::Day),
            zone: Zone::Local,
            measure: Measure::Bits,
        }
    }
}

/// 9999-12-31 23:59:59 UTC: the calendar's end, for the clock's labels.
const LAST_SECOND: Timestamp = 253_402_300_799;

/// The query parameters this module owns; others are left alone.
pub const PARAMS: [&str; 5] = ["range", "from", "to", "tz", "unit"];

impl ChartQuery {
    /// Reads the query through `get`, with a sentence for each parameter
    /// that was not understood (and was replaced by its default).
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> (ChartQuery, Vec<String>) {
        let mut query = ChartQuery::default();
        let mut problems = Vec::new();

        match (get("from"), get("to")) {
            (Some(from), Some(to)) => match (from.parse::<Timestamp>(), to.parse::<Timestamp>()) {
                (Ok(start), Ok(end)) if !(0..=LAST_SECOND).contains(&start) || end > LAST_SECOND => {
                    problems.push(format!(
                        "The link's range {from} to {to} lies outside the years 1970 to 9999: showing the last 24 hours"
                    ))
                }
                (Ok(start), Ok(end)) if start < end => {
                    query.span = Span::Between(Range { start, end });
                }
                (Ok(_), Ok(_)) => problems.push(format!(
                    "The link's range ends before it starts ({from} to {to}): showing the last 24 hours"
                )),
                _ => problems.push(format!(
                    "The link's range \"{from}\" to \"{to}\" is not two epoch seconds: showing the last 24 hours"
                )),
            },
            (None, None) => {
                if let Some(key) = get("range") {
                    match Preset::ALL.into_iter().find(|p| p.key() == key) {
                        Some(p) => query.span = Span::Last(p),
                        None => problems.push(format!(
                            "The link asks for a range \"{key}\", which is none of 1h, 6h, 24h, 7d, 30d: showing the last 24 hours"
                        )),
                    }
                }
            }
            _ => problems.push(
                "The link gives only one end of its range: showing the last 24 hours".into(),
            ),
        }
        match get("tz").as_deref() {
            None | Some("local") => {}
            Some("utc") => query.zone = Zone::Utc,
            Some(other) => problems.push(format!(
                "The link's time zone \"{other}\" is neither local nor utc: showing local time"
            )),
        }
        if let Some(unit) = get("unit") {
            match Measure::from_key(&unit) {
                Some(m) => query.measure = m,
                None => problems.push(format!(
                    "The link's unit \"{unit}\" is none of bits, bytes, packets: showing bits per second"
                )),
            }
        }
        (query, problems)
    }

    /// The query parameters that say this, defaults left out.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        match self.span {
            Span::Last(Preset::Day) => {}
            Span::Last(p) => out.push(("range", p.key().to_string())),
            Span::Between(r) => {
                out.push(("from", r.start.to_string()));
                out.push(("to", r.end.to_string()));
            }
        }
        if self.zone == Zone::Utc {
            out.push(("tz", "utc".into()));
        }
        if self.measure != Measure::Bits {
            out.push(("unit", self.measure.key().into()));
        }
        out
    }

    /// The query string (with its "?", or empty) of a link that says this
    /// and keeps the `others` parameters that are not the chart's.
    pub fn search(&self, others: &[(String, String)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in others.iter().filter(|(k, _)| !PARAMS.contains(&k.as_str())) {
            query.append_pair(k, v);
        }
        for (k, v) in self.params() {
            query.append_pair(k, &v);
        }
        let query = query.finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }

    /// The range to ask the controller for when the time is `now`.
    pub fn range(&self, now: Timestamp) -> Range {
        self.span.range(now)
    }
}

/// The value of a `datetime-local` input for `epoch` on a clock
/// `offset_min` minutes east of UTC: "2026-12-03T14:05".
pub fn input_value(epoch: Timestamp, offset_min: i32) -> String {
    crate::units::date_time(epoch, offset_min).replacen(' ', "T", 1)
}

/// The epoch second of a `datetime-local` input's value read on a clock
/// `offset_min` minutes east of UTC.
pub fn parse_input(text: &str, offset_min: i32) -> Result<Timestamp, String> {
    use time::macros::format_description;
    let with_seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let text = text.trim();
    let local = time::PrimitiveDateTime::parse(text, without)
        .or_else(|_| time::PrimitiveDateTime::parse(text, with_seconds))
        .map_err(|_| format!("\"{text}\" is not a date and time like 2026-12-03T14:05"))?;
    Ok(local.assume_utc().unix_timestamp() - i64::from(offset_min) * 60)
}

/// The epoch second of a `datetime-local` input's value read on a clock
/// whose offset changes (`offset_at`, minutes east of UTC at an epoch
/// second), such as local time across a daylight-saving change. A time the
/// clock skips (02:30 on the spring change) reads as the time after the
/// gap; a time it shows twice (01:30 on the autumn change), as the first.
pub fn parse_local_input(
    text: &str,
    offset_at: impl Fn(Timestamp) -> i32,
) -> Result<Timestamp, String> {
    if text.trim().is_empty() {
        return Err("Enter a date and time, such as 2026-12-03T14:05".into());
    }
    let wall = parse_input(text, 0)?;
    let at = |t: Timestamp| wall - i64::from(offset_at(t)) * 60;
    let first = at(wall);
    let second = at(first);
    if at(second) == second {
        Ok(second)
    } else {
        Ok(first.max(second))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn local_inputs_read_right_on_daylight_saving_days() {
        // New York: 2026-03-08 07:00 UTC (02:00 EST) jumps to EDT;
        // 2026-11-01 06:00 UTC (02:00 EDT) falls back to EST.
        let spring = 1_772_953_200;
        let autumn = 1_793_512_800;
        let new_york = |t: Timestamp| {
            if (spring..autumn).contains(&t) {
                -240
            } else {
                -300
            }
        };
        let rows = [
            ("2026-03-08T01:00", spring - 3600),
            ("2026-03-08T04:00", spring + 3600),
            ("2026-03-08T03:00", spring),
            ("2026-03-08T02:30", spring + 1800),
            ("2026-11-01T01:30", autumn - 1800),
            ("2026-11-01T03:00", autumn + 2 * 3600),
            ("2026-11-01T00:00", autumn - 2 * 3600),
        ];
        for (text, want) in rows {
            assert_eq!(parse_local_input(text, new_york), Ok(want), "{text}");
        }
        assert_eq!(
            parse_local_input("2026-12-03T14:05", |_| 330),
            parse_input("2026-12-03T14:05", 330)
        );
        assert!(parse_local_input("", |_| 0)
            .unwrap_err()
            .contains("Enter a date and time"));
        assert!(parse_local_input("soon", |_| 0).is_err());
    }

    fn parse(query: &[(&str, &str)]) -> (ChartQuery, Vec<String>) {
        let map: HashMap<&str, &str> = query.iter().copied().collect();
        ChartQuery::parse(|k| map.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn preset_buttons_are_named_by_what_they_show() {
        for preset in Preset::ALL {
            let name = preset.accessible_name();
            assert!(name.starts_with(preset.key()), "{name}");
            assert!(name.ends_with(&preset.label().to_lowercase()), "{name}");
        }
        assert_eq!(Preset::Day.accessible_name(), "24h, last 24 hours");
    }

    #[test]
    fn queries_round_trip() {
        let rows = [
            ChartQuery::default(),
            ChartQuery {
                span: Span::Last(Preset::Hour),
                zone: Zone::Utc,
                measure: Measure::Packets,
            },
            ChartQuery {
                span: Span::Between(Range {
                    start: 1_700_000_000,
                    end: 1_700_003_600,
                }),
                zone: Zone::Local,
                measure: Measure::Bytes,
            },
        ];
        for query in rows {
            let params = query.params();
            let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(parse(&pairs), (query, vec![]), "{pairs:?}");
        }
        assert_eq!(ChartQuery::default().params(), vec![]);
    }

    #[test]
    fn nonsense_is_reported_and_replaced_by_defaults() {
        let rows: [(&[(&str, &str)], &str); 8] = [
            // Out of the calendar, a range could not be labelled (or would
            // need more ticks than fit in an i64).
            (&[("from", "-5"), ("to", "5")], "outside the years"),
            (
                &[("from", "0"), ("to", "9223372036854775807")],
                "outside the years",
            ),
            (&[("range", "2w")], "range \"2w\""),
            (&[("from", "10"), ("to", "5")], "ends before it starts"),
            (
                &[("from", "yesterday"), ("to", "5")],
                "not two epoch seconds",
            ),
            (&[("from", "10")], "only one end"),
            (&[("tz", "mars")], "time zone \"mars\""),
            (&[("unit", "baud")], "unit \"baud\""),
        ];
        for (query, want) in rows {
            let (got, problems) = parse(query);
            assert_eq!(got, ChartQuery::default(), "{query:?}");
            assert_eq!(problems.len(), 1, "{query:?}");
            assert!(problems[0].contains(want), "{problems:?}");
        }
    }

    #[test]
    fn links_keep_other_parameters() {
        let query = ChartQuery {
            span: Span::Last(Preset::SixHours),
            zone: Zone::Utc,
            measure: Measure::Bits,
        };
        let others = [
            ("tab".to_string(), "a b".to_string()),
            ("range".to_string(), "1h".to_string()),
        ];
        assert_eq!(query.search(&others), "?tab=a+b&range=6h&tz=utc");
        assert_eq!(ChartQuery::default().search(&[]), "");
    }

    #[test]
    fn ranges_from_now() {
        let (q, _) = parse(&[("range", "7d")]);
        assert_eq!(
            q.range(1_000_000),
            Range {
                start: 1_000_000 - 604_800,
                end: 1_000_000
            }
        );
    }

    #[test]
    fn datetime_inputs() {
        let rows = [
            ("2023-11-14T22:13", 0, Ok(1_699_999_980)),
            ("2023-11-14T22:13:20", 0, Ok(1_700_000_000)),
            ("2023-11-15T00:13", 120, Ok(1_699_999_980)),
            ("yesterday", 0, Err(())),
            ("2023-13-01T00:00", 0, Err(())),
        ];
        for (text, offset, want) in rows {
            assert_eq!(parse_input(text, offset).map_err(|_| ()), want, "{text}");
        }
        assert_eq!(input_value(1_700_000_000, 120), "2023-11-15T00:13");
    }
}
