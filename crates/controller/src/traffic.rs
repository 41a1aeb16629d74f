//! The traffic model behind the demo data and the simulator: how much an
//! appliance sends and receives in an interval.
//!
//! An appliance's size class is read from its serial (`EC-XL-...` carries
//! more than `EC-XS-...`); its time zone, in/out balance and packet size come
//! from a generator keyed by the serial. Traffic follows the appliance's
//! local day (quiet at night, a peak after midday, lighter at weekends) with
//! some noise. Everything is a pure function of the seed, the serial and the
//! interval, so the same seed gives the same numbers.

use crate::rng::Rng;
use model::StatBlock;
use serde_json::Number;

/// The spacing of stored datapoints, in seconds.
pub const STEP: i64 = 300;

/// What one appliance is like.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Bytes per second sent at the daily peak.
    peak_rate: f64,
    /// Hours from UTC of the appliance's local time.
    utc_offset_hours: f64,
    /// How much more (or less) it receives than it sends.
    in_ratio: f64,
    /// Average bytes per packet.
    packet_size: f64,
    /// Key of the noise generator.
    key: u64,
}

/// What an appliance transferred in one interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub packets_in: u64,
    pub packets_out: u64,
}

impl Sample {
    pub fn stat_block(&self) -> StatBlock {
        StatBlock {
            bytes_in: Some(Number::from(self.bytes_in)),
            bytes_out: Some(Number::from(self.bytes_out)),
            packets_in: Some(Number::from(self.packets_in)),
            packets_out: Some(Number::from(self.packets_out)),
        }
    }
}

impl Profile {
    /// The profile of the appliance with this serial.
    pub fn of(seed: u64, serial: &str) -> Profile {
        let mut rng = Rng::keyed(seed, serial);
        let megabits = match serial.split('-').nth(1).unwrap_or("") {
            "XL" => 900.0,
            "L" => 400.0,
            "M" => 160.0,
            "S" => 60.0,
            "XS" => 25.0,
            _ => 50.0,
        };
        Profile {
            peak_rate: megabits * 125_000.0 * (0.7 + 0.6 * rng.unit()),
            utc_offset_hours: [-8.0, -5.0, 0.0, 1.0, 2.0][(rng.next_u64() % 5) as usize],
            in_ratio: 0.6 + 0.8 * rng.unit(),
            packet_size: 600.0 + 500.0 * rng.unit(),
            key: rng.next_u64(),
        }
    }

    /// What this appliance carries within one of its groups: the site's clock
    /// stays, but each group's flows have their own volume, direction and
    /// noise, so an appliance's traffic differs from one group to the next.
    pub fn in_group(self, seed: u64, serial: &str, group_id: i64) -> Profile {
        let mut rng = Rng::keyed(seed, &format!("{serial} in group {group_id}"));
        Profile {
            peak_rate: self.peak_rate * (0.3 + 0.7 * rng.unit()),
            in_ratio: 0.6 + 0.8 * rng.unit(),
            key: rng.next_u64(),
            ..self
        }
    }

    /// The share of the peak rate at time `t`: the local day and week.
    fn shape(&self, t: i64) -> f64 {
        let local = t as f64 + self.utc_offset_hours * 3600.0;
        let hour = local.rem_euclid(86_400.0) / 3600.0;
        let daytime = (-((hour - 13.5) / 4.0).powi(2)).exp();
        // 1 January 1970 was a Thursday: day 0 is weekday 4 (Sunday = 0).
        let weekday = ((local / 86_400.0).floor() as i64 + 4).rem_euclid(7);
        let week = if weekday == 0 || weekday == 6 {
            0.45
        } else {
            1.0
        };
        (0.12 + 0.88 * daytime) * week
    }

    /// The traffic of the interval `(t0, t1]`.
    pub fn sample(&self, t0: i64, t1: i64) -> Sample {
        let seconds = (t1 - t0).max(0) as f64;
        let mut rng = Rng::new(self.key ^ (t1 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let rate = self.peak_rate * self.shape(t1) * (0.85 + 0.3 * rng.unit());
        let out = rate * seconds;
        let inbound = out * self.in_ratio * (0.9 + 0.2 * rng.unit());
        let packets =
            |bytes: f64, r: &mut Rng| bytes / (self.packet_size * (0.95 + 0.1 * r.unit()));
        Sample {
            bytes_in: inbound.round() as u64,
            bytes_out: out.round() as u64,
            packets_in: packets(inbound, &mut rng).round() as u64,
            packets_out: packets(out, &mut rng).round() as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_traffic() {
        let a = Profile::of(7, "EC-M-6E25A9");
        assert_eq!(a, Profile::of(7, "EC-M-6E25A9"));
        assert_eq!(a.sample(0, 300), a.sample(0, 300));
        assert_ne!(a, Profile::of(8, "EC-M-6E25A9"));
    }

    #[test]
    fn bigger_classes_carry_more_and_nights_are_quieter() {
        let day: i64 = 19_000 * 86_400 + 13 * 3600;
        let mean = |serial: &str, t: i64| {
            let p = Profile {
                utc_offset_hours: 0.0,
                ..Profile::of(1, serial)
            };
            (0..12)
                .map(|i| p.sample(t + i * STEP, t + (i + 1) * STEP).bytes_out as f64)
                .sum::<f64>()
        };
        assert!(mean("EC-XL-1", day) > 5.0 * mean("EC-XS-1", day));
        assert!(mean("EC-M-1", day) > 3.0 * mean("EC-M-1", day - 12 * 3600));
    }

    #[test]
    fn an_appliance_carries_different_traffic_in_each_group_on_one_clock() {
        let site = Profile::of(1, "EC-L-1");
        let (a, b) = (
            site.clone().in_group(1, "EC-L-1", 1),
            site.in_group(1, "EC-L-1", 2),
        );
        assert_ne!(a.sample(0, 300), b.sample(0, 300));
        assert_eq!(a.utc_offset_hours, b.utc_offset_hours);
        assert_eq!(a, Profile::of(1, "EC-L-1").in_group(1, "EC-L-1", 1));
    }

    #[test]
    fn an_empty_interval_carries_nothing() {
        let s = Profile::of(1, "EC-S-1").sample(600, 600);
        assert_eq!((s.bytes_out, s.packets_in), (0, 0));
    }
}
