//! Rule files: the TOML schema (serde, unknown keys rejected), loading from
//! the built-in packs and from `--rules` folders, and validation with errors
//! that point at `file:line:column` inside the rule file.
//!
//! A rule is data. Loading compiles each rule once into a
//! [`Check`](crate::checks::Check) so that a bad regex or a bad option is
//! reported when the file is read, never in the middle of a run.

pub mod doc;
mod examples;
pub(crate) mod schema;

pub use examples::{ExampleFailure, run_examples};
pub use schema::{Example, FixAction, FixSpec, InsertAt, Kind, Scope};

use crate::checks::{self, Check, CompileError, Field};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Edit, Fix};
use crate::text::{LineIndex, preview};
use regex::Captures;
use schema::{RuleFile, RuleSpec};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
include!(concat!(env!("OUT_DIR"), "/derived_requires.rs"));

/// The literals every match of a line `pattern` contains: derived at build
/// time for the built-in patterns, else now.
pub(crate) fn derived_requires(pattern: &str) -> Option<Vec<String>> {
    match DERIVED_REQUIRES.iter().find(|(p, _)| *p == pattern) {
        Some((_, literals)) => literals.map(|l| l.iter().map(|s| s.to_string()).collect()),
        None => checks::necessary::literals(pattern),
    }
}

/// The category prefixes a rule id may start with (DESIGN.md).
pub const CATEGORIES: &[&str] = &[
    "html",
    "boilerplate",
    "join",
    "quote",
    "encoding",
    "whitespace",
    "repeat",
    "pii",
    "structure",
];

/// Where a rule was defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The rule file, as given (built-in rules: `rules/<category>/<name>.toml`).
    pub path: String,
    /// 1-based line of the rule's `[[rule]]` table.
    pub line: usize,
    pub builtin: bool,
}

/// A loaded rule: its metadata, its settings and its examples.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: Arc<str>,
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub help: Option<String>,
    pub docs: String,
    /// ISO 639-1 codes, or `*` for every language.
    pub languages: Vec<String>,
    pub fix: Option<FixSpec>,
    pub scope: Scope,
    pub max_line_chars: Option<usize>,
    pub case_sensitive: bool,
    /// `line` rules: literals a line must contain one of (speed hint).
    pub requires: Vec<String>,
    /// `line` rules: a pattern that, found in a line, keeps it from matching.
    pub unless: Option<String>,
    /// `line` rules: above this many lines in a document, none is reported.
    pub max_per_document: Option<usize>,
    /// `line` rules: a matching line between two paragraphs of prose is a
    /// heading of the article, not a finding.
    pub may_be_heading: bool,
    /// `line` rules: a pattern that, found in another line of the matching
    /// line's block, keeps it from being reported.
    pub unless_beside: Option<String>,
    /// `line` rules: a matching line right above verse credits it, and is
    /// not reported.
    pub unless_over_verse: bool,
    /// Runs only when selected by id, category or `ALL`.
    pub opt_in: bool,
    /// Rules (ids or prefixes) a finding of which on the same line, at
    /// least as severe, replaces this rule's finding there.
    pub yields_to: Vec<String>,
    pub pattern: Option<String>,
    pub phrases: Vec<String>,
    pub check: Option<String>,
    pub options: toml::Table,
    pub examples: Vec<Example>,
    pub origin: Origin,
}

impl Rule {
    /// How safe the rule's fix is; `None` when it has no fix.
    pub fn fix_applicability(&self) -> Option<crate::fix::Applicability> {
        self.fix.as_ref().map(|f| f.applicability)
    }

    /// Whether the rule runs on a document of language `lang` (`None`: unknown).
    /// Language-specific rules stay silent on documents of unknown language.
    pub fn applies_to(&self, lang: Option<&str>) -> bool {
        self.languages
            .iter()
            .any(|l| l == "*" || lang.is_some_and(|lang| lang == l))
    }

    /// The rule's message with `{match}` replaced by a preview of `matched`.
    pub fn format_message(&self, matched: &str) -> String {
        if self.message.contains("{match}") {
            self.message.replace("{match}", &preview(matched, 60))
        } else {
            self.message.clone()
        }
    }

    /// A finding of this rule on `span`, with the fix its `fix` table describes.
    /// `caps` expands `$1`/`${name}` in a replacement for pattern rules.
    pub fn finding(
        &self,
        text: &str,
        lines: &LineIndex,
        span: Range<usize>,
        caps: Option<&Captures<'_>>,
    ) -> Diagnostic {
        let matched = &text[span.clone()];
        let fix = self.fix.as_ref().map(|spec| {
            let edit = match spec.action {
                FixAction::Replace => {
                    let mut with = String::new();
                    match caps {
                        Some(caps) => caps.expand(&spec.with, &mut with),
                        None => with.push_str(&spec.with),
                    }
                    if with.is_empty() {
                        Edit::delete(lines.removal_range(text, span.clone()))
                    } else {
                        Edit::replace(span.clone(), with)
                    }
                }
                FixAction::DeleteLine => {
                    Edit::delete(lines.delete_range(text, lines.line_of(span.start)))
                }
                FixAction::Insert => {
                    let at = match spec.at {
                        InsertAt::Start => span.start,
                        InsertAt::End => span.end,
                    };
                    Edit::insert(at, spec.with.clone())
                }
            };
            Fix::new(spec.applicability, vec![edit])
        });
        Diagnostic {
            rule: self.id.clone(),
            severity: self.severity,
            message: self.format_message(matched),
            span,
            help: self.help.clone(),
            fix,
            labels: Vec::new(),
            whole_document: false,
        }
    }

    /// A finding of this rule for the whole (trimmed) line `line`: a `line`
    /// rule, or a match with `scope = "line"`. A rule that deletes the line
    /// (safely) may do so only when the line is its notice; when the line holds
    /// article sentences too, the finding points at the notice's sentences
    /// and its fix, unsafe, deletes them alone (see [`checks::notice`]).
    pub fn line_finding(
        &self,
        text: &str,
        lines: &LineIndex,
        line: Range<usize>,
        locate: checks::notice::Locate<'_>,
    ) -> Option<Diagnostic> {
        // A notice that a sentence quotes is spoken of, not shown.
        if checks::notice::quoted_in_sentence(text, line.clone(), &locate) {
            return None;
        }
        // An unsafe deletion is a suggestion already: it may take the line.
        let deletes_line = self.fix.as_ref().is_some_and(|f| {
            f.action == FixAction::DeleteLine && f.applicability == crate::fix::Applicability::Safe
        });
        let mut d = self.finding(text, lines, line.clone(), None);
        if !deletes_line {
            return Some(d);
        }
        let Some(runs) = checks::notice::notice_runs(text, line.clone(), locate) else {
            return Some(d);
        };
        let help = "delete the notice, not the line: the rest of the line reads as article text";
        d.help = Some(help.to_string());
        let Some(first) = runs.first() else {
            // Article text beside a notice that cannot be placed in it:
            // the line is still reported, its deletion only suggested.
            if let Some(fix) = &mut d.fix {
                fix.applicability = crate::fix::Applicability::Unsafe;
            }
            d.help = Some("check the line: it holds article text beside the notice".into());
            return Some(d);
        };
        d.span = first.clone();
        d.message = self.format_message(&text[first.clone()]);
        let edits = runs
            .iter()
            .map(|run| Edit::delete(checks::notice::run_removal(text, &line, run)))
            .collect();
        d.fix = Some(Fix::new(crate::fix::Applicability::Unsafe, edits));
        Some(d)
    }

    /// Whether a match that sits on `line` (its trimmed content) may count,
    /// given `max_line_chars`.
    pub fn line_short_enough(&self, line: &str) -> bool {
        self.max_line_chars
            // (a character takes at most four bytes: a line longer than
            // four times the limit in bytes is not counted, which on a
            // document of one long line would be done at every hit)
            .is_none_or(|max| {
                line.len() <= max
                    || (line.len() <= max.saturating_mul(4) && crate::text::char_count(line) <= max)
            })
    }
}

/// A loaded rule with its compiled check. Phrase and line rules have no
/// check of their own: the linter runs all of them in one shared pass.
#[derive(Clone)]
pub struct Entry {
    pub rule: Arc<Rule>,
    pub check: Option<Arc<dyn Check>>,
}

/// A broken rule file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for RuleError {}

/// How a rule file is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    pub builtin: bool,
    /// Run every rule's examples while loading and reject the file when one
    /// fails (user rules; built-in ones are checked by the test suite).
    pub verify_examples: bool,
}

/// Every loaded rule, in a stable order (file path, then position).
#[derive(Clone, Default)]
pub struct RuleSet {
    entries: Vec<Entry>,
}

impl RuleSet {
    pub fn new() -> Self {
        RuleSet::default()
    }

    /// The rules compiled into the binary.
    pub fn builtin() -> Result<Self, Vec<RuleError>> {
        Self::load_files(
            BUILTIN_RULES,
            LoadOptions {
                builtin: true,
                verify_examples: false,
            },
        )
    }

    /// Loads rule files given as (path, text). The files parse and compile
    /// in parallel (half of a short run's start-up went into the built-in
    /// ones, one after the other); their rules join in file order, and an
    /// id that two files define is an error, as when they load one by one.
    fn load_files(files: &[(&str, &str)], opts: LoadOptions) -> Result<Self, Vec<RuleError>> {
        use rayon::prelude::*;
        let parts: Vec<Result<RuleSet, Vec<RuleError>>> = files
            .par_iter()
            .map(|(path, source)| {
                let mut part = RuleSet::new();
                part.load_str(path, source, opts).map(|()| part)
            })
            .collect();
        let mut set = RuleSet::new();
        let mut errors = Vec::new();
        let mut seen: HashMap<Arc<str>, String> = HashMap::new();
        for part in parts {
            let part = match part {
                Ok(part) => part,
                Err(e) => {
                    errors.extend(e);
                    continue;
                }
            };
            for entry in part.entries {
                let rule = &entry.rule;
                if let Some(first) = seen.get(&rule.id) {
                    errors.push(RuleError {
                        path: rule.origin.path.clone(),
                        line: rule.origin.line,
                        column: 1,
                        message: duplicate_id(&rule.id, first),
                    });
                    continue;
                }
                let at = format!("{}:{}", rule.origin.path, rule.origin.line);
                seen.insert(rule.id.clone(), at);
                set.entries.push(entry);
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn rules(&self) -> impl Iterator<Item = &Arc<Rule>> {
        self.entries.iter().map(|e| &e.rule)
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| &*e.rule.id == id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Loads every `*.toml` file under `dir` (recursively, in path order).
    /// Returns the paths of the files read.
    pub fn load_dir(
        &mut self,
        dir: &Path,
        opts: LoadOptions,
    ) -> Result<Vec<String>, Vec<RuleError>> {
        let display = dir.display().to_string();
        if !dir.is_dir() {
            return Err(vec![RuleError {
                path: display,
                line: 1,
                column: 1,
                message: "rule folder does not exist or is not a directory".into(),
            }]);
        }
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            match entry {
                Ok(e)
                    if e.file_type().is_file()
                        && e.path().extension().is_some_and(|x| x == "toml") =>
                {
                    files.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => errors.push(RuleError {
                    path: e.path().unwrap_or(dir).display().to_string(),
                    line: 1,
                    column: 1,
                    message: format!("cannot read rule folder: {e}"),
                }),
            }
        }
        let mut loaded = Vec::new();
        for file in files {
            let path = file.display().to_string();
            match std::fs::read_to_string(&file) {
                Ok(source) => match self.load_str(&path, &source, opts) {
                    Ok(()) => loaded.push(path),
                    Err(e) => errors.extend(e),
                },
                Err(e) => errors.push(RuleError {
                    path,
                    line: 1,
                    column: 1,
                    message: format!("cannot read rule file: {e}"),
                }),
            }
        }
        if errors.is_empty() {
            Ok(loaded)
        } else {
            Err(errors)
        }
    }

    /// Parses, validates and compiles the rules of one file. On error no rule
    /// of the file is added.
    pub fn load_str(
        &mut self,
        path: &str,
        source: &str,
        opts: LoadOptions,
    ) -> Result<(), Vec<RuleError>> {
        let lines = LineIndex::new(source);
        let at = |span: Range<usize>, message: String| {
            let (line, column) = lines.position(source, span.start);
            RuleError {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        let file: RuleFile = toml::from_str(source).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            vec![at(span, e.message().trim().replace('\n', " "))]
        })?;
        if file.rule.is_empty() {
            return Err(vec![at(0..0, "no `[[rule]]` table in this file".into())]);
        }
        let mut errors = Vec::new();
        let mut new_entries: Vec<Entry> = Vec::new();
        let mut seen: HashMap<String, String> = self
            .entries
            .iter()
            .map(|e| {
                (
                    e.rule.id.to_string(),
                    format!("{}:{}", e.rule.origin.path, e.rule.origin.line),
                )
            })
            .collect();
        for spanned in file.rule {
            let rule_span = spanned.span();
            let spec = spanned.into_inner();
            let origin = Origin {
                path: path.to_string(),
                line: lines.position(source, rule_span.start).0,
                builtin: opts.builtin,
            };
            match build_rule(spec, origin, &mut seen) {
                Ok(entry) => new_entries.push(entry),
                Err((span, message)) => errors.push(at(span.unwrap_or(rule_span), message)),
            }
        }
        if errors.is_empty() && opts.verify_examples {
            for entry in &new_entries {
                for failure in run_examples(entry) {
                    let (line, column) = failure
                        .span
                        .clone()
                        .map(|s| lines.position(source, s.start))
                        .unwrap_or((entry.rule.origin.line, 1));
                    errors.push(RuleError {
                        path: path.to_string(),
                        line,
                        column,
                        message: format!("rule `{}`: {}", entry.rule.id, failure.message),
                    });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.entries.extend(new_entries);
        Ok(())
    }

    /// Sets options of the builtin rule `id`, key by key over those of its
    /// rule file, and recompiles its check. The error says why the rule
    /// takes no such options.
    pub fn set_options(&mut self, id: &str, table: &toml::Table) -> Result<(), String> {
        let entry = self
            .entries
            .iter_mut()
            .find(|e| &*e.rule.id == id)
            .ok_or_else(|| format!("no rule `{id}`"))?;
        if entry.rule.kind != Kind::Builtin {
            return Err(format!(
                "`{id}` is a `{}` rule: only builtin rules take options",
                entry.rule.kind.as_str()
            ));
        }
        let mut rule = (*entry.rule).clone();
        for (key, value) in table {
            rule.options.insert(key.clone(), value.clone());
        }
        let rule = Arc::new(rule);
        let check =
            checks::compile(&rule).map_err(|e| format!("options of `{id}`: {}", e.message))?;
        *entry = Entry { rule, check };
        Ok(())
    }

    /// Keeps the rules that `select` names and `ignore` does not. A selector
    /// is a rule id, a prefix ending in `/`, a bare category, or `ALL`.
    /// An empty `select` keeps every rule that is not opt-in. A selector
    /// that matches no rule is an error.
    /// The rules `ignore` does not name (opt-in ones too: `self` is
    /// already a selection).
    pub fn without(&self, ignore: &[String]) -> RuleSet {
        RuleSet {
            entries: self
                .entries
                .iter()
                .filter(|e| !ignore.iter().any(|s| selector_matches(s, &e.rule.id)))
                .cloned()
                .collect(),
        }
    }

    pub fn filter(&self, select: &[String], ignore: &[String]) -> Result<RuleSet, String> {
        for (flag, list) in [("select", select), ("ignore", ignore)] {
            for sel in list {
                if !self
                    .entries
                    .iter()
                    .any(|e| selector_matches(sel, &e.rule.id))
                {
                    return Err(format!(
                        "--{flag} `{sel}` matches no rule (see `corpuslint rules` for the list)"
                    ));
                }
            }
        }
        let entries = self
            .entries
            .iter()
            .filter(|e| {
                if select.is_empty() {
                    !e.rule.opt_in
                } else {
                    select.iter().any(|s| selector_matches(s, &e.rule.id))
                }
            })
            .filter(|e| !ignore.iter().any(|s| selector_matches(s, &e.rule.id)))
            .cloned()
            .collect();
        Ok(RuleSet { entries })
    }
}

/// The error for a rule id defined a second time; `first` is where.
fn duplicate_id(id: &str, first: &str) -> String {
    format!("duplicate rule id `{id}` (first defined at {first})")
}

/// `html/leftover-tag` matches itself, `html/`, `html` and `html/leftover`
/// does not: prefixes end at a `/`.
pub fn selector_matches(selector: &str, id: &str) -> bool {
    let sel = selector.trim();
    if sel == id || sel == "ALL" {
        return true;
    }
    let prefix = sel.strip_suffix('/').unwrap_or(sel);
    id.strip_prefix(prefix)
        .is_some_and(|rest| rest.starts_with('/'))
}

type BuildError = (Option<Range<usize>>, String);

fn build_rule(
    spec: RuleSpec,
    origin: Origin,
    seen: &mut HashMap<String, String>,
) -> Result<Entry, BuildError> {
    let id_span = spec.id.span();
    let id = spec.id.get_ref().clone();
    validate_id(&id).map_err(|m| (Some(id_span.clone()), m))?;
    if let Some(first) = seen.get(&id) {
        return Err((Some(id_span), duplicate_id(&id, first)));
    }
    let kind_span = spec.kind.span();
    let kind = *spec.kind.get_ref();
    let need = |present: bool, key: &str| -> Result<(), BuildError> {
        if present {
            Ok(())
        } else {
            Err((
                Some(kind_span.clone()),
                format!("a `{}` rule needs a `{key}` key", kind.as_str()),
            ))
        }
    };
    let forbid = |present: bool, key: &str| -> Result<(), BuildError> {
        if present {
            Err((
                Some(kind_span.clone()),
                format!("a `{}` rule takes no `{key}` key", kind.as_str()),
            ))
        } else {
            Ok(())
        }
    };
    match kind {
        Kind::Pattern | Kind::Line => {
            need(spec.pattern.is_some(), "pattern")?;
            forbid(spec.phrases.is_some(), "phrases")?;
            forbid(spec.check.is_some(), "check")?;
        }
        Kind::Phrases => {
            need(spec.phrases.is_some(), "phrases")?;
            forbid(spec.pattern.is_some(), "pattern")?;
            forbid(spec.check.is_some(), "check")?;
        }
        Kind::Builtin => {
            need(spec.check.is_some(), "check")?;
            forbid(spec.phrases.is_some(), "phrases")?;
        }
    }
    if kind != Kind::Builtin {
        forbid(spec.options.is_some(), "options")?;
    }
    if kind != Kind::Line {
        forbid(spec.requires.is_some(), "requires")?;
        forbid(spec.unless.is_some(), "unless")?;
        forbid(spec.max_per_document.is_some(), "max_per_document")?;
        forbid(spec.may_be_heading.is_some(), "may_be_heading")?;
        forbid(spec.unless_beside.is_some(), "unless_beside")?;
        forbid(spec.unless_over_verse.is_some(), "unless_over_verse")?;
    }
    if let Some(max) = &spec.max_per_document
        && *max.get_ref() == 0
    {
        return Err((
            Some(max.span()),
            "`max_per_document` must be at least 1".into(),
        ));
    }
    if let Some(yields) = &spec.yields_to
        && yields.get_ref().iter().any(|y| y.trim().is_empty())
    {
        return Err((
            Some(yields.span()),
            "`yields_to` names rules by id or prefix; an empty name names none".into(),
        ));
    }
    if let Some(requires) = &spec.requires
        && (requires.get_ref().is_empty() || requires.get_ref().iter().any(|r| r.is_empty()))
    {
        return Err((
            Some(requires.span()),
            "`requires` needs at least one literal, and no empty ones".into(),
        ));
    }
    if kind == Kind::Line && spec.scope.is_some() {
        forbid(true, "scope")?;
    }
    if let Some(phrases) = &spec.phrases
        && (phrases.get_ref().is_empty() || phrases.get_ref().iter().any(|p| p.trim().is_empty()))
    {
        return Err((
            Some(phrases.span()),
            "`phrases` needs at least one phrase, and no empty ones".into(),
        ));
    }
    for lang in &spec.languages {
        if lang != "*" && !(lang.len() == 2 || lang.len() == 3) {
            return Err((
                None,
                format!("`{lang}` is not a language code: use `*` or ISO 639-1 codes such as `de`"),
            ));
        }
    }
    if let Some(fix) = &spec.fix
        && fix.get_ref().action == FixAction::Insert
        && fix.get_ref().with.is_empty()
    {
        return Err((
            Some(fix.span()),
            "an `insert` fix needs a non-empty `with`".into(),
        ));
    }
    let examples: Vec<Example> = spec
        .examples
        .iter()
        .map(|e| {
            let mut ex = e.get_ref().clone();
            ex.span = Some(e.span());
            ex
        })
        .collect();
    for (ex, raw) in examples.iter().zip(&spec.examples) {
        if ex.bad.is_none() && ex.good.is_none() {
            return Err((Some(raw.span()), "an example needs `bad` or `good`".into()));
        }
        if ex.fixed.is_some() && ex.bad.is_none() {
            return Err((
                Some(raw.span()),
                "`fixed` belongs to a `bad` example".into(),
            ));
        }
    }
    if let Some(fix) = &spec.fix {
        check_replacement(
            kind,
            spec.pattern.as_ref().map(|p| p.get_ref().as_str()),
            fix.get_ref(),
            origin.builtin,
        )
        .map_err(|m| (Some(fix.span()), m))?;
    }
    let message_span = spec.message.span();
    let spans = FieldSpans {
        pattern: spec.pattern.as_ref().map(|p| p.span()),
        check: spec.check.as_ref().map(|c| c.span()),
        options: spec.options.as_ref().map(|o| o.span()),
        fix: spec.fix.as_ref().map(|f| f.span()),
        unless: spec.unless.as_ref().map(|u| u.span()),
        unless_beside: spec.unless_beside.as_ref().map(|u| u.span()),
    };
    let rule = Arc::new(Rule {
        id: Arc::from(id.as_str()),
        severity: spec.severity,
        kind,
        message: spec.message.into_inner(),
        help: spec.help,
        docs: spec.docs.trim().to_string(),
        languages: spec.languages,
        fix: spec.fix.map(|f| f.into_inner()),
        scope: spec.scope.unwrap_or_default(),
        max_line_chars: spec.max_line_chars,
        case_sensitive: spec.case_sensitive,
        // A line rule that lists no literals gets those its pattern
        // cannot match without (none when it has no such set).
        requires: match spec.requires.map(|r| r.into_inner()) {
            Some(listed) => listed,
            None if kind == Kind::Line => spec
                .pattern
                .as_ref()
                .and_then(|p| derived_requires(p.get_ref()))
                .unwrap_or_default(),
            None => Vec::new(),
        },
        unless: spec.unless.map(|u| u.into_inner()),
        max_per_document: spec.max_per_document.map(|m| m.into_inner()),
        may_be_heading: spec.may_be_heading.is_some_and(|h| h.into_inner()),
        unless_beside: spec.unless_beside.map(|u| u.into_inner()),
        unless_over_verse: spec.unless_over_verse.is_some_and(|v| v.into_inner()),
        opt_in: spec.opt_in,
        yields_to: spec.yields_to.map(|y| y.into_inner()).unwrap_or_default(),
        pattern: spec.pattern.map(|p| p.into_inner()),
        phrases: spec.phrases.map(|p| p.into_inner()).unwrap_or_default(),
        check: spec.check.map(|c| c.into_inner()),
        options: spec.options.map(|o| o.into_inner()).unwrap_or_default(),
        examples,
        origin: origin.clone(),
    });
    let check = checks::compile(&rule).map_err(|CompileError { field, message }| {
        let span = match field {
            Field::Pattern => spans.pattern.clone(),
            Field::Check => spans.check.clone(),
            Field::Options => spans.options.clone().or(spans.check.clone()),
            Field::Fix => spans.fix.clone(),
            Field::Unless => spans.unless.clone(),
            Field::UnlessBeside => spans.unless_beside.clone(),
        };
        (span, message)
    })?;
    let extra: &[&str] = check.as_ref().map_or(&[], |c| c.placeholders());
    check_placeholders(&rule.message, extra).map_err(|m| (Some(message_span), m))?;
    let corpus_level = check.as_ref().is_some_and(|c| c.corpus_need().is_some());
    if !corpus_level
        && let Some((_, raw)) = rule
            .examples
            .iter()
            .zip(&spec.examples)
            .find(|(ex, _)| !ex.corpus.is_empty())
    {
        return Err((
            Some(raw.span()),
            "`corpus` belongs to examples of corpus-level rules (check `corpus-repeat`)".into(),
        ));
    }
    seen.insert(id, format!("{}:{}", origin.path, origin.line));
    Ok(Entry { rule, check })
}

struct FieldSpans {
    pattern: Option<Range<usize>>,
    check: Option<Range<usize>>,
    options: Option<Range<usize>>,
    fix: Option<Range<usize>>,
    unless: Option<Range<usize>>,
    unless_beside: Option<Range<usize>>,
}

/// A `$` reference in a replacement, as `regex`'s `Captures::expand` reads
/// it: `$1`, `$name`, `${name}` (`$$` is a literal `$`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum GroupRef {
    Number(usize),
    Name(String),
}

/// The group references of `with`, each with the text that wrote it.
fn group_refs(with: &str) -> Vec<(String, GroupRef)> {
    let bytes = with.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let (name, end) = if bytes.get(i + 1) == Some(&b'{') {
            match with[i + 2..].find('}') {
                Some(close) if close > 0 => (&with[i + 2..i + 2 + close], i + 3 + close),
                _ => {
                    i += 1;
                    continue;
                }
            }
        } else {
            let len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if len == 0 {
                i += 1;
                continue;
            }
            (&with[i + 1..i + 1 + len], i + 1 + len)
        };
        let r = match name.parse::<usize>() {
            Ok(n) => GroupRef::Number(n),
            Err(_) => GroupRef::Name(name.to_string()),
        };
        out.push((with[i..end].to_string(), r));
        i = end;
    }
    out
}

/// A replacement may only name groups its pattern has: `regex` expands a
/// missing group to nothing, which would turn a replacement into a
/// deletion. Only `pattern` rules have groups; elsewhere `with` is
/// literal text, and a `$1` in it is a mistake. Built-in rules are checked
/// by the test suite (their patterns compile once, into the linter).
fn check_replacement(
    kind: Kind,
    pattern: Option<&str>,
    fix: &FixSpec,
    builtin: bool,
) -> Result<(), String> {
    let refs = group_refs(&fix.with);
    let Some((written, _)) = refs.first() else {
        return Ok(());
    };
    if kind != Kind::Pattern || fix.action != FixAction::Replace {
        return Err(format!(
            "`{written}` in `with` names a capture group, but only the `replace` fix of a \
             `pattern` rule has groups; write `$$` for a literal `$`"
        ));
    }
    if builtin {
        return Ok(());
    }
    let Ok(re) = regex::Regex::new(pattern.unwrap_or_default()) else {
        // The pattern's own error is reported where the pattern is.
        return Ok(());
    };
    replacement_groups_exist(&re, &fix.with)
}

/// Whether every group `with` names is a group of `re`.
pub(crate) fn replacement_groups_exist(re: &regex::Regex, with: &str) -> Result<(), String> {
    let count = re.captures_len();
    let names: Vec<&str> = re.capture_names().flatten().collect();
    for (written, r) in group_refs(with) {
        let ok = match &r {
            GroupRef::Number(n) => *n < count,
            GroupRef::Name(name) => names.contains(&name.as_str()),
        };
        if !ok {
            let have = if names.is_empty() {
                format!("groups `$0` to `${}`", count - 1)
            } else {
                format!(
                    "groups `$0` to `${}` and {}",
                    count - 1,
                    names
                        .iter()
                        .map(|n| format!("`${{{n}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let hint = match r {
                GroupRef::Name(name) if name.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!(
                        " (`{written}` reads as the group named `{name}`: write `${{{}}}` for a number followed by text)",
                        name.trim_end_matches(|c: char| !c.is_ascii_digit())
                    )
                }
                _ => String::new(),
            };
            return Err(format!(
                "`with` names the group `{written}`, which the pattern does not have (it has {have}){hint}; a missing group would expand to nothing and delete the match"
            ));
        }
    }
    Ok(())
}

/// Every `{name}` in a message must be one the rule fills in: `{match}`,
/// or a placeholder of its builtin check. A brace that is not a name (`{`
/// alone, `{not a placeholder}`) is text.
fn check_placeholders(message: &str, extra: &[&str]) -> Result<(), String> {
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len > 0 && after.as_bytes().get(len) == Some(&b'}') {
            let name = &after[..len];
            if name != "match" && !extra.contains(&name) {
                let known: Vec<String> = std::iter::once("match")
                    .chain(extra.iter().copied())
                    .map(|n| format!("`{{{n}}}`"))
                    .collect();
                return Err(format!(
                    "the message uses `{{{name}}}`, which this rule does not fill in (it knows {})",
                    known.join(", ")
                ));
            }
        }
        rest = after;
    }
    Ok(())
}

fn validate_id(id: &str) -> Result<(), String> {
    let Some((category, name)) = id.split_once('/') else {
        return Err(format!(
            "rule id `{id}` must be `category/name`, e.g. `html/leftover-tag`"
        ));
    };
    if !CATEGORIES.contains(&category) {
        return Err(format!(
            "rule id `{id}`: unknown category `{category}` (one of {})",
            CATEGORIES.join(", ")
        ));
    }
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-');
    if !ok {
        return Err(format!(
            "rule id `{id}`: the name must be lower-case ASCII letters, digits and `-`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: LoadOptions = LoadOptions {
        builtin: false,
        verify_examples: true,
    };

    fn load(src: &str) -> Result<RuleSet, Vec<RuleError>> {
        let mut set = RuleSet::new();
        set.load_str("r.toml", src, USER)?;
        Ok(set)
    }

    /// A line rule's hand-written `requires` must hold a literal of every
    /// line its pattern matches, or the prefilter would hide matches: lines
    /// made of the pattern's own words, in random order, case and
    /// punctuation, are matched and checked.
    #[test]
    fn hand_written_requires_cover_every_match() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut checked = 0;
        for (path, text) in BUILTIN_RULES {
            let doc: toml::Table = text.parse().expect("a rule file");
            for rule in doc["rule"].as_array().expect("[[rule]] tables") {
                let Some(requires) = rule.get("requires").and_then(|r| r.as_array()) else {
                    continue;
                };
                let literals: Vec<String> = requires
                    .iter()
                    .map(|l| l.as_str().expect("a literal").to_ascii_lowercase())
                    .collect();
                let pattern = rule["pattern"].as_str().expect("a pattern");
                let re = regex::Regex::new(&format!("^(?:{pattern})$")).expect("compiles");
                let mut words: Vec<&str> = pattern
                    .split(|c: char| !c.is_alphabetic() && c != '-')
                    .filter(|w| w.chars().count() > 1)
                    .collect();
                words.sort_unstable();
                words.dedup();
                words.extend(["fb", "x", "1.234", "12", "…", "..."]);
                let seps = [" ", " | ", ", ", ": ", " · ", " / ", " - "];
                let mut matched = 0;
                for _ in 0..20_000 {
                    let mut line = String::new();
                    if next(5) == 0 {
                        line.push_str(["* ", "- ", "• ", "[", "> "][next(5)]);
                    }
                    for k in 0..1 + next(5) {
                        if k > 0 {
                            line.push_str(seps[next(seps.len())]);
                        }
                        let w = words[next(words.len())];
                        match next(10) {
                            0 => line.push_str(&w.to_uppercase()),
                            1..=4 => {
                                let mut c = w.chars();
                                line.extend(c.next().into_iter().flat_map(char::to_uppercase));
                                line.push_str(c.as_str());
                            }
                            _ => line.push_str(w),
                        }
                    }
                    if next(5) == 0 {
                        line.push_str([":", "!", "?", ".", "]"][next(5)]);
                    }
                    if re.is_match(&line) {
                        matched += 1;
                        let lower = line.to_ascii_lowercase();
                        assert!(
                            literals.iter().any(|l| lower.contains(l.as_str())),
                            "{path}: `{line}` matches, but holds none of its `requires`"
                        );
                    }
                }
                checked += matched;
            }
        }
        assert!(checked > 1000, "only {checked} lines matched");
    }

    /// Files that load in parallel keep their order, and an id two of them
    /// define is reported at the second, naming the first.
    #[test]
    fn files_load_in_order_and_duplicates_are_errors() {
        let rule = |id: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\nseverity = \"error\"\nkind = \"phrases\"\nphrases = [\"x y z\"]\nmessage = \"m\"\n"
            )
        };
        let (a, b, c) = (rule("html/one"), rule("html/two"), rule("html/one"));
        let set = RuleSet::load_files(&[("a.toml", &a), ("b.toml", &b)], USER).expect("loads");
        let ids: Vec<&str> = set.rules().map(|r| &*r.id).collect();
        assert_eq!(ids, ["html/one", "html/two"]);
        let Err(errors) =
            RuleSet::load_files(&[("a.toml", &a), ("b.toml", &b), ("c.toml", &c)], USER)
        else {
            panic!("a duplicate id loads");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, "c.toml");
        assert!(
            errors[0]
                .message
                .contains("duplicate rule id `html/one` (first defined at a.toml:1)"),
            "{}",
            errors[0].message
        );
    }

    /// The literals build.rs derived for the built-in line patterns are
    /// those the code derives now, and every built-in line rule without
    /// `requires` has its pattern in the table.
    #[test]
    fn build_time_literals_are_those_of_the_code() {
        for (pattern, literals) in DERIVED_REQUIRES {
            let now = checks::necessary::literals(pattern);
            let then = literals.map(|l| l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(then, now, "{pattern}");
        }
        let set = RuleSet::builtin().expect("built-in rules load");
        let mut derived = 0;
        for (path, text) in BUILTIN_RULES {
            let doc: toml::Table = text.parse().expect("a rule file");
            for rule in doc["rule"].as_array().expect("[[rule]] tables") {
                if rule.get("kind").and_then(|k| k.as_str()) != Some("line")
                    || rule.get("requires").is_some()
                {
                    continue;
                }
                let pattern = rule["pattern"].as_str().expect("a pattern");
                assert!(
                    DERIVED_REQUIRES.iter().any(|(p, _)| *p == pattern),
                    "{path}: pattern not derived at build time"
                );
                derived += 1;
            }
        }
        assert!(derived > 0 && set.entries().len() > derived);
    }

    #[test]
    fn selectors() {
        assert!(selector_matches("html/", "html/leftover-tag"));
        assert!(selector_matches("html", "html/leftover-tag"));
        assert!(selector_matches("html/leftover-tag", "html/leftover-tag"));
        assert!(!selector_matches("html/leftover", "html/leftover-tag"));
        assert!(!selector_matches("htm", "html/leftover-tag"));
    }

    #[test]
    fn bad_regex_points_at_the_pattern() {
        let src = "[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'a(b'\nmessage = \"m\"\n";
        let err = load(src).err().unwrap();
        assert_eq!((err[0].line, err[0].column), (5, 11), "{err:?}");
        assert!(err[0].message.contains("regex"), "{}", err[0].message);
    }

    #[test]
    fn unknown_key_is_positioned() {
        let src = "[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'ab'\nmessage = \"m\"\ncolour = 1\n";
        let err = load(src).err().unwrap();
        assert!(err[0].message.contains("colour"), "{}", err[0].message);
        assert_eq!(err[0].path, "r.toml");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let one = "[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'ab'\nmessage = \"m\"\n";
        let two = format!("{one}{one}");
        let err = load(&two).err().unwrap();
        assert!(
            err[0].message.contains("duplicate rule id"),
            "{}",
            err[0].message
        );
        assert_eq!(err[0].line, 8);
    }

    #[test]
    fn failing_example_is_an_error() {
        let src = "[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'ab'\nmessage = \"m\"\n[[rule.examples]]\nbad = \"nothing here\"\n";
        let err = load(src).err().unwrap();
        assert_eq!(err[0].line, 7, "{err:?}");
        assert!(err[0].message.contains("no finding"), "{}", err[0].message);
    }

    #[test]
    fn bad_category() {
        let src = "[[rule]]\nid = \"style/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'ab'\nmessage = \"m\"\n";
        let err = load(src).err().unwrap();
        assert!(err[0].message.contains("unknown category"));
        assert_eq!((err[0].line, err[0].column), (2, 6));
    }

    const PATTERN_RULE: &str = "[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = '(?P<word>a)(b)'\nmessage = \"m\"\n";

    #[test]
    fn a_replacement_may_name_only_groups_the_pattern_has() {
        for (with, ok) in [
            ("$1$2", true),
            ("${word}", true),
            ("$word", true),
            ("$0", true),
            ("$$9", true),
            ("costs $", true),
            ("$9", false),
            ("${nope}", false),
            ("$3", false),
            ("$1a", false),
        ] {
            let src = format!(
                "{PATTERN_RULE}fix = {{ action = \"replace\", with = \"{}\", applicability = \"safe\" }}\n",
                with.replace('$', "\\u0024")
            );
            let result = load(&src);
            assert_eq!(result.is_ok(), ok, "{with}: {:?}", result.err());
            if let Err(e) = result {
                assert_eq!(e[0].line, 7, "{e:?}");
                assert!(
                    e[0].message.contains("which the pattern does not have"),
                    "{}",
                    e[0].message
                );
            }
        }
        let line_rule = "[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"line\"\npattern = 'ab'\nmessage = \"m\"\nfix = { action = \"replace\", with = \"$1\", applicability = \"safe\" }\n";
        let err = load(line_rule).err().unwrap();
        assert!(
            err[0]
                .message
                .contains("only the `replace` fix of a `pattern` rule"),
            "{}",
            err[0].message
        );
    }

    #[test]
    fn a_message_may_use_only_the_placeholders_its_rule_fills() {
        let rule = |message: &str| {
            PATTERN_RULE.replace("message = \"m\"", &format!("message = \"{message}\""))
        };
        assert!(load(&rule("tag `{match}`")).is_ok());
        assert!(load(&rule("braces {not a placeholder} and { alone")).is_ok());
        let err = load(&rule("seen in {count} documents")).err().unwrap();
        assert_eq!((err[0].line, err[0].column), (6, 11), "{err:?}");
        assert!(err[0].message.contains("`{count}`"), "{}", err[0].message);
        // A builtin check's own placeholders.
        let repeated = "[[rule]]\nid = \"repeat/x\"\nseverity = \"warning\"\nkind = \"builtin\"\ncheck = \"repeated-line\"\nmessage = \"repeats line {line}\"\n";
        assert!(load(repeated).is_ok(), "{:?}", load(repeated).err());
        let err = load(&repeated.replace("{line}", "{lines}")).err().unwrap();
        assert!(err[0].message.contains("`{line}`"), "{}", err[0].message);
    }

    #[test]
    fn builtin_replacements_name_groups_their_patterns_have() {
        let set = RuleSet::builtin().unwrap();
        for rule in set.rules() {
            if let (Kind::Pattern, Some(fix), Some(pattern)) = (rule.kind, &rule.fix, &rule.pattern)
            {
                let re = regex::Regex::new(pattern).unwrap();
                replacement_groups_exist(&re, &fix.with)
                    .unwrap_or_else(|e| panic!("{}: {e}", rule.id));
            }
        }
    }

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{}", e[0]));
        assert!(!set.is_empty());
    }
}
