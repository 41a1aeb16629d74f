//! `/groups/{id}`: a group's settings, its members and its traffic: each
//! peer's throughput and the group's total, over the range the address's
//! query chooses (the last 24 hours by default).

use crate::api::{self, Client};
use crate::clock;
use crate::components::{
    fetched, fetched_item, set_page_title, use_chart_query, ChartControls, ChartQueryState,
    ChartsOf, DeleteGroup, GroupMembers, SettingsList, ThroughputChart,
};
use crate::pages::{use_group_id, NotFoundPage, NO_SUCH_GROUP};
use crate::paths;
use crate::series::{ChartData, Hidden, Range};
use crate::timerange::Span;
use leptos::prelude::*;
use model::{AllPeerGroupStats, Group, GroupStats, Member};
use std::sync::Arc;

/// The page of the group named by the address.
#[component]
pub fn GroupPage() -> impl IntoView {
    let id = use_group_id();

    move || match id.get() {
        Some(id) => view! { <GroupView id /> }.into_any(),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn GroupView(id: i64) -> impl IntoView {
    let client = Client::expect();
    let group = LocalResource::new(move || api::group(client, id));
    set_page_title(move || match group.get() {
        Some(Ok(g)) => format!("{} · Groups", g.name),
        _ => format!("Group {id} · Groups"),
    });
    let charts = use_chart_query();

    let page = move |group: Group| {
        let members = group.member_list().to_vec();
        let chart = view! { <GroupCharts id name=group.name.clone() members=members.clone() state=charts /> };
        view! {
            <div class="page-actions">
                <a class="button" href=paths::group_edit(id)>"Edit"</a>
                <DeleteGroup id />
            </div>
            <section aria-labelledby="settings">
                <h2 id="settings">"Settings"</h2>
                <SettingsList group=group.clone() />
            </section>
            <section aria-labelledby="traffic" class="traffic">
                <h2 id="traffic">"Throughput"</h2>
                {chart}
            </section>
            <section aria-labelledby="members">
                <h2 id="members">"Members"</h2>
                <GroupMembers id />
            </section>
        }
    };

    // One heading whose text follows the answer, so that focus given to it
    // (after a sign-in) stays when the group arrives.
    let heading = move || match group.get() {
        Some(Ok(g)) => g.name,
        _ => format!("Group {id}"),
    };
    view! {
        <h1>{heading}</h1>
        {fetched_item(group, NO_SUCH_GROUP, page)}
    }
}

/// The range controls, each peer's throughput and the group's total.
#[component]
fn GroupCharts(
    id: i64,
    name: String,
    members: Vec<Member>,
    state: ChartQueryState,
) -> impl IntoView {
    let client = Client::expect();
    let span = Memo::new(move |_| state.query.get().span);
    let stats = LocalResource::new(move || {
        let asked = span.get();
        let range = asked.range(clock::now());
        let window = (range.start, range.end);
        let peers = api::all_peer_group_stats(client, id, window);
        let total = api::group_stats(client, id, window);
        async move {
            let (peers, total) = futures::future::join(peers, total).await;
            Ok::<_, api::ApiError>((asked, range, peers?, total?))
        }
    });
    // The answer on screen is for another range than the one asked for.
    let stale = Signal::derive(move || {
        stats.with(|answer| matches!(answer, Some(Ok((asked, ..))) if *asked != span.get()))
    });
    let zone = Signal::derive(move || state.query.get().zone);
    let measure = Memo::new(move |_| state.query.get().measure);

    // The legend's choices outlive each answer, so a new range keeps them.
    let (peers_hidden, total_hidden) = (RwSignal::new(Hidden::new()), RwSignal::new(Hidden::new()));
    let by_peer_title = format!("Throughput by peer in {name}");
    let total_title = format!("Total throughput of {name}");
    let charts = move |(_, range, peers, total): (Span, Range, AllPeerGroupStats, GroupStats)| {
        let members = members.clone();
        let rekeys = total.rekey_times.clone().unwrap_or_default();
        let by_peer = Memo::new(move |_| {
            let peers = peers.peer_stats.as_deref().unwrap_or_default();
            let name = |serial: &str| name_of(&members, serial);
            Arc::new(ChartData::from_peers(
                peers,
                &rekeys,
                range,
                measure.get(),
                name,
            ))
        });
        let totals = Memo::new(move |_| {
            Arc::new(ChartData::from_group(
                &total,
                "All peers",
                range,
                measure.get(),
            ))
        });
        view! {
            <h3>"By peer"</h3>
            <ThroughputChart data=by_peer zone title=by_peer_title.clone() hidden=peers_hidden />
            <h3>"Group total"</h3>
            <ThroughputChart data=totals zone title=total_title.clone() hidden=total_hidden />
        }
    };
    view! {
        <ChartControls state />
        <ChartsOf stale>{fetched(stats, charts)}</ChartsOf>
    }
}

/// The legend's name of a member: its name, or its serial.
fn name_of(members: &[Member], serial: &str) -> String {
    members
        .iter()
        .find(|m| m.serial == serial)
        .and_then(|m| m.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| serial.to_string())
}
