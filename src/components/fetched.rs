//! What a page shows while a resource loads, when it failed, and once it
//! is there.

use crate::api::ApiError;
use leptos::prelude::*;

/// Shown while a request is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}

/// A failed request, in words, with a way to try again. A request refused
/// for want of a sign-in says so quietly: the sign-in dialog is the one
/// that speaks, and a new token fetches everything again by itself.
#[component]
pub fn Failure(
    /// What went wrong.
    error: ApiError,
    /// Runs when the user asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    if error.needs_sign_in() {
        return view! { <p class="notice" role="status">"Sign in to see this page."</p> }
            .into_any();
    }
    let detail = error.detail();
    view! {
        <div class="failure" role="alert">
            <p class="failure-message">{error.user_message()}</p>
            {detail.map(|d| view! { <p class="failure-detail">{d}</p> })}
            <button type="button" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
    .into_any()
}

/// Shows `resource`: "Loading…" until it answers, then `show` of its value,
/// or what went wrong with a "Retry" button.
pub fn fetched<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(value)) => show(value).into_any(),
        Some(Err(error)) => {
            let on_retry = Callback::new(move |()| resource.refetch());
            view! { <Failure error on_retry /> }.into_any()
        }
    }
}
