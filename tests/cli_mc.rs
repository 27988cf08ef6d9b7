//! `dinarflow mc`: the report's statistics recomputed here from the draws
//! file (mean, sd, se, numpy-style percentiles, Spearman with average
//! ranks), each draw equal to `run --set` with its values, thread-count
//! independence, `--until`, seeds that survive edits, and refusals.

use crate::common::{dinarflow, ok, Cmd};

use std::path::Path;

use serde_json::Value;

const MODEL: &str = "fixtures/mc-6-months.toml";
const METRICS: [&str; 3] = ["parallel_rate", "premium_pct", "cpi_impact_pct"];

/// A draws file: column names and rows of numbers (as written).
fn read_draws(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<f64> {
    let j = header.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| r[j].parse().unwrap()).collect()
}

/// numpy.percentile's default (linear between order statistics).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Average ranks (ties share theirs).
fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|a, b| xs[*a].partial_cmp(&xs[*b]).unwrap());
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        for k in i..=j {
            r[idx[k]] = (i + j) as f64 / 2.0 + 1.0;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

fn num(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn close(got: f64, want: f64, places: i32, what: &str) {
    // Reported values are rounded half to even at `places`.
    let tol = 0.5 * 10f64.powi(-places) + 1e-9 * want.abs();
    assert!(
        (got - want).abs() <= tol,
        "{what}: reported {got}, recomputed {want}"
    );
}

#[test]
fn the_report_agrees_with_statistics_recomputed_from_the_draws() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("draws.csv");
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "5000",
        "--format",
        "json",
        "--draws",
        draws.to_str().unwrap(),
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(j["n"], "5000");
    assert_eq!(j["seed"], "1");
    assert_eq!(j["sampler"], "random");
    let (header, rows) = read_draws(&draws);
    assert_eq!(rows.len(), 5000);
    assert_eq!(header[0], "draw");
    let inputs = [
        "auction.cash_share",
        "exports.price_usd_per_bbl",
        "parallel_market.demand_elasticity",
        "parallel_market.spillover_share",
    ];
    for p in inputs {
        assert!(header.iter().any(|h| h == p), "{p} missing from {header:?}");
    }
    for m in METRICS {
        let xs = column(&header, &rows, m);
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let mut sorted = xs.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let s = &j["metrics"][m];
        close(num(&s["mean"]), mean, 4, "mean");
        close(num(&s["sd"]), sd, 4, "sd");
        close(num(&s["se"]), sd / n.sqrt(), 4, "se");
        for (k, q) in [
            ("p5", 0.05),
            ("p10", 0.1),
            ("p25", 0.25),
            ("p50", 0.5),
            ("p75", 0.75),
            ("p90", 0.9),
            ("p95", 0.95),
        ] {
            close(num(&s[k]), percentile(&sorted, q), 4, k);
        }
        close(num(&s["min"]), sorted[0], 4, "min");
        close(num(&s["max"]), sorted[sorted.len() - 1], 4, "max");
        let rm = ranks(&xs);
        for p in inputs {
            let rho = pearson(&ranks(&column(&header, &rows, p)), &rm);
            close(num(&j["drivers"][m][p]), rho, 4, &format!("rho {p} {m}"));
        }
    }
    // The model's story: the demand elasticity and the spillover drive the
    // parallel rate, the oil price cannot (custody never runs short).
    let d = &j["drivers"]["parallel_rate"];
    assert!(num(&d["parallel_market.demand_elasticity"]) < -0.7);
    assert!(num(&d["parallel_market.spillover_share"]) > 0.4);
    assert!(num(&d["exports.price_usd_per_bbl"]).abs() < 0.05);
}

#[test]
fn every_draw_is_a_run_with_its_values_set() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("d.csv");
    ok(&["mc", MODEL, "-n", "50", "--draws", draws.to_str().unwrap(), "-q"]);
    let (header, rows) = read_draws(&draws);
    for row in [&rows[0], &rows[37]] {
        let mut args = vec!["run".to_string(), MODEL.into(), "--format".into(), "csv".into()];
        for (h, v) in header.iter().zip(row).skip(1).take(4) {
            args.push("--set".into());
            args.push(format!("{h}={v}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = ok(&args);
        for m in METRICS {
            let want = run
                .stdout
                .lines()
                .find_map(|l| l.strip_prefix(&format!("total,{m},")))
                .unwrap();
            let j = header.iter().position(|h| h == m).unwrap();
            assert_eq!(row[j], want, "{m}");
        }
    }
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let run = |threads: &str| {
        Cmd::new(&["mc", MODEL, "-n", "3000", "--sampler", "lhs", "--format", "json"])
            .env("RAYON_NUM_THREADS", threads)
            .ok()
            .stdout
    };
    assert_eq!(run("1"), run("3"));
}

#[test]
fn until_stops_at_convergence_with_the_first_draws_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("d.csv");
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "200000",
        "--until",
        "p95:0.5%",
        "--metric",
        "parallel_rate",
        "--format",
        "json",
        "--draws",
        draws.to_str().unwrap(),
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(j["convergence"]["converged"], true);
    let n: usize = j["n"].as_str().unwrap().parse().unwrap();
    assert!((1000..200_000).contains(&n), "{n}");
    // The 95% interval of P95 from order statistics, recomputed here.
    let (header, rows) = read_draws(&draws);
    assert_eq!(rows.len(), n);
    let mut xs = column(&header, &rows, "parallel_rate");
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let nf = n as f64;
    let spread = 1.959964 * (nf * 0.95 * 0.05).sqrt();
    let lo = (nf * 0.95 - spread).floor() as usize - 1;
    let hi = (nf * 0.95 + spread).ceil() as usize - 1;
    let half = (xs[hi] - xs[lo]) / 2.0 / percentile(&xs, 0.95);
    assert!(half <= 0.005, "{half}");
    // With the random sampler those are the first n draws of any run.
    let plain = ok(&[
        "mc",
        MODEL,
        "-n",
        &n.to_string(),
        "--metric",
        "parallel_rate",
        "--format",
        "json",
    ]);
    let p: Value = serde_json::from_str(&plain.stdout).unwrap();
    assert_eq!(p["metrics"], j["metrics"]);
    assert_eq!(p["drivers"], j["drivers"]);
    // A target out of reach: all 3,000 draws, and the report says so.
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "3000",
        "--until",
        "p95:0.0001%,mean:1%",
        "--format",
        "csv",
    ]);
    // The value column stays numeric: convergence has its own columns.
    let mut lines = o.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("metric,statistic,input,value,tolerance,converged")
    );
    for l in lines {
        let cells: Vec<&str> = l.split(',').collect();
        assert_eq!(cells.len(), 6, "{l}");
        assert!(cells[3].parse::<f64>().is_ok(), "value not a number: {l}");
    }
    let row = |stat: &str| {
        o.stdout
            .lines()
            .find(|l| l.starts_with(&format!("parallel_rate,relative_half_width:{stat},,")))
            .unwrap_or_else(|| panic!("no {stat} row:\n{}", o.stdout))
            .to_string()
    };
    assert!(row("p95").ends_with(",0.000001,false"), "{}", row("p95"));
    assert!(row("mean").ends_with(",0.010000,true"), "{}", row("mean"));
    assert!(o.stderr.contains("not every statistic converged"), "{}", o.stderr);
}

/// With too few draws the order-statistic interval of P95 (or P5) reaches
/// past the largest (smallest) draw: it is unbounded, so not converged,
/// and its half-width is empty, null or "–" rather than the spread of the
/// draws (5 draws once passed a 1% target while P95 was 3.7% off).
#[test]
fn until_with_too_few_draws_for_a_percentile_interval_is_not_converged() {
    // n = 5, q = 0.95: n·q + 1.96·√(n·q·(1−q)) = 4.75 + 0.955 = 5.71, rank 6
    // of 5. n = 10: 9.5 + 1.35 = 10.85, rank 11 of 10. n = 10, q = 0.05:
    // 0.5 − 1.35 < 1, rank below the first.
    for (n, stat) in [("5", "p95"), ("10", "p95"), ("10", "p5")] {
        let until = format!("{stat}:1%");
        let args = [
            "mc",
            MODEL,
            "-n",
            n,
            "--until",
            &until,
            "--metric",
            "parallel_rate",
        ];
        let csv = ok(&[&args[..], &["--format", "csv"]].concat());
        let want = format!("parallel_rate,relative_half_width:{stat},,,0.010000,false");
        assert!(csv.stdout.lines().any(|l| l == want), "{}", csv.stdout);
        assert!(
            csv.stderr.contains("not every statistic converged"),
            "{}",
            csv.stderr
        );
        let json = ok(&[&args[..], &["--format", "json"]].concat());
        let j: Value = serde_json::from_str(&json.stdout).unwrap();
        let check = &j["convergence"]["statistics"]["parallel_rate"][stat];
        assert_eq!(check["relative_half_width"], Value::Null, "{check}");
        assert_eq!(check["converged"], false);
        assert_eq!(j["convergence"]["converged"], false);
        let text = ok(&args).stdout;
        let cells = text
            .lines()
            .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>())
            .find(|c| c[0] == "parallel_rate" && c.get(1) == Some(&stat.to_uppercase().as_str()))
            .unwrap_or_else(|| panic!("no convergence row:\n{text}"));
        assert_eq!(cells[2..], ["–", "1%", "no"], "{text}");
        assert!(
            text.contains(&format!("Not every statistic converged within {n} draws")),
            "{text}"
        );
    }
}

/// With every [uncertainty] input fixed by --set there is nothing to draw:
/// the error names them rather than claiming the model has no table.
#[test]
fn every_input_fixed_by_set_is_named_not_a_missing_table() {
    let sets = [
        "exports.price_usd_per_bbl=78",
        "parallel_market.demand_elasticity=2",
        "parallel_market.spillover_share=0.8",
        "auction.cash_share=0.1",
    ];
    let want = "error: every input in the [uncertainty] table of fixtures/mc-6-months.toml is fixed by --set \
                (or a scenario's set): exports.price_usd_per_bbl, parallel_market.demand_elasticity, \
                parallel_market.spillover_share, auction.cash_share; nothing is left to draw. Leave one of them unset to draw it\n";
    for cmd in [
        &["mc", MODEL, "-n", "100"][..],
        &["sobol", MODEL],
        &["morris", MODEL],
    ] {
        let mut args = cmd.to_vec();
        for s in &sets {
            args.extend(["--set", s]);
        }
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{cmd:?}");
        assert!(o.stderr.ends_with(want), "{cmd:?}: {}", o.stderr);
        assert!(!o.stderr.contains("has no [uncertainty] table"), "{}", o.stderr);
    }
    // Three of four fixed: the fourth is drawn.
    let o = ok(&[
        "mc", MODEL, "-n", "50", "--set", sets[0], "--set", sets[1], "--set", sets[2], "--format", "json",
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        j["drivers"]["parallel_rate"].as_object().unwrap().len(),
        1,
        "{}",
        j["drivers"]
    );
}

/// A model without [uncertainty] is shown an entry for a parameter it has
/// (oil-for-food-1997 has no auction, so no auction.rejection_rate), which
/// works when pasted in: its oil price, $18.50 in the file, from 80% to
/// 120%: 14.8 to 22.2.
#[test]
fn a_model_without_uncertainty_is_shown_an_entry_it_can_use() {
    let model = "models/oil-for-food-1997.toml";
    let o = dinarflow(&["mc", model]);
    assert_eq!(o.code, 2);
    let entry = "\"exports.price_usd_per_bbl\" = { dist = \"uniform\", min = 14.8, max = 22.2 }";
    assert!(
        o.stderr
            .ends_with(&format!("add one, e.g.\n  [uncertainty]\n  {entry}\n")),
        "{}",
        o.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("with.toml");
    let text = std::fs::read_to_string(model).unwrap();
    std::fs::write(&path, format!("{text}\n[uncertainty]\n{entry}\n")).unwrap();
    ok(&["mc", path.to_str().unwrap(), "-n", "20", "-q"]);
}

/// The closing sentences round for people, as brief does: money in
/// billions to cents of a billion, percentages to three figures, a count
/// whole, and a metric the same in every draw said once; the ends are
/// the P5 and P95 of the draws file, recomputed here.
#[test]
fn headlines_are_rounded_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("d.csv");
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "500",
        "--metric",
        "custody_balance_usd:min",
        "--metric",
        "flights",
        "--metric",
        "premium_pct",
        "--draws",
        draws.to_str().unwrap(),
        "-q",
    ]);
    let (header, rows) = read_draws(&draws);
    let ends = |name: &str| {
        let mut xs = column(&header, &rows, name);
        xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        (percentile(&xs, 0.05), percentile(&xs, 0.95))
    };
    let (lo, hi) = ends("custody_balance_usd:min");
    assert!(lo > 1e11 && hi < 1e12, "{lo} {hi}");
    let want = format!(
        "\ncustody_balance_usd:min: between ${:.2} and ${:.2} bn in 90% of draws (P5–P95), driven mostly by",
        lo / 1e9,
        hi / 1e9
    );
    assert!(o.stdout.contains(&want), "{want}\n{}", o.stdout);
    assert!(column(&header, &rows, "flights").iter().all(|f| *f == 12.0));
    assert!(
        o.stdout.contains("\nflights: 12 flights in every draw.\n"),
        "{}",
        o.stdout
    );
    let (lo, hi) = ends("premium_pct");
    assert!(lo > 10.0 && hi < 100.0, "{lo} {hi}");
    let want =
        format!("\npremium_pct: between {lo:.1}% and {hi:.1}% in 90% of draws (P5–P95), driven mostly by");
    assert!(o.stdout.contains(&want), "{want}\n{}", o.stdout);
    assert!(!o.stdout.contains("most likely"), "{}", o.stdout);
}

/// The target column writes every tolerance as a percentage, however it
/// was given: 1e-9 is 0.0000001%, 0.005 is 0.5%; CSV and JSON give the
/// fraction with all its places (1e-9 is not 0.000000).
#[test]
fn until_targets_read_alike_however_written() {
    let args = [
        "mc",
        MODEL,
        "-n",
        "1000",
        "--metric",
        "premium_pct",
        "--until",
        "mean:1e-9,p95:0.005,p50:1%",
        "-q",
    ];
    let text = ok(&args).stdout;
    let targets: Vec<String> = text
        .lines()
        .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>())
        .filter(|c| c.len() == 5 && c[0] == "premium_pct")
        .map(|c| c[3].to_string())
        .collect();
    assert_eq!(targets, ["0.0000001%", "0.5%", "1%"], "{text}");
    let csv = ok(&[&args[..], &["--format", "csv"]].concat()).stdout;
    let tolerance = |stat: &str| -> String {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("premium_pct,relative_half_width:{stat},")))
            .unwrap();
        row.split(',').nth(4).unwrap().to_string()
    };
    assert_eq!(tolerance("mean"), "0.000000001");
    assert_eq!(tolerance("p95"), "0.005000");
    let json = ok(&[&args[..], &["--format", "json"]].concat()).stdout;
    let j: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        j["convergence"]["statistics"]["premium_pct"]["mean"]["target"],
        "0.000000001"
    );
}

/// The benchmark model with `[uncertainty]` replaced.
fn model_with_uncertainty(dir: &Path, name: &str, uncertainty: &str) -> String {
    let text = std::fs::read_to_string(MODEL).unwrap();
    let base = text.split("\n[uncertainty]\n").next().unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("{base}\n[uncertainty]\n{uncertainty}")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn an_inputs_draws_survive_edits_of_the_other_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let price = "\"exports.price_usd_per_bbl\" = { dist = \"normal\", mean = 78.31, sd = 8 }\n";
    let spill = "\"parallel_market.spillover_share\" = { dist = \"uniform\", min = 0.6, max = 1.0 }\n";
    let cash = "\"auction.cash_share\" = { dist = \"uniform\", min = 0.05, max = 0.15 }\n";
    let a = model_with_uncertainty(dir.path(), "a.toml", &format!("{price}{spill}"));
    let b = model_with_uncertainty(dir.path(), "b.toml", &format!("{cash}{spill}{price}"));
    for sampler in ["random", "lhs"] {
        let col = |model: &str| {
            let f = dir.path().join("d.csv");
            ok(&[
                "mc",
                model,
                "-n",
                "500",
                "--sampler",
                sampler,
                "--draws",
                f.to_str().unwrap(),
                "-q",
            ]);
            let (h, rows) = read_draws(&f);
            let j = h.iter().position(|x| x == "exports.price_usd_per_bbl").unwrap();
            rows.iter().map(|r| r[j].clone()).collect::<Vec<_>>()
        };
        assert_eq!(col(&a), col(&b), "{sampler}");
    }
}

#[test]
fn formats_and_headline() {
    let o = ok(&["mc", MODEL, "-n", "2000"]);
    assert!(o
        .stdout
        .starts_with("Monte Carlo: 2,000 draws (random sampler, seed 1)"));
    assert!(o.stdout.contains(" P95 "), "{}", o.stdout);
    assert!(
        o.stdout.contains("parallel_rate: between ")
            && o.stdout
                .contains("driven mostly by parallel_market.demand_elasticity"),
        "{}",
        o.stdout
    );
    let o = ok(&["mc", MODEL, "-n", "500", "--format", "csv"]);
    let mut lines = o.stdout.lines();
    assert_eq!(lines.next(), Some("metric,statistic,input,value"));
    assert!(o.stdout.contains("\nparallel_rate,p95,,"));
    assert!(o
        .stdout
        .contains("\ncpi_impact_pct,spearman_rho,auction.cash_share,"));
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "500",
        "--format",
        "md",
        "--seed",
        "7",
        "--sampler",
        "lhs",
    ]);
    assert!(o
        .stdout
        .starts_with("Monte Carlo: 500 draws (lhs sampler, seed 7)"));
    assert!(o.stdout.contains("|-"), "{}", o.stdout);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "500",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.stdout.is_empty());
    let j: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(j["n"], "500");
}

/// One draw has a value but no spread: the sample sd (n − 1) and its
/// standard error are undefined, so they are shown as such, not as 0 (which
/// would say the draws agree), and the sentence names the one value.
#[test]
fn one_draw_has_no_sd() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("d.csv");
    let d = draws.to_str().unwrap();
    let o = ok(&["mc", MODEL, "-n", "1", "--metric", "parallel_rate", "--draws", d]);
    let (header, rows) = read_draws(&draws);
    assert_eq!(rows.len(), 1);
    let value = &rows[0][header.iter().position(|h| h == "parallel_rate").unwrap()];
    assert!(
        o.stdout
            .starts_with("Monte Carlo: 1 draw (random sampler, seed 1)"),
        "{}",
        o.stdout
    );
    let sd = o.stdout.lines().find(|l| l.starts_with(" sd ")).unwrap();
    assert!(sd.trim_end().ends_with("|             –"), "{sd}");
    // The draw's value as written in the draws file (1592.4725), rounded
    // for people: whole dinars with the thousands separator (1,592).
    let v: f64 = value.parse().unwrap();
    assert!((1000.0..10000.0).contains(&v), "{value}");
    let whole = format!("{:.0}", v);
    let shown = format!("{},{}", &whole[..1], &whole[1..]);
    let want = format!(
        "parallel_rate: {shown} IQD per $ in the one draw; a range and what drives it need more draws (-n)."
    );
    assert!(o.stdout.contains(&want), "{}", o.stdout);
    let one = |format: &str| {
        ok(&[
            "mc",
            MODEL,
            "-n",
            "1",
            "--metric",
            "parallel_rate",
            "--format",
            format,
        ])
    };
    let o = one("csv");
    assert!(
        o.stdout.contains("\nparallel_rate,sd,,\nparallel_rate,se,,\n"),
        "{}",
        o.stdout
    );
    let j: Value = serde_json::from_str(&one("json").stdout).unwrap();
    let s = &j["metrics"]["parallel_rate"];
    assert!(s["sd"].is_null() && s["se"].is_null(), "{s}");
    assert_eq!(num(&s["mean"]), value.parse::<f64>().unwrap());
    assert_eq!(s["p5"], s["p95"]);
}

#[test]
fn refusals_before_any_work() {
    // The range is said as the value is read (it once read "from 1 to
    // 18,446,744,073,709,551,615", any u64): MAX_EVALUATIONS is 200 million.
    let o = dinarflow(&["mc", MODEL, "-n", "100000000000"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: invalid value '100000000000' for '-n <N>': too large (allowed: a whole number from 1 to 200,000,000); \
         percentiles settle long before that: try --until p95:0.1% to stop when they have\n\n\
         For more information, try '--help'.\n"
    );
    let o = dinarflow(&["mc", MODEL, "-n", "0"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: invalid value '0' for '-n <N>': too small (allowed: a whole number from 1 to 200,000,000)\n\n\
         For more information, try '--help'.\n"
    );
    let o = dinarflow(&["mc", MODEL, "--metric", "parallel_rat"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("did you mean parallel_rate?"), "{}", o.stderr);
    let o = dinarflow(&["mc", MODEL, "--until", "p97:1%"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown statistic `p97`"), "{}", o.stderr);
    let o = dinarflow(&["mc", "fixtures/small.toml"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("has no [uncertainty] table"), "{}", o.stderr);
    let dir = tempfile::tempdir().unwrap();
    let share = model_with_uncertainty(
        dir.path(),
        "s.toml",
        "\"exports.buyers[China].share\" = { dist = \"uniform\", min = 0.2, max = 0.4 }\n",
    );
    let o = dinarflow(&["mc", &share]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("must sum to exactly 1"), "{}", o.stderr);
}

/// docs/model.md §1.6: less than 5% of a distribution in the allowed range
/// is refused when the file is loaded, at the entry, whatever the number
/// of draws (it once ran with -n 100 and stopped after 1,000 redraws in a
/// row with the default).
#[test]
fn a_distribution_mostly_outside_its_range_is_refused_at_its_entry() {
    // P(cash_share >= 0) = P(z >= 2.5) = 0.62%.
    let dir = tempfile::tempdir().unwrap();
    let m = model_with_uncertainty(
        dir.path(),
        "t.toml",
        "\"auction.cash_share\" = { dist = \"normal\", mean = -0.25, sd = 0.1 }\n",
    );
    let text = std::fs::read_to_string(&m).unwrap();
    let line = text.lines().count();
    let expected = format!(
        "\
error: {m}:{line}:24: uncertainty.\"auction.cash_share\": only 0.6% of normal(mean -0.25, sd 0.1) lies within the allowed range of auction.cash_share (allowed: at least 5% of the distribution within >= 0 and <= 1)
    |
{line} | \"auction.cash_share\" = {{ dist = \"normal\", mean = -0.25, sd = 0.1 }}
    |                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    |
    = help: a draw outside the range is drawn again (at most 1,000 times in a row), so what is drawn would be the edge of the range, not this distribution; move the distribution into the range

error: 1 problem in {m}
"
    );
    for n in ["100", "10000"] {
        let o = dinarflow(&["mc", &m, "-n", n]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert_eq!(o.stderr, expected);
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn by_month_adds_the_fan_s_percentiles_to_csv_json_and_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("draws.csv");
    // The same draws (seed 3), each month's parallel rate written out.
    let months = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"];
    let mut args = vec![
        "mc",
        MODEL,
        "-n",
        "400",
        "--seed",
        "3",
        "-q",
        "--draws",
        draws.to_str().unwrap(),
    ];
    let refs: Vec<String> = months.iter().map(|m| format!("parallel_rate@{m}")).collect();
    for r in &refs {
        args.extend(["--metric", r.as_str()]);
    }
    ok(&args);
    let (header, rows) = read_draws(&draws);
    let base = ok(&["run", MODEL, "--format", "csv"]).stdout;
    let csv = ok(&[
        "mc",
        MODEL,
        "-n",
        "400",
        "--seed",
        "3",
        "-q",
        "--metric",
        "parallel_rate",
        "--by-month",
        "--format",
        "csv",
    ])
    .stdout;
    let json: Value = serde_json::from_str(
        &ok(&[
            "mc",
            MODEL,
            "-n",
            "400",
            "--seed",
            "3",
            "-q",
            "--metric",
            "parallel_rate",
            "--by-month",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    for (i, m) in months.iter().enumerate() {
        let mut col = column(&header, &rows, &refs[i]);
        col.sort_by(f64::total_cmp);
        for (k, q) in [
            ("p5", 0.05),
            ("p25", 0.25),
            ("p50", 0.5),
            ("p75", 0.75),
            ("p95", 0.95),
        ] {
            // numpy-style percentile of the drawn column, to 4 places.
            let want = format!("{:.4}", percentile(&col, q));
            let row = format!("parallel_rate@{m},{k},,{want}\n");
            assert!(csv.contains(&row), "missing {row:?} in\n{csv}");
            assert_eq!(json["by_month"]["parallel_rate"][i][k], want.as_str(), "{m} {k}");
        }
        let exact = base
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{m},parallel_rate,")))
            .unwrap();
        assert!(
            csv.contains(&format!("parallel_rate@{m},base,,{exact}\n")),
            "{csv}"
        );
        assert_eq!(json["by_month"]["parallel_rate"][i]["month"], *m);
        assert_eq!(json["by_month"]["parallel_rate"][i]["base"], exact);
    }
    // Without --by-month the outputs are the statistics alone (as merge writes them).
    let plain = ok(&[
        "mc",
        MODEL,
        "-n",
        "400",
        "--seed",
        "3",
        "-q",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ])
    .stdout;
    assert!(!plain.contains('@'));
    assert!(csv.starts_with(&plain));
    let table = ok(&[
        "mc",
        MODEL,
        "-n",
        "400",
        "--seed",
        "3",
        "-q",
        "--metric",
        "parallel_rate",
        "--by-month",
    ])
    .stdout;
    assert!(
        table.contains("parallel_rate by month: percentiles over the draws, and the base run"),
        "{table}"
    );
    // Shards keep no months.
    let o = dinarflow(&[
        "mc",
        MODEL,
        "-n",
        "400",
        "--by-month",
        "--shard",
        "1/2",
        "--out",
        "x.csv",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("--by-month takes every draw's months"),
        "{}",
        o.stderr
    );
}

/// mc says in how many draws the custody account ran dry, counted from
/// each draw's lowest balance (`--metric custody_balance_usd:min` in the
/// draws file: 1,224 of 4,000 rows at 0 with the built-in model run to
/// December 2025), without adding that column to what it was asked for;
/// none of mc-6-months.toml's draws does (custody grows there), and then
/// it says nothing.
#[test]
fn mc_says_how_often_custody_runs_dry() {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("draws.csv");
    let run = |metric: &str| {
        ok(&[
            "mc",
            "--horizon",
            "2025-12",
            "-n",
            "4000",
            "--metric",
            metric,
            "--draws",
            draws.to_str().unwrap(),
            "-q",
        ])
    };
    assert_eq!(crate::common::custody_dry_draws("2025-12", "4000"), (4000, 1224));
    let note = "note: in 30.6% of the draws (1,224 of 4,000) the custody account (the CBI's account at the New York Fed) runs dry by Dec 2025: \
                from then on the auction cannot send every approved wire and the rest goes unmet; \
                `--metric custody_balance_usd:min` gives the account's lowest balance in each draw\n";
    let o = run("parallel_rate@2025-12");
    assert!(o.stderr.contains(note), "{}", o.stderr);
    // The draws file holds what was asked, nothing watched besides.
    let (header, _) = read_draws(&draws);
    assert_eq!(header.last().unwrap(), "parallel_rate@2025-12");
    let o = ok(&["mc", MODEL, "-n", "2000", "-q"]);
    assert!(!o.stderr.contains("custody"), "{}", o.stderr);
}

/// A statistic too large for an exact decimal at its places (past 7.9e28
/// cents) is shown in scientific notation, with a line saying so, in the
/// text and Markdown tables and the headline, never as 0.00; CSV and JSON
/// keep the number in full.
#[test]
fn statistics_too_large_for_decimals_are_shown_in_scientific_notation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hb.toml");
    let text = std::fs::read_to_string(MODEL).unwrap().replace(
        "opening_balance_usd = { value = 100_000_000_000,",
        "opening_balance_usd = { value = 500_000_000_000_000_000_000_000_000,",
    );
    std::fs::write(&path, text).unwrap();
    let m = path.to_str().unwrap();
    let args = ["mc", m, "-n", "200", "--metric", "custody_balance_usd:max", "-q"];
    let o = ok(&args);
    let table: Vec<&str> = o.stdout.lines().skip(4).take(14).collect();
    let big = |s: &str| format!(" {s:<9} |               5.0000e26 ");
    let mut expected = vec![
        " statistic | custody_balance_usd:max ".to_string(),
        "-----------+-------------------------".to_string(),
        big("mean"),
        " sd        |       68,891,922,369.09 ".to_string(),
        " se        |        4,871,394,547.62 ".to_string(),
    ];
    expected.extend(["P5", "P10", "P25", "P50", "P75", "P90", "P95", "min", "max"].map(big));
    assert_eq!(table, expected);
    assert!(
        o.stdout.contains(
            "\nStatistics too large to show in full are in scientific notation: 5.0000e26 is 5.0000 × 10^26.\n"
        ),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .ends_with("custody_balance_usd:max: $5.0000e26 in every draw.\n"),
        "{}",
        o.stdout
    );
    let mut md = args.to_vec();
    md.extend(["--format", "md"]);
    let o = ok(&md);
    assert!(
        o.stdout.contains("| mean      |               5.0000e26 |\n"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains(" 0.00 |"), "{}", o.stdout);
    let mut csv = args.to_vec();
    csv.extend(["--format", "csv"]);
    let o = ok(&csv);
    assert!(
        o.stdout
            .contains("custody_balance_usd:max,p50,,500000000000000000000000000\n"),
        "{}",
        o.stdout
    );
}

/// A distribution that reaches past what a draw can hold (2^62 − 1
/// millionths, 4,611,686,018,427.387903, for an elasticity) is truncated
/// there like any other range, and the note says so: uniform(1e12, 1e13)
/// has (1e13 − 4.6117e12) / 9e12 = 59.9% beyond it. Those draws were once
/// redrawn without a word, drawing uniform(1e12, 4.6e12) as if it were
/// the distribution written.
#[test]
fn a_distribution_past_what_a_draw_holds_is_said_to_be_truncated() {
    let text = std::fs::read_to_string("fixtures/mc-6-months.toml").unwrap();
    let from =
        "\"parallel_market.demand_elasticity\" = { dist = \"triangular\", min = 0.8, mode = 2.0, max = 3.5 }";
    assert!(text.contains(from));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.toml");
    std::fs::write(
        &path,
        text.replace(
            from,
            "\"parallel_market.demand_elasticity\" = { dist = \"uniform\", min = 1e12, max = 1e13 }",
        ),
    )
    .unwrap();
    let o = ok(&["mc", path.to_str().unwrap(), "-n", "200", "--format", "csv"]);
    assert!(o.stderr.contains(
        "note: 59.9% of uniform(1000000000000 to 10000000000000) for parallel_market.demand_elasticity lies outside its allowed range (> 0 and <= 4611686018427.387903, the most a draw can hold); the distribution is cut to that range (truncation)"
    ), "{}", o.stderr);
}

/// `mc --draws` names a file; a number there is taken for `-n` (brief's
/// `--draws` is one) and refused with both ways to say what was meant,
/// before any work and without writing a file called 4000.
#[test]
fn a_draws_file_named_like_a_count_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = Cmd::new(&["mc", "--draws", "4000", "-n", "10"])
        .dir(dir.path())
        .run();
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            2,
            "error: --draws 4000: mc's --draws names the file to write every draw to (brief's --draws is a number); for 4000 draws give -n 4000, for a file of that name ./4000\n"
        )
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let o = Cmd::new(&["mc", "--draws", "./4000", "-n", "10", "-q"])
        .dir(dir.path())
        .run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(dir.path().join("4000").exists());
}

/// With a `[correlation]`, mc says how many rank correlations it induces
/// and why its driver ranking can differ from tornado's and sobol's.
#[test]
fn mc_says_correlated_inputs_share_their_ranking() {
    // The built-in model's pairs, counted from its file.
    let text = std::fs::read_to_string("models/iraq-2023.toml").unwrap();
    let model: toml::Table = text.parse().unwrap();
    let pairs = model["correlation"].as_table().unwrap().len();
    assert_eq!(pairs, 4);
    let o = ok(&["mc", "-n", "200", "-q"]);
    assert!(
        o.stderr.lines().any(|l| {
            l
            == "note: inducing 4 rank correlations from [correlation] (Iman–Conover): correlated inputs move \
                together in the draws, so an input's Spearman coefficient also carries its partners' effect; \
                tornado and sobol move the inputs independently and can rank them differently"
        }),
        "{}",
        o.stderr
    );
    // Without one, no such note.
    let o = ok(&["mc", "fixtures/mc-6-months.toml", "-n", "200", "-q"]);
    assert!(!o.stderr.contains("[correlation]"), "{}", o.stderr);
}

#[test]
fn a_tolerance_whose_percent_sign_was_dropped_is_refused() {
    // `p95:0.5` would be a fraction, 50%: a hundred times the 0.5% meant.
    let o = dinarflow(&["mc", MODEL, "-n", "100", "--until", "p95:0.5"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --until tolerance `0.5` without % is a fraction, 50%: write 0.5% for 0.5 percent (or 50% if that is meant)\n"
    );
    // A small fraction stays one: 0.005 is 0.5%.
    ok(&["mc", MODEL, "-n", "100", "--until", "p95:0.005", "-q"]);
}

#[test]
fn the_text_says_which_what_if_it_is() {
    let o = ok(&[
        "mc",
        MODEL,
        "-n",
        "100",
        "-q",
        "--set",
        "auction.rejection_rate=0.5",
    ]);
    assert!(
        o.stdout.starts_with(
            "Set: auction.rejection_rate=0.5 (for the whole timeline)\n\nMonte Carlo: 100 draws"
        ),
        "{}",
        o.stdout
    );
}

#[test]
fn a_factor_given_with_set_says_the_drawn_factor_still_draws() {
    // The default model draws auction.cash_share* (uniform 0.7 to 1.3): a
    // --set factor scales the schedule, and the draws still multiply it.
    let o = ok(&[
        "mc",
        "-n",
        "100",
        "-q",
        "--set",
        "auction.cash_share*=1.1",
        "--format",
        "csv",
    ]);
    assert!(
        o.stderr.contains(
            "note: --set auction.cash_share*=1.1 scales its value in every month (the base value and 4 [[changes]] entries); [uncertainty] still draws auction.cash_share* around the scaled values (auction.cash_share=VALUE fixes it)"
        ),
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains(",auction.cash_share*,"), "{}", o.stdout);
}

/// The entry a model without [uncertainty] is told to add runs when
/// pasted in: a value drawn from 80% to 120% of the oil price ($80 in
/// fixtures/small.toml: 64 to 96), or, when the price has [[changes]],
/// which a value would clash with, a factor on its schedule.
#[test]
fn the_suggested_uncertainty_entry_runs_when_pasted_in() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("fixtures/small.toml").unwrap();
    let stepped =
        base.clone() + "\n[[changes]]\nfrom = \"2023-02\"\nset = { \"exports.price_usd_per_bbl\" = 70 }\n";
    for (name, text, entry) in [
        (
            "plain.toml",
            base,
            "\"exports.price_usd_per_bbl\" = { dist = \"uniform\", min = 64, max = 96 }",
        ),
        (
            "stepped.toml",
            stepped,
            "\"exports.price_usd_per_bbl*\" = { dist = \"uniform\", min = 0.8, max = 1.2 }",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let file = path.to_str().unwrap();
        let o = dinarflow(&["mc", file, "-n", "50"]);
        assert_eq!(o.code, 2);
        assert!(
            o.stderr.contains(&format!("  [uncertainty]\n  {entry}\n")),
            "{}",
            o.stderr
        );
        std::fs::write(&path, format!("{text}\n[uncertainty]\n{entry}\n")).unwrap();
        let o = dinarflow(&["mc", file, "-n", "50"]);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
    }
}
