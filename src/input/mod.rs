//! Documents from paths: walking folders, reading files and standard input,
//! refusing what is not UTF-8 text with an error that says where, and
//! writing fixed files back atomically.
//!
//! One unreadable file never stops a run: every problem is an [`InputError`]
//! for that file, and the caller goes on with the rest.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File { path: PathBuf, display: String },
    Stdin,
}

impl Source {
    pub fn file(path: PathBuf) -> Self {
        let display = path.display().to_string();
        Source::File { path, display }
    }

    /// The name findings carry: the path as given or walked, `-` for stdin.
    pub fn display(&self) -> &str {
        match self {
            Source::File { display, .. } => display,
            Source::Stdin => "-",
        }
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

fn is_article(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
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

/// Expands the command-line paths into documents, in a stable order: each
/// argument in turn, folders walked in file-name order. `-` is stdin.
pub fn collect(paths: &[String]) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for arg in paths {
        if arg == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Err(e) => errors.push(InputError::new(arg.clone(), io_message(&e))),
            Ok(meta) if meta.is_dir() => {
                let walker = walkdir::WalkDir::new(&path)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| !is_hidden(e));
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() && is_article(e.path()) => {
                            sources.push(Source::file(e.into_path()))
                        }
                        Ok(_) => {}
                        Err(e) => {
                            let where_ = e.path().map_or(arg.clone(), |p| p.display().to_string());
                            let msg = e.io_error().map_or_else(|| e.to_string(), io_message);
                            errors.push(InputError::new(where_, msg));
                        }
                    }
                }
            }
            Ok(_) => sources.push(Source::file(path)),
        }
    }
    (sources, errors)
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads a document as UTF-8 text.
pub fn read(source: &Source) -> Result<String, InputError> {
    let name = source.display();
    let bytes = match source {
        Source::File { path, .. } => std::fs::read(path)
            .map_err(|e| InputError::new(name, format!("cannot read: {}", io_message(&e))))?,
        Source::Stdin => {
            let mut buf = Vec::new();
            io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| InputError::new(name, format!("cannot read standard input: {e}")))?;
            buf
        }
    };
    decode(name, bytes)
}

/// How far into a file a NUL byte marks it as binary.
const BINARY_SNIFF: usize = 8 * 1024;

/// Turns bytes into text, or says why they are not UTF-8 text.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
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
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
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

/// Replaces `path` with `contents` atomically: a temporary file beside it,
/// the original permissions, then a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let perms = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".corpuslint-")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(perms)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
    fn empty_is_text() {
        assert_eq!(decode("e.txt", Vec::new()).unwrap(), "");
    }

    #[test]
    fn articles() {
        assert!(is_article(Path::new("a/b.txt")));
        assert!(is_article(Path::new("a/README")));
        assert!(!is_article(Path::new("a/b.png")));
    }
}
