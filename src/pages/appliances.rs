//! `/appliances`: every appliance with its serial and its groups.

use crate::api::{self, Client};
use crate::components::{fetched, set_page_title};
use crate::{membership, paths};
use leptos::prelude::*;
use model::{Appliance, Group};

/// The list of appliances.
#[component]
pub fn AppliancesPage() -> impl IntoView {
    let client = Client::expect();
    let appliances = LocalResource::new(move || api::appliances(client));
    let groups = LocalResource::new(move || api::groups(client));
    set_page_title(|| "Appliances".into());

    view! {
        <h1>"Appliances"</h1>
        {fetched(appliances, move |appliances| {
            fetched(
                groups,
                move |groups| {
                    view! { <ApplianceTable appliances=appliances.items.clone() groups=groups.items /> }
                },
            )
        })}
    }
}

#[component]
fn ApplianceTable(appliances: Vec<Appliance>, groups: Vec<Group>) -> impl IntoView {
    if appliances.is_empty() {
        return view! { <p class="empty">"No appliances are registered."</p> }.into_any();
    }
    let rows = appliances
        .into_iter()
        .map(|appliance| {
            let links = group_links(&membership::group_ids(&appliance, &groups), &groups);
            view! {
                <tr>
                    <th scope="row">
                        <a href=paths::appliance(&appliance.serial)>
                            {appliance.display_name().to_string()}
                        </a>
                    </th>
                    <td class="serial">{appliance.serial.clone()}</td>
                    <td>{links}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Serial"</th>
                    <th scope="col">"Groups"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
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
