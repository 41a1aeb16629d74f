//! The browser's clock and time zone, for the few places that need "now",
//! and [`Clock`]: a time zone's offsets from UTC over a stretch of time.

use model::Timestamp;

/// The current time in epoch seconds.
pub fn now() -> Timestamp {
    (js_sys::Date::now() / 1000.0).floor() as Timestamp
}

/// How many minutes the browser's local time is east of UTC at `epoch`
/// (JavaScript counts the other way round).
pub fn local_offset_min(epoch: Timestamp) -> i32 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch as f64 * 1000.0));
    -(date.get_timezone_offset() as i32)
}

/// How many samples [`Clock::sampled`] takes at most over its stretch.
const MOST_SAMPLES: i64 = 4000;

/// Time zones change their offset at most a few times a year, never twice
/// within this many seconds, so samples this far apart miss no change.
const SAMPLE_EVERY: i64 = 6 * 3600;

/// A clock's offsets from UTC: minutes east of UTC from each change on, so
/// that times on both sides of a daylight-saving change read right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// From each time on, the offset; the first holds from the start of
    /// time, and the times rise.
    changes: Vec<(Timestamp, i32)>,
}

impl Clock {
    /// A clock that is always `offset_min` minutes east of UTC (UTC: 0).
    pub fn fixed(offset_min: i32) -> Clock {
        Clock {
            changes: vec![(Timestamp::MIN, offset_min)],
        }
    }

    /// The clock `offset_at` reads between `start` and `end`, with every
    /// change between them found to the second.
    pub fn sampled(
        start: Timestamp,
        end: Timestamp,
        offset_at: impl Fn(Timestamp) -> i32,
    ) -> Clock {
        let every = SAMPLE_EVERY.max((end - start) / MOST_SAMPLES).max(1);
        let mut changes = vec![(Timestamp::MIN, offset_at(start))];
        let mut before = start;
        while before < end {
            let after = (before + every).min(end);
            let (was, is) = (changes[changes.len() - 1].1, offset_at(after));
            if is != was {
                // The change lies in (before, after]: find its first second.
                let (mut low, mut high) = (before, after);
                while high - low > 1 {
                    let middle = low + (high - low) / 2;
                    if offset_at(middle) == was {
                        low = middle;
                    } else {
                        high = middle;
                    }
                }
                changes.push((high, is));
            }
            before = after;
        }
        Clock { changes }
    }

    /// Minutes east of UTC at `t`.
    pub fn offset_at(&self, t: Timestamp) -> i32 {
        let i = self.changes.partition_point(|(from, _)| *from <= t);
        self.changes[i.saturating_sub(1)].1
    }

    /// A time on this clock with the clock named: "2026-12-03 14:05 UTC",
    /// or "2026-11-01 01:35 (UTC−04:00)" in a zone, which also tells the
    /// two 01:35s of an autumn night apart.
    pub fn time_text(&self, t: Timestamp) -> String {
        let offset = self.offset_at(t);
        let time = crate::units::date_time(t, offset);
        if self.is_utc() {
            format!("{time} UTC")
        } else {
            format!("{time} ({})", crate::units::utc_offset(offset))
        }
    }

    /// The clocks a stretch is read on: "UTC", "UTC+01:00", or
    /// "UTC+02:00, then UTC+01:00" across a change.
    pub fn name(&self, start: Timestamp, end: Timestamp) -> String {
        self.spans(start, end)
            .iter()
            .map(|(_, _, offset)| crate::units::utc_offset(*offset))
            .collect::<Vec<_>>()
            .join(", then ")
    }

    /// Whether it reads UTC throughout.
    pub fn is_utc(&self) -> bool {
        self.changes.iter().all(|(_, offset)| *offset == 0)
    }

    /// The stretches of `start..=end` with one offset each, in order: the
    /// first second of each, the first second after it, and its offset.
    pub fn spans(&self, start: Timestamp, end: Timestamp) -> Vec<(Timestamp, Timestamp, i32)> {
        let mut spans = Vec::new();
        let mut from = start;
        for (i, (_, offset)) in self.changes.iter().enumerate() {
            let until = self
                .changes
                .get(i + 1)
                .map_or(end.saturating_add(1), |(next, _)| {
                    (*next).min(end.saturating_add(1))
                });
            if until > from {
                spans.push((from, until, *offset));
                from = until;
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-10-25 01:00 UTC: central Europe goes from UTC+2 to UTC+1.
    const AUTUMN: Timestamp = 1_792_890_000;

    fn berlin(t: Timestamp) -> i32 {
        if t < AUTUMN {
            120
        } else {
            60
        }
    }

    #[test]
    fn a_sampled_clock_finds_a_change_to_the_second() {
        let clock = Clock::sampled(AUTUMN - 5 * 86_400 - 77, AUTUMN + 3 * 86_400, berlin);
        assert_eq!(clock.offset_at(AUTUMN - 1), 120);
        assert_eq!(clock.offset_at(AUTUMN), 60);
        assert_eq!(clock.offset_at(AUTUMN + 86_400), 60);
        assert_eq!(clock.offset_at(Timestamp::MIN), 120);
        assert!(!clock.is_utc());
        assert_eq!(
            clock.spans(AUTUMN - 10, AUTUMN + 10),
            [(AUTUMN - 10, AUTUMN, 120), (AUTUMN, AUTUMN + 11, 60)]
        );
        // A stretch that does not reach the change has one span.
        assert_eq!(
            clock.spans(AUTUMN + 10, AUTUMN + 20),
            [(AUTUMN + 10, AUTUMN + 21, 60)]
        );
        let before = Clock::sampled(AUTUMN - 86_400, AUTUMN - 1, berlin);
        assert_eq!(before, Clock::fixed(120));
    }

    #[test]
    fn times_are_read_with_their_clock_named() {
        let clock = Clock::sampled(AUTUMN - 86_400, AUTUMN + 86_400, berlin);
        assert_eq!(
            clock.time_text(AUTUMN - 1800),
            "2026-10-25 02:30 (UTC+02:00)"
        );
        assert_eq!(
            clock.time_text(AUTUMN + 1800),
            "2026-10-25 02:30 (UTC+01:00)"
        );
        assert_eq!(Clock::fixed(0).time_text(0), "1970-01-01 00:00 UTC");
        assert_eq!(
            clock.name(AUTUMN - 10, AUTUMN + 10),
            "UTC+02:00, then UTC+01:00"
        );
        assert_eq!(Clock::fixed(0).name(0, 10), "UTC");
    }

    #[test]
    fn a_fixed_clock_is_one_span() {
        assert!(Clock::fixed(0).is_utc());
        assert_eq!(Clock::fixed(330).offset_at(0), 330);
        assert_eq!(Clock::fixed(0).spans(5, 9), [(5, 10, 0)]);
        // A very long stretch is sampled sparsely but still ends.
        let long = Clock::sampled(0, 100 * 365 * 86_400, |_| -300);
        assert_eq!(long, Clock::fixed(-300));
    }
}
