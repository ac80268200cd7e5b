//! `--format concise`: `path:line:col: severity[rule] message`, one line per
//! finding, then the summary line. Made for grep and editors' quickfix lists.

use super::{Positions, Reporter, Summary};
use crate::engine::Document;
use std::io;
use termcolor::WriteColor;

pub struct Concise;

impl Reporter for Concise {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        let name = doc.name();
        if !doc.applied.is_empty() {
            let pos = Positions::applied(doc);
            for d in &doc.applied {
                let (line, col) = pos.at(d.span.start);
                writeln!(out, "{name}:{line}:{col}: fixed[{}] {}", d.rule, d.message)?;
            }
        }
        let pos = Positions::new(doc, false);
        for d in &doc.diagnostics {
            let (line, col) = pos.at(d.span.start);
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
