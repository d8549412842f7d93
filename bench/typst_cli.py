#!/usr/bin/env python3
"""zongjie against the Typst CLI, whole process against whole process, at three sizes.

    cargo build --release
    cargo install typst-cli --locked --root ~/typst-cli      # once; outside the repository
    python3 bench/typst_cli.py --typst ~/typst-cli/bin/typst [--runs 10]

Both programs set the same words (zongjie's own .txt rendering) with the same fonts (fonts/,
system fonts ignored: Typst with --ignore-system-fonts, zongjie with ZONGJIE_FONT_DIRS empty) on
the same page: A4, the 版心 156 × 225 mm at 37/28 mm, 16 pt body text 28 characters a line
(tracking that fits 28 in 156 mm) on a 28.95 pt line pitch (22 lines), no space inserted
between Chinese and digits, 一、 headings and 篇 titles as bookmarks, page numbers. Each run
is a fresh process that writes its PDF to disk; Typst uses both cores as it does by default,
zongjie one. Page counts are printed so that a layout that drifts from the grid shows.

Sizes: a 4-page report (data/minzhengju), a ~30-page report (data/qingshanqu with 附表 and
列出案件), and a ~300-page 汇编 (data/minzhengju, qingshanqu, renda, zhenrenda repeated).
Prints a Markdown table for BENCHMARKS.md, with peak memory (ru_maxrss of each child, from
wait4: no wrapper process is timed with it).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "zongjie")
FONTS = os.path.join(ROOT, "fonts")

PREAMBLE = r"""
#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer: context [#set text(font: "Noto Serif CJK SC", size: 14pt, tracking: 0pt)
    #align(if calc.odd(here().page()) { right } else { left })[— #counter(page).display() —]])
#set text(font: "Zhuque Fangsong", size: 16pt, lang: "zh", region: "cn",
  tracking: (156mm / 28 - 16pt), cjk-latin-spacing: none,
  top-edge: 0.88em, bottom-edge: -0.12em)
#set par(justify: true, first-line-indent: (amount: 2em, all: true),
  leading: 28.95pt - 1em, spacing: 28.95pt - 1em)
#show heading: it => block(above: 28.95pt - 1em, below: 28.95pt - 1em,
  text(font: "Noto Sans CJK SC", weight: "medium", size: 16pt, h(2em) + it.body))
"""


def esc(s):
    return re.sub(r'([\\#*_`$<>@\[\]~/"])', r"\\\1", s)


def typst_source(txt):
    """zongjie's .txt as Typst markup: title, 一、 headings, （一） run-ins in 楷体, paragraphs,
    the 落款 right-aligned; a form feed starts a new page (a 篇 of a 汇编)."""
    out = [PREAMBLE]
    for block in txt.split("\f"):
        lines = block.split("\n")
        i = 0
        while i < len(lines) and not lines[i].strip():
            i += 1
        title = []
        while i < len(lines) and lines[i].strip():
            title.append(esc(lines[i].strip()))
            i += 1
        if title:
            out.append(
                '#align(center, text(font: "Noto Serif CJK SC", weight: "bold", size: 22pt, tracking: 0pt)[%s])'
                % " \\ ".join(title)
            )
            # One blank grid line under the title, as GB/T 9704 sets it.
            out.append("#v(28.95pt)")
            out.append("")
        for line in lines[i:]:
            s = line.strip("\u3000 ").strip()
            if not s:
                continue
            body = esc(s)
            if line.startswith("\u3000\u3000") and re.match(r"^[一二三四五六七八九十]+、", s):
                out.append("#heading(level: 1)[%s]" % body)
            elif line.startswith("\u3000\u3000") and s.startswith("（") and "。" in s[:24]:
                head, rest = s.split("。", 1)
                out.append('#text(font: "Zongjie Kai")[%s。]%s' % (esc(head), esc(rest)))
            elif not line.startswith("\u3000\u3000"):
                out.append("#align(right)[%s]" % body)
            else:
                out.append(body)
            out.append("")
        out.append("#pagebreak(weak: true)")
    return "\n".join(out)


def run(cmd):
    """Wall time and peak memory (MB) of one process: its own maximum resident set, from
    wait4's rusage, so that no wrapper process (GNU time) adds its start to every run."""
    # zongjie's counterpart of --ignore-system-fonts: no installed font folder at all.
    env = dict(os.environ, ZONGJIE_FONT_DIRS="")
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {err.decode()[:2000]}")
    return wall, usage.ru_maxrss / 1024


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"Pages:\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def inputs(work):
    """The three sizes: (name, path zongjie builds)."""
    small = os.path.join(ROOT, "data", "minzhengju")
    mid = os.path.join(work, "mid")
    shutil.copytree(os.path.join(ROOT, "data", "qingshanqu"), mid)
    with open(os.path.join(mid, "报告.yaml"), "a", encoding="utf-8") as f:
        f.write("附表: 是\n列出案件: 是\n")
    big = os.path.join(work, "big")
    os.makedirs(big)
    names = ["minzhengju", "qingshanqu", "renda", "zhenrenda"]
    members = []
    for k in range(13):
        for n in names:
            d = os.path.join(big, f"{k:02}-{n}")
            shutil.copytree(os.path.join(ROOT, "data", n), d)
            members.append(d)
    with open(os.path.join(big, "汇编.yaml"), "w", encoding="utf-8") as f:
        f.write("标题: 2024年建议提案办理工作总结汇编\n编者: 江城市人民政府办公室\n篇目:\n")
        for m in members:
            f.write(f"  - {os.path.basename(m)}\n")
    return [("4 页报告", small), ("约30页报告（附表、列出案件）", mid), ("约300页汇编（52篇）", big)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--typst", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--zongjie", default=BIN, help="the zongjie binary (default: target/release/zongjie)")
    args = ap.parse_args()
    zongjie = args.zongjie
    if not os.path.exists(zongjie):
        sys.exit("build first: cargo build --release")
    work = tempfile.mkdtemp()
    rows = []
    for name, path in inputs(work):
        txt_dir = os.path.join(work, "txt-" + str(len(rows)))
        subprocess.run([zongjie, "build", path, "-f", "txt", "-o", txt_dir], check=True, capture_output=True)
        txt = next(os.path.join(txt_dir, f) for f in os.listdir(txt_dir) if f.endswith(".txt"))
        typ = os.path.join(work, f"doc{len(rows)}.typ")
        with open(typ, "w", encoding="utf-8") as f:
            f.write(typst_source(open(txt, encoding="utf-8").read()))
        z_out = os.path.join(work, f"z{len(rows)}")
        t_pdf = os.path.join(work, f"t{len(rows)}.pdf")
        z_cmd = [zongjie, "build", path, "-f", "pdf", "-o", z_out]
        t_cmd = [args.typst, "compile", "--font-path", FONTS, "--ignore-system-fonts", typ, t_pdf]
        # Interleaved, so that a passing load on the machine falls on both alike.
        z, t = [], []
        for _ in range(args.runs):
            z.append(run(z_cmd))
            t.append(run(t_cmd))
        z_pdf = next(os.path.join(z_out, f) for f in os.listdir(z_out) if f.endswith(".pdf"))
        zm, tm = statistics.median(w for w, _ in z), statistics.median(w for w, _ in t)
        rows.append(
            (
                name,
                f"{zm * 1000:.1f} ms / {max(m for _, m in z):.0f} MB / {os.path.getsize(z_pdf):,} B / {pages(z_pdf)} 页",
                f"{tm * 1000:.1f} ms / {max(m for _, m in t):.0f} MB / {os.path.getsize(t_pdf):,} B / {pages(t_pdf)} 页",
                f"{zm / tm:.3f}",
                # Three decimals and whole bytes: at two, 203,212 against 203,094 bytes read 1.00.
                f"{os.path.getsize(z_pdf) / os.path.getsize(t_pdf):.3f}",
            )
        )
    print("| input | zongjie (time / peak / size / pages) | Typst CLI (time / peak / size / pages) | time ratio | size ratio |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
