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
use crate::model::{Model, Params, Part};
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

impl PostingLine {
    fn of(model: &Model, x: &Posting) -> PostingLine {
        PostingLine {
            month: model.timeline.months[x.month].month.to_string(),
            step: x.step,
            from: account_name(&model.base, x.from),
            to: account_name(&model.base, x.to),
            amount: x.amount,
        }
    }
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

/// The accounts money is paid out to, in the trace's order: deductions,
/// payments, the airlift's costs, then the market's cash and wires.
fn paid_out(p: &Params) -> Vec<Account> {
    let mut outs: Vec<Account> = (0..p.deductions.len()).map(Account::Deduction).collect();
    outs.extend((0..p.custody.payments.len()).map(Account::Payment));
    // The steps a flow-only model skips are not reported (docs/model.md §5).
    if p.has(Part::Airlift) {
        outs.push(Account::AirliftCosts);
        if p.has(Part::Market) {
            outs.extend([Account::MarketCash, Account::MarketWires]);
        }
    }
    outs
}

impl Flows {
    /// Files `x`, paid out to `a`, under its kind.
    fn record(&mut self, p: &Params, a: Account, x: Decimal) {
        match a {
            Account::Deduction(i) => self.deductions.push((p.deductions[i].name.clone(), x)),
            Account::Payment(i) => self.payments.push((p.custody.payments[i].name.clone(), x)),
            Account::AirliftCosts => self.airlift_cost = x,
            Account::MarketCash => self.cash_sold = x,
            Account::MarketWires => self.wires_sent = x,
            _ => {}
        }
    }

    /// The auction's requests, rejections, unmet demand and flights over
    /// the scope (the whole run, or month `index`), from the month values.
    fn add_month_sums(&mut self, run: &Run, index: Option<usize>) -> Result<(), Overflow> {
        let sum = |c: Core| {
            run.months
                .iter()
                .enumerate()
                .filter(|(i, _)| index.is_none_or(|m| m == *i))
                .try_fold(Decimal::ZERO, |s, (_, m)| s.add(m.get(c), WHAT))
        };
        self.requests = sum(Core::Requests)?;
        self.rejected = sum(Core::WiresRejected)?;
        self.unmet = sum(Core::Unmet)?;
        self.flights = sum(Core::Flights)?;
        Ok(())
    }
}

/// The balances of custody and the vault at the start and the end of the
/// scope: `(custody, vault)` each.
type Balances = ((Decimal, Decimal), (Decimal, Decimal));

/// Custody and vault when the scope opens and closes: the whole run, or
/// month `index`.
fn balances(run: &Run, index: Option<usize>) -> Balances {
    let l = &run.ledger;
    match index {
        None => ((l.custody_opening, l.vault_opening), (l.custody, l.vault)),
        Some(i) => {
            let opening = match i.checked_sub(1) {
                None => (l.custody_opening, l.vault_opening),
                Some(b) => (run.months[b].custody_closing, run.months[b].vault_closing),
            };
            (
                opening,
                (run.months[i].custody_closing, run.months[i].vault_closing),
            )
        }
    }
}

/// What every account received and paid out over the selected postings,
/// in one pass (a scan per account made a model with long lists take
/// minutes).
struct Totals {
    into: HashMap<Account, Decimal>,
    out_of: HashMap<Account, Decimal>,
}

impl Totals {
    fn of(selected: &[&Posting]) -> Result<Totals, Overflow> {
        let mut t = Totals {
            into: HashMap::new(),
            out_of: HashMap::new(),
        };
        for x in selected {
            for (map, a) in [(&mut t.into, x.to), (&mut t.out_of, x.from)] {
                let sum = map.entry(a).or_insert(Decimal::ZERO);
                *sum = sum.add(x.amount, WHAT)?;
            }
        }
        Ok(t)
    }

    /// What `a` received.
    fn to(&self, a: Account) -> Decimal {
        self.into.get(&a).copied().unwrap_or(Decimal::ZERO)
    }

    /// What left `a`.
    fn from(&self, a: Account) -> Decimal {
        self.out_of.get(&a).copied().unwrap_or(Decimal::ZERO)
    }
}

/// What an overflow in the trace's sums is said to be in.
const WHAT: &str = "the trace";

impl Line {
    fn new(
        section: &'static str,
        account: impl Into<String>,
        amount: Decimal,
        share_pct: Option<Decimal>,
    ) -> Line {
        Line {
            section,
            account: account.into(),
            amount,
            share_pct,
        }
    }
}

/// `x` as a percentage of `gross`, to two places; `None` for no gross.
fn share_of(x: Decimal, gross: Decimal) -> Option<Decimal> {
    let s = x.checked_div(gross)?.checked_mul(Decimal::ONE_HUNDRED)?;
    let mut s = s.round_dp(2);
    s.rescale(2);
    Some(s)
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
        let all = run.ledger.postings.as_deref().unwrap_or_default();
        let index = month.and_then(|m| model.timeline.index_of(m));
        let selected: Vec<&Posting> = all
            .iter()
            .filter(|x| index.is_none_or(|i| x.month == i))
            .collect();
        let ((open_c, open_v), (close_c, close_v)) = balances(run, index);
        let totals = Totals::of(&selected)?;
        let buyers: Vec<(Account, Decimal)> = (0..p.exports.buyers.len())
            .map(|i| (Account::Buyer(i), totals.from(Account::Buyer(i))))
            .collect();
        let gross = buyers
            .iter()
            .try_fold(Decimal::ZERO, |s, (_, x)| s.add(*x, WHAT))?;
        let share = |x: Decimal| share_of(x, gross);
        // Without [airlift] nothing is flown: the model has no vault.
        let vault = p.has(Part::Airlift);
        let mut lines = vec![Line::new("opening", "custody", open_c, None)];
        if vault {
            lines.push(Line::new("opening", "vault", open_v, None));
        }
        for (a, x) in &buyers {
            lines.push(Line::new("revenue in", account_name(p, *a), *x, share(*x)));
        }
        lines.push(Line::new("revenue in", "gross revenue", gross, share(gross)));
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
        let mut outflows = Decimal::ZERO;
        for a in paid_out(p) {
            let x = totals.to(a);
            outflows = outflows.add(x, WHAT)?;
            flows.record(p, a, x);
            lines.push(Line::new("paid out", account_name(p, a), x, share(x)));
        }
        flows.flown = selected
            .iter()
            .filter(|x| x.from == Account::Custody && x.to == Account::Vault)
            .try_fold(Decimal::ZERO, |s, x| s.add(x.amount, WHAT))?;
        flows.add_month_sums(run, index)?;
        if vault {
            lines.push(Line::new(
                "moved",
                "custody -> vault (banknotes flown)",
                flows.flown,
                share(flows.flown),
            ));
        }
        lines.push(Line::new("closing", "custody", close_c, None));
        if vault {
            lines.push(Line::new("closing", "vault", close_v, None));
        }
        let scope = match month {
            Some(m) => m.to_string(),
            None => format!("{} to {}", model.timeline.start, model.timeline.end()),
        };
        Ok(Trace {
            model: ModelInfo::of(model),
            scope,
            lines,
            sources: open_c.add(open_v, WHAT)?.add(gross, WHAT)?,
            uses: close_c.add(close_v, WHAT)?.add(outflows, WHAT)?,
            postings: with_postings
                .then(|| selected.into_iter().map(|x| PostingLine::of(model, x)).collect()),
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
        );
        self.model.note_what_if(&mut doc);
        doc.blank().table(t).blank().line(self.check_line());
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
