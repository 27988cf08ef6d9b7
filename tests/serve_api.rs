//! `dinarflow serve`'s API against the router in process (no socket):
//! `POST /api/run` answers exactly what `run --format json --set` prints,
//! a bad path or value 400 with the command line's message and the key it
//! is about, an overflow 422 (and the next request still answers), a
//! foreign Host 403, a body over the limit 413; `/api/view` and
//! `/api/params` carry what the page draws; a `"horizon"` runs the model
//! on as `--horizon` does (a bad one 400 with its message); the scenario
//! of a factor after a step runs to the `--set`s' figures.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use dinarflow::serve::{router, App, BODY_LIMIT};

const MODEL: &str = "models/iraq-2023.toml";
const HOST: &str = "127.0.0.1:8023";

fn app() -> Router {
    let model = dinarflow::model::load_file(Path::new(MODEL)).unwrap();
    let addr: SocketAddr = HOST.parse().unwrap();
    router(Arc::new(App::new(model).unwrap()), addr)
}

/// Sends one request; the status and the body.
async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    host: Option<&str>,
    body: &str,
) -> (StatusCode, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    if method == "POST" {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(Body::from(body.to_string())).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, bytes)
}

async fn post(app: &Router, uri: &str, body: &str) -> (StatusCode, Value) {
    let (status, bytes) = send(app, "POST", uri, Some(HOST), body).await;
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// `dinarflow run MODEL --format json --set S ...`: standard output, or the error.
fn cli_run(sets: &[&str]) -> Result<Vec<u8>, String> {
    let mut args: Vec<OsString> = ["dinarflow", "run", MODEL, "--format", "json"]
        .map(OsString::from)
        .to_vec();
    for s in sets {
        args.push("--set".into());
        args.push(OsString::from(s));
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    dinarflow::cli::main_with(args, &mut out, &mut err)
        .map(|()| out)
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn run_answers_what_run_set_prints() {
    let app = app();
    let body = r#"{"set": {"auction.rejection_rate": "0.5", "exports.price_usd_per_bbl@2023-07": 65, "auction.requests_usd_per_day*": "1.1"}}"#;
    let (status, bytes) = send(&app, "POST", "/api/run", Some(HOST), body).await;
    assert_eq!(status, StatusCode::OK);
    let cli = cli_run(&[
        "auction.rejection_rate=0.5",
        "exports.price_usd_per_bbl@2023-07=65",
        "auction.requests_usd_per_day*=1.1",
    ])
    .unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), String::from_utf8(cli).unwrap());
    // No set: the base model, as `run` prints it.
    let (status, bytes) = send(&app, "POST", "/api/run", Some(HOST), r#"{"set": {}}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, cli_run(&[]).unwrap());
}

#[tokio::test]
async fn a_bad_path_or_value_is_400_with_the_command_lines_message() {
    let app = app();
    for (key, value) in [
        ("auction.rejection_rat", "0.5"),
        ("auction.rejection_rate", "1.5"),
        ("auction.rejection_rate", "lots"),
        ("auction.rejection_rate@2030-01", "0.5"),
        ("timeline.start", "2023-01"),
    ] {
        let body =
            serde_json::json!({ "set": { "exports.price_usd_per_bbl": "70", key: value } }).to_string();
        let (status, v) = post(&app, "/api/run", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}={value}");
        let cli = cli_run(&["exports.price_usd_per_bbl=70", &format!("{key}={value}")]).unwrap_err();
        assert_eq!(v["error"], cli, "{key}={value}");
        assert_eq!(v["keys"], serde_json::json!([key]), "{key}={value}: {cli}");
        // The view says the same.
        let (status, w) = post(&app, "/api/view", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(w, v);
    }
    // Not a string or a number, not the body's shape.
    let (status, v) = post(&app, "/api/run", r#"{"set": {"auction.rejection_rate": [1]}}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["keys"][0], "auction.rejection_rate");
    let (status, _) = post(&app, "/api/run", r#"{"sets": {}}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post(&app, "/api/run", "not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_overflow_is_422_and_the_server_goes_on() {
    let app = app();
    let body = r#"{"set": {"exports.volume_bpd": "10000000000000000000000000"}}"#;
    let (status, v) = post(&app, "/api/run", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let cli = cli_run(&["exports.volume_bpd=10000000000000000000000000"]).unwrap_err();
    assert_eq!(v["error"], cli);
    assert!(cli.contains("overflow"), "{cli}");
    let (status, _) = post(&app, "/api/view", body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(&app, "/api/run", "{}").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn only_the_bound_host_is_answered() {
    let app = app();
    for host in [
        Some("evil.example:8023"),
        Some("127.0.0.1:80"),
        Some("localhost"),
        None,
    ] {
        let (status, _) = send(&app, "GET", "/", host, "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host:?}");
        let (status, _) = send(&app, "POST", "/api/run", host, "{}").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host:?}");
    }
    for host in [HOST, "localhost:8023", "LOCALHOST:8023"] {
        let (status, page) = send(&app, "GET", "/", Some(host), "").await;
        assert_eq!(status, StatusCode::OK, "{host}");
        assert!(String::from_utf8(page).unwrap().starts_with("<!DOCTYPE html>"));
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = app();
    let big = format!(
        r#"{{"set": {{"auction.rejection_rate": "0.5"}}, "pad": "{}"}}"#,
        " ".repeat(BODY_LIMIT)
    );
    for uri in ["/api/run", "/api/view"] {
        let (status, v) = post(&app, uri, &big).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
        assert!(v["error"].as_str().unwrap().contains("64 KiB"), "{v}");
    }
}

#[tokio::test]
async fn the_view_has_figures_charts_and_what_moved() {
    let app = app();
    let (status, v) = post(&app, "/api/view", r#"{"set": {"auction.rejection_rate": 0.5}}"#).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let run: Value = serde_json::from_slice(&cli_run(&["auction.rejection_rate=0.5"]).unwrap()).unwrap();
    let parallel = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "Parallel rate, mean Nov 2022–Dec 2024")
        .unwrap();
    assert_eq!(parallel["value"], run["summary"]["parallel_rate"]);
    // ref.py: 1,690.2338 with the rate at 0.5 against 1,530.8957, a
    // difference of 159.3381: shown rounded for people, exact in the tooltip.
    assert_eq!(parallel["text"], "1,690 IQD per $", "{parallel}");
    assert_eq!(parallel["exact"], "1,690.2338 IQD/USD", "{parallel}");
    assert_eq!(parallel["base_text"], "1,531 IQD per $", "{parallel}");
    assert_eq!(parallel["change_text"], "+159 IQD per $", "{parallel}");
    assert_eq!(parallel["change_exact"], "+159.3381 IQD/USD", "{parallel}");
    let figure = |label: &str| crate::common::figure(&v, label);
    // The rejection rate moves no oil: gross revenue unchanged, in $ bn.
    let gross = figure("Gross oil revenue");
    assert_eq!(gross["text"], "$191.86 bn");
    assert_eq!(gross["exact"], "191,864,526,026.48 USD");
    assert_eq!(gross["change_text"], "$0");
    // A percentage's difference is in percentage points.
    assert!(
        figure("Exchange-rate effect on consumer prices, mean Nov 2022–Dec 2024")["change_text"]
            .as_str()
            .unwrap()
            .ends_with(" pp"),
        "{v}"
    );
    assert!(v["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("note: --set auction.rejection_rate=0.5"));
    assert!(!v["sentences"].as_array().unwrap().is_empty());
    // "How sure", as `brief --draws 1000` says it for the same what-if.
    let how_sure = |v: &serde_json::Value| -> String {
        v["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .find(|s| s.starts_with("Parallel rate in Dec 2024: between "))
            .unwrap_or_else(|| panic!("no How sure sentence in {v}"))
    };
    let cli = crate::common::ok(&["brief", "--draws", "1000", "--set", "auction.rejection_rate=0.5"]).stdout;
    assert!(
        cli.contains(&format!("- {}\n", how_sure(&v))),
        "{}\n{cli}",
        how_sure(&v)
    );
    let (_, base) = post(&app, "/api/view", "{}").await;
    assert_ne!(how_sure(&base), how_sure(&v));
    assert!(v["rates_svg"].as_str().unwrap().starts_with("<svg"));
    assert!(v["flow_svg"].as_str().unwrap().starts_with("<svg"));
    let moved = &v["attribution"];
    // The model's "Other banks" have no rate of their own: they move with
    // auction.rejection_rate, not as a factor of their own.
    assert_eq!(moved["factors"], serde_json::json!(["auction.rejection_rate"]));
    assert_eq!(moved["metrics"][0]["metric"], "parallel_rate");
    assert_eq!(moved["metrics"][0]["parts"][0], moved["metrics"][0]["change"]);
    // Nothing set: nothing moved.
    let (_, v) = post(&app, "/api/view", "{}").await;
    assert_eq!(v["attribution"]["factors"], serde_json::json!([]));
}

#[tokio::test]
async fn params_lists_every_parameter_by_section() {
    let app = app();
    let (status, bytes) = send(&app, "GET", "/api/params", Some(HOST), "").await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let model = dinarflow::model::load_file(Path::new(MODEL)).unwrap();
    let listed: Vec<String> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["params"].as_array().unwrap().iter())
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, model.base.paths());
    let auction = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["section"] == "auction")
        .unwrap();
    let rate = auction["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "auction.rejection_rate")
        .unwrap();
    assert_eq!(rate["unit"], "share");
    assert_eq!(rate["max"], "1");
    assert!(rate["source"].is_string() || rate["note"].is_string());
    assert!(!rate["steps"].as_array().unwrap().is_empty(), "{rate}");
    // "Other banks" has no rate of its own: its box says whose it faces,
    // not the auction's source, at the auction's first value (0.60).
    let other = auction["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "auction.banks[Other banks].rejection_rate")
        .unwrap();
    assert_eq!(other["value"], "0.60", "{other}");
    assert_eq!(other["source"], Value::Null, "{other}");
    assert_eq!(
        other["note"],
        "no rate of its own: it faces auction.rejection_rate, steps included"
    );
    assert_eq!(v["months"].as_array().unwrap().len(), model.timeline.months.len());
}

#[tokio::test]
async fn on_every_interface_any_ip_address_with_the_port_is_answered_but_no_name() {
    let model = dinarflow::model::load_file(Path::new(MODEL)).unwrap();
    let app = router(
        Arc::new(App::new(model).unwrap()),
        "0.0.0.0:8023".parse().unwrap(),
    );
    for host in ["192.168.1.5:8023", "[::1]:8023", "0.0.0.0:8023"] {
        let (status, _) = send(&app, "GET", "/api/params", Some(host), "").await;
        assert_eq!(status, StatusCode::OK, "{host}");
    }
    for host in ["evil.example:8023", "192.168.1.5:80", "localhost:8023"] {
        let (status, _) = send(&app, "GET", "/api/params", Some(host), "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host}");
    }
}

#[tokio::test]
async fn a_step_shows_its_own_source_before_its_changes_blocks() {
    let app = app();
    let (_, bytes) = send(&app, "GET", "/api/params", Some(HOST), "").await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let params: Vec<&Value> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["params"].as_array().unwrap().iter())
        .collect();
    let steps = |path: &str| {
        let p = params.iter().find(|p| p["path"] == path).unwrap();
        p["steps"].as_array().unwrap().clone()
    };
    let step = |steps: &[Value], month: &str| steps.iter().find(|s| s["month"] == month).unwrap().clone();
    // models/iraq-2023.toml: the 2022-12 [[changes]] block sets the oil
    // price (the block's source, SOMO via Rudaw) and the rejection rate,
    // which carries its own inline source and note (a fit).
    let rate = steps("auction.rejection_rate");
    let fitted = "dinarflow fit to models/observed/iraq-auction-2022-2024.csv";
    for month in ["2022-12", "2023-01", "2024-01"] {
        let s = step(&rate, month);
        assert!(s["source"].as_str().unwrap().starts_with(fitted), "{month}: {s}");
    }
    assert_eq!(step(&rate, "2022-12")["note"], "fitted; was 0.497152");
    assert_eq!(step(&rate, "2023-01")["note"], "fitted; was 0.649845");
    // A value without its own keeps the block's.
    let price = steps("exports.price_usd_per_bbl");
    assert_eq!(
        step(&price, "2022-12")["source"],
        "Oil Ministry / SOMO via Rudaw: December 2022 $73.6/bbl"
    );
    assert_eq!(
        step(&price, "2022-12")["note"],
        "the rejection rate of December 2022 is fitted to the CBI's December sales"
    );
}

/// `run MODEL --format json` with `args` (`--set`s, `--scenario FILE`),
/// parsed; panics with the error when refused.
fn cli_json(args: &[&str]) -> Value {
    let mut all: Vec<OsString> = ["dinarflow", "run", MODEL, "--format", "json"]
        .map(OsString::from)
        .to_vec();
    all.extend(args.iter().map(OsString::from));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    dinarflow::cli::main_with(all, &mut out, &mut err).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    serde_json::from_slice(&out).unwrap()
}

/// A `{"set": …}` body of `--set` specs, in order.
fn body_of(sets: &[&str]) -> String {
    let set: serde_json::Map<String, Value> = sets
        .iter()
        .map(|s| {
            let (k, v) = s.split_once('=').unwrap();
            (k.to_string(), Value::String(v.to_string()))
        })
        .collect();
    serde_json::json!({ "set": set }).to_string()
}

fn param<'a>(v: &'a Value, path: &str) -> &'a Value {
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["params"].as_array().unwrap().iter())
        .find(|p| p["path"] == path)
        .unwrap_or_else(|| panic!("no {path}"))
}

#[tokio::test]
async fn a_bank_that_follows_the_auction_is_scaled_not_replaced() {
    let app = app();
    let (_, bytes) = send(&app, "GET", "/api/params", Some(HOST), "").await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let other = param(&v, "auction.banks[Other banks].rejection_rate");
    // It names the rate it follows, so that the page scales that schedule.
    assert_eq!(other["follows"], "auction.rejection_rate", "{other}");
    assert_eq!(param(&v, "auction.rejection_rate")["follows"], Value::Null);
    // The page's nudge of its slider is a factor: 1.01 of the auction's
    // schedule. `run --set` says what that does: about $0.2 bn fewer
    // dollars sold, where its "base" 0.60 for the whole timeline (which
    // drops the schedule's later steps, 0.497 to 0.078) sold $48.02 bn fewer.
    let base = cli_json(&[]);
    let sold = |v: &Value| -> f64 { v["summary"]["sales_usd"].as_str().unwrap().parse().unwrap() };
    let nudged = cli_json(&["--set", "auction.banks[Other banks].rejection_rate*=1.01"]);
    let whole = cli_json(&["--set", "auction.banks[Other banks].rejection_rate=0.60"]);
    assert!(
        (sold(&nudged) - sold(&base)).abs() < 0.5e9,
        "{}",
        sold(&nudged) - sold(&base)
    );
    assert!(
        (sold(&whole) - sold(&base) + 48.02e9).abs() < 0.01e9,
        "{}",
        sold(&whole) - sold(&base)
    );
    let (status, view) = post(
        &app,
        "/api/view",
        &body_of(&["auction.banks[Other banks].rejection_rate*=1.01"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let shown = crate::common::figure(&view, "Dollars sold at the auction");
    assert_eq!(shown["value"], nudged["summary"]["sales_usd"]);
}

#[tokio::test]
async fn an_implausible_value_is_warned_about_as_the_command_line_warns() {
    let app = app();
    let (_, base) = post(&app, "/api/view", "{}").await;
    assert_eq!(base["warnings"], serde_json::json!([]));
    for (set, month) in [
        ("auction.official_rate_iqd_per_usd=1.31", Value::Null),
        (
            "auction.official_rate_iqd_per_usd@2023-03=1.31",
            Value::from("2023-03"),
        ),
    ] {
        let (status, v) = post(&app, "/api/view", &body_of(&[set])).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let w = &v["warnings"].as_array().unwrap()[..];
        assert_eq!(w.len(), 1, "{set}: {v}");
        assert_eq!(w[0]["path"], "auction.official_rate_iqd_per_usd");
        assert_eq!(w[0]["month"], month);
        // The command line's words, line for line.
        let cli = crate::common::dinarflow(&["run", MODEL, "--set", set]);
        assert_eq!(cli.code, 0, "{}", cli.stderr);
        let message = w[0]["message"].as_str().unwrap();
        assert!(message.contains("1.31 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD"));
        assert!(
            cli.stderr
                .contains(&format!("auction.official_rate_iqd_per_usd: {message}\n")),
            "{message}\n{}",
            cli.stderr
        );
        assert_eq!(
            w[0]["help"],
            "an exchange rate is dinars per dollar, e.g. 1310, not 1.31"
        );
        assert!(cli
            .stderr
            .contains(" = help: an exchange rate is dinars per dollar, e.g. 1310, not 1.31\n"));
    }
    // A thousands separator is named as one, here as on the command line.
    let set = "auction.official_rate_iqd_per_usd=1,465";
    let (status, v) = post(&app, "/api/view", &body_of(&[set])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], cli_run(&[set]).unwrap_err());
    assert!(v["error"]
        .as_str()
        .unwrap()
        .ends_with("\"1,465\" is not a number; write it without the thousands separator: 1465"));
}

/// The scenario `/api/scenario` writes for `sets`, saved in `dir`.
async fn scenario_file(app: &Router, dir: &Path, sets: &[&str]) -> (std::path::PathBuf, Value) {
    let mut body: Value = serde_json::from_str(&body_of(sets)).unwrap();
    body["date"] = "2025-01-02".into();
    let (status, w) = post(app, "/api/scenario", &body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{sets:?}: {w}");
    let path = dir.join(w["file"].as_str().unwrap());
    std::fs::write(&path, w["scenario"].as_str().unwrap()).unwrap();
    (path, w)
}

#[tokio::test]
async fn the_downloaded_scenario_and_its_command_give_the_pages_figures() {
    let app = app();
    let dir = tempfile::tempdir().unwrap();
    // The lists the page holds for the reviewer's cases (a value then a
    // factor; a value then a value from a month on; a value from a month
    // on then a later step) and a factor then a value from a month on.
    for sets in [
        &[
            "auction.official_rate_iqd_per_usd=1400",
            "auction.official_rate_iqd_per_usd*=1.1",
        ][..],
        &[
            "auction.rejection_rate=0.3",
            "auction.rejection_rate@2023-07..=0.5",
        ],
        &[
            "auction.rejection_rate@2023-03..=0.3",
            "auction.rejection_rate@2023-07=0.1",
        ],
        &[
            "auction.requests_usd_per_day*=1.2",
            "auction.requests_usd_per_day@2023-07..=150000000",
        ],
        &[
            "parallel_market.supply_elasticity=1.5",
            "exports.price_usd_per_bbl@2023-07=65",
        ],
        // The audit's order: a factor after a step of the same parameter
        // scales the step (0.1 × 1.1 from 2023-07), as the page shows it;
        // after a value from a month on (which dropped the model's
        // 2024-01 step) and after a value and a step, the same.
        &[
            "auction.rejection_rate@2023-07=0.1",
            "auction.rejection_rate*=1.1",
        ],
        &[
            "exports.price_usd_per_bbl@2023-07=70",
            "exports.price_usd_per_bbl*=0.9",
        ],
        &[
            "auction.rejection_rate@2023-07..=0.1",
            "auction.rejection_rate*=1.1",
        ],
        &[
            "auction.requests_usd_per_day=120000000",
            "auction.requests_usd_per_day@2023-07=150000000",
            "auction.requests_usd_per_day*=1.05",
        ],
        // And a step and a value from a month on after that factor.
        &[
            "auction.rejection_rate@2023-07=0.1",
            "auction.rejection_rate*=1.1",
            "auction.rejection_rate@2023-03=0.2",
            "auction.rejection_rate@2023-10..=0.3",
        ],
    ] {
        let (file, w) = scenario_file(&app, dir.path(), sets).await;
        let (_, view) = post(&app, "/api/view", &body_of(sets)).await;
        let page = crate::common::figure(&view, "Parallel rate, mean Nov 2022–Dec 2024")["value"].clone();
        let by_sets = cli_json(&sets.iter().flat_map(|s| ["--set", s]).collect::<Vec<_>>());
        assert_eq!(page, by_sets["summary"]["parallel_rate"], "{sets:?}");
        // `run --scenario` (as `brief --scenario` reads it) takes the file
        // and gives every figure the --set list gives.
        let by_file = cli_json(&["--scenario", file.to_str().unwrap()]);
        assert_eq!(
            by_file["summary"], by_sets["summary"],
            "{sets:?}\n{}",
            w["scenario"]
        );
        assert_eq!(by_file["months"], by_sets["months"], "{sets:?}");
        // Its "same as" command is the list, in order.
        let command = w["command"].as_str().unwrap();
        let quoted: Vec<String> = sets.iter().map(|s| format!("--set '{s}'")).collect();
        assert_eq!(command, format!("dinarflow run {MODEL} {}", quoted.join(" ")));
        assert!(w["scenario"]
            .as_str()
            .unwrap()
            .contains(&format!("# The same as: {command}\n")));
    }
    // 1400 × 1.1 = 1540.0 (the scale of the product, as the factor leaves
    // it): a value and a factor are one [set] entry.
    let (_, w) = scenario_file(
        &app,
        dir.path(),
        &[
            "auction.official_rate_iqd_per_usd=1400",
            "auction.official_rate_iqd_per_usd*=1.1",
        ],
    )
    .await;
    assert!(
        w["scenario"].as_str().unwrap().contains(
            "\"auction.official_rate_iqd_per_usd\" = { value = 1540.0, note = \"assumption: set on the what-if page (dinarflow serve) on 2025-01-02; 1400 × 1.1\" }"
        ),
        "{}",
        w["scenario"]
    );
    // The reviewer's other order: the step first, then the value from an
    // earlier month on, which undoes it: refused, as `run --set` refuses it,
    // naming both (the page never sends it: it drops the step).
    let sets = [
        "auction.rejection_rate@2023-07=0.1",
        "auction.rejection_rate@2023-03..=0.3",
    ];
    for uri in ["/api/run", "/api/view", "/api/scenario"] {
        let (status, v) = post(&app, uri, &body_of(&sets)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["error"], cli_run(&sets).unwrap_err());
        assert_eq!(
            v["keys"],
            serde_json::json!([
                "auction.rejection_rate@2023-07",
                "auction.rejection_rate@2023-03.."
            ])
        );
    }
    // A factor after a step: the step is written with the value the
    // factor leaves in force, 0.1 × 1.1 = 0.11.
    let (_, w) = scenario_file(
        &app,
        dir.path(),
        &[
            "auction.rejection_rate@2023-07=0.1",
            "auction.rejection_rate*=1.1",
        ],
    )
    .await;
    let text = w["scenario"].as_str().unwrap();
    assert!(
        text.contains("\"auction.rejection_rate*\" = { value = 1.1,"),
        "{text}"
    );
    assert!(
        text.contains("from = \"2023-07\"\nset = { \"auction.rejection_rate\" = 0.11 }"),
        "{text}"
    );
    let (status, _) = post(&app, "/api/run", r#"{"set": {}, "date": "2025-01-02"}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_peak_shows_each_sides_own_month() {
    let app = app();
    let (_, v) = post(&app, "/api/view", &body_of(&["auction.rejection_rate=0.5"])).await;
    let peak = crate::common::figure(&v, "Premium over the official rate in force, peak");
    // The month of the largest monthly premium in each `run`.
    let top = |run: &Value| -> String {
        run["months"]
            .as_array()
            .unwrap()
            .iter()
            .max_by(|a, b| {
                let x: f64 = a["metrics"]["premium_pct"].as_str().unwrap().parse().unwrap();
                let y: f64 = b["metrics"]["premium_pct"].as_str().unwrap().parse().unwrap();
                x.total_cmp(&y)
            })
            .unwrap()["month"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(top(&cli_json(&[])), "2023-02");
    assert_eq!(
        top(&cli_json(&["--set", "auction.rejection_rate=0.5"])),
        "2024-12"
    );
    assert_eq!(peak["when"], "Dec 2024", "{peak}");
    assert_eq!(peak["base_when"], "Feb 2023", "{peak}");
}

#[tokio::test]
async fn a_step_or_a_factor_is_offered_only_where_it_is_taken_and_does_something() {
    let app = app();
    let (_, bytes) = send(&app, "GET", "/api/params", Some(HOST), "").await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let offers = |path: &str| {
        (
            param(&v, path)["can_step"].clone(),
            param(&v, path)["can_scale"].clone(),
        )
    };
    // Opening stocks are read in the first month only: a step does nothing.
    for path in [
        "custody.opening_balance_usd",
        "airlift.vault_opening_usd",
        "parallel_market.opening_parallel_rate_iqd_per_usd",
    ] {
        assert_eq!(offers(path), (false.into(), true.into()), "{path}");
    }
    // The command line refuses such a step (it would change nothing).
    let e = cli_run(&["custody.opening_balance_usd@2023-03=5000000000"]).unwrap_err();
    assert!(e.contains("would change nothing"), "{e}");
    // Drawn in [uncertainty] as a whole value: the command line refuses a
    // step and a factor.
    for path in ["parallel_market.anchor_weight", "parallel_market.persistence"] {
        assert_eq!(offers(path), (false.into(), false.into()), "{path}");
        for set in [format!("{path}@2023-03=0.5"), format!("{path}*=1.1")] {
            let e = cli_run(&[&set]).unwrap_err();
            assert!(e.contains("is drawn in [uncertainty]"), "{e}");
        }
    }
    assert_eq!(offers("auction.rejection_rate"), (true.into(), true.into()));
    // A wrong method answers 405 with a JSON error, as every refusal does.
    let (status, bytes) = send(&app, "GET", "/api/run", Some(HOST), "").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let e: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .starts_with("error: GET /api/run is not answered"),
        "{e}"
    );
}

#[tokio::test]
async fn what_moved_is_labelled_and_rounded_for_people() {
    let app = app();
    let (_, v) = post(&app, "/api/view", &body_of(&["auction.rejection_rate=0.5"])).await;
    let m = &v["attribution"]["metrics"][0];
    assert_eq!(m["label"], "Parallel rate, IQD per $, mean Nov 2022–Dec 2024");
    // ref.py: 1,690.2338 against 1,530.8957, +159.3381.
    assert_eq!(m["change"], "+159.3381");
    assert_eq!(m["change_text"], "+159 IQD per $");
    assert_eq!(m["parts_text"][0], "+159 IQD per $");
    assert_eq!(m["base_text"], "1,531 IQD per $");
    assert_eq!(m["value_text"], "1,690 IQD per $");
}

/// A brief lists arrears only when there are some: a what-if that brings
/// them shows the base's $0 and the change, and one that clears the
/// base's shows a row at $0 rather than dropping it.
#[tokio::test]
async fn arrears_that_appear_or_vanish_show_their_change() {
    let app = app();
    // `run --set exports.price_usd_per_bbl=0`: total arrears_usd
    // 58,946,441,278.75, none at base.
    let (_, v) = post(&app, "/api/view", r#"{"set": {"exports.price_usd_per_bbl": 0}}"#).await;
    let arrears = crate::common::figure(&v, "Arrears (unpaid payments and airlift costs)");
    assert_eq!(arrears["text"], "$58.95 bn", "{arrears}");
    assert_eq!(arrears["base_text"], "$0", "{arrears}");
    assert_eq!(arrears["change_text"], "+$58.95 bn", "{arrears}");
    // A base with arrears: government imports of $25 bn a month
    // (`run --set 'custody.payments[Government imports].usd_per_month=25000000000'`:
    // total arrears_usd 418,785,078,773.52); the what-if puts them back.
    let text = std::fs::read_to_string(MODEL).unwrap().replacen(
        "usd_per_month = { value = 2_500_000_000,",
        "usd_per_month = { value = 25_000_000_000,",
        1,
    );
    let model = dinarflow::model::load_str("heavy.toml", &text).unwrap();
    let app = router(Arc::new(App::new(model).unwrap()), HOST.parse().unwrap());
    let (_, v) = post(
        &app,
        "/api/view",
        r#"{"set": {"custody.payments[Government imports].usd_per_month": 2500000000}}"#,
    )
    .await;
    let arrears = crate::common::figure(&v, "Arrears (unpaid payments and airlift costs)");
    assert_eq!(arrears["text"], "$0", "{arrears}");
    assert_eq!(arrears["base_text"], "$418.79 bn", "{arrears}");
    assert_eq!(arrears["change_text"], "\u{2212}$418.79 bn", "{arrears}");
    // In the base's place: after unmet dollar demand, as in its brief.
    let labels: Vec<&str> = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["label"].as_str().unwrap())
        .collect();
    let at = labels.iter().position(|l| l.starts_with("Arrears")).unwrap();
    assert_eq!(labels[at - 1], "Unmet dollar demand", "{labels:?}");
}

/// On the built-in model (`serve` without a file) the downloaded
/// scenario's commands name no model file, so that they run as pasted;
/// and a model without a market heads `run`'s chart as money, not rates.
#[tokio::test]
async fn the_built_in_models_scenario_commands_run_as_pasted() {
    let app = router(
        Arc::new(App::new(dinarflow::model::load_default().unwrap()).unwrap()),
        HOST.parse().unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let (file, w) = scenario_file(&app, dir.path(), &["auction.rejection_rate=0.5"]).await;
    let command = w["command"].as_str().unwrap();
    assert_eq!(command, "dinarflow run --set 'auction.rejection_rate=0.5'");
    let text = w["scenario"].as_str().unwrap();
    assert!(text.contains("#   dinarflow brief --scenario what-if"), "{text}");
    // As pasted: the same figures either way.
    let by_file = crate::common::ok(&["run", "--scenario", file.to_str().unwrap(), "--format", "csv"]);
    let by_set = crate::common::ok(&["run", "--set", "auction.rejection_rate=0.5", "--format", "csv"]);
    assert_eq!(by_file.stdout, by_set.stdout);
    let (_, v) = post(&app, "/api/view", "{}").await;
    assert_eq!(v["rates_title"], "Exchange rates");
    let flows = dinarflow::model::load_file(Path::new("models/oil-for-food-1991.toml")).unwrap();
    let app = router(Arc::new(App::new(flows).unwrap()), HOST.parse().unwrap());
    let (_, v) = post(&app, "/api/view", "{}").await;
    assert_eq!(v["rates_title"], "Money by month");
}

#[tokio::test]
async fn a_body_that_is_not_an_object_or_has_a_key_twice_is_400() {
    let app = app();
    // `[]` would otherwise read as an empty what-if (serde reads a struct
    // from an array), the base's figures under a request that set nothing.
    for body in ["[]", " [ ] ", "[{}]", "\"set\"", "3"] {
        for uri in ["/api/run", "/api/view", "/api/scenario"] {
            let (status, v) = post(&app, uri, body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri} {body}: {v}");
            assert!(
                v["error"].as_str().unwrap().contains("must be a JSON object"),
                "{v}"
            );
        }
    }
    // A key twice: JSON would keep the last value without a word.
    let body = r#"{"set": {"auction.rejection_rate": "0.5", "auction.rejection_rate": "0.3"}}"#;
    for uri in ["/api/run", "/api/view", "/api/scenario"] {
        let (status, v) = post(&app, uri, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        let error = v["error"].as_str().unwrap();
        assert!(
            error.contains("\"set\" has the key \"auction.rejection_rate\" twice"),
            "{error}"
        );
    }
    // One key each, the same path in two forms: taken, as two --set.
    let body = r#"{"set": {"auction.rejection_rate": "0.5", "auction.rejection_rate@2023-07": "0.3"}}"#;
    let (status, bytes) = send(&app, "POST", "/api/run", Some(HOST), body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        bytes,
        cli_run(&["auction.rejection_rate=0.5", "auction.rejection_rate@2023-07=0.3"]).unwrap()
    );
    // An empty body is still the base model.
    let (status, bytes) = send(&app, "POST", "/api/run", Some(HOST), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, cli_run(&[]).unwrap());
}

#[tokio::test]
async fn a_share_names_its_list_and_the_view_has_the_schedules_in_force() {
    let app = app();
    let (_, bytes) = send(&app, "GET", "/api/params", Some(HOST), "").await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    // The lists whose entries sum to exactly 1 (models/iraq-2023.toml):
    // the buyers' shares, the banks' shares, the basket weights.
    assert_eq!(
        param(&v, "exports.buyers[India].share")["sums_to_one"],
        serde_json::json!({ "group": "exports.buyers[*].share", "what": "the buyers' shares" })
    );
    assert_eq!(
        param(&v, "prices.basket[Food].weight")["sums_to_one"]["group"],
        "prices.basket[*].weight"
    );
    assert_eq!(
        param(&v, "auction.banks[Barred banks].share")["sums_to_one"]["group"],
        "auction.banks[*].share"
    );
    for path in [
        "prices.basket[Food].pass_through",
        "deductions[Kuwait compensation].rate",
        "auction.rejection_rate",
    ] {
        assert_eq!(param(&v, path)["sums_to_one"], Value::Null, "{path}");
    }
    // The oil price's schedule (models/iraq-2023.toml: 80.80, then 73.6
    // from 2022-12, 71.10 from 2023-01, 71.81 from 2024-01) scaled by 1.1
    // by hand: 88.88, 80.96, 78.21, 78.991; a parameter not set is not listed.
    let price = param(&v, "exports.price_usd_per_bbl");
    let months: Vec<&str> = price["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2022-12", "2023-01", "2024-01"]);
    let (status, view) = post(&app, "/api/view", &body_of(&["exports.price_usd_per_bbl*=1.1"])).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(
        view["schedules"],
        serde_json::json!({ "exports.price_usd_per_bbl": {
            "value": "88.88",
            "steps": [
                { "month": "2022-12", "value": "80.96" },
                { "month": "2023-01", "value": "78.21" },
                { "month": "2024-01", "value": "78.991" },
            ],
        } })
    );
    // The rate set for the whole timeline: its steps are gone.
    let (_, view) = post(&app, "/api/view", &body_of(&["auction.rejection_rate=0.3"])).await;
    assert_eq!(
        view["schedules"]["auction.rejection_rate"],
        serde_json::json!({ "value": "0.3", "steps": [] })
    );
}

/// `run MODEL --horizon H --format json` with `args`, parsed.
fn cli_json_to(horizon: &str, args: &[&str]) -> Value {
    let mut all = vec!["--horizon", horizon];
    all.extend(args);
    cli_json(&all)
}

#[tokio::test]
async fn a_horizon_runs_the_model_on_as_horizon_does() {
    let app = app();
    let sets = ["auction.rejection_rate@2023-07..=0.4"];
    let mut body: Value = serde_json::from_str(&body_of(&sets)).unwrap();
    body["horizon"] = "2025-06".into();
    // /api/run: what `run --horizon 2025-06 --format json --set …` prints, byte for byte.
    let (status, bytes) = send(&app, "POST", "/api/run", Some(HOST), &body.to_string()).await;
    assert_eq!(status, StatusCode::OK);
    let mut args: Vec<OsString> = [
        "dinarflow",
        "run",
        MODEL,
        "--horizon",
        "2025-06",
        "--format",
        "json",
        "--set",
        sets[0],
    ]
    .map(OsString::from)
    .to_vec();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    dinarflow::cli::main_with(std::mem::take(&mut args), &mut out, &mut err).unwrap();
    assert_eq!(bytes, out);
    // /api/view: the figures of the 32 months beside the base run on to
    // the same month, and the months run.
    let (status, v) = post(&app, "/api/view", &body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let parallel = crate::common::figure(&v, "Parallel rate, mean Nov 2022–Jun 2025");
    assert_eq!(
        parallel["value"],
        cli_json_to("2025-06", &["--set", sets[0]])["summary"]["parallel_rate"]
    );
    assert_eq!(
        parallel["base"],
        cli_json_to("2025-06", &[])["summary"]["parallel_rate"]
    );
    assert_eq!(v["months"].as_array().unwrap().len(), 32);
    assert_eq!(v["months"][31], "2025-06");
    assert_eq!(v["horizon"]["month"], "2025-06");
    assert!(
        v["notes"][0].as_str().unwrap().starts_with(&format!(
            "note: --horizon 2025-06 runs {MODEL} 6 months past its last month, 2024-12"
        )),
        "{}",
        v["notes"]
    );
    // A step in a month of the horizon is taken with it, refused without.
    let step = r#"{"set": {"auction.rejection_rate@2025-03": "0.2"}, "horizon": "2025-06"}"#;
    assert_eq!(post(&app, "/api/view", step).await.0, StatusCode::OK);
    let (status, e) = post(
        &app,
        "/api/view",
        r#"{"set": {"auction.rejection_rate@2025-03": "0.2"}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("--horizon 2025-03"), "{e}");
    // /api/scenario: the file runs with --horizon as the --sets do, and
    // its command names the horizon.
    let dir = tempfile::tempdir().unwrap();
    let (status, w) = post(&app, "/api/scenario", &body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(
        w["command"],
        format!("dinarflow run {MODEL} --horizon 2025-06 --set '{}'", sets[0])
    );
    let file = dir.path().join("what-if.toml");
    std::fs::write(&file, w["scenario"].as_str().unwrap()).unwrap();
    let by_file = cli_json_to("2025-06", &["--scenario", file.to_str().unwrap()]);
    assert_eq!(
        by_file["months"],
        cli_json_to("2025-06", &["--set", sets[0]])["months"]
    );
}

#[tokio::test]
async fn a_bad_horizon_is_400_with_the_command_lines_message() {
    let app = app();
    for h in ["2024-06", "2024-1", "June 2025", "", "9999-99", "2080-01"] {
        let mut args: Vec<OsString> = ["dinarflow", "run", MODEL, "--horizon", h]
            .map(OsString::from)
            .to_vec();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let cli = dinarflow::cli::main_with(std::mem::take(&mut args), &mut out, &mut err).unwrap_err();
        let body = serde_json::json!({ "set": {}, "horizon": h }).to_string();
        for uri in ["/api/run", "/api/view", "/api/scenario"] {
            let (status, v) = post(&app, uri, &body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{h} {uri}");
            assert_eq!(v["error"], cli.to_string(), "{h} {uri}");
            assert_eq!(v["keys"], serde_json::json!(["horizon"]));
        }
    }
    let (status, v) = post(&app, "/api/view", r#"{"horizon": "2024-06"}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("ends in 2024-12, and a horizon runs a model past its end"),
        "{v}"
    );
    // Not a string: 400, and the server goes on.
    let (status, v) = post(&app, "/api/view", r#"{"horizon": 202506}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        post(&app, "/api/view", r#"{"horizon": null}"#).await.0,
        StatusCode::OK
    );
}

/// `serve --horizon 2025-06`: the page opens at 2025-06 (`/api/params`
/// says so), but the model served is the model as loaded, so that a
/// nearer horizon, or none, still runs.
#[tokio::test]
async fn a_page_opening_at_a_horizon_can_run_the_model_shorter() {
    let model = dinarflow::model::load_file(Path::new(MODEL)).unwrap();
    let june: dinarflow::calendar::YearMonth = "2025-06".parse().unwrap();
    let app = router(
        Arc::new(App::opening_at(model.clone(), Some(june)).unwrap()),
        HOST.parse().unwrap(),
    );
    let (status, bytes) = send(&app, "GET", "/api/params", Some(HOST), "").await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["opening_horizon"], "2025-06");
    assert_eq!(v["model"]["horizon"], Value::Null);
    // Nov 2022 to Dec 2024: the model's own months.
    assert_eq!(v["months"].as_array().unwrap().len(), 26);
    for (h, months) in [(Some("2025-03"), 29), (Some("2025-06"), 32), (None, 26)] {
        let body = serde_json::json!({ "set": {}, "horizon": h }).to_string();
        let (status, v) = post(&app, "/api/run", &body).await;
        assert_eq!(status, StatusCode::OK, "{h:?}: {v}");
        assert_eq!(v["months"].as_array().unwrap().len(), months, "{h:?}");
    }
    // The page of a model served as it is opens with none.
    let (_, bytes) = send(&self::app(), "GET", "/api/params", Some(HOST), "").await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["opening_horizon"], Value::Null);
    // A month short of the model's end is refused as --horizon refuses it.
    let may = "2024-05".parse().unwrap();
    let e = App::opening_at(model, Some(may)).unwrap_err().to_string();
    assert!(
        e.starts_with("error: --horizon 2024-05: ") && e.contains("ends in 2024-12"),
        "{e}"
    );
}

#[tokio::test]
async fn a_negative_difference_reads_with_a_true_minus_and_sentences_round_as_the_table() {
    let app = app();
    // `run --set auction.rejection_rate=0` (ref.py): the parallel rate
    // averages 1,421.3451 against the base's 1,530.8957, -109.5506; the
    // premium 7.1784%, three significant figures 7.18%.
    let (_, v) = post(&app, "/api/view", &body_of(&["auction.rejection_rate=0"])).await;
    let by_sets = cli_json(&["--set", "auction.rejection_rate=0"]);
    assert_eq!(by_sets["summary"]["parallel_rate"], "1421.3451");
    assert_eq!(by_sets["summary"]["premium_pct"], "7.1784");
    let parallel = crate::common::figure(&v, "Parallel rate, mean Nov 2022–Dec 2024");
    assert_eq!(parallel["change_text"], "\u{2212}110 IQD per $");
    assert_eq!(parallel["change_exact"], "-109.5506 IQD/USD");
    let m = &v["attribution"]["metrics"][0];
    assert_eq!(m["change_text"], "\u{2212}110 IQD per $");
    assert_eq!(m["change"], "-109.5506");
    // The base's exchange-rate effect on prices, -1.8418%.
    let cpi = crate::common::figure(
        &v,
        "Exchange-rate effect on consumer prices, mean Nov 2022–Dec 2024",
    );
    assert_eq!(cpi["base_text"], "\u{2212}1.84%");
    let premium = crate::common::figure(
        &v,
        "Premium over the official rate in force, mean Nov 2022–Dec 2024",
    );
    assert_eq!(premium["text"], "7.18%");
    let sentences = v["sentences"].to_string();
    assert!(
        sentences.contains("month by month it stood 7.18% above"),
        "{sentences}"
    );
    // No ASCII minus before a number in what the page reads (an option
    // of a command it quotes, `-n 1000`, keeps its hyphen).
    for open in [" -", "(-"] {
        for (i, _) in sentences.match_indices(open) {
            let next = sentences[i + 2..].chars().next().unwrap_or(' ');
            assert!(!next.is_ascii_digit() && next != '$', "{}", &sentences[i..]);
        }
    }
    assert!(sentences.contains(" -n 1000"), "{sentences}");
}
