//! Numbers as people read them: thousands separators, rounding for
//! display, the places each unit is shown with, and dollar amounts in
//! words. For display only: rendered text never feeds back into a
//! computation.

use rust_decimal::Decimal;

use crate::num::decimal::clean;

/// A decimal with thousands separators, keeping its own decimal places:
/// `1234567.5` → `1,234,567.5`.
pub fn thousands(d: Decimal) -> String {
    let s = clean(d).to_string();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A decimal rounded for display to `dp` places, with thousands separators.
pub fn display(d: Decimal, dp: u32) -> String {
    let mut r = d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven);
    r.rescale(dp);
    thousands(r)
}

/// A decimal rounded for display to `sig` significant figures, with
/// thousands separators: `118926396.84` → `119,000,000` (3),
/// `0.3522224` → `0.352` (3).
pub fn significant(d: Decimal, sig: u32) -> String {
    if d.is_zero() {
        return "0".into();
    }
    let magnitude = d.abs().trunc().to_string().trim_start_matches('0').len() as i64;
    let leading_zeros = if magnitude > 0 {
        0
    } else {
        let frac = d.abs().fract().to_string();
        frac.trim_start_matches("0.")
            .chars()
            .take_while(|c| *c == '0')
            .count() as i64
    };
    let dp = i64::from(sig) - magnitude + leading_zeros;
    if dp >= 0 {
        return thousands(clean(d.round_dp_with_strategy(
            dp as u32,
            rust_decimal::RoundingStrategy::MidpointNearestEven,
        )));
    }
    let scale = Decimal::from(10u64.pow((-dp) as u32));
    thousands(
        (d / scale).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven) * scale,
    )
}

/// Decimal places a value of `unit` is displayed with in tables: cents for
/// money, four places for rates and percentages, none for counts.
pub fn places(unit: &str) -> u32 {
    match unit {
        "USD" | "IQD" | "USD/day" | "USD/month" | "USD/flight" => 2,
        "flights" | "sessions" => 0,
        _ => 4,
    }
}

/// USD in billions for prose: `113670880500` → `$113.67 billion`; smaller
/// amounts in millions or in full.
pub fn usd_words(d: Decimal) -> String {
    let abs = d.abs();
    let billion = Decimal::from(1_000_000_000u64);
    let million = Decimal::from(1_000_000u64);
    if abs >= billion {
        format!("${} billion", display(d / billion, 2))
    } else if abs >= million {
        format!("${} million", display(d / million, 1))
    } else {
        format!("${}", display(d, 0))
    }
}

/// A total and its parts in words that add up as printed: all in the unit
/// `usd_words` gives the smallest non-zero amount (billions with two
/// places, millions with one, else whole dollars), the parts rounded by
/// largest remainder so that they sum to the rounded total. Returns the
/// total's words, then each part's. When the parts do not add up to the
/// total exactly, each is rounded on its own.
pub fn usd_words_adding(total: Decimal, parts: &[Decimal]) -> Vec<String> {
    let billion = Decimal::from(1_000_000_000u64);
    let million = Decimal::from(1_000_000u64);
    let smallest = parts
        .iter()
        .chain([&total])
        .map(|d| d.abs())
        .filter(|d| !d.is_zero())
        .min()
        .unwrap_or_default();
    let (unit, dp, word) = if smallest >= billion {
        (billion, 2, " billion")
    } else if smallest >= million {
        (million, 1, " million")
    } else {
        (Decimal::ONE, 0, "")
    };
    let scale = Decimal::from(10u64.pow(dp));
    let words = |steps: Decimal| format!("${}{word}", display(steps / scale, dp));
    let sum = parts.iter().try_fold(Decimal::ZERO, |s, p| s.checked_add(*p));
    let exact = |d: Decimal| d / unit * scale;
    let whole =
        |d: Decimal| exact(d).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven);
    if sum != Some(total) || total.is_sign_negative() || parts.iter().any(|p| p.is_sign_negative()) {
        let mut out = vec![words(whole(total))];
        out.extend(parts.iter().map(|p| words(whole(*p))));
        return out;
    }
    let target = whole(total);
    let mut steps: Vec<Decimal> = parts.iter().map(|p| exact(*p).floor()).collect();
    let mut short = target - steps.iter().copied().sum::<Decimal>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| {
        let ra = exact(parts[*a]) - steps[*a];
        let rb = exact(parts[*b]) - steps[*b];
        rb.cmp(&ra).then(a.cmp(b))
    });
    for i in order.into_iter().cycle().take(parts.len() * 2) {
        if short <= Decimal::ZERO {
            break;
        }
        steps[i] += Decimal::ONE;
        short -= Decimal::ONE;
    }
    let mut out = vec![words(target)];
    out.extend(steps.into_iter().map(words));
    out
}

/// A count with thousands separators: `1,000,000`.
pub fn count(n: u64) -> String {
    thousands(Decimal::from(n))
}

/// `1 run`, `2 runs`.
pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_figures_for_people() {
        let d = |x: &str| x.parse::<Decimal>().unwrap();
        assert_eq!(significant(d("118926396.84"), 3), "119,000,000");
        assert_eq!(significant(d("43719534.0815"), 3), "43,700,000");
        assert_eq!(significant(d("0.3522224"), 3), "0.352");
        assert_eq!(significant(d("0.0073"), 2), "0.0073");
        assert_eq!(significant(d("-1532.462"), 4), "-1,532");
        assert_eq!(significant(d("0.25"), 1), "0.2");
        assert_eq!(significant(d("0"), 3), "0");
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn thousands_separators_keep_decimals() {
        assert_eq!(thousands(d("1234567.50")), "1,234,567.50");
        assert_eq!(thousands(d("-1234")), "-1,234");
        assert_eq!(thousands(d("999")), "999");
        assert_eq!(thousands(d("1000")), "1,000");
        assert_eq!(thousands(d("-0.00")), "0.00");
        assert_eq!(display(d("1745.32515"), 2), "1,745.33");
        assert_eq!(display(d("12"), 2), "12.00");
    }

    #[test]
    fn prose_amounts() {
        assert_eq!(usd_words(d("113670880500.00")), "$113.67 billion");
        assert_eq!(usd_words(d("1339998660")), "$1.34 billion");
        // 56.25 rounds half to even.
        assert_eq!(usd_words(d("56250000.00")), "$56.2 million");
        assert_eq!(usd_words(d("5700")), "$5,700");
    }

    #[test]
    fn prose_parts_add_up() {
        // 0.335 + 0.335 + 0.33 = 1.00 billion; rounded alone: 0.34 + 0.34 + 0.33.
        let w = usd_words_adding(d("1000000000"), &[d("335000000"), d("335000000"), d("330000000")]);
        assert_eq!(
            w,
            [
                "$1,000.0 million",
                "$335.0 million",
                "$335.0 million",
                "$330.0 million"
            ]
        );
        let w = usd_words_adding(
            d("3000000000"),
            &[d("1004000000"), d("1004000000"), d("992000000")],
        );
        assert_eq!(
            w,
            [
                "$3,000.0 million",
                "$1,004.0 million",
                "$1,004.0 million",
                "$992.0 million"
            ]
        );
        let w = usd_words_adding(
            d("6015000000"),
            &[d("2005000000"), d("2005000000"), d("2005000000")],
        );
        assert_eq!(
            w,
            ["$6.02 billion", "$2.01 billion", "$2.01 billion", "$2.00 billion"]
        );
        // Parts that do not add up are each rounded alone.
        assert_eq!(usd_words_adding(d("10"), &[d("3")]), ["$10", "$3"]);
    }
}
