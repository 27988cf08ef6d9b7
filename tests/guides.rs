//! The guide, docs/guide.md, and the model's description, docs/model.md,
//! hold `console` examples that run as the
//! README's do (tests/readme.rs): each `$ COMMAND` must print exactly the
//! lines the guide shows. And the repository points to no file outside it: the
//! model's description is docs/model.md, the published figures
//! docs/sources.md.

use std::path::Path;

use crate::readme::console_examples;

fn examples_of(file: &str, at_least: usize) {
    let (count, failures) = console_examples(file);
    assert!(count >= at_least, "only {count} examples found in {file}");
    assert!(
        failures.is_empty(),
        "{} of {count} examples of {file} differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_guide_prints_what_it_shows() {
    examples_of("docs/guide.md", 60);
}

/// docs/model.md's examples (the `--set` section's) run too.
#[test]
fn the_model_description_prints_what_it_shows() {
    examples_of("docs/model.md", 4);
}

/// Every file of `dir` (recursively), as paths.
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn the_repository_points_to_no_file_outside_it() {
    let mut all = Vec::new();
    for dir in [
        "src", "docs", "models", "fixtures", "tests", "python", "examples", "benches",
    ] {
        if Path::new(dir).is_dir() {
            files(Path::new(dir), &mut all);
        }
    }
    // The reference implementation's path is looked for beside the
    // checkout by build.rs and the live cross-checks, by design; this
    // file names the words it looks for.
    let allowed = ["tests/reference.rs", "tests/guides.rs"];
    let mut found = Vec::new();
    for p in all {
        let name = p.display().to_string();
        if allowed.contains(&name.as_str()) || name.contains("__pycache__") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if ["MODEL.md", "SOURCES.md", "../shared"]
                .iter()
                .any(|w| line.contains(w))
            {
                found.push(format!("{name}:{}: {line}", i + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "references outside the repository:\n{}",
        found.join("\n")
    );
    assert!(Path::new("docs/sources.md").is_file());
    assert!(Path::new("docs/model.md").is_file());
}
