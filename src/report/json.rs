//! `--format json` (one array) and `--format jsonl` (one object per line):
//! the finding schema of DESIGN.md, field for field and in its order.

use super::{Positions, Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::engine::Document;
use serde::Serialize;
use std::io;
use termcolor::WriteColor;

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub path: &'a str,
    pub record: Option<usize>,
    pub doc_id: Option<&'a serde_json::Value>,
    pub rule: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub help: Option<&'a str>,
    pub fix: Option<JsonFix<'a>>,
    /// `--fix`: this finding's fix was applied; its offsets are those of
    /// the text before fixing. Left out for the findings that remain.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fixed: bool,
}

#[derive(Debug, Serialize)]
pub struct JsonFix<'a> {
    pub applicability: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit<'a> {
    pub byte_start: usize,
    pub byte_end: usize,
    pub replacement: &'a str,
}

impl<'a> JsonFinding<'a> {
    pub fn new(doc: &'a Document, d: &'a Diagnostic, pos: &Positions) -> Self {
        let (line, column) = pos.at(d.span.start);
        let (end_line, end_column) = pos.at(d.span.end);
        JsonFinding {
            path: &doc.path,
            record: doc.record,
            doc_id: doc.doc_id.as_ref(),
            rule: &d.rule,
            severity: d.severity.as_str(),
            message: &d.message,
            line,
            column,
            end_line,
            end_column,
            byte_start: d.span.start,
            byte_end: d.span.end,
            help: d.help.as_deref(),
            fix: d.fix.as_ref().map(|f| JsonFix {
                applicability: f.applicability.as_str(),
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        byte_start: e.range.start,
                        byte_end: e.range.end,
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
            fixed: false,
        }
    }
}

/// Serialises each finding of `doc` into one buffer, `f` adding what goes
/// before each, and writes the buffer at once: serde_json writes many small
/// pieces, each a dynamic call into the output stream.
fn each_finding(
    out: &mut dyn WriteColor,
    doc: &Document,
    mut before: impl FnMut(&mut Vec<u8>),
    after: &[u8],
) -> io::Result<()> {
    if doc.diagnostics.is_empty() && doc.applied.is_empty() {
        return Ok(());
    }
    let mut buf = Vec::with_capacity(512 * (doc.diagnostics.len() + doc.applied.len()));
    if !doc.applied.is_empty() {
        let pos = Positions::applied(doc);
        for d in &doc.applied {
            before(&mut buf);
            let mut finding = JsonFinding::new(doc, d, &pos);
            finding.fixed = true;
            serde_json::to_writer(&mut buf, &finding)?;
            buf.extend_from_slice(after);
        }
    }
    let pos = Positions::new(doc, false);
    for d in &doc.diagnostics {
        before(&mut buf);
        serde_json::to_writer(&mut buf, &JsonFinding::new(doc, d, &pos))?;
        buf.extend_from_slice(after);
    }
    out.write_all(&buf)
}

/// One JSON array, one finding per line inside it.
#[derive(Default)]
pub struct Json {
    count: usize,
}

impl Reporter for Json {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        each_finding(
            out,
            doc,
            |buf| {
                buf.extend_from_slice(if self.count == 0 { b"[\n  " } else { b",\n  " });
                self.count += 1;
            },
            b"",
        )
    }

    fn finish(&mut self, out: &mut dyn WriteColor, _: &Summary) -> io::Result<()> {
        out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// One JSON object per line.
pub struct Jsonl;

impl Reporter for Jsonl {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        each_finding(out, doc, |_| {}, b"\n")
    }

    fn finish(&mut self, _: &mut dyn WriteColor, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
