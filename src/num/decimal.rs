//! Exact decimal numbers: reading them from the literal text of a model file,
//! the two roundings docs/model.md allows (`round2`, `round4`, both half-to-even),
//! and overflow-checked arithmetic so that no computation can panic or wrap.

use rust_decimal::prelude::*;
use thiserror::Error;

/// The most significant digits a `Decimal` holds exactly.
pub const MAX_DIGITS: usize = 28;

/// Why a literal could not be taken as an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LiteralError {
    /// A NaN or an infinity (`nan`, `inf`, of either sign).
    #[error("is not a finite number")]
    NotFinite,
    /// More than [`MAX_DIGITS`] significant digits.
    #[error("has more than {MAX_DIGITS} significant digits, more than dinarflow keeps exactly")]
    TooManyDigits,
    /// More than [`MAX_DIGITS`] decimal places (`1e-40`).
    #[error("has more than {MAX_DIGITS} decimal places, more than dinarflow keeps exactly")]
    TooManyDecimals,
    /// Beyond a `Decimal`'s range (magnitude about 7.9e28), in decimal or another radix.
    #[error("is too large for an exact decimal (the largest is about 7.9e28)")]
    TooLarge,
    /// Not a number at all (no digits, or characters other than digits and a point).
    #[error("is not a number")]
    Malformed,
}

/// Parses the decoded text of a TOML float or decimal integer (underscores
/// already removed, optional sign, optional exponent) into the exact decimal
/// it spells: `0.3` is 3/10 and `78.0` keeps its one decimal place.
///
/// At most [`MAX_DIGITS`] significant digits are accepted (trailing zeros of
/// a number written without a decimal point do not count: `1e20` and
/// `100000000000000000000` are one digit), even where a 29th would fit.
pub fn parse_decimal(text: &str) -> Result<Decimal, LiteralError> {
    let text = text.trim().replace('_', "");
    let lower = text.to_ascii_lowercase();
    if lower.contains("nan") || lower.contains("inf") {
        return Err(LiteralError::NotFinite);
    }
    let unsigned = lower.trim_start_matches(['+', '-']);
    let mantissa = unsigned.split('e').next().unwrap_or("");
    if mantissa.is_empty() || !mantissa.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(LiteralError::Malformed);
    }
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut significant = digits.trim_start_matches('0');
    if !mantissa.contains('.') {
        significant = significant.trim_end_matches('0');
    }
    let too_many_digits = significant.len() > MAX_DIGITS;
    let int_digits = mantissa
        .split('.')
        .next()
        .unwrap_or("")
        .trim_start_matches('0')
        .len();
    if !lower.contains('e') && int_digits > MAX_DIGITS + 1 {
        return Err(LiteralError::TooLarge);
    }
    let parsed = if lower.contains('e') {
        Decimal::from_scientific(&lower)
    } else {
        Decimal::from_str_exact(&text)
    };
    match parsed {
        Ok(_) if too_many_digits => Err(LiteralError::TooManyDigits),
        Ok(d) => Ok(d),
        Err(e) => Err(match e {
            rust_decimal::Error::ExceedsMaximumPossibleValue
            | rust_decimal::Error::LessThanMinimumPossibleValue => LiteralError::TooLarge,
            rust_decimal::Error::ErrorString(m) if m.contains("overflow") => {
                if int_digits > MAX_DIGITS {
                    LiteralError::TooLarge
                } else {
                    LiteralError::TooManyDigits
                }
            }
            _ if too_many_digits => LiteralError::TooManyDigits,
            // `1e40` and `1e-40` both fail on scale; the exponent's sign tells
            // a number too large from one with too many decimal places.
            rust_decimal::Error::ScaleExceedsMaximumPrecision(_) | rust_decimal::Error::Underflow => {
                if lower
                    .split_once('e')
                    .is_some_and(|(_, exp)| !exp.starts_with('-'))
                {
                    LiteralError::TooLarge
                } else {
                    LiteralError::TooManyDecimals
                }
            }
            _ => LiteralError::Malformed,
        }),
    }
}

/// Parses a TOML integer given in a radix other than ten (`0x`, `0o`, `0b`).
pub fn parse_radix_integer(text: &str, radix: u32) -> Result<Decimal, LiteralError> {
    let text = text.replace('_', "");
    let v = i128::from_str_radix(&text, radix).map_err(|_| LiteralError::TooLarge)?;
    Decimal::from_i128(v).ok_or(LiteralError::TooLarge)
}

/// Rounds to `dp` places, half to even, and fixes the scale at `dp` so that
/// `round2(7)` reads `7.00` exactly as a quantized decimal does.
fn quantize(x: Decimal, dp: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    r.rescale(dp);
    r
}

/// docs/model.md `round2`: money to cents, banker's rounding.
pub fn round2(x: Decimal) -> Decimal {
    quantize(x, 2)
}

/// docs/model.md `round4`: rates and percentages to four places, banker's rounding.
pub fn round4(x: Decimal) -> Decimal {
    quantize(x, 4)
}

/// Rounding of a drawn value that is not money (docs/model.md §1.6): six places.
pub fn round6(x: Decimal) -> Decimal {
    quantize(x, 6)
}

/// An arithmetic step that left the range of an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("arithmetic overflow while computing {what}")]
pub struct Overflow {
    /// What was being computed, as the message names it: `the conservation check`.
    pub what: &'static str,
}

/// Overflow-checked operations that name what was being computed.
pub trait Checked: Sized {
    /// `self + rhs`, or [`Overflow`] naming `what` when the sum is out of range.
    fn add(self, rhs: Self, what: &'static str) -> Result<Self, Overflow>;
    /// `self − rhs`, or [`Overflow`] naming `what` when the difference is out of range.
    fn sub(self, rhs: Self, what: &'static str) -> Result<Self, Overflow>;
    /// `self × rhs`, unrounded by the model, or [`Overflow`] naming `what` when the
    /// product is out of range.
    fn mul(self, rhs: Self, what: &'static str) -> Result<Self, Overflow>;
    /// `self / rhs` to the type's precision (not an exact fraction), or [`Overflow`]
    /// naming `what`, also for a zero divisor.
    fn div(self, rhs: Self, what: &'static str) -> Result<Self, Overflow>;
}

/// `x` with at least `scale` decimal places, as a decimal sum or
/// difference written out by hand has (`8500 + 0.00 = 8500.00`):
/// rust_decimal returns the other operand unchanged when one is zero.
fn at_least(mut x: Decimal, scale: u32) -> Decimal {
    if x.scale() < scale {
        x.rescale(scale);
    }
    x
}

impl Checked for Decimal {
    fn add(self, rhs: Self, what: &'static str) -> Result<Self, Overflow> {
        let sum = self.checked_add(rhs).ok_or(Overflow { what })?;
        Ok(at_least(sum, self.scale().max(rhs.scale())))
    }
    fn sub(self, rhs: Self, what: &'static str) -> Result<Self, Overflow> {
        let difference = self.checked_sub(rhs).ok_or(Overflow { what })?;
        Ok(at_least(difference, self.scale().max(rhs.scale())))
    }
    fn mul(self, rhs: Self, what: &'static str) -> Result<Self, Overflow> {
        let product = self.checked_mul(rhs).ok_or(Overflow { what })?;
        // rust_decimal answers a zero product at scale 0; the exact product
        // of 0.00 and 20 is 0.00 (docs/model.md: values print at their own
        // scale), as the reference implementation prints it.
        Ok(if product.is_zero() {
            at_least(product, (self.scale() + rhs.scale()).min(28))
        } else {
            product
        })
    }
    fn div(self, rhs: Self, what: &'static str) -> Result<Self, Overflow> {
        self.checked_div(rhs).ok_or(Overflow { what })
    }
}

/// `100 × part / whole` for display (`whole` not zero): exact where
/// `100 × part` fits, else from the quotient; `None` past the largest
/// decimal (a share of about 8e26 times the whole), never a panic.
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    Decimal::ONE_HUNDRED
        .checked_mul(part)
        .and_then(|p| p.checked_div(whole))
        .or_else(|| part.checked_div(whole)?.checked_mul(Decimal::ONE_HUNDRED))
}

/// Converts an exact decimal to the nearest `f64` (through its text, which
/// Rust rounds correctly) for the one non-linear step of the model.
pub fn to_f64(x: Decimal) -> f64 {
    x.to_string().parse().unwrap_or(f64::NAN)
}

/// Converts an `f64` back to the decimal of its shortest round-trip text.
pub fn from_f64(x: f64, what: &'static str) -> Result<Decimal, Overflow> {
    if !x.is_finite() {
        return Err(Overflow { what });
    }
    let text = format!("{x}");
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&format!("{x:e}")))
        .map_err(|_| Overflow { what })
}

/// The decimal without a negative sign on zero, for display and output.
pub fn clean(x: Decimal) -> Decimal {
    if x.is_zero() && x.is_sign_negative() {
        let mut y = x;
        y.set_sign_positive(true);
        y
    } else {
        x
    }
}

/// Number of decimal places actually used (trailing zeros ignored).
pub fn decimal_places(x: Decimal) -> u32 {
    x.normalize().scale()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn a_zero_product_keeps_the_scale_of_its_factors() {
        // 0.00 × 20 = 0.00 exactly, as 0.50 × 20 = 10.00; rust_decimal
        // alone answers 0 for the first.
        let m = |a: &str, b: &str| Checked::mul(d(a), d(b), "test").unwrap().to_string();
        assert_eq!(m("0.00", "20"), "0.00");
        assert_eq!(m("0.50", "20"), "10.00");
        assert_eq!(m("0.0000", "0.001"), "0.0000000");
        assert_eq!(m("0", "7"), "0");
    }

    #[test]
    fn literals_keep_their_written_decimal() {
        assert_eq!(parse_decimal("0.3").unwrap().to_string(), "0.3");
        assert_eq!(parse_decimal("78.0").unwrap().to_string(), "78.0");
        assert_eq!(parse_decimal("3_300_000").unwrap(), d("3300000"));
        assert_eq!(parse_decimal("1e3").unwrap(), d("1000"));
        assert_eq!(parse_decimal("2.5E-2").unwrap(), d("0.025"));
        assert_eq!(parse_decimal("-0.5").unwrap(), d("-0.5"));
        // 20 significant digits, more than an f64 carries, kept exactly.
        assert_eq!(
            parse_decimal("1234567890.0987654321").unwrap().to_string(),
            "1234567890.0987654321"
        );
    }

    #[test]
    fn bad_literals_are_errors() {
        assert_eq!(parse_decimal("nan"), Err(LiteralError::NotFinite));
        assert_eq!(parse_decimal("-inf"), Err(LiteralError::NotFinite));
        assert_eq!(parse_decimal("1e40"), Err(LiteralError::TooLarge));
        assert_eq!(
            parse_decimal("99999999999999999999999999999999"),
            Err(LiteralError::TooLarge)
        );
        assert_eq!(
            parse_decimal("0.12345678901234567890123456789"),
            Err(LiteralError::TooManyDigits)
        );
        // 29 significant digits that would fit a Decimal are refused too.
        assert_eq!(
            parse_decimal("2.0000000000000000000000000001"),
            Err(LiteralError::TooManyDigits)
        );
        assert_eq!(
            parse_decimal("1.000000000000000000000000001")
                .unwrap()
                .to_string(),
            "1.000000000000000000000000001"
        );
        assert_eq!(parse_decimal("1e-40"), Err(LiteralError::TooManyDecimals));
        assert_eq!(
            parse_decimal("0.00000000000000000000000000001"),
            Err(LiteralError::TooManyDecimals)
        );
        assert_eq!(parse_decimal("8e28"), Err(LiteralError::TooLarge));
        assert_eq!(parse_decimal("-1e40"), Err(LiteralError::TooLarge));
        // Trailing zeros of an integer are not significant digits.
        assert_eq!(parse_decimal("10000000000000000000000000000").unwrap(), d("1e28"));
    }

    #[test]
    fn rounding_is_half_to_even_with_fixed_scale() {
        assert_eq!(round2(d("0.125")).to_string(), "0.12");
        assert_eq!(round2(d("0.135")).to_string(), "0.14");
        assert_eq!(round2(d("-0.125")).to_string(), "-0.12");
        assert_eq!(round2(d("7")).to_string(), "7.00");
        assert_eq!(round4(d("1.23445")).to_string(), "1.2344");
        assert_eq!(round4(d("1.23455")).to_string(), "1.2346");
        assert_eq!(round6(d("0.1234565")).to_string(), "0.123456");
    }

    #[test]
    fn sums_keep_the_larger_scale_even_with_a_zero() {
        let d = |x: &str| x.parse::<Decimal>().unwrap();
        assert_eq!(d("8500").add(d("0.00"), "t").unwrap().to_string(), "8500.00");
        assert_eq!(d("0.00").add(d("8500"), "t").unwrap().to_string(), "8500.00");
        assert_eq!(d("8500").sub(d("0.00"), "t").unwrap().to_string(), "8500.00");
        assert_eq!(d("1.5").add(d("2.25"), "t").unwrap().to_string(), "3.75");
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        let err = Decimal::MAX.add(Decimal::ONE, "gross").unwrap_err();
        assert_eq!(err.to_string(), "arithmetic overflow while computing gross");
        assert!(Decimal::ONE.div(Decimal::ZERO, "u").is_err());
    }

    #[test]
    fn float_round_trip_uses_shortest_text() {
        assert_eq!(from_f64(1_612.345_678_9, "p").unwrap(), d("1612.3456789"));
        assert!(from_f64(f64::INFINITY, "p").is_err());
        assert_eq!(to_f64(d("0.1")), 0.1);
    }
}
