//! The loaded dataset in a compact binary form, for embedding.
//!
//! `build.rs` parses and validates `data/*.json` with [`crate::load`] (the very code the tests
//! and `cargo xtask check-data` run) and writes the result with [`encode`]: the [`Atlas`] when the
//! data is valid, else the list of [`DataError`]s. The app [`decode`]s it, so the browser never
//! parses JSON or re-validates, and the wasm carries neither a JSON parser nor the validator.
//!
//! Layout: the magic `PKDATA2`, then `0` and the atlas (sources, places, events, eras, series,
//! students), or `1` and the errors. Each record is its fields in declaration order (see
//! [`bin_struct!`]): strings, numbers and floats as in [`crate::bytes`], `bool` as 0/1, an
//! `Option` as 0, or 1 then the value, a `Vec` as its length then the items, a [`Parsed`] value
//! as its raw text (parsed again on decoding, as the JSON loader does).

use crate::bytes::Reader;
#[cfg(not(target_arch = "wasm32"))]
use crate::bytes::Writer;

use crate::{AgreementRow, Atlas, Citation, DataError, Era, Event, FromRaw, Parsed, Place, PlaceKind, Series};
use crate::{Chapter, MapPos, SeriesPoint, Source, Step, StepState, StudentRow, YearSpan};

const MAGIC: &[u8] = b"PKDATA2";

/// A value with a binary form.
pub trait Bin: Sized {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer);
    fn get(r: &mut Reader) -> Result<Self, String>;
}

impl Bin for String {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        w.string(self)
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        r.string()
    }
}

impl Bin for f64 {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        w.f64(*self)
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        r.f64()
    }
}

impl Bin for bool {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        w.u(u64::from(*self))
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        match r.u()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(r.fail("bad flag")),
        }
    }
}

/// Unsigned integers, as varints, range-checked on reading.
macro_rules! bin_uint {
    ($($t:ty),*) => {$(
        impl Bin for $t {
            #[cfg(not(target_arch = "wasm32"))]
            fn put(&self, w: &mut Writer) {
                w.u(u64::from(*self))
            }
            fn get(r: &mut Reader) -> Result<Self, String> {
                let v = r.u()?;
                <$t>::try_from(v).map_err(|_| r.fail("number out of range"))
            }
        }
    )*};
}
bin_uint!(u8, u16, u32);

impl<T: Bin> Bin for Option<T> {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.u(0),
            Some(v) => {
                w.u(1);
                v.put(w)
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        match bool::get(r)? {
            false => Ok(None),
            true => Ok(Some(T::get(r)?)),
        }
    }
}

impl<T: Bin> Bin for Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        w.u(self.len() as u64);
        for v in self {
            v.put(w);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        let n = r.count()?;
        // A plain loop: `collect` into a `Result` costs a kilobyte or two of wasm per item type.
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(T::get(r)?);
        }
        Ok(items)
    }
}

impl<T: FromRaw> Bin for Parsed<T> {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        w.string(&self.raw)
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        let raw = r.string()?;
        let value = T::from_raw(&raw);
        Ok(Parsed { raw, value })
    }
}

impl Bin for PlaceKind {
    #[cfg(not(target_arch = "wasm32"))]
    fn put(&self, w: &mut Writer) {
        w.u(PlaceKind::ALL.iter().position(|k| k == self).unwrap_or(0) as u64)
    }
    fn get(r: &mut Reader) -> Result<Self, String> {
        let i = r.u()?;
        PlaceKind::ALL.get(i as usize).copied().ok_or_else(|| r.fail("unknown place kind"))
    }
}

/// A record as its fields in order. Every field must be listed: a missing one does not compile
/// (the struct literal would be incomplete).
macro_rules! bin_struct {
    ($($t:ident { $($f:ident),* $(,)? })*) => {$(
        impl Bin for $t {
            #[cfg(not(target_arch = "wasm32"))]
            fn put(&self, w: &mut Writer) {
                $( self.$f.put(w); )*
            }
            fn get(r: &mut Reader) -> Result<Self, String> {
                Ok($t { $( $f: Bin::get(r)?, )* })
            }
        }
    )*};
}

crate::model::with_records!(bin_struct);
bin_struct! {
    DataError { file, id, field, message }
}

/// The binary form of a load result.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(loaded: &Result<Atlas, Vec<DataError>>) -> Vec<u8> {
    let mut w = Writer::new(MAGIC);
    match loaded {
        Ok(a) => {
            w.u(0);
            a.sources.put(&mut w);
            a.places.put(&mut w);
            a.events.put(&mut w);
            a.eras.put(&mut w);
            a.series.put(&mut w);
            a.students.put(&mut w);
        }
        Err(errors) => {
            w.u(1);
            errors.put(&mut w);
        }
    }
    w.0
}

const STORY_MAGIC: &[u8] = b"PKSTORY1";

/// The story's chapters in their binary form: a file of its own (`story.bin` beside the app),
/// which the app loads when the story is opened rather than with the atlas.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode_story(story: &[Chapter]) -> Vec<u8> {
    let mut w = Writer::new(STORY_MAGIC);
    story.to_vec().put(&mut w);
    w.0
}

/// Reads what [`encode_story`] wrote; anything else is an error message, never a panic.
pub fn decode_story(bytes: &[u8]) -> Result<Vec<Chapter>, String> {
    let mut r = Reader::new(bytes, STORY_MAGIC, "story.bin")?;
    let story = Vec::<Chapter>::get(&mut r)?;
    r.finish()?;
    Ok(story)
}

/// Reads what [`encode`] wrote. Corrupt bytes (which a build never writes) are reported as a
/// data error, like any other.
pub fn decode(bytes: &[u8]) -> Result<Atlas, Vec<DataError>> {
    let corrupt = |message: String| vec![DataError { file: "embedded data".into(), id: None, field: None, message }];
    read_result(bytes).map_err(corrupt)?
}

/// The load result, or why the bytes are not one.
fn read_result(bytes: &[u8]) -> Result<Result<Atlas, Vec<DataError>>, String> {
    let mut r = Reader::new(bytes, MAGIC, "embedded data")?;
    let result = if bool::get(&mut r)? {
        Err(Vec::<DataError>::get(&mut r)?)
    } else {
        let sources = Bin::get(&mut r)?;
        let places = Bin::get(&mut r)?;
        let events = Bin::get(&mut r)?;
        let eras = Bin::get(&mut r)?;
        let series = Bin::get(&mut r)?;
        let students = Bin::get(&mut r)?;
        Ok(Atlas::from_parts(sources, places, events, eras, series, students, Vec::new()))
    };
    r.finish()?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    fn repo_files() -> Vec<(&'static str, String)> {
        crate::repo_files()
    }
    fn refs<'a>(files: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
        files.iter().map(|(n, t)| (*n, t.as_str())).collect()
    }

    #[test]
    fn the_binary_form_is_the_loaded_json() {
        let files = repo_files();
        let from_json = load(&refs(&files)).map(|mut a| {
            a.story.clear(); // a file of its own (see `encode_story`)
            a
        });
        assert!(from_json.is_ok(), "data/ is valid");
        let bytes = encode(&from_json);
        assert_eq!(decode(&bytes), from_json);
        // No keys, no punctuation, no indentation: well under the JSON's size.
        let json: usize = files.iter().map(|(_, t)| t.len()).sum();
        assert!(bytes.len() * 10 < json * 8, "{} bytes for {json} of JSON", bytes.len());
    }

    #[test]
    fn the_story_file_round_trips_and_rejects_garbage() {
        let atlas = load(&refs(&repo_files())).unwrap();
        assert!(!atlas.story.is_empty());
        let bytes = encode_story(&atlas.story);
        assert_eq!(decode_story(&bytes), Ok(atlas.story.clone()));
        // The atlas's own bytes leave the story out: it is loaded when opened.
        assert!(decode(&encode(&Ok(atlas.clone()))).unwrap().story.is_empty());
        for n in (0..bytes.len()).step_by(11) {
            assert!(decode_story(&bytes[..n]).is_err(), "truncated to {n}");
        }
        assert!(decode_story(b"<!doctype html><html>").is_err());
    }

    #[test]
    fn errors_round_trip() {
        let errors = vec![
            DataError { file: "a.json".into(), id: Some("x".into()), field: Some("date".into()), message: "m".into() },
            DataError { file: "b.json".into(), id: None, field: None, message: "invalid JSON".into() },
        ];
        assert_eq!(decode(&encode(&Err(errors.clone()))), Err(errors));
    }

    #[test]
    fn corrupt_bytes_are_a_data_error_not_a_panic() {
        let bytes = encode(&load(&refs(&repo_files())));
        let is_corrupt =
            |r: Result<Atlas, Vec<DataError>>| matches!(r, Err(e) if e.len() == 1 && e[0].file == "embedded data");
        // Every truncation (stepping through the file) and some byte flips.
        for n in (0..bytes.len()).step_by(7) {
            assert!(is_corrupt(decode(&bytes[..n])), "truncated to {n}");
        }
        for i in (MAGIC.len()..bytes.len()).step_by(13) {
            for b in [0x00, 0x80, 0xff] {
                let mut c = bytes.clone();
                c[i] = b;
                let _ = decode(&c);
            }
        }
        assert!(is_corrupt(decode(b"PKDATA2\x02")));
    }
}
