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
use crate::fingerprint::{Fingerprint, fingerprints_as};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

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

/// How a baseline names the documents of a run: by their path relative to
/// the baseline file's folder, whatever way the path was typed (`corpus`,
/// `./corpus`, an absolute path, or `.` from inside `corpus/`).
#[derive(Debug, Clone, Default)]
pub struct Paths {
    /// The working directory the run's paths are relative to.
    cwd: PathBuf,
    /// The folder of the baseline file, absolute.
    root: PathBuf,
}

impl Paths {
    /// For the baseline file `file` of a run in `cwd`.
    pub fn new(cwd: &Path, file: &Path) -> Self {
        let file = crate::config::absolute(cwd, file);
        let root = file.parent().map(Path::to_path_buf).unwrap_or_default();
        Paths {
            cwd: cwd.to_path_buf(),
            root,
        }
    }

    /// `path` (as the run names it) relative to the baseline's folder, with
    /// `/` between its parts; standard input stays `-`.
    pub fn key(&self, path: &str) -> String {
        if path == "-" {
            return path.to_string();
        }
        let absolute = crate::config::absolute(&self.cwd, Path::new(path));
        relative(&absolute, &self.root)
            .iter()
            .map(|c| c.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    fn fingerprints(&self, doc: &Document) -> Vec<Fingerprint> {
        fingerprints_as(doc, &self.key(&doc.path))
    }
}

/// `path` relative to `base` (both absolute and normalised): `..` for each
/// part of `base` not shared.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let shared = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in shared..b.len() {
        out.push("..");
    }
    for c in &p[shared..] {
        out.push(c);
    }
    out
}

/// A loaded baseline and what a run made of it.
#[derive(Debug, Default)]
pub struct Baseline {
    paths: Paths,
    keys: HashSet<String>,
    used: HashSet<String>,
    /// Findings hidden so far.
    pub hidden: usize,
}

impl Baseline {
    /// Reads a baseline; the error names the file (and line and column for
    /// JSON that does not parse).
    pub fn load(path: &Path, paths: Paths) -> Result<Baseline, String> {
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
            paths,
            keys: file.findings.into_iter().map(|e| e.key).collect(),
            ..Baseline::default()
        })
    }

    /// Removes the findings of `doc` that the baseline records.
    pub fn filter(&mut self, doc: &mut Document) {
        if doc.diagnostics.is_empty() {
            return;
        }
        let keys = self.paths.fingerprints(doc);
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
pub fn entries(doc: &Document, paths: &Paths) -> Vec<Entry> {
    paths
        .fingerprints(doc)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_do_not_depend_on_how_the_path_was_typed() {
        let repo = Path::new("/work/repo");
        let from_root = Paths::new(repo, Path::new("baseline.json"));
        let inside = Paths::new(&repo.join("corpus"), Path::new("../baseline.json"));
        let elsewhere = Paths::new(Path::new("/tmp"), Path::new("/work/repo/./baseline.json"));
        let want = "corpus/a.txt";
        assert_eq!(from_root.key("corpus/a.txt"), want);
        assert_eq!(from_root.key("./corpus/a.txt"), want);
        assert_eq!(from_root.key("corpus//sub/../a.txt"), want);
        assert_eq!(from_root.key("/work/repo/corpus/a.txt"), want);
        assert_eq!(inside.key("a.txt"), want);
        assert_eq!(elsewhere.key("/work/repo/corpus/a.txt"), want);
        assert_eq!(elsewhere.key("../work/repo/corpus/a.txt"), want);
        assert_eq!(from_root.key("../other/b.txt"), "../other/b.txt");
        assert_eq!(from_root.key("-"), "-");
    }
}
