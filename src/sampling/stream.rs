//! Counter-based random streams. Every random number is a pure function of
//! (seed, a name such as the parameter's path, the draw index, the redraw
//! count), so adding, removing or reordering other inputs never changes an
//! input's draws, any draw can be made on any thread in any order, and a
//! shard of a run makes exactly the draws of the unsharded run.
//!
//! The generator is SplitMix64's output function applied at a counter
//! position of a stream keyed by a hash of the name, followed by a second
//! mixing round with the key so that streams of related keys do not share
//! structure. It passes the usual statistical batteries as SplitMix64 does
//! and costs a few nanoseconds per number.

/// 2^64 / golden ratio, SplitMix64's increment.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser (Stafford's "Mix13"): a bijection on u64 with
/// full avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-bit hash of text (FNV-1a, then mixed): stable across platforms,
/// releases and runs, unlike `std`'s randomly keyed hasher.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix64(h ^ (s.len() as u64))
}

/// The most draws a stream addresses (the counter packs the redraw count
/// above bit 40).
pub const MAX_INDEX: u64 = 1 << 40;

/// One named stream of uniform numbers under a seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stream {
    key: u64,
}

impl Stream {
    /// The stream of `name` under `seed`. Use a purpose prefix in `name`
    /// (`draw:PATH`, `lhs:PATH`) so that different uses never share numbers.
    pub fn new(seed: u64, name: &str) -> Stream {
        Stream {
            key: mix64(mix64(seed ^ 0x6A09_E667_F3BC_C908) ^ hash_str(name)),
        }
    }

    /// The 64-bit key every number of the stream is derived from (a hash of the seed and
    /// the name).
    pub fn key(&self) -> u64 {
        self.key
    }

    /// 64 random bits for draw `index` (< [`MAX_INDEX`]) at redraw `attempt`.
    #[inline]
    pub fn bits(&self, index: u64, attempt: u32) -> u64 {
        let counter = (index & (MAX_INDEX - 1)) | (u64::from(attempt) << 40);
        let z = mix64(
            self.key
                .wrapping_add(GOLDEN.wrapping_mul(counter.wrapping_add(1))),
        );
        mix64(z ^ self.key.rotate_left(29))
    }

    /// A uniform number in the open interval (0, 1) with 52 random bits;
    /// never exactly 0 or 1, so every inverse CDF is finite.
    #[inline]
    pub fn uniform(&self, index: u64, attempt: u32) -> f64 {
        unit(self.bits(index, attempt))
    }
}

/// The top 52 bits of `bits` as a number in (0, 1): (k + 0.5) / 2^52,
/// exact in an `f64` (k + 0.5 needs 53 bits).
#[inline]
pub fn unit(bits: u64) -> f64 {
    (crate::num::convert::u52_to_f64(bits >> 12) + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// A keyed pseudo-random permutation of `0..n` evaluated one element at a
/// time, without storing it: a four-round Feistel network on the smallest
/// power-of-four domain that holds `n`, cycle-walking back into `0..n`.
/// Latin hypercube strata and Iman–Conover score orders come from it.
#[derive(Debug, Clone, Copy)]
pub struct Permutation {
    n: u64,
    half: u32,
    mask: u64,
    keys: [u64; 4],
}

impl Permutation {
    /// The permutation of `0..n` keyed by the first four numbers of `stream`.
    pub fn new(stream: Stream, n: u64) -> Permutation {
        let bits = 64 - n.saturating_sub(1).leading_zeros();
        let half = bits.div_ceil(2);
        let mask = (1u64 << half) - 1;
        let keys = [
            stream.bits(0, 0),
            stream.bits(1, 0),
            stream.bits(2, 0),
            stream.bits(3, 0),
        ];
        Permutation { n, half, mask, keys }
    }

    /// The image of `i` (< n).
    #[inline]
    pub fn apply(&self, i: u64) -> u64 {
        let mut x = i;
        loop {
            x = self.round_trip(x);
            if x < self.n {
                return x;
            }
        }
    }

    #[inline]
    fn round_trip(&self, x: u64) -> u64 {
        let (mut l, mut r) = (x >> self.half, x & self.mask);
        for k in self.keys {
            let f = mix64(r ^ k) & self.mask;
            (l, r) = (r, l ^ f);
        }
        (l << self.half) | r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_are_open_and_depend_on_every_coordinate() {
        let s = Stream::new(1, "draw:a");
        let t = Stream::new(1, "draw:b");
        let u = Stream::new(2, "draw:a");
        assert_ne!(s.bits(0, 0), t.bits(0, 0));
        assert_ne!(s.bits(0, 0), u.bits(0, 0));
        assert_ne!(s.bits(0, 0), s.bits(1, 0));
        assert_ne!(s.bits(0, 0), s.bits(0, 1));
        assert!(unit(0) > 0.0 && unit(u64::MAX) < 1.0);
    }

    #[test]
    fn permutations_are_bijections() {
        for n in [1u64, 2, 3, 10, 64, 100, 1000, 4097] {
            let p = Permutation::new(Stream::new(7, "perm"), n);
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let j = p.apply(i) as usize;
                assert!(!seen[j], "{n}: {j} twice");
                seen[j] = true;
            }
        }
    }

    #[test]
    fn uniform_mean_and_variance() {
        let s = Stream::new(3, "x");
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|i| s.uniform(i, 0)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Standard errors: sqrt(1/12/n) = 0.00065 for the mean.
        assert!((mean - 0.5).abs() < 0.003, "{mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.002, "{var}");
    }
}
