//! The PNG renderer (`--format png`): the chart's SVG drawn by resvg with
//! the embedded font (`svg/font.rs`), never the system's, so the same
//! chart gives the same pixels on every machine. The picture is as large
//! as the SVG says (its `width` and `height`, which `--size` sets) on a
//! white background.

use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{fontdb, Options, Tree};

use super::svg::font;

/// The fonts a chart is drawn with: the embedded faces alone.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(font::REGULAR.to_vec());
            db.load_font_data(font::BOLD.to_vec());
            db.set_sans_serif_family(font::NAME);
            Arc::new(db)
        })
        .clone()
}

/// `svg` drawn as PNG bytes.
pub fn png(svg: &str) -> io::Result<Vec<u8>> {
    let options = Options {
        font_family: font::NAME.to_string(),
        fontdb: fonts(),
        ..Options::default()
    };
    let tree =
        Tree::from_str(svg, &options).map_err(|e| io::Error::other(format!("drawing the chart: {e}")))?;
    let size = tree.size().to_int_size();
    let mut pixmap = Pixmap::new(size.width(), size.height())
        .ok_or_else(|| io::Error::other("drawing the chart: the picture has no pixels"))?;
    pixmap.fill(Color::WHITE);
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| io::Error::other(format!("writing the PNG: {e}")))
}

/// Writes `svg` as PNG to `out`.
pub(super) fn write(svg: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&png(svg)?)
}
