//! docs/model.md v2's drawn factors (`"PATH*"` in `[uncertainty]`): which
//! factors keep a parameter's value in its allowed range in every month
//! once the whole schedule is multiplied by them, exactly as
//! `--set 'PATH*=F'` checks it (money rounded to cents after the product).
//! Each month's value times a factor moves monotonically with the factor,
//! so the factors allowed form one interval around 1 (the model as
//! written); its ends are found by bisection on six-place units, the
//! places a drawn factor is rounded to.

use rust_decimal::Decimal;

use super::registry::ParamId;
use super::{rules, Change, Model, Params};
use crate::num::decimal::round2;
use crate::sampling::Bounds;

/// A key of `[uncertainty]`, `[set]` or `[correlation]` as the path it
/// names and whether it is a factor on it: `"PATH*"` gives `(PATH, true)`,
/// `"PATH"` gives itself and `false`.
pub fn split_key(key: &str) -> (&str, bool) {
    match key.trim_end().strip_suffix('*') {
        Some(p) => (p.trim_end(), true),
        None => (key, false),
    }
}

/// Decimal places of a drawn factor (docs/model.md §1.6).
pub const PLACES: u32 = 6;

/// The furthest a factor may go, in units: draws are stored as 64-bit integers.
const FAR: i128 = (1 << 62) - 1;

/// One value the factor multiplies and the range its product must lie in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Limit {
    value: Decimal,
    lo: Option<(Decimal, bool)>,
    hi: Option<Decimal>,
}

impl Limit {
    fn allows(&self, x: Decimal) -> bool {
        let lo_ok = self.lo.is_none_or(|(m, incl)| x > m || (incl && x == m));
        lo_ok && self.hi.is_none_or(|m| x <= m)
    }
}

/// The factors, in units of 10^-6, that keep `id` in its kind's range in
/// the base and every change of it (the loader's check, before rules).
pub(super) fn kind_bounds(base: &Params, changes: &[Change], id: ParamId) -> Bounds {
    let kind = id.kind();
    let mut limits = Vec::new();
    let own = changes.iter().filter(|c| c.param == id);
    let mut values: Vec<Decimal> = std::iter::once(base.get(id))
        .chain(own.clone().map(|c| c.value.value))
        .collect();
    // A bank that follows the auction's rate faces each step of it until
    // it has a rate of its own.
    if let ParamId::BankRejectionRate(i) = id {
        if base.follows_the_auction(i) {
            let own_from = own.map(|c| c.month).min();
            let f = base.auction.banks[i].follow_factor.unwrap_or(Decimal::ONE);
            values.extend(
                changes
                    .iter()
                    .filter(|c| c.param == ParamId::RejectionRate && own_from.is_none_or(|m| c.month < m))
                    .map(|c| c.value.value * f),
            );
        }
    }
    for value in values {
        push(
            &mut limits,
            Limit {
                value,
                lo: kind.min(),
                hi: kind.max(),
            },
        );
    }
    search(&limits, kind.is_money())
}

/// The factors, in units of 10^-6, that `--set 'PATH*=F'` accepts for `id`:
/// its kind's range in the base and every change, and in each month the
/// rules that tie it to the other parameters in force that month.
pub fn bounds(model: &Model, id: ParamId) -> Bounds {
    let kind = id.kind();
    let mut limits = Vec::new();
    let own = kind_bounds(&model.base, &model.changes, id);
    model.each_month(|_, params, _| {
        // Banks that follow the auction's rate face it times their factor:
        // a factor on the auction's rate scales what they face too.
        if id == ParamId::RejectionRate {
            for i in (0..params.auction.banks.len()).filter(|i| params.follows_the_auction(*i)) {
                push(
                    &mut limits,
                    Limit {
                        value: params.get(ParamId::BankRejectionRate(i)),
                        lo: kind.min(),
                        hi: kind.max(),
                    },
                );
            }
        }
        let (rule_lo, rule_hi) = rules::bounds_over(std::iter::once(params), id);
        if rule_lo.is_none() && rule_hi.is_none() {
            return;
        }
        let lo = match (kind.min(), rule_lo) {
            (Some((m, incl)), Some(r)) if m > r || (m == r && !incl) => Some((m, incl)),
            (_, Some(r)) => Some((r, true)),
            (k, None) => k,
        };
        let hi = match (kind.max(), rule_hi) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        push(
            &mut limits,
            Limit {
                value: params.get(id),
                lo,
                hi,
            },
        );
    });
    let by_rules = search(&limits, kind.is_money());
    Bounds {
        min: tighter(own.min, by_rules.min, Ord::max),
        max: tighter(own.max, by_rules.max, Ord::min),
    }
}

/// `units` of a factor as the decimal it stands for.
pub fn to_decimal(units: i128) -> Decimal {
    Decimal::from_i128_with_scale(units, PLACES).normalize()
}

/// The range of `b` in words, e.g. `0 to 1.25` or `>= 0.000001`.
pub fn range_text(b: Bounds) -> String {
    match (b.min, b.max) {
        (Some(lo), Some(hi)) if lo > hi => "none".into(),
        (Some(lo), Some(hi)) => format!("{} to {}", to_decimal(lo), to_decimal(hi)),
        (Some(lo), None) => format!(">= {}", to_decimal(lo)),
        (None, Some(hi)) => format!("<= {}", to_decimal(hi)),
        (None, None) => "any factor".into(),
    }
}

fn push(limits: &mut Vec<Limit>, l: Limit) {
    if !limits.contains(&l) {
        limits.push(l);
    }
}

/// The tighter of two limits, either of which may be unknown: `pick` of
/// both when both are known (`Ord::max` for lower limits, `Ord::min` for
/// upper ones), else the known one.
pub(super) fn tighter<T: Ord>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(pick(x, y)),
        (x, y) => x.or(y),
    }
}

/// Whether the factor of `u` units keeps every value in its range.
fn holds(limits: &[Limit], money: bool, u: i128) -> bool {
    let f = Decimal::from_i128_with_scale(u, PLACES);
    limits.iter().all(|l| {
        l.value.checked_mul(f).is_some_and(|x| {
            let x = if money { round2(x) } else { x };
            l.allows(x)
        })
    })
}

/// The interval of factors that hold, found from 1 outwards; an empty
/// range (min above max) when even 1 does not hold.
fn search(limits: &[Limit], money: bool) -> Bounds {
    let one = 10i128.pow(PLACES);
    if !holds(limits, money, one) {
        return Bounds {
            min: Some(1),
            max: Some(0),
        };
    }
    // The last unit that holds going up, then going down.
    let edge = |toward: i128| -> Option<i128> {
        if holds(limits, money, toward) {
            return None;
        }
        let (mut good, mut bad) = (one, toward);
        while (bad - good).abs() > 1 {
            let mid = good + (bad - good) / 2;
            if holds(limits, money, mid) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        Some(good)
    };
    Bounds {
        min: edge(-FAR),
        max: edge(FAR),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn limit(value: &str, lo: Option<(&str, bool)>, hi: Option<&str>) -> Limit {
        Limit {
            value: d(value),
            lo: lo.map(|(v, incl)| (d(v), incl)),
            hi: hi.map(d),
        }
    }

    #[test]
    fn a_share_of_0_8_and_0_5_takes_factors_from_0_to_1_25() {
        let l = [
            limit("0.8", Some(("0", true)), Some("1")),
            limit("0.5", Some(("0", true)), Some("1")),
        ];
        let b = search(&l, false);
        assert_eq!(
            b,
            Bounds {
                min: Some(0),
                max: Some(1_250_000)
            }
        );
        assert_eq!(range_text(b), "0 to 1.25");
    }

    #[test]
    fn a_rate_that_must_stay_above_0_takes_factors_from_a_millionth() {
        let b = search(&[limit("1460", Some(("0", false)), None)], false);
        assert_eq!(b.min, Some(1));
        assert_eq!(b.max, None);
        // 0.3 / 0.7: the largest factor with 0.7 × f <= 1 is 1.428571.
        let b = search(&[limit("0.7", Some(("0", true)), Some("1"))], false);
        assert_eq!(b.max, Some(1_428_571));
    }

    #[test]
    fn money_is_rounded_before_its_range_is_checked() {
        // A plane of 0.01 dollars: 0.01 × f rounds to 0.00 up to f = 0.5
        // (half to even), to 0.01 above it; it must stay above 0.
        let b = search(&[limit("0.01", Some(("0", false)), None)], true);
        assert_eq!(b.min, Some(500_001));
        // A zero value holds for any factor; a negative one flips the bounds.
        let b = search(&[limit("0", Some(("0", true)), None)], false);
        assert_eq!(b, Bounds { min: None, max: None });
        let b = search(&[limit("-2", None, Some("4"))], false);
        assert_eq!(b.min, Some(-2_000_000));
        assert_eq!(b.max, None);
    }

    #[test]
    fn rules_in_each_month_narrow_the_factors() {
        // Deduction rates of 0.05 and 0.3: the second may be scaled up to
        // 0.95 / 0.3 = 3.166666…; its kind alone would allow 1 / 0.3.
        let text = include_str!("../../fixtures/small.toml").replace(
            "[custody]",
            "[[deductions]]\nname = \"Other\"\nrate = 0.3\n\n[custody]",
        );
        let m = load_str("f.toml", &text).unwrap();
        let id = ParamId::DeductionRate(1);
        assert_eq!(kind_bounds(&m.base, &m.changes, id).max, Some(3_333_333));
        assert_eq!(bounds(&m, id).max, Some(3_166_666));
    }
}
