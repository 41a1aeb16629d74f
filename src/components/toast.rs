//! Short confirmations ("Saved", "Deleted") that outlive the page that
//! caused them: an editor navigates away after a save, and the next page
//! shows the toast.

use leptos::prelude::*;
use std::time::Duration;

/// How long a toast stays before it goes by itself.
const SHOWN_FOR: Duration = Duration::from_secs(8);

/// The toasts on screen, shared through the context by the app.
#[derive(Clone, Copy)]
pub struct Toasts {
    shown: RwSignal<Vec<(u64, String)>>,
    next: StoredValue<u64>,
}

impl Toasts {
    /// Creates the toasts and puts them in the context.
    pub fn provide() -> Toasts {
        let toasts = Toasts {
            shown: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        provide_context(toasts);
        toasts
    }

    /// The toasts the app put in the context.
    pub fn expect() -> Toasts {
        expect_context::<Toasts>()
    }

    /// Shows `text` for a few seconds.
    pub fn show(&self, text: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.shown.update(|shown| shown.push((id, text.into())));
        let this = *self;
        set_timeout(move || this.dismiss(id), SHOWN_FOR);
    }

    fn dismiss(&self, id: u64) {
        self.shown
            .try_update(|shown| shown.retain(|(i, _)| *i != id));
    }
}

/// Where toasts appear: a polite live region, so a screen reader reads
/// each one once, each with a button to dismiss it.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::expect();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.shown.get() key=|(id, _)| *id let:toast>
                <p class="toast">
                    <span>{toast.1}</span>
                    <button
                        type="button"
                        class="toast-close"
                        aria-label="Dismiss"
                        on:click=move |_| toasts.dismiss(toast.0)
                    >
                        "×"
                    </button>
                </p>
            </For>
        </div>
    }
}
