//! `check = "repeated-line"`: a line that repeats an earlier line of the same
//! document word for word: navigation printed twice, a caption kept as alt
//! text and as caption, a teaser repeated as the first paragraph. Short
//! lines (below `min_chars`) repeat naturally and are left alone. `{line}`
//! in the message names the first occurrence.

use super::{Check, CompileError, Ctx, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Shortest line, in characters, that counts.
    #[serde(default = "default_min_chars")]
    min_chars: usize,
}

fn default_min_chars() -> usize {
    40
}

pub struct RepeatedLine {
    rule: Arc<Rule>,
    min_chars: usize,
}

impl RepeatedLine {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(RepeatedLine {
            rule: rule.clone(),
            min_chars: opts.min_chars,
        })
    }
}

impl Check for RepeatedLine {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let mut first: HashMap<String, usize> = HashMap::new();
        for (n, range) in ctx.lines.lines(ctx.text) {
            let span = trim_range(ctx.text, range);
            let line = &ctx.text[span.clone()];
            if line.len() < self.min_chars
                || line.chars().take(self.min_chars).count() < self.min_chars
            {
                continue;
            }
            let key = line.split_whitespace().collect::<Vec<_>>().join(" ");
            match first.get(&key) {
                Some(&at) => {
                    let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
                    d.message = d.message.replace("{line}", &(at + 1).to_string());
                    out.push(d);
                }
                None => {
                    first.insert(key, n);
                }
            }
        }
    }
}
