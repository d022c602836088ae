//! A page's content stream, written as bytes (ISO 32000-1, 7.8.2): text objects, paths,
//! colours and the marked content that tags them.
//!
//! Written by hand rather than as printpdf operations: printpdf turns each operation into a
//! lopdf operation (an allocation for the operator and one per operand) and formats every
//! number through `fmt`, which took a fifth of a build's time for the dozen operators a
//! workbook uses. Numbers here are written to a thousandth of a point, without trailing zeros.

use super::style::Rgb;

/// The operators of one page, in order. Every operator closes a `TJ` array left open, so
/// none is ever written inside one.
#[derive(Debug, Default)]
pub(crate) struct Content {
    bytes: Vec<u8>,
    /// A `TJ` array is open, and a string in it.
    in_array: bool,
    in_string: bool,
}

impl Content {
    pub(crate) fn new() -> Content {
        Content {
            bytes: Vec::with_capacity(16 * 1024),
            ..Content::default()
        }
    }

    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        self.end_show();
        self.bytes
    }

    fn operator(&mut self, operator: &str) {
        self.bytes.extend_from_slice(operator.as_bytes());
        self.bytes.push(b'\n');
    }

    /// `value` to a thousandth, and a space.
    fn number(&mut self, value: f32) {
        let thousandths = (f64::from(value) * 1000.0).round() as i64;
        if thousandths < 0 {
            self.bytes.push(b'-');
        }
        let magnitude = thousandths.unsigned_abs();
        self.integer(magnitude / 1000);
        let mut fraction = magnitude % 1000;
        if fraction != 0 {
            self.bytes.push(b'.');
            let mut digits = 3;
            while fraction.is_multiple_of(10) {
                fraction /= 10;
                digits -= 1;
            }
            let leading_zeros = match fraction {
                0..=9 => digits - 1,
                10..=99 => digits - 2,
                _ => 0,
            };
            self.bytes.extend(std::iter::repeat_n(b'0', leading_zeros));
            self.integer(fraction);
        }
        self.bytes.push(b' ');
    }

    fn integer(&mut self, mut value: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        self.bytes.extend_from_slice(&digits[at..]);
    }

    fn name(&mut self, name: &str) {
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b' ');
    }

    pub(crate) fn begin_text(&mut self) {
        self.end_show();
        self.operator("BT");
    }

    pub(crate) fn end_text(&mut self) {
        self.end_show();
        self.operator("ET");
    }

    pub(crate) fn font(&mut self, name: &str, size: f32) {
        self.end_show();
        self.name(name);
        self.number(size);
        self.operator("Tf");
    }

    pub(crate) fn fill_colour(&mut self, Rgb(r, g, b): Rgb) {
        self.end_show();
        for value in [r, g, b] {
            self.number(value);
        }
        self.operator("rg");
    }

    pub(crate) fn stroke_colour(&mut self, Rgb(r, g, b): Rgb) {
        self.end_show();
        for value in [r, g, b] {
            self.number(value);
        }
        self.operator("RG");
    }

    pub(crate) fn line_width(&mut self, width: f32) {
        self.end_show();
        self.number(width);
        self.operator("w");
    }

    /// Puts the next text at (`x`, `y`), in PDF coordinates (from the bottom left).
    pub(crate) fn text_at(&mut self, x: f32, y: f32) {
        self.end_show();
        self.bytes.extend_from_slice(b"1 0 0 1 ");
        self.number(x);
        self.number(y);
        self.operator("Tm");
    }

    /// Raises the glyphs shown next by `rise` points (`Ts`).
    pub(crate) fn rise(&mut self, rise: f32) {
        self.end_show();
        self.number(rise);
        self.operator("Ts");
    }

    /// Adds glyph codes (two bytes each, for an Identity-H font) to the `TJ` being shown.
    pub(crate) fn show_codes(&mut self, codes: &[u8]) {
        if !self.in_array {
            self.bytes.push(b'[');
            self.in_array = true;
        }
        if !self.in_string {
            self.bytes.push(b'(');
            self.in_string = true;
        }
        for byte in codes {
            // A literal string (7.3.4.2): the delimiters and the backslash escaped, and the
            // line ends, which a reader would read as one newline.
            match byte {
                b'(' | b')' | b'\\' => self.bytes.extend_from_slice(&[b'\\', *byte]),
                b'\r' => self.bytes.extend_from_slice(b"\\r"),
                b'\n' => self.bytes.extend_from_slice(b"\\n"),
                _ => self.bytes.push(*byte),
            }
        }
    }

    /// Adds a move of the pen to the `TJ` being shown: back by `thousandths` of an em.
    pub(crate) fn show_move(&mut self, thousandths: f32) {
        if !self.in_array {
            self.bytes.push(b'[');
            self.in_array = true;
        }
        if self.in_string {
            self.bytes.extend_from_slice(b") ");
            self.in_string = false;
        }
        self.number(thousandths);
    }

    /// Ends the `TJ` being shown, if one is.
    pub(crate) fn end_show(&mut self) {
        if self.in_string {
            self.bytes.push(b')');
            self.in_string = false;
        }
        if self.in_array {
            self.bytes.extend_from_slice(b"] TJ\n");
            self.in_array = false;
        }
    }

    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        self.end_show();
        self.number(from.0);
        self.number(from.1);
        self.operator("m");
        self.number(to.0);
        self.number(to.1);
        self.operator("l");
        self.operator("S");
    }

    pub(crate) fn fill_rectangle(&mut self, x: f32, y: f32, width: f32, height: f32) {
        self.end_show();
        for value in [x, y, width, height] {
            self.number(value);
        }
        self.operator("re");
        self.operator("f");
    }

    /// Draws the image XObject `name` in the box of `width` by `height` at `x`, `y` (its
    /// bottom left corner), saving and restoring the graphics state around it.
    pub(crate) fn image(&mut self, name: &str, x: f32, y: f32, width: f32, height: f32) {
        self.end_show();
        self.operator("q");
        for value in [width, 0.0, 0.0, height, x, y] {
            self.number(value);
        }
        self.operator("cm");
        self.name(name);
        self.operator("Do");
        self.operator("Q");
    }

    pub(crate) fn begin_artifact(&mut self) {
        self.end_show();
        self.operator("/Artifact BMC");
    }

    /// Opens content belonging to a structure element of `tag`, by its marked-content id.
    pub(crate) fn begin_tagged(&mut self, tag: &str, mcid: usize) {
        self.end_show();
        self.name(tag);
        self.bytes.extend_from_slice(b"<</MCID ");
        self.integer(mcid as u64);
        self.operator(">> BDC");
    }

    /// Opens content whose text is `text` (UTF-16BE bytes), whatever its glyphs spell.
    pub(crate) fn begin_actual_text(&mut self, text: &[u8]) {
        self.end_show();
        self.bytes.extend_from_slice(b"/Span <</ActualText <");
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for byte in text {
            self.bytes
                .extend([HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]]);
        }
        self.operator(">>> BDC");
    }

    pub(crate) fn end_marked(&mut self) {
        self.end_show();
        self.operator("EMC");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(draw: impl FnOnce(&mut Content)) -> String {
        let mut content = Content::new();
        draw(&mut content);
        String::from_utf8_lossy(&content.into_bytes()).into_owned()
    }

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        assert_eq!(
            written(|c| {
                for v in [0.0, 12.0, -3.5, 0.05, 0.0004, 1.2345, -0.001, 841.89] {
                    c.number(v);
                }
            }),
            "0 12 -3.5 0.05 0 1.235 -0.001 841.89 "
        );
    }

    #[test]
    fn glyphs_and_moves_make_one_tj_array() {
        let text = written(|c| {
            c.begin_text();
            c.font("F0", 11.0);
            c.text_at(72.0, 700.5);
            c.show_codes(&[0, 65, 0, 66]);
            c.show_move(-12.5);
            c.show_codes(&[0, b'(', 0, b'\r']);
            c.end_text();
        });
        assert_eq!(
            text,
            "BT\n/F0 11 Tf\n1 0 0 1 72 700.5 Tm\n[(\0A\0B) -12.5 (\0\\(\0\\r)] TJ\nET\n"
        );
    }

    #[test]
    fn marked_content_closes_what_is_being_shown() {
        let text = written(|c| {
            c.begin_tagged("P", 3);
            c.show_codes(&[0, 65]);
            c.begin_actual_text(&[0xfe, 0xff, 0, 0x41]);
            c.end_marked();
            c.end_marked();
        });
        assert_eq!(
            text,
            "/P <</MCID 3>> BDC\n[(\0A)] TJ\n/Span <</ActualText <FEFF0041>>> BDC\nEMC\nEMC\n"
        );
    }
}
