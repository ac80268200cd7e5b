//! `check = "spacing"`: whitespace that a careful editor normalises, one
//! kind per rule (`options.kind`):
//!
//! - `double-space`: two spaces between words on a line (not the
//!   indentation at its start; three or more, several runs in one line, or
//!   a line with `|` or tabs is a table or layout, where spaces align
//!   columns);
//! - `trailing`: spaces or tabs at the end of a line;
//! - `blank-lines`: more than one blank line in a row;
//! - `space-before-punctuation`: a space between a word and the comma or
//!   full stop after it (`Hallo , Welt`, `Ende .`); not before `...`, a
//!   number (`.5`) or a file name (`.txt`).
//!
//! Each kind finds its candidates with memchr/memmem, so a clean text
//! costs a fast scan.

use super::{Check, CompileError, Ctx, applicability, options};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use memchr::memmem;
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    DoubleSpace,
    Trailing,
    BlankLines,
    SpaceBeforePunctuation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    kind: Kind,
}

pub struct Spacing {
    rule: Arc<Rule>,
    kind: Kind,
    applicability: Applicability,
}

impl Spacing {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(Spacing {
            rule: rule.clone(),
            kind: opts.kind,
            applicability: applicability(rule, Applicability::Safe),
        })
    }

    fn emit(&self, ctx: &Ctx<'_>, span: Range<usize>, with: &str, out: &mut Vec<Diagnostic>) {
        let mut d = self.rule.finding(ctx.text, ctx.lines, span.clone(), None);
        d.fix = Some(Fix::new(
            self.applicability,
            vec![Edit::replace(span, with)],
        ));
        out.push(d);
    }

    fn double_space(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let bytes = ctx.text.as_bytes();
        let mut from = 0;
        while let Some(p) = memmem::find(&bytes[from..], b"  ") {
            let start = from + p;
            let mut end = start + 2;
            while end < bytes.len() && bytes[end] == b' ' {
                end += 1;
            }
            from = end;
            let line = ctx.lines.line_of(start);
            let content = ctx.lines.content(ctx.text, line);
            let text = &ctx.text[content.clone()];
            let indentation = ctx.text[content.start..start].trim().is_empty();
            let at_end = end >= content.end;
            // Three or more spaces, or several runs in one line, align
            // columns: layout, not a slip.
            let layout = end - start > 2
                || memmem::find_iter(text.trim().as_bytes(), b"  ")
                    .nth(1)
                    .is_some();
            if indentation || at_end || layout || text.contains(['|', '\t']) {
                continue;
            }
            self.emit(ctx, start..end, " ", out);
        }
    }

    fn trailing(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        for (_, range) in ctx.lines.lines(ctx.text) {
            let line = &ctx.text[range.clone()];
            let kept = line.trim_end_matches([' ', '\t']);
            // Whitespace-only lines are blank lines, not trailing space.
            if kept.len() < line.len() && !kept.is_empty() {
                self.emit(ctx, range.start + kept.len()..range.end, "", out);
            }
        }
    }

    fn blank_lines(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let mut run: Option<(usize, usize)> = None; // (first blank line, count)
        let count = ctx.lines.count();
        for (n, range) in ctx.lines.lines(ctx.text) {
            let blank = ctx.text[range].trim().is_empty() && n + 1 < count;
            match (blank, run) {
                (true, Some((first, k))) => run = Some((first, k + 1)),
                (true, None) => run = Some((n, 1)),
                (false, Some((first, k))) => {
                    if k >= 2 {
                        // Keep the first blank line, remove the others.
                        let start = ctx.lines.full(first + 1).start;
                        let end = ctx.lines.full(first + k - 1).end;
                        self.emit(ctx, start..end, "", out);
                    }
                    run = None;
                }
                (false, None) => {}
            }
        }
    }

    fn space_before_punctuation(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let text = ctx.text;
        for needle in [" ,", " ."] {
            for at in memmem::find_iter(text.as_bytes(), needle) {
                let before = text[..at].chars().next_back();
                let after = text[at + 2..].chars().next();
                let word_before = before.is_some_and(char::is_alphabetic);
                let end_after = after.is_none_or(|c| c.is_whitespace() || c == '"');
                if word_before && end_after {
                    self.emit(ctx, at..at + 1, "", out);
                }
            }
        }
    }
}

impl Check for Spacing {
    fn patterns(&self) -> Vec<String> {
        // Runs of blank lines span lines: no single-line pattern for them.
        let p = match self.kind {
            Kind::DoubleSpace => r"\S {2,}\S",
            Kind::Trailing => r"\S[ \t]+$",
            Kind::BlankLines => return Vec::new(),
            Kind::SpaceBeforePunctuation => r"\p{L} [,.](?:\s|$)",
        };
        vec![p.to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        match self.kind {
            Kind::DoubleSpace => self.double_space(ctx, out),
            Kind::Trailing => self.trailing(ctx, out),
            Kind::BlankLines => self.blank_lines(ctx, out),
            Kind::SpaceBeforePunctuation => self.space_before_punctuation(ctx, out),
        }
    }
}
