#!/usr/bin/env python3
"""Replication benchmark of ember-server beside the reference redis-server (tools/bench
--replication).

Two measurements, each on a fresh pair of servers of one kind (Ember primary with an Ember
replica, redis-server with a redis-server replica), and an Ember replica of a redis-server
primary for the full sync:
- SET P16 throughput of the primary with one replica attached against none: rounds alternate
  attached / detached (REPLICAOF NO ONE on the replica detaches it; the primary keeps its
  backlog), and the median ratio is reported per server.
- Full-sync time of a 1M-key dataset (100-byte values): from REPLICAOF on a fresh replica until
  its INFO says master_link_status:up, per round.
Numbers are medians of the rounds with the per-round spread; nothing is asserted.
"""
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import REDIS_BINARIES, preload, run_benchmarks  # noqa: E402
from bench_servers import (  # noqa: E402
    BenchError, Server, mode_options, resp_command, run_guarded, write_json)

SYNC_KEYS = 1_000_000
SYNC_VALUE_SIZE = 100
SET_P16 = {"name": "SET d3 P16",
           "runs": [["-t", "set", "-c", "50", "-P", "16", "-d", "3", "-r", "1000000",
                     "-n", "1000000"]]}


def make_server(kind, name, ember_bin, workdir, cpu):
    directory = os.path.join(workdir, name)
    os.makedirs(directory)
    common = ["--port", "{PORT}", "--save", "", "--bind", "127.0.0.1", "--dir", directory,
              "--repl-diskless-sync-delay", "0"]
    if kind == "ember":
        return Server(name, [ember_bin, "--http-port", "0"] + common, ember_bin, workdir, cpu)
    redis_bin = next((b for b in REDIS_BINARIES if os.access(b, os.X_OK)), None)
    if redis_bin is None:
        raise BenchError("no redis-server (install redis-tools)")
    return Server(name, ["redis-server", "--appendonly", "no", "--daemonize", "no"] + common,
                  redis_bin, workdir, cpu)


def info_field(port, section, field):
    text = resp_command(port, "INFO", section)
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    return None


def attach(replica, primary, timeout=300):
    """REPLICAOF and wait for the link; returns the seconds it took."""
    start = time.monotonic()
    resp_command(replica.port, "REPLICAOF", "127.0.0.1", str(primary.port))
    while time.monotonic() - start < timeout:
        if (info_field(replica.port, "replication", "master_link_status") == "up" and
                info_field(replica.port, "replication", "master_sync_in_progress") == "0"):
            return time.monotonic() - start
        time.sleep(0.01)
    raise BenchError(f"{replica.name} did not sync from {primary.name} in {timeout} s")


def settle(replica, primary, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        want = info_field(primary.port, "replication", "master_repl_offset")
        if info_field(replica.port, "replication", "slave_repl_offset") == want:
            return
        time.sleep(0.02)
    raise BenchError(f"{replica.name} did not catch up with {primary.name}")


def throughput_with_replica(kind, ember_bin, workdir, rounds, pin):
    primary = make_server(kind, f"{kind}-primary", ember_bin, workdir, 0 if pin else None)
    replica = make_server(kind, f"{kind}-replica", ember_bin, workdir, 0 if pin else None)
    rows = {"alone": [], "replica": []}
    try:
        primary.start()
        replica.start()
        for _ in range(rounds):
            resp_command(replica.port, "REPLICAOF", "NO", "ONE")
            rows["alone"].append(run_benchmarks(SET_P16, primary, pin)[0])
            attach(replica, primary)
            rows["replica"].append(run_benchmarks(SET_P16, primary, pin)[0])
            settle(replica, primary)
    finally:
        primary.stop()
        replica.stop()
    ratios = [w / a for w, a in zip(rows["replica"], rows["alone"])]
    return {"alone": statistics.median(rows["alone"]),
            "replica": statistics.median(rows["replica"]),
            "ratio": statistics.median(ratios), "spread": [min(ratios), max(ratios)]}


def full_sync_time(primary_kind, replica_kind, ember_bin, workdir, rounds):
    tag = f"{primary_kind}-to-{replica_kind}"
    primary = make_server(primary_kind, f"{tag}-primary", ember_bin, workdir, None)
    seconds = []
    try:
        primary.start()
        preload(primary.port, SYNC_VALUE_SIZE, keys=SYNC_KEYS)
        for i in range(rounds):
            replica = make_server(replica_kind, f"{tag}-replica{i}", ember_bin, workdir, None)
            try:
                replica.start()
                seconds.append(attach(replica, primary))
                keys = resp_command(replica.port, "DBSIZE")
                if int(keys) != SYNC_KEYS:
                    raise BenchError(f"{replica.name} has {keys} keys after the sync")
            finally:
                replica.stop()
    finally:
        primary.stop()
    return {"median_s": statistics.median(seconds), "spread_s": [min(seconds), max(seconds)]}


def main():
    opts = mode_options(__doc__, 3, pin=True)
    workdir = tempfile.mkdtemp(prefix="ember-bench-repl-")
    ember_bin = os.path.abspath(opts.ember)
    results = {"rounds": opts.rounds, "pin": opts.pin,
               "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    def body():
        print("SET d3 P16 on the primary, one replica attached vs none (ops/s, medians)")
        for kind in ("ember", "redis"):
            row = throughput_with_replica(kind, ember_bin, workdir, opts.rounds, opts.pin)
            results[f"set_p16_{kind}"] = row
            print(f"  {kind:6} alone {row['alone']:>10.0f}  with replica {row['replica']:>10.0f}"
                  f"  ratio {row['ratio']:.2f} ({row['spread'][0]:.2f}..{row['spread'][1]:.2f})",
                  flush=True)
        print(f"Full sync of {SYNC_KEYS} keys x {SYNC_VALUE_SIZE} B (seconds, medians)")
        for primary_kind, replica_kind in (("ember", "ember"), ("redis", "redis"),
                                           ("redis", "ember")):
            row = full_sync_time(primary_kind, replica_kind, ember_bin, workdir, opts.rounds)
            results[f"full_sync_{primary_kind}_to_{replica_kind}"] = row
            print(f"  {primary_kind} -> {replica_kind:6} {row['median_s']:.2f} s "
                  f"({row['spread_s'][0]:.2f}..{row['spread_s'][1]:.2f})", flush=True)
        write_json(opts.out, "replication", results)

    return run_guarded(body, lambda: shutil.rmtree(workdir, ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
