//! Points of a Sobol' low-discrepancy sequence for the Saltelli design,
//! from the `sobol_burley` crate (Joe–Kuo direction numbers, Owen
//! scrambling seeded by `--seed`). The crate's own `sample` returns `f32`;
//! this takes the same scrambled 32-bit integer and maps it to the centre
//! of its cell, (k + 0.5) / 2^32, so a point is never exactly 0 or 1 and
//! keeps all 32 bits.

use sobol_burley::parts::{hash, owen_scramble_rev, sobol_rev};

/// Most points of one sequence.
pub const MAX_POINTS: u32 = 1 << 16;
/// Most dimensions.
pub const MAX_DIMENSIONS: u32 = sobol_burley::NUM_DIMENSIONS;

/// Coordinate `dimension` of point `index` (< [`MAX_POINTS`]) of the
/// sequence scrambled by `seed`, in (0, 1). Identical to
/// `sobol_burley::sample` up to the last bits.
pub fn point(index: u32, dimension: u32, seed: u32) -> f64 {
    let shuffled_rev_index = owen_scramble_rev(index.reverse_bits(), hash(seed ^ 0x79c6_8e4a));
    let sobol = sobol_rev(shuffled_rev_index, dimension);
    let scramble = {
        let seed = seed.wrapping_mul(0x9c8f_2d3b);
        let ds = dimension >> 2;
        ds ^ seed ^ [0x912f_69ba, 0x174f_18ab, 0x691e_72ca, 0xb40c_c1b8][dimension as usize & 0b11]
    };
    let bits = owen_scramble_rev(sobol, hash(scramble)).reverse_bits();
    (f64::from(bits) + 0.5) / 4_294_967_296.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_crate_and_stratifies() {
        for i in 0..64 {
            for d in 0..8 {
                let ours = point(i, d, 3);
                let theirs = f64::from(sobol_burley::sample(i, d, 3));
                assert!((ours - theirs).abs() < 1e-6, "{i} {d}: {ours} {theirs}");
            }
        }
        // The first 2^k points put exactly one point in each 1/2^k cell.
        for d in 0..6 {
            let mut cells = [0; 16];
            for i in 0..16 {
                cells[(point(i, d, 9) * 16.0) as usize] += 1;
            }
            assert!(cells.iter().all(|c| *c == 1), "dimension {d}: {cells:?}");
        }
    }
}
