//! Hinting taken out of a TrueType subset: every glyph's instructions. The tables they run in
//! (`cvt `, `fpgm`, `prep`) are already left out of our subsets, so the instructions could not
//! run, and print and screen readers rasterise without them; they were a quarter of a
//! workbook's font bytes.
//!
//! Written by hand (ISO/IEC 14496-22, 5.3): allsorts' subsetter keeps the instructions, and
//! the `subsetter` crate, which drops them, also drops the `cmap` table that viewers type
//! form fields with.

/// `font` (a TrueType file) with no glyph instructions, or `None` if it is not as expected.
pub(crate) fn without_instructions(font: &[u8]) -> Option<Vec<u8>> {
    let tables = directory(font)?;
    let find = |tag: &[u8; 4]| tables.iter().find(|t| &t.tag == tag);
    let (head, loca, glyf, maxp) = (
        find(b"head")?,
        find(b"loca")?,
        find(b"glyf")?,
        find(b"maxp")?,
    );
    let head_bytes = font.get(head.range())?;
    let long_offsets = u16_at(head_bytes, 50)? == 1;
    let glyphs = usize::from(u16_at(font.get(maxp.range())?, 4)?);
    let loca_bytes = font.get(loca.range())?;
    let glyf_bytes = font.get(glyf.range())?;
    let offset = |index: usize| -> Option<usize> {
        if long_offsets {
            Some(u32_at(loca_bytes, index * 4)? as usize)
        } else {
            Some(usize::from(u16_at(loca_bytes, index * 2)?) * 2)
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf_bytes.len());
    let mut new_loca = Vec::with_capacity((glyphs + 1) * 4);
    for index in 0..glyphs {
        new_loca.extend(u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
        let glyph = glyf_bytes.get(offset(index)?..offset(index + 1)?)?;
        if !glyph.is_empty() {
            new_glyf.extend(strip(glyph)?);
            while !new_glyf.len().is_multiple_of(4) {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend(u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    let mut new_head = head_bytes.to_vec();
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    // The table's checksum counts its checksum adjustment as zero; `assemble` sets it.
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    let replaced: Vec<(&Table, Vec<u8>)> = tables
        .iter()
        .map(|table| {
            let bytes = match &table.tag {
                b"glyf" => new_glyf.clone(),
                b"loca" => new_loca.clone(),
                b"head" => new_head.clone(),
                _ => font.get(table.range())?.to_vec(),
            };
            Some((table, bytes))
        })
        .collect::<Option<_>>()?;
    Some(assemble(font.get(..4)?, &replaced))
}

/// One glyph without its instructions.
fn strip(glyph: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes([*glyph.first()?, *glyph.get(1)?]);
    if contours >= 0 {
        let at = 10 + 2 * usize::try_from(contours).ok()?;
        let length = usize::from(u16_at(glyph, at)?);
        let mut out = glyph.get(..at)?.to_vec();
        out.extend([0, 0]);
        out.extend(glyph.get(at + 2 + length..)?);
        return Some(out);
    }
    // A composite: components until one lacks MORE_COMPONENTS, then its instructions if
    // WE_HAVE_INSTRUCTIONS is set.
    let mut out = glyph.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        out.get_mut(at..at + 2)?
            .copy_from_slice(&(flags & !0x0100).to_be_bytes());
        at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        at += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
        if flags & 0x0020 == 0 {
            break;
        }
    }
    // What follows the components is the instructions, if anything.
    out.truncate(at);
    Some(out)
}

struct Table {
    tag: [u8; 4],
    offset: usize,
    length: usize,
}

impl Table {
    fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.length
    }
}

fn directory(font: &[u8]) -> Option<Vec<Table>> {
    let count = usize::from(u16_at(font, 4)?);
    (0..count)
        .map(|index| {
            let record = 12 + 16 * index;
            Some(Table {
                tag: font.get(record..record + 4)?.try_into().ok()?,
                offset: u32_at(font, record + 8)? as usize,
                length: u32_at(font, record + 12)? as usize,
            })
        })
        .collect()
}

/// A font file of `tables` in order, with checksums and `head`'s checksum adjustment.
fn assemble(version: &[u8], tables: &[(&Table, Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    let mut power = 1u16;
    while power * 2 <= count {
        power *= 2;
    }
    let mut out = version.to_vec();
    for value in [
        count,
        power * 16,
        power.trailing_zeros() as u16,
        count * 16 - power * 16,
    ] {
        out.extend(value.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (table, bytes) in tables {
        if &table.tag == b"head" {
            head_at = Some(offset);
        }
        out.extend(table.tag);
        out.extend(checksum(bytes).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((bytes.len() as u32).to_be_bytes());
        offset += bytes.len().div_ceil(4) * 4;
    }
    for (_, bytes) in tables {
        out.extend(bytes);
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
    }
    if let Some(head) = head_at
        && out.len() >= head + 12
    {
        let whole = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[head + 8..head + 12].copy_from_slice(&whole.to_be_bytes());
    }
    out
}

fn checksum(bytes: &[u8]) -> u32 {
    bytes.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_font_without_instructions_has_the_same_glyphs_and_is_smaller() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/fonts/GentiumBookPlus-Regular.ttf"
        );
        let bytes = std::fs::read(path).unwrap();
        let stripped = without_instructions(&bytes).unwrap();
        assert!(
            stripped.len() * 10 < bytes.len() * 9,
            "{} {}",
            stripped.len(),
            bytes.len()
        );
        let mut warnings = Vec::new();
        let before = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings).unwrap();
        let after = printpdf::ParsedFont::from_bytes(&stripped, 0, &mut warnings).unwrap();
        assert_eq!(before.codepoint_to_glyph, after.codepoint_to_glyph);
        assert_eq!(before.glyph_widths, after.glyph_widths);
        // The whole file sums to the magic number, as `head` says it must.
        assert_eq!(checksum(&stripped), 0xB1B0_AFBA);
        // Stripping again changes nothing.
        assert!(without_instructions(&stripped).unwrap() == stripped);
    }

    #[test]
    fn a_simple_glyph_loses_its_instructions_and_keeps_its_points() {
        // One contour ending at point 2, three bytes of instructions, then flags and points.
        let glyph = [
            0, 1, 0, 0, 0, 0, 0, 9, 0, 9, 0, 2, 0, 3, 0xb0, 0xb1, 0xb2, 1, 1, 1, 7,
        ];
        assert_eq!(
            strip(&glyph).unwrap(),
            [0, 1, 0, 0, 0, 0, 0, 9, 0, 9, 0, 2, 0, 0, 1, 1, 1, 7]
        );
    }

    #[test]
    fn a_composite_loses_its_instructions_and_its_flag() {
        // Two components (byte arguments), the second with WE_HAVE_INSTRUCTIONS.
        let glyph = [
            0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, // header
            0x00, 0x20, 0, 5, 1, 2, // MORE_COMPONENTS, glyph 5
            0x01, 0x00, 0, 6, 3, 4, // WE_HAVE_INSTRUCTIONS, glyph 6
            0, 2, 0xb0, 0xb1,
        ];
        assert_eq!(
            strip(&glyph).unwrap(),
            [
                0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x20, 0, 5, 1, 2, 0, 0, 0, 6, 3, 4
            ]
        );
    }
}
