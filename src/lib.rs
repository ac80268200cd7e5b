//! corpuslint finds what a scraper left behind in a text corpus.
//!
//! The data flow, in five steps:
//!
//! 1. [`rules`] loads rule files (TOML data, the built-in packs compiled in)
//!    and compiles each into a [`checks::Check`];
//! 2. [`input`] turns paths into documents (article files, JSONL records);
//! 3. [`engine`] runs every applicable check over each document, in parallel,
//!    and sorts the [`diagnostic::Diagnostic`]s it finds — after a first
//!    [`corpus`] pass that counts lines across documents, when a rule needs it;
//! 4. [`fix`] applies the fixes they carry, pass after pass until stable;
//! 5. [`report`] prints them: rustc-style diagnostics, concise lines or JSON.
//!
//! The library never prints to standard output or error on its own; the
//! binary (`main.rs` and `cli/`) picks the reporter and the exit code.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod checks;
pub mod cleanup;
pub mod config;
pub mod corpus;
pub mod diagnostic;
pub mod engine;
pub mod filter;
pub mod fingerprint;
pub mod fix;
pub mod input;
pub mod json_schema;
pub mod lang;
pub mod learn;
pub mod linter;
#[doc(hidden)]
pub mod properties;
pub mod report;
pub mod rules;
pub mod session;
pub mod text;
pub mod timings;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::Linter;
pub use fix::{Applicability, Edit, Fix};
pub use rules::{Rule, RuleSet};
