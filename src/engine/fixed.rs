//! The arithmetic the fast kernel is written against, in two widths: a
//! 64-bit mantissa for the common case (cents and short rates: a few
//! machine instructions an operation) and the 128-bit [`Num`]. Both are
//! exact; each operation either gives the exact result, which then also
//! fits a `Decimal`, or declines, and the kernel retries the evaluation one
//! width up (and finally on the `Decimal` engine).

use std::cmp::Ordering;

use crate::num::fixed::Num;
use crate::num::quotient::{half_even, P10};

/// Exact fixed-point arithmetic that declines instead of rounding.
pub trait Fixed: Copy + PartialEq {
    const ZERO: Self;
    fn int(v: i64) -> Self;
    fn from_num(n: Num) -> Option<Self>;
    fn to_num(self) -> Num;
    fn plus(self, o: Self) -> Option<Self>;
    fn minus(self, o: Self) -> Option<Self>;
    fn times(self, o: Self) -> Option<Self>;
    /// Half to even to `dp` places, scale fixed at `dp` (`round2`, `round4`).
    fn round(self, dp: u32) -> Option<Self>;
    fn cmp_num(self, o: Self) -> Ordering;
    fn is_zero(self) -> bool;
    /// The smaller value; the first when equal (as `Decimal::min`).
    fn min(self, o: Self) -> Self {
        if o.cmp_num(self) == Ordering::Less {
            o
        } else {
            self
        }
    }
}

impl Fixed for Num {
    const ZERO: Self = Num::ZERO;
    fn int(v: i64) -> Self {
        Num::int(v)
    }
    fn from_num(n: Num) -> Option<Self> {
        Some(n)
    }
    fn to_num(self) -> Num {
        self
    }
    fn plus(self, o: Self) -> Option<Self> {
        Num::plus(self, o)
    }
    fn minus(self, o: Self) -> Option<Self> {
        Num::minus(self, o)
    }
    fn times(self, o: Self) -> Option<Self> {
        Num::times(self, o)
    }
    fn round(self, dp: u32) -> Option<Self> {
        Num::round(self, dp)
    }
    fn cmp_num(self, o: Self) -> Ordering {
        Num::cmp_num(self, o)
    }
    fn is_zero(self) -> bool {
        Num::is_zero(self)
    }
}

/// `m / 10^s` with a 64-bit mantissa (always within a `Decimal`'s 96 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num64 {
    pub m: i64,
    pub s: u32,
}

impl Num64 {
    #[inline]
    fn aligned(self, s: u32) -> Option<i64> {
        self.m.checked_mul(*P10.get((s - self.s) as usize)?)
    }
}

impl Fixed for Num64 {
    const ZERO: Self = Num64 { m: 0, s: 0 };
    #[inline]
    fn int(v: i64) -> Self {
        Num64 { m: v, s: 0 }
    }
    fn from_num(n: Num) -> Option<Self> {
        Some(Num64 {
            m: i64::try_from(n.m).ok()?,
            s: n.s,
        })
    }
    #[inline]
    fn to_num(self) -> Num {
        Num {
            m: i128::from(self.m),
            s: self.s,
        }
    }
    #[inline]
    fn plus(self, o: Self) -> Option<Self> {
        if self.s == o.s {
            return Some(Num64 {
                m: self.m.checked_add(o.m)?,
                s: self.s,
            });
        }
        let s = self.s.max(o.s);
        Some(Num64 {
            m: self.aligned(s)?.checked_add(o.aligned(s)?)?,
            s,
        })
    }
    #[inline]
    fn minus(self, o: Self) -> Option<Self> {
        self.plus(Num64 {
            m: o.m.checked_neg()?,
            s: o.s,
        })
    }
    #[inline]
    fn times(self, o: Self) -> Option<Self> {
        let s = self.s + o.s;
        (s <= 28).then_some(())?;
        Some(Num64 {
            m: self.m.checked_mul(o.m)?,
            s,
        })
    }
    #[inline]
    fn round(self, dp: u32) -> Option<Self> {
        if self.s <= dp {
            return Some(Num64 {
                m: self.m.checked_mul(*P10.get((dp - self.s) as usize)?)?,
                s: dp,
            });
        }
        let k = self.s - dp;
        let m = match k {
            1 => half_even(self.m, 10),
            2 => half_even(self.m, 100),
            3 => half_even(self.m, 1_000),
            4 => half_even(self.m, 10_000),
            5 => half_even(self.m, 100_000),
            6 => half_even(self.m, 1_000_000),
            _ => half_even(self.m, *P10.get(k as usize)?),
        };
        Some(Num64 { m, s: dp })
    }
    #[inline]
    fn cmp_num(self, o: Self) -> Ordering {
        if self.s == o.s {
            return self.m.cmp(&o.m);
        }
        let s = self.s.max(o.s);
        match (self.aligned(s), o.aligned(s)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_num().cmp_num(o.to_num()),
        }
    }
    #[inline]
    fn is_zero(self) -> bool {
        self.m == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(s: &str) -> (Num, Num64) {
        let n = Num::from_dec(s.parse().unwrap());
        (n, Num64::from_num(n).unwrap())
    }

    #[test]
    fn the_two_widths_agree_where_both_succeed() {
        let xs = [
            "0",
            "1.5",
            "-0.125",
            "0.135",
            "78.31",
            "3422000",
            "0.000001",
            "-2.5",
            "999999.995",
            "12.3456789",
        ];
        for a in xs {
            for b in xs {
                let ((na, wa), (nb, wb)) = (both(a), both(b));
                for (w, n) in [
                    (wa.plus(wb), na.plus(nb)),
                    (wa.minus(wb), na.minus(nb)),
                    (wa.times(wb), na.times(nb)),
                ] {
                    if let Some(w) = w {
                        assert_eq!(Some(w.to_num()), n, "{a} {b}");
                    }
                }
                assert_eq!(wa.cmp_num(wb), na.cmp_num(nb), "{a} {b}");
            }
            for dp in [0, 2, 4] {
                let (n, w) = both(a);
                assert_eq!(w.round(dp).map(Num64::to_num), n.round(dp), "{a} at {dp}");
            }
        }
    }

    #[test]
    fn overflow_declines() {
        let big = Num64 {
            m: i64::MAX / 2,
            s: 0,
        };
        assert!(big.times(Num64::int(3)).is_none());
        assert!(big.plus(big).is_some());
        assert!(big.plus(big).unwrap().plus(big).is_none());
        assert!(Num64 { m: 5, s: 0 }.plus(Num64 { m: 1, s: 18 }).is_some());
        assert!(Num64 { m: 50, s: 0 }.plus(Num64 { m: 1, s: 18 }).is_none());
    }
}
