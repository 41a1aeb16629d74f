//! The banner that says when the controller cannot be reached.

use crate::api::Client;
use leptos::prelude::*;

/// A status line, empty while the controller answers, that says so while
/// the latest request found no controller (no answer, or a gateway error)
/// and whether reads are being retried. It clears by itself with the next
/// answer; the page that failed still says what failed, with its Retry.
#[component]
pub fn ConnectivityBanner() -> impl IntoView {
    let client = Client::expect();
    let text = move || {
        if !client.unreachable() {
            ""
        } else if client.retrying() {
            "Cannot reach the controller. Retrying…"
        } else {
            "Cannot reach the controller. Use Retry once the connection is back."
        }
    };
    view! {
        <div class="connectivity" role="status" aria-live="polite">
            {text}
        </div>
    }
}
