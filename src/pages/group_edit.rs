//! `/groups/new` and `/groups/{id}/edit`: the group editor, fed with what
//! it starts from.

use crate::api::{self, ApiError, Client};
use crate::components::{fetched, fetched_item, set_page_title, GroupEditor};
use crate::pages::{use_group_id, NotFoundPage, NO_SUCH_GROUP};
use leptos::prelude::*;

/// A form for a new group; the other groups' names are read first, since
/// the new one may not take any of them.
#[component]
pub fn NewGroupPage() -> impl IntoView {
    let client = Client::expect();
    let groups = LocalResource::new(move || api::groups(client));
    let names = first_answer(groups);
    set_page_title(|| "New group · Groups".into());
    view! {
        <h1>"New group"</h1>
        {move || match names.get() {
            Some(groups) => {
                let names = groups.items.into_iter().map(|g| g.name).collect();
                view! { <GroupEditor base=None names /> }.into_any()
            }
            None => fetched(groups, |_| ()).into_any(),
        }}
    }
}

/// The first successful answer of `resource`, kept from then on: a later
/// fetch (after a sign-in brings a new token) must not replace the editor,
/// and with it what was typed.
fn first_answer<T>(resource: LocalResource<Result<T, ApiError>>) -> Memo<Option<T>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |kept: Option<&Option<T>>| match kept {
        Some(Some(kept)) => Some(kept.clone()),
        _ => resource.get().and_then(Result::ok),
    })
}

/// The editor of the group named by the address, read with its revision.
#[component]
pub fn GroupEditPage() -> impl IntoView {
    let id = use_group_id();
    move || match id.get() {
        Some(id) => view! { <EditView id /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn EditView(id: i64) -> impl IntoView {
    let client = Client::expect();
    let group = LocalResource::new(move || api::group_versioned(client, id));
    let title = move || match group.get() {
        Some(Ok(g)) => format!("Edit {}", g.value.name),
        _ => format!("Edit group {id}"),
    };
    let started = first_answer(group);
    set_page_title(move || format!("{} · Groups", title()));
    view! {
        <h1>{title}</h1>
        {move || match started.get() {
            Some(group) => view! { <GroupEditor base=Some(group) names=Vec::new() /> }.into_any(),
            None => fetched_item(group, NO_SUCH_GROUP, |_| ()).into_any(),
        }}
    }
}
