//! The engine: documents in, findings out, in input order whatever the
//! thread count, with memory bounded by the chunk size and the largest
//! document rather than by the corpus.
//!
//! One coordinator (the calling thread) walks the inputs in order. Articles
//! become one job each (the worker reads, checks and, with `--fix`, rewrites
//! the file). JSONL shards are read by the coordinator, decompressed, and cut
//! into chunks of records, one job per chunk, so a single 10 GB shard keeps
//! every core busy. Jobs run on the rayon pool; their results come back over
//! a channel and are handed to the [`Sink`] strictly in sequence, as soon as
//! every earlier job is done. At most a few jobs per thread are in flight.
//!
//! With `--fix`, a shard is rewritten as its chunks are emitted: every line
//! the fixes did not touch is copied byte for byte, into a temporary file
//! with the shard's compression that replaces the shard only when the whole
//! shard was read without error.

pub use crate::linter::{FixOutcome, Linter, MAX_FIX_PASSES};

use crate::corpus::{CorpusCtx, CorpusLines, DocRef, PassOptions};
use crate::diagnostic::Diagnostic;
use crate::input::jsonl::{self, FieldPath};
use crate::input::{self, Compression, Format, InputError, Origin, Source};
use crate::lang::{DocLang, LangChoice};
use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What a run does with each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report findings.
    Check,
    /// Apply fixes in place, then report what is left.
    Fix,
    /// Show the fixes as a unified diff; change nothing.
    Diff,
    /// `corpuslint filter`: judge every document ([`RunOptions::filter`]),
    /// write the kept ones (fixed) and the dropped ones where it says.
    Filter,
}

/// `corpuslint filter`: the policy, and where each input's documents go.
pub struct FilterRun {
    pub policy: crate::filter::Policy,
    /// Fix the texts (safe fixes, and unsafe ones with
    /// [`RunOptions::unsafe_fixes`]); `false` keeps them as they are.
    pub fix: bool,
    /// Kept documents carry the annotation too, with text hashes.
    pub annotate: bool,
    /// The field (JSONL) that carries the annotation.
    pub field: String,
    /// Where an input's kept and rejected documents go.
    pub outputs: Box<dyn Fn(&Source) -> FilterOutputs + Send + Sync>,
}

impl std::fmt::Debug for FilterRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilterRun")
            .field("policy", &self.policy)
            .field("fix", &self.fix)
            .field("annotate", &self.annotate)
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

/// Where the documents of one input go: files of the same format and
/// compression as the input (by their names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterOutputs {
    pub kept: std::path::PathBuf,
    pub rejected: std::path::PathBuf,
}

/// The sidecar beside an article that `filter` wrote: its annotation.
pub fn sidecar_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".corpuslint.json");
    std::path::PathBuf::from(name)
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub mode: Mode,
    pub unsafe_fixes: bool,
    pub lang: LangChoice,
    pub text_field: FieldPath,
    pub id_field: FieldPath,
    /// What `-` holds; `None`: guessed from its first byte.
    pub stdin_format: Option<Format>,
    /// Bytes of JSONL records per job.
    pub chunk_bytes: usize,
    /// A different linter for some paths (`per-path-ignores`); `None` for
    /// the path means the run's linter.
    pub path_linter: Option<PathLinter>,
    /// Keep each JSONL record's line in its [`Document`] (SARIF fixes).
    pub keep_record_lines: bool,
    /// The largest article (decompressed), and the longest JSONL record,
    /// read; larger ones are skipped with an error.
    pub max_file_size: u64,
    /// [`Mode::Filter`]: what to keep and where to write it.
    pub filter: Option<Arc<FilterRun>>,
}

/// Picks a linter for a path, or `None` for the run's own.
pub type ChooseLinter = dyn Fn(&str) -> Option<Arc<Linter>> + Send + Sync;

/// Chooses the linter for an input by its path.
#[derive(Clone)]
pub struct PathLinter(pub Arc<ChooseLinter>);

impl std::fmt::Debug for PathLinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PathLinter")
    }
}

impl RunOptions {
    fn linter_for(&self, path: &str, default: &Arc<Linter>) -> Arc<Linter> {
        self.path_linter
            .as_ref()
            .and_then(|choose| (choose.0)(path))
            .unwrap_or_else(|| default.clone())
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            mode: Mode::Check,
            unsafe_fixes: false,
            lang: LangChoice::Auto,
            text_field: FieldPath::parse("text").expect("valid path"),
            id_field: FieldPath::parse("id").expect("valid path"),
            stdin_format: None,
            chunk_bytes: 1 << 20,
            path_linter: None,
            keep_record_lines: false,
            max_file_size: input::DEFAULT_MAX_FILE_SIZE,
            filter: None,
        }
    }
}

/// One checked document.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    /// JSONL input: 1-based line of the record in its shard.
    pub record: Option<usize>,
    /// JSONL input: the value of the id field, when the record has one.
    pub doc_id: Option<serde_json::Value>,
    /// The text the findings refer to (after fixing, in `Fix` mode).
    pub text: String,
    pub lang: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Fixes applied (`Fix`) or that would be applied (`Diff`).
    pub fixed: usize,
    /// `Diff` mode: the unified diff of the fixes, empty when none.
    pub diff: String,
    /// Whether fixing changed the text (`Fix`) or would change it (`Diff`).
    pub changed: bool,
    /// `Fix` and `Diff`: the findings whose fixes were (or would be)
    /// applied, from every pass, placed on the text before fixing.
    pub applied: Vec<Diagnostic>,
    /// `Fix`: the text before fixing, which [`Document::applied`] points
    /// into, when any fix was applied.
    pub original: Option<String>,
    /// `Filter`: the decision about the document.
    pub verdict: Option<crate::filter::Verdict>,
    /// `Fix` and `Diff`: rules whose fixes did not settle, left unapplied.
    pub unsettled: Vec<std::sync::Arc<str>>,
    /// JSONL input with [`RunOptions::keep_record_lines`]: the record's line
    /// as it is in the shard, for reporters that show fixes of whole lines.
    pub record_line: Option<RecordLine>,
}

/// A JSONL record's line and where its text field sits in it.
#[derive(Debug, Clone)]
pub struct RecordLine {
    /// The line without its line break.
    pub line: String,
    /// Byte range of the text field's JSON string in `line`.
    pub text_span: std::ops::Range<usize>,
    /// The string escaped all non-ASCII characters.
    pub ascii_escaped: bool,
}

impl RecordLine {
    /// The line with the text field holding `text`, every other byte kept.
    pub fn with_text(&self, text: &str) -> String {
        jsonl::splice_text(&self.line, &self.text_span, self.ascii_escaped, text)
    }
}

impl Document {
    /// A document with no findings yet.
    pub fn new(path: impl Into<String>, text: String) -> Self {
        Document {
            path: path.into(),
            record: None,
            doc_id: None,
            text,
            lang: None,
            diagnostics: Vec::new(),
            fixed: 0,
            diff: String::new(),
            changed: false,
            applied: Vec::new(),
            original: None,
            verdict: None,
            unsettled: Vec::new(),
            record_line: None,
        }
    }

    /// The text [`Document::applied`] points into: the text before fixing.
    pub fn applied_text(&self) -> &str {
        self.original.as_deref().unwrap_or(&self.text)
    }

    /// How the document is named in human and concise output: the path, and
    /// for a JSONL record `path#record`.
    pub fn name(&self) -> String {
        match self.record {
            Some(n) => format!("{}#{n}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Receives the results of a run, in input order.
pub trait Sink {
    fn document(&mut self, doc: Document) -> io::Result<()>;
    fn error(&mut self, error: InputError) -> io::Result<()>;
    /// `--fix` on standard input: the fixed bytes, in order.
    fn fixed_stdin(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// `--fix`: the fixes of `documents` documents of shard `path` (`fixes`
    /// in all), reported already, were not written after all: the shard
    /// could not be read to its end or rewritten, and stays as it was.
    fn fixes_lost(&mut self, path: &str, documents: usize, fixes: usize) -> io::Result<()> {
        let _ = (path, documents, fixes);
        Ok(())
    }
}

/// Counters a progress display can read while a run goes on.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of the input files read so far (as stored: compressed bytes
    /// for compressed files), so that file sizes give an ETA.
    pub bytes: Arc<AtomicU64>,
    pub documents: AtomicU64,
    /// The corpus pass is reading the inputs (before any document is
    /// checked); `bytes` counts its reading, and starts again after it.
    pub counting: AtomicBool,
}

/// Checks (and fixes) `text` as one document named `path`, of the corpus
/// whose recurring lines are `corpus` when there is one; no I/O.
pub fn process(
    linter: &Linter,
    opts: &RunOptions,
    path: &str,
    diff_label: &str,
    text: String,
    corpus: Option<CorpusCtx<'_>>,
) -> Document {
    process_as(opts.mode, linter, opts, path, diff_label, text, corpus)
}

/// Runs `f`, and turns a panic into the message of an internal error: a
/// check that panics on a document makes that document an error of the
/// run, which goes on with the rest and ends with exit code 2, instead of
/// aborting every worker (a bug must not lose the other documents').
fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_string());
        format!(
            "internal error: a check failed on this document ({what}); it was skipped, \
             please report it with the document"
        )
    })
}

/// [`process`] in `mode`, whatever `opts.mode` says.
fn process_as(
    mode: Mode,
    linter: &Linter,
    opts: &RunOptions,
    path: &str,
    diff_label: &str,
    text: String,
    corpus: Option<CorpusCtx<'_>>,
) -> Document {
    let mut doc = Document::new(path, String::new());
    match mode {
        Mode::Check => {
            doc.lang = crate::timings::time("language", || opts.lang.resolve(&text));
            let lang = DocLang {
                code: doc.lang.as_deref(),
                declared: matches!(opts.lang, LangChoice::Fixed(_)),
            };
            doc.diagnostics = linter.check_in(&text, lang, corpus);
            doc.text = text;
        }
        Mode::Filter => {
            let filter = opts.filter.as_deref();
            let mode = if filter.is_some_and(|f| f.fix) {
                Mode::Fix
            } else {
                Mode::Check
            };
            doc = process_as(mode, linter, opts, path, diff_label, text, corpus);
            let Some(filter) = filter else {
                return doc;
            };
            doc.verdict = Some(crate::filter::judge(
                &filter.policy,
                doc.applied_text(),
                &doc.text,
                &doc.applied,
                &doc.diagnostics,
            ));
        }
        Mode::Fix => {
            let outcome = linter.fix_in(&text, &opts.lang, opts.unsafe_fixes, corpus);
            doc.changed = outcome.text != text;
            doc.fixed = outcome.fixed;
            doc.diagnostics = outcome.diagnostics;
            doc.applied = outcome.applied;
            doc.unsettled = outcome.unsettled;
            doc.lang = outcome.lang;
            doc.text = outcome.text;
            if !doc.applied.is_empty() {
                doc.original = Some(text);
            }
        }
        Mode::Diff => {
            let outcome = linter.fix_in(&text, &opts.lang, opts.unsafe_fixes, corpus);
            doc.changed = outcome.text != text;
            doc.fixed = outcome.fixed;
            doc.applied = outcome.applied;
            doc.unsettled = outcome.unsettled;
            if doc.changed {
                doc.diff = unified_diff(diff_label, &text, &outcome.text);
            }
            doc.lang = opts.lang.resolve(&text);
            let lang = DocLang {
                code: doc.lang.as_deref(),
                declared: matches!(opts.lang, LangChoice::Fixed(_)),
            };
            doc.diagnostics = linter.check_in(&text, lang, corpus);
            doc.text = text;
        }
    }
    doc
}

/// A unified diff with three lines of context, `a/` and `b/` headers.
pub fn unified_diff(label: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{label}"), &format!("b/{label}"))
        .to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Records of one shard, read as one block of bytes.
struct Chunk {
    /// The shard's index among the run's inputs.
    source: u32,
    lines: input::LineChunk,
}

enum Work {
    /// An article file (and its index among the inputs): read, check, rewrite.
    Article(Source, u32),
    /// An article already read (standard input).
    Text(Source, String),
    Chunk(Arc<Source>, Chunk),
}

struct ChunkOut {
    results: Vec<Result<Document, InputError>>,
    /// `--fix`: the chunk's lines as they are to be written; `filter`: the
    /// lines kept. Compressed as the file they go to (in the worker, so
    /// that compression runs in parallel).
    bytes: input::Block,
    /// `filter`: the lines rejected, compressed likewise.
    rejected: input::Block,
    changed: bool,
    /// A record was too long to keep: the shard (named here) cannot be
    /// rewritten whole.
    lossy: Option<String>,
}

enum Output {
    Article(Result<Box<Document>, InputError>),
    ShardBegin(Arc<Source>),
    Chunk(ChunkOut),
    ShardEnd(Arc<Source>, Option<InputError>),
    Error(InputError),
}

fn do_work(
    linter: &Arc<Linter>,
    opts: &RunOptions,
    corpus: Option<&CorpusLines>,
    work: Work,
) -> Output {
    let path = match &work {
        Work::Article(s, _) | Work::Text(s, _) => s.display.as_str(),
        Work::Chunk(s, _) => s.display.as_str(),
    };
    let linter = &*opts.linter_for(path, linter);
    match work {
        Work::Article(source, index) => {
            let corpus = corpus.map(|lines| CorpusCtx {
                lines,
                doc: DocRef {
                    source: index,
                    record: 0,
                },
            });
            Output::Article(article(linter, opts, source, corpus).map(Box::new))
        }
        // Standard input: the corpus pass could not read it.
        Work::Text(source, text) => {
            let result =
                guard(|| process(linter, opts, &source.display, &source.display, text, None))
                    .map_err(|msg| InputError::new(source.display.clone(), msg))
                    .and_then(|doc| {
                        write_filtered_article(opts, &source, &doc).map(|()| Box::new(doc))
                    });
            Output::Article(result)
        }
        Work::Chunk(shard, chunk) => {
            let corpus = corpus.filter(|_| !shard.is_stdin());
            Output::Chunk(check_chunk(linter, opts, &shard, chunk, corpus))
        }
    }
}

fn article(
    linter: &Linter,
    opts: &RunOptions,
    mut source: Source,
    corpus: Option<CorpusCtx<'_>>,
) -> Result<Document, InputError> {
    let text = match (&source.origin, source.compression) {
        // The common case, read in one call with the file's size as a hint.
        (Origin::File(path), Compression::None) => {
            input::read_article(path, &source.display, opts.max_file_size)?
        }
        _ => {
            let reader = input::open(&mut source, None, Arc::new(AtomicU64::new(0)))?;
            input::read_text(reader, &source.display, opts.max_file_size)?
        }
    };
    let doc = guard(|| process(linter, opts, &source.display, &source.display, text, corpus))
        .map_err(|msg| InputError::new(source.display.clone(), msg))?;
    write_filtered_article(opts, &source, &doc)?;
    if opts.mode == Mode::Fix
        && doc.changed
        && let Origin::File(path) = &source.origin
    {
        input::write_atomic(path, doc.text.as_bytes(), source.compression).map_err(|e| {
            InputError::new(
                doc.path.clone(),
                format!("cannot write the fixed file: {e}"),
            )
        })?;
    }
    Ok(doc)
}

/// `filter`: writes a judged article where its verdict says, the kept
/// text fixed, the rejected one as it was, with the annotation in a
/// sidecar (for a kept one with `--annotate` only).
fn write_filtered_article(
    opts: &RunOptions,
    source: &Source,
    doc: &Document,
) -> Result<(), InputError> {
    let (Some(filter), Some(verdict)) = (opts.filter.as_deref(), doc.verdict.as_ref()) else {
        return Ok(());
    };
    let outputs = (filter.outputs)(source);
    let (path, text) = if verdict.kept {
        (&outputs.kept, doc.text.as_str())
    } else {
        (&outputs.rejected, doc.applied_text())
    };
    let error = |e: io::Error| {
        InputError::new(
            doc.path.clone(),
            format!("cannot write {}: {e}", path.display()),
        )
    };
    input::write_new(path, text.as_bytes()).map_err(error)?;
    if !verdict.kept || filter.annotate {
        let hashes = filter
            .annotate
            .then(|| (doc.applied_text(), doc.text.as_str()));
        let mut json = serde_json::to_string_pretty(&crate::filter::annotation(verdict, hashes))
            .expect("an annotation serialises");
        json.push('\n');
        input::write_new(&sidecar_path(path), json.as_bytes()).map_err(error)?;
    }
    Ok(())
}

/// How `filter` writes one record: the line as it is, changed (fixed,
/// annotated) into the kept output, or into the rejected one.
enum Route {
    KeepAsIs,
    Keep(String),
    Reject(String),
    /// Not a record that could be read: into the rejected output unchanged.
    RejectAsIs,
}

fn route_record(filter: &FilterRun, line: &str, record: &jsonl::Record, doc: &Document) -> Route {
    let Some(verdict) = &doc.verdict else {
        return Route::KeepAsIs;
    };
    let annotation = |hashes: bool| {
        let hashes = hashes.then(|| (doc.applied_text(), doc.text.as_str()));
        serde_json::to_string(&crate::filter::annotation(verdict, hashes))
            .expect("an annotation serialises")
    };
    if verdict.kept {
        if !doc.changed && !filter.annotate {
            return Route::KeepAsIs;
        }
        let mut out = if doc.changed {
            jsonl::replace_text(line, record, &doc.text)
        } else {
            line.to_string()
        };
        if filter.annotate
            && let Some(annotated) = jsonl::set_field(&out, &filter.field, &annotation(true))
        {
            out = annotated;
        }
        Route::Keep(out)
    } else {
        Route::Reject(
            jsonl::set_field(line, &filter.field, &annotation(filter.annotate))
                .unwrap_or_else(|| line.to_string()),
        )
    }
}

fn check_chunk(
    linter: &Linter,
    opts: &RunOptions,
    shard: &Source,
    chunk: Chunk,
    corpus: Option<&CorpusLines>,
) -> ChunkOut {
    let fixing = opts.mode == Mode::Fix;
    let filter = opts.filter.as_deref().filter(|_| opts.mode == Mode::Filter);
    let mut results = Vec::new();
    let mut rejected = Vec::new();
    let mut bytes = Vec::with_capacity(if fixing || filter.is_some() {
        chunk.lines.data.len()
    } else {
        0
    });
    let mut changed = false;
    let mut lossy = None;
    let mut start = 0;
    for (i, &end) in chunk.lines.ends.iter().enumerate() {
        let raw = &chunk.lines.data[start..end];
        start = end;
        let number = chunk.lines.first + i;
        if chunk.lines.oversized.contains(&number) {
            lossy = Some(shard.display.clone());
            results.push(Err(InputError::new(
                shard.display.clone(),
                format!(
                    "record {number}: longer than {} (--max-file-size); record skipped",
                    input::human_size(opts.max_file_size)
                ),
            )));
            continue;
        }
        let mut content_end = raw.len();
        if raw.ends_with(b"\n") {
            content_end -= 1;
            if raw[..content_end].ends_with(b"\r") {
                content_end -= 1;
            }
        }
        // A byte-order mark opening the shard is no part of its first
        // record; it is written back as it was.
        let bom = if number == 1 && raw.starts_with(input::UTF8_BOM) {
            input::UTF8_BOM.len()
        } else {
            0
        };
        let content = &raw[bom..content_end.max(bom)];
        let mut replacement: Option<String> = None;
        let mut route = Route::KeepAsIs;
        if !content.iter().all(u8::is_ascii_whitespace) {
            let result = simdutf8::compat::from_utf8(content)
                .map_err(|e| format!("invalid UTF-8 at byte {} of the line", e.valid_up_to() + 1))
                .and_then(|line| {
                    let record = jsonl::parse_record(line, &opts.text_field, &opts.id_field)?;
                    let label = format!("{}:record {number}", shard.display);
                    let corpus = corpus.map(|lines| CorpusCtx {
                        lines,
                        doc: DocRef {
                            source: chunk.source,
                            record: u32::try_from(number).unwrap_or(u32::MAX),
                        },
                    });
                    let mut doc = guard(|| {
                        process(
                            linter,
                            opts,
                            &shard.display,
                            &label,
                            record.text.clone(),
                            corpus,
                        )
                    })?;
                    doc.record = Some(number);
                    doc.doc_id = record.id.clone();
                    if opts.keep_record_lines {
                        doc.record_line = Some(RecordLine {
                            line: line.to_string(),
                            text_span: record.span.clone(),
                            ascii_escaped: record.ascii_escaped,
                        });
                    }
                    if fixing && doc.changed {
                        replacement = Some(jsonl::replace_text(line, &record, &doc.text));
                    }
                    if let Some(filter) = filter {
                        route = route_record(filter, line, &record, &doc);
                    }
                    Ok(doc)
                })
                .map_err(|msg| {
                    InputError::new(shard.display.clone(), format!("record {number}: {msg}"))
                });
            if result.is_err() {
                // A record that cannot be judged is not kept: it goes to the
                // rejected output as it is, so nothing is lost.
                route = Route::RejectAsIs;
            }
            results.push(result);
        }
        if filter.is_some() {
            match route {
                Route::KeepAsIs => bytes.extend_from_slice(raw),
                Route::Keep(line) => {
                    changed = true;
                    bytes.extend_from_slice(&raw[..bom]);
                    bytes.extend_from_slice(line.as_bytes());
                    bytes.extend_from_slice(&raw[content_end..]);
                }
                Route::Reject(line) => {
                    bytes.extend_from_slice(&raw[..bom]);
                    rejected.extend_from_slice(line.as_bytes());
                    rejected.extend_from_slice(&raw[content_end..]);
                }
                Route::RejectAsIs => {
                    bytes.extend_from_slice(&raw[..bom]);
                    rejected.extend_from_slice(&raw[bom..]);
                }
            }
        }
        if fixing {
            match replacement {
                Some(line) => {
                    changed = true;
                    bytes.extend_from_slice(&raw[..bom]);
                    bytes.extend_from_slice(line.as_bytes());
                    bytes.extend_from_slice(&raw[content_end..]);
                }
                None => bytes.extend_from_slice(raw),
            }
        }
    }
    // Each output compressed as the file it goes to: the kept (or fixed)
    // lines as the shard or the kept output, the rejected ones as theirs.
    let (to_bytes, to_rejected) = match filter {
        Some(filter) => {
            let outputs = (filter.outputs)(shard);
            (
                input::classify(&outputs.kept).1,
                input::classify(&outputs.rejected).1,
            )
        }
        None => match shard.origin {
            // Fixed lines of standard input go to standard output as read.
            Origin::File(_) if fixing => (shard.compression, Compression::None),
            _ => (Compression::None, Compression::None),
        },
    };
    ChunkOut {
        results,
        bytes: input::Block::encode(bytes, to_bytes),
        rejected: input::Block::encode(rejected, to_rejected),
        changed,
        lossy,
    }
}

/// Finished jobs, handed from the workers to the coordinator. A mutex and
/// a condition variable rather than a channel: the coordinator sleeps until
/// a job is done instead of spinning, which on a two-core machine takes
/// time from the workers.
#[derive(Default)]
struct Done {
    results: std::sync::Mutex<Vec<(u64, Output)>>,
    ready: std::sync::Condvar,
}

impl Done {
    fn push(&self, seq: u64, out: Output) {
        self.results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((seq, out));
        self.ready.notify_one();
    }

    /// Everything finished so far; with `wait`, at least one result.
    fn take(&self, wait: bool) -> Vec<(u64, Output)> {
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        while wait && results.is_empty() {
            results = self.ready.wait(results).unwrap_or_else(|e| e.into_inner());
        }
        std::mem::take(&mut *results)
    }
}

/// Where the fixed lines of the shard being emitted go.
enum ShardWriter {
    File {
        replacement: Box<input::Replacement>,
        writer: Box<OutWriter>,
        changed: bool,
    },
    Stdin,
    /// Writing failed; the shard is left as it was.
    Failed,
}

struct Coordinator<'a> {
    linter: Arc<Linter>,
    opts: Arc<RunOptions>,
    corpus: Option<Arc<CorpusLines>>,
    sink: &'a mut dyn Sink,
    progress: Arc<Progress>,
    done: Arc<Done>,
    next_seq: u64,
    next_out: u64,
    in_flight: usize,
    /// The most jobs in flight: two per worker thread keep every worker
    /// busy while the next job waits, and bound the memory of a shard's
    /// chunks in flight (each a megabyte of records and the documents
    /// decoded from it) to a few per thread.
    limit: usize,
    pending: BTreeMap<u64, Output>,
    writer: Option<ShardWriter>,
    /// `--fix`: documents changed and fixes applied in the shard being
    /// emitted, until it is written.
    shard_fixes: (usize, usize),
    /// `filter`: the outputs of the shard being emitted.
    filter_writer: Option<FilterWriter>,
    /// The name of the shard being emitted, for messages.
    shard_name: String,
}

/// A file written through a temporary file beside it, compressed as its
/// name says, that appears (or replaces the file there) on `commit`.
struct OutFile {
    replacement: Box<input::Replacement>,
    writer: OutWriter,
}

/// How [`OutFile`] and `--fix` write a file.
type OutWriter = input::BlockWriter<io::BufWriter<std::fs::File>>;

impl OutFile {
    fn new(mut replacement: input::Replacement, compression: Compression) -> io::Result<Self> {
        let file = replacement.file().try_clone()?;
        let writer =
            input::compressor(io::BufWriter::with_capacity(256 * 1024, file), compression)?;
        Ok(OutFile {
            replacement: Box::new(replacement),
            writer,
        })
    }

    /// A new file at `path` (folders made first).
    fn create(path: &std::path::Path) -> io::Result<Self> {
        Self::new(input::Replacement::create(path)?, input::classify(path).1)
    }

    fn commit(self) -> io::Result<()> {
        self.writer.finish_write()?;
        self.replacement.commit()
    }
}

/// `filter`: where the kept and the rejected records of a shard go. The
/// rejected file is made when the first record is rejected.
struct FilterWriter {
    shard: String,
    kept: Option<OutFile>,
    rejected: Option<OutFile>,
    rejected_path: std::path::PathBuf,
    /// Why the outputs cannot be written whole; they are then not written.
    failed: bool,
}

impl FilterWriter {
    fn write(&mut self, kept: &input::Block, rejected: &input::Block) -> io::Result<()> {
        if let Some(out) = &mut self.kept {
            out.writer.write_block(kept)?;
        }
        if !rejected.data.is_empty() {
            if self.rejected.is_none() {
                self.rejected = Some(OutFile::create(&self.rejected_path)?);
            }
            if let Some(out) = &mut self.rejected {
                out.writer.write_block(rejected)?;
            }
        }
        Ok(())
    }

    fn commit(self) -> io::Result<()> {
        if let Some(out) = self.kept {
            out.commit()?;
        }
        if let Some(out) = self.rejected {
            out.commit()?;
        }
        Ok(())
    }
}

impl Coordinator<'_> {
    fn submit(&mut self, work: Work) -> io::Result<()> {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.in_flight += 1;
        let (linter, opts, done) = (self.linter.clone(), self.opts.clone(), self.done.clone());
        let corpus = self.corpus.clone();
        rayon::spawn(move || {
            let out = do_work(&linter, &opts, corpus.as_deref(), work);
            done.push(seq, out);
        });
        self.absorb(false)
    }

    fn ready(&mut self, out: Output) -> io::Result<()> {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.insert(seq, out);
        self.absorb(false)
    }

    /// Takes in finished jobs and emits everything that is next in line.
    /// Blocks while too many jobs are in flight, or, with `all`, until none is.
    fn absorb(&mut self, all: bool) -> io::Result<()> {
        loop {
            for (seq, out) in self.done.take(false) {
                self.in_flight -= 1;
                self.pending.insert(seq, out);
            }
            while let Some(out) = self.pending.remove(&self.next_out) {
                self.next_out += 1;
                self.emit(out)?;
            }
            let must_wait = if all {
                self.in_flight > 0
            } else {
                self.in_flight >= self.limit
            };
            if !must_wait {
                return Ok(());
            }
            for (seq, out) in self.done.take(true) {
                self.in_flight -= 1;
                self.pending.insert(seq, out);
            }
        }
    }

    fn document(&mut self, doc: Document) -> io::Result<()> {
        self.progress.documents.fetch_add(1, Ordering::Relaxed);
        self.sink.document(doc)
    }

    fn emit(&mut self, out: Output) -> io::Result<()> {
        match out {
            Output::Article(Ok(doc)) => {
                let stdin_fix = self.opts.mode == Mode::Fix && doc.path == "-";
                let text = stdin_fix.then(|| doc.text.clone());
                self.document(*doc)?;
                if let Some(text) = text {
                    self.sink.fixed_stdin(text.as_bytes())?;
                }
            }
            Output::Article(Err(e)) | Output::Error(e) => self.sink.error(e)?,
            Output::ShardBegin(source) => {
                self.shard_name = source.display.clone();
                if let (Mode::Filter, Some(filter)) = (self.opts.mode, &self.opts.filter) {
                    let outputs = (filter.outputs)(&source);
                    let mut writer = FilterWriter {
                        shard: source.display.clone(),
                        kept: None,
                        rejected: None,
                        rejected_path: outputs.rejected,
                        failed: false,
                    };
                    match OutFile::create(&outputs.kept) {
                        Ok(out) => writer.kept = Some(out),
                        Err(e) => {
                            writer.failed = true;
                            self.sink.error(InputError::new(
                                source.display.clone(),
                                format!("cannot write {}: {e}", outputs.kept.display()),
                            ))?;
                        }
                    }
                    self.filter_writer = Some(writer);
                }
                if self.opts.mode == Mode::Fix {
                    self.writer = Some(match &source.origin {
                        Origin::Stdin => ShardWriter::Stdin,
                        Origin::File(path) => match shard_writer(path, source.compression) {
                            Ok((replacement, writer)) => ShardWriter::File {
                                replacement: Box::new(replacement),
                                writer,
                                changed: false,
                            },
                            Err(e) => {
                                self.sink.error(InputError::new(
                                    source.display.clone(),
                                    format!("cannot write the fixed shard: {e}"),
                                ))?;
                                ShardWriter::Failed
                            }
                        },
                    });
                }
            }
            Output::Chunk(chunk) => {
                for result in chunk.results {
                    match result {
                        Ok(doc) => {
                            if doc.changed {
                                self.shard_fixes.0 += 1;
                                self.shard_fixes.1 += doc.fixed;
                            }
                            self.document(doc)?
                        }
                        Err(e) => self.sink.error(e)?,
                    }
                }
                if let Some(shard) = &chunk.lossy
                    && let Some(ShardWriter::File { .. }) = &self.writer
                {
                    // The skipped record's bytes were not kept: rewriting
                    // the shard would lose it.
                    self.writer = Some(ShardWriter::Failed);
                    self.sink.error(InputError::new(
                        shard.clone(),
                        "not rewritten: a record was too long to keep (raise --max-file-size to fix it)",
                    ))?;
                }
                if let Some(w) = &mut self.filter_writer
                    && !w.failed
                {
                    let written = if chunk.lossy.is_some() {
                        Err(io::Error::other(
                            "a record was too long to keep (raise --max-file-size)",
                        ))
                    } else {
                        w.write(&chunk.bytes, &chunk.rejected)
                    };
                    if let Err(e) = written {
                        w.failed = true;
                        let shard = w.shard.clone();
                        self.sink.error(InputError::new(
                            shard,
                            format!("the outputs are not written: {e}"),
                        ))?;
                    }
                }
                match &mut self.writer {
                    Some(ShardWriter::File {
                        writer, changed, ..
                    }) => {
                        *changed |= chunk.changed;
                        if let Err(e) = writer.write_block(&chunk.bytes) {
                            // The shard stays as it was; the run goes on.
                            self.writer = Some(ShardWriter::Failed);
                            self.sink.error(InputError::new(
                                self.shard_name.clone(),
                                format!("cannot write the fixed shard: {e}"),
                            ))?;
                        }
                    }
                    Some(ShardWriter::Stdin) => self.sink.fixed_stdin(&chunk.bytes.data)?,
                    _ => {}
                }
            }
            Output::ShardEnd(source, error) => {
                if let Some(w) = self.filter_writer.take()
                    && error.is_none()
                    && !w.failed
                    && let Err(e) = w.commit()
                {
                    self.sink.error(InputError::new(
                        source.display.clone(),
                        format!("the outputs are not written: {e}"),
                    ))?;
                }
                let writer = self.writer.take();
                let (documents, fixes) = std::mem::take(&mut self.shard_fixes);
                let written = if let Some(e) = error {
                    // A shard that could not be read to its end is never rewritten.
                    self.sink.error(e)?;
                    false
                } else {
                    match writer {
                        Some(ShardWriter::File {
                            replacement,
                            writer,
                            changed: true,
                        }) => match writer.finish_write().and_then(|()| replacement.commit()) {
                            Ok(()) => true,
                            Err(e) => {
                                self.sink.error(InputError::new(
                                    source.display.clone(),
                                    format!("cannot write the fixed shard: {e}"),
                                ))?;
                                false
                            }
                        },
                        Some(ShardWriter::Failed) => false,
                        _ => true,
                    }
                };
                if !written && fixes > 0 {
                    self.sink.fixes_lost(&source.display, documents, fixes)?;
                }
            }
        }
        Ok(())
    }

    /// Reads a shard in chunks and submits them.
    fn shard(
        &mut self,
        source: Source,
        index: u32,
        mut reader: Box<dyn BufRead + Send>,
    ) -> io::Result<()> {
        let source = Arc::new(source);
        self.ready(Output::ShardBegin(source.clone()))?;
        let stop = input::read_chunks(
            reader.as_mut(),
            self.opts.chunk_bytes,
            self.opts.max_file_size,
            |lines| {
                self.submit(Work::Chunk(
                    source.clone(),
                    Chunk {
                        source: index,
                        lines,
                    },
                ))
            },
        )?;
        let error = stop.map(|stop| {
            let message = match stop {
                input::ShardStop::Binary(pos) => {
                    format!("binary file (NUL byte at offset {pos}); file skipped")
                }
                // Bytes of a partial line stay unchecked.
                input::ShardStop::Read { line, error } => format!(
                    "cannot read on from record {line}: {}; the rest of the shard is not checked",
                    input::stream_error(&error)
                ),
            };
            InputError::new(source.display.clone(), message)
        });
        self.ready(Output::ShardEnd(source, error))
    }
}

fn shard_writer(
    path: &std::path::Path,
    compression: Compression,
) -> io::Result<(input::Replacement, Box<OutWriter>)> {
    let mut replacement = input::Replacement::new(path)?;
    let file = replacement.file().try_clone()?;
    let writer = input::compressor(io::BufWriter::with_capacity(256 * 1024, file), compression)?;
    Ok((replacement, Box::new(writer)))
}

/// Runs `linter` over `sources` and hands every result to `sink`, in the
/// order of `sources` (records in shard order). Returns when all is done.
pub fn run(
    linter: Arc<Linter>,
    sources: Vec<Source>,
    opts: Arc<RunOptions>,
    sink: &mut dyn Sink,
    progress: Arc<Progress>,
) -> io::Result<()> {
    let corpus = corpus_pass(&linter, &sources, &opts, &progress);
    let mut co = Coordinator {
        limit: rayon::current_num_threads() * 2,
        linter,
        opts,
        corpus,
        sink,
        progress,
        done: Arc::new(Done::default()),
        next_seq: 0,
        next_out: 0,
        in_flight: 0,
        pending: BTreeMap::new(),
        writer: None,
        shard_fixes: (0, 0),
        filter_writer: None,
        shard_name: String::new(),
    };
    for (index, mut source) in sources.into_iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        match (source.format, &source.origin) {
            (Format::Text, Origin::File(path)) => {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                co.progress.bytes.fetch_add(size, Ordering::Relaxed);
                co.submit(Work::Article(source, index))?;
            }
            _ => match input::open(&mut source, co.opts.stdin_format, co.progress.bytes.clone()) {
                Err(e) => co.ready(Output::Error(e))?,
                Ok(reader) if source.format == Format::Jsonl => co.shard(source, index, reader)?,
                Ok(reader) => {
                    match input::read_text(reader, &source.display, co.opts.max_file_size) {
                        Ok(text) => co.submit(Work::Text(source, text))?,
                        Err(e) => co.ready(Output::Error(e))?,
                    }
                }
            },
        }
    }
    co.absorb(true)
}

/// The corpus pass, when a check of the run needs it and there is an input
/// that can be read twice (not standard input).
fn corpus_pass(
    linter: &Linter,
    sources: &[Source],
    opts: &RunOptions,
    progress: &Progress,
) -> Option<Arc<CorpusLines>> {
    let need = linter.corpus_need()?;
    if sources.iter().all(Source::is_stdin) {
        return None;
    }
    progress.counting.store(true, Ordering::Relaxed);
    let lines = CorpusLines::count(
        sources,
        &PassOptions {
            need: &need,
            text_field: &opts.text_field,
            id_field: &opts.id_field,
            chunk_bytes: opts.chunk_bytes,
            read_bytes: progress.bytes.clone(),
            max_file_size: opts.max_file_size,
        },
    );
    progress.bytes.store(0, Ordering::Relaxed);
    progress.counting.store(false, Ordering::Relaxed);
    Some(Arc::new(lines))
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn a_panic_becomes_an_error_of_the_document() {
        assert_eq!(guard(|| 7), Ok(7));
        let err = guard(|| -> u8 { panic!("byte index 95 is not a char boundary") }).unwrap_err();
        assert!(
            err.starts_with("internal error: a check failed on this document"),
            "{err}"
        );
        assert!(
            err.contains("byte index 95 is not a char boundary"),
            "{err}"
        );
        let err = guard(|| -> u8 { panic!("{} of {}", 3, 4) }).unwrap_err();
        assert!(err.contains("(3 of 4)"), "{err}");
    }
}
