//! `--format concise`: `path:line:col: severity[rule] message`, one line per
//! finding, then the summary line. Made for grep and editors' quickfix lists.

use super::{Reporter, Summary, positions};
use crate::engine::Document;
use crate::text::LineIndex;
use std::io;
use termcolor::WriteColor;

pub struct Concise;

impl Reporter for Concise {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        let lines = LineIndex::new(&doc.text);
        let pos = positions(&doc.text, &lines, &doc.diagnostics);
        let name = doc.name();
        for d in &doc.diagnostics {
            let (line, col) = pos[&d.span.start.min(doc.text.len())];
            writeln!(
                out,
                "{name}:{line}:{col}: {}[{}] {}",
                d.severity, d.rule, d.message
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        writeln!(out, "{}", summary.line())
    }
}
