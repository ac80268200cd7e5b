//! `check = "html-tag"`: leftover HTML tags, malformed ones included
//! (`< /p>`, `</div >`, `<br/>`, `<a href="...">`). Only known tag names
//! count, and opening tags need attribute syntax, so `a < b and c > d` and
//! `<Name>` placeholders are left alone.
//!
//! The fix removes the tag; where a block-level tag (or `<br>`) sits between
//! two words it becomes a space instead, so that removing it does not glue
//! the words together.

use super::{Check, CompileError, Ctx, applicability, options, regex};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use foldhash::HashSet;
use regex::Regex;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Tags that break text into blocks (`p`, `div`, `br`, `li`, ...).
    block_tags: Vec<String>,
    /// Tags that mark up text inside a line (`b`, `a`, `span`, ...).
    inline_tags: Vec<String>,
}

pub struct HtmlTag {
    rule: Arc<Rule>,
    re: Regex,
    block: HashSet<String>,
    applicability: Applicability,
}

impl HtmlTag {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        let names: Vec<String> = opts
            .block_tags
            .iter()
            .chain(&opts.inline_tags)
            .map(|t| regex::escape(&t.to_ascii_lowercase()))
            .collect();
        if names.is_empty() {
            return Err(CompileError::new(
                super::Field::Options,
                "`html-tag` needs tag names",
            ));
        }
        let names = names.join("|");
        // Closing tags may be malformed with spaces anywhere; opening tags
        // must start right after `<` and carry only `name=value` attributes.
        let attr = r#"\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+)"#;
        let pattern =
            format!(r"(?i)<\s*/\s*(?P<close>{names})\s*>|<(?P<open>{names})(?:{attr})*\s*/?\s*>");
        Ok(HtmlTag {
            rule: rule.clone(),
            re: regex(&pattern)?,
            block: opts
                .block_tags
                .iter()
                .map(|t| t.to_ascii_lowercase())
                .collect(),
            applicability: applicability(rule, Applicability::Safe),
        })
    }
}

impl Check for HtmlTag {
    fn patterns(&self) -> Vec<String> {
        vec![self.re.as_str().to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) || !ctx.text.contains('<') {
            return;
        }
        for caps in self.re.captures_iter(ctx.text) {
            let whole = caps.get(0).unwrap();
            let name = caps
                .name("close")
                .or_else(|| caps.name("open"))
                .map(|m| m.as_str().to_ascii_lowercase())
                .unwrap_or_default();
            let text = ctx.text;
            let before = text[..whole.start()].chars().next_back();
            let after = text[whole.end()..].chars().next();
            let glued = before.is_some_and(|c| !c.is_whitespace())
                && after.is_some_and(|c| !c.is_whitespace());
            let edit = if glued && self.block.contains(&name) {
                Edit::replace(whole.range(), " ")
            } else {
                Edit::delete(ctx.lines.removal_range(text, whole.range()))
            };
            let mut d = self.rule.finding(text, ctx.lines, whole.range(), None);
            d.fix = Some(Fix::new(self.applicability, vec![edit]));
            out.push(d);
        }
    }
}
