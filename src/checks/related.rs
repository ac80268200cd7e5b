//! `check = "after-marker"`: the lines that follow a marker line, as long as
//! they look like headlines: the links under "Mehr:", "Lesen Sie auch" or
//! "Read more" that a scraper keeps as text. The rule's `pattern` is the
//! marker (matched against the whole trimmed line, like a `line` rule); the
//! marker itself is left to a rule of its own.
//!
//! A headline-like line is short, has a few words and does not end like a
//! sentence (`.`, `!`, `?`, `:`, `;`, `,`). The block ends at the first line
//! that is not headline-like, so the article text after it stays untouched.

use super::line::{LazyLine, compile_line_pattern};
use super::{Check, CompileError, Ctx, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::rules::Rule;
use foldhash::HashSet;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Most headline lines after one marker.
    #[serde(default = "default_max_lines")]
    max_lines: usize,
    /// Longest headline, in characters.
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// Fewest words in a headline.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// Labels of metadata lines (`Autor: Name`, `Quelle: Agentur`) that end
    /// the list of headlines: such a line is a field, not a headline.
    #[serde(default)]
    field_labels: Vec<String>,
    /// The shape of a header in any wording ("More on this topic", "Auch
    /// interessant"): counts as a marker only when `generic_min_lines`
    /// headline-like lines follow it, and is then reported too.
    #[serde(default)]
    generic: Option<String>,
    #[serde(default = "default_generic_min_lines")]
    generic_min_lines: usize,
    /// A line of the generic shape that also matches this (the whole
    /// line) is no header: a caption or a list item whose verb has an
    /// object (`Cartoon Dinosaur with Glasses Reading a Book`, `Strict
    /// drop off and pick up times`).
    #[serde(default)]
    generic_unless: Option<String>,
}

fn default_generic_min_lines() -> usize {
    3
}

fn default_max_lines() -> usize {
    8
}
fn default_max_chars() -> usize {
    160
}
fn default_min_words() -> usize {
    2
}

/// Fewest words in a bulleted item that ends like a sentence for it to be
/// taken as a headline: a headline names a story (`▶ Stadt plant mehr
/// Radwege bis 2030.`), where a short item (`- Viel trinken.`) is the
/// article's own list.
const MIN_ITEM_WORDS: usize = 4;

/// Whether `line` is a field whose value is a bare amount: a number, a
/// share or a price (`Participation and weekly reading responses: 20%`,
/// `Map project (due Week 7): 20%`): a syllabus's or a budget's data,
/// neither a header nor a headline. (Not a date or an issue: `Wie die
/// Woche so war: 03/2017` is a blog's headline.)
fn amount_field(line: &str) -> bool {
    line.rsplit_once(": ").is_some_and(|(label, value)| {
        let value = value.trim();
        // (a price may open with its sign: `£224,800`)
        !label.trim().is_empty()
            && value
                .trim_start_matches(['€', '$', '£'])
                .starts_with(|c: char| c.is_ascii_digit())
            && value
                .chars()
                .all(|c| c.is_ascii_digit() || " .,%€$£–-".contains(c))
    })
}

/// Whether line `n` is a field of a record among others: it and the
/// nearest non-empty lines above and below it are each a label of up to
/// three words and its value (a rota, `Welcomers: Sue Ellery` / `First
/// Reading: Tom Mbatha` / `Second Reading: Priya Desai`).
fn field_among_fields(ctx: &Ctx<'_>, n: usize) -> bool {
    let field = crate::text::short_field;
    let filled = |k: &usize| !ctx.trimmed_line(*k).is_empty();
    field(ctx.trimmed_line(n))
        && (0..n)
            .rev()
            .find(filled)
            .is_some_and(|k| field(ctx.trimmed_line(k)))
        && (n + 1..ctx.lines.count())
            .find(filled)
            .is_some_and(|k| field(ctx.trimmed_line(k)))
}

/// Longest marker line, in bytes: a header with bullets and a short topic
/// ("**Das könnte Sie auch interessieren: Energie und Klima**") fits.
const MAX_MARKER_BYTES: usize = 200;

/// The most words of a headline that ends in a full stop.
const MAX_SENTENCE_TITLE_WORDS: usize = 12;

pub struct AfterMarker {
    rule: Arc<Rule>,
    /// The marker line and the generic header line, compiled on first use.
    /// (They stay without a literal prefilter: the headers' words are
    /// common ones, so most short lines would pass the test and pay twice.)
    marker: LazyLine,
    generic: Option<LazyLine>,
    generic_unless: Option<LazyLine>,
    opts: Options,
    /// The option `field_labels` in lower case (taken out of `opts`),
    /// compared without case as `missing-space` compares abbreviations.
    field_labels: HashSet<String>,
}

impl AfterMarker {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let Some(pattern) = rule.pattern.as_deref() else {
            return Err(CompileError::new(
                super::Field::Check,
                "`after-marker` needs a `pattern` (the marker line)",
            ));
        };
        let mut opts: Options = options(rule)?;
        let field_labels = std::mem::take(&mut opts.field_labels)
            .iter()
            .map(|l| l.to_lowercase())
            .collect();
        // Built-in patterns compile in the test suite; a user's here, so
        // that an error points at their file.
        if !rule.origin.builtin {
            compile_line_pattern(pattern)?;
            for g in opts.generic.iter().chain(&opts.generic_unless) {
                compile_line_pattern(g)?;
            }
        }
        Ok(AfterMarker {
            rule: rule.clone(),
            marker: LazyLine::new(pattern.to_string()),
            generic: opts.generic.clone().map(LazyLine::new),
            generic_unless: opts.generic_unless.clone().map(LazyLine::new),
            opts,
            field_labels,
        })
    }

    fn headline_like(&self, line: &str) -> bool {
        let core = line.trim_end_matches(|c: char| {
            matches!(
                c,
                '“' | '”' | '"' | '\'' | '’' | '«' | '»' | ')' | ']' | '*' | '_'
            ) || c.is_whitespace()
        });
        let Some(last) = core.chars().next_back() else {
            return false;
        };
        // A question is a headline as often as not ("Was bedeutet das für
        // Mieter?"); a full stop, a colon or a comma ends a sentence or
        // opens one.
        // (nor is a list of terms between semicolons: `Masel, Massel;
        // Tohuwabohu; Malheur` under a dictionary entry's `Siehe auch`)
        !matches!(last, '.' | '!' | ':' | ';' | ',' | '…')
            && line.matches("; ").nth(1).is_none()
            && self.item_like(line, words(line))
    }

    /// A title written as one short sentence with its full stop or
    /// exclamation mark: at most [`MAX_SENTENCE_TITLE_WORDS`] words, no
    /// sentence end inside, and a capital first letter.
    fn short_sentence(&self, line: &str, words: usize) -> bool {
        let core = line.trim_end_matches(['.', '!', ' ']);
        core.len() < line.len()
            && !line.ends_with("..")
            && words <= MAX_SENTENCE_TITLE_WORDS
            && !core.contains(". ")
            && !core.contains("! ")
            && !core.contains(": ")
            && line.chars().next().is_some_and(char::is_uppercase)
            && self.item_like(line, words)
    }

    /// A line short enough for a link, with enough words, and no metadata
    /// field: what every headline is, whatever its last character.
    fn item_like(&self, line: &str, words: usize) -> bool {
        if amount_field(line) {
            return false;
        }
        if let Some((label, value)) = line.split_once(':') {
            let label = label.trim_start_matches(['*', '_', '-', '•', ' ']).trim();
            if self.field_labels.contains(&label.to_lowercase()) {
                return false;
            }
            // A field whose value is an amount (`Preisgeld: 1000 Franken`,
            // `Dauer: 90 Minuten`): the article's data, not a headline.
            let value = value.trim();
            if !label.is_empty()
                && label.chars().all(char::is_alphabetic)
                && value.starts_with(|c: char| c.is_ascii_digit())
                && value.split_whitespace().count() <= 2
            {
                return false;
            }
        }
        words >= self.opts.min_words
            && line.chars().take(self.opts.max_chars + 1).count() <= self.opts.max_chars
    }

    /// How many lines from line `i` on (blank lines aside, at most
    /// `max_lines`) are headlines: either headline-like lines, or items of
    /// a bulleted list (two or more lines opening with the same bullet,
    /// `▶ `, `• `, `> `, `– `), which are links whatever their last
    /// character. Stops at a line that is neither, at a line whose bullet
    /// (or lack of one) is not that of the first headline and that is not
    /// indented deeper, or at another marker.
    ///
    /// The second value says whether the last of them is rather the
    /// article's own heading over the paragraph where the block ends (see
    /// [`shares_content_word`]): it counts for the header, but the fix
    /// leaves it.
    fn block(
        &self,
        ctx: &Ctx<'_>,
        mut i: usize,
        generic: bool,
    ) -> (Vec<std::ops::Range<usize>>, bool) {
        let text = ctx.text;
        let count = ctx.lines.count();
        let mut out = Vec::new();
        // The bullet of the list being read, once two items share it.
        let mut list: Option<char> = None;
        // The bullet of the first headline (or none) and its indent: a list
        // keeps its style, so a line with another bullet, or a bulleted
        // line under plain ones, is where the article goes on, unless it is
        // indented deeper (an item of a nested list).
        let mut style: Option<(Option<char>, usize)> = None;
        // The line that ended the block, when the article goes on there.
        let mut resumes: Option<&str> = None;
        // Where in `out` lines that read as one short sentence stand.
        let mut sentences: Vec<usize> = Vec::new();
        // The line number of the last line taken, and its indent.
        let mut last_taken: Option<usize> = None;
        let mut last_indent = 0;
        while i < count && out.len() < self.opts.max_lines {
            let whole = ctx.lines.content(text, i);
            let span = trim_range(text, whole.clone());
            let line = &text[span.clone()];
            let indent = span.start - whole.start;
            i += 1;
            if line.is_empty() {
                continue;
            }
            // A line in small letters right under a taken one that ends
            // mid-sentence goes on with it: the lines are a paragraph
            // wrapped at a fixed width, not headlines (`… the experience
            // that` / `made me book the trip …`).
            // (A wrap width's line: fifty characters or more, no bullets,
            // and a plain word next: not `… den ersten Kommentar` / `neuer
            // Kommentar`, a button.) The paragraph's first line, taken
            // before, is left out; the headlines above it stay.
            let wrapped = |prev: &std::ops::Range<usize>| {
                let prev = &text[prev.clone()];
                bullet(prev).is_none()
                    && prev.chars().count() >= 50
                    && prev.ends_with(|c: char| c.is_alphanumeric() || c == ',')
            };
            // (The next line a piece of the sentence too, of four words or
            // more at the same indent: not `weiterlesen →`, a link, or
            // `\t\tvar isVueModule = false;`, a script.)
            let first_word = line.split_whitespace().next().unwrap_or("");
            if first_word.chars().count() >= 2
                && first_word.chars().all(char::is_lowercase)
                && bullet(line).is_none()
                && words(line) >= 4
                && last_taken == Some(i - 2)
                && last_indent == indent
                && out.last().is_some_and(wrapped)
            {
                out.pop();
                sentences.retain(|&k| k < out.len());
                resumes = Some(line);
                break;
            }
            if line.len() <= MAX_MARKER_BYTES && self.marker.is_match(line) {
                break;
            }
            // Under a header in other words, a line that opens with a
            // clock time is an entry of a schedule (`2:00 p.m. ET – Fed
            // rate decision` under `What to watch tomorrow`), not a
            // headline.
            if generic && crate::text::starts_with_clock(line) {
                resumes = Some(line);
                break;
            }
            let mark = bullet(line);
            let lead = lead(line);
            // A table row is no headline, and a style change ends the list.
            if lead == Some('|') || style.is_some_and(|(first, at)| first != lead && indent <= at) {
                resumes = Some(line);
                break;
            }
            if list.is_none()
                && let Some(b) = mark
                && next_line(ctx, i).and_then(bullet) == Some(b)
            {
                list = Some(b);
            }
            let n = words(line);
            // (an item that gives a label and a sentence longer than a
            // title, with its full stop, is a point of the article: `-
            // Under 18 months: Avoid screen use other than video chatting
            // …`; a headline cut short ends with `...`)
            let sentence = n > MAX_SENTENCE_TITLE_WORDS
                && line.ends_with('.')
                && !line.ends_with("..")
                && line.find(": ").is_some_and(|at| at < 40);
            let item = list.is_some()
                && mark == list
                && n >= MIN_ITEM_WORDS
                && !sentence
                && self.item_like(line, n);
            if !item && !self.headline_like(line) {
                if !self.short_sentence(line, n) {
                    resumes = Some(line);
                    break;
                }
                sentences.push(out.len());
            }
            style.get_or_insert((lead, indent));
            out.push(span);
            last_taken = Some(i - 1);
            last_indent = indent;
        }
        // Titles that end in a full stop (`Japan is a safe country.`) are
        // headlines among others, but not at the end of the block, where
        // the article may go on with a short sentence; and a run of them
        // is the article's own text (steps, a list of facts): the block
        // ends at the first unless most of its lines are headlines.
        let mut end = out.len();
        while let Some(&last) = sentences.last()
            && last + 1 == end
        {
            sentences.pop();
            end = last;
        }
        if sentences.len() * 2 > end {
            end = sentences[0];
        }
        if end < out.len() {
            resumes = Some(&text[out[end].clone()]);
            out.truncate(end);
        }
        // The article's own heading over the paragraph where it goes on
        // (`Shell jumpers` / `Those are commandline tools that can be used
        // from a shell`) looks like one more headline; headlines of other
        // articles rarely share a word with that paragraph.
        // (Also when it is the only one: a fix that took the headlines
        // above it must not take it on the next pass.) A paragraph with a
        // headline after it is the teaser of the headline above it.
        // That holds only for a lone headline (or a kicker and its
        // headline): under a run of headlines without teasers, a headline,
        // a paragraph and a headline are the article's own sections
        // (questions and answers, a heading per part).
        let teaser = || out.len() <= 2 && next_line(ctx, i).is_some_and(|l| self.headline_like(l));
        let heading = resumes.zip(out.last()).is_some_and(|(next, last)| {
            let last = &text[last.clone()];
            // An item of a bulleted list is a link, not a heading.
            bullet(last).is_none() && prose(next) && shares_content_word(last, next) && !teaser()
        });
        (out, heading)
    }
}

/// The first non-blank line from line `i` on, trimmed.
fn next_line<'a>(ctx: &Ctx<'a>, i: usize) -> Option<&'a str> {
    (i..ctx.lines.count())
        .map(|j| trim_range(ctx.text, ctx.lines.content(ctx.text, j)))
        .find(|r| !r.is_empty())
        .map(|r| &ctx.text[r])
}

/// Letters of a word that [`shares_content_word`] compares: enough to
/// meet inflected forms (`Finanzierung`, `Finanzierungen`).
const STEM_CHARS: usize = 5;

/// Long words frequent in any text, which say nothing of its topic.
const COMMON_WORDS: [&str; 24] = [
    "werden", "wurden", "worden", "zwischen", "nachdem", "während", "seinen", "seiner", "ihren",
    "ihrer", "unsere", "unseren", "because", "between", "through", "before", "their", "there",
    "which", "would", "about", "after", "these", "those",
];

/// Whether `a` and `b` share a word of six letters or more (by its first
/// [`STEM_CHARS`] letters, in small letters), common words aside.
fn shares_content_word(a: &str, b: &str) -> bool {
    fn stems(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 6)
            .map(str::to_lowercase)
            .filter(|w| !COMMON_WORDS.contains(&w.as_str()))
            .map(|w| w.chars().take(STEM_CHARS).collect())
            .collect()
    }
    let of_a = stems(a);
    !of_a.is_empty() && stems(b).iter().any(|w| of_a.contains(w))
}

/// Whether `line` reads as a paragraph: twenty words or more (the teaser
/// under another article's headline is shorter), neither a list item nor
/// a link.
fn prose(line: &str) -> bool {
    bullet(line).is_none() && !line.starts_with('[') && !line.contains("](") && words(line) >= 20
}

/// The words of `line` that hold a letter.
fn words(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

/// What a line opens with, for the style of a list: its bullet, a table's
/// `|`, an arrow such as `=>` (`⇒`), or the number of a numbered item
/// (`2. `, `3) `: `#`).
fn lead(line: &str) -> Option<char> {
    if let Some(b) = bullet(line) {
        return Some(b);
    }
    let bytes = line.as_bytes();
    if bytes.first() == Some(&b'|') {
        return Some('|');
    }
    if ["=>", "->", ">>"].iter().any(|a| line.starts_with(a)) {
        return Some('⇒');
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    ((1..=3).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes.get(digits + 1) == Some(&b' '))
    .then_some('#')
}

/// The bullet a list item opens with: one of `▶ ► ▸ • · > – — - → » * + ○ ■ ▪`
/// followed by a space.
fn bullet(line: &str) -> Option<char> {
    let mut chars = line.chars();
    let b = chars.next()?;
    (matches!(
        b,
        '▶' | '►'
            | '▸'
            | '•'
            | '·'
            | '>'
            | '–'
            | '—'
            | '-'
            | '→'
            | '»'
            | '*'
            | '+'
            | '○'
            | '■'
            | '▪'
    ) && chars.next().is_some_and(char::is_whitespace))
    .then_some(b)
}

impl Check for AfterMarker {
    fn fixes(&self) -> Option<Applicability> {
        self.rule.fix_applicability()
    }

    fn patterns(&self) -> Vec<String> {
        vec![format!("^[ \\t]*(?:{})[ \\t]*$", self.marker.as_str())]
    }

    /// The literals every header contains (derived from the patterns): the
    /// linter's literal scan names the lines that may be headers, and only
    /// those meet the two regexes.
    fn line_literals(&self) -> Option<(Arc<str>, Vec<String>)> {
        let mut literals = crate::rules::derived_requires(self.marker.as_str())?;
        if let Some(generic) = &self.generic {
            literals.extend(crate::rules::derived_requires(generic.as_str())?);
        }
        Some((self.rule.id.clone(), literals))
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let text = ctx.text;
        let count = ctx.lines.count();
        let candidates = ctx.literals.lines_of(&self.rule.id, count);
        let mut i = 0;
        for line in candidates {
            // Lines a block already took are not headers.
            if line < i {
                continue;
            }
            i = line;
            let span = trim_range(text, ctx.lines.content(text, i));
            i += 1;
            // A marker is a short line: skip paragraphs without running the regex.
            if span.is_empty() || span.len() > MAX_MARKER_BYTES {
                continue;
            }
            let header = &text[span.clone()];
            let generic = !self.marker.is_match(header);
            // (nor an entry of a list of pairs under another: `to miss the
            // train – perder el tren` in a vocabulary list)
            if generic
                && (amount_field(header)
                    || (line > 0 && crate::text::pairs_alike(ctx.trimmed_line(line - 1), header))
                    || field_among_fields(ctx, line)
                    || !self.generic.as_ref().is_some_and(|g| g.is_match(header))
                    || self
                        .generic_unless
                        .as_ref()
                        .is_some_and(|u| u.is_match(header)))
            {
                continue;
            }
            let (mut block, heading) = self.block(ctx, i, generic);
            if generic {
                // (nor the title of the page, which its text names again:
                // `Silent Reading Night` / `Komm zu unserer Silent Reading
                // Night für Teens!`)
                let title = (0..line).all(|j| ctx.trimmed_line(j).is_empty()) && {
                    let header = header.to_lowercase();
                    block
                        .iter()
                        .any(|b| text[b.clone()].to_lowercase().contains(&header))
                };
                if block.len() < self.opts.generic_min_lines || title {
                    continue;
                }
                let mut d = self.rule.finding(text, ctx.lines, span, None);
                d.message = format!("related-articles header `{header}`");
                out.push(d);
            }
            if let Some(last) = block.last() {
                i = ctx.lines.line_of(last.start) + 1;
            }
            if heading {
                block.pop();
            }
            for span in block {
                out.push(self.rule.finding(text, ctx.lines, span, None));
            }
        }
    }
}
