//! Generated datasets for the benchmark: many events spread over the real time range.

use crate::data::{Atlas, Date, Parsed};

/// The real atlas with its events repeated, shifted by deterministic pseudo-random days, until
/// there are `n` events (sorted by date, like a loaded atlas).
pub fn synthetic_atlas(real: &Atlas, n: usize) -> Atlas {
    let mut atlas = real.clone();
    atlas.events.clear();
    if real.events.is_empty() {
        return atlas;
    }
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for k in 0..n {
        let mut e = real.events[k % real.events.len()].clone();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let year = 1947 + (x % 80) as i32;
        let month = 1 + ((x >> 8) % 12) as u8;
        let day = 1 + ((x >> 16) % 28) as u8;
        let d = Date::ymd(year, month, day);
        e.date = Parsed { raw: d.to_iso(), value: Ok(d) };
        e.end = None;
        e.id = format!("{}-{k}", e.id);
        atlas.events.push(e);
    }
    crate::order::sort_by_key(&mut atlas.events, |e| e.start().sort_key());
    atlas
}

#[cfg(test)]
mod tests {
    #[test]
    fn generates_sorted_events() {
        let real = crate::data::load_embedded().unwrap();
        let big = super::synthetic_atlas(&real, 10_000);
        assert_eq!(big.events.len(), 10_000);
        assert!(big.events.windows(2).all(|w| w[0].start() <= w[1].start()));
    }
}
