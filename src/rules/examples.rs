//! Runs a rule's embedded examples: a `bad` must produce a finding of the
//! rule, a `good` none, and `fixed` must equal `bad` after the rule's fixes.
//! Used by `corpuslint test-rules`, by the test suite, and when loading user
//! rule files.

use super::Entry;
use crate::checks::Phase;
use crate::engine::Linter;
use crate::text::preview;
use std::ops::Range;

/// One example that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// Where the example sits in the rule file, when known.
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// Checks every example of `entry` with that rule alone; returns the
/// failures. A rule that reads the other rules' findings (a
/// [`Phase::Findings`] check, such as `structure/boilerplate-share`) runs
/// its examples together with the built-in rules, which it summarises.
pub fn run_examples(entry: &Entry) -> Vec<ExampleFailure> {
    let rule = &entry.rule;
    let reads_findings = entry
        .check
        .as_ref()
        .is_some_and(|c| c.phase() == Phase::Findings);
    let mut entries = vec![entry.clone()];
    if reads_findings && let Ok(builtin) = super::RuleSet::builtin() {
        entries.extend(
            builtin
                .entries()
                .iter()
                .filter(|e| e.rule.id != rule.id)
                .cloned(),
        );
    }
    let linter = match Linter::try_from_entries(&entries) {
        Ok(linter) => linter,
        Err(message) => {
            return vec![ExampleFailure {
                span: None,
                message,
            }];
        }
    };
    let default_lang = rule.languages.iter().find(|l| *l != "*").cloned();
    let mut failures = Vec::new();
    for ex in &rule.examples {
        let lang = ex.lang.clone().or_else(|| default_lang.clone());
        // An example's language is given, as `--lang` gives it.
        let lang = crate::lang::DocLang {
            code: lang.as_deref(),
            declared: lang.is_some(),
        };
        let fail = |message: String| ExampleFailure {
            span: ex.span.clone(),
            message,
        };
        if let Some(bad) = &ex.bad {
            let found = linter.check(bad, lang);
            if !found.iter().any(|d| d.rule == rule.id) {
                failures.push(fail(format!(
                    "bad example `{}` gives no finding",
                    preview(bad, 60)
                )));
            }
            if let Some(want) = &ex.fixed {
                let got = linter.fix(bad, lang, true).text;
                if &got != want {
                    failures.push(fail(format!(
                        "fixed example: expected `{}`, the fixes give `{}`",
                        preview(want, 80),
                        preview(&got, 80)
                    )));
                }
            }
        }
        if let Some(good) = &ex.good {
            for d in linter
                .check(good, lang)
                .iter()
                .filter(|d| d.rule == rule.id)
            {
                failures.push(fail(format!(
                    "good example `{}` gives a finding on `{}`: {}",
                    preview(good, 60),
                    preview(&good[d.span.clone()], 40),
                    d.message
                )));
            }
        }
    }
    failures
}
