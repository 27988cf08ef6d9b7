//! "Did you mean" for an unknown key that spelling distance misses: a word
//! that means the same as a known key (`stdev` for `sd`), and a key of
//! the model file written under the wrong section (`weekend` under
//! `[timeline]` belongs in `[auction]`). Economists typing a model by hand
//! reach for the word they use elsewhere, and a key one header too low is
//! read as part of the section above it.

use super::registry::FIELDS;

/// Words written for a key, and the key meant: (key, what may be written
/// for it). Only offered where the key is one the table takes.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "sd",
        &[
            "stdev",
            "std",
            "stddev",
            "std_dev",
            "standard_deviation",
            "sigma",
            "se",
        ],
    ),
    (
        "sigma",
        &["sd", "stdev", "std", "stddev", "std_dev", "standard_deviation"],
    ),
    ("mean", &["mu", "avg", "average", "expected", "centre", "center"]),
    ("mu", &["mean", "avg", "average"]),
    ("min", &["low", "lo", "lower", "minimum", "from"]),
    ("max", &["high", "hi", "upper", "maximum", "to"]),
    ("mode", &["most_likely", "likely", "peak", "ml", "base"]),
    ("dist", &["distribution", "type", "kind", "family"]),
    ("value", &["val", "amount", "number"]),
    ("source", &["citation", "cite", "ref", "reference", "sources"]),
];

/// The known key that `key` is another word for, if `known` takes it.
pub(super) fn synonym<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = key.to_ascii_lowercase();
    SYNONYMS
        .iter()
        .filter(|(_, words)| words.contains(&key.as_str()))
        .find_map(|(meant, _)| known.iter().copied().find(|k| k == meant))
}

/// Keys of the model file that are not parameters, with their section.
const OTHER_KEYS: &[(&str, &str)] = &[
    ("description", "model"),
    ("start", "timeline"),
    ("months", "timeline"),
    ("weekend", "auction"),
    ("holidays", "auction"),
    ("banks", "auction"),
    ("buyers", "exports"),
    ("payments", "custody"),
    ("lag_weights", "prices"),
    ("basket", "prices"),
];

/// The model file sections a key is read in, as written there (`[auction]`,
/// `[[auction.banks]]`), other than `here` (the table's path, a list
/// entry's name left out: `auction.banks`).
fn homes(key: &str, here: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let params = FIELDS.iter().filter_map(|f| {
        let (table, last) = f.path.rsplit_once('.')?;
        (last == key).then_some(table)
    });
    let others = OTHER_KEYS.iter().filter(|(k, _)| *k == key).map(|(_, s)| *s);
    for table in params.chain(others) {
        let (name, shown) = match table.strip_suffix("[*]") {
            Some(list) => (list, format!("[[{list}]]")),
            None => (table, format!("[{table}]")),
        };
        if name != here && !out.contains(&shown) {
            out.push(shown);
        }
    }
    out
}

/// The sections of a model file (a scenario names them when one is
/// written into it).
pub(super) const TOP_KEYS: &[&str] = &[
    "model",
    "timeline",
    "exports",
    "deductions",
    "custody",
    "airlift",
    "auction",
    "parallel_market",
    "prices",
    "changes",
    "uncertainty",
    "correlation",
    "forecast_error",
];

/// The sections of a model file whose keys [`misplaced`] knows: those of
/// [`TOP_KEYS`] before the lists of changes and uncertainty, which hold
/// parameters' paths rather than their keys.
fn is_section(name: &str) -> bool {
    let end = TOP_KEYS
        .iter()
        .position(|k| *k == "changes")
        .unwrap_or(TOP_KEYS.len());
    TOP_KEYS[..end].contains(&name)
}

/// Where `key`, unknown in the table at `path` of a model file, belongs:
/// `` `weekend` belongs in [auction], not [timeline]; move it there ``.
/// `None` for a table that is not a section of a model file (a scenario's,
/// `[uncertainty]`'s, a value's `{ value, source }`) or a key no section takes.
pub(super) fn misplaced(key: &str, path: &str) -> Option<String> {
    let here = without_names(path);
    let section = here.split('.').next().unwrap_or("");
    let table = here.is_empty() || is_section(&here) || path.ends_with(']');
    if !table || !is_section(section) && !here.is_empty() {
        return None;
    }
    let homes = homes(key, &here);
    if homes.is_empty() {
        return None;
    }
    let place = if here.is_empty() {
        "at the top level (before the first [section] header)".to_string()
    } else if path.ends_with(']') {
        format!("in [[{here}]]")
    } else {
        format!("in [{here}]")
    };
    let there = if homes.len() == 1 {
        "there"
    } else {
        "to the one meant"
    };
    Some(format!(
        "`{key}` belongs in {}, not {place}; move it {there}",
        homes.join(" or ")
    ))
}

/// A table's path with its list entries' names left out:
/// `exports.buyers[China]` → `exports.buyers`.
fn without_names(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_for_a_known_key_is_offered_where_the_table_takes_it() {
        assert_eq!(synonym("stdev", &["dist", "mean", "sd"]), Some("sd"));
        assert_eq!(synonym("StDev", &["dist", "mu", "sigma"]), Some("sigma"));
        assert_eq!(synonym("stdev", &["dist", "min", "max"]), None);
        assert_eq!(synonym("mean", &["dist", "mu", "sigma"]), Some("mu"));
    }

    #[test]
    fn a_key_under_the_wrong_header_is_sent_to_its_section() {
        assert_eq!(
            misplaced("weekend", "timeline").as_deref(),
            Some("`weekend` belongs in [auction], not in [timeline]; move it there")
        );
        assert_eq!(
            misplaced("cash_share", "auction.banks[Rafidain]").as_deref(),
            Some("`cash_share` belongs in [auction], not in [[auction.banks]]; move it there")
        );
        assert_eq!(
            misplaced("rejection_rate", "").as_deref(),
            Some(
                "`rejection_rate` belongs in [auction] or [[auction.banks]], not at the top level \
                 (before the first [section] header); move it to the one meant"
            )
        );
        let share = misplaced("share", "auction").unwrap();
        assert!(
            share.contains("[[exports.buyers]] or [[auction.banks]]"),
            "{share}"
        );
        assert_eq!(misplaced("weekend", "scenario"), None);
        assert_eq!(misplaced("weekend", "auction.rejection_rate"), None);
        assert_eq!(misplaced("frobnicate", "auction"), None);
    }
}
