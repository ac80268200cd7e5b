//! `check = "after-marker"`: the lines that follow a marker line, as long as
//! they look like headlines: the links under "Mehr:", "Lesen Sie auch" or
//! "Read more" that a scraper keeps as text. The rule's `pattern` is the
//! marker (matched against the whole trimmed line, like a `line` rule); the
//! marker itself is left to a rule of its own.
//!
//! A headline-like line is short, has a few words and does not end like a
//! sentence (`.`, `!`, `?`, `:`, `;`, `,`). The block ends at the first line
//! that is not headline-like, so the article text after it stays untouched.

use super::{Check, CompileError, Ctx, line::compile_line_pattern, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Most headline lines after one marker.
    #[serde(default = "default_max_lines")]
    max_lines: usize,
    /// Longest headline, in characters.
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// Fewest words in a headline.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// Labels of metadata lines (`Autor: Name`, `Quelle: Agentur`) that end
    /// the list of headlines: such a line is a field, not a headline.
    #[serde(default)]
    field_labels: Vec<String>,
    /// The shape of a header in any wording ("More on this topic", "Auch
    /// interessant"): counts as a marker only when `generic_min_lines`
    /// headline-like lines follow it, and is then reported too.
    #[serde(default)]
    generic: Option<String>,
    #[serde(default = "default_generic_min_lines")]
    generic_min_lines: usize,
}

fn default_generic_min_lines() -> usize {
    3
}

fn default_max_lines() -> usize {
    8
}
fn default_max_chars() -> usize {
    160
}
fn default_min_words() -> usize {
    2
}

/// Longest marker line, in bytes: a header with bullets and a short topic
/// ("**Das könnte Sie auch interessieren: Energie und Klima**") fits.
const MAX_MARKER_BYTES: usize = 200;

pub struct AfterMarker {
    rule: Arc<Rule>,
    marker: Regex,
    generic: Option<Regex>,
    opts: Options,
    /// The option `field_labels` in lower case (taken out of `opts`),
    /// compared without case as `missing-space` compares abbreviations.
    field_labels: HashSet<String>,
}

impl AfterMarker {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let Some(pattern) = rule.pattern.as_deref() else {
            return Err(CompileError::new(
                super::Field::Check,
                "`after-marker` needs a `pattern` (the marker line)",
            ));
        };
        let mut opts: Options = options(rule)?;
        let field_labels = std::mem::take(&mut opts.field_labels)
            .iter()
            .map(|l| l.to_lowercase())
            .collect();
        let generic = opts
            .generic
            .as_deref()
            .map(compile_line_pattern)
            .transpose()?;
        Ok(AfterMarker {
            rule: rule.clone(),
            marker: compile_line_pattern(pattern)?,
            generic,
            opts,
            field_labels,
        })
    }

    fn headline_like(&self, line: &str) -> bool {
        let core = line.trim_end_matches(|c: char| {
            matches!(
                c,
                '“' | '”' | '"' | '\'' | '’' | '«' | '»' | ')' | ']' | '*' | '_'
            ) || c.is_whitespace()
        });
        let Some(last) = core.chars().next_back() else {
            return false;
        };
        if let Some((label, _)) = line.split_once(':') {
            let label = label.trim_start_matches(['*', '_', '-', '•', ' ']).trim();
            if self.field_labels.contains(&label.to_lowercase()) {
                return false;
            }
        }
        let words = line
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        !matches!(last, '.' | '!' | '?' | ':' | ';' | ',' | '…')
            && words >= self.opts.min_words
            && line.chars().take(self.opts.max_chars + 1).count() <= self.opts.max_chars
    }
}

impl AfterMarker {
    /// How many headline-like lines follow line `i` (blank lines aside),
    /// up to `max_lines`.
    fn headlines_after(&self, ctx: &Ctx<'_>, mut i: usize) -> usize {
        let mut n = 0;
        while i < ctx.lines.count() && n < self.opts.max_lines {
            let line = &ctx.text[trim_range(ctx.text, ctx.lines.content(ctx.text, i))];
            i += 1;
            if line.is_empty() {
                continue;
            }
            if !self.headline_like(line) {
                break;
            }
            n += 1;
        }
        n
    }
}

impl Check for AfterMarker {
    fn patterns(&self) -> Vec<String> {
        vec![format!("^[ \\t]*{}[ \\t]*$", self.marker.as_str())]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let text = ctx.text;
        let count = ctx.lines.count();
        let mut i = 0;
        while i < count {
            let span = trim_range(text, ctx.lines.content(text, i));
            i += 1;
            // A marker is a short line: skip paragraphs without running the regex.
            if span.is_empty() || span.len() > MAX_MARKER_BYTES {
                continue;
            }
            let header = &text[span.clone()];
            if !self.marker.is_match(header) {
                let generic = self.generic.as_ref().is_some_and(|g| g.is_match(header));
                if !generic || self.headlines_after(ctx, i) < self.opts.generic_min_lines {
                    continue;
                }
                let mut d = self.rule.finding(text, ctx.lines, span, None);
                d.message = format!("related-articles header `{header}`");
                out.push(d);
            }
            let mut taken = 0;
            while i < count && taken < self.opts.max_lines {
                let span = trim_range(text, ctx.lines.content(text, i));
                let line = &text[span.clone()];
                if line.is_empty() {
                    i += 1;
                    continue;
                }
                if (line.len() <= MAX_MARKER_BYTES && self.marker.is_match(line))
                    || !self.headline_like(line)
                {
                    break;
                }
                out.push(self.rule.finding(text, ctx.lines, span, None));
                taken += 1;
                i += 1;
            }
        }
    }
}
