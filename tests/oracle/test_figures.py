#!/usr/bin/env python3
"""Self-test of the oracle (figures.py) on small cases computed by hand (the working is in the
comments). Standard library and PyYAML only.

Run: python3 -m unittest discover -s tests/oracle      (or: python3 tests/oracle/test_figures.py)
"""
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the oracle

import figures as F  # noqa: E402

REPORT = {'单位': '市民政局', '年度': 2024, '截止日期': '2024-12-20', '办理时限': '3个月'}


def case(no, kind='建议', role='主办', **kw):
    c = {'编号': no, '类别': kind, '标题': no, '承办方式': role}
    c.update(kw)
    return c


# Six cases, 截止日期 2024-12-20, 办理时限 3个月 (dates in every form of SPEC §2.2):
CASES = [
    # handed over 2024-11-26 → deadline 2025-02-26, after 截止日期: pending, not overdue, not due.
    case('建议第1号', 交办日期='2024-11-26'),
    # handed over 2024-03-01 → deadline 2024-06-01, unanswered: overdue.
    case('建议第2号', 交办日期='2024/3/1'),
    # answered 2024-06-02, a day after the deadline: late.
    case('建议第3号', 交办日期='2024.3.1', 答复日期='2024.6.2', 办理结果='A', 满意度='满意'),
    # answered on the deadline day: on time.
    case('建议第4号', 交办日期='2024年3月1日', 答复日期='2024年6月1日', 办理结果='C'),
    # no 交办日期, answered: on time (SPEC: counts as on time when answered).
    case('提案第1号', kind='提案', role='协办', 答复日期=dt.date(2024, 5, 1)),
    # carried over from 2023; first answer B, second answer A.
    case('建议第5号', 交办日期=dt.date(2024, 1, 10), 答复日期='2024-03-01', 办理结果='B',
         跨年度='是', 二次答复={'答复日期': '2024-09-01', '办理结果': 'A', '满意度': '满意'}),
]


class NewFigures(unittest.TestCase):
    def setUp(self):
        self.f = F.compute(dict(REPORT, 上年={'总数': 4, '建议': 3}), CASES)

    def test_due_pending_overdue_late(self):
        f = self.f
        self.assertEqual(f['total'], 6)
        # answered: 建议3, 建议4, 提案1, 建议5.
        self.assertEqual(f['answered'], 4)
        # on time: 建议4 (on the deadline day), 提案1 (no 交办日期), 建议5; late: 建议3.
        self.assertEqual(f['on_time'], 3)
        self.assertEqual(f['late'], 1)
        # 建议1 (deadline 2025-02-26) is pending; 建议2 (deadline 2024-06-01) is overdue.
        self.assertEqual(f['pending'], 1)
        self.assertEqual(f['overdue'], 1)
        # due = answered 4 + overdue 1 = total 6 − pending 1.
        self.assertEqual(f['due'], 5)
        self.assertEqual(f['due'], f['total'] - f['pending'])
        self.assertEqual(f['on_time'] + f['late'], f['answered'])

    def test_on_time_rate_is_over_due(self):
        # 3 / 5 = 60.0 (over total it would have been 3 / 6 = 50.0).
        self.assertEqual(self.f['on_time_rate'], 60.0)
        self.assertEqual(self.f['answer_rate'], 66.7)  # 4 / 6 = 66.67, over total as before

    def test_new_and_yoy(self):
        f = self.f
        self.assertEqual(f['carried_over'], 1)
        self.assertEqual(f['new'], 5)  # 6 − 1
        # growth from new: (5 − 4) / 4 = 25.0 (from total it would be 50.0).
        self.assertEqual(f['yoy']['previous_total'], 4)
        self.assertEqual(f['yoy']['growth_percent'], 25.0)
        # 建议 this year: 建议1–4 are new, 建议5 is carried over → 4 against 3: 33.3.
        self.assertEqual(f['yoy']['by_kind'], {'建议': {'previous': 3, 'growth_percent': 33.3}})
        self.assertNotIn('by_level', f['yoy'])

    def test_results_per_kind_and_second_results(self):
        f = self.f
        # 建议 lead cases with a result: 建议3 A, 建议4 C, 建议5 A (its second answer).
        self.assertEqual(f['by_kind']['建议'], {
            'total': 5, '主办': 5, '协办': 0,
            'results': {'A': {'count': 2}, 'B': {'count': 0}, 'C': {'count': 1}, 'D': {'count': 0}},
        })
        self.assertEqual(f['by_kind']['提案'], {
            'total': 1, '主办': 0, '协办': 1,
            'results': {'A': {'count': 0}, 'B': {'count': 0}, 'C': {'count': 0}, 'D': {'count': 0}},
        })
        self.assertNotIn('议案', f['by_kind'])
        self.assertEqual(f['second_results'],
                         {'A': {'count': 1}, 'B': {'count': 0}, 'C': {'count': 0}, 'D': {'count': 0}})
        # 2 : 0 : 1 of 3 → 66.7 / 0 / 33.3
        self.assertEqual(f['results']['A'], {'count': 2, 'percent': 66.7})
        self.assertEqual(f['results']['C'], {'count': 1, 'percent': 33.3})

    def test_absent_keys_are_null_and_key_order_follows_spec(self):
        f = self.f
        self.assertIsNone(f['by_level'])
        self.assertIsNone(f['by_source'])
        self.assertIsNone(f['by_system'])
        self.assertEqual(list(f), [
            'total', 'by_kind', 'by_role', 'by_level', 'answered', 'answer_rate',
            'on_time', 'on_time_rate', 'due', 'pending', 'overdue', 'late',
            'new', 'by_source', 'by_system', 'second_results',
            'lead', 'consulted', 'consult_rate', 'results', 'satisfaction', 'topics', 'units',
            'key_supervised', 'leader_led', 'carried_over', 'second_reply', 'yoy', 'counts'])


class Cutoff(unittest.TestCase):
    # handed over 2024-09-30 → deadline 2024-12-30.
    ONE = [case('建议第1号', 交办日期='2024-09-30')]

    def timing(self, **report):
        f = F.compute(dict({'单位': '甲', '年度': 2024}, **report), self.ONE)
        return f['pending'], f['overdue'], f['due']

    def test_default_is_year_end_without_dates(self):
        self.assertEqual(F.cutoff_date({'年度': 2024}), dt.date(2024, 12, 31))
        self.assertEqual(self.timing(), (0, 1, 1))  # 12-30 is before 12-31: overdue

    def test_default_is_chengwen_date(self):
        self.assertEqual(self.timing(成文日期='2024年12月20日'), (1, 0, 0))

    def test_explicit_cutoff_wins_over_chengwen_date(self):
        self.assertEqual(self.timing(成文日期='2024年12月20日', 截止日期='2024/12/31'), (0, 1, 1))

    def test_deadline_on_the_cutoff_is_due(self):
        # SPEC: due counts unanswered cases whose deadline is on or before 截止日期.
        self.assertEqual(self.timing(截止日期='2024.12.30'), (0, 1, 1))
        self.assertEqual(self.timing(截止日期='2024-12-29'), (1, 0, 0))

    def test_days_limit(self):
        # 90天 from 2024-09-30 → 2024-12-29.
        self.assertEqual(self.timing(办理时限='90天', 截止日期='2024-12-28'), (1, 0, 0))
        self.assertEqual(self.timing(办理时限='90天', 截止日期='2024-12-29'), (0, 1, 1))

    def test_unanswered_without_handover_date_is_overdue(self):
        f = F.compute(REPORT, [case('建议第1号')])
        self.assertEqual((f['pending'], f['overdue'], f['due'], f['on_time_rate']), (0, 1, 1, 0.0))

    def test_month_end(self):
        # 2024-11-30 + 3个月 → 2025-02-28 (no 2-30).
        self.assertEqual(F.deadline(dt.date(2024, 11, 30), '3个月'), dt.date(2025, 2, 28))


class Dates(unittest.TestCase):
    def test_every_form_of_spec_2_2(self):
        for v in ['2023-03-15', '2023/3/15', '2023.3.15', '2023年3月15日', '2023/03/15',
                  dt.date(2023, 3, 15), dt.datetime(2023, 3, 15, 9, 30)]:
            self.assertEqual(F.parse_date(v), dt.date(2023, 3, 15), v)

    def test_not_a_date(self):
        for v in ['2023-3/15', '2023年3月', '15.3.2023']:
            with self.assertRaises(F.OracleError):
                F.parse_date(v)


class UnitsSourcesSystems(unittest.TestCase):
    CASES = [
        case('建议第1号', 承办单位=['甲局', '乙局'], 承办系统='政府', 来源='大会期间',
             答复日期='2024-05-01', 办理结果='A', 满意度='满意'),
        case('建议第2号', role='会办', 承办单位='乙局', 承办系统='政府', 来源='闭会期间',
             答复日期='2024-05-01'),
        case('建议第3号', 承办单位='市中级人民法院', 承办系统='法院', 来源='大会期间', 办理结果='B'),
        case('建议第4号', 承办单位=['乙局', '乙局']),
    ]

    def setUp(self):
        self.f = F.compute(dict(REPORT, 分类方案='三类'), self.CASES)

    def test_joint_case_counts_for_each_unit(self):
        units = {u['name']: u for u in self.f['units']}
        self.assertEqual([u['name'] for u in self.f['units']], ['甲局', '乙局', '市中级人民法院'])
        self.assertEqual(units['甲局']['total'], 1)
        # 乙局: 建议1 (joint, 主办), 建议2 (会办), 建议4 (listed twice, counted once).
        self.assertEqual((units['乙局']['total'], units['乙局']['主办'], units['乙局']['协办'],
                          units['乙局']['answered'], units['乙局']['满意']), (3, 2, 1, 2, 1))
        self.assertEqual(units['乙局']['results']['A'], {'count': 1, 'percent': 100.0})

    def test_by_source_and_by_system(self):
        self.assertEqual(self.f['by_source'], {'大会期间': {'total': 2}, '闭会期间': {'total': 1}})
        self.assertEqual(self.f['by_system'], {
            '政府': {'total': 2, '主办': 1, '协办': 1,
                   'results': {'A': {'count': 1}, 'B': {'count': 0}, 'C': {'count': 0}}},
            '法院': {'total': 1, '主办': 1, '协办': 0,
                   'results': {'A': {'count': 0}, 'B': {'count': 1}, 'C': {'count': 0}}},
        })


class PreviousMap(unittest.TestCase):
    """yoy: each part present where last year's number exists."""

    def test_kind_without_cases_this_year_is_zero(self):
        # This year: 2 建议 (1 carried over). Last year's map: 总数 3, 建议 2, 提案 2.
        cases = [case('建议第1号'), case('建议第2号', 跨年度='是')]
        f = F.compute(dict(REPORT, 上年={'总数': 3, '建议': 2, '提案': 2}), cases)
        self.assertEqual(f['yoy'], {
            'previous_total': 3, 'growth_percent': -66.7,                # (1 − 3) / 3
            'by_kind': {'建议': {'previous': 2, 'growth_percent': -50.0},  # (1 − 2) / 2
                        '提案': {'previous': 2, 'growth_percent': -100.0}},  # no 提案 this year
        })

    def test_levels_only_when_this_year_has_levels(self):
        prev = {'总数': 2, '市级': 1, '区级': 1}
        no_levels = F.compute(dict(REPORT, 上年=prev), [case('建议第1号')])
        self.assertEqual(no_levels['yoy'], {'previous_total': 2, 'growth_percent': -50.0})
        # With 级别: 区级 has no case this year → 0 against 1.
        levels = F.compute(dict(REPORT, 上年=prev), [case('建议第1号', 级别='市级')])
        self.assertEqual(levels['yoy']['by_level'], {
            '市级': {'previous': 1, 'growth_percent': 0.0},
            '区级': {'previous': 1, 'growth_percent': -100.0}})

    def test_zero_previous_has_no_growth(self):
        f = F.compute(dict(REPORT, 上年={'总数': 0}), [case('建议第1号')])
        self.assertEqual(f['yoy'], {'previous_total': 0, 'growth_percent': None})


class PreviousReport(unittest.TestCase):
    """上年 as a report path: last year's side is last year's `new`."""

    def test_yoy_against_last_years_new(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, '上年'))
            # Last year: 5 建议, 1 of them carried over from 2022 → new 4 (市级 3 new, 区级 1).
            last = [case(f'建议第{i}号', 级别='市级') for i in range(1, 4)]
            last += [case('建议第4号', 级别='区级'), case('建议第5号', 级别='区级', 跨年度=True)]
            # ... and one 提案, carried over from 2022: last year's 提案 number is 0 new.
            last += [case('提案第1号', kind='提案', 级别='区级', 跨年度=True)]
            write(os.path.join(d, '上年', '报告.yaml'), {'单位': '甲', '年度': 2023, '案件': last})
            # This year: 6 cases, 1 carried over → new 5 (市级 2, 区级 3).
            this = [case(f'建议第{i}号', 级别='市级') for i in range(1, 3)]
            this += [case(f'建议第{i}号', 级别='区级') for i in range(3, 6)]
            this += [case('建议第6号', 级别='市级', 跨年度='是')]
            report = os.path.join(d, '报告.yaml')
            write(report, {'单位': '甲', '年度': 2024, '案件': this, '上年': '上年/报告.yaml'})
            f = F.figures(report)
            self.assertEqual(f['new'], 5)
            self.assertEqual(f['yoy'], {
                'previous_total': 4, 'growth_percent': 25.0,            # (5 − 4) / 4
                'by_kind': {'建议': {'previous': 4, 'growth_percent': 25.0},
                            '提案': {'previous': 0, 'growth_percent': None}},
                'by_level': {'市级': {'previous': 3, 'growth_percent': -33.3},  # (2 − 3) / 3
                             '区级': {'previous': 1, 'growth_percent': 200.0}},  # (3 − 1) / 1
            })
            # The command line prints the same figures as JSON.
            out = subprocess.run([sys.executable, os.path.join(HERE, 'figures.py'), report],
                                 capture_output=True, text=True, check=True).stdout
            self.assertEqual(json.loads(out), json.loads(json.dumps(f)))


def write(path, data):
    import yaml
    with open(path, 'w', encoding='utf-8') as fh:
        yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)


if __name__ == '__main__':
    unittest.main()
