//! A generator of random valid models for differential tests: proptest
//! supplies a pool of numbers (and shrinks it), the generator turns it into
//! the TOML text of a model that passes validation.
#![allow(dead_code)]

use rust_decimal::Decimal;

/// Draws numbers from a pool that proptest generates (and shrinks).
struct Draw<'a> {
    pool: &'a [u32],
    at: usize,
}

impl Draw<'_> {
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        let x = self.pool[self.at % self.pool.len()];
        self.at += 1;
        lo + i64::from(x) % (hi - lo + 1)
    }

    fn chance(&mut self, pct: i64) -> bool {
        self.int(0, 99) < pct
    }

    /// A decimal in [0, max] with up to `dp` places, written as TOML.
    fn dec(&mut self, max: i64, dp: u32) -> String {
        let places = self.int(0, i64::from(dp)) as u32;
        let scale = 10i64.pow(places);
        let v = Decimal::new(self.int(0, max * scale), places);
        v.to_string()
    }

    fn share(&mut self) -> String {
        self.dec(1, 3)
    }

    /// `n` shares summing to exactly 1.
    fn partition(&mut self, n: usize) -> Vec<String> {
        let mut left = 1000;
        let mut out = Vec::new();
        for i in 0..n {
            let x = if i + 1 == n { left } else { self.int(0, left) };
            left -= x;
            out.push(Decimal::new(x, 3).to_string());
        }
        out
    }
}

pub fn random_model(pool: &[u32]) -> String {
    let mut r = Draw { pool, at: 0 };
    let year = r.int(1995, 2035);
    let month = r.int(1, 12);
    let months = r.int(1, 18);
    let mut t = String::new();
    let mut line = |s: String| {
        t.push_str(&s);
        t.push('\n');
    };
    line("[model]\nname = \"random\"".into());
    line(format!(
        "[timeline]\nstart = \"{year:04}-{month:02}\"\nmonths = {months}"
    ));
    let price = r.int(0, 150);
    line(format!(
        "[exports]\nvolume_bpd = {}\nprice_usd_per_bbl = {price}.{}",
        r.dec(5_000_000, 1),
        r.int(0, 99)
    ));
    let n = r.int(1, 4) as usize;
    for (i, s) in r.partition(n).into_iter().enumerate() {
        let offset = r.int(-price.min(5), 5);
        line(format!(
            "[[exports.buyers]]\nname = \"B{i}\"\nshare = {s}\nprice_offset_usd_per_bbl = {offset}"
        ));
    }
    for i in 0..r.int(0, 3) {
        line(format!(
            "[[deductions]]\nname = \"D{i}\"\nrate = {}",
            Decimal::new(r.int(0, 300), 3)
        ));
    }
    line(format!(
        "[custody]\nopening_balance_usd = {}",
        r.dec(100_000_000_000, 2)
    ));
    if r.chance(20) {
        line("name = \"Custody account\"".into());
    }
    for i in 0..r.int(0, 3) {
        line(format!(
            "[[custody.payments]]\nname = \"P{i}\"\nusd_per_month = {}",
            r.dec(9_000_000_000, 2)
        ));
    }
    // docs/model.md v2: a flow-only model (no airlift, no market) or one with
    // the airlift but no market, now and then.
    let (airlift, market) = match r.int(0, 19) {
        0..=1 => (false, false),
        2 => (true, false),
        _ => (true, true),
    };
    if airlift {
        line(format!(
        "[airlift]\ncash_usd_per_month = {}\nplane_capacity_usd = {}\ntransport_usd_per_flight = {}\nsecurity_usd_per_flight = {}\ninsurance_rate = {}\nvault_opening_usd = {}",
        r.dec(2_000_000_000, 2),
        r.int(1, 1_000_000_000),
        r.dec(1_000_000, 2),
        r.dec(100_000, 2),
        Decimal::new(r.int(0, 1000), 5),
        r.dec(5_000_000_000, 2)
    ));
    }
    if !market {
        return t;
    }
    let mut weekend: Vec<&str> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .into_iter()
        .filter(|_| r.chance(25))
        .collect();
    // A weekend of all seven days leaves no session and is refused.
    weekend.truncate(6);
    let mut holidays = Vec::new();
    for _ in 0..r.int(0, 3) {
        let k = r.int(0, months - 1);
        let (y, m) = (year + (month - 1 + k) / 12, (month - 1 + k) % 12 + 1);
        let day = format!("\"{y:04}-{m:02}-{:02}\"", r.int(1, 28));
        // Each date once, as the loader asks.
        if !holidays.contains(&day) {
            holidays.push(day);
        }
    }
    line(format!(
        "[auction]\nofficial_rate_iqd_per_usd = {}.{}\nrequests_usd_per_day = {}\ncash_share = {}\nrejection_rate = {}\nweekend = [{}]\nholidays = [{}]",
        r.int(1, 3000),
        r.int(0, 9),
        r.dec(500_000_000, 2),
        r.share(),
        r.share(),
        weekend.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", "),
        holidays.join(", ")
    ));
    if r.chance(40) {
        let n = r.int(1, 3) as usize;
        for (i, s) in r.partition(n).into_iter().enumerate() {
            line(format!("[[auction.banks]]\nname = \"K{i}\"\nshare = {s}"));
            if r.chance(50) {
                line(format!("rejection_rate = {}", r.share()));
            }
        }
    }
    line(format!(
        "[parallel_market]\nbaseline_rate_iqd_per_usd = {}\nbaseline_turnover_usd_per_day = {}\nbaseline_unmet_usd_per_day = {}\nspillover_share = {}\ndemand_elasticity = {}.{}\nsupply_elasticity = {}",
        r.int(1, 3000),
        r.int(1, 1_000_000_000),
        r.dec(100_000_000, 2),
        r.share(),
        r.int(0, 4),
        r.int(1, 99),
        r.dec(3, 2)
    ));
    // docs/model.md v2's market keys, each now and then.
    if r.chance(30) {
        line(format!("street_demand_usd_per_day = {}", r.dec(50_000_000, 2)));
    }
    if r.chance(30) {
        line(format!("cash_resale_share = {}", r.share()));
    }
    if r.chance(30) {
        line(format!("anchor_weight = {}", r.share()));
    }
    if r.chance(20) {
        line(format!("anchor_official_rate_iqd_per_usd = {}", r.int(1, 3000)));
    }
    if r.chance(30) {
        line(format!("persistence = {}", Decimal::new(r.int(0, 99), 2)));
    }
    if r.chance(20) {
        line(format!(
            "opening_parallel_rate_iqd_per_usd = {}.{}",
            r.int(1, 3000),
            r.int(0, 9)
        ));
    }
    line(format!(
        "[prices]\nreference_rate_iqd_per_usd = {}",
        r.int(1, 3000)
    ));
    if r.chance(30) {
        let n = r.int(1, 4) as usize;
        line(format!("lag_weights = [{}]", r.partition(n).join(", ")));
    }
    if r.chance(30) {
        line(format!(
            "underlying_inflation_pct = {}",
            Decimal::new(r.int(-500, 10_000), 1)
        ));
    }
    let n = r.int(1, 4) as usize;
    for (i, w) in r.partition(n).into_iter().enumerate() {
        line(format!(
            "[[prices.basket]]\nname = \"I{i}\"\nweight = {w}\nimport_content = {}\npass_through = {}",
            r.share(),
            r.share()
        ));
    }
    let paths = [
        ("auction.official_rate_iqd_per_usd", 3000),
        ("auction.rejection_rate", 1),
        ("auction.cash_share", 1),
        ("exports.price_usd_per_bbl", 150),
        ("parallel_market.spillover_share", 1),
        ("parallel_market.street_demand_usd_per_day", 50_000_000),
    ];
    for (k, (path, max)) in paths.iter().enumerate() {
        if months > 1 && r.chance(35) {
            let at = r.int(0, months - 1);
            let (y, m) = (year + (month - 1 + at) / 12, (month - 1 + at) % 12 + 1);
            // Prices stay >= 5 so that no buyer's offset (>= -5) makes them negative.
            let v = match k {
                0 => format!("{}", r.int(1, *max)),
                3 => format!("{}.{}", r.int(5, *max), r.int(0, 9)),
                5 => r.dec(*max, 2),
                _ => r.dec(*max, 3),
            };
            line(format!(
                "[[changes]]\nfrom = \"{y:04}-{m:02}\"\nset = {{ \"{path}\" = {v} }}"
            ));
        }
    }
    t
}

/// A value in `kind`'s allowed range from a random number `x`, rounded and
/// scaled as a draw would be (cents for money, six places otherwise).
pub fn drawn_value(
    kind: dinarflow::model::Kind,
    base: rust_decimal::Decimal,
    x: u32,
) -> rust_decimal::Decimal {
    use dinarflow::model::Kind;
    use rust_decimal::Decimal;
    let unit = Decimal::from(x % 1_000_001) / Decimal::from(1_000_000);
    let v = match kind {
        Kind::Share | Kind::Weight => unit,
        Kind::Persistence => unit * Decimal::new(99, 2),
        Kind::InflationPct => Decimal::from(-50) + unit * Decimal::from(1050),
        Kind::PriceOffset => (unit - Decimal::new(5, 1)) * Decimal::TEN,
        _ => base * (Decimal::new(5, 1) + unit) + Decimal::new(1, 2),
    };
    let dp = if kind.is_money() { 2 } else { 6 };
    let mut v = v.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven);
    v.rescale(dp);
    v
}

/// An `[uncertainty]` table of one to three drawn factors (`"PATH*"`,
/// docs/model.md v2) on some of `paths` (the model's parameter paths), each a
/// uniform, triangular or normal around 1, sometimes wide enough that a
/// month leaves its range and the draw is redrawn.
pub fn random_factors(pool: &[u32], paths: &[String]) -> String {
    let mut r = Draw { pool, at: 0 };
    let mut t = String::from("\n[uncertainty]\n");
    let mut chosen: Vec<&String> = Vec::new();
    for _ in 0..r.int(1, 3) {
        let path = &paths[r.int(0, paths.len() as i64 - 1) as usize];
        if chosen.contains(&path) {
            continue;
        }
        chosen.push(path);
        // A spread of 0.001 to 1.5 around a centre of 0.5 to 1.5.
        let centre = Decimal::new(r.int(500, 1500), 3);
        let spread = Decimal::new(r.int(1, 1500), 3);
        let dist = match r.int(0, 2) {
            0 => format!(
                "{{ dist = \"uniform\", min = {}, max = {} }}",
                centre - spread / Decimal::TWO,
                centre + spread / Decimal::TWO
            ),
            1 => format!(
                "{{ dist = \"triangular\", min = {}, mode = {centre}, max = {} }}",
                centre - spread,
                centre + spread
            ),
            _ => format!(
                "{{ dist = \"normal\", mean = {centre}, sd = {} }}",
                spread / Decimal::TEN
            ),
        };
        t.push_str(&format!("\"{path}*\" = {dist}\n"));
    }
    t
}
