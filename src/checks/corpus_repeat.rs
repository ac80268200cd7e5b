//! `check = "corpus-repeat"`: a line that recurs across many documents of
//! the corpus being checked — site-wide boilerplate that no phrase list
//! knows. The counting is the engine's corpus pass ([`crate::corpus`]);
//! this check only looks up each line of a document in its result.
//!
//! In the message, `{documents}` is the number of documents that hold the
//! line, `{total}` the number of documents counted, and `{first}` where the
//! line was first seen: `in path:line` (`in shard.jsonl#17:3` for a JSONL
//! record), or `here` on the first occurrence itself.

use super::{Check, CompileError, Ctx, Field, options, trim_range};
use crate::corpus::CorpusNeed;
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::rules::Rule;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Fewest words (runs of non-space characters) a line must have.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// Longest line counted, in characters: longer lines are content.
    #[serde(default = "default_max_chars")]
    max_chars: usize,
    /// Fewest documents a line must occur in ...
    #[serde(default = "default_min_documents")]
    min_documents: u32,
    /// ... and the smallest share of all documents (0.01 = 1 %).
    #[serde(default = "default_min_share")]
    min_share: f64,
}

fn default_min_words() -> usize {
    4
}
fn default_max_chars() -> usize {
    300
}
fn default_min_documents() -> u32 {
    5
}
fn default_min_share() -> f64 {
    0.01
}

pub struct CorpusRepeat {
    rule: Arc<Rule>,
    need: CorpusNeed,
}

impl CorpusRepeat {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        let bad = |m: &str| {
            Err(CompileError::new(
                Field::Options,
                format!("bad `options`: {m}"),
            ))
        };
        if opts.min_words == 0 {
            return bad("`min_words` must be at least 1");
        }
        if opts.max_chars == 0 {
            return bad("`max_chars` must be at least 1");
        }
        if opts.min_documents < 2 {
            return bad(
                "`min_documents` must be at least 2: a line recurs across two documents or more",
            );
        }
        if !(0.0..=1.0).contains(&opts.min_share) {
            return bad("`min_share` must be between 0 and 1 (0.01 = 1 %)");
        }
        Ok(CorpusRepeat {
            rule: rule.clone(),
            need: CorpusNeed {
                min_words: opts.min_words,
                max_chars: opts.max_chars,
                min_documents: opts.min_documents,
                min_share: opts.min_share,
            },
        })
    }
}

impl Check for CorpusRepeat {
    fn fixes(&self) -> Option<Applicability> {
        self.rule.fix_applicability()
    }

    fn placeholders(&self) -> &'static [&'static str] {
        &["documents", "total", "first"]
    }

    fn corpus_need(&self) -> Option<CorpusNeed> {
        Some(self.need)
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let Some(corpus) = ctx.corpus else {
            return;
        };
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let total = corpus.lines.documents();
        let min = self.need.min_count(total);
        if corpus.lines.is_empty() {
            return;
        }
        // Lines of this document that are some line's first occurrence in
        // the corpus and have been reported as such (a line can repeat
        // within its first document too; only its first copy is "here").
        let mut firsts: Vec<u64> = Vec::new();
        for (_, range) in ctx.lines.lines(ctx.text) {
            let line = &ctx.text[range.clone()];
            let Some(key) = self.need.key(line) else {
                continue;
            };
            let Some(seen) = corpus.lines.get(key) else {
                continue;
            };
            if u64::from(seen.documents) < min {
                continue;
            }
            let first = if seen.first == corpus.doc && !firsts.contains(&key) {
                firsts.push(key);
                "here".to_string()
            } else {
                format!("in {}:{}", corpus.lines.name(seen.first), seen.line + 1)
            };
            let span = trim_range(ctx.text, range);
            let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
            d.message = d
                .message
                .replace("{documents}", &seen.documents.to_string())
                .replace("{total}", &total.to_string())
                .replace("{first}", &first);
            out.push(d);
        }
    }
}
