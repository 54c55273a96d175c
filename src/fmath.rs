//! The transcendental functions the app uses.
//!
//! - [`sin_cos`], `cos`, `tan`, `ln` and [`pos_powf`] (x^y for x > 0, through a series exponential)
//!   are the wasm's own code, the same in the browser and natively: series after a range
//!   reduction, within a few units in the last place of the standard library's (tested
//!   against it). The map's projection calls them for each of the
//!   borders' 10,000 vertices at load; as calls to JavaScript's `Math` each of those 40,000
//!   calls went through a JavaScript frame that boxed its numbers, and the boxes set off minor
//!   garbage collections: in Chromium 156, with the CPU 4× slower, the projection and those
//!   collections were 54–67 % of the borders' decoding task (61–91 ms, a long task), which
//!   now takes 25–53 ms.
//! - `atan`, `atan2`, `exp`, `log10` and `powf`: JavaScript's `Math` in the browser (built in,
//!   and like the standard library's, correct to within an ulp), the standard library's
//!   elsewhere, which keeps their software implementations out of the wasm. They are called a
//!   few times per user action; `log10` and `powf` give the axes' powers of ten exactly, and
//!   `exp` makes a wheel step out undo a wheel step in to the last bit (the series exponential,
//!   an ulp or two off, left the timeline at "1946 to 2027" instead of the full 1946 to 2028).

use std::f64::consts::{FRAC_PI_2, LN_2};

macro_rules! unary {
    ($($name:ident => $js:ident),*) => {$(
        #[inline]
        pub fn $name(x: f64) -> f64 {
            #[cfg(target_arch = "wasm32")]
            return js_sys::Math::$js(x);
            #[cfg(not(target_arch = "wasm32"))]
            return x.$name();
        }
    )*};
}

unary!(atan => atan, exp => exp, log10 => log10);

/// `x.sin()` and `x.cos()`. The reduction by multiples of π/2 keeps its accuracy for |x| up to
/// about 10⁵ (the app's angles are a few radians); beyond 10⁹, or not finite: NaN.
pub fn sin_cos(x: f64) -> (f64, f64) {
    if x.is_nan() || x.abs() >= 1e9 {
        return (f64::NAN, f64::NAN);
    }
    // π/2 as a sum of two doubles (`FRAC_PI_2` and what it leaves out), so that x − kπ/2
    // loses little.
    const PIO2_LO: f64 = 6.123_233_995_736_766e-17;
    // floor(· + ½): a wasm instruction, where `round` would pull in a libm function.
    let k = (x / FRAC_PI_2 + 0.5).floor();
    let r = (x - k * FRAC_PI_2) - k * PIO2_LO;
    // |r| ≤ π/4: the series' terms fall below 10⁻¹⁷ of the sum by r¹⁷ and r¹⁸.
    let r2 = r * r;
    let (mut s, mut c) = (r, 1.0);
    let (mut ts, mut tc) = (r, 1.0);
    for i in 1..10 {
        let n = (2 * i) as f64;
        tc *= -r2 / ((n - 1.0) * n);
        ts *= -r2 / (n * (n + 1.0));
        c += tc;
        s += ts;
    }
    match (k as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

/// `x.cos()`, see [`sin_cos`].
pub fn cos(x: f64) -> f64 {
    sin_cos(x).1
}

/// `x.tan()`, see [`sin_cos`].
pub fn tan(x: f64) -> f64 {
    let (s, c) = sin_cos(x);
    s / c
}

/// `x.ln()`: x = m·2ᵉ with m in [√½, √2), ln m by the series of atanh((m − 1)/(m + 1)).
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    // Subnormals: scaled into the normal range first.
    let (x, e0) = if x < f64::MIN_POSITIVE { (x * 18_446_744_073_709_551_616.0, -64) } else { (x, 0) };
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023 + e0;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    // |s| ≤ 0.172: the terms fall below 10⁻¹⁷ of the sum by s²¹.
    let (mut sum, mut t) = (0.0, s);
    for k in 0..11 {
        sum += t / (2 * k + 1) as f64;
        t *= s2;
    }
    e as f64 * LN_2 + 2.0 * sum
}

/// `x.powf(y)` for `x` > 0 (NaN for `x` < 0), as e^(y ln x) by [`ln`] and [`exp_series`].
pub fn pos_powf(x: f64, y: f64) -> f64 {
    exp_series(y * ln(x))
}

/// `x.exp()`: x = k·ln 2 + r with |r| ≤ ½ ln 2, eʳ by its series, times 2ᵏ.
fn exp_series(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.79 {
        return f64::INFINITY;
    }
    if x < -745.2 {
        return 0.0;
    }
    // ln 2 as a sum of two doubles, so that x − k ln 2 loses little.
    // (The high part has its last 21 bits zero: k · LN2_HI is exact.)
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let k = (x / LN_2 + 0.5).floor();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // |r| ≤ 0.347: the terms fall below 10⁻¹⁷ of the sum by r¹⁴. eʳ − 1 by Horner's rule
    // from the smallest term, then 1 added once.
    let mut m = 0.0;
    for n in (1..15).rev() {
        m = r / n as f64 * (1.0 + m);
    }
    let sum = 1.0 + m;
    // 2ᵏ in two factors, so that k down to −1075 stays representable.
    let k = k as i64;
    let half = k / 2;
    let pow2 = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
    sum * pow2(half) * pow2(k - half)
}

/// `y.atan2(x)`.
#[inline]
pub fn atan2(y: f64, x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::atan2(y, x);
    #[cfg(not(target_arch = "wasm32"))]
    return y.atan2(x);
}

/// `x.powf(e)`.
#[inline]
pub fn powf(x: f64, e: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::pow(x, e);
    #[cfg(not(target_arch = "wasm32"))]
    return x.powf(e);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points across the ranges the app uses and beyond: a fine grid and the edges.
    fn grid(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
        (0..=n).map(move |i| lo + (hi - lo) * i as f64 / n as f64)
    }

    #[test]
    fn sine_cosine_and_tangent_are_the_standard_librarys_within_a_few_ulps() {
        for x in grid(-50.0, 50.0, 200_001).chain([0.0, -0.0, 1e-300, FRAC_PI_2, std::f64::consts::PI, 1e5 + 0.3]) {
            let (s, c) = sin_cos(x);
            // Absolute against the larger of 1 and |x|: near a zero of sin or cos the reduction's
            // own rounding (as in any implementation) is what is left.
            let tol = 4.0 * f64::EPSILON * x.abs().max(1.0);
            assert!((s - x.sin()).abs() <= tol, "sin({x}) = {s}, std {}", x.sin());
            assert!((c - x.cos()).abs() <= tol, "cos({x}) = {c}, std {}", x.cos());
            if x.cos().abs() > 0.1 {
                assert!(
                    (tan(x) - x.tan()).abs() <= 8.0 * f64::EPSILON * x.tan().abs().max(1.0) * x.abs().max(1.0),
                    "tan({x})"
                );
            }
        }
        assert_eq!(sin_cos(0.0), (0.0, 1.0));
        assert!(sin_cos(f64::NAN).0.is_nan() && cos(f64::INFINITY).is_nan() && sin_cos(1e10).0.is_nan());
    }

    #[test]
    fn logarithm_and_exponential_are_the_standard_librarys_within_a_few_ulps() {
        let rel = |a: f64, b: f64| if b == 0.0 { a.abs() } else { ((a - b) / b).abs() };
        for x in grid(1e-6, 50.0, 100_000).chain([1.0, 2.0, 0.5, 1e-310, 5e-324, 1e300, f64::MAX, std::f64::consts::E])
        {
            assert!(
                rel(ln(x), x.ln()) <= 4.0 * f64::EPSILON || (ln(x) - x.ln()).abs() <= 4.0 * f64::EPSILON,
                "ln({x}) = {}, std {}",
                ln(x),
                x.ln()
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert!(ln(-1.0).is_nan() && ln(f64::NAN).is_nan());
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert_eq!(ln(f64::INFINITY), f64::INFINITY);
        for x in grid(-740.0, 709.0, 100_000).chain([0.0, 1.0, -1.0, 1e-300, 709.78, -745.0]) {
            let (a, b) = (exp_series(x), x.exp());
            // Subnormal results keep fewer digits: compared absolutely there.
            assert!(
                rel(a, b) <= 4.0 * f64::EPSILON || (b < 1e-300 && (a - b).abs() <= 1e-320),
                "exp({x}) = {a}, std {b}"
            );
        }
        assert_eq!(exp_series(0.0), 1.0);
        assert_eq!(exp_series(710.0), f64::INFINITY);
        assert_eq!(exp_series(-800.0), 0.0);
        assert!(exp_series(f64::NAN).is_nan());
        assert_eq!(exp_series(f64::NEG_INFINITY), 0.0);
        for (x, y) in [(10.0, 3.0), (0.5, 0.7163), (1.7, -0.7163), (11459.0, 0.7163), (0.087, -0.7163)] {
            assert!(rel(pos_powf(x, y), x.powf(y)) <= 8.0 * f64::EPSILON, "pos_powf({x}, {y})");
        }
        assert!(pos_powf(-1.0, 2.0).is_nan());
    }
}
