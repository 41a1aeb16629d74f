//! Numbers formatted for a person: durations, volumes, bit rates, counts,
//! clock times.
//!
//! Every function here is pure and works on `f64`, which is only ever used
//! for display: the exact value the controller sent stays in the model's
//! `serde_json::Number` and is shown by [`exact_setting`] (the text of a
//! `title`, for a hover). Human values keep three significant digits and
//! drop trailing zeros, so "1 Gb/s" and "1.23 Mb/s" rather than "1.000 Gb/s".
//! Volumes use binary prefixes, as sizes of memory and disks do: "500 GiB".

use model::{Setting, SettingKind};
use serde_json::Number;

/// Formats with at most three significant digits, without trailing zeros.
fn sig3(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(0, 3) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Scales `v` by powers of 1000 and names the step with `units[i]`.
fn scaled(v: f64, units: &[&str]) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let mut step = 0;
    let mut scaled = v;
    while scaled.abs() >= 1000.0 && step + 1 < units.len() {
        scaled /= 1000.0;
        step += 1;
    }
    // 999 999 would round to "1000 k": move on to the next unit instead.
    if sig3(scaled).trim_start_matches('-').len() >= 4
        && scaled.abs() >= 999.5
        && step + 1 < units.len()
    {
        scaled /= 1000.0;
        step += 1;
    }
    let unit = units[step];
    if unit.is_empty() {
        sig3(scaled)
    } else {
        format!("{} {unit}", sig3(scaled))
    }
}

/// A volume in bytes with binary prefixes: "512 B", "1.50 KiB", "500 GiB".
pub fn bytes(v: u64) -> String {
    humansize::format_size(v, humansize::BINARY)
}

/// A rate in bits per second: "0 b/s", "420 Mb/s", "1.2 Gb/s".
pub fn bit_rate(bps: f64) -> String {
    scaled(bps, &["b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s", "Pb/s"])
}

/// A rate in bytes per second: "0 B/s", "52.5 MB/s".
pub fn byte_rate(bytes_per_sec: f64) -> String {
    scaled(
        bytes_per_sec,
        &["B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s"],
    )
}

/// A rate in packets per second: "12 pkt/s", "1.5 kpkt/s".
pub fn packet_rate(per_sec: f64) -> String {
    scaled(per_sec, &["pkt/s", "kpkt/s", "Mpkt/s", "Gpkt/s", "Tpkt/s"])
}

/// What a chart's rates count, each with its own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Bytes in and out, shown as bits per second.
    #[default]
    Bits,
    /// Bytes in and out, shown as bytes per second.
    Bytes,
    /// Packets in and out, per second.
    Packets,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Bits, Measure::Bytes, Measure::Packets];

    /// The name in a link's query: "bits", "bytes", "packets".
    pub fn key(self) -> &'static str {
        match self {
            Measure::Bits => "bits",
            Measure::Bytes => "bytes",
            Measure::Packets => "packets",
        }
    }

    pub fn from_key(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }

    /// What a person picks: "Bits/s", "Bytes/s", "Packets/s".
    pub fn label(self) -> &'static str {
        match self {
            Measure::Bits => "Bits/s",
            Measure::Bytes => "Bytes/s",
            Measure::Packets => "Packets/s",
        }
    }

    /// A rate in this measure's unit, scaled to the value.
    pub fn rate(self, per_sec: f64) -> String {
        match self {
            Measure::Bits => bit_rate(per_sec),
            Measure::Bytes => byte_rate(per_sec),
            Measure::Packets => packet_rate(per_sec),
        }
    }

    /// The unit of an unscaled rate, for a column name: "bits_per_s".
    pub fn per_sec_name(self) -> &'static str {
        match self {
            Measure::Bits => "bits_per_s",
            Measure::Bytes => "bytes_per_s",
            Measure::Packets => "packets_per_s",
        }
    }
}

/// A count with a short decimal suffix: "950", "12.5 k", "4.29 G".
pub fn count(v: f64) -> String {
    scaled(v, &["", "k", "M", "G", "T", "P", "E"])
}

/// A percentage: "90 %", "99.5 %".
pub fn percent(v: f64) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} %")
}

const UNITS: [(f64, &str); 4] = [(86_400.0, "d"), (3_600.0, "h"), (60.0, "min"), (1.0, "s")];

/// A duration in seconds, in its largest unit and the next one, rounded to
/// that next unit: "45 s", "1 min 30 s", "8 h", "1 d 6 h", "365 d 6 h".
pub fn duration(secs: f64) -> String {
    if !secs.is_finite() {
        return "?".into();
    }
    if secs.abs() < 60.0 {
        return format!("{} s", sig3(secs));
    }
    let negative = secs < 0.0;
    let secs = secs.abs();
    let first = UNITS
        .iter()
        .position(|(size, _)| secs >= *size)
        .unwrap_or(UNITS.len() - 1);
    let step = UNITS[(first + 1).min(UNITS.len() - 1)].0;
    let mut left = (secs / step).round() * step;
    let mut parts = Vec::new();
    for (size, name) in UNITS {
        if left >= size && parts.len() < 2 {
            let n = (left / size).floor();
            left -= n * size;
            parts.push(format!("{n} {name}"));
        } else if !parts.is_empty() {
            // Only adjacent units: "1 d 0 h 5 min" is shown as "1 d".
            break;
        }
    }
    let text = parts.join(" ");
    if negative {
        format!("-{text}")
    } else {
        text
    }
}

/// A setting's value for a person, in the setting's unit.
pub fn setting(setting: Setting, value: &Number) -> String {
    let Some(v) = value.as_f64() else {
        return value.to_string();
    };
    match setting.kind() {
        SettingKind::Seconds => duration(v),
        SettingKind::Bytes => match value.as_u64() {
            Some(n) => bytes(n),
            // Beyond what 64 bits count (the API sets no maximum): in EiB.
            None if v >= u64::MAX as f64 => format!("{} EiB", sig3(v / 2f64.powi(60))),
            None => bytes(v.max(0.0).round() as u64),
        },
        SettingKind::Percent => percent(v),
        SettingKind::Packets => format!("{} packets", count(v)),
    }
}

/// A setting's exact value as the controller sent it, with its unit:
/// "28800 seconds", "1000000000000 bytes".
pub fn exact_setting(setting: Setting, value: &Number) -> String {
    format!("{value} {}", setting.kind().unit())
}

/// The local clock time "HH:MM" of an epoch second, `offset_min` minutes
/// east of UTC.
pub fn clock(epoch: i64, offset_min: i32) -> String {
    let local = epoch + i64::from(offset_min) * 60;
    let of_day = local.rem_euclid(86_400);
    format!("{:02}:{:02}", of_day / 3600, of_day % 3600 / 60)
}

/// The name of a clock `offset_min` minutes east of UTC: "UTC",
/// "UTC+05:30", "UTC−08:00" (with a minus sign).
pub fn utc_offset(offset_min: i32) -> String {
    if offset_min == 0 {
        return "UTC".into();
    }
    let sign = if offset_min > 0 { '+' } else { '\u{2212}' };
    let m = offset_min.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The local date and time "YYYY-MM-DD HH:MM" of an epoch second,
/// `offset_min` minutes east of UTC; "?" outside the calendar's range.
pub fn date_time(epoch: i64, offset_min: i32) -> String {
    let local = time::OffsetDateTime::from_unix_timestamp(epoch + i64::from(offset_min) * 60);
    match local {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        Err(_) => "?".into(),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn local(epoch: i64, offset_min: i32) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(epoch + i64::from(offset_min) * 60).ok()
}

/// The local day "3 Dec" of an epoch second; "?" outside the calendar.
pub fn day_month(epoch: i64, offset_min: i32) -> String {
    local(epoch, offset_min).map_or_else(
        || "?".into(),
        |t| {
            format!(
                "{} {}",
                t.day(),
                MONTHS[usize::from(u8::from(t.month())) - 1]
            )
        },
    )
}

/// The label of a time axis tick when ticks are `step` seconds apart:
/// the day ("3 Dec") for steps of a day or more and at local midnight,
/// the clock time ("14:30") otherwise.
pub fn tick_label(epoch: i64, offset_min: i32, step: i64) -> String {
    let midnight = (epoch + i64::from(offset_min) * 60).rem_euclid(86_400) == 0;
    if step >= 86_400 || midnight {
        day_month(epoch, offset_min)
    } else {
        clock(epoch, offset_min)
    }
}

/// The local date and time with seconds, "2026-12-03 14:05:09".
pub fn date_time_seconds(epoch: i64, offset_min: i32) -> String {
    let seconds = (epoch + i64::from(offset_min) * 60).rem_euclid(60);
    format!("{}:{seconds:02}", date_time(epoch, offset_min))
}

/// An epoch second in UTC as ISO 8601, "2026-12-03T14:05:09Z".
pub fn iso_utc(epoch: i64) -> String {
    date_time_seconds(epoch, 0).replacen(' ', "T", 1) + "Z"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn volumes_beyond_64_bits_are_shown_as_they_are() {
        let volume = |v: serde_json::Value| {
            setting(
                Setting::DataRekeyVolume,
                &serde_json::from_value(v).unwrap(),
            )
        };
        assert_eq!(volume(json!(1.5e20)), "130 EiB");
        assert_eq!(volume(json!(2000000000000u64)), "1.82 TiB");
        assert_eq!(volume(json!(1024.0)), "1 KiB");
    }

    #[test]
    fn clocks_are_named_by_their_offset() {
        let rows = [
            (0, "UTC"),
            (330, "UTC+05:30"),
            (-480, "UTC\u{2212}08:00"),
            (60, "UTC+01:00"),
        ];
        for (offset, want) in rows {
            assert_eq!(utc_offset(offset), want);
        }
    }

    fn check(f: fn(f64) -> String, rows: &[(f64, &str)]) {
        for &(input, want) in rows {
            assert_eq!(f(input), want, "input {input}");
        }
    }

    #[test]
    fn volumes() {
        let rows = [
            (0, "0 B"),
            (512, "512 B"),
            (1023, "1023 B"),
            (1024, "1 KiB"),
            (1536, "1.50 KiB"),
            (536_870_912_000, "500 GiB"),
            (1_000_000_000_000, "931.32 GiB"),
            (u64::MAX, "16 EiB"),
        ];
        for (input, want) in rows {
            assert_eq!(bytes(input), want, "input {input}");
        }
    }

    #[test]
    fn rates() {
        check(
            bit_rate,
            &[
                (0.0, "0 b/s"),
                (0.5, "0.5 b/s"),
                (420e6, "420 Mb/s"),
                (1.2e9, "1.2 Gb/s"),
                (12_345.0, "12.3 kb/s"),
                (99_950.0, "100 kb/s"),
                (999_999.0, "1 Mb/s"),
                (2.5e10, "25 Gb/s"),
            ],
        );
        check(
            byte_rate,
            &[(0.0, "0 B/s"), (52_500_000.0, "52.5 MB/s"), (1e9, "1 GB/s")],
        );
        check(
            packet_rate,
            &[
                (12.0, "12 pkt/s"),
                (1_500.0, "1.5 kpkt/s"),
                (3e6, "3 Mpkt/s"),
            ],
        );
        for m in Measure::ALL {
            assert_eq!(Measure::from_key(m.key()), Some(m));
        }
        assert_eq!(Measure::Bytes.rate(2048.0), "2.05 kB/s");
        assert_eq!(Measure::from_key("furlongs"), None);
    }

    #[test]
    fn tick_labels_fit_the_step() {
        // 2023-11-14 22:13:20 UTC.
        let t = 1_700_000_000;
        let midnight = 1_699_920_000;
        let rows = [
            (t, 0, 600, "22:13"),
            (t, 0, 86_400, "14 Nov"),
            (t, 0, 604_800, "14 Nov"),
            (t, 120, 3_600, "00:13"),
            (t, 120, 86_400, "15 Nov"),
            (midnight, 0, 3_600, "14 Nov"),
            (midnight, 60, 3_600, "01:00"),
            (951_782_400, 0, 86_400, "29 Feb"),
        ];
        for (epoch, offset, step, want) in rows {
            assert_eq!(
                tick_label(epoch, offset, step),
                want,
                "{epoch} {offset} {step}"
            );
        }
        assert_eq!(date_time_seconds(t + 9, 0), "2023-11-14 22:13:29");
        assert_eq!(iso_utc(t), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn counts_and_percentages() {
        check(
            count,
            &[
                (950.0, "950"),
                (12_500.0, "12.5 k"),
                (4_294_967_296.0, "4.29 G"),
            ],
        );
        check(
            percent,
            &[
                (90.0, "90 %"),
                (99.5, "99.5 %"),
                (0.0, "0 %"),
                (33.333, "33.33 %"),
            ],
        );
    }

    #[test]
    fn durations() {
        check(
            duration,
            &[
                (0.0, "0 s"),
                (31.0, "31 s"),
                (31.5, "31.5 s"),
                (59.0, "59 s"),
                (60.0, "1 min"),
                (90.0, "1 min 30 s"),
                (3600.0, "1 h"),
                (5400.0, "1 h 30 min"),
                (28_800.0, "8 h"),
                (86_399.0, "1 d"),
                (86_400.0, "1 d"),
                (90_061.0, "1 d 1 h"),
                (31_557_600.0, "365 d 6 h"),
                // The third unit is rounded into the second, never shown.
                (3_659.0, "1 h 1 min"),
            ],
        );
    }

    #[test]
    fn settings_in_their_units() {
        let rows = [
            (Setting::KeyAutoExpiry, json!(28800), "8 h", "28800 seconds"),
            (
                Setting::DataRekeyVolume,
                json!(536_870_912_000u64),
                "500 GiB",
                "536870912000 bytes",
            ),
            (
                Setting::DataRekeyVolume,
                json!(1024.0),
                "1 KiB",
                "1024.0 bytes",
            ),
            (Setting::RekeyPktprcnt, json!(90), "90 %", "90 percent"),
            (
                Setting::RekeyPktcnt,
                json!(1_000_000),
                "1 M packets",
                "1000000 packets",
            ),
            (
                Setting::KeepaliveInterval,
                json!(30.0),
                "30 s",
                "30.0 seconds",
            ),
        ];
        for (s, value, human, exact) in rows {
            let serde_json::Value::Number(n) = value else {
                panic!("not a number")
            };
            assert_eq!(setting(s, &n), human, "{s}");
            assert_eq!(exact_setting(s, &n), exact, "{s}");
        }
    }

    #[test]
    fn clock_times() {
        let rows = [
            (0, 0, "00:00", "1970-01-01 00:00"),
            (1_700_000_000, 0, "22:13", "2023-11-14 22:13"),
            (1_700_000_000, 120, "00:13", "2023-11-15 00:13"),
            (1_700_000_000, -300, "17:13", "2023-11-14 17:13"),
            (951_782_400, 0, "00:00", "2000-02-29 00:00"),
        ];
        for (epoch, offset, hm, full) in rows {
            assert_eq!(clock(epoch, offset), hm, "{epoch} {offset}");
            assert_eq!(date_time(epoch, offset), full, "{epoch} {offset}");
        }
    }
}
