//! `/appliances/{serial}`: an appliance, its groups, and its traffic in
//! each of them over the last 24 hours.

use crate::api::{self, Client};
use crate::clock;
use crate::components::{fetched, set_page_title, ApplianceGroups, ThroughputChart};
use crate::membership;
use crate::series::{ChartData, Range};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::{Appliance, Group};

/// How far back the charts look.
const DAY: i64 = 24 * 60 * 60;

/// The page of the appliance named by the address.
#[component]
pub fn AppliancePage() -> impl IntoView {
    let params = use_params_map();
    let serial = Memo::new(move |_| params.read().get("serial").unwrap_or_default());

    move || {
        let serial = serial.get();
        view! { <ApplianceView serial /> }
    }
}

#[component]
fn ApplianceView(serial: String) -> impl IntoView {
    let client = Client::expect();
    let appliance = {
        let serial = serial.clone();
        LocalResource::new(move || api::appliance(client, &serial))
    };
    let groups = LocalResource::new(move || api::groups(client));
    {
        let serial = serial.clone();
        set_page_title(move || match appliance.get() {
            Some(Ok(a)) => format!("{} · Appliances", a.display_name()),
            _ => format!("{serial} · Appliances"),
        });
    }

    let page = move |appliance: Appliance| {
        fetched(groups, move |groups| {
            let ids = membership::group_ids(&appliance, &groups.items);
            let charts = ids
                .iter()
                .map(|&id| {
                    let group = membership::find(&groups.items, id).cloned();
                    view! { <GroupTraffic appliance=appliance.clone() id group /> }
                })
                .collect_view();
            view! {
                <h1>{appliance.display_name().to_string()}</h1>
                <dl class="facts">
                    <div>
                        <dt>"Serial"</dt>
                        <dd class="serial">{appliance.serial.clone()}</dd>
                    </div>
                </dl>
                <section aria-labelledby="groups">
                    <h2 id="groups">"Groups"</h2>
                    <ApplianceGroups serial=appliance.serial.clone() name=appliance.display_name().to_string() />
                </section>
                {charts}
            }
        })
    };

    view! {
        {move || match appliance.get() {
            Some(Err(_)) => Some(view! { <h1>{serial.clone()}</h1> }),
            _ => None,
        }}
        {fetched(appliance, page)}
    }
}

/// The appliance's throughput within one group, with the group's rekeys.
#[component]
fn GroupTraffic(appliance: Appliance, id: i64, group: Option<Group>) -> impl IntoView {
    let client = Client::expect();
    let serial = appliance.serial.clone();
    let stats = LocalResource::new(move || {
        let range = Range::last(DAY, clock::now());
        let answer = api::peer_group_stats(client, &serial, id, (range.start, range.end));
        async move { answer.await.map(|stats| (range, stats)) }
    });
    let title = group.map_or_else(|| format!("Group {id}"), |g| g.name);
    let name = appliance.display_name().to_string();

    view! {
        <section class="group-traffic">
            <h2>{format!("Throughput in {title}, last 24 hours")}</h2>
            {fetched(stats, move |(range, stats)| {
                let name = name.clone();
                let data = ChartData::from_peers(&[stats], range, move |_| name.clone());
                view! { <ThroughputChart data /> }
            })}
        </section>
    }
}
