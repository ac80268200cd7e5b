//! Documents from paths: walking folders, telling articles from JSONL
//! shards and their compression, reading files and standard input,
//! refusing what is not UTF-8 text with an error that says where, and
//! writing fixed files back atomically with the compression they had.
//!
//! One unreadable file never stops a run: every problem is an [`InputError`]
//! for that file (or record), and the caller goes on with the rest.

pub mod jsonl;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// How a file holds its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The whole file is one article.
    Text,
    /// One JSON record per line, the text in a field.
    Jsonl,
}

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Stdin,
}

/// An input: a file or standard input, its format and compression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub origin: Origin,
    pub display: String,
    pub format: Format,
    pub compression: Compression,
}

/// Format and compression from a file name: `x.jsonl.gz`, `x.txt.zst`.
pub fn classify(path: &Path) -> (Format, Compression) {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let (stem, compression) = if let Some(stem) = name.strip_suffix(".gz") {
        (stem, Compression::Gzip)
    } else if let Some(stem) = name.strip_suffix(".zst") {
        (stem, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    let format = if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") {
        Format::Jsonl
    } else {
        Format::Text
    };
    (format, compression)
}

impl Source {
    pub fn file(path: PathBuf) -> Self {
        let (format, compression) = classify(&path);
        Source {
            display: path.display().to_string(),
            origin: Origin::File(path),
            format,
            compression,
        }
    }

    /// Standard input; its format and compression are settled when it is read.
    pub fn stdin() -> Self {
        Source {
            origin: Origin::Stdin,
            display: "-".to_string(),
            format: Format::Text,
            compression: Compression::None,
        }
    }

    /// The name findings carry: the path as given or walked, `-` for stdin.
    pub fn display(&self) -> &str {
        &self.display
    }

    pub fn is_stdin(&self) -> bool {
        self.origin == Origin::Stdin
    }
}

/// A file that could not be checked as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl InputError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for InputError {}

/// Extensions of article files found while walking a folder. Files named
/// explicitly are always read, whatever their name.
const TEXT_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown"];

/// Whether a walked file is an input: an article (`.txt`, `.md`, no
/// extension) or a shard (`.jsonl`, `.ndjson`), each maybe `.gz` / `.zst`.
fn is_input(path: &Path) -> bool {
    let (format, compression) = classify(path);
    if format == Format::Jsonl {
        return true;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stem = match compression {
        Compression::None => name,
        _ => name.rsplit_once('.').map_or(name, |(stem, _)| stem),
    };
    match Path::new(stem).extension().and_then(|e| e.to_str()) {
        None => compression == Compression::None,
        Some(ext) => TEXT_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(ext)),
    }
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// The inputs a set of command-line paths names.
#[derive(Debug, Default)]
pub struct Collected {
    /// Sorted by path (the order findings are reported in), each file once.
    pub sources: Vec<Source>,
    pub errors: Vec<InputError>,
    /// Symbolic links met while walking folders and not followed.
    pub symlinks_skipped: usize,
}

/// Expands the command-line paths into inputs, sorted by path (the order
/// findings are reported in), each file once however it was named (`a.txt`
/// and `./a.txt`, or a folder and a file in it). `-` is stdin.
/// `exclude` is asked for every walked file and folder (not for paths
/// named on the command line, which are always read). With `follow`,
/// symbolic links in walked folders are followed (a link named on the
/// command line always is).
pub fn collect(paths: &[String], exclude: &dyn Fn(&Path) -> bool, follow: bool) -> Collected {
    let mut c = walk(paths, exclude, follow);
    c.sources.sort_by(|a, b| a.display.cmp(&b.display));
    // The same file under two names: the first name is kept.
    let mut seen = std::collections::HashSet::new();
    c.sources.retain(|s| match &s.origin {
        Origin::Stdin => seen.insert(None),
        Origin::File(p) => seen.insert(Some(file_identity(p))),
    });
    c
}

/// What makes two paths one file: its device and inode on Unix, its
/// canonical path elsewhere, or the path itself when neither can be had.
fn file_identity(path: &Path) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return (m.dev(), m.ino(), PathBuf::new());
        }
    }
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    (0, 0, canonical)
}

fn walk(paths: &[String], exclude: &dyn Fn(&Path) -> bool, follow: bool) -> Collected {
    let mut out = Collected::default();
    for arg in paths {
        if arg == "-" {
            out.sources.push(Source::stdin());
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Err(e) => out
                .errors
                .push(InputError::new(arg.clone(), io_message(&e))),
            Ok(meta) if meta.is_dir() => {
                let walker = walkdir::WalkDir::new(&path)
                    .follow_links(follow)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| !is_hidden(e) && (e.depth() == 0 || !exclude(e.path())));
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() && is_input(e.path()) => {
                            let mut source = Source::file(e.into_path());
                            // `check .` names files as `a.txt`, not `./a.txt`.
                            if arg == "."
                                && let Some(rest) = source.display.strip_prefix("./")
                            {
                                source.display = rest.to_string();
                            }
                            out.sources.push(source)
                        }
                        Ok(e) if e.path_is_symlink() && !follow => out.symlinks_skipped += 1,
                        Ok(_) => {}
                        Err(e) => {
                            let where_ = e.path().map_or(arg.clone(), |p| p.display().to_string());
                            let msg = if e.loop_ancestor().is_some() {
                                "a symbolic link loops back to a folder above it; not followed"
                                    .to_string()
                            } else {
                                e.io_error().map_or_else(|| e.to_string(), io_message)
                            };
                            out.errors.push(InputError::new(where_, msg));
                        }
                    }
                }
            }
            Ok(_) => out.sources.push(Source::file(path)),
        }
    }
    out
}

pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The UTF-8 byte-order mark some tools write at the start of a file.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first bytes of gzip and zstd streams.
const GZIP_MAGIC: &[u8] = &[0x1F, 0x8B];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD];

/// Counts the bytes read through it (for progress on compressed input).
pub struct Counting<R> {
    inner: R,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

fn decompress<'a>(
    raw: Box<dyn BufRead + Send + 'a>,
    compression: Compression,
) -> io::Result<Box<dyn BufRead + Send + 'a>> {
    Ok(match compression {
        Compression::None => raw,
        Compression::Gzip => Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(raw),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            256 * 1024,
            zstd::Decoder::with_buffer(raw)?,
        )),
    })
}

/// Opens `source` as a stream of decompressed bytes. For standard input the
/// compression (by magic bytes) and, unless `stdin_format` says, the format
/// (JSONL when the first non-blank byte is `{`) are settled here, in place.
pub fn open(
    source: &mut Source,
    stdin_format: Option<Format>,
    read_bytes: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> Result<Box<dyn BufRead + Send>, InputError> {
    let name = source.display.clone();
    let err = |what: &str, e: io::Error| {
        InputError::new(name.clone(), format!("{what}: {}", io_message(&e)))
    };
    match &source.origin {
        Origin::File(path) => {
            let file = File::open(path).map_err(|e| err("cannot read", e))?;
            let counted = Counting {
                inner: file,
                count: read_bytes,
            };
            let raw: Box<dyn BufRead + Send> =
                Box::new(BufReader::with_capacity(256 * 1024, counted));
            decompress(raw, source.compression).map_err(|e| err("cannot decompress", e))
        }
        Origin::Stdin => {
            let counted = Counting {
                inner: io::stdin(),
                count: read_bytes,
            };
            let mut raw: Box<dyn BufRead + Send> =
                Box::new(BufReader::with_capacity(256 * 1024, counted));
            let head = raw
                .fill_buf()
                .map_err(|e| err("cannot read standard input", e))?;
            source.compression = if head.starts_with(GZIP_MAGIC) {
                Compression::Gzip
            } else if head.starts_with(ZSTD_MAGIC) {
                Compression::Zstd
            } else {
                Compression::None
            };
            let mut reader =
                decompress(raw, source.compression).map_err(|e| err("cannot decompress", e))?;
            source.format = match stdin_format {
                Some(f) => f,
                None => {
                    let head = reader
                        .fill_buf()
                        .map_err(|e| err("cannot read standard input", e))?;
                    let head = head.strip_prefix(UTF8_BOM).unwrap_or(head);
                    let first = head.iter().find(|b| !b.is_ascii_whitespace());
                    if first == Some(&b'{') {
                        Format::Jsonl
                    } else {
                        Format::Text
                    }
                }
            };
            Ok(reader)
        }
    }
}

/// The largest article read by default (`--max-file-size`): far above any
/// real article, far below what would exhaust memory. JSONL shards are
/// streamed, so the limit applies to each of their records instead.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 << 20;

/// `bytes` for messages: `256 MiB`, `1.5 GiB`, `700 bytes`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() < 0.05 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Parses a size for `--max-file-size`: bytes, or a number with `K`, `M`,
/// `G` or `T` (powers of 1024, `KiB`/`KB`/`k` alike).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a size: use bytes or a number with K, M or G (256M)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        other => {
            return Err(format!(
                "`{other}` is not a size unit: use K, M, G or T (256M)"
            ));
        }
    };
    let bytes = number * (1u64 << shift) as f64;
    if bytes < 1.0 {
        return Err(format!("`{s}` is too small a limit"));
    }
    Ok(bytes as u64)
}

/// The error for an article over the size limit.
pub fn too_large(name: &str, limit: u64) -> InputError {
    InputError::new(
        name,
        format!(
            "larger than {} (--max-file-size); file skipped",
            human_size(limit)
        ),
    )
}

/// Reads a whole article from `reader` into `buf` (cleared first), refusing
/// a binary file as soon as its first bytes show a NUL, so `/dev/zero` or a
/// 2 GB image costs one block, and stopping with an error past `limit`
/// bytes instead of growing without bound.
pub fn read_bounded(
    reader: &mut dyn Read,
    name: &str,
    limit: u64,
    buf: &mut Vec<u8>,
) -> Result<(), InputError> {
    let read_error =
        |e: io::Error| InputError::new(name, format!("cannot read: {}", stream_error(&e)));
    buf.clear();
    // The first block: enough to tell binary data.
    let mut head = [0u8; BINARY_SNIFF];
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_error(e)),
        }
    }
    if let Some(pos) = memchr::memchr(0, &head[..got]) {
        return Err(InputError::new(
            name,
            format!("binary file (NUL byte at offset {pos}); file skipped"),
        ));
    }
    if got as u64 > limit {
        return Err(too_large(name, limit));
    }
    buf.extend_from_slice(&head[..got]);
    if got < head.len() {
        return Ok(());
    }
    let room = limit - got as u64;
    reader.take(room + 1).read_to_end(buf).map_err(read_error)?;
    if buf.len() as u64 > limit {
        buf.clear();
        buf.shrink_to_fit();
        return Err(too_large(name, limit));
    }
    Ok(())
}

/// Reads a whole article (decompressed) as UTF-8 text, at most `limit`
/// bytes of it (see [`read_bounded`]).
pub fn read_text(
    mut reader: Box<dyn BufRead + Send>,
    name: &str,
    limit: u64,
) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    read_bounded(&mut reader, name, limit, &mut bytes)?;
    decode(name, bytes)
}

/// Reads the article file `path` (not compressed) as UTF-8 text: a file
/// whose size is over `limit` is refused before any of it is read.
pub fn read_article(path: &Path, name: &str, limit: u64) -> Result<String, InputError> {
    let file = File::open(path)
        .map_err(|e| InputError::new(name, format!("cannot read: {}", io_message(&e))))?;
    let size = file.metadata().map(|m| (m.is_file(), m.len()));
    if let Ok((true, len)) = size
        && len > limit
    {
        return Err(too_large(name, limit));
    }
    let mut bytes = Vec::with_capacity(match size {
        Ok((true, len)) => len as usize + 1,
        _ => 0,
    });
    read_bounded(&mut &file, name, limit, &mut bytes)?;
    decode(name, bytes)
}

/// What a read error means for a user: corrupt compressed data reads as an
/// "invalid" or "unexpected end" error from the decoder.
pub fn stream_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "the file ends too early (truncated or corrupt compressed data)".into()
        }
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::Other => {
            format!("corrupt data ({e})")
        }
        _ => io_message(e),
    }
}

/// The gzip level of written shards (libdeflate's levels). libdeflate at
/// level 1 compresses scraped pages as JSONL 2.1 times as fast as zlib-rs
/// at level 3 (184 against 88 MB/s on 25 MB) for 2 % more bytes (ratio
/// 0.341 against 0.334); level 2 is 1.4 times as fast for 0.3 % more.
/// Rewriting a shard should not cost more than linting it.
pub const GZIP_LEVEL: i32 = 1;

/// The zstd level of written shards: zstd's own default.
pub const ZSTD_LEVEL: i32 = 3;

/// How much of a file [`BlockWriter`] compresses at a time. Blocks of 1 MiB
/// cost 0.2 % in size against one stream (libdeflate level 1, 25 MB of
/// JSONL: 0.3414 against 0.3407).
pub const BLOCK_BYTES: usize = 1 << 20;

thread_local! {
    static DEFLATE: std::cell::RefCell<Option<libdeflater::Compressor>> =
        const { std::cell::RefCell::new(None) };
}

/// Bytes of a file being written, compressed on their own as one gzip
/// member or one zstd frame (or not compressed). A compressed file is a
/// series of such blocks: concatenated members (RFC 1952, 2.2) and frames
/// (RFC 8878, 3.1) make one valid file that gzip, zcat, zstd, Python's
/// `gzip` and corpuslint read whole. So the workers that produce a shard's
/// lines can compress them too, in parallel, instead of one writer thread.
/// (Rust's `flate2::read::GzDecoder` reads the first member only: read
/// such files with `MultiGzDecoder`, as for any concatenated gzip file.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub data: Vec<u8>,
    /// How `data` is encoded.
    pub compression: Compression,
}

impl Block {
    /// `data` compressed as `compression`; empty data stays empty, and
    /// data that cannot be compressed here stays plain (the writer
    /// compresses it then, and reports what fails).
    pub fn encode(data: Vec<u8>, compression: Compression) -> Block {
        if data.is_empty() || compression == Compression::None {
            return Block {
                data,
                compression: Compression::None,
            };
        }
        match compress_block(&data, compression) {
            Ok(compressed) => Block {
                data: compressed,
                compression,
            },
            Err(_) => Block {
                data,
                compression: Compression::None,
            },
        }
    }
}

/// `data` as one gzip member or zstd frame (a valid file on its own, even
/// when `data` is empty); `data` itself for [`Compression::None`].
pub fn compress_block(data: &[u8], compression: Compression) -> io::Result<Vec<u8>> {
    match compression {
        Compression::None => Ok(data.to_vec()),
        Compression::Gzip => DEFLATE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let compressor = cell.get_or_insert_with(|| {
                libdeflater::Compressor::new(
                    libdeflater::CompressionLvl::new(GZIP_LEVEL)
                        .unwrap_or(libdeflater::CompressionLvl::fastest()),
                )
            });
            let mut out = vec![0; compressor.gzip_compress_bound(data.len())];
            let n = compressor
                .gzip_compress(data, &mut out)
                .map_err(|e| io::Error::other(format!("gzip: {e:?}")))?;
            out.truncate(n);
            Ok(out)
        }),
        Compression::Zstd => zstd::bulk::compress(data, ZSTD_LEVEL),
    }
}

/// A writer that compresses like the file it will replace (see
/// [`BlockWriter`]).
pub fn compressor<W: Write>(out: W, compression: Compression) -> io::Result<BlockWriter<W>> {
    Ok(BlockWriter {
        out,
        compression,
        pending: Vec::new(),
        blocks: 0,
    })
}

/// Writes a file as a series of [`Block`]s: bytes written to it are
/// compressed [`BLOCK_BYTES`] at a time, and blocks compressed elsewhere
/// ([`BlockWriter::write_block`]) go out as they are. Must be finished
/// ([`BlockWriter::finish_write`]) before the file is used.
pub struct BlockWriter<W: Write> {
    out: W,
    compression: Compression,
    /// Plain bytes not compressed yet.
    pending: Vec<u8>,
    /// Compressed blocks written.
    blocks: usize,
}

impl<W: Write> BlockWriter<W> {
    /// Writes `block`: as it is when compressed as this file is, else
    /// through [`Write`] (compressed here).
    pub fn write_block(&mut self, block: &Block) -> io::Result<()> {
        if block.compression == Compression::None {
            return self.write_all(&block.data);
        }
        if block.compression != self.compression {
            return Err(io::Error::other(format!(
                "a block compressed as {:?} for a file compressed as {:?}",
                block.compression, self.compression
            )));
        }
        self.compress_pending()?;
        self.out.write_all(&block.data)?;
        self.blocks += 1;
        Ok(())
    }

    fn compress_pending(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let block = compress_block(&self.pending, self.compression)?;
            self.out.write_all(&block)?;
            self.pending.clear();
            self.blocks += 1;
        }
        Ok(())
    }

    /// Writes what is pending and flushes. A compressed file gets at least
    /// one block, so that even an empty one is valid.
    pub fn finish_write(mut self) -> io::Result<()> {
        self.compress_pending()?;
        if self.compression != Compression::None && self.blocks == 0 {
            let empty = compress_block(&[], self.compression)?;
            self.out.write_all(&empty)?;
        }
        self.out.flush()
    }
}

impl<W: Write> Write for BlockWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.compression == Compression::None {
            return self.out.write(buf);
        }
        // Blocks of at most BLOCK_BYTES: a large write is taken in parts.
        let take = buf.len().min(BLOCK_BYTES - self.pending.len());
        self.pending.extend_from_slice(&buf[..take]);
        if self.pending.len() >= BLOCK_BYTES {
            self.compress_pending()?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.compress_pending()?;
        self.out.flush()
    }
}

/// A replacement for a file, written beside it and renamed over it on
/// [`Replacement::commit`]; dropped without commit, it leaves the original.
/// A symbolic link is followed: the file it points to is replaced, the link
/// stays. The replacement gets the original's permissions and, where the
/// process may give them (as root), its owner and group.
pub struct Replacement {
    path: PathBuf,
    /// `None` once committed.
    tmp: Option<tempfile::NamedTempFile>,
    /// The file replaced; `None` for a new file ([`Replacement::create`]).
    meta: Option<std::fs::Metadata>,
}

/// The prefix of corpuslint's temporary files: `.corpuslint-<pid>-XXXXXX`,
/// beside the file they will replace. The process id tells a later run
/// whether the file's writer is gone (see [`stale_temp_files`]).
pub const TEMP_PREFIX: &str = ".corpuslint-";

impl Replacement {
    pub fn new(path: &Path) -> io::Result<Self> {
        // Fix the target, never the link.
        let path = std::fs::canonicalize(path)?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let meta = std::fs::metadata(&path)?;
        Self::beside(path.clone(), dir, Some(meta))
    }

    /// A file that `commit` creates at `path` (or replaces, if there is
    /// one), its folders made first: an output of `filter`, which appears
    /// whole or not at all.
    pub fn create(path: &Path) -> io::Result<Self> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        Self::beside(path.to_path_buf(), dir, None)
    }

    fn beside(path: PathBuf, dir: &Path, meta: Option<std::fs::Metadata>) -> io::Result<Self> {
        let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
        let tmp = crate::cleanup::create(
            || tempfile::Builder::new().prefix(&prefix).tempfile_in(dir),
            |t| t.path(),
        )?;
        Ok(Replacement {
            path,
            tmp: Some(tmp),
            meta,
        })
    }

    pub fn file(&mut self) -> &mut File {
        self.tmp
            .as_mut()
            .expect("a replacement is used only before its commit")
            .as_file_mut()
    }

    pub fn commit(mut self) -> io::Result<()> {
        let tmp = self.tmp.take().expect("a replacement is committed once");
        let file = tmp.as_file();
        file.sync_all()?;
        if let Some(meta) = &self.meta {
            file.set_permissions(meta.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // Only root may give a file away; for anyone else this
                // keeps what it can (the group, when the user is in it) and
                // the rename makes the user the owner, as any editor does.
                let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
                let _ = std::os::unix::fs::fchown(file, None, Some(meta.gid()));
            }
        } else {
            // A new file: the permissions a new file gets (tempfile makes
            // its files private to the user).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = 0o666 & !umask();
                file.set_permissions(std::fs::Permissions::from_mode(mode))?;
            }
        }
        let tmp_path = tmp.path().to_path_buf();
        let result = tmp.persist(&self.path).map(|_| ()).map_err(|e| e.error);
        crate::cleanup::unregister(&tmp_path);
        result
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        // Not committed: NamedTempFile removes the file itself, and the
        // signal handler need not know of it any more.
        if let Some(tmp) = &self.tmp {
            crate::cleanup::unregister(tmp.path());
        }
    }
}

/// The process's file mode creation mask, read once (from /proc on Linux,
/// where reading it does not change it; 022 elsewhere).
#[cfg(unix)]
fn umask() -> u32 {
    static MASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MASK.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
            })
            .unwrap_or(0o022)
    })
}

/// Lines of a JSONL shard, read as one block of bytes.
pub struct LineChunk {
    /// 1-based line number of the first line.
    pub first: usize,
    pub data: Vec<u8>,
    /// End offset (after the line break) of every line in `data`.
    pub ends: Vec<usize>,
    /// Line numbers of the records longer than the limit: each stands in
    /// `data` as an empty line, its bytes were read past, not kept.
    pub oversized: Vec<usize>,
}

/// Why [`read_chunks`] stopped before the end of a shard.
pub enum ShardStop {
    /// A NUL byte at this offset of the first chunk: a binary file, of
    /// which no chunk was handed on.
    Binary(usize),
    /// A read error before line `line` (1-based); the lines before it were
    /// handed on, a partial line is dropped.
    Read { line: usize, error: io::Error },
}

/// How reading one line of a shard ended.
enum LineEnd {
    /// The line (with its line break, unless it is the last) was appended.
    Line,
    /// Nothing was left to read.
    Eof,
    /// The line was longer than the limit: read past, not kept.
    TooLong,
}

/// `read_until(b'\n')` that keeps at most `max` bytes of a line: a longer
/// one is read to its end but dropped, so that one endless line (a shard
/// of 2 GB without a line break) costs no more memory than the limit.
fn read_line_bounded(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: u64) -> io::Result<LineEnd> {
    let start = buf.len();
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        };
        if available.is_empty() {
            return Ok(if too_long {
                LineEnd::TooLong
            } else if buf.len() > start {
                LineEnd::Line
            } else {
                LineEnd::Eof
            });
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            if (buf.len() - start + take) as u64 > max {
                too_long = true;
                buf.truncate(start);
            } else {
                buf.extend_from_slice(&available[..take]);
            }
        }
        reader.consume(take);
        if done {
            return Ok(if too_long {
                LineEnd::TooLong
            } else {
                LineEnd::Line
            });
        }
    }
}

/// Reads a shard in chunks of whole lines, each at least `chunk_bytes`
/// long (but the last), and hands each to `chunk`; an error of `chunk`
/// stops the reading and is returned. A line longer than `max_line` bytes
/// is skipped (see [`LineChunk::oversized`]). The engine's check and the
/// corpus pass read shards alike through this.
pub fn read_chunks<E>(
    reader: &mut dyn BufRead,
    chunk_bytes: usize,
    max_line: u64,
    mut chunk: impl FnMut(LineChunk) -> Result<(), E>,
) -> Result<Option<ShardStop>, E> {
    // A binary file shows in its first block, before any line is read: a
    // file of NUL bytes has no line break to stop at.
    match reader.fill_buf() {
        Ok(head) => {
            if let Some(pos) = memchr::memchr(0, &head[..head.len().min(BINARY_SNIFF)]) {
                return Ok(Some(ShardStop::Binary(pos)));
            }
        }
        Err(error) => return Ok(Some(ShardStop::Read { line: 1, error })),
    }
    let mut number = 1;
    let mut first_chunk = true;
    loop {
        let mut lines = LineChunk {
            first: number,
            data: Vec::with_capacity(chunk_bytes + 4096),
            ends: Vec::new(),
            oversized: Vec::new(),
        };
        let mut stop = None;
        let mut eof = false;
        while lines.data.len() < chunk_bytes {
            match read_line_bounded(reader, &mut lines.data, max_line) {
                Ok(LineEnd::Eof) => {
                    eof = true;
                    break;
                }
                Ok(end) => {
                    if matches!(end, LineEnd::TooLong) {
                        lines.oversized.push(number);
                    }
                    lines.ends.push(lines.data.len());
                    number += 1;
                }
                Err(error) => {
                    stop = Some(ShardStop::Read {
                        line: number,
                        error,
                    });
                    break;
                }
            }
        }
        if std::mem::take(&mut first_chunk) {
            let head = &lines.data[..lines.data.len().min(BINARY_SNIFF)];
            if let Some(pos) = memchr::memchr(0, head) {
                return Ok(Some(ShardStop::Binary(pos)));
            }
        }
        if !lines.ends.is_empty() {
            chunk(lines)?;
        }
        if eof || stop.is_some() {
            return Ok(stop);
        }
    }
}

/// How far into a file or shard a NUL byte marks it as binary.
pub(crate) const BINARY_SNIFF: usize = 8 * 1024;

/// Turns bytes into text, or says why they are not UTF-8 text.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    decode_slice(name, &bytes)?;
    // SAFETY: `decode_slice` has just validated `bytes` as UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// [`decode`] for bytes that stay where they are.
pub fn decode_slice<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::new(
            name,
            "UTF-16 text (byte-order mark) is not supported: convert it to UTF-8; file skipped",
        ));
    }
    if let Some(pos) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]) {
        return Err(InputError::new(
            name,
            format!("binary file (NUL byte at offset {pos}); file skipped"),
        ));
    }
    // simdutf8 validates several times faster than the standard library
    // (measured: std's validation was 3% of a run); the standard library
    // then only runs on invalid input, to say where.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line = prefix.matches('\n').count() + 1;
        let column = prefix.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        InputError::new(
            name,
            format!(
                "invalid UTF-8 at line {line}, column {column} (byte 0x{:02X} at offset {at}); file skipped",
                bytes[at]
            ),
        )
    })
}

/// Replaces `path` with `contents`, compressed as `compression`,
/// atomically: a temporary file beside it, the original permissions, then a
/// rename.
pub fn write_atomic(path: &Path, contents: &[u8], compression: Compression) -> io::Result<()> {
    write_through(Replacement::new(path)?, contents, compression)
}

/// Writes `contents` as a new file at `path` (its folders made first),
/// compressed as its name says, atomically: whole or not at all.
pub fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_through(Replacement::create(path)?, contents, classify(path).1)
}

fn write_through(
    mut replacement: Replacement,
    contents: &[u8],
    compression: Compression,
) -> io::Result<()> {
    let mut writer = compressor(replacement.file(), compression)?;
    writer.write_all(contents)?;
    writer.finish_write()?;
    replacement.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_positioned() {
        let err = decode("a.txt", b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.txt: invalid UTF-8 at line 2, column 3 (byte 0xFF at offset 5); file skipped"
        );
    }

    #[test]
    fn binary_is_refused() {
        let err = decode("a.bin", b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert!(err.message.starts_with("binary file"));
    }

    #[test]
    fn a_line_over_the_limit_is_read_past_not_kept() {
        let data = format!("short\n{}\nlast", "x".repeat(100));
        let mut reader = BufReader::with_capacity(16, data.as_bytes());
        let mut chunks = Vec::new();
        let stop = read_chunks(&mut reader, 1 << 20, 50, |c| -> Result<(), ()> {
            chunks.push(c);
            Ok(())
        })
        .unwrap();
        assert!(stop.is_none());
        let c = &chunks[0];
        assert_eq!(c.data, b"short\nlast");
        assert_eq!(c.ends, [6, 6, 10]);
        assert_eq!(c.oversized, [2]);
    }

    #[test]
    fn an_endless_binary_stream_is_refused_at_once() {
        let mut zeros = io::repeat(0).take(1 << 40);
        let err = read_bounded(&mut zeros, "/dev/zero", 1 << 20, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.message,
            "binary file (NUL byte at offset 0); file skipped"
        );
        let mut reader = BufReader::new(io::repeat(0).take(1 << 40));
        let stop = read_chunks(&mut reader, 1 << 20, 1 << 20, |_| -> Result<(), ()> {
            Ok(())
        });
        assert!(matches!(stop, Ok(Some(ShardStop::Binary(0)))));
    }

    #[test]
    fn an_article_over_the_limit_is_refused() {
        let mut text = io::repeat(b'a').take(10_000);
        let err = read_bounded(&mut text, "a.txt", 9_000, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.message,
            "larger than 8.8 KiB (--max-file-size); file skipped"
        );
        let mut buf = Vec::new();
        read_bounded(&mut io::repeat(b'a').take(9_000), "a.txt", 9_000, &mut buf).unwrap();
        assert_eq!(buf.len(), 9_000);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("700"), Ok(700));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
        assert_eq!(human_size(256 << 20), "256 MiB");
        assert_eq!(human_size(700), "700 bytes");
    }

    #[test]
    fn empty_is_text() {
        assert_eq!(decode("e.txt", Vec::new()).unwrap(), "");
    }

    #[test]
    fn inputs_by_name() {
        assert!(is_input(Path::new("a/b.txt")));
        assert!(is_input(Path::new("a/README")));
        assert!(is_input(Path::new("a/b.jsonl.zst")));
        assert!(is_input(Path::new("a/b.txt.gz")));
        assert!(!is_input(Path::new("a/b.png")));
        assert!(!is_input(Path::new("a/b.tar.gz")));
        assert_eq!(
            classify(Path::new("x.NDJSON.gz")),
            (Format::Jsonl, Compression::Gzip)
        );
        assert_eq!(
            classify(Path::new("x.md")),
            (Format::Text, Compression::None)
        );
    }

    fn gunzip_all(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(data), &mut out).unwrap();
        out
    }

    #[test]
    fn blocks_and_written_bytes_keep_their_order() {
        for compression in [Compression::Gzip, Compression::Zstd, Compression::None] {
            let mut file = Vec::new();
            let mut w = compressor(&mut file, compression).unwrap();
            w.write_all(b"one\n").unwrap();
            w.write_block(&Block::encode(b"two\n".to_vec(), compression))
                .unwrap();
            w.write_all(b"three\n").unwrap();
            w.write_block(&Block::encode(Vec::new(), compression))
                .unwrap();
            w.finish_write().unwrap();
            let plain = match compression {
                Compression::Gzip => gunzip_all(&file),
                Compression::Zstd => zstd::decode_all(&file[..]).unwrap(),
                Compression::None => file.clone(),
            };
            assert_eq!(plain, b"one\ntwo\nthree\n", "{compression:?}");
        }
    }

    #[test]
    fn a_compressed_file_with_nothing_written_is_still_valid() {
        let mut file = Vec::new();
        compressor(&mut file, Compression::Gzip)
            .unwrap()
            .finish_write()
            .unwrap();
        assert!(file.starts_with(GZIP_MAGIC));
        assert!(gunzip_all(&file).is_empty());
        let mut file = Vec::new();
        compressor(&mut file, Compression::Zstd)
            .unwrap()
            .finish_write()
            .unwrap();
        assert!(file.starts_with(ZSTD_MAGIC));
        assert!(zstd::decode_all(&file[..]).unwrap().is_empty());
    }

    #[test]
    fn a_block_compressed_for_another_file_is_refused() {
        let mut w = compressor(Vec::new(), Compression::Zstd).unwrap();
        let block = Block::encode(b"text".to_vec(), Compression::Gzip);
        let e = w.write_block(&block).unwrap_err();
        assert!(e.to_string().contains("Gzip"), "{e}");
    }

    #[test]
    fn large_writes_become_several_members() {
        let data: Vec<u8> = (0..3 * BLOCK_BYTES).map(|i| b"abcdefgh\n"[i % 9]).collect();
        let mut file = Vec::new();
        let mut w = compressor(&mut file, Compression::Gzip).unwrap();
        w.write_all(&data).unwrap();
        w.finish_write().unwrap();
        // A single-member reader stops after the first block.
        let mut first = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&file[..]), &mut first)
            .unwrap();
        assert_eq!(first.len(), BLOCK_BYTES);
        assert_eq!(gunzip_all(&file), data);
    }
}
