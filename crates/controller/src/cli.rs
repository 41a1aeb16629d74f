//! The controller's command line.

use crate::faults::Faults;
use crate::Options;
use clap::Parser;
use std::path::PathBuf;
use std::time::Duration;

/// The reference controller of the cmc.sectransport 2.0 API.
///
/// Stores appliances, groups and traffic in SQLite and serves the API under
/// /api/cmc.sectransport/2.0, and the built console at /. Prints
/// `listening on http://HOST:PORT` on stdout once it accepts connections;
/// logs go to stderr (filter with RUST_LOG, default info).
#[derive(Debug, Clone, Parser)]
#[command(name = "st-controller", version)]
pub struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// SQLite database file, created if absent; `:memory:` keeps nothing.
    #[arg(long, value_name = "PATH", default_value = "st-controller.db")]
    pub db: String,

    /// Directory of the built console, served at `/`.
    #[arg(long, value_name = "DIR")]
    pub ui: Option<PathBuf>,

    /// Seed demo data into an empty database (one that holds data is left
    /// alone).
    #[arg(long)]
    pub demo: bool,

    /// Import a state file (appliances, groups, peer_stats), replacing what
    /// the database holds; a file with any problem changes nothing and the
    /// controller exits with an error.
    #[arg(long, value_name = "FILE")]
    pub load: Option<PathBuf>,

    /// The access code that signs in; without it a random one is made and
    /// printed as `access code: CODE` before the listening line.
    #[arg(long, value_name = "CODE", conflicts_with = "no_auth")]
    pub access_code: Option<String>,

    /// Turn sign-in off: the API answers without a token.
    #[arg(long)]
    pub no_auth: bool,

    /// Seconds a sign-in token lasts.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    pub token_ttl: u64,

    /// Inject failures into API answers (not into sign-in or the OpenAPI
    /// document).
    ///
    /// A comma-separated list of name=value: `latency=200ms` (delay every
    /// answer; ms, s, m, or seconds), `error=0.1` (share of requests answered
    /// 500, 502 or 503 without being handled), `html=0.5` (share of those
    /// errors with a proxy's HTML body instead of JSON), `truncate=0.05`
    /// (share of answers with the body cut in half), `expire=30s` (tokens
    /// stop working after this long, whatever expires_in said). Off by
    /// default. Example: --faults latency=200ms,error=0.1,html=0.5
    #[arg(long, value_name = "SPEC", value_parser = parse_faults)]
    pub faults: Option<Faults>,

    /// With --demo: seconds between the simulator's polls of the appliances,
    /// each delivering the traffic (and rekeys) since the last one.
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub sim_interval: u64,

    /// Seed a benchmark data set into an empty database instead of the demo
    /// data: APPLIANCES appliances in groups of 50 (`bench-1` is the first),
    /// each with DAYS days of 5-minute datapoints, e.g. `1000,30`.
    #[arg(long, value_name = "APPLIANCES,DAYS", value_parser = parse_bench, hide = true)]
    pub bench_seed: Option<(usize, i64)>,

    /// Seed of the demo data and of every random choice.
    #[arg(long, value_name = "N", default_value_t = 1, hide = true)]
    pub seed: u64,
}

impl Cli {
    /// What the running controller needs to know; `access_code` is the
    /// code to sign in with (`None` with `--no-auth`).
    pub fn options(&self, access_code: Option<String>) -> Options {
        Options {
            ui_dir: self.ui.clone(),
            access_code,
            token_ttl: Duration::from_secs(self.token_ttl),
            seed: self.seed,
            faults: self.faults.clone().unwrap_or_default(),
        }
    }
}

fn parse_bench(text: &str) -> Result<(usize, i64), String> {
    let bad = || format!("'{text}' is not APPLIANCES,DAYS such as 1000,30");
    let (a, d) = text.split_once(',').ok_or_else(bad)?;
    let appliances = a.trim().parse().map_err(|_| bad())?;
    let days: i64 = d.trim().parse().map_err(|_| bad())?;
    if appliances == 0 || !(1..=366).contains(&days) {
        return Err(bad());
    }
    Ok((appliances, days))
}

fn parse_faults(spec: &str) -> Result<Faults, String> {
    spec.parse()
}
