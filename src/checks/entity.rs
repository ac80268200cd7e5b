//! `check = "html-entity"`: HTML character references left in the text
//! (`&amp;`, `&nbsp;`, `&#8217;`, `&#x2019;`). Only references that decode
//! to something count, so `R&D;` or `&foo;` stay alone. The fix writes the
//! character; `&nbsp;` becomes a plain space (option `nbsp_as_space`).
//! A reference escaped twice (`&amp;quot;`, `&amp;#8217;`) is one finding,
//! repaired to the character in one step.

use super::{Check, CompileError, Ctx, applicability, options, regex};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use regex::Regex;
use serde::Deserialize;
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default = "yes")]
    nbsp_as_space: bool,
}

fn yes() -> bool {
    true
}

pub struct HtmlEntity {
    rule: Arc<Rule>,
    re: Regex,
    nbsp_as_space: bool,
    applicability: Applicability,
}

impl HtmlEntity {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: Options = options(rule)?;
        Ok(HtmlEntity {
            rule: rule.clone(),
            re: regex(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")?,
            nbsp_as_space: opts.nbsp_as_space,
            applicability: applicability(rule, Applicability::Safe),
        })
    }
}

/// The character `reference` stands for, or the reference itself. A name
/// in capitals that HTML does not know (`&NBSP;`, `&EURO;`: a pipeline
/// upper-cased the text) is read as the lower-case name; `&AMP;` and the
/// few capital names HTML knows decode as they are.
fn decode(reference: &str) -> Cow<'_, str> {
    let decoded = html_escape::decode_html_entities(reference);
    let name = &reference[1..reference.len() - 1];
    if decoded != reference
        || name.starts_with('#')
        || !name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return decoded;
    }
    let lower = reference.to_ascii_lowercase();
    match html_escape::decode_html_entities(&lower) {
        Cow::Owned(s) if s != lower => Cow::Owned(s),
        _ => Cow::Borrowed(reference),
    }
}

impl Check for HtmlEntity {
    fn patterns(&self) -> Vec<String> {
        vec![self.re.as_str().to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) || !ctx.text.contains('&') {
            return;
        }
        for m in self.re.find_iter(ctx.text) {
            // Escaped twice: `&amp;quot;` is `&quot;` escaped again. One
            // finding for the whole reference, repaired in one step.
            let twice = (m.as_str() == "&amp;")
                .then(|| {
                    let rest = &ctx.text[m.end()..];
                    let semi = rest.get(..40).unwrap_or(rest).find(';')?;
                    let inner = format!("&{}", &rest[..=semi]);
                    let whole = self
                        .re
                        .find(&inner)
                        .is_some_and(|f| f.range() == (0..inner.len()));
                    let decoded = html_escape::decode_html_entities(&inner).into_owned();
                    (whole && decoded != inner).then_some((m.end() + semi + 1, decoded))
                })
                .flatten();
            let escaped_twice = twice.is_some();
            let (range, decoded) = match twice {
                Some((end, decoded)) => (m.start()..end, Cow::Owned(decoded)),
                None => (m.range(), decode(m.as_str())),
            };
            if decoded == m.as_str() {
                continue;
            }
            let mut d = self.rule.finding(ctx.text, ctx.lines, range.clone(), None);
            if escaped_twice {
                d.message = format!("HTML entity escaped twice: `{}`", &ctx.text[range.clone()]);
            }
            // A space entity beside a space would leave a run of spaces
            // that reads as layout (`Text&nbsp; &nbsp;geht`): it goes.
            let beside_space = ctx.text[..range.start]
                .chars()
                .next_back()
                .is_some_and(|c| c == ' ' || c == '\u{A0}')
                || ctx.text[range.end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c == ' ' || c == '\u{A0}');
            let replacement = match decoded.as_ref() {
                "\u{A0}" | " " if beside_space => Some(String::new()),
                "\u{A0}" if self.nbsp_as_space => Some(" ".to_string()),
                s if s.chars().any(|c| c.is_control() && c != '\t' && c != '\n')
                    || s.contains('\u{FFFD}') =>
                {
                    None
                }
                s => Some(s.to_string()),
            };
            d.fix =
                replacement.map(|r| Fix::new(self.applicability, vec![Edit::replace(range, r)]));
            out.push(d);
        }
    }
}
