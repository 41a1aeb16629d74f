//! `/membership`: the membership matrix. Appliances down, groups across, a
//! check box where an appliance is a member. Edits, one by one or for many
//! selected appliances at once, are staged and listed per group; Apply
//! writes each changed group and reports each one's result; one step of
//! undo restores what the last apply changed.
//!
//! Only one page of appliances is rendered, and the filter runs over an
//! index built once, so 10,000 appliances cost one page of rows.

use crate::api::{self, Client, Versioned};
use crate::apply;
use crate::components::group_members::names_of;
use crate::components::{fetched, set_page_title, ApplyReport, StagedDiff};
use crate::listing::{self, Row, View};
use crate::staging::{self, Report, Staged};
use crate::{membership, paths};
use leptos::prelude::*;
use model::{Appliances, Group, Groups};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Appliances on one page of the matrix.
// FIXME: a keystroke that changes every row of the page still updates 2,500
// cells, 100-160 ms on this 2-core machine (`cargo xtask bench`); a page
// narrowed to the groups in view would cut that, at the cost of scrolling
// the groups by page too.
const PAGE_ROWS: usize = 50;

/// What the page keeps across refetches: staged edits, the undo step, the
/// last apply's report, and the selection.
#[derive(Clone, Copy)]
struct State {
    staged: RwSignal<Staged>,
    undo: RwSignal<Staged>,
    reports: RwSignal<Option<Vec<Report>>>,
    selected: RwSignal<BTreeSet<String>>,
    search: RwSignal<String>,
    page: RwSignal<usize>,
}

/// The membership matrix.
#[component]
pub fn MatrixPage() -> impl IntoView {
    set_page_title(|| "Membership".into());
    let client = Client::expect();
    let groups = LocalResource::new(move || api::groups_versioned(client));
    let appliances = LocalResource::new(move || api::appliances(client));
    let state = State {
        staged: RwSignal::new(Staged::new()),
        undo: RwSignal::new(Staged::new()),
        reports: RwSignal::new(None),
        selected: RwSignal::new(BTreeSet::new()),
        search: RwSignal::new(String::new()),
        page: RwSignal::new(0),
    };

    // Runs a plan; `undoing` says whether it is the undo step, whose own
    // undo is not kept.
    let run = Action::new_local(move |(read, undoing): &(Versioned<Groups>, bool)| {
        let (read, undoing) = (read.clone(), *undoing);
        let names = appliances
            .get_untracked()
            .and_then(Result::ok)
            .map(|a| names_of(&a))
            .unwrap_or_default();
        async move {
            let source = if undoing { state.undo } else { state.staged };
            let plan = source
                .get_untracked()
                .plan(&read.value.items, |s| names.get(s).cloned());
            let reports = apply::apply(client, plan, read.revision.clone()).await;
            let settled = staging::settle(&source.get_untracked(), &reports);
            if undoing {
                state.undo.set(settled.staged);
            } else {
                state.staged.set(settled.staged);
                state.undo.set(settled.undo);
            }
            state.reports.set(Some(reports));
            groups.refetch();
        }
    });

    view! {
        <h1>"Membership"</h1>
        {move || state.reports.get().map(|reports| view! { <ApplyReport reports /> })}
        {fetched(groups, move |read: Versioned<Groups>| {
            fetched(appliances, move |all: Appliances| {
                let read = read.clone();
                if all.items.is_empty() {
                    return view! {
                        <p class="empty">"No appliances are registered, so there is no membership to change."</p>
                    }
                        .into_any();
                }
                if read.value.items.is_empty() {
                    return view! {
                        <p class="empty">
                            "No groups are configured, so no appliance can join one. "
                            <a href=paths::new_group()>"Create a group"</a>
                        </p>
                    }
                        .into_any();
                }
                view! { <Matrix read all state run /> }.into_any()
            })
        })}
    }
}

/// A group with the serials of its members, for cheap cell lookups.
struct Column {
    group: Group,
    id: i64,
    members: HashSet<String>,
}

#[component]
fn Matrix(
    read: Versioned<Groups>,
    all: Appliances,
    state: State,
    run: Action<(Versioned<Groups>, bool), ()>,
) -> impl IntoView {
    let columns: Arc<Vec<Column>> = Arc::new(
        read.value
            .items
            .iter()
            .filter_map(|g| {
                Some(Column {
                    id: g.id?,
                    members: g.member_list().iter().map(|m| m.serial.clone()).collect(),
                    group: g.clone(),
                })
            })
            .collect(),
    );
    let names = Arc::new(names_of(&all));
    let rows: Arc<Vec<Row>> = Arc::new(
        all.items
            .iter()
            .map(|a| Row::new(a, membership::group_ids(a, &read.value.items).len()))
            .collect(),
    );
    let picked = {
        let rows = rows.clone();
        Memo::new(move |_| {
            let view = View {
                search: state.search.get(),
                ..View::default()
            };
            listing::select(&rows, &view)
        })
    };
    let page_rows = {
        let rows = rows.clone();
        Memo::new(move |_| {
            picked.with(|p| {
                let (_, slice) = listing::page_of(p, state.page.get(), PAGE_ROWS);
                slice
                    .iter()
                    .map(|&i| (rows[i].serial.clone(), rows[i].name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let page_count = move || picked.with(|p| listing::pages(p.len(), PAGE_ROWS));
    let shown_page = move || picked.with(|p| listing::page_of(p, state.page.get(), PAGE_ROWS).0);
    let read = StoredValue::new(read);
    let (bulk_columns, row_columns, pending_columns) =
        (columns.clone(), columns.clone(), columns.clone());

    let headers = columns
        .iter()
        .map(|c| {
            view! {
                <th scope="col" class="group-col" title=c.group.name.clone()>
                    <a href=paths::group(c.id)>{c.group.name.clone()}</a>
                </th>
            }
        })
        .collect_view();

    view! {
        <div class="matrix-tools">
            <label class="filter">
                <span>"Filter appliances"</span>
                <input
                    type="search"
                    placeholder="Name or serial"
                    prop:value=move || state.search.get()
                    on:input:target=move |ev| {
                        state.search.set(ev.target().value());
                        state.page.set(0);
                    }
                />
            </label>
            <span class="count" role="status">
                {move || format!("{} appliances", picked.with(Vec::len))}
            </span>
            <Bulk columns=bulk_columns state picked rows=rows.clone() />
        </div>
        <div class="matrix-scroll">
            <table class="matrix">
                <thead>
                    <tr>
                        <th scope="col" class="select-col">
                            <span class="visually-hidden">"Select"</span>
                        </th>
                        <th scope="col">"Appliance"</th>
                        {headers}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || 0..page_rows.with(Vec::len) key=|at| *at let:at>
                        <MatrixRow at page_rows columns=row_columns.clone() state />
                    </For>
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Pages">
            <button
                type="button"
                disabled=move || shown_page() == 0
                on:click=move |_| state.page.set(shown_page().saturating_sub(1))
            >
                "Previous"
            </button>
            <span>{move || format!("Page {} of {}", shown_page() + 1, page_count())}</span>
            <button
                type="button"
                disabled=move || { shown_page() + 1 >= page_count() }
                on:click=move |_| state.page.set(shown_page() + 1)
            >
                "Next"
            </button>
        </nav>
        <Pending columns=pending_columns names state run read />
    }
}

/// The row in one position of the page. Rows are kept by position, so a
/// new filter updates their cells in place rather than building them anew.
#[component]
fn MatrixRow(
    /// The row's position on the page.
    at: usize,
    /// The serial and name of each row on the page.
    page_rows: Memo<Vec<(String, String)>>,
    /// The groups across.
    columns: Arc<Vec<Column>>,
    /// The page's staged edits and selection.
    state: State,
) -> impl IntoView {
    let row = Memo::new(move |_| page_rows.with(|r| r.get(at).cloned().unwrap_or_default()));
    let selected =
        Memo::new(move |_| row.with(|(serial, _)| state.selected.with(|s| s.contains(serial))));
    let select = move |on: bool| {
        let serial = row.get_untracked().0;
        state.selected.update(|s| {
            if on {
                s.insert(serial);
            } else {
                s.remove(&serial);
            }
        })
    };
    let cells = (0..columns.len())
        .map(|i| {
            let id = columns[i].id;
            let staged = Memo::new(move |_| {
                row.with(|(serial, _)| state.staged.with(|s| s.staged_for(id, serial)))
            });
            let base = {
                let columns = columns.clone();
                Memo::new(move |_| row.with(|(serial, _)| columns[i].members.contains(serial)))
            };
            let label = {
                let columns = columns.clone();
                move || row.with(|(_, name)| format!("{name} in {}", columns[i].group.name))
            };
            let columns = columns.clone();
            let on_change = move |on: bool| {
                let serial = row.get_untracked().0;
                state
                    .staged
                    .update(|s| s.set(&columns[i].group, &serial, on));
            };
            view! {
                <td class="cell" class:staged=move || staged.get().is_some()>
                    <input
                        type="checkbox"
                        aria-label=label
                        prop:checked=move || staged.get().unwrap_or_else(|| base.get())
                        on:change:target=move |ev| on_change(ev.target().checked())
                    />
                </td>
            }
        })
        .collect_view();
    view! {
        <tr class:selected=selected>
            <td class="select-col">
                <input
                    type="checkbox"
                    aria-label=move || row.with(|(_, name)| format!("Select {name}"))
                    prop:checked=selected
                    on:change:target=move |ev| select(ev.target().checked())
                />
            </td>
            <th scope="row">
                <a href=move || row.with(|(serial, _)| paths::appliance(serial))>
                    {move || row.with(|(_, name)| name.clone())}
                </a>
                <span class="serial">{move || row.with(|(serial, _)| serial.clone())}</span>
            </th>
            {cells}
        </tr>
    }
}

/// Selecting many appliances and staging them into or out of one group.
#[component]
fn Bulk(
    columns: Arc<Vec<Column>>,
    state: State,
    picked: Memo<Vec<usize>>,
    rows: Arc<Vec<Row>>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let select_matching = move |_| {
        let serials: BTreeSet<String> =
            picked.with(|p| p.iter().map(|&i| rows[i].serial.clone()).collect());
        state.selected.set(serials);
    };
    let stage = {
        let columns = columns.clone();
        move |member: bool| {
            let Ok(id) = target.get_untracked().parse::<i64>() else {
                return;
            };
            let Some(column) = columns.iter().find(|c| c.id == id) else {
                return;
            };
            let serials = state.selected.get_untracked();
            state
                .staged
                .update(|s| s.set_all(&column.group, serials.iter().map(String::as_str), member));
        }
    };
    let stage_in = stage.clone();
    let options = columns
        .iter()
        .map(|c| view! { <option value=c.id.to_string()>{c.group.name.clone()}</option> })
        .collect_view();
    let none_selected = move || state.selected.with(BTreeSet::is_empty);
    let ready = move || none_selected() || target.get().is_empty();

    view! {
        <div class="bulk">
            <button type="button" on:click=select_matching>
                "Select all matching"
            </button>
            <button
                type="button"
                disabled=none_selected
                on:click=move |_| state.selected.set(BTreeSet::new())
            >
                "Clear selection"
            </button>
            <span>{move || format!("{} selected", state.selected.with(BTreeSet::len))}</span>
            <label>
                <span>"Group"</span>
                <select
                    prop:value=move || target.get()
                    on:change:target=move |ev| target.set(ev.target().value())
                >
                    <option value="">"Choose a group"</option>
                    {options}
                </select>
            </label>
            <button type="button" disabled=ready on:click=move |_| stage_in(true)>
                "Add selected to group"
            </button>
            <button type="button" disabled=ready on:click=move |_| stage(false)>
                "Remove selected from group"
            </button>
        </div>
    }
}

/// The staged diff of every changed group, Apply, and Undo.
#[component]
fn Pending(
    columns: Arc<Vec<Column>>,
    names: Arc<HashMap<String, String>>,
    state: State,
    run: Action<(Versioned<Groups>, bool), ()>,
    read: StoredValue<Versioned<Groups>>,
) -> impl IntoView {
    let diffs = Memo::new(move |_| {
        state.staged.with(|staged| {
            columns
                .iter()
                .filter_map(|c| {
                    let change = staged.get(c.id)?;
                    let diff = staging::diff(&c.group, change, |s| names.get(s).cloned());
                    (!diff.is_empty()).then(|| (c.id, c.group.clone(), diff))
                })
                .collect::<Vec<_>>()
        })
    });
    let sections = move || {
        diffs
            .get()
            .into_iter()
            .map(|(id, group, diff)| {
                let summary = diff.summary();
                let unstage_group = group.clone();
                let on_unstage = Callback::new(move |serial: String| {
                    let base = unstage_group.has_member(&serial);
                    state
                        .staged
                        .update(|s| s.set(&unstage_group, &serial, base));
                });
                view! {
                    <section class="staged" data-group=id>
                        <h3>
                            <a href=paths::group(id)>{group.name.clone()}</a>
                            ": "
                            <span class="diff-summary">{summary}</span>
                        </h3>
                        <StagedDiff diff=Signal::stored(diff) on_unstage />
                        <button
                            type="button"
                            aria-label=format!("Discard the changes to {}", group.name)
                            on:click=move |_| state.staged.update(|s| s.discard(id))
                        >
                            "Discard"
                        </button>
                    </section>
                }
            })
            .collect_view()
    };
    let busy = move || run.pending().get();
    // Staged changes the groups already hold (an apply whose answer was
    // lost, then read again) are nothing to apply.
    let nothing = move || diffs.with(Vec::is_empty);

    view! {
        <section class="pending" aria-labelledby="pending">
            <h2 id="pending">"Changes to apply"</h2>
            {move || {
                if nothing() {
                    view! { <p class="empty">"No staged changes."</p> }.into_any()
                } else {
                    sections().into_any()
                }
            }}
            <div class="actions">
                <button
                    type="button"
                    class="primary"
                    disabled=move || busy() || nothing()
                    on:click=move |_| {
                        run.dispatch((read.get_value(), false));
                    }
                >
                    {move || if busy() { "Applying…" } else { "Apply" }}
                </button>
                <Show when=move || !state.undo.with(Staged::is_empty)>
                    <button
                        type="button"
                        disabled=busy
                        on:click=move |_| {
                            run.dispatch((read.get_value(), true));
                        }
                    >
                        "Undo last apply"
                    </button>
                </Show>
            </div>
        </section>
    }
}
