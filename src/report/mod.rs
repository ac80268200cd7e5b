//! Reporters: how findings are printed. One trait, one file per format. A
//! reporter gets each document's results in input order and a summary at the
//! end; it writes to the stream it is given and never decides exit codes.

mod concise;
pub mod dolma;
mod github;
pub mod html;
mod human;
mod json;
pub mod pipe;
mod sarif;
mod statistics;

pub use concise::Concise;
pub use github::Github;
pub use human::Human;
pub use json::{Json, JsonFinding, Jsonl};
pub use sarif::Sarif;
pub use statistics::Statistics;

use crate::diagnostic::Severity;
use crate::engine::{Document, Mode};
use crate::fix::Applicability;
use crate::rules::RuleSet;
use crate::text::LineIndex;
use foldhash::{HashMap, HashMapExt};
use std::io;
use termcolor::WriteColor;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the source excerpt (default)
    Human,
    /// one line per finding: `path:line:col: severity[rule] message`
    Concise,
    /// one JSON array of findings
    Json,
    /// one JSON object per line
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions annotations (`::error file=...::message`), at most 10 per kind
    Github,
    /// attribute files for dolma's mixer, under attributes/NAME/ beside documents/ (see --attributes-name, --output-dir)
    DolmaAttributes,
}

pub trait Reporter {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()>;
    /// An input could not be read whole (a bad record, a read error).
    fn input_failed(&mut self, _input: &str) {}
    /// Errors of the reporter's own, said after the run (files it writes).
    fn errors(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A reporter for `format`. `rules` are the rules of the run: SARIF lists
/// the metadata of those that fired.
pub fn reporter(format: Format, rules: &RuleSet) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(Human::default()),
        Format::Concise => Box::new(Concise),
        Format::Json => Box::new(Json::default()),
        Format::Jsonl => Box::new(Jsonl),
        Format::Sarif => Box::new(Sarif::new(rules.rules().cloned())),
        Format::Github => Box::new(Github::default()),
        Format::DolmaAttributes => Box::new(dolma::DolmaAttributes::new("corpuslint", None)),
    }
}

/// A document's path as CI tools want it: no leading `./`, and forward
/// slashes on Windows (elsewhere a backslash is part of a file name).
pub(crate) fn ci_path(path: &str) -> String {
    let mut p = if std::path::MAIN_SEPARATOR == '\\' {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

/// Where in a JSONL record's text a finding is, for formats that can only
/// point at the record's line in the shard: ` (id doc-7, text line 2, column 5)`.
pub(crate) fn record_note(doc: &Document, line: usize, column: usize) -> String {
    match &doc.doc_id {
        Some(serde_json::Value::String(id)) => {
            format!(" (id {id}, text line {line}, column {column})")
        }
        Some(id) => format!(" (id {id}, text line {line}, column {column})"),
        None => format!(" (text line {line}, column {column})"),
    }
}

/// Totals over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub mode: Option<Mode>,
    /// Inputs checked (a shard counts once).
    pub files: usize,
    /// Documents checked (each JSONL record counts).
    pub documents: usize,
    last_path: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings whose fix `--fix` would apply.
    pub fixable_safe: usize,
    /// Findings whose fix needs `--unsafe-fixes`.
    pub fixable_unsafe: usize,
    /// Fixes applied (`--fix`) or shown (`--diff`).
    pub fixed: usize,
    pub files_fixed: usize,
    /// Inputs that could not be checked.
    pub failed: usize,
    /// JSONL records that could not be checked.
    pub bad_records: usize,
    /// Documents where a rule's fixes did not settle (left unapplied).
    pub unsettled: usize,
    /// `--baseline`: findings it hid, and its entries that no longer occur.
    pub baseline: Option<(usize, usize)>,
    pub unsafe_fixes: bool,
}

impl Summary {
    pub fn new(mode: Mode, unsafe_fixes: bool) -> Self {
        Summary {
            mode: Some(mode),
            unsafe_fixes,
            ..Summary::default()
        }
    }

    pub fn add(&mut self, doc: &Document) {
        if self.last_path.as_deref() != Some(doc.path.as_str()) {
            self.files += 1;
            self.last_path = Some(doc.path.clone());
        }
        self.documents += 1;
        for d in &doc.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => self.fixable_safe += 1,
                Some(Applicability::Unsafe) => self.fixable_unsafe += 1,
                None => {}
            }
        }
        self.fixed += doc.fixed;
        if !doc.unsettled.is_empty() {
            self.unsettled += 1;
        }
        if doc.changed {
            self.files_fixed += 1;
        }
    }

    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// The closing line of human and concise output.
    pub fn line(&self) -> String {
        let mut out = String::new();
        let unit = if self.documents == self.files {
            "file"
        } else {
            "document"
        };
        let checked = if self.documents == self.files {
            plural(self.files, "file")
        } else {
            format!(
                "{} ({})",
                plural(self.documents, "document"),
                plural(self.files, "file")
            )
        };
        if self.mode == Some(Mode::Fix) {
            out.push_str(&format!(
                "fixed {} in {}; ",
                plural(self.fixed, "finding"),
                plural(self.files_fixed, unit)
            ));
        }
        if self.findings() == 0 {
            out.push_str(&format!("no findings in {checked}"));
        } else {
            let mut parts = vec![
                plural(self.errors, "error"),
                plural(self.warnings, "warning"),
            ];
            if self.infos > 0 {
                parts.push(plural(self.infos, "info"));
            }
            out.push_str(&format!("{} in {checked}", parts.join(", ")));
            let (safe, unsafe_) = if self.unsafe_fixes {
                (self.fixable_safe + self.fixable_unsafe, 0)
            } else {
                (self.fixable_safe, self.fixable_unsafe)
            };
            let flag = if self.unsafe_fixes {
                "--fix --unsafe-fixes"
            } else {
                "--fix"
            };
            if safe > 0 || unsafe_ > 0 {
                out.push_str(&format!("; {safe} fixable with {flag}"));
                if unsafe_ > 0 {
                    out.push_str(&format!(" ({unsafe_} more with --fix --unsafe-fixes)"));
                }
            }
        }
        if self.failed > 0 {
            out.push_str(&format!(
                "; {} could not be checked",
                plural(self.failed, "file")
            ));
        }
        if let Some((hidden, stale)) = self.baseline {
            out.push_str(&format!(
                "; {} hidden by the baseline",
                plural(hidden, "finding")
            ));
            if stale > 0 {
                out.push_str(&format!(
                    " ({} no longer {}: write it again with --write-baseline to prune)",
                    plural(stale, "baseline entry"),
                    if stale == 1 { "occurs" } else { "occur" }
                ));
            }
        }
        if self.bad_records > 0 {
            out.push_str(&format!(
                "; {} could not be checked",
                plural(self.bad_records, "record")
            ));
        }
        out
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        return format!("1 {word}");
    }
    let consonant_y = word.ends_with('y')
        && !word
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "aeiou".contains(c));
    if consonant_y {
        format!("{n} {}ies", &word[..word.len() - 1])
    } else if ["s", "x", "sh", "ch"].iter().any(|end| word.ends_with(end)) {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}

/// Lines and columns of the offsets a reporter prints for one document,
/// computed in one pass over its text, so that a 50 MB one-line document
/// with many findings costs one scan, not one per finding.
pub struct Positions {
    pub lines: LineIndex,
    map: HashMap<usize, (usize, usize)>,
    len: usize,
}

impl Positions {
    /// The start and end of every finding and label of `doc`, and with
    /// `fix_edits` also of their fixes' edits.
    pub fn new(doc: &Document, fix_edits: bool) -> Self {
        Self::of(&doc.text, &doc.diagnostics, fix_edits)
    }

    /// The positions of the findings whose fixes `--fix` applied, in the
    /// text before fixing.
    pub fn applied(doc: &Document) -> Self {
        Self::of(doc.applied_text(), &doc.applied, true)
    }

    /// [`Positions::new`] for findings of `text` that are not in a
    /// [`Document`].
    pub fn of(text: &str, diagnostics: &[crate::diagnostic::Diagnostic], fix_edits: bool) -> Self {
        let mut offsets = Vec::new();
        for d in diagnostics {
            offsets.extend([d.span.start, d.span.end]);
            offsets.extend(d.labels.iter().flat_map(|l| [l.span.start, l.span.end]));
            if fix_edits {
                offsets.extend(
                    d.fix
                        .iter()
                        .flat_map(|f| &f.edits)
                        .flat_map(|e| [e.range.start, e.range.end]),
                );
            }
        }
        let lines = LineIndex::new(text);
        let map = positions_of(text, &lines, offsets);
        Positions {
            lines,
            map,
            len: text.len(),
        }
    }

    /// 1-based line and column of `byte`, one of the offsets given to `new`.
    pub fn at(&self, byte: usize) -> (usize, usize) {
        self.map[&byte.min(self.len)]
    }
}

fn positions_of(
    text: &str,
    lines: &LineIndex,
    mut offsets: Vec<usize>,
) -> HashMap<usize, (usize, usize)> {
    offsets.sort_unstable();
    offsets.dedup();
    let mut map = HashMap::with_capacity(offsets.len());
    let mut cursor = 0usize; // byte
    let mut line = usize::MAX;
    let mut column = 1usize;
    for off in offsets {
        let off = off.min(text.len());
        let l = lines.line_of(off);
        if l != line {
            line = l;
            cursor = lines.full(l).start;
            column = 1;
        }
        // A byte-order mark opening the text is no column: editors do not
        // show it.
        if l == 0 && cursor < 3 && off >= 3 && text.starts_with('\u{FEFF}') {
            cursor = 3;
        }
        column += text[cursor..off].chars().count();
        cursor = off;
        map.insert(off, (line + 1, column));
    }
    map
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "fix"), "1 fix");
        assert_eq!(plural(2, "fix"), "2 fixes");
        assert_eq!(plural(3, "baseline entry"), "3 baseline entries");
        assert_eq!(plural(2, "file"), "2 files");
        assert_eq!(plural(2, "info"), "2 infos");
        assert_eq!(plural(0, "category"), "0 categories");
    }
}
