//! The console's widgets in a real browser (wasm-bindgen-test in headless Chromium): what a user
//! sees of a failed request, and what the chart module puts on a canvas.
//!
//! Run by `cargo xtask test wasm`. Arithmetic is tested natively next to the code that does it;
//! these tests only check what needs a DOM or a canvas.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use model::{ErrorBody, PeerStats};
use st_console::api::ApiError;
use st_console::chart::{self, Plot};
use st_console::clock::Clock;
use st_console::components::Failure;
use st_console::series::{ChartData, Range};
use st_console::units::Measure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element in the page's body, for one test to mount into.
fn container() -> HtmlElement {
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

#[wasm_bindgen_test]
fn a_failure_says_what_the_controller_said_and_retries_on_click() {
    let parent = container();
    let retries = RwSignal::new(0);
    let error = ApiError::Status {
        status: 404,
        error: Some(ErrorBody {
            error_id: "RESOURCE_NOT_FOUND".into(),
            error_text: "Group 9 does not exist".into(),
        }),
    };
    let on_retry = Callback::new(move |()| retries.update(|n| *n += 1));
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        view! { <Failure error=error.clone() on_retry /> }
    });

    let alert = parent
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.contains("Group 9 does not exist"), "{text}");
    assert!(text.contains("HTTP 404"), "{text}");

    let button: HtmlElement = parent
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap().trim(), "Retry");
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}

#[wasm_bindgen_test]
fn a_refused_sign_in_is_not_shown_as_a_failure() {
    let parent = container();
    let error = ApiError::Status {
        status: 401,
        error: Some(ErrorBody {
            error_id: "AUTH_REQUIRED".into(),
            error_text: "Sign in first".into(),
        }),
    };
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        view! { <Failure error=error.clone() on_retry=Callback::new(|()| {}) /> }
    });
    assert!(parent.query_selector("[role=alert]").unwrap().is_none());
    assert!(parent.text_content().unwrap().contains("Sign in"));
}

/// A canvas of 600 × 300 CSS pixels in the page.
fn canvas() -> HtmlCanvasElement {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .unchecked_into();
    canvas
        .set_attribute("style", "display: block; width: 600px; height: 300px")
        .unwrap();
    container().append_child(&canvas).unwrap();
    canvas
}

fn pixel(canvas: &HtmlCanvasElement, x: f64, y: f64) -> [u8; 4] {
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx.get_image_data(x, y, 1.0, 1.0).unwrap().data();
    [data[0], data[1], data[2], data[3]]
}

fn plot(data: ChartData) -> Plot {
    Plot {
        data: std::sync::Arc::new(data),
        hidden: Default::default(),
        clock: Clock::fixed(0),
    }
}

fn peers(json: serde_json::Value) -> Vec<PeerStats> {
    serde_json::from_value(json).unwrap()
}

#[wasm_bindgen_test]
fn the_chart_fills_its_backing_store_and_marks_each_rekey() {
    let canvas = canvas();
    let range = Range {
        start: 0,
        end: 3600,
    };
    let stats: Vec<serde_json::Value> = (0..=12)
        .map(|i| serde_json::json!({"timestamp": i * 300, "data": {"bytes_in": 1_000_000 + i * 50_000}}))
        .collect();
    let data = ChartData::from_peers(
        &peers(
            serde_json::json!([{"serial": "A", "stats": stats, "rekey_times": [900, 2700, 9999]}]),
        ),
        &[],
        range,
        Measure::Bits,
        |s| format!("peer {s}"),
    );

    let frame = chart::draw(&canvas, &plot(data)).unwrap().unwrap();
    let rekey_x: Vec<f64> = canvas
        .get_attribute("data-rekey-x")
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();

    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(f64::from(canvas.width()), (600.0 * ratio).round());
    assert_eq!(f64::from(canvas.height()), (300.0 * ratio).round());
    assert_eq!(canvas.get_attribute("data-state").as_deref(), Some("drawn"));
    assert_eq!(
        canvas.get_attribute("data-rekey-count").as_deref(),
        Some("2")
    );
    assert_eq!(
        canvas.get_attribute("data-rekey-times").as_deref(),
        Some("900,2700")
    );

    // The two markers are a quarter and three quarters of the way along the time axis, in the
    // marker colour in the middle of the plot.
    assert_eq!(rekey_x.len(), 2);
    for (x, t) in rekey_x.iter().zip([900.0, 2700.0]) {
        assert!((x - frame.x_of(t)).abs() <= 1.0, "marker at {x} for {t}");
    }
    let mid = f64::from(canvas.height()) / 2.0;
    for x in &rekey_x {
        let [r, g, b, a] = pixel(&canvas, (x * ratio).round(), mid);
        assert_eq!((r, g, b, a), (0xd9, 0x48, 0x0f, 255), "marker at {x}");
    }
    let label = canvas.get_attribute("aria-label").unwrap();
    assert!(label.contains("2 rekeys"), "{label}");
}

#[wasm_bindgen_test]
fn an_empty_chart_says_so_on_the_canvas_and_in_its_label() {
    let canvas = canvas();
    let data = ChartData::from_peers(
        &[],
        &[],
        Range {
            start: 0,
            end: 3600,
        },
        Measure::Bits,
        str::to_string,
    );

    chart::draw(&canvas, &plot(data)).unwrap();

    assert_eq!(canvas.get_attribute("data-state").as_deref(), Some("drawn"));
    let label = canvas.get_attribute("aria-label").unwrap();
    assert_eq!(label, "No throughput data, 0 rekeys");
    // The message is drawn in the middle of the plot: the band around it is not all white.
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let band = ctx
        .get_image_data(w * 0.25, h * 0.35, w * 0.5, h * 0.35)
        .unwrap()
        .data();
    let inked = band.chunks(4).any(|p| p[..3] != [255, 255, 255]);
    assert!(inked, "the empty chart has its message drawn");
}

#[wasm_bindgen_test]
fn hovering_draws_on_the_overlay_and_leaves_the_lines_alone() {
    let (canvas, overlay) = (canvas(), canvas());
    let stats: Vec<serde_json::Value> = (0..=12)
        .map(|i| serde_json::json!({"timestamp": i * 300, "data": {"bytes_in": 1000 + i * 50}}))
        .collect();
    let data = ChartData::from_peers(
        &peers(serde_json::json!([{"serial": "A", "stats": stats}])),
        &[],
        Range {
            start: 0,
            end: 3600,
        },
        Measure::Bits,
        str::to_string,
    );
    let plot = plot(data);
    let frame = chart::draw(&canvas, &plot).unwrap().unwrap();
    let all = |c: &HtmlCanvasElement| {
        let ctx: web_sys::CanvasRenderingContext2d =
            c.get_context("2d").unwrap().unwrap().unchecked_into();
        ctx.get_image_data(0.0, 0.0, f64::from(c.width()), f64::from(c.height()))
            .unwrap()
            .data()
            .to_vec()
    };
    let before = all(&canvas);

    let x = frame.x_of(1800.0);
    let hover = plot.data.hover(&plot.hidden, &frame, x).unwrap();
    assert_eq!(hover.t, 1800);
    chart::draw_hover(&overlay, &plot, &frame, None, Some(&hover)).unwrap();

    assert_eq!(all(&canvas), before, "the lines' canvas is untouched");
    assert!(
        all(&overlay).chunks(4).any(|p| p[3] > 0),
        "the crosshair is drawn"
    );
    // Moving on leaves nothing of the first read-out: the same pixels as the
    // second one drawn on a clear overlay.
    let later = plot
        .data
        .hover(&plot.hidden, &frame, frame.x_of(2700.0))
        .unwrap();
    chart::draw_hover(&overlay, &plot, &frame, Some(&hover), Some(&later)).unwrap();
    let moved = all(&overlay);
    chart::draw_hover(&overlay, &plot, &frame, None, Some(&later)).unwrap();
    assert!(moved == all(&overlay), "the first crosshair is gone");

    chart::draw_hover(&overlay, &plot, &frame, Some(&later), None).unwrap();
    assert!(
        all(&overlay).chunks(4).all(|p| p[3] == 0),
        "leaving clears it"
    );
}
