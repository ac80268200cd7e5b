//! The `corpuslint` command: argument parsing, rule loading, the choice of
//! mode and reporter, and the exit code. Everything else is the library's.

use clap::{Args, Parser, Subcommand, ValueEnum};
use corpuslint::engine::{self, Linter, Mode, RunOptions};
use corpuslint::input::{self, Source};
use corpuslint::lang::LangChoice;
use corpuslint::report::{self, Format, Summary};
use corpuslint::rules::{self, LoadOptions, RuleError, RuleSet};
use corpuslint::{Severity, text::preview};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use termcolor::{BufferedStandardStream, ColorChoice};

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
    Check(CheckArgs),
    /// List every loaded rule: id, severity, kind, fix and source file
    Rules(RulesArgs),
    /// Print a rule's documentation with its examples
    Explain {
        /// The rule id, e.g. html/leftover-tag
        rule: String,
        #[command(flatten)]
        rules: RuleSource,
    },
    /// Run every rule's embedded examples; exit 1 when one fails
    TestRules {
        /// Folders of rule files to test (default: the built-in rules)
        dirs: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
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
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    rules: RuleSource,
    /// Run only these rules: ids or prefixes such as html/ (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: ids or prefixes (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Apply safe fixes in place (files are replaced atomically)
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// With --fix or --diff: apply unsafe fixes too; alone: count them as available
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing
    #[arg(long)]
    diff: bool,
    /// Document language: auto (detected per document) or a code such as de, en
    #[arg(long, default_value = "auto", value_parser = LangChoice::parse)]
    lang: LangChoice,
    /// Worker threads (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Args)]
struct RulesArgs {
    /// human: a table; json: an array of rule objects
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    #[command(flatten)]
    rules: RuleSource,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = color_choice(cli.color);
    let result = match cli.command {
        Command::Check(args) => check(args, color),
        Command::Rules(args) => list_rules(args),
        Command::Explain { rule, rules } => explain(&rule, &rules),
        Command::TestRules { dirs } => test_rules(&dirs),
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

/// Built-in rules (unless turned off) plus the `--rules` folders.
fn load_rules(source: &RuleSource, verify_examples: bool) -> Result<RuleSet, Vec<RuleError>> {
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
    for dir in &source.dirs {
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

fn check(args: CheckArgs, color: ColorChoice) -> io::Result<u8> {
    let set = match load_rules(&args.rules, true) {
        Ok(set) => set,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let set = match set.filter(&args.select, &args.ignore) {
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
    let linter = match Linter::new(&set) {
        Ok(l) => l,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(2);
        }
    };
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
    let mode = if args.fix {
        Mode::Fix
    } else if args.diff {
        Mode::Diff
    } else {
        Mode::Check
    };
    let opts = RunOptions {
        mode,
        unsafe_fixes: args.unsafe_fixes,
        lang: args.lang.clone(),
    };
    let (sources, walk_errors) = input::collect(&args.paths);
    let stdin_fix = mode == Mode::Fix && sources.contains(&Source::Stdin);
    let results = engine::run(&linter, &sources, &opts);

    // With `--fix` on standard input the fixed text is the output, and the
    // report goes to standard error.
    let mut stdout = BufferedStandardStream::stdout(color);
    let mut stderr = BufferedStandardStream::stderr(if color == ColorChoice::Never {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    });
    let mut summary = Summary {
        mode: Some(mode),
        unsafe_fixes: args.unsafe_fixes,
        failed: walk_errors.len(),
        ..Summary::default()
    };
    for e in &walk_errors {
        eprintln!("error: {e}");
    }
    let mut reporter = report::reporter(args.format);
    for result in &results {
        match result {
            Ok(doc) => {
                summary.add(doc);
                match mode {
                    Mode::Diff => stdout.write_all(doc.diff.as_bytes())?,
                    Mode::Fix if stdin_fix && doc.path == Source::Stdin.display() => {
                        stdout.write_all(doc.text.as_bytes())?;
                        reporter.document(&mut stderr, doc)?;
                    }
                    _ if stdin_fix => reporter.document(&mut stderr, doc)?,
                    _ => reporter.document(&mut stdout, doc)?,
                }
            }
            Err(e) => {
                summary.failed += 1;
                stdout.flush()?;
                eprintln!("error: {e}");
            }
        }
    }
    match mode {
        Mode::Diff => {
            stdout.flush()?;
            let files = results.iter().flatten().filter(|d| d.changed).count();
            eprintln!(
                "{} in {} would change; run with --fix{} to apply",
                report::plural(summary.fixed, "fix"),
                report::plural(files, "file"),
                if args.unsafe_fixes {
                    " --unsafe-fixes"
                } else {
                    ""
                }
            );
        }
        _ if stdin_fix => reporter.finish(&mut stderr, &summary)?,
        _ => reporter.finish(&mut stdout, &summary)?,
    }
    stdout.flush()?;
    stderr.flush()?;
    if summary.failed > 0 {
        return Ok(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failing = threshold.is_some_and(|t| {
        results
            .iter()
            .flatten()
            .any(|doc| doc.diagnostics.iter().any(|d| d.severity >= t))
    });
    Ok(u8::from(failing))
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
    match args.format {
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
