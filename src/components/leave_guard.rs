//! Asks before a page with unsaved changes is left, however it is left: a
//! reload or a closed tab (`beforeunload`), a link inside the console (a
//! click, caught before the router sees it), or the browser's back and
//! forward buttons (`popstate`, caught before the router sees it).

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AddEventListenerOptions, Event, HtmlAnchorElement, MouseEvent};

/// While `dirty` holds, leaving the page asks `question` first; answering
/// no keeps the page as it is, with everything typed.
#[component]
pub fn LeaveGuard(
    /// Whether leaving now would lose something.
    #[prop(into)]
    dirty: Signal<bool>,
    /// The question asked before leaving.
    question: &'static str,
) -> impl IntoView {
    let unload = window_event_listener(ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            // Browsers show their own words; the text is for older ones.
            ev.prevent_default();
            ev.set_return_value(question);
        }
    });
    on_cleanup(move || unload.remove());

    let click = capture_listener("click", move |ev: Event| {
        let Some(ev) = ev.dyn_ref::<MouseEvent>() else {
            return;
        };
        if !dirty.get_untracked() || !leaves_page(ev) || confirm(question) {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
    });

    // The router's idea of the address is this page's until it hears of
    // a move; the browser's address may already show the next page.
    let location = use_location();
    let popstate = capture_listener("popstate", move |ev: Event| {
        if !dirty.get_untracked() || confirm(question) {
            return;
        }
        // The address already shows the other page: put this one back
        // before the router hears of the move.
        ev.stop_immediate_propagation();
        let here = format!(
            "{}{}{}",
            location.pathname.get_untracked(),
            prefixed('?', location.search.get_untracked()),
            prefixed('#', location.hash.get_untracked())
        );
        let _ = window()
            .history()
            .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(&here)));
    });
    on_cleanup(move || {
        drop(click);
        drop(popstate);
    });
}

/// Whether a click follows a link to another page of the console in this
/// tab (other clicks, new tabs and downloads leave nothing behind, and
/// links out of the console meet `beforeunload`).
fn leaves_page(ev: &MouseEvent) -> bool {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return false;
    }
    let path = ev.composed_path();
    let anchor = (0..path.length()).find_map(|i| path.get(i).dyn_into::<HtmlAnchorElement>().ok());
    let Some(a) = anchor else {
        return false;
    };
    let location = window().location();
    let same_origin = location.origin().ok() == Some(a.origin());
    let same_page = location.href().ok() == Some(a.href());
    a.target().is_empty()
        && !a.has_attribute("download")
        && !a.href().is_empty()
        && same_origin
        && !same_page
}

/// `part` of an address with its leading mark, whether or not the router
/// kept it; empty stays empty.
fn prefixed(mark: char, part: String) -> String {
    if part.is_empty() || part.starts_with(mark) {
        part
    } else {
        format!("{mark}{part}")
    }
}

/// The browser's own yes-or-no question; no answer counts as no.
fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// A listener on the window in the capture phase, so that it runs before
/// the router's; removed when the returned value is dropped.
fn capture_listener(name: &'static str, f: impl Fn(Event) + 'static) -> SendWrapper<Listener> {
    let closure = Closure::<dyn Fn(Event)>::new(f);
    let options = AddEventListenerOptions::new();
    options.set_capture(true);
    let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
        name,
        closure.as_ref().unchecked_ref(),
        &options,
    );
    SendWrapper::new(Listener { name, closure })
}

/// A window listener that removes itself when dropped.
struct Listener {
    name: &'static str,
    closure: Closure<dyn Fn(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = window().remove_event_listener_with_callback_and_bool(
            self.name,
            self.closure.as_ref().unchecked_ref(),
            true,
        );
    }
}
