"""A set of tests taken from how fakeredis is used: the same test module runs against
`ember.Redis()`, against `fakeredis.FakeRedis()` and against redis-py connected to
`ember-server`, with identical results for the supported commands.

Applications test their Redis code against fakeredis so that no server is needed; these tests
are written the way such suites are (caches, counters, sessions, tags, leaderboards, job
queues, optimistic locking), and every assertion names the one value all three backends must
give. Only commands fakeredis 1.9 (Debian's python3-fakeredis) implements as Redis does are
used: where it differs (INCRBYFLOAT's stored text for fractions that are not exact in binary,
RPOPLPUSH/LMOVE from an empty list, KEYS/SCAN order, CLIENT commands), the test stays on the
common ground rather than special-casing a backend.

Every wait is bounded by WAIT seconds; ember-server is a fresh process per test.
"""


import pytest

from helpers import WAIT, next_message, wait_until
BACKENDS = ("embedded", "fakeredis", "ember-server")


def _ember():
    try:
        import ember
    except ImportError as error:
        pytest.fail(f"the ember package is not importable ({error}): put <build>/python on "
                    "PYTHONPATH (tools/python prints it)")
    return ember


class Backend:
    """Clients that all see one keyspace, as several clients of one server do."""

    def __init__(self, name, make_client, on_close=None):
        self.name = name
        self._make_client = make_client
        self._on_close = on_close
        self._clients = []

    def client(self, **kwargs):
        client = self._make_client(**kwargs)
        self._clients.append(client)
        return client

    def close(self):
        for client in self._clients:
            # Redis.close() only returns a connection to the pool; this closes them.
            client.connection_pool.disconnect()
        if self._on_close is not None:
            self._on_close()


def open_backend(name, request):
    if name == "embedded":
        request.getfixturevalue("redis_py")
        ember = _ember()
        store = ember.Store()
        return Backend(name, lambda **kwargs: ember.Redis(store=store, **kwargs), store.close)
    if name == "fakeredis":
        fakeredis = request.getfixturevalue("fakeredis_module")
        server = fakeredis.FakeServer()
        return Backend(name, lambda **kwargs: fakeredis.FakeRedis(server=server, **kwargs))
    request.getfixturevalue("redis_py")
    server = request.getfixturevalue("start_ember")()
    return Backend(name, lambda **kwargs: server.client(socket_timeout=WAIT, **kwargs))


@pytest.fixture(params=BACKENDS)
def backend(request):
    opened = open_backend(request.param, request)
    yield opened
    opened.close()


@pytest.fixture
def r(backend):
    client = backend.client()
    client.flushall()
    return client


@pytest.fixture
def text(backend, r):
    """A decode_responses=True client on the same keyspace as `r`."""
    return backend.client(decode_responses=True)


WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


# Caches with TTLs

def test_cache_entry_is_read_back_until_it_is_deleted(r):
    assert r.get("page:/home") is None
    assert r.set("page:/home", "<html>home</html>", ex=60) is True
    assert r.get("page:/home") == b"<html>home</html>"
    assert r.delete("page:/home") == 1
    assert r.get("page:/home") is None
    assert r.delete("page:/home") == 0


def test_cache_ttl_is_reported_in_seconds_and_milliseconds(r):
    r.set("fragment", "x", ex=60)
    # Both round the remaining time: right after the SET it is 60 s, unless the machine
    # stalled for more than a second in between.
    assert r.ttl("fragment") in (59, 60)
    assert 58_000 < r.pttl("fragment") <= 60_000
    r.set("fragment:px", "x", px=30_000)
    assert 28_000 < r.pttl("fragment:px") <= 30_000


def test_setex_and_psetex_store_with_a_ttl(r):
    assert r.setex("token", 100, "abc") is True
    assert r.psetex("otp", 50_000, "123456") is True
    assert r.get("token") == b"abc"
    assert r.get("otp") == b"123456"
    assert r.ttl("token") in (99, 100)
    assert 48_000 < r.pttl("otp") <= 50_000


def test_cache_entry_expires(r):
    r.set("short", "lived", px=100)
    r.set("long", "lived", ex=100)
    assert wait_until(lambda: r.get("short") is None)
    assert r.exists("short") == 0
    assert r.ttl("short") == -2
    assert r.get("long") == b"lived"


def test_overwriting_a_cached_value_drops_its_ttl(r):
    r.set("k", "v1", ex=100)
    r.set("k", "v2")
    assert r.ttl("k") == -1
    assert r.get("k") == b"v2"


def test_expire_ttl_and_persist(r):
    r.set("session", "data")
    assert r.ttl("session") == -1
    assert r.ttl("missing") == -2
    assert r.pttl("missing") == -2
    assert r.expire("session", 100) is True
    assert r.ttl("session") in (99, 100)
    assert r.persist("session") is True
    assert r.persist("session") is False
    assert r.ttl("session") == -1
    assert r.expire("missing", 10) is False
    assert r.persist("missing") is False
    assert r.pexpire("session", 20_000) is True
    assert 18_000 < r.pttl("session") <= 20_000


def test_set_nx_as_a_lock_and_xx_as_an_update(r):
    assert r.set("lock:report", "worker-1", nx=True, ex=30) is True
    assert r.set("lock:report", "worker-2", nx=True, ex=30) is None
    assert r.get("lock:report") == b"worker-1"
    assert r.set("missing", "v", xx=True) is None
    assert r.exists("missing") == 0
    assert r.set("lock:report", "worker-1-renewed", xx=True) is True
    assert r.get("lock:report") == b"worker-1-renewed"


def test_set_get_returns_the_previous_value(r):
    assert r.set("config", "v1", get=True) is None
    assert r.set("config", "v2", get=True) == b"v1"
    assert r.get("config") == b"v2"


def test_setnx_and_msetnx(r):
    assert r.setnx("first", "a") is True
    assert r.setnx("first", "b") is False
    assert r.get("first") == b"a"
    assert r.msetnx({"x": "1", "y": "2"}) is True
    # One existing key stops all of them.
    assert r.msetnx({"y": "3", "z": "4"}) is False
    assert r.mget("x", "y", "z") == [b"1", b"2", None]


def test_getset_returns_the_old_value_and_clears_the_ttl(r):
    assert r.getset("visits:last", "10") is None
    r.expire("visits:last", 100)
    assert r.getset("visits:last", "11") == b"10"
    assert r.get("visits:last") == b"11"
    assert r.ttl("visits:last") == -1


def test_mset_and_mget_in_order_with_gaps(r):
    assert r.mset({"user:1:name": "Ada", "user:2:name": "Grace", "user:3:name": "Edsger"})
    assert r.mget(["user:1:name", "user:9:name", "user:3:name"]) == [b"Ada", None, b"Edsger"]
    assert r.mget("user:2:name", "user:1:name") == [b"Grace", b"Ada"]
    r.rpush("a-list", "x")
    # MGET answers nil for a key of another type rather than failing.
    assert r.mget("user:1:name", "a-list") == [b"Ada", None]


def test_append_strlen_and_ranges(r):
    assert r.append("log", "hello") == 5
    assert r.append("log", " world") == 11
    assert r.strlen("log") == 11
    assert r.strlen("missing") == 0
    assert r.getrange("log", 0, 4) == b"hello"
    assert r.getrange("log", -5, -1) == b"world"
    assert r.setrange("log", 6, "there") == 11
    assert r.get("log") == b"hello there"


def test_binary_values_round_trip(r):
    payload = bytes(range(256)) * 4
    r.set(b"blob:\x00\xff", payload)
    assert r.get(b"blob:\x00\xff") == payload
    assert r.strlen(b"blob:\x00\xff") == 1024


# Counters

def test_page_view_counters(r):
    assert r.incr("views") == 1
    assert r.incr("views") == 2
    assert r.incrby("views", 10) == 12
    assert r.decr("views") == 11
    assert r.decrby("views", 5) == 6
    assert r.incr("views", -10) == -4
    assert r.get("views") == b"-4"
    r.set("preset", "41")
    assert r.incr("preset") == 42


def test_incr_on_text_raises(r, redis_py):
    r.set("name", "ember")
    with pytest.raises(redis_py.exceptions.ResponseError) as caught:
        r.incr("name")
    assert str(caught.value) == "value is not an integer or out of range"
    with pytest.raises(redis_py.exceptions.ResponseError) as caught:
        r.incrby("name", 2)
    assert str(caught.value) == "value is not an integer or out of range"
    assert r.get("name") == b"ember"


def test_incrbyfloat_with_exact_binary_fractions(r):
    # Fractions exact in binary: fakeredis formats INCRBYFLOAT's result from a double, Redis
    # from a long double, so 0.1 steps would store different text.
    assert r.incrbyfloat("price", 10.5) == 10.5
    assert r.incrbyfloat("price", 0.25) == 10.75
    assert r.get("price") == b"10.75"
    assert r.incrbyfloat("price", -0.75) == 10.0
    assert r.get("price") == b"10"
    r.set("int", "3")
    assert r.incrbyfloat("int", 1.5) == 4.5
    assert r.get("int") == b"4.5"


def test_counters_in_a_pipeline(r):
    pipe = r.pipeline()
    for page in ("home", "about", "home", "home"):
        pipe.incr(f"hits:{page}")
    assert pipe.execute() == [1, 1, 2, 3]
    assert r.mget("hits:home", "hits:about") == [b"3", b"1"]


# Session hashes

def test_session_hash_fields(r):
    assert r.hset("session:42", mapping={"user": "ada", "role": "admin", "visits": 1}) == 3
    assert r.hset("session:42", "role", "owner") == 0
    assert r.hget("session:42", "role") == b"owner"
    assert r.hget("session:42", "missing") is None
    assert r.hget("no-session", "user") is None
    assert r.hgetall("session:42") == {b"user": b"ada", b"role": b"owner", b"visits": b"1"}
    assert r.hgetall("no-session") == {}
    assert r.hmget("session:42", ["user", "nope", "visits"]) == [b"ada", None, b"1"]
    assert r.hexists("session:42", "user") is True
    assert r.hexists("session:42", "nope") is False
    assert r.hlen("session:42") == 3
    assert sorted(r.hkeys("session:42")) == [b"role", b"user", b"visits"]
    assert sorted(r.hvals("session:42")) == [b"1", b"ada", b"owner"]
    assert r.hstrlen("session:42", "role") == 5


def test_hincrby_and_hincrbyfloat(r):
    assert r.hincrby("stats", "logins") == 1
    assert r.hincrby("stats", "logins", 4) == 5
    assert r.hincrby("stats", "logins", -2) == 3
    assert r.hincrbyfloat("stats", "spent", 2.5) == 2.5
    assert r.hincrbyfloat("stats", "spent", 0.25) == 2.75
    assert r.hgetall("stats") == {b"logins": b"3", b"spent": b"2.75"}


def test_hsetnx_and_hdel(r):
    assert r.hsetnx("prefs", "theme", "dark") == 1
    assert r.hsetnx("prefs", "theme", "light") == 0
    assert r.hget("prefs", "theme") == b"dark"
    r.hset("prefs", "lang", "en")
    assert r.hdel("prefs", "theme", "nope") == 1
    assert r.hdel("prefs", "lang") == 1
    # The last field gone, the key is gone.
    assert r.exists("prefs") == 0


def test_session_hash_expires_as_a_whole(r):
    r.hset("session:7", mapping={"user": "grace"})
    assert r.expire("session:7", 1800) is True
    assert r.ttl("session:7") in (1799, 1800)
    r.hset("session:7", "seen", "now")
    # Changing a field keeps the key's TTL.
    assert r.ttl("session:7") in (1799, 1800)


def test_hscan_iter_with_match(r):
    r.hset("inventory", mapping={f"item:{i}": i for i in range(50)})
    r.hset("inventory", mapping={f"other:{i}": i for i in range(10)})
    assert dict(r.hscan_iter("inventory", match="item:1*")) == {
        f"item:{i}".encode(): str(i).encode() for i in [1, *range(10, 20)]}
    assert len(dict(r.hscan_iter("inventory", count=7))) == 60


# Sets of tags

def test_tags_on_an_article(r):
    assert r.sadd("article:1:tags", "python", "redis", "testing") == 3
    assert r.sadd("article:1:tags", "redis", "databases") == 1
    assert r.smembers("article:1:tags") == {b"python", b"redis", b"testing", b"databases"}
    assert r.scard("article:1:tags") == 4
    assert r.sismember("article:1:tags", "redis") is True
    assert r.sismember("article:1:tags", "java") is False
    assert r.smismember("article:1:tags", ["python", "java"]) == [1, 0]
    assert r.srem("article:1:tags", "testing", "java") == 1
    assert r.smembers("missing") == set()
    assert r.scard("missing") == 0


def test_set_operations_between_tag_sets(r):
    r.sadd("tags:a", "python", "redis", "c++")
    r.sadd("tags:b", "redis", "go", "python")
    r.sadd("tags:c", "redis")
    assert r.sinter("tags:a", "tags:b") == {b"python", b"redis"}
    assert r.sinter("tags:a", "tags:b", "tags:c") == {b"redis"}
    assert r.sunion("tags:a", "tags:b") == {b"python", b"redis", b"c++", b"go"}
    assert r.sdiff("tags:a", "tags:b") == {b"c++"}
    assert r.sdiff("tags:b", "tags:a", "tags:c") == {b"go"}
    assert r.sinter("tags:a", "missing") == set()
    assert r.sunion("missing") == set()


def test_set_operations_that_store_their_result(r):
    r.sadd("s1", "a", "b", "c")
    r.sadd("s2", "b", "c", "d")
    assert r.sinterstore("both", ["s1", "s2"]) == 2
    assert r.smembers("both") == {b"b", b"c"}
    assert r.sunionstore("either", ["s1", "s2"]) == 4
    assert r.smembers("either") == {b"a", b"b", b"c", b"d"}
    assert r.sdiffstore("only1", ["s1", "s2"]) == 1
    assert r.smembers("only1") == {b"a"}
    # An empty result deletes the destination.
    assert r.sinterstore("both", ["s1", "missing"]) == 0
    assert r.exists("both") == 0


def test_smove_spop_and_srandmember(r):
    r.sadd("pending", "t1", "t2", "t3")
    assert r.smove("pending", "done", "t1") is True
    assert r.smove("pending", "done", "nope") is False
    assert r.smembers("done") == {b"t1"}
    member = r.srandmember("pending")
    assert member in {b"t2", b"t3"}
    assert r.scard("pending") == 2
    assert sorted(r.srandmember("pending", 5)) == [b"t2", b"t3"]
    popped = r.spop("pending")
    assert popped in {b"t2", b"t3"}
    assert r.smembers("pending") == {b"t2", b"t3"} - {popped}
    assert sorted(r.spop("pending", 3)) == sorted({b"t2", b"t3"} - {popped})
    assert r.exists("pending") == 0


def test_sscan_iter_with_match(r):
    r.sadd("users", *[f"user:{i}" for i in range(40)], "admin")
    assert set(r.sscan_iter("users", match="user:3*")) == {
        f"user:{i}".encode() for i in [3, *range(30, 40)]}
    assert len(set(r.sscan_iter("users", count=5))) == 41


# Leaderboards with sorted sets

def test_leaderboard_top_players(r):
    assert r.zadd("scores", {"ada": 120, "grace": 300, "edsger": 90, "barbara": 300}) == 4
    assert r.zrevrange("scores", 0, 2, withscores=True) == [
        (b"grace", 300.0), (b"barbara", 300.0), (b"ada", 120.0)]
    assert r.zrange("scores", 0, -1) == [b"edsger", b"ada", b"barbara", b"grace"]
    assert r.zrange("scores", 0, 1, withscores=True) == [(b"edsger", 90.0), (b"ada", 120.0)]
    assert r.zrange("scores", 0, 0, desc=True) == [b"grace"]
    assert r.zcard("scores") == 4
    assert r.zrange("missing", 0, -1) == []


def test_zincrby_and_zscore(r):
    assert r.zincrby("scores", 10, "ada") == 10.0
    assert r.zincrby("scores", 5.5, "ada") == 15.5
    assert r.zincrby("scores", -20, "ada") == -4.5
    assert r.zscore("scores", "ada") == -4.5
    assert r.zscore("scores", "nobody") is None
    assert r.zscore("missing", "ada") is None


def test_zrank_and_zrevrank(r):
    r.zadd("scores", {"a": 1, "b": 2, "c": 3})
    assert r.zrank("scores", "a") == 0
    assert r.zrank("scores", "c") == 2
    assert r.zrevrank("scores", "a") == 2
    assert r.zrank("scores", "nobody") is None
    assert r.zrevrank("missing", "a") is None


def test_zrangebyscore_windows(r):
    r.zadd("events", {"e1": 100, "e2": 200, "e3": 300, "e4": 400, "e5": 500})
    assert r.zrangebyscore("events", 200, 400) == [b"e2", b"e3", b"e4"]
    assert r.zrangebyscore("events", "(200", "+inf") == [b"e3", b"e4", b"e5"]
    assert r.zrangebyscore("events", "-inf", "(300", withscores=True) == [
        (b"e1", 100.0), (b"e2", 200.0)]
    assert r.zrangebyscore("events", 0, 1000, start=1, num=2) == [b"e2", b"e3"]
    assert r.zrevrangebyscore("events", 500, 300) == [b"e5", b"e4", b"e3"]
    assert r.zcount("events", 150, 450) == 3
    assert r.zcount("events", "(100", "(500") == 3


def test_zadd_options_and_removal(r):
    r.zadd("z", {"a": 1, "b": 2})
    assert r.zadd("z", {"a": 10, "c": 3}, nx=True) == 1
    assert r.zscore("z", "a") == 1.0
    assert r.zadd("z", {"a": 5, "d": 4}, xx=True) == 0
    assert r.zscore("z", "a") == 5.0
    assert r.zscore("z", "d") is None
    assert r.zadd("z", {"a": 6, "b": 2, "e": 7}, ch=True) == 2
    assert r.zadd("z", {"b": 3}, incr=True) == 5.0
    assert r.zrem("z", "a", "nope") == 1
    assert r.zremrangebyscore("z", 0, 3) == 1
    assert r.zrange("z", 0, -1, withscores=True) == [(b"b", 5.0), (b"e", 7.0)]
    assert r.zremrangebyrank("z", 0, 0) == 1
    assert r.zrange("z", 0, -1) == [b"e"]


# Job queues with lists

def test_fifo_job_queue(r):
    assert r.lpush("jobs", "job1") == 1
    assert r.lpush("jobs", "job2", "job3") == 3
    assert r.llen("jobs") == 3
    assert r.rpop("jobs") == b"job1"
    assert r.rpop("jobs") == b"job2"
    assert r.rpop("jobs") == b"job3"
    assert r.rpop("jobs") is None
    assert r.exists("jobs") == 0


def test_reliable_queue_with_rpoplpush(r):
    r.lpush("queue", "a", "b", "c")
    assert r.rpoplpush("queue", "processing") == b"a"
    assert r.rpoplpush("queue", "processing") == b"b"
    assert r.lrange("processing", 0, -1) == [b"b", b"a"]
    assert r.lrange("queue", 0, -1) == [b"c"]
    # Acknowledged: removed from the processing list.
    assert r.lrem("processing", 1, "a") == 1
    assert r.lrange("processing", 0, -1) == [b"b"]


def test_lmove_between_queues_and_rotation(r):
    r.rpush("todo", "1", "2", "3")
    assert r.lmove("todo", "doing", "LEFT", "RIGHT") == b"1"
    assert r.lmove("todo", "doing", "RIGHT", "LEFT") == b"3"
    assert r.lrange("doing", 0, -1) == [b"3", b"1"]
    assert r.lrange("todo", 0, -1) == [b"2"]
    r.rpush("ring", "a", "b", "c")
    assert r.lmove("ring", "ring", "LEFT", "RIGHT") == b"a"
    assert r.lrange("ring", 0, -1) == [b"b", b"c", b"a"]


def test_capped_recent_activity_list(r):
    for i in range(10):
        r.lpush("recent", f"event:{i}")
        r.ltrim("recent", 0, 4)
    assert r.lrange("recent", 0, -1) == [f"event:{i}".encode() for i in (9, 8, 7, 6, 5)]
    assert r.lrange("recent", 1, 2) == [b"event:8", b"event:7"]
    assert r.lrange("recent", -2, -1) == [b"event:6", b"event:5"]
    assert r.lrange("recent", 10, 20) == []
    assert r.ltrim("recent", 1, -2) is True
    assert r.lrange("recent", 0, -1) == [b"event:8", b"event:7", b"event:6"]


def test_lrem_by_count_direction(r):
    r.rpush("l", "x", "a", "x", "b", "x", "c", "x")
    assert r.lrem("l", 2, "x") == 2
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"x", b"c", b"x"]
    assert r.lrem("l", -1, "x") == 1
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"x", b"c"]
    assert r.lrem("l", 0, "x") == 1
    assert r.lrem("l", 0, "nope") == 0
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"c"]


def test_lindex_lset_linsert(r):
    r.rpush("l", "a", "b", "c")
    assert r.lindex("l", 0) == b"a"
    assert r.lindex("l", -1) == b"c"
    assert r.lindex("l", 10) is None
    assert r.lset("l", 1, "B") is True
    assert r.linsert("l", "BEFORE", "c", "b2") == 4
    assert r.linsert("l", "AFTER", "a", "a2") == 5
    assert r.linsert("l", "AFTER", "nope", "z") == -1
    assert r.lrange("l", 0, -1) == [b"a", b"a2", b"B", b"b2", b"c"]


def test_lpop_and_rpop_with_count(r):
    r.rpush("batch", *[f"m{i}" for i in range(5)])
    assert r.lpop("batch", 2) == [b"m0", b"m1"]
    assert r.rpop("batch", 2) == [b"m4", b"m3"]
    assert r.lpop("batch", 10) == [b"m2"]
    assert r.lpop("batch", 2) is None


def test_blpop_with_a_job_waiting_returns_at_once(r):
    r.rpush("work", "j1", "j2")
    assert r.blpop(["empty", "work"], timeout=1) == (b"work", b"j1")
    assert r.brpop("work", timeout=1) == (b"work", b"j2")
    assert r.exists("work") == 0


# Pipelines and transactions

def test_pipeline_transaction_returns_every_reply(r):
    pipe = r.pipeline(transaction=True)
    pipe.set("balance", 100).incrby("balance", 50).get("balance").exists("balance", "nope")
    assert pipe.execute() == [True, 150, b"150", 1]


def test_pipeline_without_transaction(r):
    pipe = r.pipeline(transaction=False)
    for i in range(100):
        pipe.set(f"item:{i}", i)
    for i in range(100):
        pipe.get(f"item:{i}")
    results = pipe.execute()
    assert results[:100] == [True] * 100
    assert results[100:] == [str(i).encode() for i in range(100)]
    assert r.dbsize() == 100


def test_pipeline_as_context_manager_is_reusable(r):
    with r.pipeline() as pipe:
        pipe.rpush("l", "a", "b").lrange("l", 0, -1)
        assert pipe.execute() == [2, [b"a", b"b"]]
        pipe.llen("l")
        assert pipe.execute() == [2]


def test_error_inside_exec_comes_back_in_the_results(r, redis_py):
    r.set("text", "abc")
    pipe = r.pipeline(transaction=True)
    pipe.set("a", "1").incr("text").incr("a")
    results = pipe.execute(raise_on_error=False)
    assert results[0] is True
    assert isinstance(results[1], redis_py.exceptions.ResponseError)
    assert "value is not an integer or out of range" in str(results[1])
    assert results[2] == 2
    # The rest of the transaction ran.
    assert r.get("a") == b"2"
    pipe = r.pipeline(transaction=True)
    pipe.lpush("text", "x").set("b", "1")
    with pytest.raises(redis_py.exceptions.ResponseError) as caught:
        pipe.execute()
    assert WRONGTYPE in str(caught.value)
    assert r.get("b") == b"1"


def test_watch_detects_a_concurrent_change(backend, r, redis_py):
    other = backend.client()
    r.set("stock:widget", 10)
    with r.pipeline() as pipe:
        pipe.watch("stock:widget")
        stock = int(pipe.get("stock:widget"))
        other.decr("stock:widget")  # another buyer got there first
        pipe.multi()
        pipe.set("stock:widget", stock - 1)
        with pytest.raises(redis_py.exceptions.WatchError):
            pipe.execute()
    assert r.get("stock:widget") == b"9"


def test_watch_retry_loop_succeeds_on_the_second_attempt(backend, r, redis_py):
    other = backend.client()
    r.set("balance", 100)
    attempts = 0
    with r.pipeline() as pipe:
        while attempts < 5:
            attempts += 1
            try:
                pipe.watch("balance")
                balance = int(pipe.get("balance"))
                if attempts == 1:
                    other.incrby("balance", 50)
                pipe.multi()
                pipe.set("balance", balance - 30)
                assert pipe.execute() == [True]
                break
            except redis_py.exceptions.WatchError:
                continue
    assert attempts == 2
    assert r.get("balance") == b"120"


def test_transaction_helper_retries_around_watch(r):
    r.set("counter", 5)

    def double(pipe):
        value = int(pipe.get("counter"))
        pipe.multi()
        pipe.set("counter", value * 2)

    assert r.transaction(double, "counter") == [True]
    assert r.get("counter") == b"10"


def test_unwatch_forgets_the_watched_keys(backend, r):
    other = backend.client()
    with r.pipeline() as pipe:
        pipe.watch("k")
        other.set("k", "changed")
        pipe.unwatch()
        pipe.multi()
        pipe.set("k", "mine")
        assert pipe.execute() == [True]
    assert r.get("k") == b"mine"


# Keys

def test_keys_with_patterns(r):
    r.mset({"user:1": "a", "user:2": "b", "user:10": "c", "order:1": "d"})
    # KEYS's order is the keyspace's own; only the membership is common ground.
    assert sorted(r.keys("user:*")) == [b"user:1", b"user:10", b"user:2"]
    assert sorted(r.keys("user:?")) == [b"user:1", b"user:2"]
    assert sorted(r.keys("*:1")) == [b"order:1", b"user:1"]
    assert sorted(r.keys("user:[12]")) == [b"user:1", b"user:2"]
    assert r.keys("nothing*") == []
    assert len(r.keys()) == 4


def test_scan_iter_with_match(r):
    pipe = r.pipeline(transaction=False)
    for i in range(120):
        pipe.set(f"cache:{i}", i)
    for i in range(30):
        pipe.set(f"lock:{i}", i)
    pipe.execute()
    assert set(r.scan_iter(match="lock:*")) == {f"lock:{i}".encode() for i in range(30)}
    assert set(r.scan_iter(match="cache:1?", count=7)) == {
        f"cache:{i}".encode() for i in range(10, 20)}
    found = list(r.scan_iter(count=25))
    assert len(found) == 150
    assert len(set(found)) == 150


def test_rename_and_renamenx(r, redis_py):
    r.set("draft", "text", ex=100)
    assert r.rename("draft", "published") is True
    assert r.exists("draft") == 0
    assert r.get("published") == b"text"
    # The TTL moves with the value.
    assert r.ttl("published") in (99, 100)
    r.set("other", "x")
    assert r.renamenx("published", "other") is False
    assert r.renamenx("published", "final") is True
    with pytest.raises(redis_py.exceptions.ResponseError) as caught:
        r.rename("missing", "anything")
    assert str(caught.value) == "no such key"


def test_exists_counts_every_name_given(r):
    r.set("a", "1")
    r.set("b", "2")
    assert r.exists("a") == 1
    assert r.exists("a", "a", "a") == 3
    assert r.exists("a", "b", "missing", "b") == 3
    assert r.exists("missing") == 0
    assert r.delete("a", "a", "missing") == 1


def test_type_of_each_kind_of_value(r):
    r.set("s", "v")
    r.rpush("l", "v")
    r.hset("h", "f", "v")
    r.sadd("set", "v")
    r.zadd("z", {"v": 1})
    assert [r.type(k) for k in ("s", "l", "h", "set", "z", "missing")] == [
        b"string", b"list", b"hash", b"set", b"zset", b"none"]


def test_wrong_type_operations_raise(r, redis_py):
    r.set("text", "v")
    r.rpush("list", "v")
    r.sadd("tags", "v")
    calls = [
        lambda: r.lpush("text", "x"),
        lambda: r.hset("text", "f", "v"),
        lambda: r.get("list"),
        lambda: r.incr("list"),
        lambda: r.hget("tags", "f"),
        lambda: r.zadd("tags", {"m": 1}),
        lambda: r.sadd("list", "x"),
        lambda: r.sinter("tags", "text"),
    ]
    for call in calls:
        with pytest.raises(redis_py.exceptions.ResponseError) as caught:
            call()
        assert str(caught.value) == WRONGTYPE
    # A failed command changes nothing.
    assert r.get("text") == b"v"
    assert r.lrange("list", 0, -1) == [b"v"]


def test_flushdb_and_dbsize(r):
    assert r.dbsize() == 0
    r.mset({"a": "1", "b": "2"})
    r.rpush("c", "x")
    assert r.dbsize() == 3
    assert r.flushdb() is True
    assert r.dbsize() == 0
    assert r.get("a") is None


def test_select_another_database_with_db_1(backend, r):
    db1 = backend.client(db=1)
    r.set("k", "in-db0")
    db1.set("k", "in-db1")
    db1.set("only-db1", "x")
    assert r.get("k") == b"in-db0"
    assert db1.get("k") == b"in-db1"
    assert r.exists("only-db1") == 0
    assert (r.dbsize(), db1.dbsize()) == (1, 2)
    assert db1.flushdb() is True
    assert db1.dbsize() == 0
    assert r.get("k") == b"in-db0"
    r.flushall()
    assert r.dbsize() == 0


# decode_responses=True

def test_decode_responses_gives_str(text):
    text.set("greeting", "héllo wörld")
    assert text.get("greeting") == "héllo wörld"
    assert text.strlen("greeting") == len("héllo wörld".encode())
    text.hset("user", mapping={"name": "Zoë", "lang": "fr"})
    assert text.hgetall("user") == {"name": "Zoë", "lang": "fr"}
    text.sadd("tags", "a", "b")
    assert text.smembers("tags") == {"a", "b"}
    text.rpush("list", "x", "y")
    assert text.lrange("list", 0, -1) == ["x", "y"]
    text.zadd("z", {"m": 1.5})
    assert text.zrange("z", 0, -1, withscores=True) == [("m", 1.5)]
    assert sorted(text.keys("*")) == ["greeting", "list", "tags", "user", "z"]
    assert text.type("z") == "zset"
    assert text.mget("greeting", "missing") == ["héllo wörld", None]


def test_decode_responses_and_bytes_clients_share_the_data(r, text):
    text.set("k", "ünïcode")
    assert r.get("k") == "ünïcode".encode()
    r.set("raw", b"caf\xc3\xa9")
    assert text.get("raw") == "café"
    pipe = text.pipeline()
    pipe.incr("n").get("n").hset("h", "f", "v").hgetall("h")
    assert pipe.execute() == [1, "1", 1, {"f": "v"}]


# Bits

def test_setbit_getbit_bitcount(r):
    assert r.setbit("online", 7, 1) == 0
    assert r.setbit("online", 7, 1) == 1
    assert r.setbit("online", 0, 1) == 0
    assert r.getbit("online", 7) == 1
    assert r.getbit("online", 1) == 0
    assert r.getbit("online", 1000) == 0
    assert r.get("online") == b"\x81"
    assert r.bitcount("online") == 2
    assert r.setbit("online", 20, 1) == 0
    assert r.get("online") == b"\x81\x00\x08"
    assert r.bitcount("online", 1, 2) == 1
    assert r.bitcount("online", -1, -1) == 1
    assert r.setbit("online", 7, 0) == 1
    assert r.bitcount("online") == 2
    r.set("word", "foobar")
    assert r.bitcount("word") == 26
    assert r.bitcount("word", 1, 1) == 6
    assert r.bitcount("missing") == 0


# Pub/sub

def test_pubsub_get_message_round_trip(backend, r):
    pubsub = r.pubsub()
    try:
        pubsub.subscribe("news")
        assert next_message(pubsub) == {
            "type": "subscribe", "pattern": None, "channel": b"news", "data": 1}
        assert r.publish("news", "hello") == 1
        assert r.publish("sport", "ignored") == 0
        assert next_message(pubsub) == {
            "type": "message", "pattern": None, "channel": b"news", "data": b"hello"}
        pubsub.unsubscribe("news")
        assert next_message(pubsub) == {
            "type": "unsubscribe", "pattern": None, "channel": b"news", "data": 0}
        assert r.publish("news", "nobody listens") == 0
    finally:
        pubsub.close()


def test_pubsub_patterns_and_ignored_confirmations(backend, r):
    listener = backend.client()
    pubsub = listener.pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.psubscribe("orders.*")
        pubsub.subscribe("orders.created")
        # Confirmations are read (and dropped) before the publications.
        assert pubsub.get_message(timeout=WAIT) is None
        assert pubsub.get_message(timeout=WAIT) is None
        assert r.publish("orders.created", "o1") == 2
        assert r.publish("orders.paid", "o1") == 1
        messages = [next_message(pubsub) for _ in range(3)]
        assert messages == [
            {"type": "message", "pattern": None, "channel": b"orders.created", "data": b"o1"},
            {"type": "pmessage", "pattern": b"orders.*", "channel": b"orders.created",
             "data": b"o1"},
            {"type": "pmessage", "pattern": b"orders.*", "channel": b"orders.paid",
             "data": b"o1"},
        ]
    finally:
        pubsub.close()


# Connection basics

def test_ping_and_echo(r, text):
    assert r.ping() is True
    assert r.echo("hi") == b"hi"
    assert text.echo("héllo") == "héllo"


# The same sessions on all three backends at once

SESSIONS = [
    # a cache with a counter beside it
    [("SET", "page", "<p>"), ("GET", "page"), ("SET", "page", "<q>", "NX"),
     ("SET", "page", "<r>", "XX"), ("GET", "page"), ("INCR", "hits"), ("INCRBY", "hits", 9),
     ("DECR", "hits"), ("INCR", "page"), ("APPEND", "page", "!"), ("STRLEN", "page"),
     ("MGET", "page", "hits", "missing"), ("EXISTS", "page", "page", "missing"),
     ("DEL", "page", "missing"), ("GET", "page"), ("TTL", "hits"), ("TTL", "missing")],
    # a session hash
    [("HSET", "s", "user", "ada", "visits", "1"), ("HINCRBY", "s", "visits", "2"),
     ("HGET", "s", "visits"), ("HMGET", "s", "user", "nope"), ("HGETALL", "s"),
     ("HSETNX", "s", "user", "bob"), ("HDEL", "s", "user", "nope"), ("HLEN", "s"),
     ("HEXISTS", "s", "user"), ("HINCRBY", "s", "user", "1"), ("GET", "s"),
     ("TYPE", "s"), ("DEL", "s"), ("HGETALL", "s")],
    # a job queue
    [("RPUSH", "q", "j1", "j2", "j3"), ("LPUSH", "q", "j0"), ("LRANGE", "q", "0", "-1"),
     ("RPOPLPUSH", "q", "busy"), ("LMOVE", "q", "busy", "LEFT", "LEFT"),
     ("LRANGE", "busy", "0", "-1"), ("LREM", "busy", "0", "j3"), ("LLEN", "busy"),
     ("LINDEX", "q", "0"), ("LTRIM", "q", "0", "0"), ("LRANGE", "q", "0", "-1"),
     ("LPOP", "q"), ("LPOP", "q"), ("EXISTS", "q"), ("SET", "q", "x"), ("LPUSH", "q", "y")],
    # tags
    [("SADD", "t1", "a", "b", "c"), ("SADD", "t2", "b", "c", "d"), ("SADD", "t1", "a"),
     ("SINTER", "t1", "t2"), ("SUNION", "t1", "t2"), ("SDIFF", "t1", "t2"),
     ("SINTERSTORE", "t3", "t1", "t2"), ("SMEMBERS", "t3"), ("SISMEMBER", "t3", "b"),
     ("SREM", "t3", "b", "c"), ("EXISTS", "t3"), ("SCARD", "t1"), ("SMOVE", "t1", "t2", "a"),
     ("SMEMBERS", "t2")],
    # a leaderboard
    [("ZADD", "lb", "10", "ada", "20", "bob", "15", "cy"), ("ZINCRBY", "lb", "7.5", "ada"),
     ("ZSCORE", "lb", "ada"), ("ZRANK", "lb", "ada"), ("ZREVRANK", "lb", "bob"),
     ("ZRANGE", "lb", "0", "-1", "WITHSCORES"), ("ZREVRANGE", "lb", "0", "0"),
     ("ZRANGEBYSCORE", "lb", "(15", "+inf"), ("ZCOUNT", "lb", "-inf", "17.5"),
     ("ZREM", "lb", "cy"), ("ZCARD", "lb"), ("ZADD", "lb", "XX", "CH", "1", "ada", "2", "new"),
     ("ZRANGE", "lb", "0", "-1", "WITHSCORES")],
    # expiry bookkeeping and renames
    [("SET", "k", "v"), ("EXPIRE", "k", "100"), ("PERSIST", "k"), ("TTL", "k"),
     ("RENAME", "k", "k2"), ("GET", "k"), ("GET", "k2"), ("RENAMENX", "k2", "k2b"),
     ("RENAME", "missing", "x"), ("SETNX", "k2b", "w"), ("GETSET", "k2b", "w"),
     ("GET", "k2b"), ("SETBIT", "bits", "3", "1"), ("GETBIT", "bits", "3"),
     ("BITCOUNT", "bits"), ("GET", "bits"), ("DBSIZE",), ("FLUSHDB",), ("DBSIZE",)],
]


def run_session(client, commands, errors):
    replies = []
    for command in commands:
        try:
            replies.append(client.execute_command(*command))
        except errors as error:
            replies.append(("error", str(error)))
    return replies


def test_scripted_sessions_give_identical_replies_on_all_three(request, redis_py):
    backends = [open_backend(name, request) for name in BACKENDS]
    try:
        replies = {}
        for opened in backends:
            client = opened.client()
            client.flushall()
            replies[opened.name] = [
                run_session(client, session, redis_py.exceptions.ResponseError)
                for session in SESSIONS]
        for index, session in enumerate(SESSIONS):
            assert (replies["embedded"][index] == replies["fakeredis"][index]
                    == replies["ember-server"][index]), (session, {
                        name: replies[name][index] for name in BACKENDS})
        # A sample of the replies, so that three identical wrong answers do not pass.
        cache, _, queue, _, _, renames = replies["embedded"]
        assert cache[8] == ("error", "value is not an integer or out of range")
        assert queue[-1] == ("error", WRONGTYPE)
        assert renames[8] == ("error", "no such key")
    finally:
        for opened in backends:
            opened.close()
