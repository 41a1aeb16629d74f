//! Asks before a page with unsaved changes is left, however it is left: a
//! reload or a closed tab (`beforeunload`), a link inside the console (a
//! click, caught before the router sees it), or the browser's back and
//! forward buttons (`popstate`, on a copy of the page's history entry).

use leptos::ev;
use leptos::prelude::*;
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

    // The back button cannot be stopped once pressed, and the router hears
    // of it first. So while there is something to lose, the page stands on
    // a copy of its own history entry: back lands on the same address, the
    // router sees nothing to do, and this listener asks. Staying puts the
    // copy back; leaving goes back once more, for real.
    let armed = StoredValue::new(false);
    let leaving = StoredValue::new(false);
    Effect::new(move |_| {
        if dirty.get() && !armed.get_value() {
            arm(armed);
        }
    });
    let popstate = capture_listener("popstate", move |_: Event| {
        if !armed.get_value() || leaving.get_value() {
            return;
        }
        armed.set_value(false);
        if dirty.get_untracked() && !confirm(question) {
            arm(armed);
        } else {
            leaving.set_value(true);
            let _ = window().history().and_then(|h| h.back());
        }
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

/// Puts a copy of the current history entry on top, for back to land on.
///
/// FIXME: the copy stays in the history when the page is left another way
/// (a confirmed link, a save), so back from the next page takes two steps
/// through this address. Browsers offer no way to remove an entry; the cost
/// is one extra step, never a lost edit.
fn arm(armed: StoredValue<bool>) {
    let here = window().location().href().ok();
    let pushed = window()
        .history()
        .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", here.as_deref()));
    armed.set_value(pushed.is_ok());
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
