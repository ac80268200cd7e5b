//! Every input that ever broke a fuzz target, run through the same
//! property check (`corpuslint::properties`): `tests/fuzz_regressions/
//! <target>/<file>`. scripts/fuzz.sh says how a new crash gets here.

use std::fs;
use std::path::Path;

fn run(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut inputs: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    for input in &inputs {
        let data = fs::read(input).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{}: {message}", input.display());
        }
    }
    inputs.len()
}

#[test]
fn engine() {
    assert!(run("engine", corpuslint::properties::engine) > 0);
}

#[test]
fn fixer() {
    assert!(run("fixer", corpuslint::properties::fixer) > 0);
}

#[test]
fn rule_file() {
    assert!(run("rule_file", corpuslint::properties::rule_file) > 0);
}

#[test]
fn jsonl_reencode() {
    assert!(run("jsonl_reencode", corpuslint::properties::jsonl_reencode) > 0);
}
