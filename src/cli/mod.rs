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
mod init;
mod learn;
mod manpage;
mod rules;

use args::{CheckArgs, Cli, ColorWhen, Command, RuleSource};
use clap::{CommandFactory, Parser};
use corpuslint::config::{self, Config};
use corpuslint::rules::{LoadOptions, RuleError, RuleSet};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use termcolor::ColorChoice;

/// Parses the command line, runs the command, and turns its outcome into
/// the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = color_choice(cli.color);
    let result = match cli.command {
        Command::Check(args) => check::check(*args, color),
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
    args: &CheckArgs,
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
