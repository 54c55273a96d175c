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

/// The border file as the JSON has it (before projection): the one definition of its format,
/// read by [`encode_json`] and written by `cargo xtask geodata` ([`to_json`]).
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RawGeo {
    pub format: String,
    pub attribution: String,
    pub source: String,
    pub notes: Vec<String>,
    pub units_per_degree: u64,
    #[serde(default)]
    pub hidden: Vec<u64>,
    #[serde(default)]
    pub disputed: Vec<RawDisputed>,
    pub units: Vec<RawUnit>,
    /// Per arc: the numbers as in the JSON (x, y of the first point, then x, y deltas).
    pub arcs: Vec<Vec<i64>>,
}

#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RawUnit {
    pub id: Option<u16>,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub disputed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub label: [i64; 2],
    /// Polygons: first ring outer, the rest holes; rings are arc references (`i`, or `-i-1`).
    pub polygons: Vec<Vec<Vec<i64>>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
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
pub use encode::{encode_json, to_json};

#[cfg(not(target_arch = "wasm32"))]
mod encode {
    use super::{RawGeo, MAGIC};
    use crate::bytes::Writer;

    /// Encodes the JSON border file; errors name the offending part.
    pub fn encode_json(json: &str) -> Result<Vec<u8>, String> {
        let g: RawGeo = serde_json::from_str(json).map_err(|e| format!("border file: {e}"))?;
        let mut w = Writer::new(MAGIC);
        w.u(g.units_per_degree);
        w.string(&g.format);
        w.string(&g.attribution);
        w.string(&g.source);
        w.u(g.notes.len() as u64);
        for n in &g.notes {
            w.string(n);
        }
        w.u(g.arcs.len() as u64);
        for (i, nums) in g.arcs.iter().enumerate() {
            if nums.len() < 4 || nums.len() % 2 != 0 {
                return Err(format!("border file: arc {i} has {} numbers", nums.len()));
            }
            w.u(nums.len() as u64 / 2);
            for &n in nums {
                w.i(n);
            }
        }
        w.u(g.units.len() as u64);
        for u in &g.units {
            w.u(u.id.map_or(0, |id| u64::from(id) + 1));
            w.string(&u.name);
            w.u(u64::from(u.disputed));
            match &u.note {
                None => w.u(0),
                Some(note) => {
                    w.u(1);
                    w.string(note);
                }
            }
            for n in u.label {
                w.i(n);
            }
            w.u(u.polygons.len() as u64);
            for rings in &u.polygons {
                w.u(rings.len() as u64);
                for refs in rings {
                    w.u(refs.len() as u64);
                    for &n in refs {
                        w.i(n);
                    }
                }
            }
        }
        w.u(g.disputed.len() as u64);
        for d in &g.disputed {
            w.string(&d.name);
            w.string(&d.note);
            w.u(d.arcs.len() as u64);
            for &a in &d.arcs {
                w.u(a);
            }
        }
        w.u(g.hidden.len() as u64);
        for &h in &g.hidden {
            w.u(h);
        }
        Ok(w.0)
    }

    /// The border file's JSON text, in a diff-friendly layout: one field per line, and each
    /// element of a list of lists, records or texts (notes, units, arcs, disputed lines) on a
    /// line of its own. The text is `g`'s serde form re-laid out, so reader and writer share one
    /// definition of the format ([`RawGeo`]).
    pub fn to_json(g: &RawGeo) -> String {
        let flat = serde_json::to_string(g).unwrap_or_default();
        let chars: Vec<char> = flat.chars().collect();
        let mut o = String::with_capacity(flat.len() + flat.len() / 16);
        // Per open bracket: whether its elements go on lines of their own.
        let mut open: Vec<bool> = Vec::new();
        let (mut in_str, mut escaped) = (false, false);
        for (k, &c) in chars.iter().enumerate() {
            if in_str {
                o.push(c);
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => {
                    in_str = true;
                    o.push(c);
                }
                '{' | '[' => {
                    let broken = open.is_empty()
                        || (open.len() == 1 && c == '[' && matches!(chars.get(k + 1), Some('[' | '{' | '"')));
                    open.push(broken);
                    o.push(c);
                    if broken {
                        o.push('\n');
                    }
                }
                '}' | ']' => {
                    if open.pop() == Some(true) {
                        o.push('\n');
                    }
                    o.push(c);
                }
                ',' => {
                    o.push(',');
                    if open.last() == Some(&true) {
                        o.push('\n');
                    }
                }
                ':' if open.len() == 1 => o.push_str(": "),
                _ => o.push(c),
            }
        }
        o.push('\n');
        o
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
    fn the_writer_writes_what_the_reader_reads() {
        let g: RawGeo = serde_json::from_str(SMALL).unwrap();
        let text = to_json(&g);
        assert_eq!(serde_json::from_str::<RawGeo>(&text).unwrap(), g);
        assert_eq!(encode_json(&text).unwrap(), encode_json(SMALL).unwrap());
        // One field per line; one arc per line.
        assert!(text.starts_with("{\n\"format\": \"pakru-atlas-geo/1\",\n"), "{text}");
        assert!(text.contains("\"arcs\": [\n[6000,2400,100,-50],\n"), "{text}");
        // The repository's file is the writer's output for its own content.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/geo/region.json");
        let file = std::fs::read_to_string(path).unwrap();
        let parsed: RawGeo = serde_json::from_str(&file).unwrap();
        assert_eq!(to_json(&parsed), file, "data/geo/region.json is not in the writer's layout");
    }

    #[test]
    fn bad_json_is_named() {
        assert!(encode_json("{").unwrap_err().starts_with("border file:"));
        let no_arcs = SMALL.replace("\"arcs\":[[6000", "\"arks\":[[6000");
        let e = encode_json(&no_arcs).unwrap_err();
        assert!(e.starts_with("border file: missing field `arcs`"), "{e}");
        let odd = SMALL.replace("[6000,2400,100,-50]", "[6000,2400,100]");
        assert_eq!(encode_json(&odd).unwrap_err(), "border file: arc 0 has 3 numbers");
    }
}
