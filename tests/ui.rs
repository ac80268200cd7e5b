//! UI tests, as clippy has them: for every `tests/ui/<case>.txt` the exact
//! human output of `corpuslint check` is checked in as `<case>.stdout`, the
//! text after `--fix` as `<case>.fixed`, and after `--fix --unsafe-fixes` as
//! `<case>.unsafe.fixed`. An optional `<case>.args` holds extra flags (one
//! per line, e.g. `--lang=en`).
//!
//! Re-bless every expectation after an intended change with
//! `BLESS=1 cargo test --test ui`, then review the diff.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_corpuslint");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn extra_args(case: &Path) -> Vec<String> {
    fs::read_to_string(case.with_extension("args"))
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn run(args: &[&str], extra: &[String]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .args(extra)
        .output()
        .expect("run corpuslint")
}

/// The text of `case` after fixing a copy with `flags`.
fn fixed(case: &Path, flags: &[&str], extra: &[String]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(case.file_name().unwrap());
    fs::copy(case, &copy).unwrap();
    let mut args = vec!["check", "--fail-on", "never"];
    args.extend_from_slice(flags);
    let path = copy.to_str().unwrap().to_string();
    args.push(&path);
    let out = run(&args, extra);
    assert!(
        out.status.success(),
        "{} {flags:?} failed: {}",
        case.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    fs::read_to_string(&copy).unwrap()
}

/// Compares `actual` with the file `expected` (or writes it when blessing).
fn expect(expected: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("BLESS").is_some() {
        fs::write(expected, actual).unwrap();
        return;
    }
    let want = fs::read_to_string(expected).unwrap_or_default();
    if want != actual {
        let diff = similar::TextDiff::from_lines(&want, actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        failures.push(format!("{} differs:\n{diff}", expected.display()));
    }
}

#[test]
fn ui() {
    let dir = root().join("tests/ui");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no UI cases in {}", dir.display());
    let mut failures = Vec::new();
    for case in &cases {
        let extra = extra_args(case);
        let rel = case
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .replace('\\', "/");
        let out = run(&["check", "--fail-on", "never", &rel], &extra);
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        expect(&case.with_extension("stdout"), &stdout, &mut failures);
        expect(
            &case.with_extension("fixed"),
            &fixed(case, &["--fix"], &extra),
            &mut failures,
        );
        expect(
            &case.with_extension("unsafe.fixed"),
            &fixed(case, &["--fix", "--unsafe-fixes"], &extra),
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "{} UI expectation(s) differ (re-bless with `BLESS=1 cargo test --test ui` if intended):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every `.stdout`/`.fixed` file belongs to a case: no orphaned expectations.
#[test]
fn no_orphaned_expectations() {
    let dir = root().join("tests/ui");
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if let Some(stem) = name
            .strip_suffix(".unsafe.fixed")
            .or_else(|| name.strip_suffix(".fixed"))
            .or_else(|| name.strip_suffix(".stdout"))
            .or_else(|| name.strip_suffix(".args"))
        {
            assert!(
                dir.join(format!("{stem}.txt")).exists(),
                "{name} has no {stem}.txt"
            );
        }
    }
}

/// Structured articles (interviews, plans, line-ups, recipes, results,
/// programmes) repeat lines and run short lines by design: they must stay
/// free of warnings and errors, and no fix, safe or unsafe, may touch them.
/// Their snapshots say the same; this states the intent, so that a
/// re-bless cannot quietly accept a finding on them.
#[test]
fn structured_articles_stay_silent() {
    const SILENT: &[&str] = &[
        "agm-minutes",
        "batting-figures",
        "sowing-lists",
        "budget-meal-plan",
        "night-shift-questions",
        "arts-roundup",
        "wedding-running-order",
        "trainingszeiten",
        "newsletter-help",
        "browser-cookies",
        "photo-credit-case",
        "theaterkritik",
        "timetable-explainer",
        "album-titles",
        "league-results",
        "stellenanzeige-listen",
        "albumkritik-titel",
        "basketball-profile",
        "birding-log",
        "bistro-page",
        "bildung-kommentar",
        "boersenbericht",
        "book-record",
        "branch-addresses",
        "chess-results",
        "cinema-week",
        "clean-de",
        "clean-en",
        "club-coaches",
        "club-newsletter",
        "conference-programme",
        "course-syllabus",
        "cricket-scorecard",
        "epd-meldung",
        "espresso-test",
        "festival-jury",
        "festival-lineup",
        "festival-report",
        "film-review-credits",
        "folk-song",
        "forum-heizung",
        "gartenjahr",
        "gedicht-interpretation",
        "gedichte-des-monats",
        "gnocchi-recipe",
        "grant-application",
        "hawaii-travel",
        "hymn-schedule",
        "interview-series",
        "kammermusikabend",
        "kinderreime",
        "kinoprogramm",
        "konzertkritik",
        "league-round",
        "leserbriefe",
        "marathon-results",
        "match-results",
        "medicine-leaflet",
        "mietspiegel",
        "museum-guide",
        "museum-oeffnungszeiten",
        "museum-record",
        "musikerin-portraet",
        "painter-biography",
        "parish-bulletin",
        "poetry-anthology",
        "poetry-review",
        "polizeibericht",
        "preisverleihung",
        "printer-setup",
        "produkt-datenblatt",
        "property-listing",
        "recipe-sections",
        "recycling-rules",
        "reisereportage",
        "schlaf-tipps",
        "screen-time",
        "series-review",
        "sitzungsprotokoll",
        "smartphone-review",
        "song-outro",
        "songtext",
        "speiseplan",
        "stellenanzeige",
        "steuer-ratgeber",
        "training-plan",
        "traueranzeige",
        "tv-programm",
        "umayyad-history",
        "unbulleted-list",
        "vereinstermine",
        "vogelzaehlung",
        "vokabelliste",
        "volkslied",
        "wochenplan",
    ];
    for case in SILENT {
        let path = format!("tests/ui/{case}.txt");
        let out = run(
            &[
                "check",
                "--isolated",
                "--format",
                "json",
                "--fail-on",
                "never",
                &path,
            ],
            &[],
        );
        assert!(out.status.success(), "{case}: {:?}", out);
        let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let loud: Vec<String> = found
            .iter()
            .filter(|d| d["severity"] != "info")
            .map(|d| format!("{}:{} {}", d["line"], d["column"], d["rule"]))
            .collect();
        assert!(loud.is_empty(), "{case} must stay silent, got {loud:?}");
        let case = root().join(&path);
        let text = fs::read_to_string(&case).unwrap();
        assert_eq!(
            fixed(&case, &["--fix", "--unsafe-fixes"], &[]),
            text,
            "{case:?}"
        );
    }
}
