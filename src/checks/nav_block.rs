//! `check = "short-line-block"`: a run of short lines that read like menu
//! entries rather than text: navigation, archive and category lists, tag
//! clouds, footer link columns. A scraper that keeps every element of a
//! page as a line leaves such runs above and below the article.
//!
//! A line counts as a menu entry when, without its list bullet, it is short
//! (`max_chars`, `max_words`), starts with a capital letter or a symbol (not
//! a digit or a lower-case letter, which start list items of real text:
//! ingredients, results, `aus Holz`), does not end like a sentence or a
//! clause (`.`, `!`, `?`, `…`, `,`, `;`, `。`), has no `key: value` colon
//! and looks like no code or table (`|`, `=`, `{`, `}`, `;`, three cells
//! between tabs). Blank lines
//! between entries do not break a run. A run of `min_lines` such lines is a
//! finding, unless prose frames it on both sides: a list between two
//! paragraphs of the article is part of the article. The last entry before
//! a paragraph is that paragraph's heading and stays out of the block.

use super::{Check, CompileError, Ctx, applicability, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use foldhash::HashSet;
use serde::Deserialize;
use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Fewest menu-like lines that make a block.
    #[serde(default = "default_min_lines")]
    min_lines: usize,
    /// Longest entry, in characters, without its bullet.
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// Most words in an entry.
    #[serde(default = "default_max_words")]
    max_words: usize,
    /// Non-empty lines looked at on each side for framing prose.
    #[serde(default = "default_context_lines")]
    context_lines: usize,
    /// Shortest line, in characters, that counts as prose.
    #[serde(default = "default_prose_chars")]
    prose_chars: usize,
    /// ... or fewest words.
    #[serde(default = "default_prose_words")]
    prose_words: usize,
    /// Fewest words of a line ending with a colon right above the block
    /// that make it a sentence introducing the list.
    #[serde(default = "default_intro_words")]
    intro_words: usize,
    /// Words that open an entry of a schedule (weekdays: `Montag`,
    /// `Monday`), compared in lower case.
    #[serde(default)]
    schedule_words: Vec<String>,
    /// Units after a number that make an entry a quantity (`39km`, `315
    /// Minuten`, `5x`), compared in lower case; a currency sign before or
    /// after a number does too (`£8.00`, `12,50 €`).
    #[serde(default)]
    units: Vec<String>,
    /// Fewest schedule or quantity entries that make a block the article's
    /// own data (a meal plan, a menu with prices, a training log), not a
    /// menu of the site. 0: no such test.
    #[serde(default)]
    data_entries: usize,
    /// Given names (`peter`, `sabine`, `jean`), compared in lower case: an
    /// entry that holds one before a capitalised word names a person, and
    /// a run that is half people (each another) is a roll call, a cast or
    /// a team, not a menu.
    #[serde(default)]
    given_names: Vec<String>,
    /// Headings of a review's lists (`pros`, `cons`, `vorteile`), compared
    /// in lower case without a colon: such a heading starts a block of
    /// its own, and the entries under it are the article's list.
    #[serde(default)]
    list_headings: Vec<String>,
}

fn default_min_lines() -> usize {
    5
}
fn default_max_chars() -> usize {
    50
}
fn default_max_words() -> usize {
    5
}
fn default_context_lines() -> usize {
    2
}
fn default_prose_chars() -> usize {
    80
}
fn default_prose_words() -> usize {
    10
}
fn default_intro_words() -> usize {
    6
}

pub struct ShortLineBlock {
    rule: Arc<Rule>,
    opts: Options,
    /// `opts.given_names`, lower case, for lookups.
    given_names: HashSet<String>,
    /// `opts.list_headings`, lower case.
    list_headings: Vec<String>,
    /// The longest of `list_headings` in bytes.
    list_heading_len: usize,
    /// `opts.schedule_words` and `opts.units` as written, for lookups
    /// (every number of every entry of a block asks for its unit).
    schedule_words: HashSet<String>,
    units: HashSet<String>,
    applicability: Applicability,
}

impl ShortLineBlock {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        if opts.prose_words == 0 {
            return Err(CompileError::new(
                super::Field::Options,
                "options.prose_words must be at least 1",
            ));
        }
        if opts.min_lines < 2 {
            return Err(CompileError::new(
                super::Field::Options,
                "options.min_lines must be at least 2",
            ));
        }
        let given_names = opts.given_names.iter().map(|n| n.to_lowercase()).collect();
        let list_headings: Vec<String> = opts
            .list_headings
            .iter()
            .map(|n| n.to_lowercase())
            .collect();
        let list_heading_len = list_headings.iter().map(String::len).max().unwrap_or(0);
        let schedule_words = opts.schedule_words.iter().cloned().collect();
        let units = opts.units.iter().cloned().collect();
        Ok(ShortLineBlock {
            schedule_words,
            units,
            rule: rule.clone(),
            opts,
            given_names,
            list_headings,
            list_heading_len,
            applicability: applicability(rule, Applicability::Unsafe),
        })
    }

    /// Whether the trimmed line `line` reads like a menu entry.
    fn entry_like(&self, line: &str) -> bool {
        let entry = strip_bullets(line);
        // A line that is one Markdown link (`* [Politik](/politik/)`) is a
        // link list entry, however long its title.
        if link_text(entry).is_some() {
            return true;
        }
        let Some(first) = entry.chars().next() else {
            return true; // a bare bullet: an entry whose link text was an image
        };
        let last = entry.chars().next_back().unwrap_or(first);
        // (`§ 5 Mitgliedsbeitrag`: a section of a statute, numbered; not
        // `§41 EnWG`, a link to a law in a footer)
        let section = entry
            .strip_prefix("§ ")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            || roman_ordinal(entry);
        // The cheap tests first: most short lines of text end like a sentence.
        if first.is_ascii_digit()
            || section
            || first.is_lowercase()
            || matches!(last, '.' | '!' | '?' | '…' | ',' | ';' | '。' | '！' | '？')
            || entry.chars().take(self.opts.max_chars + 1).count() > self.opts.max_chars
            || entry.split_whitespace().count() > self.opts.max_words
            || entry.contains(['|', '=', '{', '}', ';'])
            || table_cells(entry).is_some()
        {
            return false;
        }
        let colon_inside = entry
            .char_indices()
            .any(|(i, c)| c == ':' && i + 1 < entry.len());
        !colon_inside
    }

    /// Whether `line` (trimmed) is one of `list_headings` (`Pros`,
    /// `Nachteile:`), the heading of a review's list.
    fn list_heading(&self, line: &str) -> bool {
        // (the cheap test first: a heading is short, though it may carry
        // a Markdown heading's marks, `## Vorteile`)
        if line.len() > self.list_heading_len + 8 {
            return false;
        }
        let entry = line.trim_start_matches('#').trim_start();
        let entry = entry.strip_suffix(':').unwrap_or(entry).trim_end();
        // (headings are compared byte for byte but for ASCII case:
        // `Stärken` is `stärken`, with no allocation for the many lines
        // of other lengths)
        self.list_headings
            .iter()
            .any(|h| h.len() == entry.len() && h.eq_ignore_ascii_case(entry))
    }

    /// Whether `entry` opens with a word of `schedule_words` (the letters
    /// at its start, lower-cased).
    fn schedule_word(&self, entry: &str) -> bool {
        let end = entry
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(entry.len(), |(i, _)| i);
        let word = &entry[..end];
        if word.is_empty() {
            return false;
        }
        // Most words are ASCII: lower-cased on the stack, no allocation.
        let mut buf = [0u8; 32];
        if word.is_ascii() && word.len() <= buf.len() {
            let buf = &mut buf[..word.len()];
            buf.copy_from_slice(word.as_bytes());
            buf.make_ascii_lowercase();
            let lower = std::str::from_utf8(buf).unwrap_or_default();
            return self.schedule_words.contains(lower);
        }
        let lower: String = word.chars().flat_map(char::to_lowercase).collect();
        self.schedule_words.contains(&lower)
    }

    /// Whether the entry `line` (trimmed, with its bullets) is a line of
    /// data: it opens with one of `schedule_words` or holds a quantity, a
    /// number with one of `units` or a currency sign.
    fn data_entry(&self, line: &str) -> bool {
        let entry = strip_bullets(line);
        let entry = link_text(entry).unwrap_or(entry);
        if self.schedule_word(entry) {
            return true;
        }
        // A player's figures after the initial of a given name (`R. Patel
        // 104`, `S. Kerr 31 not out`, a batter's runs): an initial, a
        // surname and a number of its own, which no menu entry holds.
        if initial_and_surname(entry)
            && entry
                .split_whitespace()
                .skip(2)
                .any(|t| t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit()))
        {
            return true;
        }
        // A result (`Aliquippa 35, Beaver Area 7`, `Kiel 2, Rostock 1`):
        // two sides, each ending in its score.
        if let Some((home, away)) = entry.split_once(", ")
            && [home, away].iter().all(|side| {
                side.rsplit_once(' ').is_some_and(|(name, score)| {
                    name.chars().any(char::is_alphabetic)
                        && !score.is_empty()
                        && score.len() <= 3
                        && score.bytes().all(|b| b.is_ascii_digit())
                })
            })
        {
            return true;
        }
        // A result with its score between the sides (`Hallow Cross 0–2
        // Kingsbarrow Town`): a word, a score of two small numbers, a word.
        let mut tokens = entry.split(' ');
        if tokens
            .next()
            .is_some_and(|t| t.chars().any(char::is_alphabetic))
        {
            let mut before = None;
            for token in tokens {
                if before.is_some_and(score) && token.starts_with(char::is_alphabetic) {
                    return true;
                }
                before = Some(token);
            }
        }
        // A pairing and its score (`Raman – Becker ½–½`, `Kiel - Rostock
        // 2:1`): two sides, then a score of two small numbers.
        if two_parts(entry) && entry.rsplit_once(' ').is_some_and(|(_, last)| score(last)) {
            return true;
        }
        // A player's figures (`O. Ellery 10-1-48-2`, a bowler's overs,
        // maidens, runs and wickets; `Kowalski 7/2/1`): three small numbers
        // or more joined by one dash or slash end the entry.
        if entry
            .rsplit_once(' ')
            .is_some_and(|(_, last)| figures(last))
        {
            return true;
        }
        // A work's maker and year (`Thomas Renwick & Son, 1872`, a label
        // in a museum; `Tidewater, 2019`): a name, a comma and a year end
        // the entry; not a date's day (`Mar 23, 2022`).
        if entry.rsplit_once(", ").is_some_and(|(name, year)| {
            name.ends_with(char::is_alphabetic)
                && year.len() == 4
                && year.bytes().all(|b| b.is_ascii_digit())
                && matches!(year.as_bytes()[0], b'1' | b'2')
        }) {
            return true;
        }
        // A note in parentheses that lists (`Talia (Cara Bamford, UK)`,
        // `Potatoes (3 white, 3 sweet)`): a credit or an amount, which a
        // menu entry does not carry.
        if entry
            .split_once('(')
            .and_then(|(_, note)| note.split_once(')'))
            .is_some_and(|(note, _)| note.contains(", "))
        {
            return true;
        }
        let mut rest = entry;
        while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
            let before = rest[..at].trim_end();
            let digits = rest[at..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .map_or(rest.len(), |n| at + n);
            let after = rest[digits..].trim_start();
            // a number of its own, not part of a word or code (`37iUy2g`)
            let alone = !rest[..at].ends_with(char::is_alphanumeric);
            if alone && (before.ends_with(CURRENCY) || after.starts_with(CURRENCY)) {
                return true;
            }
            if alone && self.unit_len(after).is_some() {
                return true;
            }
            rest = &rest[digits..];
        }
        false
    }

    /// Whether the entry `line` (trimmed, with its bullets) opens with an
    /// amount of a thing: a number, one of `units` and a word after it
    /// (`250ml Öl`, `2 cups flour`; not `24 Stunden`, a menu's label).
    fn amount_of_a_thing(&self, line: &str) -> bool {
        let entry = strip_bullets(line);
        let number = entry
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(entry.len());
        if number == 0 {
            return false;
        }
        let rest = entry[number..].trim_start();
        self.unit_len(rest).is_some_and(|unit_len| {
            rest[unit_len..]
                .split_whitespace()
                .next()
                .is_some_and(|w| w.starts_with(char::is_alphabetic))
        })
    }

    /// The first person the entry `line` names: a word of `given_names`
    /// (capitalised) and the capitalised word after it (`Gemeindevertreter
    /// Peter Braunshausen` → `Peter`, `Braunshausen`).
    fn person<'a>(&self, line: &'a str) -> Option<(&'a str, &'a str)> {
        let mut words = strip_bullets(line).split_whitespace().peekable();
        while let Some(word) = words.next() {
            let given = word.trim_matches(|c: char| !c.is_alphanumeric());
            let Some(next) = words.peek() else {
                break;
            };
            let surname = next.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            if given.starts_with(char::is_uppercase)
                && surname.starts_with(char::is_uppercase)
                && self.given_names.contains(&given.to_lowercase())
            {
                return Some((given, surname));
            }
        }
        None
    }

    /// The length of the word of `units` that `after` (the text right
    /// after a number) opens with, if it opens with one.
    fn unit_len(&self, after: &str) -> Option<usize> {
        let len = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        (len > 0 && self.units.contains(&after[..len].to_lowercase())).then_some(len)
    }

    /// Whether `line` reads like a sentence of running text: it ends like
    /// one and is long (`prose_chars`) or has many words (`prose_words`).
    fn prose(&self, line: &str) -> bool {
        let ends_like_text =
            line.ends_with(['.', '!', '?', '…', ':', '"', '“', '”', '»', '«', ')']);
        ends_like_text
            && (line.chars().take(self.opts.prose_chars).count() >= self.opts.prose_chars
                || crate::text::has_words(line, self.opts.prose_words))
    }

    /// Whether prose lies within `context_lines` non-empty lines on both
    /// sides of the block `first..=last` (line numbers). A sentence ending
    /// with a colon right above introduces the block (`… the following
    /// universities:`), and a `labelled` block (its first entry a label
    /// ending with a colon, `Zutaten:`) needs prose after it only.
    fn framed(&self, ctx: &Ctx<'_>, first: usize, last: usize, labelled: bool) -> bool {
        let line = |i: usize| ctx.trimmed_line(i);
        let mut before = (0..first)
            .rev()
            .map(line)
            .filter(|l| !l.is_empty())
            .take(self.opts.context_lines)
            .peekable();
        if before
            .peek()
            .is_some_and(|l| l.ends_with(':') && self.prose(l))
        {
            return true;
        }
        // A shorter sentence that introduces a short list continues prose
        // above it (`Positions will be filled in the following duty
        // locations:`); not a header (`Mehr zum Thema:`) or a form's
        // prompt under one (`Wenn du ein Mensch bist, lasse das Feld
        // leer:`), nor the prompt of a cookie dialog that runs on into
        // the site's menu.
        let mut above = (0..first).rev().map(line).filter(|l| !l.is_empty());
        if last - first < 4 * self.opts.min_lines
            && above.next().is_some_and(|l| {
                l.ends_with(':') && crate::text::has_words(l, self.opts.intro_words)
            })
            && above.next().is_some_and(|l| self.prose(l))
        {
            return true;
        }
        let before = before.any(|l| self.prose(l));
        // The list goes on past the block in items of its bullet that open
        // with a number (`Material:` / `- Schere` / … / `- 1 Stück feste
        // Pappe`): the prose after those frames it.
        let bullet = bullet_of(line(last));
        let mut after = (last + 1..ctx.lines.count())
            .map(line)
            .filter(|l| !l.is_empty())
            .skip_while(|l| {
                !bullet.is_empty()
                    && bullet_of(l) == bullet
                    && strip_bullets(l).starts_with(|c: char| c.is_ascii_digit())
            })
            .take(self.opts.context_lines)
            .peekable();
        // A table right under the block is the article's, as prose is
        // (`The contenders` / four models / `Model | Price | Warm-up`).
        let table = after
            .peek()
            .and_then(|l| table_cells(l).filter(|_| header_of_words(l)))
            .is_some_and(|cells| {
                (last + 1..ctx.lines.count())
                    .map(line)
                    .filter(|l| !l.is_empty())
                    .nth(1)
                    .is_some_and(|l| table_cells(l) == Some(cells))
            });
        let after = table
            || after.any(|l| self.prose(l))
            || (before && labelled && {
                // A list in sections, each under its label (`Sow outdoors:` /
                // `Beetroot` / … / `Sow indoors or in a greenhouse:` /
                // `Tomatoes` / …), prose above the first label: the prose
                // after the last section frames them all. Not a row of link
                // lists (`Mehr zum Thema:` / `[…](…)`).
                let link = crate::text::holds_link;
                let mut rest = (last + 1..ctx.lines.count())
                    .map(line)
                    .filter(|l| !l.is_empty())
                    .take(30);
                !(first..=last).any(|i| link(line(i)))
                    && rest.next().is_some_and(|l| l.ends_with(':') && !link(l))
                    && rest
                        .find(|l| link(l) || self.prose(l))
                        .is_some_and(|l| !link(l))
            });
        (before || labelled) && after
    }

    /// Whether the block `first..=last` (line numbers) lies in a record of
    /// labels and values, one to a line (`Material` / `Kunststoff` /
    /// `Größe` / `ca. 27 x 27 cm`, a museum object's or a house's
    /// particulars): the short lines around it, up to prose on either
    /// side, alternate between five labels or more (one to three words, no
    /// digit, each a different one) and values, of which half or more read
    /// as no label and a third or more hold a number. A menu's entries are
    /// all alike; a list of posts that alternates titles and dates repeats
    /// its labels or has long titles. A heading above the record, or one
    /// below it, may break the rhythm. The block itself ends, on one side
    /// at least, at a value with a number in it, which is no menu entry.
    fn label_value_record(&self, ctx: &Ctx<'_>, first: usize, last: usize) -> bool {
        // Lines looked at on each side of the block.
        const REACH: usize = 40;
        // (a run of forty fields or more is no record a menu hides in)
        if last - first > 2 * REACH {
            return false;
        }
        let filled = |i: &usize| !ctx.trimmed_line(*i).is_empty();
        let not_prose = |i: &usize| !self.prose(ctx.trimmed_line(*i));
        let digit = |l: &str| l.contains(|c: char| c.is_ascii_digit());
        // A record's block ends at a value with a number in it, on one
        // side at least (`about 1760`, `£325,000`): the cheap test first.
        let cut_by_number =
            |i: Option<usize>| i.is_some_and(|i| not_prose(&i) && digit(ctx.trimmed_line(i)));
        if !cut_by_number((0..first).rev().find(filled))
            && !cut_by_number((last + 1..ctx.lines.count()).find(filled))
        {
            return false;
        }
        let mut region: Vec<&str> = (0..first)
            .rev()
            .filter(filled)
            .take_while(not_prose)
            .take(REACH)
            .map(|i| strip_bullets(ctx.trimmed_line(i)))
            .collect();
        region.reverse();
        region.extend(
            (first..=last)
                .filter(filled)
                .map(|i| strip_bullets(ctx.trimmed_line(i))),
        );
        region.extend(
            (last + 1..ctx.lines.count())
                .filter(filled)
                .take_while(not_prose)
                .take(REACH)
                .map(|i| strip_bullets(ctx.trimmed_line(i))),
        );
        let label = |l: &str| {
            l.starts_with(char::is_uppercase)
                && !l.ends_with(['.', '!', '?', ',', ';', '…'])
                && !digit(l)
                && !crate::text::has_words(l, 4)
        };
        // (the cheap tests first: most blocks are menus, whose labels fail
        // at once)
        let record = |lines: &[&str], phase: usize| {
            let labels = || lines.iter().skip(phase).step_by(2);
            if labels().nth(4).is_none() || !labels().all(|l| label(l)) {
                return false;
            }
            let (mut values, mut numbers, mut unlike) = (0, 0, 0);
            for v in lines.iter().skip(1 - phase).step_by(2) {
                values += 1;
                numbers += usize::from(digit(v));
                unlike += usize::from(!label(v));
            }
            let mut distinct: HashSet<String> = HashSet::default();
            numbers >= 2
                && 3 * numbers >= values
                && 2 * unlike >= values
                && labels().all(|l| distinct.insert(l.to_lowercase()))
        };
        // (two numbers at least must be there)
        if region.iter().filter(|l| digit(l)).nth(1).is_none() {
            return false;
        }
        (0..=1).any(|head| {
            (0..=1).any(|foot| {
                region.len() >= head + foot + 10
                    && (0..=1).any(|phase| record(&region[head..region.len() - foot], phase))
            })
        })
    }

    fn report<'a>(
        &self,
        ctx: &Ctx<'a>,
        block: &[(usize, Range<usize>)],
        labelled: bool,
        (quoted, postcodes): (&OnceCell<HashSet<&'a str>>, &OnceCell<bool>),
        out: &mut Vec<Diagnostic>,
    ) {
        let (Some((first, first_span)), Some((last, last_span))) = (block.first(), block.last())
        else {
            return;
        };
        if block.len() < self.opts.min_lines || self.framed(ctx, *first, *last, labelled) {
            return;
        }
        // A review's list under its heading (`Pros` / `- Bright display`).
        if self.list_heading(&ctx.text[first_span.clone()]) {
            return;
        }
        // The end of a list of quantities, whose last items have none
        // (`• 250ml Öl oder Schmalz` / `• Salz`): the line above carries
        // the block's bullet and a quantity.
        let first_line = &ctx.text[first_span.clone()];
        if let Some(above) = (0..*first)
            .rev()
            .map(|i| ctx.trimmed_line(i))
            .find(|l| !l.is_empty())
            && !bullet_of(first_line).is_empty()
            && bullet_of(above) == bullet_of(first_line)
            && self.amount_of_a_thing(above)
        {
            return;
        }
        // A meal plan, a menu with its prices, a training log: the
        // article's data, not the site's menu. (A few such lines at the
        // edge of a long block, a recipe's nutrition table above a list
        // of other recipes, leave the block a menu: a fifth of its
        // entries must be data.)
        if self.opts.data_entries > 0 {
            let data = block
                .iter()
                .filter(|(_, span)| self.data_entry(&ctx.text[span.clone()]))
                .count();
            if data >= self.opts.data_entries.max(block.len().div_ceil(5)) {
                return;
            }
        }
        // Records of a list (an award, its book, its author; a ward and
        // its results; a club's teams and their leagues, `Herren 1 -
        // Kreisliga B`; a round's fixtures, `Fenwick Albion v Castlemoor
        // Town`): a dash (or `v`, `vs`) between two parts in every entry,
        // or in every second, third or fourth and in no other.
        let dashed: Vec<bool> = block
            .iter()
            .map(|(_, span)| two_parts(&ctx.text[span.clone()]))
            .collect();
        let dashes = dashed.iter().filter(|&&d| d).count();
        // (every entry but one, a label ending with a colon aside: a
        // heading above, or a dash the author left out, `Beute
        // Bienenwohnung` in a glossary of `Weisel – Königin`)
        let labels = usize::from(labelled);
        // (and the headings of its sections: an entry after a blank line
        // that a dashed entry follows, `Wasservögel` / `Graugans – 42` …
        // `Limikolen` / `Kiebitz – 11`)
        let heads = (0..block.len())
            .filter(|&i| {
                !dashed[i]
                    && (i == 0 || block[i].0 > block[i - 1].0 + 1)
                    && dashed.get(i + 1) == Some(&true)
            })
            .count();
        if dashes >= 4 && dashes + 1 + labels + heads >= dashed.len() {
            return;
        }
        if dashes >= 2
            && (1..=4).any(|period| {
                (0..period).any(|at| {
                    dashed
                        .iter()
                        .enumerate()
                        .all(|(i, &d)| d == (i % period == at))
                })
            })
        {
            return;
        }
        // Records written as fields between commas (a jury, `Ruth
        // Abernethy, editor, Canada`; a discography, `Tidewater, 2019,
        // vinyl`): three fields or more in half the entries, which a
        // menu's entries and link titles do not hold.
        let fielded = block
            .iter()
            .filter(|(_, span)| ctx.text[span.clone()].matches(", ").nth(1).is_some())
            .count();
        if fielded >= 2 && 2 * fielded >= block.len() {
            return;
        }
        // Records of two fields (a committee, `Hannah Abernethy, Northfold
        // University`): four entries or more, all of them but one, hold a
        // comma between words.
        let paired = block
            .iter()
            .filter(|(_, span)| {
                ctx.text[span.clone()]
                    .split_once(", ")
                    .is_some_and(|(a, b)| {
                        a.ends_with(char::is_alphabetic) && b.starts_with(char::is_alphabetic)
                    })
            })
            .count();
        if paired >= 4 && paired + 1 >= block.len() {
            return;
        }
        if self.label_value_record(ctx, *first, *last) {
            return;
        }
        // A directory of addresses (a society's branches, a region's
        // practices: `Newark` / `Unit 2, Stodman Court` / `Stodman Street`
        // / `NG24 1AW`): the block holds a postal code, and two more lines
        // of the document end with one (counted once per document). A
        // site's footer gives its one address.
        if block
            .iter()
            .any(|(_, span)| ends_with_postcode(&ctx.text[span.clone()]))
            && *postcodes.get_or_init(|| {
                (0..ctx.lines.count())
                    .filter(|&i| ends_with_postcode(ctx.trimmed_line(i)))
                    .nth(2)
                    .is_some()
            })
        {
            return;
        }
        // A list the article talks about (a concert's set list under its
        // review, a book's chapters): two different entries of it stand
        // in quotation marks in its sentences (`die neuen Songs, u. a.
        // „Glasshouse“`), as a menu's entries and link titles do not.
        let quoted = quoted.get_or_init(|| quoted_strings(ctx.text));
        let mut named: HashSet<&str> = HashSet::default();
        for (_, span) in block {
            let title = title_of(&ctx.text[span.clone()]);
            if quoted.contains(title) {
                named.insert(title);
            }
        }
        if named.len() >= 2 {
            return;
        }
        // Instructions or a list of rules (`Keep your core engaged
        // throughout`, `Limited numbers in toilets`): half the entries or
        // more are phrases with three words in small letters after the
        // first, which menu entries and link titles rarely are.
        let phrases = block
            .iter()
            .filter(|(_, span)| phrase_entry(&ctx.text[span.clone()]))
            .count();
        if 2 * phrases >= block.len() {
            return;
        }
        // A roll call, a cast, a team (`Present:` / `Jean Hollis Weber` /
        // `Eric Lindsay`, `Gemeindevertreterin Petra Albrecht`): half the
        // entries or more name people, each a different one (a brand
        // named after a person, `Betty Crocker™ Frosting`, `Betty
        // Crocker™ Muffin Mixes`, names one).
        if !self.given_names.is_empty() {
            let mut people: HashSet<(&str, &str)> = HashSet::default();
            for (_, span) in block {
                if let Some(person) = self.person(&ctx.text[span.clone()]) {
                    people.insert(person);
                }
            }
            if 2 * people.len() >= block.len() {
                return;
            }
            // Records of people, a few lines each between blank lines
            // (`James Whitfield` / `County Squad Coach` / `Level 2
            // Coach`): two groups or more of two lines or more open with
            // a person, each another, and they are most such groups.
            let mut groups: Vec<&[(usize, Range<usize>)]> = Vec::new();
            let mut start = 0;
            for i in 1..=block.len() {
                if i == block.len() || block[i].0 > block[i - 1].0 + 1 {
                    if i - start >= 2 {
                        groups.push(&block[start..i]);
                    }
                    start = i;
                }
            }
            let mut heads: HashSet<(&str, &str)> = HashSet::default();
            for group in &groups {
                if let Some(person) = self.person(&ctx.text[group[0].1.clone()]) {
                    heads.insert(person);
                }
            }
            if heads.len() >= 2 && 2 * heads.len() > groups.len() {
                return;
            }
        }
        let span = first_span.start..last_span.end;
        let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
        d.message = d.message.replace("{lines}", &block.len().to_string());
        let a = ctx.lines.delete_range(ctx.text, *first);
        let b = ctx.lines.delete_range(ctx.text, *last);
        d.fix = Some(Fix::new(
            self.applicability,
            vec![Edit::delete(a.start.min(b.start)..a.end.max(b.end))],
        ));
        out.push(d);
    }
}

/// Whether `entry` holds two parts with a dash between them (` – `, ` — `,
/// ` - `), `v`, `vs`, `vs.` (a fixture) or `as` (a cast: `Aoife Brennan
/// as Nora`): one pass over its spaces.
fn two_parts(entry: &str) -> bool {
    entry.match_indices(' ').any(|(at, _)| {
        let rest = &entry[at + 1..];
        ["– ", "— ", "- ", "v ", "vs ", "vs. ", "as "]
            .iter()
            .any(|d| rest.starts_with(d))
    })
}

/// Whether `entry` opens with the initial of a given name and a surname
/// (`R. Patel`, `J.R. Holloway`).
fn initial_and_surname(entry: &str) -> bool {
    let mut words = entry.split_whitespace();
    let initials = words.next().unwrap_or("");
    let surname = words.next().unwrap_or("");
    (2..=4).contains(&initials.len())
        && initials
            .as_bytes()
            .chunks(2)
            .all(|c| c.len() == 2 && c[0].is_ascii_uppercase() && c[1] == b'.')
        && surname.starts_with(|c: char| c.is_uppercase())
        && surname
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
}

/// Whether `token` is a line of figures: three numbers or more of up to
/// three digits (one of them may have a decimal point, `9.2` overs)
/// joined by one kind of dash or slash (`10-1-48-2`, `9.2-0-41-3`,
/// `7/2/1`; not a date, `12-03-2024`, nor `24/7`).
fn figures(token: &str) -> bool {
    let Some(sep) = token.chars().find(|c| matches!(c, '-' | '–' | '/')) else {
        return false;
    };
    let mut parts = 0;
    token.split(sep).all(|part| {
        parts += 1;
        let digits = part.bytes().filter(u8::is_ascii_digit).count();
        (1..=3).contains(&digits)
            && part.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && !part.starts_with('.')
            && !part.ends_with('.')
            && part.matches('.').count() <= 1
    }) && parts >= 3
}

/// Whether `line` ends with a postal code of the kind that stands on a
/// line of an address by itself or after the town: a British one (`NG24
/// 1AW`, `DE1 2DG`, `EC1A 1BB`) or a US state and ZIP code (`IL 62704`,
/// `NY 10001-2345`). (A German one, `12345 Berlin`, opens its line with a
/// digit, which no menu entry does.)
fn ends_with_postcode(line: &str) -> bool {
    let mut words = line.trim_end().rsplit(' ');
    let (Some(last), Some(before)) = (words.next(), words.next()) else {
        return false;
    };
    let before = before.trim_start_matches(|c: char| !c.is_alphanumeric());
    let upper = |b: &u8| b.is_ascii_uppercase();
    let digit = |b: &u8| b.is_ascii_digit();
    // British: an outward code (one or two letters, a digit, maybe a
    // letter or digit) and an inward one (a digit, two letters).
    let (o, i) = (before.as_bytes(), last.as_bytes());
    let letters = o.iter().take_while(|b| upper(b)).count();
    let british = (1..=2).contains(&letters)
        && (letters + 1..=letters + 2).contains(&o.len())
        && digit(&o[letters])
        && o[letters + 1..].iter().all(|b| upper(b) || digit(b))
        && i.len() == 3
        && digit(&i[0])
        && i[1..].iter().all(upper);
    // American: a state's two letters and five digits, maybe four more.
    let (zip, plus) = last.split_once('-').unwrap_or((last, "0000"));
    let american = o.len() == 2
        && o.iter().all(upper)
        && zip.len() == 5
        && zip.bytes().all(|b| b.is_ascii_digit())
        && plus.len() == 4
        && plus.bytes().all(|b| b.is_ascii_digit());
    british || american
}

/// Whether `token` is the score of a game: two numbers of up to two
/// digits (or `½`) around one dash or colon (`1–0`, `½–½`, `2:1`, `10-8`).
fn score(token: &str) -> bool {
    let side = |s: &str| {
        let digits = s.trim_end_matches('½');
        (digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
            && (!digits.is_empty() || s == "½")
    };
    token
        .split_once(['–', '-', ':'])
        .is_some_and(|(a, b)| side(a) && side(b))
}

/// The number of cells of `line` when it is a row of a table: three
/// cells or more, between `|` or tabs.
fn table_cells(line: &str) -> Option<usize> {
    let bars = line.trim_matches('|').matches('|').count();
    let tabs = line.trim().matches('\t').count();
    let cells = bars.max(tabs) + 1;
    (cells >= 3).then_some(cells)
}

/// Whether `line` (trimmed) is the header of a Markdown table: it opens
/// and closes with `|`, and `next` is the row that divides the header
/// from the body (`|---|:---:|`).
fn markdown_table(line: &str, next: &str) -> bool {
    line.len() > 1
        && line.starts_with('|')
        && line.ends_with('|')
        && next.starts_with('|')
        && next.contains('-')
        && next.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
}

/// Whether `line`, a row of a table, is a header of words: half its cells
/// or more hold a word of three letters (`Model | Price | Warm-up`; not a
/// calendar's `M | D | M | D`).
fn header_of_words(line: &str) -> bool {
    let (mut cells, mut worded) = (0, 0);
    for cell in line.trim().trim_matches('|').split(['|', '\t']) {
        cells += 1;
        worded += usize::from(
            cell.split(|ch: char| !ch.is_alphabetic())
                .any(|w| w.chars().nth(2).is_some()),
        );
    }
    2 * worded >= cells
}

/// Whether `entry` opens with a Roman numeral and a full stop, the number
/// of a movement, a chapter or a part (`II. Adagio`, `IV. Finale`): an
/// item of the article's own list, as one that opens with a digit is.
fn roman_ordinal(entry: &str) -> bool {
    // (the numeral is the run of I, V, X and L the entry opens with: no
    // search of the whole entry for `. `, which most entries lack)
    let numeral = entry
        .bytes()
        .take(6)
        .take_while(|b| b"IVXL".contains(b))
        .count();
    (1..=5).contains(&numeral) && entry[numeral..].starts_with(". ")
}

/// The strings that stand in quotation marks in the sentences of `text`
/// (lines of eight words or more, no Markdown link among them, whose
/// titles are quoted too), of 4 to 60 bytes (`„Glasshouse“`, `“Saltwater
/// Letters,”`, without the punctuation before the closing mark): the
/// titles of works that the article names. Gathered once per document,
/// when a block first needs them, from a byte scan for the marks (`"` and
/// the lead bytes of the typographic ones; not `'`, an apostrophe as
/// often).
fn quoted_strings(text: &str) -> HashSet<&str> {
    const QUOTES: &[char] = &['„', '“', '”', '"', '»', '«', '‚', '‘', '’'];
    let bytes = text.as_bytes();
    let marks: Vec<(usize, usize)> = memchr::memchr3_iter(b'"', 0xE2, 0xC2, bytes)
        .filter_map(|at| {
            let c = text[at..].chars().next()?;
            QUOTES.contains(&c).then(|| (at, at + c.len_utf8()))
        })
        .collect();
    let mut found = HashSet::default();
    // The line last judged: its start and end, and whether it is a
    // sentence. (Marks come in order, so each line is found and judged
    // once, and the search for its start goes back no further than the
    // line before: a document of one long line stays linear.)
    let mut judged: Option<(usize, usize, bool)> = None;
    for pair in marks.windows(2) {
        let ((open, inner_start), (close, _)) = (pair[0], pair[1]);
        // (a quotation hugs its marks; the text between a closing mark
        // and the next opening one has spaces at its ends)
        let inner = &text[inner_start..close];
        if inner.len() > 60
            || inner.contains('\n')
            || inner.starts_with(char::is_whitespace)
            || inner.ends_with(char::is_whitespace)
        {
            continue;
        }
        let sentence = match judged {
            Some((_, end, sentence)) if open < end => sentence,
            _ => {
                let from = judged.map_or(0, |(_, end, _)| end);
                let start =
                    memchr::memrchr(b'\n', &bytes[from..open]).map_or(from, |i| from + i + 1);
                let end = memchr::memchr(b'\n', &bytes[open..]).map_or(text.len(), |i| open + i);
                let line = &text[start..end];
                let sentence = !line.contains("](") && crate::text::has_words(line, 8);
                judged = Some((start, end, sentence));
                sentence
            }
        };
        let inner = inner.trim_end_matches([',', '.', '!', '?']);
        if sentence && inner.len() >= 4 {
            found.insert(inner);
        }
    }
    found
}

/// The entry `line` (trimmed, with its bullets) as the article would
/// quote it: without its bullets and a note in parentheses after it
/// (`Marigold (akustisch)`).
fn title_of(line: &str) -> &str {
    let entry = strip_bullets(line);
    entry
        .rsplit_once(" (")
        .filter(|(_, note)| note.ends_with(')'))
        .map_or(entry, |(title, _)| title)
        .trim_end()
}

/// The list bullet that `line` (trimmed) opens with, if any (`- `, `• `).
fn bullet_of(line: &str) -> &str {
    &line[..line.len() - strip_bullets(line).len()]
}

/// Currency signs that make a number a price.
const CURRENCY: &[char] = &['€', '£', '$', '¥'];

/// The text of `s` when all of it is one Markdown link or image,
/// `[text](url)` or `![alt](url)`, with an optional title in the brackets.
fn link_text(s: &str) -> Option<&str> {
    let s = s.strip_prefix('!').unwrap_or(s);
    let inner = s.strip_prefix('[')?.strip_suffix(')')?;
    let (text, target) = inner.split_once("](")?;
    let plain_target = !target.contains(char::is_whitespace) || target.contains(" \"");
    (!target.contains("](") && plain_target).then_some(text)
}

/// Whether the entry `line` (trimmed, with its bullets) is a phrase: three
/// words or more after its first start with a small letter, outside
/// parentheses (`Click to print (Opens in new window)` is a button). Or
/// two do, and the last of them closes the entry as an infinitive does
/// (`-en`, `-ln`, `-rn`): an instruction in German, which writes its nouns
/// in capitals (`Schnecken frühmorgens absammeln`, `Erdbeeren mit Stroh
/// unterlegen`; a menu's `Newsletter abonnieren` has one). A link's
/// title is a headline, whose participles end so too (`Einspeisevergütung
/// gestrichen`).
fn phrase_entry(line: &str) -> bool {
    let entry = strip_bullets(line);
    let link = link_text(entry);
    let entry = link.unwrap_or(entry);
    let mut depth = 0usize;
    let mut small = 0;
    // (whether the last word so far is one in small letters, outside
    // parentheses)
    let mut small_last = None;
    for (i, word) in entry.split_whitespace().enumerate() {
        let open = depth > 0 || word.starts_with('(');
        depth = (depth + word.matches('(').count()).saturating_sub(word.matches(')').count());
        small_last = None;
        if i > 0 && !open && word.starts_with(char::is_lowercase) {
            small += 1;
            small_last = Some(word);
        }
    }
    small >= 3
        || (small == 2
            && link.is_none()
            && small_last.is_some_and(|w| {
                w.chars().all(char::is_alphabetic)
                    && ["en", "ln", "rn"].iter().any(|end| w.ends_with(end))
            }))
}

/// `line` without the list bullets and markers a converter puts in front of
/// an entry (`*`, `-`, `•`, `o`, `>`, `#`, ...).
fn strip_bullets(line: &str) -> &str {
    let mut rest = line;
    loop {
        let trimmed =
            rest.trim_start_matches(['*', '+', '-', '–', '—', '•', '·', '>', '◦', '▪', '►', '#']);
        let trimmed = trimmed.strip_prefix("o ").unwrap_or(trimmed).trim_start();
        if trimmed.len() == rest.len() {
            return rest;
        }
        rest = trimmed;
    }
}

impl Check for ShortLineBlock {
    fn fixes(&self) -> Option<Applicability> {
        Some(self.applicability)
    }

    fn placeholders(&self) -> &'static [&'static str] {
        &["lines"]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let mut block: Vec<(usize, Range<usize>)> = Vec::new();
        // The block's first entry is a label ending with a colon.
        let mut labelled = false;
        // (gathered once per document, when a block first needs them)
        let quoted = OnceCell::new();
        let postcodes = OnceCell::new();
        let long = 4 * self.opts.max_chars;
        for (n, range) in ctx.lines.lines(ctx.text) {
            // Outside a block, a long line needs no closer look (most of an
            // article's text).
            if block.is_empty() && range.len() > long + 64 {
                continue;
            }
            let span = trim_range(ctx.text, range);
            if span.is_empty() {
                continue;
            }
            // Long lines end a block without the closer look.
            let line = &ctx.text[span.clone()];
            if span.len() <= long && self.entry_like(line) {
                // A label ending with a colon (`Zutaten:`, `Kategorien:`)
                // or the heading of a review's list (`Pros`, `Nachteile`)
                // heads the entries after it: they are judged as a block
                // of their own.
                if line.ends_with(':') || self.list_heading(line) {
                    self.report(ctx, &block, labelled, (&quoted, &postcodes), out);
                    block.clear();
                    labelled = true;
                }
                block.push((n, span));
            } else {
                // A short line right before a paragraph, or a Markdown
                // table, is its heading.
                if self.prose(line)
                    || (n + 1 < ctx.lines.count() && markdown_table(line, ctx.trimmed_line(n + 1)))
                {
                    block.pop();
                }
                self.report(ctx, &block, labelled, (&quoted, &postcodes), out);
                block.clear();
                labelled = false;
            }
        }
        self.report(ctx, &block, labelled, (&quoted, &postcodes), out);
    }
}

#[cfg(test)]
mod tests {
    use super::{ends_with_postcode, figures, link_text, strip_bullets};

    #[test]
    fn lines_of_figures() {
        for token in ["10-1-48-2", "9.2-0-41-3", "7/2/1", "3–0–19–0"] {
            assert!(figures(token), "{token}");
        }
        for token in [
            "12-03-2024",
            "24/7",
            "2-1",
            "1-2-A",
            "a-b-c",
            "1..2-3-4",
            "1-2-",
        ] {
            assert!(!figures(token), "{token}");
        }
    }

    #[test]
    fn postal_codes() {
        for line in [
            "NG24 1AW",
            "Newark NG24 1AW",
            "DE1 2DG",
            "London EC1A 1BB",
            "W1 5DU",
            "Springfield, IL 62704",
            "New York, NY 10001-2345",
        ] {
            assert!(ends_with_postcode(line), "{line}");
        }
        for line in [
            "NG24",
            "Covid 19",
            "Top 10 Tips",
            "Version 2 1AB0",
            "Heft 3 2024",
            "A1 Motorway",
            "Page 12345",
            "12345 Berlin",
        ] {
            assert!(!ends_with_postcode(line), "{line}");
        }
    }

    #[test]
    fn whole_line_links() {
        assert_eq!(link_text("[Politik](/politik/)"), Some("Politik"));
        assert_eq!(
            link_text("[Sport](https://example.org/sport \"Sport\")"),
            Some("Sport")
        );
        assert_eq!(link_text("![Logo](/logo.png)"), Some("Logo"));
        assert_eq!(link_text("[a](/a) und [b](/b)"), None);
        assert_eq!(link_text("Mehr unter [hier](/x)"), None);
        assert_eq!(link_text("[kein Link]"), None);
    }

    #[test]
    fn bullets_come_off() {
        assert_eq!(strip_bullets("* Home"), "Home");
        assert_eq!(strip_bullets("  o ✂ Service"), "✂ Service");
        assert_eq!(strip_bullets("- – Politik"), "Politik");
        assert_eq!(strip_bullets("*"), "");
        assert_eq!(strip_bullets("Ortsname"), "Ortsname");
    }
}
