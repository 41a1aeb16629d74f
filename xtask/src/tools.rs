//! Installs the tools the builds and tests need, when they are missing or of the wrong version.
//!
//! The versions are the ones that work with the workspace's Rust (1.95) on Debian 12, installed
//! from package registries only (nothing is downloaded from a project's release page): trunk
//! 0.21.14 (later ones need a newer rustc), wasm-bindgen-cli of exactly the `wasm-bindgen` version
//! in `Cargo.lock`, wasm-opt from npm's `binaryen` 132 (Debian's older binaryen produces a module
//! that fails to start), Debian's Chromium with its ChromeDriver, and schemathesis from PyPI in a
//! virtualenv under `target/tools`. Every check is a quick `--version`, so each command checks
//! what it needs on every run.

use std::fs;
use std::path::{Path, PathBuf};

use crate::proc::{path_with, Cmd};
use crate::Workspace;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132.0.0";
const NODE_MIN_MAJOR: u32 = 20;
/// The 4.x release current when the API step was written; later 4.x releases add checks, which
/// is worth a deliberate bump rather than a surprise in CI.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The flags Chromium needs here (as root, offline, without a GPU), shared with the end-to-end
/// harness so that both drive the same browser the same way.
const CHROMIUM_FLAGS: &str = include_str!("../../tests/e2e/lib/chromium-flags.json");

/// Puts the project's own tool directories first on this process's `PATH`, so that every program
/// xtask starts finds them: wasm-opt from npm (which trunk must find before Debian's) and
/// `~/.cargo/bin`, where `cargo install` puts trunk and wasm-bindgen.
pub fn put_tools_on_path(ws: &Workspace) {
    let mut dirs = vec![wasm_opt_dir(ws)];
    dirs.extend(cargo_bin_dir());
    // Edition 2021: `set_var` is safe, and main calls this before starting any thread.
    std::env::set_var("PATH", path_with(&dirs));
}

/// Everything needed to build the console: the wasm target, trunk, wasm-bindgen and wasm-opt.
pub fn build_tools(ws: &Workspace) -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen(ws)?;
    wasm_opt(ws)
}

/// Everything `cargo test --target wasm32-unknown-unknown` needs besides the browser: the target
/// and `wasm-bindgen-test-runner`.
pub fn wasm_test_tools(ws: &Workspace) -> Result<(), String> {
    wasm_target()?;
    wasm_bindgen(ws)
}

/// Adds the rustup target for WebAssembly if it is not installed.
pub fn wasm_target() -> Result<(), String> {
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .probe()
        .ok_or("cannot list rustup's installed targets: is rustup on PATH?")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    Cmd::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .hint("check that static.rust-lang.org is reachable")
        .run()
}

/// Adds clippy and rustfmt to the toolchain if a minimal profile left them out.
pub fn lint_components() -> Result<(), String> {
    let missing: Vec<&str> = [("clippy", "clippy"), ("fmt", "rustfmt")]
        .into_iter()
        .filter(|(sub, _)| Cmd::cargo().args([*sub, "--version"]).probe().is_none())
        .map(|(_, component)| component)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Cmd::new("rustup")
        .args(["component", "add"])
        .args(missing)
        .run()
}

fn trunk() -> Result<(), String> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if version_line("trunk").as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("installing {wanted} (about 11 minutes on 2 cores)");
    Cmd::cargo()
        .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"])
        .hint("check that crates.io is reachable; later trunk releases need a newer rustc")
        .run()
}

/// Installs wasm-bindgen-cli (which also brings `wasm-bindgen-test-runner`) of exactly the
/// version the console links, and checks that `Trunk.toml` pins the same one.
fn wasm_bindgen(ws: &Workspace) -> Result<(), String> {
    let version = locked_wasm_bindgen(ws)?;
    let pinned = trunk_pin(ws, "wasm_bindgen")?;
    if pinned.as_deref() != Some(version.as_str()) {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = {pinned:?} but Cargo.lock has wasm-bindgen {version}: \
             make them equal, or trunk will try to download its own"
        ));
    }

    let wanted = format!("wasm-bindgen {version}");
    let runner = version_line("wasm-bindgen-test-runner");
    if version_line("wasm-bindgen").as_deref() == Some(wanted.as_str())
        && runner.is_some_and(|line| line.ends_with(&version))
    {
        return Ok(());
    }
    // Without --locked: the lock file of wasm-bindgen-cli names a webpki-roots release that the
    // registry reachable from these machines does not have.
    println!("installing wasm-bindgen-cli {version} (about 3 minutes)");
    Cmd::cargo()
        .args(["install", "wasm-bindgen-cli", "--version", &version])
        .hint("check that crates.io is reachable (and do not add --locked)")
        .run()
}

/// The version of `wasm-bindgen` in `Cargo.lock`.
pub fn locked_wasm_bindgen(ws: &Workspace) -> Result<String, String> {
    let lock = fs::read_to_string(ws.root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
        "Cargo.lock has no wasm-bindgen package: the console does not depend on it yet".to_owned()
    })
}

/// The version of package `name` in the text of a `Cargo.lock`.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() != wanted {
            continue;
        }
        let version = lines.next()?.trim().strip_prefix("version = \"")?;
        return Some(version.trim_end_matches('"').to_owned());
    }
    None
}

/// The value of a key in the `[tools]` table of `Trunk.toml`, if any.
fn trunk_pin(ws: &Workspace, key: &str) -> Result<Option<String>, String> {
    let text = fs::read_to_string(ws.root.join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    Ok(toml_table_value(&text, "tools", key))
}

/// A string value from a simple TOML table: enough for `Trunk.toml`'s `[tools]`, without a TOML
/// parser in xtask.
fn toml_table_value(text: &str, table: &str, key: &str) -> Option<String> {
    let header = format!("[{table}]");
    let mut in_table = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == header;
            continue;
        }
        if !in_table {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim() == key {
            let value = v.split('#').next().unwrap_or("").trim();
            return Some(value.trim_matches('"').to_owned());
        }
    }
    None
}

/// Installs wasm-opt from npm's binaryen under `target/tools`, unless the right version is there.
/// Never globally: a global install collides with Debian's own `wasm-opt`.
fn wasm_opt(ws: &Workspace) -> Result<(), String> {
    let major = BINARYEN_VERSION
        .split('.')
        .next()
        .unwrap_or(BINARYEN_VERSION);
    let installed = Cmd::new(wasm_opt_dir(ws).join("wasm-opt"))
        .arg("--version")
        .probe()
        .is_some_and(|out| out.split_whitespace().nth(2) == Some(major));
    if installed {
        return Ok(());
    }

    node()?;
    let prefix = ws.tools();
    fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    // A package.json of its own keeps npm from looking for one further up.
    fs::write(prefix.join("package.json"), "{ \"private\": true }\n")
        .map_err(|e| format!("cannot write in {}: {e}", prefix.display()))?;
    Cmd::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(format!("binaryen@{BINARYEN_VERSION}"))
        .hint("check that the npm registry is reachable")
        .run()
}

/// Where npm puts the project's own wasm-opt.
fn wasm_opt_dir(ws: &Workspace) -> PathBuf {
    ws.tools().join("node_modules").join(".bin")
}

/// `~/.cargo/bin`, where `cargo install` puts trunk and wasm-bindgen.
fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    Some(home.join("bin"))
}

/// Installs schemathesis from PyPI into a virtualenv of the project's own under
/// `target/tools/schemathesis`, unless that version is there, and returns the program's path.
pub fn schemathesis(ws: &Workspace) -> Result<PathBuf, String> {
    let venv = ws.tools().join("schemathesis");
    let program = venv.join("bin").join("schemathesis");
    let wanted = format!("schemathesis, version {SCHEMATHESIS_VERSION}");
    if version_line(&program).as_deref() == Some(wanted.as_str()) {
        return Ok(program);
    }

    println!(
        "installing schemathesis {SCHEMATHESIS_VERSION} into {} (about a minute)",
        venv.display()
    );
    fs::create_dir_all(ws.tools())
        .map_err(|e| format!("cannot create {}: {e}", ws.tools().display()))?;
    Cmd::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .hint("Python 3 with its venv module is needed (Debian: apt-get install python3-venv)")
        .run()?;
    Cmd::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}"))
        .hint("check that PyPI is reachable")
        .run()?;
    match version_line(&program) {
        Some(line) if line == wanted => Ok(program),
        other => Err(format!(
            "after pip install, `{} --version` says {other:?}, not `{wanted}`",
            program.display()
        )),
    }
}

/// Debian's Chromium and its ChromeDriver, for the wasm tests, the end-to-end tests and the
/// benchmark.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Browser {
    /// Capabilities for wasm-bindgen-test-runner (its `webdriver.json`): this Chromium, headless,
    /// with the flags it needs here. ChromeDriver gives it a fresh profile of its own.
    pub fn webdriver_capabilities(&self) -> Result<String, String> {
        let flags: Vec<String> = serde_json::from_str(CHROMIUM_FLAGS).map_err(|e| {
            format!("tests/e2e/lib/chromium-flags.json is not a list of strings: {e}")
        })?;
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": flags,
            }
        });
        Ok(serde_json::to_string_pretty(&capabilities).expect("JSON values always serialize"))
    }
}

/// Installs Debian's Chromium and ChromeDriver unless both are there with the same major version.
pub fn browser() -> Result<Browser, String> {
    let browser = Browser {
        chromium: PathBuf::from(CHROMIUM),
        chromedriver: PathBuf::from(CHROMEDRIVER),
    };
    if browser_versions_match(&browser) {
        return Ok(browser);
    }

    if !is_root() {
        return Err(format!(
            "{CHROMIUM} or {CHROMEDRIVER} is missing or their versions differ, and installing \
             them needs root: run `sudo apt-get update && sudo apt-get install -y chromium \
             chromium-driver`, then try again"
        ));
    }
    println!("installing Debian's chromium and chromium-driver (about 70 s)");
    apt_get(&["update"])?;
    apt_get(&["install", "-y", "chromium", "chromium-driver"])?;

    if browser_versions_match(&browser) {
        Ok(browser)
    } else {
        Err(format!(
            "after apt-get install, `{CHROMIUM} --version` and `{CHROMEDRIVER} --version` still \
             do not report the same major version"
        ))
    }
}

/// Whether both programs run and report the same major version (`Chromium 131.0...`,
/// `ChromeDriver 131.0...`).
fn browser_versions_match(browser: &Browser) -> bool {
    let major = |program: &Path| {
        let line = version_line(program)?;
        let version = line.split_whitespace().nth(1)?;
        Some(version.split('.').next()?.to_owned())
    };
    match (major(&browser.chromium), major(&browser.chromedriver)) {
        (Some(chromium), Some(driver)) => chromium == driver,
        _ => false,
    }
}

fn is_root() -> bool {
    Cmd::new("id")
        .arg("-u")
        .probe()
        .is_some_and(|uid| uid.trim() == "0")
}

fn apt_get(args: &[&str]) -> Result<(), String> {
    Cmd::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .hint("check that the Debian mirrors are reachable and that no other apt-get is running")
        .run()
}

/// Checks that node is there and recent enough for its test runner and playwright-core.
pub fn node() -> Result<(), String> {
    let version = version_line("node").ok_or("node is not on PATH (Node 20 or later is needed)")?;
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(major) if major >= NODE_MIN_MAJOR => Ok(()),
        _ => Err(format!(
            "node {version} is too old: {NODE_MIN_MAJOR} or later is needed"
        )),
    }
}

/// Installs the end-to-end suite's npm packages from its lock file, unless the installed ones
/// are already those.
pub fn e2e_packages(ws: &Workspace) -> Result<(), String> {
    node()?;
    let dir = ws.e2e();
    let lock = fs::read_to_string(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read tests/e2e/package-lock.json: {e}"))?;
    let installed = fs::read_to_string(dir.join("node_modules").join(".package-lock.json"));
    if installed.is_ok_and(|installed| same_packages(&lock, &installed)) {
        return Ok(());
    }
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .dir(&dir)
        // playwright-core downloads nothing, but make sure no browser download is ever tried.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .run()
}

/// Whether the packages npm recorded in `node_modules/.package-lock.json` are the ones the lock
/// file asks for: every `"resolved"`/`"integrity"` line of the installed set appears in the lock.
fn same_packages(lock: &str, installed: &str) -> bool {
    let pins = |text: &str| -> Vec<String> {
        let mut pins: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("\"integrity\""))
            .map(|line| line.trim_end_matches(',').to_owned())
            .collect();
        pins.sort();
        pins
    };
    let wanted = pins(lock);
    !wanted.is_empty() && wanted == pins(installed)
}

/// The first line a program prints for `--version`, if it runs.
fn version_line(program: impl AsRef<std::ffi::OsStr>) -> Option<String> {
    let out = Cmd::new(program).arg("--version").probe()?;
    Some(out.lines().next()?.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.999"
"#;

    #[test]
    fn finds_a_locked_version() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-backend").as_deref(),
            Some("0.2.999")
        );
        assert_eq!(locked_version(LOCK, "trunk"), None);
    }

    #[test]
    fn reads_trunk_tool_pins() {
        let trunk = "[build]\ntarget = \"index.html\"\n\n[tools]\n\
                     wasm_bindgen = \"0.2.130\"  # pinned\nwasm_opt = \"version_132\"\n";
        let cases = [
            ("tools", "wasm_bindgen", Some("0.2.130")),
            ("tools", "wasm_opt", Some("version_132")),
            ("tools", "target", None),
            ("build", "target", Some("index.html")),
        ];
        for (table, key, expected) in cases {
            assert_eq!(
                toml_table_value(trunk, table, key).as_deref(),
                expected,
                "{key}"
            );
        }
    }

    #[test]
    fn compares_npm_lock_files() {
        let lock = r#"{
  "packages": {
    "node_modules/a": {
      "integrity": "sha512-A"
    },
    "node_modules/b": {
      "integrity": "sha512-B",
      "license": "MIT"
    }
  }
}"#;
        let installed = "\"integrity\": \"sha512-B\",\n\"integrity\": \"sha512-A\"\n";
        assert!(same_packages(lock, installed));
        assert!(!same_packages(lock, "\"integrity\": \"sha512-A\"\n"));
        assert!(!same_packages("{}", "{}"));
    }
}
