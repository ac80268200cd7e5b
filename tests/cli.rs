//! The command line as a user meets it: exit codes, errors that name the
//! file, rule folders, selection, output formats, fixing files in place,
//! and inputs that are not what they should be.

mod common;
use common::*;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const CLEAN: &[u8] = "Die Regierung hat am Montag neue Regeln vorgestellt.\nSie gelten ab Januar für alle Betriebe im Land.\n".as_bytes();
const TAG: &[u8] = b"Die Regierung hat neue Regeln vorgestellt.< /p>\n";
const JOIN: &[u8] = "Die Waffen sollen an der Front eingesetzt werden Die Armee kämpft mit erschöpften Beständen.\n".as_bytes();

#[test]
fn exit_codes_follow_fail_on() {
    let dir = scratch(&[("clean.txt", CLEAN), ("join.txt", JOIN)]);
    let p = dir.path();
    assert_eq!(
        corpuslint(p, &["check", "clean.txt"]).status.code(),
        Some(0)
    );
    assert_eq!(corpuslint(p, &["check", "join.txt"]).status.code(), Some(1));
    assert_eq!(
        corpuslint(p, &["check", "--fail-on", "error", "join.txt"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        corpuslint(p, &["check", "--fail-on", "never", "join.txt"])
            .status
            .code(),
        Some(0)
    );
    let bad_flag = corpuslint(p, &["check", "--no-such-flag"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(stderr(&bad_flag).contains("--no-such-flag"));
}

#[test]
fn default_path_is_the_current_folder() {
    let dir = scratch(&[
        ("sub/a.txt", TAG),
        (".hidden/b.txt", TAG),
        ("image.png", TAG),
    ]);
    let out = corpuslint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&out);
    assert!(
        text.contains("sub/a.txt:1:43: error[html/leftover-tag]"),
        "{text}"
    );
    assert!(
        !text.contains(".hidden"),
        "hidden folders are skipped: {text}"
    );
    assert!(
        !text.contains("image.png"),
        "non-text files are skipped when walking: {text}"
    );
}

#[test]
fn broken_rule_file_names_file_line_and_column() {
    let dir = scratch(&[
        ("a.txt", CLEAN),
        (
            "myrules/bad.toml",
            b"[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'a(b'\nmessage = \"m\"\n",
        ),
    ]);
    let out = corpuslint(dir.path(), &["check", "--rules", "myrules", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("myrules/bad.toml:5:11: invalid regex"),
        "{err}"
    );

    let dir = scratch(&[
        ("a.txt", CLEAN),
        ("r/syntax.toml", b"[[rule]]\nid = \"html/x\nseverity = 1\n"),
    ]);
    let out = corpuslint(dir.path(), &["check", "--rules", "r", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("r/syntax.toml:2:"),
        "{}",
        stderr(&out)
    );

    let dir = scratch(&[("a.txt", CLEAN), ("r/key.toml", b"[[rule]]\nid = \"html/x\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'x'\nmessage = \"m\"\nserverity = 2\n")]);
    let out = corpuslint(dir.path(), &["check", "--rules", "r", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("r/key.toml:") && err.contains("serverity"),
        "{err}"
    );
}

const USER_RULE: &[u8] = br#"[[rule]]
id = "boilerplate/house-signature"
severity = "warning"
kind = "phrases"
scope = "line"
phrases = ["Ihr Team von Beispiel.de"]
message = "newsletter signature"
help = "delete the line"
fix = { action = "delete-line", applicability = "safe" }

[[rule.examples]]
bad = "Ihr Team von Beispiel.de"
fixed = ""

[[rule.examples]]
good = "Das Team von Beispiel.de gewann."
"#;

#[test]
fn user_rules_folder_adds_a_rule() {
    let doc: &[u8] = "Hallo.\nIhr Team von Beispiel.de\n".as_bytes();
    let dir = scratch(&[("doc.txt", doc), ("house/signature.toml", USER_RULE)]);
    let out = corpuslint(
        dir.path(),
        &[
            "check", "--rules", "house", "--format", "concise", "doc.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("doc.txt:2:1: warning[boilerplate/house-signature] newsletter signature")
    );

    let out = corpuslint(
        dir.path(),
        &["rules", "--rules", "house", "--no-default-rules"],
    );
    let list = stdout(&out);
    assert!(
        list.contains("boilerplate/house-signature") && list.contains("1 rule"),
        "{list}"
    );

    let out = corpuslint(dir.path(), &["test-rules", "house"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("ok    boilerplate/house-signature (2 examples)"));
}

#[test]
fn failing_user_example_is_reported() {
    let broken = String::from_utf8(USER_RULE.to_vec()).unwrap().replace(
        "good = \"Das Team",
        "good = \"Ihr Team von Beispiel.de. Das Team",
    );
    let dir = scratch(&[
        ("doc.txt", CLEAN),
        ("house/signature.toml", broken.as_bytes()),
    ]);
    let out = corpuslint(dir.path(), &["test-rules", "house"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("FAIL  boilerplate/house-signature"),
        "{}",
        stdout(&out)
    );
    let out = corpuslint(dir.path(), &["check", "--rules", "house", "doc.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "house/signature.toml:15:1: rule `boilerplate/house-signature`: good example"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn select_and_ignore() {
    let mut both = TAG.to_vec();
    both.extend_from_slice(JOIN);
    let dir = scratch(&[("both.txt", &both)]);
    let p = dir.path();
    let only_html = stdout(&corpuslint(
        p,
        &[
            "check", "--format", "concise", "--select", "html/", "both.txt",
        ],
    ));
    assert!(
        only_html.contains("html/leftover-tag") && !only_html.contains("join/"),
        "{only_html}"
    );
    let no_html = stdout(&corpuslint(
        p,
        &[
            "check",
            "--format",
            "concise",
            "--ignore",
            "html/leftover-tag",
            "both.txt",
        ],
    ));
    assert!(
        !no_html.contains("html/") && no_html.contains("join/missing-full-stop"),
        "{no_html}"
    );
    let lists = stdout(&corpuslint(
        p,
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "html,join/missing-full-stop",
            "both.txt",
        ],
    ));
    assert!(
        lists.contains("html/") && lists.contains("join/"),
        "{lists}"
    );
    let unknown = corpuslint(p, &["check", "--select", "htlm/", "both.txt"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("--select `htlm/` matches no rule"));
}

#[test]
fn long_one_line_paragraph_prints_a_window() {
    let mut para = String::new();
    while para.chars().count() < 5000 {
        para.push_str(
            "Die Regierung hat am Montag in Berlin neue Regeln für die Wirtschaft vorgestellt. ",
        );
    }
    let insert_at = para.char_indices().nth(2500).unwrap().0;
    para.insert_str(insert_at, "< /p>");
    let dir = scratch(&[("long.txt", para.as_bytes())]);
    let out = corpuslint(dir.path(), &["check", "long.txt"]);
    let text = stdout(&out);
    assert!(text.contains("--> long.txt:1:2501"), "{text}");
    assert!(text.contains('…'), "{text}");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 140,
            "output line of {} chars: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_checked() {
    let dir = scratch(&[
        ("a-bad-utf8.txt", b"ok\nab\xffcd\n"),
        ("b-binary.txt", b"PK\x03\x04\x00\x00\x00binary"),
        ("c-empty.txt", b""),
        ("d-tag.txt", TAG),
    ]);
    let out = corpuslint(
        dir.path(),
        &["check", "--format", "concise", ".", "missing.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("a-bad-utf8.txt: invalid UTF-8 at line 2, column 3 (byte 0xFF at offset 5); file skipped"), "{err}");
    assert!(
        err.contains("b-binary.txt: binary file (NUL byte at offset 4); file skipped"),
        "{err}"
    );
    assert!(
        err.contains("missing.txt: no such file or directory"),
        "{err}"
    );
    let text = stdout(&out);
    assert!(
        text.contains("d-tag.txt:1:43: error[html/leftover-tag]"),
        "{text}"
    );
    assert!(text.contains("3 files could not be checked"), "{text}");
}

#[test]
fn empty_file_is_an_empty_document() {
    let dir = scratch(&[("empty.txt", b""), ("blank.txt", b" \n\n")]);
    let out = corpuslint(
        dir.path(),
        &["check", "--format", "concise", "empty.txt", "blank.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "a note does not fail the run");
    assert_eq!(
        stdout(&out),
        "blank.txt:1:1: info[structure/short-document] the document holds only whitespace\nempty.txt:1:1: info[structure/short-document] the document is empty\n0 errors, 0 warnings, 2 infos in 2 files\n"
    );
    let out = corpuslint(dir.path(), &["check", NOT_SHORT, "empty.txt"]);
    assert_eq!(stdout(&out), "no findings in 1 file\n");
}

#[test]
fn json_follows_the_design_schema() {
    let dir = scratch(&[("004.txt", TAG)]);
    let out = corpuslint(
        dir.path(),
        &["check", NOT_SHORT, "--format", "json", "004.txt"],
    );
    let raw = stdout(&out);
    let order = [
        "path",
        "record",
        "doc_id",
        "rule",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "byte_start",
        "byte_end",
        "help",
        "fix",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|k| raw.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "keys in DESIGN.md order: {raw}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v.as_array().unwrap()[0];
    assert_eq!(f.as_object().unwrap().len(), order.len());
    assert_eq!(f["path"], "004.txt");
    assert_eq!(f["record"], serde_json::Value::Null);
    assert_eq!(f["rule"], "html/leftover-tag");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(43))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(1), Some(48))
    );
    assert_eq!(
        (f["byte_start"].as_u64(), f["byte_end"].as_u64()),
        (Some(42), Some(47))
    );
    assert_eq!(f["fix"]["applicability"], "safe");
    assert_eq!(f["fix"]["edits"][0]["replacement"], "");

    let out = corpuslint(
        dir.path(),
        &["check", NOT_SHORT, "--format", "jsonl", "004.txt"],
    );
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 1);
    let g: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(&g, f);

    let empty = scratch(&[("c.txt", CLEAN)]);
    assert_eq!(
        stdout(&corpuslint(
            empty.path(),
            &["check", NOT_SHORT, "--format", "json", "c.txt"]
        )),
        "[]\n"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let dir = scratch(&[("u.txt", "Über „Größe“ wurde gestritten.< /p>\n".as_bytes())]);
    let out = corpuslint(
        dir.path(),
        &["check", NOT_SHORT, "--format", "json", "u.txt"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v[0];
    assert_eq!(f["column"], 31);
    assert_eq!(f["byte_start"], 37);
}

#[cfg(unix)]
#[test]
fn fix_rewrites_in_place_keeping_permissions_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt;
    let mut text = TAG.to_vec();
    text.extend_from_slice(
        "Um dieses Video anzusehen, aktivieren Sie bitte JavaScript.\nLetzter Satz.".as_bytes(),
    );
    let dir = scratch(&[("a.txt", &text)]);
    let path = dir.path().join("a.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();

    let diff = corpuslint(dir.path(), &["check", NOT_SHORT, "--diff", "a.txt"]);
    assert_eq!(fs::read(&path).unwrap(), text, "--diff changes nothing");
    let d = stdout(&diff);
    assert!(d.starts_with("--- a/a.txt\n+++ b/a.txt\n"), "{d}");
    assert!(
        d.contains("-Um dieses Video")
            && d.contains("+Die Regierung hat neue Regeln vorgestellt.\n"),
        "{d}"
    );

    let out = corpuslint(dir.path(), &["check", NOT_SHORT, "--fix", "a.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "Die Regierung hat neue Regeln vorgestellt.\nLetzter Satz."
    );
    // Every change is listed, placed in the text before fixing, then the
    // summary.
    assert_eq!(
        stdout(&out),
        "fixed[html/leftover-tag] a.txt:1:43: remove `< /p>`\n\
         fixed[boilerplate/video-notice] a.txt:2:1: delete line 2\n\
         fixed 2 findings in 1 file; no findings in 1 file\n",
    );
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let leftovers: Vec<PathBuf> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

    let before = fs::read(&path).unwrap();
    corpuslint(
        dir.path(),
        &["check", NOT_SHORT, "--fix", "--unsafe-fixes", "a.txt"],
    );
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "a second fix changes nothing"
    );
}

#[test]
fn unsafe_fixes_only_on_request() {
    let dir = scratch(&[("j.txt", JOIN)]);
    let path = dir.path().join("j.txt");
    corpuslint(dir.path(), &["check", "--fix", "j.txt"]);
    assert_eq!(fs::read(&path).unwrap(), JOIN);
    corpuslint(dir.path(), &["check", "--fix", "--unsafe-fixes", "j.txt"]);
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .contains("eingesetzt werden. Die Armee")
    );
}

#[test]
fn deleting_the_last_line_without_newline() {
    let text = "Erster Absatz.\nNehmen Sie Kontakt mit unserem Nachrichtenteam auf, indem Sie uns schreiben.";
    let dir = scratch(&[("a.txt", text.as_bytes())]);
    corpuslint(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "Erster Absatz."
    );
}

#[test]
fn standard_input() {
    let mut child = Command::new(BIN)
        .args(["check", NOT_SHORT, "--format", "concise", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(TAG).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("-:1:43: error[html/leftover-tag]"),
        "{}",
        stdout(&out)
    );

    let mut child = Command::new(BIN)
        .args(["check", NOT_SHORT, "--fix", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(TAG).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&out),
        "Die Regierung hat neue Regeln vorgestellt.\n",
        "the fixed text goes to stdout"
    );
    assert!(
        stderr(&out).contains("fixed 1 finding"),
        "the report goes to stderr: {}",
        stderr(&out)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = scratch(&[("a.txt", TAG)]);
    let plain = corpuslint(dir.path(), &["check", "a.txt"]);
    assert!(!stdout(&plain).contains('\x1b'), "no colour on a pipe");
    let forced = corpuslint(dir.path(), &["--color", "always", "check", "a.txt"]);
    assert!(stdout(&forced).contains("\x1b["), "--color always colours");
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..40 {
        let body = if i % 3 == 0 {
            TAG
        } else if i % 3 == 1 {
            JOIN
        } else {
            CLEAN
        };
        files.push((format!("d{i:02}/doc.txt"), body.to_vec()));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = scratch(&refs);
    let one = corpuslint(dir.path(), &["check", "-j", "1", "--format", "json", "."]);
    let many = corpuslint(dir.path(), &["check", "-j", "8", "--format", "json", "."]);
    assert_eq!(one.stdout, many.stdout);
    let human1 = corpuslint(dir.path(), &["check", "-j", "1", "."]);
    let human8 = corpuslint(dir.path(), &["check", "-j", "8", "."]);
    assert_eq!(human1.stdout, human8.stdout);
}

#[test]
fn explain_and_rules() {
    let dir = scratch(&[]);
    let out = corpuslint(dir.path(), &["explain", "join/missing-full-stop"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("join/missing-full-stop (warning, builtin rule `sentence-join`)"),
        "{text}"
    );
    assert!(text.contains("bad:   Diese könnten"), "{text}");
    let out = corpuslint(dir.path(), &["explain", "join/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("join/missing-full-stop"),
        "suggests rules of the category"
    );
    let out = corpuslint(dir.path(), &["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "html/leftover-tag" && r["kind"] == "builtin")
    );
}

#[test]
fn language_can_be_forced() {
    // English run-together sentences in a text too short to detect.
    let dir = scratch(&[("e.txt", b"Rain all night It was cold.\n")]);
    let auto = corpuslint(dir.path(), &["check", "--format", "concise", "e.txt"]);
    assert!(
        !stdout(&auto).contains("join/"),
        "unknown language: language rules stay silent"
    );
    let en = corpuslint(
        dir.path(),
        &["check", "--format", "concise", "--lang", "en", "e.txt"],
    );
    assert!(
        stdout(&en).contains("join/missing-full-stop"),
        "{}",
        stdout(&en)
    );
    let bad = corpuslint(dir.path(), &["check", "--lang", "german!", "e.txt"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn many_pattern_rules_share_a_prefilter_and_find_the_same() {
    // Ten pattern rules take the shared RegexSet path (more than eight).
    let mut rules = String::new();
    for i in 0..10 {
        rules.push_str(&format!(
            "[[rule]]\nid = \"structure/marker-{i}\"\nseverity = \"warning\"\nkind = \"pattern\"\npattern = 'MARK{i}X'\nmessage = \"marker {i}\"\nhelp = \"remove it\"\n\n"
        ));
    }
    let dir = scratch(&[
        (
            "doc.txt",
            b"Text MARK3X und MARK7X, aber nicht MARK3 oder MARKX.\n",
        ),
        ("many/markers.toml", rules.as_bytes()),
    ]);
    let out = corpuslint(
        dir.path(),
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "many",
            "--format",
            "concise",
            "doc.txt",
        ],
    );
    assert_eq!(
        stdout(&out),
        "doc.txt:1:6: warning[structure/marker-3] marker 3\ndoc.txt:1:17: warning[structure/marker-7] marker 7\n0 errors, 2 warnings in 1 file\n"
    );
}

/// `check d.txt` with the rule file `r/x.toml` fails with exit code 2 and
/// an error that contains `expected`.
fn assert_rule_file_error(doc: &str, rule_file: &str, expected: &str) {
    let dir = scratch(&[
        ("d.txt", doc.as_bytes()),
        ("r/x.toml", rule_file.as_bytes()),
    ]);
    let out = corpuslint(dir.path(), &["check", "--rules", "r", "d.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(expected), "{}", stderr(&out));
}

/// `check d.txt` with only the rules in `r/`, in concise format.
fn only_own_rules(dir: &std::path::Path) -> std::process::Output {
    corpuslint(
        dir,
        &[
            "check",
            "--no-default-rules",
            "--rules",
            "r",
            "--format",
            "concise",
            "d.txt",
        ],
    )
}

#[test]
fn line_rules_with_requires() {
    let rule = "[[rule]]\nid = \"boilerplate/promo\"\nseverity = \"warning\"\nkind = \"line\"\nmax_line_chars = 200\nrequires = [\"gratis\", \"free\"]\npattern = '(?i).*(?:gratis|free).*(?:probe|trial).*'\nmessage = \"promo\"\nhelp = \"delete it\"\n";
    let doc = "Jetzt GRATIS zur Probe lesen!\nFree trial for a month.\nEin Probeabo, das nichts kostet.\n";
    let dir = scratch(&[("d.txt", doc.as_bytes()), ("r/promo.toml", rule.as_bytes())]);
    let out = only_own_rules(dir.path());
    assert_eq!(
        stdout(&out),
        "d.txt:1:1: warning[boilerplate/promo] promo\nd.txt:2:1: warning[boilerplate/promo] promo\n0 errors, 2 warnings in 1 file\n"
    );
    let bad = "[[rule]]\nid = \"boilerplate/x\"\nseverity = \"warning\"\nkind = \"pattern\"\nrequires = [\"a\"]\npattern = 'a'\nmessage = \"m\"\n";
    assert_rule_file_error(
        doc,
        bad,
        "r/x.toml:4:8: a `pattern` rule takes no `requires` key",
    );
}

#[test]
fn line_rules_with_max_per_document() {
    let rule = "[[rule]]\nid = \"boilerplate/stamp\"\nseverity = \"warning\"\nkind = \"line\"\nmax_per_document = 2\npattern = '\\d\\d\\.\\d\\d\\.\\d{4}'\nmessage = \"stamp\"\n";
    let two = "Titel\n01.02.2023\nText.\n02.02.2023\n";
    let dir = scratch(&[("d.txt", two.as_bytes()), ("r/stamp.toml", rule.as_bytes())]);
    assert_eq!(
        stdout(&only_own_rules(dir.path())),
        "d.txt:2:1: warning[boilerplate/stamp] stamp\nd.txt:4:1: warning[boilerplate/stamp] stamp\n0 errors, 2 warnings in 1 file\n"
    );
    // Three: the dates are the document's structure, none is reported.
    let three = format!("{two}Mehr Text.\n03.02.2023\n");
    let dir = scratch(&[
        ("d.txt", three.as_bytes()),
        ("r/stamp.toml", rule.as_bytes()),
    ]);
    assert_eq!(
        stdout(&only_own_rules(dir.path())),
        "no findings in 1 file\n"
    );
    let zero = rule.replace("max_per_document = 2", "max_per_document = 0");
    assert_rule_file_error(
        two,
        &zero,
        "r/x.toml:5:20: `max_per_document` must be at least 1",
    );
}

#[test]
fn line_rules_with_unless() {
    let rule = "[[rule]]\nid = \"boilerplate/signed\"\nseverity = \"warning\"\nkind = \"line\"\npattern = 'By \\p{Lu}\\w+ \\p{Lu}\\w+'\nunless = '\\bThe\\b'\nmessage = \"byline\"\n";
    let doc = "By Jane Doe\nBy The Numbers\n";
    let dir = scratch(&[
        ("d.txt", doc.as_bytes()),
        ("r/signed.toml", rule.as_bytes()),
    ]);
    let out = only_own_rules(dir.path());
    assert_eq!(
        stdout(&out),
        "d.txt:1:1: warning[boilerplate/signed] byline\n0 errors, 1 warning in 1 file\n"
    );
    // A broken `unless` is an error at its position; other kinds refuse it.
    let broken = rule.replace("'\\bThe\\b'", "'(The'");
    let dir = scratch(&[("d.txt", doc.as_bytes()), ("r/x.toml", broken.as_bytes())]);
    let out = corpuslint(dir.path(), &["check", "--rules", "r", "d.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("r/x.toml:6:10: "), "{}", stderr(&out));
    let bad = "[[rule]]\nid = \"boilerplate/x\"\nseverity = \"warning\"\nkind = \"pattern\"\nunless = 'a'\npattern = 'b'\nmessage = \"m\"\n";
    assert_rule_file_error(
        doc,
        bad,
        "r/x.toml:4:8: a `pattern` rule takes no `unless` key",
    );
}

/// `unless_beside`: a matching line whose block (up to a blank line) holds
/// the pattern in another line is the article's data and is left alone.
#[test]
fn line_rules_with_unless_beside() {
    let rule = "[[rule]]\nid = \"boilerplate/when\"\nseverity = \"warning\"\nkind = \"line\"\npattern = 'Datum: \\d\\d?\\. Mai 2025'\nunless_beside = '^Ort:'\nmessage = \"date line\"\n";
    let doc =
        "Datum: 15. Mai 2025\n\nDer Text beginnt hier.\n\nDatum: 16. Mai 2025\nOrt: Kongresshaus\n";
    let dir = scratch(&[("d.txt", doc.as_bytes()), ("r/when.toml", rule.as_bytes())]);
    assert_eq!(
        stdout(&only_own_rules(dir.path())),
        "d.txt:1:1: warning[boilerplate/when] date line\n0 errors, 1 warning in 1 file\n"
    );
    // A broken pattern is an error at its position; other kinds refuse it.
    let broken = rule.replace("'^Ort:'", "'(Ort'");
    let dir = scratch(&[("d.txt", doc.as_bytes()), ("r/x.toml", broken.as_bytes())]);
    let out = corpuslint(dir.path(), &["check", "--rules", "r", "d.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("r/x.toml:6:17: "), "{}", stderr(&out));
    let bad = "[[rule]]\nid = \"boilerplate/x\"\nseverity = \"warning\"\nkind = \"pattern\"\nunless_beside = 'a'\npattern = 'b'\nmessage = \"m\"\n";
    assert_rule_file_error(
        doc,
        bad,
        "r/x.toml:4:8: a `pattern` rule takes no `unless_beside` key",
    );
}

#[test]
fn learn_writes_recurring_lines_as_a_rule_file() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..4 {
        let text = format!(
            "Titel {i}\nDer Artikel {i} erzählt etwas anderes.\nAuf Facebook teilen\nBeispiel-Verlag | Impressum\n"
        );
        files.push((format!("c/{i}.txt"), text.into_bytes()));
    }
    files.push((
        "c/shard.jsonl".into(),
        b"{\"text\": \"Anders.\\nBeispiel-Verlag | Impressum\"}\n".to_vec(),
    ));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let dir = scratch(&refs);
    let out = corpuslint(dir.path(), &["learn", "c", "--out", "learned.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "wrote 2 lines recurring across 5 documents to learned.toml: review it before use\n"
    );
    let rule = fs::read_to_string(dir.path().join("learned.toml")).unwrap();
    assert!(
        rule.contains("Beispiel\\-Verlag\\s+\\|\\s+Impressum  # 5 documents"),
        "{rule}"
    );
    assert!(!rule.contains("Der Artikel"), "{rule}");
    // The file is a working rule folder.
    fs::create_dir(dir.path().join("r")).unwrap();
    fs::rename(
        dir.path().join("learned.toml"),
        dir.path().join("r/learned.toml"),
    )
    .unwrap();
    let out = corpuslint(
        dir.path(),
        &[
            "check",
            "--rules",
            "r",
            "--select",
            "boilerplate/learned",
            "--format",
            "concise",
            "c/0.txt",
        ],
    );
    assert_eq!(
        stdout(&out),
        "c/0.txt:3:1: warning[boilerplate/learned] line that recurs across the corpus\nc/0.txt:4:1: warning[boilerplate/learned] line that recurs across the corpus\n0 errors, 2 warnings in 1 file; 0 fixable with --fix (2 more with --fix --unsafe-fixes)\n"
    );
    let none = corpuslint(dir.path(), &["learn", "c/0.txt", "--out", "x.toml"]);
    assert!(
        stderr(&none).contains("nothing written"),
        "{}",
        stderr(&none)
    );
}

/// Whether the regex names a line break as a literal, which `rg -f`
/// refuses (in classes, ripgrep drops line breaks itself).
fn has_literal_line_break(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.iter().any(|&b| b == b'\n' || b == b'\r'),
        HirKind::Repetition(rep) => has_literal_line_break(&rep.sub),
        HirKind::Capture(cap) => has_literal_line_break(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(has_literal_line_break)
        }
        _ => false,
    }
}

/// The exported patterns are for `rg -f`, which searches line by line:
/// every line must be a regex that compiles and names no line break.
#[test]
fn exported_patterns_suit_a_line_search() {
    let dir = scratch_text(&[]);
    let out = corpuslint(dir.path(), &["rules", "--export-patterns"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().count() > 100, "{text}");
    for line in text.lines() {
        let hir = regex_syntax::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert!(
            !has_literal_line_break(&hir),
            "a line break in an exported pattern: {line}"
        );
        // Escaped punctuation that needs no escape (`\"`) is new regex
        // syntax: ripgrep 13 and other engines refuse the whole pattern.
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let next = chars.next();
                assert!(
                    !matches!(next, Some('"' | '\'' | '/')),
                    "an escape other engines refuse in an exported pattern: {line}"
                );
            }
        }
    }
}

#[test]
fn boilerplate_share_counts_what_the_run_ran() {
    let page = "Skip to content\nHome > News > Local\nSubscribe now\nCouncil approves new cycle lanes\nThe city council voted on Tuesday to build twelve kilometres of new cycle lanes.\nWork is due to start in the spring, the council said.\nShare on Facebook\nShare on Twitter\nShare via email\nLeave a comment\nCookie settings\nPrivacy policy\n";
    let dir = scratch(&[("p.txt", page.as_bytes())]);
    let share = |args: &[&str]| {
        let mut all = vec!["check", "--format", "concise", "--fail-on", "never"];
        all.extend_from_slice(args);
        all.push("p.txt");
        stdout(&corpuslint(dir.path(), &all))
            .lines()
            .find(|l| l.contains("structure/boilerplate-share"))
            .map(str::to_string)
    };
    assert_eq!(
        share(&[]).as_deref(),
        Some(
            "p.txt:1:1: info[structure/boilerplate-share] 9 of 12 lines (75%) look like boilerplate"
        )
    );
    // Fewer boilerplate rules, a smaller share; none, no share at all.
    assert_eq!(
        share(&["--select", "structure/boilerplate-share,boilerplate/share-buttons,boilerplate/paywall,structure/breadcrumb"]).as_deref(),
        Some("p.txt:1:1: info[structure/boilerplate-share] 5 of 12 lines (41%) look like boilerplate")
    );
    assert_eq!(share(&["--select", "structure/boilerplate-share"]), None);
}
