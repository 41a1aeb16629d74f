//! One module per route: signals, resources and the view.

pub mod appliance;
pub mod appliances;
pub mod group;
pub mod group_edit;
pub mod groups;
pub mod matrix;
pub mod not_found;

pub use appliance::AppliancePage;
pub use appliances::AppliancesPage;
pub use group::GroupPage;
pub use group_edit::{GroupEditPage, NewGroupPage};
pub use groups::GroupsPage;
pub use matrix::MatrixPage;
pub use not_found::NotFoundPage;

/// The group id in the address (`/groups/{id}...`), or `None` when it is not a number.
pub fn use_group_id() -> leptos::prelude::Memo<Option<i64>> {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    })
}
