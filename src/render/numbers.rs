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
    let dp = i64::from(sig) - order(d);
    if dp >= 0 {
        return thousands(clean(even(d, dp as u32)));
    }
    let scale = Decimal::from(10u64.pow((-dp) as u32));
    thousands(even(d / scale, 0) * scale)
}

/// Where the first significant digit of `d` (not zero) sits: the number
/// of whole digits (`1532.4` → 4), or minus the zeros after the point
/// before the first digit (`0.35` → 0, `0.0073` → −2).
fn order(d: Decimal) -> i64 {
    let whole = d.abs().trunc().to_string().trim_start_matches('0').len() as i64;
    if whole > 0 {
        return whole;
    }
    let frac = d.abs().fract().to_string();
    -(frac
        .trim_start_matches("0.")
        .chars()
        .take_while(|c| *c == '0')
        .count() as i64)
}

/// `d` rounded half to even to `dp` places.
fn even(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

/// Significant figures a figure for people shows (see [`for_people`]).
pub const PEOPLE_FIGURES: u32 = 3;

/// `d` to three significant figures for people, keeping every whole digit
/// (`1532.462` → `1,532`, never `1,530`), with at most `max_dp` places:
/// `15.5401` → `15.5`, `-1.8234` → `-1.82`, `0.3104` → `0.310` (or
/// `0.31` with at most two places). Places are fixed, so a column of
/// such figures reads alike (`23.0`, not `23`); a value that rounds up
/// into one more whole digit loses a place (`9.996` → `10.0`); a value
/// too small for the places shows as zero with them (`0.0004` → `0.00`),
/// zero itself as `0`.
pub fn three_figures(d: Decimal, max_dp: u32) -> String {
    let places = |x: Decimal| {
        if x.is_zero() {
            0
        } else {
            (i64::from(PEOPLE_FIGURES) - order(x)).clamp(0, i64::from(max_dp)) as u32
        }
    };
    let first = places(d);
    let rounded = even(d, first);
    if rounded.is_zero() {
        return display(d, first);
    }
    display(d, places(rounded).min(first))
}

/// A figure as people read it, rounded for display with its unit written
/// out: money as the brief's sentences write it (`$191.86 bn`, `$29.0 m`,
/// `$5,700`: billions with two places, millions with one, smaller amounts
/// in whole dollars), exchange rates to three significant figures keeping
/// whole dinars (`1,532 IQD per $`), percentages to three significant
/// figures with at most two places (`15.5%`, `-1.82%`, `0.31%`), counts
/// whole (`52 flights`); any other unit to three significant figures
/// after the number. For display only: the exact value stays in the
/// report (JSON, CSV, workbooks) and nothing computes from this text.
pub fn for_people(d: Decimal, unit: &str) -> String {
    match unit {
        "USD" => usd_short(d),
        "IQD/USD" => format!("{} IQD per $", three_figures(d, MAX_PLACES)),
        "%" => format!("{}%", three_figures(d, 2)),
        "flights" | "sessions" => {
            let one = d.abs() == Decimal::ONE;
            format!(
                "{} {}",
                display(d, 0),
                if one { &unit[..unit.len() - 1] } else { unit }
            )
        }
        "" => three_figures(d, MAX_PLACES),
        other => format!("{} {other}", three_figures(d, MAX_PLACES)),
    }
}

/// A change of a figure as people read it: signed (`+154 IQD per $`,
/// `-$1.20 bn`), rounded as [`for_people`] rounds the change itself (so a
/// small change still shows), a change of a percentage in percentage
/// points (`+0.52 pp`). Money is written in the unit the figure itself
/// is written in (`of`, the larger of the two values compared: a change
/// of $996,000 in a cost of $29.0 m is `+$1.0 m`), or a smaller one where
/// that unit would round the change away (`+$3.0 m` beside `$191.86 bn`).
/// A change too small for its places says so (`<0.01 pp`), never `-0.00`.
pub fn change_for_people(d: Decimal, unit: &str, of: Decimal) -> String {
    let text = match unit {
        "%" => format!("{} pp", three_figures(d.abs(), 2)),
        // Past a thousand trillion, in powers of ten as the figure is.
        "USD" if d.abs() >= Decimal::from(1_000_000_000_000_000u64) => usd_short(d.abs()),
        "USD" => {
            let mut pick = usd_pick(of.abs().max(d.abs()));
            while pick + 1 < USD_STEPS.len() && usd_digits(d.abs(), pick).is_zero() {
                pick += 1;
            }
            usd_at(d.abs(), pick, SHORT)
        }
        _ => for_people(d.abs(), unit),
    };
    let shows = text.chars().any(|c| ('1'..='9').contains(&c));
    match (d.cmp(&Decimal::ZERO), shows) {
        (std::cmp::Ordering::Equal, _) => text,
        (_, false) if unit == "%" => "<0.01 pp".into(),
        (_, false) if unit == "USD" => "<$1".into(),
        (_, false) => text,
        (std::cmp::Ordering::Greater, true) => format!("+{text}"),
        (std::cmp::Ordering::Less, true) => format!("-{text}"),
    }
}

/// The exact value of a figure with separators and its unit, for a
/// tooltip beside the rounded figure: `191,864,526,026.48 USD`,
/// `-1.8207%`, `1,532.4620 IQD/USD`.
pub fn exact_with_unit(d: Decimal, unit: &str) -> String {
    match unit {
        "" => thousands(d),
        "%" => format!("{}%", thousands(d)),
        u => format!("{} {u}", thousands(d)),
    }
}

/// The most places [`for_people`] shows of a rate or a plain number.
const MAX_PLACES: u32 = 10;

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
/// amounts in millions or in full, larger ones in trillions; a negative
/// amount `-$1.20 billion`.
pub fn usd_words(d: Decimal) -> String {
    usd_in(d, WORDS)
}

/// USD as a table shows it for people: `191864526026.48` → `$191.86 bn`,
/// `29033333.42` → `$29.0 m`, `5700` → `$5,700`: the places of
/// [`usd_words`], shorter units.
pub fn usd_short(d: Decimal) -> String {
    usd_in(d, SHORT)
}

/// The units money is written in, largest first, with their places:
/// trillions and billions with two, millions with one, whole dollars.
const USD_STEPS: [(u64, u32); 4] = [(1_000_000_000_000, 2), (1_000_000_000, 2), (1_000_000, 1), (1, 0)];
/// Their names in prose.
const WORDS: [&str; 4] = [" trillion", " billion", " million", ""];
/// Their names in tables.
const SHORT: [&str; 4] = [" tn", " bn", " m", ""];

/// `d` in trillions or billions (two places), millions (one) or whole
/// dollars, the unit named by `words`; an amount that rounds up to the
/// next unit is written in it (`999,950,000` → `$1.00 billion`, never
/// `$1,000.0 million`). Past a thousand trillion (no such amount is a
/// slip of anything but units) it is written in powers of ten:
/// `$5.69 × 10^18`.
fn usd_in(d: Decimal, words: [&str; 4]) -> String {
    let abs = d.abs();
    let amount = if abs >= Decimal::from(1_000_000_000_000_000u64) {
        let (mut mantissa, mut power) = (abs, 0);
        while mantissa >= Decimal::TEN {
            mantissa /= Decimal::TEN;
            power += 1;
        }
        let mut text = display(mantissa, 2);
        // 9.996 × 10^17 rounds to 10.00: one more power.
        if text == "10.00" {
            text = "1.00".into();
            power += 1;
        }
        format!("${text} × 10^{power}")
    } else {
        usd_at(abs, usd_pick(abs), words)
    };
    let sign = if d.is_sign_negative() && amount.chars().any(|c| ('1'..='9').contains(&c)) {
        "-"
    } else {
        ""
    };
    format!("{sign}{amount}")
}

/// Which of [`USD_STEPS`] writes `abs`: the largest unit it reaches once
/// rounded to that unit's places below.
fn usd_pick(abs: Decimal) -> usize {
    let mut pick = USD_STEPS
        .iter()
        .position(|(unit, _)| abs >= Decimal::from(*unit))
        .unwrap_or(USD_STEPS.len() - 1);
    if pick > 0 {
        let up = Decimal::from(USD_STEPS[pick - 1].0 / USD_STEPS[pick].0);
        if usd_digits(abs, pick) >= up {
            pick -= 1;
        }
    }
    pick
}

/// `abs` in the unit of [`USD_STEPS`]`[pick]`, rounded to its places.
fn usd_digits(abs: Decimal, pick: usize) -> Decimal {
    let (unit, dp) = USD_STEPS[pick];
    even(abs / Decimal::from(unit), dp)
}

/// `abs` written in the unit of [`USD_STEPS`]`[pick]`: `$29.0 m`.
fn usd_at(abs: Decimal, pick: usize, words: [&str; 4]) -> String {
    let (unit, dp) = USD_STEPS[pick];
    format!("${}{}", display(abs / Decimal::from(unit), dp), words[pick])
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

/// `1 draw`, `4,000 draws`: a count with separators and its noun.
pub fn counted(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", count(n))
    }
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
        let cases: [(&str, [&str; 3], [&str; 4]); 3] = [
            (
                "1000000000",
                ["335000000", "335000000", "330000000"],
                [
                    "$1,000.0 million",
                    "$335.0 million",
                    "$335.0 million",
                    "$330.0 million",
                ],
            ),
            (
                "3000000000",
                ["1004000000", "1004000000", "992000000"],
                [
                    "$3,000.0 million",
                    "$1,004.0 million",
                    "$1,004.0 million",
                    "$992.0 million",
                ],
            ),
            (
                "6015000000",
                ["2005000000", "2005000000", "2005000000"],
                ["$6.02 billion", "$2.01 billion", "$2.01 billion", "$2.00 billion"],
            ),
        ];
        for (total, parts, words) in cases {
            assert_eq!(usd_words_adding(d(total), &parts.map(d)), words, "{total}");
        }
        // Parts that do not add up are each rounded alone.
        assert_eq!(usd_words_adding(d("10"), &[d("3")]), ["$10", "$3"]);
    }

    #[test]
    fn money_for_people() {
        // The default model's gross oil revenue and airlift cost.
        assert_eq!(for_people(d("191864526026.48"), "USD"), "$191.86 bn");
        assert_eq!(for_people(d("29033333.42"), "USD"), "$29.0 m");
        assert_eq!(for_people(d("5700"), "USD"), "$5,700");
        assert_eq!(for_people(d("0.00"), "USD"), "$0");
        assert_eq!(for_people(d("0.004"), "USD"), "$0");
        assert_eq!(for_people(d("-1204000000"), "USD"), "-$1.20 bn");
        // A negative amount that rounds to nothing has no sign.
        assert_eq!(for_people(d("-0.4"), "USD"), "$0");
        // 999.95 million rounds to 1,000.0 million: a billion.
        assert_eq!(for_people(d("999950000"), "USD"), "$1.00 bn");
        assert_eq!(for_people(d("999949999.99"), "USD"), "$999.9 m");
        assert_eq!(for_people(d("-999950000"), "USD"), "-$1.00 bn");
        // $999,999.50 rounds (half to even) to a million.
        assert_eq!(for_people(d("999999.5"), "USD"), "$1.0 m");
        assert_eq!(for_people(d("999999.49"), "USD"), "$999,999");
        assert_eq!(usd_words(d("999950000")), "$1.00 billion");
        // Trillions; then powers of ten, for amounts only a slip of units gives.
        assert_eq!(for_people(d("999995000000"), "USD"), "$1.00 tn");
        assert_eq!(for_people(d("2500000000000"), "USD"), "$2.50 tn");
        assert_eq!(usd_words(d("2500000000000")), "$2.50 trillion");
        assert_eq!(for_people(d("5693956000000000000"), "USD"), "$5.69 × 10^18");
        assert_eq!(for_people(d("-999600000000000000"), "USD"), "-$1.00 × 10^18");
        assert_eq!(for_people(d("1000000000000000"), "USD"), "$1.00 × 10^15");
        // A change as large: the same powers, not "$5,693,956.00 tn".
        assert_eq!(
            change_for_people(d("5693955999999999999.81"), "USD", d("5693956000000000000")),
            "+$5.69 × 10^18"
        );
    }

    #[test]
    fn rates_percentages_and_counts_for_people() {
        // The default model's parallel rate mean and peak.
        assert_eq!(for_people(d("1532.4620"), "IQD/USD"), "1,532 IQD per $");
        assert_eq!(for_people(d("1631.7213"), "IQD/USD"), "1,632 IQD per $");
        assert_eq!(for_people(d("0.311"), "IQD/USD"), "0.311 IQD per $");
        assert_eq!(for_people(d("15.5401"), "%"), "15.5%");
        assert_eq!(for_people(d("-1.8234"), "%"), "-1.82%");
        assert_eq!(for_people(d("22.9645"), "%"), "23.0%");
        assert_eq!(for_people(d("0.3104"), "%"), "0.31%");
        assert_eq!(for_people(d("123.456"), "%"), "123%");
        // Tiny: at most two places, and no minus on a zero.
        assert_eq!(for_people(d("0.0004"), "%"), "0.00%");
        assert_eq!(for_people(d("-0.0004"), "%"), "0.00%");
        assert_eq!(for_people(d("0"), "%"), "0%");
        // Rounding up into one more whole digit keeps three figures.
        assert_eq!(for_people(d("9.996"), "%"), "10.0%");
        assert_eq!(for_people(d("99.96"), "%"), "100%");
        assert_eq!(for_people(d("52"), "flights"), "52 flights");
        assert_eq!(for_people(d("1"), "flights"), "1 flight");
        assert_eq!(for_people(d("0.0073"), ""), "0.00730");
        assert_eq!(for_people(d("1234567.891"), "bbl/day"), "1,234,568 bbl/day");
    }

    #[test]
    fn changes_for_people() {
        // ref.py: 1,686.0223 with the rejection rate at 0.5 against 1,532.4620.
        let c = |x: &str, unit: &str, of: &str| change_for_people(d(x), unit, d(of));
        assert_eq!(c("153.5603", "IQD/USD", "1686.0223"), "+154 IQD per $");
        assert_eq!(c("0.3712", "IQD/USD", "1532.8332"), "+0.371 IQD per $");
        assert_eq!(c("-1204000000", "USD", "5000000000"), "-$1.20 bn");
        assert_eq!(c("0.5234", "%", "15.5"), "+0.52 pp");
        assert_eq!(c("0", "%", "15.5"), "0 pp");
        assert_eq!(c("-3", "flights", "52"), "-3 flights");
        // -0.0026 pp rounds to nothing at two places: no "-0.00 pp".
        assert_eq!(c("-0.0026", "%", "23.8"), "<0.01 pp");
        assert_eq!(c("0.0026", "%", "23.8"), "<0.01 pp");
        // Money in the figure's own unit: $996,000 more on a cost of
        // $29.0 m is 0.996 m, one place: $1.0 m.
        assert_eq!(c("996000", "USD", "29996000"), "+$1.0 m");
        // $47.32 bn less beside $106.98 bn.
        assert_eq!(c("-47320000000", "USD", "106980000000"), "-$47.32 bn");
        // $3 m beside $191.86 bn would be $0.00 bn: millions instead.
        assert_eq!(c("3000000", "USD", "191864526026.48"), "+$3.0 m");
        // $20,000 beside billions: whole dollars.
        assert_eq!(c("-20000", "USD", "191864526026.48"), "-$20,000");
        // 30 cents: under a dollar.
        assert_eq!(c("0.30", "USD", "5700"), "<$1");
    }
}
