"""Python-side speed of Ember's embedded engine: set/get ops/s from one Python thread for

  ember.Store        the engine in-process, direct calls
  ember.Redis        redis-py's client over the in-process engine (no socket)
  redis-py/loopback  redis-py talking to ember-server over 127.0.0.1
  fakeredis          python3-fakeredis, the in-process fake many test suites use

Each round measures every backend once, in an order that rotates per round; the table shows
the median ops/s over the rounds and each backend's ratio to the in-process Store's median.
Run by tools/bench_python (which builds the module and the server); never asserted by tests.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_ember(binary):
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--http-port", "0", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("ember-server did not start")


def ops_per_second(operation, count):
    start = time.perf_counter()
    for i in range(count):
        operation(i)
    return count / (time.perf_counter() - start)


def measure(client, count):
    """(set ops/s, get ops/s) over `count` keys of 32-byte values."""
    value = b"v" * 32
    keys = [f"key:{i}".encode() for i in range(count)]
    sets = ops_per_second(lambda i: client.set(keys[i], value), count)
    gets = ops_per_second(lambda i: client.get(keys[i]), count)
    assert client.get(keys[-1]) == value
    return sets, gets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ember", required=True, help="the ember-server binary")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=50_000, help="ops per case per round")
    parser.add_argument("--out", help="directory for the JSON result")
    args = parser.parse_args()

    import ember
    import fakeredis
    import redis

    process, port = start_ember(args.ember)
    try:
        store = ember.Store()
        backends = {
            "ember.Store": store,
            "ember.Redis": ember.Redis(),
            "redis-py/loopback": redis.Redis(host="127.0.0.1", port=port),
            "fakeredis": fakeredis.FakeRedis(),
        }
        names = list(backends)
        results = {name: {"set": [], "get": []} for name in names}
        for round_index in range(args.rounds):
            order = names[round_index % len(names):] + names[:round_index % len(names)]
            for name in order:
                count = args.count if name != "redis-py/loopback" else args.count // 5
                sets, gets = measure(backends[name], count)
                results[name]["set"].append(sets)
                results[name]["get"].append(gets)
            print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        process.terminate()
        process.wait(20)

    medians = {name: {op: statistics.median(v) for op, v in ops.items()}
               for name, ops in results.items()}
    base = medians["ember.Store"]
    print(f"{'backend':<20}{'set ops/s':>12}{'get ops/s':>12}"
          f"{'Store/this set':>16}{'Store/this get':>16}")
    for name in names:
        m = medians[name]
        print(f"{name:<20}{m['set']:>12,.0f}{m['get']:>12,.0f}"
              f"{base['set'] / m['set']:>16.2f}{base['get'] / m['get']:>16.2f}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, f"python-{time.strftime('%Y%m%d-%H%M%S')}.json")
        with open(path, "w") as f:
            json.dump({"rounds": args.rounds, "count": args.count, "results": results,
                       "medians": medians}, f, indent=2)
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
