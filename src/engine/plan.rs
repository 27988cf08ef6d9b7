//! What one run, or a batch of many, reads: the parameters in force each
//! month as a flat row of slots, and where each value comes from. A value
//! is a constant of the model, a new input (one per evaluation: a sweep
//! point, a Monte Carlo draw), or a constant scaled by an input. Both
//! backends of the month (exact `Decimal` and 64-lane blocks) read the same
//! plan, so `--set`, a step of a timeline and a scaled timeline mean the
//! same thing to every command.

use rust_decimal::Decimal;

use crate::calendar::MonthInfo;
use crate::model::{List, Model, ParamId, Params, Part, FIELDS};

/// Where each parameter sits in a month's row of values: one slot per
/// parameter the model has, found by the parameter's row in the registry
/// (`ParamId::row`), so the registry's table is the one list of
/// parameters and a new one has a slot without a line here.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Slots in a row (the number of parameters).
    pub width: usize,
    /// The parameter at each slot.
    pub ids: Vec<ParamId>,
    /// The slot of each parameter by its registry row and list entry
    /// (`slots[row][entry]`, entry 0 for a single value), `MISSING` where
    /// the model has none: a look-up, not a search of `ids` (a search per
    /// parameter made a plan quadratic in the model's entries).
    slots: Vec<Vec<usize>>,
    /// Entries of each list of the model (`List as usize`).
    lens: [usize; 5],
}

impl Layout {
    /// The slot of a parameter the model does not have: past every row, so
    /// that reading it is an error in every backend (never another
    /// parameter's value).
    pub const MISSING: usize = usize::MAX;

    /// The layout of `p`'s parameters, with slots also for the v2
    /// parameters in `extra` that `p` leaves out (a change or an input
    /// gives them a value).
    pub fn of(p: &Params, extra: impl IntoIterator<Item = ParamId>) -> Layout {
        let mut ids = p.ids();
        for id in extra {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut layout = Layout {
            width: ids.len(),
            ids: Vec::new(),
            slots: vec![Vec::new(); FIELDS.len()],
            lens: [
                List::Buyers,
                List::Deductions,
                List::Payments,
                List::Banks,
                List::Basket,
            ]
            .map(|l| p.len(l)),
        };
        for (slot, id) in ids.iter().enumerate() {
            if layout.slot(*id).is_none() {
                layout.place(*id, slot);
            }
        }
        layout.ids = ids;
        layout
    }

    /// Puts `id` at `slot` (`MISSING` takes it out of the row).
    pub fn place(&mut self, id: ParamId, slot: usize) {
        let (row, entry) = id.row();
        let entries = &mut self.slots[row];
        let entry = entry.unwrap_or(0);
        if entries.len() <= entry {
            entries.resize(entry + 1, Layout::MISSING);
        }
        entries[entry] = slot;
    }

    /// The slot of `id`, if the model has that parameter.
    pub fn slot(&self, id: ParamId) -> Option<usize> {
        let (row, entry) = id.row();
        let slot = *self.slots.get(row)?.get(entry.unwrap_or(0))?;
        (slot != Layout::MISSING).then_some(slot)
    }

    /// The slot of `id`, `MISSING` when the model lacks it (a step that
    /// reads it anyway fails instead of reading another parameter).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn at(&self, id: ParamId) -> usize {
        self.slot(id).unwrap_or(Layout::MISSING)
    }

    /// How many entries the model's `list` has.
    pub fn len(&self, list: List) -> usize {
        self.lens[list as usize]
    }
}

/// Where one value of a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// A value of the model.
    Const(Decimal),
    /// Input `j` of the evaluation.
    Input(usize),
    /// `base × input j`, rounded to cents for money (docs/model.md `PATH*=F`).
    Scaled {
        /// The input holding the factor.
        input: usize,
        /// The value scaled.
        base: Decimal,
        /// Whether the product is rounded to cents.
        money: bool,
    },
    /// `base × input a × input b`, in that order, never rounded: the rate
    /// of a bank that follows a drawn auction rate with a drawn factor of
    /// its own (a rate, so never money).
    Product {
        /// The inputs multiplied, first `.0` then `.1`.
        inputs: (usize, usize),
        /// The value scaled.
        base: Decimal,
    },
}

impl Cell {
    /// A value no evaluation has: reading it is an error in every backend.
    pub const UNDEFINED: Cell = Cell::Input(usize::MAX);

    /// This cell times the constant `f`: the rate a bank with factor `f`
    /// faces when it follows the auction's rate `self`.
    fn times(self, f: Decimal) -> Option<Cell> {
        Some(match self {
            Cell::Const(v) => Cell::Const(v.checked_mul(f)?),
            Cell::Input(input) => Cell::Scaled {
                input,
                base: f,
                money: false,
            },
            Cell::Scaled {
                input,
                base,
                money: false,
            } => Cell::Scaled {
                input,
                base: base.checked_mul(f)?,
                money: false,
            },
            Cell::Product { inputs, base } => Cell::Product {
                inputs,
                base: base.checked_mul(f)?,
            },
            // Money is rounded after its product: no factor may slip in.
            Cell::Scaled { money: true, .. } => return None,
        })
    }

    /// This cell times input `j` (a drawn factor), or `None` when that
    /// would take a third input or scale money.
    fn times_input(self, j: usize) -> Option<Cell> {
        Some(match self {
            Cell::Const(base) => Cell::Scaled {
                input: j,
                base,
                money: false,
            },
            Cell::Input(a) => Cell::Product {
                inputs: (a, j),
                base: Decimal::ONE,
            },
            Cell::Scaled {
                input,
                base,
                money: false,
            } => Cell::Product {
                inputs: (input, j),
                base,
            },
            Cell::Scaled { money: true, .. } | Cell::Product { .. } => return None,
        })
    }
}

/// What an input of a batch replaces (docs/model.md §5, addressing parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `PATH=V`: the value for the whole timeline (its changes dropped).
    Whole(ParamId),
    /// `PATH@YYYY-MM=V`: the step of the timeline that starts in month
    /// `.1` (an index into the timeline), until the next change of PATH.
    Step(ParamId, usize),
    /// `PATH@YYYY-MM..=V`: the value from month `.1` (an index into the
    /// timeline) to the end, every later change of PATH dropped.
    From(ParamId, usize),
    /// `PATH*=F`: every month's value times F, the schedule's shape kept.
    Scale(ParamId),
}

impl Target {
    /// The parameter the target changes.
    pub fn param(self) -> ParamId {
        match self {
            Target::Whole(id) | Target::Step(id, _) | Target::From(id, _) | Target::Scale(id) => id,
        }
    }
}

/// A model prepared for runs: its layout, its first month's row, the
/// changes by month, and the inputs that each evaluation fills in.
#[derive(Debug, Clone)]
pub struct Plan<'m> {
    /// The model planned.
    pub model: &'m Model,
    /// The calendar of the months run (the model's own, unless a
    /// comparison takes another model's).
    pub months: Vec<MonthInfo>,
    /// Where each parameter sits in a row.
    pub layout: Layout,
    /// The row in force in the first month, before its changes.
    pub base: Vec<Cell>,
    /// `(month index, slot, value)`, by month.
    pub changes: Vec<(usize, usize, Cell)>,
    /// What each input of an evaluation replaces.
    pub inputs: Vec<Target>,
    /// docs/model.md v2 `lag_weights` (`[1]` by default).
    pub lags: Vec<Decimal>,
}

impl<'m> Plan<'m> {
    /// The plan of `model` with `inputs` to fill in on each evaluation.
    pub fn new(model: &'m Model, inputs: &[Target]) -> Plan<'m> {
        let extra = model
            .changes
            .iter()
            .map(|c| c.param)
            .chain(inputs.iter().map(|t| t.param()))
            .filter(|id| !model.base.gives(*id));
        let layout = Layout::of(&model.base, extra);
        let p = &model.base;
        let mut base: Vec<Cell> = layout.ids.iter().map(|id| Cell::Const(p.get(*id))).collect();
        // Each slot's own changes; banks' follow the auction below.
        let mut changes: Vec<(usize, usize, Cell)> = model
            .changes
            .iter()
            .filter_map(|c| {
                let m = model.timeline.index_of(c.month)?;
                Some((m, layout.slot(c.param)?, Cell::Const(c.value.value)))
            })
            .collect();
        for (j, t) in inputs.iter().enumerate() {
            let Some(slot) = layout.slot(t.param()) else {
                continue;
            };
            match *t {
                Target::Whole(_) => {
                    base[slot] = Cell::Input(j);
                    changes.retain(|c| c.1 != slot);
                }
                Target::Step(_, month) | Target::From(_, month) => {
                    let to_end = matches!(t, Target::From(..));
                    changes.retain(|c| !(c.1 == slot && (c.0 == month || (to_end && c.0 > month))));
                    if month == 0 {
                        base[slot] = Cell::Input(j);
                    } else {
                        changes.push((month, slot, Cell::Input(j)));
                    }
                }
                Target::Scale(id) => {
                    let money = id.kind().is_money();
                    let scale = |c: Cell| match c {
                        Cell::Const(v) => Cell::Scaled {
                            input: j,
                            base: v,
                            money,
                        },
                        other => other,
                    };
                    base[slot] = scale(base[slot]);
                    for c in changes.iter_mut().filter(|c| c.1 == slot) {
                        c.2 = scale(c.2);
                    }
                }
            }
        }
        changes.sort_by_key(|c| c.0);
        let mut plan = Plan {
            model,
            months: model.timeline.months.clone(),
            layout,
            base,
            changes,
            inputs: inputs.to_vec(),
            lags: model.base.prices.lag_weights.clone(),
        };
        plan.follow_the_auction();
        plan
    }

    /// Banks without a rejection rate of their own take the auction's in
    /// every month until one is set for them: their slots repeat the
    /// auction's cells, times the bank's factor (`--set 'PATH*=F'`) and
    /// times its drawn factor (an input `Target::Scale`), if any. A bank
    /// given a value of its own from the first month (`PATH=V`,
    /// `PATH@start=V`) does not follow.
    fn follow_the_auction(&mut self) {
        let p = &self.model.base;
        let auction = self.layout.at(ParamId::RejectionRate);
        for (i, bank) in p.auction.banks.iter().enumerate() {
            let id = ParamId::BankRejectionRate(i);
            let Some(slot) = self.layout.slot(id) else {
                continue;
            };
            let own_input = self.inputs.iter().any(|t| match *t {
                Target::Whole(x) => x == id,
                Target::Step(x, 0) | Target::From(x, 0) => x == id,
                _ => false,
            });
            if bank.rejection_rate.is_some() || own_input {
                continue;
            }
            let drawn = self.inputs.iter().position(|t| *t == Target::Scale(id));
            let factor = bank.follow_factor;
            let faced = |c: Cell| -> Cell {
                let c = match factor {
                    Some(f) => c.times(f),
                    None => Some(c),
                };
                let c = match drawn {
                    Some(j) => c.and_then(|c| c.times_input(j)),
                    None => c,
                };
                // The auction's rate is a share (never money) with at most
                // one input, so every product exists unless it overflows,
                // which the run then reports.
                c.unwrap_or(Cell::UNDEFINED)
            };
            // The first month the bank has a rate of its own, if any.
            let own_from = self.changes.iter().filter(|c| c.1 == slot).map(|c| c.0).min();
            let follows = |m: usize| own_from.is_none_or(|f| m < f);
            if follows(0) {
                self.base[slot] = faced(self.base[auction]);
            }
            let copies: Vec<(usize, usize, Cell)> = self
                .changes
                .iter()
                .filter(|c| c.1 == auction && follows(c.0))
                .map(|c| (c.0, slot, faced(c.2)))
                .collect();
            self.changes.extend(copies);
        }
        self.changes.sort_by_key(|c| c.0);
    }

    /// Takes `id`'s whole series (first month and changes) from `other`, a
    /// plan of a model with the same parameters.
    pub fn splice(&mut self, id: ParamId, other: &Plan<'_>) {
        let (Some(mine), Some(theirs)) = (self.layout.slot(id), other.layout.slot(id)) else {
            return;
        };
        self.base[mine] = other.base[theirs];
        self.changes.retain(|c| c.1 != mine);
        self.changes.extend(
            other
                .changes
                .iter()
                .filter(|c| c.1 == theirs)
                .map(|c| (c.0, mine, c.2)),
        );
        self.changes.sort_by_key(|c| c.0);
    }

    /// Whether the model has `part`.
    pub fn has(&self, part: Part) -> bool {
        self.model.base.has(part)
    }

    /// The value of `cell` with `values` as the inputs.
    pub fn resolve(cell: Cell, values: &[Decimal]) -> Option<Decimal> {
        Some(match cell {
            Cell::Const(v) => v,
            Cell::Input(j) => *values.get(j)?,
            Cell::Scaled { input, base, money } => {
                let x = base.checked_mul(*values.get(input)?)?;
                if money {
                    crate::num::decimal::round2(x)
                } else {
                    x
                }
            }
            Cell::Product { inputs: (a, b), base } => {
                base.checked_mul(*values.get(a)?)?.checked_mul(*values.get(b)?)?
            }
        })
    }
}
