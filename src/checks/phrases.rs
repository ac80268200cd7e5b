//! `kind = "phrases"`: literal phrases, case-insensitive, on word
//! boundaries. Every phrase of every phrase rule goes into one Aho-Corasick
//! automaton, so a document is scanned once however many phrases there are.
//!
//! Case-insensitivity: the automaton folds ASCII case itself; for letters
//! beyond ASCII (Ä, Ö, Ü, É, ...) each phrase is added in lower, upper and
//! title case, which covers how boilerplate is written in practice.

use super::{Check, Ctx, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::{Rule, Scope};
use crate::text::on_word_boundaries;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

struct Automaton {
    ac: AhoCorasick,
    /// Automaton pattern index → rule index.
    owner: Vec<usize>,
}

/// Every phrase rule of a linter, matched in one automaton pass.
pub struct PhraseSet {
    rules: Vec<Arc<Rule>>,
    automata: Vec<Automaton>,
}

fn variants(phrase: &str) -> Vec<String> {
    let lower = phrase.to_lowercase();
    let upper = phrase.to_uppercase();
    let mut title = String::new();
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        title.extend(first.to_uppercase());
        title.push_str(chars.as_str());
    }
    let mut out = vec![phrase.to_string(), lower, upper, title];
    // The automaton folds ASCII case itself: variants that differ from one
    // already kept only in ASCII letters add nothing but states.
    let mut seen = HashSet::new();
    out.retain(|v| seen.insert(v.to_ascii_lowercase()));
    out
}

impl PhraseSet {
    /// Builds the automata; `None` when there are no phrase rules.
    pub fn new(rules: Vec<Arc<Rule>>) -> Option<Self> {
        if rules.is_empty() {
            return None;
        }
        let mut automata = Vec::new();
        for case_sensitive in [false, true] {
            let mut patterns = Vec::new();
            let mut owner = Vec::new();
            for (i, rule) in rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.case_sensitive == case_sensitive)
            {
                for phrase in &rule.phrases {
                    let forms = if case_sensitive {
                        vec![phrase.clone()]
                    } else {
                        variants(phrase)
                    };
                    for form in forms {
                        patterns.push(form);
                        owner.push(i);
                    }
                }
            }
            if patterns.is_empty() {
                continue;
            }
            // A full DFA: the fastest search, at some memory for a few
            // thousand phrase variants.
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!case_sensitive)
                .match_kind(MatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("phrase automaton builds from literal strings");
            automata.push(Automaton { ac, owner });
        }
        Some(PhraseSet { rules, automata })
    }
}

impl Check for PhraseSet {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let active: Vec<bool> = self.rules.iter().map(|r| r.applies_to(ctx.lang)).collect();
        if !active.iter().any(|&a| a) {
            return;
        }
        let mut hits: Vec<(usize, Range<usize>)> = Vec::new();
        for automaton in &self.automata {
            for m in automaton.ac.find_overlapping_iter(ctx.text) {
                let rule = automaton.owner[m.pattern().as_usize()];
                if active[rule] && on_word_boundaries(ctx.text, &m.range()) {
                    hits.push((rule, m.range()));
                }
            }
        }
        // Per rule, leftmost-longest, without overlaps.
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.start.cmp(&b.1.start))
                .then(b.1.end.cmp(&a.1.end))
        });
        let mut last: Option<(usize, usize)> = None; // (rule, end of last kept hit)
        let mut last_line: Option<(usize, usize)> = None; // (rule, line)
        for (idx, range) in hits {
            if last.is_some_and(|(r, end)| r == idx && range.start < end) {
                continue;
            }
            let rule = &self.rules[idx];
            let mut span = range.clone();
            if rule.max_line_chars.is_some() || rule.scope == Scope::Line {
                let line = ctx.lines.line_of(range.start);
                let content = trim_range(ctx.text, ctx.lines.content(ctx.text, line));
                if !rule.line_short_enough(&ctx.text[content.clone()]) {
                    continue;
                }
                if rule.scope == Scope::Line {
                    if last_line == Some((idx, line)) {
                        continue;
                    }
                    last_line = Some((idx, line));
                    span = content;
                }
            }
            last = Some((idx, range.end));
            out.push(rule.finding(ctx.text, ctx.lines, span, None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::variants;

    #[test]
    fn variants_cover_non_ascii_case() {
        // ÜBER UNS and Über Uns are "Über uns" with ASCII case folded.
        assert_eq!(
            variants("Über uns"),
            vec!["Über uns".to_string(), "über uns".to_string()]
        );
        assert_eq!(
            variants("SCHÖN"),
            vec!["SCHÖN".to_string(), "schön".to_string()]
        );
        assert_eq!(
            variants("We use cookies"),
            vec!["We use cookies".to_string()]
        );
    }
}
