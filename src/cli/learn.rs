//! `corpuslint learn`: lines that recur across the corpus, as a rule file.

use super::args::LearnArgs;
use corpuslint::input;
use corpuslint::report;
use corpuslint::rules::{LoadOptions, RuleSet};
use std::io::{self, Write};

pub(crate) fn learn(args: LearnArgs) -> io::Result<u8> {
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
