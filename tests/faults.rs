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
