//! `check = "quote-balance"`: quotation marks that do not pair up within a
//! paragraph (one line of scraped text). Option `report` picks what a rule
//! reports: `unbalanced` (an opening mark never closed, a closing mark
//! never opened) or `mismatched` (`„…'`: opened in one style, closed in
//! another).
//!
//! Whether a mark opens or closes is read from its neighbours, as Markdown
//! reads emphasis: a mark with a space before and a letter after opens, one
//! with a letter or punctuation before and a space after closes. `„` and `‚`
//! open, unless one stands in a closing place while a quotation of its kind
//! is open (`„Das ist gut„ und`: the closing mark typed with the opening
//! one); `“` closes in German text when a `„` is open. An `'` or `’`
//! between letters, or after a letter with nothing open, is an apostrophe.
//!
//! A quotation that runs over several paragraphs reopens at the start of
//! each one without closing: an opening mark left open is tolerated when the
//! next paragraph starts with the same mark.

use super::{Check, CompileError, Ctx, Field, options};
use crate::diagnostic::{Diagnostic, Label};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use foldhash::{HashSet, HashSetExt};
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Report {
    Unbalanced,
    Mismatched,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    report: Report,
    /// Verbs of saying that open the attribution after a quotation (`…,
    /// said the officer.`, `…, sagte Müller.`): a paragraph that ends
    /// with one closes its quotation. Case as written.
    #[serde(default)]
    attribution_verbs: Vec<String>,
    /// Pronouns that may follow such a verb as its subject (`…, said
    /// he.`), besides capitalised names and titles. Case as written.
    #[serde(default)]
    attribution_pronouns: Vec<String>,
    /// Languages whose practice lets a quotation nested at the end of
    /// another share its closing guillemet (`«Газпрома «Нефть»`).
    #[serde(default)]
    shared_closer_languages: Vec<String>,
}

/// One scan of the quotation marks serves every quote-balance rule of a
/// linter: each rule gets the problems of the kind it reports. The
/// options that shape what counts as closed (`attribution_verbs`, ...)
/// are those of the rules that report unbalanced marks, taken together.
pub struct QuoteBalance {
    targets: Vec<(Arc<Rule>, Report)>,
    attribution_verbs: HashSet<String>,
    attribution_pronouns: HashSet<String>,
    shared_closer_languages: HashSet<String>,
}

impl QuoteBalance {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        Self::combined(std::slice::from_ref(rule))
    }

    /// One check for several quote-balance rules.
    pub fn combined(rules: &[Arc<Rule>]) -> Result<Self, CompileError> {
        let mut check = QuoteBalance {
            targets: Vec::new(),
            attribution_verbs: HashSet::new(),
            attribution_pronouns: HashSet::new(),
            shared_closer_languages: HashSet::new(),
        };
        for rule in rules {
            let opts: Options =
                options(rule).map_err(|e| CompileError::new(Field::Options, e.message))?;
            if opts.report == Report::Unbalanced {
                check.attribution_verbs.extend(opts.attribution_verbs);
                check.attribution_pronouns.extend(opts.attribution_pronouns);
                check
                    .shared_closer_languages
                    .extend(opts.shared_closer_languages);
            }
            check.targets.push((rule.clone(), opts.report));
        }
        Ok(check)
    }
}

const QUOTES: &[char] = &['"', '\'', '„', '‚', '“', '”', '‘', '’', '»', '«'];

/// The curly double marks, whose pairs make a document's quotation style.
const TYPOGRAPHIC_DOUBLE: &[char] = &['„', '“', '”'];

/// Pairs a document needs in one style before that style is its own.
const STYLE_MIN_PAIRS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A straight `"` with no side to tell: closes an open `"`, else opens.
    Toggle,
    Ignore,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    ch: char,
    pos: usize,
}

/// What a paragraph's scan found.
enum Problem {
    Unclosed(Mark),
    Stray(Mark),
    Mismatch {
        open: Mark,
        close: Mark,
    },
    /// A quotation closed with another mark than the document's (or the
    /// language's) closing mark for its opening one: `„…”` in German,
    /// `“…“`.
    Style {
        open: Mark,
        close: Mark,
        expected: char,
        whose: Whose,
    },
}

/// Whose convention a [`Problem::Style`]'s expected closing mark is.
#[derive(Debug, Clone, Copy)]
enum Whose {
    /// The document's own style.
    Document,
    /// The language's.
    Language,
    /// No language's but the usual one: a quotation closed with its own
    /// opening mark (`“…“`, `„…„`) in a language without a convention
    /// listed, closed with `”`, as Spanish, Portuguese, Italian, Polish or
    /// Hungarian do.
    Any,
}

/// The closing mark that belongs to `open` by the conventions of the
/// language: `„…“` in German, `“…”` in English (and in German web text,
/// which borrows it often).
fn conventional_close(open: char, lang: Option<&str>) -> Option<char> {
    match (open, lang) {
        ('„', Some("de")) => Some('“'),
        ('“', Some("en" | "de")) => Some('”'),
        ('‚', Some("de")) => Some('‘'),
        ('‘', Some("en" | "de")) => Some('’'),
        _ => None,
    }
}

/// The closing mark of `open` in any language: a straight quote closes
/// with itself, a guillemet with its mirror (`«…»`, `»…«`), and `“`
/// with `”` wherever it opens (`„` closes with `“` in some languages and
/// with `”` in others).
fn own_close(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '«' => Some('»'),
        '»' => Some('«'),
        _ => None,
    }
}

/// The (unsafe) repair of a quotation closed with the wrong mark: the
/// mark `close` becomes `expected`.
fn close_with(close: &Mark, expected: char) -> Fix {
    let span = close.pos..close.pos + close.ch.len_utf8();
    Fix::new(
        Applicability::Unsafe,
        vec![Edit::replace(span, expected.to_string())],
    )
}

/// Whether `rest` (what follows an open `«` in its paragraph) holds a
/// nested quotation, `«…»`, and its `»` is the last guillemet: the two
/// quotations end together.
fn shares_last_closer(rest: &str) -> bool {
    let last_open = rest.rfind('«');
    let last_close = rest.rfind('»');
    matches!((last_open, last_close), (Some(o), Some(c)) if c > o)
        && rest.matches('«').count() == rest.matches('»').count()
}

/// Most words after the verb of an attribution that ends a paragraph.
const ATTRIBUTION_MAX_WORDS: usize = 8;

/// Whether `text` (a quotation that is still open, to the end of its
/// paragraph) ends with an attribution after a comma: one of `verbs`,
/// then a name, a title or a pronoun (capitalised, or one of
/// `pronouns`), and a few words more at most. `said nothing` is part of
/// a quotation.
fn ends_with_attribution(text: &str, verbs: &HashSet<String>, pronouns: &HashSet<String>) -> bool {
    if verbs.is_empty() {
        return false;
    }
    let Some(comma) = text.rfind(", ") else {
        return false;
    };
    let mut words = text[comma + 2..].split_whitespace();
    let (Some(verb), Some(who)) = (words.next(), words.next()) else {
        return false;
    };
    verbs.contains(verb)
        && (who.chars().next().is_some_and(char::is_uppercase) || pronouns.contains(who))
        && words.count() < ATTRIBUTION_MAX_WORDS
        && !text[comma..].contains(|c: char| QUOTES.contains(&c))
}

/// For each opening mark, the closing mark the document uses for it: the
/// one of at least [`STYLE_MIN_PAIRS`] pairs and two thirds of them. The
/// opening mark again (`“…“`) is no style, however often it is typed.
fn document_closes(pairs: &[(Mark, Mark)]) -> Vec<(char, char)> {
    let mut out = Vec::new();
    for open in ['„', '“'] {
        let closers: Vec<char> = pairs
            .iter()
            .filter(|(o, _)| o.ch == open)
            .map(|(_, c)| c.ch)
            .collect();
        for close in ['“', '”'].into_iter().filter(|&c| c != open) {
            let n = closers.iter().filter(|&&c| c == close).count();
            if n >= STYLE_MIN_PAIRS && n * 3 >= closers.len() * 2 {
                out.push((open, close));
            }
        }
    }
    out
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace())
}

fn is_opening_context(c: Option<char>) -> bool {
    is_space(c)
        || c.is_some_and(|c| {
            matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':') || QUOTES.contains(&c)
        })
}

fn is_closing_context(c: Option<char>) -> bool {
    is_space(c)
        || c.is_some_and(|c| {
            matches!(
                c,
                ')' | ']'
                    | '}'
                    | '.'
                    | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | '…'
                    | '—'
                    | '–'
                    | '-'
                    | '/'
                    | '*'
                    | '_'
            ) || QUOTES.contains(&c)
        })
}

/// Families of marks: within a family, any closing mark ends a quotation
/// opened by any opening mark. Mixed typography inside one family (`„…"`,
/// `“…“`) is a style slip, not a scrape artifact; a quotation opened with a
/// double mark and closed with a single one (`„…'`) is.
#[derive(Debug, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
}

fn family(c: char) -> Family {
    match c {
        '"' | '„' | '“' | '”' => Family::Double,
        '\'' | '‚' | '‘' | '’' => Family::Single,
        _ => Family::Guillemet,
    }
}

/// Which closing marks end a quotation opened with `open`.
fn closes(open: char, close: char) -> bool {
    match (open, close) {
        ('»', '«') | ('«', '»') => true,
        ('»' | '«', _) | (_, '»' | '«') => false,
        _ => family(open) == family(close),
    }
}

/// A closing mark that can only be a quotation mark (not an apostrophe).
fn strong_closer(c: char, prev: Option<char>) -> bool {
    match c {
        '\'' | '’' => prev.is_some_and(|p| !p.is_alphanumeric()),
        _ => true,
    }
}

/// Han, kana, Hangul and full-width punctuation: text where quotation
/// marks are not spaced, so their identity alone says open or close.
fn is_cjk(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xFF00..=0xFFEF)
    })
}

/// Words that start with an apostrophe typed as a quote: 'em, ‘til, ’90s.
fn elision_follows(rest: &str) -> bool {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    matches!(
        word.as_str(),
        "em" | "til" | "cause" | "n" | "tis" | "twas" | "bout" | "round" | "s"
    ) || (!word.is_empty()
        && word.chars().all(|c| c.is_ascii_digit())
        && !closing_single_soon(rest))
}

/// Whether a single closing mark that ends a quotation (`’` or `'` not
/// followed by a letter) comes within the next few words: `‘11 weeks!’`
/// is a quotation, `’22 war ein gutes Jahr` an elided year.
fn closing_single_soon(rest: &str) -> bool {
    let mut chars = rest.chars().take(60).peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '’' | '\'') && !chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            return true;
        }
    }
    false
}

/// Where the next single mark that closes speech stands on a line: `’`
/// right after a mark of a sentence or a clause and before no letter (`…
/// simply being stubborn,’ she told`, `… to somewhere.’`). A quotation of
/// a sentence or more closes so, where an ʿayn or an ʻokina (`‘Ali`) has
/// no such mark after it. One search serves every mark before the close
/// it finds, so a line is read once however many marks it holds.
#[derive(Default)]
struct SpeechCloses {
    /// The part of the paragraph searched last, `searched.start` up to the
    /// close found (`found`), the line's end or the paragraph's.
    searched: Range<usize>,
    found: bool,
}

impl SpeechCloses {
    /// Whether speech closes on the line after byte `from` of `para`
    /// (marks are asked about in order).
    fn after(&mut self, para: &str, from: usize) -> bool {
        if self.searched.contains(&from) {
            return self.found;
        }
        let mut prev = None;
        let mut end = para.len();
        let mut found = false;
        let mut chars = para[from..].char_indices().peekable();
        while let Some((k, c)) = chars.next() {
            if c == '\n' {
                end = from + k;
                break;
            }
            if c == '’'
                && prev.is_some_and(|p| {
                    matches!(p, '.' | ',' | '!' | '?' | ';' | ':' | '…' | '—' | '–')
                })
                && !chars.peek().is_some_and(|(_, n)| n.is_alphanumeric())
            {
                end = from + k + c.len_utf8();
                found = true;
                break;
            }
            prev = Some(c);
        }
        self.searched = from..end;
        self.found = found;
        found
    }
}

/// A mark with spaces on both sides that opens by its shape: the spacing
/// says nothing (`“ I love …”`, `‘ this is …’`), the glyph and the word
/// after it do, when no quotation it could close is open. (German closes
/// with these glyphs: `„…“`.)
fn spaced_opening(
    prev: Option<char>,
    next: Option<char>,
    rest: &str,
    nothing_to_close: bool,
) -> bool {
    is_space(prev)
        && next.is_some_and(char::is_whitespace)
        && nothing_to_close
        && rest.trim_start().starts_with(char::is_alphabetic)
}

/// Whether `before` ends in a number of feet or minutes and one of inches
/// or seconds (`6' 30`, `5'11`, `6'0¾`): a `"` after it is their mark.
fn after_feet(before: &str) -> bool {
    let number = before.trim_end_matches(|c: char| c.is_numeric() || c == '.');
    number.len() < before.len()
        && number
            .strip_suffix(' ')
            .unwrap_or(number)
            .strip_suffix(['\'', '’', '′'])
            .is_some_and(|feet| feet.ends_with(|c: char| c.is_ascii_digit()))
}

/// How a document writes its marks.
#[derive(Clone, Copy, Default)]
struct Style {
    /// German: `„…“`.
    german: bool,
    /// The document writes `‘` between two letters (`Hawai‘i`, `Shi‘i`):
    /// there it is a letter, the ʻokina or the ʿayn, and so it is at the
    /// start of a word with no single mark closing soon after (`‘ōhi‘a`,
    /// `ibn ‘Ali`).
    letter_marks: bool,
}

/// Whether `text` writes `‘` between two letters (see [`Style`]).
fn letter_marks(text: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), "‘".as_bytes()).any(|at| {
        text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
            && text[at + '‘'.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
    })
}

/// `Siti ‘Aisyah`: a `‘` between two capitalised words of a name, with no
/// single mark closing soon after, writes a letter (ʿayn, hamza) of a
/// transliteration.
fn transliteration(before: &str, next: Option<char>, rest: &str) -> bool {
    let word_before = before
        .trim_end_matches(' ')
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    before.ends_with(' ')
        && word_before.chars().next().is_some_and(char::is_uppercase)
        && next.is_some_and(char::is_uppercase)
        && !closing_single_soon(rest)
}

fn classify(
    before: &str,
    c: char,
    next: Option<char>,
    rest: &str,
    style: Style,
    stack: &[Mark],
    speech_closes_ahead: &mut dyn FnMut() -> bool,
) -> Role {
    let german = style.german;
    let prev = before.chars().next_back();
    let opens_here = is_opening_context(prev) && !is_space(next);
    let closes_here = !is_space(prev) && is_closing_context(next);
    let open_has = |f: &dyn Fn(char) -> bool| stack.iter().any(|m| f(m.ch));
    if prev == Some(c) && c != '"' {
        return Role::Ignore; // ,,Liebe’’: a doubled single mark stands for one double mark
    }
    if matches!(prev, Some('â' | '€' | 'Ã' | 'Â')) {
        return Role::Ignore; // part of mojibake (`â‚¬`, `â€œ`), reported as such
    }
    if is_cjk(prev) || is_cjk(next) {
        return match c {
            '„' | '‚' | '“' | '‘' | '«' | '「' => Role::Open,
            '”' | '’' | '»' => Role::Close,
            _ => Role::Ignore,
        };
    }
    if matches!(c, '‘' | '’' | '\'') && opens_here && elision_follows(rest) {
        return Role::Ignore;
    }
    match c {
        // `„Das ist gut„ und`: the closing mark typed with the opening one
        '„' | '‚' if closes_here && !opens_here && open_has(&|o| closes(o, c)) => Role::Close,
        '„' | '‚' => Role::Open,
        '“' | '”' if prev.is_some_and(|p| p.is_ascii_digit()) && !open_has(&|o| closes(o, c)) =>
        {
            Role::Ignore // 10,25“-Touchscreen (inches)
        }
        '“' => {
            if german && open_has(&|o| o == '„') {
                Role::Close
            } else if opens_here
                || (!german && spaced_opening(prev, next, rest, !open_has(&|o| closes(o, c))))
            {
                Role::Open
            } else if closes_here {
                Role::Close
            } else {
                Role::Ignore
            }
        }
        '‘' => {
            let after_letter = prev.is_some_and(|p| p.is_alphanumeric());
            if german && open_has(&|o| o == '‚') {
                Role::Close
            } else if opens_here
                && (transliteration(before, next, rest)
                    || (style.letter_marks
                        && next.is_some_and(char::is_alphabetic)
                        && !closing_single_soon(rest)
                        && !speech_closes_ahead()))
            {
                Role::Ignore
            } else if opens_here
                || (!german && spaced_opening(prev, next, rest, !open_has(&|o| closes(o, c))))
            {
                Role::Open
            } else if closes_here && (!after_letter || open_has(&|o| closes(o, c))) {
                Role::Close
            } else {
                Role::Ignore // Bleib‘ (an apostrophe typed as ‘)
            }
        }
        '”' => {
            if closes_here || open_has(&|o| closes(o, '”')) {
                Role::Close
            } else if opens_here {
                Role::Open
            } else {
                Role::Ignore
            }
        }
        '»' | '«' => {
            // French spacing: « selon l’Élysée », also at the start of a
            // paragraph.
            let spaced_before = is_space(prev);
            let spaced_after = next.is_none_or(|n| {
                n.is_whitespace() || matches!(n, ',' | '.' | ';' | ':' | '!' | '?')
            });
            let before_word = next.is_some_and(char::is_alphabetic);
            // A mark before a word opens when a prefix is glued to it
            // (`لـ«الصباح»`, `l’«Humanité»`), or the end of the sentence
            // before (`dürfen.»Für`).
            let opens_before_word = before_word
                && match prev {
                    Some(p) if p.is_alphabetic() => c == '«',
                    Some(p) => !p.is_alphanumeric() && !open_has(&|o| closes(o, c)),
                    None => false,
                };
            if spaced_before && spaced_after {
                // A spaced mark closes a quotation of its kind that is open
                // (`« texte »`, `»Ruster Ausbruch «`); else a spaced `«`
                // opens one that closes later in its paragraph. Any other
                // is an arrow or a separator of a menu (`Home » News »
                // Sport`, `Weiterlesen »`, `» alle Videos`, `« Älterer
                // Beitrag`).
                if open_has(&|o| closes(o, c)) {
                    Role::Close
                } else if c == '«' && rest.contains('»') {
                    Role::Open
                } else {
                    Role::Ignore
                }
            } else if opens_before_word || (opens_here && !closes_here) {
                Role::Open
            } else if (closes_here && !opens_here) || open_has(&|o| closes(o, c)) {
                Role::Close
            } else {
                Role::Ignore
            }
        }
        '"' => {
            // (`27"`, `6'0¾"`; inside a quotation only after feet or
            // minutes: `"… Eggs 6' 30" and nothing else," she says`)
            let inches = prev.is_some_and(char::is_numeric)
                && (!open_has(&|o| closes(o, c)) || after_feet(before));
            let spaced = is_space(prev) && is_space(next); // a table cell: `" | "`
            if inches {
                Role::Ignore
            } else if spaced {
                // Spaces on both sides: a sloppy quotation (`sagen: " Nein!"`,
                // `Hallo " sagte er`) or a table cell (`" | "`).
                if open_has(&|o| o == '"') {
                    Role::Close
                } else if rest.trim_start().starts_with(char::is_alphabetic) {
                    Role::Open
                } else {
                    Role::Ignore
                }
            } else if opens_here && !closes_here {
                Role::Open
            } else if closes_here && !opens_here {
                Role::Close
            } else {
                Role::Toggle
            }
        }
        '\'' | '’' => {
            let between_word_chars = prev.is_some_and(|p| p.is_alphanumeric())
                && next.is_some_and(|n| n.is_alphanumeric());
            if between_word_chars {
                Role::Ignore // don't, geht's, 5'11
            } else if is_space(prev) && is_space(next) && open_has(&|o| closes(o, c)) {
                Role::Close // ‘ this is only the beginning ’
            } else if opens_here && c == '\'' && next.is_some_and(|n| n.is_alphabetic()) {
                Role::Open
            } else if closes_here {
                let after_letter = prev.is_some_and(|p| p.is_alphanumeric());
                if open_has(&|o| closes(o, c)) || !after_letter {
                    Role::Close
                } else {
                    Role::Ignore // possessive: Hans' Buch, the students' books
                }
            } else {
                Role::Ignore // 'n', ’90s
            }
        }
        _ => Role::Ignore,
    }
}

/// A line that reads like program code: straight quotes there delimit
/// strings (`replace(' ', '+')`), and are not checked.
fn looks_like_code(line: &str) -> bool {
    const TOKENS: &[&str] = &[
        "('", "(\"", "='", "=\"", "')", "\")", "';", "\";", "', '", "\", \"", "[\"", "['",
    ];
    TOKENS.iter().any(|t| line.contains(t))
}

/// Paragraphs after its start in which a quotation without reopening marks
/// may still close (speeches quoted over several paragraphs).
const QUOTE_SPAN_PARAGRAPHS: usize = 3;

/// The next bytes that may start a quotation mark, searched for forward
/// only: memchr finds the ASCII marks and the lead byte of „‚“”‘’ (E2)
/// together, and the lead byte of » and « (C2) on its own. Each search's
/// result is kept until it is passed, so a text full of one kind and
/// without the other (non-breaking spaces, no quotes) is read once.
#[derive(Default)]
struct QuoteStarts {
    c2: Option<usize>,
    ascii_or_e2: Option<usize>,
}

impl QuoteStarts {
    /// The first index at or after `from` whose byte may start a
    /// quotation mark, or `bytes.len()`. `from` never decreases between
    /// calls. Other bytes are skipped unread.
    fn next(&mut self, bytes: &[u8], from: usize) -> usize {
        let len = bytes.len();
        if from >= len {
            return len;
        }
        let search = |cached: &mut Option<usize>, find: &dyn Fn(&[u8]) -> Option<usize>| {
            if cached.is_none_or(|at| at < from) {
                *cached = Some(find(&bytes[from..]).map_or(len, |p| from + p));
            }
            cached.unwrap_or(len)
        };
        let c2 = search(&mut self.c2, &|b| memchr::memchr(0xC2, b));
        let other = search(&mut self.ascii_or_e2, &|b| {
            memchr::memchr3(b'"', b'\'', 0xE2, b)
        });
        c2.min(other)
    }
}

/// Whether any byte of `bytes` may start a quotation mark.
fn has_quote_start(bytes: &[u8]) -> bool {
    QuoteStarts::default().next(bytes, 0) < bytes.len()
}

/// The typewriter's opening pairs (`,,` and ``` `` ```) of one paragraph,
/// for the closing marks met in order: whether the last pair before a mark
/// is still open, that is no closing pair (`''`, `’’`, `"`, `“`) stands
/// between them. Each pair's stretch is read once, so a long paragraph
/// full of straight quotes stays linear.
#[derive(Default)]
struct TypewriterOpeners {
    /// The positions of the pairs, found on the first question.
    at: Option<Vec<usize>>,
    /// How many of them end at or before the mark asked about last.
    passed: usize,
    /// The pair already asked about: the mark asked about then is itself
    /// a closing pair, so the pair is closed for every later mark.
    asked: Option<usize>,
}

impl TypewriterOpeners {
    /// Whether the pair last before `i` in `bytes` is still open at `i`.
    /// `i` never decreases between calls, and the mark at `i` is a
    /// closing pair (`"` or `''`).
    fn opens_before(&mut self, bytes: &[u8], i: usize) -> bool {
        let at = self.at.get_or_insert_with(|| {
            memchr::memchr2_iter(b',', b'`', bytes)
                .filter(|&p| bytes.get(p + 1) == Some(&bytes[p]))
                .collect()
        });
        while at.get(self.passed).is_some_and(|&p| p + 2 <= i) {
            self.passed += 1;
        }
        let Some(o) = self.passed.checked_sub(1).map(|n| at[n]) else {
            return false;
        };
        if self.asked.replace(o) == Some(o) {
            return false;
        }
        let stretch = &bytes[o..i];
        ![&b"''"[..], "’’".as_bytes(), b"\"", "“".as_bytes()]
            .iter()
            .any(|closer| memchr::memmem::find(stretch, closer).is_some())
    }
}

/// What the scan of one paragraph found: its problems, the marks left
/// open at its end, and the typographic double quotations it closed
/// (opening and closing mark), for the document's style.
#[derive(Default)]
struct Scan {
    problems: Vec<Problem>,
    open: Vec<Mark>,
    pairs: Vec<(Mark, Mark)>,
}

/// Scans one paragraph.
fn scan(text: &str, range: Range<usize>, style: Style) -> Scan {
    let para = &text[range.clone()];
    // Decided on the first straight quote: most paragraphs have none.
    let mut code: Option<bool> = None;
    let mut problems = Vec::new();
    let mut pairs = Vec::new();
    let mut stack: Vec<Mark> = Vec::new();
    let bytes = para.as_bytes();
    let mut starts = QuoteStarts::default();
    let mut typewriter = TypewriterOpeners::default();
    let mut speech = SpeechCloses::default();
    let mut i = 0;
    loop {
        i = starts.next(bytes, i);
        if i >= bytes.len() {
            break;
        }
        let Some(c) = para[i..].chars().next() else {
            break;
        };
        let after = i + c.len_utf8();
        if !QUOTES.contains(&c)
            || (matches!(c, '"' | '\'') && *code.get_or_insert_with(|| looks_like_code(para)))
        {
            i = after;
            continue;
        }
        let before = &para[..i];
        let prev = before.chars().next_back();
        let rest = &para[after..];
        let next = rest.chars().next();
        // The typewriter's quotation marks: two commas or two backticks
        // open (`,,Sind Sie da?''`, ``` ``quoted'' ```), and two
        // apostrophes or a straight double quote close them.
        // (open: no closing pair after the last opening one)
        if matches!(c, '\'' | '"') && (c == '"' || rest.starts_with('\'')) {
            let open = typewriter.opens_before(bytes, i);
            if open {
                i = after + usize::from(c == '\'');
                continue;
            }
        }
        let mark = Mark {
            ch: c,
            pos: range.start + i,
        };
        let mut speech_closes_ahead = || speech.after(para, after);
        match classify(
            before,
            c,
            next,
            rest,
            style,
            &stack,
            &mut speech_closes_ahead,
        ) {
            Role::Open => stack.push(mark),
            Role::Toggle => {
                if stack.last().is_some_and(|m| m.ch == '"') {
                    stack.pop();
                } else {
                    stack.push(mark);
                }
            }
            Role::Close => {
                // An opening glyph in the closing place ends the quotation
                // it belongs to, but wrongly: a pair of typographic double
                // marks is judged by the style check (`„…„`), any other a
                // mismatch (`"…„`).
                let opener_glyph = matches!(c, '„' | '‚');
                if let Some(at) = stack.iter().rposition(|m| closes(m.ch, c)) {
                    for inner in stack.drain(at + 1..) {
                        problems.push(Problem::Unclosed(inner));
                    }
                    if let Some(open) = stack.pop() {
                        let typographic = TYPOGRAPHIC_DOUBLE.contains(&open.ch)
                            && TYPOGRAPHIC_DOUBLE.contains(&c);
                        if typographic {
                            pairs.push((open, mark));
                        } else if opener_glyph {
                            problems.push(Problem::Mismatch { open, close: mark });
                        }
                    }
                } else if let Some(&open) = stack.last().filter(|_| strong_closer(c, prev)) {
                    problems.push(Problem::Mismatch { open, close: mark });
                    stack.pop();
                } else if strong_closer(c, prev) {
                    problems.push(Problem::Stray(mark));
                }
            }
            Role::Ignore => {}
        }
        i = after;
    }
    Scan {
        problems,
        open: stack,
        pairs,
    }
}

impl Check for QuoteBalance {
    /// The rules' own fixes, and the unsafe repair of a wrong closing mark.
    fn fixes(&self) -> Option<Applicability> {
        let own = self
            .targets
            .iter()
            .filter_map(|(rule, _)| rule.fix_applicability());
        Some(
            own.chain([Applicability::Unsafe])
                .min_by_key(|a| *a == Applicability::Unsafe)
                .unwrap_or(Applicability::Unsafe),
        )
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.targets.iter().any(|(r, _)| r.applies_to(ctx.lang))
            || !has_quote_start(ctx.text.as_bytes())
        {
            return;
        }
        let style = Style {
            german: ctx.lang == Some("de"),
            letter_marks: letter_marks(ctx.text),
        };
        let paragraphs: Vec<Range<usize>> = ctx
            .lines
            .lines(ctx.text)
            .map(|(_, r)| r)
            .filter(|r| !ctx.text[r.clone()].trim().is_empty())
            .collect();
        let mut scans: Vec<Scan> = paragraphs
            .iter()
            .map(|p| {
                if has_quote_start(&ctx.text.as_bytes()[p.clone()]) {
                    scan(ctx.text, p.clone(), style)
                } else {
                    Scan::default()
                }
            })
            .collect();
        // The document's own closing marks, where it has a style; else the
        // language's.
        let pairs: Vec<(Mark, Mark)> = scans.iter().flat_map(|s| s.pairs.iter().copied()).collect();
        let own = document_closes(&pairs);
        for (open, close) in pairs {
            let by_document = own.iter().find(|(o, _)| *o == open.ch).map(|&(_, c)| c);
            let conventional = conventional_close(open.ch, ctx.lang);
            // `“…“`, `„…„` and `“…„` are no language's convention: an
            // opening mark in the closing place.
            let same = ((close.ch == open.ch || close.ch == '„') && matches!(open.ch, '“' | '„'))
                .then_some('”');
            let Some(expected) = by_document.or(conventional).or(same) else {
                continue;
            };
            let whose = match (by_document, conventional) {
                (Some(_), _) => Whose::Document,
                (None, Some(_)) => Whose::Language,
                (None, None) => Whose::Any,
            };
            // A pair the language's convention closes so is never wrong,
            // whatever most of the document does.
            if close.ch != expected && conventional != Some(close.ch) {
                self.emit(
                    ctx,
                    Problem::Style {
                        open,
                        close,
                        expected,
                        whose,
                    },
                    out,
                );
            }
        }
        let shares_closer = ctx
            .lang
            .is_some_and(|l| self.shared_closer_languages.contains(l));
        for n in 0..scans.len() {
            let mut open = std::mem::take(&mut scans[n].open);
            // Russian practice lets a quotation nested at its end share
            // the closing mark (`«Газпрома «Нефть»`): an outer `«` left
            // open before a nested pair that ends last is closed.
            if shares_closer
                && let [outer] = open[..]
                && outer.ch == '«'
                && shares_last_closer(&ctx.text[outer.pos + '«'.len_utf8()..paragraphs[n].end])
            {
                open.clear();
            }
            if let Some(next) = paragraphs.get(n + 1) {
                let first = ctx.text[next.clone()].trim_start().chars().next();
                // A quotation over several paragraphs either reopens at the
                // start of the next one (typographic convention) ...
                // Not when the paragraph ends with the attribution, which
                // stands outside the quotation: its closing mark was lost
                // (`“Once officers were in the area, … speed, said Police
                // Detective Zabaleta.`).
                if let (Some(outer), Some(first)) = (open.first(), first)
                    && QUOTES.contains(&first)
                    && family(outer.ch) == family(first)
                    && !ends_with_attribution(
                        &ctx.text[outer.pos..paragraphs[n].end],
                        &self.attribution_verbs,
                        &self.attribution_pronouns,
                    )
                {
                    open.remove(0);
                }
                // ... or closes in a later one without reopening, with at
                // most a few paragraphs without open quotations between.
                if let Some(last) = open.last().copied() {
                    for later in n + 1..scans.len().min(n + 1 + QUOTE_SPAN_PARAGRAPHS) {
                        if let Some(at) = scans[later]
                            .problems
                            .iter()
                            .position(|p| matches!(p, Problem::Stray(m) if closes(last.ch, m.ch)))
                        {
                            scans[later].problems.remove(at);
                            open.pop();
                            break;
                        }
                        if !scans[later].problems.is_empty() || !scans[later].open.is_empty() {
                            break;
                        }
                    }
                }
            }
            let problems = std::mem::take(&mut scans[n].problems);
            for p in problems
                .into_iter()
                .chain(open.into_iter().map(Problem::Unclosed))
            {
                self.emit(ctx, p, out);
            }
        }
    }
}

impl QuoteBalance {
    fn emit(&self, ctx: &Ctx<'_>, problem: Problem, out: &mut Vec<Diagnostic>) {
        let report = match problem {
            Problem::Unclosed(_) | Problem::Stray(_) => Report::Unbalanced,
            Problem::Mismatch { .. } | Problem::Style { .. } => Report::Mismatched,
        };
        let Some((rule, _)) = self
            .targets
            .iter()
            .find(|(r, kind)| *kind == report && r.applies_to(ctx.lang))
        else {
            return;
        };
        let span = |m: &Mark| m.pos..m.pos + m.ch.len_utf8();
        let d = match problem {
            Problem::Unclosed(m) => {
                let mut d = rule.finding(ctx.text, ctx.lines, span(&m), None);
                d.message = format!(
                    "quotation mark `{}` is never closed in this paragraph",
                    m.ch
                );
                d
            }
            Problem::Stray(m) => {
                let mut d = rule.finding(ctx.text, ctx.lines, span(&m), None);
                d.message = format!("closing quotation mark `{}` has no opening mark", m.ch);
                d
            }
            Problem::Mismatch { open, close } => {
                let mut d = rule.finding(ctx.text, ctx.lines, span(&close), None);
                d.message = format!(
                    "quotation opened with `{}` is closed with `{}`",
                    open.ch, close.ch
                );
                d.labels.push(Label {
                    span: span(&open),
                    message: format!("opened with `{}` here", open.ch),
                });
                // Where the language says which mark closes the opening
                // one, that is the likely repair.
                // In any language, a double mark or a guillemet closed
                // with one of the other (`"…«`) gets the mark its opener
                // closes with; not a single mark, which is as often the
                // end of a nested quotation whose opening was missed
                // (`"… hates '[name]'. …"`).
                d.fix = conventional_close(open.ch, ctx.lang)
                    .or_else(|| (family(close.ch) != Family::Single).then(|| own_close(open.ch))?)
                    .map(|c| close_with(&close, c));
                d
            }
            Problem::Style {
                open,
                close,
                expected,
                whose,
            } => {
                let mut d = rule.finding(ctx.text, ctx.lines, span(&close), None);
                d.message = match whose {
                    Whose::Document | Whose::Language => {
                        let whose = if matches!(whose, Whose::Document) {
                            "this document closes them"
                        } else {
                            "the language closes them"
                        };
                        format!(
                            "quotation opened with `{}` is closed with `{}`; {whose} with `{expected}`",
                            open.ch, close.ch
                        )
                    }
                    Whose::Any => format!(
                        "quotation opened with `{}` is closed with the same mark; the usual closing mark is `{expected}`",
                        open.ch
                    ),
                };
                d.help = Some(format!("close the quotation with `{expected}`"));
                d.labels.push(Label {
                    span: span(&open),
                    message: format!("opened with `{}` here", open.ch),
                });
                d.fix = Some(close_with(&close, expected));
                d
            }
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// [`TypewriterOpeners`] answers as a search back from each mark
        /// did (the last `,,` or ``` `` ``` before it, and no closing pair
        /// since), for the marks the scan asks about, in the scan's order.
        #[test]
        fn typewriter_openers_answer_as_the_search_back(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![",", "`", "'", "\"", "“", "’", "a", " "]),
                0..40,
            ),
        ) {
            let text: String = parts.concat();
            let bytes = text.as_bytes();
            let mut openers = TypewriterOpeners::default();
            let mut i = 0;
            while let Some(c) = text.get(i..).and_then(|t| t.chars().next()) {
                let (before, rest) = (&text[..i], &text[i + c.len_utf8()..]);
                if !(c == '"' || (c == '\'' && rest.starts_with('\''))) {
                    i += c.len_utf8();
                    continue;
                }
                let searched = [",,", "``"]
                    .iter()
                    .filter_map(|o| before.rfind(o))
                    .max()
                    .is_some_and(|o| {
                        !["''", "’’", "\"", "“"].iter().any(|closer| before[o..].contains(closer))
                    });
                proptest::prop_assert_eq!(openers.opens_before(bytes, i), searched, "{:?} at {}", text, i);
                i += 1 + usize::from(searched && c == '\'');
            }
        }
    }

    fn problems(s: &str, german: bool) -> Vec<String> {
        let style = Style {
            german,
            letter_marks: letter_marks(s),
        };
        let scan = scan(s, 0..s.len(), style);
        let mut out: Vec<String> = scan
            .problems
            .into_iter()
            .map(|p| match p {
                Problem::Unclosed(m) => format!("unclosed {}", m.ch),
                Problem::Stray(m) => format!("stray {}", m.ch),
                Problem::Mismatch { open, close } | Problem::Style { open, close, .. } => {
                    format!("mismatch {}{}", open.ch, close.ch)
                }
            })
            .collect();
        out.extend(scan.open.into_iter().map(|m| format!("open {}", m.ch)));
        out
    }

    #[test]
    fn german_pairs_balance() {
        assert!(problems("Er sagte: „Das ist ‚gut‘.“ Dann ging er.", true).is_empty());
        assert!(problems("Die »Zeit« und die \"Times\" berichten.", true).is_empty());
    }

    #[test]
    fn english_pairs_and_apostrophes() {
        assert!(problems("“It’s the students’ books,” she said, ‘really’.", false).is_empty());
        assert!(problems("Kim's train isn't 5'11\" tall.", false).is_empty());
    }

    #[test]
    fn french_cjk_code_and_elisions() {
        assert!(problems("fini de sourcer « selon l’Élysée », et pas", false).is_empty());
        assert!(problems("钟南山院士说：“武汉本来就是一个英雄的城市。”", false).is_empty());
        assert!(problems("query = query.replace(' ', '+')", false).is_empty());
        assert!(problems("you could probably use more of ‘em.", false).is_empty());
        assert!(problems("zwei Wörter für ,,Liebe’’ stehen.", true).is_empty());
        assert!(problems("ein 10,25“-Touchscreen und Bleib‘ nachhaltig", true).is_empty());
        assert!(problems("ماسا لـ«الصباح»: كل الشروط", false).is_empty());
        assert!(problems("she told me “I just said, ‘11 weeks!’… you know?”", false).is_empty());
        assert!(problems("the class of ’11 met again, didn’t they?", false).is_empty());
        assert!(problems("Wir dürfen…..»Für Jod gilt das 925-fache.«", true).is_empty());
        assert!(problems("um es mit Mey zu sagen: \" Nein, nie!\"", true).is_empty());
        assert!(problems("| \" | \" | Zoll |", true).is_empty());
    }

    #[test]
    fn mismatch_and_unclosed() {
        assert_eq!(
            problems("„Russland will auch Waffen.'", true),
            vec!["mismatch „'"]
        );
        assert_eq!(
            problems("„Zum Beispiel feuerte Russland.", true),
            vec!["open „"]
        );
        assert_eq!(problems("Das war es.“ Dann", true), vec!["stray “"]);
    }

    #[test]
    fn spaced_guillemets_of_menus_are_no_quotation_marks() {
        for s in [
            "Home » News » Sport",
            "Weiterlesen »",
            "» alle Videos",
            "« Älterer Beitrag",
            "Habeck macht die Stahnke « SPREEBLICK",
        ] {
            assert_eq!(problems(s, true), Vec::<String>::new(), "{s}");
        }
        // spaced, but closing what is open, or opening what closes later
        assert_eq!(
            problems("als »Ruster Ausbruch « bezeichnet", true),
            Vec::<String>::new()
        );
        assert_eq!(
            problems("il a dit « non » hier", false),
            Vec::<String>::new()
        );
        assert_eq!(
            problems("il a dit « non, jamais", false),
            Vec::<String>::new()
        );
        assert_eq!(problems("il a dit «non, jamais", false), vec!["open «"]);
    }

    #[test]
    fn an_opening_mark_in_the_closing_place_closes_wrongly() {
        // a typographic pair: the style check judges it (no problem here)
        assert_eq!(problems("„Das ist gut„ und", true), Vec::<String>::new());
        assert_eq!(
            problems("Die „Aktion„, sagte er", true),
            Vec::<String>::new()
        );
        // another opener: a mismatch
        assert_eq!(problems("Er sagte \"gut„ und", true), vec!["mismatch \"„"]);
        assert_eq!(problems("Er sagte ‚gut‚ und", true), vec!["mismatch ‚‚"]);
        // nothing open, or not in a closing place: it opens
        assert_eq!(problems("Er sagte Hallo„ und", true), vec!["open „"]);
        assert_eq!(problems("„Eins und „zwei“", true), vec!["open „"]);
    }

    #[test]
    fn spaced_marks_open_by_their_shape() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            problems("She said: “ I love this city,” and left.", false),
            none
        );
        assert_eq!(
            problems("He added ‘ this is only the start ’ and smiled.", false),
            none
        );
        // German closes with `“`: at a paragraph's start it opens nothing.
        assert_eq!(problems("“ sagt der Präsident. Dann ging er.", true), none);
    }

    #[test]
    fn typewriter_marks_pair() {
        assert!(
            problems(
                "Frage 1: ,,Sind Sie den ganzen Tag im Rathaus?'' Antwort: Nein.",
                true
            )
            .is_empty()
        );
        assert!(problems("Er sagte ,,Nein\" und ging.", true).is_empty());
        assert!(problems("He wrote ``quoted text'' here.", false).is_empty());
        // a straight quote after a closed typewriter pair is a mark of its own
        assert_eq!(
            problems("Er sagte ,,Nein'' und ging. Dann \"kam er", true).len(),
            1
        );
        assert_eq!(
            problems("Das Wort ,,Liebe’’ steht da. Dann \"kam er", true).len(),
            1
        );
    }

    #[test]
    fn inches_and_seconds_are_no_quotation_marks() {
        let none: Vec<String> = Vec::new();
        assert_eq!(problems("He measured 6'0¾\" without shoes.", false), none);
        assert_eq!(
            problems(
                "\"The note said Eggs 6' 30\" and nothing else,\" she says.",
                false
            ),
            none
        );
        assert!(after_feet("Eggs 6' 30"));
        assert!(after_feet("a wingspan of 6'6"));
        assert!(!after_feet("we won 30"));
    }

    #[test]
    fn speech_closes_later_on_the_line() {
        let para =
            "‘It didn’t. For decades they went on, and on, to read.’ Then ‘Ali left.\n‘Umar came";
        let mut speech = SpeechCloses::default();
        let after = |s: &str| para.find(s).unwrap() + s.len();
        // the first mark: `.’` closes it, past `didn’t`
        assert!(speech.after(para, after("‘")));
        assert!(speech.after(para, after("For")));
        // after the close, `‘Ali` has none on its line, nor has `‘Umar`
        assert!(!speech.after(para, after("Then ‘")));
        assert!(!speech.after(para, after("\n‘")));
    }

    #[test]
    fn okina_and_ayn_open_words_where_the_text_writes_them_inside_words() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            problems("On Hawai‘i the trail runs through ‘ōhi‘a forest.", false),
            none
        );
        assert_eq!(
            problems(
                "After the death of Shi‘i leaders and of Husayn ibn ‘Ali at Karbala, the dynasty held on.",
                false
            ),
            none
        );
        // without a letter mark inside a word, an unclosed mark is one
        assert_eq!(
            problems("He said ‘Look down at the path and keep walking.", false),
            vec!["open ‘".to_string()]
        );
    }

    #[test]
    fn transliterated_letters_are_no_quotation_marks() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            problems("The suspect, Siti ‘Aisyah, was released.", false),
            none
        );
        assert_eq!(
            problems("The caliph Mu‘awiyah founded the dynasty.", false),
            none
        );
        assert_eq!(problems("The minister ‘Boris’ Smith spoke.", false), none);
        assert_eq!(
            problems("He wrote ‘Aisyah was here and left.", false),
            vec!["open ‘"]
        );
    }

    #[test]
    fn a_document_style_needs_two_pairs_and_two_thirds() {
        let pair = |o: char, c: char| (Mark { ch: o, pos: 0 }, Mark { ch: c, pos: 1 });
        assert_eq!(
            document_closes(&[pair('„', '”'), pair('„', '”'), pair('„', '“')]),
            vec![('„', '”')]
        );
        assert!(document_closes(&[pair('„', '”'), pair('„', '“')]).is_empty());
        assert!(
            document_closes(&[
                pair('„', '”'),
                pair('„', '”'),
                pair('„', '“'),
                pair('„', '“')
            ])
            .is_empty()
        );
        assert_eq!(conventional_close('„', Some("de")), Some('“'));
        assert_eq!(conventional_close('“', Some("en")), Some('”'));
        assert_eq!(conventional_close('“', Some("de")), Some('”'));
        assert_eq!(conventional_close('“', Some("fr")), None);
    }
}
