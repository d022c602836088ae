//! Deflating streams at zlib's default level, with one compressor per thread made once and
//! reset between streams: making a compressor (its window and hash tables) cost more than
//! deflating a page of text, and a workbook has a dozen streams.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

thread_local! {
    static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), true));
}

/// `bytes` as a zlib stream (what `/FlateDecode` reads).
pub(crate) fn deflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    COMPRESSOR.with(|compressor| {
        let mut compressor = compressor.borrow_mut();
        compressor.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let read = compressor.total_in() as usize;
            let status = compressor
                .compress_vec(&bytes[read..], &mut out, FlushCompress::Finish)
                .map_err(std::io::Error::other)?;
            match status {
                Status::StreamEnd => return Ok(out),
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(64)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn streams_inflate_to_what_was_deflated_one_after_another() {
        let large: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for bytes in [&b"BT /F0 11 Tf ET"[..], &large, b"", &large[..10]] {
            assert_eq!(inflate(&deflate(bytes).unwrap()), bytes);
        }
    }
}
