//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning and SARIF viewers
//! read it. One run; `tool.driver.rules` lists every rule that fired.
//!
//! The report streams: each result is written as soon as its document
//! arrives, so memory does not grow with the number of findings. That is
//! why the run's `results` come before its `tool` (JSON members have no
//! order; the rules that fired are only known at the end). Rules are
//! indexed in the order they first fire, so `ruleIndex` is known when a
//! result is written and the output is the same bytes on every run.
//!
//! Positions: `columnKind` is `unicodeCodePoints` (corpuslint counts Unicode
//! scalar values) and `endColumn` is exclusive, as in SARIF §3.30.8 and
//! corpuslint's JSON. A JSONL record is located by its line in the shard;
//! where in the record's text the finding is goes into the message and the
//! result's `properties`. Fixes are given for articles only: in a shard the
//! text sits JSON-escaped inside the line.

use super::human::describe_fix;
use super::{Positions, Reporter, Summary, ci_path, record_note};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Document;
use crate::fingerprint::fingerprints;
use crate::rules::Rule;
use crate::text::LineIndex;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use termcolor::WriteColor;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF's name for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF `uri`: relative paths stay relative (`./` stripped,
/// forward slashes), absolute ones become `file:` URIs, and every byte that
/// is not an unreserved URI character or `/` is percent-encoded.
pub fn artifact_uri(path: &str) -> String {
    let p = ci_path(path);
    let b = p.as_bytes();
    if b.first() == Some(&b'/') {
        format!("file://{}", percent_encode(&p))
    } else if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        // A Windows drive path: C:/corpus/a.txt
        format!("file:///{}:{}", &p[..1], percent_encode(&p[2..]))
    } else {
        percent_encode(&p)
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A rule's message template as a description of the rule: `{match}` (with
/// the quotes around it) is dropped, other placeholders become `…`.
/// "mojibake `{match}`: UTF-8 text decoded as Windows-1252" →
/// "mojibake: UTF-8 text decoded as Windows-1252".
pub fn template_description(template: &str) -> String {
    const HOLE: char = '\u{0}';
    let mut s = template.to_string();
    for quoted in [
        "`{match}`",
        "'{match}'",
        "\"{match}\"",
        "„{match}“",
        "“{match}”",
        "«{match}»",
        "{match}",
    ] {
        s = s.replace(quoted, &HOLE.to_string());
    }
    while let Some(at) = s.find(HOLE) {
        let before = s[..at].trim_end();
        let after = s[at + HOLE.len_utf8()..].trim_start();
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let joined = if after.is_empty() {
            if matches!(
                last_word,
                "in" | "of" | "at" | "on" | "for" | "to" | "with" | "from" | "by" | "like"
            ) {
                format!("{before} the matched text")
            } else {
                before.trim_end_matches([':', ',', ' ']).to_string()
            }
        } else if before.is_empty() {
            after.to_string()
        } else if after.starts_with([':', ',', '.', ';', ')']) {
            format!("{before}{after}")
        } else {
            format!("{before} {after}")
        };
        s = joined;
    }
    // Placeholders a builtin check fills in, such as `{line}`.
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('{') {
        match rest[open..].find('}') {
            Some(close)
                if close > 1
                    && rest[open + 1..open + close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.push_str(&rest[..open]);
                out.push('…');
                rest = &rest[open + close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn new(text: &'a str) -> Self {
        Text {
            text: Cow::Borrowed(text),
        }
    }

    fn owned(text: String) -> Self {
        Text {
            text: Cow::Owned(text),
        }
    }
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

impl Region {
    fn text(start: (usize, usize), end: (usize, usize)) -> Self {
        Region {
            start_line: start.0,
            start_column: Some(start.1),
            end_line: Some(end.0),
            end_column: Some(end.1),
        }
    }

    /// A whole line (of a shard).
    fn line(line: usize) -> Self {
        Region {
            start_line: line,
            ..Region::default()
        }
    }
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

/// `partialFingerprints`: the key of [`crate::fingerprint`], under a name
/// whose version changes only if the fingerprint algorithm does.
#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "corpuslint/v1")]
    key: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
    properties: FixProperties,
}

/// Where in a JSONL record's text a finding is.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordProperties<'a> {
    record: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_id: Option<&'a serde_json::Value>,
    text_line: usize,
    text_column: usize,
    text_end_line: usize,
    text_end_column: usize,
    /// The fix's applicability, for tools that read properties only.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix_applicability: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RecordProperties<'a>>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<&'a str>,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'static str>,
    languages: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RuleProperties<'a>>,
}

/// Rule docs are wrapped at 80 columns in the rule files; viewers wrap
/// text themselves. Joins the lines of each paragraph.
fn reflow(docs: &str) -> String {
    docs.trim()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// GitHub code scanning takes descriptions of up to 1024 characters.
fn at_most(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// The text of a rule's `help`: its help line, its docs, its fix.
fn rule_help(rule: &Rule) -> String {
    let mut parts = Vec::new();
    if let Some(help) = &rule.help {
        parts.push(format!("help: {help}"));
    }
    let docs = reflow(&rule.docs);
    if !docs.is_empty() {
        parts.push(docs);
    }
    if let Some(fix) = &rule.fix {
        parts.push(match fix.applicability {
            crate::fix::Applicability::Safe => {
                format!(
                    "Fix ({}): safe, applied by `corpuslint check --fix`.",
                    fix.action.as_str()
                )
            }
            crate::fix::Applicability::Unsafe => format!(
                "Fix ({}): unsafe, applied by `corpuslint check --fix --unsafe-fixes`.",
                fix.action.as_str()
            ),
        });
    }
    parts.push(format!(
        "`corpuslint explain {}` shows the rule with its examples.",
        rule.id
    ));
    parts.join("\n\n")
}

fn write_descriptor(out: &mut dyn WriteColor, id: &str, rule: Option<&Rule>) -> io::Result<()> {
    let Some(rule) = rule else {
        let d = Descriptor {
            id,
            short_description: None,
            full_description: None,
            help: None,
            default_configuration: None,
            properties: None,
        };
        return serde_json::to_writer(&mut *out, &d).map_err(io::Error::from);
    };
    let short = template_description(&rule.message);
    let short = at_most(
        if short.is_empty() {
            id.to_string()
        } else {
            short
        },
        1000,
    );
    let docs = at_most(reflow(&rule.docs), 1000);
    let help = rule_help(rule);
    let category = id.split('/').next().unwrap_or(id);
    let d = Descriptor {
        id,
        full_description: Some(Text::new(if docs.is_empty() { &short } else { &docs })),
        short_description: Some(Text::new(&short)),
        help: Some(Text::new(&help)),
        default_configuration: Some(Configuration {
            level: level(rule.severity),
        }),
        properties: Some(RuleProperties {
            tags: vec![category],
            kind: rule.kind.as_str(),
            fix: rule.fix.as_ref().map(|f| f.applicability.as_str()),
            languages: &rule.languages,
        }),
    };
    serde_json::to_writer(&mut *out, &d).map_err(io::Error::from)
}

/// The SARIF reporter. Construct it with the rules of the run.
pub struct Sarif {
    known: HashMap<Arc<str>, Arc<Rule>>,
    /// Rules in the order they first fired: `ruleIndex` is the position here.
    fired: Vec<Arc<str>>,
    index: HashMap<Arc<str>, usize>,
    results: usize,
    started: bool,
}

impl Sarif {
    pub fn new(rules: impl IntoIterator<Item = Arc<Rule>>) -> Self {
        Sarif {
            known: rules.into_iter().map(|r| (r.id.clone(), r)).collect(),
            fired: Vec::new(),
            index: HashMap::new(),
            results: 0,
            started: false,
        }
    }

    fn start(&mut self, out: &mut dyn WriteColor) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                out,
                "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \
                 \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
            )?;
        }
        Ok(())
    }

    fn rule_index(&mut self, id: &Arc<str>) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.fired.len();
        self.fired.push(id.clone());
        self.index.insert(id.clone(), i);
        i
    }
}

impl Reporter for Sarif {
    fn document(&mut self, out: &mut dyn WriteColor, doc: &Document) -> io::Result<()> {
        self.start(out)?;
        if doc.diagnostics.is_empty() {
            return Ok(());
        }
        // Fix edits are located too, for files; a record's fix replaces its line.
        let pos = Positions::new(doc, doc.record.is_none());
        let (lines, at) = (&pos.lines, |b: usize| pos.at(b));
        let uri = artifact_uri(&doc.path);
        let keys = fingerprints(doc);
        for (d, key) in doc.diagnostics.iter().zip(&keys) {
            let rule_index = self.rule_index(&d.rule);
            let result = build_result(doc, d, &key.key, rule_index, &uri, lines, &at);
            out.write_all(if self.results == 0 {
                b"\n        "
            } else {
                b",\n        "
            })?;
            serde_json::to_writer(&mut *out, &result)?;
            self.results += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn WriteColor, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        if self.results > 0 {
            out.write_all(b"\n      ")?;
        }
        write!(
            out,
            "],\n      \"tool\": {{\n        \"driver\": {{\n          \"name\": \"corpuslint\",\n          \
             \"version\": \"{}\",\n          \"rules\": [",
            env!("CARGO_PKG_VERSION")
        )?;
        for (i, id) in self.fired.iter().enumerate() {
            out.write_all(if i == 0 {
                b"\n            "
            } else {
                b",\n            "
            })?;
            write_descriptor(out, id, self.known.get(id).map(|r| &**r))?;
        }
        if !self.fired.is_empty() {
            out.write_all(b"\n          ")?;
        }
        let ok = summary.failed == 0 && summary.bad_records == 0;
        writeln!(
            out,
            "]\n        }}\n      }},\n      \"invocations\": [{{\"executionSuccessful\": {ok}}}]\n    }}\n  ]\n}}"
        )
    }
}

fn build_result<'a>(
    doc: &'a Document,
    d: &'a Diagnostic,
    key: &'a str,
    rule_index: usize,
    uri: &'a str,
    lines: &LineIndex,
    at: &dyn Fn(usize) -> (usize, usize),
) -> SarifResult<'a> {
    let start = at(d.span.start);
    let end = at(d.span.end);
    let location = |region: Region, message: Option<Text<'a>>| Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri },
            region,
        },
        message,
    };
    let (message, region, properties) = match doc.record {
        Some(record) => (
            Text::owned(format!(
                "{}{}",
                d.message,
                record_note(doc, start.0, start.1)
            )),
            Region::line(record),
            Some(RecordProperties {
                record,
                doc_id: doc.doc_id.as_ref(),
                text_line: start.0,
                text_column: start.1,
                text_end_line: end.0,
                text_end_column: end.1,
                fix_applicability: d.fix.as_ref().map(|f| f.applicability.as_str()),
            }),
        ),
        None => (Text::new(&d.message), Region::text(start, end), None),
    };
    let related_locations = d
        .labels
        .iter()
        .map(|l| {
            let (ls, le) = (at(l.span.start), at(l.span.end));
            match doc.record {
                Some(record) => location(
                    Region::line(record),
                    Some(Text::owned(format!(
                        "{} (text line {}, column {})",
                        l.message, ls.0, ls.1
                    ))),
                ),
                None => location(Region::text(ls, le), Some(Text::new(&l.message))),
            }
        })
        .collect();
    let fixes = match (&d.fix, doc.record) {
        (Some(fix), None) => {
            let mut edits: Vec<_> = fix.edits.iter().collect();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            vec![SarifFix {
                description: Text::owned(describe_fix(&doc.text, lines, &d.span, fix)),
                artifact_changes: [ArtifactChange {
                    artifact_location: ArtifactLocation { uri },
                    replacements: edits
                        .into_iter()
                        .map(|e| Replacement {
                            deleted_region: Region::text(at(e.range.start), at(e.range.end)),
                            inserted_content: Text::new(&e.replacement),
                        })
                        .collect(),
                }],
                properties: FixProperties {
                    applicability: fix.applicability.as_str(),
                },
            }]
        }
        // A record's fix replaces its whole line in the shard: the text
        // field re-encoded with the fix applied, every other byte kept.
        (Some(fix), Some(record)) => match &doc.record_line {
            Some(source) => {
                let (fixed_text, _) = crate::fix::apply(&doc.text, [fix]);
                let end_column = crate::text::char_count(&source.line) + 1;
                vec![SarifFix {
                    description: Text::owned(describe_fix(&doc.text, lines, &d.span, fix)),
                    artifact_changes: [ArtifactChange {
                        artifact_location: ArtifactLocation { uri },
                        replacements: vec![Replacement {
                            deleted_region: Region::text((record, 1), (record, end_column)),
                            inserted_content: Text::owned(source.with_text(&fixed_text)),
                        }],
                    }],
                    properties: FixProperties {
                        applicability: fix.applicability.as_str(),
                    },
                }]
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    SarifResult {
        rule_id: &d.rule,
        rule_index,
        level: level(d.severity),
        message,
        locations: [location(region, None)],
        related_locations,
        partial_fingerprints: Fingerprints { key },
        fixes,
        properties,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        assert_eq!(artifact_uri("./corpus/a.txt"), "corpus/a.txt");
        assert_eq!(artifact_uri("././a.txt"), "a.txt");
        assert_eq!(
            artifact_uri("corpus/über uns.txt"),
            "corpus/%C3%BCber%20uns.txt"
        );
        assert_eq!(artifact_uri("a#1?b%c:d.txt"), "a%231%3Fb%25c%3Ad.txt");
        assert_eq!(
            artifact_uri("/srv/corpus/a b.txt"),
            "file:///srv/corpus/a%20b.txt"
        );
        assert_eq!(artifact_uri("../x/a-b_c~d.txt"), "../x/a-b_c~d.txt");
    }

    #[test]
    fn templates_become_descriptions() {
        let cases = [
            ("leftover HTML tag `{match}`", "leftover HTML tag"),
            (
                "mojibake `{match}`: UTF-8 text decoded as Windows-1252",
                "mojibake: UTF-8 text decoded as Windows-1252",
            ),
            (
                "two sentences run together without a full stop: `{match}`",
                "two sentences run together without a full stop",
            ),
            (
                "HTML entity `{match}` in the text",
                "HTML entity in the text",
            ),
            (
                "no space after the sentence end in `{match}`",
                "no space after the sentence end in the matched text",
            ),
            (
                "line repeats line {line} word for word",
                "line repeats line … word for word",
            ),
            ("{match}", ""),
            ("copyright notice", "copyright notice"),
            ("braces {not a placeholder}", "braces {not a placeholder}"),
        ];
        for (template, expected) in cases {
            assert_eq!(template_description(template), expected, "{template}");
        }
    }

    #[test]
    fn every_builtin_rule_has_a_clean_description() {
        for rule in RuleSet::builtin().unwrap().rules() {
            let d = template_description(&rule.message);
            assert!(!d.is_empty(), "{}", rule.id);
            assert!(!d.contains('{') && !d.contains("``"), "{}: {d}", rule.id);
            assert!(!d.ends_with(':') && !d.contains("  "), "{}: {d}", rule.id);
        }
    }

    #[test]
    fn levels_follow_sarif_names() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn docs_are_reflowed_and_descriptions_capped() {
        assert_eq!(reflow("  a\nb  c\n\n\nd\n"), "a b c\n\nd");
        let long = "x".repeat(1500);
        let cut = at_most(long, 1000);
        assert_eq!(cut.chars().count(), 1000);
        assert!(cut.ends_with('…'));
    }
}
