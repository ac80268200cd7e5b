//! Baselines: fail only on what got worse. `--write-baseline FILE` records
//! the current findings by their [fingerprints](crate::fingerprint);
//! `--baseline FILE` hides the findings recorded there and counts the
//! entries that no longer occur, so the file can be pruned by writing it
//! again.
//!
//! The file is JSON, sorted, one entry per finding with the pieces its key
//! was built from, so that a reviewer can read it and a diff shows what was
//! accepted.

use crate::engine::Document;
use crate::fingerprint::fingerprints;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// The format version written into every baseline.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub document: String,
    pub rule: String,
    pub text: String,
    pub occurrence: usize,
    pub key: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "corpuslint-baseline")]
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline and what a run made of it.
#[derive(Debug, Default)]
pub struct Baseline {
    keys: HashSet<String>,
    used: HashSet<String>,
    /// Findings hidden so far.
    pub hidden: usize,
}

impl Baseline {
    /// Reads a baseline; the error names the file (and line and column for
    /// JSON that does not parse).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let name = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{name}: cannot read the baseline: {e}"))?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{name}:{}:{}: not a corpuslint baseline: {e}",
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "{name}: baseline format {} is not supported (this corpuslint writes {VERSION})",
                file.version
            ));
        }
        Ok(Baseline {
            keys: file.findings.into_iter().map(|e| e.key).collect(),
            ..Baseline::default()
        })
    }

    /// Removes the findings of `doc` that the baseline records.
    pub fn filter(&mut self, doc: &mut Document) {
        if doc.diagnostics.is_empty() {
            return;
        }
        let keys = fingerprints(doc);
        let mut keep = keys.iter().map(|f| !self.keys.contains(&f.key));
        let before = doc.diagnostics.len();
        doc.diagnostics.retain(|_| keep.next().unwrap_or(true));
        self.hidden += before - doc.diagnostics.len();
        for f in keys {
            if self.keys.contains(&f.key) {
                self.used.insert(f.key);
            }
        }
    }

    /// Entries of the file that matched no finding in this run.
    pub fn stale(&self) -> usize {
        self.keys.len() - self.used.len()
    }
}

/// The entries for a document's findings.
pub fn entries(doc: &Document) -> Vec<Entry> {
    fingerprints(doc)
        .into_iter()
        .zip(&doc.diagnostics)
        .map(|(f, d)| Entry {
            document: f.document,
            rule: d.rule.to_string(),
            text: f.text,
            occurrence: f.occurrence,
            key: f.key,
        })
        .collect()
}

/// Writes `entries` as a baseline file, sorted.
pub fn write(path: &Path, mut entries: Vec<Entry>) -> std::io::Result<()> {
    entries.sort();
    entries.dedup();
    let file = File {
        version: VERSION,
        findings: entries,
    };
    let mut json = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    json.push('\n');
    std::fs::write(path, json)
}
