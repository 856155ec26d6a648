#!/usr/bin/env python3
"""Runs commands one after the other for N rounds (after 3 warm-ups each)
and prints each command's median wall time and median peak RSS.

    python3 bench/interleave.py 20 "OLD ddl --dialect postgresql /tmp/s10k.toml" \
        "NEW ddl --dialect postgresql /tmp/s10k.toml" ...

Commands are split on spaces and run without a shell, standard output to
/dev/null. On a shared machine whose speed drifts from minute to minute,
running the builds in turn compares them under the same conditions.

With `--pairs` first, the commands are taken two by two (1 and 2, 3 and
4, ...) and each pair's time ratio is also printed: the median, over the
rounds, of the first command's time over the second's in the same round.
A ratio taken within one round is steadier than the ratio of two medians
when the machine's load changes during the run.
"""
import os
import statistics
import sys
import time


def run(cmd):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        null = os.open("/dev/null", os.O_WRONLY)
        os.dup2(null, 1)
        args = cmd.split()
        os.execv(args[0], args)
    _, _, usage = os.wait4(pid, 0)
    return (time.perf_counter() - start) * 1000, usage.ru_maxrss


def main():
    args = sys.argv[1:]
    pairs = bool(args) and args[0] == "--pairs"
    if pairs:
        args = args[1:]
    rounds, cmds = int(args[0]), args[1:]
    for cmd in cmds:
        for _ in range(3):
            run(cmd)
    times = {c: [] for c in cmds}
    rss = {c: [] for c in cmds}
    for _ in range(rounds):
        for cmd in cmds:
            ms, kib = run(cmd)
            times[cmd].append(ms)
            rss[cmd].append(kib)
    for cmd in cmds:
        ts = sorted(times[cmd])
        print(f"{statistics.median(ts):7.1f} ms median (min {ts[0]:.1f}, max {ts[-1]:.1f})"
              f"  {statistics.median(rss[cmd]) / 1024:6.1f} MiB  {cmd}")
    if pairs:
        for first, second in zip(cmds[0::2], cmds[1::2]):
            ratios = sorted(a / b for a, b in zip(times[first], times[second]))
            memory = statistics.median(rss[first]) / statistics.median(rss[second])
            print(f"{statistics.median(ratios):6.2f}x time median of rounds "
                  f"(quartiles {ratios[len(ratios) // 4]:.2f}-{ratios[3 * len(ratios) // 4]:.2f}),"
                  f" {memory:.2f}x peak RSS  {first}  /  {second}")


if __name__ == "__main__":
    main()
