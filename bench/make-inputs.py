#!/usr/bin/env python3
"""Large inputs for the memory and speed measurements of BENCHMARKS.md and RELIABILITY.md.

    python3 bench/make-inputs.py OUT [--cases 100000] [--parts 1000]

OUT/cases/报告.yaml   a report of N generated cases with 列出案件 (every title in the text)
OUT/huibian/汇编.yaml a 汇编 of M 篇, each a copy of data/minzhengju under its own unit name
"""
import argparse
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOPICS = ["交通建设", "城市管理", "教育", "医疗卫生", "养老服务", "农业农村", "生态环境", "社会保障"]
UNITS = ["区教育局", "区住建委", "区卫健委", "区民政局", "区交通局", "区农业农村委", "区生态环境局"]
RESULTS = ["A", "A", "A", "B", "B", "C", "D"]
SATISFACTION = ["满意", "满意", "满意", "基本满意", "不满意", "未反馈"]


def cases(n):
    """The same records as benches/figures.rs generates."""
    out = []
    for i in range(n):
        kind = ["建议", "提案", "建议", "议案"][i % 4]
        role = ["主办", "协办", "会办", "分办", "主办"][i % 5]
        m, d = 1 + i % 6, 1 + i % 28
        out.append(
            f"- 编号: {kind}第{i}号\n  类别: {kind}\n  标题: 关于加快推进第{i}项民生工程建设的{kind}\n  提出人: 王某某\n"
            f"  承办方式: {role}\n  承办单位: {UNITS[i % len(UNITS)]}\n  级别: {'市级' if i % 6 == 0 else '区级'}\n"
            f"  来源: 区十七届人大五次会议\n  领域: {TOPICS[(i * 7 // 3) % len(TOPICS)]}\n  交办日期: 2024-{m:02}-{d:02}\n"
        )
        if i % 50 != 0:
            out.append(f"  答复日期: 2024/{m + 2 + i % 3}/{d}\n")
        if role not in ("协办", "会办"):
            out.append(
                f"  办理结果: {RESULTS[i % len(RESULTS)]}\n  面商: {'否' if i % 9 == 0 else '是'}\n"
                f"  满意度: {SATISFACTION[i % len(SATISFACTION)]}\n"
            )
        if i % 97 == 0:
            out.append("  重点督办: 是\n  领办领导: 分管副区长\n")
    return "".join(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--parts", type=int, default=1000)
    a = p.parse_args()
    big = os.path.join(a.out, "cases")
    os.makedirs(big, exist_ok=True)
    with open(os.path.join(big, "报告.yaml"), "w", encoding="utf-8") as f:
        f.write("单位: 青山区人民政府\n年度: 2024\n成文日期: 2024-12-26\n案件: 案件.yaml\n列出案件: 是\n附表: 是\n")
    with open(os.path.join(big, "案件.yaml"), "w", encoding="utf-8") as f:
        f.write(cases(a.cases))
    hb = os.path.join(a.out, "huibian")
    os.makedirs(hb, exist_ok=True)
    report = open(os.path.join(ROOT, "data/minzhengju/报告.yaml"), encoding="utf-8").read()
    for n in range(a.parts):
        d = os.path.join(hb, f"{n:04}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "报告.yaml"), "w", encoding="utf-8") as f:
            f.write(report.replace("单位: 江城市民政局", f"单位: 江城市第{n + 1}局"))
        shutil.copy(os.path.join(ROOT, "data/minzhengju/案件.yaml"), d)
    with open(os.path.join(hb, "汇编.yaml"), "w", encoding="utf-8") as f:
        f.write("标题: 江城市2024年建议提案办理工作总结汇编\n编者: 江城市人民政府办公室\n日期: 2024-12-31\n篇目:\n")
        f.write("".join(f"  - {n:04}\n" for n in range(a.parts)))
    print(f"{big}: {a.cases} cases; {hb}: {a.parts} 篇")


if __name__ == "__main__":
    main()
