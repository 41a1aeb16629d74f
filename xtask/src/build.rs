//! Builds the two things the console needs to run: the console itself (trunk, release, into
//! `dist/`) and the controller (`native` profile). `serve`, `test` and `bench` share them, and
//! each installs what it needs first.

use crate::proc::Cmd;
use crate::{tools, Workspace};

/// `trunk build --release` into `dist/`. The pinned wasm-bindgen and wasm-opt are first on `PATH`
/// (see `tools::put_tools_on_path`), so trunk uses them instead of downloading its own.
pub fn console(ws: &Workspace) -> Result<(), String> {
    tools::build_tools(ws)?;
    Cmd::new("trunk")
        .args(["build", "--release"])
        .dir(&ws.root)
        .hint("the messages above say what went wrong in the console's build")
        .run()?;

    let index = ws.dist().join("index.html");
    if !index.is_file() {
        return Err(format!("trunk finished but wrote no {}", index.display()));
    }
    Ok(())
}

/// The controller binary, built with the `native` profile.
pub fn controller(ws: &Workspace) -> Result<(), String> {
    Cmd::cargo()
        .args(["build", "--package", "st-controller", "--profile", "native"])
        .dir(&ws.root)
        .hint("the messages above say what went wrong in the controller's build")
        .run()?;

    let bin = ws.controller_bin();
    if !bin.is_file() {
        return Err(format!("cargo finished but there is no {}", bin.display()));
    }
    Ok(())
}
