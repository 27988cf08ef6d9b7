//! Reads the spanned TOML tree of a model file into typed values while
//! collecting every problem instead of stopping at the first.
//!
//! Why not serde: a serde derive stops at the first error and the toml crate
//! hands floats over as `f64`. Walking toml's own spanned tree (`DeTable`)
//! keeps the literal text of each number, so `0.3` is read as exactly 3/10,
//! and lets one pass report every unknown key, type error and range error.

use std::collections::HashSet;
use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::registry::{Kind, ParamId, Row};
use super::{Origin, Param, Params};
use crate::diagnostic::{nearest, Problem, MAX_SHOWN};
use crate::num::decimal::{self as number, LiteralError};

pub(super) type Node<'i> = Spanned<DeValue<'i>>;

/// A TOML table being read, with the keys that were asked for.
pub(super) struct Obj<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Range<usize>,
    pub path: String,
}

impl<'a, 'i> Obj<'a, 'i> {
    /// The whole document, the table every path starts from.
    pub fn root(doc: &'a Spanned<DeTable<'i>>) -> Self {
        Obj {
            table: doc.get_ref(),
            span: doc.span(),
            path: String::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a Node<'i>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    pub fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{}", self.path, key)
        }
    }
}

/// Name of a TOML value's type, for messages.
pub(super) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A required section missing because its name is misspelt (`[modle]`):
/// one problem, at the misspelling, instead of "missing [model]" first
/// (it has no place, so it sorts first) and the unknown key that explains
/// it after.
fn explain_missing_by_typo(problems: &mut Vec<Problem>) {
    let missing: Vec<String> = problems
        .iter()
        .filter(|p| p.span.is_none() && p.message.starts_with("missing; the file needs the ["))
        .map(|p| p.path.clone())
        .collect();
    for section in missing {
        let guess = format!("did you mean `{section}`?");
        let Some(typo) = problems
            .iter_mut()
            .find(|p| !p.path.contains('.') && p.help.as_deref() == Some(guess.as_str()))
        else {
            continue;
        };
        typo.help =
            Some(format!("{guess} the file has no [{section}] section, and needs one").into_boxed_str());
        problems.retain(|p| !(p.span.is_none() && p.path == section));
    }
}

/// A value at `path` that is not what it should be: `expected WHAT,
/// found …`, located at the value.
pub(super) fn wrong_type(node: &Node<'_>, path: &str, expected: &str) -> Problem {
    Problem::new(
        Some(node.span()),
        path,
        format!("expected {expected}, found {}", type_name(node.get_ref())),
    )
}

/// What a table at `path` looks like, for "expected a table" messages.
fn table_allowed(path: &str) -> String {
    if path.contains(['[', '"']) {
        "a table { key = value, … }".to_string()
    } else {
        format!("a [{path}] table")
    }
}

/// How a table is named in messages: `[auction]` for a section,
/// `exports.buyers[China]` for an entry of a list of tables.
pub(super) fn place_of(path: &str) -> String {
    if path.ends_with(']') {
        path.to_string()
    } else {
        format!("[{path}]")
    }
}

/// The keys that end a parameter's table of value and provenance (`{
/// value, source, note }`) or a distribution (`{ dist = … }`).
const LEAF_KEYS: &[&str] = &["value", "source", "note", "dist"];

/// A dotted path written without quotes as a key of a table of paths
/// (`auction.rejection_rate = 0.5` in `[set]`), which TOML reads as a
/// table `auction`: the help that says to quote it, or `None` when `node`
/// is not such a table. Only for a `key` that names no parameter.
pub(super) fn unquoted_path_help(key: &str, node: &Node<'_>) -> Option<String> {
    unquoted_path(key, node).map(|path| {
        format!(
            "without quotes, TOML reads {path} as a table `{key}`; write the path in quotes: \"{path}\" = …"
        )
    })
}

/// The dotted path an unquoted `key` was meant as, when TOML read it as a
/// table (see [`unquoted_path_help`]).
pub(super) fn unquoted_path(key: &str, node: &Node<'_>) -> Option<String> {
    let mut path = key.to_string();
    let mut node = node;
    while let DeValue::Table(t) = node.get_ref() {
        if t.iter().any(|(k, _)| LEAF_KEYS.contains(&k.get_ref().as_ref())) {
            break;
        }
        let Some((k, v)) = t.iter().next() else { break };
        path.push('.');
        path.push_str(k.get_ref());
        node = v;
    }
    (path != key).then_some(path)
}

/// Most problems a reader keeps; past them it only counts (a file of a
/// million unknown keys took 1.1 GB and 9 s to report them all).
pub(super) const MAX_KEPT: usize = 100_000;

/// Collects problems while reading, each once, the first [`MAX_KEPT`].
#[derive(Default)]
pub(super) struct Reader {
    pub problems: Vec<Problem>,
    seen: HashSet<Problem>,
    /// Problems found past [`MAX_KEPT`], counted only.
    pub dropped: usize,
}

impl Reader {
    pub fn report(&mut self, p: Problem) {
        if self.problems.len() >= MAX_KEPT {
            self.dropped += 1;
            return;
        }
        if self.seen.insert(p.clone()) {
            self.problems.push(p);
        }
    }

    /// The problems kept, in file order, after a line counting all that
    /// were found when some were not kept.
    pub fn into_sorted(self) -> Vec<Problem> {
        let mut problems = self.problems;
        if self.dropped > 0 {
            // First: it has no place in the file.
            problems.push(
                Problem::new(
                    None,
                    "",
                    format!(
                        "{} problems were found; the first {MAX_KEPT} found are kept and listed below in file order",
                        MAX_KEPT + self.dropped
                    ),
                )
                .help("fix these first, then check the file again"),
            );
        }
        explain_missing_by_typo(&mut problems);
        problems.sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
        problems
    }

    /// Resolves a parameter path. The nearest paths of one that names
    /// nothing are looked for only while there are few problems: each
    /// search compares it with every path of the model.
    pub fn resolve(&self, params: &Params, path: &str) -> Result<ParamId, Vec<String>> {
        match params.lookup(path.trim()) {
            Some(id) => Ok(id),
            None if self.problems.len() < MAX_SHOWN => params.resolve(path),
            None => Err(Vec::new()),
        }
    }

    /// Views `node` as a table, or reports what it is instead.
    pub fn obj<'a, 'i>(&mut self, node: &'a Node<'i>, path: &str) -> Option<Obj<'a, 'i>> {
        match node.get_ref() {
            DeValue::Table(t) => Some(Obj {
                table: t,
                span: node.span(),
                path: path.to_string(),
            }),
            _ => {
                self.report(wrong_type(node, path, "a table").allowed(table_allowed(path)));
                None
            }
        }
    }

    /// The table under `key`; a missing required table is reported.
    pub fn section<'a, 'i>(
        &mut self,
        parent: &Obj<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Option<Obj<'a, 'i>> {
        let path = parent.child_path(key);
        match parent.get(key) {
            Some(node) => self.obj(node, &path),
            None => {
                if required {
                    self.missing(parent, key);
                }
                None
            }
        }
    }

    pub fn missing(&mut self, parent: &Obj<'_, '_>, key: &str) {
        self.missing_allowed(parent, key, None);
    }

    /// Reports a missing required key, with what its value may be.
    pub fn missing_allowed(&mut self, parent: &Obj<'_, '_>, key: &str, allowed: Option<&str>) {
        let mut p = if parent.path.is_empty() {
            Problem::new(None, key, format!("missing; the file needs the [{key}] section"))
                .help("`dinarflow init FILE` writes a starter model with every section")
        } else {
            Problem::new(
                Some(parent.span.clone()),
                parent.child_path(key),
                format!("missing; {} needs `{key}`", place_of(&parent.path)),
            )
        };
        if let Some(allowed) = allowed {
            p = p.allowed(allowed);
        }
        self.report(p);
    }

    /// Reports every key of `obj` not in `known`, with the closest known key.
    pub fn check_keys(&mut self, obj: &Obj<'_, '_>, known: &[&str]) {
        self.check_keys_with(obj, known, |_, _| None);
    }

    /// [`Self::check_keys`], with `hint` asked for a key that no known
    /// key is near (a parameter path written outside a change's `set`).
    pub fn check_keys_with(
        &mut self,
        obj: &Obj<'_, '_>,
        known: &[&str],
        hint: impl Fn(&str, &Node<'_>) -> Option<String>,
    ) {
        for (k, node) in obj.table.iter() {
            let key: &str = k.get_ref();
            if known.contains(&key) {
                continue;
            }
            if self.problems.len() >= MAX_KEPT {
                self.dropped += 1;
                continue;
            }
            let place = if obj.path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in {}", place_of(&obj.path))
            };
            // A key with a dot in it is one quoted key (`"auction.rejection_rate"`
            // beside a change's `from`), not a path into tables: quoted, as
            // the file writes it.
            let path = if key.contains('.') {
                obj.child_path(&format!("\"{key}\""))
            } else {
                obj.child_path(key)
            };
            let mut p = Problem::new(Some(k.span()), path, format!("unknown key `{key}` {place}"))
                .allowed(known.join(", "));
            if let Some(meant) = super::key_hints::synonym(key, known) {
                p = p.help(format!("did you mean `{meant}`? it is written `{meant}` here"));
            } else if let Some(home) = super::key_hints::misplaced(key, &obj.path) {
                p = p.help(home);
            } else if let Some(best) = nearest(key, known.iter().copied(), 1).first() {
                p = p.help(format!("did you mean `{best}`?"));
            } else if let Some(help) = hint(key, node) {
                p = p.help(help);
            }
            self.report(p);
        }
    }

    /// A string value.
    pub fn string(&mut self, obj: &Obj<'_, '_>, key: &str, required: bool) -> Option<(String, Range<usize>)> {
        let Some(node) = obj.get(key) else {
            if required {
                self.missing_allowed(obj, key, Some("a quoted string"));
            }
            return None;
        };
        self.as_string(node, &obj.child_path(key))
    }

    pub fn as_string(&mut self, node: &Node<'_>, path: &str) -> Option<(String, Range<usize>)> {
        match node.get_ref() {
            DeValue::String(s) => Some((s.to_string(), node.span())),
            _ => {
                self.report(wrong_type(node, path, "a string").allowed("a quoted string"));
                None
            }
        }
    }

    /// The `source` of a value or a change: a citation, so an empty or
    /// blank one is refused rather than counted as a published source.
    pub fn source(&mut self, obj: &Obj<'_, '_>) -> Option<String> {
        let (text, span) = self.string(obj, "source", false)?;
        if text.trim().is_empty() {
            self.report(Problem::new(
                Some(span),
                obj.child_path("source"),
                "an empty source; cite the publication or use note = … for an assumption",
            ));
            return None;
        }
        Some(text)
    }

    /// An array of tables (`[[key]]`), each entry viewed as a table.
    pub fn tables<'a, 'i>(&mut self, obj: &Obj<'a, 'i>, key: &str) -> Vec<Obj<'a, 'i>> {
        let path = obj.child_path(key);
        let Some(node) = obj.get(key) else {
            return Vec::new();
        };
        match node.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| self.obj(n, &format!("{path}[{i}]")))
                .collect(),
            DeValue::Table(_) => {
                // `[changes]` for `[[changes]]`: one table where a list
                // of them is read.
                self.report(
                    wrong_type(node, &path, "a list of tables")
                        .allowed(format!("[[{path}]] entries"))
                        .help(format!(
                            "write [[{path}]], with two brackets: each entry of the list is its own [[{path}]] table"
                        )),
                );
                Vec::new()
            }
            _ => {
                self.report(
                    wrong_type(node, &path, "a list of tables").allowed(format!("[[{path}]] entries")),
                );
                Vec::new()
            }
        }
    }

    /// The parameter of registry row `row` in `obj`, under its key: a
    /// plain number or `{ value = …, source = "…", note = "…" }`, checked
    /// against its kind.
    pub fn param(&mut self, obj: &Obj<'_, '_>, row: impl Row, required: bool) -> Option<Param> {
        let field = row.field();
        let (key, kind) = (field.key(), field.kind);
        let Some(node) = obj.get(key) else {
            if required {
                self.missing_allowed(obj, key, Some(kind.allowed()));
            }
            return None;
        };
        self.param_node(node, &obj.child_path(key), kind)
    }

    pub fn param_node(&mut self, node: &Node<'_>, path: &str, kind: Kind) -> Option<Param> {
        let (number_node, source, note) = match node.get_ref() {
            DeValue::Table(t) => {
                let obj = Obj {
                    table: t,
                    span: node.span(),
                    path: path.to_string(),
                };
                self.check_keys(&obj, &["value", "source", "note"]);
                let source = self.source(&obj);
                let note = self.string(&obj, "note", false).map(|s| s.0);
                let Some(v) = obj.get("value") else {
                    self.report(
                        Problem::new(Some(node.span()), path, "the table has no `value`")
                            .allowed("a number, or { value = NUMBER, source = \"…\", note = \"…\" }"),
                    );
                    return None;
                };
                (v, source, note)
            }
            _ => (node, None, None),
        };
        let value = self.number(number_node, path)?;
        let span = number_node.span();
        if let Some(p) = check_range(kind, value, path, Some(span.clone())) {
            self.report(p);
            return None;
        }
        Some(Param {
            value,
            origin: Origin {
                span: Some(span),
                source,
                note,
                set_with: None,
                scenario: None,
            },
        })
    }

    /// An exact decimal from a TOML integer or float literal.
    pub fn number(&mut self, node: &Node<'_>, path: &str) -> Option<Decimal> {
        let span = Some(node.span());
        let parsed = match node.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => number::parse_decimal(i.as_str()),
            DeValue::Integer(i) => number::parse_radix_integer(i.as_str(), i.radix()),
            DeValue::Float(f) => number::parse_decimal(f.as_str()),
            DeValue::String(s) => {
                let kind = super::registry::field_at(path).map(|f| f.kind);
                let mut p = Problem::new(
                    span,
                    path,
                    format!("expected a number, found the string {:?}", s.as_ref()),
                )
                .allowed(kind.map_or("a number such as 0.8 or 1460", |k| k.allowed()));
                if number::parse_decimal(s).is_ok() {
                    p = p.help(format!("remove the quotes: {s}"));
                } else if let Some(h) = super::number_slip::hint(s, kind, super::number_slip::Written::Toml) {
                    p = p.help(format!("{h}, without quotes"));
                }
                self.report(p);
                return None;
            }
            other => {
                self.report(
                    Problem::new(
                        span,
                        path,
                        format!("expected a number, found {}", type_name(other)),
                    )
                    .allowed("a number such as 0.8 or 1460"),
                );
                return None;
            }
        };
        match parsed {
            Ok(d) => Some(d),
            Err(e) => {
                let text = match node.get_ref() {
                    DeValue::Float(f) => f.as_str().to_string(),
                    DeValue::Integer(i) => i.to_string(),
                    _ => String::new(),
                };
                let allowed = match e {
                    LiteralError::NotFinite => "a finite number (nan and inf are not allowed)",
                    LiteralError::TooLarge => "a number of at most about 7.9e28 in size",
                    LiteralError::TooManyDecimals => "a decimal number with at most 28 decimal places",
                    _ => "a decimal number with at most 28 significant digits",
                };
                self.report(Problem::new(span, path, format!("{text} {e}")).allowed(allowed));
                None
            }
        }
    }
}

/// The problem with `value` for a parameter of `kind`, if any.
pub(super) fn check_range(
    kind: Kind,
    value: Decimal,
    path: &str,
    span: Option<Range<usize>>,
) -> Option<Problem> {
    let shown = number::clean(value);
    if !kind.allows(value) {
        let mut p = Problem::new(span, path, format!("{shown} is out of range")).allowed(kind.allowed());
        if matches!(kind, Kind::Share | Kind::Weight) && value > Decimal::ONE && value <= Decimal::ONE_HUNDRED
        {
            let frac = (value / Decimal::ONE_HUNDRED).normalize();
            // 80 is surely 80%; 1.2 may be 1.2% or a slip for a share near 1.
            p = p.help(if value >= Decimal::TWO {
                format!("this looks like a percentage; shares are fractions: did you mean {frac}?")
            } else if kind == Kind::Weight {
                // An exponent, not a share of anything: 1.5 is not 1.5%.
                "the anchor follows the official rate at most one for one (1); 0 leaves it where it was observed"
                    .to_string()
            } else {
                format!("shares are fractions of 1; if {shown} is a percentage, write {frac}")
            });
        }
        return Some(p);
    }
    if kind.is_money() && number::decimal_places(value) > 2 {
        return Some(
            Problem::new(span, path, format!("{shown} has more than two decimal places"))
                .allowed("money to the cent: at most two decimals")
                .help(format!("round it to cents: {}", number::round2(value))),
        );
    }
    None
}
