//! The reference controller of the `cmc.sectransport` 2.0 API.
//!
//! It stores appliances, groups and traffic in SQLite, seeds demo data,
//! simulates traffic and rekeys, and serves the built console. Every route
//! of the API lives under `/api/cmc.sectransport/2.0`:
//!
//! | method | path | handler |
//! |---|---|---|
//! | GET | `/appliances` | [`resources::appliances::appliances_list`] |
//! | GET | `/appliances/items/{serial}` | [`resources::appliances::appliance_get`] |
//! | GET | `/appliances/items/{serial}/group_stats?start_time&end_time&group_id` | [`resources::appliances::appliance_stats_get`] |
//! | GET, POST | `/groups` | [`resources::groups::groups_list`], [`resources::groups::groups_create`] |
//! | GET, PUT, DELETE | `/groups/items/{id}` | [`resources::groups::group_get`], [`resources::groups::group_replace`], [`resources::groups::group_delete`] |
//! | GET | `/groups/items/{id}/group_stats?start_time&end_time` | [`resources::groups::group_stats_get`] |
//! | GET | `/groups/items/{id}/all_peer_group_stats?start_time&end_time` | [`resources::groups::group_peer_stats_get`] |
//! | GET, PUT | `/configuration` | [`resources::configuration::configuration_get`], [`resources::configuration::configuration_replace`] |
//! | POST | `/poller_callback` | [`resources::poller::poller_callback_post`] |
//! | GET | `/openapi.json` | [`openapi::openapi_get`] (no sign-in needed) |
//!
//! Writes carry the configuration revision: group, groups and configuration
//! answers have it as `ETag`, and a write with a stale `If-Match` (or a
//! configuration whose `revision` is stale) is refused with 412. Bodies are
//! JSON objects of at most 1 MiB.
//!
//! Sign-in is `POST /api/common/1.0/oauth/token` ([`auth::token_create`]);
//! with sign-in on, every request above needs `Authorization: Bearer
//! <token>` or is answered 401 ([`auth::require_token`]).
//!
//! `--faults` injects latency, 5xx answers (some with a proxy's HTML body),
//! truncated bodies and early token expiry into the resources above, never
//! into sign-in or the OpenAPI document ([`faults`]).
//!
//! Any other `/api/...` path answers 404 with the JSON error body. Every
//! other path is the console: a file of `--ui DIR`, or its `index.html` for a
//! path without a file extension, so deep links load the app.
//!
//! Every response carries a Content-Security-Policy that lets the console
//! run and nothing else, `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer` ([`security`]), and is compressed (br or
//! gzip) when the client accepts it.
//!
//! Run it with demo data and the built console:
//!
//! ```text
//! cargo run -p st-controller -- --demo --db :memory: --ui dist
//! ```
//!
//! Timestamps are Unix epoch seconds. A datapoint holds what was transferred
//! in the interval that ends at its timestamp; a stats range holds the
//! datapoints with `start_time < timestamp <= end_time`, by default the 24
//! hours up to now.

pub mod auth;
pub mod cli;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod faults;
pub mod load;
pub mod numbers;
pub mod openapi;
pub mod rekey;
pub mod resources;
pub mod rng;
pub mod security;
pub mod sim;
pub mod stats;
pub mod store;
pub mod traffic;
pub mod ui;
pub mod validate;

use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{any, get, post};
use axum::Router;
use error::ApiError;
use model::{API_PREFIX, TOKEN_PATH};
use resources::poller::Poller;
use resources::{appliances, configuration, groups, poller};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// How the controller was asked to behave.
#[derive(Debug, Clone)]
pub struct Options {
    /// The built console to serve at `/`.
    pub ui_dir: Option<PathBuf>,
    /// The access code that signs in; `None` turns sign-in off.
    pub access_code: Option<String>,
    /// How long a token lasts.
    pub token_ttl: Duration,
    /// The seed of every random choice the controller makes.
    pub seed: u64,
    /// Failures to inject into API answers (none by default).
    pub faults: faults::Faults,
}

impl Options {
    /// How long a new token really lasts: its ttl, or less when the faults
    /// say tokens expire early.
    pub fn token_lifetime(&self) -> Duration {
        self.faults.expire.unwrap_or(self.token_ttl)
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ui_dir: None,
            access_code: None,
            token_ttl: Duration::from_secs(3600),
            seed: 1,
            faults: faults::Faults::default(),
        }
    }
}

/// What every request shares.
pub struct Shared {
    pub store: Arc<Store>,
    pub options: Options,
    pub ui: Option<ui::Ui>,
    /// The stats polls issued and not yet answered.
    pub poller: Poller,
    /// The tokens handed out by sign-in.
    pub tokens: auth::Tokens,
    /// The generator of injected failures.
    pub fault_rng: std::sync::Mutex<rng::Rng>,
}

/// The state handed to every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, options: Options) -> AppState {
        let ui = options.ui_dir.clone().map(ui::Ui::new);
        let fault_rng = faults::rng(options.seed);
        AppState(Arc::new(Shared {
            store: Arc::new(store),
            ui,
            options,
            poller: Poller::default(),
            tokens: auth::Tokens::default(),
            fault_rng,
        }))
    }
}

/// The time now in Unix epoch seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The routes of the API, relative to [`API_PREFIX`].
fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/appliances", get(appliances::appliances_list))
        .route("/appliances/items/{serial}", get(appliances::appliance_get))
        .route(
            "/appliances/items/{serial}/group_stats",
            get(appliances::appliance_stats_get),
        )
        .route(
            "/groups",
            get(groups::groups_list).post(groups::groups_create),
        )
        .route(
            "/groups/items/{id}",
            get(groups::group_get)
                .put(groups::group_replace)
                .delete(groups::group_delete),
        )
        .route(
            "/groups/items/{id}/group_stats",
            get(groups::group_stats_get),
        )
        .route(
            "/groups/items/{id}/all_peer_group_stats",
            get(groups::group_peer_stats_get),
        )
        .route(
            "/configuration",
            get(configuration::configuration_get).put(configuration::configuration_replace),
        )
        .route("/poller_callback", post(poller::poller_callback_post))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(api_not_found)
        .layer(middleware::from_fn(error::json_errors))
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
}

/// The whole controller: the API, sign-in and the console.
pub fn app(state: AppState) -> Router {
    let api = api_routes()
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ))
        .layer(middleware::from_fn(error::log_refusals))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ));
    let open = Router::new()
        .route(
            &format!("{API_PREFIX}/openapi.json"),
            get(openapi::openapi_get),
        )
        .route(
            TOKEN_PATH,
            post(auth::token_create).fallback(method_not_allowed),
        )
        .layer(middleware::from_fn(error::log_refusals));
    Router::new()
        .nest(API_PREFIX, api)
        .merge(open)
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .fallback(ui::ui_get)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn api_not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!("no resource at {}", uri.path()))
}

async fn method_not_allowed(method: axum::http::Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        format!("{} does not take {method}", uri.path()),
    )
}
