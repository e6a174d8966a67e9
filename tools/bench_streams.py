"""Stream cases for tools/bench: XADD into 10k streams with generated IDs, and XRANGE of 100
entries from a random point of a 100k-entry stream; and the memory row of one stream of 1M
two-field entries.

Imported by bench.py (cases) and bench_collections.py (memory row).
"""

from bench_collections import pipe, resp

STREAM_PRELOAD = "streams"  # the case["preload"] token for preload_streams
BIG_STREAM = "stream:big"


def preload_streams(port, error):
    """One stream of 100k entries with explicit IDs 1-0 .. 100000-0, two fields each."""
    def commands():
        for i in range(1, 100_001):
            yield resp("XADD", BIG_STREAM, b"%d-0" % i, "name", b"user%d" % i, "score",
                       i * 7 % 1000)
    pipe(port, commands(), error)


def stream_cases():
    """XADD with `*` into a random one of 100k streams (each grows by a node every 100 adds),
    and XRANGE COUNT 100 from a random millisecond of the preloaded stream (redis-benchmark's
    zero-padded random numbers read as IDs)."""
    def case(name, pipeline, requests, *command):
        args = ["-c", "50", "-P", str(pipeline), "-r", "100000", "-n", str(requests)]
        return {"name": name, "runs": [args + list(command)], "preload": STREAM_PRELOAD}

    cases = []
    for pipeline, requests in ((1, 150_000), (16, 500_000)):
        cases.append(case(f"XADD P{pipeline}", pipeline, requests, "XADD",
                          "stream:__rand_int__", "*", "name", "user__rand_int__", "score", "42"))
    for pipeline, requests in ((1, 50_000), (16, 100_000)):
        cases.append(case(f"XRANGE(COUNT 100) P{pipeline}", pipeline, requests, "XRANGE",
                          BIG_STREAM, "__rand_int__", "+", "COUNT", "100"))
    return cases


def stream_memory_row():
    """(name, units, commands) of one stream of 1M entries, two short fields each."""
    def big_stream():
        for start in range(1, 1_000_001, 100):
            for i in range(start, start + 100):
                yield resp("XADD", "bigstream", b"%d-0" % i, "name", b"user%d" % i, "score",
                           i * 7 % 1000)
    return ("1 stream of 1M x2 fields (per entry)", 1_000_000, big_stream)
