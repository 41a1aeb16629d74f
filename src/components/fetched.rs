//! What a page shows while a resource loads, when it failed (or what it
//! shows does not exist), and once it is there.

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

/// Where to go instead when the thing a page shows does not exist: a
/// retry would only be refused again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Missing {
    /// What the controller does not know, as a sentence.
    pub what: &'static str,
    /// The list to go back to.
    pub href: &'static str,
    /// The link's text.
    pub label: &'static str,
}

/// A 404: what is missing and a link back to its list.
#[component]
pub fn Gone(
    /// What is missing and where to go instead.
    missing: Missing,
) -> impl IntoView {
    view! {
        <div class="failure" role="alert">
            <p class="failure-message">{missing.what}</p>
            <p>
                <a href=missing.href>{missing.label}</a>
            </p>
        </div>
    }
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
    shown(resource, None, show)
}

/// [`fetched`] for one item of a list: an answer that it does not exist
/// (404) offers the way back to the list instead of a Retry.
pub fn fetched_item<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    missing: Missing,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    shown(resource, Some(missing), show)
}

fn shown<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    missing: Option<Missing>,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match (resource.get(), missing) {
        (None, _) => view! { <Loading /> }.into_any(),
        (Some(Ok(value)), _) => show(value).into_any(),
        (Some(Err(error)), Some(missing)) if error.status() == Some(404) => {
            view! { <Gone missing /> }.into_any()
        }
        (Some(Err(error)), _) => {
            let on_retry = Callback::new(move |()| resource.refetch());
            view! { <Failure error on_retry /> }.into_any()
        }
    }
}
