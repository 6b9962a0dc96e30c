//! The standard normal distribution, in the few forms the range forecast needs.
//!
//! `erfc` is the Chebyshev fit of Numerical Recipes (`erfcc`, relative error below 1.2 × 10⁻⁷
//! everywhere). It is written as `t · exp(poly)`, so its logarithm stays exact far in the
//! tails, where `Φ` itself would underflow: the partial moments of an item that has long run
//! past its estimate are ratios of two such tail values.

/// `erfc(|x|)` as `(t, poly)` with `erfc(|x|) = t · exp(poly)`.
fn erfc_parts(x: f64) -> (f64, f64) {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    (t, poly)
}

/// `ln erfc(x)`, finite for every finite `x`.
fn ln_erfc(x: f64) -> f64 {
    let (t, poly) = erfc_parts(x);
    let upper = t.ln() + poly;
    if x >= 0.0 {
        upper
    } else {
        // erfc(−z) = 2 − erfc(z).
        (2.0 - upper.exp()).ln()
    }
}

/// `Φ(x)`, the standard normal distribution function.
pub(super) fn cdf(x: f64) -> f64 {
    if x.is_nan() {
        return 0.5;
    }
    let (t, poly) = erfc_parts(x / std::f64::consts::SQRT_2);
    let tail = 0.5 * t * poly.exp();
    if x >= 0.0 { 1.0 - tail } else { tail }
}

/// `ln Φ(x)`.
pub(super) fn ln_cdf(x: f64) -> f64 {
    ln_erfc(-x / std::f64::consts::SQRT_2) - std::f64::consts::LN_2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distribution_function_matches_known_values() {
        assert!((cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((cdf(1.281_551_565_5) - 0.9).abs() < 1e-7);
        assert!((cdf(-1.281_551_565_5) - 0.1).abs() < 1e-7);
        assert!((cdf(1.959_963_985) - 0.975).abs() < 1e-7);
        assert!(cdf(-40.0) >= 0.0 && cdf(40.0) <= 1.0 + 1e-12);
    }

    #[test]
    fn the_log_stays_exact_in_the_far_lower_tail() {
        // Φ(−10) = 7.6198530241605e−24.
        let want = 7.619_853_024_160_5e-24_f64.ln();
        assert!((ln_cdf(-10.0) - want).abs() < 1e-6);
        assert!(ln_cdf(-60.0).is_finite());
        assert!(ln_cdf(8.0).abs() < 1e-12);
    }
}
