//! What a file is (from its first bytes, else its name) and its thumbnail. Pure: bytes in, bytes
//! out. Thumbnails are made by the `image` crate with only its JPEG, PNG and WebP decoders; HEIC
//! has no pure-Rust decoder small enough to take, so a HEIC photo is kept without one.

use std::io::Cursor;

/// The longest side of a thumbnail, in pixels: a timeline card at twice its size.
pub(crate) const THUMBNAIL_SIDE: u32 = 320;

/// The media type of a file: by its magic bytes where they say, else by the name's extension.
pub(crate) fn media_type(bytes: &[u8], name: &str) -> &'static str {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"\xFF\xD8\xFF") {
        return "image/jpeg";
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return "image/png";
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return "image/webp";
    }
    if at(0, b"RIFF") && at(8, b"WAVE") {
        return "audio/wav";
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return "image/gif";
    }
    if at(0, b"%PDF-") {
        return "application/pdf";
    }
    if at(0, b"OggS") {
        return "audio/ogg";
    }
    if at(0, b"fLaC") {
        return "audio/flac";
    }
    if at(0, b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0 && bytes[1] & 0x06 != 0) {
        return "audio/mpeg";
    }
    if at(4, b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        return match brand {
            b"heic" | b"heix" | b"heim" | b"heis" | b"mif1" | b"msf1" => "image/heic",
            b"avif" => "image/avif",
            b"M4A " | b"M4B " => "audio/mp4",
            b"qt  " => "video/quicktime",
            _ => "video/mp4",
        };
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "heic" | "heif" => "image/heic",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "txt" | "md" => "text/plain",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// Whether a thumbnail can be made from this media type here.
pub(crate) fn can_thumbnail(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png" | "image/webp")
}

/// A JPEG at most [`THUMBNAIL_SIDE`] on its longer side, or `None` when the image will not decode
/// (damaged, an unsupported variant, or larger than a photo can be: decoding is bounded so a
/// crafted file cannot take the memory).
pub(crate) fn thumbnail(bytes: &[u8], media_type: &str) -> Option<Vec<u8>> {
    use image::ImageFormat;
    let format = match media_type {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        _ => return None,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(768 << 20);
    reader.limits(limits);
    let image = match reader.decode() {
        Ok(i) => i,
        Err(e) => {
            tracing::debug!(error = %e, "no thumbnail: the image does not decode");
            return None;
        }
    };
    let small = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&small).ok()?;
    Some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A real photo-like JPEG (a gradient with noise, so it compresses like one), made by code.
    pub(crate) fn jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = (state & 31) as u8;
            image::Rgb([(x * 255 / width) as u8 ^ n, (y * 255 / height) as u8, (seed as u8).wrapping_add(n)])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
        out
    }

    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(width, height, |x, y| image::Rgba([x as u8, y as u8, 90, 200]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn files_are_known_by_their_bytes_before_their_names() {
        assert_eq!(media_type(&jpeg(8, 8, 1), "holiday.png"), "image/jpeg");
        assert_eq!(media_type(&png(4, 4), "x"), "image/png");
        assert_eq!(media_type(b"RIFF\0\0\0\0WEBPVP8 ", "a"), "image/webp");
        assert_eq!(media_type(b"\0\0\0\x18ftypheic\0\0\0\0", "IMG_0001"), "image/heic");
        assert_eq!(media_type(b"\0\0\0\x18ftypM4A \0\0\0\0", "memo"), "audio/mp4");
        assert_eq!(media_type(b"%PDF-1.7\n", "scan"), "application/pdf");
        assert_eq!(media_type(b"ID3\x04", "song"), "audio/mpeg");
        assert_eq!(media_type(b"plain words", "notes.txt"), "text/plain");
        assert_eq!(media_type(b"\x01\x02", "blob.bin"), "application/octet-stream");
    }

    #[test]
    fn a_thumbnail_keeps_the_shape_within_its_box() {
        let t = thumbnail(&jpeg(1200, 800, 3), "image/jpeg").unwrap();
        let small = image::load_from_memory(&t).unwrap();
        assert_eq!((small.width(), small.height()), (320, 213));
        let t = thumbnail(&png(100, 400), "image/png").unwrap();
        let small = image::load_from_memory(&t).unwrap();
        assert_eq!((small.width(), small.height()), (80, 320));
    }

    #[test]
    fn a_damaged_photo_has_no_thumbnail_and_no_panic() {
        let mut bytes = jpeg(64, 64, 4);
        bytes.truncate(40);
        assert_eq!(thumbnail(&bytes, "image/jpeg"), None);
        assert_eq!(thumbnail(b"\0\0\0\x18ftypheic", "image/heic"), None);
    }
}
