//! Turning the bytes of an input file into text: the size limit, byte order
//! marks, UTF-16 and invalid UTF-8.

use crate::error::ParseError;

/// The default limit on one input file, in bytes. A plan needs about 15
/// times its size in memory while it is scanned (266 MB for an 18.7 MB
/// plan of 10,000 resources), so a file at this limit needs about 4 GB;
/// `--max-file-size` raises or lowers it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// Decodes owned input bytes like [`decode`], reusing the buffer for UTF-8
/// without a byte order mark, the common case, instead of copying it.
pub fn decode_owned(bytes: Vec<u8>) -> Result<String, ParseError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) || bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return decode(&bytes);
    }
    String::from_utf8(bytes).or_else(|error| utf8(error.as_bytes(), 0))
}

/// Decodes input bytes as UTF-8 (with or without a byte order mark) or as
/// UTF-16 with a byte order mark, which Windows PowerShell writes when a plan
/// is redirected to a file.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, 3);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes, 0)
}

fn utf8(bytes: &[u8], offset: usize) -> Result<String, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => {
            let position = error.valid_up_to();
            let line = 1 + bytes[..position].iter().filter(|&&byte| byte == b'\n').count();
            Err(ParseError::encoding(format!(
                "invalid UTF-8 at byte {} (line {line}); save the file as UTF-8 or UTF-16 with a byte order mark",
                position + offset
            )))
        }
    }
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, ParseError> {
    if bytes.len() % 2 != 0 {
        return Err(ParseError::encoding("UTF-16 input has an odd number of bytes; the file is truncated".to_owned()));
    }
    let units = bytes.chunks_exact(2).map(|pair| read([pair[0], pair[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(index, unit)| {
            unit.map_err(|_| {
                ParseError::encoding(format!("invalid UTF-16 at byte {}: an unpaired surrogate", 2 + index * 2))
            })
        })
        .collect()
}
