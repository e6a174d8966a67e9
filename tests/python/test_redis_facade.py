"""ember.Redis: redis-py's client over an in-process engine, held to what ember-server does.

ember.Redis's connections hand their bytes to the engine's own RESP parser and dispatcher, so
wherever a reply can be compared, the test runs the same commands against a real
ember-server (start_ember) through redis-py and asks for the same answer: pipelines and
MULTI/EXEC with errors inside, error texts, blocking commands inside MULTI, HELLO 3.
The rest is what only an in-process client has to get right: clients sharing one store see
each other's writes, WATCHes, publications and pushes; a blocked BLPOP releases the GIL and
the engine's lock; one client is safe to share between threads; a closed connection is
replaced as redis-py replaces a socket the server closed.

Every wait is bounded: blocking commands carry timeouts, threads are joined with WAIT, and
a wait that would hang on a bug is run in a thread and reported as a failure instead.
"""

import socket
import threading
import time

import pytest

from helpers import WAIT, next_message, wait_until
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


@pytest.fixture(scope="module")
def ember(redis_py):
    try:
        import ember
    except ImportError as error:
        pytest.fail(f"the ember package is not importable ({error}): put <build>/python on "
                    "PYTHONPATH (tools/python prints it)")
    return ember


@pytest.fixture
def store(ember):
    opened = ember.Store()
    yield opened
    if not opened.closed:
        opened.close()


@pytest.fixture
def clients(ember, store):
    """clients(**kwargs): an ember.Redis on the test's store; all are closed afterwards."""
    made = []

    def make(**kwargs):
        client = ember.Redis(store=store, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        # Redis.close() only returns a connection to the pool; this closes them.
        client.connection_pool.disconnect()


@pytest.fixture
def r(clients):
    return clients()


@pytest.fixture
def server(start_ember):
    return start_ember()


@pytest.fixture
def remote(server):
    """redis-py on a real ember-server: the reference for replies that can be compared."""
    client = server.client(socket_timeout=WAIT)
    yield client
    client.close()


def blocked_clients(client):
    return client.info("clients")["blocked_clients"]


class Background:
    """A function run in a daemon thread, its result or exception kept for the test."""

    def __init__(self, function, *args):
        self.result = None
        self.error = None
        self._thread = threading.Thread(target=self._run, args=(function, *args), daemon=True)
        self._thread.start()

    def _run(self, function, *args):
        try:
            self.result = function(*args)
        except BaseException as error:  # reported by join()
            self.error = error

    def alive(self):
        return self._thread.is_alive()

    def join(self, timeout=WAIT):
        """The function's result; fails when it is still running after `timeout`."""
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"still running after {timeout} s"
        if self.error is not None:
            raise self.error
        return self.result


def outcome(call, errors):
    """A call's result, or its error as (class name, text): comparable across clients."""
    try:
        return call()
    except errors as error:
        return (type(error).__name__, str(error))


def replies_or_errors(results):
    return [(type(item).__name__, str(item)) if isinstance(item, Exception) else item
            for item in results]


# Pipelines and transactions

def test_pipeline_transaction_replies_match_ember_server(r, remote):
    def run(client):
        pipe = client.pipeline(transaction=True)
        pipe.set("k", "1").incr("k").get("k").rpush("l", "a", "b").lrange("l", 0, -1)
        pipe.hset("h", mapping={"f": "v"}).hgetall("h").exists("k", "missing", "k")
        return pipe.execute()

    expected = [True, 2, b"2", 2, [b"a", b"b"], 1, {b"f": b"v"}, 2]
    assert run(r) == expected
    assert run(remote) == expected


def test_error_inside_exec_is_returned_in_the_result_list(r, remote, redis_py):
    def run(client):
        client.set("text", "abc")
        pipe = client.pipeline(transaction=True)
        pipe.set("a", "1").incr("text").lpush("text", "x").incr("a").get("a")
        return replies_or_errors(pipe.execute(raise_on_error=False)), client.get("a")

    embedded = run(r)
    assert embedded == run(remote)
    results, after = embedded
    assert results == [True, ("ResponseError", "value is not an integer or out of range"),
                       ("ResponseError", WRONGTYPE), 2, b"2"]
    # EXEC ran everything: the errors did not roll anything back.
    assert after == b"2"


def test_exec_error_raises_by_default_after_the_transaction_ran(r, remote, redis_py):
    def run(client):
        client.set("text", "abc")
        pipe = client.pipeline(transaction=True)
        pipe.set("before", "1").incr("text").set("after", "1")
        raised = outcome(pipe.execute, redis_py.exceptions.ResponseError)
        return raised, client.mget("before", "after")

    embedded = run(r)
    assert embedded == run(remote)
    raised, values = embedded
    assert raised[0] == "ResponseError"
    assert "value is not an integer or out of range" in raised[1]
    assert values == [b"1", b"1"]


def test_error_while_queueing_discards_the_whole_transaction(r, remote, redis_py):
    def run(client):
        pipe = client.pipeline(transaction=True)
        pipe.set("a", "1")
        pipe.execute_command("SET", "only-a-key")
        pipe.set("b", "1")
        raised = outcome(pipe.execute, redis_py.exceptions.ResponseError)
        return raised, client.exists("a", "b")

    embedded = run(r)
    assert embedded == run(remote)
    raised, existing = embedded
    assert "wrong number of arguments for 'set' command" in raised[1]
    assert existing == 0


def test_pipeline_without_transaction_keeps_errors_in_place(r, remote):
    def run(client):
        client.set("text", "abc")
        pipe = client.pipeline(transaction=False)
        for i in range(1000):
            pipe.set(f"p:{i}", i)
        pipe.incr("text")
        for i in range(1000):
            pipe.get(f"p:{i}")
        return replies_or_errors(pipe.execute(raise_on_error=False))

    results = run(r)
    assert results == run(remote)
    assert results[:1000] == [True] * 1000
    assert results[1000] == ("ResponseError", "value is not an integer or out of range")
    assert results[1001:] == [str(i).encode() for i in range(1000)]
    assert r.dbsize() == 1001


def test_watch_conflict_from_a_second_client_sharing_the_store(clients, redis_py):
    buyer, other_buyer = clients(), clients()
    buyer.set("stock", 1)
    with buyer.pipeline() as pipe:
        pipe.watch("stock")
        stock = int(pipe.get("stock"))
        assert other_buyer.decr("stock") == 0
        pipe.multi()
        pipe.set("stock", stock - 1)
        pipe.set("sold-to", "buyer")
        with pytest.raises(redis_py.exceptions.WatchError):
            pipe.execute()
    assert buyer.get("stock") == b"0"
    assert buyer.exists("sold-to") == 0


def test_transaction_helper_retries_after_a_conflict(clients):
    r, other = clients(), clients()
    r.set("counter", 5)
    attempts = []

    def double(pipe):
        value = int(pipe.get("counter"))
        attempts.append(value)
        if len(attempts) == 1:
            other.set("counter", 6)  # once: the helper retries after the conflict
        other.set("unrelated", value)  # a write to another key is no conflict
        pipe.multi()
        pipe.set("counter", value * 2)

    assert r.transaction(double, "counter") == [True]
    assert attempts == [5, 6]
    assert r.get("counter") == b"12"


def test_a_second_client_without_the_store_has_its_own_data(ember, clients):
    shared = clients()
    alone = ember.Redis()
    try:
        shared.set("k", "shared")
        assert alone.get("k") is None
        alone.set("k", "alone")
        assert shared.get("k") == b"shared"
        assert clients().get("k") == b"shared"
        assert alone.store is not shared.store
    finally:
        alone.connection_pool.disconnect()
        alone.store.close()


# Client options

def test_decode_responses(clients):
    text, raw = clients(decode_responses=True), clients()
    text.set("greeting", "héllo")
    assert text.get("greeting") == "héllo"
    assert raw.get("greeting") == "héllo".encode()
    text.hset("h", mapping={"ключ": "значение"})
    assert text.hgetall("h") == {"ключ": "значение"}
    text.zadd("z", {"a": 2.5})
    assert text.zrange("z", 0, -1, withscores=True) == [("a", 2.5)]
    assert text.type("z") == "zset"
    pipe = text.pipeline()
    pipe.incr("n").get("n").smembers("missing")
    assert pipe.execute() == [1, "1", set()]
    raw.set("latin1", b"caf\xe9")
    with pytest.raises(UnicodeDecodeError):
        text.get("latin1")
    # The failed decode leaves the connection usable.
    assert text.get("greeting") == "héllo"


def test_client_name_is_visible_in_client_list(clients, server):
    named = clients(client_name="billing-worker")
    observer = clients()
    assert named.ping() is True
    assert named.client_getname() == "billing-worker"
    listed = observer.client_list()
    assert [c["name"] for c in listed if c["name"]] == ["billing-worker"]
    mine = next(c for c in listed if c["name"] == "billing-worker")
    assert int(mine["id"]) == named.client_id()
    assert mine["db"] == "0"

    # The same as ember-server lists it.
    remote_named = server.client(client_name="billing-worker", socket_timeout=WAIT)
    remote_observer = server.client(socket_timeout=WAIT)
    try:
        assert remote_named.ping() is True
        remote_listed = remote_observer.client_list()
        assert [c["name"] for c in remote_listed if c["name"]] == ["billing-worker"]
        assert sorted(mine) == sorted(next(c for c in remote_listed
                                           if c["name"] == "billing-worker"))
    finally:
        remote_named.close()
        remote_observer.close()


def test_db_3_is_selected_and_isolated(clients, store):
    db3, db0 = clients(db=3), clients()
    assert db3.set("k", "three") is True
    assert db0.get("k") is None
    db0.set("k", "zero")
    assert db3.get("k") == b"three"
    assert db0.info("keyspace") == {"db0": {"keys": 1, "expires": 0, "avg_ttl": 0},
                                    "db3": {"keys": 1, "expires": 0, "avg_ttl": 0}}
    me = next(c for c in db0.client_list() if int(c["id"]) == db3.client_id())
    assert me["db"] == "3"
    # Store's direct calls have their own selection.
    assert store.get("k") == b"zero"
    assert store.select(3) is True
    assert store.get("k") == b"three"
    assert db0.get("k") == b"zero"
    assert db3.flushdb() is True
    assert db0.get("k") == b"zero"
    assert store.dbsize() == 0


# Errors

BAD_COMMANDS = [
    ("SET", "k"),
    ("GET",),
    ("NOSUCHCOMMAND", "a", "b"),
    ("INCR", "text"),
    ("INCRBYFLOAT", "text", "1"),
    ("LPUSH", "text", "x"),
    ("HGET", "list", "f"),
    ("EXPIRE", "text", "soon"),
    ("ZADD", "z", "high", "m"),
    ("SET", "k", "v", "EX", "0"),
    ("SET", "k", "v", "NX", "XX"),
    ("SELECT", "100"),
    ("CONFIG", "GET"),
    ("OBJECT", "NOPE", "text"),
    ("LINDEX", "list", "x"),
    ("LSET", "list", "99", "x"),
    ("RENAME", "missing", "x"),
    ("EXEC",),
    ("DISCARD",),
    ("HSET", "h", "f"),
    ("BITCOUNT", "text", "1"),
    ("SETBIT", "b", "-1", "1"),
    ("AUTH", "secret"),
]


def test_errors_have_the_text_and_class_ember_server_gives(r, remote, redis_py):
    errors = (redis_py.exceptions.RedisError,)
    for client in (r, remote):
        client.set("text", "abc")
        client.rpush("list", "a")
    for command in BAD_COMMANDS:
        embedded = outcome(lambda: r.execute_command(*command), errors)
        assert embedded == outcome(lambda: remote.execute_command(*command), errors), command
        assert isinstance(embedded, tuple), (command, embedded)
    # Redis's own words, as redis-py presents them (without the ERR code).
    assert outcome(lambda: r.execute_command("SET", "k"), errors) == (
        "ResponseError", "wrong number of arguments for 'set' command")
    assert outcome(lambda: r.execute_command("NOSUCHCOMMAND", "a", "b"), errors) == (
        "ResponseError", "unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' ")
    assert outcome(lambda: r.lpush("text", "x"), errors) == ("ResponseError", WRONGTYPE)
    assert outcome(lambda: r.execute_command("EXEC"), errors) == (
        "ResponseError", "EXEC without MULTI")
    # Nothing was changed by the failed commands, and the connection is still in db 0.
    assert r.get("text") == b"abc"
    assert r.lrange("list", 0, -1) == [b"a"]
    assert r.dbsize() == 2


def test_store_execute_raises_ember_errors_with_the_whole_line(ember, store, r):
    r.set("text", "abc")
    with pytest.raises(ember.ResponseError) as caught:
        store.execute("INCR", "text")
    assert str(caught.value) == "ERR value is not an integer or out of range"
    with pytest.raises(ember.WrongTypeError) as caught:
        store.execute("LPUSH", "text", "x")
    assert str(caught.value) == WRONGTYPE
    assert isinstance(caught.value, ember.ResponseError)


# Pub/sub

def test_pubsub_between_two_clients_sharing_a_store(clients):
    subscriber, publisher = clients(), clients()
    pubsub = subscriber.pubsub()
    try:
        pubsub.subscribe("alerts")
        assert next_message(pubsub) == {
            "type": "subscribe", "pattern": None, "channel": b"alerts", "data": 1}
        assert pubsub.get_message(timeout=0.2) is None
        assert publisher.pubsub_numsub("alerts") == [(b"alerts", 1)]
        assert publisher.publish("alerts", "disk full") == 1
        assert publisher.publish("other", "nobody") == 0
        assert next_message(pubsub) == {
            "type": "message", "pattern": None, "channel": b"alerts", "data": b"disk full"}
        assert pubsub.get_message(timeout=0.2) is None
        pubsub.unsubscribe("alerts")
        assert next_message(pubsub)["type"] == "unsubscribe"
        assert publisher.publish("alerts", "gone") == 0
    finally:
        pubsub.close()
    assert wait_until(lambda: publisher.pubsub_numsub("alerts") == [(b"alerts", 0)])


def test_psubscribe_patterns(clients):
    subscriber, publisher = clients(decode_responses=True), clients()
    pubsub = subscriber.pubsub()
    try:
        pubsub.psubscribe("sensor.*", "log.[ew]*")
        assert [next_message(pubsub)["data"] for _ in range(2)] == [1, 2]
        assert publisher.pubsub_numpat() == 2
        assert publisher.publish("sensor.kitchen", "21.5") == 1
        assert publisher.publish("log.error", "boom") == 1
        assert publisher.publish("log.info", "quiet") == 0
        assert next_message(pubsub) == {"type": "pmessage", "pattern": "sensor.*",
                                        "channel": "sensor.kitchen", "data": "21.5"}
        assert next_message(pubsub) == {"type": "pmessage", "pattern": "log.[ew]*",
                                        "channel": "log.error", "data": "boom"}
        pubsub.punsubscribe("sensor.*")
        assert next_message(pubsub) == {"type": "punsubscribe", "pattern": None,
                                        "channel": "sensor.*", "data": 1}
        assert publisher.publish("sensor.kitchen", "22") == 0
    finally:
        pubsub.close()


def test_publications_reach_only_the_same_store(ember, clients, store):
    pubsub = clients().pubsub(ignore_subscribe_messages=True)
    elsewhere = ember.Redis()
    try:
        pubsub.subscribe("news")
        assert pubsub.get_message(timeout=WAIT) is None  # the confirmation, dropped
        assert elsewhere.publish("news", "other store") == 0
        # A direct call on the store publishes like any client.
        assert store.execute("PUBLISH", "news", "from the store") == 1
        assert next_message(pubsub)["data"] == b"from the store"
    finally:
        pubsub.close()
        elsewhere.connection_pool.disconnect()
        elsewhere.store.close()


def test_run_in_thread_delivers_to_a_handler(clients):
    received = []
    pubsub = clients().pubsub(ignore_subscribe_messages=True)
    publisher = clients()
    pubsub.subscribe(events=lambda message: received.append(message["data"]))
    worker = pubsub.run_in_thread(sleep_time=0.05, daemon=True)
    try:
        assert wait_until(lambda: publisher.pubsub_numsub("events") == [(b"events", 1)])
        for i in range(3):
            assert publisher.publish("events", f"e{i}") == 1
        assert wait_until(lambda: len(received) == 3)
        assert received == [b"e0", b"e1", b"e2"]
    finally:
        worker.stop()
        worker.join(WAIT)
    assert not worker.is_alive()


# Blocking commands and threads

def test_blpop_in_a_thread_is_served_by_an_lpush(clients):
    consumer, producer = clients(), clients()
    waiting = Background(consumer.blpop, ["jobs"], 10)
    assert wait_until(lambda: blocked_clients(producer) == 1)
    assert producer.lpush("jobs", "job-1") == 1
    assert waiting.join() == (b"jobs", b"job-1")
    assert producer.exists("jobs") == 0
    assert blocked_clients(producer) == 0


def test_blpop_times_out_with_none(r):
    started = time.monotonic()
    assert r.blpop(["nothing"], timeout=1) is None
    assert time.monotonic() - started >= 0.9
    assert r.ping() is True


def test_a_waiting_blpop_does_not_stop_other_threads(clients, store):
    shared = clients()
    waiting = Background(shared.blpop, ["never-yet"], 30)
    assert wait_until(lambda: blocked_clients(shared) == 1)

    # Another thread, and this one, on the same client and on the store directly, while the
    # BLPOP waits: with the GIL or the engine's lock held by the waiter they would stall
    # until its 30 s timeout, and the waiter would be gone by the checks below.
    def work():
        for i in range(200):
            shared.incr("worked")
        return shared.get("worked")

    assert Background(work).join() == b"200"
    for i in range(100):
        assert store.set(f"direct:{i}", i) is True
    assert shared.mget("direct:0", "direct:99") == [b"0", b"99"]
    assert waiting.alive()
    assert blocked_clients(shared) == 1

    assert shared.rpush("never-yet", "now") == 1
    assert waiting.join() == (b"never-yet", b"now")


def test_eight_threads_share_one_client(r):
    start = threading.Barrier(8, timeout=WAIT)

    def count():
        start.wait()
        for _ in range(500):
            r.incr("hits")

    workers = [Background(count) for _ in range(8)]
    for worker in workers:
        worker.join(timeout=60)
    assert r.get("hits") == b"4000"


def test_threads_mixing_store_calls_and_clients(clients, store):
    r = clients()

    def through_client():
        for _ in range(300):
            r.hincrby("mixed", "n", 1)

    def through_store():
        for _ in range(300):
            store.execute("HINCRBY", "mixed", "n", 1)

    workers = [Background(through_client) for _ in range(3)]
    workers += [Background(through_store) for _ in range(3)]
    for worker in workers:
        worker.join(timeout=60)
    assert r.hget("mixed", "n") == b"1800"


def test_blocking_commands_inside_multi_do_not_block(clients, remote):
    r, helper = clients(), clients()

    def run(client):
        client.rpush("full", "x")
        client.zadd("zfull", {"m": 1})
        pipe = client.pipeline(transaction=True)
        # timeout 0 is "wait for ever" outside MULTI; inside, Redis answers at once.
        pipe.blpop(["empty"], timeout=0)
        pipe.brpoplpush("empty", "dest", timeout=0)
        pipe.blmove("empty", "dest", 0, "LEFT", "RIGHT")
        pipe.bzpopmin("zempty", timeout=0)
        pipe.blpop(["full"], timeout=0)
        pipe.bzpopmin("zfull", timeout=0)
        pipe.lpush("empty", "late")
        return pipe.execute()

    embedded = Background(run, r)
    try:
        results = embedded.join()
    finally:
        if embedded.alive():
            helper.lpush("empty", "unblock")  # let the stuck thread go
            helper.zadd("zempty", {"unblock": 1})
    assert results == [None, None, None, None, (b"full", b"x"), (b"zfull", b"m", 1.0), 1]
    assert run(remote) == results
    assert r.lrange("empty", 0, -1) == [b"late"]


def test_client_unblock_and_client_kill_end_a_waiting_blpop(clients, redis_py):
    waiter, admin = clients(), clients()

    def blocked_id():
        assert wait_until(lambda: blocked_clients(admin) == 1)
        return next(int(c["id"]) for c in admin.client_list() if "b" in c["flags"])

    waiting = Background(waiter.blpop, ["nothing"], 30)
    assert admin.client_unblock(blocked_id()) is True
    assert waiting.join() is None  # as if it had timed out

    waiting = Background(waiter.blpop, ["nothing"], 30)
    assert admin.client_unblock(blocked_id(), error=True) is True
    with pytest.raises(redis_py.exceptions.ResponseError) as caught:
        waiting.join()
    assert str(caught.value) == "UNBLOCKED client unblocked via CLIENT UNBLOCK"

    waiting = Background(waiter.blpop, ["nothing"], 30)
    assert admin.client_kill_filter(_id=blocked_id()) == 1
    with pytest.raises(redis_py.exceptions.ConnectionError):
        waiting.join()
    assert blocked_clients(admin) == 0
    assert waiter.ping() is True


def test_closing_the_store_ends_a_waiting_blpop(clients, store, redis_py):
    waiter = clients()
    waiting = Background(waiter.blpop, ["nothing"], 30)
    assert wait_until(lambda: blocked_clients(waiter) == 1)
    store.close()
    with pytest.raises(redis_py.exceptions.ConnectionError):
        waiting.join()
    with pytest.raises(redis_py.exceptions.ConnectionError):
        waiter.get("k")


def test_client_pause_write_holds_writes_until_it_ends(clients):
    r, admin = clients(), clients()
    r.set("k", "before")
    assert admin.execute_command("CLIENT", "PAUSE", "500", "WRITE") == b"OK"
    started = time.monotonic()
    assert r.set("k", "after") is True
    assert time.monotonic() - started >= 0.4
    assert r.get("k") == b"after"


def test_monitor_shows_other_clients_commands(clients, server):
    # next_command() parses each line's "[db address]" part, so the address has to be one
    # redis-py understands.
    def first_command(client, other):
        with client.monitor() as monitor:
            other.set("watched", "1")
            return monitor.next_command()

    embedded_other = clients()
    embedded = Background(first_command, clients(), embedded_other)
    try:
        seen = embedded.join()
    finally:
        if embedded.alive():
            embedded_other.set("watched", "again")  # a line to end the stuck read
    remote_client = server.client(socket_timeout=WAIT)
    remote_other = server.client(socket_timeout=WAIT)
    try:
        remote_seen = first_command(remote_client, remote_other)
    finally:
        remote_client.close()
        remote_other.close()
    assert (seen["db"], seen["command"]) == (remote_seen["db"], remote_seen["command"]) == (
        0, "SET watched 1")


def test_ten_megabyte_values_round_trip(r, store):
    value = bytes(range(256)) * (40 * 1024)
    assert len(value) == 10 * 1024 * 1024
    assert r.set("big", value) is True
    assert r.strlen("big") == len(value)
    assert r.get("big") == value
    assert store.get("big") == value
    r.hset("big-hash", "field", value)
    pipe = r.pipeline()
    pipe.get("big").hget("big-hash", "field").append("big", b"!")
    got, field, length = pipe.execute()
    assert got == value
    assert field == value
    assert length == len(value) + 1
    assert r.getrange("big", -2, -1) == bytes([255]) + b"!"


# Connections

def test_quit_then_the_client_reconnects_transparently(clients, store):
    r = clients(db=3, client_name="reconnecting")
    first_id = r.client_id()
    assert r.quit() is True
    # redis-py finds the closed connection when it takes it from the pool, and opens a new
    # one with the same db and name.
    assert r.set("after-quit", "v") is True
    second_id = r.client_id()
    assert second_id != first_id
    assert r.client_getname() == "reconnecting"
    assert store.select(3) and store.get("after-quit") == b"v"
    ids = [int(c["id"]) for c in r.client_list()]
    assert first_id not in ids
    assert second_id in ids


def test_close_and_client_kill_are_recovered_from(clients):
    r, admin = clients(), clients()
    r.set("k", "v")
    first_id = r.client_id()
    r.connection_pool.disconnect()
    assert wait_until(lambda: first_id not in [int(c["id"]) for c in admin.client_list()])
    assert r.get("k") == b"v"
    victim_id = r.client_id()
    assert admin.client_kill_filter(_id=victim_id) == 1
    assert victim_id not in [int(c["id"]) for c in admin.client_list()]
    assert r.get("k") == b"v"
    assert r.client_id() != victim_id


def test_quit_closes_the_connection_as_ember_server_does(r, remote):
    def run(client):
        connection = client.connection_pool.get_connection("QUIT")
        try:
            connection.send_command("QUIT")
            reply = connection.read_response()
            # The peer closes after the reply: the next read finds the end of the stream.
            connection._sock.settimeout(WAIT)
            after = connection._sock.recv(16)
        finally:
            connection.disconnect()
            client.connection_pool.release(connection)
        return reply, after, client.ping()

    assert run(r) == run(remote) == (b"OK", b"", True)


def test_protocol_error_closes_the_connection_as_ember_server_does(r, remote, redis_py):
    def run(client):
        connection = client.connection_pool.get_connection("SET")
        try:
            connection.send_packed_command([b'SET "unbalanced\r\n'])
            error = outcome(connection.read_response, redis_py.exceptions.RedisError)
            connection._sock.settimeout(WAIT)
            after = connection._sock.recv(16)
        finally:
            connection.disconnect()
            client.connection_pool.release(connection)
        return error, after, client.set("k", "v")

    assert run(r) == run(remote) == (
        ("ResponseError", "Protocol error: unbalanced quotes in request"), b"", True)


class Resp3Reader:
    """Reads one RESP2/RESP3 reply from a recv function: redis-py 4.3 has no RESP3 parser."""

    def __init__(self, recv):
        self._recv = recv
        self._buffer = b""

    def _fill(self, size):
        while len(self._buffer) < size:
            chunk = self._recv(65536)
            if not chunk:
                raise EOFError("connection closed mid-reply")
            self._buffer += chunk

    def _line(self):
        while b"\r\n" not in self._buffer:
            self._fill(len(self._buffer) + 1)
        line, self._buffer = self._buffer.split(b"\r\n", 1)
        return line

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b"-"):
            return rest
        if kind == b":":
            return int(rest)
        if kind == b"_":
            return None
        if kind == b"$":
            if int(rest) < 0:
                return None
            self._fill(int(rest) + 2)
            data, self._buffer = self._buffer[:int(rest)], self._buffer[int(rest) + 2:]
            return data
        if kind in (b"*", b"~"):
            return [self.read() for _ in range(int(rest))]
        if kind == b"%":
            reply = {}
            for _ in range(int(rest)):
                key = self.read()
                reply[key] = self.read()
            return reply
        raise AssertionError(f"unexpected reply line {line!r}")


def test_hello_3_answers_a_map_then_protocol_2_clients_carry_on(r, server, redis_py):
    # Through redis-py itself: 5.x parses the map into a dict; 4.3 (Debian 12's) has no RESP3
    # parser, fails on the map's first line, and drops that connection, as it does against
    # ember-server.
    try:
        reply = r.execute_command("HELLO", "3")
    except redis_py.exceptions.InvalidResponse as error:
        assert int(redis_py.__version__.split(".")[0]) < 5
        remote = server.client(socket_timeout=WAIT)
        try:
            with pytest.raises(redis_py.exceptions.InvalidResponse) as remote_error:
                remote.execute_command("HELLO", "3")
            assert str(error) == str(remote_error.value)
            assert remote.set("k", "v") is True
        finally:
            remote.close()
    else:
        assert b"server" in reply or "server" in reply
    assert r.set("k", "v") is True
    assert r.get("k") == b"v"

    # The map itself, read off one connection's socket, against ember-server's.
    connection = r.connection_pool.get_connection("HELLO")
    try:
        connection._sock.settimeout(WAIT)
        connection.send_command("HELLO", "3")
        embedded = Resp3Reader(connection._sock.recv).read()
    finally:
        connection.disconnect()  # it speaks RESP3 now; the pool opens a fresh one
        r.connection_pool.release(connection)
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as sock:
        sock.sendall(b"HELLO 3\r\n")
        remote_map = Resp3Reader(sock.recv).read()
    assert isinstance(embedded, dict)
    assert embedded[b"server"] == b"redis"
    assert embedded[b"proto"] == 3
    assert sorted(embedded) == sorted(remote_map)
    for field in (b"server", b"version", b"proto", b"mode", b"role", b"modules"):
        assert embedded[field] == remote_map[field], field
    assert r.get("k") == b"v"
    assert r.execute_command("PING") is True


# Store and Redis on one engine

def test_store_and_redis_share_one_keyspace(clients, store):
    r = clients()
    assert store.set("greeting", "hello", ttl=60) is True
    assert r.get("greeting") == b"hello"
    assert r.ttl("greeting") in (59, 60)
    r.hset("user:1", mapping={"name": "Ada"})
    assert store.execute("HGET", "user:1", "name") == b"Ada"
    assert store.exists("user:1", "greeting") == 2
    assert store.incr("visits") == 1
    assert r.incr("visits") == 2
    assert store.get("visits") == b"2"
    assert store.delete("greeting") == 1
    assert r.get("greeting") is None
    assert sorted(store.keys()) == sorted(r.keys()) == [b"user:1", b"visits"]
    assert store.flushall() is True
    assert r.dbsize() == 0


def test_a_direct_store_call_serves_a_waiting_blpop(clients, store):
    waiter = clients()
    waiting = Background(waiter.blpop, ["jobs"], 30)
    assert wait_until(lambda: blocked_clients(waiter) == 1)
    assert store.execute("RPUSH", "jobs", "from-the-store") == 1
    assert waiting.join() == (b"jobs", b"from-the-store")
    # A direct call cannot block (no one would serve it): it answers as if timed out.
    assert store.execute("BLPOP", "jobs", 0) is None


def test_a_direct_store_write_is_a_watch_conflict(clients, store, redis_py):
    r = clients()
    store.set("k", "v1")
    with r.pipeline() as pipe:
        pipe.watch("k")
        store.set("k", "v2")
        pipe.multi()
        pipe.set("k", "mine")
        with pytest.raises(redis_py.exceptions.WatchError):
            pipe.execute()
    assert r.get("k") == b"v2"


def test_keys_expire_in_the_background_and_notify_subscribers(clients, store):
    r = clients()
    assert r.config_set("notify-keyspace-events", "Ex") is True
    pubsub = clients().pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe("__keyevent@0__:expired")
        assert pubsub.get_message(timeout=WAIT) is None  # the confirmation, dropped
        for i in range(20):
            store.set(f"temp:{i}", i, px=50)
        # Nothing reads the keys: the engine's own cycle expires them, and its thread's
        # publications wake this subscriber.
        expired = {next_message(pubsub)["data"] for _ in range(20)}
        assert expired == {f"temp:{i}".encode() for i in range(20)}
        assert r.dbsize() == 0
    finally:
        pubsub.close()
