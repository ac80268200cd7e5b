//! Document language: detected per document (whatlang, a trigram model over
//! 69 languages, chosen because it is small, pure Rust and needs no model
//! files) or forced with `--lang`. Rules name languages by ISO 639-1 codes
//! (`de`, `en`); languages without a two-letter code keep whatlang's
//! three-letter one.

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

/// How much of a document the detector reads: enough for a stable answer,
/// little enough that a 50 MB document costs no more than a short one.
const SAMPLE_BYTES: usize = 3 * 1024;

/// Fewer letters than this and no guess is made.
const MIN_LETTERS: usize = 24;

/// Detects the language of `text`, or `None` for text too short to tell.
/// A long document is sampled in its middle: scraped pages open with menus
/// and close with footers, often in another language than the article.
pub fn detect(text: &str) -> Option<&'static str> {
    let (start, end) = if text.len() <= SAMPLE_BYTES {
        (0, text.len())
    } else {
        let mid = text.len() / 2;
        (mid - SAMPLE_BYTES / 2, mid + SAMPLE_BYTES / 2)
    };
    let (start, end) = (
        crate::text::floor_char_boundary(text, start),
        crate::text::floor_char_boundary(text, end),
    );
    let sample = &text[start..end];
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
