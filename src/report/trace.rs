//! `trace`: where the dollars went, read from the ledger. Opening balances,
//! what each buyer paid in, what each account received and its share of
//! gross revenue, closing balances, and the conservation identity checked
//! exactly; optionally every posting; drawn as a flow diagram.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::flow::Flows;
use super::ModelInfo;
use crate::calendar::YearMonth;
use crate::engine::metrics::Core;
use crate::engine::Run;
use crate::ledger::{Account, Posting, Step};
use crate::model::{Model, Params};
use crate::num::decimal::{Checked, Overflow};
use crate::render::{display, Cell, Chart, Document, Report, Table};

/// One line of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// `opening`, `revenue in`, `paid out`, `moved` or `closing`.
    pub section: &'static str,
    /// The ledger account as docs/model.md names it, e.g. `buyer:China` or `market:wires`.
    pub account: String,
    /// The amount over the trace's scope (or the balance), in USD.
    pub amount: Decimal,
    /// Share of gross revenue in percent, where it makes sense.
    #[serde(rename = "share_of_gross_pct")]
    pub share_pct: Option<Decimal>,
}

/// One posting of the ledger, its accounts named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostingLine {
    /// The month it was posted in, e.g. `2023-01`.
    pub month: String,
    /// The docs/model.md §3 step; its number in JSON.
    #[serde(serialize_with = "step_number")]
    pub step: Step,
    /// The account the dollars leave, e.g. `custody`.
    pub from: String,
    /// The account the dollars reach, e.g. `market:wires`.
    pub to: String,
    /// The amount moved, in USD, exact to the cent.
    pub amount: Decimal,
}

fn step_number<S: Serializer>(step: &Step, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(step.number())
}

/// The trace of a run or of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The model traced.
    pub model: ModelInfo,
    /// The month traced, or the whole period, e.g. `2022-11 to 2023-12`.
    pub scope: String,
    /// Opening balances, revenue by buyer, what each account received, closing balances.
    pub lines: Vec<Line>,
    /// Opening + gross on one side, closing + outflows on the other.
    pub sources: Decimal,
    /// Closing balances plus everything paid out, in USD: equal to `sources` exactly.
    pub uses: Decimal,
    /// Every posting of the scope, in order (`trace --postings`); `None` when not asked for.
    pub postings: Option<Vec<PostingLine>>,
    /// The same amounts by kind, for the flow diagram (not in JSON).
    pub flows: Flows,
}

/// `buyer:China`, `custody`, … as docs/model.md names accounts.
pub fn account_name(p: &Params, a: Account) -> String {
    match a {
        Account::Buyer(i) => format!("buyer:{}", p.exports.buyers[i].name),
        Account::Custody => "custody".into(),
        Account::Vault => "vault".into(),
        Account::Deduction(i) => format!("deduction:{}", p.deductions[i].name),
        Account::Payment(i) => format!("payment:{}", p.custody.payments[i].name),
        Account::AirliftCosts => "airlift:costs".into(),
        Account::MarketCash => "market:cash".into(),
        Account::MarketWires => "market:wires".into(),
    }
}

impl Trace {
    /// Traces the whole run, or `month` only. The run must keep postings.
    pub fn new(
        model: &Model,
        run: &Run,
        month: Option<YearMonth>,
        with_postings: bool,
    ) -> Result<Self, Overflow> {
        let p = &model.base;
        let what = "the trace";
        let all = run.ledger.postings.as_deref().unwrap_or_default();
        let index = month.and_then(|m| model.timeline.index_of(m));
        let selected: Vec<&Posting> = all
            .iter()
            .filter(|x| index.is_none_or(|i| x.month == i))
            .collect();
        let (open_c, open_v, close_c, close_v) = match index {
            None => (
                run.ledger.custody_opening,
                run.ledger.vault_opening,
                run.ledger.custody,
                run.ledger.vault,
            ),
            Some(i) => {
                let (oc, ov) = if i == 0 {
                    (run.ledger.custody_opening, run.ledger.vault_opening)
                } else {
                    (run.months[i - 1].custody_closing, run.months[i - 1].vault_closing)
                };
                (oc, ov, run.months[i].custody_closing, run.months[i].vault_closing)
            }
        };
        // Every account's totals in one pass over the postings (a scan per
        // account made a model with long lists take minutes).
        let mut into: HashMap<Account, Decimal> = HashMap::new();
        let mut out_of: HashMap<Account, Decimal> = HashMap::new();
        for x in &selected {
            for (map, a) in [(&mut into, x.to), (&mut out_of, x.from)] {
                let t = map.entry(a).or_insert(Decimal::ZERO);
                *t = t.add(x.amount, what)?;
            }
        }
        let total_to = |a: Account| Ok::<_, Overflow>(into.get(&a).copied().unwrap_or(Decimal::ZERO));
        let total_from = |a: Account| Ok::<_, Overflow>(out_of.get(&a).copied().unwrap_or(Decimal::ZERO));
        let buyers: Vec<(Account, Decimal)> = (0..p.exports.buyers.len())
            .map(|i| Ok((Account::Buyer(i), total_from(Account::Buyer(i))?)))
            .collect::<Result<_, Overflow>>()?;
        let gross = buyers
            .iter()
            .try_fold(Decimal::ZERO, |s, (_, x)| s.add(*x, what))?;
        let share = |x: Decimal| {
            let s = x.checked_div(gross)?.checked_mul(Decimal::ONE_HUNDRED)?;
            let mut s = s.round_dp(2);
            s.rescale(2);
            Some(s)
        };
        let mut lines = vec![
            Line {
                section: "opening",
                account: "custody".into(),
                amount: open_c,
                share_pct: None,
            },
            Line {
                section: "opening",
                account: "vault".into(),
                amount: open_v,
                share_pct: None,
            },
        ];
        for (a, x) in &buyers {
            lines.push(Line {
                section: "revenue in",
                account: account_name(p, *a),
                amount: *x,
                share_pct: share(*x),
            });
        }
        lines.push(Line {
            section: "revenue in",
            account: "gross revenue".into(),
            amount: gross,
            share_pct: share(gross),
        });
        let mut outs: Vec<Account> = (0..p.deductions.len()).map(Account::Deduction).collect();
        outs.extend((0..p.custody.payments.len()).map(Account::Payment));
        outs.extend([Account::AirliftCosts, Account::MarketCash, Account::MarketWires]);
        let mut outflows = Decimal::ZERO;
        let mut flows = Flows {
            buyers: buyers
                .iter()
                .map(|(a, x)| (account_name(p, *a).trim_start_matches("buyer:").to_string(), *x))
                .collect(),
            opening: (open_c, open_v),
            closing: (close_c, close_v),
            custody_name: p.custody.name.clone(),
            ..Flows::default()
        };
        for a in outs {
            let x = total_to(a)?;
            outflows = outflows.add(x, what)?;
            match a {
                Account::Deduction(i) => flows.deductions.push((p.deductions[i].name.clone(), x)),
                Account::Payment(i) => flows.payments.push((p.custody.payments[i].name.clone(), x)),
                Account::AirliftCosts => flows.airlift_cost = x,
                Account::MarketCash => flows.cash_sold = x,
                Account::MarketWires => flows.wires_sent = x,
                _ => {}
            }
            lines.push(Line {
                section: "paid out",
                account: account_name(p, a),
                amount: x,
                share_pct: share(x),
            });
        }
        let flown = selected
            .iter()
            .filter(|x| x.from == Account::Custody && x.to == Account::Vault)
            .try_fold(Decimal::ZERO, |s, x| s.add(x.amount, what))?;
        flows.flown = flown;
        let in_scope = |i: usize| index.is_none_or(|m| m == i);
        let sum = |c: Core| {
            run.months
                .iter()
                .enumerate()
                .filter(|(i, _)| in_scope(*i))
                .try_fold(Decimal::ZERO, |s, (_, m)| s.add(m.get(c), what))
        };
        flows.requests = sum(Core::Requests)?;
        flows.rejected = sum(Core::WiresRejected)?;
        flows.unmet = sum(Core::Unmet)?;
        flows.flights = sum(Core::Flights)?;
        lines.push(Line {
            section: "moved",
            account: "custody -> vault (banknotes flown)".into(),
            amount: flown,
            share_pct: share(flown),
        });
        lines.push(Line {
            section: "closing",
            account: "custody".into(),
            amount: close_c,
            share_pct: None,
        });
        lines.push(Line {
            section: "closing",
            account: "vault".into(),
            amount: close_v,
            share_pct: None,
        });
        let sources = open_c.add(open_v, what)?.add(gross, what)?;
        let uses = close_c.add(close_v, what)?.add(outflows, what)?;
        let scope = match month {
            Some(m) => m.to_string(),
            None => format!("{} to {}", model.timeline.start, model.timeline.end()),
        };
        let posting = |x: &Posting| PostingLine {
            month: model.timeline.months[x.month].month.to_string(),
            step: x.step,
            from: account_name(p, x.from),
            to: account_name(p, x.to),
            amount: x.amount,
        };
        Ok(Trace {
            model: ModelInfo::of(model),
            scope,
            lines,
            sources,
            uses,
            postings: with_postings.then(|| selected.into_iter().map(posting).collect()),
            flows,
        })
    }

    /// The conservation line, e.g. `opening + gross = 1,000.00 = closing + paid out = 1,000.00: balances exactly`.
    pub fn check_line(&self) -> String {
        let verdict = if self.sources == self.uses {
            "balances exactly"
        } else {
            "DOES NOT BALANCE"
        };
        format!(
            "Check: opening balances + gross revenue = {} USD; closing balances + paid out = {} USD: {verdict}",
            display(self.sources, 2),
            display(self.uses, 2)
        )
    }
}

/// Postings as `month,step,from,to,amount`, the step as its number and
/// each amount made a cell by `amount`.
pub fn postings_table(postings: &[PostingLine], amount: impl Fn(Decimal) -> Cell) -> Table {
    let mut t = Table::new(["month", "step", "from", "to", "amount"], 0);
    for x in postings {
        t.push([
            Cell::from(&x.month),
            Cell::Count(u64::from(x.step.number())),
            Cell::from(&x.from),
            Cell::from(&x.to),
            amount(x.amount),
        ]);
    }
    t
}

crate::render::formats!(Trace: CHART);

impl Report for Trace {
    fn document(&self) -> Document {
        let mut t = Table::new(["section", "account", "USD", "% of gross"], 2);
        for l in &self.lines {
            t.push([
                Cell::from(l.section),
                Cell::from(&l.account),
                Cell::fixed(l.amount, 2),
                l.share_pct.map_or(Cell::Empty, Cell::Percent),
            ]);
        }
        let mut doc = Document::new();
        doc.heading(
            2,
            format!("Where the dollars went: {} ({})", self.model.name, self.scope),
        )
        .blank()
        .table(t)
        .blank()
        .line(self.check_line());
        if let Some(postings) = &self.postings {
            let mut t = Table::new(["month", "step", "from", "to", "USD"], 4);
            for x in postings {
                t.push([
                    Cell::from(&x.month),
                    Cell::Text(x.step.to_string()),
                    Cell::from(&x.from),
                    Cell::from(&x.to),
                    Cell::fixed(x.amount, 2),
                ]);
            }
            doc.section(2, format!("Postings ({})", postings.len())).table(t);
        }
        doc
    }

    fn chart(&self) -> Option<Chart> {
        Some(self.model.chart(
            format!("The ledger's flows of US dollars, {}", self.scope),
            vec![self.flows.panel(&self.scope)],
        ))
    }

    /// Every posting (`month,step,from,to,amount`) when they were asked
    /// for, else the lines (`section,account,amount,share_of_gross_pct`).
    fn csv(&self) -> Option<Table> {
        let t = match &self.postings {
            Some(postings) => postings_table(postings, Cell::plain),
            None => {
                let mut t = Table::new(["section", "account", "amount", "share_of_gross_pct"], 0);
                for l in &self.lines {
                    t.push([
                        Cell::from(l.section),
                        Cell::from(&l.account),
                        Cell::plain(l.amount),
                        l.share_pct.map_or(Cell::Empty, Cell::plain),
                    ]);
                }
                t
            }
        };
        Some(t)
    }
}

impl Serialize for Trace {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Conservation {
            sources: Decimal,
            uses: Decimal,
            holds: bool,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            scope: &'a str,
            lines: &'a [Line],
            conservation: Conservation,
            postings: &'a Option<Vec<PostingLine>>,
        }
        Json {
            model: &self.model,
            scope: &self.scope,
            lines: &self.lines,
            conservation: Conservation {
                sources: self.sources,
                uses: self.uses,
                holds: self.sources == self.uses,
            },
            postings: &self.postings,
        }
        .serialize(s)
    }
}
