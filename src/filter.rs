//! The ingestion decision: keep a document as it is, keep it fixed, or
//! drop it and say why. `corpuslint filter` writes what this module
//! decides; other front ends (the Python package, a pipeline step) call it
//! the same way.
//!
//! A document is judged after fixing, on what would go into the dataset:
//!
//! - **empty**: fixing left nothing but whitespace;
//! - **severity**: a finding left at or above `drop_on` (default: an error
//!   no safe fix removed);
//! - **rule**: a finding, fixed or not, of a rule `drop_rules` names;
//! - **boilerplate share**: the share of non-empty lines that a finding of
//!   a boilerplate rule touches, after fixing, above `max_boilerplate_share`;
//! - **words**: fewer than `min_words` words after fixing;
//! - **density**: more than `max_findings_per_kb` errors and warnings per
//!   1,000 bytes of the text before fixing (how much the scraper left);
//! - **score**: a quality score below `min_score`.
//!
//! The score is `1 / (1 + p)`, where `p` is the weighted sum of the findings
//! left after fixing per 1,000 bytes of the fixed text (at least one
//! thousand): 1 for a clean text, 0.5 for one error in a short text, near 0
//! for a page full of artifacts. A finding weighs what its rule's weight
//! says, else what its severity's does (default: error 1, warning 0.5,
//! info 0.1).

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::selector_matches;
use crate::text::LineIndex;
use serde::Serialize;
use std::collections::BTreeMap;

/// How much a finding counts against the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub error: f64,
    pub warning: f64,
    pub info: f64,
    /// Rule ids or prefixes with a weight of their own; the longest match
    /// wins.
    pub rules: Vec<(String, f64)>,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            error: 1.0,
            warning: 0.5,
            info: 0.1,
            rules: Vec::new(),
        }
    }
}

impl Weights {
    /// The weight of one finding.
    pub fn of(&self, d: &Diagnostic) -> f64 {
        self.rules
            .iter()
            .filter(|(sel, _)| selector_matches(sel, &d.rule))
            .max_by_key(|(sel, _)| sel.len())
            .map_or(
                match d.severity {
                    Severity::Error => self.error,
                    Severity::Warning => self.warning,
                    Severity::Info => self.info,
                },
                |(_, w)| *w,
            )
    }
}

/// When a document is dropped. Every threshold is off unless set, but for
/// `drop_on`, which defaults to errors.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Drop a document with a finding left at or above this severity.
    pub drop_on: Option<Severity>,
    /// Drop a document with a finding of these rules (ids or prefixes).
    pub drop_rules: Vec<String>,
    /// Drop above this share of boilerplate lines after fixing (0 to 1).
    pub max_boilerplate_share: Option<f64>,
    /// Drop below this many words after fixing.
    pub min_words: Option<usize>,
    /// Drop above this many errors and warnings per 1,000 bytes.
    pub max_findings_per_kb: Option<f64>,
    /// Drop below this score (0 to 1).
    pub min_score: Option<f64>,
    pub weights: Weights,
    /// The rules whose findings mark a line as boilerplate.
    pub boilerplate_rules: Vec<String>,
}

/// What a caller sets over `[filter]` in corpuslint.toml (command-line
/// flags, the Python package's arguments); `None` keeps the file's value.
#[derive(Debug, Clone, Default)]
pub struct PolicyFlags {
    /// `Some(None)`: never drop for a severity.
    pub drop_on: Option<Option<Severity>>,
    pub drop_rules: Option<Vec<String>>,
    pub max_boilerplate_share: Option<f64>,
    pub min_words: Option<usize>,
    pub max_findings_per_kb: Option<f64>,
    pub min_score: Option<f64>,
}

impl Policy {
    /// The policy: `flags` over `[filter]` of the configuration (`file`)
    /// over the defaults.
    pub fn from_settings(
        file: Option<&crate::config::FilterSettings>,
        flags: PolicyFlags,
    ) -> Policy {
        let file = file.cloned().unwrap_or_default();
        let defaults = Policy::default();
        let weights = Weights::default();
        let w = file.weights.unwrap_or_default();
        Policy {
            drop_on: flags
                .drop_on
                .or(file.drop_on.map(crate::config::FailOn::threshold))
                .unwrap_or(defaults.drop_on),
            drop_rules: flags.drop_rules.unwrap_or(file.drop_rules),
            max_boilerplate_share: flags.max_boilerplate_share.or(file.max_boilerplate_share),
            min_words: flags.min_words.or(file.min_words),
            max_findings_per_kb: flags.max_findings_per_kb.or(file.max_findings_per_kb),
            min_score: flags.min_score.or(file.min_score),
            weights: Weights {
                error: w.error.unwrap_or(weights.error),
                warning: w.warning.unwrap_or(weights.warning),
                info: w.info.unwrap_or(weights.info),
                rules: file.rule_weights.into_iter().collect(),
            },
            ..defaults
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            drop_on: Some(Severity::Error),
            drop_rules: Vec::new(),
            max_boilerplate_share: None,
            min_words: None,
            max_findings_per_kb: None,
            min_score: None,
            weights: Weights::default(),
            boilerplate_rules: [
                "boilerplate/",
                "repeat/duplicate-line",
                "structure/breadcrumb",
                "structure/empty-link",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// Why a document was dropped.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    /// Fixing left nothing but whitespace.
    Empty,
    /// Findings left at or above the `drop_on` severity.
    Severity {
        severity: Severity,
        /// The rules of those findings.
        rules: Vec<String>,
    },
    /// A finding of a rule that `drop_rules` names.
    Rule {
        rule: String,
    },
    BoilerplateShare {
        share: f64,
        max: f64,
    },
    Words {
        words: usize,
        min: usize,
    },
    FindingsPerKb {
        density: f64,
        max: f64,
    },
    Score {
        score: f64,
        min: f64,
    },
}

impl Reason {
    /// The kind of reason, for counts: `severity`, `rule`, `words`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::Severity { .. } => "severity",
            Reason::Rule { .. } => "rule",
            Reason::BoilerplateShare { .. } => "boilerplate-share",
            Reason::Words { .. } => "words",
            Reason::FindingsPerKb { .. } => "findings-per-kb",
            Reason::Score { .. } => "score",
        }
    }

    /// The reason in a few words: `rule structure/other-language`.
    pub fn describe(&self) -> String {
        match self {
            Reason::Empty => "empty after fixing".into(),
            Reason::Severity { severity, rules } => {
                format!("{severity} left ({})", rules.join(", "))
            }
            Reason::Rule { rule } => format!("rule {rule}"),
            Reason::BoilerplateShare { share, max } => {
                format!("boilerplate share {share:.2} > {max}")
            }
            Reason::Words { words, min } => format!("{words} words < {min}"),
            Reason::FindingsPerKb { density, max } => {
                format!("{density:.1} findings per KB > {max}")
            }
            Reason::Score { score, min } => format!("score {score:.3} < {min}"),
        }
    }
}

/// The decision about one document, and what it was made from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Kept (fixed or not), or dropped.
    pub kept: bool,
    /// Why it was dropped; empty when kept.
    pub reasons: Vec<Reason>,
    /// The quality score of the text after fixing, 0 to 1.
    pub score: f64,
    /// Findings left after fixing, per rule.
    pub findings: BTreeMap<String, usize>,
    /// Findings fixed, per rule.
    pub fixed: BTreeMap<String, usize>,
    /// Whether fixing changed the text.
    pub changed: bool,
    /// Bytes of text before and after fixing.
    pub bytes_before: usize,
    pub bytes_after: usize,
    /// Bytes fixing took out of the text, per rule (less what it put in).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub bytes_removed: BTreeMap<String, i64>,
    /// Share of boilerplate lines after fixing.
    pub boilerplate_share: f64,
    /// Words after fixing.
    pub words: usize,
    /// Errors and warnings per 1,000 bytes before fixing.
    pub findings_per_kb: f64,
}

/// Of the non-empty lines of `text` (lines by `index`), how many a finding
/// of the rules `selectors` names touches, and how many there are; (0, 0)
/// when no such finding touches any (the lines are then not counted).
pub fn boilerplate_lines(
    text: &str,
    index: &LineIndex,
    findings: &[Diagnostic],
    selectors: &[String],
) -> (usize, usize) {
    let mut flagged: Vec<(usize, usize)> = findings
        .iter()
        .filter(|d| selectors.iter().any(|s| selector_matches(s, &d.rule)))
        .map(|d| index.lines_of_span(&d.span))
        .collect();
    if flagged.is_empty() {
        return (0, 0);
    }
    flagged.sort_unstable();
    let (mut hits, mut lines) = (0usize, 0usize);
    let mut ranges = flagged.into_iter().peekable();
    let mut covered = 0; // lines before this are in a flagged range
    for line in 0..index.count() {
        if crate::text::is_blank(&text[index.content(text, line)]) {
            continue;
        }
        lines += 1;
        while let Some(&(first, last)) = ranges.peek() {
            if first > line {
                break;
            }
            covered = covered.max(last + 1);
            ranges.next();
        }
        hits += usize::from(line < covered);
    }
    (hits, lines)
}

/// Sums of `(rule, value)` per rule. Summed under the rule ids the
/// findings share, then copied: one string per rule, not per finding.
fn per_rule<'a, T>(items: impl Iterator<Item = (&'a str, T)>) -> BTreeMap<String, T>
where
    T: Default + std::ops::AddAssign,
{
    let mut sums: BTreeMap<&str, T> = BTreeMap::new();
    for (rule, value) in items {
        *sums.entry(rule).or_default() += value;
    }
    sums.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// Judges a document: `original` is its text, `fixed` the text after
/// fixing (the same when nothing was fixed), `applied` the findings whose
/// fixes were applied and `left` the findings on the fixed text.
pub fn judge(
    policy: &Policy,
    original: &str,
    fixed: &str,
    applied: &[Diagnostic],
    left: &[Diagnostic],
) -> Verdict {
    let findings = per_rule(left.iter().map(|d| (&*d.rule, 1)));
    let fixed_counts = per_rule(applied.iter().map(|d| (&*d.rule, 1)));
    let bytes_removed = per_rule(applied.iter().map(|d| {
        let delta: i64 = d
            .fix
            .iter()
            .flat_map(|f| &f.edits)
            .map(|e| e.range.len() as i64 - e.replacement.len() as i64)
            .sum();
        (&*d.rule, delta)
    }));
    let (hits, lines) = boilerplate_lines(
        fixed,
        &LineIndex::new(fixed),
        left,
        &policy.boilerplate_rules,
    );
    let boilerplate_share = if lines == 0 {
        0.0
    } else {
        hits as f64 / lines as f64
    };
    let words = crate::text::word_count(fixed);
    let serious = applied
        .iter()
        .chain(left)
        .filter(|d| d.severity >= Severity::Warning)
        .count();
    let findings_per_kb = serious as f64 * 1000.0 / original.len().max(1) as f64;
    let penalty: f64 = left.iter().map(|d| policy.weights.of(d)).sum();
    let score = 1.0 / (1.0 + penalty * 1000.0 / fixed.len().max(1000) as f64);

    let mut reasons = Vec::new();
    if fixed.trim().is_empty() {
        reasons.push(Reason::Empty);
    }
    if let Some(threshold) = policy.drop_on {
        let mut rules: Vec<String> = left
            .iter()
            .filter(|d| d.severity >= threshold)
            .map(|d| d.rule.to_string())
            .collect();
        rules.sort();
        rules.dedup();
        if !rules.is_empty() {
            reasons.push(Reason::Severity {
                severity: threshold,
                rules,
            });
        }
    }
    let mut named: Vec<String> = applied
        .iter()
        .chain(left)
        .filter(|d| {
            policy
                .drop_rules
                .iter()
                .any(|s| selector_matches(s, &d.rule))
        })
        .map(|d| d.rule.to_string())
        .collect();
    named.sort();
    named.dedup();
    reasons.extend(named.into_iter().map(|rule| Reason::Rule { rule }));
    if let Some(max) = policy.max_boilerplate_share
        && boilerplate_share > max
    {
        reasons.push(Reason::BoilerplateShare {
            share: round(boilerplate_share),
            max,
        });
    }
    if let Some(min) = policy.min_words
        && words < min
    {
        reasons.push(Reason::Words { words, min });
    }
    if let Some(max) = policy.max_findings_per_kb
        && findings_per_kb > max
    {
        reasons.push(Reason::FindingsPerKb {
            density: round(findings_per_kb),
            max,
        });
    }
    if let Some(min) = policy.min_score
        && score < min
    {
        reasons.push(Reason::Score {
            score: round(score),
            min,
        });
    }
    Verdict {
        kept: reasons.is_empty(),
        reasons,
        score: round(score),
        findings,
        fixed: fixed_counts,
        changed: original != fixed,
        bytes_before: original.len(),
        bytes_after: fixed.len(),
        bytes_removed,
        boilerplate_share: round(boilerplate_share),
        words,
        findings_per_kb: round(findings_per_kb),
    }
}

/// Four decimals: enough for thresholds, stable in JSON.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The annotation a record or sidecar carries: the verdict, and with
/// `hashes` the hashes of the text before and after fixing (xxh3, 64 bits,
/// hex), so that a later stage can tell a text it has seen.
pub fn annotation(verdict: &Verdict, hashes: Option<(&str, &str)>) -> serde_json::Value {
    let mut v = serde_json::to_value(verdict).expect("a verdict serialises");
    if let (Some((before, after)), Some(map)) = (hashes, v.as_object_mut()) {
        map.insert("hash_before".into(), hash(before).into());
        map.insert("hash_after".into(), hash(after).into());
    }
    v
}

/// The hash of a text, as annotations carry it: xxh3 64 bits, 16 hex digits.
pub fn hash(text: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Applicability, Edit, Fix};

    fn finding(rule: &str, severity: Severity, span: std::ops::Range<usize>) -> Diagnostic {
        Diagnostic::new(rule, severity, span, "m")
    }

    #[test]
    fn a_clean_text_is_kept_with_score_one() {
        let text = "Ein sauberer Text mit einigen Wörtern.";
        let v = judge(&Policy::default(), text, text, &[], &[]);
        assert!(v.kept);
        assert_eq!(v.score, 1.0);
        assert_eq!(v.words, 6);
        assert!(!v.changed);
    }

    #[test]
    fn an_error_left_drops_by_default_and_a_fixed_one_does_not() {
        let original = "Text< /p> und mehr.";
        let fixed = "Text und mehr.";
        let mut tag = finding("html/leftover-tag", Severity::Error, 4..9);
        tag.fix = Some(Fix::new(Applicability::Safe, vec![Edit::delete(4..9)]));
        let v = judge(&Policy::default(), original, fixed, &[tag], &[]);
        assert!(v.kept, "{v:?}");
        assert_eq!(v.bytes_removed["html/leftover-tag"], 5);
        assert_eq!(v.fixed["html/leftover-tag"], 1);
        let moji = finding("encoding/mojibake", Severity::Error, 0..4);
        let v = judge(&Policy::default(), fixed, fixed, &[], &[moji]);
        assert!(!v.kept);
        assert_eq!(v.reasons[0].describe(), "error left (encoding/mojibake)");
        assert_eq!(v.score, 0.5);
    }

    #[test]
    fn thresholds_name_what_they_measured() {
        let text = "Kurz.\nMenü\nStart\n";
        let nav = finding("boilerplate/navigation-block", Severity::Warning, 6..16);
        let policy = Policy {
            drop_on: None,
            drop_rules: vec!["boilerplate/".into()],
            max_boilerplate_share: Some(0.5),
            min_words: Some(10),
            max_findings_per_kb: Some(5.0),
            min_score: Some(0.9),
            ..Policy::default()
        };
        let v = judge(&policy, text, text, &[], std::slice::from_ref(&nav));
        let kinds: Vec<&str> = v.reasons.iter().map(Reason::kind).collect();
        assert_eq!(
            kinds,
            [
                "rule",
                "boilerplate-share",
                "words",
                "findings-per-kb",
                "score"
            ]
        );
        assert_eq!(v.boilerplate_share, 0.6667);
        assert_eq!(v.words, 3);
    }

    #[test]
    fn a_text_fixed_to_nothing_is_dropped_as_empty() {
        let v = judge(&Policy::default(), "Anzeige\n", "  \n", &[], &[]);
        assert_eq!(v.reasons, [Reason::Empty]);
    }

    #[test]
    fn rule_weights_override_severity_weights() {
        let w = Weights {
            rules: vec![("pii/".into(), 0.0), ("pii/email".into(), 2.0)],
            ..Weights::default()
        };
        assert_eq!(w.of(&finding("pii/email", Severity::Info, 0..1)), 2.0);
        assert_eq!(w.of(&finding("pii/phone", Severity::Info, 0..1)), 0.0);
        assert_eq!(w.of(&finding("html/x", Severity::Warning, 0..1)), 0.5);
    }

    #[test]
    fn annotations_carry_hashes_on_request() {
        let v = judge(&Policy::default(), "a", "a", &[], &[]);
        let a = annotation(&v, Some(("a", "a")));
        assert_eq!(a["kept"], true);
        assert_eq!(a["hash_before"], a["hash_after"]);
        assert_eq!(a["hash_before"].as_str().unwrap().len(), 16);
        assert!(annotation(&v, None).get("hash_before").is_none());
    }
}
