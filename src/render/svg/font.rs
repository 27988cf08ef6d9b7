//! The one font every chart is drawn in, Liberation Sans (SIL Open Font
//! License, `assets/fonts/LICENSE`), embedded in the binary: the SVG asks
//! for it by name (with the faces that share its widths, Arial and
//! Helvetica, after it), the PNG renderer draws with these very files, and
//! text is measured with its glyphs' advances, so labels are placed where
//! they fit on every machine.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The regular face.
pub(crate) const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
/// The bold face.
pub(crate) const BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");
/// The family the embedded faces are named by.
pub(crate) const NAME: &str = "Liberation Sans";
/// The SVG `font-family` of every text: the embedded face first, then
/// faces with the same widths, then any sans-serif.
pub(crate) const FAMILY: &str = "Liberation Sans, Arial, Helvetica, sans-serif";

/// How wide `text` is at `px` pixels, in pixels (no kerning: a little
/// wide, never narrow, for the pairs that kern).
pub(crate) fn width(text: &str, px: f64, bold: bool) -> f64 {
    let Ok(font) = FontRef::new(if bold { BOLD } else { REGULAR }) else {
        return text.chars().count() as f64 * px * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(px as f32), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .map_or(px * 0.6, f64::from)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_glyphs() {
        // Arial's widths: a digit is 0.556 em, a space 0.278 em.
        assert!((width("0", 100.0, false) - 55.6).abs() < 0.1);
        assert!((width("1 000", 100.0, false) - 4.0 * 55.6 - 27.8).abs() < 0.5);
        assert!(width("Parallel rate", 14.0, true) > width("Parallel rate", 14.0, false));
        // Every character the charts use has a glyph.
        let font = FontRef::new(REGULAR).unwrap();
        for c in "–…μσ±×·≥$%€".chars() {
            assert!(font.charmap().map(c).is_some(), "{c}");
        }
    }
}
