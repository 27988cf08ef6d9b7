//! `dinarflow brief`: the main job, on the built-in model and on files.

use crate::common::{dinarflow, ok};

#[test]
fn brief_runs_the_built_in_model() {
    let o = ok(&["brief"]);
    assert!(o
        .stdout
        .starts_with("Brief: Iraq 2022-24: compliance platform shock\n2022-11 to 2024-12 (26 months)\n"));
    for needle in [
        "Gross oil revenue",
        "Kuwait compensation deduction",
        "Banknotes flown to Baghdad",
        "Flights",
        "Airlift cost",
        "Dollars sold at the auction",
        "Wire transfers rejected",
        "Unmet dollar demand",
        "Parallel rate, average",
        "Parallel rate, peak",
        "Premium over official rate, average",
        "Effective import rate, average",
        "CPI impact, average",
        "Largest basket impact",
        "Main results",
        "Assumptions with a published source",
        "Assumptions without a published source",
        "Rasheed",
    ] {
        assert!(o.stdout.contains(needle), "missing {needle}");
    }
    // The built-in model is the shipped file: same numbers either way.
    let file = ok(&["brief", "models/iraq-2023.toml", "--format", "json"]);
    let built_in = ok(&["brief", "--format", "json"]);
    let a: serde_json::Value = serde_json::from_str(&file.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&built_in.stdout).unwrap();
    assert_eq!(a["figures"], b["figures"]);
}

#[test]
fn brief_figures_of_the_small_model() {
    let o = ok(&["brief", "fixtures/small.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let fig = |label: &str| {
        v["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["label"] == label)
            .unwrap_or_else(|| panic!("no {label}"))
            .clone()
    };
    // Numbers worked out in tests/golden.rs.
    assert_eq!(fig("Gross oil revenue")["value"], "4720000.00");
    assert_eq!(fig("Kuwait compensation deduction")["value"], "236000.00");
    assert_eq!(fig("Flights")["value"], "6");
    // 460,000 + 368,000 + 400,000 + 800,000 = 2,028,000 sold.
    assert_eq!(fig("Dollars sold at the auction")["value"], "2028000.00");
    assert_eq!(fig("Parallel rate, average")["value"], "1700.4924");
    assert_eq!(fig("Parallel rate, peak")["value"], "1745.3251");
    assert_eq!(fig("Parallel rate, peak")["detail"], "in 2023-01");
    assert_eq!(fig("Premium over official rate, peak")["detail"], "in 2023-02");
    assert_eq!(fig("CPI impact, average")["value"], "0.3104");
    // Food's mean impact 0.5172 beats Other's 0.1724.
    assert_eq!(fig("Largest basket impact: Food, average")["value"], "0.5172");
    let sentences = v["sentences"].as_array().unwrap();
    assert!((3..=7).contains(&sentences.len()));
    assert_eq!(
        sentences[1],
        "Government payments abroad took $1.0 million out of custody (Debt service $1.0 million)."
    );
    assert_eq!(
        sentences[0],
        "From 2023-01 to 2023-02, oil exports earned $4.7 million gross; after deductions of $236,000 for Kuwait compensation, $4.5 million reached the custody account (the CBI's account at the New York Fed)."
    );
}

#[test]
fn brief_in_markdown_and_with_set() {
    let o = ok(&["brief", "fixtures/small.toml", "--format", "md"]);
    assert!(o.stdout.starts_with("# Brief: Small hand-checked model\n"));
    assert!(o.stdout.contains("## Main results"));
    let o = ok(&[
        "brief",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let unmet = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "Unmet dollar demand")
        .unwrap()
        .clone();
    // Nothing rejected, but custody cannot fund every approved wire:
    // January 1,840,000 asked, 1,650,300 in custody → 189,700 unmet;
    // February custody 0 + 2,128,000 − 500,000 − 1,200,000 − 5,700 = 422,300
    // of 1,600,000 → 1,177,700 unmet; 1,367,400 in all.
    assert_eq!(unmet["value"], "1367400.00");
    assert!(o
        .stderr
        .contains("--set auction.rejection_rate=0 holds for the whole timeline"));
}

#[test]
fn brief_has_no_csv() {
    let o = dinarflow(&["brief", "--format", "csv"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("brief has no CSV form"));
}

/// The total of `metric` in `run MODEL --set SET`.
fn total_with(model: &str, set: &str, metric: &str) -> String {
    let o = ok(&["run", model, "--set", set, "--format", "csv"]);
    o.stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("total,{metric},")))
        .unwrap()
        .to_string()
}

#[test]
fn the_brief_says_what_its_headline_rests_on_untested() {
    let model = "models/iraq-2023.toml";
    let v: serde_json::Value =
        serde_json::from_str(&ok(&["brief", model, "--format", "json"]).stdout).unwrap();
    let r = &v["rests_on"];
    assert_eq!(r["metric"], "parallel_rate");
    // The spillover share (0.8, a note and no source) is the untested
    // assumption that moves the parallel rate most; its ends are `run
    // --set` at 0.8 × 0.8 = 0.64 and 0.8 × 1.2 = 0.96.
    let first = &r["untested"][0];
    assert_eq!(first["path"], "parallel_market.spillover_share");
    let want = |x: &str| {
        total_with(
            model,
            &format!("parallel_market.spillover_share={x}"),
            "parallel_rate",
        )
    };
    assert_eq!(first["headline_low"].as_str().unwrap(), want("0.64"));
    assert_eq!(first["headline_high"].as_str().unwrap(), want("0.96"));
    // No fitted or sourced value is among them, and no parameter that a
    // [[changes]] schedule or [uncertainty] moves.
    for u in r["untested"].as_array().unwrap() {
        let p = u["path"].as_str().unwrap();
        assert!(
            !p.starts_with("auction.rejection_rate") && p != "parallel_market.anchor_weight",
            "{p}"
        );
    }
    // The anchor weight is fitted but loose: standard error 0.35 on 0.36.
    let loose: Vec<&str> = r["loose"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert!(loose.contains(&"parallel_market.anchor_weight"), "{loose:?}");
    // Every format that shows the brief says so.
    for format in ["table", "md", "html"] {
        let o = ok(&["brief", model, "--format", format]);
        assert!(
            o.stdout.contains("What the headline rests on, untested"),
            "{format}"
        );
        assert!(
            o.stdout
                .contains("parallel_market.anchor_weight = 0.364 (standard error 0.35)"),
            "{format}: {}",
            o.stdout
        );
    }
}
