//! The third hardening pass (issue 20): each test shows one failure of the
//! pass that the code before it had (a panic, a wrong or refused answer).

use std::path::{Path, PathBuf};

use crate::common::{dinarflow, ok};

/// `fixtures/small.toml` with `from` replaced by `to` (each must occur),
/// written into `dir` as `name`.
fn small_with(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string("fixtures/small.toml").unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// Item 10: panics on values that check and run accept.

#[test]
fn tornado_and_the_html_brief_skip_a_swing_past_the_largest_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let big = small_with(
        dir.path(),
        "big.toml",
        &[(
            "opening_balance_usd = 1000000",
            "opening_balance_usd = 75000000000000000000000000000",
        )],
    );
    ok(&["check", s(&big)]);
    let out = ok(&["tornado", s(&big), "--metric", "custody_balance_usd"]);
    assert!(
        out.stdout.contains(
            "- custody.opening_balance_usd: 75000000000000000000000000000 × (1 + 10%) is past the largest exact decimal (about 7.9e28)\n"
        ),
        "{}",
        out.stdout
    );
    // Named, it is refused (exit 2) with the same reason.
    let out = dinarflow(&[
        "tornado",
        s(&big),
        "--metric",
        "custody_balance_usd",
        "--param",
        "custody.opening_balance_usd",
    ]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --param custody.opening_balance_usd: 75000000000000000000000000000 × (1 + 10%) is past the largest exact decimal (about 7.9e28)\n"
    );
    let html = ok(&["brief", s(&big), "--format", "html"]);
    assert!(
        html.stdout.starts_with("<!DOCTYPE html>"),
        "{}",
        &html.stdout[..100]
    );
}

#[test]
fn diff_of_a_change_near_8e26_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = small_with(
        dir.path(),
        "big.toml",
        &[(
            "opening_balance_usd = 1000000",
            "opening_balance_usd = 800000000000000000000000000",
        )],
    );
    let out = ok(&["diff", "fixtures/small.toml", s(&big), "--format", "csv"]);
    // Closing custody 904,600.00 in A; B holds 8e26 − 1,000,000 more:
    // 100 × 799,999,999,999,999,999,999,000,000 / 904,600 by Python's
    // decimal module is 88436878178200309528963.07760336…
    let row = out
        .stdout
        .lines()
        .find(|l| l.contains("custody_balance_usd"))
        .unwrap()
        .to_string();
    assert!(row.ends_with(",88436878178200309528963.0776"), "{row}");
}

#[test]
fn explain_with_an_extreme_rate_over_a_tiny_reference_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        dir.path(),
        "extreme.toml",
        &[
            (
                "reference_rate_iqd_per_usd = 1470",
                "reference_rate_iqd_per_usd = 0.0000000000000000000001",
            ),
            (
                "official_rate_iqd_per_usd = 1460",
                "official_rate_iqd_per_usd = 10000000000",
            ),
            (
                "baseline_rate_iqd_per_usd = 1480",
                "baseline_rate_iqd_per_usd = 10000000000",
            ),
            ("import_content = 0.5", "import_content = 0"),
            ("import_content = 0.25", "import_content = 0"),
        ],
    );
    ok(&["run", s(&m)]);
    let out = ok(&["explain", s(&m), "cpi_impact_pct@2023-01"]);
    // de = 10,000,000,000 / 1e-22 − 1 is past the largest decimal.
    assert!(
        out.stdout
            .contains(" / 0.0000000000000000000001 − 1 = 79,228,162,514,264,337,593,543,950,335\n"),
        "{}",
        out.stdout
    );
}

// Item 3: CSV formula injection.

#[test]
fn csv_cells_a_spreadsheet_would_run_are_quoted_and_numbers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        dir.path(),
        "inject.toml",
        &[
            (
                r#"source = "made up for the test""#,
                r#"source = "=HYPERLINK(\"http://example.invalid\",\"see\")""#,
            ),
            (
                r#"note = "revaluation and easier screening""#,
                r#"note = "@SUM(1+1)""#,
            ),
            (r#"source = "UNSC Res. 1483 (2003)""#, r#"source = "-1.5""#),
        ],
    );
    let out = ok(&["check", s(&m), "--format", "csv"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let path = s(&m);
    assert!(lines.contains(&format!(
        r#"2023-01,exports.price_usd_per_bbl,80,USD/bbl,"'=HYPERLINK(""http://example.invalid"",""see"")",,{path}:12"#
    ).as_str()), "{}", out.stdout);
    assert!(
        lines.contains(&format!("2023-02,auction.rejection_rate,0.5,share,,'@SUM(1+1),{path}:71").as_str())
    );
    assert!(lines.contains(
        &format!("2023-01,deductions[Kuwait compensation].rate,0.05,share,-1.5,,{path}:24").as_str()
    ));
}

// Item 4: bidirectional overrides and other format characters.

#[test]
fn format_characters_are_refused_in_names_and_shown_escaped_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let named = small_with(
        dir.path(),
        "named.toml",
        &[(r#"name = "China""#, "name = \"Chi\u{202e}na\"")],
    );
    let out = dinarflow(&["check", s(&named)]);
    assert_eq!(out.code, 2);
    let p = s(&named);
    assert_eq!(
        out.stderr,
        format!(
            "error: {p}:15:8: exports.buyers[0].name: \"Chi\\u{{202e}}na\" cannot be used as a name (allowed: a non-empty name without [ ] = : @ | *, control or format characters, or spaces at either end)
   |
15 | name = \"Chi\u{fffd}na\"
   |        ^^^^^^^^
   |
   = help: it holds the invisible format character \\u{{202e}}, which reorders or hides the text around it

error: 1 problem in {p}
"
        )
    );
    // A zero-width joiner too.
    let zwj = small_with(
        dir.path(),
        "zwj.toml",
        &[(r#"name = "Food""#, "name = \"Fo\u{200d}od\"")],
    );
    assert_eq!(dinarflow(&["check", s(&zwj)]).code, 2);
    // In free text (a source), shown escaped in the HTML brief and the table.
    let text = small_with(
        dir.path(),
        "text.toml",
        &[(
            r#"source = "made up for the test""#,
            "source = \"made \u{202e}up 0.52%\"",
        )],
    );
    let html = ok(&["brief", s(&text), "--format", "html"]).stdout;
    assert!(html.contains("made \\u{202e}up 0.52%"), "{html}");
    assert!(!html.contains('\u{202e}'));
    let table = ok(&["check", s(&text)]).stdout;
    assert!(table.contains("made \\u{202e}up 0.52%"));
    assert!(!table.contains('\u{202e}'));
}

#[test]
fn escape_in_an_argument_echoed_by_an_error_is_shown_escaped() {
    let out = dinarflow(&["run", "fixtures/small.toml", "--set", "\u{1b}[31mfoo=1"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --set \\u{1b}[31mfoo=1: `\\u{1b}[31mfoo` names no numeric parameter of this model\n"
    );
}

// Items 6, 7 and 12: serve.

mod serve {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::Request;
    use axum::Router;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use dinarflow::serve::{router, App};

    const MODEL: &str = "fixtures/small.toml";

    fn app(addr: &str) -> Router {
        let model = dinarflow::model::load_file(std::path::Path::new(MODEL)).unwrap();
        let addr: SocketAddr = addr.parse().unwrap();
        router(Arc::new(App::new(model).unwrap()), addr)
    }

    /// Sends `method uri` with `headers` and `body`: the status, the
    /// answer's headers and its body as text.
    async fn send(
        app: &Router,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, axum::http::HeaderMap, String) {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = app
            .clone()
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = res.status().as_u16();
        let head = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, head, String::from_utf8(bytes).unwrap())
    }

    const JSON: (&str, &str) = ("content-type", "application/json");

    fn cli_run(set: &str) -> Result<String, String> {
        let args =
            ["dinarflow", "run", MODEL, "--format", "json", "--set", set].map(std::ffi::OsString::from);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        dinarflow::cli::main_with(args, &mut out, &mut err)
            .map(|()| String::from_utf8(out).unwrap())
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn json_numbers_are_taken_as_their_exact_decimal_text() {
        let app = app("127.0.0.1:8023");
        let host = ("host", "127.0.0.1:8023");
        // 21 significant digits: an f64 keeps 17 (0.12345678901234568).
        let (code, _, body) = send(
            &app,
            "POST",
            "/api/run",
            &[host, JSON],
            r#"{"set": {"auction.rejection_rate": 0.123456789012345678901}}"#,
        )
        .await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(
            body,
            cli_run("auction.rejection_rate=0.123456789012345678901").unwrap()
        );
        // 1e-400 is refused as --set refuses it, not run as 0.
        let (code, _, body) = send(
            &app,
            "POST",
            "/api/run",
            &[host, JSON],
            r#"{"set": {"auction.rejection_rate": 1e-400}}"#,
        )
        .await;
        assert_eq!(code, 400);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["error"],
            "error: --set auction.rejection_rate=1e-400: \"1e-400\" has more than 28 decimal places, more than dinarflow keeps exactly"
        );
    }

    #[tokio::test]
    async fn requests_a_page_on_another_site_can_send_are_refused() {
        let app = app("127.0.0.1:8023");
        let host = ("host", "127.0.0.1:8023");
        let body = r#"{"set": {}}"#;
        // A no-cors form post: text/plain needs no preflight.
        let (code, _, text) = send(
            &app,
            "POST",
            "/api/run",
            &[host, ("content-type", "text/plain")],
            body,
        )
        .await;
        assert_eq!(code, 415);
        assert_eq!(
            text,
            r#"{"error":"error: the request body must be sent as Content-Type: application/json","keys":[]}"#
        );
        let (code, _, _) = send(&app, "POST", "/api/run", &[host], body).await;
        assert_eq!(code, 415);
        let (code, _, text) = send(
            &app,
            "POST",
            "/api/run",
            &[host, JSON, ("origin", "http://attacker.example")],
            body,
        )
        .await;
        assert_eq!(code, 403);
        assert_eq!(
            text,
            r#"{"error":"error: a request from another origin (http://attacker.example) is refused; this server answers only its own page (http://127.0.0.1:8023)","keys":[]}"#
        );
        let (code, _, _) = send(
            &app,
            "POST",
            "/api/view",
            &[host, JSON, ("sec-fetch-site", "cross-site")],
            body,
        )
        .await;
        assert_eq!(code, 403);
        let (code, _, _) = send(
            &app,
            "GET",
            "/api/params",
            &[host, ("sec-fetch-site", "same-site")],
            "",
        )
        .await;
        assert_eq!(code, 403);
        // The page's own requests pass.
        let own = [
            host,
            JSON,
            ("origin", "http://127.0.0.1:8023"),
            ("sec-fetch-site", "same-origin"),
        ];
        let (code, _, _) = send(&app, "POST", "/api/run", &own, body).await;
        assert_eq!(code, 200);
        // The page may not be framed.
        let (code, head, _) = send(&app, "GET", "/", &[host], "").await;
        assert_eq!(code, 200);
        let csp = head["content-security-policy"].to_str().unwrap();
        assert!(csp.ends_with("; frame-ancestors 'none'"), "{csp}");
        assert_eq!(head["x-frame-options"], "DENY");
    }

    #[tokio::test]
    async fn on_port_80_the_bare_host_is_accepted() {
        let app = app("127.0.0.1:80");
        for host in ["127.0.0.1", "127.0.0.1:80", "localhost", "localhost:80"] {
            let (code, _, _) = send(&app, "GET", "/api/params", &[("host", host)], "").await;
            assert_eq!(code, 200, "{host}");
        }
        let (code, _, _) = send(&app, "GET", "/api/params", &[("host", "attacker.example")], "").await;
        assert_eq!(code, 403);
        let app = app_any_80();
        let (code, _, _) = send(&app, "GET", "/api/params", &[("host", "10.1.2.3")], "").await;
        assert_eq!(code, 200);
        let (code, _, _) = send(&app, "GET", "/api/params", &[("host", "10.1.2.3:8080")], "").await;
        assert_eq!(code, 403);
    }

    fn app_any_80() -> Router {
        app("0.0.0.0:80")
    }
}

// Item 8: serve's availability.

mod serve_availability {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::process::{Child, Command, Stdio};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use dinarflow::serve::{router_with, serve_with, App, Limits};

    /// `dinarflow serve fixtures/small.toml --port 0` through `sh -c`
    /// with `ulimit` first; the child and its `host:port`.
    fn start(ulimit: &str) -> (Child, String) {
        let bin = assert_cmd::cargo::cargo_bin("dinarflow");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{ulimit} exec '{}' serve fixtures/small.toml --port 0",
                bin.display()
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .unwrap()
            .trim_end()
            .trim_end_matches('/')
            .to_string();
        (child, addr)
    }

    fn get(addr: &str) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET /api/params HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    /// Waits up to `limit` for the child; its exit code and standard error.
    fn wait(mut child: Child, limit: Duration) -> (Option<i32>, String) {
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
                return (status.code(), err);
            }
            if start.elapsed() > limit {
                child.kill().unwrap();
                return (None, String::new());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn serve_keeps_serving_when_it_runs_out_of_file_descriptors() {
        let (child, addr) = start("ulimit -n 64;");
        // More connections than descriptors: accept fails with EMFILE.
        let held: Vec<TcpStream> = (0..120).filter_map(|_| TcpStream::connect(&addr).ok()).collect();
        std::thread::sleep(Duration::from_millis(300));
        drop(held);
        std::thread::sleep(Duration::from_millis(500));
        let answer = get(&addr);
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let (code, err) = wait(child, Duration::from_secs(10));
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(err, "dinarflow serve: stopped\n");
    }

    #[test]
    fn serve_stops_on_the_first_sigterm_while_a_client_holds_half_a_request() {
        let (child, addr) = start("");
        let mut half = TcpStream::connect(&addr).unwrap();
        write!(half, "POST /api/run HTTP/1.1\r\nHost: {addr}\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let sent = Instant::now();
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let (code, err) = wait(child, Duration::from_secs(20));
        // Within the 5 s of grace (and the header timeout of 10 s).
        assert!(sent.elapsed() < Duration::from_secs(8), "{:?}", sent.elapsed());
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(err, "dinarflow serve: stopped\n");
    }

    /// The server in process with `limits`, on a free loopback port.
    fn in_process(limits: Limits) -> (tokio::runtime::Runtime, String) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let model = dinarflow::model::load_file(std::path::Path::new("fixtures/small.toml")).unwrap();
        let router = router_with(Arc::new(App::new(model).unwrap()), addr, &limits);
        rt.spawn(serve_with(listener, router, std::future::pending(), limits));
        (rt, addr.to_string())
    }

    #[test]
    fn a_client_that_sends_no_headers_or_no_body_in_time_is_cut_off() {
        let limits = Limits {
            header_timeout: Duration::from_millis(300),
            request_timeout: Duration::from_millis(600),
            connections: 4,
            grace: Duration::from_secs(1),
        };
        let (_rt, addr) = in_process(limits);
        // Half the headers: the connection is closed after 300 ms.
        let mut slow = TcpStream::connect(&addr).unwrap();
        slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(slow, "GET /api/params HTTP/1.1\r\nHost: {addr}\r\n").unwrap();
        let t = Instant::now();
        let mut buf = Vec::new();
        let _ = slow.read_to_end(&mut buf);
        assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
        // An idle kept-alive connection too.
        let mut idle = TcpStream::connect(&addr).unwrap();
        idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let t = Instant::now();
        assert_eq!(idle.read(&mut [0u8; 16]).unwrap_or(0), 0);
        assert!(t.elapsed() < Duration::from_secs(3));
        // Headers in time, half the body: 408 after 600 ms.
        let mut body = TcpStream::connect(&addr).unwrap();
        body.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            body,
            "POST /api/run HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"set\""
        )
        .unwrap();
        let mut answer = String::new();
        let _ = body.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
        assert!(answer.ends_with(
            r#"{"error":"error: the request took over 0.6 s (its body and its answer); the server is still running","keys":[]}"#
        ), "{answer}");
        assert!(get(&addr).starts_with("HTTP/1.1 200 OK\r\n"));
    }

    #[test]
    fn connections_past_the_limit_wait_for_one_to_close() {
        let limits = Limits {
            connections: 2,
            ..Limits::default()
        };
        let (_rt, addr) = in_process(limits);
        let a = TcpStream::connect(&addr).unwrap();
        let b = TcpStream::connect(&addr).unwrap();
        // A third is queued, not answered, while two are open.
        let mut c = TcpStream::connect(&addr).unwrap();
        c.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
        write!(
            c,
            "GET /api/params HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        assert!(c.read(&mut [0u8; 16]).is_err(), "answered past the limit");
        drop(a);
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut answer = String::new();
        c.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        drop(b);
    }
}

// Item 5: observed CSVs.

#[test]
fn an_unclosed_quote_in_an_observed_file_is_refused_located() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("obs.csv");
    std::fs::write(
        &obs,
        "date,metric,value,source\n2023-01,parallel_rate,1500,\"CBI\n2023-02,parallel_rate,1510,AFP\n",
    )
    .unwrap();
    let o = s(&obs);
    for command in ["fit", "backtest"] {
        let mut args = vec![command, "fixtures/small.toml", "--observed", o];
        if command == "fit" {
            args.extend(["--vary", "parallel_market.demand_elasticity"]);
        }
        let out = dinarflow(&args);
        assert_eq!(out.code, 2, "{command}");
        assert_eq!(
            out.stderr,
            format!(
                "error: {o}:2:28: this quote is never closed: the rest of the file would be read as one cell (allowed: a quoted cell closed by a second `\"` (`\"\"` for a quote inside it))
  |
2 | 2023-01,parallel_rate,1500,\"CBI
  |                            ^
  |

error: 1 problem in {o}
"
            )
        );
    }
    // A quoted cell over two lines, closed, is fine.
    std::fs::write(
        &obs,
        "date,metric,value,source\n2023-01,parallel_rate,1500,\"CBI,\nbulletin\"\n2023-02,parallel_rate,1510,AFP\n",
    )
    .unwrap();
    ok(&[
        "fit",
        "fixtures/small.toml",
        "--observed",
        o,
        "--vary",
        "parallel_market.demand_elasticity",
    ]);
}

#[test]
fn observed_values_of_zero_or_below_are_refused_with_a_relative_loss() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("obs.csv");
    std::fs::write(
        &obs,
        "date,metric,value\n2023-01,parallel_rate,1500\n2023-02,parallel_rate,0\n",
    )
    .unwrap();
    let o = s(&obs);
    for loss in ["pct", "log"] {
        let out = dinarflow(&[
            "fit",
            "fixtures/small.toml",
            "--observed",
            o,
            "--vary",
            "parallel_market.demand_elasticity",
            "--loss",
            loss,
        ]);
        assert_eq!(out.code, 2);
        assert_eq!(
            out.stderr,
            format!(
                "error: {o}:3:1: value: 0 is not above 0, and --loss {loss} measures errors relative to the observed value (allowed: observed values above 0 with --loss pct or log)
  |
3 | 2023-02,parallel_rate,0
  | ^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: use --loss abs for a series that is 0 or negative, or leave the row out

error: 1 problem in {o}
"
            )
        );
    }
    ok(&[
        "fit",
        "fixtures/small.toml",
        "--observed",
        o,
        "--vary",
        "parallel_market.demand_elasticity",
        "--loss",
        "abs",
    ]);
}

// Item 11: precision overflow at 1e27-1e28.

#[test]
fn a_balance_that_would_lose_its_cents_is_reported_as_an_overflow_located() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        dir.path(),
        "big.toml",
        &[
            (
                "opening_balance_usd = 1000000",
                "opening_balance_usd = 10000000000000000000000000000",
            ),
            ("value = 80,", "value = 80.013,"),
        ],
    );
    // Before, custody_balance_usd in 2023-01 came out as
    // 10000000000000000000000282683: with an opening of 1,000,000 the same
    // month closes at 1,282,682.85, so 1e28 + 282,682.85 lost its cents.
    let out = dinarflow(&["run", s(&m)]);
    assert_eq!(out.code, 1);
    let p = s(&m);
    assert_eq!(
        out.stderr,
        format!(
            "warning: {p}:27:23: custody.opening_balance_usd: 10000000000000000000000000000 USD is outside the plausible range 1,000 to 500,000,000,000 USD (or 0)
   |
27 | opening_balance_usd = 10000000000000000000000000000
   |                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = note: the CBI's reserves were ~$100–115 billion at their 2023–24 peak
   = help: check the unit and the digits; if the value is right, cite its source

warning: 1 warning in {p}
error: {p}: 2023-01: arithmetic overflow while computing a ledger balance; the numbers of this model are too large to compute exactly
 = the inputs of a ledger balance in 2023-01:
   {p}:27: custody.opening_balance_usd = 10000000000000000000000000000
   {p}:39: airlift.vault_opening_usd = 100000
   {p}:11: exports.volume_bpd = 1000
   {p}:12: exports.price_usd_per_bbl = 80.013
   {p}:16: exports.buyers[China].share = 0.3
   (default): exports.buyers[China].price_offset_usd_per_bbl = 0
   {p}:20: exports.buyers[Others].share = 0.7
   (default): exports.buyers[Others].price_offset_usd_per_bbl = 0
"
        )
    );
}

// Item 1: fit with --set: the printed run line and the written model
// reproduce the fit.

#[test]
fn fits_run_line_repeats_the_set_it_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("assumed.toml");
    let out = ok(&[
        "fit",
        "fixtures/calibration/market.toml",
        "--observed",
        "fixtures/calibration/parallel-synthetic.csv",
        "--set",
        "parallel_market.supply_elasticity=1.5",
        "--vary",
        "parallel_market.street_demand_usd_per_day=0:100000",
        "--vary",
        "parallel_market.anchor_weight",
        "--write-model",
        s(&written),
    ]);
    let line = "  dinarflow run fixtures/calibration/market.toml --set 'parallel_market.supply_elasticity=1.5' \
         --set 'parallel_market.street_demand_usd_per_day=29141.57' --set 'parallel_market.anchor_weight=0.39877'\n";
    assert!(out.stdout.ends_with(line), "{}", out.stdout);
    // The fit's model value for August 2023, from its residuals table.
    assert!(out
        .stdout
        .contains(" 2023-08 | parallel_rate | 1,723.5576 | 1,723.9312 |"));
    // The line, run, gives it; without the --set (as printed before) 1,780.6652.
    let rerun = ok(&[
        "run",
        "fixtures/calibration/market.toml",
        "--set",
        "parallel_market.supply_elasticity=1.5",
        "--set",
        "parallel_market.street_demand_usd_per_day=29141.57",
        "--set",
        "parallel_market.anchor_weight=0.39877",
        "--format",
        "csv",
    ]);
    assert!(rerun.stdout.contains("\n2023-08,parallel_rate,1723.5576\n"));
    // So does the model written.
    let run = ok(&["run", s(&written), "--format", "csv"]);
    assert!(run.stdout.contains("\n2023-08,parallel_rate,1723.5576\n"));
}

// Item 13: bounded work on any input.

#[test]
fn a_scenario_file_has_the_model_files_bound_on_values() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("big.toml");
    let text = format!("[scenario]\nname = \"big\"\nx = [{}]\n", "{},".repeat(1_000_001));
    std::fs::write(&scenario, text).unwrap();
    let out = dinarflow(&["run", "fixtures/small.toml", "--scenario", s(&scenario)]);
    assert_eq!(out.code, 2);
    let first = out.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            // Tokens: `[scenario]`, two `=`, the array's `[`, then `{` and `,`
            // per element: the 2,000,001st is the `{` of element 999,998, at
            // column 6 + 3 × 999,998.
            "error: {}:3:3000000: the file holds more than 2000000 values, tables and separators (allowed: at most 2000000 in a model file)",
            s(&scenario)
        )
    );
}

#[test]
fn unknown_keys_past_a_hundred_thousand_are_counted_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("fixtures/small.toml").unwrap().replacen(
        "[custody]\n",
        &format!(
            "[custody]\n{}",
            (0..100_500).map(|i| format!("k{i} = 1\n")).collect::<String>()
        ),
        1,
    );
    let m = dir.path().join("keys.toml");
    std::fs::write(&m, text).unwrap();
    let out = dinarflow(&["check", s(&m)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with(&format!(
        "error: {}: 100500 problems were found; the first 100000 found are kept and listed below in file order\n = help: fix these first, then check the file again\n",
        s(&m)
    )), "{}", &out.stderr[..300]);
    assert!(out.stderr.ends_with(&format!(
        "note: 99901 more problems are not shown; fix these first, then check the file again\n\nerror: 100001 problems in {}\n",
        s(&m)
    )));
}

#[test]
fn did_you_mean_skips_names_no_candidate_is_near() {
    use dinarflow::diagnostic::nearest;
    let long = "x".repeat(60_000);
    assert!(nearest(&long, ["auction.rejection_rate"], 3).is_empty());
    assert_eq!(
        nearest(
            "auction.rejection_rat",
            ["auction.rejection_rate", "auction.cash_share", "x"],
            3
        ),
        vec!["auction.rejection_rate"]
    );
    // A serve request with a 60 KB unknown key answers 400, no suggestion.
    let out = dinarflow(&["run", "fixtures/small.toml", "--set", &format!("{long}=1")]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.ends_with("names no numeric parameter of this model\n"),
        "{}",
        &out.stderr[out.stderr.len() - 200..]
    );
}

#[test]
fn observed_files_are_bounded_in_size_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("rows.csv");
    let mut text = String::from("date,metric,value\n");
    for _ in 0..100_000 {
        text.push_str("2023-01,parallel_rate,1500\n");
    }
    std::fs::write(&obs, &text).unwrap();
    let vary = ["--vary", "parallel_market.demand_elasticity"];
    let mut args = vec!["fit", "fixtures/small.toml", "--observed", s(&obs)];
    args.extend(vary);
    let out = dinarflow(&args);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(&format!(
            "error: {}:100001:27: the file has more than 100000 lines (allowed: at most 100000 observations in an observed file)\n",
            s(&obs)
        )),
        "{}",
        &out.stderr[..300.min(out.stderr.len())]
    );
    let big = dir.path().join("big.csv");
    let mut text = String::from("date,metric,value,source\n");
    let source = "s".repeat(4096);
    while text.len() <= 4 * 1024 * 1024 {
        text.push_str(&format!("2023-01,parallel_rate,1500,{source}\n"));
    }
    std::fs::write(&big, &text).unwrap();
    let mut args = vec!["backtest", "fixtures/small.toml", "--observed", s(&big)];
    args.truncate(4);
    let out = dinarflow(&args);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        format!(
            "error: {}: is 4.1 MiB; observed files are limited to 4 MiB\n",
            s(&big)
        )
    );
}

// Item 2: symbolic links in --out, --draws and --write-model.

#[cfg(unix)]
mod links {
    use std::os::unix::fs::{lchown, symlink, PermissionsExt};

    use crate::common::{dinarflow, ok};

    /// A sticky, world-writable directory (as /tmp is) holding `link`, a
    /// symbolic link owned by user `owner` to `victim` outside it.
    fn planted(owner: u32) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious\n").unwrap();
        let link = shared.join("out.csv");
        symlink(&victim, &link).unwrap();
        lchown(&link, Some(owner), None).unwrap();
        (dir, link, victim)
    }

    fn me() -> u32 {
        use std::os::unix::fs::MetadataExt;
        // The owner of a file this process creates.
        let f = tempfile::NamedTempFile::new().unwrap();
        f.as_file().metadata().unwrap().uid()
    }

    #[test]
    fn a_link_planted_by_another_user_in_a_sticky_directory_is_not_followed() {
        let uid = me();
        if uid != 0 {
            // lchown to another user needs root; the rule is the kernel's.
            eprintln!("skipped: not root");
            return;
        }
        let (_dir, link, victim) = planted(4242);
        let l = link.to_str().unwrap();
        let shared = link.parent().unwrap().to_str().unwrap();
        let out = dinarflow(&["run", "fixtures/small.toml", "--format", "csv", "--out", l]);
        assert_eq!(out.code, 2);
        assert_eq!(
            out.stderr,
            format!(
                "error: cannot write {l}: {l} is a symbolic link in {shared}, a sticky directory anyone may write to, \
                 and it belongs to user 4242, neither you (user 0) nor the directory's owner (user 0); it is not \
                 followed, as the kernel would not follow it (fs.protected_symlinks): write to the file it names \
                 directly, or remove the link\n"
            )
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        // --draws and --write-model too.
        let out = dinarflow(&[
            "mc",
            "models/iraq-2023.toml",
            "-n",
            "100",
            "-q",
            "--draws",
            l,
            "--format",
            "csv",
        ]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        let out = dinarflow(&[
            "fit",
            "fixtures/calibration/market.toml",
            "--observed",
            "fixtures/calibration/parallel-synthetic.csv",
            "--vary",
            "parallel_market.anchor_weight",
            "--write-model",
            l,
        ]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        // A link of the user's own is followed, as before.
        let (_dir, link, victim) = planted(uid);
        ok(&[
            "run",
            "fixtures/small.toml",
            "--format",
            "csv",
            "--out",
            link.to_str().unwrap(),
        ]);
        assert!(std::fs::read_to_string(&victim)
            .unwrap()
            .starts_with("month,metric,value\n"));
    }

    #[test]
    fn a_replaced_file_loses_its_setuid_and_setgid_bits() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        std::fs::write(&out, "old\n").unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o6755)).unwrap();
        ok(&[
            "run",
            "fixtures/small.toml",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ]);
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o755);
    }
}
