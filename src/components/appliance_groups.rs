//! The groups an appliance belongs to, with their key settings, and the
//! means to join or leave groups: staged, listed, then saved group by group.

use crate::api::{self, Client, Versioned};
use crate::apply;
use crate::components::membership::UnsavedReport;
use crate::components::{fetched, Toasts};
use crate::staging::{Outcome, Report, Staged};
use crate::{paths, units};
use leptos::prelude::*;
use model::{Group, Groups, Setting};

/// The settings shown beside each group.
const KEY_SETTINGS: [Setting; 3] = [
    Setting::KeyAutoExpiry,
    Setting::DataRekeyVolume,
    Setting::KeepaliveInterval,
];

/// The groups of the appliance with this serial, and joining or leaving
/// them.
#[component]
pub fn ApplianceGroups(
    /// The appliance's serial.
    serial: String,
    /// The appliance's name, for the saved changes' diff.
    name: String,
    /// Runs after an apply, so that the page can show the groups the
    /// controller now holds elsewhere too (its charts).
    #[prop(optional)]
    on_saved: Option<Callback<()>>,
) -> impl IntoView {
    let client = Client::expect();
    let toasts = Toasts::expect();
    let groups = LocalResource::new(move || api::groups_versioned(client));
    let staged = RwSignal::new(Staged::new());
    let last = RwSignal::new(None::<Vec<Report>>);
    let serial = StoredValue::new(serial);
    let name = StoredValue::new(name);

    let save = Action::new_local(move |read: &Versioned<Groups>| {
        let read = read.clone();
        async move {
            let plan = staged
                .get_untracked()
                .plan(&read.value.items, |_| Some(name.get_value()));
            let reports = apply::apply(client, plan, read.revision.clone()).await;
            let settled = crate::staging::settle(&staged.get_untracked(), &reports);
            staged.set(settled.staged);
            if reports
                .iter()
                .all(|r| matches!(r.outcome, Outcome::Saved { .. }))
            {
                toasts.show(crate::staging::confirmation(
                    "Group membership saved",
                    &reports,
                ));
            }
            last.set(Some(reports));
            groups.refetch();
            if let Some(on_saved) = on_saved {
                on_saved.run(());
            }
        }
    });

    let show = move |read: Versioned<Groups>| {
        let items = StoredValue::new(read.value.items.clone());
        let read = StoredValue::new(read);
        let is_in = move |g: &Group| staged.with(|s| s.is_member(g, &serial.get_value()));
        let toggle = move |g: &Group, member: bool| {
            staged.update(|s| s.set(g, &serial.get_value(), member));
        };
        let rows = move || {
            items.with_value(|all| {
                all.iter()
                    .filter(|g| is_in(g) || g.has_member(&serial.get_value()))
                    .cloned()
                    .map(|g| {
                        let leaving = !is_in(&g);
                        let joining = !g.has_member(&serial.get_value());
                        let cells = KEY_SETTINGS.map(|s| match s.get(&g) {
                            Some(v) => view! {
                                <td title=units::exact_setting(s, v)>{units::setting(s, v)}</td>
                            }
                            .into_any(),
                            None => view! { <td class="unset">"Not set"</td> }.into_any(),
                        });
                        let status = match (joining, leaving) {
                            (true, _) => Some("Joining"),
                            (_, true) => Some("Leaving"),
                            _ => None,
                        };
                        let label = if leaving { "Stay" } else { "Leave" };
                        let gname = g.name.clone();
                        let href = g.id.map(paths::group).unwrap_or_default();
                        let count = g.member_list().len();
                        let title = g.name.clone();
                        view! {
                            <tr class:staged-add=joining class:staged-remove=leaving>
                                <th scope="row">
                                    <a href=href>{title}</a>
                                    {status.map(|s| view! { <span class="badge">{s}</span> })}
                                </th>
                                <td class="number">{count}</td>
                                {cells.into_iter().collect_view()}
                                <td class="row-action">
                                    <button
                                        type="button"
                                        aria-label=format!("{label} {gname}")
                                        on:click=move |_| {
                                            if joining {
                                                toggle(&g, false)
                                            } else {
                                                toggle(&g, leaving)
                                            }
                                        }
                                    >
                                        {if joining { "Cancel" } else { label }}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        };
        let others = move || {
            items.with_value(|all| {
                all.iter()
                    .filter(|g| !is_in(g) && g.id.is_some())
                    .map(|g| (g.id.unwrap_or_default(), g.name.clone()))
                    .collect::<Vec<_>>()
            })
        };
        let choice = RwSignal::new(String::new());
        let join = move |_| {
            let Ok(id) = choice.get_untracked().parse::<i64>() else {
                return;
            };
            items.with_value(|all| {
                if let Some(g) = all.iter().find(|g| g.id == Some(id)) {
                    toggle(g, true);
                }
            });
            choice.set(String::new());
        };
        let pending = move || !staged.with(Staged::is_empty);
        let headers =
            KEY_SETTINGS.map(|s| view! { <th scope="col" title=s.description()>{s.label()}</th> });

        view! {
            <table class="list appliance-groups">
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col" class="number">"Members"</th>
                        {headers.into_iter().collect_view()}
                        <th scope="col">
                            <span class="visually-hidden">"Change"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <Show when=move || items.with_value(|all| all.iter().all(|g| !is_in(g)))>
                <p class="empty">"This appliance belongs to no group."</p>
            </Show>
            <div class="join">
                <label>
                    <span>"Join a group"</span>
                    <select
                        prop:value=move || choice.get()
                        on:change:target=move |ev| choice.set(ev.target().value())
                    >
                        <option value="">"Choose a group"</option>
                        {move || {
                            others()
                                .into_iter()
                                .map(|(id, n)| view! { <option value=id.to_string()>{n}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <button type="button" disabled=move || choice.get().is_empty() on:click=join>
                    "Join"
                </button>
            </div>
            <Show when=pending>
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        disabled=move || save.pending().get()
                        on:click=move |_| {
                            save.dispatch(read.get_value());
                        }
                    >
                        {move || {
                            if save.pending().get() { "Saving…" } else { "Save group changes" }
                        }}
                    </button>
                    <button type="button" on:click=move |_| staged.set(Staged::new())>
                        "Discard changes"
                    </button>
                </div>
            </Show>
        }
    };

    view! {
        <UnsavedReport last />
        {fetched(groups, show)}
    }
}
