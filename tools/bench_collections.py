"""Hash, set and HyperLogLog cases for tools/bench: the redis-benchmark runs of HSET, HGET,
HGETALL, SADD, SISMEMBER, SPOP and SINTER against preloaded small collections, PFADD and
PFCOUNT over three preloaded HyperLogLogs, GEOSEARCH and GEOADD on 100k positions, and the memory of 1M small hashes, one hash of 1M
fields, one set of 1M members, 1M small integer sets, one list of 1M
elements, one sorted set of 1M members, 1M small sorted sets and one stream of 1M entries
(bench_streams.py).

Imported by bench.py; every function takes ports (and bench.py's helpers) from the caller.
"""

import subprocess

COLLECTION_KEYS = 100_000  # hash:%012d and set:%012d, the names redis-benchmark -r makes
PRELOAD = "collections"    # the case["preload"] token bench.py passes to preload_collections


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def pipe(port, commands, error):
    """Sends an iterable of RESP commands through redis-cli --pipe; raises error(text)."""
    proc = subprocess.Popen(["redis-cli", "-p", str(port), "--pipe"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    batch = []
    try:
        for command in commands:
            batch.append(command)
            if len(batch) == 10_000:
                proc.stdin.write(b"".join(batch))
                batch = []
        proc.stdin.write(b"".join(batch))
        proc.stdin.close()
    except BrokenPipeError:
        pass
    out = proc.stdout.read().decode(errors="replace")
    if proc.wait() != 0 or "errors: 0," not in out:
        raise error(f"preload on port {port} failed:\n{out}")


def preload_collections(port, error):
    """100k hashes of 10 fields (f0..f9, 16-byte values) and 100k sets of 10 members."""
    value = b"v" * 16
    def commands():
        for i in range(COLLECTION_KEYS):
            fields = []
            for f in range(10):
                fields += [b"f%d" % f, value]
            yield resp("HSET", b"hash:%012d" % i, *fields)
            yield resp("SADD", b"set:%012d" % i, *[b"m%d" % m for m in range(10)])
    pipe(port, commands(), error)


HLL_PRELOAD = "hll"  # the case["preload"] token for preload_hlls
HLL_KEYS = ("hll:a", "hll:b", "hll:c")


def preload_hlls(port, error):
    """Three dense HyperLogLogs of 100k elements each, overlapping by half."""
    def commands():
        for n, key in enumerate(HLL_KEYS):
            for start in range(n * 50_000, n * 50_000 + 100_000, 1000):
                yield resp("PFADD", key, *[b"e%d" % i for i in range(start, start + 1000)])
    pipe(port, commands(), error)


def hll_cases():
    """PFADD of random elements to one dense HLL, and PFCOUNT of the union of three (the
    merge path, which reads all 3 x 16384 registers every call: no cached count)."""
    def case(name, pipeline, requests, *command):
        args = ["-c", "50", "-P", str(pipeline), "-r", "1000000", "-n",
                str(requests)] + list(command)
        return {"name": name, "runs": [args], "preload": HLL_PRELOAD}

    cases = []
    for pipeline, requests in ((1, 150_000), (16, 500_000)):
        cases.append(case(f"PFADD P{pipeline}", pipeline, requests,
                          "PFADD", HLL_KEYS[0], "e__rand_int__"))
    for pipeline, requests in ((1, 50_000), (16, 100_000)):
        cases.append(case(f"PFCOUNT(3 keys) P{pipeline}", pipeline, requests,
                          "PFCOUNT", *HLL_KEYS))
    return cases


GEO_PRELOAD = "geo"  # the case["preload"] token for preload_geo
GEO_KEY = "geo:points"


def preload_geo(port, error):
    """One sorted set of 100k positions spread evenly over 10 x 10 degrees of Europe (about
    one per 8 square kilometres at these latitudes), added with GEOADD."""
    def commands():
        for start in range(0, 100_000, 500):
            args = []
            for i in range(start, start + 500):
                lon = 0 + (i * 7919 % 100_000) / 10_000  # a stride that scatters the points
                lat = 45 + (i * 104_729 % 100_000) / 10_000
                args += [b"%.6f" % lon, b"%.6f" % lat, b"p%d" % i]
            yield resp("GEOADD", GEO_KEY, *args)
    pipe(port, commands(), error)


def geo_cases():
    """GEOSEARCH around a random point of the preloaded area (redis-benchmark's random
    integer makes the fraction: 5.000000123456), radius 5 km (about ten members come back),
    and GEOADD of random members."""
    def case(name, pipeline, requests, *command):
        args = ["-c", "50", "-P", str(pipeline), "-r", "1000000", "-n",
                str(requests)] + list(command)
        return {"name": name, "runs": [args], "preload": GEO_PRELOAD}

    cases = []
    for pipeline, requests in ((1, 100_000), (16, 200_000)):
        cases.append(case(f"GEOSEARCH(5km) P{pipeline}", pipeline, requests, "GEOSEARCH", GEO_KEY,
                          "FROMLONLAT", "5.__rand_int__", "50.__rand_int__", "BYRADIUS", "5",
                          "km", "ASC"))
    for pipeline, requests in ((1, 150_000), (16, 500_000)):
        cases.append(case(f"GEOADD P{pipeline}", pipeline, requests, "GEOADD", GEO_KEY,
                          "4.__rand_int__", "49.__rand_int__", "n__rand_int__"))
    return cases


def collection_cases():
    def case(name, pipeline, requests, *command):
        args = ["-c", "50", "-P", str(pipeline), "-r", str(COLLECTION_KEYS), "-n",
                str(requests)] + list(command)
        return {"name": name, "runs": [args], "preload": PRELOAD}

    commands = [
        ("HSET", ["HSET", "hash:__rand_int__", "f__rand_int__", "vvvvvvvvvvvvvvvv"]),
        ("HGET", ["HGET", "hash:__rand_int__", "f5"]),
        ("HGETALL(10)", ["HGETALL", "hash:__rand_int__"]),
        ("SADD", ["SADD", "set:__rand_int__", "m__rand_int__"]),
        ("SISMEMBER", ["SISMEMBER", "set:__rand_int__", "m5"]),
        ("SINTER(2)", ["SINTER", "set:__rand_int__", "set:__rand_int__"]),
        # Last: it drains the sets (at most 3 rounds x 2 x 150k of the 1M+ members).
        ("SPOP", ["SPOP", "set:__rand_int__"]),
    ]
    cases = []
    for name, command in commands:
        cases.append(case(f"{name} P1", 1, 150_000, *command))
        cases.append(case(f"{name} P16", 16, 150_000 if name == "SPOP" else 500_000, *command))
    # SPOP P1 and P16 both pop: keep them adjacent at the end.
    cases.sort(key=lambda c: c["name"].startswith("SPOP"))
    return cases


def memory_cases():
    from bench_streams import stream_memory_row  # imports this module: import at call time

    """(name, units, commands) per memory row; used_memory is divided by units."""
    value = b"v" * 16

    def small_hashes():
        fields = []
        for f in range(5):
            fields += [b"field:%02d" % f, value]  # 8-byte names
        for i in range(1_000_000):
            yield resp("HSET", b"hash:%012d" % i, *fields)

    def big_hash():
        for start in range(0, 1_000_000, 100):
            fields = []
            for j in range(start, start + 100):
                fields += [b"field:%010d" % j, b"value-%010d" % j]
            yield resp("HSET", "bighash", *fields)

    def big_set():
        for start in range(0, 1_000_000, 100):
            yield resp("SADD", "bigset", *[b"member-%09d" % j for j in range(start, start + 100)])

    def int_sets():
        for i in range(1_000_000):
            yield resp("SADD", b"set:%012d" % i, 1, 2, 3, 4, 5)

    def big_list():
        for start in range(0, 1_000_000, 100):
            yield resp("RPUSH", "biglist", *[b"element-%08d" % j for j in range(start, start + 100)])

    def big_zset():
        for start in range(0, 1_000_000, 100):
            pairs = []
            for j in range(start, start + 100):
                pairs += [(j * 7919) % 1_000_003, b"member-%09d" % j]  # scores out of order
            yield resp("ZADD", "bigzset", *pairs)

    def small_zsets():
        pairs = []
        for m in range(5):
            pairs += [m + 1, b"member:%02d" % m]  # 9-byte members, small integer scores
        for i in range(1_000_000):
            yield resp("ZADD", b"zset:%012d" % i, *pairs)

    return [
        ("1M hashes x5 (per hash)", 1_000_000, small_hashes),
        ("1 hash of 1M (per field)", 1_000_000, big_hash),
        ("1 set of 1M 16B (per member)", 1_000_000, big_set),
        ("1M int sets x5 (per set)", 1_000_000, int_sets),
        ("1 list of 1M 16B (per element)", 1_000_000, big_list),
        ("1 zset of 1M 16B (per member)", 1_000_000, big_zset),
        ("1M zsets x5 (per zset)", 1_000_000, small_zsets),
        stream_memory_row(),
    ]


def measure_memory_row(servers, name, units, load, info_field, vm_rss_bytes):
    """One memory row: on freshly started servers, load(port) and the used_memory and RSS it
    added, per unit, with the Ember/Redis ratios."""
    row = {"case": name}
    for server in servers:
        server.stop()
        server.start()
        base_used = info_field(server.port, "memory", "used_memory")
        base_rss = vm_rss_bytes(server.proc.pid)
        load(server.port)
        used = info_field(server.port, "memory", "used_memory")
        rss = vm_rss_bytes(server.proc.pid)
        row[f"{server.name}_used_per_key"] = (used - base_used) / units
        row[f"{server.name}_rss_per_key"] = (rss - base_rss) / units
    row["used_ratio"] = row["ember_used_per_key"] / row["redis_used_per_key"]
    row["rss_ratio"] = row["ember_rss_per_key"] / row["redis_rss_per_key"]
    return row


def measure_collection_memory(servers, info_field, vm_rss_bytes, error, selected):
    return [measure_memory_row(servers, name, units,
                               lambda port, commands=commands: pipe(port, commands(), error),
                               info_field, vm_rss_bytes)
            for name, units, commands in memory_cases() if selected(name)]
