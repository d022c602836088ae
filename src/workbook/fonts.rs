//! The theme's fonts: loaded once per build, shaped and measured for line breaking, and cut
//! down to the glyphs each document draws before they are embedded.
//!
//! Parsing and subsetting are allsorts' (through printpdf's `ParsedFont` and
//! `allsorts::subset`), shaping is harfrust's ([`super::shaping`]). A subset holds the glyphs
//! shaping chose (ligatures included, which no character maps to), so it is made from glyph
//! ids, with the text each glyph stands for.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use printpdf::ParsedFont;

use super::deflate::deflate;
use super::hinting;
use super::shaping::{FaceShaper, Glyph, Word};
use super::style::{Script, ThemeFile};
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

/// What a PDF's font descriptor says of a face (ISO 32000-1, 9.8), in thousandths of an em.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Descriptor {
    /// The name embedded in the PDF, from the file name (`GentiumBookPlus-Bold`).
    pub(crate) name: String,
    pub(crate) ascent: i64,
    pub(crate) descent: i64,
    pub(crate) cap_height: i64,
    pub(crate) x_height: Option<i64>,
    /// Degrees counter-clockwise from upright: negative for an italic.
    pub(crate) italic_angle: i64,
    /// Table 123's flags: non-symbolic, and italic where the face slants.
    pub(crate) flags: i64,
    pub(crate) stem_v: i64,
    pub(crate) bbox: [i64; 4],
}

/// One face: its full font and what shaping, measuring and embedding need, made once.
#[derive(Debug)]
struct FaceData {
    font: ParsedFont,
    shaper: FaceShaper,
    /// The space glyph, drawn between words.
    space: Glyph,
    /// The first character the font maps to each glyph: the text a glyph stands for.
    characters: HashMap<u16, char>,
    descriptor: Descriptor,
}

/// The theme's fonts, shared by every document of a build.
#[derive(Debug, Clone)]
pub struct FontSet {
    faces: Arc<[FaceData; 4]>,
    /// A hash of the four files' bytes, the names they are embedded under and the scripts
    /// fields keep: two font sets with the same hash draw the same PDFs.
    source_hash: u64,
    /// The regular face's glyphs for the letters of the theme's `typing` scripts it has.
    typing: Arc<BTreeMap<u16, String>>,
    /// Subsets already made in this build: most documents of a site embed the same subset
    /// (a form's regular face holds the same typing letters).
    made: Arc<Mutex<Made>>,
}

/// The subsets made, by face and a hash of their glyphs.
type Made = HashMap<(Face, u64), Arc<Subset>>;

/// Subsets kept; past this many, new ones are made and not kept.
const MADE_LIMIT: usize = 256;

/// A face cut down to some glyphs, ready to embed: made once and shared by every document
/// that embeds the same glyphs.
#[derive(Debug)]
pub(crate) struct Subset {
    /// The font program, deflated, and its length before.
    pub(crate) program: Vec<u8>,
    pub(crate) program_length: usize,
    /// The ToUnicode CMap (ISO 32000-1, 9.10.3) from each glyph to its text, deflated.
    pub(crate) to_unicode: Vec<u8>,
    /// The subset's glyph for each glyph of the full font it holds.
    pub(crate) gids: HashMap<u16, u16>,
    /// Each of the subset's glyphs' advance, in thousandths of an em, by its glyph id.
    pub(crate) widths: Vec<i64>,
    /// Six capital letters naming the subset (ISO 32000-1, 9.6.4), from what it holds.
    pub(crate) tag: String,
    /// What it was made from, to tell it from another whose glyphs hash the same.
    glyphs: BTreeMap<u16, String>,
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
            let unusable = || {
                problem(format!(
                    "{} is not a usable font",
                    relative_to(&path, root).display()
                ))
            };
            let mut warnings = Vec::new();
            let font = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
                .filter(|f| !f.codepoint_to_glyph.is_empty())
                .ok_or_else(unusable)?;
            let shaper = FaceShaper::new(bytes.clone()).ok_or_else(unusable)?;
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
            let mut characters = HashMap::new();
            for (code, gid) in &font.codepoint_to_glyph {
                if let Some(c) = char::from_u32(*code) {
                    characters.entry(*gid).or_insert(c);
                }
            }
            let space = shaper.word(" ").glyphs.first().copied().unwrap_or(Glyph {
                gid: font.lookup_glyph_index(' ' as u32).unwrap_or(0),
                advance: i32::from(advance_of(&font, ' ' as u32)),
                x_offset: 0,
                y_offset: 0,
            });
            let descriptor = descriptor(&font, name, &bytes);
            Ok(FaceData {
                font,
                shaper,
                space,
                characters,
                descriptor,
            })
        };
        let fonts = &theme.fonts;
        let faces = Arc::new([
            load_one(&fonts.regular)?,
            load_one(&fonts.bold)?,
            load_one(&fonts.italic)?,
            load_one(&fonts.bold_italic)?,
        ]);
        // The letters fields keep change what a PDF holds.
        theme.typing.hash(&mut hasher);
        let regular = &faces[Face::Regular.index()].font;
        let typing = typing_coverage(&theme.typing)
            .filter_map(|c| Some((regular.lookup_glyph_index(c as u32)?, c.to_string())))
            .fold(BTreeMap::new(), |mut glyphs, (gid, text)| {
                glyphs.entry(gid).or_insert(text);
                glyphs
            });
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

    /// `word` (no spaces in it) shaped in `face`.
    pub(crate) fn shape(&self, face: Face, word: &str) -> Arc<Word> {
        self.face(face).shaper.word(word)
    }

    /// The glyph drawn for a space in `face`.
    pub(crate) fn space(&self, face: Face) -> Glyph {
        self.face(face).space
    }

    /// Points per font unit of `face` at `size`.
    pub(crate) fn scale(&self, face: Face, size: f32) -> f32 {
        size / f32::from(self.face(face).font.units_per_em.max(1))
    }

    /// The width of `text` in `face` at `size` points: its words shaped, and a space for
    /// each [`is_space`] between them, as [`super::pdf`] draws them.
    pub(crate) fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        let data = self.face(face);
        let units: i64 = text
            .split(is_space)
            .map(|word| {
                if word.is_empty() {
                    0
                } else {
                    i64::from(data.shaper.word(word).advance)
                }
            })
            .sum::<i64>()
            + i64::from(data.space.advance) * text.matches(is_space).count() as i64;
        units as f32 * self.scale(face, size)
    }

    /// The text glyph `gid` of `face` stands for in the font's character map, if any.
    pub(crate) fn character(&self, face: Face, gid: u16) -> Option<char> {
        self.face(face).characters.get(&gid).copied()
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

    /// What the font descriptor of `face` says.
    pub(crate) fn descriptor(&self, face: Face) -> &Descriptor {
        &self.face(face).descriptor
    }

    /// Adds the regular face's glyphs for the letters people type (for a document with
    /// fields) to `glyphs`, where it has no text for them yet.
    pub(crate) fn add_typing(&self, glyphs: &mut BTreeMap<u16, String>) {
        for (gid, text) in self.typing.iter() {
            glyphs.entry(*gid).or_insert_with(|| text.clone());
        }
    }

    fn made(&self) -> std::sync::MutexGuard<'_, Made> {
        // A panic elsewhere cannot leave the cache half-written: each entry is one insert.
        self.made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `face` reduced to `glyphs` (glyph ids of the full font, with the text each stands
    /// for), ready to embed; made once for each face and set of glyphs.
    pub(crate) fn subset(
        &self,
        face: Face,
        glyphs: &BTreeMap<u16, String>,
    ) -> Result<Arc<Subset>, String> {
        let key = (face, hash_of(glyphs));
        if let Some(done) = self.made().get(&key)
            && done.glyphs == *glyphs
        {
            return Ok(Arc::clone(done));
        }
        let subset = Arc::new(self.make_subset(face, glyphs)?);
        let mut made = self.made();
        if made.len() < MADE_LIMIT {
            made.insert(key, Arc::clone(&subset));
        }
        Ok(subset)
    }

    fn make_subset(&self, face: Face, glyphs: &BTreeMap<u16, String>) -> Result<Subset, String> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{CmapTarget, SubsetProfile, subset};
        use allsorts::tag;

        let full = &self.face(face).font;
        let mut gids: Vec<u16> = vec![0];
        gids.extend(glyphs.keys().filter(|gid| **gid != 0));
        let scope = ReadScope::new(&full.original_bytes);
        let font_data = scope.read::<FontData<'_>>().map_err(|e| e.to_string())?;
        let provider = font_data.table_provider(0).map_err(|e| e.to_string())?;
        // Hinting (the cvt, fpgm and prep tables, and each glyph's instructions) and names are
        // dropped: print needs outlines and metrics.
        let profile = SubsetProfile::Custom(vec![
            tag::CMAP,
            tag::HEAD,
            tag::HHEA,
            tag::HMTX,
            tag::MAXP,
            tag::POST,
        ]);
        let program =
            subset(&provider, &gids, &profile, CmapTarget::Unicode).map_err(|e| e.to_string())?;
        let program = hinting::without_instructions(&program).unwrap_or(program);
        let scale = 1000.0 / f32::from(full.units_per_em.max(1));
        let widths = gids
            .iter()
            .map(|gid| thousandths(full.get_glyph_width(*gid).unwrap_or(0), scale))
            .collect();
        let new_gids: HashMap<u16, u16> = gids
            .iter()
            .enumerate()
            .map(|(new, old)| (*old, new as u16))
            .collect();
        let texts: Vec<(u16, &str)> = glyphs
            .iter()
            .filter_map(|(old, text)| Some((*new_gids.get(old)?, text.as_str())))
            .collect();
        Ok(Subset {
            program_length: program.len(),
            program: deflate(&program).map_err(|e| e.to_string())?,
            to_unicode: deflate(to_unicode_cmap(&texts).as_bytes()).map_err(|e| e.to_string())?,
            tag: subset_tag(face, glyphs),
            gids: new_gids,
            widths,
            glyphs: glyphs.clone(),
        })
    }
}

/// Whether `c` parts two words and is drawn as a space: any white space (a tab or a line
/// break left in a title, say) but the no-break spaces, which are drawn as their own glyphs.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// An advance in font units, in thousandths of an em, as the `/W` array and the text drawn
/// against it both count it.
pub(crate) fn thousandths(units: u16, scale: f32) -> i64 {
    (f32::from(units) * scale).round() as i64
}

/// Six capital letters from a hash of the face and its glyphs: FNV-1a, written here so that
/// the tag, which is in the file, stays the same from one Rust release to the next (the
/// standard hasher may change).
fn subset_tag(face: Face, glyphs: &BTreeMap<u16, String>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(&[face.index() as u8]);
    for (gid, text) in glyphs {
        feed(&gid.to_be_bytes());
        feed(text.as_bytes());
        feed(&[0]);
    }
    (0..6)
        .map(|i| (b'A' + ((hash >> (i * 5)) % 26) as u8) as char)
        .collect()
}

/// The descriptor of `font`, named `name`, from its tables (`bytes` for the `OS/2` heights).
fn descriptor(font: &ParsedFont, name: String, bytes: &[u8]) -> Descriptor {
    let metrics = &font.pdf_font_metrics;
    let scale = 1000.0 / f32::from(font.units_per_em.max(1));
    let scaled = |units: i16| (f32::from(units) * scale).round() as i64;
    let italic_angle = if metrics.caret_slope_rise == 0 {
        0
    } else {
        (-f32::from(metrics.caret_slope_run).atan2(f32::from(metrics.caret_slope_rise)))
            .to_degrees()
            .round() as i64
    };
    const NONSYMBOLIC: i64 = 1 << 5;
    const ITALIC: i64 = 1 << 6;
    let (cap_height, x_height) = heights(bytes).unzip();
    let ascent = scaled(font.font_metrics.ascent);
    Descriptor {
        name,
        ascent,
        descent: scaled(font.font_metrics.descent),
        cap_height: cap_height.map_or(ascent, scaled),
        x_height: x_height.map(scaled),
        italic_angle,
        flags: NONSYMBOLIC | if italic_angle != 0 { ITALIC } else { 0 },
        // No table holds the stem width; this is the usual estimate from the weight class.
        stem_v: if metrics.us_weight_class == 0 {
            80
        } else {
            50 + (f32::from(metrics.us_weight_class) / 65.0).powi(2).round() as i64
        },
        bbox: [
            scaled(metrics.x_min),
            scaled(metrics.y_min),
            scaled(metrics.x_max),
            scaled(metrics.y_max),
        ],
    }
}

/// What a form field's font must hold beyond the characters printed: the letters of the
/// languages people type into a workbook, by script, and the punctuation, digits and accents
/// every script uses. A field names one font, and a viewer draws typed text with only the
/// glyphs in it; whole Unicode blocks would cost a workbook 100 KB, these about a third of
/// that (Greek and Cyrillic about 15 KB of a 64 KB workbook between them).
const COMMON_RANGES: [(char, char); 8] = [
    (' ', '~'),
    ('\u{a0}', '\u{bf}'),
    ('\u{d7}', '\u{d7}'),
    ('\u{f7}', '\u{f7}'),
    ('\u{2010}', '\u{2027}'),
    ('\u{2030}', '\u{203a}'),
    ('\u{20ac}', '\u{20ac}'),
    ('\u{2122}', '\u{2122}'),
];

fn script_ranges(script: Script) -> &'static [(char, char)] {
    match script {
        Script::Latin => &[
            ('\u{c0}', '\u{17f}'),
            ('\u{1a0}', '\u{1b0}'),
            ('\u{218}', '\u{21b}'),
            ('\u{259}', '\u{259}'),
            ('\u{300}', '\u{30c}'),
            ('\u{323}', '\u{328}'),
            ('\u{1ea0}', '\u{1ef9}'),
        ],
        Script::Greek => &[('\u{384}', '\u{3ce}')],
        Script::Cyrillic => &[
            ('\u{400}', '\u{45f}'),
            ('\u{490}', '\u{491}'),
            ('\u{2116}', '\u{2116}'),
        ],
    }
}

/// Every character a field keeps for `scripts`.
fn typing_coverage(scripts: &[Script]) -> impl Iterator<Item = char> + '_ {
    COMMON_RANGES
        .iter()
        .chain(scripts.iter().flat_map(|script| script_ranges(*script)))
        .flat_map(|(from, to)| *from..=*to)
}

/// A ToUnicode CMap (ISO 32000-1, 9.10.3) from each glyph to the text it stands for.
fn to_unicode_cmap(glyphs: &[(u16, &str)]) -> String {
    use std::fmt::Write;
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let glyphs: Vec<&(u16, &str)> = glyphs.iter().filter(|(_, text)| !text.is_empty()).collect();
    for chunk in glyphs.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (gid, text) in chunk {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
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
    fn widths_are_the_shaped_words_and_spaces() {
        let fonts = default_fonts();
        let size = 10.0;
        let words = fonts.width(Face::Regular, "AT", size);
        assert!(
            words < fonts.width(Face::Regular, "A", size) + fonts.width(Face::Regular, "T", size),
            "kerned"
        );
        let spaced = fonts.width(Face::Regular, "AT  AT", size);
        let space = fonts.space(Face::Regular).advance as f32 * fonts.scale(Face::Regular, size);
        assert!((spaced - 2.0 * words - 2.0 * space).abs() < 1e-3);
    }

    #[test]
    fn subsets_are_small_and_keep_widths_and_text() {
        let fonts = default_fonts();
        let mut glyphs = BTreeMap::new();
        for word in ["Zoë", "office"] {
            let shaped = fonts.shape(Face::Regular, word);
            for cluster in &shaped.clusters {
                let text = &shaped.text[cluster.text.clone()];
                glyphs.insert(shaped.glyphs[cluster.glyphs.start].gid, text.to_owned());
            }
        }
        let ligature = fonts.shape(Face::Regular, "office").glyphs[1].gid;
        assert_eq!(glyphs[&ligature], "ffi");
        let subset = fonts.subset(Face::Regular, &glyphs).unwrap();
        assert!(subset.program_length < 6_000, "{}", subset.program_length);
        assert_eq!(subset.widths.len(), glyphs.len() + 1, "with .notdef");
        let new = subset.gids[&ligature];
        let full = &fonts.face(Face::Regular).font;
        assert_eq!(
            subset.widths[usize::from(new)],
            thousandths(full.get_glyph_width(ligature).unwrap(), 1000.0 / 2048.0)
        );
        let mut cmap = String::new();
        use std::io::Read;
        flate2::read::ZlibDecoder::new(&subset.to_unicode[..])
            .read_to_string(&mut cmap)
            .unwrap();
        assert!(
            cmap.contains(&format!("<{new:04X}> <006600660069>")),
            "{cmap}"
        );
        assert!(
            Arc::ptr_eq(&subset, &fonts.subset(Face::Regular, &glyphs).unwrap()),
            "made once"
        );
    }

    #[test]
    fn descriptors_say_which_faces_slant() {
        let fonts = default_fonts();
        let regular = fonts.descriptor(Face::Regular);
        let italic = fonts.descriptor(Face::Italic);
        assert_eq!(regular.italic_angle, 0);
        assert!(italic.italic_angle < 0, "{italic:?}");
        assert!(italic.flags & (1 << 6) != 0);
        assert!(regular.x_height.unwrap() < regular.cap_height);
        assert!(regular.cap_height < regular.ascent);
        assert!(fonts.descriptor(Face::Bold).stem_v > regular.stem_v);
    }
}
