//! `kind = "pattern"`: a regular expression matched anywhere in a document.
//! A capture group named `span` narrows the finding to that group, which
//! stands in for the look-around the `regex` crate does not have.
//!
//! All pattern rules of a linter run as a [`PatternSet`]. With many rules,
//! one `RegexSet` pass over the document tells which rules match at all,
//! and only those search it again for their findings, so a document costs
//! one pass however many pattern rules there are. With few rules, each
//! searches on its own: a search that starts from a literal skips through
//! the text with memchr, which the set's automaton cannot (measured on the
//! benchmark corpus: the set pass cost 7% more cycles for the six built-in
//! pattern rules).

use super::notice::Locate;
use super::{Check, CompileError, Ctx, Field, regex, regex_error, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::{FixAction, Rule, Scope};
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::ops::Range;
use std::sync::Arc;

pub struct PatternCheck {
    rule: Arc<Rule>,
    re: Regex,
    span_group: Option<usize>,
    needs_captures: bool,
}

impl PatternCheck {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let re = regex(rule.pattern.as_deref().unwrap_or_default())?;
        let span_group = re.capture_names().position(|n| n == Some("span"));
        let expands = rule
            .fix
            .as_ref()
            .is_some_and(|f| f.action == FixAction::Replace && f.with.contains('$'));
        Ok(PatternCheck {
            rule: rule.clone(),
            needs_captures: span_group.is_some() || expands,
            re,
            span_group,
        })
    }

    fn emit(
        &self,
        ctx: &Ctx<'_>,
        range: Range<usize>,
        caps: Option<&regex::Captures<'_>>,
        last_line: &mut Option<usize>,
        out: &mut Vec<Diagnostic>,
    ) {
        if range.is_empty() {
            return;
        }
        let rule = &self.rule;
        if rule.max_line_chars.is_some() || rule.scope == Scope::Line {
            let line = ctx.lines.line_of(range.start);
            let content = trim_range(ctx.text, ctx.lines.content(ctx.text, line));
            if !rule.line_short_enough(&ctx.text[content.clone()]) {
                return;
            }
            if rule.scope == Scope::Line {
                if *last_line == Some(line) {
                    return;
                }
                *last_line = Some(line);
                let hit = [range];
                out.extend(rule.line_finding(ctx.text, ctx.lines, content, Locate::Hits(&hit)));
                return;
            }
        }
        out.push(rule.finding(ctx.text, ctx.lines, range, caps));
    }
}

impl Check for PatternCheck {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let mut last_line = None;
        if self.needs_captures {
            for caps in self.re.captures_iter(ctx.text) {
                let m = self
                    .span_group
                    .and_then(|g| caps.get(g))
                    .or_else(|| caps.get(0));
                if let Some(m) = m {
                    self.emit(ctx, m.range(), Some(&caps), &mut last_line, out);
                }
            }
        } else {
            for m in self.re.find_iter(ctx.text) {
                self.emit(ctx, m.range(), None, &mut last_line, out);
            }
        }
    }
}

/// Up to this many pattern rules search on their own; more share a prefilter.
const SEPARATE_SEARCHES: usize = 8;

/// Every pattern rule of a linter, behind one `RegexSet` prefilter when
/// there are many.
pub struct PatternSet {
    checks: Vec<PatternCheck>,
    set: Option<RegexSet>,
}

impl PatternSet {
    /// Builds the set; `None` when there are no pattern rules.
    pub fn new(rules: Vec<Arc<Rule>>) -> Option<Result<Self, CompileError>> {
        if rules.is_empty() {
            return None;
        }
        let build = || -> Result<Self, CompileError> {
            let checks = rules
                .iter()
                .map(PatternCheck::new)
                .collect::<Result<Vec<_>, _>>()?;
            let set = if checks.len() > SEPARATE_SEARCHES {
                let patterns = rules
                    .iter()
                    .map(|r| r.pattern.as_deref().unwrap_or_default());
                Some(
                    RegexSetBuilder::new(patterns)
                        .size_limit(super::SET_NFA_LIMIT)
                        .dfa_size_limit(super::SET_DFA_CACHE)
                        .build()
                        .map_err(|e| CompileError::new(Field::Pattern, regex_error(&e)))?,
                )
            } else {
                None
            };
            Ok(PatternSet { checks, set })
        };
        Some(build())
    }
}

impl Check for PatternSet {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.checks.iter().any(|c| c.rule.applies_to(ctx.lang)) {
            return;
        }
        match &self.set {
            None => self.checks.iter().for_each(|c| c.run(ctx, out)),
            Some(set) => {
                for i in set.matches(ctx.text).iter() {
                    self.checks[i].run(ctx, out);
                }
            }
        }
    }
}
