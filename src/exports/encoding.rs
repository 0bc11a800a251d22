//! Text encodings an export may come in. Exports are read as UTF-8 (with or without a
//! byte-order mark); UTF-16 with a byte-order mark, which spreadsheet programs write as
//! "Unicode text", is decoded; anything else is named so that the user can save it again.

use crate::error::Error;

/// UTF-16 text with a byte-order mark, decoded; `None` when `bytes` has no UTF-16 mark.
pub(super) fn utf16(bytes: &[u8], origin: &str) -> Option<Result<String, Error>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Some(Err(Error::input(format!(
            "{origin}: UTF-16 text (it starts with a UTF-16 byte-order mark) with an odd number of bytes: the file is cut short; save it again as UTF-8"
        ))));
    }
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| {
                Error::input(format!(
                    "{origin}: UTF-16 text with a broken character ({e}); save it as UTF-8"
                ))
            }),
    )
}

/// What the first bytes of a file that is not UTF-8 look like, in words.
fn guess(head: &[u8]) -> &'static str {
    let zeros = head.iter().filter(|&&b| b == 0).count();
    if zeros * 4 >= head.len().min(4096) && zeros > 0 {
        "it looks like UTF-16 without a byte-order mark"
    } else {
        "it looks like Latin-1 or Windows-1252, as older spreadsheet programs save CSV"
    }
}

/// The error for text that is not UTF-8: where (record `i`, if known) and what it looks like.
pub(super) fn not_utf8(origin: &str, record: Option<usize>) -> Error {
    let at = record.map_or(String::new(), |i| format!(" (record {i})"));
    Error::input(format!(
        "{origin}: not UTF-8 text{at}; exports are read as UTF-8 (or UTF-16 with a byte-order mark): save the file as \"CSV UTF-8\""
    ))
}

/// The error for a file whose first bytes are not UTF-8, saying what they look like.
pub(super) fn check_head(head: &[u8], whole: bool, origin: &str) -> Result<(), Error> {
    match std::str::from_utf8(head) {
        Ok(_) => Ok(()),
        // A character cut at the end of a head that is not the whole file is not an error.
        Err(e) if e.error_len().is_none() && !whole => Ok(()),
        Err(e) => {
            let line = 1 + head[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(Error::input(format!(
                "{origin}: not UTF-8 text (byte 0x{:02X} on line {line}; {}): save the file as UTF-8 (\"CSV UTF-8\" in a spreadsheet program)",
                head[e.valid_up_to()],
                guess(head)
            )))
        }
    }
}
