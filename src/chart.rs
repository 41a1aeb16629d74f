//! Throughput charts on a `<canvas>`: the only code that draws.
//!
//! A component hands [`keep_drawn`] a canvas and a [`Plot`] signal; this
//! module sizes the canvas's backing store to its CSS size times the device
//! pixel ratio, draws with plotters (two lines per source, in solid and out
//! dashed, broken at gaps, decimated to four points per pixel column), marks
//! every rekey with a vertical bar in [`MARKER`], and records what it drew
//! in the canvas's `data-*` attributes for whoever checks the picture:
//! `data-state="drawn"`, `data-rekey-count`, `data-rekey-x` (CSS pixels from
//! the canvas's left edge), `data-rekey-times` (epoch seconds),
//! `data-series` (the visible lines' names), and the plot's frame
//! `data-plot-left`, `data-plot-right`, `data-range-start`,
//! `data-range-end`. It draws again whenever the plot changes or the canvas
//! changes size.
//!
//! The pointer's crosshair goes on a second canvas stacked on the first
//! ([`draw_hover`]), so hovering never redraws the lines.
//!
//! Everything is drawn in device pixels, so every length below is a CSS
//! length multiplied by the pixel ratio.

mod backend;

use crate::clock::Clock;
use crate::decimate;
use crate::rates::Direction;
use crate::series::{self, ChartData, Frame, Hidden, Hover};
use crate::units;
use leptos::prelude::*;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use send_wrapper::SendWrapper;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ResizeObserver};

/// The colour of rekey markers, #d9480f.
pub const MARKER: RGBColor = RGBColor(0xd9, 0x48, 0x0f);

/// Line colours of the sources; none is close to [`MARKER`], each has a
/// contrast of at least 4.5:1 on white.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1c, 0x6e, 0xc6),
    RGBColor(0x2b, 0x8a, 0x3e),
    RGBColor(0x70, 0x48, 0xe8),
    RGBColor(0x0b, 0x72, 0x85),
    RGBColor(0xc2, 0x25, 0x5c),
    RGBColor(0x5c, 0x7a, 0x0d),
    RGBColor(0x36, 0x4f, 0xc7),
    RGBColor(0x86, 0x2e, 0x9c),
    RGBColor(0x49, 0x50, 0x57),
    RGBColor(0x08, 0x7f, 0x5b),
];

const MUTED: RGBColor = RGBColor(0x49, 0x50, 0x57);
const GRID: RGBColor = RGBColor(0xe9, 0xec, 0xef);
const AXIS: RGBColor = RGBColor(0xad, 0xb5, 0xbd);

/// The colour of a source, for the canvas.
fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The colour of a source as CSS, for a legend swatch: "#1c6ec6".
pub fn colour_css(index: usize) -> String {
    hex(colour(index))
}

fn hex(RGBColor(r, g, b): RGBColor) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// What one drawing shows: the data, what the legend hides, and the clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    pub data: Arc<ChartData>,
    pub hidden: Hidden,
    /// The clock the time axis is labelled in.
    pub clock: Clock,
}

/// Draws `plot` on `canvas` now, whenever it changes and whenever the
/// canvas changes size, until the current reactive owner is cleaned up.
/// Each drawing's frame goes to `frame`, for the pointer.
pub fn keep_drawn(
    canvas: HtmlCanvasElement,
    plot: Signal<Plot>,
    frame: StoredValue<Option<Frame>, LocalStorage>,
) {
    let target = canvas.clone();
    let redraw = move || match plot.with_untracked(|p| draw(&target, p)) {
        Ok(drawn) => frame.set_value(drawn),
        Err(e) => {
            leptos::logging::warn!("the chart could not be drawn: {e}");
            let _ = target.set_attribute("data-state", "failed");
        }
    };
    let on_resize = {
        let redraw = redraw.clone();
        Closure::<dyn FnMut()>::new(redraw)
    };
    Effect::new(move |_| {
        plot.track();
        redraw();
    });
    match ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(&canvas);
            let keep = SendWrapper::new((observer, on_resize));
            on_cleanup(move || keep.0.disconnect());
        }
        Err(_) => {
            // Without ResizeObserver the chart keeps its first size.
            leptos::logging::warn!("no ResizeObserver: the chart will not follow its size");
        }
    }
}

/// The device pixel ratio, never below one half.
pub fn pixel_ratio() -> f64 {
    web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(0.5)
}

/// Sizes the canvas's backing store to its CSS size times the pixel ratio;
/// `None` while it has no size (not laid out yet).
fn fit(canvas: &HtmlCanvasElement) -> Option<(f64, u32, u32)> {
    let ratio = pixel_ratio();
    let css = canvas.get_bounding_client_rect();
    let (width, height) = (
        (css.width() * ratio).round(),
        (css.height() * ratio).round(),
    );
    if width < 1.0 || height < 1.0 {
        return None;
    }
    let (width, height) = (width as u32, height as u32);
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    Some((ratio, width, height))
}

/// Sizes the backing store, draws, and records what was drawn on the
/// canvas. A canvas without a size is left alone (`Ok(None)`).
pub fn draw(canvas: &HtmlCanvasElement, plot: &Plot) -> Result<Option<Frame>, String> {
    let Some((ratio, _, _)) = fit(canvas) else {
        return Ok(None);
    };
    let context = context_2d(canvas)?;
    let backend = backend::Canvas::new(canvas).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    let (frame, markers) = paint(&root, &context, plot, ratio).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;

    let rekey_x: Vec<f64> = markers.iter().map(|x| f64::from(*x) / ratio).collect();
    record(canvas, plot, &frame, &rekey_x);
    Ok(Some(frame))
}

fn context_2d(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "the canvas has no 2D context".to_string())
}

/// The `data-*` attributes that say what the canvas shows.
fn record(canvas: &HtmlCanvasElement, plot: &Plot, frame: &Frame, rekey_x: &[f64]) {
    let join = |items: Vec<String>| items.join(",");
    let round = |x: f64| format!("{}", (x * 100.0).round() / 100.0);
    let data = &plot.data;
    let xs = join(rekey_x.iter().map(|x| round(*x)).collect());
    let times = join(data.rekeys.iter().map(|t| t.to_string()).collect());
    let names = join(
        data.visible(&plot.hidden)
            .map(|(_, s)| data.label(s))
            .collect(),
    );
    for (name, value) in [
        ("data-rekey-count", data.rekeys.len().to_string()),
        ("data-rekey-x", xs),
        ("data-rekey-times", times),
        ("data-series", names),
        ("data-plot-left", round(frame.left)),
        ("data-plot-right", round(frame.right)),
        ("data-range-start", data.range.start.to_string()),
        ("data-range-end", data.range.end.to_string()),
        ("aria-label", data.summary(&plot.hidden)),
        ("data-state", "drawn".to_string()),
    ] {
        let _ = canvas.set_attribute(name, &value);
    }
}

type Area = DrawingArea<backend::Canvas, Shift>;
type DrawResult<T> =
    Result<T, DrawingAreaErrorKind<<backend::Canvas as DrawingBackend>::ErrorType>>;

/// Draws everything; returns the plot's frame in CSS pixels and the device
/// pixel x of each rekey marker.
fn paint(
    root: &Area,
    context: &CanvasRenderingContext2d,
    plot: &Plot,
    ratio: f64,
) -> DrawResult<(Frame, Vec<i32>)> {
    let px = |css: f64| (css * ratio).round() as i32;
    let font =
        |size: f64, colour: &RGBColor| ("sans-serif", size * ratio).into_font().color(colour);
    let (data, hidden) = (&plot.data, &plot.hidden);
    root.fill(&WHITE)?;

    let (start, end) = (data.range.start as f64, data.range.end as f64);
    let y_max = series::nice_ceiling(data.peak(hidden).map_or(0.0, |(peak, _)| peak));
    let (width, _) = root.dim_in_pixel();
    let max_ticks = (f64::from(width) / ratio / 90.0).floor().max(2.0) as usize;
    let (ticks, step) = series::time_ticks(data.range, &plot.clock, max_ticks);
    let measure = data.measure;

    let mut chart = ChartBuilder::on(root)
        .margin_top(px(10.0))
        .margin_right(px(16.0))
        .margin_bottom(px(4.0))
        .x_label_area_size(px(28.0))
        .y_label_area_size(px(84.0))
        .build_cartesian_2d(
            TimeAxis {
                start,
                end,
                ticks: ticks.into_iter().map(|t| t as f64).collect(),
                step,
                clock: plot.clock.clone(),
            },
            0.0..y_max,
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(5)
        .y_label_formatter(&|v| measure.rate(*v))
        .label_style(font(12.0, &MUTED))
        .bold_line_style(GRID.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(px(1.0).max(1) as u32))
        .draw()?;

    let (columns, _) = chart.plotting_area().dim_in_pixel();
    let dash = js_sys::Array::of2(
        &JsValue::from_f64(5.0 * ratio),
        &JsValue::from_f64(3.0 * ratio),
    );
    for (_, line) in data.visible(hidden) {
        let colour = colour(data.sources[line.source].colour);
        let stroke = colour.stroke_width(px(1.5).max(1) as u32);
        let dashed = line.direction == Direction::Out;
        if dashed {
            let _ = context.set_line_dash(&dash);
        }
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
        if dashed {
            let _ = context.set_line_dash(&js_sys::Array::new());
        }
    }

    let (xs, ys) = chart.plotting_area().get_pixel_range();
    if let Some(message) = data.empty_message(hidden) {
        let centre = ((xs.start + xs.end) / 2, (ys.start + ys.end) / 2);
        let style = font(14.0, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw_text(message, &style, centre)?;
    }

    // Markers last, so that no line hides them.
    let bar = px(3.0).max(2);
    let mut markers = Vec::with_capacity(data.rekeys.len());
    for t in &data.rekeys {
        let (x, _) = chart.backend_coord(&(*t as f64, 0.0));
        let left = x - bar / 2;
        root.draw(&Rectangle::new(
            [(left, ys.start), (left + bar, ys.end)],
            MARKER.filled(),
        ))?;
        markers.push(x);
    }

    let frame = Frame {
        left: f64::from(xs.start) / ratio,
        right: f64::from(xs.end) / ratio,
        top: f64::from(ys.start) / ratio,
        bottom: f64::from(ys.end) / ratio,
        start,
        end,
        y_max,
    };
    Ok((frame, markers))
}

/// Draws the pointer's crosshair on `overlay` (stacked on the chart, the
/// same size): a vertical line at the hovered time, a dot on each visible
/// line, and the hovered rekey marker outlined. `None` clears it.
///
/// Everything a read-out draws lies in the columns of its time and its
/// rekey, so only those of the `previous` read-out are cleared: a hover
/// costs the same however large the chart. Without a previous read-out the
/// whole overlay is cleared.
pub fn draw_hover(
    overlay: &HtmlCanvasElement,
    plot: &Plot,
    frame: &Frame,
    previous: Option<&Hover>,
    hover: Option<&Hover>,
) -> Result<(), String> {
    let Some((ratio, width, height)) = fit(overlay) else {
        return Ok(());
    };
    let context = context_2d(overlay)?;
    let half = HOVER_HALF_WIDTH * ratio;
    match previous {
        Some(p) => {
            let columns = std::iter::once(p.x).chain(p.rekey.map(|r| frame.x_of(r as f64)));
            for x in columns {
                context.clear_rect(x * ratio - half, 0.0, 2.0 * half, f64::from(height));
            }
        }
        None => context.clear_rect(0.0, 0.0, f64::from(width), f64::from(height)),
    }
    let Some(hover) = hover else {
        return Ok(());
    };
    let (top, bottom) = (frame.top * ratio, frame.bottom * ratio);

    let vertical = |x: f64, colour: &str, line: f64| {
        context.begin_path();
        context.set_stroke_style_str(colour);
        context.set_line_width(line * ratio);
        context.move_to(x, top);
        context.line_to(x, bottom);
        context.stroke();
    };
    if let Some(rekey) = hover.rekey {
        let x = (frame.x_of(rekey as f64) * ratio).round();
        vertical(x, "#212529", 5.0);
        vertical(x, &hex(MARKER), 3.0);
    }
    if !hover.values.is_empty() {
        vertical((hover.x * ratio).round() + 0.5, "#495057", 1.0);
    }
    for (i, value) in &hover.values {
        let Some(value) = value else { continue };
        let source = plot.data.series[*i].source;
        context.begin_path();
        context.set_fill_style_str(&colour_css(plot.data.sources[source].colour));
        let _ = context.arc(
            hover.x * ratio,
            frame.y_of(*value) * ratio,
            HOVER_DOT * ratio,
            0.0,
            std::f64::consts::TAU,
        );
        context.fill();
    }
    Ok(())
}

/// The radius of a read-out's dots, in CSS pixels.
const HOVER_DOT: f64 = 3.5;

/// Half the width, in CSS pixels, of what a read-out draws around its
/// columns: the widest is the outlined rekey marker (5 px) or a dot.
const HOVER_HALF_WIDTH: f64 = HOVER_DOT + 2.0;

/// The chart as a PNG `data:` URL, for a download: above the picture on
/// screen, a heading with `title` and the range on the chart's clock, the
/// legend of the lines shown, and what the strokes and bars mean, so that
/// the file says what it shows without the page around it.
pub fn png_url(canvas: &HtmlCanvasElement, plot: &Plot, title: &str) -> Result<String, String> {
    let failed = |what: String| format!("the chart could not be saved as PNG: {what}");
    let sheet: HtmlCanvasElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|e| e.dyn_into().ok())
        .ok_or_else(|| failed("no canvas could be made".into()))?;
    let ratio = pixel_ratio();
    let width = f64::from(canvas.width());
    let pad = 12.0 * ratio;
    let line = 20.0 * ratio;
    let legend_font = format!("{}px sans-serif", 13.0 * ratio);
    let range = plot.data.range;
    let heading = format!(
        "{title}, {} to {} ({})",
        units::date_time(range.start, plot.clock.offset_at(range.start)),
        units::date_time(range.end, plot.clock.offset_at(range.end)),
        plot.clock.name(range.start, range.end)
    );
    let items: Vec<(String, &str)> = plot
        .data
        .sources
        .iter()
        .filter(|s| !plot.hidden.contains(&s.key))
        .map(|s| (colour_css(s.colour), s.label.as_str()))
        .collect();

    // Lay the legend out first: each item is a swatch and its label.
    let swatch = 14.0 * ratio;
    let gap = 6.0 * ratio;
    let measure = context_2d(&sheet).map_err(failed)?;
    measure.set_font(&legend_font);
    let widths: Vec<f64> = items
        .iter()
        .map(|(_, label)| {
            let text = measure.measure_text(label).map_or(0.0, |m| m.width());
            swatch + gap + text + 3.0 * gap
        })
        .collect();
    let places = series::flow(&widths, width - 2.0 * pad);
    let rows = places.last().map_or(0, |&(row, _)| row + 1);
    let header = pad + line * (2 + rows) as f64 + pad / 2.0;

    // Sizing the canvas resets its context: draw only from here on.
    sheet.set_width(canvas.width());
    sheet.set_height(canvas.height() + header.ceil() as u32);
    let context = context_2d(&sheet).map_err(failed)?;
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, width, f64::from(sheet.height()));
    context.set_text_baseline("middle");
    context.set_fill_style_str("#212529");
    context.set_font(&format!("bold {}px sans-serif", 15.0 * ratio));
    let fill = |text: &str, x: f64, y: f64| {
        context
            .fill_text(text, x, y)
            .map_err(|e| failed(format!("{e:?}")))
    };
    fill(&heading, pad, pad + line / 2.0)?;
    context.set_font(&legend_font);
    for ((colour, label), &(row, x)) in items.iter().zip(&places) {
        let y = pad + line * (1.5 + row as f64);
        context.set_fill_style_str(colour);
        context.fill_rect(pad + x, y - swatch / 2.0, swatch, swatch);
        context.set_fill_style_str("#212529");
        // A label longer than the picture is wide is squeezed to fit it.
        let left = pad + x + swatch + gap;
        context
            .fill_text_with_max_width(label, left, y, (width - pad - left).max(1.0))
            .map_err(|e| failed(format!("{e:?}")))?;
    }
    context.set_fill_style_str(&hex(MUTED));
    fill(
        "Solid: in. Dashed: out. Orange bars: rekeys.",
        pad,
        pad + line * (1.5 + rows as f64),
    )?;
    context
        .draw_image_with_html_canvas_element(canvas, 0.0, header.ceil())
        .map_err(|e| failed(format!("{e:?}")))?;
    sheet
        .to_data_url_with_type("image/png")
        .map_err(|e| failed(format!("{e:?}")))
}

/// The time axis: epoch seconds, with ticks on round local times chosen by
/// [`series::time_ticks`] and labelled to fit their step.
struct TimeAxis {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
    step: i64,
    clock: Clock,
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
        let t = *value as i64;
        units::tick_label(t, self.clock.offset_at(t), self.step)
    }
}
