//! A face embedded in a PDF: a Type0 font over a CIDFontType2 with the identity encoding
//! (ISO 32000-1, 9.7), its descriptor, its font program and its ToUnicode map.
//!
//! Written here rather than left to printpdf: printpdf embeds a font by reading it again for
//! every document and mapping the characters it drew, while a subset of ours holds glyphs
//! chosen by shaping (ligatures no character maps to) and is made once for every document
//! that draws the same glyphs, deflated once. These objects are copied into each document.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::fonts::{Descriptor, Subset};

/// Adds the objects of `subset` of the face `descriptor` describes to `doc`, and returns the
/// Type0 font's object.
pub(crate) fn embed(
    doc: &mut lopdf::Document,
    descriptor: &Descriptor,
    subset: &Subset,
) -> ObjectId {
    let name = Object::Name(format!("{}+{}", subset.tag, descriptor.name).into_bytes());
    let program = doc.add_object(deflated(
        Dictionary::from_iter([("Length1", Object::Integer(subset.program_length as i64))]),
        subset.program.clone(),
    ));
    let mut described = Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name.clone()),
        ("Flags", Object::Integer(descriptor.flags)),
        (
            "FontBBox",
            Object::Array(
                descriptor
                    .bbox
                    .iter()
                    .map(|v| Object::Integer(*v))
                    .collect(),
            ),
        ),
        ("ItalicAngle", Object::Integer(descriptor.italic_angle)),
        ("Ascent", Object::Integer(descriptor.ascent)),
        ("Descent", Object::Integer(descriptor.descent)),
        ("CapHeight", Object::Integer(descriptor.cap_height)),
        ("StemV", Object::Integer(descriptor.stem_v)),
        ("FontFile2", Object::Reference(program)),
    ]);
    if let Some(x_height) = descriptor.x_height {
        described.set("XHeight", Object::Integer(x_height));
    }
    let described = doc.add_object(described);
    let cid_font = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", name.clone()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(described)),
        ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
        ("W", widths(&subset.widths)),
    ]);
    let to_unicode = doc.add_object(deflated(Dictionary::new(), subset.to_unicode.clone()));
    doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(cid_font)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ]))
}

/// A stream of content already deflated.
fn deflated(mut dict: Dictionary, content: Vec<u8>) -> Stream {
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    Stream::new(dict, content).with_compression(false)
}

/// The `/W` array: the subset's glyphs are numbered from 0 without gaps, so one run holds
/// every advance.
fn widths(widths: &[i64]) -> Object {
    Object::Array(vec![
        Object::Integer(0),
        Object::Array(widths.iter().map(|w| Object::Integer(*w)).collect()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_of_widths_from_glyph_zero() {
        assert_eq!(
            widths(&[500, 250, 0]),
            Object::Array(vec![
                Object::Integer(0),
                Object::Array(vec![
                    Object::Integer(500),
                    Object::Integer(250),
                    Object::Integer(0)
                ])
            ])
        );
    }
}
