//! corpuslint.toml: discovery, every key, flags overriding the file, and
//! errors that point into the file.

mod common;
use common::*;

use std::fs;

const TAG: &str = "Die Regierung hat neue Regeln vorgestellt.< /p>\n";
const JOIN: &str = "Die Waffen sollen an der Front eingesetzt werden Die Armee kämpft mit erschöpften Beständen.\n";

#[test]
fn found_upward_and_relative_to_its_folder() {
    let dir = scratch_text(&[
        (
            "corpuslint.toml",
            "select = [\"join/\"]\nrules = [\"house\"]\n",
        ),
        (
            "house/marker.toml",
            "[[rule]]\nid = \"structure/marker\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'XXMARKXX'\nmessage = \"marker\"\nhelp = \"remove it\"\n",
        ),
        ("corpus/deep/a.txt", &format!("{TAG}{JOIN}XXMARKXX\n")),
    ]);
    // select = join/ hides the tag; the house rule is not selected either.
    let out = corpuslint(
        &dir.path().join("corpus/deep"),
        &["check", NOT_SHORT, "--format", "concise", "a.txt"],
    );
    assert_eq!(
        stdout(&out),
        "a.txt:2:43: warning[join/missing-full-stop] two sentences run together without a full stop: `werden Die`\n0 errors, 1 warning in 1 file; 0 fixable with --fix (1 more with --fix --unsafe-fixes)\n"
    );
    // A flag overrides the file; the house rule folder comes from the file.
    let out = corpuslint(
        &dir.path().join("corpus"),
        &[
            "check",
            NOT_SHORT,
            "--format",
            "concise",
            "--select",
            "structure/",
            "deep/a.txt",
        ],
    );
    assert!(
        stdout(&out).starts_with("deep/a.txt:3:1: error[structure/marker] marker\n"),
        "{}",
        stdout(&out)
    );
    // --isolated ignores it: every built-in rule runs, the house rule is unknown.
    let out = corpuslint(
        &dir.path().join("corpus"),
        &[
            "check",
            NOT_SHORT,
            "--isolated",
            "--format",
            "concise",
            "deep/a.txt",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains("html/leftover-tag")
            && text.contains("join/missing-full-stop")
            && !text.contains("structure/marker"),
        "{text}"
    );
}

#[test]
fn explicit_config_file() {
    let dir = scratch_text(&[
        (
            "ci/lint.toml",
            "ignore = [\"html/\"]\nfail-on = \"error\"\n",
        ),
        ("a.txt", &format!("{TAG}{JOIN}")),
    ]);
    let out = corpuslint(
        dir.path(),
        &[
            "check",
            "--config",
            "ci/lint.toml",
            "--format",
            "concise",
            "a.txt",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "fail-on = error and only a warning left"
    );
    assert!(!stdout(&out).contains("html/"), "{}", stdout(&out));
    let out = corpuslint(
        dir.path(),
        &[
            "check",
            "--config",
            "ci/lint.toml",
            "--fail-on",
            "warning",
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "the flag overrides the file");
    let out = corpuslint(dir.path(), &["check", "--config", "missing.toml", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.toml:1:1: no such configuration file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn severity_overrides_and_per_path_ignores() {
    let dir = scratch_text(&[
        (
            "corpuslint.toml",
            "[severity]\n\"join/missing-full-stop\" = \"info\"\n\"html/\" = \"warning\"\n\n[per-path-ignores]\n\"archive/**\" = [\"html/leftover-tag\"]\n",
        ),
        ("news/a.txt", &format!("{TAG}{JOIN}")),
        ("archive/2019/b.txt", &format!("{TAG}{JOIN}")),
    ]);
    let out = corpuslint(dir.path(), &["check", "--format", "concise", "."]);
    let text = stdout(&out);
    assert!(
        text.contains("news/a.txt:1:43: warning[html/leftover-tag]"),
        "{text}"
    );
    assert!(
        text.contains("news/a.txt:2:43: info[join/missing-full-stop]"),
        "{text}"
    );
    assert!(
        text.contains("archive/2019/b.txt:2:43: info[join/missing-full-stop]"),
        "{text}"
    );
    assert!(
        !text.contains("archive/2019/b.txt:1:43"),
        "ignored for archive/: {text}"
    );
    // Fixing honours the ignores too: the archived tag stays.
    corpuslint(dir.path(), &["check", "--fix", "."]);
    assert_eq!(
        fs::read_to_string(dir.path().join("archive/2019/b.txt")).unwrap(),
        format!("{TAG}{JOIN}")
    );
    assert!(
        !fs::read_to_string(dir.path().join("news/a.txt"))
            .unwrap()
            .contains("< /p>")
    );
}

#[test]
fn exclude_skips_walked_files_only() {
    let dir = scratch_text(&[
        ("corpuslint.toml", "exclude = [\"drafts/\", \"**/*.md\"]\n"),
        ("drafts/a.txt", TAG),
        ("notes/readme.md", TAG),
        ("news/b.txt", TAG),
    ]);
    let text = stdout(&corpuslint(
        dir.path(),
        &["check", "--format", "concise", "."],
    ));
    assert!(
        text.contains("news/b.txt") && !text.contains("drafts/") && !text.contains("readme.md"),
        "{text}"
    );
    let text = stdout(&corpuslint(
        dir.path(),
        &["check", "--format", "concise", "drafts/a.txt"],
    ));
    assert!(
        text.contains("drafts/a.txt:1:43"),
        "a file named on the command line is read: {text}"
    );
}

#[test]
fn settings_for_jsonl_and_language_come_from_the_file() {
    let dir = scratch_text(&[
        (
            "corpuslint.toml",
            "text-field = \"doc.body\"\nid-field = \"meta.id\"\nlang = \"en\"\n",
        ),
        (
            "s.jsonl",
            "{\"meta\": {\"id\": \"x1\"}, \"doc\": {\"body\": \"Rain all night It was cold.\"}}\n",
        ),
    ]);
    let out = corpuslint(
        dir.path(),
        &["check", NOT_SHORT, "--format", "jsonl", "s.jsonl"],
    );
    let f: serde_json::Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(
        (f["rule"].as_str(), f["doc_id"].as_str()),
        (Some("join/missing-full-stop"), Some("x1"))
    );
}

#[test]
fn errors_point_into_the_file() {
    let cases = [
        (
            "select = [\"html/\"]\nserverity = 1\n",
            "corpuslint.toml:2:1: unknown field `serverity`",
        ),
        (
            "exclude = [\"a[b\"]\n",
            "corpuslint.toml:1:12: bad glob `a[b`",
        ),
        (
            "ignore = [\"html/\", \"htlm/\"]\n",
            "corpuslint.toml:1:20: `htlm/` in `ignore` matches no rule",
        ),
        (
            "[severity]\n\"join/nope\" = \"info\"\n",
            "corpuslint.toml:2:1: `join/nope` in `severity` matches no rule",
        ),
        (
            "[per-path-ignores]\n\"a/**\" = [\"nope/\"]\n",
            "corpuslint.toml:2:11: `nope/` in `per-path-ignores` matches no rule",
        ),
        (
            "fail-on = \"sometimes\"\n",
            "corpuslint.toml:1:11: unknown variant `sometimes`",
        ),
        (
            "lang = \"german!\"\n",
            "corpuslint.toml:1:8: `german!` is not a language",
        ),
    ];
    for (config, expected) in cases {
        let dir = scratch_text(&[("corpuslint.toml", config), ("a.txt", TAG)]);
        let out = corpuslint(dir.path(), &["check", "a.txt"]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        assert!(
            stderr(&out).contains(expected),
            "{config}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn init_writes_a_starter_that_loads() {
    let dir = scratch_text(&[("a.txt", TAG)]);
    let out = corpuslint(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let written = fs::read_to_string(dir.path().join("corpuslint.toml")).unwrap();
    assert!(written.contains("[per-path-ignores]") && written.contains("fail-on = \"warning\""));
    let out = corpuslint(dir.path(), &["check", "a.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let again = corpuslint(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("corpuslint.toml already exists"));
    assert_eq!(
        corpuslint(dir.path(), &["init", "--force"]).status.code(),
        Some(0)
    );
}

#[test]
fn rules_and_explain_know_the_configured_rule_folders() {
    let rule = "[[rule]]\nid = \"structure/marker\"\nseverity = \"error\"\nkind = \"pattern\"\npattern = 'XXMARKXX'\nmessage = \"marker\"\nhelp = \"remove it\"\ndocs = \"A house rule.\"\n\n[[rule.examples]]\nbad = \"a XXMARKXX\"\n";
    let dir = scratch_text(&[
        ("corpuslint.toml", "rules = [\"house\"]\n"),
        ("house/marker.toml", rule),
        ("a.txt", "a XXMARKXX\n"),
    ]);
    let list = stdout(&corpuslint(dir.path(), &["rules"]));
    assert!(
        list.contains("structure/marker") && list.contains("house/marker.toml"),
        "{list}"
    );
    let explained = corpuslint(dir.path(), &["explain", "structure/marker"]);
    assert!(
        stdout(&explained).contains("A house rule."),
        "{}",
        stderr(&explained)
    );
    // Named again with --rules, the folder is read once (no duplicate ids).
    let out = corpuslint(
        dir.path(),
        &[
            "check", NOT_SHORT, "--rules", "house", "--format", "concise", "a.txt",
        ],
    );
    assert!(
        stdout(&out).starts_with("a.txt:1:3: error[structure/marker] marker"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let tested = corpuslint(dir.path(), &["test-rules", "house"]);
    assert_eq!(
        tested.status.code(),
        Some(0),
        "{}{}",
        stdout(&tested),
        stderr(&tested)
    );
}
