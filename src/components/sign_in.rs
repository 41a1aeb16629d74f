//! Signing in when the controller asks for a token: a modal dialog over the
//! page, and, when the person closes it without signing in, a line that
//! says a sign-in is needed with a button that opens it again.

use crate::api::{self, Client};
use crate::components::Modal;
use leptos::html;
use leptos::prelude::*;

/// Whatever the controller's demand for a sign-in calls for: nothing, the
/// dialog, or (once the dialog was closed with Escape) a notice with a
/// "Sign in" button. Nothing on the page is lost either way: a new token
/// makes every page fetch again by itself, and drafts stay where they are.
#[component]
pub fn SignInGate() -> impl IntoView {
    let client = Client::expect();
    let postponed = RwSignal::new(false);
    let wanted = move || client.sign_in_wanted();
    // The notice's button takes focus from the closed dialog, once the
    // dialog has given it back, so that Enter opens the dialog again.
    let again = NodeRef::<html::Button>::new();
    again.on_load(|button| {
        request_animation_frame(move || {
            let _ = button.focus();
        });
    });

    view! {
        <Show when=move || wanted() && postponed.get()>
            <div class="sign-in-needed" role="status">
                <p>"The controller asks for a sign-in before it answers."</p>
                <button
                    type="button"
                    class="primary"
                    node_ref=again
                    on:click=move |_| postponed.set(false)
                >
                    "Sign in"
                </button>
            </div>
        </Show>
        <Show when=move || wanted() && !postponed.get()>
            <SignIn on_close=Callback::new(move |()| postponed.set(true)) />
        </Show>
    }
}

/// Asks for the access code, signs in with it, and says in words why the
/// controller refused it. A successful sign-in makes every page fetch again.
#[component]
fn SignIn(
    /// Runs when the person closes the dialog without signing in.
    on_close: Callback<()>,
) -> impl IntoView {
    let client = Client::expect();
    let code = RwSignal::new(String::new());
    let sign_in = Action::new_local(move |code: &String| api::sign_in(client, code));
    let refusal = move || sign_in.value().get().and_then(Result::err);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = code.get_untracked();
        if !text.trim().is_empty() {
            sign_in.dispatch(text.trim().to_string());
        }
    };
    view! {
        <Modal class="dialog sign-in" labelledby="sign-in-title" describedby="sign-in-why" on_close>
            <form on:submit=submit>
                <h2 id="sign-in-title">"Sign in"</h2>
                <p id="sign-in-why">
                    "The controller asks for the access code it printed when it started."
                </p>
                <label for="access-code">"Access code"</label>
                <input
                    id="access-code"
                    type="password"
                    autocomplete="off"
                    autofocus
                    required
                    prop:value=code
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
                <div role="alert" class="sign-in-refusal">
                    {move || {
                        refusal().map(|e| view! { <p class="failure-message">{e.user_message()}</p> })
                    }}
                </div>
                <button type="submit" disabled=move || sign_in.pending().get()>
                    "Sign in"
                </button>
            </form>
        </Modal>
    }
}
