//! Turns a model file into a validated [`Model`]: reads every section,
//! applies the range, sum and timeline rules of docs/model.md §1–§2, and reports
//! every problem found in one go. Also applies `--set` overrides.

use std::collections::HashMap;
use std::path::Path;

use toml::de::DeTable;
use toml::Spanned;

use super::changes::{check_months, read_changes};
use super::parts::read_params;
use super::reader::{Obj, Reader};
use super::registry::ParamId;
use super::rules;
use super::timeline_section::read_timeline;
use super::*;
use crate::calendar::YearMonth;
use crate::diagnostic::{Diagnostics, Problem, SourceFile};
use crate::error::Error;

/// Largest model file read, to refuse absurd inputs before parsing them.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Opens `path` for reading if it is a regular file: a directory, a
/// device (`/dev/zero`), a FIFO or a socket is refused (exit 2) before it
/// is opened, since reading one may never end; the opened file is checked
/// again. `what` names the file in messages ("a model file").
pub fn open_regular(path: &Path, what: &str) -> Result<(std::fs::File, u64), Error> {
    let input = |message: String| Error::Input {
        path: path.display().to_string(),
        message,
    };
    let kind = |m: &std::fs::Metadata| -> Option<&'static str> {
        let t = m.file_type();
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some("a directory");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some("a FIFO (named pipe)");
            }
            if t.is_char_device() || t.is_block_device() {
                return Some("a device");
            }
            if t.is_socket() {
                return Some("a socket");
            }
        }
        Some("not a regular file")
    };
    let refuse = |k: &str| match k {
        "a directory" => input(format!("is a directory, not {what}")),
        _ => input(format!(
            "is {k}, not {what}; dinarflow reads regular files only (save it to a file first)"
        )),
    };
    let meta = std::fs::metadata(path).map_err(|e| input(io_reason(&e)))?;
    if let Some(k) = kind(&meta) {
        return Err(refuse(k));
    }
    let file = std::fs::File::open(path).map_err(|e| input(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| input(io_reason(&e)))?;
    if let Some(k) = kind(&meta) {
        return Err(refuse(k));
    }
    Ok((file, meta.len()))
}

/// Reads and validates the model file at `path`.
pub fn load_file(path: &Path) -> Result<Model, Error> {
    let text = read_text(path, "a model file", "model files")?;
    load_str(&path.display().to_string(), &text).map_err(|d| Error::Invalid(Box::new(d)))
}

/// Reads the text file at `path` (a regular file, at most
/// `MAX_FILE_BYTES`, UTF-8). `what` names one such file ("a model
/// file"), `plural` the kind ("model files") in messages.
pub fn read_text(path: &Path, what: &str, plural: &str) -> Result<String, Error> {
    read_text_at_most(path, what, plural, MAX_FILE_BYTES)
}

/// [`read_text`] with a limit of `max_bytes` (whole MiB) instead of
/// `MAX_FILE_BYTES`.
pub fn read_text_at_most(path: &Path, what: &str, plural: &str, max_bytes: u64) -> Result<String, Error> {
    use std::io::Read;
    let name = path.display().to_string();
    let input = |message: String| Error::Input {
        path: name.clone(),
        message,
    };
    let limit = max_bytes / 1024 / 1024;
    let too_large = |len: u64| {
        // Rounded up, so that a file just over the limit never reads "16.0 MiB".
        let tenths = (len * 10).div_ceil(1024 * 1024);
        input(format!(
            "is {}.{} MiB; {plural} are limited to {limit} MiB",
            tenths / 10,
            tenths % 10,
        ))
    };
    let (file, len) = open_regular(path, what)?;
    if len > max_bytes {
        return Err(too_large(len));
    }
    // The limit holds while reading too: a file that grows after it was
    // measured is read no further than one byte past the limit.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| input(io_reason(&e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(input(format!(
            "grew past {limit} MiB while it was read; {plural} are limited to {limit} MiB"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            // What Excel's "Unicode Text" and Notepad's "Unicode" save.
            return input(format!(
                "is UTF-16 text, and {plural} are read as UTF-8; save it again with the encoding \"UTF-8\""
            ));
        }
        if bytes.contains(&0) {
            // "a model file" → "a text model file", "an observed file" → "a text observed file".
            let article = what
                .strip_prefix("a ")
                .or_else(|| what.strip_prefix("an "))
                .unwrap_or(what);
            return input(format!("is not a text {article} (invalid UTF-8 at byte {at})"));
        }
        not_utf8(&name, &bytes, at, plural)
    })
}

/// A text file with a byte that is not UTF-8 at `at`, as a located
/// problem: most often a file saved by a Windows program in its own
/// encoding (Windows-1252), where `é` is the one byte 0xE9. The line is
/// shown with the byte as `�` and a caret under it; the help says how to
/// save it as UTF-8, the note what the byte was meant to be.
fn not_utf8(name: &str, bytes: &[u8], at: usize, plural: &str) -> Error {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let byte = bytes[at];
    // The lossy text is the same as the file up to `at`; there, the
    // replacement character `�` (3 bytes) stands for the bad byte.
    let span = at..at + char::REPLACEMENT_CHARACTER.len_utf8();
    let one = [byte];
    let (meant, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&one);
    let mut problem = Problem::new(
        Some(span),
        "",
        format!("byte 0x{byte:02X} is not UTF-8; {plural} are read as UTF-8 text"),
    )
    .help("save the file as UTF-8 (in most editors: Save As, then the encoding \"UTF-8\")");
    if meant.chars().all(|c| !c.is_control()) {
        problem = problem.note(format!(
            "in Windows-1252, the encoding Windows programs often save in, 0x{byte:02X} is \"{meant}\""
        ));
    }
    Error::Invalid(Box::new(SourceFile::new(name, text).diagnostics(vec![problem])))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied: cannot read it".into(),
        _ => format!("cannot read it: {e}"),
    }
}

/// What every model file must hold (docs/model.md §1.1): the other
/// sections are optional, so an empty file is not told it needs them.
pub(super) const REQUIRED_SECTIONS: &str =
    "a model with at least [model] (its name), [timeline], [exports] with one or more [[exports.buyers]], and [custody]";

/// What to do with an empty model file.
const EMPTY_HELP: &str = "`dinarflow init FILE` writes a commented starter model with every section; \
     [deductions], [airlift], [auction], [parallel_market], [prices] and the rest are optional";

/// The default model compiled into the library: `models/iraq-2023.toml`
/// (what `dinarflow brief` runs without a model file).
pub const DEFAULT_MODEL: &str = include_str!("../../models/iraq-2023.toml");
/// The name the built-in model is reported under.
pub const DEFAULT_MODEL_NAME: &str = "iraq-2023.toml (built in)";

/// The built-in default model ([`DEFAULT_MODEL`]), loaded and validated.
pub fn load_default() -> Result<Model, Error> {
    load_str(DEFAULT_MODEL_NAME, DEFAULT_MODEL).map_err(|d| Error::Invalid(Box::new(d)))
}

/// Parses and validates model text; `name` is the file name used in messages.
pub fn load_str(name: &str, text: &str) -> Result<Model, Diagnostics> {
    // A byte-order mark some editors write is not part of the text (and
    // would shift the columns of line 1).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = SourceFile::new(name, text);
    let root = parse_document(&file, text, REQUIRED_SECTIONS, EMPTY_HELP)?;
    let mut r = Reader::default();
    let top = Obj::root(&root);
    if let Some(p) = scenario_given_as_model(&top, name) {
        return Err(file.diagnostics(vec![p]));
    }
    r.check_keys(&top, super::key_hints::TOP_KEYS);
    match read_model(&mut r, &top, &file) {
        Some(m) if r.problems.is_empty() => Ok(m),
        _ => Err(file.diagnostics(r.into_sorted())),
    }
}

/// A scenario file given where a model belongs (`[scenario]` and no
/// `[model]`): one problem saying how to use it, rather than one for each
/// missing model section.
fn scenario_given_as_model(top: &Obj<'_, '_>, name: &str) -> Option<Problem> {
    if top.get("model").is_some() {
        return None;
    }
    let (key, _) = top.table.iter().find(|(k, _)| k.get_ref() == "scenario")?;
    Some(
        Problem::new(Some(key.span()), "", "this is a scenario file, not a model")
            .allowed(REQUIRED_SECTIONS)
            .help(format!(
                "a scenario changes a model: give the model, and add --scenario {name} (without a model file, the built-in model is used)"
            )),
    )
}

/// Parses the TOML document `text` of `file` (a model or a scenario
/// file), or says why it cannot be read: empty, too many values, TOML
/// syntax errors, or no settings at all (an empty file's problem says what
/// is `allowed`, with `help`).
pub(super) fn parse_document<'t>(
    file: &SourceFile,
    text: &'t str,
    allowed: &str,
    help: &str,
) -> Result<Spanned<DeTable<'t>>, Diagnostics> {
    let fail = |problems: Vec<Problem>| Err(file.diagnostics(problems));
    let empty = |message: &str| vec![Problem::new(None, "", message).allowed(allowed).help(help)];
    if text.trim().is_empty() {
        return fail(empty("the file is empty"));
    }
    // The bound on values, before parsing (a 15 MB file of empty tables
    // took 1.2 GB).
    if let Some(p) = super::complexity::too_many_values(text) {
        return fail(vec![p]);
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return fail(super::syntax::problems(text, &errors));
    }
    if root.get_ref().is_empty() {
        return fail(empty("the file has no settings, only comments or blank lines"));
    }
    Ok(root)
}

/// `[model]`: its name (`None` if missing; empty if it cannot be used,
/// so that every other problem is still reported) and description.
fn read_heading(r: &mut Reader, top: &Obj<'_, '_>) -> (Option<String>, Option<String>) {
    let Some(m) = r.section(top, "model", true) else {
        return (None, None);
    };
    r.check_keys(&m, &["name", "description"]);
    let name = r.string(&m, "name", true).map(|(name, span)| {
        if name.trim().is_empty() {
            r.report(
                Problem::new(Some(span), "model.name", format!("{name:?} is blank"))
                    .allowed("a name on one line, without control or format characters")
                    .help("name the model: the name heads every report, chart and workbook (\"Iraq 2023, rejections at 80%\")"),
            );
            return String::new();
        }
        let Some(c) = name
            .chars()
            .find(|c| c.is_control() || crate::diagnostic::is_format_char(*c))
        else {
            return name;
        };
        r.report(
            Problem::new(Some(span), "model.name", format!("{name:?} cannot be used as the model's name"))
                .allowed("a name on one line, without control or format characters")
                .help(if c.is_control() {
                    format!(
                        "it holds the control character {}, which a terminal would act on; the name heads every report",
                        c.escape_unicode()
                    )
                } else {
                    format!(
                        "it holds the invisible format character {}, which reorders or hides the text around it; the name heads every report",
                        c.escape_unicode()
                    )
                }),
        );
        // Stood in for, so that every other problem is still reported.
        String::new()
    });
    (name, r.string(&m, "description", false).map(|s| s.0))
}

/// A drawn value would replace the changes of its path, so a path is
/// either drawn or changed (a drawn factor scales the changes too,
/// docs/model.md v2).
fn check_drawn_or_changed(r: &mut Reader, uncertainty: &[Uncertain], changes: &[Change]) {
    let mut first_change: HashMap<ParamId, YearMonth> = HashMap::new();
    for c in changes {
        first_change.entry(c.param).or_insert(c.month);
    }
    for u in uncertainty.iter().filter(|u| !u.scale) {
        if let Some(month) = first_change.get(&u.param) {
            r.report(
                Problem::new(
                    Some(u.span.clone()),
                    format!("uncertainty.\"{}\"", u.path),
                    "is also set by a [[changes]] entry",
                )
                .allowed("a path either in [uncertainty] or in [[changes]], not both")
                .help(format!(
                    "the change from {month} sets it; remove one of the two, or draw a factor on its schedule with \"{}*\"",
                    u.path
                )),
            );
        }
    }
}

fn read_model(r: &mut Reader, top: &Obj<'_, '_>, file: &SourceFile) -> Option<Model> {
    let (name, description) = read_heading(r, top);
    let timeline = read_timeline(r, top);
    // Sections that failed are stood in for (empty lists, zero values) so
    // that the sum rules of the others, the changes and the uncertainty are
    // still checked and every problem is reported in one go.
    let mut complete = true;
    let params = read_params(r, top, &mut complete);
    for (problem, _) in rules::broken(&params) {
        r.report(problem);
    }
    let changes = match top.get("changes") {
        Some(_) => read_changes(r, top, &params, timeline.as_ref(), complete),
        None => Vec::new(),
    };
    let uncertainty = match r.section(top, "uncertainty", false) {
        Some(obj) => uncertainty::read(r, &obj, &params, &changes, complete),
        None => Vec::new(),
    };
    let correlation = match r.section(top, "correlation", false) {
        Some(obj) => correlation::read(r, &obj, &params, &uncertainty),
        None => Vec::new(),
    };
    check_drawn_or_changed(r, &uncertainty, &changes);
    let forecast_error = match r.section(top, "forecast_error", false) {
        Some(obj) => forecast_error::read(r, &obj),
        None => Vec::new(),
    };
    if !complete {
        return None;
    }
    let model = Model {
        file: file.clone(),
        name: name.clone().unwrap_or_default(),
        description,
        timeline: timeline?,
        base: params,
        changes,
        uncertainty,
        correlation,
        forecast_error,
        fixed: Vec::new(),
        scenarios: Vec::new(),
        horizon: None,
        overrides: Vec::new(),
    };
    check_months(r, &model);
    for p in drawable::problems(&model) {
        r.report(p);
    }
    name.map(|_| model)
}
