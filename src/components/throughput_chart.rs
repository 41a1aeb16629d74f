//! A throughput chart with its one-line summary.

use crate::chart;
use crate::series::ChartData;
use leptos::html;
use leptos::prelude::*;

/// A `<figure class="chart">`: the canvas that [`chart`] draws on, kept
/// drawn at its size, and a caption with the peak, the average and the
/// number of rekeys.
#[component]
pub fn ThroughputChart(
    /// The lines, the rekeys and the time range to draw.
    data: ChartData,
) -> impl IntoView {
    let summary = data.summary();
    let canvas = NodeRef::<html::Canvas>::new();
    canvas.on_load(move |canvas| chart::keep_drawn(canvas, data));
    view! {
        <figure class="chart">
            <canvas node_ref=canvas role="img" aria-label=summary.clone() data-state="pending"></canvas>
            <figcaption>{summary}</figcaption>
        </figure>
    }
}
