#!/usr/bin/env python3
"""Independent oracle for the figures of SPEC §2.4.

Reads a 报告.yaml (following its 案件 and 上年 paths) and prints the figures as JSON,
in the shape `zongjie stats --json` must produce. Written from SPEC.md alone, without
looking at the Rust code, so that the two can check each other.

Usage: python3 tests/oracle/figures.py data/minzhengju/报告.yaml > tests/expected/minzhengju.json
Needs PyYAML (pip install pyyaml).
"""
import calendar
import datetime as dt
import json
import os
import re
import sys

import yaml

KINDS = ['建议', '议案', '提案']
LEAD_ROLES = {'主办', '分办', '独办'}
HELP_ROLES = {'协办', '会办'}
SCHEMES = {'四类': ['A', 'B', 'C', 'D'], '三类': ['A', 'B', 'C']}
SATISFACTION = ['满意', '基本满意', '不满意', '未反馈']


class OracleError(Exception):
    pass


# ------------------------------------------------------------------ loading

def load_yaml(path):
    with open(path, encoding='utf-8-sig') as f:
        return yaml.safe_load(f)


def load_cases(report, base_dir):
    spec = report.get('案件')
    if spec is None:
        return []
    items = [spec] if isinstance(spec, str) else spec
    if not isinstance(items, list):
        raise OracleError('案件 must be a path, a list of paths or a list of records')
    cases = []
    for item in items:
        if isinstance(item, str):
            data = load_yaml(os.path.join(base_dir, item))
            if data is None:
                data = []
            if not isinstance(data, list):
                raise OracleError(f'{item}: expected a list of case records')
            cases.extend(data)
        elif isinstance(item, dict):
            cases.append(item)
        else:
            raise OracleError(f'案件: unexpected item {item!r}')
    return cases


def load_report(path):
    if os.path.isdir(path):
        path = os.path.join(path, '报告.yaml')
    report = load_yaml(path)
    if not isinstance(report, dict):
        raise OracleError(f'{path}: not a mapping')
    return report, load_cases(report, os.path.dirname(os.path.abspath(path))), path


# ------------------------------------------------------------------ values

DATE_SEP = re.compile(r'^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$')
DATE_CN = re.compile(r'^(\d{4})年(\d{1,2})月(\d{1,2})日$')


def parse_date(v):
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    m = DATE_SEP.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
    else:
        m = DATE_CN.match(s)
        if not m:
            raise OracleError(f'not a date: {v!r}')
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return dt.date(y, mo, d)


def truthy(v):
    if isinstance(v, bool):
        return v
    if v is None:
        return False
    s = str(v).strip().lower()
    if s in ('是', 'true'):
        return True
    if s in ('否', 'false', ''):
        return False
    raise OracleError(f'not a boolean: {v!r}')


def add_months(d, n):
    m0 = d.month - 1 + n
    y = d.year + m0 // 12
    m = m0 % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def deadline(assigned, limit):
    s = str(limit).strip()
    m = re.fullmatch(r'(\d+)\s*个月', s)
    if m:
        return add_months(assigned, int(m.group(1)))
    m = re.fullmatch(r'(\d+)\s*天', s)
    if m:
        return assigned + dt.timedelta(days=int(m.group(1)))
    raise OracleError(f'办理时限: {limit!r}')


def scheme_letters(scheme):
    if scheme is None:
        return SCHEMES['四类']
    if isinstance(scheme, dict):
        return [str(k) for k in scheme]
    if scheme in SCHEMES:
        return SCHEMES[scheme]
    raise OracleError(f'分类方案: {scheme!r}')


def role_of(case):
    r = case.get('承办方式')
    if r in LEAD_ROLES:
        return '主办'
    if r in HELP_ROLES:
        return '协办'
    raise OracleError(f'{case.get("编号")}: 承办方式 {r!r}')


def second(case):
    s = case.get('二次答复')
    return s if isinstance(s, dict) else {}


def final_result(case):
    s = second(case)
    if s.get('办理结果') is not None:
        return str(s['办理结果'])
    r = case.get('办理结果')
    return None if r is None else str(r)


def final_satisfaction(case):
    s = second(case)
    if s.get('满意度') is not None:
        v = s['满意度']
    else:
        v = case.get('满意度')
    v = '未反馈' if v is None else str(v)
    if v not in SATISFACTION:
        raise OracleError(f'{case.get("编号")}: 满意度 {v!r}')
    return v


# ------------------------------------------------------------------ arithmetic

def rate(num, den):
    """Tenths of a percent, half up; a rate below 100% never shows 100, a non-zero one never 0."""
    if den == 0:
        return None
    tenths = (2 * num * 1000 + den) // (2 * den)
    if num < den and tenths == 1000:
        tenths = 999
    if num > 0 and tenths == 0:
        tenths = 1
    return tenths / 10


def partition(counts, den):
    """Largest remainder in tenths; the parts sum to exactly 1000 tenths."""
    if den == 0:
        return [None] * len(counts)
    base = [c * 1000 // den for c in counts]
    rem = [c * 1000 % den for c in counts]
    missing = 1000 - sum(base)
    order = sorted(range(len(counts)), key=lambda i: (-rem[i], i))
    for i in order[:missing]:
        base[i] += 1
    for i, c in enumerate(counts):
        if c > 0 and base[i] == 0:
            top = max(base)
            j = base.index(top)
            base[j] -= 1
            base[i] += 1
    assert sum(base) == 1000, (counts, den, base)
    return [b / 10 for b in base]


def growth(cur, prev):
    if prev == 0:
        return None
    num = 1000 * (cur - prev)
    q = (2 * abs(num) + prev) // (2 * prev)
    return (q if num >= 0 else -q) / 10


# ------------------------------------------------------------------ figures

def kind_split(cases):
    out = {}
    for k in KINDS:
        ks = [c for c in cases if c.get('类别') == k]
        if ks:
            out[k] = {
                'total': len(ks),
                '主办': sum(1 for c in ks if role_of(c) == '主办'),
                '协办': sum(1 for c in ks if role_of(c) == '协办'),
            }
    return out


def results_of(lead_cases, letters):
    counts = {l: 0 for l in letters}
    for c in lead_cases:
        r = final_result(c)
        if r is None:
            continue
        if r not in counts:
            raise OracleError(f'{c.get("编号")}: 办理结果 {r!r} not in {letters}')
        counts[r] += 1
    den = sum(counts.values())
    pcts = partition([counts[l] for l in letters], den)
    return {l: {'count': counts[l], 'percent': p} for l, p in zip(letters, pcts)}


def previous_numbers(prev_spec, base_dir):
    """(total or None, {kind: n}, {level: n}) for last year."""
    if isinstance(prev_spec, dict):
        total = prev_spec.get('总数')
        kinds = {k: v for k, v in prev_spec.items() if k in KINDS}
        levels = {k: v for k, v in prev_spec.items() if k != '总数' and k not in KINDS}
        return total, kinds, levels
    path = os.path.join(base_dir, str(prev_spec))
    _, cases, _ = load_report(path)
    kinds = {k: v['total'] for k, v in kind_split(cases).items()}
    levels = {}
    for c in cases:
        lv = c.get('级别')
        if lv is not None:
            levels[str(lv)] = levels.get(str(lv), 0) + 1
    return len(cases), kinds, levels


def figures(report_path):
    report, cases, report_path = load_report(report_path)
    base_dir = os.path.dirname(os.path.abspath(report_path))
    letters = scheme_letters(report.get('分类方案'))
    limit = report.get('办理时限', '3个月')

    lead = [c for c in cases if role_of(c) == '主办']
    total = len(cases)
    by_kind = kind_split(cases)

    levels = []
    for c in cases:
        lv = c.get('级别')
        if lv is not None and str(lv) not in levels:
            levels.append(str(lv))
    by_level = None
    if levels:
        by_level = {}
        for lv in levels:
            lc = [c for c in cases if c.get('级别') is not None and str(c['级别']) == lv]
            by_level[lv] = {'total': len(lc), 'by_kind': kind_split(lc)}

    answered = on_time = 0
    for c in cases:
        ans = parse_date(c.get('答复日期'))
        if ans is None:
            continue
        answered += 1
        assigned = parse_date(c.get('交办日期'))
        if assigned is None or ans <= deadline(assigned, limit):
            on_time += 1

    consulted = sum(1 for c in lead if truthy(c.get('面商')))

    sats = [final_satisfaction(c) for c in lead]
    fb = [s for s in sats if s != '未反馈']
    n_sat, n_basic, n_unsat = fb.count('满意'), fb.count('基本满意'), fb.count('不满意')

    topic_counts = {}
    for c in cases:
        t = c.get('领域')
        if t is not None:
            topic_counts[str(t)] = topic_counts.get(str(t), 0) + 1
    first = list(topic_counts)  # dicts keep first-appearance order
    names = sorted(first, key=lambda n: (-topic_counts[n], first.index(n)))
    tden = sum(topic_counts.values())
    tp = partition([topic_counts[n] for n in names], tden)
    topics = [{'name': n, 'count': topic_counts[n], 'percent': p} for n, p in zip(names, tp)]

    unit_names = []
    for c in cases:
        u = c.get('承办单位')
        if u is not None and str(u) not in unit_names:
            unit_names.append(str(u))
    units = []
    for u in unit_names:
        uc = [c for c in cases if c.get('承办单位') is not None and str(c['承办单位']) == u]
        ul = [c for c in uc if role_of(c) == '主办']
        units.append({
            'name': u,
            'total': len(uc),
            '主办': len(ul),
            '协办': len(uc) - len(ul),
            'answered': sum(1 for c in uc if parse_date(c.get('答复日期')) is not None),
            'results': results_of(ul, letters),
            '满意': sum(1 for c in ul if final_satisfaction(c) == '满意'),
        })

    yoy = None
    if report.get('上年') is not None:
        p_total, p_kinds, p_levels = previous_numbers(report['上年'], base_dir)
        yoy = {}
        if p_total is not None:
            yoy['previous_total'] = p_total
            yoy['growth_percent'] = growth(total, p_total)
        yk = {k: {'previous': p_kinds[k], 'growth_percent': growth(by_kind[k]['total'], p_kinds[k])}
              for k in KINDS if k in by_kind and k in p_kinds}
        if yk:
            yoy['by_kind'] = yk
        yl = {}
        if by_level:
            for lv in by_level:
                if lv in p_levels:
                    yl[lv] = {'previous': p_levels[lv], 'growth_percent': growth(by_level[lv]['total'], p_levels[lv])}
        if yl:
            yoy['by_level'] = yl

    return {
        'total': total,
        'by_kind': by_kind,
        'by_role': {'主办': len(lead), '协办': total - len(lead)},
        'by_level': by_level,
        'answered': answered,
        'answer_rate': rate(answered, total),
        'on_time': on_time,
        'on_time_rate': rate(on_time, total),
        'lead': len(lead),
        'consulted': consulted,
        'consult_rate': rate(consulted, len(lead)),
        'results': results_of(lead, letters),
        'satisfaction': {
            'feedback': len(fb),
            '满意': n_sat,
            '基本满意': n_basic,
            '不满意': n_unsat,
            'satisfied_rate': rate(n_sat, len(fb)),
            'satisfied_or_basic_rate': rate(n_sat + n_basic, len(fb)),
        },
        'topics': topics,
        'units': units,
        'key_supervised': sum(1 for c in cases if truthy(c.get('重点督办'))),
        'leader_led': sum(1 for c in cases if c.get('领办领导') not in (None, '')),
        'carried_over': sum(1 for c in cases if truthy(c.get('跨年度'))),
        'second_reply': sum(1 for c in cases if c.get('二次答复')),
        'yoy': yoy,
        'counts': report.get('统计') or {},
    }


def main(argv):
    if len(argv) != 2:
        print('usage: figures.py <报告.yaml>', file=sys.stderr)
        return 2
    try:
        out = figures(argv[1])
    except (OracleError, OSError, yaml.YAMLError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
