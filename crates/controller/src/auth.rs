//! Sign-in: an access code is exchanged for a bearer token, and every
//! request of the API must then carry `Authorization: Bearer <token>`.
//!
//! `POST /api/common/1.0/oauth/token` takes the form fields `grant_type`
//! (`access_code`), `assertion` (the base64url of `{"alg":"none"}`, a dot,
//! the access code, a dot) and `state`, which is echoed. Tokens live in
//! memory for `--token-ttl` seconds (or the `expire` of `--faults`); a
//! restart signs everyone out. With sign-in off, the token endpoint still
//! answers, with any code, so a console that signs in keeps working.

use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use model::TokenResponse;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an expired token is still recognised as one, so its holder is
/// told it expired rather than that it is unknown.
const REMEMBER_EXPIRED: Duration = Duration::from_secs(24 * 3600);

/// The tokens handed out, with when each expires.
#[derive(Debug, Default)]
pub struct Tokens {
    issued: Mutex<HashMap<String, Instant>>,
}

impl Tokens {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.issued.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new token valid for `lifetime`.
    pub fn issue(&self, lifetime: Duration) -> String {
        let token = random_text(32);
        let now = Instant::now();
        let mut issued = self.lock();
        issued.retain(|_, expires| now < *expires + REMEMBER_EXPIRED);
        issued.insert(token.clone(), now + lifetime);
        token
    }

    /// Whether `token` may be used now.
    pub fn check(&self, token: &str) -> ApiResult<()> {
        match self.lock().get(token) {
            Some(expires) if Instant::now() < *expires => Ok(()),
            Some(_) => Err(ApiError::unauthorized(
                "AUTH_EXPIRED_TOKEN",
                "the token has expired: sign in again",
            )),
            None => Err(ApiError::unauthorized(
                "AUTH_INVALID_CREDENTIALS",
                "the token is not valid: sign in again",
            )),
        }
    }
}

/// `len` random bytes as base64url text.
pub fn random_text(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new access code that is easy to read and type: `XXXX-XXXX-XXXX`, from
/// letters and digits that cannot be mistaken for one another.
pub fn new_access_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Compares two texts in a time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The access code inside an assertion `base64url({"alg":"none"}).CODE.`.
pub fn code_of_assertion(assertion: &str) -> ApiResult<&str> {
    let bad = |why: &str| {
        ApiError::unauthorized(
            "AUTH_INVALID_CREDENTIALS",
            format!("the assertion must be base64url({{\"alg\":\"none\"}}).CODE. : {why}"),
        )
    };
    let mut parts = assertion.split('.');
    let (Some(head), Some(code), Some(""), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad(
            "it does not have three dot-separated parts, the last empty",
        ));
    };
    let head = URL_SAFE_NO_PAD
        .decode(head.trim_end_matches('='))
        .map_err(|_| bad("its first part is not base64url"))?;
    let head: serde_json::Value =
        serde_json::from_slice(&head).map_err(|_| bad("its first part is not JSON"))?;
    if head.get("alg").and_then(|a| a.as_str()) != Some("none") {
        return Err(bad("its header's alg is not \"none\""));
    }
    Ok(code)
}

/// `POST /api/common/1.0/oauth/token`: exchanges the access code for a token.
pub async fn token_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("").to_ascii_lowercase();
        if !kind.starts_with("application/x-www-form-urlencoded") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "the body must be application/x-www-form-urlencoded",
            ));
        }
    }
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).map_err(|e| {
        ApiError::bad_request("INVALID_REQUEST", format!("the form does not read: {e}"))
    })?;
    let field = |key: &str| {
        form.get(key).map(String::as_str).ok_or_else(|| {
            ApiError::bad_request("INVALID_REQUEST", format!("the form has no {key}"))
        })
    };
    let grant_type = field("grant_type")?;
    if grant_type != "access_code" {
        return Err(ApiError::bad_request(
            "UNSUPPORTED_GRANT_TYPE",
            format!("grant_type must be access_code, not '{grant_type}'"),
        ));
    }
    let code = code_of_assertion(field("assertion")?)?;
    if let Some(expected) = &state.options.access_code {
        if !same(code, expected) {
            return Err(ApiError::unauthorized(
                "AUTH_INVALID_CREDENTIALS",
                "the access code is not right",
            ));
        }
    }
    let lifetime = state.options.token_lifetime();
    let token = state.tokens.issue(lifetime);
    tracing::info!(lifetime = lifetime.as_secs(), "signed in");
    let answer = TokenResponse {
        access_token: token,
        token_type: "Bearer".into(),
        // What the ttl promises, even when injected faults end it sooner.
        expires_in: state.options.token_ttl.as_secs(),
        state: form.get("state").cloned(),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response())
}

/// Middleware: refuses a request without a valid bearer token (when sign-in
/// is on).
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.options.access_code.is_none() {
        return next.run(req).await;
    }
    let verdict = match req.headers().get(header::AUTHORIZATION) {
        None => Err(ApiError::unauthorized(
            "AUTH_REQUIRED",
            "sign in first: this request needs an Authorization: Bearer token",
        )),
        Some(value) => match value.to_str().ok().and_then(bearer) {
            Some(token) => state.tokens.check(token),
            None => Err(ApiError::unauthorized(
                "AUTH_INVALID_CREDENTIALS",
                "the Authorization header must be 'Bearer <token>'",
            )),
        },
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertions_are_read_or_refused() {
        let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let other = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#);
        let rows = [
            (format!("{head}.ABCD-EFGH.").to_string(), Some("ABCD-EFGH")),
            (format!("{head}==.x."), Some("x")),
            (format!("{head}.."), Some("")),
            (format!("{head}.x"), None),
            (format!("{head}.x.y"), None),
            (format!("{other}.x."), None),
            ("!!.x.".to_string(), None),
        ];
        for (assertion, want) in rows {
            assert_eq!(code_of_assertion(&assertion).ok(), want, "{assertion}");
        }
    }

    #[test]
    fn access_codes_are_readable_and_different() {
        let a = new_access_code();
        assert_eq!(a.len(), 14);
        assert!(
            a.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()),
            "{a}"
        );
        assert_ne!(a, new_access_code());
    }

    #[test]
    fn tokens_expire() {
        let t = Tokens::default();
        let live = t.issue(Duration::from_secs(60));
        let dead = t.issue(Duration::ZERO);
        assert_eq!(t.check(&live), Ok(()));
        assert_eq!(t.check(&dead).unwrap_err().id, "AUTH_EXPIRED_TOKEN");
        assert_eq!(t.check("nope").unwrap_err().id, "AUTH_INVALID_CREDENTIALS");
    }
}
