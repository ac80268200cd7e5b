//! Runs a rule's embedded examples: a `bad` must produce a finding of the
//! rule, a `good` none, and `fixed` must equal `bad` after the rule's fixes.
//! Used by `corpuslint test-rules`, by the test suite, and when loading user
//! rule files.

use super::Entry;
use crate::checks::Phase;
use crate::corpus::{CorpusCtx, CorpusLines, DocRef};
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
        // A corpus-level rule sees the example as the last document of its
        // `corpus`; other rules, and examples without one, see it alone.
        let corpus_of = |text: &str| -> Option<CorpusLines> {
            let need = linter.corpus_need()?;
            let mut docs: Vec<(String, &str)> = ex
                .corpus
                .iter()
                .enumerate()
                .map(|(i, doc)| (format!("corpus document {}", i + 1), doc.as_str()))
                .collect();
            docs.push(("this example".to_string(), text));
            let docs: Vec<(&str, &str)> = docs.iter().map(|(n, t)| (n.as_str(), *t)).collect();
            Some(CorpusLines::from_texts(&docs, &need))
        };
        let this = DocRef {
            source: u32::try_from(ex.corpus.len()).unwrap_or(u32::MAX),
            record: 0,
        };
        fn ctx(lines: &Option<CorpusLines>, doc: DocRef) -> Option<CorpusCtx<'_>> {
            lines.as_ref().map(|lines| CorpusCtx { lines, doc })
        }
        if let Some(bad) = &ex.bad {
            let lines = corpus_of(bad);
            let found = linter.check_in(bad, lang, ctx(&lines, this));
            if !found.iter().any(|d| d.rule == rule.id) {
                failures.push(fail(format!(
                    "bad example `{}` gives no finding",
                    preview(bad, 60)
                )));
            }
            if let Some(want) = &ex.fixed {
                let got = linter.fix_in(bad, lang, true, ctx(&lines, this)).text;
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
            let lines = corpus_of(good);
            for d in linter
                .check_in(good, lang, ctx(&lines, this))
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
