//! The published JSON Schemas describe the files corpuslint accepts: every
//! built-in rule file and the `init` starter configuration validate against
//! them, and the mistakes the loader rejects (an unknown key, a missing
//! `pattern`, an unknown check) are flagged by the schema too.

use corpuslint::json_schema::Published;
use jsonschema::Validator;
use serde_json::Value;

fn validator(schema: Published) -> Validator {
    let value = serde_json::to_value(schema.schema()).unwrap();
    jsonschema::meta::validate(&value)
        .unwrap_or_else(|e| panic!("{} is not a valid JSON Schema: {e}", schema.path()));
    jsonschema::validator_for(&value).unwrap_or_else(|e| panic!("{}: {e}", schema.path()))
}

/// A TOML document as the JSON an editor validates against the schema.
fn toml_as_json(source: &str) -> Value {
    let table: toml::Table = toml::from_str(source).unwrap_or_else(|e| panic!("TOML: {e}"));
    serde_json::to_value(table).unwrap()
}

fn errors(validator: &Validator, source: &str) -> Vec<String> {
    let instance = toml_as_json(source);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_builtin_rule_file_validates() {
    let v = validator(Published::RuleFile);
    assert!(!corpuslint::rules::BUILTIN_RULES.is_empty());
    let mut failures = Vec::new();
    for (path, source) in corpuslint::rules::BUILTIN_RULES {
        for e in errors(&v, source) {
            failures.push(format!("{path}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_starter_config_validates() {
    let v = validator(Published::Config);
    assert_eq!(
        errors(&v, corpuslint::config::STARTER),
        Vec::<String>::new()
    );
    // And with every commented-out key switched on.
    let uncommented: String = corpuslint::config::STARTER
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest.starts_with(['"', '[']) => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(uncommented.contains("\nselect = "), "{uncommented}");
    assert_eq!(errors(&v, &uncommented), Vec::<String>::new());
}

const RULE: &str = r#"
[[rule]]
id = "html/x"
severity = "error"
kind = "pattern"
pattern = "ab"
message = "m"
"#;

#[test]
fn rule_file_mistakes_are_flagged() {
    let v = validator(Published::RuleFile);
    assert_eq!(errors(&v, RULE), Vec::<String>::new());
    let bad = [
        ("unknown key", format!("{RULE}colour = 1\n")),
        ("unknown top-level key", format!("title = \"x\"\n{RULE}")),
        ("bad id", RULE.replace("html/x", "style/x")),
        ("bad severity", RULE.replace("\"error\"", "\"fatal\"")),
        (
            "pattern rule without pattern",
            RULE.replace("pattern = \"ab\"\n", ""),
        ),
        (
            "phrases in a pattern rule",
            format!("{RULE}phrases = [\"a\"]\n"),
        ),
        (
            "unknown check",
            RULE.replace("kind = \"pattern\"", "kind = \"builtin\"")
                .replace("pattern = \"ab\"", "check = \"nope\""),
        ),
        (
            "options outside a builtin rule",
            format!("{RULE}[rule.options]\nx = 1\n"),
        ),
        ("empty file", String::new()),
        (
            "bad fix action",
            format!("{RULE}fix = {{ action = \"remove\" }}\n"),
        ),
        (
            "example with neither bad nor good",
            format!("{RULE}[[rule.examples]]\nfixed = \"x\"\n"),
        ),
        (
            "fixed without bad",
            format!("{RULE}[[rule.examples]]\ngood = \"x\"\nfixed = \"y\"\n"),
        ),
        ("bad language", format!("{RULE}languages = [\"german\"]\n")),
    ];
    for (what, source) in bad {
        assert!(
            !errors(&v, &source).is_empty(),
            "{what} validates:\n{source}"
        );
    }
    // Every one of them is an error for the loader too.
    for (what, source) in [
        ("unknown key", format!("{RULE}colour = 1\n")),
        (
            "pattern rule without pattern",
            RULE.replace("pattern = \"ab\"\n", ""),
        ),
    ] {
        let mut set = corpuslint::RuleSet::new();
        let opts = corpuslint::rules::LoadOptions {
            builtin: false,
            verify_examples: true,
        };
        assert!(set.load_str("r.toml", &source, opts).is_err(), "{what}");
    }
}

#[test]
fn config_mistakes_are_flagged() {
    let v = validator(Published::Config);
    for (what, source) in [
        ("unknown key", "colour = 1\n"),
        ("snake case", "fail_on = \"error\"\n"),
        ("bad fail-on", "fail-on = \"sometimes\"\n"),
        ("bad severity", "[severity]\n\"html/entity\" = \"fatal\"\n"),
        ("bad field path", "text-field = \"meta..body\"\n"),
        ("select not a list", "select = \"html/\"\n"),
    ] {
        assert!(!errors(&v, source).is_empty(), "{what} validates: {source}");
    }
    let good = "rules = [\"r\"]\nselect = [\"html/\"]\nfail-on = \"error\"\nlang = \"de\"\n\
                text-field = \"meta.body\"\n[severity]\n\"html/entity\" = \"info\"\n\
                [per-path-ignores]\n\"archive/**\" = [\"join/\"]\n";
    assert_eq!(errors(&v, good), Vec::<String>::new());
}

#[test]
fn no_null_in_a_toml_schema() {
    for schema in Published::ALL {
        assert!(!schema.text().contains("null"), "{}", schema.path());
    }
}
