//! Input sources: a `Read` plus a label that names where the bytes came from.
//! Files are decompressed by content (gzip and zstd magic bytes), directories
//! are walked in sorted order, and `-` is stdin. Live sources such as S3
//! objects build a [`Source`] from their own reader and label.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A readable stream and the label reported in its findings.
pub struct Source {
    pub label: String,
    pub reader: Box<dyn Read + Send>,
}

impl Source {
    /// Wraps any reader, for example an S3 object body, with its label.
    pub fn new(label: impl Into<String>, reader: impl Read + Send + 'static) -> Source {
        Source { label: label.into(), reader: Box::new(reader) }
    }

    /// Standard input, labelled `-`.
    pub fn stdin() -> Source {
        Source::new("-", io::stdin())
    }

    /// Opens a file, decompressing it when it starts with the gzip or zstd
    /// magic bytes.
    pub fn open(path: &Path) -> io::Result<Source> {
        let file = File::open(path)?;
        let reader = decompress(BufReader::with_capacity(256 * 1024, file))?;
        Ok(Source { label: path.display().to_string(), reader })
    }
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Returns a reader that yields the decompressed bytes of `input` when it is
/// gzip (including multi-member files) or zstd, and `input` itself otherwise.
pub fn decompress<R: BufRead + Send + 'static>(mut input: R) -> io::Result<Box<dyn Read + Send>> {
    let head = input.fill_buf()?;
    if head.starts_with(GZIP_MAGIC) {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(input)))
    } else if head.starts_with(ZSTD_MAGIC) {
        Ok(Box::new(zstd::stream::read::Decoder::with_buffer(input)?))
    } else {
        Ok(Box::new(input))
    }
}

/// An input path that could not be listed or opened.
#[derive(Debug)]
pub struct SourceError {
    pub path: PathBuf,
    pub error: io::Error,
}

/// Expands files and directories into the sorted list of files to scan.
/// Directories are walked recursively; symbolic links to directories and
/// `.git` directories are skipped so a walk always ends. Errors are returned
/// beside the files, so one unreadable directory never hides the rest.
pub fn expand_paths(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<SourceError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk(input, &mut files, &mut errors),
            Ok(_) => files.push(input.clone()),
            Err(error) => errors.push(SourceError { path: input.clone(), error }),
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<SourceError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(SourceError { path: dir.to_path_buf(), error });
            return;
        }
    };
    let mut children: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => children.push(entry.path()),
            Err(error) => errors.push(SourceError { path: dir.to_path_buf(), error }),
        }
    }
    children.sort();
    for child in children {
        let Ok(link_meta) = std::fs::symlink_metadata(&child) else {
            continue;
        };
        if link_meta.is_dir() {
            if child.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            walk(&child, files, errors);
        } else if link_meta.file_type().is_symlink() {
            // Follow links to files, never links to directories.
            if std::fs::metadata(&child).is_ok_and(|meta| meta.is_file()) {
                files.push(child);
            }
        } else if link_meta.is_file() {
            files.push(child);
        }
    }
}
