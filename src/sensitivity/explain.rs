//! `explain`: where a number comes from. For one metric in one month it
//! lays out the chain of MODEL.md §5 steps that produce it, each quantity
//! with its formula, the numbers that went in and the result (the
//! engine's own intermediate values), and every assumption used with its
//! `FILE:LINE` and the `[[changes]]` entry in force that month. For a
//! summary it first says how the months aggregate, then shows the chain
//! for the month that matters most (the peak, or the month an aggregate
//! such as `:min` or `:last` picks).

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{metric_name, overflow};
use crate::calendar::YearMonth;
use crate::engine::{MonthValues, Run};
use crate::error::Error;
use crate::metrics::{Agg, Core, MetricId, MetricRef};
use crate::model::{Model, ParamId, Params};
use crate::number::{clean, round2};
use crate::render::{thousands, Format, Grid};
use crate::report::run::model_json;

/// One computed quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    /// In symbols: `round2(rate × gross)`.
    pub formula: String,
    /// With this month's numbers: `round2(0.05 × 2,480,000.00)`.
    pub numbers: String,
    pub value: Decimal,
    /// The metric this line is, when it is one (`parallel_rate`, `revenue_usd[China]`).
    pub metric: Option<String>,
}

/// An assumption a step uses, as in force in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Used {
    pub path: String,
    pub value: Decimal,
    pub unit: &'static str,
    /// `FILE:LINE`, `--set`, or that it is a default.
    pub location: String,
    /// The `[[changes]]` entry in force, when one is.
    pub change: Option<String>,
}

/// One step of MODEL.md §5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: u8,
    pub title: &'static str,
    pub lines: Vec<Line>,
    pub used: Vec<Used>,
}

/// How a summary comes from the months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregation {
    /// In words: "the mean of the 14 monthly values, rounded to 4 places".
    pub how: String,
    pub months: Vec<(YearMonth, Decimal)>,
}

/// The whole explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The reference as written (`parallel_rate:max`).
    pub metric: String,
    /// The metric itself, as the lines name it (`parallel_rate`).
    pub name: String,
    pub value: Decimal,
    pub unit: &'static str,
    pub aggregation: Option<Aggregation>,
    pub month: YearMonth,
    /// Why this month is shown.
    pub month_reason: String,
    pub steps: Vec<Step>,
}

/// The last step a metric needs.
fn last_step(id: MetricId) -> u8 {
    use Core::*;
    match id {
        MetricId::Core(GrossRevenue) | MetricId::Revenue(_) => 1,
        MetricId::Core(Deductions | NetRevenue) | MetricId::Deduction(_) => 2,
        MetricId::Core(Payments) | MetricId::Payment(_) => 3,
        MetricId::Core(Arrears | CashShipped | Flights | AirliftCost) => 4,
        MetricId::Core(Requests | WiresRejected) => 5,
        MetricId::Core(
            CashSold | WiresSent | Unmet | DinarsAbsorbed | CustodyBalance | VaultBalance | OfficialRate,
        ) => 6,
        MetricId::Core(ParallelRate | PremiumPct) => 7,
        MetricId::Core(EffectiveRate) => 8,
        MetricId::Core(CpiImpactPct) | MetricId::PriceImpact(_) => 9,
    }
}

/// Explains `metric` in `run` of `model`.
pub fn explain(model: &Model, run: &Run, metric: &MetricRef) -> Result<Explanation, Error> {
    let value = metric
        .evaluate(run)
        .map_err(|e| Error::Engine(overflow(model, e)))?;
    let series = metric.id.series(run);
    let months: Vec<YearMonth> = model.timeline.months.iter().map(|m| m.month).collect();
    let (index, aggregation, reason) = match metric.month {
        Some(m) => (
            model.timeline.index_of(m).unwrap_or(0),
            None,
            "the month asked for".to_string(),
        ),
        None => {
            let n = series.len();
            let (how, index, reason) = match metric.agg {
                Agg::Sum => (
                    format!("the sum of the {n} monthly values"),
                    peak(&series),
                    "the largest month",
                ),
                Agg::Mean => (
                    format!("the mean of the {n} monthly values, rounded to 4 places (round4)"),
                    peak(&series),
                    "the largest month",
                ),
                Agg::Max => (
                    format!("the largest of the {n} monthly values"),
                    peak(&series),
                    "the month of the largest value",
                ),
                Agg::Min => (
                    format!("the smallest of the {n} monthly values"),
                    trough(&series),
                    "the month of the smallest value",
                ),
                Agg::First => ("the value in the first month".to_string(), 0, "the first month"),
                Agg::Last => (
                    "the value in the last month".to_string(),
                    n.saturating_sub(1),
                    "the last month",
                ),
            };
            (
                index,
                Some(Aggregation {
                    how,
                    months: months
                        .iter()
                        .copied()
                        .zip(series.iter().map(|x| clean(*x)))
                        .collect(),
                }),
                reason.to_string(),
            )
        }
    };
    let schedule = model.schedule();
    let chain = Chain {
        model,
        run,
        i: index,
        p: &schedule[index],
        v: &run.months[index],
    };
    let steps = (1..=last_step(metric.id)).map(|s| chain.step(s)).collect();
    Ok(Explanation {
        metric: metric_name(model, metric),
        name: metric.id.name(&model.base),
        value: clean(value),
        unit: metric.id.unit(),
        aggregation,
        month: months[index],
        month_reason: reason,
        steps,
    })
}

fn peak(xs: &[Decimal]) -> usize {
    (0..xs.len()).fold(0, |best, i| if xs[i] > xs[best] { i } else { best })
}

fn trough(xs: &[Decimal]) -> usize {
    (0..xs.len()).fold(0, |best, i| if xs[i] < xs[best] { i } else { best })
}

fn n(x: Decimal) -> String {
    thousands(clean(x))
}

/// One month of a run and what it needs to be laid out.
struct Chain<'a> {
    model: &'a Model,
    run: &'a Run,
    i: usize,
    p: &'a Params,
    v: &'a MonthValues,
}

impl Chain<'_> {
    fn line(&self, name: impl Into<String>, formula: &str, numbers: String, value: Decimal) -> Line {
        Line {
            name: name.into(),
            formula: formula.to_string(),
            numbers,
            value: clean(value),
            metric: None,
        }
    }

    fn used(&self, id: ParamId) -> Used {
        let m = self.model;
        let param = self.p.param(id);
        let month = m.timeline.months[self.i].month;
        let location = if param.origin.from_command_line {
            "--set".to_string()
        } else {
            match &param.origin.span {
                Some(s) => m.file.location(s),
                None => "default (not in the file)".to_string(),
            }
        };
        let change = m.changes_of(id).filter(|c| c.month <= month).last().map(|c| {
            let mut s = format!("[[changes]] from {}", c.month);
            if let Some(why) = c.note.as_ref().or(c.source.as_ref()) {
                s.push_str(&format!(": {why}"));
            }
            s
        });
        Used {
            path: m.base.path(id),
            value: clean(param.value),
            unit: id.spec().unit,
            location,
            change,
        }
    }

    /// Custody and vault at the start of the month.
    fn opening(&self) -> (Decimal, Decimal) {
        if self.i == 0 {
            (self.run.ledger.custody_opening, self.run.ledger.vault_opening)
        } else {
            let prev = &self.run.months[self.i - 1];
            (prev.custody_closing, prev.vault_closing)
        }
    }

    fn step(&self, number: u8) -> Step {
        let (title, lines, used) = match number {
            1 => self.revenue(),
            2 => self.deductions(),
            3 => self.payments(),
            4 => self.airlift(),
            5 => self.requests(),
            6 => self.settlement(),
            7 => self.parallel(),
            8 => self.effective(),
            _ => self.prices(),
        };
        Step {
            number,
            title,
            lines,
            used: used.into_iter().map(|id| self.used(id)).collect(),
        }
    }

    fn revenue(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let mut lines = Vec::new();
        let mut used = vec![ParamId::VolumeBpd, ParamId::Price];
        for (b, buyer) in p.exports.buyers.iter().enumerate() {
            lines.push(Line {
                metric: Some(MetricId::Revenue(b).name(p)),
                ..self.line(
                    format!("gross[{}]", buyer.name),
                    "round2(volume_bpd × days × share × (price + offset))",
                    format!(
                        "round2({} × {} × {} × ({} + {}))",
                        n(p.exports.volume_bpd.value),
                        v.days,
                        n(buyer.share.value),
                        n(p.exports.price.value),
                        n(buyer.price_offset.value)
                    ),
                    v.gross_by_buyer[b],
                )
            });
            used.extend([ParamId::BuyerShare(b), ParamId::BuyerOffset(b)]);
        }
        lines.push(Line {
            metric: Some(Core::GrossRevenue.name().into()),
            ..self.line("gross", "Σ gross[buyer]", sum(&v.gross_by_buyer), v.gross)
        });
        ("Revenue: each buyer pays into custody", lines, used)
    }

    fn deductions(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let mut lines = Vec::new();
        for (k, d) in p.deductions.iter().enumerate() {
            lines.push(Line {
                metric: Some(MetricId::Deduction(k).name(p)),
                ..self.line(
                    format!("deduction[{}]", d.name),
                    "round2(rate × gross)",
                    format!("round2({} × {})", n(d.rate.value), n(v.gross)),
                    v.deduction_by[k],
                )
            });
        }
        lines.push(Line {
            metric: Some(Core::Deductions.name().into()),
            ..self.line("deductions", "Σ deduction", sum(&v.deduction_by), v.deductions)
        });
        lines.push(Line {
            metric: Some(Core::NetRevenue.name().into()),
            ..self.line(
                "net",
                "gross − deductions",
                format!("{} − {}", n(v.gross), n(v.deductions)),
                v.net,
            )
        });
        let used = (0..p.deductions.len()).map(ParamId::DeductionRate).collect();
        ("Deductions taken off gross revenue", lines, used)
    }

    /// Custody available for the payments: opening balance plus net revenue.
    fn available_for_payments(&self) -> Decimal {
        self.opening().0 + self.v.net
    }

    fn payments(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let (open, _) = self.opening();
        let mut used = Vec::new();
        let opening_formula = if self.i == 0 {
            used.push(ParamId::OpeningBalance);
            "custody.opening_balance_usd + net"
        } else {
            "custody at the end of last month + net"
        };
        let mut avail = self.available_for_payments();
        let mut lines = vec![self.line(
            "available",
            opening_formula,
            format!("{} + {}", n(open), n(v.net)),
            avail,
        )];
        for (k, pay) in p.custody.payments.iter().enumerate() {
            let paid = v.paid_by[k];
            lines.push(Line {
                metric: Some(MetricId::Payment(k).name(p)),
                ..self.line(
                    format!("paid[{}]", pay.name),
                    "min(usd_per_month, available)",
                    format!("min({}, {})", n(pay.usd_per_month.value), n(avail)),
                    paid,
                )
            });
            avail -= paid;
            used.push(ParamId::PaymentUsd(k));
        }
        lines.push(Line {
            metric: Some(Core::Payments.name().into()),
            ..self.line("payments", "Σ paid", sum(&v.paid_by), v.payments)
        });
        ("Government payments out of custody", lines, used)
    }

    fn airlift(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let a = &p.airlift;
        let avail = self.available_for_payments() - v.payments;
        let per_flight = a.transport_per_flight.value + a.security_per_flight.value;
        let insurance = round2(a.insurance_rate.value * v.airlift.shipped);
        let unpaid_payments: Decimal = p
            .custody
            .payments
            .iter()
            .zip(&v.paid_by)
            .map(|(x, paid)| x.usd_per_month.value - paid)
            .sum();
        let mut lines = vec![
            self.line("available", "custody after payments", n(avail), avail),
            Line {
                metric: Some(Core::CashShipped.name().into()),
                ..self.line(
                    "shipped",
                    "min(cash_usd_per_month, available)",
                    format!("min({}, {})", n(a.cash_per_month.value), n(avail)),
                    v.airlift.shipped,
                )
            },
            Line {
                metric: Some(Core::Flights.name().into()),
                ..self.line(
                    "flights",
                    "ceil(shipped / plane_capacity_usd)",
                    format!("ceil({} / {})", n(v.airlift.shipped), n(a.plane_capacity.value)),
                    v.airlift.flights,
                )
            },
            self.line(
                "cost",
                "flights × (transport + security) + round2(insurance_rate × shipped)",
                format!(
                    "{} × ({} + {}) + round2({} × {}) = {} + {}",
                    n(v.airlift.flights),
                    n(a.transport_per_flight.value),
                    n(a.security_per_flight.value),
                    n(a.insurance_rate.value),
                    n(v.airlift.shipped),
                    n(v.airlift.flights * per_flight),
                    n(insurance)
                ),
                v.airlift.cost,
            ),
            Line {
                metric: Some(Core::AirliftCost.name().into()),
                ..self.line(
                    "cost_paid",
                    "min(cost, available − shipped)",
                    format!("min({}, {})", n(v.airlift.cost), n(avail - v.airlift.shipped)),
                    v.airlift_cost_paid,
                )
            },
            Line {
                metric: Some(Core::Arrears.name().into()),
                ..self.line(
                    "arrears",
                    "unpaid payments + (cost − cost_paid)",
                    format!(
                        "{} + ({} − {})",
                        n(unpaid_payments),
                        n(v.airlift.cost),
                        n(v.airlift_cost_paid)
                    ),
                    v.arrears,
                )
            },
        ];
        let mut used = vec![
            ParamId::CashPerMonth,
            ParamId::PlaneCapacity,
            ParamId::TransportPerFlight,
            ParamId::SecurityPerFlight,
            ParamId::InsuranceRate,
        ];
        if self.i == 0 {
            used.push(ParamId::VaultOpening);
        }
        let (_, vault) = self.opening();
        lines.push(self.line(
            "vault",
            if self.i == 0 {
                "airlift.vault_opening_usd + shipped"
            } else {
                "vault at the end of last month + shipped"
            },
            format!("{} + {}", n(vault), n(v.airlift.shipped)),
            vault + v.airlift.shipped,
        ));
        ("Airlift: banknotes flown to the vault in Baghdad", lines, used)
    }

    fn requests(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let a = &p.auction;
        let r = &v.requests;
        let mut lines = vec![
            self.line(
                "sessions",
                "days of the month not on the auction weekend or a holiday",
                format!(
                    "{} days − {} weekend days and holidays",
                    v.days,
                    v.days - v.sessions
                ),
                Decimal::from(v.sessions),
            ),
            Line {
                metric: Some(Core::Requests.name().into()),
                ..self.line(
                    "requests",
                    "requests_usd_per_day × sessions",
                    format!("{} × {}", n(a.requests_per_day.value), v.sessions),
                    r.requests,
                )
            },
            self.line(
                "cash_req",
                "round2(cash_share × requests)",
                format!("round2({} × {})", n(a.cash_share.value), n(r.requests)),
                r.cash_req,
            ),
            self.line(
                "wires_req",
                "requests − cash_req",
                format!("{} − {}", n(r.requests), n(r.cash_req)),
                r.wires_req,
            ),
        ];
        let mut used = vec![
            ParamId::RequestsPerDay,
            ParamId::CashShare,
            ParamId::RejectionRate,
        ];
        if a.banks.is_empty() {
            lines.push(Line {
                metric: Some(Core::WiresRejected.name().into()),
                ..self.line(
                    "rejected",
                    "round2(rejection_rate × wires_req)",
                    format!("round2({} × {})", n(a.rejection_rate.value), n(r.wires_req)),
                    r.rejected,
                )
            });
        } else {
            let mut parts = Vec::new();
            for (k, bank) in a.banks.iter().enumerate() {
                let rate = p.get(ParamId::BankRejectionRate(k));
                let req = round2(bank.share.value * r.wires_req);
                let rejected = round2(rate * req);
                lines.push(self.line(
                    format!("rejected[{}]", bank.name),
                    "round2(rejection_rate × round2(share × wires_req))",
                    format!(
                        "round2({} × round2({} × {}))",
                        n(rate),
                        n(bank.share.value),
                        n(r.wires_req)
                    ),
                    rejected,
                ));
                parts.push(rejected);
                used.extend([ParamId::BankShare(k), ParamId::BankRejectionRate(k)]);
            }
            lines.push(Line {
                metric: Some(Core::WiresRejected.name().into()),
                ..self.line("rejected", "Σ rejected[bank]", sum(&parts), r.rejected)
            });
        }
        lines.push(self.line(
            "approved_req",
            "wires_req − rejected",
            format!("{} − {}", n(r.wires_req), n(r.rejected)),
            r.approved_req,
        ));
        (
            "Auction requests, screened by the compliance platform",
            lines,
            used,
        )
    }

    fn settlement(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let v = self.v;
        let (r, s) = (&v.requests, &v.settlement);
        let (_, vault_open) = self.opening();
        let vault = vault_open + v.airlift.shipped;
        let avail = self.available_for_payments() - v.payments - v.airlift.shipped - v.airlift_cost_paid;
        let lines = vec![
            Line {
                metric: Some(Core::CashSold.name().into()),
                ..self.line(
                    "cash_sold",
                    "min(cash_req, vault)",
                    format!("min({}, {})", n(r.cash_req), n(vault)),
                    s.cash_sold,
                )
            },
            self.line("available", "custody after payments and airlift", n(avail), avail),
            Line {
                metric: Some(Core::WiresSent.name().into()),
                ..self.line(
                    "wires_sent",
                    "min(approved_req, available)",
                    format!("min({}, {})", n(r.approved_req), n(avail)),
                    s.wires_sent,
                )
            },
            Line {
                metric: Some(Core::Unmet.name().into()),
                ..self.line(
                    "unmet",
                    "rejected + (cash_req − cash_sold) + (approved_req − wires_sent)",
                    format!(
                        "{} + ({} − {}) + ({} − {})",
                        n(r.rejected),
                        n(r.cash_req),
                        n(s.cash_sold),
                        n(r.approved_req),
                        n(s.wires_sent)
                    ),
                    s.unmet,
                )
            },
            Line {
                metric: Some(Core::OfficialRate.name().into()),
                ..self.line(
                    "official_rate",
                    "auction.official_rate_iqd_per_usd",
                    n(v.official_rate),
                    v.official_rate,
                )
            },
            Line {
                metric: Some(Core::DinarsAbsorbed.name().into()),
                ..self.line(
                    "dinars_absorbed",
                    "round2((cash_sold + wires_sent) × official_rate)",
                    format!(
                        "round2(({} + {}) × {})",
                        n(s.cash_sold),
                        n(s.wires_sent),
                        n(v.official_rate)
                    ),
                    s.dinars_absorbed,
                )
            },
            Line {
                metric: Some(Core::CustodyBalance.name().into()),
                ..self.line(
                    "custody_closing",
                    "available − wires_sent",
                    format!("{} − {}", n(avail), n(s.wires_sent)),
                    v.custody_closing,
                )
            },
            Line {
                metric: Some(Core::VaultBalance.name().into()),
                ..self.line(
                    "vault_closing",
                    "vault − cash_sold",
                    format!("{} − {}", n(vault), n(s.cash_sold)),
                    v.vault_closing,
                )
            },
        ];
        (
            "Settlement from the vault and custody",
            lines,
            vec![ParamId::OfficialRate],
        )
    }

    fn parallel(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let m = &p.parallel;
        let x = &v.parallel;
        let lines = vec![
            self.line(
                "u",
                "unmet / sessions (0 without sessions)",
                format!("{} / {}", n(v.settlement.unmet), v.sessions),
                x.unmet_per_session,
            ),
            self.line(
                "D",
                "baseline_turnover + spillover_share × (u − baseline_unmet)",
                format!(
                    "{} + {} × ({} − {})",
                    n(m.baseline_turnover.value),
                    n(m.spillover_share.value),
                    n(x.unmet_per_session),
                    n(m.baseline_unmet.value)
                ),
                x.demand,
            ),
            Line {
                metric: Some(Core::ParallelRate.name().into()),
                ..self.line(
                    "parallel",
                    "max(round4(baseline_rate × (D / baseline_turnover)^(1 / (demand_elasticity + supply_elasticity))), official_rate); official_rate when D <= 0",
                    format!(
                        "max(round4({} × ({} / {})^(1 / ({} + {}))), {})",
                        n(m.baseline_rate.value),
                        n(x.demand),
                        n(m.baseline_turnover.value),
                        n(m.demand_elasticity.value),
                        n(m.supply_elasticity.value),
                        n(v.official_rate)
                    ),
                    x.rate,
                )
            },
            Line {
                metric: Some(Core::PremiumPct.name().into()),
                ..self.line(
                    "premium_pct",
                    "round4(100 × (parallel / official_rate − 1))",
                    format!("round4(100 × ({} / {} − 1))", n(x.rate), n(v.official_rate)),
                    x.premium_pct,
                )
            },
        ];
        let used = vec![
            ParamId::BaselineRate,
            ParamId::BaselineTurnover,
            ParamId::BaselineUnmet,
            ParamId::SpilloverShare,
            ParamId::DemandElasticity,
            ParamId::SupplyElasticity,
        ];
        (
            "Parallel market: unmet demand raises the street rate",
            lines,
            used,
        )
    }

    fn effective(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let s = &v.settlement;
        let v_off = s.cash_sold + s.wires_sent;
        let v_par = p.parallel.spillover_share.value * s.unmet;
        let lines = vec![
            self.line(
                "v_off",
                "cash_sold + wires_sent",
                format!("{} + {}", n(s.cash_sold), n(s.wires_sent)),
                v_off,
            ),
            self.line(
                "v_par",
                "spillover_share × unmet",
                format!("{} × {}", n(p.parallel.spillover_share.value), n(s.unmet)),
                v_par,
            ),
            Line {
                metric: Some(Core::EffectiveRate.name().into()),
                ..self.line(
                    "effective",
                    "round4((official_rate × v_off + parallel × v_par) / (v_off + v_par)); official_rate when both are 0",
                    format!(
                        "round4(({} × {} + {} × {}) / ({} + {}))",
                        n(v.official_rate),
                        n(v_off),
                        n(v.parallel.rate),
                        n(v_par),
                        n(v_off),
                        n(v_par)
                    ),
                    v.effective_rate,
                )
            },
        ];
        ("Effective import rate", lines, vec![ParamId::SpilloverShare])
    }

    fn prices(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
        let (p, v) = (self.p, self.v);
        let reference = p.prices.reference_rate.value;
        let de = v.effective_rate / reference - Decimal::ONE;
        let mut lines = vec![self.line(
            "de",
            "effective / reference_rate − 1 (not rounded; shown to 8 places)",
            format!("{} / {} − 1", n(v.effective_rate), n(reference)),
            de.round_dp(8),
        )];
        let mut used = vec![ParamId::ReferenceRate];
        let mut terms = Vec::new();
        for (k, item) in p.prices.basket.iter().enumerate() {
            lines.push(Line {
                metric: Some(MetricId::PriceImpact(k).name(p)),
                ..self.line(
                    format!("price_impact[{}]", item.name),
                    "round4(100 × import_content × pass_through × de)",
                    format!(
                        "round4(100 × {} × {} × de)",
                        n(item.import_content.value),
                        n(item.pass_through.value)
                    ),
                    v.prices.items[k],
                )
            });
            terms.push(format!(
                "{} × {} × {}",
                n(item.weight.value),
                n(item.import_content.value),
                n(item.pass_through.value)
            ));
            used.extend([
                ParamId::ItemWeight(k),
                ParamId::ItemImportContent(k),
                ParamId::ItemPassThrough(k),
            ]);
        }
        lines.push(Line {
            metric: Some(Core::CpiImpactPct.name().into()),
            ..self.line(
                "cpi_impact_pct",
                "round4(100 × Σ weight × import_content × pass_through × de)",
                format!("round4(100 × ({}) × de)", terms.join(" + ")),
                v.prices.cpi,
            )
        });
        (
            "Prices: the effective rate passes through to the CPI basket",
            lines,
            used,
        )
    }
}

fn sum(xs: &[Decimal]) -> String {
    if xs.is_empty() {
        return "nothing".into();
    }
    xs.iter().map(|x| n(*x)).collect::<Vec<_>>().join(" + ")
}

impl Explanation {
    pub fn write(&self, model: &Model, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table | Format::Md => self.text(model, format == Format::Md, out),
            Format::Csv => self.csv(out),
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.json(model))?;
                writeln!(out)
            }
        }
    }

    fn text(&self, model: &Model, md: bool, out: &mut dyn Write) -> io::Result<()> {
        let (h1, h2) = if md { ("# ", "## ") } else { ("", "") };
        writeln!(out, "{h1}{} = {} {}", self.metric, n(self.value), self.unit)?;
        writeln!(out, "{}\n", model.name)?;
        if let Some(a) = &self.aggregation {
            writeln!(out, "{} is {}:\n", self.metric, a.how)?;
            let mut g = Grid::new(["month", "value"], 1);
            for (m, x) in &a.months {
                g.push([m.to_string(), n(*x)]);
            }
            if md {
                g.markdown(out)?;
            } else {
                g.table(out)?;
            }
            writeln!(out, "\nThe chain for {}, {}:", self.month, self.month_reason)?;
        } else {
            writeln!(out, "The chain for {}:", self.month)?;
        }
        for s in &self.steps {
            writeln!(out, "\n{h2}Step {}. {}\n", s.number, s.title)?;
            if md {
                writeln!(out, "```text")?;
            }
            let width = s.lines.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
            for l in &s.lines {
                let mark = if l.metric.as_ref() == Some(&self.name) {
                    format!("   <- {}", self.metric)
                } else {
                    String::new()
                };
                writeln!(out, "  {:<width$} = {}", l.name, l.formula)?;
                if l.numbers == n(l.value) {
                    writeln!(out, "  {:<width$} = {}{mark}", "", l.numbers)?;
                } else {
                    writeln!(out, "  {:<width$} = {} = {}{mark}", "", l.numbers, n(l.value))?;
                }
            }
            if md {
                writeln!(out, "```")?;
            }
            if !s.used.is_empty() {
                writeln!(out)?;
                let mut g = Grid::new(["assumption", "where", "value", "in force"], 2).wrap(3, 60);
                for u in &s.used {
                    g.push([
                        u.path.clone(),
                        u.location.clone(),
                        format!("{} {}", n(u.value), u.unit),
                        u.change.clone().unwrap_or_else(|| "base value".into()),
                    ]);
                }
                if md {
                    g.markdown(out)?;
                } else {
                    g.table(out)?;
                }
            }
        }
        Ok(())
    }

    /// `step,kind,name,value,detail`: the monthly values of a summary
    /// (step `summary`), each computed quantity (kind `value`, detail the
    /// formula with its numbers) and each assumption (kind `assumption`,
    /// detail where it is and the change in force).
    pub fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["step", "kind", "name", "value", "detail"])?;
        if let Some(a) = &self.aggregation {
            w.write_record(["summary", "result", &self.metric, &self.value.to_string(), &a.how])?;
            for (m, x) in &a.months {
                w.write_record(["summary", "month", &m.to_string(), &x.to_string(), ""])?;
            }
        }
        for s in &self.steps {
            let step = s.number.to_string();
            for l in &s.lines {
                w.write_record([
                    step.as_str(),
                    "value",
                    &l.name,
                    &l.value.to_string(),
                    &format!("{} = {}", l.formula, l.numbers),
                ])?;
            }
            for u in &s.used {
                let mut detail = u.location.clone();
                if let Some(c) = &u.change {
                    detail.push_str(&format!("; {c}"));
                }
                w.write_record([
                    step.as_str(),
                    "assumption",
                    &u.path,
                    &u.value.to_string(),
                    &detail,
                ])?;
            }
        }
        w.flush()
    }

    pub fn json(&self, model: &Model) -> Value {
        json!({
            "model": model_json(model),
            "metric": self.metric,
            "value": self.value.to_string(),
            "unit": self.unit,
            "aggregation": self.aggregation.as_ref().map(|a| json!({
                "how": a.how,
                "months": a.months.iter().map(|(m, x)| json!({"month": m.to_string(), "value": x.to_string()})).collect::<Vec<_>>(),
            })),
            "month": self.month.to_string(),
            "month_reason": self.month_reason,
            "steps": self.steps.iter().map(|s| json!({
                "step": s.number,
                "title": s.title,
                "values": s.lines.iter().map(|l| json!({
                    "name": l.name,
                    "formula": l.formula,
                    "numbers": l.numbers,
                    "value": l.value.to_string(),
                    "metric": l.metric,
                })).collect::<Vec<_>>(),
                "assumptions": s.used.iter().map(|u| json!({
                    "path": u.path,
                    "value": u.value.to_string(),
                    "unit": u.unit,
                    "location": u.location,
                    "change": u.change,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::engine::testing::{d, model};
    use crate::sensitivity::parse_metric;

    fn explained(metric: &str) -> Explanation {
        let m = model();
        let run = engine::run(&m).unwrap();
        explain(&m, &run, &parse_metric(&m, metric).unwrap()).unwrap()
    }

    fn line<'a>(e: &'a Explanation, step: u8, name: &str) -> &'a Line {
        let s = e.steps.iter().find(|s| s.number == step).unwrap();
        s.lines.iter().find(|l| l.name == name).unwrap()
    }

    #[test]
    fn the_parallel_rate_in_january_step_by_step() {
        let e = explained("parallel_rate@2023-01");
        assert_eq!(e.value, d("1745.3251"));
        assert_eq!(e.steps.len(), 7);
        // The hand-checked chain of fixtures/small.toml (tests/golden.rs).
        assert_eq!(line(&e, 1, "gross").value, d("2480000.00"));
        assert_eq!(line(&e, 2, "net").value, d("2356000.00"));
        // 1,000,000 + 2,356,000 before the payment of 500,000.
        assert_eq!(line(&e, 3, "available").value, d("3356000.00"));
        assert_eq!(line(&e, 4, "flights").value, d("3"));
        assert_eq!(line(&e, 4, "cost").value, d("5700.00"));
        assert_eq!(line(&e, 5, "rejected").value, d("1472000.00"));
        assert_eq!(line(&e, 6, "unmet").value, d("1472000.00"));
        assert_eq!(line(&e, 7, "u").value, d("64000"));
        assert_eq!(line(&e, 7, "D").value, d("82000"));
        assert_eq!(
            line(&e, 7, "parallel").numbers,
            "max(round4(1,480 × (82,000.000 / 50,000)^(1 / (2 + 1))), 1,460)"
        );
        let used = &e.steps[6].used;
        let rate = used
            .iter()
            .find(|u| u.path == "parallel_market.baseline_rate_iqd_per_usd")
            .unwrap();
        assert_eq!(rate.location, "fixtures/small.toml:48");
        assert_eq!(rate.change, None);
    }

    #[test]
    fn a_change_in_force_is_named() {
        let e = explained("premium_pct@2023-02");
        let official = e.steps[5]
            .used
            .iter()
            .find(|u| u.path == "auction.official_rate_iqd_per_usd")
            .unwrap();
        assert_eq!(official.value, d("1310"));
        assert_eq!(official.location, "fixtures/small.toml:71");
        assert_eq!(
            official.change.as_deref(),
            Some("[[changes]] from 2023-02: revaluation and easier screening")
        );
        // In February custody opens at January's close, 1,282,300.
        assert_eq!(line(&e, 3, "available").numbers, "1,282,300.00 + 2,128,000.00");
    }

    #[test]
    fn a_summary_says_how_months_aggregate_and_shows_the_peak() {
        let e = explained("parallel_rate");
        let a = e.aggregation.as_ref().unwrap();
        assert_eq!(
            a.how,
            "the mean of the 2 monthly values, rounded to 4 places (round4)"
        );
        assert_eq!(a.months.len(), 2);
        assert_eq!(e.month.to_string(), "2023-01");
        assert_eq!(e.value, d("1700.4924"));
        let e = explained("cpi_impact_pct:min");
        assert_eq!(e.month.to_string(), "2023-02");
        assert_eq!(e.steps.len(), 9);
        let e = explained("custody_balance_usd");
        assert_eq!(e.month_reason, "the last month");
        assert_eq!(line(&e, 6, "custody_closing").value, d("904600.00"));
    }

    #[test]
    fn renders_in_every_format() {
        let m = model();
        let e = explained("price_impact_pct[Food]@2023-01");
        let mut t = Vec::new();
        e.write(&m, Format::Table, &mut t).unwrap();
        let t = String::from_utf8(t).unwrap();
        assert!(t.contains("= 2.5361   <- price_impact_pct[Food]@2023-01"), "{t}");
        let mut c = Vec::new();
        e.write(&m, Format::Csv, &mut c).unwrap();
        let c = String::from_utf8(c).unwrap();
        assert!(
            c.starts_with("step,kind,name,value,detail\n1,value,gross[China],744000.00,"),
            "{c}"
        );
        assert!(
            c.contains("9,assumption,prices.basket[Food].pass_through,0.6,fixtures/small.toml:"),
            "{c}"
        );
        let j = e.json(&m);
        assert_eq!(j["steps"][8]["values"][1]["value"], "2.5361");
    }
}
