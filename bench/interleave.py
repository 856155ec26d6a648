#!/usr/bin/env python3
"""Runs commands one after the other for N rounds (after 3 warm-ups each)
and prints each command's median wall time and median peak RSS.

    python3 bench/interleave.py 20 "OLD ddl --dialect postgresql /tmp/s10k.toml" \
        "NEW ddl --dialect postgresql /tmp/s10k.toml" ...

Commands are split on spaces and run without a shell, standard output to
/dev/null. On a shared machine whose speed drifts from minute to minute,
running the builds in turn compares them under the same conditions.
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
    rounds, cmds = int(sys.argv[1]), sys.argv[2:]
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


if __name__ == "__main__":
    main()
