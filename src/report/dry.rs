//! The notes that say an analysis's runs emptied the custody account:
//! which runs (`sensitivity::dry` finds them), from which month, and what
//! follows. `run`'s own note on its one run (`custody_dry_note`) says it
//! in the same words.

use crate::calendar::YearMonth;
use crate::model::Model;
use crate::sensitivity::dry::DryRuns;

/// The custody account in words: its name, or the CBI's account.
pub(crate) fn custody_words(model: &Model) -> String {
    match &model.base.custody.name {
        Some(name) => format!("the custody account ({name})"),
        None => "the custody account (the CBI's account at the New York Fed)".to_string(),
    }
}

/// "note: the custody account (…) ran dry `when`; from then …": the
/// note's whole sentence, with what follows from it (`run`'s note on its
/// one run too).
pub(crate) fn ran_dry(model: &Model, when: &str) -> String {
    format!(
        "note: {} ran dry {when}; from then it pays out only what each month's revenue brings in, and {}",
        custody_words(model),
        dry_consequence(model)
    )
}

/// What follows when the custody account is dry: unmet wires, or arrears
/// for a model without a market.
fn dry_consequence(model: &Model) -> &'static str {
    if model.base.has(crate::model::Part::Market) {
        "the approved wires it cannot send go unmet (unmet_usd) and raise the parallel rate"
    } else {
        "what it cannot pay adds to the arrears (arrears_usd)"
    }
}

/// `n` as people read it: 1,200.
fn count(n: usize) -> String {
    crate::render::count(n as u64)
}

/// "exports.price_usd_per_bbl=30 (in May 2024)".
fn at(named: &(String, YearMonth)) -> String {
    format!("{} (in {})", named.0, named.1.short_name())
}

/// The note of a sweep's (or any batch's) runs that emptied the account:
/// how many, and which (up to three, else the first and the last).
pub fn runs_note(model: &Model, d: &DryRuns) -> Option<String> {
    if d.dry == 0 {
        return None;
    }
    let how_many = match (d.dry == d.runs, d.at_least) {
        (true, _) if d.runs == 1 => String::new(),
        (true, _) => format!("in every one of the {} runs", count(d.runs)),
        (false, true) => format!("in at least {} of the {} runs", count(d.dry), count(d.runs)),
        (false, false) => format!("in {} of the {} runs", count(d.dry), count(d.runs)),
    };
    let which = match d.named.as_slice() {
        [] => String::new(),
        [one] if d.runs == 1 => format!("at {}", at(one)),
        [first] if d.dry > 1 => format!(", the first at {}", at(first)),
        [first, last] if d.dry > 2 => format!(", the first at {}, the last at {}", at(first), at(last)),
        all => format!(
            ": at {}",
            super::join_and(&all.iter().map(at).collect::<Vec<_>>())
        ),
    };
    Some(ran_dry(model, &format!("{how_many}{which}")))
}

/// The note of a tornado whose runs emptied the account: the base run
/// first, as every bar starts from it, then the runs that move one
/// parameter (`moved`).
pub fn tornado_note(model: &Model, base: Option<YearMonth>, moved: &DryRuns) -> Option<String> {
    let Some(month) = base else {
        return runs_note(model, moved);
    };
    let others = match moved.dry {
        0 => ", but in none of the runs that move one".to_string(),
        n if n == moved.runs && !moved.at_least => ", and in every run that moves one".to_string(),
        n => format!(
            ", and in {}{} of the {} runs that move one",
            if moved.at_least { "at least " } else { "" },
            count(n),
            count(moved.runs)
        ),
    };
    Some(ran_dry(
        model,
        &format!("in {} with every parameter at base{others}", month.short_name()),
    ))
}

/// The note of a goal seek whose answers empty the account: one answer
/// as `run --set` would say it, several as a sweep's runs.
pub fn answers_note(model: &Model, d: &DryRuns) -> Option<String> {
    match d.named.as_slice() {
        [(set, month)] if d.runs == 1 => {
            Some(ran_dry(model, &format!("in {} with {set}", month.short_name())))
        }
        _ => runs_note(model, d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::model;

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    fn runs(runs: usize, dry: usize, at_least: bool, named: &[(&str, &str)]) -> DryRuns {
        DryRuns {
            runs,
            dry,
            at_least,
            named: named.iter().map(|&(l, m)| (l.to_string(), ym(m))).collect(),
        }
    }

    /// A note's words before "; from then".
    fn said(note: Option<String>) -> Option<String> {
        Some(note?.split("; from then").next()?.to_string())
    }

    const CUSTODY: &str = "note: the custody account (the CBI's account at the New York Fed) ran dry";

    #[test]
    fn a_note_names_up_to_three_runs_else_the_first_and_the_last() {
        let m = model();
        let note = |d: DryRuns| said(runs_note(&m, &d));
        assert_eq!(note(runs(5, 0, false, &[])), None);
        assert_eq!(
            note(runs(1, 1, false, &[("v=0", "2023-02")])).unwrap(),
            format!("{CUSTODY} at v=0 (in Feb 2023)")
        );
        assert_eq!(
            note(runs(5, 2, false, &[("v=1", "2023-02"), ("v=4", "2023-01")])).unwrap(),
            format!("{CUSTODY} in 2 of the 5 runs: at v=1 (in Feb 2023) and v=4 (in Jan 2023)")
        );
        assert_eq!(
            note(runs(
                1200,
                1200,
                false,
                &[("v=0", "2023-02"), ("v=1199", "2023-01")]
            ))
            .unwrap(),
            format!(
                "{CUSTODY} in every one of the 1,200 runs, the first at v=0 (in Feb 2023), \
                 the last at v=1199 (in Jan 2023)"
            )
        );
        assert_eq!(
            note(runs(9000, 2000, true, &[("v=7", "2023-02")])).unwrap(),
            format!("{CUSTODY} in at least 2,000 of the 9,000 runs, the first at v=7 (in Feb 2023)")
        );
        // The whole sentence says what follows.
        assert!(runs_note(&m, &runs(1, 1, false, &[("v=0", "2023-02")]))
            .unwrap()
            .ends_with("; from then it pays out only what each month's revenue brings in, and the approved wires it cannot send go unmet (unmet_usd) and raise the parallel rate"));
    }

    #[test]
    fn a_tornado_says_the_base_first_and_an_answer_as_run_set_would() {
        let m = model();
        let feb = Some(ym("2023-02"));
        assert_eq!(
            said(tornado_note(&m, feb, &runs(14, 13, false, &[]))).unwrap(),
            format!(
                "{CUSTODY} in Feb 2023 with every parameter at base, and in 13 of the 14 runs that move one"
            )
        );
        assert_eq!(
            said(tornado_note(&m, feb, &runs(2, 0, false, &[]))).unwrap(),
            format!(
                "{CUSTODY} in Feb 2023 with every parameter at base, but in none of the runs that move one"
            )
        );
        assert_eq!(
            said(tornado_note(&m, None, &runs(2, 1, false, &[("p=1", "2023-01")]))).unwrap(),
            format!("{CUSTODY} in 1 of the 2 runs: at p=1 (in Jan 2023)")
        );
        assert_eq!(
            said(answers_note(&m, &runs(1, 1, false, &[("p=1.5", "2023-01")]))).unwrap(),
            format!("{CUSTODY} in Jan 2023 with p=1.5")
        );
        assert_eq!(said(answers_note(&m, &runs(1, 0, false, &[]))), None);
    }
}
