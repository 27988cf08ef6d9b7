//! `trace`: where the dollars went, read from the ledger. Opening balances,
//! what each buyer paid in, what each account received and its share of
//! gross revenue, closing balances, and the conservation identity checked
//! exactly; optionally every posting.

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::run::model_json;
use crate::calendar::YearMonth;
use crate::engine::Run;
use crate::ledger::{Account, Posting};
use crate::model::{Model, Params};
use crate::number::{Checked, Overflow};
use crate::render::{display, Format, Grid};

/// One line of the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub section: &'static str,
    pub account: String,
    pub amount: Decimal,
    /// Share of gross revenue in percent, where it makes sense.
    pub share_pct: Option<Decimal>,
}

/// The trace of a run or of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub scope: String,
    pub lines: Vec<Line>,
    /// Opening + gross on one side, closing + outflows on the other.
    pub sources: Decimal,
    pub uses: Decimal,
    pub postings: Option<Vec<Posting>>,
}

/// `buyer:China`, `custody`, … as MODEL.md names accounts.
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
        let total_to = |a: Account| {
            selected
                .iter()
                .filter(|x| x.to == a)
                .try_fold(Decimal::ZERO, |s, x| s.add(x.amount, what))
        };
        let total_from = |a: Account| {
            selected
                .iter()
                .filter(|x| x.from == a)
                .try_fold(Decimal::ZERO, |s, x| s.add(x.amount, what))
        };
        let buyers: Vec<(Account, Decimal)> = (0..p.exports.buyers.len())
            .map(|i| Ok((Account::Buyer(i), total_from(Account::Buyer(i))?)))
            .collect::<Result<_, Overflow>>()?;
        let gross = buyers
            .iter()
            .try_fold(Decimal::ZERO, |s, (_, x)| s.add(*x, what))?;
        let share = |x: Decimal| {
            (!gross.is_zero()).then(|| {
                let mut s = (x / gross * Decimal::ONE_HUNDRED).round_dp(2);
                s.rescale(2);
                s
            })
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
        for a in outs {
            let x = total_to(a)?;
            outflows = outflows.add(x, what)?;
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
        Ok(Trace {
            scope,
            lines,
            sources,
            uses,
            postings: with_postings.then(|| selected.into_iter().cloned().collect()),
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

    fn grid(&self) -> Grid {
        let mut g = Grid::new(["section", "account", "USD", "% of gross"], 2);
        for l in &self.lines {
            g.push([
                l.section.to_string(),
                l.account.clone(),
                display(l.amount, 2),
                l.share_pct.map(|s| format!("{s}%")).unwrap_or_default(),
            ]);
        }
        g
    }

    fn postings_grid(&self, model: &Model, postings: &[Posting]) -> Grid {
        let mut g = Grid::new(["month", "step", "from", "to", "USD"], 4);
        g.left = 4;
        for x in postings {
            g.push([
                model.timeline.months[x.month].month.to_string(),
                x.step.to_string(),
                account_name(&model.base, x.from),
                account_name(&model.base, x.to),
                display(x.amount, 2),
            ]);
        }
        g
    }

    pub fn write(&self, model: &Model, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table | Format::Md => {
                let md = format == Format::Md;
                let grid = |g: Grid, out: &mut dyn Write| if md { g.markdown(out) } else { g.table(out) };
                writeln!(
                    out,
                    "{}Where the dollars went: {} ({})\n",
                    if md { "## " } else { "" },
                    model.name,
                    self.scope
                )?;
                grid(self.grid(), out)?;
                writeln!(out, "\n{}", self.check_line())?;
                if let Some(postings) = &self.postings {
                    writeln!(
                        out,
                        "\n{}Postings ({})\n",
                        if md { "## " } else { "" },
                        postings.len()
                    )?;
                    grid(self.postings_grid(model, postings), out)?;
                }
                Ok(())
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                match &self.postings {
                    Some(postings) => {
                        w.write_record(["month", "step", "from", "to", "amount"])?;
                        for x in postings {
                            w.write_record([
                                model.timeline.months[x.month].month.to_string(),
                                x.step.number().to_string(),
                                account_name(&model.base, x.from),
                                account_name(&model.base, x.to),
                                x.amount.to_string(),
                            ])?;
                        }
                    }
                    None => {
                        w.write_record(["section", "account", "amount", "share_of_gross_pct"])?;
                        for l in &self.lines {
                            w.write_record([
                                l.section.to_string(),
                                l.account.clone(),
                                l.amount.to_string(),
                                l.share_pct.map(|s| s.to_string()).unwrap_or_default(),
                            ])?;
                        }
                    }
                }
                w.flush()
            }
            Format::Json => {
                let v = self.json(model);
                serde_json::to_writer_pretty(&mut *out, &v)?;
                writeln!(out)
            }
        }
    }

    fn json(&self, model: &Model) -> Value {
        json!({
            "model": model_json(model),
            "scope": self.scope,
            "lines": self.lines.iter().map(|l| json!({
                "section": l.section,
                "account": l.account,
                "amount": l.amount.to_string(),
                "share_of_gross_pct": l.share_pct.map(|s| s.to_string()),
            })).collect::<Vec<_>>(),
            "conservation": {
                "sources": self.sources.to_string(),
                "uses": self.uses.to_string(),
                "holds": self.sources == self.uses,
            },
            "postings": self.postings.as_ref().map(|ps| ps.iter().map(|x| json!({
                "month": model.timeline.months[x.month].month.to_string(),
                "step": x.step.number(),
                "from": account_name(&model.base, x.from),
                "to": account_name(&model.base, x.to),
                "amount": x.amount.to_string(),
            })).collect::<Vec<_>>()),
        })
    }
}
