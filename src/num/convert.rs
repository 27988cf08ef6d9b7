//! Conversions between `i64` and `f64` written with plain integer and
//! floating-point additions, so that loops over block lanes vectorise on
//! AVX2, which has no instruction for either conversion (the compiler
//! would convert lane by lane). Each gives exactly what Rust's `as` gives
//! in the range it states; the tests compare them.

/// 1.5 · 2^52: for |x| < 2^51 the double `MAGIC + x` has `x` in the low
/// bits of its mantissa.
const MAGIC: f64 = 6_755_399_441_055_744.0;
const MAGIC_BITS: i64 = 0x4338_0000_0000_0000;

/// 2^51: below it in magnitude the `small` conversions are exact.
pub const SMALL: f64 = (1u64 << 51) as f64;

/// `x as f64` for |x| < 2^51 (exact there).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn small_to_f64(x: i64) -> f64 {
    f64::from_bits(x.wrapping_add(MAGIC_BITS) as u64) - MAGIC
}

/// `x as f64` for `x < 2^52` (exact there): a bitwise or and a
/// subtraction, where a `u64` cast is a branchy sequence on x86-64.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn u52_to_f64(x: u64) -> f64 {
    const TWO52: f64 = 4_503_599_627_370_496.0;
    f64::from_bits(x | TWO52.to_bits()) - TWO52
}

/// `x as f64` for every `x` (rounded to nearest, ties to even, as `as`
/// rounds): the high and low halves converted exactly, then one rounded sum.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn to_f64(x: i64) -> f64 {
    let hi = small_to_f64(x >> 32) * 4_294_967_296.0;
    let lo = small_to_f64(x & 0xffff_ffff);
    hi + lo
}

/// `y as i64` (truncation) for |y| < 2^51; garbage beyond, never a panic.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn trunc_small(y: f64) -> i64 {
    nearest_small(y.trunc())
}

/// `y` rounded to the nearest integer, ties to even, for |y| < 2^51.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn nearest_small(y: f64) -> i64 {
    ((y + MAGIC).to_bits() as i64).wrapping_sub(MAGIC_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LIMIT: i64 = 1 << 51;

    #[test]
    fn edges_convert_as_the_casts_do() {
        for x in [
            0,
            1,
            -1,
            LIMIT - 1,
            -LIMIT + 1,
            -LIMIT,
            (1 << 53) + 1,
            -(1 << 53) - 1,
            (1 << 54) + 2,
            (1 << 54) + 6,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
            0xffff_ffff,
            -0xffff_ffff,
        ] {
            assert_eq!(to_f64(x).to_bits(), (x as f64).to_bits(), "{x}");
            if (-LIMIT..LIMIT).contains(&x) {
                assert_eq!(small_to_f64(x).to_bits(), (x as f64).to_bits(), "{x}");
            }
        }
        for y in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.999_999_999,
            -7.9,
            2.0e15,
            -2.0e15,
        ] {
            assert_eq!(trunc_small(y), y as i64, "{y}");
        }
        for x in [0, 1, (1 << 52) - 1, 1 << 51] {
            assert_eq!(u52_to_f64(x).to_bits(), (x as f64).to_bits(), "{x}");
        }
        assert_eq!(nearest_small(2.5), 2);
        assert_eq!(nearest_small(3.5), 4);
        assert_eq!(nearest_small(-2.5), -2);
    }

    proptest! {
        #[test]
        fn every_i64_converts_as_the_cast_does(x in any::<i64>()) {
            prop_assert_eq!(to_f64(x).to_bits(), (x as f64).to_bits());
        }

        #[test]
        fn unsigned_52_bit_values_convert_as_the_cast_does(x in 0u64..1 << 52) {
            prop_assert_eq!(u52_to_f64(x).to_bits(), (x as f64).to_bits());
        }

        #[test]
        fn small_values_convert_both_ways(x in -LIMIT + 1..LIMIT, f in -1.0f64..1.0) {
            prop_assert_eq!(small_to_f64(x).to_bits(), (x as f64).to_bits());
            let y = x as f64 + f;
            if y.abs() < LIMIT as f64 {
                prop_assert_eq!(trunc_small(y), y as i64);
                prop_assert_eq!(nearest_small(y), y.round_ties_even() as i64);
            }
        }
    }
}
