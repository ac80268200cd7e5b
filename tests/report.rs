//! `corpuslint report`: one self-contained page whose counts are those of
//! `check --statistics`, the same for any thread count, with corpus text
//! shown as text; and, where a browser is installed, the page as Chromium
//! renders it.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the report of `inputs` (relative to `dir`) to a scratch file, and
/// returns it.
fn report(dir: &Path, inputs: &[&str], extra: &[&str]) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("out.html");
    let mut args = vec!["report", "--isolated", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    let o = Command::new(BIN)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1796300000")
        .args(&args)
        .output()
        .expect("run corpuslint");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote "), "{}", stdout(&o));
    fs::read_to_string(out).expect("the report is written")
}

/// The rows of the page's rule table: rule → [findings, documents, safe,
/// unsafe].
fn table(page: &str) -> BTreeMap<String, [u64; 4]> {
    let row = regex::Regex::new(
        r##"<tr><td><a href="#rule-[^"]*">([^<]+)</a></td><td>[^<]*</td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td></tr>"##,
    )
    .unwrap();
    row.captures_iter(page)
        .map(|c| {
            let n = |i: usize| c[i].parse::<u64>().unwrap();
            (c[1].to_string(), [n(2), n(3), n(4), n(5)])
        })
        .collect()
}

#[test]
fn the_counts_are_those_of_check_statistics() {
    let root = repo();
    let page = report(&root, &["examples/corpus"], &[]);
    let stats = corpuslint(
        &root,
        &[
            "check",
            "--isolated",
            "--statistics",
            "--format",
            "json",
            "--fail-on",
            "never",
            "examples/corpus",
        ],
    );
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).expect("statistics JSON");
    let expected: BTreeMap<String, [u64; 4]> = stats["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|row| {
            let n = |k: &str| row[k].as_u64().unwrap();
            (
                row["rule"].as_str().unwrap().to_string(),
                [
                    n("findings"),
                    n("documents"),
                    n("fixable_safe"),
                    n("fixable_unsafe"),
                ],
            )
        })
        .collect();
    assert!(expected.len() >= 10, "the sample corpus fires many rules");
    assert_eq!(table(&page), expected);
    // One bar per rule that fired, each linked to the rule's section.
    assert_eq!(page.matches("rule-findings\"").count(), expected.len());
    for id in expected.keys() {
        let anchor: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        assert!(page.contains(&format!("id=\"rule-{anchor}\"")), "{id}");
        assert!(page.contains(&format!("href=\"#rule-{anchor}\"")), "{id}");
    }
    let total: u64 = expected.values().map(|r| r[0]).sum();
    assert!(
        page.contains(&format!("<td>{total}: ")),
        "total findings {total}"
    );
    // Self-contained: nothing fetched from elsewhere.
    for outside in ["http://", "https://", "src=\"", "<link"] {
        let allowed = "xmlns=\"http://www.w3.org/2000/svg\"";
        assert!(
            !page.replace(allowed, "").contains(outside),
            "the page refers to {outside}"
        );
    }
}

#[test]
fn the_page_is_the_same_for_any_thread_count() {
    let root = repo();
    let a = report(&root, &["examples/corpus", "tests/ui"], &["-j1"]);
    let b = report(&root, &["examples/corpus", "tests/ui"], &["-j4"]);
    assert!(a == b, "the pages differ between -j1 and -j4");
    // Without SOURCE_DATE_EPOCH only the one line with the time differs.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("now.html");
    let o = Command::new(BIN)
        .current_dir(&root)
        .args(["report", "--isolated", "-j2", "-o"])
        .arg(&out)
        .args(["examples/corpus", "tests/ui"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let now = fs::read_to_string(out).unwrap();
    let strip = |s: &str| {
        let start = s.find("<p class=\"generated\">").unwrap();
        let end = start + s[start..].find("</p>").unwrap();
        format!("{}{}", &s[..start], &s[end..])
    };
    assert_eq!(strip(&now), strip(&a));
    assert_ne!(now, a, "the time line is there");
}

#[test]
fn corpus_text_shows_as_text() {
    let dir = scratch_text(&[(
        "evil.txt",
        "Der Rat tagte am Montag. <script>alert('x')</script> Danach gab es Streit.\n\
         <img src=x onerror=alert(1)> Anzeige\n\
         Mehr dazu: \"><b>fett</b> &amp; mehr < /p>\n",
    )]);
    let page = report(dir.path(), &["evil.txt"], &["--samples", "9"]);
    assert!(
        !page.contains("<script>alert"),
        "a script of the corpus ran"
    );
    assert!(
        !page.contains("<img src=x"),
        "markup of the corpus rendered"
    );
    assert!(!page.contains("<b>fett"), "markup of the corpus rendered");
    assert!(
        page.contains("&lt;script&gt;alert"),
        "the script shows as text"
    );
    // The page's own script is the one that sorts the table.
    assert_eq!(page.matches("<script>").count(), 1);
}

#[test]
fn jsonl_samples_name_the_record_and_its_id() {
    let dir = scratch_text(&[(
        "shard.jsonl",
        "{\"id\":\"doc-1\",\"text\":\"Ein ganz normaler Satz über das Wetter in Berlin.\"}\n\
         {\"id\":\"doc-2\",\"text\":\"Der Text endet hier.< /p> Und geht weiter.\"}\n",
    )]);
    let page = report(dir.path(), &["shard.jsonl"], &[]);
    assert!(page.contains("shard.jsonl record 2 (id doc-2)"), "{page}");
}

#[test]
fn a_report_that_cannot_be_written_says_so() {
    let dir = scratch_text(&[("a.txt", "Ein Satz.< /p>\n")]);
    let o = corpuslint(
        dir.path(),
        &["report", "--isolated", "-o", "no/such/dir/r.html", "a.txt"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("no/such/dir/r.html"), "{}", stderr(&o));
}

/// The page as a real browser renders it: Chromium headless loads the
/// report of the sample corpus, the DOM it builds has one bar per rule and
/// every section link resolves, the console stays clean, and a screenshot
/// goes to target/report-screenshot.png. Without a browser the test says
/// why it did nothing, unless CORPUSLINT_REQUIRE_BROWSER is set (as
/// `.ci/run` does after installing Chromium).
#[test]
fn chromium_renders_the_report() {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(browser) = browser else {
        assert!(
            std::env::var_os("CORPUSLINT_REQUIRE_BROWSER").is_none(),
            "CORPUSLINT_REQUIRE_BROWSER is set and no Chromium was found"
        );
        eprintln!("skipped: no chromium, chromium-browser or google-chrome on PATH");
        return;
    };
    let root = repo();
    let target = root.join("target");
    fs::create_dir_all(&target).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    fs::write(&page, report(&root, &["examples/corpus"], &[])).unwrap();
    let url = format!("file://{}", page.display());
    let profile = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("run the browser")
    };
    let dom = run(&["--dump-dom"]);
    assert!(dom.status.success(), "{}", stderr(&dom));
    let dom_text = stdout(&dom);
    let html = fs::read_to_string(&page).unwrap();
    let rules = table(&html).len();
    assert!(rules >= 10);
    assert_eq!(
        dom_text.matches("rule-findings\"").count(),
        rules,
        "bars in the DOM"
    );
    assert!(dom_text.contains("<svg"), "the charts are in the DOM");
    // The table script ran on the page: its rows are still all there.
    assert_eq!(table(&dom_text).len(), rules);
    for link in dom_text.split("href=\"#").skip(1) {
        let id = &link[..link.find('"').unwrap()];
        assert!(
            dom_text.contains(&format!("id=\"{id}\"")),
            "the link to #{id} leads nowhere"
        );
    }
    let log = stderr(&dom);
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "the console said: {console:#?}");
    let shot = target.join("report-screenshot.png");
    let _ = fs::remove_file(&shot);
    let o = run(&[
        "--window-size=1280,4200",
        &format!("--screenshot={}", shot.display()),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let png = fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
}

#[test]
fn the_share_histogram_marks_the_thresholds_in_use() {
    let dir = scratch_text(&[
        ("corpuslint.toml", "[filter]\nmax-boilerplate-share = 0.5\n"),
        (
            "a.txt",
            "Anzeige\nDer Rat tagte am Montag und beschloss den Haushalt.\n",
        ),
    ]);
    let o = corpuslint(dir.path(), &["report", "-o", "r.html", "a.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(
        page.contains("boilerplate-share reports from 30%"),
        "{page}"
    );
    assert!(page.contains("filter drops above 50%"), "{page}");
}
