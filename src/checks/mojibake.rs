//! `check = "mojibake"`: UTF-8 text that was decoded as Windows-1252 (or
//! Latin-1) on its way into the corpus: `fÃ¼r` for `für`, `â€ž` for `„`,
//! `Â©` for `©`. The check re-encodes runs of such characters to bytes and
//! decodes them as UTF-8; a run that decodes to plausible characters is a
//! finding whose fix is the decoded text. Text encoded twice or three
//! times is decoded until it is stable, and fixed in one step.
//!
//! Plausible means the decoded character lies in a block where mojibake
//! comes from (Latin, Greek, Cyrillic, punctuation, symbols, CJK, emoji),
//! which keeps rare legitimate pairs such as `Ü“` from matching.

use super::{Check, CompileError, Ctx, applicability};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use std::ops::Range;
use std::sync::Arc;

pub struct Mojibake {
    rule: Arc<Rule>,
    applicability: Applicability,
}

impl Mojibake {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        Ok(Mojibake {
            rule: rule.clone(),
            applicability: applicability(rule, Applicability::Safe),
        })
    }
}

/// The Windows-1252 byte of `c`, for non-ASCII characters; Latin-1 for the
/// rest of U+0080..U+00FF (which also covers cp1252's undefined slots, that
/// decoders pass through as C1 controls).
fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        c if ('\u{80}'..='\u{FF}').contains(&c) => c as u32 as u8,
        _ => return None,
    };
    Some(b)
}

fn plausible(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0x24F          // Latin-1 supplement, Latin extended A/B
        | 0x370..=0x52F       // Greek, Cyrillic
        | 0x5D0..=0x6FF       // Hebrew, Arabic
        | 0x1E00..=0x1EFF     // Latin extended additional
        | 0x2000..=0x2BFF     // punctuation, currency, letterlike, arrows, symbols
        | 0x3000..=0x30FF     // CJK punctuation, kana
        | 0x4E00..=0x9FFF     // CJK ideographs
        | 0xAC00..=0xD7AF     // Hangul
        | 0xFB00..=0xFB06     // ligatures
        | 0x1F300..=0x1FAFF   // emoji
    )
}

/// Length of the UTF-8 sequence a lead byte opens, if it is one.
fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// A stretch of mojibake and the text it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub range: Range<usize>,
    pub decoded: String,
    /// Decoded from complete UTF-8 sequences; `false` for a remnant whose
    /// last byte was lost (`â€` for `”`), where the repair is a guess.
    pub certain: bool,
}

/// Scans one run of cp1252-encodable characters (offset, char, byte).
fn scan_run(run: &[(usize, char, u8)], found: &mut Vec<Found>) {
    let end_of = |k: usize| run[k].0 + run[k].1.len_utf8();
    let mut i = 0;
    let mut group: Option<Found> = None;
    while i < run.len() {
        let decoded = utf8_len(run[i].2).and_then(|n| {
            let bytes: Vec<u8> = run.get(i..i + n)?.iter().map(|x| x.2).collect();
            let s = std::str::from_utf8(&bytes).ok()?;
            let c = s.chars().next()?;
            plausible(c).then_some((n, c))
        });
        match decoded {
            Some((n, c)) => {
                let (start, end) = (run[i].0, end_of(i + n - 1));
                match &mut group {
                    Some(g) if g.range.end == start => {
                        g.range.end = end;
                        g.decoded.push(c);
                    }
                    _ => {
                        found.extend(group.take());
                        group = Some(Found {
                            range: start..end,
                            decoded: c.to_string(),
                            certain: true,
                        });
                    }
                }
                i += n;
            }
            // `â€` whose third byte was dropped: 0x9D, undefined in
            // Windows-1252, is lost on the way, and it belongs to `”`.
            None if run[i].2 == 0xE2 && run.get(i + 1).is_some_and(|x| x.2 == 0x80) => {
                found.extend(group.take());
                found.push(Found {
                    range: run[i].0..end_of(i + 1),
                    decoded: "”".to_string(),
                    certain: false,
                });
                i += 2;
            }
            None => {
                found.extend(group.take());
                i += 1;
            }
        }
    }
    found.extend(group);
}

/// Where mojibake may start: a lead character (`Â`..`ô`, bytes C3 82..C3
/// B4) followed by a character Windows-1252 maps to a continuation byte
/// (first byte C2, C5, C6, CB or E2). Every stretch of mojibake starts with
/// such a pair, and ordinary German (`ä` before a letter) never makes one,
/// so most documents have none and the rest are read only around them.
fn candidates(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(0xC3, bytes).filter(|&i| {
        matches!(bytes.get(i + 1), Some(0x82..=0xB4))
            && matches!(bytes.get(i + 2), Some(0xC2 | 0xC5 | 0xC6 | 0xCB | 0xE2))
    })
}

/// Every stretch of mojibake in `text`, in order. Each candidate is read
/// within its run: the longest stretch around it of characters that
/// Windows-1252 encodes.
pub(crate) fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut done = 0; // end of the last run read
    let mut run: Vec<(usize, char, u8)> = Vec::new();
    for at in candidates(text.as_bytes()) {
        if at < done {
            continue;
        }
        let mut start = at;
        for (pos, c) in text[done..at].char_indices().rev() {
            if cp1252_byte(c).is_none() {
                break;
            }
            start = done + pos;
        }
        run.clear();
        let mut end = text.len();
        for (pos, c) in text[start..].char_indices() {
            match cp1252_byte(c) {
                Some(b) => run.push((start + pos, c, b)),
                None => {
                    end = start + pos;
                    break;
                }
            }
        }
        if run.len() >= 2 {
            scan_run(&run, &mut found);
        }
        done = end;
    }
    found
}

/// `decoded` decoded again while it is itself mojibake (text encoded
/// twice or three times: `Ã¢â‚¬â„¢` → `â€™` → `’`), as ftfy does; with the
/// number of levels decoded in all.
fn decode_fully(mut decoded: String) -> (String, usize) {
    let mut levels = 1;
    while levels < 4 {
        let inner: Vec<Found> = find(&decoded).into_iter().filter(|f| f.certain).collect();
        if inner.is_empty() {
            break;
        }
        let mut next = String::with_capacity(decoded.len());
        let mut at = 0;
        for f in &inner {
            next.push_str(&decoded[at..f.range.start]);
            next.push_str(&f.decoded);
            at = f.range.end;
        }
        next.push_str(&decoded[at..]);
        decoded = next;
        levels += 1;
    }
    (decoded, levels)
}

impl Check for Mojibake {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        for mut f in find(ctx.text) {
            let mut levels = 1;
            if f.certain {
                (f.decoded, levels) = decode_fully(std::mem::take(&mut f.decoded));
            }
            let mut d = self
                .rule
                .finding(ctx.text, ctx.lines, f.range.clone(), None);
            let help = self
                .rule
                .help
                .as_deref()
                .unwrap_or("replace it with the decoded text");
            if levels > 1 {
                d.message = format!(
                    "{}, {}",
                    d.message,
                    match levels {
                        2 => "twice",
                        3 => "three times",
                        _ => "four times",
                    }
                );
            }
            d.help = Some(if f.certain {
                format!("{help}: `{}`", f.decoded)
            } else {
                format!("{help}: probably `{}` (its last byte was lost)", f.decoded)
            });
            let applicability = if f.certain {
                self.applicability
            } else {
                Applicability::Unsafe
            };
            d.fix = Some(Fix::new(
                applicability,
                vec![Edit::replace(f.range, f.decoded)],
            ));
            out.push(d);
        }
    }
}

/// `check = "c1-control"`: C1 control characters (U+0080..U+009F), which
/// are Windows-1252 punctuation decoded as Latin-1. Those inside mojibake
/// are left to the mojibake rule, so that one artifact gives one finding.
pub struct C1Control {
    rule: Arc<Rule>,
}

impl C1Control {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        Ok(C1Control { rule: rule.clone() })
    }
}

impl Check for C1Control {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) || ctx.text.is_ascii() {
            return;
        }
        let is_c1 = |c: char| ('\u{80}'..='\u{9F}').contains(&c);
        // C1 characters are C2 80..C2 9F in UTF-8.
        let bytes = ctx.text.as_bytes();
        if !memchr::memchr_iter(0xC2, bytes).any(|i| matches!(bytes.get(i + 1), Some(0x80..=0x9F)))
        {
            return;
        }
        let mojibake = find(ctx.text);
        let mut iter = ctx.text.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            if !is_c1(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, n)) = iter.peek() {
                if !is_c1(n) {
                    break;
                }
                end = i + n.len_utf8();
                iter.next();
            }
            if !mojibake
                .iter()
                .any(|m| m.range.start < end && start < m.range.end)
            {
                out.push(self.rule.finding(ctx.text, ctx.lines, start..end, None));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_passes_mojibake_and_skips_german() {
        let may_hold = |s: &str| candidates(s.as_bytes()).next().is_some();
        assert!(may_hold("fÃ¼r"));
        assert!(may_hold("â€ž"));
        assert!(may_hold("Â©"));
        assert!(!may_hold("Größere Übel, schöne Grüße, ça va, Æsir"));
    }

    #[test]
    fn runs_are_read_around_each_candidate() {
        // Two stretches in one run, one in another, text between them.
        let text = "Zeit fÃ¼r â€žGrÃ¶ÃŸe“ und Ã¤ndern";
        let decoded: Vec<String> = find(text).into_iter().map(|f| f.decoded).collect();
        assert_eq!(decoded, ["ü", "„", "öß", "ä"]);
        assert!(find("Größere Übel").is_empty());
    }

    /// Every run of the text, read from start to end.
    fn find_by_full_scan(text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let mut run = Vec::new();
        for (pos, c) in text.char_indices() {
            match cp1252_byte(c) {
                Some(b) => run.push((pos, c, b)),
                None => {
                    if run.len() >= 2 {
                        scan_run(&run, &mut found);
                    }
                    run.clear();
                }
            }
        }
        if run.len() >= 2 {
            scan_run(&run, &mut found);
        }
        found
    }

    #[test]
    fn reading_around_candidates_finds_what_a_full_scan_finds() {
        for text in [
            "Zeit fÃ¼r â€žGrÃ¶ÃŸe“ und Ã¤ndern",
            "Ã¼Ã¶Ã¤",
            "Â©Â®â€™ am Ende: Ã",
            "â€",
            "Ü“ und „Ü“ bleiben, €ž auch",
            "xÃ¼ Ã¼x ÂÃ¼ Ã€€Ã¼ ä€Ã¶",
        ] {
            assert_eq!(find(text), find_by_full_scan(text), "{text}");
        }
    }

    #[test]
    fn cp1252_round_trip_of_common_mojibake() {
        let bytes: Vec<u8> = "Ã¼".chars().map(|c| cp1252_byte(c).unwrap()).collect();
        assert_eq!(std::str::from_utf8(&bytes).unwrap(), "ü");
        let bytes: Vec<u8> = "â€ž".chars().map(|c| cp1252_byte(c).unwrap()).collect();
        assert_eq!(std::str::from_utf8(&bytes).unwrap(), "„");
    }
}
