//! Inputs that could make dinarflow work without end: a model or shard
//! path that is not a regular file, a file that grows past the limit, a
//! distribution whose inverse CDF does not finish, shard headers with
//! impossible fields. Each is refused with exit 2 and a message that says
//! where and why.

use std::path::Path;
use std::process::Command;

use crate::common::{dinarflow, ok};

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// A device, a FIFO or a directory as a model or a shard file: exit 2
/// at once, naming what it is. (A FIFO nobody writes to used to block
/// forever; /dev/zero was read without end.)
#[test]
fn a_model_or_shard_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let fifo = s(&fifo);
    let d = s(dir.path());
    let regular = "dinarflow reads regular files only (save it to a file first)";
    let cases = [
        (
            "/dev/zero",
            format!("error: /dev/zero: is a device, not a model file; {regular}\n"),
        ),
        (
            "/dev/urandom",
            format!("error: /dev/urandom: is a device, not a model file; {regular}\n"),
        ),
        (
            fifo.as_str(),
            format!("error: {fifo}: is a FIFO (named pipe), not a model file; {regular}\n"),
        ),
        (
            d.as_str(),
            format!("error: {d}: is a directory, not a model file\n"),
        ),
    ];
    for (path, message) in &cases {
        for command in ["check", "run", "mc"] {
            let o = dinarflow(&[command, path]);
            assert_eq!(o.code, 2, "{command} {path}: {}", o.stderr);
            assert_eq!(&o.stderr, message, "{command} {path}");
        }
        let o = dinarflow(&["merge", path]);
        assert_eq!(o.code, 2, "merge {path}: {}", o.stderr);
        assert_eq!(
            o.stderr,
            message.replace("a model file", "a shard file"),
            "merge {path}"
        );
    }
}

/// `beta { alpha = 1e12 }` passed `check` and then hung every command
/// that draws: it is refused at load time, located, with the bound and
/// what to do instead. The largest allowed shape still finishes.
#[test]
fn a_beta_too_peaked_to_invert_is_refused_at_load_time() {
    let dir = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string("fixtures/mc-6-months.toml").unwrap();
    let old = r#""auction.cash_share" = { dist = "uniform", min = 0.05, max = 0.15 }"#;
    assert!(model.contains(old));
    let write = |name: &str, alpha: &str, beta: &str| {
        let p = dir.path().join(name);
        let new = format!(
            r#""auction.cash_share" = {{ dist = "beta", alpha = {alpha}, beta = {beta}, min = 0.05, max = 0.15 }}"#
        );
        std::fs::write(&p, model.replace(old, &new)).unwrap();
        s(&p)
    };
    for (alpha, beta, key, value) in [
        ("1e12", "1", "alpha", "1000000000000"),
        ("2", "1e7", "beta", "10000000"),
    ] {
        let p = write("peaked.toml", alpha, beta);
        for args in [
            vec!["check", p.as_str()],
            vec!["mc", p.as_str(), "-n", "100"],
            vec!["tornado", p.as_str(), "--metric", "parallel_rate"],
            vec!["sobol", p.as_str(), "-n", "64"],
            vec!["morris", p.as_str()],
        ] {
            let o = dinarflow(&args);
            assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
            let first = o.stderr.lines().next().unwrap();
            assert!(
                first.starts_with(&format!("error: {p}:306:")),
                "{args:?}: {first}"
            );
            assert!(
                first.ends_with(&format!(
                    "uncertainty.\"auction.cash_share\".{key}: invalid beta distribution: {key} = {value} is above 1000000 (allowed: 0 < {key} <= 1000000)"
                )),
                "{first}"
            );
            assert!(o.stderr.contains("help: a beta this peaked"), "{}", o.stderr);
        }
    }
    let p = write("edge.toml", "1000000", "1");
    ok(&["mc", &p, "-n", "200", "-q"]);
}

/// Writes a shard pair of a 10-draw run and returns their paths.
fn shard_pair(dir: &Path) -> (String, String) {
    let model = s(&dir.join("m.toml"));
    std::fs::copy("fixtures/mc-6-months.toml", &model).unwrap();
    let one = |k: &str, name: &str| {
        let p = s(&dir.join(name));
        ok(&["mc", &model, "-n", "10", "-q", "--shard", k, "--out", &p]);
        p
    };
    (one("1/2", "a.csv"), one("2/2", "b.csv"))
}

/// Every header field of a shard file is checked: impossible values are
/// refused with exit 2 and the file and line, never a panic or "NaN".
#[test]
fn every_shard_header_field_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = shard_pair(dir.path());
    let original = std::fs::read_to_string(&a).unwrap();
    let cases = [
        (
            "# inputs,4",
            "# inputs,18446744073709551615",
            "10: `inputs` is 18446744073709551615 and `metric_units` names 3 metrics, but the column line (line 13) has 7 columns after `draw`",
        ),
        (
            "# shard,1,2",
            "# shard,1,0",
            "8: `shard` is 1 of 0; a run of 10 draws has from 1 to 10 shards, numbered from 1",
        ),
        (
            "# shard,1,2",
            "# shard,0,2",
            "8: `shard` is 0 of 2; a run of 10 draws has from 1 to 10 shards, numbered from 1",
        ),
        ("# n,10", "# n,0", "7: `n` is 0; a run has from 1 to"),
        (
            "# draws,0,5",
            "# draws,5,5",
            "9: `draws` is 5 to 5; a shard holds at least one draw, from 0 to 10",
        ),
        (
            "# draws,0,5",
            "# draws,5,0",
            "9: `draws` is 5 to 0; a shard holds at least one draw, from 0 to 10",
        ),
        ("# seed,1", "# seed,-1", "5: `seed` is not a whole number: -1"),
        ("# shard,1,2", "# shard,1", "8: `shard` needs two numbers, found 1"),
        ("# metric_units,IQD/USD,%,%", "# metric_units", "10: `inputs` is 4 and `metric_units` names 0 metrics"),
        (
            "# forecast_error\n",
            "# forecast_error,parallel_rate\n",
            "11: `forecast_error` needs pairs of a metric and a σ from 0 to 1, found `parallel_rate`",
        ),
        (
            "# forecast_error\n",
            "# forecast_error,parallel_rate@2023-03,1.5\n",
            "11: `forecast_error` needs pairs of a metric and a σ from 0 to 1, found `parallel_rate@2023-03,1.5`",
        ),
    ];
    for (old, new, message) in cases {
        assert!(original.contains(old), "{old}");
        std::fs::write(&a, original.replacen(old, new, 1)).unwrap();
        let o = dinarflow(&["merge", &a, &b]);
        assert_eq!(o.code, 2, "{new}: {}", o.stderr);
        let expected = format!("error: {a}:{message}");
        assert!(
            o.stderr.starts_with(&expected),
            "{new}:\n{}\nexpected {expected}",
            o.stderr
        );
        assert_eq!(o.stdout, "", "{new}");
    }
    // mc does not write shards that would be empty.
    let o = dinarflow(&["mc", "fixtures/mc-6-months.toml", "-n", "3", "--shard", "4/4"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --shard K/4 splits -n 3 draws into more shards than draws; use at most 3 shards\n"
    );
}
