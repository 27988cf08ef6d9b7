//! Which build of the block code runs: each step of the month is
//! compiled three times (AVX-512, AVX2 and portable x86-64), as a function
//! of its own with its lane operations inlined, and the widest build this
//! processor has is picked once per thread's scratch. The results are the
//! same on every build: integer operations are exact and `f64` ones
//! correctly rounded either way. This file holds the crate's only `unsafe`
//! code: calling a function compiled for instructions that
//! `is_x86_feature_detected!` found.

#![allow(unsafe_code)]

use super::Kernel;
use crate::num::fixed::Num;
use crate::num::lanes::Block;

/// One block of `n <= LANES` draws: their inputs in units (`k` per draw)
/// and where their metrics go (`m` per draw).
pub(super) struct Job<'a> {
    pub places: &'a [u32],
    pub units: &'a [i64],
    pub n: usize,
    pub exact_scale: bool,
    pub out: &'a mut [Num],
}

/// An instruction set the block code runs on. Each step of the month
/// (and the block's setup) is compiled as a function of its own for each
/// set, with the lane operations it uses inlined into it: `step` runs `f`,
/// an `#[inline(always)]` closure, inside that function. Keeping the steps
/// apart, rather than one function for the whole month, keeps the
/// compiler's work linear: a fresh release build takes about a minute for
/// the crate instead of eleven.
pub(super) trait Isa: Copy {
    /// Runs one of the month's steps, compiled for this instruction set.
    fn step<R>(self, f: impl FnOnce() -> R) -> R;
}

/// Portable x86-64 (or any other architecture).
#[derive(Debug, Clone, Copy)]
pub(super) struct Portable;

impl Isa for Portable {
    #[inline(always)]
    fn step<R>(self, f: impl FnOnce() -> R) -> R {
        apart(f)
    }
}

/// `f` as a function of its own, never inlined into its caller.
#[inline(never)]
fn apart<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// AVX2 with BMI; only [`Detected::find`] makes one, after finding the
/// instructions on this processor.
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, Copy)]
pub(super) struct Avx2(());

#[cfg(target_arch = "x86_64")]
impl Isa for Avx2 {
    #[inline(always)]
    fn step<R>(self, f: impl FnOnce() -> R) -> R {
        // SAFETY: an `Avx2` exists only where `Detected::find` found the
        // instructions `avx2_run` is compiled for.
        unsafe { avx2_run(f) }
    }
}

/// AVX-512 (F, DQ, VL) with AVX2 and BMI; only [`Detected::find`] makes one.
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, Copy)]
pub(super) struct Avx512(());

#[cfg(target_arch = "x86_64")]
impl Isa for Avx512 {
    #[inline(always)]
    fn step<R>(self, f: impl FnOnce() -> R) -> R {
        // SAFETY: an `Avx512` exists only where `Detected::find` found the
        // instructions `avx512_run` is compiled for.
        unsafe { avx512_run(f) }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn avx2_run<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn avx512_run<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// The instruction set the block code runs on.
#[derive(Debug, Clone, Copy)]
enum Detected {
    Base,
    #[cfg(target_arch = "x86_64")]
    Avx2(Avx2),
    #[cfg(target_arch = "x86_64")]
    Avx512(Avx512),
}

impl Detected {
    fn find() -> Detected {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let common = has!("bmi1") && has!("bmi2") && has!("lzcnt") && has!("popcnt") && has!("avx2");
            if common && has!("avx512f") && has!("avx512dq") && has!("avx512vl") {
                return Detected::Avx512(Avx512(()));
            }
            if common {
                return Detected::Avx2(Avx2(()));
            }
        }
        Detected::Base
    }
}

/// Per-thread working memory for [`Kernel::eval_units`]: the block's lanes
/// and the instruction set to run them on.
#[derive(Debug, Clone)]
pub struct BlockScratch {
    block: Block,
    isa: Detected,
}

impl Default for BlockScratch {
    fn default() -> Self {
        BlockScratch::new()
    }
}

impl BlockScratch {
    /// Scratch for this processor's widest instructions.
    pub fn new() -> Self {
        BlockScratch {
            block: Block::default(),
            isa: Detected::find(),
        }
    }

    /// The same scratch on the portable code, without vector instructions
    /// (for tests: every instruction set must give the same results).
    pub fn portable(mut self) -> Self {
        self.isa = Detected::Base;
        self
    }

    /// Runs one block on the chosen build; `false` when the block must go
    /// draw by draw.
    pub(super) fn run(&mut self, k: &Kernel<'_>, job: Job<'_>) -> bool {
        let b = &mut self.block;
        match self.isa {
            #[cfg(target_arch = "x86_64")]
            Detected::Avx512(isa) => k.block(isa, b, job),
            #[cfg(target_arch = "x86_64")]
            Detected::Avx2(isa) => k.block(isa, b, job),
            Detected::Base => k.block(Portable, b, job),
        }
    }
}
