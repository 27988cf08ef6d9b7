//! Shared test inputs of the model's modules and of the engine's: the
//! hand-checked small model (`fixtures/small.toml`), as it is or with
//! text added, loaded under one name, `small.toml`, so that messages
//! asserted in tests name it the same way.

use super::{load_str, Model};

/// The text of `fixtures/small.toml`.
pub const SMALL: &str = include_str!("../../fixtures/small.toml");

/// The small model.
pub fn small() -> Model {
    load_str("small.toml", SMALL).unwrap()
}

/// The small model with `extra` after its text: an `[uncertainty]`
/// table, another `[[changes]]` entry.
pub fn small_with(extra: &str) -> Model {
    load_str("small.toml", &format!("{SMALL}\n{extra}\n")).unwrap()
}
