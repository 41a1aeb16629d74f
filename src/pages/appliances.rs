//! `/appliances`: every appliance with its serial and its groups; searched
//! by name or serial, sorted by any column, filtered to those in no group.
//! The view lives in the address's query (`?q=…&sort=…&order=desc&
//! ungrouped=1&page=…`), so a link or a reload shows the same rows. One
//! page of rows is rendered at a time.

use crate::api::{self, Client};
use crate::components::{fetched, set_page_title};
use crate::listing::{self, Column, Row, View, PAGE_SIZE};
use crate::{membership, paths};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use model::{Appliance, Group};
use std::collections::HashMap;
use std::sync::Arc;

/// The list of appliances.
#[component]
pub fn AppliancesPage() -> impl IntoView {
    let client = Client::expect();
    // Both lists in one resource, so that one Retry reads again whichever
    // of them failed.
    let lists = LocalResource::new(move || {
        let appliances = api::appliances(client);
        let groups = api::groups(client);
        async move {
            let (appliances, groups) = futures::future::join(appliances, groups).await;
            Ok::<_, api::ApiError>((appliances?, groups?))
        }
    });
    set_page_title(|| "Appliances".into());

    view! {
        <h1>"Appliances"</h1>
        {fetched(lists, move |(appliances, groups)| {
            view! { <ApplianceTable appliances=appliances.items groups=groups.items /> }
        })}
    }
}

#[component]
fn ApplianceTable(appliances: Vec<Appliance>, groups: Vec<Group>) -> impl IntoView {
    if appliances.is_empty() {
        return view! { <p class="empty">"No appliances are registered."</p> }.into_any();
    }
    let query = use_query_map();
    let navigate = use_navigate();
    let view = Memo::new(move |_| {
        query.with(|q| {
            let keys = ["q", "sort", "order", "ungrouped", "page"];
            let pairs: Vec<(&str, String)> = keys
                .iter()
                .filter_map(|k| q.get(k).map(|v| (*k, v)))
                .collect();
            View::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    let go = move |next: View| {
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..NavigateOptions::default()
        };
        navigate(&paths::appliances(&next.to_query()), options);
    };

    let memberships: Arc<HashMap<String, Vec<i64>>> = Arc::new(
        appliances
            .iter()
            .map(|a| (a.serial.clone(), membership::group_ids(a, &groups)))
            .collect(),
    );
    let rows: Arc<Vec<Row>> = Arc::new(
        appliances
            .iter()
            .map(|a| Row::new(a, memberships[&a.serial].len()))
            .collect(),
    );
    let groups = Arc::new(groups);
    let picked = {
        let rows = rows.clone();
        Memo::new(move |_| listing::select(&rows, &view.get()))
    };
    let page = move || picked.with(|p| listing::page_of(p, view.get().page, PAGE_SIZE).0);
    let page_count = move || picked.with(|p| listing::pages(p.len(), PAGE_SIZE));
    let shown = {
        let rows = rows.clone();
        move || {
            picked.with(|p| {
                let (_, slice) = listing::page_of(p, view.get().page, PAGE_SIZE);
                slice.iter().map(|&i| rows[i].clone()).collect::<Vec<_>>()
            })
        }
    };

    let header = {
        let go = go.clone();
        move |column: Column, label: &'static str| {
            let go = go.clone();
            let sort = move || {
                let v = view.get();
                match (v.sort == column, v.descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                }
            };
            view! {
                <th scope="col" aria-sort=sort>
                    <button
                        type="button"
                        class="sort"
                        on:click=move |_| go(view.get_untracked().sorted_by(column))
                    >
                        {label}
                        <span class="sort-mark" aria-hidden="true">
                            {move || match sort() {
                                "ascending" => "▲",
                                "descending" => "▼",
                                _ => "",
                            }}
                        </span>
                    </button>
                </th>
            }
        }
    };
    let (go_search, go_filter, go_prev, go_next) = (go.clone(), go.clone(), go.clone(), go);

    view! {
        <div class="list-tools">
            <label class="filter">
                <span>"Search"</span>
                <input
                    type="search"
                    placeholder="Name or serial"
                    prop:value=move || view.get().search
                    on:input:target=move |ev| {
                        go_search(View {
                            search: ev.target().value(),
                            page: 0,
                            ..view.get_untracked()
                        })
                    }
                />
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || view.get().no_group
                    on:change:target=move |ev| {
                        go_filter(View {
                            no_group: ev.target().checked(),
                            page: 0,
                            ..view.get_untracked()
                        })
                    }
                />
                <span>"Only appliances in no group"</span>
            </label>
            <span class="count" role="status">
                {move || format!("{} of {} appliances", picked.with(Vec::len), rows.len())}
            </span>
        </div>
        <table class="list appliances">
            <thead>
                <tr>
                    {header(Column::Name, "Name")}
                    {header(Column::Serial, "Serial")}
                    {header(Column::Groups, "Groups")}
                </tr>
            </thead>
            <tbody>
                <For each=shown key=|r| r.serial.clone() let:row>
                    {
                        let links = group_links(&memberships[&row.serial], &groups);
                        view! {
                            <tr>
                                <th scope="row">
                                    <a href=paths::appliance(&row.serial)>{row.name.clone()}</a>
                                </th>
                                <td class="serial">{row.serial.clone()}</td>
                                <td class="wrap">{links}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
        <Show when=move || picked.with(Vec::is_empty)>
            <p class="empty">"No appliance matches."</p>
        </Show>
        <nav class="pager" aria-label="Pages">
            <button
                type="button"
                disabled=move || page() == 0
                on:click=move |_| {
                    go_prev(View {
                        page: page().saturating_sub(1),
                        ..view.get_untracked()
                    })
                }
            >
                "Previous"
            </button>
            <span>{move || format!("Page {} of {}", page() + 1, page_count())}</span>
            <button
                type="button"
                disabled=move || { page() + 1 >= page_count() }
                on:click=move |_| {
                    go_next(View {
                        page: page() + 1,
                        ..view.get_untracked()
                    })
                }
            >
                "Next"
            </button>
        </nav>
    }
    .into_any()
}

/// Links to the groups with these ids, named when the group is known;
/// "None" for no group.
pub fn group_links(ids: &[i64], groups: &[Group]) -> AnyView {
    if ids.is_empty() {
        return view! { <span class="unset">"None"</span> }.into_any();
    }
    let links = ids
        .iter()
        .map(|&id| {
            let name = membership::find(groups, id)
                .map_or_else(|| format!("Group {id}"), |g| g.name.clone());
            view! {
                <li>
                    <a href=paths::group(id)>{name}</a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="inline">{links}</ul> }.into_any()
}
