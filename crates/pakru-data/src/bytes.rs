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

// ---------------------------------------------------------------------------------------------
// The bytes as text, for a data block in the page (`<script type="application/octet-stream">`)

/// Where the text form puts a byte it cannot keep as text: U+E000 + the byte (a private-use
/// character).
const ESCAPE: u32 = 0xE000;

/// `bytes` as text that an HTML parser hands back unchanged inside a `<script>` element: each
/// UTF-8 character stays itself (so the texts of the data stay text, and a compressor finds them
/// again in the page), except NUL and CR (which the parser replaces), `<` (so no `</script`)
/// and U+E000–U+E0FF; those and every byte that is not part of a UTF-8 character become
/// U+E000 + the byte. [`from_text`] undoes it.
#[cfg(not(target_arch = "wasm32"))]
pub fn to_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut rest = bytes;
    while let Some(&b) = rest.first() {
        let len = match b {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        let ch = rest.get(..len.max(1)).and_then(|c| std::str::from_utf8(c).ok()).and_then(|s| s.chars().next());
        match ch {
            Some(c)
                if len > 0 && !matches!(c, '\0' | '\r' | '<') && !(ESCAPE..=ESCAPE + 0xff).contains(&(c as u32)) =>
            {
                out.push(c);
                rest = &rest[len..];
            }
            _ => {
                out.push(char::from_u32(ESCAPE + u32::from(b)).unwrap_or('\u{fffd}'));
                rest = &rest[1..];
            }
        }
    }
    out
}

/// The bytes [`to_text`] turned into `text`.
pub fn from_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match (c as u32).checked_sub(ESCAPE) {
            Some(b) if b <= 0xff => out.push(b as u8),
            _ => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
    out
}

/// 64-bit FNV-1a: names the language files, and ties a page's data block to its build.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_gives_back_every_byte_and_keeps_text_as_text() {
        // Every byte value, every short sequence of them, and text around them.
        let mut all: Vec<u8> = (0..=255u8).collect();
        for a in [0x00u8, 0x0d, 0x3c, 0x80, 0xc2, 0xe0, 0xee, 0xf4, 0xff] {
            for b in 0..=255u8 {
                all.extend([a, b, 0xa9]);
            }
        }
        all.extend("Карачи کراچی </script> \r\n \u{e000}\u{e0ff}\u{e100} 😀".as_bytes());
        let text = to_text(&all);
        assert_eq!(from_text(&text), all);
        assert!(!text.contains('<') && !text.contains('\0') && !text.contains('\r'));
        assert!(text.contains("Карачи کراچی") && text.contains("script>") && text.contains('\u{e100}'));
        // The texts cost their own bytes: only the numbers around them are escaped.
        let mut w = Writer::new(b"T");
        w.string("Islamabad – Исламабад");
        w.u(300);
        let t = to_text(&w.0);
        assert!(t.contains("Islamabad – Исламабад"), "{t:?}");
        assert_eq!(from_text(&t), w.0);
        assert_eq!(from_text(""), Vec::<u8>::new());
    }

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
