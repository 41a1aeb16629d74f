//! The banner that says when the controller cannot be reached, and the
//! probing that clears it once the controller answers again.

use crate::api::{self, Client};
use crate::probe::{Next, Probe};
use futures::channel::oneshot;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

/// A status line, empty while the controller answers, that says so while
/// the latest request found no controller (no answer, or a gateway error)
/// and whether reads are being retried. Meanwhile the controller is probed
/// (see [`crate::probe`]); its first answer clears the line, and the reads
/// that failed on screen are made again by themselves. A failed save keeps
/// its own Retry.
#[component]
pub fn ConnectivityBanner() -> impl IntoView {
    let client = Client::expect();
    // Probing runs only while the controller cannot be reached: the effect
    // runs again when that changes, and its cleanup stops the probing.
    Effect::new(move |_| {
        if client.unreachable() {
            keep_probing(client);
        }
    });

    let text = move || {
        if !client.unreachable() {
            ""
        } else if client.retrying() {
            "Cannot reach the controller. Retrying…"
        } else {
            "Cannot reach the controller. Checking again until it answers…"
        }
    };
    view! {
        <div class="connectivity" role="status" aria-live="polite">
            {text}
        </div>
    }
}

/// What one spell of probing holds: its state, the wait under way and the
/// means to cut it short.
#[derive(Default)]
struct Probing {
    probe: RefCell<Probe>,
    stopped: Cell<bool>,
    timer: Cell<Option<TimeoutHandle>>,
    wake: RefCell<Option<oneshot::Sender<()>>>,
}

impl Probing {
    /// Ends the wait under way, if any.
    fn wake(&self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        if let Some(wake) = self.wake.borrow_mut().take() {
            let _ = wake.send(());
        }
    }

    /// Waits `wait`, or less if woken.
    async fn sleep(self: &Rc<Self>, wait: Duration) {
        let (done, woken) = oneshot::channel();
        self.wake.replace(Some(done));
        let this = self.clone();
        let timer = set_timeout_with_handle(move || this.wake(), wait).ok();
        self.timer.set(timer);
        let _ = woken.await;
    }
}

/// Probes the controller until it answers or the current owner (one run of
/// the banner's effect) is cleaned up, with the browser's `online` event
/// cutting a wait short. Nothing is left running after either.
fn keep_probing(client: Client) {
    let probing = Rc::new(Probing::default());
    let online = {
        let probing = probing.clone();
        window_event_listener(ev::online, move |_| {
            probing.probe.borrow_mut().online();
            probing.wake();
        })
    };
    let owner = Owner::current();

    {
        let probing = probing.clone();
        spawn_local(async move {
            let mut wait = probing.probe.borrow().wait(js_sys::Math::random());
            loop {
                probing.sleep(wait).await;
                if probing.stopped.get() {
                    return;
                }
                // Run as part of this spell, so that its end aborts the probe.
                // FIXME: each probe adds its abort to the spell's cleanups, so a
                // long outage holds one small closure per probe (about 240 an
                // hour) until the controller answers.
                let answer = match &owner {
                    Some(owner) => owner.with(|| api::probe(client)),
                    None => api::probe(client),
                };
                let outcome = answer.await;
                if probing.stopped.get() {
                    return;
                }
                let random = js_sys::Math::random();
                match probing
                    .probe
                    .borrow_mut()
                    .record(outcome.as_ref().map(|_| ()), random)
                {
                    Next::Answered => return,
                    Next::Wait(next) => wait = next,
                }
            }
        });
    }

    let held = SendWrapper::new((probing, online));
    on_cleanup(move || {
        let (probing, online) = held.take();
        probing.stopped.set(true);
        probing.wake();
        online.remove();
    });
}
