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
    let (mut start, mut end) = if text.len() <= SAMPLE_BYTES {
        (0, text.len())
    } else {
        let mid = text.len() / 2;
        (mid - SAMPLE_BYTES / 2, mid + SAMPLE_BYTES / 2)
    };
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
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
    let info = whatlang::detect(sample)?;
    Some(iso639_1(info.lang()))
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
