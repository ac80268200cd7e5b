//! Where a notice sits in its line. A boilerplate rule that deletes whole
//! lines (a cookie banner, a newsletter prompt) is safe only when the line
//! *is* the notice. Scraped text often glues the notice to article
//! sentences (`Der Stadtrat tagt im März. Abonnieren Sie unseren
//! Newsletter! Die Sitzung ist öffentlich.`), or separates them only by a
//! character that is no line break to the line index (a bare `\r`,
//! U+2028, a form feed). Then the finding points at the notice's
//! sentences, and its fix, unsafe, deletes those sentences alone.

use crate::text::is_sentence_end;
use std::ops::Range;

/// Characters that end a line for a reader, though not for the line index.
fn is_hard_break(c: char) -> bool {
    matches!(
        c,
        '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Words after which a full stop ends an abbreviation, not a sentence
/// (compared in lower case, without the stop).
const ABBREVIATIONS: &[&str] = &[
    "abs", "apr", "aug", "bd", "bspw", "bzw", "ca", "co", "corp", "dec", "dez", "dr", "etc",
    "evtl", "feb", "ggf", "hr", "hrsg", "inc", "inkl", "jan", "jh", "jr", "jul", "jun", "lt",
    "ltd", "max", "min", "mind", "mio", "mr", "mrd", "mrs", "ms", "no", "nov", "nr", "oct", "okt",
    "prof", "sep", "sept", "sr", "st", "str", "tel", "tsd", "usw", "vgl", "vs", "zzgl",
];

/// Words of a site speaking about itself: cookies, accounts, comments,
/// buttons, rights. A sentence beside a notice that holds one belongs to
/// the notice (`Erfahre mehr darüber, wie deine Kommentardaten verarbeitet
/// werden.`); one that holds none reads as article text. Matched in lower
/// case at the start of a word, so `cookie` finds `Cookie-Einstellungen`.
const SITE_WORDS: &[&str] = &[
    // German
    "abmeld",
    "abonn",
    "akismet",
    "akzeptier",
    "anmeld",
    "benutzererfahrung",
    "benutzerfreundlichkeit",
    "browser",
    "button",
    "cookie",
    "datenschutz",
    "datenverarbeitung",
    "deine daten",
    "e-mail",
    "einstellungen",
    "einverstanden",
    "einwillig",
    "email",
    "ihre daten",
    "impressum",
    "javascript",
    "klick",
    "kommentar",
    "konto",
    "kontakt",
    "mailing",
    "mehr erfahren",
    "mehr infos",
    "nachdruck",
    "newsletter",
    "nutzererfahrung",
    "nutzerfreundlichkeit",
    "nutzungsbedingungen",
    "personenbezogen",
    "postfach",
    "posteingang",
    "provision",
    "rechte vorbehalten",
    "redaktion",
    "registrier",
    "spam",
    "urheberrecht",
    "webseite",
    "website",
    "werbung",
    "widerspr",
    "zustimm",
    // English
    "accept",
    "account",
    "advertis",
    "affiliate",
    "agree",
    "click",
    "commission",
    "comment",
    "consent",
    "contact us",
    "copyright",
    "find out more",
    "inbox",
    "learn more",
    "log in",
    "login",
    "opt-out",
    "opt out",
    "permission",
    "preferences",
    "privacy",
    "read more",
    "register",
    "reprint",
    "rights reserved",
    "settings",
    "sign in",
    "sign up",
    "subscri",
    "terms of",
    "trademark",
    "trade mark",
    "unsubscri",
    "your data",
];

/// Words that address the reader.
const READER_WORDS: &[&str] = &["sie", "ihnen", "du", "dich", "dir", "ihr", "you"];

/// Whether `sentence` holds a word of [`SITE_WORDS`], `©`, an address
/// (e-mail or web), or is a question or request to the reader (`Haben Sie
/// einen Hinweis für uns?`).
fn speaks_of_the_site(sentence: &str) -> bool {
    if sentence.contains('©') || sentence.contains("://") || sentence.contains("www.") {
        return true;
    }
    if let Some(at) = sentence.find('@')
        && sentence[at..].contains('.')
        && at > 0
    {
        return true;
    }
    let lower = sentence.to_lowercase();
    // A question or a request to the reader: `Sind Sie einverstanden?`,
    // `Um ihn anzuzeigen, stimmen Sie bitte zu.`
    let mut words = lower.split(|c: char| !c.is_alphanumeric());
    let asks = lower.trim_end_matches(is_closer).ends_with('?')
        || words.clone().any(|w| w == "bitte" || w == "please");
    if asks && words.any(|w| READER_WORDS.contains(&w)) {
        return true;
    }
    SITE_WORDS.iter().any(|w| {
        lower.match_indices(w).any(|(i, _)| {
            !lower[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
    })
}

/// Whether the full stop at `dot` in `text` ends the word before it as an
/// abbreviation or an ordinal number (`z.B.`, `Dr.`, `3. März`).
fn abbreviation_before(text: &str, dot: usize) -> bool {
    let word_start = text[..dot]
        .char_indices()
        .rev()
        .take_while(|(_, c)| !c.is_whitespace() && !matches!(c, '(' | '"' | '„' | '“'))
        .last()
        .map_or(dot, |(i, _)| i);
    let word = &text[word_start..dot];
    if word.is_empty() {
        return false;
    }
    if word.contains('.') {
        return true; // z.B, U.S, e.g
    }
    let letters = word.chars().count();
    if word.chars().all(|c| c.is_ascii_digit()) {
        return letters <= 2; // an ordinal: `am 3. März`
    }
    (letters == 1 && word.chars().all(char::is_alphabetic))
        || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// Characters that may close a sentence after its final mark.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '»' | '«' | ')' | ']'
    )
}

/// Characters a new sentence may start with.
fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '"' | '„' | '“' | '‚' | '‘' | '«' | '»' | '(' | '¿' | '¡')
}

/// The sentences of `range` in `text`, each without the spaces around it:
/// split after `.`, `!`, `?` or `…` (and any closing quotes) followed by a
/// space and a capital, a digit or an opening quote, unless the stop ends
/// an abbreviation; and at every hard break.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    let push = |from: usize, to: usize, out: &mut Vec<Range<usize>>| {
        let s = crate::checks::trim_range(text, from..to);
        if !s.is_empty() {
            out.push(s);
        }
    };
    let segment = &text[range.clone()];
    let mut chars = segment.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = range.start + i;
        if is_hard_break(c) {
            push(start, at, &mut out);
            start = at + c.len_utf8();
            continue;
        }
        if !is_sentence_end(c) || (c == '.' && abbreviation_before(text, at)) {
            continue;
        }
        // Further marks and closing quotes belong to this sentence.
        let mut end = at + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_sentence_end(d) || is_closer(d) {
                end = range.start + j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = &text[end..range.end];
        let after_space = rest.trim_start_matches([' ', '\t', '\u{A0}']);
        if after_space.len() == rest.len() {
            continue; // no space: `3.5`, `example.com`
        }
        if after_space.chars().next().is_some_and(starts_sentence) {
            push(start, end, &mut out);
            start = end;
        }
    }
    push(start, range.end, &mut out);
    out
}

/// `sentences` with a copyright notice that runs into the article's next
/// sentence without a stop (the slide footers of a presentation: `© Food –
/// a fact of life 2007 A recipe is made up of three parts …`) split at the
/// notice's end: its year, when a capitalised word follows and the rest
/// of the sentence reads as prose, four words in small letters or more
/// and a closing stop (not a site's tagline: `© 2020 IT Finanzmagazin -
/// Das Fachmagazin für IT und Organisation bei Banken`).
/// A name after the year stays with the notice (`© 2024 Example Media Ltd.`,
/// `© 2004-2020 Healthline Media UK Ltd, a Red Ventures Company`).
fn split_copyright_notices(text: &str, sentences: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(sentences.len());
    for s in sentences {
        match copyright_year_end(&text[s.clone()]) {
            Some(end) => {
                let rest = &text[s.start + end..s.end];
                out.push(s.start..s.start + end);
                out.push(s.start + end + (rest.len() - rest.trim_start().len())..s.end);
            }
            None => out.push(s),
        }
    }
    out
}

/// Where the notice of `sentence` ends when article prose follows it: the
/// end of the first year (or range of years) within 80 bytes after `©`,
/// `(c)` or `copyright`.
fn copyright_year_end(sentence: &str) -> Option<usize> {
    let lower = sentence.to_ascii_lowercase();
    let mark = ["©", "(c)", "copyright"]
        .iter()
        .filter_map(|m| lower.find(m).map(|i| i + m.len()))
        .min()?;
    let window = &sentence[mark..crate::text::floor_char_boundary(sentence, mark + 80)];
    let mut offset = mark;
    let year = |y: &str| {
        y.len() == 4
            && (y.starts_with("19") || y.starts_with("20"))
            && y.bytes().all(|b| b.is_ascii_digit())
    };
    for word in window.split_inclusive(char::is_whitespace) {
        let token = word.trim_end();
        let is_year = year(token)
            || token
                .split_once(['-', '–'])
                .is_some_and(|(a, b)| year(a) && year(b));
        if is_year {
            let end = offset + token.len();
            let rest = sentence[end..].trim_start();
            let prose = rest.starts_with(char::is_uppercase)
                && rest.trim_end_matches(is_closer).ends_with(['.', '!', '?'])
                && rest
                    .split_whitespace()
                    .filter(|w| w.chars().next().is_some_and(char::is_lowercase) && w.len() > 1)
                    .nth(3)
                    .is_some();
            return (prose && end < sentence.len()).then_some(end);
        }
        offset += word.len();
    }
    None
}

/// What a sentence outside the notice may be and still belong to it: the
/// label of a button or link of the banner (`Mehr erfahren`, `OK`,
/// `Vielen Dank!`): at most two words, or three not ending like a sentence.
fn is_control_label(sentence: &str) -> bool {
    let words = sentence.split_whitespace().count();
    words <= 2 || (words == 3 && !sentence.ends_with(is_sentence_end))
}

/// How a rule tells which part of a line is its notice.
pub enum Locate<'a> {
    /// A sentence, or a run of them, that the rule's pattern matches on
    /// its own (a `line` rule).
    Matcher(&'a dyn Fn(&str) -> bool),
    /// The places its phrases or pattern hit in the line.
    Hits(&'a [Range<usize>]),
}

/// The closing mark of a quotation that `open` opens.
fn closing_mark(open: char) -> Option<&'static [char]> {
    match open {
        '„' => Some(&['“', '”']),
        '“' => Some(&['”']),
        '»' => Some(&['«']),
        '«' => Some(&['»']),
        _ => None,
    }
}

/// The quotations inside a sentence of `line` (byte offsets of `text`):
/// opened after two words of the line or more (`lautete: „Wir verwenden
/// Cookies …“`, `a message such as “You need to enable JavaScript”`),
/// closed on the line. Their inside, without the marks.
fn quotations_in_sentence(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let l = &text[line.clone()];
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((at, open)) = l[from..]
        .char_indices()
        .find(|&(_, c)| closing_mark(c).is_some())
        .map(|(i, c)| (from + i, c))
    {
        let inside = at + open.len_utf8();
        let Some(close) = closing_mark(open).and_then(|marks| l[inside..].find(marks)) else {
            break;
        };
        if l[..at].split_whitespace().nth(1).is_some() {
            out.push(line.start + inside..line.start + inside + close);
        }
        from = inside + close + l[inside + close..].chars().next().map_or(0, char::len_utf8);
    }
    out
}

/// Whether what the rule found on `line` stands inside quotations that a
/// sentence of the line opens (see [`quotations_in_sentence`]), and
/// nowhere else on it: an article quoting a banner, a message or a
/// button (`tick “Enable JavaScript”`), not the page showing one.
pub fn quoted_in_sentence(text: &str, line: Range<usize>, locate: &Locate<'_>) -> bool {
    if !text[line.clone()].contains(['„', '“', '»', '«']) {
        return false;
    }
    let quotes = quotations_in_sentence(text, line.clone());
    if quotes.is_empty() {
        return false;
    }
    match locate {
        Locate::Hits(hits) => {
            !hits.is_empty()
                && hits
                    .iter()
                    .all(|h| quotes.iter().any(|q| q.start <= h.start && h.end <= q.end))
        }
        Locate::Matcher(matches) => {
            // (a quotation that matches alone, and the line without its
            // quotations that does not; the second alone would take a
            // line of links whose titles quote, `[„Sammele Feedback“](…)`)
            if !quotes.iter().any(|q| matches(text[q.clone()].trim())) {
                return false;
            }
            let mut rest = String::with_capacity(line.len());
            let mut at = line.start;
            for q in &quotes {
                rest.push_str(&text[at..q.start]);
                at = q.end;
            }
            rest.push_str(&text[at..line.end]);
            !matches(&rest)
        }
    }
}

/// Where the notice is in `line` (trimmed content, byte offsets of `text`),
/// when the line holds article text beside it: the runs of sentences that
/// are the notice, in order. `None` when the whole line is the notice: one
/// sentence, or every other sentence a button label or the site speaking
/// of itself. `Some(vec![])` when the line holds article text but the
/// notice cannot be placed in it.
pub fn notice_runs(
    text: &str,
    line: Range<usize>,
    locate: Locate<'_>,
) -> Option<Vec<Range<usize>>> {
    let sentences = split_copyright_notices(text, sentences(text, line));
    if sentences.len() < 2 {
        return None;
    }
    let located: Vec<bool> = match locate {
        Locate::Hits(hits) => sentences
            .iter()
            .map(|s| hits.iter().any(|h| h.start < s.end && s.start < h.end))
            .collect(),
        Locate::Matcher(matches) => {
            let mut flagged: Vec<bool> = sentences
                .iter()
                .map(|s| matches(&text[s.clone()]))
                .collect();
            // No sentence alone: the shortest run of them that matches. The
            // run of all of them does (the line matched): then the line is
            // the notice.
            'runs: for len in 2..=sentences.len() {
                if flagged.iter().any(|&f| f) {
                    break;
                }
                for first in 0..=sentences.len() - len {
                    let run = sentences[first].start..sentences[first + len - 1].end;
                    if matches(&text[run]) {
                        flagged[first..first + len].fill(true);
                        break 'runs;
                    }
                }
            }
            flagged
        }
    };
    let notice_like: Vec<bool> = sentences
        .iter()
        .zip(&located)
        .map(|(s, &l)| {
            let s = &text[s.clone()];
            l || is_control_label(s) || speaks_of_the_site(s)
        })
        .collect();
    if notice_like.iter().all(|&n| n) {
        return None;
    }
    if !located.iter().any(|&l| l) {
        return Some(Vec::new());
    }
    // The located sentences, with the notice-like ones next to them.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut run: Option<(Range<usize>, bool)> = None; // (range, holds a located one)
    for ((s, &l), &n) in sentences.iter().zip(&located).zip(&notice_like) {
        if n {
            let r = run.get_or_insert((s.clone(), false));
            r.0.end = s.end;
            r.1 |= l;
        } else if let Some((r, true)) = run.take() {
            runs.push(r);
        }
    }
    if let Some((r, true)) = run {
        runs.push(r);
    }
    Some(runs)
}

/// The edit range that removes the sentences `run` from its line: with the
/// spaces after it, or, at the end of the line, the spaces before it, so
/// that the sentences around it stay one space apart.
pub fn run_removal(text: &str, line: &Range<usize>, run: &Range<usize>) -> Range<usize> {
    let after = &text[run.end..line.end];
    let spaces_after = after.len() - after.trim_start().len();
    if run.end + spaces_after < line.end {
        return run.start..run.end + spaces_after;
    }
    let before = &text[line.start..run.start];
    let spaces_before = before.len() - before.trim_end().len();
    run.start - spaces_before..run.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotations_inside_sentences() {
        let inside = |text: &str| -> Vec<String> {
            quotations_in_sentence(text, 0..text.len())
                .into_iter()
                .map(|r| text[r].to_string())
                .collect()
        };
        assert_eq!(
            inside("Der Text lautete: „Wir verwenden Cookies.“ Mehr nicht."),
            ["Wir verwenden Cookies."]
        );
        assert_eq!(
            inside("Then tick “Enable JavaScript” and “Allow”."),
            ["Enable JavaScript", "Allow"]
        );
        // (opened at the line's start or after one word: the line may be
        // the notice itself, its button quoted)
        assert!(inside("„Alle akzeptieren“ klicken").is_empty());
        assert!(inside("Klicken „Alle akzeptieren“").is_empty());
        // (never closed on the line)
        assert!(inside("He said “we use cookies and more").is_empty());
        let text = "The footer read “© Northgate Media Ltd. All rights reserved.” daily.";
        let copyright = |s: &str| s.contains('©');
        assert!(quoted_in_sentence(
            text,
            0..text.len(),
            &Locate::Matcher(&copyright)
        ));
        let shown = "© Northgate Media Ltd. Read “Our terms” here.";
        assert!(!quoted_in_sentence(
            shown,
            0..shown.len(),
            &Locate::Matcher(&copyright)
        ));
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn sentences_split_at_stops_followed_by_a_capital() {
        assert_eq!(
            split(
                "Der Stadtrat tagt im März. Abonnieren Sie unseren Newsletter! Die Sitzung ist öffentlich."
            ),
            [
                "Der Stadtrat tagt im März.",
                "Abonnieren Sie unseren Newsletter!",
                "Die Sitzung ist öffentlich."
            ]
        );
        assert_eq!(
            split("„Wir kommen wieder.“ Dann ging er."),
            ["„Wir kommen wieder.“", "Dann ging er."]
        );
    }

    #[test]
    fn a_copyright_notice_ends_at_its_year_before_prose() {
        let line = "© Food – a fact of life 2007 The method is a logical step-by-step set of instructions. Method";
        assert_eq!(
            split_copyright_notices(line, sentences(line, 0..line.len()))
                .into_iter()
                .map(|r| &line[r])
                .collect::<Vec<_>>(),
            [
                "© Food – a fact of life 2007",
                "The method is a logical step-by-step set of instructions.",
                "Method"
            ]
        );
        for whole in [
            "© 2004-2020 Healthline Media UK Ltd, Brighton, UK, a Red Ventures Company.",
            "版权所有 © 半月谈网 未经授权禁止复制 本网站所有内容均受版权保护 转载请注明出处 联系我们",
            "Copyright 2023 Example Corp. All rights reserved.",
            "© Food – a fact of life 2007 Recipe PowerPoint 258",
            "© 2020 IT Finanzmagazin - Das Fachmagazin für IT und Organisation bei Banken, Sparkassen und Versicherungen",
        ] {
            let split = split_copyright_notices(whole, sentences(whole, 0..whole.len()));
            assert_eq!(split, sentences(whole, 0..whole.len()), "{whole}");
        }
    }

    #[test]
    fn abbreviations_ordinals_and_numbers_do_not_split() {
        for one in [
            "Das gilt z. B. für Dr. Müller am 3. März in Berlin.",
            "Version 3.5 kam von example.com heraus.",
            "Die U.S. Army und Prof. Schmidt.",
        ] {
            assert_eq!(split(one), [one], "{one}");
        }
        // A year is no ordinal.
        assert_eq!(split("Er kam 2024. Sie blieb.").len(), 2);
    }

    #[test]
    fn hard_breaks_always_split() {
        for sep in ["\r", "\u{2028}", "\u{0C}", "\u{0B}", "\u{85}"] {
            let text = format!("Der Stadtrat tagt im März{sep}Abonnieren Sie unseren Newsletter");
            assert_eq!(split(&text).len(), 2, "{sep:?}");
        }
    }

    #[test]
    fn the_notice_among_article_sentences() {
        let text = "Der Stadtrat tagt erneut im März. Abonnieren Sie unseren kostenlosen Newsletter! Die Sitzung ist öffentlich.";
        let hit = text.find("Abonnieren").unwrap()..text.find('!').unwrap();
        let runs = notice_runs(
            text,
            0..text.len(),
            Locate::Hits(std::slice::from_ref(&hit)),
        )
        .unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(
            &text[runs[0].clone()],
            "Abonnieren Sie unseren kostenlosen Newsletter!"
        );
        let removal = run_removal(text, &(0..text.len()), &runs[0]);
        let mut fixed = text.to_string();
        fixed.replace_range(removal, "");
        assert_eq!(
            fixed,
            "Der Stadtrat tagt erneut im März. Die Sitzung ist öffentlich."
        );
    }

    #[test]
    fn a_notice_of_several_sentences_is_the_whole_line() {
        for text in [
            "Privacy & Cookies: This site uses cookies. By continuing to use this website, you agree to their use. To find out more, see here: Cookie Policy",
            "Diese Website verwendet Akismet, um Spam zu reduzieren. Erfahre mehr darüber, wie deine Kommentardaten verarbeitet werden.",
            "Welcome! Log into your account",
        ] {
            assert_eq!(
                notice_runs(
                    text,
                    0..text.len(),
                    Locate::Hits(std::slice::from_ref(&(0..12)))
                ),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn a_line_pattern_that_needs_the_whole_line() {
        let re = regex::Regex::new(r"^(?:\*\*\d+ Tsd\. Likes\*\*)$").unwrap();
        let text = "**171 Tsd. Likes**";
        assert_eq!(
            notice_runs(text, 0..text.len(), Locate::Matcher(&|s| re.is_match(s))),
            None
        );
        let re = regex::Regex::new(r"^(?:Datum: ?\d+\. \w+ \d+)$").unwrap();
        let text = "Datum:26. Januar 2022";
        assert_eq!(
            notice_runs(text, 0..text.len(), Locate::Matcher(&|s| re.is_match(s))),
            None
        );
    }

    #[test]
    fn a_notice_with_its_buttons_is_the_whole_line() {
        let text = "Diese Website verwendet Cookies. Alle akzeptieren";
        let hit = 0..31;
        assert_eq!(
            notice_runs(
                text,
                0..text.len(),
                Locate::Hits(std::slice::from_ref(&hit))
            ),
            None
        );
        // One sentence: the line.
        let text = "Abonnieren Sie unseren Newsletter und verpassen Sie nichts mehr!";
        assert_eq!(
            notice_runs(
                text,
                0..text.len(),
                Locate::Hits(std::slice::from_ref(&(0..10)))
            ),
            None
        );
    }

    #[test]
    fn a_line_pattern_finds_its_sentence() {
        let re = regex::Regex::new("^(?:(?i).*newsletter.*)$").unwrap();
        let text = "Der Rat tagt morgen wieder im Saal.\rNewsletter jetzt abonnieren";
        let runs = notice_runs(text, 0..text.len(), Locate::Matcher(&|s| re.is_match(s))).unwrap();
        assert_eq!(&text[runs[0].clone()], "Newsletter jetzt abonnieren");
        let removal = run_removal(text, &(0..text.len()), &runs[0]);
        assert_eq!(&text[removal], "\rNewsletter jetzt abonnieren");
    }
}
