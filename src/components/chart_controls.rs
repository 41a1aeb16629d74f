//! The controls above a page's charts: the time range (presets and a
//! custom range), the time zone and the measure. They live in the page's
//! query (see [`crate::timerange`]), so a link or a reload shows the same
//! charts.

use crate::clock::{self, Clock};
use crate::series::Range;
use crate::timerange::{self, ChartQuery, Preset, Span, Zone};
use crate::units::Measure;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The chart query of the current address, and what in it was not
/// understood.
#[derive(Clone, Copy)]
pub struct ChartQueryState {
    pub query: Memo<ChartQuery>,
    pub problems: Memo<Vec<String>>,
}

/// Reads the chart query from the address.
pub fn use_chart_query() -> ChartQueryState {
    let map = use_query_map();
    let parsed = Memo::new(move |_| map.with(|m| ChartQuery::parse(|k| m.get(k))));
    ChartQueryState {
        query: Memo::new(move |_| parsed.get().0),
        problems: Memo::new(move |_| parsed.get().1),
    }
}

/// The clock `zone` reads over `range`, daylight-saving changes included.
pub fn chart_clock(zone: Zone, range: Range) -> Clock {
    match zone {
        Zone::Utc => Clock::fixed(0),
        Zone::Local => Clock::sampled(range.start, range.end, clock::local_offset_min),
    }
}

/// Minutes east of UTC of the clock `zone` reads at `epoch`.
pub fn offset_min(zone: Zone, epoch: i64) -> i32 {
    match zone {
        Zone::Utc => 0,
        Zone::Local => clock::local_offset_min(epoch),
    }
}

/// The range presets, a custom range, the time zone and the measure.
#[component]
pub fn ChartControls(
    /// The page's chart query.
    state: ChartQueryState,
) -> impl IntoView {
    let query = state.query;
    let map = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let go = move |next: ChartQuery| {
        let others: Vec<(String, String)> = map.with_untracked(|m| {
            m.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        let path = location.pathname.get_untracked();
        navigate(
            &format!("{path}{}", next.search(&others)),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };

    let presets = Preset::ALL
        .into_iter()
        .map(|p| {
            let go = go.clone();
            let pressed = move || query.get().span == Span::Last(p);
            view! {
                <button
                    type="button"
                    aria-pressed=move || pressed().to_string()
                    aria-label=p.accessible_name()
                    on:click=move |_| go(ChartQuery { span: Span::Last(p), ..query.get_untracked() })
                >
                    {p.key()}
                </button>
            }
        })
        .collect_view();

    let on_zone = {
        let go = go.clone();
        move |ev| {
            let zone = if event_target_value(&ev) == "utc" {
                Zone::Utc
            } else {
                Zone::Local
            };
            go(ChartQuery {
                zone,
                ..query.get_untracked()
            });
        }
    };
    let on_measure = {
        let go = go.clone();
        move |ev| {
            let measure = Measure::from_key(&event_target_value(&ev)).unwrap_or_default();
            go(ChartQuery {
                measure,
                ..query.get_untracked()
            });
        }
    };
    let measures = Measure::ALL
        .into_iter()
        .map(|m| {
            view! {
                <option value=m.key() selected=move || query.get().measure == m>
                    {m.label()}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="chart-controls">
            <div class="chart-presets" role="group" aria-label="Time range">
                {presets}
            </div>
            <CustomRange query on_apply=Callback::new(go) />
            <label>
                "Time zone "
                <select on:change=on_zone>
                    <option value="local" selected=move || query.get().zone == Zone::Local>
                        "Local"
                    </option>
                    <option value="utc" selected=move || query.get().zone == Zone::Utc>
                        "UTC"
                    </option>
                </select>
            </label>
            <label>
                "Unit " <select on:change=on_measure>{measures}</select>
            </label>
        </div>
        {move || {
            let problems = state.problems.get();
            (!problems.is_empty())
                .then(|| {
                    view! {
                        <div class="notice" role="alert">
                            {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        </div>
                    }
                })
        }}
    }
}

/// Two date-and-time fields read in the chosen time zone, and "Apply".
#[component]
fn CustomRange(
    /// The current chart query, whose range the fields start from.
    query: Memo<ChartQuery>,
    /// Called with the query that shows the typed range.
    on_apply: Callback<ChartQuery>,
) -> impl IntoView {
    let initial = move |end: bool| {
        let q = query.get();
        let range = q.range(clock::now());
        let t = if end { range.end } else { range.start };
        timerange::input_value(t, offset_min(q.zone, t))
    };
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The fields follow the query until the user types in them.
    Effect::new(move |_| {
        from.set(initial(false));
        to.set(initial(true));
    });
    let error = RwSignal::new(None::<String>);

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        let read = |text: String| timerange::parse_local_input(&text, |t| offset_min(q.zone, t));
        match (read(from.get_untracked()), read(to.get_untracked())) {
            (Ok(start), Ok(end)) if start < end => {
                error.set(None);
                let range = crate::series::Range { start, end };
                on_apply.run(ChartQuery {
                    span: Span::Between(range),
                    ..q
                });
            }
            (Ok(_), Ok(_)) => error.set(Some("The range must end after it starts".into())),
            (Err(e), _) | (_, Err(e)) => error.set(Some(e)),
        }
    };

    view! {
        <form class="chart-custom" on:submit=apply>
            <label>
                "From "
                <input
                    type="datetime-local"
                    prop:value=from
                    on:input=move |ev| from.set(event_target_value(&ev))
                />
            </label>
            <label>
                "To "
                <input
                    type="datetime-local"
                    prop:value=to
                    on:input=move |ev| to.set(event_target_value(&ev))
                />
            </label>
            <button type="submit">"Apply"</button>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </form>
    }
}

/// Charts of an earlier range while the page's new range loads: dimmed,
/// marked busy, and said so in words, so that nobody reads the old numbers
/// as the new range's. `stale` holds from the moment the range changes
/// until the new answer (or its failure) arrives.
#[component]
pub fn ChartsOf(
    /// Whether the charts show another range than the one asked for.
    #[prop(into)]
    stale: Signal<bool>,
    /// The charts.
    children: Children,
) -> impl IntoView {
    view! {
        {move || {
            stale
                .get()
                .then(|| {
                    view! {
                        <p class="notice refreshing" role="status">
                            "Loading the new range… The charts below still show the previous one."
                        </p>
                    }
                })
        }}
        <div
            class="charts"
            class:stale=move || stale.get()
            aria-busy=move || stale.get().to_string()
        >
            {children()}
        </div>
    }
}
