//! Absurd requests either run in bounded time and memory or are refused
//! with a clear message before any work starts: a 600-month model, a file
//! over the size limit, a list of 100,000 buyers, thousands of problems,
//! megabytes of notes over 600 months, tens of thousands of changes, and
//! the largest Monte Carlo run.
//!
//! Each case runs the debug binary under a deadline (and, on Unix, under
//! a cap on its address space), so a regression fails instead of hanging
//! the suite or the machine. The deadlines guard against runaway work, not
//! speed (speed is measured in benches/ and docs/performance.md): each is
//! tens of times what the case takes. The figures in the comments were
//! measured on the project's 2-core machine with a debug build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dinarflow::cli::DEFAULT_MODEL;

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

const BIN: &str = env!("CARGO_BIN_EXE_dinarflow");

/// Runs the binary with `args`, its address space capped at `memory_mib`
/// (on Unix), and kills it after `deadline`.
fn run_bounded(args: &[&str], memory_mib: u64, deadline: Duration) -> Outcome {
    let mut cmd = if cfg!(unix) {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", memory_mib * 1024))
            .arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let start = Instant::now();
    let mut child = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dinarflow {args:?} did not finish within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let o = Outcome {
        code: status.code(),
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    };
    assert!(!o.stderr.contains("panicked"), "panic: {}", o.stderr);
    assert!(
        !o.stderr.contains("memory allocation"),
        "dinarflow {args:?} ran out of its {memory_mib} MiB: {}",
        o.stderr
    );
    o
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// fixtures/small.toml with `months` months and its buyers replaced by `buyers`.
fn small_with(months: u32, buyers: &str) -> String {
    let text = include_str!("../fixtures/small.toml").replace("months = 2", &format!("months = {months}"));
    let (start, end) = (
        text.find("[[exports.buyers]]").unwrap(),
        text.find("[[deductions]]").unwrap(),
    );
    format!("{}{buyers}{}", &text[..start], &text[end..])
}

/// `n` buyers with equal shares summing to exactly 1 (`n` a power of ten).
fn buyers(n: usize) -> String {
    let share = rust_decimal::Decimal::ONE / rust_decimal::Decimal::from(n);
    let mut out = String::new();
    for i in 0..n {
        writeln!(out, "[[exports.buyers]]\nname = \"B{i}\"\nshare = {share}\n").unwrap();
    }
    out
}

/// The default model over 600 months (its changes and holidays all fall
/// inside): run, brief, trace and check each finish (well under a second
/// in a debug build; run --format csv: 0.2 s).
#[test]
fn a_600_month_model_runs_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let text = DEFAULT_MODEL.replacen("\nmonths = 26\n", "\nmonths = 600\n", 1);
    assert_ne!(text, DEFAULT_MODEL);
    let model = write(dir.path(), "600.toml", &text);
    let limit = Duration::from_secs(20);
    let run = run_bounded(&["run", s(&model), "--format", "csv"], 1024, limit);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // 600 monthly rows and the total of each metric.
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.contains(",parallel_rate,"))
            .count(),
        601
    );
    assert!(run.stdout.contains("\n2072-10,parallel_rate,"));
    for args in [
        vec!["brief", s(&model)],
        vec!["trace", s(&model), "--postings", "--format", "csv"],
        vec!["check", s(&model)],
    ] {
        let o = run_bounded(&args, 1024, limit);
        assert_eq!(o.code, Some(0), "{args:?}: {}", o.stderr);
    }
    let brief = run_bounded(&["brief", s(&model)], 1024, limit);
    assert!(
        brief.stdout.contains("2022-11 to 2072-10 (600 months)"),
        "{}",
        brief.stdout
    );
}

/// A file over 16 MiB is refused from its size alone, before it is read.
#[test]
fn a_file_over_16_mib_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = include_str!("../fixtures/small.toml").to_string();
    let line = format!("# {}\n", "x".repeat(1022));
    while text.len() < 17 * 1024 * 1024 {
        text.push_str(&line);
    }
    text.truncate(17 * 1024 * 1024);
    let model = write(dir.path(), "huge.toml", &text);
    for cmd in ["check", "run", "brief", "trace"] {
        let o = run_bounded(&[cmd, s(&model)], 256, Duration::from_secs(10));
        assert_eq!(o.code, Some(2), "{cmd}: {}", o.stderr);
        assert!(o.stdout.is_empty());
        assert!(
            o.stderr
                .contains("huge.toml: is 17.0 MiB; model files are limited to 16 MiB\n"),
            "{cmd}: {}",
            o.stderr
        );
    }
}

/// A 5 MB file of 100,000 buyers is valid TOML and each buyer is valid, but
/// no model has that many; it is refused in one message (0.5 s) instead of
/// listing 200,000 assumptions or running 100,000 metrics per month.
#[test]
fn a_list_of_100000_buyers_is_refused_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let text = small_with(600, &buyers(100_000));
    assert!(text.len() > 5_000_000);
    let model = write(dir.path(), "buyers.toml", &text);
    for cmd in ["check", "run"] {
        let o = run_bounded(&[cmd, s(&model)], 1024, Duration::from_secs(30));
        assert_eq!(o.code, Some(2), "{cmd}: {}", o.stderr);
        assert!(
            o.stderr.contains(
                "buyers.toml:14:1: exports.buyers: has 100000 entries, too many for one model (allowed: at most 1000 [[exports.buyers]] entries)"
            ),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("error: 1 problem in"), "{}", o.stderr);
    }
}

/// The largest list allowed, over the longest timeline: 1,000 buyers for
/// 600 months is 612,600 CSV rows, written in bounded time and memory.
#[test]
fn a_thousand_buyers_over_600_months_run_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(dir.path(), "wide.toml", &small_with(600, &buyers(1000)));
    let o = run_bounded(
        &["run", s(&model), "--format", "csv"],
        2048,
        Duration::from_secs(60),
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_eq!(o.stdout.lines().count(), 1 + 601 * (25 + 1000 + 1 + 1 + 2));
    assert!(o.stdout.contains("\ntotal,revenue_usd[B999],"));
    let o = run_bounded(&["check", s(&model)], 1024, Duration::from_secs(30));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(
        o.stdout.contains("wide.toml:4012"),
        "the last buyer's line is located"
    );
}

/// `trace` is linear in accounts and postings: 1,000 buyers over 600
/// months (612,000 postings) take about 4 s in a debug build; a scan of
/// the postings per account took 45 s.
#[test]
fn trace_of_a_thousand_buyers_over_600_months_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(dir.path(), "wide.toml", &small_with(600, &buyers(1000)));
    let o = run_bounded(&["trace", s(&model)], 1024, Duration::from_secs(30));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("buyer:B999"), "{}", o.stdout);
    assert!(o.stdout.contains("balances exactly"), "{}", o.stdout);
}

/// A 15 MB file of empty inline tables is refused from one scan of its
/// text, within 1 GiB (parsing it first took 1.1 GB), and the diagnostic
/// on its 15 MB line shows a window of it, not the line.
#[test]
fn fifteen_megabytes_of_empty_tables_are_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("x = [{}]\n", "{},".repeat(5_000_000));
    let model = write(dir.path(), "tables.toml", &text);
    let o = run_bounded(&["check", s(&model)], 1024, Duration::from_secs(60));
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    let first = o.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "error: {}:1:3000003: the file holds more than 2000000 values, tables and separators (allowed: at most 2000000 in a model file)",
            s(&model)
        )
    );
    assert!(o
        .stderr
        .contains("= help: no model needs this many; is this a model file?"));
    assert!(o.stderr.len() < 1000, "{} bytes of diagnostics", o.stderr.len());
}

/// A diagnostic on a 15 MB line is cut on both sides of the caret: the
/// value at its end (after 15 MB of blanks) and at its start (before 15 MB
/// of a comment) each print a few hundred bytes.
#[test]
fn a_diagnostic_on_a_15_mb_line_is_cut_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_with(2, &buyers(10));
    assert!(base.contains("rejection_rate = 0.8\n"));
    let pad = " ".repeat(15_000_000);
    for (name, line) in [
        ("left.toml", format!("{pad}rejection_rate = 80\n")),
        ("right.toml", format!("rejection_rate = 80 #{pad}x\n")),
    ] {
        let model = write(
            dir.path(),
            name,
            &base.replacen("rejection_rate = 0.8\n", &line, 1),
        );
        let o = run_bounded(&["check", s(&model)], 1024, Duration::from_secs(60));
        assert_eq!(o.code, Some(2), "{}", o.stderr);
        assert!(
            o.stderr
                .contains("auction.rejection_rate: 80 is out of range (allowed: 0 to 1)"),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("did you mean 0.8?"), "{}", o.stderr);
        assert!(
            o.stderr.len() < 1000,
            "{name}: {} bytes of diagnostics",
            o.stderr.len()
        );
    }
}

/// A plain tornado over 600 months moves every numeric parameter (here
/// 70, with 30 buyers) within a 1 GiB address space: one kernel per
/// parameter at a time. (A 25-entry model once took 1.2 GB; the figures
/// for 100 entries per list are in docs/performance.md.)
#[test]
fn tornado_memory_does_not_grow_with_the_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let list: String = (0..30)
        .map(|i| {
            let share = if i == 0 { "0.014" } else { "0.034" };
            format!("[[exports.buyers]]\nname = \"B{i}\"\nshare = {share}\nprice_offset_usd_per_bbl = -1\n\n")
        })
        .collect();
    let model = write(dir.path(), "wide.toml", &small_with(600, &list));
    let o = run_bounded(
        &["tornado", s(&model), "--metric", "parallel_rate"],
        1024,
        Duration::from_secs(90),
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("exports.buyers[B29].share"), "{}", o.stdout);
}

/// A sum rule broken by a list of 1,000 is told in one readable line,
/// not with 1,000 terms.
#[test]
fn a_broken_sum_over_a_long_list_reads_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let list = buyers(1000).replacen("share = 0.001", "share = 0.002", 1);
    let model = write(dir.path(), "sum.toml", &small_with(2, &list));
    let o = run_bounded(&["check", s(&model)], 1024, Duration::from_secs(30));
    assert_eq!(o.code, Some(2));
    let first = o.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "error: {}:16:9: exports.buyers[*].share: the shares add up to 1.001 (0.002 + {}… + 0.001, 1000 terms) (allowed: exactly 1)",
            s(&model),
            "0.001 + ".repeat(8)
        )
    );
}

/// 20,000 problems: the first 100 in file order are shown, then a count of
/// the rest. (Locating each problem by scanning the file, and checking each
/// against all earlier ones, made 200,000 problems take minutes.)
#[test]
fn thousands_of_problems_show_the_first_hundred_and_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = include_str!("../fixtures/small.toml").to_string();
    for i in 0..20_000 {
        writeln!(
            text,
            "[[changes]]\nfrom = \"2023-02\"\nset = {{ \"exports.buyers[X{i}].share\" = 0.5 }}"
        )
        .unwrap();
    }
    let model = write(dir.path(), "problems.toml", &text);
    let o = run_bounded(&["check", s(&model)], 1024, Duration::from_secs(60));
    assert_eq!(o.code, Some(2));
    assert!(o.stdout.is_empty());
    let shown = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains("problems.toml:"))
        .count();
    assert_eq!(shown, 100, "{}", &o.stderr[..2000.min(o.stderr.len())]);
    assert!(o
        .stderr
        .contains("note: 19900 more problems are not shown; fix these first, then check the file again"));
    assert!(o
        .stderr
        .ends_with(&format!("error: 20000 problems in {}\n", s(&model))));
    // The first one is located and explained like any other.
    assert!(
        o.stderr.contains("problems.toml:75:9: changes[1].set.\"exports.buyers[X0].share\": `exports.buyers[X0].share` names no numeric parameter"),
        "{}",
        &o.stderr[..1000.min(o.stderr.len())]
    );
    assert!(o.stderr.contains("did you mean exports.buyers[China].share"));
}

/// A 4 MB note on a 600-month model with a change. Re-checking the rules
/// in each month kept a copy of every parameter, note included, per month:
/// 2.4 GB (a 10 MB note: 5.9 GB). Now it stays within 1 GiB of address space.
#[test]
fn megabytes_of_notes_over_600_months_stay_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let note = "n".repeat(4_000_000);
    let text = include_str!("../fixtures/small.toml")
        .replace("months = 2", "months = 600")
        .replace(
            "volume_bpd = 1000",
            &format!("volume_bpd = {{ value = 1000, note = \"{note}\" }}"),
        );
    let model = write(dir.path(), "notes.toml", &text);
    for args in [
        vec!["check", s(&model)],
        vec!["run", s(&model), "--format", "csv"],
        vec!["run", s(&model), "--set", "exports.buyers[China].share=0.3"],
    ] {
        let o = run_bounded(&args, 1024, Duration::from_secs(30));
        assert_eq!(o.code, Some(0), "{args:?}: {}", o.stderr);
    }
}

/// 60,000 changes (100 buyers' offsets in each of 600 months) load, check
/// and run in bounded time: duplicate changes are found by lookup, not by
/// comparing each change with all earlier ones.
#[test]
fn sixty_thousand_changes_load_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = small_with(600, &buyers(100));
    let mut month = (2023, 1);
    for _ in 0..600 {
        let set: Vec<String> = (0..100)
            .map(|i| format!("\"exports.buyers[B{i}].price_offset_usd_per_bbl\" = {}", i % 7))
            .collect();
        writeln!(
            text,
            "[[changes]]\nfrom = \"{:04}-{:02}\"\nset = {{ {} }}",
            month.0,
            month.1,
            set.join(", ")
        )
        .unwrap();
        month = if month.1 == 12 {
            (month.0 + 1, 1)
        } else {
            (month.0, month.1 + 1)
        };
    }
    let model = write(dir.path(), "changes.toml", &text);
    let o = run_bounded(
        &["check", s(&model), "--format", "json"],
        2048,
        Duration::from_secs(60),
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(o.stdout.contains("\"2072-12\""));
    let o = run_bounded(&["brief", s(&model)], 2048, Duration::from_secs(60));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

/// `mc -n`, `sobol -n` and `morris -r` beyond what one run makes, or what
/// memory holds, are refused before a single draw.
#[test]
fn an_absurd_monte_carlo_run_is_refused_before_it_starts() {
    for [cmd, flag, n, expect] in [
        [
            "mc",
            "-n",
            "1000000000000",
            "too large (allowed: a whole number from 1 to 200,000,000)",
        ],
        ["mc", "-n", "200000000", "would need about"],
        [
            "sobol",
            "-n",
            "100000000",
            "too large (allowed: a whole number from 2 to 65,536)",
        ],
        [
            "morris",
            "-r",
            "1000000000000",
            "too large (allowed: a whole number from 2 to 100,000,000): each trajectory runs the model once per \
             input and once more, and one morris runs it at most 200,000,000 times",
        ],
        ["morris", "-r", "100000000", "more than one run makes"],
    ] {
        let args = [cmd, "fixtures/mc-6-months.toml", flag, n];
        let o = run_bounded(&args, 512, Duration::from_secs(10));
        assert_eq!(o.code, Some(2), "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(expect), "{args:?}: {}", o.stderr);
    }
}
