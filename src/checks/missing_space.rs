//! `check = "missing-space"`: a sentence end glued to the next sentence,
//! `Artilleriegranaten.Einblick` — the classic trace of two documents or
//! paragraphs joined without a break.
//!
//! What must stay alone: URLs and domains (`metro.co.uk`, `www.Spiegel.de`),
//! e-mail addresses, abbreviations (`z.B.`, `U.S.`, `Dr.Müller` is listed
//! in `abbreviations`), numbers (`3.000`), file names (`report.PDF`) and code
//! (`Node.js`, `String.Format(`). So the word before the mark must end in a
//! lower-case letter and have two letters or more, the word after must be a
//! capitalised word (upper-case letter, then lower-case ones) followed by a
//! space, punctuation or the end, and the token holding both must not look
//! like a URL or a path, a namespace (`pkg.Reader` next to `pkg.internal`)
//! or a quoted stylised name (`›Struktur.Wandel‹`).

use super::{Check, CompileError, Ctx, applicability, options};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use foldhash::HashSet;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Words that end with a full stop as abbreviations (compared without case).
    #[serde(default)]
    abbreviations: Vec<String>,
    /// Top-level domains: `DoSchu.Com` is an address, not two sentences.
    #[serde(default)]
    domains: Vec<String>,
}

pub struct MissingSpace {
    rule: Arc<Rule>,
    abbreviations: HashSet<String>,
    domains: HashSet<String>,
    applicability: Applicability,
}

impl MissingSpace {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(MissingSpace {
            rule: rule.clone(),
            abbreviations: opts
                .abbreviations
                .iter()
                .map(|a| a.to_lowercase())
                .collect(),
            domains: opts.domains.iter().map(|a| a.to_lowercase()).collect(),
            applicability: applicability(rule, Applicability::Unsafe),
        })
    }
}

fn looks_like_address(token: &str) -> bool {
    token.contains("://")
        || token.contains('@')
        || token.contains('/')
        || token.contains('\\')
        || token.contains('_')
        || token.contains('=')
        || token.to_ascii_lowercase().contains("www.")
}

/// The shape the check looks for, as a regex (for `--export-patterns`); the
/// check itself scans for the marks with memchr, which is much faster.
const SHAPE: &str = r"\p{L}{2,}[.!?]\p{Lu}\p{Ll}+";

/// End of a capitalised word starting at `start` (`Einblick`), if one does.
fn capitalised_word_end(text: &str, start: usize) -> Option<usize> {
    let mut chars = text[start..].char_indices();
    let (_, first) = chars.next()?;
    if !first.is_uppercase() {
        return None;
    }
    let mut end = None;
    for (i, c) in chars {
        if !c.is_lowercase() {
            break;
        }
        end = Some(start + i + c.len_utf8());
    }
    end
}

/// Whether the glued pair is all there is between two quotation marks: a
/// stylised name (`›Struktur.Wandel‹`, `„Web.Design“`), not two sentences.
fn quoted_name(before: Option<char>, after: Option<char>) -> bool {
    const OPENING: &[char] = &['"', '\'', '„', '‚', '“', '‘', '»', '«', '›', '‹'];
    const CLOSING: &[char] = &['"', '\'', '“', '”', '‘', '’', '»', '«', '›', '‹'];
    before.is_some_and(|c| OPENING.contains(&c)) && after.is_some_and(|c| CLOSING.contains(&c))
}

/// Whether `prefix` (a word with its full stop, `stuff.`, at byte `at`)
/// comes right before a letter more than once nearby: a module, package or
/// object name (`stuff.Stuffinator`, `stuff.bigstuff`), not a sentence end.
/// Only `NEARBY` bytes on each side are searched, so that a huge document
/// with many candidates stays linear.
fn namespace(text: &str, at: usize, prefix: &str) -> bool {
    const NEARBY: usize = 16 * 1024;
    let start = crate::text::floor_char_boundary(text, at.saturating_sub(NEARBY));
    let end = crate::text::floor_char_boundary(text, (at + NEARBY).min(text.len()));
    let text = &text[start..end];
    memchr::memmem::find_iter(text.as_bytes(), prefix.as_bytes())
        .filter(|&at| {
            let glued_before = text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
            let after = text[at + prefix.len()..].chars().next();
            !glued_before && after.is_some_and(char::is_alphabetic)
        })
        .nth(1)
        .is_some()
}

impl Check for MissingSpace {
    fn fixes(&self) -> Option<Applicability> {
        Some(self.applicability)
    }

    fn patterns(&self) -> Vec<String> {
        vec![SHAPE.to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let text = ctx.text;
        for mark in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
            let Some(after_end) = capitalised_word_end(text, mark + 1) else {
                continue;
            };
            let before_start = crate::text::letters_start(text, mark);
            let before = &text[before_start..mark];
            if before.chars().nth(1).is_none()
                || !before.chars().next_back().is_some_and(char::is_lowercase)
            {
                continue;
            }
            let after = &text[mark + 1..after_end];
            // The word before must start the token or follow a non-letter
            // that is not part of a dotted name (`z.B.`, `co.uk.Foo`).
            let prev_char = text[..before_start].chars().next_back();
            if prev_char.is_some_and(|c| c == '.' || c.is_alphanumeric()) {
                continue;
            }
            let next_char = text[after_end..].chars().next();
            if next_char.is_some_and(|c| {
                c.is_alphanumeric() || matches!(c, '.' | '(' | '_' | '/' | '@' | '-' | '[' | '<')
            }) {
                continue;
            }
            if self.abbreviations.contains(&before.to_lowercase())
                || self.domains.contains(&after.to_lowercase())
            {
                continue;
            }
            let token_start = text[..before_start]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let token_end = text[after_end..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map_or(text.len(), |(i, _)| after_end + i);
            if looks_like_address(&text[token_start..token_end])
                || quoted_name(prev_char, next_char)
                || namespace(text, before_start, &text[before_start..=mark])
            {
                continue;
            }
            let mut d = self
                .rule
                .finding(text, ctx.lines, before_start..after_end, None);
            d.fix = Some(Fix::new(
                self.applicability,
                vec![Edit::insert(mark + 1, " ")],
            ));
            out.push(d);
        }
    }
}
