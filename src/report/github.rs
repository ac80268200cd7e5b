//! `--format github`: GitHub Actions workflow commands, one per finding:
//!
//! ```text
//! ::error file=corpus/a.txt,line=2,col=5,endLine=2,endColumn=10,title=html/leftover-tag::leftover HTML tag `< /p>`
//! ```
//!
//! Severities map to `::error`, `::warning` and `::notice`. Values are
//! escaped as GitHub's actions/toolkit escapes them. A JSONL record is
//! pointed at by its line in the shard, with the position in its text in
//! the message. GitHub turns at most [`LIMIT`] commands of each kind in a
//! step into annotations, so no more than that are printed per kind, and
//! the end says with one `::notice::` per kind how many were left out. The
//! closing notices count against the notices' own limit: notices for info
//! findings are held back (at most [`LIMIT`] of them) until the end, so that
//! room is left for the closing lines.

use super::{Positions, Reporter, Summary, ci_path, plural, record_note};
use crate::diagnostic::Severity;
use crate::engine::Document;
use std::io;
use termcolor::WriteColor;

/// Annotations GitHub shows per kind (error, warning, notice) and step.
pub const LIMIT: usize = 10;

/// Escapes the message of a workflow command (toolkit's `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command (toolkit's `escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The GitHub reporter.
#[derive(Default)]
pub struct Github {
    /// Errors and warnings printed and left out.
    shown: [usize; 2],
    hidden: [usize; 2],
    /// Notices for info findings, held back until the end.
    notices: Vec<String>,
    hidden_notices: usize,
}

impl Reporter for Github {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        if doc.diagnostics.is_empty() {
            return Ok(());
        }
        let pos = Positions::new(doc, false);
        let at = |b: usize| pos.at(b);
        let file = escape_property(&ci_path(&doc.path));
        for d in &doc.diagnostics {
            let kind = match d.severity {
                Severity::Error => Some(0),
                Severity::Warning => Some(1),
                Severity::Info => None,
            };
            let full = match kind {
                Some(k) => self.shown[k] >= LIMIT,
                None => self.notices.len() >= LIMIT,
            };
            if full {
                match kind {
                    Some(k) => self.hidden[k] += 1,
                    None => self.hidden_notices += 1,
                }
                continue;
            }
            let (start, end) = (at(d.span.start), at(d.span.end));
            let (place, message) = match doc.record {
                Some(record) => (
                    format!("line={record}"),
                    format!("{}{}", d.message, record_note(doc, start.0, start.1)),
                ),
                // GitHub takes columns only for an annotation on one line.
                None if start.0 == end.0 && end.1 > start.1 => (
                    format!(
                        "line={},col={},endLine={},endColumn={}",
                        start.0, start.1, end.0, end.1
                    ),
                    d.message.clone(),
                ),
                None if start.0 == end.0 => (
                    format!("line={},col={}", start.0, start.1),
                    d.message.clone(),
                ),
                None => (
                    format!("line={},endLine={}", start.0, end.0),
                    d.message.clone(),
                ),
            };
            let line = format!(
                "::{} file={file},{place},title={}::{}\n",
                command(d.severity),
                escape_property(&d.rule),
                escape_data(&message)
            );
            match kind {
                Some(k) => {
                    self.shown[k] += 1;
                    out.write_all(line.as_bytes())?;
                }
                None => self.notices.push(line),
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor, _: &Summary) -> io::Result<()> {
        let closing = self.hidden.iter().filter(|&&n| n > 0).count();
        let room = LIMIT - closing;
        let total = self.notices.len() + self.hidden_notices;
        let (show, hidden_infos) = if total <= room {
            (self.notices.len(), 0)
        } else {
            (room - 1, total - (room - 1))
        };
        for line in &self.notices[..show] {
            out.write_all(line.as_bytes())?;
        }
        let cut = [
            (self.hidden[0], "error"),
            (self.hidden[1], "warning"),
            (hidden_infos, "info"),
        ];
        for (n, word) in cut {
            if n > 0 {
                writeln!(
                    out,
                    "::notice::{}",
                    escape_data(&format!(
                        "corpuslint: {} not shown as annotations (GitHub shows {LIMIT} per \
                         kind); run corpuslint locally or use --format concise to see every finding",
                        // "3 more errors"
                        plural(n, word).replacen(' ', " more ", 1)
                    ))
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    fn doc(path: &str, text: &str, findings: &[(Severity, std::ops::Range<usize>)]) -> Document {
        let mut doc = Document::new(path, text.into());
        doc.diagnostics = findings
            .iter()
            .map(|(severity, span)| Diagnostic::new("html/t", *severity, span.clone(), "m"))
            .collect();
        doc
    }

    fn run(docs: &[Document]) -> String {
        let mut out = termcolor::NoColor::new(Vec::new());
        let mut r = Github::default();
        for d in docs {
            r.document(&mut out, d).unwrap();
        }
        r.finish(&mut out, &Summary::default()).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn positions_fit_what_github_takes() {
        let out = run(&[doc(
            "./a.txt",
            "ab\ncd\n",
            &[
                (Severity::Error, 0..2),
                (Severity::Warning, 1..4),
                (Severity::Error, 3..3),
            ],
        )]);
        assert_eq!(
            out,
            "::error file=a.txt,line=1,col=1,endLine=1,endColumn=3,title=html/t::m\n\
             ::warning file=a.txt,line=1,endLine=2,title=html/t::m\n\
             ::error file=a.txt,line=2,col=1,title=html/t::m\n"
        );
    }

    #[test]
    fn notices_leave_room_for_the_closing_line() {
        let infos: Vec<_> = (0..12).map(|i| (Severity::Info, i..i + 1)).collect();
        let out = run(&[doc("a.txt", "abcdefghijkl", &infos)]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), LIMIT, "{out}");
        assert!(lines[8].starts_with("::notice file=a.txt,line=1,col=9,"));
        assert!(lines[9].starts_with("::notice::corpuslint: 3 more infos not shown"));
        // Exactly ten notices: all shown, no closing line.
        let out = run(&[doc("a.txt", "abcdefghijkl", &infos[..10])]);
        assert_eq!(out.lines().count(), LIMIT);
        assert!(!out.contains("::notice::"));
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A:"), "%253A%3A");
    }
}
