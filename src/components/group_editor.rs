//! The form that creates or edits a group: the six bounded settings, the
//! read-only facts, the properties the console does not know, and what
//! happens to a save: the controller's copy on success, a field-by-field
//! diff when someone else changed the group meanwhile, the reason and a
//! retry when it failed. The draft stays on screen until a save succeeds.

use crate::api::{self, ApiError, Client, Versioned};
use crate::components::{BoundedField, Failure, LeaveGuard, Toasts};
use crate::draft::{self, Change, Draft};
use crate::paths;
use crate::readback::{self, Found};
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
    /// Saved, as the controller answered, or as read back (`lost` is then
    /// the failure that hid the write's own answer).
    Saved {
        group: Group,
        lost: Option<ApiError>,
    },
    Stale {
        mine: Box<Group>,
        theirs: Box<Versioned<Group>>,
    },
    /// Not saved: refused, or (`read_back`) its answer was lost and reading
    /// the group back showed it did not go through; `fresh` is the group as
    /// read back when it is still the one the edit started from.
    Failed {
        error: ApiError,
        read_back: bool,
        fresh: Option<Box<Versioned<Group>>>,
    },
    /// The answer was lost and reading back failed too: nobody knows yet.
    Unknown(Box<Unsure>),
}

/// A save whose outcome is not known: what it was sent against, what it
/// sent, why its answer was lost, and why reading back failed.
#[derive(Debug, Clone)]
struct Unsure {
    start: Option<Versioned<Group>>,
    sent: Group,
    lost: ApiError,
    check: ApiError,
}

/// What the editor shows after a save that did not end in a saved group.
#[derive(Debug, Clone)]
enum SaveFailure {
    /// Refused, or failed before it reached the controller.
    Refused(ApiError),
    /// Its answer was lost, and reading back showed it was not saved.
    NotSaved(ApiError),
    /// Its answer was lost, and reading back failed: it may have saved.
    Unknown(Box<Unsure>),
}

/// What the save action is asked to do: send a group against the revision
/// it started from, or only find out what became of a save whose answer
/// was lost.
#[derive(Debug, Clone)]
enum Job {
    Send(Option<Versioned<Group>>, Group),
    Check(Unsure),
}

type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// Sends `mine`: a new group, or a replacement of `base` naming the
/// revision it was read at. On a stale revision it reads the group again:
/// if nothing of this group changed (the revision counts every write to
/// the configuration), it sends `mine` once more against the new revision,
/// since nothing can be overwritten; otherwise the conflict is the
/// person's to resolve. A write whose answer is lost is never sent again:
/// [`check`] reads back what became of it.
fn send(client: Client, base: Option<Versioned<Group>>, mine: Group) -> Pending<Outcome> {
    let Some(base) = base else {
        let write = api::create_group(client, &mine);
        return Box::pin(async move {
            match write.await {
                Ok(saved) => saved_as(saved.value),
                Err(e) => after_failure(client, None, mine, e).await,
            }
        });
    };
    let id = base.value.id.unwrap_or_default();
    let write = api::replace_group(client, id, &mine, base.revision.as_deref());
    Box::pin(async move {
        match write.await {
            Ok(saved) => return saved_as(saved.value),
            Err(e) if e.is_stale() => {}
            Err(e) => return after_failure(client, Some(base), mine, e).await,
        }
        let theirs = match api::group_versioned(client, id).await {
            Ok(theirs) => theirs,
            Err(error) => return refused(error),
        };
        let untouched = draft::conflict(&base.value, &mine, &theirs.value)
            .iter()
            .all(|c| !c.theirs_changed());
        if !untouched {
            return Outcome::Stale {
                mine: Box::new(mine),
                theirs: Box::new(theirs),
            };
        }
        let again = api::replace_group(client, id, &mine, theirs.revision.as_deref()).await;
        match again {
            Ok(saved) => saved_as(saved.value),
            Err(e) if e.is_stale() => match api::group_versioned(client, id).await {
                Ok(theirs) => Outcome::Stale {
                    mine: Box::new(mine),
                    theirs: Box::new(theirs),
                },
                Err(error) => refused(error),
            },
            Err(e) => after_failure(client, Some(theirs), mine, e).await,
        }
    })
}

fn saved_as(group: Group) -> Outcome {
    Outcome::Saved { group, lost: None }
}

fn refused(error: ApiError) -> Outcome {
    Outcome::Failed {
        error,
        read_back: false,
        fresh: None,
    }
}

/// A failed write: refused, or, when its answer was lost, read back.
async fn after_failure(
    client: Client,
    start: Option<Versioned<Group>>,
    sent: Group,
    error: ApiError,
) -> Outcome {
    if readback::is_uncertain(&error) {
        check(client, start, sent, error).await
    } else {
        refused(error)
    }
}

/// Finds out what became of a save whose answer (`lost`) never came or
/// could not be read: a replacement reads the group back, a create the
/// groups list, and [`readback`] decides.
fn check(
    client: Client,
    start: Option<Versioned<Group>>,
    sent: Group,
    lost: ApiError,
) -> Pending<Outcome> {
    let unknown = |start, sent, lost, check| {
        Outcome::Unknown(Box::new(Unsure {
            start,
            sent,
            lost,
            check,
        }))
    };
    let Some(base) = start else {
        let list = api::groups(client);
        return Box::pin(async move {
            let groups = match list.await {
                Ok(groups) => groups,
                Err(e) => return unknown(None, sent, lost, e),
            };
            match readback::created(&groups.items, &sent) {
                Some(group) => Outcome::Saved {
                    group: group.clone(),
                    lost: Some(lost),
                },
                None => Outcome::Failed {
                    error: lost,
                    read_back: true,
                    fresh: None,
                },
            }
        });
    };
    let read = api::group_versioned(client, base.value.id.unwrap_or_default());
    Box::pin(async move {
        let held = match read.await {
            Ok(held) => held,
            Err(e) => return unknown(Some(base), sent, lost, e),
        };
        match readback::after_replace(&base.value, &sent, &held.value) {
            Found::Saved => Outcome::Saved {
                group: held.value,
                lost: Some(lost),
            },
            Found::NotSaved => Outcome::Failed {
                error: lost,
                read_back: true,
                fresh: Some(Box::new(held)),
            },
            Found::Changed => Outcome::Stale {
                mine: Box::new(sent),
                theirs: Box::new(held),
            },
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
    let failure = RwSignal::new(None::<SaveFailure>);
    let checking = RwSignal::new(false);

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
    let save = Action::new_local(move |job: &Job| {
        let (start, answer) = match job.clone() {
            Job::Send(start, mine) => (start.clone(), within(&owner, || send(client, start, mine))),
            Job::Check(unsure) => {
                let Unsure {
                    start, sent, lost, ..
                } = unsure;
                (
                    start.clone(),
                    within(&owner, || check(client, start, sent, lost)),
                )
            }
        };
        let navigate = navigate.clone();
        async move {
            match answer.await {
                Outcome::Saved { group, lost } => {
                    // The fields were locked from the moment this save was
                    // sent, so nothing typed since is replaced here.
                    toasts.show(saved_words(creating, &group.name, lost.as_ref()));
                    draft.try_set(Draft::of(&group));
                    let path = group.id.map_or_else(|| "/groups".into(), paths::group);
                    navigate(&path, Default::default());
                }
                Outcome::Stale { mine, theirs } => {
                    let started = start.map(|s| s.value).unwrap_or_default();
                    let changes = draft::conflict(&started, &mine, &theirs.value);
                    conflict.try_set(Some(Conflict {
                        theirs: *theirs,
                        changes,
                    }));
                }
                Outcome::Failed {
                    error,
                    read_back,
                    fresh,
                } => {
                    // The group is still the one the edit started from: the
                    // next save may name the revision just read.
                    if let Some(fresh) = fresh {
                        base.try_set(Some(*fresh));
                    }
                    failure.try_set(Some(if read_back {
                        SaveFailure::NotSaved(error)
                    } else {
                        SaveFailure::Refused(error)
                    }));
                }
                Outcome::Unknown(unsure) => {
                    failure.try_set(Some(SaveFailure::Unknown(unsure)));
                }
            }
        }
    });

    // Save and Retry send the draft, except after a save whose outcome is
    // unknown: sending it again could meet itself as a conflict, so they
    // first read back what became of it.
    let submit = move || {
        if save.pending().get_untracked() || conflict.with_untracked(Option::is_some) {
            return;
        }
        if let Some(SaveFailure::Unknown(unsure)) = failure.get_untracked() {
            failure.set(None);
            checking.set(true);
            save.dispatch(Job::Check(*unsure));
            return;
        }
        let start = base.get_untracked();
        let Some(mine) = checked.with_untracked(|c| c.group(start.as_ref().map(|b| &b.value)))
        else {
            return;
        };
        failure.set(None);
        checking.set(false);
        save.dispatch(Job::Send(start, mine));
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
    // While a save is under way, or its answer was lost and nobody knows yet
    // whether it went through, the fields hold what it sent and cannot
    // change: whatever the save turns out to be, nothing typed is lost.
    let locked = Signal::derive(move || {
        save.pending().get() || failure.with(|f| matches!(f, Some(SaveFailure::Unknown(_))))
    });
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
        view! { <BoundedField setting text on_input reading warnings locked /> }
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
                    view! { <NameField draft checked locked /> }.into_any()
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
                    .map(|failure| {
                        view! {
                            <SaveFailureView
                                failure
                                creating
                                on_retry=Callback::new(move |()| submit())
                            />
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
                    {move || match (save.pending().get(), checking.get()) {
                        (true, true) => "Checking…",
                        (true, false) => "Saving…",
                        _ => "Save",
                    }}
                </button>
                <a href=cancel_to>"Cancel"</a>
                <SaveSummary checked dirty creating />
            </div>
        </form>
    }
}

/// The toast after a save: the plain confirmation, or, when the save's
/// own answer was lost, what reading back found.
fn saved_words(creating: bool, name: &str, lost: Option<&ApiError>) -> String {
    let verb = if creating { "Created" } else { "Saved" };
    match lost {
        None => format!("{verb} the group \u{201c}{name}\u{201d}"),
        Some(lost) => {
            let what = if creating {
                "reading the groups list back shows it was created"
            } else {
                "reading the group back shows your changes there"
            };
            format!(
                "{verb} the group \u{201c}{name}\u{201d}: the controller's answer {}, but {what}",
                readback::lost_answer(lost)
            )
        }
    }
}

/// A save that did not end in a saved group: what is known of it, in
/// words, and a Retry that sends the draft again, or, while the outcome
/// is unknown, only reads back what became of the last save.
#[component]
fn SaveFailureView(
    /// What became of the save.
    failure: SaveFailure,
    /// Whether the group is new (it is then looked for in the groups list).
    creating: bool,
    /// Sends again, or reads back again while the outcome is unknown.
    on_retry: Callback<()>,
) -> impl IntoView {
    let kept = "Everything you typed is still here.";
    let read = if creating {
        "read the groups list back"
    } else {
        "read the group back"
    };
    let (title, advice, error) = match failure {
        SaveFailure::Refused(error) => ("The group was not saved", kept.to_string(), error),
        SaveFailure::NotSaved(error) => {
            let found = if creating {
                "the group is not there"
            } else {
                "it does not hold your changes"
            };
            let advice = format!(
                "The controller's answer {}, so the console {read}: {found}. {kept} Retry sends it again.",
                readback::lost_answer(&error)
            );
            ("The group was not saved", advice, error)
        }
        SaveFailure::Unknown(unsure) => {
            let advice = format!(
                "The controller's answer {}, so the save may have gone through, and trying to \
                 {read} failed too. Retry reads it back again; nothing is sent until the console \
                 knows. {kept} The fields stay as they were sent until then.",
                readback::lost_answer(&unsure.lost)
            );
            (
                "The controller's answer to this save could not be read",
                advice,
                unsure.check,
            )
        }
    };
    // The shared failure widget only asks to sign in; here a retry after the
    // sign-in is what saves the draft.
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
    view! {
        <div class="save-failure">
            <h2>{title}</h2>
            <p>{advice}</p>
            {why}
        </div>
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
    /// Whether the name may not change now (a save is under way).
    #[prop(into)]
    locked: Signal<bool>,
) -> impl IntoView {
    // An empty name is not an error before the person has been in the
    // field; a taken one is, as soon as it is typed.
    let touched = RwSignal::new(!draft.with_untracked(|d| d.name.is_empty()));
    let error = move || {
        touched
            .get()
            .then(|| checked.with(|c| c.name.as_ref().err().map(ToString::to_string)))
            .flatten()
    };
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
                readonly=move || locked.get()
                prop:value=move || draft.with(|d| d.name.clone())
                on:input=move |ev| {
                    touched.set(true);
                    draft.update(|d| d.name = event_target_value(&ev))
                }
                on:blur=move |_| touched.set(true)
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
