//! `/groups`: every group with its size and its main rekey settings.

use crate::api::{self, Client};
use crate::components::{fetched, set_page_title};
use crate::{paths, units};
use leptos::prelude::*;
use model::{Group, Setting};

/// The list of groups.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let client = Client::expect();
    let groups = LocalResource::new(move || api::groups(client));
    set_page_title(|| "Groups".into());

    view! {
        <h1>"Groups"</h1>
        <div class="page-actions">
            <a class="button primary" href=paths::new_group()>"New group"</a>
        </div>
        {fetched(groups, |groups| view! { <GroupTable groups=groups.items /> })}
    }
}

/// The settings shown as columns of the list, the most telling ones.
const COLUMNS: [Setting; 3] = [
    Setting::KeyAutoExpiry,
    Setting::DataRekeyVolume,
    Setting::KeepaliveInterval,
];

#[component]
fn GroupTable(groups: Vec<Group>) -> impl IntoView {
    if groups.is_empty() {
        return view! { <p class="empty">"No groups are configured."</p> }.into_any();
    }
    let headers = COLUMNS.map(|s| view! { <th scope="col" title=s.description()>{s.label()}</th> });
    let rows = groups
        .into_iter()
        .map(|group| view! { <GroupRow group /> })
        .collect_view();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col" class="number">"Members"</th>
                    {headers.into_iter().collect_view()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn GroupRow(group: Group) -> impl IntoView {
    let name = match group.id {
        Some(id) => view! { <a href=paths::group(id)>{group.name.clone()}</a> }.into_any(),
        None => view! { <span>{group.name.clone()}</span> }.into_any(),
    };
    let cells = COLUMNS.map(|setting| match setting.get(&group) {
        Some(v) => view! {
            <td title=units::exact_setting(setting, v)>{units::setting(setting, v)}</td>
        }
        .into_any(),
        None => view! { <td class="unset">"Not set"</td> }.into_any(),
    });
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td class="number">{group.member_list().len()}</td>
            {cells.into_iter().collect_view()}
        </tr>
    }
}
