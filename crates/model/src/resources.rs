//! The resources and types of the spec, with the spec's names.
//!
//! Optional fields are `Option`s (or lists that default to empty where
//! absent and empty mean the same thing to a reader), and are left out when
//! written if absent.

use crate::lenient;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

/// Unix epoch seconds.
pub type Timestamp = i64;

/// `stat_block`: what was transferred in one interval.
///
/// The fields are `number`s in the spec; they are kept as JSON numbers so a
/// counter beyond 2^53 keeps its exact value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub bytes_in: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub bytes_out: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub packets_in: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub packets_out: Option<Number>,
}

/// `datapoint`: the amounts transferred in the interval that ends at
/// `timestamp`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Datapoint {
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub timestamp: Option<Timestamp>,
    #[serde(default)]
    pub data: StatBlock,
}

/// `peer_stats`, and also `peer_group_stats`, which has the same shape: one
/// appliance's datapoints within a group, and that group's rekeys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeerStats {
    pub serial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<Vec<Datapoint>>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_int_vec",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<i64>>))]
    pub rekey_times: Option<Vec<Timestamp>>,
}

/// `peer_group_stats`: `GET /appliances/items/{serial}/group_stats`.
pub type PeerGroupStats = PeerStats;

/// `all_peer_group_stats`: `GET /groups/items/{id}/all_peer_group_stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllPeerGroupStats {
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_stats: Option<Vec<PeerStats>>,
}

/// `group_stats`: `GET /groups/items/{id}/group_stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupStats {
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<Vec<Datapoint>>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_int_vec",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<i64>>))]
    pub rekey_times: Option<Vec<Timestamp>>,
}

/// `appliance`: `GET /appliances/items/{serial}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appliance {
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    pub serial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_int_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_membership: Option<Vec<i64>>,
}

impl Appliance {
    /// The name to show a person: the name, or the serial when it has none.
    pub fn display_name(&self) -> &str {
        match self.name.as_deref() {
            Some(n) if !n.trim().is_empty() => n,
            _ => &self.serial,
        }
    }

    /// The ids of the groups it belongs to (empty when the field is absent).
    pub fn groups(&self) -> &[i64] {
        self.group_membership.as_deref().unwrap_or_default()
    }
}

/// `appliances`: `GET /appliances`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appliances {
    #[serde(default)]
    pub items: Vec<Appliance>,
}

/// One member of a group: an appliance named by its serial.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub serial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Member {
    pub fn new(serial: impl Into<String>) -> Self {
        Member {
            serial: serial.into(),
            name: None,
        }
    }
}

/// `group`: a secure transport group.
///
/// The six bounded settings are kept as JSON numbers; [`crate::Setting`]
/// reads and checks them. Properties this crate does not know (the spec's
/// `<prop>: any`) are kept in `extra` and written back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub key_auto_expiry: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub data_rekey_volume: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub rekey_pktprcnt: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub rekey_pktcnt: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub headless_timeout: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub keepalive_interval: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<Member>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Group {
    /// The members (empty when the field is absent).
    pub fn member_list(&self) -> &[Member] {
        self.members.as_deref().unwrap_or_default()
    }

    /// Whether the appliance with this serial is a member.
    pub fn has_member(&self, serial: &str) -> bool {
        self.member_list().iter().any(|m| m.serial == serial)
    }
}

/// `groups`: `GET /groups`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Groups {
    #[serde(default)]
    pub items: Vec<Group>,
}

/// `configuration`: every group at once, with the revision it was read at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Configuration {
    #[serde(default)]
    pub groups: Groups,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// `poller`: `POST /poller_callback`, an appliance's answer to a poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PollerCallback {
    #[serde(deserialize_with = "lenient::int")]
    pub poll_req_id: i64,
    pub serial: String,
    #[serde(deserialize_with = "lenient::int")]
    pub poll_time: i64,
    pub resp_data: String,
}

/// The error body of the controller family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error_id: String,
    pub error_text: String,
}

/// The answer of the sign-in endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_group_with_only_a_name_is_read() {
        let g: Group = serde_json::from_value(json!({"name": "core"})).unwrap();
        assert_eq!(g.name, "core");
        assert_eq!(g.id, None);
        assert!(g.member_list().is_empty());
        assert_eq!(serde_json::to_value(&g).unwrap(), json!({"name": "core"}));
    }

    #[test]
    fn unknown_group_properties_round_trip() {
        let src = json!({
            "id": 7.0, "name": "edge", "keepalive_interval": 30,
            "colour": "teal", "owner": {"team": "noc", "tags": [1, 2]},
            "members": [{"serial": "A1", "name": "a", "extra": true}]
        });
        let g: Group = serde_json::from_value(src).unwrap();
        assert_eq!(g.id, Some(7));
        assert_eq!(g.extra["colour"], json!("teal"));
        let back = serde_json::to_value(&g).unwrap();
        assert_eq!(back["owner"], json!({"team": "noc", "tags": [1, 2]}));
        assert_eq!(back["id"], json!(7));
        assert_eq!(back["members"], json!([{"serial": "A1", "name": "a"}]));
    }

    #[test]
    fn counters_beyond_two_to_the_53_keep_their_value() {
        let text = r#"{"timestamp": 1700000000, "data": {"bytes_in": 18446744073709551615}}"#;
        let d: Datapoint = serde_json::from_str(text).unwrap();
        assert_eq!(d.data.bytes_in.unwrap().to_string(), "18446744073709551615");
    }

    #[test]
    fn empty_objects_read_as_empty_resources() {
        let a: Appliances = serde_json::from_str("{}").unwrap();
        assert!(a.items.is_empty());
        let s: AllPeerGroupStats = serde_json::from_str("{}").unwrap();
        assert_eq!(s.peer_stats, None);
        let c: Configuration = serde_json::from_str("{}").unwrap();
        assert!(c.groups.items.is_empty());
    }

    #[test]
    fn display_name_falls_back_to_the_serial() {
        let mut a = Appliance {
            serial: "SN-1".into(),
            ..Default::default()
        };
        assert_eq!(a.display_name(), "SN-1");
        a.name = Some("  ".into());
        assert_eq!(a.display_name(), "SN-1");
        a.name = Some("branch".into());
        assert_eq!(a.display_name(), "branch");
    }
}
