//! When to ask an unreachable controller again whether it answers.
//!
//! While the controller cannot be reached, the console sends it a cheap
//! read now and then: soon at first, then less and less often, each wait
//! jittered so that many consoles do not knock in step, and at once when
//! the browser says its network is back. Any answer at all, even a refusal,
//! means the controller is there again; only no answer or a gateway's
//! 502, 503 or 504 (see [`crate::retry::is_unreachable`]) keeps it probing.

use crate::api::ApiError;
use crate::retry;
use std::time::Duration;

/// The wait before the first probe.
pub const FIRST: Duration = Duration::from_secs(2);

/// The longest wait between two probes.
pub const LONGEST: Duration = Duration::from_secs(15);

/// How much longer each wait is than the one before.
pub const GROWTH: f64 = 1.5;

/// How far a wait may stray from its nominal length, as a share of it,
/// either way.
pub const JITTER: f64 = 0.2;

/// The probing of one spell of unreachability.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probe {
    /// Probes that found no controller since the spell began (or since the
    /// browser last said its network was back).
    misses: u32,
}

/// What to do after a probe's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// The controller answered: stop probing.
    Answered,
    /// Still no controller: probe again after this wait.
    Wait(Duration),
}

impl Probe {
    /// A spell that has just begun.
    pub fn new() -> Self {
        Probe::default()
    }

    /// The wait before the next probe; `random` in `[0, 1)` picks the jitter.
    pub fn wait(&self, random: f64) -> Duration {
        let nominal = FIRST
            .mul_f64(GROWTH.powi(self.misses.min(16) as i32))
            .min(LONGEST);
        retry::jittered(nominal, JITTER, random)
    }

    /// Takes a probe's outcome into account.
    pub fn record(&mut self, outcome: Result<(), &ApiError>, random: f64) -> Next {
        match outcome {
            Err(error) if retry::is_unreachable(error) => {
                self.misses = self.misses.saturating_add(1);
                Next::Wait(self.wait(random))
            }
            _ => Next::Answered,
        }
    }

    /// The browser says its network is back: the next probe goes now, and
    /// the waits after it start short again.
    pub fn online(&mut self) {
        self.misses = 0;
    }
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

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn waits_grow_to_the_longest_and_are_jittered() {
        // (misses so far, random, wait)
        let rows = [
            (0, 0.5, ms(2000)),
            (1, 0.5, ms(3000)),
            (2, 0.5, ms(4500)),
            (3, 0.5, ms(6750)),
            (4, 0.5, ms(10125)),
            (5, 0.5, ms(15000)),
            (40, 0.5, ms(15000)),
            (0, 0.0, ms(1600)),
            (0, 1.0, ms(2400)),
            (5, 1.0, ms(18000)),
            (5, -3.0, ms(12000)),
        ];
        for (misses, random, want) in rows {
            assert_eq!(
                Probe { misses }.wait(random),
                want,
                "{misses} misses, {random}"
            );
        }
    }

    #[test]
    fn any_answer_ends_the_probing() {
        let network = ApiError::Network {
            detail: "TypeError".into(),
        };
        let rows: &[(Result<(), ApiError>, Next)] = &[
            (Ok(()), Next::Answered),
            // A refusal or an error page is still an answer from the controller.
            (Err(status(401)), Next::Answered),
            (Err(status(500)), Next::Answered),
            (
                Err(ApiError::Unreadable {
                    status: 200,
                    detail: "cut".into(),
                }),
                Next::Answered,
            ),
            (Err(network), Next::Wait(ms(3000))),
            (Err(ApiError::Timeout), Next::Wait(ms(3000))),
            (Err(status(502)), Next::Wait(ms(3000))),
            (Err(ApiError::NotJson { status: 504 }), Next::Wait(ms(3000))),
        ];
        for (outcome, want) in rows {
            let mut probe = Probe::new();
            assert_eq!(
                probe.record(outcome.as_ref().map(|_| ()), 0.5),
                *want,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn the_network_coming_back_restarts_the_waits() {
        let mut probe = Probe::new();
        for _ in 0..6 {
            probe.record(Err(&ApiError::Timeout), 0.5);
        }
        assert_eq!(probe.wait(0.5), LONGEST);
        probe.online();
        assert_eq!(probe.wait(0.5), FIRST);
    }
}
