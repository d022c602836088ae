//! A trainer's branding of the handouts: `branding:` in `site.yaml`, and the logo file it names.
//!
//! Every field is public: the blank handouts, `guide.pdf` and `course-pack.pdf` carry them, and
//! they are published on the public site. Without `branding`, the handouts look as they always
//! did.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::strings::Strings;
use crate::source::{Diagnostic, Located, files};

/// `branding:` in `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    /// The trainer or organisation the handouts come from: printed in their title block and
    /// written as the PDFs' author. Public.
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// A PNG or JPEG file, relative to the site folder, drawn on the handouts' title block and
    /// the guide's title page. Public.
    #[serde(default)]
    pub(crate) logo: Option<Located<String>>,
    /// The course the handouts are for. Public.
    #[serde(default)]
    pub(crate) course: Option<String>,
    /// The course's edition or date, such as `Spring 2027`. Public.
    #[serde(default)]
    pub(crate) edition: Option<String>,
    /// A line at the foot of every page: a contact, a licence such as `CC BY-SA 4.0`. Public.
    #[serde(default)]
    pub(crate) footer: Option<String>,
    /// The colour of headings and marks, as `#rrggbb`. Public.
    #[serde(default)]
    pub(crate) colour: Option<Located<String>>,
}

impl Branding {
    /// The course and its edition on one line, if either is given: both as the strings'
    /// `guide_book.course_edition` writes them.
    pub(crate) fn course_line(&self, strings: &Strings) -> Option<String> {
        match (&self.course, &self.edition) {
            (Some(course), Some(edition)) => Some(strings.words(
                "guide_book.course_edition",
                &[("course", course.clone()), ("edition", edition.clone())],
            )),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }

    /// The colour as red, green and blue, if it is one.
    pub(crate) fn rgb(&self) -> Option<[u8; 3]> {
        hex_colour(&self.colour.as_ref()?.value)
    }
}

/// `#rrggbb` as its three channels.
pub(crate) fn hex_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// The problems of `branding`: a colour that is not one.
pub(crate) fn check(
    branding: Option<&Branding>,
    site_file: &Path,
    text: &str,
) -> Option<Diagnostic> {
    let colour = branding?.colour.as_ref()?;
    hex_colour(&colour.value).is_none().then(|| {
        Diagnostic::at(
            site_file,
            text,
            colour.line,
            colour.column,
            format!("`{}` is not a colour", colour.value),
        )
        .with_help("write a colour as #rrggbb, e.g. \"#0b5cad\" (in quotes)")
    })
}

/// How a logo's file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

/// The logo file, read and checked: its bytes, format and size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub(crate) bytes: Arc<[u8]>,
    pub(crate) format: ImageFormat,
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Colour components of a JPEG (1 or 3); 0 for a PNG, whose decoder says.
    pub(crate) components: u8,
    /// The file, relative to the site root.
    pub(crate) path: PathBuf,
}

/// Reads the logo `branding` names, if any. An error points at `logo:` in `site.yaml`.
pub(crate) fn read_logo(
    branding: Option<&Branding>,
    root: &Path,
    site_file: &Path,
    text: &str,
) -> Result<Option<Logo>, Diagnostic> {
    let Some(logo) = branding.and_then(|b| b.logo.as_ref()) else {
        return Ok(None);
    };
    let at = |message: String, help: &str| {
        Diagnostic::at(site_file, text, logo.line, logo.column, message).with_help(help)
    };
    let shown = PathBuf::from(&logo.value);
    let path = root.join(&shown);
    let bytes = files::inside(&path, root, root, &shown)
        .and_then(|()| files::read_bytes(&path, &shown))
        .map_err(|problem| {
            at(
                format!("cannot read the logo `{}`: {}", logo.value, problem.message),
                "write the path of a PNG or JPEG file inside the site folder, such as `branding/logo.png`",
            )
        })?;
    let (format, width, height, components) = image_size(&bytes).ok_or_else(|| {
        at(
            format!("`{}` is not a PNG or JPEG image", logo.value),
            "save the logo as PNG or JPEG (RGB or greyscale, 8 bits) and name that file",
        )
    })?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(at(
            format!("the logo `{}` is {width} × {height} pixels", logo.value),
            "save it smaller: a logo printed a few centimetres wide needs at most 2,000 pixels across",
        ));
    }
    // A JPEG goes into the PDFs as it is: without what a camera or editor adds (EXIF with a
    // place and a serial number, XMP, comments, thumbnails), which the public handouts would
    // otherwise publish.
    let bytes = match format {
        ImageFormat::Jpeg => jpeg_without_metadata(&bytes).ok_or_else(|| {
            at(
                format!("`{}` is not a JPEG image a PDF can hold", logo.value),
                "save the logo again as a baseline or progressive JPEG, or as PNG",
            )
        })?,
        ImageFormat::Png => bytes,
    };
    Ok(Some(Logo {
        bytes: bytes.into(),
        format,
        width,
        height,
        components,
        path: shown,
    }))
}

/// The most pixels a logo may have: a 4,000 × 4,000 image.
const MAX_PIXELS: u64 = 16_000_000;

/// The segments of a JPEG, each its marker and bytes, up to the start of scan, whose segment
/// runs on to the end (the image data); `None` when they do not read.
fn jpeg_segments(bytes: &[u8]) -> Option<Vec<(u8, std::ops::Range<usize>)>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut segments = Vec::new();
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            // A fill byte before the marker.
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let end = at + 2 + length;
        if length < 2 || end > bytes.len() {
            return None;
        }
        if marker == 0xDA {
            segments.push((marker, at..bytes.len()));
            return Some(segments);
        }
        segments.push((marker, at..end));
        at = end;
    }
}

/// A JPEG as a reader decodes it: without application data (APP0 to APP13, APP15) and
/// comments; `None` when its segments do not read.
fn jpeg_without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0xFF, 0xD8];
    for (marker, range) in jpeg_segments(bytes)? {
        let application = (0xE0..=0xEF).contains(&marker) && marker != 0xEE;
        if !application && marker != 0xFE {
            out.extend_from_slice(&bytes[range]);
        }
    }
    Some(out)
}

/// The format, size and (for a JPEG) colour components of a PNG or of a greyscale or RGB JPEG,
/// from its header.
fn image_size(bytes: &[u8]) -> Option<(ImageFormat, u32, u32, u8)> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if let Some(rest) = bytes.strip_prefix(PNG) {
        // The first chunk is IHDR: length, type, width, height.
        let header = rest.get(4..16)?;
        if &header[..4] != b"IHDR" {
            return None;
        }
        let width = u32::from_be_bytes(header[4..8].try_into().ok()?);
        let height = u32::from_be_bytes(header[8..12].try_into().ok()?);
        return (width > 0 && height > 0).then_some((ImageFormat::Png, width, height, 0));
    }
    // The start of frame: baseline, extended or progressive, 8 bits, which every reader's DCT
    // decoder shows (lossless, hierarchical and arithmetic-coded frames are refused).
    let segments = jpeg_segments(bytes)?;
    let (marker, range) = segments.iter().find(|(marker, _)| {
        (0xC0..=0xCF).contains(marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
    })?;
    let frame = bytes.get(range.start + 4..range.start + 10)?;
    let height = u32::from(u16::from_be_bytes([frame[1], frame[2]]));
    let width = u32::from(u16::from_be_bytes([frame[3], frame[4]]));
    let components = frame[5];
    let readable = (0xC0..=0xC2).contains(marker) && frame[0] == 8;
    (readable && width > 0 && height > 0 && matches!(components, 1 | 3)).then_some((
        ImageFormat::Jpeg,
        width,
        height,
        components,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_is_read_from_a_png_or_jpeg_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(300u32.to_be_bytes());
        png.extend(120u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((ImageFormat::Png, 300, 120, 0)));
        // SOI, an APP0 segment of 16 bytes, then SOF0: precision, height 50, width 80, the
        // number of parts and their 3 bytes each; then the scan.
        let jpeg = |parts: u8| {
            let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
            jpeg.extend([0; 14]);
            jpeg.extend([0xFF, 0xC0, 0, 8 + 3 * parts, 8, 0, 50, 0, 80, parts]);
            jpeg.extend(vec![0; 3 * usize::from(parts)]);
            jpeg.extend([0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
            jpeg
        };
        assert_eq!(image_size(&jpeg(3)), Some((ImageFormat::Jpeg, 80, 50, 3)));
        assert_eq!(image_size(&jpeg(4)), None, "CMYK is refused");
        assert_eq!(image_size(b"GIF89a"), None);
    }

    #[test]
    fn a_jpeg_loses_its_metadata_and_keeps_what_draws_it() {
        // SOI, APP1 (EXIF, 6 bytes), COM (4 bytes), DQT (4 bytes), SOF0, SOS and scan, EOI.
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend([0xFF, 0xE1, 0, 8, b'E', b'x', b'i', b'f', 0, 0]);
        jpeg.extend([0xFF, 0xFE, 0, 6, b'G', b'P', b'S', b'!']);
        jpeg.extend([0xFF, 0xDB, 0, 6, 1, 2, 3, 4]);
        jpeg.extend([0xFF, 0xC0, 0, 17, 8, 0, 50, 0, 80, 3]);
        jpeg.extend([0; 9]);
        jpeg.extend([0xFF, 0xDA, 0, 4, 9, 9, 7, 7, 7, 0xFF, 0xD9]);
        let kept = jpeg_without_metadata(&jpeg).unwrap();
        let text = String::from_utf8_lossy(&kept);
        assert!(!text.contains("Exif") && !text.contains("GPS"), "{kept:?}");
        assert!(kept.windows(2).any(|w| w == [0xFF, 0xDB]));
        assert!(kept.ends_with(&[7, 7, 7, 0xFF, 0xD9]));
        assert_eq!(image_size(&kept), Some((ImageFormat::Jpeg, 80, 50, 3)));
        assert_eq!(jpeg_without_metadata(&jpeg[..12]), None, "cut short");
    }
}
