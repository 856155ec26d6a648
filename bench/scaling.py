#!/usr/bin/env python3
"""Paired scaling measurement: how much longer `ddl` takes on the large
document than on the small one.

The machine's speed drifts over minutes (a shared VM), so the two are timed
in rounds, side by side: each round runs the small document three times
(its median) and the large one once, and gives one ratio. The result is
the median of the rounds' ratios, with the medians of both times.

Usage: bench/scaling.py BIN SMALL_DOC LARGE_DOC [ROUNDS]
"""
import statistics
import subprocess
import sys
import time


def run(binary, doc):
    start = time.perf_counter()
    subprocess.run(
        [binary, "ddl", doc, "--dialect", "postgresql"],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def main():
    binary, small, large = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    run(binary, small)
    run(binary, large)  # warm-up: the file cache and the allocator's pages
    smalls, larges, ratios = [], [], []
    for _ in range(rounds):
        s = statistics.median(run(binary, small) for _ in range(3))
        big = run(binary, large)
        smalls.append(s)
        larges.append(big)
        ratios.append(big / s)
    print(
        f"scaling, {rounds} paired rounds: large {statistics.median(larges) * 1000:.0f} ms, "
        f"small {statistics.median(smalls) * 1000:.1f} ms, "
        f"median ratio {statistics.median(ratios):.2f}x "
        f"(rounds: {', '.join(f'{r:.1f}' for r in sorted(ratios))}; target <= 12x)"
    )


if __name__ == "__main__":
    main()
