//! The drawing seam: a laid-out document becomes PDF bytes here and nowhere else.
//!
//! [`write()`] shapes the text, cuts each face down to the glyphs drawn, and writes each page's
//! content stream ([`super::content`]). printpdf makes the document around them (pages,
//! boxes, resources, information); a lopdf post-pass adds the rest: the embedded fonts
//! ([`super::embed`]), the nested outline, link and form-field annotations, the structure tree,
//! the document language and metadata, and a document ID derived from the content so the same
//! inputs give the same bytes. Another backend would implement the same function over the
//! same [`Laid`] input.

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use super::blocks::Target;
use super::content::Content;
use super::deflate::deflate;
use super::embed;
use super::file;
use super::fonts::{self, Face, FontSet};
use super::images;
use super::layout::{Item, Laid};
use super::shaping::Word;
use super::structure::{Element, Kind, Mark};
use super::style::{Rgb, Style};
use crate::model::branding::Logo;
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

/// The resource name a face is shown under in content streams and the form's appearance.
fn font_name(face: Face) -> String {
    format!("F{}", face.index())
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

    let has_fields = laid.pages.iter().any(|page| {
        page.items
            .iter()
            .any(|item| matches!(item, Item::Field { .. }))
    });
    let mut glyphs = drawn_glyphs(laid, fonts);
    if has_fields {
        // Typed text is drawn in the regular face: it keeps the letters people type.
        fonts.add_typing(&mut glyphs[Face::Regular.index()]);
    }
    let mut subsets: [Option<std::sync::Arc<fonts::Subset>>; 4] = Default::default();
    for face in Face::ALL {
        let drawn = &glyphs[face.index()];
        if !drawn.is_empty() {
            subsets[face.index()] = Some(
                fonts
                    .subset(face, drawn)
                    .map_err(|why| PdfError::Subset(face, why))?,
            );
        }
    }

    let height = style.page_height;
    let mut tagging = Tagging::new(&laid.elements, laid.pages.len());
    let mut contents = Vec::with_capacity(laid.pages.len());
    let mut images: Vec<Logo> = Vec::new();
    for (page_index, page) in laid.pages.iter().enumerate() {
        let mut content = Content::new();
        let mut in_text = false;
        let mut current: Option<(Face, f32, Rgb)> = None;
        let mut open: Option<Mark> = None;
        for (index, (item, mark)) in page.items.iter().zip(&page.marks).enumerate() {
            if matches!(
                item,
                Item::Field { .. } | Item::Check { .. } | Item::Link { .. }
            ) {
                if let Mark::Content(element) = mark {
                    tagging.add(
                        &laid.elements,
                        *element,
                        Kid::Annotation {
                            page: page_index,
                            item: index,
                        },
                    );
                }
                continue;
            }
            if open != Some(*mark) {
                close_text(&mut content, &mut in_text, &mut current);
                if open.is_some() {
                    content.end_marked();
                }
                tagging.begin(&mut content, &laid.elements, *mark, page_index);
                open = Some(*mark);
            }
            match item {
                Item::Text {
                    x,
                    y,
                    face,
                    size,
                    colour: c,
                    text,
                } => {
                    // A face with no subset drew nothing: there is no font to name.
                    let Some(subset) = subsets[face.index()].as_ref().filter(|_| !text.is_empty())
                    else {
                        continue;
                    };
                    if !in_text {
                        content.begin_text();
                        in_text = true;
                    }
                    if current.is_none_or(|(f, s, _)| f != *face || (s - size).abs() > f32::EPSILON)
                    {
                        content.font(&font_name(*face), *size);
                    }
                    if current.is_none_or(|(_, _, col)| col != *c) {
                        content.fill_colour(*c);
                    }
                    current = Some((*face, *size, *c));
                    content.text_at(*x, height - y);
                    let mut run = Run::new(&mut content, fonts, *face, *size, subset);
                    run.text(text, &glyphs[face.index()]);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    colour: c,
                } => {
                    close_text(&mut content, &mut in_text, &mut current);
                    content.stroke_colour(*c);
                    content.line_width(*width);
                    content.line((*x1, height - y1), (*x2, height - y2));
                }
                Item::Fill {
                    x,
                    y,
                    w,
                    h,
                    colour: c,
                } => {
                    close_text(&mut content, &mut in_text, &mut current);
                    content.fill_colour(*c);
                    content.fill_rectangle(*x, height - y - h, *w, *h);
                }
                Item::Image { x, y, w, h, logo } => {
                    close_text(&mut content, &mut in_text, &mut current);
                    let index = match images.iter().position(|known| known == logo) {
                        Some(index) => index,
                        None => {
                            images.push(logo.clone());
                            images.len() - 1
                        }
                    };
                    content.image(&image_name(index), *x, height - y - h, *w, *h);
                }
                Item::Field { .. } | Item::Check { .. } | Item::Link { .. } => {}
            }
        }
        close_text(&mut content, &mut in_text, &mut current);
        if open.is_some() {
            content.end_marked();
        }
        contents.push(content.into_bytes());
    }
    // printpdf makes the document (pages, boxes, resources, information); each page's
    // content stream is ours, put in by the post-pass.
    doc.with_pages(
        contents
            .iter()
            .map(|_| {
                PdfPage::new(
                    Mm(style.page_width * 25.4 / 72.0),
                    Mm(height * 25.4 / 72.0),
                    Vec::new(),
                )
            })
            .collect(),
    );
    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&options, &mut warnings);
    let drawn = Drawn {
        subsets,
        contents,
        tagging,
        images,
    };
    post_pass(&mut lo, laid, style, fonts, meta, drawn)?;
    compress(&mut lo)?;
    file::write(lo).map_err(PdfError::from)
}

/// Deflates every stream that is not compressed yet, at zlib's default level: a fifth to a
/// third smaller than the fast level. (Font programs come deflated, once a build.)
fn compress(doc: &mut lopdf::Document) -> Result<(), PdfError> {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.dict.get(b"Filter").is_err()
            && stream.allows_compression
        {
            let compressed = deflate(&stream.content).map_err(PdfError::Save)?;
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

/// Each face's glyphs drawn in `laid`, with the text each stands for in the ToUnicode map:
/// the character the font maps to it, or, for a glyph no character maps to (a ligature), the
/// letters it was first drawn for. Words whose glyphs do not spell them that way are drawn
/// with their own text as well (see [`Run`]).
fn drawn_glyphs(laid: &Laid, fonts: &FontSet) -> [BTreeMap<u16, String>; 4] {
    let mut glyphs: [BTreeMap<u16, String>; 4] = Default::default();
    let text_of =
        |face: Face, gid: u16, letters: &str, alone: bool| match fonts.character(face, gid) {
            // Presentation forms (the ligature characters U+FB00 on) are read as their letters.
            Some(c) if !('\u{fb00}'..='\u{fb4f}').contains(&c) => c.to_string(),
            _ if alone => letters.to_owned(),
            _ => String::new(),
        };
    for item in laid.pages.iter().flat_map(|page| &page.items) {
        let Item::Text { face, text, .. } = item else {
            continue;
        };
        let drawn = &mut glyphs[face.index()];
        if text.contains(fonts::is_space) {
            let space = fonts.space(*face).gid;
            drawn
                .entry(space)
                .or_insert_with(|| text_of(*face, space, " ", true));
        }
        for word in text.split(fonts::is_space).filter(|word| !word.is_empty()) {
            let shaped = fonts.shape(*face, word);
            for cluster in &shaped.clusters {
                let letters = &shaped.text[cluster.text.clone()];
                let alone = cluster.glyphs.len() == 1;
                for glyph in &shaped.glyphs[cluster.glyphs.clone()] {
                    drawn
                        .entry(glyph.gid)
                        .or_insert_with(|| text_of(*face, glyph.gid, letters, alone));
                }
            }
        }
    }
    glyphs
}

/// Whether a reader would read `word`'s glyphs as other than its letters: where the
/// ToUnicode map of `texts` spells them otherwise (a letter and its accents typed apart and
/// drawn as one glyph, a ligature first met for other letters), or where an accent is raised
/// onto another (poppler reads a glyph off the line after the line's other letters).
fn misread(word: &Word, texts: &BTreeMap<u16, String>) -> bool {
    word.glyphs.iter().any(|glyph| glyph.y_offset != 0)
        || word.clusters.iter().any(|cluster| {
            let mut letters = &word.text[cluster.text.clone()];
            for glyph in &word.glyphs[cluster.glyphs.clone()] {
                let read = texts.get(&glyph.gid).map_or("", String::as_str);
                match letters.strip_prefix(read) {
                    Some(rest) => letters = rest,
                    None => return true,
                }
            }
            !letters.is_empty()
        })
}

/// A line of text shown with `TJ`: the subset's glyph ids in runs of one string, and between
/// them the moves that put each glyph where shaping placed it. (A `TJ` number moves the pen
/// back by that many thousandths of an em, after each glyph moved it by its `/W` width.) A
/// glyph shaping raises or lowers (an accent on an accent) is shown with a text rise, and a
/// word [`misread`] is marked with its letters as `/ActualText`.
struct Run<'a> {
    content: &'a mut Content,
    fonts: &'a FontSet,
    face: Face,
    size: f32,
    subset: &'a fonts::Subset,
    /// Thousandths of an em per font unit.
    scale: f32,
    /// How far the pen is still to move before the next glyph, in thousandths of an em.
    pending: f32,
}

impl<'a> Run<'a> {
    fn new(
        content: &'a mut Content,
        fonts: &'a FontSet,
        face: Face,
        size: f32,
        subset: &'a fonts::Subset,
    ) -> Run<'a> {
        Run {
            content,
            fonts,
            face,
            size,
            subset,
            scale: fonts.scale(face, 1000.0),
            pending: 0.0,
        }
    }

    /// Shows `text`: its words shaped, with a space glyph between each two.
    fn text(&mut self, text: &str, texts: &BTreeMap<u16, String>) {
        for (index, word) in text.split(fonts::is_space).enumerate() {
            if index > 0 {
                self.glyph(self.fonts.space(self.face));
            }
            if word.is_empty() {
                continue;
            }
            let shaped = self.fonts.shape(self.face, word);
            let misread = misread(&shaped, texts);
            if misread {
                self.settle();
                self.content.begin_actual_text(&utf16_text(word));
            }
            for glyph in &shaped.glyphs {
                self.glyph(*glyph);
            }
            if misread {
                self.settle();
                self.content.end_marked();
            }
        }
        self.content.end_show();
    }

    fn glyph(&mut self, glyph: super::shaping::Glyph) {
        let raised = glyph.y_offset != 0;
        if raised {
            self.settle();
            self.content
                .rise(glyph.y_offset as f32 * self.scale * self.size / 1000.0);
        }
        self.pending += glyph.x_offset as f32 * self.scale;
        self.settle();
        let code = self.subset.gids.get(&glyph.gid).copied().unwrap_or(0);
        self.content.show_codes(&code.to_be_bytes());
        let width = self
            .subset
            .widths
            .get(usize::from(code))
            .copied()
            .unwrap_or(0);
        self.pending += (glyph.advance - glyph.x_offset) as f32 * self.scale - width as f32;
        if raised {
            self.settle();
            self.content.rise(0.0);
        }
    }

    /// Moves the pen on by what is pending, to a tenth of a thousandth of an em, if anything.
    fn settle(&mut self) {
        let tenths = (self.pending * 10.0).round();
        if tenths != 0.0 {
            self.content.show_move(-tenths / 10.0);
            self.pending -= tenths / 10.0;
        }
    }
}

/// `value` as UTF-16BE with a byte-order mark: PDF's text string encoding.
fn utf16_text(value: &str) -> Vec<u8> {
    let mut bytes = vec![0xfe, 0xff];
    for unit in value.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}

fn close_text(content: &mut Content, in_text: &mut bool, current: &mut Option<(Face, f32, Rgb)>) {
    if *in_text {
        content.end_text();
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

fn text(value: &str) -> Object {
    Object::String(utf16_text(value), StringFormat::Hexadecimal)
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

/// What the pages drew, for the post-pass: each face's subset, each page's content stream,
/// and the structure their marked content belongs to.
struct Drawn {
    subsets: [Option<std::sync::Arc<fonts::Subset>>; 4],
    contents: Vec<Vec<u8>>,
    tagging: Tagging,
    /// The images the pages draw, `Im0` first.
    images: Vec<Logo>,
}

fn post_pass(
    doc: &mut lopdf::Document,
    laid: &Laid,
    style: &Style,
    fonts: &FontSet,
    meta: &Meta,
    drawn: Drawn,
) -> Result<(), PdfError> {
    let Drawn {
        subsets,
        contents,
        tagging,
        images,
    } = drawn;
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    if pages.len() != laid.pages.len() {
        return Err(PdfError::Document(format!(
            "{} pages drawn, {} laid out",
            pages.len(),
            laid.pages.len()
        )));
    }
    for (page, content) in pages.iter().zip(contents) {
        let stream = doc
            .get_object(*page)
            .and_then(Object::as_dict)
            .and_then(|page| page.get(b"Contents"))
            .and_then(Object::as_reference)?;
        doc.get_object_mut(stream)
            .and_then(Object::as_stream_mut)?
            .set_plain_content(content);
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

    // Fonts: each face's subset, in the font resources every page shares.
    let mut font_resources = Dictionary::new();
    let mut regular_font = None;
    for face in Face::ALL {
        if let Some(subset) = &subsets[face.index()] {
            let font = embed::embed(doc, fonts.descriptor(face), subset);
            font_resources.set(font_name(face), Object::Reference(font));
            if face == Face::Regular {
                regular_font = Some(font);
            }
        }
    }
    let shared_fonts = page_font_resources(doc, pages[0])
        .ok_or_else(|| PdfError::Document("the first page has no font resources".to_owned()))?;
    *doc.get_object_mut(shared_fonts)? = Object::Dictionary(font_resources);

    // Images: each once, named in every page's resources.
    if !images.is_empty() {
        let mut xobjects = Dictionary::new();
        for (index, logo) in images.iter().enumerate() {
            let id = images::embed(doc, logo).map_err(PdfError::Document)?;
            xobjects.set(image_name(index), Object::Reference(id));
        }
        for page in &pages {
            let resources = match doc.get_object(*page)?.as_dict()?.get(b"Resources")? {
                Object::Reference(id) => *id,
                _ => {
                    return Err(PdfError::Document(
                        "a page's resources are not an object of their own".to_owned(),
                    ));
                }
            };
            doc.get_object_mut(resources)?
                .as_dict_mut()?
                .set("XObject", Object::Dictionary(xobjects.clone()));
        }
    }

    // Links and form fields, page by page.
    let mut form = Form::new(field_appearance(style));
    let mut annotation_ids = HashMap::new();
    // Structure parent keys: one per page, then one per annotation.
    let mut annotation_parents = Vec::new();
    for (index, page) in laid.pages.iter().enumerate() {
        let mut annotations = Vec::new();
        for (item_index, (item, mark)) in page.items.iter().zip(&page.marks).enumerate() {
            let id = match item {
                Item::Link {
                    x,
                    y,
                    w,
                    h,
                    target,
                    label,
                } => {
                    let mut link = Dictionary::new();
                    link.set("Type", Object::Name(b"Annot".to_vec()));
                    link.set("Subtype", Object::Name(b"Link".to_vec()));
                    link.set("Contents", text(label));
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
                    doc.add_object(Object::Dictionary(link))
                }
                Item::Field {
                    name,
                    tooltip,
                    x,
                    y,
                    w,
                    h,
                } => form.widget(
                    doc,
                    name,
                    tooltip,
                    pages[index],
                    rect(style, *x, *y, *w, *h),
                    (*w, *h),
                )?,
                Item::Check {
                    name,
                    tooltip,
                    x,
                    y,
                    size,
                    checked,
                } => form.checkbox(
                    doc,
                    name,
                    tooltip,
                    pages[index],
                    rect(style, *x, *y, *size, *size),
                    (*size, *checked),
                    style.text,
                )?,
                _ => continue,
            };
            if let Mark::Content(element) = mark {
                let key = (laid.pages.len() + annotation_parents.len()) as i64;
                annotation_parents.push((id, *element));
                doc.get_object_mut(id)
                    .and_then(Object::as_dict_mut)?
                    .set("StructParent", Object::Integer(key));
            }
            annotation_ids.insert((index, item_index), id);
            annotations.push(Object::Reference(id));
        }
        let page = doc
            .get_object_mut(pages[index])
            .and_then(Object::as_dict_mut)?;
        page.set("StructParents", Object::Integer(index as i64));
        if annotations.is_empty() {
            page.remove(b"Annots");
        } else {
            page.set("Annots", Object::Array(annotations));
            // Tab through fields and links in the order of the structure.
            page.set("Tabs", Object::Name(b"S".to_vec()));
        }
    }
    let structure = tagging.write(
        doc,
        &laid.elements,
        &pages,
        &annotation_ids,
        &annotation_parents,
    );

    // The information dictionary: no empty PDF/X version or keywords, the identifier as text.
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(info) = doc.get_object_mut(info).and_then(Object::as_dict_mut)
    {
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"Keywords");
        info.set("Identifier", text(&meta.title));
    }
    let catalog_id = doc.trailer.get(b"Root").and_then(Object::as_reference)?;
    let mut marked = Dictionary::new();
    marked.set("Marked", Object::Boolean(true));
    let mut viewer = Dictionary::new();
    viewer.set("DisplayDocTitle", Object::Boolean(true));
    let mut xmp = lopdf::Stream::new(Dictionary::new(), xmp_metadata(meta).into_bytes());
    xmp.dict.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp.dict.set("Subtype", Object::Name(b"XML".to_vec()));
    // Left readable: a catalogue or an archive reads the metadata without inflating it.
    xmp.allows_compression = false;
    let metadata = doc.add_object(Object::Stream(xmp));
    let mut catalog_additions: Vec<(&str, Object)> = vec![
        ("Lang", text(&meta.language)),
        ("MarkInfo", Object::Dictionary(marked)),
        ("StructTreeRoot", Object::Reference(structure)),
        ("ViewerPreferences", Object::Dictionary(viewer)),
        ("Metadata", Object::Reference(metadata)),
    ];
    if let Some(fields) = form.finish(doc)? {
        let mut acro = Dictionary::new();
        acro.set("Fields", Object::Array(fields));
        acro.set(
            "DA",
            Object::String(field_appearance(style).into_bytes(), StringFormat::Literal),
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

/// A child of a structure element, in reading order.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Element(usize),
    /// A marked-content sequence on a page.
    Content {
        page: usize,
        mcid: usize,
    },
    /// A link or widget annotation: the item at `item` on `page`.
    Annotation {
        page: usize,
        item: usize,
    },
}

/// The structure tree as the pages are drawn: each element's children in the order they
/// appear, and which element each marked-content sequence of each page belongs to.
struct Tagging {
    kids: Vec<Vec<Kid>>,
    /// Whether an element is already a child of its parent (or of the document).
    attached: Vec<bool>,
    /// The document's own children.
    top: Vec<usize>,
    /// For each page, the element of each marked-content identifier.
    page_mcids: Vec<Vec<usize>>,
}

impl Tagging {
    fn new(elements: &[Element], pages: usize) -> Tagging {
        Tagging {
            kids: vec![Vec::new(); elements.len()],
            attached: vec![false; elements.len()],
            top: Vec::new(),
            page_mcids: vec![Vec::new(); pages],
        }
    }

    fn attach(&mut self, elements: &[Element], element: usize) {
        if self.attached[element] {
            return;
        }
        self.attached[element] = true;
        match elements[element].parent {
            Some(parent) => {
                self.attach(elements, parent);
                self.kids[parent].push(Kid::Element(element));
            }
            None => self.top.push(element),
        }
    }

    fn add(&mut self, elements: &[Element], element: usize, kid: Kid) {
        self.attach(elements, element);
        self.kids[element].push(kid);
    }

    /// Opens a marked-content sequence for `mark` on `page`.
    fn begin(&mut self, content: &mut Content, elements: &[Element], mark: Mark, page: usize) {
        match mark {
            Mark::Artifact => content.begin_artifact(),
            Mark::Content(element) => {
                let mcid = self.page_mcids[page].len();
                self.page_mcids[page].push(element);
                self.add(elements, element, Kid::Content { page, mcid });
                content.begin_tagged(elements[element].kind.name(), mcid);
            }
        }
    }

    /// Writes the structure tree and returns its root.
    fn write(
        self,
        doc: &mut lopdf::Document,
        elements: &[Element],
        pages: &[ObjectId],
        annotations: &HashMap<(usize, usize), ObjectId>,
        annotation_parents: &[(ObjectId, usize)],
    ) -> ObjectId {
        let root = doc.new_object_id();
        let document = doc.new_object_id();
        let ids: Vec<ObjectId> = elements.iter().map(|_| doc.new_object_id()).collect();
        for (index, element) in elements.iter().enumerate() {
            if !self.attached[index] {
                continue;
            }
            let mut first_page = None;
            let kids: Vec<Object> = self.kids[index]
                .iter()
                .filter_map(|kid| match *kid {
                    Kid::Element(child) => Some(Object::Reference(ids[child])),
                    Kid::Content { page, mcid } => {
                        first_page.get_or_insert(page);
                        let mut reference = Dictionary::new();
                        reference.set("Type", Object::Name(b"MCR".to_vec()));
                        reference.set("Pg", Object::Reference(pages[page]));
                        reference.set("MCID", Object::Integer(mcid as i64));
                        Some(Object::Dictionary(reference))
                    }
                    Kid::Annotation { page, item } => {
                        let annotation = annotations.get(&(page, item))?;
                        first_page.get_or_insert(page);
                        let mut reference = Dictionary::new();
                        reference.set("Type", Object::Name(b"OBJR".to_vec()));
                        reference.set("Pg", Object::Reference(pages[page]));
                        reference.set("Obj", Object::Reference(*annotation));
                        Some(Object::Dictionary(reference))
                    }
                })
                .collect();
            let mut dict = Dictionary::new();
            dict.set("Type", Object::Name(b"StructElem".to_vec()));
            dict.set("S", Object::Name(element.kind.name().as_bytes().to_vec()));
            if element.kind == Kind::TableHeader {
                let mut attributes = Dictionary::new();
                attributes.set("O", Object::Name(b"Table".to_vec()));
                attributes.set("Scope", Object::Name(b"Column".to_vec()));
                dict.set("A", Object::Dictionary(attributes));
            }
            if let Some(alt) = &element.alt {
                dict.set("Alt", text(alt));
            }
            dict.set(
                "P",
                Object::Reference(element.parent.map_or(document, |p| ids[p])),
            );
            if let Some(page) = first_page {
                dict.set("Pg", Object::Reference(pages[page]));
            }
            dict.set("K", Object::Array(kids));
            doc.objects.insert(ids[index], Object::Dictionary(dict));
        }
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"StructElem".to_vec()));
        dict.set("S", Object::Name(b"Document".to_vec()));
        dict.set("P", Object::Reference(root));
        dict.set(
            "K",
            Object::Array(
                self.top
                    .iter()
                    .map(|e| Object::Reference(ids[*e]))
                    .collect(),
            ),
        );
        doc.objects.insert(document, Object::Dictionary(dict));

        let mut numbers = Vec::new();
        for (page, mcids) in self.page_mcids.iter().enumerate() {
            numbers.push(Object::Integer(page as i64));
            numbers.push(Object::Array(
                mcids.iter().map(|e| Object::Reference(ids[*e])).collect(),
            ));
        }
        for (key, (_, element)) in annotation_parents.iter().enumerate() {
            numbers.push(Object::Integer((pages.len() + key) as i64));
            numbers.push(Object::Reference(ids[*element]));
        }
        let mut parent_tree = Dictionary::new();
        parent_tree.set("Nums", Object::Array(numbers));
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
        tree.set("K", Object::Reference(document));
        tree.set("ParentTree", Object::Dictionary(parent_tree));
        tree.set(
            "ParentTreeNextKey",
            Object::Integer((pages.len() + annotation_parents.len()) as i64),
        );
        doc.objects.insert(root, Object::Dictionary(tree));
        root
    }
}

/// The XMP metadata packet (ISO 16684-1): title, author, subject, language, dates, tools,
/// and the claim of PDF/UA-1 (ISO 14289-1, 5).
fn xmp_metadata(meta: &Meta) -> String {
    fn escape(value: &str) -> String {
        value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    let date = format!("{}T00:00:00Z", meta.created);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
         <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n\
         <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n\
         <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>\n\
         <dc:format>application/pdf</dc:format>\n\
         <pdf:Producer>advocate (printpdf, lopdf)</pdf:Producer>\n\
         <xmp:CreatorTool>advocate</xmp:CreatorTool>\n\
         <xmp:CreateDate>{date}</xmp:CreateDate>\n\
         <xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
         <xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
         <pdfuaid:part>1</pdfuaid:part>\n\
         </rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>\n",
        title = escape(&meta.title),
        author = escape(&meta.author),
        subject = escape(&meta.subject),
        language = escape(&meta.language),
    )
}

/// The default appearance of typed text: the body size in the regular face, in the text colour.
fn field_appearance(style: &Style) -> String {
    let Rgb(r, g, b) = style.text;
    format!("/F0 {} Tf {r:.3} {g:.3} {b:.3} rg", style.body)
}

/// The form's fields, named as a hierarchy: `stage2.theirs.purpose.1` is the widget `1`, a
/// child of `purpose`, a child of `theirs`, a child of `stage2`, as ISO 32000 (12.7.3.2)
/// reads a name with periods in it.
struct Form {
    appearance: String,
    /// Each parent field's full name, its object and its children, in order of first use.
    parents: Vec<(String, ObjectId, Vec<ObjectId>)>,
    /// The top-level fields, in order.
    roots: Vec<ObjectId>,
    /// Every full name given, parents' and widgets': a name asked for twice, or for a widget
    /// and a parent both, gets `_2` (then `_3`…) on its last part the second time.
    taken: std::collections::HashSet<String>,
    /// The name each parent asked for was given.
    given: HashMap<String, (ObjectId, String)>,
    /// One empty appearance per field size.
    empty: BTreeMap<(u32, u32), ObjectId>,
}

impl Form {
    fn new(appearance: String) -> Form {
        Form {
            appearance,
            parents: Vec::new(),
            roots: Vec::new(),
            taken: Default::default(),
            given: HashMap::new(),
            empty: BTreeMap::new(),
        }
    }

    /// The parent field asked for as `wanted` (made when first asked for, its ancestors with
    /// it): its object and the full name it was given.
    fn parent(
        &mut self,
        doc: &mut lopdf::Document,
        wanted: &str,
    ) -> Result<(ObjectId, String), PdfError> {
        if let Some(given) = self.given.get(wanted) {
            return Ok(given.clone());
        }
        let (above, own) = match wanted.rsplit_once('.') {
            Some((above, own)) => (Some(self.parent(doc, above)?), own),
            None => (None, wanted),
        };
        let name = self.unused(above.as_ref().map(|(_, name)| name.as_str()), own);
        let id = doc.new_object_id();
        self.parents.push((name.clone(), id, Vec::new()));
        match above {
            Some((above, _)) => self.adopt(above, id),
            None => self.roots.push(id),
        }
        self.given.insert(wanted.to_owned(), (id, name.clone()));
        Ok((id, name))
    }

    /// `above.own`, or `above.own_2` and so on if that is taken, marked as taken now.
    fn unused(&mut self, above: Option<&str>, own: &str) -> String {
        let full = |own: &str| above.map_or(own.to_owned(), |above| format!("{above}.{own}"));
        let mut name = full(own);
        let mut number = 2;
        while self.taken.contains(&name) {
            name = full(&format!("{own}_{number}"));
            number += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    fn adopt(&mut self, parent: ObjectId, child: ObjectId) {
        if let Some((.., kids)) = self.parents.iter_mut().find(|(_, id, _)| *id == parent) {
            kids.push(child);
        }
    }

    /// The dictionary of a widget asked for as `name`: its last part, made unique, with its
    /// parent set.
    fn widget_dict(
        &mut self,
        doc: &mut lopdf::Document,
        name: &str,
        tooltip: &str,
        page: ObjectId,
        rect: Object,
    ) -> Result<(Dictionary, Option<ObjectId>), PdfError> {
        let (parent, own) = match name.rsplit_once('.') {
            Some((above, own)) => (Some(self.parent(doc, above)?), own),
            None => (None, name),
        };
        let given = self.unused(parent.as_ref().map(|(_, name)| name.as_str()), own);
        let own = given
            .rsplit_once('.')
            .map_or(given.as_str(), |(_, own)| own);
        let parent = parent.map(|(id, _)| id);
        let mut field = Dictionary::new();
        field.set("Type", Object::Name(b"Annot".to_vec()));
        field.set("Subtype", Object::Name(b"Widget".to_vec()));
        field.set("T", text(own));
        field.set("TU", text(tooltip));
        field.set("Rect", rect);
        field.set("F", Object::Integer(4));
        field.set("P", Object::Reference(page));
        if let Some(parent) = parent {
            field.set("Parent", Object::Reference(parent));
        }
        Ok((field, parent))
    }

    /// Adds `field` as a widget of `parent` (or a top-level field), and returns its object.
    fn add_widget(
        &mut self,
        doc: &mut lopdf::Document,
        field: Dictionary,
        parent: Option<ObjectId>,
    ) -> ObjectId {
        let id = doc.add_object(Object::Dictionary(field));
        match parent {
            Some(parent) => self.adopt(parent, id),
            None => self.roots.push(id),
        }
        id
    }

    /// Adds a checkbox `name` on `page`, ticked or not, and returns its object. Its two
    /// appearances are drawn here, a tick in the text colour and nothing, so no font is used.
    #[allow(clippy::too_many_arguments)]
    fn checkbox(
        &mut self,
        doc: &mut lopdf::Document,
        name: &str,
        tooltip: &str,
        page: ObjectId,
        rect: Object,
        (side, checked): (f32, bool),
        colour: Rgb,
    ) -> Result<ObjectId, PdfError> {
        let (mut field, parent) = self.widget_dict(doc, name, tooltip, page, rect)?;
        let Rgb(r, g, b) = colour;
        let local = |(x, y): (f32, f32)| (x, side - y);
        let [(a, b1), (_, c)] = super::layout::tick(0.0, 0.0, side);
        let (a, b1, c) = (local(a), local(b1), local(c));
        let tick = format!(
            "q {r:.3} {g:.3} {b:.3} RG 1 w 1 J 1 j {:.2} {:.2} m {:.2} {:.2} l {:.2} {:.2} l S Q",
            a.0, a.1, b1.0, b1.1, c.0, c.1
        );
        let mut appearance = |content: Vec<u8>| {
            Object::Reference(doc.add_object(appearance_stream((side, side), content)))
        };
        let mut states = Dictionary::new();
        states.set("Yes", appearance(tick.into_bytes()));
        states.set("Off", appearance(Vec::new()));
        let mut appearances = Dictionary::new();
        appearances.set("N", Object::Dictionary(states));
        let state = Object::Name(if checked {
            b"Yes".to_vec()
        } else {
            b"Off".to_vec()
        });
        field.set("FT", Object::Name(b"Btn".to_vec()));
        field.set("V", state.clone());
        field.set("AS", state);
        field.set("AP", Object::Dictionary(appearances));
        Ok(self.add_widget(doc, field, parent))
    }

    /// Adds the single-line text widget `name` on `page`, and returns its object.
    fn widget(
        &mut self,
        doc: &mut lopdf::Document,
        name: &str,
        tooltip: &str,
        page: ObjectId,
        rect: Object,
        size: (f32, f32),
    ) -> Result<ObjectId, PdfError> {
        let (mut field, parent) = self.widget_dict(doc, name, tooltip, page, rect)?;
        field.set("FT", Object::Name(b"Tx".to_vec()));
        field.set(
            "DA",
            Object::String(self.appearance.clone().into_bytes(), StringFormat::Literal),
        );
        let key = (size.0.round() as u32, size.1.round() as u32);
        let empty = match self.empty.get(&key) {
            Some(id) => *id,
            None => {
                let id = doc.add_object(empty_appearance(size));
                self.empty.insert(key, id);
                id
            }
        };
        let mut appearance = Dictionary::new();
        appearance.set("N", Object::Reference(empty));
        field.set("AP", Object::Dictionary(appearance));
        Ok(self.add_widget(doc, field, parent))
    }

    /// Writes the parent fields and returns the top-level ones, if the form has any field.
    fn finish(self, doc: &mut lopdf::Document) -> Result<Option<Vec<Object>>, PdfError> {
        if self.roots.is_empty() {
            return Ok(None);
        }
        for (full, id, kids) in &self.parents {
            let mut node = Dictionary::new();
            let (above, own) = match full.rsplit_once('.') {
                Some((above, own)) => (Some(above), own),
                None => (None, full.as_str()),
            };
            node.set("T", text(own));
            node.set(
                "Kids",
                Object::Array(kids.iter().map(|k| Object::Reference(*k)).collect()),
            );
            if let Some(above) = above
                && let Some((_, parent, _)) = self.parents.iter().find(|(name, ..)| name == above)
            {
                node.set("Parent", Object::Reference(*parent));
            }
            doc.objects.insert(*id, Object::Dictionary(node));
        }
        Ok(Some(
            self.roots.into_iter().map(Object::Reference).collect(),
        ))
    }
}

/// A widget's appearance: a form XObject of `w` by `h` drawing `content`.
fn appearance_stream((w, h): (f32, f32), content: Vec<u8>) -> Object {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(vec![0.into(), 0.into(), w.into(), h.into()]),
    );
    dict.set("Resources", Object::Dictionary(Dictionary::new()));
    Object::Stream(lopdf::Stream::new(dict, content))
}

/// What an empty text field shows: nothing, in the marked content viewers expect to replace.
fn empty_appearance(size: (f32, f32)) -> Object {
    appearance_stream(size, b"/Tx BMC EMC".to_vec())
}

/// The resource name of the `index`th image of a document.
fn image_name(index: usize) -> String {
    format!("Im{index}")
}

/// The regular face's font object, from the first page's resources.
/// The font resources dictionary of `page`, which printpdf shares between all pages.
fn page_font_resources(doc: &lopdf::Document, page: ObjectId) -> Option<ObjectId> {
    let page = doc.get_object(page).ok()?.as_dict().ok()?;
    let resources = match page.get(b"Resources").ok()? {
        Object::Reference(id) => doc.get_object(*id).ok()?.as_dict().ok()?,
        _ => return None,
    };
    resources.get(b"Font").ok()?.as_reference().ok()
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
                page_of: "Page {page} of {pages}".into(),
                continued: "{name} (continued)".into(),
                line_of: "{name}, line {line} of {lines}".into(),
                note: None,
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
        assert!(
            acro.get(b"NeedAppearances").is_err(),
            "every widget has its appearance"
        );
        let fields = acro.get(b"Fields").unwrap().as_array().unwrap();
        assert_eq!(fields.len(), 1);
        let outlines = doc
            .get_object(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
            .unwrap()
            .as_dict()
            .unwrap();
        assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 3);
        assert!(bytes.len() < 80_000, "{} bytes", bytes.len());
    }

    fn dict<'a>(doc: &'a lopdf::Document, object: &'a Object) -> &'a Dictionary {
        match object {
            Object::Reference(id) => doc.get_object(*id).unwrap().as_dict().unwrap(),
            Object::Dictionary(dict) => dict,
            other => panic!("not a dictionary: {other:?}"),
        }
    }

    fn decoded(object: &Object) -> String {
        let bytes = object.as_str().unwrap();
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    }

    #[test]
    fn fields_are_a_hierarchy_of_single_lines_with_tooltips_and_appearances() {
        let doc = lopdf::Document::load_mem(&sample()).unwrap();
        let catalog = doc.catalog().unwrap();
        let acro = dict(&doc, catalog.get(b"AcroForm").unwrap());
        let fields = acro.get(b"Fields").unwrap().as_array().unwrap();
        let parent = dict(&doc, &fields[0]);
        assert_eq!(decoded(parent.get(b"T").unwrap()), "business_purpose");
        assert!(
            parent.get(b"Subtype").is_err(),
            "the parent is not a widget"
        );
        let kids = parent.get(b"Kids").unwrap().as_array().unwrap();
        assert_eq!(kids.len(), 4, "one field per ruled line");
        for (index, kid) in kids.iter().enumerate() {
            let widget = dict(&doc, kid);
            assert_eq!(decoded(widget.get(b"T").unwrap()), (index + 1).to_string());
            assert_eq!(
                decoded(widget.get(b"TU").unwrap()),
                format!("What is your business for?, line {} of 4", index + 1)
            );
            assert!(widget.get(b"Ff").is_err(), "single-line");
            assert_eq!(widget.get(b"Parent").unwrap(), &fields[0]);
            let appearance = dict(&doc, widget.get(b"AP").unwrap());
            assert!(appearance.get(b"N").unwrap().as_reference().is_ok());
        }
    }

    #[test]
    fn the_form_font_maps_and_measures_the_letters_people_type() {
        let doc = lopdf::Document::load_mem(&sample()).unwrap();
        let catalog = doc.catalog().unwrap();
        let acro = dict(&doc, catalog.get(b"AcroForm").unwrap());
        let resources = dict(&doc, acro.get(b"DR").unwrap());
        let font = dict(
            &doc,
            dict(&doc, resources.get(b"Font").unwrap())
                .get(b"F0")
                .unwrap(),
        );
        let to_unicode = doc
            .get_object(font.get(b"ToUnicode").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap()
            .decompressed_content()
            .unwrap();
        let cmap = String::from_utf8(to_unicode).unwrap();
        // Never printed in the sample, so only there for typing: Ł, ễ, λ, Ж, ğ.
        for code in ["0141", "1EC5", "03BB", "0416", "011F"] {
            assert!(
                cmap.contains(&format!("<{code}>")),
                "U+{code} is not in the map"
            );
        }
        let entries = cmap.matches("\n<").count();
        let cid_font = dict(
            &doc,
            &font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0],
        );
        let widths: usize = cid_font
            .get(b"W")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o.as_array().ok())
            .map(Vec::len)
            .sum();
        assert!(entries > 500, "{entries} characters mapped");
        assert!(widths >= entries, "{widths} widths for {entries} glyphs");
        let descriptor = dict(&doc, cid_font.get(b"FontDescriptor").unwrap());
        let metric = |key: &[u8]| descriptor.get(key).unwrap().as_i64().unwrap();
        assert!(
            metric(b"XHeight") < metric(b"CapHeight") && metric(b"CapHeight") < metric(b"Ascent"),
            "the descriptor's heights are the font's"
        );
    }

    #[test]
    fn a_name_asked_for_twice_or_as_field_and_parent_is_made_unique() {
        let mut doc = lopdf::Document::with_version("1.7");
        let page = doc.new_object_id();
        let mut form = Form::new(String::new());
        let rect = || Object::Array(vec![0.into(), 0.into(), 1.into(), 1.into()]);
        for name in ["s.date", "s.date.1", "s.date.1", "s.notes"] {
            form.widget(&mut doc, name, "tip", page, rect(), (1.0, 1.0))
                .unwrap();
        }
        let roots = form.finish(&mut doc).unwrap().unwrap();
        fn names(doc: &lopdf::Document, node: &Object, above: &str, out: &mut Vec<String>) {
            let node = dict(doc, node);
            let full = format!("{above}{}", decoded(node.get(b"T").unwrap()));
            match node.get(b"Kids") {
                Ok(kids) => {
                    for kid in kids.as_array().unwrap() {
                        names(doc, kid, &format!("{full}."), out);
                    }
                }
                Err(_) => out.push(full),
            }
        }
        let mut out = Vec::new();
        for root in &roots {
            names(&doc, root, "", &mut out);
        }
        assert_eq!(out, ["s.date", "s.date_2.1", "s.date_2.1_2", "s.notes"]);
    }

    #[test]
    fn the_information_dictionary_holds_only_what_is_set_as_text() {
        let doc = lopdf::Document::load_mem(&sample()).unwrap();
        let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
        assert!(info.get(b"GTS_PDFXVersion").is_err());
        assert!(info.get(b"Keywords").is_err());
        assert_eq!(decoded(info.get(b"Identifier").unwrap()), "Workbook — Zoë");
    }
}
