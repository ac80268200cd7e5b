//! One Aho-Corasick pass over a document for every literal the linter looks
//! for: the phrases of phrase rules and the `requires` literals of guarded
//! line rules. Both used to scan the text on their own; sharing the
//! automaton makes the second set of literals almost free (measured on the
//! benchmark corpus: the `requires` literals add 5% to the phrase pass, and
//! their own per-line scan cost 6% of a run).
//!
//! Case-insensitivity: the automaton folds ASCII case itself; for letters
//! beyond ASCII (Ä, Ö, Ü, É, ...) each phrase is added in lower, upper and
//! title case, which covers how boilerplate is written in practice.
//! `requires` literals fold ASCII case only.

use crate::rules::Rule;
use crate::text::LineIndex;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

/// What an automaton pattern belongs to.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// A phrase of the phrase rule with this index.
    Phrase(usize),
    /// A `requires` literal of the guarded line rule with this index.
    Requires(usize),
}

struct Automaton {
    ac: AhoCorasick,
    owner: Vec<Owner>,
}

/// The automata of a linter's literals.
pub struct LiteralScan {
    automata: Vec<Automaton>,
}

/// The literal hits in one document.
#[derive(Debug, Default)]
pub struct LiteralHits {
    /// (phrase rule index, byte range), every occurrence, overlapping ones
    /// included, word boundaries not yet checked.
    pub phrases: Vec<(usize, Range<usize>)>,
    /// (line, guarded rule index): the line holds one of the rule's
    /// `requires` literals. Sorted, without duplicates.
    pub requires: Vec<(usize, usize)>,
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

impl LiteralScan {
    /// Builds the automata for `phrase_rules` and the `requires` literals of
    /// `guarded` (indices in the hits are positions in these slices);
    /// `None` when there is no literal at all.
    pub fn new(phrase_rules: &[Arc<Rule>], guarded: &[Arc<Rule>]) -> Option<Self> {
        let mut automata = Vec::new();
        for case_sensitive in [false, true] {
            let mut patterns = Vec::new();
            let mut owner = Vec::new();
            for (i, rule) in phrase_rules
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
                        owner.push(Owner::Phrase(i));
                    }
                }
            }
            if !case_sensitive {
                for (i, rule) in guarded.iter().enumerate() {
                    for literal in &rule.requires {
                        patterns.push(literal.clone());
                        owner.push(Owner::Requires(i));
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
                .expect("the literal automaton builds from literal strings");
            automata.push(Automaton { ac, owner });
        }
        (!automata.is_empty()).then_some(LiteralScan { automata })
    }

    /// Every hit in `text`.
    pub fn scan(&self, text: &str, lines: &LineIndex) -> LiteralHits {
        let mut hits = LiteralHits::default();
        for automaton in &self.automata {
            for m in automaton.ac.find_overlapping_iter(text) {
                match automaton.owner[m.pattern().as_usize()] {
                    Owner::Phrase(rule) => hits.phrases.push((rule, m.range())),
                    Owner::Requires(rule) => {
                        hits.requires.push((lines.line_of(m.start()), rule));
                    }
                }
            }
        }
        hits.requires.sort_unstable();
        hits.requires.dedup();
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

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

    #[test]
    fn requires_hits_name_the_line_once() {
        let Ok(set) = RuleSet::builtin() else {
            panic!("built-in rules load")
        };
        let guarded: Vec<Arc<Rule>> = set
            .entries()
            .iter()
            .filter(|e| &*e.rule.id == "boilerplate/copyright")
            .map(|e| e.rule.clone())
            .collect();
        assert_eq!(guarded.len(), 1);
        let scan = LiteralScan::new(&[], &guarded).expect("literals");
        let text = "Intro\nCOPYRIGHT (c) 2024, copyright\nEnde";
        let hits = scan.scan(text, &LineIndex::new(text));
        assert_eq!(hits.requires, vec![(1, 0)]);
        assert!(hits.phrases.is_empty());
    }
}
