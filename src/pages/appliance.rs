//! `/appliances/{serial}`: an appliance, its groups, and its traffic in
//! each of them, with that group's rekeys, over the range the address's
//! query chooses (the last 24 hours by default).

use crate::api::{self, Client};
use crate::clock;
use crate::components::ChartsOf;
use crate::components::{
    fetched, fetched_item, set_page_title, use_chart_query, ApplianceGroups, ChartControls,
    ChartQueryState, ThroughputChart,
};
use crate::membership;
use crate::pages::NO_SUCH_APPLIANCE;
use crate::series::{ChartData, Hidden};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::{Appliance, Group, Groups};
use std::sync::Arc;

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
    // The appliance and the groups in one resource, so that one Retry reads
    // again whichever of them failed.
    let loaded = {
        let serial = serial.clone();
        LocalResource::new(move || {
            let appliance = api::appliance(client, &serial);
            let groups = api::groups(client);
            async move {
                let (appliance, groups) = futures::future::join(appliance, groups).await;
                Ok::<_, api::ApiError>((appliance?, groups?))
            }
        })
    };
    let name = {
        let serial = serial.clone();
        move || match loaded.get() {
            Some(Ok((a, _))) => a.display_name().to_string(),
            _ => serial.clone(),
        }
    };
    {
        let name = name.clone();
        set_page_title(move || format!("{} · Appliances", name()));
    }
    let state = use_chart_query();

    // Bumped by each membership apply: the charts then follow the groups the
    // controller now holds, while the Groups section keeps its report.
    let applied = RwSignal::new(0u32);
    let refreshed = {
        let serial = serial.clone();
        LocalResource::new(move || {
            let fetch =
                (applied.get() > 0).then(|| (api::appliance(client, &serial), api::groups(client)));
            async move {
                match fetch {
                    None => Ok(None),
                    Some((appliance, groups)) => {
                        let (appliance, groups) = futures::future::join(appliance, groups).await;
                        Ok::<_, api::ApiError>(Some((appliance?, groups?)))
                    }
                }
            }
        })
    };
    let on_saved = Callback::new(move |()| applied.update(|n| *n += 1));

    let page = move |(appliance, groups): (Appliance, Groups)| {
        let loaded = (appliance.clone(), groups);
        let charts = fetched(refreshed, move |fresh: Option<(Appliance, Groups)>| {
            let (appliance, groups) = fresh.unwrap_or_else(|| loaded.clone());
            let ids = membership::group_ids(&appliance, &groups.items);
            ids.iter()
                .map(|&id| {
                    let group = membership::find(&groups.items, id).cloned();
                    view! { <GroupTraffic appliance=appliance.clone() id group state /> }
                })
                .collect_view()
        });
        view! {
            <dl class="facts">
                <div>
                    <dt>"Serial"</dt>
                    <dd class="serial">{appliance.serial.clone()}</dd>
                </div>
            </dl>
            <section aria-labelledby="groups">
                <h2 id="groups">"Groups"</h2>
                <ApplianceGroups
                    serial=appliance.serial.clone()
                    name=appliance.display_name().to_string()
                    on_saved
                />
            </section>
            <section aria-labelledby="traffic" class="traffic">
                <h2 id="traffic">"Throughput"</h2>
                <ChartControls state />
                {charts}
            </section>
        }
    };

    // One heading whose text follows the answer, so that focus given to it
    // (after a sign-in) stays when the appliance arrives.
    view! {
        <h1>{name}</h1>
        {fetched_item(loaded, NO_SUCH_APPLIANCE, page)}
    }
}

/// The appliance's throughput within one group, with the group's rekeys.
#[component]
fn GroupTraffic(
    appliance: Appliance,
    id: i64,
    group: Option<Group>,
    state: ChartQueryState,
) -> impl IntoView {
    let client = Client::expect();
    let serial = appliance.serial.clone();
    let span = Memo::new(move |_| state.query.get().span);
    let stats = LocalResource::new(move || {
        let asked = span.get();
        let range = asked.range(clock::now());
        let answer = api::peer_group_stats(client, &serial, id, (range.start, range.end));
        async move { answer.await.map(|stats| (asked, range, stats)) }
    });
    let stale = Signal::derive(move || {
        stats.with(|answer| matches!(answer, Some(Ok((asked, ..))) if *asked != span.get()))
    });
    let title = group.map_or_else(|| format!("Group {id}"), |g| g.name);
    let name = appliance.display_name().to_string();
    let zone = Signal::derive(move || state.query.get().zone);
    let measure = Memo::new(move |_| state.query.get().measure);
    let chart_title = format!("Throughput of {name} in {title}");
    let hidden = RwSignal::new(Hidden::new());

    view! {
        <section class="group-traffic">
            <h3>{format!("In {title}")}</h3>
            <ChartsOf stale>{fetched(stats, move |(_, range, stats)| {
                let name = name.clone();
                let data = Memo::new(move |_| {
                    let name = |_: &str| name.clone();
                    Arc::new(ChartData::from_peers(std::slice::from_ref(&stats), &[], range, measure.get(), name))
                });
                view! { <ThroughputChart data zone title=chart_title.clone() hidden /> }
            })}</ChartsOf>
        </section>
    }
}
