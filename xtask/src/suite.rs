//! `cargo xtask test [STEP...]`: every check of the repository, one step after the other, with a
//! result line per step and a summary at the end. A failed step does not stop the later ones, so
//! one run shows everything that is wrong; the exit status is non-zero if any step failed.
//!
//! Steps, in order (each installs the tools it needs first):
//!
//! - `lint`: `cargo fmt --check` and clippy `-D warnings`, natively and for wasm.
//! - `unit`: `cargo test --workspace`, natively.
//! - `api`: schemathesis (from PyPI, in a virtualenv under `target/tools`) against a controller
//!   (`native` profile) on demo data, driven by the controller's own OpenAPI document with every
//!   check on and the settings of `crates/controller/schemathesis.toml`; any finding fails it.
//! - `wasm`: the console's browser tests, `cargo test -p st-console --target
//!   wasm32-unknown-unknown`, run by wasm-bindgen-test-runner in headless Chromium.
//! - `e2e`: the console built by trunk (release, into `dist/`), the controller (`native`
//!   profile), and `node --test` in `tests/e2e`, which drives Chromium with playwright-core.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::controller::Controller;
use crate::counts::{parse_tap_totals, Counts};
use crate::proc::Cmd;
use crate::{build, lint, tools, Workspace};

/// Where the controller serves its OpenAPI document.
const OPENAPI_PATH: &str = "/api/cmc.sectransport/2.0/openapi.json";

/// One step of the suite.
struct Step {
    name: &'static str,
    run: fn(&Workspace) -> Outcome,
}

const STEPS: [Step; 5] = [
    Step {
        name: "lint",
        run: lint_step,
    },
    Step {
        name: "unit",
        run: unit_step,
    },
    Step {
        name: "api",
        run: api_step,
    },
    Step {
        name: "wasm",
        run: wasm_step,
    },
    Step {
        name: "e2e",
        run: e2e_step,
    },
];

/// How a step ended: an error if it failed, and the test counts if it ran tests.
struct Outcome {
    error: Option<String>,
    counts: Option<Counts>,
}

impl Outcome {
    fn of(result: Result<(), String>, counts: Option<Counts>) -> Outcome {
        Outcome {
            error: result.err(),
            counts,
        }
    }

    fn failed(error: String) -> Outcome {
        Outcome::of(Err(error), None)
    }
}

/// A finished step, for the summary.
struct Record {
    name: &'static str,
    outcome: Outcome,
    elapsed: Duration,
}

pub fn run(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let steps = select(args)?;
    let mut records = Vec::new();

    for step in steps {
        println!("\n==> {}", step.name);
        let started = Instant::now();
        let outcome = (step.run)(ws);
        let record = Record {
            name: step.name,
            outcome,
            elapsed: started.elapsed(),
        };
        println!("<== {}", record_line(&record));
        records.push(record);
    }

    print_summary(&records);
    let failed = records.iter().filter(|r| r.outcome.error.is_some()).count();
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} of {} steps failed", records.len())),
    }
}

/// The steps named on the command line, in the suite's order, or all of them.
fn select(args: &[String]) -> Result<Vec<&'static Step>, String> {
    if let Some(unknown) = args
        .iter()
        .find(|a| !STEPS.iter().any(|s| s.name == a.as_str()))
    {
        let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        return Err(format!(
            "unknown test step `{unknown}`; the steps are: {}",
            names.join(", ")
        ));
    }
    Ok(STEPS
        .iter()
        .filter(|s| args.is_empty() || args.iter().any(|a| a == s.name))
        .collect())
}

fn lint_step(ws: &Workspace) -> Outcome {
    Outcome::of(lint::run(ws), None)
}

fn unit_step(ws: &Workspace) -> Outcome {
    let (result, counts) = Cmd::cargo()
        .args(["test", "--workspace"])
        .dir(&ws.root)
        .hint("the compiler errors or the failing tests are shown above")
        .run_tests();
    Outcome::of(result, Some(counts))
}

fn api_step(ws: &Workspace) -> Outcome {
    let junit = ws.target.join("schemathesis-junit.xml");
    let _ = fs::remove_file(&junit);
    let result = run_schemathesis(ws, &junit);
    let counts = fs::read_to_string(&junit)
        .ok()
        .map(|xml| junit_counts(&xml));
    Outcome::of(result, counts)
}

/// Operations tested, as schemathesis's JUnit report has them: one `<testcase>` per operation,
/// failed when it holds a `<failure>` or an `<error>`, skipped when it holds a `<skipped>`.
fn junit_counts(xml: &str) -> Counts {
    let mut counts = Counts::default();
    for case in xml.split("<testcase").skip(1) {
        let case = case.split("</testcase>").next().unwrap_or(case);
        if case.contains("<failure") || case.contains("<error") {
            counts.failed += 1;
        } else if case.contains("<skipped") {
            counts.skipped += 1;
        } else {
            counts.passed += 1;
        }
    }
    counts
}

fn run_schemathesis(ws: &Workspace, junit: &Path) -> Result<(), String> {
    let program = tools::schemathesis(ws)?;
    build::controller(ws)?;
    let controller = Controller::start(ws, ["--db", ":memory:", "--demo"])?;
    let token = controller.token()?;

    let config = ws
        .root
        .join("crates")
        .join("controller")
        .join("schemathesis.toml");
    Cmd::new(program)
        .arg("--config-file")
        .arg(&config)
        // One worker: with two, CPython 3.11's `ast.parse` (which hypothesis calls to describe
        // its strategies) is not thread-safe and fails the run with a SystemError of its own.
        .args(["run", "--checks", "all", "--workers", "1", "--no-color"])
        .args(["--generation-database", "none", "--report", "junit"])
        .arg("--report-junit-path")
        .arg(junit)
        .arg(format!("{}{OPENAPI_PATH}", controller.url))
        .env("ST_TOKEN", token)
        .dir(&ws.root)
        .hint(
            "each finding above shows the request and a curl line to replay it; fix the \
             controller or its OpenAPI document (crates/controller/src/openapi.rs)",
        )
        .run()
}

fn wasm_step(ws: &Workspace) -> Outcome {
    let prepared = tools::wasm_test_tools(ws)
        .and_then(|()| tools::browser())
        .and_then(|browser| write_webdriver_json(ws, &browser).map(|json| (browser, json)));
    let (browser, webdriver_json) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return Outcome::failed(e),
    };

    let (result, counts) = Cmd::cargo()
        .args([
            "test",
            "--package",
            "st-console",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
        .dir(&ws.root)
        .hint("the compiler errors or the failing tests are shown above")
        .run_tests();
    Outcome::of(result, Some(counts))
}

/// Writes the capabilities wasm-bindgen-test-runner asks ChromeDriver for, and returns the path.
fn write_webdriver_json(ws: &Workspace, browser: &tools::Browser) -> Result<String, String> {
    let dir = ws.target.join("browser");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("webdriver.json");
    fs::write(&path, browser.webdriver_capabilities()?)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path.to_string_lossy().into_owned())
}

fn e2e_step(ws: &Workspace) -> Outcome {
    let prepared = tools::browser().and_then(|browser| {
        build::console(ws)?;
        build::controller(ws)?;
        tools::e2e_packages(ws)?;
        Ok(browser)
    });
    let browser = match prepared {
        Ok(browser) => browser,
        Err(e) => return Outcome::failed(e),
    };

    let report = ws.target.join("e2e-report.tap");
    let result = Cmd::new("node")
        .args(["--test", "--test-concurrency=1"])
        .args(["--test-reporter=spec", "--test-reporter-destination=stdout"])
        .arg("--test-reporter=tap")
        .arg(format!("--test-reporter-destination={}", report.display()))
        .env("ST_CONTROLLER", ws.controller_bin())
        .env("ST_UI_DIR", ws.dist())
        .env("CHROMIUM", &browser.chromium)
        .dir(ws.e2e())
        .hint("the failing tests are listed above, each with its browser and controller messages")
        .run();
    Outcome::of(result, read_tap_counts(&report))
}

/// The totals of the TAP report node wrote, if it got that far.
fn read_tap_counts(report: &Path) -> Option<Counts> {
    parse_tap_totals(&fs::read_to_string(report).ok()?)
}

fn record_line(record: &Record) -> String {
    let result = match record.outcome.error {
        None => "ok",
        Some(_) => "FAILED",
    };
    let tests = match record.outcome.counts {
        Some(counts) => format!("tests: {counts}"),
        None => String::new(),
    };
    format!(
        "{:<5} {:<6} {:>7}  {tests}",
        record.name,
        result,
        format_duration(record.elapsed)
    )
}

fn print_summary(records: &[Record]) {
    println!("\nsummary");
    for record in records {
        println!("  {}", record_line(record));
        if let Some(error) = &record.outcome.error {
            for line in error.lines() {
                println!("        {line}");
            }
        }
    }

    let failed = records.iter().filter(|r| r.outcome.error.is_some()).count();
    let mut tests = Counts::default();
    for counts in records.iter().filter_map(|r| r.outcome.counts) {
        tests += counts;
    }
    println!(
        "\nsteps: {} passed, {failed} failed (tests: {tests})",
        records.len() - failed
    );
}

/// `1h02m03s`, `4m05s` or `6s`, which reads better than seconds in a summary.
fn format_duration(elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s:02}s"),
        _ => format!("{h}h{m:02}m{s:02}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(args: &[&str]) -> Result<Vec<&'static str>, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        select(&args).map(|steps| steps.iter().map(|s| s.name).collect())
    }

    #[test]
    fn selects_steps_in_the_suite_order() {
        assert_eq!(names(&[]), Ok(vec!["lint", "unit", "api", "wasm", "e2e"]));
        assert_eq!(names(&["e2e", "lint"]), Ok(vec!["lint", "e2e"]));
        assert_eq!(
            names(&["wasm", "api", "unit"]),
            Ok(vec!["unit", "api", "wasm"])
        );
        assert_eq!(names(&["unit", "unit"]), Ok(vec!["unit"]));
        assert!(names(&["unit", "browser"])
            .unwrap_err()
            .contains("`browser`"));
    }

    #[test]
    fn counts_operations_in_a_junit_report() {
        let xml = r#"<testsuites><testsuite name="schemathesis" tests="4">
<testcase name="GET /a"/>
<testcase name="GET /b"><failure type="failure" message="500"/></testcase>
<testcase name="PUT /c"><skipped/></testcase>
<testcase name="POST /d"><error type="error" message="boom"/></testcase>
<testcase name="DELETE /e"></testcase>
</testsuite></testsuites>"#;
        let expected = Counts {
            passed: 2,
            failed: 2,
            skipped: 1,
        };
        assert_eq!(junit_counts(xml), expected);
        assert_eq!(junit_counts("<testsuites/>"), Counts::default());
    }

    #[test]
    fn formats_durations() {
        let cases = [
            (0, "0s"),
            (59, "59s"),
            (60, "1m00s"),
            (754, "12m34s"),
            (3723, "1h02m03s"),
        ];
        for (secs, expected) in cases {
            assert_eq!(format_duration(Duration::from_secs(secs)), expected);
        }
    }
}
