//! `kind = "line"`: a pattern that must match a whole line (its content
//! without surrounding whitespace). All line rules run together: one
//! set pass per line ([`Matcher::matches`]) tells which of them match.

use super::matcher::Matcher;
use super::notice::Locate;
use super::{Check, CompileError, Ctx, Field, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use regex::Regex;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Anchors a line rule's pattern to the whole line.
fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// Validates one line rule's pattern.
pub fn compile_line_pattern(pattern: &str) -> Result<Regex, CompileError> {
    super::regex(&anchored(pattern))
}

/// A whole-line pattern compiled on first use: a run that meets no line it
/// could apply to never pays for compiling it. The pattern compiled once
/// already (when a user's rule was loaded, or in the test suite for a
/// built-in one), so it does not fail here; if it did, nothing would match.
pub struct LazyLine {
    pattern: String,
    regex: OnceLock<Option<Matcher>>,
}

impl LazyLine {
    pub fn new(pattern: String) -> Self {
        LazyLine {
            pattern,
            regex: OnceLock::new(),
        }
    }

    /// Whether the pattern matches the whole of `line`.
    pub fn is_match(&self, line: &str) -> bool {
        self.regex
            .get_or_init(|| line_matcher(&self.pattern))
            .as_ref()
            .is_some_and(|re| re.is_match(line))
    }

    /// The pattern as written (not anchored).
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// A line rule's pattern, anchored to the whole line, for
/// [`Matcher::is_match`]; `None` if it does not compile (it compiled as a
/// regex when the rule was loaded, or in the test suite, so it does).
fn line_matcher(pattern: &str) -> Option<Matcher> {
    Matcher::new(&anchored(pattern), true).ok()
}

/// Compiles a line rule's `unless` pattern, if it has one.
pub fn compile_unless(rule: &Rule) -> Result<Option<Regex>, CompileError> {
    rule.unless
        .as_deref()
        .map(|u| super::regex(u).map_err(|e| CompileError::new(Field::Unless, e.message)))
        .transpose()
}

/// Compiles a line rule's `unless_beside` pattern, if it has one.
pub fn compile_unless_beside(rule: &Rule) -> Result<Option<Regex>, CompileError> {
    rule.unless_beside
        .as_deref()
        .map(|u| super::regex(u).map_err(|e| CompileError::new(Field::UnlessBeside, e.message)))
        .transpose()
}

/// A group compiled when first needed (`None` inside: no rules).
type LazyGroup = OnceLock<Option<Group>>;

/// One regex set and the rules behind its patterns.
struct Group {
    rules: Vec<Arc<Rule>>,
    /// Each rule's `unless` pattern, in the order of `rules`.
    unless: Vec<Option<Regex>>,
    set: Matcher,
    /// Each rule's pattern on its own, compiled when first needed: to find
    /// the sentences of a line that a rule matches (see
    /// [`Rule::line_finding`]), which few lines ever need.
    single: Vec<LazyLine>,
}

impl Group {
    fn new(rules: Vec<Arc<Rule>>) -> Result<Option<Self>, CompileError> {
        if rules.is_empty() {
            return Ok(None);
        }
        let patterns: Vec<String> = rules
            .iter()
            .map(|r| anchored(r.pattern.as_deref().unwrap_or_default()))
            .collect();
        let set = Matcher::many(&patterns, true, super::SET_NFA_LIMIT, super::SET_DFA_CACHE)
            .map_err(|e| CompileError::new(Field::Pattern, e))?;
        let unless = rules
            .iter()
            .map(|r| compile_unless(r))
            .collect::<Result<_, _>>()?;
        let single = rules
            .iter()
            .map(|r| LazyLine::new(r.pattern.clone().unwrap_or_default()))
            .collect();
        Ok(Some(Group {
            rules,
            unless,
            set,
            single,
        }))
    }

    fn run(&self, ctx: &Ctx<'_>, span: &Range<usize>, line: &str, out: &mut Vec<Diagnostic>) {
        // Almost no line matches: `is_match` may stop early and allocates
        // nothing, where `matches` searches for every pattern and returns a
        // fresh vector.
        if !self.set.is_match(line) {
            return;
        }
        for idx in self.set.matches(line).iter() {
            let idx = idx.as_usize();
            let rule = &self.rules[idx];
            if rule.applies_to(ctx.lang)
                && rule.line_short_enough(line)
                && !self.unless[idx].as_ref().is_some_and(|u| u.is_match(line))
            {
                let single = &self.single[idx];
                let unless = self.unless[idx].as_ref();
                let matches =
                    |s: &str| single.is_match(s) && !unless.is_some_and(|u| u.is_match(s));
                out.extend(rule.line_finding(
                    ctx.text,
                    ctx.lines,
                    span.clone(),
                    Locate::Matcher(&matches),
                ));
            }
        }
    }
}

/// The line rules that have `requires` literals, in the order the
/// linter's [`LiteralScan`](super::literals::LiteralScan) numbers them.
pub fn guarded_rules(rules: &[Arc<Rule>]) -> Vec<Arc<Rule>> {
    rules
        .iter()
        .filter(|r| !r.requires.is_empty())
        .cloned()
        .collect()
}

/// Line rules behind a literal prefilter: the linter's literal automaton
/// holds the `requires` literals of all of them (listed in the rule file,
/// or derived from the pattern, see [`super::necessary`]), so the text is
/// scanned once, and a rule's pattern runs only on lines holding one of its
/// literals.
struct Guarded {
    /// In [`guarded_rules`] order: the rule, and its pattern and `unless`,
    /// compiled when a line first holds one of the rule's literals. Most
    /// short runs never need most of them, and compiling was most of a
    /// short run's start-up. The patterns compiled when the rules were
    /// loaded (user rules) or in the test suite (built-in ones), so the
    /// compilation cannot fail here; if it did, the rule would find nothing.
    rules: Vec<(Arc<Rule>, OnceLock<Option<Compiled>>)>,
    /// The longest line any of the rules accepts (all have a limit or none).
    limit: Option<usize>,
}

/// A line rule's pattern and its `unless`.
type Compiled = (Matcher, Option<Matcher>);

impl Guarded {
    /// The rules with `requires`; `None` when no rule has literals.
    fn new(rules: &[Arc<Rule>]) -> Option<Self> {
        let with_literals = guarded_rules(rules);
        if with_literals.is_empty() {
            return None;
        }
        let limit = with_literals
            .iter()
            .map(|r| r.max_line_chars)
            .try_fold(0, |acc, m| m.map(|m| acc.max(m)));
        Some(Guarded {
            rules: with_literals
                .into_iter()
                .map(|r| (r, OnceLock::new()))
                .collect(),
            limit,
        })
    }

    /// Rule `i`'s pattern and `unless`, compiled on first use.
    fn compiled(&self, i: usize) -> Option<&Compiled> {
        let (rule, cell) = &self.rules[i];
        cell.get_or_init(|| {
            let re = line_matcher(rule.pattern.as_deref().unwrap_or_default())?;
            let unless = match rule.unless.as_deref() {
                Some(u) => Some(Matcher::new(u, false).ok()?),
                None => None,
            };
            Some((re, unless))
        })
        .as_ref()
    }
}

/// Line lengths (in characters) where the sets of length-limited rules
/// change: a line runs only the rules whose `max_line_chars` it fits.
const BUCKETS: [usize; 3] = [0, 150, 400];

/// Every line rule of a linter, matched in one pass per line. Rules with a
/// `max_line_chars` limit are grouped by length: each line runs one regex
/// set, holding the rules whose limit is above the line's length bucket, so
/// long paragraphs meet only the few rules that allow long lines, and a
/// paragraph of 50 MB on one line costs no boilerplate regex at all.
pub struct LineSet {
    /// Rules with `requires`: each line is searched for one of the literals
    /// (Aho-Corasick, SIMD for short lists) before the pattern is tried.
    guarded: Option<Guarded>,
    /// `limited[i]`: rules with a limit above `BUCKETS[i]`, for lines longer
    /// than `BUCKETS[i]` (and not longer than the next bucket's bound). The
    /// first bucket, which holds every limited rule, compiles at once (so
    /// that an error in the rules shows at start-up); the others, subsets
    /// of it, when a line first needs them.
    limited: Vec<(Vec<Arc<Rule>>, LazyGroup)>,
    unlimited: Option<Group>,
    /// The largest `max_line_chars` of the limited rules.
    limit: usize,
    rules: Vec<Arc<Rule>>,
    /// The rules with a `max_per_document`.
    capped: Vec<Arc<Rule>>,
    /// The ids of the rules whose lines may be headings (`may_be_heading`).
    headings: Vec<Arc<str>>,
    /// The rules with an `unless_beside`.
    beside: Vec<Beside>,
    /// The ids of the rules whose lines may credit the verse under them
    /// (`unless_over_verse`).
    credits: Vec<Arc<str>>,
}

impl LineSet {
    /// Builds the set; `None` when there are no line rules.
    pub fn new(rules: Vec<Arc<Rule>>) -> Option<Result<Self, CompileError>> {
        if rules.is_empty() {
            return None;
        }
        let limit = rules
            .iter()
            .filter_map(|r| r.max_line_chars)
            .max()
            .unwrap_or(0);
        // The sets for short lines and for lines of any length compile in
        // parallel; the others and the guarded patterns when first needed.
        let build = || -> Result<Self, CompileError> {
            let guarded = Guarded::new(&rules);
            let (limited, unlimited) = {
                let free: Vec<Arc<Rule>> = rules
                    .iter()
                    .filter(|r| r.requires.is_empty())
                    .cloned()
                    .collect();
                let mut specs: Vec<Vec<Arc<Rule>>> = BUCKETS
                    .iter()
                    .map(|&bound| {
                        free.iter()
                            .filter(|r| r.max_line_chars.is_some_and(|m| m > bound))
                            .cloned()
                            .collect()
                    })
                    .collect();
                specs.push(
                    free.iter()
                        .filter(|r| r.max_line_chars.is_none())
                        .cloned()
                        .collect(),
                );
                let unlimited = specs.pop().unwrap_or_default();
                let (first, unlimited) =
                    rayon::join(|| Group::new(specs[0].clone()), || Group::new(unlimited));
                let limited: Vec<_> = specs
                    .into_iter()
                    .map(|rules| (rules, OnceLock::new()))
                    .collect();
                let _ = limited[0].1.set(first?);
                (limited, unlimited?)
            };
            Ok(LineSet {
                guarded,
                limited,
                unlimited,
                limit,
                rules: rules.clone(),
                capped: rules
                    .iter()
                    .filter(|r| r.max_per_document.is_some())
                    .cloned()
                    .collect(),
                headings: rules
                    .iter()
                    .filter(|r| r.may_be_heading)
                    .map(|r| r.id.clone())
                    .collect(),
                credits: rules
                    .iter()
                    .filter(|r| r.unless_over_verse)
                    .map(|r| r.id.clone())
                    .collect(),
                beside: rules
                    .iter()
                    .filter_map(|r| {
                        r.unless_beside.clone().map(|pattern| Beside {
                            id: r.id.clone(),
                            pattern,
                            regex: OnceLock::new(),
                        })
                    })
                    .collect(),
            })
        };
        Some(build())
    }
}

/// The findings of the line rules in the lines of the last fix pass's
/// text, carried over that pass's fixes ([`LineMemo::advance`]): a line no
/// fix touched keeps its bytes, and so its findings. Those depend on
/// nothing else but the language and the guarded rules whose literals the
/// line holds (and the neighbours [`inside_sentence`] looks at, which the
/// memo leaves to each pass). Only lines that end in a break are kept: the
/// removal of a last line reaches back into the line before it.
#[derive(Default)]
pub struct LineMemo {
    lang: Option<Option<String>>,
    /// The lines kept, in text order.
    lines: Vec<KnownLine>,
}

struct KnownLine {
    /// The line with its break.
    full: Range<usize>,
    /// The guarded rules whose literals it holds.
    hits: Vec<usize>,
    /// Its findings, with offsets from the line's start.
    found: Vec<Diagnostic>,
}

impl LineMemo {
    /// Moves the lines no edit of `map` touched to where they are after
    /// it, and forgets the others.
    pub fn advance(&mut self, map: &crate::fix::EditMap) {
        self.lines.retain_mut(|line| match map.carry(&line.full) {
            Some(full) => {
                line.full = full;
                true
            }
            None => false,
        });
    }
}

/// Whether every offset of `d` lies in `line`.
fn within(d: &Diagnostic, line: &Range<usize>) -> bool {
    let inside = |r: &Range<usize>| line.start <= r.start && r.end <= line.end;
    inside(&d.span)
        && d.fix
            .as_ref()
            .is_none_or(|f| f.edits.iter().all(|e| inside(&e.range)))
        && d.labels.iter().all(|l| inside(&l.span))
}

/// `d` with every offset moved from one line start to another.
fn moved(d: &Diagnostic, from: usize, to: usize) -> Diagnostic {
    let mut d = d.clone();
    let at = |r: &mut Range<usize>| *r = r.start - from + to..r.end - from + to;
    at(&mut d.span);
    if let Some(fix) = &mut d.fix {
        for edit in &mut fix.edits {
            at(&mut edit.range);
        }
    }
    for label in &mut d.labels {
        at(&mut label.span);
    }
    d
}

impl LineSet {
    /// The findings of the rules on one (trimmed, non-empty) line `span`;
    /// `hit` are the guarded rules whose literals it holds.
    fn line(&self, ctx: &Ctx<'_>, span: &Range<usize>, hit: &[usize], out: &mut Vec<Diagnostic>) {
        let line = &ctx.text[span.clone()];
        let chars = crate::text::char_count(line);
        if chars <= self.limit {
            let bucket = BUCKETS.iter().rposition(|&b| chars > b).unwrap_or(0);
            let (rules, cell) = &self.limited[bucket];
            let group = cell.get_or_init(|| Group::new(rules.clone()).ok().flatten());
            if let Some(group) = group {
                group.run(ctx, span, line, out);
            }
        }
        if let Some(group) = &self.unlimited {
            group.run(ctx, span, line, out);
        }
        if let Some(g) = &self.guarded
            && !hit.is_empty()
            && g.limit.is_none_or(|max| chars <= max)
        {
            for &i in hit {
                let rule = &g.rules[i].0;
                if !rule.applies_to(ctx.lang) || !rule.line_short_enough(line) {
                    continue;
                }
                let Some((re, unless)) = g.compiled(i) else {
                    continue;
                };
                if re.is_match(line) && !unless.as_ref().is_some_and(|u| u.is_match(line)) {
                    let matches =
                        |s: &str| re.is_match(s) && !unless.as_ref().is_some_and(|u| u.is_match(s));
                    out.extend(rule.line_finding(
                        ctx.text,
                        ctx.lines,
                        span.clone(),
                        Locate::Matcher(&matches),
                    ));
                }
            }
        }
    }
}

impl Check for LineSet {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rules.iter().any(|r| r.applies_to(ctx.lang)) {
            return;
        }
        let mut memo = ctx.memo.map(|m| m.lines.borrow_mut());
        if let Some(memo) = &mut memo
            && memo.lang.as_ref().is_none_or(|l| l.as_deref() != ctx.lang)
        {
            memo.lines.clear();
            memo.lang = Some(ctx.lang.map(str::to_string));
        }
        // The lines the last pass kept, and those this pass keeps.
        let mut known = memo
            .as_mut()
            .map(|m| std::mem::take(&mut m.lines))
            .unwrap_or_default();
        let mut next_known = 0;
        let mut kept = Vec::new();
        let requires = &ctx.literals.requires;
        let mut next_hit = 0;
        let mut hit = Vec::new();
        let start = out.len();
        for (line_no, range) in ctx.lines.lines(ctx.text) {
            // The guarded rules whose literals this line holds.
            hit.clear();
            while next_hit < requires.len() && requires[next_hit].0 < line_no {
                next_hit += 1;
            }
            while next_hit < requires.len() && requires[next_hit].0 == line_no {
                hit.push(requires[next_hit].1);
                next_hit += 1;
            }
            let span = trim_range(ctx.text, range);
            if span.is_empty() {
                continue;
            }
            let found = out.len();
            let full = ctx.lines.full(line_no);
            if memo.is_some() && ctx.text.as_bytes()[full.end - 1] == b'\n' {
                while known
                    .get(next_known)
                    .is_some_and(|k| k.full.start < full.start)
                {
                    next_known += 1;
                }
                match known.get_mut(next_known) {
                    Some(k) if k.full == full && k.hits == hit => {
                        out.extend(k.found.iter().map(|d| moved(d, 0, full.start)));
                        kept.push(KnownLine {
                            full,
                            hits: std::mem::take(&mut k.hits),
                            found: std::mem::take(&mut k.found),
                        });
                    }
                    _ => {
                        self.line(ctx, &span, &hit, out);
                        if out[found..].iter().all(|d| within(d, &full)) {
                            kept.push(KnownLine {
                                found: out[found..]
                                    .iter()
                                    .map(|d| moved(d, full.start, 0))
                                    .collect(),
                                full,
                                hits: hit.clone(),
                            });
                        }
                    }
                }
            } else {
                self.line(ctx, &span, &hit, out);
            }
            if out.len() > found && inside_sentence(ctx, line_no) {
                out.truncate(found);
            }
            if out.len() > found {
                // A heading between paragraphs (`may_be_heading`) and a
                // field of a record (`unless_beside`) are left alone.
                let heading = !self.headings.is_empty()
                    && out[found..].iter().any(|d| self.headings.contains(&d.rule))
                    && between_prose(ctx, line_no);
                // (and a credit over a poem: `by Priya Natarajan` under
                // its title, `unless_over_verse`)
                let credit = !self.credits.is_empty()
                    && out[found..].iter().any(|d| self.credits.contains(&d.rule))
                    && over_verse(ctx, line_no);
                // (and a Markdown heading with sections under it)
                let sections = opens_sections(ctx, line_no);
                let alone = |d: &Diagnostic| {
                    sections
                        || (heading && self.headings.contains(&d.rule))
                        || (credit && self.credits.contains(&d.rule))
                        || self
                            .beside
                            .iter()
                            .any(|b| b.id == d.rule && b.beside(ctx, line_no))
                };
                if out[found..].iter().any(alone) {
                    // (this line's findings only, not the document's so far)
                    let kept: Vec<Diagnostic> = out.drain(found..).filter(|d| !alone(d)).collect();
                    out.extend(kept);
                }
            }
        }
        if let Some(memo) = &mut memo {
            memo.lines = kept;
        }
        drop_record_fields(ctx, start, out);
        for rule in &self.capped {
            let count = out[start..].iter().filter(|d| d.rule == rule.id).count();
            if rule.max_per_document.is_some_and(|max| count > max) {
                // A document that uses such lines as its structure (the
                // dates of a timeline): none of them is reported.
                let mut index = 0;
                out.retain(|d| {
                    let keep = index < start || d.rule != rule.id;
                    index += 1;
                    keep
                });
            }
        }
    }
}

/// Whether line `n` is the middle of a sentence broken over lines: the line
/// before ends with a comma or a word in lower case (`und`, `y`, `auf`),
/// and the line after starts with a lower-case word (`Folgen Sie uns auf
/// Facebook,` / `Twitter` / `und Instagram`), or the line itself opens in
/// lower case and ends with a full stop, ending the sentence (`… and the
/// costumes` / `by Mira Lindqvist.`). Such a line is not a button or a
/// byline of its own, however it reads.
fn inside_sentence(ctx: &Ctx<'_>, n: usize) -> bool {
    if n == 0 {
        return false;
    }
    let before = ctx.trimmed_line(n - 1);
    let last_word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let before_open = before.ends_with(',')
        || (last_word.chars().all(char::is_alphabetic)
            && last_word.chars().next().is_some_and(char::is_lowercase));
    // A word in lower case, not a bullet (`o Impressum`).
    let lower_word = |line: &str| {
        let mut chars = line.chars();
        chars.next().is_some_and(char::is_lowercase)
            && chars.next().is_some_and(char::is_alphabetic)
    };
    // Or the line itself ends the sentence: it opens in lower case and
    // closes with a full stop (`… lighting by Ric Zimmerman and costumes` /
    // `by Michele Young.`).
    let line = ctx.trimmed_line(n);
    before_open
        && ((n + 1 < ctx.lines.count() && lower_word(ctx.trimmed_line(n + 1)))
            || (lower_word(line) && line.ends_with('.') && !line.ends_with("..")))
}

/// A line rule's `unless_beside`, compiled on first use: most runs meet
/// no line the rule matches. The pattern compiled once already (when a
/// user's rule was loaded, or in the test suite for a built-in one).
struct Beside {
    id: Arc<str>,
    pattern: String,
    regex: OnceLock<Option<Regex>>,
}

impl Beside {
    /// Whether another line of line `n`'s block (the non-empty lines next
    /// to it, up to a blank line, at most [`BESIDE_REACH`] each way) holds
    /// the pattern: the record the rule names (`Ort: …` beside `Datum:
    /// …`).
    fn beside(&self, ctx: &Ctx<'_>, n: usize) -> bool {
        let Some(re) = self.regex.get_or_init(|| super::regex(&self.pattern).ok()) else {
            return false;
        };
        let holds = |k: usize| {
            let line = ctx.trimmed_line(k);
            (!line.is_empty()).then(|| re.is_match(line))
        };
        let up = (n.saturating_sub(BESIDE_REACH)..n).rev().map_while(holds);
        let down = (n + 1..ctx.lines.count().min(n + 1 + BESIDE_REACH)).map_while(holds);
        up.chain(down).any(|found| found)
    }
}

/// How far [`Beside::beside`] reads each way.
const BESIDE_REACH: usize = 5;

/// Whether line `n` is a heading between two paragraphs of prose: one to
/// three words, no row of links (`Impressum | Datenschutz`), and the
/// nearest non-empty lines above and below it (over at most two blank
/// lines) are sentences of ten words or more that end like one. The
/// document's first line, a Markdown heading (`# About Us`), needs the
/// prose below it only. A line of
/// a rule whose lines may be headings (`may_be_heading`:
/// `Barrierefreiheit`) is there the heading of the paragraph below.
fn between_prose(ctx: &Ctx<'_>, n: usize) -> bool {
    let heading = ctx.trimmed_line(n);
    if crate::text::has_words(heading, 4) || heading.contains(['|', '·', '•', '/']) {
        return false;
    }
    let prose = |k: usize| {
        let line = ctx.trimmed_line(k);
        crate::text::has_words(line, 10)
            && line.ends_with(['.', '!', '?', '…', ':', '"', '“', '”', '»', '«', ')'])
    };
    let filled = |k: &usize| !ctx.trimmed_line(*k).is_empty();
    let above = (n.saturating_sub(3)..n).rev().find(filled);
    let below = (n + 1..ctx.lines.count().min(n + 4)).find(filled);
    // (or the document opens with it: its title, `# About Us`)
    let first = || heading.starts_with('#') && above.is_none() && !(0..n).any(|k| filled(&k));
    (above.is_some_and(prose) || first()) && below.is_some_and(prose)
}

/// Whether line `n` is a Markdown heading whose sections follow: the next
/// non-empty line is a heading of a deeper level, and the line after that
/// is text, neither a heading nor a link; no heading is a link either (`## Menu` / `### Starters` / `-
/// Roasted tomato soup — $8`). A site's menu under its heading is links
/// (`## Footer` / `#### Über uns` / `[Über uns](…)`), and a sidebar's
/// headings follow one another at one level (`## Suche` / `## Archiv`).
fn opens_sections(ctx: &Ctx<'_>, n: usize) -> bool {
    let link = crate::text::holds_link;
    // (the heading's level, if the line is a heading and no link)
    let level = |line: &str| {
        let marks = line.len() - line.trim_start_matches('#').len();
        (marks > 0 && line[marks..].starts_with(' ') && !link(line)).then_some(marks)
    };
    let Some(own) = level(ctx.trimmed_line(n)) else {
        return false;
    };
    let mut next = (n + 1..ctx.lines.count())
        .map(|k| ctx.trimmed_line(k))
        .filter(|l| !l.is_empty());
    next.next().and_then(level).is_some_and(|sub| sub > own)
        && next.next().is_some_and(|l| !l.starts_with('#') && !link(l))
}

/// Whether verse follows line `n` (over at most one blank line): four
/// lines or more of up to ten words and no links, stanzas of two lines or
/// more over single blank lines counted together, half of them of three
/// words or more, and of which one opens in small letters (a sentence run
/// over the lines) or half end with a punctuation mark (`Nobody told us` / `school was cancelled
/// until` / `we were already at the gate,`). A menu's entries are shorter
/// and end with none; a teaser's text is one long line.
fn over_verse(ctx: &Ctx<'_>, n: usize) -> bool {
    let count = ctx.lines.count();
    let blank = |k: usize| k < count && ctx.trimmed_line(k).is_empty();
    let mut k = n + 1;
    if blank(k) {
        k += 1;
    }
    let (mut lines, mut long, mut small, mut marked) = (0, 0, 0, 0);
    // (the lines of the stanza being read)
    let mut stanza = 0;
    while k < count && lines < 12 {
        let line = ctx.trimmed_line(k);
        if line.is_empty() {
            // (a stanza break: one blank line after a stanza of two lines
            // or more, not after a date line under a byline)
            if blank(k + 1) || stanza < 2 {
                break;
            }
            stanza = 0;
            k += 1;
            continue;
        }
        if crate::text::has_words(line, 11) || crate::text::holds_link(line) {
            break;
        }
        lines += 1;
        stanza += 1;
        long += usize::from(crate::text::has_words(line, 3));
        small += usize::from(line.starts_with(char::is_lowercase));
        marked += usize::from(line.ends_with([',', '.', ';', ':', '!', '?', '…']));
        k += 1;
    }
    lines >= 4 && 2 * long >= lines && (small > 0 || 2 * marked >= lines)
}

/// Whether a field's value reads like a headline: three words or more,
/// the first capitalised, no punctuation at the end (`Umfrage in
/// Deutschland: Gendersprache stösst auf Ablehnung`). A list of such
/// lines is a list of articles, not a record.
fn headline_value(value: &str) -> bool {
    value.split_whitespace().nth(2).is_some()
        && value.chars().next().is_some_and(char::is_uppercase)
        && value.chars().last().is_some_and(char::is_alphanumeric)
}

/// Drops the findings (from `out[start..]`) on the field lines of a record:
/// a run of four or more `Label: value` lines, one to a line or a
/// paragraph, of which at least three others no line rule reports and
/// whose values are not headlines ([`headline_value`]). There,
/// `Autor: Michael Mentzel` between `Verlag: Kosmos` and `Preis: 40 Euro`
/// describes a game or a book, as `AUTHOR:` above `GENRE:` and `RATING:`
/// does in a review; a page's own metadata (`Autor:`, `Datum:`, `Foto:`)
/// is mostly what the rules report.
fn drop_record_fields(ctx: &Ctx<'_>, start: usize, out: &mut Vec<Diagnostic>) {
    if out.len() == start {
        return;
    }
    let reported: Vec<usize> = out[start..]
        .iter()
        .map(|d| ctx.lines.line_of(d.span.start))
        .collect();
    let mut sorted = reported.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let count = ctx.lines.count();
    // The next line of a run from `at`, above it (`up`) or below, over
    // one blank line.
    let step = |at: usize, up: bool| {
        let next = |k: usize| if up { k.checked_sub(1) } else { Some(k + 1) };
        let mut k = next(at)?;
        if k < count && ctx.trimmed_line(k).is_empty() {
            k = next(k)?;
        }
        (k < count).then_some(k)
    };
    // Each run of field lines that holds a reported one, found once: its
    // field lines, and how many of them no rule reports with a value that
    // is no headline. (Walked once per run, not once per finding: a run
    // can be tens of thousands of lines.)
    let mut runs: foldhash::HashMap<usize, (usize, usize)> = foldhash::HashMap::default();
    let mut run_of: foldhash::HashMap<usize, usize> = foldhash::HashMap::default();
    for &n in &sorted {
        if run_of.contains_key(&n) || crate::text::field_label(ctx.trimmed_line(n)).is_none() {
            continue;
        }
        let (mut fields, mut plain) = (0, 0);
        for up in [true, false] {
            let mut at = n;
            while let Some(k) = step(at, up) {
                let Some((_, value)) = crate::text::field_label(ctx.trimmed_line(k)) else {
                    break;
                };
                if run_of.contains_key(&k) {
                    break;
                }
                run_of.insert(k, n);
                fields += 1;
                if sorted.binary_search(&k).is_err() && !headline_value(value) {
                    plain += 1;
                }
                at = k;
            }
        }
        run_of.insert(n, n);
        runs.insert(n, (fields + 1, plain));
    }
    let mut index = 0;
    out.retain(|_| {
        let i = index;
        index += 1;
        if i < start {
            return true;
        }
        // the other field lines of its run: three or more, three of them
        // plain (the line itself is reported, so it is no plain one)
        let drop = run_of
            .get(&reported[i - start])
            .and_then(|run| runs.get(run))
            .is_some_and(|&(fields, plain)| fields > 3 && plain >= 3);
        !drop
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A built-in rule's `unless_beside` compiles when first needed, not
    /// when the rules load: each must compile.
    #[test]
    fn builtin_unless_beside_patterns_compile() {
        let set = crate::rules::RuleSet::builtin().expect("built-in rules load");
        let mut seen = 0;
        for entry in set.entries() {
            if compile_unless_beside(&entry.rule)
                .unwrap_or_else(|e| panic!("{}: {}", entry.rule.id, e.message))
                .is_some()
            {
                seen += 1;
            }
        }
        assert!(seen >= 2, "dateline and byline have one");
    }
}
