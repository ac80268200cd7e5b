//! Fingerprints: a key per finding that survives unrelated edits, for the
//! baseline (`--baseline`) and SARIF's `partialFingerprints`.
//!
//! Line numbers move whenever text is added above a finding, so the key is
//! built from what the finding is about instead: the rule, the document
//! (its path, or for a JSONL record its `doc_id` when it has one), the
//! matched text with its spacing normalised (none for a signal about the
//! whole document, such as `structure/short-document`), and which
//! occurrence of that same (rule, text) pair in the document it is. The
//! hash is FNV-1a over a fixed byte layout, so keys are stable across
//! platforms and releases.

use crate::diagnostic::Diagnostic;
use crate::engine::Document;
use std::collections::HashMap;

/// The document part of a key: `doc_id` for records that have one, else
/// the path (with `#record` for records without an id).
pub fn document_identity(doc: &Document) -> String {
    identity_with_path(doc, &doc.path)
}

/// [`document_identity`] with the document's path written as `path`.
fn identity_with_path(doc: &Document, path: &str) -> String {
    match (&doc.doc_id, doc.record) {
        (Some(serde_json::Value::String(id)), _) => format!("id:{id}"),
        (Some(id), _) => format!("id:{id}"),
        (None, Some(record)) => format!("path:{path}#{record}"),
        (None, None) => format!("path:{path}"),
    }
}

/// The matched text as the key sees it: whitespace runs collapsed, at most
/// 200 characters (long spans such as whole boilerplate lines stay distinct
/// enough by their start).
pub fn normalized_text(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.chars().take(200).collect()
}

fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        // A separator no UTF-8 text contains, so parts cannot run together.
        h = (h ^ 0xFF).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One finding's key and the pieces it was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// 16 hex digits.
    pub key: String,
    pub document: String,
    pub text: String,
    /// 0 for the first finding of this rule on this text in the document.
    pub occurrence: usize,
}

/// Keys for every finding of `doc`, in the order of `doc.diagnostics`.
pub fn fingerprints(doc: &Document) -> Vec<Fingerprint> {
    fingerprints_as(doc, &doc.path)
}

/// [`fingerprints`] with the document's path written as `path` (the
/// baseline writes it relative to its own folder).
pub fn fingerprints_as(doc: &Document, path: &str) -> Vec<Fingerprint> {
    let document = identity_with_path(doc, path);
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    doc.diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            // A signal about the whole document is keyed by its rule and
            // document only: editing the line it is shown on keeps it.
            let matched = if d.whole_document {
                ""
            } else {
                doc.text.get(d.span.clone()).unwrap_or_default()
            };
            let text = normalized_text(matched);
            let count = seen.entry((d.rule.to_string(), text.clone())).or_default();
            let occurrence = *count;
            *count += 1;
            let n = occurrence.to_string();
            let hash = fnv1a(&[
                d.rule.as_bytes(),
                document.as_bytes(),
                text.as_bytes(),
                n.as_bytes(),
            ]);
            Fingerprint {
                key: format!("{hash:016x}"),
                document: document.clone(),
                text,
                occurrence,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn doc(text: &str, spans: &[(&str, std::ops::Range<usize>)]) -> Document {
        let mut doc = Document::new("a.txt", text.into());
        doc.diagnostics = spans
            .iter()
            .map(|(rule, span)| Diagnostic::new(*rule, Severity::Error, span.clone(), ""))
            .collect();
        doc
    }

    #[test]
    fn keys_survive_text_added_above_and_count_occurrences() {
        let a = doc("x< /p>\ny< /p>", &[("html/t", 1..6), ("html/t", 8..13)]);
        let b = doc(
            "new line\nx< /p>\ny< /p>",
            &[("html/t", 10..15), ("html/t", 17..22)],
        );
        let (ka, kb) = (fingerprints(&a), fingerprints(&b));
        assert_eq!(ka, kb);
        assert_ne!(ka[0].key, ka[1].key, "two occurrences of one text differ");
        assert_eq!((ka[1].occurrence, ka[1].text.as_str()), (1, "< /p>"));
    }

    #[test]
    fn keys_are_stable_across_releases() {
        let d = doc("Text< /p>", &[("html/leftover-tag", 4..9)]);
        // Changing this value breaks every baseline users have written.
        assert_eq!(
            fingerprints(&d)[0].key,
            format!(
                "{:016x}",
                fnv1a(&[b"html/leftover-tag", b"path:a.txt", b"< /p>", b"0"])
            )
        );
        assert_eq!(fnv1a(&[b"a"]), 0x089b_c907_b544_c769);
    }

    #[test]
    fn whole_document_signals_survive_edits_of_their_line() {
        let mut a = doc("Menü\nText", &[("structure/x", 0..5)]);
        let mut b = doc("Startseite\nText", &[("structure/x", 0..10)]);
        a.diagnostics[0].whole_document = true;
        b.diagnostics[0].whole_document = true;
        assert_eq!(fingerprints(&a)[0].key, fingerprints(&b)[0].key);
        assert_eq!(fingerprints(&a)[0].text, "");
    }

    #[test]
    fn records_are_known_by_their_id() {
        let mut d = doc("Text< /p>", &[("html/t", 4..9)]);
        d.record = Some(7);
        assert_eq!(document_identity(&d), "path:a.txt#7");
        d.doc_id = Some(serde_json::json!("doc-1"));
        assert_eq!(document_identity(&d), "id:doc-1");
        d.doc_id = Some(serde_json::json!(42));
        assert_eq!(document_identity(&d), "id:42");
    }
}
