//! `check = "word-classes"`: a short line that holds a word of every one
//! of the rule's classes, in any order. A notice keeps its shape when it
//! is paraphrased: "Bitte aktivieren Sie Skripte in Ihrem Browser", "Turn
//! on JavaScript to watch this clip", "To view this content, allow
//! cookies" all name a thing (JavaScript, scripts, cookies), an action
//! (enable, allow, aktivieren, zulassen) and an address to the reader
//! (please, to view, Sie, in your browser). Listing the sentences misses
//! the next wording; the classes do not.
//!
//! It runs after the other checks and leaves alone a line that a rule of
//! its category already reports. Words match case-insensitively (ASCII)
//! on word boundaries; a word may be a phrase (`turn on`), and may stand
//! in two classes (then it counts for both, but the line needs as many
//! matched words as classes). The first class should be the rarest: the
//! lines short enough for the rule are searched for its words only, and
//! just those that hold one are read for the other classes.

use super::notice::Locate;
use super::{Check, CompileError, Ctx, Field, Phase, options};
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::rules::Rule;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Two to eight lists of words or phrases; a line needs one of each.
    classes: Vec<Vec<String>>,
    /// Most words (runs of characters between spaces) the line may have.
    #[serde(default)]
    max_words: Option<usize>,
    /// The line must read as a label or a button, not as a sentence or
    /// code: it does not end in `.`, `!`, `?`, `,`, `;` or `:` (a closing
    /// quote or bracket aside), and holds no `=`, brace, `;` or call
    /// (`get(`).
    #[serde(default)]
    label: bool,
    /// Words or phrases that make a line something else (`telefonisch`
    /// beside `per Mail`: a way to get in touch, not a newsletter),
    /// compared in lower case, whole words.
    #[serde(default)]
    unless_words: Vec<String>,
    /// When this many sentences (lines of ten words or more) within
    /// [`TOPIC_WINDOW`] bytes of a matching line name a word of the first
    /// class too, the text around it is about the thing (a help page on
    /// newsletters, a story on cookies), and the line is one of its
    /// sentences: a box or a notice stands alone.
    #[serde(default)]
    topic_mentions: Option<usize>,
}

/// How far from a matching line [`Options::topic_mentions`] counts.
const TOPIC_WINDOW: usize = 4_000;

/// Fewest words of a line that [`Options::topic_mentions`] counts.
const TOPIC_SENTENCE_WORDS: usize = 10;

/// The automata of a [`WordClasses`].
struct Automata {
    /// The words of the first class alone: the rarest, which the text is
    /// scanned for (the other classes hold common words).
    first: AhoCorasick,
    /// All words, run on the lines the first class names.
    all: AhoCorasick,
}

impl Automata {
    fn new(first_words: &[String], words: &[String]) -> Result<Self, aho_corasick::BuildError> {
        let build = |words: &[String], kind: MatchKind| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(kind)
                .build(words)
        };
        Ok(Automata {
            first: build(first_words, MatchKind::LeftmostLongest)?,
            // Overlapping: a word listed in two classes counts for both.
            all: build(words, MatchKind::Standard)?,
        })
    }
}

pub struct WordClasses {
    rule: Arc<Rule>,
    first_words: Vec<String>,
    words: Vec<String>,
    /// The automata, built when a line first holds a word of the first
    /// class (most runs of a few files never need them).
    automata: OnceLock<Option<Automata>>,
    /// The class of each pattern of the automaton.
    class_of: Vec<u8>,
    /// A bit per class.
    all: u8,
    max_words: Option<usize>,
    label: bool,
    unless_words: Vec<String>,
    topic_mentions: Option<usize>,
}

impl WordClasses {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        if !(2..=8).contains(&opts.classes.len()) || opts.classes.iter().any(Vec::is_empty) {
            return Err(CompileError::new(
                Field::Options,
                "`classes` needs two to eight non-empty lists of words",
            ));
        }
        let mut words = Vec::new();
        let mut class_of = Vec::new();
        for (c, class) in opts.classes.iter().enumerate() {
            for w in class {
                words.push(w.trim().to_string());
                class_of.push(c as u8);
            }
        }
        let first_words = words[..opts.classes[0].len()].to_vec();
        let automata = OnceLock::new();
        // Built-in word lists build in the test suite; a user's here, so
        // that an error points at their file.
        if !rule.origin.builtin {
            let _ = automata
                .set(Some(Automata::new(&first_words, &words).map_err(|e| {
                    CompileError::new(Field::Options, e.to_string())
                })?));
        }
        Ok(WordClasses {
            rule: rule.clone(),
            first_words,
            words,
            automata,
            class_of,
            all: ((1u16 << opts.classes.len()) - 1) as u8,
            max_words: opts.max_words,
            label: opts.label,
            unless_words: opts
                .unless_words
                .iter()
                .map(|w| w.trim().to_lowercase())
                .collect(),
            topic_mentions: opts.topic_mentions,
        })
    }

    /// The automata, built on first use. The word lists built once
    /// already (a user's rule at load, the built-in ones in the test
    /// suite), so building does not fail here; if it did, the rule would
    /// find nothing.
    fn automata(&self) -> Option<&Automata> {
        self.automata
            .get_or_init(|| Automata::new(&self.first_words, &self.words).ok())
            .as_ref()
    }

    /// Whether `line` holds one of `unless_words`, as whole words.
    fn excepted(&self, line: &str) -> bool {
        if self.unless_words.is_empty() {
            return false;
        }
        let lower = line.to_lowercase();
        self.unless_words.iter().any(|w| {
            lower
                .match_indices(w.as_str())
                .any(|(at, m)| word_bounded(&lower, at..at + m.len()))
        })
    }

    /// Whether `line` has the shape the options ask for.
    fn shaped(&self, line: &str) -> bool {
        // A bullet or an arrow before the label is not one of its words.
        let words = line.trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '-' | '–'
                        | '—'
                        | '•'
                        | '·'
                        | '*'
                        | '+'
                        | '>'
                        | '»'
                        | '›'
                        | '→'
                        | '▶'
                        | '►'
                        | '▸'
                )
        });
        if self
            .max_words
            .is_some_and(|max| words.split_whitespace().nth(max).is_some())
        {
            return false;
        }
        if self.label {
            let core = line.trim_end_matches(|c: char| {
                c.is_whitespace()
                    || matches!(c, '"' | '\'' | '”' | '“' | '’' | '»' | '«' | ')' | ']')
            });
            if core.ends_with(['.', '!', '?', ',', ';', ':'])
                || code_like(line)
                || numbered_step(words)
            {
                return false;
            }
        }
        true
    }

    /// Whether `line` holds a word of every class, in as many places as
    /// there are classes: one word listed in two classes (`daily`: when it
    /// comes, and a promise) counts for both, but does not make a line of
    /// two words the shape of three.
    fn has_all_classes(&self, line: &str) -> bool {
        let mut seen = 0;
        let mut ranges = Vec::new();
        let Some(automata) = self.automata() else {
            return false;
        };
        for m in automata.all.find_overlapping_iter(line) {
            if word_bounded(line, m.range()) {
                seen |= 1 << self.class_of[m.pattern().as_usize()];
                ranges.push(m.range());
            }
        }
        if seen != self.all {
            return false;
        }
        // Places: the matched words, overlapping ones merged.
        ranges.sort_unstable_by_key(|r| r.start);
        let mut places = 0;
        let mut covered = 0;
        for r in ranges {
            if r.start >= covered {
                places += 1;
            }
            covered = covered.max(r.end);
        }
        places >= self.all.count_ones()
    }
}

/// Whether `line` opens with a numbered step or part, a word, a number
/// and a colon (`Step 7: Print a test page`, `Schritt 3: Foto speichern`):
/// a heading of instructions, not a button.
fn numbered_step(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words
        .next()
        .is_some_and(|w| w.chars().all(char::is_alphabetic))
        && words.next().is_some_and(|n| {
            n.strip_suffix(':')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// The number of an ordered list's item (`4. Sign up for …`, `2) …`) and
/// its mark, or `None`.
fn item_number(line: &str) -> Option<(u32, u8)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let mark = *line.as_bytes().get(digits)?;
    if digits == 0 || digits > 3 || !matches!(mark, b'.' | b')') {
        return None;
    }
    if line.as_bytes().get(digits + 1) != Some(&b' ') {
        return None;
    }
    Some((line[..digits].parse().ok()?, mark))
}

/// Whether line `n` is a step of an ordered list, its neighbour (the
/// nearest non-empty line before or after it) the step before or after
/// (`3. Check your season ticket` / `4. Sign up for the operator’s
/// alerts`): the article's own instructions, not the site's box.
fn list_step(ctx: &Ctx<'_>, n: usize) -> bool {
    let Some((number, mark)) = item_number(ctx.trimmed_line(n)) else {
        return false;
    };
    let neighbour = |lines: &mut dyn Iterator<Item = usize>| {
        lines
            .map(|i| ctx.trimmed_line(i))
            .find(|l| !l.is_empty())
            .and_then(item_number)
    };
    let before = neighbour(&mut (0..n).rev());
    let after = neighbour(&mut (n + 1..ctx.lines.count()));
    before == Some((number.wrapping_sub(1), mark)) || after == Some((number + 1, mark))
}

/// A line of code rather than a label: an assignment, braces, a
/// semicolon or a call (`requests.get(URL)`).
fn code_like(line: &str) -> bool {
    line.contains(['=', '{', '}', ';'])
        || line.char_indices().any(|(i, c)| {
            c == '('
                && line[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        })
}

/// Whether `range` of `s` starts and ends at word boundaries.
fn word_bounded(s: &str, range: Range<usize>) -> bool {
    let before = s[..range.start].chars().next_back();
    let after = s[range.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

impl Check for WordClasses {
    /// A line finding: the rule's fix, or an unsafe one (never more).
    fn fixes(&self) -> Option<Applicability> {
        self.rule.fix_applicability()
    }

    /// After the other checks: a line that a rule of the same category
    /// already reports (the listed sentences of `boilerplate/video-notice`)
    /// is theirs, and one finding per line is enough.
    fn phase(&self) -> Phase {
        Phase::Findings
    }

    fn run(&self, _ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}

    fn line_literals(&self) -> Option<(Arc<str>, Vec<String>)> {
        // An empty word would match on every line.
        (!self.first_words.iter().any(String::is_empty))
            .then(|| (self.rule.id.clone(), self.first_words.clone()))
    }

    fn run_on_findings(&self, ctx: &Ctx<'_>, findings: &[Diagnostic], out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        // The lines short enough for the rule are searched for the first
        // class (most of a scraped page's bytes are in longer lines); only
        // those with a word of it are read for the others. The linter's
        // literal scan names the lines that hold one of its words anywhere.
        let candidates = ctx.literals.lines_of(&self.rule.id, ctx.lines.count());
        let lines: Vec<usize> = candidates
            .filter(|&n| {
                let line = ctx.trimmed_line(n);
                !line.is_empty()
                    && self.rule.line_short_enough(line)
                    && self.automata().is_some_and(|a| {
                        a.first
                            .find_iter(line)
                            .any(|m| word_bounded(line, m.range()))
                    })
            })
            .collect();
        if lines.is_empty() {
            return;
        }
        let category = self.rule.id.split('/').next().unwrap_or_default();
        let mut taken: Vec<usize> = findings
            .iter()
            .filter(|f| f.rule.split('/').next() == Some(category))
            .flat_map(|f| {
                let first = ctx.lines.line_of(f.span.start);
                let last = ctx
                    .lines
                    .line_of(f.span.end.saturating_sub(1).max(f.span.start));
                first..=last
            })
            .collect();
        taken.sort_unstable();
        let found: Vec<(usize, Range<usize>)> = lines
            .into_iter()
            .filter(|line| taken.binary_search(line).is_err())
            .filter_map(|line| {
                let span = super::trim_range(ctx.text, ctx.lines.content(ctx.text, line));
                let text = &ctx.text[span.clone()];
                (self.shaped(text)
                    && self.has_all_classes(text)
                    && !self.excepted(text)
                    && !list_step(ctx, line))
                .then_some((line, span))
            })
            .collect();
        let topic = self.topic_sentences(ctx, &found);
        for (_, span) in found {
            if self.topic_mentions.is_some_and(|min| {
                let near = |at: usize| at.abs_diff(span.start) <= TOPIC_WINDOW;
                topic.iter().filter(|&&at| near(at)).count() >= min
            }) {
                continue;
            }
            // Where the notice stands when the line holds more: the
            // sentences that have a word of every class.
            let matches = |s: &str| self.has_all_classes(s);
            out.extend(self.rule.line_finding(
                ctx.text,
                ctx.lines,
                span,
                Locate::Matcher(&matches),
            ));
        }
    }
}

impl WordClasses {
    /// Where the sentences that name a word of the first class start (for
    /// [`Options::topic_mentions`]), the lines `found` aside; none when
    /// the rule does not ask or nothing was found.
    fn topic_sentences(&self, ctx: &Ctx<'_>, found: &[(usize, Range<usize>)]) -> Vec<usize> {
        if self.topic_mentions.is_none() || found.is_empty() {
            return Vec::new();
        }
        let Some(automata) = self.automata() else {
            return Vec::new();
        };
        ctx.literals
            .lines_of(&self.rule.id, ctx.lines.count())
            // (`found` is in line order)
            .filter(|n| found.binary_search_by_key(n, |&(f, _)| f).is_err())
            .filter_map(|n| {
                let line = ctx.trimmed_line(n);
                (line
                    .split_whitespace()
                    .nth(TOPIC_SENTENCE_WORDS - 1)
                    .is_some()
                    && automata
                        .first
                        .find_iter(line)
                        .any(|m| word_bounded(line, m.range())))
                .then(|| ctx.lines.content(ctx.text, n).start)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_numbers() {
        assert_eq!(item_number("4. Sign up for alerts"), Some((4, b'.')));
        assert_eq!(item_number("12) Print it"), Some((12, b')')));
        assert_eq!(item_number("4.5 kg of flour"), None);
        assert_eq!(item_number("2024. Sign up"), None);
        assert_eq!(item_number("3.Sign up"), None);
        assert_eq!(item_number("Sign up"), None);
    }

    /// The built-in rules build their automata on first use: each must
    /// build.
    #[test]
    fn builtin_word_lists_build() {
        let set = crate::rules::RuleSet::builtin().expect("built-in rules load");
        let mut built = 0;
        for entry in set.entries() {
            if entry.rule.check.as_deref() == Some("word-classes") {
                let check = WordClasses::new(&entry.rule).expect("the rule compiles");
                assert!(check.automata().is_some(), "{}", entry.rule.id);
                built += 1;
            }
        }
        assert!(built > 0);
    }
}
