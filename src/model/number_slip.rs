//! Numbers written the way people write them in a note — `40%`, `$65`,
//! `250M`, `1.2 bn`, `250 000 000`, `1,465`, `0,4` — which neither TOML
//! nor `--set` reads: the plain number meant, so that the error can say
//! what to write instead. A model file gets money with `_` between the
//! thousands (`250_000_000`, which TOML reads), the command line without.

use rust_decimal::Decimal;

use super::Kind;
use crate::num::decimal::{self as number, clean, parse_decimal};

/// For a number written the way people write it but TOML and `--set` do
/// not read it: the hint to write it plainly. A comma followed by groups
/// of exactly three digits (`1,465`, `1,460,000`, `1,465.5`) separates
/// thousands: "write it without the thousands separator: 1465"; any other
/// comma is a decimal comma (`0,8`, `1.460,5`, `1,4650`, `0,465`): "use a
/// dot for the decimals: 0.8". `None` for anything else.
fn decimal_comma(text: &str) -> Option<String> {
    let t = text.trim();
    if let Some(fixed) = thousands_comma(t) {
        return Some(format!("write it without the thousands separator: {fixed}"));
    }
    let (int, frac) = t.rsplit_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = int.strip_prefix('-').unwrap_or(int);
    // Dots before the comma group thousands (1.460,5).
    let whole: String = unsigned.chars().filter(|&c| c != '.').collect();
    if !digits(&whole) || !digits(frac) || unsigned.starts_with('.') {
        return None;
    }
    let sign = if int.starts_with('-') { "-" } else { "" };
    let fixed = format!("{sign}{whole}.{frac}");
    number::parse_decimal(&fixed).ok()?;
    Some(format!("use a dot for the decimals: {fixed}"))
}

/// `1,465` → `1465`, `-1,460,000.5` → `-1460000.5`: commas that group
/// thousands (a first group of one to three digits, not a lone 0, then
/// groups of exactly three), with an optional dot and decimals after.
fn thousands_comma(t: &str) -> Option<String> {
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split(',');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let grouped = !rest.is_empty()
        && digits(first)
        && first.len() <= 3
        && first != "0"
        && rest.iter().all(|g| g.len() == 3 && digits(g))
        && frac.is_none_or(digits);
    if !grouped {
        return None;
    }
    let sign = if t.starts_with('-') { "-" } else { "" };
    let mut fixed = format!("{sign}{first}{}", rest.concat());
    if let Some(f) = frac {
        fixed = format!("{fixed}.{f}");
    }
    number::parse_decimal(&fixed).ok().map(|_| fixed)
}

/// How a fixed number is to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// In a model or scenario file: `250_000_000`.
    Toml,
    /// On the command line: `250000000`.
    Command,
}

/// The hint for `text` meant as a value of a parameter of `kind` (if
/// known): "write 0.4 (a share is a fraction of 1: 40% is 0.4)"; `None`
/// when `text` is no number written by a person's habit.
pub(crate) fn hint(text: &str, kind: Option<Kind>, written: Written) -> Option<String> {
    let t = text.trim().trim_matches('"').trim();
    if t.is_empty() {
        return None;
    }
    if let Some(h) = decimal_comma(t) {
        return Some(h);
    }
    if let Some(n) = t.strip_suffix('%').map(str::trim_end) {
        let v = plain(n)?;
        return Some(percent(v, kind));
    }
    let (dollars, rest) = match t
        .strip_prefix("US$")
        .or_else(|| t.strip_prefix('$'))
        .or_else(|| t.strip_suffix("USD"))
    {
        Some(r) => (true, r.trim()),
        None => (false, t),
    };
    let (number, times) = scaled(rest)?;
    let v = plain(number)?.checked_mul(times)?;
    if !dollars && times == Decimal::ONE && !rest.contains(' ') {
        // Nothing but the number itself: not a slip of this kind.
        return None;
    }
    let fixed = written_as(v, kind, written);
    let what = if dollars && times == Decimal::ONE {
        "without the dollar sign"
    } else {
        "as a plain number"
    };
    Some(format!("write it {what}: {fixed}"))
}

/// A number written with spaces between groups of digits (`250 000 000`)
/// or in plain digits; `None` otherwise.
fn plain(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let joined: String = if t
        .split(' ')
        .filter(|g| !g.is_empty())
        .skip(1)
        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    {
        t.split_whitespace().collect()
    } else {
        return None;
    };
    let head = joined.trim_start_matches(['-', '+']);
    if head.is_empty() || !head.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    parse_decimal(&joined).ok()
}

/// `250M` → (`250`, 10⁶), `1.2 bn` → (`1.2`, 10⁹), `5k` → (`5`, 10³);
/// `65` → (`65`, 1).
fn scaled(text: &str) -> Option<(&str, Decimal)> {
    let lower = text.to_ascii_lowercase();
    const SUFFIXES: [(&str, u64); 9] = [
        ("billion", 1_000_000_000),
        ("million", 1_000_000),
        ("thousand", 1_000),
        ("bn", 1_000_000_000),
        ("mn", 1_000_000),
        ("b", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1_000),
        ("", 1),
    ];
    SUFFIXES.iter().find_map(|(s, times)| {
        let cut = lower.strip_suffix(s)?;
        let number = text.get(..cut.len())?.trim_end();
        (!number.is_empty()).then_some((number, Decimal::from(*times)))
    })
}

/// `40%` for a parameter of `kind`: a share as a fraction, a percentage
/// parameter without the sign.
fn percent(v: Decimal, kind: Option<Kind>) -> String {
    let frac = clean((v / Decimal::ONE_HUNDRED).normalize()).to_string();
    let n = clean(v.normalize()).to_string();
    match kind {
        Some(Kind::Share | Kind::Weight | Kind::Persistence) => {
            format!("write {frac} (a share is a fraction of 1: {n}% is {frac})")
        }
        Some(Kind::InflationPct) => format!("write {n} (this parameter is in percent already)"),
        Some(_) => format!("write the number without the % sign: {n}"),
        None => format!("write {frac} for a share of {n}%, or {n} where the parameter is in percent (…_pct)"),
    }
}

/// `v` as it is to be written: money in a file with `_` between its
/// thousands.
fn written_as(v: Decimal, kind: Option<Kind>, written: Written) -> String {
    let text = clean(v.normalize()).to_string();
    let whole = v.fract().is_zero();
    let money = kind.is_none_or(Kind::is_money) || v.abs() >= Decimal::from(10_000);
    if written == Written::Command || !whole || !money {
        return text;
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", text.as_str()),
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(text: &str, kind: Option<Kind>) -> Option<String> {
        hint(text, kind, Written::Toml)
    }

    #[test]
    fn a_percentage_is_a_fraction_for_a_share_and_bare_for_a_percent() {
        assert_eq!(
            toml("40%", Some(Kind::Share)).as_deref(),
            Some("write 0.4 (a share is a fraction of 1: 40% is 0.4)")
        );
        assert_eq!(
            toml("6.2 %", Some(Kind::InflationPct)).as_deref(),
            Some("write 6.2 (this parameter is in percent already)")
        );
        assert_eq!(
            toml("\"80%\"", None).as_deref(),
            Some("write 0.8 for a share of 80%, or 80 where the parameter is in percent (…_pct)")
        );
    }

    #[test]
    fn money_in_millions_and_billions_is_written_out() {
        let money = Some(Kind::PositiveMoney);
        // 250 × 10⁶ and 1.2 × 10⁹, with TOML's `_` between thousands.
        assert_eq!(
            toml("250M", money).as_deref(),
            Some("write it as a plain number: 250_000_000")
        );
        assert_eq!(
            toml("$1.2 bn", money).as_deref(),
            Some("write it as a plain number: 1_200_000_000")
        );
        assert_eq!(
            toml("250 000 000", money).as_deref(),
            Some("write it as a plain number: 250_000_000")
        );
        assert_eq!(
            hint("$250M", money, Written::Command).as_deref(),
            Some("write it as a plain number: 250000000")
        );
        // A price in dollars is no amount to group.
        assert_eq!(
            toml("$65", Some(Kind::PricePerBarrel)).as_deref(),
            Some("write it without the dollar sign: 65")
        );
    }

    #[test]
    fn commas_keep_their_own_hint_and_plain_numbers_have_none() {
        assert_eq!(
            toml("250,000,000", None).as_deref(),
            Some("write it without the thousands separator: 250000000")
        );
        assert_eq!(
            toml("0,4", None).as_deref(),
            Some("use a dot for the decimals: 0.4")
        );
        for plain in ["65", "0.4", "abc", "", "1e5", "M", "$", "40 %%"] {
            assert_eq!(toml(plain, None), None, "{plain}");
        }
    }

    #[test]
    fn a_comma_before_three_digits_groups_thousands_any_other_is_decimal() {
        let hint = |t: &str| decimal_comma(t);
        let thousands = |n: &str| Some(format!("write it without the thousands separator: {n}"));
        let dot = |n: &str| Some(format!("use a dot for the decimals: {n}"));
        // 1,465 IQD per dollar is a rate with its thousands separated.
        assert_eq!(hint("1,465"), thousands("1465"));
        assert_eq!(hint("-1,460,000"), thousands("-1460000"));
        assert_eq!(hint("1,465.5"), thousands("1465.5"));
        // Not groups of three, or a lone 0 before the comma: decimals.
        assert_eq!(hint("0,8"), dot("0.8"));
        assert_eq!(hint("0,465"), dot("0.465"));
        assert_eq!(hint("1,4650"), dot("1.4650"));
        assert_eq!(hint("60,80"), dot("60.80"));
        assert_eq!(hint("1.460,5"), dot("1460.5"));
        assert_eq!(hint("1,46,500"), None);
        assert_eq!(hint("abc"), None);
        assert_eq!(hint("1465"), None);
    }
}
