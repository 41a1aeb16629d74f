//! When a group rekeys: when its key reaches `key_auto_expiry` seconds of age,
//! or when the bytes sent in the group since the last rekey reach
//! `data_rekey_volume`, whichever comes first. A volume of 0 or an absent
//! setting turns that rule off. The demo seeding and the simulator share this.

use model::{Group, Setting};

/// The two rules of a group.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Policy {
    /// Seconds a key may live.
    pub lifetime: Option<f64>,
    /// Bytes that may be sent under one key.
    pub volume: Option<f64>,
}

impl Policy {
    pub fn of(group: &Group) -> Policy {
        let get = |s: Setting| s.get(group).and_then(|n| n.as_f64()).filter(|v| *v > 0.0);
        Policy {
            lifetime: get(Setting::KeyAutoExpiry),
            volume: get(Setting::DataRekeyVolume),
        }
    }
}

/// The state of a group's key: when it was made and what it has carried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyClock {
    /// When the current key was made.
    pub since: i64,
    /// Bytes sent under it.
    pub bytes: f64,
}

impl KeyClock {
    pub fn new(since: i64) -> KeyClock {
        KeyClock { since, bytes: 0.0 }
    }

    /// Moves over the interval `(t0, t1]`, in which `bytes` were sent at an
    /// even rate, and returns the rekeys in it (at most one per second).
    pub fn advance(&mut self, policy: Policy, t0: i64, t1: i64, bytes: f64) -> Vec<i64> {
        let mut out = Vec::new();
        if t1 <= t0 {
            self.bytes += bytes.max(0.0);
            return out;
        }
        let rate = bytes.max(0.0) / (t1 - t0) as f64;
        let mut now = t0 as f64;
        loop {
            let by_age = policy.lifetime.map(|l| self.since as f64 + l);
            let by_volume = policy
                .volume
                .filter(|_| rate > 0.0)
                .map(|v| now + (v - self.bytes).max(0.0) / rate);
            let due = match (by_age, by_volume) {
                (Some(a), Some(v)) => a.min(v),
                (a, v) => match a.or(v) {
                    Some(x) => x,
                    None => break,
                },
            };
            if due > t1 as f64 {
                break;
            }
            // Rekeys land on whole seconds after the one before.
            let at = (due.max(now).ceil() as i64).max(t0 + 1).max(self.since + 1);
            if at > t1 {
                break;
            }
            out.push(at);
            self.since = at;
            self.bytes = 0.0;
            now = at as f64;
        }
        self.bytes += (t1 as f64 - now).max(0.0) * rate;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One case: policy, clock before, interval and bytes, rekeys expected.
    type Row = (Policy, KeyClock, (i64, i64, f64), &'static [i64]);

    #[test]
    fn rekeys_follow_age_and_volume() {
        let age = |l: f64| Policy {
            lifetime: Some(l),
            volume: None,
        };
        let vol = |v: f64| Policy {
            lifetime: None,
            volume: Some(v),
        };
        let rows: [Row; 6] = [
            (Policy::default(), KeyClock::new(0), (0, 300, 1e9), &[]),
            (age(3600.0), KeyClock::new(0), (3300, 3600, 0.0), &[3600]),
            (age(3600.0), KeyClock::new(0), (3000, 3300, 0.0), &[]),
            (
                age(100.0),
                KeyClock::new(0),
                (0, 300, 0.0),
                &[100, 200, 300],
            ),
            (
                vol(1000.0),
                KeyClock::new(0),
                (0, 300, 3000.0),
                &[100, 200, 300],
            ),
            (
                vol(1000.0),
                KeyClock {
                    since: 0,
                    bytes: 900.0,
                },
                (0, 300, 300.0),
                &[100],
            ),
        ];
        for (policy, mut clock, (t0, t1, bytes), want) in rows {
            let got = clock.advance(policy, t0, t1, bytes);
            assert_eq!(got, want, "{policy:?} {t0}..{t1} {bytes}");
        }
    }

    #[test]
    fn bytes_carry_over_between_intervals() {
        let policy = Policy {
            lifetime: None,
            volume: Some(1000.0),
        };
        let mut clock = KeyClock::new(0);
        assert!(clock.advance(policy, 0, 300, 600.0).is_empty());
        assert_eq!(clock.advance(policy, 300, 600, 600.0), [500]);
        assert!((clock.bytes - 200.0).abs() < 1e-6);
    }
}
