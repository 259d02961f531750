#!/usr/bin/env python3
"""Paired t-tests between single-row comparison tables of the same users (compare's journals,
Docs/results/*.runs.json): each table's per-user metric averaged over its runs, then a
two-sided paired t-test of every table against the first, as compare() does within a table.

Usage: python3 Scripts/paired-ttest.py METRIC FIRST.runs.json OTHER.runs.json ...
Prints a Markdown table: label (the file's stem), mean ± std over runs, relative difference
and p against the first. Needs only the standard library (the t distribution by its
regularized incomplete beta, as LoomRec's Statistics.swift computes it).
"""
import json
import math
import sys


def per_user(path, metric):
    runs = json.load(open(path))["runs"]
    values, totals = {}, []
    for run in runs:
        per = run["perUser"][metric]
        users = per["users"] if isinstance(per, dict) else None
        vals = per["values"] if isinstance(per, dict) else per
        totals.append(run["metrics"][metric])
        for i, v in enumerate(vals):
            key = users[i] if users else i
            values.setdefault(key, []).append(v)
    return {u: sum(v) / len(v) for u, v in values.items()}, totals


def betacf(x, a, b):
    tiny, c, d = 1e-300, 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
    return h


def incomplete_beta(x, a, b):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(a * math.log(x) + b * math.log(1 - x) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)))
    if x > (a + 1) / (a + b + 2):
        return 1 - front * betacf(1 - x, b, a) / b
    return front * betacf(x, a, b) / a


def paired_p(a, b):
    d = [x - y for x, y in zip(a, b)]
    n = len(d)
    m = sum(d) / n
    s = math.sqrt(sum((x - m) ** 2 for x in d) / (n - 1))
    if s == 0:
        return 1.0 if m == 0 else 0.0
    t = m / (s / math.sqrt(n))
    df = n - 1
    return incomplete_beta(df / (df + t * t), df / 2, 0.5)


def main():
    metric, paths = sys.argv[1], sys.argv[2:]
    tables = [(p.split("/")[-1].replace(".runs.json", ""), *per_user(p, metric)) for p in paths]
    first_name, first_users, first_totals = tables[0]
    print(f"| table | {metric} (mean ± std over runs) | vs {first_name} | p |")
    print("| --- | --- | --- | --- |")
    for name, users, totals in tables:
        mean = sum(totals) / len(totals)
        std = math.sqrt(sum((x - mean) ** 2 for x in totals) / (len(totals) - 1)) if len(totals) > 1 else 0
        if name == first_name:
            print(f"| {name} | {mean:.4f} ± {std:.4f} | | |")
            continue
        common = sorted(set(users) & set(first_users), key=str)
        p = paired_p([users[u] for u in common], [first_users[u] for u in common])
        first_mean = sum(first_totals) / len(first_totals)
        print(f"| {name} | {mean:.4f} ± {std:.4f} | {100 * (mean - first_mean) / first_mean:+.1f}% | {p:.3g} |")


if __name__ == "__main__":
    main()
