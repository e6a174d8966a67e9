"""ember.Store: the seed API, TTLs, errors and settings, on an in-process engine."""

import datetime
import time

import pytest

import ember


@pytest.fixture
def store():
    s = ember.Store()
    yield s
    s.close()


def test_set_and_get_take_bytes_and_str(store):
    assert store.set(b"k", b"v") is True
    assert store.get(b"k") == b"v"
    assert store.set("café", "naïve") is True
    assert store.get("café") == "naïve".encode()
    assert store.get(b"missing") is None
    # Numbers are written as redis-py writes them.
    store.set("n", 42)
    store.set("f", 1.5)
    assert store.get("n") == b"42" and store.get("f") == b"1.5"


def test_binary_values_round_trip(store):
    value = bytes(range(256)) * 1000
    store.set(b"\x00bin\xff", value)
    assert store.get(b"\x00bin\xff") == value
    store.set("from-buffer", memoryview(b"view"))
    assert store.get("from-buffer") == b"view"


def test_set_nx_xx(store):
    assert store.set("k", "1", nx=True) is True
    assert store.set("k", "2", nx=True) is None
    assert store.get("k") == b"1"
    assert store.set("other", "x", xx=True) is None
    assert store.set("k", "3", xx=True) is True
    assert store.get("k") == b"3"


def test_ttl_in_seconds_timedelta_and_px(store):
    store.set("s", "v", ttl=100)
    assert 99 <= store.ttl("s") <= 100
    store.set("td", "v", ttl=datetime.timedelta(minutes=2))
    assert 119 <= store.ttl("td") <= 120
    store.set("float", "v", ttl=2.5)
    assert 2400 <= store.pttl("float") <= 2500
    store.set("px", "v", px=1500)
    assert 1400 <= store.pttl("px") <= 1500
    store.set("plain", "v")
    assert store.ttl("plain") == -1
    assert store.ttl("missing") == -2


def test_expire_persist(store):
    store.set("k", "v")
    assert store.expire("k", 50) is True
    assert 49 <= store.ttl("k") <= 50
    assert store.persist("k") is True
    assert store.ttl("k") == -1
    assert store.persist("k") is False
    assert store.expire("missing", 5) is False
    assert store.expire("k", datetime.timedelta(seconds=30)) is True
    assert 29 <= store.ttl("k") <= 30


def test_lazy_expiry_on_access(store):
    # Active expiry is off (DEBUG-free way: hz is irrelevant, the key is read before any
    # cron could matter); a read past the deadline finds nothing.
    store.set("k", "v", px=30)
    time.sleep(0.08)
    assert store.get("k") is None
    assert store.exists("k") == 0


def test_active_expiry_runs_without_access():
    s = ember.Store(config={"hz": 100})
    try:
        for i in range(200):
            s.set(f"k{i}", "v", px=20)
        s.set("keep", "v")
        deadline = time.monotonic() + 10
        # DBSIZE counts keys not yet reclaimed: only the background cycle can bring it down.
        while s.dbsize() > 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert s.dbsize() == 1
        info = s.execute("INFO", "stats").decode()
        assert "expired_keys:200" in info
    finally:
        s.close()


def test_delete_and_exists_count(store):
    store.mset({"a": 1, "b": 2, "c": 3})
    assert store.exists("a", "a", "b", "zz") == 3
    assert store.delete("a", "b", "zz") == 2
    assert store.exists("a", "b", "c") == 1


def test_keys_and_scan_iter(store):
    for i in range(300):
        store.set(f"user:{i}", i)
    store.set("other", "x")
    assert len(store.keys()) == 301
    assert sorted(store.keys("user:1?")) == sorted(f"user:1{d}".encode() for d in range(10))
    scanned = list(store.scan_iter(match="user:*", count=50))
    assert len(scanned) == 300 and len(set(scanned)) == 300
    assert list(store.scan_iter(match="nothing*")) == []


def test_incr_family(store):
    assert store.incr("c") == 1
    assert store.incr("c", 10) == 11
    assert store.incrby("c", -5) == 6
    assert store.decr("c") == 5
    store.set("text", "abc")
    with pytest.raises(ember.ResponseError) as raised:
        store.incr("text")
    assert str(raised.value) == "ERR value is not an integer or out of range"


def test_mget_mset(store):
    assert store.mset({"a": "1", b"b": b"2"}) is True
    assert store.mget(["a", "b", "missing"]) == [b"1", b"2", None]
    assert store.mget("a", "b") == [b"1", b"2"]


def test_wrong_type_error_has_redis_text(store):
    store.execute("LPUSH", "list", "x")
    with pytest.raises(ember.WrongTypeError) as raised:
        store.get("list")
    assert str(raised.value) == "WRONGTYPE Operation against a key holding the wrong kind of value"
    assert isinstance(raised.value, ember.ResponseError)


def test_errors_for_bad_arguments(store):
    with pytest.raises(ember.ResponseError) as raised:
        store.set("k", "v", ttl=-1)
    assert str(raised.value) == "ERR invalid expire time in 'set' command"
    with pytest.raises(ember.ResponseError) as raised:
        store.execute("NOSUCHCOMMAND", "x")
    assert str(raised.value).startswith("ERR unknown command 'NOSUCHCOMMAND'")
    with pytest.raises(TypeError):
        store.set("k", None)
    with pytest.raises(TypeError):
        store.set("k", True)


def test_select_and_flushdb(store):
    store.set("k", "db0")
    assert store.select(3) is True
    assert store.get("k") is None
    store.set("k", "db3")
    assert store.dbsize() == 1
    assert store.flushdb() is True
    assert store.dbsize() == 0
    store.select(0)
    assert store.get("k") == b"db0"
    with pytest.raises(ember.ResponseError) as raised:
        store.select(16)
    assert str(raised.value) == "ERR DB index is out of range"


def test_databases_setting():
    s = ember.Store(databases=2)
    try:
        assert s.select(1) is True
        with pytest.raises(ember.ResponseError):
            s.select(2)
    finally:
        s.close()


def test_execute_runs_any_command_with_redis_replies(store):
    assert store.execute("HSET", "h", "f", "v", "g", "w") == 2
    assert store.execute("HGETALL", "h") == [b"f", b"v", b"g", b"w"]
    assert store.execute("PING") == b"PONG"
    assert store.execute("ZADD", "z", 1.5, "m") == 1
    assert store.execute("ZSCORE", "z", "m") == b"1.5"
    # EXEC's errors stay in the list; a blocking pop answers at once, as inside MULTI.
    assert store.execute("BLPOP", "empty", 0) is None


def test_maxmemory_with_eviction_and_noeviction():
    lru = ember.Store(maxmemory="2mb", maxmemory_policy="allkeys-lru")
    try:
        for i in range(5000):
            lru.set(f"k{i}", "x" * 1000)
        assert 0 < lru.dbsize() < 5000
        assert "evicted_keys:0\r\n" not in lru.execute("INFO", "stats").decode()
    finally:
        lru.close()
    strict = ember.Store(maxmemory="1mb")
    try:
        with pytest.raises(ember.ResponseError) as raised:
            for i in range(5000):
                strict.set(f"k{i}", "x" * 1000)
        assert str(raised.value).startswith("OOM command not allowed")
        assert strict.get("k0") == b"x" * 1000
    finally:
        strict.close()


def test_invalid_settings_raise_value_error():
    with pytest.raises(ValueError):
        ember.Store(maxmemory_policy="sometimes")
    with pytest.raises(ValueError):
        ember.Store(config={"no-such-setting": 1})
    with pytest.raises(ValueError):
        ember.Store(appendonly=True)


def test_memory_only_store_refuses_to_write_files(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store.set("k", "v")
    for command in (["SAVE"], ["BGSAVE"], ["BGREWRITEAOF"], ["CONFIG", "SET", "appendonly", "yes"]):
        with pytest.raises(ember.ResponseError) as raised:
            store.execute(*command)
        assert "memory only" in str(raised.value)
    with pytest.raises(ember.ResponseError):
        store.save()
    assert list(tmp_path.iterdir()) == []


def test_closed_store_refuses_calls():
    s = ember.Store()
    s.set("k", "v")
    s.close()
    assert s.closed
    with pytest.raises(ember.ResponseError) as raised:
        s.get("k")
    assert "closed" in str(raised.value)
    s.close()  # closing twice is harmless


def test_context_manager_closes(tmp_path):
    with ember.Store(tmp_path) as s:
        s.set("k", "v")
    assert s.closed
    assert (tmp_path / "dump.rdb").exists()


def test_config_get_reflects_the_store_settings(tmp_path):
    s = ember.Store(tmp_path, maxmemory=10 * 1024 * 1024, maxmemory_policy="volatile-ttl")
    try:
        assert s.execute("CONFIG", "GET", "maxmemory") == [b"maxmemory", b"10485760"]
        assert s.execute("CONFIG", "GET", "maxmemory-policy") == [b"maxmemory-policy",
                                                                  b"volatile-ttl"]
        assert s.execute("CONFIG", "GET", "dir")[1] == str(tmp_path.resolve()).encode()
    finally:
        s.close(save=False)


def test_connection_scoped_commands_are_refused_on_direct_calls(store):
    """Every thread's direct calls share one client: MULTI or SUBSCRIBE on it would change
    what the others get. They belong to ember.Redis connections."""
    for command in (["MULTI"], ["SUBSCRIBE", "ch"], ["WATCH", "k"], ["MONITOR"], ["HELLO", "3"],
                    ["CLIENT", "REPLY", "OFF"], ["client", "tracking", "on"]):
        with pytest.raises(ember.ResponseError) as raised:
            store.execute(*command)
        assert "use ember.Redis" in str(raised.value), command
    assert store.set("k", "v") is True
    assert store.execute("CLIENT", "SETNAME", "direct") == b"OK"


def test_direct_calls_need_no_password():
    s = ember.Store(config={"requirepass": "secret"})
    try:
        assert s.set("k", "v") is True
        assert s.get("k") == b"v"
    finally:
        s.close()


def test_direct_write_waits_out_client_pause_write(store):
    store.execute("CLIENT", "PAUSE", 300, "WRITE")
    start = time.monotonic()
    assert store.get("k") is None  # reads are not held by a WRITE pause
    store.set("k", "v")
    assert time.monotonic() - start >= 0.25
    assert store.get("k") == b"v"
