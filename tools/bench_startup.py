#!/usr/bin/env python3
"""Startup-load benchmark of ember-server beside the reference redis-server (tools/bench
--startup).

Two files, each written once by Ember and then loaded by both servers from copies of their own:
- an RDB dump of 1M keys x 100-byte values (SAVE);
- an append-only file of 1M SETs of the same keys and values (appendonly yes, no rewrite: a
  base with no keys and one incr file of the SETs).
Each round starts every server on its copy (the order alternates per round), takes the load
time the server logs ("DB loaded from ...: N seconds"), and stops it. Servers are not pinned:
Ember decodes on a second thread while its engine thread inserts, so it uses two cores where
redis-server uses one. Numbers are medians of the rounds with the spread of the per-round
ratios; nothing is asserted.
"""
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import REDIS_BINARIES, preload  # noqa: E402
from bench_servers import (  # noqa: E402
    BenchError, Server, mode_options, resp_command, run_guarded, write_json)

KEYS = 1_000_000
VALUE_SIZE = 100
LOADED = re.compile(r"DB loaded from (?:disk|append only file): ([0-9.]+) seconds")


def make_server(kind, name, ember_bin, directory, workdir, appendonly):
    common = ["--port", "{PORT}", "--save", "", "--bind", "127.0.0.1", "--dir", directory,
              "--appendonly", "yes" if appendonly else "no", "--auto-aof-rewrite-percentage", "0"]
    if kind == "ember":
        return Server(name, [ember_bin, "--http-port", "0"] + common, ember_bin, workdir, None)
    redis_bin = next((b for b in REDIS_BINARIES if os.access(b, os.X_OK)), None)
    if redis_bin is None:
        raise BenchError("no redis-server (install redis-tools)")
    return Server(name, ["redis-server", "--daemonize", "no"] + common, redis_bin, workdir, None)


def write_files(ember_bin, workdir):
    """Returns the directories holding the dump and the AOF set Ember wrote."""
    rdb_dir, aof_dir = os.path.join(workdir, "rdb"), os.path.join(workdir, "aof")
    for directory, appendonly in ((rdb_dir, False), (aof_dir, True)):
        os.makedirs(directory)
        server = make_server("ember", "writer", ember_bin, directory, workdir, appendonly)
        server.start()
        try:
            preload(server.port, VALUE_SIZE, keys=KEYS)
            if not appendonly:
                resp_command(server.port, "SAVE", timeout=120)
        finally:
            server.stop()
    return rdb_dir, aof_dir


def load_seconds(kind, ember_bin, source_dir, workdir, appendonly, round_index):
    """Starts a server of `kind` on a fresh copy of `source_dir`; the load time it logged."""
    directory = os.path.join(workdir, f"{kind}-{'aof' if appendonly else 'rdb'}-{round_index}")
    shutil.copytree(source_dir, directory)
    server = make_server(kind, f"{kind}-load", ember_bin, directory, workdir, appendonly)
    with open(server.log, "ab") as log:
        start_offset = log.tell()
    server.start()
    try:
        keys = int(resp_command(server.port, "DBSIZE"))
        if keys != KEYS:
            raise BenchError(f"{kind} loaded {keys} keys, expected {KEYS}")
    finally:
        server.stop()
        with open(server.log, errors="replace") as f:
            f.seek(start_offset)
            text = f.read()
        shutil.rmtree(directory, ignore_errors=True)
    match = LOADED.search(text)
    if match is None:
        raise BenchError(f"{kind} logged no load time:\n{text[-2000:]}")
    time.sleep(1)  # let the stopped server's memory go back before the next start
    return float(match.group(1))


def measure(label, ember_bin, source_dir, workdir, appendonly, rounds):
    seconds = {"ember": [], "redis": []}
    for r in range(rounds):
        order = ("ember", "redis") if r % 2 == 0 else ("redis", "ember")
        for kind in order:
            seconds[kind].append(load_seconds(kind, ember_bin, source_dir, workdir, appendonly, r))
    ratios = [e / r for e, r in zip(seconds["ember"], seconds["redis"])]
    row = {"ember_s": statistics.median(seconds["ember"]),
           "redis_s": statistics.median(seconds["redis"]),
           "ratio": statistics.median(ratios), "spread": [min(ratios), max(ratios)],
           "rounds": seconds}
    print(f"  {label:28} ember {row['ember_s']:.3f} s  redis {row['redis_s']:.3f} s  "
          f"ratio {row['ratio']:.2f} ({row['spread'][0]:.2f}..{row['spread'][1]:.2f})",
          flush=True)
    return row


def main():
    opts = mode_options(__doc__, 3)
    workdir = tempfile.mkdtemp(prefix="ember-bench-startup-")
    ember_bin = os.path.abspath(opts.ember)
    results = {"rounds": opts.rounds, "keys": KEYS, "value_size": VALUE_SIZE,
               "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    def body():
        rdb_dir, aof_dir = write_files(ember_bin, workdir)
        print(f"Startup load of {KEYS} keys x {VALUE_SIZE} B (seconds, medians; ratio "
              "ember/redis, lower is better)")
        results["rdb"] = measure("RDB dump", ember_bin, rdb_dir, workdir, False, opts.rounds)
        results["aof"] = measure("AOF of SETs", ember_bin, aof_dir, workdir, True, opts.rounds)
        write_json(opts.out, "startup", results)

    return run_guarded(body, lambda: shutil.rmtree(workdir, ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
