//! Splitting a Markdown file into its YAML front matter (between `---` lines) and its body,
//! keeping the line numbers of both so that errors point into the original file.

/// A Markdown file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub(crate) yaml: &'a str,
    /// The file line on which the YAML starts (1-based).
    pub(crate) yaml_first_line: usize,
    pub(crate) body: &'a str,
    /// The file line on which the body starts (1-based).
    pub(crate) body_first_line: usize,
}

/// Splits `text`; `None` when it does not open with a `---` line closed by another.
pub(crate) fn split(text: &str) -> Option<Split<'_>> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    for (line, raw) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if raw.trim_end() == "---" {
            return Some(Split {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[offset + raw.len()..],
                body_first_line: line + 1,
            });
        }
        offset += raw.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_numbers_lines() {
        let text = "---\ntitle: A\norder: 1\n---\n\nBody\n";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, "title: A\norder: 1\n");
        assert_eq!(split.body, "\nBody\n");
        assert_eq!(split.body_first_line, 5);
    }

    #[test]
    fn no_front_matter_or_unclosed_is_none() {
        assert!(split("# Title\n").is_none());
        assert!(split("---\ntitle: A\n").is_none());
    }

    #[test]
    fn handles_crlf() {
        let split = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body");
    }
}
