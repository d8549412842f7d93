//! An .xls (or WPS .et) file checked before calamine opens it. calamine parses every sheet
//! of an .xls when it opens the file and sets aside each sheet's bounding box, and the size
//! it reserves comes from the file: one cell at column 60,000, or a DIMENSIONS record that
//! claims four billion rows, would abort the process before a word could be said. So the
//! Workbook stream is taken out of the compound file here and its records are walked, looking
//! only at where cells stand. Anything this reader cannot follow is left to calamine, whose
//! errors are reported as a damaged file; only what it positively finds is refused.

use super::{column_letter, MAX_COLUMNS};
use std::io::{Read, Seek};

/// The largest .xls read: a full BIFF8 sheet (65,536 × 256 cells) stays far below it.
const MAX_FILE: u64 = 512 << 20;
/// BIFF8's last row.
const MAX_ROWS: u32 = 65_536;
/// The most cells a sheet's box may span (64 columns of 65,536 rows): calamine holds the
/// box twice while a sheet is read, 32 bytes a cell.
const MAX_CELLS: usize = 64 * 65_536;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Sector numbers at and above this are markers (free, FAT sector, DIFAT sector…).
const RESERVED: u32 = 0xFFFF_FFFA;
/// The end of a chain of sectors.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// A compound file that calamine would let through but that would make it loop or set aside
/// more than the file holds.
struct Damaged;

/// A compound file held in memory, read the way calamine reads it.
struct Compound<'a> {
    data: &'a [u8],
    /// Where sector 0 starts: sectors follow a header of one sector.
    sector: usize,
    fat: Vec<u32>,
}

impl<'a> Compound<'a> {
    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(self.sector)?;
        let data: &'a [u8] = self.data;
        data.get(start..start.checked_add(self.sector)?.min(data.len()))
    }
}

/// The bytes of the chain from `start`, up to `limit` bytes, sectors from `get` and the next
/// sector from `fat`, as calamine follows it (to the end-of-chain mark). Ok(None): calamine
/// would stop with an error; Err: the chain loops back before `limit`, and calamine would go
/// round it until it held `limit` bytes.
fn chain<'s>(
    fat: &[u32],
    start: u32,
    limit: usize,
    mut get: impl FnMut(u32) -> Option<&'s [u8]>,
) -> Result<Option<Vec<u8>>, Damaged> {
    let mut out = Vec::new();
    let mut seen = vec![false; fat.len()];
    let mut next = start;
    while next != END_OF_CHAIN {
        let Some(bytes) = get(next) else {
            return Ok(None);
        };
        out.extend_from_slice(&bytes[..bytes.len().min(limit - out.len())]);
        if out.len() >= limit {
            break;
        }
        match seen.get_mut(next as usize) {
            Some(true) => return Err(Damaged),
            Some(s) => *s = true,
            None => return Ok(None),
        }
        next = fat[next as usize];
    }
    Ok(Some(out))
}

/// A directory entry: its name (to the first NUL), first sector and length.
fn entry(e: &[u8], large: bool) -> Option<(String, u32, u64)> {
    let units: Vec<u16> = (0..32).filter_map(|i| u16_at(e, 2 * i)).collect();
    let mut name = String::from_utf16_lossy(&units);
    if let Some(nul) = name.find('\0') {
        name.truncate(nul);
    }
    let len = if large {
        u64::from_le_bytes(e.get(0x78..0x80)?.try_into().ok()?)
    } else {
        u64::from(u32_at(e, 0x78)?)
    };
    Some((name, u32_at(e, 0x74)?, len))
}

/// The Workbook (or, in BIFF5, Book) stream of a compound file as calamine would read it;
/// Ok(None) when calamine would not get that far.
fn workbook_stream(data: &[u8]) -> Result<Option<Vec<u8>>, Damaged> {
    let file_len = data.len() as u64;
    let header = |f: fn(&[u8], usize) -> Option<u32>, at| f(data, at);
    let u16h = |at| u16_at(data, at).map(u32::from);
    let (Some(shift), Some(6)) = (u16h(0x1E), u16h(0x20)) else {
        return Ok(None);
    };
    let sector = match shift {
        9 => 512,
        12 => 4096,
        _ => return Ok(None),
    };
    let (Some(dir_start), Some(mini_fat_start), Some(mini_fat_len), Some(difat_start)) = (
        header(u32_at, 0x30),
        header(u32_at, 0x3C),
        header(u32_at, 0x40),
        header(u32_at, 0x44),
    ) else {
        return Ok(None);
    };
    let mut file = Compound {
        data,
        sector,
        fat: Vec::new(),
    };
    let max_sector = data.len() / sector + 1;
    // The FAT's sectors: 109 in the header, the rest in a chain of DIFAT sectors, each
    // ending with the next one's number.
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(data, 0x4C + 4 * i)).collect();
    let mut next = difat_start;
    let mut steps = 0;
    while next < RESERVED {
        steps += 1;
        let Some(s) = file.sector(next).filter(|_| steps <= max_sector) else {
            return Ok(None);
        };
        difat.extend((0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)));
        next = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    let mut fat = Vec::new();
    for n in difat.into_iter().filter(|n| *n < 0xFFFF_FFFC) {
        let Some(s) = file.sector(n) else {
            return Ok(None);
        };
        fat.extend((0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    file.fat = fat;
    let Some(dir) = chain(&file.fat, dir_start, usize::MAX, |n| file.sector(n))? else {
        return Ok(None);
    };
    let large = sector == 4096;
    let entries: Vec<(String, u32, u64)> = dir.chunks_exact(128).filter_map(|e| entry(e, large)).collect();
    let Some(root) = entries.first() else {
        return Ok(None);
    };
    // The mini stream (in the root entry's chain) and its FAT, read when there is a mini FAT.
    let (mini_stream, mini_fat) = if mini_fat_len > 0 {
        let mini_fat_bytes = u64::from(mini_fat_len) * sector as u64;
        if root.2 > file_len || mini_fat_bytes > file_len {
            return Err(Damaged);
        }
        let stream = chain(&file.fat, root.1, root.2 as usize, |n| file.sector(n))?;
        let fat_bytes = chain(&file.fat, mini_fat_start, mini_fat_bytes as usize, |n| {
            file.sector(n)
        })?;
        let (Some(stream), Some(fat_bytes)) = (stream, fat_bytes) else {
            return Ok(None);
        };
        let fat: Vec<u32> = fat_bytes.chunks_exact(4).filter_map(|c| u32_at(c, 0)).collect();
        (stream, fat)
    } else {
        (Vec::new(), Vec::new())
    };
    let book = ["Workbook", "Book"]
        .iter()
        .find_map(|wanted| entries.iter().find(|e| e.0.eq_ignore_ascii_case(wanted)));
    let Some((_, start, len)) = book else {
        return Ok(None);
    };
    if *len > file_len {
        return Err(Damaged);
    }
    let len = *len as usize;
    if len >= 4096 {
        return chain(&file.fat, *start, len, |n| file.sector(n));
    }
    // A small stream lives in the mini stream, in 64-byte sectors with a FAT of their own.
    chain(&mini_fat, *start, len, |n| {
        let at = (n as usize).checked_mul(64)?;
        mini_stream.get(at..at.checked_add(64)?.min(mini_stream.len()))
    })
}

fn too_far(row: u16, col: u16) -> String {
    format!(
        "工作簿中第 {} 行 {} 列有内容，超出了第 {MAX_COLUMNS} 列（{} 列），也超出了 .xls 格式的范围：文件已损坏或是伪造的。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入",
        u32::from(row) + 1,
        column_letter(col as usize),
        column_letter(MAX_COLUMNS - 1)
    )
}

/// The records of `stream` from `at`: (type, data), until the stream ends or breaks off.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// What a record holds that calamine must not be given: a cell beyond column IV, a sheet
/// claiming more rows or columns than .xls has.
fn check_record(typ: u16, data: &[u8]) -> Result<(), String> {
    match typ {
        // DIMENSIONS: the rows and columns a sheet claims (BIFF8: 32-bit rows).
        0x0200 => {
            let (rows, cols) = if data.len() >= 14 {
                (u32_at(data, 4), u16_at(data, 10))
            } else {
                (u16_at(data, 2).map(u32::from), u16_at(data, 6))
            };
            if let (Some(rows), Some(cols)) = (rows, cols) {
                if rows > MAX_ROWS || cols as usize > MAX_COLUMNS {
                    return Err(format!(
                        "工作簿声称有 {rows} 行、{cols} 列，超出了 .xls 格式的上限（65,536 行、256 列）：文件已损坏或是伪造的。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入"
                    ));
                }
            }
        }
        // Cells: NUMBER, LABEL, LABELSST, RK, BOOLERR, FORMULA, RSTRING, BLANK.
        0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 | 0x00D6 | 0x0201 => {
            if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                if col as usize >= MAX_COLUMNS {
                    return Err(too_far(row, col));
                }
            }
        }
        // MULRK and MULBLANK: a run of cells from a first column, its last at the end.
        0x00BD | 0x00BE => {
            let last = data.len().checked_sub(2).and_then(|e| u16_at(data, e));
            if let (Some(row), Some(first), Some(last)) = (u16_at(data, 0), u16_at(data, 2), last) {
                let run = (data.len().saturating_sub(6) / 2) as u16;
                let far = first.max(last).max(first.saturating_add(run));
                if far as usize >= MAX_COLUMNS {
                    return Err(too_far(row, far));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Walks a Workbook stream as calamine does: the globals up to their EOF, then each sheet
/// from where its BOUNDSHEET record says it starts, up to its EOF.
fn scan(stream: &[u8]) -> Result<(), String> {
    let mut sheets = Vec::new();
    for (typ, data) in records(stream, 0) {
        check_record(typ, data)?;
        match typ {
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    if pos as usize > stream.len() {
                        return Err(
                            "工作簿的目录指向文件之外：文件已损坏。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入".into(),
                        );
                    }
                    sheets.push(pos as usize);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    for pos in sheets {
        let mut depth = 0usize;
        let mut seen_bof = false;
        // The box around the sheet's values, which calamine sets out cell by cell.
        let (mut top, mut left, mut bottom, mut right) = (u16::MAX, u16::MAX, 0, 0);
        for (typ, data) in records(stream, pos) {
            check_record(typ, data)?;
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A if depth == 0 => break,
                0x000A => depth -= 1,
                0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 | 0x00D6 | 0x00BD if depth == 0 => {
                    if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                        let last = if typ == 0x00BD {
                            col.saturating_add((data.len().saturating_sub(6) / 6) as u16)
                        } else {
                            col
                        };
                        (top, bottom) = (top.min(row), bottom.max(row));
                        (left, right) = (left.min(col), right.max(last));
                    }
                }
                _ => {}
            }
        }
        if top <= bottom {
            let rows = usize::from(bottom - top) + 1;
            let cols = usize::from(right - left) + 1;
            if rows * cols > MAX_CELLS {
                let corner = |r: u16, c: u16| format!("{}{}", column_letter(c as usize), u32::from(r) + 1);
                return Err(format!(
                    "一个工作表的内容从 {} 铺到 {}，共 {rows} 行、{cols} 列，远超任何台账：多半是远处有误输入的单元格。请删除它（或把台账复制到新的工作簿），另存为 .xlsx 后再导入",
                    corner(top, left),
                    corner(bottom, right)
                ));
            }
        }
    }
    Ok(())
}

/// Checks the .xls in `file` for what would make calamine set aside more memory than the
/// file could ever hold, or index outside it: Ok(Err(why)) when it finds such a thing. The
/// file is read from its start and left there.
pub fn check(file: &mut (impl Read + Seek)) -> std::io::Result<Result<(), String>> {
    let len = file.seek(std::io::SeekFrom::End(0))?;
    file.rewind()?;
    if len > MAX_FILE {
        return Ok(Err(format!(
            "文件有 {} MB，远超任何 .xls 台账（.xls 格式最多 65,536 行、256 列）：文件已损坏或不是台账",
            len >> 20
        )));
    }
    let mut data = Vec::with_capacity(len as usize);
    file.read_to_end(&mut data)?;
    file.rewind()?;
    Ok(match workbook_stream(&data) {
        Ok(Some(stream)) => scan(&stream),
        Ok(None) => Ok(()),
        Err(Damaged) => Err(
            "文件已损坏：其中的数据块首尾相接、循环不止，或声称比文件本身还大。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入".into(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        record(0x0203, &d)
    }

    #[test]
    fn cells_beyond_column_iv_and_impossible_dimensions_are_found() {
        let ok = [number(0, 0), number(0, 255), number(255, 3)].concat();
        assert_eq!(scan(&ok), Ok(()));
        let far = [number(0, 0), number(3, 60_000)].concat();
        assert!(scan(&far).unwrap_err().contains("第 4 行 CJSS 列有内容"));
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
        dims.extend_from_slice(&[0, 0, 10, 0, 0, 0]);
        assert!(scan(&record(0x0200, &dims))
            .unwrap_err()
            .contains("4000000000 行"));
        // A sheet whose values span more than a ledger ever does.
        let sheet = |cells: &[Vec<u8>]| {
            let mut globals = record(0x0809, &[0; 16]);
            globals.extend(record(0x0085, &(20 + 12 + 4u32).to_le_bytes().repeat(2)));
            globals.extend(record(0x000A, &[]));
            let mut s = globals;
            s.extend(record(0x0809, &[0; 16]));
            s.extend(cells.concat());
            s.extend(record(0x000A, &[]));
            s
        };
        assert_eq!(scan(&sheet(&[number(0, 0), number(65_535, 20)])), Ok(()));
        assert!(scan(&sheet(&[number(0, 0), number(65_535, 200)]))
            .unwrap_err()
            .contains("从 A1 铺到 GS65536，共 65536 行、201 列"));
        // A truncated record ends the walk; it is calamine's to report.
        assert_eq!(scan(&[0x03, 0x02, 0xFF, 0x00, 1, 2]), Ok(()));
        assert!(matches!(workbook_stream(b"not a compound file"), Ok(None)));
    }
}
