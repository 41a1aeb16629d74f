//! The six bounded settings of a group, their units and their checks.
//!
//! This is the one place the spec's ranges are written. The controller
//! refuses a write that breaks one; the console refuses to send it.

use crate::resources::Group;
use serde_json::Number;
use std::fmt;

/// What a setting's number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// A duration in seconds.
    Seconds,
    /// A volume in bytes.
    Bytes,
    /// A percentage, 0 to 100.
    Percent,
    /// A count of packets.
    Packets,
}

impl SettingKind {
    /// The unit's name after a number, in the plural.
    pub fn unit(self) -> &'static str {
        match self {
            SettingKind::Seconds => "seconds",
            SettingKind::Bytes => "bytes",
            SettingKind::Percent => "percent",
            SettingKind::Packets => "packets",
        }
    }
}

/// One of the six bounded settings of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Setting {
    KeyAutoExpiry,
    DataRekeyVolume,
    RekeyPktprcnt,
    RekeyPktcnt,
    HeadlessTimeout,
    KeepaliveInterval,
}

/// Why a value is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundError {
    /// Below the minimum or above the maximum.
    OutOfRange { setting: Setting },
    /// A fraction where the spec wants an integer.
    NotInteger { setting: Setting },
    /// Not a finite number at all.
    NotANumber { setting: Setting },
}

impl BoundError {
    pub fn setting(&self) -> Setting {
        match *self {
            BoundError::OutOfRange { setting }
            | BoundError::NotInteger { setting }
            | BoundError::NotANumber { setting } => setting,
        }
    }
}

impl fmt::Display for BoundError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let s = self.setting();
        match self {
            BoundError::OutOfRange { .. } => {
                write!(f, "{} must be {}", s.key(), s.range_text())
            }
            BoundError::NotInteger { .. } => {
                write!(f, "{} must be a whole number, {}", s.key(), s.range_text())
            }
            BoundError::NotANumber { .. } => {
                write!(f, "{} must be a number, {}", s.key(), s.range_text())
            }
        }
    }
}

impl std::error::Error for BoundError {}

impl Setting {
    /// All six, in the order the spec lists them.
    pub const ALL: [Setting; 6] = [
        Setting::KeyAutoExpiry,
        Setting::DataRekeyVolume,
        Setting::RekeyPktprcnt,
        Setting::RekeyPktcnt,
        Setting::HeadlessTimeout,
        Setting::KeepaliveInterval,
    ];

    /// The property's name in the API.
    pub fn key(self) -> &'static str {
        match self {
            Setting::KeyAutoExpiry => "key_auto_expiry",
            Setting::DataRekeyVolume => "data_rekey_volume",
            Setting::RekeyPktprcnt => "rekey_pktprcnt",
            Setting::RekeyPktcnt => "rekey_pktcnt",
            Setting::HeadlessTimeout => "headless_timeout",
            Setting::KeepaliveInterval => "keepalive_interval",
        }
    }

    /// The setting whose API name is `key`.
    pub fn from_key(key: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.key() == key)
    }

    /// A short label for a person.
    pub fn label(self) -> &'static str {
        match self {
            Setting::KeyAutoExpiry => "Key lifetime",
            Setting::DataRekeyVolume => "Rekey after volume",
            Setting::RekeyPktprcnt => "Rekey at packet share",
            Setting::RekeyPktcnt => "Rekey after packets",
            Setting::HeadlessTimeout => "Headless timeout",
            Setting::KeepaliveInterval => "Keepalive interval",
        }
    }

    /// The spec's description of the setting.
    pub fn description(self) -> &'static str {
        match self {
            Setting::KeyAutoExpiry => "Longest time a key can be used",
            Setting::DataRekeyVolume => "Bytes transferred in the group before a rekey",
            Setting::RekeyPktprcnt => "Share of the packet maximum at which a rekey is done",
            Setting::RekeyPktcnt => "Packets sent with one SPI before a rekey",
            Setting::HeadlessTimeout => "How long an appliance may run without the controller",
            Setting::KeepaliveInterval => "How often peers send keepalive messages",
        }
    }

    pub fn kind(self) -> SettingKind {
        match self {
            Setting::KeyAutoExpiry | Setting::HeadlessTimeout | Setting::KeepaliveInterval => {
                SettingKind::Seconds
            }
            Setting::DataRekeyVolume => SettingKind::Bytes,
            Setting::RekeyPktprcnt => SettingKind::Percent,
            Setting::RekeyPktcnt => SettingKind::Packets,
        }
    }

    /// Whether the spec types it `integer` rather than `number`.
    pub fn integer(self) -> bool {
        matches!(self, Setting::RekeyPktcnt | Setting::KeepaliveInterval)
    }

    /// The smallest allowed value.
    pub fn min(self) -> f64 {
        match self {
            Setting::KeyAutoExpiry | Setting::HeadlessTimeout => 31.0,
            Setting::KeepaliveInterval => 10.0,
            Setting::DataRekeyVolume | Setting::RekeyPktprcnt | Setting::RekeyPktcnt => 0.0,
        }
    }

    /// The largest allowed value, if there is one.
    pub fn max(self) -> Option<f64> {
        match self {
            Setting::KeyAutoExpiry | Setting::HeadlessTimeout => Some(31_557_600.0),
            Setting::KeepaliveInterval => Some(3600.0),
            Setting::RekeyPktprcnt => Some(100.0),
            Setting::DataRekeyVolume | Setting::RekeyPktcnt => None,
        }
    }

    /// The allowed range in words, in the setting's unit:
    /// "from 31 to 31557600 seconds", "0 bytes or more".
    pub fn range_text(self) -> String {
        let unit = self.kind().unit();
        let min = self.min();
        match self.max() {
            Some(max) => format!("from {min} to {max} {unit}"),
            None => format!("{min} {unit} or more"),
        }
    }

    /// Checks a value against the setting's bound and integer rule.
    pub fn check(self, value: &Number) -> Result<(), BoundError> {
        let setting = self;
        if self.integer() && value.as_i64().is_none() && value.as_u64().is_none() {
            let integral = value.as_f64().and_then(crate::lenient::integral).is_some();
            if !integral {
                return Err(BoundError::NotInteger { setting });
            }
        }
        self.check_f64(value.as_f64().ok_or(BoundError::NotANumber { setting })?)
    }

    /// Checks a value given as a float (the integer rule included).
    pub fn check_f64(self, v: f64) -> Result<(), BoundError> {
        let setting = self;
        if !v.is_finite() {
            return Err(BoundError::NotANumber { setting });
        }
        if self.integer() && v.fract() != 0.0 {
            return Err(BoundError::NotInteger { setting });
        }
        if v < self.min() || self.max().is_some_and(|max| v > max) {
            return Err(BoundError::OutOfRange { setting });
        }
        Ok(())
    }

    /// The group's value of this setting, if set.
    pub fn get(self, group: &Group) -> Option<&Number> {
        match self {
            Setting::KeyAutoExpiry => group.key_auto_expiry.as_ref(),
            Setting::DataRekeyVolume => group.data_rekey_volume.as_ref(),
            Setting::RekeyPktprcnt => group.rekey_pktprcnt.as_ref(),
            Setting::RekeyPktcnt => group.rekey_pktcnt.as_ref(),
            Setting::HeadlessTimeout => group.headless_timeout.as_ref(),
            Setting::KeepaliveInterval => group.keepalive_interval.as_ref(),
        }
    }

    /// Sets (or, with `None`, clears) the group's value of this setting.
    pub fn set(self, group: &mut Group, value: Option<Number>) {
        let slot = match self {
            Setting::KeyAutoExpiry => &mut group.key_auto_expiry,
            Setting::DataRekeyVolume => &mut group.data_rekey_volume,
            Setting::RekeyPktprcnt => &mut group.rekey_pktprcnt,
            Setting::RekeyPktcnt => &mut group.rekey_pktcnt,
            Setting::HeadlessTimeout => &mut group.headless_timeout,
            Setting::KeepaliveInterval => &mut group.keepalive_interval,
        };
        *slot = value;
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Group {
    /// Every bound the group's settings break, in the spec's order.
    pub fn bound_errors(&self) -> Vec<BoundError> {
        Setting::ALL
            .into_iter()
            .filter_map(|s| s.get(self).and_then(|v| s.check(v).err()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn num(v: serde_json::Value) -> Number {
        match v {
            serde_json::Value::Number(n) => n,
            other => panic!("not a number: {other}"),
        }
    }

    /// Each row: setting, value, whether it is accepted.
    #[test]
    fn both_edges_of_every_bound() {
        use Setting::*;
        let rows = [
            (KeyAutoExpiry, json!(30), false),
            (KeyAutoExpiry, json!(31), true),
            (KeyAutoExpiry, json!(31.5), true),
            (KeyAutoExpiry, json!(31557600), true),
            (KeyAutoExpiry, json!(31557601), false),
            (HeadlessTimeout, json!(30.99), false),
            (HeadlessTimeout, json!(31), true),
            (HeadlessTimeout, json!(31557600), true),
            (HeadlessTimeout, json!(31557600.5), false),
            (DataRekeyVolume, json!(-1), false),
            (DataRekeyVolume, json!(0), true),
            (DataRekeyVolume, json!(18446744073709551615u64), true),
            (DataRekeyVolume, json!(0.5), true),
            (RekeyPktprcnt, json!(-0.1), false),
            (RekeyPktprcnt, json!(0), true),
            (RekeyPktprcnt, json!(99.5), true),
            (RekeyPktprcnt, json!(100), true),
            (RekeyPktprcnt, json!(100.1), false),
            (RekeyPktcnt, json!(-1), false),
            (RekeyPktcnt, json!(0), true),
            (RekeyPktcnt, json!(1.5), false),
            (RekeyPktcnt, json!(4294967296u64), true),
            (RekeyPktcnt, json!(20.0), true),
            (KeepaliveInterval, json!(9), false),
            (KeepaliveInterval, json!(10), true),
            (KeepaliveInterval, json!(10.5), false),
            (KeepaliveInterval, json!(3600), true),
            (KeepaliveInterval, json!(3601), false),
        ];
        for (setting, value, ok) in rows {
            let result = setting.check(&num(value.clone()));
            assert_eq!(result.is_ok(), ok, "{setting} = {value}: {result:?}");
        }
    }

    #[test]
    fn messages_name_the_field_and_the_range() {
        let e = Setting::KeepaliveInterval
            .check(&num(json!(5)))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "keepalive_interval must be from 10 to 3600 seconds"
        );
        let e = Setting::RekeyPktcnt.check(&num(json!(2.5))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "rekey_pktcnt must be a whole number, 0 packets or more"
        );
    }

    #[test]
    fn a_group_lists_every_broken_bound() {
        let g: Group = serde_json::from_value(json!({
            "name": "g", "key_auto_expiry": 5, "keepalive_interval": 20, "rekey_pktprcnt": 101
        }))
        .unwrap();
        let broken: Vec<Setting> = g.bound_errors().iter().map(BoundError::setting).collect();
        assert_eq!(broken, [Setting::KeyAutoExpiry, Setting::RekeyPktprcnt]);
    }

    #[test]
    fn keys_round_trip() {
        for s in Setting::ALL {
            assert_eq!(Setting::from_key(s.key()), Some(s));
        }
        assert_eq!(Setting::from_key("name"), None);
    }
}
