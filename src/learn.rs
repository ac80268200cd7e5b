//! `corpuslint learn`: find the lines that recur across many documents of a
//! corpus (a site's footer, its share bar, its newsletter box) and write
//! them as a rule file for a human to review. Boilerplate is what repeats
//! across pages; content rarely does.
//!
//! Each document counts a line once. Lines are compared with their spacing
//! normalised; only short lines with a letter in them are candidates. The
//! rule written is a `line` rule in verbose regex mode, one alternative per
//! learned line with its document count as a comment, so that reviewing it
//! is deleting lines from a list.

use crate::input::jsonl::{FieldPath, parse_record};
use crate::input::{self, Format, InputError, Source};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::BufRead;

/// What `learn` looks for.
#[derive(Debug, Clone)]
pub struct LearnOptions {
    /// A line must occur in at least this many documents.
    pub min_documents: usize,
    /// ... and in at least this share of all documents.
    pub min_share: f64,
    /// Longest line considered, in characters.
    pub max_chars: usize,
    /// Most lines written.
    pub max_lines: usize,
    pub text_field: FieldPath,
    /// The id of the rule written.
    pub rule_id: String,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            min_documents: 3,
            min_share: 0.0,
            max_chars: 200,
            max_lines: 500,
            text_field: FieldPath::parse("text").expect("valid path"),
            rule_id: "boilerplate/learned".into(),
        }
    }
}

/// Line counts over a corpus.
#[derive(Debug, Default)]
pub struct Learner {
    counts: HashMap<String, usize>,
    pub documents: usize,
}

/// Above this many distinct lines, lines seen in one document are dropped:
/// the memory stays bounded on corpora of any size.
const PRUNE_AT: usize = 4_000_000;

impl Learner {
    /// Counts the lines of one document.
    pub fn add(&mut self, text: &str, opts: &LearnOptions) {
        self.documents += 1;
        let mut seen = std::collections::HashSet::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty()
                || line.len() > opts.max_chars * 4
                || line.chars().count() > opts.max_chars
            {
                continue;
            }
            if !line.chars().any(char::is_alphabetic) {
                continue;
            }
            let key = crate::text::collapse_whitespace(line).into_owned();
            if seen.insert(key.clone()) {
                *self.counts.entry(key).or_default() += 1;
            }
        }
        if self.counts.len() > PRUNE_AT {
            self.counts.retain(|_, n| *n > 1);
        }
    }

    /// Counts every document of `sources`; errors are returned, not fatal.
    pub fn add_sources(&mut self, sources: Vec<Source>, opts: &LearnOptions) -> Vec<InputError> {
        let mut errors = Vec::new();
        for mut source in sources {
            let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let reader = match input::open(&mut source, None, counter) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match source.format {
                Format::Text => {
                    match input::read_text(reader, &source.display, input::DEFAULT_MAX_FILE_SIZE) {
                        Ok(text) => self.add(&text, opts),
                        Err(e) => errors.push(e),
                    }
                }
                Format::Jsonl => {
                    for (n, line) in reader.split(b'\n').enumerate() {
                        let line = match line {
                            Ok(l) => l,
                            Err(e) => {
                                errors.push(InputError::new(
                                    source.display.clone(),
                                    format!("record {}: {e}", n + 1),
                                ));
                                break;
                            }
                        };
                        let Ok(line) = std::str::from_utf8(&line) else {
                            continue;
                        };
                        if line.trim().is_empty() {
                            continue;
                        }
                        match parse_record(line, &opts.text_field, &opts.text_field) {
                            Ok(record) => self.add(&record.text, opts),
                            Err(msg) => errors.push(InputError::new(
                                source.display.clone(),
                                format!("record {}: {msg}", n + 1),
                            )),
                        }
                    }
                }
            }
        }
        errors
    }

    /// The recurring lines, most frequent first: (line, documents).
    pub fn recurring(&self, opts: &LearnOptions) -> Vec<(String, usize)> {
        let threshold = opts
            .min_documents
            .max((opts.min_share * self.documents as f64).ceil() as usize)
            .max(2);
        let mut lines: Vec<(String, usize)> = self
            .counts
            .iter()
            .filter(|&(_, &n)| n >= threshold)
            .map(|(l, &n)| (l.clone(), n))
            .collect();
        lines.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        lines.truncate(opts.max_lines);
        lines
    }

    /// A rule file (TOML) with one `line` rule matching the recurring lines.
    pub fn rule_file(&self, opts: &LearnOptions) -> Option<String> {
        let lines = self.recurring(opts);
        let (first, _) = lines.first()?;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Written by `corpuslint learn` from {} documents: the lines that recur across them.\n\
             # Review before use: delete every alternative below that is content, not boilerplate,\n\
             # then put this file in a --rules folder (or the `rules` of corpuslint.toml).\n",
            self.documents
        );
        let _ = writeln!(
            out,
            "[[rule]]\nid = \"{}\"\nseverity = \"warning\"\nkind = \"line\"",
            opts.rule_id
        );
        out.push_str("pattern = '''(?x)\n");
        for (i, (line, n)) in lines.iter().enumerate() {
            let sep = if i == 0 { "  " } else { "| " };
            let _ = writeln!(out, "  {sep}{}  # {n} documents", verbose_literal(line));
        }
        out.push_str("'''\n");
        out.push_str("message = \"line that recurs across the corpus\"\n");
        out.push_str("help = \"delete the line if it is boilerplate\"\n");
        out.push_str("fix = { action = \"delete-line\", applicability = \"unsafe\" }\n");
        out.push_str(
            "docs = \"\"\"\nLines that occur in many documents of this corpus, found by `corpuslint learn`:\n\
             footers, share bars, newsletter boxes and other text a site repeats on every page.\n\"\"\"\n\n",
        );
        let _ = writeln!(
            out,
            "[[rule.examples]]\nbad = {}\nfixed = \"\"\n",
            toml_string(first)
        );
        out.push_str("[[rule.examples]]\ngood = \"A sentence that no page of the corpus repeats, written for this example.\"\n");
        Some(out)
    }
}

/// A literal for a verbose-mode (`(?x)`) regex: metacharacters, `#` and
/// spaces escaped, runs of whitespace matching any whitespace.
fn verbose_literal(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push_str(r"\s+");
        }
        for c in word.chars() {
            if regex_syntax::is_meta_character(c) || c == '#' || c.is_whitespace() {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{LoadOptions, RuleSet};

    #[test]
    fn recurring_lines_become_a_loadable_rule() {
        let opts = LearnOptions::default();
        let mut l = Learner::default();
        for i in 0..5 {
            l.add(&format!("Artikel {i} über etwas.\nTeilen auf Facebook\n© 2024 Verlag (c) #1  GmbH\nMehr: Politik\n"), &opts);
        }
        l.add("Ein anderer Text.\nTeilen auf Facebook\n", &opts);
        let lines = l.recurring(&opts);
        assert_eq!(lines[0], ("Teilen auf Facebook".to_string(), 6));
        assert!(lines.iter().all(|(line, _)| !line.starts_with("Artikel")));
        let file = l.rule_file(&opts).unwrap();
        let mut set = RuleSet::new();
        set.load_str(
            "learned.toml",
            &file,
            LoadOptions {
                builtin: false,
                verify_examples: true,
            },
        )
        .unwrap_or_else(|e| panic!("{}\n{file}", e[0]));
        let linter = crate::Linter::new(&set).unwrap();
        // Spacing may differ; a line that only contains a learned one does not match.
        let text = "Text.\n© 2024  Verlag (c) #1 GmbH\nTeilen auf Facebook!\n";
        let found = linter.check(text, None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].span.clone()], "© 2024  Verlag (c) #1 GmbH");
    }
}
