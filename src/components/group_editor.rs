//! The form that creates or edits a group: the six bounded settings, the
//! read-only facts, the properties the console does not know, and what
//! happens to a save: the controller's copy on success, a field-by-field
//! diff when someone else changed the group meanwhile, the reason and a
//! retry when it failed. The draft stays on screen until a save succeeds.

use crate::api::{self, ApiError, Client, Versioned};
use crate::components::{BoundedField, Failure, LeaveGuard, Toasts};
use crate::draft::{self, Change, Draft};
use crate::paths;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::{Group, Setting};
use std::future::Future;
use std::pin::Pin;

/// The question asked before an editor with unsaved changes is left.
const LEAVE: &str = "This group has unsaved changes. Leave and lose them?";

/// What the controller holds now, after a save was refused as stale.
#[derive(Debug, Clone)]
struct Conflict {
    theirs: Versioned<Group>,
    changes: Vec<Change>,
}

/// What became of a save.
enum Outcome {
    Saved(Group),
    Stale {
        mine: Box<Group>,
        theirs: Box<Versioned<Group>>,
    },
}

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// Sends `mine`: a new group, or a replacement of `base` naming the
/// revision it was read at. On a stale revision it reads the group again:
/// if nothing of this group changed (the revision counts every write to
/// the configuration), it sends `mine` once more against the new revision,
/// since nothing can be overwritten; otherwise the conflict is the
/// person's to resolve.
fn send(client: Client, base: Option<Versioned<Group>>, mine: Group) -> Pending<Outcome> {
    let Some(base) = base else {
        let write = api::create_group(client, &mine);
        return Box::pin(async move { Ok(Outcome::Saved(write.await?.value)) });
    };
    let id = base.value.id.unwrap_or_default();
    let write = api::replace_group(client, id, &mine, base.revision.as_deref());
    Box::pin(async move {
        match write.await {
            Ok(saved) => return Ok(Outcome::Saved(saved.value)),
            Err(e) if e.is_stale() => {}
            Err(e) => return Err(e),
        }
        let theirs = api::group_versioned(client, id).await?;
        let untouched = draft::conflict(&base.value, &mine, &theirs.value)
            .iter()
            .all(|c| !c.theirs_changed());
        if !untouched {
            return Ok(Outcome::Stale {
                mine: Box::new(mine),
                theirs: Box::new(theirs),
            });
        }
        let again = api::replace_group(client, id, &mine, theirs.revision.as_deref()).await;
        match again {
            Ok(saved) => Ok(Outcome::Saved(saved.value)),
            Err(e) if e.is_stale() => {
                let theirs = api::group_versioned(client, id).await?;
                Ok(Outcome::Stale {
                    mine: Box::new(mine),
                    theirs: Box::new(theirs),
                })
            }
            Err(e) => Err(e),
        }
    })
}

/// Runs `f` as part of `owner`, so that what it starts ends with `owner`.
pub fn within<T>(owner: &Option<Owner>, f: impl FnOnce() -> T) -> T {
    match owner {
        Some(owner) => owner.with(f),
        None => f(),
    }
}

/// Creates a group (`base` is `None`) or edits one.
#[component]
pub fn GroupEditor(
    /// The group as read for this edit, with its revision; `None` to
    /// create a new one.
    base: Option<Versioned<Group>>,
    /// The other groups' names, which a new group may not take.
    names: Vec<String>,
) -> impl IntoView {
    let client = Client::expect();
    let toasts = Toasts::expect();
    let navigate = use_navigate();
    let creating = base.is_none();

    let draft = RwSignal::new(
        base.as_ref()
            .map(|b| Draft::of(&b.value))
            .unwrap_or_default(),
    );
    let base = RwSignal::new(base);
    let names = StoredValue::new(names);
    let conflict = RwSignal::new(None::<Conflict>);
    let failure = RwSignal::new(None::<ApiError>);

    let base_group = move || base.with(|b| b.as_ref().map(|b| b.value.clone()));
    let checked = Memo::new(move |_| {
        let base = base_group();
        draft.with(|d| names.with_value(|n| draft::check(d, base.as_ref(), n)))
    });
    let dirty = Memo::new(move |_| draft.with(|d| draft::is_dirty(base_group().as_ref(), d)));

    // The request belongs to the editor, not to the button that sent it: a
    // retry or a conflict's button goes away as soon as it is pressed, and
    // must not take the request with it.
    let owner = Owner::current();
    let save = Action::new_local(move |(start, mine): &(Option<Versioned<Group>>, Group)| {
        let answer = within(&owner, || send(client, start.clone(), mine.clone()));
        let start = start.clone();
        let navigate = navigate.clone();
        async move {
            match answer.await {
                Ok(Outcome::Saved(saved)) => {
                    let verb = if creating { "Created" } else { "Saved" };
                    toasts.show(format!("{verb} the group \u{201c}{}\u{201d}", saved.name));
                    draft.try_set(Draft::of(&saved));
                    let path = saved.id.map_or_else(|| "/groups".into(), paths::group);
                    navigate(&path, Default::default());
                }
                Ok(Outcome::Stale { mine, theirs }) => {
                    let started = start.map(|s| s.value).unwrap_or_default();
                    let changes = draft::conflict(&started, &mine, &theirs.value);
                    conflict.try_set(Some(Conflict {
                        theirs: *theirs,
                        changes,
                    }));
                }
                Err(e) => {
                    failure.try_set(Some(e));
                }
            }
        }
    });

    let submit = move || {
        if save.pending().get_untracked() || conflict.with_untracked(Option::is_some) {
            return;
        }
        let start = base.get_untracked();
        let Some(mine) = checked.with_untracked(|c| c.group(start.as_ref().map(|b| &b.value)))
        else {
            return;
        };
        failure.set(None);
        save.dispatch((start, mine));
    };
    let apply_mine = move || {
        let Some(c) = conflict.get_untracked() else {
            return;
        };
        let started = base_group().unwrap_or_default();
        draft.update(|d| *d = draft::rebase(&started, d, &c.theirs.value));
        base.set(Some(c.theirs));
        conflict.set(None);
        submit();
    };
    let discard_mine = move || {
        let Some(c) = conflict.get_untracked() else {
            return;
        };
        draft.set(Draft::of(&c.theirs.value));
        base.set(Some(c.theirs));
        conflict.set(None);
        toasts.show("Your changes were discarded: this is the group as the controller holds it");
    };

    // A save under way does not disable the button, which would take focus
    // from it (and a sign-in asked for meanwhile could not give it back):
    // it says so, and `submit` ignores a second press.
    let blocked = move || {
        conflict.with(Option::is_some) || !checked.with(draft::Checked::is_valid) || !dirty.get()
    };
    let fields = Setting::ALL.map(|setting| {
        let text = Signal::derive(move || draft.with(|d| d.text(setting).to_string()));
        let on_input = Callback::new(move |t: String| draft.update(|d| d.set_text(setting, t)));
        let reading = Signal::derive(move || checked.with(|c| c.field(setting).clone()));
        let warnings = Signal::derive(move || {
            checked.with(|c| {
                c.warnings()
                    .into_iter()
                    .filter(|w| w.settings().contains(&setting))
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
            })
        });
        view! { <BoundedField setting text on_input reading warnings /> }
    });
    let cancel_to = base.with_untracked(|b| {
        b.as_ref()
            .and_then(|b| b.value.id)
            .map_or_else(|| "/groups".to_string(), paths::group)
    });

    view! {
        <LeaveGuard dirty question=LEAVE />
        <form
            class="editor"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {move || {
                if creating {
                    view! { <NameField draft checked /> }.into_any()
                } else {
                    base_group().map(|g| view! { <Facts group=g /> }).into_any()
                }
            }}
            <fieldset class="settings-fields">
                <legend>"Settings"</legend>
                {fields.into_iter().collect_view()}
            </fieldset>
            {move || base_group().map(|g| view! { <OtherProperties group=g /> })}
            {move || {
                conflict
                    .get()
                    .map(|c| {
                        view! {
                            <ConflictView
                                changes=c.changes
                                on_apply=Callback::new(move |()| apply_mine())
                                on_discard=Callback::new(move |()| discard_mine())
                            />
                        }
                    })
            }}
            {move || {
                failure
                    .get()
                    .map(|error| {
                        let on_retry = Callback::new(move |()| submit());
                        let uncertain = error.status().is_some_and(|s| (200..300).contains(&s));
                        // The shared failure widget only asks to sign in; here a
                        // retry after the sign-in is what saves the draft.
                        let why = if error.needs_sign_in() {
                            view! {
                                <div class="failure" role="alert">
                                    <p class="failure-message">
                                        "The controller asks for a sign-in. Sign in, then save again."
                                    </p>
                                    <button type="button" on:click=move |_| on_retry.run(())>
                                        "Retry"
                                    </button>
                                </div>
                            }
                                .into_any()
                        } else {
                            view! { <Failure error on_retry /> }.into_any()
                        };
                        // A success status whose answer could not be read may well
                        // have saved: say so rather than that it did not.
                        // FIXME: the editor could read the group back to tell; for now
                        // the person checks, and a repeated create is refused as a
                        // taken name rather than made twice.
                        let (title, advice) = if uncertain {
                            (
                                "The controller's answer to this save could not be read",
                                "The save may have gone through: check the groups list before saving again. Everything you typed is still here.",
                            )
                        } else {
                            ("The group was not saved", "Everything you typed is still here.")
                        };
                        view! {
                            <div class="save-failure">
                                <h2>{title}</h2>
                                <p>{advice}</p>
                                {why}
                            </div>
                        }
                    })
            }}
            <div class="save-bar">
                <button
                    type="submit"
                    disabled=blocked
                    aria-disabled=move || save.pending().get().then_some("true")
                    aria-describedby="save-summary"
                >
                    {move || if save.pending().get() { "Saving…" } else { "Save" }}
                </button>
                <a href=cancel_to>"Cancel"</a>
                <SaveSummary checked dirty creating />
            </div>
        </form>
    }
}

/// Why Save is disabled, or that nothing changed yet.
#[component]
fn SaveSummary(
    /// The draft read against the model.
    #[prop(into)]
    checked: Signal<draft::Checked>,
    /// Whether anything changed.
    #[prop(into)]
    dirty: Signal<bool>,
    /// Whether the group is new.
    creating: bool,
) -> impl IntoView {
    let problems = move || checked.with(draft::Checked::problems);
    view! {
        <div id="save-summary" class="save-summary" role="status">
            {move || {
                let problems = problems();
                if !problems.is_empty() {
                    let n = problems.len();
                    let title = if n == 1 {
                        "1 problem to fix before saving:".to_string()
                    } else {
                        format!("{n} problems to fix before saving:")
                    };
                    view! {
                        <p class="summary-title">{title}</p>
                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    }
                        .into_any()
                } else if !dirty.get() && !creating {
                    view! { <p>"No changes yet."</p> }.into_any()
                } else {
                    ().into_any()
                }
            }}
        </div>
    }
}

/// The name of a new group, refused while empty or another group's.
#[component]
fn NameField(
    /// The draft whose name is typed here.
    draft: RwSignal<Draft>,
    /// The draft read against the model and the other names.
    #[prop(into)]
    checked: Signal<draft::Checked>,
) -> impl IntoView {
    let error = move || checked.with(|c| c.name.as_ref().err().map(ToString::to_string));
    let invalid = move || error().is_some();
    view! {
        <div class="field name-field" class:invalid=invalid>
            <label for="group-name">"Name"</label>
            <input
                id="group-name"
                type="text"
                required
                autocomplete="off"
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby="group-name-hint group-name-error"
                prop:value=move || draft.with(|d| d.name.clone())
                on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev))
            />
            <p class="hint" id="group-name-hint">
                "Required, and different from every other group's. It cannot be changed later."
            </p>
            <p class="field-error" id="group-name-error" aria-live="polite">
                {error}
            </p>
        </div>
    }
}

/// What the spec makes read-only: the id and the name, and the members,
/// which this form sends back as they are.
#[component]
fn Facts(
    /// The group being edited.
    group: Group,
) -> impl IntoView {
    let members = group.member_list().len();
    let members = match members {
        1 => "1 member, kept as it is".to_string(),
        n => format!("{n} members, kept as they are"),
    };
    view! {
        <div class="read-only">
            <div class="field">
                <label for="group-name">"Name"</label>
                <input id="group-name" type="text" readonly prop:value=group.name.clone() />
            </div>
            <div class="field">
                <label for="group-id">"ID"</label>
                <input
                    id="group-id"
                    type="text"
                    readonly
                    prop:value=group.id.map(|id| id.to_string()).unwrap_or_default()
                />
            </div>
            <p class="hint">"The name and the ID are read-only. " {members} "."</p>
        </div>
    }
}

/// Properties of the group the console does not know, shown as they are
/// and sent back unchanged.
#[component]
fn OtherProperties(
    /// The group whose unknown properties are shown.
    group: Group,
) -> impl IntoView {
    if group.extra.is_empty() {
        return ().into_any();
    }
    let rows = group
        .extra
        .iter()
        .map(|(key, value)| {
            view! {
                <div>
                    <dt>{key.clone()}</dt>
                    <dd>
                        <code>{value.to_string()}</code>
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="other-properties" aria-labelledby="other-properties">
            <h2 id="other-properties">"Other properties"</h2>
            <p class="hint">
                "The console does not know these properties. They are kept and sent back unchanged."
            </p>
            <dl>{rows}</dl>
        </section>
    }
    .into_any()
}

/// The group changed on the controller while it was being edited: what
/// each side changed, and the two ways on.
#[component]
fn ConflictView(
    /// Every property that the edit or the controller changed.
    changes: Vec<Change>,
    /// Puts the edit on top of the controller's version and saves it.
    on_apply: Callback<()>,
    /// Drops the edit and shows the controller's version.
    on_discard: Callback<()>,
) -> impl IntoView {
    let rows = changes
        .into_iter()
        .map(|c| {
            let text = |v: &Option<serde_json::Value>| draft::describe(&c.property, v.as_ref());
            let status = match (c.mine_changed(), c.theirs_changed(), c.clash()) {
                (_, _, true) => "Both changed",
                (true, true, false) => "Both, to the same value",
                (true, false, _) => "You changed",
                _ => "Changed on the controller",
            };
            view! {
                <tr class:clash=c.clash()>
                    <th scope="row">{c.property.label()}</th>
                    <td>{text(&c.base)}</td>
                    <td class:changed=c.mine_changed()>{text(&c.mine)}</td>
                    <td class:changed=c.theirs_changed()>{text(&c.theirs)}</td>
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view();
    // The form is long: bring the question into view where it appears.
    let section = NodeRef::<html::Section>::new();
    section.on_load(|s| s.scroll_into_view());
    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-title" node_ref=section>
            <h2 id="conflict-title">"The group changed while you were editing it"</h2>
            <p>
                "Nothing was saved. Your changes are still here; compare them with what the controller holds now."
            </p>
            <table class="list diff">
                <thead>
                    <tr>
                        <th scope="col">"Property"</th>
                        <th scope="col">"When you started"</th>
                        <th scope="col">"Your change"</th>
                        <th scope="col">"Controller now"</th>
                        <th scope="col">"Who changed it"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="conflict-actions">
                <button type="button" class="primary" on:click=move |_| on_apply.run(())>
                    "Apply my changes on top"
                </button>
                <button type="button" on:click=move |_| on_discard.run(())>
                    "Discard my changes"
                </button>
            </div>
        </section>
    }
}
