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
//! like a URL or a path.

use super::{Check, CompileError, Ctx, applicability, options, regex};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashSet;
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
    re: Regex,
    abbreviations: HashSet<String>,
    domains: HashSet<String>,
    applicability: Applicability,
}

impl MissingSpace {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(MissingSpace {
            rule: rule.clone(),
            re: regex(r"(?P<before>\p{L}{2,})(?P<mark>[.!?])(?P<after>\p{Lu}\p{Ll}+)")?,
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

impl Check for MissingSpace {
    fn patterns(&self) -> Vec<String> {
        vec![self.re.as_str().to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let text = ctx.text;
        for caps in self.re.captures_iter(text) {
            let before = caps.name("before").unwrap();
            let mark = caps.name("mark").unwrap();
            let after = caps.name("after").unwrap();
            if !before
                .as_str()
                .chars()
                .next_back()
                .is_some_and(char::is_lowercase)
            {
                continue;
            }
            // The word before must start the token or follow a non-letter
            // that is not part of a dotted name (`z.B.`, `co.uk.Foo`).
            let prev_char = text[..before.start()].chars().next_back();
            if prev_char.is_some_and(|c| c == '.' || c.is_alphanumeric()) {
                continue;
            }
            let next_char = text[after.end()..].chars().next();
            if next_char.is_some_and(|c| {
                c.is_alphanumeric() || matches!(c, '.' | '(' | '_' | '/' | '@' | '-' | '[' | '<')
            }) {
                continue;
            }
            if self.abbreviations.contains(&before.as_str().to_lowercase())
                || self.domains.contains(&after.as_str().to_lowercase())
            {
                continue;
            }
            let token_start = text[..before.start()]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let token_end = text[after.end()..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map_or(text.len(), |(i, _)| after.end() + i);
            if looks_like_address(&text[token_start..token_end]) {
                continue;
            }
            let span = before.start()..after.end();
            let mut d = self.rule.finding(text, ctx.lines, span, None);
            d.fix = Some(Fix::new(
                self.applicability,
                vec![Edit::insert(mark.end(), " ")],
            ));
            out.push(d);
        }
    }
}
