//! Writes whose outcome is unknown, and what reading the group back says
//! about them.
//!
//! A write whose answer never came, or came cut short, may well have been
//! carried out: the controller handles a request before its answer goes
//! out. Sending it again blindly would meet the write itself as someone
//! else's change (a taken name for a create, a moved revision for a
//! replace), so the console reads the group back and decides from what the
//! controller holds. The decisions are here, as plain functions; the editor
//! and `apply` make the reads.

use crate::api::ApiError;
use crate::draft;
use model::{Group, Setting};
use std::collections::BTreeSet;

/// Whether a failed write may nonetheless have been carried out: an answer
/// with a success status that could not be read, no answer at all (the
/// network failed or the deadline passed after the request left), or a
/// gateway's 504, which gave up waiting for the controller. Any other
/// answer is the controller's (or a proxy's) word that it did not write.
pub fn is_uncertain(error: &ApiError) -> bool {
    match error {
        ApiError::Network { .. } | ApiError::Timeout => true,
        ApiError::Unreadable { status, .. } | ApiError::NotJson { status } => {
            (200..300).contains(status)
        }
        ApiError::Status { status, .. } => *status == 504,
    }
}

/// What became of a lost answer, to follow "the controller's answer": "could
/// not be read" or "never came".
pub fn lost_answer(error: &ApiError) -> &'static str {
    match error {
        ApiError::Network { .. } | ApiError::Timeout | ApiError::Status { .. } => "never came",
        ApiError::Unreadable { .. } | ApiError::NotJson { .. } => "could not be read",
    }
}

/// Whether `held` holds what an edit sent: the same name, and every bounded
/// setting with the same value (`30` and `30.0` are the same), or absent on
/// both. Members and unknown properties are not the edit's: they are sent
/// back as read, and someone else may change them meanwhile.
pub fn holds_settings(held: &Group, sent: &Group) -> bool {
    held.name == sent.name
        && Setting::ALL
            .into_iter()
            .all(|s| draft::same_number(s.get(held), s.get(sent)))
}

/// Whether `held` has exactly the members `sent` named, by serial, in any
/// order (the controller names the members it is sent by serial alone).
pub fn holds_members(held: &Group, sent: &Group) -> bool {
    serials(held) == serials(sent)
}

fn serials(group: &Group) -> BTreeSet<&str> {
    group
        .member_list()
        .iter()
        .map(|m| m.serial.as_str())
        .collect()
}

/// What reading a group back found after a write whose answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The group holds what was sent: the write went through.
    Saved,
    /// The group is still the one the write was made against: the write
    /// did not go through, and a new one may name the revision just read.
    NotSaved,
    /// The group holds neither: someone else changed it, and the person
    /// must see what before anything is sent again.
    Changed,
}

/// The decision after a replacement of the group's settings (the editor):
/// `base` is the group as read at the revision the write named, `sent`
/// what it sent, `held` the group read back.
pub fn after_replace(base: &Group, sent: &Group, held: &Group) -> Found {
    if holds_settings(held, sent) {
        Found::Saved
    } else if untouched(base, held) {
        Found::NotSaved
    } else {
        Found::Changed
    }
}

/// The decision after a membership write: saved when the group has the
/// members sent, not saved when it is exactly the group the change was
/// staged on.
pub fn after_members(base: &Group, sent: &Group, held: &Group) -> Found {
    if holds_members(held, sent) {
        Found::Saved
    } else if held == base {
        Found::NotSaved
    } else {
        Found::Changed
    }
}

/// The group a create whose answer was lost made, among the groups read
/// back: the one with the name sent (names are unique) and the settings
/// sent. A group of that name with other settings is someone else's.
pub fn created<'a>(groups: &'a [Group], sent: &Group) -> Option<&'a Group> {
    groups
        .iter()
        .find(|g| g.name == sent.name && holds_settings(g, sent))
}

/// Whether `held` is, value for value, the group `base` was: no property
/// (setting, members, unknown property) changed.
fn untouched(base: &Group, held: &Group) -> bool {
    base.name == held.name && draft::conflict(base, base, held).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ErrorBody;
    use serde_json::{json, Value};

    fn group(v: Value) -> Group {
        serde_json::from_value(v).unwrap()
    }

    fn base() -> Group {
        group(json!({
            "id": 3, "name": "edge", "keepalive_interval": 30, "headless_timeout": 600,
            "members": [{"serial": "A", "name": "alpha"}], "colour": "teal"
        }))
    }

    /// `base` with these properties replaced (`null` removes one).
    fn with(changes: Value) -> Group {
        let mut v = serde_json::to_value(base()).unwrap();
        for (k, x) in changes.as_object().unwrap() {
            if x.is_null() {
                v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = x.clone();
            }
        }
        group(v)
    }

    #[test]
    fn which_failed_writes_may_have_gone_through() {
        let status = |status, body: bool| ApiError::Status {
            status,
            error: body.then(|| ErrorBody {
                error_id: "X".into(),
                error_text: "x".into(),
            }),
        };
        let unreadable = |status| ApiError::Unreadable {
            status,
            detail: "the answer was cut short after 40 bytes".into(),
        };
        let rows = [
            (unreadable(200), true),
            (unreadable(201), true),
            (ApiError::NotJson { status: 200 }, true),
            (ApiError::Network { detail: "x".into() }, true),
            (ApiError::Timeout, true),
            (status(504, false), true),
            // Refusals and failures the controller (or a proxy) answered.
            (status(409, true), false),
            (status(412, false), false),
            (status(500, true), false),
            (status(503, false), false),
            (ApiError::NotJson { status: 502 }, false),
            (unreadable(400), false),
        ];
        for (error, want) in rows {
            assert_eq!(is_uncertain(&error), want, "{error:?}");
        }
        assert_eq!(lost_answer(&ApiError::Timeout), "never came");
        assert_eq!(lost_answer(&unreadable(200)), "could not be read");
    }

    #[test]
    fn a_replacement_read_back() {
        let sent = with(json!({"keepalive_interval": 90, "headless_timeout": null}));
        let rows = [
            // The controller holds what was sent; its own spelling of a number counts as the same.
            (sent.clone(), Found::Saved),
            (
                with(json!({"keepalive_interval": 90.0, "headless_timeout": null})),
                Found::Saved,
            ),
            // Saved, and someone changed the members or an unknown property since.
            (
                with(json!({"keepalive_interval": 90, "headless_timeout": null, "members": []})),
                Found::Saved,
            ),
            (
                with(json!({"keepalive_interval": 90, "headless_timeout": null, "colour": "red"})),
                Found::Saved,
            ),
            // Still the group the edit started from: the write did not land.
            (base(), Found::NotSaved),
            (with(json!({"keepalive_interval": 30.0})), Found::NotSaved),
            // Half of it, or someone else's change: neither.
            (with(json!({"keepalive_interval": 90})), Found::Changed),
            (with(json!({"keepalive_interval": 45})), Found::Changed),
            (with(json!({"members": []})), Found::Changed),
            (with(json!({"colour": "red"})), Found::Changed),
            (with(json!({"rekey_pktcnt": 1000})), Found::Changed),
        ];
        for (held, want) in rows {
            assert_eq!(after_replace(&base(), &sent, &held), want, "{held:?}");
        }
    }

    #[test]
    fn a_membership_write_read_back() {
        let sent = with(json!({"members": [{"serial": "A", "name": "alpha"}, {"serial": "B"}]}));
        let rows = [
            (sent.clone(), Found::Saved),
            // The controller names the member it was sent by serial, and may order them.
            (
                with(json!({"members": [{"serial": "B", "name": "bravo"}, {"serial": "A"}]})),
                Found::Saved,
            ),
            // Saved, and someone changed a setting since.
            (
                with(
                    json!({"members": [{"serial": "A"}, {"serial": "B"}], "keepalive_interval": 60}),
                ),
                Found::Saved,
            ),
            (base(), Found::NotSaved),
            (with(json!({"members": [{"serial": "B"}]})), Found::Changed),
            (with(json!({"keepalive_interval": 60})), Found::Changed),
        ];
        for (held, want) in rows {
            assert_eq!(after_members(&base(), &sent, &held), want, "{held:?}");
        }
        // A removal that went through.
        let removed = with(json!({"members": []}));
        let mut bare = base();
        bare.members = None;
        assert_eq!(after_members(&base(), &removed, &bare), Found::Saved);
    }

    #[test]
    fn a_create_read_back() {
        let sent = group(json!({"name": "new", "rekey_pktcnt": 5000}));
        let list = |items: Value| -> Vec<Group> { serde_json::from_value(items).unwrap() };
        let rows = [
            (
                list(
                    json!([{"id": 1, "name": "old"}, {"id": 9, "name": "new", "rekey_pktcnt": 5000.0}]),
                ),
                Some(9),
            ),
            (list(json!([{"id": 1, "name": "old"}])), None),
            // A group of that name with other settings was not made by this create.
            (
                list(json!([{"id": 9, "name": "new", "rekey_pktcnt": 10}])),
                None,
            ),
            (list(json!([{"id": 9, "name": "new "}])), None),
            (list(json!([])), None),
        ];
        for (groups, want) in rows {
            assert_eq!(
                created(&groups, &sent).and_then(|g| g.id),
                want,
                "{groups:?}"
            );
        }
    }
}
