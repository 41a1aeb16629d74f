//! A chart's exports: the CSV of what it shows, and a PNG of the picture,
//! each offered as a download.

use crate::chart::{self, Plot};
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
    let csv = {
        let stem = stem.clone();
        move |_| {
            let text = plot.with_untracked(|p| p.data.csv(&p.hidden));
            error.set(download_text(&format!("{stem}.csv"), "text/csv", &text).err());
        }
    };
    let png = move |_| {
        let result = canvas
            .get_untracked()
            .ok_or_else(|| "the chart is not on the page yet".to_string())
            .and_then(|c| chart::png_url(&c))
            .and_then(|url| download(&format!("{stem}.png"), &url));
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
}
