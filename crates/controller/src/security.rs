//! Headers that keep the console safe, on every response.
//!
//! The Content-Security-Policy lets the console run and nothing else: its
//! own scripts, styles and the WebAssembly it compiles, requests to this
//! controller only, no frames, no plugins. The built `index.html` holds an
//! inline `<script>` that starts the app; its SHA-256 is allowed by hash,
//! computed whenever `index.html` is read (at start-up, and again when it is
//! served), so a rebuilt console is allowed without a restart.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for a console whose `index.html` is `index` (`None` when no
/// console is served).
pub fn content_security_policy(index: Option<&str>) -> String {
    let hashes = |tag: &str| -> String {
        index
            .map(|html| inline_bodies(html, tag))
            .unwrap_or_default()
            .iter()
            .map(|body| {
                format!(
                    " 'sha256-{}'",
                    STANDARD.encode(Sha256::digest(body.as_bytes()))
                )
            })
            .collect()
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
         img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; \
         base-uri 'none'; form-action 'self'; object-src 'none'",
        hashes("script"),
        hashes("style")
    )
}

/// The text inside every inline `<tag>...</tag>` of `html` (for scripts,
/// those without a `src`), exactly as written, since that is what a browser
/// hashes.
pub fn inline_bodies<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open).map(|i| i + at) {
        let after_name = start + open.len();
        // `<scripts>` or `<style-x>` are other tags.
        let next = lower[after_name..].chars().next();
        if !matches!(next, Some(c) if c == '>' || c.is_ascii_whitespace() || c == '/') {
            at = after_name;
            continue;
        }
        let Some(tag_end) = lower[after_name..].find('>').map(|i| i + after_name) else {
            break;
        };
        let attributes = &lower[after_name..tag_end];
        let Some(body_end) = lower[tag_end..].find(&close).map(|i| i + tag_end) else {
            break;
        };
        if !(tag == "script" && has_src(attributes)) {
            out.push(&html[tag_end + 1..body_end]);
        }
        at = body_end + close.len();
    }
    out
}

fn has_src(attributes: &str) -> bool {
    attributes
        .split(|c: char| c.is_ascii_whitespace())
        .any(|a| a == "src" || a.starts_with("src="))
}

/// Middleware: adds the policy and its companions to every response.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let csp = match &state.ui {
        Some(ui) => ui.csp(),
        None => content_security_policy(None),
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_and_styles_are_found_and_external_ones_skipped() {
        let html = r#"<html><head>
<script src="/a.js"></script><SCRIPT type="module">import init from '/x.js';init();</SCRIPT>
<style>body{margin:0}</style><scripts>no</scripts><link rel="stylesheet" href="/s.css">
</head></html>"#;
        assert_eq!(
            inline_bodies(html, "script"),
            ["import init from '/x.js';init();"]
        );
        assert_eq!(inline_bodies(html, "style"), ["body{margin:0}"]);
    }

    #[test]
    fn the_policy_allows_inline_code_by_hash_only() {
        // The hash of `alert(1)`, as a browser's console reports it.
        let csp = content_security_policy(Some("<script>alert(1)</script>"));
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        let bare = content_security_policy(None);
        assert!(bare.contains("style-src 'self';"), "{bare}");
        assert!(bare.contains("frame-ancestors 'none'"));
    }
}
