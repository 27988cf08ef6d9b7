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
    /// Draws summarised.
    pub n: u64,
    /// The mean over the draws, in the metric's unit.
    pub mean: f64,
    /// The sample standard deviation (n − 1).
    pub sd: f64,
    /// The standard error of the mean: sd / √n.
    pub se: f64,
    /// P5, P10, P25, P50, P75, P90 and P95, as [`PERCENTILES`] lists them.
    pub percentiles: [f64; 7],
    /// The least value drawn (NaN when there are no draws).
    pub min: f64,
    /// The greatest value drawn (NaN when there are no draws).
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
    /// The column in increasing order.
    pub sorted: Vec<f64>,
    /// Twice each draw's average rank (1-based), an integer even for ties.
    pub ranks2: Vec<u32>,
}

/// Sorts a column (radix sort, stable) and ranks it, ties sharing their
/// average rank.
pub fn rank(xs: &[f64]) -> Ranked {
    match integer_keys(xs) {
        Some((lo, p, keys)) if counting_pays(&keys) => {
            let (ranks2, counts) = rank_by_counting(&keys);
            // The sorted column from the counts: each key, as often as drawn.
            let mut sorted = Vec::with_capacity(keys.len());
            for (k, c) in counts.iter().enumerate() {
                let x = (lo + k as i64) as f64 / p;
                sorted.extend(std::iter::repeat_n(x, *c as usize));
            }
            Ranked { sorted, ranks2 }
        }
        Some((lo, p, keys)) => {
            let mut pairs: Vec<(u32, u32)> = keys.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();
            drop(keys);
            radsort::sort_by_key(&mut pairs, |p| p.0);
            let ranks2 = ranks_of(&pairs, |p| p.0, |p| p.1);
            // Every value is exactly (lo + key) / p, checked below.
            let sorted = pairs.iter().map(|q| (lo + i64::from(q.0)) as f64 / p).collect();
            Ranked { sorted, ranks2 }
        }
        None => {
            let mut pairs: Vec<(f64, u32)> = xs.iter().enumerate().map(|(i, x)| (*x, i as u32)).collect();
            radsort::sort_by_key(&mut pairs, |p| p.0);
            let ranks2 = ranks_of(&pairs, |p| p.0, |p| p.1);
            Ranked {
                sorted: pairs.into_iter().map(|p| p.0).collect(),
                ranks2,
            }
        }
    }
}

/// Doubled average ranks of exact integers (drawn inputs in units).
pub fn rank_units(xs: &[i64]) -> Vec<u32> {
    let (Some(lo), Some(hi)) = (xs.iter().min(), xs.iter().max()) else {
        return Vec::new();
    };
    if (*hi as i128 - *lo as i128) < i128::from(u32::MAX) {
        let keys: Vec<u32> = xs.iter().map(|x| (x - lo) as u32).collect();
        if counting_pays(&keys) {
            return rank_by_counting(&keys).0;
        }
        let mut pairs: Vec<(u32, u32)> = xs
            .iter()
            .enumerate()
            .map(|(i, x)| ((x - lo) as u32, i as u32))
            .collect();
        radsort::sort_by_key(&mut pairs, |p| p.0);
        ranks_of(&pairs, |p| p.0, |p| p.1)
    } else {
        let mut pairs: Vec<(u64, u32)> = xs
            .iter()
            .enumerate()
            .map(|(i, x)| ((*x as i128 - *lo as i128) as u64, i as u32))
            .collect();
        radsort::sort_by_key(&mut pairs, |p| p.0);
        ranks_of(&pairs, |p| p.0, |p| p.1)
    }
}

/// Whether ranking by counting each key beats sorting: when the keys span
/// no more values than there are keys (the counts then cost no more
/// memory than the column, and two passes replace a sort).
fn counting_pays(keys: &[u32]) -> bool {
    let span = keys.iter().max().map_or(0, |m| *m as usize + 1);
    span <= keys.len().max(1 << 16)
}

/// Doubled average ranks by counting: the draws with key `v` hold ranks
/// `below(v) + 1 ..= below(v) + count(v)`, twice their mean being
/// `2·below(v) + count(v) + 1`. Also returns how often each key occurs.
fn rank_by_counting(keys: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let span = keys.iter().max().map_or(0, |m| *m as usize + 1);
    let mut counts = vec![0u32; span];
    for k in keys {
        counts[*k as usize] += 1;
    }
    let mut rank2 = Vec::with_capacity(span);
    let mut below = 0u32;
    for c in &counts {
        rank2.push(2 * below + c + 1);
        below += c;
    }
    (keys.iter().map(|k| rank2[*k as usize]).collect(), counts)
}

/// Doubled average ranks from pairs sorted by key.
fn ranks_of<P, K: PartialEq>(pairs: &[P], key: impl Fn(&P) -> K, index: impl Fn(&P) -> u32) -> Vec<u32> {
    let n = pairs.len();
    let mut ranks2 = vec![0u32; n];
    let mut a = 0;
    while a < n {
        let ka = key(&pairs[a]);
        let mut b = a + 1;
        while b < n && key(&pairs[b]) == ka {
            b += 1;
        }
        // Positions a..b hold ranks a+1..=b; twice their mean is a + 1 + b.
        let r2 = (a + 1 + b) as u32;
        for p in &pairs[a..b] {
            ranks2[index(p) as usize] = r2;
        }
        a = b;
    }
    ranks2
}

const POW10: [f64; 7] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

/// Sorting by 32-bit integers moves a quarter of the bytes of sorting by
/// `f64` with an index. Draws are decimals with few places (inputs 2 or
/// 6, metrics at most 4), so `k = round(x·10^s)` is tried for s = 0..=6;
/// it is used only if `k / 10^s` gives back exactly `x` for every value
/// (then `x ↦ k` is one-to-one and increasing, and ranks are unchanged)
/// and the keys span less than 2^32.
fn integer_keys(xs: &[f64]) -> Option<(i64, f64, Vec<u32>)> {
    let first = *xs.first()?;
    'scales: for p in POW10 {
        let exact = |x: f64| -> Option<i64> {
            let k = (x * p).round();
            (k.abs() < 9.0e15 && k / p == x).then_some(k as i64)
        };
        let Some(k0) = exact(first) else { continue };
        let (mut lo, mut hi) = (k0, k0);
        for &x in xs {
            let Some(k) = exact(x) else { continue 'scales };
            lo = lo.min(k);
            hi = hi.max(k);
        }
        if hi - lo >= u32::MAX as i64 {
            return None;
        }
        return Some((
            lo,
            p,
            xs.iter().map(|x| ((x * p).round() as i64 - lo) as u32).collect(),
        ));
    }
    None
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
    let c = c as i64;
    let (mut sxy, mut sxx, mut syy) = (0i128, 0i128, 0i128);
    // |dx|, |dy| < 2^32, so each product fits an i64. While they are
    // below 2^28 (n under 134 million) a sum of 64 products fits too, so
    // blocks of 64 are summed in i64 (a vector loop), then in i128.
    let small = c < (1 << 28);
    for (xs, ys) in x.chunks(64).zip(y.chunks(64)) {
        if small {
            let (mut a, mut b, mut d) = (0i64, 0i64, 0i64);
            for (p, q) in xs.iter().zip(ys) {
                let (dx, dy) = (i64::from(*p) - c, i64::from(*q) - c);
                a += dx * dy;
                b += dx * dx;
                d += dy * dy;
            }
            sxy += i128::from(a);
            sxx += i128::from(b);
            syy += i128::from(d);
        } else {
            for (p, q) in xs.iter().zip(ys) {
                let (dx, dy) = (i64::from(*p) - c, i64::from(*q) - c);
                sxy += i128::from(dx * dy);
                sxx += i128::from(dx * dx);
                syy += i128::from(dy * dy);
            }
        }
    }
    if sxx == 0 || syy == 0 {
        return None;
    }
    Some((sxy as f64 / ((sxx as f64).sqrt() * (syy as f64).sqrt())).clamp(-1.0, 1.0))
}

/// A statistic `--until` can wait for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    /// The mean (`mean`).
    Mean,
    /// The standard deviation (`sd`).
    Sd,
    /// Index into [`PERCENTILES`].
    Percentile(usize),
}

impl Statistic {
    /// The statistic `--until` names: `mean`, `sd`, `median`, or `p5` … `p95`.
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

    /// Its name as reports print it (`median` prints as `p50`).
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
/// (order statistics at n·q ∓ z·√(n·q·(1−q))), and infinite when either rank
/// falls outside 1..n; the mean's is z·sd/√n; the standard deviation's uses
/// the sample fourth moment.
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
            // 1-based ranks of the order statistics that bound the interval.
            let (lo, hi) = ((nf * q - spread).floor(), (nf * q + spread).ceil());
            let half = if lo < 1.0 || hi > nf {
                // Too few draws: the interval reaches past the smallest or
                // largest draw, so it is unbounded, not the draws' range.
                f64::INFINITY
            } else {
                (sorted[hi as usize - 1] - sorted[lo as usize - 1]) / 2.0
            };
            (percentile(&sorted, q), half)
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
    fn a_percentile_interval_past_the_draws_is_unbounded() {
        let xs: Vec<f64> = (1..=10).map(f64::from).collect();
        let p95 = Statistic::parse("p95").unwrap();
        let p5 = Statistic::parse("p5").unwrap();
        let p50 = Statistic::parse("median").unwrap();
        // n = 10, q = 0.95: 9.5 + 1.96·√0.475 = 10.85, rank 11 > 10.
        assert_eq!(relative_half_width(p95, &xs).1, f64::INFINITY);
        // q = 0.05: 0.5 − 1.351 < 1, below the smallest draw.
        assert_eq!(relative_half_width(p5, &xs).1, f64::INFINITY);
        // q = 0.5: 5 ∓ 1.96·√2.5 = 1.90, 8.10 → ranks 1 and 9, values 1
        // and 9: half-width 4 over the median 5.5.
        let (est, rel) = relative_half_width(p50, &xs);
        assert_eq!(est, 5.5);
        assert!((rel - 4.0 / 5.5).abs() < 1e-12, "{rel}");
        // n = 200, q = 0.95: 190 ∓ 1.96·√9.5 = 183.96, 196.04 → ranks 183
        // and 197, values 183 and 197: half-width 7 over P95 190.05.
        let xs: Vec<f64> = (1..=200).map(f64::from).collect();
        let (est, rel) = relative_half_width(p95, &xs);
        assert!((est - 190.05).abs() < 1e-9, "{est}");
        assert!((rel - 7.0 / 190.05).abs() < 1e-12, "{rel}");
    }

    #[test]
    fn mean_and_sd_by_hand() {
        let (m, s) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m, 5.0);
        // Sum of squares 32, n - 1 = 7.
        assert!((s - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
    }

    /// Doubled average ranks the slow, obvious way.
    fn naive_ranks2(xs: &[f64]) -> Vec<u32> {
        xs.iter()
            .map(|x| {
                let below = xs.iter().filter(|y| *y < x).count();
                let equal = xs.iter().filter(|y| *y == x).count();
                (2 * below + equal + 1) as u32
            })
            .collect()
    }

    proptest::proptest! {
        /// Both ways of ranking (counting keys when they span few values,
        /// sorting otherwise) agree with the definition, ties included.
        #[test]
        fn counting_and_sorting_rank_alike(raw in proptest::collection::vec(0u32..40, 1..300), wide in proptest::bool::ANY) {
            // Few distinct values (many ties); `wide` spreads them over
            // millions of keys, beyond what counting handles.
            let xs: Vec<f64> = raw.iter().map(|r| if wide { f64::from(*r) * 1e5 + 0.25 } else { f64::from(*r) / 4.0 }).collect();
            let r = rank(&xs);
            let want = naive_ranks2(&xs);
            proptest::prop_assert_eq!(&r.ranks2, &want);
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            proptest::prop_assert_eq!(&r.sorted, &sorted);
            let units: Vec<i64> = raw.iter().map(|r| if wide { i64::from(*r) * 1_000_000 - 7 } else { i64::from(*r) - 20 }).collect();
            proptest::prop_assert_eq!(rank_units(&units), want);
        }
    }
}
