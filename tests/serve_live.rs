//! `dinarflow serve` as a user runs it: the real binary on a free port
//! (`--port 0`, the URL read from what it prints). The page is loaded in
//! headless Chromium with a control set through the URL's hash, and the
//! parallel rate it displays must be `run --set`'s at that value; a bad
//! value is shown beside its control. Driven over the DevTools protocol,
//! a control of a parameter with a schedule sets the whole timeline, or
//! the step chosen under it (or, asked, that month on); sliders land on
//! round values and the base; a share moves the others of its list; the
//! list keeps the order of the changes; a link's bad entries are left
//! out and listed, the rest run. Without
//! Chromium the browser tests are reported as ignored, with the reason
//! (build.rs sets the cfg `browser`). The page's own rules are driven the
//! same way: a following bank's slider is a factor; a value drops the
//! factor it replaces and says so, and the scenario it downloads gives its
//! figures; a link's undone --set is left out, said; a refused value greys
//! the results and stops the download; implausible values are warned
//! about; the layout keeps the results near the top of a narrow window,
//! and on a phone "What moved" and the charts' titles fit its width; the
//! horizon box runs the model on as `run --horizon` does and says why a
//! month is refused; a share's step moves its list for the same months. A
//! bounded load test (2,000 requests from 8 clients on loopback) records
//! latency percentiles, with no errors.

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
        Server::start_with(&[])
    }

    /// The server with `more` arguments (`--horizon 2026-12`).
    fn start_with(more: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dinarflow"))
            .args(["serve", MODEL, "--port", "0"])
            .args(more)
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

/// Why the browser tests are ignored in a build without Chromium.
const NO_BROWSER: &str = "no chromium on this machine when the tests were built (apt-get install chromium)";

/// The headless browser build.rs found.
fn chromium() -> &'static str {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .expect(NO_BROWSER)
}

#[test]
fn ci_has_a_browser() {
    // CI installs chromium (.ci/run), so the browser tests run there.
    assert!(
        std::env::var_os("CI").is_none() || cfg!(browser),
        "CI must have chromium: .ci/run installs it"
    );
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

/// The text of the first `class="value"` cell after the figure's row
/// (its tooltip, the exact value, left out).
fn figure(dom: &str, label: &str) -> String {
    let row = dom
        .find(&format!("data-label=\"{label}\""))
        .unwrap_or_else(|| panic!("no row {label}: {dom}"));
    let rest = &dom[row..];
    // `<td class="value" title="exact: …">TEXT<`
    let cell = rest.find("class=\"value\"").unwrap();
    let at = cell + rest[cell..].find('>').unwrap() + 1;
    rest[at..rest[at..].find('<').unwrap() + at].to_string()
}

/// `run --set S`'s average parallel rate, as the page shows it: rounded
/// for people, in whole dinars (three significant figures keep every
/// whole digit of a rate over 100), thousands separated.
fn cli_parallel(sets: &[&str]) -> String {
    let mut args = vec!["run", MODEL, "--format", "json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let out = crate::common::ok(&args).stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d: Decimal = v["summary"]["parallel_rate"].as_str().unwrap().parse().unwrap();
    assert!(d >= Decimal::ONE_HUNDRED, "{d}");
    format!("{} IQD per $", dinarflow::render::display(d, 0))
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn the_page_shows_run_sets_parallel_rate() {
    let browser = chromium();
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://{}/", server.addr);

    let dom = dump_dom(
        browser,
        &dir.path().join("a"),
        &format!("{url}#auction.rejection_rate=0.5"),
    );
    assert!(dom.contains("data-ready=\"1\""), "the page never drew: {dom}");
    let shown = figure(&dom, "Parallel rate, mean Nov 2022–Dec 2024");
    assert_eq!(shown, cli_parallel(&["auction.rejection_rate=0.5"]));
    assert_ne!(shown, cli_parallel(&[]), "the control moved nothing");
    // The exact value is the figure's tooltip: ref.py's 1,690.2338, with
    // the base's 1,531 (a phone hides the base's column).
    assert!(
        dom.contains("title=\"exact: 1,690.2338 IQD/USD · base 1,531 IQD per $\">1,690 IQD per $<"),
        "no exact tooltip"
    );
    assert!(dom.contains("<svg"), "no charts");
    assert!(
        dom.contains("data-factor=\"auction.rejection_rate\""),
        "what moved names the control"
    );

    // The base, reloaded without a hash.
    let dom = dump_dom(browser, &dir.path().join("b"), &url);
    assert_eq!(
        figure(&dom, "Parallel rate, mean Nov 2022–Dec 2024"),
        cli_parallel(&[])
    );

    // A link's value out of range: left out, the command line's message
    // beside the control, the base's figures.
    let dom = dump_dom(
        browser,
        &dir.path().join("c"),
        &format!("{url}#auction.rejection_rate=1.5"),
    );
    let param = dom.find("data-path=\"auction.rejection_rate\"").unwrap();
    let said = &dom[param..][dom[param..].find("class=\"notice\">").unwrap()..];
    assert!(
        said.starts_with("class=\"notice\">Left out of the link: auction.rejection_rate=1.5: --set auction.rejection_rate=1.5: "),
        "{}",
        &said[..200.min(said.len())]
    );
    assert_eq!(
        figure(&dom, "Parallel rate, mean Nov 2022–Dec 2024"),
        cli_parallel(&[])
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

/// A port another program holds is the system's refusal, not the user's
/// input: exit code 1, the address and the system's reason, nothing on
/// standard output.
#[test]
fn a_port_in_use_fails_with_exit_code_1() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let o = crate::common::dinarflow(&["serve", "fixtures/small.toml", "--port", &port]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let expected = format!("error: cannot listen on 127.0.0.1:{port}: ");
    assert!(o.stderr.starts_with(&expected), "{}", o.stderr);
    assert!(o.stderr.contains("in use"), "{}", o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    drop(held);
}

/// A page of headless Chromium driven over the DevTools protocol (a
/// WebSocket on loopback, written by hand: text frames, masked as a
/// client must), so that a test can move a control as a user does.
struct Browser {
    child: Child,
    ws: TcpStream,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Chromium writes its port to DevToolsActivePort once it listens.
        let port_file = profile.path().join("DevToolsActivePort");
        let start = Instant::now();
        let port = loop {
            if let Some(p) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<u16>().ok()))
            {
                break p;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromium did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let ws_url = loop {
            let list = http_get(port, "/json/list");
            let targets: serde_json::Value = serde_json::from_str(&list).unwrap_or_default();
            let page = targets
                .as_array()
                .and_then(|t| t.iter().find(|x| x["type"] == "page"))
                .and_then(|x| x["webSocketDebuggerUrl"].as_str().map(str::to_string));
            if let Some(u) = page {
                break u;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "no page in {list}");
            std::thread::sleep(Duration::from_millis(50));
        };
        let path = &ws_url[ws_url.find("/devtools").unwrap()..];
        let mut ws = TcpStream::connect(("127.0.0.1", port)).unwrap();
        ws.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            ws,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            ws.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        assert!(
            head.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&head)
        );
        let mut b = Browser {
            child,
            ws,
            next: 0,
            _profile: profile,
        };
        b.call("Page.navigate", serde_json::json!({ "url": url }));
        b.wait_until("document.body && document.body.dataset.ready === '1'");
        b
    }

    fn send(&mut self, text: &str) {
        let payload = text.as_bytes();
        let mut frame = vec![0x81u8];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65536 => {
                frame.push(0x80 | 126);
                frame.extend((n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend((n as u64).to_be_bytes());
            }
        }
        let mask = [0x37u8, 0xfa, 0x21, 0x3d];
        frame.extend(mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.ws.write_all(&frame).unwrap();
    }

    /// One whole text message (continuation frames joined).
    fn receive(&mut self) -> String {
        let mut message = Vec::new();
        loop {
            let mut h = [0u8; 2];
            self.ws.read_exact(&mut h).unwrap();
            let len = match h[1] & 0x7f {
                126 => {
                    let mut b = [0u8; 2];
                    self.ws.read_exact(&mut b).unwrap();
                    u64::from(u16::from_be_bytes(b))
                }
                127 => {
                    let mut b = [0u8; 8];
                    self.ws.read_exact(&mut b).unwrap();
                    u64::from_be_bytes(b)
                }
                n => u64::from(n),
            };
            let mut payload = vec![0u8; len as usize];
            self.ws.read_exact(&mut payload).unwrap();
            match h[0] & 0x0f {
                0 | 1 => message.extend(payload),
                9 => continue,
                op => panic!("unexpected WebSocket frame {op}"),
            }
            if h[0] & 0x80 != 0 {
                return String::from_utf8(message).unwrap();
            }
        }
    }

    /// A DevTools command's result.
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let v = self.answer(method, params);
        assert!(v.get("error").is_none(), "{method}: {v}");
        v["result"].clone()
    }

    /// The browser's whole answer to `method`, an error included.
    fn answer(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let id = self.next;
        self.send(&serde_json::json!({ "id": id, "method": method, "params": params }).to_string());
        loop {
            let v: serde_json::Value = serde_json::from_str(&self.receive()).unwrap();
            if v["id"] == id {
                return v;
            }
        }
    }

    /// The value of a JavaScript expression on the page (promises
    /// awaited), or the browser's answer when it failed: an exception, or
    /// a page between two documents (a reload under way).
    fn try_eval(&mut self, expression: &str) -> Result<serde_json::Value, serde_json::Value> {
        let v = self.answer(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if v.get("error").is_some() || v["result"].get("exceptionDetails").is_some() {
            return Err(v);
        }
        Ok(v["result"]["result"]["value"].clone())
    }

    /// The value of a JavaScript expression on the page (promises awaited).
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        self.try_eval(expression)
            .unwrap_or_else(|v| panic!("{expression}: {v}"))
    }

    /// Waits until `condition` holds. While a reload replaces the page, an
    /// evaluation can fail (its context destroyed): that is "not yet", as a
    /// slow machine running the whole suite meets it.
    fn wait_until(&mut self, condition: &str) {
        let start = Instant::now();
        loop {
            let last = self.try_eval(&format!("!!({condition})"));
            if last == Ok(serde_json::Value::Bool(true)) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "never true: {condition} (last: {last:?})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs `action` (JavaScript that moves a control), then waits until
    /// the page has drawn the answer to every request it made.
    fn act(&mut self, action: &str) {
        self.eval(&format!("document.body.dataset.ready = ''; {action}; true"));
        self.wait_until("document.body.dataset.ready === '1' && !inFlight && !pending");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of `GET path` on loopback `port` (empty when nothing answers).
fn http_get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let mut reader = BufReader::new(s);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return String::new();
        }
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&body).into_owned()
}

/// The parallel rate's mean as the page shows it.
const PAGE_PARALLEL: &str =
    "[...document.querySelectorAll('#figures tbody tr')].find(r => r.dataset.label.startsWith('Parallel rate') && !r.dataset.label.includes('peak')).querySelector('td.value').textContent";

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn the_main_control_sets_the_whole_timeline_and_a_step_only_when_chosen() {
    let server = Server::start();
    let mut page = Browser::open(&format!("http://{}/", server.addr));
    // The audit's case: 65 typed for the oil price, whose schedule steps
    // in 2022-12, 2023-01 and 2024-01 (models/iraq-2023.toml). The box
    // sets the whole timeline, `--set exports.price_usd_per_bbl=65`, not
    // the first step (one month) alone.
    let price = control_of("exports.price_usd_per_bbl");
    assert_eq!(
        page.eval(&format!("{price}.querySelector('select.which').value")),
        ""
    );
    page.act(&typed(&price, ".row input.num", "65"));
    assert_eq!(page.eval(HASH), "#exports.price_usd_per_bbl=65");
    // $173.48 bn of gross revenue, $18.38 bn less than the base, where
    // the first step alone would take $1.57 bn off.
    assert_eq!(
        page.eval(PAGE_GROSS),
        cli_gross(&["exports.price_usd_per_bbl=65"])
    );
    assert_ne!(
        page.eval(PAGE_GROSS),
        cli_gross(&["exports.price_usd_per_bbl@2022-11=65"])
    );
    // Every step is dropped, and its box shows the 65 in force.
    assert_eq!(
        page.eval(&format!(
            "[...{price}.querySelectorAll('.steps input')].map(i => i.classList.contains('dropped') + ' ' + i.value).join()"
        )),
        "true 65,true 65,true 65"
    );
    page.act("document.querySelector('#reset').click()");

    let control = "document.querySelector('[data-path=\"auction.rejection_rate\"]')";
    // The model's schedule: 0.60 from 2022-11, then steps from 2022-12,
    // 2023-01, 2023-03 and 2024-01. Its step from 2022-11, chosen, is
    // what the slider then moves.
    assert_eq!(
        page.eval(&format!("{control}.querySelector('select.which').value")),
        ""
    );
    page.eval(&format!(
        "{control}.querySelector('select.which').value = '2022-11'; \
         {control}.querySelector('select.which').dispatchEvent(new Event('change')); true"
    ));
    let nudged = "0.61";
    page.act(&slid(control, nudged));
    let hash = page.eval("decodeURIComponent(location.hash)");
    assert_eq!(hash, format!("#auction.rejection_rate@2022-11={nudged}"));
    let spec = format!("auction.rejection_rate@2022-11={nudged}");
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&[&spec]));
    // One step moved: the mean moves a little, not by the ~100 IQD the
    // whole schedule's replacement moves it.
    let whole = cli_parallel(&[&format!("auction.rejection_rate={nudged}")]);
    assert_ne!(page.eval(PAGE_PARALLEL), whole);
    // The notes say which step ends it.
    let notes = page.eval("document.querySelector('#notes').textContent");
    assert!(
        notes.as_str().unwrap().contains(&format!(
            "--set auction.rejection_rate@2022-11={nudged} holds in 2022-11 only, until its next step, from 2022-12"
        )),
        "{notes}"
    );

    // "From this month on": the step from 2023-03 held to the end.
    page.act(&format!(
        "{control}.querySelector('select.which').value = '2023-03'; \
         {control}.querySelector('select.which').dispatchEvent(new Event('change')); \
         {control}.querySelector('input.onward').checked = true; \
         {control}.querySelector('input.onward').dispatchEvent(new Event('change')); \
         const n = {control}.querySelector('input.num'); n.value = '0.4'; n.dispatchEvent(new Event('change'))"
    ));
    let hash = page.eval("decodeURIComponent(location.hash)");
    assert_eq!(
        hash,
        format!("#auction.rejection_rate@2022-11={nudged}&auction.rejection_rate@2023-03..=0.4")
    );
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&[&spec, "auction.rejection_rate@2023-03..=0.4"])
    );
    // The step it drops is marked so.
    let dropped = page.eval(&format!(
        "{control}.querySelector('input[data-key=\"auction.rejection_rate@2024-01\"]').classList.contains('dropped')"
    ));
    assert_eq!(dropped, true);
    // The chart's subtitle names both.
    let subtitle = page.eval("document.querySelector('#rates svg').textContent");
    assert!(
        subtitle
            .as_str()
            .unwrap()
            .contains("auction.rejection_rate@2023-03..=0.4"),
        "{subtitle}"
    );

    // A link that sets a step: the control points at that step, its box
    // and slider show the value set (not the first step's 0.60).
    page.act("location.hash = '#auction.rejection_rate@2023-03..=0.3'");
    assert_eq!(
        page.eval(&format!(
            "[{control}.querySelector('select.which').value, {control}.querySelector('input.onward').checked, \
              {control}.querySelector('.row input.num').value, {control}.querySelector('input[type=range]').getAttribute('aria-valuetext')].join()"
        )),
        "2023-03,true,0.3,0.3"
    );
    // A bank that follows the rate says the schedule in force: 0.3 for
    // the whole timeline once the rate is set so.
    page.act(&format!(
        "{control}.querySelector('select.which').value = ''; {control}.querySelector('select.which').dispatchEvent(new Event('change')); {}",
        typed(control, ".row input.num", "0.3")
    ));
    assert_eq!(page.eval(HASH), "#auction.rejection_rate=0.3");
    let bank = control_of("auction.banks[Other banks].rejection_rate");
    let follows = text(
        &mut page,
        &format!("{bank}.querySelector('.follows').textContent"),
    );
    assert!(
        follows.starts_with("Follows auction.rejection_rate, steps included (0.3 from 2022-11). "),
        "{follows}"
    );
}

/// JavaScript that moves the slider of `control` to the position of
/// `value` (the slider's own value is a position; `at` finds it).
fn slid(control: &str, value: &str) -> String {
    format!("{{ const s = {control}.querySelector('input[type=range]'); s.value = s.at('{value}'); s.dispatchEvent(new Event('input')); }}")
}

/// JavaScript that moves the slider of `control` `n` positions (negative: left).
fn nudged(control: &str, n: i32) -> String {
    let (how, times) = if n < 0 { ("stepDown", -n) } else { ("stepUp", n) };
    format!("{{ const s = {control}.querySelector('input[type=range]'); s.{how}({times}); s.dispatchEvent(new Event('input')); }}")
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn sliders_land_on_round_values_and_a_share_moves_its_list() {
    let server = Server::start();
    let mut page = Browser::open(&format!("http://{}/", server.addr));
    // On load every slider sits on its base value exactly (its box's).
    let off = text(
        &mut page,
        "[...document.querySelectorAll('.param')].filter(n => !n.querySelector('.follows')).filter(n => { \
           const s = n.querySelector('input[type=range]'), b = n.querySelector('.row input.num'); \
           return s.getAttribute('aria-valuetext') !== b.value || s.value !== String(s.at(b.value)); \
         }).map(n => n.dataset.path).join()",
    );
    assert_eq!(off, "");
    // One position either side of $9.5 m (models/iraq-2023.toml), on a
    // slider of $0 to $2 bn in $1 m steps: $10 m and $9 m, round.
    let unmet = control_of("parallel_market.baseline_unmet_usd_per_day");
    page.act(&nudged(&unmet, 1));
    assert_eq!(
        page.eval(HASH),
        "#parallel_market.baseline_unmet_usd_per_day=10000000"
    );
    page.act(&nudged(&unmet, -2));
    assert_eq!(
        page.eval(HASH),
        "#parallel_market.baseline_unmet_usd_per_day=9000000"
    );
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["parallel_market.baseline_unmet_usd_per_day=9000000"])
    );
    // $833,333,333.33 a month of banknotes: its neighbours are $834 m and $833 m.
    let cash = control_of("airlift.cash_usd_per_month");
    page.act(&nudged(&cash, 1));
    assert_eq!(
        page.eval(HASH),
        "#parallel_market.baseline_unmet_usd_per_day=9000000&airlift.cash_usd_per_month=834000000"
    );
    page.act("document.querySelector('#reset').click()");
    // The elasticity of demand must be > 0: the slider's left end is its
    // plausible least, 0.1, which runs.
    let elasticity = control_of("parallel_market.demand_elasticity");
    page.act(&format!(
        "{{ const s = {elasticity}.querySelector('input[type=range]'); s.value = 0; s.dispatchEvent(new Event('input')); }}"
    ));
    assert_eq!(page.eval(HASH), "#parallel_market.demand_elasticity=0.1");
    assert_eq!(
        page.eval("document.querySelector('#results').classList.contains('stale')"),
        false
    );
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["parallel_market.demand_elasticity=0.1"])
    );
    page.act("document.querySelector('#reset').click()");

    // Food's weight to 0.4: the other weights (0.25, 0.15, 0.07, 0.06,
    // 0.04, 0.05, 0.08; sum 0.70) share the 0.6 left in proportion, in
    // thousandths rounded down, the 0.003 left over to the largest:
    // 0.25 × 6/7 = 0.2142… → 0.214 + 0.003, 0.15 → 0.128, 0.07 → 0.06,
    // 0.06 → 0.051, 0.04 → 0.034, 0.05 → 0.042, 0.08 → 0.068.
    let food = control_of("prices.basket[Food].weight");
    page.act(&slid(&food, "0.4"));
    let sets = [
        "prices.basket[Food].weight=0.4",
        "prices.basket[Housing and utilities].weight=0.217",
        "prices.basket[Transport].weight=0.128",
        "prices.basket[Household goods].weight=0.06",
        "prices.basket[Clothing].weight=0.051",
        "prices.basket[Health].weight=0.034",
        "prices.basket[Miscellaneous].weight=0.042",
        "prices.basket[Other].weight=0.068",
    ];
    assert_eq!(page.eval(HASH), format!("#{}", sets.join("&")));
    assert_eq!(
        page.eval("document.querySelector('#results').classList.contains('stale')"),
        false
    );
    // `run --set` takes the eight together (it refuses weights that do not sum to 1).
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&sets));
    let said = text(&mut page, &format!("{food}.querySelector('.notice').textContent"));
    assert!(
        said.starts_with("The basket weights must sum to exactly 1, so the others moved in proportion: prices.basket[Housing and utilities].weight=0.217, "),
        "{said}"
    );
    // A bank's share, whose list steps with the bans: both banks set for
    // the whole timeline, 0.1 and 0.9.
    page.act("document.querySelector('#reset').click()");
    let barred = control_of("auction.banks[Barred banks].share");
    page.act(&typed(&barred, ".row input.num", "0.1"));
    let banks = [
        "auction.banks[Barred banks].share=0.1",
        "auction.banks[Other banks].share=0.9",
    ];
    assert_eq!(page.eval(HASH), format!("#{}", banks.join("&")));
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&banks));
    // No factor for a share: × 1.1 of one alone is always refused.
    assert_eq!(
        page.eval(&format!("{barred}.querySelectorAll('input.scale').length")),
        0
    );
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn a_factor_after_a_step_scales_it_and_a_links_bad_entries_are_left_out() {
    let server = Server::start();
    // A step, then a factor: applied in that order, as `run --set` applies
    // them, so 2023-01's 70 is scaled too (77), the order kept in the URL.
    let mut page = Browser::open(&format!(
        "http://{}/#exports.price_usd_per_bbl@2023-01=70",
        server.addr
    ));
    let price = control_of("exports.price_usd_per_bbl");
    page.act(&typed(&price, "input.scale", "1.1"));
    let (step, factor) = (
        "exports.price_usd_per_bbl@2023-01=70",
        "exports.price_usd_per_bbl*=1.1",
    );
    assert_eq!(page.eval(HASH), format!("#{step}&{factor}"));
    assert_eq!(page.eval(PAGE_GROSS), cli_gross(&[step, factor]));
    assert_ne!(page.eval(PAGE_GROSS), cli_gross(&[factor, step]));
    // The step boxes show the values in force, worked out by hand:
    // 73.6 × 1.1, 70 × 1.1, 71.81 × 1.1 (the model's 2022-12 and 2024-01 steps).
    assert_eq!(
        text(
            &mut page,
            &format!("[...{price}.querySelectorAll('.steps input')].map(i => i.value).join()")
        ),
        "80.96,77,78.991"
    );

    // The audit's link: a broken escape, an empty pair, "=", a word
    // without "=", a value that is not a number, then a good entry. The
    // good one runs; the others are listed.
    page.act("location.hash = '#%E0%A4%A=1&&=&foo&exports.price_usd_per_bbl=abc&auction.rejection_rate=0.5'");
    assert_eq!(page.eval(HASH), "#auction.rejection_rate=0.5");
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["auction.rejection_rate=0.5"])
    );
    assert_eq!(
        page.eval("document.querySelector('#error').style.display"),
        "none"
    );
    let listed = text(
        &mut page,
        "[...document.querySelectorAll('#dropped li.refused')].map(l => l.textContent).join(' | ')",
    );
    assert_eq!(
        listed,
        "%E0%A4%A=1: not a readable pair (a broken %-escape) | =: no parameter path before = | foo: no = in it | exports.price_usd_per_bbl=abc: the value is not a number"
    );
    // An unknown path, and a value the command line refuses: left out
    // with the reason (the command line's message), the rest runs.
    page.act("location.hash = '#auction.rejection_rate=1.5&exports.nope=3&exports.price_usd_per_bbl=65'");
    assert_eq!(page.eval(HASH), "#exports.price_usd_per_bbl=65");
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["exports.price_usd_per_bbl=65"])
    );
    let listed = text(&mut page, "document.querySelector('#dropped').textContent");
    assert!(
        listed.contains("exports.nope=3: exports.nope is not a parameter of this model"),
        "{listed}"
    );
    assert!(
        listed.contains("auction.rejection_rate=1.5: --set auction.rejection_rate=1.5: "),
        "{listed}"
    );

    // Nine parameters changed: "what moved" splits one at a time, and
    // says so, with what its interactions row is.
    let nine = [
        "auction.rejection_rate=0.5",
        "exports.price_usd_per_bbl=65",
        "exports.volume_bpd=3000000",
        "auction.cash_share=0.3",
        "parallel_market.spillover_share=0.7",
        "parallel_market.demand_elasticity=2.5",
        "parallel_market.supply_elasticity=1.5",
        "parallel_market.cash_resale_share=0.4",
        "airlift.transport_usd_per_flight=300000",
    ];
    page.act(&format!("location.hash = '#{}'", nine.join("&")));
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&nine));
    let hint = text(&mut page, "document.querySelector('#moved p.hint').textContent");
    assert!(
        hint.contains("Split one at a time, as `dinarflow diff` splits more than 8 differences"),
        "{hint}"
    );
    assert!(
        hint.contains("\"Interactions\" is the rest of the total change"),
        "{hint}"
    );
    assert!(!hint.contains("every combination"), "{hint}");
    page.act("location.hash = '#auction.rejection_rate=0.5'");
    let hint = text(&mut page, "document.querySelector('#moved p.hint').textContent");
    assert!(hint.contains("Split by Shapley values"), "{hint}");
    // A difference is in the ink's colour, up or down: its sign says which.
    assert_eq!(
        page.eval(
            "[...document.querySelectorAll('#figures td.change')].every(td => getComputedStyle(td).color === getComputedStyle(document.body).color)"
        ),
        true
    );
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn a_whole_timeline_value_shows_in_the_box_of_a_scheduled_parameter() {
    // The oil price has a schedule of steps in models/iraq-2023.toml
    // (80.80 from 2022-11, then 73.6, 71.10, 71.81). `PATH=65` replaces
    // the whole schedule: the box under the slider shows 65, not the
    // first step's 80.80, and every step is marked dropped.
    let server = Server::start();
    let mut page = Browser::open(&format!("http://{}/#exports.price_usd_per_bbl=65", server.addr));
    let control = "document.querySelector('[data-path=\"exports.price_usd_per_bbl\"]')";
    assert_eq!(
        page.eval(&format!("{control}.querySelector('input.num').value")),
        "65"
    );
    assert_eq!(
        page.eval(&format!(
            "[...{control}.querySelectorAll('.steps input')].every(i => i.classList.contains('dropped'))"
        )),
        true
    );
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["exports.price_usd_per_bbl=65"])
    );
}

/// The gross oil revenue as the page's tooltip writes it exactly.
const PAGE_GROSS: &str =
    "[...document.querySelectorAll('#figures tbody tr')].find(r => r.dataset.label === 'Gross oil revenue').querySelector('td.value').title.slice('exact: '.length).split(' · ')[0]";

/// `run --set S`'s gross oil revenue, as the page's tooltip writes it
/// (`173,483,955,320.00 USD`).
fn cli_gross(sets: &[&str]) -> String {
    let mut args = vec!["run", MODEL, "--format", "json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let v: serde_json::Value = serde_json::from_str(&crate::common::ok(&args).stdout).unwrap();
    let d: Decimal = v["summary"]["gross_revenue_usd"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    format!("{} USD", dinarflow::render::display(d, 2))
}

/// The page's state, as its URL holds it.
const HASH: &str = "decodeURIComponent(location.hash)";

/// `document.querySelector` of the control of `path`, as JavaScript.
fn control_of(path: &str) -> String {
    format!("document.querySelector('.param[data-path=\"{path}\"]')")
}

/// JavaScript that types `value` in the input `selector` of `control` and
/// leaves it (a `change` event).
fn typed(control: &str, selector: &str, value: &str) -> String {
    format!("{{ const i = {control}.querySelector('{selector}'); i.value = '{value}'; i.dispatchEvent(new Event('change')); }}")
}

fn text(page: &mut Browser, expression: &str) -> String {
    page.eval(expression).as_str().unwrap_or_default().to_string()
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn a_following_bank_is_scaled_and_a_replaced_factor_is_said_and_saved() {
    let server = Server::start();
    let mut page = Browser::open(&format!("http://{}/", server.addr));
    // "Other banks" follow auction.rejection_rate (models/iraq-2023.toml):
    // their slider's one step right is × 1.01 of that schedule, not the
    // first month's 0.60 for the whole timeline.
    let bank = control_of("auction.banks[Other banks].rejection_rate");
    let follows = text(
        &mut page,
        &format!("{bank}.querySelector('.follows').textContent"),
    );
    assert!(
        follows.starts_with(
            "Follows auction.rejection_rate, steps included (0.60 from 2022-11, 0.497151 from 2022-12, "
        ),
        "{follows}"
    );
    assert_eq!(
        text(&mut page, &format!("{bank}.querySelector('input.num').value")),
        ""
    );
    page.act(&format!(
        "{{ const s = {bank}.querySelector('input[type=range]'); s.stepUp(); s.dispatchEvent(new Event('input')); }}"
    ));
    let set = "auction.banks[Other banks].rejection_rate*=1.01";
    assert_eq!(page.eval(HASH), format!("#{set}"));
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&[set]));
    assert_ne!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["auction.banks[Other banks].rejection_rate=0.60"])
    );
    page.act("document.querySelector('#reset').click()");

    // A factor, then a value for the whole timeline: the value replaces
    // the factor (the command line refuses the pair), the × box empties and
    // the control says so.
    let elasticity = control_of("parallel_market.supply_elasticity");
    page.act(&typed(&elasticity, "input.scale", "2"));
    assert_eq!(page.eval(HASH), "#parallel_market.supply_elasticity*=2");
    page.act(&typed(&elasticity, ".row input.num", "1.5"));
    assert_eq!(page.eval(HASH), "#parallel_market.supply_elasticity=1.5");
    assert_eq!(
        text(
            &mut page,
            &format!("{elasticity}.querySelector('input.scale').value")
        ),
        ""
    );
    assert_eq!(
        text(&mut page, &format!("{elasticity}.querySelector('.notice').textContent")),
        "Replaced parallel_market.supply_elasticity*=2: parallel_market.supply_elasticity=1.5 sets every month it set."
    );
    let shown = page.eval(PAGE_PARALLEL);
    assert_eq!(shown, cli_parallel(&["parallel_market.supply_elasticity=1.5"]));
    // The scenario it downloads, and its command, give the same figure.
    let saved = text(&mut page, "scenario().then(w => w.scenario)");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("what-if.toml");
    std::fs::write(&file, &saved).unwrap();
    let by_file = crate::common::ok(&[
        "run",
        MODEL,
        "--scenario",
        file.to_str().unwrap(),
        "--format",
        "json",
    ])
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&by_file).unwrap();
    let d: Decimal = v["summary"]["parallel_rate"].as_str().unwrap().parse().unwrap();
    assert_eq!(shown, format!("{} IQD per $", dinarflow::render::display(d, 0)));
    assert!(
        saved.contains("# The same as: dinarflow run models/iraq-2023.toml --set 'parallel_market.supply_elasticity=1.5'\n"),
        "{saved}"
    );

    // The slider moved and brought back to the base (0.8) leaves no
    // change behind.
    let spill = control_of("parallel_market.spillover_share");
    page.act("document.querySelector('#reset').click()");
    for v in ["0.81", "0.8"] {
        page.act(&slid(&spill, v));
    }
    assert_eq!(page.eval(HASH), "");
    assert_eq!(page.eval("document.querySelector('#download').disabled"), true);
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn an_undone_link_entry_is_left_out_and_a_refused_value_greys_the_results() {
    let server = Server::start();
    // The reviewer's link: the step from 2023-07, then from 2023-03 on,
    // which sets 2023-07 too. The page leaves the step out and says so;
    // its figure is the later --set's alone (the command line refuses the pair).
    let mut page = Browser::open(&format!(
        "http://{}/#auction.rejection_rate@2023-07=0.1&auction.rejection_rate@2023-03..=0.3",
        server.addr
    ));
    assert_eq!(page.eval(HASH), "#auction.rejection_rate@2023-03..=0.3");
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["auction.rejection_rate@2023-03..=0.3"])
    );
    let said = text(&mut page, "document.querySelector('#dropped').textContent");
    assert!(
        said.contains(
            "auction.rejection_rate@2023-07=0.1, which the later auction.rejection_rate@2023-03..=0.3 undoes"
        ),
        "{said}"
    );
    let chips = text(
        &mut page,
        "[...document.querySelectorAll('.chip')].map(c => c.dataset.key).join(' ')",
    );
    assert!(!chips.contains("2023-07"), "{chips}");

    // A value the command line refuses: its message beside the control
    // and over the results, which are greyed; no download until it runs.
    let elasticity = control_of("parallel_market.supply_elasticity");
    page.act(&typed(&elasticity, ".row input.num", "-3"));
    assert_eq!(
        page.eval("document.querySelector('#results').classList.contains('stale')"),
        true
    );
    assert_eq!(page.eval("document.querySelector('#download').disabled"), true);
    let banner = text(&mut page, "document.querySelector('#error').textContent");
    assert!(
        banner.starts_with("--set parallel_market.supply_elasticity=-3: parallel_market.supply_elasticity: -3 is out of range"),
        "{banner}"
    );
    assert!(
        banner.contains("The figures below are for the last values that ran"),
        "{banner}"
    );
    page.act("document.querySelector('#undo').click()");
    assert_eq!(
        page.eval("document.querySelector('#results').classList.contains('stale')"),
        false
    );
    assert_eq!(page.eval("document.querySelector('#download').disabled"), false);
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn implausible_values_are_warned_and_controls_read_for_people() {
    let server = Server::start();
    let mut page = Browser::open(&format!(
        "http://{}/#auction.official_rate_iqd_per_usd=1.31",
        server.addr
    ));
    // `run --set auction.official_rate_iqd_per_usd=1.31` warns: the banner
    // and the control say what it says.
    let banner = text(&mut page, "document.querySelector('#warnings').textContent");
    assert!(
        banner.contains("auction.official_rate_iqd_per_usd: 1.31 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD"),
        "{banner}"
    );
    let official = control_of("auction.official_rate_iqd_per_usd");
    let beside = text(
        &mut page,
        &format!("{official}.querySelector('.warn').textContent"),
    );
    assert!(
        beside.ends_with("an exchange rate is dinars per dollar, e.g. 1310, not 1.31"),
        "{beside}"
    );
    // An opening stock has no step, a drawn value neither step nor factor.
    let opening = control_of("custody.opening_balance_usd");
    let drawn = control_of("parallel_market.anchor_weight");
    assert_eq!(
        page.eval(&format!("{opening}.querySelectorAll('.steps select').length")),
        0
    );
    assert_eq!(
        page.eval(&format!(
            "{drawn}.querySelectorAll('.steps select, input.scale').length"
        )),
        0
    );
    // Its line in dollars for people: $100 bn (models/iraq-2023.toml's
    // 100_000_000_000) and the plausible range: $1,000 to $500 bn, or none.
    let meta = text(
        &mut page,
        &format!("{opening}.querySelector('.meta').textContent"),
    );
    assert!(meta.starts_with("base $100 bn · "), "{meta}");
    assert!(meta.ends_with(" · plausible $1,000 to $500 bn or 0"), "{meta}");
    // A peak shows each side's month: the base's premium peaks in Feb 2023.
    page.act("location.hash = '#auction.rejection_rate=0.5'");
    let peak = "[...document.querySelectorAll('#figures tbody tr')].find(r => r.dataset.label === 'Premium over the official rate in force, peak')";
    assert_eq!(
        text(
            &mut page,
            &format!("{peak}.querySelector('td.value .when').textContent")
        ),
        " Dec 2024"
    );
    assert_eq!(
        text(
            &mut page,
            &format!("{peak}.querySelector('td.base .when').textContent")
        ),
        " Feb 2023"
    );
}

/// The page's box of `selector`: [top, width] in CSS pixels.
fn layout(page: &mut Browser, selector: &str) -> (f64, f64) {
    let v = page.eval(&format!(
        "(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); return [r.top + scrollY, r.width]; }})()"
    ));
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn a_narrow_window_shows_the_results_near_the_top_and_the_controls_below_the_header() {
    // --horizon adds a line to the header, which wraps.
    let server = Server::start_with(&["--horizon", "2026-12"]);
    let mut page = Browser::open(&format!("http://{}/", server.addr));
    for (width, results_first) in [(1280, false), (800, false), (600, true)] {
        page.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
        );
        page.wait_until(&format!("innerWidth === {width}"));
        std::thread::sleep(Duration::from_millis(200));
        let head = page
            .eval("document.querySelector('header').getBoundingClientRect().height")
            .as_f64()
            .unwrap();
        let (results, _) = layout(&mut page, "#results");
        let (controls, _) = layout(&mut page, "#controls");
        // The results start within the first screen, below the header.
        assert!(results < 250.0, "{width}: results at {results}");
        if results_first {
            assert!(
                results < controls,
                "{width}: results {results}, controls {controls}"
            );
        } else {
            // Side by side; the controls, pinned, start below the header
            // however many lines it wraps to, and stay there scrolled.
            assert!((results - controls).abs() < 1.0, "{width}: {results} {controls}");
            page.eval("window.scrollTo(0, 1500); true");
            std::thread::sleep(Duration::from_millis(200));
            let top = page
                .eval("document.querySelector('#controls').getBoundingClientRect().top")
                .as_f64()
                .unwrap();
            assert!(
                top >= head,
                "{width}: controls at {top} under a header {head} high"
            );
            page.eval("window.scrollTo(0, 0); true");
        }
        // The flow diagram keeps legible text: never under 760 px wide
        // (its 14 px labels at 1280), scrolled sideways instead.
        let svg = page
            .eval("document.querySelector('#flow svg').getBoundingClientRect().width")
            .as_f64()
            .unwrap();
        assert!(svg >= 760.0, "{width}: flow diagram {svg} px wide");
    }
}

/// `run --horizon H --set S`'s average parallel rate, as the page shows it.
fn cli_parallel_to(horizon: &str, sets: &[&str]) -> String {
    let mut args = vec!["run", MODEL, "--horizon", horizon, "--format", "json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let v: serde_json::Value = serde_json::from_str(&crate::common::ok(&args).stdout).unwrap();
    let d: Decimal = v["summary"]["parallel_rate"].as_str().unwrap().parse().unwrap();
    format!("{} IQD per $", dinarflow::render::display(d, 0))
}

/// The page's horizon box: `value` typed and left.
fn horizon_typed(value: &str) -> String {
    format!("{{ const i = document.querySelector('#horizon'); i.value = '{value}'; i.dispatchEvent(new Event('change')); }}")
}

/// What the page's Download would save for its current list: the
/// server's answer (`{scenario, file, command}`) or null.
const DOWNLOADED: &str = "scenario()";

/// The page's mean parallel rate over Nov 2022 to `end` (Mon YYYY).
fn page_mean_to(end: &str) -> String {
    format!("[...document.querySelectorAll('#figures tbody tr')].find(r => r.dataset.label === 'Parallel rate, mean Nov 2022–{end}').querySelector('td.value').textContent")
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn serve_horizon_opens_the_page_there_and_its_box_can_run_the_model_shorter() {
    let server = Server::start_with(&["--horizon", "2026-12"]);
    let mut page = Browser::open(&format!("http://{}/", server.addr));
    // It opens run on to 2026-12, as `run --horizon 2026-12` runs it.
    assert_eq!(page.eval(HASH), "#horizon=2026-12");
    assert_eq!(page.eval("document.querySelector('#horizon').value"), "2026-12");
    assert_eq!(
        page.eval(&page_mean_to("Dec 2026")),
        cli_parallel_to("2026-12", &[])
    );
    assert_eq!(page.eval("document.querySelector('#reset').disabled"), true);
    // A nearer month (refused before: the served model ended in 2026-12).
    page.act(&horizon_typed("2025-06"));
    assert_eq!(page.eval(HASH), "#horizon=2025-06");
    assert_eq!(
        page.eval("document.querySelector('#horizon-msg').textContent"),
        ""
    );
    assert_eq!(
        page.eval(&page_mean_to("Jun 2025")),
        cli_parallel_to("2025-06", &[])
    );
    // ✕: the model's own 26 months, written `horizon=` in the link, since
    // a link without a horizon opens at 2026-12.
    page.act("document.querySelector('#horizon-clear').click()");
    assert_eq!(page.eval(HASH), "#horizon=");
    assert_eq!(page.eval(&page_mean_to("Dec 2024")), cli_parallel(&[]));
    // The link keeps it so: reloaded, the page runs no horizon.
    page.eval("window.before = 1; location.reload(); true");
    page.wait_until("!window.before && document.body && document.body.dataset.ready === '1'");
    assert_eq!(page.eval(HASH), "#horizon=");
    assert_eq!(page.eval("document.querySelector('#horizon').value"), "");
    assert_eq!(page.eval(&page_mean_to("Dec 2024")), cli_parallel(&[]));
    // Reset goes back to the month the page opened with.
    assert_eq!(page.eval("document.querySelector('#reset').disabled"), false);
    page.act("document.querySelector('#reset').click()");
    assert_eq!(page.eval(HASH), "#horizon=2026-12");
    assert_eq!(
        page.eval(&page_mean_to("Dec 2026")),
        cli_parallel_to("2026-12", &[])
    );
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn the_horizon_box_runs_the_model_on_and_a_bad_month_is_said_beside_it() {
    let server = Server::start();
    let mut page = Browser::open(&format!(
        "http://{}/#auction.rejection_rate@2023-07..=0.4",
        server.addr
    ));
    page.act(&horizon_typed("2025-06"));
    assert_eq!(
        page.eval(HASH),
        "#horizon=2025-06&auction.rejection_rate@2023-07..=0.4"
    );
    // The mean over Nov 2022–Jun 2025 is `run --horizon 2025-06 --set`'s.
    let mean = "[...document.querySelectorAll('#figures tbody tr')].find(r => r.dataset.label === 'Parallel rate, mean Nov 2022–Jun 2025').querySelector('td.value').textContent";
    assert_eq!(
        page.eval(mean),
        cli_parallel_to("2025-06", &["auction.rejection_rate@2023-07..=0.4"])
    );
    // A step may be added in a month of the horizon.
    let rate = control_of("auction.rejection_rate");
    assert_eq!(
        page.eval(&format!(
            "[...{rate}.querySelector('.steps select').options].pop().value"
        )),
        "2025-06"
    );
    // Download saves a scenario whose command names the horizon.
    let w = page.eval(DOWNLOADED);
    assert_eq!(
        w["command"],
        format!("dinarflow run {MODEL} --horizon 2025-06 --set 'auction.rejection_rate@2023-07..=0.4'")
    );
    // A month before the model's end: the command line's message beside
    // the box, the results greyed.
    page.act(&horizon_typed("2024-06"));
    let said = text(&mut page, "document.querySelector('#horizon-msg').textContent");
    let cli = crate::common::dinarflow(&["run", MODEL, "--horizon", "2024-06"]);
    assert_eq!(cli.code, 2);
    assert_eq!(
        said,
        format!("Horizon: {}", cli.stderr.trim().trim_start_matches("error: "))
    );
    assert!(said.contains("ends in 2024-12"), "{said}");
    assert_eq!(
        page.eval("document.querySelector('#horizon').classList.contains('bad')"),
        true
    );
    assert_eq!(
        page.eval("document.querySelector('#results').classList.contains('stale')"),
        true
    );
    page.act(&horizon_typed("2025-6"));
    let said = text(&mut page, "document.querySelector('#horizon-msg').textContent");
    assert!(said.contains("is not a month"), "{said}");
    // ✕ clears it: the model's own 26 months again.
    page.act("document.querySelector('#horizon-clear').click()");
    assert_eq!(page.eval(HASH), "#auction.rejection_rate@2023-07..=0.4");
    assert_eq!(
        page.eval(PAGE_PARALLEL),
        cli_parallel(&["auction.rejection_rate@2023-07..=0.4"])
    );
    assert_eq!(
        page.eval("document.querySelector('#horizon-msg').textContent"),
        ""
    );
    // A link's horizon before the model's end is left out and listed.
    page.act("location.hash = '#horizon=2023-01&auction.rejection_rate=0.5'");
    assert_eq!(page.eval(HASH), "#auction.rejection_rate=0.5");
    let listed = text(&mut page, "document.querySelector('#dropped').textContent");
    assert!(
        listed.contains("horizon=2023-01: --horizon 2023-01: "),
        "{listed}"
    );
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn a_share_step_moves_its_list_for_the_same_months_and_a_factor_after_a_step_downloads() {
    let server = Server::start();
    let mut page = Browser::open(&format!("http://{}/", server.addr));
    // China's share from 2023-07 typed as 0.5 ("+ step…"): the other
    // buyers (0.25, 0.17, 0.15, 0.08; sum 0.65) share the 0.5 left in
    // proportion in the same month, in thousandths rounded down, the
    // 0.002 left over to the largest: 0.25 × 0.5/0.65 = 0.1923… → 0.192
    // + 0.002, 0.17 → 0.130, 0.15 → 0.115, 0.08 → 0.061.
    let china = control_of("exports.buyers[China].share");
    page.act(&format!(
        "window.prompt = () => '0.5'; {{ const s = {china}.querySelector('.steps select'); s.value = '2023-07'; s.dispatchEvent(new Event('change')); }}"
    ));
    let sets = [
        "exports.buyers[China].share@2023-07=0.5",
        "exports.buyers[India].share@2023-07=0.194",
        "exports.buyers[Europe].share@2023-07=0.13",
        "exports.buyers[Other Asia].share@2023-07=0.115",
        "exports.buyers[Americas and others].share@2023-07=0.061",
    ];
    assert_eq!(page.eval(HASH), format!("#{}", sets.join("&")));
    assert_eq!(
        page.eval("document.querySelector('#results').classList.contains('stale')"),
        false
    );
    // `run --set` takes the five together (it refuses China's alone).
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&sets));
    assert_eq!(
        crate::common::dinarflow(&["run", MODEL, "--set", sets[0]]).code,
        2
    );
    // The same step alone in a link moves the list the same way.
    page.act("document.querySelector('#reset').click()");
    page.act(&format!(
        "location.hash = '#{}'",
        sets[0].replace('[', "%5B").replace(']', "%5D")
    ));
    assert_eq!(page.eval(HASH), format!("#{}", sets.join("&")));
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&sets));
    // The barred banks' share for its step from 2023-07 (0.08 to 2024-01,
    // the other banks 0.92 alongside): 0.2, the others 0.8 in that step.
    page.act("document.querySelector('#reset').click()");
    let barred = control_of("auction.banks[Barred banks].share");
    page.act(&typed(
        &barred,
        ".steps input[data-key=\"auction.banks[Barred banks].share@2023-07\"]",
        "0.2",
    ));
    let banks = [
        "auction.banks[Barred banks].share@2023-07=0.2",
        "auction.banks[Other banks].share@2023-07=0.8",
    ];
    assert_eq!(page.eval(HASH), format!("#{}", banks.join("&")));
    assert_eq!(page.eval(PAGE_PARALLEL), cli_parallel(&banks));

    // A factor after a step: Download saves a file that `run --scenario`
    // runs to `run --set`'s figures, in that order.
    page.act("document.querySelector('#reset').click()");
    let (step, factor) = (
        "exports.price_usd_per_bbl@2023-01=70",
        "exports.price_usd_per_bbl*=1.1",
    );
    page.act(&format!("location.hash = '#{step}'"));
    let price = control_of("exports.price_usd_per_bbl");
    page.act(&typed(&price, "input.scale", "1.1"));
    assert_eq!(page.eval(HASH), format!("#{step}&{factor}"));
    assert_eq!(page.eval("document.querySelector('#download').disabled"), false);
    let w = page.eval(DOWNLOADED);
    assert_eq!(
        w["command"],
        format!("dinarflow run {MODEL} --set '{step}' --set '{factor}'")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("what-if.toml");
    std::fs::write(&file, w["scenario"].as_str().unwrap()).unwrap();
    let csv = |args: &[&str]| {
        let mut all = vec!["run", MODEL, "--format", "csv"];
        all.extend(args);
        crate::common::ok(&all).stdout
    };
    assert_eq!(
        csv(&["--scenario", file.to_str().unwrap()]),
        csv(&["--set", step, "--set", factor])
    );
}

#[test]
#[cfg_attr(
    not(browser),
    ignore = "no chromium on this machine when the tests were built (apt-get install chromium)"
)]
fn on_a_phone_what_moved_and_the_chart_titles_fit_the_width() {
    let server = Server::start();
    let mut page = Browser::open(&format!(
        "http://{}/#auction.rejection_rate@2023-07..=0.4&exports.price_usd_per_bbl=65",
        server.addr
    ));
    page.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
    );
    page.wait_until("innerWidth === 390");
    std::thread::sleep(Duration::from_millis(300));
    // Gross oil revenue at $65: $173.48 bn against $191.86 bn, a
    // difference read with a true minus.
    assert_eq!(
        page.eval("document.querySelector('#figures tbody tr[data-label=\"Gross oil revenue\"] td.change').textContent"),
        "\u{2212}$18.38 bn"
    );
    // "What moved" does not scroll sideways: every cell within its card.
    let card = "document.querySelector('#moved').closest('section')";
    assert_eq!(
        page.eval(&format!("{card}.scrollWidth <= {card}.clientWidth")),
        true
    );
    let right = page
        .eval(&format!("{card}.getBoundingClientRect().right"))
        .as_f64()
        .unwrap();
    let widest = page
        .eval("Math.max(...[...document.querySelectorAll('#moved-table td')].map(t => t.getBoundingClientRect().right))")
        .as_f64()
        .unwrap();
    assert!(widest <= right, "a cell ends at {widest}, the card at {right}");
    // Each cell says which metric it is.
    assert!(text(
        &mut page,
        "document.querySelector('#moved-table td[data-label]').dataset.label"
    )
    .starts_with("Parallel rate, IQD per $"));
    // A chart's title and subtitle wrap above it, inside the card, with
    // the whole what-if; the chart scrolls sideways under them.
    for chart in ["#rates", "#flow"] {
        let head = format!("document.querySelector('{chart}').previousElementSibling");
        let said = text(&mut page, &format!("{head}.textContent"));
        assert!(
            said.contains("what-if: auction.rejection_rate@2023-07..=0.4; exports.price_usd_per_bbl=65"),
            "{chart}: {said}"
        );
        let (r, cr) = (
            page.eval(&format!("{head}.getBoundingClientRect().right"))
                .as_f64()
                .unwrap(),
            page.eval(&format!(
                "{head}.closest('section').getBoundingClientRect().right"
            ))
            .as_f64()
            .unwrap(),
        );
        assert!(r <= cr, "{chart}: the subtitle ends at {r}, its card at {cr}");
        assert_eq!(page.eval(&format!("getComputedStyle({head}).display")), "block");
        // The SVG's own title and subtitle (hidden here) leave no blank
        // band: its view starts 14 units under the subtitle's baseline
        // (y = 66), at 80, and its box is as much shorter. The rates chart
        // is 1,280 x 984 units and drawn 760 px wide (its least width):
        // 760 x 904 / 1,280 = 536.75 px tall.
        let svg = format!("document.querySelector('{chart} svg')");
        let view = text(&mut page, &format!("{svg}.getAttribute('viewBox')"));
        assert!(view.starts_with("0 80 1280 "), "{chart}: {view}");
        if chart == "#rates" {
            assert_eq!(view, "0 80 1280 904");
            let tall = page
                .eval(&format!("{svg}.getBoundingClientRect().height"))
                .as_f64()
                .unwrap();
            assert!((tall - 536.75).abs() < 1.0, "{chart}: {tall} px tall");
        }
    }
    // The header scrolls away with the page instead of holding a fifth
    // of the screen.
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('header')).position"),
        "static"
    );
    // On a wide screen the chart's own title shows, not the copy.
    page.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    page.wait_until("innerWidth === 1280");
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('#rates').previousElementSibling).display"),
        "none"
    );
    // … and the whole SVG, under a header that stays in view.
    assert_eq!(
        page.eval("document.querySelector('#rates svg').getAttribute('viewBox')"),
        "0 0 1280 984"
    );
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('header')).position"),
        "sticky"
    );
}
