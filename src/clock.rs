//! The browser's clock and time zone, for the few places that need "now".

use model::Timestamp;

/// The current time in epoch seconds.
pub fn now() -> Timestamp {
    (js_sys::Date::now() / 1000.0).floor() as Timestamp
}

/// How many minutes the browser's local time is east of UTC at `epoch`
/// (JavaScript counts the other way round).
pub fn local_offset_min(epoch: Timestamp) -> i32 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch as f64 * 1000.0));
    -(date.get_timezone_offset() as i32)
}
