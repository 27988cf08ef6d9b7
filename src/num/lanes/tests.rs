//! The lanes against what each draw computes alone: arithmetic, the
//! draws' own scales after a selection, and wide quantities.

use super::*;

#[test]
fn lanes_compute_what_each_draw_would() {
    let mut b = Block::default();
    b.reset(false);
    let mut xs = [0i64; LANES];
    for (k, x) in xs.iter_mut().enumerate() {
        *x = k as i64 * 125 - 4000; // −40.00 … +38.75, cents
    }
    let x = b.put(&xs, 2);
    let rate = X::constant(15, 1); // 1.5
    let y = b.mul(x, rate); // scale 3
    let r = b.round(y, 2);
    for k in 0..LANES {
        // x × 1.5 in thousandths, then half to even to cents.
        let exact = Num {
            m: i128::from(xs[k]) * 15,
            s: 3,
        };
        assert_eq!(b.num(r, k), exact.round(2).unwrap(), "lane {k}");
    }
    let sum = b.add(r, X::constant(1, 0));
    assert_eq!(b.num(sum, 0), Num { m: -5900, s: 2 });
    assert!(!b.bad);
    // Overflow marks the block instead of wrapping.
    let big = b.mul(x, X::constant(i64::MAX / 2, 0));
    let _ = big;
    assert!(b.bad);
}

#[test]
fn selections_keep_the_chosen_scale() {
    let mut b = Block::default();
    b.reset(true);
    let a = X::constant(500, 0);
    let c = b.put(&[60_000; LANES], 2); // 600.00
                                        // Every lane keeps 500: the result is `a` itself, scale 0.
    assert_eq!(b.min(a, c), a);
    let mut mixed = [60_000; LANES];
    mixed[3] = 40_000;
    let c = b.put(&mixed, 2);
    let m = b.min(a, c);
    // When the text of each scale matters, each draw keeps the scale
    // of the operand it took, as `Decimal::min` does.
    assert_eq!(b.num(m, 3), Num { m: 40_000, s: 2 });
    assert_eq!(b.num(m, 0), Num { m: 500, s: 0 });
    assert!(!b.declined());
    // Sums and products carry the draws' scales on; rounding ends them.
    let sum = b.add(m, X::constant(5, 1)); // + 0.5
    assert_eq!(b.num(sum, 0), Num { m: 5005, s: 1 });
    assert_eq!(b.num(sum, 3), Num { m: 40_050, s: 2 });
    let product = b.mul(m, X::constant(2, 0));
    assert_eq!(b.num(product, 0), Num { m: 1000, s: 0 });
    // A product of zero has scale 0, as a `Decimal`'s has.
    let zero = b.mul(m, X::constant(0, 1));
    assert_eq!(b.num(zero, 0), Num { m: 0, s: 0 });
    assert_eq!(b.num(zero, 3), Num { m: 0, s: 0 });
    let mut some_zero = [15; LANES];
    some_zero[2] = 0;
    let z = b.put(&some_zero, 1);
    let product = b.mul(z, X::constant(25, 2));
    assert_eq!(b.num(product, 2), Num { m: 0, s: 0 });
    assert_eq!(b.num(product, 1), Num { m: 375, s: 3 });
    let r = b.round(m, 2);
    assert_eq!(b.num(r, 0), Num { m: 50_000, s: 2 });
    // Kept across a month's end with its scales.
    let home = b.alloc();
    let kept = b.keep(m, home);
    assert_eq!(b.num(kept, 0), Num { m: 500, s: 0 });
    // Without the scales wanted, only values: one scale for all.
    b.reset(false);
    let c = b.put(&mixed, 2);
    let m = b.min(a, c);
    assert_eq!(b.num(m, 0), Num { m: 50_000, s: 2 });
}

#[test]
fn wide_quantities_are_read_only_where_allowed() {
    let mut b = Block::default();
    b.reset(false);
    let mut nums = [Num { m: 1 << 100, s: 28 }; LANES];
    nums[5] = Num { m: -3, s: 1 };
    let w = b.put_wide(&nums);
    assert_eq!(b.num(w, 5), Num { m: -3, s: 1 });
    assert_eq!(b.keep(w, 0), w);
    assert!(b.to_f64s(w).is_none());
    assert!(!b.declined());
    // Any lane arithmetic on it declines the block.
    let _ = b.add(w, X::constant(1, 0));
    assert!(b.declined());
    b.reset(false);
    let w = b.put_wide(&nums);
    let _ = b.get(w);
    assert!(b.declined() && !b.bad);
    b.reset(false);
    assert!(!b.declined());
}
