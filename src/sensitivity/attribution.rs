//! Splitting the change of a metric between two scenarios among the
//! assumptions that differ. With k differences the model is run for each
//! of the 2^k combinations ("coalitions") of A's and B's values; the
//! Shapley value of a difference is its average marginal effect over all
//! orders of switching from A to B, so the parts add up to the whole
//! change and no interaction is left over or counted twice. The Shapley
//! weights `|S|! (k − |S| − 1)! / k!` are computed as integers over k!,
//! so everything is exact until one final rounding (largest remainder)
//! that keeps the sum exact. For many differences, where 2^k runs are too
//! many, each difference is switched alone instead and what that leaves
//! unexplained is reported as the interaction remainder.

use rust_decimal::Decimal;

use crate::num::decimal::{Checked, Overflow};

/// Most differences attributed by Shapley values (2^8 = 256 runs).
pub const MAX_SHAPLEY: usize = 8;

fn factorial(n: usize) -> i128 {
    (1..=n as i128).product()
}

/// `k! × φ_j` for each factor j, exactly, from `v[mask]`: the metric with
/// the factors whose bit is set in `mask` at B's values and the others at A's.
pub fn shapley_scaled(k: usize, v: &[Decimal]) -> Result<Vec<Decimal>, Overflow> {
    let what = "Shapley values";
    let full = 1usize << k;
    let mut out = vec![Decimal::ZERO; k];
    for (j, part) in out.iter_mut().enumerate() {
        let bit = 1usize << j;
        for s in (0..full).filter(|s| s & bit == 0) {
            let size = s.count_ones() as usize;
            let weight = Decimal::from(factorial(size) * factorial(k - size - 1));
            let marginal = v[s | bit].sub(v[s], what)?;
            *part = part.add(weight.mul(marginal, what)?, what)?;
        }
    }
    Ok(out)
}

/// Shapley values rounded to `dp` places by largest remainder, so that
/// they add up exactly to `v[all] − v[none]`. `dp` must be at least the
/// number of places of every value in `v`.
pub fn shapley(k: usize, v: &[Decimal], dp: u32) -> Result<Vec<Decimal>, Overflow> {
    let what = "Shapley values";
    let scaled = shapley_scaled(k, v)?;
    let units = |x: Decimal| -> Result<i128, Overflow> {
        let mut y = x;
        y.rescale(dp);
        if y != x {
            return Err(Overflow { what });
        }
        Ok(y.mantissa())
    };
    let kf = factorial(k);
    let total = units(v[(1usize << k) - 1].sub(v[0], what)?)?;
    let mut floors = Vec::with_capacity(k);
    let mut remainders = Vec::with_capacity(k);
    for x in &scaled {
        let n = units(*x)?;
        floors.push(n.div_euclid(kf));
        remainders.push(n.rem_euclid(kf));
    }
    let deficit = total - floors.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
    for &j in order.iter().take(usize::try_from(deficit).unwrap_or(0)) {
        floors[j] += 1;
    }
    Ok(floors
        .into_iter()
        .map(|n| Decimal::from_i128_with_scale(n, dp))
        .collect())
}

/// One at a time: each factor's effect switched alone from A,
/// `v[{j}] − v[∅]`, and the interaction remainder, the change they leave
/// unexplained. `single[j]` is the metric with only factor j at B's value.
pub fn one_at_a_time(
    none: Decimal,
    single: &[Decimal],
    all: Decimal,
) -> Result<(Vec<Decimal>, Decimal), Overflow> {
    let what = "one-at-a-time effects";
    let parts: Vec<Decimal> = single
        .iter()
        .map(|s| s.sub(none, what))
        .collect::<Result<_, _>>()?;
    let explained = parts.iter().try_fold(Decimal::ZERO, |a, p| a.add(*p, what))?;
    let remainder = all.sub(none, what)?.sub(explained, what)?;
    Ok((parts, remainder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn two_factors_by_hand() {
        // v(∅) = 10, v({0}) = 14, v({1}) = 11, v({0,1}) = 20.
        // φ0 = ½(14 − 10) + ½(20 − 11) = 6.5; φ1 = ½(11 − 10) + ½(20 − 14) = 3.5.
        let v = [d("10"), d("14"), d("11"), d("20")];
        assert_eq!(shapley_scaled(2, &v).unwrap(), vec![d("13"), d("7")]);
        assert_eq!(shapley(2, &v, 1).unwrap(), vec![d("6.5"), d("3.5")]);
        // At whole units the halves go by largest remainder, ties to the first.
        assert_eq!(shapley(2, &v, 0).unwrap(), vec![d("7"), d("3")]);
    }

    #[test]
    fn thirds_round_so_the_parts_sum_exactly() {
        // Symmetric three-way interaction: only all three together add 1.
        let mut v = vec![Decimal::ZERO; 8];
        v[7] = d("1.00");
        let parts = shapley(3, &v, 2).unwrap();
        assert_eq!(parts, vec![d("0.34"), d("0.33"), d("0.33")]);
        assert_eq!(parts.iter().sum::<Decimal>(), d("1.00"));
        // Negative changes floor towards minus infinity and still sum.
        v[7] = d("-1.00");
        let parts = shapley(3, &v, 2).unwrap();
        assert_eq!(parts.iter().sum::<Decimal>(), d("-1.00"));
        assert_eq!(parts, vec![d("-0.33"), d("-0.33"), d("-0.34")]);
    }

    #[test]
    fn additive_effects_are_their_own_shapley_values() {
        // v(S) = Σ_{j∈S} e_j: each part is e_j exactly.
        let e = [d("1.25"), d("-3.5"), d("0.01"), d("7")];
        let v: Vec<Decimal> = (0..16usize)
            .map(|s| (0..4).filter(|j| s & (1 << j) != 0).map(|j| e[j]).sum())
            .collect();
        assert_eq!(shapley(4, &v, 2).unwrap(), e.to_vec());
    }

    #[test]
    fn one_at_a_time_leaves_the_interaction() {
        let (parts, rest) = one_at_a_time(d("10"), &[d("14"), d("11")], d("20")).unwrap();
        assert_eq!(parts, vec![d("4"), d("1")]);
        assert_eq!(rest, d("5"));
    }
}
