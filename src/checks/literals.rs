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
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use foldhash::{HashSet, HashSetExt};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// What an automaton pattern belongs to.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// A phrase of the phrase rule with this index.
    Phrase(usize),
    /// A `requires` literal of the guarded line rule with this index.
    Requires(usize),
    /// A literal of the line set ([`Check::line_literals`]) with this index.
    Lines(usize),
}

struct Automaton {
    /// A contiguous NFA, built at once (a few milliseconds) ...
    ac: AhoCorasick,
    /// ... and the full DFA, the fastest search but tens of milliseconds
    /// (140M instructions) to build: built on a thread of its own once the
    /// run has scanned [`DFA_AFTER_BYTES`], and used once it is there. A
    /// run over a few short documents never builds it. Both find the same
    /// hits.
    dfa: Arc<OnceLock<AhoCorasick>>,
    /// The patterns, for the DFA, and whether its build has started.
    patterns: Arc<[String]>,
    case_sensitive: bool,
    started: AtomicBool,
    owner: Vec<Owner>,
}

/// Bytes scanned with the NFA before the DFA is built: about as long as
/// the build takes on a core of its own.
const DFA_AFTER_BYTES: usize = 1 << 20;

fn build_automaton(
    kind: AhoCorasickKind,
    case_sensitive: bool,
    patterns: &[String],
) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(!case_sensitive)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(patterns)
        .expect("the literal automaton builds from literal strings")
}

impl Automaton {
    fn ac(&self) -> &AhoCorasick {
        self.dfa.get().unwrap_or(&self.ac)
    }

    /// Starts building the DFA, unless that has started.
    fn start_dfa(&self) {
        if self.started.swap(true, Ordering::Relaxed) {
            return;
        }
        let (slot, patterns, case_sensitive) =
            (self.dfa.clone(), self.patterns.clone(), self.case_sensitive);
        // Without a thread to spare, the NFA serves the whole run.
        let _ = std::thread::Builder::new()
            .name("corpuslint-literal-dfa".into())
            .spawn(move || {
                let _ = slot.set(build_automaton(
                    AhoCorasickKind::DFA,
                    case_sensitive,
                    &patterns,
                ));
            });
    }
}

/// The automata of a linter's literals.
pub struct LiteralScan {
    automata: Vec<Automaton>,
    /// The keys of the line sets, by index.
    line_sets: Vec<Arc<str>>,
    /// No literal holds a line break, so every hit lies inside one line
    /// (its break included) and a line can be scanned on its own.
    line_local: bool,
    /// Bytes scanned whole so far in this run (see [`DFA_AFTER_BYTES`]).
    scanned: AtomicUsize,
}

/// What the literal scan found in the text of the last fix pass over a
/// document, carried through that pass's fixes onto the text they leave
/// (see [`LiteralScan::advance`]), so that the next pass rescans only
/// around the edits instead of the whole text.
#[derive(Default)]
pub struct LiteralMemo {
    /// The text the hits are of, by length (a guard, not a proof: the fix
    /// loop advances the memo with every edit it makes).
    len: usize,
    hits: Option<Vec<(Owner, Range<usize>)>>,
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
    /// (line set, line): the line holds one of the set's literals. Sorted,
    /// without duplicates.
    lines: Vec<(usize, usize)>,
    /// The keys of the line sets, by index.
    line_sets: Vec<Arc<str>>,
    /// The line of the last hit added: hits come in text order, so the
    /// next one is mostly on the same line (see [`LineIndex::line_of_near`]).
    near: usize,
}

impl LiteralHits {
    /// The lines that hold a literal of the line set `key`, in order; all
    /// `count` lines when the scan did not look for them (every line may).
    pub fn lines_of(&self, key: &str, count: usize) -> Box<dyn Iterator<Item = usize> + '_> {
        let Some(set) = self.line_sets.iter().position(|k| &**k == key) else {
            return Box::new(0..count);
        };
        let from = self.lines.partition_point(|&(s, _)| s < set);
        Box::new(
            self.lines[from..]
                .iter()
                .take_while(move |&&(s, _)| s == set)
                .map(|&(_, line)| line),
        )
    }
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
    pub fn new(
        phrase_rules: &[Arc<Rule>],
        guarded: &[Arc<Rule>],
        line_sets: &[(Arc<str>, Vec<String>)],
    ) -> Option<Self> {
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
                for (i, (_, literals)) in line_sets.iter().enumerate() {
                    for literal in literals {
                        patterns.push(literal.clone());
                        owner.push(Owner::Lines(i));
                    }
                }
            }
            if patterns.is_empty() {
                continue;
            }
            let ac = build_automaton(AhoCorasickKind::ContiguousNFA, case_sensitive, &patterns);
            automata.push(Automaton {
                ac,
                dfa: Arc::new(OnceLock::new()),
                patterns: patterns.into(),
                case_sensitive,
                started: AtomicBool::new(false),
                owner,
            });
        }
        let line_local = !phrase_rules
            .iter()
            .flat_map(|r| &r.phrases)
            .chain(guarded.iter().flat_map(|r| &r.requires))
            .chain(line_sets.iter().flat_map(|(_, l)| l))
            .any(|l| l.contains('\n'));
        (!automata.is_empty()).then_some(LiteralScan {
            automata,
            scanned: AtomicUsize::new(0),
            line_sets: line_sets.iter().map(|(key, _)| key.clone()).collect(),
            line_local,
        })
    }

    /// Every hit in `text`.
    pub fn scan(&self, text: &str, lines: &LineIndex) -> LiteralHits {
        let mut hits = self.hits();
        for (owner, range) in self.find(text) {
            hits.add(owner, range, lines);
        }
        hits.finish()
    }

    /// Every literal in `text`, with the owner of each.
    fn find<'s>(&'s self, text: &'s str) -> impl Iterator<Item = (Owner, Range<usize>)> + 's {
        let before = self.scanned.fetch_add(text.len(), Ordering::Relaxed);
        if before + text.len() >= DFA_AFTER_BYTES {
            for automaton in &self.automata {
                automaton.start_dfa();
            }
        }
        self.automata.iter().flat_map(move |automaton| {
            automaton
                .ac()
                .find_overlapping_iter(text)
                .map(|m| (automaton.owner[m.pattern().as_usize()], m.range()))
        })
    }

    fn hits(&self) -> LiteralHits {
        LiteralHits {
            line_sets: self.line_sets.clone(),
            ..LiteralHits::default()
        }
    }

    /// [`LiteralScan::scan`], reusing the hits `memo` carried over from
    /// the last pass's text; the hits are the same as a fresh scan's.
    pub fn scan_with(&self, text: &str, lines: &LineIndex, memo: &mut LiteralMemo) -> LiteralHits {
        if !self.line_local {
            return self.scan(text, lines);
        }
        let known = match memo.hits.take() {
            Some(hits) if memo.len == text.len() => hits,
            _ => self.find(text).collect(),
        };
        let mut hits = self.hits();
        for (owner, range) in &known {
            hits.add(*owner, range.clone(), lines);
        }
        memo.len = text.len();
        memo.hits = Some(known);
        hits.finish()
    }

    /// Carries the hits in `memo` over the edits of `map` onto `text`, the
    /// text they leave. A hit no edit touches moves with the text; around
    /// each edit `text` is scanned again, as far as the longest literal
    /// reaches, for the hits that take in an inserted byte or span a
    /// deletion.
    pub fn advance(&self, memo: &mut LiteralMemo, map: &crate::fix::EditMap, text: &str) {
        let Some(old) = memo.hits.take() else {
            return;
        };
        let mut hits: Vec<(Owner, Range<usize>)> = old
            .into_iter()
            .filter_map(|(owner, range)| Some((owner, map.carry(&range)?)))
            .collect();
        let regions = map.replaced();
        // Rescan windows around the replacements, merged where they meet.
        // A hit lies inside one line (the memo is only kept when no
        // literal holds a break), so a window stops at the breaks around.
        let reach = self
            .automata
            .iter()
            .map(|a| a.ac().max_pattern_len())
            .max()
            .unwrap_or(0)
            .saturating_sub(1);
        let bytes = text.as_bytes();
        let window = |region: &Range<usize>| {
            let before = region.start.saturating_sub(reach);
            let start = memchr::memrchr(b'\n', &bytes[before..region.start])
                .map_or(before, |i| before + i + 1);
            let after = (region.end + reach).min(bytes.len());
            let end =
                memchr::memchr(b'\n', &bytes[region.end..after]).map_or(after, |i| region.end + i);
            start..end
        };
        let mut r = 0;
        while r < regions.len() {
            let first = r;
            let Range {
                start: window_start,
                end: mut window_end,
            } = window(&regions[r]);
            r += 1;
            while r < regions.len() {
                let next = window(&regions[r]);
                if next.start > window_end {
                    break;
                }
                window_end = window_end.max(next.end);
                r += 1;
            }
            let group = &regions[first..r];
            for automaton in &self.automata {
                for m in automaton
                    .ac()
                    .find_overlapping_iter(&bytes[window_start..window_end])
                {
                    let range = window_start + m.start()..window_start + m.end();
                    // Takes in a replacement byte, or spans a deletion: the
                    // first region ending after the hit starts begins
                    // before the hit ends (regions end in order).
                    let j = group.partition_point(|g| g.end <= range.start);
                    let touches = group.get(j).is_some_and(|g| g.start < range.end);
                    if touches {
                        hits.push((automaton.owner[m.pattern().as_usize()], range));
                    }
                }
            }
        }
        memo.len = text.len();
        memo.hits = Some(hits);
    }
}

impl LiteralHits {
    fn add(&mut self, owner: Owner, range: Range<usize>, lines: &LineIndex) {
        let mut line = || {
            self.near = lines.line_of_near(range.start, self.near);
            self.near
        };
        match owner {
            Owner::Phrase(rule) => self.phrases.push((rule, range)),
            Owner::Requires(rule) => {
                let line = line();
                self.requires.push((line, rule));
            }
            Owner::Lines(set) => {
                let line = line();
                self.lines.push((set, line));
            }
        }
    }

    fn finish(mut self) -> Self {
        self.requires.sort_unstable();
        self.requires.dedup();
        self.lines.sort_unstable();
        self.lines.dedup();
        self
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

    /// The built-in phrase rules and guarded line rules, as the linter
    /// builds its scan from them.
    fn builtin_scan() -> &'static LiteralScan {
        static SCAN: std::sync::OnceLock<LiteralScan> = std::sync::OnceLock::new();
        SCAN.get_or_init(|| {
            let set = RuleSet::builtin().expect("built-in rules load");
            let rules = |kind| -> Vec<Arc<Rule>> {
                set.entries()
                    .iter()
                    .filter(|e| e.rule.kind == kind)
                    .map(|e| e.rule.clone())
                    .collect()
            };
            let guarded = crate::checks::guarded_rules(&rules(crate::rules::Kind::Line));
            LiteralScan::new(&rules(crate::rules::Kind::Phrases), &guarded, &[]).expect("literals")
        })
    }

    type Sorted = (Vec<(usize, Range<usize>)>, Vec<(usize, usize)>);

    fn sorted(hits: LiteralHits) -> Sorted {
        let mut phrases = hits.phrases;
        phrases.sort_by_key(|(rule, r)| (*rule, r.start, r.end));
        (phrases, hits.requires)
    }

    proptest::proptest! {
        /// Hits carried over edits are those a fresh scan of the edited text
        /// finds: edits that cut into phrases, join two halves into one,
        /// delete lines and insert next to hits.
        #[test]
        fn hits_carried_over_edits_are_a_fresh_scans(
            pieces in proptest::collection::vec(0usize..12, 1..40),
            edits in proptest::collection::vec((0usize..400, 0usize..30, 0usize..12), 0..12),
        ) {
            const PIECES: [&str; 12] = [
                "Newsletter abonnieren\n", "Alle Rechte vorbehalten. ", "news", "letter ",
                "Teilen auf Facebook\n", "Copyright 2024\n", "\n", "Die Stadt plant. ",
                "Lesen Sie auch: ", "Über uns\n", "Wir verwenden Cookies", "ÜBER UNS ",
            ];
            let scan = builtin_scan();
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let mut memo = LiteralMemo::default();
            let first = scan.scan_with(&text, &LineIndex::new(&text), &mut memo);
            proptest::prop_assert_eq!(sorted(first), sorted(scan.scan(&text, &LineIndex::new(&text))));
            // Non-overlapping edits on char boundaries, as fixes make them.
            let mut taken: Vec<(Range<usize>, &str)> = Vec::new();
            for (at, len, piece) in edits {
                let mut start = at.min(text.len());
                while !text.is_char_boundary(start) { start -= 1; }
                let mut end = (start + len).min(text.len());
                while !text.is_char_boundary(end) { end -= 1; }
                let clash = taken.iter().any(|(r, _)| {
                    r.start < end.max(start + 1) && start < r.end.max(r.start + 1) || r.start == start
                });
                if !clash {
                    taken.push((start..end, if piece % 3 == 0 { "" } else { PIECES[piece] }));
                }
            }
            taken.sort_by_key(|(r, _)| r.start);
            let mut edited = String::new();
            let mut pos = 0;
            for (r, with) in &taken {
                edited.push_str(&text[pos..r.start]);
                edited.push_str(with);
                pos = r.end;
            }
            edited.push_str(&text[pos..]);
            let edits: Vec<crate::fix::Edit> = taken
                .iter()
                .rev()
                .map(|(r, with)| crate::fix::Edit::replace(r.clone(), *with))
                .collect();
            scan.advance(&mut memo, &crate::fix::EditMap::new(&edits), &edited);
            let lines = LineIndex::new(&edited);
            proptest::prop_assert_eq!(
                sorted(scan.scan_with(&edited, &lines, &mut memo)),
                sorted(scan.scan(&edited, &lines))
            );
        }
    }

    /// A short run scans with the NFA alone; once the run has scanned
    /// `DFA_AFTER_BYTES` the DFA is built, and it finds the same hits.
    #[test]
    fn the_dfa_comes_after_a_megabyte_and_finds_the_same() {
        let set = RuleSet::builtin().expect("built-in rules load");
        let phrases: Vec<Arc<Rule>> = set
            .entries()
            .iter()
            .filter(|e| e.rule.kind == crate::rules::Kind::Phrases)
            .map(|e| e.rule.clone())
            .collect();
        let scan = LiteralScan::new(&phrases, &[], &[]).expect("literals");
        let text = "Wir verwenden Cookies. ÜBER UNS\nNewsletter abonnieren und news letter\n";
        let by_nfa = sorted(scan.scan(text, &LineIndex::new(text)));
        assert!(!by_nfa.0.is_empty());
        assert!(scan.automata.iter().all(|a| a.dfa.get().is_none()));
        let long = text.repeat(DFA_AFTER_BYTES / text.len() + 1);
        scan.scan(&long, &LineIndex::new(&long));
        assert!(
            scan.automata
                .iter()
                .all(|a| a.started.load(Ordering::Relaxed))
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while scan.automata.iter().any(|a| a.dfa.get().is_none()) {
            assert!(std::time::Instant::now() < deadline, "the DFA is built");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(sorted(scan.scan(text, &LineIndex::new(text))), by_nfa);
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
        let scan = LiteralScan::new(&[], &guarded, &[]).expect("literals");
        let text = "Intro\nCOPYRIGHT (c) 2024, copyright\nEnde";
        let hits = scan.scan(text, &LineIndex::new(text));
        assert_eq!(hits.requires, vec![(1, 0)]);
        assert!(hits.phrases.is_empty());
    }
}
