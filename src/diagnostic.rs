//! What a check found: a rule id, a severity, a message, a byte span in the
//! document and, optionally, a fix. Plain data: rendering lives in `report/`.

use crate::fix::Fix;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How much a finding matters. Ordered: `Info < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
#[schemars(description = "How much a finding matters: `error`, `warning` or `info`.")]
pub enum Severity {
    /// A fact worth knowing (an e-mail address).
    Info,
    /// A judgement call (two sentences run together, an image caption).
    Warning,
    /// An unmistakable artifact (a leftover tag, a cookie banner, mojibake).
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place the finding points at (for example where a quote opened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub message: String,
}

/// One finding in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Arc<str>,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the document text.
    pub span: Range<usize>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub labels: Vec<Label>,
    /// A signal about the whole document (reported on its first line):
    /// its baseline key does not depend on the text it points at.
    pub whole_document: bool,
}

impl Diagnostic {
    /// A finding of `rule` on `span` with `message`, without help or fix.
    pub fn new(
        rule: impl Into<Arc<str>>,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            message: message.into(),
            span,
            help: None,
            fix: None,
            labels: Vec::new(),
            whole_document: false,
        }
    }

    /// The order DESIGN.md fixes within a document: offset, then rule id.
    pub fn sort_key(&self) -> (usize, &str, usize) {
        (self.span.start, &self.rule, self.span.end)
    }
}

/// Sorts findings of one document into their reporting order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
