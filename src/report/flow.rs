//! The dollars of a trace by kind, and the flow diagram they make: buyers
//! and opening balances into the custody account at the New York Fed;
//! out of it the deductions, government payments, airlift costs, wire
//! transfers sold and banknotes flown to the vault in Baghdad; from wires
//! and vault the auction's sales to banks; the demand the auction did not
//! meet (rejected wires among it) going to the parallel market; and the
//! closing balances. Amounts are those of the trace, in prose rounding.

use rust_decimal::Decimal;

use crate::num::decimal::to_f64;
use crate::render::chart::{Flow, Link, Node, Panel, Plot};
use crate::render::display;
use crate::render::svg::style::usd;

/// Amounts over the trace's period, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flows {
    /// The custody account's name in the model (`custody.name`), if it has one.
    pub custody_name: Option<String>,
    /// Each oil buyer's payments into custody, in USD (gross revenue by buyer, step 1).
    pub buyers: Vec<(String, Decimal)>,
    /// Custody and vault.
    pub opening: (Decimal, Decimal),
    /// Custody and vault balances at the end of the period, in USD.
    pub closing: (Decimal, Decimal),
    /// Each deduction taken off the top of revenue, in USD (step 2).
    pub deductions: Vec<(String, Decimal)>,
    /// Each government payment abroad out of custody, in USD (step 3).
    pub payments: Vec<(String, Decimal)>,
    /// Transport, security and insurance of the banknote flights, in USD (step 4).
    pub airlift_cost: Decimal,
    /// Number of flights to Baghdad (a count, held as a decimal).
    pub flights: Decimal,
    /// Custody to vault.
    pub flown: Decimal,
    /// Banknotes the auction sold to banks out of the vault, in USD (step 6).
    pub cash_sold: Decimal,
    /// Wire transfers the auction sold, paid out of custody, in USD (step 6).
    pub wires_sent: Decimal,
    /// Dollars the banks asked for at the auction, in USD (step 5).
    pub requests: Decimal,
    /// Wire requests rejected in screening, in USD (step 5).
    pub rejected: Decimal,
    /// Demand the auction did not meet, which goes to the parallel market, in USD.
    pub unmet: Decimal,
}

/// Nodes and links as they are added.
#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    links: Vec<Link>,
}

impl Builder {
    fn node(&mut self, column: usize, name: &str, amount: Decimal) -> usize {
        self.node_text(column, format!("{name}\n{}", usd(amount)))
    }

    fn node_text(&mut self, column: usize, label: String) -> usize {
        self.nodes.push(Node { label, column });
        self.nodes.len() - 1
    }

    /// The diagram: every node something flows through (the others are
    /// left out), its links renumbered, and the note on what bands mean.
    fn finish(self) -> Flow {
        let used: Vec<bool> = (0..self.nodes.len())
            .map(|i| self.links.iter().any(|l| l.from == i || l.to == i))
            .collect();
        let mut index = vec![0; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.into_iter().enumerate() {
            if used[i] {
                index[i] = nodes.len();
                nodes.push(n);
            }
        }
        let links: Vec<Link> = self
            .links
            .into_iter()
            .map(|l| Link {
                from: index[l.from],
                to: index[l.to],
                ..l
            })
            .collect();
        let note = if links.iter().any(|l: &Link| l.unmet) {
            "Band widths are US dollars. Dashed: demand the auction did not meet, which went to the parallel market; not dollars paid."
        } else {
            "Band widths are US dollars."
        };
        Flow {
            nodes,
            links,
            note: note.into(),
        }
    }

    fn link(&mut self, from: usize, to: usize, amount: Decimal, unmet: bool) {
        if amount > Decimal::ZERO {
            self.links.push(Link {
                from,
                to,
                value: to_f64(amount),
                label: usd(amount),
                unmet,
            });
        }
    }
}

/// The nodes on the selling side of the diagram, where the model has them.
struct Sales {
    wires: Option<usize>,
    vault: Option<usize>,
    auction: Option<usize>,
    banks: usize,
    street: Option<usize>,
}

impl Flows {
    /// The auction's side: wires and banknotes to the auction's requests,
    /// sold to banks, the unmet rest to the street (dashed); with no
    /// requests, whatever was sold goes straight to the banks.
    fn link_sales(&self, b: &mut Builder, n: Sales) {
        let Some(a) = n.auction else {
            if let Some(w) = n.wires {
                b.link(w, n.banks, self.wires_sent, false);
            }
            if let Some(v) = n.vault {
                b.link(v, n.banks, self.cash_sold, false);
            }
            return;
        };
        if let Some(w) = n.wires {
            b.link(w, a, self.wires_sent, false);
        }
        if let Some(v) = n.vault {
            b.link(v, a, self.cash_sold, false);
        }
        b.link(a, n.banks, self.cash_sold + self.wires_sent, false);
        if let Some(s) = n.street {
            b.link(a, s, self.unmet, true);
        }
    }

    /// The nodes of what custody paid out (deductions, payments, the
    /// airlift's costs), each with its amount.
    fn paid_out(&self, b: &mut Builder) -> Vec<(usize, Decimal)> {
        let z = Decimal::ZERO;
        let mut out = Vec::new();
        for (name, v) in self.deductions.iter().filter(|x| x.1 > z) {
            out.push((b.node(2, &format!("Deduction: {name}"), *v), *v));
        }
        for (name, v) in self.payments.iter().filter(|x| x.1 > z) {
            out.push((b.node(2, &format!("Payment: {name}"), *v), *v));
        }
        if self.airlift_cost > z {
            let label = format!(
                "Airlift costs\n{} ({} flights)",
                usd(self.airlift_cost),
                display(self.flights, 0)
            );
            out.push((b.node_text(2, label), self.airlift_cost));
        }
        out
    }

    /// The flow diagram of `scope`.
    pub fn panel(&self, scope: &str) -> Panel {
        let mut b = Builder::default();
        let z = Decimal::ZERO;
        let gross: Decimal = self.buyers.iter().map(|x| x.1).sum();
        let custody_in = gross + self.opening.0;
        let buyers: Vec<(usize, Decimal)> = self
            .buyers
            .iter()
            .filter(|x| x.1 > z)
            .map(|(name, v)| (b.node(0, &format!("Buyer: {name}"), *v), *v))
            .collect();
        let opening_custody = (self.opening.0 > z).then(|| b.node(0, "Custody, opening", self.opening.0));
        let custody_label = match &self.custody_name {
            Some(name) => format!("Custody: {name}"),
            None => "Custody (NY Fed)".to_string(),
        };
        let custody = b.node(1, &custody_label, custody_in);
        let opening_vault = (self.opening.1 > z).then(|| b.node(1, "Vault, opening", self.opening.1));
        let out = self.paid_out(&mut b);
        let wires = (self.wires_sent > z).then(|| b.node(2, "Wire transfers sold", self.wires_sent));
        let vault_in = self.flown + self.opening.1;
        let vault = (vault_in > z).then(|| b.node(2, "Vault (Baghdad)", vault_in));
        let closing_custody = b.node(2, "Custody, closing", self.closing.0);
        let sold = self.cash_sold + self.wires_sent;
        let auction = (self.requests > z).then(|| b.node(3, "Auction requests", self.requests));
        let closing_vault =
            vault.and_then(|_| (self.closing.1 > z).then(|| b.node(3, "Vault, closing", self.closing.1)));
        let banks = b.node(4, "Sold to banks", sold);
        let street = (self.unmet > z).then(|| {
            let label = format!(
                "Unmet demand, to the parallel market\n{}\nof which rejected wires:\n{}",
                usd(self.unmet),
                usd(self.rejected)
            );
            b.node_text(4, label)
        });
        for (n, v) in buyers {
            b.link(n, custody, v, false);
        }
        if let Some(n) = opening_custody {
            b.link(n, custody, self.opening.0, false);
        }
        for (n, v) in out {
            b.link(custody, n, v, false);
        }
        if let Some(w) = wires {
            b.link(custody, w, self.wires_sent, false);
        }
        if let Some(v) = vault {
            b.link(custody, v, self.flown, false);
            if let Some(n) = opening_vault {
                b.link(n, v, self.opening.1, false);
            }
        }
        b.link(custody, closing_custody, self.closing.0, false);
        self.link_sales(
            &mut b,
            Sales {
                wires,
                vault,
                auction,
                banks,
                street,
            },
        );
        if let (Some(v), Some(c)) = (vault, closing_vault) {
            b.link(v, c, self.closing.1, false);
        }
        let flow = b.finish();
        Panel {
            heading: format!("Where the dollars went, {scope}"),
            plot: Plot::Flow(flow),
        }
    }
}
