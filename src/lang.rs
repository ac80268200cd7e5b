//! Document language: detected per document (whatlang, a trigram model over
//! 69 languages, chosen because it is small, pure Rust and needs no model
//! files) or forced with `--lang`. Rules name languages by ISO 639-1 codes
//! (`de`, `en`); languages without a two-letter code keep whatlang's
//! three-letter one.

use std::borrow::Cow;
use whatlang::Lang;

/// How the language of a document is decided.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LangChoice {
    /// Detected per document.
    #[default]
    Auto,
    /// Forced for every document.
    Fixed(String),
}

impl LangChoice {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        if s == "auto" {
            return Ok(LangChoice::Auto);
        }
        if s.len() >= 2 && s.len() <= 3 && s.chars().all(|c| c.is_ascii_lowercase()) {
            Ok(LangChoice::Fixed(s))
        } else {
            Err(format!(
                "`{s}` is not a language: use `auto` or an ISO 639-1 code such as `de` or `en`"
            ))
        }
    }

    /// The language of `text` under this choice; `None` when unknown.
    pub fn resolve(&self, text: &str) -> Option<String> {
        match self {
            LangChoice::Fixed(code) => Some(code.clone()),
            LangChoice::Auto => detect(text).map(str::to_string),
        }
    }
}

/// A document's language as the checks see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocLang<'a> {
    /// ISO 639-1 code (see the module docs), if known.
    pub code: Option<&'a str>,
    /// Whether the run declared the language (`--lang`, config `lang`)
    /// rather than detecting it in the document.
    pub declared: bool,
}

impl<'a> From<Option<&'a str>> for DocLang<'a> {
    /// A detected language (or none).
    fn from(code: Option<&'a str>) -> Self {
        DocLang {
            code,
            declared: false,
        }
    }
}

/// The English name of a language code that [`detect`] can give, such as
/// `German` for `de`; `None` for a code it never gives.
pub fn name(code: &str) -> Option<&'static str> {
    Lang::all()
        .iter()
        .find(|&&l| iso639_1(l) == code)
        .map(|l| l.eng_name())
}

/// How much of a document the detector reads: enough for a stable answer,
/// little enough that a 50 MB document costs no more than a short one.
const SAMPLE_BYTES: usize = 3 * 1024;

/// The part of a long document whose lines [`sample`] weighs: its middle.
const SAMPLE_REGION_BYTES: usize = 256 * 1024;

/// Fewer letters than this and no guess is made.
const MIN_LETTERS: usize = 24;

/// Detects the language of `text`, or `None` for text too short to tell:
/// [`detect_sample`] of its [`sample`].
pub fn detect(text: &str) -> Option<&'static str> {
    detect_sample(&sample(text))
}

/// The language of a [`sample`], or `None` when it is too short to tell.
/// The same sample always gets the same answer, so a caller that kept an
/// earlier sample and its answer may reuse the answer for an equal one.
pub fn detect_sample(sample: &str) -> Option<&'static str> {
    if sample
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        < MIN_LETTERS
    {
        return None;
    }
    if let Some(lang) = stop_word_guess(sample) {
        return Some(lang);
    }
    let info = whatlang::detect(sample)?;
    Some(iso639_1(info.lang()))
}

/// What [`detect`] reads of `text`: all of a short text; of a longer one,
/// the lines with the most prose, in their order, up to 3 KB. A line's
/// prose is its letters outside links (`[…](…)`) and bare URLs; the sample
/// leaves out link targets and URLs. Scraped pages open with menus and close with
/// footers, often in another language than the article, and their longest
/// lines are often lists of links: the article's paragraphs are the lines
/// with the most prose. The sample depends on those lines only, so fixes
/// that remove boilerplate lines usually leave it as it was.
pub fn sample(text: &str) -> Cow<'_, str> {
    if text.len() <= SAMPLE_BYTES {
        return Cow::Borrowed(text);
    }
    let region = whole_lines(text, middle(text, SAMPLE_REGION_BYTES));
    let finders = Prose::new();
    // Where the region's URLs start: a line without one, `[` or `]` is all
    // prose, and its letters are counted in one pass.
    let mut urls = finders.url.find_iter(region.as_bytes()).peekable();
    // (letters, start, end, bytes kept) of each line with prose.
    let mut lines: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', region.as_bytes()).chain(std::iter::once(region.len())) {
        while urls.next_if(|&at| at < start).is_some() {}
        let line = &region.as_bytes()[start..end];
        let (mut letters, mut kept, mut in_link) = (0, 0, false);
        if urls.peek().is_some_and(|&at| at < end) || memchr::memchr2(b'[', b']', line).is_some() {
            finders.parts(&region[start..end], |part| {
                letters += prose_letters(part, &mut in_link);
                kept += part.len();
            });
        } else {
            letters = letter_bytes(line);
            kept = line.len();
        }
        if letters > 0 {
            lines.push((letters, start, end, kept));
        }
        start = end + 1;
    }
    // Most prose first. The budget is usually spent within the first few
    // dozen lines, so those are sorted first and the rest only if needed.
    let order = |a: &(usize, usize, usize, usize), b: &(usize, usize, usize, usize)| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1))
    };
    const FIRST: usize = 48;
    let mut sorted = lines.len();
    if lines.len() > FIRST {
        lines.select_nth_unstable_by(FIRST, order);
        lines[..FIRST].sort_unstable_by(order);
        sorted = FIRST;
        if lines[..FIRST].iter().map(|l| l.3).sum::<usize>() < SAMPLE_BYTES {
            lines.sort_unstable_by(order);
            sorted = lines.len();
        }
    } else {
        lines.sort_unstable_by(order);
    }
    let lines = &lines[..sorted];
    // Each line chosen gives at most what the budget has left, from its
    // middle; the sample keeps the lines in text order.
    let mut chosen: Vec<(usize, usize, usize)> = Vec::new();
    let mut left = SAMPLE_BYTES;
    for &(_, s, e, kept) in lines {
        if left == 0 {
            break;
        }
        let take = kept.min(left);
        chosen.push((s, e, take));
        left -= take;
    }
    chosen.sort_unstable();
    let mut out = String::with_capacity(SAMPLE_BYTES + chosen.len());
    let mut line = String::new();
    for (s, e, take) in chosen {
        line.clear();
        finders.parts(&region[s..e], |part| line.push_str(part));
        out.push_str(middle(&line, take));
        out.push('\n');
    }
    Cow::Owned(out)
}

/// Whether `b` counts as a letter of prose: an ASCII letter or a byte of
/// another script.
fn letter_byte(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26 || b >= 0x80
}

/// The [`letter_byte`]s of `bytes`, counted in blocks that the compiler
/// vectorises.
fn letter_bytes(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| block.iter().fold(0u8, |n, &b| n + u8::from(letter_byte(b))))
        .map(usize::from)
        .sum()
}

/// The letters of `part` (bytes of ASCII letters and of other scripts)
/// outside the text of links (`[…]`), which reads as a menu or a list of
/// tags rather than prose; `in_link` carries an open `[` to the next part.
fn prose_letters(part: &str, in_link: &mut bool) -> usize {
    let bytes = part.as_bytes();
    if !*in_link && memchr::memchr2(b'[', b']', bytes).is_none() {
        return letter_bytes(bytes);
    }
    let mut letters = 0;
    for b in bytes {
        match b {
            b'[' => *in_link = true,
            b']' => *in_link = false,
            _ => letters += usize::from(!*in_link && letter_byte(*b)),
        }
    }
    letters
}

/// `part` widened to the whole lines of `text` it touches.
fn whole_lines<'t>(text: &'t str, part: &str) -> &'t str {
    let offset = part.as_ptr() as usize - text.as_ptr() as usize;
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[offset + part.len()..])
        .map_or(text.len(), |i| offset + part.len() + i);
    &text[start..end]
}

/// Finds the prose of a line: its parts outside link targets (`](…)`)
/// and bare URLs.
struct Prose {
    target: memchr::memmem::Finder<'static>,
    url: memchr::memmem::Finder<'static>,
}

impl Prose {
    fn new() -> Self {
        Prose {
            target: memchr::memmem::Finder::new("]("),
            url: memchr::memmem::Finder::new("http"),
        }
    }

    /// Gives each part of `line`'s prose to `keep`, in order.
    fn parts<'l>(&self, line: &'l str, mut keep: impl FnMut(&'l str)) {
        let mut rest = line;
        while !rest.is_empty() {
            let (text, next) = match self.target.find(rest.as_bytes()) {
                Some(i) => {
                    let after = &rest[i + 2..];
                    let close = memchr::memchr(b')', after.as_bytes());
                    (&rest[..=i], close.map_or("", |j| &after[j + 1..]))
                }
                None => (rest, ""),
            };
            self.without_urls(text, &mut keep);
            rest = next;
        }
    }

    /// `text` without the words that start with `http`.
    fn without_urls<'l>(&self, mut text: &'l str, keep: &mut impl FnMut(&'l str)) {
        while let Some(i) = self.url.find(text.as_bytes()) {
            if i > 0 && !text.as_bytes()[i - 1].is_ascii_whitespace() {
                // Inside a word: kept with what comes before it.
                let end = i + 4;
                keep(&text[..end]);
                text = &text[end..];
                continue;
            }
            keep(&text[..i]);
            let url = &text.as_bytes()[i..];
            let end = url
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(url.len());
            text = &text[i + end..];
        }
        if !text.is_empty() {
            keep(text);
        }
    }
}

/// Samples [`composition`] takes at most, spread evenly over a text.
const PARTS: usize = 8;

/// A sample of [`composition`] runs over whole lines until it holds at
/// least this many bytes (a paragraph, or a heading and its paragraph) ...
const PART_MIN_BYTES: usize = 300;

/// ... and is cut at this many: eight of them read at most 8 KB, whatever
/// the size of the document.
const PART_MAX_BYTES: usize = 1024;

/// Which languages a text is written in, as letters per language, most
/// first: up to eight samples spread evenly over the text, each starting
/// at a line and running over whole lines (about a paragraph), are
/// detected one by one. Samples too short to tell are left out, so the
/// letters add up to what could be told. A quotation in another language
/// weighs what its paragraph weighs, so an article that quotes a sentence
/// in English stays mostly German.
pub fn composition(text: &str) -> Vec<(&'static str, usize)> {
    let bytes = text.as_bytes();
    let mut letters: Vec<(&'static str, usize)> = Vec::new();
    let mut taken = 0; // samples do not overlap
    for part in 0..PARTS {
        let mut start = (text.len() / PARTS * part).max(taken);
        if start > 0 && bytes[start - 1] != b'\n' {
            // The next line, or, in a long line, the next word.
            let window = &bytes[start..(start + PART_MAX_BYTES).min(text.len())];
            start += match memchr::memchr(b'\n', window) {
                Some(i) => i + 1,
                None => window
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .map_or(0, |i| i + 1),
            };
            while !text.is_char_boundary(start) {
                start += 1;
            }
        }
        let limit = (start + PART_MAX_BYTES).min(text.len());
        let mut end = start;
        while end < limit && end - start < PART_MIN_BYTES {
            end = memchr::memchr(b'\n', &bytes[end..limit]).map_or(limit, |i| end + i + 1);
        }
        let mut cut = end;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        taken = cut;
        let sample = &text[start..cut];
        let Some(lang) = detect(sample) else {
            continue;
        };
        let n = sample.chars().filter(|c| c.is_alphabetic()).count();
        match letters.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, total)) => *total += n,
            None => letters.push((lang, n)),
        }
        if taken >= text.len() {
            break;
        }
    }
    letters.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    letters
}

/// At most `bytes` bytes from the middle of `text`, on char boundaries.
fn middle(text: &str, bytes: usize) -> &str {
    let (mut start, mut end) = if text.len() <= bytes {
        (0, text.len())
    } else {
        let mid = text.len() / 2;
        (mid - bytes / 2, mid + bytes / 2)
    };
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end]
}

/// German or English when the function words of a kilobyte from the
/// middle of `text` say so clearly; `None` otherwise (other languages,
/// mixed or unclear text). A fraction of [`detect`]'s cost, for checks
/// that only need to confirm an expected language.
pub fn clearly_german_or_english(text: &str) -> Option<&'static str> {
    stop_word_guess(middle(text, 1024))
}

/// Words frequent in German text and rare elsewhere (Dutch and English
/// share none of them in this form).
fn german(word: &str) -> bool {
    matches!(
        word,
        "der"
            | "die"
            | "und"
            | "den"
            | "von"
            | "zu"
            | "das"
            | "mit"
            | "sich"
            | "des"
            | "auf"
            | "für"
            | "ist"
            | "im"
            | "dem"
            | "nicht"
            | "ein"
            | "eine"
            | "auch"
            | "werden"
            | "aus"
            | "er"
            | "hat"
            | "dass"
            | "sie"
            | "nach"
            | "wird"
            | "bei"
            | "einer"
            | "noch"
            | "wie"
            | "einem"
            | "über"
            | "einen"
            | "zum"
            | "haben"
            | "nur"
            | "oder"
            | "aber"
            | "vor"
            | "zur"
            | "durch"
            | "sein"
            | "wurde"
            | "sei"
            | "sind"
    )
}

/// Words frequent in English text and rare elsewhere.
fn english(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "of"
            | "and"
            | "to"
            | "is"
            | "that"
            | "for"
            | "it"
            | "with"
            | "as"
            | "was"
            | "on"
            | "be"
            | "by"
            | "at"
            | "this"
            | "are"
            | "from"
            | "have"
            | "has"
            | "not"
            | "but"
            | "they"
            | "which"
            | "or"
            | "were"
            | "their"
            | "been"
            | "said"
            | "its"
            | "would"
            | "will"
            | "after"
            | "who"
            | "about"
            | "also"
            | "when"
            | "there"
            | "than"
            | "into"
            | "what"
            | "you"
            | "we"
            | "he"
            | "she"
    )
}

/// German or English by their function words, when one of them clearly
/// dominates; `None` leaves the decision to the trigram model. A sample of
/// news text is about 40 % function words, so this decides most German and
/// English documents at a fraction of the model's cost.
fn stop_word_guess(sample: &str) -> Option<&'static str> {
    let (mut words, mut de, mut en) = (0usize, 0usize, 0usize);
    let mut lower = String::new();
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if word.len() > 6 {
            continue;
        }
        let word = if word.bytes().all(|b| b.is_ascii_lowercase()) {
            word
        } else {
            lower.clear();
            if word.is_ascii() {
                // Capitalised words (every German noun): no Unicode mapping.
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            lower.as_str()
        };
        de += usize::from(german(word));
        en += usize::from(english(word));
        // Most samples are decided long before their end: stop once one
        // language leads by far on enough words.
        if words % 64 == 0 && words >= 128 {
            let sure = |hits: usize, other: usize| hits * 4 >= words && hits >= other * 8;
            if sure(de, en) {
                return Some("de");
            }
            if sure(en, de) {
                return Some("en");
            }
        }
    }
    let clear = |hits: usize, other: usize| hits >= 8 && hits * 5 >= words && hits >= other * 4;
    if clear(de, en) {
        Some("de")
    } else if clear(en, de) {
        Some("en")
    } else {
        None
    }
}

fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Deu => "de",
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Tur => "tr",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Bul => "bg",
        Lang::Ell => "el",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Hin => "hi",
        Lang::Vie => "vi",
        Lang::Ind => "id",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_german_and_english() {
        assert_eq!(
            detect(
                "Russland ist stark von Nordkorea bei seiner Munition abhängig, wie ein Bericht sagt."
            ),
            Some("de")
        );
        assert_eq!(
            detect(
                "Russia depends heavily on North Korea for its ammunition, a report says today."
            ),
            Some("en")
        );
    }

    #[test]
    fn function_words_decide_clear_cases_only() {
        let de = "Die Regierung hat am Montag neue Regeln vorgestellt, die ab Januar für alle Betriebe gelten. Sie sind nicht unumstritten, und der Verband will dagegen vorgehen.";
        assert_eq!(stop_word_guess(de), Some("de"));
        let en = "The council said on Monday that the new rules would apply to all businesses from January, and that it was not going to change them.";
        assert_eq!(stop_word_guess(en), Some("en"));
        let nl = "De gemeente heeft maandag nieuwe regels voorgesteld die vanaf januari voor alle bedrijven gelden, en de bond wil ertegen in beroep gaan.";
        assert_eq!(stop_word_guess(nl), None);
        assert_eq!(detect(nl), Some("nl"));
        let fr = "Le conseil a annoncé lundi que les nouvelles règles s'appliqueraient à toutes les entreprises à partir de janvier.";
        assert_eq!(stop_word_guess(fr), None);
    }

    #[test]
    fn composition_weighs_paragraphs_by_letters() {
        let de = "Die Regierung hat am Montag neue Regeln vorgestellt, die ab Januar für alle Betriebe gelten. Sie sind nicht unumstritten, und der Verband will dagegen vorgehen, weil die Kosten für kleine Betriebe zu hoch seien. Das Ministerium weist die Kritik zurück und verweist auf die lange Übergangsfrist.\n";
        let en = "The council said on Monday that the new rules would apply to all businesses from January, and that it was not going to change them.\n";
        let text = format!("{de}{de}{en}{de}{de}");
        let parts = composition(&text);
        assert_eq!(parts[0].0, "de");
        let total: usize = parts.iter().map(|p| p.1).sum();
        assert!(parts[0].1 * 10 >= total * 7, "{parts:?}");
        assert!(composition("").is_empty());
        assert!(composition("\n\n\n").is_empty());
        // Multi-byte text cut at a sample's end stays on a char boundary.
        let long = "äöü ".repeat(2000);
        let _ = composition(&long);
        let _ = composition(&"ä".repeat(5000));
        // One long line is sampled all along, not only at its start.
        let line = format!("{}{}", de.trim().repeat(3), en.trim().repeat(12));
        assert_eq!(composition(&line)[0].0, "en", "{:?}", composition(&line));
    }

    /// A long page is read in its lines with the most prose, without link
    /// targets and URLs, whatever lies at its middle; removing a menu line
    /// leaves the sample as it was.
    #[test]
    fn the_sample_is_the_prose_of_a_page() {
        let menu = "[Home](https://example.com/) [News](https://example.com/news) [Sport](https://example.com/sport)\n";
        let links = format!(
            "{}\n",
            (0..40)
                .map(|i| format!("[Tag {i}](https://example.com/tag/{i} \"Themen\")"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let de = "Die Regierung hat am Montag neue Regeln vorgestellt, die ab Januar für alle Betriebe gelten. Sie sind nicht unumstritten, und der Verband will dagegen vorgehen (siehe https://example.com/verband).\n";
        let text = format!("{menu}{}{links}{}{menu}", de.repeat(8), menu.repeat(30));
        assert!(text.len() > SAMPLE_BYTES);
        let s = sample(&text);
        assert!(s.len() <= SAMPLE_BYTES + 32, "{}", s.len());
        assert!(s.starts_with("Die Regierung"), "{s}");
        assert!(!s.contains("http") && !s.contains("Tag 1"), "{s}");
        assert!(s.contains("(siehe \n") || s.contains("(siehe "), "{s}");
        assert_eq!(detect(&text), Some("de"));
        let fixed = text.replacen(menu, "", 3);
        assert_eq!(sample(&fixed), s);
        // A page with no prose at all has an empty sample and no language.
        let bare = "1234 5678 90 | -- |\n".repeat(300);
        assert_eq!(sample(&bare), "");
        assert_eq!(detect(&bare), None);
        // One 50 KB line is sampled from its middle, on char boundaries.
        let line = "äöü wörter ".repeat(5000);
        assert!(sample(&line).len() <= SAMPLE_BYTES + 4);
    }

    #[test]
    fn names() {
        assert_eq!(name("de"), Some("German"));
        assert_eq!(name("pl"), Some("Polish"));
        assert_eq!(name("xx"), None);
    }

    #[test]
    fn short_text_is_unknown() {
        assert_eq!(detect("Mehr: Russland"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn parse_choice() {
        assert_eq!(LangChoice::parse("auto"), Ok(LangChoice::Auto));
        assert_eq!(LangChoice::parse("DE"), Ok(LangChoice::Fixed("de".into())));
        assert!(LangChoice::parse("german!").is_err());
    }
}
