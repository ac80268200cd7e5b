//! Shell completions and the manual page, generated from the clap
//! definition: they know every command and flag, and they are well formed.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_corpuslint");

fn run(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .output()
        .expect("run corpuslint");
    assert!(
        out.status.success(),
        "corpuslint {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const COMMANDS: &[&str] = &[
    "check",
    "rules",
    "explain",
    "init",
    "test-rules",
    "schema",
    "completions",
    "manpage",
];

const CHECK_FLAGS: &[&str] = &[
    "--format",
    "--fix",
    "--unsafe-fixes",
    "--diff",
    "--select",
    "--ignore",
    "--fail-on",
    "--baseline",
    "--write-baseline",
    "--output-file",
    "--config",
    "--statistics",
];

#[test]
fn completions_know_every_command_and_flag() {
    for shell in ["bash", "zsh", "fish"] {
        let script = run(&["completions", shell]);
        for word in COMMANDS.iter().chain(CHECK_FLAGS) {
            let word = if shell == "fish" {
                // fish names long flags without their dashes: `-l unsafe-fixes`.
                word.trim_start_matches('-')
            } else {
                word
            };
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let bad = Command::new(BIN)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Loads the bash script and asks it what completes `corpuslint check --unsa`.
#[test]
fn bash_completes_a_flag() {
    if !has("bash") {
        eprintln!("bash not found; skipped");
        return;
    }
    let script = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpuslint.bash");
    std::fs::write(&path, script).unwrap();
    let probe = format!(
        "source '{}'\n\
         COMP_WORDS=(corpuslint check --unsa); COMP_CWORD=2\n\
         _corpuslint corpuslint --unsa check\n\
         echo \"${{COMPREPLY[@]}}\"\n\
         COMP_WORDS=(corpuslint check --fail-on ''); COMP_CWORD=3\n\
         _corpuslint corpuslint '' --fail-on\n\
         echo \"${{COMPREPLY[@]}}\"\n",
        path.display()
    );
    let out = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "--unsafe-fixes\nerror warning info never\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn man_page_has_the_title_and_the_check_options() {
    let page = run(&["manpage"]);
    assert!(page.contains("\n.TH corpuslint 1 "), "{page}");
    assert!(page.contains("\n.SH NAME\ncorpuslint \\- "), "{page}");
    // One page: the global options once, then each command with its own.
    assert_eq!(page.matches("\n.SH OPTIONS\n").count(), 1);
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
    for command in COMMANDS {
        assert!(
            page.contains(&format!("\n.SS \"corpuslint {command}\"\n")),
            "{command}"
        );
    }
    for flag in CHECK_FLAGS {
        let roff = flag.replace('-', "\\-");
        assert!(page.contains(&format!("\\fB{roff}\\fR")), "{flag}");
    }
    for section in ["EXIT STATUS", "FILES", "EXAMPLES", "SEE ALSO", "VERSION"] {
        assert!(
            page.contains(&format!("\n.SH \"{section}\"\n"))
                || page.contains(&format!("\n.SH {section}\n")),
            "{section}"
        );
    }
}

/// groff, when present, formats the page without a warning.
#[test]
fn man_page_formats_cleanly() {
    if !has("groff") {
        eprintln!("groff not found; skipped");
        return;
    }
    let page = run(&["manpage"]);
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-rLL=100n", "-P-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("corpuslint check"), "{text}");
    assert!(text.contains("EXIT STATUS"), "{text}");
}
