//! The logical structure of a printable document, as a screen reader reads it: headings,
//! paragraphs, lists, links, contents entries and form fields, in reading order, with what is
//! only decoration (running heads, page numbers, rules, bars) set apart as artifacts.
//!
//! Layout records, for every item it places, the element the item belongs to (a [`Mark`]);
//! the PDF backend turns that into marked content and a structure tree (ISO 32000-1, 14.7
//! and 14.8; PDF/UA-1, ISO 14289-1). No crate builds a tagged structure from a layout of our
//! own, so this is written here.

/// A structure type of ISO 32000-1's standard set (14.8.4) that the documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A heading, level 1 to 6.
    Heading(u8),
    Paragraph,
    List,
    ListItem,
    /// A list item's bullet or number.
    Label,
    ListBody,
    /// A link: its text, and the link annotation over it.
    Link,
    Contents,
    ContentsEntry,
    /// A form field: its widget annotation.
    Form,
    Table,
    TableRow,
    /// A header cell, the header of its column.
    TableHeader,
    TableCell,
}

impl Kind {
    /// The structure type's name in the PDF.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Heading(1) => "H1",
            Kind::Heading(2) => "H2",
            Kind::Heading(3) => "H3",
            Kind::Heading(4) => "H4",
            Kind::Heading(5) => "H5",
            Kind::Heading(_) => "H6",
            Kind::Paragraph => "P",
            Kind::List => "L",
            Kind::ListItem => "LI",
            Kind::Label => "Lbl",
            Kind::ListBody => "LBody",
            Kind::Link => "Link",
            Kind::Contents => "TOC",
            Kind::ContentsEntry => "TOCI",
            Kind::Form => "Form",
            Kind::Table => "Table",
            Kind::TableRow => "TR",
            Kind::TableHeader => "TH",
            Kind::TableCell => "TD",
        }
    }
}

/// One structure element. Elements without a parent belong to the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    pub(crate) kind: Kind,
    pub(crate) parent: Option<usize>,
    /// What a screen reader says for an element drawn, not written (a task's box).
    pub(crate) alt: Option<String>,
}

/// What an item on a page is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Decoration and page furniture, skipped by a screen reader.
    Artifact,
    /// Content of the element with this index.
    Content(usize),
}

/// Builds the elements as layout goes: headings with levels that never skip one, and lists
/// nested by indent.
#[derive(Debug, Default)]
pub(crate) struct Structure {
    pub(crate) elements: Vec<Element>,
    /// The level of the last heading, so the next is at most one deeper.
    last_heading: u8,
    /// The open lists, outermost first: indent, the list, and its last item's body.
    lists: Vec<(f32, usize, Option<usize>)>,
    /// The open contents, if contents entries are being placed.
    contents: Option<usize>,
}

impl Structure {
    fn add(&mut self, kind: Kind, parent: Option<usize>) -> usize {
        self.elements.push(Element {
            kind,
            parent,
            alt: None,
        });
        self.elements.len() - 1
    }

    /// Ends any open list or contents: the next element stands at the top level.
    fn close(&mut self) {
        self.lists.clear();
        self.contents = None;
    }

    /// A heading asked for at `level` (0 is a title, 4 a label above an answer); it is tagged
    /// at most one level below the heading before it.
    pub(crate) fn heading(&mut self, level: u8) -> usize {
        self.close();
        let wanted = level.clamp(1, 6);
        let tagged = if level >= 4 {
            (self.last_heading + 1).clamp(1, 6)
        } else {
            wanted.min(self.last_heading + 1)
        };
        if level < 4 {
            self.last_heading = tagged;
        }
        self.add(Kind::Heading(tagged), None)
    }

    /// A paragraph at `indent`, with its marker if it starts a list item. Returns the element
    /// its text belongs to and, for a list item, the element of its marker.
    pub(crate) fn paragraph(&mut self, indent: f32, marker: bool) -> (usize, Option<usize>) {
        self.contents = None;
        if marker {
            while self
                .lists
                .last()
                .is_some_and(|(at, ..)| *at > indent + 0.01)
            {
                self.lists.pop();
            }
            let list = match self.lists.last() {
                Some((at, list, _)) if (*at - indent).abs() < 0.01 => *list,
                open => {
                    let parent = open.and_then(|(.., body)| *body);
                    let list = self.add(Kind::List, parent);
                    self.lists.push((indent, list, None));
                    list
                }
            };
            let item = self.add(Kind::ListItem, Some(list));
            let label = self.add(Kind::Label, Some(item));
            let body = self.add(Kind::ListBody, Some(item));
            if let Some(open) = self.lists.last_mut() {
                open.2 = Some(body);
            }
            return (body, Some(label));
        }
        let parent = self.body_at(indent);
        (self.add(Kind::Paragraph, parent), None)
    }

    /// The body of the open list item that text at `indent` continues, if any; lists deeper
    /// than `indent` end, and all of them at the left margin.
    fn body_at(&mut self, indent: f32) -> Option<usize> {
        while self
            .lists
            .last()
            .is_some_and(|(at, ..)| *at > indent + 0.01)
        {
            self.lists.pop();
        }
        match self.lists.last() {
            Some((_, _, body)) if indent > 0.0 => *body,
            _ => {
                self.lists.clear();
                None
            }
        }
    }

    /// Gives `element` words for a screen reader to say instead of its drawing.
    pub(crate) fn describe(&mut self, element: usize, alt: &str) {
        self.elements[element].alt = Some(alt.to_owned());
    }

    /// A link inside `parent`.
    pub(crate) fn link(&mut self, parent: usize) -> usize {
        self.add(Kind::Link, Some(parent))
    }

    /// One form field, in `parent` (a task's label) or on its own.
    pub(crate) fn field(&mut self, parent: Option<usize>) -> usize {
        if parent.is_none() {
            self.close();
        }
        self.add(Kind::Form, parent)
    }

    /// A table, inside the list item whose body is open at `indent`, if any.
    pub(crate) fn table(&mut self, indent: f32) -> usize {
        self.contents = None;
        let parent = self.body_at(indent);
        self.add(Kind::Table, parent)
    }

    /// A row of `table`.
    pub(crate) fn row(&mut self, table: usize) -> usize {
        self.add(Kind::TableRow, Some(table))
    }

    /// A cell of `row`: a header cell or a data cell.
    pub(crate) fn cell(&mut self, row: usize, header: bool) -> usize {
        let kind = if header {
            Kind::TableHeader
        } else {
            Kind::TableCell
        };
        self.add(kind, Some(row))
    }

    /// One contents entry, in the contents list that consecutive entries share.
    pub(crate) fn contents_entry(&mut self) -> usize {
        self.lists.clear();
        let contents = match self.contents {
            Some(contents) => contents,
            None => {
                let contents = self.add(Kind::Contents, None);
                self.contents = Some(contents);
                contents
            }
        };
        self.add(Kind::ContentsEntry, Some(contents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(structure: &Structure) -> Vec<(&'static str, Option<usize>)> {
        structure
            .elements
            .iter()
            .map(|e| (e.kind.name(), e.parent))
            .collect()
    }

    #[test]
    fn headings_never_skip_a_level() {
        let mut s = Structure::default();
        s.heading(1);
        s.heading(4);
        s.heading(3);
        s.heading(4);
        s.heading(2);
        s.heading(4);
        let names: Vec<_> = kinds(&s).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["H1", "H2", "H2", "H3", "H2", "H3"]);
    }

    #[test]
    fn lists_nest_by_indent_and_end_at_a_plain_paragraph() {
        let mut s = Structure::default();
        let (first, label) = s.paragraph(14.0, true);
        let (nested, _) = s.paragraph(28.0, true);
        let (second, _) = s.paragraph(14.0, true);
        let (after, _) = s.paragraph(0.0, false);
        assert_eq!(label, Some(2));
        assert_eq!(
            kinds(&s)[..4],
            [
                ("L", None),
                ("LI", Some(0)),
                ("Lbl", Some(1)),
                ("LBody", Some(1))
            ]
        );
        let nested_list = s.elements[s.elements[s.elements[nested].parent.unwrap()]
            .parent
            .unwrap()]
        .parent;
        assert_eq!(
            nested_list,
            Some(first),
            "the inner list is in the item's body"
        );
        let second_item = s.elements[second].parent.unwrap();
        assert_eq!(
            s.elements[second_item].parent,
            Some(0),
            "back in the outer list"
        );
        assert_eq!(s.elements[after].parent, None);
    }
}
