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
        } else if !p.file_name().unwrap().to_string_lossy().starts_with('.') {
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
        let out = read_one_line(
            dir.path(),
            &["check", "--fix", "-j", "2", "--format", format, "."],
            Stdio::piped(),
        );
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
    // `corpuslint check corpus/ | head -1`
    let out = read_one_line(dir.path(), &["check", "."], Stdio::null());
    assert_eq!(out.status.code(), Some(1));
}

/// Runs corpuslint in `dir` with its output into a pipe whose reader goes
/// away after the first line, as `| head -1` does.
fn read_one_line(dir: &Path, args: &[&str], stderr: Stdio) -> std::process::Output {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone.
    child.wait_with_output().unwrap()
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

/// Every file of `dir` holding `.corpuslint-` in its name.
fn temp_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(temp_files(&p));
        } else if p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".corpuslint-")
        {
            out.push(p);
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn a_signal_in_the_middle_of_fix_leaves_every_file_old_or_new() {
    let record = |i: usize| {
        format!(
            "{{\"id\":{i},\"text\":{}}}\n",
            serde_json::to_string(&ARTICLE.repeat(8)).unwrap()
        )
    };
    let shard: String = (0..2500).map(record).collect();
    let fixed_shard: String = (0..2500)
        .map(|i| {
            format!(
                "{{\"id\":{i},\"text\":{}}}\n",
                serde_json::to_string(&FIXED.repeat(8)).unwrap()
            )
        })
        .collect();
    // Pseudo-random moments, the same on every run of the test.
    let moments = [
        ("KILL", 70),
        ("TERM", 40),
        ("INT", 90),
        ("KILL", 350),
        ("TERM", 220),
        ("INT", 5),
    ];
    for (signal, ms) in moments {
        let dir = tempfile::tempdir().unwrap();
        corpus(&dir.path().join("articles"), 400);
        fs::write(dir.path().join("shard.jsonl"), &shard).unwrap();
        let mut child = Command::new(BIN)
            .current_dir(dir.path())
            .args(["check", "--fix", "-j", "2", "--format", "concise", "."])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the fixing to begin (the first article is rewritten),
        // then for the moment.
        let first = dir.path().join("articles/00/00000.txt");
        while fs::read_to_string(&first).unwrap() != FIXED && child.try_wait().unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let still_running = child.try_wait().unwrap().is_none();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        if !still_running {
            panic!("the run ended before SIG{signal} at {ms} ms: make the corpus larger");
        }
        use std::os::unix::process::ExitStatusExt;
        match signal {
            "KILL" => assert_eq!(exit.signal(), Some(9)),
            "TERM" => assert_eq!(exit.code(), Some(143), "{exit:?}"),
            _ => assert_eq!(exit.code(), Some(130), "{exit:?}"),
        }
        // Old or new, never torn (count_fixed panics on anything else).
        let (fixed, old) = count_fixed(&dir.path().join("articles"));
        assert_eq!(fixed + old, 400);
        let s = fs::read_to_string(dir.path().join("shard.jsonl")).unwrap();
        assert!(s == shard || s == fixed_shard, "SIG{signal}: torn shard");
        if signal != "KILL" {
            assert_eq!(
                temp_files(dir.path()),
                Vec::<std::path::PathBuf>::new(),
                "SIG{signal} at {ms} ms"
            );
        }
        // A later run finishes the job and removes what a SIGKILL left.
        let out = corpuslint(dir.path(), &["check", "--fix", "--format", "concise", "."]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(count_fixed(&dir.path().join("articles")), (400, 0));
        assert_eq!(
            fs::read_to_string(dir.path().join("shard.jsonl")).unwrap(),
            fixed_shard
        );
        assert_eq!(temp_files(dir.path()), Vec::<std::path::PathBuf>::new());
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_noted_followed_on_request_and_fixed_at_their_target() {
    use std::os::unix::fs::symlink;
    // The Hugging Face cache: snapshot files are links into blobs/.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir_all(p.join("blobs")).unwrap();
    fs::create_dir_all(p.join("snapshots/main")).unwrap();
    fs::write(p.join("blobs/1f2e"), ARTICLE).unwrap();
    symlink("../../blobs/1f2e", p.join("snapshots/main/a.txt")).unwrap();

    let out = corpuslint(p, &["check", "snapshots"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "note: 1 symbolic link in the folders walked was not followed; pass --follow (-L) to check what they point to\n\
         error: no file to check in snapshots: nothing was checked (pass --allow-empty if that is expected)\n"
    );
    let out = corpuslint(p, &["check", "--allow-empty", "snapshots"]);
    assert_eq!(out.status.code(), Some(0));

    let out = corpuslint(
        p,
        &["check", "-L", "--fix", "--format", "concise", "snapshots"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(p.join("snapshots/main/a.txt"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(fs::read_to_string(p.join("blobs/1f2e")).unwrap(), FIXED);

    // A link named on the command line is followed, and fixed at its target.
    fs::write(p.join("blobs/1f2e"), ARTICLE).unwrap();
    corpuslint(p, &["check", "--fix", "snapshots/main/a.txt"]);
    assert!(
        fs::symlink_metadata(p.join("snapshots/main/a.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(p.join("blobs/1f2e")).unwrap(), FIXED);
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let dir = scratch_text(&[("a.txt", ARTICLE)]);
    let out = corpuslint(
        dir.path(),
        &[
            "check", "--fix", "--format", "concise", "a.txt", "./a.txt", ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).lines().last().unwrap(),
        "fixed 1 finding in 1 file; 0 errors, 1 warning, 1 info in 1 file; 0 fixable with --fix (1 more with --fix --unsafe-fixes)"
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_the_owner_and_group() {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only root may give a file to another owner");
        return;
    }
    let dir = scratch_text(&[("a.txt", ARTICLE)]);
    let path = dir.path().join("a.txt");
    std::os::unix::fs::chown(&path, Some(4321), Some(8765)).unwrap();
    let out = corpuslint(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 8765));
}

#[test]
fn a_corrupt_zstd_shard_shows_the_decoder_error_past_the_cap() {
    // Thirty records that are not JSON (more than the 20 errors shown per
    // input), then good ones, then a damaged checksum.
    let lines: String = (0..30)
        .map(|i| format!("{{broken {i}\n"))
        .chain((0..20000).map(|i| format!("{{\"id\":{i},\"text\":\"Satz {i} mit Inhalt.\"}}\n")))
        .collect();
    let mut z = zstd::encode_all(lines.as_bytes(), 3).unwrap();
    // Damage the frame's checksum (its last four bytes).
    let n = z.len();
    for b in &mut z[n - 4..] {
        *b ^= 0xFF;
    }
    let dir = scratch(&[("s.jsonl.zst", &z)]);
    let out = corpuslint(dir.path(), &["check", "--format", "concise", "s.jsonl.zst"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("more errors in this input are counted but not shown"),
        "{err}"
    );
    assert!(
        err.contains("error: s.jsonl.zst: cannot read on from record"),
        "{err}"
    );
}

/// Mounts a tmpfs of `kb` KiB at `dir`; `false` when this machine does not
/// let the test (not root, or no mount in this sandbox).
#[cfg(target_os = "linux")]
fn mount_tmpfs(dir: &Path, kb: usize) -> bool {
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kb}k"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).unwrap();
    if !mount_tmpfs(&disk, 1024) {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and mount rights)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&disk);
    // 700 KiB of article: its fixed copy does not fit beside it.
    let article = ARTICLE.repeat(700 * 1024 / ARTICLE.len());
    fs::write(disk.join("a.txt"), &article).unwrap();
    let shard: String = (0..1500)
        .map(|i| format!("{{\"id\":{i},\"text\":\"Satz {i} hier.< /p>\"}}\n"))
        .collect();
    let out = corpuslint(&disk, &["check", "--fix", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a.txt: cannot write the fixed file")
            && stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(disk.join("a.txt")).unwrap(), article);
    assert_eq!(temp_files(&disk), Vec::<std::path::PathBuf>::new());

    // A shard that fills the disk while it is rewritten.
    fs::remove_file(disk.join("a.txt")).unwrap();
    fs::write(disk.join("s.jsonl"), &shard).unwrap();
    // Fill the disk, then free 16 KiB: the start of the fixed shard fits,
    // the rest does not.
    {
        use std::io::Write;
        let mut filler = fs::File::create(disk.join("filler.bin")).unwrap();
        while filler.write_all(&[b'x'; 4096]).is_ok() {}
        let len = filler.metadata().unwrap().len();
        filler.set_len(len.saturating_sub(16 * 1024)).unwrap();
    }
    let out = corpuslint(&disk, &["check", "--fix", "--format", "concise", "s.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(disk.join("s.jsonl")).unwrap(), shard);
    assert_eq!(temp_files(&disk), Vec::<std::path::PathBuf>::new());
    let summary = stdout(&out).lines().last().unwrap().to_string();
    assert!(summary.starts_with("fixed 0 findings"), "{summary}");
}
