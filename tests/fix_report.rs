//! What `--fix` reports against what it changes: every byte fixing changes
//! lies inside an edit of a finding the run reports as fixed, fixing twice
//! changes nothing, and what is left equals a fresh check of the result.

mod common;

use common::*;
use std::fs;
use std::ops::Range;
use std::path::Path;

fn only_ranges_changed(before: &str, after: &str, changed: &[Range<usize>]) -> Result<(), String> {
    match corpuslint::properties::changed_outside(before, after, changed) {
        None => Ok(()),
        Some(k) => Err(format!(
            "bytes {}..{} ({:?}) changed, but no reported fix covers them",
            k.start,
            k.end,
            &before[k.clone()]
        )),
    }
}

fn articles() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/ui", "examples/corpus"] {
        let mut paths: Vec<_> = fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            out.push((p.display().to_string(), fs::read_to_string(&p).unwrap()));
        }
    }
    // Cases found by probing: a blank line left beside a deleted line, a
    // line that holds only invisible characters, fixes that only a later
    // pass finds.
    for (name, text) in [
        (
            "blank beside a deletion",
            "Erster Absatz mit Text.\n\nNewsletter abonnieren\n\n\nZweiter Absatz mit Text.\n",
        ),
        ("invisible line", "Satz eins.\n\u{AD}\u{200B}\nSatz zwei.\n"),
        (
            "space left before a comma",
            "Er sagte <b>, dann ging er.\n\nAnzeige\n\n\nEnde des Textes.\n",
        ),
        (
            "later pass",
            "Die Stadt&amp;amp;nbsp;plant< /p>< /p> neue Wege.\n<p>\nAnzeige\n",
        ),
    ] {
        out.push((name.to_string(), text.to_string()));
    }
    out
}

/// `corpuslint::properties::fixer` (the fuzz target's check) on every
/// article: safe and unsafe, every changed byte in a reported fix, fixing
/// twice changes nothing, the findings left equal a fresh check.
#[test]
fn every_changed_byte_lies_in_a_reported_fix() {
    for (name, text) in articles() {
        if let Err(panic) =
            std::panic::catch_unwind(|| corpuslint::properties::fixer(text.as_bytes()))
        {
            let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
            panic!("{name}: {message}");
        }
    }
}

#[test]
fn json_lists_the_applied_fixes_marked_fixed() {
    let text = "Die Regierung hat neue Regeln vorgestellt.< /p>\nNewsletter abonnieren\n\n\nLetzter Satz.\n";
    let dir = scratch_text(&[("a.txt", text)]);
    let out = corpuslint(
        dir.path(),
        &["check", NOT_SHORT, "--fix", "--format", "json", "a.txt"],
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let fixed: Vec<&serde_json::Value> = findings.iter().filter(|f| f["fixed"] == true).collect();
    assert!(fixed.len() >= 2, "{findings:#?}");
    let after = fs::read_to_string(dir.path().join("a.txt")).unwrap();
    let edits: Vec<Range<usize>> = fixed
        .iter()
        .flat_map(|f| f["fix"]["edits"].as_array().unwrap())
        .map(|e| {
            e["byte_start"].as_u64().unwrap() as usize..e["byte_end"].as_u64().unwrap() as usize
        })
        .collect();
    only_ranges_changed(text, &after, &edits).unwrap();
    // Findings that remain carry no `fixed` key at all.
    assert!(
        findings
            .iter()
            .all(|f| f["fixed"] == true || f.get("fixed").is_none())
    );
}

#[test]
fn a_fix_that_never_settles_is_named_and_left_out() {
    let rules = r#"
[[rule]]
id = "html/normal"
severity = "error"
kind = "pattern"
pattern = 'Normal'
message = "the word Normal"
fix = { action = "replace", with = "Normal Normal", applicability = "safe" }
"#;
    let dir = scratch_text(&[
        ("rules/normal.toml", rules),
        ("a.txt", "Ein Normal Text.< /p>\n"),
    ]);
    let out = corpuslint(dir.path(), &["check", "--fix", "--rules", "rules", "a.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out)
            .contains("error: a.txt: the fixes of `html/normal` did not settle after 10 passes"),
        "{}",
        stderr(&out)
    );
    // The other fixes still apply; the text does not grow.
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "Ein Normal Text.\n"
    );
}
