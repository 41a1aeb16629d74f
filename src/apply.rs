//! Runs a staging plan against the controller: each planned group is
//! written in turn, and each one's result is reported, whatever happened
//! to the others.
//!
//! Each write sends the group as the page read it, with only its members
//! changed, and names the newest revision known (the one read, then the one
//! each successful write answers). The controller's revision counts every
//! write anywhere, so a 412 does not by itself mean that this group
//! changed: the group is then read again, and written against the new
//! revision only if it is still the one the change was staged on.

use crate::api::{self, ApiError, Client};
use crate::staging::{Outcome, Planned, Report};
use model::Group;

/// Why a group was not written although the controller would have taken it.
pub const CHANGED_MEANWHILE: &str =
    "Someone changed this group on the controller after this page read it";

/// Writes every group of `plan` in order, starting from `revision`.
pub async fn apply(client: Client, plan: Vec<Planned>, revision: Option<String>) -> Vec<Report> {
    let mut revision = revision;
    let mut reports = Vec::with_capacity(plan.len());
    for planned in plan {
        let outcome = match write(client, &planned, revision.clone()).await {
            Ok((group, next)) => {
                if next.is_some() {
                    revision = next;
                }
                Outcome::Saved(group)
            }
            Err(why) => Outcome::Failed(why),
        };
        reports.push(Report {
            id: planned.id,
            name: planned.name,
            diff: planned.diff,
            outcome,
        });
    }
    reports
}

/// One group's write: the group as the controller stored it and the new
/// revision, or why it was not saved.
async fn write(
    client: Client,
    planned: &Planned,
    revision: Option<String>,
) -> Result<(Group, Option<String>), String> {
    let first = api::replace_group(client, planned.id, &planned.send, revision.as_deref()).await;
    match first {
        Ok(saved) => return Ok((saved.value, saved.revision)),
        Err(e) if e.is_stale() => {}
        Err(e) => return Err(explain(&e)),
    }
    let fresh = api::group_versioned(client, planned.id)
        .await
        .map_err(|e| explain(&e))?;
    if !planned.still_current(&fresh.value) {
        return Err(CHANGED_MEANWHILE.into());
    }
    let again = api::replace_group(client, planned.id, &planned.send, fresh.revision.as_deref());
    match again.await {
        Ok(saved) => Ok((saved.value, saved.revision)),
        Err(e) if e.is_stale() => Err(CHANGED_MEANWHILE.into()),
        Err(e) => Err(explain(&e)),
    }
}

/// A failed write in one line, with the controller's reason.
fn explain(error: &ApiError) -> String {
    error.to_string()
}
