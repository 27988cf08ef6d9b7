//! The JSON renderer (`--format json`): a report's own `serde::Serialize`
//! form, pretty-printed, keys in the order the report declares them and
//! every decimal a string (rust_decimal's serde form is its exact text).
//! Also two small shapes reports use where their JSON is not a plain
//! struct: an object from pairs, and a list made as it is written.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

/// Writes itself as JSON; every `Serialize` type does. Lets a report be
/// serialized behind `dyn Report`.
pub trait Json {
    /// Writes the value as pretty-printed JSON to `out`, ending with a newline.
    fn write_json(&self, out: &mut dyn Write) -> io::Result<()>;
}

impl<T: Serialize> Json for T {
    fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}

/// Key/value pairs written as a JSON object, keys in the order given. A
/// key given twice is written once, where it first appears, with its
/// last value (as a JSON map built key by key would hold it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairs<K, V>(pub Vec<(K, V)>);

impl<K: Serialize + Hash + Eq, V: Serialize> Serialize for Pairs<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut last: HashMap<&K, &V> = HashMap::with_capacity(self.0.len());
        for (k, v) in &self.0 {
            last.insert(k, v);
        }
        let mut written = HashSet::with_capacity(self.0.len());
        s.collect_map(
            self.0
                .iter()
                .filter(|(k, _)| written.insert(k))
                .map(|(k, v)| (k, last.get(k).copied().unwrap_or(v))),
        )
    }
}

impl<K, V> FromIterator<(K, V)> for Pairs<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Pairs(iter.into_iter().collect())
    }
}

/// A JSON list whose items are made one at a time as it is written, so a
/// large report is never held twice in memory.
pub struct Lazy<F>(pub F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Writes the one item alone, or else the list of them (a report of
/// several metrics whose single-metric form is one object).
pub fn one_or_list<T: Serialize, S: Serializer>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
    match items {
        [one] => one.serialize(s),
        _ => items.serialize(s),
    }
}
