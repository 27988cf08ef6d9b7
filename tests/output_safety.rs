//! `--out` for every command that has it (and `mc --draws`): written
//! atomically, a clear error for a destination that cannot be written,
//! never the model file being read, and a failed run leaves an existing
//! file untouched with no temporary files behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{dinarflow, Output};

/// A command line that writes output, with the option that names the file.
struct Case {
    name: &'static str,
    args: Vec<String>,
    flag: &'static str,
}

/// Makes `--set` values that overflow the first month's revenue, so that
/// any command fails while computing (exit 1).
const OVERFLOW: [&str; 4] = [
    "--set",
    "exports.volume_bpd=100000000000000000000",
    "--set",
    "exports.price_usd_per_bbl=100000000",
];

struct Dir {
    _tmp: tempfile::TempDir,
    path: PathBuf,
    /// A model with [uncertainty] (fixtures/mc-6-months.toml).
    model: PathBuf,
    /// A second model, for diff (fixtures/small.toml).
    other: PathBuf,
}

fn dir() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().to_path_buf();
    let model = path.join("model.toml");
    let other = path.join("other.toml");
    std::fs::copy("fixtures/mc-6-months.toml", &model).unwrap();
    std::fs::copy("fixtures/small.toml", &other).unwrap();
    std::fs::write(
        path.join("observed.csv"),
        "date,metric,value\n2023-02,parallel_rate,1500\n2023-04,parallel_rate,1450\n",
    )
    .unwrap();
    Dir {
        _tmp: tmp,
        path,
        model,
        other,
    }
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

fn cases(d: &Dir) -> Vec<Case> {
    let (m, o) = (s(&d.model), s(&d.other));
    let obs = s(&d.path.join("observed.csv"));
    let case = |name, args: &[&str], flag| Case {
        name,
        args: args.iter().map(|a| a.to_string()).collect(),
        flag,
    };
    vec![
        case("run", &["run", &m, "--format", "csv"], "--out"),
        case("brief", &["brief", &m], "--out"),
        case("check", &["check", &m], "--out"),
        case("trace", &["trace", &m, "--postings"], "--out"),
        case(
            "sweep",
            &["sweep", &m, "--vary", "auction.rejection_rate=0.5,0.6"],
            "--out",
        ),
        case("tornado", &["tornado", &m, "--metric", "parallel_rate"], "--out"),
        case(
            "solve",
            &[
                "solve",
                &m,
                "--vary",
                "auction.rejection_rate",
                "--target",
                "parallel_rate=1500",
            ],
            "--out",
        ),
        case("diff", &["diff", &m, &o], "--out"),
        case("explain", &["explain", &m, "parallel_rate"], "--out"),
        case("mc", &["mc", &m, "-n", "200"], "--out"),
        case("mc", &["mc", &m, "-n", "200", "--shard", "1/2"], "--out"),
        case("mc", &["mc", &m, "-n", "200"], "--draws"),
        case("sobol", &["sobol", &m, "-n", "64"], "--out"),
        case("morris", &["morris", &m, "-r", "4"], "--out"),
        case(
            "fit",
            &[
                "fit",
                &m,
                "--observed",
                &obs,
                "--vary",
                "parallel_market.baseline_turnover_usd_per_day",
            ],
            "--out",
        ),
        case(
            "fit",
            &[
                "fit",
                &m,
                "--observed",
                &obs,
                "--vary",
                "parallel_market.baseline_turnover_usd_per_day",
            ],
            "--write-model",
        ),
        case(
            "backtest",
            &["backtest", &m, "--observed", &obs, "--train-until", "2023-02"],
            "--out",
        ),
    ]
}

fn with(case: &Case, extra: &[&str]) -> Vec<String> {
    let mut args = case.args.clone();
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

fn call(args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    dinarflow(&refs)
}

fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every subcommand whose help offers `--out` is tested here, so a new
/// command cannot skip these checks.
#[test]
fn every_command_with_out_is_covered() {
    let d = dir();
    let mut covered: BTreeSet<&str> = cases(&d).iter().map(|c| c.name).collect();
    covered.insert("merge");
    let help = dinarflow(&["--help"]).stdout;
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{help}");
    for c in commands {
        if dinarflow(&[c, "--help"]).stdout.contains("--out") {
            assert!(covered.contains(c), "`{c}` takes --out but is not tested here");
        }
    }
}

/// Written to the file, nothing on stdout, the same bytes as stdout
/// without it, and nothing else left in the directory.
#[test]
fn out_writes_exactly_what_stdout_would_show() {
    let d = dir();
    for case in cases(&d) {
        let before = listing(&d.path);
        let target = d.path.join("result.txt");
        let o = call(&with(&case, &[case.flag, &s(&target)]));
        assert_eq!(o.code, 0, "{} {}: {}", case.name, case.flag, o.stderr);
        let written = std::fs::read_to_string(&target).unwrap();
        assert!(!written.is_empty());
        if case.flag == "--out" {
            assert!(o.stdout.is_empty(), "{}: stdout {}", case.name, o.stdout);
            let plain = call(&case.args);
            assert_eq!(written, plain.stdout, "{}: --out differs from stdout", case.name);
        }
        std::fs::remove_file(&target).unwrap();
        assert_eq!(listing(&d.path), before, "{}: files left behind", case.name);
    }
}

/// A destination in a directory that does not exist: exit 1, a message
/// naming the file and the directory, and no file or directory created.
#[test]
fn out_into_a_missing_directory_is_a_clear_error() {
    let d = dir();
    let missing = d.path.join("no-such-dir");
    let target = missing.join("result.txt");
    for case in cases(&d) {
        let o = call(&with(&case, &[case.flag, &s(&target)]));
        assert_eq!(o.code, 1, "{} {}: {}", case.name, case.flag, o.stderr);
        let head = format!("error: cannot write {}: ", s(&target));
        let line = o.stderr.lines().find(|l| l.starts_with(&head));
        let Some(line) = line else {
            panic!("{} {}: {}", case.name, case.flag, o.stderr)
        };
        assert_eq!(
            line,
            format!("{head}the directory {} does not exist", s(&missing)),
            "{} {}",
            case.name,
            case.flag
        );
        assert!(!missing.exists(), "{}: the directory was created", case.name);
        assert!(o.stdout.is_empty(), "{}: {}", case.name, o.stdout);
    }
    // A directory as the destination.
    let o = call(&with(&cases(&d)[0], &["--out", &s(&d.path)]));
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        format!("error: cannot write {}: it is a directory\n", s(&d.path))
    );
}

/// `--out` naming the model being read, however it is spelled: exit 2 and
/// the model byte for byte as it was.
#[test]
fn out_never_overwrites_the_model() {
    let d = dir();
    let original = std::fs::read(&d.model).unwrap();
    let other = std::fs::read(&d.other).unwrap();
    let link = d.path.join("link.toml");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&d.model, &link).unwrap();
    let mut spellings = vec![
        s(&d.model),
        format!("{}/./model.toml", s(&d.path)),
        format!(
            "{}/../{}/model.toml",
            s(&d.path),
            d.path.file_name().unwrap().to_str().unwrap()
        ),
    ];
    if cfg!(unix) {
        spellings.push(s(&link));
    }
    for case in cases(&d) {
        for target in &spellings {
            let o = call(&with(&case, &[case.flag, target]));
            assert_eq!(o.code, 2, "{} {} {target}: {}", case.name, case.flag, o.stderr);
            assert!(
                o.stderr
                    .contains("is the model file being read; choose another file")
                    || o.stderr
                        .contains("is the model file or the observed file being read; choose another file"),
                "{}: {}",
                case.name,
                o.stderr
            );
            assert_eq!(
                std::fs::read(&d.model).unwrap(),
                original,
                "{}: model changed",
                case.name
            );
        }
    }
    // diff reads two models: neither may be overwritten.
    let o = call(&[
        "diff".into(),
        s(&d.model),
        s(&d.other),
        "--out".into(),
        s(&d.other),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(std::fs::read(&d.other).unwrap(), other);
}

/// A run that fails while computing leaves an existing `--out` file as it
/// was, and no temporary file behind.
#[test]
fn a_failed_run_leaves_the_existing_file_untouched() {
    let d = dir();
    let target = d.path.join("result.txt");
    std::fs::write(&target, "last week's numbers\n").unwrap();
    let before = listing(&d.path);
    let t = s(&target);
    for case in cases(&d) {
        // `check` computes nothing; it fails on those values with --strict
        // (far outside their plausible ranges), before writing, exit 2.
        let (strict, code): (&[&str], i32) = if case.name == "check" {
            (&["--strict"], 2)
        } else {
            (&[], 1)
        };
        let o = call(&with(
            &case,
            &[&OVERFLOW[..], strict, &[case.flag, t.as_str()]].concat(),
        ));
        assert_eq!(o.code, code, "{} {}: {}", case.name, case.flag, o.stderr);
        assert!(o.stderr.contains("error: "), "{}", o.stderr);
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "last week's numbers\n",
            "{}: the existing file changed",
            case.name
        );
        assert_eq!(listing(&d.path), before, "{}: files left behind", case.name);
    }
}

/// `merge` reads shard files rather than a model: it may not overwrite one
/// of them, and a failed merge leaves an existing file untouched.
#[test]
fn merge_out_is_safe_too() {
    let d = dir();
    let shard = |k: &str| {
        let p = d.path.join(format!("shard-{}.txt", &k[..1]));
        let o = call(&[
            "mc".into(),
            s(&d.model),
            "-n".into(),
            "200".into(),
            "--shard".into(),
            k.into(),
            "--out".into(),
            s(&p),
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        p
    };
    let (a, b) = (shard("1/2"), shard("2/2"));
    let merge = |extra: &[&str]| {
        let mut args = vec!["merge".to_string(), s(&a), s(&b)];
        args.extend(extra.iter().map(|x| x.to_string()));
        call(&args)
    };
    let target = d.path.join("merged.txt");
    let o = merge(&["--out", &s(&target)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), merge(&[]).stdout);

    let missing = d.path.join("no-such-dir").join("merged.txt");
    let o = merge(&["--out", &s(&missing)]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("does not exist"), "{}", o.stderr);

    let shard_a = std::fs::read(&a).unwrap();
    let o = merge(&["--out", &s(&a)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("is one of the shard files being read"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read(&a).unwrap(), shard_a);

    // A shard file that is not one: the merge fails, merged.txt stays.
    let before_text = std::fs::read_to_string(&target).unwrap();
    let before = listing(&d.path);
    let mut args = vec![
        "merge".to_string(),
        s(&a),
        s(&d.model),
        "--out".into(),
        s(&target),
    ];
    let o = call(&args);
    assert_ne!(o.code, 0);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before_text);
    assert_eq!(listing(&d.path), before);
    args.truncate(3);
    assert!(call(&args).stdout.is_empty());
}

/// `--out` without `--format` writes the format its extension names
/// (.csv, .json, .md; .txt and others a table), byte for byte what
/// `--format` gives on stdout.
#[test]
fn out_picks_the_format_from_the_extension() {
    let d = dir();
    let m = s(&d.model);
    let commands: [&[&str]; 5] = [
        &["run", &m],
        &["trace", &m],
        &["tornado", &m, "--metric", "parallel_rate"],
        &["mc", &m, "-n", "200"],
        &["sobol", &m, "-n", "64"],
    ];
    for args in commands {
        for (ext, format) in [
            ("csv", "csv"),
            ("json", "json"),
            ("md", "md"),
            ("txt", "table"),
            ("out", "table"),
        ] {
            let target = d.path.join(format!("result.{ext}"));
            let mut with_out: Vec<&str> = args.to_vec();
            let t = s(&target);
            with_out.extend(["--out", &t]);
            let o = dinarflow(&with_out);
            assert_eq!(o.code, 0, "{args:?} --out .{ext}: {}", o.stderr);
            let mut with_format: Vec<&str> = args.to_vec();
            with_format.extend(["--format", format]);
            let plain = dinarflow(&with_format);
            let written = std::fs::read_to_string(&target).unwrap();
            assert_eq!(written, plain.stdout, "{args:?} --out .{ext}");
            std::fs::remove_file(&target).unwrap();
        }
    }
}

/// A `--format` the extension of `--out` contradicts: exit 2, a message
/// naming both, and no file. Any format may go to a .txt file.
#[test]
fn a_format_that_contradicts_the_out_extension_is_refused() {
    let d = dir();
    let m = s(&d.model);
    let target = d.path.join("result.json");
    let o = dinarflow(&["run", &m, "--format", "csv", "--out", &s(&target)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        format!(
            "error: --format csv does not match --out {}, which names json output; leave out --format or change the file name\n",
            s(&target)
        )
    );
    assert!(!target.exists());
    let o = dinarflow(&["merge", &m, "--format", "md", "--out", &s(&d.path.join("x.csv"))]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("--format md does not match --out"),
        "{}",
        o.stderr
    );
    // brief has no CSV form, however it is asked for.
    let o = dinarflow(&["brief", &m, "--out", &s(&d.path.join("brief.csv"))]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("brief has no CSV form"), "{}", o.stderr);
    let txt = d.path.join("result.txt");
    let o = dinarflow(&["run", &m, "--format", "json", "--out", &s(&txt)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(std::fs::read_to_string(&txt).unwrap().starts_with('{'));
}

/// A command that writes two files (`mc --draws` and `--out`, `fit
/// --write-model` and `--out`) writes neither when one of them cannot be
/// written: it is tried before any work. And no output may replace a
/// scenario file being read, whichever option names it.
#[test]
fn two_outputs_are_both_writable_or_neither_is_written() {
    let d = dir();
    let model = s(&d.model);
    let draws = d.path.join("draws.csv");
    std::fs::write(&draws, "old\n").unwrap();
    let missing = d.path.join("no-such-dir").join("stats.csv");
    let args: Vec<String> = [
        "mc",
        &model,
        "-n",
        "50",
        "--draws",
        &s(&draws),
        "--out",
        &s(&missing),
    ]
    .map(String::from)
    .to_vec();
    let o = call(&args);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        format!(
            "error: cannot write {}: the directory {} does not exist\n",
            s(&missing),
            s(missing.parent().unwrap())
        )
    );
    assert_eq!(std::fs::read_to_string(&draws).unwrap(), "old\n");

    let written = d.path.join("fitted.toml");
    let o = dinarflow(&[
        "fit",
        "--observed",
        "models/observed/iraq-parallel-2022-2023.csv",
        "--vary",
        "parallel_market.persistence",
        "--write-model",
        &s(&written),
        "--out",
        &s(&missing),
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(!written.exists(), "{}", o.stderr);
    assert!(!o.stderr.contains("wrote"), "{}", o.stderr);

    // Scenario files: --draws, like --out, is refused on one (exit 2, the
    // file as it was), and so is diff's --out on a --scenario-b.
    let scenario = d.path.join("s.toml");
    let text = std::fs::read_to_string("models/scenarios/stricter-screening.toml").unwrap();
    std::fs::write(&scenario, &text).unwrap();
    let sc = s(&scenario);
    for args in [
        vec!["mc", "--scenario", &sc, "-n", "5", "--draws", &sc],
        vec!["diff", "--scenario-b", &sc, "--out", &sc],
        vec![
            "fit",
            "--scenario",
            &sc,
            "--observed",
            "models/observed/iraq-parallel-2022-2023.csv",
            "--vary",
            "parallel_market.persistence",
            "--write-model",
            &sc,
        ],
    ] {
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        let flag = args[args.len() - 2];
        assert_eq!(
            o.stderr,
            format!("error: {flag} {sc} is a scenario file being read; choose another file\n"),
            "{args:?}"
        );
        assert_eq!(std::fs::read_to_string(&scenario).unwrap(), text, "{args:?}");
    }
}

/// A side file (`mc --draws`, `fit --write-model`) replaces an existing
/// file only once the report is out: when `--out` then cannot be written
/// (here /dev/full, a device whose every write fails with "no space
/// left"), the existing file is as it was.
#[test]
fn a_side_file_waits_for_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let kept = tmp.path().join("kept.csv");
    let keep = |args: &[&str]| {
        std::fs::write(&kept, "PRECIOUS\n").unwrap();
        let o = dinarflow(args);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(
            o.stderr
                .ends_with("error: cannot write /dev/full: no space left on the device\n"),
            "{}",
            o.stderr
        );
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "PRECIOUS\n", "{args:?}");
        assert!(!o.stderr.contains("wrote "), "{}", o.stderr);
    };
    let k = kept.to_str().unwrap();
    keep(&[
        "mc",
        "fixtures/mc-6-months.toml",
        "-q",
        "-n",
        "200",
        "--draws",
        k,
        "--out",
        "/dev/full",
    ]);
    keep(&[
        "fit",
        "models/iraq-2023.toml",
        "--observed",
        "models/observed/iraq-cpi-2023.csv",
        "--vary",
        "prices.underlying_inflation_pct",
        "--write-model",
        k,
        "--out",
        "/dev/full",
    ]);
    // With a writable --out both files are written.
    let out = tmp.path().join("report.csv");
    let o = dinarflow(&[
        "mc",
        "fixtures/mc-6-months.toml",
        "-q",
        "-n",
        "200",
        "--draws",
        k,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&kept).unwrap().lines().count(), 201);
    assert!(out.exists());
}

/// A `--out` whose directory does not exist is refused before the run,
/// not after it.
#[test]
fn an_out_into_a_missing_directory_is_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nodir").join("x.csv");
    // A million draws would take seconds; the refusal is all it says (no
    // note of the draws' inputs, which comes with the run).
    let o = dinarflow(&["mc", "-q", "-n", "1000000", "--out", out.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        format!(
            "error: cannot write {}: the directory {} does not exist\n",
            out.display(),
            out.parent().unwrap().display()
        )
    );
    assert!(o.stdout.is_empty());
}

/// An `--out` whose extension names a kind of file dinarflow does not
/// write (a PDF, an old workbook, a JPEG) is refused before any work,
/// with the file to ask for instead, and nothing is written; an
/// extension that names no such kind (`.out`) gets the text table, and
/// `--format table` writes the table to any name.
#[test]
fn an_out_file_of_a_kind_dinarflow_does_not_write_is_refused() {
    let d = dir();
    let m = s(&d.model);
    for (name, instead) in [
        (
            "brief.pdf",
            "for a document give .md, or .html for brief's page (a browser prints it to PDF)",
        ),
        ("book.XLS", "for a workbook give .xlsx"),
        ("chart.jpg", "for a picture give .png or .svg"),
        ("rows.tsv", "for data give .csv (exact values) or .json"),
    ] {
        let target = d.path.join(name);
        let o = dinarflow(&["run", &m, "--out", &s(&target)]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        let ext = name.rsplit('.').next().unwrap();
        assert_eq!(
            o.stderr,
            format!(
                "error: --out {t}: dinarflow writes no .{ext} file; {instead}, or give --format table to write the text table to {t}\n",
                t = s(&target)
            )
        );
        assert!(!target.exists(), "{name}");
    }
    let pdf = d.path.join("table.pdf");
    let o = dinarflow(&["run", &m, "--format", "table", "--out", &s(&pdf)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let plain = dinarflow(&["run", &m]);
    assert_eq!(std::fs::read_to_string(&pdf).unwrap(), plain.stdout);
    let out = d.path.join("result.out");
    let o = dinarflow(&["run", &m, "--out", &s(&out)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), plain.stdout);
}
