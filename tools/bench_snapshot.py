#!/usr/bin/env python3
"""Snapshot benchmark of ember-server beside the reference redis-server (tools/bench
--snapshot).

Three servers, each fresh and filled with the same 1M keys x 100-byte values: Ember with its
forkless snapshot (the default), Ember with snapshot-fork yes, and redis-server. For each, SET
at P16 from 50 clients over random keys runs once without a save and once while BGSAVE is
started again as soon as the previous one ends. Reported per server:
- peak memory during the saves against the RSS before them: the server's RSS plus the private
  dirty pages of its child (the copy-on-write copies of a fork), sampled every 50 ms;
- SET throughput and p99 during the saves against without;
- the median wall time of the saves completed under that load (BGSAVE to
  rdb_bgsave_in_progress:0, polled every 10 ms), and of one save of the idle server.
Servers are not pinned (a fork child needs a core, as it would in production). Numbers are
medians of the rounds; nothing is asserted.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import REDIS_BINARIES, preload, run_benchmarks  # noqa: E402
from bench_servers import (  # noqa: E402
    BenchError, Server, mode_options, resp_command, run_guarded, vm_rss_bytes, write_json)

KINDS = ("ember", "ember-fork", "redis")
KEYS = 1_000_000
VALUE_SIZE = 100
SET_P16 = {"name": "SET d100 P16",
           "runs": [["-t", "set", "-c", "50", "-P", "16", "-d", str(VALUE_SIZE), "-r", str(KEYS),
                     "-n", "2000000"]]}


def make_server(kind, ember_bin, workdir):
    directory = os.path.join(workdir, kind)
    os.makedirs(directory)
    common = ["--port", "{PORT}", "--save", "", "--bind", "127.0.0.1", "--dir", directory,
              "--appendonly", "no"]
    if kind.startswith("ember"):
        fork = "yes" if kind == "ember-fork" else "no"
        return Server(kind, [ember_bin, "--http-port", "0", "--snapshot-fork", fork] + common,
                      ember_bin, workdir, None)
    redis_bin = next((b for b in REDIS_BINARIES if os.access(b, os.X_OK)), None)
    if redis_bin is None:
        raise BenchError("no redis-server (install redis-tools)")
    return Server(kind, ["redis-server", "--daemonize", "no"] + common, redis_bin, workdir, None)


def child_dirty_bytes(pid):
    """Private dirty memory of the process's children: a fork's copy-on-write copies."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
    except OSError:
        return 0
    total = 0
    for child in children:
        try:
            with open(f"/proc/{child}/smaps_rollup") as f:
                total += sum(int(line.split()[1]) * 1024 for line in f
                             if line.startswith("Private_Dirty:"))
        except OSError:
            pass
    return total


def saving(port):
    return "rdb_bgsave_in_progress:1" in resp_command(port, "INFO", "persistence")


def timed_save(port):
    """Seconds from BGSAVE until the save has ended."""
    start = time.monotonic()
    resp_command(port, "BGSAVE")
    while saving(port):
        time.sleep(0.01)
    return time.monotonic() - start


class SaveLoop(threading.Thread):
    """Keeps a BGSAVE running, recording each save's wall time and the peak memory."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.stop_flag = server, threading.Event()
        self.durations, self.peak_bytes, self.error = [], 0, None

    def run(self):
        next_sample = 0.0
        try:
            while not self.stop_flag.is_set():
                start = time.monotonic()
                resp_command(self.server.port, "BGSAVE")
                while saving(self.server.port):
                    now = time.monotonic()
                    if now >= next_sample:
                        pid = self.server.proc.pid
                        self.peak_bytes = max(self.peak_bytes,
                                              vm_rss_bytes(pid) + child_dirty_bytes(pid))
                        next_sample = now + 0.05
                    time.sleep(0.01)
                if not self.stop_flag.is_set():
                    self.durations.append(time.monotonic() - start)
        except (OSError, BenchError) as e:
            self.error = e


def measure(kind, ember_bin, workdir):
    server = make_server(kind, ember_bin, workdir)
    server.start()
    try:
        preload(server.port, VALUE_SIZE, keys=KEYS)
        idle_save_s = timed_save(server.port)
        ops, _, p99, _ = run_benchmarks(SET_P16, server, False)
        rss_before = vm_rss_bytes(server.proc.pid)
        loop = SaveLoop(server)
        loop.start()
        try:
            ops_saving, _, p99_saving, _ = run_benchmarks(SET_P16, server, False)
        finally:
            loop.stop_flag.set()
            loop.join()
        if loop.error is not None:
            raise BenchError(f"{kind}: the save loop failed: {loop.error}")
        if not loop.durations:
            raise BenchError(f"{kind}: no save completed during the run")
        while saving(server.port):
            time.sleep(0.01)
    finally:
        server.stop()
    return {"ops": ops, "ops_saving": ops_saving, "throughput_ratio": ops_saving / ops,
            "p99_ms": p99, "p99_saving_ms": p99_saving, "p99_ratio": p99_saving / p99,
            "rss_before": rss_before, "peak_bytes": loop.peak_bytes,
            "peak_ratio": loop.peak_bytes / rss_before, "saves": len(loop.durations),
            "save_s": statistics.median(loop.durations), "idle_save_s": idle_save_s}


def plot(base, results):
    """A bar chart of the three ratios per server; returns the PNG's path."""
    metrics = [("peak memory / RSS before", "peak_ratio"),
               ("SET ops/s, saving / not", "throughput_ratio"),
               ("SET p99, saving / not", "p99_ratio")]
    data = base + ".dat"
    with open(data, "w") as f:
        for label, key in metrics:
            f.write(f'"{label}" ' + " ".join(f"{results[k][key]:.3f}" for k in KINDS) + "\n")
    png = base + ".png"
    script = (f"set terminal png size 900,500; set output '{png}';"
              "set style data histograms; set style fill solid; set yrange [0:*];"
              f"set title 'BGSAVE of {KEYS:,} keys under SET P16 (ops/s: higher is better; "
              "memory and p99: lower)'; set key top left;"
              f"plot '{data}' using 2:xtic(1) title 'ember (forkless)', "
              "'' using 3 title 'ember (snapshot-fork yes)', '' using 4 title 'redis-server'")
    subprocess.run(["gnuplot", "-e", script], check=True)
    return png


def main():
    opts = mode_options(__doc__, 1)
    workdir = tempfile.mkdtemp(prefix="ember-bench-snapshot-")
    ember_bin = os.path.abspath(opts.ember)
    results = {"rounds": opts.rounds, "keys": KEYS, "value_size": VALUE_SIZE,
               "time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    def body():
        print(f"BGSAVE of {KEYS} keys x {VALUE_SIZE} B under SET P16 from 50 clients "
              f"(medians of {opts.rounds} round(s))")
        print(f"  {'server':12} {'peak mem':>9} {'SET ops/s':>21} {'ratio':>6} "
              f"{'p99 ms':>13} {'ratio':>6} {'save s (idle)':>14}")
        for kind in KINDS:
            rounds = []
            for r in range(opts.rounds):
                shutil.rmtree(os.path.join(workdir, kind), ignore_errors=True)
                rounds.append(measure(kind, ember_bin, workdir))
            row = {key: statistics.median(x[key] for x in rounds) for key in rounds[0]}
            results[kind] = row
            print(f"  {kind:12} {row['peak_ratio']:>8.2f}x {row['ops']:>10,.0f} -> "
                  f"{row['ops_saving']:>8,.0f} {row['throughput_ratio']:>6.2f} "
                  f"{row['p99_ms']:>5.2f} -> {row['p99_saving_ms']:>5.2f} {row['p99_ratio']:>6.2f} "
                  f"{row['save_s']:>6.2f} ({row['idle_save_s']:.2f})", flush=True)
        path = write_json(opts.out, "snapshot", results)
        if shutil.which("gnuplot"):
            print(f"wrote {plot(path[:-len('.json')], results)}")

    return run_guarded(body, lambda: shutil.rmtree(workdir, ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
