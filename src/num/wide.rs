//! Exact products of decimals rounded once: `round(a × b × …, dp)` with the
//! product held in as many 64-bit limbs as it needs, so that 28-digit
//! shares do not lose their last digits in an intermediate product (which
//! moved a cent between buyers when the lost digits decided a tie).

use rust_decimal::Decimal;

/// A non-negative integer, 64-bit limbs, least significant first.
type Limbs = Vec<u64>;

fn from_u128(x: u128) -> Limbs {
    vec![x as u64, (x >> 64) as u64]
}

fn mul(a: &[u64], b: &[u64]) -> Limbs {
    let mut out = vec![0u64; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &y) in b.iter().enumerate() {
            let t = u128::from(x) * u128::from(y) + u128::from(out[i + j]) + carry;
            out[i + j] = t as u64;
            carry = t >> 64;
        }
        out[i + b.len()] = carry as u64;
    }
    out
}

/// Divides `a` by `d` in place; returns the remainder.
fn div_small(a: &mut [u64], d: u64) -> u64 {
    let mut rem = 0u128;
    for limb in a.iter_mut().rev() {
        let cur = (rem << 64) | u128::from(*limb);
        *limb = (cur / u128::from(d)) as u64;
        rem = cur % u128::from(d);
    }
    rem as u64
}

fn is_zero(a: &[u64]) -> bool {
    a.iter().all(|&x| x == 0)
}

fn to_u128(a: &[u64]) -> Option<u128> {
    if a.iter().skip(2).any(|&x| x != 0) {
        return None;
    }
    let lo = u128::from(a.first().copied().unwrap_or(0));
    let hi = u128::from(a.get(1).copied().unwrap_or(0));
    Some(lo | hi << 64)
}

/// `factors` multiplied exactly and rounded half to even to `dp` places
/// (`dp` ≤ 28); `None` when the rounded result does not fit a `Decimal`.
pub fn product_round(factors: &[Decimal], dp: u32) -> Option<Decimal> {
    let mut p: Limbs = vec![1];
    let mut scale = 0u32;
    let mut negative = false;
    for f in factors {
        p = mul(&p, &from_u128(f.mantissa().unsigned_abs()));
        scale += f.scale();
        negative ^= f.is_sign_negative() && !f.is_zero();
    }
    let mut dp_out = dp;
    if scale < dp {
        // Exact already: the value with its own scale, widened below.
        dp_out = scale;
    } else {
        // Drop scale − dp digits; the last one dropped and whether any
        // before it was non-zero decide the rounding.
        let (mut last, mut sticky) = (0u64, false);
        for _ in 0..scale - dp {
            sticky |= last != 0;
            last = div_small(&mut p, 10);
        }
        let odd = p.first().is_some_and(|x| x & 1 == 1);
        if last > 5 || (last == 5 && (sticky || odd)) {
            let mut carry = true;
            for limb in p.iter_mut() {
                let (v, c) = limb.overflowing_add(u64::from(carry));
                *limb = v;
                carry = c;
                if !carry {
                    break;
                }
            }
            if carry {
                p.push(1);
            }
        }
    }
    let m = if is_zero(&p) { 0 } else { to_u128(&p)? };
    let m = i128::try_from(m).ok()?;
    let m = if negative { -m } else { m };
    let mut d = Decimal::try_from_i128_with_scale(m, dp_out).ok()?;
    d.rescale(dp);
    (d.scale() == dp).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn a_tie_decided_past_28_digits_rounds_up() {
        // 2,513,511 × s = 4089.1850000000000000000000000001 exactly.
        let s = d("0.0016268816806451215053365591");
        assert_eq!(product_round(&[d("31031"), s, d("81")], 2), Some(d("4089.19")));
        // rust_decimal's product keeps 28 digits and lands on the tie.
        let lossy = d("31031") * s * d("81");
        assert_eq!(lossy.round_dp(2), d("4089.18"));
    }

    #[test]
    fn agrees_with_decimal_where_the_product_is_exact() {
        for (f, dp, want) in [
            (vec!["1.005", "1"], 2, "1.00"),
            (vec!["1.015", "1"], 2, "1.02"),
            (vec!["-1.005", "1"], 2, "-1.00"),
            (vec!["-2.5", "3"], 0, "-8"),
            (vec!["0.3", "2480000", "80"], 2, "59520000.00"),
            (vec!["0", "-5"], 2, "0.00"),
            (vec!["12", "3"], 4, "36.0000"),
            (vec!["0.99999", "1"], 2, "1.00"),
        ] {
            let f: Vec<Decimal> = f.into_iter().map(d).collect();
            let got = product_round(&f, dp).unwrap();
            assert_eq!(got, d(want), "{f:?}");
            assert_eq!(got.scale(), dp, "{f:?}");
        }
    }

    #[test]
    fn too_large_is_none() {
        let big = d("79228162514264337593543950335");
        assert_eq!(product_round(&[big, d("10")], 0), None);
    }
}
