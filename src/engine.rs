//! The engine: runs the compiled checks over documents, repeats fixes until
//! the text is stable, and processes many files in parallel while keeping the
//! results in input order, so output is the same for any thread count.

use crate::checks::{Check, Ctx, LineSet, PhraseSet};
use crate::diagnostic::{self, Diagnostic};
use crate::fix;
use crate::input::{self, InputError, Source};
use crate::lang::LangChoice;
use crate::rules::{Entry, Kind, RuleSet};
use crate::text::LineIndex;
use rayon::prelude::*;
use std::sync::Arc;

/// Fix passes before giving up on reaching a stable text.
pub const MAX_FIX_PASSES: usize = 10;

/// The compiled checks of a rule set.
pub struct Linter {
    checks: Vec<Arc<dyn Check>>,
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
        for entry in entries {
            match entry.rule.kind {
                Kind::Phrases => phrase_rules.push(entry.rule.clone()),
                Kind::Line => line_rules.push(entry.rule.clone()),
                _ => checks.extend(entry.check.clone()),
            }
        }
        if let Some(set) = PhraseSet::new(phrase_rules) {
            checks.push(Arc::new(set));
        }
        if let Some(set) = LineSet::new(line_rules) {
            let set = set.map_err(|e| format!("line rules together: {}", e.message))?;
            checks.push(Arc::new(set));
        }
        Ok(Linter { checks })
    }

    /// For entries already compiled one by one (their line patterns valid).
    pub(crate) fn from_entries(entries: &[Entry]) -> Self {
        Self::try_from_entries(entries).unwrap_or(Linter { checks: Vec::new() })
    }

    /// Every finding in `text`, in reporting order.
    pub fn check(&self, text: &str, lang: Option<&str>) -> Vec<Diagnostic> {
        let lines = LineIndex::new(text);
        let ctx = Ctx {
            text,
            lines: &lines,
            lang,
        };
        let mut out = Vec::new();
        for check in &self.checks {
            check.run(&ctx, &mut out);
        }
        diagnostic::sort(&mut out);
        out.dedup();
        out
    }

    /// Applies fixes (unsafe ones too when asked) pass after pass until the
    /// text stops changing, at most [`MAX_FIX_PASSES`] times.
    pub fn fix(&self, text: &str, lang: Option<&str>, unsafe_fixes: bool) -> FixOutcome {
        let mut current = text.to_string();
        let mut fixed = 0;
        for _ in 0..MAX_FIX_PASSES {
            let diagnostics = self.check(&current, lang);
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
        let diagnostics = self.check(&current, lang);
        FixOutcome {
            text: current,
            fixed,
            diagnostics,
        }
    }
}

/// What a run does with each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report findings.
    Check,
    /// Apply fixes in place, then report what is left.
    Fix,
    /// Show the fixes as a unified diff; change nothing.
    Diff,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub mode: Mode,
    pub unsafe_fixes: bool,
    pub lang: LangChoice,
}

/// One checked document.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    /// JSONL input: 1-based line of the record in its shard.
    pub record: Option<usize>,
    /// JSONL input: the value of the id field, when the record has one.
    pub doc_id: Option<serde_json::Value>,
    /// The text the findings refer to (after fixing, in `Fix` mode).
    pub text: String,
    pub lang: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Fixes applied (`Fix`) or that would be applied (`Diff`).
    pub fixed: usize,
    /// `Diff` mode: the unified diff of the fixes, empty when none.
    pub diff: String,
    /// Whether fixing changed the text (`Fix`) or would change it (`Diff`).
    pub changed: bool,
}

/// The outcome for one input, in input order.
pub type FileResult = Result<Document, InputError>;

/// Checks (and fixes) every source, in parallel; results come back in the
/// order of `sources`.
pub fn run(linter: &Linter, sources: &[Source], opts: &RunOptions) -> Vec<FileResult> {
    sources
        .par_iter()
        .map(|s| run_one(linter, s, opts))
        .collect()
}

fn run_one(linter: &Linter, source: &Source, opts: &RunOptions) -> FileResult {
    let text = input::read(source)?;
    check_text(linter, source, text, opts)
}

/// Checks one document's text under `opts`, writing the fix back for files.
pub fn check_text(linter: &Linter, source: &Source, text: String, opts: &RunOptions) -> FileResult {
    let path = source.display().to_string();
    let lang = opts.lang.resolve(&text);
    let mut doc = Document {
        path,
        record: None,
        doc_id: None,
        text: String::new(),
        lang: lang.clone(),
        diagnostics: Vec::new(),
        fixed: 0,
        diff: String::new(),
        changed: false,
    };
    match opts.mode {
        Mode::Check => {
            doc.diagnostics = linter.check(&text, lang.as_deref());
            doc.text = text;
        }
        Mode::Fix | Mode::Diff => {
            let outcome = linter.fix(&text, lang.as_deref(), opts.unsafe_fixes);
            doc.changed = outcome.text != text;
            doc.fixed = outcome.fixed;
            if opts.mode == Mode::Diff {
                if doc.changed {
                    doc.diff = unified_diff(&doc.path, &text, &outcome.text);
                }
                doc.diagnostics = linter.check(&text, lang.as_deref());
                doc.text = text;
            } else {
                if doc.changed
                    && let Source::File { path, .. } = source
                {
                    input::write_atomic(path, outcome.text.as_bytes()).map_err(|e| {
                        InputError::new(
                            doc.path.clone(),
                            format!("cannot write the fixed file: {e}"),
                        )
                    })?;
                }
                doc.diagnostics = outcome.diagnostics;
                doc.text = outcome.text;
            }
        }
    }
    Ok(doc)
}

/// A unified diff with three lines of context, `a/` and `b/` headers.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
