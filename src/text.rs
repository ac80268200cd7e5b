//! Text positions: byte offsets to lines and columns, line ranges, and the
//! small character classes the checks share. Columns count Unicode scalar
//! values, as DESIGN.md fixes for the JSON output.

use std::ops::Range;

/// Start offsets of every line of a text, for byte → line/column lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    /// The characters before each [`COLUMN_BLOCK`] of the text, counted
    /// when a column is first asked for far into a long line: counting
    /// from the line's start for every finding would be quadratic on a
    /// document of one long line.
    chars_before_block: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes between two checkpoints of [`LineIndex::chars_before_block`].
const COLUMN_BLOCK: usize = 1 << 16;

/// The characters in `bytes`, a slice of UTF-8 that may start or end
/// inside a character: its bytes that open one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
            chars_before_block: std::sync::OnceLock::new(),
        }
    }

    /// Number of lines; a final line break does not open a new line.
    pub fn count(&self) -> usize {
        if self.starts.len() > 1 && *self.starts.last().unwrap() == self.len {
            self.starts.len() - 1
        } else {
            self.starts.len()
        }
    }

    /// 0-based line holding `byte`.
    pub fn line_of(&self, byte: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= byte)
            .saturating_sub(1)
    }

    /// [`LineIndex::line_of`], looking first at line `near` and the one
    /// after it: a caller that asks for offsets in text order (the hits of
    /// a scan) finds most of them there without a search.
    pub fn line_of_near(&self, byte: usize, near: usize) -> usize {
        for line in [near, near + 1] {
            if let Some(&start) = self.starts.get(line)
                && start <= byte
                && self.starts.get(line + 1).is_none_or(|&next| byte < next)
            {
                return line;
            }
        }
        self.line_of(byte)
    }

    /// Byte offset where the line holding `byte` starts.
    pub fn line_start(&self, byte: usize) -> usize {
        self.starts[self.line_of(byte)]
    }

    /// The first and the last line (0-based) that the byte range `span`
    /// touches; an empty span touches the line it sits on.
    pub fn lines_of_span(&self, span: &Range<usize>) -> (usize, usize) {
        let first = self.line_of(span.start);
        let last = self.line_of(span.end.max(span.start + 1) - 1);
        (first, last.max(first))
    }

    /// Bytes of line `line` (0-based) without its line break (`\n` or `\r\n`).
    pub fn content(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).map_or(self.len, |&s| s - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' && end < self.len {
            end -= 1;
        }
        start..end
    }

    /// Bytes of line `line` including its line break, if it has one.
    pub fn full(&self, line: usize) -> Range<usize> {
        self.starts[line]..self.starts.get(line + 1).copied().unwrap_or(self.len)
    }

    /// 1-based line and column (in Unicode scalar values) of `byte`.
    pub fn position(&self, text: &str, byte: usize) -> (usize, usize) {
        let byte = byte.min(text.len());
        let line = self.line_of(byte);
        let mut start = self.starts[line];
        // A byte-order mark opening the text is no column (editors do not
        // show it).
        if line == 0 && byte >= 3 && text.starts_with('\u{FEFF}') {
            start = 3;
        }
        let column = match text.get(start..byte) {
            None => byte - start,
            Some(s) if s.len() < 2 * COLUMN_BLOCK => s.chars().count(),
            Some(_) => self.chars_before(text, byte) - self.chars_before(text, start),
        };
        (line + 1, column + 1)
    }

    /// The characters of `text` before byte `at`, from the checkpoints.
    fn chars_before(&self, text: &str, at: usize) -> usize {
        let bytes = text.as_bytes();
        let blocks = self.chars_before_block.get_or_init(|| {
            let mut total = 0;
            let mut counts = vec![0];
            for block in bytes.chunks(COLUMN_BLOCK) {
                total += chars_in(block);
                counts.push(total);
            }
            counts
        });
        let block = at / COLUMN_BLOCK;
        blocks[block] + chars_in(&bytes[block * COLUMN_BLOCK..at])
    }

    /// The lines of the text, each as its content range (no line break).
    pub fn lines<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, Range<usize>)> + 'a {
        (0..self.count()).map(move |i| (i, self.content(text, i)))
    }

    /// The edit range that removes line `line` cleanly: the line and its
    /// break, or, for a last line without a break, the break before it.
    pub fn delete_range(&self, text: &str, line: usize) -> Range<usize> {
        let full = self.full(line);
        let has_break = full.end > full.start && text.as_bytes()[full.end - 1] == b'\n';
        if has_break || line == 0 {
            return full;
        }
        let mut start = full.start - 1; // the '\n' ending the previous line
        if start > 0 && text.as_bytes()[start - 1] == b'\r' {
            start -= 1;
        }
        start..full.end
    }
}

impl LineIndex {
    /// The edit range that removes `span`: the span itself, or the whole
    /// line (as [`LineIndex::delete_range`]) when nothing but whitespace
    /// would be left of it, so that removing a tag or comment that stands
    /// alone on its line leaves no blank line behind.
    pub fn removal_range(&self, text: &str, span: Range<usize>) -> Range<usize> {
        let line = self.line_of(span.start);
        let content = self.content(text, line);
        let rest_blank = text[content.start..span.start.max(content.start)]
            .trim()
            .is_empty()
            && text[span.end.min(content.end)..content.end]
                .trim()
                .is_empty();
        if rest_blank && span.end <= content.end && !text[content.clone()].trim().is_empty() {
            self.delete_range(text, line)
        } else {
            span
        }
    }
}

/// Number of characters (Unicode scalar values) in `s`. The standard
/// library counts them without decoding, a word at a time (measured: the
/// byte loop this replaced was 3% of a run).
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Whether `line` is empty or white space only (`line.trim().is_empty()`).
/// A line that opens with a visible ASCII character is told by that byte,
/// without trimming: most lines are.
pub fn is_blank(line: &str) -> bool {
    !line.as_bytes().first().is_some_and(u8::is_ascii_graphic) && line.trim().is_empty()
}

/// ASCII white space, as `char::is_whitespace` has it (`\t` to `\r`, space).
#[inline]
fn ascii_space(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

/// The length of the white-space character beyond ASCII that `bytes`
/// starts with (U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000), or 0.
fn unicode_space_len(bytes: &[u8]) -> usize {
    match bytes {
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..] | [0xe3, 0x80, 0x80, ..] | [0xe2, 0x81, 0x9f, ..] => 3,
        [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] => 3,
        _ => 0,
    }
}

/// `s.split_whitespace().count()`, without decoding UTF-8. Words are
/// counted by ASCII white space first, a byte pair at a time and without a
/// branch, so that the loop vectorises (16 times as fast as decoding on
/// scraped text); then each word that holds a white-space character beyond
/// ASCII (found by its lead byte: rare but for no-break spaces) is counted
/// again as the words it splits into.
pub fn word_count(s: &str) -> usize {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let mut words = usize::from(!ascii_space(first));
    // Blocks of at most 255 pairs add up in a byte without overflow.
    for (a, b) in bytes.chunks(255).zip(bytes[1..].chunks(255)) {
        let starts: u8 = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| u8::from(ascii_space(x) & !ascii_space(y)))
            .fold(0, u8::wrapping_add);
        words += usize::from(starts);
    }
    let mut spaces: Vec<usize> = memchr::memchr3_iter(0xc2, 0xe2, 0xe3, bytes)
        .chain(memchr::memchr_iter(0xe1, bytes))
        .filter(|&i| unicode_space_len(&bytes[i..]) > 0)
        .collect();
    if spaces.is_empty() {
        return words;
    }
    spaces.sort_unstable();
    let mut done = 0; // words ending before this are counted again already
    for p in spaces {
        if p < done {
            continue;
        }
        // The word by ASCII white space around `p`, counted once above.
        let start = bytes[..p]
            .iter()
            .rposition(|&b| ascii_space(b))
            .map_or(0, |i| i + 1);
        let end = bytes[p..]
            .iter()
            .position(|&b| ascii_space(b))
            .map_or(bytes.len(), |i| p + i);
        let (mut pieces, mut piece, mut i) = (0, start, start);
        while i < end {
            match unicode_space_len(&bytes[i..]) {
                0 => i += 1,
                n => {
                    pieces += usize::from(i > piece);
                    i += n;
                    piece = i;
                }
            }
        }
        pieces += usize::from(end > piece);
        words = words + pieces - 1;
        done = end;
    }
    words
}

/// The largest char boundary of `text` at or below `at` (`at` may lie past
/// the end; the result never does).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `line` with its words one space apart and no space at either end: the
/// form in which lines are compared across documents (`learn` and the
/// corpus pass). Almost every line already is, and is borrowed as it is;
/// only irregular spacing (tabs, runs of spaces, no-break and other Unicode
/// spaces) costs a copy.
pub fn collapse_whitespace(line: &str) -> std::borrow::Cow<'_, str> {
    let line = line.trim();
    // A fold rather than `any`: without the early exit it vectorises. The
    // lead bytes 0xC2, 0xE1, 0xE2 and 0xE3 start every non-ASCII space
    // (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000); only lines with one
    // of them are looked at character by character.
    let suspect = line.bytes().fold(false, |acc, b| {
        acc | matches!(b, b'\t'..=b'\r' | 0xC2 | 0xE1 | 0xE2 | 0xE3)
    });
    let irregular =
        line.contains("  ") || (suspect && line.chars().any(|c| c.is_whitespace() && c != ' '));
    if irregular {
        std::borrow::Cow::Owned(line.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

/// Whether `line` holds a Markdown link or a URL (`[…](…)`, `://`).
pub fn holds_link(line: &str) -> bool {
    line.contains("](") || line.contains("://")
}

/// Whether `line` has at least `n` words (runs of non-space characters).
pub fn has_words(line: &str, n: usize) -> bool {
    n == 0 || line.split_whitespace().nth(n - 1).is_some()
}

/// Start of the run of letters that ends at byte `end` of `text`.
pub fn letters_start(text: &str, end: usize) -> usize {
    text[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(end, |(i, _)| i)
}

/// Letters and digits: what a word boundary separates.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `range` in `text` is not glued to word characters on either side.
pub fn on_word_boundaries(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let first = text[range.clone()].chars().next();
    let last = text[range.clone()].chars().next_back();
    // A boundary is only needed where the phrase itself starts or ends with a word character.
    let left_ok = !first.is_some_and(is_word_char) || !before.is_some_and(is_word_char);
    let right_ok = !last.is_some_and(is_word_char) || !after.is_some_and(is_word_char);
    left_ok && right_ok
}

/// A short, single-line rendering of `s` for messages: control and
/// invisible characters escaped, at most `max` characters, `…` when cut.
pub fn preview(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_invisible(c) => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Control and format characters that show nothing (or garbage) on a terminal.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// Whether `line` opens with a clock time (`17:30`, `9.15`, `| 20:00 |`)
/// and goes on after it.
pub fn starts_with_clock(line: &str) -> bool {
    let mut tokens = line
        .split(|c: char| c.is_whitespace() || c == '|')
        .filter(|t| !t.is_empty());
    tokens
        .next()
        .is_some_and(|t| t.contains([':', '.']) && is_time_slot(t))
        && tokens.next().is_some()
}

/// Whether `line` ends with a clock time after other words (`Paper Moons
/// (PG) 14:15, 17:45`, `Gottesdienst 10.30`): a row of a timetable that
/// names its times last.
pub fn ends_with_clock(line: &str) -> bool {
    let Some((rest, last)) = line.trim_end().rsplit_once(char::is_whitespace) else {
        return false;
    };
    let last = last.trim_end_matches(['.', ',', ';']);
    let Some((h, m)) = last.split_once([':', '.']) else {
        return false;
    };
    !rest.trim().is_empty()
        && (1..=2).contains(&h.len())
        && h.bytes().all(|b| b.is_ascii_digit())
        && h.parse::<u8>().is_ok_and(|h| h < 24)
        && m.len() == 2
        && m.bytes().all(|b| b.is_ascii_digit())
        && m.parse::<u8>().is_ok_and(|m| m < 60)
}

/// Whether `line` is a time slot of a schedule and nothing else (`| 8:30
/// a.m.–Noon |`, `14.00 – 15.30 Uhr`, `9h-12h`): clock times, the words
/// that go with them, dashes and table bars.
pub fn is_time_slot(line: &str) -> bool {
    const WORDS: &[&str] = &[
        "am", "pm", "a.m", "p.m", "uhr", "h", "noon", "midnight", "mittag", "mittags", "bis", "to",
        "until",
    ];
    let mut clock = false;
    let tokens = line
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '*' | '–' | '—' | '-'))
        .filter(|t| !t.is_empty());
    let mut any = false;
    for token in tokens {
        any = true;
        let token = token.trim_end_matches('.');
        let lower = token.to_ascii_lowercase();
        let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        let suffix = &lower[digits.len()..];
        let time = !digits.is_empty()
            && digits.split([':', '.']).count() <= 2
            && digits
                .split([':', '.'])
                .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            && (suffix.is_empty() || WORDS.contains(&suffix.trim_end_matches('.')));
        if time {
            clock |= digits.contains([':', '.']) || !suffix.is_empty();
        } else if !WORDS.contains(&lower.as_str()) {
            return false;
        }
    }
    any && clock
}

/// The separators of a list of pairs, term and meaning (a glossary, a
/// vocabulary list: `ticket – el billete`), spaced on both sides.
const PAIR_SEPARATORS: [&str; 7] = [" – ", " — ", " - ", " = ", " | ", " → ", "\t"];

/// The separator of [`PAIR_SEPARATORS`] that `line` holds exactly once, as
/// an entry of a list of pairs holds it (`single ticket – el billete de
/// ida`); the first such, in that order. An entry is short: a line of
/// sixteen words or more is a paragraph with a dash in it.
pub fn pair_separator(line: &str) -> Option<&'static str> {
    if has_words(line, 16) {
        return None;
    }
    PAIR_SEPARATORS
        .into_iter()
        .find(|sep| line.matches(sep).count() == 1)
}

/// Whether `a` and `b` hold the same separator of a pair once each: two
/// entries of a list of pairs, one under the other.
pub fn pairs_alike(a: &str, b: &str) -> bool {
    pair_separator(a).is_some_and(|sep| pair_separator(b) == Some(sep))
}

/// The label of a field line, `Label: value` (`Verlag: Kosmos`, `GENRE:
/// Fiction`, `Where did I get this book: the library`): one to six words
/// before the colon, no sentence punctuation in them, and a value after it.
pub fn field_label(line: &str) -> Option<(&str, &str)> {
    // (the colon within the first 41 bytes: a label has at most 40)
    let colon = line.as_bytes().iter().take(41).position(|&b| b == b':')?;
    let (label, value) = (&line[..colon], &line[colon + 1..]);
    let words = label.split_whitespace().count();
    let plain = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '&' | '\'');
    (label.len() <= 40
        && (1..=6).contains(&words)
        && label.chars().next().is_some_and(char::is_alphanumeric)
        && label.chars().all(plain)
        && value.starts_with([' ', '\t'])
        && !value.trim().is_empty())
    .then_some((label, value.trim()))
}

/// Whether `line` is a short field of a record, a label of up to three
/// words and its value (`Tuesday: 6 × 400 m at 5K pace`, `First Reading:
/// Tom Mbatha`).
pub fn short_field(line: &str) -> bool {
    field_label(line).is_some_and(|(label, _)| !has_words(label, 4))
}

/// Characters that may end a sentence.
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Whether `line` ends a sentence: its last character, after trailing
/// spaces and closing quotes or a closing parenthesis, may end one.
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '”', '“', '»', '«', '\'', '’', ')'])
        .chars()
        .next_back()
        .is_some_and(is_sentence_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line_of_near` answers as `line_of` whatever the hint: right, one
    /// short, far behind, far ahead or past the last line.
    #[test]
    fn line_of_near_answers_as_line_of() {
        for text in ["", "a", "\n", "ab\ncd\n\nef", "x\n\n\ny\n"] {
            let idx = LineIndex::new(text);
            for byte in 0..=text.len() {
                for near in 0..idx.count() + 3 {
                    assert_eq!(
                        idx.line_of_near(byte, near),
                        idx.line_of(byte),
                        "{text:?} byte {byte} near {near}"
                    );
                }
            }
        }
    }

    #[test]
    fn rows_that_end_with_a_clock_time() {
        assert!(ends_with_clock("Paper Moons (PG) 14:15, 17:45"));
        assert!(ends_with_clock("Red Harbour (15) 20:30"));
        assert!(ends_with_clock("Gottesdienst 10.30"));
        assert!(!ends_with_clock("20:30"));
        assert!(!ends_with_clock("Kapitel 3.1"));
        assert!(!ends_with_clock("Preis 12.99"));
        assert!(!ends_with_clock("Es ist 25:10"));
    }

    #[test]
    fn time_slots() {
        for slot in [
            "| 8:30 a.m.–Noon |",
            "| 1:00–4:30 p.m. |",
            "14.00 – 15.30 Uhr",
            "9h-12h",
            "10:00",
            "7pm to midnight",
        ] {
            assert!(is_time_slot(slot), "{slot}");
        }
        for not in [
            "2019",
            "| Sunday, July 20 |",
            "Registration |",
            "3 - 1",
            "12.5.2024",
            "Seite 4",
        ] {
            assert!(!is_time_slot(not), "{not}");
        }
    }

    #[test]
    fn positions_count_scalar_values() {
        let text = "äb\nc„d“e\r\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.count(), 3);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 2), (1, 2));
        let e = text.find('e').unwrap();
        assert_eq!(idx.position(text, e), (2, 5));
        assert_eq!(&text[idx.content(text, 1)], "c„d“e");
        assert_eq!(&text[idx.content(text, 2)], "last");
    }

    #[test]
    fn delete_range_handles_last_line_without_break() {
        let text = "a\nb\nc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.delete_range(text, 0), 0..2);
        assert_eq!(idx.delete_range(text, 2), 3..5);
        let text = "a\r\nb";
        let idx = LineIndex::new(text);
        assert_eq!(idx.delete_range(text, 1), 1..4);
        let text = "only";
        assert_eq!(LineIndex::new(text).delete_range(text, 0), 0..4);
    }

    #[test]
    fn removal_takes_the_line_when_nothing_else_is_on_it() {
        let text = "a\n  <!-- x -->\nb";
        let idx = LineIndex::new(text);
        let span = text.find("<!--").unwrap()..text.find("-->").unwrap() + 3;
        assert_eq!(idx.removal_range(text, span), 2..15);
        let text = "a <b> c";
        assert_eq!(LineIndex::new(text).removal_range(text, 2..5), 2..5);
    }

    #[test]
    fn trailing_newline_does_not_open_a_line() {
        assert_eq!(LineIndex::new("a\nb\n").count(), 2);
        assert_eq!(LineIndex::new("").count(), 1);
        assert_eq!(LineIndex::new("\n").count(), 1);
    }

    #[test]
    fn whitespace_collapses_like_split_whitespace() {
        for line in [
            "Teilen auf Facebook",
            "  Teilen\tauf  Facebook \r",
            "Teilen\u{A0}auf\u{2009}Facebook",
            "„Zitat“ – mit Gedankenstrich …",
            "",
            "   ",
        ] {
            let want = line.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(line), want, "{line:?}");
        }
        assert!(matches!(
            collapse_whitespace(" „Zitat“ – ja "),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn char_count_counts_scalar_values() {
        assert_eq!(char_count("aä„😀"), 4);
        assert_eq!(char_count(""), 0);
    }

    #[test]
    fn boundaries() {
        let t = "xMehr: y";
        assert!(!on_word_boundaries(t, &(1..5)));
        let t = "Mehr: y";
        assert!(on_word_boundaries(t, &(0..5)));
    }

    /// Columns far into a long line (counted from checkpoints) agree with
    /// counting the characters from the line's start.
    #[test]
    fn columns_in_a_long_line() {
        let mut text = String::from("kurz\n");
        for i in 0..40_000 {
            text.push_str(["Straße ", "x ", "€uro ", "日本 "][i % 4]);
        }
        text.push_str("\nEnde");
        let idx = LineIndex::new(&text);
        let line_start = 5;
        for byte in [6, 70_000, 131_072, 131_075, 150_001, text.len() - 5] {
            let byte = floor_char_boundary(&text, byte);
            let line = text[..byte].matches('\n').count();
            let start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
            let column = text[start..byte].chars().count() + 1;
            assert_eq!(idx.position(&text, byte), (line + 1, column), "byte {byte}");
            assert!(line != 1 || start == line_start);
        }
    }

    proptest::proptest! {
        /// Lines and columns agree with counting by hand, and every line's
        /// content and deletion range are what they say.
        #[test]
        fn line_index_agrees_with_counting(text in "[ab\u{e4}\r\n]{0,40}") {
            let idx = LineIndex::new(&text);
            for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let before = &text[..byte];
                let line = before.matches('\n').count();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let mut column = text[line_start..byte].chars().count() + 1;
                if line == 0 && text.starts_with('\u{FEFF}') && byte >= 3 {
                    column -= 1;
                }
                proptest::prop_assert_eq!(idx.line_of(byte), line);
                proptest::prop_assert_eq!(idx.position(&text, byte), (line + 1, column));
            }
            let mut joined = String::new();
            for (i, range) in idx.lines(&text) {
                let content = &text[range.clone()];
                proptest::prop_assert!(!content.contains('\n'));
                let after = &text[range.end..];
                proptest::prop_assert!(
                    after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")
                );
                // Deleting a line leaves the others, in order, whole.
                let del = idx.delete_range(&text, i);
                let mut rest = text.clone();
                rest.replace_range(del.clone(), "");
                proptest::prop_assert_eq!(rest.len(), text.len() - del.len());
                proptest::prop_assert!(del.start <= range.start && range.end <= del.end);
                joined.push_str(&text[idx.full(i)]);
            }
            proptest::prop_assert_eq!(joined, text.clone());
        }
    }

    #[test]
    fn preview_escapes_and_cuts() {
        assert_eq!(preview("a\u{200B}b\nc", 10), "a\\u{200B}b\\nc");
        assert_eq!(preview("abcdef", 3), "abc…");
    }

    proptest::proptest! {
        #[test]
        fn word_count_is_split_whitespace_count(s in "[a \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2009}\u{3000}\u{1c}\u{1680}\u{2028}\u{205f}\u{16a0}\u{3001}ßé€Â]{0,40}") {
            proptest::prop_assert_eq!(word_count(&s), s.split_whitespace().count());
        }

        #[test]
        fn is_blank_is_trim_is_empty(s in "[a \t\u{a0}\u{2009}é!]{0,6}") {
            proptest::prop_assert_eq!(is_blank(&s), s.trim().is_empty());
        }

        #[test]
        fn word_count_holds_across_its_blocks(s in "([a-z]{1,9}[ \n\u{a0}\u{202f}]{1,3}){20,200}") {
            proptest::prop_assert_eq!(word_count(&s), s.split_whitespace().count());
        }
    }
}
