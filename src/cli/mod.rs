//! The `corpuslint` command, shaped as ruff's: [`args`] holds the command
//! line, one module per command runs it, and this module holds what they
//! share (rule loading, the configuration in effect, colours). Only the
//! binary compiles this folder; everything it calls is the library's.

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

pub(crate) mod args;
mod check;
mod explain;
mod filter;
mod html_report;
mod init;
mod learn;
mod manpage;
mod rules;

use args::{Cli, ColorWhen, Command, InputArgs, RuleSource, StdinFormat};
use clap::{CommandFactory, Parser};
use corpuslint::config::{self, Config};
use corpuslint::engine::{Linter, PathLinter};
use corpuslint::input::jsonl::FieldPath;
use corpuslint::input::{self, Format, InputError, Source};
use corpuslint::lang::LangChoice;
use corpuslint::report;
use corpuslint::rules::{LoadOptions, RuleError, RuleSet};
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use termcolor::ColorChoice;

/// Parses the command line, runs the command, and turns its outcome into
/// the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = color_choice(cli.color);
    let result = match cli.command {
        Command::Check(args) => check::check(*args, color),
        Command::Filter(args) => filter::filter(*args),
        Command::Report(args) => html_report::report(*args, color),
        Command::Rules(args) => rules::list_rules(args),
        Command::Explain { rule, rules } => explain::explain(&rule, &rules),
        Command::TestRules { dirs } => rules::test_rules(&dirs),
        Command::Init { force } => init::init(force),
        Command::Learn(args) => learn::learn(args),
        Command::Schema { file } => rules::print_schema(file),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "corpuslint", &mut out);
            io::stdout().lock().write_all(&out).map(|()| 0)
        }
        Command::Manpage => {
            manpage::manpage().and_then(|page| io::stdout().lock().write_all(&page).map(|()| 0))
        }
    };
    if let Some(table) = corpuslint::timings::report() {
        eprint!("{table}");
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn color_choice(when: ColorWhen) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if no_color || !io::stdout().is_terminal() => ColorChoice::Never,
        ColorWhen::Auto => ColorChoice::Auto,
    }
}

pub(crate) fn print_rule_errors(errors: &[RuleError]) {
    for e in errors {
        eprintln!("error: {e}");
    }
}

/// Built-in rules (unless turned off), the rule folders of the
/// corpuslint.toml found upward from the working directory, and the
/// `--rules` folders: what `check` would run, for `rules` and `explain`.
pub(crate) fn load_rules(
    source: &RuleSource,
    verify_examples: bool,
) -> Result<RuleSet, Vec<RuleError>> {
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
pub(crate) fn load_rules_with(
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

/// The configuration in effect: `--config`, else the nearest
/// corpuslint.toml upward, unless `--isolated`.
pub(crate) fn find_config(
    args: &InputArgs,
    cwd: &std::path::Path,
) -> Result<Option<Config>, Vec<RuleError>> {
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

/// What `check` and `filter` run with: the configuration in effect, the
/// rules selected, the compiled linter and the settings the flags and the
/// configuration give.
pub(crate) struct Prepared {
    pub(crate) cwd: PathBuf,
    pub(crate) config: Option<Config>,
    pub(crate) set: RuleSet,
    pub(crate) linter: Arc<Linter>,
    pub(crate) path_linter: Option<PathLinter>,
    pub(crate) lang: LangChoice,
    pub(crate) text_field: FieldPath,
    pub(crate) id_field: FieldPath,
    pub(crate) stdin_format: Option<Format>,
}

/// Loads the configuration and the rules and compiles the linter; `None`
/// after printing why it could not (the run exits 2).
pub(crate) fn prepare(args: &InputArgs) -> io::Result<Option<Prepared>> {
    // Before the rules: the built-in files and the linter's sets compile
    // on the worker threads.
    if let Some(n) = args.jobs {
        let n = n.max(1);
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            eprintln!("error: cannot start {n} worker threads: {e}");
            return Ok(None);
        }
    }
    let cwd = std::env::current_dir()?;
    let config = match find_config(args, &cwd) {
        Ok(c) => c,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(None);
        }
    };
    let config_dirs = config.as_ref().map(|c| c.rules.clone()).unwrap_or_default();
    let set = match load_rules_with(&args.rules, &config_dirs, true) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(None);
        }
    };
    let mut set = set;
    if let Some(c) = &config
        && let Err(errors) = c
            .check_rule_ids(&set)
            .and_then(|()| c.apply_options(&mut set))
    {
        print_rule_errors(&errors);
        return Ok(None);
    }
    // Flags override the file.
    let (select, ignore) =
        corpuslint::config::selection(config.as_ref(), &args.select, &args.ignore);
    let set = match set.filter(&select, &ignore) {
        Ok(set) => set,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(None);
        }
    };
    if set.is_empty() {
        eprintln!(
            "error: no rules to run (--no-default-rules without --rules, or everything ignored)"
        );
        return Ok(None);
    }
    let severities = config
        .as_ref()
        .map(|c| c.severity.clone())
        .unwrap_or_default();
    let linter = match Linter::new(&set) {
        Ok(l) => Arc::new(l.with_severities(severities.clone())),
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(None);
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
    Ok(Some(Prepared {
        cwd,
        config,
        set,
        linter,
        path_linter,
        lang,
        text_field,
        id_field,
        stdin_format: args.stdin_format.map(|f| match f {
            StdinFormat::Text => Format::Text,
            StdinFormat::Jsonl => Format::Jsonl,
        }),
    }))
}

/// The inputs that `paths` name (config `exclude` applied), with a note
/// when links were not followed.
pub(crate) fn collect(
    paths: &[String],
    args: &InputArgs,
    config: Option<&Config>,
    cwd: &Path,
) -> (Vec<Source>, Vec<InputError>) {
    let exclude = |p: &Path| config.is_some_and(|c| c.is_excluded(cwd, p));
    let collected = input::collect(paths, &exclude, args.follow);
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
    (collected.sources, collected.errors)
}
