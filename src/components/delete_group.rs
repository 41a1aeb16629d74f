//! Deleting a group behind a confirmation that names it and says how many
//! members it has, as the controller holds it at the moment of asking.

use crate::api::{self, ApiError, Client, Versioned};
use crate::components::group_editor::within;
use crate::components::{fetched, Failure, Modal, Toasts};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::Group;

/// A "Delete" button that opens the confirmation.
#[component]
pub fn DeleteGroup(
    /// The id of the group to delete.
    id: i64,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="danger" on:click=move |_| open.set(true)>
            "Delete"
        </button>
        <Show when=move || open.get()>
            <DeleteDialog id on_close=Callback::new(move |()| open.set(false)) />
        </Show>
    }
}

/// The confirmation: it reads the group afresh, so the name, the member
/// count and the revision sent with the delete are current; if the group
/// changes before the answer, it reads it again and asks again.
#[component]
fn DeleteDialog(
    /// The id of the group to delete.
    id: i64,
    /// Closes the dialog without deleting.
    on_close: Callback<()>,
) -> impl IntoView {
    let client = Client::expect();
    let toasts = Toasts::expect();
    let navigate = use_navigate();
    let leave = navigate.clone();
    let group = LocalResource::new(move || api::group_versioned(client, id));
    let changed = RwSignal::new(false);

    let owner = Owner::current();
    let delete = Action::new_local(move |current: &Versioned<Group>| {
        let answer = within(&owner, || {
            api::delete_group(client, id, current.revision.as_deref())
        });
        let name = current.value.name.clone();
        let navigate = navigate.clone();
        async move {
            let result = answer.await;
            match &result {
                Ok(()) => {
                    toasts.show(format!("Deleted the group \u{201c}{name}\u{201d}"));
                    navigate("/groups", Default::default());
                }
                Err(e) if e.is_stale() => {
                    changed.try_set(true);
                    group.refetch();
                }
                // The group is not there any more: an earlier try whose answer
                // was lost deleted it, or someone else did. Either way, it is
                // gone, which is what was asked.
                Err(e) if e.status() == Some(404) => {
                    toasts.show(format!(
                        "The group \u{201c}{name}\u{201d} is no longer on the controller"
                    ));
                    navigate("/groups", Default::default());
                    return Ok(());
                }
                Err(_) => {}
            }
            result
        }
    });
    // Read again (Retry) and found gone: an earlier delete whose answer was
    // lost did it, or someone else did. There is nothing left to confirm.
    Effect::new(move |_| {
        if group.with(|g| matches!(g, Some(Err(e)) if e.status() == Some(404))) {
            toasts.show(format!("The group {id} is no longer on the controller"));
            leave("/groups", Default::default());
        }
    });
    let failure = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| !e.is_stale())
    };

    let dialog = NodeRef::<html::Dialog>::new();
    let close = move || match dialog.get_untracked() {
        Some(d) => d.close(),
        None => on_close.run(()),
    };

    let question = move |current: Versioned<Group>| {
        let members = match current.value.member_list().len() {
            0 => "It has no members.".to_string(),
            1 => "It has 1 member, which stays registered but leaves the group.".to_string(),
            n => format!("It has {n} members, which stay registered but leave the group."),
        };
        let name = current.value.name.clone();
        view! {
            <p id="delete-question">
                {format!("Delete the group \u{201c}{name}\u{201d}? ")} {members}
                " Its traffic history is deleted with it. This cannot be undone."
            </p>
            <Show when=move || changed.get()>
                <p class="notice">"The group changed while this was open: check and confirm again."</p>
            </Show>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="danger-solid"
                    disabled=move || delete.pending().get()
                    on:click=move |_| {
                        if !delete.pending().get_untracked() {
                            changed.set(false);
                            delete.dispatch(current.clone());
                        }
                    }
                >
                    {format!("Delete \u{201c}{name}\u{201d}")}
                </button>
            </div>
        }
    };

    view! {
        <Modal
            node_ref=dialog
            role="alertdialog"
            labelledby="delete-title"
            describedby="delete-question"
            on_close
        >
            <h2 id="delete-title">"Delete this group?"</h2>
            {fetched(group, question)}
            {move || {
                failure()
                    .map(|error: ApiError| {
                        view! {
                            <Failure
                                error
                                on_retry=Callback::new(move |()| {
                                    delete.value().set(None);
                                    group.refetch();
                                })
                            />
                        }
                    })
            }}
            <button type="button" autofocus on:click=move |_| close()>
                "Cancel"
            </button>
        </Modal>
    }
}
