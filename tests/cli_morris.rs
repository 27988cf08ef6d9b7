//! `dinarflow morris`: elementary effects checked by hand on a metric that
//! is linear in its input (the dollars requested at the auction), an input
//! without effect, the JSON shape and refusals.

use crate::common::{dinarflow, ok};

use serde_json::Value;

const MODEL: &str = "fixtures/mc-6-months.toml";

fn num(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn effects_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(MODEL).unwrap();
    let model = dir.path().join("m.toml");
    std::fs::write(
        &model,
        format!("{text}\"auction.requests_usd_per_day\" = {{ dist = \"uniform\", min = 150000000, max = 250000000 }}\n"),
    )
    .unwrap();
    let model = model.to_str().unwrap();
    // requests_usd = requests per day × auction sessions: with 1 USD a day
    // it is the number of sessions.
    let run = ok(&[
        "run",
        model,
        "--set",
        "auction.requests_usd_per_day=1",
        "--format",
        "csv",
    ]);
    let sessions: f64 = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("total,requests_usd,"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(sessions > 100.0 && sessions < 140.0, "{sessions}");
    let o = ok(&[
        "morris",
        model,
        "-r",
        "10",
        "--metric",
        "requests_usd",
        "--format",
        "json",
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(j["metric"], "requests_usd");
    assert_eq!(j["r"], "10");
    assert_eq!(j["levels"], "4");
    // Four levels are the quantiles 12.5%, 37.5%, 62.5%, 87.5% of
    // U(150M, 250M); a move of two levels is 50M a day, every time.
    let e = &j["effects"]["auction.requests_usd_per_day"];
    assert_eq!(num(&e["mu_star"]), sessions * 50_000_000.0);
    assert_eq!(num(&e["mu"]), sessions * 50_000_000.0);
    assert_eq!(num(&e["sigma"]), 0.0);
    for p in ["exports.price_usd_per_bbl", "parallel_market.demand_elasticity"] {
        assert_eq!(num(&j["effects"][p]["mu_star"]), 0.0, "{p}");
    }
}

#[test]
fn screening_the_parallel_rate() {
    let o = ok(&["morris", MODEL, "--format", "json"]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    let e = &j["effects"];
    assert_eq!(num(&e["exports.price_usd_per_bbl"]["mu_star"]), 0.0);
    // A higher elasticity lowers the rate; more spillover raises it.
    assert!(num(&e["parallel_market.demand_elasticity"]["mu"]) < 0.0);
    assert!(num(&e["parallel_market.spillover_share"]["mu"]) > 0.0);
    let o = ok(&["morris", MODEL, "-r", "4"]);
    assert!(
        o.stdout
            .starts_with("Morris screening of parallel_rate (4 trajectories, 4 levels, 20 evaluations)"),
        "{}",
        o.stdout
    );
    let o = ok(&[
        "morris",
        MODEL,
        "-r",
        "4",
        "--format",
        "csv",
        "--metric",
        "parallel_rate",
        "--metric",
        "premium_pct",
    ]);
    assert!(o.stdout.starts_with("metric,input,mu_star,mu,sigma\n"));
    assert_eq!(o.stdout.lines().count(), 1 + 2 * 4);
}

/// Morris draws its inputs independently: a model's [correlation] plays no
/// part, and stderr says so (as sobol's does) only when the model has one.
#[test]
fn morris_says_it_ignores_correlation() {
    let note =
        "note: Morris screening moves independent inputs one at a time; [correlation] is not used here";
    let o = ok(&["morris", "models/iraq-2023.toml", "-r", "2", "-q"]);
    assert!(o.stderr.contains(note), "{}", o.stderr);
    let o = ok(&["morris", MODEL, "-r", "2", "-q"]);
    assert!(!o.stderr.contains("[correlation]"), "{}", o.stderr);
}

#[test]
fn refusals() {
    for (args, msg) in [
        (
            vec!["-r", "1"],
            "error: invalid value '1' for '-r <R>': too small (allowed: a whole number from 2 to 100,000,000); \
             sigma needs two trajectories",
        ),
        (
            vec!["--levels", "5"],
            "error: invalid value '5' for '--levels <L>': an odd number (allowed: an even number from 2 to 100)",
        ),
        (
            vec!["--levels", "99999999999"],
            "error: invalid value '99999999999' for '--levels <L>': too large (allowed: an even number from 2 to 100)",
        ),
        (
            vec!["--levels", "2.5"],
            "error: invalid value '2.5' for '--levels <L>': not a whole number (allowed: an even number from 2 to 100)",
        ),
        // 4 inputs: 5 evaluations a trajectory.
        (
            vec!["-r", "100000000"],
            "error: -r 100000000 with 4 inputs needs 500,000,000 evaluations, more than one run makes (200,000,000)",
        ),
    ] {
        let mut a = vec!["morris", MODEL];
        a.extend(args);
        let o = dinarflow(&a);
        assert_eq!(o.code, 2);
        assert!(o.stderr.contains(msg), "{}", o.stderr);
    }
}
