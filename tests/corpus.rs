//! `repeat/cross-document`: the corpus pass that counts lines across all
//! inputs before the run, and the findings it leads to — the same for any
//! thread count, for articles and JSONL records, without standard input.

mod common;
use common::*;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

const FOOTER: &str = "Alle Rechte vorbehalten – Beispielverlag GmbH, Musterstadt";
/// In three documents only: below `min_documents`.
const RARE: &str = "Diese Zeile steht in genau drei Dokumenten";
/// In every document, but too short to count.
const SHORT: &str = "Teilen auf Facebook";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Five articles and a gzipped shard of three records; the footer is in
/// four articles and two records, the first time on line 3 of `a/01.txt`.
fn corpus() -> tempfile::TempDir {
    let article = |n: usize, extra: &str| {
        format!("Artikel Nummer {n} handelt von etwas ganz anderem.\n{SHORT}\n{extra}")
    };
    let shard = [
        serde_json::json!({"id": "r1", "text": format!("Ein Datensatz ohne Fußzeile.\n{SHORT}")}),
        serde_json::json!({"id": "r2", "text": format!("Zweiter Datensatz.\n\n{FOOTER}\n")}),
        serde_json::json!({"id": "r3", "text": format!("Dritter Datensatz.\n  {FOOTER}  \n{RARE}")}),
    ]
    .iter()
    .map(|r| format!("{r}\n"))
    .collect::<String>();
    let files: Vec<(String, Vec<u8>)> = vec![
        (
            "a/01.txt".into(),
            article(1, &format!("{FOOTER}\n{RARE}\n")).into_bytes(),
        ),
        (
            "a/02.txt".into(),
            article(2, &format!("{RARE}\n{FOOTER}\n")).into_bytes(),
        ),
        ("a/03.txt".into(), article(3, "Kein Fuß.\n").into_bytes()),
        (
            "b/04.txt".into(),
            article(4, &format!("{FOOTER}\n")).into_bytes(),
        ),
        (
            "b/05.txt".into(),
            article(5, &format!("Mitte.\n{FOOTER}")).into_bytes(),
        ),
        ("c/shard.jsonl.gz".into(), gzip(shard.as_bytes())),
    ];
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    scratch(&refs)
}

const SELECT: [&str; 2] = ["--select", "repeat/cross-document"];

#[test]
fn a_line_in_many_documents_is_reported_with_its_count_and_first_place() {
    let dir = corpus();
    let out = corpuslint(
        dir.path(),
        &["check", SELECT[0], SELECT[1], "--format", "concise", "."],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "a/01.txt:3:1: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen here)\n\
         a/02.txt:4:1: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen in a/01.txt:3)\n\
         b/04.txt:3:1: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen in a/01.txt:3)\n\
         b/05.txt:4:1: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen in a/01.txt:3)\n\
         c/shard.jsonl.gz#2:3:1: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen in a/01.txt:3)\n\
         c/shard.jsonl.gz#3:2:3: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen in a/01.txt:3)\n\
         0 errors, 6 warnings in 8 documents (6 files); 0 fixable with --fix (6 more with --fix --unsafe-fixes)\n"
    );
}

#[test]
fn the_first_place_is_the_same_for_any_thread_count_and_chunk_size() {
    let dir = corpus();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--select", "ALL", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(".");
        let out = corpuslint(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        out.stdout
    };
    let one = run(&["-j", "1"]);
    assert!(String::from_utf8_lossy(&one).contains("first seen in a/01.txt:3"));
    assert_eq!(one, run(&["-j", "2"]));
    assert_eq!(one, run(&["-j", "2", "--chunk-bytes", "1"]));
    assert_eq!(one, run(&["-j", "8", "--chunk-bytes", "100"]));
    let human =
        |jobs: &str| corpuslint(dir.path(), &["check", "--select", "ALL", "-j", jobs, "."]).stdout;
    assert_eq!(human("1"), human("2"));
}

#[test]
fn standard_input_is_left_out_of_the_count_and_the_rule() {
    let dir = corpus();
    let stdin_run = |args: &[&str]| {
        let mut child = Command::new(BIN)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let text = format!("Von der Standardeingabe.\n{FOOTER}\n");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    // Standard input with files: the files are counted and checked as
    // without it, standard input is checked by the other rules only.
    let out = stdin_run(&["check", "--select", "ALL", "--format", "concise", "-", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        !text.contains("-:2:1: warning[repeat/cross-document]"),
        "{text}"
    );
    assert!(
        text.contains("a/02.txt:4:1: warning[repeat/cross-document] this line occurs in 6 of 8 documents (first seen in a/01.txt:3)"),
        "{text}"
    );
    // Standard input alone: no corpus pass, no finding, no error.
    let out = stdin_run(&["check", SELECT[0], SELECT[1], "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "no findings in 1 file\n");
}

#[test]
fn unsafe_fixes_delete_the_line_everywhere() {
    let dir = corpus();
    let out = corpuslint(
        dir.path(),
        &[
            "check",
            SELECT[0],
            SELECT[1],
            "--fix",
            "--unsafe-fixes",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for name in ["a/01.txt", "a/02.txt", "b/04.txt", "b/05.txt"] {
        let text = fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(!text.contains(FOOTER), "{name}: {text}");
        assert!(text.contains(SHORT), "{name}: {text}");
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("a/01.txt")).unwrap(),
        format!("Artikel Nummer 1 handelt von etwas ganz anderem.\n{SHORT}\n{RARE}\n")
    );
    // Once gone, the line recurs nowhere: fixing again changes nothing.
    let again = corpuslint(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "concise",
            SELECT[0],
            SELECT[1],
            ".",
        ],
    );
    assert_eq!(
        stdout(&again),
        "fixed 0 findings in 0 documents; no findings in 8 documents (6 files)\n"
    );
}

#[test]
fn thresholds_come_from_the_rule_options_and_the_configuration() {
    let dir = corpus();
    // Six documents of eight hold the footer: seven are too many.
    fs::write(
        dir.path().join("corpuslint.toml"),
        "[options.\"repeat/cross-document\"]\nmin_documents = 7\n",
    )
    .unwrap();
    let out = corpuslint(dir.path(), &["check", SELECT[0], SELECT[1], "."]);
    assert_eq!(stdout(&out), "no findings in 8 documents (6 files)\n");
    // Three documents are enough for the rare line.
    fs::write(
        dir.path().join("corpuslint.toml"),
        "[options.\"repeat/cross-document\"]\nmin_documents = 3\n",
    )
    .unwrap();
    let out = corpuslint(
        dir.path(),
        &["check", SELECT[0], SELECT[1], "--format", "concise", "."],
    );
    assert!(
        stdout(&out).contains("a/02.txt:3:1: warning[repeat/cross-document] this line occurs in 3 of 8 documents (first seen in a/01.txt:4)"),
        "{}",
        stdout(&out)
    );
    // A bad option is an error that points into the file.
    let err = config_error(
        dir.path(),
        "fail-on = \"error\"\n\n[options.\"repeat/cross-document\"]\nmin_document = 3\n",
    );
    assert!(
        err.contains("corpuslint.toml:3:1: options of `repeat/cross-document`: bad `options`: unknown field `min_document`"),
        "{err}"
    );
    // So is a rule that does not exist, or one without options.
    let err = config_error(
        dir.path(),
        "[options.\"repeat/cross\"]\nmin_documents = 3\n[options.\"boilerplate/cookie-notice\"]\nx = 1\n",
    );
    assert!(
        err.contains("corpuslint.toml:1:10: `repeat/cross` in `options` is not a rule id"),
        "{err}"
    );
    assert!(
        err.contains(
            "`boilerplate/cookie-notice` is a `phrases` rule: only builtin rules take options"
        ),
        "{err}"
    );
}

/// `check .` with `config` as corpuslint.toml fails with exit code 2; its
/// error output.
fn config_error(dir: &std::path::Path, config: &str) -> String {
    fs::write(dir.join("corpuslint.toml"), config).unwrap();
    let out = corpuslint(dir, &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    stderr(&out)
}

#[test]
fn the_rule_is_opt_in_and_changes_nothing_else() {
    let dir = corpus();
    let all = corpuslint(
        dir.path(),
        &["check", "--select", "ALL", "--format", "json", "."],
    );
    // Opt-in: the default run leaves the rule (and its pass) out, and so
    // does ignoring it.
    let default = corpuslint(dir.path(), &["check", "--format", "json", "."]);
    let without = corpuslint(
        dir.path(),
        &[
            "check",
            "--select",
            "ALL",
            "--format",
            "json",
            "--ignore",
            "repeat/cross-document",
            ".",
        ],
    );
    assert_eq!(default.stdout, without.stdout);
    let keep = |out: &std::process::Output| -> Vec<serde_json::Value> {
        let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        all.into_iter()
            .filter(|f| f["rule"] != "repeat/cross-document")
            .collect()
    };
    assert_eq!(keep(&all), keep(&without));
    assert!(
        keep(&all).len()
            < serde_json::from_slice::<Vec<serde_json::Value>>(&all.stdout)
                .unwrap()
                .len()
    );
}
