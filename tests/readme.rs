//! The README's examples run as tests: every `console` block is run as a
//! shell script (with the binary on `PATH`; `cargo run --release --`
//! stands for the binary), and each `$ COMMAND` must print exactly the
//! lines the README shows under it (standard output and standard error
//! together). A line `…` or `...` in the README stands for any number of
//! lines the example leaves out. The scripts run in a scratch directory
//! that links to every file and folder of the repository, so that
//! `models/iraq-2023.toml` reads the repository's model and `--out
//! tornado.png` writes into the scratch directory, never the checkout;
//! `/tmp/` in an example is this run's own temporary directory.

use std::path::Path;
use std::process::Command;

/// One `$ COMMAND` with the lines shown under it.
struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

/// The examples of each `console` block, with the line the block starts on.
fn console_blocks(text: &str) -> Vec<(usize, Vec<Example>)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, Vec<Example>)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut current {
            None if line.trim_end() == "```console" => current = Some((i + 1, Vec::new())),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(current.take()),
            Some((_, examples)) => {
                if let Some(cmd) = line.strip_prefix("$ ") {
                    examples.push(Example {
                        line: i + 1,
                        command: cmd.to_string(),
                        expected: Vec::new(),
                    });
                } else if let Some(last) = examples.last_mut() {
                    // A command continued with a backslash.
                    if last.command.ends_with('\\') && last.expected.is_empty() {
                        last.command.push('\n');
                        last.command.push_str(line);
                    } else {
                        last.expected.push(line.to_string());
                    }
                }
            }
        }
    }
    blocks
}

const MARK: &str = "@@@ end of example @@@";

/// Whether `got` is `expected`, where a line `…` or `...` stands for any lines.
fn matches(expected: &[String], got: &[&str]) -> bool {
    match expected.split_first() {
        None => got.is_empty(),
        Some((first, rest)) if matches!(first.trim(), "…" | "...") => {
            (0..=got.len()).any(|skip| matches(rest, &got[skip..]))
        }
        Some((first, rest)) => got
            .split_first()
            .is_some_and(|(g, more)| g.trim_end() == first.trim_end() && matches(rest, more)),
    }
}

#[test]
fn every_console_example_prints_what_the_readme_shows() {
    let (count, failures) = console_examples("README.md");
    assert!(count >= 12, "only {count} examples found");
    assert!(
        failures.is_empty(),
        "{} of {count} README examples differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Whether an example that shows no output does something that a later
/// one reads: writes a file (`>`, `--out`, `--write-model`) or changes
/// directory. One that only prints and shows nothing checks nothing: a
/// guide's `grep` for a value that a refit had changed passed by printing
/// nothing.
fn writes_something(command: &str) -> bool {
    // Output thrown away (`2>/dev/null`, `>/dev/null 2>&1`) writes nothing.
    let kept = command
        .replace("2>&1", "")
        .replace("2>/dev/null", "")
        .replace(">/dev/null", "");
    kept.contains('>')
        || command.contains("--out")
        || command.contains("--write-model")
        || command.starts_with("cd ")
}

/// Runs every `console` example of the Markdown file `file` (a path in
/// the repository): how many there are, and a message for each that
/// printed something else than the file shows.
pub(crate) fn console_examples(file: &str) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(file).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_dinarflow"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    for entry in std::fs::read_dir(".").unwrap() {
        let name = entry.unwrap().file_name();
        if name != "target" && name != ".git" {
            let target = std::fs::canonicalize(&name).unwrap();
            std::os::unix::fs::symlink(target, work.join(&name)).unwrap();
        }
    }
    // A file an example writes to /tmp goes to this run's own scratch
    // directory (and is shown as /tmp again), so that two test runs at
    // once on one machine never write each other's files.
    let scratch = format!("{}/", dir.path().display());
    let mut failures = Vec::new();
    let mut count = 0;
    for (start, examples) in console_blocks(&text) {
        let mut script = String::from("set +e\n");
        for e in &examples {
            let command = e
                .command
                .replace("cargo run --release -- ", "dinarflow ")
                .replace("/tmp/", &scratch);
            script.push_str(&format!(
                "{{ {command}\n}} 2>&1; __status=$?; echo '{MARK}'; (exit $__status)\n"
            ));
        }
        let out = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .current_dir(&work)
            .env("PATH", &path)
            .env("TMPDIR", dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).replace(&scratch, "/tmp/");
        let outputs: Vec<&str> = stdout.split(&format!("{MARK}\n")).collect();
        for (k, e) in examples.iter().enumerate() {
            count += 1;
            if e.expected.is_empty() && !writes_something(&e.command) {
                failures.push(format!(
                    "{file}:{}: $ {}\n--- shows no output and writes no file, so it checks nothing",
                    e.line, e.command
                ));
            }
            let got: Vec<&str> = outputs.get(k).map_or(Vec::new(), |o| o.lines().collect());
            if !matches(&e.expected, &got) {
                failures.push(format!(
                    "{file}:{} (block at line {start}): $ {}\n--- {file} shows:\n{}\n--- it printed:\n{}",
                    e.line,
                    e.command,
                    e.expected.join("\n"),
                    got.join("\n")
                ));
            }
        }
    }
    (count, failures)
}
