#!/usr/bin/env python3
"""zongjie against Typst on the same 总结, and zongjie on a 10,000-case report.

    cargo build --release
    pip install typst
    python3 bench/compare_typst.py [--runs 10]

For the comparison, the 300-odd-case example data/qingshanqu is built by zongjie to PDF
(the whole process: load and check the cases, compute, compose, typeset, subset fonts,
write). Its text (zongjie's own .txt rendering, so the words are identical) is then set by
Typst with the same fonts (fonts/, system fonts ignored), the same page, margins, sizes,
first-line indent and justification. Typst's time is its compile call alone, inside an
already running Python (no interpreter start-up counted), which favours Typst.
Prints a Markdown table for BENCHMARKS.md.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "zongjie")
FONTS = os.path.join(ROOT, "fonts")


def typst_source(txt):
    """The .txt rendering as Typst markup with the 公文 page and roles."""
    lines = txt.split("\n")
    out = [
        '#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),',
        '  footer: context [#set text(size: 14pt); #align(if calc.odd(here().page()) { right } else { left })[— #counter(page).display() —]])',
        '#set text(font: "Noto Serif CJK SC", size: 16pt, lang: "zh", region: "cn")',
        "#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 13pt, spacing: 13pt)",
    ]
    i = 0
    title = []
    while i < len(lines) and lines[i].strip():
        title.append(lines[i].strip())
        i += 1
    out.append('#align(center)[#text(font: "Noto Serif CJK SC", weight: "bold", size: 22pt)[%s]]' % "\\ ".join(title))
    for line in lines[i:]:
        s = line.strip("\u3000 ").strip()
        if not s or s.startswith("\f"):
            continue
        if line.startswith("\u3000\u3000") and s[:2] in ("一、", "二、", "三、", "四、", "五、"):
            out.append('#text(font: "Noto Sans CJK SC", weight: "medium")[%s]' % s)
        elif line.startswith("\u3000\u3000") and s.startswith("（") and "。" in s[:20]:
            head, rest = s.split("。", 1)
            out.append('#text(font: "Zongjie Kai")[%s。]%s' % (head, rest))
        elif not line.startswith("\u3000\u3000"):
            out.append("#align(right)[%s]" % s)
        else:
            out.append(s)
        out.append("")
    return "\n".join(out)


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def big_report(dirname, n):
    """A report like data/qingshanqu with n generated cases."""
    shutil.copy(os.path.join(ROOT, "data", "qingshanqu", "报告.yaml"), os.path.join(dirname, "报告.yaml"))
    units = ["区教育局", "区住建委", "区卫健委", "区民政局", "区交通局", "区农业农村委", "区生态环境局"]
    topics = ["交通建设", "城市管理", "教育", "医疗卫生", "养老服务", "农业农村", "生态环境", "社会保障"]
    with open(os.path.join(dirname, "案件.yaml"), "w", encoding="utf-8") as f:
        for i in range(n):
            kind = ["建议", "提案", "建议", "议案"][i % 4]
            role = ["主办", "协办", "会办", "分办", "主办"][i % 5]
            m, d = 1 + i % 6, 1 + i % 28
            f.write(f"- 编号: 区{kind}第{i}号\n  类别: {kind}\n  标题: 关于加快推进第{i}项民生工程建设的{kind}\n"
                    f"  承办方式: {role}\n  承办单位: {units[i % 7]}\n  级别: {'市级' if i % 6 == 0 else '区级'}\n"
                    f"  领域: {topics[(i * 7 // 3) % 8]}\n  交办日期: 2024-{m:02}-{d:02}\n")
            if i % 50:
                f.write(f"  答复日期: 2024/{m + 2 + i % 3}/{d}\n")
            if role not in ("协办", "会办"):
                f.write(f"  办理结果: {'AABBCD'[i % 6]}\n  面商: {'否' if i % 9 == 0 else '是'}\n  满意度: {['满意', '满意', '基本满意', '不满意'][i % 4]}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    import typst

    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    work = tempfile.mkdtemp()
    report = os.path.join(ROOT, "data", "qingshanqu")
    subprocess.run([BIN, "build", report, "-f", "txt,pdf", "-o", work], check=True, capture_output=True)
    txt = next(os.path.join(work, f) for f in os.listdir(work) if f.endswith(".txt"))
    source = typst_source(open(txt, encoding="utf-8").read())
    src_path = os.path.join(work, "typst.typ")
    open(src_path, "w", encoding="utf-8").write(source)

    def run_zongjie(path, out):
        subprocess.run([BIN, "build", path, "-f", "pdf", "-o", out], check=True, capture_output=True)

    def run_typst():
        return typst.compile(src_path, font_paths=[FONTS], ignore_system_fonts=True)

    cold_code = (
        "import time, typst; t = time.perf_counter(); "
        f"typst.compile({src_path!r}, font_paths=[{FONTS!r}], ignore_system_fonts=True); "
        "print(time.perf_counter() - t)"
    )

    def typst_cold():
        out = subprocess.run([sys.executable, "-c", cold_code], check=True, capture_output=True, text=True)
        return float(out.stdout.strip())

    cold = [typst_cold() for _ in range(args.runs)]
    c_med, c_min = statistics.median(cold), min(cold)

    z_out = os.path.join(work, "z")
    z_med, z_min = median_time(lambda: run_zongjie(report, z_out), args.runs)
    t_pdf = run_typst()
    t_med, t_min = median_time(run_typst, args.runs)
    z_pdf = next(os.path.join(z_out, f) for f in os.listdir(z_out) if f.endswith(".pdf"))

    big = os.path.join(work, "big")
    os.makedirs(big)
    big_report(big, 10_000)
    b_out = os.path.join(work, "b")
    b_med, b_min = median_time(lambda: run_zongjie(big, b_out), max(3, args.runs // 2))

    hb = os.path.join(work, "hb")
    os.makedirs(hb)
    members = [os.path.join(ROOT, "data", name) for name in ("minzhengju", "qingshanqu", "renda")] * 17
    with open(os.path.join(hb, "汇编.yaml"), "w", encoding="utf-8") as f:
        f.write("标题: 江城市2024年建议提案办理工作总结汇编\n编者: 江城市人民政府办公室\n篇目:\n")
        f.writelines(f"  - {m}\n" for m in members[:50])
    h_out = os.path.join(work, "h")
    run_hb = lambda: subprocess.run([BIN, "build", hb, "-f", "pdf,docx", "-o", h_out], check=True, capture_output=True)
    h_med, h_min = median_time(run_hb, max(3, args.runs // 2))
    h_pdf = next(os.path.join(h_out, f) for f in os.listdir(h_out) if f.endswith(".pdf"))

    print(f"| what | median | fastest | PDF size |")
    print(f"|---|---|---|---|")
    print(f"| zongjie build -f pdf, data/qingshanqu (336 cases), whole process | {z_med*1000:.0f} ms | {z_min*1000:.0f} ms | {os.path.getsize(z_pdf)/1024:.0f} KB |")
    version = getattr(typst, "__version__", "")
    print(f"| Typst {version}: the same text and fonts, first compile in a fresh process (timed inside Python, start-up not counted) | {c_med*1000:.0f} ms | {c_min*1000:.0f} ms | {len(t_pdf)/1024:.0f} KB |")
    print(f"| Typst {version}: the same, compiled again in the same process (its caches warm) | {t_med*1000:.0f} ms | {t_min*1000:.0f} ms | |")
    print(f"| zongjie build -f pdf, 10,000 generated cases, whole process | {b_med*1000:.0f} ms | {b_min*1000:.0f} ms | |")
    print(f"| zongjie build -f pdf,docx, a 汇编 of 50 篇 (the three examples, repeated) | {h_med*1000:.0f} ms | {h_min*1000:.0f} ms | {os.path.getsize(h_pdf)/1024:.0f} KB |")
    print(f"\nruns: {args.runs}; zongjie is {c_med / z_med:.1f}× as fast as a cold Typst compile, {t_med / z_med:.1f}× a warm one")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
