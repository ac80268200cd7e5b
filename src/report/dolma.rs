//! `--format dolma-attributes`: attribute files for dolma's mixer. For a
//! shard `…/documents/X.jsonl.gz` the file `…/attributes/<name>/X.jsonl.gz`
//! gets one line per record, in order, with the record's `id`:
//!
//! ```json
//! {"id": "doc-7", "attributes": {"corpuslint__html_leftover_tag": [[12, 17, 1.0]], ...}}
//! ```
//!
//! Spans are `[start, end, score]` in Unicode code points (dolma counts
//! characters, not bytes). Per rule the key is `corpuslint__<category>_<name>`
//! (`-` as `_`) and the score the severity (error 1.0, warning 0.5, info
//! 0.1). `corpuslint__delete` holds the spans that the safe fixes delete, so
//! that a `span_replacement` with an empty replacement applies them inside
//! dolma. A document with findings also gets `corpuslint__score` and
//! `corpuslint__boilerplate_share` over its whole text; one without any
//! gets `{}`. A file appears only whole: when a record of its shard could
//! not be read, it is not written (the mixer needs a line per record).

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Document;
use crate::filter::{Policy, judge};
use crate::fix::{self, Fix};
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use termcolor::WriteColor;

/// Writes the attribute files of a run.
pub struct DolmaAttributes {
    name: String,
    /// The root of the `attributes/` tree, when not beside `documents/`.
    output_dir: Option<PathBuf>,
    current: Option<Current>,
    /// Inputs with a record that could not be read: their files are not
    /// written.
    failed: HashSet<String>,
    /// Files written, and errors met.
    pub written: usize,
    pub errors: Vec<String>,
}

struct Current {
    input: String,
    path: PathBuf,
    replacement: crate::input::Replacement,
    writer: crate::input::BlockWriter<io::BufWriter<std::fs::File>>,
}

/// The score of a severity in a span.
fn severity_score(s: Severity) -> f64 {
    match s {
        Severity::Error => 1.0,
        Severity::Warning => 0.5,
        Severity::Info => 0.1,
    }
}

/// `corpuslint__html_leftover_tag` for `html/leftover-tag`.
pub fn attribute_key(rule: &str) -> String {
    format!("corpuslint__{}", rule.replace(['/', '-'], "_"))
}

/// The attributes path of the documents file `input`: the last `documents`
/// folder of its path becomes `attributes/<name>`, or, under `output_dir`,
/// `output_dir/attributes/<name>/` followed by the part after `documents/`
/// (or the file name when there is none).
pub fn attributes_path(input: &Path, name: &str, output_dir: Option<&Path>) -> Option<PathBuf> {
    let parts: Vec<Component> = input.components().collect();
    let documents = parts.iter().rposition(|c| c.as_os_str() == "documents");
    let after: PathBuf = match documents {
        Some(i) => parts[i + 1..].iter().collect(),
        None => PathBuf::from(input.file_name()?),
    };
    match (output_dir, documents) {
        (Some(dir), _) => Some(dir.join("attributes").join(name).join(after)),
        (None, Some(i)) => {
            let before: PathBuf = parts[..i].iter().collect();
            Some(before.join("attributes").join(name).join(after))
        }
        (None, None) => None,
    }
}

/// Byte offsets of `text` as code-point offsets, for the sorted `offsets`.
fn code_points(text: &str, offsets: &[usize]) -> BTreeMap<usize, usize> {
    let mut map = BTreeMap::new();
    let (mut byte, mut chars) = (0usize, 0usize);
    for &off in offsets {
        let off = off.min(text.len());
        chars += text[byte..off].chars().count();
        byte = off;
        map.insert(off, chars);
    }
    map
}

/// The spans the safe fixes of `findings` delete, as one fix pass applies
/// them (the first of overlapping fixes wins): the fixes made only of
/// deletions.
pub fn safe_deletions(text: &str, findings: &[Diagnostic]) -> Vec<std::ops::Range<usize>> {
    let safe: Vec<&Fix> = findings
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.allowed(false))
        .collect();
    let (_, taken) = fix::apply_indexed(text, &safe);
    let mut spans: Vec<std::ops::Range<usize>> = taken
        .iter()
        .map(|&i| safe[i])
        .filter(|f| f.edits.iter().all(|e| e.replacement.is_empty()))
        .flat_map(|f| f.edits.iter().map(|e| e.range.clone()))
        .filter(|r| !r.is_empty())
        .collect();
    spans.sort_by_key(|r| (r.start, r.end));
    spans
}

/// The attributes of one document.
pub fn attributes(doc: &Document) -> serde_json::Map<String, serde_json::Value> {
    let text = &doc.text;
    let deletions = safe_deletions(text, &doc.diagnostics);
    let mut offsets: Vec<usize> = doc
        .diagnostics
        .iter()
        .flat_map(|d| [d.span.start, d.span.end])
        .chain(deletions.iter().flat_map(|r| [r.start, r.end]))
        .chain([0, text.len()])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let cp = code_points(text, &offsets);
    let span = |r: &std::ops::Range<usize>, score: f64| {
        serde_json::json!([cp[&r.start], cp[&r.end], score])
    };
    let mut by_rule: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for d in &doc.diagnostics {
        by_rule
            .entry(attribute_key(&d.rule))
            .or_default()
            .push(span(&d.span, severity_score(d.severity)));
    }
    let mut out = serde_json::Map::new();
    for (key, spans) in by_rule {
        out.insert(key, spans.into());
    }
    if !deletions.is_empty() {
        let spans: Vec<serde_json::Value> = deletions.iter().map(|r| span(r, 1.0)).collect();
        out.insert("corpuslint__delete".into(), spans.into());
    }
    if !doc.diagnostics.is_empty() {
        let v = judge(&Policy::default(), text, text, &[], &doc.diagnostics);
        let whole = 0..text.len();
        out.insert(
            "corpuslint__score".into(),
            serde_json::json!([span(&whole, v.score)]),
        );
        out.insert(
            "corpuslint__boilerplate_share".into(),
            serde_json::json!([span(&whole, v.boilerplate_share)]),
        );
    }
    out
}

impl DolmaAttributes {
    pub fn new(name: impl Into<String>, output_dir: Option<PathBuf>) -> Self {
        DolmaAttributes {
            name: name.into(),
            output_dir,
            current: None,
            failed: HashSet::new(),
            written: 0,
            errors: Vec::new(),
        }
    }

    fn finish_current(&mut self) {
        let Some(cur) = self.current.take() else {
            return;
        };
        if self.failed.contains(&cur.input) {
            self.errors.push(format!(
                "{}: not written: a record of {} could not be read",
                cur.path.display(),
                cur.input
            ));
            return;
        }
        match cur
            .writer
            .finish_write()
            .and_then(|()| cur.replacement.commit())
        {
            Ok(()) => self.written += 1,
            Err(e) => self
                .errors
                .push(format!("{}: cannot write: {e}", cur.path.display())),
        }
    }

    fn open(&mut self, doc: &Document) -> io::Result<()> {
        let input = Path::new(&doc.path);
        let Some(path) = attributes_path(input, &self.name, self.output_dir.as_deref()) else {
            return Err(io::Error::other(format!(
                "{}: not under a `documents/` folder: pass --output-dir for the attributes",
                doc.path
            )));
        };
        let mut replacement = crate::input::Replacement::create(&path)?;
        let file = replacement.file().try_clone()?;
        let writer = crate::input::compressor(
            io::BufWriter::with_capacity(256 * 1024, file),
            crate::input::classify(&path).1,
        )?;
        self.current = Some(Current {
            input: doc.path.clone(),
            path,
            replacement,
            writer,
        });
        Ok(())
    }
}

impl Reporter for DolmaAttributes {
    fn document(&mut self, _: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        if doc.record.is_none() {
            if !self.failed.contains(&doc.path) {
                self.failed.insert(doc.path.clone());
                self.errors.push(format!(
                    "{}: dolma attributes are written for JSONL shards; an article has no id",
                    doc.path
                ));
            }
            return Ok(());
        }
        if self.current.as_ref().map(|c| c.input.as_str()) != Some(doc.path.as_str()) {
            self.finish_current();
            if let Err(e) = self.open(doc) {
                self.failed.insert(doc.path.clone());
                self.errors.push(e.to_string());
            }
        }
        let Some(cur) = &mut self.current else {
            return Ok(());
        };
        if cur.input != doc.path {
            return Ok(());
        }
        let line = serde_json::json!({
            "id": doc.doc_id.clone().unwrap_or(serde_json::Value::Null),
            "attributes": attributes(doc),
        });
        let mut bytes = serde_json::to_vec(&line).map_err(io::Error::other)?;
        bytes.push(b'\n');
        if let Err(e) = cur.writer.write_all(&bytes) {
            let path = cur.path.display().to_string();
            self.failed.insert(doc.path.clone());
            self.errors.push(format!("{path}: cannot write: {e}"));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        self.finish_current();
        writeln!(
            out,
            "wrote {} ({}); {}",
            super::plural(self.written, "attribute file"),
            self.name,
            summary.line()
        )
    }

    /// A record of `input` could not be read: its attributes would miss a
    /// line, so its file is not written.
    fn input_failed(&mut self, input: &str) {
        self.failed.insert(input.to_string());
    }

    fn errors(&self) -> Vec<String> {
        self.errors.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_mirror_documents_into_attributes() {
        let p = |s: &str| attributes_path(Path::new(s), "cl", None);
        assert_eq!(
            p("data/documents/part/x.jsonl.gz"),
            Some(PathBuf::from("data/attributes/cl/part/x.jsonl.gz"))
        );
        assert_eq!(p("x.jsonl"), None);
        assert_eq!(
            attributes_path(Path::new("in/x.jsonl"), "cl", Some(Path::new("out"))),
            Some(PathBuf::from("out/attributes/cl/x.jsonl"))
        );
        assert_eq!(
            attributes_path(
                Path::new("a/documents/b/x.jsonl"),
                "cl",
                Some(Path::new("out"))
            ),
            Some(PathBuf::from("out/attributes/cl/b/x.jsonl"))
        );
    }

    #[test]
    fn spans_count_code_points() {
        let mut doc = Document::new("documents/s.jsonl", "Grüße< /p> und mehr".to_string());
        doc.record = Some(1);
        let start = doc.text.find('<').unwrap();
        let mut d = Diagnostic::new("html/leftover-tag", Severity::Error, start..start + 5, "m");
        d.fix = Some(Fix::new(
            crate::fix::Applicability::Safe,
            vec![crate::fix::Edit::delete(start..start + 5)],
        ));
        doc.diagnostics = vec![d];
        let a = attributes(&doc);
        assert_eq!(
            a["corpuslint__html_leftover_tag"],
            serde_json::json!([[5, 10, 1.0]])
        );
        assert_eq!(a["corpuslint__delete"], serde_json::json!([[5, 10, 1.0]]));
        assert_eq!(a["corpuslint__score"][0][1], 19);
        doc.diagnostics.clear();
        assert!(attributes(&doc).is_empty());
    }
}
