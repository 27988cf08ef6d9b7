//! `dinarflow diff`: summaries side by side, the differing assumptions
//! (base values, timeline changes, the auction calendar), and attributions
//! that add up to the change: Shapley values checked against runs with
//! `--set`, one-at-a-time effects with the interaction remainder.

use crate::common::{dinarflow, ok};

use std::path::PathBuf;

use rust_decimal::Decimal;
use serde_json::Value;

const SMALL: &str = include_str!("../fixtures/small.toml");

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Writes the small model with `edits` (from, to) applied to a temp file.
fn variant(dir: &tempfile::TempDir, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = SMALL.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn diff_json(a: &str, b: &str, metrics: &[&str]) -> Value {
    let mut args = vec!["diff", a, b, "--format", "json"];
    for m in metrics {
        args.extend(["--metric", m]);
    }
    serde_json::from_str(&ok(&args).stdout).unwrap()
}

/// The summary of `metric` from `run` with `sets`.
fn run_total(model: &str, sets: &[&str], metric: &str) -> Decimal {
    let mut args = vec!["run", model, "--format", "csv"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let o = ok(&args);
    dec(o
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("total,{metric},")))
        .unwrap())
}

fn parts_of<'a>(v: &'a Value, metric: &str) -> &'a Value {
    v["attribution"]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == metric)
        .unwrap()
}

#[test]
fn shapley_values_by_hand_from_runs_with_set() {
    let dir = tempfile::tempdir().unwrap();
    let b = variant(
        &dir,
        "b.toml",
        &[
            ("spillover_share = 0.5", "spillover_share = 0.7"),
            ("demand_elasticity = 2", "demand_elasticity = 3"),
        ],
    );
    let b = b.to_str().unwrap();
    let a = "fixtures/small.toml";
    for metric in ["parallel_rate", "cpi_impact_pct", "effective_rate"] {
        let v = diff_json(a, b, &[metric]);
        assert_eq!(v["attribution"]["method"], "shapley");
        assert_eq!(
            v["attribution"]["factors"],
            serde_json::json!([
                "parallel_market.spillover_share",
                "parallel_market.demand_elasticity"
            ])
        );
        let v0 = run_total(a, &[], metric);
        let v1 = run_total(a, &["parallel_market.spillover_share=0.7"], metric);
        let v2 = run_total(a, &["parallel_market.demand_elasticity=3"], metric);
        let v12 = run_total(b, &[], metric);
        // φ_spill = ½[(v1 − v0) + (v12 − v2)], φ_elasticity = ½[(v2 − v0) + (v12 − v1)].
        let two = Decimal::TWO;
        let exact = [((v1 - v0) + (v12 - v2)) / two, ((v2 - v0) + (v12 - v1)) / two];
        let p = parts_of(&v, metric);
        assert_eq!(dec(p["change"].as_str().unwrap()), v12 - v0);
        let parts = [
            dec(p["parts"]["parallel_market.spillover_share"].as_str().unwrap()),
            dec(p["parts"]["parallel_market.demand_elasticity"].as_str().unwrap()),
        ];
        // Rounded to the metric's 4 places; a half goes to one side only.
        for (got, want) in parts.iter().zip(exact) {
            assert!((*got - want).abs() <= dec("0.00005"), "{metric}: {got} vs {want}");
        }
        assert_eq!(parts[0] + parts[1], v12 - v0, "{metric}");
        let s = &v["summary"][0];
        assert_eq!(dec(s["a"].as_str().unwrap()), v0);
        assert_eq!(dec(s["b"].as_str().unwrap()), v12);
    }
}

#[test]
fn attributions_sum_to_the_change_for_every_metric() {
    let dir = tempfile::tempdir().unwrap();
    let b = variant(
        &dir,
        "b.toml",
        &[
            ("volume_bpd = 1000", "volume_bpd = 1200"),
            ("rejection_rate = 0.8", "rejection_rate = 0.7"),
            ("cash_share = 0.2", "cash_share = 0.3"),
            ("opening_balance_usd = 1000000", "opening_balance_usd = 300000"),
            ("pass_through = 0.6", "pass_through = 0.8"),
        ],
    );
    let v = diff_json("fixtures/small.toml", b.to_str().unwrap(), &[]);
    assert_eq!(v["attribution"]["runs"], 32);
    let metrics = v["attribution"]["metrics"].as_array().unwrap();
    // Every metric of the model: 25 (docs/model.md v2's table) + 2 buyers +
    // 1 deduction + 1 payment + 2 items.
    assert_eq!(metrics.len(), 31);
    for (m, s) in metrics.iter().zip(v["summary"].as_array().unwrap()) {
        assert_eq!(m["metric"], s["metric"]);
        let change = dec(m["change"].as_str().unwrap());
        assert_eq!(change, dec(s["change"].as_str().unwrap()), "{}", m["metric"]);
        assert_eq!(
            change,
            dec(s["b"].as_str().unwrap()) - dec(s["a"].as_str().unwrap())
        );
        let sum: Decimal = m["parts"]
            .as_object()
            .unwrap()
            .values()
            .map(|x| dec(x.as_str().unwrap()))
            .sum();
        assert_eq!(sum, change, "{}", m["metric"]);
    }
    // The rejection rate differs only where the model does not change it: in
    // February both run at 0.5, so it is listed with both schedules.
    let d = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "auction.rejection_rate")
        .unwrap();
    assert_eq!(d["a"], "0.8; 0.5 from 2023-02");
    assert_eq!(d["b"], "0.7; 0.5 from 2023-02");
}

#[test]
fn many_differences_switch_one_at_a_time_with_the_interaction_remainder() {
    let dir = tempfile::tempdir().unwrap();
    let edits: [(&str, &str, &str); 9] = [
        (
            "volume_bpd = 1000",
            "volume_bpd = 1100",
            "exports.volume_bpd=1100",
        ),
        (
            "cash_usd_per_month = 1200000",
            "cash_usd_per_month = 1100000",
            "airlift.cash_usd_per_month=1100000",
        ),
        (
            "transport_usd_per_flight = 1000",
            "transport_usd_per_flight = 1200",
            "airlift.transport_usd_per_flight=1200",
        ),
        (
            "requests_usd_per_day = 100000",
            "requests_usd_per_day = 90000",
            "auction.requests_usd_per_day=90000",
        ),
        ("cash_share = 0.2", "cash_share = 0.25", "auction.cash_share=0.25"),
        (
            "spillover_share = 0.5",
            "spillover_share = 0.6",
            "parallel_market.spillover_share=0.6",
        ),
        (
            "demand_elasticity = 2",
            "demand_elasticity = 2.5",
            "parallel_market.demand_elasticity=2.5",
        ),
        (
            "supply_elasticity = 1",
            "supply_elasticity = 1.5",
            "parallel_market.supply_elasticity=1.5",
        ),
        (
            "reference_rate_iqd_per_usd = 1470",
            "reference_rate_iqd_per_usd = 1450",
            "prices.reference_rate_iqd_per_usd=1450",
        ),
    ];
    let pairs: Vec<(&str, &str)> = edits.iter().map(|(f, t, _)| (*f, *t)).collect();
    let b = variant(&dir, "b.toml", &pairs);
    let a = "fixtures/small.toml";
    let metric = "cpi_impact_pct";
    let v = diff_json(a, b.to_str().unwrap(), &[metric]);
    assert_eq!(v["attribution"]["method"], "one-at-a-time");
    // A, B and each of the nine alone.
    assert_eq!(v["attribution"]["runs"], 11);
    let p = parts_of(&v, metric);
    let base = run_total(a, &[], metric);
    let mut explained = Decimal::ZERO;
    for (_, _, set) in &edits {
        let path = set.split('=').next().unwrap();
        let alone = run_total(a, &[set], metric) - base;
        assert_eq!(dec(p["parts"][path].as_str().unwrap()), alone, "{path}");
        explained += alone;
    }
    let change = run_total(b.to_str().unwrap(), &[], metric) - base;
    assert_eq!(dec(p["change"].as_str().unwrap()), change);
    assert_eq!(dec(p["interactions"].as_str().unwrap()), change - explained);
    let t = ok(&["diff", a, b.to_str().unwrap(), "--metric", metric]);
    assert!(
        t.stdout.contains("9 differences are too many for Shapley values"),
        "{}",
        t.stdout
    );
    assert!(t.stdout.contains("| interactions"), "{}", t.stdout);
}

#[test]
fn timeline_changes_and_the_calendar_are_differences() {
    let dir = tempfile::tempdir().unwrap();
    let b = variant(
        &dir,
        "b.toml",
        &[
            (
                "\"auction.rejection_rate\" = 0.5 }",
                "\"auction.rejection_rate\" = 0.4 }",
            ),
            (
                "rejection_rate = 0.8\n",
                "rejection_rate = 0.8\nholidays = [\"2023-01-03\"]\n",
            ),
        ],
    );
    let v = diff_json(
        "fixtures/small.toml",
        b.to_str().unwrap(),
        &["requests_usd", "parallel_rate"],
    );
    assert_eq!(
        v["differences"],
        serde_json::json!([
            {"path": "auction calendar (weekend, holidays)", "a": "43 auction sessions", "b": "42 auction sessions"},
            {"path": "auction.rejection_rate", "a": "0.8; 0.5 from 2023-02", "b": "0.8; 0.4 from 2023-02"},
        ])
    );
    // One session fewer in January: 100,000 less requested, all of it the calendar's doing.
    let p = parts_of(&v, "requests_usd");
    assert_eq!(p["change"], "-100000");
    assert_eq!(p["parts"]["auction calendar (weekend, holidays)"], "-100000");
    assert_eq!(p["parts"]["auction.rejection_rate"], "0");
    let t = ok(&["diff", "fixtures/small.toml", b.to_str().unwrap()]);
    assert!(t.stdout.contains("0.5 from 2023-02"), "{}", t.stdout);
    assert!(
        t.stdout
            .contains("Shapley values over the 2 differences (4 runs)"),
        "{}",
        t.stdout
    );
}

#[test]
fn models_on_different_months_are_compared_without_attribution() {
    let o = ok(&["diff", "models/iraq-2022-baseline.toml", "models/iraq-2023.toml"]);
    assert!(
        o.stdout.contains(
            "no attribution: A runs 2022-01 to 2022-10 (10 months) and B runs 2022-11 to 2024-12 (26 months)"
        ),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\n timeline "), "{}", o.stdout);
    // Each column is over its own model's months, and the report says so.
    let dir = tempfile::tempdir().unwrap();
    let four = variant(&dir, "four.toml", &[("months = 2", "months = 4")]);
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        four.to_str().unwrap(),
        "--metric",
        "custody_balance_usd",
    ]);
    assert!(
        o.stdout.contains(
            "\nA: custody_balance_usd: the value of Feb 2023.\n\
             B: custody_balance_usd: the value of Apr 2023.\n\
             A (Jan 2023–Feb 2023) and B (Jan 2023–Apr 2023) cover different months, so each column is over its own model's months.\n"
        ),
        "{}",
        o.stdout
    );
    let v = diff_json(
        "models/iraq-2022-baseline.toml",
        "models/iraq-2023.toml",
        &["parallel_rate"],
    );
    assert_eq!(v["attribution"]["available"], false);
    // Summaries are each model's own `run`.
    assert_eq!(v["summary"][0]["a"], "1475.0000");
    // B's mean is the reference implementation's (fixtures/reference/iraq-2023.csv).
    assert_eq!(v["summary"][0]["b"], "1530.8957");
    assert_eq!(v["summary"][0]["change"], "55.8957");
    // 100 × 55.8957 / 1475 = 3.789539…
    assert_eq!(v["summary"][0]["change_pct"], "3.7895");
}

#[test]
fn csv_is_the_summary_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let b = variant(&dir, "b.toml", &[("rejection_rate = 0.8", "rejection_rate = 1")]);
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        b.to_str().unwrap(),
        "--metric",
        "parallel_rate@2023-01",
        "--metric",
        "arrears_usd",
        "--format",
        "csv",
    ]);
    // January by hand: u = 64,000 → 1745.3251; all wires rejected, u = 80,000 → 1800.3318.
    // 100 × 55.0067 / 1745.3251 = 3.15168… → 3.1517.
    assert_eq!(
        o.stdout,
        "metric,a,b,change,change_pct\n\
         parallel_rate@2023-01,1745.3251,1800.3318,55.0067,3.1517\n\
         arrears_usd,0.00,0.00,0.00,\n"
    );
}

#[test]
fn identical_models_and_errors() {
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        "fixtures/small.toml",
        "--metric",
        "flights",
    ]);
    assert!(o.stdout.contains("Assumptions that differ (0)"), "{}", o.stdout);
    assert!(
        o.stdout.contains("Nothing to attribute: no assumption differs."),
        "{}",
        o.stdout
    );
    let o = dinarflow(&[
        "diff",
        "fixtures/small.toml",
        "fixtures/small.toml",
        "--metric",
        "flight",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("did you mean flights?"), "{}", o.stderr);
    let o = dinarflow(&[
        "diff",
        "fixtures/small.toml",
        "models/iraq-2023.toml",
        "--metric",
        "revenue_usd[Others]",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("in models/iraq-2023.toml: unknown metric `revenue_usd[Others]`"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&["diff", "fixtures/small.toml", "no/such.toml"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no/such.toml: no such file"), "{}", o.stderr);
}

#[test]
fn set_b_compares_a_model_with_itself_under_a_what_if() {
    // The default model with oil at $65 in 2023, 75% rejected in January
    // 2023 and a supply elasticity of 1.5, given to B alone, is the diff
    // against a copy of the file edited the same way (docs/guide.md's
    // example: parallel_rate 1,530.8957 -> 1,518.7549, the reference
    // implementation's figure for the edited file).
    let text = std::fs::read_to_string("models/iraq-2023.toml").unwrap();
    let mut edited = text.clone();
    for (from, to) in [
        (
            "\"auction.rejection_rate\" = { value = 0.6502,",
            "\"auction.rejection_rate\" = { value = 0.75,",
        ),
        (
            "\nsupply_elasticity = { value = 1.0",
            "\nsupply_elasticity = { value = 1.5",
        ),
        (
            "\"exports.price_usd_per_bbl\" = 71.10",
            "\"exports.price_usd_per_bbl\" = 65",
        ),
    ] {
        assert_eq!(edited.matches(from).count(), 1, "{from}");
        edited = edited.replacen(from, to, 1);
    }
    let dir = tempfile::tempdir().unwrap();
    let alt = dir.path().join("alt.toml");
    std::fs::write(&alt, edited).unwrap();
    let metrics = [
        "--metric",
        "parallel_rate",
        "--metric",
        "cpi_impact_pct",
        "--metric",
        "custody_balance_usd",
        "--format",
        "csv",
    ];
    let mut files = vec!["diff", "models/iraq-2023.toml", alt.to_str().unwrap()];
    files.extend(metrics);
    let by_file = ok(&files).stdout;
    assert!(
        by_file.contains("\nparallel_rate,1530.8957,1518.7549,-12.1408,-0.7931\n"),
        "{by_file}"
    );
    let sets = [
        "--set-b",
        "exports.price_usd_per_bbl@2023-01=65",
        "--set-b",
        "auction.rejection_rate@2023-01=0.75",
        "--set-b",
        "parallel_market.supply_elasticity=1.5",
    ];
    // A omitted: the built-in model, and B is A again.
    let mut args = vec!["diff"];
    args.extend(sets);
    args.extend(metrics);
    assert_eq!(ok(&args).stdout, by_file);
    // The same with A named.
    let mut named = vec!["diff", "models/iraq-2023.toml"];
    named.extend(sets);
    named.extend(metrics);
    assert_eq!(ok(&named).stdout, by_file);
    // --set-a puts the what-if on A: the change turns round.
    let mut swapped = vec!["diff"];
    swapped.extend(sets.map(|s| if s == "--set-b" { "--set-a" } else { s }));
    swapped.extend(metrics);
    let swapped = ok(&swapped).stdout;
    assert!(
        swapped.contains("\nparallel_rate,1518.7549,1530.8957,12.1408,"),
        "{swapped}"
    );
    // B's heading says what was set on it.
    let mut table = vec!["diff"];
    table.extend(sets);
    let o = ok(&table);
    assert!(
        o.stdout.contains(
            "          with --set-b parallel_market.supply_elasticity=1.5 (for the whole timeline)\n"
        ),
        "{}",
        o.stdout
    );
    // Nothing on either side and no B: refused, naming the ways to give one.
    let o = dinarflow(&["diff"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: diff needs a second model B, or --set-b PATH=VALUE or --scenario-b FILE to compare A with A under a what-if\n"
    );
}

/// An implausible value given to one side of a diff of a file with
/// itself is warned about once, as `run` warns about it; the file's own
/// warnings (there are none in fixtures/small.toml) are not repeated.
#[test]
fn an_implausible_set_b_is_warned_about() {
    // fixtures/small.toml's oil is $80 a barrel; $780 is outside the
    // plausible 5 to 250 USD/bbl (docs/model.md), as `check --set` says.
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        "--set-b",
        "exports.price_usd_per_bbl=780",
        "--format",
        "csv",
    ]);
    let warning = |flag: &str| {
        format!(
            "warning: fixtures/small.toml: exports.price_usd_per_bbl: 780 USD/bbl is outside the plausible \
             range 5 to 250 USD/bbl (given with {flag})\n"
        )
    };
    assert_eq!(o.stderr.matches(&warning("--set-b")).count(), 1, "{}", o.stderr);
    assert_eq!(o.stderr.matches("warning: ").count(), 2, "{}", o.stderr);
    // On A it is A's warning, shown once as well.
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        "--set-a",
        "exports.price_usd_per_bbl=780",
        "--format",
        "csv",
    ]);
    assert_eq!(o.stderr.matches(&warning("--set-a")).count(), 1, "{}", o.stderr);
    // A plausible what-if warns of nothing.
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        "--set-b",
        "exports.price_usd_per_bbl=70",
        "--format",
        "csv",
    ]);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
}

/// A one-sided `--set-b` of a path the shared `--set` also sets wins on
/// B, while the shared value holds on A: the pair compares two what-ifs
/// (it used to be refused as "no effect"). Notes and refusals name the
/// option as typed, and the shared option's note is said once.
#[test]
fn a_one_sided_set_overrides_the_shared_one_on_its_side() {
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0.3",
        "--set-b",
        "auction.rejection_rate=0.4",
        "--metric",
        "sales_usd",
        "--format",
        "csv",
    ]);
    // A and B are what `run` gives with each value alone.
    let (a, b) = (
        run_total(
            "fixtures/small.toml",
            &["auction.rejection_rate=0.3"],
            "sales_usd",
        ),
        run_total(
            "fixtures/small.toml",
            &["auction.rejection_rate=0.4"],
            "sales_usd",
        ),
    );
    assert_ne!(a, b);
    let row = o.stdout.lines().nth(1).unwrap();
    assert!(row.starts_with(&format!("sales_usd,{a},{b},")), "{}", o.stdout);
    assert_eq!(
        o.stderr,
        "note: --set auction.rejection_rate=0.3 holds for the whole timeline; it replaces the [[changes]] from 2023-02\n\
         note: --set-b auction.rejection_rate=0.4 holds for the whole timeline\n"
    );
    // Undone on both sides, the shared one holds nowhere: refused.
    let rate = |v: &str| format!("auction.rejection_rate={v}");
    refused_with(
        &[
            "--set",
            &rate("0.3"),
            "--set-a",
            &rate("0.5"),
            "--set-b",
            &rate("0.4"),
        ],
        "error: --set auction.rejection_rate=0.3 has no effect: --set-a auction.rejection_rate=0.5 and \
         --set-b auction.rejection_rate=0.4 set every month it sets, on A and on B; leave it out\n",
    );
    // Errors name the option the value came with.
    refused_with(
        &["--set-b", "auction.rejection_rat=0.4"],
        "error: --set-b auction.rejection_rat=0.4: `auction.rejection_rat` names no numeric parameter of this \
         model; did you mean auction.rejection_rate, auction.requests_usd_per_day?\n",
    );
    refused_with(
        &["--set-b", &rate("0.4"), "--set-b", &rate("0.5")],
        "error: --set-b auction.rejection_rate=0.4 has no effect: the later --set-b auction.rejection_rate=0.5 \
         sets every month it sets; keep one of them\n",
    );
}

/// `diff fixtures/small.toml ARGS` is refused (exit 2, nothing on
/// stdout) and its stderr ends with `last`.
fn refused_with(args: &[&str], last: &str) {
    let mut all = vec!["diff", "fixtures/small.toml"];
    all.extend(args);
    let o = dinarflow(&all);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    assert!(o.stderr.ends_with(last), "{}", o.stderr);
}

/// A note that only one side says names its side (and its file when A
/// and B are different files); one said by both, or by a `--set-a`/
/// `--set-b`, is said once as it is. A warning names the option.
#[test]
fn notes_that_differ_between_the_sides_name_the_side() {
    let dir = tempfile::tempdir().unwrap();
    // B: the small model without its [[changes]] entry of 2023-02, so the
    // shared --set replaces a change on A only.
    let b = variant(&dir, "b.toml", &[(", \"auction.rejection_rate\" = 0.5 }", " }")]);
    let b = b.to_str().unwrap();
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        b,
        "--set",
        "auction.rejection_rate=0.3",
        "--metric",
        "sales_usd",
    ]);
    assert_eq!(
        o.stderr,
        format!(
            "note: in A (fixtures/small.toml), --set auction.rejection_rate=0.3 holds for the whole \
             timeline; it replaces the [[changes]] from 2023-02\n\
             note: in B ({b}), --set auction.rejection_rate=0.3 holds for the whole timeline\n"
        )
    );
    // One file on both sides: the letter alone; the --set-b note as it is.
    let o = ok(&[
        "diff",
        "fixtures/small.toml",
        "--set-b",
        "auction.official_rate_iqd_per_usd@2023-02=1.31",
        "--set",
        "exports.price_usd_per_bbl=80",
        "--metric",
        "sales_usd",
    ]);
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "note: --set exports.price_usd_per_bbl=80 holds for the whole timeline",
            "note: --set-b auction.official_rate_iqd_per_usd@2023-02=1.31 holds from 2023-02 to the end of \
             the timeline (2023-02); it replaces the [[changes]] entry from 2023-02",
            "warning: fixtures/small.toml: auction.official_rate_iqd_per_usd: from 2023-02: 1.31 IQD/USD is outside \
             the plausible range 500 to 5,000 IQD/USD (given with --set-b)",
        ],
        "{}",
        o.stderr
    );
    // B refused: what B would have said is unknown, so A's note of the
    // shared --set names no side.
    let o = dinarflow(&[
        "diff",
        "fixtures/small.toml",
        "--set",
        "exports.price_usd_per_bbl=70",
        "--set-b",
        "auction.rejection_rat=0.3",
    ]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "note: --set exports.price_usd_per_bbl=70 holds for the whole timeline\n\
         error: --set-b auction.rejection_rat=0.3: `auction.rejection_rat` names no numeric parameter of this \
         model; did you mean auction.rejection_rate, auction.requests_usd_per_day?\n"
    );
}

/// One difference is "the one difference", not "the 1 differences" (nor
/// "the 1 difference").
#[test]
fn one_difference_is_counted_in_the_singular() {
    let o = ok(&["diff", "--set-b", "auction.rejection_rate=0.5"]);
    assert!(
        o.stdout
            .contains("Shapley values over the one difference (2 runs):"),
        "{}",
        o.stdout
    );
}

/// A buyer renamed in B: its revenue is in one model only, so it is not
/// compared, and the report says so rather than dropping it silently.
#[test]
fn metrics_only_one_model_has_are_named_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let b = variant(&dir, "rest.toml", &[("name = \"Others\"", "name = \"Rest\"")]);
    let b = b.to_str().unwrap();
    let o = ok(&["diff", "fixtures/small.toml", b]);
    assert!(
        o.stdout.contains("\nOnly in A, so not compared: revenue_usd[Others].\n\nOnly in B, so not compared: revenue_usd[Rest].\n"),
        "{}",
        o.stdout
    );
    // China, in both, is compared: 1,000 bpd × 59 days × 0.3 × $80.
    assert!(o.stdout.contains(" revenue_usd[China] "), "{}", o.stdout);
    let v = diff_json("fixtures/small.toml", b, &[]);
    assert_eq!(v["only_in_a"], serde_json::json!(["revenue_usd[Others]"]));
    assert_eq!(v["only_in_b"], serde_json::json!(["revenue_usd[Rest]"]));
    let china = v["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "revenue_usd[China]")
        .unwrap();
    assert_eq!(china["a"], "1416000.00");
}

/// A metric in percent changes by percentage points: the baseline's mean
/// CPI impact of 0.0100% against the 2023 model's −1.8418% is a change of
/// −1.8518 points, not "−18,518%" (100 × −1.8518 / 0.0100). Its change %
/// is left out, in the table (—, with a sentence saying why) and in CSV.
#[test]
fn a_metric_in_percent_has_no_percent_change() {
    let args = [
        "diff",
        "models/iraq-2022-baseline.toml",
        "models/iraq-2023.toml",
        "--metric",
        "cpi_impact_pct",
        "--metric",
        "parallel_rate",
    ];
    let o = ok(&args);
    assert!(
        o.stdout.contains(
            " cpi_impact_pct |     0.0100 |    -1.8418 | -1.8518 |        — \n \
             parallel_rate  | 1,475.0000 | 1,530.8957 | 55.8957 |   3.7895 \n\n\
             cpi_impact_pct is in percent: its change is in percentage points, and a percent change of a \
             percentage says nothing (—).\n"
        ),
        "{}",
        o.stdout
    );
    let o = ok(&[&args[..], &["--format", "csv"]].concat());
    assert!(
        o.stdout.ends_with(
            "cpi_impact_pct,0.0100,-1.8418,-1.8518,\nparallel_rate,1475.0000,1530.8957,55.8957,3.7895\n"
        ),
        "{}",
        o.stdout
    );
}
