//! A modal dialog: the browser's own `<dialog>`, opened with `showModal()`,
//! which keeps focus inside it, makes the page behind it inert and closes
//! it on Escape. Whichever way it goes, focus goes back to the element that
//! had it before, or to the page's heading when that element is gone.

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// A modal `<dialog>`, open for as long as it is rendered. The element
/// inside marked `autofocus` takes focus when it opens.
#[component]
pub fn Modal(
    /// The dialog's role: `dialog`, or `alertdialog` for a question that
    /// interrupts the work.
    #[prop(default = "dialog")]
    role: &'static str,
    /// The CSS classes of the `<dialog>`.
    #[prop(default = "dialog")]
    class: &'static str,
    /// The id of the heading that names the dialog.
    labelledby: &'static str,
    /// The id of the text that says what the dialog is about, if any.
    #[prop(optional)]
    describedby: Option<&'static str>,
    /// Runs when the person closes the dialog (Escape, or a button that
    /// calls `close()` on it), not when the page removes it.
    on_close: Callback<()>,
    /// The `<dialog>` element, for a button that closes it.
    #[prop(optional)]
    node_ref: NodeRef<html::Dialog>,
    /// What the dialog holds.
    children: Children,
) -> impl IntoView {
    // Set once the dialog is being removed: its own close() then is not
    // the person's.
    let removed = Rc::new(Cell::new(false));
    let opener = Rc::new(RefCell::new(None::<web_sys::HtmlElement>));

    {
        let opener = opener.clone();
        node_ref.on_load(move |dialog| {
            opener.replace(focused());
            let _ = dialog.show_modal();
        });
    }
    {
        let held = SendWrapper::new((removed.clone(), opener));
        on_cleanup(move || {
            let (removed, opener) = held.take();
            removed.set(true);
            if let Some(dialog) = node_ref.get_untracked() {
                if dialog.open() {
                    dialog.close();
                }
            }
            give_focus_back(opener.take());
        });
    }
    let removed = SendWrapper::new(removed);

    view! {
        <dialog
            node_ref=node_ref
            class=class
            role=role
            aria-labelledby=labelledby
            aria-describedby=describedby
            on:close=move |_| {
                if !removed.get() {
                    on_close.run(());
                }
            }
        >
            {children()}
        </dialog>
    }
}

/// The element that has focus, unless it is the page itself.
fn focused() -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    let active = document.active_element()?;
    if document.body().is_some_and(|b| *b == active) {
        return None;
    }
    active.dyn_into().ok()
}

/// Focuses `opener` if it is still on the page, otherwise the page's
/// heading (made focusable for it), otherwise its main region.
fn give_focus_back(opener: Option<web_sys::HtmlElement>) {
    if let Some(opener) = opener.filter(|o| o.is_connected()) {
        let _ = opener.focus();
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let target = ["main h1", "main"]
        .iter()
        .find_map(|selector| document.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(target) = target {
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        let _ = target.focus();
    }
}
