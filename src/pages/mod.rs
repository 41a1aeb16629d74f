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
