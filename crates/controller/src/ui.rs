//! Serving the built console from `--ui DIR`.
//!
//! A path whose last segment has a file extension (one of the kinds of file a
//! built console holds) is a file of the console and answers 404 when
//! missing, so a broken asset link is seen as one. Any other path is a page
//! of the single-page app (`/groups/3`, `/appliances/EC-1.2`) and answers the
//! console's `index.html`.
//!
//! Assets whose names carry trunk's content hash never change and are cached
//! for a year; `index.html` and unhashed files are revalidated every time.

use crate::{security, AppState};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use tower::ServiceExt;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The console's directory, and the Content-Security-Policy its
/// `index.html` needs.
#[derive(Debug)]
pub struct Ui {
    dir: PathBuf,
    csp: RwLock<String>,
}

impl Ui {
    /// Reads `index.html` once to compute the policy.
    pub fn new(dir: PathBuf) -> Ui {
        let index = std::fs::read_to_string(dir.join("index.html")).ok();
        if index.is_none() {
            tracing::warn!(dir = %dir.display(), "the console directory has no index.html");
        }
        let csp = RwLock::new(security::content_security_policy(index.as_deref()));
        Ui { dir, csp }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The Content-Security-Policy of the console last read.
    pub fn csp(&self) -> String {
        self.csp.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The text of `index.html`, read afresh so a rebuilt console is served
    /// without a restart (its policy is brought up to date with it).
    pub async fn index(&self) -> std::io::Result<String> {
        let html = tokio::fs::read_to_string(self.dir.join("index.html")).await?;
        let csp = security::content_security_policy(Some(&html));
        *self.csp.write().unwrap_or_else(|p| p.into_inner()) = csp;
        Ok(html)
    }
}

/// The extensions of the files a built console holds. A path ending in one
/// of them is a file; any other path, even one with a dot in its last
/// segment (a serial such as `EC-1.2`), is a page of the app.
const FILE_EXTENSIONS: &[&str] = &[
    "html",
    "js",
    "mjs",
    "wasm",
    "css",
    "map",
    "json",
    "txt",
    "xml",
    "webmanifest",
    "ico",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "webp",
    "avif",
    "woff",
    "woff2",
    "ttf",
    "otf",
];

/// Whether a URL path names a file of the console rather than a page.
pub fn has_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        }
        _ => false,
    }
}

/// Whether a file name carries a content hash, as trunk writes them:
/// `name-0123456789abcdef.ext` or `name-0123456789abcdef_bg.wasm`.
pub fn is_hashed(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    let stem = last.split('.').next().unwrap_or("");
    stem.split(['-', '_'])
        .any(|part| part.len() >= 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Everything outside `/api`: a console file, or `index.html`.
pub async fn ui_get(State(state): State<AppState>, req: Request) -> Response {
    let Some(ui) = &state.ui else {
        return text(
            StatusCode::NOT_FOUND,
            "No console is served here: start the controller with --ui DIR.\n",
        );
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are served here.\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path().to_string();
    if !has_extension(&path) {
        return index_response(ui).await;
    }
    let mut response = match ServeDir::new(ui.dir()).oneshot(req).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return text(StatusCode::NOT_FOUND, "No such file.\n");
    }
    let cache = if is_hashed(&path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn index_response(ui: &Ui) -> Response {
    match ui.index().await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, REVALIDATE),
            ],
            html,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(dir = %ui.dir().display(), error = %e, "index.html cannot be read");
            text(
                StatusCode::NOT_FOUND,
                "The console has not been built: its index.html is missing.\n",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_told_apart() {
        let rows = [
            ("/", false, false),
            ("/groups/3", false, false),
            ("/appliances/ST-A.B", false, false),
            ("/appliances/EC-1.2", false, false),
            ("/missing.JS", true, false),
            ("/x.js", true, false),
            ("/.hidden", false, false),
            ("/st-console-1f2e3d4c5b6a7988_bg.wasm", true, true),
            ("/main-0123456789abcdef.css", true, true),
            ("/favicon.ico", true, false),
        ];
        for (path, ext, hashed) in rows {
            assert_eq!(has_extension(path), ext, "{path}");
            assert_eq!(is_hashed(path), hashed, "{path}");
        }
    }
}
