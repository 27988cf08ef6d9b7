//! Which build of the block code runs: the lane loops are compiled three
//! times (AVX-512, AVX2 and portable x86-64), and the widest this
//! processor has is picked once per thread's scratch. The results are the
//! same on every build: integer operations are exact and `f64` ones
//! correctly rounded either way. This file holds the crate's only
//! `unsafe` code: calling a function compiled for instructions that
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

/// The instruction set the block code runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Isa {
    Base,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Isa {
    fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let common = has!("bmi1") && has!("bmi2") && has!("lzcnt") && has!("popcnt") && has!("avx2");
            if common && has!("avx512f") && has!("avx512dq") && has!("avx512vl") {
                return Isa::Avx512;
            }
            if common {
                return Isa::Avx2;
            }
        }
        Isa::Base
    }
}

/// Per-thread working memory for [`Kernel::eval_units`]: the block's lanes
/// and the instruction set to run them on.
#[derive(Debug, Clone)]
pub struct BlockScratch {
    block: Block,
    isa: Isa,
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
            isa: Isa::detect(),
        }
    }

    /// The same scratch on the portable code, without vector instructions
    /// (for tests: every instruction set must give the same results).
    pub fn portable(mut self) -> Self {
        self.isa = Isa::Base;
        self
    }

    /// Runs one block on the chosen build; `false` when the block must go
    /// draw by draw.
    pub(super) fn run(&mut self, k: &Kernel<'_>, job: Job<'_>) -> bool {
        let b = &mut self.block;
        match self.isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::detect` found these instructions on this processor.
            Isa::Avx512 => unsafe { avx512(k, b, job) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            Isa::Avx2 => unsafe { avx2(k, b, job) },
            Isa::Base => k.block(b, job),
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn avx512(k: &Kernel<'_>, b: &mut Block, job: Job<'_>) -> bool {
    k.block(b, job)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn avx2(k: &Kernel<'_>, b: &mut Block, job: Job<'_>) -> bool {
    k.block(b, job)
}
