//! The little dense linear algebra rank correlation needs: the Cholesky
//! factor of a small symmetric matrix (which also decides positive
//! definiteness) and triangular solves. Matrices are row-major `Vec<f64>`.

/// The lower-triangular `L` with `L Lᵀ = a` for a symmetric `n × n` matrix;
/// `Err(j)` when `a` is not positive definite, `j` being the first column
/// where that shows (so the leading `(j+1) × (j+1)` block is already not
/// positive definite).
pub fn cholesky(a: &[f64], n: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        // A tolerance relative to the diagonal: a matrix that is singular up
        // to rounding is not positive definite either.
        if d.is_nan() || d <= 1e-10 * a[j * n + j].abs().max(1.0) {
            return Err(j);
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / d;
        }
    }
    Ok(l)
}

/// Solves `L x = b` for lower-triangular `l` (`n × n`), in place.
pub fn solve_lower(l: &[f64], n: usize, b: &mut [f64]) {
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
}

/// `L x` for lower-triangular `l`, into `out`.
pub fn mul_lower(l: &[f64], n: usize, x: &[f64], out: &mut [f64]) {
    for i in 0..n {
        out[i] = (0..=i).map(|k| l[i * n + k] * x[k]).sum();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_and_solve() {
        let a = [4.0, 2.0, 2.0, 3.0];
        let l = cholesky(&a, 2).unwrap();
        assert_eq!(l, vec![2.0, 0.0, 1.0, 2f64.sqrt()]);
        let mut x = [2.0, 1.0 + 2f64.sqrt()];
        solve_lower(&l, 2, &mut x);
        assert!((x[0] - 1.0).abs() < 1e-12 && (x[1] - 1.0).abs() < 1e-12);
        let mut y = [0.0; 2];
        mul_lower(&l, 2, &[1.0, 1.0], &mut y);
        assert!((y[1] - (1.0 + 2f64.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn not_positive_definite() {
        // a~b 0.9, b~c 0.9, a~c -0.9 cannot all hold.
        let a = [1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0];
        assert_eq!(cholesky(&a, 3), Err(2));
        assert_eq!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2), Err(1));
    }
}
