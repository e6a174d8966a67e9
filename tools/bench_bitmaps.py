"""Bitmap cases for tools/bench: SETBIT into 10k small bitmaps and BITCOUNT of a whole
1 MB string.

Imported by bench.py; every function takes ports (and bench.py's helpers) from the caller.
"""

import random

from bench_collections import pipe, resp

BITMAP_PRELOAD = "bitmaps"  # the case["preload"] token for preload_bitmaps
BIG_BITMAP = "bitmap:1mb"


def preload_bitmaps(port, error):
    """One 1 MB string of random bytes (the same bytes on both servers)."""
    data = random.Random(20261204).randbytes(1 << 20)
    pipe(port, [resp("SET", BIG_BITMAP, data)], error)


def bitmap_cases():
    """SETBIT of bit 8191 of a random one of 10k keys (each grows to 1 KB once, then flips
    a bit in place; redis-benchmark's random numbers are zero-padded, which a bit offset
    refuses, so the randomness is in the key), and BITCOUNT of the whole 1 MB string."""
    def case(name, pipeline, requests, *command):
        args = ["-c", "50", "-P", str(pipeline), "-r", "10000", "-n", str(requests)]
        return {"name": name, "runs": [args + list(command)], "preload": BITMAP_PRELOAD}

    cases = []
    for pipeline, requests in ((1, 150_000), (16, 500_000)):
        cases.append(case(f"SETBIT P{pipeline}", pipeline, requests,
                          "SETBIT", "bitmap:__rand_int__", "8191", "1"))
    for pipeline, requests in ((1, 20_000), (16, 40_000)):
        cases.append(case(f"BITCOUNT(1MB) P{pipeline}", pipeline, requests,
                          "BITCOUNT", BIG_BITMAP))
    return cases
