//! The steps of docs/model.md §3 worked by hand on the small model
//! (`fixtures/small.toml`: January 2023, 31 days, 23 auction sessions;
//! 1,000 bbl/day at 80 USD to China 0.3 and Others 0.7; 5% deducted;
//! 500,000 paid a month; planes of 500,000 costing 1,000 + 500 each plus
//! 0.1% insurance; 100,000 requested a session, 20% as cash, 80% of wires
//! rejected; baseline 1,480 IQD/USD with 50,000 a day of turnover,
//! spillover 0.5, elasticities summing to 3; prices set at 1,470), run
//! through the exact backend as `run` runs it. Every expected figure is
//! worked out in the comment above it, not read back from the code.

use rust_decimal::Decimal;

use crate::engine::exact;
use crate::engine::metrics::Core;
use crate::engine::testing::{d, model};
use crate::engine::{run_model_with, MonthValues};
use crate::model::{Bank, Model, Param};

/// January of `m` with `sets` (path, value) in force.
fn january_of(m: &Model, sets: &[(&str, &str)]) -> MonthValues {
    let overrides: Vec<_> = sets
        .iter()
        .map(|(path, v)| (m.base.resolve(path).unwrap(), d(v)))
        .collect();
    run_model_with(m, &overrides, false).unwrap().months.remove(0)
}

fn january(sets: &[(&str, &str)]) -> MonthValues {
    january_of(&model(), sets)
}

fn core(v: &MonthValues, c: Core) -> Decimal {
    v.get(c)
}

#[test]
fn gross_is_rounded_to_cents_for_each_buyer() {
    // China: 1,000 × 31 × 0.3 × (80.005 − 0.5) = 9,300 × 79.505 = 739,396.50;
    // Others: 1,000 × 31 × 0.7 × 80.005 = 21,700 × 80.005 = 1,736,108.50.
    let v = january(&[
        ("exports.price_usd_per_bbl", "80.005"),
        ("exports.buyers[China].price_offset_usd_per_bbl", "-0.5"),
    ]);
    assert_eq!(v.revenue, vec![d("739396.50"), d("1736108.50")]);
    assert_eq!(core(&v, Core::GrossRevenue), d("2475505.00"));
    // 5% of 2,475,505.00 = 123,775.25.
    assert_eq!(core(&v, Core::Deductions), d("123775.25"));
}

#[test]
fn gross_rounds_half_to_even() {
    // 1 bbl/day × 31 × 0.3 × 0.05 = 0.465 → 0.46 (tie, 6 is even);
    // × 0.7 = 1.085 → 1.08 (tie, 8 is even). Deductions: 5% of 1.54 =
    // 0.077 → 0.08.
    let v = january(&[("exports.volume_bpd", "1"), ("exports.price_usd_per_bbl", "0.05")]);
    assert_eq!(v.revenue, vec![d("0.46"), d("1.08")]);
    assert_eq!(core(&v, Core::Deductions), d("0.08"));
    // 31 × 0.3 × 0.15 = 1.395 → 1.40 (tie, up to even); 31 × 0.7 × 0.15 =
    // 3.255 → 3.26 (tie, up to even).
    let v = january(&[("exports.volume_bpd", "1"), ("exports.price_usd_per_bbl", "0.15")]);
    assert_eq!(v.revenue, vec![d("1.40"), d("3.26")]);
}

#[test]
fn payments_are_capped_by_custody_and_the_rest_is_arrears() {
    // No oil sold, 120.50 in custody: 120.50 of the 500,000 is paid,
    // 499,879.50 is in arrears; nothing is left to fly or to sell.
    let v = january(&[
        ("exports.volume_bpd", "0"),
        ("custody.opening_balance_usd", "120.50"),
    ]);
    assert_eq!(core(&v, Core::Payments), d("120.50"));
    assert_eq!(core(&v, Core::Arrears), d("499879.50"));
    assert_eq!(core(&v, Core::CashShipped), d("0"));
    assert_eq!(core(&v, Core::Flights), d("0"));
}

#[test]
fn flights_round_up_to_whole_planes() {
    let cap = d("500000000");
    let f = |x: &str| exact::flights(d(x), cap).unwrap();
    assert_eq!(f("0"), d("0"));
    assert_eq!(f("0.01"), d("1"));
    assert_eq!(f("500000000"), d("1"));
    assert_eq!(f("500000000.01"), d("2"));
    assert_eq!(f("1000000000"), d("2"));
    assert_eq!(f("833333333.33"), d("2"));
}

#[test]
fn the_airlift_ships_what_custody_holds_and_costs_per_plane() {
    // 1,200,000 ordered, planes of 500,000: 3 flights;
    // 3 × (1,000 + 500) + round2(0.001 × 1,200,000) = 4,500 + 1,200 = 5,700.
    let v = january(&[]);
    assert_eq!(core(&v, Core::CashShipped), d("1200000"));
    assert_eq!(core(&v, Core::Flights), d("3"));
    assert_eq!(core(&v, Core::AirliftCost), d("5700.00"));
    // No oil; 500,000 + 700,000.50 in custody: after the payment 700,000.50
    // ships in 2 planes costing 3,000 + round2(700.0005) = 3,700.00, which
    // finds nothing left in custody: airlift_cost_usd counts what was paid
    // (0.00) and the 3,700.00 goes to arrears (docs/model.md §3 step 4).
    let v = january(&[
        ("exports.volume_bpd", "0"),
        ("custody.opening_balance_usd", "1200000.50"),
    ]);
    assert_eq!(core(&v, Core::CashShipped), d("700000.50"));
    assert_eq!(core(&v, Core::Flights), d("2"));
    assert_eq!(core(&v, Core::AirliftCost), d("0.00"));
    assert_eq!(core(&v, Core::Arrears), d("3700.00"));
}

#[test]
fn requests_split_into_cash_and_screened_wires() {
    // 100,000 × 23 sessions = 2,300,000; cash 20% = 460,000.00; wires
    // 1,840,000.00, 80% rejected = 1,472,000.00, 368,000.00 approved.
    let v = january(&[]);
    assert_eq!(core(&v, Core::Requests), d("2300000"));
    assert_eq!(core(&v, Core::CashSold), d("460000.00"));
    assert_eq!(core(&v, Core::WiresRejected), d("1472000.00"));
    assert_eq!(core(&v, Core::WiresSent), d("368000.00"));
}

#[test]
fn banks_are_screened_one_by_one() {
    let mut m = model();
    m.base.auction.banks = vec![
        Bank {
            name: "Sanctioned".into(),
            share: Param::new(d("0.1")),
            rejection_rate: Some(Param::new(d("1"))),
            follow_factor: None,
        },
        Bank {
            name: "Rest".into(),
            share: Param::new(d("0.9")),
            rejection_rate: None,
            follow_factor: None,
        },
    ];
    // requests = 333.33 × 23 = 7,666.59; cash = round2(1,533.318) =
    // 1,533.32; wires = 6,133.27. Sanctioned: round2(0.1 × 6,133.27 =
    // 613.327) = 613.33, all rejected. Rest: round2(0.9 × 6,133.27 =
    // 5,519.943) = 5,519.94, 80% = 4,415.952 → 4,415.95. Rejected 5,029.28;
    // approved 6,133.27 − 5,029.28 = 1,103.99.
    let v = january_of(&m, &[("auction.requests_usd_per_day", "333.33")]);
    assert_eq!(core(&v, Core::CashSold), d("1533.32"));
    assert_eq!(core(&v, Core::WiresRejected), d("5029.28"));
    assert_eq!(core(&v, Core::WiresSent), d("1103.99"));
}

#[test]
fn unmet_demand_raises_the_parallel_rate() {
    // u = 1,472,000 / 23 = 64,000; D = 50,000 + 0.5 × 64,000 = 82,000;
    // 1480 × 1.64^(1/3) = 1480 × 1.179273… = 1745.3251 (round4);
    // premium = 100 × (1745.3251 / 1460 − 1) = 19.54281… → 19.5428.
    let v = january(&[]);
    assert_eq!(core(&v, Core::Unmet), d("1472000.00"));
    assert_eq!(core(&v, Core::ParallelRate), d("1745.3251"));
    assert_eq!(core(&v, Core::PremiumPct), d("19.5428"));
    // v_off = 460,000 + 368,000 = 828,000; v_par = 0.5 × 1,472,000 = 736,000;
    // (1460 × 828,000 + 1745.3251 × 736,000) / 1,564,000
    // = 2,493,439,273.6 / 1,564,000 = 1594.270635… → 1594.2706.
    assert_eq!(core(&v, Core::EffectiveRate), d("1594.2706"));
}

#[test]
fn without_unmet_demand_the_rate_is_the_baseline_and_the_official_dollars_set_the_effective_rate() {
    // Nothing rejected, and custody (2,000,000 + 2,356,000 net − 500,000
    // paid − 1,200,000 flown − 5,700 = 2,650,300) covers the 1,840,000 of
    // wires: D = turnover, ratio 1, rate = 1480.0000, premium
    // 100 × (1480 / 1460 − 1) = 1.369863… → 1.3699; every dollar sold at
    // the official rate, so the effective rate is 1460.
    let v = january(&[
        ("auction.rejection_rate", "0"),
        ("custody.opening_balance_usd", "2000000"),
    ]);
    assert_eq!(core(&v, Core::Unmet), d("0.00"));
    assert_eq!(core(&v, Core::ParallelRate), d("1480.0000"));
    assert_eq!(core(&v, Core::PremiumPct), d("1.3699"));
    assert_eq!(core(&v, Core::EffectiveRate), d("1460.0000"));
}

#[test]
fn the_parallel_rate_never_falls_below_the_official_rate() {
    // u = 0 (as above), D = 50,000 + 0.5 × (0 − 200,000) = −50,000 <= 0 → official.
    let v = january(&[
        ("auction.rejection_rate", "0"),
        ("custody.opening_balance_usd", "2000000"),
        ("parallel_market.baseline_unmet_usd_per_day", "200000"),
    ]);
    assert_eq!(core(&v, Core::ParallelRate), d("1460"));
    assert_eq!(core(&v, Core::PremiumPct), d("0.0000"));
    // D = 50,000 + 0.5 × (0 − 20,000) = 40,000: 1480 × 0.8^(1/3) = 1373.9… < 1460.
    let v = january(&[
        ("auction.rejection_rate", "0"),
        ("custody.opening_balance_usd", "2000000"),
        ("parallel_market.baseline_unmet_usd_per_day", "20000"),
    ]);
    assert_eq!(core(&v, Core::ParallelRate), d("1460"));
}

#[test]
fn prices_pass_the_effective_rate_through_the_basket() {
    // de = 1594.2706 / 1470 − 1 = 0.0845378…;
    // Food: 100 × 0.5 × 0.6 × de = 2.53613… → 2.5361;
    // Other: 100 × 0.25 × 0.4 × de = 0.84537… → 0.8454;
    // CPI: 100 × (0.4 × 0.3 + 0.6 × 0.1) × de = 100 × 0.18 × de = 1.52168… → 1.5217.
    let v = january(&[]);
    assert_eq!(v.price_impact, vec![d("2.5361"), d("0.8454")]);
    assert_eq!(core(&v, Core::CpiImpactPct), d("1.5217"));
}
