//! Golden tests: two small models whose every number is worked out by hand
//! in the comments below, run through the library as `run` does.

use std::path::Path;

use dinarflow::engine;
use dinarflow::engine::metrics::{Core, MetricId, MetricRef};
use dinarflow::model::load_file;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Checks metric references (e.g. `parallel_rate@2023-01`) in a run of `file`.
fn values(file: &str, refs: &[(&str, &str)]) {
    let model = load_file(Path::new(file)).unwrap();
    let run = engine::run(&model).unwrap();
    for (r, expected) in refs {
        let m = MetricRef::parse(r, &model.base, &model.timeline).unwrap();
        assert_eq!(m.evaluate(&run).unwrap(), d(expected), "{file}: {r}");
    }
}

#[test]
fn small_model_january() {
    // January 2023: 31 days; Fridays and Saturdays (6,7,13,14,20,21,27,28) are
    // the weekend, so 23 auction sessions.
    values(
        "fixtures/small.toml",
        &[
            // 1. 1,000 bpd × 31 × 0.3 × 80 = 744,000; × 0.7 × 80 = 1,736,000.
            ("revenue_usd[China]@2023-01", "744000"),
            ("revenue_usd[Others]@2023-01", "1736000"),
            ("gross_revenue_usd@2023-01", "2480000"),
            // 2. 5% of 2,480,000 = 124,000; net 2,356,000.
            ("deductions_usd@2023-01", "124000"),
            ("net_revenue_usd@2023-01", "2356000"),
            // 3. custody 1,000,000 + 2,356,000 = 3,356,000 covers the 500,000 payment.
            ("payments_usd@2023-01", "500000"),
            ("arrears_usd@2023-01", "0"),
            // 4. 1,200,000 shipped (custody 2,856,000 → 1,656,000) on ceil(1.2M / 0.5M) = 3 planes;
            //    cost 3 × (1,000 + 500) + 0.001 × 1,200,000 = 5,700 (custody → 1,650,300).
            ("cash_shipped_usd@2023-01", "1200000"),
            ("flights@2023-01", "3"),
            ("airlift_cost_usd@2023-01", "5700"),
            // 5. requests 100,000 × 23 = 2,300,000; cash 20% = 460,000; wires 1,840,000;
            //    80% rejected = 1,472,000; approved 368,000.
            ("requests_usd@2023-01", "2300000"),
            ("wires_rejected_usd@2023-01", "1472000"),
            // 6. vault 100,000 + 1,200,000 = 1,300,000 covers the 460,000 cash; custody 1,650,300
            //    covers the 368,000 wires → custody 1,282,300, vault 840,000; unmet = rejected.
            //    dinars = (460,000 + 368,000) × 1,460 = 1,208,880,000.
            ("cash_sold_usd@2023-01", "460000"),
            ("wires_sent_usd@2023-01", "368000"),
            ("unmet_usd@2023-01", "1472000"),
            ("dinars_absorbed_iqd@2023-01", "1208880000"),
            ("custody_balance_usd@2023-01", "1282300"),
            ("vault_balance_usd@2023-01", "840000"),
            // 7. u = 1,472,000 / 23 = 64,000; D = 50,000 + 0.5 × 64,000 = 82,000;
            //    1,480 × (82,000 / 50,000)^(1/3) = 1,480 × 1.1792737... = 1,745.32509 → 1,745.3251;
            //    premium 100 × (1,745.3251 / 1,460 − 1) = 19.54281 → 19.5428.
            ("parallel_rate@2023-01", "1745.3251"),
            ("premium_pct@2023-01", "19.5428"),
            // 8. (1,460 × 828,000 + 1,745.3251 × 736,000) / 1,564,000 = 1,594.270635 → 1,594.2706.
            ("effective_rate@2023-01", "1594.2706"),
            // 9. de = 1,594.2706 / 1,470 − 1 = 0.08453782...; Food 100 × 0.5 × 0.6 × de = 2.53613 → 2.5361;
            //    Other 100 × 0.25 × 0.4 × de = 0.84538 → 0.8454; CPI 100 × (0.4 × 0.3 + 0.6 × 0.1) × de
            //    = 18 × de = 1.52168 → 1.5217.
            ("price_impact_pct[Food]@2023-01", "2.5361"),
            ("price_impact_pct[Other]@2023-01", "0.8454"),
            ("cpi_impact_pct@2023-01", "1.5217"),
        ],
    );
}

#[test]
fn small_model_february_after_the_change() {
    // February 2023: 28 days, 8 weekend days, 20 sessions. From February the
    // official rate is 1,310 and the rejection rate 0.5.
    values(
        "fixtures/small.toml",
        &[
            // 1,000 × 28 × 80 = 2,240,000; deduction 112,000;
            // custody 1,282,300 + 2,128,000 − 500,000 − 1,200,000 − 5,700 = 1,704,600.
            ("gross_revenue_usd@2023-02", "2240000"),
            ("deductions_usd@2023-02", "112000"),
            // requests 2,000,000; cash 400,000; wires 1,600,000, half rejected: 800,000.
            ("requests_usd@2023-02", "2000000"),
            ("wires_rejected_usd@2023-02", "800000"),
            ("wires_sent_usd@2023-02", "800000"),
            // custody 1,704,600 − 800,000 = 904,600; vault 840,000 + 1,200,000 − 400,000 = 1,640,000.
            ("custody_balance_usd@2023-02", "904600"),
            ("vault_balance_usd@2023-02", "1640000"),
            // dinars (400,000 + 800,000) × 1,310 = 1,572,000,000.
            ("dinars_absorbed_iqd@2023-02", "1572000000"),
            // u = 40,000; D = 70,000; 1,480 × 1.4^(1/3) = 1,480 × 1.1186889 = 1,655.65959 → 1,655.6596;
            // premium 100 × (1,655.6596 / 1,310 − 1) = 26.38623 → 26.3862.
            ("parallel_rate@2023-02", "1655.6596"),
            ("premium_pct@2023-02", "26.3862"),
            // (1,310 × 1,200,000 + 1,655.6596 × 400,000) / 1,600,000 = 1,396.4149 exactly.
            ("effective_rate@2023-02", "1396.4149"),
            // de = 1,396.4149 / 1,470 − 1 = −0.0500579...; CPI 18 × de = −0.90104 → −0.9010.
            ("cpi_impact_pct@2023-02", "-0.9010"),
            // Summaries: sums, last balances, means rounded to 4 places.
            ("gross_revenue_usd", "4720000"),
            ("flights", "6"),
            ("custody_balance_usd", "904600"),
            // (1,460 + 1,310) / 2 = 1,385; (1,745.3251 + 1,655.6596) / 2 = 1,700.49235 → 1,700.4924 (half to even).
            ("official_rate", "1385"),
            ("parallel_rate", "1700.4924"),
            ("parallel_rate:max", "1745.3251"),
            // (1.5217 − 0.9010) / 2 = 0.31035 → 0.3104 (half to even).
            ("cpi_impact_pct", "0.3104"),
        ],
    );
}

#[test]
fn shortfall_month_with_banks_holiday_and_arrears() {
    // February 2024 (leap year): 29 days; weekend Fri 2,9,16,23 and Sat 3,10,17,24;
    // the holiday Thu 1 Feb: 29 − 8 − 1 = 20 sessions.
    values(
        "fixtures/shortfall.toml",
        &[
            // 100 × 29 × 1 × (50 − 10) = 116,000; UNCC 30% = 34,800; UN 2.2% = 2,552.
            ("gross_revenue_usd", "116000"),
            ("deduction_usd[UNCC]", "34800"),
            ("deduction_usd[UN administration]", "2552"),
            // custody 0 + 116,000 − 37,352 = 78,648; payments 50,000 and 20,000 → 8,648.
            ("payments_usd", "70000"),
            // 8,000 shipped → custody 648; 3 flights (8,000 / 3,000 → 3);
            // cost 3 × 400 + 1% × 8,000 = 1,280, of which 648 paid: arrears 632.
            ("cash_shipped_usd", "8000"),
            ("flights", "3"),
            ("airlift_cost_usd", "648"),
            ("arrears_usd", "632"),
            // requests 1,000 × 20 = 20,000; cash 10,000; wires 10,000:
            // Sanctioned 25% = 2,500 all rejected; Rest 75% = 7,500, 20% = 1,500 rejected.
            ("wires_rejected_usd", "4000"),
            // vault 500 + 8,000 = 8,500 < 10,000 cash asked; custody 0 sends no wires.
            ("cash_sold_usd", "8500"),
            ("wires_sent_usd", "0"),
            ("vault_balance_usd", "0"),
            ("custody_balance_usd", "0"),
            // unmet = 4,000 + 1,500 + 6,000 = 11,500; dinars 8,500 × 1,300 = 11,050,000.
            ("unmet_usd", "11500"),
            ("dinars_absorbed_iqd", "11050000"),
            // u = 575; D = 1,000 + 0.4 × (575 − 100) = 1,190; 1,400 × 1.19^(1/2) = 1,527.21970 → 1,527.2197;
            // premium 100 × (1,527.2197 / 1,300 − 1) = 17.47844 → 17.4784.
            ("parallel_rate", "1527.2197"),
            ("premium_pct", "17.4784"),
            // (1,300 × 8,500 + 1,527.2197 × 4,600) / 13,100 = 18,075,210.62 / 13,100 = 1,379.78707 → 1,379.7871.
            ("effective_rate", "1379.7871"),
            // de = 0.06137469...; 100 × 0.5 × 0.5 × de = 1.53437 → 1.5344.
            ("cpi_impact_pct", "1.5344"),
        ],
    );
}

#[test]
fn every_shipped_model_runs_and_conserves() {
    for entry in std::fs::read_dir("models").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let model = load_file(&path).unwrap();
        let run = engine::run(&model).unwrap();
        assert!(run.conservation.holds(), "{}", path.display());
        // The identity, recomputed from the monthly figures: opening + Σ gross
        // = closing custody + closing vault + every outflow.
        let total = |c: Core| -> Decimal { MetricId::Core(c).series(&run).into_iter().sum() };
        let gross = total(Core::GrossRevenue);
        let out = total(Core::Deductions)
            + total(Core::Payments)
            + total(Core::AirliftCost)
            + total(Core::CashSold)
            + total(Core::WiresSent);
        let last = run.months.last().unwrap();
        assert_eq!(
            model.base.custody.opening_balance.value + model.base.airlift.vault_opening.value + gross,
            last.custody_closing + last.vault_closing + out,
            "{}",
            path.display()
        );
    }
}

#[test]
fn oil_for_food_leaves_about_1_3_billion_for_essential_imports() {
    // Res. 986: $2B of oil per six months; 30% UNCC, 2.2% UN administration and
    // 0.8% weapons inspectors deducted (33%) leave ~$1.34B (Rasheed 2024: $1.3B).
    let model = load_file(Path::new("models/oil-for-food-1997.toml")).unwrap();
    let run = engine::run(&model).unwrap();
    let total = |r: &str| {
        MetricRef::parse(r, &model.base, &model.timeline)
            .unwrap()
            .evaluate(&run)
            .unwrap()
    };
    let (gross, net) = (total("gross_revenue_usd"), total("net_revenue_usd"));
    assert!(
        (d("1990000000")..=d("2010000000")).contains(&gross),
        "gross {gross}"
    );
    assert!((d("1300000000")..=d("1350000000")).contains(&net), "net {net}");
    assert_eq!(net, gross * d("0.67"));
}

#[test]
fn a_zero_amount_prints_at_the_scale_it_was_written_with() {
    // requests_usd = requests_usd_per_day × sessions: 0.00 × 20 = 0.00,
    // printed with its two places as any other amount (the reference
    // implementation prints `0.00`; a bare `0` would break the exact match).
    let csv = crate::common::ok(&[
        "run",
        "fixtures/small.toml",
        "--format",
        "csv",
        "--set",
        "auction.requests_usd_per_day=0.00",
    ])
    .stdout;
    for m in ["2023-01", "2023-02"] {
        assert!(csv.contains(&format!("\n{m},requests_usd,0.00\n")), "{csv}");
    }
}
