//! The chain of MODEL.md steps behind one month's number: each step's
//! formula, its intermediate values and the assumptions it uses.

use super::*;
use crate::engine::{MonthValues, Run};
use crate::metrics::{Core, MetricId};
use crate::model::{Model, ParamId, Params};
use crate::number::{clean, round2};
use rust_decimal::Decimal;

pub(super) struct Chain<'a> {
    pub(super) model: &'a Model,
    pub(super) run: &'a Run,
    pub(super) i: usize,
    pub(super) p: &'a Params,
    pub(super) v: &'a MonthValues,
}

impl Chain<'_> {
    pub(super) fn line(
        &self,
        name: impl Into<String>,
        formula: &str,
        numbers: String,
        value: Decimal,
    ) -> Line {
        Line {
            name: name.into(),
            formula: formula.to_string(),
            numbers,
            value: clean(value),
            metric: None,
        }
    }

    pub(super) fn used(&self, id: ParamId) -> Used {
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
    pub(super) fn opening(&self) -> (Decimal, Decimal) {
        if self.i == 0 {
            (self.run.ledger.custody_opening, self.run.ledger.vault_opening)
        } else {
            let prev = &self.run.months[self.i - 1];
            (prev.custody_closing, prev.vault_closing)
        }
    }

    pub(super) fn step(&self, number: u8) -> Step {
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

    pub(super) fn revenue(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn deductions(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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
    pub(super) fn available_for_payments(&self) -> Decimal {
        self.opening().0 + self.v.net
    }

    pub(super) fn payments(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn airlift(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn requests(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn settlement(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn parallel(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn effective(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

    pub(super) fn prices(&self) -> (&'static str, Vec<Line>, Vec<ParamId>) {
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

pub(super) fn sum(xs: &[Decimal]) -> String {
    if xs.is_empty() {
        return "nothing".into();
    }
    xs.iter().map(|x| n(*x)).collect::<Vec<_>>().join(" + ")
}
