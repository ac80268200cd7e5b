//! `--statistics`: counts per rule instead of each finding: findings,
//! documents affected (count and share of all documents) and fixable
//! findings, then the totals. With `--format json`, the same as one object.

use super::{Format, Reporter, Summary};
use crate::engine::Document;
use crate::fix::Applicability;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use termcolor::WriteColor;

#[derive(Debug, Default, Clone, Serialize)]
struct Row {
    findings: usize,
    documents: usize,
    documents_percent: f64,
    fixable_safe: usize,
    fixable_unsafe: usize,
}

pub struct Statistics {
    json: bool,
    rules: BTreeMap<String, Row>,
    documents: usize,
    documents_with_findings: usize,
}

impl Statistics {
    pub fn new(format: Format) -> Self {
        Statistics {
            json: matches!(format, Format::Json | Format::Jsonl),
            rules: BTreeMap::new(),
            documents: 0,
            documents_with_findings: 0,
        }
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

impl Reporter for Statistics {
    fn document(&mut self, _: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        self.documents += 1;
        if !doc.diagnostics.is_empty() {
            self.documents_with_findings += 1;
        }
        let mut seen: Vec<&str> = Vec::new();
        for d in &doc.diagnostics {
            let row = self.rules.entry(d.rule.to_string()).or_default();
            row.findings += 1;
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => row.fixable_safe += 1,
                Some(Applicability::Unsafe) => row.fixable_unsafe += 1,
                None => {}
            }
            if !seen.contains(&&*d.rule) {
                seen.push(&d.rule);
                row.documents += 1;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        for row in self.rules.values_mut() {
            row.documents_percent = percent(row.documents, self.documents);
        }
        let total = Row {
            findings: self.rules.values().map(|r| r.findings).sum(),
            documents: self.documents_with_findings,
            documents_percent: percent(self.documents_with_findings, self.documents),
            fixable_safe: self.rules.values().map(|r| r.fixable_safe).sum(),
            fixable_unsafe: self.rules.values().map(|r| r.fixable_unsafe).sum(),
        };
        if self.json {
            #[derive(Serialize)]
            struct Report<'a> {
                documents: usize,
                failed_inputs: usize,
                failed_records: usize,
                rules: Vec<serde_json::Value>,
                total: &'a Row,
            }
            let rules = self
                .rules
                .iter()
                .map(|(id, row)| {
                    let mut v = serde_json::to_value(row).expect("a row serialises");
                    v.as_object_mut()
                        .unwrap()
                        .insert("rule".into(), id.clone().into());
                    v
                })
                .collect();
            let report = Report {
                documents: self.documents,
                failed_inputs: summary.failed,
                failed_records: summary.bad_records,
                rules,
                total: &total,
            };
            serde_json::to_writer_pretty(&mut *out, &report)?;
            return writeln!(out);
        }
        let width = self.rules.keys().map(String::len).max().unwrap_or(0).max(5);
        writeln!(
            out,
            "{:width$}  {:>9}  {:>18}  {:>8}  {:>10}",
            "rule", "findings", "documents", "safe fix", "unsafe fix"
        )?;
        let line = |name: &str, r: &Row| {
            format!(
                "{name:width$}  {:>9}  {:>18}  {:>8}  {:>10}",
                r.findings,
                format!("{} ({:.1}%)", r.documents, r.documents_percent),
                r.fixable_safe,
                r.fixable_unsafe
            )
        };
        for (id, row) in &self.rules {
            writeln!(out, "{}", line(id, row))?;
        }
        writeln!(out, "{}", line("total", &total))?;
        writeln!(out, "{} checked", super::plural(self.documents, "document"))
    }
}
