//! Fault tests: what a run does when the world misbehaves around it. A
//! reader that goes away, signals in the middle of `--fix`, symlinks, huge
//! and endless files, a full disk. Each must leave every file either as it
//! was or fully fixed, no temporary file behind, and an exit code that
//! tells the truth.

mod common;

use common::*;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// An article with a safe fix (the tag) and a warning no safe fix removes
/// (two sentences run together), so a run over it exits 1 after fixing.
const ARTICLE: &str = "Die Regierung hat am Montag neue Regeln vorgestellt.< /p>\nDie Minister wollen das Gesetz schon im Herbst verabschieden Die Opposition kündigte Widerstand an.\n";
const FIXED: &str = "Die Regierung hat am Montag neue Regeln vorgestellt.\nDie Minister wollen das Gesetz schon im Herbst verabschieden Die Opposition kündigte Widerstand an.\n";

fn corpus(dir: &Path, files: usize) {
    for i in 0..files {
        let sub = dir.join(format!("{:02}", i / 500));
        fs::create_dir_all(&sub).unwrap();
        fs::write(sub.join(format!("{i:05}.txt")), ARTICLE).unwrap();
    }
}

fn count_fixed(dir: &Path) -> (usize, usize) {
    let (mut fixed, mut old) = (0, 0);
    for entry in walk(dir) {
        match fs::read_to_string(&entry).unwrap().as_str() {
            FIXED => fixed += 1,
            ARTICLE => old += 1,
            other => panic!("{}: torn file: {other:?}", entry.display()),
        }
    }
    (fixed, old)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_closed_stdout_stops_the_printing_not_the_fixing() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 1200);
    for format in ["concise", "human", "json"] {
        for p in walk(dir.path()) {
            fs::write(p, ARTICLE).unwrap();
        }
        // `corpuslint check --fix corpus/ | head -1`
        let mut child = Command::new(BIN)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(["check", "--fix", "-j", "2", "--format", format, "."])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone.
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            count_fixed(dir.path()),
            (1200, 0),
            "{format}: every file is fixed"
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the findings left still fail the run; stderr: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked"),
            "{format}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_closed_pipe_on_a_plain_check_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 500);
    // `corpuslint check corpus/ 2>&1 | head -1`: both streams are the pipe.
    let mut child = Command::new(BIN)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

/// Runs corpuslint in `dir`; its output and its peak resident memory in MB.
#[cfg(unix)]
#[allow(clippy::zombie_processes)] // reaped by wait4
fn run_measured(dir: &Path, args: &[&str]) -> (std::process::ExitStatus, String, i64) {
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid pointers.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0);
    (
        std::process::ExitStatus::from_raw(status),
        reader.join().unwrap(),
        usage.ru_maxrss / 1024,
    )
}

#[cfg(unix)]
#[test]
fn a_2_gb_sparse_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = fs::File::create(dir.path().join("huge")).unwrap();
    file.set_len(2 << 30).unwrap();
    drop(file);
    let (status, err, _) = run_measured(dir.path(), &["check", "huge"]);
    assert_eq!(status.code(), Some(2));
    assert_eq!(
        err,
        "error: huge: larger than 256 MiB (--max-file-size); file skipped\n"
    );
    // Allowed by the limit, it is refused after its first block: NUL bytes.
    let (status, err, rss) = run_measured(dir.path(), &["check", "--max-file-size", "4G", "huge"]);
    assert_eq!(status.code(), Some(2));
    assert_eq!(
        err,
        "error: huge: binary file (NUL byte at offset 0); file skipped\n"
    );
    assert!(rss < 512, "peak RSS {rss} MB for a 2 GB file");
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (status, err, rss) = run_measured(dir.path(), &["check", "/dev/zero"]);
    assert_eq!(status.code(), Some(2));
    assert_eq!(
        err,
        "error: /dev/zero: binary file (NUL byte at offset 0); file skipped\n"
    );
    assert!(rss < 512, "peak RSS {rss} MB");
}

#[cfg(unix)]
#[test]
fn a_record_longer_than_the_limit_is_skipped_and_its_shard_kept() {
    let long = "a".repeat(3 << 20);
    let shard = format!(
        "{{\"text\":\"Erster Satz.< /p>\"}}\n{{\"text\":\"{long}\"}}\n{{\"text\":\"Ende< /p>\"}}\n"
    );
    let dir = scratch_text(&[("s.jsonl", &shard)]);
    let (status, err, rss) = run_measured(
        dir.path(),
        &["check", "--fix", "--max-file-size", "1M", "s.jsonl"],
    );
    assert_eq!(status.code(), Some(2));
    assert!(
        err.contains(
            "error: s.jsonl: record 2: longer than 1 MiB (--max-file-size); record skipped\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("error: s.jsonl: left as it was, so 2 fixes listed for it are not applied\n"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("s.jsonl")).unwrap(),
        shard
    );
    assert!(rss < 512, "peak RSS {rss} MB");
}

#[test]
fn fixing_a_truncated_shard_claims_no_fixes() {
    use std::io::Write;
    let lines: String = (0..5000)
        .map(|i| format!("{{\"text\":\"Satz {i}< /p> hier.\"}}\n"))
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let cut = &gz[..gz.len() / 2];
    let dir = scratch(&[("t.jsonl.gz", cut)]);
    let out = corpuslint(
        dir.path(),
        &[
            "check",
            NOT_SHORT,
            "--fix",
            "--format",
            "concise",
            "t.jsonl.gz",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(dir.path().join("t.jsonl.gz")).unwrap(), cut);
    let summary = stdout(&out).lines().last().unwrap().to_string();
    assert!(
        summary.starts_with("fixed 0 findings in 0 documents;"),
        "{summary}"
    );
    assert!(
        stderr(&out).contains("the file ends too early"),
        "{}",
        stderr(&out)
    );
}
