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

/// A group the controller does not have: back to the groups.
pub const NO_SUCH_GROUP: crate::components::Missing = crate::components::Missing {
    what: "The controller has no group with this id: it may have been deleted.",
    href: "/groups",
    label: "Back to the groups",
};

/// An appliance the controller does not have: back to the appliances.
pub const NO_SUCH_APPLIANCE: crate::components::Missing = crate::components::Missing {
    what: "The controller has no appliance with this serial.",
    href: "/appliances",
    label: "Back to the appliances",
};

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
