//! The command line: every command, argument and flag, as clap derives them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use corpuslint::config::FailOn;
use corpuslint::input::{self, jsonl::FieldPath};
use corpuslint::lang::LangChoice;
use corpuslint::report;
use std::path::PathBuf;

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
pub(crate) struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub(crate) color: ColorWhen,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
    /// Keep, clean or drop each document: write the kept ones (fixed) and the dropped ones with their reasons
    ///
    /// The outputs mirror the inputs: a folder of inputs gives folders under
    /// --output and --rejected, one file (or standard input) gives one file
    /// each. Records keep their order and every other field byte for byte;
    /// dropped records carry a `corpuslint` field with the reasons, dropped
    /// articles a .corpuslint.json sidecar. Each output appears only when it
    /// is whole. docs/ingestion.md explains the policy and the score.
    Filter(Box<FilterArgs>),
    /// Write one self-contained HTML page that shows what the corpus contains
    ///
    /// The same inputs, rules and counts as `check --statistics`, drawn as
    /// charts and histograms, with samples of each rule's findings (and
    /// their fixes) and the worst documents. The page needs no network and
    /// no other file; its size is bounded whatever the corpus size.
    Report(Box<ReportArgs>),
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
pub(crate) enum SchemaFile {
    /// Rule files: one or more [[rule]] tables
    Rules,
    /// corpuslint.toml
    Config,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
pub(crate) struct RuleSource {
    /// Add a folder of rule files (repeatable), on top of the built-in rules
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) dirs: Vec<PathBuf>,
    /// Use only the rules of the --rules folders
    #[arg(long)]
    pub(crate) no_default_rules: bool,
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Files and folders to check; `-` reads standard input. Folders are walked
    /// for .txt, .md and extension-less files, skipping hidden ones
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = report::Format::Human)]
    pub(crate) format: report::Format,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Lowest severity that makes the exit code 1 [default: warning]
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// Apply safe fixes in place (files are replaced atomically)
    #[arg(long, conflicts_with = "diff")]
    pub(crate) fix: bool,
    /// With --fix or --diff: apply unsafe fixes too; alone: count them as available
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing
    #[arg(long)]
    pub(crate) diff: bool,
    /// Write the report to FILE instead of standard output (the summary line still goes to the terminal)
    #[arg(long, value_name = "FILE")]
    pub(crate) output_file: Option<PathBuf>,
    /// Hide the findings recorded in FILE (written by --write-baseline): fail only on new ones
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record the current findings in FILE, as a baseline for --baseline
    #[arg(long, value_name = "FILE")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Print counts per rule (findings, documents affected, fixable) instead of each finding
    #[arg(long)]
    pub(crate) statistics: bool,
    /// --format dolma-attributes: the attribute set's name, the NAME of attributes/NAME/
    #[arg(long, value_name = "NAME", default_value = "corpuslint")]
    pub(crate) attributes_name: String,
    /// --format dolma-attributes: write the attributes/ tree under DIR instead of beside the documents/ folder
    #[arg(long, value_name = "DIR")]
    pub(crate) output_dir: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// Files and folders to report on; `-` reads standard input
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<String>,
    /// The HTML file to write (replaced whole when the run ends)
    #[arg(
        short,
        long,
        value_name = "FILE",
        default_value = "corpuslint-report.html"
    )]
    pub(crate) output: PathBuf,
    /// Samples shown per rule, each from another document
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) samples: usize,
    /// Documents listed as the worst (most findings per KB)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) worst: usize,
    /// Count unsafe fixes as available, as `check --unsafe-fixes` does
    #[arg(long)]
    pub(crate) unsafe_fixes: bool,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// What `check` and `filter` read and how: rules, inputs, JSONL fields,
/// configuration.
#[derive(Args)]
pub(crate) struct InputArgs {
    #[command(flatten)]
    pub(crate) rules: RuleSource,
    /// Run only these rules: ids or prefixes such as html/, or ALL for every rule including the opt-in ones (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    pub(crate) select: Vec<String>,
    /// Skip these rules: ids or prefixes (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
    /// Document language: auto (detected per document) or a code such as de, en [default: auto]
    #[arg(long, value_parser = LangChoice::parse)]
    pub(crate) lang: Option<LangChoice>,
    /// Worker threads (default: all cores)
    #[arg(short = 'j', long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// JSONL: the field holding the text; a dotted path for nested records (meta.body) [default: text]
    #[arg(long, value_parser = FieldPath::parse)]
    pub(crate) text_field: Option<FieldPath>,
    /// JSONL: the field naming the document, reported as doc_id; a dotted path [default: id]
    #[arg(long, value_parser = FieldPath::parse)]
    pub(crate) id_field: Option<FieldPath>,
    /// Use this configuration file instead of the corpuslint.toml found upward from the working directory
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub(crate) isolated: bool,
    /// What `-` (standard input) holds (default: JSONL when it starts with `{`, else text)
    #[arg(long, value_enum)]
    pub(crate) stdin_format: Option<StdinFormat>,
    /// Follow symbolic links in the folders walked (links named on the
    /// command line are always followed); --fix rewrites the file a link
    /// points to and keeps the link
    #[arg(short = 'L', long)]
    pub(crate) follow: bool,
    /// Let a run that finds no file to check pass; without it, a run that
    /// checked nothing exits 2, so a CI gate on the wrong folder cannot pass
    #[arg(long)]
    pub(crate) allow_empty: bool,
    /// Skip articles larger than SIZE (decompressed), and JSONL records
    /// longer than it, with an error: bytes, or a number with K, M or G
    #[arg(long, value_name = "SIZE", value_parser = input::parse_size, default_value = "256M")]
    pub(crate) max_file_size: u64,
    /// JSONL: bytes of records per parallel job (tuning and tests)
    #[arg(long, hide = true, default_value_t = 1 << 20)]
    pub(crate) chunk_bytes: usize,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum StdinFormat {
    Text,
    Jsonl,
}

#[derive(Args)]
pub(crate) struct LearnArgs {
    /// Files and folders to read (articles and JSONL shards, as `check` walks them)
    #[arg(required = true)]
    pub(crate) paths: Vec<String>,
    /// Where to write the rule file
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// A line must occur in at least this many documents
    #[arg(long, default_value_t = 3)]
    pub(crate) min_documents: usize,
    /// ... and in at least this share of the documents (0.01 = 1%)
    #[arg(long, default_value_t = 0.0)]
    pub(crate) min_share: f64,
    /// Longest line considered, in characters
    #[arg(long, default_value_t = 200)]
    pub(crate) max_chars: usize,
    /// Most lines written
    #[arg(long, default_value_t = 500)]
    pub(crate) max_lines: usize,
    /// JSONL: the field holding the text
    #[arg(long, default_value = "text", value_parser = FieldPath::parse)]
    pub(crate) text_field: FieldPath,
    /// The id of the rule written
    #[arg(long, default_value = "boilerplate/learned")]
    pub(crate) rule_id: String,
    /// Follow symbolic links in the folders walked
    #[arg(short = 'L', long)]
    pub(crate) follow: bool,
}

#[derive(Args)]
pub(crate) struct RulesArgs {
    /// human: a table; json: an array of rule objects; markdown: the reference
    /// with docs and examples (docs/rules.md)
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub(crate) format: ListFormat,
    /// Print the search patterns of the rules, one regex per line, as `rg -f FILE` takes them
    #[arg(long)]
    pub(crate) export_patterns: bool,
    #[command(flatten)]
    pub(crate) rules: RuleSource,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ListFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DropOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FilterFailOn {
    /// Exit 1 when a document was dropped or changed
    Change,
    /// Exit 1 when a document was dropped
    Drop,
    /// Exit 0 whatever was dropped or changed
    Never,
}

#[derive(Args)]
pub(crate) struct FilterArgs {
    /// Files and folders to filter; `-` reads standard input
    #[arg(required = true)]
    pub(crate) paths: Vec<String>,
    /// Where kept documents go: a folder mirroring the inputs, or a file
    /// when the input is one file or standard input
    #[arg(short, long, value_name = "PATH")]
    pub(crate) output: PathBuf,
    /// Where dropped documents go, with their reasons: laid out as --output
    #[arg(long, value_name = "PATH")]
    pub(crate) rejected: PathBuf,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Drop a document with a finding left after fixing at or above this severity [default: error]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) drop_on: Option<DropOn>,
    /// Drop a document with a finding (fixed or not) of these rules: ids or prefixes (repeatable, comma lists)
    #[arg(long, value_name = "ID|PREFIX", value_delimiter = ',')]
    pub(crate) drop_rule: Vec<String>,
    /// Drop a document whose share of boilerplate lines after fixing is above SHARE (0 to 1)
    #[arg(long, value_name = "SHARE")]
    pub(crate) max_boilerplate_share: Option<f64>,
    /// Drop a document with fewer than N words after fixing
    #[arg(long, value_name = "N")]
    pub(crate) min_words: Option<usize>,
    /// Drop a document with more than N errors and warnings per 1,000 bytes of its text
    #[arg(long, value_name = "N")]
    pub(crate) max_findings_per_kb: Option<f64>,
    /// Drop a document whose quality score is below SCORE (0 to 1)
    #[arg(long, value_name = "SCORE")]
    pub(crate) min_score: Option<f64>,
    /// Apply the unsafe fixes too (suggestions such as a missing full stop)
    #[arg(long, conflicts_with = "no_fix")]
    pub(crate) unsafe_fixes: bool,
    /// Keep the texts as they are: judge them without fixing
    #[arg(long)]
    pub(crate) no_fix: bool,
    /// Annotate the kept documents too: findings and fixes per rule, score, changes, text hashes
    #[arg(long)]
    pub(crate) annotate: bool,
    /// The JSONL field that carries the reasons and annotations
    #[arg(long, value_name = "NAME", default_value = "corpuslint")]
    pub(crate) field: String,
    /// Also write the summary as JSON to FILE
    #[arg(long, value_name = "FILE")]
    pub(crate) summary: Option<PathBuf>,
    /// When the exit code is 1
    #[arg(long, value_enum, default_value_t = FilterFailOn::Change)]
    pub(crate) fail_on: FilterFailOn,
}
