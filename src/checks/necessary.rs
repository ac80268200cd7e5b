//! Literals that every match of a pattern contains: a line rule without
//! `requires` gets them derived from its pattern, so it runs behind the
//! linter's literal prefilter like a rule that lists them by hand. A line
//! that holds none of them cannot match, and the rule's regex never sees it.
//!
//! The set is derived from the pattern's syntax tree, so it is exact by
//! construction: it loses no match, whatever the wording of the line. It
//! is folded to ASCII lower case, as the literal automaton folds ASCII case
//! itself; letters beyond ASCII keep every case form the pattern allows
//! (`(?i)ü` gives `ü` and `Ü`).

use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::BTreeSet;

/// The shortest literal worth a prefilter: shorter ones hit most lines.
const MIN_LEN: usize = 3;
/// The most strings a finite piece of a pattern may expand to.
const MAX_SET: usize = 256;
/// The most characters a class may hold to be expanded.
const MAX_CLASS: usize = 12;

type Set = BTreeSet<String>;

/// What one piece of a pattern tells about its matches.
struct Info {
    /// Every match is one of these strings (a finite language).
    exact: Option<Set>,
    /// Every match contains one of these strings.
    need: Option<Set>,
}

/// The literals every match of `pattern` contains, folded to ASCII lower
/// case, each at least three bytes long; `None` when the pattern has no
/// such set (a class of digits, `.*` alone, a two-letter word).
pub fn literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let need = info(&hir).need?;
    good(&need).then(|| need.into_iter().collect())
}

/// Whether `set` is a usable prefilter.
fn good(set: &Set) -> bool {
    !set.is_empty() && set.len() <= MAX_SET && set.iter().all(|s| s.len() >= MIN_LEN)
}

/// The better of two prefilters: longer literals hit fewer lines, and at
/// equal length fewer literals make a smaller automaton.
fn better(a: Set, b: Set) -> Set {
    let score = |s: &Set| {
        let shortest = s.iter().map(String::len).min().unwrap_or(0).min(8);
        (good(s), shortest, std::cmp::Reverse(s.len()))
    };
    if score(&b) > score(&a) { b } else { a }
}

fn best(a: Option<Set>, b: Option<Set>) -> Option<Set> {
    match (a, b) {
        (Some(a), Some(b)) => Some(better(a, b)),
        (a, b) => a.or(b),
    }
}

fn single(s: String) -> Set {
    Set::from([s])
}

/// Every pairing of a string of `a` followed by one of `b`; `None` above
/// [`MAX_SET`].
fn product(a: &Set, b: &Set) -> Option<Set> {
    if a.len().saturating_mul(b.len()) > MAX_SET {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| format!("{x}{y}")))
            .collect(),
    )
}

/// A finite set used as a prefilter: usable only if no string is empty.
fn as_need(exact: &Set) -> Option<Set> {
    (!exact.is_empty() && exact.iter().all(|s| !s.is_empty())).then(|| exact.clone())
}

fn info(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(single(String::new())),
            need: None,
        },
        HirKind::Literal(lit) => {
            let exact = std::str::from_utf8(&lit.0)
                .ok()
                .map(|s| single(s.to_ascii_lowercase()));
            let need = exact.as_ref().and_then(as_need);
            Info { exact, need }
        }
        HirKind::Class(class) => {
            let exact = class_strings(class);
            let need = exact.as_ref().and_then(as_need);
            Info { exact, need }
        }
        HirKind::Capture(cap) => info(&cap.sub),
        HirKind::Repetition(rep) => {
            let sub = info(&rep.sub);
            let need = if rep.min >= 1 { sub.need.clone() } else { None };
            // A short bounded repetition of a finite piece stays finite:
            // `(?:s|)` or `e?`.
            let exact = match (&sub.exact, rep.max) {
                (Some(one), Some(max)) if max <= 2 => {
                    let mut all = Set::new();
                    let mut power = single(String::new());
                    let mut ok = true;
                    for k in 0..=max {
                        if k >= rep.min {
                            all.extend(power.iter().cloned());
                        }
                        if k < max {
                            match product(&power, one) {
                                Some(p) => power = p,
                                None => {
                                    ok = false;
                                    break;
                                }
                            }
                        }
                    }
                    (ok && all.len() <= MAX_SET).then_some(all)
                }
                _ => None,
            };
            let need = best(need, exact.as_ref().and_then(as_need));
            Info { exact, need }
        }
        HirKind::Alternation(alts) => {
            let infos: Vec<Info> = alts.iter().map(info).collect();
            let exact = infos.iter().try_fold(Set::new(), |mut all, i| {
                all.extend(i.exact.as_ref()?.iter().cloned());
                (all.len() <= MAX_SET).then_some(all)
            });
            // Every match is a match of one branch: the union of what each
            // branch needs, or nothing if one branch needs nothing.
            let need = infos.iter().try_fold(Set::new(), |mut all, i| {
                all.extend(i.need.as_ref()?.iter().cloned());
                Some(all)
            });
            let need = best(need, exact.as_ref().and_then(as_need));
            Info { exact, need }
        }
        HirKind::Concat(parts) => {
            let infos: Vec<Info> = parts.iter().map(info).collect();
            let mut need: Option<Set> = None;
            // Runs of finite pieces join into longer literals.
            let mut run: Option<Set> = Some(single(String::new()));
            let mut whole = true;
            for i in &infos {
                need = best(need, i.need.clone());
                run = match (&run, &i.exact) {
                    (Some(r), Some(e)) => match product(r, e) {
                        Some(p) => Some(p),
                        None => {
                            whole = false;
                            Some(e.clone())
                        }
                    },
                    (None, Some(e)) => Some(e.clone()),
                    (_, None) => {
                        whole = false;
                        None
                    }
                };
                if let Some(r) = &run {
                    need = best(need, as_need(r));
                }
            }
            let exact = if whole { run } else { None };
            Info { exact, need }
        }
    }
}

/// The characters of a small class, each folded to ASCII lower case.
fn class_strings(class: &Class) -> Option<Set> {
    let mut out = Set::new();
    match class {
        Class::Unicode(c) => {
            let mut count = 0usize;
            for r in c.ranges() {
                count += r.end() as usize - r.start() as usize + 1;
                if count > MAX_CLASS * 2 {
                    return None;
                }
                for ch in r.start()..=r.end() {
                    out.insert(ch.to_ascii_lowercase().to_string());
                }
            }
        }
        Class::Bytes(c) => {
            let mut count = 0usize;
            for r in c.ranges() {
                count += r.end() as usize - r.start() as usize + 1;
                if count > MAX_CLASS * 2 || !r.end().is_ascii() {
                    return None;
                }
                for b in r.start()..=r.end() {
                    out.insert((b.to_ascii_lowercase() as char).to_string());
                }
            }
        }
    }
    (out.len() <= MAX_CLASS).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<Vec<String>> {
        literals(p)
    }

    #[test]
    fn words_of_an_alternation_fold_ascii_case() {
        assert_eq!(
            lits(r"(?i)^(?:share|teilen)\s+on\s+\w+$"),
            Some(vec!["share".into(), "teilen".into(), "ſhare".into()])
        );
    }

    #[test]
    fn letters_beyond_ascii_keep_their_case_forms() {
        assert_eq!(
            lits(r"(?i).*\bfür\b.*"),
            Some(vec!["fÜr".into(), "für".into()])
        );
    }

    #[test]
    fn the_long_s_and_the_kelvin_sign_are_kept() {
        // `(?i)s` also matches U+017F and `(?i)k` U+212A: a line written
        // with them matches the regex, so the prefilter must let it through.
        let l = lits(r"(?i)^ask$").unwrap();
        assert!(l.contains(&"ask".to_string()));
        assert!(l.contains(&"aſk".to_string()));
        assert!(l.contains(&"as\u{212A}".to_string()));
    }

    #[test]
    fn optional_pieces_expand() {
        assert_eq!(
            lits(r"^e-?mails?$"),
            Some(vec!["e-mail".into(), "email".into()])
        );
    }

    #[test]
    fn a_branch_without_literals_gives_none() {
        assert_eq!(lits(r"(?i)^(?:share|\d+)$"), None);
        assert_eq!(lits(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), None);
        assert_eq!(lits(r"(?i)^(?:by|von)\s+\w+$"), None);
        assert_eq!(lits(r".*"), None);
    }

    #[test]
    fn the_longest_needed_piece_wins() {
        // Eight bytes are as good as more: the first such piece is kept.
        assert_eq!(
            lits(r"(?i)^\d+\s+(?:comments|kommentare)$"),
            Some(vec![
                "comments".into(),
                "commentſ".into(),
                "kommenta".into(),
                "\u{212A}ommenta".into()
            ])
        );
    }

    #[test]
    fn every_match_holds_a_literal() {
        // A property over a few real shapes: whatever the regex matches
        // holds one of the literals (compared with ASCII case folded).
        let cases = [
            (
                r"(?i)^(?:jetzt\s+)?(?:teilen|share)(?:\s+auf\s+\w+)?$",
                "Jetzt TEILEN auf X",
            ),
            (
                r"(?i).*(?:newsletter|mailing\s+list).*",
                "Join our MAILING list",
            ),
            (
                r"(?i)^(?:\d+\s+)?min(?:uten)?\.?\s+lesezeit$",
                "5 Min. Lesezeit",
            ),
        ];
        for (pattern, line) in cases {
            let re = regex::Regex::new(pattern).unwrap();
            assert!(re.is_match(line), "{pattern}");
            let l = lits(pattern).unwrap();
            let folded = line.to_ascii_lowercase();
            assert!(
                l.iter().any(|x| folded.contains(x.as_str())),
                "{pattern}: {l:?}"
            );
        }
    }
}
