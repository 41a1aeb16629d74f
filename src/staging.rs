//! Staged membership changes: what an administrator means to add to and
//! remove from each group, the diff that shows it, the group to send, and
//! what is left after an apply in which some groups failed.
//!
//! A change is kept relative to the group as the controller gave it (the
//! serials to add, the serials to remove), so that it survives a refetch:
//! an addition that the controller already has simply stops showing in
//! the diff. Nothing here speaks HTTP; pages run the plan and hand the
//! answers back.

use model::{Group, Member};
use std::collections::{BTreeMap, BTreeSet};

/// The additions and removals staged for one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub add: BTreeSet<String>,
    pub remove: BTreeSet<String>,
}

impl Change {
    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }

    /// The change that undoes this one once it is applied.
    pub fn inverse(&self) -> Change {
        Change {
            add: self.remove.clone(),
            remove: self.add.clone(),
        }
    }
}

/// What a change does to a group, as shown before it is saved: the members
/// that come and go, named as well as the page knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub added: Vec<Member>,
    pub removed: Vec<Member>,
}

impl Diff {
    /// Whether saving would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// "2 added, 1 removed", or "No change".
    pub fn summary(&self) -> String {
        match (self.added.len(), self.removed.len()) {
            (0, 0) => "No change".into(),
            (a, 0) => format!("{a} added"),
            (0, r) => format!("{r} removed"),
            (a, r) => format!("{a} added, {r} removed"),
        }
    }

    /// The change that this diff makes.
    pub fn change(&self) -> Change {
        Change {
            add: self.added.iter().map(|m| m.serial.clone()).collect(),
            remove: self.removed.iter().map(|m| m.serial.clone()).collect(),
        }
    }
}

/// The diff of `change` against `group` as the controller has it: an
/// addition of a member or a removal of a non-member is no change at all.
/// `name` names the appliances being added.
pub fn diff(group: &Group, change: &Change, name: impl Fn(&str) -> Option<String>) -> Diff {
    let added = change
        .add
        .iter()
        .filter(|s| !group.has_member(s))
        .map(|s| Member {
            serial: s.clone(),
            name: name(s),
        })
        .collect();
    let removed = group
        .member_list()
        .iter()
        .filter(|m| change.remove.contains(&m.serial))
        .cloned()
        .collect();
    Diff { added, removed }
}

/// `group` exactly as given, but with its members changed: the remaining
/// members in their order, then the added ones in serial order. Added
/// members are sent by serial alone; the controller names them.
pub fn changed(group: &Group, change: &Change) -> Group {
    let mut members: Vec<Member> = group
        .member_list()
        .iter()
        .filter(|m| !change.remove.contains(&m.serial))
        .cloned()
        .collect();
    for serial in &change.add {
        if !members.iter().any(|m| &m.serial == serial) {
            members.push(Member::new(serial.clone()));
        }
    }
    Group {
        members: Some(members),
        ..group.clone()
    }
}

/// Every staged change, by group id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staged {
    changes: BTreeMap<i64, Change>,
}

impl Staged {
    /// Nothing staged.
    pub fn new() -> Self {
        Staged::default()
    }

    /// The change staged for the group with this id, if any.
    pub fn get(&self, id: i64) -> Option<&Change> {
        self.changes.get(&id)
    }

    /// Whether nothing at all is staged.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The ids of the groups with a staged change.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.changes.keys().copied()
    }

    /// Whether `serial` is a member of `group` once the staged change is
    /// applied.
    pub fn is_member(&self, group: &Group, serial: &str) -> bool {
        let id = group.id.unwrap_or_default();
        match self.changes.get(&id) {
            Some(c) if c.add.contains(serial) => true,
            Some(c) if c.remove.contains(serial) => false,
            _ => group.has_member(serial),
        }
    }

    /// What is staged for `serial` in the group with this id: `Some(true)`
    /// to join, `Some(false)` to leave, `None` for nothing. Cheaper than
    /// [`Staged::is_member`] for a page that knows the base membership.
    pub fn staged_for(&self, id: i64, serial: &str) -> Option<bool> {
        let change = self.changes.get(&id)?;
        if change.add.contains(serial) {
            Some(true)
        } else if change.remove.contains(serial) {
            Some(false)
        } else {
            None
        }
    }

    /// Stages `serial` in or out of `group`. Staging what the group already
    /// is drops any change staged for that serial.
    pub fn set(&mut self, group: &Group, serial: &str, member: bool) {
        let Some(id) = group.id else { return };
        let change = self.changes.entry(id).or_default();
        change.add.remove(serial);
        change.remove.remove(serial);
        match (member, group.has_member(serial)) {
            (true, false) => {
                change.add.insert(serial.to_string());
            }
            (false, true) => {
                change.remove.insert(serial.to_string());
            }
            _ => {}
        }
        if change.is_empty() {
            self.changes.remove(&id);
        }
    }

    /// Stages every one of `serials` in or out of `group`.
    pub fn set_all<'a>(
        &mut self,
        group: &Group,
        serials: impl IntoIterator<Item = &'a str>,
        member: bool,
    ) {
        for serial in serials {
            self.set(group, serial, member);
        }
    }

    /// Replaces the change staged for the group with this id.
    pub fn put(&mut self, id: i64, change: Change) {
        if change.is_empty() {
            self.changes.remove(&id);
        } else {
            self.changes.insert(id, change);
        }
    }

    /// Drops the change staged for the group with this id.
    pub fn discard(&mut self, id: i64) {
        self.changes.remove(&id);
    }

    /// The groups to write: each group with a staged change that changes
    /// something, in the order of `groups`, with its diff and the group to
    /// send.
    pub fn plan(&self, groups: &[Group], name: impl Fn(&str) -> Option<String>) -> Vec<Planned> {
        groups
            .iter()
            .filter_map(|group| {
                let id = group.id?;
                let change = self.changes.get(&id)?;
                let diff = diff(group, change, &name);
                (!diff.is_empty()).then(|| Planned {
                    id,
                    name: group.name.clone(),
                    base: group.clone(),
                    send: changed(group, change),
                    diff,
                })
            })
            .collect()
    }
}

/// One group write of an apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub id: i64,
    pub name: String,
    /// The group as the page read it, the one the change was staged on.
    pub base: Group,
    /// What to send: `base` with only its members changed.
    pub send: Group,
    pub diff: Diff,
}

impl Planned {
    /// Whether the group the controller has now is still the one the change
    /// was staged on. The controller's revision counts every change
    /// anywhere, so the page re-reads each group before writing it and
    /// writes only one that nobody else changed meanwhile.
    pub fn still_current(&self, fresh: &Group) -> bool {
        *fresh == self.base
    }
}

/// The revision an apply names for its next write. The controller's
/// revision counts every write anywhere: a write accepted against a
/// revision of the chain (the one the page read, then each one this apply's
/// own writes answered) proves nobody else wrote meanwhile. A group read
/// again after a 412 breaks the chain, and every later group must be read
/// again and compared before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chain {
    /// Name this revision.
    Trusted(Option<String>),
    /// Read each group again first.
    Broken,
}

/// How one write of an apply went, as far as the chain cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Saved, answering this revision; `reread` when the group had to be
    /// read again first.
    Saved {
        revision: Option<String>,
        reread: bool,
    },
    /// Not saved; `reread` when the group was read again.
    Failed { reread: bool },
}

impl Chain {
    /// The chain after `step`.
    pub fn after(self, step: Step) -> Chain {
        match (self, step) {
            (Chain::Broken, _) => Chain::Broken,
            (_, Step::Saved { reread: true, .. } | Step::Failed { reread: true }) => Chain::Broken,
            (Chain::Trusted(_), Step::Saved { revision, .. }) => Chain::Trusted(revision),
            (trusted, Step::Failed { reread: false }) => trusted,
        }
    }
}

/// How one group's write ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Saved; the group as the controller answered, or as it was read back
    /// (`read_back`) after the write's own answer was lost.
    Saved { group: Group, read_back: bool },
    /// Not saved, and why, in words for the administrator.
    Failed(String),
    /// Perhaps saved: the write's answer was lost and reading the group
    /// back failed too; why, in words. Its changes stay staged until the
    /// group is read again, and then only what it still lacks.
    Unsure(String),
}

impl Outcome {
    /// Whether the group is known to hold the change.
    pub fn is_saved(&self) -> bool {
        matches!(self, Outcome::Saved { .. })
    }
}

/// One group's line in an apply's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: i64,
    pub name: String,
    pub diff: Diff,
    pub outcome: Outcome,
}

/// The confirmation after an apply that saved every group: `plain`, and,
/// when a write's answer was lost and reading its group back showed it
/// saved, that this is how the console knows.
pub fn confirmation(plain: &str, reports: &[Report]) -> String {
    let read_back = reports
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                Outcome::Saved {
                    read_back: true,
                    ..
                }
            )
        })
        .count();
    match read_back {
        0 => plain.to_string(),
        1 if reports.len() == 1 => format!(
            "{plain}: the controller's answer was lost, and reading the group back shows the change there"
        ),
        1 => format!(
            "{plain}: the controller's answer for 1 group was lost, and reading it back shows the \
             change there"
        ),
        n => format!(
            "{plain}: the controller's answers for {n} groups were lost, and reading them back \
             shows the changes there"
        ),
    }
}

/// What an apply leaves behind.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    /// The changes still staged: those of every group that failed, and
    /// those of groups the apply did not touch.
    pub staged: Staged,
    /// The changes that undo what was saved, by group id.
    pub undo: Staged,
}

/// Settles an apply: the saved groups' changes leave the stage and become
/// one step of undo; the failed ones stay staged as they were.
pub fn settle(staged: &Staged, reports: &[Report]) -> Settled {
    let mut left = staged.clone();
    let mut undo = Staged::new();
    for report in reports {
        if let Outcome::Saved { .. } = report.outcome {
            left.discard(report.id);
            undo.put(report.id, report.diff.change().inverse());
        }
    }
    Settled { staged: left, undo }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn group(id: i64, serials: &[&str]) -> Group {
        let members: Vec<_> = serials
            .iter()
            .map(|s| json!({"serial": s, "name": format!("n-{s}")}))
            .collect();
        serde_json::from_value(json!({
            "id": id, "name": format!("g{id}"), "keepalive_interval": 30,
            "members": members, "vendor_note": "kept"
        }))
        .unwrap()
    }

    fn serials(members: &[Member]) -> Vec<&str> {
        members.iter().map(|m| m.serial.as_str()).collect()
    }

    fn no_name(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn staging_is_relative_to_the_group() {
        let g = group(1, &["A", "B"]);
        // Steps of (serial, member), then the expected adds and removes.
        type Steps<'a> = &'a [(&'a str, bool)];
        let rows: &[(Steps, &[&str], &[&str])] = &[
            (&[("C", true)], &["C"], &[]),
            (&[("A", true)], &[], &[]),
            (&[("A", false)], &[], &["A"]),
            (&[("A", false), ("A", true)], &[], &[]),
            (&[("C", true), ("C", false)], &[], &[]),
            (&[("C", false)], &[], &[]),
            (
                &[("C", true), ("D", true), ("B", false)],
                &["C", "D"],
                &["B"],
            ),
        ];
        for (steps, add, remove) in rows {
            let mut s = Staged::new();
            for (serial, member) in *steps {
                s.set(&g, serial, *member);
            }
            let want = Change {
                add: add.iter().map(|s| s.to_string()).collect(),
                remove: remove.iter().map(|s| s.to_string()).collect(),
            };
            if want.is_empty() {
                assert!(s.is_empty(), "{steps:?} leaves {s:?}");
            } else {
                assert_eq!(s.get(1), Some(&want), "{steps:?}");
            }
            for (serial, member) in *steps {
                let last = steps.iter().rev().find(|(x, _)| x == serial).unwrap().1;
                assert_eq!(s.is_member(&g, serial), last, "{steps:?} {serial} {member}");
                let base = g.has_member(serial);
                let staged = s.staged_for(1, serial);
                assert_eq!(staged.unwrap_or(base), last, "{steps:?} {serial}");
                assert_eq!(staged.is_some(), last != base, "{steps:?} {serial}");
            }
        }
    }

    #[test]
    fn the_diff_shows_only_what_would_change() {
        let g = group(1, &["A", "B", "C"]);
        let change = Change {
            add: ["A", "D", "E"].map(String::from).into(),
            remove: ["C", "Z"].map(String::from).into(),
        };
        let named = |s: &str| (s == "D").then(|| "delta".to_string());
        let d = diff(&g, &change, named);
        assert_eq!(serials(&d.added), ["D", "E"]);
        assert_eq!(d.added[0].name.as_deref(), Some("delta"));
        assert_eq!(d.added[1].name, None);
        assert_eq!(serials(&d.removed), ["C"]);
        assert_eq!(d.removed[0].name.as_deref(), Some("n-C"));
        assert_eq!(d.summary(), "2 added, 1 removed");

        let rows = [
            ((0, 0), "No change"),
            ((2, 0), "2 added"),
            ((0, 1), "1 removed"),
        ];
        for ((a, r), want) in rows {
            let d = Diff {
                added: vec![Member::new("x"); a],
                removed: vec![Member::new("y"); r],
            };
            assert_eq!(d.summary(), want);
        }
    }

    #[test]
    fn the_group_sent_changes_only_its_members() {
        let g = group(4, &["A", "B", "C"]);
        let change = Change {
            add: ["E", "D", "A"].map(String::from).into(),
            remove: ["B"].map(String::from).into(),
        };
        let sent = changed(&g, &change);
        assert_eq!(serials(sent.member_list()), ["A", "C", "D", "E"]);
        assert_eq!(sent.member_list()[0].name.as_deref(), Some("n-A"));
        assert_eq!(sent.member_list()[2].name, None);
        let rest = |g: &Group| Group {
            members: None,
            ..g.clone()
        };
        assert_eq!(rest(&sent), rest(&g));
        assert_eq!(sent.extra.get("vendor_note"), Some(&json!("kept")));

        // A group without a members field gets one.
        let mut bare = group(5, &[]);
        bare.members = None;
        let add = Change {
            add: ["A"].map(String::from).into(),
            ..Change::default()
        };
        assert_eq!(serials(changed(&bare, &add).member_list()), ["A"]);
    }

    #[test]
    fn the_plan_writes_each_changed_group_once() {
        let groups = [group(1, &["A"]), group(2, &["B"]), group(3, &[])];
        let mut s = Staged::new();
        s.set_all(&groups[0], ["B", "C"], true);
        s.set(&groups[1], "B", false);
        // Staged against an older read: the controller has it already.
        s.put(
            3,
            Change {
                remove: ["Q"].map(String::from).into(),
                ..Change::default()
            },
        );
        let plan = s.plan(&groups, no_name);
        let ids: Vec<_> = plan.iter().map(|p| p.id).collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(serials(plan[0].send.member_list()), ["A", "B", "C"]);
        assert!(plan[1].send.member_list().is_empty());
        assert_eq!(plan[1].diff.summary(), "1 removed");

        assert!(plan[0].still_current(&groups[0]));
        let mut touched = groups[0].clone();
        touched.keepalive_interval = Some(45.into());
        assert!(!plan[0].still_current(&touched));
    }

    #[test]
    fn the_revision_chain_breaks_once_a_group_is_read_again() {
        let rev = |r: &str| Some(format!("\"{r}\""));
        let saved = |r: &str| Step::Saved {
            revision: rev(r),
            reread: false,
        };
        let rows = [
            (vec![], Chain::Trusted(rev("4"))),
            (vec![saved("5"), saved("6")], Chain::Trusted(rev("6"))),
            // A refusal that read nothing (409, network) leaves the chain.
            (
                vec![saved("5"), Step::Failed { reread: false }],
                Chain::Trusted(rev("5")),
            ),
            // A 412, then a re-read: saved or not, later groups are read again.
            (
                vec![Step::Saved {
                    revision: rev("9"),
                    reread: true,
                }],
                Chain::Broken,
            ),
            (
                vec![Step::Failed { reread: true }, saved("7")],
                Chain::Broken,
            ),
            // A group saved without its revision keeps the chain unnamed.
            (
                vec![Step::Saved {
                    revision: None,
                    reread: false,
                }],
                Chain::Trusted(None),
            ),
        ];
        for (steps, want) in rows {
            let got = steps
                .iter()
                .cloned()
                .fold(Chain::Trusted(rev("4")), Chain::after);
            assert_eq!(got, want, "{steps:?}");
        }
    }

    #[test]
    fn a_partial_apply_keeps_the_failures_and_undoes_the_rest() {
        let groups = [group(1, &["A"]), group(2, &["B"]), group(3, &["C"])];
        let mut s = Staged::new();
        s.set(&groups[0], "X", true);
        s.set(&groups[1], "B", false);
        s.set(&groups[2], "Y", true);
        let plan = s.plan(&groups, no_name);
        let outcomes = [
            Outcome::Saved {
                group: plan[0].send.clone(),
                read_back: false,
            },
            Outcome::Saved {
                group: plan[1].send.clone(),
                read_back: true,
            },
            Outcome::Failed("changed meanwhile".into()),
        ];
        let reports: Vec<Report> = plan
            .iter()
            .zip(outcomes)
            .map(|(p, outcome)| Report {
                id: p.id,
                name: p.name.clone(),
                diff: p.diff.clone(),
                outcome,
            })
            .collect();
        let settled = settle(&s, &reports);
        assert_eq!(settled.staged.ids().collect::<Vec<_>>(), [3]);
        // The second group's answer was lost, and reading it back found it saved.
        assert_eq!(
            confirmation("Saved", &reports),
            "Saved: the controller's answer for 1 group was lost, and reading it back shows the \
             change there"
        );
        assert_eq!(confirmation("Saved", &reports[..1]), "Saved");
        assert_eq!(
            confirmation("Saved", &reports[1..2]),
            "Saved: the controller's answer was lost, and reading the group back shows the change \
             there"
        );
        assert_eq!(settled.staged.get(3), s.get(3));
        assert_eq!(settled.undo.ids().collect::<Vec<_>>(), [1, 2]);

        // Undo, planned on the groups as saved, restores the old members.
        let saved = [
            plan[0].send.clone(),
            plan[1].send.clone(),
            groups[2].clone(),
        ];
        let undo = settled.undo.plan(&saved, no_name);
        assert_eq!(undo.len(), 2);
        assert_eq!(serials(undo[0].send.member_list()), ["A"]);
        assert_eq!(serials(undo[1].send.member_list()), ["B"]);
    }
}
