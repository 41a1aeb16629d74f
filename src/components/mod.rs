//! Widgets that several pages share.

pub mod chart_controls;
pub mod chart_export;
pub mod chart_table;
pub mod fetched;
pub mod settings;
pub mod sign_in;
pub mod throughput_chart;

pub use chart_controls::{use_chart_query, ChartControls, ChartQueryState};
pub use fetched::{fetched, Failure, Loading};
pub use settings::SettingsList;
pub use sign_in::SignIn;
pub use throughput_chart::ThroughputChart;
