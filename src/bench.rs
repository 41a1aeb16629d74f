//! The console's chart drawing, exported to JavaScript for
//! `tests/e2e/bench/chart-draw.mjs` (`cargo xtask bench`), which draws the
//! same generated data with the console and with uPlot in one page and
//! times both.
//!
//! Trunk's loader puts the wasm's exports on `window.wasmBindings`, so the
//! benchmark loads the built console as it is served and calls
//! `new wasmBindings.ChartBench(...)`: the code measured is exactly the
//! code users run. The rates are handed over ready-made, as uPlot gets
//! them, so both sides time only drawing.

// FIXME: this export ships in every console's wasm (a few kB); a cargo feature
// built only for the benchmark would keep it out, at the price of a second
// trunk build of the same code.

use crate::chart::{self, Plot};
use crate::clock::Clock;
use crate::rates::{Direction, Rate};
use crate::series::{ChartData, Frame, Hidden, Hover, Range, Series, Source};
use crate::units::Measure;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A chart of generated rates, drawn and hovered on demand.
#[wasm_bindgen]
pub struct ChartBench {
    plot: Plot,
    frame: Option<Frame>,
    hovered: Option<Hover>,
}

#[wasm_bindgen]
impl ChartBench {
    /// `times` (epoch seconds, evenly `step` apart) are shared by every
    /// line; `values` holds one rate per time for each line, line after
    /// line: sources alternate in and out, as the console draws them.
    #[wasm_bindgen(constructor)]
    pub fn new(times: &[f64], values: &[f64], step: f64) -> Result<ChartBench, JsError> {
        let n = times.len();
        if n < 2
            || values.is_empty()
            || !values.len().is_multiple_of(n)
            || !(values.len() / n).is_multiple_of(2)
        {
            return Err(JsError::new(
                "values must hold an even number of lines of times.len() (at least 2) rates",
            ));
        }
        let lines = values.len() / n;
        let sources = (0..lines / 2)
            .map(|i| Source {
                key: format!("peer-{i:03}"),
                label: format!("peer {i}"),
                colour: i,
                points: Vec::new(),
            })
            .collect();
        let series = values
            .chunks(n)
            .enumerate()
            .map(|(i, line)| Series {
                source: i / 2,
                direction: if i % 2 == 0 {
                    Direction::In
                } else {
                    Direction::Out
                },
                segments: vec![times
                    .iter()
                    .zip(line)
                    .map(|(t, v)| Rate {
                        t: *t as i64,
                        per_sec: *v,
                        interval: step,
                    })
                    .collect()],
            })
            .collect();
        let data = ChartData {
            range: Range {
                start: times[0] as i64,
                end: times[n - 1] as i64,
            },
            measure: Measure::Bits,
            sources,
            series,
            rekeys: Vec::new(),
        };
        Ok(ChartBench {
            plot: Plot {
                data: Arc::new(data),
                hidden: Hidden::new(),
                clock: Clock::fixed(0),
            },
            frame: None,
            hovered: None,
        })
    }

    /// Draws every line on `canvas`, as the console does.
    pub fn draw(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        self.frame = chart::draw(canvas, &self.plot).map_err(|e| JsError::new(&e))?;
        self.hovered = None;
        Ok(())
    }

    /// What hovering CSS x `x` costs: reading every line's rate there and
    /// drawing the crosshair on `overlay`. Returns how many lines had a
    /// value.
    pub fn hover(&mut self, overlay: &HtmlCanvasElement, x: f64) -> Result<usize, JsError> {
        let frame = self
            .frame
            .ok_or_else(|| JsError::new("draw the chart before hovering it"))?;
        let hover = self.plot.data.hover(&self.plot.hidden, &frame, x);
        let previous = self.hovered.take();
        chart::draw_hover(
            overlay,
            &self.plot,
            &frame,
            previous.as_ref(),
            hover.as_ref(),
        )
        .map_err(|e| JsError::new(&e))?;
        let read = hover
            .as_ref()
            .map_or(0, |h| h.values.iter().filter(|(_, v)| v.is_some()).count());
        self.hovered = hover;
        Ok(read)
    }
}
