//! The browser tab's title, which says where the user is: "core-mesh · Groups · Secure
//! Transport".

use leptos::prelude::*;

/// What every title ends with.
const PRODUCT: &str = "Secure Transport";

/// The document's title for a page whose own name is `name`.
pub fn title_text(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        PRODUCT.to_string()
    } else {
        format!("{name} · {PRODUCT}")
    }
}

/// Keeps the document's title on `name` while the calling page is shown. The title is text, so a
/// name holding markup shows as written.
pub fn set_page_title(name: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title_text(&name()));
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_name_the_page_then_the_product() {
        let rows = [
            ("Groups", "Groups · Secure Transport"),
            (
                "  core-mesh · Groups ",
                "core-mesh · Groups · Secure Transport",
            ),
            ("", "Secure Transport"),
            ("<b>x</b>", "<b>x</b> · Secure Transport"),
        ];
        for (name, want) in rows {
            assert_eq!(super::title_text(name), want);
        }
    }
}
