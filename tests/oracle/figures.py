#!/usr/bin/env python3
"""Independent oracle for the figures of SPEC §2.4.

Reads a 报告.yaml (following its 案件 and 上年 paths) and prints the figures as JSON,
in the shape `zongjie stats --json` must produce. Written from SPEC.md alone, without
looking at the Rust code, so that the two can check each other.

Usage: python3 tests/oracle/figures.py data/minzhengju/报告.yaml > tests/expected/minzhengju.json
Needs PyYAML (pip install pyyaml).

Where SPEC leaves a choice open, the choice made here is written in DECISIONS.md beside this
file. Self-test: python3 -m unittest discover -s tests/oracle (test_figures.py).
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

def is_lead(case):
    return role_of(case) == '主办'


def carried(case):
    return truthy(case.get('跨年度'))


def text_of(case, key):
    """A string-valued key as a string, or None when it is absent."""
    v = case.get(key)
    return None if v is None else str(v)


def units_of(case):
    """The 承办单位 of a case: a string, or a list of strings for a case handled jointly.
    Each unit once, in the order given (DECISIONS.md: a joint case counts for every unit)."""
    v = case.get('承办单位')
    if v is None:
        return []
    names = [str(u) for u in v] if isinstance(v, list) else [str(v)]
    out = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def values_in_order(cases, key):
    """The distinct values of a string key, in order of first appearance."""
    seen = []
    for c in cases:
        v = text_of(c, key)
        if v is not None and v not in seen:
            seen.append(v)
    return seen


def tally(cases, letters, result_of, what):
    """How many of cases have each letter as result_of(case); None is not counted."""
    counts = {l: 0 for l in letters}
    for c in cases:
        r = result_of(c)
        if r is None:
            continue
        if r not in counts:
            raise OracleError(f'{c.get("编号")}: {what} {r!r} not in {letters}')
        counts[r] += 1
    return counts


def second_result(case):
    r = second(case).get('办理结果')
    return None if r is None else str(r)


def results_of(lead_cases, letters):
    """Per letter {count, percent} over lead cases with a (final) 办理结果."""
    counts = tally(lead_cases, letters, final_result, '办理结果')
    pcts = partition([counts[l] for l in letters], sum(counts.values()))
    return {l: {'count': counts[l], 'percent': p} for l, p in zip(letters, pcts)}


def counts_of(lead_cases, letters):
    """Per letter {count} over lead cases with a (final) 办理结果 (by_kind, by_system)."""
    counts = tally(lead_cases, letters, final_result, '办理结果')
    return {l: {'count': counts[l]} for l in letters}


def second_results_of(lead_cases, letters):
    """Per letter {count}: the 办理结果 of the 二次答复 of lead cases."""
    counts = tally(lead_cases, letters, second_result, '二次答复.办理结果')
    return {l: {'count': counts[l]} for l in letters}


def role_split(cases, letters):
    """{total, 主办, 协办, results} with results per letter {count} (by_kind, by_system)."""
    lead = [c for c in cases if is_lead(c)]
    return {
        'total': len(cases),
        '主办': len(lead),
        '协办': len(cases) - len(lead),
        'results': counts_of(lead, letters),
    }


def kind_split(cases, letters):
    """by_kind: per 类别 that has a case, {total, 主办, 协办, results}."""
    out = {}
    for k in KINDS:
        ks = [c for c in cases if c.get('类别') == k]
        if ks:
            out[k] = role_split(ks, letters)
    return out


def new_numbers(cases):
    """(new, {kind: new}, {level: new}): the cases that are not carried over (跨年度), overall,
    per 类别 and per 级别. Every kind and level that has a case is a key, even with 0 new."""
    kinds = {}
    levels = {}
    for c in cases:
        n = 0 if carried(c) else 1
        k = c.get('类别')
        if k in KINDS:
            kinds[k] = kinds.get(k, 0) + n
        lv = text_of(c, '级别')
        if lv is not None:
            levels[lv] = levels.get(lv, 0) + n
    return sum(1 for c in cases if not carried(c)), kinds, levels


def previous_numbers(prev_spec, base_dir):
    """(total or None, {kind: n}, {level: n}) for last year: the map's numbers as given,
    or last year's `new` (overall, per kind, per level) when 上年 is a report."""
    if isinstance(prev_spec, dict):
        total = prev_spec.get('总数')
        kinds = {k: v for k, v in prev_spec.items() if k in KINDS}
        levels = {str(k): v for k, v in prev_spec.items() if k != '总数' and k not in KINDS}
        return total, kinds, levels
    path = os.path.join(base_dir, str(prev_spec))
    _, cases, _ = load_report(path)
    return new_numbers(cases)


def cutoff_date(report):
    """截止日期; default 成文日期, else 年度-12-31."""
    for key in ('截止日期', '成文日期'):
        if report.get(key) is not None:
            return parse_date(report[key])
    try:
        year = int(report.get('年度'))
    except (TypeError, ValueError):
        raise OracleError(f'年度: {report.get("年度")!r}')
    return dt.date(year, 12, 31)


def timing(cases, limit, cutoff):
    """answered, on_time, due, pending, overdue, late as of cutoff."""
    t = dict(answered=0, on_time=0, due=0, pending=0, overdue=0, late=0)
    for c in cases:
        ans = parse_date(c.get('答复日期'))
        assigned = parse_date(c.get('交办日期'))
        limit_day = None if assigned is None else deadline(assigned, limit)
        if ans is not None:
            t['answered'] += 1
            t['due'] += 1
            if limit_day is None or ans <= limit_day:
                t['on_time'] += 1
            else:
                t['late'] += 1
        elif limit_day is not None and limit_day > cutoff:
            t['pending'] += 1
        else:
            # deadline on or before 截止日期, or no 交办日期: due and not answered.
            t['due'] += 1
            t['overdue'] += 1
    total = len(cases)
    assert t['due'] == total - t['pending'], t
    assert t['on_time'] + t['late'] == t['answered'], t
    assert t['answered'] + t['overdue'] + t['pending'] == total, t
    return t


def growth_entry(cur, prev):
    return {'previous': prev, 'growth_percent': growth(cur, prev)}


def compute(report, cases, base_dir='.'):
    """The figures of SPEC §2.4 for a loaded report and its case records, in SPEC's key order."""
    letters = scheme_letters(report.get('分类方案'))
    limit = report.get('办理时限', '3个月')
    cutoff = cutoff_date(report)

    lead = [c for c in cases if is_lead(c)]
    total = len(cases)
    by_kind = kind_split(cases, letters)

    levels = values_in_order(cases, '级别')
    by_level = None
    if levels:
        by_level = {}
        for lv in levels:
            lc = [c for c in cases if text_of(c, '级别') == lv]
            by_level[lv] = {'total': len(lc), 'by_kind': kind_split(lc, letters)}

    t = timing(cases, limit, cutoff)

    carried_over = sum(1 for c in cases if carried(c))
    new = total - carried_over

    sources = values_in_order(cases, '来源')
    by_source = None
    if sources:
        by_source = {s: {'total': sum(1 for c in cases if text_of(c, '来源') == s)} for s in sources}

    systems = values_in_order(cases, '承办系统')
    by_system = None
    if systems:
        by_system = {s: role_split([c for c in cases if text_of(c, '承办系统') == s], letters)
                     for s in systems}

    consulted = sum(1 for c in lead if truthy(c.get('面商')))

    sats = [final_satisfaction(c) for c in lead]
    fb = [s for s in sats if s != '未反馈']
    n_sat, n_basic, n_unsat = fb.count('满意'), fb.count('基本满意'), fb.count('不满意')

    topic_counts = {}
    for c in cases:
        tp = text_of(c, '领域')
        if tp is not None:
            topic_counts[tp] = topic_counts.get(tp, 0) + 1
    first = list(topic_counts)  # dicts keep first-appearance order
    names = sorted(first, key=lambda n: (-topic_counts[n], first.index(n)))
    tden = sum(topic_counts.values())
    tpct = partition([topic_counts[n] for n in names], tden)
    topics = [{'name': n, 'count': topic_counts[n], 'percent': p} for n, p in zip(names, tpct)]

    unit_names = []
    for c in cases:
        for u in units_of(c):
            if u not in unit_names:
                unit_names.append(u)
    units = []
    for u in unit_names:
        uc = [c for c in cases if u in units_of(c)]
        ul = [c for c in uc if is_lead(c)]
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
        _, new_kinds, new_levels = new_numbers(cases)
        yoy = {}
        if p_total is not None:
            yoy['previous_total'] = p_total
            yoy['growth_percent'] = growth(new, p_total)
        # Every part where last year has a number; a kind without a case this year has 0 new.
        yk = {k: growth_entry(new_kinds.get(k, 0), p_kinds[k]) for k in KINDS if k in p_kinds}
        if yk:
            yoy['by_kind'] = yk
        # Per 级别 only when this year's cases have 级别 (by_level present): this year's levels
        # first, then the levels only last year had (0 this year).
        yl = {}
        if by_level is not None:
            for lv in levels + [lv for lv in p_levels if lv not in levels]:
                if lv in p_levels:
                    yl[lv] = growth_entry(new_levels.get(lv, 0), p_levels[lv])
        if yl:
            yoy['by_level'] = yl

    return {
        'total': total,
        'by_kind': by_kind,
        'by_role': {'主办': len(lead), '协办': total - len(lead)},
        'by_level': by_level,
        'answered': t['answered'],
        'answer_rate': rate(t['answered'], total),
        'on_time': t['on_time'],
        'on_time_rate': rate(t['on_time'], t['due']),
        'due': t['due'],
        'pending': t['pending'],
        'overdue': t['overdue'],
        'late': t['late'],
        'new': new,
        'by_source': by_source,
        'by_system': by_system,
        'second_results': second_results_of(lead, letters),
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
        'carried_over': carried_over,
        'second_reply': sum(1 for c in cases if c.get('二次答复')),
        'yoy': yoy,
        'counts': report.get('统计') or {},
    }


def figures(report_path):
    report, cases, report_path = load_report(report_path)
    return compute(report, cases, os.path.dirname(os.path.abspath(report_path)))


def main(argv):
    if len(argv) != 2:
        print('usage: figures.py <报告.yaml>', file=sys.stderr)
        return 2
    try:
        out = figures(argv[1])
    except (OracleError, OSError, yaml.YAMLError, ValueError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
