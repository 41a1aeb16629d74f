//! `cargo xtask lint`: formatting and clippy with warnings denied, for every crate natively and
//! for the console as WebAssembly too, since some of its code only compiles there. Every check
//! runs even when an earlier one fails, so one run shows all that needs fixing.

use crate::proc::Cmd;
use crate::tools;
use crate::Workspace;

pub fn run(ws: &Workspace) -> Result<(), String> {
    tools::lint_components()?;
    tools::wasm_target()?;

    let failures: Vec<String> = checks(ws)
        .into_iter()
        .filter_map(|check| check.run().err())
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn checks(ws: &Workspace) -> [Cmd; 3] {
    let clippy_hint = "fix the warnings above (or allow one where it stands, with a reason)";
    [
        Cmd::cargo()
            .args(["fmt", "--all", "--check"])
            .hint("run `cargo fmt --all` to format the code"),
        Cmd::cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .hint(clippy_hint),
        Cmd::cargo()
            .args(["clippy", "--package", "st-console", "--all-targets"])
            .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
            .hint(clippy_hint),
    ]
    .map(|check| check.dir(&ws.root))
}
