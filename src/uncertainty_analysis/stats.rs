//! Statistics of the draws: mean, standard deviation, standard error,
//! percentiles (linear between order statistics, as numpy's default),
//! Spearman rank correlation (average ranks for ties, sums in exact
//! integers) and the 95% intervals behind `--until`. Every sum runs in draw
//! order, so results are the same on any number of threads and for a
//! merged set of shards.

/// The reported percentiles: name and probability.
pub const PERCENTILES: [(&str, f64); 7] = [
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
];

/// z of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The summary of one metric over the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
    pub se: f64,
    pub percentiles: [f64; 7],
    pub min: f64,
    pub max: f64,
}

/// Compensated (Neumaier) sum, in order.
pub fn sum(xs: &[f64]) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for &x in xs {
        let t = s + x;
        c += if s.abs() >= x.abs() {
            (s - t) + x
        } else {
            (x - t) + s
        };
        s = t;
    }
    s + c
}

/// Mean and sample standard deviation (n − 1), two passes.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = sum(xs) / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for &x in xs {
        let d = (x - mean) * (x - mean);
        let t = s + d;
        c += if s >= d { (s - t) + d } else { (d - t) + s };
        s = t;
    }
    (mean, ((s + c) / (n - 1) as f64).sqrt())
}

/// The `q` quantile of sorted values, interpolating linearly between
/// order statistics (Hyndman–Fan type 7).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let frac = h - lo as f64;
    if frac == 0.0 || sorted[hi] == sorted[lo] {
        sorted[lo]
    } else {
        sorted[lo] + frac * (sorted[hi] - sorted[lo])
    }
}

/// One column of draws sorted, with each draw's rank.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub sorted: Vec<f64>,
    /// Twice each draw's average rank (1-based), an integer even for ties.
    pub ranks2: Vec<u32>,
}

/// Sorts a column (radix sort, stable) and ranks it, ties sharing their
/// average rank.
pub fn rank(xs: &[f64]) -> Ranked {
    let n = xs.len();
    let mut pairs: Vec<(f64, u32)> = xs.iter().enumerate().map(|(i, x)| (*x, i as u32)).collect();
    radsort::sort_by_key(&mut pairs, |p| p.0);
    let mut ranks2 = vec![0u32; n];
    let mut a = 0;
    while a < n {
        let mut b = a + 1;
        while b < n && pairs[b].0 == pairs[a].0 {
            b += 1;
        }
        // Positions a..b hold ranks a+1..=b; twice their mean is a + 1 + b.
        let r2 = (a + 1 + b) as u32;
        for p in &pairs[a..b] {
            ranks2[p.1 as usize] = r2;
        }
        a = b;
    }
    Ranked {
        sorted: pairs.into_iter().map(|p| p.0).collect(),
        ranks2,
    }
}

/// The summary of a column, from its values in draw order and sorted.
pub fn summarize(xs: &[f64], sorted: &[f64]) -> Summary {
    let (mean, sd) = mean_sd(xs);
    let n = xs.len();
    let mut percentiles = [0.0; 7];
    for (slot, (_, q)) in percentiles.iter_mut().zip(PERCENTILES) {
        *slot = percentile(sorted, q);
    }
    Summary {
        n: n as u64,
        mean,
        sd,
        se: if n > 0 { sd / (n as f64).sqrt() } else { 0.0 },
        percentiles,
        min: sorted.first().copied().unwrap_or(f64::NAN),
        max: sorted.last().copied().unwrap_or(f64::NAN),
    }
}

/// Spearman's rank correlation from doubled ranks; `None` when either
/// column is constant. The sums are exact integers.
pub fn spearman(x: &[u32], y: &[u32]) -> Option<f64> {
    let n = x.len() as i128;
    if n < 2 || x.len() != y.len() {
        return None;
    }
    // Doubled ranks average n + 1.
    let c = n + 1;
    let (mut sxy, mut sxx, mut syy) = (0i128, 0i128, 0i128);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (i128::from(*a) - c, i128::from(*b) - c);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0 || syy == 0 {
        return None;
    }
    Some((sxy as f64 / ((sxx as f64).sqrt() * (syy as f64).sqrt())).clamp(-1.0, 1.0))
}

/// A statistic `--until` can wait for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    Mean,
    Sd,
    /// Index into [`PERCENTILES`].
    Percentile(usize),
}

impl Statistic {
    pub fn parse(s: &str) -> Option<Statistic> {
        match s {
            "mean" => Some(Statistic::Mean),
            "sd" => Some(Statistic::Sd),
            "median" => Some(Statistic::Percentile(3)),
            _ => PERCENTILES
                .iter()
                .position(|(n, _)| *n == s)
                .map(Statistic::Percentile),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Statistic::Mean => "mean",
            Statistic::Sd => "sd",
            Statistic::Percentile(i) => PERCENTILES[i].0,
        }
    }
}

/// The estimate of `stat` from `xs` and the half-width of its 95%
/// interval relative to the estimate's size (infinite when the estimate is
/// 0 and the interval is not). Percentile intervals are distribution-free
/// (order statistics at n·q ∓ z·√(n·q·(1−q))); the mean's is z·sd/√n; the
/// standard deviation's uses the sample fourth moment.
pub fn relative_half_width(stat: Statistic, xs: &[f64]) -> (f64, f64) {
    let n = xs.len();
    if n < 2 {
        return (xs.first().copied().unwrap_or(0.0), f64::INFINITY);
    }
    let nf = n as f64;
    let (estimate, half) = match stat {
        Statistic::Mean => {
            let (mean, sd) = mean_sd(xs);
            (mean, Z95 * sd / nf.sqrt())
        }
        Statistic::Sd => {
            let (mean, sd) = mean_sd(xs);
            let m4 = sum(&xs.iter().map(|x| (x - mean).powi(4)).collect::<Vec<_>>()) / nf;
            let var_s2 = ((m4 - sd.powi(4)) / nf).max(0.0);
            let se = if sd > 0.0 { var_s2.sqrt() / (2.0 * sd) } else { 0.0 };
            (sd, Z95 * se)
        }
        Statistic::Percentile(i) => {
            let q = PERCENTILES[i].1;
            let mut sorted = xs.to_vec();
            radsort::sort(&mut sorted);
            let spread = Z95 * (nf * q * (1.0 - q)).sqrt();
            let lo = ((nf * q - spread).floor().max(1.0) as usize).min(n) - 1;
            let hi = ((nf * q + spread).ceil().max(1.0) as usize).min(n) - 1;
            (percentile(&sorted, q), (sorted[hi] - sorted[lo]) / 2.0)
        }
    };
    let rel = if half == 0.0 {
        0.0
    } else if estimate == 0.0 {
        f64::INFINITY
    } else {
        half / estimate.abs()
    };
    (estimate, rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 50, 95]) = 1.2, 3, 8.8
        let s = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((percentile(&s, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(percentile(&s, 0.5), 3.0);
        assert!((percentile(&s, 0.95) - 8.8).abs() < 1e-12);
    }

    #[test]
    fn ties_share_their_average_rank() {
        let r = rank(&[3.0, 1.0, 3.0, 2.0]);
        // Ranks 4 and 3 share 3.5; doubled: 7.
        assert_eq!(r.ranks2, vec![7, 2, 7, 4]);
        assert_eq!(r.sorted, vec![1.0, 2.0, 3.0, 3.0]);
    }

    #[test]
    fn spearman_by_hand() {
        // x ranks 1..5, y ranks 2,1,4,3,5: d² = 1+1+1+1+0 = 4,
        // rho = 1 - 6·4/(5·24) = 0.8.
        let x = rank(&[1.0, 2.0, 3.0, 4.0, 5.0]).ranks2;
        let y = rank(&[20.0, 10.0, 40.0, 30.0, 50.0]).ranks2;
        assert!((spearman(&x, &y).unwrap() - 0.8).abs() < 1e-12);
        let flat = rank(&[1.0; 5]).ranks2;
        assert_eq!(spearman(&x, &flat), None);
    }

    #[test]
    fn mean_and_sd_by_hand() {
        let (m, s) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m, 5.0);
        // Sum of squares 32, n - 1 = 7.
        assert!((s - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
    }
}
