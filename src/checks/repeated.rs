//! `check = "repeated-line"`: a line that repeats an earlier line of the same
//! document word for word (spacing aside): navigation printed twice, a caption kept as alt
//! text and as caption, a teaser repeated as the first paragraph. Short
//! lines (below `min_chars`) repeat naturally and are left alone. `{line}`
//! in the message names the first occurrence.

use super::{Check, CompileError, Ctx, options, trim_range};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use serde::Deserialize;
use std::borrow::Cow;
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

/// Whether `line` is a label or a field of structured text, which repeats
/// by design: it ends with a colon (`Wir suchen Studierende der folgenden
/// Fachrichtungen:`), or starts with a short key and a colon (`- Ort:
/// Gaststätte Felsenblick, ...` under each of several events).
fn is_field(line: &str) -> bool {
    if line.ends_with(':') {
        return true;
    }
    let entry = line.trim_start_matches(['*', '-', '•', '–', '+', ' ']);
    entry
        .split_once(": ")
        .is_some_and(|(key, _)| key.len() <= 50 && key.split_whitespace().count() <= 6)
}

/// A hash of `s`'s bytes, eight at a time (the FxHash step): this check
/// reads every line, so the hash must be cheap.
fn hash(s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, x: u64| (h.rotate_left(5) ^ x).wrapping_mul(K);
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let mut h = bytes.len() as u64;
    for c in &mut chunks {
        h = step(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    step(h, u64::from_le_bytes(tail))
}

/// The line with its words one space apart. Almost every line already is,
/// and is borrowed as it is; only irregular spacing costs a copy.
fn normalized(line: &str) -> Cow<'_, str> {
    // A fold rather than `any`: without the early exit it vectorises, and
    // almost every line has to be read to its end anyway.
    let irregular = line.contains("  ")
        || line
            .bytes()
            .fold(false, |acc, b| acc | (b.is_ascii_whitespace() && b != b' '));
    if irregular {
        Cow::Owned(line.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        Cow::Borrowed(line)
    }
}

impl Check for RepeatedLine {
    fn placeholders(&self) -> &'static [&'static str] {
        &["line"]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        // hash of the words -> earlier lines with that hash (line, span)
        let mut first: HashMap<u64, Vec<(usize, std::ops::Range<usize>)>> = HashMap::new();
        for (n, range) in ctx.lines.lines(ctx.text) {
            let span = trim_range(ctx.text, range);
            let line = &ctx.text[span.clone()];
            if line.len() < self.min_chars || crate::text::char_count(line) < self.min_chars {
                continue;
            }
            let key = normalized(line);
            let earlier = first.entry(hash(&key)).or_default();
            match earlier
                .iter()
                .find(|(_, r)| normalized(&ctx.text[r.clone()]) == key)
            {
                // Labels and fields repeat by design (tested on repeats only:
                // the test is dearer than the hash).
                Some(_) if is_field(line) => {}
                Some(&(at, _)) => {
                    let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
                    d.message = d.message.replace("{line}", &(at + 1).to_string());
                    out.push(d);
                }
                None => earlier.push((n, span)),
            }
        }
    }
}
