//! Which inputs are drawn and within which range. The range of a drawn
//! value is its parameter's own (docs/model.md §2) narrowed by the rules that
//! tie it to other parameters in every month: a price may not fall below
//! minus a buyer's discount, a deduction rate may not push the rates above
//! 1 together. Shares that must sum to exactly 1 cannot be drawn alone, and
//! two drawn inputs under one such rule cannot be truncated one at a time;
//! both are refused before any work starts, with what to do instead.

use rust_decimal::Decimal;

use crate::engine::plan::Target;
use crate::error::Error;
use crate::model::rules::{self, Rule};
use crate::model::{correlation_groups, drawable, Distribution, Model, ParamId, Uncertain};
use crate::render::count;
use crate::sampling::iman_conover::score_correlation;
use crate::sampling::Marginal;

/// One uncertain input.
#[derive(Debug, Clone)]
pub struct Input {
    /// The parameter drawn.
    pub param: ParamId,
    /// Its path as `[uncertainty]` names it, e.g. `auction.rejection_rate`,
    /// or `exports.price_usd_per_bbl*` for a drawn factor.
    pub path: String,
    /// Whether the draw is a factor on every month's value (`"PATH*"`,
    /// docs/model.md v2) rather than the value for the whole timeline.
    pub scale: bool,
    /// Its distribution as written in the model file.
    pub dist: Distribution,
    /// The distribution ready to draw: rounded to cents or six places, truncated to the
    /// parameter's allowed range (and the rules tying it to others).
    pub marginal: Marginal,
    /// The range a draw must lie in, in words, as errors name it: the
    /// parameter kind's (`0 to 1`), or the factors that keep every month's
    /// value in range (`a factor 0 to 1.25`).
    pub range: String,
}

/// Inputs linked by `[correlation]`, with their target rank correlations.
#[derive(Debug, Clone)]
pub struct Group {
    /// Indices into [`Plan::inputs`].
    pub members: Vec<usize>,
    /// Rank correlations, row-major, ones on the diagonal.
    pub target: Vec<f64>,
}

/// The inputs of a model's `[uncertainty]`, ready to draw.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The uncertain inputs, in `[uncertainty]` order.
    pub inputs: Vec<Input>,
    /// The groups of inputs `[correlation]` links, re-paired together.
    pub groups: Vec<Group>,
    /// What the user should know (truncation that bites), for stderr.
    pub notes: Vec<String>,
}

impl Plan {
    /// The plan of `model`'s `[uncertainty]`; an error when it has none, or when a
    /// distribution cannot be sampled or less than 5% of it lies in its allowed
    /// range (docs/model.md §1.6), located at its entry as loading reports it.
    pub fn new(model: &Model) -> Result<Plan, Error> {
        if model.uncertainty.is_empty() {
            let file = model.file.name.clone();
            return Err(if model.fixed.is_empty() {
                PlanError::NoUncertainty {
                    file,
                    example: example_entry(model),
                }
            } else {
                PlanError::AllFixed {
                    file,
                    names: model.fixed.join(", "),
                }
            }
            .into());
        }
        let ids: Vec<ParamId> = model.uncertainty.iter().map(|u| u.param).collect();
        refuse_sum_groups(model, &ids)?;
        refuse_joint_rules(model, &ids)?;
        refuse_joint_follow(model)?;
        let mut inputs = Vec::new();
        let mut notes = Vec::new();
        for u in &model.uncertainty {
            let (marginal, allowed) =
                drawable::marginal(model, u).map_err(|why| PlanError::CannotSample {
                    name: u.name(),
                    dist: u.dist.to_string(),
                    why,
                })?;
            // Refused when the file was loaded; a --set can narrow the range since.
            if let Some(p) = drawable::too_little_in_range(model, u, &marginal, &allowed) {
                return Err(Error::Invalid(Box::new(model.file.diagnostics(vec![p]))));
            }
            let p = marginal.acceptance();
            if p < 0.99 {
                notes.push(format!(
                    "note: {:.1}% of {} for {} lies outside its allowed range ({allowed}); the distribution is cut to that range (truncation)",
                    100.0 * (1.0 - p),
                    u.dist,
                    u.name()
                ));
            }
            inputs.push(Input {
                param: u.param,
                path: u.name(),
                scale: u.scale,
                dist: u.dist.clone(),
                marginal,
                range: if u.scale {
                    allowed
                } else {
                    u.param.kind().allowed().to_string()
                },
            });
        }
        let groups = correlation_groups(&model.correlation, |r| r)
            .into_iter()
            .map(|(members, target)| Group {
                members: members
                    .iter()
                    .map(|id| ids.iter().position(|x| x == id).unwrap_or(0))
                    .collect(),
                target,
            })
            .collect();
        Ok(Plan {
            inputs,
            groups,
            notes,
        })
    }

    /// The inputs' parameters, in order.
    pub fn params(&self) -> Vec<ParamId> {
        self.inputs.iter().map(|i| i.param).collect()
    }

    /// What each input replaces in an evaluation, in order: the value for
    /// the whole timeline, or every month's value scaled by a drawn factor.
    pub fn targets(&self) -> Vec<Target> {
        self.inputs
            .iter()
            .map(|i| {
                if i.scale {
                    Target::Scale(i.param)
                } else {
                    Target::Whole(i.param)
                }
            })
            .collect()
    }

    /// The inputs' paths, in order.
    pub fn paths(&self) -> Vec<String> {
        self.inputs.iter().map(|i| i.path.clone()).collect()
    }

    /// Names the pairs of a group whose converted matrix is not positive
    /// definite (checked when the model was loaded; kept for safety).
    pub fn group_pairs(&self, group: &Group) -> String {
        let g = group.members.len();
        let mut pairs = Vec::new();
        for i in 0..g {
            for j in 0..i {
                let r = group.target[i * g + j];
                if r != 0.0 {
                    pairs.push(format!(
                        "{}|{} = {r} (normal scores {:.4})",
                        self.inputs[group.members[j]].path,
                        self.inputs[group.members[i]].path,
                        score_correlation(r)
                    ));
                }
            }
        }
        pairs.join(", ")
    }

    /// Each input as a `sobol` or `morris` design sees it: its path and marginal.
    pub fn drawn(&self) -> Vec<super::Drawn<'_>> {
        self.inputs
            .iter()
            .map(|i| super::Drawn {
                path: &i.path,
                marginal: &i.marginal,
            })
            .collect()
    }

    /// A draw or correlation failure in the user's terms.
    pub fn draw_error(&self, f: DrawFailure) -> Error {
        match f {
            DrawFailure::Exhausted { input, index } => self.exhausted(input, Some(index)),
            DrawFailure::NotPositiveDefinite { group } => PlanError::NotPositiveDefinite(
                self.groups
                    .get(group)
                    .map_or(String::new(), |g| self.group_pairs(g)),
            )
            .into(),
        }
    }

    /// docs/model.md §1.6: 1,000 redraws in a row outside the range are an error.
    pub fn exhausted(&self, input: usize, index: Option<u64>) -> Error {
        let i = &self.inputs[input];
        PlanError::Exhausted {
            path: i.path.clone(),
            dist: i.dist.to_string(),
            range: i.range.clone(),
            index,
        }
        .into()
    }
}

/// Refuses a drawn auction rejection rate (or factor on it) together with
/// a drawn factor on a bank that follows it: the bank faces the product,
/// which only the two together keep within 0 to 1.
fn refuse_joint_follow(model: &Model) -> Result<(), Error> {
    let Some(auction) = model
        .uncertainty
        .iter()
        .find(|u| u.param == ParamId::RejectionRate)
    else {
        return Ok(());
    };
    let follower = model.uncertainty.iter().find(|u| {
        u.scale && matches!(u.param, ParamId::BankRejectionRate(i) if model.base.follows_the_auction(i))
    });
    match follower {
        None => Ok(()),
        Some(bank) => Err(PlanError::JointRule {
            first: bank.name(),
            second: auction.name(),
            asks: "a bank that follows the auction faces the auction's rate times its factor, which must stay within 0 to 1,",
            keep: "one of them",
        }
        .into()),
    }
}

/// `id`'s input as `[uncertainty]` names it (`PATH*` for a drawn factor).
fn name_of(model: &Model, id: ParamId) -> String {
    model
        .uncertainty
        .iter()
        .find(|u| u.param == id)
        .map_or_else(|| model.base.path(id), Uncertain::name)
}

/// Refuses uncertain shares and weights of lists that must sum to 1.
fn refuse_sum_groups(model: &Model, ids: &[ParamId]) -> Result<(), Error> {
    for id in ids {
        let Some(Rule::SumIsOne { what, .. }) = rules::sum_rule_of(&model.base, *id) else {
            continue;
        };
        return Err(PlanError::SumGroup {
            path: name_of(model, *id),
            what: what.to_string(),
        }
        .into());
    }
    Ok(())
}

/// Refuses two drawn inputs under one rule that bounds them together: each
/// could only be truncated given the other's value.
fn refuse_joint_rules(model: &Model, ids: &[ParamId]) -> Result<(), Error> {
    for rule in rules::rules(&model.base) {
        let drawn: Vec<&ParamId> = rule.params().iter().filter(|p| ids.contains(p)).collect();
        if matches!(rule, Rule::SumIsOne { .. }) || drawn.len() < 2 {
            continue;
        }
        let keep = if drawn.len() == 2 {
            "one of them"
        } else {
            "all but one"
        };
        return Err(PlanError::JointRule {
            first: name_of(model, *drawn[0]),
            second: name_of(model, *drawn[1]),
            asks: rule.asks(),
            keep,
        }
        .into());
    }
    Ok(())
}

/// An `[uncertainty]` entry a model without one could start from: its oil
/// price (or the first parameter with a value) drawn uniformly from 80% to
/// 120% of its value, kept within the parameter's allowed range; for a
/// parameter with `[[changes]]`, which a value would clash with, a factor
/// on its schedule from 0.8 to 1.2 (`PATH*`).
fn example_entry(model: &Model) -> String {
    let ids = model.base.ids();
    let pick = ids
        .iter()
        .find(|id| model.base.path(**id) == "exports.price_usd_per_bbl")
        .or_else(|| ids.iter().find(|id| !model.base.get(**id).is_zero()));
    let Some(&id) = pick else {
        return "\"exports.price_usd_per_bbl\" = { dist = \"uniform\", min = 60, max = 90 }".into();
    };
    if model.changes_of(id).next().is_some() {
        return format!(
            "\"{}*\" = {{ dist = \"uniform\", min = 0.8, max = 1.2 }}",
            model.base.path(id)
        );
    }
    let base = model.base.get(id);
    let places = if id.kind().is_money() { 2 } else { 6 };
    let end = |f: &str| {
        let v = (base * f.parse::<Decimal>().unwrap_or(Decimal::ONE)).round_dp(places);
        let v = id.kind().max().map_or(v, |m| v.min(m));
        v.normalize()
    };
    format!(
        "\"{}\" = {{ dist = \"uniform\", min = {}, max = {} }}",
        model.base.path(id),
        end("0.8"),
        end("1.2")
    )
}

/// What makes a model's `[uncertainty]` impossible to draw, each with its
/// fields and its wording in one place.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A model without `[uncertainty]` (its file named), with an entry for
    /// one of its own parameters to start from.
    #[error("{file} has no [uncertainty] table, so there is nothing to draw; add one, e.g.\n  [uncertainty]\n  {example}")]
    NoUncertainty {
        /// The model file.
        file: String,
        /// An entry for a parameter the model has.
        example: String,
    },
    /// Every `[uncertainty]` input fixed by `--set` (or a scenario's `set`).
    #[error("every input in the [uncertainty] table of {file} is fixed by --set (or a scenario's set): {names}; nothing is left to draw. Leave one of them unset to draw it")]
    AllFixed {
        /// The model file.
        file: String,
        /// The inputs fixed, as `[uncertainty]` names them.
        names: String,
    },
    /// A distribution that cannot be sampled.
    #[error("{name}: {dist} cannot be sampled: {why}")]
    CannotSample {
        /// The input.
        name: String,
        /// Its distribution, as written.
        dist: String,
        /// Why.
        why: String,
    },
    /// Correlations that cannot be induced (the pairs, in words).
    #[error("the correlations {0} cannot be induced: converted to normal scores they are not positive definite; weaken the strongest")]
    NotPositiveDefinite(String),
    /// docs/model.md §1.6: 1,000 redraws in a row outside the range.
    #[error(
        "{path}: {dist} stayed outside the allowed range ({range}) for {} redraws in a row{}; \
         narrow the distribution so that most of it lies in the range",
        count(u64::from(crate::sampling::MAX_REDRAWS)),
        .index.map_or(String::new(), |d| format!(" in draw {d}"))
    )]
    Exhausted {
        /// The input's path.
        path: String,
        /// Its distribution, as written.
        dist: String,
        /// The allowed range, in words.
        range: String,
        /// The draw, when known.
        index: Option<u64>,
    },
    /// A drawn share or weight of a list that must sum to 1.
    #[error(
        "{path} is in [uncertainty], but {what} must sum to exactly 1 and a drawn value would break that; \
         dinarflow does not rescale the others behind your back. Remove it from [uncertainty] and compare \
         alternatives with `dinarflow sweep` or two models with `dinarflow diff`"
    )]
    SumGroup {
        /// The input.
        path: String,
        /// The list, in words.
        what: String,
    },
    /// Two drawn inputs under one rule that bounds them together.
    #[error(
        "{first} and {second} are both in [uncertainty], but {asks} and they cannot be truncated one at a time; \
         keep {keep} fixed"
    )]
    JointRule {
        /// The first input.
        first: String,
        /// The second.
        second: String,
        /// What the rule asks, in words.
        asks: &'static str,
        /// Which to keep fixed: `one of them` or `all but one`.
        keep: &'static str,
    },
}

crate::error::usage_refusal!(PlanError);

/// A draw whose value stayed outside the allowed range for 1,000 redraws
/// in a row, or a correlation matrix that cannot be induced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawFailure {
    /// An input's draw stayed outside its allowed range for 1,000 redraws in a row.
    Exhausted {
        /// The input, an index into [`Plan::inputs`].
        input: usize,
        /// The draw, from 0.
        index: u64,
    },
    /// A `[correlation]` matrix that is not positive definite, so no draws can have it.
    NotPositiveDefinite {
        /// The correlated group, an index into [`Plan::groups`].
        group: usize,
    },
}
