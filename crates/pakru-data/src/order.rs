//! Sorting with one copy of the sort in the wasm.
//!
//! Each `sort_by`/`sort_by_key` call with its own closure compiles its own copy of the standard
//! library's sort (several kilobytes each). Here the keys are whole numbers, the sort runs on
//! `(key, index)` pairs (one instantiation for the whole app) and the items are then moved into
//! that order. Ties keep their original order, so this is a stable sort.

/// Sorts `v` by `key`, stably.
pub fn sort_by_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> i64) {
    let order = order(v.iter().map(key));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// The indices of `keys` in ascending key order, ties in index order.
pub fn order(keys: impl Iterator<Item = i64>) -> Vec<usize> {
    let mut pairs: Vec<(i64, u32)> = keys.zip(0u32..).collect();
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i as usize).collect()
}

/// A key that orders floats as [`f64::total_cmp`] does (−NaN < −∞ < … < −0 < +0 < … < +∞ < NaN).
pub fn f64_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_the_standard_stable_sort(v in proptest::collection::vec((-5i64..5, any::<u8>()), 0..60)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std_sorted = v;
            std_sorted.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std_sorted);
        }

        #[test]
        fn float_keys_order_like_total_cmp(a in any::<f64>(), b in any::<f64>()) {
            prop_assert_eq!(f64_key(a).cmp(&f64_key(b)), a.total_cmp(&b));
        }
    }

    #[test]
    fn special_floats() {
        let mut v = vec![f64::NAN, 1.0, -0.0, f64::INFINITY, 0.0, -1.0, f64::NEG_INFINITY];
        sort_by_key(&mut v, |&x| f64_key(x));
        assert_eq!(format!("{v:?}"), "[-inf, -1.0, -0.0, 0.0, 1.0, inf, NaN]");
    }
}
