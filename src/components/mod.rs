//! Widgets that several pages share.

pub mod fetched;
pub mod settings;
pub mod sign_in;
pub mod throughput_chart;
pub mod title;

pub use fetched::{fetched, Failure, Loading};
pub use settings::SettingsList;
pub use sign_in::SignIn;
pub use throughput_chart::ThroughputChart;
pub use title::set_page_title;
