//! docs/model.md v2's model keys as a user meets them: flow-only models, street
//! demand, the v2 keys' ranges, and v2 parameters a model leaves out being
//! set from the command line. The formulas themselves are cross-checked
//! against the reference on random models (`reference.rs`); the figures
//! here are worked by hand.

use crate::common::{dinarflow, ok};

const SMALL: &str = include_str!("../fixtures/small.toml");

/// The small model with `extra` lines added under `[parallel_market]`.
fn small_with_market(extra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL.replace("[prices]", &format!("{extra}\n\n[prices]"));
    let path = dir.path().join("v2.toml");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

fn value(csv: &str, month: &str, metric: &str) -> String {
    let key = format!("{month},{metric},");
    csv.lines()
        .find_map(|l| l.strip_prefix(&key))
        .unwrap_or_else(|| panic!("no {key} in\n{csv}"))
        .to_string()
}

#[test]
fn a_flow_only_model_reports_the_flows_and_nothing_else() {
    let o = ok(&["run", "models/oil-for-food-1997.toml", "--format", "csv"]);
    // December 1996: 594,000 bbl/day × 31 days × 18.50 = 340,659,000.00;
    // 30% + 2.2% + 0.8% = 33% deducted = 112,417,470.00.
    assert_eq!(value(&o.stdout, "1996-12", "gross_revenue_usd"), "340659000.00");
    assert_eq!(value(&o.stdout, "1996-12", "deductions_usd"), "112417470.00");
    for absent in [
        "parallel_rate",
        "sessions",
        "flights",
        "vault_balance_usd",
        "cpi_yoy_pct",
    ] {
        assert!(!o.stdout.contains(&format!(",{absent},")), "{absent} listed");
    }
    let o = dinarflow(&["explain", "models/oil-for-food-1997.toml", "parallel_rate"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: explain parallel_rate: `parallel_rate` is not computed for this model: it has no auction ([auction], \
         [parallel_market] and [prices]), so it traces the flows only\n"
    );
    let o = dinarflow(&[
        "run",
        "models/oil-for-food-1997.toml",
        "--set",
        "airlift.cash_usd_per_month=1",
    ]);
    assert_eq!(o.code, 2);
    assert!(o
        .stderr
        .contains("is a parameter of [airlift], which this model does not have"));
    // Commands that pick their own metrics pick the flows.
    let o = ok(&[
        "sweep",
        "models/oil-for-food-1997.toml",
        "--vary",
        "exports.price_usd_per_bbl=18.5",
        "--format",
        "csv",
    ]);
    assert!(o.stdout.contains("custody_balance_usd"), "{}", o.stdout);
}

#[test]
fn street_demand_raises_the_rate_and_weighs_in_the_effective_rate() {
    let (_dir, path) = small_with_market("street_demand_usd_per_day = 18000");
    let o = ok(&["run", &path, "--format", "csv"]);
    let v = |m: &str| value(&o.stdout, "2023-01", m);
    // January: u = 64,000 (see golden.rs); D = 50,000 + 0.5 × 64,000 + 18,000
    // = 100,000, twice the turnover: 1480 × 2^(1/3) = 1864.683153… → 1864.6832.
    assert_eq!(v("parallel_rate"), "1864.6832");
    // 100 × (1864.6832 / 1460 − 1) = 27.71802… → 27.7180.
    assert_eq!(v("premium_pct"), "27.7180");
    // 18,000 a session × 23 sessions (a product keeps the scale of its
    // factors, as written: no cents).
    assert_eq!(v("street_demand_usd"), "414000");
    // v_par = 0.5 × 1,472,000 + 414,000 = 1,150,000; v_off = 828,000:
    // (1460 × 828,000 + 1864.6832 × 1,150,000) / 1,978,000
    // = 3,353,265,680 / 1,978,000 = 1695.28093… → 1695.2809.
    assert_eq!(v("effective_rate"), "1695.2809");
}

#[test]
fn v2_keys_left_out_can_be_set_and_give_what_the_file_would() {
    let (_dir, path) = small_with_market("persistence = 0.5\nopening_parallel_rate_iqd_per_usd = 1500");
    let in_file = ok(&["run", &path, "--format", "csv"]).stdout;
    let set = ok(&[
        "run",
        "fixtures/small.toml",
        "--format",
        "csv",
        "--set",
        "parallel_market.persistence=0.5",
        "--set",
        "parallel_market.opening_parallel_rate_iqd_per_usd=1500",
    ])
    .stdout;
    assert_eq!(in_file, set);
    // Halfway (in logs) between 1,500 and January's 1,745.3251…: about 1,618.
    let jan: f64 = value(&in_file, "2023-01", "parallel_rate").parse().unwrap();
    assert!((jan - (1500.0f64 * 1745.3251).sqrt()).abs() < 0.01, "{jan}");
    // A v2 key the model leaves out is not listed among its assumptions.
    let check = ok(&["check", "fixtures/small.toml"]).stdout;
    assert!(!check.contains("persistence"));
    // Sweeping it moves the rate.
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "parallel_market.street_demand_usd_per_day=0,18000",
        "--metric",
        "parallel_rate@2023-01",
        "--format",
        "csv",
    ]);
    assert!(o.stdout.contains("1745.3251"), "{}", o.stdout);
    assert!(o.stdout.contains("1864.6832"), "{}", o.stdout);
}

#[test]
fn v2_keys_are_checked_where_they_are_written() {
    let (_dir, path) = small_with_market("persistence = 1");
    let o = dinarflow(&["check", &path]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("parallel_market.persistence: 1 is out of range (allowed: 0 to 0.99)"),
        "{}",
        o.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let lagged = dir.path().join("lags.toml");
    std::fs::write(
        &lagged,
        SMALL.replace(
            "reference_rate_iqd_per_usd = 1470",
            "reference_rate_iqd_per_usd = 1470\nlag_weights = [0.5, 0.4]",
        ),
    )
    .unwrap();
    let o = dinarflow(&["check", lagged.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("the weights add up to 0.9 (0.5 + 0.4)"),
        "{}",
        o.stderr
    );
    // A market without the airlift is refused, with what to do.
    let no_airlift = dir.path().join("no-airlift.toml");
    let start = SMALL.find("[airlift]").unwrap();
    let end = SMALL.find("[auction]").unwrap();
    std::fs::write(&no_airlift, format!("{}{}", &SMALL[..start], &SMALL[end..])).unwrap();
    let o = dinarflow(&["check", no_airlift.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("a model with [auction] needs [airlift]"),
        "{}",
        o.stderr
    );
}

/// `run MODEL --set SPEC --format csv` and `run TEXT --format csv` for the
/// model written out with the same edit by hand.
fn same_as_edited_file(model: &str, spec: &str, edited: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.toml");
    std::fs::write(&path, edited).unwrap();
    let by_set = ok(&["run", model, "--set", spec, "--format", "csv"]);
    let by_file = ok(&["run", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(by_set.stdout, by_file.stdout, "--set {spec}");
}

#[test]
fn one_step_of_a_timeline_can_be_set() {
    // Replaces February's change of the rejection rate, leaves the
    // revaluation that shares the entry alone.
    same_as_edited_file(
        "fixtures/small.toml",
        "auction.rejection_rate@2023-02=0.3",
        &SMALL.replace(
            "\"auction.rejection_rate\" = 0.5",
            "\"auction.rejection_rate\" = 0.3",
        ),
    );
    // A month without a change gets one; the first month is the base value.
    same_as_edited_file(
        "fixtures/small.toml",
        "parallel_market.spillover_share@2023-02=0.7",
        &format!("{SMALL}\n[[changes]]\nfrom = \"2023-02\"\nset = {{ \"parallel_market.spillover_share\" = 0.7 }}\n"),
    );
    same_as_edited_file(
        "fixtures/small.toml",
        "auction.cash_share@2023-01=0.25",
        &SMALL.replace("cash_share = 0.2", "cash_share = 0.25"),
    );
    let o = dinarflow(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate@2024-02=0.3",
    ]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --set auction.rejection_rate@2024-02=0.3: 2024-02 is outside the timeline (2023-01 to 2023-02); \
         --horizon 2024-02 runs the model on to that month\n"
    );
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate@2023-02=0.3",
    ]);
    assert!(o.stderr.contains(
        "note: --set auction.rejection_rate@2023-02=0.3 holds from 2023-02 to the end of the timeline (2023-02); \
         it replaces the [[changes]] entry from 2023-02"
    ));
}

#[test]
fn from_a_month_to_the_end_drops_the_later_steps_of_its_path() {
    // From the first month: the base value, and February's change of the
    // rejection rate dropped; the revaluation in the same entry stays.
    same_as_edited_file(
        "fixtures/small.toml",
        "auction.rejection_rate@2023-01..=0.3",
        &SMALL
            .replace("rejection_rate = 0.8", "rejection_rate = 0.3")
            .replace(", \"auction.rejection_rate\" = 0.5", ""),
    );
    // From February: that month's change replaced, nothing after it.
    same_as_edited_file(
        "fixtures/small.toml",
        "auction.rejection_rate@2023-02..=0.3",
        &SMALL.replace(
            "\"auction.rejection_rate\" = 0.5",
            "\"auction.rejection_rate\" = 0.3",
        ),
    );
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate@2023-01..=0.3",
    ]);
    assert_eq!(
        o.stderr,
        "note: --set auction.rejection_rate@2023-01..=0.3 holds from 2023-01 to the end of the timeline (2023-02); \
         it replaces the [[changes]] from 2023-02\n\
         note: the custody account (the CBI's account at the New York Fed) ran dry in Feb 2023; from then it pays out \
         only what each month's revenue brings in, and the approved wires it cannot send go unmet (unmet_usd) and \
         raise the parallel rate\n"
    );
}

#[test]
fn a_step_that_a_later_step_ends_names_the_month_that_ends_it() {
    // The default model changes the rejection rate in 2022-12, 2023-01,
    // 2023-03 and 2024-01 (models/iraq-2023.toml [[changes]]): a step
    // from July 2023 holds to December, and January 2024's 0.078355 ends it.
    let o = ok(&[
        "run",
        "models/iraq-2023.toml",
        "--set",
        "auction.rejection_rate@2023-07=0.4",
        "--format",
        "csv",
    ]);
    assert_eq!(
        o.stderr,
        "note: --set auction.rejection_rate@2023-07=0.4 holds from 2023-07 to 2023-12, until its next step, \
         from 2024-01 (0.078355); --set auction.rejection_rate@2023-07..=0.4 holds it to the end of the timeline (2024-12)\n"
    );
    // A later --set ends a step as the model's own changes do; one month
    // long, it says so.
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--horizon",
        "2023-06",
        "--set",
        "auction.rejection_rate@2023-03=0.3",
        "--set",
        "auction.rejection_rate@2023-05=0.6",
        "--set",
        "auction.cash_share@2023-04=0.1",
        "--set",
        "auction.cash_share@2023-05=0.3",
    ]);
    // The --set notes (the horizon's comes first; the small model's
    // custody running dry in April is noted after them).
    let notes: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("note: --set"))
        .collect();
    assert_eq!(
        notes,
        [
            "note: --set auction.rejection_rate@2023-03=0.3 holds from 2023-03 to 2023-04, until its next step, from 2023-05 (0.6); \
             --set auction.rejection_rate@2023-03..=0.3 holds it to the end of the timeline (2023-06)",
            "note: --set auction.rejection_rate@2023-05=0.6 holds from 2023-05 to the end of the timeline (2023-06)",
            "note: --set auction.cash_share@2023-04=0.1 holds in 2023-04 only, until its next step, from 2023-05 (0.3); \
             --set auction.cash_share@2023-04..=0.1 holds it to the end of the timeline (2023-06)",
            "note: --set auction.cash_share@2023-05=0.3 holds from 2023-05 to the end of the timeline (2023-06)",
        ]
    );
}

#[test]
fn a_whole_timeline_can_be_scaled() {
    // The official rate is 1460, then 1310 from February: × 0.9 gives 1314
    // and 1179 exactly, keeping the revaluation.
    same_as_edited_file(
        "fixtures/small.toml",
        "auction.official_rate_iqd_per_usd*=0.9",
        &SMALL
            .replace(
                "official_rate_iqd_per_usd = 1460",
                "official_rate_iqd_per_usd = 1314.0",
            )
            .replace(
                "\"auction.official_rate_iqd_per_usd\" = 1310",
                "\"auction.official_rate_iqd_per_usd\" = 1179.0",
            ),
    );
    // Money is rounded to cents after the product: 500,000 × 1.0000001 =
    // 500,000.05 exactly; × 1.00000001 = 500,000.005 → 500,000.00 (half to even).
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "custody.payments[Debt service].usd_per_month*=1.00000001",
        "--format",
        "csv",
    ]);
    assert!(
        o.stdout.contains("2023-01,payments_usd,500000.00\n"),
        "{}",
        o.stdout
    );
    let o = dinarflow(&["run", "fixtures/small.toml", "--set", "auction.rejection_rate*=2"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("0.8 × 2: auction.rejection_rate: 1.6 is out of range"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_flow_only_briefing_speaks_of_the_flows_and_names_the_account() {
    let o = ok(&["brief", "models/oil-for-food-1997.toml"]);
    assert!(!o.stdout.contains("Parallel rate"), "{}", o.stdout);
    assert!(!o.stdout.contains("Flights"), "{}", o.stdout);
    // $2,000,000,000 less 33% deducted: $1.34 billion reached the account
    // the model names.
    assert!(
        o.stdout.contains(
            "$1.34 billion reached the custody account (UN escrow account for Res. 986 proceeds, held at BNP Paribas)"
        ),
        "{}",
        o.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("b.html");
    ok(&[
        "brief",
        "models/oil-for-food-1997.toml",
        "--format",
        "html",
        "--out",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("Exchange rates"));
    assert!(html.contains("moves the total net oil revenue most"));
}

#[test]
fn the_1991_scheme_leaves_about_one_billion_of_one_point_six() {
    // 437,158.47 bpd × 183 days × $20 = $1,600,000,000.20 (cents per month);
    // 30% + 7.5% deducted leaves 62.5%: $1,000,000,000.11 into the escrow account.
    let csv = ok(&["run", "models/oil-for-food-1991.toml", "--format", "csv"]).stdout;
    assert!(csv.contains("\ntotal,gross_revenue_usd,1600000000.20\n"), "{csv}");
    assert!(csv.contains("\ntotal,net_revenue_usd,1000000000.11\n"), "{csv}");
    assert!(!csv.contains("premium_pct"), "{csv}");
    let brief = ok(&["brief", "models/oil-for-food-1991.toml"]).stdout;
    assert!(
        brief.contains(
            "$1.00 billion reached the custody account (UN escrow account under Res. 706, never funded)"
        ),
        "{brief}"
    );
    assert!(
        !brief.contains("New York Fed") && !brief.contains("parallel"),
        "{brief}"
    );
}
