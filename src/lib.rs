//! The Secure Transport administration console: a Leptos single-page
//! application for the `cmc.sectransport` 2.0 API.
//!
//! `api` is the only module that speaks HTTP and `chart` the only one that
//! draws; the pure modules (`units`, `rates`, `decimate`, `series`,
//! `membership`, `staging`, `listing`, `parse`, `draft`, `readback`,
//! `timerange`, `retry`, `probe`) hold the arithmetic, the editing logic and
//! the timing of retries, and are tested natively; `apply`
//! runs a staging plan through `api`; `pages` hold one route each and
//! `components` what several pages share.

pub mod api;
pub mod app;
pub mod apply;
pub mod bench;
pub mod chart;
pub mod clock;
pub mod components;
pub mod decimate;
pub mod draft;
pub mod listing;
pub mod membership;
pub mod pages;
pub mod parse;
pub mod paths;
pub mod probe;
pub mod rates;
pub mod readback;
pub mod retry;
pub mod series;
pub mod staging;
pub mod timerange;
pub mod units;

/// Mounts the console on the page's `<body>`.
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
