//! `corpuslint rules`, `test-rules` and `schema`: the rules loaded, their
//! examples run, and the JSON Schemas of the files a user writes.

use super::args::{ListFormat, RulesArgs, SchemaFile};
use super::{RuleSource, load_rules, print_rule_errors};
use corpuslint::json_schema::Published;
use corpuslint::report;
use corpuslint::rules;
use std::io::{self, Write};
use std::path::PathBuf;

pub(crate) fn fix_summary(rule: &rules::Rule) -> String {
    match &rule.fix {
        Some(f) => format!("{} ({})", f.action.as_str(), f.applicability.as_str()),
        None => "-".into(),
    }
}

pub(crate) fn list_rules(args: RulesArgs) -> io::Result<u8> {
    let set = match load_rules(&args.rules, false) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let mut out = io::stdout().lock();
    if args.export_patterns {
        for entry in set.entries() {
            for pattern in corpuslint::checks::export_patterns(&entry.rule, entry.check.as_deref())
            {
                writeln!(out, "{pattern}")?;
            }
        }
        return Ok(0);
    }
    match args.format {
        ListFormat::Markdown => out.write_all(rules::doc::markdown(&set).as_bytes())?,
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = set
                .rules()
                .map(|r| {
                    serde_json::json!({
                        "id": &*r.id,
                        "severity": r.severity.as_str(),
                        "kind": r.kind.as_str(),
                        "check": r.check,
                        "fix": r.fix.as_ref().map(|f| serde_json::json!({
                            "action": f.action.as_str(),
                            "applicability": f.applicability.as_str(),
                        })),
                        "languages": r.languages,
                        "message": r.message,
                        "help": r.help,
                        "source": format!("{}:{}", r.origin.path, r.origin.line),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let width = set.rules().map(|r| r.id.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:width$}  {:8}  {:8}  {:21}  {:9}  source",
                "rule", "severity", "kind", "fix", "languages"
            )?;
            for r in set.rules() {
                writeln!(
                    out,
                    "{:width$}  {:8}  {:8}  {:21}  {:9}  {}:{}",
                    r.id,
                    r.severity.as_str(),
                    r.kind.as_str(),
                    fix_summary(r),
                    r.languages.join(","),
                    r.origin.path,
                    r.origin.line
                )?;
            }
            writeln!(out, "{}", report::plural(set.len(), "rule"))?;
        }
    }
    Ok(0)
}

pub(crate) fn test_rules(dirs: &[PathBuf]) -> io::Result<u8> {
    let source = RuleSource {
        dirs: dirs.to_vec(),
        no_default_rules: false,
    };
    let set = match load_rules(&source, false) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let mut out = io::stdout().lock();
    let (mut rules_n, mut examples, mut failed) = (0, 0, 0);
    for entry in set.entries() {
        if entry.rule.origin.builtin != dirs.is_empty() {
            continue;
        }
        rules_n += 1;
        examples += entry.rule.examples.len();
        let failures = rules::run_examples(entry);
        if failures.is_empty() {
            writeln!(
                out,
                "ok    {} ({})",
                entry.rule.id,
                report::plural(entry.rule.examples.len(), "example")
            )?;
        }
        for f in &failures {
            failed += 1;
            writeln!(
                out,
                "FAIL  {} ({}): {}",
                entry.rule.id, entry.rule.origin.path, f.message
            )?;
        }
    }
    writeln!(
        out,
        "{} with {}: {} failed",
        report::plural(rules_n, "rule"),
        report::plural(examples, "example"),
        failed
    )?;
    Ok(u8::from(failed > 0))
}

pub(crate) fn print_schema(file: SchemaFile) -> io::Result<u8> {
    let schema = match file {
        SchemaFile::Rules => Published::RuleFile,
        SchemaFile::Config => Published::Config,
    };
    io::stdout().lock().write_all(schema.text().as_bytes())?;
    Ok(0)
}
