//! `cargo xtask bench [SECTION...] [--runs N]`: figures about the console and the controller as a
//! user meets them, printed as tables and written to `target/bench.json`.
//!
//! Each figure group is a [`Section`]: a table for people and a JSON value for tools, under its
//! own key in the JSON file. A new measurement is one more function returning a `Section`. Naming
//! sections runs only those (and keeps the other keys of an existing `bench.json`); by default
//! every section runs.
//!
//! - `load` (key `first_load`): the size of every wasm, js and css file in `dist/`, raw, gzip -9
//!   and brotli (quality 11), which is what a browser downloads on a first visit.
//! - `paint` (key `groups_paint`): the time from navigation to the groups list being painted, on
//!   demo data, in headless Chromium with a cold cache (the median of N runs of
//!   `tests/e2e/bench/first-paint.mjs`).
//! - `api` (key `peer_stats`): the latency of `all_peer_group_stats` for a group of 50 peers over
//!   the last 24 hours of 5-minute points, against a controller whose SQLite file holds 30 days of
//!   data for 1,000 appliances (seeded by `--bench-seed`), over a few hundred requests on one
//!   kept-alive connection; the target is a p99 under 20 ms.
//! - `chart` (key `chart_draw`): the console's throughput chart (its own wasm, through
//!   `ChartBench`) against uPlot on the same 50 peers × 10,000 points in one page: first draw,
//!   median draw and median hover (`tests/e2e/bench/chart-draw.mjs`).
//! - `heap` (key `heap_growth`): JS heap after garbage collection, DOM nodes and event listeners
//!   before and after 200 in-app trips between two groups' chart pages
//!   (`tests/e2e/bench/heap.mjs`).
//! - `members` (key `membership_filter`): the time from a keystroke in the filter box to the next
//!   painted frame, with 10,000 appliances and 50 groups, on the appliances list and the
//!   membership matrix (every keystroke of N runs of `tests/e2e/bench/membership-filter.mjs`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::controller::Controller;
use crate::proc::Cmd;
use crate::{build, tools, Workspace};

const DEFAULT_RUNS: usize = 7;
/// The sections, by the name that selects them, in the order they run.
const SECTIONS: [&str; 6] = ["load", "paint", "api", "chart", "members", "heap"];
/// The data set of the `api` section: appliances and days of 5-minute points.
const BENCH_APPLIANCES: usize = 1000;
const BENCH_DAYS: u32 = 30;
/// Requests measured by the `api` section, after the warm-up ones.
const API_REQUESTS: usize = 400;
const API_WARM_UP: usize = 20;
/// The p99 the `api` section is held to, in milliseconds.
const API_TARGET_MS: f64 = 20.0;
const FIRST_LOAD_EXTENSIONS: [&str; 3] = ["wasm", "js", "css"];

/// One group of figures.
struct Section {
    /// The key in `bench.json`.
    key: &'static str,
    title: String,
    table: Table,
    json: Value,
}

/// Rows of cells under a header; every column but the first is right-aligned.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// What `bench` was asked for on its command line.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    /// Section names, in the order of [`SECTIONS`].
    sections: Vec<&'static str>,
    runs: usize,
}

pub fn run(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let options = parse(args)?;
    let wants = |name: &str| options.sections.contains(&name);
    build::controller(ws)?;
    let browser = if ["load", "paint", "chart", "members", "heap"]
        .into_iter()
        .any(wants)
    {
        let browser = tools::browser()?;
        build::console(ws)?;
        tools::e2e_packages(ws)?;
        Some(browser)
    } else {
        None
    };

    let mut sections = Vec::new();
    for name in &options.sections {
        let section = match (*name, &browser) {
            ("load", _) => first_load(&ws.dist())?,
            ("paint", Some(browser)) => groups_paint(ws, browser, options.runs)?,
            ("api", _) => peer_stats(ws)?,
            ("chart", Some(browser)) => chart_draw(ws, browser, options.runs)?,
            ("members", Some(browser)) => membership_filter(ws, browser, options.runs)?,
            ("heap", Some(browser)) => heap_growth(ws, browser)?,
            (other, _) => unreachable!("section `{other}` is listed but not run"),
        };
        println!("\n{}\n{}", section.title, section.table.render());
        sections.push(section);
    }
    let path = write_json(ws, &sections)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn parse(args: &[String]) -> Result<Options, String> {
    let usage = || {
        format!(
            "usage: cargo xtask bench [{}]... [--runs N] (not `{}`)",
            SECTIONS.join("|"),
            args.join(" ")
        )
    };
    let mut runs = DEFAULT_RUNS;
    let mut named = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            let n = args.next().ok_or_else(usage)?;
            runs = match n.parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => return Err(format!("--runs needs a positive number, not `{n}`")),
            };
        } else if let Some(name) = SECTIONS.iter().find(|s| **s == arg.as_str()) {
            named.push(*name);
        } else {
            return Err(usage());
        }
    }
    let sections = SECTIONS
        .into_iter()
        .filter(|s| named.is_empty() || named.contains(s))
        .collect();
    Ok(Options { sections, runs })
}

/// Writes the sections into `target/bench.json`, keeping the keys of sections not run this time.
fn write_json(ws: &Workspace, sections: &[Section]) -> Result<PathBuf, String> {
    let path = ws.target.join("bench.json");
    let mut by_key = fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|value| value.as_object().cloned())
        .unwrap_or_default();
    for section in sections {
        by_key.insert(section.key.to_owned(), section.json.clone());
    }
    let text =
        serde_json::to_string_pretty(&Value::Object(by_key)).expect("JSON values always serialize");
    fs::write(&path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Sizes of one file as served raw and as the two usual encodings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

impl Sizes {
    fn of(bytes: &[u8]) -> Sizes {
        Sizes {
            raw: len(bytes),
            gzip: len(&gzip(bytes)),
            brotli: len(&brotli(bytes)),
        }
    }

    fn json(&self) -> Value {
        json!({ "raw": self.raw, "gzip": self.gzip, "brotli": self.brotli })
    }

    fn cells(&self) -> [String; 3] {
        [self.raw, self.gzip, self.brotli].map(thousands)
    }
}

fn len(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).expect("a file fits in u64 bytes")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.into_inner()
}

/// The `first_load` section: every wasm, js and css file under `dist/`, and their total.
fn first_load(dist: &Path) -> Result<Section, String> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)?;
    files.retain(|path| {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        FIRST_LOAD_EXTENSIONS.contains(&ext)
    });
    files.sort();
    if files.is_empty() {
        return Err(format!("{} holds no wasm, js or css file", dist.display()));
    }

    let mut total = Sizes::default();
    let mut rows = Vec::new();
    let mut file_json = Vec::new();
    for path in &files {
        let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let sizes = Sizes::of(&bytes);
        total.raw += sizes.raw;
        total.gzip += sizes.gzip;
        total.brotli += sizes.brotli;

        let name = path
            .strip_prefix(dist)
            .unwrap_or(path)
            .display()
            .to_string();
        rows.push(row(&name, sizes.cells()));
        file_json.push(json!({ "file": name, "bytes": sizes.json() }));
    }
    rows.push(row("total", total.cells()));

    Ok(Section {
        key: "first_load",
        title: "First load: files a browser downloads on a first visit (bytes)".to_owned(),
        table: Table {
            header: ["file", "raw", "gzip -9", "brotli 11"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        },
        json: json!({ "files": file_json, "total": total.json() }),
    })
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn row<const N: usize>(first: &str, rest: [String; N]) -> Vec<String> {
    std::iter::once(first.to_owned()).chain(rest).collect()
}

/// The `groups_paint` section: the browser script measures each run; this takes the medians.
fn groups_paint(ws: &Workspace, browser: &tools::Browser, runs: usize) -> Result<Section, String> {
    paint_section(&bench_script(ws, browser, runs, "first-paint.mjs")?)
}

/// The figures the script reports for each run, in milliseconds from navigation, with what
/// they mean.
const PAINT_METRICS: [(&str, &str); 2] = [
    ("first_contentful_paint_ms", "first contentful paint"),
    ("groups_painted_ms", "groups list painted"),
];

fn paint_section(measured: &Value) -> Result<Section, String> {
    let runs = measured["runs"]
        .as_array()
        .filter(|runs| !runs.is_empty())
        .ok_or("the paint benchmark reported no runs")?;

    let mut rows = Vec::new();
    let mut figures = serde_json::Map::new();
    for (key, label) in PAINT_METRICS {
        let mut values = runs
            .iter()
            .map(|run| run[key].as_f64())
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| format!("a run of the paint benchmark has no number `{key}`"))?;
        let stats = Stats::of(&mut values);
        rows.push(row(label, stats.cells()));
        figures.insert(key.to_owned(), stats.json());
    }

    Ok(Section {
        key: "groups_paint",
        title: format!(
            "Groups page on demo data, cold cache, {} runs (ms from navigation)",
            runs.len()
        ),
        table: Table {
            header: ["figure", "median", "min", "max"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        },
        json: json!({ "runs": runs.len(), "figures": figures, "samples": runs }),
    })
}

/// The `peer_stats` section: seeds the data set into a fresh SQLite file, starts the controller
/// on it, and times `all_peer_group_stats` of the group `bench-1` for the default range (the last
/// 24 hours). Each answer is checked to hold 50 peers with a day of points, so the figures are
/// those of real work.
fn peer_stats(ws: &Workspace) -> Result<Section, String> {
    let db = ws.target.join("bench-api.db");
    remove_db(&db)?;
    let seed_arg = format!("{BENCH_APPLIANCES},{BENCH_DAYS}");
    println!(
        "seeding {BENCH_APPLIANCES} appliances x {BENCH_DAYS} days into {}",
        db.display()
    );
    let seeding = Instant::now();
    let controller = Controller::start(
        ws,
        [
            "--db".as_ref(),
            db.as_os_str(),
            "--bench-seed".as_ref(),
            seed_arg.as_ref(),
        ],
    )?;
    let seeded_secs = seeding.elapsed().as_secs_f64();
    let db_bytes = fs::metadata(&db).map(|m| m.len()).unwrap_or(0);

    let load_before = load_average();
    let result = time_peer_stats(&controller);
    let load_after = load_average();
    drop(controller);
    remove_db(&db)?;
    let (samples, points) = result?;
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let (p50, p99, max) = (
        percentile(&ms, 50.0),
        percentile(&ms, 99.0),
        ms[ms.len() - 1],
    );
    let met = p99 < API_TARGET_MS;

    let cell = |v: f64| format!("{v:.1}");
    Ok(Section {
        key: "peer_stats",
        title: format!(
            "all_peer_group_stats, 50 peers x 24 h ({points} points), {} requests, database of \
             {BENCH_APPLIANCES} appliances x {BENCH_DAYS} days ({} MB, seeded in {seeded_secs:.0} \
             s), load average {load_before} then {load_after}; target p99 < {API_TARGET_MS} ms: \
             {} (ms)",
            ms.len(),
            db_bytes / 1_000_000,
            if met { "met" } else { "MISSED" }
        ),
        table: Table {
            header: ["figure", "p50", "p99", "max"].map(str::to_owned).to_vec(),
            rows: vec![row("latency", [cell(p50), cell(p99), cell(max)])],
        },
        json: json!({
            "requests": ms.len(), "points_per_answer": points,
            "appliances": BENCH_APPLIANCES, "days": BENCH_DAYS,
            "database_bytes": db_bytes, "seeding_s": seeded_secs,
            "p50_ms": p50, "p99_ms": p99, "max_ms": max,
            "target_p99_ms": API_TARGET_MS, "target_met": met,
            "load_average": [load_before, load_after],
        }),
    })
}

/// Times the requests, after a warm-up, on one kept-alive connection. Returns the durations and
/// the number of datapoints in an answer.
fn time_peer_stats(controller: &Controller) -> Result<(Vec<Duration>, usize), String> {
    let token = controller.token()?;
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let api = format!("{}/api/cmc.sectransport/2.0", controller.url);
    let get = |url: &str| -> Result<String, String> {
        agent
            .get(url)
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(|e| format!("GET {url}: {e}"))?
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| format!("GET {url}: cannot read the answer: {e}"))
    };

    let groups: Value = serde_json::from_str(&get(&format!("{api}/groups"))?)
        .map_err(|e| format!("the groups are not JSON: {e}"))?;
    let id = groups["items"]
        .as_array()
        .and_then(|items| items.iter().find(|g| g["name"] == "bench-1"))
        .and_then(|g| g["id"].as_i64())
        .ok_or("the seeded controller has no group bench-1")?;
    let url = format!("{api}/groups/items/{id}/all_peer_group_stats");

    let answer: Value = serde_json::from_str(&get(&url)?)
        .map_err(|e| format!("{url} answered something other than JSON: {e}"))?;
    let points = check_peer_stats(&answer)?;

    for _ in 0..API_WARM_UP {
        get(&url)?;
    }
    let mut samples = Vec::with_capacity(API_REQUESTS);
    for _ in 0..API_REQUESTS {
        let started = Instant::now();
        get(&url)?;
        samples.push(started.elapsed());
    }
    Ok((samples, points))
}

/// Checks that an answer has 50 peers with at least a day of 5-minute points less one, and
/// returns its number of points.
fn check_peer_stats(answer: &Value) -> Result<usize, String> {
    let peers = answer["peer_stats"]
        .as_array()
        .ok_or("the answer has no peer_stats list")?;
    let counts: Vec<usize> = peers
        .iter()
        .map(|p| p["stats"].as_array().map_or(0, Vec::len))
        .collect();
    if peers.len() != 50 || counts.iter().any(|n| *n < 287) {
        return Err(format!(
            "expected 50 peers with a day of points each, got {} peers with {counts:?} points",
            peers.len()
        ));
    }
    Ok(counts.iter().sum())
}

/// The one-minute load average, which says how much else the machine was doing while the
/// figures were taken ("?" where /proc/loadavg is not to be had).
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// Removes a SQLite file and its journals, if they are there.
fn remove_db(db: &Path) -> Result<(), String> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        match fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", Path::new(&name).display())),
        }
    }
    Ok(())
}

/// The nearest-rank percentile `p` (0 to 100) of sorted, non-empty samples.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The `chart_draw` section: the browser script draws with both charts; this tabulates them.
fn chart_draw(ws: &Workspace, browser: &tools::Browser, runs: usize) -> Result<Section, String> {
    chart_section(&bench_script(ws, browser, runs, "chart-draw.mjs")?)
}

/// The `membership_filter` section: filter-to-paint times for 10,000 appliances.
fn membership_filter(
    ws: &Workspace,
    browser: &tools::Browser,
    runs: usize,
) -> Result<Section, String> {
    let measured = bench_script(ws, browser, runs, "membership-filter.mjs")?;
    let samples = measured["runs"]
        .as_array()
        .filter(|runs| !runs.is_empty())
        .ok_or("the filter benchmark reported no runs")?;

    let mut rows = Vec::new();
    let mut figures = serde_json::Map::new();
    let metrics = [
        ("list_keystroke_ms", "appliances list"),
        ("matrix_keystroke_ms", "membership matrix"),
    ];
    for (key, label) in metrics {
        let mut values = samples
            .iter()
            .flat_map(|run| run[key].as_array().cloned().unwrap_or_default())
            .map(|v| v.as_f64())
            .collect::<Option<Vec<f64>>>()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the filter benchmark has no numbers under `{key}`"))?;
        let stats = Stats::of(&mut values);
        rows.push(row(label, stats.cells()));
        figures.insert(key.to_owned(), stats.json());
    }
    Ok(Section {
        key: "membership_filter",
        title: format!(
            "Filter keystroke to paint, {} appliances and {} groups, {} runs (ms)",
            measured["appliances"],
            measured["groups"],
            samples.len()
        ),
        table: Table {
            header: ["view", "median", "min", "max"].map(str::to_owned).to_vec(),
            rows,
        },
        json: json!({ "runs": samples.len(), "figures": figures, "samples": samples }),
    })
}

/// The `heap_growth` section: what 200 trips between two chart pages leave behind, after
/// garbage collection.
fn heap_growth(ws: &Workspace, browser: &tools::Browser) -> Result<Section, String> {
    let measured = bench_script(ws, browser, 1, "heap.mjs")?;
    let figure = |when: &str, key: &str| {
        measured[when][key]
            .as_f64()
            .ok_or_else(|| format!("the heap benchmark reported no number `{when}.{key}`"))
    };
    let mut rows = Vec::new();
    for (key, label) in [
        ("heap_bytes", "JS heap (bytes)"),
        ("nodes", "DOM nodes"),
        ("listeners", "event listeners"),
    ] {
        let (before, after) = (figure("before", key)?, figure("after", key)?);
        let cell = |v: f64| thousands(v.max(0.0) as u64);
        let growth = after - before;
        let sign = if growth < 0.0 { "-" } else { "+" };
        rows.push(row(
            label,
            [
                cell(before),
                cell(after),
                format!("{sign}{}", cell(growth.abs())),
            ],
        ));
    }
    Ok(Section {
        key: "heap_growth",
        title: format!(
            "After {} trips between two chart pages ({} page changes each), after garbage \
             collection",
            measured["trips"], measured["pages_per_trip"]
        ),
        table: Table {
            header: ["figure", "before", "after", "growth"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        },
        json: measured,
    })
}

/// Runs `tests/e2e/bench/NAME` against the built console and controller, and reads the JSON it
/// prints on stdout.
fn bench_script(
    ws: &Workspace,
    browser: &tools::Browser,
    runs: usize,
    name: &str,
) -> Result<Value, String> {
    let script = ws.e2e().join("bench").join(name);
    let stdout = Cmd::new("node")
        .arg(&script)
        .env("ST_CONTROLLER", ws.controller_bin())
        .env("ST_UI_DIR", ws.dist())
        .env("CHROMIUM", &browser.chromium)
        .env("BENCH_RUNS", runs.to_string())
        .dir(ws.e2e())
        .hint("its messages above say what went wrong")
        .output()?;
    let measured: Value = serde_json::from_str(stdout.trim()).map_err(|e| {
        format!(
            "{} printed something other than JSON ({e}): {stdout}",
            script.display()
        )
    })?;
    Ok(measured)
}

/// The figures both sides report, in milliseconds, with what they mean.
const CHART_METRICS: [(&str, &str); 3] = [
    ("first_draw_ms", "first draw"),
    ("draw_ms", "draw (median)"),
    ("hover_ms", "hover (median)"),
];

fn chart_section(measured: &Value) -> Result<Section, String> {
    let figure = |side: &str, key: &str| {
        measured[side][key]
            .as_f64()
            .ok_or_else(|| format!("the chart benchmark reported no number `{side}.{key}`"))
    };
    let mut rows = Vec::new();
    for (key, label) in CHART_METRICS {
        let (ours, theirs) = (figure("console", key)?, figure("uplot", key)?);
        let ratio = if theirs > 0.0 {
            format!("{:.2}", ours / theirs)
        } else {
            "-".to_owned()
        };
        rows.push(row(
            label,
            [format!("{ours:.1}"), format!("{theirs:.1}"), ratio],
        ));
    }
    let count = |key: &str| measured[key].as_u64().unwrap_or(0);
    Ok(Section {
        key: "chart_draw",
        title: format!(
            "Throughput chart, {} peers × {} points, in and out: console vs uPlot {}, {} runs (ms)",
            count("peers"),
            count("points"),
            measured["uplot_version"].as_str().unwrap_or("?"),
            count("runs"),
        ),
        table: Table {
            header: ["figure", "console", "uPlot", "console/uPlot"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        },
        json: measured.clone(),
    })
}

/// The median and the range of some samples.
#[derive(Debug, PartialEq)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    /// Sorts `values`, which must not be empty.
    fn of(values: &mut [f64]) -> Stats {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Stats {
            median,
            min: values[0],
            max: values[n - 1],
        }
    }

    fn json(&self) -> Value {
        json!({ "median": self.median, "min": self.min, "max": self.max })
    }

    fn cells(&self) -> [String; 3] {
        [self.median, self.min, self.max].map(|ms| format!("{ms:.0}"))
    }
}

impl Table {
    fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|col| {
                let cells = std::iter::once(&self.header).chain(&self.rows);
                cells.map(|row| row[col].len()).max().unwrap_or(0)
            })
            .collect();
        std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|row| render_row(row, &widths))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn render_row(row: &[String], widths: &[usize]) -> String {
    let cells: Vec<String> = row
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(col, (cell, &width))| match col {
            0 => format!("{cell:<width$}"),
            _ => format!("{cell:>width$}"),
        })
        .collect();
    format!("  {}", cells.join("  ").trim_end())
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ranges() {
        let cases: [(&[f64], Stats); 3] = [
            (
                &[5.0],
                Stats {
                    median: 5.0,
                    min: 5.0,
                    max: 5.0,
                },
            ),
            (
                &[9.0, 1.0, 4.0],
                Stats {
                    median: 4.0,
                    min: 1.0,
                    max: 9.0,
                },
            ),
            (
                &[4.0, 1.0, 3.0, 10.0],
                Stats {
                    median: 3.5,
                    min: 1.0,
                    max: 10.0,
                },
            ),
        ];
        for (values, expected) in cases {
            assert_eq!(Stats::of(&mut values.to_vec()), expected, "{values:?}");
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        let cases: [(&[f64], f64, f64); 5] = [
            (&[7.0], 99.0, 7.0),
            (&hundred, 50.0, 50.0),
            (&hundred, 99.0, 99.0),
            (&hundred, 100.0, 100.0),
            (&[1.0, 2.0, 3.0, 4.0], 99.0, 4.0),
        ];
        for (sorted, p, expected) in cases {
            assert_eq!(
                percentile(sorted, p),
                expected,
                "p{p} of {} samples",
                sorted.len()
            );
        }
    }

    #[test]
    fn parses_sections_and_runs() {
        let parsed = |line: &str| {
            let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
            parse(&args)
        };
        let cases = [
            (
                "",
                vec!["load", "paint", "api", "chart", "members", "heap"],
                DEFAULT_RUNS,
            ),
            ("api", vec!["api"], DEFAULT_RUNS),
            ("api load --runs 3", vec!["load", "api"], 3),
            ("heap chart", vec!["chart", "heap"], DEFAULT_RUNS),
        ];
        for (line, sections, runs) in cases {
            assert_eq!(parsed(line), Ok(Options { sections, runs }), "{line}");
        }
        for line in ["--runs", "--runs 0", "browser", "api --runs x"] {
            assert!(parsed(line).is_err(), "{line}");
        }
    }

    #[test]
    fn a_peer_stats_answer_must_hold_fifty_full_days() {
        let peer = |n: usize| json!({ "stats": vec![json!({}); n] });
        let full = json!({ "peer_stats": vec![peer(288); 50] });
        assert_eq!(check_peer_stats(&full), Ok(50 * 288));
        let short = json!({ "peer_stats": vec![peer(10); 50] });
        assert!(check_peer_stats(&short).is_err());
        let few = json!({ "peer_stats": vec![peer(288); 49] });
        assert!(check_peer_stats(&few).is_err());
        assert!(check_peer_stats(&json!({})).is_err());
    }

    #[test]
    fn groups_digits_by_thousands() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (367039, "367,039")];
        for (n, expected) in cases {
            assert_eq!(thousands(n), expected);
        }
    }

    #[test]
    fn compressed_sizes_are_real_encodings() {
        let text = "a compressible line of text\n".repeat(200);
        let sizes = Sizes::of(text.as_bytes());
        assert_eq!(sizes.raw, 5600);
        assert!(sizes.gzip < sizes.raw / 10, "{sizes:?}");
        assert!(sizes.brotli < sizes.raw / 10, "{sizes:?}");

        let mut unzipped = String::new();
        let gz = gzip(text.as_bytes());
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
            .expect("gzip output decodes");
        assert_eq!(unzipped, text);
    }

    #[test]
    fn paint_section_takes_medians_of_the_runs() {
        let measured = json!({ "runs": [
            { "first_contentful_paint_ms": 100.0, "groups_painted_ms": 300.0 },
            { "first_contentful_paint_ms": 120.0, "groups_painted_ms": 200.0 },
            { "first_contentful_paint_ms": 90.0, "groups_painted_ms": 250.0 },
        ]});
        let section = paint_section(&measured).expect("a valid report");
        assert_eq!(
            section.json["figures"]["groups_painted_ms"]["median"],
            250.0
        );
        assert_eq!(
            section.json["figures"]["first_contentful_paint_ms"]["max"],
            120.0
        );
        assert_eq!(
            section.table.rows[1],
            row(
                "groups list painted",
                ["250", "200", "300"].map(str::to_owned)
            )
        );

        assert!(paint_section(&json!({ "runs": [] })).is_err());
        assert!(paint_section(&json!({ "runs": [{ "groups_painted_ms": 1.0 }] })).is_err());
    }

    #[test]
    fn chart_section_compares_the_console_with_uplot() {
        let measured = json!({
            "runs": 3, "peers": 50, "points": 10000, "uplot_version": "1.6.32",
            "console": { "first_draw_ms": 30.0, "draw_ms": 20.0, "hover_ms": 0.5 },
            "uplot": { "first_draw_ms": 60.0, "draw_ms": 40.0, "hover_ms": 0.25 },
        });
        let section = chart_section(&measured).expect("a valid report");
        assert_eq!(
            section.table.rows[1],
            row("draw (median)", ["20.0", "40.0", "0.50"].map(str::to_owned))
        );
        assert_eq!(section.table.rows[2][3], "2.00");
        assert!(section.title.contains("50 peers × 10000 points"));
        assert!(chart_section(&json!({ "console": {}, "uplot": {} })).is_err());
    }

    #[test]
    fn tables_align_columns() {
        let table = Table {
            header: vec!["file".into(), "raw".into()],
            rows: vec![row("a.wasm", ["1,000".into()]), row("b.js", ["12".into()])],
        };
        assert_eq!(
            table.render(),
            "  file      raw\n  a.wasm  1,000\n  b.js       12"
        );
    }
}
