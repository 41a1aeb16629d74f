//! Runs a staging plan against the controller: each planned group is
//! written in turn, and each one's result is reported, whatever happened
//! to the others.
//!
//! Each write sends the group as the page read it, with only its members
//! changed, and names the newest revision known: the one the page read,
//! then the one each successful write answers. The controller's revision
//! counts every write anywhere, so a 412 does not by itself mean that this
//! group changed: the group is then read again, and written against the
//! new revision only if it is still the one the change was staged on.
//!
//! A write accepted against a revision in that chain proves that nothing
//! but this apply wrote since the page read the groups. Once a 412 has
//! broken the chain, that proof is gone for every group still to come, so
//! each of them is read again and compared before it is written.
//!
//! A write whose answer was lost (cut short, or never came) may have gone
//! through, so it is not sent again: the group is read back, and reported
//! saved if it has the members sent ([`readback::after_members`]). Either
//! way the revision moved or may have, so that read breaks the chain too.

use crate::api::{self, ApiError, Client};
use crate::readback::{self, Found};
use crate::staging::{Chain, Outcome, Planned, Report, Step};
use model::Group;

/// Why a group was not written although the controller would have taken it.
pub const CHANGED_MEANWHILE: &str =
    "Someone changed this group on the controller after this page read it";

/// Writes every group of `plan` in order, starting from `revision`.
pub async fn apply(client: Client, plan: Vec<Planned>, revision: Option<String>) -> Vec<Report> {
    let mut chain = Chain::Trusted(revision);
    let mut reports = Vec::with_capacity(plan.len());
    for planned in plan {
        let written = match &chain {
            Chain::Trusted(revision) => write(client, &planned, revision.clone()).await,
            Chain::Broken => write_checked(client, &planned).await,
        };
        let (step, outcome) = match written {
            Ok(Written {
                group,
                revision,
                checked,
                read_back,
            }) => (
                Step::Saved {
                    revision,
                    reread: checked || read_back,
                },
                Outcome::Saved { group, read_back },
            ),
            Err(Refused {
                why,
                checked,
                unsure,
            }) => (
                Step::Failed { reread: checked },
                if unsure {
                    Outcome::Unsure(why)
                } else {
                    Outcome::Failed(why)
                },
            ),
        };
        chain = chain.after(step);
        reports.push(Report {
            id: planned.id,
            name: planned.name,
            diff: planned.diff,
            outcome,
        });
    }
    reports
}

/// A group written: as the controller stored it, the revision it
/// answered, whether the group had to be read again first, and whether it
/// was read back to learn that the write went through.
struct Written {
    group: Group,
    revision: Option<String>,
    checked: bool,
    read_back: bool,
}

/// A group not written: why, and whether it was read again (which breaks
/// the chain of revisions).
struct Refused {
    why: String,
    checked: bool,
    /// The write may have gone through: nobody could tell.
    unsure: bool,
}

/// One group's write against the chain's revision; on a 412, read again
/// and compared.
async fn write(
    client: Client,
    planned: &Planned,
    revision: Option<String>,
) -> Result<Written, Refused> {
    let first = api::replace_group(client, planned.id, &planned.send, revision.as_deref()).await;
    match first {
        Ok(saved) => Ok(Written {
            group: saved.value,
            revision: saved.revision,
            checked: false,
            read_back: false,
        }),
        Err(e) if e.is_stale() => write_checked(client, planned).await,
        Err(e) if readback::is_uncertain(&e) => read_back(client, planned, &e).await,
        Err(e) => Err(Refused {
            why: explain(&e),
            checked: false,
            unsure: false,
        }),
    }
}

/// One group's write after reading it again: only if it is still the group
/// the change was staged on, against the revision it was just read at.
async fn write_checked(client: Client, planned: &Planned) -> Result<Written, Refused> {
    let refused = |why: String| Refused {
        why,
        checked: true,
        unsure: false,
    };
    let fresh = api::group_versioned(client, planned.id)
        .await
        .map_err(|e| refused(explain(&e)))?;
    if !planned.still_current(&fresh.value) {
        return Err(refused(CHANGED_MEANWHILE.into()));
    }
    let again = api::replace_group(client, planned.id, &planned.send, fresh.revision.as_deref());
    match again.await {
        Ok(saved) => Ok(Written {
            group: saved.value,
            revision: saved.revision,
            checked: true,
            read_back: false,
        }),
        Err(e) if e.is_stale() => Err(refused(CHANGED_MEANWHILE.into())),
        Err(e) if readback::is_uncertain(&e) => read_back(client, planned, &e).await,
        Err(e) => Err(refused(explain(&e))),
    }
}

/// After a write whose answer was lost: reads the group back and tells
/// from its members whether the write went through. Nothing is sent again.
async fn read_back(client: Client, planned: &Planned, lost: &ApiError) -> Result<Written, Refused> {
    let refused = |why: String| Refused {
        why,
        checked: true,
        unsure: false,
    };
    let held = api::group_versioned(client, planned.id)
        .await
        .map_err(|e| Refused {
            why: format!(
                "the controller's answer {}, and reading the group back failed too ({})",
                readback::lost_answer(lost),
                e.user_message()
            ),
            checked: true,
            unsure: true,
        })?;
    match readback::after_members(&planned.base, &planned.send, &held.value) {
        Found::Saved => Ok(Written {
            group: held.value,
            revision: held.revision,
            checked: true,
            read_back: true,
        }),
        Found::NotSaved => Err(refused(format!(
            "The controller's answer {} ({lost}), and reading the group back shows the change is \
             not there",
            readback::lost_answer(lost)
        ))),
        Found::Changed => Err(refused(CHANGED_MEANWHILE.into())),
    }
}

/// A failed write in one line, with the controller's reason.
fn explain(error: &ApiError) -> String {
    error.to_string()
}
