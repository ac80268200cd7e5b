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
    let fixes: Vec<&Fix> = fixes.into_iter().collect();
    let (out, taken) = apply_indexed(text, &fixes);
    (out, taken.len())
}

/// [`apply`], returning the positions (in `fixes`) of the fixes applied.
///
/// The taken edits are kept in a map ordered by start offset: taken edits
/// never conflict, so no two share a start, and an edit can only conflict
/// with the taken edit that starts last before it or the first that starts
/// at or after it. Each edit costs one lookup, so applying n fixes costs
/// O(n log n) however many there are (a page of 800,000 findings used to
/// take minutes).
pub fn apply_indexed(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    use std::collections::BTreeMap;
    let mut taken: BTreeMap<usize, &Edit> = BTreeMap::new();
    let mut applied = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    for (index, fix) in fixes.iter().enumerate() {
        let valid = !fix.edits.is_empty()
            && fix.edits.iter().all(|e| {
                e.range.start <= e.range.end
                    && e.range.end <= text.len()
                    && text.is_char_boundary(e.range.start)
                    && text.is_char_boundary(e.range.end)
            });
        if !valid {
            continue;
        }
        added.clear();
        let mut clash = false;
        for edit in &fix.edits {
            if conflicts_with_taken(&taken, edit) {
                clash = true;
                break;
            }
            taken.insert(edit.range.start, edit);
            added.push(edit.range.start);
        }
        if clash {
            for start in &added {
                taken.remove(start);
            }
        } else {
            applied.push(index);
        }
    }
    let growth: usize = taken.values().map(|e| e.replacement.len()).sum();
    let mut out = String::with_capacity(text.len() + growth);
    let mut pos = 0;
    for e in taken.values() {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

/// Whether `edit` conflicts with any of `taken` (which conflict with none
/// of each other): only the neighbours around its start need looking at.
fn conflicts_with_taken(taken: &std::collections::BTreeMap<usize, &Edit>, edit: &Edit) -> bool {
    let start = edit.range.start;
    // The last taken edit starting at or before `start`.
    if let Some((_, before)) = taken.range(..=start).next_back()
        && before.conflicts(edit)
    {
        return true;
    }
    // The first taken edit starting after `start`: any later one starts
    // later still, and conflicts only if this one does.
    if let Some((_, after)) = taken.range(start + 1..).next()
        && after.conflicts(edit)
    {
        return true;
    }
    false
}

/// The edits of one fix pass, to map positions in the text after the pass
/// back onto the text before it: how the fix loop reports a finding of a
/// later pass where its bytes were in the text it was given.
#[derive(Debug, Clone, Default)]
pub struct EditMap {
    /// Per edit, in text order: its range before and after the pass.
    edits: Vec<(Range<usize>, Range<usize>)>,
    /// `shift[i]`: bytes the edits before edit `i` removed, less those they
    /// inserted (what to add to a later position to find it before).
    shift: Vec<isize>,
}

/// Which end of a range a position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Start,
    End,
}

impl EditMap {
    /// The map of a pass whose taken edits are `edits` (non-overlapping,
    /// in any order).
    pub fn new<'a>(edits: impl IntoIterator<Item = &'a Edit>) -> Self {
        let mut old: Vec<&Edit> = edits.into_iter().collect();
        old.sort_by_key(|e| (e.range.start, e.range.end));
        let mut map = EditMap::default();
        let mut shift: isize = 0;
        for e in old {
            let start = e.range.start as isize - shift;
            let new_start = start as usize;
            map.shift.push(shift);
            map.edits
                .push((e.range.clone(), new_start..new_start + e.replacement.len()));
            shift += e.range.len() as isize - e.replacement.len() as isize;
        }
        map.shift.push(shift);
        map
    }

    /// `range` of the text before the pass, in the text after it; `None`
    /// when an edit touches it: overlaps it, or inserts inside it. (An
    /// insertion at either end leaves it whole.)
    pub fn carry(&self, range: &Range<usize>) -> Option<Range<usize>> {
        // Edits end in order: they do not overlap.
        let i = self
            .edits
            .partition_point(|(old, _)| old.end <= range.start);
        if self
            .edits
            .get(i)
            .is_some_and(|(old, _)| old.start < range.end)
        {
            return None;
        }
        let moved = |at: usize| (at as isize - self.shift[i]) as usize;
        Some(moved(range.start)..moved(range.end))
    }

    /// Where the replacements of the pass lie in the text after it, in
    /// order (empty where the edit deleted).
    pub fn replaced(&self) -> Vec<Range<usize>> {
        self.edits.iter().map(|(_, new)| new.clone()).collect()
    }

    /// `pos` of the text after the pass, in the text before it. A position
    /// inside a replacement maps to the start (`Side::Start`) or end
    /// (`Side::End`) of what it replaced; a range's end at a replacement's
    /// end takes in what that replaced, and a deletion at a range's start
    /// or end stays outside it.
    fn map(&self, pos: usize, side: Side) -> usize {
        let before = match side {
            Side::Start => self.edits.partition_point(|(_, new)| new.end <= pos),
            Side::End => self
                .edits
                .partition_point(|(_, new)| new.end < pos || (new.end == pos && !new.is_empty())),
        };
        if let Some((old, new)) = self.edits.get(before)
            && new.start < pos
        {
            return match side {
                Side::Start => old.start,
                Side::End => old.end,
            };
        }
        (pos as isize + self.shift[before]).max(0) as usize
    }

    /// `range` of the text after the pass, in the text before it.
    pub fn map_range(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.map(range.start, Side::Start);
        let end = self.map(range.end, Side::End).max(start);
        start..end
    }

    /// A finding of the text after the pass, moved onto the text before
    /// it: its span, labels and fix edits.
    pub fn map_diagnostic(&self, d: &mut crate::diagnostic::Diagnostic) {
        d.span = self.map_range(&d.span);
        for label in &mut d.labels {
            label.span = self.map_range(&label.span);
        }
        if let Some(fix) = &mut d.fix {
            for edit in &mut fix.edits {
                edit.range = self.map_range(&edit.range);
            }
        }
    }
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

    /// The first implementation: every edit compared with every edit taken
    /// before it. Slow, and plainly right: the sweep must agree with it.
    fn apply_quadratic(text: &str, fixes: &[Fix]) -> (String, usize) {
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
        let mut out = String::new();
        let mut pos = 0;
        for e in taken {
            out.push_str(&text[pos..e.range.start]);
            out.push_str(&e.replacement);
            pos = e.range.end;
        }
        out.push_str(&text[pos..]);
        (out, applied)
    }

    fn arb_fixes(len: usize) -> impl proptest::strategy::Strategy<Value = Vec<Fix>> {
        use proptest::prelude::*;
        let edit = (0..=len + 1, 0usize..6, "[a-c]{0,3}").prop_map(move |(start, width, with)| {
            Edit::replace(start..(start + width).min(len + 2), with)
        });
        proptest::collection::vec(proptest::collection::vec(edit, 0..4), 0..40).prop_map(|v| {
            v.into_iter()
                .map(|edits| Fix::new(Applicability::Safe, edits))
                .collect()
        })
    }

    proptest::proptest! {
        #[test]
        fn sweep_agrees_with_the_quadratic_original(
            text in "[a-zé\n]{0,24}",
            fixes in arb_fixes(24),
        ) {
            let got = apply(&text, fixes.iter());
            proptest::prop_assert_eq!(got, apply_quadratic(&text, &fixes));
        }

        /// Bytes outside the taken edits are copied as they are, in order.
        #[test]
        fn bytes_outside_the_edits_are_kept(
            text in "[a-z\n ]{0,40}",
            fixes in arb_fixes(40),
        ) {
            let refs: Vec<&Fix> = fixes.iter().collect();
            let (out, taken) = apply_indexed(&text, &refs);
            let mut edits: Vec<&Edit> = taken.iter().flat_map(|&i| &fixes[i].edits).collect();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let mut pos = 0;
            let mut rebuilt = String::new();
            for e in edits {
                proptest::prop_assert!(e.range.start >= pos, "taken edits overlap");
                rebuilt.push_str(&text[pos..e.range.start]);
                rebuilt.push_str(&e.replacement);
                pos = e.range.end;
            }
            rebuilt.push_str(&text[pos..]);
            proptest::prop_assert_eq!(out, rebuilt);
        }
    }

    #[test]
    fn two_hundred_thousand_fixes_apply() {
        // 200,000 one-byte deletions: the quadratic version took minutes.
        let text = "ab".repeat(200_000);
        let fixes: Vec<Fix> = (0..200_000)
            .map(|i| fix(vec![Edit::delete(2 * i..2 * i + 1)]))
            .collect();
        let (out, n) = apply(&text, fixes.iter());
        assert_eq!(n, 200_000);
        assert_eq!(out, "b".repeat(200_000));
    }

    #[test]
    fn edit_map_moves_ranges_back() {
        // "aXXbc" -> delete "XX", replace "c" by "CC": "abCC".
        let text = "aXXbc";
        let edits = [Edit::delete(1..3), Edit::replace(4..5, "CC")];
        let (out, _) = apply(text, [&fix(edits.to_vec())]);
        assert_eq!(out, "abCC");
        let map = EditMap::new(&edits);
        // `b` after the pass is `b` before it.
        assert_eq!(map.map_range(&(1..2)), 3..4);
        // Inside the replacement: what it replaced.
        assert_eq!(map.map_range(&(2..3)), 4..5);
        assert_eq!(map.map_range(&(3..4)), 4..5);
        // A range ending where the deletion was leaves it out.
        assert_eq!(map.map_range(&(0..1)), 0..1);
        // A range starting there too.
        assert_eq!(map.map_range(&(1..4)), 3..5);
        // An insertion after the pass at the place of the deletion.
        assert_eq!(map.map_range(&(1..1)), 3..3);
    }

    proptest::proptest! {
        /// A range of the fixed text, mapped back, holds the bytes it holds
        /// after fixing wherever no edit touched them.
        #[test]
        fn mapped_ranges_hold_the_same_untouched_bytes(
            text in "[a-z]{0,30}",
            fixes in arb_fixes(30),
            a in 0usize..40,
            b in 0usize..40,
        ) {
            let refs: Vec<&Fix> = fixes.iter().collect();
            let (out, taken) = apply_indexed(&text, &refs);
            let map = EditMap::new(taken.iter().flat_map(|&i| &fixes[i].edits));
            let (a, b) = (a.min(out.len()), b.min(out.len()));
            let (lo, hi) = (a.min(b), a.max(b));
            let back = map.map_range(&(lo..hi));
            proptest::prop_assert!(back.start <= back.end && back.end <= text.len());
            // Every byte no replacement wrote maps to the same byte before.
            let written: Vec<Range<usize>> = map.edits.iter().map(|(_, new)| new.clone()).collect();
            for p in 0..out.len() {
                if written.iter().any(|w| w.contains(&p)) {
                    continue;
                }
                let one = map.map_range(&(p..p + 1));
                proptest::prop_assert_eq!(one.len(), 1);
                proptest::prop_assert_eq!(text.as_bytes()[one.start], out.as_bytes()[p]);
            }
        }
    }

    #[test]
    fn preview_shows_the_span_after_fixing() {
        let f = fix(vec![Edit::insert(6, ".")]);
        assert_eq!(f.preview("werden Die", 0..10), "werden. Die");
    }
}
