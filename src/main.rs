//! The `corpuslint` command: argument parsing, rule loading, the choice of
//! mode and reporter, and the exit code. Everything else is the library's.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use corpuslint::baseline::{self, Baseline};
use corpuslint::config::{self, Config, FailOn};
use corpuslint::engine::{self, Document, Linter, Mode, PathLinter, Progress, RunOptions, Sink};
use corpuslint::input::jsonl::FieldPath;
use corpuslint::input::{self, Format, InputError, Source};
use corpuslint::json_schema::Published;
use corpuslint::lang::LangChoice;
use corpuslint::report::pipe::PipeGuard;
use corpuslint::report::{self, Reporter, Summary};
use corpuslint::rules::{self, LoadOptions, RuleError, RuleSet};
use corpuslint::{Severity, text::preview};
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use termcolor::{BufferedStandardStream, ColorChoice, WriteColor};

/// `eprintln!` that never panics: with `2>&1 | head` standard error is a
/// closed pipe too, and a message that cannot be shown is no reason to stop.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `println!` that never panics (see `eprintln!`).
macro_rules! println {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// mimalloc rather than the system allocator: regex compilation at start-up
/// and the many small allocations of findings spend a tenth of their time in
/// glibc's malloc and free, more with several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "corpuslint",
    version,
    about = "Lint text corpora for what the scraper left behind: leftover HTML, boilerplate, \
             run-together sentences, unbalanced quotes, mojibake, invisible characters.",
    after_help = "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 the run could not \
                  be carried out as asked (bad flag, rule file or input).\n\
                  Examples:\n  corpuslint check corpus/\n  corpuslint check --fix corpus/\n  \
                  corpuslint check --diff --unsafe-fixes article.txt\n  corpuslint explain join/missing-full-stop"
)]
struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check articles for scrape artifacts, and fix them
    Check(Box<CheckArgs>),
    /// List every loaded rule: id, severity, kind, fix and source file
    Rules(RulesArgs),
    /// Print a rule's documentation with its examples
    Explain {
        /// The rule id, e.g. html/leftover-tag
        rule: String,
        #[command(flatten)]
        rules: RuleSource,
    },
    /// Find lines that recur across the corpus and write them as a rule file to review
    Learn(LearnArgs),
    /// Write a commented starter corpuslint.toml into the working directory
    Init {
        /// Overwrite an existing corpuslint.toml
        #[arg(long)]
        force: bool,
    },
    /// Run every rule's embedded examples; exit 1 when one fails
    TestRules {
        /// Folders of rule files to test (default: the built-in rules)
        dirs: Vec<PathBuf>,
    },
    /// Print the JSON Schema of rule files or of corpuslint.toml, for editors
    ///
    /// Taplo and the Even Better TOML extension validate and complete TOML files
    /// against it; see docs/ci.md. The same schemas are checked in as
    /// docs/schema/rule-file.schema.json and docs/schema/corpuslint.schema.json.
    Schema {
        /// Which file the schema describes
        #[arg(value_enum)]
        file: SchemaFile,
    },
    /// Print a shell completion script
    ///
    /// Install it where your shell looks for completions, e.g.
    /// `corpuslint completions bash > ~/.local/share/bash-completion/completions/corpuslint`,
    /// `corpuslint completions zsh > ~/.zfunc/_corpuslint` (with ~/.zfunc on $fpath) or
    /// `corpuslint completions fish > ~/.config/fish/completions/corpuslint.fish`.
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, corpuslint(1), in roff
    ///
    /// Read it with `corpuslint manpage > corpuslint.1 && man ./corpuslint.1`, or install it
    /// as man1/corpuslint.1 below a folder on your MANPATH.
    Manpage,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaFile {
    /// Rule files: one or more [[rule]] tables
    Rules,
    /// corpuslint.toml
    Config,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct RuleSource {
    /// Add a folder of rule files (repeatable), on top of the built-in rules
    #[arg(long = "rules", value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Use only the rules of the --rules folders
    #[arg(long)]
    no_default_rules: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// Files and folders to check; `-` reads standard input. Folders are walked
    /// for .txt, .md and extension-less files, skipping hidden ones
    #[arg(default_value = ".")]
    paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = report::Format::Human)]
    format: report::Format,
    #[command(flatten)]
    rules: RuleSource,
    /// Run only these rules: ids or prefixes such as html/, or ALL for every rule including the opt-in ones (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: ids or prefixes (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1 [default: warning]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Apply safe fixes in place (files are replaced atomically)
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// With --fix or --diff: apply unsafe fixes too; alone: count them as available
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing
    #[arg(long)]
    diff: bool,
    /// Document language: auto (detected per document) or a code such as de, en [default: auto]
    #[arg(long, value_parser = LangChoice::parse)]
    lang: Option<LangChoice>,
    /// Worker threads (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    /// JSONL: the field holding the text; a dotted path for nested records (meta.body) [default: text]
    #[arg(long, value_parser = FieldPath::parse)]
    text_field: Option<FieldPath>,
    /// JSONL: the field naming the document, reported as doc_id; a dotted path [default: id]
    #[arg(long, value_parser = FieldPath::parse)]
    id_field: Option<FieldPath>,
    /// Use this configuration file instead of the corpuslint.toml found upward from the working directory
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    isolated: bool,
    /// Write the report to FILE instead of standard output (the summary line still goes to the terminal)
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Hide the findings recorded in FILE (written by --write-baseline): fail only on new ones
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in FILE, as a baseline for --baseline
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// What `-` (standard input) holds (default: JSONL when it starts with `{`, else text)
    #[arg(long, value_enum)]
    stdin_format: Option<StdinFormat>,
    /// Print counts per rule (findings, documents affected, fixable) instead of each finding
    #[arg(long)]
    statistics: bool,
    /// Follow symbolic links in the folders walked (links named on the
    /// command line are always followed); --fix rewrites the file a link
    /// points to and keeps the link
    #[arg(short = 'L', long)]
    follow: bool,
    /// Let a run that finds no file to check pass; without it, a run that
    /// checked nothing exits 2, so a CI gate on the wrong folder cannot pass
    #[arg(long)]
    allow_empty: bool,
    /// Skip articles larger than SIZE (decompressed), and JSONL records
    /// longer than it, with an error: bytes, or a number with K, M or G
    #[arg(long, value_name = "SIZE", value_parser = input::parse_size, default_value = "256M")]
    max_file_size: u64,
    /// JSONL: bytes of records per parallel job (tuning and tests)
    #[arg(long, hide = true, default_value_t = 1 << 20)]
    chunk_bytes: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum StdinFormat {
    Text,
    Jsonl,
}

#[derive(Args)]
struct LearnArgs {
    /// Files and folders to read (articles and JSONL shards, as `check` walks them)
    #[arg(required = true)]
    paths: Vec<String>,
    /// Where to write the rule file
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// A line must occur in at least this many documents
    #[arg(long, default_value_t = 3)]
    min_documents: usize,
    /// ... and in at least this share of the documents (0.01 = 1%)
    #[arg(long, default_value_t = 0.0)]
    min_share: f64,
    /// Longest line considered, in characters
    #[arg(long, default_value_t = 200)]
    max_chars: usize,
    /// Most lines written
    #[arg(long, default_value_t = 500)]
    max_lines: usize,
    /// JSONL: the field holding the text
    #[arg(long, default_value = "text", value_parser = FieldPath::parse)]
    text_field: FieldPath,
    /// The id of the rule written
    #[arg(long, default_value = "boilerplate/learned")]
    rule_id: String,
    /// Follow symbolic links in the folders walked
    #[arg(short = 'L', long)]
    follow: bool,
}

#[derive(Args)]
struct RulesArgs {
    /// human: a table; json: an array of rule objects; markdown: the reference
    /// with docs and examples (docs/rules.md)
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// Print the search patterns of the rules, one regex per line, as `rg -f FILE` takes them
    #[arg(long)]
    export_patterns: bool,
    #[command(flatten)]
    rules: RuleSource,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
    Markdown,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = color_choice(cli.color);
    let result = match cli.command {
        Command::Check(args) => check(*args, color),
        Command::Rules(args) => list_rules(args),
        Command::Explain { rule, rules } => explain(&rule, &rules),
        Command::TestRules { dirs } => test_rules(&dirs),
        Command::Init { force } => init(force),
        Command::Learn(args) => learn(args),
        Command::Schema { file } => print_schema(file),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "corpuslint", &mut out);
            io::stdout().lock().write_all(&out).map(|()| 0)
        }
        Command::Manpage => {
            manpage().and_then(|page| io::stdout().lock().write_all(&page).map(|()| 0))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn color_choice(when: ColorWhen) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if no_color || !io::stdout().is_terminal() => ColorChoice::Never,
        ColorWhen::Auto => ColorChoice::Auto,
    }
}

fn print_rule_errors(errors: &[RuleError]) {
    for e in errors {
        eprintln!("error: {e}");
    }
}

/// Built-in rules (unless turned off), the rule folders of the
/// corpuslint.toml found upward from the working directory, and the
/// `--rules` folders: what `check` would run, for `rules` and `explain`.
fn load_rules(source: &RuleSource, verify_examples: bool) -> Result<RuleSet, Vec<RuleError>> {
    let cwd = std::env::current_dir().map_err(|e| {
        vec![RuleError {
            path: ".".into(),
            line: 1,
            column: 1,
            message: format!("cannot read the working directory: {e}"),
        }]
    })?;
    let config_dirs = match config::discover(&cwd) {
        Some(path) => Config::load(&path, &cwd)?.rules,
        None => Vec::new(),
    };
    load_rules_with(source, &config_dirs, verify_examples)
}

/// Like [`load_rules`], with the configuration's rule folders first.
fn load_rules_with(
    source: &RuleSource,
    config_dirs: &[PathBuf],
    verify_examples: bool,
) -> Result<RuleSet, Vec<RuleError>> {
    let mut set = if source.no_default_rules {
        RuleSet::new()
    } else {
        RuleSet::builtin()?
    };
    let opts = LoadOptions {
        builtin: false,
        verify_examples,
    };
    let mut errors = Vec::new();
    // A folder named by the configuration and by --rules is read once.
    let mut seen = std::collections::HashSet::new();
    for dir in config_dirs.iter().chain(&source.dirs) {
        if !seen.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        if let Err(e) = set.load_dir(dir, opts) {
            errors.extend(e);
        }
    }
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(errors)
    }
}

/// Errors printed per input before the rest are only counted.
const ERRORS_SHOWN_PER_INPUT: usize = 20;

/// Receives the engine's results in order: reports them, counts them.
struct CliSink<'a> {
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
fn progress_bar(
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

/// The configuration in effect: `--config`, else the nearest
/// corpuslint.toml upward, unless `--isolated`.
fn find_config(args: &CheckArgs, cwd: &std::path::Path) -> Result<Option<Config>, Vec<RuleError>> {
    if args.isolated {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => {
            if !path.is_file() {
                return Err(vec![RuleError {
                    path: path.display().to_string(),
                    line: 1,
                    column: 1,
                    message: "no such configuration file".into(),
                }]);
            }
            path.clone()
        }
        None => match config::discover(cwd) {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    Config::load(&path, cwd).map(Some)
}

fn check(args: CheckArgs, color: ColorChoice) -> io::Result<u8> {
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
fn clean_stale_temp_files(sources: &[Source]) {
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

fn fix_summary(rule: &rules::Rule) -> String {
    match &rule.fix {
        Some(f) => format!("{} ({})", f.action.as_str(), f.applicability.as_str()),
        None => "-".into(),
    }
}

fn list_rules(args: RulesArgs) -> io::Result<u8> {
    let set = match load_rules(&args.rules, false) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let mut out = io::stdout().lock();
    if args.export_patterns {
        for entry in set.entries() {
            for pattern in corpuslint::checks::export_patterns(&entry.rule, entry.check.as_deref())
            {
                writeln!(out, "{pattern}")?;
            }
        }
        return Ok(0);
    }
    match args.format {
        ListFormat::Markdown => out.write_all(rules::doc::markdown(&set).as_bytes())?,
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = set
                .rules()
                .map(|r| {
                    serde_json::json!({
                        "id": &*r.id,
                        "severity": r.severity.as_str(),
                        "kind": r.kind.as_str(),
                        "check": r.check,
                        "fix": r.fix.as_ref().map(|f| serde_json::json!({
                            "action": f.action.as_str(),
                            "applicability": f.applicability.as_str(),
                        })),
                        "languages": r.languages,
                        "message": r.message,
                        "help": r.help,
                        "source": format!("{}:{}", r.origin.path, r.origin.line),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let width = set.rules().map(|r| r.id.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:width$}  {:8}  {:8}  {:21}  {:9}  source",
                "rule", "severity", "kind", "fix", "languages"
            )?;
            for r in set.rules() {
                writeln!(
                    out,
                    "{:width$}  {:8}  {:8}  {:21}  {:9}  {}:{}",
                    r.id,
                    r.severity.as_str(),
                    r.kind.as_str(),
                    fix_summary(r),
                    r.languages.join(","),
                    r.origin.path,
                    r.origin.line
                )?;
            }
            writeln!(out, "{}", report::plural(set.len(), "rule"))?;
        }
    }
    Ok(0)
}

fn explain(id: &str, source: &RuleSource) -> io::Result<u8> {
    let set = match load_rules(source, false) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let Some(entry) = set.get(id) else {
        let near: Vec<&str> = set
            .rules()
            .map(|r| &*r.id)
            .filter(|r| r.starts_with(id.split('/').next().unwrap_or(id)))
            .collect();
        eprintln!(
            "error: no rule `{id}`{}",
            if near.is_empty() {
                " (see `corpuslint rules`)".to_string()
            } else {
                format!("; rules of that category: {}", near.join(", "))
            }
        );
        return Ok(2);
    };
    let r = &entry.rule;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} ({}, {} rule{})",
        r.id,
        r.severity,
        r.kind.as_str(),
        r.check
            .as_ref()
            .map(|c| format!(" `{c}`"))
            .unwrap_or_default()
    )?;
    writeln!(out, "defined in {}:{}", r.origin.path, r.origin.line)?;
    writeln!(out, "languages: {}", r.languages.join(", "))?;
    writeln!(out, "fix: {}", fix_summary(r))?;
    if r.opt_in {
        writeln!(
            out,
            "opt-in: runs only when selected (--select ALL, its category or its id)"
        )?;
    }
    if !r.options.is_empty() {
        writeln!(out, "options: {}", rules::doc::options_line(r))?;
    }
    writeln!(out)?;
    writeln!(out, "message: {}", r.message)?;
    if let Some(help) = &r.help {
        writeln!(out, "help: {help}")?;
    }
    if !r.docs.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", r.docs)?;
    }
    if !r.examples.is_empty() {
        writeln!(out)?;
        writeln!(out, "Examples:")?;
        for ex in &r.examples {
            for doc in &ex.corpus {
                writeln!(out, "  corpus: {}", preview(doc, 200))?;
            }
            if let Some(bad) = &ex.bad {
                writeln!(out, "  bad:   {}", preview(bad, 200))?;
            }
            if let Some(fixed) = &ex.fixed {
                writeln!(out, "  fixed: {}", preview(fixed, 200))?;
            }
            if let Some(good) = &ex.good {
                writeln!(out, "  good:  {}", preview(good, 200))?;
            }
        }
    }
    Ok(0)
}

fn test_rules(dirs: &[PathBuf]) -> io::Result<u8> {
    let source = RuleSource {
        dirs: dirs.to_vec(),
        no_default_rules: false,
    };
    let set = match load_rules(&source, false) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let mut out = io::stdout().lock();
    let (mut rules_n, mut examples, mut failed) = (0, 0, 0);
    for entry in set.entries() {
        if entry.rule.origin.builtin != dirs.is_empty() {
            continue;
        }
        rules_n += 1;
        examples += entry.rule.examples.len();
        let failures = rules::run_examples(entry);
        if failures.is_empty() {
            writeln!(
                out,
                "ok    {} ({})",
                entry.rule.id,
                report::plural(entry.rule.examples.len(), "example")
            )?;
        }
        for f in &failures {
            failed += 1;
            writeln!(
                out,
                "FAIL  {} ({}): {}",
                entry.rule.id, entry.rule.origin.path, f.message
            )?;
        }
    }
    writeln!(
        out,
        "{} with {}: {} failed",
        report::plural(rules_n, "rule"),
        report::plural(examples, "example"),
        failed
    )?;
    Ok(u8::from(failed > 0))
}

fn print_schema(file: SchemaFile) -> io::Result<u8> {
    let schema = match file {
        SchemaFile::Rules => Published::RuleFile,
        SchemaFile::Config => Published::Config,
    };
    io::stdout().lock().write_all(schema.text().as_bytes())?;
    Ok(0)
}

/// The preamble that every roff rendering starts with; the page needs it once.
const ROFF_PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// One self-contained page, corpuslint(1): the global synopsis and options,
/// then every command with its usage and all its options, the exit status,
/// the files and where the rest is documented.
fn manpage() -> io::Result<Vec<u8>> {
    use clap_mangen::Man;
    use roff::{Roff, bold, roman};

    fn chunk(render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<String> {
        let mut buf = Vec::new();
        render(&mut buf)?;
        let text = String::from_utf8(buf).map_err(io::Error::other)?;
        Ok(text
            .strip_prefix(ROFF_PREAMBLE)
            .map(str::to_string)
            .unwrap_or(text))
    }
    fn roff_chunk(roff: &Roff) -> String {
        let text = roff.render();
        text.strip_prefix(ROFF_PREAMBLE)
            .map(str::to_string)
            .unwrap_or(text)
    }

    let mut cmd = Cli::command();
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = String::from(ROFF_PREAMBLE);
    page += &chunk(|w| man.render_title(w))?;
    page += &chunk(|w| man.render_name_section(w))?;
    page += &chunk(|w| man.render_synopsis_section(w))?;
    page += &chunk(|w| man.render_description_section(w))?;
    page += &chunk(|w| man.render_options_section(w))?;

    let mut commands = Roff::new();
    commands.control("SH", ["COMMANDS"]);
    page += &roff_chunk(&commands);
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let mut head = Roff::new();
        head.control("SS", [format!("corpuslint {}", sub.get_name()).as_str()]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            head.text([roman(about.to_string())]);
        }
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).to_string();
        head.control("PP", []).text([bold("Usage: "), roman(usage)]);
        page += &roff_chunk(&head);
        // The command's options, under its own subsection rather than a
        // second OPTIONS section.
        // --color and --help are the same everywhere: listed once, above.
        let sub = sub
            .clone()
            .mut_arg("color", |a| a.hide(true))
            .mut_arg("help", |a| a.hide(true));
        let options = chunk(|w| Man::new(sub).render_options_section(w))?;
        page += options.strip_prefix(".SH OPTIONS\n").unwrap_or(&options);
    }

    let mut rest = Roff::new();
    rest.control("SH", ["EXIT STATUS"])
        .control("TP", [])
        .text([bold("0")])
        .text([roman(
            "No finding at or above --fail-on (default: warning).",
        )])
        .control("TP", [])
        .text([bold("1")])
        .text([roman("At least one finding at or above --fail-on.")])
        .control("TP", [])
        .text([bold("2")])
        .text([roman(
            "The run could not be carried out as asked: a bad flag, configuration or rule \
             file, or an unreadable input. The error names the file, and for a rule or \
             configuration file the line and column.",
        )])
        .control("SH", ["FILES"])
        .control("TP", [])
        .text([bold("corpuslint.toml")])
        .text([roman(
            "The configuration, found in the working directory or a folder above it \
             (--config names another, --isolated ignores it). `corpuslint init` writes a \
             commented starter file.",
        )])
        .control("TP", [])
        .text([bold("rules/<category>/<name>.toml")])
        .text([roman(
            "Rule files: the built-in ones are compiled into the binary; add folders of \
             your own with --rules DIR.",
        )])
        .control("SH", ["EXAMPLES"]);
    for (example, what) in [
        (
            "corpuslint check corpus/",
            "Lint a folder of articles and JSONL shards.",
        ),
        (
            "corpuslint check --fix corpus/",
            "Apply the safe fixes in place.",
        ),
        (
            "corpuslint check --diff --unsafe-fixes article.txt",
            "Show every fix, suggestions included, as a diff.",
        ),
        (
            "corpuslint check --format json --output-file findings.json corpus/",
            "Write the findings as JSON to a file.",
        ),
        (
            "corpuslint explain join/missing-full-stop",
            "Read a rule's documentation and examples.",
        ),
    ] {
        rest.control("TP", [])
            .text([bold(example)])
            .text([roman(what)]);
    }
    rest.control("SH", ["SEE ALSO"]).text([roman(
        "docs/rules.md (every rule with its examples), docs/ci.md (corpuslint in CI, \
         baselines, pre-commit) and docs/schema/ (JSON Schemas for editors) in the \
         corpuslint repository.",
    )]);
    page += &roff_chunk(&rest);
    page += &chunk(|w| man.render_version_section(w))?;
    Ok(page.into_bytes())
}

fn init(force: bool) -> io::Result<u8> {
    let path = PathBuf::from(config::FILE_NAME);
    if path.exists() && !force {
        eprintln!(
            "error: {} already exists; edit it, or pass --force to overwrite it",
            path.display()
        );
        return Ok(2);
    }
    std::fs::write(&path, config::STARTER)?;
    println!(
        "wrote {}: a commented starter configuration",
        path.display()
    );
    Ok(0)
}

fn learn(args: LearnArgs) -> io::Result<u8> {
    let opts = corpuslint::learn::LearnOptions {
        min_documents: args.min_documents,
        min_share: args.min_share,
        max_chars: args.max_chars,
        max_lines: args.max_lines,
        text_field: args.text_field,
        rule_id: args.rule_id,
    };
    let collected = input::collect(&args.paths, &|_| false, args.follow);
    let (sources, mut errors) = (collected.sources, collected.errors);
    let mut learner = corpuslint::learn::Learner::default();
    errors.extend(learner.add_sources(sources, &opts));
    for e in &errors {
        eprintln!("error: {e}");
    }
    let Some(file) = learner.rule_file(&opts) else {
        eprintln!(
            "no line occurs in {} or more of the {} documents read; nothing written",
            opts.min_documents.max(2),
            learner.documents
        );
        return Ok(if errors.is_empty() { 0 } else { 2 });
    };
    // The file must load as written; a failure here is a bug, not the user's.
    let mut check = RuleSet::new();
    if let Err(e) = check.load_str(
        &args.out.display().to_string(),
        &file,
        LoadOptions {
            builtin: false,
            verify_examples: true,
        },
    ) {
        eprintln!("error: the learned rule does not load: {}", e[0]);
        return Ok(2);
    }
    std::fs::write(&args.out, &file)?;
    let lines = learner.recurring(&opts).len();
    println!(
        "wrote {} recurring across {} to {}: review it before use",
        report::plural(lines, "line"),
        report::plural(learner.documents, "document"),
        args.out.display()
    );
    Ok(if errors.is_empty() { 0 } else { 2 })
}
