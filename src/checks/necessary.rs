//! Literals that every match of a pattern contains: a line rule without
//! `requires` gets them derived from its pattern, so it runs behind the
//! linter's literal prefilter like a rule that lists them by hand. A line
//! that holds none of them cannot match, and the rule's regex never sees it.
//!
//! The set is derived from the pattern's syntax tree (the parser's AST: no
//! Unicode tables are built, which kept this from costing a fifth of
//! start-up), so it is exact by construction: it loses no match, whatever
//! the wording of the line. Every letter counts as case-insensitive, which
//! only adds literals: each is folded to ASCII lower case, as the literal
//! automaton folds ASCII case itself, and letters beyond ASCII keep every
//! simple case form (`ü` gives `ü` and `Ü`, `s` also the long s).

use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem, RepetitionKind, RepetitionRange};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
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
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    let need = info(&ast).need?;
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

fn info(node: &Ast) -> Info {
    let finite = |exact: Option<Set>| {
        let need = exact.as_ref().and_then(as_need);
        Info { exact, need }
    };
    match node {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => Info {
            exact: Some(single(String::new())),
            need: None,
        },
        Ast::Literal(lit) => finite(chars_of(std::iter::once(lit.c))),
        Ast::ClassBracketed(class) if !class.negated => finite(bracketed(&class.kind)),
        Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) | Ast::ClassBracketed(_) => Info {
            exact: None,
            need: None,
        },
        Ast::Group(group) => info(&group.ast),
        Ast::Repetition(rep) => {
            let (min, max) = match &rep.op.kind {
                RepetitionKind::ZeroOrOne => (0, Some(1)),
                RepetitionKind::ZeroOrMore => (0, None),
                RepetitionKind::OneOrMore => (1, None),
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => (*n, Some(*n)),
                RepetitionKind::Range(RepetitionRange::AtLeast(n)) => (*n, None),
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => (*m, Some(*n)),
            };
            let sub = info(&rep.ast);
            let need = if min >= 1 { sub.need.clone() } else { None };
            // A short bounded repetition of a finite piece stays finite:
            // `(?:s|)` or `e?`.
            let exact = match (&sub.exact, max) {
                (Some(one), Some(max)) if max <= 2 => {
                    let mut all = Set::new();
                    let mut power = single(String::new());
                    let mut ok = true;
                    for k in 0..=max {
                        if k >= min {
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
        Ast::Alternation(alt) => {
            let infos: Vec<Info> = alt.asts.iter().map(info).collect();
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
        Ast::Concat(concat) => {
            let mut need: Option<Set> = None;
            // Runs of finite pieces join into longer literals; a run is
            // weighed as a prefilter when it ends.
            let mut run: Option<Set> = Some(single(String::new()));
            let mut whole = true;
            for part in &concat.asts {
                let i = info(part);
                need = best(need, i.need);
                let Some(exact) = i.exact else {
                    whole = false;
                    if let Some(r) = run.take() {
                        need = best(need, as_need(&r));
                    }
                    continue;
                };
                match run
                    .as_ref()
                    .map_or(Some(exact.clone()), |r| product(r, &exact))
                {
                    Some(joined) => run = Some(joined),
                    None => {
                        whole = false;
                        if let Some(r) = run.take() {
                            need = best(need, as_need(&r));
                        }
                        run = Some(exact);
                    }
                }
            }
            if let Some(r) = &run {
                need = best(need, as_need(r));
            }
            let exact = if whole { run } else { None };
            Info { exact, need }
        }
    }
}

/// The characters of a bracketed class without negation, when it is
/// small: literals, ranges and nested unions of them.
fn bracketed(set: &ClassSet) -> Option<Set> {
    let mut chars = Vec::new();
    let ClassSet::Item(item) = set else {
        return None;
    };
    collect(item, &mut chars)?;
    chars_of(chars.into_iter())
}

fn collect(item: &ClassSetItem, out: &mut Vec<char>) -> Option<()> {
    match item {
        ClassSetItem::Empty(_) => {}
        ClassSetItem::Literal(lit) => out.push(lit.c),
        ClassSetItem::Range(r) => {
            if (r.end.c as u32).saturating_sub(r.start.c as u32) as usize >= MAX_CLASS {
                return None;
            }
            out.extend(r.start.c..=r.end.c);
        }
        ClassSetItem::Union(u) => {
            for i in &u.items {
                collect(i, out)?;
            }
        }
        ClassSetItem::Bracketed(b) if !b.negated => {
            let ClassSet::Item(i) = &b.kind else {
                return None;
            };
            collect(i, out)?;
        }
        _ => return None,
    }
    (out.len() <= MAX_CLASS).then_some(())
}

/// The strings of one character each that `chars` match when case is
/// ignored: every simple case form (`ü`, `Ü`; `s`, `ſ`), folded to ASCII
/// lower case.
fn chars_of(chars: impl Iterator<Item = char>) -> Option<Set> {
    let mut class = ClassUnicode::empty();
    let mut out = Set::new();
    for c in chars {
        // ASCII folds to ASCII but for `k` (the Kelvin sign) and `s` (the
        // long s): no case tables for the rest.
        if c.is_ascii() && !matches!(c, 'k' | 'K' | 's' | 'S') {
            out.insert(c.to_ascii_lowercase().to_string());
        } else {
            class.push(ClassUnicodeRange::new(c, c));
        }
    }
    class.case_fold_simple();
    for r in class.ranges() {
        for c in r.start()..=r.end() {
            out.insert(c.to_ascii_lowercase().to_string());
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
            Some(vec![
                "e-mail".into(),
                "e-mails".into(),
                "e-mailſ".into(),
                "email".into(),
                "emails".into(),
                "emailſ".into()
            ])
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
        assert_eq!(
            lits(r"(?i)^\d+\s+(?:comments|kommentare)$"),
            Some(vec![
                "comments".into(),
                "commentſ".into(),
                "kommentare".into(),
                "\u{212A}ommentare".into()
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
