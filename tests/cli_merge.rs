//! `mc --shard K/N` and `merge`: shards cover exactly the draws of the
//! unsharded run and merge to byte-identical output in every format; the
//! shard header names the model's hash, seed, sampler and total N; shards
//! that do not belong together, or leave draws out, are refused.

use crate::common::{dinarflow, ok};

use std::path::{Path, PathBuf};

const MODEL: &str = "fixtures/mc-6-months.toml";

/// The benchmark model with two correlated inputs added, so that shards
/// also carry Latin hypercube strata and Iman–Conover re-pairing.
fn correlated_model(dir: &Path) -> String {
    let text = std::fs::read_to_string(MODEL).unwrap();
    let path = dir.join("corr.toml");
    std::fs::write(
        &path,
        format!(
            "{text}\"auction.requests_usd_per_day\" = {{ dist = \"uniform\", min = 150000000, max = 250000000 }}\n\
             [correlation]\n\"parallel_market.spillover_share|auction.requests_usd_per_day\" = 0.6\n"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

fn shards(dir: &Path, model: &str, n: &str, count: u32, extra: &[&str]) -> Vec<PathBuf> {
    (1..=count)
        .map(|k| {
            let f = dir.join(format!("shard-{k}.csv"));
            let shard = format!("{k}/{count}");
            let mut args = vec![
                "mc",
                model,
                "-n",
                n,
                "--shard",
                &shard,
                "--out",
                f.to_str().unwrap(),
            ];
            args.extend_from_slice(extra);
            let o = ok(&args);
            assert!(o.stdout.is_empty());
            f
        })
        .collect()
}

#[test]
fn shards_merge_to_the_unsharded_output_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let model = correlated_model(dir.path());
    let extra = ["--sampler", "lhs", "--seed", "5"];
    let files = shards(dir.path(), &model, "3000", 3, &extra);
    let names: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    for format in ["json", "table", "csv", "md"] {
        let mut args = vec!["mc", model.as_str(), "-n", "3000", "--format", format];
        args.extend_from_slice(&extra);
        let whole = ok(&args);
        // Given in any order.
        let merged = ok(&["merge", names[2], names[0], names[1], "--format", format]);
        assert_eq!(merged.stdout, whole.stdout, "{format}");
    }
    // The shards hold every draw once, and the unsharded draws file holds
    // the same rows.
    let all = dir.path().join("all.csv");
    let mut args = vec![
        "mc",
        model.as_str(),
        "-n",
        "3000",
        "--draws",
        all.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(&extra);
    ok(&args);
    let whole = std::fs::read_to_string(&all).unwrap();
    let mut rows = String::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("# ")).skip(1).collect();
        rows.push_str(&(body.join("\n") + "\n"));
    }
    assert_eq!(whole.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n", rows);
}

#[test]
fn the_shard_header_identifies_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let files = shards(dir.path(), MODEL, "1000", 4, &["--seed", "9"]);
    let text = std::fs::read_to_string(&files[1]).unwrap();
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with("# ")).collect();
    assert_eq!(header[0], "# dinarflow mc shard,1");
    assert!(header
        .iter()
        .any(|l| l.starts_with("# model_hash,") && l.len() == "# model_hash,".len() + 32));
    assert!(header.contains(&"# seed,9"));
    assert!(header.contains(&"# sampler,random"));
    assert!(header.contains(&"# n,1000"));
    assert!(header.contains(&"# shard,2,4"));
    assert!(header.contains(&"# draws,250,500"));
    let first_row = text.lines().nth(header.len() + 1).unwrap();
    assert!(first_row.starts_with("250,"), "{first_row}");
    assert_eq!(text.lines().count(), header.len() + 1 + 250);
}

#[test]
fn shards_that_do_not_belong_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let s = shards(&a, MODEL, "900", 3, &[]);
    let t = shards(&b, MODEL, "900", 3, &["--seed", "2"]);
    let p = |f: &PathBuf| f.to_str().unwrap().to_string();
    let o = dinarflow(&["merge", &p(&s[0]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("shard 2/3 of this run is missing"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&["merge", &p(&s[0]), &p(&s[1]), &p(&s[1]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("shard 2/3 is given twice"), "{}", o.stderr);
    let o = dinarflow(&["merge", &p(&s[0]), &p(&t[1]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("differ in seed"), "{}", o.stderr);
    let o = dinarflow(&["merge", &p(&s[0]), &p(&s[1]), MODEL]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("is not a dinarflow mc shard file"),
        "{}",
        o.stderr
    );
    // A shard cut short.
    let text = std::fs::read_to_string(&s[1]).unwrap();
    let cut: Vec<&str> = text.lines().collect();
    std::fs::write(&s[1], cut[..cut.len() - 10].join("\n") + "\n").unwrap();
    let o = dinarflow(&["merge", &p(&s[0]), &p(&s[1]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("was it cut short?"), "{}", o.stderr);
    // Another model.
    let other = dir.path().join("m.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(MODEL)
            .unwrap()
            .replace("sd = 8", "sd = 9"),
    )
    .unwrap();
    let u = shards(&b, other.to_str().unwrap(), "900", 3, &[]);
    let o = dinarflow(&["merge", &p(&s[0]), &p(&u[1]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("differ in model"), "{}", o.stderr);
}

/// A shard that gained blank lines at its end (an editor's or a shell's
/// trailing newline) merges as before; a blank line between draws is named.
#[test]
fn trailing_blank_lines_are_ignored_and_an_inner_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path(), MODEL, "900", 3, &[]);
    let p = |f: &PathBuf| f.to_str().unwrap().to_string();
    let all = |s: &[PathBuf]| ok(&["merge", &p(&s[0]), &p(&s[1]), &p(&s[2]), "--format", "csv"]).stdout;
    let before = all(&s);
    let text = std::fs::read_to_string(&s[0]).unwrap();
    std::fs::write(&s[0], format!("{text}\n")).unwrap();
    assert_eq!(all(&s), before);
    std::fs::write(&s[0], format!("{text}\n  \n\n")).unwrap();
    assert_eq!(all(&s), before);
    // A blank line after the first draw: the header's lines, the column
    // line, the first draw, then the blank one.
    let lines: Vec<&str> = text.lines().collect();
    let columns = lines.iter().position(|l| l.starts_with("draw,")).unwrap();
    let mut edited = lines.clone();
    edited.insert(columns + 2, "");
    std::fs::write(&s[0], edited.join("\n") + "\n").unwrap();
    let o = dinarflow(&["merge", &p(&s[0]), &p(&s[1]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    let want = format!("line {} is blank, but draws follow it", columns + 3);
    assert!(o.stderr.contains(&want), "{want}: {}", o.stderr);
}

#[test]
fn shard_options_that_make_no_sense_are_refused() {
    for (args, msg) in [
        (vec!["--shard", "0/3"], "is not K/N"),
        (vec!["--shard", "4/3"], "is not K/N"),
        (
            vec!["--shard", "1/3", "--until", "p95:1%"],
            "--until cannot be split",
        ),
        (
            vec!["--shard", "1/3", "--format", "json"],
            "--format applies to `dinarflow merge`",
        ),
    ] {
        let mut a = vec!["mc", MODEL, "-n", "100"];
        a.extend(args);
        let o = dinarflow(&a);
        assert_eq!(o.code, 2);
        assert!(o.stderr.contains(msg), "{}", o.stderr);
    }
}

/// A month's quoted rate carries the model's own error ([forecast_error]):
/// the shard header says so, `merge` prints mc's sentence about it, and a
/// shard run with `--no-forecast-error` (the same model hash, other
/// values) is refused rather than mixed in.
#[test]
fn shards_carry_the_model_s_own_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("own.toml");
    let text = std::fs::read_to_string(MODEL).unwrap();
    std::fs::write(
        &model,
        format!("{text}\n[forecast_error]\nparallel_rate = 0.05\n"),
    )
    .unwrap();
    let model = model.to_str().unwrap();
    let metric = ["--metric", "parallel_rate@2023-03", "--metric", "parallel_rate"];
    let with = shards(dir.path(), model, "600", 2, &metric);
    let header = std::fs::read_to_string(&with[0]).unwrap();
    // Only the month carries it; the mean over the timeline is no quote.
    assert!(
        header.contains("\n# forecast_error,parallel_rate@2023-03,0.05\n"),
        "{header}"
    );
    let p = |f: &PathBuf| f.to_str().unwrap().to_string();
    let mut args = vec!["mc", model, "-n", "600"];
    args.extend_from_slice(&metric);
    let whole = ok(&args).stdout;
    assert!(whole.ends_with(
        "\nparallel_rate@2023-03 is a quote, not the model's monthly mean: each draw is the model's value times its own error on a quote, log-normal with σ 5% ([forecast_error]), which the drivers above do not list.\n"
    ), "{whole}");
    assert_eq!(ok(&["merge", &p(&with[0]), &p(&with[1])]).stdout, whole);

    let without_dir = dir.path().join("without");
    std::fs::create_dir_all(&without_dir).unwrap();
    let mut extra = metric.to_vec();
    extra.push("--no-forecast-error");
    let without = shards(&without_dir, model, "600", 2, &extra);
    let o = dinarflow(&["merge", &p(&with[0]), &p(&without[1])]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            "error: {} and {} are not shards of the same run: they differ in the model's own error on a quote ([forecast_error]: a shard run with --no-forecast-error has none)\n",
            p(&with[0]),
            p(&without[1])
        )
    );

    // A σ that is no number is refused, with the line it is on.
    let edited = header.replace(
        "# forecast_error,parallel_rate@2023-03,0.05",
        "# forecast_error,parallel_rate@2023-03,five",
    );
    std::fs::write(&with[0], edited).unwrap();
    let o = dinarflow(&["merge", &p(&with[0]), &p(&with[1])]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            "error: {}:11: `forecast_error` needs pairs of a metric and a σ from 0 to 1, found `parallel_rate@2023-03,five`\n",
            p(&with[0])
        )
    );
}

/// A shard with a row past the draws its header announces is refused
/// with what is wrong (more rows, not fewer), the line, and the last draw
/// the header gives.
#[test]
fn a_shard_with_an_extra_row_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let s = shards(dir.path(), MODEL, "900", 3, &[]);
    let text = std::fs::read_to_string(&s[1]).unwrap();
    let last = text.lines().last().unwrap();
    // Draws 300 to 599; a copy of the last row numbered 600.
    let extra = last.replacen("599,", "600,", 1);
    std::fs::write(&s[1], format!("{text}{extra}\n")).unwrap();
    let line = text.lines().count() + 1;
    let p = |f: &PathBuf| f.to_str().unwrap().to_string();
    let o = dinarflow(&["merge", &p(&s[0]), &p(&s[1]), &p(&s[2])]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            "error: {}: line {line}: a draw after the last one its header announces (599): the file has more rows than its header says\n",
            p(&s[1])
        )
    );
}
