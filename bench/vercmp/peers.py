#!/usr/bin/python3
"""Peers of `bench/vercmp/run.ts`, measured the same way over the same ground-truth pairs.

- dpkg: python3-apt's `apt_pkg.version_compare(a, b)` (libapt-pkg, C++), per pair, from a Python loop.
- rpm: python3-rpm's `rpm.labelCompare((e, v, r), (e, v, r))` (librpm, C), per pair, from a Python
  loop. labelCompare takes EVR tuples, not strings: the strings are split into tuples BEFORE the
  timed loop (the peer's best case) and, separately, inside it (a string-to-string compare).
- loop overhead: the same loop calling `operator.is_(a, b)`, a C function of two arguments that
  does nothing else; its time is part of every peer figure above.

Each: one warm-up pass, then 7 rounds of about 0.3 s over all pairs; best and median round, by
wall time and by CPU time (`time.process_time()`), like run.ts. Every result is checked against the `cmp` column first. Run with the Debian python
(`/usr/bin/python3`, where apt-get installs python3-apt and python3-rpm), with the pairs files as
arguments; `run.ts --peers` does that.
"""
import gzip
import json
import operator
import sys
import time

import apt_pkg
import rpm

apt_pkg.init_system()


def load(path):
    with gzip.open(path, 'rt', encoding='utf-8') as handle:
        rows = handle.read().rstrip('\n').split('\n')[1:]
    pairs = [row.split('\t') for row in rows]
    return [p[0] for p in pairs], [p[1] for p in pairs], [int(p[2]) for p in pairs]


def evr(text):
    """rpm's parse of [epoch:]version[-release]: a missing epoch is '0', a missing release None."""
    epoch, colon, rest = text.partition(':')
    if not colon or not epoch.isdigit():
        epoch, rest = '0', text
    version, hyphen, release = rest.partition('-')
    return (epoch, version, release if hyphen else None)


def rate(run, seconds):
    """One round: calls per second of wall time and per second of this process's CPU time."""
    count = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    elapsed = 0.0
    while elapsed < seconds:
        count += run()
        elapsed = time.perf_counter() - start
    return count / elapsed, count / (time.process_time() - cpu_start)


def measure(run):
    rate(run, 0.2)
    rounds = [rate(run, 0.3) for _ in range(7)]
    wall = sorted(r[0] for r in rounds)
    cpu = sorted(r[1] for r in rounds)
    return {'best': wall[-1], 'median': wall[3], 'cpuBest': cpu[-1], 'cpuMedian': cpu[3]}


def sign(value):
    return (value > 0) - (value < 0)


def main(dpkg_path, rpm_path):
    da, db, dcmp = load(dpkg_path)
    ra, rb, rcmp = load(rpm_path)
    rta = [evr(x) for x in ra]
    rtb = [evr(x) for x in rb]
    compare_dpkg = apt_pkg.version_compare
    label_compare = rpm.labelCompare
    is_ = operator.is_

    wrong_dpkg = sum(1 for a, b, c in zip(da, db, dcmp) if sign(compare_dpkg(a, b)) != c)
    wrong_rpm = sum(1 for a, b, c in zip(rta, rtb, rcmp) if label_compare(a, b) != c)

    def apt_loop():
        for a, b in zip(da, db):
            compare_dpkg(a, b)
        return len(da)

    def rpm_loop():
        for a, b in zip(rta, rtb):
            label_compare(a, b)
        return len(rta)

    def rpm_split_loop():
        for a, b in zip(ra, rb):
            label_compare(evr(a), evr(b))
        return len(ra)

    def overhead_dpkg():
        for a, b in zip(da, db):
            is_(a, b)
        return len(da)

    def overhead_rpm():
        for a, b in zip(rta, rtb):
            is_(a, b)
        return len(rta)

    result = {
        'versions': {'python': sys.version.split()[0], 'apt_pkg': apt_pkg.VERSION, 'rpm': rpm.__version__},
        'dpkg': {
            'pairs': len(da),
            'wrong': wrong_dpkg,
            'apt_pkg.version_compare': measure(apt_loop),
            'loop overhead': measure(overhead_dpkg),
        },
        'rpm': {
            'pairs': len(ra),
            'wrong': wrong_rpm,
            'rpm.labelCompare (tuples split before the loop)': measure(rpm_loop),
            'rpm.labelCompare (split in the loop)': measure(rpm_split_loop),
            'loop overhead': measure(overhead_rpm),
        },
    }
    print(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
