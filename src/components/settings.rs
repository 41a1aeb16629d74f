//! A group's six bounded settings, each in its unit.

use crate::units;
use leptos::prelude::*;
use model::{Group, Setting};

/// The settings of `group` as a description list: a label, the value in
/// human units, and the exact value the controller sent on hover.
#[component]
pub fn SettingsList(
    /// The group whose settings are shown.
    group: Group,
) -> impl IntoView {
    let rows = Setting::ALL.map(|setting| {
        let value = setting.get(&group);
        let human = value.map_or_else(|| "Not set".to_string(), |v| units::setting(setting, v));
        let exact = value.map(|v| units::exact_setting(setting, v));
        view! {
            <div class="setting">
                <dt title=setting.description()>{setting.label()}</dt>
                <dd title=exact class:unset=value.is_none()>
                    {human}
                </dd>
            </div>
        }
    });
    view! { <dl class="settings">{rows.into_iter().collect_view()}</dl> }
}
