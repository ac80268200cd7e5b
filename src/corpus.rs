//! The corpus pass: before any document is checked, every input is read
//! once and the short lines of each document are counted by hash, once per
//! document, so that a check can tell a line that recurs across many
//! documents of the corpus (a site's footer, its share bar) from one that
//! does not. Only checks that ask for it ([`Check::corpus_need`]) make the
//! engine run this pass.
//!
//! Memory is a hash, a count and a first-seen location per distinct line,
//! never the text: 24 bytes a line in the table, whatever the line's length.
//! Lines are compared by a 64-bit hash of their [normalised
//! form](crate::text::collapse_whitespace); two different lines with the
//! same hash would be counted together, which at 100 million distinct lines
//! happens with a chance of about 1 in 3,000.
//!
//! The pass reads documents in parallel, but its result does not depend on
//! the order in which they are read: counts are sums, and the first-seen
//! location is the smallest (input, record, line) — the first occurrence in
//! the order in which the engine reports documents. Standard input cannot
//! be read twice and is left out: its documents are neither counted nor
//! given to the checks with a corpus.
//!
//! This module reads files but reports nothing: a file it cannot read is
//! skipped here, and the engine's own pass reports it.
//!
//! [`Check::corpus_need`]: crate::checks::Check::corpus_need

use crate::input::jsonl::{FieldPath, parse_record};
use crate::input::{self, Compression, Format, Origin, Source};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// Which lines count: what one corpus check needs of the pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorpusNeed {
    /// Lines with fewer words (runs of non-space characters) are not counted.
    pub min_words: usize,
    /// Lines longer than this, in characters, are not counted.
    pub max_chars: usize,
    /// A line is kept after the pass only when it occurs in at least this
    /// many documents ...
    pub min_documents: u32,
    /// ... and in at least this share of them.
    pub min_share: f64,
}

impl CorpusNeed {
    /// What serves both `self` and `other`: every line either counts, and
    /// every line either keeps.
    pub fn union(self, other: CorpusNeed) -> CorpusNeed {
        CorpusNeed {
            min_words: self.min_words.min(other.min_words),
            max_chars: self.max_chars.max(other.max_chars),
            min_documents: self.min_documents.min(other.min_documents),
            min_share: self.min_share.min(other.min_share),
        }
    }

    /// The fewest documents a line must occur in, out of `total`: never
    /// fewer than two, since a line of one document recurs across nothing.
    pub fn min_count(&self, total: u64) -> u64 {
        let share = (self.min_share * total as f64).ceil();
        let share = if share.is_finite() && share > 0.0 {
            share as u64
        } else {
            0
        };
        u64::from(self.min_documents).max(share).max(2)
    }

    /// The hash of `line` as the pass counts it, or `None` when the line
    /// does not count: blank, fewer than `min_words` words, no letter, or
    /// longer than `max_chars`.
    pub fn key(&self, line: &str) -> Option<u64> {
        let trimmed = line.trim();
        // Most bytes of a corpus are in paragraphs: they leave here, by
        // their length, before anything else is read of them.
        if trimmed.len() > self.max_chars
            && (trimmed.len() > 4 * self.max_chars
                || crate::text::char_count(trimmed) > self.max_chars)
        {
            return None;
        }
        if trimmed.len() + 1 < 2 * self.min_words {
            return None;
        }
        let norm = crate::text::collapse_whitespace(trimmed);
        let words = norm.bytes().filter(|&b| b == b' ').count() + 1;
        if words < self.min_words || !norm.chars().any(char::is_alphabetic) {
            return None;
        }
        Some(line_hash(&norm))
    }
}

/// foldhash with a fixed seed: the same on every thread of a run, and
/// several times faster than SipHash on short lines (measured: SipHash was
/// a third of the pass's own time). Its output may differ between foldhash
/// versions, which does not matter: hashes never leave the run.
fn line_hash(line: &str) -> u64 {
    use std::hash::BuildHasher;
    const STATE: foldhash::fast::FixedState =
        foldhash::fast::FixedState::with_seed(0x636f_7270_7573);
    STATE.hash_one(line.as_bytes())
}

/// A document of the corpus: its input (index in the run's sorted inputs)
/// and, in a JSONL shard, its record (1-based line; 0 for an article).
/// Ordered as the engine reports documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocRef {
    pub source: u32,
    pub record: u32,
}

/// What the pass knows of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Documents the line occurs in.
    pub documents: u32,
    /// The first document it occurs in ...
    pub first: DocRef,
    /// ... and the 0-based line there.
    pub line: u32,
}

impl Seen {
    fn add(&mut self, doc: DocRef, line: u32) {
        self.documents = self.documents.saturating_add(1);
        if (doc, line) < (self.first, self.line) {
            self.first = doc;
            self.line = line;
        }
    }
}

/// The keys are hashes already: they are used as they are.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type LineMap = HashMap<u64, Seen, BuildHasherDefault<Identity>>;

/// The lines that recur across the corpus, after the pass: hash → counts,
/// for the lines that occur in enough documents.
#[derive(Debug, Default)]
pub struct CorpusLines {
    lines: LineMap,
    documents: u64,
    /// Display names of the inputs that hold a first occurrence.
    names: HashMap<u32, String>,
}

/// What a check sees of the corpus while it checks one document.
#[derive(Clone, Copy)]
pub struct CorpusCtx<'a> {
    pub lines: &'a CorpusLines,
    /// The document being checked.
    pub doc: DocRef,
}

impl CorpusLines {
    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// What the pass knows of the line with this [`CorpusNeed::key`].
    pub fn get(&self, key: u64) -> Option<&Seen> {
        self.lines.get(&key)
    }

    /// Distinct lines kept.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How findings name a document: its path, and `path#record` for a
    /// JSONL record (as the reporters do).
    pub fn name(&self, doc: DocRef) -> String {
        let path = self.names.get(&doc.source).map_or("?", String::as_str);
        match doc.record {
            0 => path.to_string(),
            n => format!("{path}#{n}"),
        }
    }

    /// Counts the lines of texts held in memory, document `i` named
    /// `names[i]` (rule examples and tests).
    pub fn from_texts(texts: &[(&str, &str)], need: &CorpusNeed) -> CorpusLines {
        let table = Table::new(1);
        for (i, (_, text)) in texts.iter().enumerate() {
            let doc = DocRef {
                source: clamp(i),
                record: 0,
            };
            table.add(doc, text, need, &mut Vec::new());
        }
        let names = texts.iter().map(|(name, _)| name.to_string()).collect();
        table.finish(need, names)
    }

    /// The pass over `sources` (standard input left out). Files that cannot
    /// be read, and records that cannot be parsed, are skipped: the
    /// engine's pass reports them. `read_bytes` counts the bytes read, as
    /// stored, for a progress display.
    pub fn count(sources: &[Source], opts: &PassOptions<'_>) -> CorpusLines {
        use rayon::prelude::*;
        let threads = rayon::current_num_threads();
        let table = Table::new((threads * 16).next_power_of_two());
        let files = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.origin {
                Origin::File(path) => Some((clamp(i), s, path)),
                Origin::Stdin => None,
            });
        // Articles: one small job each, which rayon's work stealing
        // batches without waking a thread per file.
        let articles: Vec<_> = files
            .clone()
            .filter(|(_, s, _)| s.format == Format::Text)
            .collect();
        articles.par_iter().for_each_init(
            || (Vec::new(), Vec::new()),
            |(keys, buf), &(index, source, path)| {
                read_article(source, path, opts, buf, |text| {
                    let doc = DocRef {
                        source: index,
                        record: 0,
                    };
                    table.add(doc, text, opts.need, keys);
                });
            },
        );
        // Shards: read (and decompressed) by up to one thread each, in
        // chunks of records that are counted on the pool. At most a few
        // chunks per thread wait, so that a large shard is not read into
        // memory faster than it is counted. The readers are this thread and
        // helpers outside the pool: they may wait for a free slot without
        // taking a thread from the counting.
        let shards: Vec<_> = files
            .filter(|(_, s, _)| s.format == Format::Jsonl)
            .collect();
        let slots = Slots::new(threads * 4);
        let next = std::sync::atomic::AtomicUsize::new(0);
        rayon::in_place_scope(|scope| {
            let read = || {
                while let Some(&(index, source, _)) =
                    shards.get(next.fetch_add(1, Ordering::Relaxed))
                {
                    let mut source = source.clone();
                    let Ok(mut reader) = input::open(&mut source, None, opts.read_bytes.clone())
                    else {
                        continue;
                    };
                    // A binary shard gives no chunk, and reading stops at
                    // the first error, as in the engine (which reports it).
                    let _ = input::read_chunks(
                        reader.as_mut(),
                        opts.chunk_bytes,
                        opts.max_file_size,
                        |lines| -> Result<(), std::convert::Infallible> {
                            slots.acquire();
                            let (table, slots) = (&table, &slots);
                            scope.spawn(move |_| {
                                count_chunk(table, index, &lines, opts);
                                slots.release();
                            });
                            Ok(())
                        },
                    );
                }
            };
            std::thread::scope(|helpers| {
                for _ in 1..threads.min(shards.len()) {
                    // A helper that cannot be started leaves its shards
                    // to the others.
                    let _ = std::thread::Builder::new().spawn_scoped(helpers, read);
                }
                read();
            });
        });
        let names = sources.iter().map(|s| s.display.clone()).collect();
        table.finish(opts.need, names)
    }
}

/// What the pass reads and counts.
pub struct PassOptions<'a> {
    pub need: &'a CorpusNeed,
    pub text_field: &'a FieldPath,
    pub id_field: &'a FieldPath,
    /// Bytes of JSONL records per job.
    pub chunk_bytes: usize,
    pub read_bytes: Arc<AtomicU64>,
    /// The largest article, and the longest record, counted.
    pub max_file_size: u64,
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads an article for counting into `buf` (reused across articles) and
/// hands its text to `count`. An uncompressed file is read without asking
/// for its size first (`std::fs::read` would: one system call more per
/// file, which shows on corpora of many small articles), and valid UTF-8
/// is counted where it lies.
fn read_article(
    source: &Source,
    path: &std::path::Path,
    opts: &PassOptions<'_>,
    buf: &mut Vec<u8>,
    count: impl FnOnce(&str),
) {
    if source.compression != Compression::None {
        let mut source = source.clone();
        if let Ok(reader) = input::open(&mut source, None, opts.read_bytes.clone())
            && let Ok(text) = input::read_text(reader, &source.display, opts.max_file_size)
        {
            count(&text);
        }
        return;
    }
    buf.clear();
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    if input::read_bounded(&mut &file, &source.display, opts.max_file_size, buf).is_err() {
        return;
    }
    opts.read_bytes
        .fetch_add(buf.len() as u64, Ordering::Relaxed);
    // Text the engine will not check is not counted; the engine reports it.
    if let Ok(text) = input::decode_slice(&source.display, buf) {
        count(text);
    }
}

fn count_chunk(table: &Table, source: u32, lines: &input::LineChunk, opts: &PassOptions<'_>) {
    let mut keys = Vec::new();
    let mut start = 0;
    for (i, &end) in lines.ends.iter().enumerate() {
        let raw = &lines.data[start..end];
        start = end;
        let content = raw.strip_suffix(b"\n").unwrap_or(raw);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        let content = if lines.first + i == 1 {
            content.strip_prefix(input::UTF8_BOM).unwrap_or(content)
        } else {
            content
        };
        if content.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(line) = simdutf8::basic::from_utf8(content) else {
            continue;
        };
        let Ok(record) = parse_record(line, opts.text_field, opts.id_field) else {
            continue;
        };
        let doc = DocRef {
            source,
            record: clamp(lines.first + i),
        };
        table.add(doc, &record.text, opts.need, &mut keys);
    }
}

/// Jobs allowed in flight, as a counting semaphore.
struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    fn new(n: usize) -> Self {
        Slots {
            free: Mutex::new(n.max(1)),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
    }

    fn release(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.freed.notify_one();
    }
}

/// The counts while the pass runs: shards of the hash space, each behind
/// its own lock, so that threads rarely wait for each other.
struct Table {
    shards: Vec<Mutex<LineMap>>,
    documents: AtomicU64,
}

impl Table {
    fn new(shards: usize) -> Self {
        Table {
            shards: (0..shards.max(1)).map(|_| Mutex::default()).collect(),
            documents: AtomicU64::new(0),
        }
    }

    /// Counts the lines of one document, each distinct line once.
    /// `keys` is scratch space, reused across calls.
    fn add(&self, doc: DocRef, text: &str, need: &CorpusNeed, keys: &mut Vec<(u64, u32)>) {
        self.documents.fetch_add(1, Ordering::Relaxed);
        keys.clear();
        for (n, line) in text.split('\n').enumerate() {
            if let Some(key) = need.key(line) {
                keys.push((key, clamp(n)));
            }
        }
        // Sorted by hash and line, the first of each hash is its first line.
        keys.sort_unstable();
        keys.dedup_by_key(|(key, _)| *key);
        for &(key, line) in keys.iter() {
            // Bits the map itself does not use for its buckets pick the shard.
            let shard = (key >> 32) as usize % self.shards.len();
            let mut map = self.shards[shard].lock().unwrap_or_else(|e| e.into_inner());
            map.entry(key)
                .and_modify(|seen| seen.add(doc, line))
                .or_insert(Seen {
                    documents: 1,
                    first: doc,
                    line,
                });
        }
    }

    /// The lines that occur in enough documents for `need`, in one map.
    fn finish(self, need: &CorpusNeed, mut names: Vec<String>) -> CorpusLines {
        let documents = self.documents.into_inner();
        let min = need.min_count(documents);
        let mut lines = LineMap::default();
        for shard in self.shards {
            let shard = shard.into_inner().unwrap_or_else(|e| e.into_inner());
            lines.extend(
                shard
                    .into_iter()
                    .filter(|(_, seen)| u64::from(seen.documents) >= min),
            );
        }
        lines.shrink_to_fit();
        let mut kept = HashMap::new();
        for seen in lines.values() {
            let i = seen.first.source;
            if let Some(name) = names.get_mut(i as usize) {
                kept.entry(i).or_insert_with(|| std::mem::take(name));
            }
        }
        CorpusLines {
            lines,
            documents,
            names: kept,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEED: CorpusNeed = CorpusNeed {
        min_words: 4,
        max_chars: 300,
        min_documents: 3,
        min_share: 0.0,
    };

    #[test]
    fn keys_ignore_spacing_and_skip_short_lines() {
        assert_eq!(
            NEED.key("  Teilen auf Facebook und Twitter "),
            NEED.key("Teilen\u{A0}auf  Facebook\tund Twitter")
        );
        assert_ne!(
            NEED.key("Teilen auf Facebook und Twitter"),
            NEED.key("teilen auf Facebook und Twitter")
        );
        assert_eq!(NEED.key("Teilen auf Facebook"), None);
        assert_eq!(NEED.key("1 2 3 4 5"), None);
        assert_eq!(NEED.key(""), None);
        assert_eq!(NEED.key(&"Wort ".repeat(100)), None);
        assert!(NEED.key(&"Wort ".repeat(60)).is_some());
    }

    #[test]
    fn counts_once_per_document_and_keeps_the_first() {
        let footer = "Alle Rechte vorbehalten, Beispielverlag GmbH";
        let texts: Vec<String> = (0..4)
            .map(|i| format!("Artikel Nummer {i} über etwas ganz anderes.\n{footer}\n{footer}"))
            .collect();
        let mut docs: Vec<(String, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("d{i}.txt"), t.as_str()))
            .collect();
        docs.insert(0, ("empty.txt".into(), ""));
        let refs: Vec<(&str, &str)> = docs.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let corpus = CorpusLines::from_texts(&refs, &NEED);
        assert_eq!(corpus.documents(), 5);
        assert_eq!(corpus.len(), 1);
        let seen = corpus.get(NEED.key(footer).unwrap()).unwrap();
        assert_eq!(seen.documents, 4);
        assert_eq!(
            (seen.first, seen.line),
            (
                DocRef {
                    source: 1,
                    record: 0
                },
                1
            )
        );
        assert_eq!(corpus.name(seen.first), "d0.txt");
    }

    #[test]
    fn thresholds() {
        let need = CorpusNeed {
            min_documents: 5,
            min_share: 0.01,
            ..NEED
        };
        assert_eq!(need.min_count(100), 5);
        assert_eq!(need.min_count(1000), 10);
        assert_eq!(need.min_count(1001), 11);
        assert_eq!(
            CorpusNeed {
                min_documents: 0,
                ..NEED
            }
            .min_count(0),
            2
        );
    }
}
