//! `check = "spacing"`: whitespace that a careful editor normalises, one
//! kind per rule (`options.kind`):
//!
//! - `double-space`: more than one blank (spaces, a tab, a no-break space)
//!   between words on a line: two spaces, or a no-break space beside a
//!   space, unless the line is a table or layout (several runs, tabs; in
//!   a `|` table row, the cell decides, and blanks beside a bar pad it);
//!   three spaces or a space and a tab only in a sentence of prose (never
//!   the indentation at a line's start);
//! - `trailing`: spaces or tabs at the end of a line;
//! - `blank-lines`: more than one blank line in a row;
//! - `space-before-punctuation`: a space between a word and the comma or
//!   full stop after it (`Hallo , Welt`, `Ende .`); not before `...`, a
//!   number (`.5`) or a file name (`.txt`).
//!
//! Each kind finds its candidates with memchr/memmem, so a clean text
//! costs a fast scan.

use super::{Check, CompileError, Ctx, applicability, options};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use memchr::memmem;
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    DoubleSpace,
    Trailing,
    BlankLines,
    SpaceBeforePunctuation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    kind: Kind,
}

pub struct Spacing {
    rule: Arc<Rule>,
    kind: Kind,
    applicability: Applicability,
}

impl Spacing {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(Spacing {
            rule: rule.clone(),
            kind: opts.kind,
            applicability: applicability(rule, Applicability::Safe),
        })
    }

    fn emit(&self, ctx: &Ctx<'_>, span: Range<usize>, with: &str, out: &mut Vec<Diagnostic>) {
        let mut d = self.rule.finding(ctx.text, ctx.lines, span.clone(), None);
        d.fix = Some(Fix::new(
            self.applicability,
            vec![Edit::replace(span, with)],
        ));
        out.push(d);
    }

    fn double_space(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let bytes = ctx.text.as_bytes();
        // A run of blanks (spaces, tabs, no-break spaces) of two or more
        // holds two spaces, or a tab or a no-break space beside another
        // blank. Tabs and no-break spaces are rare: their seeds are listed
        // up front. Two spaces are common (the indentation of scraped
        // pages): they are searched run by run, each search starting
        // after the run before, so an indentation costs one search.
        let mut rare: Vec<usize> = memchr::memchr_iter(b'\t', bytes)
            .filter(|&at| (at > 0 && bytes[at - 1] == b' ') || bytes.get(at + 1) == Some(&b' '))
            .collect();
        let nbsp = "\u{a0}".as_bytes();
        rare.extend(memmem::find_iter(bytes, nbsp).filter(|&at| {
            let after = &bytes[at + nbsp.len()..];
            (at > 0 && bytes[at - 1] == b' ') || after.starts_with(b" ") || after.starts_with(nbsp)
        }));
        rare.sort_unstable();
        let pairs = memmem::Finder::new("  ");
        let (mut covered, mut next_rare) = (0, 0);
        // The next two spaces, searched again only once a run passed them.
        let mut pair = pairs.find(bytes);
        // What the runs of one line (or cell) share, worked out once per
        // line or cell, by its first byte: an indented table line holds
        // many runs.
        let mut facts: Option<(usize, LineFacts)> = None;
        // Whether a line is a table row (holds a `|`), looked up once per
        // line for the same reason.
        let mut table_row: Option<(usize, bool)> = None;
        loop {
            while rare.get(next_rare).is_some_and(|&at| at < covered) {
                next_rare += 1;
            }
            if pair.is_some_and(|at| at < covered) {
                pair = pairs.find(&bytes[covered..]).map(|i| covered + i);
            }
            let seed = match (pair, rare.get(next_rare)) {
                (Some(a), Some(&b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(&b)) => b,
                (None, None) => break,
            };
            let run = blank_run(ctx.text, seed);
            covered = run.end;
            let line = ctx.lines.line_of(run.start);
            let content = ctx.lines.content(ctx.text, line);
            // Indentation, also behind a leftover tag that another rule
            // removes (`<strong>  - Punkt`): its spaces are layout.
            let indentation = only_markup(&ctx.text[content.start..run.start]);
            if indentation || run.end >= content.end {
                continue;
            }
            // In a table row, the cell that holds the run is what counts:
            // a run beside a bar pads the column, one inside a cell's text
            // is a slip like any other (`| Andy  Carter |`).
            let mut scope = content.clone();
            let bar = match table_row {
                Some((at, bar)) if at == line => bar,
                _ => {
                    let bar = memchr::memchr(b'|', &bytes[content.clone()]).is_some();
                    table_row = Some((line, bar));
                    bar
                }
            };
            if bar {
                if bytes[run.start - 1] == b'|' || bytes.get(run.end) == Some(&b'|') {
                    continue;
                }
                scope.start = memchr::memrchr(b'|', &bytes[content.start..run.start])
                    .map_or(content.start, |i| content.start + i + 1);
                scope.end = memchr::memchr(b'|', &bytes[run.end..content.end])
                    .map_or(content.end, |i| run.end + i);
            }
            let text = &ctx.text[scope.clone()];
            let blanks = &ctx.text[run.clone()];
            let line_facts = match &facts {
                Some((at, f)) if *at == scope.start => *f,
                _ => {
                    let trimmed = text.trim();
                    // Tabs that indent the line align nothing; one tab in a
                    // sentence of prose is a slip, not a table.
                    let tabs = trimmed.matches('\t').count();
                    let f = LineFacts {
                        tab: tabs >= 2 || (tabs == 1 && !is_sentence(trimmed)),
                        columns: columns(trimmed),
                    };
                    facts = Some((scope.start, f));
                    f
                }
            };
            let plain_pair = blanks == "  " || blanks == "\u{a0} " || blanks == " \u{a0}";
            let artifact = if plain_pair {
                // Two spaces: a slip, unless the line is a table or
                // layout (columns, `|`, tabs).
                !line_facts.tab && !line_facts.columns
            } else {
                // Three spaces, a space and a tab: layout in a table or a
                // column list, a slip in a sentence of prose.
                // (A long run spaces out columns even in a sentence.)
                // A space and the line's only tab side by side is a slip
                // in a phrase of any length (`Im Vergleich zum \tVorjahr`):
                // layout puts tabs alone, and more than one on a line.
                let mixed = (blanks == " \t" || blanks == "\t ") && text.matches('\t').count() == 1;
                let min_words = if mixed { 2 } else { CLAUSE_MIN_WORDS };
                blanks.chars().count() <= 4
                    && blanks.matches('\t').count() <= 1
                    && !line_facts.columns
                    && (is_sentence(text) || inside_clause(ctx.text, &run, text, min_words))
            };
            if artifact {
                self.emit(ctx, run, " ", out);
            }
        }
    }

    fn trailing(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let bytes = ctx.text.as_bytes();
        for (_, range) in ctx.lines.lines(ctx.text) {
            // Most lines end in a letter or a mark: one byte tells.
            if range.is_empty() || !matches!(bytes[range.end - 1], b' ' | b'\t') {
                continue;
            }
            let line = &ctx.text[range.clone()];
            let kept = line.trim_end_matches([' ', '\t']);
            // Whitespace-only lines are blank lines, not trailing space.
            if kept.len() < line.len() && !kept.is_empty() {
                self.emit(ctx, range.start + kept.len()..range.end, "", out);
            }
        }
    }

    fn blank_lines(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let mut run: Option<(usize, usize)> = None; // (first blank line, count)
        let count = ctx.lines.count();
        for (n, range) in ctx.lines.lines(ctx.text) {
            let blank = crate::text::is_blank(&ctx.text[range]) && n + 1 < count;
            match (blank, run) {
                (true, Some((first, k))) => run = Some((first, k + 1)),
                (true, None) => run = Some((n, 1)),
                (false, Some((first, k))) => {
                    if k >= 2 {
                        // Keep the first blank line, remove the others.
                        let start = ctx.lines.full(first + 1).start;
                        let end = ctx.lines.full(first + k - 1).end;
                        self.emit(ctx, start..end, "", out);
                    }
                    run = None;
                }
                (false, None) => {}
            }
        }
    }

    fn space_before_punctuation(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let text = ctx.text;
        for needle in [" ,", " ."] {
            for at in memmem::find_iter(text.as_bytes(), needle) {
                let before = text[..at].chars().next_back();
                let after = text[at + 2..].chars().next();
                let word_before = before.is_some_and(char::is_alphabetic);
                let end_after = after.is_none_or(|c| c.is_whitespace() || c == '"');
                if word_before && end_after {
                    self.emit(ctx, at..at + 1, "", out);
                }
            }
        }
    }
}

/// What decides whether the blank runs of a line (or of a table cell)
/// are layout.
#[derive(Clone, Copy)]
struct LineFacts {
    /// Tabs lay it out: two or more between words, or one outside a
    /// sentence of prose.
    tab: bool,
    /// It is laid out in columns ([`columns`]).
    columns: bool,
}

/// Whether `c` is a blank inside a line: a space, a tab or a no-break
/// space.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}')
}

/// The run of blanks around byte `at` (a char boundary in one).
fn blank_run(text: &str, at: usize) -> Range<usize> {
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_blank(c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .find(|&(_, c)| !is_blank(c))
        .map_or(text.len(), |(i, _)| at + i);
    start..end
}

/// Whether `s` is blank, or nothing but HTML tags and blanks.
fn only_markup(s: &str) -> bool {
    let mut rest = s.trim();
    while let Some(tag) = rest.strip_prefix('<') {
        match tag.find('>') {
            Some(end) => rest = tag[end + 1..].trim(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether `line` is laid out in columns: two or more runs of two or more
/// blanks, with cells of three words or fewer between them for the most
/// part (`Montag   10–18 Uhr   geschlossen`). A sentence with two slips
/// has long stretches of words between its runs.
fn columns(line: &str) -> bool {
    let mut cells: Vec<&str> = Vec::new();
    let (mut start, mut run_start, mut blanks) = (0, 0, 0);
    for (i, c) in line.char_indices() {
        if is_blank(c) {
            if blanks == 0 {
                run_start = i;
            }
            blanks += 1;
        } else {
            if blanks >= 2 {
                cells.push(&line[start..run_start]);
                start = i;
            }
            blanks = 0;
        }
    }
    cells.push(&line[start..]);
    let short = cells
        .iter()
        .filter(|cell| !crate::text::has_words(cell, 4))
        .count();
    cells.len() >= 3 && short * 2 >= cells.len()
}

/// Whether the blank run `run` stands inside a clause of running text: a
/// line of `min_words` words or more, and a word going on after a lower-case word
/// or a comma, or a lower-case word after a capitalised one (`bitte ich um
/// Verständnis` is a heading's or a list item's slip too; a column of a
/// table starts after a digit or a capital, and a column list has fewer
/// words).
fn inside_clause(text: &str, run: &std::ops::Range<usize>, line: &str, min_words: usize) -> bool {
    let before = text[..run.start].chars().next_back();
    let mut after = text[run.end..].chars();
    let next = after.next();
    // After a lower-case word any word goes on the clause (German nouns);
    // after a capital or a digit only a lower-case one.
    let goes_on = match before {
        Some(c) if c.is_lowercase() || c == ',' => next.is_some_and(char::is_alphabetic),
        Some(c) if c.is_alphabetic() => next.is_some_and(char::is_lowercase),
        _ => false,
    };
    crate::text::has_words(line, min_words)
        && goes_on
        && after.next().is_some_and(char::is_alphabetic)
}

/// Fewest words of a line in which three spaces or a space and a tab
/// inside a clause are a slip: a shorter line may be a label and its value.
const CLAUSE_MIN_WORDS: usize = 6;

/// Whether `line` is a sentence of prose: six words or more, ending in
/// sentence punctuation (a closing quote or bracket aside).
fn is_sentence(line: &str) -> bool {
    crate::text::ends_sentence(line) && crate::text::has_words(line, 6)
}

impl Check for Spacing {
    fn tidies(&self) -> bool {
        true
    }

    fn patterns(&self) -> Vec<String> {
        // Runs of blank lines span lines: no single-line pattern for them.
        let p = match self.kind {
            Kind::DoubleSpace => r"\S[ \t\x{a0}]{2,}\S",
            Kind::Trailing => r"\S[ \t]+$",
            Kind::BlankLines => return Vec::new(),
            Kind::SpaceBeforePunctuation => r"\p{L} [,.](?:\s|$)",
        };
        vec![p.to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        match self.kind {
            Kind::DoubleSpace => self.double_space(ctx, out),
            Kind::Trailing => self.trailing(ctx, out),
            Kind::BlankLines => self.blank_lines(ctx, out),
            Kind::SpaceBeforePunctuation => self.space_before_punctuation(ctx, out),
        }
    }
}
