//! How output files are written (src/cli/output.rs): devices and FIFOs
//! written directly, symbolic links followed, the umask and an existing
//! file's mode respected, no temporary file left by an interrupted run,
//! `init` exclusive, conflicting files refused before any work, errors
//! naming the file, and standard output that went away or was closed.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{dinarflow, ok};

const BIN: &str = env!("CARGO_BIN_EXE_dinarflow");

struct Dir {
    tmp: tempfile::TempDir,
    model: String,
}

fn dir() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("model.toml");
    std::fs::copy("fixtures/mc-6-months.toml", &model).unwrap();
    Dir {
        model: model.to_str().unwrap().to_string(),
        tmp,
    }
}

impl Dir {
    fn at(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
    fn s(&self, name: &str) -> String {
        self.at(name).to_str().unwrap().to_string()
    }
    /// The names in the directory (and in `sub`, when there is one).
    fn temporaries(&self) -> Vec<String> {
        let mut names = Vec::new();
        for d in [self.tmp.path().to_path_buf(), self.at("sub")] {
            if let Ok(rd) = std::fs::read_dir(&d) {
                names.extend(
                    rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                        .filter(|n| n.starts_with('.')),
                );
            }
        }
        names
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Runs `dinarflow ARGS` from `sh -c` with `prefix` before it (`umask 022;`).
fn sh(prefix: &str, args: &[&str]) -> std::process::Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    Command::new("sh")
        .arg("-c")
        .arg(format!("{prefix} exec '{BIN}' {}", quoted.join(" ")))
        .output()
        .unwrap()
}

/// A FIFO as `--out` or `--draws` is written to, never replaced by a
/// regular file; so is /dev/null, for any user.
#[test]
fn devices_and_fifos_are_written_directly() {
    let d = dir();
    let expected = ok(&["run", &d.model]).stdout;
    for flag in ["--out", "--draws"] {
        let fifo = d.at("pipe");
        let _ = std::fs::remove_file(&fifo);
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = Command::new("cat")
            .arg(&fifo)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let args: Vec<&str> = if flag == "--out" {
            vec!["run", &d.model, "--out"]
        } else {
            vec!["mc", &d.model, "-n", "20", "-q", "--draws"]
        };
        let f = d.s("pipe");
        let o = dinarflow(&[&args[..], &[&f]].concat());
        let still_fifo = std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo();
        if !still_fifo {
            // The old behaviour: `cat` waits for a writer that never comes.
            let _ = Command::new("kill").arg(reader.id().to_string()).status();
        }
        let got = reader.wait_with_output().unwrap();
        assert!(still_fifo, "{flag}: the FIFO was replaced");
        assert_eq!(o.code, 0, "{flag}: {}", o.stderr);
        let got = String::from_utf8(got.stdout).unwrap();
        if flag == "--out" {
            assert_eq!(got, expected);
        } else {
            assert!(got.starts_with("draw,") && got.lines().count() == 21, "{got}");
        }
    }
    for args in [
        vec!["run", &d.model, "--out", "/dev/null"],
        vec!["mc", &d.model, "-n", "20", "-q", "--draws", "/dev/null"],
    ] {
        ok(&args);
        let m = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(m.file_type().is_char_device(), "/dev/null was replaced");
    }
    assert!(d.temporaries().is_empty(), "{:?}", d.temporaries());
}

/// `--draws /dev/stdout` writes into standard output (a pipe here) and
/// leaves the /dev/stdout link alone.
#[test]
fn dev_stdout_is_standard_output() {
    let d = dir();
    let o = ok(&[
        "mc",
        &d.model,
        "-n",
        "5",
        "-q",
        "--draws",
        "/dev/stdout",
        "--out",
        &d.s("r.txt"),
    ]);
    assert_eq!(o.stdout.lines().count(), 6, "{}", o.stdout);
    assert!(o.stdout.starts_with("draw,"));
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}

/// A symbolic link is followed: its target is replaced (or created) in
/// the target's directory, the link stays a link, nothing is left behind.
#[test]
fn a_symlink_is_followed_and_kept() {
    let d = dir();
    std::fs::create_dir(d.at("sub")).unwrap();
    let expected = ok(&["run", &d.model]).stdout;
    // A link to a file that does not exist yet, then to one that does.
    std::os::unix::fs::symlink("sub/target.txt", d.at("link.txt")).unwrap();
    for _ in 0..2 {
        ok(&["run", &d.model, "--out", &d.s("link.txt")]);
        let link = std::fs::symlink_metadata(d.at("link.txt")).unwrap();
        assert!(link.file_type().is_symlink(), "the link was replaced");
        assert_eq!(std::fs::read_to_string(d.at("sub/target.txt")).unwrap(), expected);
    }
    assert!(d.temporaries().is_empty(), "{:?}", d.temporaries());
}

/// New files get 0666 less the umask; a file that is replaced keeps its
/// mode; `init` follows the umask too.
#[test]
fn the_umask_and_an_existing_mode_are_respected() {
    let d = dir();
    let o = sh("umask 022;", &["run", &d.model, "--out", &d.s("a.txt")]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(mode(&d.at("a.txt")), 0o644);
    let o = sh("umask 077;", &["run", &d.model, "--out", &d.s("b.txt")]);
    assert!(o.status.success());
    assert_eq!(mode(&d.at("b.txt")), 0o600);
    std::fs::set_permissions(d.at("a.txt"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = sh(
        "umask 000;",
        &["mc", &d.model, "-n", "5", "-q", "--draws", &d.s("a.txt")],
    );
    assert!(o.status.success());
    assert_eq!(mode(&d.at("a.txt")), 0o640);
    assert!(std::fs::read_to_string(d.at("a.txt"))
        .unwrap()
        .starts_with("draw,"));
    let o = sh("umask 022;", &["init", &d.s("new.toml")]);
    assert!(o.status.success());
    assert_eq!(mode(&d.at("new.toml")), 0o644);
}

/// Waits until a temporary file appears in `d`.
fn wait_for_temporary(d: &Dir) {
    let start = Instant::now();
    while d.temporaries().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// SIGINT or SIGTERM during a long `--draws` run: the temporary file is
/// removed and the process ends by that signal. A file-size limit makes
/// the write fail (exit 1, a message) and removes it too.
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let d = dir();
    for (name, number) in [("INT", 2), ("TERM", 15)] {
        let mut child = Command::new(BIN)
            .args([
                "mc",
                &d.model,
                "-n",
                "3000000",
                "-q",
                "--draws",
                &d.s("draws.csv"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_temporary(&d);
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(number), "SIG{name}: {status:?}");
        assert!(d.temporaries().is_empty(), "SIG{name}: {:?}", d.temporaries());
        assert!(!d.at("draws.csv").exists());
    }
    let o = sh(
        "ulimit -f 8;",
        &["mc", &d.model, "-n", "20000", "-q", "--draws", &d.s("draws.csv")],
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "error: cannot write {}: the file would exceed the file-size limit (ulimit -f)\n",
            d.s("draws.csv")
        )
    );
    assert!(d.temporaries().is_empty(), "{:?}", d.temporaries());
    assert!(!d.at("draws.csv").exists());
}

/// Twenty `init` of one file at the same moment: exactly one succeeds,
/// the others say the file exists, and the file is the whole model.
#[test]
fn concurrent_inits_create_the_file_once() {
    let d = dir();
    let target = d.s("m.toml");
    let children: Vec<_> = (0..20)
        .map(|_| {
            Command::new(BIN)
                .args(["init", &target])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 2).count(), 19, "{codes:?}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        std::fs::read_to_string("models/iraq-2023.toml").unwrap()
    );
    assert!(d.temporaries().is_empty(), "{:?}", d.temporaries());
    // A dangling link is something there too.
    std::os::unix::fs::symlink("nowhere.toml", d.at("link.toml")).unwrap();
    let o = dinarflow(&["init", &d.s("link.toml")]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!d.at("nowhere.toml").exists());
}

/// Files that conflict are refused before any work: a run that would fail
/// while computing (exit 1) is refused for its files first (exit 2).
#[test]
fn conflicting_files_are_refused_before_any_work() {
    let d = dir();
    let overflow = [
        "--set",
        "exports.volume_bpd=100000000000000000000",
        "--set",
        "exports.price_usd_per_bbl=100000000",
    ];
    let o = dinarflow(&[&["run", &d.model, "--out", &d.model][..], &overflow].concat());
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        format!(
            "error: --out {} is the model file being read; choose another file\n",
            d.model
        )
    );
    let x = d.s("x.csv");
    std::os::unix::fs::symlink("x.csv", d.at("y.csv")).unwrap();
    for other in [
        x.clone(),
        d.s("y.csv"),
        format!("{}/./x.csv", d.tmp.path().display()),
    ] {
        let o = dinarflow(&["mc", &d.model, "-n", "20", "--draws", &x, "--out", &other]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert_eq!(
            o.stderr,
            format!("error: --out {other} and --draws {x} name the same file; choose two files\n")
        );
        assert!(!d.at("x.csv").exists());
    }
    // Two writes to /dev/null are no conflict.
    ok(&[
        "mc",
        &d.model,
        "-n",
        "20",
        "-q",
        "--draws",
        "/dev/null",
        "--out",
        "/dev/null",
    ]);
}

/// A write that fails names the file written to, never "standard output"
/// or a temporary file.
#[test]
fn a_write_error_names_the_file() {
    let d = dir();
    let o = dinarflow(&["mc", &d.model, "-n", "20", "-q", "--draws", "/dev/full"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "error: cannot write /dev/full: no space left on the device\n"
    );
    let o = dinarflow(&["run", &d.model, "--out", "/dev/full"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "error: cannot write /dev/full: no space left on the device\n"
    );
}

/// `dinarflow ... | head -1`: the reader goes away, dinarflow exits 0
/// without a word. With standard output closed, a command that prints
/// fails (exit 1) and says so; one writing to --out does not mind.
#[test]
fn standard_output_gone_or_closed() {
    let d = dir();
    let mut child = Command::new(BIN)
        .args(["mc", &d.model, "-n", "2000", "-q", "--draws", "/dev/stdout"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("'{BIN}' run '{}' | head -1", d.model))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 1);

    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("exec '{BIN}' run '{}' >&-", d.model))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "error: cannot write standard output: it was closed when dinarflow started; redirect it to a file or use --out FILE\n"
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec '{BIN}' run '{}' --out '{}' >&-",
            d.model,
            d.s("r.txt")
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(d.at("r.txt").exists());
    // `> /dev/null` is not closed.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("exec '{BIN}' run '{}' > /dev/null", d.model))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}
