//! Numbers as people read them: thousands separators, rounding for
//! display, the places each unit is shown with, and dollar amounts in
//! words. For display only: rendered text never feeds back into a
//! computation.

use rust_decimal::Decimal;

use crate::number::clean;

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

/// Decimal places a value of `unit` is displayed with in tables: cents for
/// money, four places for rates and percentages, none for counts.
pub fn places(unit: &str) -> u32 {
    match unit {
        "USD" | "IQD" | "USD/day" | "USD/month" | "USD/flight" => 2,
        "flights" => 0,
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
