//! The promises of docs/reliability.md as functions: each takes arbitrary
//! bytes, runs a part of corpuslint on them and panics when a promise is
//! broken. The cargo-fuzz targets in `fuzz/` call them with generated
//! input; `tests/fuzz_regressions.rs` calls them with every input a fuzzer
//! ever broke them with, so a fixed crash stays fixed.
//!
//! Not part of the stable API.

use crate::engine::{self, Linter, RunOptions};
use crate::input::{self, jsonl};
use crate::lang::LangChoice;
use crate::rules::{LoadOptions, RuleSet};
use std::ops::Range;
use std::sync::OnceLock;

/// The linter of the built-in rules, compiled once per process (each
/// fuzz run calls a property many thousand times).
pub fn builtin_linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        let set = RuleSet::builtin().expect("the built-in rules load");
        Linter::new(&set).expect("the built-in rules compile")
    })
}

/// The first byte range of `before` outside `changed` that `after` does
/// not keep, in order: `None` when `after` is `before` with only the
/// bytes of `changed` replaced. The bytes between the (merged) ranges must
/// appear in `after` in order, the first at its start and the last at its
/// end; greedy matching finds such a split whenever there is one.
pub fn changed_outside(
    before: &str,
    after: &str,
    changed: &[Range<usize>],
) -> Option<Range<usize>> {
    let mut ranges = changed.to_vec();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut kept = Vec::new();
    let mut pos = 0;
    for r in &merged {
        kept.push(pos..r.start.max(pos));
        pos = pos.max(r.end);
    }
    kept.push(pos.min(before.len())..before.len());
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let mut at = 0;
    let last = kept.len() - 1;
    for (i, k) in kept.iter().enumerate() {
        let seg = &b[k.clone()];
        let found = if i == 0 {
            a.starts_with(seg).then_some(0)
        } else if i == last {
            (a.len() >= at + seg.len() && a.ends_with(seg)).then(|| a.len() - seg.len())
        } else if seg.is_empty() {
            Some(at)
        } else {
            a[at.min(a.len())..]
                .windows(seg.len())
                .position(|w| w == seg)
                .map(|p| p + at)
        };
        match found {
            Some(p) if p >= at => at = p + seg.len(),
            _ => return Some(k.clone()),
        }
    }
    None
}

/// The engine over arbitrary bytes as an article and as a JSONL shard:
/// never a panic, findings inside the text, on char boundaries, in order.
pub fn engine(data: &[u8]) {
    let linter = builtin_linter();
    let opts = RunOptions::default();
    if let Ok(text) = input::decode("fuzz.txt", data.to_vec()) {
        let doc = engine::process(linter, &opts, "fuzz.txt", "fuzz.txt", text, None);
        check_findings(&doc.text, &doc.diagnostics);
        dolma_spans(&doc);
    }
    let mut reader = data;
    let text_field = jsonl::FieldPath::parse("text").expect("a field path");
    let id_field = jsonl::FieldPath::parse("id").expect("a field path");
    let _ = input::read_chunks(&mut reader, 4096, 1 << 20, |chunk| -> Result<(), ()> {
        let mut start = 0;
        for &end in &chunk.ends {
            let raw = &chunk.data[start..end];
            start = end;
            let Ok(line) = std::str::from_utf8(raw) else {
                continue;
            };
            let line = line.trim_end_matches(['\n', '\r']);
            if let Ok(record) = jsonl::parse_record(line, &text_field, &id_field) {
                let doc = engine::process(linter, &opts, "f.jsonl", "f.jsonl", record.text, None);
                check_findings(&doc.text, &doc.diagnostics);
                dolma_spans(&doc);
            }
        }
        Ok(())
    });
}

/// dolma attributes: spans within the text's code points, in order.
fn dolma_spans(doc: &engine::Document) {
    let chars = doc.text.chars().count() as u64;
    for (key, spans) in crate::report::dolma::attributes(doc) {
        for span in spans.as_array().expect("spans are a list") {
            let (start, end) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
            assert!(
                start <= end && end <= chars,
                "{key}: {span} in {chars} characters"
            );
        }
    }
}

fn check_findings(text: &str, diagnostics: &[crate::Diagnostic]) {
    let mut last = (0, "");
    for d in diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= text.len(),
            "{d:?}"
        );
        assert!(
            text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
            "{d:?}"
        );
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(
                e.range.start <= e.range.end && e.range.end <= text.len(),
                "{d:?}"
            );
            assert!(
                text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end),
                "{d:?}"
            );
        }
        let key = (d.span.start, &*d.rule);
        assert!(key >= last, "findings out of order: {d:?}");
        last = key;
    }
}

/// The fixer, safe and unsafe: fixing settles (no rule is left
/// unsettled), fixing the result changes nothing, no byte changes outside
/// the edits of the fixes reported as applied, and what is left is what a
/// fresh check of the result finds.
pub fn fixer(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let linter = builtin_linter();
    for unsafe_fixes in [false, true] {
        let once = linter.fix(text, &LangChoice::Auto, unsafe_fixes);
        assert!(
            once.unsettled.is_empty(),
            "fixes did not settle: {:?}",
            once.unsettled
        );
        let edits: Vec<Range<usize>> = once
            .applied
            .iter()
            .flat_map(|d| d.fix.iter().flat_map(|f| &f.edits))
            .map(|e| e.range.clone())
            .collect();
        assert_eq!(
            once.fixed,
            once.applied.len(),
            "one reported finding per applied fix"
        );
        check_findings(text, &once.applied);
        if let Some(r) = changed_outside(text, &once.text, &edits) {
            panic!(
                "bytes {r:?} ({:?}) changed outside every reported fix (unsafe: {unsafe_fixes})",
                &text[r.clone()]
            );
        }
        let twice = linter.fix(&once.text, &LangChoice::Auto, unsafe_fixes);
        assert_eq!(
            twice.text, once.text,
            "a second fix changed the text (unsafe: {unsafe_fixes})"
        );
        let lang = crate::lang::detect(&once.text);
        assert_eq!(
            linter.check(&once.text, lang),
            once.diagnostics,
            "the findings left differ from a fresh check (unsafe: {unsafe_fixes})"
        );
    }
}

/// Rule-file loading: any text is a rule file that loads or a list of
/// errors with positions inside it, never a panic; a file that loads
/// compiles into a linter that runs.
pub fn rule_file(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let mut set = RuleSet::new();
    let opts = LoadOptions {
        builtin: false,
        verify_examples: true,
    };
    match set.load_str("fuzz.toml", source, opts) {
        Err(errors) => {
            let lines = source.lines().count().max(1);
            for e in errors {
                assert!(e.line >= 1 && e.line <= lines + 1, "{e}");
                assert!(e.column >= 1, "{e}");
            }
        }
        Ok(()) => {
            if let Ok(linter) = Linter::new(&set) {
                for text in ["Ein Satz.< /p>\nNewsletter abonnieren", source] {
                    let d = linter.check(text, Some("de"));
                    check_findings(text, &d);
                    let _ = linter.fix(text, Some("de"), true);
                }
            }
        }
    }
}

/// JSONL re-encoding: writing a new text into a record keeps every byte
/// outside the text field's string, and the line reads back as the new
/// text, in the same escaping style.
pub fn jsonl_reencode(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    if line.contains('\n') {
        return;
    }
    let text_field = jsonl::FieldPath::parse("text").expect("a field path");
    let id_field = jsonl::FieldPath::parse("id").expect("a field path");
    let Ok(record) = jsonl::parse_record(line, &text_field, &id_field) else {
        return;
    };
    let linter = builtin_linter();
    let fixed = linter.fix(&record.text, &LangChoice::Auto, true).text;
    for new_text in [
        fixed.as_str(),
        "",
        "ü \" \\ \u{1F600} \u{2028}",
        &record.text,
    ] {
        let out = jsonl::replace_text(line, &record, new_text);
        assert_eq!(&out[..record.span.start], &line[..record.span.start]);
        assert_eq!(
            &out[out.len() - (line.len() - record.span.end)..],
            &line[record.span.end..]
        );
        let again = jsonl::parse_record(&out, &text_field, &id_field)
            .unwrap_or_else(|e| panic!("the rewritten line does not parse: {e}: {out}"));
        assert_eq!(again.text, new_text);
        assert_eq!(again.id, record.id);
        if record.ascii_escaped {
            assert!(out[again.span.clone()].is_ascii());
        }
    }
}
