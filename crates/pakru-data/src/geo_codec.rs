//! The border file's compact binary form, embedded in the app instead of the JSON.
//!
//! `data/geo/region.json` stays the one source (readable, diffable, written by
//! `cargo xtask geodata`); `build.rs` encodes it with [`encode_json`] into `OUT_DIR`, and the app
//! decodes it with [`decode`]. The native `GeoData::parse` (the app's map module) goes through the very
//! same two functions, so the JSON and the embedded bytes cannot mean different things.
//!
//! # Layout
//! Numbers and strings as in [`crate::bytes`]. In order: the magic `PKGEO1`, `units_per_degree`, `format`,
//! `attribution`, `source`, the notes (count, strings); the arcs (count; per arc its point count
//! then the numbers of the JSON: first point absolute, then deltas); the units (count; per unit
//! id + 1 or 0, name, disputed flag, note flag and note, label x and y, polygons: count, per
//! polygon its rings, per ring its arc references); the disputed lines (count; name, note,
//! arcs); the hidden arcs (count, indices). The deltas are mostly under 64 hundredths of a
//! degree, so a vertex takes about two bytes.
//!
//! This file is also compiled into `build.rs` (by path), so it uses only `std`,
//! [`crate::bytes`] and, for the encoder, `serde_json`.

/// The decoded file, as the JSON has it (before projection).
#[derive(Debug, Default, PartialEq)]
pub struct RawGeo {
    pub format: String,
    pub attribution: String,
    pub source: String,
    pub notes: Vec<String>,
    pub units_per_degree: u64,
    /// Per arc: the numbers as in the JSON (x, y of the first point, then x, y deltas).
    pub arcs: Vec<Vec<i64>>,
    pub units: Vec<RawUnit>,
    pub disputed: Vec<RawDisputed>,
    pub hidden: Vec<u64>,
}

#[derive(Debug, Default, PartialEq)]
pub struct RawUnit {
    pub id: Option<u16>,
    pub name: String,
    pub disputed: bool,
    pub note: Option<String>,
    /// Polygons: first ring outer, the rest holes; rings are arc references (`i`, or `-i-1`).
    pub polygons: Vec<Vec<Vec<i64>>>,
    pub label: [i64; 2],
}

#[derive(Debug, Default, PartialEq)]
pub struct RawDisputed {
    pub name: String,
    pub note: String,
    pub arcs: Vec<u64>,
}

const MAGIC: &[u8] = b"PKGEO1";

// ---------------------------------------------------------------------------------------------
// Decoding

use crate::bytes::Reader;

fn ints(r: &mut Reader) -> Result<Vec<i64>, String> {
    let n = r.count()?;
    ints_n(r, n)
}

/// `n` signed numbers (plain loops: `collect` into a `Result` costs more wasm).
fn ints_n(r: &mut Reader, n: usize) -> Result<Vec<i64>, String> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(r.i()?);
    }
    Ok(v)
}

fn uints(r: &mut Reader) -> Result<Vec<u64>, String> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(r.u()?);
    }
    Ok(v)
}

/// Decodes the binary form. Any truncation or corruption is an error, never a panic.
pub fn decode(bytes: &[u8]) -> Result<RawGeo, String> {
    let mut r = Reader::new(bytes, MAGIC, "border data")?;
    let mut g = RawGeo { units_per_degree: r.u()?, format: r.string()?, ..RawGeo::default() };
    g.attribution = r.string()?;
    g.source = r.string()?;
    for _ in 0..r.count()? {
        g.notes.push(r.string()?);
    }
    for _ in 0..r.count()? {
        let points = r.count()?;
        g.arcs.push(ints_n(&mut r, points * 2)?);
    }
    for _ in 0..r.count()? {
        let id = match r.u()? {
            0 => None,
            n => Some(u16::try_from(n - 1).map_err(|_| r.fail("unit id out of range"))?),
        };
        let name = r.string()?;
        let disputed = r.u()? != 0;
        let note = if r.u()? != 0 { Some(r.string()?) } else { None };
        let label = [r.i()?, r.i()?];
        let mut polygons = Vec::new();
        for _ in 0..r.count()? {
            let rings = r.count()?;
            let mut ring_refs = Vec::with_capacity(rings);
            for _ in 0..rings {
                ring_refs.push(ints(&mut r)?);
            }
            polygons.push(ring_refs);
        }
        g.units.push(RawUnit { id, name, disputed, note, polygons, label });
    }
    for _ in 0..r.count()? {
        g.disputed.push(RawDisputed { name: r.string()?, note: r.string()?, arcs: uints(&mut r)? });
    }
    g.hidden = uints(&mut r)?;
    r.finish()?;
    Ok(g)
}

// ---------------------------------------------------------------------------------------------
// Encoding (native only: build.rs, tests and `cargo xtask geodata`)

#[cfg(not(target_arch = "wasm32"))]
pub use encode::encode_json;

#[cfg(not(target_arch = "wasm32"))]
mod encode {
    use super::MAGIC;
    use crate::bytes::Writer;
    use serde_json::Value;

    fn field<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a Value, String> {
        v.get(key).ok_or_else(|| format!("border file: {at} has no `{key}`"))
    }
    fn text<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, String> {
        field(v, key, at)?.as_str().ok_or_else(|| format!("border file: {at}.{key} is not text"))
    }
    fn list<'a>(v: &'a Value, at: &str) -> Result<&'a Vec<Value>, String> {
        v.as_array().ok_or_else(|| format!("border file: {at} is not a list"))
    }
    /// An optional list field: missing means empty.
    fn opt_list<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a [Value], String> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(l) => Ok(list(l, &format!("{at}.{key}"))?),
        }
    }
    fn int(v: &Value, at: &str) -> Result<i64, String> {
        v.as_i64().ok_or_else(|| format!("border file: {at} is not a whole number"))
    }
    fn uint(v: &Value, at: &str) -> Result<u64, String> {
        v.as_u64().ok_or_else(|| format!("border file: {at} is not a whole number ≥ 0"))
    }

    /// Encodes the JSON border file; errors name the offending part.
    pub fn encode_json(json: &str) -> Result<Vec<u8>, String> {
        let v: Value = serde_json::from_str(json).map_err(|e| format!("border file: {e}"))?;
        let mut w = Writer::new(MAGIC);
        w.u(uint(field(&v, "units_per_degree", "file")?, "units_per_degree")?);
        w.string(text(&v, "format", "file")?);
        w.string(text(&v, "attribution", "file")?);
        w.string(text(&v, "source", "file")?);
        let notes = opt_list(&v, "notes", "file")?;
        w.u(notes.len() as u64);
        for (i, n) in notes.iter().enumerate() {
            w.string(n.as_str().ok_or_else(|| format!("border file: notes[{i}] is not text"))?);
        }
        let arcs = list(field(&v, "arcs", "file")?, "arcs")?;
        w.u(arcs.len() as u64);
        for (i, a) in arcs.iter().enumerate() {
            let nums = list(a, &format!("arcs[{i}]"))?;
            if nums.len() < 4 || nums.len() % 2 != 0 {
                return Err(format!("border file: arc {i} has {} numbers", nums.len()));
            }
            w.u(nums.len() as u64 / 2);
            for n in nums {
                w.i(int(n, &format!("arcs[{i}]"))?);
            }
        }
        let units = list(field(&v, "units", "file")?, "units")?;
        w.u(units.len() as u64);
        for (i, u) in units.iter().enumerate() {
            let at = format!("units[{i}]");
            match u.get("id") {
                None | Some(Value::Null) => w.u(0),
                Some(id) => {
                    let id = uint(id, &format!("{at}.id"))?;
                    if id > u64::from(u16::MAX) {
                        return Err(format!("border file: {at}.id {id} is out of range"));
                    }
                    w.u(id + 1)
                }
            }
            w.string(text(u, "name", &at)?);
            w.u(u64::from(u.get("disputed").and_then(Value::as_bool).unwrap_or(false)));
            match u.get("note") {
                None | Some(Value::Null) => w.u(0),
                Some(_) => {
                    w.u(1);
                    w.string(text(u, "note", &at)?);
                }
            }
            let label = list(field(u, "label", &at)?, &format!("{at}.label"))?;
            if label.len() != 2 {
                return Err(format!("border file: {at}.label needs two numbers"));
            }
            for n in label {
                w.i(int(n, &format!("{at}.label"))?);
            }
            let polygons = list(field(u, "polygons", &at)?, &format!("{at}.polygons"))?;
            w.u(polygons.len() as u64);
            for p in polygons {
                let rings = list(p, &format!("{at}.polygons"))?;
                w.u(rings.len() as u64);
                for r in rings {
                    let refs = list(r, &format!("{at}.polygons"))?;
                    w.u(refs.len() as u64);
                    for n in refs {
                        w.i(int(n, &format!("{at}.polygons"))?);
                    }
                }
            }
        }
        let disputed = opt_list(&v, "disputed", "file")?;
        w.u(disputed.len() as u64);
        for (i, d) in disputed.iter().enumerate() {
            let at = format!("disputed[{i}]");
            w.string(text(d, "name", &at)?);
            w.string(text(d, "note", &at)?);
            let arcs = list(field(d, "arcs", &at)?, &format!("{at}.arcs"))?;
            w.u(arcs.len() as u64);
            for a in arcs {
                w.u(uint(a, &format!("{at}.arcs"))?);
            }
        }
        let hidden = opt_list(&v, "hidden", "file")?;
        w.u(hidden.len() as u64);
        for h in hidden {
            w.u(uint(h, "hidden")?);
        }
        Ok(w.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{"format":"pakru-atlas-geo/1","attribution":"A","source":"S","notes":["n"],
        "units_per_degree":100,"hidden":[1],"disputed":[{"name":"L","note":"N","arcs":[0]}],
        "units":[{"id":586,"name":"Pakistan","label":[7000,-3000],"polygons":[[[0,-2]]]},
                 {"name":"Siachen","disputed":true,"note":"x","label":[1,2],"polygons":[[[1]]]}],
        "arcs":[[6000,2400,100,-50],[6100,2350,-100,50,3,4]]}"#;

    #[test]
    fn round_trip_keeps_every_field() {
        let g = decode(&encode_json(SMALL).unwrap()).unwrap();
        assert_eq!(g.units_per_degree, 100);
        assert_eq!(g.notes, vec!["n".to_string()]);
        assert_eq!(g.arcs, vec![vec![6000, 2400, 100, -50], vec![6100, 2350, -100, 50, 3, 4]]);
        assert_eq!(g.units[0].id, Some(586));
        assert_eq!(g.units[0].polygons, vec![vec![vec![0, -2]]]);
        assert_eq!(g.units[0].label, [7000, -3000]);
        assert_eq!((g.units[1].id, g.units[1].disputed), (None, true));
        assert_eq!(g.units[1].note.as_deref(), Some("x"));
        assert_eq!(g.disputed[0].arcs, vec![0]);
        assert_eq!(g.hidden, vec![1]);
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let bytes = encode_json(SMALL).unwrap();
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "truncated to {n} bytes");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).unwrap_err().contains("trailing bytes"));
        for i in MAGIC.len()..bytes.len() {
            for b in [0x00, 0x7f, 0x80, 0xff] {
                let mut c = bytes.clone();
                c[i] = b;
                let _ = decode(&c);
            }
        }
    }

    #[test]
    fn bad_json_is_named() {
        assert!(encode_json("{").unwrap_err().starts_with("border file:"));
        let no_arcs = SMALL.replace("\"arcs\":[[6000", "\"arks\":[[6000");
        assert_eq!(encode_json(&no_arcs).unwrap_err(), "border file: file has no `arcs`");
        let odd = SMALL.replace("[6000,2400,100,-50]", "[6000,2400,100]");
        assert_eq!(encode_json(&odd).unwrap_err(), "border file: arc 0 has 3 numbers");
    }
}
