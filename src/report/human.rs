//! `--format human`: rustc-style diagnostics rendered by codespan-reporting.
//!
//! Scraped paragraphs are often thousands of characters on one line, so a
//! diagnostic never shows the whole line: it shows a window of about
//! [`WINDOW`] characters around the span, with `…` where the line is cut.
//! codespan renders from a small virtual file (the window) whose
//! [`Files`] implementation reports the real line and column, so the
//! `--> path:line:col` header and the gutter stay true to the document.
//! Invisible characters in the window are drawn as visible stand-ins
//! (`␀`, `◌`), one for one, so the carets stay aligned.

use super::{Positions, Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Document;
use crate::fix::Fix;
use crate::text::{LineIndex, is_invisible, preview};
use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Chars, Config, WriteStyle};
use std::io::{self, Write};
use std::ops::Range;
use termcolor::WriteColor;

/// Characters of the source line shown around a finding.
pub const WINDOW: usize = 120;

pub struct Human {
    config: Config,
}

impl Default for Human {
    fn default() -> Self {
        Human {
            config: Config {
                chars: Chars::ascii(),
                ..Config::default()
            },
        }
    }
}

/// A one-line virtual file: the window of the source line.
struct Excerpt<'a> {
    name: &'a str,
    source: String,
    line_number: usize,
    /// Real column of the first window character.
    first_column: usize,
    /// Bytes of the leading `…`, if the line was cut on the left.
    prefix: usize,
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(self.line_number)
    }

    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, FilesError> {
        let byte = byte.clamp(self.prefix, self.source.len());
        Ok(self.first_column + self.source[self.prefix..byte].chars().count())
    }

    fn line_range(&'a self, (): (), line: usize) -> Result<Range<usize>, FilesError> {
        if line == 0 {
            Ok(0..self.source.len())
        } else {
            Err(FilesError::LineTooLarge {
                given: line,
                max: 0,
            })
        }
    }
}

/// A visible stand-in for an invisible character (one char for one char).
fn visible(c: char) -> char {
    match c {
        '\t' => '\t',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('◌'),
        '\u{7F}' => '␡',
        c if is_invisible(c) => '◌',
        c => c,
    }
}

/// Cuts the window around `span` out of line `line` and maps offsets into it.
struct Window<'a> {
    excerpt: Excerpt<'a>,
    /// (original byte, excerpt byte) for every character start in the window, and its end.
    map: Vec<(usize, usize)>,
}

impl<'a> Window<'a> {
    fn new(
        name: &'a str,
        text: &str,
        line: Range<usize>,
        span: Range<usize>,
        line_number: usize,
        column: usize,
    ) -> Self {
        let s = span.start.clamp(line.start, line.end);
        let e = span.end.clamp(s, line.end);
        let back: Vec<usize> = text[line.start..s]
            .char_indices()
            .rev()
            .take(WINDOW)
            .map(|(i, _)| line.start + i)
            .collect();
        let fwd: Vec<usize> = text[s..line.end]
            .char_indices()
            .take(WINDOW + 1)
            .map(|(i, _)| s + i)
            .collect();
        let (ws, we) = if back.len() < WINDOW && back.len() + fwd.len() <= WINDOW {
            (line.start, line.end)
        } else {
            let span_chars = fwd.iter().take_while(|&&p| p < e).count();
            let mut n_back = if span_chars + 20 >= WINDOW {
                10
            } else {
                (WINDOW - span_chars) / 2
            };
            n_back = n_back.min(back.len());
            let mut n_fwd = WINDOW - n_back;
            if n_fwd > fwd.len() {
                n_fwd = fwd.len();
                n_back = back.len().min(WINDOW - n_fwd);
            }
            let ws = if n_back == 0 { s } else { back[n_back - 1] };
            let we = if n_fwd < fwd.len() {
                fwd[n_fwd]
            } else {
                line.end
            };
            (ws, we)
        };
        let mut source = String::new();
        let mut prefix = 0;
        if ws > line.start {
            source.push('…');
            prefix = source.len();
        }
        let mut map = Vec::new();
        for (i, c) in text[ws..we].char_indices() {
            map.push((ws + i, source.len()));
            source.push(visible(c));
        }
        map.push((we, source.len()));
        if we < line.end {
            source.push('…');
        }
        let first_column = column - text[ws..s].chars().count();
        Window {
            excerpt: Excerpt {
                name,
                source,
                line_number,
                first_column,
                prefix,
            },
            map,
        }
    }

    /// Excerpt range of an original range, if it lies in the window.
    fn range(&self, r: &Range<usize>) -> Option<Range<usize>> {
        let first = self.map.first()?.0;
        let last = self.map.last()?.0;
        if r.start < first || r.start > last {
            return None;
        }
        let find = |b: usize| {
            self.map
                .iter()
                .find(|(o, _)| *o >= b)
                .map_or(self.map.last().unwrap().1, |m| m.1)
        };
        Some(find(r.start)..find(r.end.min(last)))
    }
}

/// What the fix does, in words: "delete line 6", "`werden Die` → `werden. Die`".
pub fn describe_fix(text: &str, lines: &LineIndex, span: &Range<usize>, fix: &Fix) -> String {
    if let [edit] = fix.edits.as_slice()
        && edit.replacement.is_empty()
    {
        let line = lines.line_of(span.start);
        if edit.range == lines.delete_range(text, line) {
            return format!("delete line {}", line + 1);
        }
    }
    let start = fix
        .edits
        .iter()
        .map(|e| e.range.start)
        .chain([span.start])
        .min()
        .unwrap_or(span.start);
    let end = fix
        .edits
        .iter()
        .map(|e| e.range.end)
        .chain([span.end])
        .max()
        .unwrap_or(span.end);
    let before = &text[start..end];
    let after = fix.preview(text, start..end);
    if after.is_empty() {
        format!("remove `{}`", preview(before, 60))
    } else {
        format!("`{}` → `{}`", preview(before, 60), preview(&after, 60))
    }
}

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

impl Human {
    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        out: &mut dyn WriteColor,
        doc: &Document,
        name: &str,
        lines: &LineIndex,
        d: &Diagnostic,
        pos: (usize, usize),
        label_pos: &dyn Fn(usize) -> (usize, usize),
    ) -> io::Result<()> {
        let text = &doc.text;
        let line_no = lines.line_of(d.span.start.min(text.len()));
        let line = lines.content(text, line_no);
        let window = Window::new(name, text, line, d.span.clone(), pos.0, pos.1);
        let mut labels = vec![];
        if let Some(r) = window.range(&d.span) {
            labels.push(Label::new(LabelStyle::Primary, (), r));
        }
        let mut notes = Vec::new();
        for l in &d.labels {
            match window.range(&l.span) {
                Some(r) if lines.line_of(l.span.start) == line_no => {
                    labels.push(Label::new(LabelStyle::Secondary, (), r).with_message(&l.message))
                }
                _ => {
                    let (ll, lc) = label_pos(l.span.start);
                    notes.push(format!("note: {} (line {ll}, column {lc})", l.message));
                }
            }
        }
        if let Some(id) = &doc.doc_id {
            notes.push(format!("note: document id {id}"));
        }
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        if let Some(fix) = &d.fix {
            let how = match fix.applicability {
                crate::fix::Applicability::Safe => "fix (safe, applied by --fix)",
                crate::fix::Applicability::Unsafe => {
                    "suggestion (unsafe, applied by --fix --unsafe-fixes)"
                }
            };
            notes.push(format!(
                "{how}: {}",
                describe_fix(text, lines, &d.span, fix)
            ));
        }
        let diagnostic = CsDiagnostic::new(severity(d.severity))
            .with_code(&*d.rule)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        let mut writer = InfoWriter {
            inner: out,
            info: false,
        };
        term::emit_to_write_style(&mut writer, &self.config, &window.excerpt, &diagnostic).map_err(
            |e| match e {
                FilesError::Io(e) => e,
                other => io::Error::other(other.to_string()),
            },
        )
    }
}

impl Reporter for Human {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        if !doc.applied.is_empty() {
            // What `--fix` changed, one line a fix, placed in the text
            // before fixing (as `--diff` shows it).
            let pos = Positions::applied(doc);
            let text = doc.applied_text();
            let name = doc.name();
            for d in &doc.applied {
                let (line, col) = pos.at(d.span.start);
                let how = d
                    .fix
                    .as_ref()
                    .map(|f| describe_fix(text, &pos.lines, &d.span, f))
                    .unwrap_or_default();
                out.set_color(termcolor::ColorSpec::new().set_bold(true))?;
                write!(out, "fixed")?;
                out.reset()?;
                writeln!(out, "[{}] {name}:{line}:{col}: {how}", d.rule)?;
            }
        }
        if doc.diagnostics.is_empty() {
            return Ok(());
        }
        let pos = Positions::new(doc, false);
        let (lines, at) = (&pos.lines, |b: usize| pos.at(b));
        let name = doc.name();
        for d in &doc.diagnostics {
            self.render(out, doc, &name, lines, d, at(d.span.start), &at)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        out.set_color(termcolor::ColorSpec::new().set_bold(true))?;
        write!(out, "{}", summary.line())?;
        out.reset()?;
        writeln!(out)
    }
}

/// codespan names the `Note` severity "note"; corpuslint's is "info". This
/// writer swaps the word right after the header colour for `Note` is set.
struct InfoWriter<'a> {
    inner: &'a mut dyn WriteColor,
    info: bool,
}

impl Write for InfoWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if std::mem::take(&mut self.info) && buf == b"note" {
            self.inner.write_all(b"info")?;
            return Ok(buf.len());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl WriteStyle for InfoWriter<'_> {
    fn set_header(&mut self, severity: CsSeverity) -> io::Result<()> {
        self.info = severity == CsSeverity::Note;
        self.inner.set_header(severity)
    }
    fn set_header_message(&mut self) -> io::Result<()> {
        self.inner.set_header_message()
    }
    fn set_line_number(&mut self) -> io::Result<()> {
        self.inner.set_line_number()
    }
    fn set_note_bullet(&mut self) -> io::Result<()> {
        self.inner.set_note_bullet()
    }
    fn set_source_border(&mut self) -> io::Result<()> {
        self.inner.set_source_border()
    }
    fn set_label(&mut self, severity: CsSeverity, style: LabelStyle) -> io::Result<()> {
        self.inner.set_label(severity, style)
    }
    fn reset(&mut self) -> io::Result<()> {
        self.inner.reset()
    }
}
