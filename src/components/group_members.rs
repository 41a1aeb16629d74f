//! A group's members, with additions and removals staged, shown as a
//! diff, and saved with the revision the group was read at.

use crate::api::{self, Client, Versioned};
use crate::apply;
use crate::components::membership::{AppliancePicker, Choice, StagedDiff, UnsavedReport};
use crate::components::{fetched, Toasts};
use crate::paths;
use crate::staging::{self, Change, Outcome, Report, Staged};
use leptos::prelude::*;
use model::{Appliances, Group, Member};
use std::collections::HashMap;

/// The members of the group with this id, and the means to change them.
#[component]
pub fn GroupMembers(
    /// The group's id.
    id: i64,
) -> impl IntoView {
    let client = Client::expect();
    let toasts = Toasts::expect();
    let group = LocalResource::new(move || api::group_versioned(client, id));
    let appliances = LocalResource::new(move || api::appliances(client));
    let change = RwSignal::new(Change::default());
    let last = RwSignal::new(None::<Vec<Report>>);

    let save = Action::new_local(move |base: &Versioned<Group>| {
        let base = base.clone();
        async move {
            let mut staged = Staged::new();
            staged.put(id, change.get_untracked());
            let names = |s: &str| Some(s.to_string());
            let plan = staged.plan(std::slice::from_ref(&base.value), names);
            let reports = apply::apply(client, plan, base.revision.clone()).await;
            if reports
                .iter()
                .all(|r| matches!(r.outcome, Outcome::Saved { .. }))
            {
                change.set(Change::default());
                toasts.show(staging::confirmation("Members saved", &reports));
            }
            last.set(Some(reports));
            group.refetch();
        }
    });

    let show = move |versioned: Versioned<Group>| {
        let base = versioned.value.clone();
        let names = Memo::new(move |_| {
            appliances.with(|a| match a {
                Some(Ok(a)) => names_of(a),
                _ => HashMap::new(),
            })
        });
        let diff = {
            let base = base.clone();
            Signal::derive(move || {
                names.with(|n| staging::diff(&base, &change.get(), |s| n.get(s).cloned()))
            })
        };
        let choices = {
            let base = base.clone();
            Signal::derive(move || {
                let staged = change.get();
                appliances.with(|a| match a {
                    Some(Ok(a)) => a
                        .items
                        .iter()
                        .filter(|x| !base.has_member(&x.serial) && !staged.add.contains(&x.serial))
                        .map(|x| Choice {
                            serial: x.serial.clone(),
                            name: x.display_name().to_string(),
                        })
                        .collect(),
                    _ => Vec::new(),
                })
            })
        };
        let on_pick = Callback::new(move |serials: Vec<String>| {
            change.update(|c| {
                for s in serials {
                    c.remove.remove(&s);
                    c.add.insert(s);
                }
            })
        });
        let on_unstage = Callback::new(move |serial: String| {
            change.update(|c| {
                c.add.remove(&serial);
                c.remove.remove(&serial);
            })
        });
        let pending = move || !diff.with(|d| d.is_empty());
        let summary = move || diff.with(|d| d.summary());
        let versioned = StoredValue::new(versioned);

        view! {
            <MemberTable members=base.member_list().to_vec() change />
            <h3>"Add members"</h3>
            {fetched(appliances, move |_| view! { <AppliancePicker choices on_pick /> })}
            <Show when=pending>
                <section class="staged" aria-labelledby="staged-members">
                    <h3 id="staged-members">
                        "Changes to save: " <span class="diff-summary">{summary}</span>
                    </h3>
                    <StagedDiff diff on_unstage />
                    <div class="actions">
                        <button
                            type="button"
                            class="primary"
                            disabled=move || save.pending().get()
                            on:click=move |_| {
                                save.dispatch(versioned.get_value());
                            }
                        >
                            {move || if save.pending().get() { "Saving…" } else { "Save members" }}
                        </button>
                        <button type="button" on:click=move |_| change.set(Change::default())>
                            "Discard changes"
                        </button>
                    </div>
                </section>
            </Show>
        }
    };

    view! {
        <UnsavedReport last />
        {fetched(group, show)}
    }
}

/// Names by serial, for the diff of added members.
pub fn names_of(appliances: &Appliances) -> HashMap<String, String> {
    appliances
        .items
        .iter()
        .map(|a| (a.serial.clone(), a.display_name().to_string()))
        .collect()
}

#[component]
fn MemberTable(members: Vec<Member>, change: RwSignal<Change>) -> impl IntoView {
    if members.is_empty() {
        return view! { <p class="empty">"This group has no members."</p> }.into_any();
    }
    let rows = members
        .into_iter()
        .map(|m| {
            let name = m
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| m.serial.clone());
            let serial = m.serial.clone();
            let leaving = {
                let serial = serial.clone();
                Memo::new(move |_| change.with(|c| c.remove.contains(&serial)))
            };
            let toggle = {
                let serial = serial.clone();
                move |_| {
                    change.update(|c| {
                        if !c.remove.remove(&serial) {
                            c.remove.insert(serial.clone());
                        }
                    })
                }
            };
            let label = move || if leaving.get() { "Keep" } else { "Remove" };
            view! {
                <tr class:staged-remove=leaving>
                    <th scope="row">
                        <a href=paths::appliance(&m.serial)>{name.clone()}</a>
                    </th>
                    <td class="serial">{m.serial.clone()}</td>
                    <td class="row-action">
                        <button
                            type="button"
                            aria-label=move || format!("{} {name}", label())
                            on:click=toggle
                        >
                            {label}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list members">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Serial"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Change"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
