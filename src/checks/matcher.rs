//! [`Matcher`]: a regex that only tells whether it matches, for the line
//! patterns that run on the lines holding their literals.
//!
//! The regex crate builds, for every regex, a forward and a reverse NFA,
//! a one-pass DFA and a bounded backtracker, so that it can report where
//! a match starts and ends and what its groups hold. A line rule asks only
//! *whether* a line matches. Built as a forward NFA and a lazy DFA over it
//! (regex-automata, the regex crate's own engine), the built-in line
//! patterns compile in about 60 % of the time, and the first lines of a
//! run, which compile the patterns they meet, wait that much less. The
//! search is the one the regex crate runs for `is_match`: the lazy DFA,
//! forward, stopping at the first match, anchored when the pattern is
//! (and then failing at the first byte no match can take); where the lazy
//! DFA gives up (a Unicode word boundary before a non-ASCII byte, or a
//! cache cleared again and again), the PikeVM over the same NFA answers.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};
use std::sync::{Mutex, PoisonError, TryLockError};

/// Worker threads per cache slot of a single pattern (see
/// [`Matcher::with_caches`]).
const THREADS_PER_SLOT: usize = 4;

/// The caches of one search, as each thread takes them from the pool.
struct Caches {
    dfa: Option<DfaCache>,
    /// Made on first use: the PikeVM's cache is as large as the NFA, and
    /// most searches never need it.
    pike: Option<PikeCache>,
}

impl Caches {
    fn new(dfa: Option<&DFA>) -> Self {
        Caches {
            dfa: dfa.map(DFA::create_cache),
            pike: None,
        }
    }
}

type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync>;

/// A compiled pattern that answers [`Matcher::is_match`] only.
pub struct Matcher {
    /// `None` when the lazy DFA cannot be built for the pattern.
    dfa: Option<DFA>,
    pike: PikeVM,
    anchored: Anchored,
    caches: CacheStore,
}

/// Where a matcher keeps its search caches (see [`Matcher::with_caches`]).
enum CacheStore {
    /// A set, run on every line: one set of caches per thread.
    PerThread(Pool<Caches, MakeCaches>),
    /// A single pattern: slots the threads share, one per
    /// [`THREADS_PER_SLOT`] worker threads.
    Shared(Box<[Mutex<Option<Caches>>]>),
}

impl Matcher {
    /// Compiles `pattern` with the regex crate's syntax and the limits of
    /// [`super::regex`]. `anchored`: every match starts where the haystack
    /// does (a pattern that begins with `^`), so a search may stop at the
    /// first byte no match can take.
    pub fn new(pattern: &str, anchored: bool) -> Result<Self, String> {
        Self::many(&[pattern], anchored, super::NFA_LIMIT, super::DFA_CACHE)
    }

    /// Compiles `patterns` as one set (see [`Matcher::matches`]), with
    /// `nfa_limit` bytes for the NFA and a lazy DFA cache of `cache` bytes.
    pub fn many<P: AsRef<str>>(
        patterns: &[P],
        anchored: bool,
        nfa_limit: usize,
        cache: usize,
    ) -> Result<Self, String> {
        let nfa = thompson::Compiler::new()
            .syntax(syntax::Config::new())
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(nfa_limit))
                    .which_captures(WhichCaptures::Implicit),
            )
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        // Every pattern that matches, not only the leftmost-first one.
        let kind = if patterns.len() > 1 {
            MatchKind::All
        } else {
            MatchKind::LeftmostFirst
        };
        let pike = PikeVM::builder()
            .configure(PikeVM::config().match_kind(kind))
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        // As the regex crate configures its lazy DFA (with the 8 MB cache
        // of `super::regex`).
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(kind)
                    .cache_capacity(cache)
                    .unicode_word_boundary(true)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa)
            .ok();
        let caches = if patterns.len() == 1 {
            let slots = rayon::current_num_threads().div_ceil(THREADS_PER_SLOT);
            CacheStore::Shared((0..slots.max(1)).map(|_| Mutex::new(None)).collect())
        } else {
            let dfa = dfa.clone();
            let make: MakeCaches = Box::new(move || Caches::new(dfa.as_ref()));
            CacheStore::PerThread(Pool::new(make))
        };
        Ok(Matcher {
            dfa,
            pike,
            anchored: if anchored {
                Anchored::Yes
            } else {
                Anchored::No
            },
            caches,
        })
    }

    /// Runs `search` with caches of this thread's: for a set, its own; for
    /// a single pattern, a free slot if there is one, else the thread
    /// waits for its own slot. A line pattern runs on the few lines holding
    /// its literals, and a search takes well under a microsecond, so
    /// threads seldom wait; its lazy DFA, the largest part of a worker's
    /// memory (megabytes for the longest patterns, growing with the text it
    /// meets), is kept once per four threads rather than once per thread.
    /// (Taking a thread's own cache whenever the slot was busy kept 25 MB
    /// of such caches on a 1 GB shard with two threads.)
    fn with_caches<R>(&self, search: impl FnOnce(&mut Caches) -> R) -> R {
        let slots = match &self.caches {
            CacheStore::PerThread(pool) => return search(&mut pool.get()),
            CacheStore::Shared(slots) => slots,
        };
        let n = slots.len();
        let home = rayon::current_thread_index().unwrap_or(0) % n;
        let mut guard = (0..n)
            .find_map(|k| match slots[(home + k) % n].try_lock() {
                Ok(guard) => Some(guard),
                Err(TryLockError::Poisoned(e)) => Some(e.into_inner()),
                Err(TryLockError::WouldBlock) => None,
            })
            .unwrap_or_else(|| slots[home].lock().unwrap_or_else(PoisonError::into_inner));
        search(guard.get_or_insert_with(|| Caches::new(self.dfa.as_ref())))
    }

    /// Whether the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        let input = Input::new(haystack).anchored(self.anchored).earliest(true);
        self.with_caches(|caches| {
            if let (Some(dfa), Some(cache)) = (&self.dfa, caches.dfa.as_mut())
                && let Ok(found) = dfa.try_search_fwd(cache, &input)
            {
                return found.is_some();
            }
            let pike = caches.pike.get_or_insert_with(|| self.pike.create_cache());
            self.pike.is_match(pike, input)
        })
    }

    /// The patterns of a set ([`Matcher::many`]) that match `haystack`.
    pub fn matches(&self, haystack: &str) -> PatternSet {
        let input = Input::new(haystack).anchored(self.anchored);
        let mut set = PatternSet::new(self.pike.pattern_len());
        self.with_caches(|caches| {
            if let (Some(dfa), Some(cache)) = (&self.dfa, caches.dfa.as_mut())
                && dfa
                    .try_which_overlapping_matches(cache, &input, &mut set)
                    .is_ok()
            {
                return;
            }
            set.clear();
            let pike = caches.pike.get_or_insert_with(|| self.pike.create_cache());
            self.pike.which_overlapping_matches(pike, &input, &mut set);
        });
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers as the regex crate's `is_match`, anchored or not,
    /// with Unicode classes, case folding and word boundaries (where the
    /// lazy DFA gives up on non-ASCII text and the PikeVM answers).
    #[test]
    fn answers_as_the_regex_crate() {
        let patterns = [
            (r"^(?:(?i)[\s*•]*(?:anzeige|werbung|ad))$", true),
            (r"^(?:[\p{L}\-]+(?:\s+[\p{L}\-]+){0,3})$", true),
            (r"\bFoto\b", false),
            (r"(?i)\bstraße\b", false),
            (r"^(?:\d{1,2}:\d{2})$", true),
        ];
        let haystacks = [
            "Anzeige",
            "- WERBUNG",
            "ad",
            "Ad blockers",
            "Über uns",
            "eins zwei drei vier fünf",
            "Foto: dpa",
            "Fotograf",
            "Die STRASSE",
            "Hauptstraße 3",
            "Hauptstraßen",
            "12:30",
            "ünd Foto ä",
            "",
        ];
        for (pattern, anchored) in patterns {
            let ours = Matcher::new(pattern, anchored).unwrap();
            let theirs = regex::Regex::new(pattern).unwrap();
            for h in haystacks {
                assert_eq!(ours.is_match(h), theirs.is_match(h), "{pattern} on {h:?}");
            }
            // Threads at once, more than the slots: a thread takes a free
            // slot or waits for its own, and all answer alike.
            std::thread::scope(|scope| {
                for _ in 0..4 {
                    scope.spawn(|| {
                        for _ in 0..200 {
                            for h in haystacks {
                                assert_eq!(
                                    ours.is_match(h),
                                    theirs.is_match(h),
                                    "{pattern} on {h:?}"
                                );
                            }
                        }
                    });
                }
            });
        }
    }

    /// A set reports every pattern that matches, as `RegexSet::matches`.
    #[test]
    fn sets_answer_as_the_regex_crate() {
        let patterns = [
            r"^(?:(?i)anzeige|werbung)$",
            r"^(?:\p{Lu}\p{L}+)$",
            r"^(?:\w+)$",
            r"^(?:\d+ Kommentare)$",
        ];
        let ours = Matcher::many(&patterns, true, 64 << 20, 8 << 20).unwrap();
        let theirs = regex::RegexSet::new(patterns).unwrap();
        for h in [
            "Anzeige",
            "Werbung",
            "werbung",
            "Straße",
            "3 Kommentare",
            "x y",
            "",
        ] {
            let got: Vec<usize> = ours.matches(h).iter().map(|p| p.as_usize()).collect();
            let want: Vec<usize> = theirs.matches(h).iter().collect();
            assert_eq!(got, want, "{h:?}");
            assert_eq!(ours.is_match(h), theirs.is_match(h), "{h:?}");
        }
    }

    #[test]
    fn reports_a_broken_pattern() {
        assert!(Matcher::new("(unclosed", false).is_err());
    }
}
