//! The API the what-if page calls, every answer JSON:
//!
//! * `POST /api/run` with `{"set": {"PATH": "VALUE", ...}}` (keys as
//!   `--set` takes them: `PATH`, `PATH@YYYY-MM`, `PATH@YYYY-MM..`, `PATH*`; values strings or
//!   numbers) answers exactly what `run --format json --set PATH=VALUE ...`
//!   prints, byte for byte; a `--set` that a later one undoes entirely is
//!   refused as the command line refuses it.
//! * `POST /api/view` with the same body answers what the page draws
//!   (`view.rs`): the `--set` notes and warnings, the brief's headline
//!   figures beside the base's, its sentences, the charts, "what moved".
//! * `POST /api/scenario` with the same body (and `"date": "YYYY-MM-DD"`
//!   for the notes) answers the scenario file of those `--set`s and the
//!   `run` command they are (`scenario.rs`).
//! * `GET /api/params`: every numeric parameter, grouped by section, as
//!   the page builds its controls (`params.rs`).
//!
//! The three `POST`s take `"horizon": "YYYY-MM"` too: the model is run on
//! to that month first, as `--horizon` runs it (each added month holding
//! the last month's inputs), and the view compares with the model run on
//! to the same month; a month that is not one, or before the model's end,
//! answers 400 with the command line's message and the key `horizon`.
//!
//! A body that is not a JSON object, or whose `set` has a key twice,
//! answers 400. A bad path or value answers 400 `{"error": MESSAGE, "keys": [KEY]}`,
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
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::base::Base;
use super::{scenario, view, App};
use crate::engine;
use crate::error::Error;
use crate::model::{refuse_undone, Model, SetNote};
use crate::render::Json as _;
use crate::report::run::RunReport;
use crate::sensitivity::overflow;

/// An error answer: `{"error": message, "keys": [...]}`.
pub(super) fn error(status: StatusCode, message: String, keys: Vec<String>) -> Response {
    (status, axum::Json(json!({ "error": message, "keys": keys }))).into_response()
}

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    #[serde(default, deserialize_with = "unique_keys")]
    set: Map<String, Value>,
    /// The day the page saves a scenario on (`POST /api/scenario` only).
    #[serde(default)]
    date: Option<String>,
    /// `--horizon YYYY-MM`: the model run on to that month before the `--set`s.
    #[serde(default)]
    horizon: Option<String>,
}

/// A `set` object whose keys are each given once: JSON would keep the
/// last of two silently, and the page never sends two.
fn unique_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    struct Keys;
    impl<'de> serde::de::Visitor<'de> for Keys {
        type Value = Map<String, Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of --set keys and their values")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut m = Map::new();
            while let Some((k, v)) = a.next_entry::<String, Value>()? {
                if m.contains_key(&k) {
                    return Err(serde::de::Error::custom(format!(
                        "\"set\" has the key {:?} twice (only one value per key; several --set of one path are keys such as PATH and PATH@YYYY-MM)",
                        crate::diagnostic::escape_invisible(&k)
                    )));
                }
                m.insert(k, v);
            }
            Ok(m)
        }
    }
    d.deserialize_map(Keys)
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

fn bad_request(message: String) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, message, Vec::new())
}

/// What a request body asks: its `--set`s, its `date` and its `horizon`.
struct Asked {
    specs: Specs,
    date: Option<String>,
    horizon: Option<String>,
}

/// The `--set`s of a request body, its `date` and `horizon` if any.
fn specs(body: Result<Bytes, BytesRejection>) -> Result<Asked, Refusal> {
    let bytes = body.map_err(|r| {
        let message = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            format!("error: the request body is over {} KiB", super::BODY_LIMIT / 1024)
        } else {
            format!("error: {}", r.body_text())
        };
        Refusal(r.status(), message, Vec::new())
    })?;
    let blank = bytes.iter().all(u8::is_ascii_whitespace);
    // serde reads a struct from an array too (`[]` would be an empty what-if).
    if !blank && bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(bad_request(
            "error: the body must be a JSON object, {\"set\": {\"PATH\": \"VALUE\", ...}}".into(),
        ));
    }
    let body: Body = if blank {
        Body {
            set: Map::new(),
            date: None,
            horizon: None,
        }
    } else {
        serde_json::from_slice(&bytes).map_err(|e| {
            bad_request(format!(
                "error: the body must be {{\"set\": {{\"PATH\": \"VALUE\", ...}}}}: {e}"
            ))
        })?
    };
    let raw: Option<RawBody<'_>> = (!blank).then(|| serde_json::from_slice(&bytes).ok()).flatten();
    let specs = body
        .set
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
        .collect::<Result<Specs, Refusal>>()?;
    Ok(Asked {
        specs,
        date: body.date,
        horizon: body.horizon,
    })
}

/// A body for `/api/run` or `/api/view`, which take no `date`.
fn sets_only(body: Result<Bytes, BytesRejection>) -> Result<Asked, Refusal> {
    let asked = specs(body)?;
    match asked.date {
        None => Ok(asked),
        Some(_) => Err(bad_request(
            "error: \"date\" is taken by POST /api/scenario only; the body is {\"set\": {\"PATH\": \"VALUE\", ...}}".into(),
        )),
    }
}

/// The key an answer names for a bad `horizon`.
const HORIZON: &str = "horizon";

/// The served model run on to `horizon` (`--horizon YYYY-MM`), with the
/// note the command line prints; the served model itself without one. A
/// month that is not one, or before the model's end, answers 400 with the
/// command line's message.
fn extended(model: &Model, horizon: Option<&str>) -> Result<(Model, Option<String>), Refusal> {
    let mut m = model.clone();
    let Some(h) = horizon else {
        return Ok((m, None));
    };
    match m.apply_horizon(h) {
        Ok(note) => Ok((m, Some(note))),
        Err(e) => Err(Refusal(
            StatusCode::BAD_REQUEST,
            e.to_string(),
            vec![HORIZON.into()],
        )),
    }
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

/// The base model with `specs` applied, and what each `--set` did. A
/// `--set` that a later one undoes entirely is refused, as on the command
/// line: the page's own state never holds one, so a list that does was
/// not made by it and would drop a value without a trace.
fn apply(model: &Model, specs: &Specs) -> Result<(Model, Vec<SetNote>), Error> {
    let mut m = model.clone();
    let texts: Vec<&str> = specs.iter().map(|s| s.1.as_str()).collect();
    let notes = m.apply_sets(&texts)?;
    refuse_undone(&notes, &texts)?;
    Ok((m, notes))
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
    let Asked { specs, horizon, .. } = match sets_only(body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    blocking(move || {
        let model = match extended(&app.model, horizon.as_deref()) {
            Ok((m, _)) => m,
            Err(r) => return r.into_response(),
        };
        match run_json(&model, &specs) {
            Ok(bytes) => json_bytes(bytes),
            Err(e) => failure(&e, &specs),
        }
    })
    .await
}

/// What `run --format json --set ...` prints for `specs`.
fn run_json(model: &Model, specs: &Specs) -> Result<Vec<u8>, Error> {
    let (model, _) = apply(model, specs)?;
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
    let Asked { specs, horizon, .. } = match sets_only(body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    blocking(move || {
        let (base, said) = match extended(&app.model, horizon.as_deref()) {
            Ok(b) => b,
            Err(r) => return r.into_response(),
        };
        // Past the model's end the what-if is compared with the model run
        // on to the same month.
        let figures = match said {
            None => None,
            Some(_) => match Base::compared(&base) {
                Ok(f) => Some(f),
                Err(e) => return failure(&e, &specs),
            },
        };
        let drawn = apply(&base, &specs).and_then(|(model, notes)| {
            let notes = said
                .into_iter()
                .chain(notes.iter().map(ToString::to_string))
                .collect();
            view::view_of(&base, figures.as_ref().unwrap_or(&app.base), &model, notes)
        });
        match drawn {
            Ok(v) => axum::Json(v).into_response(),
            Err(e) => failure(&e, &specs),
        }
    })
    .await
}

/// `POST /api/scenario`: `{"scenario": TEXT, "file": "what-if.toml", "command": "dinarflow run FILE --set …"} (no FILE for the built-in model)`.
pub(super) async fn scenario(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let Asked { specs, date, horizon } = match specs(body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let date = match date {
        Some(d) if !is_date(&d) => {
            return bad_request(format!(
                "error: \"date\" must be a day written YYYY-MM-DD, not {:?}",
                crate::diagnostic::escape_invisible(&d)
            ))
            .into_response()
        }
        d => d,
    };
    blocking(move || {
        let model = match extended(&app.model, horizon.as_deref()) {
            Ok((m, _)) => m,
            Err(r) => return r.into_response(),
        };
        let written = apply(&model, &specs).and_then(|(_, notes)| {
            let texts: Vec<&str> = specs.iter().map(|s| s.1.as_str()).collect();
            scenario::write(&model, &texts, &notes, date.as_deref())
        });
        match written {
            Ok(w) => axum::Json(json!({ "scenario": w.text, "file": scenario::FILE, "command": w.command }))
                .into_response(),
            Err(e) => failure(&e, &specs),
        }
    })
    .await
}

/// `YYYY-MM-DD`, digits where digits go.
fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// `GET /api/params`.
pub(super) async fn params(State(app): State<Arc<App>>) -> Response {
    json_bytes(app.base.params.clone())
}
