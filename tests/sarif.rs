//! CI output: `--format sarif` (validated against the official SARIF 2.1.0
//! schema in tests/data) and `--format github` (workflow commands), on
//! small German and English articles and a JSONL shard.

mod common;
use common::*;

use serde_json::Value;
use std::fs;
use std::path::Path;

/// A leftover tag after an umlaut (columns count characters, not bytes), a
/// boilerplate line, a join and an e-mail address.
const GERMAN: &str = "Die Bürgerinnen und Bürger wählen am Sonntag.\n\
Der Stadtrat hat die Änderungen beschlossen.< /p>\n\
Um dieses Video anzusehen, aktivieren Sie bitte JavaScript.\n\
Die Regeln sollen ab Januar eingesetzt werden Die Wirtschaft ist skeptisch.\n\
Kontakt: redaktion@example.de\n";

const ENGLISH: &str = "The council met on Tuesday night It agreed on a new budget for schools.\n";

fn shard() -> String {
    [
        serde_json::json!({"id": "doc-1", "text": "Ein sauberer Satz über die Stadt."}),
        serde_json::json!({"id": "doc-2", "text": "Erste Zeile.\nDer Rat tagte.< /p>"}),
        serde_json::json!({"text": "AT&amp;T was not involved."}),
    ]
    .iter()
    .map(|r| r.to_string() + "\n")
    .collect()
}

fn corpus() -> tempfile::TempDir {
    let shard = shard();
    scratch_text(&[
        ("corpus/de/bericht.txt", GERMAN),
        ("corpus/en/über uns.txt", ENGLISH),
        ("corpus/shard.jsonl", &shard),
    ])
}

fn sarif(dir: &Path, args: &[&str]) -> (Value, String) {
    let mut all = vec!["check", NOT_SHORT, "--format", "sarif"];
    all.extend(args);
    let out = corpuslint(dir, &all);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (value, text)
}

fn schema_errors(instance: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(instance: &Value) {
    let errors = schema_errors(instance);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

fn results(v: &Value) -> &Vec<Value> {
    v["runs"][0]["results"].as_array().unwrap()
}

/// The results of `rule` in `uri`.
fn find<'a>(v: &'a Value, rule: &str, uri: &str) -> Vec<&'a Value> {
    results(v)
        .iter()
        .filter(|r| {
            r["ruleId"] == rule
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
        })
        .collect()
}

fn region(r: &Value) -> &Value {
    &r["locations"][0]["physicalLocation"]["region"]
}

const DE: &str = "corpus/de/bericht.txt";

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["./corpus"]);
    assert_valid(&v);
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["columnKind"], "unicodeCodePoints");
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "corpuslint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(runs[0]["invocations"][0]["executionSuccessful"], true);
    // Every finding of the articles and the shard is there.
    assert_eq!(results(&v).len(), 7, "{v:#}");

    // The validator is not a rubber stamp: broken SARIF fails it.
    let mut bad = v.clone();
    bad["runs"][0]["results"][0]["level"] = "info".into();
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = v.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!schema_errors(&bad).is_empty());
}

#[test]
fn a_clean_run_is_valid_sarif_with_no_results() {
    let dir = scratch_text(&[("clean.txt", "Die Stadt baut eine neue Brücke.\n")]);
    let (v, _) = sarif(dir.path(), &["clean.txt"]);
    assert_valid(&v);
    assert_eq!(results(&v).len(), 0);
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

#[test]
fn regions_are_one_based_with_an_exclusive_end_in_code_points() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["./corpus"]);
    // `< /p>` after "Der Stadtrat hat die Änderungen beschlossen." (44
    // characters, 45 bytes): column 45, five characters long.
    let tag = find(&v, "html/leftover-tag", DE);
    assert_eq!(tag.len(), 1);
    assert_eq!(
        *region(tag[0]),
        serde_json::json!({"startLine": 2, "startColumn": 45, "endLine": 2, "endColumn": 50})
    );
    assert_eq!(tag[0]["level"], "error");
    assert_eq!(tag[0]["message"]["text"], "leftover HTML tag `< /p>`");

    let line = find(&v, "boilerplate/video-notice", DE);
    assert_eq!(
        *region(line[0]),
        serde_json::json!({"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 60})
    );
    let join = find(&v, "join/missing-full-stop", DE);
    assert_eq!(
        *region(join[0]),
        serde_json::json!({"startLine": 4, "startColumn": 40, "endLine": 4, "endColumn": 50})
    );
    assert_eq!(join[0]["level"], "warning");
    let email = find(&v, "pii/email", DE);
    assert_eq!(
        *region(email[0]),
        serde_json::json!({"startLine": 5, "startColumn": 10, "endLine": 5, "endColumn": 30})
    );
    assert_eq!(email[0]["level"], "note");
}

#[test]
fn uris_are_relative_without_dot_slash_and_percent_encoded() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["./corpus"]);
    let mut uris: Vec<&str> = results(&v)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    uris.dedup();
    assert_eq!(
        uris,
        [
            "corpus/de/bericht.txt",
            "corpus/en/%C3%BCber%20uns.txt",
            "corpus/shard.jsonl"
        ]
    );
    let en = find(
        &v,
        "join/missing-full-stop",
        "corpus/en/%C3%BCber%20uns.txt",
    );
    assert_eq!(
        *region(en[0]),
        serde_json::json!({"startLine": 1, "startColumn": 28, "endLine": 1, "endColumn": 36})
    );
}

#[test]
fn rules_that_fired_are_listed_once_with_their_metadata() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["./corpus"]);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "html/leftover-tag",
            "boilerplate/video-notice",
            "join/missing-full-stop",
            "pii/email",
            "html/entity"
        ],
        "each rule that fired, once, in the order it first fired"
    );
    for r in results(&v) {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let tag = &rules[0];
    assert_eq!(tag["shortDescription"]["text"], "leftover HTML tag");
    assert_eq!(tag["defaultConfiguration"]["level"], "error");
    assert_eq!(tag["properties"]["tags"], serde_json::json!(["html"]));
    assert!(
        tag["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("HTML-to-text conversion")
    );
    let help = tag["help"]["text"].as_str().unwrap();
    assert!(help.starts_with("help: remove the tag"), "{help}");
    assert!(help.contains("corpuslint explain html/leftover-tag"));
    assert_eq!(
        rules[2]["shortDescription"]["text"],
        "two sentences run together without a full stop"
    );
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[3]["defaultConfiguration"]["level"], "note");
    assert_eq!(rules[3]["shortDescription"]["text"], "e-mail address");
    assert_eq!(
        rules[4]["shortDescription"]["text"],
        "HTML entity in the text"
    );
    // No description keeps a template placeholder.
    for r in rules {
        assert!(!r.to_string().contains("{match}"), "{r}");
    }
}

#[test]
fn fixable_findings_carry_fixes_as_replacements() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["./corpus"]);
    let tag = find(&v, "html/leftover-tag", DE)[0];
    let fixes = tag["fixes"].as_array().unwrap();
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0]["properties"]["applicability"], "safe");
    assert_eq!(fixes[0]["description"]["text"], "remove `< /p>`");
    let change = &fixes[0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], DE);
    assert_eq!(
        change["replacements"],
        serde_json::json!([{
            "deletedRegion": {"startLine": 2, "startColumn": 45, "endLine": 2, "endColumn": 50},
            "insertedContent": {"text": ""}
        }])
    );
    // Deleting a boilerplate line takes the line break with it.
    let line = find(&v, "boilerplate/video-notice", DE)[0];
    assert_eq!(
        line["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"],
        serde_json::json!({"startLine": 3, "startColumn": 1, "endLine": 4, "endColumn": 1})
    );
    // An unsafe fix that inserts: an empty region before `Die`.
    let join = find(&v, "join/missing-full-stop", DE)[0];
    assert_eq!(join["fixes"][0]["properties"]["applicability"], "unsafe");
    assert_eq!(
        join["fixes"][0]["artifactChanges"][0]["replacements"],
        serde_json::json!([{
            "deletedRegion": {"startLine": 4, "startColumn": 46, "endLine": 4, "endColumn": 46},
            "insertedContent": {"text": "."}
        }])
    );
    // The e-mail rule has no fix.
    assert!(find(&v, "pii/email", DE)[0].get("fixes").is_none());
}

#[test]
fn jsonl_records_point_at_their_line_in_the_shard() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["./corpus"]);
    let tag = find(&v, "html/leftover-tag", "corpus/shard.jsonl");
    assert_eq!(tag.len(), 1);
    assert_eq!(*region(tag[0]), serde_json::json!({"startLine": 2}));
    assert_eq!(
        tag[0]["message"]["text"],
        "leftover HTML tag `< /p>` (id doc-2, text line 2, column 15)"
    );
    let props = &tag[0]["properties"];
    assert_eq!(props["record"], 2);
    assert_eq!(props["docId"], "doc-2");
    assert_eq!(
        (&props["textLine"], &props["textColumn"]),
        (&2.into(), &15.into())
    );
    assert_eq!(
        (&props["textEndLine"], &props["textEndColumn"]),
        (&2.into(), &20.into())
    );
    assert_eq!(props["fixApplicability"], "safe");
    // The fix replaces the record's line with the text field re-encoded.
    let record =
        serde_json::json!({"id": "doc-2", "text": "Erste Zeile.\nDer Rat tagte.< /p>"}).to_string();
    let fixed =
        serde_json::json!({"id": "doc-2", "text": "Erste Zeile.\nDer Rat tagte."}).to_string();
    assert_eq!(
        tag[0]["fixes"][0]["artifactChanges"][0]["replacements"],
        serde_json::json!([{
            "deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": record.chars().count() + 1},
            "insertedContent": {"text": fixed}
        }])
    );
    assert_eq!(tag[0]["fixes"][0]["properties"]["applicability"], "safe");

    let entity = find(&v, "html/entity", "corpus/shard.jsonl");
    assert_eq!(*region(entity[0]), serde_json::json!({"startLine": 3}));
    assert_eq!(
        entity[0]["message"]["text"],
        "HTML entity `&amp;` in the text (text line 1, column 3)"
    );
    assert!(entity[0]["properties"].get("docId").is_none());
}

#[test]
fn fingerprints_survive_a_line_added_above() {
    let dir = corpus();
    let (before, _) = sarif(dir.path(), &["corpus/de"]);
    fs::write(
        dir.path().join(DE),
        format!("Ein neuer erster Absatz ohne Befund.\n{GERMAN}"),
    )
    .unwrap();
    let (after, _) = sarif(dir.path(), &["corpus/de"]);
    assert_valid(&after);
    let (a, b) = (results(&before), results(&after));
    assert_eq!(a.len(), 4);
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a["ruleId"], b["ruleId"]);
        assert_eq!(
            region(b)["startLine"].as_u64(),
            region(a)["startLine"].as_u64().map(|l| l + 1),
            "the finding moved down a line"
        );
        let key = a["partialFingerprints"]["corpuslint/v1"].as_str().unwrap();
        assert_eq!(key.len(), 16);
        assert_eq!(b["partialFingerprints"]["corpuslint/v1"], key);
    }
    let keys: std::collections::HashSet<&Value> = a
        .iter()
        .map(|r| &r["partialFingerprints"]["corpuslint/v1"])
        .collect();
    assert_eq!(keys.len(), a.len(), "keys differ between findings");
}

#[test]
fn sarif_output_is_the_same_bytes_whatever_the_threads() {
    let dir = corpus();
    let (_, one) = sarif(dir.path(), &["-j", "1", "--chunk-bytes", "16", "./corpus"]);
    let (_, two) = sarif(dir.path(), &["-j", "2", "./corpus"]);
    let (_, again) = sarif(dir.path(), &["-j", "2", "./corpus"]);
    assert_eq!(one, two);
    assert_eq!(two, again);
}

#[test]
fn sarif_after_fix_reports_what_is_left_on_the_fixed_file() {
    let dir = corpus();
    let (v, _) = sarif(dir.path(), &["--fix", DE]);
    assert_valid(&v);
    let ids: Vec<&str> = results(&v)
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["join/missing-full-stop", "pii/email"]);
    // Two lines (the tag's line stays, the video notice goes): the join
    // moved up from line 4 to line 3.
    assert_eq!(region(&results(&v)[0])["startLine"], 3);
}

fn github(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "github"];
    all.extend(args);
    let out = corpuslint(dir, &all);
    assert!(matches!(out.status.code(), Some(0 | 1)));
    stdout(&out)
}

#[test]
fn github_prints_one_workflow_command_per_finding() {
    let dir = corpus();
    let out = github(dir.path(), &[NOT_SHORT, "./corpus"]);
    let expected = "\
::error file=corpus/de/bericht.txt,line=2,col=45,endLine=2,endColumn=50,title=html/leftover-tag::leftover HTML tag `< /p>`
::error file=corpus/de/bericht.txt,line=3,col=1,endLine=3,endColumn=60,title=boilerplate/video-notice::video player / JavaScript notice
::warning file=corpus/de/bericht.txt,line=4,col=40,endLine=4,endColumn=50,title=join/missing-full-stop::two sentences run together without a full stop: `werden Die`
::warning file=corpus/en/über uns.txt,line=1,col=28,endLine=1,endColumn=36,title=join/missing-full-stop::two sentences run together without a full stop: `night It`
::error file=corpus/shard.jsonl,line=2,title=html/leftover-tag::leftover HTML tag `< /p>` (id doc-2, text line 2, column 15)
::error file=corpus/shard.jsonl,line=3,title=html/entity::HTML entity `&amp;` in the text (text line 1, column 3)
::notice file=corpus/de/bericht.txt,line=5,col=10,endLine=5,endColumn=30,title=pii/email::e-mail address `redaktion@example.de`
";
    assert_eq!(out, expected);
    assert_eq!(
        github(dir.path(), &[NOT_SHORT, "-j", "1", "./corpus"]),
        expected
    );
}

/// A rule folder with one error rule whose message needs escaping, and
/// one info rule.
fn zap_rules() -> [(&'static str, &'static str); 1] {
    [(
        "rules/zap.toml",
        r#"[[rule]]
id = "html/zap"
severity = "error"
kind = "pattern"
pattern = 'ZAP\d+'
message = "100% zap: `{match}`\nsee the log, then fix"
help = "remove it"
languages = ["*"]
docs = "A test rule."

[[rule]]
id = "html/note"
severity = "info"
kind = "pattern"
pattern = 'NOTE\d+'
message = "note `{match}`"
docs = "A test rule."
"#,
    )]
}

#[test]
fn github_escapes_messages_and_properties_as_the_toolkit_does() {
    let [rules] = zap_rules();
    let dir = scratch_text(&[rules, ("a,b:c%d.txt", "x ZAP1 y\n")]);
    let out = github(
        dir.path(),
        &["--no-default-rules", "--rules", "rules", "a,b:c%d.txt"],
    );
    assert_eq!(
        out,
        "::error file=a%2Cb%3Ac%25d.txt,line=1,col=3,endLine=1,endColumn=7,title=html/zap::\
         100%25 zap: `ZAP1`%0Asee the log, then fix\n"
    );
}

#[test]
fn github_shows_ten_annotations_per_kind_and_says_how_many_more() {
    let [rules] = zap_rules();
    let errors: String = (1..=13).map(|i| format!("Zeile ZAP{i}\n")).collect();
    let dir = scratch_text(&[rules, ("many.txt", &errors)]);
    let out = github(
        dir.path(),
        &["--no-default-rules", "--rules", "rules", "many.txt"],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 11, "{out}");
    for (i, line) in lines[..10].iter().enumerate() {
        assert!(
            line.starts_with(&format!("::error file=many.txt,line={},col=7,", i + 1)),
            "{line}"
        );
    }
    assert_eq!(
        lines[10],
        "::notice::corpuslint: 3 more errors not shown as annotations (GitHub shows 10 per \
         kind); run corpuslint locally or use --format concise to see every finding"
    );

    // Errors and info findings both cut: the closing notices count against
    // the ten notices, so they are never the ones GitHub drops.
    let mixed: String = (1..=12)
        .map(|i| format!("Zeile ZAP{i} und NOTE{i}\n"))
        .collect();
    let dir = scratch_text(&[rules, ("mixed.txt", &mixed)]);
    let out = github(
        dir.path(),
        &["--no-default-rules", "--rules", "rules", "mixed.txt"],
    );
    let count = |prefix: &str| out.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("::error "), 10, "{out}");
    assert_eq!(count("::notice file="), 8, "{out}");
    assert_eq!(count("::notice::"), 2, "{out}");
    assert!(out.contains("::notice::corpuslint: 2 more errors not shown"));
    assert!(out.contains("::notice::corpuslint: 4 more infos not shown"));
    assert!(out.ends_with("see every finding\n"));

    // Ten of a kind fit: nothing is cut, nothing is said.
    let ten: String = (1..=10).map(|i| format!("ZAP{i}\n")).collect();
    let dir = scratch_text(&[rules, ("ten.txt", &ten)]);
    let out = github(
        dir.path(),
        &["--no-default-rules", "--rules", "rules", "ten.txt"],
    );
    assert_eq!(out.lines().count(), 10);
    assert!(!out.contains("::notice::"));
}

#[test]
fn github_points_at_the_record_line_of_a_shard() {
    let [rules] = zap_rules();
    let shard: String = [
        serde_json::json!({"id": "a", "text": "sauber"}),
        serde_json::json!({"id": "b", "text": "sauber"}),
        serde_json::json!({"id": "c", "text": "eins\nzwei ZAP7"}),
        serde_json::json!({"id": 4, "text": "NOTE1"}),
    ]
    .iter()
    .map(|r| r.to_string() + "\n")
    .collect();
    let dir = scratch_text(&[rules, ("shard.jsonl", &shard)]);
    let out = github(
        dir.path(),
        &["--no-default-rules", "--rules", "rules", "shard.jsonl"],
    );
    assert_eq!(
        out,
        "::error file=shard.jsonl,line=3,title=html/zap::100%25 zap: `ZAP7`%0Asee the log, \
         then fix (id c, text line 2, column 6)\n\
         ::notice file=shard.jsonl,line=4,title=html/note::note `NOTE1` (id 4, text line 1, column 1)\n"
    );
}
