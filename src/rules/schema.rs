//! The rule file format as serde types. Every table rejects unknown keys, so
//! a typo in a rule file is an error with a position, never a silent no-op.

//!
//! The same types describe the file to editors: they derive `JsonSchema`,
//! and their doc comments become the schema's descriptions (see
//! [`crate::json_schema`]). `Spanned` fields are described as the plain
//! value they hold.

use crate::diagnostic::Severity;
use crate::fix::Applicability;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;
use std::ops::Range;
use toml::Spanned;

/// A corpuslint rule file: one or more `[[rule]]` tables. Built-in rules
/// live in `rules/<category>/<name>.toml`; add folders of your own with
/// `--rules DIR` or `rules = [...]` in corpuslint.toml.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// `rule` has a serde default so that the loader can say "no `[[rule]]`
// table" in its own words; the schema simply requires it.
#[schemars(title = "corpuslint rule file", extend("required" = ["rule"]))]
pub(crate) struct RuleFile {
    /// The rules of this file, each a `[[rule]]` table.
    #[serde(default)]
    #[schemars(with = "Vec<RuleSpec>", length(min = 1))]
    pub rule: Vec<Spanned<RuleSpec>>,
}

/// `category/name`: one of the fixed categories, then lower-case ASCII
/// letters, digits and `-`.
pub(crate) const ID_PATTERN: &str =
    "^(html|boilerplate|join|quote|encoding|whitespace|repeat|pii|structure)/[a-z0-9][a-z0-9-]*$";

/// One lint rule. Most rules are data: a `pattern`, `phrases` or `line`
/// rule needs no Rust code; a `builtin` rule names a check written in Rust.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = kind_requirements)]
pub(crate) struct RuleSpec {
    /// The rule id, `category/name`, e.g. `html/leftover-tag`. The category
    /// is one of html, boilerplate, join, quote, encoding, whitespace,
    /// repeat, pii, structure. Ids are unique across all loaded rules.
    #[schemars(with = "String", regex(pattern = ID_PATTERN))]
    pub id: Spanned<String>,
    /// How much a finding matters: `error` for an unmistakable artifact,
    /// `warning` for a judgement call, `info` for a fact worth knowing.
    pub severity: Severity,
    /// How the rule matches: `pattern`, `phrases`, `line` or `builtin`.
    #[schemars(with = "Kind")]
    pub kind: Spanned<Kind>,
    /// `pattern` and `line` rules: a regular expression in Rust `regex`
    /// syntax. A group named `span` narrows the finding to that group; a
    /// `line` pattern must match the whole trimmed line.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// `phrases` rules: literal phrases, matched case-insensitively on word
    /// boundaries (one automaton for all phrase rules).
    #[serde(default)]
    #[schemars(
        with = "Option<Vec<String>>",
        length(min = 1),
        inner(regex(pattern = r"\S"))
    )]
    pub phrases: Option<Spanned<Vec<String>>>,
    /// `builtin` rules: the check written in Rust that runs the rule.
    #[serde(default)]
    #[schemars(schema_with = "builtin_check_schema")]
    pub check: Option<Spanned<String>>,
    /// `builtin` rules: settings of the check, as the check documents them
    /// (for example word lists per language).
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub options: Option<Spanned<toml::Table>>,
    /// The finding's message: lower case, no full stop. `{match}` is
    /// replaced by the matched text; some builtin checks fill in more
    /// placeholders, as their docs say (`{line}`, `{lines}`, ...). Any other
    /// `{name}` is an error.
    #[schemars(with = "String")]
    pub message: Spanned<String>,
    /// What to do about a finding, in the imperative, no full stop.
    #[serde(default)]
    pub help: Option<String>,
    /// Why the rule matters and when its fix is safe, in a few sentences
    /// (Markdown). Shown by `corpuslint explain` and in docs/rules.md.
    #[serde(default)]
    pub docs: String,
    /// Document languages the rule runs on: `*` for every language, or
    /// ISO 639-1 codes such as `de`, `en`.
    #[serde(default = "every_language")]
    #[schemars(inner(regex(pattern = r"^(\*|[a-z]{2,3})$")))]
    pub languages: Vec<String>,
    /// The fix a finding offers, e.g. `{ action = "delete-line",
    /// applicability = "safe" }`. Without it the rule only reports.
    #[serde(default)]
    #[schemars(with = "Option<FixSpec>")]
    pub fix: Option<Spanned<FixSpec>>,
    /// `pattern` and `phrases` rules: what a finding covers, the match
    /// (default) or the whole line holding it.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Count a match only when its (trimmed) line is at most this many
    /// characters long: for boilerplate lines that are short.
    #[serde(default)]
    pub max_line_chars: Option<usize>,
    /// `pattern`, `phrases` and `line` rules: match case-sensitively.
    #[serde(default)]
    pub case_sensitive: bool,
    /// `line` rules: literals (case-insensitive) of which a line must
    /// contain one before the pattern is tried. A speed hint for patterns
    /// that must read whole lines (`.*word.*`); it must not change results.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub requires: Option<Spanned<Vec<String>>>,
    /// `line` rules: a regular expression searched in the (trimmed) line; a
    /// line it matches is left alone although `pattern` matches it. For the
    /// exceptions a pattern cannot say itself (the `regex` syntax has no
    /// look-ahead), e.g. the words a name never holds.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unless: Option<Spanned<String>>,
    /// `line` rules: the most lines of one document the rule reports. A
    /// document with more such lines uses them as its structure (dates
    /// heading the entries of a timeline or a live blog), and none of them
    /// is reported.
    #[serde(default)]
    #[schemars(with = "Option<usize>")]
    pub max_per_document: Option<Spanned<usize>>,
    /// `line` rules: a matching line may be a heading of the article
    /// (`Barrierefreiheit`, `Newsletter`): with a paragraph of prose right
    /// above and right below it, it is one, and is left alone. So is the
    /// document's first line, a Markdown heading, over prose (`# About
    /// Us`).
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub may_be_heading: Option<Spanned<bool>>,
    /// `line` rules: a regular expression searched in the other lines of
    /// the matching line's block (the non-empty lines next to it, up to a
    /// blank line, at most five each way): when one holds it, the line is
    /// the article's data, and is left alone (a date line `Datum: 15. Mai`
    /// beside `Ort: Kongresshaus`, a byline `Author: …` beside `Publisher:
    /// …` in a book's record).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unless_beside: Option<Spanned<String>>,
    /// `line` rules: a matching line right above verse (over at most one
    /// blank line: four lines or more of up to ten words and no links, in
    /// stanzas of two lines or more, half of them of three words or more,
    /// one in small letters or half of them ending with a mark) credits
    /// the poem or the song, and is left alone (`by Priya Natarajan` under
    /// a poem's title).
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub unless_over_verse: Option<Spanned<bool>>,
    /// Rules (ids or prefixes such as `boilerplate/`) whose finding on a
    /// line makes this rule's finding there redundant: a catch-all rule
    /// stays silent on a line a more specific rule reports, at the same
    /// severity or a higher one.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub yields_to: Option<Spanned<Vec<String>>>,
    /// Off unless selected: the rule runs only when `--select` (or `select`
    /// in corpuslint.toml) names it, its category, or `ALL`. For rules that
    /// cost a run noticeably more than the others.
    #[serde(default)]
    pub opt_in: bool,
    /// Embedded tests, each a `[[rule.examples]]` table, run by
    /// `corpuslint test-rules`, by the test suite and when a user rule file
    /// is loaded.
    #[serde(default)]
    #[schemars(with = "Vec<Example>")]
    pub examples: Vec<Spanned<Example>>,
}

/// `check`: one of the builtin checks' names.
fn builtin_check_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "enum": crate::checks::BUILTIN_CHECKS,
    })
}

/// The keys each kind needs or refuses, as the loader checks them: editors
/// then flag a `pattern` rule without `pattern`, or `options` outside a
/// `builtin` rule.
fn kind_requirements(schema: &mut schemars::Schema) {
    let when = |kinds: &[&str], then: serde_json::Value| {
        json!({
            "if": { "properties": { "kind": { "enum": kinds } }, "required": ["kind"] },
            "then": then,
        })
    };
    let absent = |keys: &[&str]| -> Vec<serde_json::Value> {
        keys.iter()
            .map(|k| json!({ "not": { "required": [k] } }))
            .collect()
    };
    schema.insert(
        "allOf".into(),
        json!([
            when(
                &["pattern", "line"],
                json!({ "required": ["pattern"], "allOf": absent(&["phrases", "check", "options"]) })
            ),
            when(&["line"], json!({ "allOf": absent(&["scope"]) })),
            when(
                &["pattern", "phrases", "builtin"],
                json!({ "allOf": absent(&["requires", "unless", "max_per_document", "may_be_heading", "unless_beside", "unless_over_verse"]) })
            ),
            when(
                &["phrases"],
                json!({ "required": ["phrases"], "allOf": absent(&["pattern", "check", "options"]) })
            ),
            when(
                &["builtin"],
                json!({ "required": ["check"], "allOf": absent(&["phrases"]) })
            ),
        ]),
    );
}

fn every_language() -> Vec<String> {
    vec!["*".to_string()]
}

/// How a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A regular expression matched anywhere.
    Pattern,
    /// Literal phrases, case-insensitive, on word boundaries.
    Phrases,
    /// A regular expression that must match a whole (trimmed) line. A
    /// Markdown heading with the sections of the text under it (a heading
    /// of a deeper level, then a line that is no heading and no link: `##
    /// Menu` / `### Starters` / `- Tomato soup — $8`) is left alone.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The matched text.
    #[default]
    Match,
    /// The whole line holding the match (one finding per line): for
    /// boilerplate recognised by a phrase inside it.
    Line,
}

/// The fix a finding offers.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// What the fix does: `replace` the match, `delete-line` (the line
    /// holding it, with its line break) or `insert` text beside it.
    pub action: FixAction,
    /// Replacement (`replace`, may use `$1` / `${name}` in pattern rules) or
    /// inserted text (`insert`).
    #[serde(default)]
    pub with: String,
    /// Where `insert` puts its text: before or after the match.
    #[serde(default)]
    pub at: InsertAt,
    /// `safe`: applied by `--fix`; `unsafe` (default): a suggestion,
    /// applied only by `--fix --unsafe-fixes`.
    #[serde(default = "default_applicability")]
    pub applicability: Applicability,
}

fn default_applicability() -> Applicability {
    Applicability::Unsafe
}

/// What a fix does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FixAction {
    /// Replace the match with `with` (empty: remove it).
    Replace,
    /// Delete the line holding the match, with its line break.
    DeleteLine,
    /// Insert `with` at the start or end of the match (`at`).
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

/// Where an `insert` fix puts its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum InsertAt {
    /// Before the match.
    Start,
    /// After the match (default).
    #[default]
    End,
}

/// One embedded test of a rule: a `bad` text (with the `fixed` result when
/// the rule has a fix) or a `good` one.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = example_requirements)]
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
    /// Language the example is checked as, as `--lang` declares it
    /// (default: the rule's first language).
    #[serde(default)]
    pub lang: Option<String>,
    /// Corpus-level rules (`repeat/cross-document`): the other documents
    /// of the corpus the example is checked in. The example's own text is
    /// one more document, after these.
    #[serde(default)]
    pub corpus: Vec<String>,
    /// Where the example sits in its rule file.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

/// An example needs `bad` or `good`, and `fixed` belongs to a `bad` one.
fn example_requirements(schema: &mut schemars::Schema) {
    schema.insert(
        "anyOf".into(),
        json!([{ "required": ["bad"] }, { "required": ["good"] }]),
    );
    schema.insert("dependencies".into(), json!({ "fixed": ["bad"] }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_pattern_lists_the_categories() {
        let expected = format!(
            "^({})/[a-z0-9][a-z0-9-]*$",
            crate::rules::CATEGORIES.join("|")
        );
        assert_eq!(ID_PATTERN, expected);
    }
}
