//! The router, the layout and the contexts (the API client, the toasts).

use crate::api::Client;
use crate::components::{ConnectivityBanner, SignInGate, ToastRegion, Toasts};
use crate::pages::{
    AppliancePage, AppliancesPage, GroupEditPage, GroupPage, GroupsPage, MatrixPage, NewGroupPage,
    NotFoundPage,
};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;

/// The whole console: a "Skip to content" link, a navigation bar, a
/// connectivity banner, the page of the current route, and the sign-in
/// dialog whenever the controller asks for a token.
#[component]
pub fn App() -> impl IntoView {
    let client = Client::new();
    provide_context(client);
    Toasts::provide();

    view! {
        <Router>
            <FocusOnNavigation />
            <a class="skip-link" href="#content" on:click=skip_to_content>
                "Skip to content"
            </a>
            <div class="shell">
                <header class="sidebar">
                    <a class="brand" href="/">
                        "Secure Transport"
                    </a>
                    <nav aria-label="Main">
                        <ul>
                            <li>
                                <A href="/groups">"Groups"</A>
                            </li>
                            <li>
                                <A href="/appliances">"Appliances"</A>
                            </li>
                            <li>
                                <A href="/membership">"Membership"</A>
                            </li>
                        </ul>
                    </nav>
                </header>
                <main id="content" tabindex="-1">
                    <ConnectivityBanner />
                    <SignInGate />
                    <Routes fallback=|| view! { <NotFoundPage /> }>
                        <Route path=path!("/") view=|| view! { <Redirect path="/groups" /> } />
                        <Route path=path!("/groups") view=GroupsPage />
                        <Route path=path!("/groups/new") view=NewGroupPage />
                        <Route path=path!("/groups/:id") view=GroupPage />
                        <Route path=path!("/groups/:id/edit") view=GroupEditPage />
                        <Route path=path!("/appliances") view=AppliancesPage />
                        <Route path=path!("/appliances/:serial") view=AppliancePage />
                        <Route path=path!("/membership") view=MatrixPage />
                    </Routes>
                </main>
            </div>
            <ToastRegion />
        </Router>
    }
}

/// After the address moves to another page, focus moves to that page's
/// heading (or its main region), as a page load puts a screen reader at
/// the top: otherwise it stays on a link that is gone, which leaves it on
/// the document's body. A new query on the same page (a chart's range)
/// moves nothing.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            // After the new page is on screen.
            request_animation_frame(focus_page_heading);
        }
        path
    });
}

fn focus_page_heading() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let target = document
        .query_selector("main h1")
        .ok()
        .flatten()
        .or_else(|| document.get_element_by_id("content"));
    if let Some(element) =
        target.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        if !element.has_attribute("tabindex") {
            let _ = element.set_attribute("tabindex", "-1");
        }
        let _ = element.focus();
    }
}

/// Moves focus to the page's main region, past the navigation, without
/// the router taking the link for a new address.
fn skip_to_content(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    let main = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("content"));
    if let Some(main) =
        main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
    {
        let _ = main.focus();
    }
}
