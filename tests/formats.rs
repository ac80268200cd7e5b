//! Corpus formats: the same articles as plain files, as JSONL records, and
//! as gzip / zstd shards give the same findings; fixing a shard rewrites
//! only what it must; broken records and streams are reported and the rest
//! is checked; output does not depend on the thread count or chunking.

mod common;
use common::*;

use std::fs;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const ARTICLES: &[&str] = &[
    "Die Regierung hat am Montag neue Regeln vorgestellt.< /p>\nUm dieses Video anzusehen, aktivieren Sie bitte JavaScript.\nDie Regeln sollen ab Januar eingesetzt werden Die Wirtschaft ist skeptisch.",
    "Sauberer Text: Die Stadt baut eine neue Brücke über den Fluss, sagte der Bürgermeister.",
    "The council met on Tuesday night It agreed on a new budget for schools.\nContact: press@example.org\nAT&amp;T was not involved.",
    "Die Munition f\u{c3}\u{bc}r den Winter reicht nicht, sagte ein Sprecher „am Montag.",
];

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(data), &mut out).unwrap();
    out
}

fn shard(texts: &[&str]) -> String {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": format!("doc-{i}"), "text": t}).to_string() + "\n")
        .collect()
}

/// Findings without their location in the corpus: (document, the rest).
fn findings(out: &Output, by_record: bool) -> Vec<(usize, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut list: Vec<(usize, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let doc = if by_record {
                f["record"].as_u64().unwrap() as usize - 1
            } else {
                let path = f["path"].as_str().unwrap();
                path.trim_end_matches(".txt")
                    .rsplit('-')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            let mut f = f.clone();
            let o = f.as_object_mut().unwrap();
            for key in ["path", "record", "doc_id"] {
                o.remove(key);
            }
            (doc, serde_json::to_string(&f).unwrap())
        })
        .collect();
    list.sort();
    list
}

#[test]
fn the_same_articles_in_every_format_give_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("txt")).unwrap();
    for (i, a) in ARTICLES.iter().enumerate() {
        fs::write(p.join(format!("txt/article-{i}.txt")), a).unwrap();
    }
    let jsonl = shard(ARTICLES);
    fs::write(p.join("s.jsonl"), &jsonl).unwrap();
    fs::write(p.join("s.jsonl.gz"), gzip(jsonl.as_bytes())).unwrap();
    fs::write(p.join("s.ndjson.zst"), zstd(jsonl.as_bytes())).unwrap();

    let plain = findings(
        &corpuslint(p, &["check", NOT_SHORT, "--format", "json", "txt"]),
        false,
    );
    assert!(plain.len() >= 6, "{plain:?}");
    for name in ["s.jsonl", "s.jsonl.gz", "s.ndjson.zst"] {
        let out = corpuslint(p, &["check", NOT_SHORT, "--format", "json", name]);
        assert_eq!(findings(&out, true), plain, "{name}");
    }
    // Record and id are reported for shards.
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--format",
            "jsonl",
            "--select",
            "html/leftover-tag",
            "s.jsonl.gz",
        ],
    );
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["path"].as_str(), first["record"].as_u64()),
        (Some("s.jsonl.gz"), Some(1))
    );
    assert_eq!(first["doc_id"], "doc-0");
    let concise = stdout(&corpuslint(
        p,
        &["check", NOT_SHORT, "--format", "concise", "s.jsonl"],
    ));
    assert!(
        concise.contains("s.jsonl#1:1:53: error[html/leftover-tag]"),
        "{concise}"
    );
    assert!(
        concise.ends_with("4 errors, 3 warnings, 1 info in 4 documents (1 file); 4 fixable with --fix (2 more with --fix --unsafe-fixes)\n"),
        "{concise}"
    );
}

const SHARD: &str = concat!(
    "{\"id\": 1, \"text\": \"Neue Regeln.< /p>\", \"meta\": {\"title\": \"Gr\\u00fc\\u00dfe\", \"z\": [1, 2.50, null]}}\n",
    "{\"meta\":{\"b\":1,\"a\":2},\"text\":\"Schon sauber: nichts zu tun, sagte sie.\",\"id\":\"x\\/y\"}\n",
    "\n",
    "{\"text\": \"M\\u00fcnchen< /p> und Graz\", \"id\": 3}\r\n",
    "{\"id\": 4,   \"text\" : \"Um dieses Video anzusehen, aktivieren Sie bitte JavaScript.\\nDer Text bleibt.\"}\n",
);

#[test]
fn fixing_a_shard_rewrites_only_the_changed_text_fields() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.jsonl"), SHARD).unwrap();
    let out = corpuslint(p, &["check", NOT_SHORT, "--fix", "a.jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let fixed = fs::read_to_string(p.join("a.jsonl")).unwrap();
    let want = concat!(
        "{\"id\": 1, \"text\": \"Neue Regeln.\", \"meta\": {\"title\": \"Gr\\u00fc\\u00dfe\", \"z\": [1, 2.50, null]}}\n",
        "{\"meta\":{\"b\":1,\"a\":2},\"text\":\"Schon sauber: nichts zu tun, sagte sie.\",\"id\":\"x\\/y\"}\n",
        "\n",
        "{\"text\": \"M\\u00fcnchen und Graz\", \"id\": 3}\r\n",
        "{\"id\": 4,   \"text\" : \"Der Text bleibt.\"}\n",
    );
    assert_eq!(fixed, want);
    assert_eq!(
        stdout(&out),
        "fixed[html/leftover-tag] a.jsonl#1:1:13: remove `< /p>`\n\
         fixed[html/leftover-tag] a.jsonl#4:1:8: remove `< /p>`\n\
         fixed[boilerplate/video-notice] a.jsonl#5:1:1: delete line 1\n\
         fixed 3 findings in 3 documents; no findings in 4 documents (1 file)\n"
    );

    // A second fix changes nothing, not even the file's timestamp.
    let before = fs::metadata(p.join("a.jsonl")).unwrap().modified().unwrap();
    corpuslint(p, &["check", NOT_SHORT, "--fix", "a.jsonl"]);
    assert_eq!(fs::read_to_string(p.join("a.jsonl")).unwrap(), want);
    assert_eq!(
        fs::metadata(p.join("a.jsonl")).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn fixing_compressed_shards_keeps_the_compression() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.jsonl.gz"), gzip(SHARD.as_bytes())).unwrap();
    fs::write(p.join("b.jsonl.zst"), zstd(SHARD.as_bytes())).unwrap();
    fs::write(p.join("c.txt.gz"), gzip(b"Text.< /p>\n")).unwrap();
    let out = corpuslint(p, &["check", "--fix", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let gz = fs::read(p.join("a.jsonl.gz")).unwrap();
    assert_eq!(&gz[..2], &[0x1F, 0x8B]);
    let zs = fs::read(p.join("b.jsonl.zst")).unwrap();
    assert_eq!(&zs[..4], &[0x28, 0xB5, 0x2F, 0xFD]);
    let a = String::from_utf8(gunzip(&gz)).unwrap();
    let b = String::from_utf8(zstd::decode_all(&zs[..]).unwrap()).unwrap();
    assert_eq!(a, b);
    assert!(
        a.contains("\"Neue Regeln.\"") && !a.contains("< /p>"),
        "{a}"
    );
    assert_eq!(gunzip(&fs::read(p.join("c.txt.gz")).unwrap()), b"Text.\n");
}

#[test]
fn broken_records_are_reported_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let text = concat!(
        "{\"id\": 1, \"text\": \"Erster Text.< /p>\"}\n",
        "{\"id\": 2, \"text\": \n",
        "[\"not\", \"an object\"]\n",
        "{\"id\": 4, \"body\": \"no text field\"}\n",
        "{\"id\": 5, \"text\": 42}\n",
        "{\"id\": 6, \"text\": \"Letzter Text.< /p>\"}\n",
    );
    fs::write(p.join("bad.jsonl"), text).unwrap();
    fs::write(p.join("empty.jsonl"), "").unwrap();
    let full = gzip(shard(&["Eins.< /p>"; 400]).as_bytes());
    fs::write(p.join("truncated.jsonl.gz"), &full[..full.len() / 2]).unwrap();
    let out = corpuslint(p, &["check", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("error: bad.jsonl: record 2: invalid JSON: EOF while parsing a value at line 1 column 18"), "{err}");
    assert!(
        err.contains("error: bad.jsonl: record 3: not a JSON object"),
        "{err}"
    );
    assert!(
        err.contains("error: bad.jsonl: record 4: no `text` field"),
        "{err}"
    );
    assert!(
        err.contains("error: bad.jsonl: record 5: field `text` is a number, not a string"),
        "{err}"
    );
    assert!(
        err.contains("error: truncated.jsonl.gz: cannot read on from record "),
        "{err}"
    );
    assert!(err.contains("the file ends too early"), "{err}");
    let out_text = stdout(&out);
    assert!(
        out_text.contains("bad.jsonl#1:1:13") && out_text.contains("bad.jsonl#6:1:14"),
        "{out_text}"
    );
    assert!(
        out_text.contains("truncated.jsonl.gz#1:1:6"),
        "records before the damage are checked: {out_text}"
    );
    assert!(
        out_text.contains("1 file could not be checked; 4 records could not be checked"),
        "{out_text}"
    );
    assert!(
        !err.contains("empty.jsonl"),
        "an empty shard is no error: {err}"
    );
}

#[test]
fn a_truncated_shard_is_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let full = gzip(shard(&["Eins.< /p>"; 400]).as_bytes());
    let cut = full[..full.len() / 2].to_vec();
    fs::write(p.join("t.jsonl.gz"), &cut).unwrap();
    let out = corpuslint(p, &["check", "--fix", "t.jsonl.gz"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(p.join("t.jsonl.gz")).unwrap(), cut);
    assert_eq!(
        fs::read_dir(p).unwrap().count(),
        1,
        "no temporary file is left"
    );
}

#[test]
fn output_does_not_depend_on_threads_or_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let texts: Vec<String> = (0..300)
        .map(|i| match i % 4 {
            0 => format!("Bericht {i}.< /p>"),
            1 => {
                format!("Der Bericht {i} ist fertig und wurde eingesetzt werden Die Armee wartet.")
            }
            2 => format!("Sauberer Bericht Nummer {i} über die Stadt."),
            _ => {
                format!("Mehr: Politik\nSchlagzeile {i} ohne Punkt am Ende\nDer Text geht weiter.")
            }
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    fs::write(p.join("big.jsonl"), shard(&refs)).unwrap();
    fs::write(
        p.join("big2.jsonl.gz"),
        gzip(shard(&refs[..100]).as_bytes()),
    )
    .unwrap();
    let runs: Vec<Vec<u8>> = [
        ["-j", "1", "--chunk-bytes", "1048576"],
        ["-j", "8", "--chunk-bytes", "200"],
        ["-j", "2", "--chunk-bytes", "3000"],
    ]
    .iter()
    .map(|flags| {
        let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
        args.extend_from_slice(flags);
        args.push(".");
        corpuslint(p, &args).stdout
    })
    .collect();
    assert!(runs[0].len() > 10_000);
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);

    // Fixing with small chunks on many threads gives the same shard.
    fs::copy(p.join("big.jsonl"), p.join("copy.jsonl")).unwrap();
    corpuslint(p, &["check", "--fix", "-j", "1", "big.jsonl"]);
    corpuslint(
        p,
        &[
            "check",
            "--fix",
            "-j",
            "8",
            "--chunk-bytes",
            "100",
            "copy.jsonl",
        ],
    );
    assert_eq!(
        fs::read(p.join("big.jsonl")).unwrap(),
        fs::read(p.join("copy.jsonl")).unwrap()
    );
}

#[test]
fn nested_fields_by_dotted_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("n.jsonl"),
        "{\"meta\": {\"id\": \"abc\"}, \"doc\": {\"body\": \"Text.< /p>\"}}\n",
    )
    .unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--format",
            "jsonl",
            "--text-field",
            "doc.body",
            "--id-field",
            "meta.id",
            "n.jsonl",
        ],
    );
    let f: serde_json::Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(f["doc_id"], "abc");
    assert_eq!(f["byte_start"], 5);
    let bad = corpuslint(
        p,
        &["check", NOT_SHORT, "--text-field", "doc..body", "n.jsonl"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_formats_are_guessed_or_given() {
    let jsonl = shard(&["Text.< /p>"]);
    let out = with_stdin(
        &["check", NOT_SHORT, "--format", "concise", "-"],
        jsonl.as_bytes(),
    );
    assert!(
        stdout(&out).starts_with("-#1:1:6: error[html/leftover-tag]"),
        "{}",
        stdout(&out)
    );
    let out = with_stdin(
        &["check", NOT_SHORT, "--format", "concise", "-"],
        &gzip(jsonl.as_bytes()),
    );
    assert!(
        stdout(&out).starts_with("-#1:1:6: error[html/leftover-tag]"),
        "{}",
        stdout(&out)
    );
    let out = with_stdin(
        &[
            "check",
            NOT_SHORT,
            "--format",
            "concise",
            "--stdin-format",
            "text",
            "-",
        ],
        jsonl.as_bytes(),
    );
    assert!(
        stdout(&out).starts_with("-:1:28: error[html/leftover-tag]"),
        "{}",
        stdout(&out)
    );
    let out = with_stdin(&["check", NOT_SHORT, "--fix", "-"], jsonl.as_bytes());
    assert_eq!(stdout(&out), shard(&["Text."]));
}

#[test]
fn statistics_count_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("s.jsonl"), shard(ARTICLES)).unwrap();
    let out = corpuslint(p, &["check", NOT_SHORT, "--statistics", "s.jsonl"]);
    let text = stdout(&out);
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("html/leftover-tag "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        row,
        ["html/leftover-tag", "1", "1", "(25.0%)", "1", "0"],
        "{text}"
    );
    assert!(text.contains("4 documents checked"), "{text}");
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--statistics",
            "--format",
            "json",
            "s.jsonl",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 4);
    let tag = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "html/leftover-tag")
        .unwrap();
    assert_eq!(
        (tag["findings"].as_u64(), tag["documents"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(tag["documents_percent"], 25.0);
    assert_eq!(v["total"]["documents"], 3, "documents with any finding");
}

#[test]
fn a_byte_order_mark_is_no_part_of_the_first_record_nor_a_column() {
    let shard = "\u{FEFF}{\"text\":\"Satz< /p> hier.\"}\n{\"text\":\"Zwei< /p>\"}\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("s.jsonl"), shard).unwrap();
    fs::write(dir.path().join("a.txt"), "\u{FEFF}Satz< /p> hier.\n").unwrap();
    let out = corpuslint(
        dir.path(),
        &[
            "check", NOT_SHORT, "--format", "concise", "a.txt", "s.jsonl",
        ],
    );
    assert_eq!(
        stdout(&out),
        "a.txt:1:5: error[html/leftover-tag] leftover HTML tag `< /p>`\n\
         s.jsonl#1:1:5: error[html/leftover-tag] leftover HTML tag `< /p>`\n\
         s.jsonl#2:1:5: error[html/leftover-tag] leftover HTML tag `< /p>`\n\
         3 errors, 0 warnings in 3 documents (2 files); 3 fixable with --fix\n",
        "{}",
        stderr(&out)
    );
    // On standard input it is still a shard.
    let out = std::process::Command::new(BIN)
        .args(["check", NOT_SHORT, "--format", "concise", "-"])
        .stdin(fs::File::open(dir.path().join("s.jsonl")).unwrap())
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("-#1:1:5: error[html/leftover-tag]"),
        "{}",
        stdout(&out)
    );
    // Fixing keeps the mark where it was.
    corpuslint(dir.path(), &["check", "--fix", "s.jsonl"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("s.jsonl")).unwrap(),
        "\u{FEFF}{\"text\":\"Satz hier.\"}\n{\"text\":\"Zwei\"}\n"
    );
}

#[test]
fn a_lone_surrogate_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("s.jsonl"),
        "{\"text\":\"ok \\ud800 gut\"}\n",
    )
    .unwrap();
    let out = corpuslint(dir.path(), &["check", "s.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: s.jsonl: record 1: field `text`: `\\ud800` at column 13 is half of a UTF-16 surrogate pair without its other half, which is no character (the text was cut or mis-encoded)\n"
    );
}
