//! An edit of a group as plain data: the text typed into each field, what
//! it would send, what is wrong with it, what an expert would question,
//! and, when the controller's copy changed meanwhile, what differs field by
//! field and how to put the edit on top of the new copy.
//!
//! A draft holds text, never numbers, so that whatever a person types
//! (`-`, `1.`, an empty field) stays as typed; [`check`] reads it through
//! [`crate::parse`], which asks the model for every bound.

use crate::parse::{self, FieldError};
use model::{Group, Setting};
use serde_json::{Number, Value};
use std::collections::BTreeMap;
use std::fmt;

/// What a person typed: the name of a new group and the text of each
/// bounded setting (absent text is an empty field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    fields: BTreeMap<Setting, String>,
}

impl Draft {
    /// The draft of a group as the controller holds it: each set setting's
    /// exact value, empty fields for the others.
    pub fn of(group: &Group) -> Draft {
        let fields = Setting::ALL
            .into_iter()
            .filter_map(|s| s.get(group).map(|v| (s, v.to_string())))
            .collect();
        Draft {
            name: group.name.clone(),
            fields,
        }
    }

    /// The text of a setting's field.
    pub fn text(&self, setting: Setting) -> &str {
        self.fields.get(&setting).map_or("", String::as_str)
    }

    /// Replaces the text of a setting's field, exactly as typed.
    pub fn set_text(&mut self, setting: Setting, text: impl Into<String>) {
        self.fields.insert(setting, text.into());
    }
}

/// Why the name of a new group is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Missing,
    Taken(String),
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            NameError::Missing => f.write_str("A group needs a name"),
            NameError::Taken(name) => write!(f, "Another group is already named \"{name}\""),
        }
    }
}

/// A draft read against the model: the name and each field, accepted or
/// refused with a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub name: Result<String, NameError>,
    pub fields: BTreeMap<Setting, Result<Option<Number>, FieldError>>,
}

/// Reads `draft`. `base` is the group being edited (`None` for a new one,
/// whose name must be given and not among `names`, the other groups').
pub fn check(draft: &Draft, base: Option<&Group>, names: &[String]) -> Checked {
    let name = match base {
        Some(group) => Ok(group.name.clone()),
        None => {
            let name = draft.name.trim();
            if name.is_empty() {
                Err(NameError::Missing)
            } else if names.iter().any(|n| n == name) {
                Err(NameError::Taken(name.to_string()))
            } else {
                Ok(name.to_string())
            }
        }
    };
    // A field left as it was read, within the API's bounds, is the
    // controller's own value: it goes back exactly as it came, even when it
    // is one the console would not let a person type (a volume beyond 64
    // bits, which the API allows).
    let untouched = |s: Setting| {
        base.and_then(|g| s.get(g))
            .filter(|v| v.to_string() == draft.text(s) && s.check(v).is_ok())
            .cloned()
    };
    let fields = Setting::ALL
        .into_iter()
        .map(|s| match (parse::setting(s, draft.text(s)), untouched(s)) {
            (Err(FieldError::TooLarge(_)), Some(v)) => (s, Ok(Some(v))),
            (read, _) => (s, read),
        })
        .collect();
    Checked { name, fields }
}

impl Checked {
    /// The reading of one setting's field.
    pub fn field(&self, setting: Setting) -> &Result<Option<Number>, FieldError> {
        &self.fields[&setting]
    }

    /// Whether nothing is wrong, so the draft may be sent.
    pub fn is_valid(&self) -> bool {
        self.name.is_ok() && self.fields.values().all(Result::is_ok)
    }

    /// What is wrong, one line per field, for the summary beside Save.
    pub fn problems(&self) -> Vec<String> {
        let name = self.name.as_ref().err().map(|e| format!("Name: {e}"));
        let fields = self
            .fields
            .iter()
            .filter_map(|(s, r)| r.as_ref().err().map(|e| format!("{}: {e}", s.label())));
        name.into_iter().chain(fields).collect()
    }

    /// The group to send: `base` with the settings of the draft, its id,
    /// name, members and unknown properties untouched; `None` while
    /// anything is wrong. A setting whose value did not change keeps the
    /// exact number the controller sent.
    pub fn group(&self, base: Option<&Group>) -> Option<Group> {
        let name = self.name.clone().ok()?;
        let mut group = base.cloned().unwrap_or_else(|| Group {
            name,
            ..Group::default()
        });
        for (&s, value) in &self.fields {
            let value = value.clone().ok()?;
            let kept = base.and_then(|b| s.get(b)).cloned();
            if !same_number(value.as_ref(), kept.as_ref()) {
                s.set(&mut group, value);
            }
        }
        Some(group)
    }

    /// The accepted value of a setting, if its field holds one.
    fn value(&self, setting: Setting) -> Option<f64> {
        self.field(setting).as_ref().ok()?.as_ref()?.as_f64()
    }

    /// Combinations an expert would question; they do not block saving.
    pub fn warnings(&self) -> Vec<Warning> {
        use Setting::*;
        let v = |s| self.value(s);
        let mut out = Vec::new();
        if let (Some(keepalive), Some(headless)) = (v(KeepaliveInterval), v(HeadlessTimeout)) {
            if keepalive >= headless {
                out.push(Warning::KeepaliveNotShorterThanHeadless);
            }
        }
        if let (Some(lifetime), Some(keepalive)) = (v(KeyAutoExpiry), v(KeepaliveInterval)) {
            if lifetime <= keepalive {
                out.push(Warning::KeyLifetimeNotLongerThanKeepalive);
            }
        }
        if v(DataRekeyVolume).is_some_and(|b| b > 0.0 && b < SMALL_VOLUME) {
            out.push(Warning::SmallRekeyVolume);
        }
        if v(RekeyPktprcnt).is_some_and(|p| p >= 100.0) {
            out.push(Warning::RekeyAtPacketMaximum);
        }
        out
    }
}

/// Below this volume (1 MiB) a group rekeys so often that it is most
/// likely a slip of the unit; advice only, not a bound.
const SMALL_VOLUME: f64 = 1_048_576.0;

/// A combination of settings that is allowed but questionable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    KeepaliveNotShorterThanHeadless,
    KeyLifetimeNotLongerThanKeepalive,
    SmallRekeyVolume,
    RekeyAtPacketMaximum,
}

impl Warning {
    /// The fields the warning is about; it is shown beside the first.
    pub fn settings(self) -> &'static [Setting] {
        use Setting::*;
        match self {
            Warning::KeepaliveNotShorterThanHeadless => &[KeepaliveInterval, HeadlessTimeout],
            Warning::KeyLifetimeNotLongerThanKeepalive => &[KeyAutoExpiry, KeepaliveInterval],
            Warning::SmallRekeyVolume => &[DataRekeyVolume],
            Warning::RekeyAtPacketMaximum => &[RekeyPktprcnt],
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Warning::KeepaliveNotShorterThanHeadless => {
                "The keepalive interval is not shorter than the headless timeout: an appliance \
                 may count as headless between two keepalives"
            }
            Warning::KeyLifetimeNotLongerThanKeepalive => {
                "The key lifetime is not longer than the keepalive interval: keys may expire \
                 before peers hear from each other"
            }
            Warning::SmallRekeyVolume => {
                "A rekey volume under 1 MiB makes the group rekey very often: was a unit such \
                 as MB or GB meant?"
            }
            Warning::RekeyAtPacketMaximum => {
                "Rekeying only at 100 % of the packet maximum leaves no margin before the \
                 counter runs out"
            }
        })
    }
}

/// Whether the draft differs from what it started from: a new group's
/// draft once anything is typed, an edit once a setting's value (not just
/// its text: `3600` and `1h` are the same) differs.
pub fn is_dirty(base: Option<&Group>, draft: &Draft) -> bool {
    match base {
        None => !is_blank(draft),
        Some(base) => !changed_settings(base, draft).is_empty(),
    }
}

fn is_blank(draft: &Draft) -> bool {
    draft.name.trim().is_empty()
        && Setting::ALL
            .iter()
            .all(|&s| draft.text(s).trim().is_empty())
}

/// The settings whose value in `draft` differs from `base`'s; a field whose
/// text cannot be read counts as changed unless its text is the original.
pub fn changed_settings(base: &Group, draft: &Draft) -> Vec<Setting> {
    let original = Draft::of(base);
    Setting::ALL
        .into_iter()
        .filter(|&s| match parse::setting(s, draft.text(s)) {
            Ok(value) => !same_number(value.as_ref(), s.get(base)),
            Err(_) => draft.text(s).trim() != original.text(s).trim(),
        })
        .collect()
}

/// Whether two optional numbers are the same value (`30` and `30.0` are).
pub fn same_number(a: Option<&Number>, b: Option<&Number>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => match (a.as_u64(), b.as_u64()) {
            (Some(a), Some(b)) => a == b,
            _ => a == b || a.as_f64() == b.as_f64(),
        },
        _ => false,
    }
}

/// A property of a group, as the conflict view lists them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Property {
    Setting(Setting),
    Members,
    /// A property the console does not know, by its name.
    Other(String),
}

impl Property {
    /// Its name for a person.
    pub fn label(&self) -> String {
        match self {
            Property::Setting(s) => s.label().to_string(),
            Property::Members => "Members".into(),
            Property::Other(key) => key.clone(),
        }
    }
}

/// One property that differs between the revision an edit started from,
/// the edit, and what the controller holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub property: Property,
    pub base: Option<Value>,
    pub mine: Option<Value>,
    pub theirs: Option<Value>,
}

impl Change {
    /// Whether the edit changed it.
    pub fn mine_changed(&self) -> bool {
        !same_value(&self.property, self.base.as_ref(), self.mine.as_ref())
    }

    /// Whether someone else changed it on the controller.
    pub fn theirs_changed(&self) -> bool {
        !same_value(&self.property, self.base.as_ref(), self.theirs.as_ref())
    }

    /// Whether both changed it, to different values.
    pub fn clash(&self) -> bool {
        self.mine_changed()
            && self.theirs_changed()
            && !same_value(&self.property, self.mine.as_ref(), self.theirs.as_ref())
    }
}

fn same_value(property: &Property, a: Option<&Value>, b: Option<&Value>) -> bool {
    match property {
        Property::Setting(_) => {
            same_number(a.and_then(Value::as_number), b.and_then(Value::as_number))
        }
        _ => a == b,
    }
}

/// Each property of a group with its value there.
fn properties(group: &Group) -> BTreeMap<Property, Value> {
    let settings = Setting::ALL.into_iter().filter_map(|s| {
        s.get(group)
            .map(|v| (Property::Setting(s), Value::Number(v.clone())))
    });
    let members = group.members.as_ref().map(|m| {
        let serials = m.iter().map(|m| Value::String(m.serial.clone())).collect();
        (Property::Members, Value::Array(serials))
    });
    let others = group
        .extra
        .iter()
        .map(|(k, v)| (Property::Other(k.clone()), v.clone()));
    settings.chain(members).chain(others).collect()
}

/// What differs, property by property, between `base` (the revision the
/// edit started from), `mine` (the group the edit would send) and
/// `theirs` (what the controller holds now): every property that either
/// side changed, in the order settings, members, other properties.
pub fn conflict(base: &Group, mine: &Group, theirs: &Group) -> Vec<Change> {
    let (b, m, t) = (properties(base), properties(mine), properties(theirs));
    let mut keys: Vec<&Property> = b.keys().chain(m.keys()).chain(t.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|p| Change {
            property: p.clone(),
            base: b.get(p).cloned(),
            mine: m.get(p).cloned(),
            theirs: t.get(p).cloned(),
        })
        .filter(|c| c.mine_changed() || c.theirs_changed())
        .collect()
}

/// The edit put on top of what the controller holds now: `theirs` with the
/// settings the draft changed from `base`, as typed. Everything else
/// (members, other properties, settings the edit left alone) is theirs.
pub fn rebase(base: &Group, draft: &Draft, theirs: &Group) -> Draft {
    let mut out = Draft::of(theirs);
    for s in changed_settings(base, draft) {
        out.set_text(s, draft.text(s));
    }
    out
}

/// A property's value for a person in the conflict view.
pub fn describe(property: &Property, value: Option<&Value>) -> String {
    match (property, value) {
        (Property::Setting(_), None) => "Not set".into(),
        (Property::Setting(s), Some(Value::Number(n))) => {
            parse::preview(*s, n).trim_start_matches("= ").to_string()
        }
        (Property::Members, None) => "None".into(),
        (Property::Members, Some(Value::Array(serials))) => {
            let list: Vec<&str> = serials.iter().filter_map(Value::as_str).collect();
            match list.len() {
                0 => "None".into(),
                1 => format!("1 member: {}", list[0]),
                n => format!("{n} members: {}", list.join(", ")),
            }
        }
        (_, None) => "Absent".into(),
        (_, Some(v)) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn group(v: Value) -> Group {
        serde_json::from_value(v).unwrap()
    }

    fn base() -> Group {
        group(json!({
            "id": 4, "name": "edge", "key_auto_expiry": 28800, "keepalive_interval": 30.0,
            "headless_timeout": 600, "members": [{"serial": "A", "name": "a"}],
            "colour": "teal", "owner": {"team": "noc"}
        }))
    }

    #[test]
    fn a_volume_beyond_64_bits_as_read_goes_back_untouched() {
        let held = group(json!({"id": 2, "name": "big", "data_rekey_volume": 1.5e20}));
        let mut d = Draft::of(&held);
        d.set_text(Setting::KeepaliveInterval, "45");
        let checked = check(&d, Some(&held), &[]);
        assert!(checked.is_valid(), "{:?}", checked.problems());
        let sent = checked.group(Some(&held)).unwrap();
        assert_eq!(sent.data_rekey_volume, held.data_rekey_volume);
        assert_eq!(sent.keepalive_interval, Some(45.into()));
        // Typed by a person, the same text is refused: it cannot be sent exactly.
        let mut typed = Draft::of(&held);
        typed.set_text(Setting::DataRekeyVolume, "1.6e20");
        assert!(!check(&typed, Some(&held), &[]).is_valid());
        // A held value outside the API's bounds is not waved through.
        let odd = group(json!({"id": 3, "name": "odd", "keepalive_interval": 5}));
        assert!(!check(&Draft::of(&odd), Some(&odd), &[]).is_valid());
    }

    #[test]
    fn a_draft_starts_from_the_exact_values() {
        let d = Draft::of(&base());
        assert_eq!(d.text(Setting::KeyAutoExpiry), "28800");
        assert_eq!(d.text(Setting::KeepaliveInterval), "30.0");
        assert_eq!(d.text(Setting::DataRekeyVolume), "");
        assert!(!is_dirty(Some(&base()), &d));
    }

    #[test]
    fn an_unchanged_draft_sends_the_group_back_as_it_was() {
        let b = base();
        let sent = check(&Draft::of(&b), Some(&b), &[])
            .group(Some(&b))
            .unwrap();
        assert_eq!(
            serde_json::to_value(&sent).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
    }

    #[test]
    fn the_sent_group_keeps_members_and_other_properties() {
        let b = base();
        let mut d = Draft::of(&b);
        d.set_text(Setting::KeyAutoExpiry, "1h 30m");
        d.set_text(Setting::HeadlessTimeout, "");
        d.set_text(Setting::DataRekeyVolume, "4 TB");
        let c = check(&d, Some(&b), &[]);
        assert!(c.is_valid(), "{:?}", c.problems());
        let sent = serde_json::to_value(c.group(Some(&b)).unwrap()).unwrap();
        assert_eq!(
            sent,
            json!({
                "id": 4, "name": "edge", "key_auto_expiry": 5400, "keepalive_interval": 30.0,
                "data_rekey_volume": 4_000_000_000_000u64,
                "members": [{"serial": "A", "name": "a"}],
                "colour": "teal", "owner": {"team": "noc"}
            })
        );
    }

    #[test]
    fn empty_means_not_set_and_zero_is_a_value() {
        let mut d = Draft {
            name: "new".into(),
            ..Draft::default()
        };
        d.set_text(Setting::RekeyPktcnt, "0");
        d.set_text(Setting::DataRekeyVolume, "  ");
        let sent = check(&d, None, &[]).group(None).unwrap();
        assert_eq!(
            serde_json::to_value(sent).unwrap(),
            json!({"name": "new", "rekey_pktcnt": 0})
        );
    }

    #[test]
    fn names_of_new_groups() {
        let names = ["edge".to_string(), "core".to_string()];
        let rows = [
            ("", Err(NameError::Missing)),
            ("   ", Err(NameError::Missing)),
            ("edge", Err(NameError::Taken("edge".into()))),
            (" core ", Err(NameError::Taken("core".into()))),
            ("Edge", Ok("Edge".to_string())),
            (" branch ", Ok("branch".to_string())),
        ];
        for (name, want) in rows {
            let d = Draft {
                name: name.into(),
                ..Draft::default()
            };
            assert_eq!(check(&d, None, &names).name, want, "{name:?}");
        }
        // An existing group's name is its own, whatever the draft says.
        let d = Draft {
            name: "core".into(),
            ..Draft::of(&base())
        };
        assert_eq!(check(&d, Some(&base()), &names).name, Ok("edge".into()));
    }

    #[test]
    fn problems_block_saving_and_say_what_is_wrong() {
        let mut d = Draft::of(&base());
        d.set_text(Setting::KeepaliveInterval, "5");
        d.set_text(Setting::RekeyPktcnt, "1.5");
        let c = check(&d, Some(&base()), &[]);
        assert!(!c.is_valid());
        assert_eq!(c.group(Some(&base())), None);
        assert_eq!(
            c.problems(),
            [
                "Rekey after packets: Must be a whole number, 0 packets or more",
                "Keepalive interval: Must be from 10 to 3600 seconds (10 s to 1 h)",
            ]
        );
        let missing = check(&Draft::default(), None, &[]);
        assert_eq!(missing.problems(), ["Name: A group needs a name"]);
    }

    #[test]
    fn warnings_for_questionable_combinations() {
        use Setting::*;
        /// The fields typed, and the warnings expected.
        type Row = (&'static [(Setting, &'static str)], &'static [Warning]);
        let rows: &[Row] = &[
            (&[(KeepaliveInterval, "30"), (HeadlessTimeout, "600")], &[]),
            (
                &[(KeepaliveInterval, "600"), (HeadlessTimeout, "600")],
                &[Warning::KeepaliveNotShorterThanHeadless],
            ),
            (
                &[(KeepaliveInterval, "3600"), (HeadlessTimeout, "31")],
                &[Warning::KeepaliveNotShorterThanHeadless],
            ),
            // A warning needs both values; a refused one does not count.
            (&[(KeepaliveInterval, "600"), (HeadlessTimeout, "5")], &[]),
            (&[(KeepaliveInterval, "600")], &[]),
            (
                &[(KeyAutoExpiry, "60"), (KeepaliveInterval, "60")],
                &[Warning::KeyLifetimeNotLongerThanKeepalive],
            ),
            (&[(DataRekeyVolume, "0")], &[]),
            (&[(DataRekeyVolume, "1000")], &[Warning::SmallRekeyVolume]),
            (&[(DataRekeyVolume, "1 MiB")], &[]),
            (&[(RekeyPktprcnt, "100")], &[Warning::RekeyAtPacketMaximum]),
            (&[(RekeyPktprcnt, "99.5")], &[]),
        ];
        for (fields, want) in rows {
            let mut d = Draft {
                name: "g".into(),
                ..Draft::default()
            };
            for (s, t) in *fields {
                d.set_text(*s, *t);
            }
            assert_eq!(check(&d, None, &[]).warnings(), *want, "{fields:?}");
        }
    }

    #[test]
    fn dirty_means_a_value_changed() {
        let b = base();
        let rows = [
            (Setting::KeyAutoExpiry, "28800", false),
            (Setting::KeyAutoExpiry, " 8h ", false),
            (Setting::KeepaliveInterval, "30", false),
            (Setting::KeyAutoExpiry, "9h", true),
            (Setting::KeyAutoExpiry, "", true),
            (Setting::DataRekeyVolume, "0", true),
            (Setting::KeyAutoExpiry, "288", true),
            (Setting::KeyAutoExpiry, "-", true),
        ];
        for (s, text, want) in rows {
            let mut d = Draft::of(&b);
            d.set_text(s, text);
            assert_eq!(is_dirty(Some(&b), &d), want, "{s} {text:?}");
        }
        let mut new = Draft::default();
        assert!(!is_dirty(None, &new));
        new.set_text(Setting::RekeyPktcnt, " ");
        assert!(!is_dirty(None, &new));
        new.name = "x".into();
        assert!(is_dirty(None, &new));
    }

    #[test]
    fn a_conflict_lists_what_each_side_changed() {
        let b = base();
        let mut d = Draft::of(&b);
        d.set_text(Setting::KeyAutoExpiry, "1h");
        d.set_text(Setting::KeepaliveInterval, "60");
        let mine = check(&d, Some(&b), &[]).group(Some(&b)).unwrap();
        let theirs = group(json!({
            "id": 4, "name": "edge", "key_auto_expiry": 28800, "keepalive_interval": 45,
            "headless_timeout": 900, "members": [{"serial": "A"}, {"serial": "B"}],
            "colour": "teal", "owner": {"team": "sec"}, "since": 2024
        }));
        let changes = conflict(&b, &mine, &theirs);
        let summary: Vec<(String, bool, bool, bool)> = changes
            .iter()
            .map(|c| {
                (
                    c.property.label(),
                    c.mine_changed(),
                    c.theirs_changed(),
                    c.clash(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Key lifetime".to_string(), true, false, false),
                ("Headless timeout".to_string(), false, true, false),
                ("Keepalive interval".to_string(), true, true, true),
                ("Members".to_string(), false, true, false),
                ("owner".to_string(), false, true, false),
                ("since".to_string(), false, true, false),
            ]
        );
        let keepalive = &changes[2];
        assert_eq!(
            describe(&keepalive.property, keepalive.base.as_ref()),
            "30.0 s"
        );
        assert_eq!(
            describe(&keepalive.property, keepalive.mine.as_ref()),
            "60 s (1 min)"
        );
        assert_eq!(
            describe(&keepalive.property, keepalive.theirs.as_ref()),
            "45 s"
        );
        assert_eq!(
            describe(&changes[3].property, changes[3].theirs.as_ref()),
            "2 members: A, B"
        );
        assert_eq!(
            describe(&changes[5].property, changes[5].base.as_ref()),
            "Absent"
        );
    }

    #[test]
    fn a_revision_that_changed_nothing_here_lists_only_the_edit() {
        let b = base();
        let mut d = Draft::of(&b);
        d.set_text(Setting::RekeyPktcnt, "1000");
        let mine = check(&d, Some(&b), &[]).group(Some(&b)).unwrap();
        let changes = conflict(&b, &mine, &b);
        assert_eq!(changes.len(), 1);
        assert!(changes[0].mine_changed() && !changes[0].theirs_changed());
    }

    #[test]
    fn rebasing_keeps_their_changes_and_applies_mine() {
        let b = base();
        let mut d = Draft::of(&b);
        d.set_text(Setting::KeyAutoExpiry, "1h");
        d.set_text(Setting::KeepaliveInterval, "60");
        let theirs = group(json!({
            "id": 4, "name": "edge", "key_auto_expiry": 28800, "keepalive_interval": 45,
            "headless_timeout": 900, "rekey_pktprcnt": 90, "members": [{"serial": "B"}],
            "colour": "blue"
        }));
        let rebased = rebase(&b, &d, &theirs);
        assert_eq!(rebased.text(Setting::KeyAutoExpiry), "1h");
        assert_eq!(rebased.text(Setting::KeepaliveInterval), "60");
        assert_eq!(rebased.text(Setting::HeadlessTimeout), "900");
        assert_eq!(rebased.text(Setting::RekeyPktprcnt), "90");
        let sent = check(&rebased, Some(&theirs), &[])
            .group(Some(&theirs))
            .unwrap();
        assert_eq!(
            serde_json::to_value(sent).unwrap(),
            json!({
                "id": 4, "name": "edge", "key_auto_expiry": 3600, "keepalive_interval": 60,
                "headless_timeout": 900, "rekey_pktprcnt": 90, "members": [{"serial": "B"}],
                "colour": "blue"
            })
        );
        // Clearing a field is a change too: it stays cleared on top of theirs.
        let mut cleared = Draft::of(&b);
        cleared.set_text(Setting::HeadlessTimeout, "");
        assert_eq!(
            rebase(&b, &cleared, &theirs).text(Setting::HeadlessTimeout),
            ""
        );
    }
}
