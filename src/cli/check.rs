//! `corpuslint check`: lint, fix or diff, report, and the exit code.

use super::args::{CheckArgs, StdinFormat};
use super::{find_config, load_rules_with, print_rule_errors};
use corpuslint::Severity;
use corpuslint::baseline::{self, Baseline};
use corpuslint::config::{Config, FailOn};
use corpuslint::engine::{self, Document, Linter, Mode, PathLinter, Progress, RunOptions, Sink};
use corpuslint::input::jsonl::FieldPath;
use corpuslint::input::{self, Format, InputError, Source};
use corpuslint::lang::LangChoice;
use corpuslint::report::pipe::PipeGuard;
use corpuslint::report::{self, Reporter, Summary};
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use termcolor::{BufferedStandardStream, ColorChoice, WriteColor};

/// Errors printed per input before the rest are only counted.
pub(crate) const ERRORS_SHOWN_PER_INPUT: usize = 20;

/// Receives the engine's results in order: reports them, counts them.
pub(crate) struct CliSink<'a> {
    reporter: Box<dyn Reporter>,
    /// Where the report goes (standard error when `--fix` rewrites stdin).
    out: &'a mut dyn WriteColor,
    summary: Summary,
    mode: Mode,
    threshold: Option<Severity>,
    failing: bool,
    errors_per_input: HashMap<String, usize>,
    baseline: Option<Baseline>,
    /// `--write-baseline`: every finding, before the baseline hides any,
    /// and how the file names documents.
    record: Option<(Vec<baseline::Entry>, baseline::Paths)>,
    /// `--fix` on standard input: the reader of standard output went away
    /// before all the fixed text was written.
    fixed_output_lost: bool,
}

impl Sink for CliSink<'_> {
    fn document(&mut self, mut doc: Document) -> io::Result<()> {
        if let Some((record, paths)) = &mut self.record {
            record.extend(baseline::entries(&doc, paths));
        }
        if let Some(b) = &mut self.baseline {
            b.filter(&mut doc);
        }
        self.summary.add(&doc);
        for rule in &doc.unsettled {
            self.out.flush()?;
            eprintln!(
                "error: {}: the fixes of `{rule}` did not settle after {} passes (each pass changed the text again); they were left out",
                doc.name(),
                engine::MAX_FIX_PASSES
            );
        }
        if let Some(t) = self.threshold {
            self.failing |= doc.diagnostics.iter().any(|d| d.severity >= t);
        }
        match self.mode {
            Mode::Diff => self.out.write_all(doc.diff.as_bytes()),
            _ => self.reporter.document(self.out, &doc),
        }
    }

    fn error(&mut self, error: InputError) -> io::Result<()> {
        let record = error.message.starts_with("record ");
        if record {
            self.summary.bad_records += 1;
        } else {
            self.summary.failed += 1;
            // What went wrong with the input as a whole (a corrupt or
            // truncated stream, often the cause of the bad records before
            // it) is always shown; only record errors are capped.
            self.out.flush()?;
            eprintln!("error: {error}");
            return Ok(());
        }
        let shown = self.errors_per_input.entry(error.path.clone()).or_default();
        *shown += 1;
        if *shown <= ERRORS_SHOWN_PER_INPUT {
            self.out.flush()?;
            eprintln!("error: {error}");
        } else if *shown == ERRORS_SHOWN_PER_INPUT + 1 {
            self.out.flush()?;
            eprintln!(
                "error: {}: more errors in this input are counted but not shown",
                error.path
            );
        }
        Ok(())
    }

    fn fixes_lost(&mut self, path: &str, documents: usize, fixes: usize) -> io::Result<()> {
        self.summary.fixed -= fixes.min(self.summary.fixed);
        self.summary.files_fixed -= documents.min(self.summary.files_fixed);
        self.out.flush()?;
        eprintln!(
            "error: {path}: left as it was, so {} listed for it {} not applied",
            report::plural(fixes, "fix"),
            if fixes == 1 { "is" } else { "are" }
        );
        Ok(())
    }

    fn fixed_stdin(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.fixed_output_lost {
            return Ok(());
        }
        let mut stdout = io::stdout().lock();
        match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.fixed_output_lost = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// A progress bar on standard error for large runs, when standard error is
/// a terminal and the findings do not stream to the same terminal. Never in
/// CI or on pipes.
pub(crate) fn progress_bar(
    sources: &[Source],
    progress: &Arc<Progress>,
    statistics: bool,
) -> Option<(
    indicatif::ProgressBar,
    std::thread::JoinHandle<()>,
    Arc<std::sync::atomic::AtomicBool>,
)> {
    const LARGE: u64 = 64 << 20;
    let interactive = io::stderr().is_terminal() && (statistics || !io::stdout().is_terminal());
    if !interactive || std::env::var_os("CI").is_some() {
        return None;
    }
    let stdin = sources.iter().any(Source::is_stdin);
    let total: u64 = sources
        .iter()
        .filter_map(|s| match &s.origin {
            corpuslint::input::Origin::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            corpuslint::input::Origin::Stdin => None,
        })
        .sum();
    if total < LARGE && !stdin {
        return None;
    }
    let bar = if stdin {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::new(total)
    };
    let template = if stdin {
        "{spinner} {bytes} read, {binary_bytes_per_sec} {msg}"
    } else {
        "{wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}"
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (b, p, d) = (bar.clone(), progress.clone(), done.clone());
    let ticker = std::thread::spawn(move || {
        let start = std::time::Instant::now();
        while !d.load(Ordering::Relaxed) {
            b.set_position(p.bytes.load(Ordering::Relaxed));
            if p.counting.load(Ordering::Relaxed) {
                b.set_message("first pass: counting lines across documents");
            } else {
                let docs = p.documents.load(Ordering::Relaxed);
                let rate = docs as f64 / start.elapsed().as_secs_f64().max(0.001);
                b.set_message(format!("{docs} documents ({rate:.0}/s)"));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    Some((bar, ticker, done))
}

pub(crate) fn check(args: CheckArgs, color: ColorChoice) -> io::Result<u8> {
    if args.fix {
        // Before anything is written: a signal removes the temporary files.
        corpuslint::cleanup::install();
    }
    let cwd = std::env::current_dir()?;
    let config = match find_config(&args, &cwd) {
        Ok(c) => c,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let config_dirs = config.as_ref().map(|c| c.rules.clone()).unwrap_or_default();
    let set = match load_rules_with(&args.rules, &config_dirs, true) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let mut set = set;
    if let Some(c) = &config
        && let Err(errors) = c
            .check_rule_ids(&set)
            .and_then(|()| c.apply_options(&mut set))
    {
        print_rule_errors(&errors);
        return Ok(2);
    }
    // Flags override the file.
    let pick = |flag: &Vec<String>, file: Option<&Vec<String>>| -> Vec<String> {
        if flag.is_empty() {
            file.cloned().unwrap_or_default()
        } else {
            flag.clone()
        }
    };
    let select = pick(&args.select, config.as_ref().map(|c| &c.select));
    let ignore = pick(&args.ignore, config.as_ref().map(|c| &c.ignore));
    let set = match set.filter(&select, &ignore) {
        Ok(set) => set,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(2);
        }
    };
    if set.is_empty() {
        eprintln!(
            "error: no rules to run (--no-default-rules without --rules, or everything ignored)"
        );
        return Ok(2);
    }
    let severities = config
        .as_ref()
        .map(|c| c.severity.clone())
        .unwrap_or_default();
    // Before the linter: its sets compile on the worker threads.
    if let Some(n) = args.jobs {
        let n = n.max(1);
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            eprintln!("error: cannot start {n} worker threads: {e}");
            return Ok(2);
        }
    }
    let linter = match Linter::new(&set) {
        Ok(l) => Arc::new(l.with_severities(severities.clone())),
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(2);
        }
    };
    let path_linter = config
        .as_ref()
        .filter(|c| !c.per_path_ignores.is_empty())
        .map(|c| {
            let (c, set, cwd) = (c.clone(), set.clone(), cwd.clone());
            let cache: std::sync::Mutex<HashMap<Vec<usize>, Arc<Linter>>> = Default::default();
            PathLinter(Arc::new(move |path: &str| {
                let hits = c.path_ignores(&cwd, std::path::Path::new(path));
                if hits.is_empty() {
                    return None;
                }
                let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(l) = cache.get(&hits) {
                    return Some(l.clone());
                }
                let ignored: Vec<String> = hits
                    .iter()
                    .flat_map(|&i| c.per_path_ignores[i].1.clone())
                    .collect();
                let kept = set.without(&ignored);
                let linter = Arc::new(Linter::new(&kept).ok()?.with_severities(c.severity.clone()));
                cache.insert(hits, linter.clone());
                Some(linter)
            }))
        });
    let mode = if args.fix {
        Mode::Fix
    } else if args.diff {
        Mode::Diff
    } else {
        Mode::Check
    };
    // Settings: flag, else the file, else the default.
    let from_file = |get: fn(&Config) -> Option<String>| config.as_ref().and_then(get);
    let lang = match (&args.lang, from_file(|c| c.lang.clone())) {
        (Some(flag), _) => flag.clone(),
        (None, Some(file)) => LangChoice::parse(&file).unwrap_or_default(),
        (None, None) => LangChoice::Auto,
    };
    let field = |flag: &Option<FieldPath>, file: Option<String>, default: &str| match (flag, file) {
        (Some(f), _) => f.clone(),
        (None, Some(f)) => FieldPath::parse(&f)
            .unwrap_or_else(|_| FieldPath::parse(default).expect("valid default")),
        (None, None) => FieldPath::parse(default).expect("valid default"),
    };
    let text_field = field(
        &args.text_field,
        from_file(|c| c.text_field.clone()),
        "text",
    );
    let id_field = field(&args.id_field, from_file(|c| c.id_field.clone()), "id");
    let fail_on = args
        .fail_on
        .or(config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Warning);
    let opts = Arc::new(RunOptions {
        mode,
        unsafe_fixes: args.unsafe_fixes,
        lang,
        text_field,
        id_field,
        stdin_format: args.stdin_format.map(|f| match f {
            StdinFormat::Text => Format::Text,
            StdinFormat::Jsonl => Format::Jsonl,
        }),
        chunk_bytes: args.chunk_bytes.max(1),
        path_linter,
        keep_record_lines: args.format == report::Format::Sarif,
        max_file_size: args.max_file_size,
    });
    let exclude = |p: &std::path::Path| config.as_ref().is_some_and(|c| c.is_excluded(&cwd, p));
    let collected = input::collect(&args.paths, &exclude, args.follow);
    let (sources, walk_errors) = (collected.sources, collected.errors);
    if collected.symlinks_skipped > 0 {
        eprintln!(
            "note: {} in the folders walked {} not followed; pass --follow (-L) to check what they point to",
            report::plural(collected.symlinks_skipped, "symbolic link"),
            if collected.symlinks_skipped == 1 {
                "was"
            } else {
                "were"
            }
        );
    }
    let stdin_fix = mode == Mode::Fix && sources.iter().any(Source::is_stdin);
    if mode == Mode::Fix {
        clean_stale_temp_files(&sources);
    }

    // With `--fix` on standard input the fixed text is the output, and the
    // report goes to standard error.
    // A reader that goes away stops the printing, not the run.
    let mut stdout = PipeGuard::new(BufferedStandardStream::stdout(color));
    let mut stderr = PipeGuard::new(BufferedStandardStream::stderr(color));
    let reporter: Box<dyn Reporter> = if args.statistics {
        Box::new(report::Statistics::new(args.format))
    } else {
        report::reporter(args.format, &set)
    };
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path, baseline::Paths::new(&cwd, path)) {
            Ok(b) => Some(b),
            Err(msg) => {
                eprintln!("error: {msg}");
                return Ok(2);
            }
        },
        None => None,
    };
    let mut file_out = match &args.output_file {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Some(termcolor::NoColor::new(io::BufWriter::new(f))),
            Err(e) => {
                eprintln!("error: {}: cannot write the report: {e}", path.display());
                return Ok(2);
            }
        },
        None => None,
    };
    let out: &mut dyn WriteColor = match (&mut file_out, stdin_fix) {
        (Some(f), _) => f,
        (None, true) => &mut stderr,
        (None, false) => &mut stdout,
    };
    let mut sink = CliSink {
        reporter,
        out,
        summary: Summary::new(mode, args.unsafe_fixes),
        mode,
        threshold: fail_on.threshold(),
        failing: false,
        errors_per_input: HashMap::new(),
        baseline,
        record: args
            .write_baseline
            .as_ref()
            .map(|path| (Vec::new(), baseline::Paths::new(&cwd, path))),
        fixed_output_lost: false,
    };
    for e in walk_errors {
        sink.error(e)?;
    }
    let progress = Arc::new(Progress::default());
    let bar = progress_bar(&sources, &progress, args.statistics);
    let result = engine::run(linter, sources, opts, &mut sink, progress);
    if let Some((bar, ticker, done)) = bar {
        done.store(true, Ordering::Relaxed);
        let _ = ticker.join();
        bar.finish_and_clear();
    }
    result?;
    if let Some(b) = &sink.baseline {
        sink.summary.baseline = Some((b.hidden, b.stale()));
    }
    let summary = sink.summary.clone();
    match mode {
        Mode::Diff => {
            sink.out.flush()?;
            eprintln!(
                "{} in {} would change; run with --fix{} to apply",
                report::plural(summary.fixed, "fix"),
                report::plural(
                    summary.files_fixed,
                    if summary.documents == summary.files {
                        "file"
                    } else {
                        "document"
                    }
                ),
                if args.unsafe_fixes {
                    " --unsafe-fixes"
                } else {
                    ""
                }
            );
        }
        _ => sink.reporter.finish(sink.out, &summary)?,
    }
    let failing = sink.failing;
    let fixed_output_lost = sink.fixed_output_lost;
    let record = sink.record.take();
    if let Some(f) = &mut file_out {
        f.flush()?;
        // The report went to the file; the summary still reaches the terminal.
        writeln!(stdout, "{}", summary.line())?;
    }
    stdout.flush()?;
    stderr.flush()?;
    if let (Some(path), Some((entries, _))) = (&args.write_baseline, record) {
        let n = entries.len();
        if let Err(e) = baseline::write(path, entries) {
            eprintln!("error: {}: cannot write the baseline: {e}", path.display());
            return Ok(2);
        }
        eprintln!(
            "wrote {} to the baseline {}",
            report::plural(n, "finding"),
            path.display()
        );
    }
    if summary.documents == 0
        && summary.failed == 0
        && summary.bad_records == 0
        && !args.allow_empty
    {
        eprintln!(
            "error: no file to check in {}: nothing was checked (pass --allow-empty if that is expected)",
            args.paths.join(", ")
        );
        return Ok(2);
    }
    if fixed_output_lost {
        eprintln!("error: standard output was closed before all the fixed text was written to it");
        return Ok(2);
    }
    if summary.failed > 0 || summary.bad_records > 0 || summary.unsettled > 0 {
        return Ok(2);
    }
    Ok(u8::from(failing))
}

/// Removes the temporary files that killed `--fix` runs left in the
/// folders this run fixes in, and names those it cannot tell are stale.
pub(crate) fn clean_stale_temp_files(sources: &[Source]) {
    let mut dirs: Vec<PathBuf> = sources
        .iter()
        .filter_map(|s| match &s.origin {
            input::Origin::File(p) => std::fs::canonicalize(p)
                .ok()
                .and_then(|p| p.parent().map(PathBuf::from)),
            input::Origin::Stdin => None,
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    let (mut removed, mut left) = (0, Vec::new());
    for dir in dirs {
        let stale = corpuslint::cleanup::stale_temp_files(&dir);
        removed += stale.removed.len();
        left.extend(stale.left);
    }
    if removed > 0 {
        eprintln!(
            "note: removed {} that an interrupted run of corpuslint left behind",
            report::plural(removed, "temporary file")
        );
    }
    for path in left {
        eprintln!(
            "warning: {}: a temporary file of an earlier corpuslint run; remove it if no other run is fixing this folder",
            path.display()
        );
    }
}
