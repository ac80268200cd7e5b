//! `check = "control-character"`: ASCII control characters other than tab,
//! line feed and carriage return (NUL, BEL, ESC, form feed, DEL, ...). A
//! builtin rather than a pattern only for speed: a character class gives
//! the regex engine no literal to skip ahead with, while this byte test
//! runs on whole blocks at once and almost every document has no such byte.
//! The rule's `fix` table decides the repair.

use super::{Check, CompileError, Ctx};
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use std::sync::Arc;

pub struct ControlCharacter {
    rule: Arc<Rule>,
}

impl ControlCharacter {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        Ok(ControlCharacter { rule: rule.clone() })
    }
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F
}

/// Whether any byte of `bytes` is a control character; written as a fold
/// over fixed blocks so that the compiler vectorises it.
fn any_control(bytes: &[u8]) -> bool {
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |acc, &b| acc | is_control(b)))
}

impl Check for ControlCharacter {
    fn patterns(&self) -> Vec<String> {
        vec![r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+".to_string()]
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let bytes = ctx.text.as_bytes();
        if !self.rule.applies_to(ctx.lang) || !any_control(bytes) {
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            if !is_control(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_control(bytes[i]) {
                i += 1;
            }
            let mut d = self.rule.finding(ctx.text, ctx.lines, start..i, None);
            separate(ctx.text, start..i, &mut d);
            out.push(d);
        }
    }
}

/// A deletion that would glue two words together puts a separator in the
/// characters' place instead: where a word ends (a sentence mark, or a
/// capital after it: `Text\x0CDritte`), a line break for a form feed or
/// vertical tab, which break lines, a space for the others. Inside a word
/// (`Seiten\x0Cvorschub`) they are simply removed.
fn separate(text: &str, run: std::ops::Range<usize>, d: &mut Diagnostic) {
    let Some(fix) = &mut d.fix else { return };
    let [edit] = fix.edits.as_mut_slice() else {
        return;
    };
    if edit.range != run || !edit.replacement.is_empty() {
        return;
    }
    let before = text[..run.start].chars().next_back();
    let after = text[run.end..].chars().next();
    let (Some(before), Some(after)) = (before, after) else {
        return;
    };
    let word_ends = !before.is_whitespace()
        && !after.is_whitespace()
        && (crate::text::is_sentence_end(before)
            || matches!(before, ',' | ';' | ':')
            || after.is_uppercase());
    if word_ends {
        let breaks = text[run].bytes().any(|b| matches!(b, 0x0B | 0x0C));
        edit.replacement = if breaks { "\n" } else { " " }.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::any_control;

    #[test]
    fn finds_control_bytes_anywhere() {
        assert!(!any_control(b"tab\tand\r\nlines"));
        let mut long = vec![b'a'; 1000];
        long[777] = 0x07;
        assert!(any_control(&long));
        assert!(any_control(b"\x7f"));
    }
}
