//! The byte reader and writer of the app's two embedded binary forms (the border file, see
//! [`crate::geo_codec`], and the validated dataset, see [`crate::codec`]).
//!
//! Unsigned numbers are LEB128 varints, signed ones zig-zag varints, floats 8 bytes
//! little-endian, and a string is its byte length then UTF-8. Reading never panics: running
//! out of bytes, a number too long, a count larger than the bytes left or bad UTF-8 is an error
//! naming the byte offset.
//!
//! Also compiled into `build.rs` (by path), which writes both forms; it uses only `std`.

pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Names the data in error messages ("border data").
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader after `magic`, or an error if the bytes do not start with it.
    pub fn new(bytes: &'a [u8], magic: &[u8], what: &'static str) -> Result<Reader<'a>, String> {
        if !bytes.starts_with(magic) {
            return Err(format!("{what}: not in the expected format"));
        }
        Ok(Reader { bytes, pos: magic.len(), what })
    }

    pub fn fail(&self, problem: &str) -> String {
        format!("{}: {problem} at byte {}", self.what, self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.bytes.len() - self.pos {
            return Err(self.fail("unexpected end"));
        }
        self.pos += n;
        Ok(&self.bytes[self.pos - n..self.pos])
    }

    pub fn u(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.fail("number too long"))
    }

    pub fn i(&mut self) -> Result<i64, String> {
        let z = self.u()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    pub fn f64(&mut self) -> Result<f64, String> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(f64::from_le_bytes(b))
    }

    /// A count, checked against the bytes left (each item takes at least one byte), so a
    /// corrupt count cannot ask for a huge allocation.
    pub fn count(&mut self) -> Result<usize, String> {
        let n = self.u()?;
        if n > (self.bytes.len() - self.pos) as u64 {
            return Err(self.fail("count larger than the data"));
        }
        Ok(n as usize)
    }

    pub fn string(&mut self) -> Result<String, String> {
        let n = self.count()?;
        let bytes = self.take(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(self.fail("text not UTF-8")),
        }
    }

    /// Succeeds only when every byte was read.
    pub fn finish(&self) -> Result<(), String> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.fail("trailing bytes"))
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub struct Writer(pub Vec<u8>);

#[cfg(not(target_arch = "wasm32"))]
impl Writer {
    pub fn new(magic: &[u8]) -> Writer {
        Writer(magic.to_vec())
    }
    pub fn u(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    pub fn i(&mut self, v: i64) {
        self.u(((v << 1) ^ (v >> 63)) as u64);
    }
    pub fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn string(&mut self, s: &str) {
        self.u(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_round_trip() {
        let mut w = Writer::new(b"T");
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            w.u(v);
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            w.i(v);
        }
        w.f64(-0.5);
        w.f64(f64::INFINITY);
        w.string("Tashkent – ташкент");
        let mut r = Reader::new(&w.0, b"T", "test").unwrap();
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.u().unwrap(), v);
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(r.i().unwrap(), v);
        }
        assert_eq!(r.f64().unwrap(), -0.5);
        assert_eq!(r.f64().unwrap(), f64::INFINITY);
        assert_eq!(r.string().unwrap(), "Tashkent – ташкент");
        r.finish().unwrap();
    }

    #[test]
    fn bad_bytes_are_errors() {
        assert_eq!(Reader::new(b"X", b"T", "test").err().unwrap(), "test: not in the expected format");
        let mut r = Reader::new(b"T\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", b"T", "test").unwrap();
        assert_eq!(r.u().unwrap_err(), "test: number too long at byte 11");
        let mut r = Reader::new(b"T\x05ab", b"T", "test").unwrap();
        assert_eq!(r.string().unwrap_err(), "test: count larger than the data at byte 2");
        let mut r = Reader::new(b"T\x02\xff\xfe", b"T", "test").unwrap();
        assert_eq!(r.string().unwrap_err(), "test: text not UTF-8 at byte 4");
        let mut r = Reader::new(b"T\x01\x02", b"T", "test").unwrap();
        r.u().unwrap();
        assert_eq!(r.finish().unwrap_err(), "test: trailing bytes at byte 2");
        let mut r = Reader::new(b"T\x00", b"T", "test").unwrap();
        assert!(r.f64().is_err());
    }
}
