//! Any address the console does not know.

use crate::components::set_page_title;
use leptos::prelude::*;

/// Says the page does not exist and links to the lists.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_title(|| "Page not found".into());
    view! {
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address."</p>
        <ul class="way-back">
            <li>
                <a href="/groups">"Go to the groups"</a>
            </li>
            <li>
                <a href="/appliances">"Go to the appliances"</a>
            </li>
        </ul>
    }
}
