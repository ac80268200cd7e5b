//! The linter: the compiled checks of a rule set, run over one text, and
//! the fix loop that applies their fixes pass after pass until the text is
//! stable. No I/O here; the engine feeds it documents.
//!
//! A document is checked in two phases: every text check, then the few
//! document-level checks that summarise the findings of the first phase
//! ([`Phase::Findings`], such as the share of boilerplate lines). The
//! second phase sees only what the first found, so it counts the rules
//! that ran (`--select`, `--ignore`), and it costs nothing when no such
//! rule is loaded.

use crate::checks::{Check, Ctx, LineSet, LiteralScan, PassMemo, Phase, PhraseSet};
use crate::corpus::{CorpusCtx, CorpusNeed};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::fix::{self, Applicability};
use crate::lang::{DocLang, LangChoice};
use crate::rules::{Entry, Kind, RuleSet};
use crate::text::LineIndex;
use crate::timings;
use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

/// Fix passes before giving up on reaching a stable text.
pub const MAX_FIX_PASSES: usize = 10;

/// The compiled checks of a rule set.
pub struct Linter {
    /// The phrases and `requires` literals of all rules, scanned first.
    literals: Option<LiteralScan>,
    checks: Vec<Arc<dyn Check>>,
    /// Checks that run after `checks`, on their findings ([`Phase::Findings`]).
    late: Vec<Arc<dyn Check>>,
    /// The text checks that only tidy whitespace ([`Check::tidies`]),
    /// also run on their own after each fix pass.
    tidy: Vec<Arc<dyn Check>>,
    /// Severity overrides (config `[severity]`): rule id or prefix, severity.
    severities: Vec<(String, crate::diagnostic::Severity)>,
    /// The rules that yield to others (`yields_to`): rule id, the rules
    /// (ids or prefixes) it yields to.
    yields: Vec<(Arc<str>, Vec<String>)>,
}

/// A text after fixing, and what is left to report on it.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    pub text: String,
    /// Fixes applied over all passes.
    pub fixed: usize,
    /// Findings on the fixed text.
    pub diagnostics: Vec<Diagnostic>,
    /// The language of the fixed text, as a fresh check would see it.
    pub lang: Option<String>,
    /// The findings whose fixes were applied, from every pass, with their
    /// spans and edits mapped back onto the text before fixing: every byte
    /// fixing changed lies in one of their edits.
    pub applied: Vec<Diagnostic>,
    /// Rules whose fixes did not settle within [`MAX_FIX_PASSES`]: their
    /// fixes are left out, and the text is the one fixing settles on
    /// without them.
    pub unsettled: Vec<Arc<str>>,
}

/// How the fix loop learns the language of each pass's text.
#[derive(Debug, Clone, Copy)]
pub enum PassLang<'a> {
    /// Given for the whole document (`--lang`, or an example's language).
    Given(DocLang<'a>),
    /// Detected anew on each pass's text, as a fresh run on that text
    /// would detect it.
    Detect,
}

impl<'a> From<DocLang<'a>> for PassLang<'a> {
    fn from(lang: DocLang<'a>) -> Self {
        PassLang::Given(lang)
    }
}

impl<'a> From<Option<&'a str>> for PassLang<'a> {
    fn from(code: Option<&'a str>) -> Self {
        PassLang::Given(code.into())
    }
}

impl<'a> From<&'a LangChoice> for PassLang<'a> {
    fn from(choice: &'a LangChoice) -> Self {
        match choice {
            LangChoice::Auto => PassLang::Detect,
            LangChoice::Fixed(code) => PassLang::Given(DocLang {
                code: Some(code),
                declared: true,
            }),
        }
    }
}

impl Linter {
    pub fn new(set: &RuleSet) -> Result<Self, String> {
        Self::try_from_entries(set.entries())
    }

    /// A linter for exactly these rules.
    pub fn try_from_entries(entries: &[Entry]) -> Result<Self, String> {
        let mut checks: Vec<Arc<dyn Check>> = Vec::new();
        let mut phrase_rules = Vec::new();
        let mut line_rules = Vec::new();
        let mut quote_rules = Vec::new();
        let mut pattern_rules = Vec::new();
        for entry in entries {
            match entry.rule.kind {
                Kind::Phrases => phrase_rules.push(entry.rule.clone()),
                Kind::Line => line_rules.push(entry.rule.clone()),
                Kind::Pattern => pattern_rules.push(entry.rule.clone()),
                // Quote rules share one scan of the document's quotation marks.
                Kind::Builtin if entry.rule.check.as_deref() == Some("quote-balance") => {
                    quote_rules.push(entry.rule.clone())
                }
                _ => checks.extend(entry.check.clone()),
            }
        }
        if !quote_rules.is_empty() {
            let check =
                crate::checks::QuoteBalance::combined(&quote_rules).map_err(|e| e.message)?;
            checks.push(Arc::new(check));
        }
        // The shared sets compile in parallel (the line sets are most of it).
        let guarded = crate::checks::guarded_rules(&line_rules);
        let mut line_sets: Vec<(Arc<str>, Vec<String>)> =
            checks.iter().filter_map(|c| c.line_literals()).collect();
        // A key two checks give would name the lines of one of them to both.
        let keys: Vec<Arc<str>> = line_sets.iter().map(|(k, _)| k.clone()).collect();
        line_sets.retain(|(k, _)| keys.iter().filter(|o| *o == k).count() == 1);
        let ((patterns, literals), lines) = rayon::join(
            || {
                rayon::join(
                    || crate::checks::PatternSet::new(pattern_rules),
                    || LiteralScan::new(&phrase_rules, &guarded, &line_sets),
                )
            },
            || LineSet::new(line_rules),
        );
        let phrases = PhraseSet::new(phrase_rules);
        if let Some(set) = patterns {
            let set = set.map_err(|e| format!("pattern rules together: {}", e.message))?;
            checks.push(Arc::new(set));
        }
        if let Some(set) = phrases {
            checks.push(Arc::new(set));
        }
        if let Some(set) = lines {
            let set = set.map_err(|e| format!("line rules together: {}", e.message))?;
            checks.push(Arc::new(set));
        }
        let (late, checks): (Vec<_>, Vec<_>) = checks
            .into_iter()
            .partition(|c| c.phase() == Phase::Findings);
        let tidy = checks.iter().filter(|c| c.tidies()).cloned().collect();
        let yields = entries
            .iter()
            .filter(|e| !e.rule.yields_to.is_empty())
            .map(|e| (e.rule.id.clone(), e.rule.yields_to.clone()))
            .collect();
        Ok(Linter {
            literals,
            checks,
            late,
            tidy,
            severities: Vec::new(),
            yields,
        })
    }

    /// Gives the rules that `overrides` names (ids or prefixes) another
    /// severity; the most specific name wins.
    pub fn with_severities(
        mut self,
        overrides: Vec<(String, crate::diagnostic::Severity)>,
    ) -> Self {
        let mut overrides = overrides;
        // Longer names are more specific: `html/leftover-tag` before `html/`.
        overrides.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
        self.severities = overrides;
        self
    }

    /// What the corpus-level checks need counted across all documents
    /// before the run, if there are any (see [`crate::corpus`]).
    pub fn corpus_need(&self) -> Option<CorpusNeed> {
        self.checks
            .iter()
            .filter_map(|c| c.corpus_need())
            .reduce(CorpusNeed::union)
    }

    /// Every finding in `text`, in reporting order. `lang` is the
    /// document's language: a code alone (`Some("de")`, `None`) counts as
    /// detected, a [`DocLang`] says whether the run declared it.
    pub fn check<'a>(&self, text: &str, lang: impl Into<DocLang<'a>>) -> Vec<Diagnostic> {
        self.check_in(text, lang, None)
    }

    /// Every finding in `text` as a document of a corpus whose recurring
    /// lines are `corpus` (`None`: a document alone; corpus-level checks
    /// stay silent).
    pub fn check_in<'a>(
        &self,
        text: &str,
        lang: impl Into<DocLang<'a>>,
        corpus: Option<CorpusCtx<'_>>,
    ) -> Vec<Diagnostic> {
        self.check_with(text, lang.into(), corpus, None)
    }

    /// [`Linter::check_in`] with what earlier passes over the document
    /// remembered (see [`PassMemo`]).
    fn check_with(
        &self,
        text: &str,
        lang: DocLang<'_>,
        corpus: Option<CorpusCtx<'_>>,
        memo: Option<&PassMemo>,
    ) -> Vec<Diagnostic> {
        self.run_checks(&self.checks, true, text, lang, corpus, memo, None)
            .0
    }

    /// The findings of the [`Check::tidies`] checks alone in `text`.
    fn tidy_findings(
        &self,
        text: &str,
        lang: DocLang<'_>,
        corpus: Option<CorpusCtx<'_>>,
    ) -> Vec<Diagnostic> {
        self.run_checks(&self.tidy, false, text, lang, corpus, None, None)
            .0
    }

    /// Runs `checks` over `text`; with `whole`, also the literal scan they
    /// read and the document-level checks over their findings. With
    /// `settle`, the checks it defers run only if what the others found
    /// would not change the text; when they would, the findings of the
    /// others come back alone, with the change they make.
    #[allow(clippy::too_many_arguments)]
    fn run_checks(
        &self,
        checks: &[Arc<dyn Check>],
        whole: bool,
        text: &str,
        lang: DocLang<'_>,
        corpus: Option<CorpusCtx<'_>>,
        memo: Option<&PassMemo>,
        settle: Option<&Settle<'_>>,
    ) -> (Vec<Diagnostic>, Option<Change>) {
        let lines = timings::time("LineIndex", || LineIndex::new(text));
        let literals = timings::time("LiteralScan", || match &self.literals {
            Some(l) if whole => match memo {
                Some(memo) => l.scan_with(text, &lines, &mut memo.literals.borrow_mut()),
                None => l.scan(text, &lines),
            },
            _ => crate::checks::LiteralHits::default(),
        });
        let ctx = Ctx {
            text,
            lines: &lines,
            lang: lang.code,
            lang_declared: lang.declared,
            literals: &literals,
            corpus,
            memo,
        };
        let settle = settle.filter(|s| whole && self.late.iter().all(|c| s.defers(&**c)));
        // Each check's findings apart, joined in the checks' order whatever
        // order they ran in.
        let mut found: Vec<Vec<Diagnostic>> = Vec::new();
        found.resize_with(checks.len(), Vec::new);
        // The findings so far. A rule belongs to one check, so findings
        // that sort alike come from one check, in its order: sorting the
        // findings of the deferred checks in after the others' gives the
        // order of sorting all at once. The document-level checks count
        // findings by line, whatever their order and severity.
        let mut out: Vec<Diagnostic> = Vec::new();
        if let Some(settle) = settle {
            for (check, found) in checks.iter().zip(&mut found) {
                if !settle.defers(&**check) {
                    timings::time(check.name(), || check.run(&ctx, found));
                }
            }
            out = found.iter_mut().flat_map(std::mem::take).collect();
            self.finish(&mut out);
            if let Some(change) = (settle.changes)(&out) {
                return (out, Some(change));
            }
            for (check, found) in checks.iter().zip(&mut found) {
                if settle.defers(&**check) {
                    timings::time(check.name(), || check.run(&ctx, found));
                }
            }
        } else {
            for (check, found) in checks.iter().zip(&mut found) {
                timings::time(check.name(), || check.run(&ctx, found));
            }
        }
        out.extend(found.into_iter().flatten());
        // The second phase: document-level signals over the findings.
        if whole && !self.late.is_empty() {
            let mut signals = Vec::new();
            for check in &self.late {
                timings::time(check.name(), || {
                    check.run_on_findings(&ctx, &out, &mut signals)
                });
            }
            out.append(&mut signals);
        }
        timings::time("finish", || {
            self.finish(&mut out);
            if !self.yields.is_empty() {
                self.drop_yielded(&mut out, &lines);
            }
        });
        (out, None)
    }

    /// Drops the findings of rules that yield to others (`yields_to`) on a
    /// line that a finding of one of those, at least as severe, covers.
    /// After the document-level signals, which count every finding.
    fn drop_yielded(&self, out: &mut Vec<Diagnostic>, lines: &LineIndex) {
        // (yielding rule, line) -> the highest severity of a finding it
        // yields to on that line.
        let mut covered: HashMap<(usize, usize), Severity> = HashMap::new();
        for (i, (id, to)) in self.yields.iter().enumerate() {
            for o in out.iter() {
                if o.rule == *id
                    || o.whole_document
                    || !to
                        .iter()
                        .any(|s| crate::rules::selector_matches(s, &o.rule))
                {
                    continue;
                }
                let (first, last) = lines.lines_of_span(&o.span);
                for line in first..=last {
                    let at = covered.entry((i, line)).or_insert(o.severity);
                    *at = (*at).max(o.severity);
                }
            }
        }
        if covered.is_empty() {
            return;
        }
        out.retain(|d| {
            let Some(i) = self.yields.iter().position(|(id, _)| *id == d.rule) else {
                return true;
            };
            let line = lines.line_of(d.span.start);
            covered
                .get(&(i, line))
                .is_none_or(|&severity| severity < d.severity)
        });
    }

    /// The severity overrides, reporting order, no duplicates.
    fn finish(&self, out: &mut Vec<Diagnostic>) {
        if !self.severities.is_empty() {
            for d in out.iter_mut() {
                if let Some((_, severity)) = self
                    .severities
                    .iter()
                    .find(|(name, _)| crate::rules::selector_matches(name, &d.rule))
                {
                    d.severity = *severity;
                }
            }
        }
        diagnostic::sort(out);
        out.dedup();
    }

    /// Applies fixes (unsafe ones too when asked) pass after pass until the
    /// text stops changing, at most [`MAX_FIX_PASSES`] times.
    pub fn fix<'a>(
        &self,
        text: &str,
        lang: impl Into<PassLang<'a>>,
        unsafe_fixes: bool,
    ) -> FixOutcome {
        self.fix_in(text, lang, unsafe_fixes, None)
    }

    /// [`Linter::fix`] for a document of a corpus (see [`Linter::check_in`]).
    /// The corpus counts stay those of the text before fixing.
    ///
    /// Each pass checks the text as a fresh run would (its language
    /// detected anew), so a second fix of the result changes nothing. A
    /// rule whose fixes keep changing the text after [`MAX_FIX_PASSES`]
    /// passes is named in [`FixOutcome::unsettled`], and fixing starts
    /// over without its fixes.
    pub fn fix_in<'a>(
        &self,
        text: &str,
        lang: impl Into<PassLang<'a>>,
        unsafe_fixes: bool,
        corpus: Option<CorpusCtx<'_>>,
    ) -> FixOutcome {
        let lang = lang.into();
        let mut unsettled: Vec<Arc<str>> = Vec::new();
        // Each round leaves out more rules; a round that settles ends it.
        // Every round leaves out at least one more rule, so this ends.
        loop {
            match self.fix_round(text, lang, unsafe_fixes, corpus, &unsettled) {
                Ok(mut outcome) => {
                    unsettled.sort();
                    outcome.unsettled = unsettled;
                    return outcome;
                }
                Err(still_fixing) => {
                    let before = unsettled.len();
                    for rule in still_fixing {
                        if !unsettled.contains(&rule) {
                            unsettled.push(rule);
                        }
                    }
                    if unsettled.len() == before {
                        // Cannot happen (the last pass applied a fix of a
                        // rule not yet left out); stop at the text as it is.
                        return FixOutcome {
                            text: text.to_string(),
                            fixed: 0,
                            diagnostics: self.check_in(
                                text,
                                self.pass_lang(lang, text).as_doc(),
                                corpus,
                            ),
                            lang: self.pass_lang(lang, text).code,
                            applied: Vec::new(),
                            unsettled,
                        };
                    }
                }
            }
        }
    }

    /// Carries what `memo` knows of the text before the last step `done`
    /// recorded onto `text`, the text that step left.
    fn advance_memo(&self, memo: &PassMemo, done: &Applied, text: &str) {
        let Some(map) = done.maps.last() else {
            return;
        };
        if let Some(scan) = &self.literals {
            scan.advance(&mut memo.literals.borrow_mut(), map, text);
        }
        memo.lines.borrow_mut().advance(map);
    }

    fn pass_lang(&self, lang: PassLang<'_>, text: &str) -> OwnedLang {
        self.pass_lang_memo(lang, text, &mut None)
    }

    /// [`Linter::pass_lang`], detecting anew only when the language
    /// sample of `text` differs from the one in `memo` (an earlier pass's
    /// sample and its answer, which this pass's replaces): the same sample
    /// always gets the same answer.
    fn pass_lang_memo(
        &self,
        lang: PassLang<'_>,
        text: &str,
        memo: &mut Option<(String, Option<&'static str>)>,
    ) -> OwnedLang {
        match lang {
            PassLang::Given(l) => OwnedLang {
                code: l.code.map(str::to_string),
                declared: l.declared,
            },
            PassLang::Detect => {
                let sample = crate::lang::sample(text);
                let code = match memo {
                    Some((known, code)) if *known == *sample => *code,
                    _ => {
                        let code = crate::lang::detect_sample(&sample);
                        *memo = Some((sample.into_owned(), code));
                        code
                    }
                };
                OwnedLang {
                    code: code.map(str::to_string),
                    declared: false,
                }
            }
        }
    }

    /// One round of fix passes, leaving out the fixes of `skip`. `Err`
    /// names the rules whose fixes still changed the text in the last pass.
    fn fix_round(
        &self,
        text: &str,
        lang: PassLang<'_>,
        unsafe_fixes: bool,
        corpus: Option<CorpusCtx<'_>>,
        skip: &[Arc<str>],
    ) -> Result<FixOutcome, Vec<Arc<str>>> {
        let mut current = text.to_string();
        let mut done = Applied::default();
        let mut last_rules: Vec<Arc<str>> = Vec::new();
        let memo = PassMemo::default();
        let mut lang_memo = None;
        for pass in 0..=MAX_FIX_PASSES {
            let pass_lang = self.pass_lang_memo(lang, &current, &mut lang_memo);
            // Checks whose fixes this run does not apply run only on the
            // pass that settles: the findings of the others decide whether
            // the text changes, and a pass that changes it reports nothing.
            let changes = |found: &[Diagnostic]| {
                Step::new(&current, found, unsafe_fixes, skip).map(|s| Change {
                    taken: s.taken,
                    text: s.text,
                })
            };
            let settle = Settle {
                unsafe_fixes,
                changes: &changes,
            };
            let (diagnostics, change) = self.run_checks(
                &self.checks,
                true,
                &current,
                pass_lang.as_doc(),
                corpus,
                Some(&memo),
                Some(&settle),
            );
            // The change a settling pass found is the step: not made twice.
            let st = match change {
                Some(Change { taken, text }) => Some(Step {
                    candidates: Step::candidates(&diagnostics, unsafe_fixes, skip),
                    taken,
                    text,
                }),
                None => Step::new(&current, &diagnostics, unsafe_fixes, skip),
            };
            let Some(step) = st else {
                done.applied.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
                return Ok(FixOutcome {
                    text: current,
                    fixed: done.fixed,
                    diagnostics,
                    lang: pass_lang.code,
                    applied: done.applied,
                    unsettled: Vec::new(),
                });
            };
            if pass == MAX_FIX_PASSES {
                break;
            }
            last_rules = step.rules();
            current = done.record(step);
            self.advance_memo(&memo, &done, &current);
            // The whitespace the fixes left behind is tidied right away, so
            // that the next full check usually finds nothing more to fix.
            if !self.tidy.is_empty() {
                let tidy = self.tidy_findings(&current, pass_lang.as_doc(), corpus);
                if let Some(step) = Step::new(&current, &tidy, unsafe_fixes, skip) {
                    last_rules.extend(step.rules());
                    current = done.record(step);
                    self.advance_memo(&memo, &done, &current);
                }
            }
        }
        last_rules.sort();
        last_rules.dedup();
        Err(last_rules)
    }
}

/// What a pass of the fix loop may leave out until it settles.
struct Settle<'s> {
    unsafe_fixes: bool,
    /// How findings would change the text, if they would.
    changes: &'s dyn Fn(&[Diagnostic]) -> Option<Change>,
}

/// A [`Step`] without its borrowed findings: which of the candidates it
/// takes, and the text they make.
struct Change {
    taken: Vec<usize>,
    text: String,
}

impl Settle<'_> {
    /// Whether `check` can wait for the pass that settles: no fix of it is
    /// one this run applies.
    fn defers(&self, check: &dyn Check) -> bool {
        match check.fixes() {
            None => true,
            Some(Applicability::Unsafe) => !self.unsafe_fixes,
            Some(Applicability::Safe) => false,
        }
    }
}

/// The fixes one pass applies: those of its findings allowed and not left
/// out, as [`fix::apply_indexed`] takes them.
struct Step<'d> {
    candidates: Vec<&'d Diagnostic>,
    taken: Vec<usize>,
    text: String,
}

impl<'d> Step<'d> {
    /// `None` when no fix changes `text`.
    fn new(
        text: &str,
        diagnostics: &'d [Diagnostic],
        unsafe_fixes: bool,
        skip: &[Arc<str>],
    ) -> Option<Self> {
        let candidates = Self::candidates(diagnostics, unsafe_fixes, skip);
        let fixes: Vec<&fix::Fix> = candidates.iter().filter_map(|d| d.fix.as_ref()).collect();
        let (next, taken) = fix::apply_indexed(text, &fixes);
        (!taken.is_empty() && next != text).then_some(Step {
            candidates,
            taken,
            text: next,
        })
    }

    /// The findings whose fixes the step may apply, in their order.
    fn candidates(
        diagnostics: &'d [Diagnostic],
        unsafe_fixes: bool,
        skip: &[Arc<str>],
    ) -> Vec<&'d Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| {
                d.fix.as_ref().is_some_and(|f| f.allowed(unsafe_fixes)) && !skip.contains(&d.rule)
            })
            .collect()
    }

    /// The rules whose fixes the step applies.
    fn rules(&self) -> Vec<Arc<str>> {
        self.taken
            .iter()
            .map(|&i| self.candidates[i].rule.clone())
            .collect()
    }

    fn fix(&self, i: usize) -> &'d fix::Fix {
        self.candidates[i]
            .fix
            .as_ref()
            .expect("candidates have fixes")
    }
}

/// What the passes of a fix round applied so far.
#[derive(Default)]
struct Applied {
    fixed: usize,
    /// The findings whose fixes were applied, mapped onto the text before
    /// fixing.
    applied: Vec<Diagnostic>,
    /// The edits of every pass, to map later findings back onto that text.
    maps: Vec<fix::EditMap>,
}

impl Applied {
    /// Records `step` and returns the text it leaves.
    fn record(&mut self, step: Step<'_>) -> String {
        let map = fix::EditMap::new(step.taken.iter().flat_map(|&i| &step.fix(i).edits));
        for &i in &step.taken {
            let mut d = step.candidates[i].clone();
            for earlier in self.maps.iter().rev() {
                earlier.map_diagnostic(&mut d);
            }
            self.applied.push(d);
        }
        self.maps.push(map);
        self.fixed += step.taken.len();
        step.text
    }
}

/// A pass's language, owned (it may have been detected on that pass's text).
struct OwnedLang {
    code: Option<String>,
    declared: bool,
}

impl OwnedLang {
    fn as_doc(&self) -> DocLang<'_> {
        DocLang {
            code: self.code.as_deref(),
            declared: self.declared,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> &'static Linter {
        static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
        LINTER.get_or_init(|| {
            let set = RuleSet::builtin().expect("built-in rules load");
            Linter::new(&set).expect("built-in rules compile")
        })
    }

    fn rules_on_line(found: &[Diagnostic], text: &str, line: usize) -> Vec<String> {
        let lines = LineIndex::new(text);
        found
            .iter()
            .filter(|d| !d.whole_document && lines.line_of(d.span.start) == line)
            .map(|d| d.rule.to_string())
            .collect()
    }

    /// `boilerplate/link-line` yields to a more specific finding on its
    /// line, but only to one at least as severe, and stays on a link line
    /// no other rule reports.
    #[test]
    fn a_catch_all_rule_yields_to_a_specific_one_as_severe() {
        let text = "Der Hafen wird erweitert, sagte die Senatorin am Montag.\n\
                    [Facebook](https://facebook.com/x) | [Instagram](https://instagram.com/x)\n\
                    [Der Hafen im Mai](https://example.com/hafen)\n\
                    Die Arbeiten beginnen im Mai und dauern zwei Jahre.\n";
        let found = builtin().check(text, Some("de"));
        let social = rules_on_line(&found, text, 1);
        assert!(
            social.iter().any(|r| r.starts_with("boilerplate/"))
                && !social.iter().any(|r| r == "boilerplate/link-line"),
            "{social:?}"
        );
        assert_eq!(
            rules_on_line(&found, text, 2),
            ["boilerplate/link-line"],
            "{found:#?}"
        );
        let quieter = RuleSet::builtin().expect("built-in rules load");
        let linter = Linter::new(&quieter)
            .expect("built-in rules compile")
            .with_severities(vec![("boilerplate/share-link".into(), Severity::Info)]);
        let found = linter.check(text, Some("de"));
        let social = rules_on_line(&found, text, 1);
        assert!(
            social.iter().any(|r| r == "boilerplate/link-line"),
            "{social:?}"
        );
    }

    /// What the fix loop reports for the text it settled on is what a
    /// fresh check of that text finds: what its passes carried over (the
    /// literal hits, the line rules' findings) and the checks it ran only
    /// on the last pass change nothing.
    fn settles_as_a_fresh_check(text: &str, unsafe_fixes: bool) -> Result<(), String> {
        let linter = builtin();
        let outcome = linter.fix(text, PassLang::Detect, unsafe_fixes);
        if !outcome.unsettled.is_empty() {
            return Ok(());
        }
        let lang = DocLang {
            code: outcome.lang.as_deref(),
            declared: false,
        };
        let fresh = linter.check(&outcome.text, lang);
        if outcome.diagnostics != fresh {
            return Err(format!(
                "fixed text {:?}: the loop reports {:#?}, a fresh check {:#?}",
                outcome.text, outcome.diagnostics, fresh
            ));
        }
        if Step::new(&outcome.text, &fresh, unsafe_fixes, &[]).is_some() {
            return Err(format!("{:?} is left with a fix to apply", outcome.text));
        }
        Ok(())
    }

    #[test]
    fn the_fix_loop_settles_as_a_fresh_check_on_the_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in ["tests/ui", "examples/corpus"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("fixture folder")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            paths.sort();
            for path in paths {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue; // the fixtures of invalid UTF-8
                };
                for unsafe_fixes in [false, true] {
                    if let Err(e) = settles_as_a_fresh_check(&text, unsafe_fixes) {
                        panic!("{} (unsafe fixes: {unsafe_fixes}): {e}", path.display());
                    }
                }
                seen += 1;
            }
        }
        assert!(seen >= 20, "only {seen} fixtures read");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Documents put together from lines that fixes delete, change,
        /// repeat and leave alone, in any order.
        #[test]
        fn the_fix_loop_settles_as_a_fresh_check(
            picks in proptest::collection::vec(0usize..16, 1..30),
            unsafe_fixes in proptest::bool::ANY,
        ) {
            const LINES: [&str; 16] = [
                "Newsletter abonnieren\n",
                "Die Stadt plant neue Wege für den Verkehr in der Innenstadt.\n",
                "Anzeige\n",
                "Teilen auf Facebook\n",
                "\n",
                "\n\n\n",
                "Das  ist das Ende der Debatte im Rat. \n",
                "Der Bürgermeister sagte am Montag Die Opposition widersprach.\n",
                "Lesen Sie auch:\n",
                "Neue Radwege für die Stadt\n",
                "Copyright 2024 Stadtanzeiger\n",
                "The council met on Monday and approved the budget.\n",
                "Bitte aktivieren Sie JavaScript in Ihrem Browser\n",
                "Foto: dpa\n",
                "Er sagte: \u{201e}Wir bauen.\n",
                "Mehr zum Thema\u{ad}Verkehr &amp; Bau < /p>\n",
            ];
            let text: String = picks.iter().map(|&i| LINES[i]).collect();
            if let Err(e) = settles_as_a_fresh_check(&text, unsafe_fixes) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
    }
}
