//! Reading a group from a request body, with a refusal that names the field.
//!
//! The body is looked at as JSON before it becomes a [`model::Group`], so a
//! wrong type is reported as "`keepalive_interval` must be a number" rather
//! than as a parser's message. Bounds come from [`model::Setting`]: they are
//! written once, in the model.

use crate::error::ApiError;
use crate::extract::kind_of;
use axum::http::StatusCode;
use model::{Group, Setting};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// A group as a client sent it, before it is checked against storage.
#[derive(Debug, Clone)]
pub struct GroupInput {
    /// The `id` given, if any; it is read-only.
    pub id: Option<i64>,
    /// The `name` given, if any; it is read-only once the group exists.
    pub name: Option<String>,
    /// The settings and extra properties; `name` is empty when not given.
    pub group: Group,
    /// The members' serials, in order.
    pub members: Vec<String>,
}

/// Whether a name or serial has nothing but white space, in the sense of the
/// OpenAPI document's `pattern: "\\S"` (ECMAScript's white space and line
/// terminators, which include U+FEFF but not U+0085), so that the controller
/// and its schema agree on which names are blank.
pub fn blank(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}'
                    | '\u{2028}'
                    | '\u{2029}'
                    | '\u{202f}'
                    | '\u{205f}'
                    | '\u{3000}'
                    | '\u{feff}'
        )
    })
}

fn invalid(place: &str, key: &str, text: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request("INVALID_BODY", format!("{place}{key} {text}"))
}

/// Reads one group. `place` is prepended to field names in messages, e.g.
/// `groups.items[2].`; it is empty for a body that is the group itself.
pub fn group_input(value: &Value, place: &str) -> Result<GroupInput, ApiError> {
    let Value::Object(map) = value else {
        let what = place.trim_end_matches('.');
        return Err(ApiError::bad_body(format!(
            "{} must be an object, not {}",
            if what.is_empty() { "the group" } else { what },
            kind_of(value)
        )));
    };

    let id = match map.get("id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_f64()
                .and_then(model::lenient::integral)
                .ok_or_else(|| invalid(place, "id", "must be a whole number"))?,
        ),
    };
    let name = match map.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !blank(s) => Some(s.clone()),
        Some(Value::String(_)) => return Err(invalid(place, "name", "must not be empty")),
        Some(other) => {
            return Err(invalid(
                place,
                "name",
                format!("must be a string, not {}", kind_of(other)),
            ))
        }
    };
    for s in Setting::ALL {
        check_setting(map, s, place)?;
    }
    let members = members(map.get("members"), place)?;

    let mut object = map.clone();
    object.remove("id");
    object.remove("members");
    object.insert(
        "name".into(),
        Value::String(name.clone().unwrap_or_default()),
    );
    let group: Group = serde_json::from_value(Value::Object(object))
        .map_err(|e| ApiError::bad_body(format!("{place}: {e}")))?;
    Ok(GroupInput {
        id,
        name,
        group,
        members,
    })
}

// FIXME: a value closer to a bound than a double can tell apart (such as
// 100.000000000000000001 for rekey_pktprcnt) is read as the bound itself and
// accepted. Comparing the decimal text would need serde_json's
// `arbitrary_precision`, which changes `Number` for every crate of the
// workspace, the console included; no client writes such a number on purpose.
fn check_setting(map: &Map<String, Value>, s: Setting, place: &str) -> Result<(), ApiError> {
    let refuse = |text: String| ApiError::bad_request("INVALID_SETTING", format!("{place}{text}"));
    match map.get(s.key()) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Number(n)) => s.check(n).map_err(|e| refuse(e.to_string())),
        Some(other) => Err(refuse(format!(
            "{} must be a number, {}, not {}",
            s.key(),
            s.range_text(),
            kind_of(other)
        ))),
    }
}

fn members(value: Option<&Value>, place: &str) -> Result<Vec<String>, ApiError> {
    let list = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(invalid(
                place,
                "members",
                format!("must be a list, not {}", kind_of(other)),
            ))
        }
    };
    let mut seen = HashSet::new();
    let mut serials = Vec::new();
    for (i, m) in list.iter().enumerate() {
        let at = format!("members[{i}]");
        let serial = match m.get("serial") {
            Some(Value::String(s)) if !blank(s) => s.clone(),
            Some(Value::String(_)) => {
                return Err(invalid(place, &format!("{at}.serial"), "must not be empty"))
            }
            _ if !m.is_object() => {
                return Err(invalid(
                    place,
                    &at,
                    format!("must be an object, not {}", kind_of(m)),
                ))
            }
            None => return Err(invalid(place, &at, "has no serial")),
            Some(other) => {
                let text = format!("must be a string, not {}", kind_of(other));
                return Err(invalid(place, &format!("{at}.serial"), text));
            }
        };
        if let Some(key) = m
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "serial" && *k != "name"))
        {
            let text = format!("has an unknown property '{key}'; a member has serial and name");
            return Err(invalid(place, &at, text));
        }
        if !seen.insert(serial.clone()) {
            return Err(invalid(
                place,
                &at,
                format!("repeats the member '{serial}'"),
            ));
        }
        serials.push(serial);
    }
    Ok(serials)
}

/// 400 for a read-only field given a new value.
pub fn read_only(place: &str, key: &str, text: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "READ_ONLY",
        format!("{place}{key} is read-only: {text}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blank_means_what_the_schema_pattern_means() {
        let rows = [
            ("", true),
            (" \t\r\n", true),
            ("\u{feff}", true),
            ("\u{3000}\u{a0}", true),
            ("\u{85}", false),
            ("a", false),
            (" a ", false),
        ];
        for (text, expected) in rows {
            assert_eq!(blank(text), expected, "{text:?}");
        }
    }

    /// Each row: a body, and the error id and text expected (or `None`).
    #[test]
    fn groups_are_read_or_refused_by_field() {
        let rows: [(Value, Option<(&str, &str)>); 12] = [
            (json!({"name": "g"}), None),
            (
                json!({"name": "g", "keepalive_interval": 10, "rekey_pktcnt": 20.0}),
                None,
            ),
            (
                json!({"name": "g", "keepalive_interval": 9}),
                Some((
                    "INVALID_SETTING",
                    "keepalive_interval must be from 10 to 3600 seconds",
                )),
            ),
            (
                json!({"name": "g", "rekey_pktcnt": 2.5}),
                Some(("INVALID_SETTING", "rekey_pktcnt must be a whole number")),
            ),
            (
                json!({"name": "g", "key_auto_expiry": "60"}),
                Some((
                    "INVALID_SETTING",
                    "key_auto_expiry must be a number, from 31 to 31557600 seconds, not a string",
                )),
            ),
            (
                json!({"name": 5}),
                Some(("INVALID_BODY", "name must be a string")),
            ),
            (
                json!({"name": " "}),
                Some(("INVALID_BODY", "name must not be empty")),
            ),
            (
                json!({"name": "g", "id": "x"}),
                Some(("INVALID_BODY", "id must be a whole number")),
            ),
            (
                json!({"name": "g", "members": {}}),
                Some(("INVALID_BODY", "members must be a list")),
            ),
            (
                json!({"name": "g", "members": [{"name": "x"}]}),
                Some(("INVALID_BODY", "members[0] has no serial")),
            ),
            (
                json!({"name": "g", "members": [{"serial": "A"}, {"serial": "A"}]}),
                Some(("INVALID_BODY", "members[1] repeats the member 'A'")),
            ),
            (
                json!([1]),
                Some(("INVALID_BODY", "the group must be an object")),
            ),
        ];
        for (body, want) in rows {
            let got = group_input(&body, "");
            match (got, want) {
                (Ok(_), None) => {}
                (Err(e), Some((id, text))) => {
                    assert_eq!(e.id, id, "{body}");
                    assert!(e.text.contains(text), "{body}: {}", e.text);
                }
                (got, want) => panic!("{body}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn places_prefix_field_names_and_extra_properties_are_kept() {
        let e = group_input(
            &json!({"name": "g", "headless_timeout": 5}),
            "groups.items[2].",
        )
        .unwrap_err();
        assert!(
            e.text
                .starts_with("groups.items[2].headless_timeout must be"),
            "{}",
            e.text
        );
        let g = group_input(
            &json!({"id": 3.0, "name": "g", "colour": {"a": [1]}, "members": [{"serial": "A", "name": "ignored"}]}),
            "",
        )
        .unwrap();
        assert_eq!(g.id, Some(3));
        assert_eq!(g.members, ["A"]);
        assert_eq!(g.group.extra["colour"], json!({"a": [1]}));
    }
}
