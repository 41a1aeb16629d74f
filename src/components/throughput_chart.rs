//! A throughput chart with everything around it: the legend that names and
//! toggles each source, the canvas and its hover overlay with a tooltip,
//! the one-line summary, the table toggle and the exports.

use crate::chart::{self, Plot};
use crate::components::chart_controls::chart_clock;
use crate::components::chart_export::ChartExport;
use crate::components::chart_table::ChartTable;
use crate::series::{ChartData, Frame, Hidden, Hover, Step};
use crate::timerange::Zone;
use crate::units;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// A `<figure class="chart">`: legend, canvas, caption, table and exports.
#[component]
pub fn ThroughputChart(
    /// The lines, the rekeys and the time range to draw.
    #[prop(into)]
    data: Signal<Arc<ChartData>>,
    /// The clock the times are read on.
    #[prop(into)]
    zone: Signal<Zone>,
    /// What the chart is of, for its accessible name and file names.
    #[prop(into)]
    title: String,
    /// The lines hidden with the legend, when the page keeps them across
    /// new answers (another range); otherwise the chart's own.
    #[prop(optional)]
    hidden: Option<RwSignal<Hidden>>,
) -> impl IntoView {
    let hidden = hidden.unwrap_or_else(|| RwSignal::new(Hidden::new()));
    let plot = Signal::derive(move || {
        let data = data.get();
        let clock = chart_clock(zone.get(), data.range);
        Plot {
            data,
            hidden: hidden.get(),
            clock,
        }
    });
    let summary = Memo::new(move |_| data.with(|d| hidden.with(|h| d.summary(h))));
    let table_shown = RwSignal::new(false);
    let canvas = NodeRef::<html::Canvas>::new();

    view! {
        <figure class="chart" aria-label=title.clone()>
            <ChartLegend data hidden />
            <ChartCanvas plot canvas title=title.clone() />
            <figcaption>{summary}</figcaption>
            <div class="chart-actions">
                <button
                    type="button"
                    aria-expanded=move || table_shown.get().to_string()
                    on:click=move |_| table_shown.update(|s| *s = !*s)
                >
                    {move || if table_shown.get() { "Hide table" } else { "Show table" }}
                </button>
                <ChartExport plot canvas title=title.clone() />
            </div>
            <Show when=move || table_shown.get()>
                <ChartTable plot />
            </Show>
        </figure>
    }
}

/// One toggle per source, in its line's colour; pressed means shown.
#[component]
fn ChartLegend(
    /// The chart's data, whose sources are listed.
    data: Signal<Arc<ChartData>>,
    /// The keys of the hidden sources, toggled here.
    hidden: RwSignal<Hidden>,
) -> impl IntoView {
    let items = move || {
        data.get()
            .sources
            .iter()
            .map(|source| {
                let key = source.key.clone();
                let shown = {
                    let key = key.clone();
                    move || !hidden.with(|h| h.contains(&key))
                };
                let toggle = move |_| {
                    hidden.update(|h| {
                        if !h.remove(&key) {
                            h.insert(key.clone());
                        }
                    })
                };
                view! {
                    <li>
                        <button
                            type="button"
                            aria-pressed=move || shown().to_string()
                            data-key=source.key.clone()
                            on:click=toggle
                        >
                            <span
                                class="swatch"
                                style:background-color=chart::colour_css(source.colour)
                            ></span>
                            {source.label.clone()}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="chart-legend">
            <ul aria-label="Lines: press to show or hide">{items}</ul>
            <p class="chart-key">"Solid: in. Dashed: out. Orange bars: rekeys."</p>
        </div>
    }
}

/// The chart's canvas, the overlay the pointer draws on, and the tooltip.
/// A mouse, a pen or a finger dragged across the plot moves the read-out
/// (a vertical drag still scrolls the page). The plot is also a slider over
/// time for the keyboard: the arrows step
/// the read-out from one interval to the next, Page Up and Page Down by a
/// tenth of the range, Home and End to the ends, Escape puts it away; a
/// screen reader hears the read-out in words as the slider's value.
#[component]
fn ChartCanvas(
    /// What to draw.
    plot: Signal<Plot>,
    /// The chart's canvas, for the exports.
    canvas: NodeRef<html::Canvas>,
    /// What the chart is of, to name its read-out.
    title: String,
) -> impl IntoView {
    let overlay = NodeRef::<html::Canvas>::new();
    let frame = StoredValue::new_local(None::<Frame>);
    let hover = RwSignal::new(None::<Hover>);
    canvas.on_load(move |canvas| chart::keep_drawn(canvas, plot, frame));

    let show = move |found: Option<Hover>| {
        if let (Some(overlay), Some(f)) = (overlay.get_untracked(), frame.get_value()) {
            let previous = hover.get_untracked();
            let drawn = plot.with_untracked(|p| {
                chart::draw_hover(&overlay, p, &f, previous.as_ref(), found.as_ref())
            });
            if let Err(e) = drawn {
                leptos::logging::warn!("{e}");
            }
        }
        hover.set(found);
    };
    // A new plot (a line hidden, another unit) makes the old read-out wrong.
    Effect::new(move |_| {
        plot.track();
        show(None);
    });
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(f) = frame.get_value() else { return };
        let x = f64::from(ev.offset_x());
        let found = plot.with_untracked(|p| p.data.hover(&p.hidden, &f, x));
        show(found);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        if key == "Escape" && hover.get_untracked().is_some() {
            ev.prevent_default();
            show(None);
            return;
        }
        let (Some(step), Some(f)) = (Step::from_key(&key), frame.get_value()) else {
            return;
        };
        ev.prevent_default();
        let from = hover.get_untracked().map(|h| h.t);
        let found = plot.with_untracked(|p| {
            let t = p.data.step_time(&p.hidden, from, step)?;
            p.data.hover(&p.hidden, &f, f.x_of(t as f64))
        });
        show(found);
    };
    let range = move || plot.with(|p| p.data.range);
    let value_text = move || {
        let p = plot.get();
        match hover.get() {
            Some(h) => p.data.reading_text(&h, &p.clock),
            None => "No time chosen: use the arrow keys to read the chart".to_string(),
        }
    };

    view! {
        <div
            class="chart-plot"
            tabindex="0"
            role="slider"
            aria-label=format!("Read-out of {title}")
            aria-valuemin=move || range().start
            aria-valuemax=move || range().end
            aria-valuenow=move || hover.get().map_or(range().start, |h| h.t)
            aria-valuetext=value_text
            on:keydown=on_key
            on:blur=move |_| show(None)
        >
            <canvas node_ref=canvas class="chart-canvas" role="img" data-state="pending"></canvas>
            <canvas
                node_ref=overlay
                class="chart-overlay"
                aria-hidden="true"
                on:pointermove=on_move
                on:pointerdown=on_move
                on:pointerleave=move |ev| {
                    // A finger lifted leaves the read-out where it was.
                    if ev.pointer_type() != "touch" {
                        show(None)
                    }
                }
            ></canvas>
            {move || hover.get().map(|h| view! { <Tooltip plot hover=h frame /> })}
        </div>
    }
}

/// How many lines the tooltip lists at most.
const MOST_TOOLTIP_ROWS: usize = 16;

/// The read-out at the pointer: the time, the rekey under it, and each
/// visible line's rate.
#[component]
fn Tooltip(
    /// What is drawn.
    plot: Signal<Plot>,
    /// What the pointer reads.
    hover: Hover,
    /// Where the plot lies, to place the tooltip beside the pointer.
    frame: StoredValue<Option<Frame>, LocalStorage>,
) -> impl IntoView {
    let p = plot.get_untracked();
    let f = frame.get_value();
    let middle = f.map_or(0.0, |f| (f.left + f.right) / 2.0);
    let top = f.map_or(0.0, |f| f.top + 8.0);
    // Beside the pointer, on the side with more room. Set through the
    // style object, as the controller's Content-Security-Policy refuses
    // style attributes.
    let (left, right) = if hover.x > middle {
        (
            "auto".to_string(),
            format!("calc(100% - {}px)", hover.x - 12.0),
        )
    } else {
        (format!("{}px", hover.x + 12.0), "auto".to_string())
    };
    // Many lines would not fit beside the plot: the highest ones are shown.
    let mut values = hover.values.clone();
    let more = values.len().saturating_sub(MOST_TOOLTIP_ROWS);
    if more > 0 {
        values.sort_by(|a, b| b.1.unwrap_or(-1.0).total_cmp(&a.1.unwrap_or(-1.0)));
        values.truncate(MOST_TOOLTIP_ROWS);
    }
    let more = (more > 0).then(|| {
        view! { <p class="chart-tooltip-more">{format!("{more} lower lines not listed")}</p> }
    });
    let rows = values
        .iter()
        .map(|(i, v)| {
            let line = &p.data.series[*i];
            let colour = chart::colour_css(p.data.sources[line.source].colour);
            let value = v.map_or_else(|| "no data".to_string(), |v| p.data.measure.rate(v));
            view! {
                <tr>
                    <th scope="row">
                        <span class="swatch" style:background-color=colour></span>
                        {p.data.label(line)}
                    </th>
                    <td>{value}</td>
                </tr>
            }
        })
        .collect_view();
    let time = (!hover.values.is_empty()).then(|| p.clock.time_text(hover.t));
    let zone = if p.clock.is_utc() { " UTC" } else { "" };
    let rekey = hover.rekey.map(|r| {
        format!(
            "Rekey at {}{zone}",
            units::date_time_seconds(r, p.clock.offset_at(r))
        )
    });

    view! {
        <div
            class="chart-tooltip"
            style:left=left
            style:right=right
            style:top=format!("{top}px")
        >
            {time.map(|t| view! { <p class="chart-tooltip-time">{t}</p> })}
            {rekey.map(|r| view! { <p class="chart-tooltip-rekey">{r}</p> })}
            <table>
                <tbody>{rows}</tbody>
            </table>
            {more}
        </div>
    }
}
