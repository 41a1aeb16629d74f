//! Lenient readers for the spec's `integer` fields.
//!
//! JSON has one number type, and a controller (or a proxy that re-encodes
//! JSON) may write the integer `30` as `30.0`. Such a value is still an
//! integer, so these readers accept any number with no fractional part that
//! fits in an `i64`, and refuse everything else with a message naming the
//! value.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("integer {v} is too large")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        integral(v).ok_or_else(|| E::custom(format!("expected an integer, found {v}")))
    }
}

/// The integer an integral float stands for, if it has one.
pub fn integral(v: f64) -> Option<i64> {
    // 2^63 as f64; every integral float strictly inside ±2^63 converts exactly.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (v.is_finite() && v.fract() == 0.0 && v.abs() < LIMIT).then_some(v as i64)
}

/// Reads a required integer, accepting integral floats.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntVisitor)
}

/// Reads an optional integer, accepting integral floats; `null` is absent.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            int(d).map(Some)
        }
    }
    d.deserialize_option(OptVisitor)
}

/// Reads an optional list of integers, accepting integral floats.
pub fn opt_int_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<i64>>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "int")] i64);
    let v: Option<Vec<Wrapped>> = serde::Deserialize::deserialize(d)?;
    Ok(v.map(|v| v.into_iter().map(|w| w.0).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "opt_int")]
        n: Option<i64>,
    }

    fn read(json: &str) -> Result<Option<i64>, String> {
        serde_json::from_str::<T>(json)
            .map(|t| t.n)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integers_and_integral_floats_are_read() {
        for (json, want) in [
            (r#"{"n": 30}"#, Some(30)),
            (r#"{"n": 30.0}"#, Some(30)),
            (r#"{"n": -5}"#, Some(-5)),
            (r#"{"n": 1e3}"#, Some(1000)),
            (r#"{"n": null}"#, None),
            (r#"{}"#, None),
        ] {
            assert_eq!(read(json), Ok(want), "{json}");
        }
    }

    #[test]
    fn fractions_strings_and_huge_values_are_refused() {
        for json in [
            r#"{"n": 30.5}"#,
            r#"{"n": "30"}"#,
            r#"{"n": 18446744073709551615}"#,
            r#"{"n": 1e300}"#,
        ] {
            assert!(read(json).is_err(), "{json} should be refused");
        }
    }
}
