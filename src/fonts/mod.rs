//! Fonts for the PDF: the five roles of SPEC §5, each a chain of faces (the role's own font,
//! then the body font as fallback). The default faces are OFL fonts built into the binary
//! (fonts/README.md); 字体 in 报告.yaml points a role at a font file or an installed family.

mod system;

use crate::diag::{Diag, Diags, Loc};
use crate::model::{FontOverrides, FontSource};
use indexmap::IndexMap;
use std::path::Path;
use std::sync::Arc;

pub use crate::gbt9704::Role;

/// A font program's bytes: built into the binary, or read from a file.
#[derive(Clone)]
pub enum FontData {
    Static(&'static [u8]),
    Owned(Arc<Vec<u8>>),
}

impl std::ops::Deref for FontData {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FontData::Static(b) => b,
            FontData::Owned(v) => v,
        }
    }
}

/// A font program and what we read from it.
#[derive(Clone)]
pub struct Face {
    /// Shown in `zongjie fonts`: the family and where it came from.
    pub label: String,
    pub data: FontData,
    pub index: u32,
    pub units_per_em: f64,
    /// PostScript name, for the PDF's /BaseFont.
    pub postscript_name: String,
    /// Drawn with a thin stroke to look bold (a 仿宋 override has no bold face).
    pub synthetic_bold: bool,
    /// Glyph id and advance of the characters looked up so far (a report uses a few
    /// hundred of the font's tens of thousands).
    glyphs: std::cell::RefCell<std::collections::HashMap<char, Option<(u16, u16)>>>,
}

impl Face {
    pub fn parse(label: String, data: FontData, index: u32) -> Result<Face, String> {
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| format!("无法解析字体：{e}"))?;
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "ZongjieFont".into());
        Ok(Face {
            label,
            units_per_em: f64::from(face.units_per_em()),
            postscript_name: postscript_name.replace(' ', ""),
            synthetic_bold: false,
            index,
            data,
            glyphs: Default::default(),
        })
    }

    /// The glyph id and advance (in font units) of `c`.
    pub fn glyph(&self, c: char) -> Option<(u16, u16)> {
        if let Some(hit) = self.glyphs.borrow().get(&c) {
            return *hit;
        }
        let found = lookup(&self.data, self.index, c);
        self.glyphs.borrow_mut().insert(c, found);
        found
    }
}

/// Each original glyph's id in the subset with `gids` (and .notdef): known before the subset
/// is made, so that pages can be written while it is (subsetter makes CFF fonts CID-keyed
/// with CID = glyph id, so one number serves both outline kinds).
pub fn glyph_ids(gids: &[u16]) -> subsetter::GlyphRemapper {
    let mut sorted: Vec<u16> = gids.iter().copied().filter(|g| *g != 0).collect();
    sorted.sort_unstable();
    sorted.dedup();
    subsetter::GlyphRemapper::new_from_glyphs(&sorted)
}

/// The subset of a font program with the glyphs of `ids` (from [`glyph_ids`]), for embedding
/// in a PDF. The reason for a failure is in Chinese: it reaches the user.
pub fn subset(data: &[u8], index: u32, ids: &subsetter::GlyphRemapper) -> Result<Vec<u8>, String> {
    subsetter::subset(data, index, ids).map_err(|e| {
        use subsetter::Error as E;
        match e {
            E::UnknownKind => "不是可识别的 TrueType/OpenType 字体".into(),
            E::MalformedFont => "字体文件已损坏".into(),
            E::Unimplemented | E::CFFError => "字体使用了无法嵌入的格式（如 CFF2 或特殊 CFF）".into(),
            E::SubsetError | E::OverflowError => String::from("取子集时出错（字体数据超出范围）"),
        }
    })
}

/// Checks that a face named in 字体 can do all the PDF asks of it: outlines to draw, a
/// Unicode cmap, and a subset the writer can embed. A truncated or odd file fails here, at
/// its YAML line, rather than as a foreign error at build time.
fn usable(face: &Face) -> Result<(), String> {
    let parsed = ttf_parser::Face::parse(&face.data, face.index)
        .map_err(|e| format!("文件不完整或不是字体（{e}）"))?;
    let tables = parsed.tables();
    if tables.glyf.is_none() && tables.cff.is_none() && tables.cff2.is_none() {
        return Err("字体中没有字形轮廓（glyf 或 CFF 表）".into());
    }
    let gids: Vec<u16> = ['的', '一', 'A', '1']
        .into_iter()
        .filter_map(|c| face.glyph(c).map(|(g, _)| g))
        .collect();
    if gids.is_empty() {
        return Err("字体中没有汉字、字母或数字".into());
    }
    subset(&face.data, face.index, &glyph_ids(&gids))
        .map(|_| ())
        .map_err(|_| "字体文件已损坏，无法嵌入 PDF".into())
}

/// A character's glyph and advance, read from the `cmap` and `hmtx` tables alone: a full
/// parse would read the CFF charset of tens of thousands of glyphs for every lookup.
fn lookup(data: &[u8], index: u32, c: char) -> Option<(u16, u16)> {
    use ttf_parser::{cmap, hhea, hmtx, maxp, RawFace, Tag};
    let raw = RawFace::parse(data, index).ok()?;
    let table = |t: &[u8; 4]| raw.table(Tag::from_bytes(t));
    let cmap = cmap::Table::parse(table(b"cmap")?)?;
    let gid = cmap
        .subtables
        .into_iter()
        .filter(ttf_parser::cmap::Subtable::is_unicode)
        .find_map(|s| s.glyph_index(c as u32))?;
    if gid.0 == 0 {
        return None;
    }
    let metrics = hhea::Table::parse(table(b"hhea")?)?.number_of_metrics;
    let glyphs = maxp::Table::parse(table(b"maxp")?)?.number_of_glyphs;
    let advance = hmtx::Table::parse(metrics, glyphs, table(b"hmtx")?)?
        .advance(gid)
        .unwrap_or(0);
    Some((gid.0, advance))
}

/// The built-in faces (fonts/): file name, what it is.
const BUILTIN: [(&str, &[u8]); 5] = [
    (
        "Noto Serif CJK SC Regular（内置，fonts/serif-regular.otf）",
        include_bytes!("../../fonts/serif-regular.otf"),
    ),
    (
        "Noto Serif CJK SC Bold（内置，fonts/serif-bold.otf）",
        include_bytes!("../../fonts/serif-bold.otf"),
    ),
    (
        "Noto Sans CJK SC Medium（内置，fonts/sans-regular.otf）",
        include_bytes!("../../fonts/sans-regular.otf"),
    ),
    (
        "Zongjie Kai，LXGW WenKai 1.250 的子集（内置，fonts/kai-regular.ttf）",
        include_bytes!("../../fonts/kai-regular.ttf"),
    ),
    (
        "朱雀仿宋 Zhuque Fangsong 0.211 的子集（内置，fonts/fangsong-regular.ttf）",
        include_bytes!("../../fonts/fangsong-regular.ttf"),
    ),
];
const SERIF: usize = 0;
const SERIF_BOLD: usize = 1;
const SANS: usize = 2;
const KAI: usize = 3;
const FANGSONG: usize = 4;

/// Every face of a run and, per role, the chain of faces to look a character up in. A clone
/// (the programs shared, the glyph caches copied) serves another thread.
#[derive(Clone)]
pub struct FontSet {
    pub faces: Vec<Face>,
    chains: IndexMap<Role, Vec<usize>>,
}

/// Where a glyph comes from: a face of the set and the glyph in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlyphRef {
    /// An index into the set's faces (a set has a handful).
    pub face: u16,
    pub gid: u16,
}

impl FontSet {
    /// The built-in fonts, preceded in each role by the installed 公文 font the DOCX names
    /// (unless `字体: 内置`), with the overrides of 字体 applied. Problems with an override
    /// are warnings: the role keeps its other fonts.
    pub fn load(choice: &FontOverrides, report_dir: &Path, diags: &mut Diags) -> FontSet {
        let mut faces: Vec<Face> = BUILTIN
            .iter()
            .map(|(label, bytes)| {
                Face::parse((*label).to_owned(), FontData::Static(bytes), 0)
                    .expect("the built-in fonts parse")
            })
            .collect();
        // 仿宋 has no bold: the bold body (三级标题) draws it with a stroke.
        let mut fangsong_bold = faces[FANGSONG].clone();
        fangsong_bold.synthetic_bold = true;
        faces.push(fangsong_bold);
        let fangsong_bold = faces.len() - 1;
        let mut chains: IndexMap<Role, Vec<usize>> = IndexMap::new();
        chains.insert(Role::Title, vec![SERIF_BOLD, SERIF]);
        chains.insert(Role::Body, vec![FANGSONG, SERIF]);
        chains.insert(Role::BodyBold, vec![fangsong_bold, SERIF_BOLD, SERIF]);
        chains.insert(Role::Heading, vec![SANS, SERIF]);
        chains.insert(Role::Kai, vec![KAI, SERIF]);
        chains.insert(Role::Song, vec![SERIF]);
        let mut set = FontSet { faces, chains };
        if !choice.builtin_only {
            for (role_name, families) in INSTALLED {
                if choice.overrides.iter().any(|o| o.role.name() == role_name) {
                    continue;
                }
                if let Some(face) = families.iter().find_map(|f| installed(f)) {
                    set.put_first(face, role_name);
                }
            }
        }
        for o in &choice.overrides {
            if let Some(face) = open_override(&o.source, report_dir, o.at, diags) {
                set.put_first(face, o.role.name());
            }
        }
        set
    }

    /// Makes `face` the first of every role named `role_name` (仿宋 is two roles). The bold
    /// body gets the face stroked: an installed or chosen 仿宋 has no bold face.
    fn put_first(&mut self, face: Face, role_name: &str) {
        self.faces.push(face);
        let id = self.faces.len() - 1;
        for role in Role::ALL.into_iter().filter(|r| r.name() == role_name) {
            if role == Role::BodyBold {
                let mut bold = self.faces[id].clone();
                bold.synthetic_bold = true;
                self.faces.push(bold);
                self.chains
                    .insert(role, vec![self.faces.len() - 1, SERIF_BOLD, SERIF]);
            } else if let Some(chain) = self.chains.get_mut(&role) {
                chain.insert(0, id);
            }
        }
    }

    /// The built-in faces alone, as `字体: 内置` asks.
    pub fn builtin() -> FontSet {
        let choice = FontOverrides {
            builtin_only: true,
            ..FontOverrides::default()
        };
        FontSet::load(&choice, Path::new("."), &mut Diags::default())
    }

    /// The first face of `role`'s chain that has `c`.
    pub fn glyph(&self, role: Role, c: char) -> Option<(GlyphRef, f64)> {
        self.chains[&role].iter().find_map(|&f| {
            let face = &self.faces[f];
            face.glyph(c).map(|(gid, adv)| {
                let face_id = u16::try_from(f).expect("a font set has a handful of faces");
                (
                    GlyphRef { face: face_id, gid },
                    f64::from(adv) / face.units_per_em,
                )
            })
        })
    }

    /// The faces serving `role`, first to last.
    pub fn chain(&self, role: Role) -> impl Iterator<Item = &Face> {
        self.chains[&role].iter().map(|&i| &self.faces[i])
    }
}

/// The 公文 fonts offices have installed, by role: the name the DOCX gives the role first,
/// then the names the same face goes by elsewhere.
const INSTALLED: [(&str, &[&str]); 5] = [
    (
        "小标宋",
        &["方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"],
    ),
    ("仿宋", &["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"]),
    ("黑体", &["黑体", "SimHei"]),
    ("楷体", &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"]),
    ("宋体", &["宋体", "SimSun"]),
];

/// An installed face of `family` that the PDF can use; None when there is none (or it cannot
/// be embedded: the built-in face serves instead, without a word, as when none is installed).
fn installed(family: &str) -> Option<Face> {
    let (path, bytes, index) = system::find_family(family)?;
    let label = format!("{family}（本机，{}）", crate::source::display_path(&path));
    let face = Face::parse(label, FontData::Owned(Arc::new(bytes)), index).ok()?;
    usable(&face).ok().map(|()| face)
}

/// Starts reading the installed fonts' names on another thread (see [`system::warm`]).
pub fn warm() {
    system::warm();
}

fn open_override(source: &FontSource, report_dir: &Path, at: Loc, diags: &mut Diags) -> Option<Face> {
    let value = source.as_written();
    let found = if let FontSource::File(_) = source {
        let path = if Path::new(value).is_absolute() {
            Path::new(value).to_path_buf()
        } else {
            report_dir.join(value)
        };
        match crate::fsutil::read_input(&path, crate::fsutil::MAX_FONT_FILE) {
            Ok(bytes) => Some((format!("{value}（文件）"), bytes, 0)),
            Err(e) => {
                diags.push(
                    Diag::warning(at, format!("无法读取字体文件“{value}”：{}", e.message()))
                        .help("PDF 中这一角色改用内置字体；字体文件路径相对于报告所在的文件夹"),
                );
                return None;
            }
        }
    } else {
        match system::find_family(value) {
            Some((path, bytes, index)) => Some((
                format!("{value}（{}）", crate::source::display_path(&path)),
                bytes,
                index,
            )),
            None => {
                diags.push(
                    Diag::warning(at, format!("本机没有安装字体“{value}”"))
                        .help("PDF 中这一角色改用内置字体，DOCX 中仍写这个字体名；也可以写字体文件的路径，如 fonts/仿宋_GB2312.ttf"),
                );
                return None;
            }
        }
    };
    let (label, bytes, index) = found?;
    match Face::parse(label, FontData::Owned(Arc::new(bytes)), index).and_then(|f| usable(&f).map(|()| f)) {
        Ok(f) => Some(f),
        Err(e) => {
            diags.push(
                Diag::warning(at, format!("字体“{value}”无法使用：{e}")).help("PDF 中这一角色改用内置字体"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_roles_cover_the_common_text() {
        let set = FontSet::builtin();
        for role in Role::ALL {
            for c in "江城市民政局2024年建议提案办理工作总结，。（一）—％%".chars() {
                assert!(set.glyph(role, c).is_some(), "{role:?} lacks {c}");
            }
        }
        // A CJK ideograph is one em wide in every built-in face.
        let (_, adv) = set.glyph(Role::Body, '办').unwrap();
        assert!((adv - 1.0).abs() < 1e-9);
        // A rare character from a name is found in the body font through the chain.
        let (g, _) = set.glyph(Role::Heading, '堃').unwrap();
        assert_eq!(usize::from(g.face), SERIF);
    }
}
