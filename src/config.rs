//! `corpuslint.toml`: the project configuration a corpus repository checks
//! in. Found by walking up from the working directory (or named with
//! `--config`); command-line flags override it. Every key is validated, and
//! every problem (an unknown key, a bad glob, a rule id that matches no
//! rule) is an error that points at `file:line:column`.
//!
//! Paths in the file — rule folders and globs — are relative to the folder
//! the file is in, so a configuration means the same from any working
//! directory. Globs follow gitignore habits: `*` stays within one path
//! component, `**` crosses them, and a glob that matches a folder matches
//! everything below it.

use crate::diagnostic::Severity;
use crate::rules::{RuleError, RuleSet, selector_matches};
use crate::text::LineIndex;
use globset::{GlobBuilder, GlobMatcher};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

/// The file name looked for.
pub const FILE_NAME: &str = "corpuslint.toml";

/// Lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// corpuslint.toml: the configuration of a corpus repository, found by
/// walking up from the working directory (or named with `--config`).
/// Command-line flags override it. Paths and globs are relative to the
/// file's folder; globs follow gitignore habits (`*` within one path
/// component, `**` across them, a folder glob covers everything below it).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "corpuslint configuration (corpuslint.toml)")]
pub(crate) struct Raw {
    /// Folders of your own rule files, loaded on top of the built-in rules
    /// (like `--rules`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    rules: Vec<Spanned<String>>,
    /// Run only these rules: ids, or prefixes such as `html/` (like
    /// `--select`; `ALL` adds the opt-in rules). Default: every rule that is
    /// not opt-in.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    select: Vec<Spanned<String>>,
    /// Skip these rules: ids or prefixes (like `--ignore`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    ignore: Vec<Spanned<String>>,
    /// Change the severity of single rules or prefixes:
    /// `"boilerplate/ui-labels" = "info"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Severity>")]
    severity: BTreeMap<Spanned<String>, Severity>,
    /// Options of builtin rules, by rule id, merged over those of the rule
    /// file: `[options."repeat/cross-document"]` with `min_documents = 10`.
    /// `corpuslint explain RULE_ID` lists a rule's options.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Map<String, serde_json::Value>>")]
    options: BTreeMap<Spanned<String>, Spanned<toml::Table>>,
    /// Rules to skip for some paths: a glob, relative to this file's
    /// folder, mapped to rule ids or prefixes:
    /// `"archive/**" = ["join/", "quote/unbalanced"]`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Globs of files and folders not to walk, relative to this file's
    /// folder. Files named on the command line are still read.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    exclude: Vec<Spanned<String>>,
    /// Document language: `auto` (detected per document) or an ISO 639-1
    /// code such as `de` (like `--lang`). Default: `auto`.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = r"^(auto|[a-zA-Z]{2,3})$"))]
    lang: Option<Spanned<String>>,
    /// JSONL shards: the field holding the text; a dotted path reaches into
    /// nested records (`meta.body`). Default: `text`.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = FIELD_PATH_PATTERN))]
    text_field: Option<Spanned<String>>,
    /// JSONL shards: the field naming the document, reported as `doc_id`;
    /// a dotted path. Default: `id`.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = FIELD_PATH_PATTERN))]
    id_field: Option<Spanned<String>>,
    /// Lowest severity that makes the exit code 1: `error`, `warning`,
    /// `info` or `never` (like `--fail-on`). Default: `warning`.
    #[serde(default)]
    fail_on: Option<FailOn>,
    /// `corpuslint filter`: when a document is dropped, and how findings
    /// weigh in its score (flags override). docs/ingestion.md has the
    /// formula.
    #[serde(default)]
    #[schemars(with = "Option<FilterSettings>")]
    filter: Option<Spanned<FilterSettings>>,
}

/// `[filter]` in corpuslint.toml: the drop policy of `corpuslint filter`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FilterSettings {
    /// Drop a document with a finding left after fixing at or above this
    /// severity: `error` (default), `warning`, `info` or `never`.
    #[serde(default)]
    pub drop_on: Option<FailOn>,
    /// Drop a document with a finding of these rules (ids or prefixes).
    #[serde(default)]
    pub drop_rules: Vec<String>,
    /// Drop above this share (0 to 1) of boilerplate lines after fixing.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub max_boilerplate_share: Option<f64>,
    /// Drop below this many words after fixing.
    #[serde(default)]
    pub min_words: Option<usize>,
    /// Drop above this many errors and warnings per 1,000 bytes of text.
    #[serde(default)]
    pub max_findings_per_kb: Option<f64>,
    /// Drop below this quality score (0 to 1).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub min_score: Option<f64>,
    /// How much a finding of each severity weighs in the score (default:
    /// error 1, warning 0.5, info 0.1).
    #[serde(default)]
    pub weights: Option<SeverityWeights>,
    /// Weights of single rules or prefixes, over those of their severity:
    /// `"pii/" = 0`.
    #[serde(default)]
    pub rule_weights: BTreeMap<String, f64>,
}

/// `[filter.weights]`: a finding's weight in the score, by severity.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityWeights {
    pub error: Option<f64>,
    pub warning: Option<f64>,
    pub info: Option<f64>,
}

/// Names joined by single dots, none empty.
const FIELD_PATH_PATTERN: &str = r"^[^.]+(\.[^.]+)*$";

/// A glob from the file, compiled.
#[derive(Debug, Clone)]
pub struct PathGlob {
    pub glob: String,
    matcher: GlobMatcher,
}

/// A rule id or prefix from the file, with where it stands there.
#[derive(Debug, Clone)]
struct Selector {
    value: String,
    span: Range<usize>,
    key: &'static str,
}

/// `[options."rule/id"]`: a table with where its id and body stand.
#[derive(Debug, Clone)]
struct RuleOptions {
    id: String,
    id_span: Range<usize>,
    table: toml::Table,
    table_span: Range<usize>,
}

/// A loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as found or given.
    pub path: PathBuf,
    /// Its folder, absolute: the base of every relative path in it.
    pub dir: PathBuf,
    pub rules: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    /// Rule options set in the file (see [`Config::apply_options`]).
    options: Vec<RuleOptions>,
    pub per_path_ignores: Vec<(PathGlob, Vec<String>)>,
    pub exclude: Vec<PathGlob>,
    pub lang: Option<String>,
    pub text_field: Option<String>,
    pub id_field: Option<String>,
    pub fail_on: Option<FailOn>,
    /// `[filter]`, when the file has it.
    pub filter: Option<FilterSettings>,
    selectors: Vec<Selector>,
    source: String,
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved by
/// their names (no symlinks are followed, so it also works for paths that
/// do not exist).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The nearest `corpuslint.toml` in `start` or a folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

fn compile_glob(glob: &str) -> Result<PathGlob, String> {
    let pattern = glob.trim_end_matches('/');
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| PathGlob {
            glob: glob.to_string(),
            matcher: g.compile_matcher(),
        })
        .map_err(|e| format!("bad glob `{glob}`: {}", e.kind()))
}

impl PathGlob {
    /// Whether `rel` (a path relative to the config folder, `/`-separated)
    /// or one of the folders it is in matches.
    pub fn matches(&self, rel: &Path) -> bool {
        rel.ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.matcher.is_match(p))
    }
}

/// The rules to select and to ignore: each list given (flags, arguments)
/// replaces the configuration's when it is not empty.
pub fn selection(
    config: Option<&Config>,
    select: &[String],
    ignore: &[String],
) -> (Vec<String>, Vec<String>) {
    let pick = |given: &[String], file: Option<&Vec<String>>| {
        if given.is_empty() {
            file.cloned().unwrap_or_default()
        } else {
            given.to_vec()
        }
    };
    (
        pick(select, config.map(|c| &c.select)),
        pick(ignore, config.map(|c| &c.ignore)),
    )
}

impl Config {
    /// Reads and validates `path`; `cwd` resolves a relative `path`.
    pub fn load(path: &Path, cwd: &Path) -> Result<Config, Vec<RuleError>> {
        let display = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| {
            vec![RuleError {
                path: display.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read the configuration: {e}"),
            }]
        })?;
        Self::parse(path, cwd, source)
    }

    /// Parses a configuration's text (`path` names it in errors and anchors
    /// its relative paths).
    pub fn parse(path: &Path, cwd: &Path, source: String) -> Result<Config, Vec<RuleError>> {
        let display = path.display().to_string();
        let lines = LineIndex::new(&source);
        let at = |span: Range<usize>, message: String| {
            let (line, column) = lines.position(&source, span.start);
            RuleError {
                path: display.clone(),
                line,
                column,
                message,
            }
        };
        let raw: Raw = toml::from_str(&source).map_err(|e| {
            let message = e.message().trim().replace('\n', " ");
            vec![at(e.span().unwrap_or(0..0), message)]
        })?;
        let dir = absolute(cwd, path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut errors = Vec::new();
        let mut selectors = Vec::new();
        let select_list = |items: &[Spanned<String>],
                           key: &'static str,
                           selectors: &mut Vec<Selector>|
         -> Vec<String> {
            items
                .iter()
                .map(|s| {
                    selectors.push(Selector {
                        value: s.get_ref().clone(),
                        span: s.span(),
                        key,
                    });
                    s.get_ref().clone()
                })
                .collect()
        };
        let select = select_list(&raw.select, "select", &mut selectors);
        let ignore = select_list(&raw.ignore, "ignore", &mut selectors);
        let severity: Vec<(String, Severity)> = raw
            .severity
            .iter()
            .map(|(id, sev)| {
                selectors.push(Selector {
                    value: id.get_ref().clone(),
                    span: id.span(),
                    key: "severity",
                });
                (id.get_ref().clone(), *sev)
            })
            .collect();
        let options = raw
            .options
            .iter()
            .map(|(id, table)| RuleOptions {
                id: id.get_ref().clone(),
                id_span: id.span(),
                table: table.get_ref().clone(),
                table_span: table.span(),
            })
            .collect();
        let mut per_path_ignores = Vec::new();
        for (glob, ids) in &raw.per_path_ignores {
            match compile_glob(glob.get_ref()) {
                Ok(g) => {
                    per_path_ignores.push((g, select_list(ids, "per-path-ignores", &mut selectors)))
                }
                Err(m) => errors.push(at(glob.span(), m)),
            }
        }
        let mut exclude = Vec::new();
        for glob in &raw.exclude {
            match compile_glob(glob.get_ref()) {
                Ok(g) => exclude.push(g),
                Err(m) => errors.push(at(glob.span(), m)),
            }
        }
        if let Some(lang) = &raw.lang
            && let Err(m) = crate::lang::LangChoice::parse(lang.get_ref())
        {
            errors.push(at(lang.span(), m));
        }
        for field in [&raw.text_field, &raw.id_field].into_iter().flatten() {
            if let Err(m) = crate::input::jsonl::FieldPath::parse(field.get_ref()) {
                errors.push(at(field.span(), m));
            }
        }
        if let Some(filter) = &raw.filter {
            let f = filter.get_ref();
            for (key, value) in [
                ("max-boilerplate-share", f.max_boilerplate_share),
                ("min-score", f.min_score),
            ] {
                if value.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                    errors.push(at(
                        filter.span(),
                        format!("[filter] {key} must be between 0 and 1"),
                    ));
                }
            }
        }
        let rules = raw.rules.iter().map(|r| dir.join(r.get_ref())).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            path: path.to_path_buf(),
            dir,
            rules,
            select,
            ignore,
            severity,
            options,
            per_path_ignores,
            exclude,
            lang: raw.lang.map(|l| l.into_inner()),
            text_field: raw.text_field.map(|f| f.into_inner()),
            id_field: raw.id_field.map(|f| f.into_inner()),
            fail_on: raw.fail_on,
            filter: raw.filter.as_ref().map(|f| f.get_ref().clone()),
            selectors,
            source,
        })
    }

    /// Checks that every rule id or prefix in the file names a loaded rule.
    pub fn check_rule_ids(&self, set: &RuleSet) -> Result<(), Vec<RuleError>> {
        let lines = LineIndex::new(&self.source);
        let errors: Vec<RuleError> = self
            .selectors
            .iter()
            .filter(|s| !set.rules().any(|r| selector_matches(&s.value, &r.id)))
            .map(|s| {
                let (line, column) = lines.position(&self.source, s.span.start);
                RuleError {
                    path: self.path.display().to_string(),
                    line,
                    column,
                    message: format!(
                        "`{}` in `{}` matches no rule (see `corpuslint rules` for the list)",
                        s.value, s.key
                    ),
                }
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Sets the rule options of the file's `[options]` tables in `set`,
    /// recompiling those rules. An id that names no rule, a rule that
    /// takes no options or an option its check refuses is an error that
    /// points into the file.
    pub fn apply_options(&self, set: &mut RuleSet) -> Result<(), Vec<RuleError>> {
        let lines = LineIndex::new(&self.source);
        let at = |span: &Range<usize>, message: String| {
            let (line, column) = lines.position(&self.source, span.start);
            RuleError {
                path: self.path.display().to_string(),
                line,
                column,
                message,
            }
        };
        let mut errors = Vec::new();
        for o in &self.options {
            if set.get(&o.id).is_none() {
                errors.push(at(
                    &o.id_span,
                    format!(
                        "`{}` in `options` is not a rule id (options are set per rule, not per prefix)",
                        o.id
                    ),
                ));
                continue;
            }
            if let Err(message) = set.set_options(&o.id, &o.table) {
                errors.push(at(&o.table_span, message));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// `path` (as given on the command line or walked, relative to `cwd`)
    /// relative to the configuration's folder, if it is inside it.
    pub fn relative(&self, cwd: &Path, path: &Path) -> Option<PathBuf> {
        absolute(cwd, path)
            .strip_prefix(&self.dir)
            .ok()
            .map(Path::to_path_buf)
    }

    /// Whether a walked file or folder is excluded.
    pub fn is_excluded(&self, cwd: &Path, path: &Path) -> bool {
        self.relative(cwd, path)
            .is_some_and(|rel| self.exclude.iter().any(|g| g.matches(&rel)))
    }

    /// The rule ids and prefixes ignored for `path` by `per-path-ignores`,
    /// as indices of the entries that apply.
    pub fn path_ignores(&self, cwd: &Path, path: &Path) -> Vec<usize> {
        match self.relative(cwd, path) {
            Some(rel) => self
                .per_path_ignores
                .iter()
                .enumerate()
                .filter(|(_, (g, _))| g.matches(&rel))
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        }
    }
}

/// The starter file `corpuslint init` writes.
pub const STARTER: &str = r#"# corpuslint configuration: https://github.com/ (see README.md and docs/ci.md)
# Paths and globs are relative to this file's folder. Command-line flags
# override what is set here. Run `corpuslint rules` for every rule id.

# Folders of your own rule files, on top of the built-in rules.
# rules = ["corpuslint-rules"]

# Run only these rules (ids or prefixes such as "html/"); default: all but
# the opt-in ones. "ALL" also runs the opt-in repeat/cross-document.
# select = ["html/", "boilerplate/", "join/", "quote/", "encoding/", "whitespace/"]

# Skip these rules.
# ignore = ["pii/email"]

# Lowest severity that fails the run (exit code 1): error, warning, info, never.
fail-on = "warning"

# Document language: "auto" (detected per document) or a code such as "de".
lang = "auto"

# JSONL shards: the field with the text and the one naming the document.
# Dotted paths reach into nested records ("meta.id").
text-field = "text"
id-field = "id"

# Files and folders not to walk (files named on the command line are still read).
exclude = [
    # "drafts/",
    # "**/*.md",
]

# Change the severity of single rules.
[severity]
# "boilerplate/ui-labels" = "info"


# Rules to skip for some paths.
[per-path-ignores]
# "archive/**" = ["join/", "quote/unbalanced"]

# Options of single builtin rules (`corpuslint explain RULE_ID` lists them).
# [options."repeat/cross-document"]   # with select = ["ALL"]
# min_documents = 10

# `corpuslint filter`: when a document is dropped (docs/ingestion.md).
# [filter]
# drop-on = "error"                   # a finding left after fixing at or above this
# drop-rules = ["structure/other-language"]
# max-boilerplate-share = 0.3
# min-words = 50
# min-score = 0.5
# [filter.rule-weights]               # weights in the score, over those per severity
# "pii/" = 0.0
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, Vec<RuleError>> {
        Config::parse(
            Path::new("/repo/corpuslint.toml"),
            Path::new("/repo"),
            src.to_string(),
        )
    }

    #[test]
    fn starter_parses() {
        let c = parse(STARTER).unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        // The commented [filter] example, uncommented, is valid too.
        let filter: String = STARTER
            .lines()
            .skip_while(|l| !l.starts_with("# [filter]"))
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .map(|l| format!("{}\n", l.split("  #").next().unwrap()))
            .collect();
        let with_filter = parse(&filter).unwrap_or_else(|e| panic!("{filter}\n{e:?}"));
        let f = with_filter.filter.unwrap();
        assert_eq!(f.min_words, Some(50));
        assert_eq!(f.rule_weights["pii/"], 0.0);
        assert_eq!(c.text_field.as_deref(), Some("text"));
    }

    #[test]
    fn unknown_keys_and_bad_globs_are_positioned() {
        let e = parse("select = [\"html/\"]\ncolour = 1\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (2, 1), "{e:?}");
        assert!(e[0].message.contains("colour"), "{}", e[0].message);
        let e = parse("exclude = [\"ok/\", \"a[b\"]\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (1, 19), "{e:?}");
        assert!(
            e[0].message.starts_with("bad glob `a[b`"),
            "{}",
            e[0].message
        );
        let e = parse("fail-on = \"sometimes\"\n").unwrap_err();
        assert_eq!(e[0].line, 1);
    }

    #[test]
    fn globs_are_relative_to_the_config_folder() {
        let c = parse("exclude = [\"drafts/\", \"**/*.md\"]\n[per-path-ignores]\n\"archive/**\" = [\"join/\"]\n").unwrap();
        let cwd = Path::new("/repo/corpus");
        assert!(c.is_excluded(cwd, Path::new("../drafts/a.txt")));
        assert!(c.is_excluded(Path::new("/repo"), Path::new("drafts")));
        assert!(c.is_excluded(cwd, Path::new("x/notes.md")));
        assert!(!c.is_excluded(cwd, Path::new("a.txt")));
        assert_eq!(
            c.path_ignores(Path::new("/repo"), Path::new("archive/2020/a.txt")),
            vec![0]
        );
        assert!(
            c.path_ignores(Path::new("/repo"), Path::new("news/a.txt"))
                .is_empty()
        );
        assert!(
            c.path_ignores(Path::new("/elsewhere"), Path::new("archive/a.txt"))
                .is_empty()
        );
    }

    #[test]
    fn absolute_paths_resolve_dots() {
        assert_eq!(
            absolute(Path::new("/a/b"), Path::new("../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
