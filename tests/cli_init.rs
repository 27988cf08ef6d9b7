//! `dinarflow init`: the commented starter model.

use crate::common::{dinarflow, ok};

#[test]
fn init_writes_the_default_model_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-model.toml");
    let p = path.to_str().unwrap();
    let o = ok(&["init", p]);
    assert!(o.stderr.contains("wrote"));
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, std::fs::read_to_string("models/iraq-2023.toml").unwrap());
    // Every key is explained: the file is mostly comments.
    assert!(
        written
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 100
    );
    ok(&["check", p]);
    std::fs::write(&path, "mine").unwrap();
    let o = dinarflow(&["init", p]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn init_without_file_prints_the_model() {
    let o = ok(&["init"]);
    assert_eq!(
        o.stdout,
        std::fs::read_to_string("models/iraq-2023.toml").unwrap()
    );
}

/// `init -` is standard output, as `-` is elsewhere; it wrote a file
/// named `-` and then suggested `dinarflow check -`, which cannot read it.
#[test]
fn init_dash_prints_the_model_and_writes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = crate::common::Cmd::new(&["init", "-"]).dir(dir.path()).ok();
    assert_eq!(
        o.stdout,
        std::fs::read_to_string("models/iraq-2023.toml").unwrap()
    );
    assert_eq!((o.stderr.as_str(), dir.path().join("-").exists()), ("", false));
}
