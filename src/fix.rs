//! Fixes: edits to a document's text, grouped per finding, with an
//! applicability. Applying is conservative: edits of one pass never overlap
//! (the first fix in reporting order wins, the others wait for the next pass),
//! and no byte outside an edit's range changes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Whether a fix may be applied without a human looking at it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Certainly right: applied by `--fix`.
    Safe,
    /// A suggestion: applied only with `--fix --unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `range` with `replacement` (an empty range inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn delete(range: Range<usize>) -> Self {
        Edit::replace(range, "")
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(at..at, text)
    }

    /// Two edits conflict when their ranges overlap, or when one inserts at
    /// the very place the other starts (their order would be ambiguous).
    fn conflicts(&self, other: &Edit) -> bool {
        let (a, b) = (&self.range, &other.range);
        (a.start < b.end && b.start < a.end)
            || (a.start == b.start && (a.is_empty() || b.is_empty()))
            || (a.is_empty() && b.start < a.start && a.start < b.end)
            || (b.is_empty() && a.start < b.start && b.start < a.end)
    }
}

/// The edits that together repair one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(applicability: Applicability, edits: Vec<Edit>) -> Self {
        Fix {
            applicability,
            edits,
        }
    }

    /// Whether this fix is applied when unsafe fixes are (or are not) allowed.
    pub fn allowed(&self, unsafe_fixes: bool) -> bool {
        unsafe_fixes || self.applicability == Applicability::Safe
    }

    /// The text of `range` after this fix's edits inside it: for messages
    /// such as "`werden Die` → `werden. Die`".
    pub fn preview(&self, text: &str, range: Range<usize>) -> String {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let mut out = String::new();
        let mut pos = range.start;
        for e in edits {
            if e.range.start < pos || e.range.end > range.end {
                continue;
            }
            out.push_str(&text[pos..e.range.start]);
            out.push_str(&e.replacement);
            pos = e.range.end;
        }
        out.push_str(&text[pos..range.end]);
        out
    }
}

/// Applies the fixes in the order given, skipping any fix that conflicts
/// with one already taken. Returns the new text and how many fixes applied.
pub fn apply<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let clashes = fix.edits.iter().enumerate().any(|(i, e)| {
            taken.iter().any(|t| t.conflicts(e))
                || fix.edits[..i].iter().any(|earlier| earlier.conflicts(e))
        });
        if valid && !clashes && !fix.edits.is_empty() {
            taken.extend(fix.edits.iter());
            applied += 1;
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in taken {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, edits)
    }

    #[test]
    fn applies_non_overlapping_edits() {
        let text = "werden Die Armee.< /p>";
        let a = fix(vec![Edit::insert(6, ".")]);
        let b = fix(vec![Edit::delete(17..22)]);
        assert_eq!(apply(text, [&a, &b]), ("werden. Die Armee.".to_string(), 2));
    }

    #[test]
    fn first_of_overlapping_fixes_wins() {
        let text = "abcdef";
        let a = fix(vec![Edit::delete(1..4)]);
        let b = fix(vec![Edit::replace(3..5, "X")]);
        assert_eq!(apply(text, [&a, &b]), ("aef".to_string(), 1));
    }

    #[test]
    fn insertions_at_one_place_conflict() {
        let text = "ab";
        let a = fix(vec![Edit::insert(1, "x")]);
        let b = fix(vec![Edit::insert(1, "y")]);
        assert_eq!(apply(text, [&a, &b]), ("axb".to_string(), 1));
        let c = fix(vec![Edit::delete(0..2)]);
        assert_eq!(apply(text, [&c, &a]), ("".to_string(), 1));
    }

    #[test]
    fn adjacent_deletions_both_apply() {
        let text = "l1\nl2\nl3";
        let a = fix(vec![Edit::delete(0..3)]);
        let b = fix(vec![Edit::delete(3..6)]);
        assert_eq!(apply(text, [&a, &b]), ("l3".to_string(), 2));
    }

    #[test]
    fn preview_shows_the_span_after_fixing() {
        let f = fix(vec![Edit::insert(6, ".")]);
        assert_eq!(f.preview("werden Die", 0..10), "werden. Die");
    }
}
