//! When a failed request is tried again, and how long to wait first.
//!
//! Only reads are retried, and only when the failure may pass by itself:
//! no answer (the network, a timeout) or a server error (5xx, such as a
//! proxy's 502 while the controller restarts). A 4xx answer is the
//! controller's considered refusal and a write is never repeated behind
//! the user's back: both go straight to the screen.

use crate::api::ApiError;
use std::time::Duration;

/// The waits before the first, second and third retry; a read that still
/// fails after the last one shows its failure.
pub const DELAYS: [Duration; 3] = [
    Duration::from_millis(500),
    Duration::from_millis(1000),
    Duration::from_millis(2000),
];

/// How far a wait may stray from its nominal length, as a share of it,
/// either way, so that many pages failing together do not retry in step.
pub const JITTER: f64 = 0.25;

/// Whether `error` may pass by itself if the same read is made again.
pub fn is_retryable(error: &ApiError) -> bool {
    match error {
        ApiError::Network { .. } | ApiError::Timeout => true,
        ApiError::Status { status, .. } | ApiError::NotJson { status } => *status >= 500,
        // A 2xx the console cannot read is not a passing failure.
        ApiError::Unreadable { .. } => false,
    }
}

/// Whether `error` says that the controller cannot be reached at all (as
/// opposed to a controller that answered with a refusal or an error):
/// no answer, or a gateway's 502, 503 or 504.
pub fn is_unreachable(error: &ApiError) -> bool {
    match error {
        ApiError::Network { .. } | ApiError::Timeout => true,
        ApiError::Status { status, .. } | ApiError::NotJson { status } => {
            matches!(status, 502..=504)
        }
        ApiError::Unreadable { .. } => false,
    }
}

/// The wait before retrying a `method` request that failed with `error`
/// after `retries` earlier retries, or `None` when it is not retried.
/// `random` in `[0, 1)` picks the jitter.
pub fn next_delay(method: &str, error: &ApiError, retries: usize, random: f64) -> Option<Duration> {
    if method != "GET" || !is_retryable(error) {
        return None;
    }
    Some(jittered(*DELAYS.get(retries)?, JITTER, random))
}

/// `nominal` made up to `jitter` (a share of it) shorter or longer, as
/// `random` in `[0, 1)` picks.
pub fn jittered(nominal: Duration, jitter: f64, random: f64) -> Duration {
    nominal.mul_f64(1.0 - jitter + 2.0 * jitter * random.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ErrorBody;

    fn status(status: u16) -> ApiError {
        ApiError::Status {
            status,
            error: Some(ErrorBody {
                error_id: "X".into(),
                error_text: "x".into(),
            }),
        }
    }

    fn ms(n: u64) -> Option<Duration> {
        Some(Duration::from_millis(n))
    }

    #[test]
    fn which_reads_are_retried_and_when() {
        let network = ApiError::Network {
            detail: "TypeError".into(),
        };
        let rows: &[(&str, ApiError, usize, f64, Option<Duration>)] = &[
            ("GET", network.clone(), 0, 0.5, ms(500)),
            ("GET", network.clone(), 1, 0.5, ms(1000)),
            ("GET", network.clone(), 2, 0.5, ms(2000)),
            ("GET", network.clone(), 3, 0.5, None),
            ("GET", ApiError::Timeout, 0, 0.0, ms(375)),
            ("GET", ApiError::Timeout, 0, 1.0, ms(625)),
            ("GET", ApiError::Timeout, 2, 7.0, ms(2500)),
            ("GET", status(500), 0, 0.5, ms(500)),
            ("GET", status(503), 1, 0.5, ms(1000)),
            ("GET", ApiError::NotJson { status: 502 }, 0, 0.5, ms(500)),
            ("GET", status(400), 0, 0.5, None),
            ("GET", status(401), 0, 0.5, None),
            ("GET", status(404), 0, 0.5, None),
            ("GET", status(412), 0, 0.5, None),
            ("GET", ApiError::NotJson { status: 200 }, 0, 0.5, None),
            (
                "GET",
                ApiError::Unreadable {
                    status: 200,
                    detail: "cut".into(),
                },
                0,
                0.5,
                None,
            ),
            ("POST", network.clone(), 0, 0.5, None),
            ("PUT", status(503), 0, 0.5, None),
            ("DELETE", ApiError::Timeout, 0, 0.5, None),
        ];
        for (method, error, retries, random, want) in rows {
            assert_eq!(
                next_delay(method, error, *retries, *random),
                *want,
                "{method} {error:?} after {retries}"
            );
        }
    }

    #[test]
    fn unreachable_is_no_answer_or_a_gateway_error() {
        let rows = [
            (
                ApiError::Network {
                    detail: "TypeError".into(),
                },
                true,
            ),
            (ApiError::Timeout, true),
            (ApiError::NotJson { status: 502 }, true),
            (status(503), true),
            (status(504), true),
            (status(500), false),
            (status(404), false),
            (ApiError::NotJson { status: 200 }, false),
        ];
        for (error, want) in rows {
            assert_eq!(is_unreachable(&error), want, "{error:?}");
        }
    }
}
