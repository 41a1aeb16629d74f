//! `--faults SPEC`: injected failures, so the console can be seen coping
//! with a slow, flaky network and a proxy in front of the controller.
//!
//! SPEC is a comma-separated list of `name=value`:
//!
//! - `latency=200ms`: every API answer is delayed this long (`ms`, `s`, `m`,
//!   or seconds without a unit).
//! - `error=0.1`: this share of API requests is answered 500, 502 or 503
//!   without being handled (nothing is changed).
//! - `html=0.5`: this share of those errors has an HTML body, as a proxy
//!   sends, instead of the JSON error body.
//! - `truncate=0.05`: this share of API answers has its body cut in half.
//! - `expire=30s`: tokens stop working after this long, whatever `expires_in`
//!   (from `--token-ttl`) said.
//!
//! Only the resources under `/api/cmc.sectransport/2.0` are affected; sign-in
//! and the OpenAPI document are not, so a test can always sign in and read
//! the document. Choices are drawn from the controller's seeded generator.

use crate::rng::Rng;
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::str::FromStr;
use std::time::Duration;

/// The failures to inject; the default injects none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    pub latency: Duration,
    pub error: f64,
    pub html: f64,
    pub truncate: f64,
    pub expire: Option<Duration>,
}

impl Faults {
    /// Whether anything is injected into API answers.
    pub fn touches_answers(&self) -> bool {
        !self.latency.is_zero() || self.error > 0.0 || self.truncate > 0.0
    }
}

/// Reads `200ms`, `2s`, `1.5m`, or `30` (seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (text, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a duration such as 200ms, 2s or 1m"))?;
    Duration::try_from_secs_f64(value * scale)
        .map_err(|_| format!("'{text}' is not a duration of 0 or more"))
}

fn parse_share(key: &str, text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "{key}={text}: a share must be a number from 0 to 1"
        )),
    }
}

impl FromStr for Faults {
    type Err = String;

    fn from_str(spec: &str) -> Result<Faults, String> {
        let mut faults = Faults::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}' is not name=value"))?;
            match key.trim() {
                "latency" => faults.latency = parse_duration(value)?,
                "error" => faults.error = parse_share(key, value)?,
                "html" => faults.html = parse_share(key, value)?,
                "truncate" => faults.truncate = parse_share(key, value)?,
                "expire" => faults.expire = Some(parse_duration(value)?),
                other => {
                    return Err(format!(
                        "unknown fault '{other}'; known: latency, error, html, truncate, expire"
                    ))
                }
            }
        }
        Ok(faults)
    }
}

/// What a proxy in front of a failed controller answers.
fn proxy_page(status: StatusCode) -> String {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>proxy</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// Middleware: delays, fails or truncates API answers as `--faults` says.
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let faults = &state.options.faults;
    if !faults.touches_answers() {
        return next.run(req).await;
    }
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let (fail, html, truncate, status) = {
        let mut rng = state.fault_rng.lock().unwrap_or_else(|p| p.into_inner());
        let status = [
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_GATEWAY,
            StatusCode::SERVICE_UNAVAILABLE,
        ][(rng.next_u64() % 3) as usize];
        (
            rng.chance(faults.error),
            rng.chance(faults.html),
            rng.chance(faults.truncate),
            status,
        )
    };
    if fail {
        tracing::info!(path = %req.uri().path(), status = status.as_u16(), html, "injected failure");
        if html {
            let headers = [(header::CONTENT_TYPE, "text/html")];
            return (status, headers, proxy_page(status)).into_response();
        }
        return crate::error::ApiError::new(status, "INJECTED_FAULT", "an injected failure")
            .into_response();
    }
    let response = next.run(req).await;
    if !truncate {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    tracing::info!(from = bytes.len(), to = cut.len(), "injected truncation");
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(cut.len()));
    Response::from_parts(parts, Body::from(cut))
}

/// The generator of fault choices.
pub fn rng(seed: u64) -> std::sync::Mutex<Rng> {
    std::sync::Mutex::new(Rng::keyed(seed, "faults"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_read_or_refused() {
        let ms = Duration::from_millis;
        let rows: [(&str, Result<Faults, &str>); 8] = [
            ("", Ok(Faults::default())),
            (
                "latency=200ms,error=0.1,html=0.5,truncate=0.05,expire=30s",
                Ok(Faults {
                    latency: ms(200),
                    error: 0.1,
                    html: 0.5,
                    truncate: 0.05,
                    expire: Some(Duration::from_secs(30)),
                }),
            ),
            (
                " latency = 2 , expire=1.5m ",
                Ok(Faults {
                    latency: Duration::from_secs(2),
                    expire: Some(Duration::from_secs(90)),
                    ..Faults::default()
                }),
            ),
            ("error=1.5", Err("a share must be a number from 0 to 1")),
            ("error=x", Err("a share must be")),
            ("latency=fast", Err("not a duration")),
            ("slow=1", Err("unknown fault 'slow'")),
            ("error", Err("not name=value")),
        ];
        for (spec, want) in rows {
            match (spec.parse::<Faults>(), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{spec}"),
                (Err(got), Err(want)) => assert!(got.contains(want), "{spec}: {got}"),
                (got, want) => panic!("{spec}: got {got:?}, want {want:?}"),
            }
        }
    }
}
