//! The sign-in dialog, shown over the page when the controller asks for a
//! token.

use crate::api::{self, Client};
use leptos::html;
use leptos::prelude::*;

/// Asks for the access code, signs in with it, and says in words why the
/// controller refused it. A successful sign-in makes every page fetch again.
#[component]
pub fn SignIn() -> impl IntoView {
    let client = Client::expect();
    let code = RwSignal::new(String::new());
    let sign_in = Action::new_local(move |code: &String| api::sign_in(client, code));
    let refusal = move || sign_in.value().get().and_then(Result::err);
    let input = NodeRef::<html::Input>::new();
    input.on_load(|input| {
        let _ = input.focus();
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = code.get_untracked();
        if !text.trim().is_empty() {
            sign_in.dispatch(text.trim().to_string());
        }
    };
    view! {
        <div class="overlay">
            <form
                class="sign-in"
                role="dialog"
                aria-modal="true"
                aria-labelledby="sign-in-title"
                on:submit=submit
            >
                <h2 id="sign-in-title">"Sign in"</h2>
                <p>"The controller asks for the access code it printed when it started."</p>
                <label for="access-code">"Access code"</label>
                <input
                    id="access-code"
                    type="password"
                    autocomplete="off"
                    required
                    node_ref=input
                    prop:value=code
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
                {move || {
                    refusal()
                        .map(|e| view! { <p class="failure-message" role="alert">{e.user_message()}</p> })
                }}
                <button type="submit" disabled=move || sign_in.pending().get()>
                    "Sign in"
                </button>
            </form>
        </div>
    }
}
