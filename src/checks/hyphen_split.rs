//! `check = "hyphen-split"`: a word divided at a line end, as text copied
//! from print, PDF or a hard-wrapped page carries it: `Bundes-` at the end
//! of one line and `regierung` at the start of the next (a space the wrap
//! left after the hyphen aside). The repair removes the hyphen and the
//! break: `Bundesregierung`.
//!
//! A hyphen before a line break is also how German writes a shortened
//! compound (`Bundes- und Landesregierung`, `Ein- oder Ausgang`) and how a
//! compound with a capitalised part continues (`E-` / `Mail`, `Corona-` /
//! `Pandemie`). So the check needs a lower-case letter before the hyphen,
//! a lower-case word after the break, and that word must not be one of the
//! rule's `conjunctions` (`und`, `oder`, `bis`, ...), which make the hyphen
//! a shortened compound.

use super::{Check, CompileError, Ctx, applicability, options};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use foldhash::HashSet;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Words after which the hyphen is a shortened compound.
    conjunctions: Vec<String>,
}

pub struct HyphenSplit {
    rule: Arc<Rule>,
    conjunctions: HashSet<String>,
    applicability: Applicability,
}

impl HyphenSplit {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(HyphenSplit {
            rule: rule.clone(),
            conjunctions: opts.conjunctions.into_iter().collect(),
            applicability: applicability(rule, Applicability::Unsafe),
        })
    }
}

impl Check for HyphenSplit {
    fn fixes(&self) -> Option<Applicability> {
        Some(self.applicability)
    }

    fn patterns(&self) -> Vec<String> {
        // Line by line, as ripgrep searches: the first half at a line end.
        vec![r"\p{Ll}{3}-$".to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let text = ctx.text;
        // The hyphen, then the break, maybe after a space the wrap left
        // (`Produc- ` / `tions`).
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for needle in ["-\n", "-\r\n", "- \n", "- \r\n"] {
            hits.extend(
                memchr::memmem::find_iter(text.as_bytes(), needle).map(|at| (at, needle.len())),
            );
        }
        hits.sort_unstable();
        for (hyphen, with_break) in hits {
            let before = text[..hyphen].chars().next_back();
            if !before.is_some_and(char::is_lowercase) {
                continue;
            }
            let first = crate::text::letters_start(text, hyphen);
            // A word of one or two letters before the hyphen is an
            // abbreviation or a prefix list, not half of a word.
            if text[first..hyphen].chars().count() < 3 {
                continue;
            }
            let next_line = &text[hyphen + with_break..];
            let indent = next_line.len() - next_line.trim_start_matches([' ', '\t']).len();
            let rest = &next_line[indent..];
            let word_len = rest
                .char_indices()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(rest.len(), |(i, _)| i);
            let word = &rest[..word_len];
            if !word.chars().next().is_some_and(char::is_lowercase)
                || self.conjunctions.contains(word)
            {
                continue;
            }
            let end = hyphen + with_break + indent + word_len;
            let mut d = self.rule.finding(text, ctx.lines, first..end, None);
            d.message = format!("word divided at the line end: `{}-`", &text[first..hyphen]);
            d.help = Some(format!(
                "join the two halves: `{}{}`",
                &text[first..hyphen],
                word
            ));
            d.fix = Some(Fix::new(
                self.applicability,
                vec![Edit::delete(hyphen..hyphen + with_break + indent)],
            ));
            out.push(d);
        }
    }
}
