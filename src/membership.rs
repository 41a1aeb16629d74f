//! Which groups an appliance belongs to.
//!
//! The appliance's own `group_membership` is authoritative. The spec makes
//! it optional, so when it is absent the groups' member lists answer.

use model::{Appliance, Group};

/// The ids of the groups `appliance` belongs to, in its own order, or in
/// the groups' order when the appliance does not say.
pub fn group_ids(appliance: &Appliance, groups: &[Group]) -> Vec<i64> {
    match &appliance.group_membership {
        Some(ids) => ids.clone(),
        None => groups
            .iter()
            .filter(|g| g.has_member(&appliance.serial))
            .filter_map(|g| g.id)
            .collect(),
    }
}

/// The group with this id, if it is among `groups`.
pub fn find(groups: &[Group], id: i64) -> Option<&Group> {
    groups.iter().find(|g| g.id == Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn membership_from_the_appliance_or_else_the_groups() {
        let groups: Vec<Group> = serde_json::from_value(json!([
            {"id": 1, "name": "core", "members": [{"serial": "A"}, {"serial": "B"}]},
            {"id": 2, "name": "edge", "members": [{"serial": "B"}]},
            {"name": "no id", "members": [{"serial": "B"}]}
        ]))
        .unwrap();
        let rows = [
            (json!({"serial": "A", "group_membership": [2]}), vec![2]),
            (json!({"serial": "A", "group_membership": []}), vec![]),
            (json!({"serial": "A"}), vec![1]),
            (json!({"serial": "B"}), vec![1, 2]),
            (json!({"serial": "C"}), vec![]),
        ];
        for (appliance, want) in rows {
            let a: Appliance = serde_json::from_value(appliance.clone()).unwrap();
            assert_eq!(group_ids(&a, &groups), want, "{appliance}");
        }
        assert_eq!(find(&groups, 2).map(|g| g.name.as_str()), Some("edge"));
        assert_eq!(find(&groups, 3), None);
    }
}
