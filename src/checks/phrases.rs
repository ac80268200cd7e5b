//! `kind = "phrases"`: literal phrases, case-insensitive, on word
//! boundaries. Every phrase of every phrase rule goes into the linter's one
//! literal automaton ([`LiteralScan`](super::literals::LiteralScan)), so a
//! document is scanned once however many phrases there are; this check
//! turns the hits into findings.

use super::notice::Locate;
use super::{Check, Ctx, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::{Rule, Scope};
use crate::text::on_word_boundaries;
use std::ops::Range;
use std::sync::Arc;

/// Every phrase rule of a linter; hit indices are positions in `rules`.
pub struct PhraseSet {
    rules: Vec<Arc<Rule>>,
}

impl PhraseSet {
    /// The set; `None` when there are no phrase rules.
    pub fn new(rules: Vec<Arc<Rule>>) -> Option<Self> {
        (!rules.is_empty()).then_some(PhraseSet { rules })
    }
}

impl Check for PhraseSet {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let active: Vec<bool> = self.rules.iter().map(|r| r.applies_to(ctx.lang)).collect();
        if !active.iter().any(|&a| a) {
            return;
        }
        let mut hits: Vec<(usize, Range<usize>)> = ctx
            .literals
            .phrases
            .iter()
            .filter(|(rule, range)| active[*rule] && on_word_boundaries(ctx.text, range))
            .cloned()
            .collect();
        // Per rule, leftmost-longest, without overlaps.
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.start.cmp(&b.1.start))
                .then(b.1.end.cmp(&a.1.end))
        });
        let mut last: Option<(usize, usize)> = None; // (rule, end of last kept hit)
        let mut last_line: Option<(usize, usize)> = None; // (rule, line)
        for (i, (idx, range)) in hits.iter().enumerate() {
            let (idx, range) = (*idx, range.clone());
            if last.is_some_and(|(r, end)| r == idx && range.start < end) {
                continue;
            }
            let rule = &self.rules[idx];
            last = Some((idx, range.end));
            if rule.max_line_chars.is_none() && rule.scope != Scope::Line {
                out.push(rule.finding(ctx.text, ctx.lines, range, None));
                continue;
            }
            let line = ctx.lines.line_of(range.start);
            let content = trim_range(ctx.text, ctx.lines.content(ctx.text, line));
            if !rule.line_short_enough(&ctx.text[content.clone()]) {
                continue;
            }
            if rule.scope != Scope::Line {
                out.push(rule.finding(ctx.text, ctx.lines, range, None));
                continue;
            }
            if last_line == Some((idx, line)) {
                continue;
            }
            last_line = Some((idx, line));
            // Every hit of the rule on this line tells where its notice is.
            let on_line: Vec<Range<usize>> = hits[i..]
                .iter()
                .take_while(|(r, h)| *r == idx && h.start < content.end)
                .map(|(_, h)| h.clone())
                .collect();
            out.extend(rule.line_finding(ctx.text, ctx.lines, content, Locate::Hits(&on_line)));
        }
    }
}
