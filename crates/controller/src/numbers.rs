//! Counters between JSON and SQLite, without losing a digit.
//!
//! The spec types the counters of a `stat_block` as `number`. Integers that
//! fit an `i64` are stored as SQLite INTEGERs, larger ones (up to `u64::MAX`)
//! as decimal TEXT, and fractions as REAL; the datapoint columns carry no
//! type affinity, so SQLite keeps each value as it was given.

use rusqlite::types::{Value, ValueRef};
use serde_json::Number;

/// The SQLite value that stores `n` exactly.
pub fn to_sql(n: &Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Integer(i)
    } else if let Some(u) = n.as_u64() {
        Value::Text(u.to_string())
    } else {
        let f = n.as_f64().unwrap_or(0.0);
        match model::lenient::integral(f) {
            Some(i) => Value::Integer(i),
            None => Value::Real(f),
        }
    }
}

/// The number a stored value stands for; `None` for NULL or anything that is
/// not a number.
pub fn from_sql(v: ValueRef<'_>) -> Option<Number> {
    match v {
        ValueRef::Integer(i) => Some(Number::from(i)),
        ValueRef::Real(f) => Number::from_f64(f),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()?
            .parse::<u64>()
            .ok()
            .map(Number::from),
        ValueRef::Null | ValueRef::Blob(_) => None,
    }
}

/// Whether `n` can be a counter: a finite number, zero or more.
pub fn is_count(n: &Number) -> bool {
    n.as_u64().is_some() || n.as_f64().is_some_and(|f| f.is_finite() && f >= 0.0)
}

/// A running total of counters: exact while every part is an integer and the
/// total fits a `u64`, a float otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sum {
    int: i128,
    float: f64,
    fractional: bool,
    any: bool,
}

impl Sum {
    pub fn add(&mut self, n: &Number) {
        self.any = true;
        if let Some(i) = n.as_i64() {
            self.int += i128::from(i);
        } else if let Some(u) = n.as_u64() {
            self.int += i128::from(u);
        } else {
            self.fractional = true;
            self.float += n.as_f64().unwrap_or(0.0);
        }
    }

    /// The total, or `None` when nothing was added.
    pub fn value(&self) -> Option<Number> {
        if !self.any {
            return None;
        }
        if !self.fractional {
            if let Ok(i) = i64::try_from(self.int) {
                return Some(Number::from(i));
            }
            if let Ok(u) = u64::try_from(self.int) {
                return Some(Number::from(u));
            }
        }
        Number::from_f64(self.int as f64 + self.float)
    }

    /// The total as a float, for rates and thresholds.
    pub fn as_f64(&self) -> f64 {
        self.int as f64 + self.float
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn num(v: serde_json::Value) -> Number {
        serde_json::from_value(v).expect("a number")
    }

    #[test]
    fn values_survive_a_round_trip_through_sqlite_values() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory db");
        conn.execute("CREATE TABLE t (v)", []).expect("table");
        for v in [
            json!(0),
            json!(9007199254740993u64),
            json!(9223372036854775807i64),
            json!(18446744073709551615u64),
            json!(12.5),
        ] {
            conn.execute("DELETE FROM t", []).expect("delete");
            conn.execute("INSERT INTO t VALUES (?1)", [to_sql(&num(v.clone()))])
                .expect("insert");
            let back = conn
                .query_row("SELECT v FROM t", [], |r| Ok(from_sql(r.get_ref(0)?)))
                .expect("select");
            assert_eq!(back, Some(num(v.clone())), "{v}");
        }
    }

    #[test]
    fn sums_stay_exact_up_to_u64_max() {
        let rows: [(&[serde_json::Value], Option<serde_json::Value>); 4] = [
            (&[], None),
            (&[json!(1), json!(2)], Some(json!(3))),
            (
                &[json!(9223372036854775807i64), json!(9223372036854775808u64)],
                Some(json!(18446744073709551615u64)),
            ),
            (&[json!(1), json!(0.5)], Some(json!(1.5))),
        ];
        for (parts, want) in rows {
            let mut s = Sum::default();
            for p in parts {
                s.add(&num(p.clone()));
            }
            assert_eq!(s.value(), want.map(num), "{parts:?}");
        }
    }

    #[test]
    fn counts_are_finite_and_not_negative() {
        for (v, ok) in [(json!(0), true), (json!(1.5), true), (json!(-1), false)] {
            assert_eq!(is_count(&num(v.clone())), ok, "{v}");
        }
    }
}
