//! `corpuslint explain RULE`: a rule's documentation with its examples.

use super::rules::fix_summary;
use super::{RuleSource, load_rules, print_rule_errors};
use corpuslint::rules;
use corpuslint::text::preview;
use std::io::{self, Write};

pub(crate) fn explain(id: &str, source: &RuleSource) -> io::Result<u8> {
    let set = match load_rules(source, false) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let Some(entry) = set.get(id) else {
        let near: Vec<&str> = set
            .rules()
            .map(|r| &*r.id)
            .filter(|r| r.starts_with(id.split('/').next().unwrap_or(id)))
            .collect();
        eprintln!(
            "error: no rule `{id}`{}",
            if near.is_empty() {
                " (see `corpuslint rules`)".to_string()
            } else {
                format!("; rules of that category: {}", near.join(", "))
            }
        );
        return Ok(2);
    };
    let r = &entry.rule;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} ({}, {} rule{})",
        r.id,
        r.severity,
        r.kind.as_str(),
        r.check
            .as_ref()
            .map(|c| format!(" `{c}`"))
            .unwrap_or_default()
    )?;
    writeln!(out, "defined in {}:{}", r.origin.path, r.origin.line)?;
    writeln!(out, "languages: {}", r.languages.join(", "))?;
    writeln!(out, "fix: {}", fix_summary(r))?;
    if r.opt_in {
        writeln!(
            out,
            "opt-in: runs only when selected (--select ALL, its category or its id)"
        )?;
    }
    if !r.yields_to.is_empty() {
        writeln!(
            out,
            "yields to: {} (silent on a line one of them reports)",
            r.yields_to.join(", ")
        )?;
    }
    if r.may_be_heading {
        writeln!(
            out,
            "may be a heading: a line between two paragraphs of prose is left alone"
        )?;
    }
    if r.unless_over_verse {
        writeln!(
            out,
            "unless over verse: a line right above a poem or a song's verse credits it and is left alone"
        )?;
    }
    if let Some(beside) = &r.unless_beside {
        writeln!(
            out,
            "unless beside: {beside} (a line whose block holds this elsewhere is left alone)"
        )?;
    }
    if !r.options.is_empty() {
        writeln!(out, "options: {}", rules::doc::options_line(r))?;
    }
    writeln!(out)?;
    writeln!(out, "message: {}", r.message)?;
    if let Some(help) = &r.help {
        writeln!(out, "help: {help}")?;
    }
    if !r.docs.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", r.docs)?;
    }
    if !r.examples.is_empty() {
        writeln!(out)?;
        writeln!(out, "Examples:")?;
        for ex in &r.examples {
            for doc in &ex.corpus {
                writeln!(out, "  corpus: {}", preview(doc, 200))?;
            }
            if let Some(bad) = &ex.bad {
                writeln!(out, "  bad:   {}", preview(bad, 200))?;
            }
            if let Some(fixed) = &ex.fixed {
                writeln!(out, "  fixed: {}", preview(fixed, 200))?;
            }
            if let Some(good) = &ex.good {
                writeln!(out, "  good:  {}", preview(good, 200))?;
            }
        }
    }
    Ok(0)
}
