//! The PDF file of a finished lopdf document (ISO 32000-1, 7.5): the streams as indirect
//! objects, every other object packed into one deflated object stream (7.5.7), and a
//! cross-reference stream (7.5.8).
//!
//! Written here rather than by lopdf's `save_with_options`, which serialises each packed
//! object three times and deflates each hundred objects with a new compressor: a quarter of
//! the time of a workbook. lopdf still serialises every object, through its public content
//! encoder.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object};

use super::deflate::deflate;

/// Where the cross-reference stream says an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Free,
    /// At this byte of the file.
    At(usize),
    /// The `index`th object of the object stream.
    Packed(u32),
}

/// `object` as PDF syntax.
fn serialise(object: Object) -> Result<Vec<u8>, lopdf::Error> {
    let mut bytes = Content {
        operations: vec![Operation::new("", vec![object])],
    }
    .encode()?;
    // The encoder writes a space between operand and operator.
    bytes.pop();
    Ok(bytes)
}

/// The file of `doc`, with its trailer's `Root`, `Info` and `ID`.
pub(crate) fn write(doc: lopdf::Document) -> Result<Vec<u8>, lopdf::Error> {
    let object_stream = doc.max_id + 1;
    let xref_stream = doc.max_id + 2;
    let mut entries = vec![Entry::Free; xref_stream as usize + 1];
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = String::new();
    let mut packed = Vec::new();
    let mut count = 0u32;
    for ((number, generation), object) in doc.objects {
        let Some(entry) = entries.get_mut(number as usize) else {
            continue;
        };
        if generation == 0 && !matches!(object, Object::Stream(_)) {
            offsets.push_str(&format!("{number} {} ", packed.len()));
            packed.extend(serialise(object)?);
            packed.push(b'\n');
            *entry = Entry::Packed(count);
            count += 1;
        } else {
            *entry = Entry::At(out.len());
            out.extend(format!("{number} {generation} obj\n").as_bytes());
            out.extend(serialise(object)?);
            out.extend(b"\nendobj\n");
        }
    }
    let first = offsets.len();
    let mut content = offsets.into_bytes();
    content.extend(packed);
    let content = deflate(&content).map_err(|e| lopdf::Error::IO(std::io::Error::other(e)))?;
    let dict = Dictionary::from_iter([
        ("Type", Object::Name(b"ObjStm".to_vec())),
        ("N", Object::Integer(i64::from(count))),
        ("First", Object::Integer(first as i64)),
        ("Filter", Object::Name(b"FlateDecode".to_vec())),
    ]);
    entries[object_stream as usize] = Entry::At(out.len());
    write_stream(&mut out, object_stream, dict, content)?;

    // The cross-reference stream: a type byte, four bytes of offset (or the object stream's
    // number) and two of generation (or the index in the object stream).
    let xref_at = out.len();
    entries[xref_stream as usize] = Entry::At(xref_at);
    let mut rows = Vec::with_capacity(entries.len() * 7);
    for (number, entry) in entries.iter().enumerate() {
        let (kind, field, index) = match entry {
            Entry::Free if number == 0 => (0u8, 0u32, 0xffffu16),
            Entry::Free => (0, 0, 0),
            Entry::At(offset) => (1, u32::try_from(*offset).unwrap_or(u32::MAX), 0),
            Entry::Packed(index) => (2, object_stream, u16::try_from(*index).unwrap_or(u16::MAX)),
        };
        rows.push(kind);
        rows.extend(field.to_be_bytes());
        rows.extend(index.to_be_bytes());
    }
    let mut dict = Dictionary::from_iter([
        ("Type", Object::Name(b"XRef".to_vec())),
        ("Size", Object::Integer(i64::from(xref_stream) + 1)),
        ("W", Object::Array(vec![1.into(), 4.into(), 2.into()])),
        ("Filter", Object::Name(b"FlateDecode".to_vec())),
    ]);
    for key in [b"Root".as_slice(), b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            dict.set(key, value.clone());
        }
    }
    let rows = deflate(&rows).map_err(|e| lopdf::Error::IO(std::io::Error::other(e)))?;
    write_stream(&mut out, xref_stream, dict, rows)?;
    out.extend(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(out)
}

fn write_stream(
    out: &mut Vec<u8>,
    number: u32,
    dict: Dictionary,
    content: Vec<u8>,
) -> Result<(), lopdf::Error> {
    out.extend(format!("{number} 0 obj\n").as_bytes());
    out.extend(serialise(Object::Stream(
        lopdf::Stream::new(dict, content).with_compression(false),
    ))?);
    out.extend(b"\nendobj\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_document_reads_back_with_its_objects_packed() {
        let mut doc = lopdf::Document::with_version("1.7");
        let page_content = doc.add_object(lopdf::Stream::new(
            Dictionary::new(),
            b"BT /F0 12 Tf (Hi) Tj ET".to_vec(),
        ));
        let note = doc.add_object(Object::string_literal("a (packed) string"));
        let catalog = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Note", Object::Reference(note)),
            ("Content", Object::Reference(page_content)),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let bytes = write(doc).unwrap();
        let read = lopdf::Document::load_mem(&bytes).unwrap();
        let catalog = read.catalog().unwrap();
        let note = read
            .get_object(catalog.get(b"Note").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(note.as_str().unwrap(), b"a (packed) string");
        let content = read
            .get_object(catalog.get(b"Content").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        assert_eq!(content.content, b"BT /F0 12 Tf (Hi) Tj ET");
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(
            text.matches(" obj\n").count(),
            3,
            "the content, the objects, the xref"
        );
    }
}
