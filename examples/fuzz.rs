#![allow(clippy::print_stdout)] // a command-line harness: its figures go to stdout
//! A stable-Rust fuzzing harness (no nightly toolchain here for cargo-fuzz): seeds from
//! fuzz/corpus/<target>/, mutated at random (bit flips, byte runs, splices of two seeds,
//! tokens that matter to the input's grammar), each input run in the target with panics
//! caught. A panic's input is saved to fuzz/crashes/<target>/ and counted; the run ends
//! after the given number of executions or seconds, printing its figures for RELIABILITY.md.
//!
//!     cargo run --release --example fuzz -- <yaml|markup|typeset|csv|xlsx> <executions> [seconds]
//!
//! Run it with a memory cap (the harness itself reads its peak from /proc):
//!     prlimit --as=2000000000 cargo run --release --example fuzz -- yaml 10000000

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A small, fast, seeded generator: runs are repeatable from their seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Pieces that mean something to YAML, the markup, CSV and the typesetter.
const TOKENS: &[&str] = &[
    ": ",
    "- ",
    "\n",
    "\n  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "---\n",
    "...\n",
    "\"",
    "'",
    "|\n",
    ">\n",
    "#",
    "# ",
    "## ",
    "@分页",
    "。",
    "，",
    "（",
    "）",
    "《",
    "》",
    "“",
    "”",
    "——",
    "……",
    "{{ ",
    " }}",
    "{{ 办复率 }}",
    "{%",
    "%}",
    "2024-03-01",
    "2024年12月20日",
    "建议",
    "提案",
    "主办",
    "协办",
    "满意",
    "A",
    "100%",
    "12.5%",
    "https://example.gov.cn/a/b.html",
    "\u{0}",
    "\u{7}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{FFFF}",
    "𠀀",
    "，\n",
    "\r\n",
    "编号",
    "类别",
    "标题",
    "承办方式",
    "案件",
    "上年",
    "统计",
    "核对",
    "字体",
    "模板",
    "分类方案",
    "附表: 是\n",
    "列出案件: 是\n",
    "\"\\x01\"",
    "999999999999999999999",
    "-1",
    "1e19",
    "0.5",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 if len > 0 => {
                let (a, b) = (rng.below(len), rng.below(len));
                let (a, b) = (a.min(b), a.max(b).min(a + 64));
                input.drain(a..b);
            }
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let i = rng.below(len + 1);
                input.splice(i..i, t.iter().copied());
            }
            4 if len > 0 => {
                // Repeat a slice: long lines, deep nesting, many keys.
                let (a, n) = (rng.below(len), 1 + rng.below(32));
                let b = (a + n).min(len);
                let piece: Vec<u8> = input[a..b].to_vec();
                for _ in 0..rng.below(64) {
                    let i = rng.below(input.len() + 1);
                    input.splice(i..i, piece.iter().copied());
                }
            }
            5 if !seeds.is_empty() => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let (a, b) = (rng.below(other.len()), rng.below(other.len()));
                    let i = rng.below(len + 1);
                    input.splice(i..i, other[a.min(b)..a.max(b)].iter().copied());
                }
            }
            6 if len > 0 => input.truncate(rng.below(len)),
            _ => {
                let i = rng.below(len + 1);
                input.insert(i, rng.next() as u8);
            }
        }
    }
    // Keep inputs of a size a run can afford many times.
    input.truncate(64 * 1024);
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let seeds: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    if seeds.is_empty() {
        vec![Vec::new()]
    } else {
        seeds
    }
}

/// Peak resident memory of this process in MB (Linux), 0 where unknown.
fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target = args.get(1).map_or("yaml", String::as_str).to_owned();
    let executions: u64 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let seconds: u64 = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(u64::MAX / 2);
    let seeds = seeds(&target);
    let work = tempfile::tempdir_in(if Path::new("/dev/shm").is_dir() {
        "/dev/shm"
    } else {
        "."
    })
    .expect("work folder");
    let crashes = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/crashes")
        .join(&target);
    let fonts = zongjie::fuzzing::fonts();
    let run = |input: &[u8]| match target.as_str() {
        "yaml" => zongjie::fuzzing::report(work.path(), input),
        "markup" => zongjie::fuzzing::markup(input),
        "typeset" => zongjie::fuzzing::typeset(&fonts, input),
        "csv" => zongjie::fuzzing::import(work.path(), input, "台账.csv"),
        "xlsx" => zongjie::fuzzing::import(work.path(), input, "台账.xlsx"),
        other => panic!("unknown target {other}"),
    };
    // Quiet panics: each is counted and its input saved.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ executions);
    let started = Instant::now();
    let (mut done, mut found) = (0u64, 0u64);
    let mut input = Vec::new();
    while done < executions && started.elapsed() < Duration::from_secs(seconds) {
        input.clear();
        input.extend_from_slice(&seeds[rng.below(seeds.len())]);
        mutate(&mut rng, &seeds, &mut input);
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&input))).is_err() {
            found += 1;
            let _ = std::fs::create_dir_all(&crashes);
            let name = format!("{:016x}", {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                input.hash(&mut h);
                h.finish()
            });
            let _ = std::fs::write(crashes.join(name), &input);
        }
        done += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{target}: {done} executions in {secs:.0} s ({:.0}/s), {found} panics, peak memory {} MB",
        done as f64 / secs.max(1e-9),
        peak_mb()
    );
    if found > 0 {
        std::process::exit(1);
    }
}
