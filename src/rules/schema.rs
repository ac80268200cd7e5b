//! The rule file format as serde types. Every table rejects unknown keys, so
//! a typo in a rule file is an error with a position, never a silent no-op.

use crate::diagnostic::Severity;
use crate::fix::Applicability;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub rule: Vec<Spanned<RuleSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub id: Spanned<String>,
    pub severity: Severity,
    pub kind: Spanned<Kind>,
    #[serde(default)]
    pub pattern: Option<Spanned<String>>,
    #[serde(default)]
    pub phrases: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub check: Option<Spanned<String>>,
    #[serde(default)]
    pub options: Option<Spanned<toml::Table>>,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub docs: String,
    #[serde(default = "every_language")]
    pub languages: Vec<String>,
    #[serde(default)]
    pub fix: Option<Spanned<FixSpec>>,
    #[serde(default)]
    pub scope: Option<Scope>,
    #[serde(default)]
    pub max_line_chars: Option<usize>,
    #[serde(default)]
    pub case_sensitive: bool,
    /// `line` rules: literals (case-insensitive) of which a line must
    /// contain one before the pattern is tried. A speed hint for patterns
    /// that must read whole lines (`.*word.*`); it must not change results.
    #[serde(default)]
    pub requires: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub examples: Vec<Spanned<Example>>,
}

fn every_language() -> Vec<String> {
    vec!["*".to_string()]
}

/// How a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A regular expression matched anywhere.
    Pattern,
    /// Literal phrases, case-insensitive, on word boundaries.
    Phrases,
    /// A regular expression that must match a whole (trimmed) line.
    Line,
    /// A check written in Rust, named by `check`, configured by `options`.
    Builtin,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pattern => "pattern",
            Kind::Phrases => "phrases",
            Kind::Line => "line",
            Kind::Builtin => "builtin",
        }
    }
}

/// What a pattern or phrase finding covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The matched text.
    #[default]
    Match,
    /// The whole line holding the match (one finding per line): for
    /// boilerplate recognised by a phrase inside it.
    Line,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    pub action: FixAction,
    /// Replacement (`replace`, may use `$1` / `${name}` in pattern rules) or
    /// inserted text (`insert`).
    #[serde(default)]
    pub with: String,
    /// Where `insert` puts its text: before or after the match.
    #[serde(default)]
    pub at: InsertAt,
    #[serde(default = "default_applicability")]
    pub applicability: Applicability,
}

fn default_applicability() -> Applicability {
    Applicability::Unsafe
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAction {
    Replace,
    DeleteLine,
    Insert,
}

impl FixAction {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAction::Replace => "replace",
            FixAction::DeleteLine => "delete-line",
            FixAction::Insert => "insert",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InsertAt {
    Start,
    #[default]
    End,
}

/// One embedded test of a rule.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Text on which the rule must report at least one finding.
    #[serde(default)]
    pub bad: Option<String>,
    /// Text on which the rule must stay silent.
    #[serde(default)]
    pub good: Option<String>,
    /// `bad` after applying the rule's fixes (safe and unsafe).
    #[serde(default)]
    pub fixed: Option<String>,
    /// Language the example is checked as (default: the rule's first language).
    #[serde(default)]
    pub lang: Option<String>,
    /// Where the example sits in its rule file.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}
