//! `/groups/{id}`: a group's settings, its members and its traffic over the
//! last 24 hours.

use crate::api::{self, Client};
use crate::clock;
use crate::components::{
    fetched, set_page_title, DeleteGroup, GroupMembers, SettingsList, ThroughputChart,
};
use crate::pages::NotFoundPage;
use crate::paths;
use crate::series::{ChartData, Range};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::{Group, Member};

/// How far back the chart looks.
const DAY: i64 = 24 * 60 * 60;

/// The page of the group named by the address.
#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });

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
    let stats = LocalResource::new(move || {
        let range = Range::last(DAY, clock::now());
        let answer = api::all_peer_group_stats(client, id, (range.start, range.end));
        async move { answer.await.map(|stats| (range, stats)) }
    });

    let page = move |group: Group| {
        let members = group.member_list().to_vec();
        let chart = {
            let members = members.clone();
            fetched(stats, move |(range, stats)| {
                let peers = stats.peer_stats.unwrap_or_default();
                let data = ChartData::from_peers(&peers, range, |serial| name_of(&members, serial));
                view! { <ThroughputChart data /> }
            })
        };
        view! {
            <h1>{group.name.clone()}</h1>
            <div class="page-actions">
                <a class="button" href=paths::group_edit(id)>"Edit"</a>
                <DeleteGroup id />
            </div>
            <section aria-labelledby="settings">
                <h2 id="settings">"Settings"</h2>
                <SettingsList group=group.clone() />
            </section>
            <section aria-labelledby="traffic">
                <h2 id="traffic">"Throughput, last 24 hours"</h2>
                {chart}
            </section>
            <section aria-labelledby="members">
                <h2 id="members">"Members"</h2>
                <GroupMembers id />
            </section>
        }
    };

    view! {
        {move || match group.get() {
            Some(Err(_)) => Some(view! { <h1>{format!("Group {id}")}</h1> }),
            _ => None,
        }}
        {fetched(group, page)}
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
