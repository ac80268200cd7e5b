//! `corpuslint manpage`: corpuslint(1) in roff.

use super::args::Cli;
use clap::CommandFactory;
use std::io;

/// The preamble that every roff rendering starts with; the page needs it once.
pub(crate) const ROFF_PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// One self-contained page, corpuslint(1): the global synopsis and options,
/// then every command with its usage and all its options, the exit status,
/// the files and where the rest is documented.
pub(crate) fn manpage() -> io::Result<Vec<u8>> {
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
