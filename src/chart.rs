//! Throughput charts on a `<canvas>`: the only code that draws.
//!
//! A page hands [`keep_drawn`] a canvas and a [`ChartData`]; this module
//! sizes the canvas's backing store to its CSS size times the device pixel
//! ratio, draws with plotters (one line per peer, broken at gaps, decimated
//! to four points per pixel column), marks every rekey with a vertical bar
//! in [`MARKER`], and records what it drew in the canvas's `data-*`
//! attributes for whoever checks the picture: `data-state="drawn"`,
//! `data-rekey-count`, `data-rekey-x` (CSS pixels from the canvas's left
//! edge) and `data-rekey-times` (epoch seconds). It draws again whenever the
//! canvas changes size.
//!
//! Everything is drawn in device pixels, so every length below is a CSS
//! length multiplied by the pixel ratio.

mod backend;

use crate::clock;
use crate::decimate;
use crate::series::{self, ChartData};
use crate::units;
use leptos::prelude::on_cleanup;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, ResizeObserver};

/// The colour of rekey markers, #d9480f.
pub const MARKER: RGBColor = RGBColor(0xd9, 0x48, 0x0f);

/// Line colours of the peers, in legend order; none is close to [`MARKER`].
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1c, 0x7e, 0xd6),
    RGBColor(0x2f, 0x9e, 0x44),
    RGBColor(0x70, 0x48, 0xe8),
    RGBColor(0x0c, 0x85, 0x99),
    RGBColor(0xc2, 0x25, 0x5c),
    RGBColor(0x5c, 0x94, 0x0d),
    RGBColor(0x36, 0x4f, 0xc7),
    RGBColor(0x49, 0x50, 0x57),
];

const INK: RGBColor = RGBColor(0x21, 0x25, 0x29);
const MUTED: RGBColor = RGBColor(0x49, 0x50, 0x57);
const GRID: RGBColor = RGBColor(0xe9, 0xec, 0xef);
const AXIS: RGBColor = RGBColor(0xad, 0xb5, 0xbd);

/// What one drawing placed on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// CSS pixel x of each rekey marker, relative to the canvas.
    pub rekey_x: Vec<f64>,
}

/// Draws `data` on `canvas` now and whenever the canvas changes size, until
/// the current reactive owner is cleaned up.
pub fn keep_drawn(canvas: HtmlCanvasElement, data: ChartData) {
    let target = canvas.clone();
    let redraw = Closure::<dyn FnMut()>::new(move || {
        if let Err(e) = draw(&target, &data) {
            leptos::logging::warn!("the chart could not be drawn: {e}");
            let _ = target.set_attribute("data-state", "failed");
        }
    });
    match ResizeObserver::new(redraw.as_ref().unchecked_ref()) {
        Ok(observer) => {
            // The first observation comes at once, which draws the chart.
            observer.observe(&canvas);
            let keep = SendWrapper::new((observer, redraw));
            on_cleanup(move || keep.0.disconnect());
        }
        Err(_) => {
            // Without ResizeObserver the chart is drawn once, at its first size.
            let _ = redraw
                .as_ref()
                .unchecked_ref::<js_sys::Function>()
                .call0(&canvas);
        }
    }
}

/// Sizes the backing store, draws, and records what was drawn on the
/// canvas. A canvas without a size (not laid out yet) is left alone.
pub fn draw(canvas: &HtmlCanvasElement, data: &ChartData) -> Result<Drawn, String> {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(0.5);
    let css = canvas.get_bounding_client_rect();
    let (width, height) = (
        (css.width() * ratio).round(),
        (css.height() * ratio).round(),
    );
    if width < 1.0 || height < 1.0 {
        return Ok(Drawn {
            rekey_x: Vec::new(),
        });
    }
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);

    let backend = backend::Canvas::new(canvas).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    let offset = clock::local_offset_min(data.range.end);
    let markers = paint(&root, data, ratio, offset).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;

    let drawn = Drawn {
        rekey_x: markers.iter().map(|x| f64::from(*x) / ratio).collect(),
    };
    record(canvas, data, &drawn);
    Ok(drawn)
}

/// The `data-*` attributes that say what the canvas shows.
fn record(canvas: &HtmlCanvasElement, data: &ChartData, drawn: &Drawn) {
    let join = |items: Vec<String>| items.join(",");
    let xs = join(
        drawn
            .rekey_x
            .iter()
            .map(|x| format!("{}", (x * 100.0).round() / 100.0))
            .collect(),
    );
    let times = join(data.rekeys.iter().map(|t| t.to_string()).collect());
    for (name, value) in [
        ("data-rekey-count", data.rekeys.len().to_string()),
        ("data-rekey-x", xs),
        ("data-rekey-times", times),
        ("aria-label", data.summary()),
        ("data-state", "drawn".to_string()),
    ] {
        let _ = canvas.set_attribute(name, &value);
    }
}

type Area = DrawingArea<backend::Canvas, Shift>;
type DrawResult<T> =
    Result<T, DrawingAreaErrorKind<<backend::Canvas as DrawingBackend>::ErrorType>>;

/// Draws everything and returns the device pixel x of each rekey marker.
fn paint(root: &Area, data: &ChartData, ratio: f64, offset_min: i32) -> DrawResult<Vec<i32>> {
    let px = |css: f64| (css * ratio).round() as i32;
    let font =
        |size: f64, colour: &RGBColor| ("sans-serif", size * ratio).into_font().color(colour);
    root.fill(&WHITE)?;

    let legend_height = legend_height(root, data, ratio)?;
    let (legend, plot) = root.split_vertically(legend_height);
    draw_legend(&legend, data, ratio)?;

    let (start, end) = (data.range.start as f64, data.range.end as f64);
    let top = series::nice_ceiling(data.peak().map_or(0.0, |(peak, _)| peak));
    let (plot_width, _) = plot.dim_in_pixel();
    let max_ticks = (f64::from(plot_width) / ratio / 90.0).floor().max(2.0) as usize;
    let ticks: Vec<f64> = series::time_ticks(data.range, offset_min, max_ticks)
        .into_iter()
        .map(|t| t as f64)
        .collect();

    let mut chart = ChartBuilder::on(&plot)
        .margin_top(px(8.0))
        .margin_right(px(16.0))
        .margin_bottom(px(4.0))
        .x_label_area_size(px(28.0))
        .y_label_area_size(px(76.0))
        .build_cartesian_2d(
            TimeAxis {
                start,
                end,
                ticks,
                offset_min,
            },
            0.0..top,
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(5)
        .y_label_formatter(&|v| units::bit_rate(*v))
        .label_style(font(12.0, &MUTED))
        .bold_line_style(GRID.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(px(1.0).max(1) as u32))
        .draw()?;

    let (columns, _) = chart.plotting_area().dim_in_pixel();
    for (i, line) in data.series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let stroke = colour.stroke_width(px(1.5).max(1) as u32);
        for run in &line.segments {
            let points: Vec<(f64, f64)> = run.iter().map(|r| (r.t as f64, r.per_sec)).collect();
            let points = decimate::m4(&points, start, end, columns as usize);
            if let [only] = points.as_slice() {
                chart.draw_series(std::iter::once(Circle::new(
                    *only,
                    px(2.5),
                    colour.filled(),
                )))?;
            } else {
                chart.draw_series(LineSeries::new(points, stroke))?;
            }
        }
    }

    if data.is_empty() {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let centre = ((xs.start + xs.end) / 2, (ys.start + ys.end) / 2);
        let style = font(14.0, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw_text("No throughput data in this range", &style, centre)?;
    }

    // Markers last, so that no line hides them.
    let (_, ys) = chart.plotting_area().get_pixel_range();
    let bar = px(3.0).max(2);
    let mut xs = Vec::with_capacity(data.rekeys.len());
    for t in &data.rekeys {
        let (x, _) = chart.backend_coord(&(*t as f64, 0.0));
        let left = x - bar / 2;
        root.draw(&Rectangle::new(
            [(left, ys.start), (left + bar, ys.end)],
            MARKER.filled(),
        ))?;
        xs.push(x);
    }
    Ok(xs)
}

/// The legend's rows: for each peer, where its swatch and name go.
fn legend_layout(root: &Area, data: &ChartData, ratio: f64) -> DrawResult<Vec<(i32, i32)>> {
    let (width, _) = root.dim_in_pixel();
    let style = TextStyle::from(("sans-serif", 13.0 * ratio).into_font());
    let (gap, swatch, row) = (16.0 * ratio, 22.0 * ratio, 22.0 * ratio);
    let mut at = Vec::with_capacity(data.series.len());
    let (mut x, mut y) = (76.0 * ratio, 6.0 * ratio);
    for line in &data.series {
        let (text, _) = root.estimate_text_size(&line.label, &style)?;
        let item = swatch + f64::from(text);
        if x + item > f64::from(width) && !at.is_empty() {
            x = 76.0 * ratio;
            y += row;
        }
        at.push((x.round() as i32, y.round() as i32));
        x += item + gap;
    }
    Ok(at)
}

fn legend_height(root: &Area, data: &ChartData, ratio: f64) -> DrawResult<i32> {
    let rows = legend_layout(root, data, ratio)?
        .iter()
        .map(|(_, y)| *y)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        .max(1);
    Ok(((6.0 + 22.0 * rows as f64) * ratio).round() as i32)
}

fn draw_legend(area: &Area, data: &ChartData, ratio: f64) -> DrawResult<()> {
    let px = |css: f64| (css * ratio).round() as i32;
    let style = ("sans-serif", 13.0 * ratio)
        .into_font()
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let at = legend_layout(area, data, ratio)?;
    for (i, (line, (x, y))) in data.series.iter().zip(at).enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let middle = y + px(8.0);
        area.draw(&Rectangle::new(
            [(x, middle - px(1.5)), (x + px(16.0), middle + px(1.5))],
            colour.filled(),
        ))?;
        area.draw_text(&line.label, &style, (x + px(22.0), middle))?;
    }
    Ok(())
}

/// The time axis: epoch seconds, with ticks on round local times chosen by
/// [`series::time_ticks`] and labelled with the local clock time.
struct TimeAxis {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
    offset_min: i32,
}

impl Ranged for TimeAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = (value - self.start) / (self.end - self.start).max(1.0);
        (f64::from(limit.0) + share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let most = hint.max_num_points().max(1);
        let every = self.ticks.len().div_ceil(most).max(1);
        self.ticks.iter().step_by(every).copied().collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.start..self.end
    }
}

impl ValueFormatter<f64> for TimeAxis {
    fn format_ext(&self, value: &f64) -> String {
        units::clock(*value as i64, self.offset_min)
    }
}
