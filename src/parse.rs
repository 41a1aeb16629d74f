//! Text typed into a bounded setting's field, read as the number the
//! controller will receive, and the words that say why text is refused.
//!
//! People type durations and volumes the way they think of them: `90m`,
//! `1h 30m` or `5400` for a duration (humantime reads the units), `4 TB`,
//! `500 GiB` or `1000000` for a volume (parse-size reads the units), `90`
//! or `90 %` for a percentage. A bare number is read here, exactly: digits
//! alone stay an integer, so a counter is never rounded through a float.
//!
//! Every bound and the integer rule come from [`model::Setting`]; this
//! module only turns text into a [`Number`] and asks the model.

use crate::units;
use model::{BoundError, Setting, SettingKind};
use serde_json::Number;
use std::fmt;

/// Why the text of a field is not a value the controller would accept.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    /// The value breaks the setting's range or integer rule.
    Bound(BoundError),
    /// Text that is not a number (with a unit) of the setting's kind.
    NotUnderstood(Setting),
    /// A comma, which one person means as a decimal point and another as a
    /// thousands separator.
    Comma(Setting),
    /// `M` in a duration, which could be minutes or months.
    MinutesOrMonths(Setting),
    /// Beyond the 64 bits in which the value could be sent exactly.
    TooLarge(Setting),
}

impl FieldError {
    /// The setting whose field holds the text.
    pub fn setting(&self) -> Setting {
        match self {
            FieldError::Bound(e) => e.setting(),
            FieldError::NotUnderstood(s)
            | FieldError::Comma(s)
            | FieldError::MinutesOrMonths(s)
            | FieldError::TooLarge(s) => *s,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let s = self.setting();
        let allowed = allowed(s);
        match self {
            FieldError::Bound(BoundError::OutOfRange { .. }) => write!(f, "Must be {allowed}"),
            FieldError::Bound(BoundError::NotInteger { .. }) => {
                write!(f, "Must be a whole number, {allowed}")
            }
            FieldError::Bound(BoundError::NotANumber { .. }) => {
                write!(f, "Must be a number, {allowed}")
            }
            FieldError::NotUnderstood(_) => {
                write!(f, "Not understood: type {}; {allowed}", examples(s))
            }
            FieldError::Comma(_) => write!(
                f,
                "Use a point for decimals and no thousands separators; {allowed}"
            ),
            FieldError::MinutesOrMonths(_) => write!(
                f,
                "\"M\" could mean minutes or months: write min or months; {allowed}"
            ),
            FieldError::TooLarge(_) => write!(
                f,
                "Too large to send exactly (at most {}); {allowed}",
                u64::MAX
            ),
        }
    }
}

/// The allowed range in the setting's unit, from the model, with the
/// duration in words where that helps: "from 10 to 3600 seconds (10 s to
/// 1 h)".
pub fn allowed(setting: Setting) -> String {
    let range = setting.range_text();
    match (setting.kind(), setting.max()) {
        (SettingKind::Seconds, Some(max)) => format!(
            "{range} ({} to {})",
            units::duration(setting.min()),
            units::duration(max)
        ),
        _ => range,
    }
}

/// What a person may type, for the hint under a field and for messages.
pub fn examples(setting: Setting) -> &'static str {
    match setting.kind() {
        SettingKind::Seconds if setting.integer() => "seconds or a duration such as 30s or 5m",
        SettingKind::Seconds => "a duration such as 90m, 1h 30m or 8h, or seconds",
        SettingKind::Bytes => "a volume such as 4 TB or 500 GiB, or bytes",
        SettingKind::Percent => "a percentage such as 90 or 99.5 %",
        SettingKind::Packets => "a whole number of packets",
    }
}

/// Reads a field's text: `Ok(None)` for an empty field (the setting is not
/// set), `Ok(Some(number))` for a value the model accepts.
pub fn setting(setting: Setting, text: &str) -> Result<Option<Number>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.contains(',') {
        return Err(FieldError::Comma(setting));
    }
    let (negative, rest) = match text.as_bytes()[0] {
        b'-' => (true, text[1..].trim_start()),
        b'+' => (false, text[1..].trim_start()),
        _ => (false, text),
    };
    let magnitude = match plain(rest) {
        Some(m) => m,
        None => with_unit(setting, rest)?,
    };
    let number = to_number(setting, negative, magnitude)?;
    setting.check(&number).map_err(FieldError::Bound)?;
    Ok(Some(number))
}

/// A magnitude read from text, before its sign.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Magnitude {
    Exact(u64),
    Float(f64),
}

/// A bare number: digits, perhaps a point and an exponent, no unit.
fn plain(text: &str) -> Option<Magnitude> {
    let first = text.bytes().next()?;
    let numeric = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-');
    if !(first.is_ascii_digit() || first == b'.') || !text.bytes().all(numeric) {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = text.parse::<u64>() {
            return Some(Magnitude::Exact(v));
        }
    }
    text.parse::<f64>().ok().map(Magnitude::Float)
}

/// A number with the unit of the setting's kind.
fn with_unit(setting: Setting, text: &str) -> Result<Magnitude, FieldError> {
    let not_understood = FieldError::NotUnderstood(setting);
    match setting.kind() {
        SettingKind::Seconds => {
            if words(text).any(|w| w == "M") {
                return Err(FieldError::MinutesOrMonths(setting));
            }
            // humantime's units are lower case ("M" aside, refused above).
            let d = humantime::parse_duration(&text.to_lowercase()).map_err(|_| not_understood)?;
            Ok(if d.subsec_nanos() == 0 {
                Magnitude::Exact(d.as_secs())
            } else {
                Magnitude::Float(d.as_secs_f64())
            })
        }
        SettingKind::Bytes => match parse_size::parse_size(text) {
            Ok(v) => Ok(Magnitude::Exact(v)),
            Err(parse_size::Error::PosOverflow) => Err(FieldError::TooLarge(setting)),
            Err(_) => Err(not_understood),
        },
        SettingKind::Percent => text
            .strip_suffix('%')
            .and_then(|t| plain(t.trim_end()))
            .ok_or(not_understood),
        SettingKind::Packets => {
            let t = text.strip_suffix("packets").unwrap_or(text).trim_end();
            plain(t).filter(|_| t != text).ok_or(not_understood)
        }
    }
}

/// The runs of letters in `text`, the units a person typed.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

/// The JSON number for a signed magnitude, exact where it can be.
fn to_number(setting: Setting, negative: bool, m: Magnitude) -> Result<Number, FieldError> {
    let v = match m {
        Magnitude::Exact(0) => return Ok(Number::from(0u64)),
        Magnitude::Exact(v) if !negative => return Ok(Number::from(v)),
        Magnitude::Exact(v) => match i64::try_from(v) {
            Ok(v) => return Ok(Number::from(-v)),
            Err(_) => -(v as f64),
        },
        Magnitude::Float(v) if negative => -v,
        Magnitude::Float(v) => v,
    };
    // 2^64 as f64: every integral float in [0, 2^64) converts to u64 exactly.
    const U64_LIMIT: f64 = 18_446_744_073_709_551_616.0;
    if v.is_infinite() || v.abs() >= U64_LIMIT {
        // Out of range if the model's bounds say so; otherwise beyond what
        // a JSON integer carries exactly.
        let out = v < setting.min() || setting.max().is_some_and(|max| v > max);
        return Err(if out {
            FieldError::Bound(BoundError::OutOfRange { setting })
        } else {
            FieldError::TooLarge(setting)
        });
    }
    if v.fract() == 0.0 && v >= 0.0 {
        return Ok(Number::from(v as u64));
    }
    if let Some(i) = model::lenient::integral(v) {
        return Ok(Number::from(i));
    }
    // FIXME: a fraction with more significant digits than a double holds
    // (about 17) is rounded here; the preview shows the rounded value, so
    // nothing is sent that the person did not see.
    Number::from_f64(v).ok_or(FieldError::Bound(BoundError::NotANumber { setting }))
}

/// What the controller will receive, for a person, beside the field:
/// "= 5400 s (1 h 30 min)", "= 4000000000000 bytes (3.64 TiB)".
pub fn preview(setting: Setting, value: &Number) -> String {
    let v = value.as_f64().unwrap_or(f64::NAN);
    match setting.kind() {
        SettingKind::Seconds if v >= 60.0 => {
            format!("= {value} s ({})", units::duration(v))
        }
        SettingKind::Seconds => format!("= {value} s"),
        SettingKind::Bytes if v >= 1024.0 => {
            let human = units::bytes(value.as_u64().unwrap_or(v as u64));
            format!("= {value} bytes ({human})")
        }
        SettingKind::Bytes => format!("= {value} bytes"),
        SettingKind::Percent => format!("= {value} %"),
        SettingKind::Packets => format!("= {value} packets"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Setting::*;

    /// What a row expects of a field's text.
    #[derive(Debug)]
    enum Want {
        /// Accepted as this JSON number text.
        Is(&'static str),
        /// An empty field: the setting is not set.
        Unset,
        OutOfRange,
        NotInteger,
        NotUnderstood,
        Comma,
        MinutesOrMonths,
        TooLarge,
    }
    use Want::*;

    fn check(rows: &[(Setting, &str, Want)]) {
        for (s, text, want) in rows {
            let got = setting(*s, text);
            let ok = match (&got, want) {
                (Ok(Some(n)), Is(v)) => n.to_string() == *v,
                (Ok(None), Unset) => true,
                (Err(FieldError::Bound(BoundError::OutOfRange { .. })), OutOfRange)
                | (Err(FieldError::Bound(BoundError::NotInteger { .. })), NotInteger)
                | (Err(FieldError::NotUnderstood(_)), NotUnderstood)
                | (Err(FieldError::Comma(_)), Comma)
                | (Err(FieldError::MinutesOrMonths(_)), MinutesOrMonths)
                | (Err(FieldError::TooLarge(_)), TooLarge) => true,
                _ => false,
            };
            assert!(ok, "{s} {text:?}: got {got:?}, want {want:?}");
            if let Err(e) = got {
                assert_eq!(e.setting(), *s);
            }
        }
    }

    #[test]
    fn durations_at_the_edges() {
        for s in [KeyAutoExpiry, HeadlessTimeout] {
            check(&[
                (s, "31", Is("31")),
                (s, "30", OutOfRange),
                (s, "30.999", OutOfRange),
                (s, "31557600", Is("31557600")),
                (s, "31557601", OutOfRange),
                (s, "1y", Is("31557600")),
                (s, "365d 6h", Is("31557600")),
                (s, "365d 6h 1s", OutOfRange),
                (s, "31s", Is("31")),
                (s, "30s", OutOfRange),
                (s, "31.5", Is("31.5")),
            ]);
        }
        check(&[
            (KeepaliveInterval, "10", Is("10")),
            (KeepaliveInterval, "9", OutOfRange),
            (KeepaliveInterval, "9.999", NotInteger),
            (KeepaliveInterval, "3600", Is("3600")),
            (KeepaliveInterval, "3601", OutOfRange),
            (KeepaliveInterval, "1h", Is("3600")),
            (KeepaliveInterval, "1h 1s", OutOfRange),
            (KeepaliveInterval, "10.5", NotInteger),
            (KeepaliveInterval, "10.0", Is("10")),
            (KeepaliveInterval, "10500ms", NotInteger),
        ]);
    }

    #[test]
    fn durations_as_people_type_them() {
        let s = KeyAutoExpiry;
        check(&[
            (s, "90m", Is("5400")),
            (s, "1h 30m", Is("5400")),
            (s, "1h30m", Is("5400")),
            (s, "  1h   30m  ", Is("5400")),
            (s, "3600", Is("3600")),
            (s, "1.5h", Is("5400")),
            (s, "8 hours", Is("28800")),
            (s, "2 days", Is("172800")),
            (s, "1H", Is("3600")),
            (s, "90MIN", Is("5400")),
            (s, "1 Hour", Is("3600")),
            (s, "90M", MinutesOrMonths),
            (s, "1 M", MinutesOrMonths),
            (s, "1 month", Is("2630016")),
            (s, "+3600", Is("3600")),
            (s, "-3600", OutOfRange),
            (s, "-5m", OutOfRange),
            (s, "- 5m", OutOfRange),
            (s, "--5", NotUnderstood),
            (s, "-", NotUnderstood),
            (s, "+", NotUnderstood),
            (s, "1.", OutOfRange),
            (s, "3", OutOfRange),
            (s, "36", Is("36")),
            (s, "1,5h", Comma),
            (s, "3,600", Comma),
            (s, "1e3", Is("1000")),
            (s, "1e3s", NotUnderstood),
            (s, "1e999", OutOfRange),
            (s, "99999999999999999999999", OutOfRange),
            (s, "inf", NotUnderstood),
            (s, "NaN", NotUnderstood),
            (s, "5 parsecs", NotUnderstood),
            (s, "1h 30", NotUnderstood),
            (s, "0x10", NotUnderstood),
            (s, "", Unset),
            (s, "   ", Unset),
        ]);
    }

    #[test]
    fn volumes() {
        let s = DataRekeyVolume;
        check(&[
            (s, "0", Is("0")),
            (s, "-1", OutOfRange),
            (s, "-0", Is("0")),
            (s, "-0.5", OutOfRange),
            (s, "0.5", Is("0.5")),
            (s, "18446744073709551615", Is("18446744073709551615")),
            (s, "18446744073709551616", TooLarge),
            (s, "1e30", TooLarge),
            (s, "1e999", TooLarge),
            (s, "4 TB", Is("4000000000000")),
            (s, "4tb", Is("4000000000000")),
            (s, "500 GiB", Is("536870912000")),
            (s, "500 gib", Is("536870912000")),
            (s, "1.5 GB", Is("1500000000")),
            (s, "1000000", Is("1000000")),
            (s, "1e6", Is("1000000")),
            (s, "1 KB", Is("1000")),
            (s, "1 KiB", Is("1024")),
            (s, "-1 GB", OutOfRange),
            (s, "1,000,000", Comma),
            (s, "1,5 GB", Comma),
            (s, "16 EiB", TooLarge),
            (s, "4 TX", NotUnderstood),
            (s, "GB", NotUnderstood),
            (s, "", Unset),
        ]);
    }

    #[test]
    fn percentages() {
        let s = RekeyPktprcnt;
        check(&[
            (s, "0", Is("0")),
            (s, "-0.1", OutOfRange),
            (s, "100", Is("100")),
            (s, "100.1", OutOfRange),
            (s, "101", OutOfRange),
            (s, "99.5", Is("99.5")),
            (s, "90%", Is("90")),
            (s, "90 %", Is("90")),
            (s, "99,5", Comma),
            (s, "%", NotUnderstood),
            (s, "90 percent", NotUnderstood),
            (s, "1e2", Is("100")),
            (s, "1e3", OutOfRange),
            (s, "", Unset),
        ]);
    }

    #[test]
    fn packet_counts() {
        let s = RekeyPktcnt;
        check(&[
            (s, "0", Is("0")),
            (s, "-1", OutOfRange),
            (s, "1.5", NotInteger),
            (s, "0.5", NotInteger),
            (s, "4294967296", Is("4294967296")),
            (s, "18446744073709551615", Is("18446744073709551615")),
            (s, "18446744073709551616", TooLarge),
            (s, "1e6", Is("1000000")),
            (s, "1000000 packets", Is("1000000")),
            (s, "1,000,000", Comma),
            (s, "1 000 000", NotUnderstood),
            (s, "1M", NotUnderstood),
            (s, "packets", NotUnderstood),
            (s, "", Unset),
        ]);
    }

    #[test]
    fn messages_name_the_range_in_the_unit() {
        let rows = [
            (
                KeepaliveInterval,
                "5",
                "Must be from 10 to 3600 seconds (10 s to 1 h)",
            ),
            (
                KeepaliveInterval,
                "10.5",
                "Must be a whole number, from 10 to 3600 seconds (10 s to 1 h)",
            ),
            (
                KeyAutoExpiry,
                "soon",
                "Not understood: type a duration such as 90m, 1h 30m or 8h, or seconds; \
                 from 31 to 31557600 seconds (31 s to 365 d 6 h)",
            ),
            (
                DataRekeyVolume,
                "1,5 GB",
                "Use a point for decimals and no thousands separators; 0 bytes or more",
            ),
            (RekeyPktprcnt, "120", "Must be from 0 to 100 percent"),
            (
                RekeyPktcnt,
                "2.5",
                "Must be a whole number, 0 packets or more",
            ),
        ];
        for (s, text, want) in rows {
            let e = setting(s, text).unwrap_err();
            assert_eq!(e.to_string(), want, "{s} {text:?}");
        }
    }

    #[test]
    fn previews_say_what_is_sent() {
        let rows = [
            (KeyAutoExpiry, "90m", "= 5400 s (1 h 30 min)"),
            (KeepaliveInterval, "30", "= 30 s"),
            (DataRekeyVolume, "4 TB", "= 4000000000000 bytes (3.64 TiB)"),
            (DataRekeyVolume, "100", "= 100 bytes"),
            (RekeyPktprcnt, "90 %", "= 90 %"),
            (RekeyPktcnt, "1e6", "= 1000000 packets"),
        ];
        for (s, text, want) in rows {
            let n = setting(s, text).unwrap().unwrap();
            assert_eq!(preview(s, &n), want, "{s} {text:?}");
        }
    }
}
