//! The values a sensitivity command tries for a parameter, written on the
//! command line as `PATH=SPEC`: `LO:HI:STEP` (exact decimal steps, HI
//! included when a step lands on it) or a list `V1,V2,...`. Parsed into
//! exact decimals so that `0:1:0.1` tries 0.3 itself, not 0.30000000000000004,
//! and checked against the parameter's allowed range before anything runs.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::refusal::Refusal;
use super::{resolve, Evaluator, Target};
use crate::error::{BadArgument, Error};
use crate::model::{Model, ParamId};
use crate::num::decimal::{decimal_places, parse_decimal, Checked};

/// Most values one `--vary` may try.
pub const MAX_VALUES: usize = 100_000;

/// A parameter and the values to try for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vary {
    /// The parameter varied.
    pub id: ParamId,
    /// What each value replaces: the whole timeline (`--vary PATH=SPEC`, as
    /// `--set` does), one step of it (`--vary PATH@YYYY-MM=SPEC`), or a
    /// factor on every month (`--scale PATH=SPEC`).
    pub target: Target,
    /// How the command line names it: `auction.rejection_rate`,
    /// `auction.rejection_rate@2023-07` or `exports.price_usd_per_bbl*`.
    pub path: String,
    /// The exact values (or factors) to try, in order.
    pub values: Vec<Decimal>,
}

const SHAPE: &str = "expected LO:HI:STEP (e.g. 0.5:0.9:0.05) or a list V1,V2,... (e.g. 0.6,0.7,0.8)";

/// Parses a SPEC into its values, in order.
pub fn parse_spec(spec: &str) -> Result<Vec<Decimal>, String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(format!("no values given; {SHAPE}"));
    }
    let number = |s: &str| {
        let s = s.trim();
        if s.is_empty() {
            return Err(format!("a value is missing; {SHAPE}"));
        }
        parse_decimal(s).map_err(|e| format!("{s:?} {e}; {SHAPE}"))
    };
    if spec.contains(':') {
        let parts: Vec<&str> = spec.split(':').collect();
        let [lo, hi, step] = parts[..] else {
            return Err(format!("{spec:?} has {} parts; {SHAPE}", parts.len()));
        };
        let (lo, hi, step) = (number(lo)?, number(hi)?, number(step)?);
        if step <= Decimal::ZERO {
            return Err(format!("the step {step} must be greater than 0"));
        }
        if lo > hi {
            return Err(format!(
                "LO {lo} is above HI {hi}; write the range from low to high"
            ));
        }
        if lo < hi && step > hi - lo {
            return Err(step_past_hi(lo, hi, step));
        }
        return range(lo, hi, step);
    }
    spec.split(',').map(number).collect()
}

/// Why `LO:HI:STEP` with a step past HI is refused: it would try LO
/// alone, which nobody sweeping a range means. A whole-number step reads
/// as a count of values (as numpy's `linspace` takes one), so the message
/// gives the step for that many values when it is exact.
fn step_past_hi(lo: Decimal, hi: Decimal, step: Decimal) -> String {
    let span = hi - lo;
    let mut message = format!(
        "the step {step} is larger than HI − LO ({span}), so only LO {lo} would be tried; \
         the third number is the step between values, not their count"
    );
    let count = step.to_usize().filter(|n| Decimal::from(*n) == step && *n >= 2);
    let even = count.and_then(|n| span.checked_div(Decimal::from(n - 1)));
    match (count, even) {
        (Some(n), Some(every)) if every.normalize().scale() <= 10 => {
            let every = every.normalize();
            message.push_str(&format!(
                ": for {n} values from {lo} to {hi} write {lo}:{hi}:{every}"
            ));
        }
        _ => message.push_str(&format!("; give a step of at most {span}")),
    }
    message
}

/// `lo, lo + step, …` up to `hi`, each computed as `lo + k × step` exactly.
fn range(lo: Decimal, hi: Decimal, step: Decimal) -> Result<Vec<Decimal>, String> {
    let too_many = || format!("{lo}:{hi}:{step} gives more than {MAX_VALUES} values; use a larger step");
    let what = "the values of a range";
    let span = hi.sub(lo, what).map_err(|e| e.to_string())?;
    let steps = span.div(step, what).map_err(|e| e.to_string())?.floor();
    let mut count = steps
        .to_usize()
        .and_then(|n| n.checked_add(1))
        .filter(|n| *n <= MAX_VALUES)
        .ok_or_else(too_many)?;
    let at = |k: usize| -> Result<Decimal, String> {
        step.mul(Decimal::from(k), what)
            .and_then(|x| lo.add(x, what))
            .map_err(|e| e.to_string())
    };
    // Guard against a quotient rounded up at the 28th digit.
    while count > 1 && at(count - 1)? > hi {
        count -= 1;
    }
    (0..count).map(at).collect()
}

/// Parses `PATH=SPEC` or `PATH@YYYY-MM=SPEC` against a model. The values
/// are not range-checked here; see [`check_values`].
pub fn parse_vary(model: &Model, text: &str) -> Result<Vary, Error> {
    parse(model, text, "--vary", false)
}

/// Parses `--scale PATH=SPEC`: factors on every month's value of PATH.
pub fn parse_scale(model: &Model, text: &str) -> Result<Vary, Error> {
    parse(model, text, "--scale", true)
}

fn parse(model: &Model, text: &str, option: &str, scale: bool) -> Result<Vary, Error> {
    let usage = |m: String| Error::from(BadArgument::new(option, text, m));
    let (path, spec) = text.rsplit_once('=').ok_or_else(|| {
        usage(format!(
            "expected PATH=SPEC, e.g. auction.rejection_rate=0.5:0.9:0.05; {SHAPE}"
        ))
    })?;
    if let (false, Some(bare)) = (scale, path.strip_suffix('*')) {
        return Err(usage(format!(
            "a factor on every month's value is swept with --scale, e.g. --scale {bare}={spec}"
        )));
    }
    let (path, month) = match path.rsplit_once('@') {
        Some((p, m)) if !scale => (p, Some(m.trim())),
        _ => (path, None),
    };
    let id = resolve(model, path).map_err(|e| e.for_option(option, text))?;
    let values = parse_spec(spec).map_err(usage)?;
    let name = model.base.path(id);
    let (target, path) = match month {
        Some(m) => {
            let (ym, at, to_end) = super::form::step_month(model, m).map_err(usage)?;
            if to_end {
                (Target::From(id, at), format!("{name}@{ym}.."))
            } else {
                (Target::Step(id, at), format!("{name}@{ym}"))
            }
        }
        None if scale => (Target::Scale(id), format!("{name}*")),
        None => (Target::Whole(id), name),
    };
    Ok(Vary {
        id,
        target,
        path,
        values,
    })
}

/// Checks before anything runs that every combination of the values is
/// one `--set` would accept. Each value is screened against the range and
/// the cents rule; the rules across parameters (shares summing to 1,
/// deductions at most 1, price + offset >= 0) are linear, so a grid obeys
/// them everywhere when its corners do, and only the corners are checked.
pub fn check_values(ev: &Evaluator<'_>, varies: &[&Vary]) -> Result<(), Error> {
    for v in varies.iter().filter(|v| !matches!(v.target, Target::Scale(_))) {
        let kind = v.id.kind();
        for &x in &v.values {
            if !kind.allows(x) || (kind.is_money() && decimal_places(x) > 2) {
                ev.refusal(&[(v.target, x)])
                    .map_err(|r| refused_in(r, "--vary", &v.path))?;
            }
        }
    }
    if let [v] = varies {
        let flag = if matches!(v.target, Target::Scale(_)) {
            "--scale"
        } else {
            "--vary"
        };
        for &x in &[v.values.iter().min(), v.values.iter().max()] {
            if let Some(&x) = x {
                ev.refusal(&[(v.target, x)])
                    .map_err(|r| refused_in(r, flag, &v.path))?;
            }
        }
    }
    let ends: Vec<Vec<Decimal>> = varies
        .iter()
        .map(|v| {
            let lo = v.values.iter().copied().min().unwrap_or_default();
            let hi = v.values.iter().copied().max().unwrap_or_default();
            if lo == hi {
                vec![lo]
            } else {
                vec![lo, hi]
            }
        })
        .collect();
    let mut corners: Vec<Vec<(Target, Decimal)>> = vec![Vec::new()];
    for (v, ends) in varies.iter().zip(&ends) {
        corners = corners
            .into_iter()
            .flat_map(|c| {
                ends.iter().map(move |x| {
                    let mut c = c.clone();
                    c.push((v.target, *x));
                    c
                })
            })
            .collect();
    }
    corners.iter().try_for_each(|c| ev.check(c))
}

/// A value refused, under the option and path that gave it (`--vary
/// auction.rejection_rate: 1.5 is not allowed: …`).
pub(crate) fn refused_in(r: Refusal, flag: &str, path: &str) -> Error {
    match r {
        Refusal::NotAllowed { value, why, .. } => {
            BadArgument::new(flag, path, format!("{value} is not allowed: {why}")).into()
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};

    fn ds(xs: &[&str]) -> Vec<Decimal> {
        xs.iter().map(|x| d(x)).collect()
    }

    #[test]
    fn ranges_step_exactly_and_include_hi_when_reached() {
        assert_eq!(parse_spec("0:0.3:0.1").unwrap(), ds(&["0", "0.1", "0.2", "0.3"]));
        // 0.3 itself, not a float near it.
        assert_eq!(parse_spec("0:1:0.1").unwrap()[3].to_string(), "0.3");
        // HI is not reached: the last value is the last step below it.
        assert_eq!(parse_spec("1:2:0.3").unwrap(), ds(&["1", "1.3", "1.6", "1.9"]));
        assert_eq!(parse_spec("5:5:1").unwrap(), ds(&["5"]));
        assert_eq!(parse_spec("0:1:0.001").unwrap().len(), 1001);
        assert_eq!(parse_spec("-2:-1:0.5").unwrap(), ds(&["-2", "-1.5", "-1"]));
        // A third of a step: 28 digits of 3s never land on 1.
        let v = parse_spec("0:1:0.3333333333333333333333333333").unwrap();
        assert_eq!(v.len(), 4);
        assert!(v[3] <= d("1"));
    }

    /// A step past HI would try LO alone: refused, and a whole-number
    /// step is read as the count it probably is.
    #[test]
    fn a_step_larger_than_the_range_is_refused() {
        let said = |spec: &str| parse_spec(spec).unwrap_err();
        // 5 values from 0.1 to 0.9: (0.9 − 0.1) / 4 = 0.2.
        assert_eq!(
            said("0.1:0.9:5"),
            "the step 5 is larger than HI − LO (0.8), so only LO 0.1 would be tried; \
             the third number is the step between values, not their count: \
             for 5 values from 0.1 to 0.9 write 0.1:0.9:0.2"
        );
        // 3 values from 0 to 1: 0.5.
        assert!(said("0:1:3").ends_with("write 0:1:0.5"));
        // 7 values: 1/6 has no exact decimal; 1.5 is no count.
        assert!(said("0:1:7").ends_with("; give a step of at most 1"));
        assert!(said("0:1:1.5").ends_with("; give a step of at most 1"));
        // A step equal to the range, or any step of a one-value range, is fine.
        assert_eq!(parse_spec("0:1:1").unwrap(), ds(&["0", "1"]));
        assert_eq!(parse_spec("5:5:10").unwrap(), ds(&["5"]));
    }

    #[test]
    fn lists_keep_their_order() {
        assert_eq!(parse_spec("0.8, 0.6,0.7").unwrap(), ds(&["0.8", "0.6", "0.7"]));
        assert_eq!(parse_spec("1310").unwrap(), ds(&["1310"]));
    }

    #[test]
    fn bad_specs_say_what_is_expected() {
        for (spec, msg) in [
            ("", "no values given"),
            ("0:1", "has 2 parts"),
            ("0:1:0", "the step 0 must be greater than 0"),
            ("0:1:-0.1", "must be greater than 0"),
            ("1:0:0.1", "LO 1 is above HI 0"),
            ("a,b", "\"a\" is not a number"),
            ("0.5,,0.7", "a value is missing"),
            ("0:1:1e-9", "more than 100000 values"),
            ("nan", "\"nan\" is not a"),
        ] {
            let e = parse_spec(spec).unwrap_err();
            assert!(e.contains(msg), "{spec}: {e}");
        }
    }

    #[test]
    fn vary_resolves_the_path_and_checks_ranges() {
        let m = model();
        let v = parse_vary(&m, "auction.rejection_rate=0.5:0.9:0.2").unwrap();
        assert_eq!(v.id, ParamId::RejectionRate);
        assert_eq!(v.values, ds(&["0.5", "0.7", "0.9"]));
        let e = parse_vary(&m, "auction.rejection=0.5").unwrap_err().to_string();
        assert!(e.contains("did you mean auction.rejection_rate"), "{e}");
        let ev = Evaluator::new(&m);
        let bad = parse_vary(&m, "auction.rejection_rate=0.5:1.5:0.5").unwrap();
        let e = check_values(&ev, &[&bad]).unwrap_err().to_string();
        assert!(
            e.starts_with("error: --vary auction.rejection_rate: 1.5 is not allowed: auction.rejection_rate: 1.5 is out of range (allowed: 0 to 1)"),
            "{e}"
        );
        let cents = parse_vary(&m, "airlift.cash_usd_per_month=100,100.001").unwrap();
        let e = check_values(&ev, &[&cents]).unwrap_err().to_string();
        assert!(e.contains("100.001 has more than two decimal places"), "{e}");
        let share = parse_vary(&m, "exports.buyers[China].share=0.3,0.4").unwrap();
        let e = check_values(&ev, &[&share]).unwrap_err().to_string();
        assert!(e.contains("add up to"), "{e}");
        let ok = parse_vary(&m, "exports.buyers[China].share=0.3").unwrap();
        assert!(check_values(&ev, &[&ok]).is_ok());
    }
}
