//! `cargo xtask bench [--runs N]`: figures about the console as a user meets it, printed as tables
//! and written to `target/bench.json`.
//!
//! Each figure group is a [`Section`]: a table for people and a JSON value for tools, under its
//! own key in the JSON file. A new measurement is one more function returning a `Section`.
//!
//! - `first_load`: the size of every wasm, js and css file in `dist/`, raw, gzip -9 and brotli
//!   (quality 11), which is what a browser downloads on a first visit.
//! - `groups_paint`: the time from navigation to the groups list being painted, on demo data, in
//!   headless Chromium with a cold cache (the median of N runs of `tests/e2e/bench/first-paint.mjs`).
//! - `membership_filter`: the time from a keystroke in the filter box to the next painted frame,
//!   with 10,000 appliances and 50 groups, on the appliances list and the membership matrix
//!   (every keystroke of N runs of `tests/e2e/bench/membership-filter.mjs`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::proc::Cmd;
use crate::{build, tools, Workspace};

const DEFAULT_RUNS: usize = 7;
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

pub fn run(ws: &Workspace, args: &[String]) -> Result<(), String> {
    let runs = parse_runs(args)?;
    let browser = tools::browser()?;
    build::console(ws)?;
    build::controller(ws)?;
    tools::e2e_packages(ws)?;

    let sections = [
        first_load(&ws.dist())?,
        groups_paint(ws, &browser, runs)?,
        membership_filter(ws, &browser, runs)?,
    ];
    for section in &sections {
        println!("\n{}\n{}", section.title, section.table.render());
    }
    let path = write_json(ws, &sections)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn parse_runs(args: &[String]) -> Result<usize, String> {
    match args {
        [] => Ok(DEFAULT_RUNS),
        [flag, n] if flag == "--runs" => match n.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("--runs needs a positive number, not `{n}`")),
        },
        _ => Err(format!(
            "usage: cargo xtask bench [--runs N] (not `{}`)",
            args.join(" ")
        )),
    }
}

fn write_json(ws: &Workspace, sections: &[Section]) -> Result<PathBuf, String> {
    let by_key: serde_json::Map<String, Value> = sections
        .iter()
        .map(|s| (s.key.to_owned(), s.json.clone()))
        .collect();
    let text =
        serde_json::to_string_pretty(&Value::Object(by_key)).expect("JSON values always serialize");
    let path = ws.target.join("bench.json");
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
    let script = ws.e2e().join("bench").join("first-paint.mjs");
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
    paint_section(&measured)
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

/// The `membership_filter` section: filter-to-paint times for 10,000 appliances.
fn membership_filter(
    ws: &Workspace,
    browser: &tools::Browser,
    runs: usize,
) -> Result<Section, String> {
    let script = ws.e2e().join("bench").join("membership-filter.mjs");
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
