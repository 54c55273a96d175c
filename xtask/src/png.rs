//! The ZIM's 48×48 illustration from web/icon-192.png: a small PNG decoder (8-bit RGB or RGBA,
//! non-interlaced, zlib through flate2), a box filter and an encoder. Used by [`crate::zim`].

use crate::util::Res;
use std::io::{Read, Write};

/// A decoded PNG: width, height and RGBA8 pixels.
pub struct Rgba {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Decodes a non-interlaced 8-bit RGBA or RGB PNG (what web/ holds); other kinds are an error.
pub fn decode_png(png: &[u8]) -> Res<Rgba> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !png.starts_with(SIG) {
        return Err("not a PNG file".into());
    }
    let (mut pos, mut header, mut idat) = (SIG.len(), None, Vec::new());
    while pos + 12 <= png.len() {
        let len = be32(&png[pos..]) as usize;
        let kind = &png[pos + 4..pos + 8];
        let data = png.get(pos + 8..pos + 8 + len).ok_or("PNG: a chunk runs past the end")?;
        match kind {
            b"IHDR" if len == 13 => header = Some((be32(data), be32(&data[4..]), data[8], data[9], data[12])),
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let (width, height, depth, colour, interlace) = header.ok_or("PNG: no IHDR")?;
    let channels = match (depth, colour, interlace) {
        (8, 6, 0) => 4,
        (8, 2, 0) => 3,
        _ => return Err(format!("PNG: bit depth {depth}, colour type {colour}, interlace {interlace} not supported")),
    };
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).map_err(|e| format!("PNG: {e}"))?;
    let stride = width as usize * channels;
    if raw.len() != (stride + 1) * height as usize {
        return Err("PNG: the image data has the wrong length".into());
    }
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height as usize {
        let filter = raw[y * (stride + 1)];
        let mut line = raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)].to_vec();
        for i in 0..stride {
            let a = if i >= channels { line[i - channels] as i16 } else { 0 };
            let (b, c) = (prev[i] as i16, if i >= channels { prev[i - channels] as i16 } else { 0 });
            let add = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => return Err(format!("PNG: filter type {f}")),
            };
            line[i] = line[i].wrapping_add(add as u8);
        }
        for px in line.chunks(channels) {
            pixels.extend_from_slice(&px[..3]);
            pixels.push(if channels == 4 { px[3] } else { 255 });
        }
        prev = line;
    }
    Ok(Rgba { width, height, pixels })
}

/// An RGBA8 PNG (no filter, zlib level 9).
pub fn encode_png(img: &Rgba) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&img.width.to_be_bytes());
    ihdr.extend_from_slice(&img.height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for row in img.pixels.chunks(img.width as usize * 4) {
        z.write_all(&[0]).and_then(|_| z.write_all(row)).expect("writing to a Vec");
    }
    let idat = z.finish().expect("writing to a Vec");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// `png` (a square PNG whose side is a multiple of 48) scaled down to 48×48 by averaging each
/// block of pixels, weighted by their alpha.
pub fn illustration_48(png: &[u8]) -> Res<Vec<u8>> {
    let img = decode_png(png)?;
    if img.width != img.height || img.width % 48 != 0 {
        return Err(format!(
            "the icon is {}×{}: a square whose side is a multiple of 48 is needed",
            img.width, img.height
        ));
    }
    let k = (img.width / 48) as usize;
    let mut pixels = Vec::with_capacity(48 * 48 * 4);
    for by in 0..48 {
        for bx in 0..48 {
            let mut sum = [0u64; 4];
            for y in by * k..(by + 1) * k {
                for x in bx * k..(bx + 1) * k {
                    let p = &img.pixels[(y * img.width as usize + x) * 4..][..4];
                    let a = p[3] as u64;
                    for c in 0..3 {
                        sum[c] += p[c] as u64 * a;
                    }
                    sum[3] += a;
                }
            }
            let n = (k * k) as u64;
            for c in 0..3 {
                pixels.push((sum[c] + sum[3] / 2).checked_div(sum[3]).unwrap_or(0) as u8);
            }
            pixels.push(((sum[3] + n / 2) / n) as u8);
        }
    }
    Ok(encode_png(&Rgba { width: 48, height: 48, pixels }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::root;
    use std::fs;

    #[test]
    fn png_round_trip_and_the_illustration() {
        // A 96×96 image: left half opaque #005a8c, right half transparent red.
        let mut pixels = Vec::new();
        for _y in 0..96 {
            for x in 0..96 {
                pixels.extend_from_slice(if x < 48 { &[0, 0x5a, 0x8c, 255] } else { &[255, 0, 0, 0] });
            }
        }
        let img = Rgba { width: 96, height: 96, pixels };
        let png = encode_png(&img);
        let back = decode_png(&png).unwrap();
        assert_eq!((back.width, back.height), (96, 96));
        assert!(back.pixels == img.pixels);
        let small = decode_png(&illustration_48(&png).unwrap()).unwrap();
        assert_eq!((small.width, small.height), (48, 48));
        assert_eq!(&small.pixels[..4], &[0, 0x5a, 0x8c, 255]);
        assert_eq!(&small.pixels[47 * 4..48 * 4], &[0, 0, 0, 0]);
        assert!(decode_png(b"GIF89a").is_err());
        assert!(illustration_48(&encode_png(&Rgba { width: 50, height: 50, pixels: vec![0; 50 * 50 * 4] })).is_err());
        // The real icon: 192×192 → 48×48, its blue background in the middle of the top row.
        let icon = decode_png(&illustration_48(&fs::read(root().join("web/icon-192.png")).unwrap()).unwrap()).unwrap();
        assert_eq!((icon.width, icon.height), (48, 48));
        assert_eq!(&icon.pixels[24 * 4..24 * 4 + 4], &[0, 0x5a, 0x8c, 255]);
    }
}
