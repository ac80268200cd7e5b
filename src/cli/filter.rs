//! `corpuslint filter`: keep, clean or drop each document, and write the
//! kept and the rejected ones where they go. The decision is the library's
//! (`corpuslint::filter`); this module maps inputs to outputs, counts and
//! reports.

use super::args::{DropOn, FilterArgs, FilterFailOn};
use corpuslint::Severity;
use corpuslint::config::{FilterSettings, absolute};
use corpuslint::engine::{
    self, Document, FilterOutputs, FilterRun, Mode, Progress, RunOptions, Sink,
};
use corpuslint::filter::{Policy, PolicyFlags};
use corpuslint::input::{InputError, Origin, Source};
use corpuslint::report;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The policy: flags over `[filter]` in corpuslint.toml over the defaults.
fn policy(args: &FilterArgs, file: Option<&FilterSettings>) -> Policy {
    let flags = PolicyFlags {
        drop_on: args.drop_on.map(|flag| match flag {
            DropOn::Error => Some(Severity::Error),
            DropOn::Warning => Some(Severity::Warning),
            DropOn::Info => Some(Severity::Info),
            DropOn::Never => None,
        }),
        drop_rules: (!args.drop_rule.is_empty()).then(|| args.drop_rule.clone()),
        max_boilerplate_share: args.max_boilerplate_share,
        min_words: args.min_words,
        max_findings_per_kb: args.max_findings_per_kb,
        min_score: args.min_score,
    };
    Policy::from_settings(file, flags)
}

/// Where each input's documents go, by its display name; or why the run
/// cannot write them as asked.
fn outputs(
    args: &FilterArgs,
    sources: &[Source],
    cwd: &Path,
) -> Result<HashMap<String, FilterOutputs>, String> {
    let out_root = absolute(cwd, &args.output);
    let rej_root = absolute(cwd, &args.rejected);
    if out_root == rej_root {
        return Err("--output and --rejected name the same place".into());
    }
    let inputs: Vec<(PathBuf, bool)> = args
        .paths
        .iter()
        .filter(|p| *p != "-")
        .map(|p| (absolute(cwd, Path::new(p)), Path::new(p).is_dir()))
        .collect();
    // Never over an input: not onto an input file, not into an input
    // folder, and no input inside an output folder.
    for (flag, root) in [("--output", &out_root), ("--rejected", &rej_root)] {
        for (input, is_dir) in &inputs {
            let inside = if *is_dir {
                root.starts_with(input)
            } else {
                root == input
            };
            if inside || input.starts_with(root) {
                return Err(format!(
                    "{flag} {} would write over the input {}: choose a place outside the inputs",
                    root.display(),
                    input.display()
                ));
            }
        }
    }
    let single =
        args.paths.len() == 1 && (args.paths[0] == "-" || !inputs.first().is_some_and(|(_, d)| *d));
    let mut map = HashMap::new();
    if single {
        for s in sources {
            map.insert(
                s.display.clone(),
                FilterOutputs {
                    kept: out_root.clone(),
                    rejected: rej_root.clone(),
                },
            );
        }
        return Ok(map);
    }
    if args.paths.iter().any(|p| p == "-") {
        return Err("standard input is filtered alone: name no other input beside `-`".into());
    }
    let several = args.paths.len() > 1;
    let mut seen: HashMap<PathBuf, String> = HashMap::new();
    for s in sources {
        let Origin::File(path) = &s.origin else {
            continue;
        };
        let abs = absolute(cwd, path);
        // The input this file came from: the folder it lies in, or itself.
        let (input, is_dir) = inputs
            .iter()
            .filter(|(i, d)| if *d { abs.starts_with(i) } else { &abs == i })
            .max_by_key(|(i, _)| i.components().count())
            .cloned()
            .unwrap_or((abs.clone(), false));
        let mut rel = PathBuf::new();
        if several || !is_dir {
            rel.push(input.file_name().unwrap_or_default());
        }
        if is_dir {
            rel.push(abs.strip_prefix(&input).unwrap_or(&abs));
        }
        if let Some(other) = seen.insert(rel.clone(), s.display.clone()) {
            return Err(format!(
                "{} and {} would both be written as {}: filter them in separate runs",
                other,
                s.display,
                rel.display()
            ));
        }
        map.insert(
            s.display.clone(),
            FilterOutputs {
                kept: out_root.join(&rel),
                rejected: rej_root.join(&rel),
            },
        );
    }
    Ok(map)
}

/// What a run kept, changed and dropped.
#[derive(Debug, Default, Serialize)]
struct FilterSummary {
    documents: usize,
    kept: usize,
    /// Kept and changed by fixing.
    fixed: usize,
    dropped: usize,
    /// Dropped documents by the kind of each reason (a document may have
    /// several).
    drop_reasons: BTreeMap<String, usize>,
    /// Bytes that fixing took out of the kept documents, per rule.
    bytes_removed: BTreeMap<String, i64>,
    /// Inputs and records that could not be filtered.
    errors: usize,
}

struct FilterSink {
    summary: FilterSummary,
    errors_shown: HashMap<String, usize>,
}

impl Sink for FilterSink {
    fn document(&mut self, doc: Document) -> io::Result<()> {
        let s = &mut self.summary;
        s.documents += 1;
        let Some(v) = &doc.verdict else {
            return Ok(());
        };
        if v.kept {
            s.kept += 1;
            if v.changed {
                s.fixed += 1;
            }
            for (rule, bytes) in &v.bytes_removed {
                *s.bytes_removed.entry(rule.clone()).or_default() += bytes;
            }
        } else {
            s.dropped += 1;
            let mut kinds: Vec<&str> = v.reasons.iter().map(|r| r.kind()).collect();
            kinds.dedup();
            for kind in kinds {
                *s.drop_reasons.entry(kind.to_string()).or_default() += 1;
            }
        }
        Ok(())
    }

    fn error(&mut self, error: InputError) -> io::Result<()> {
        self.summary.errors += 1;
        let record = error.message.starts_with("record ");
        let shown = self.errors_shown.entry(error.path.clone()).or_default();
        *shown += usize::from(record);
        if *shown <= 20 {
            eprintln!("error: {error}");
        } else if *shown == 21 {
            eprintln!(
                "error: {}: more errors in this input are counted but not shown",
                error.path
            );
        }
        Ok(())
    }

    fn fixed_stdin(&mut self, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

fn summary_line(s: &FilterSummary) -> String {
    let mut line = format!(
        "filter: {}: {} kept ({} fixed), {} dropped",
        report::plural(s.documents, "document"),
        s.kept,
        s.fixed,
        s.dropped
    );
    if !s.drop_reasons.is_empty() {
        let reasons: Vec<String> = s
            .drop_reasons
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        line.push_str(&format!(" ({})", reasons.join(", ")));
    }
    let removed: i64 = s.bytes_removed.values().sum();
    if removed != 0 {
        line.push_str(&format!("; {removed} bytes removed by fixes"));
    }
    if s.errors > 0 {
        line.push_str(&format!("; {}", report::plural(s.errors, "error")));
    }
    line
}

pub(crate) fn filter(args: FilterArgs) -> io::Result<u8> {
    corpuslint::cleanup::install();
    let Some(prep) = super::prepare(&args.input)? else {
        return Ok(2);
    };
    for (name, value) in [
        ("--max-boilerplate-share", args.max_boilerplate_share),
        ("--min-score", args.min_score),
    ] {
        if value.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
            eprintln!("error: {name} must be between 0 and 1");
            return Ok(2);
        }
    }
    let policy = policy(&args, prep.config.as_ref().and_then(|c| c.filter.as_ref()));
    let (sources, walk_errors) =
        super::collect(&args.paths, &args.input, prep.config.as_ref(), &prep.cwd);
    let map = match outputs(&args, &sources, &prep.cwd) {
        Ok(map) => map,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(2);
        }
    };
    let map = Arc::new(map);
    let fallback = FilterOutputs {
        kept: absolute(&prep.cwd, &args.output),
        rejected: absolute(&prep.cwd, &args.rejected),
    };
    let run = FilterRun {
        policy,
        fix: !args.no_fix,
        annotate: args.annotate,
        field: args.field.clone(),
        outputs: Box::new(move |source: &Source| {
            map.get(&source.display)
                .cloned()
                .unwrap_or_else(|| fallback.clone())
        }),
    };
    let opts = Arc::new(RunOptions {
        mode: Mode::Filter,
        unsafe_fixes: args.unsafe_fixes,
        lang: prep.lang,
        text_field: prep.text_field,
        id_field: prep.id_field,
        stdin_format: prep.stdin_format,
        chunk_bytes: args.input.chunk_bytes.max(1),
        path_linter: prep.path_linter,
        keep_record_lines: false,
        max_file_size: args.input.max_file_size,
        filter: Some(Arc::new(run)),
    });
    let mut sink = FilterSink {
        summary: FilterSummary::default(),
        errors_shown: HashMap::new(),
    };
    for e in walk_errors {
        sink.error(e)?;
    }
    engine::run(
        prep.linter,
        sources,
        opts,
        &mut sink,
        Arc::new(Progress::default()),
    )?;
    let summary = sink.summary;
    eprintln!("{}", summary_line(&summary));
    if let Some(path) = &args.summary {
        let mut json = serde_json::to_string_pretty(&summary).map_err(io::Error::other)?;
        json.push('\n');
        if let Err(e) = corpuslint::input::write_new(path, json.as_bytes()) {
            eprintln!("error: {}: cannot write the summary: {e}", path.display());
            return Ok(2);
        }
    }
    if summary.errors > 0 {
        return Ok(2);
    }
    if summary.documents == 0 && !args.input.allow_empty {
        eprintln!(
            "error: no file to filter in {}: nothing was read (pass --allow-empty if that is expected)",
            args.paths.join(", ")
        );
        return Ok(2);
    }
    let failing = match args.fail_on {
        FilterFailOn::Change => summary.dropped > 0 || summary.fixed > 0,
        FilterFailOn::Drop => summary.dropped > 0,
        FilterFailOn::Never => false,
    };
    Ok(u8::from(failing))
}
