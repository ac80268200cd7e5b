//! Check kinds: the code behind rules. A rule file names a kind (`pattern`,
//! `phrases`, `line`, `builtin`); this module compiles a rule into the check
//! that runs it. Builtin rules get a check each; pattern, phrase and line
//! rules are run together — one regex-set prefilter pass ([`PatternSet`]),
//! one automaton pass for all literals ([`LiteralScan`], read by
//! [`PhraseSet`] and [`LineSet`]) and one regex-set pass per line
//! ([`LineSet`]) — so their cost does not grow rule by rule.
//!
//! Adding a builtin check is one file here and one arm in [`builtin`].

mod control;
mod corpus_repeat;
mod document_shape;
mod entity;
mod hard_wrap;
mod html_tag;
mod hyphen_split;
mod line;
mod literals;
mod matcher;
mod missing_space;
mod mojibake;
mod nav_block;
pub mod necessary;
pub mod notice;
mod pattern;
mod phrases;
mod quotes;
mod related;
mod repeated;
mod sentence_join;
mod spacing;
mod word_classes;

pub use line::{LineSet, guarded_rules};
pub use literals::{LiteralHits, LiteralMemo, LiteralScan};
pub use pattern::PatternSet;
pub use phrases::PhraseSet;
pub use quotes::QuoteBalance;

use crate::corpus::{CorpusCtx, CorpusNeed};
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::rules::{Kind, Rule};
use crate::text::LineIndex;
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::sync::Arc;

/// What a check sees of one document.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    /// ISO 639-1 code of the document language, if known.
    pub lang: Option<&'a str>,
    /// Whether the run declared `lang` (`--lang`, config) rather than
    /// detecting it in this document.
    pub lang_declared: bool,
    /// The hits of the linter's literal automaton (phrases and `requires`).
    pub literals: &'a LiteralHits,
    /// The lines that recur across the corpus, when a check asked for them
    /// ([`Check::corpus_need`]) and the document is part of the count
    /// (never for standard input).
    pub corpus: Option<CorpusCtx<'a>>,
    /// What earlier fix passes over this document found, for checks that
    /// can reuse it on the lines a fix left unchanged; `None` outside the
    /// fix loop.
    pub memo: Option<&'a PassMemo>,
}

/// What the checks of one fix pass remember for the next pass over the
/// same document (see [`Ctx::memo`]). Fixes change few lines; a check that
/// finds the same things in the same line whatever the rest of the
/// document holds can look that line up instead of searching it again.
#[derive(Default)]
pub struct PassMemo {
    pub(crate) lines: std::cell::RefCell<line::LineMemo>,
    pub(crate) literals: std::cell::RefCell<LiteralMemo>,
}

impl<'a> Ctx<'a> {
    /// Line `i` (0-based) without its line break and the spaces around it.
    pub fn trimmed_line(&self, i: usize) -> &'a str {
        &self.text[trim_range(self.text, self.lines.content(self.text, i))]
    }
}

/// When a check runs on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// With the others, on the text alone ([`Check::run`]).
    Text,
    /// After every [`Phase::Text`] check, on their findings
    /// ([`Check::run_on_findings`]): document-level signals that summarise
    /// what the other rules found. Such checks do not see each other's
    /// findings, so their order does not matter.
    Findings,
}

/// A compiled check. It reports findings for its rule(s) into `out`, in any
/// order; the engine sorts them.
pub trait Check: Send + Sync {
    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>);

    /// The check's type name, for [`crate::timings`].
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }

    /// When the linter calls this check; [`Phase::Findings`] checks get
    /// [`Check::run_on_findings`] instead of [`Check::run`].
    fn phase(&self) -> Phase {
        Phase::Text
    }

    /// A [`Phase::Findings`] check: `findings` are those of every text
    /// check that ran on the document, in no particular order (and possibly
    /// with duplicates, which the linter drops later).
    fn run_on_findings(
        &self,
        _ctx: &Ctx<'_>,
        _findings: &[Diagnostic],
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// Whether this check only tidies whitespace (a run of blank lines, a
    /// space before a comma) of the kind other rules' fixes leave behind
    /// when they delete a line or a tag. The fix loop runs such checks on
    /// their own right after each pass, so a document usually settles
    /// after one full pass and one confirming check instead of two. Their
    /// findings must not depend on the language beyond
    /// [`Rule::applies_to`](crate::rules::Rule::applies_to), nor on the
    /// literal scan ([`Ctx::literals`] is empty there).
    fn tidies(&self) -> bool {
        false
    }

    /// The most a fix of this check may be ([`Applicability::Safe`] beats
    /// unsafe), `None` when it proposes none. The fix loop runs a check
    /// whose fixes the run does not apply only on the pass that settles.
    /// Saying too much costs time; saying too little is a bug, which the
    /// fix loop survives (it checks the settled text in full) but which
    /// may order fixes differently.
    fn fixes(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    /// Literals one of which every line this check reports holds, if it
    /// has such (ASCII case folded): the linter's literal scan looks for
    /// them with the rest, and [`LiteralHits::lines_of`] names the lines
    /// under `key`.
    fn line_literals(&self) -> Option<(Arc<str>, Vec<String>)> {
        None
    }

    /// The `{placeholders}` this check fills into its rule's message,
    /// besides `{match}` (which every rule may use).
    fn placeholders(&self) -> &'static [&'static str] {
        &[]
    }

    /// The regular expressions this check searches for, in `regex` syntax,
    /// for `corpuslint rules --export-patterns` (the benchmark runs ripgrep
    /// with them). Checks that are not a search export none.
    fn patterns(&self) -> Vec<String> {
        Vec::new()
    }

    /// Which lines a corpus-level check needs counted across all documents
    /// before the run (see [`crate::corpus`]); `None` for a check that looks
    /// at one document alone. The engine then runs the corpus pass and
    /// gives every document's check the counts in [`Ctx::corpus`].
    fn corpus_need(&self) -> Option<CorpusNeed> {
        None
    }
}

/// The search patterns of a rule, one regex each (see [`Check::patterns`]).
/// Phrases are exported as literals, as the phrase automaton searches them;
/// like corpuslint, a caller checks word boundaries on the hits.
/// Named groups become plain groups: ripgrep joins all patterns of a file
/// into one regex, where two groups of one name would clash.
pub fn export_patterns(rule: &Rule, check: Option<&dyn Check>) -> Vec<String> {
    let unnamed =
        regex::Regex::new(r"(^|[^\\])\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("valid regex");
    let patterns = match rule.kind {
        Kind::Pattern => rule.pattern.iter().cloned().collect(),
        Kind::Line => rule
            .pattern
            .iter()
            .map(|p| format!("^[ \\t]*(?:{p})[ \\t]*$"))
            .collect(),
        Kind::Phrases => rule
            .phrases
            .iter()
            .map(|p| {
                let flags = if rule.case_sensitive { "" } else { "(?i)" };
                format!("{flags}{}", regex::escape(p))
            })
            .collect(),
        Kind::Builtin => check.map(|c| c.patterns()).unwrap_or_default(),
    };
    patterns
        .into_iter()
        .map(|p| portable(&unnamed.replace_all(&p, "${1}(?:")))
        .collect()
}

/// `pattern` without the escapes of punctuation that needs none (`\"`,
/// `\'`, `\/`): the regex crate accepts them since 1.8, ripgrep 13 and
/// other engines refuse them. The characters mean the same bare.
fn portable(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(next)
                if matches!(
                    next,
                    '"' | '\'' | '/' | '%' | ',' | '!' | '@' | ':' | ';' | '=' | '`'
                ) =>
            {
                out.push(next)
            }
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Which key of the rule a compile error is about (for its position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Pattern,
    Check,
    Options,
    Fix,
    Unless,
    UnlessBeside,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub field: Field,
    pub message: String,
}

impl CompileError {
    fn new(field: Field, message: impl Into<String>) -> Self {
        CompileError {
            field,
            message: message.into(),
        }
    }
}

/// The builtin checks a rule may name with `check = "..."`.
pub const BUILTIN_CHECKS: &[&str] = &[
    "after-marker",
    "c1-control",
    "control-character",
    "corpus-repeat",
    "document-shape",
    "hard-wrap",
    "html-entity",
    "html-tag",
    "hyphen-split",
    "missing-space",
    "mojibake",
    "quote-balance",
    "repeated-line",
    "sentence-join",
    "short-line-block",
    "spacing",
    "word-classes",
];

/// Compiles `rule`. Phrase and line rules are validated here but run by the
/// shared [`PhraseSet`] / [`LineSet`], so they return `None`.
pub fn compile(rule: &Arc<Rule>) -> Result<Option<Arc<dyn Check>>, CompileError> {
    match rule.kind {
        // Built-in patterns are compiled once, into the linter's set (the
        // test suite checks them); user ones are checked here, so that an
        // error points at their file.
        Kind::Pattern => {
            if !rule.origin.builtin {
                pattern::PatternCheck::new(rule)?;
            }
            Ok(None)
        }
        Kind::Line => {
            // Built-in line patterns are compiled once, into the linter's
            // set (the test suite checks them); user ones are checked here,
            // so that an error points at their file.
            if !rule.origin.builtin {
                line::compile_line_pattern(rule.pattern.as_deref().unwrap_or_default())?;
                line::compile_unless(rule)?;
                line::compile_unless_beside(rule)?;
            }
            Ok(None)
        }
        Kind::Phrases => Ok(None),
        Kind::Builtin => builtin(rule.check.as_deref().unwrap_or_default(), rule).map(Some),
    }
}

fn builtin(name: &str, rule: &Arc<Rule>) -> Result<Arc<dyn Check>, CompileError> {
    if rule.pattern.is_some() && !matches!(name, "after-marker") {
        return Err(CompileError::new(
            Field::Pattern,
            format!("the `{name}` check takes no `pattern`"),
        ));
    }
    Ok(match name {
        "after-marker" => Arc::new(related::AfterMarker::new(rule)?),
        "c1-control" => Arc::new(mojibake::C1Control::new(rule)?),
        "control-character" => Arc::new(control::ControlCharacter::new(rule)?),
        "corpus-repeat" => Arc::new(corpus_repeat::CorpusRepeat::new(rule)?),
        "document-shape" => Arc::new(document_shape::DocumentShape::new(rule)?),
        "hard-wrap" => Arc::new(hard_wrap::HardWrap::new(rule)?),
        "html-entity" => Arc::new(entity::HtmlEntity::new(rule)?),
        "html-tag" => Arc::new(html_tag::HtmlTag::new(rule)?),
        "hyphen-split" => Arc::new(hyphen_split::HyphenSplit::new(rule)?),
        "missing-space" => Arc::new(missing_space::MissingSpace::new(rule)?),
        "mojibake" => Arc::new(mojibake::Mojibake::new(rule)?),
        "quote-balance" => Arc::new(quotes::QuoteBalance::new(rule)?),
        "repeated-line" => Arc::new(repeated::RepeatedLine::new(rule)?),
        "sentence-join" => Arc::new(sentence_join::SentenceJoin::new(rule)?),
        "short-line-block" => Arc::new(nav_block::ShortLineBlock::new(rule)?),
        "spacing" => Arc::new(spacing::Spacing::new(rule)?),
        "word-classes" => Arc::new(word_classes::WordClasses::new(rule)?),
        _ => {
            return Err(CompileError::new(
                Field::Check,
                format!(
                    "unknown builtin check `{name}` (known: {})",
                    BUILTIN_CHECKS.join(", ")
                ),
            ));
        }
    })
}

/// Reads a builtin check's `options` table into its typed settings.
fn options<T: DeserializeOwned>(rule: &Rule) -> Result<T, CompileError> {
    toml::Value::Table(rule.options.clone())
        .try_into()
        .map_err(|e: toml::de::Error| {
            CompileError::new(
                Field::Options,
                format!("bad `options`: {}", e.message().trim()),
            )
        })
}

/// The applicability of a builtin's own fix: the rule's `fix` table decides,
/// else `default`.
fn applicability(rule: &Rule, default: Applicability) -> Applicability {
    rule.fix_applicability().unwrap_or(default)
}

/// `range` without leading and trailing whitespace.
pub fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    if start >= end {
        range.start..range.start
    } else {
        start..end
    }
}

/// The compiled-program limit of one pattern (see [`regex`]).
const NFA_LIMIT: usize = 64 << 20;
/// The lazy DFA cache of one pattern (see [`regex`]).
const DFA_CACHE: usize = 8 << 20;
/// The same two for a set of many patterns run as one (the line rules
/// without literals, the pattern rules).
const SET_NFA_LIMIT: usize = 256 << 20;
const SET_DFA_CACHE: usize = 64 << 20;

/// Builds a regex with limits large enough for long phrase alternations.
/// The lazy DFA's cache gets 8 MB (the regex crate's default is 2 MB):
/// the case-insensitive line patterns over real German and English pages
/// filled 2 MB again and again, so the cache was cleared and its states
/// rebuilt all through a run (determinisation grew with the input); with
/// 8 MB it is paid once, as warm-up.
fn regex(pattern: &str) -> Result<regex::Regex, CompileError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(NFA_LIMIT)
        .dfa_size_limit(DFA_CACHE)
        .build()
        .map_err(|e| CompileError::new(Field::Pattern, regex_error(&e)))
}

/// [`regex`] as the regex crate's own engine, for anchored searches at
/// chosen positions (which the regex crate's API does not offer): the same
/// syntax, matches and limits.
fn meta_regex(pattern: &str) -> Result<regex_automata::meta::Regex, CompileError> {
    regex_automata::meta::Regex::builder()
        .configure(
            regex_automata::meta::Config::new()
                .nfa_size_limit(Some(NFA_LIMIT))
                .hybrid_cache_capacity(DFA_CACHE),
        )
        .build(pattern)
        .map_err(|e| CompileError::new(Field::Pattern, format!("invalid regex: {e}")))
}

/// The regex crate's error, on one line.
fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"));
    match last {
        Some(l) => format!(
            "invalid regex: {}",
            l.trim_start().trim_start_matches("error:").trim()
        ),
        None => format!("invalid regex: {}", text.lines().next().unwrap_or_default()),
    }
}
