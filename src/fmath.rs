//! The transcendental functions the app uses: JavaScript's `Math` in the browser (built in, and
//! like the standard library's, correct to within an ulp), the standard library's elsewhere.
//! This keeps their software implementations, about 12 KB, out of the wasm.

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

unary!(sin => sin, cos => cos, tan => tan, atan => atan, exp => exp, ln => log, log10 => log10);

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
