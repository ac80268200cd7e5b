//! The built-in rules, as data: every example of every rule holds, and the
//! conventions that keep the rule packs consistent.

use corpuslint::rules::{self, CATEGORIES, RuleSet};
use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

fn builtin() -> RuleSet {
    RuleSet::builtin().unwrap_or_else(|e| panic!("built-in rules do not load: {}", e[0]))
}

#[test]
fn every_example_holds() {
    let set = builtin();
    let mut failures = Vec::new();
    for entry in set.entries() {
        for f in rules::run_examples(entry) {
            failures.push(format!(
                "{} ({}): {}",
                entry.rule.id, entry.rule.origin.path, f.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_bad_and_a_good_example_and_docs() {
    for rule in builtin().rules() {
        assert!(
            rule.examples.iter().any(|e| e.bad.is_some()),
            "{} has no `bad` example",
            rule.id
        );
        assert!(
            rule.examples.iter().any(|e| e.good.is_some()),
            "{} has no `good` example",
            rule.id
        );
        assert!(!rule.docs.is_empty(), "{} has no docs", rule.id);
        assert!(rule.help.is_some(), "{} has no help", rule.id);
    }
}

#[test]
fn fixable_rules_show_the_fixed_text() {
    for rule in builtin().rules().filter(|r| r.fix.is_some()) {
        assert!(
            rule.examples.iter().any(|e| e.fixed.is_some()),
            "{} has a fix but no `fixed` example",
            rule.id
        );
    }
}

#[test]
fn one_rule_per_file_named_after_it() {
    for rule in builtin().rules() {
        let expected = format!("rules/{}.toml", rule.id);
        assert_eq!(
            rule.origin.path, expected,
            "rule {} lives in the wrong file",
            rule.id
        );
    }
}

#[test]
fn messages_are_lower_case_without_full_stop() {
    for rule in builtin().rules() {
        // Acronyms (`HTML`, `C1`) may open a message; capitalised words may not.
        let mut chars = rule.message.chars();
        let (first, second) = (chars.next().unwrap(), chars.next().unwrap_or(' '));
        assert!(
            !(first.is_uppercase() && second.is_lowercase()),
            "{}: message starts with a capital: {}",
            rule.id,
            rule.message
        );
        assert!(
            !rule.message.ends_with('.'),
            "{}: message ends with a full stop",
            rule.id
        );
        if let Some(help) = &rule.help {
            assert!(
                !help.ends_with('.'),
                "{}: help ends with a full stop",
                rule.id
            );
        }
    }
}

#[test]
fn every_category_folder_is_known_and_ids_are_unique() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            CATEGORIES.contains(&name.as_str()),
            "rules/{name} is not a category"
        );
    }
    let set = builtin();
    let ids: HashSet<_> = set.rules().map(|r| r.id.clone()).collect();
    assert_eq!(ids.len(), set.len());
}

#[test]
fn every_rule_compiles_into_a_linter_alone_and_all_together() {
    let set = builtin();
    for entry in set.entries() {
        if let Err(e) = corpuslint::Linter::try_from_entries(std::slice::from_ref(entry)) {
            panic!("{}: {e}", entry.rule.id);
        }
    }
    corpuslint::Linter::new(&set).expect("the whole built-in set compiles");
}
