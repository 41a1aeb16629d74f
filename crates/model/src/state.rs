//! The state file: a whole controller's data in one JSON document.
//!
//! `{"appliances": [...], "groups": [...], "peer_stats": [...]}`, where
//! appliances and groups are shaped as the API shows them (ids optional) and
//! each `peer_stats` entry is a `peer_stats` object plus the `group_id` it
//! belongs to. The controller imports it with `--load`; tests write it to
//! give the console data with known values.

use crate::lenient;
use crate::resources::{Appliance, Group, PeerStats};
use serde::{Deserialize, Serialize};

/// One peer's datapoints and rekeys within one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatePeerStats {
    #[serde(deserialize_with = "lenient::int")]
    pub group_id: i64,
    #[serde(flatten)]
    pub stats: PeerStats,
}

/// A whole controller's data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    #[serde(default)]
    pub appliances: Vec<Appliance>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub peer_stats: Vec<StatePeerStats>,
}

impl StateFile {
    /// Parses a state file, with the line and column of the first problem in
    /// the message.
    pub fn parse(text: &str) -> Result<StateFile, String> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_error(de)
    }
}

fn serde_path_error(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
) -> Result<StateFile, String> {
    let state = StateFile::deserialize(&mut *de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_state_file_parses() {
        let text = r#"{
            "appliances": [{"serial": "A"}, {"serial": "B", "name": "b"}],
            "groups": [{"id": 3, "name": "g", "members": [{"serial": "A"}]}],
            "peer_stats": [{"group_id": 3, "serial": "A",
                            "stats": [{"timestamp": 300, "data": {"bytes_in": 1}}],
                            "rekey_times": [200]}]
        }"#;
        let s = StateFile::parse(text).unwrap();
        assert_eq!(s.appliances.len(), 2);
        assert_eq!(s.peer_stats[0].group_id, 3);
        assert_eq!(s.peer_stats[0].stats.rekey_times, Some(vec![200]));
    }

    #[test]
    fn problems_name_their_place() {
        let e = StateFile::parse("{\n\"groups\": [{\"id\": 1}]}").unwrap_err();
        assert!(
            e.contains("missing field `name`") && e.contains("line 2"),
            "{e}"
        );
        let e = StateFile::parse(r#"{"appliance": []}"#).unwrap_err();
        assert!(e.contains("unknown field `appliance`"), "{e}");
        assert!(StateFile::parse("{} x").is_err());
    }
}
