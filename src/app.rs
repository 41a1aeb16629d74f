//! The router, the layout and the contexts (the API client, the toasts).

use crate::api::Client;
use crate::components::{ConnectivityBanner, SignIn, ToastRegion, Toasts};
use crate::pages::{
    AppliancePage, AppliancesPage, GroupEditPage, GroupPage, GroupsPage, MatrixPage, NewGroupPage,
    NotFoundPage,
};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;

/// The whole console: a navigation bar, a connectivity banner, the page of
/// the current route, and the sign-in dialog whenever the controller asks for a token.
#[component]
pub fn App() -> impl IntoView {
    let client = Client::new();
    provide_context(client);
    Toasts::provide();

    view! {
        <Router>
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
                <main>
                    <ConnectivityBanner />
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
            <Show when=move || client.sign_in_wanted()>
                <SignIn />
            </Show>
        </Router>
    }
}
