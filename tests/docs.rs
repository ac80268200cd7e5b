//! Generated documentation stays in step with its sources: each checked-in
//! file is regenerated in memory and compared, and a stale one fails with
//! the command that regenerates it.

use corpuslint::json_schema::Published;
use corpuslint::rules::{RuleSet, doc};
use std::path::PathBuf;

fn checked_in(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .replace("\r\n", "\n")
}

/// Fails with the first differing line and the command that fixes it.
fn assert_fresh(rel: &str, generated: &str, regenerate: &str) {
    let current = checked_in(rel);
    if current == generated {
        return;
    }
    let line = current
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| current.lines().count().min(generated.lines().count()));
    panic!(
        "{rel} is stale (first difference at line {}).\n\
         Regenerate it from the repository root with:\n\n    {regenerate}\n\n\
         then review the diff and commit it.",
        line + 1
    );
}

#[test]
fn rules_reference_is_fresh() {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("built-in rules: {}", e[0]));
    assert_fresh("docs/rules.md", &doc::markdown(&set), doc::REGENERATE);
}

#[test]
fn json_schemas_are_fresh() {
    for schema in Published::ALL {
        assert_fresh(schema.path(), &schema.text(), &schema.regenerate());
    }
}

fn run(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corpuslint"))
        .args(args)
        .output()
        .expect("run corpuslint");
    assert!(out.status.success(), "corpuslint {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The commands named in the failure messages print what the tests expect.
#[test]
fn the_regenerate_commands_print_the_same() {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("built-in rules: {}", e[0]));
    assert_eq!(run(&["rules", "--format", "markdown"]), doc::markdown(&set));
    assert!(doc::REGENERATE.contains("-- rules --format markdown > docs/rules.md"));
    for schema in Published::ALL {
        assert_eq!(run(&["schema", schema.argument()]), schema.text());
        assert!(schema.regenerate().ends_with(&format!(
            "-- schema {} > {}",
            schema.argument(),
            schema.path()
        )));
    }
}

/// Every flag that docs/ci.md and the pre-commit hooks pass to
/// `corpuslint check` is one that `corpuslint check --help` lists.
#[test]
fn ci_docs_use_existing_check_flags() {
    let help = run(&["check", "--help"]);
    let mut missing = Vec::new();
    for rel in ["docs/ci.md", ".pre-commit-hooks.yaml", "README.md"] {
        for line in checked_in(rel).lines() {
            let Some((_, args)) = line.split_once("corpuslint check") else {
                continue;
            };
            for word in args.split(|c: char| c.is_whitespace() || c == '`' || c == '"') {
                let flag = word.trim_end_matches([',', ')', ';', ':', '.']);
                let is_flag = flag.starts_with("--")
                    && flag.len() > 2
                    && flag[2..]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-');
                if is_flag
                    && !help.contains(&format!("{flag} "))
                    && !help.contains(&format!("{flag}\n"))
                {
                    missing.push(format!("{rel}: {flag} in `{}`", line.trim()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "unknown check flags:\n{}",
        missing.join("\n")
    );
}
