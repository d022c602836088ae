//! The theme's fonts: loaded once per build, measured for line breaking, and subset to the
//! characters each document uses before they are embedded.
//!
//! Parsing and subsetting are allsorts' (through printpdf's `ParsedFont` and
//! `allsorts::subset`); printpdf without its layout features embeds whole fonts, so the subset
//! is made here and handed to printpdf as the font to embed.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use printpdf::ParsedFont;

use super::style::ThemeFile;
use crate::source::diagnostic::relative_to;
use crate::source::{Diagnostic, files};

/// The four faces of the theme's family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub(crate) const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn with(self, bold: bool, italic: bool) -> Face {
        let bold = bold || matches!(self, Face::Bold | Face::BoldItalic);
        let italic = italic || matches!(self, Face::Italic | Face::BoldItalic);
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }
}

/// One face: its full font and what measuring needs, precomputed.
#[derive(Debug)]
struct FaceData {
    /// The name embedded in the PDF, from the file name (`GentiumBookPlus-Bold`).
    name: String,
    font: ParsedFont,
    /// Advance of each ASCII character, in font units.
    ascii: [u16; 128],
    /// The height of capitals and of a lowercase x in font units, from the `OS/2` table.
    cap_height: Option<i16>,
    x_height: Option<i16>,
}

/// The theme's fonts, shared by every document of a build.
#[derive(Debug, Clone)]
pub struct FontSet {
    faces: Arc<[FaceData; 4]>,
    /// A hash of the four files' bytes and the names they are embedded under: two font sets
    /// with the same hash draw the same PDFs.
    source_hash: u64,
    /// The characters of [`TYPING_RANGES`] the regular face has.
    typing: Arc<BTreeSet<char>>,
    /// Subsets and deflated font programs already made in this build: most documents of a
    /// site embed the same subset (a form's regular face holds the same typing letters).
    made: Arc<Mutex<Made>>,
}

/// What [`FontSet`] keeps of the subsets it made, by face and a hash of the characters, and
/// of the font programs it deflated, by a hash of the bytes. Bounded: past [`MADE_LIMIT`]
/// entries of each, new ones are made and not kept.
#[derive(Debug, Default)]
struct Made {
    subsets: HashMap<(Face, u64), Arc<Subset>>,
    deflated: HashMap<u64, Arc<Vec<u8>>>,
}

const MADE_LIMIT: usize = 256;

/// A face cut down to some characters, and the ToUnicode map of those characters: both made
/// once and shared by every document that embeds the same subset.
#[derive(Debug)]
pub(crate) struct Subset {
    pub(crate) font: ParsedFont,
    pub(crate) to_unicode: String,
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl FontSet {
    /// Loads the four font files named in `theme.yaml`.
    pub fn load(theme_dir: &Path, root: &Path, theme: &ThemeFile) -> Result<FontSet, Diagnostic> {
        use std::hash::{Hash, Hasher};
        let theme_file = relative_to(&theme_dir.join("theme.yaml"), root);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let mut load_one = |file: &crate::source::Located<String>| -> Result<FaceData, Diagnostic> {
            let path = theme_dir.join(&file.value);
            let problem = |why: String| {
                Diagnostic::file_error(&theme_file, why)
                    .with_help("name a TrueType or OpenType font file inside the theme folder, e.g. fonts/MyFont-Regular.ttf")
            };
            let shown = relative_to(&path, root);
            files::inside(&path, theme_dir, root, &shown)?;
            let bytes = files::read_bytes(&path, &shown).map_err(|e| {
                problem(format!(
                    "cannot read the font {}: {}",
                    shown.display(),
                    e.message
                ))
            })?;
            let mut warnings = Vec::new();
            let font = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
                .filter(|f| !f.codepoint_to_glyph.is_empty())
                .ok_or_else(|| {
                    problem(format!(
                        "{} is not a usable font",
                        relative_to(&path, root).display()
                    ))
                })?;
            let mut ascii = [0u16; 128];
            for (code, advance) in ascii.iter_mut().enumerate() {
                *advance = advance_of(&font, code as u32);
            }
            let name = path
                .file_stem()
                .map(|s| {
                    s.to_string_lossy()
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect()
                })
                .unwrap_or_else(|| "Font".to_owned());
            (&name, &bytes).hash(&mut hasher);
            let (cap_height, x_height) = heights(&bytes).unzip();
            Ok(FaceData {
                name,
                font,
                ascii,
                cap_height,
                x_height,
            })
        };
        let fonts = &theme.fonts;
        let faces = Arc::new([
            load_one(&fonts.regular)?,
            load_one(&fonts.bold)?,
            load_one(&fonts.italic)?,
            load_one(&fonts.bold_italic)?,
        ]);
        let typing = typing_coverage()
            .filter(|c| {
                faces[Face::Regular.index()]
                    .font
                    .lookup_glyph_index(*c as u32)
                    .is_some()
            })
            .collect();
        Ok(FontSet {
            faces,
            source_hash: hasher.finish(),
            typing: Arc::new(typing),
            made: Arc::default(),
        })
    }

    /// See the field: equal for font sets that draw the same PDFs.
    pub(crate) fn source_hash(&self) -> u64 {
        self.source_hash
    }

    fn face(&self, face: Face) -> &FaceData {
        &self.faces[face.index()]
    }

    /// The width of `text` in `face` at `size` points.
    pub(crate) fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        let data = self.face(face);
        let units: u32 = text
            .chars()
            .map(|c| {
                let code = c as u32;
                if code < 128 {
                    u32::from(data.ascii[code as usize])
                } else {
                    u32::from(advance_of(&data.font, code))
                }
            })
            .sum();
        units as f32 * size / f32::from(data.font.units_per_em.max(1))
    }

    /// Whether `face` has a glyph for `c`.
    pub(crate) fn can_draw(&self, face: Face, c: char) -> bool {
        c.is_whitespace() || self.face(face).font.lookup_glyph_index(c as u32).is_some()
    }

    /// The characters of `text` that the regular face cannot draw.
    pub(crate) fn missing(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !self.can_draw(Face::Regular, *c))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// The height of `face`'s capitals and of its lowercase x in thousandths of an em, for
    /// the font descriptor.
    pub(crate) fn heights(&self, face: Face) -> Option<(i64, i64)> {
        let data = self.face(face);
        let scale = 1000.0 / f32::from(data.font.units_per_em.max(1));
        let thousandths = |units: i16| (f32::from(units) * scale).round() as i64;
        Some((thousandths(data.cap_height?), thousandths(data.x_height?)))
    }

    /// `used` with the letters people type (the regular face's characters for a document with
    /// fields): most often the typing letters alone, which hold all a document prints.
    pub(crate) fn with_typing<'a>(&'a self, used: &'a BTreeSet<char>) -> Cow<'a, BTreeSet<char>> {
        if used.iter().all(|c| self.typing.contains(c)) {
            Cow::Borrowed(&self.typing)
        } else {
            Cow::Owned(used.union(&self.typing).copied().collect())
        }
    }

    /// `font_program` deflated (zlib's default level), or what it was deflated to before.
    pub(crate) fn deflate_font(&self, font_program: &[u8]) -> std::io::Result<Arc<Vec<u8>>> {
        use std::io::Write;
        let key = hash_of(&font_program);
        if let Some(done) = self.made().deflated.get(&key) {
            return Ok(Arc::clone(done));
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(font_program)?;
        let deflated = Arc::new(encoder.finish()?);
        let mut made = self.made();
        if made.deflated.len() < MADE_LIMIT {
            made.deflated.insert(key, Arc::clone(&deflated));
        }
        Ok(deflated)
    }

    fn made(&self) -> std::sync::MutexGuard<'_, Made> {
        // A panic elsewhere cannot leave the cache half-written: each entry is one insert.
        self.made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `face` reduced to the glyphs of `chars`, ready to embed, with its embedded name and
    /// its ToUnicode map; made once for each face and set of characters.
    pub(crate) fn subset(&self, face: Face, chars: &BTreeSet<char>) -> Result<Arc<Subset>, String> {
        let key = (face, hash_of(chars));
        if let Some(done) = self.made().subsets.get(&key) {
            return Ok(Arc::clone(done));
        }
        let font = self.make_subset(face, chars)?;
        let subset = Arc::new(Subset {
            to_unicode: to_unicode_cmap(&font),
            font,
        });
        let mut made = self.made();
        if made.subsets.len() < MADE_LIMIT {
            made.subsets.insert(key, Arc::clone(&subset));
        }
        Ok(subset)
    }

    fn make_subset(&self, face: Face, chars: &BTreeSet<char>) -> Result<ParsedFont, String> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{CmapTarget, SubsetProfile, subset};
        use allsorts::tag;

        let data = self.face(face);
        let full = &data.font;
        let mut gids: Vec<u16> = vec![0];
        let mut seen: HashSet<u16> = HashSet::from([0]);
        let mut mapped: Vec<(u32, u16)> = Vec::new();
        for c in chars {
            if let Some(gid) = full.lookup_glyph_index(*c as u32) {
                mapped.push((*c as u32, gid));
                if seen.insert(gid) {
                    gids.push(gid);
                }
            }
        }
        gids[1..].sort_unstable();
        let scope = ReadScope::new(&full.original_bytes);
        let font_data = scope.read::<FontData<'_>>().map_err(|e| e.to_string())?;
        let provider = font_data.table_provider(0).map_err(|e| e.to_string())?;
        // Hinting tables (cvt, fpgm, prep) and names are dropped: print needs outlines and metrics.
        let profile = SubsetProfile::Custom(vec![
            tag::CMAP,
            tag::HEAD,
            tag::HHEA,
            tag::HMTX,
            tag::MAXP,
            tag::POST,
        ]);
        let bytes =
            subset(&provider, &gids, &profile, CmapTarget::Unicode).map_err(|e| e.to_string())?;
        let positions: HashMap<u16, u16> = gids
            .iter()
            .enumerate()
            .map(|(new, old)| (*old, new as u16))
            .collect();
        let new_gid = |old: u16| positions.get(&old).copied();
        let font = ParsedFont {
            original_bytes: bytes,
            font_index: 0,
            font_name: Some(data.name.clone()),
            codepoint_to_glyph: mapped
                .iter()
                .filter_map(|(code, old)| new_gid(*old).map(|new| (*code, new)))
                .collect(),
            glyph_widths: gids
                .iter()
                .enumerate()
                .map(|(new, old)| (new as u16, full.get_glyph_width(*old).unwrap_or(0)))
                .collect(),
            units_per_em: full.units_per_em,
            font_metrics: full.font_metrics.clone(),
            font_type: full.font_type,
            pdf_font_metrics: full.pdf_font_metrics.clone(),
        };
        Ok(font)
    }
}

/// What a form field's font must hold beyond the characters printed: the letters of the
/// languages people type into a workbook (Latin with what Polish, Czech, Turkish, Romanian
/// and Vietnamese add, monotonic Greek, Cyrillic), combining accents, and punctuation. A
/// field names one font, and a viewer draws typed text with only the glyphs in it; whole
/// Unicode blocks would cost a workbook 100 KB, these about a third of that.
const TYPING_RANGES: [(char, char); 16] = [
    (' ', '~'),
    ('\u{a0}', '\u{17f}'),
    ('\u{1a0}', '\u{1b0}'),
    ('\u{218}', '\u{21b}'),
    ('\u{259}', '\u{259}'),
    ('\u{300}', '\u{30c}'),
    ('\u{323}', '\u{328}'),
    ('\u{384}', '\u{3ce}'),
    ('\u{400}', '\u{45f}'),
    ('\u{490}', '\u{491}'),
    ('\u{1ea0}', '\u{1ef9}'),
    ('\u{2010}', '\u{2027}'),
    ('\u{2030}', '\u{203a}'),
    ('\u{20ac}', '\u{20ac}'),
    ('\u{2116}', '\u{2116}'),
    ('\u{2122}', '\u{2122}'),
];

/// Every character of [`TYPING_RANGES`].
fn typing_coverage() -> impl Iterator<Item = char> {
    TYPING_RANGES.iter().flat_map(|(from, to)| *from..=*to)
}

/// A ToUnicode CMap (ISO 32000-1, 9.10.3) from each glyph of `font` to its character; a glyph
/// drawn for several characters (a space and a no-break space) maps to the first.
fn to_unicode_cmap(font: &ParsedFont) -> String {
    use std::fmt::Write;
    let mut glyphs: BTreeMap<u16, u32> = BTreeMap::new();
    for (code, gid) in &font.codepoint_to_glyph {
        let entry = glyphs.entry(*gid).or_insert(*code);
        *entry = (*entry).min(*code);
    }
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, u32)> = glyphs.into_iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (gid, code) in chunk {
            let mut units = [0u16; 2];
            let text = char::from_u32(*code).map_or(&[][..], |c| &*c.encode_utf16(&mut units));
            let hex: String = text.iter().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(cmap, "<{gid:04X}> <{hex}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// The capital and x heights in the font's `OS/2` table (version 2 and later), if it has them.
fn heights(bytes: &[u8]) -> Option<(i16, i16)> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::tables::FontTableProvider;
    use allsorts::tables::os2::Os2;
    let font_data = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = font_data.table_provider(0).ok()?;
    let table = provider.read_table_data(allsorts::tag::OS_2).ok()?;
    let os2 = ReadScope::new(&table).read_dep::<Os2>(table.len()).ok()?;
    let heights = os2.version2to4?;
    Some((heights.s_cap_height, heights.s_x_height))
}

fn advance_of(font: &ParsedFont, code: u32) -> u16 {
    let gid = font.lookup_glyph_index(code).unwrap_or(0);
    font.get_glyph_width(gid).unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn default_fonts() -> FontSet {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let theme = root.join("themes/default");
        let (_, file) =
            super::super::style::load(&theme, root, crate::model::site::Paper::A4).unwrap();
        FontSet::load(&theme, root, &file).unwrap()
    }

    #[test]
    fn measures_and_knows_what_it_cannot_draw() {
        let fonts = default_fonts();
        let narrow = fonts.width(Face::Regular, "iiii", 10.0);
        let wide = fonts.width(Face::Regular, "MMMM", 10.0);
        assert!(wide > narrow * 2.0, "{narrow} {wide}");
        assert!(
            fonts.width(Face::Bold, "Zoë Łukasz", 10.0)
                > fonts.width(Face::Regular, "Zoë Łukasz", 10.0)
        );
        assert!(fonts.missing("Zoë Łukasz Ní Bhriain Åkesson").is_empty());
        assert_eq!(fonts.missing("tea 漢字 ☕"), ['☕', '字', '漢']);
    }

    #[test]
    fn subsets_are_small_and_keep_widths() {
        let fonts = default_fonts();
        let chars: BTreeSet<char> = "Zoë Lefèvre".chars().collect();
        let subset = &fonts.subset(Face::Regular, &chars).unwrap().font;
        assert!(
            subset.original_bytes.len() < 6_000,
            "{}",
            subset.original_bytes.len()
        );
        let gid = subset.lookup_glyph_index('ë' as u32).unwrap();
        assert!(gid > 0);
        assert_eq!(
            subset.get_glyph_width(gid),
            fonts.face(Face::Regular).font.get_glyph_width(
                fonts
                    .face(Face::Regular)
                    .font
                    .lookup_glyph_index('ë' as u32)
                    .unwrap()
            )
        );
    }
}
