//! The input of one bounded setting: the text as typed, what the controller
//! will receive, and why the text is refused, beside the field.

use crate::parse::{self, FieldError};
use leptos::prelude::*;
use model::Setting;
use serde_json::Number;

/// One setting's field. The text is never rewritten while typing; only
/// the preview and the message beside it change. A refused value marks
/// the input `aria-invalid` and the message describes it.
#[component]
pub fn BoundedField(
    /// The setting the field edits.
    setting: Setting,
    /// The text as typed.
    #[prop(into)]
    text: Signal<String>,
    /// Runs with the new text on every keystroke.
    on_input: Callback<String>,
    /// The text read against the model's bound.
    #[prop(into)]
    reading: Signal<Result<Option<Number>, FieldError>>,
    /// Advice about this field that does not block saving.
    #[prop(into)]
    warnings: Signal<Vec<String>>,
    /// Whether the text may not change now (a save is under way).
    #[prop(into)]
    locked: Signal<bool>,
) -> impl IntoView {
    let key = setting.key();
    let input_id = format!("field-{key}");
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let warning_id = format!("{input_id}-warning");

    let error = move || reading.get().err().map(|e| e.to_string());
    let described_by = {
        let (hint_id, error_id, warning_id) =
            (hint_id.clone(), error_id.clone(), warning_id.clone());
        move || {
            let mut ids = vec![hint_id.clone()];
            if reading.with(Result::is_err) {
                ids.push(error_id.clone());
            }
            if warnings.with(|w| !w.is_empty()) {
                ids.push(warning_id.clone());
            }
            ids.join(" ")
        }
    };
    let preview = move || match reading.get() {
        Ok(Some(value)) => parse::preview(setting, &value),
        Ok(None) => "Not set: left out of what is sent".into(),
        Err(_) => String::new(),
    };
    let hint = format!(
        "{}. Allowed: {}.",
        capitalised(parse::examples(setting)),
        parse::allowed(setting)
    );

    view! {
        <div class="field" class:invalid=move || reading.with(Result::is_err)>
            <label for=input_id.clone()>{setting.label()}</label>
            <div class="field-row">
                <input
                    id=input_id
                    name=key
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || if reading.with(Result::is_err) { "true" } else { "false" }
                    aria-describedby=described_by
                    readonly=move || locked.get()
                    prop:value=text
                    on:input=move |ev| on_input.run(event_target_value(&ev))
                />
                <output class="preview" for=format!("field-{key}")>{preview}</output>
            </div>
            <p class="hint" id=hint_id>{hint}</p>
            <p class="field-error" id=error_id aria-live="polite">{error}</p>
            {move || {
                let list = warnings.get();
                (!list.is_empty()).then(|| {
                    view! {
                        <ul class="field-warning" id=warning_id.clone()>
                            {list.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                        </ul>
                    }
                })
            }}
        </div>
    }
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
