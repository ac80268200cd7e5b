//! A linter set up as the command line sets it up, for front ends that
//! call corpuslint in-process (the Python package): the configuration,
//! rule folders, selection, language and filter policy, and one call per
//! document for `check`, `fix` and `filter`.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{Document, Linter};
use crate::filter::{Policy, PolicyFlags, Verdict, judge};
use crate::lang::{DocLang, LangChoice};
use crate::report::JsonFinding;
use crate::rules::{LoadOptions, RuleError, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How to set a session up. Every field is optional; the defaults are the
/// command line's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// A corpuslint.toml; `None`: none (a session never searches for one).
    pub config: Option<PathBuf>,
    /// Folders of rule files, on top of the built-in rules.
    pub rules: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `auto` or a language code; `None`: the configuration's, else auto.
    pub lang: Option<String>,
    pub unsafe_fixes: bool,
    /// Filter policy over the configuration's `[filter]` (see
    /// [`PolicyOverrides`]).
    pub policy: PolicyOverrides,
}

/// Filter settings given directly, over those of the configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyOverrides {
    /// `error`, `warning`, `info` or `never`.
    pub drop_on: Option<String>,
    pub drop_rules: Option<Vec<String>>,
    pub max_boilerplate_share: Option<f64>,
    pub min_words: Option<usize>,
    pub max_findings_per_kb: Option<f64>,
    pub min_score: Option<f64>,
}

/// A compiled linter with its settings.
pub struct Session {
    pub linter: Arc<Linter>,
    rules: usize,
    pub lang: LangChoice,
    pub unsafe_fixes: bool,
    pub policy: Policy,
}

/// Why a session could not be set up: broken rule or configuration files
/// (with positions), or a bad argument.
#[derive(Debug, Clone, PartialEq)]
pub enum SetupError {
    Rules(Vec<RuleError>),
    Argument(String),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Rules(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
            SetupError::Argument(m) => f.write_str(m),
        }
    }
}

fn severity_of(name: &str) -> Result<Option<Severity>, SetupError> {
    Ok(match name {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "never" => None,
        other => {
            return Err(SetupError::Argument(format!(
                "drop_on `{other}`: use error, warning, info or never"
            )));
        }
    })
}

impl Session {
    pub fn new(opts: &Options) -> Result<Session, SetupError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let config = match &opts.config {
            Some(path) => {
                if !path.is_file() {
                    return Err(SetupError::Rules(vec![RuleError {
                        path: path.display().to_string(),
                        line: 1,
                        column: 1,
                        message: "no such configuration file".into(),
                    }]));
                }
                Some(Config::load(path, &cwd).map_err(SetupError::Rules)?)
            }
            None => None,
        };
        let mut set = RuleSet::builtin().map_err(SetupError::Rules)?;
        let dirs: Vec<PathBuf> = config
            .iter()
            .flat_map(|c| c.rules.clone())
            .chain(opts.rules.iter().cloned())
            .collect();
        let load = LoadOptions {
            builtin: false,
            verify_examples: true,
        };
        let mut errors = Vec::new();
        for dir in &dirs {
            if let Err(e) = set.load_dir(Path::new(dir), load) {
                errors.extend(e);
            }
        }
        if !errors.is_empty() {
            return Err(SetupError::Rules(errors));
        }
        if let Some(c) = &config {
            c.check_rule_ids(&set)
                .and_then(|()| c.apply_options(&mut set))
                .map_err(SetupError::Rules)?;
        }
        let (select, ignore) =
            crate::config::selection(config.as_ref(), &opts.select, &opts.ignore);
        let set = set.filter(&select, &ignore).map_err(SetupError::Argument)?;
        if set.is_empty() {
            return Err(SetupError::Argument("no rules to run".into()));
        }
        let severities = config
            .as_ref()
            .map(|c| c.severity.clone())
            .unwrap_or_default();
        let linter = Linter::new(&set)
            .map_err(SetupError::Argument)?
            .with_severities(severities);
        let lang = match opts
            .lang
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.lang.clone()))
        {
            Some(l) => LangChoice::parse(&l).map_err(SetupError::Argument)?,
            None => LangChoice::Auto,
        };
        let policy = policy(config.as_ref(), &opts.policy)?;
        Ok(Session {
            rules: set.len(),
            linter: Arc::new(linter),
            lang,
            unsafe_fixes: opts.unsafe_fixes,
            policy,
        })
    }

    /// How many rules the linter runs.
    pub fn linter_rules(&self) -> usize {
        self.rules
    }

    /// The findings of `text`, with its language.
    pub fn check(&self, text: &str) -> Vec<Diagnostic> {
        let code = self.lang.resolve(text);
        let lang = DocLang {
            code: code.as_deref(),
            declared: matches!(self.lang, LangChoice::Fixed(_)),
        };
        self.linter.check(text, lang)
    }

    /// `text` with the fixes applied (unsafe ones too when the session
    /// says so).
    pub fn fix(&self, text: &str) -> crate::linter::FixOutcome {
        self.linter.fix(text, &self.lang, self.unsafe_fixes)
    }

    /// The filter decision about `text`, and the text to keep.
    pub fn filter(&self, text: &str) -> (Verdict, String) {
        let outcome = self.fix(text);
        let verdict = judge(
            &self.policy,
            text,
            &outcome.text,
            &outcome.applied,
            &outcome.diagnostics,
        );
        (verdict, outcome.text)
    }
}

fn policy(config: Option<&Config>, given: &PolicyOverrides) -> Result<Policy, SetupError> {
    let flags = PolicyFlags {
        drop_on: given.drop_on.as_deref().map(severity_of).transpose()?,
        drop_rules: given.drop_rules.clone(),
        max_boilerplate_share: given.max_boilerplate_share,
        min_words: given.min_words,
        max_findings_per_kb: given.max_findings_per_kb,
        min_score: given.min_score,
    };
    let policy = Policy::from_settings(config.and_then(|c| c.filter.as_ref()), flags);
    for (name, v) in [
        ("max_boilerplate_share", policy.max_boilerplate_share),
        ("min_score", policy.min_score),
    ] {
        if v.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
            return Err(SetupError::Argument(format!(
                "{name} must be between 0 and 1"
            )));
        }
    }
    Ok(policy)
}

/// The findings of `text` as the JSON output has them (`path`, `record`
/// and `doc_id` null), each with `start` and `end` in code points too,
/// what a Python string is indexed by.
pub fn json_findings(text: &str, diagnostics: &[Diagnostic]) -> Vec<serde_json::Value> {
    let mut doc = Document::new(String::new(), text.to_string());
    doc.diagnostics = diagnostics.to_vec();
    let pos = crate::report::Positions::new(&doc, false);
    let chars = code_points(text, diagnostics);
    doc.diagnostics
        .iter()
        .map(|d| {
            let mut v = serde_json::to_value(JsonFinding::new(&doc, d, &pos))
                .expect("a finding serialises");
            if let Some(map) = v.as_object_mut() {
                map.insert("path".into(), serde_json::Value::Null);
                map.insert("start".into(), chars[&d.span.start.min(text.len())].into());
                map.insert("end".into(), chars[&d.span.end.min(text.len())].into());
            }
            v
        })
        .collect()
}

/// The code point offset of every finding's start and end, in one pass
/// over the text.
fn code_points(text: &str, diagnostics: &[Diagnostic]) -> std::collections::HashMap<usize, usize> {
    let mut offsets: Vec<usize> = diagnostics
        .iter()
        .flat_map(|d| [d.span.start, d.span.end])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut chars = std::collections::HashMap::with_capacity(offsets.len());
    let (mut byte, mut count) = (0usize, 0usize);
    for off in offsets {
        let off = off.min(text.len());
        count += text[byte..off].chars().count();
        byte = off;
        chars.insert(off, count);
    }
    chars
}

/// One finding as plain values: what a column store (Arrow) takes, with
/// the same numbers as the JSON output.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub rule: std::sync::Arc<str>,
    pub severity: &'static str,
    pub message: String,
    /// Code points.
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    /// 1-based, as in the JSON output.
    pub line: usize,
    pub column: usize,
    /// `safe`, `unsafe`, or `None` without a fix.
    pub fix: Option<&'static str>,
}

/// The findings of `text` as rows, without building JSON.
pub fn finding_rows(text: &str, diagnostics: Vec<Diagnostic>) -> Vec<FindingRow> {
    let pos = crate::report::Positions::of(text, &diagnostics, false);
    let chars = code_points(text, &diagnostics);
    let at = |b: usize| chars[&b.min(text.len())];
    diagnostics
        .into_iter()
        .map(|d| {
            let (line, column) = pos.at(d.span.start);
            FindingRow {
                start: at(d.span.start),
                end: at(d.span.end),
                byte_start: d.span.start,
                byte_end: d.span.end,
                line,
                column,
                severity: d.severity.as_str(),
                fix: d.fix.as_ref().map(|f| f.applicability.as_str()),
                rule: d.rule,
                message: d.message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_the_numbers_of_the_json_output() {
        let s = Session::new(&Options::default()).unwrap();
        let text = "Grüße aus München 😀.< /p> Die Stadt wächst.\nZweite Zeile&nbsp;hier.";
        let found = s.check(text);
        let json = json_findings(text, &found);
        let rows = finding_rows(text, found);
        assert_eq!(rows.len(), json.len());
        for (r, j) in rows.iter().zip(&json) {
            assert_eq!(j["rule"], *r.rule);
            assert_eq!(j["message"], r.message);
            assert_eq!(j["severity"], r.severity);
            for (k, v) in [
                ("start", r.start),
                ("end", r.end),
                ("byte_start", r.byte_start),
                ("byte_end", r.byte_end),
                ("line", r.line),
                ("column", r.column),
            ] {
                assert_eq!(j[k], v, "{k}");
            }
            assert_eq!(j["fix"]["applicability"].as_str(), r.fix);
        }
    }

    #[test]
    fn a_default_session_checks_fixes_and_filters() {
        let s = Session::new(&Options::default()).unwrap();
        let text = "Grüße aus München.< /p> Die Stadt wächst.";
        let found = json_findings(text, &s.check(text));
        let tag = found
            .iter()
            .find(|f| f["rule"] == "html/leftover-tag")
            .unwrap();
        assert_eq!(
            (tag["start"].as_u64(), tag["end"].as_u64()),
            (Some(18), Some(23))
        );
        assert_eq!(tag["byte_start"], 21);
        assert_eq!(s.fix(text).text, "Grüße aus München. Die Stadt wächst.");
        let (verdict, kept) = s.filter("Diese Website verwendet Cookies.");
        assert!(!verdict.kept);
        assert_eq!(kept, "");
    }

    #[test]
    fn bad_arguments_are_errors() {
        let opts = Options {
            select: vec!["nope/".into()],
            ..Options::default()
        };
        assert!(matches!(Session::new(&opts), Err(SetupError::Argument(_))));
        let opts = Options {
            policy: PolicyOverrides {
                drop_on: Some("sometimes".into()),
                ..Default::default()
            },
            ..Options::default()
        };
        assert!(Session::new(&opts).is_err());
    }
}
