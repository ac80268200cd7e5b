//! `kind = "line"`: a pattern that must match a whole line (its content
//! without surrounding whitespace). All line rules run together: one
//! `RegexSet` pass per line tells which of them match.

use super::{Check, CompileError, Ctx, Field, regex_error, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::sync::Arc;

/// Anchors a line rule's pattern to the whole line.
fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// Validates one line rule's pattern.
pub fn compile_line_pattern(pattern: &str) -> Result<Regex, CompileError> {
    super::regex(&anchored(pattern))
}

/// Every line rule of a linter, matched in one pass per line.
pub struct LineSet {
    rules: Vec<Arc<Rule>>,
    set: RegexSet,
}

impl LineSet {
    /// Builds the set; `None` when there are no line rules.
    pub fn new(rules: Vec<Arc<Rule>>) -> Option<Result<Self, CompileError>> {
        if rules.is_empty() {
            return None;
        }
        let patterns: Vec<String> = rules
            .iter()
            .map(|r| anchored(r.pattern.as_deref().unwrap_or_default()))
            .collect();
        let set = RegexSetBuilder::new(&patterns)
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| CompileError::new(Field::Pattern, regex_error(&e)));
        Some(set.map(|set| LineSet { rules, set }))
    }
}

impl Check for LineSet {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let active: Vec<bool> = self.rules.iter().map(|r| r.applies_to(ctx.lang)).collect();
        if !active.iter().any(|&a| a) {
            return;
        }
        for (_, range) in ctx.lines.lines(ctx.text) {
            let span = trim_range(ctx.text, range);
            if span.is_empty() {
                continue;
            }
            let line = &ctx.text[span.clone()];
            for idx in self.set.matches(line).iter() {
                let rule = &self.rules[idx];
                if active[idx] && rule.line_short_enough(line) {
                    out.push(rule.finding(ctx.text, ctx.lines, span.clone(), None));
                }
            }
        }
    }
}
