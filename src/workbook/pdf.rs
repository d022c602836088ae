//! The drawing seam: a laid-out document becomes PDF bytes here and nowhere else.
//!
//! [`write()`] draws the pages with printpdf at the level of page operations, then a lopdf
//! post-pass adds what printpdf does not: the nested outline, link and form-field
//! annotations, the document language, the subset tags on font names, and a document ID
//! derived from the content so the same inputs give the same bytes. Another backend would
//! implement the same function over the same [`Laid`] input.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use super::blocks::Target;
use super::fonts::{Face, FontSet};
use super::layout::{Item, Laid};
use super::style::{Rgb, Style};
use crate::source::Date;

/// The document's metadata.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub language: String,
    /// The creation date: the site's `as_of`, so builds are reproducible.
    pub created: Date,
}

fn font_id(face: Face) -> FontId {
    FontId(format!("F{}", face.index()))
}

fn colour(rgb: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(rgb.0, rgb.1, rgb.2, None))
}

/// Why a PDF could not be made. None of these happens with fonts that loaded and a layout
/// that finished; each says which step failed, for the report that blames `theme.yaml`.
#[derive(Debug)]
pub enum PdfError {
    /// A face of the theme's fonts could not be cut down to the characters used.
    Subset(Face, String),
    /// The document drawn by printpdf was not as the post-pass expects.
    Document(String),
    /// A stream could not be compressed, or the file not written.
    Save(std::io::Error),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Subset(face, why) => write!(f, "cannot cut the {face:?} font down: {why}"),
            PdfError::Document(why) => write!(f, "the drawn document is not as expected: {why}"),
            PdfError::Save(error) => write!(f, "cannot save the document: {error}"),
        }
    }
}

impl std::error::Error for PdfError {}

impl From<lopdf::Error> for PdfError {
    fn from(error: lopdf::Error) -> Self {
        PdfError::Document(error.to_string())
    }
}

/// Draws `laid` into a PDF.
pub fn write(
    laid: &Laid,
    fonts: &FontSet,
    style: &Style,
    meta: &Meta,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&meta.title);
    let created = created_timestamp(meta.created);
    let info = &mut doc.metadata.info;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "advocate".to_owned();
    info.producer = "advocate (printpdf, lopdf)".to_owned();
    info.creation_date = created;
    info.modification_date = created;
    info.metadata_date = created;
    info.identifier = meta.title.clone();

    let mut names = BTreeMap::new();
    for face in Face::ALL {
        let chars = &laid.chars[face.index()];
        if chars.is_empty() {
            continue;
        }
        let subset = fonts
            .subset(face, chars)
            .map_err(|why| PdfError::Subset(face, why))?;
        names.insert(
            face,
            (
                subset.font_name.clone().unwrap_or_default(),
                subset_tag(face, chars),
            ),
        );
        doc.resources
            .fonts
            .map
            .insert(font_id(face), PdfFont::new(subset));
    }

    let height = style.page_height;
    let pages = laid
        .pages
        .iter()
        .map(|page| {
            let mut ops = Vec::with_capacity(page.items.len() * 4);
            let mut in_text = false;
            let mut current: Option<(Face, f32, Rgb)> = None;
            for item in &page.items {
                match item {
                    Item::Text {
                        x,
                        y,
                        face,
                        size,
                        colour: c,
                        text,
                    } => {
                        if !in_text {
                            ops.push(Op::StartTextSection);
                            in_text = true;
                        }
                        if current
                            .is_none_or(|(f, s, _)| f != *face || (s - size).abs() > f32::EPSILON)
                        {
                            ops.push(Op::SetFont {
                                font: PdfFontHandle::External(font_id(*face)),
                                size: Pt(*size),
                            });
                        }
                        if current.is_none_or(|(_, _, col)| col != *c) {
                            ops.push(Op::SetFillColor { col: colour(*c) });
                        }
                        current = Some((*face, *size, *c));
                        ops.push(Op::SetTextMatrix {
                            matrix: TextMatrix::Translate(Pt(*x), Pt(height - y)),
                        });
                        ops.push(Op::ShowText {
                            items: vec![TextItem::Text(text.clone())],
                        });
                    }
                    Item::Line {
                        x1,
                        y1,
                        x2,
                        y2,
                        width,
                        colour: c,
                    } => {
                        close_text(&mut ops, &mut in_text, &mut current);
                        ops.push(Op::SetOutlineColor { col: colour(*c) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        ops.push(Op::DrawLine {
                            line: Line {
                                points: vec![
                                    LinePoint {
                                        p: Point {
                                            x: Pt(*x1),
                                            y: Pt(height - y1),
                                        },
                                        bezier: false,
                                    },
                                    LinePoint {
                                        p: Point {
                                            x: Pt(*x2),
                                            y: Pt(height - y2),
                                        },
                                        bezier: false,
                                    },
                                ],
                                is_closed: false,
                            },
                        });
                    }
                    Item::Fill {
                        x,
                        y,
                        w,
                        h,
                        colour: c,
                    } => {
                        close_text(&mut ops, &mut in_text, &mut current);
                        ops.push(Op::SetFillColor { col: colour(*c) });
                        ops.push(Op::DrawRectangle {
                            rectangle: Rect {
                                x: Pt(*x),
                                y: Pt(height - y - h),
                                width: Pt(*w),
                                height: Pt(*h),
                                mode: Some(PaintMode::Fill),
                                winding_order: Some(WindingOrder::NonZero),
                            },
                        });
                    }
                    Item::Field { .. } | Item::Link { .. } => {}
                }
            }
            close_text(&mut ops, &mut in_text, &mut current);
            PdfPage::new(
                Mm(style.page_width * 25.4 / 72.0),
                Mm(height * 25.4 / 72.0),
                ops,
            )
        })
        .collect();
    doc.with_pages(pages);
    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    // Form fields, /Lang and outlines with UTF-16 titles are PDF 1.4 features and later.
    lo.version = "1.7".to_owned();
    post_pass(&mut lo, laid, style, meta, &names)?;
    compress(&mut lo)?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(PdfError::Save)?;
    Ok(bytes)
}

/// Deflates every stream that is not compressed yet, at the fast level: on workbooks this is
/// most of the time spent, and the best level saves only a few per cent of the size.
fn compress(doc: &mut lopdf::Document) -> Result<(), PdfError> {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.dict.get(b"Filter").is_err()
            && stream.allows_compression
        {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&stream.content).map_err(PdfError::Save)?;
            let compressed = encoder.finish().map_err(PdfError::Save)?;
            if compressed.len() < stream.content.len() {
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(compressed);
            }
        }
    }
    Ok(())
}

fn close_text(ops: &mut Vec<Op>, in_text: &mut bool, current: &mut Option<(Face, f32, Rgb)>) {
    if *in_text {
        ops.push(Op::EndTextSection);
        *in_text = false;
        *current = None;
    }
}

fn created_timestamp(date: Date) -> printpdf::OffsetDateTime {
    let seconds = date
        .0
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    printpdf::OffsetDateTime::from_unix_timestamp(seconds).unwrap_or_else(|_| {
        printpdf::OffsetDateTime::from_unix_timestamp(0).expect("the epoch is a valid date")
    })
}

/// Six capital letters naming a subset (ISO 32000-1, 9.6.4), derived from what it holds.
fn subset_tag(face: Face, chars: &std::collections::BTreeSet<char>) -> String {
    let mut hash: u64 = 0xcbf29ce484222325 ^ face.index() as u64;
    for c in chars {
        hash ^= *c as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    (0..6)
        .map(|i| (b'A' + ((hash >> (i * 5)) % 26) as u8) as char)
        .collect()
}

fn text(value: &str) -> Object {
    // UTF-16BE with a byte-order mark: PDF's text string encoding for anything beyond ASCII.
    let mut bytes = vec![0xfe, 0xff];
    for unit in value.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn rect(style: &Style, x: f32, y: f32, w: f32, h: f32) -> Object {
    let height = style.page_height;
    Object::Array(vec![
        x.into(),
        (height - y - h).into(),
        (x + w).into(),
        (height - y).into(),
    ])
}

fn post_pass(
    doc: &mut lopdf::Document,
    laid: &Laid,
    style: &Style,
    meta: &Meta,
    names: &BTreeMap<Face, (String, String)>,
) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    if pages.len() != laid.pages.len() {
        return Err(PdfError::Document(format!(
            "{} pages drawn, {} laid out",
            pages.len(),
            laid.pages.len()
        )));
    }
    let destination = |page: usize, y: f32| {
        Object::Array(vec![
            Object::Reference(pages[page.min(pages.len() - 1)]),
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            (style.page_height - y + 6.0).into(),
            Object::Null,
        ])
    };

    // Fonts: the subset tag on every name of each embedded face.
    for (face, (name, tag)) in names {
        let _ = face;
        let tagged = format!("{tag}+{name}").into_bytes();
        for object in doc.objects.values_mut() {
            if let Object::Dictionary(dict) = object {
                for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
                    if let Ok(Object::Name(current)) = dict.get(key)
                        && current.as_slice() == name.as_bytes()
                    {
                        dict.set(key, Object::Name(tagged.clone()));
                    }
                }
            }
        }
    }
    let regular_font = first_font_reference(doc, pages[0]);

    // Links and form fields, page by page.
    let mut fields = Vec::new();
    for (index, page) in laid.pages.iter().enumerate() {
        let mut annotations = Vec::new();
        for item in &page.items {
            match item {
                Item::Link { x, y, w, h, target } => {
                    let mut link = Dictionary::new();
                    link.set("Type", Object::Name(b"Annot".to_vec()));
                    link.set("Subtype", Object::Name(b"Link".to_vec()));
                    link.set("Rect", rect(style, *x, *y, *w, *h));
                    link.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
                    match target {
                        Target::Uri(uri) => {
                            let mut action = Dictionary::new();
                            action.set("S", Object::Name(b"URI".to_vec()));
                            action.set(
                                "URI",
                                Object::String(uri.as_bytes().to_vec(), StringFormat::Literal),
                            );
                            link.set("A", Object::Dictionary(action));
                        }
                        Target::Anchor(anchor) => match laid.anchors.get(anchor) {
                            Some((page, y)) => link.set("Dest", destination(*page, *y)),
                            None => continue,
                        },
                    }
                    annotations.push(Object::Reference(doc.add_object(Object::Dictionary(link))));
                }
                Item::Field { name, x, y, w, h } => {
                    let mut field = Dictionary::new();
                    field.set("Type", Object::Name(b"Annot".to_vec()));
                    field.set("Subtype", Object::Name(b"Widget".to_vec()));
                    field.set("FT", Object::Name(b"Tx".to_vec()));
                    field.set("Ff", Object::Integer(4096));
                    field.set("T", text(name));
                    field.set("TU", text(name));
                    field.set("Rect", rect(style, *x, *y, *w, *h));
                    field.set("F", Object::Integer(4));
                    field.set("P", Object::Reference(pages[index]));
                    field.set(
                        "DA",
                        Object::String(
                            format!("/F0 {} Tf 0 g", style.body).into_bytes(),
                            StringFormat::Literal,
                        ),
                    );
                    let id = doc.add_object(Object::Dictionary(field));
                    annotations.push(Object::Reference(id));
                    fields.push(Object::Reference(id));
                }
                _ => {}
            }
        }
        if !annotations.is_empty() {
            let page = doc
                .get_object_mut(pages[index])
                .and_then(Object::as_dict_mut)?;
            page.set("Annots", Object::Array(annotations));
        }
    }

    let catalog_id = doc.trailer.get(b"Root").and_then(Object::as_reference)?;
    let mut catalog_additions: Vec<(&str, Object)> = vec![("Lang", text(&meta.language))];
    if !fields.is_empty() {
        let mut acro = Dictionary::new();
        acro.set("Fields", Object::Array(fields));
        acro.set("NeedAppearances", Object::Boolean(true));
        acro.set(
            "DA",
            Object::String(
                format!("/F0 {} Tf 0 g", style.body).into_bytes(),
                StringFormat::Literal,
            ),
        );
        if let Some(font) = regular_font {
            let mut fonts = Dictionary::new();
            fonts.set("F0", Object::Reference(font));
            let mut resources = Dictionary::new();
            resources.set("Font", Object::Dictionary(fonts));
            acro.set("DR", Object::Dictionary(resources));
        }
        catalog_additions.push((
            "AcroForm",
            Object::Reference(doc.add_object(Object::Dictionary(acro))),
        ));
    }
    if !laid.outline.is_empty() {
        let outline = add_outline(doc, laid, &destination);
        catalog_additions.push(("Outlines", Object::Reference(outline)));
        catalog_additions.push(("PageMode", Object::Name(b"UseOutlines".to_vec())));
    }
    let catalog = doc
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)?;
    for (key, value) in catalog_additions {
        catalog.set(key, value);
    }
    let id = Object::String(
        document_id(meta, laid).into_bytes(),
        StringFormat::Hexadecimal,
    );
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}

/// The regular face's font object, from the first page's resources.
fn first_font_reference(doc: &lopdf::Document, page: ObjectId) -> Option<ObjectId> {
    let page = doc.get_object(page).ok()?.as_dict().ok()?;
    let resources = match page.get(b"Resources").ok()? {
        Object::Reference(id) => doc.get_object(*id).ok()?.as_dict().ok()?,
        Object::Dictionary(dict) => dict,
        _ => return None,
    };
    let fonts = match resources.get(b"Font").ok()? {
        Object::Reference(id) => doc.get_object(*id).ok()?.as_dict().ok()?,
        Object::Dictionary(dict) => dict,
        _ => return None,
    };
    fonts.get(b"F0").ok()?.as_reference().ok()
}

/// A stable document ID: a hash of the title and the laid-out text.
fn document_id(meta: &Meta, laid: &Laid) -> String {
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u128::from(*b);
            hash = hash.wrapping_mul(0x0000000001000000000000000000013B);
        }
    };
    feed(meta.title.as_bytes());
    for page in &laid.pages {
        for item in &page.items {
            if let Item::Text { text, .. } = item {
                feed(text.as_bytes());
            }
        }
    }
    format!("{hash:032x}")
}

/// The nested outline: each entry is a child of the nearest earlier entry of a lower level.
fn add_outline(
    doc: &mut lopdf::Document,
    laid: &Laid,
    destination: &dyn Fn(usize, f32) -> Object,
) -> ObjectId {
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = laid.outline.iter().map(|_| doc.new_object_id()).collect();
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    let mut stack: Vec<usize> = Vec::new();
    for (index, entry) in laid.outline.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&top| laid.outline[top].level >= entry.level)
        {
            stack.pop();
        }
        parents.push(stack.last().copied());
        stack.push(index);
    }
    let children = |parent: Option<usize>| -> Vec<usize> {
        (0..ids.len()).filter(|i| parents[*i] == parent).collect()
    };
    let count = |node: Option<usize>| -> i64 {
        let mut total = 0;
        let mut queue = children(node);
        while let Some(next) = queue.pop() {
            total += 1;
            queue.extend(children(Some(next)));
        }
        total
    };
    for (index, entry) in laid.outline.iter().enumerate() {
        let siblings = children(parents[index]);
        let position = siblings.iter().position(|s| *s == index).unwrap_or(0);
        let mut dict = Dictionary::new();
        dict.set("Title", text(&entry.title));
        dict.set(
            "Parent",
            Object::Reference(parents[index].map_or(root, |p| ids[p])),
        );
        dict.set("Dest", destination(entry.page, entry.y));
        if position > 0 {
            dict.set("Prev", Object::Reference(ids[siblings[position - 1]]));
        }
        if let Some(next) = siblings.get(position + 1) {
            dict.set("Next", Object::Reference(ids[*next]));
        }
        let own = children(Some(index));
        if let (Some(first), Some(last)) = (own.first(), own.last()) {
            dict.set("First", Object::Reference(ids[*first]));
            dict.set("Last", Object::Reference(ids[*last]));
            dict.set("Count", Object::Integer(count(Some(index))));
        }
        doc.objects.insert(ids[index], Object::Dictionary(dict));
    }
    let top = children(None);
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (top.first(), top.last()) {
        outlines.set("First", Object::Reference(ids[*first]));
        outlines.set("Last", Object::Reference(ids[*last]));
    }
    outlines.set("Count", Object::Integer(count(None)));
    doc.objects.insert(root, Object::Dictionary(outlines));
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::blocks::{Block, Span};
    use crate::workbook::fonts::tests::default_fonts;
    use crate::workbook::layout::{Running, lay_out};

    fn sample() -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (style, _) = crate::workbook::style::load(
            &root.join("themes/default"),
            root,
            crate::model::site::Paper::A4,
        )
        .unwrap();
        let fonts = default_fonts();
        let blocks = vec![
            Block::Heading {
                level: 1,
                text: "Stage 2 · Briefings".into(),
                anchor: Some("s2".into()),
                outline: true,
            },
            Block::heading(2, "Zoë Lefèvre’s business"),
            Block::text(vec![
                Span::plain("Her answer, with "),
                Span::italic("emphasis"),
                Span::plain(" and "),
                Span {
                    text: "a link".into(),
                    face: Face::Regular,
                    link: Some(Target::Uri("https://example.org".into())),
                },
            ]),
            Block::ruled("business_purpose", 4, "What is your business for?"),
            Block::heading(2, "Back"),
            Block::text(vec![Span {
                text: "to the top".into(),
                face: Face::Bold,
                link: Some(Target::Anchor("s2".into())),
            }]),
        ];
        let laid = lay_out(
            &blocks,
            &fonts,
            &style,
            &Running {
                title: "Workbook".into(),
                first_decorated: 0,
            },
            &Default::default(),
        );
        let meta = Meta {
            title: "Workbook — Zoë".into(),
            author: "Harriet".into(),
            subject: "test".into(),
            language: "en-GB".into(),
            created: Date::parse("2026-11-22").unwrap(),
        };
        write(&laid, &fonts, &style, &meta).unwrap()
    }

    #[test]
    fn writes_text_fields_outline_links_and_metadata_deterministically() {
        let bytes = sample();
        assert_eq!(bytes, sample(), "same inputs, same bytes");
        std::fs::write(std::env::temp_dir().join("advocate-sample.pdf"), &bytes).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("Zoë Lefèvre’s business"), "{text}");
        assert!(text.contains("emphasis"), "{text}");
        let catalog = doc.catalog().unwrap();
        assert!(catalog.get(b"Lang").is_ok());
        let acro = doc
            .get_object(catalog.get(b"AcroForm").unwrap().as_reference().unwrap())
            .unwrap()
            .as_dict()
            .unwrap();
        let fields = acro.get(b"Fields").unwrap().as_array().unwrap();
        assert_eq!(fields.len(), 1);
        let outlines = doc
            .get_object(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
            .unwrap()
            .as_dict()
            .unwrap();
        assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 3);
        assert!(bytes.len() < 60_000, "{} bytes", bytes.len());
    }
}
