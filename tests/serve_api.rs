//! `dinarflow serve`'s API against the router in process (no socket):
//! `POST /api/run` answers exactly what `run --format json --set` prints,
//! a bad path or value 400 with the command line's message and the key it
//! is about, an overflow 422 (and the next request still answers), a
//! foreign Host 403, a body over the limit 413; `/api/view` and
//! `/api/params` carry what the page draws.

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
    // ref.py: 1,686.0223 with the rate at 0.5 against 1,532.4620, a
    // difference of 153.5603: shown rounded for people, exact in the tooltip.
    assert_eq!(parallel["text"], "1,686 IQD per $", "{parallel}");
    assert_eq!(parallel["exact"], "1,686.0223 IQD/USD", "{parallel}");
    assert_eq!(parallel["base_text"], "1,532 IQD per $", "{parallel}");
    assert_eq!(parallel["change_text"], "+154 IQD per $", "{parallel}");
    assert_eq!(parallel["change_exact"], "+153.5603 IQD/USD", "{parallel}");
    let figure = |label: &str| crate::common::figure(&v, label);
    // The rejection rate moves no oil: gross revenue unchanged, in $ bn.
    let gross = figure("Gross oil revenue");
    assert_eq!(gross["text"], "$191.86 bn");
    assert_eq!(gross["exact"], "191,864,526,026.48 USD");
    assert_eq!(gross["change_text"], "$0");
    // A percentage's difference is in percentage points.
    assert!(
        figure("CPI impact, mean Nov 2022–Dec 2024")["change_text"]
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
    assert_eq!(step(&rate, "2022-12")["note"], "fitted; was 0.497151");
    assert_eq!(step(&rate, "2023-01")["note"], "fitted; was 0.649923");
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
