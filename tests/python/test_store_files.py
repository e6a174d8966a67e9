"""The files of an ember.Store are ember-server's and redis-server's: a dump or AOF written
in-process loads in both servers with identical data, and theirs open in the store.

Data is compared twice: by DEBUG DIGEST (Redis's digest of every key, value and expiry,
which Ember reproduces) and by a readable listing of every key."""

import os
import shutil

import pytest

import ember

DEBUG_ON = {"enable-debug-command": "yes"}


def populate(run):
    """Every value type and encoding, TTLs and two databases, through `run(*args)`."""
    run("SET", "string", "hello")
    run("SET", "int", 12345)
    run("SET", "big", "x" * 100_000)
    run("SET", "ttl", "soon", "EX", 3600)
    run("HSET", "hash:small", "a", "1", "b", "2")
    run("HSET", "hash:big", *[f"f{i}" if j == 0 else "v" * 80 for i in range(300) for j in (0, 1)])
    run("SADD", "set:ints", *range(50))
    run("SADD", "set:strs", *[f"m{i}" for i in range(200)])
    run("ZADD", "zset:small", 1, "a", 2.5, "b")
    run("ZADD", "zset:big", *[v for i in range(300) for v in (i * 1.5, f"member{i}")])
    run("RPUSH", "list:small", "a", "b", "c")
    run("RPUSH", "list:big", *[f"item{i}" * 10 for i in range(1000)])
    run("PFADD", "hll", *[f"visitor{i}" for i in range(500)])
    run("SELECT", 5)
    run("SET", "db5:key", "in five")
    run("HSET", "db5:hash", "f", "v")
    run("SELECT", 0)


def listing(client):
    """{db: {key: (type, value, has_ttl)}} of every non-empty database."""
    result = {}
    for db in range(16):
        client.execute_command("SELECT", db)
        keys = client.keys("*")
        if not keys:
            continue
        entries = {}
        for key in keys:
            kind = client.type(key)
            if kind == b"string":
                value = client.get(key)
            elif kind == b"hash":
                value = client.hgetall(key)
            elif kind == b"set":
                value = sorted(client.smembers(key))
            elif kind == b"zset":
                value = client.zrange(key, 0, -1, withscores=True)
            elif kind == b"list":
                value = client.lrange(key, 0, -1)
            else:
                value = None
            entries[key] = (kind, value, client.ttl(key) > 0)
        result[db] = entries
    client.execute_command("SELECT", 0)
    return result


class StoreAsClient:
    """The calls listing() makes, answered by a Store's execute."""

    def __init__(self, store):
        self.store = store

    def execute_command(self, *args):
        return self.store.execute(*args)

    def keys(self, pattern):
        return self.store.execute("KEYS", pattern)

    def type(self, key):
        return self.store.execute("TYPE", key)

    def get(self, key):
        return self.store.execute("GET", key)

    def hgetall(self, key):
        flat = self.store.execute("HGETALL", key)
        return dict(zip(flat[::2], flat[1::2]))

    def smembers(self, key):
        return set(self.store.execute("SMEMBERS", key))

    def zrange(self, key, start, stop, withscores):
        flat = self.store.execute("ZRANGE", key, start, stop, "WITHSCORES")
        return [(m, float(s)) for m, s in zip(flat[::2], flat[1::2])]

    def lrange(self, key, start, stop):
        return self.store.execute("LRANGE", key, start, stop)

    def ttl(self, key):
        return self.store.execute("TTL", key)


def digest(run):
    return run("DEBUG", "DIGEST")


def test_store_dump_loads_in_ember_server_and_redis_server(tmp_path, start_ember, start_redis,
                                                            redis_py):
    store = ember.Store(tmp_path / "store", config=DEBUG_ON)
    populate(store.execute)
    expected_digest = digest(store.execute)
    expected = listing(StoreAsClient(store))
    assert store.save() is True
    store.close(save=False)

    dump = tmp_path / "store" / "dump.rdb"
    for start, name in ((start_ember, "ember"), (start_redis, "redis")):
        workdir = tmp_path / name
        workdir.mkdir()
        shutil.copyfile(dump, workdir / "dump.rdb")
        server = start(workdir, "--enable-debug-command", "yes")
        client = server.client()
        assert client.execute_command("DEBUG", "DIGEST") == expected_digest, name
        assert listing(client) == expected, name


@pytest.mark.parametrize("writer", ["ember-server", "redis-server"])
def test_server_dump_opens_in_store(tmp_path, start_ember, start_redis, redis_py, writer):
    start = start_ember if writer == "ember-server" else start_redis
    server = start(tmp_path / "server", "--enable-debug-command", "yes")
    client = server.client()
    populate(client.execute_command)
    expected_digest = client.execute_command("DEBUG", "DIGEST")
    expected = listing(client)
    assert client.save() is True

    store_dir = tmp_path / "store"
    store_dir.mkdir()
    shutil.copyfile(tmp_path / "server" / "dump.rdb", store_dir / "dump.rdb")
    store = ember.Store(store_dir, config=DEBUG_ON)
    try:
        assert store.execute("DEBUG", "DIGEST") == expected_digest
        assert listing(StoreAsClient(store)) == expected
        assert store.get("string") == b"hello"
    finally:
        store.close(save=False)


def test_close_saves_by_default_and_reopen_loads(tmp_path):
    store = ember.Store(tmp_path)
    populate(store.execute)
    store.set("session", "abc", ttl=600)
    store.close()
    assert (tmp_path / "dump.rdb").exists()
    reopened = ember.Store(tmp_path)
    try:
        assert reopened.get("session") == b"abc"
        assert 590 <= reopened.ttl("session") <= 600
        assert reopened.dbsize() == 14
        reopened.select(5)
        assert reopened.get("db5:key") == b"in five"
    finally:
        reopened.close(save=False)


def test_close_without_save_points_or_with_save_false_writes_nothing(tmp_path):
    no_points = ember.Store(tmp_path / "a", config={"save": ""})
    no_points.set("k", "v")
    no_points.close()
    assert not (tmp_path / "a" / "dump.rdb").exists()
    declined = ember.Store(tmp_path / "b")
    declined.set("k", "v")
    declined.close(save=False)
    assert not (tmp_path / "b" / "dump.rdb").exists()
    forced = ember.Store(tmp_path / "c", config={"save": ""})
    forced.set("k", "v")
    forced.close(save=True)
    assert (tmp_path / "c" / "dump.rdb").exists()


def test_bgsave_in_process_writes_a_loadable_dump(tmp_path, start_redis, redis_py):
    store = ember.Store(tmp_path / "store", config=DEBUG_ON)
    for i in range(20_000):
        store.set(f"key:{i}", f"value:{i}")
    expected_digest = digest(store.execute)
    assert store.execute("BGSAVE") == b"Background saving started"
    # The forkless walk runs on the store's background thread; writes go on meanwhile and
    # do not reach the file (it is the dataset at the moment BGSAVE started).
    for i in range(100):
        store.set(f"key:{i}", "changed")
    for _ in range(400):
        info = store.execute("INFO", "persistence").decode()
        if "rdb_bgsave_in_progress:0" in info:
            break
        import time
        time.sleep(0.05)
    assert "rdb_last_bgsave_status:ok" in info
    store.close(save=False)
    workdir = tmp_path / "redis"
    workdir.mkdir()
    shutil.copyfile(tmp_path / "store" / "dump.rdb", workdir / "dump.rdb")
    client = start_redis(workdir, "--enable-debug-command", "yes").client()
    assert client.execute_command("DEBUG", "DIGEST") == expected_digest
    assert client.get("key:0") == b"value:0"


def test_aof_written_in_process_loads_in_both_servers(tmp_path, start_ember, start_redis,
                                                      redis_py):
    # appendfsync always: every acknowledged write is in the file before its reply. (Under
    # everysec a write may be postponed while a background fsync runs, as in Redis, so a
    # copy taken at once could miss the last commands.)
    store = ember.Store(tmp_path / "store", appendonly=True, appendfsync="always",
                        config=DEBUG_ON)
    populate(store.execute)
    store.execute("INCR", "int")
    store.execute("DEL", "list:small")
    expected_digest = digest(store.execute)
    # Without closing: what was acknowledged is in the files already.
    for name, start in (("ember", start_ember), ("redis", start_redis)):
        workdir = tmp_path / name
        shutil.copytree(tmp_path / "store" / "appendonlydir", workdir / "appendonlydir")
        client = start(workdir, "--appendonly", "yes", "--enable-debug-command", "yes").client()
        assert client.execute_command("DEBUG", "DIGEST") == expected_digest, name
        assert client.get("int") == b"12346", name
    store.close()
    reopened = ember.Store(tmp_path / "store", appendonly=True, config=DEBUG_ON)
    try:
        assert digest(reopened.execute) == expected_digest
    finally:
        reopened.close()


def test_store_opens_the_aof_of_ember_server(tmp_path, start_ember, redis_py):
    server = start_ember(tmp_path / "server", "--appendonly", "yes",
                         "--enable-debug-command", "yes")
    client = server.client()
    populate(client.execute_command)
    expected_digest = client.execute_command("DEBUG", "DIGEST")
    server.stop()
    store = ember.Store(tmp_path / "server", appendonly=True, config=DEBUG_ON)
    try:
        assert digest(store.execute) == expected_digest
    finally:
        store.close()


def test_corrupt_dump_fails_to_open_with_a_clear_error(tmp_path):
    (tmp_path / "dump.rdb").write_bytes(b"REDIS0010\xfa\x09redis-ver" + os.urandom(64))
    with pytest.raises(ValueError) as raised:
        ember.Store(tmp_path)
    assert "could not be loaded" in str(raised.value)


def test_store_left_open_saves_at_interpreter_exit(tmp_path):
    """As a server saves on SIGTERM: a program that never calls close() keeps its data."""
    import subprocess
    import sys
    script = ("import ember, sys\n"
              "store = ember.Store(sys.argv[1])\n"
              "store.set('left', 'open')\n")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, timeout=60,
                   env=dict(os.environ))
    reopened = ember.Store(tmp_path)
    try:
        assert reopened.get("left") == b"open"
    finally:
        reopened.close(save=False)


def test_memory_only_store_refuses_debug_reload(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = ember.Store(config=DEBUG_ON)
    try:
        with pytest.raises(ember.ResponseError) as raised:
            store.execute("DEBUG", "RELOAD")
        assert "memory only" in str(raised.value)
        assert list(tmp_path.iterdir()) == []
    finally:
        store.close()
