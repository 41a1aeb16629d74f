//! The widgets of membership changes: a searchable picker of appliances,
//! the staged diff of one group, and the report of an apply.

use crate::paths;
use crate::staging::{Diff, Outcome, Report};
use leptos::prelude::*;
use model::Member;
use std::collections::BTreeSet;

/// How many matches the picker lists at once; a narrower search finds the
/// rest.
const PICKER_LIMIT: usize = 50;

/// An appliance as a picker offers it: serial and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub serial: String,
    pub name: String,
}

/// A search box over `choices` with a check box for each match; "Add
/// selected" hands the checked serials over and clears the selection.
#[component]
pub fn AppliancePicker(
    /// The appliances that can be picked.
    #[prop(into)]
    choices: Signal<Vec<Choice>>,
    /// Receives the serials picked, in serial order.
    on_pick: Callback<Vec<String>>,
    /// The label of the button that hands them over.
    #[prop(default = "Add selected")]
    action: &'static str,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let picked = RwSignal::new(BTreeSet::<String>::new());
    let matches = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        choices.with(|all| {
            let hits: Vec<Choice> = all
                .iter()
                .filter(|c| {
                    needle.is_empty()
                        || c.name.to_lowercase().contains(&needle)
                        || c.serial.to_lowercase().contains(&needle)
                })
                .cloned()
                .collect();
            hits
        })
    });
    let shown = move || matches.with(|m| m.iter().take(PICKER_LIMIT).cloned().collect::<Vec<_>>());
    let more = move || matches.with(|m| m.len().saturating_sub(PICKER_LIMIT));
    let add = move |_| {
        let serials: Vec<String> = picked.get_untracked().into_iter().collect();
        if !serials.is_empty() {
            picked.set(BTreeSet::new());
            on_pick.run(serials);
        }
    };

    view! {
        <div class="picker">
            <label class="picker-search">
                <span>"Find appliances"</span>
                <input
                    type="search"
                    placeholder="Name or serial"
                    prop:value=move || search.get()
                    on:input:target=move |ev| search.set(ev.target().value())
                />
            </label>
            <Show
                when=move || matches.with(|m| !m.is_empty())
                fallback=|| view! { <p class="empty">"No appliance matches."</p> }
            >
                <ul class="picker-list">
                    <For each=shown key=|c| c.serial.clone() let:choice>
                        <PickerRow choice picked />
                    </For>
                </ul>
            </Show>
            {move || {
                let n = more();
                (n > 0).then(|| view! { <p class="hint">{format!("{n} more match; narrow the search.")}</p> })
            }}
            <button
                type="button"
                disabled=move || picked.with(BTreeSet::is_empty)
                on:click=add
            >
                {move || match picked.with(BTreeSet::len) {
                    0 => action.to_string(),
                    n => format!("{action} ({n})"),
                }}
            </button>
        </div>
    }
}

#[component]
fn PickerRow(choice: Choice, picked: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let serial = choice.serial.clone();
    let checked = {
        let serial = serial.clone();
        move || picked.with(|p| p.contains(&serial))
    };
    let toggle = move |on: bool| {
        picked.update(|p| {
            if on {
                p.insert(serial.clone());
            } else {
                p.remove(&serial);
            }
        })
    };
    view! {
        <li>
            <label>
                <input
                    type="checkbox"
                    prop:checked=checked
                    on:change:target=move |ev| toggle(ev.target().checked())
                />
                <span class="picker-name">{choice.name.clone()}</span>
                <span class="serial">{choice.serial.clone()}</span>
            </label>
        </li>
    }
}

/// The members a change adds and removes, each with a button that takes
/// it out of the change.
#[component]
pub fn StagedDiff(
    /// What the change does.
    #[prop(into)]
    diff: Signal<Diff>,
    /// Takes one serial out of the change.
    on_unstage: Callback<String>,
) -> impl IntoView {
    let line = move |member: Member, sign: &'static str, class: &'static str| {
        let serial = member.serial.clone();
        let name = member.name.clone().unwrap_or_else(|| member.serial.clone());
        view! {
            <li class=class>
                <span class="diff-sign" aria-hidden="true">{sign}</span>
                <a href=paths::appliance(&member.serial)>{name}</a>
                " "
                <span class="serial">{member.serial.clone()}</span>
                <button
                    type="button"
                    class="link"
                    aria-label=format!("Undo the change of {}", member.serial)
                    on:click=move |_| on_unstage.run(serial.clone())
                >
                    "Unstage"
                </button>
            </li>
        }
    };
    view! {
        <ul class="diff">
            {move || {
                let d = diff.get();
                let added = d.added.into_iter().map(|m| line(m, "+", "diff-added"));
                let removed = d.removed.into_iter().map(|m| line(m, "−", "diff-removed"));
                added.chain(removed).collect_view()
            }}
        </ul>
    }
}

/// What an apply did to each group: saved, or not and why, and that the
/// changes of the failed ones are still staged.
#[component]
pub fn ApplyReport(
    /// One line per group written.
    reports: Vec<Report>,
) -> impl IntoView {
    let count = |f: fn(&Outcome) -> bool| reports.iter().filter(|r| f(&r.outcome)).count();
    let failed = count(|o| matches!(o, Outcome::Failed(_)));
    let unsure = count(|o| matches!(o, Outcome::Unsure(_)));
    let saved = reports.len() - failed - unsure;
    let mut headline = match (saved, failed + unsure) {
        (_, 0) => format!("Saved {saved} of {} groups.", reports.len()),
        (0, _) if unsure == 0 => "Nothing was saved.".to_string(),
        _ => format!("Saved {saved} of {} groups", reports.len()),
    };
    if failed + unsure > 0 && (saved > 0 || unsure > 0) {
        let mut parts = Vec::new();
        if unsure > 0 {
            parts.push(format!(
                "{unsure} perhaps saved (the console could not tell)"
            ));
        }
        if failed > 0 {
            parts.push(format!("{failed} not saved"));
        }
        headline = format!("{headline}; {}.", parts.join(", "));
    }
    let lines = reports
        .into_iter()
        .map(|r| {
            let (class, text) = match &r.outcome {
                Outcome::Saved {
                    read_back: false, ..
                } => ("saved", format!("Saved: {}", r.diff.summary())),
                Outcome::Saved {
                    read_back: true, ..
                } => (
                    "saved",
                    format!(
                        "Saved: {}. Its answer was lost, and reading the group back shows the change there.",
                        r.diff.summary()
                    ),
                ),
                Outcome::Failed(why) => (
                    "failed",
                    format!("Not saved: {why}. Its changes are still staged."),
                ),
                Outcome::Unsure(why) => (
                    "unsure",
                    format!(
                        "Perhaps saved: {why}. Once the group is read again, only what it still lacks stays staged."
                    ),
                ),
            };
            view! {
                <li class=class data-group=r.id>
                    <a href=paths::group(r.id)>{r.name}</a>
                    " — "
                    <span>{text}</span>
                </li>
            }
        })
        .collect_view();
    let role = if failed + unsure > 0 {
        "alert"
    } else {
        "status"
    };
    view! {
        <div class="apply-report" role=role>
            <p>{headline}</p>
            <ul>{lines}</ul>
        </div>
    }
}

/// The last apply's report, shown only while some group of it is not
/// known to be saved; a full success is said by a toast instead.
#[component]
pub fn UnsavedReport(
    /// The reports of the last apply, if there was one.
    #[prop(into)]
    last: Signal<Option<Vec<Report>>>,
) -> impl IntoView {
    move || {
        last.get()
            .filter(|reports| reports.iter().any(|r| !r.outcome.is_saved()))
            .map(|reports| view! { <ApplyReport reports /> })
    }
}
