//! A zip's table of contents, read from its central directory: what the
//! archive says it holds, wherever the entries sit in the file.
//!
//! Writers order their entries as they like (openpyxl puts
//! `[Content_Types].xml` and `xl/workbook.xml` after the sheets), so the
//! local headers near the start of a file say little; the central directory
//! at its end lists every entry. This reads only that: the end record (in
//! the last 64 KiB), then the directory, entry by entry, every offset and
//! length checked against the slice. Nothing is decompressed, nothing is
//! allocated, and hostile bytes give `None` or fewer entries, never a panic.
//! (The `zip` crate reads the same, but builds an index of every entry and
//! follows the sizes the file declares; this needs neither.)

/// One entry as the central directory lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The name as stored (UTF-8 or CP437; compared as bytes).
    pub name: &'a [u8],
    /// 0 when stored uncompressed.
    pub method: u16,
    pub compressed_size: u64,
    /// Where the entry's local header starts.
    pub local_offset: u64,
}

const END: &[u8; 4] = b"PK\x05\x06";
const END64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const END64: &[u8; 4] = b"PK\x06\x06";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";
const LOCAL: &[u8; 4] = b"PK\x03\x04";
/// The end record is 22 bytes and a comment of at most 65,535.
const END_SEARCH: usize = 22 + 0xFFFF;
/// More entries than any workbook has; a directory claiming more is read
/// only this far.
pub(crate) const MAX_ENTRIES: usize = 100_000;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

/// The central directory: where it starts in `bytes`, its length, and how
/// many entries it says it has.
fn directory(bytes: &[u8]) -> Option<(usize, usize, u64)> {
    // The last end record whose comment runs to the end of the file (or
    // short of it: some writers pad), searching backwards.
    let from = bytes.len().saturating_sub(END_SEARCH);
    let end = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes.get(i..i + 4) == Some(END))?;
    let mut count = u64::from(u16_at(bytes, end + 10)?);
    let mut size = u64::from(u32_at(bytes, end + 12)?);
    let mut offset = u64::from(u32_at(bytes, end + 16)?);
    let mut record = end;
    if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        // Zip64: a locator just before the end record points at a larger one.
        let locator = end.checked_sub(20)?;
        if bytes.get(locator..locator + 4) == Some(END64_LOCATOR) {
            let at = usize::try_from(u64_at(bytes, locator + 8)?).ok()?;
            if bytes.get(at..at.checked_add(4)?) == Some(END64) {
                count = u64_at(bytes, at + 32)?;
                size = u64_at(bytes, at + 40)?;
                offset = u64_at(bytes, at + 48)?;
                record = at;
            }
        }
    }
    let size = usize::try_from(size).ok()?;
    // The directory ends where the end record starts; when bytes were put
    // before the archive (a self-extractor), its stated offset is short by
    // that much, so it is found from its end instead.
    let start = record.checked_sub(size)?;
    let stated = usize::try_from(offset).ok();
    let start = [Some(start), stated]
        .into_iter()
        .flatten()
        .find(|&s| size == 0 || s.checked_add(4).and_then(|e| bytes.get(s..e)) == Some(CENTRAL))?;
    Some((start, size, count))
}

/// The entries of a zip, in the order of its central directory; `None`
/// when there is no central directory (not a zip, or cut short).
pub(crate) fn entries(bytes: &[u8]) -> Option<Entries<'_>> {
    let (start, size, count) = directory(bytes)?;
    let end = start.checked_add(size)?.min(bytes.len());
    Some(Entries {
        bytes,
        at: start,
        end,
        left: usize::try_from(count)
            .unwrap_or(usize::MAX)
            .min(MAX_ENTRIES),
    })
}

/// See [`entries`].
pub(crate) struct Entries<'a> {
    bytes: &'a [u8],
    at: usize,
    end: usize,
    left: usize,
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        if self.left == 0 {
            return None;
        }
        let (b, at) = (self.bytes, self.at);
        let entry = (|| {
            if at.checked_add(46)? > self.end || b.get(at..at + 4)? != CENTRAL {
                return None;
            }
            let method = u16_at(b, at + 10)?;
            let compressed = u32_at(b, at + 20)?;
            let name_len = usize::from(u16_at(b, at + 28)?);
            let extra_len = usize::from(u16_at(b, at + 30)?);
            let comment_len = usize::from(u16_at(b, at + 32)?);
            let local = u32_at(b, at + 42)?;
            let name = b.get(at + 46..at + 46 + name_len)?;
            let next = at + 46 + name_len + extra_len + comment_len;
            if next > self.end {
                return None;
            }
            let mut entry = Entry {
                name,
                method,
                compressed_size: u64::from(compressed),
                local_offset: u64::from(local),
            };
            if compressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                zip64_sizes(
                    b.get(at + 46 + name_len..at + 46 + name_len + extra_len)?,
                    &mut entry,
                    u32_at(b, at + 24)? == 0xFFFF_FFFF,
                );
            }
            Some((entry, next))
        })();
        match entry {
            Some((entry, next)) => {
                self.at = next;
                self.left -= 1;
                Some(entry)
            }
            None => {
                self.left = 0;
                None
            }
        }
    }
}

/// Reads the zip64 extra field (id 1): the 64-bit sizes and offset, each
/// present only when its 32-bit field is 0xFFFFFFFF, in this order:
/// uncompressed size, compressed size, local header offset.
fn zip64_sizes(extra: &[u8], entry: &mut Entry<'_>, uncompressed_too: bool) {
    let mut at = 0;
    while let (Some(id), Some(len)) = (u16_at(extra, at), u16_at(extra, at + 2)) {
        let data = at + 4;
        if id == 1 {
            let mut field = data;
            if uncompressed_too {
                field += 8;
            }
            if entry.compressed_size == 0xFFFF_FFFF {
                if let Some(v) = u64_at(extra, field) {
                    entry.compressed_size = v;
                }
                field += 8;
            }
            if entry.local_offset == 0xFFFF_FFFF {
                if let Some(v) = u64_at(extra, field) {
                    entry.local_offset = v;
                }
            }
            return;
        }
        at = data + usize::from(len);
    }
}

/// The first `max` bytes of an entry stored uncompressed (method 0), or
/// `None` when it is compressed or its bytes are not in the slice.
pub(crate) fn stored_prefix<'a>(bytes: &'a [u8], e: &Entry<'_>, max: usize) -> Option<&'a [u8]> {
    if e.method != 0 {
        return None;
    }
    let at = usize::try_from(e.local_offset).ok()?;
    if bytes.get(at..at.checked_add(4)?)? != LOCAL {
        return None;
    }
    let name_len = usize::from(u16_at(bytes, at + 26)?);
    let extra_len = usize::from(u16_at(bytes, at + 28)?);
    let data = at + 30 + name_len + extra_len;
    let len = usize::try_from(e.compressed_size).ok()?.min(max);
    bytes.get(data..data.checked_add(len)?)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A zip of stored entries, written by hand: local headers, then the
    /// central directory, then the end record.
    pub(crate) fn zip(names: &[(&str, &[u8])], before: &[u8]) -> Vec<u8> {
        let mut out = before.to_vec();
        let mut central = Vec::new();
        for (name, data) in names {
            let offset = (out.len() - before.len()) as u32;
            out.extend_from_slice(LOCAL);
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(CENTRAL);
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = (out.len() - before.len()) as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(END);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    fn names(bytes: &[u8]) -> Option<Vec<String>> {
        Some(
            entries(bytes)?
                .map(|e| String::from_utf8_lossy(e.name).into_owned())
                .collect(),
        )
    }

    #[test]
    fn lists_every_entry_wherever_it_sits() {
        let z = zip(
            &[("a.txt", b"hello"), ("mimetype", b"x/y"), ("z", b"")],
            b"",
        );
        assert_eq!(
            names(&z),
            Some(vec!["a.txt".into(), "mimetype".into(), "z".into()])
        );
        let e = entries(&z).and_then(|mut e| e.nth(1)).expect("entry");
        assert_eq!(stored_prefix(&z, &e, 100), Some(&b"x/y"[..]));
        assert_eq!(stored_prefix(&z, &e, 1), Some(&b"x"[..]));
    }

    #[test]
    fn finds_the_directory_behind_bytes_put_before_the_archive() {
        let z = zip(&[("a", b"1"), ("b", b"2")], b"#!/bin/sh\nexit 0\n");
        assert_eq!(names(&z), Some(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn a_cut_or_damaged_archive_gives_what_can_be_read_and_never_panics() {
        let z = zip(&[("a", b"1"), ("b", b"2")], b"");
        // Cut anywhere: no end record, or a directory that is not whole.
        for cut in 0..z.len() {
            let _ = names(&z[..cut]);
        }
        assert_eq!(names(&z[..z.len() - 1]), None);
        // Every byte flipped in turn.
        for i in 0..z.len() {
            let mut bad = z.clone();
            bad[i] ^= 0xFF;
            if let Some(n) = names(&bad) {
                assert!(n.len() <= 2, "{n:?}");
            }
        }
        // A directory claiming 65,535 entries in 0 bytes.
        let mut liar = z.clone();
        let end = liar.len() - 22;
        liar[end + 10..end + 12].copy_from_slice(&[0xFF, 0xFF]);
        assert!(names(&liar).is_some_and(|n| n.len() <= 2));
        assert_eq!(names(b""), None);
        assert_eq!(names(b"PK\x05\x06"), None);
    }
}
