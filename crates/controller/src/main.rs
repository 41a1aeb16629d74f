//! `st-controller`: the reference controller as a program. See the library's
//! documentation for its routes; `st-controller --help` for its options.

use clap::Parser;
use st_controller::{app, auth, cli::Cli, demo, load, sim, store::Store, AppState};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("st-controller: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints one line of the controller's stdout contract, flushed at once so a
/// parent process reading the pipe sees it.
fn announce(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn run(cli: Cli) -> Result<(), String> {
    let store = Store::open(&cli.db).map_err(|e| format!("{}: {e}", cli.db))?;
    if let Some(path) = &cli.load {
        let done = load::load_file(&store, path)?;
        tracing::info!(?done, file = %path.display(), "state file imported");
    }
    if let Some((appliances, days)) = cli.bench_seed {
        let now = st_controller::now();
        let seeded = store
            .write_blocking(|tx| demo::seed_bench(tx, cli.seed, now, appliances, days))
            .map_err(|e| format!("seeding the benchmark data failed: {}", e.text))?;
        tracing::info!(
            ?seeded,
            "benchmark data seeded (None: the database already held data)"
        );
    }
    if cli.demo {
        let now = st_controller::now();
        match store
            .write_blocking(|tx| demo::seed_if_empty(tx, cli.seed, now))
            .map_err(|e| format!("seeding the demo data failed: {}", e.text))?
        {
            Some(done) => tracing::info!(?done, "demo data seeded"),
            None => tracing::info!("the database already holds data; no demo data seeded"),
        }
    }

    let access_code = match (&cli.access_code, cli.no_auth) {
        (_, true) => None,
        (Some(code), false) => Some(code.clone()),
        (None, false) => Some(auth::new_access_code()),
    };
    let options = cli.options(access_code.clone());
    let state = AppState::new(store, options);
    if cli.demo {
        sim::spawn(state.clone(), Duration::from_secs(cli.sim_interval));
    }
    let listener = tokio::net::TcpListener::bind(&cli.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(code) = &access_code {
        announce(&format!("access code: {code}"));
    }
    announce(&format!("listening on http://{addr}"));
    tracing::info!(%addr, "serving");

    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("serving failed: {e}"))
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}
