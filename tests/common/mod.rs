//! Helpers the integration tests share: run the binary, read what it
//! printed, make scratch folders.

// Each test file uses a part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_corpuslint");

/// Runs corpuslint in `dir`, without colours.
pub fn corpuslint(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run corpuslint")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A scratch folder with the given files (any bytes).
pub fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
    dir
}

/// A scratch folder with the given text files.
pub fn scratch_text(files: &[(&str, &str)]) -> tempfile::TempDir {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    scratch(&bytes)
}

/// The test texts are a few words long, and `structure/short-document`
/// notes every document under 50 words: tests that count or order the
/// findings of other rules leave it out with this flag.
pub const NOT_SHORT: &str = "--ignore=structure/short-document";
