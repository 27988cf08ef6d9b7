//! The pictures in docs/img/ are what the binary draws now: each
//! `"$bin" …` line of docs/img/make.sh is run again into a temporary file
//! and compared with the committed one (a PNG by its pixels, drawn by the
//! binary's own renderer and font, so the same on every machine; the
//! briefing's page, brief.html, by its text: its screenshot is taken of
//! that page). A stale picture fails with the line that redraws it.

use std::path::Path;
use std::process::Command;

/// The `"$bin" ARGS --out docs/img/FILE` lines of make.sh, as (ARGS, FILE).
fn commands() -> Vec<(Vec<String>, String)> {
    let script = std::fs::read_to_string("docs/img/make.sh").unwrap();
    script
        .lines()
        .filter_map(|l| l.strip_prefix("\"$bin\" "))
        .map(|l| {
            let mut args: Vec<String> = l.split_whitespace().map(str::to_string).collect();
            let file = args.pop().expect("a file");
            assert_eq!(args.pop().as_deref(), Some("--out"), "{l}");
            (args, file)
        })
        .collect()
}

/// Width, height and RGBA pixels of a PNG file.
fn pixels(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn every_picture_in_docs_img_is_what_the_binary_draws_now() {
    let bin = env!("CARGO_BIN_EXE_dinarflow");
    let dir = tempfile::tempdir().unwrap();
    let list = commands();
    assert!(list.len() >= 6, "{list:?}");
    let mut stale = Vec::new();
    for (args, file) in &list {
        let name = Path::new(file).file_name().unwrap();
        let fresh = dir.path().join(name);
        let out = Command::new(bin)
            .args(args)
            .arg("--out")
            .arg(&fresh)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let same = if file.ends_with(".png") {
            let (a, b) = (pixels(Path::new(file)), pixels(&fresh));
            (a.0, a.1) == (b.0, b.1) && a.2 == b.2
        } else {
            std::fs::read(file).ok() == std::fs::read(&fresh).ok()
        };
        if !same {
            stale.push(format!("{file} (dinarflow {} --out {file})", args.join(" ")));
        }
    }
    assert!(
        stale.is_empty(),
        "stale pictures; run docs/img/make.sh and commit them:\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_pictures_are_slides() {
    for (args, file) in commands() {
        if file.ends_with(".png") {
            assert!(args.windows(2).any(|w| w == ["--size", "1280x720"]), "{file}");
            let (w, h, _) = pixels(Path::new(&file));
            assert_eq!((w, h), (1280, 720), "{file}");
        }
    }
}
