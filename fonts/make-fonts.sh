#!/usr/bin/env bash
# make-fonts.sh — rebuild zongjie's embedded default fonts from scratch.
#
# Step "debian": downloads the OFL-licensed font packages from Debian (bookworm), unpacks
# them, picks the Simplified Chinese face out of the Noto CJK .ttc collections, subsets
# everything with fontTools' pyftsubset and writes the results, plus the licence
# texts, into the folder this script lives in (fonts/). See README.md there.
# Step "fangsong": builds Zhuque Fangsong (朱雀仿宋) from its Glyphs sources with fontmake,
# maps the curly quotes to its full-width glyphs, subsets it the same way and writes
# fangsong-regular.ttf and OFL-Zhuque.txt.
#
# Usage:  bash fonts/make-fonts.sh [STEP...]  STEP = debian | fangsong; default: both
#                                             (debian needs apt-get (root for apt-get update);
#                                              both need python3 with venv and PyPI;
#                                              fangsong needs GitHub or ZHUQUE_SRC, ~4 min, 2 GB)
# Env:    ZONGJIE_SEEDS_DIR   extra text folder whose characters must be covered
#                             (default: ../../shared/seeds relative to this file, if present)
#         ZHUQUE_SRC          folder holding the extracted Zhuque source at the pinned commit
#                             (the one with src/ZhuqueFangsong.glyphspackage and LICENSE.txt),
#                             e.g. from  git -C <clone> archive 227319a16dab | tar -x -C <folder>
#                             Without it the tag's archive is downloaded from GitHub with curl
#                             (ZHUQUE_URL overrides the address, e.g. a mirror or file:///…).
#                             Either way the source is checked against the commit's git tree ids.
#         ZHUQUE_FONTMAKE_TTF use this fontmake output instead of running fontmake (only for
#                             trying the later steps quickly; the committed file must come from a
#                             full run)
#         KEEP_WORK=1         keep the temporary work folder for inspection
#
# The output is deterministic for the pinned package, source and tool versions below
# and the same input text (data/, templates/, seeds/).
set -euo pipefail

# ---------------------------------------------------------------- pinned inputs
NOTO_PKG_VERSION="1:20220127+repack1-1"     # fonts-noto-cjk and fonts-noto-cjk-extra
WENKAI_PKG_VERSION="1.250+repack-1"         # fonts-lxgw-wenkai
FONTTOOLS_VERSION="4.68.0"

# Zhuque Fangsong 朱雀仿宋: https://github.com/TrionesType/zhuque, tag v0.211 (a lightweight
# tag on the commit below). The repository has Glyphs sources only; the font is built here.
ZHUQUE_TAG="v0.211"
ZHUQUE_COMMIT="227319a16dab9b4ce48b8cf168f70f2ffa0ce3d0"
ZHUQUE_URL="${ZHUQUE_URL:-https://github.com/TrionesType/zhuque/archive/refs/tags/$ZHUQUE_TAG.tar.gz}"
# git object ids at that commit (git rev-parse $ZHUQUE_COMMIT:<path>): the source is checked
# against these, so a tree from anywhere (archive, clone, copy) is accepted only if identical.
ZHUQUE_GLYPHSPACKAGE_TREE="fcae93a5912fd829d5b313d8879f278b8d157537"  # src/ZhuqueFangsong.glyphspackage
ZHUQUE_LICENSE_BLOB="1091c8f8b724daaa25b0c941ae3115217744c6c6"        # LICENSE.txt
# The commit's time (2024-12-18 15:22:31 +0800): fontmake writes it as head.modified.
ZHUQUE_SOURCE_DATE_EPOCH=1734506551
# fontmake and everything it pulls in (pip freeze of the build venv), all pinned.
FONTMAKE_PINS=(
  "fontmake==3.12.2" "glyphsLib==6.16.2" "ufo2ft==3.9.1" "fonttools==$FONTTOOLS_VERSION"
  "attrs==26.1.0" "booleanOperations==0.10.0" "cffsubr==0.4.0" "compreffor==0.6.0"
  "fontMath==0.10.0" "lxml==6.1.3" "openstep_plist==0.5.2" "pyclipper==1.4.0"
  "ufoLib2==0.19.1" "unicodedata2==18.0.0"
)

# Face index of "Noto Serif CJK SC" / "Noto Sans CJK SC" inside the .ttc collections
# (order in these collections: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK; Sans also has 5-9 = Mono).
SERIF_SC_INDEX=2
SANS_SC_INDEX=2

FONTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$FONTS_DIR")"
SEEDS_DIR="${ZONGJIE_SEEDS_DIR:-$REPO_DIR/../shared/seeds}"

WORK="$(mktemp -d /tmp/zongjie-fonts.XXXXXX)"
chmod 755 "$WORK"   # so apt's _apt user may write the downloads
cleanup() { if [[ "${KEEP_WORK:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "work folder kept: $WORK"; fi; }
trap cleanup EXIT

log() { printf '==> %s\n' "$*" >&2; }

STEPS=("$@")
[[ ${#STEPS[@]} -gt 0 ]] || STEPS=(debian fangsong)
for s in "${STEPS[@]}"; do
  case $s in debian|fangsong) ;; *) echo "unknown step '$s' (use: debian, fangsong)" >&2; exit 2 ;; esac
done
want() { local s; for s in "${STEPS[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

# ---------------------------------------------------------------- 0. Zhuque source (fangsong)
# Resolved first, so that a missing source stops the script before any long step.
if want fangsong; then
  if [[ -n "${ZHUQUE_SRC:-}" ]]; then
    ZHUQUE_DIR="$(cd "$ZHUQUE_SRC" && pwd)"
    log "Zhuque source: ZHUQUE_SRC=$ZHUQUE_DIR"
  else
    log "Zhuque source: downloading $ZHUQUE_URL"
    curl -fsSL --retry 3 -o "$WORK/zhuque.tar.gz" "$ZHUQUE_URL" || {
      echo "download failed; get the source of commit $ZHUQUE_COMMIT some other way and" \
           "set ZHUQUE_SRC to the extracted folder (see the top of this script)" >&2; exit 1; }
    mkdir -p "$WORK/zhuque-src"
    tar -xzf "$WORK/zhuque.tar.gz" -C "$WORK/zhuque-src" --strip-components=1
    ZHUQUE_DIR="$WORK/zhuque-src"
  fi
  log "checking the Zhuque source against the git ids of commit $ZHUQUE_COMMIT"
  python3 - "$ZHUQUE_DIR" "$ZHUQUE_GLYPHSPACKAGE_TREE" "$ZHUQUE_LICENSE_BLOB" <<'EOF'
import hashlib, os, sys
root, want_tree, want_licence = sys.argv[1:]

def blob_id(path):
    data = open(path, "rb").read()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).digest()

def tree_id(path):  # git's tree object id; every file in the package is mode 100644
    entries = []
    for name in os.listdir(path):
        p, b = os.path.join(path, name), os.fsencode(name)
        if os.path.isdir(p):
            entries.append((b + b"/", b"40000 " + b, tree_id(p)))
        else:
            entries.append((b, b"100644 " + b, blob_id(p)))
    body = b"".join(head + b"\0" + oid for _, head, oid in sorted(entries))
    return hashlib.sha1(b"tree %d\0" % len(body) + body).digest()

pkg = os.path.join(root, "src", "ZhuqueFangsong.glyphspackage")
if not os.path.isdir(pkg):
    sys.exit(f"{root} has no src/ZhuqueFangsong.glyphspackage: not the Zhuque source tree")
got_tree, got_licence = tree_id(pkg).hex(), blob_id(os.path.join(root, "LICENSE.txt")).hex()
print(f"  src/ZhuqueFangsong.glyphspackage tree {got_tree}, LICENSE.txt blob {got_licence}",
      file=sys.stderr)
if (got_tree, got_licence) != (want_tree, want_licence):
    sys.exit(f"{root} is not the pinned Zhuque source (want tree {want_tree}, blob {want_licence})")
EOF
fi

# ---------------------------------------------------------------- 1. download + unpack (debian)
if want debian; then
PKGS=(
  "fonts-noto-cjk=$NOTO_PKG_VERSION"        # Noto Serif/Sans CJK Regular + Bold
  "fonts-noto-cjk-extra=$NOTO_PKG_VERSION"  # the other weights (Sans Medium is here)
  "fonts-lxgw-wenkai=$WENKAI_PKG_VERSION"
)
cd "$WORK"
log "apt-get download ${PKGS[*]}"
if ! apt-get download "${PKGS[@]}"; then
  log "download failed; running apt-get update once and retrying"
  apt-get update
  apt-get download "${PKGS[@]}"
fi
mkdir -p root
for deb in ./*.deb; do
  log "dpkg -x $deb"
  dpkg -x "$deb" root
done
NOTO="$WORK/root/usr/share/fonts/opentype/noto"
SERIF_REG="$NOTO/NotoSerifCJK-Regular.ttc"
SERIF_BOLD="$NOTO/NotoSerifCJK-Bold.ttc"
SANS_MED="$NOTO/NotoSansCJK-Medium.ttc"
KAI_REG="$WORK/root/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
NOTO_COPYRIGHT="$WORK/root/usr/share/doc/fonts-noto-cjk/copyright"
WENKAI_COPYRIGHT="$WORK/root/usr/share/doc/fonts-lxgw-wenkai/copyright"
fi

# ---------------------------------------------------------------- 2. fontTools (pinned, private venv)
log "python3 -m venv + pip install fonttools==$FONTTOOLS_VERSION"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "fonttools==$FONTTOOLS_VERSION"
PY="$WORK/venv/bin/python"
PYFTSUBSET="$WORK/venv/bin/pyftsubset"

# ---------------------------------------------------------------- 3. check the face indices (debian)
if want debian; then
log "checking .ttc face indices"
"$PY" - "$SERIF_REG" "$SERIF_SC_INDEX" "Noto Serif CJK SC" \
        "$SERIF_BOLD" "$SERIF_SC_INDEX" "Noto Serif CJK SC" \
        "$SANS_MED" "$SANS_SC_INDEX" "Noto Sans CJK SC Medium" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
args = sys.argv[1:]
for path, idx, want in zip(args[0::3], args[1::3], args[2::3]):
    coll = TTCollection(path, lazy=True)
    names = [f["name"].getDebugName(1) for f in coll.fonts]
    got = names[int(idx)]
    print(f"  {path.rsplit('/', 1)[-1]}: faces {list(enumerate(names))}", file=sys.stderr)
    if got != want:
        sys.exit(f"face {idx} of {path} is {got!r}, expected {want!r}; fix *_SC_INDEX")
EOF
fi

# ---------------------------------------------------------------- 4. unicode lists
# common.txt : Latin, punctuation, symbols (all fonts)
# serif.txt  : common + every CJK Unified Ideograph U+4E00-9FFF + Ext A U+3400-4DBF
#              + CJK/Kangxi radicals (serif-regular is the fallback for every role)
# gb.txt     : common + the 6763 GB2312 hanzi (bold, sans, kai, fangsong)
# All lists also get every character that occurs in data/, templates/ and the seeds.
log "writing unicode lists"
"$PY" - "$WORK" "$REPO_DIR/data" "$REPO_DIR/templates" "$SEEDS_DIR" <<'EOF'
import os, sys
work, *text_dirs = sys.argv[1:]

def rng(a, b):
    return set(range(a, b + 1))

common = set()
common |= rng(0x0020, 0x007E)   # ASCII
common |= rng(0x00A0, 0x00FF)   # Latin-1 punctuation/letters (× ÷ ± · §)
common |= rng(0x0100, 0x017F)   # Latin Extended-A (pinyin ā ē ī ō ū ń ň)
common |= rng(0x01CD, 0x01DC)   # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
common |= {0x01F8, 0x01F9, 0x0251, 0x0261, 0x1E3F}  # ǹ ɑ ɡ ḿ (GB2312 pinyin row)
common |= rng(0x02C6, 0x02DD)   # spacing modifiers ˇ ˉ ˊ ˋ ˙
common |= rng(0x2000, 0x206F)   # General Punctuation — ‘ ’ “ ” … ‰ ※
common |= rng(0x20A0, 0x20BF)   # currency (€)
common |= rng(0x2100, 0x214F)   # Letterlike ℃ № ™ ℡
common |= rng(0x2150, 0x218F)   # Number Forms Ⅰ–Ⅻ ⅰ–ⅻ
common |= rng(0x2190, 0x21FF)   # Arrows
common |= rng(0x2200, 0x22FF)   # Mathematical Operators ≤ ≥ ≠ ≈ ∶ √ ∑
common |= rng(0x2460, 0x24FF)   # Enclosed Alphanumerics ①–⑳ ⑴–⒇ ⒈–⒛
common |= rng(0x2500, 0x257F)   # Box Drawing (GB2312 row 9)
common |= rng(0x25A0, 0x25FF)   # Geometric Shapes ■ □ ▲ △ ◆ ◇ ○ ● ◎
common |= {0x2605, 0x2606, 0x2610, 0x2611, 0x2612, 0x2640, 0x2642,
           0x2713, 0x2714, 0x2717, 0x2718}  # ★ ☆ ☐ ☑ ☒ ♀ ♂ ✓ ✔ ✗ ✘
common |= rng(0x3000, 0x303F)   # CJK Symbols and Punctuation 、。〇《》【】〔〕
common |= rng(0x3220, 0x3229)   # ㈠–㈩
common |= rng(0x3280, 0x3289)   # ㊀–㊉
common |= rng(0x3380, 0x33DF)   # ㎎ ㎏ ㎞ ㎡ ㏄ …
common |= rng(0xFF00, 0xFFEF)   # Halfwidth and Fullwidth Forms

gb2312_all = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            gb2312_all.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
gb2312_han = {c for c in gb2312_all if 0x4E00 <= c <= 0x9FFF}
assert len(gb2312_han) == 6763, len(gb2312_han)
common |= gb2312_all - gb2312_han   # every GB2312 symbol (Greek, Cyrillic, kana, bopomofo …)

corpus = set()
for d in text_dirs:
    if not os.path.isdir(d):
        print(f"  note: {d} not found, its characters are not added", file=sys.stderr)
        continue
    for dp, dn, fn in sorted(os.walk(d)):
        for name in sorted(fn):
            try:
                text = open(os.path.join(dp, name), encoding="utf-8-sig").read()
            except (UnicodeDecodeError, OSError):
                continue
            corpus |= {ord(ch) for ch in text if ord(ch) >= 0x20 and ch not in "\x7f"}
corpus = {c for c in corpus if not (0xD800 <= c <= 0xDFFF)}

serif_base = common | rng(0x4E00, 0x9FFF) | rng(0x3400, 0x4DBF) \
        | rng(0x2E80, 0x2EFF) | rng(0x2F00, 0x2FDF)
gb_base = common | gb2312_han

for name, base in (("serif", serif_base), ("gb", gb_base)):
    s = base | corpus
    with open(os.path.join(work, name + ".txt"), "w") as f:
        f.write("\n".join("U+%04X" % c for c in sorted(s)) + "\n")
    extra = "".join(chr(c) for c in sorted(corpus - base))
    print(f"  {name}.txt: {len(s)} code points requested; the text folders add "
          f"{len(corpus - base)}: {extra!r}", file=sys.stderr)
EOF

# ---------------------------------------------------------------- 5. subset
# Layout: keep only GPOS kern/palt/halt (proportional/half-width punctuation, used for
# punctuation compression); drop vert/vrt2 and all GSUB. No hinting (PDF/print use).
# All name records are kept (copyright, licence, Chinese names). CFF stays CFF, but is
# desubroutinized: zongjie subsets again per document (allsorts), which copies shared
# subroutines whole; self-contained charstrings make a typical report's PDF 20% smaller.
SUBSET_OPTS=(
  --desubroutinize
  --layout-features=kern,palt,halt
  --name-IDs='*' --name-languages='*' --name-legacy
  --notdef-outline
  --no-hinting
  --drop-tables+=DSIG
)
subset() {  # subset <source> <font-number|-> <unicodes-file> <output>
  local src=$1 num=$2 uni=$3 out=$4
  local extra=()
  [[ $num != - ]] && extra+=(--font-number="$num")
  log "pyftsubset $(basename "$src") ${num/#-/} -> $(basename "$out")"
  "$PYFTSUBSET" "$src" "${extra[@]}" --unicodes-file="$uni" "${SUBSET_OPTS[@]}" --output-file="$out"
}
if want debian; then
subset "$SERIF_REG"  "$SERIF_SC_INDEX" "$WORK/serif.txt" "$WORK/serif-regular.otf"
subset "$SERIF_BOLD" "$SERIF_SC_INDEX" "$WORK/gb.txt"    "$WORK/serif-bold.otf"
subset "$SANS_MED"   "$SANS_SC_INDEX"  "$WORK/gb.txt"    "$WORK/sans-regular.otf"
subset "$KAI_REG"    -                 "$WORK/gb.txt"    "$WORK/kai-subset.ttf"

# In the Noto CJK SC faces U+2014 EM DASH maps to a proportional dash (890/928/900 units),
# and the full-width one (what fwid/locl substitute, also U+2015's glyph) is reachable
# only through GSUB, which zongjie does not run. Chinese text (and 仿宋_GB2312/宋体) treats
# U+2014 as full width: "——" fills two grid cells, the page number is "— 1 —". So point
# U+2014 at U+2015's 1000-unit glyph. hmtx is untouched.
log "mapping U+2014 to the full-width dash in the Noto subsets"
"$PY" - "$WORK" "$FONTS_DIR" serif-regular.otf serif-bold.otf sans-regular.otf <<'EOF'
import os, sys
from fontTools.ttLib import TTFont
work, out_dir, *names = sys.argv[1:]
for n in names:
    f = TTFont(os.path.join(work, n), recalcTimestamp=False)
    best = f.getBestCmap()
    full = best[0x2015]
    assert f["hmtx"][full][0] == 1000, (n, f["hmtx"][full])
    for table in f["cmap"].tables:
        if table.isUnicode() and 0x2014 in table.cmap:
            table.cmap[0x2014] = full
    f.save(os.path.join(out_dir, n), reorderTables=True)
EOF

# LXGW WenKai has the Reserved Font Names "LXGW" and "霞鹜" (OFL §3): a subset is a
# Modified Version, so its primary font name must not use them. Rename the family;
# copyright (0), trademark (7), licence (13, 14) stay; the description says where it came from.
log "renaming the WenKai subset (OFL Reserved Font Names)"
"$PY" - "$WORK/kai-subset.ttf" "$FONTS_DIR/kai-regular.ttf" <<'EOF'
import sys
from fontTools.ttLib import TTFont
src, dst = sys.argv[1:]
f = TTFont(src, recalcTimestamp=False)   # keep head.modified: reproducible output
name = f["name"]
version = name.getDebugName(5)            # "Version 1.250;January 17, 2023"
family, family_zh, ps = "Zongjie Kai", "总结楷体", "ZongjieKai-Regular"
for rec in list(name.names):
    if rec.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22, 25):
        name.removeNames(nameID=rec.nameID)
desc = ("Subset of LXGW WenKai Regular " + version.split(";")[0].replace("Version ", "")
        + " (Debian fonts-lxgw-wenkai), renamed per the OFL Reserved Font Names"
        " \"LXGW\" and \"\u971e\u9e5c\"; made for zongjie.")
name.setName(family, 1, 3, 1, 0x409); name.setName(family, 1, 1, 0, 0)
name.setName(family_zh, 1, 3, 1, 0x804)
name.setName("Regular", 2, 3, 1, 0x804)
name.setName(family + ":" + version.split(";")[0], 3, 3, 1, 0x409)
name.setName(family, 4, 3, 1, 0x409); name.setName(family, 4, 1, 0, 0)
name.setName(family_zh, 4, 3, 1, 0x804)
name.setName(ps, 6, 3, 1, 0x409); name.setName(ps, 6, 1, 0, 0)
name.setName(desc, 10, 3, 1, 0x409)
# Mac-platform Chinese records (platform 1, lang 33) may not be encodable; drop them.
name.names = [r for r in name.names if not (r.platformID == 1 and r.langID != 0)]
f.save(dst, reorderTables=True)
EOF

fi

# ---------------------------------------------------------------- 6. licence texts (debian)
if want debian; then
log "writing licence files"
"$PY" - "$NOTO_COPYRIGHT" "$WENKAI_COPYRIGHT" "$FONTS_DIR" "$NOTO_PKG_VERSION" "$WENKAI_PKG_VERSION" \
        "$SERIF_REG" "$SERIF_SC_INDEX" "$KAI_REG" <<'EOF'
import re, sys, os
from fontTools.ttLib import TTFont
noto_cr, wenkai_cr, out_dir, noto_ver, wenkai_ver, serif, serif_idx, kai = sys.argv[1:]

def ofl_from_debian(path):
    """The 'License: OFL-1.1'/'SIL-1.1' paragraph of a DEP-5 copyright file, unfolded."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^License: (?:OFL-1\.1|SIL-1\.1)\n((?: .*\n?)+)", text, re.M)
    body = []
    for line in m.group(1).splitlines():
        line = line[1:]
        body.append("" if line == "." else line)
    return "\n".join(body).strip("\n") + "\n"

def font_copyright(path, number=-1):
    f = TTFont(path, fontNumber=number, lazy=True) if number >= 0 else TTFont(path, lazy=True)
    return f["name"].getDebugName(0).replace("\r\n", "\n")

noto = (
    "Noto Serif CJK SC / Noto Sans CJK SC (fonts/serif-regular.otf, serif-bold.otf,\n"
    "sans-regular.otf are subsets of them)\n\n"
    + font_copyright(serif, int(serif_idx)) + "\n"
    "Noto is a trademark of Google Inc.\n\n"
    "Debian package fonts-noto-cjk / fonts-noto-cjk-extra " + noto_ver + ",\n"
    "/usr/share/doc/fonts-noto-cjk/copyright: Copyright: 2010-2012, Google Corporation;\n"
    "License: SIL-1.1 (SIL Open Font License 1.1). Upstream: https://github.com/notofonts/noto-cjk\n\n"
    "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
    "This license is copied below, and is also available with a FAQ at:\n"
    "https://openfontlicense.org\n\n"
    + ofl_from_debian(noto_cr)
)
wenkai = (
    "LXGW WenKai 霞鹜文楷 (fonts/kai-regular.ttf is a renamed subset: \"Zongjie Kai\" / 总结楷体)\n\n"
    + font_copyright(kai) + "\n"
    "With Reserved Font Names \"霞鹜\" and \"LXGW\" (hence the subset is renamed).\n"
    "Klee is a trademark of Fontworks Inc.\n\n"
    "Debian package fonts-lxgw-wenkai " + wenkai_ver + ",\n"
    "/usr/share/doc/fonts-lxgw-wenkai/copyright: License: OFL-1.1.\n"
    "Upstream: https://github.com/lxgw/LxgwWenKai\n\n"
    "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
    "This license is copied below, and is also available with a FAQ at:\n"
    "https://openfontlicense.org\n\n"
    + ofl_from_debian(wenkai_cr)
)
for name, text in (("OFL-Noto.txt", noto), ("OFL-LXGWWenKai.txt", wenkai)):
    assert "SIL OPEN FONT LICENSE Version 1.1" in text and "DISCLAIMER" in text, name
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
        f.write(text)
EOF
fi

# ---------------------------------------------------------------- 7. check (debian)
if want debian; then
log "checking the results"
"$PY" - "$FONTS_DIR" "$WORK/serif.txt" "$WORK/gb.txt" <<'EOF'
import os, sys
from fontTools.ttLib import TTFont
out_dir, serif_list, gb_list = sys.argv[1:]
def read(p):
    return {int(l[2:], 16) for l in open(p) if l.strip()}
want = {"serif-regular.otf": read(serif_list)}
for n in ("serif-bold.otf", "sans-regular.otf", "kai-regular.ttf"):
    want[n] = read(gb_list)
gb_han = set()
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try: gb_han.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError: pass
blocks = [("ASCII", 0x20, 0x7E), ("Latin-1", 0xA0, 0xFF), ("GenPunct", 0x2000, 0x206F),
          ("CJKSym", 0x3000, 0x303F), ("FullHalf", 0xFF00, 0xFFEF),
          ("URO 4E00-9FFF", 0x4E00, 0x9FFF), ("ExtA", 0x3400, 0x4DBF)]
total = 0
ok = True
for n, w in want.items():
    path = os.path.join(out_dir, n)
    f = TTFont(path)
    cmap = f.getBestCmap()
    upm = f["head"].unitsPerEm
    adv = f["hmtx"][cmap[0x4E2D]][0]       # 中
    size = os.path.getsize(path)
    total += size
    outl = "CFF" if "CFF " in f else "glyf" if "glyf" in f else "?"
    print(f"  {n}: {size:,} bytes, {f['maxp'].numGlyphs} glyphs, {len(cmap)} code points, "
          f"{outl}, upm {upm}, advance(中)={adv}, name={f['name'].getDebugName(4)!r}")
    print("    advances: " + "  ".join(f"{ch}={f['hmtx'][cmap[ord(ch)]][0]}"
                                      for ch in "，。“”‘’—…（a1 " if ord(ch) in cmap))
    if f["hmtx"][cmap[0x2014]][0] != 1000:
        ok = False
    print("    " + ", ".join(f"{b} {sum(1 for c in cmap if lo <= c <= hi)}/{hi-lo+1}"
                             for b, lo, hi in blocks)
          + f", GB2312 hanzi {len(gb_han & cmap.keys())}/6763")
    missing = sorted(w - cmap.keys())
    miss_han = [c for c in missing if 0x3400 <= c <= 0x9FFF]
    print(f"    requested {len(w)}, missing {len(missing)} (of which Han {len(miss_han)}: "
          f"{''.join(map(chr, miss_han[:40]))}{'…' if len(miss_han) > 40 else ''})")
    if len(gb_han - cmap.keys()):
        ok = False
    han_adv = {f["hmtx"][cmap[c]][0] for c in gb_han if c in cmap}
    print(f"    advances of GB2312 hanzi: {sorted(han_adv)}")
print(f"  total {total:,} bytes")
if not ok:
    sys.exit("some GB2312 hanzi are missing, or U+2014 is not full width")
EOF
fi

# ---------------------------------------------------------------- 8. Zhuque Fangsong (fangsong)
if want fangsong; then
# 8a. build with fontmake (pinned, its own venv, so the debian steps' venv stays as it was)
if [[ -n "${ZHUQUE_FONTMAKE_TTF:-}" ]]; then
  log "NOT building: using ZHUQUE_FONTMAKE_TTF=$ZHUQUE_FONTMAKE_TTF (do not commit the result)"
  ZHUQUE_TTF="$ZHUQUE_FONTMAKE_TTF"
else
  log "python3 -m venv + pip install ${FONTMAKE_PINS[*]}"
  python3 -m venv "$WORK/venv-fontmake"
  "$WORK/venv-fontmake/bin/pip" install --quiet --disable-pip-version-check "${FONTMAKE_PINS[@]}"
  log "fontmake -g ZhuqueFangsong.glyphspackage -o ttf (a few minutes, ~2 GB)"
  mkdir -p "$WORK/zhuque-build"
  # SOURCE_DATE_EPOCH: head.modified (else the build time); PYTHONHASHSEED: no set-order drift.
  ( cd "$WORK/zhuque-build" &&
    SOURCE_DATE_EPOCH="$ZHUQUE_SOURCE_DATE_EPOCH" PYTHONHASHSEED=0 \
      "$WORK/venv-fontmake/bin/fontmake" -g "$ZHUQUE_DIR/src/ZhuqueFangsong.glyphspackage" \
        -o ttf --output-dir "$WORK/zhuque-build" 2>&1 |
      grep -v -e '^DEBUG' -e 'Running .* transformation' || true )
  ZHUQUE_TTF="$WORK/zhuque-build/ZhuqueFangsong-Regular.ttf"
  [[ -f $ZHUQUE_TTF ]] || { echo "fontmake did not write $ZHUQUE_TTF" >&2; exit 1; }
fi
log "fontmake output: $(sha256sum "$ZHUQUE_TTF" | cut -d' ' -f1)  $(stat -c %s "$ZHUQUE_TTF") bytes"

# 8b. Zhuque's cmap maps U+201C/201D/2018/2019 to proportional Alegreya-style quotes (331/176
# units wide). Its full-width (1000-unit) quotes, drawn for Chinese (“ sits at the right of its
# cell, ” at the left), are reachable only through GSUB fwid or the variation sequences
# <quote, U+FE01>, neither of which zongjie uses; Chinese text (and 仿宋_GB2312) sets these
# quotes full width. So point the four code points at the glyphs of <quote, U+FE01>, checking
# that fwid substitutes the same ones. hmtx is untouched. (pyftsubset then drops the cmap
# format 14 table, as the selectors are not in gb.txt, and with it the proportional quotes.)
log "mapping the curly quotes to Zhuque's full-width glyphs"
"$PY" - "$ZHUQUE_TTF" "$WORK/fangsong-full.ttf" <<'EOF'
import sys
from fontTools.ttLib import TTFont
src, dst = sys.argv[1:]
f = TTFont(src, recalcTimestamp=False)
upm = f["head"].unitsPerEm
uvs14 = [t for t in f["cmap"].tables if t.format == 14]
assert len(uvs14) == 1, "no cmap format 14 table"
fe01 = {cp: g for cp, g in uvs14[0].uvsDict[0xFE01]}
gsub = f["GSUB"].table
fwid = {}
for rec in gsub.FeatureList.FeatureRecord:
    if rec.FeatureTag == "fwid":
        for i in rec.Feature.LookupListIndex:
            for st in gsub.LookupList.Lookup[i].SubTable:
                st = getattr(st, "ExtSubTable", st)
                fwid.update(getattr(st, "mapping", {}))
best = f.getBestCmap()
for cp in (0x201C, 0x201D, 0x2018, 0x2019):
    old, new = best[cp], fe01[cp]
    assert fwid.get(old) == new, (hex(cp), old, new, fwid.get(old))
    assert f["hmtx"][new][0] == upm, (new, f["hmtx"][new])
    n = 0
    for t in f["cmap"].tables:
        if t.format != 14 and t.isUnicode() and cp in t.cmap:
            t.cmap[cp] = new
            n += 1
    print(f"  U+{cp:04X} {chr(cp)}: {old} (advance {f['hmtx'][old][0]}) -> {new} "
          f"(advance {f['hmtx'][new][0]}), {n} cmap subtables", file=sys.stderr)
f.save(dst)
EOF

# 8c. subset: same unicode list (gb.txt) and options as kai-regular.ttf, less --desubroutinize
# (CFF only). Zhuque has no kern/palt/halt, so GSUB and GPOS are left empty (GDEF stays, as
# in the other subsets); it has no hinting to drop. Name IDs 256+ (ss05/ss06 names) go.
opts=()
for o in "${SUBSET_OPTS[@]}"; do [[ $o == --desubroutinize ]] || opts+=("$o"); done
SUBSET_OPTS=("${opts[@]}")
subset "$WORK/fangsong-full.ttf" - "$WORK/gb.txt" "$WORK/fangsong-subset.ttf"

# 8d. Zhuque has no Reserved Font Name, so the subset keeps its names (OFL §3 allows it);
# the description (nameID 10, absent upstream) says what was changed.
log "describing the Zhuque subset (nameID 10)"
"$PY" - "$WORK/fangsong-subset.ttf" "$FONTS_DIR/fangsong-regular.ttf" "$ZHUQUE_TAG" "$ZHUQUE_COMMIT" <<'EOF'
import sys
from fontTools.ttLib import TTFont
src, dst, tag, commit = sys.argv[1:]
f = TTFont(src, recalcTimestamp=False)   # keep head.modified (SOURCE_DATE_EPOCH)
desc = (f"Subset of Zhuque Fangsong {tag} (github.com/TrionesType/zhuque, commit {commit[:12]}), "
        "built with fontmake 3.12.2; U+201C U+201D U+2018 U+2019 map to the full-width "
        "quotes (the fwid forms); made for zongjie.")
f["name"].setName(desc, 10, 3, 1, 0x409)
f.save(dst, reorderTables=True)
EOF

# 8e. licence: the repository's LICENSE.txt (copyright line + OFL 1.1), verbatim, after a note.
log "writing OFL-Zhuque.txt"
"$PY" - "$ZHUQUE_DIR/LICENSE.txt" "$FONTS_DIR/fangsong-regular.ttf" "$FONTS_DIR/OFL-Zhuque.txt" \
        "$ZHUQUE_TAG" "$ZHUQUE_COMMIT" <<'EOF'
import sys
from fontTools.ttLib import TTFont
licence, font, dst, tag, commit = sys.argv[1:]
text = open(licence, encoding="utf-8").read()
assert "SIL OPEN FONT LICENSE Version 1.1" in text and "DISCLAIMER" in text
assert "Reserved Font Name" not in text.split("-----")[0], "upstream now has a Reserved Font Name"
name0 = TTFont(font, lazy=True)["name"].getDebugName(0)
head = (
    "Zhuque Fangsong 朱雀仿宋 (fonts/fangsong-regular.ttf is a subset of it, with the curly\n"
    "quotes mapped to its full-width glyphs; see README.md)\n\n"
    f"Font copyright (name table): {name0}\n"
    "No Reserved Font Name.\n\n"
    f"Upstream: https://github.com/TrionesType/zhuque, tag {tag}, commit {commit},\n"
    "file LICENSE.txt, reproduced verbatim below the line.\n"
    "Upstream's README: the Latin letters and symbols are an extrapolated instance of\n"
    "Alegreya (Juan Pablo del Peral, Huerta Tipográfica), also under the SIL Open Font\n"
    "License 1.1.\n\n"
    "========================================================================\n"
)
with open(dst, "w", encoding="utf-8") as out:
    out.write(head + text)
EOF

# 8f. check
log "checking fangsong-regular.ttf"
"$PY" - "$FONTS_DIR/fangsong-regular.ttf" "$WORK/gb.txt" <<'EOF'
import os, sys
from fontTools.ttLib import TTFont
path, gb_list = sys.argv[1:]
want = {int(l[2:], 16) for l in open(gb_list) if l.strip()}
gb_han = set()
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try: gb_han.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError: pass
f = TTFont(path)
cmap, upm, hmtx, name = f.getBestCmap(), f["head"].unitsPerEm, f["hmtx"], f["name"]
problems = []
print(f"  fangsong-regular.ttf: {os.path.getsize(path):,} bytes, {f['maxp'].numGlyphs} glyphs, "
      f"{len(cmap)} code points, upm {upm}, tables {' '.join(sorted(set(f.keys()) - {'GlyphOrder'}))}")
print(f"    family {name.getDebugName(1)!r}, full {name.getDebugName(4)!r}, "
      f"PostScript {name.getDebugName(6)!r}, version {name.getDebugName(5)!r}, "
      f"post format {f['post'].formatType}, head.modified {f['head'].modified}")
print("    advances: " + "  ".join(f"{ch}={hmtx[cmap[ord(ch)]][0]}"
                                  for ch in "，。、：“”‘’—…（《a1 中" if ord(ch) in cmap))
missing = sorted(want - cmap.keys())
miss_han = [c for c in missing if 0x3400 <= c <= 0x9FFF]
print(f"    GB2312 hanzi {len(gb_han & cmap.keys())}/6763; requested {len(want)}, missing "
      f"{len(missing)} (of which Han {len(miss_han)}: {''.join(map(chr, miss_han))})")
han_adv = {hmtx[cmap[c]][0] for c in gb_han if c in cmap}
print(f"    advances of GB2312 hanzi: {sorted(han_adv)}")
if gb_han - cmap.keys(): problems.append("GB2312 hanzi missing")
if han_adv != {upm}: problems.append("hanzi not all 1 em")
for cp in (0x201C, 0x201D, 0x2018, 0x2019):
    if hmtx[cmap[cp]][0] != upm: problems.append(f"U+{cp:04X} not full width")
if not {ord(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"} <= cmap.keys():
    problems.append("ASCII digits/letters missing")
hinting = {"fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX"} & set(f.keys())
if hinting: problems.append(f"hinting tables {hinting}")
if name.getDebugName(1) != "Zhuque Fangsong": problems.append("family name")
if problems:
    sys.exit("fangsong-regular.ttf: " + "; ".join(problems))
EOF
fi

log "done: $(cd "$FONTS_DIR" && ls)"
