//! A chart's text alternative: the same numbers as a table, one row per
//! interval and one column per visible line.

use crate::chart::Plot;
use crate::units;
use leptos::prelude::*;

/// How many rows the page shows at most; the CSV export holds them all.
const MOST_ROWS: usize = 2000;

/// The visible lines of `plot` as a table.
#[component]
pub fn ChartTable(
    /// What the chart draws.
    plot: Signal<Plot>,
) -> impl IntoView {
    move || {
        let p = plot.get();
        let table = p.data.table(&p.hidden);
        if table.rows.is_empty() {
            return view! { <p class="empty">"No rates to list in this range."</p> }.into_any();
        }
        let measure = p.data.measure;
        let range = p.data.range;
        // Across a daylight-saving change an hour comes twice: each row then
        // names its offset.
        let changes = p.clock.spans(range.start, range.end).len() > 1;
        let when = |t| {
            if changes {
                p.clock.time_text(t)
            } else {
                units::date_time(t, p.clock.offset_at(t))
            }
        };
        let clock_name = p.clock.name(range.start, range.end);
        let total = table.rows.len();
        let header = table
            .columns
            .iter()
            .map(|c| view! { <th scope="col">{c.clone()}</th> })
            .collect_view();
        let rows = table
            .rows
            .into_iter()
            .take(MOST_ROWS)
            .map(|(t, values)| {
                let cells = values
                    .into_iter()
                    .map(|v| view! { <td>{v.map(|v| measure.rate(v)).unwrap_or_default()}</td> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row" data-t=t.to_string()>
                            {when(t)}
                        </th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        let note = (total > MOST_ROWS).then(|| {
            view! {
                <p class="notice">
                    {format!(
                        "The table lists the first {MOST_ROWS} of {total} intervals; the CSV export holds them all.",
                    )}
                </p>
            }
        });
        view! {
            <div class="chart-table">
                {note}
                <table class="list">
                    <thead>
                        <tr>
                            <th scope="col">{format!("Interval ending ({clock_name})")}</th>
                            {header}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}
