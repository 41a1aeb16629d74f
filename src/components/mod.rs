//! Widgets that several pages share.

pub mod appliance_groups;
pub mod chart_controls;
pub mod chart_export;
pub mod chart_table;
pub mod connectivity;
pub mod delete_group;
pub mod dialog;
pub mod fetched;
pub mod field;
pub mod group_editor;
pub mod group_members;
pub mod leave_guard;
pub mod membership;
pub mod settings;
pub mod sign_in;
pub mod throughput_chart;
pub mod title;
pub mod toast;

pub use appliance_groups::ApplianceGroups;
pub use chart_controls::{use_chart_query, ChartControls, ChartQueryState, ChartsOf};
pub use connectivity::ConnectivityBanner;
pub use delete_group::DeleteGroup;
pub use dialog::Modal;
pub use fetched::{fetched, fetched_item, Failure, Gone, Loading, Missing};
pub use field::BoundedField;
pub use group_editor::GroupEditor;
pub use group_members::GroupMembers;
pub use leave_guard::LeaveGuard;
pub use membership::{AppliancePicker, ApplyReport, Choice, StagedDiff, UnsavedReport};
pub use settings::SettingsList;
pub use sign_in::SignInGate;
pub use throughput_chart::ThroughputChart;
pub use title::set_page_title;
pub use toast::{ToastRegion, Toasts};
