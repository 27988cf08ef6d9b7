//! What `GET /api/params` answers: every numeric parameter of the model,
//! grouped by section, as the page builds a control for it (unit, allowed
//! and plausible ranges, base value, source, note, its timeline steps),
//! and what the page may offer for it: a bank that follows the auction's
//! rate names the rate it follows (so that its control scales that
//! schedule instead of replacing it), a share or weight names the list
//! whose entries must sum to 1 with it, and a step or a factor is offered
//! only where the command line would take it and it changes something.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

use crate::calendar::YearMonth;
use crate::model::rules::{sum_rule_of, Rule};
use crate::model::{Model, ParamId};
use crate::num::decimal::clean;

/// One parameter as the page lists it.
#[derive(Debug, Serialize)]
struct ParamView {
    path: String,
    unit: &'static str,
    allowed: &'static str,
    min: Option<Decimal>,
    min_included: bool,
    max: Option<Decimal>,
    plausible: Value,
    places: Option<u32>,
    /// The value in the first month (for a bank that follows the
    /// auction's rate, the auction's first value times its factor).
    value: Decimal,
    source: Option<String>,
    note: Option<String>,
    steps: Vec<Value>,
    /// For a bank with no rate of its own: the path of the rate it faces
    /// (`auction.rejection_rate`), steps included.
    follows: Option<String>,
    /// Whether a step (`PATH@YYYY-MM`) may be set: not for a value drawn
    /// in `[uncertainty]` for the whole timeline (refused), nor for an
    /// opening stock (read in the first month only).
    can_step: bool,
    /// Whether a factor (`PATH*`) may be set: not for a value drawn in
    /// `[uncertainty]` for the whole timeline (refused).
    can_scale: bool,
    /// For an entry of a list whose entries must sum to exactly 1 (a
    /// buyer's share, a basket weight): `{"group": "exports.buyers[*].share",
    /// "what": "the buyers' shares"}`, so that the page moves the others
    /// with it instead of sending a value the model refuses.
    sums_to_one: Option<Value>,
}

/// Whether `id` is drawn in `model`'s `[uncertainty]` as a whole value
/// (not as a factor), which `--set` may replace but not edit by step or scale.
fn drawn_whole(model: &Model, id: ParamId) -> bool {
    model.uncertainty.iter().any(|u| u.param == id && !u.scale)
}

/// Every numeric parameter of `model`, grouped by section in model order,
/// and the horizon the page opens with (`serve --horizon`), if any.
pub(super) fn params_of(model: &Model, opening: Option<YearMonth>) -> Value {
    let base = &model.base;
    let mut sections: Vec<(String, Vec<ParamView>)> = Vec::new();
    for id in base.ids() {
        let path = base.path(id);
        let section = path.split(['.', '[']).next().unwrap_or_default().to_string();
        let p = base.param(id);
        // A bank with no rate of its own shows whose rate it faces.
        let follow_note = base.follow_note(id);
        let follows = follow_note.as_ref().map(|_| base.path(ParamId::RejectionRate));
        let kind = id.kind();
        let pl = id.field().plausible;
        let steps = model
            .changes
            .iter()
            .filter(|c| c.param == id)
            .map(|c| {
                // A value's own inline source and note first (the loader
                // gives it its [[changes]] block's where it has none).
                json!({
                    "month": c.month.to_string(),
                    "value": clean(c.value.value),
                    "source": c.value.origin.source.clone().or_else(|| c.source.clone()),
                    "note": c.value.origin.note.clone().or_else(|| c.note.clone()),
                })
            })
            .collect();
        let drawn = drawn_whole(model, id);
        let view = ParamView {
            unit: id.spec().unit,
            allowed: kind.allowed(),
            min: kind.min().map(|m| m.0),
            min_included: kind.min().is_some_and(|m| m.1),
            max: kind.max(),
            plausible: json!({ "lo": pl.lo(), "hi": pl.hi(), "zero": pl.zero, "basis": pl.basis }),
            places: kind.is_money().then_some(2),
            value: clean(base.get(id)),
            source: if follows.is_some() {
                None
            } else {
                p.origin.source.clone()
            },
            note: follow_note.or_else(|| p.origin.note.clone()),
            steps,
            follows,
            can_step: !drawn && !id.is_opening(),
            can_scale: !drawn,
            sums_to_one: match sum_rule_of(base, id) {
                Some(Rule::SumIsOne {
                    list, field, what, ..
                }) => Some(json!({ "group": format!("{list}[*].{field}"), "what": what })),
                _ => None,
            },
            path,
        };
        match sections.iter_mut().find(|s| s.0 == section) {
            Some(s) => s.1.push(view),
            None => sections.push((section, vec![view])),
        }
    }
    let months: Vec<String> = model
        .timeline
        .months
        .iter()
        .map(|m| m.month.to_string())
        .collect();
    json!({
        "model": {
            "name": model.name,
            "file": model.file.name,
            "description": model.description,
            "horizon": model.horizon.map(|h| json!({ "month": h.month.to_string(), "note": h.line() })),
        },
        "months": months,
        "opening_horizon": opening.map(|h| h.to_string()),
        "sections": sections
            .into_iter()
            .map(|(name, params)| json!({ "section": name, "params": params }))
            .collect::<Vec<_>>(),
    })
}
