//! `check = "document-shape"`: signals about a whole document, reported
//! once per document, for filtering a corpus rather than for fixing text
//! (none of them has a fix). One kind per rule (`options.kind`):
//!
//! - `unpunctuated`: of the lines with words, at least `share` end without
//!   sentence punctuation (German-aware: `“`, `»` and `«` end sentences
//!   too), and there are at least `min_lines` of them: a menu, a list page
//!   or a page of teasers rather than an article.
//! - `boilerplate-share`: at least `share` of the non-empty lines (and at
//!   least `min_lines` of them) carry a finding of the rules that `rules`
//!   names. The only kind that reads other findings: it runs in the
//!   linter's second phase ([`Phase::Findings`]), after every other check.
//! - `short-document`: fewer than `min_words` words, or no text at all.
//! - `other-language`: most of the text is in one language other than the
//!   run's (`--lang`), or, when the run detects languages, other than the
//!   `expected` ones.
//! - `truncated`: the last line ends in a cut: an elision mark (`[…]`,
//!   `(...)`) or an ellipsis after a word no sentence ends with.
//!
//! All but `truncated` report on the first line with text; `truncated`
//! points at the cut.

use super::{Check, CompileError, Ctx, Field, Phase, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::rules::Rule;
use serde::Deserialize;
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Unpunctuated,
    BoilerplateShare,
    ShortDocument,
    OtherLanguage,
    Truncated,
}

impl Kind {
    /// The options a kind reads (besides `kind`).
    fn options(self) -> &'static [&'static str] {
        match self {
            Kind::Unpunctuated => &["share", "min_lines"],
            Kind::BoilerplateShare => &["share", "min_lines", "rules"],
            Kind::ShortDocument => &["min_words"],
            Kind::OtherLanguage => &["share", "expected"],
            Kind::Truncated => &[],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Unpunctuated => "unpunctuated",
            Kind::BoilerplateShare => "boilerplate-share",
            Kind::ShortDocument => "short-document",
            Kind::OtherLanguage => "other-language",
            Kind::Truncated => "truncated",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    kind: Kind,
    /// `unpunctuated`: share of lines without punctuation that is reported
    /// (default 0.6); `boilerplate-share`: share of flagged lines (0.3);
    /// `other-language`: share of the sampled letters in one other
    /// language (0.6).
    share: Option<f64>,
    /// `unpunctuated`, `boilerplate-share`: fewest lines for the share to
    /// count (default 10).
    min_lines: Option<usize>,
    /// `short-document`: fewest words of a document that is not reported.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// `boilerplate-share`: the rules (ids or prefixes) whose findings mark
    /// a line as boilerplate.
    #[serde(default = "default_rules")]
    rules: Vec<String>,
    /// `other-language`: the languages a run that detects languages per
    /// document expects (ISO 639-1 codes).
    #[serde(default = "default_expected")]
    expected: Vec<String>,
}

fn default_min_words() -> usize {
    50
}
fn default_rules() -> Vec<String> {
    vec!["boilerplate/".into(), "repeat/duplicate-line".into()]
}
fn default_expected() -> Vec<String> {
    vec!["de".into(), "en".into()]
}

pub struct DocumentShape {
    rule: Arc<Rule>,
    kind: Kind,
    share: f64,
    min_lines: usize,
    min_words: usize,
    rules: Vec<String>,
    expected: Vec<String>,
}

impl DocumentShape {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        let kind = opts.kind;
        if let Some(key) = rule
            .options
            .keys()
            .find(|k| *k != "kind" && !kind.options().contains(&k.as_str()))
        {
            let takes = match kind.options() {
                [] => "no other options".to_string(),
                keys => format!("only {}", keys.join(", ")),
            };
            return Err(CompileError::new(
                Field::Options,
                format!(
                    "options.{key} is not an option of kind `{}` (it takes {takes})",
                    kind.name()
                ),
            ));
        }
        let share = opts.share.unwrap_or(match kind {
            Kind::BoilerplateShare => 0.3,
            _ => 0.6,
        });
        if !(0.0..=1.0).contains(&share) {
            return Err(CompileError::new(
                Field::Options,
                "options.share must be between 0 and 1",
            ));
        }
        if let Some(code) = opts
            .expected
            .iter()
            .find(|c| crate::lang::name(c).is_none())
        {
            return Err(CompileError::new(
                Field::Options,
                format!("options.expected: `{code}` is not a language code the detector gives"),
            ));
        }
        Ok(DocumentShape {
            rule: rule.clone(),
            kind,
            share,
            min_lines: opts.min_lines.unwrap_or(10),
            min_words: opts.min_words,
            rules: opts.rules,
            expected: opts.expected,
        })
    }

    /// A finding of the rule on `span` with `message`, without a fix.
    /// All kinds but `truncated` (which points at the cut-off ending) are
    /// about the whole document, whatever line they are shown on.
    fn report(&self, ctx: &Ctx<'_>, span: Range<usize>, message: String) -> Diagnostic {
        let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
        d.message = message;
        d.fix = None;
        d.whole_document = self.kind != Kind::Truncated;
        d
    }
}

/// The first line with text (trimmed), where document-level signals go.
fn first_line(ctx: &Ctx<'_>) -> Option<Range<usize>> {
    ctx.lines
        .lines(ctx.text)
        .map(|(_, r)| trim_range(ctx.text, r))
        .find(|r| !r.is_empty())
}

/// Whether a line ends like a sentence (or a quotation that ends one).
fn ends_like_sentence(line: &str) -> bool {
    line.trim_end_matches([')', ']', '*', '_']).ends_with([
        '.', '!', '?', '…', ':', ';', '"', '“', '”', '»', '«', '’', '。', '！', '？',
    ])
}

impl Check for DocumentShape {
    /// Signals over the document, never with a fix.
    fn fixes(&self) -> Option<Applicability> {
        None
    }

    fn phase(&self) -> Phase {
        match self.kind {
            Kind::BoilerplateShare => Phase::Findings,
            _ => Phase::Text,
        }
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let found = match self.kind {
            Kind::Unpunctuated => self.unpunctuated(ctx),
            Kind::ShortDocument => self.short_document(ctx),
            Kind::OtherLanguage => self.other_language(ctx),
            Kind::Truncated => truncated(ctx),
            Kind::BoilerplateShare => None, // in the second phase
        };
        if let Some((span, message)) = found {
            out.push(self.report(ctx, span, message));
        }
    }

    fn run_on_findings(&self, ctx: &Ctx<'_>, findings: &[Diagnostic], out: &mut Vec<Diagnostic>) {
        if self.kind != Kind::BoilerplateShare || !self.rule.applies_to(ctx.lang) {
            return;
        }
        if let Some((span, message)) = self.boilerplate_share(ctx, findings) {
            out.push(self.report(ctx, span, message));
        }
    }
}

/// A finding's place and message.
type Signal = Option<(Range<usize>, String)>;

impl DocumentShape {
    fn unpunctuated(&self, ctx: &Ctx<'_>) -> Signal {
        let text = ctx.text;
        let first = first_line(ctx)?;
        let (mut lines, mut bare) = (0usize, 0usize);
        for (_, range) in ctx.lines.lines(text) {
            let line = text[range].trim();
            if !line.chars().any(char::is_alphabetic) {
                continue;
            }
            lines += 1;
            bare += usize::from(!ends_like_sentence(line));
        }
        if lines < self.min_lines || (bare as f64) < self.share * lines as f64 {
            return None;
        }
        Some((
            first,
            format!(
                "{bare} of {lines} lines ({}%) end without sentence punctuation",
                bare * 100 / lines
            ),
        ))
    }

    /// Counts the non-empty lines that a finding of `self.rules` touches.
    fn boilerplate_share(&self, ctx: &Ctx<'_>, findings: &[Diagnostic]) -> Signal {
        let (hits, lines) =
            crate::filter::boilerplate_lines(ctx.text, ctx.lines, findings, &self.rules);
        if lines == 0 || lines < self.min_lines.max(1) {
            return None;
        }
        if (hits as f64) < self.share * lines as f64 {
            return None;
        }
        Some((
            first_line(ctx)?,
            format!(
                "{hits} of {lines} lines ({}%) look like boilerplate",
                hits * 100 / lines
            ),
        ))
    }

    fn short_document(&self, ctx: &Ctx<'_>) -> Signal {
        let text = ctx.text;
        let Some(first) = first_line(ctx) else {
            let message = if text.is_empty() {
                "the document is empty"
            } else {
                "the document holds only whitespace"
            };
            return Some((0..0, message.to_string()));
        };
        let words = count_words(text, self.min_words);
        if words >= self.min_words {
            return None;
        }
        let noun = if words == 1 { "word" } else { "words" };
        Some((
            first,
            format!(
                "the document has {words} {noun}, fewer than {}",
                self.min_words
            ),
        ))
    }

    fn other_language(&self, ctx: &Ctx<'_>) -> Signal {
        let text = ctx.text;
        let declared: [String; 1];
        let main: &[String] = if ctx.lang_declared {
            let code = ctx.lang?;
            // A language the detector never gives cannot be compared with.
            crate::lang::name(code)?;
            declared = [code.to_string()];
            &declared
        } else {
            &self.expected
        };
        if main.is_empty() {
            return None;
        }
        // One detection decides most documents: the run's own (unless the
        // run declared the language), else a quick look at the function
        // words, and only when that does not settle it a full detection.
        let doc_lang = if ctx.lang_declared {
            match crate::lang::clearly_german_or_english(text) {
                Some(lang) if main.iter().any(|m| m == lang) => return None,
                _ => crate::lang::detect(text)?,
            }
        } else {
            ctx.lang?
        };
        if main.iter().any(|m| m == doc_lang) {
            return None;
        }
        // A document that may be in another language: weigh its parts.
        let parts = crate::lang::composition(text);
        let total: usize = parts.iter().map(|p| p.1).sum();
        let &(top, letters) = parts.first()?;
        if total < MIN_SAMPLED_LETTERS
            || main.iter().any(|m| m == top)
            || (letters as f64) < self.share * total as f64
        {
            return None;
        }
        let names: Vec<&str> = main
            .iter()
            .map(|m| crate::lang::name(m).unwrap_or(m))
            .collect();
        let expected = match names.as_slice() {
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
            [] => unreachable!("checked above"),
        };
        let what = if ctx.lang_declared {
            ", the run's language"
        } else {
            ""
        };
        Some((
            first_line(ctx)?,
            format!(
                "most of the text is in {} ({}% of the sampled letters), not in {expected}{what}",
                crate::lang::name(top).unwrap_or(top),
                letters * 100 / total
            ),
        ))
    }
}

/// Fewer letters than this in the samples and no language is reported:
/// too little text to tell.
const MIN_SAMPLED_LETTERS: usize = 150;

/// Words in `text`, counted up to `enough`: runs of non-space characters
/// that hold a letter or digit; in scripts written without spaces (Chinese,
/// Japanese) each character counts as a word.
fn count_words(text: &str, enough: usize) -> usize {
    let mut words = 0;
    for token in text.split_whitespace() {
        if token.is_ascii() {
            words += usize::from(token.bytes().any(|b| b.is_ascii_alphanumeric()));
        } else {
            let unspaced = token.chars().filter(|&c| unspaced_script(c)).count();
            words += if unspaced > 0 {
                unspaced
            } else {
                usize::from(token.chars().any(char::is_alphanumeric))
            };
        }
        if words >= enough {
            break;
        }
    }
    words
}

/// Han, Hiragana and Katakana: scripts written without spaces between words.
fn unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FA1F}') // CJK Extensions B–F
}

/// Where the document's last line is cut off.
fn truncated(ctx: &Ctx<'_>) -> Signal {
    let (text, index) = (ctx.text, ctx.lines);
    let line_at = |l: usize| trim_range(text, index.content(text, l));
    let (last_line, last) = (0..index.count())
        .rev()
        .map(|l| (l, line_at(l)))
        .find(|(_, r)| !r.is_empty())?;
    let line = &text[last.clone()];
    let message = |span: &Range<usize>, why: &str| {
        format!(
            "the document ends in `{}`{why}",
            crate::text::preview(&text[span.clone()], 40)
        )
    };
    if let Some(cut) = cut_at_end(line, ctx.lang) {
        let span = last.start + cut..last.end;
        let message = message(&span, ": the text looks cut off");
        return Some((span, message));
    }
    // A page of teasers: the last line ends in an ellipsis after any word,
    // and so do other lines, of which at least one is certainly cut.
    let before = strip_ellipsis(line)?;
    let (mut others, mut cut) = (0usize, false);
    for l in 0..last_line {
        let other = &text[line_at(l)];
        if strip_ellipsis(other).is_some() {
            others += 1;
            cut = cut || cut_at_end(other, ctx.lang).is_some();
        }
    }
    if others < 2 || !cut {
        return None;
    }
    let head = before.trim_end();
    let start = last.start + crate::text::letters_start(head, head.len());
    let span = start..last.end;
    let message = message(
        &span,
        &format!(
            " as {others} other lines do, at least one of them cut mid-sentence: a page of teasers"
        ),
    );
    Some((span, message))
}

/// Where `line` ends in a cut: the byte offset of the elision mark, or of
/// the word before the ellipsis.
fn cut_at_end(line: &str, lang: Option<&str>) -> Option<usize> {
    // An elision mark in brackets: `[…]`, `[...]`, `(…)`, `(...)`.
    if let Some((body, open)) = line
        .strip_suffix(']')
        .map(|s| (s, '['))
        .or_else(|| line.strip_suffix(')').map(|s| (s, '(')))
    {
        let rest = strip_ellipsis(body.trim_end())?;
        return Some(rest.trim_end().strip_suffix(open)?.len());
    }
    // An ellipsis after a word that no sentence ends with, or glued to a
    // single lower-case letter (a word cut in two).
    let before = strip_ellipsis(line)?;
    let glued = !before.ends_with(char::is_whitespace);
    let head = before.trim_end();
    let word_start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map(|(i, _)| i)?;
    let word = &head[word_start..];
    let single_letter = glued
        && word.chars().count() == 1
        && word.chars().all(char::is_lowercase)
        && head[..word_start].ends_with(char::is_whitespace);
    (single_letter || never_ends_a_sentence(word, lang)).then_some(word_start)
}

/// `s` without a trailing ellipsis (`…`, `...` or more dots), or `None`.
fn strip_ellipsis(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_suffix('…') {
        return Some(rest);
    }
    let rest = s.trim_end_matches('.');
    (s.len() - rest.len() >= 3).then_some(rest)
}

/// Words after which no sentence ends: articles, prepositions and
/// conjunctions that need a following word, in their exact lower-case
/// form. Words that double as pronouns or as the detached prefix of a
/// verb (`die`, `das`, `an`, `mit`, `on`, `up`, `to`) can end a sentence
/// and are left out.
fn never_ends_a_sentence(word: &str, lang: Option<&str>) -> bool {
    match lang {
        Some("de") => matches!(
            word,
            "der"
                | "des"
                | "dem"
                | "den"
                | "eines"
                | "einem"
                | "einen"
                | "im"
                | "am"
                | "zum"
                | "zur"
                | "vom"
                | "beim"
                | "ins"
                | "ans"
                | "aufs"
                | "und"
                | "oder"
                | "sowie"
                | "für"
                | "von"
                | "gegen"
                | "zwischen"
                | "wegen"
                | "trotz"
                | "seit"
                | "ohne"
                | "dass"
                | "weil"
                | "als"
        ),
        Some("en") => matches!(
            word,
            "the"
                | "a"
                | "an"
                | "of"
                | "and"
                | "or"
                | "nor"
                | "its"
                | "their"
                | "whose"
                | "your"
                | "our"
                | "my"
                | "into"
                | "onto"
                | "than"
                | "between"
                | "among"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::DocLang;
    use crate::linter::Linter;

    /// A linter with the built-in rule `id` alone.
    fn alone(id: &str) -> Linter {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let entries: Vec<_> = set
            .entries()
            .iter()
            .filter(|e| &*e.rule.id == id)
            .cloned()
            .collect();
        Linter::try_from_entries(&entries).unwrap()
    }

    const FR: &str = "Le conseil municipal a annoncé lundi que les nouvelles règles s'appliqueraient à toutes les entreprises à partir de janvier.\nLes syndicats ont critiqué la décision, qui selon eux a été prise sans concertation avec les salariés concernés.\n";
    const EN: &str = "The council said on Monday that the new rules would apply to all businesses from January, and that it was not going to change them.\nUnions criticised the decision, which they say was taken without talking to the workers concerned.\n";
    const DE: &str = "Die Regierung hat am Montag neue Regeln vorgestellt, die ab Januar für alle Betriebe gelten.\nDie Gewerkschaften kritisieren die Entscheidung, die ohne Gespräche mit den Beschäftigten gefallen sei.\n";

    #[test]
    fn other_language_compares_with_the_declared_or_the_expected_languages() {
        let linter = alone("structure/other-language");
        let found = |text: &str, code: &str, declared: bool| {
            linter
                .check(
                    text,
                    DocLang {
                        code: Some(code),
                        declared,
                    },
                )
                .into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
        };
        // Detected per document: German and English are expected.
        assert_eq!(
            found(FR, "fr", false),
            [
                "most of the text is in French (100% of the sampled letters), not in German or English"
            ]
        );
        assert!(found(EN, "en", false).is_empty());
        assert!(found(DE, "de", false).is_empty());
        // Declared: the run's language is expected, whatever it is.
        assert!(found(FR, "fr", true).is_empty());
        assert_eq!(
            found(EN, "de", true),
            [
                "most of the text is in English (100% of the sampled letters), not in German, the run's language"
            ]
        );
        assert!(found(DE, "de", true).is_empty());
        // A language the detector never gives: nothing to compare with.
        assert!(found(EN, "xx", true).is_empty());
        // German with an English quotation, declared German, stays German.
        let quoted = format!("{DE}„{}“, sagte er.\n{DE}", EN.trim());
        assert!(found(&quoted, "de", true).is_empty());
        // Too short to tell.
        assert!(found("Bonjour à tous !", "fr", false).is_empty());
    }

    #[test]
    fn odd_documents_do_not_panic() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let linter = Linter::new(&set).unwrap();
        let long_line = "Wort ".repeat(200_000);
        let unspaced = "日本語の文章".repeat(100_000);
        let dots = ".".repeat(100_000);
        let odd = [
            "",
            "\n",
            "\r\n\r\n",
            "…",
            "[…]",
            "(...)",
            "...",
            " der …",
            "\u{FEFF}",
            "ä…\n…ä",
            long_line.as_str(),
            unspaced.as_str(),
            dots.as_str(),
        ];
        for text in odd {
            for lang in [None, Some("de"), Some("en"), Some("ja")] {
                for declared in [false, true] {
                    let _ = linter.check(
                        text,
                        DocLang {
                            code: lang,
                            declared,
                        },
                    );
                }
            }
        }
    }

    #[test]
    fn short_and_empty_documents() {
        let linter = alone("structure/short-document");
        let found = |text: &str| {
            linter
                .check(text, None)
                .into_iter()
                .map(|d| (d.span, d.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(found(""), [(0..0, "the document is empty".to_string())]);
        assert_eq!(
            found("\n \r\n"),
            [(0..0, "the document holds only whitespace".to_string())]
        );
        assert_eq!(
            found("\nNur ein Wort\n"),
            [(1..13, "the document has 3 words, fewer than 50".to_string())]
        );
        assert!(found(&"Wort ".repeat(50)).is_empty());
    }

    #[test]
    fn words_are_counted_up_to_enough() {
        assert_eq!(count_words("", 50), 0);
        assert_eq!(count_words("  \n\t ", 50), 0);
        assert_eq!(count_words("Ein Satz – mit 3 Wörtern.", 50), 5);
        assert_eq!(count_words("a b c d e f", 3), 3);
        assert_eq!(count_words("日本語の文章", 50), 6);
    }

    #[test]
    fn cuts() {
        let de = Some("de");
        let en = Some("en");
        let cut = |line: &'static str, lang| cut_at_end(line, lang).map(|at| &line[at..]);
        assert_eq!(cut("Das ist der Anfang [...]", de), Some("[...]"));
        assert_eq!(cut("Das ist der Anfang […]", de), Some("[…]"));
        assert_eq!(cut("Das ist der Anfang (…)", None), Some("(…)"));
        assert_eq!(
            cut("über grundlegende Prinzipien der ...", de),
            Some("der ...")
        );
        assert_eq!(
            cut("so hätten wir eine Revolution noch v...", de),
            Some("v...")
        );
        assert_eq!(cut("the council said that some of the…", en), Some("the…"));
        // Deliberate ellipses, and quotations.
        assert_eq!(cut("Weitere Termine folgen in Kürze…", de), None);
        assert_eq!(cut("Let’s move on…", en), None);
        assert_eq!(cut("Ich glaube das …", de), None);
        assert_eq!(cut("„Und dann kam der …“", de), None);
        assert_eq!(cut("Die Zahlen (Stand: Mai)", de), None);
        assert_eq!(cut("Eins, zwei, drei..", de), None);
        assert_eq!(cut("…", de), None);
        assert_eq!(cut("[…]", de), Some("[…]"));
        assert_eq!(cut("der…", Some("fr")), None);
    }
}
