//! Benchmark helper: renders one partner's all-stages workbook (the theme's worksheets rendered,
//! laid out and written) with advocate and writes the same
//! content as a Typst document, so `bench/typst.sh` can time both and compare sizes; and each
//! stage workbook alone (`stage-N.pdf` and `stage-N.typ`), for the sizes of each.
//! `cargo run --release --example typst_compare -- SITE PARTNER-ID OUT-DIR`

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use advocate::workbook::blocks::{Block, Span};
use advocate::workbook::fonts::{Face, FontSet};
use advocate::workbook::layout::{Running, lay_out};
use advocate::workbook::{StageWorksheets, pdf, style};

fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\#*_`$<>@[]=-+/~\"".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s.face {
            Face::Regular => escape(&s.text),
            Face::Bold => format!("#strong[{}]", escape(&s.text)),
            Face::Italic => format!("#emph[{}]", escape(&s.text)),
            Face::BoldItalic => format!("#strong[#emph[{}]]", escape(&s.text)),
        })
        .collect()
}

fn typst(blocks: &[Block], title: &str, gap: f32) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        r#"#set page(paper: "a4", margin: (top: 22mm, bottom: 20mm, left: 20mm, right: 18mm),
  header: [#set text(size: 8.5pt, style: "italic"); {} #h(1fr) #line(length: 100%, stroke: 0.4pt)],
  footer: context [#set text(size: 8.5pt); #h(1fr) Page #counter(page).display() of #counter(page).final().first()])
#set text(font: "Gentium Book Plus", size: 10.5pt, lang: "en")
#set par(leading: 0.5em)
#set document(title: "{}")"#,
        escape(title),
        escape(title)
    );
    for block in blocks {
        match block {
            Block::Heading { level, text, .. } => {
                let _ = writeln!(
                    t,
                    "\n{} {}\n",
                    "=".repeat(usize::from((*level).clamp(1, 4))),
                    escape(text)
                );
            }
            Block::Paragraph {
                spans: s, style, ..
            } => {
                let body = spans(s);
                let body = match &style.marker {
                    Some(m) => format!("{} {body}", escape(m)),
                    None => body,
                };
                if style.filled {
                    let _ = writeln!(
                        t,
                        "#block(stroke: (left: 2pt + rgb(\"#0b5cad\")), inset: (left: 7pt))[{body}]\n"
                    );
                } else {
                    let _ = writeln!(t, "{body}\n");
                }
            }
            Block::Ruled { lines, .. } => {
                let _ = writeln!(
                    t,
                    "#for _ in range({lines}) [#v({gap}pt) #line(length: 100%, stroke: 0.4pt)]\n"
                );
            }
            Block::Space(lines) => {
                let _ = writeln!(t, "#v({}em)\n", lines * 1.4);
            }
            Block::PageBreak => t.push_str("#pagebreak()\n"),
            Block::Table { head, rows, .. } => {
                let columns = rows
                    .iter()
                    .map(Vec::len)
                    .chain([head.len()])
                    .max()
                    .unwrap_or(1);
                let cells = |row: &[Vec<Span>]| {
                    row.iter()
                        .map(|cell| format!("[{}]", spans(cell)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let body: Vec<String> = rows.iter().map(|row| cells(row)).collect();
                let _ = writeln!(
                    t,
                    "#table(columns: {columns}, stroke: 0.4pt, table.header({}), {})\n",
                    cells(head),
                    body.join(", ")
                );
            }
            Block::Choices { label, choices, .. } => {
                let boxes: Vec<String> = choices
                    .iter()
                    .map(|c| {
                        format!(
                            "#box(stroke: 0.6pt, width: 7pt, height: 7pt) {}",
                            escape(&c.text)
                        )
                    })
                    .collect();
                let _ = writeln!(t, "*{}* {}\n", escape(label), boxes.join(" #h(14pt) "));
            }
            Block::Keep(group) => t.push_str(&typst(group, title, gap)),
            Block::Contents { .. } | Block::Image { .. } => {}
        }
    }
    t
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, site, partner, out] = args.as_slice() else {
        eprintln!("usage: typst_compare SITE PARTNER-ID OUT-DIR");
        std::process::exit(2);
    };
    let root = Path::new(site);
    let (site, _) =
        advocate::model::load(root).unwrap_or_else(|_| panic!("{} loads", root.display()));
    let partner = site.partner(partner).expect("the partner exists");
    let (style, theme) =
        style::load(&site.theme_dir, &site.root, site.config.paper).expect("theme");
    let fonts = FontSet::load(&site.theme_dir, &site.root, &theme).expect("fonts");
    let worksheets = StageWorksheets::load(&site).unwrap_or_else(|_| panic!("worksheets load"));
    let render_stages = |stages: &[usize]| {
        let sheets = worksheets
            .blocks(&site, partner)
            .expect("worksheets render");
        let mut blocks = Vec::new();
        for stage in stages {
            if !blocks.is_empty() {
                blocks.push(Block::PageBreak);
            }
            blocks.extend(sheets[*stage].iter().cloned());
        }
        let running = Running {
            title: format!("{} · workbook", partner.data.name),
            first_decorated: 0,
            page_of: "Page {page} of {pages}".into(),
            continued: "{name} (continued)".into(),
            line_of: "{name}, line {line} of {lines}".into(),
            note: None,
        };
        let laid = lay_out(&blocks, &fonts, &style, &running, &HashMap::new());
        let meta = pdf::Meta {
            title: format!("Workbook, all stages — {}", partner.data.name),
            author: site.config.owner.name.clone(),
            subject: "benchmark".into(),
            language: site.config.language.clone(),
            created: site.as_of,
        };
        (
            blocks,
            laid.pages.len(),
            pdf::write(&laid, &fonts, &style, &meta).expect("writes"),
        )
    };
    let render = || render_stages(&[0, 1, 2, 3]);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..30 {
        let start = Instant::now();
        last = Some(render());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let (blocks, pages, bytes) = last.expect("rendered");
    let out = Path::new(out);
    std::fs::create_dir_all(out).expect("out dir");
    std::fs::write(out.join("advocate.pdf"), &bytes).expect("write pdf");
    std::fs::write(
        out.join("workbook.typ"),
        typst(
            &blocks,
            &format!("Workbook — {}", partner.data.name),
            style.ruled_line_gap,
        ),
    )
    .expect("write typ");
    for number in 0..4 {
        let (blocks, _, bytes) = render_stages(&[number]);
        let name = format!("stage-{}", number + 1);
        std::fs::write(out.join(format!("{name}.pdf")), &bytes).expect("write pdf");
        let typ = typst(
            &blocks,
            &format!("Workbook — {}", partner.data.name),
            style.ruled_line_gap,
        );
        std::fs::write(out.join(format!("{name}.typ")), typ).expect("write typ");
    }
    println!(
        "advocate: {pages} pages, {} bytes, median {:.1} ms in-process (30 runs)",
        bytes.len(),
        times[times.len() / 2]
    );
}
