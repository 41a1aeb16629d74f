//! A chart's exports: the CSV of what it shows, and a PNG of the picture,
//! each offered as a download.

use crate::chart::{self, Plot};
use crate::series::Range;
use crate::units;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// "Export CSV" and "Export PNG" buttons, and what went wrong if one failed.
#[component]
pub fn ChartExport(
    /// What the chart draws.
    plot: Signal<Plot>,
    /// The chart's canvas.
    canvas: NodeRef<html::Canvas>,
    /// What the chart is of, for the file names.
    title: String,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let stem = file_stem(&title);
    let name =
        move |extension: &str| plot.with_untracked(|p| file_name(&stem, p.data.range, extension));
    let csv = {
        let name = name.clone();
        move |_| {
            let text = plot.with_untracked(|p| p.data.csv(&p.hidden));
            error.set(download_text(&name("csv"), "text/csv", &text).err());
        }
    };
    let png = move |_| {
        let result = canvas
            .get_untracked()
            .ok_or_else(|| "the chart is not on the page yet".to_string())
            .and_then(|c| plot.with_untracked(|p| chart::png_url(&c, p, &title)))
            .and_then(|url| download(&name("png"), &url));
        error.set(result.err());
    };
    view! {
        <button type="button" on:click=csv>
            "Export CSV"
        </button>
        <button type="button" on:click=png>
            "Export PNG"
        </button>
        {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
    }
}

/// A file name from a chart's title: "throughput-branch-offices".
fn file_stem(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "chart".into()
    } else {
        words.join("-")
    }
}

/// A download's file name: what the chart is of and the range it shows in
/// UTC, such as "throughput-core-mesh-20261203T0000Z-20261204T0000Z.csv",
/// so that exports of several ranges sort and do not overwrite each other.
fn file_name(stem: &str, range: Range, extension: &str) -> String {
    let compact = |t| {
        let iso = units::iso_utc(t);
        let minutes = iso.rsplit_once(':').map_or(iso.as_str(), |(m, _)| m);
        minutes.replace(['-', ':'], "") + "Z"
    };
    format!(
        "{stem}-{}-{}.{extension}",
        compact(range.start),
        compact(range.end)
    )
}

/// Offers `text` as a file download.
fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("the CSV could not be made: {e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| format!("the CSV could not be offered: {e:?}"))?;
    let result = download(name, &url);
    // The browser reads the blob after the click returns: let it go later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    result
}

/// Follows a link to `url` that downloads it as `name`.
fn download(name: &str, url: &str) -> Result<(), String> {
    let document = document();
    let link = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("the download link could not be made")?;
    link.set_href(url);
    link.set_download(name);
    link.click();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_from_titles() {
        let rows = [
            (
                "Throughput by peer, Branch offices",
                "throughput-by-peer-branch-offices",
            ),
            ("Zürich total", "zürich-total"),
            ("", "chart"),
        ];
        for (title, want) in rows {
            assert_eq!(super::file_stem(title), want);
        }
    }

    #[test]
    fn file_names_say_the_range_in_utc() {
        let range = super::Range {
            start: 1_796_256_000,
            end: 1_796_342_459,
        };
        assert_eq!(
            super::file_name("throughput-core-mesh", range, "csv"),
            "throughput-core-mesh-20261203T0000Z-20261204T0000Z.csv"
        );
    }
}
