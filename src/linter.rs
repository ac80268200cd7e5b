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

use crate::checks::{Check, Ctx, LineSet, LiteralScan, Phase, PhraseSet};
use crate::corpus::{CorpusCtx, CorpusNeed};
use crate::diagnostic::{self, Diagnostic};
use crate::fix;
use crate::lang::DocLang;
use crate::rules::{Entry, Kind, RuleSet};
use crate::text::LineIndex;
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
    /// Severity overrides (config `[severity]`): rule id or prefix, severity.
    severities: Vec<(String, crate::diagnostic::Severity)>,
}

/// A text after fixing, and what is left to report on it.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    pub text: String,
    /// Fixes applied over all passes.
    pub fixed: usize,
    /// Findings on the fixed text.
    pub diagnostics: Vec<Diagnostic>,
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
        let ((patterns, literals), lines) = rayon::join(
            || {
                rayon::join(
                    || crate::checks::PatternSet::new(pattern_rules),
                    || LiteralScan::new(&phrase_rules, &guarded),
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
        let (late, checks) = checks
            .into_iter()
            .partition(|c| c.phase() == Phase::Findings);
        Ok(Linter {
            literals,
            checks,
            late,
            severities: Vec::new(),
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
        let lang = lang.into();
        let lines = LineIndex::new(text);
        let literals = self
            .literals
            .as_ref()
            .map(|l| l.scan(text, &lines))
            .unwrap_or_default();
        let ctx = Ctx {
            text,
            lines: &lines,
            lang: lang.code,
            lang_declared: lang.declared,
            literals: &literals,
            corpus,
        };
        let mut out = Vec::new();
        for check in &self.checks {
            check.run(&ctx, &mut out);
        }
        // The second phase: document-level signals over the findings.
        if !self.late.is_empty() {
            let mut signals = Vec::new();
            for check in &self.late {
                check.run_on_findings(&ctx, &out, &mut signals);
            }
            out.append(&mut signals);
        }
        if !self.severities.is_empty() {
            for d in &mut out {
                if let Some((_, severity)) = self
                    .severities
                    .iter()
                    .find(|(name, _)| crate::rules::selector_matches(name, &d.rule))
                {
                    d.severity = *severity;
                }
            }
        }
        diagnostic::sort(&mut out);
        out.dedup();
        out
    }

    /// Applies fixes (unsafe ones too when asked) pass after pass until the
    /// text stops changing, at most [`MAX_FIX_PASSES`] times.
    pub fn fix<'a>(
        &self,
        text: &str,
        lang: impl Into<DocLang<'a>>,
        unsafe_fixes: bool,
    ) -> FixOutcome {
        self.fix_in(text, lang, unsafe_fixes, None)
    }

    /// [`Linter::fix`] for a document of a corpus (see [`Linter::check_in`]).
    /// The corpus counts stay those of the text before fixing.
    pub fn fix_in<'a>(
        &self,
        text: &str,
        lang: impl Into<DocLang<'a>>,
        unsafe_fixes: bool,
        corpus: Option<CorpusCtx<'_>>,
    ) -> FixOutcome {
        let lang = lang.into();
        let mut current = text.to_string();
        let mut fixed = 0;
        for _ in 0..MAX_FIX_PASSES {
            let diagnostics = self.check_in(&current, lang, corpus);
            let fixes = diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.allowed(unsafe_fixes));
            let (next, applied) = fix::apply(&current, fixes);
            if applied == 0 || next == current {
                return FixOutcome {
                    text: current,
                    fixed,
                    diagnostics,
                };
            }
            fixed += applied;
            current = next;
        }
        let diagnostics = self.check_in(&current, lang, corpus);
        FixOutcome {
            text: current,
            fixed,
            diagnostics,
        }
    }
}
