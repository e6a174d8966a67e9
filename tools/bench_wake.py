"""BLPOP wake latency for tools/bench: how long from a push on one connection to the reply on
another connection blocked in BLPOP on that key.

Each sample: connection A sends BLPOP on an empty list and is given 1 ms to block; connection
B sends RPUSH, the clock starts when B's request is written and stops when A has read its
whole reply. Rounds alternate between the servers (ember, redis, redis, ember, ...) so both
see the same machine noise. Imported by bench.py; servers are passed in by port.
"""

import socket
import statistics
import time

SAMPLES_PER_ROUND = 500
ROUNDS = 4
BLPOP = b"*3\r\n$5\r\nBLPOP\r\n$6\r\nwake:q\r\n$1\r\n0\r\n"
RPUSH = b"*3\r\n$5\r\nRPUSH\r\n$6\r\nwake:q\r\n$1\r\nx\r\n"
# BLPOP's reply: *2 $6 wake:q $1 x.
BLPOP_REPLY = b"*2\r\n$6\r\nwake:q\r\n$1\r\nx\r\n"
RPUSH_REPLY = b":1\r\n"


def _read_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    return data


def _samples(port, count):
    waiter = socket.create_connection(("127.0.0.1", port), timeout=10)
    pusher = socket.create_connection(("127.0.0.1", port), timeout=10)
    for sock in (waiter, pusher):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    latencies = []
    try:
        for _ in range(count):
            waiter.sendall(BLPOP)
            time.sleep(0.001)
            start = time.perf_counter_ns()
            pusher.sendall(RPUSH)
            reply = _read_exactly(waiter, len(BLPOP_REPLY))
            latencies.append((time.perf_counter_ns() - start) / 1000.0)
            if reply != BLPOP_REPLY or _read_exactly(pusher, len(RPUSH_REPLY)) != RPUSH_REPLY:
                raise ConnectionError(f"port {port}: unexpected reply {reply!r}")
    finally:
        waiter.close()
        pusher.close()
    return latencies


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure_wake_latency(servers):
    """One row: p50 and p99 wake latency in microseconds for each server, and p50 ratio
    (redis / ember: above 1 means Ember wakes faster)."""
    ember, redis = servers
    per = {"ember": [], "redis": []}
    order = [ember, redis, redis, ember] * (ROUNDS // 2)
    for server in order:
        per[server.name] += _samples(server.port, SAMPLES_PER_ROUND)
    row = {"case": "BLPOP wake"}
    for name, values in per.items():
        row[f"{name}_p50_us"] = statistics.median(values)
        row[f"{name}_p99_us"] = _percentile(values, 0.99)
    row["p50_ratio"] = row["redis_p50_us"] / row["ember_p50_us"]
    return row


def print_wake(row):
    print()
    print(f"{'wake latency (us)':<18} {'ember p50/p99':>17} {'redis p50/p99':>17} {'p50 ratio':>9}")
    print(f"{row['case']:<18} {row['ember_p50_us']:>8.1f}/{row['ember_p99_us']:<8.1f} "
          f"{row['redis_p50_us']:>8.1f}/{row['redis_p99_us']:<8.1f} {row['p50_ratio']:>9.2f}")
