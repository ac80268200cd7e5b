//! The CI gate: a baseline hides accepted findings (and survives unrelated
//! edits), and --output-file sends the report to a file.

mod common;
use common::*;

use std::fs;

const OLD: &str = "Die Regierung hat neue Regeln vorgestellt.< /p>\nDie Waffen sollen eingesetzt werden Die Armee wartet.\n";

#[test]
fn only_new_findings_fail_and_keys_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("corpus")).unwrap();
    fs::write(p.join("corpus/a.txt"), OLD).unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--write-baseline",
            "baseline.json",
            "corpus",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "writing a baseline still reports"
    );
    assert!(
        stderr(&out).contains("wrote 2 findings to the baseline baseline.json"),
        "{}",
        stderr(&out)
    );
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(written["corpuslint-baseline"], 1);
    assert_eq!(written["findings"][0]["document"], "path:corpus/a.txt");

    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "corpus",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "no findings in 1 file; 2 findings hidden by the baseline\n"
    );

    // Lines added above, and a new artifact: only the new one is reported.
    fs::write(
        p.join("corpus/a.txt"),
        format!("Neuer Titel\nEin neuer Absatz &amp; mehr.\n{OLD}"),
    )
    .unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "corpus",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "corpus/a.txt:2:18: error[html/entity] HTML entity `&amp;` in the text\n1 error, 0 warnings in 1 file; 1 fixable with --fix; 2 findings hidden by the baseline\n"
    );

    // A finding fixed since: its entry is stale and counted.
    fs::write(
        p.join("corpus/a.txt"),
        "Die Regierung hat neue Regeln vorgestellt.< /p>\n",
    )
    .unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "corpus",
        ],
    );
    assert_eq!(
        stdout(&out),
        "no findings in 1 file; 1 finding hidden by the baseline (1 baseline entry no longer occurs: write it again with --write-baseline to prune)\n"
    );
}

#[test]
fn records_are_matched_by_doc_id_whatever_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let a =
        "{\"id\": \"a\", \"text\": \"Eins.< /p>\"}\n{\"id\": \"b\", \"text\": \"Zwei.< /p>\"}\n";
    fs::write(p.join("s.jsonl"), a).unwrap();
    corpuslint(
        p,
        &["check", NOT_SHORT, "--write-baseline", "b.json", "s.jsonl"],
    );
    let reordered = "{\"id\": \"c\", \"text\": \"Drei.< /p>\"}\n{\"id\": \"b\", \"text\": \"Zwei.< /p>\"}\n{\"id\": \"a\", \"text\": \"Eins.< /p>\"}\n";
    fs::write(p.join("s.jsonl"), reordered).unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--baseline",
            "b.json",
            "--format",
            "concise",
            "s.jsonl",
        ],
    );
    assert!(
        stdout(&out).starts_with("s.jsonl#1:1:6: error[html/leftover-tag]"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("2 findings hidden by the baseline"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_broken_baseline_is_an_error_that_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), OLD).unwrap();
    fs::write(
        p.join("b.json"),
        "{\"corpuslint-baseline\": 1,\n \"findings\": [}\n",
    )
    .unwrap();
    let out = corpuslint(p, &["check", "--baseline", "b.json", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: b.json:2:15: not a corpuslint baseline"),
        "{}",
        stderr(&out)
    );
    let out = corpuslint(p, &["check", "--baseline", "none.json", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("none.json: cannot read the baseline"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_file_takes_the_report_and_the_terminal_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), OLD).unwrap();
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--format",
            "json",
            "--output-file",
            "report.json",
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "1 error, 1 warning in 1 file; 1 fixable with --fix (1 more with --fix --unsafe-fixes)\n"
    );
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("report.json")).unwrap()).unwrap();
    assert_eq!(report.as_array().unwrap().len(), 2);
    let out = corpuslint(
        p,
        &[
            "--color",
            "always",
            "check",
            NOT_SHORT,
            "--output-file",
            "report.txt",
            "a.txt",
        ],
    );
    let human = fs::read_to_string(p.join("report.txt")).unwrap();
    assert!(
        human.starts_with("error[html/leftover-tag]") && !human.contains('\x1b'),
        "no colour in files: {human}"
    );
    assert!(stdout(&out).contains("1 error, 1 warning in 1 file"));
    let out = corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--output-file",
            "no/such/dir/r.txt",
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no/such/dir/r.txt: cannot write the report"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_baseline_matches_however_the_paths_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("corpus")).unwrap();
    fs::write(p.join("corpus/a.txt"), OLD).unwrap();
    corpuslint(
        p,
        &[
            "check",
            NOT_SHORT,
            "--write-baseline",
            "baseline.json",
            "corpus",
        ],
    );
    let absolute = p.join("corpus").display().to_string();
    let baseline = p.join("baseline.json").display().to_string();
    for (cwd, baseline, input) in [
        (p.to_path_buf(), "baseline.json", "./corpus"),
        (p.to_path_buf(), "baseline.json", "corpus/"),
        (p.to_path_buf(), "baseline.json", absolute.as_str()),
        (p.join("corpus"), "../baseline.json", "."),
        (p.join("corpus"), baseline.as_str(), "a.txt"),
        (std::env::temp_dir(), baseline.as_str(), absolute.as_str()),
    ] {
        let out = corpuslint(
            &cwd,
            &[
                "check",
                NOT_SHORT,
                "--isolated",
                "--baseline",
                baseline,
                "--format",
                "concise",
                input,
            ],
        );
        assert_eq!(
            stdout(&out),
            "no findings in 1 file; 2 findings hidden by the baseline\n",
            "from {} with {input}",
            cwd.display()
        );
        assert_eq!(out.status.code(), Some(0));
    }
}
