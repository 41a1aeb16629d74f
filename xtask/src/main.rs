//! The workspace's automation, run as `cargo xtask <command>` through the alias in
//! `.cargo/config.toml`.
//!
//! Commands:
//!
//! - `serve`: install what is missing, build the console and the controller, and run the
//!   controller on demo data with the console, behind a generated access code.
//! - `test`: lint, native unit tests, schemathesis against the controller's OpenAPI document,
//!   the console's browser tests, and the end-to-end suite in `tests/e2e/`, with a summary of
//!   every step.
//! - `lint`: `cargo fmt --check` and clippy with `-D warnings`, natively and for wasm.
//! - `bench`: the console's first-load size, the time until the groups list is painted, and the
//!   latency of the controller's per-peer stats on a database of 30 days for 1,000 appliances.
//!
//! Everything builds into the workspace's one `target/` directory, so each command reuses what
//! the others built. Tools installed for the project alone (wasm-opt) live in `target/tools`.

mod bench;
mod build;
mod controller;
mod counts;
mod lint;
mod proc;
mod serve;
mod suite;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--listen ADDR] [--db PATH] [-- CONTROLLER_ARGS...]
        build the console and the controller, then serve them on demo data
        (default http://127.0.0.1:8080); Ctrl-C stops it
  test [STEP...]
        run every test and print a summary; STEP limits the run to some of
        lint, unit, api, wasm, e2e (all by default)
  lint  cargo fmt --check and clippy -D warnings on every crate
  bench [load|paint|api]... [--runs N]
        measure the console's first-load size (load), its time to the groups
        list (paint) and the latency of all_peer_group_stats for 50 peers over
        24 h on 30 days of data for 1,000 appliances (api); all by default;
        writes target/bench.json
  help  print this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let ws = Workspace::locate();
    tools::put_tools_on_path(&ws);

    let result = match command.as_str() {
        "serve" => serve::run(&ws, rest),
        "test" => suite::run(&ws, rest),
        "lint" => no_arguments("lint", rest).and_then(|()| lint::run(&ws)),
        "bench" => bench::run(&ws, rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn no_arguments(command: &str, args: &[String]) -> Result<(), String> {
    match args.first() {
        None => Ok(()),
        Some(arg) => Err(format!("`{command}` takes no arguments, not `{arg}`")),
    }
}

/// Where the workspace and its build outputs are.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root, holding the workspace's `Cargo.toml`.
    pub root: PathBuf,
    /// Cargo's target directory, shared by every build the commands run.
    pub target: PathBuf,
}

impl Workspace {
    /// The workspace xtask was built from, and the target directory cargo uses for it.
    pub fn locate() -> Workspace {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives one level below the workspace root")
            .to_path_buf();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        Workspace { root, target }
    }

    /// The built console, as trunk writes it.
    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    /// The controller binary built with the `native` profile.
    pub fn controller_bin(&self) -> PathBuf {
        self.target.join("native").join("st-controller")
    }

    /// The end-to-end suite, a small npm package.
    pub fn e2e(&self) -> PathBuf {
        self.root.join("tests").join("e2e")
    }

    /// Tools installed for this project only, such as wasm-opt from npm.
    pub fn tools(&self) -> PathBuf {
        self.target.join("tools")
    }
}
