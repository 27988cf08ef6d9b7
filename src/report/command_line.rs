//! The command line that picks a model, for the commands reports suggest
//! (`dinarflow mc models/x.toml --horizon 2025-12 …`), so that a reader can
//! paste them and run the model the report was made on.

use crate::model::Model;

/// What picks `model` on a command line, for the commands a report
/// suggests (`dinarflow mc{…} --metric …`): ` FILE` unless it is the
/// built-in model, then ` --horizon`, each ` --scenario` and ` --set` as
/// they were applied, each word quoted for a POSIX shell where it needs
/// to be; empty for the built-in model as it is.
pub fn command_line(model: &Model) -> String {
    let mut words: Vec<String> = Vec::new();
    if model.file.name != crate::model::DEFAULT_MODEL_NAME {
        words.push(model.file.name.clone());
    }
    if let Some(h) = &model.horizon {
        words.extend(["--horizon".to_string(), h.month.to_string()]);
    }
    for s in &model.scenarios {
        words.extend(["--scenario".to_string(), s.file.name.clone()]);
    }
    for o in &model.overrides {
        words.extend(["--set".to_string(), o.spec.clone()]);
    }
    words
        .iter()
        .map(|w| format!(" {}", crate::render::shell::word(w)))
        .collect()
}
