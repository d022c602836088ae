//! Where each node of a YAML text starts and ends, from the event parser's spans, and the
//! edits that take a faulty value out of the text without moving anything else: what lets
//! [`super::parse`] go on past a problem to find the next one. No crate does this: the parsers
//! report spans, not repairs.
//!
//! Positions are (line, column), both 1-based, in characters, as the parser reports them.

use granit_parser::{Event, Parser};

/// A node of the text: a scalar, an alias, or a whole mapping or sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Node {
    /// Character indices into the text: `start` inclusive, `end` exclusive.
    pub(super) start: usize,
    pub(super) end: usize,
    /// How deep it is: the top node is 0.
    depth: usize,
    /// Whether it is a key of the mapping it is in.
    pub(super) is_key: bool,
    /// Whether it is a scalar written without quotes.
    pub(super) plain: bool,
}

/// Every node of `text` in document order, a collection before what it holds; as far as the
/// text parses.
pub(super) fn nodes(text: &str) -> Vec<Node> {
    /// A collection being read: where its node is, whether it is a mapping, how many nodes
    /// it holds so far.
    struct Open {
        node: usize,
        mapping: bool,
        children: usize,
    }
    let mut found: Vec<Node> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let is_key = open
            .last()
            .is_some_and(|o| o.mapping && o.children % 2 == 0);
        let node = Node {
            start: span.start.index(),
            end: span.end.index(),
            depth: open.len(),
            is_key,
            plain: false,
        };
        match event {
            Event::Scalar(_, style, _, _) => {
                found.push(Node {
                    plain: style == granit_parser::ScalarStyle::Plain,
                    ..node
                });
                if let Some(parent) = open.last_mut() {
                    parent.children += 1;
                }
            }
            Event::Alias(_) => {
                found.push(node);
                if let Some(parent) = open.last_mut() {
                    parent.children += 1;
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                open.push(Open {
                    node: found.len(),
                    mapping: matches!(event, Event::MappingStart(..)),
                    children: 0,
                });
                found.push(node);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(closed) = open.pop() {
                    found[closed.node].end = span.end.index().max(found[closed.node].end);
                    if let Some(parent) = open.last_mut() {
                        parent.children += 1;
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The text as characters, with the index of each line's first one.
pub(super) struct Text {
    chars: Vec<char>,
    line_starts: Vec<usize>,
}

impl Text {
    pub(super) fn new(text: &str) -> Text {
        let chars: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        line_starts.extend(
            chars
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == '\n')
                .map(|(i, _)| i + 1),
        );
        Text { chars, line_starts }
    }

    /// The character index of `line`, `column`.
    pub(super) fn index(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        Some(start + column.saturating_sub(1))
    }

    /// The line and column of character `index`.
    pub(super) fn position(&self, index: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|start| *start <= index);
        (line, index - self.line_starts[line - 1] + 1)
    }

    pub(super) fn char_at(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    /// `start..end` with each character other than a line break replaced: the first line's
    /// by `replacement` (padded with spaces), the rest by spaces; every other position keeps.
    pub(super) fn replaced(&self, start: usize, end: usize, replacement: &str) -> String {
        let end = end.min(self.chars.len());
        let mut out: String = self.chars[..start.min(end)].iter().collect();
        let mut written = replacement.chars();
        let mut first_line = true;
        for &c in &self.chars[start.min(end)..end] {
            if c == '\n' {
                if first_line {
                    out.extend(written.by_ref());
                }
                first_line = false;
                out.push('\n');
            } else if first_line {
                out.push(written.next().unwrap_or(' '));
            } else {
                out.push(' ');
            }
        }
        if first_line {
            out.extend(written);
        }
        out.extend(&self.chars[end..]);
        out
    }
}

/// The node that starts at `index`, the outermost one when several do (a mapping and its first
/// key).
pub(super) fn node_at(nodes: &[Node], index: usize) -> Option<Node> {
    nodes.iter().find(|n| n.start == index).copied()
}

/// The key that starts at `index` and its value: from the key's start to the value's end,
/// with the comma after it when it is an entry of a `{ … }` or `[ … ]`.
pub(super) fn entry_at(nodes: &[Node], text: &Text, index: usize) -> Option<(usize, usize)> {
    let position = nodes.iter().position(|n| n.start == index && n.is_key)?;
    let key = nodes[position];
    let value = nodes[position + 1..]
        .iter()
        .find(|n| n.depth == key.depth)
        .filter(|n| !n.is_key)?;
    let mut end = value.end;
    let mut look = end;
    while text.char_at(look) == Some(' ') {
        look += 1;
    }
    if text.char_at(look) == Some(',') {
        end = look + 1;
    }
    Some((key.start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replacement_keeps_every_other_position() {
        let text = Text::new("a: 1\nb: {c: 2, d: 3}\n");
        let start = text.index(2, 5).unwrap();
        assert_eq!(text.position(start), (2, 5));
        assert_eq!(
            text.replaced(start, start + 5, "x"),
            "a: 1\nb: {x     d: 3}\n"
        );
        assert_eq!(text.replaced(0, 7, "z"), "z   \n   {c: 2, d: 3}\n");
    }

    #[test]
    fn an_entry_runs_from_its_key_to_its_value_and_takes_a_flow_comma() {
        let source = "name: A\nitems:\n  - {date: x, kind: y}\nnested:\n  deep: 1\n";
        let text = Text::new(source);
        let nodes = nodes(source);
        let date = text.index(3, 6).unwrap();
        let (start, end) = entry_at(&nodes, &text, date).unwrap();
        assert_eq!(
            text.replaced(start, end, ""),
            source.replace("date: x,", "        ")
        );
        let nested = text.index(4, 1).unwrap();
        let (start, end) = entry_at(&nodes, &text, nested).unwrap();
        let blanked = text.replaced(start, end, "");
        assert_eq!(blanked.lines().nth(4).unwrap().trim(), "");
        let item = node_at(&nodes, text.index(3, 5).unwrap()).unwrap();
        assert!(!item.is_key && !item.plain);
    }
}
