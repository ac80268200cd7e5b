//! `corpuslint check`: lint, fix or diff, report, and the exit code.

use super::args::CheckArgs;
use corpuslint::Severity;
use corpuslint::baseline::{self, Baseline};
use corpuslint::config::FailOn;
use corpuslint::engine::{self, Document, Mode, Progress, RunOptions, Sink};
use corpuslint::input::{self, InputError, Source};
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
        corpuslint::timings::time("report", || match self.mode {
            Mode::Diff => self.out.write_all(doc.diff.as_bytes()),
            _ => self.reporter.document(self.out, &doc),
        })
    }

    fn error(&mut self, error: InputError) -> io::Result<()> {
        self.reporter.input_failed(&error.path);
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

/// Builds a run's reporter from its rules and configuration, in place of
/// the one `--format` names.
pub(crate) type MakeReporter = Box<
    dyn FnOnce(
        &corpuslint::rules::RuleSet,
        Option<&corpuslint::config::Config>,
    ) -> Box<dyn Reporter>,
>;

pub(crate) fn check(args: CheckArgs, color: ColorChoice) -> io::Result<u8> {
    check_with(args, color, None)
}

/// `check`, with the reporter `make` builds when given.
pub(crate) fn check_with(
    args: CheckArgs,
    color: ColorChoice,
    make: Option<MakeReporter>,
) -> io::Result<u8> {
    if args.fix {
        // Before anything is written: a signal removes the temporary files.
        corpuslint::cleanup::install();
    }
    let Some(prep) = super::prepare(&args.input)? else {
        return Ok(2);
    };
    let super::Prepared {
        cwd,
        config,
        set,
        linter,
        path_linter,
        lang,
        text_field,
        id_field,
        stdin_format,
    } = prep;
    let mode = if args.fix {
        Mode::Fix
    } else if args.diff {
        Mode::Diff
    } else {
        Mode::Check
    };
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
        stdin_format,
        chunk_bytes: args.input.chunk_bytes.max(1),
        path_linter,
        keep_record_lines: args.format == report::Format::Sarif,
        max_file_size: args.input.max_file_size,
        filter: None,
    });
    let (sources, walk_errors) = super::collect(&args.paths, &args.input, config.as_ref(), &cwd);
    let stdin_fix = mode == Mode::Fix && sources.iter().any(Source::is_stdin);
    if mode == Mode::Fix {
        clean_stale_temp_files(&sources);
    }

    // With `--fix` on standard input the fixed text is the output, and the
    // report goes to standard error.
    // A reader that goes away stops the printing, not the run.
    let mut stdout = PipeGuard::new(BufferedStandardStream::stdout(color));
    let mut stderr = PipeGuard::new(BufferedStandardStream::stderr(color));
    let dolma = args.format == report::Format::DolmaAttributes;
    if dolma && mode != Mode::Check {
        eprintln!(
            "error: --format dolma-attributes describes the documents as they are: it takes no --fix or --diff"
        );
        return Ok(2);
    }
    let reporter: Box<dyn Reporter> = if let Some(make) = make {
        make(&set, config.as_ref())
    } else if args.statistics {
        Box::new(report::Statistics::new(args.format))
    } else if dolma {
        Box::new(report::dolma::DolmaAttributes::new(
            args.attributes_name.clone(),
            args.output_dir.clone(),
        ))
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
    let reporter_errors = sink.reporter.errors();
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
        && !args.input.allow_empty
    {
        eprintln!(
            "error: no file to check in {}: nothing was checked (pass --allow-empty if that is expected)",
            args.paths.join(", ")
        );
        return Ok(2);
    }
    for e in &reporter_errors {
        eprintln!("error: {e}");
    }
    if !reporter_errors.is_empty() {
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
