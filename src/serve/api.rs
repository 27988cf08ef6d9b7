//! The API the what-if page calls, every answer JSON:
//!
//! * `POST /api/run` with `{"set": {"PATH": "VALUE", ...}}` (keys as
//!   `--set` takes them: `PATH`, `PATH@YYYY-MM`, `PATH@YYYY-MM..`, `PATH*`; values strings or
//!   numbers) answers exactly what `run --format json --set PATH=VALUE ...`
//!   prints, byte for byte.
//! * `POST /api/view` with the same body answers what the page draws:
//!   the `--set` notes, the brief's headline figures (each with its base
//!   value and the difference) and sentences (with "How sure" from 1,000
//!   Monte Carlo draws, seed 1), the rates chart and the flow
//!   diagram as SVG, and "what moved", the `diff` attribution of the
//!   parallel rate and CPI impact (or the flow-only model's net revenue)
//!   against the base.
//! * `GET /api/params`: every numeric parameter, grouped by section, with
//!   unit, allowed and plausible ranges, base value, source and note, and
//!   its timeline steps; the model's name, file and `--horizon` (or null).
//!
//! A bad path or value answers 400 `{"error": MESSAGE, "keys": [KEY]}`,
//! MESSAGE being what the command line prints for that `--set` and KEY the
//! key it is about; a run that fails (overflow) answers 422; a body over
//! the limit 413; anything unforeseen 500. Each run is on a blocking
//! thread, so the server outlives any of them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::App;
use crate::engine::metrics::default_metrics;
use crate::engine::{self, Run};
use crate::error::Error;
use crate::model::{Model, Part};
use crate::num::decimal::clean;
use crate::render::chart::month_name;
use crate::render::{
    change_for_people, display, exact_with_unit, for_people, places, Format, Json as _, Report,
};
use crate::report::brief::{Brief, Figure};
use crate::report::how_sure::HowSure;
use crate::report::run::RunReport;
use crate::report::trace::Trace;
use crate::sensitivity::diff::{compare, Method};
use crate::sensitivity::{parse_metric, Silent};

/// Monte Carlo draws of the page's "How sure" sentences (seed 1).
const VIEW_DRAWS: u64 = 1000;

/// What the base model's answers are compared against, computed once.
#[derive(Debug)]
pub(super) struct Base {
    figures: Vec<Figure>,
    params: Vec<u8>,
}

impl Base {
    pub(super) fn of(model: &Model) -> Result<Self, Error> {
        let run = engine::run(model)?;
        let brief = Brief::new(model, &run).map_err(|e| overflow(model, e))?;
        let params = serde_json::to_vec(&params_of(model)).map_err(|e| Error::Usage(e.to_string()))?;
        Ok(Base {
            figures: brief.figures,
            params,
        })
    }
}

/// An overflow while building a report, as the engine reports one: in
/// the model's last month.
fn overflow(model: &Model, e: crate::num::decimal::Overflow) -> Error {
    Error::Engine(crate::engine::EngineError::Overflow {
        month: model.timeline.end(),
        source: e,
    })
}

/// An error answer: `{"error": message, "keys": [...]}`.
pub(super) fn error(status: StatusCode, message: String, keys: Vec<String>) -> Response {
    (status, axum::Json(json!({ "error": message, "keys": keys }))).into_response()
}

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    #[serde(default)]
    set: Map<String, Value>,
}

/// The request body's `set` values as written: a number's exact decimal
/// text (`0.30000000000000000001`, `1e-400`), not the `f64` that
/// serde_json would round it to.
#[derive(Debug, Deserialize)]
struct RawBody<'a> {
    #[serde(default, borrow)]
    set: std::collections::HashMap<String, &'a serde_json::value::RawValue>,
}

/// Each `set` entry as a `--set` argument, with the key it came from.
type Specs = Vec<(String, String)>;

/// A refused request: its status, message and the keys it is about.
struct Refusal(StatusCode, String, Vec<String>);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error(self.0, self.1, self.2)
    }
}

fn specs(body: Result<Bytes, BytesRejection>) -> Result<Specs, Refusal> {
    let bytes = body.map_err(|r| {
        let message = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            format!("error: the request body is over {} KiB", super::BODY_LIMIT / 1024)
        } else {
            format!("error: {}", r.body_text())
        };
        Refusal(r.status(), message, Vec::new())
    })?;
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    let body: Body = if blank {
        Body { set: Map::new() }
    } else {
        serde_json::from_slice(&bytes).map_err(|e| {
            Refusal(
                StatusCode::BAD_REQUEST,
                format!("error: the body must be {{\"set\": {{\"PATH\": \"VALUE\", ...}}}}: {e}"),
                Vec::new(),
            )
        })?
    };
    let raw: Option<RawBody<'_>> = (!blank).then(|| serde_json::from_slice(&bytes).ok()).flatten();
    body.set
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(s) => s,
                Value::Number(n) => raw
                    .as_ref()
                    .and_then(|r| r.set.get(&key))
                    .map_or_else(|| n.to_string(), |t| t.get().trim().to_string()),
                _ => {
                    return Err(Refusal(
                        StatusCode::BAD_REQUEST,
                        format!("error: --set {key}: the value must be a string or a number"),
                        vec![key],
                    ))
                }
            };
            let spec = format!("{key}={text}");
            Ok((key, spec))
        })
        .collect()
}

/// A failure as an answer: its status, the message the command line
/// prints, and the keys it names.
fn failure(e: &Error, specs: &Specs) -> Response {
    let message = e.to_string();
    let status = match e {
        Error::Engine(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Usage(_) | Error::Invalid(_) | Error::Cli(_) | Error::Strict(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let keys = specs
        .iter()
        .filter(|(_, spec)| {
            let at = format!("--set {spec}");
            message
                .match_indices(&at)
                .any(|(i, _)| matches!(message[i + at.len()..].chars().next(), Some(':' | ' ')))
        })
        .map(|(k, _)| k.clone())
        .collect();
    error(status, message, keys)
}

/// The base model with `specs` applied, and what each `--set` did.
fn apply(model: &Model, specs: &Specs) -> Result<(Model, Vec<String>), Error> {
    let mut m = model.clone();
    let texts: Vec<&str> = specs.iter().map(|s| s.1.as_str()).collect();
    let notes = m.apply_sets(&texts)?;
    Ok((m, notes.iter().map(ToString::to_string).collect()))
}

/// Runs `work` on a blocking thread; a panic answers 500.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("error: the run failed unexpectedly ({e}); the server is still running"),
            Vec::new(),
        )
    })
}

fn json_bytes(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// `POST /api/run`.
pub(super) async fn run(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let specs = match specs(body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    blocking(move || match run_json(&app.model, &specs) {
        Ok(bytes) => json_bytes(bytes),
        Err(e) => failure(&e, &specs),
    })
    .await
}

/// What `run --format json --set ...` prints for `specs`.
fn run_json(model: &Model, specs: &[(String, String)]) -> Result<Vec<u8>, Error> {
    let (model, _) = apply(model, &specs.to_vec())?;
    let result = engine::run(&model)?;
    let report = RunReport::new(&model, &result).map_err(|e| overflow(&model, e))?;
    let mut out = Vec::new();
    report
        .write_json(&mut out)
        .map_err(|e| Error::Usage(e.to_string()))?;
    Ok(out)
}

/// `POST /api/view`.
pub(super) async fn view(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let specs = match specs(body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    blocking(move || match view_of(&app, &specs) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => failure(&e, &specs),
    })
    .await
}

/// `GET /api/params`.
pub(super) async fn params(State(app): State<Arc<App>>) -> Response {
    json_bytes(app.base.params.clone())
}

/// A figure of the brief beside its base value: exact (`value`, `base`),
/// and as the page shows it, rounded for people (`text`: `1,532 IQD per
/// $`; `change_text`: `+154 IQD per $`, a percentage's in percentage
/// points) with the exact value for a tooltip (`exact`: `1,532.4620
/// IQD/USD`).
#[derive(Debug, Serialize)]
struct FigureView<'a> {
    label: &'a str,
    unit: &'static str,
    value: Decimal,
    text: String,
    exact: String,
    /// The month of a peak for people, `Jan 2023`; empty for a total or a mean.
    when: String,
    base: Option<Decimal>,
    base_text: Option<String>,
    base_exact: Option<String>,
    change_text: Option<String>,
    change_exact: Option<String>,
}

impl<'a> FigureView<'a> {
    fn of(f: &'a Figure, base: Option<&Figure>) -> Self {
        let change = base.map(|b| clean(f.value - b.value));
        let exact_change = |d: Decimal| {
            let unit = if f.unit == "%" { " pp" } else { "" };
            let t = exact_with_unit(d, if f.unit == "%" { "" } else { f.unit });
            if d > Decimal::ZERO {
                format!("+{t}{unit}")
            } else {
                format!("{t}{unit}")
            }
        };
        FigureView {
            label: f.label.trim(),
            unit: f.unit,
            value: f.value,
            text: for_people(f.value, f.unit),
            exact: exact_with_unit(f.value, f.unit),
            when: f.month.as_deref().map(month_name).unwrap_or_default(),
            base: base.map(|b| b.value),
            base_text: base.map(|b| for_people(b.value, f.unit)),
            base_exact: base.map(|b| exact_with_unit(b.value, f.unit)),
            change_text: change.map(|d| change_for_people(d, f.unit)),
            change_exact: change.map(exact_change),
        }
    }
}

fn signed(d: Decimal, dp: u32) -> String {
    let t = display(d, dp);
    if d > Decimal::ZERO {
        format!("+{t}")
    } else {
        t
    }
}

fn svg(report: &dyn Report) -> Result<String, Error> {
    let mut out = Vec::new();
    crate::render::write(report, Format::Svg, &mut out).map_err(|e| Error::Usage(e.to_string()))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn view_of(app: &App, specs: &Specs) -> Result<Value, Error> {
    let (model, notes) = apply(&app.model, specs)?;
    let run: Run = engine::run_with_postings(&model)?;
    let over = |e| overflow(&model, e);
    let brief = Brief::new(&model, &run).map_err(over)?;
    let figures: Vec<FigureView> = brief
        .figures
        .iter()
        .map(|f| FigureView::of(f, app.base.figures.iter().find(|b| b.label == f.label)))
        .collect();
    let rates = RunReport::new(&model, &run).map_err(over)?;
    let trace = Trace::new(&model, &run, None, false).map_err(over)?;
    // "How sure" as `brief` says it, from fewer draws so that the page
    // keeps up with a slider; a what-if that leaves nothing to draw (or
    // cannot be drawn) just has no such sentence.
    let mut sentences = brief.sentences;
    if let Ok(Some(h)) = HowSure::of(&model, VIEW_DRAWS, 1) {
        sentences.extend(h.sentences());
    }
    Ok(json!({
        "notes": notes,
        "figures": figures,
        "sentences": sentences,
        "rates_svg": svg(&rates)?,
        "flow_svg": svg(&trace)?,
        "attribution": attribution(&app.model, &model)?,
    }))
}

/// "What moved": the change of the headline metrics from the base,
/// split among the parameters that differ.
fn attribution(base: &Model, now: &Model) -> Result<Value, Error> {
    let names: Vec<String> = if base.base.has(Part::Market) {
        vec!["parallel_rate".into(), "cpi_impact_pct".into()]
    } else {
        vec![default_metrics(&base.base)[0].into()]
    };
    let units: Vec<&str> = names
        .iter()
        .map(|n| parse_metric(base, n).map(|m| m.id.unit()))
        .collect::<Result<_, _>>()?;
    let c = compare(base, now, &names, &Silent)?;
    let a = match c.attribution {
        Ok(a) => a,
        Err(why) => return Ok(json!({ "error": why })),
    };
    let metrics: Vec<Value> = c
        .summary
        .iter()
        .zip(&a.metrics)
        .zip(&units)
        .map(|((s, p), unit)| {
            let dp = places(unit);
            json!({
                "metric": s.metric,
                "unit": unit,
                "base": display(s.a, dp),
                "value": display(s.b, dp),
                "change": signed(p.change, dp),
                "parts": p.parts.iter().map(|x| signed(*x, dp)).collect::<Vec<_>>(),
                "interactions": p.interactions.map(|x| signed(x, dp)),
            })
        })
        .collect();
    let differences: Vec<Value> = c
        .differences
        .iter()
        .map(|d| json!({ "path": d.path, "base": d.a.join(", "), "now": d.b.join(", ") }))
        .collect();
    Ok(json!({
        "method": match a.method { Method::Shapley => "Shapley values", Method::OneAtATime => "one at a time" },
        "factors": a.factors,
        "differences": differences,
        "metrics": metrics,
    }))
}

/// One parameter as the page lists it.
#[derive(Debug, Serialize)]
struct ParamView {
    path: String,
    unit: &'static str,
    allowed: &'static str,
    min: Option<Decimal>,
    min_included: bool,
    max: Option<Decimal>,
    plausible: Value,
    places: Option<u32>,
    value: Decimal,
    source: Option<String>,
    note: Option<String>,
    steps: Vec<Value>,
}

/// Every numeric parameter of `model`, grouped by section in model order.
fn params_of(model: &Model) -> Value {
    let base = &model.base;
    let mut sections: Vec<(String, Vec<ParamView>)> = Vec::new();
    for id in base.ids() {
        let path = base.path(id);
        let section = path.split(['.', '[']).next().unwrap_or_default().to_string();
        let p = base.param(id);
        // A bank with no rate of its own shows whose rate it faces.
        let follows = base.follow_note(id);
        let kind = id.kind();
        let pl = id.field().plausible;
        let steps = model
            .changes
            .iter()
            .filter(|c| c.param == id)
            .map(|c| {
                // A value's own inline source and note first (the loader
                // gives it its [[changes]] block's where it has none).
                json!({
                    "month": c.month.to_string(),
                    "value": clean(c.value.value),
                    "source": c.value.origin.source.clone().or_else(|| c.source.clone()),
                    "note": c.value.origin.note.clone().or_else(|| c.note.clone()),
                })
            })
            .collect();
        let view = ParamView {
            unit: id.spec().unit,
            allowed: kind.allowed(),
            min: kind.min().map(|m| m.0),
            min_included: kind.min().is_some_and(|m| m.1),
            max: kind.max(),
            plausible: json!({ "lo": pl.lo(), "hi": pl.hi(), "basis": pl.basis }),
            places: kind.is_money().then_some(2),
            value: clean(base.get(id)),
            source: if follows.is_some() {
                None
            } else {
                p.origin.source.clone()
            },
            note: follows.or_else(|| p.origin.note.clone()),
            steps,
            path,
        };
        match sections.iter_mut().find(|s| s.0 == section) {
            Some(s) => s.1.push(view),
            None => sections.push((section, vec![view])),
        }
    }
    let months: Vec<String> = model
        .timeline
        .months
        .iter()
        .map(|m| m.month.to_string())
        .collect();
    json!({
        "model": {
            "name": model.name,
            "file": model.file.name,
            "description": model.description,
            "horizon": model.horizon.map(|h| json!({ "month": h.month.to_string(), "note": h.line() })),
        },
        "months": months,
        "sections": sections
            .into_iter()
            .map(|(name, params)| json!({ "section": name, "params": params }))
            .collect::<Vec<_>>(),
    })
}
