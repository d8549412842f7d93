//! What a version of a report or 汇编 says — its figures by name and its sentences — and the
//! copy of it every build keeps beside its outputs (`<标题>.快照.json`), so that
//! `zongjie diff 报告` can compare the data now with what was last built: offices keep no
//! copies of old versions. The file holds no time, path or machine detail: the same report
//! gives the same bytes, wherever and whenever it is built.

use super::Prepared;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a version of a report or 汇编 says: its figures by name (per 篇 in a 汇编) and its
/// sentences, for `diff` and `build --watch`.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub figures: Vec<(String, String)>,
    pub sentences: Vec<String>,
}

/// The snapshot file's layout. Its keys are Chinese: an office user who opens the file
/// should see what it is. Read with owned texts; written borrowing what it writes, the
/// sentences cut as they are written (`S`).
#[derive(Serialize, Deserialize)]
struct File<T, F, S> {
    #[serde(rename = "说明")]
    note: T,
    #[serde(rename = "版本")]
    version: u32,
    /// Name → value, in the order of `zongjie stats`.
    #[serde(rename = "数字")]
    figures: F,
    #[serde(rename = "句子")]
    sentences: S,
}

/// The sentences of the parts' lines, cut as they are written.
struct Sentences<'a>(&'a [Vec<String>]);

impl Serialize for Sentences<'_> {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        s.collect_seq(self.0.iter().flatten().flat_map(|l| crate::diff::sentences_of(l)))
    }
}

/// The file's text: pretty JSON, one figure or sentence a line.
fn json(figures: &[(String, String)], sentences: impl Serialize) -> String {
    let file = File {
        note: NOTE,
        version: VERSION,
        figures: figures
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect::<indexmap::IndexMap<_, _>>(),
        sentences,
    };
    let mut s = serde_json::to_string_pretty(&file).expect("strings serialize");
    s.push('\n');
    s
}

/// The version of the file's layout; a different one is not read.
const VERSION: u32 = 1;

const NOTE: &str = "zongjie build 生成总结时记下的数字和句子，供 zongjie diff 报告 比较现在的数据与上次生成的结果。请不要手工修改；删除它不影响总结，只是下次生成之前无法这样比较。";

/// The name's ending after the title: `江城市民政局2024年建议提案办理工作总结.快照.json`.
pub const SNAPSHOT_SUFFIX: &str = ".快照.json";

impl Snapshot {
    /// Taken from a prepared document: nothing is loaded or composed again.
    pub fn of(p: &Prepared) -> Snapshot {
        let mut snap = Snapshot::of_figures(p);
        for part in &p.doc.parts {
            snap.sentences.extend(crate::diff::sentences(&part.texts()));
        }
        snap
    }

    /// The snapshot file's text: pretty JSON, one figure or sentence a line.
    pub fn to_json(&self) -> String {
        json(&self.figures, &self.sentences)
    }

    /// The snapshot file's text of `p`, as `Snapshot::of(p).to_json()` gives it, without
    /// holding the sentences twice over: each is written into the text as it is cut from its
    /// line (100,000 cases listed make 9 MB of them).
    pub fn json_of(p: &Prepared) -> String {
        let snap = Snapshot::of_figures(p);
        let texts: Vec<Vec<String>> = p.doc.parts.iter().map(crate::document::Part::texts).collect();
        json(&snap.figures, Sentences(&texts))
    }

    /// Only the figures of `p`.
    fn of_figures(p: &Prepared) -> Snapshot {
        let mut snap = Snapshot {
            figures: vec![],
            sentences: vec![],
        };
        for (c, part) in p.parts.iter().zip(&p.doc.parts) {
            // A 篇 of a 汇编 names its figures `篇二·办复率`.
            let label = part.label.as_ref().map_or(String::new(), |l| format!("{l}·"));
            for (name, value, _) in crate::figures::names::named(&c.figures, &c.report.scheme) {
                snap.figures.push((format!("{label}{name}"), value.to_string()));
            }
        }
        snap
    }

    /// Reads a snapshot file's text; the reason for a failure is in Chinese.
    pub fn from_json(text: &str) -> Result<Snapshot, String> {
        let file: File<String, indexmap::IndexMap<String, String>, Vec<String>> =
            serde_json::from_str(text).map_err(|e| format!("内容不完整或被改动过（{e}）"))?;
        if file.version != VERSION {
            return Err(format!(
                "是另一版本的 zongjie 写的（版本 {}，本程序读版本 {VERSION}）",
                file.version
            ));
        }
        Ok(Snapshot {
            figures: file.figures.into_iter().collect(),
            sentences: file.sentences,
        })
    }
}

/// Where a build of `p` keeps its snapshot: beside its outputs, in `dir` (or the report's
/// folder), named after the title as the outputs are.
pub fn snapshot_file(p: &Prepared, dir: Option<&Path>) -> PathBuf {
    super::beside_outputs(p, dir, SNAPSHOT_SUFFIX)
}

/// A snapshot file that is there but cannot be used.
#[derive(Debug, thiserror::Error)]
#[error(
    "无法读取上次生成时的快照“{}”：{reason}。请重新 zongjie build 生成一次（会写出新的快照），之后再比较",
    crate::source::display_path(path)
)]
pub struct SnapshotError {
    pub path: PathBuf,
    pub reason: String,
}

/// The snapshot of the last build of `p` whose outputs went to `dir` (the report's folder when
/// None); None when there is none.
pub fn last_snapshot(p: &Prepared, dir: Option<&Path>) -> Result<Option<Snapshot>, SnapshotError> {
    let path = snapshot_file(p, dir);
    let bytes = match crate::fsutil::read_input(&path, crate::fsutil::MAX_TEXT_FILE) {
        Ok(b) => b,
        Err(e) if e.is_missing() => return Ok(None),
        Err(e) => {
            return Err(SnapshotError {
                reason: e.message(),
                path,
            })
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| SnapshotError {
        path: path.clone(),
        reason: "不是 UTF-8 文本".into(),
    })?;
    Snapshot::from_json(&text)
        .map(Some)
        .map_err(|reason| SnapshotError { path, reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Ctx;

    #[test]
    fn every_example_round_trips_through_its_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for name in ["minzhengju", "renda", "huibian"] {
            let p = super::super::prepare(&mut Ctx::default(), &root.join("data").join(name))
                .unwrap()
                .unwrap();
            let snap = Snapshot::of(&p);
            let json = snap.to_json();
            assert_eq!(
                Snapshot::from_json(&json).unwrap(),
                snap,
                "{name}: a figure name twice?"
            );
            assert_eq!(json, Snapshot::of(&p).to_json());
            assert_eq!(json, Snapshot::json_of(&p), "{name}: written as it is cut");
            assert!(json.contains("总件数\": \""), "{name}");
        }
    }

    #[test]
    fn a_foreign_or_broken_file_is_refused() {
        assert!(Snapshot::from_json("{").is_err());
        let other = r#"{"说明": "", "版本": 9, "数字": {}, "句子": []}"#;
        assert!(Snapshot::from_json(other).unwrap_err().contains("版本 9"));
    }
}
