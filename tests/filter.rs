//! `corpuslint filter`: every document kept (fixed) or rejected (with its
//! reasons), nothing lost, nothing else changed, outputs whole or absent.

mod common;

use common::*;
use std::fs;
use std::io::{Read, Write};

/// Texts of the generated corpus, by kind: clean, fixable, to drop.
fn text(i: usize) -> String {
    match i % 6 {
        0 => format!(
            "Der Stadtrat hat am Montag über den Haushalt für das Jahr {} beraten und keine Einigung erzielt.",
            2000 + i
        ),
        1 => {
            format!("Die Regierung stellte {i} neue Regeln vor.< /p> Sie gelten ab dem ersten Mai.")
        }
        2 => "Diese Website verwendet Cookies.".to_string(),
        3 => format!(
            "München ist schön, sagte die Bürgermeisterin am {i}. Juli. Über\u{200B}all blühen Linden."
        ),
        4 => format!(
            "Der Zug nach Köln fährt um {} Uhr ab und kommt pünktlich an.",
            i % 24
        ),
        _ => format!(
            "Die Strecke war wegen Bauarbeiten gesperrt.\nAnzeige\nDer Verkehr läuft wieder seit {i} Tagen."
        ),
    }
}

fn shard(n: usize, ascii: bool) -> String {
    (0..n)
        .map(|i| {
            let t = text(i);
            let escaped = if ascii {
                t.chars()
                    .map(|c| {
                        if c.is_ascii() {
                            serde_json::to_string(&c.to_string()).unwrap()[1..].trim_end_matches('"').to_string()
                        } else {
                            let mut buf = [0u16; 2];
                            c.encode_utf16(&mut buf)
                                .iter()
                                .map(|u| format!("\\u{u:04x}"))
                                .collect()
                        }
                    })
                    .collect::<String>()
            } else {
                serde_json::to_string(&t).unwrap()[1..].trim_end_matches('"').to_string()
            };
            format!("{{\"id\": \"doc-{i}\",  \"text\": \"{escaped}\", \"meta\": {{\"n\": {i}, \"z\": 1.50}}}}\n")
        })
        .collect()
}

fn gz(data: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data.as_bytes()).unwrap();
    e.finish().unwrap()
}

fn gunzip(data: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn ids(jsonl: &str) -> Vec<usize> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"].as_str().unwrap()[4..].parse().unwrap()
        })
        .collect()
}

#[test]
fn a_shard_splits_into_kept_and_rejected_losing_nothing() {
    let input = shard(600, false);
    let ascii = shard(300, true);
    let dir = scratch(&[
        ("in/a.jsonl", input.as_bytes()),
        ("in/deep/b.jsonl.gz", &gz(&ascii)),
    ]);
    let p = dir.path();
    let out = corpuslint(
        p,
        &[
            "filter",
            "in",
            "-o",
            "out",
            "--rejected",
            "rej",
            "--summary",
            "sum.json",
            "--chunk-bytes",
            "4096",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let kept = fs::read_to_string(p.join("out/a.jsonl")).unwrap();
    let rejected = fs::read_to_string(p.join("rej/a.jsonl")).unwrap();
    // Kept + rejected = input: every id once, each output in input order.
    let (k, r) = (ids(&kept), ids(&rejected));
    assert!(k.windows(2).all(|w| w[0] < w[1]) && r.windows(2).all(|w| w[0] < w[1]));
    let mut all: Vec<usize> = k.iter().chain(&r).copied().collect();
    all.sort();
    assert_eq!(all, (0..600).collect::<Vec<_>>());
    // The cookie banners are dropped, empty after fixing; nothing else.
    assert_eq!(r, (0..600).filter(|i| i % 6 == 2).collect::<Vec<_>>());
    let input_lines: Vec<&str> = input.lines().collect();
    for line in kept.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let i: usize = v["id"].as_str().unwrap()[4..].parse().unwrap();
        if i.is_multiple_of(6) || i % 6 == 4 {
            // Unchanged records are byte-identical.
            assert_eq!(line, input_lines[i]);
        } else {
            // Changed ones keep every other field and its spacing.
            assert!(
                line.starts_with(&format!("{{\"id\": \"doc-{i}\",  \"text\": \"")),
                "{line}"
            );
            assert!(
                line.ends_with(&format!("\", \"meta\": {{\"n\": {i}, \"z\": 1.50}}}}")),
                "{line}"
            );
            assert!(
                v.get("corpuslint").is_none(),
                "kept records are annotated only with --annotate"
            );
        }
    }
    for line in rejected.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let i: usize = v["id"].as_str().unwrap()[4..].parse().unwrap();
        // The rejected record is the input's, with the reasons added.
        assert!(
            line.starts_with(&input_lines[i][..input_lines[i].len() - 1]),
            "{line}"
        );
        assert_eq!(v["corpuslint"]["kept"], false);
        assert_eq!(v["corpuslint"]["reasons"][0]["reason"], "empty");
    }
    // Compression is kept, and escaping style with it.
    let b = gunzip(&fs::read(p.join("out/deep/b.jsonl.gz")).unwrap());
    assert!(b.is_ascii() && b.contains("M\\u00fcnchen"), "{b}");
    assert!(gunzip(&fs::read(p.join("rej/deep/b.jsonl.gz")).unwrap()).is_ascii());
    // The kept output has nothing a safe fix would change.
    let again = corpuslint(p, &["check", "--format", "json", "out"]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&again.stdout).unwrap();
    assert!(
        findings.iter().all(|f| f["fix"]["applicability"] != "safe"),
        "{findings:#?}"
    );
    // The summary adds up.
    let sum: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("sum.json")).unwrap()).unwrap();
    assert_eq!(sum["documents"], 900);
    assert_eq!(sum["dropped"], 150);
    assert_eq!(sum["kept"], 750);
    assert_eq!(sum["fixed"], 450);
    assert_eq!(sum["drop_reasons"]["empty"], 150);
    assert!(sum["bytes_removed"]["html/leftover-tag"].as_i64().unwrap() > 0);
    assert_eq!(
        stderr(&out),
        "filter: 900 documents: 750 kept (450 fixed), 150 dropped (empty 150); 2400 bytes removed by fixes\n"
    );
}

#[test]
fn the_output_is_the_same_for_any_thread_count() {
    let input = shard(400, false);
    let dir = scratch(&[
        ("in/a.jsonl", input.as_bytes()),
        ("in/b.txt", text(1).as_bytes()),
        ("in/c.txt", text(2).as_bytes()),
    ]);
    let p = dir.path();
    for (jobs, name) in [("1", "one"), ("2", "two")] {
        let out = corpuslint(
            p,
            &[
                "filter",
                "in",
                "-j",
                jobs,
                "--annotate",
                "--chunk-bytes",
                "2048",
                "-o",
                &format!("{name}/out"),
                "--rejected",
                &format!("{name}/rej"),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    }
    for file in [
        "out/a.jsonl",
        "rej/a.jsonl",
        "out/b.txt",
        "out/b.txt.corpuslint.json",
        "rej/c.txt",
        "rej/c.txt.corpuslint.json",
    ] {
        assert_eq!(
            fs::read(p.join("one").join(file)).unwrap(),
            fs::read(p.join("two").join(file)).unwrap(),
            "{file}"
        );
    }
}

/// Workers compress their chunks of the outputs as they go: a compressed
/// output is a series of gzip members (zstd frames), one per chunk, that
/// decompresses to exactly what the uncompressed run writes, whatever the
/// thread count.
#[test]
fn compressed_outputs_hold_what_plain_ones_do() {
    let input = shard(500, false);
    let cookies: String = (0..40)
        .map(|i| {
            format!("{{\"id\": \"doc-{i}\", \"text\": \"Diese Website verwendet Cookies.\"}}\n")
        })
        .collect();
    let dir = scratch(&[
        ("plain/a.jsonl", input.as_bytes()),
        ("gz/a.jsonl.gz", &gz(&input)),
        (
            "zst/a.jsonl.zst",
            &zstd::encode_all(input.as_bytes(), 3).unwrap(),
        ),
        ("gone/a.jsonl.gz", &gz(&cookies)),
    ]);
    let p = dir.path();
    let run = |input: &str, jobs: &str, to: &str| {
        let out = corpuslint(
            p,
            &[
                "filter",
                input,
                "-j",
                jobs,
                "--chunk-bytes",
                "4096",
                "-o",
                &format!("{to}/out"),
                "--rejected",
                &format!("{to}/rej"),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    };
    run("plain", "2", "p");
    let kept = fs::read_to_string(p.join("p/out/a.jsonl")).unwrap();
    let rejected = fs::read_to_string(p.join("p/rej/a.jsonl")).unwrap();
    assert!(kept.len() > 8 * 4096, "several chunks: {}", kept.len());
    for jobs in ["1", "2"] {
        let to = format!("g{jobs}");
        run("gz", jobs, &to);
        let file = fs::read(p.join(&to).join("out/a.jsonl.gz")).unwrap();
        assert_eq!(gunzip(&file), kept);
        // More than one member: a single-member reader stops early.
        let mut first = String::new();
        flate2::read::GzDecoder::new(&file[..])
            .read_to_string(&mut first)
            .unwrap();
        assert!(first.len() < kept.len());
        let rej = fs::read(p.join(&to).join("rej/a.jsonl.gz")).unwrap();
        assert_eq!(gunzip(&rej), rejected);
        let to = format!("z{jobs}");
        run("zst", jobs, &to);
        let file = fs::read(p.join(&to).join("out/a.jsonl.zst")).unwrap();
        assert_eq!(zstd::decode_all(&file[..]).unwrap(), kept.as_bytes());
    }
    for file in ["out/a.jsonl.gz", "rej/a.jsonl.gz"] {
        assert_eq!(
            fs::read(p.join("g1").join(file)).unwrap(),
            fs::read(p.join("g2").join(file)).unwrap(),
            "{file}"
        );
    }
    // Every record rejected: the kept output is an empty gzip file, valid.
    run("gone", "2", "e");
    let file = fs::read(p.join("e/out/a.jsonl.gz")).unwrap();
    assert!(file.starts_with(&[0x1f, 0x8b]), "{file:?}");
    assert_eq!(gunzip(&file), "");
    assert_eq!(
        gunzip(&fs::read(p.join("e/rej/a.jsonl.gz")).unwrap())
            .lines()
            .count(),
        40
    );
}

#[test]
fn articles_are_written_fixed_or_rejected_with_a_sidecar() {
    let dir = scratch_text(&[
        ("in/keep.txt", &text(1)),
        ("in/drop.md", "Anzeige\n"),
        ("in/clean.txt", &text(0)),
    ]);
    let p = dir.path();
    let out = corpuslint(
        p,
        &[
            "filter",
            "in",
            "-o",
            "out",
            "--rejected",
            "rej",
            "--min-words",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(p.join("out/keep.txt")).unwrap(),
        text(1).replace("< /p>", "")
    );
    assert_eq!(
        fs::read_to_string(p.join("out/clean.txt")).unwrap(),
        text(0)
    );
    assert!(!p.join("out/keep.txt.corpuslint.json").exists());
    assert_eq!(
        fs::read_to_string(p.join("rej/drop.md")).unwrap(),
        "Anzeige\n"
    );
    let sidecar: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("rej/drop.md.corpuslint.json")).unwrap())
            .unwrap();
    let kinds: Vec<&str> = sidecar["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["empty", "words"]);
    assert!(!p.join("out/drop.md").exists() && !p.join("rej/keep.txt").exists());
}

#[test]
fn policy_flags_and_the_configuration_decide() {
    let input = shard(60, false);
    let config =
        "[filter]\ndrop-on = \"never\"\ndrop-rules = [\"whitespace/zero-width\"]\nmin-words = 13\n";
    let dir = scratch(&[
        ("in.jsonl", input.as_bytes()),
        ("corpuslint.toml", config.as_bytes()),
    ]);
    let p = dir.path();
    let out = corpuslint(
        p,
        &[
            "filter",
            "in.jsonl",
            "-o",
            "k.jsonl",
            "--rejected",
            "r.jsonl",
            "--no-fix",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Not fixed: the kept output is the input's lines.
    let kept = fs::read_to_string(p.join("k.jsonl")).unwrap();
    assert!(kept.lines().all(|l| input.lines().any(|i| i == l)));
    let rejected = fs::read_to_string(p.join("r.jsonl")).unwrap();
    for line in rejected.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let i: usize = v["id"].as_str().unwrap()[4..].parse().unwrap();
        let reasons: Vec<&str> = v["corpuslint"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reason"].as_str().unwrap())
            .collect();
        match i % 6 {
            3 => assert_eq!(reasons, ["rule", "words"], "{line}"),
            2 => assert_eq!(reasons, ["words"], "{line}"),
            _ => panic!("{line}"),
        }
    }
    // A flag overrides the file.
    let out = corpuslint(
        p,
        &[
            "filter",
            "in.jsonl",
            "-o",
            "k2.jsonl",
            "--rejected",
            "r2.jsonl",
            "--min-words",
            "1",
            "--drop-rule",
            "html/",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r2 = ids(&fs::read_to_string(p.join("r2.jsonl")).unwrap());
    assert_eq!(
        r2,
        (0..60)
            .filter(|i| i % 6 == 1 || i % 6 == 2)
            .collect::<Vec<_>>()
    );
}

#[test]
fn it_refuses_to_write_over_its_inputs() {
    let dir = scratch_text(&[("in/a.txt", &text(1)), ("b.txt", &text(1))]);
    let p = dir.path();
    for (args, what) in [
        (vec!["in", "-o", "in/out", "--rejected", "rej"], "--output"),
        (vec!["in", "-o", "out", "--rejected", "in"], "--rejected"),
        (
            vec!["b.txt", "-o", "b.txt", "--rejected", "r.txt"],
            "--output",
        ),
        (vec!["in", "-o", ".", "--rejected", "rej"], "--output"),
    ] {
        let mut all = vec!["filter"];
        all.extend(args);
        let out = corpuslint(p, &all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(
            stderr(&out).starts_with(&format!("error: {what} ")),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("would write over the input"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(fs::read_to_string(p.join("b.txt")).unwrap(), text(1));
    let out = corpuslint(p, &["filter", "in", "-o", "x", "--rejected", "x"]);
    assert_eq!(
        stderr(&out),
        "error: --output and --rejected name the same place\n"
    );
}

#[test]
fn standard_input_goes_to_the_files_named() {
    let input = shard(30, false);
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .current_dir(dir.path())
        .args([
            "filter",
            "-",
            "-o",
            "kept.jsonl.gz",
            "--rejected",
            "rejected.jsonl",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(input.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kept = gunzip(&fs::read(dir.path().join("kept.jsonl.gz")).unwrap());
    assert_eq!(
        ids(&kept).len()
            + ids(&fs::read_to_string(dir.path().join("rejected.jsonl")).unwrap()).len(),
        30
    );
}

#[test]
fn a_killed_run_leaves_no_output_that_looks_complete() {
    // Many records, one shard: kill the run while it writes.
    let input = shard(60_000, false);
    let dir = scratch(&[("big.jsonl", input.as_bytes())]);
    let p = dir.path();
    let mut child = std::process::Command::new(BIN)
        .current_dir(p)
        .args([
            "filter",
            "big.jsonl",
            "-o",
            "out.jsonl",
            "--rejected",
            "rej.jsonl",
            "-j",
            "1",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the temporary output to appear, then kill.
    let start = std::time::Instant::now();
    while !fs::read_dir(p).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".corpuslint-")
    }) {
        assert!(start.elapsed().as_secs() < 60, "no output was started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!p.join("out.jsonl").exists() && !p.join("rej.jsonl").exists());
}

#[test]
fn dolma_attributes_mirror_documents_with_code_point_spans() {
    let docs = "{\"id\":\"a\",\"text\":\"Grüße aus München.< /p> Ende.\"}\n{\"id\":7,\"text\":\"Sauber und gut.\"}\n";
    let dir = scratch(&[("data/documents/part/x.jsonl.gz", &gz(docs))]);
    let p = dir.path();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--format",
            "dolma-attributes",
            "--attributes-name",
            "cl",
            "data/documents",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("wrote 1 attribute file (cl); "),
        "{}",
        stdout(&out)
    );
    let lines: Vec<serde_json::Value> =
        gunzip(&fs::read(p.join("data/attributes/cl/part/x.jsonl.gz")).unwrap())
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    // `< /p>` starts at code point 18 (byte 21: ü, ß and ü take two bytes).
    assert_eq!(
        lines[0]["attributes"]["corpuslint__html_leftover_tag"],
        serde_json::json!([[18, 23, 1.0]])
    );
    assert_eq!(
        lines[0]["attributes"]["corpuslint__delete"],
        serde_json::json!([[18, 23, 1.0]])
    );
    assert_eq!(lines[0]["attributes"]["corpuslint__score"][0][1], 29);
    assert_eq!(lines[1], serde_json::json!({"id": 7, "attributes": {}}));

    // --output-dir, and a shard with a bad record gets no file.
    fs::write(
        p.join("bad.jsonl"),
        "{\"id\":\"a\",\"text\":\"x\"}\nnot json\n",
    )
    .unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            "--format",
            "dolma-attributes",
            "--output-dir",
            "o",
            "bad.jsonl",
            "data/documents",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("o/attributes/corpuslint/bad.jsonl: not written: a record of bad.jsonl could not be read"), "{}", stderr(&out));
    assert!(!p.join("o/attributes/corpuslint/bad.jsonl").exists());
    assert!(p.join("o/attributes/corpuslint/part/x.jsonl.gz").exists());
}
