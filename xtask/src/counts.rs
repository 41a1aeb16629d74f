//! Test counts read from the closing lines of the test runners the suite drives: libtest (and
//! wasm-bindgen-test-runner, which prints the same summary) and node's TAP reporter.

use std::fmt;
use std::ops::AddAssign;

/// How many tests passed, failed and were skipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)?;
        if self.skipped > 0 {
            write!(f, ", {} skipped", self.skipped)?;
        }
        Ok(())
    }
}

/// Reads one line of libtest output; a `test result:` line gives the counts of one test binary.
///
/// `test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s`
pub fn parse_libtest_line(line: &str) -> Option<Counts> {
    let rest = line.trim().strip_prefix("test result:")?;
    let mut counts = Counts::default();
    let mut seen = false;

    for part in rest.split(['.', ';']) {
        let mut words = part.split_whitespace();
        let (Some(number), Some(label)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "passed" => counts.passed = number,
            "failed" => counts.failed = number,
            "ignored" => counts.skipped = number,
            _ => continue,
        }
        seen = true;
    }

    seen.then_some(counts)
}

/// Reads the totals at the end of node's TAP report (`# pass 4`, `# fail 1`, ...).
///
/// Cancelled tests (a file that crashed, a hook that failed) count as failures, and `todo` ones
/// as skipped.
pub fn parse_tap_totals(report: &str) -> Option<Counts> {
    let mut counts = Counts::default();
    let mut seen = false;

    for line in report.lines() {
        let Some(rest) = line.strip_prefix("# ") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let (Some(label), Some(number), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "pass" => counts.passed += number,
            "fail" | "cancelled" => counts.failed += number,
            "skipped" | "todo" => counts.skipped += number,
            _ => continue,
        }
        seen = true;
    }

    seen.then_some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(passed: u64, failed: u64, skipped: u64) -> Counts {
        Counts {
            passed,
            failed,
            skipped,
        }
    }

    #[test]
    fn libtest_lines() {
        let cases = [
            (
                "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; \
                 finished in 0.01s",
                Some(counts(3, 0, 1)),
            ),
            (
                "test result: FAILED. 10 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
                Some(counts(10, 2, 0)),
            ),
            // wasm-bindgen-test-runner leaves out `measured`.
            (
                "test result: ok. 7 passed; 0 failed; 0 ignored; 0 filtered out",
                Some(counts(7, 0, 0)),
            ),
            (
                "   test result: ok. 0 passed; 0 failed; 0 ignored",
                Some(counts(0, 0, 0)),
            ),
            ("test tests::libtest_lines ... ok", None),
            ("running 3 tests", None),
            ("test result: weird", None),
        ];

        for (line, expected) in cases {
            assert_eq!(parse_libtest_line(line), expected, "line: {line}");
        }
    }

    #[test]
    fn tap_totals() {
        let report = "TAP version 13\n\
                      # Subtest: groups\n\
                      ok 1 - groups\n\
                      1..1\n\
                      # tests 6\n\
                      # suites 2\n\
                      # pass 4\n\
                      # fail 1\n\
                      # cancelled 1\n\
                      # skipped 2\n\
                      # todo 1\n\
                      # duration_ms 1234.5\n";
        assert_eq!(parse_tap_totals(report), Some(counts(4, 2, 3)));
    }

    #[test]
    fn tap_without_totals() {
        assert_eq!(parse_tap_totals("TAP version 13\n# Subtest: a b\n"), None);
        assert_eq!(parse_tap_totals(""), None);
    }

    #[test]
    fn display_matches_the_closing_line_format() {
        assert_eq!(counts(12, 0, 0).to_string(), "12 passed, 0 failed");
        assert_eq!(counts(1, 2, 3).to_string(), "1 passed, 2 failed, 3 skipped");
    }
}
