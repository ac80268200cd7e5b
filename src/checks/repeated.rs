//! `check = "repeated-line"`: a line that repeats an earlier line of the same
//! document word for word (spacing aside): navigation printed twice, a caption kept as alt
//! text and as caption, a teaser repeated as the first paragraph. Short
//! lines (below `min_chars`) repeat naturally and are left alone. `{line}`
//! in the message names the first occurrence.

use super::{Check, CompileError, Ctx, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::rules::Rule;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Shortest line, in characters, that counts.
    #[serde(default = "default_min_chars")]
    min_chars: usize,
    /// Headings of a song's repeated part (`refrain`, `chorus`), compared
    /// in lower case without a colon or a number: the lines under such a
    /// heading repeat by design.
    #[serde(default)]
    refrain_labels: Vec<String>,
    /// Headings of a song's other parts that may repeat the refrain's
    /// lines (`outro`, `bridge`, `coda`), compared as `refrain_labels`.
    #[serde(default)]
    song_labels: Vec<String>,
}

fn default_min_chars() -> usize {
    40
}

pub struct RepeatedLine {
    rule: Arc<Rule>,
    min_chars: usize,
    /// `refrain_labels`, lower case.
    refrain_labels: Vec<String>,
    /// `song_labels`, lower case.
    song_labels: Vec<String>,
}

impl RepeatedLine {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(RepeatedLine {
            rule: rule.clone(),
            min_chars: opts.min_chars,
            refrain_labels: opts
                .refrain_labels
                .iter()
                .map(|l| l.to_lowercase())
                .collect(),
            song_labels: opts.song_labels.iter().map(|l| l.to_lowercase()).collect(),
        })
    }
}

/// Whether `line` is a label or a field of structured text, which repeats
/// by design: it ends with a colon (`Wir suchen Studierende der folgenden
/// Fachrichtungen:`), or starts with a short key and a colon (`- Ort:
/// Gaststätte Felsenblick, ...` under each of several events). A
/// paragraph is neither, whatever it starts or ends with (`Viertens: …`,
/// `… Here are a few tips:`).
fn is_field(line: &str) -> bool {
    (line.ends_with(':') || field_key(line).is_some())
        && !crate::text::has_words(line, FIELD_MAX_WORDS + 1)
}

/// Most words of a label or field line.
const FIELD_MAX_WORDS: usize = 20;

/// The key of a field line (`Frühstück: Haferflocken` → `Frühstück`).
fn field_key(line: &str) -> Option<&str> {
    let entry = line.trim_start_matches(['*', '-', '•', '–', '+', ' ']);
    entry
        .split_once(": ")
        .map(|(key, _)| key)
        .filter(|key| key.len() <= 50 && key.split_whitespace().count() <= 6)
}

/// The first cell of a table row (`Gradual | 24 | On Jordan's Bank`,
/// `| Entrance | 11 | … |`): a key of up to four words before ` | `, not
/// a mark alone (the `“` cell before each line of a wiki's dialogue).
fn row_key(line: &str) -> Option<&str> {
    let row = line.trim_start_matches(['|', ' ']);
    row.split_once(" | ")
        .map(|(key, _)| key.trim())
        .filter(|key| key.chars().any(char::is_alphanumeric) && !crate::text::has_words(key, 5))
}

/// The rows of the document's tables by their first cell ([`row_key`]):
/// up to three different rows of each key, read once per document when
/// a repeated line is first a table row.
struct KeyedRows<'t>(HashMap<&'t str, Vec<&'t str>>);

impl<'t> KeyedRows<'t> {
    fn of(text: &'t str, lines: &Lines) -> Self {
        let mut rows: HashMap<&str, Vec<&str>> = HashMap::new();
        for (_, span) in &lines.spans {
            let line = &text[span.clone()];
            if let Some(key) = row_key(line) {
                let seen = rows.entry(key).or_default();
                if seen.len() < 3 && !seen.contains(&line) {
                    seen.push(line);
                }
            }
        }
        KeyedRows(rows)
    }

    /// Whether a row of `key` is a record of a keyed table: two other,
    /// different rows of the document open with the same first cell (the
    /// hymn of each service's `Entrance`, `Gradual`, `Offertory`). A table
    /// repeats such a row when the same entry falls in two sections; a
    /// menu row printed twice (`Home | News | Sport`) has no other rows of
    /// its key. (The row is one of its key's rows: two others make three.)
    fn keyed(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(|rows| rows.len() >= 3)
    }
}

/// Whether `line` reads as a sentence of prose: several words ending in
/// sentence punctuation, or a long run of words.
fn is_prose(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (words >= 3 && crate::text::ends_sentence(line)) || words >= 12
}

/// Whether `line` carries link markup (`[Text](url)`, a bare URL): a menu
/// entry or a link list, never the structure of an article.
fn is_link(line: &str) -> bool {
    line.contains("](") || line.contains("://") || line.contains("www.")
}

/// A hash of `s`'s bytes, eight at a time (the FxHash step): this check
/// reads every line, so the hash must be cheap.
fn hash(s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, x: u64| (h.rotate_left(5) ^ x).wrapping_mul(K);
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let mut h = bytes.len() as u64;
    for c in &mut chunks {
        h = step(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    step(h, u64::from_le_bytes(tail))
}

/// The line with its words one space apart. Almost every line already is,
/// and is borrowed as it is; only irregular spacing costs a copy.
fn normalized(line: &str) -> Cow<'_, str> {
    // A fold rather than `any`: without the early exit it vectorises, and
    // almost every line has to be read to its end anyway.
    let irregular = line.contains("  ")
        || line
            .bytes()
            .fold(false, |acc, b| acc | (b.is_ascii_whitespace() && b != b' '));
    if irregular {
        Cow::Owned(line.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        Cow::Borrowed(line)
    }
}

/// Non-empty lines of the document, as the check sees them.
struct Lines {
    /// (line number, trimmed span) of each non-empty line, in order.
    spans: Vec<(usize, Range<usize>)>,
    /// The group of equal long lines each belongs to (`None`: short, or a
    /// label, or seen once).
    group: Vec<Option<usize>>,
    /// Groups of equal lines: indices into `spans`, in order.
    groups: Vec<Vec<usize>>,
}

impl RepeatedLine {
    fn lines(&self, ctx: &Ctx<'_>) -> Lines {
        let mut spans = Vec::new();
        let mut group = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        // hash of the words -> groups with that hash
        let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
        for (n, range) in ctx.lines.lines(ctx.text) {
            let span = trim_range(ctx.text, range);
            if span.is_empty() {
                continue;
            }
            let i = spans.len();
            let line = &ctx.text[span.clone()];
            spans.push((n, span));
            // (short lines repeat naturally; a rule of dashes or stars
            // between sections is decoration, meant to recur)
            if line.len() < self.min_chars
                || crate::text::char_count(line) < self.min_chars
                || !line.chars().any(char::is_alphanumeric)
            {
                group.push(None);
                continue;
            }
            let key = normalized(line);
            let candidates = by_hash.entry(hash(&key)).or_default();
            let found = candidates.iter().copied().find(|&g| {
                let (_, r) = &spans[groups[g][0]];
                normalized(&ctx.text[r.clone()]) == key
            });
            match found {
                Some(g) => {
                    groups[g].push(i);
                    group.push(Some(g));
                }
                None => {
                    candidates.push(groups.len());
                    group.push(Some(groups.len()));
                    groups.push(vec![i]);
                }
            }
        }
        Lines {
            spans,
            group,
            groups,
        }
    }

    /// Whether every occurrence of `members` stands in a song's refrain:
    /// the lines above it, up to a blank line (at most twelve), open with
    /// one of `refrain_labels` (`Refrain`, `Chorus:`, `Refrain 2`). An
    /// outro or a bridge may repeat a line of the refrain: an occurrence
    /// under one of `song_labels` counts when two others stand in refrains.
    fn in_refrain(&self, text: &str, lines: &Lines, members: &[usize]) -> bool {
        if self.refrain_labels.is_empty() {
            return false;
        }
        let is = |labels: &[String], head: &str| {
            labels
                .iter()
                .any(|l| l.len() == head.len() && l.eq_ignore_ascii_case(head))
        };
        let mut refrains = 0;
        for &m in members {
            let mut k = m;
            for _ in 0..12 {
                if k == 0 || lines.spans[k - 1].0 + 1 != lines.spans[k].0 {
                    break;
                }
                k -= 1;
            }
            let head = text[lines.spans[k].1.clone()]
                .trim_end_matches(|c: char| c == ':' || c == '.' || c.is_ascii_digit())
                .trim_end();
            if k == m {
                return false;
            }
            if is(&self.refrain_labels, head) {
                refrains += 1;
            } else if !is(&self.song_labels, head) {
                return false;
            }
        }
        // (every occurrence in a refrain makes two or more: a repeat)
        refrains >= 2
    }
}

/// Whether the occurrences `members` of a line are the structure of the
/// article: every occurrence is followed by a different line, and those
/// lines are prose (a question and its answer in each interview), or they
/// (or the lines before) are fields of the same key (the same slot of a
/// plan's sections: `Frühstück: …` before, `Mittagessen: …` after), or
/// a line shortly before each differs from the others only in its number
/// (numbered sections: `Motion 1:`, `Motion 2:`).
///
/// Prose after each occurrence is the weaker sign (a title repeated as a
/// teaser near the top is followed by text too), and so are fields that
/// repeat with the line; the others are the sections' own marks
/// ([`Structure::Marked`]).
fn is_structure(text: &str, lines: &Lines, members: &[usize]) -> Structure {
    let line = |i: usize| &text[lines.spans[i].1.clone()];
    if is_link(line(members[0])) {
        return Structure::None;
    }
    let n = lines.spans.len();
    // (the last occurrence may end the text: a page cut off after it)
    if members[..members.len() - 1].iter().any(|&i| i + 1 >= n) {
        return Structure::None;
    }
    // (a set, not pairs: a line may recur thousands of times)
    let distinct = |lines: &[Option<Cow<'_, str>>]| {
        let mut seen = foldhash::HashSet::default();
        lines.iter().flatten().all(|l| seen.insert(l.as_ref()))
    };
    let next: Vec<Option<Cow<'_, str>>> = members
        .iter()
        .map(|&i| (i + 1 < n).then(|| normalized(line(i + 1))))
        .collect();
    if !distinct(&next) {
        return Structure::None;
    }
    // The same slot of numbered sections: a line shortly before each
    // occurrence that differs from the others only in its number
    // (`Motion 1:`, `Motion 2:` … each followed by the motion and `Moved
    // Jean, seconded Eric. … Motion was declared carried.`).
    let numbered = |offset: usize| {
        let at: Vec<&str> = members
            .iter()
            .filter_map(|&i| i.checked_sub(offset).map(line))
            .collect();
        let unnumbered =
            |l: &str| -> String { l.chars().filter(|c| !c.is_ascii_digit()).collect() };
        let mut seen = foldhash::HashSet::default();
        at.len() == members.len()
            && at.iter().all(|l| l.bytes().any(|b| b.is_ascii_digit()))
            && at[0].chars().filter(|c| c.is_alphabetic()).nth(2).is_some()
            && at.iter().all(|l| unnumbered(l) == unnumbered(at[0]))
            && at.iter().all(|l| seen.insert(*l))
    };
    if (1..=3).any(numbered) {
        return Structure::Marked;
    }
    let next: Vec<Cow<'_, str>> = next.into_iter().flatten().collect();
    if next.len() < members.len() {
        return Structure::None;
    }
    // Fields of one key next to each occurrence: `Some(true)` when they
    // differ each time (`Vote: 4 ayes …`, `Vote: 5 ayes …`), `Some(false)`
    // when they repeat too (a teaser's `Valentinstag 2022: Ein Feiertag`
    // over its text, a block printed twice).
    let same_key = |offset: fn(usize) -> Option<usize>| -> Option<bool> {
        let at: Vec<Option<usize>> = members
            .iter()
            // (a link is no field: `### [Kolumne: Als ob!](/kolumne…)`
            // over each teaser of a list of columns)
            .map(|&i| offset(i).filter(|&j| j < n && !is_link(line(j))))
            .collect();
        let keys: Vec<Option<&str>> = at
            .iter()
            .map(|j| j.and_then(|j| field_key(line(j))))
            .collect();
        if keys[0].is_none() || keys.iter().any(|k| *k != keys[0]) {
            return None;
        }
        let mut seen = foldhash::HashSet::default();
        Some(at.iter().flatten().all(|&j| seen.insert(line(j))))
    };
    // Rows of a timetable (`17:30	Kommissar Brandt …	Saal 1` on two days
    // of a cinema's week): each opens with a clock time, and so does a
    // line next to it.
    let keyed = [same_key(|i| Some(i + 1)), same_key(|i| i.checked_sub(1))];
    if timetable_rows(text, lines, members, crate::text::starts_with_clock)
        || keyed.contains(&Some(true))
    {
        Structure::Marked
    } else if keyed.contains(&Some(false)) || members.iter().all(|&i| is_prose(line(i + 1))) {
        Structure::Weak
    } else {
        Structure::None
    }
}

/// What [`is_structure`] found.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Structure {
    None,
    /// Each occurrence is followed by different prose, or stands by a
    /// field of one key that repeats with it.
    Weak,
    /// Fields of one key that differ each time, rows of a timetable or
    /// numbered sections mark the slot.
    Marked,
}

/// Whether the occurrences `members` of a line of three words or more
/// are the same slot of parallel sections: three or more, at one interval
/// (to a line), with sections of four lines or more that differ (a third
/// of their lines or more is in no line of the section before). So the
/// rest day of each week of a training plan, or the header row of each
/// week's table of a meal plan. A scraper repeats a line once, or a whole
/// block: a menu printed three times (a few submenus open or closed), a
/// slider's slides.
fn parallel_sections(text: &str, lines: &Lines, members: &[usize]) -> bool {
    let line = |i: usize| normalized(&text[lines.spans[i].1.clone()]);
    if members.len() < 3 || line(members[0]).split(' ').count() < 3 {
        return false;
    }
    let gaps = members.windows(2).map(|w| w[1] - w[0]);
    let (min, max) = gaps.fold((usize::MAX, 0), |(lo, hi), g| (lo.min(g), hi.max(g)));
    if min < 5 || max - min > 1 {
        return false;
    }
    let (mut same, mut all) = (0, 0);
    for w in members.windows(3) {
        let before: foldhash::HashSet<Cow<'_, str>> = (w[0] + 1..w[1]).map(line).collect();
        for i in w[1] + 1..w[2] {
            all += 1;
            same += usize::from(before.contains(&line(i)));
        }
    }
    3 * same < 2 * all
}

/// Whether the occurrences `members` of a line are rows of timetables,
/// one under each heading, the headings all different (`Red Harbour (15)
/// 20:30` under `Friday 11 October` and under `Saturday 12 October`: a
/// cinema's week, the same films at the same times on two days): each
/// ends with a clock time, as a row next to it does, and stands in a
/// paragraph whose first line is a heading (see [`heading_above`]). A
/// scraper that prints a timetable twice prints its heading twice too.
fn timetable_sections(text: &str, lines: &Lines, members: &[usize]) -> bool {
    let line = |i: usize| &text[lines.spans[i].1.clone()];
    let mut headings = foldhash::HashSet::default();
    timetable_rows(text, lines, members, crate::text::ends_with_clock)
        && members.iter().all(|&i| {
            heading_above(text, lines, i).is_some_and(|h| headings.insert(normalized(line(h))))
        })
}

/// Whether each of the occurrences `members` is a row of a timetable, and
/// so is a line next to it: `clock` tells a row by its clock time (first,
/// [`crate::text::starts_with_clock`], or last,
/// [`crate::text::ends_with_clock`]).
fn timetable_rows(text: &str, lines: &Lines, members: &[usize], clock: fn(&str) -> bool) -> bool {
    let n = lines.spans.len();
    let row = |i: usize| i < n && clock(&text[lines.spans[i].1.clone()]);
    members
        .iter()
        .all(|&i| row(i) && (row(i + 1) || i.checked_sub(1).is_some_and(row)))
}

/// The heading of the paragraph that line `i` (an index into
/// `lines.spans`) stands in, below its first line: that first line, when
/// a blank line stands above it within [`HEADING_REACH`] lines and it is
/// short, holds three letters or more and ends like no sentence
/// (`Saturday 12 October` over a cinema's rows of that day). `None` for a
/// line that opens its paragraph, or one in a long run of lines without a
/// blank line (a naive extraction's).
fn heading_above(text: &str, lines: &Lines, i: usize) -> Option<usize> {
    let mut j = i;
    for _ in 0..HEADING_REACH {
        if j == 0 || lines.spans[j - 1].0 + 1 != lines.spans[j].0 {
            let head = &text[lines.spans[j].1.clone()];
            return (j < i
                && head.chars().filter(|c| c.is_alphabetic()).nth(2).is_some()
                && !crate::text::has_words(head, 7)
                && !crate::text::ends_sentence(head)
                && !head.ends_with(','))
            .then_some(j);
        }
        j -= 1;
    }
    None
}

/// Lines looked at above a repeated line for its paragraph's heading.
const HEADING_REACH: usize = 12;

/// Whether the occurrences `members` of a line are the header row of
/// tables of one layout, each with other rows under it (`Monat |
/// Redaktionsschluss | Erscheinungsdatum |` over the dates of each year):
/// rows with a bar at an end and two or more in all (not a menu, `Home |
/// News | Sport`), each the first row of its table, and a different row
/// after each. A scraper that prints a table twice prints its rows twice
/// too.
fn table_headers(text: &str, lines: &Lines, members: &[usize]) -> bool {
    let line = |i: usize| normalized(&text[lines.spans[i].1.clone()]);
    let row = |l: &str| l.matches('|').count() >= 2 && (l.starts_with('|') || l.ends_with('|'));
    let mut after: foldhash::HashSet<Cow<'_, str>> = foldhash::HashSet::default();
    for &i in members {
        if i + 1 >= lines.spans.len() {
            return false;
        }
        let (this, next) = (line(i), line(i + 1));
        let first = i == 0 || !row(&line(i - 1));
        if !first || !row(&this) || !row(&next) || next == this || !after.insert(next) {
            return false;
        }
    }
    true
}

/// Whether the occurrences `members` of a line are items of lists under
/// different labels (`… Longlist:`, `… Shortlist:`): a shortlist repeats
/// entries of the longlist above it. A scraper that prints a list twice
/// prints its label twice too.
fn lists_under_labels(text: &str, lines: &Lines, members: &[usize]) -> bool {
    let line = |i: usize| &text[lines.spans[i].1.clone()];
    let bullet = |l: &str| {
        let mut chars = l.chars();
        chars
            .next()
            .filter(|c| matches!(c, '-' | '*' | '•' | '–' | '+' | '·' | '▪'))
            .filter(|_| chars.next() == Some(' '))
    };
    let Some(mark) = bullet(line(members[0])) else {
        return false;
    };
    let mut labels: Vec<Cow<'_, str>> = Vec::new();
    for &i in members {
        if bullet(line(i)) != Some(mark) {
            return false;
        }
        let Some(label) = (0..i).rev().find(|&j| bullet(line(j)) != Some(mark)) else {
            return false;
        };
        let label = normalized(line(label));
        if !label.ends_with(':') || labels.contains(&label) {
            return false;
        }
        labels.push(label);
    }
    true
}

/// Whether the `k`-th occurrence (`k >= 1`) of a repeated line looks like
/// what a scraper leaves: the line printed twice in a row (next to another
/// occurrence, blank lines aside, or one line between), a block of
/// lines printed twice (its neighbour repeats the earlier one's neighbour
/// too), or one pair of which one stands near an edge of the document (a
/// title or teaser repeated as a paragraph, navigation at both ends;
/// not when the sections mark the slot, `marked`: `Moved by …` before
/// each `Vote: …` of a board's minutes, the last near the end).
///
/// Everything else is structure: an interview asks each person the same
/// question, a meal plan or a line-up repeats entries across parallel
/// sections; there the line recurs at the same slot of several sections,
/// with different lines around it each time.
fn looks_scraped(
    lines: &Lines,
    members: &[usize],
    k: usize,
    marked: bool,
    long_neighbour: impl Fn(usize) -> bool,
) -> bool {
    let (earlier, here) = (members[k - 1], members[k]);
    let next = members.get(k + 1).copied().unwrap_or(usize::MAX);
    if here - earlier <= 2 || next - here <= 2 {
        return true;
    }
    let same = |a: usize, b: usize| {
        lines.group[a].is_some() && lines.group[a] == lines.group[b] && long_neighbour(a)
    };
    let before = here > 0 && earlier > 0 && same(here - 1, earlier - 1);
    let after = here + 1 < lines.spans.len() && same(here + 1, earlier + 1);
    if before || after {
        return true;
    }
    let n = lines.spans.len();
    let edge = (n / 10).max(3);
    !marked && members.len() == 2 && (members[0] < edge || here + edge >= n)
}

impl Check for RepeatedLine {
    fn fixes(&self) -> Option<Applicability> {
        self.rule.fix_applicability()
    }

    fn placeholders(&self) -> &'static [&'static str] {
        &["line"]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let lines = self.lines(ctx);
        // Labels and fields repeat by design (tested on repeats only: the
        // test is dearer than the hash).
        let not_field = |i: usize| !is_field(&ctx.text[lines.spans[i].1.clone()]);
        let mut keyed_rows: Option<KeyedRows<'_>> = None;
        let mut keyed_row = |row: &str| {
            row_key(row).is_some_and(|key| {
                keyed_rows
                    .get_or_insert_with(|| KeyedRows::of(ctx.text, &lines))
                    .keyed(key)
            })
        };
        for members in lines.groups.iter().filter(|m| m.len() > 1) {
            // A field repeats across the sections of structured text, but
            // never on the very next line (blank lines aside): a title
            // printed twice (`Nach erstem Test: Alfa Romeo plant …`).
            let field =
                !not_field(members[0]) || keyed_row(&ctx.text[lines.spans[members[0]].1.clone()]);
            let at = lines.spans[members[0]].0;
            // (an entry of a programme after each of its time slots:
            // `| 8:30 a.m.–Noon |` / `Workshops and Interest Groups |` on
            // each day of a conference)
            let slot = |i: usize| {
                i > 0 && crate::text::is_time_slot(&ctx.text[lines.spans[i - 1].1.clone()])
            };
            if !field
                && !is_link(&ctx.text[lines.spans[members[0]].1.clone()])
                && (parallel_sections(ctx.text, &lines, members)
                    || timetable_sections(ctx.text, &lines, members)
                    || members.iter().all(|&i| slot(i))
                    || table_headers(ctx.text, &lines, members)
                    || lists_under_labels(ctx.text, &lines, members)
                    || self.in_refrain(ctx.text, &lines, members))
            {
                continue;
            }
            let structure = if field {
                Structure::None
            } else {
                is_structure(ctx.text, &lines, members)
            };
            for k in 1..members.len() {
                if field && members[k] - members[k - 1] != 1 {
                    continue;
                }
                let marked = structure == Structure::Marked;
                if structure != Structure::None
                    && !looks_scraped(&lines, members, k, marked, not_field)
                {
                    continue;
                }
                let span = lines.spans[members[k]].1.clone();
                let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
                d.message = d.message.replace("{line}", &(at + 1).to_string());
                out.push(d);
            }
        }
    }
}
