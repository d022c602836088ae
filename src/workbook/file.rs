//! The PDF file of a finished lopdf document (ISO 32000-1, 7.5): the streams as indirect
//! objects, every other object packed into deflated object streams (7.5.7; one for a
//! workbook), and a cross-reference stream (7.5.8).
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
    /// At this byte of the file, with this generation.
    At(usize, u16),
    /// In the object stream numbered first, at the index second.
    Packed(u32, u32),
}

/// Objects per object stream: readers count an object's place in its stream in two bytes
/// (lopdf does), so a stream never holds more than that.
const OBJECTS_PER_STREAM: usize = 10_000;

/// One object stream being filled: its offsets table, its objects, how many.
#[derive(Default)]
struct Pack {
    offsets: String,
    objects: Vec<u8>,
    count: u32,
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
    let highest = doc
        .objects
        .keys()
        .map(|(number, _)| *number)
        .max()
        .unwrap_or(0)
        .max(doc.max_id);
    let packable = |(number, generation): &(u32, u16), object: &Object| {
        *generation == 0 && !matches!(object, Object::Stream(_)) && *number > 0
    };
    let packed_count = doc.objects.iter().filter(|(id, o)| packable(id, o)).count();
    let streams = packed_count.div_ceil(OBJECTS_PER_STREAM).max(1) as u32;
    let xref_stream = highest + streams + 1;
    let mut entries = vec![Entry::Free; xref_stream as usize + 1];
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut packs: Vec<Pack> = Vec::new();
    for (id, object) in doc.objects {
        let (number, generation) = id;
        if packable(&id, &object) {
            if packs
                .last()
                .is_none_or(|pack| pack.count == OBJECTS_PER_STREAM as u32)
            {
                packs.push(Pack::default());
            }
            let stream = highest + packs.len() as u32;
            let pack = packs.last_mut().expect("a pack was just made");
            pack.offsets
                .push_str(&format!("{number} {} ", pack.objects.len()));
            pack.objects.extend(serialise(object)?);
            pack.objects.push(b'\n');
            entries[number as usize] = Entry::Packed(stream, pack.count);
            pack.count += 1;
        } else {
            entries[number as usize] = Entry::At(out.len(), generation);
            out.extend(format!("{number} {generation} obj\n").as_bytes());
            out.extend(serialise(object)?);
            out.extend(b"\nendobj\n");
        }
    }
    for (index, pack) in packs.into_iter().enumerate() {
        let number = highest + 1 + index as u32;
        let first = pack.offsets.len();
        let mut content = pack.offsets.into_bytes();
        content.extend(pack.objects);
        let content = deflate(&content).map_err(lopdf::Error::IO)?;
        let dict = Dictionary::from_iter([
            ("Type", Object::Name(b"ObjStm".to_vec())),
            ("N", Object::Integer(i64::from(pack.count))),
            ("First", Object::Integer(first as i64)),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]);
        entries[number as usize] = Entry::At(out.len(), 0);
        write_stream(&mut out, number, dict, content)?;
    }

    // The cross-reference stream: a type byte, then the offset (or the object stream's
    // number) and the generation (or the index in the object stream), each in as many bytes
    // as its largest value needs.
    let xref_at = out.len();
    entries[xref_stream as usize] = Entry::At(xref_at, 0);
    let fields: Vec<(u8, u64, u64)> = entries
        .iter()
        .enumerate()
        .map(|(number, entry)| match entry {
            Entry::Free if number == 0 => (0, 0, 0xffff),
            Entry::Free => (0, 0, 0),
            Entry::At(offset, generation) => (1, *offset as u64, u64::from(*generation)),
            Entry::Packed(stream, index) => (2, u64::from(*stream), u64::from(*index)),
        })
        .collect();
    let width = |value: u64| {
        (1..=8)
            .find(|bytes| value < 1u64 << (8 * bytes))
            .unwrap_or(8)
    };
    let second = width(fields.iter().map(|f| f.1).max().unwrap_or(0));
    let third = width(fields.iter().map(|f| f.2).max().unwrap_or(0));
    let mut rows = Vec::with_capacity(fields.len() * (1 + second + third));
    for (kind, field, index) in fields {
        rows.push(kind);
        rows.extend(&field.to_be_bytes()[8 - second..]);
        rows.extend(&index.to_be_bytes()[8 - third..]);
    }
    let mut dict = Dictionary::from_iter([
        ("Type", Object::Name(b"XRef".to_vec())),
        ("Size", Object::Integer(i64::from(xref_stream) + 1)),
        (
            "W",
            Object::Array(vec![
                1.into(),
                (second as i64).into(),
                (third as i64).into(),
            ]),
        ),
        ("Filter", Object::Name(b"FlateDecode".to_vec())),
    ]);
    for key in [b"Root".as_slice(), b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            dict.set(key, value.clone());
        }
    }
    let rows = deflate(&rows).map_err(lopdf::Error::IO)?;
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

    #[test]
    fn more_objects_than_a_stream_holds_and_other_generations_read_back() {
        let mut doc = lopdf::Document::with_version("1.7");
        let numbers: Vec<_> = (0..25_000)
            .map(|n| doc.add_object(Object::Integer(n)))
            .collect();
        let old = (doc.max_id + 1, 1);
        doc.objects
            .insert(old, Object::string_literal("second generation"));
        doc.max_id += 1;
        let catalog = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Last", Object::Reference(*numbers.last().unwrap())),
            ("Old", Object::Reference(old)),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let bytes = write(doc).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&bytes).matches("/ObjStm").count(),
            3
        );
        let read = lopdf::Document::load_mem(&bytes).unwrap();
        let catalog = read.catalog().unwrap();
        let value = |key: &[u8]| {
            read.get_object(catalog.get(key).unwrap().as_reference().unwrap())
                .unwrap()
                .clone()
        };
        assert_eq!(value(b"Last"), Object::Integer(24_999));
        assert_eq!(value(b"Old").as_str().unwrap(), b"second generation");
    }
}
