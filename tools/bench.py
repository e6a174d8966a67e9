#!/usr/bin/env python3
"""Side-by-side benchmark of ember-server and the reference redis-server (driver of tools/bench).

tools/bench installs packages and builds; this script starts both servers on free loopback
ports (persistence off), preloads the same keys into both, runs the same redis-benchmark
cases alternately (ember, redis, redis, ember, ...), the PUBLISH fan-out rows with their own
subscriber process (bench_pubsub.py), measures memory per key and the BLPOP wake latency
(bench_wake.py), and writes a table, JSON and CSV (and a PNG when gnuplot is installed)
through bench_report.py. Standard library only.
"""

import argparse
import contextlib
import csv
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
from bench_bitmaps import BITMAP_PRELOAD, bitmap_cases, preload_bitmaps
from bench_streams import STREAM_PRELOAD, preload_streams, stream_cases
from bench_collections import (GEO_PRELOAD, HLL_PRELOAD, PRELOAD, collection_cases, geo_cases,
                               hll_cases, measure_collection_memory, measure_memory_row,
                               preload_collections, preload_geo, preload_hlls)
from bench_pubsub import Subscribers, publish_cases
from bench_scripts import load_scripts, script_cases
from bench_report import HEADER, print_memory, print_row, write_outputs
from bench_wake import measure_wake_latency, print_wake
from bench_servers import (BenchError, Server, child_setup, free_port, resp_command, run_guarded,
                           vm_rss_bytes)

KEYSPACE = 1_000_000
REDIS_BINARIES = ["/usr/bin/redis-server", "/usr/bin/redis-check-rdb"]
RUN_TIMEOUT = 600  # seconds, per redis-benchmark run


# ---------------------------------------------------------------------------------------------
# Benchmark cases. "args" are redis-benchmark arguments after -h/-p; "preload" names the value
# size the 1M keys must hold before the case runs; "parallel" cases run one redis-benchmark per
# argument list at once and sum their rates (the 50/50 mix).
def make_cases(quick):
    def case(name, tests, clients, pipeline, size, requests, preload=None):
        args = ["-t", tests, "-c", str(clients), "-P", str(pipeline), "-d", str(size),
                "-r", str(KEYSPACE), "-n", str(requests)]
        return {"name": name, "runs": [args], "preload": preload}

    if quick:
        return [
            case("SET d3 P1", "set", 50, 1, 3, 50_000, preload=3),
            case("GET d3 P1", "get", 50, 1, 3, 50_000, preload=3),
            case("SET d3 P16", "set", 50, 16, 3, 200_000, preload=3),
            case("GET d3 P16", "get", 50, 16, 3, 200_000, preload=3),
        ]
    cases = [
        case("SET d3 P1", "set", 50, 1, 3, 150_000, preload=3),
        case("GET d3 P1", "get", 50, 1, 3, 150_000, preload=3),
        case("SET d3 P16", "set", 50, 16, 3, 1_000_000, preload=3),
        case("GET d3 P16", "get", 50, 16, 3, 1_000_000, preload=3),
        case("INCR P1", "incr", 50, 1, 3, 150_000),
        case("MSET(10) P1", "mset", 50, 1, 3, 50_000),
    ]
    # 50/50 SET/GET mix: two redis-benchmark processes of 25 connections each, run together.
    mix = [["-t", t, "-c", "25", "-P", "1", "-d", "3", "-r", str(KEYSPACE), "-n", "75000"]
           for t in ("set", "get")]
    cases.append({"name": "SET+GET 50/50 P1", "runs": mix, "preload": 3})
    cases += [
        case("SET d1024 P1", "set", 50, 1, 1024, 150_000, preload=1024),
        case("GET d1024 P1", "get", 50, 1, 1024, 150_000, preload=1024),
        case("SET d1024 P16", "set", 50, 16, 1024, 500_000, preload=1024),
        case("GET d1024 P16", "get", 50, 16, 1024, 500_000, preload=1024),
    ]
    # Lists: redis-benchmark's own tests, on its one "mylist" key, in an order where each pop
    # finds the elements the pushes before it left (LRANGE_* push their 600 elements first).
    for tests in ("lpush", "rpush", "lpop", "rpop", "lrange_100", "lrange_600"):
        for pipeline, requests in ((1, 150_000), (16, 500_000)):
            if tests.startswith("lrange"):
                requests //= 5
            cases.append(case(f"{tests.upper()} P{pipeline}", tests, 50, pipeline, 3, requests))
    # Sorted sets: redis-benchmark's ZADD fills its one "myzset" with random members (a large
    # set, the skiplist form); ZRANGE and ZRANK read it; ZPOPMIN drains it, so it comes last.
    def command_case(name, pipeline, requests, *command):
        args = ["-c", "50", "-P", str(pipeline), "-r", str(KEYSPACE), "-n", str(requests)]
        return {"name": name, "runs": [args + list(command)], "preload": None}

    for pipeline, requests in ((1, 150_000), (16, 500_000)):
        cases.append(case(f"ZADD P{pipeline}", "zadd", 50, pipeline, 3, requests))
    for pipeline, requests in ((1, 50_000), (16, 100_000)):
        cases.append(command_case(f"ZRANGE(100) WITHSCORES P{pipeline}", pipeline, requests,
                                  "ZRANGE", "myzset", "0", "99", "WITHSCORES"))
    for pipeline, requests in ((1, 150_000), (16, 500_000)):
        cases.append(command_case(f"ZRANK P{pipeline}", pipeline, requests,
                                  "ZRANK", "myzset", "element:__rand_int__"))
    for pipeline, requests in ((1, 100_000), (16, 200_000)):
        cases.append(case(f"ZPOPMIN P{pipeline}", "zpopmin", 50, pipeline, 3, requests))
    return (cases + script_cases(KEYSPACE, 3) + collection_cases() + bitmap_cases()
            + hll_cases() + geo_cases() + stream_cases() + publish_cases())


# ---------------------------------------------------------------------------------------------
def info_field(port, section, field):
    for line in resp_command(port, "INFO", section).splitlines():
        if line.startswith(field + ":"):
            return int(line.split(":", 1)[1])
    raise BenchError(f"port {port}: INFO {section} has no {field}")


def make_servers(ember_bin, workdir, pin):
    cpu = 0 if pin else None
    # Each server has a data directory of its own, so their AOF sets never mix (--aof).
    ember_dir, redis_dir = os.path.join(workdir, "ember"), os.path.join(workdir, "redis")
    os.makedirs(ember_dir)
    os.makedirs(redis_dir)
    ember = Server("ember", [ember_bin, "--port", "{PORT}", "--save", "", "--http-port", "0",
                             "--bind", "127.0.0.1", "--dir", ember_dir], ember_bin, workdir, cpu)
    redis_bin = next((b for b in REDIS_BINARIES if os.access(b, os.X_OK)), None)
    if redis_bin is None:
        raise BenchError("no redis-server (install redis-tools)")
    # redis-check-rdb is the redis-server binary; argv[0] "redis-server" selects server mode.
    redis = Server("redis", ["redis-server", "--port", "{PORT}", "--save", "", "--appendonly",
                             "no", "--bind", "127.0.0.1", "--daemonize", "no", "--dir", redis_dir],
                   redis_bin, workdir, cpu)
    return ember, redis


# ---------------------------------------------------------------------------------------------
def preload(port, value_size, ttl_seconds=None, keys=KEYSPACE):
    """SETs key:000000000000.. (redis-benchmark -r names) through redis-cli --pipe."""
    proc = subprocess.Popen(["redis-cli", "-p", str(port), "--pipe"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=child_setup())
    value = b"v" * value_size
    if ttl_seconds is None:
        head = b"*3\r\n$3\r\nSET\r\n$16\r\n"
        tail = b"\r\n$%d\r\n%s\r\n" % (value_size, value)
    else:
        ttl = str(ttl_seconds).encode()
        head = b"*5\r\n$3\r\nSET\r\n$16\r\n"
        tail = b"\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$%d\r\n%s\r\n" % (value_size, value, len(ttl), ttl)
    chunk = 10_000
    try:
        for start in range(0, keys, chunk):
            proc.stdin.write(b"".join(head + b"key:%012d" % i + tail
                                      for i in range(start, min(start + chunk, keys))))
        proc.stdin.close()
    except BrokenPipeError:
        pass
    out = proc.stdout.read().decode(errors="replace")
    if proc.wait() != 0 or "errors: 0," not in out:
        raise BenchError(f"preload on port {port} failed:\n{out}")


def bench_prefix(pin):
    return ["taskset", "-c", "1"] if pin else []


def cpu_seconds(pid):
    """User plus system CPU time the process has used, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_benchmarks(case, server, pin):
    """Runs the case's redis-benchmark processes together; returns (ops/s, p50 ms, p99 ms,
    requests). Each process is killed if it runs past RUN_TIMEOUT."""
    procs = []
    for args in case["runs"]:
        cmd = bench_prefix(pin) + ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port),
                                   "--csv"] + args
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      preexec_fn=child_setup()))
    deadline = time.monotonic() + RUN_TIMEOUT
    rows = []
    try:
        for proc in procs:
            try:
                out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise BenchError(f"{case['name']}: redis-benchmark ran past {RUN_TIMEOUT} s "
                                 "and was killed") from None
            if proc.returncode != 0:
                raise BenchError(f"redis-benchmark failed: {err.decode(errors='replace')}")
            produced = [r for r in csv.DictReader(io.StringIO(out.decode())) if r.get("rps")]
            if not produced:
                raise BenchError(f"{case['name']}: redis-benchmark printed no result")
            # The last row is the test asked for: LRANGE_* print their LPUSH preparation first.
            rows.append(produced[-1])
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    # Parallel processes: rates add up; latencies are averaged (each process's own percentile).
    requests = sum(int(args[args.index("-n") + 1]) for args in case["runs"])
    rps = sum(float(r["rps"]) for r in rows)
    p50 = statistics.mean(float(r["p50_latency_ms"]) for r in rows)
    p99 = statistics.mean(float(r["p99_latency_ms"]) for r in rows)
    return rps, p50, p99, requests


def run_case(case, server, pin):
    """Runs one case once; returns (ops/s, p50 ms, p99 ms, server CPU microseconds per op).
    The CPU figure is what the server spent, kernel time included, whatever the client's
    speed: at P1 both servers usually wait on redis-benchmark, so ops/s alone cannot show
    which one is cheaper per request. In a PUBLISH case (bench_pubsub.py) an op is one
    message received by one subscriber, counted by the subscribers, and the server's CPU runs
    until the last one has arrived; the latencies stay those of the PUBLISH requests."""
    fanout = "subscribers" in case
    subscribers = (Subscribers(case, server, bench_prefix(pin), child_setup(), BenchError)
                   if fanout else contextlib.nullcontext())
    with subscribers:
        cpu_before = cpu_seconds(server.proc.pid)
        rps, p50, p99, ops = run_benchmarks(case, server, pin)
        if fanout:
            rps, ops = subscribers.delivered()
        cpu = cpu_seconds(server.proc.pid) - cpu_before
    return rps, p50, p99, cpu * 1e6 / ops


def run_throughput(cases, servers, rounds, pin):
    ember, redis = servers
    results = []
    loaded = None
    turn = 0
    for case in cases:
        if case["preload"] is not None and case["preload"] != loaded:
            for server in servers:
                resp_command(server.port, "FLUSHALL")
                if case["preload"] == PRELOAD:
                    preload_collections(server.port, BenchError)
                elif case["preload"] == HLL_PRELOAD:
                    preload_hlls(server.port, BenchError)
                elif case["preload"] == BITMAP_PRELOAD:
                    preload_bitmaps(server.port, BenchError)
                elif case["preload"] == GEO_PRELOAD:
                    preload_geo(server.port, BenchError)
                elif case["preload"] == STREAM_PRELOAD:
                    preload_streams(server.port, BenchError)
                else:
                    preload(server.port, case["preload"])
            loaded = case["preload"]
        for server in servers:
            load_scripts(resp_command, server.port, case.get("scripts", []), BenchError)
        per = {"ember": [], "redis": []}
        for _ in range(rounds):
            for server in ((ember, redis) if turn % 2 == 0 else (redis, ember)):
                per[server.name].append(run_case(case, server, pin))
            turn += 1
        results.append(summarize(case["name"], per))
        print_row(results[-1], flush=True)
    return results


def summarize(name, per):
    def med(server, i):
        return statistics.median(r[i] for r in per[server])

    ratios = [e[0] / r[0] for e, r in zip(per["ember"], per["redis"]) if r[0] > 0]
    return {
        "case": name,
        "ember_rps": med("ember", 0), "redis_rps": med("redis", 0),
        "ratio": med("ember", 0) / med("redis", 0) if med("redis", 0) else float("nan"),
        "ratio_min": min(ratios), "ratio_max": max(ratios),
        "ember_p50_ms": med("ember", 1), "ember_p99_ms": med("ember", 2),
        "redis_p50_ms": med("redis", 1), "redis_p99_ms": med("redis", 2),
        "ember_cpu_us": med("ember", 3), "redis_cpu_us": med("redis", 3),
        "cpu_ratio": med("ember", 3) / med("redis", 3) if med("redis", 3) else float("nan"),
        "rounds": {s: [list(r) for r in per[s]] for s in per},
    }


# ---------------------------------------------------------------------------------------------
def wanted(pattern, name):
    return pattern is None or re.search(pattern, name) is not None


def measure_memory(servers, selected):
    """Per-key used_memory and RSS for 1M 16-byte keys with 16-byte values, without and with
    a TTL, then per element of the collection cases (bench_collections.py), each on freshly
    started servers."""
    rows = []
    for ttl in (None, 86_400):
        name = "1M keys, 16B values" + (", TTL" if ttl else "")
        if selected(name):
            rows.append(measure_memory_row(
                servers, name, KEYSPACE,
                lambda port, ttl=ttl: preload(port, 16, ttl_seconds=ttl),
                info_field, vm_rss_bytes))
    return rows + measure_collection_memory(servers, info_field, vm_rss_bytes, BenchError,
                                            selected)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ember", required=True, help="ember-server binary")
    parser.add_argument("--out", required=True, help="directory for JSON/CSV/PNG results")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pin", action="store_true")
    parser.add_argument("--aof", choices=["everysec", "always"])
    parser.add_argument("--memory", choices=["auto", "yes", "no"], default="auto")
    parser.add_argument("--filter", help="only the cases and memory rows whose name matches")
    opts = parser.parse_args()
    if opts.rounds < 1:
        parser.error("--rounds must be at least 1")

    workdir = tempfile.mkdtemp(prefix="ember-bench-")
    try:
        servers = make_servers(os.path.abspath(opts.ember), workdir, opts.pin)
    except BenchError as e:
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"bench: {e}", file=sys.stderr)
        return 1

    def body():
        extra = []
        if opts.aof:
            extra = ["--appendonly", "yes", "--appendfsync", opts.aof]
        for server in servers:
            server.start(extra)
        cases = [c for c in make_cases(opts.quick) if wanted(opts.filter, c["name"])]
        print(f"{len(cases)} cases x {opts.rounds} rounds, ember on port {servers[0].port}, "
              f"redis on port {servers[1].port}{', pinned' if opts.pin else ''}")
        print(HEADER, flush=True)
        throughput = run_throughput(cases, servers, opts.rounds, opts.pin)
        memory = []
        if opts.memory == "yes" or (opts.memory == "auto" and not opts.quick):
            memory = measure_memory(servers, lambda name: wanted(opts.filter, name))
            print_memory(memory)
        wake = []
        if not opts.quick and wanted(opts.filter, "BLPOP_WAKE"):
            wake = [measure_wake_latency(servers)]
            print_wake(wake[0])
        meta = {"quick": opts.quick, "rounds": opts.rounds, "pin": opts.pin, "aof": opts.aof,
                "nproc": os.cpu_count(), "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        write_outputs(opts.out, meta, throughput, memory, wake)

    def cleanup():
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    # SIGTERM/SIGHUP unwind like Ctrl-C, so cleanup stops both servers.
    return run_guarded(body, cleanup)


if __name__ == "__main__":
    sys.exit(main())
