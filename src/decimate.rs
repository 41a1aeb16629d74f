//! M4 decimation: at most four points per pixel column.
//!
//! A line drawn through thousands of points per pixel column looks the same
//! as one drawn through the first, last, lowest and highest point of each
//! column, so those four are all that is kept. Peaks survive, unlike with
//! averaging or taking every n-th point.

/// Keeps the first, last, minimum and maximum point of every column when
/// `x0..x1` is divided into `columns` equal columns. `points` must be
/// sorted by x; the result is too. Points outside `x0..=x1` go to the edge
/// columns.
pub fn m4(points: &[(f64, f64)], x0: f64, x1: f64, columns: usize) -> Vec<(f64, f64)> {
    if columns == 0 || points.len() <= 4 || x1 <= x0 {
        return points.to_vec();
    }
    let width = (x1 - x0) / columns as f64;
    let column = |x: f64| (((x - x0) / width).floor().max(0.0) as usize).min(columns - 1);

    let mut kept = Vec::with_capacity(points.len().min(columns * 4));
    let mut start = 0;
    while start < points.len() {
        let col = column(points[start].0);
        let end = points[start..]
            .iter()
            .position(|p| column(p.0) != col)
            .map_or(points.len(), |n| start + n);
        let run = &points[start..end];
        let lowest = index_by(run, |a, b| a < b);
        let highest = index_by(run, |a, b| a > b);
        let mut picks = [0, lowest, highest, run.len() - 1];
        picks.sort_unstable();
        let mut last = None;
        for i in picks {
            if last != Some(i) {
                kept.push(run[i]);
                last = Some(i);
            }
        }
        start = end;
    }
    kept
}

/// The index of the point whose y wins against all others by `better`
/// (the first one on ties).
fn index_by(run: &[(f64, f64)], better: impl Fn(f64, f64) -> bool) -> usize {
    let mut best = 0;
    for (i, p) in run.iter().enumerate() {
        if better(p.1, run[best].1) {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(ys: &[f64]) -> Vec<(f64, f64)> {
        ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect()
    }

    #[test]
    fn keeps_first_last_min_max_per_column() {
        // Each row: ys at x = 0, 1, 2, …; x range; columns; expected x values kept.
        type Row<'a> = (&'a [f64], f64, f64, usize, &'a [f64]);
        let rows: &[Row] = &[
            (&[1.0, 2.0, 3.0], 0.0, 3.0, 1, &[0.0, 1.0, 2.0]),
            (
                &[5.0, 1.0, 9.0, 3.0, 4.0, 2.0],
                0.0,
                6.0,
                1,
                &[0.0, 1.0, 2.0, 5.0],
            ),
            (
                &[5.0, 9.0, 1.0, 3.0, 4.0, 2.0],
                0.0,
                6.0,
                1,
                &[0.0, 1.0, 2.0, 5.0],
            ),
            (
                &[5.0, 1.0, 9.0, 3.0, 4.0, 8.0, 0.0, 2.0],
                0.0,
                8.0,
                2,
                &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            ),
            (
                &[3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0],
                0.0,
                10.0,
                2,
                &[0.0, 4.0, 5.0, 9.0],
            ),
            (
                &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                0.0,
                6.0,
                0,
                &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            ),
        ];
        for (ys, x0, x1, columns, want) in rows {
            let got: Vec<f64> = m4(&pts(ys), *x0, *x1, *columns)
                .iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(got, *want, "{ys:?} in {columns} columns");
        }
    }

    #[test]
    fn a_peak_among_many_points_survives() {
        let mut ys = vec![1.0; 10_000];
        ys[4321] = 50.0;
        let kept = m4(&pts(&ys), 0.0, 10_000.0, 100);
        assert!(kept.len() <= 400, "{} points kept", kept.len());
        assert!(kept.contains(&(4321.0, 50.0)));
        assert_eq!(kept.first(), Some(&(0.0, 1.0)));
        assert_eq!(kept.last(), Some(&(9999.0, 1.0)));
    }

    #[test]
    fn every_column_keeps_its_first_last_min_and_max() {
        // A deterministic, irregular series: uneven x steps, spiky y.
        let mut state = 12_345u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as f64 / f64::from(u32::MAX >> 1)
        };
        let mut x = 0.0;
        let points: Vec<(f64, f64)> = (0..5_000)
            .map(|_| {
                x += next() * 2.0;
                (x, next() * 100.0)
            })
            .collect();
        let (x0, x1, columns) = (0.0, x, 137);
        let kept = m4(&points, x0, x1, columns);
        assert!(
            kept.windows(2).all(|w| w[0].0 <= w[1].0),
            "kept points are sorted"
        );

        let width = (x1 - x0) / columns as f64;
        let column = |p: &(f64, f64)| (((p.0 - x0) / width).floor() as usize).min(columns - 1);
        for c in 0..columns {
            let all: Vec<_> = points.iter().filter(|p| column(p) == c).collect();
            let ours: Vec<_> = kept.iter().filter(|p| column(p) == c).collect();
            let (Some(first), Some(last)) = (all.first(), all.last()) else {
                assert!(ours.is_empty());
                continue;
            };
            let min = all.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let max = all.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
            assert!(ours.len() <= 4, "column {c} keeps {}", ours.len());
            assert_eq!(ours.first(), Some(first), "column {c}");
            assert_eq!(ours.last(), Some(last), "column {c}");
            assert!(
                ours.iter().any(|p| p.1 == min),
                "column {c} lost its minimum"
            );
            assert!(
                ours.iter().any(|p| p.1 == max),
                "column {c} lost its maximum"
            );
        }
    }
}
