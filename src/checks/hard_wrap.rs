//! `check = "hard-wrap"`: a sentence broken over two lines because the
//! text was wrapped at a fixed width (an e-mail, a plain-text file, a
//! Markdown source, a PDF): `the library should stay open on Sundays, at least
//! until` / `the end of the summer`. The repair joins the lines with one space.
//!
//! A line that ends without punctuation before a line that starts in lower
//! case is also a heading followed by a product name (`pipenv is a tool`),
//! an item of a list, a line of verse, code or an address. What only a
//! hard wrap has is a width: the wrapped lines of a paragraph are nearly
//! equally long, and the first word of the next line would not have fitted
//! on the line before. So the check first looks for proof of a wrap width
//! in the document — runs of at least `min_run` consecutive prose lines of
//! nearly equal length, at most `max_width` characters, two of them ending
//! mid-sentence — and then reports only the breaks before a lower-case word
//! where the line before is full at one of those widths: the next line's
//! first word would not have fitted. Documents that keep a paragraph on
//! one line (what most extractors write) have no such runs and get no
//! finding. A run with two such breaks (or with the width of runs that
//! have three) is a wrapped paragraph beyond doubt; inside it, breaks
//! before a capitalised word (German nouns, names) are joined too.

use super::{Check, CompileError, Ctx, applicability, options};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use crate::text::char_count;
use foldhash::HashSet;
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Fewest characters of a line that proves a wrap width.
    #[serde(default = "default_min_width")]
    min_width: usize,
    /// Most characters of a wrap width (wider lines are paragraphs).
    #[serde(default = "default_max_width")]
    max_width: usize,
    /// Fewest consecutive lines of nearly equal length that prove a width.
    #[serde(default = "default_min_run")]
    min_run: usize,
    /// Report single breaks inside a sentence instead, in documents that
    /// show no wrap width (`join/line-break`).
    #[serde(default)]
    single: bool,
    /// Words that cannot end a sentence (articles, prepositions,
    /// conjunctions): a line ending in one breaks a sentence, whatever the
    /// case of the next line (`eine` / `Pflanze`).
    #[serde(default)]
    open_words: Vec<String>,
    /// Prepositions that are also verb particles (`mit`, `auf`): left out
    /// of `open_words`, since they end German sentences (`kommt mit`), but
    /// before an inflected adjective they open a phrase (`mit eigenen` /
    /// `Problemen`).
    #[serde(default)]
    prepositions: Vec<String>,
    /// Words that cannot end a German sentence but end sentences of other
    /// languages (`in`: `ein Unfall in` / `Simmelsdorf`, but `log in`).
    #[serde(default)]
    german_open_words: Vec<String>,
    /// German determiners that also end a sentence (`ein` is a verb
    /// particle, `sein` a verb): before an inflected adjective they open a
    /// phrase (`stellt ein kollektives` / `Aufatmen fest`).
    #[serde(default)]
    determiners: Vec<String>,
    /// Finite auxiliaries (`wird`, `ist`, `has`): a line that starts with
    /// one in small letters goes on with the subject of the line before,
    /// which is then no heading, whatever its capitals (`Im Innenhof des
    /// Palais Epstein` / `wird vom 9. Februar an die Ausstellung …`).
    #[serde(default)]
    continuing_verbs: Vec<String>,
    /// Words that open a letter's salutation (`dear`, `liebe`), lower
    /// case: such a line ending with a comma is no broken sentence.
    #[serde(default)]
    salutations: Vec<String>,
    /// Words that open a question, lower case (`how`, `what`): a short
    /// line opening with one and ending in a word no sentence ends with,
    /// over a capitalised line, is a heading (`How long to take it for` /
    /// `Your doctor will tell you …`).
    #[serde(default)]
    question_words: Vec<String>,
    /// Endings of German words in small letters that are inflected
    /// adjectives and never verbs (`-enen`, `-ische`, `-liche`): a line
    /// ending in one stops before its noun, whatever stands before it
    /// (`der zuletzt digital abgehaltenen` / `Synoden`).
    #[serde(default)]
    adjective_endings: Vec<String>,
    /// Endings that look like `adjective_endings` but end verbs
    /// (`verdienen`, `bedienen`).
    #[serde(default)]
    not_adjective_endings: Vec<String>,
    /// Endings of verbs in small letters that read as an inflected
    /// adjective after an article (`Formate, die funktionieren` /
    /// `Tobias Renner`): such a word ends a clause.
    #[serde(default)]
    verb_endings: Vec<String>,
}

fn default_min_width() -> usize {
    40
}
fn default_max_width() -> usize {
    160
}
fn default_min_run() -> usize {
    3
}

/// How much shorter or longer than a full line a wrapped line may be: text
/// wrapped by a proportional font (a PDF) is not wrapped to the character.
const SLACK: usize = 4;

pub struct HardWrap {
    rule: Arc<Rule>,
    opts: Options,
    /// `open_words`, for lookups.
    open: HashSet<String>,
    /// `open_words`, `prepositions` and `determiners`: the words before an
    /// inflected adjective that open a phrase (not `am`: `am besten`).
    before_adjective: HashSet<String>,
    /// `german_open_words`, for lookups.
    german_open: HashSet<String>,
    /// `continuing_verbs`, for lookups.
    continuing_verbs: HashSet<String>,
    applicability: Applicability,
}

impl HardWrap {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        if opts.min_run < 2 || opts.min_width == 0 || opts.min_width > opts.max_width {
            return Err(CompileError::new(
                super::Field::Options,
                "options need min_run >= 2 and 0 < min_width <= max_width",
            ));
        }
        let open: HashSet<String> = opts.open_words.iter().cloned().collect();
        let mut before_adjective = open.clone();
        before_adjective.extend(opts.prepositions.iter().cloned());
        before_adjective.extend(opts.determiners.iter().cloned());
        let german_open = opts.german_open_words.iter().cloned().collect();
        let continuing_verbs = opts.continuing_verbs.iter().cloned().collect();
        Ok(HardWrap {
            rule: rule.clone(),
            opts,
            open,
            before_adjective,
            german_open,
            continuing_verbs,
            applicability: applicability(rule, Applicability::Unsafe),
        })
    }
}

/// What the check needs to know of one line.
#[derive(Clone, Copy, Default)]
struct LineStat {
    /// Characters, leading indentation included, trailing spaces not.
    chars: usize,
    blank: bool,
    /// Long enough, at least five words, neither code nor list or table.
    prose: bool,
    /// Ends like a sentence that goes on: a letter, a digit, `,` or `)`.
    open_end: bool,
    /// Starts in lower case and ends with `)` or `;`: an item of an
    /// unbulleted list (`сумма налога (руб.)`, `the first draft (2019);`).
    list_item: bool,
    /// Ends with a colon: the lead-in of a list.
    colon: bool,
    /// Starts with a lower-case letter.
    lower_start: bool,
    /// Ends with a punctuation mark (`,` `.` `;` `:` `!` `?` `…`, maybe
    /// before a closing quotation mark): a line of verse does, a wrapped
    /// line now and then.
    punctuated: bool,
}

/// A line of code, a table row or a link: its line breaks are meant.
/// A line of prose (eight words or more, most of them plain words) may
/// hold an address, `<`, `=`, `()` or an option (`unter www.example.de`,
/// `(n=689)`, `with --prefix`) and stays prose; indentation, braces,
/// backticks, a table's `|` or a tab between its cells, `->`, a shell
/// prompt and a closing `;` make code of any line.
fn code_like(line: &str) -> bool {
    let t = line.trim_end();
    if line.starts_with("    ") || line.starts_with('\t') || t.ends_with(';') {
        return true;
    }
    // One pass over the bytes (every mark looked for is ASCII, so a byte
    // of one is never inside a longer character). Marks of code (braces,
    // a backtick, a pipe, a tab after the first word, `->`, a prompt's
    // `$ `) decide at once; weaker ones (`=`, `<`, `>`, `()`, `://`,
    // `www.`, a command-line option) only in a line that is not prose.
    let lead = t.len() - t.trim_start().len();
    let b = t.as_bytes();
    let next = |i: usize| b.get(i + 1).copied();
    let mut weak = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'{' | b'}' | b'`' | b'|' => return true,
            b'\t' if i >= lead => return true,
            b'-' if next(i) == Some(b'>') => return true,
            b'$' if next(i) == Some(b' ') => return true,
            b'=' | b'<' | b'>' => weak = true,
            b'(' if next(i) == Some(b')') => weak = true,
            b':' if b[i + 1..].starts_with(b"//") => weak = true,
            b'w' if b[i..].starts_with(b"www.") => weak = true,
            // A space, `-` or `--` and a letter (`set-option -g mouse
            // on`): prose writes a dash with a space after it.
            b' ' if next(i) == Some(b'-') => {
                let rest = &b[i + 2..];
                let dashes = rest.iter().take_while(|&&d| d == b'-').count();
                weak |= rest.get(dashes).is_some_and(u8::is_ascii_alphabetic);
            }
            _ => {}
        }
    }
    weak && !prose(t)
}

/// Fewest plain words (letters, maybe one punctuation mark after them)
/// that make a line prose whatever else it holds.
const PROSE_WORDS: usize = 8;

/// Whether `line` has at least `PROSE_WORDS` plain words, and they are
/// most of its words.
fn prose(line: &str) -> bool {
    let (plain, words) = line.split_whitespace().fold((0, 0), |(plain, words), w| {
        let w = w.trim_end_matches([',', '.', ';', ':', '!', '?']);
        let is_plain = !w.is_empty() && w.chars().all(char::is_alphabetic);
        (plain + usize::from(is_plain), words + 1)
    });
    plain >= PROSE_WORDS && plain * 3 >= words * 2
}

/// A list item, heading, quotation or table row by its first characters.
fn structure_start(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with(['-', '*', '+', '•', '·', '>', '#', '|', '–', '—']) {
        return true;
    }
    // `1. `, `12) `, `a) `: a numbered item.
    let marker = t
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(t.len(), |(i, _)| i);
    let marker = if marker == 0 {
        t.chars()
            .next()
            .filter(char::is_ascii_lowercase)
            .map_or(0, |c| c.len_utf8())
    } else {
        marker
    };
    marker > 0 && {
        let rest = &t[marker..];
        (rest.starts_with(". ") || rest.starts_with(") "))
            && marker <= 3
            // `31. Oktober 2023. Woher kommt …`: a German date
            && !rest.strip_prefix(". ").is_some_and(|date| {
                GERMAN_MONTHS.iter().any(|m| {
                    date.strip_prefix(m)
                        .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
                })
            })
    }
}

/// The German months, whose day is written as a number with a full stop
/// (`31. Oktober`), as a numbered item is.
const GERMAN_MONTHS: &[&str] = &[
    "Januar",
    "Jänner",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// The text of a long bulleted list item (`- `, `• `, `* ` and eight
/// words or more after it), without its bullet.
fn bulleted_item(line: &str) -> Option<&str> {
    let t = line.trim();
    let rest = t
        .strip_prefix(['-', '•', '*'])
        .filter(|r| r.starts_with(' '))?
        .trim_start();
    crate::text::has_words(rest, ITEM_MIN_WORDS).then_some(rest)
}

/// Fewest words of a bulleted item that may be a sentence broken over two
/// lines; a shorter item is a list entry of its own.
const ITEM_MIN_WORDS: usize = 5;

/// The line ends like a sentence that goes on.
fn open_end(line: &str) -> bool {
    line.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == ',' || c == ')')
}

/// The first word of `line` with at most one punctuation mark after it,
/// when its first letter passes `case` and all its other characters are
/// letters.
fn plain_first_word(line: &str, case: fn(char) -> bool) -> Option<&str> {
    let token = line.split_whitespace().next()?;
    // `unique...`, `with]`: an ellipsis or a closing bracket after it.
    let word = token
        .strip_suffix("...")
        .or_else(|| token.strip_suffix('…'))
        .or_else(|| token.strip_suffix([',', '.', ';', ':', '!', '?', ']', ')']))
        .unwrap_or(token);
    let word = without_closing_quote(word);
    let mut chars = word.chars();
    (chars.next().is_some_and(case) && inner_word(chars.as_str())).then_some(token)
}

/// `word` without a quotation mark closing after it, nor the punctuation
/// mark inside that quotation mark: `kann“` → `kann`, `cell,”` → `cell`,
/// `Abendland.“` → `Abendland`.
fn without_closing_quote(word: &str) -> &str {
    word.strip_suffix(['“', '”', '"', '«', '»', '’'])
        .map_or(word, |w| {
            w.strip_suffix([',', '.', ';', ':', '!', '?']).unwrap_or(w)
        })
}

/// Whether `rest`, the letters of a word after its first, are letters
/// with at most single inner hyphens and apostrophes between them
/// (`multi-year`, `doesn't`, `caster’s`).
fn inner_word(rest: &str) -> bool {
    let mut prev_letter = true;
    for c in rest.chars() {
        if c.is_alphabetic() {
            prev_letter = true;
        } else if matches!(c, '-' | '\'' | '’') && prev_letter {
            prev_letter = false;
        } else {
            return false;
        }
    }
    prev_letter
}

/// The first word of `line` when it is a plain lower-case word, else `None`.
fn lower_first_word(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let token = plain_first_word(t, char::is_lowercase)?;
    // `port : 873`, `key = value`: a setting, not a sentence.
    let rest = t[token.len()..].trim_start();
    if rest.starts_with([':', '=']) {
        return None;
    }
    Some(token)
}

impl HardWrap {
    fn stat(&self, line: &str) -> LineStat {
        let trimmed = line.trim_end();
        let chars = char_count(trimmed);
        let blank = trimmed.trim_start().is_empty();
        LineStat {
            chars,
            blank,
            prose: !blank
                && chars >= self.opts.min_width
                && crate::text::has_words(trimmed, 5)
                && !code_like(trimmed)
                && !structure_start(trimmed),
            open_end: open_end(trimmed),
            list_item: trimmed
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
                && trimmed.ends_with([')', ';']),
            colon: trimmed.ends_with(':'),
            lower_start: trimmed.trim_start().starts_with(char::is_lowercase),
            punctuated: punctuated(trimmed),
        }
    }

    /// The runs that prove a wrap width: at least `min_run` consecutive
    /// prose lines, each followed by another line, whose lengths lie within
    /// a narrow band, at most `max_width` long, two of them ending
    /// mid-sentence.
    fn runs(&self, stats: &[LineStat]) -> Vec<Run> {
        let full = |k: usize| stats[k].prose && stats.get(k + 1).is_some_and(|s| !s.blank);
        let mut runs = Vec::new();
        let mut i = 0;
        while i < stats.len() {
            if !full(i) {
                i += 1;
                continue;
            }
            let (mut lo, mut hi) = (stats[i].chars, stats[i].chars);
            let mut j = i;
            // (a line ending with a colon leads in a list: the run ends
            // there)
            while j + 1 < stats.len() && full(j + 1) && !stats[j].colon {
                let c = stats[j + 1].chars;
                let (l, h) = (lo.min(c), hi.max(c));
                if h - l > (h / 5).max(10) {
                    break;
                }
                (lo, hi) = (l, h);
                j += 1;
            }
            let open = stats[i..=j].iter().filter(|s| s.open_end).count();
            // Lines that each end with a punctuation mark are verse (`Im
            // Tannengrund am Wasser steht ein Häuschen klein und grau,` /
            // `da wohnt der Flößer …`) or sentences one to a line: a
            // wrapped paragraph breaks inside its clauses.
            let verse = stats[i..=j].iter().all(|s| s.punctuated);
            // Items of an unbulleted list have similar lengths too: they
            // are no proof of a width, above all under a lead-in colon.
            let items = stats[i..=j].iter().filter(|s| s.list_item).count();
            let lead_in = i > 0 && stats[i - 1].colon;
            let list = items * 2 >= j + 1 - i || (lead_in && items * 3 >= j + 1 - i);
            // Under a lead-in colon, right above or over a blank line,
            // lines that all open in small letters are the list's items
            // (`… if your child:` / `regularly has trouble falling asleep
            // …` / `loses interest in playing outside …`).
            let list = list
                || ((lead_in || (i > 1 && stats[i - 1].blank && stats[i - 2].colon))
                    && stats[i..=j].iter().all(|s| s.lower_start));
            if j + 1 - i >= self.opts.min_run
                && open >= 2
                && hi <= self.opts.max_width
                && !list
                && !verse
            {
                runs.push(Run {
                    lines: i..j + 1,
                    width: hi,
                });
            }
            i = j + 1;
        }
        runs
    }

    /// The break after line `i` when it is a wrap before a word that
    /// `first_word` accepts: the break (with the spaces around it) and the
    /// word.
    fn wrap_after<'t>(
        &self,
        text: &'t str,
        lines: &crate::text::LineIndex,
        stats: &[LineStat],
        i: usize,
        widths: &[usize],
        first_word: fn(&str) -> Option<&str>,
    ) -> Option<(Range<usize>, &'t str)> {
        let a_range = lines.content(text, i);
        let b_range = lines.content(text, i + 1);
        let (a, b) = (&text[a_range.clone()], &text[b_range.clone()]);
        let first = first_word(b)?;
        if structure_start(a)
            || structure_start(b)
            || code_like(a)
            || code_like(b)
            || !crate::text::has_words(a, 4)
        {
            return None;
        }
        // Full at a proven width: the next word would not have fitted.
        let len = stats[i].chars;
        let need = char_count(first) + 1;
        if !widths
            .iter()
            .any(|&w| len + need + SLACK > w && len <= w + SLACK)
        {
            return None;
        }
        let end = a_range.start + a.trim_end().len();
        let start = b_range.start + (b.len() - b.trim_start().len());
        Some((end..start, first))
    }
}

/// Lines `lines` of a document (each followed by another) prove that it
/// is wrapped at `width` characters.
struct Run {
    lines: Range<usize>,
    width: usize,
}

/// The first word of `line` when it is a capitalised word: letters, maybe
/// with digits and inner hyphens (`Online-Seminare`, `G7-Präsidentschaft`,
/// `U3,`), and at most one punctuation mark after it.
fn upper_first_word(line: &str) -> Option<&str> {
    let token = line.split_whitespace().next()?;
    let word = token
        .strip_suffix([',', '.', ';', ':', '!', '?'])
        .unwrap_or(token);
    // (`Heizkörper-Thermostat“,`, `Abendland.“`)
    let word = without_closing_quote(word);
    let mut chars = word.chars();
    (chars.next().is_some_and(char::is_uppercase)
        && !word.ends_with('-')
        && chars.all(|c| c.is_alphanumeric() || c == '-'))
    .then_some(token)
}

/// The first word of `line` when the sentence goes on with it: a plain
/// lower-case word, or the English pronoun `I` (`I am`, `I'm`), which is
/// capitalised anywhere.
fn continuing_first_word(line: &str) -> Option<&str> {
    lower_first_word(line).or_else(|| {
        let t = line.trim_start();
        let rest = t.strip_prefix('I')?;
        (rest.starts_with([' ', '\'', '’']) && crate::text::has_words(rest, 1)).then(|| &t[..1])
    })
}

impl Check for HardWrap {
    fn fixes(&self) -> Option<Applicability> {
        Some(self.applicability)
    }

    fn patterns(&self) -> Vec<String> {
        // As a line search: a line that ends mid-sentence (the next line is
        // not visible to a line-by-line search).
        vec![r"[\p{L}\p{N},)]$".to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        if self.opts.single {
            return self.single_breaks(ctx, out);
        }
        let text = ctx.text;
        let lines = ctx.lines;
        let n = lines.count();
        // Cheap first pass: breaks between a line that ends mid-sentence and
        // a line that starts with a lower-case word. Most documents have none.
        let candidates: Vec<usize> = lines
            .lines(text)
            .zip(lines.lines(text).skip(1))
            .filter(|((_, a), (_, b))| {
                open_end(&text[a.clone()]) && lower_first_word(&text[b.clone()]).is_some()
            })
            .map(|((i, _), _)| i)
            .collect();
        if candidates.is_empty() {
            return;
        }
        let stats: Vec<LineStat> = (0..n)
            .map(|i| self.stat(&text[lines.content(text, i)]))
            .collect();
        let runs = self.runs(&stats);
        if runs.is_empty() {
            return;
        }
        let mut widths: Vec<usize> = runs.iter().map(|r| r.width).collect();
        widths.sort_unstable();
        widths.dedup();
        let mut reported: Vec<usize> = Vec::new();
        let content = |k: usize| &text[lines.content(text, k)];
        for i in candidates {
            if verse_run(&content, n, i) {
                continue;
            }
            if let Some((span, first)) =
                self.wrap_after(text, lines, &stats, i, &widths, lower_first_word)
            {
                out.push(self.finding(text, ctx, span, first));
                reported.push(i);
            }
        }
        // Wraps before lower-case words prove that a paragraph is wrapped:
        // there, a full line that ends in a letter or comma is a wrap before
        // a capitalised word too (German nouns, names). Proof is two such
        // wraps in the run itself, or three in runs of the same width.
        // `reported` is sorted: the candidates came in line order.
        let inside = |run: &Run| {
            reported.partition_point(|&i| i < run.lines.end)
                - reported.partition_point(|&i| i < run.lines.start)
        };
        let mut by_width = vec![0usize; self.opts.max_width + SLACK + 1];
        for run in &runs {
            by_width[run.width] += inside(run);
        }
        for run in &runs {
            let same_width: usize = by_width[run.width.saturating_sub(SLACK)..=run.width + SLACK]
                .iter()
                .sum();
            if inside(run) < 2 && same_width < 3 {
                continue;
            }
            for i in run.lines.clone() {
                let a = text[lines.content(text, i)].trim_end();
                if reported.binary_search(&i).is_ok()
                    || !a
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_lowercase() || c == ',')
                    || verse_run(&content, n, i)
                {
                    continue;
                }
                if let Some((span, first)) =
                    self.wrap_after(text, lines, &stats, i, &[run.width], upper_first_word)
                {
                    out.push(self.finding(text, ctx, span, first));
                }
            }
        }
    }
}

/// Whether `line` ends a sentence: `.`, `!`, `?` or `…`, maybe before a
/// closing quote or bracket.
fn closed_end(line: &str) -> bool {
    // A footnote mark (`gefährdet.₂`, `gewählt.¹`, `ended.[3]`) or a
    // reference in brackets after the full stop (`entstehen. (Alexander &
    // Lück, 2016)`, `Bahnumschlags. (cm)`) leaves the sentence closed.
    let t = line
        .trim_end()
        .trim_end_matches(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉*†".contains(c));
    let t = match t.strip_suffix(']') {
        Some(inner) => match inner.rfind('[') {
            Some(open) if inner[open + 1..].chars().all(|c| c.is_ascii_digit()) => &inner[..open],
            _ => t,
        },
        None => t,
    };
    let closes = |t: &str| {
        t.trim_end()
            .trim_end_matches(['"', '”', '“', '»', '«', '\'', '’', ')', ']'])
            .ends_with(['.', '!', '?', '…'])
    };
    closes(t)
        || t.strip_suffix(')')
            .and_then(|inner| inner.rfind('(').map(|open| &inner[..open]))
            .is_some_and(|before| before.ends_with(' ') && closes(before))
}

/// Whether a sentence ends inside `line` and another starts after it:
/// a full stop, `!` or `?` (maybe inside a closing quotation mark or
/// bracket) after two words, a space and a capital opening two words or more (`health. Aside from`,
/// `wirkt "anbiedernd". Ein neutraler Stil`). The line is prose, no
/// heading or list item, even when it does not end like a sentence.
fn sentence_ends_inside(line: &str) -> bool {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            in_word = true;
            words += 1;
        }
        if words < 2 || !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // (no abbreviation or number: `z. B.`, `z.B.`, `St. Marien`, `3. Mai`)
        let before = &line[..i];
        let word = before[before.rfind(' ').map_or(0, |s| s + 1)..]
            .trim_end_matches(['"', '”', '“', '»', '«', '\'', '’', ')']);
        if word.chars().filter(|c| c.is_alphabetic()).count() < 3 || word.contains('.') {
            continue;
        }
        let rest = line[i + 1..].trim_start_matches(['"', '”', '“', '»', '«', '\'', '’', ')']);
        // (then a sentence of two words or more)
        let Some(after) = rest.strip_prefix(' ') else {
            continue;
        };
        if after.chars().next().is_some_and(char::is_uppercase) && crate::text::has_words(after, 2)
        {
            return true;
        }
    }
    false
}

/// Whether `line` reads as a title: most of its words (three or more)
/// start with a capital, as English headings are written, and of the
/// others at most one is more than a small word (`of`, `the`, `and`): a
/// title capitalises its verbs and adverbs, where `The Harris County
/// Sheriff's Office is now` is a sentence about a name.
fn title_case(line: &str) -> bool {
    let (caps, words) = capitalised_words(line);
    words >= 3 && caps * 5 >= words * 3 && {
        let lower = line
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .filter(|w| {
                let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                !TITLE_SMALL_WORDS.contains(&w)
            })
            .count();
        lower <= 1
    }
}

/// Words English titles keep in lower case: articles, short prepositions
/// and conjunctions.
const TITLE_SMALL_WORDS: [&str; 22] = [
    "a", "an", "the", "and", "but", "or", "nor", "for", "of", "in", "on", "at", "to", "by", "up",
    "as", "vs", "via", "with", "from", "into", "over",
];

/// Whether four in five words of `line` start with a capital: a title
/// even in German.
fn mostly_capitalised(line: &str) -> bool {
    let (caps, words) = capitalised_words(line);
    caps * 5 >= words * 4
}

/// How many words of `line` start with a capital, and how many words it has.
fn capitalised_words(line: &str) -> (usize, usize) {
    line.split_whitespace().fold((0, 0), |(caps, words), w| {
        let cap = w.chars().next().is_some_and(char::is_uppercase);
        (caps + usize::from(cap), words + 1)
    })
}

/// Most words of a line that may be a heading over the next line.
const HEADING_MAX_WORDS: usize = 8;

/// Fewest letters of a word that a heading names and the next line starts
/// with (`poetry`); a shorter one is a word of any sentence (`auch`).
const HEADING_NAME_MIN_CHARS: usize = 5;

impl HardWrap {
    /// Whether `line` is short enough for a heading (eight words at most)
    /// and opens with one of `question_words` (`What to look out for`).
    fn question_heading(&self, line: &str) -> bool {
        !crate::text::has_words(line, HEADING_MAX_WORDS + 1)
            && line.split_whitespace().next().is_some_and(|first| {
                let first = first.to_lowercase();
                self.opts.question_words.contains(&first)
            })
    }

    /// Whether `line` is a letter's salutation: it opens with one of
    /// `salutations` and ends with a comma (`Dear parishioners and friends
    /// of our churches,` / `Liebe Eltern,`), a line of its own.
    fn salutation(&self, line: &str) -> bool {
        line.ends_with(',') && {
            let lower = line.to_lowercase();
            self.opts.salutations.iter().any(|s| {
                lower
                    .strip_prefix(s.as_str())
                    .is_some_and(|rest| rest.starts_with(' '))
            })
        }
    }

    /// Whether `line` ends in one of `open_words`, after which no sentence
    /// ends.
    /// In German, so does a line ending in such a word and an inflected
    /// adjective (`die geplanten` / `Tariferhöhungen`, `zwei neue` /
    /// `Seminare`), or in a word that only an adjective ends like
    /// (`adjective_endings`: `digital abgehaltenen` / `Synoden`).
    fn ends_open(&self, line: &str, german: bool) -> bool {
        // `Die` / `Kantonspolizei`: an article that starts a sentence
        // does not end one either.
        fn lower(w: &str) -> std::borrow::Cow<'_, str> {
            if w.chars().next().is_some_and(char::is_uppercase) {
                std::borrow::Cow::Owned(w.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            }
        }
        let open = |w: &str| self.open.contains(lower(w).as_ref());
        let before_adjective = |w: &str| self.before_adjective.contains(lower(w).as_ref());
        // a word in small letters with the ending of an inflected adjective
        let inflected = |w: &str| {
            w.chars().next().is_some_and(char::is_lowercase)
                && w.chars().all(char::is_alphabetic)
                && ["e", "en", "er", "es", "em"]
                    .iter()
                    .any(|end| w.len() > end.len() + 2 && w.ends_with(end))
        };
        let mut words = line.trim_end().rsplit(char::is_whitespace);
        let Some(last) = words.next() else {
            return false;
        };
        // `sollten sie “den` / `Schutz`: a quotation opens before it
        let last = last.trim_start_matches(['"', '“', '„', '‚', '‘', '»', '«', '(']);
        open(last)
            || (german && self.german_open.contains(lower(last).as_ref()))
            || (german
                && inflected(last)
                && !self
                    .opts
                    .verb_endings
                    .iter()
                    .any(|e| last.ends_with(e.as_str()))
                && ({
                    // (over one or two adjectives before it: `der fünfte
                    // namhafte` / `Künstler`, `eine nachhaltige,
                    // wissensbasierte` / `Bioökonomie`)
                    let mut words = words
                        .take(3)
                        .skip_while(|w| !before_adjective(w) && inflected(w.trim_end_matches(',')));
                    words.next().is_some_and(before_adjective)
                } || self.adjective(last)))
    }

    /// Whether `word` (small letters) ends as only an inflected adjective
    /// does (`adjective_endings`), with two letters or more of stem.
    fn adjective(&self, word: &str) -> bool {
        self.opts
            .adjective_endings
            .iter()
            .any(|e| word.len() >= e.len() + 3 && word.ends_with(e.as_str()))
            && !self
                .opts
                .not_adjective_endings
                .iter()
                .any(|e| word.ends_with(e.as_str()))
    }

    /// Whether `line` ends in one of `german_open_words` and not in one of
    /// `open_words`.
    fn ends_in_german_open(&self, line: &str) -> bool {
        line.split_whitespace().next_back().is_some_and(|last| {
            let last = last.to_lowercase();
            self.german_open.contains(&last) && !self.open.contains(&last)
        })
    }

    /// `join/line-break`: in a document that keeps its paragraphs on one
    /// line (no wrap width), a single line break inside a sentence: a line
    /// that starts with a capital and ends mid-sentence, before a line that
    /// goes on in lower case (or after a word no sentence ends with, in any
    /// case) and ends the sentence. Headings (title case), short list
    /// items, code and tables are left alone.
    fn single_breaks(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let text = ctx.text;
        let lines = ctx.lines;
        let n = lines.count();
        let content = |i: usize| &text[lines.content(text, i)];
        // German capitalises its nouns: a line of prose reads as a title
        // by the English measure.
        let german = ctx.lang == Some("de");
        let candidates: Vec<usize> = (0..n.saturating_sub(1))
            .filter(|&i| {
                let (a, b) = (content(i), content(i + 1));
                open_end(a)
                    && (continuing_first_word(b).is_some()
                        || (self.ends_open(a, german)
                            && upper_first_word(b.trim_start()).is_some()))
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        // A sentence may be broken twice: the line between two breaks
        // neither starts nor ends it.
        let candidate = |i: usize| candidates.binary_search(&i).is_ok();
        let mut found = Vec::new();
        for &i in &candidates {
            let (a, b) = (content(i), content(i + 1));
            // A long bulleted item (`- ` or `• ` and five words or more)
            // is a paragraph of a list: a break inside it is found as in
            // any paragraph, from its first word on.
            let item = bulleted_item(a);
            let a_trim = item.unwrap_or_else(|| a.trim());
            let starts_sentence = a_trim.chars().next().is_some_and(|c| {
                c.is_uppercase() || c.is_ascii_digit() || "\"„“«»‚‘'([".contains(c)
            }) || (i > 0 && candidate(i - 1));
            // After a word no sentence ends with (`of` / `female`), the
            // next line goes on with the sentence however it ends, unless
            // the line is short enough for a heading (`… verliert Spiel
            // drei` / `Lena Große Scharmann übernimmt`).
            let open = self.ends_open(a, german);
            let long = crate::text::has_words(a_trim, HEADING_MAX_WORDS + 1);
            let open_paragraph = open && long;
            let starts_sentence = starts_sentence || open_paragraph;
            // (a paragraph's line goes on in small letters: `… doch
            // ausgerechnet beim letzten Weltcuprennen` / `schlug Dorothea
            // Wierer zurück`)
            let long_before_small = long && continuing_first_word(b).is_some();
            let ends_sentence = open_paragraph
                || long_before_small
                || closed_end(b)
                || b.trim_end().ends_with(':')
                || candidate(i + 1)
                || sentence_ends_inside(b);
            if !starts_sentence
                || !ends_sentence
                || !crate::text::has_words(a_trim, 4)
                || !crate::text::has_words(b, 2)
                || (structure_start(a) && item.is_none())
                || structure_start(b)
                || code_like(a)
                || code_like(b)
                || ((if german {
                    crate::text::has_words(a_trim, 3) && mostly_capitalised(a_trim)
                } else {
                    title_case(a_trim)
                }) && !lower_first_word(b).is_some_and(|w| self.continuing_verbs.contains(w)))
                || a_trim.ends_with(')')
                || self.salutation(a_trim)
                || (self.question_heading(a_trim) && b.trim_start().starts_with(char::is_uppercase))
                // (two fields of a record in a row are entries of their
                // own, however the first ends: `… between each` /
                // `Wednesday: 30 minutes easy`)
                || (crate::text::short_field(a_trim) && crate::text::short_field(b.trim()))
                || (slot_entry(a_trim) && slot_entry(b.trim()))
                || stanza(&content, n, i)
                || verse_lines(&content, n, i)
                || verse_run(&content, n, i)
                || listed_after_colon(&content, i)
                || paired_lines(&content, n, i)
            {
                continue;
            }
            // Before a capitalised word, four words that end in `am` or
            // `bis` may be a label whose value is missing (`Gespeichert von
            // human am` / `Vegetarier zu sein.`): five make a sentence.
            let capital_next =
                open && (crate::text::has_words(a_trim, 5) || !self.ends_in_german_open(a));
            let Some(first) = continuing_first_word(b).or_else(|| {
                capital_next
                    .then(|| upper_first_word(b.trim_start()))
                    .flatten()
            }) else {
                continue;
            };
            // `Fast builds with poetry` / `poetry is a tool ...`: a heading
            // names what the next line starts with. Only a short line is a
            // heading: a paragraph holds the next line's `the` or `und`
            // anyway.
            let word = first
                .trim_end_matches([',', '.', ';', ':', '!', '?', '“', '”', '"', '«', '»', '’']);
            // A line of five words or fewer before `I` is a heading as
            // often (`What I use now` / `I currently have …`), unless it
            // ends in a word no sentence ends with.
            if word == "I" && !open && !crate::text::has_words(a_trim, 6) {
                continue;
            }
            if !crate::text::has_words(a_trim, HEADING_MAX_WORDS + 1)
                && word.chars().count() >= HEADING_NAME_MIN_CHARS
                && a_trim
                    .split(|c: char| !c.is_alphanumeric())
                    .chain(a_trim.split_whitespace())
                    .any(|w| w.eq_ignore_ascii_case(word))
            {
                continue;
            }
            let a_range = lines.content(text, i);
            let b_range = lines.content(text, i + 1);
            let end = a_range.start + a.trim_end().len();
            let start = b_range.start + (b.len() - b.trim_start().len());
            let mut d = self.finding(text, ctx, end..start, first);
            d.message = format!("line break inside a sentence, before `{word}`");
            found.push((i, d));
        }
        // Only now, and only when there is something to report, the dearer
        // look at the whole document's line lengths.
        if found.is_empty() {
            return;
        }
        let stats: Vec<LineStat> = (0..n).map(|i| self.stat(content(i))).collect();
        let runs = self.runs(&stats);
        // A break in or next to a run of lines of one width, or after a
        // line of a run's width, is a wrap: `join/hard-wrap`'s. Elsewhere
        // in the document (a hard-wrapped quotation or address block above
        // paragraphs on one line each) it is a break of its own.
        let wrapped = |i: usize| {
            let chars = stats[i].chars;
            runs.iter().any(|r| {
                r.lines.contains(&i)
                    || r.lines.contains(&(i + 1))
                    || (chars <= r.width + SLACK && chars + (r.width / 5).max(10) >= r.width)
            })
        };
        out.extend(
            found
                .into_iter()
                .filter(|(i, _)| !wrapped(*i))
                .map(|(_, d)| d),
        );
    }

    /// A finding on the break `brk` (the line break and the spaces around
    /// it) before the word `first`. It covers the words on either side, so
    /// that the suggestion shows them joined; the fix replaces the break.
    fn finding(&self, text: &str, ctx: &Ctx<'_>, brk: Range<usize>, first: &str) -> Diagnostic {
        let word =
            first.trim_end_matches([',', '.', ';', ':', '!', '?', '“', '”', '"', '«', '»', '’']);
        let before = text[..brk.start].rfind(char::is_whitespace).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let span = before..brk.end + word.len();
        let mut d = self.rule.finding(text, ctx.lines, span, None);
        d.message = format!("line break inside a sentence of hard-wrapped text, before `{word}`");
        d.fix = Some(Fix::new(self.applicability, vec![Edit::replace(brk, " ")]));
        d
    }
}

/// The first and last line of the run of lines around line `i` (of `n`)
/// that `keep` accepts, reaching at most `reach` lines above and below it
/// (line `i` itself is not asked).
fn line_run(n: usize, i: usize, reach: usize, keep: impl Fn(usize) -> bool) -> (usize, usize) {
    let above = (0..i).rev().take(reach).take_while(|&k| keep(k)).count();
    let below = (i + 1..n).take(reach).take_while(|&k| keep(k)).count();
    (i - above, i + below)
}

/// Most words of a line of verse (`Der Apfelbaum hält still` / `was ihm
/// vom Sommer blieb`).
const VERSE_MAX_WORDS: usize = 6;

/// Whether lines `i` and `i + 1` (of `n`) stand in a stanza: a run of three
/// lines or more without a blank one, each of at most [`VERSE_MAX_WORDS`]
/// words; or, in a poem of several stanzas, of at most
/// [`POEM_MAX_WORDS`] words, when the run next to it over one blank line
/// is such a stanza too. A sentence of a poem runs over its lines by
/// design; a break in a paragraph leaves two long lines, or a short one
/// beside a long one, and a paragraph has no stanza beside it.
fn stanza<'a>(content: &impl Fn(usize) -> &'a str, n: usize, i: usize) -> bool {
    // (a stanza longer than this is a list, which the rule leaves alone
    // in other ways)
    const REACH: usize = 12;
    let verse = |k: usize, max: usize| {
        let line = content(k).trim();
        !line.is_empty() && !crate::text::has_words(line, max + 1)
    };
    let blank = |k: usize| k < n && content(k).trim().is_empty();
    // The run of lines of at most `max` words around `i`, as its first
    // and last line, when it stands between blank lines (or the edges)
    // and holds three lines or more.
    let run = |i: usize, max: usize| -> Option<(usize, usize)> {
        if !verse(i, max) {
            return None;
        }
        let (first, last) = line_run(n, i, REACH, |k| verse(k, max));
        // the run may not go on into a longer line (a paragraph's last line)
        let edge_above = first == 0 || blank(first - 1);
        let edge_below = last + 1 >= n || blank(last + 1);
        (last >= first + 2 && edge_above && edge_below).then_some((first, last))
    };
    if run(i, VERSE_MAX_WORDS).is_some_and(|(_, last)| last > i) {
        return true;
    }
    let Some((first, last)) = run(i, POEM_MAX_WORDS).filter(|&(_, last)| last > i) else {
        return false;
    };
    // a stanza of the same poem above or below, over one blank line
    (first >= 2 && run(first - 2, POEM_MAX_WORDS).is_some())
        || (last + 2 < n && run(last + 2, POEM_MAX_WORDS).is_some())
}

/// Whether lines `i` and `i + 1` stand in a stanza of five lines or more
/// (between blank lines or the edges) that a poem of one stanza writes:
/// each of at most [`POEM_MAX_WORDS`] words, and two in three or more end
/// with a punctuation mark (`My grandfather knew the dykes by name,` /
/// `the way some men know horses.` / `He walked them in March with a
/// spade` / `and a flask of sweet tea,`). Verse breaks its lines at the
/// clauses; a paragraph broken by hand or wrapped at a narrow width breaks
/// them where the width ends, and few of its lines end with a mark.
fn verse_run<'a>(content: &impl Fn(usize) -> &'a str, n: usize, i: usize) -> bool {
    // (a run longer than this is left to the other tests)
    const REACH: usize = 12;
    let verse = |k: usize| {
        let line = content(k).trim();
        !line.is_empty() && !crate::text::has_words(line, POEM_MAX_WORDS + 1)
    };
    if i + 1 >= n || !verse(i) || !verse(i + 1) {
        return false;
    }
    let (first, _) = line_run(n, i, REACH, verse);
    let (_, last) = line_run(n, i + 1, REACH, verse);
    let blank = |k: usize| content(k).trim().is_empty();
    // the run may not go on into a longer line (a paragraph's last line),
    // unless a sentence ends between them (`Die fünfte ruft: „Den Käse
    // nicht vergessen!“` / `So geht’s: Bei jeder Maus …`)
    let edges = (first == 0 || blank(first - 1) || closed_end(content(first - 1)))
        && (last + 1 >= n || blank(last + 1) || closed_end(content(last)));
    let lines = last + 1 - first;
    if !edges || lines < 5 {
        return false;
    }
    let marked = (first..=last)
        .filter(|&k| punctuated(content(k).trim()))
        .count();
    // (a poem that runs its sentences over the lines, `Noch liegt der
    // Schnee in den Furchen` / `wie vergessene Wäsche, und doch` / `hat
    // jemand über Nacht`, ends fewer lines with a mark: a third will do
    // when its lines are ragged, see [`ragged`])
    3 * marked >= 2 * lines || (3 * marked >= lines && ragged(content, first, last))
}

/// Whether the lines `first..=last` break where no width made them: twice
/// or more, the next line's first word would have fitted on a line
/// within the run's longest one (`hat jemand über Nacht` / `die Amseln
/// wieder eingeschaltet.`). Text wrapped at a width breaks a line only
/// when the next word does not fit.
fn ragged<'a>(content: &impl Fn(usize) -> &'a str, first: usize, last: usize) -> bool {
    let chars = |k: usize| content(k).trim().chars().count();
    let width = (first..=last).map(chars).max().unwrap_or(0);
    let fits = (first..last)
        .filter(|&k| {
            let next = content(k + 1).split_whitespace().next().unwrap_or("");
            chars(k) + 1 + next.chars().count() <= width
        })
        .count();
    fits >= 2
}

/// Most words of a line of a poem of several stanzas (`A radio tuned to the
/// shipping forecast,` / `its dial stuck, its voice still saying …`).
const POEM_MAX_WORDS: usize = 10;

/// Whether `line` ends with a punctuation mark, maybe before closing
/// quotation marks (`… kehrt Jakob froh nach Haus,`, `… Lieben!“`).
fn punctuated(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '”', '“', '»', '«', '\'', '’'])
        .ends_with([',', '.', ';', ':', '!', '?', '…'])
}

/// Whether line `i` stands in a verse of a song or a poem: the lines
/// around it up to a blank one (a heading above them aside: `Refrain`,
/// `1. Strophe`), three or more (two under such a heading) of at most
/// fourteen words each, all end with a punctuation mark. A paragraph
/// broken by a stray line break leaves a line that ends inside a clause.
fn verse_lines<'a>(content: &impl Fn(usize) -> &'a str, n: usize, i: usize) -> bool {
    const REACH: usize = 12;
    let filled = |k: usize| !content(k).trim().is_empty();
    let (first, last) = line_run(n, i, REACH, filled);
    // (a heading of three words or fewer, no punctuation, above the lines)
    let heading = |k: usize| {
        let line = content(k).trim();
        !punctuated(line) && !crate::text::has_words(line, 4)
    };
    let headed = heading(first) && first < i;
    let first = if headed { first + 1 } else { first };
    // (two lines under a heading: a couplet, `Verse 1` / `The ferry
    // leaves at seven …,` / `and every gull …`)
    let fewest = if headed { 1 } else { 2 };
    last >= first + fewest
        && (first..=last).all(|k| {
            let line = content(k).trim();
            punctuated(line) && !crate::text::has_words(line, 15)
        })
}

/// Whether lines `i` and `i + 1` are items of an unbulleted list that a
/// line ending with a colon leads in (right above it or over a blank
/// line), each item a line of its own that opens in small letters (`… to
/// relieve:` / `sneezing and a runny nose caused by …` / `itching and
/// swelling …`), as the items of a list continue its lead-in.
fn listed_after_colon<'a>(content: &impl Fn(usize) -> &'a str, i: usize) -> bool {
    // (a list longer than this is left to other tests)
    const REACH: usize = 12;
    let small = |k: usize| content(k).trim_start().starts_with(char::is_lowercase);
    if !small(i) || !small(i + 1) {
        return false;
    }
    // (the lead-in may stand a blank line above the list)
    let lead_in = |k: usize| content(k).trim_end().ends_with(':');
    (0..i)
        .rev()
        .take(REACH)
        .find(|&k| !small(k))
        .is_some_and(|k| lead_in(k) || (k > 0 && content(k).trim().is_empty() && lead_in(k - 1)))
}

/// Whether lines `i` and `i + 1` are entries of a list of pairs (a
/// glossary, a vocabulary list): both hold one spaced separator
/// ([`crate::text::pair_separator`]), and so does the line above or the
/// one below (`single ticket – el billete de ida` / `return ticket – el
/// billete de ida y vuelta`). Three lines of prose in a row that each hold
/// the same spaced dash once are rare; three pairs in a row are a table.
/// So line `i` is the last entry of such a table when the two lines above
/// are pairs like it, and line `i + 1` the first when the two below are,
/// whatever the line on the other side of the break holds: joining a line
/// onto a table's edge leaves the next entry beside a line that is no
/// pair, and the fixes would then join the table up line by line.
fn paired_lines<'a>(content: &impl Fn(usize) -> &'a str, n: usize, i: usize) -> bool {
    use crate::text::pairs_alike;
    let (a, b) = (content(i), content(i + 1));
    let after_two = i > 1 && pairs_alike(content(i - 2), content(i - 1));
    let before_two = i + 3 < n && pairs_alike(content(i + 2), content(i + 3));
    (pairs_alike(a, b)
        && ((i > 0 && pairs_alike(content(i - 1), a))
            || (i + 2 < n && pairs_alike(b, content(i + 2)))))
        || (after_two && pairs_alike(content(i - 1), a))
        || (before_two && pairs_alike(b, content(i + 2)))
}

/// Whether `line` is an entry of a schedule: it opens with a clock time,
/// after at most one word in small letters (`14.00 Uhr, Jubiläumsfest`,
/// `ab 19.00 Uhr, Festabend`). Two such lines in a row are entries of their
/// own, however the first ends.
fn slot_entry(line: &str) -> bool {
    let rest = match line.split_once(' ') {
        Some((word, rest)) if word.chars().all(char::is_lowercase) => rest,
        _ => line,
    };
    crate::text::starts_with_clock(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `code_like` as it was written before its one-pass form: a search
    /// per mark.
    fn code_like_by_searches(line: &str) -> bool {
        let t = line.trim_end();
        if line.starts_with("    ")
            || line.starts_with('\t')
            || t.ends_with(';')
            || t.contains(['{', '}', '`', '|'])
            || t.trim_start().contains('\t')
            || t.contains("->")
            || t.contains("$ ")
        {
            return true;
        }
        let option = t.match_indices(" -").any(|(i, _)| {
            let rest = t[i + 2..].trim_start_matches('-');
            rest.starts_with(|c: char| c.is_ascii_alphabetic())
        });
        (t.contains(['=', '<', '>'])
            || t.contains("()")
            || t.contains("://")
            || t.contains("www.")
            || option)
            && !prose(t)
    }

    /// The one pass finds what the searches found, on lines made of the
    /// marks, letters, spaces, tabs and a character beyond ASCII.
    #[test]
    fn code_like_in_one_pass() {
        let pieces = [
            "a", "Wort", " ", "\t", "\u{a0}", "-", ">", "$", "(", ")", ":", "/", "w", "www.", "=",
            "<", "{", "|", "`", ";", "ü", "--x", " -g", "und", ".",
        ];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut line = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 59) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                line.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(code_like(&line), code_like_by_searches(&line), "{line:?}");
        }
        for line in [
            "set-option -g mouse on",
            "Er kam – und ging.",
            "    indented",
            "\u{a0}\tafter a non-breaking space",
            "see https://example.org for more",
            "a -> b",
            "$ cargo test",
        ] {
            assert_eq!(code_like(line), code_like_by_searches(line), "{line:?}");
        }
    }

    #[test]
    fn structure_markers() {
        assert!(structure_start("- item"));
        assert!(structure_start("  12. Punkt"));
        assert!(structure_start("a) eine Antwort"));
        assert!(!structure_start("aber dann"));
        assert!(!structure_start("2023 war ein Jahr"));
    }

    #[test]
    fn lower_words() {
        assert_eq!(lower_first_word("  und dann"), Some("und"));
        assert_eq!(lower_first_word("explain."), Some("explain."));
        assert_eq!(lower_first_word("Und dann"), None);
        assert_eq!(lower_first_word("ssync : LOCAL"), None);
        assert_eq!(lower_first_word("feiler-artinger.at"), None);
        assert_eq!(lower_first_word("requests==2.0"), None);
        assert_eq!(lower_first_word(""), None);
    }
}
