//! `check = "document-shape"`: signals about a whole document, reported
//! once, on its first line, for filtering a corpus rather than for fixing
//! text. One kind per rule (`options.kind`; more signals are to come):
//!
//! - `unpunctuated`: of the lines with words, at least `share` end without
//!   sentence punctuation (German-aware: `“`, `»` and `«` end sentences
//!   too), and there are at least `min_lines` of them: a menu, a list page
//!   or a page of teasers rather than an article.

use super::{Check, CompileError, Ctx, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Unpunctuated,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    kind: Kind,
    /// `unpunctuated`: share of lines without punctuation that is reported.
    #[serde(default = "default_share")]
    share: f64,
    /// `unpunctuated`: fewest lines with words for the share to count.
    #[serde(default = "default_min_lines")]
    min_lines: usize,
}

fn default_share() -> f64 {
    0.6
}
fn default_min_lines() -> usize {
    10
}

pub struct DocumentShape {
    rule: Arc<Rule>,
    opts: Options,
}

impl DocumentShape {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        if !(0.0..=1.0).contains(&opts.share) {
            return Err(CompileError::new(
                super::Field::Options,
                "options.share must be between 0 and 1",
            ));
        }
        Ok(DocumentShape {
            rule: rule.clone(),
            opts,
        })
    }
}

/// Whether a line ends like a sentence (or a quotation that ends one).
fn ends_like_sentence(line: &str) -> bool {
    line.trim_end_matches([')', ']', '*', '_']).ends_with([
        '.', '!', '?', '…', ':', ';', '"', '“', '”', '»', '«', '’', '。', '！', '？',
    ])
}

impl Check for DocumentShape {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let text = ctx.text;
        let Some(first) = ctx
            .lines
            .lines(text)
            .map(|(_, r)| trim_range(text, r))
            .find(|r| !r.is_empty())
        else {
            return; // an empty document has nothing to say
        };
        let message = match self.opts.kind {
            Kind::Unpunctuated => {
                let (mut lines, mut bare) = (0usize, 0usize);
                for (_, range) in ctx.lines.lines(text) {
                    let line = text[range].trim();
                    if !line.chars().any(char::is_alphabetic) {
                        continue;
                    }
                    lines += 1;
                    bare += usize::from(!ends_like_sentence(line));
                }
                if lines < self.opts.min_lines || (bare as f64) < self.opts.share * lines as f64 {
                    return;
                }
                format!(
                    "{bare} of {lines} lines ({}%) end without sentence punctuation",
                    bare * 100 / lines
                )
            }
        };
        let mut d = self.rule.finding(text, ctx.lines, first, None);
        d.message = message;
        d.fix = None;
        out.push(d);
    }
}
