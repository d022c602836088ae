//! Shaping: a word turned into the glyphs that draw it, with harfrust (the Rust port of
//! HarfBuzz). The font's own rules apply: ligatures (`fi`, `ffl`), kerning (`AV`, `To`), and
//! combining accents placed on their letters or composed into one glyph.
//!
//! Words are shaped one at a time, between spaces, and kept: layout measures a word many
//! times while it breaks lines, and most words of a site's workbooks are the guide's, the same
//! in every document. A line is its words' glyphs with the font's space between them, so what
//! layout measured is what the PDF draws. (Browsers cache shaped words the same way; a font
//! that kerns across a space loses that pair, which Latin, Greek and Cyrillic fonts rarely
//! have.)

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

use harfrust::{Buffer, Direction, Script, ShapeOptions, ShapePlan, ShaperFont};

/// One glyph of a shaped word, in the font's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Glyph {
    /// The glyph in the full font.
    pub(crate) gid: u16,
    /// How far the pen moves after it.
    pub(crate) advance: i32,
    /// Where it is drawn, from the pen.
    pub(crate) x_offset: i32,
    pub(crate) y_offset: i32,
}

/// Characters of a word and the glyphs that draw them: one letter and one glyph, two
/// letters and one ligature, or a letter and its accents and the glyphs of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cluster {
    /// Byte range in the word.
    pub(crate) text: Range<usize>,
    /// Range in [`Word::glyphs`].
    pub(crate) glyphs: Range<usize>,
}

/// A shaped word.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) text: Box<str>,
    pub(crate) glyphs: Vec<Glyph>,
    pub(crate) clusters: Vec<Cluster>,
    /// The sum of the glyphs' advances.
    pub(crate) advance: i32,
}

/// Words kept per face (at most some megabytes); when it is full, what was kept is let go
/// and keeping starts again.
const WORD_LIMIT: usize = 50_000;

/// Words longer than this (addresses, mostly, measured piece by piece when they are broken)
/// are shaped each time rather than kept.
const LONGEST_KEPT: usize = 48;

/// One face's shaping font, its plans and the words shaped so far.
pub(crate) struct FaceShaper {
    font: harfrust::Font,
    /// One plan per script and direction met (a plan compiles the font's rules for them).
    plans: RwLock<Vec<Arc<ShapePlan>>>,
    /// Looked up for every word measured: hashed with foldhash (the hasher of hashbrown,
    /// already built for read-fonts), several times faster than the standard one on words.
    words: RwLock<HashMap<Box<str>, Arc<Word>, foldhash::fast::RandomState>>,
}

impl std::fmt::Debug for FaceShaper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceShaper").finish_non_exhaustive()
    }
}

impl FaceShaper {
    /// A shaper for the font in `bytes`, or `None` if harfrust cannot read it.
    pub(crate) fn new(bytes: Vec<u8>) -> Option<FaceShaper> {
        Some(FaceShaper {
            font: harfrust::Font::new(bytes, 0)?,
            plans: RwLock::default(),
            words: RwLock::default(),
        })
    }

    /// `word` (no spaces in it) shaped, from what was kept if it was shaped before.
    pub(crate) fn word(&self, word: &str) -> Arc<Word> {
        let keep = word.len() <= LONGEST_KEPT;
        if keep && let Some(done) = read(&self.words).get(word) {
            return Arc::clone(done);
        }
        let shaped = Arc::new(self.shape(word));
        if keep {
            let mut words = write(&self.words);
            if words.len() >= WORD_LIMIT {
                words.clear();
            }
            words.insert(word.into(), Arc::clone(&shaped));
        }
        shaped
    }

    fn plan(&self, script: Option<Script>, direction: Direction) -> Arc<ShapePlan> {
        let matches =
            |plan: &&Arc<ShapePlan>| plan.script() == script && plan.direction() == direction;
        if let Some(plan) = read(&self.plans).iter().find(matches) {
            return Arc::clone(plan);
        }
        let plan = Arc::new(ShapePlan::new(&self.font, direction, script, None, &[]));
        write(&self.plans).push(Arc::clone(&plan));
        plan
    }

    fn shape(&self, word: &str) -> Word {
        let font = ShaperFont::new(&self.font);
        let mut buffer = Buffer::new();
        buffer.push_str(word);
        buffer.guess_segment_properties();
        // Layout sets lines left to right and knows no bidirectional text, so a word is shaped
        // left to right whatever its script: a right-to-left buffer would come back reversed,
        // Latin letters and digits with it.
        buffer.set_direction(Direction::LeftToRight);
        let plan = self.plan(buffer.script(), buffer.direction());
        // Shaping fails only on a buffer that does not match its plan, which this one does;
        // a word that failed anyway is drawn from the character map, unshaped.
        let shaped = harfrust::shape(&font, &mut buffer, ShapeOptions::new().plan(Some(&plan)));
        if shaped.is_err() {
            return self.unshaped(word);
        }
        let glyphs: Vec<Glyph> = buffer
            .glyph_infos()
            .iter()
            .zip(buffer.glyph_positions())
            .map(|(info, position)| Glyph {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: position.x_advance,
                x_offset: position.x_offset,
                y_offset: position.y_offset,
            })
            .collect();
        let starts: Vec<usize> = buffer
            .glyph_infos()
            .iter()
            .map(|info| info.cluster as usize)
            .collect();
        Word {
            clusters: clusters(&starts, word.len()),
            advance: glyphs.iter().map(|g| g.advance).sum(),
            glyphs,
            text: word.into(),
        }
    }

    /// `word` with one glyph per character from the character map, and the font's advances.
    fn unshaped(&self, word: &str) -> Word {
        let charmap = self.font.charmap();
        let metrics = self.font.glyph_metrics();
        let mut glyphs = Vec::new();
        let mut clusters = Vec::new();
        for (index, c) in word.char_indices() {
            let gid = charmap.map_unicode(c).unwrap_or_default();
            glyphs.push(Glyph {
                gid: u16::try_from(gid.to_u32()).unwrap_or(0),
                advance: metrics.h_advance(gid).round() as i32,
                x_offset: 0,
                y_offset: 0,
            });
            clusters.push(Cluster {
                text: index..index + c.len_utf8(),
                glyphs: glyphs.len() - 1..glyphs.len(),
            });
        }
        Word {
            text: word.into(),
            advance: glyphs.iter().map(|g| g.advance).sum(),
            glyphs,
            clusters,
        }
    }
}

/// The clusters of a left-to-right word from each glyph's cluster start (harfrust's byte
/// offsets, which never decrease): glyphs with the same start are one cluster, and its text
/// runs to the next start.
fn clusters(starts: &[usize], length: usize) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for (index, start) in starts.iter().enumerate() {
        match clusters.last_mut() {
            Some(last) if last.text.start == *start => last.glyphs.end = index + 1,
            _ => {
                if let Some(last) = clusters.last_mut() {
                    last.text.end = (*start).max(last.text.start);
                }
                clusters.push(Cluster {
                    text: *start..length,
                    glyphs: index..index + 1,
                });
            }
        }
    }
    clusters
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    // What is kept is written whole under the lock, so a panic elsewhere cannot leave it
    // half-made.
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shaper() -> FaceShaper {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/fonts/GentiumBookPlus-Regular.ttf"
        );
        FaceShaper::new(std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn ligatures_are_one_glyph_for_their_letters() {
        let word = shaper().word("office");
        assert_eq!(word.glyphs.len(), 4, "{word:?}");
        assert_eq!(word.clusters[1].text, 1..4);
        assert_eq!(&word.text[word.clusters[1].text.clone()], "ffi");
    }

    #[test]
    fn pairs_are_kerned() {
        let shaper = shaper();
        let pair = shaper.word("AT").advance;
        let apart = shaper.word("A").advance + shaper.word("T").advance;
        assert!(pair < apart, "{pair} {apart}");
    }

    #[test]
    fn combining_accents_compose_or_sit_on_their_letter() {
        let shaper = shaper();
        let decomposed = shaper.word("Nguye\u{302}\u{303}n");
        let composed = shaper.word("Nguyễn");
        assert_eq!(
            decomposed.glyphs.iter().map(|g| g.gid).collect::<Vec<_>>(),
            composed.glyphs.iter().map(|g| g.gid).collect::<Vec<_>>()
        );
        assert_eq!(decomposed.clusters[4].text, 4..9);
        // No precomposed q with an acute: the accent is a glyph of its own, moved onto the q
        // and taking no room.
        let q = shaper.word("q\u{301}");
        assert_eq!(q.glyphs.len(), 2);
        assert_eq!(q.clusters.len(), 1);
        assert_eq!(q.glyphs[1].advance, 0);
    }

    #[test]
    fn greek_and_cyrillic_shape_with_plans_of_their_own() {
        let shaper = shaper();
        assert_eq!(shaper.word("Αθήνα").glyphs.len(), 5);
        assert_eq!(shaper.word("Київ").glyphs.len(), 4);
        assert_eq!(read(&shaper.plans).len(), 2);
        assert!(shaper.word("Київ").glyphs.iter().all(|g| g.gid != 0));
    }

    #[test]
    fn a_word_with_right_to_left_letters_keeps_its_order() {
        let shaper = shaper();
        let word = shaper.word("שalom2024");
        let latin = shaper.word("alom2024");
        let tail: Vec<u16> = word.glyphs[1..].iter().map(|g| g.gid).collect();
        assert_eq!(tail, latin.glyphs.iter().map(|g| g.gid).collect::<Vec<_>>());
        assert!(word.clusters.iter().all(|c| !c.text.is_empty()), "{word:?}");
    }

    #[test]
    fn clusters_run_to_the_next_start() {
        assert_eq!(
            clusters(&[0, 1, 1, 4], 6),
            vec![
                Cluster {
                    text: 0..1,
                    glyphs: 0..1
                },
                Cluster {
                    text: 1..4,
                    glyphs: 1..3
                },
                Cluster {
                    text: 4..6,
                    glyphs: 3..4
                },
            ]
        );
    }
}
