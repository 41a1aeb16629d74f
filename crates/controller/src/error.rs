//! The one error type of the controller, and how it becomes the JSON error
//! body `{"error_id": "...", "error_text": "..."}` of the controller family.
//!
//! Handlers return `Result<_, ApiError>`; nothing is logged here: the
//! `TraceLayer` logs every answer with its status, and storage failures are
//! logged where they happen.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use model::ErrorBody;

/// An answer other than success, with the status, the `error_id` and a text
/// for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub id: &'static str,
    pub text: String,
}

impl ApiError {
    pub fn new(status: StatusCode, id: &'static str, text: impl Into<String>) -> Self {
        ApiError {
            status,
            id,
            text: text.into(),
        }
    }

    /// 400: the request names something wrong or breaks a rule.
    pub fn bad_request(id: &'static str, text: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, id, text)
    }

    /// 400 for a query parameter that is unknown or not understood.
    pub fn bad_param(text: impl Into<String>) -> Self {
        Self::bad_request("INVALID_PARAMETER", text)
    }

    /// 400 for a body that is not the JSON the resource takes.
    pub fn bad_body(text: impl Into<String>) -> Self {
        Self::bad_request("INVALID_BODY", text)
    }

    /// 404 for a resource that does not exist.
    pub fn not_found(text: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", text)
    }

    /// 412 for a write made against a revision that is no longer current.
    pub fn stale(given: &str, current: i64) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "STALE_REVISION",
            format!(
                "the configuration changed: revision {given} is not the current revision {current}"
            ),
        )
    }

    /// 500 for a failure of the controller itself.
    pub fn internal(text: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", text)
    }

    /// 401 with one of the sign-in error ids.
    pub fn unauthorized(id: &'static str, text: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, id, text)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error_id: self.id.to_string(),
            error_text: self.text.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.id, self.text)
    }
}

impl std::error::Error for ApiError {}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "storage failed");
        ApiError::internal("the controller's storage failed")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        // For the logging middleware, which tells operators why.
        response.extensions_mut().insert(Refusal {
            id: self.id,
            text: self.text.clone(),
        });
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"cmc.sectransport\""),
            );
        }
        response
    }
}

/// Middleware: turns an error answer that is not JSON (a rejection of
/// axum's own extractors, such as a path that is not valid UTF-8) into the
/// JSON error body, keeping its status and headers.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).trim().to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let id = match status {
        StatusCode::BAD_REQUEST => "INVALID_REQUEST",
        StatusCode::NOT_FOUND => "RESOURCE_NOT_FOUND",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        StatusCode::PAYLOAD_TOO_LARGE => "BODY_TOO_LARGE",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
        s if s.is_server_error() => "INTERNAL_ERROR",
        _ => "INVALID_REQUEST",
    };
    let mut json = ApiError::new(status, id, text).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}

/// Why an answer is an error; carried in the response's extensions from
/// [`ApiError`] to [`log_refusals`].
#[derive(Debug, Clone)]
pub struct Refusal {
    pub id: &'static str,
    pub text: String,
}

/// Middleware: logs every refused request with its reason, at warn for the
/// client's mistakes and error for the controller's own failures.
pub async fn log_refusals(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    // The request's method and URI are in the span the trace layer opened.
    let response = next.run(req).await;
    if let Some(r) = response.extensions().get::<Refusal>() {
        let status = response.status().as_u16();
        if response.status().is_server_error() {
            tracing::error!(status, error_id = r.id, reason = %r.text, "request failed");
        } else {
            tracing::warn!(status, error_id = r.id, reason = %r.text, "request refused");
        }
    }
    response
}

/// What every handler returns.
pub type ApiResult<T> = Result<T, ApiError>;
