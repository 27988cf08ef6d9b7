//! `dinarflow serve` as a user runs it: the real binary on a free port
//! (`--port 0`, the URL read from what it prints). The page is loaded in
//! headless Chromium with a control set through the URL's hash, and the
//! parallel rate it displays must be `run --set`'s at that value; a bad
//! value is shown beside its control. A bounded load test (2,000 requests
//! from 8 clients on loopback) records latency percentiles, with no errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

const MODEL: &str = "models/iraq-2023.toml";

/// The server, stopped (Ctrl-C) when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// Its standard output, kept open so that it can go on writing.
    _out: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dinarflow"))
            .args(["serve", MODEL, "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        Server {
            child,
            addr,
            _out: out,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok()
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium: .ci/run installs it"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
    }
    found
}

/// The DOM Chromium built for `url` after its scripts ran (5 s of virtual time).
fn dump_dom(browser: &str, profile: &Path, url: &str) -> String {
    let out_path = profile.with_extension("out");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(out_path).unwrap()
}

/// The text of the first `class="value"` cell after the figure's row.
fn figure(dom: &str, label: &str) -> String {
    let row = dom
        .find(&format!("data-label=\"{label}\""))
        .unwrap_or_else(|| panic!("no row {label}: {dom}"));
    let rest = &dom[row..];
    let at = rest.find("class=\"value\">").unwrap() + "class=\"value\">".len();
    rest[at..rest[at..].find('<').unwrap() + at].to_string()
}

/// `run --set S`'s average parallel rate, as the page shows it (two places, thousands separated).
fn cli_parallel(sets: &[&str]) -> String {
    let mut args = vec!["run", MODEL, "--format", "json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let out = crate::common::ok(&args).stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d: Decimal = v["summary"]["parallel_rate"].as_str().unwrap().parse().unwrap();
    dinarflow::render::display(d, 2)
}

#[test]
fn the_page_shows_run_sets_parallel_rate() {
    let Some(browser) = chromium() else { return };
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://{}/", server.addr);

    let dom = dump_dom(
        browser,
        &dir.path().join("a"),
        &format!("{url}#auction.rejection_rate=0.5"),
    );
    assert!(dom.contains("data-ready=\"1\""), "the page never drew: {dom}");
    let shown = figure(&dom, "Parallel rate, average");
    assert_eq!(shown, cli_parallel(&["auction.rejection_rate=0.5"]));
    assert_ne!(shown, cli_parallel(&[]), "the control moved nothing");
    assert!(dom.contains("<svg"), "no charts");
    assert!(
        dom.contains("data-factor=\"auction.rejection_rate\""),
        "what moved names the control"
    );

    // The base, reloaded without a hash.
    let dom = dump_dom(browser, &dir.path().join("b"), &url);
    assert_eq!(figure(&dom, "Parallel rate, average"), cli_parallel(&[]));

    // A value out of range: the command line's message beside the control.
    let dom = dump_dom(
        browser,
        &dir.path().join("c"),
        &format!("{url}#auction.rejection_rate=1.5"),
    );
    let param = dom.find("data-path=\"auction.rejection_rate\"").unwrap();
    let err = &dom[param..][dom[param..].find("class=\"err\">").unwrap()..];
    assert!(
        err.starts_with("class=\"err\">--set auction.rejection_rate=1.5: "),
        "{}",
        &err[..200.min(err.len())]
    );
}

/// One keep-alive HTTP/1.1 client: POSTs `body` to `path`, returns the status.
fn post(
    stream: &mut TcpStream,
    reader: &mut BufReader<TcpStream>,
    addr: &str,
    path: &str,
    body: &str,
) -> u16 {
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let code: u16 = status.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
        }
    }
    let mut buf = vec![0; length];
    reader.read_exact(&mut buf).unwrap();
    code
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[test]
#[ignore = "load test: cargo test -- --ignored"]
fn two_thousand_requests_from_eight_clients() {
    const CLIENTS: usize = 8;
    const EACH: usize = 250;
    let server = Server::start();
    let start = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                (0..EACH)
                    .map(|i| {
                        let rate = format!("0.{:02}", (c * EACH + i) % 100);
                        let body = format!(r#"{{"set": {{"auction.rejection_rate": "{rate}"}}}}"#);
                        let t = Instant::now();
                        let code = post(&mut stream, &mut reader, &addr, "/api/run", &body);
                        (code, t.elapsed())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in threads {
        for (code, d) in t.join().unwrap() {
            assert_eq!(code, 200);
            times.push(d);
        }
    }
    let wall = start.elapsed();
    times.sort();
    assert_eq!(times.len(), CLIENTS * EACH);
    eprintln!(
        "POST /api/run, {} requests from {CLIENTS} clients in {:.2} s: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        wall.as_secs_f64(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}

#[test]
fn a_model_that_cannot_be_read_is_refused_before_listening() {
    let o = crate::common::dinarflow(&["serve", "no-such-model.toml", "--port", "0"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("no-such-model.toml"), "{}", o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
}
